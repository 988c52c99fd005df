//! The host interface: every service the engine needs from the outside
//! world (output, clock, files, environment) goes through [`Host`], which
//! each binding implements. The engine itself never touches `std::fs`,
//! `std::time::Instant` or `std::thread`, so it builds for
//! `wasm32-unknown-unknown` unchanged.

/// Services provided by the embedder.
pub trait Host {
    /// Writes to standard output.
    fn write_stdout(&mut self, text: &str);
    /// Writes to standard error.
    fn write_stderr(&mut self, text: &str);
    /// Flushes buffered output.
    fn flush(&mut self) {}
    /// Seconds since the Unix epoch (`time.time()`); 0.0 when no clock is granted.
    fn time(&mut self) -> f64 {
        0.0
    }
    /// A monotonic clock in seconds (`time.perf_counter()`).
    fn monotonic(&mut self) -> f64 {
        0.0
    }
    /// Whether `monotonic` is a real clock. Without one the engine keeps
    /// virtual time: it advances with the blocks run and jumps to the next
    /// timer when every thread sleeps, so sleeps, timeouts and loops that
    /// poll the clock all finish.
    fn has_clock(&self) -> bool {
        false
    }
    /// Reads a source file (for imports), if file access is granted.
    fn read_file(&mut self, _path: &str) -> Option<String> {
        None
    }
    /// Reads one line from standard input (`input()`); `None` at end of file.
    fn read_line(&mut self) -> Option<String> {
        None
    }
    /// An environment variable, if the embedder exposes it.
    fn env_var(&mut self, _name: &str) -> Option<String> {
        None
    }
    /// Bytes of Rust stack the engine may use for nested calls from native
    /// code back into Python on the thread that runs it (the default fits
    /// a 2 MiB thread stack).
    fn native_stack_budget(&self) -> usize {
        1 << 20
    }
    /// Sleeps (blocks the calling thread) for `seconds`.
    fn sleep(&mut self, _seconds: f64) {}
}

/// A host that captures output in memory, for tests and for embedders
/// that collect output themselves. Clones share one buffer.
#[derive(Clone, Default)]
pub struct CaptureHost {
    output: std::rc::Rc<std::cell::RefCell<(String, String)>>,
}

impl CaptureHost {
    pub fn stdout(&self) -> String {
        self.output.borrow().0.clone()
    }

    pub fn stderr(&self) -> String {
        self.output.borrow().1.clone()
    }
}

impl Host for CaptureHost {
    fn write_stdout(&mut self, text: &str) {
        self.output.borrow_mut().0.push_str(text);
    }

    fn write_stderr(&mut self, text: &str) {
        self.output.borrow_mut().1.push_str(text);
    }
}
