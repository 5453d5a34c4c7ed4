// Shows which ferrode build the page loaded and how big its thread pool is.
const $ = (id) => document.getElementById(id);
$('coi').textContent = String(globalThis.crossOriginIsolated === true);
try {
  const { threads } = await import('ferrode');
  $('build').textContent = threads.threaded ? 'multi-threaded' : 'single-threaded';
  $('pool').textContent = threads.threaded ? `${threads.poolSize} threads` : `none (${threads.reason})`;
  globalThis.__ferrodeStatus = { ...threads, crossOriginIsolated: globalThis.crossOriginIsolated === true };
} catch (err) {
  $('build').textContent = `failed to load: ${err.message}`;
  globalThis.__ferrodeStatus = { error: String(err && err.stack) };
}
