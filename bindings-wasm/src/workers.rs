//! The threaded build's workers: what lets the engine's work-stealing
//! backend (`runtime::sched`, `parallel.rs`) run Python threads on several
//! Web Workers at once.
//!
//! The workers are the threads of the `wasm-bindgen-rayon` pool (Web
//! Workers sharing the module's memory), which the JavaScript side starts
//! with `initThreadPool(n)` and then announces with `setWorkerThreads(n)`.
//! A worker's whole life is one job on one pool thread (`spawn`), so at
//! most `n` workers beyond the engine's own thread run at once.
//!
//! Parking is a wait on a word of the shared memory
//! (`memory.atomic.wait32`), one word per thread; an unpark stores a token
//! in it and notifies. Only the engine's own thread holds the JavaScript
//! output callbacks (JavaScript objects stay on the thread that made
//! them), so a worker's output goes into one queue that the engine thread
//! empties, in order, whenever it writes, polls for interrupts, parks or
//! finishes a call (`Output::drain`); a write also unparks it, so output
//! from other threads streams while the main thread waits in a `join`.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Arc;

use runtime::host::{Host, Unparker, WorkerBody};
use runtime::sched::futex::wasm as futex;

/// Pool threads the JavaScript side started (`setWorkerThreads`); 0 until
/// then, and no worker starts before.
static POOL_THREADS: AtomicUsize = AtomicUsize::new(0);
/// Pool threads running a worker now.
static POOL_THREADS_BUSY: AtomicUsize = AtomicUsize::new(0);

/// Shadow-stack bytes a pool thread's nested step loops may use: the
/// threads get wasm-bindgen's default 2 MiB stacks.
pub const WORKER_STACK_BUDGET: usize = 3 << 19;

/// Records that the rayon pool has `threads` threads ready for workers.
pub fn set_pool_threads(threads: usize) {
    POOL_THREADS.store(threads, Ordering::SeqCst);
}

/// Pool threads announced (0: none, Python threads interleave).
pub fn pool_threads() -> usize {
    POOL_THREADS.load(Ordering::SeqCst)
}

thread_local! {
    /// The calling thread's park word (made on first use; replaced when a
    /// pool thread starts a worker, whose unparker was made before).
    static PARK_WORD: RefCell<Option<Arc<AtomicU32>>> = const { RefCell::new(None) };
}

/// An unpark is pending in a park word.
const TOKEN: u32 = 1;

fn park_word() -> Arc<AtomicU32> {
    PARK_WORD.with(|cell| {
        Arc::clone(
            cell.borrow_mut()
                .get_or_insert_with(|| Arc::new(AtomicU32::new(0))),
        )
    })
}

fn unparker_of(word: Arc<AtomicU32>) -> Unparker {
    Arc::new(move || {
        word.store(TOKEN, Ordering::SeqCst);
        futex::notify(&word, 1);
    })
}

/// How to unpark the calling thread.
pub fn unparker() -> Unparker {
    unparker_of(park_word())
}

/// Blocks the calling thread until its unparker runs or `seconds` pass
/// (`None`: no limit); true when an unpark ended it.
pub fn park(seconds: Option<f64>) -> bool {
    let word = park_word();
    if word.swap(0, Ordering::SeqCst) == TOKEN {
        return true;
    }
    let timeout_ns = match seconds {
        Some(seconds) => (seconds.clamp(0.0, 86_400.0) * 1e9) as i64,
        None => -1,
    };
    futex::wait(&word, 0, timeout_ns);
    word.swap(0, Ordering::SeqCst) == TOKEN
}

/// Runs `body` as a worker on a free pool thread; its unparker, or `None`
/// when every pool thread is taken (or there is no pool).
pub fn spawn(body: WorkerBody) -> Option<Unparker> {
    let busy = POOL_THREADS_BUSY.fetch_add(1, Ordering::SeqCst);
    if busy >= pool_threads() {
        POOL_THREADS_BUSY.fetch_sub(1, Ordering::SeqCst);
        return None;
    }
    let word = Arc::new(AtomicU32::new(0));
    let unpark = unparker_of(Arc::clone(&word));
    rayon::spawn(move || {
        PARK_WORD.with(|cell| *cell.borrow_mut() = Some(word));
        body();
        POOL_THREADS_BUSY.fetch_sub(1, Ordering::SeqCst);
    });
    Some(unpark)
}

/// One piece of output from a worker.
pub enum Piece {
    Stdout(String),
    Stderr(String),
}

/// The engine thread's end of the output queue.
pub struct Output {
    receiver: Receiver<Piece>,
    sender: Sender<Piece>,
    /// Unparks the engine thread (made on it).
    engine: Unparker,
}

impl Output {
    /// Made on the engine thread.
    pub fn new() -> Output {
        let (sender, receiver) = channel();
        Output {
            receiver,
            sender,
            engine: unparker(),
        }
    }

    /// Hands every queued piece, in order, to `write`.
    pub fn drain(&self, mut write: impl FnMut(Piece)) {
        while let Ok(piece) = self.receiver.try_recv() {
            write(piece);
        }
    }

    /// A host for one more worker.
    pub fn worker_host(&self, cpu_count: Option<usize>) -> WorkerHost {
        WorkerHost {
            output: self.sender.clone(),
            engine: Arc::clone(&self.engine),
            cpu_count,
        }
    }
}

/// A worker's host: output to the engine thread's queue, the shared
/// clock, parking on its own word; everything else denied (the `Host`
/// defaults), as on the engine thread.
#[derive(Clone)]
pub struct WorkerHost {
    output: Sender<Piece>,
    engine: Unparker,
    cpu_count: Option<usize>,
}

impl WorkerHost {
    fn send(&self, piece: Piece) {
        // The engine thread gone (its interpreter freed) drops the output.
        if self.output.send(piece).is_ok() {
            (self.engine)();
        }
    }
}

impl Host for WorkerHost {
    fn write_stdout(&mut self, text: &str) {
        self.send(Piece::Stdout(text.to_string()));
    }

    fn write_stderr(&mut self, text: &str) {
        self.send(Piece::Stderr(text.to_string()));
    }

    fn time(&mut self) -> f64 {
        js_sys::Date::now() / 1000.0
    }

    fn monotonic(&mut self) -> f64 {
        crate::host::monotonic_seconds()
    }

    fn has_clock(&self) -> bool {
        true
    }

    fn native_stack_budget(&self) -> usize {
        WORKER_STACK_BUDGET
    }

    fn native_level_limit(&self) -> usize {
        crate::host::NATIVE_LEVELS
    }

    fn sleep(&mut self, seconds: f64) {
        let deadline = self.monotonic() + seconds;
        loop {
            let left = deadline - self.monotonic();
            if left.is_nan() || left <= 0.0 {
                return;
            }
            // A private word nobody notifies: a plain timed wait.
            let word = AtomicU32::new(0);
            futex::wait(&word, 0, (left * 1e9) as i64);
        }
    }

    fn worker_host(&mut self) -> Option<Box<dyn Host>> {
        Some(Box::new(self.clone()))
    }

    fn unparker(&mut self) -> Option<Unparker> {
        Some(unparker())
    }

    fn park(&mut self, timeout: Option<f64>) {
        park(timeout);
    }

    fn cpu_count(&mut self) -> Option<usize> {
        self.cpu_count
    }
}
