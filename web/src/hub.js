// The page side of the processes: every process (the program, its
// worker_threads, its forks and cluster workers) is a Web Worker started
// here; their messages to each other pass through here; Stop terminates them
// all, whatever they are doing. The hub also holds the file system the
// processes share (each has a copy; writes are broadcast).

const SIGNAL_GRACE_MS = 1000;

export class Hub {
  constructor({ runtimeUrl, nodeVersion, onOutput, onExit, onFs, onChange }) {
    this.runtimeUrl = runtimeUrl;
    this.nodeVersion = nodeVersion;
    this.onOutput = onOutput;
    this.onExit = onExit;
    this.onFs = onFs;
    this.onChange = onChange ?? (() => {});
    this.procs = new Map();
    this.files = new Map();
    this.main = null;
    this.nextPid = 0;
    this.nextThread = 0;
    this.statsWaiters = new Map();
    this.statsId = 0;
    // A program's main process uses the threaded build where the page can
    // (its forks, threads and cluster workers stay single-threaded).
    this.threads = true;
    // Whether the page was served by the companion (then http, net, child_process go through it).
    this.companion = false;
    // Web Workers started and not yet terminated (what a leak would show).
    this.liveWorkers = 0;
  }

  terminate(proc) {
    if (proc.terminated) return;
    proc.terminated = true;
    proc.worker.terminate();
    this.liveWorkers--;
  }

  get running() {
    return this.main !== null && !this.main.exited;
  }

  /** Starts `entry` (an absolute path in `files`) as a new program, stopping any running one. */
  run(files, entry, { argv = [], env = {} } = {}) {
    this.stop(false);
    this.files = new Map(files);
    this.nextPid = 1000 + Math.floor(Math.random() * 30000);
    const proc = this.spawn({ kind: 'main', entry, argv, env: { ...env }, parent: null, ref: null });
    this.main = proc;
    this.onChange();
    return proc.pid;
  }

  /** Terminates every process now. */
  stop(report = true) {
    const main = this.main;
    for (const p of this.procs.values()) {
      this.terminate(p);
      p.exited = true;
    }
    this.procs.clear();
    if (report && main && !main.exitReported) {
      main.exitReported = true;
      this.onExit(main.pid, null, 'SIGTERM', true);
    }
    this.main = null;
    this.onChange();
  }

  stdin(data) {
    if (this.running) this.main.worker.postMessage({ t: 'stdin', data });
  }

  /** Memory of the main process's worker (JS heap, wasm module). */
  stats() {
    if (!this.running) return Promise.resolve(null);
    const id = ++this.statsId;
    return new Promise((resolve) => {
      this.statsWaiters.set(id, resolve);
      this.main.worker.postMessage({ t: 'stats', id });
      setTimeout(() => {
        if (this.statsWaiters.delete(id)) resolve(null);
      }, 2000);
    });
  }

  spawn({ kind, entry, argv, env, parent, ref, options = {} }) {
    const thread = kind === 'thread';
    const pid = thread ? parent.pid : (this.nextPid += 1 + Math.floor(Math.random() * 3));
    const worker = new Worker(this.runtimeUrl, { type: 'module', name: `${kind} ${pid}` });
    this.liveWorkers++;
    const proc = { pid, kind, worker, parent, ref, exited: false, children: new Map() };
    const key = thread ? `${pid}:${++this.nextThread}` : String(pid);
    proc.key = key;
    this.procs.set(key, proc);
    worker.onmessage = (e) => this.handle(proc, e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      this.onOutput(proc.pid, 2, `The playground runtime failed in process ${proc.pid}: ${e.message}\n`);
      this.exited(proc, 70, null);
    };
    const files = [...this.files].map(([p, data]) => [p, data.slice()]);
    const scriptArgv = entry ? [entry, ...argv] : argv;
    worker.postMessage({
      t: 'start',
      config: {
        kind,
        pid,
        ppid: parent?.pid ?? 1,
        entry,
        eval: options.eval ?? null,
        argv: ['/usr/local/bin/node', ...scriptArgv],
        execArgv: options.execArgv ?? [],
        env: {
          NODE_VERSION: this.nodeVersion.slice(1),
          HOME: '/home/user',
          PATH: '/usr/local/bin:/usr/bin:/bin',
          PWD: '/app',
          ...env,
        },
        cwd: '/app',
        files,
        workerData: options.workerData,
        threadId: options.threadId ?? 0,
        clusterId: options.clusterId ?? 0,
        clusterGroup: options.clusterGroup ?? null,
        companion: this.companion,
        nodeVersion: this.nodeVersion,
        threads: this.threads,
      },
    });
    return proc;
  }

  childOf(proc, ref) {
    return proc.children.get(ref);
  }

  handle(proc, msg) {
    if (proc.exited && msg.t !== 'exit') return;
    switch (msg.t) {
      case 'out':
        this.onOutput(proc.pid, msg.fd, msg.text);
        break;
      case 'online':
        if (proc.parent && !proc.parent.exited) proc.parent.worker.postMessage({ t: 'child-online', ref: proc.ref });
        break;
      case 'exit':
        this.exited(proc, msg.code, msg.signal ?? null);
        break;
      case 'spawn': {
        const o = msg.options ?? {};
        const child = this.spawn({
          kind: msg.kind,
          entry: msg.file,
          argv: o.argv ?? [],
          env: o.env ?? {},
          parent: proc,
          ref: msg.ref,
          options: o,
        });
        proc.children.set(msg.ref, child);
        proc.worker.postMessage({ t: 'spawned', ref: msg.ref, pid: child.pid });
        this.onChange();
        break;
      }
      case 'send': {
        const child = this.childOf(proc, msg.ref);
        if (child && !child.exited) child.worker.postMessage({ t: 'parent-message', data: msg.data });
        break;
      }
      case 'send-parent':
        if (proc.parent && !proc.parent.exited) {
          proc.parent.worker.postMessage({ t: 'child-message', ref: proc.ref, data: msg.data });
        }
        break;
      case 'thread-error':
        if (proc.parent && !proc.parent.exited) {
          proc.parent.worker.postMessage({ t: 'child-error', ref: proc.ref, error: msg.error });
        }
        break;
      case 'kill': {
        const child = this.childOf(proc, msg.ref);
        if (child) this.kill(child, msg.signal);
        break;
      }
      case 'kill-pid': {
        const target = [...this.procs.values()].find((p) => p.pid === msg.pid && p.kind !== 'thread');
        if (target) this.kill(target, msg.signal);
        break;
      }
      case 'signal-self':
        this.kill(proc, msg.signal);
        break;
      case 'disconnect':
        if (proc.parent && !proc.parent.exited) {
          proc.parent.worker.postMessage({ t: 'child-disconnect', ref: proc.ref });
        }
        break;
      case 'disconnect-child': {
        const child = this.childOf(proc, msg.ref);
        if (child && !child.exited) child.worker.postMessage({ t: 'disconnected' });
        break;
      }
      case 'fs':
        if (msg.op === 'write') this.files.set(msg.path, msg.data);
        else if (msg.op === 'unlink') this.files.delete(msg.path);
        for (const p of this.procs.values()) {
          if (p !== proc && !p.exited) p.worker.postMessage({ t: 'fs', op: msg.op, path: msg.path, data: msg.data });
        }
        this.onFs(msg.op, msg.path, msg.data);
        break;
      case 'stats': {
        const resolve = this.statsWaiters.get(msg.id);
        this.statsWaiters.delete(msg.id);
        resolve?.(msg);
        break;
      }
      default:
    }
  }

  kill(proc, signal = 'SIGTERM') {
    if (proc.exited) return;
    if (signal === 'terminate') {
      // worker.terminate(): the thread stops where it is and exits with 1.
      this.exited(proc, 1, null);
      return;
    }
    if (signal === 'SIGKILL' || signal === 9) {
      this.exited(proc, null, 'SIGKILL');
      return;
    }
    proc.worker.postMessage({ t: 'signal', signal });
    // A process that cannot answer (a busy loop) is ended anyway, as the OS would.
    setTimeout(() => {
      if (!proc.exited && !proc.handlesSignals) this.exited(proc, null, signal);
    }, SIGNAL_GRACE_MS);
  }

  exited(proc, code, signal) {
    if (proc.exited && proc.exitReported) return;
    proc.exited = true;
    proc.exitReported = true;
    this.terminate(proc);
    this.procs.delete(proc.key);
    // A process's threads end with it.
    for (const child of proc.children.values()) {
      if (child.kind === 'thread' && !child.exited) this.exited(child, 1, null);
    }
    if (proc.parent && !proc.parent.exited) {
      proc.parent.worker.postMessage({ t: 'child-exit', ref: proc.ref, code, signal });
    }
    if (proc === this.main) {
      this.onExit(proc.pid, code, signal, true);
      // The program is over: whatever it left running goes with it.
      for (const p of this.procs.values()) {
        this.terminate(p);
        p.exited = true;
      }
      this.procs.clear();
    } else {
      this.onExit(proc.pid, code, signal, false, proc.kind);
    }
    this.onChange();
  }
}
