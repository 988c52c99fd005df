//! The native `Host`: buffered stdout/stderr, the system clock, files and
//! environment variables for the `protopy` command (which grants them all),
//! and OS threads for the engine's workers.
//!
//! The workers' hosts (`worker_host`) share one output buffer and one
//! table of open files behind a mutex (outside the engine, which takes no
//! locks): lines from every worker come out in the order they were
//! written, and a file opened by one thread can be written by another.

use std::io::{BufRead, Write};
use std::sync::{Arc, Mutex, MutexGuard};

use runtime::host::{FileStat, Host, HostError, HostResult, Unparker, WorkerBody, WriteMode};

pub struct NativeHost {
    shared: Arc<Mutex<Shared>>,
    start: std::time::Instant,
}

/// What the hosts of all workers share.
struct Shared {
    stdout: std::io::BufWriter<std::io::Stdout>,
    /// Files open for writing, by handle; dropping one flushes it.
    open_files: std::collections::HashMap<u64, std::io::BufWriter<std::fs::File>>,
    next_handle: u64,
}

/// The stack of every engine thread (`main.rs` gives the main one as much).
pub const ENGINE_STACK_BYTES: usize = 512 << 20;

/// An `std::io::Error` as errno and the system's message (without Rust's
/// " (os error N)" suffix), as CPython reports it.
fn host_error(error: std::io::Error) -> HostError {
    match error.raw_os_error() {
        Some(errno) => HostError::new(errno, system_message(errno)),
        None => HostError::new(5, error.to_string()),
    }
}

fn system_message(errno: i32) -> String {
    let text = std::io::Error::from_raw_os_error(errno).to_string();
    match text.rfind(" (os error") {
        Some(end) => text[..end].to_string(),
        None => text,
    }
}

fn seconds(time: std::io::Result<std::time::SystemTime>) -> f64 {
    time.ok()
        .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|duration| duration.as_secs_f64())
        .unwrap_or(0.0)
}

fn bad_handle() -> HostError {
    HostError::new(9, "Bad file descriptor")
}

impl NativeHost {
    pub fn new() -> NativeHost {
        NativeHost {
            shared: Arc::new(Mutex::new(Shared {
                stdout: std::io::BufWriter::with_capacity(1 << 16, std::io::stdout()),
                open_files: std::collections::HashMap::new(),
                next_handle: 1,
            })),
            start: std::time::Instant::now(),
        }
    }

    fn shared(&self) -> MutexGuard<'_, Shared> {
        // A worker that panicked holding it left whole writes behind.
        self.shared
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Host for NativeHost {
    fn write_stdout(&mut self, text: &str) {
        let _ = self.shared().stdout.write_all(text.as_bytes());
    }

    fn write_stderr(&mut self, text: &str) {
        let mut shared = self.shared();
        let _ = shared.stdout.flush();
        let _ = std::io::stderr().write_all(text.as_bytes());
    }

    fn flush(&mut self) {
        let _ = self.shared().stdout.flush();
    }

    fn time(&mut self) -> f64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs_f64())
            .unwrap_or(0.0)
    }

    fn monotonic(&mut self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    fn has_clock(&self) -> bool {
        true
    }

    fn read_file(&mut self, path: &str) -> Option<String> {
        std::fs::read_to_string(path).ok()
    }

    fn read_line(&mut self) -> Option<String> {
        let _ = self.shared().stdout.flush();
        let mut line = String::new();
        match std::io::stdin().lock().read_line(&mut line) {
            Ok(0) | Err(_) => None,
            Ok(_) => Some(line),
        }
    }

    fn env_var(&mut self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }

    fn native_stack_budget(&self) -> usize {
        // The engine thread has ENGINE_STACK_BYTES (512 MiB) of stack.
        400 << 20
    }

    fn sleep(&mut self, seconds: f64) {
        std::thread::sleep(std::time::Duration::from_secs_f64(seconds));
    }

    fn worker_host(&mut self) -> Option<Box<dyn Host>> {
        Some(Box::new(NativeHost {
            shared: Arc::clone(&self.shared),
            start: self.start,
        }))
    }

    fn spawn_worker(&mut self, body: WorkerBody) -> Option<Unparker> {
        let shared = Arc::clone(&self.shared);
        let run = move || {
            // A worker that dies would leave its threads unjoinable and the
            // main thread waiting forever: end the process instead, as the
            // main thread's own internal errors do (status 70).
            if std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)).is_err() {
                if let Ok(mut shared) = shared.lock() {
                    let _ = shared.stdout.flush();
                }
                eprintln!("protopy: internal error in a worker thread");
                std::process::exit(70);
            }
        };
        let handle = std::thread::Builder::new()
            .name("protopy-worker".into())
            .stack_size(ENGINE_STACK_BYTES)
            .spawn(run)
            .ok()?;
        let thread = handle.thread().clone();
        Some(Arc::new(move || thread.unpark()))
    }

    fn unparker(&mut self) -> Option<Unparker> {
        let thread = std::thread::current();
        Some(Arc::new(move || thread.unpark()))
    }

    fn park(&mut self, timeout: Option<f64>) {
        match timeout {
            // Beyond a day, a spurious early return does no harm.
            Some(seconds) => {
                std::thread::park_timeout(std::time::Duration::from_secs_f64(seconds.min(86_400.0)))
            }
            None => std::thread::park(),
        }
    }

    fn read_bytes(&mut self, path: &str) -> HostResult<Vec<u8>> {
        std::fs::read(path).map_err(host_error)
    }

    fn open_for_writing(&mut self, path: &str, mode: WriteMode) -> HostResult<u64> {
        let mut options = std::fs::OpenOptions::new();
        match mode {
            WriteMode::Truncate => options.write(true).create(true).truncate(true),
            WriteMode::Append => options.append(true).create(true),
            WriteMode::CreateNew => options.write(true).create_new(true),
        };
        let file = options.open(path).map_err(host_error)?;
        let mut shared = self.shared();
        let handle = shared.next_handle;
        shared.next_handle += 1;
        shared
            .open_files
            .insert(handle, std::io::BufWriter::with_capacity(1 << 13, file));
        Ok(handle)
    }

    fn write_handle(&mut self, handle: u64, data: &[u8]) -> HostResult<()> {
        let mut shared = self.shared();
        let file = shared.open_files.get_mut(&handle).ok_or_else(bad_handle)?;
        file.write_all(data).map_err(host_error)
    }

    fn flush_handle(&mut self, handle: u64) -> HostResult<()> {
        let mut shared = self.shared();
        let file = shared.open_files.get_mut(&handle).ok_or_else(bad_handle)?;
        file.flush().map_err(host_error)
    }

    fn close_handle(&mut self, handle: u64) -> HostResult<()> {
        let mut file = self
            .shared()
            .open_files
            .remove(&handle)
            .ok_or_else(bad_handle)?;
        file.flush().map_err(host_error)
    }

    fn stat(&mut self, path: &str, follow_symlinks: bool) -> HostResult<FileStat> {
        use std::os::unix::fs::MetadataExt;
        let metadata = if follow_symlinks {
            std::fs::metadata(path)
        } else {
            std::fs::symlink_metadata(path)
        }
        .map_err(host_error)?;
        Ok(FileStat {
            mode: metadata.mode(),
            size: metadata.size(),
            inode: metadata.ino(),
            device: metadata.dev(),
            links: metadata.nlink(),
            uid: metadata.uid(),
            gid: metadata.gid(),
            accessed: seconds(metadata.accessed()),
            modified: seconds(metadata.modified()),
            changed: metadata.ctime() as f64 + metadata.ctime_nsec() as f64 * 1e-9,
        })
    }

    fn list_dir(&mut self, path: &str) -> HostResult<Vec<String>> {
        let mut names = Vec::new();
        for entry in std::fs::read_dir(path).map_err(host_error)? {
            let entry = entry.map_err(host_error)?;
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
        Ok(names)
    }

    fn make_dir(&mut self, path: &str, mode: u32) -> HostResult<()> {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .mode(mode)
            .create(path)
            .map_err(host_error)
    }

    fn remove_file(&mut self, path: &str) -> HostResult<()> {
        std::fs::remove_file(path).map_err(host_error)
    }

    fn remove_dir(&mut self, path: &str) -> HostResult<()> {
        std::fs::remove_dir(path).map_err(host_error)
    }

    fn rename(&mut self, from: &str, to: &str) -> HostResult<()> {
        std::fs::rename(from, to).map_err(host_error)
    }

    fn current_dir(&mut self) -> HostResult<String> {
        std::env::current_dir()
            .map(|path| path.to_string_lossy().into_owned())
            .map_err(host_error)
    }

    fn set_current_dir(&mut self, path: &str) -> HostResult<()> {
        std::env::set_current_dir(path).map_err(host_error)
    }

    fn env_vars(&mut self) -> Vec<(String, String)> {
        std::env::vars_os()
            .map(|(name, value)| {
                (
                    name.to_string_lossy().into_owned(),
                    value.to_string_lossy().into_owned(),
                )
            })
            .collect()
    }

    fn set_env_var(&mut self, name: &str, value: Option<&str>) -> HostResult<()> {
        if name.is_empty() || name.contains(['=', '\0']) {
            return Err(HostError::new(22, "Invalid argument"));
        }
        match value {
            Some(value) => std::env::set_var(name, value),
            None => std::env::remove_var(name),
        }
        Ok(())
    }

    fn random_bytes(&mut self, count: usize) -> HostResult<Vec<u8>> {
        let mut bytes = vec![0u8; count];
        let mut source = std::fs::File::open("/dev/urandom").map_err(host_error)?;
        std::io::Read::read_exact(&mut source, &mut bytes).map_err(host_error)?;
        Ok(bytes)
    }

    fn cpu_count(&mut self) -> Option<usize> {
        std::thread::available_parallelism().ok().map(|n| n.get())
    }

    fn process_id(&mut self) -> u32 {
        std::process::id()
    }

    fn error_text(&mut self, errno: i32) -> Option<String> {
        Some(system_message(errno))
    }
}

impl Drop for NativeHost {
    fn drop(&mut self) {
        let _ = self.shared().stdout.flush();
    }
}
