// index.d.ts: TypeScript types of the `protopython` package (index.js, engine.js).

/**
 * A value crossing between Python and JS. Python -> JS: None -> null, bool -> boolean,
 * int -> number (|n| <= 2**53 - 1) or bigint, float -> number, str -> string,
 * bytes/bytearray -> Uint8Array, list/tuple -> Array, dict -> plain object (all keys str)
 * or Map, set/frozenset -> Set, anything else -> PyObjectRef.
 */
export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PyValue[]
  | Map<PyValue, PyValue>
  | Set<PyValue>
  | PyObjectRef
  | { [key: string]: PyValue };

/** A JS value that converts to Python (undefined -> None, Array -> list, Map -> dict, ...). */
export type JsValue =
  | undefined
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | JsValue[]
  | Map<JsValue, JsValue>
  | Set<JsValue>
  | { [key: string]: JsValue };

export interface LoadOptions {
  /** Ask for the threaded build; used only when crossOriginIsolated, SharedArrayBuffer
   * exists and dist/mt is present (never in Node). A number sets the thread count. */
  threads?: boolean | number;
  /** Called with each write the program makes to sys.stdout. Default: discarded. */
  stdout?: (text: string) => void;
  /** Called with each write the program makes to sys.stderr. Default: discarded. */
  stderr?: (text: string) => void;
  /** Called when the engine's thread is about to block (time.sleep, or waiting for Python
   * threads on other workers) after output was written: deliver batched output now, since
   * the event loop gets no turn while it waits. */
  beforeWait?: () => void;
  /** sys.argv of the program. */
  argv?: string[];
  /** Where the .wasm of the loaded build is fetched from (default: next to the package). */
  wasmURL?: string | URL;
}

export interface WorkerLoadOptions extends LoadOptions {
  /** The worker script (default: worker.js of this package). */
  workerURL?: string | URL;
}

export interface Globals {
  /** The value bound to `name` in __main__, or undefined when unbound. */
  get(name: string): PyValue | undefined;
  /** Binds `name` in __main__; throws PythonError (TypeError) when `value` does not convert. */
  set(name: string, value: JsValue): void;
  /** Unbinds `name`; false when it was not bound. */
  delete(name: string): boolean;
  keys(): string[];
  has(name: string): boolean;
}

export interface WorkerGlobals {
  get(name: string): Promise<PyValue | undefined>;
  set(name: string, value: JsValue): Promise<void>;
  delete(name: string): Promise<boolean>;
  keys(): Promise<string[]>;
  has(name: string): Promise<boolean>;
}

/** Loads the engine into this thread (Node 20, a Web Worker or a page). */
export function loadProtoPython(options?: LoadOptions): Promise<ProtoPython>;

/** The engine in this thread. Create it with loadProtoPython(). */
export class ProtoPython {
  private constructor();
  /** Whether the threaded build was loaded. */
  readonly threaded: boolean;
  /** The engine version, e.g. "0.1.0". */
  readonly version: string;
  /** Whether Python threads run in parallel: the threaded build, loaded in a Web Worker
   * (a page's main thread may not block, so there they interleave on one worker). */
  readonly parallelThreads: boolean;
  /** The __main__ namespace (persists between runs). */
  readonly globals: Globals;
  /** Runs `code` synchronously; the value of its last expression (null if none). Throws PythonError. */
  run(code: string): PyValue;
  /** Runs `code` in slices, yielding to the event loop between them; rejects with PythonError. */
  runAsync(code: string): Promise<PyValue>;
  /** KeyboardInterrupt in the running code (runAsync) at its next safepoint. */
  interrupt(): void;
  /** Element 0 set nonzero by any thread interrupts the running code (use a SharedArrayBuffer). */
  setInterruptBuffer(buffer: Int32Array): void;
  /** Frees the engine; later calls throw. */
  destroy(): void;
}

/** Starts a module Web Worker hosting an engine (browsers). */
export function loadProtoPythonWorker(options?: WorkerLoadOptions): Promise<ProtoPythonWorker>;

/** An engine in a module Web Worker: same surface as ProtoPython, every call asynchronous. */
export class ProtoPythonWorker {
  private constructor();
  readonly threaded: boolean;
  readonly version: string;
  readonly parallelThreads: boolean;
  readonly globals: WorkerGlobals;
  /** Runs `code` synchronously inside the worker. */
  run(code: string): Promise<PyValue>;
  /** Runs `code` in slices inside the worker. */
  runAsync(code: string): Promise<PyValue>;
  /** KeyboardInterrupt in the run in progress (shared flag when SharedArrayBuffer exists, and a message). */
  interrupt(): void;
  /** Stops the worker; pending calls reject. */
  terminate(): void;
}

/** An uncaught Python exception; `message` is the full traceback text. */
export class PythonError extends Error {
  readonly name: 'PythonError';
  /** The Python exception class name, e.g. "ZeroDivisionError". */
  type: string;
  /** CPython-style traceback text. */
  traceback: string;
}

/** A Python value with no JS form (a class instance, a function, ...). */
export class PyObjectRef {
  private constructor();
  /** The Python type name, e.g. "Point". */
  readonly type: string;
  /** repr() of the value. */
  readonly repr: string;
  /** The repr. */
  toString(): string;
}
