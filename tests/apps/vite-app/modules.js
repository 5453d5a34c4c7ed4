// Only the five modules, for the bundle-size comparison (no app code).
import { Buffer } from 'buffer';
import { EventEmitter } from 'events';
import { pipeline, Readable } from 'stream';
import zlib from 'zlib';
import crypto from 'crypto';

window.__result = { ok: [Buffer, EventEmitter, pipeline, Readable, zlib.gzipSync, crypto.createHash].every(Boolean) };
