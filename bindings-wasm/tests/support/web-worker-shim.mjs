// support/web-worker-shim.mjs: a minimal module Web Worker (`new Worker(url, {type: 'module'})`,
// onmessage/onerror, postMessage, terminate; in the worker: self, postMessage,
// addEventListener('message')) over node:worker_threads, so that the package's
// loadProtoPythonWorker and worker.js can be tested in Node. Not a test file itself.

import { Worker as ThreadWorker } from 'node:worker_threads';

// Runs in the worker thread: browser-like globals, then the module; messages that arrive
// before the module has run are held back, as browsers do for module workers.
const BOOTSTRAP = `
const { parentPort, workerData } = require('node:worker_threads');
const listeners = [];
let held = [];
const deliver = (data) => { for (const listener of listeners) listener({ data }); };
globalThis.self = globalThis;
globalThis.postMessage = (data) => parentPort.postMessage(data);
globalThis.addEventListener = (type, listener) => { if (type === 'message') listeners.push(listener); };
parentPort.on('message', (data) => (held ? held.push(data) : deliver(data)));
import(workerData.url).then(() => {
  const pending = held;
  held = null;
  pending.forEach(deliver);
}, (error) => { throw error; });
`;

export class ShimWorker {
  #thread;

  constructor(url, options = {}) {
    if (options.type !== 'module') throw new Error('the shim only runs module workers');
    this.onmessage = null;
    this.onerror = null;
    this.onmessageerror = null;
    this.#thread = new ThreadWorker(BOOTSTRAP, { eval: true, workerData: { url: String(url) } });
    this.#thread.on('message', (data) => this.onmessage?.({ data }));
    this.#thread.on('error', (error) => this.onerror?.({ message: error.message, preventDefault() {} }));
  }

  postMessage(data) {
    this.#thread.postMessage(data);
  }

  terminate() {
    this.#thread.terminate();
  }
}
