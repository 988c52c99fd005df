//! The host interface: every service the engine needs from the outside
//! world (output, clock, files, environment) goes through [`Host`], which
//! each binding implements. The engine itself never touches `std::fs`,
//! `std::time::Instant` or `std::thread`, so it builds for
//! `wasm32-unknown-unknown` unchanged.

/// A call that ends another OS thread's `Host::park` (or makes its next
/// one return at once).
pub type Unparker = std::sync::Arc<dyn Fn() + Send + Sync>;

/// A worker's whole run, handed to `Host::spawn_worker`.
pub type WorkerBody = Box<dyn FnOnce() + Send>;

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
    /// How many levels of native recursion (nested step loops of native
    /// code calling Python, and natives recursing through containers) the
    /// engine's thread can take, whatever the recursion limit says: a
    /// host whose native stack is small and cannot be measured from inside
    /// (WebAssembly in a JavaScript engine: about 1 MB) sets it.
    fn native_level_limit(&self) -> usize {
        usize::MAX
    }
    /// Sleeps (blocks the calling thread) for `seconds`.
    fn sleep(&mut self, _seconds: f64) {}

    // Workers: a host that can start OS threads lets the work-stealing
    // backend run Python threads on several of them (`sched/parallel.rs`).
    // The defaults start none, and everything runs on the calling thread.

    /// A host for one more worker: the same services, sharing this one's
    /// output (so lines from every worker keep their order), clock and
    /// open files. `None`: this host cannot have workers.
    fn worker_host(&mut self) -> Option<Box<dyn Host>> {
        None
    }
    /// Runs `body` on a new OS thread (with a stack like the engine
    /// thread's); how to unpark that thread, or `None` if none started.
    fn spawn_worker(&mut self, _body: WorkerBody) -> Option<Unparker> {
        None
    }
    /// How to unpark the calling thread from another one.
    fn unparker(&mut self) -> Option<Unparker> {
        None
    }
    /// Blocks the calling thread until an `Unparker` of it is called, or
    /// `timeout` seconds pass (`None`: no limit); it may return earlier.
    fn park(&mut self, timeout: Option<f64>) {
        if let Some(seconds) = timeout {
            self.sleep(seconds);
        }
    }
    /// Whether the engine should call `poll_interrupt` (a host that can be
    /// interrupted from another thread: a browser page over a shared flag).
    fn polls_interrupts(&self) -> bool {
        false
    }
    /// Whether the program should stop with KeyboardInterrupt now; asked
    /// about every thousand blocks when `polls_interrupts` says so.
    fn poll_interrupt(&mut self) -> bool {
        false
    }

    // File system, process and environment services for `open()` and the
    // `os` module. Every default denies access (`HostError::denied`), so
    // an embedder grants only what it implements.

    /// The whole content of a file. The default serves what `read_file`
    /// grants (text files only) and reports anything else as missing.
    fn read_bytes(&mut self, path: &str) -> HostResult<Vec<u8>> {
        self.read_file(path)
            .map(String::into_bytes)
            .ok_or_else(HostError::not_found)
    }
    /// Opens (creating as `mode` says) a file for writing; returns a handle
    /// for `write_handle`/`flush_handle`/`close_handle`.
    fn open_for_writing(&mut self, _path: &str, _mode: WriteMode) -> HostResult<u64> {
        Err(HostError::denied())
    }
    /// Writes all of `data` to an open handle (the host may buffer it).
    fn write_handle(&mut self, _handle: u64, _data: &[u8]) -> HostResult<()> {
        Err(HostError::denied())
    }
    /// Pushes a handle's buffered data to the file.
    fn flush_handle(&mut self, _handle: u64) -> HostResult<()> {
        Ok(())
    }
    /// Flushes and closes a handle.
    fn close_handle(&mut self, _handle: u64) -> HostResult<()> {
        Ok(())
    }
    /// Facts about a path (`os.stat`; `follow_symlinks` false for `lstat`).
    fn stat(&mut self, _path: &str, _follow_symlinks: bool) -> HostResult<FileStat> {
        Err(HostError::denied())
    }
    /// The names in a directory, in the order the system gives them.
    fn list_dir(&mut self, _path: &str) -> HostResult<Vec<String>> {
        Err(HostError::denied())
    }
    /// Creates one directory with permission bits `mode`.
    fn make_dir(&mut self, _path: &str, _mode: u32) -> HostResult<()> {
        Err(HostError::denied())
    }
    /// Removes a file (`os.remove`).
    fn remove_file(&mut self, _path: &str) -> HostResult<()> {
        Err(HostError::denied())
    }
    /// Removes an empty directory (`os.rmdir`).
    fn remove_dir(&mut self, _path: &str) -> HostResult<()> {
        Err(HostError::denied())
    }
    /// Renames `from` to `to`, replacing a file at `to`.
    fn rename(&mut self, _from: &str, _to: &str) -> HostResult<()> {
        Err(HostError::denied())
    }
    /// The current working directory.
    fn current_dir(&mut self) -> HostResult<String> {
        Err(HostError::denied())
    }
    /// Changes the current working directory.
    fn set_current_dir(&mut self, _path: &str) -> HostResult<()> {
        Err(HostError::denied())
    }
    /// Every environment variable the embedder exposes (`os.environ`).
    fn env_vars(&mut self) -> Vec<(String, String)> {
        Vec::new()
    }
    /// Sets (`Some`) or removes (`None`) an environment variable.
    fn set_env_var(&mut self, _name: &str, _value: Option<&str>) -> HostResult<()> {
        Err(HostError::denied())
    }
    /// `n` random bytes from the system's secure source (`os.urandom`).
    fn random_bytes(&mut self, _count: usize) -> HostResult<Vec<u8>> {
        Err(HostError::denied())
    }
    /// The number of CPUs (`os.cpu_count`), if known.
    fn cpu_count(&mut self) -> Option<usize> {
        None
    }
    /// The process id (`os.getpid`); 0 when not exposed.
    fn process_id(&mut self) -> u32 {
        0
    }
    /// The system's text for an errno (`os.strerror`), if it has one.
    fn error_text(&mut self, _errno: i32) -> Option<String> {
        None
    }
}

/// Why a host service failed: an errno and its message, as CPython's
/// `OSError` shows them (`[Errno 2] No such file or directory`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostError {
    pub errno: i32,
    pub message: String,
}

impl HostError {
    pub fn new(errno: i32, message: impl Into<String>) -> HostError {
        HostError {
            errno,
            message: message.into(),
        }
    }

    /// EACCES: what every service the embedder does not grant reports.
    pub fn denied() -> HostError {
        HostError::new(13, "Permission denied")
    }

    /// ENOENT.
    pub fn not_found() -> HostError {
        HostError::new(2, "No such file or directory")
    }
}

pub type HostResult<T> = Result<T, HostError>;

/// How `open_for_writing` treats the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteMode {
    /// Create or empty it (`'w'`).
    Truncate,
    /// Create it or write at its end (`'a'`).
    Append,
    /// Create it; fail with EEXIST if it exists (`'x'`).
    CreateNew,
}

/// What `Host::stat` reports (the fields of `os.stat_result`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FileStat {
    /// File type and permission bits, as in `st_mode`.
    pub mode: u32,
    pub size: u64,
    pub inode: u64,
    pub device: u64,
    pub links: u64,
    pub uid: u32,
    pub gid: u32,
    /// Seconds since the Unix epoch.
    pub accessed: f64,
    pub modified: f64,
    pub changed: f64,
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
