//! `JsHost`: the engine's door to a JavaScript environment (a browser
//! page or Web Worker, or Node). Output goes to the embedder's `stdout` /
//! `stderr` callbacks as it is written (streaming); clocks are `Date.now()`
//! and `performance.now()`; sleeping waits on a private
//! `SharedArrayBuffer` with `Atomics.wait` where the environment allows it
//! (Node, workers), else it spins on the clock; an optional interrupt
//! buffer (an `Int32Array` that another thread may set) is polled for
//! KeyboardInterrupt. Files, environment and processes stay denied: the
//! `Host` defaults answer `PermissionError`.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Atomics, Function, Int32Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use runtime::host::Host;

/// Bytes of the shadow stack nested step loops may use (the module links
/// with a 16 MiB stack: `build.rs`).
const STACK_BUDGET: usize = 12 << 20;

/// Levels of native recursion allowed. The JavaScript engine's own stack
/// (about 984 KB in V8, for wasm frames too) is what runs out first: a
/// nested step loop takes about 1 KB of it, so 400 levels leave room for
/// what runs inside the deepest one. Measured in Node: 900 nested
/// `__repr__` calls fit, 500 did not with half the stack.
const NATIVE_LEVELS: usize = 400;

pub struct JsHost {
    stdout: Option<Function>,
    stderr: Option<Function>,
    /// `performance` and its `now`, when the environment has them.
    performance: Option<(JsValue, Function)>,
    /// Element 0 nonzero = interrupt requested (set by the embedder).
    interrupt: InterruptWord,
    /// A private shared word to `Atomics.wait` on for `time.sleep`; `None`
    /// where blocking waits are refused (a page's main thread) or there is
    /// no `SharedArrayBuffer`.
    sleeper: Option<Int32Array>,
}

impl JsHost {
    pub fn new(
        stdout: Option<Function>,
        stderr: Option<Function>,
        interrupt: InterruptWord,
    ) -> JsHost {
        let global = js_sys::global();
        let performance = Reflect::get(&global, &"performance".into())
            .ok()
            .filter(|value| value.is_object())
            .and_then(|performance| {
                let now = Reflect::get(&performance, &"now".into()).ok()?;
                Some((performance, now.dyn_into::<Function>().ok()?))
            });
        JsHost {
            stdout,
            stderr,
            performance,
            interrupt,
            sleeper: blocking_sleeper(),
        }
    }

    fn call(callback: &Option<Function>, text: &str) {
        if let Some(callback) = callback {
            // An exception thrown by the embedder's callback is its own
            // affair; the program's output goes on.
            let _ = callback.call1(&JsValue::NULL, &JsValue::from_str(text));
        }
    }
}

/// A shared word for `Atomics.wait`, if this thread may block on one.
fn blocking_sleeper() -> Option<Int32Array> {
    let global = js_sys::global();
    let has_shared = Reflect::get(&global, &"SharedArrayBuffer".into())
        .map(|value| value.is_function())
        .unwrap_or(false);
    if !has_shared {
        return None;
    }
    let word = Int32Array::new(&js_sys::SharedArrayBuffer::new(4));
    // A page's main thread refuses to block: probe once with a zero wait.
    Atomics::wait_with_timeout(&word, 0, 0, 0.0)
        .ok()
        .map(|_| word)
}

impl Host for JsHost {
    fn write_stdout(&mut self, text: &str) {
        JsHost::call(&self.stdout, text);
    }

    fn write_stderr(&mut self, text: &str) {
        JsHost::call(&self.stderr, text);
    }

    fn time(&mut self) -> f64 {
        js_sys::Date::now() / 1000.0
    }

    fn monotonic(&mut self) -> f64 {
        match &self.performance {
            Some((performance, now)) => {
                now.call0(performance)
                    .ok()
                    .and_then(|value| value.as_f64())
                    .unwrap_or_else(js_sys::Date::now)
                    / 1000.0
            }
            None => js_sys::Date::now() / 1000.0,
        }
    }

    fn has_clock(&self) -> bool {
        true
    }

    fn native_stack_budget(&self) -> usize {
        STACK_BUDGET
    }

    fn native_level_limit(&self) -> usize {
        NATIVE_LEVELS
    }

    fn sleep(&mut self, seconds: f64) {
        if seconds.is_nan() || seconds <= 0.0 {
            return;
        }
        let deadline = self.monotonic() + seconds;
        loop {
            let left = deadline - self.monotonic();
            if left <= 0.0 || self.interrupt.pending() {
                return;
            }
            match &self.sleeper {
                // Wakes early only if another thread notifies the word,
                // which nothing does: a plain timed wait.
                Some(word) => {
                    let _ = Atomics::wait_with_timeout(word, 0, 0, (left * 1000.0).min(50.0));
                }
                None => std::hint::spin_loop(),
            }
        }
    }

    fn polls_interrupts(&self) -> bool {
        true
    }

    fn poll_interrupt(&mut self) -> bool {
        self.interrupt.take()
    }

    fn cpu_count(&mut self) -> Option<usize> {
        let navigator = Reflect::get(&js_sys::global(), &"navigator".into()).ok()?;
        let count = Reflect::get(&navigator, &"hardwareConcurrency".into()).ok()?;
        count.as_f64().map(|count| count as usize)
    }
}

/// The embedder's interrupt buffer (an `Int32Array`, usually over a
/// `SharedArrayBuffer` that another thread writes), shared by the
/// `Interpreter` that sets it and the host that polls it.
#[derive(Clone, Default)]
pub struct InterruptWord(Rc<RefCell<Option<Int32Array>>>);

impl InterruptWord {
    pub fn set(&self, buffer: Option<Int32Array>) {
        *self.0.borrow_mut() = buffer;
    }

    /// Whether an interrupt is requested; clears the request.
    fn take(&self) -> bool {
        match &*self.0.borrow() {
            Some(buffer) => Atomics::exchange(buffer, 0, 0).is_ok_and(|value| value != 0),
            None => false,
        }
    }

    /// Whether an interrupt is requested (left set).
    fn pending(&self) -> bool {
        match &*self.0.borrow() {
            Some(buffer) => Atomics::load(buffer, 0).is_ok_and(|value| value != 0),
            None => false,
        }
    }
}
