// engine.js: the in-process side of the `protopython` package. It picks and
// initialises a WebAssembly build (single-threaded, or threaded where the page
// allows it), and wraps the wasm `Interpreter` in the ProtoPython class: run,
// sliced runAsync, interrupts and globals. Also PythonError, PyObjectRef and
// the plain-data encodings that worker.js and index.js use to send them between
// threads (structured clone drops classes).

const isNode = typeof globalThis.process?.versions?.node === 'string';

/** An uncaught Python exception. `message` is the full traceback text. */
export class PythonError extends Error {
  constructor(type, traceback) {
    super(traceback);
    this.name = 'PythonError';
    this.type = type;
    this.traceback = traceback;
  }
}

/** A Python value with no JS equivalent (a class instance, a function...). */
export class PyObjectRef {
  constructor(type, repr) {
    this.type = type;
    this.repr = repr;
    Object.freeze(this);
  }

  toString() {
    return this.repr;
  }
}

/** The engine throws plain objects for Python exceptions; make them PythonErrors. */
function fromEngineError(error) {
  if (error !== null && typeof error === 'object' && error.pythonError === true) {
    const type = String(error.type);
    const traceback = String(error.traceback ?? `${type}: ${error.message ?? ''}\n`);
    return new PythonError(type, traceback);
  }
  return error;
}

// ---------------------------------------------------------------- loading

/** One initialisation per build: the wasm-bindgen glue keeps a single instance. */
const initialisedBuilds = new Map();

function packageURL(path) {
  return new URL(path, import.meta.url);
}

function resolveWasmURL(build, wasmURL) {
  if (wasmURL === undefined || wasmURL === null) {
    return packageURL(`./dist/${build}/protopython_wasm_bg.wasm`);
  }
  const base = globalThis.location?.href ?? import.meta.url;
  return new URL(String(wasmURL), base);
}

async function readFileURL(url) {
  const { readFile } = await import('node:fs/promises');
  return readFile(url);
}

async function initialiseBuild(build, options) {
  const glue = await import(packageURL(`./dist/${build}/protopython_wasm.js`).href);
  const wasmURL = resolveWasmURL(build, options.wasmURL);
  // fetch() cannot read file: URLs (Node), so hand the glue the bytes instead.
  const moduleOrPath = wasmURL.protocol === 'file:' ? await readFileURL(wasmURL) : wasmURL;
  await glue.default({ module_or_path: moduleOrPath });
  if (build === 'mt' && typeof glue.initThreadPool === 'function') {
    const threads = typeof options.threads === 'number' && options.threads > 0
      ? options.threads
      : (globalThis.navigator?.hardwareConcurrency ?? 4);
    await glue.initThreadPool(threads);
    // Interpreters made from now on run Python threads on the pool's workers.
    if (typeof glue.setWorkerThreads === 'function') glue.setWorkerThreads(threads);
  }
  return glue;
}

function loadBuild(build, options) {
  let loading = initialisedBuilds.get(build);
  if (loading === undefined) {
    loading = initialiseBuild(build, options);
    initialisedBuilds.set(build, loading);
    loading.catch(() => initialisedBuilds.delete(build));
  }
  return loading;
}

function threadedBuildUsable(options) {
  return Boolean(options.threads)
    && !isNode
    && globalThis.crossOriginIsolated === true
    && typeof SharedArrayBuffer === 'function';
}

async function threadedBuildPresent() {
  try {
    const response = await fetch(packageURL('./dist/mt/protopython_wasm_bg.wasm'), { method: 'HEAD' });
    return response.ok;
  } catch {
    return false;
  }
}

const CREATE = Symbol('create');

/**
 * Loads the engine into this thread (Node 20, a Web Worker or a page).
 * The threaded build is used only when asked for, cross-origin isolated, with
 * SharedArrayBuffer and dist/mt present; otherwise the single-threaded one.
 */
export async function loadProtoPython(options = {}) {
  let build = 'st';
  let glue;
  if (threadedBuildUsable(options) && await threadedBuildPresent()) {
    try {
      glue = await loadBuild('mt', options);
      build = 'mt';
    } catch {
      glue = undefined; // fall back to the single-threaded build
    }
  }
  if (glue === undefined) glue = await loadBuild('st', options);
  return new ProtoPython(CREATE, glue, build === 'mt', options);
}

// ---------------------------------------------------------------- slicing

/** Wall time one runAsync slice aims for, and the first slice's dispatch count. */
const TARGET_SLICE_MS = 10;
const FIRST_SLICE_DISPATCHES = 200;
const MAX_SLICE_DISPATCHES = 1_000_000;
/** setTimeout fires at once for longer delays; a longer sleep just takes another round. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function nextSliceDispatches(dispatches, elapsedMs) {
  const factor = elapsedMs <= 0 ? 2 : Math.min(2, Math.max(0.25, TARGET_SLICE_MS / elapsedMs));
  return Math.min(MAX_SLICE_DISPATCHES, Math.max(1, Math.round(dispatches * factor)));
}

function channelYield() {
  const waiting = [];
  const channel = new MessageChannel();
  channel.port1.onmessage = () => waiting.shift()?.();
  return () => new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}

/** Lets timers, I/O and messages run; faster than setTimeout(0), which browsers clamp. */
let yieldToEventLoop;
if (typeof setImmediate === 'function') {
  yieldToEventLoop = () => new Promise((resolve) => setImmediate(resolve));
} else if (typeof MessageChannel === 'function') {
  yieldToEventLoop = channelYield();
} else {
  yieldToEventLoop = () => new Promise((resolve) => setTimeout(resolve, 0));
}

const now = () => globalThis.performance?.now() ?? Date.now();

// ---------------------------------------------------------------- engine

export class ProtoPython {
  #interpreter;
  #activeRun = null; // 'run' | 'runAsync' | null
  #wakeSleeper = null;
  #sliceDispatches = FIRST_SLICE_DISPATCHES;
  #destroyed = false;

  constructor(token, glue, threaded, options = {}) {
    if (token !== CREATE) throw new TypeError('use loadProtoPython() to create a ProtoPython');
    const interpreterOptions = {
      objectRef: (type, repr) => new PyObjectRef(type, repr),
    };
    if (typeof options.stdout === 'function') interpreterOptions.stdout = options.stdout;
    if (typeof options.stderr === 'function') interpreterOptions.stderr = options.stderr;
    if (typeof options.beforeWait === 'function') interpreterOptions.beforeWait = options.beforeWait;
    if (Array.isArray(options.argv)) interpreterOptions.argv = options.argv.map(String);
    this.#interpreter = this.#call(() => new glue.Interpreter(interpreterOptions));
    Object.defineProperty(this, 'threaded', { value: threaded, enumerable: true });
    Object.defineProperty(this, 'version', { value: String(glue.version()), enumerable: true });
    const parallel = typeof glue.parallelThreads === 'function' && glue.parallelThreads() === true;
    Object.defineProperty(this, 'parallelThreads', { value: parallel, enumerable: true });
    const globals = {
      get: (name) => this.#call(() => this.#live().getGlobal(String(name))),
      set: (name, value) => { this.#call(() => this.#live().setGlobal(String(name), value)); },
      delete: (name) => this.#call(() => this.#live().deleteGlobal(String(name))),
      keys: () => this.#call(() => this.#live().globalNames()),
      has: (name) => globals.keys().includes(String(name)),
    };
    Object.defineProperty(this, 'globals', { value: Object.freeze(globals), enumerable: true });
  }

  /** Runs `code` to the end in __main__; the value of its last expression, else null. */
  run(code) {
    this.#begin('run');
    try {
      return this.#call(() => this.#interpreter.run(String(code)));
    } finally {
      this.#activeRun = null;
    }
  }

  /**
   * Runs `code` in slices of about TARGET_SLICE_MS, giving the event loop a turn
   * between them; time.sleep waits on a timer instead of blocking.
   */
  async runAsync(code) {
    this.#begin('runAsync');
    try {
      const interpreter = this.#interpreter;
      this.#call(() => interpreter.start(String(code)));
      for (;;) {
        const started = now();
        const step = this.#call(() => interpreter.resume(this.#sliceDispatches));
        if (step.done) return step.value === undefined ? null : step.value;
        const sleepSeconds = Number(step.sleep) || 0;
        if (sleepSeconds > 0) {
          await this.#sleep(sleepSeconds * 1000);
        } else {
          this.#sliceDispatches = nextSliceDispatches(this.#sliceDispatches, now() - started);
          await yieldToEventLoop();
        }
        this.#live();
      }
    } finally {
      this.#activeRun = null;
      this.#wakeSleeper = null;
    }
  }

  /** Raises KeyboardInterrupt in the running code at its next safepoint; no-op when idle. */
  interrupt() {
    if (this.#activeRun === null || this.#destroyed) return;
    this.#interpreter.interrupt();
    this.#wakeSleeper?.();
  }

  /** Element 0 of `buffer` set nonzero (by any thread) interrupts the running code. */
  setInterruptBuffer(buffer) {
    if (!(buffer instanceof Int32Array)) throw new TypeError('setInterruptBuffer expects an Int32Array');
    this.#call(() => this.#live().setInterruptBuffer(buffer));
  }

  destroy() {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#wakeSleeper?.();
    this.#interpreter.free();
  }

  #begin(kind) {
    this.#live();
    if (this.#activeRun !== null) {
      throw new Error(`ProtoPython: cannot start ${kind}() while a ${this.#activeRun}() is in progress; `
        + 'await it (or interrupt() it) first');
    }
    this.#activeRun = kind;
  }

  #live() {
    if (this.#destroyed) throw new Error('ProtoPython: this engine was destroyed');
    return this.#interpreter;
  }

  #call(action) {
    try {
      return action();
    } catch (error) {
      throw fromEngineError(error);
    }
  }

  /** Waits `ms` (what time.sleep asked for), or less when interrupt() or destroy() comes first. */
  #sleep(ms) {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        if (this.#wakeSleeper === wake) this.#wakeSleeper = null;
        resolve();
      };
      const timer = setTimeout(wake, Math.min(ms, MAX_TIMER_MS));
      this.#wakeSleeper = wake;
    });
  }
}

// ------------------------------------------- plain-data forms for postMessage

const REF_TAG = '__protopython_object_ref__';

/** Whether `value` contains a PyObjectRef (so the cheap path skips the copy). */
function containsRef(value, isRef) {
  if (value === null || typeof value !== 'object') return false;
  if (isRef(value)) return true;
  if (Array.isArray(value)) return value.some((item) => containsRef(item, isRef));
  if (value instanceof Map) {
    for (const [key, item] of value) if (containsRef(key, isRef) || containsRef(item, isRef)) return true;
    return false;
  }
  if (value instanceof Set) {
    for (const item of value) if (containsRef(item, isRef)) return true;
    return false;
  }
  if (ArrayBuffer.isView(value)) return false;
  return Object.values(value).some((item) => containsRef(item, isRef));
}

/** A copy of `value` with every node matching `isRef` replaced by `replace(node)`. */
function mapRefs(value, isRef, replace) {
  if (value === null || typeof value !== 'object') return value;
  if (isRef(value)) return replace(value);
  if (Array.isArray(value)) return value.map((item) => mapRefs(item, isRef, replace));
  if (value instanceof Map) {
    const copy = new Map();
    for (const [key, item] of value) copy.set(mapRefs(key, isRef, replace), mapRefs(item, isRef, replace));
    return copy;
  }
  if (value instanceof Set) {
    const copy = new Set();
    for (const item of value) copy.add(mapRefs(item, isRef, replace));
    return copy;
  }
  if (ArrayBuffer.isView(value)) return value;
  const copy = {};
  for (const [key, item] of Object.entries(value)) copy[key] = mapRefs(item, isRef, replace);
  return copy;
}

const isObjectRef = (value) => value instanceof PyObjectRef;
const isEncodedRef = (value) => value[REF_TAG] === true && !(value instanceof Map) && !Array.isArray(value);

/** For postMessage: PyObjectRefs become tagged plain objects. */
export function encodeValue(value) {
  if (!containsRef(value, isObjectRef)) return { value, refs: false };
  return { value: mapRefs(value, isObjectRef, (ref) => ({ [REF_TAG]: true, type: ref.type, repr: ref.repr })), refs: true };
}

export function decodeValue({ value, refs }) {
  if (!refs) return value;
  return mapRefs(value, isEncodedRef, (tagged) => new PyObjectRef(tagged.type, tagged.repr));
}

export function encodeError(error) {
  if (error instanceof PythonError) return { python: true, type: error.type, traceback: error.traceback };
  return { python: false, name: error?.name ?? 'Error', message: String(error?.message ?? error) };
}

export function decodeError(encoded) {
  if (encoded.python) return new PythonError(encoded.type, encoded.traceback);
  const error = new Error(encoded.message);
  if (encoded.name && encoded.name !== 'Error') error.name = encoded.name;
  return error;
}
