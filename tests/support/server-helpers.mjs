// Helpers for the companion's tests: a protocol client over Node's sockets,
// curl, certificates from the openssl CLI, and process-table checks.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Companion } from './companion-client.mjs';
import { NodeWebSocket } from './ws-node.mjs';

export { startCompanion } from './server.mjs';

/**
 * Opens a protocol session to a started companion (the token as a WebSocket subprotocol, as a
 * page sends it, and as the x-ferrode-token header too, which older builds also accept).
 */
export function session(srv, opts = {}) {
  return Companion.connect(srv.url, {
    WebSocket: NodeWebSocket,
    wsOptions: { headers: { origin: srv.origin, 'x-ferrode-token': srv.token, ...opts.headers } },
  });
}

/** Runs a command; resolves { code, stdout (Buffer), stderr }. */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    execFile(cmd, args, { encoding: 'buffer', maxBuffer: 64 << 20, ...opts }, (err, stdout, stderr) => {
      resolve({ code: err ? (err.code ?? 1) : 0, stdout, stderr: stderr.toString() });
    });
  });
}

/** curl with sane test defaults; resolves { code, stdout, stderr }. */
export function curl(args) {
  return run('curl', ['-sS', '--max-time', '20', ...args]);
}

export function tmpdir(prefix = 'ferrode-test-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Whether a pid is a live (non-zombie) process. */
export function alive(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

export async function waitFor(pred, ms = 5000, step = 20) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await pred()) return true;
    await new Promise((r) => setTimeout(r, step));
  }
  return pred();
}

/**
 * A CA and a leaf for localhost/127.0.0.1 signed by it, a self-signed leaf, and a leaf
 * signed by a second CA nobody trusts: { dir, ca, key, cert, selfKey, selfCert, otherKey, otherCert } (PEM paths).
 */
export async function makeCerts() {
  const dir = tmpdir('ferrode-certs-');
  const p = (f) => path.join(dir, f);
  const ossl = async (...args) => {
    const r = await run('openssl', args, { cwd: dir });
    if (r.code !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  };
  const ext = p('ext.cnf');
  fs.writeFileSync(ext, 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n');
  // A fresh P-256 key `name`.key with a request for `subj`: self-signed for 30 days into `name`.pem when
  // `selfSigned`, else a signing request `name`.csr; each of `exts` goes in as an -addext.
  const newKey = (name, subj, selfSigned, ...exts) =>
    ossl(
      'req',
      ...(selfSigned ? ['-x509'] : []),
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      ...(selfSigned ? ['-days', '30'] : []),
      '-subj',
      subj,
      '-keyout',
      p(`${name}.key`),
      '-out',
      p(selfSigned ? `${name}.pem` : `${name}.csr`),
      ...exts.flatMap((e) => ['-addext', e]),
    );
  for (const ca of ['ca', 'other']) {
    await newKey(
      ca,
      `/CN=ferrode test ${ca} CA`,
      true,
      'basicConstraints=critical,CA:TRUE',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
    const leaf = ca === 'ca' ? 'leaf' : 'otherleaf';
    await newKey(leaf, '/CN=localhost', false);
    await ossl(
      'x509',
      '-req',
      '-in',
      p(`${leaf}.csr`),
      '-CA',
      p(`${ca}.pem`),
      '-CAkey',
      p(`${ca}.key`),
      '-CAcreateserial',
      '-days',
      '30',
      '-extfile',
      ext,
      '-out',
      p(`${leaf}.pem`),
    );
  }
  await newKey('self', '/CN=localhost', true, 'subjectAltName=DNS:localhost,IP:127.0.0.1');
  return {
    dir,
    ca: p('ca.pem'),
    key: p('leaf.key'),
    cert: p('leaf.pem'),
    selfKey: p('self.key'),
    selfCert: p('self.pem'),
    otherKey: p('otherleaf.key'),
    otherCert: p('otherleaf.pem'),
  };
}
