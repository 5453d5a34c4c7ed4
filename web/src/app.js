// The playground page: examples, files and tabs, a CodeMirror editor, Run and
// Stop, a console for what the program prints, an input line for
// process.stdin, a status bar, and share links (the files in the URL hash).
import { EditorView, basicSetup } from 'codemirror';
import { EditorState } from '@codemirror/state';
import { javascript } from '@codemirror/lang-javascript';
import examples, { nodeVersion } from '../dist/examples.js';
import { Hub } from './hub.js';

const $ = (id) => document.getElementById(id);
const APP = '/app/';
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

// ---------------------------------------------------------------- state
const state = {
  files: new Map(), // path -> Uint8Array
  editors: new Map(), // path -> EditorState (text files opened in the editor)
  open: [], // tabs: paths
  active: null,
  entry: null,
  exampleId: null,
  stdout: '',
  stderr: '',
  text: '',
  exits: [],
  lastExit: null,
  runs: 0,
};

function isText(data) {
  try {
    decoder.decode(data);
    return true;
  } catch {
    return false;
  }
}

function textOf(p) {
  const es = state.editors.get(p);
  if (es) return es.doc.toString();
  return new TextDecoder().decode(state.files.get(p) ?? new Uint8Array(0));
}

function rel(p) {
  return p.startsWith(APP) ? p.slice(APP.length) : p;
}

function syncEditorsToFiles() {
  for (const [p, es] of state.editors) state.files.set(p, encoder.encode(es.doc.toString()));
}

// ---------------------------------------------------------------- editor
const view = new EditorView({ parent: $('editor') });
const extensions = (p) => [
  basicSetup,
  ...(/\.(m?js|cjs|json)$/.test(p) ? [javascript()] : []),
  EditorView.updateListener.of((u) => {
    if (u.docChanged && state.active) state.editors.set(state.active, u.state);
  }),
  EditorView.lineWrapping,
];

function editorStateFor(p) {
  let es = state.editors.get(p);
  if (!es) {
    const data = state.files.get(p) ?? new Uint8Array(0);
    const binary = !isText(data);
    const doc = binary ? `(binary file, ${data.length} bytes: download it from the file list)` : textOf(p);
    const readOnly = binary ? [EditorState.readOnly.of(true)] : [];
    es = EditorState.create({ doc, extensions: [...extensions(p), ...readOnly] });
    if (!binary) state.editors.set(p, es);
  }
  return es;
}

function openFile(p) {
  if (state.active && state.editors.has(state.active)) state.editors.set(state.active, view.state);
  if (!state.open.includes(p)) state.open.push(p);
  state.active = p;
  view.setState(editorStateFor(p));
  renderTabs();
  renderFiles();
}

function closeTab(p) {
  if (state.active && state.editors.has(state.active)) state.editors.set(state.active, view.state);
  state.open = state.open.filter((x) => x !== p);
  if (state.active === p) {
    state.active = state.open[state.open.length - 1] ?? null;
    view.setState(state.active ? editorStateFor(state.active) : EditorState.create({ doc: '' }));
  }
  renderTabs();
  renderFiles();
}

// ---------------------------------------------------------------- files and tabs
function renderTabs() {
  const tabs = $('tabs');
  tabs.replaceChildren();
  for (const p of state.open) {
    const tab = document.createElement('div');
    tab.className = `tab${p === state.active ? ' active' : ''}`;
    tab.setAttribute('role', 'tab');
    tab.setAttribute('aria-selected', String(p === state.active));
    const name = document.createElement('button');
    name.textContent = rel(p);
    name.onclick = () => openFile(p);
    const close = document.createElement('button');
    close.className = 'close';
    close.textContent = '×';
    close.title = `Close ${rel(p)}`;
    close.onclick = () => closeTab(p);
    tab.append(name, close);
    tabs.append(tab);
  }
}

function download(p) {
  syncEditorsToFiles();
  const blob = new Blob([state.files.get(p)], { type: 'application/octet-stream' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = p.split('/').pop();
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

function renderFiles() {
  const list = $('file-list');
  list.replaceChildren();
  const paths = [...state.files.keys()].filter((p) => p.startsWith(APP) || p.startsWith('/tmp/')).sort();
  for (const p of paths) {
    const li = document.createElement('li');
    if (p === state.active) li.className = 'active';
    const name = document.createElement('button');
    name.className = 'name';
    name.textContent = rel(p);
    name.title = `${p} (${state.files.get(p).length} bytes)`;
    name.onclick = () => openFile(p);
    if (p === state.entry) {
      const mark = document.createElement('span');
      mark.className = 'entry-mark';
      mark.textContent = '▶';
      mark.title = 'Run starts this file';
      li.append(mark);
    }
    const dl = document.createElement('button');
    dl.className = 'dl';
    dl.textContent = '⤓';
    dl.title = `Download ${rel(p)}`;
    dl.onclick = () => download(p);
    li.append(name, dl);
    list.append(li);
  }
  const entry = $('entry');
  const js = paths.filter((p) => /\.(m?js|cjs)$/.test(p));
  entry.replaceChildren(...js.map((p) => new Option(`node ${rel(p)}`, p, false, p === state.entry)));
}

function setFiles(files, entry, exampleId = null) {
  if (hub.running) hub.stop(false);
  state.files = new Map(files);
  state.editors.clear();
  state.open = [];
  state.active = null;
  state.exampleId = exampleId;
  state.entry = entry && state.files.has(entry) ? entry : [...state.files.keys()].find((p) => /\.(m?js|cjs)$/.test(p));
  const jsFiles = [...state.files.keys()].filter((p) => /\.(m?js|cjs)$/.test(p));
  // The entry first, then the other program files, as tabs.
  for (const p of [state.entry, ...jsFiles.filter((p) => p !== state.entry)]) if (p) openFile(p);
  if (state.entry) openFile(state.entry);
  if (state.open.length === 0) view.setState(EditorState.create({ doc: '' }));
  renderFiles();
  renderTabs();
}

function exampleFiles(ex) {
  const files = new Map();
  for (const [name, text] of Object.entries(ex.files)) files.set(APP + name, encoder.encode(text));
  for (const [name, b64] of Object.entries(ex.binary ?? {})) {
    files.set(
      APP + name,
      Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)),
    );
  }
  return files;
}

function loadExample(id) {
  const ex = examples.find((e) => e.id === id);
  if (!ex) throw new Error(`no example ${id}`);
  $('examples').value = id;
  setFiles(exampleFiles(ex), APP + ex.entry, id);
  clearConsole();
  history.replaceState(null, '', `#example=${encodeURIComponent(id)}`);
}

function renderExamples() {
  const select = $('examples');
  const groups = new Map();
  for (const ex of examples) {
    if (!groups.has(ex.article)) groups.set(ex.article, []);
    groups.get(ex.article).push(ex);
  }
  select.replaceChildren(new Option('Examples…', ''));
  for (const [article, list] of groups) {
    const g = document.createElement('optgroup');
    g.label = article;
    for (const ex of list) {
      const names = Object.keys(ex.files).filter((n) => /\.(m?js|cjs)$/.test(n));
      g.append(new Option(names.length > 1 ? `${ex.title} — ${names.join(' + ')}` : ex.title, ex.id));
    }
    select.append(g);
  }
  select.onchange = () => select.value && loadExample(select.value);
}

// ---------------------------------------------------------------- console
const consoleEl = $('console');

// Output is batched per frame: a program printing in a tight loop must not
// cost one DOM update per line.
let pendingOut = [];
let flushScheduled = false;
const MAX_CONSOLE_CHARS = 2 * 1024 * 1024;

function flushConsole() {
  flushScheduled = false;
  const batch = pendingOut;
  pendingOut = [];
  for (const [text, cls] of batch) {
    const last = consoleEl.lastChild;
    if (last && last.className === cls && last.nodeName === 'SPAN' && last.textContent.length < 65536) {
      last.textContent += text;
    } else {
      const span = document.createElement('span');
      span.className = cls;
      span.textContent = text;
      consoleEl.append(span);
    }
  }
  let total = consoleEl.textContent.length;
  while (total > MAX_CONSOLE_CHARS && consoleEl.firstChild) {
    total -= consoleEl.firstChild.textContent.length;
    consoleEl.firstChild.remove();
  }
  consoleEl.scrollTop = consoleEl.scrollHeight;
}

function append(text, cls) {
  const last = pendingOut[pendingOut.length - 1];
  if (last && last[1] === cls) last[0] += text;
  else pendingOut.push([text, cls]);
  if (!flushScheduled) {
    flushScheduled = true;
    requestAnimationFrame(flushConsole);
  }
}

function clearConsole() {
  pendingOut = [];
  consoleEl.replaceChildren();
  state.stdout = '';
  state.stderr = '';
  state.text = '';
  state.exits = [];
  state.lastExit = null;
}

const MAX_CAPTURE = 4 * 1024 * 1024;
const keepTail = (s) => (s.length > 2 * MAX_CAPTURE ? s.slice(-MAX_CAPTURE) : s);
function onOutput(pid, fd, text) {
  if (fd === 2) state.stderr = keepTail(state.stderr + text);
  else state.stdout = keepTail(state.stdout + text);
  state.text = keepTail(state.text + text);
  append(text, fd === 2 ? 'err' : 'out');
}

function onExit(pid, code, signal, isMain, kind) {
  state.exits.push({ pid, code, signal, isMain, kind });
  if (!isMain) return;
  state.lastExit = { pid, code, signal, run: state.runs };
  const how = signal ? `stopped (${signal})` : `exited with code ${code}`;
  append(`\n[process ${pid} ${how}]\n`, 'meta');
  renderRunning();
}

function onFs(op, p, data) {
  if (op === 'write') {
    state.files.set(p, data);
    // A program's write replaces what an editor holds for that file.
    if (state.editors.has(p)) {
      state.editors.delete(p);
      if (state.active === p) view.setState(editorStateFor(p));
    }
  } else if (op === 'unlink') {
    state.files.delete(p);
    state.editors.delete(p);
    if (state.open.includes(p)) closeTab(p);
  }
  renderFiles();
}

// ---------------------------------------------------------------- running
// The companion's access token: the printed URL carries it in its fragment (`#token=…`), which
// the browser never sends to any server. It is kept for this tab (sessionStorage is per origin,
// port included), taken out of the address bar, and sent by the page itself: as a header here,
// and to each process's worker in its script URL's fragment (web/runtime/companion.js reads it).
function takeCompanionToken() {
  const params = new URLSearchParams(location.hash.slice(1));
  const fromUrl = params.get('token');
  if (fromUrl !== null) {
    params.delete('token');
    const rest = params.toString();
    history.replaceState(null, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
    try {
      sessionStorage.setItem('ferrode-token', fromUrl);
    } catch {
      // Storage may be off: the token then lasts as long as this page.
    }
    return fromUrl;
  }
  try {
    return sessionStorage.getItem('ferrode-token');
  } catch {
    return null;
  }
}
const companionToken = takeCompanionToken();
const runtimeUrl = new URL('./runtime.js', import.meta.url);
if (companionToken) runtimeUrl.hash = `token=${encodeURIComponent(companionToken)}`;

const hub = new Hub({
  runtimeUrl: runtimeUrl.href,
  nodeVersion,
  onOutput,
  onExit,
  onFs,
  onChange: () => renderRunning(),
});

// The companion serves this page when /api/info answers (the token came with the printed URL).
let companionDenied = false;
async function detectCompanion() {
  try {
    const res = await fetch('/api/info', {
      headers: companionToken ? { 'x-ferrode-token': companionToken } : {},
      signal: AbortSignal.timeout(3000),
    });
    // The companion is there but this page came without its token.
    companionDenied = res.status === 401;
    if (!res.ok) return null;
    const info = await res.json();
    return info && info.protocol === 1 ? info : null;
  } catch {
    return null;
  }
}
const companionInfo = await detectCompanion();
hub.companion = companionInfo !== null;

function run() {
  if (state.active && state.editors.has(state.active)) state.editors.set(state.active, view.state);
  syncEditorsToFiles();
  state.entry = $('entry').value || state.entry;
  if (!state.entry) return;
  clearConsole();
  state.runs++;
  append(`$ node ${rel(state.entry)}\n`, 'meta');
  hub.run(state.files, state.entry);
  renderRunning();
}

function stop() {
  hub.stop(true);
  renderRunning();
}

function renderRunning() {
  $('run').disabled = false;
  $('stop').disabled = !hub.running;
  document.body.classList.toggle('running', hub.running);
}

// ---------------------------------------------------------------- share links
function b64url(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function unb64url(s) {
  const b = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(b, (c) => c.charCodeAt(0));
}

async function pipeThrough(bytes, stream) {
  const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

async function shareLink() {
  syncEditorsToFiles();
  const files = {};
  for (const [p, data] of state.files) if (p.startsWith(APP)) files[rel(p)] = b64url(data);
  const json = encoder.encode(JSON.stringify({ v: 1, entry: rel(state.entry ?? ''), files }));
  const packed = await pipeThrough(json, new CompressionStream('deflate-raw'));
  return `${location.origin}${location.pathname}${location.search}#code=${b64url(packed)}`;
}

async function loadShared(code) {
  const json = await pipeThrough(unb64url(code), new DecompressionStream('deflate-raw'));
  const data = JSON.parse(new TextDecoder().decode(json));
  const files = new Map();
  for (const [name, b64] of Object.entries(data.files ?? {})) {
    if (typeof name !== 'string' || name.includes('..')) continue;
    files.set(APP + name, unb64url(b64));
  }
  setFiles(files, APP + data.entry);
}

// ---------------------------------------------------------------- status bar
function formatBytes(n) {
  if (n === null || n === undefined) return 'n/a';
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${Math.round(n / 1024)} KiB`;
}

const status = { build: 'loading…', companion: false };

async function loadStatus() {
  if (companionInfo) {
    $('st-companion').textContent =
      `companion: connected (ferrode-server ${companionInfo.version ?? ''}` +
      `${companionInfo.exec ? '' : ', child processes off'})`;
    $('st-companion').className = 'ok';
  } else if (companionDenied) {
    $('st-companion').textContent =
      'companion: this page has no access token — open the URL (with #token=…) that ferrode-server printed';
    $('st-companion').className = 'warn';
  } else {
    $('st-companion').textContent =
      'companion: not connected — http, https, net and child_process.spawn/exec need it: run ./scripts/run.sh';
    $('st-companion').className = 'warn';
  }
  try {
    const { threads } = await import('ferrode');
    status.build = threads.threaded
      ? `threaded build, pool of ${threads.poolSize}`
      : `single-threaded build (${threads.reason})`;
    globalThis.__ferrodeStatus = { ...threads, crossOriginIsolated: globalThis.crossOriginIsolated === true };
  } catch (err) {
    status.build = `ferrode failed to load: ${err.message}`;
    globalThis.__ferrodeStatus = { error: String(err && err.stack) };
  }
  $('st-build').textContent = status.build;
}

let pageWasm = null;
async function pageWasmMemory() {
  try {
    pageWasm ??= (await import('#wasm')).wasm;
    // Already initialised: this returns the module's exports (the threaded
    // build imports its shared memory, which it does not export).
    const exports = await pageWasm.default();
    return exports?.memory?.buffer?.byteLength ?? null;
  } catch {
    return null;
  }
}

async function updateMemory() {
  const page = performance.memory?.usedJSHeapSize;
  let text = `page JS heap ${formatBytes(page)}`;
  const wasmBytes = await pageWasmMemory();
  if (wasmBytes !== null) text += ` · page wasm memory ${formatBytes(wasmBytes)}`;
  const s = await hub.stats();
  if (s) {
    text += ` · program JS heap ${formatBytes(s.memory?.heapUsed || null)}`;
    if (s.ferrode) {
      const build = s.ferrode.threaded ? 'threaded' : 'single-threaded';
      text += ` · program wasm memory ${formatBytes(s.ferrode.memory)} (${build})`;
    }
  }
  $('st-memory').textContent = text;
}

// ---------------------------------------------------------------- wiring
$('run').onclick = run;
$('stop').onclick = stop;
$('clear').onclick = clearConsole;
$('entry').onchange = () => {
  state.entry = $('entry').value;
  renderFiles();
};
$('stdin-form').onsubmit = (e) => {
  e.preventDefault();
  const input = $('stdin');
  hub.stdin(`${input.value}\n`);
  append(`${input.value}\n`, 'in');
  input.value = '';
};
$('eof').onclick = () => hub.stdin(null);
$('new-file').onclick = () => {
  const name = prompt('File name (in /app):', 'new.js');
  if (!name || name.includes('..')) return;
  const p = APP + name.replace(/^\/+/, '');
  if (!state.files.has(p)) state.files.set(p, new Uint8Array(0));
  openFile(p);
};
$('share').onclick = async () => {
  const link = await shareLink();
  history.replaceState(null, '', link);
  $('share-link').value = link;
  $('share-box').hidden = false;
  $('share-link').select();
  try {
    await navigator.clipboard.writeText(link);
    $('share-note').textContent = 'Copied to the clipboard.';
  } catch {
    $('share-note').textContent = 'Copy this link:';
  }
};
$('share-close').onclick = () => ($('share-box').hidden = true);
document.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
    e.preventDefault();
    run();
  }
});

renderExamples();
const hash = new URLSearchParams(location.hash.slice(1));
if (hash.get('code')) {
  try {
    await loadShared(hash.get('code'));
  } catch (err) {
    append(`Could not read the shared link: ${err.message}\n`, 'err');
    loadExample(examples[1]?.id ?? examples[0].id);
  }
} else if (hash.get('example') && examples.some((e) => e.id === hash.get('example'))) {
  loadExample(hash.get('example'));
} else {
  const hello = "console.log('Hello from ferrode!', { node: process.version });\n";
  setFiles(new Map([[`${APP}main.js`, encoder.encode(hello)]]), `${APP}main.js`);
}
renderRunning();
loadStatus();
updateMemory();
setInterval(updateMemory, 2000);

/** What tests (and curious users in the devtools) drive the page with. */
globalThis.__playground = {
  examples,
  nodeVersion,
  load: loadExample,
  setFiles: (files, entry) =>
    setFiles(new Map(Object.entries(files).map(([n, t]) => [APP + n, encoder.encode(t)])), APP + entry),
  run,
  stop,
  stdin: (text) => hub.stdin(text),
  shareLink,
  companion: companionInfo,
  /** Web Workers the page started and has not terminated. */
  liveWorkers: () => hub.liveWorkers,
  get running() {
    return hub.running;
  },
  output: () => ({
    stdout: state.stdout,
    stderr: state.stderr,
    text: state.text,
    exits: state.exits,
    lastExit: state.lastExit,
    runs: state.runs,
  }),
  files: () =>
    Object.fromEntries([...state.files].map(([p, d]) => [p, isText(d) ? new TextDecoder().decode(d) : null])),
};
