// A process's Web Worker starts here: it waits for the page's 'start'
// message (which says what kind of process it is), chooses the ferrode build
// for it, then loads the runtime and runs the program.
const queued = [];
self.onmessage = async (event) => {
  const msg = event.data;
  if (msg.t !== 'start') {
    queued.push(msg);
    return;
  }
  self.onmessage = (e) => queued.push(e.data);
  // A process uses the threaded build only when the page asks for it (and
  // only ever the main process): every thread pool is a set of workers, and
  // forks or cluster workers each starting one would multiply them.
  if (msg.config.threads !== true || msg.config.kind !== 'main') globalThis.__FERRODE_THREADS__ = false;
  try {
    const core = await import(new URL('./runtime-core.js', import.meta.url).href);
    await core.start(msg.config, queued);
  } catch (err) {
    self.postMessage({ t: 'out', fd: 2, text: `The playground runtime failed to start: ${err && err.stack}\n` });
    self.postMessage({ t: 'exit', code: 70 });
  }
};
