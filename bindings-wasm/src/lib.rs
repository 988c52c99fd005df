//! WebAssembly bindings of the engine: the `Interpreter` class the npm
//! package `protopython` wraps (its JavaScript side is `js/`).
//!
//! An `Interpreter` owns one `Vm` whose `__main__` namespace persists
//! between runs. `run` runs code to the end synchronously; `start` +
//! `resume` run it in slices of scheduler dispatches (the resumable
//! outermost driver, `sched::drive`), so that a JavaScript event loop can
//! deliver `interrupt()` and timers between slices, and `time.sleep`
//! becomes a timeout on the JavaScript side instead of a blocked thread.
//! A run ends when its code has finished and every non-daemon
//! `threading.Thread` it started has ended, as a script's does in CPython.
//! An uncaught Python exception is thrown as a plain object
//! `{pythonError: true, type, message, traceback}` that the JavaScript side
//! turns into a `PythonError`. Values cross by copy (`convert.rs`).
//!
//! In the threaded build, once the JavaScript side has started the rayon
//! pool and said so (`setWorkerThreads`), an interpreter on a thread that
//! may block runs Python threads in parallel on the pool's Web Workers
//! (`workers.rs`). Between two calls from JavaScript its worker counts as
//! idle (`sched::leave_to_embedder`), so the other workers collect garbage
//! and change shared objects without waiting for the JavaScript side.

mod convert;
mod host;
#[cfg(wasm_workers)]
mod workers;

use js_sys::{Function, Int32Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use runtime::compiler::Mode;
use runtime::engine::step::Completion;
use runtime::engine::{ops, unwind};
use runtime::sched::{self, Drive};
use runtime::{Value, Vm};

#[cfg(feature = "threads")]
pub use wasm_bindgen_rayon::init_thread_pool;

/// The filename tracebacks show for code given to `run`.
const DEFAULT_FILENAME: &str = "<exec>";

/// Waits, at the end of a run, for the non-daemon threads started with
/// `threading` (only when the program imported it).
const JOIN_THREADS: &str = "\
import sys as _protopy_sys
_protopy_threading = _protopy_sys.modules.get('threading')
if _protopy_threading is not None:
    for _protopy_thread in _protopy_threading.enumerate():
        if _protopy_thread is not _protopy_threading.current_thread() and not _protopy_thread.daemon:
            _protopy_thread.join()
del _protopy_sys, _protopy_threading
";

/// The package version (the crate's).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Whether an interpreter made on this thread runs Python threads in
/// parallel: the threaded build, with its pool announced
/// (`setWorkerThreads`), on a thread that may block (a Web Worker or
/// Node; never a page's main thread).
#[wasm_bindgen(js_name = parallelThreads)]
pub fn parallel_threads() -> bool {
    host::JsHost::new(None, None, None, host::InterruptWord::default()).has_workers()
}

/// Announces the rayon pool's thread count, once `initThreadPool(threads)`
/// has resolved: interpreters made from then on run up to that many
/// workers (their own thread and `threads - 1` pool threads). Ignored by
/// builds without threads.
#[wasm_bindgen(js_name = setWorkerThreads)]
pub fn set_worker_threads(threads: u32) {
    #[cfg(wasm_workers)]
    workers::set_pool_threads(threads as usize);
    #[cfg(not(wasm_workers))]
    let _ = threads;
}

/// Workers an interpreter may run (see `set_worker_threads`).
fn worker_threads() -> usize {
    #[cfg(wasm_workers)]
    return workers::pool_threads().max(1);
    #[cfg(not(wasm_workers))]
    1
}

/// Where a sliced run is.
enum Phase {
    /// Running the code itself.
    Code,
    /// The code finished with this value (kept in `Vm::roots` meanwhile);
    /// waiting for the threads it started.
    Joining(Value),
}

#[wasm_bindgen]
pub struct Interpreter {
    vm: Vm,
    namespace: Value,
    object_ref: Option<Function>,
    sliced: Option<Phase>,
    /// What the last slice left to wait for (`Drive::Sleeping`).
    pending_sleep: f64,
    /// The interrupt word the host polls (shared with it).
    interrupt: host::InterruptWord,
}

#[wasm_bindgen]
impl Interpreter {
    /// `options`: `{stdout, stderr, beforeWait, argv, objectRef}` (all
    /// optional). `beforeWait()` is called when the engine's thread is
    /// about to block (a sleep, or a wait for another worker's thread)
    /// after output was written: deliver batched output then.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Interpreter, JsValue> {
        install_panic_hook();
        let stdout = function_option(&options, "stdout");
        let stderr = function_option(&options, "stderr");
        let object_ref = function_option(&options, "objectRef");
        let before_wait = function_option(&options, "beforeWait");
        let argv: Vec<String> = option(&options, "argv")
            .filter(js_sys::Array::is_array)
            .map(|value| {
                js_sys::Array::from(&value)
                    .iter()
                    .map(|item| item.as_string().unwrap_or_default())
                    .collect()
            })
            .unwrap_or_else(|| vec![String::new()]);
        let interrupt = host::InterruptWord::default();
        let host = host::JsHost::new(stdout, stderr, before_wait, interrupt.clone());
        let workers = if host.has_workers() {
            worker_threads()
        } else {
            1
        };
        let mut vm = Vm::new(Box::new(host));
        vm.threads.max_workers = workers;
        let namespace = match runtime::engine::main_namespace(&mut vm, "<exec>", "", argv) {
            Ok(namespace) => namespace,
            Err(exception) => return Err(error_object(&mut vm, exception)),
        };
        Ok(Interpreter {
            vm,
            namespace,
            object_ref,
            sliced: None,
            pending_sleep: 0.0,
            interrupt,
        })
    }

    /// Runs `code` in `__main__` to the end; the value of its last
    /// statement when that is an expression, else `null`.
    pub fn run(&mut self, code: &str, filename: Option<String>) -> Result<JsValue, JsValue> {
        self.entered(|me| {
            me.start_internal(code, filename)?;
            loop {
                let step = me.resume_internal(u64::MAX, true)?;
                if let Some(value) = step {
                    return Ok(value);
                }
            }
        })
    }

    /// Compiles `code` and prepares a sliced run of it (`resume`).
    pub fn start(&mut self, code: &str, filename: Option<String>) -> Result<(), JsValue> {
        self.entered(|me| me.start_internal(code, filename))
    }
    /// Runs at most `dispatches` scheduler dispatches of the sliced run:
    /// `{done: true, value}` when it finished, `{done: false, sleep}` when
    /// it paused (`sleep` > 0: every thread waits for a timer due in that
    /// many seconds). Throws the error object when the code raised.
    pub fn resume(&mut self, dispatches: f64) -> Result<JsValue, JsValue> {
        let dispatches = if dispatches >= 1.0 {
            dispatches as u64
        } else {
            1
        };
        let result = Object::new();
        match self.entered(|me| me.resume_internal(dispatches, false)) {
            Ok(Some(value)) => {
                set(&result, "done", &JsValue::TRUE);
                set(&result, "value", &value);
            }
            Ok(None) => {
                set(&result, "done", &JsValue::FALSE);
                set(&result, "sleep", &JsValue::from_f64(self.pending_sleep));
            }
            Err(error) => return Err(error),
        }
        Ok(result.into())
    }

    /// Whether a sliced run is in progress.
    pub fn running(&self) -> bool {
        self.sliced.is_some()
    }

    /// KeyboardInterrupt at the next safepoint of the running code.
    pub fn interrupt(&mut self) {
        if self.sliced.is_some() {
            self.vm.interrupt_requested = true;
        }
    }

    /// An `Int32Array` whose element 0, when another thread sets it
    /// nonzero, interrupts the running code (polled about every thousand
    /// blocks; reset to 0 when seen).
    #[wasm_bindgen(js_name = setInterruptBuffer)]
    pub fn set_interrupt_buffer(&mut self, buffer: Option<Int32Array>) {
        self.interrupt.set(buffer);
    }

    /// A global of `__main__` converted to JS; `undefined` when unbound.
    #[wasm_bindgen(js_name = getGlobal)]
    pub fn get_global(&mut self, name: &str) -> Result<JsValue, JsValue> {
        self.entered(|me| {
            let Some(value) = ops::dict_get_str(me.namespace, name) else {
                return Ok(JsValue::UNDEFINED);
            };
            convert::to_js(&mut me.vm, value, &me.object_ref)
                .map_err(|exception| error_object(&mut me.vm, exception))
        })
    }

    /// Binds a global of `__main__` to a JS value converted to Python.
    #[wasm_bindgen(js_name = setGlobal)]
    pub fn set_global(&mut self, name: &str, value: JsValue) -> Result<(), JsValue> {
        self.entered(|me| {
            let converted = convert::from_js(&mut me.vm, &value);
            let value = converted.map_err(|exception| error_object(&mut me.vm, exception))?;
            let key = me.vm.intern(name);
            ops::dict_set(&mut me.vm, me.namespace, key, value)
                .map_err(|exception| error_object(&mut me.vm, exception))
        })
    }

    /// Unbinds a global of `__main__`; whether it was bound.
    #[wasm_bindgen(js_name = deleteGlobal)]
    pub fn delete_global(&mut self, name: &str) -> bool {
        self.entered(|me| {
            let key = me.vm.intern(name);
            ops::dict_del_str(&me.vm, me.namespace, key)
        })
    }

    /// The names bound in `__main__`.
    #[wasm_bindgen(js_name = globalNames)]
    pub fn global_names(&mut self) -> Vec<String> {
        self.entered(|me| {
            ops::dict_of(me.namespace)
                .map(|table| table.borrow().keys())
                .unwrap_or_default()
                .into_iter()
                .filter_map(runtime::engine::str_of)
                .map(str::to_string)
                .collect()
        })
    }
}

impl Interpreter {
    /// Runs `body` with this interpreter's worker taking part in its group
    /// again (see `sched::leave_to_embedder`), and prints what the
    /// workers wrote meanwhile.
    fn entered<R>(&mut self, body: impl FnOnce(&mut Interpreter) -> R) -> R {
        sched::enter_from_embedder(&mut self.vm);
        let result = body(self);
        sched::leave_to_embedder(&mut self.vm);
        self.vm.host.flush();
        result
    }

    fn start_internal(&mut self, code: &str, filename: Option<String>) -> Result<(), JsValue> {
        if self.sliced.is_some() {
            let error = self
                .vm
                .runtime_error("the interpreter is already running code");
            return Err(error_object(&mut self.vm, error));
        }
        let filename = filename.unwrap_or_else(|| DEFAULT_FILENAME.to_string());
        let compiled =
            runtime::engine::compile_or_raise(&mut self.vm, code, &filename, Mode::ExecValue);
        let code = match compiled {
            Ok(code) => code,
            Err(exception) => return Err(error_object(&mut self.vm, exception)),
        };
        let frame =
            runtime::engine::module_frame(&mut self.vm, code, self.namespace, self.namespace);
        self.vm.interrupt_requested = false;
        sched::start_main(&mut self.vm, frame);
        self.sliced = Some(Phase::Code);
        Ok(())
    }

    /// One slice (or, with `may_sleep`, the rest) of the sliced run:
    /// `Some(value)` when it is over.
    fn resume_internal(
        &mut self,
        dispatches: u64,
        may_sleep: bool,
    ) -> Result<Option<JsValue>, JsValue> {
        self.pending_sleep = 0.0;
        let Some(phase) = self.sliced.take() else {
            let error = self.vm.runtime_error("no code is running");
            return Err(error_object(&mut self.vm, error));
        };
        let outcome = sched::drive(&mut self.vm, dispatches, may_sleep);
        let completed = match outcome {
            Drive::Paused => None,
            Drive::Sleeping(seconds) => {
                self.pending_sleep = seconds;
                None
            }
            Drive::Finished(result) => Some(result),
        };
        let Some(result) = completed else {
            self.sliced = Some(phase);
            return Ok(None);
        };
        match (phase, result) {
            (Phase::Code, Ok(completion)) => {
                let value = match completion {
                    Completion::Returned(value) | Completion::Yielded(value) => value,
                };
                if self.vm.threads.live_count() == 0 {
                    return self.finish(value).map(Some);
                }
                self.vm.roots.push(value);
                match self.start_join() {
                    Ok(()) => {
                        self.sliced = Some(Phase::Joining(value));
                        Ok(None)
                    }
                    Err(error) => {
                        self.vm.roots.pop();
                        Err(error)
                    }
                }
            }
            (Phase::Joining(value), Ok(_)) => {
                self.vm.roots.pop();
                self.finish(value).map(Some)
            }
            (Phase::Code, Err(exception)) => Err(error_object(&mut self.vm, exception)),
            (Phase::Joining(_), Err(exception)) => {
                self.vm.roots.pop();
                Err(error_object(&mut self.vm, exception))
            }
        }
    }

    fn start_join(&mut self) -> Result<(), JsValue> {
        let compiled =
            runtime::engine::compile_or_raise(&mut self.vm, JOIN_THREADS, "<protopy>", Mode::Exec);
        let code = compiled.map_err(|exception| error_object(&mut self.vm, exception))?;
        let frame =
            runtime::engine::module_frame(&mut self.vm, code, self.namespace, self.namespace);
        sched::start_main(&mut self.vm, frame);
        Ok(())
    }

    fn finish(&mut self, value: Value) -> Result<JsValue, JsValue> {
        self.vm.host.flush();
        convert::to_js(&mut self.vm, value, &self.object_ref)
            .map_err(|exception| error_object(&mut self.vm, exception))
    }
}

/// The plain object an uncaught exception is thrown as.
fn error_object(vm: &mut Vm, exception: Value) -> JsValue {
    vm.host.flush();
    let type_name = runtime::engine::class_name(vm.type_of(exception));
    let message = ops::str_string(vm, exception).unwrap_or_default();
    let traceback = unwind::format_exception(vm, exception);
    let object = Object::new();
    set(&object, "pythonError", &JsValue::TRUE);
    set(&object, "type", &type_name.into());
    set(&object, "message", &message.into());
    set(&object, "traceback", &traceback.into());
    object.into()
}

fn set(object: &Object, key: &str, value: &JsValue) {
    // Setting a property of a fresh plain object cannot fail.
    let _ = Reflect::set(object, &key.into(), value);
}

fn option(options: &JsValue, name: &str) -> Option<JsValue> {
    if !options.is_object() {
        return None;
    }
    Reflect::get(options, &name.into())
        .ok()
        .filter(|value| !value.is_undefined() && !value.is_null())
}

fn function_option(options: &JsValue, name: &str) -> Option<Function> {
    option(options, name).and_then(|value| value.dyn_into::<Function>().ok())
}

/// A panic is an engine bug: say so on the console before the module
/// traps (wasm32 aborts on panic), instead of an opaque "unreachable".
fn install_panic_hook() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let text = format!("protopython: internal error (engine panic): {info}");
            web_sys_console_error(&text);
        }));
    });
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn web_sys_console_error(text: &str);
}
