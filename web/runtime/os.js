// os: what a browser can honestly tell (the number of cores is
// navigator.hardwareConcurrency; the rest describes the playground's POSIX-like
// system).
export function makeOs() {
  const cores = Math.max(1, globalThis.navigator?.hardwareConcurrency ?? 1);
  const cpu = () => ({ model: 'Web Worker (browser)', speed: 0, times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } });
  const mem = (globalThis.navigator?.deviceMemory ?? 4) * 1024 ** 3;
  const started = Date.now();
  return {
    EOL: '\n',
    devNull: '/dev/null',
    constants: { signals: { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }, errno: {}, priority: {} },
    arch: () => 'wasm32',
    availableParallelism: () => cores,
    cpus: () => Array.from({ length: cores }, cpu),
    endianness: () => 'LE',
    freemem: () => mem,
    totalmem: () => mem,
    homedir: () => '/home/user',
    hostname: () => 'playground',
    loadavg: () => [0, 0, 0],
    machine: () => 'wasm32',
    networkInterfaces: () => ({}),
    platform: () => 'linux',
    release: () => globalThis.navigator?.userAgent ?? 'browser',
    tmpdir: () => '/tmp',
    type: () => 'Linux',
    uptime: () => Math.floor((Date.now() - started) / 1000),
    userInfo: () => ({ uid: 1000, gid: 1000, username: 'user', homedir: '/home/user', shell: '/bin/sh' }),
    version: () => 'ferrode playground',
    getPriority: () => 0,
    setPriority: () => {},
  };
}
