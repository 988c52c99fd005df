// protoPython playground (web/): the page's behaviour. A CodeMirror editor, Run/Stop, streamed output,
// examples, the thread-count control, shareable URLs and the status line. The engine runs in a
// Web Worker (the npm package's loadProtoPythonWorker), so a running program never freezes the page.
// The package is not bundled: build.mjs copies it to dist/protopython/ and marks this import external.
import { EditorView, basicSetup } from 'codemirror';
import { keymap } from '@codemirror/view';
import { Prec } from '@codemirror/state';
import { python } from '@codemirror/lang-python';
import { loadProtoPythonWorker, PythonError } from './protopython/index.js';
import { encodeCodeFragment, decodeCodeFragment } from './share.js';
import helloExample from './examples/hello.py';
import classesExample from './examples/classes.py';
import generatorsExample from './examples/generators.py';
import threadsExample from './examples/threads.py';

const EXAMPLES = {
  hello: { title: 'Hello, world', code: helloExample },
  classes: { title: 'Classes', code: classesExample },
  generators: { title: 'Generators', code: generatorsExample },
  threads: { title: 'Threads: count primes (CPU-bound)', code: threadsExample },
};
const STOP_GRACE_MS = 2000; // after Stop, how long the program gets to end before the worker is replaced
const OUTPUT_LIMIT_CHARS = 2_000_000;

const $ = (id) => document.getElementById(id);
const runButton = $('run');
const stopButton = $('stop');
const examplesSelect = $('examples');
const threadsInput = $('threads');
const shareButton = $('share');
const elapsedLabel = $('elapsed');
const outputPane = $('output');
const statusLine = $('status');

// Timings read by the end-to-end tests (milliseconds since navigation start).
const timings = { loadToReady: null, firstOutput: null, firstRunStart: null };
window.__protopyTimings = timings;

// ---- editor ----------------------------------------------------------------------------------

const editor = new EditorView({
  parent: $('editor'),
  doc: EXAMPLES.hello.code,
  extensions: [
    Prec.highest(keymap.of([{ key: 'Mod-Enter', run: () => (runProgram(), true) }])),
    basicSetup,
    python(),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) syncExamplePicker();
    }),
  ],
});
const getCode = () => editor.state.doc.toString();
function setCode(code) {
  editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: code } });
}
// For tests and the console: read and replace the editor's text without simulated typing.
window.__protopyEditor = { getCode, setCode };

for (const [key, { title }] of Object.entries(EXAMPLES)) {
  examplesSelect.add(new Option(title, key));
}
examplesSelect.add(new Option('(your code)', 'custom'));
// The picker names the example the editor holds, or "(your code)".
function syncExamplePicker() {
  const code = getCode();
  const match = Object.entries(EXAMPLES).find(([, example]) => example.code === code);
  examplesSelect.value = match ? match[0] : 'custom';
}
examplesSelect.addEventListener('change', () => {
  const example = EXAMPLES[examplesSelect.value];
  if (example) setCode(example.code);
});

const cores = Math.max(1, navigator.hardwareConcurrency || 1);
threadsInput.max = String(cores);
threadsInput.value = String(Math.min(cores, 4));
function threadCount() {
  const n = Math.round(Number(threadsInput.value));
  return Number.isFinite(n) ? Math.min(cores, Math.max(1, n)) : 1;
}
threadsInput.addEventListener('change', () => (threadsInput.value = String(threadCount())));

// ---- output pane -----------------------------------------------------------------------------

let pendingOutput = []; // [text, kind] written since the last flush
let flushTimer = null;
let outputChars = 0;

function write(text, kind) {
  if (!text) return;
  if (timings.firstRunStart !== null && timings.firstOutput === null) {
    timings.firstOutput = performance.now();
    showStatus();
  }
  pendingOutput.push([text, kind]);
  flushTimer ??= setTimeout(flushOutput, 16);
}

function flushOutput() {
  clearTimeout(flushTimer);
  flushTimer = null;
  const stickToBottom = outputPane.scrollHeight - outputPane.scrollTop - outputPane.clientHeight < 40;
  for (let [text, kind] of pendingOutput) {
    if (outputChars >= OUTPUT_LIMIT_CHARS) break;
    if (outputChars + text.length > OUTPUT_LIMIT_CHARS) {
      text = text.slice(0, OUTPUT_LIMIT_CHARS - outputChars) + '\n[output truncated]\n';
    }
    outputChars += text.length;
    const last = outputPane.lastElementChild;
    if (last && last.className === kind) {
      last.append(text);
    } else {
      const span = document.createElement('span');
      span.className = kind;
      span.textContent = text;
      outputPane.append(span);
    }
  }
  pendingOutput = [];
  if (stickToBottom) outputPane.scrollTop = outputPane.scrollHeight;
}

function clearOutput() {
  pendingOutput = [];
  outputChars = 0;
  outputPane.replaceChildren();
}
$('clear').addEventListener('click', clearOutput);

const info = (text) => write(text.endsWith('\n') ? text : text + '\n', 'info');

function formatValue(value) {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Map || value instanceof Set || value instanceof Uint8Array) {
    return `${value.constructor.name}(${JSON.stringify([...value], (_, v) => (typeof v === 'bigint' ? v.toString() : v))})`;
  }
  if (value && typeof value === 'object' && !Array.isArray(value) && value.constructor !== Object) {
    return String(value); // PyObjectRef: its repr
  }
  try {
    return JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
  } catch {
    return String(value);
  }
}

// ---- engine ----------------------------------------------------------------------------------

let engine = null; // the ProtoPythonWorker, once loaded
let engineGeneration = 0; // bumps when a worker is replaced: late writes from an old one are dropped
let engineNote = '';
let statusState = 'loading';
let statusError = '';

function showStatus() {
  statusLine.dataset.state = statusState;
  statusLine.dataset.isolated = String(window.crossOriginIsolated === true);
  const parts = [];
  if (statusState === 'error') {
    parts.push(`Engine failed to load: ${statusError}`);
  } else if (!engine) {
    parts.push('Loading the engine…');
  } else {
    statusLine.dataset.threaded = String(engine.threaded === true);
    statusLine.dataset.parallel = String(pythonThreadsRunInParallel());
    const build = engine.threaded
      ? 'threaded build (WebAssembly threads)'
      : `single-threaded build (fallback${window.crossOriginIsolated ? '' : ': page is not cross-origin isolated'})`;
    parts.push(`protoPython ${engine.version ?? '?'}: ${build}`);
    parts.push(pythonThreadsRunInParallel() ? 'Python threads run in parallel' : 'Python threads interleave on one worker');
  }
  parts.push(`crossOriginIsolated: ${window.crossOriginIsolated ? 'yes' : 'no'}`);
  if (timings.loadToReady !== null) parts.push(`ready ${Math.round(timings.loadToReady)} ms after page load`);
  if (timings.firstOutput !== null) parts.push(`first output at ${Math.round(timings.firstOutput)} ms`);
  if (engineNote) parts.push(engineNote);
  if (statusState === 'running') parts.push('running…');
  if (statusState === 'stopping') parts.push('stopping…');
  statusLine.textContent = parts.join(' · ');
}

// Whether Python threads run on several workers at once (the threaded build in this Web Worker).
function pythonThreadsRunInParallel() {
  return Boolean(engine && engine.threaded && engine.parallelThreads === true);
}

function setState(state) {
  statusState = state;
  const busy = state === 'running' || state === 'stopping';
  runButton.disabled = !engine || busy || state === 'loading';
  stopButton.disabled = state !== 'running';
  showStatus();
}

async function startEngine() {
  const generation = ++engineGeneration;
  engine = null;
  setState('loading');
  const stream = (kind) => (text) => {
    if (generation === engineGeneration) write(text, kind);
  };
  const options = { stdout: stream('stdout'), stderr: stream('stderr') };
  let loaded;
  try {
    loaded = await loadProtoPythonWorker({ ...options, threads: true });
  } catch (err) {
    console.warn('protoPython playground: the threaded load failed, trying the single-threaded build:', err);
    try {
      loaded = await loadProtoPythonWorker({ ...options, threads: false });
      engineNote = `threaded load failed (${err?.message ?? err})`;
    } catch (err2) {
      statusError = String(err2?.message ?? err2);
      setState('error');
      return;
    }
  }
  if (generation !== engineGeneration) {
    loaded.terminate();
    return;
  }
  engine = loaded;
  window.__protopyEngine = {
    threaded: engine.threaded === true,
    version: engine.version,
    parallelThreads: pythonThreadsRunInParallel(),
  };
  timings.loadToReady ??= performance.now();
  setState('ready');
}

// ---- run / stop ------------------------------------------------------------------------------

let currentRun = null; // {startedAt, ticker, abandon, killTimer}
let runsFinished = 0;
const abandonedMarker = Symbol('abandoned'); // what a run resolves to once its worker was terminated

async function runProgram() {
  if (!engine || currentRun) return;
  clearOutput();
  const started = performance.now();
  timings.firstRunStart ??= started;
  let abandon;
  const abandoned = new Promise((resolve) => (abandon = resolve));
  const run = { startedAt: started, abandon, killTimer: null };
  run.ticker = setInterval(() => showElapsed(performance.now() - started, true), 100);
  currentRun = run;
  setState('running');
  const thisEngine = engine;
  try {
    await thisEngine.globals.set('N_THREADS', threadCount());
    const result = await Promise.race([thisEngine.runAsync(getCode()), abandoned]);
    if (result === abandonedMarker) return;
    if (result !== null && result !== undefined) info(`→ ${formatValue(result)}`);
  } catch (err) {
    if (err instanceof PythonError || err?.name === 'PythonError') {
      write(err.traceback || err.message, 'error');
    } else {
      write(`Error: ${err?.message ?? err}\n`, 'error');
    }
  } finally {
    clearInterval(run.ticker);
    clearTimeout(run.killTimer);
    showElapsed(performance.now() - started, false);
    flushOutput();
    statusLine.dataset.runs = String(++runsFinished); // lets tests wait for the end of a run
    if (currentRun === run) {
      currentRun = null;
      if (engine === thisEngine) setState('ready');
    }
  }
}

function stopProgram() {
  const run = currentRun;
  if (!run || !engine) return;
  const stoppingEngine = engine;
  stoppingEngine.interrupt();
  setState('stopping');
  run.killTimer = setTimeout(() => {
    if (currentRun !== run) return;
    info(`The program did not stop within ${STOP_GRACE_MS / 1000} s: its worker was terminated; a fresh engine is starting.`);
    run.abandon(abandonedMarker); // first, so the run ends as abandoned, not with the termination error
    stoppingEngine.terminate();
    startEngine();
  }, STOP_GRACE_MS);
}
function showElapsed(ms, running) {
  elapsedLabel.textContent = `${running ? 'running' : 'ran'} ${(ms / 1000).toFixed(running ? 1 : 3)} s`;
}

runButton.addEventListener('click', runProgram);
stopButton.addEventListener('click', stopProgram);

// ---- sharing ---------------------------------------------------------------------------------

shareButton.addEventListener('click', async () => {
  const fragment = await encodeCodeFragment(getCode());
  history.replaceState(null, '', fragment);
  try {
    await navigator.clipboard.writeText(location.href);
    info('Link to this code copied to the clipboard (and put in the address bar).');
  } catch {
    info('Link to this code put in the address bar.');
  }
});

async function loadCodeFromFragment() {
  if (!location.hash) return false;
  const code = await decodeCodeFragment(location.hash);
  if (code === null) return false;
  setCode(code);
  return true;
}
window.addEventListener('hashchange', loadCodeFromFragment);

// ---- start -----------------------------------------------------------------------------------

showStatus();
window.__protopyReady = (async () => {
  await loadCodeFromFragment();
  await startEngine();
})();
