//! `JsHost`: the engine's door to a JavaScript environment (a browser
//! page or Web Worker, or Node). Output goes to the embedder's `stdout` /
//! `stderr` callbacks as it is written (streaming); clocks are `Date.now()`
//! and `performance.now()`; sleeping waits on a private
//! `SharedArrayBuffer` with `Atomics.wait` where the environment allows it
//! (Node, workers), else it spins on the clock; an optional interrupt
//! buffer (an `Int32Array` that another thread may set) is polled for
//! KeyboardInterrupt. Files, environment and processes stay denied: the
//! `Host` defaults answer `PermissionError`. In the threaded build, on a
//! thread that may block, it also starts the work-stealing backend's
//! workers on the rayon pool's Web Workers and prints what they write
//! (`workers.rs`).

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
pub(crate) const NATIVE_LEVELS: usize = 400;

pub struct JsHost {
    stdout: Option<Function>,
    stderr: Option<Function>,
    /// Called before this thread blocks when output was written since the
    /// last call: an embedder that batches output delivers it then (the
    /// event loop gets no turn while the thread waits).
    before_wait: Option<Function>,
    wrote_since_wait: bool,
    /// Element 0 nonzero = interrupt requested (set by the embedder).
    interrupt: InterruptWord,
    /// A private shared word to `Atomics.wait` on for `time.sleep`; `None`
    /// where blocking waits are refused (a page's main thread) or there is
    /// no `SharedArrayBuffer`.
    sleeper: Option<Int32Array>,
    /// What the workers wrote, for this thread to print; `None` where no
    /// worker may start (no pool, or this thread must not block).
    #[cfg(wasm_workers)]
    workers: Option<crate::workers::Output>,
}

impl JsHost {
    pub fn new(
        stdout: Option<Function>,
        stderr: Option<Function>,
        before_wait: Option<Function>,
        interrupt: InterruptWord,
    ) -> JsHost {
        let sleeper = blocking_sleeper();
        JsHost {
            stdout,
            stderr,
            before_wait,
            wrote_since_wait: false,
            interrupt,
            #[cfg(wasm_workers)]
            workers: (sleeper.is_some() && crate::workers::pool_threads() > 0)
                .then(crate::workers::Output::new),
            sleeper,
        }
    }

    /// Whether workers may start from this host (the threaded build, a
    /// pool, a thread that may block).
    pub fn has_workers(&self) -> bool {
        #[cfg(wasm_workers)]
        return self.workers.is_some();
        #[cfg(not(wasm_workers))]
        false
    }

    /// Prints, in order, what the workers wrote since the last time.
    fn print_workers_output(&mut self) {
        #[cfg(wasm_workers)]
        if let Some(workers) = &self.workers {
            workers.drain(|piece| {
                self.wrote_since_wait = true;
                match piece {
                    crate::workers::Piece::Stdout(text) => JsHost::call(&self.stdout, &text),
                    crate::workers::Piece::Stderr(text) => JsHost::call(&self.stderr, &text),
                }
            });
        }
    }

    /// About to block: lets the embedder deliver what was written.
    fn before_wait(&mut self) {
        self.print_workers_output();
        if std::mem::take(&mut self.wrote_since_wait) {
            if let Some(callback) = &self.before_wait {
                // The embedder's exception is its own affair, as for output.
                let _ = callback.call0(&JsValue::NULL);
            }
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

thread_local! {
    /// This thread's `performance` object, its `now` and its `timeOrigin`
    /// (milliseconds since the epoch), when the environment has them.
    static CLOCK: Option<(JsValue, Function, f64)> = clock();
}

fn clock() -> Option<(JsValue, Function, f64)> {
    let performance = Reflect::get(&js_sys::global(), &"performance".into()).ok()?;
    if !performance.is_object() {
        return None;
    }
    let now = Reflect::get(&performance, &"now".into()).ok()?;
    let origin = Reflect::get(&performance, &"timeOrigin".into())
        .ok()
        .and_then(|origin| origin.as_f64())
        .unwrap_or(0.0);
    Some((performance, now.dyn_into::<Function>().ok()?, origin))
}

/// Seconds of a monotonic clock that every thread of this page reads
/// alike: `performance.now()` counts from each worker's own start, so its
/// `timeOrigin` is added (`Date.now()` where there is no `performance`).
pub(crate) fn monotonic_seconds() -> f64 {
    CLOCK.with(|clock| match clock {
        Some((performance, now, origin)) => {
            now.call0(performance)
                .ok()
                .and_then(|value| value.as_f64())
                .map_or_else(js_sys::Date::now, |now| origin + now)
                / 1000.0
        }
        None => js_sys::Date::now() / 1000.0,
    })
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
        self.print_workers_output();
        self.wrote_since_wait = true;
        JsHost::call(&self.stdout, text);
    }

    fn write_stderr(&mut self, text: &str) {
        self.print_workers_output();
        self.wrote_since_wait = true;
        JsHost::call(&self.stderr, text);
    }

    fn flush(&mut self) {
        self.print_workers_output();
    }

    fn time(&mut self) -> f64 {
        js_sys::Date::now() / 1000.0
    }

    fn monotonic(&mut self) -> f64 {
        monotonic_seconds()
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
            self.before_wait();
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
        self.print_workers_output();
        self.interrupt.take()
    }

    #[cfg(wasm_workers)]
    fn worker_host(&mut self) -> Option<Box<dyn Host>> {
        let cpu_count = self.cpu_count();
        let workers = self.workers.as_ref()?;
        Some(Box::new(workers.worker_host(cpu_count)))
    }

    #[cfg(wasm_workers)]
    fn spawn_worker(&mut self, body: runtime::host::WorkerBody) -> Option<runtime::host::Unparker> {
        self.workers.as_ref()?;
        crate::workers::spawn(body)
    }

    #[cfg(wasm_workers)]
    fn unparker(&mut self) -> Option<runtime::host::Unparker> {
        self.workers.as_ref()?;
        Some(crate::workers::unparker())
    }

    /// Waits in slices of at most 50 ms, printing the workers' output and
    /// returning early for an interrupt (the main thread must see it).
    #[cfg(wasm_workers)]
    fn park(&mut self, timeout: Option<f64>) {
        if self.workers.is_none() {
            if let Some(seconds) = timeout {
                self.sleep(seconds);
            }
            return;
        }
        let deadline = timeout.map(|seconds| self.monotonic() + seconds);
        loop {
            self.before_wait();
            if self.interrupt.pending() {
                return;
            }
            let slice = match deadline {
                Some(deadline) => {
                    let left = deadline - self.monotonic();
                    if left.is_nan() || left <= 0.0 {
                        return;
                    }
                    left.min(0.05)
                }
                None => 0.05,
            };
            if crate::workers::park(Some(slice)) {
                self.print_workers_output();
                return;
            }
        }
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
