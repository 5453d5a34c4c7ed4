// A minimal `process` for browsers, injected by `ferrode/vite` when its
// `process` option is on. It says what it is (`browser: true`, no
// `versions.node`) rather than pretending to be Node, so that libraries which
// sniff for Node take their browser paths.
import { nextTick } from '../next-tick.js';

function emitWarning(warning, type, code) {
  const name =
    typeof warning === 'object' && warning !== null ? warning.name : typeof type === 'string' ? type : 'Warning';
  const message = typeof warning === 'object' && warning !== null ? warning.message : String(warning);
  console.warn(`${code ? `[${code}] ` : ''}${name}: ${message}`);
}

const process = {
  title: 'browser',
  browser: true,
  env: {},
  argv: [],
  execArgv: [],
  version: '',
  versions: {},
  platform: 'browser',
  release: { name: 'browser' },
  nextTick,
  emitWarning,
  cwd: () => '/',
  umask: () => 0,
};

export { process, nextTick };
export default process;
