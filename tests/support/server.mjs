// Starts the real companion binary on a free loopback port and stops it.
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { SERVER_BIN, WEB_DIR, PKG_DIR } from './paths.mjs';

/**
 * Starts ferrode-server; resolves with { url, origin, token, child, stop() }. `url` is the
 * printed one (`http://127.0.0.1:PORT/#token=T`): the token is in the fragment. FERRODE_SERVER_BIN
 * names another binary (an older build, to see a test fail against it).
 */
export function startCompanion(
  extraArgs = [],
  { webDir = WEB_DIR, pkgDir = PKG_DIR, bin = process.env.FERRODE_SERVER_BIN || SERVER_BIN } = {},
) {
  const child = spawn(bin, ['--port', '0', '--web-dir', webDir, '--pkg-dir', pkgDir, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`companion did not start: ${stderr}`)), 15000);
    child.once('exit', (code) => reject(new Error(`companion exited with ${code}: ${stderr}`)));
    const lines = readline.createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (!m) return;
      clearTimeout(timer);
      const url = new URL(m[1]);
      resolve({
        url: url.href,
        origin: url.origin,
        // (an older build printed `?token=`)
        token: new URLSearchParams(url.hash.slice(1)).get('token') ?? url.searchParams.get('token'),
        child,
        /** What the server wrote to stderr so far. */
        log: () => stderr,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
