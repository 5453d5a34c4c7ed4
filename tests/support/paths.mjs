// Repository locations for tests, derived from this file's own place.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const WEB_DIR = path.join(ROOT, 'web');
export const PKG_DIR = path.join(ROOT, 'wasm');
export const SERVER_BIN = path.join(ROOT, 'target/release/ferrode-server');
export const ARTIFACTS = path.join(ROOT, 'tests/artifacts');
