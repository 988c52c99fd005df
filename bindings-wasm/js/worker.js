// worker.js: the module Web Worker script behind loadProtoPythonWorker (index.js).
// It hosts one ProtoPython engine and answers the page's requests
// ({type: 'load' | 'call' | 'interrupt', id, ...}) with {type: 'result', id, ok, ...};
// program output goes to the page as coalesced {type: 'output', chunks} messages.
// The interrupt flag is an Int32Array over a SharedArrayBuffer; the page stores the
// id of the run it wants to stop in element 0, which the engine polls.

import { loadProtoPython, encodeValue, decodeValue, encodeError } from './engine.js';

const FLUSH_BYTES = 8 * 1024;
const FLUSH_MS = 30;

let engine = null;
let interruptFlag = null;
let currentRunId = 0;

/** Output chunks [stream, text] not yet sent; consecutive writes to one stream merge. */
const output = {
  chunks: [],
  size: 0,
  lastFlush: 0,
  flushQueued: false,

  write(stream, text) {
    const last = this.chunks[this.chunks.length - 1];
    if (last !== undefined && last[0] === stream) last[1] += text;
    else this.chunks.push([stream, text]);
    this.size += text.length;
    const current = performance.now();
    if (this.size > FLUSH_BYTES || current - this.lastFlush > FLUSH_MS) {
      this.flush();
    } else if (!this.flushQueued) {
      // Runs as soon as the engine hands control back: the end of a runAsync slice.
      this.flushQueued = true;
      queueMicrotask(() => this.flush());
    }
  },

  flush() {
    this.flushQueued = false;
    this.lastFlush = performance.now();
    if (this.chunks.length === 0) return;
    const chunks = this.chunks;
    this.chunks = [];
    this.size = 0;
    self.postMessage({ type: 'output', chunks });
  },
};

function reply(id, value) {
  output.flush();
  const encoded = encodeValue(value);
  self.postMessage({ type: 'result', id, ok: true, value: encoded.value, refs: encoded.refs });
}

function replyError(id, error) {
  output.flush();
  self.postMessage({ type: 'result', id, ok: false, error: encodeError(error) });
}

async function load(options) {
  const loadOptions = { threads: options.threads, argv: options.argv, wasmURL: options.wasmURL };
  if (options.stdout) loadOptions.stdout = (text) => output.write('stdout', text);
  if (options.stderr) loadOptions.stderr = (text) => output.write('stderr', text);
  // The engine blocks this worker while it waits for threads on other workers: send output first.
  loadOptions.beforeWait = () => output.flush();
  engine = await loadProtoPython(loadOptions);
  if (options.interruptBuffer instanceof Int32Array) {
    interruptFlag = options.interruptBuffer;
    engine.setInterruptBuffer(interruptFlag);
  }
  return { threaded: engine.threaded, version: engine.version, parallelThreads: engine.parallelThreads };
}

/** Runs `code` as run `runId`; an interrupt left over from an earlier run is dropped. */
async function runCode(method, code, runId) {
  if (interruptFlag !== null) {
    const pending = Atomics.load(interruptFlag, 0);
    if (pending !== 0 && pending !== runId) Atomics.compareExchange(interruptFlag, 0, pending, 0);
  }
  currentRunId = runId;
  try {
    return method === 'run' ? engine.run(code) : await engine.runAsync(code);
  } finally {
    currentRunId = 0;
    if (interruptFlag !== null) Atomics.compareExchange(interruptFlag, 0, runId, 0);
  }
}

function call(method, args) {
  switch (method) {
    case 'run':
    case 'runAsync':
      return runCode(method, args[0], args[1]);
    case 'globals.get':
      return engine.globals.get(args[0]);
    case 'globals.set':
      return engine.globals.set(args[0], decodeValue(args[1]));
    case 'globals.delete':
      return engine.globals.delete(args[0]);
    case 'globals.keys':
      return engine.globals.keys();
    case 'globals.has':
      return engine.globals.has(args[0]);
    default:
      throw new Error(`protopython worker: unknown method ${method}`);
  }
}

/** Between runAsync slices: the flag, if the engine has not seen it yet, becomes engine.interrupt(). */
function interrupt(runId) {
  if (engine === null || runId !== currentRunId) return;
  if (interruptFlag === null || Atomics.compareExchange(interruptFlag, 0, runId, 0) === runId) {
    engine.interrupt();
  }
}

self.addEventListener('message', async (event) => {
  const message = event.data;
  if (message?.type === 'interrupt') {
    interrupt(message.runId);
    return;
  }
  try {
    let value;
    if (message?.type === 'load') value = await load(message.options);
    else if (engine === null) throw new Error('protopython worker: not loaded');
    else if (message?.type === 'call') value = await call(message.method, message.args);
    else throw new Error(`protopython worker: unknown message ${message?.type}`);
    reply(message.id, value);
  } catch (error) {
    replyError(message?.id, error);
  }
});
