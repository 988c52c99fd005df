// index.js: the entry of the `protopython` package. Re-exports the in-process
// engine (engine.js) and implements loadProtoPythonWorker / ProtoPythonWorker, the
// page-side client of an engine hosted in a module Web Worker (worker.js).

import { decodeValue, encodeValue, decodeError } from './engine.js';

export { loadProtoPython, ProtoPython, PythonError, PyObjectRef } from './engine.js';

const CREATE = Symbol('create');
const READY = Symbol('ready');

/** The engine in a module Web Worker: every call is asynchronous, the page never blocks. */
export class ProtoPythonWorker {
  #worker;
  #options;
  #nextId = 1;
  #pending = new Map(); // request id -> {resolve, reject}
  #runId = 0; // id of the run or runAsync in progress, 0 when none
  #interruptFlag = null;
  #terminated = false;

  constructor(token, options = {}) {
    if (token !== CREATE) throw new TypeError('use loadProtoPythonWorker() to create a ProtoPythonWorker');
    this.#options = options;
    const workerURL = options.workerURL ?? new URL('./worker.js', import.meta.url);
    this.#worker = new Worker(workerURL, { type: 'module' });
    this.#worker.onmessage = (event) => this.#receive(event.data);
    this.#worker.onerror = (event) => {
      event?.preventDefault?.();
      this.#failAll(new Error(`protopython worker failed: ${event?.message ?? 'unknown error'}`));
    };
    this.#worker.onmessageerror = () => this.#failAll(new Error('protopython worker: a message could not be read'));
    if (typeof SharedArrayBuffer === 'function') {
      this.#interruptFlag = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    }
    const call = (method, ...args) => this.#request({ type: 'call', method, args });
    const globals = Object.freeze({
      get: (name) => call('globals.get', String(name)),
      set: async (name, value) => { await call('globals.set', String(name), encodeValue(value)); },
      delete: (name) => call('globals.delete', String(name)),
      keys: () => call('globals.keys'),
      has: (name) => call('globals.has', String(name)),
    });
    Object.defineProperty(this, 'globals', { value: globals, enumerable: true });
    this[READY] = this.#load();
  }

  /** Runs `code` synchronously inside the worker; interruptible through the shared flag. */
  run(code) {
    return this.#startRun('run', code);
  }

  /** Runs `code` in slices inside the worker (time.sleep does not block it). */
  runAsync(code) {
    return this.#startRun('runAsync', code);
  }

  /** KeyboardInterrupt in the run in progress; no-op when none. */
  interrupt() {
    const runId = this.#runId;
    if (runId === 0 || this.#terminated) return;
    if (this.#interruptFlag !== null) Atomics.store(this.#interruptFlag, 0, runId);
    this.#worker.postMessage({ type: 'interrupt', runId });
  }

  terminate() {
    if (this.#terminated) return;
    this.#worker.terminate();
    this.#failAll(new Error('ProtoPythonWorker: terminated'));
    this.#terminated = true;
  }

  async #load() {
    const options = this.#options;
    let wasmURL = options.wasmURL;
    if (wasmURL !== undefined && wasmURL !== null) {
      // Relative to the page, not to the worker script.
      wasmURL = new URL(String(wasmURL), globalThis.location?.href ?? import.meta.url).href;
    }
    const info = await this.#request({
      type: 'load',
      options: {
        threads: options.threads,
        argv: Array.isArray(options.argv) ? options.argv.map(String) : undefined,
        wasmURL,
        stdout: typeof options.stdout === 'function',
        stderr: typeof options.stderr === 'function',
        interruptBuffer: this.#interruptFlag,
      },
    });
    Object.defineProperty(this, 'threaded', { value: info.threaded, enumerable: true });
    Object.defineProperty(this, 'version', { value: info.version, enumerable: true });
    Object.defineProperty(this, 'parallelThreads', { value: info.parallelThreads === true, enumerable: true });
    return this;
  }

  async #startRun(method, code) {
    if (this.#runId !== 0) {
      throw new Error(`ProtoPythonWorker: cannot start ${method}() while another run is in progress; `
        + 'await it (or interrupt() it) first');
    }
    this.#runId = this.#nextId++;
    try {
      return await this.#request({ type: 'call', method, args: [String(code), this.#runId] });
    } finally {
      this.#runId = 0;
    }
  }

  #request(message) {
    if (this.#terminated) return Promise.reject(new Error('ProtoPythonWorker: terminated'));
    return new Promise((resolve, reject) => {
      const id = this.#nextId++;
      this.#pending.set(id, { resolve, reject });
      try {
        this.#worker.postMessage({ ...message, id });
      } catch (error) {
        this.#pending.delete(id);
        reject(error); // e.g. a value structured clone cannot copy
      }
    });
  }

  #receive(message) {
    if (message?.type === 'output') {
      for (const [stream, text] of message.chunks) {
        const write = stream === 'stderr' ? this.#options.stderr : this.#options.stdout;
        try {
          write?.(text);
        } catch (error) {
          setTimeout(() => { throw error; });
        }
      }
      return;
    }
    if (message?.type !== 'result') return;
    const request = this.#pending.get(message.id);
    if (request === undefined) return;
    this.#pending.delete(message.id);
    if (message.ok) request.resolve(decodeValue(message));
    else request.reject(decodeError(message.error));
  }

  #failAll(error) {
    const requests = [...this.#pending.values()];
    this.#pending.clear();
    for (const request of requests) request.reject(error);
  }
}

/** Starts a module Web Worker hosting an engine (browsers; Node has no Web Worker). */
export async function loadProtoPythonWorker(options = {}) {
  if (typeof Worker !== 'function') {
    throw new Error('loadProtoPythonWorker needs Web Workers (a browser); in Node use loadProtoPython()');
  }
  const client = new ProtoPythonWorker(CREATE, options);
  try {
    return await client[READY];
  } catch (error) {
    client.terminate();
    throw error;
  } finally {
    delete client[READY];
  }
}
