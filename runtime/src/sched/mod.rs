//! Python threads as tasks: the thread table, parking and waking, timers,
//! and the [`Scheduler`] trait whose backends decide which runnable thread
//! runs next.
//!
//! A Python thread is a [`Task`] (its frame stack) plus the per-thread
//! interpreter state the `Vm` swaps in while it runs (`handled_exception`,
//! the `contextvars` context, recursion depth). A dispatch runs one thread
//! for a batch of basic blocks (`BLOCKS_PER_DISPATCH`, nested step loops'
//! blocks included); it ends
//! when the budget is spent, the thread
//! finishes, or the thread *parks*. Blocking operations (`lock.acquire`,
//! `time.sleep`, and everything `threading`/`queue` build on them) never
//! block an OS thread: the blocking native registers the thread as a waiter
//! and returns `Value::PARK`, the step loop suspends the task, and a later
//! `wake` (a release, a timer) makes it runnable again with the call's
//! result. A native called from inside another native's call into Python
//! (a nested step loop) cannot suspend its task; it *blocks in place*:
//! it runs other threads from its own Rust frame until it is woken, with
//! the collector held off because native frames below hold values.
//!
//! Timers read `Host::monotonic`; a host without a clock gets virtual time
//! (it advances with the blocks run, and sleeping with nothing runnable
//! jumps it to the next timer), so programs never hang on a missing clock.
//!
//! Backends: with `Threads::max_workers` 1 every thread runs here (the
//! inline backend, `inline.rs`); above 1, the first thread start brings up
//! the work-stealing backend's workers (`parallel.rs`, `pool.rs`) and each
//! worker keeps a table like this one for the threads it runs. A thread's
//! state and wait token live in its `WaitCell`, which any worker may claim
//! a wake on.

#[cfg(parallel_workers)]
pub mod futex;
mod inline;
#[cfg(parallel_workers)]
mod parallel;
#[cfg(parallel_workers)]
pub mod pool;
#[cfg(parallel_workers)]
pub mod rendezvous;
#[cfg(parallel_workers)]
pub mod work_stealing;
#[cfg(parallel_workers)]
pub mod workers;

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
#[cfg(parallel_workers)]
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::{
    AtomicBool, AtomicU64,
    Ordering::{Relaxed, SeqCst},
};
use std::sync::Arc;

use crate::engine::call::{prepare_call, CallOutcome};
use crate::engine::frame::Frame;
use crate::engine::step::{self, Completion, Step, Task};
use crate::engine::{ops, tuple_items, Vm};
use crate::heap::gc::Marker;
use crate::value::Value;
use crate::PyResult;

pub use inline::InlineScheduler;
#[cfg(parallel_workers)]
pub use parallel::stop_workers;
#[cfg(parallel_workers)]
use parallel::{
    adopt_fresh, adopt_fresh_while_busy, give_away, receive_messages, start_workers,
    stop_counting_idle, wait_for_work,
};

/// Without workers, waiting for work is waiting for a timer.
#[cfg(not(parallel_workers))]
fn wait_for_work(vm: &mut Vm) -> bool {
    wait_for_timer(vm)
}

/// A Python thread's identity (`_thread.get_ident()`).
pub type ThreadId = u64;

/// The thread that runs the main module.
pub const MAIN_THREAD: ThreadId = 1;

/// A run-queue policy: the backend that decides which runnable thread a
/// worker runs next. The engine's thread table calls it; backends hold
/// only thread ids.
pub trait Scheduler {
    /// The backend's name (`PROTOPY_SCHEDULER` spelling).
    fn name(&self) -> &'static str;
    /// Makes `thread` runnable.
    fn submit(&mut self, thread: ThreadId);
    /// The next runnable thread, if any.
    fn next(&mut self) -> Option<ThreadId>;
    /// Threads waiting in the run queue.
    fn runnable(&self) -> usize;
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum ThreadState {
    /// In the run queue (or about to be).
    Ready,
    /// Its step loop is running now (possibly blocked in place below us).
    Running,
    /// Waiting for a `wake`.
    Parked,
    /// Woken by another worker; runnable once its owner has the message.
    Waking,
}

impl ThreadState {
    const ALL: [ThreadState; 4] = [
        ThreadState::Ready,
        ThreadState::Running,
        ThreadState::Parked,
        ThreadState::Waking,
    ];
}

/// A thread's wait state, shared with whoever may wake it: the state and
/// the current wait token in one atomic word (`token << 2 | state`). Its
/// owner changes it with plain stores except out of `Parked`, which every
/// waker (the owner's timers included) leaves only by [`WaitCell::claim`],
/// one compare-and-swap, so exactly one wake wins.
pub struct WaitCell {
    thread: ThreadId,
    word: AtomicU64,
    /// A number the waiter leaves for its waker (`WaitTicket::payload`).
    payload: AtomicU64,
    /// Whether other threads may run above the current wait
    /// (`WaitTicket::others_may_run_above`).
    others_above: AtomicBool,
    /// The worker whose table holds the thread (0 without workers).
    #[cfg(parallel_workers)]
    owner: AtomicUsize,
}

impl WaitCell {
    fn new(thread: ThreadId) -> Arc<WaitCell> {
        Arc::new(WaitCell {
            thread,
            word: AtomicU64::new(ThreadState::Ready as u64),
            payload: AtomicU64::new(0),
            others_above: AtomicBool::new(false),
            #[cfg(parallel_workers)]
            owner: AtomicUsize::new(0),
        })
    }

    fn load(&self) -> (ThreadState, u64) {
        let word = self.word.load(SeqCst);
        (ThreadState::ALL[(word & 3) as usize], word >> 2)
    }

    fn state(&self) -> ThreadState {
        self.load().0
    }

    fn token(&self) -> u64 {
        self.load().1
    }

    fn store(&self, state: ThreadState, token: u64) {
        self.word.store(token << 2 | state as u64, SeqCst);
    }

    /// Takes the wake of a thread still parked with `token`: it becomes
    /// `Waking` with a new token. False if it is not parked with it.
    fn claim(&self, token: u64) -> bool {
        let parked = token << 2 | ThreadState::Parked as u64;
        let waking = (token + 1) << 2 | ThreadState::Waking as u64;
        self.word
            .compare_exchange(parked, waking, SeqCst, SeqCst)
            .is_ok()
    }

    /// The owner's own way out of `Parked` with `token` (a cancelled
    /// wait): back to `Running` with a new token, unless a waker claimed
    /// it first.
    fn withdraw(&self, token: u64) -> bool {
        let parked = token << 2 | ThreadState::Parked as u64;
        let running = (token + 1) << 2 | ThreadState::Running as u64;
        self.word
            .compare_exchange(parked, running, SeqCst, SeqCst)
            .is_ok()
    }
}

/// What a waiter registers where its waker looks (a lock's queue): the
/// thread's wait cell and the token of this wait.
#[derive(Clone)]
pub struct WaitTicket {
    cell: Arc<WaitCell>,
    pub token: u64,
}

impl WaitTicket {
    /// The waiting thread.
    pub fn thread(&self) -> ThreadId {
        self.cell.thread
    }

    /// Leaves `payload` for the waker of this wait (set before the ticket
    /// is registered, which publishes it; a thread waits for one thing at
    /// a time, so one word per thread serves every wait).
    pub fn set_payload(&self, payload: u64) {
        self.cell.payload.store(payload, Relaxed);
    }

    /// What the waiter left with `set_payload`.
    pub fn payload(&self) -> u64 {
        self.cell.payload.load(Relaxed)
    }

    /// Whether other threads may run above the waiter on its worker's
    /// native stack while it waits: it waits in place, inside a native
    /// call, on a worker that runs its other threads meanwhile (the inline
    /// backend; on a pool, the main thread's worker, where the main thread
    /// stays), and it goes on only once they have returned. A waker must
    /// not hand it something the threads above may be waiting for (a
    /// lock): it wakes such a waiter with `Value::RETRY` instead, to try
    /// again when it can run. (Set before the ticket is registered, or by
    /// `mark_waits_beneath` while the thread waits; a waker reads it once
    /// it has claimed the wake, in `wake_choosing`'s `choose`.)
    pub fn others_may_run_above(&self) -> bool {
        // SeqCst: against `mark_waits_beneath` (see there).
        self.cell.others_above.load(SeqCst)
    }
}

/// How a thread begins on its first dispatch.
enum Start {
    /// Call `callable(*args, **kwargs)` (`_thread.start_new_thread`).
    Call {
        callable: Value,
        args: Value,
        kwargs: Value,
    },
    /// Run this frame (the main module).
    Frame(Box<Frame>),
}

struct PyThread {
    task: Option<Task>,
    start: Option<Start>,
    /// Its state and wait token (a token changes on every park and wake;
    /// stale waits carry an older one).
    wait: Arc<WaitCell>,
    /// The parked call's result, pushed when the thread resumes.
    wake_value: Value,
    /// What the parked call does when woken with `Value::RETRY`, if it
    /// tries again rather than running its instruction again.
    retry: Option<Retry>,
    /// An exception to raise when the thread resumes (deadlock).
    resume_error: Option<Value>,
    handled_exception: Value,
    /// Its `contextvars` context (`Vm::context`).
    context: Value,
    depth: usize,
    /// Blocked inside native code, running other threads from its frame.
    in_place: bool,
    /// What `start_new_thread` was given (for the unhandled-error message).
    entry: Value,
    /// The thread whose `start_new_thread` call waits for this thread's
    /// first dispatch to end or park (see [`spawn`]).
    starter: Option<WaitTicket>,
}

impl PyThread {
    fn new(id: ThreadId, start: Option<Start>, entry: Value) -> PyThread {
        PyThread {
            task: None,
            start,
            wait: WaitCell::new(id),
            wake_value: Value::NULL,
            retry: None,
            resume_error: None,
            handled_exception: Value::NULL,
            context: Value::NULL,
            depth: 0,
            in_place: false,
            entry,
            starter: None,
        }
    }

    fn trace(&self, marker: &mut Marker) {
        if let Some(task) = &self.task {
            for frame in &task.frames {
                frame.trace(marker);
            }
            if let Some(pending) = task.pending {
                marker.mark(pending);
            }
        }
        match &self.start {
            Some(Start::Call {
                callable,
                args,
                kwargs,
            }) => {
                marker.mark(*callable);
                marker.mark(*args);
                marker.mark(*kwargs);
            }
            Some(Start::Frame(frame)) => frame.trace(marker),
            None => {}
        }
        marker.mark(self.wake_value);
        if let Some(retry) = &self.retry {
            marker.mark(retry.object);
        }
        if let Some(error) = self.resume_error {
            marker.mark(error);
        }
        marker.mark(self.handled_exception);
        marker.mark(self.context);
        marker.mark(self.entry);
    }
}

/// A wake-up at `deadline` for a thread still waiting with `token`.
struct Timer {
    deadline: f64,
    sequence: u64,
    thread: ThreadId,
    token: u64,
    value: Value,
}

impl PartialEq for Timer {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Timer {}
impl PartialOrd for Timer {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Timer {
    /// Reversed, so that `BinaryHeap` pops the earliest deadline first.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .deadline
            .total_cmp(&self.deadline)
            .then(other.sequence.cmp(&self.sequence))
    }
}

/// Dispatch counters (reported by `protopy` under `PROTOPY_SCHED_STATS`).
/// The timings are taken only when `Threads::measure` is set, and only
/// for dispatches of the outermost driver.
#[derive(Clone, Copy, Debug, Default)]
pub struct DispatchStats {
    pub dispatches: u64,
    pub parks: u64,
    pub threads_started: u64,
    /// Timed dispatches and the seconds their tasks ran.
    pub timed_dispatches: u64,
    pub run_seconds: f64,
    /// Seconds the outermost driver loop took in all, and of those the
    /// seconds it waited with nothing to run here (for a timer, or, with
    /// workers, for work).
    pub driver_seconds: f64,
    pub idle_seconds: f64,
}

impl DispatchStats {
    /// Mean seconds a task runs per dispatch.
    pub fn mean_run(&self) -> f64 {
        self.run_seconds / self.timed_dispatches.max(1) as f64
    }

    /// Mean seconds the driver spends per dispatch outside the task:
    /// picking the next thread, swapping its state in and out, timers.
    pub fn mean_dispatch_cost(&self) -> f64 {
        let overhead = self.driver_seconds - self.idle_seconds - self.run_seconds;
        overhead.max(0.0) / self.timed_dispatches.max(1) as f64
    }
}

/// The thread table of one interpreter.
pub struct Threads {
    scheduler: Box<dyn Scheduler>,
    table: HashMap<ThreadId, PyThread>,
    timers: BinaryHeap<Timer>,
    timer_sequence: u64,
    /// The thread whose code runs now.
    pub current: ThreadId,
    /// The starter waiting on the current dispatch (`PyThread::starter`),
    /// woken by the dispatch's first park or at its end.
    starter: Option<WaitTicket>,
    /// Deadlocks raised in the main thread so far.
    pub deadlocks_raised: usize,
    /// How many `for` loop steps in a row on this worker found a generator
    /// in another thread's hands: each such step parks a
    /// little longer before it tries again (`engine/step.rs`).
    pub turn_waits: u32,
    next_id: ThreadId,
    /// Threads from `start_new_thread` not yet finished.
    started_running: usize,
    /// Added to the host clock: virtual time for hosts without one.
    clock_offset: f64,
    /// How the main thread's current run ended, once it has.
    main_result: Option<PyResult<Completion>>,
    pub stats: DispatchStats,
    /// Time dispatches (for the dispatch-cost benchmark).
    pub measure: bool,
    /// `sys.getswitchinterval()` (seconds; dispatches are counted in blocks).
    pub switch_interval: f64,
    /// Workers the first thread start may bring up (1: the inline
    /// backend; more: the work-stealing one, where the host can start OS
    /// threads).
    pub max_workers: usize,
    /// This interpreter's place among the workers and what they share.
    #[cfg(parallel_workers)]
    pool: Option<Arc<pool::Pool>>,
    #[cfg(parallel_workers)]
    worker: usize,
    /// Fresh threads this worker left for idle ones in a row
    /// (`parallel::adopt_fresh`).
    #[cfg(parallel_workers)]
    fresh_deferrals: u32,
    /// Whether this worker counts in the pool's idle workers.
    #[cfg(parallel_workers)]
    counted_idle: bool,
    /// Waits in place under way on this worker (`parallel::enter_in_place`).
    #[cfg(parallel_workers)]
    in_place_depth: usize,
}

impl Default for Threads {
    fn default() -> Self {
        Threads::new(Box::new(InlineScheduler::default()))
    }
}

impl Threads {
    pub fn new(scheduler: Box<dyn Scheduler>) -> Threads {
        Threads {
            scheduler,
            table: HashMap::new(),
            timers: BinaryHeap::new(),
            timer_sequence: 0,
            current: MAIN_THREAD,
            starter: None,
            next_id: MAIN_THREAD + 1,
            started_running: 0,
            clock_offset: 0.0,
            turn_waits: 0,
            main_result: None,
            stats: DispatchStats::default(),
            measure: false,
            switch_interval: 0.005,
            deadlocks_raised: 0,
            max_workers: 1,
            #[cfg(parallel_workers)]
            pool: None,
            #[cfg(parallel_workers)]
            worker: 0,
            #[cfg(parallel_workers)]
            fresh_deferrals: 0,
            #[cfg(parallel_workers)]
            counted_idle: false,
            #[cfg(parallel_workers)]
            in_place_depth: 0,
        }
    }

    /// What the workers share, once several run threads.
    #[cfg(parallel_workers)]
    pub fn pool(&self) -> Option<&Arc<pool::Pool>> {
        self.pool.as_ref()
    }

    pub fn set_scheduler(&mut self, mut scheduler: Box<dyn Scheduler>) {
        while let Some(thread) = self.scheduler.next() {
            scheduler.submit(thread);
        }
        self.scheduler = scheduler;
    }

    pub fn scheduler_name(&self) -> &'static str {
        if self.max_workers > 1 {
            "work-stealing"
        } else {
            self.scheduler.name()
        }
    }

    /// Threads started by `start_new_thread` that have not finished (on
    /// every worker).
    pub fn running_count(&self) -> usize {
        #[cfg(parallel_workers)]
        if let Some(pool) = &self.pool {
            return pool.live();
        }
        self.started_running
    }

    /// Threads in the table (live, parked or runnable), the running one
    /// included.
    pub fn live_count(&self) -> usize {
        self.table.len()
    }

    /// Marks everything the table keeps alive (collector roots).
    pub fn trace(&self, marker: &mut Marker) {
        for thread in self.table.values() {
            thread.trace(marker);
        }
        for timer in &self.timers {
            marker.mark(timer.value);
        }
    }

    fn slot(&mut self, id: ThreadId) -> &mut PyThread {
        self.table
            .entry(id)
            .or_insert_with(|| PyThread::new(id, None, Value::NULL))
    }
}

/// Virtual seconds one block takes on a host without a clock.
const VIRTUAL_SECONDS_PER_BLOCK: f64 = 1e-7;

/// The monotonic clock the scheduler and `time.monotonic()` use: the
/// host's, or virtual time (see `Host::has_clock`).
pub fn now(vm: &mut Vm) -> f64 {
    let base = if vm.host.has_clock() {
        vm.host.monotonic()
    } else {
        vm.blocks_run as f64 * VIRTUAL_SECONDS_PER_BLOCK
    };
    base + vm.threads.clock_offset
}

/// Whether a blocking native called now may suspend its task (it was
/// called directly by an instruction of a dispatched thread, not from
/// inside another native's call into Python).
pub fn can_park(vm: &Vm) -> bool {
    vm.native_depth == 0
}

/// Starts a thread that calls `callable(*args, **kwargs)`; the call
/// returns its id. The caller parks until the new thread's first dispatch
/// parks or ends, as a thread started under a global interpreter lock runs
/// until it blocks or its switch interval ends before its starter goes on:
/// programs written for CPython count on a started thread being under way
/// when `start()` returns, and on parallel workers the two would otherwise
/// race from the first instruction. A caller that cannot park (inside a
/// native's call into Python) goes on at once.
pub fn start_thread(vm: &mut Vm, callable: Value, args: Value, kwargs: Value) -> PyResult<Value> {
    // The wait begins before the thread exists: its first dispatch may end
    // on another worker before this call returns.
    let starter = can_park(vm).then(|| prepare_wait(vm));
    let token = starter.as_ref().map(|ticket| ticket.token);
    let id = spawn(vm, callable, args, kwargs, starter);
    match token {
        Some(token) => park(vm, token, None, Value::NULL),
        None => Ok(vm.new_int(id as i64)),
    }
}

/// Makes the thread `start_thread` starts; its id.
fn spawn(
    vm: &mut Vm,
    callable: Value,
    args: Value,
    kwargs: Value,
    starter: Option<WaitTicket>,
) -> ThreadId {
    start_sharing(vm);
    crate::heap::share::share_all(&[callable, args, kwargs]);
    #[cfg(parallel_workers)]
    start_workers(vm);
    let start = Start::Call {
        callable,
        args,
        kwargs,
    };
    let threads = &mut vm.threads;
    threads.stats.threads_started += 1;
    let new_thread = |id| {
        let mut thread = PyThread::new(id, Some(start), callable);
        thread.starter = starter;
        thread
    };
    #[cfg(parallel_workers)]
    if let Some(pool) = &threads.pool {
        let id = pool.next_thread_id();
        let thread = Box::new(new_thread(id));
        let spawner = threads.worker;
        pool.push_fresh(pool::FreshThread {
            id,
            thread,
            spawner,
        });
        return id;
    }
    let id = threads.next_id;
    threads.next_id += 1;
    threads.table.insert(id, new_thread(id));
    threads.started_running += 1;
    threads.scheduler.submit(id);
    id
}

/// Wakes the starter waiting on the current dispatch, if one still does,
/// with the id of the thread it started.
fn release_starter(vm: &mut Vm) {
    if let Some(ticket) = vm.threads.starter.take() {
        wake_starter(vm, &ticket, vm.threads.current);
    }
}

fn wake_starter(vm: &mut Vm, ticket: &WaitTicket, started: ThreadId) {
    let id = vm.new_int(started as i64);
    wake(vm, ticket, id);
}

/// Opens a write section: with several workers running Python, stops the
/// others until `leave_write_section` (see `workers.rs`); otherwise
/// nothing. `PyCell::borrow_mut` of a shared payload calls it.
#[inline]
pub fn enter_write_section() {
    #[cfg(parallel_workers)]
    workers::enter_write_section();
}

/// Opens a write section if it would stop no other running worker (see
/// `workers::enter_write_section_if_alone`): the cheap way to get
/// exclusive access. True when opened; close it with
/// `leave_write_section`.
#[inline]
pub fn enter_write_section_if_alone() -> bool {
    #[cfg(parallel_workers)]
    return workers::enter_write_section_if_alone();
    #[cfg(not(parallel_workers))]
    true
}

/// Closes the section `enter_write_section` opened.
#[inline]
pub fn leave_write_section() {
    #[cfg(parallel_workers)]
    workers::leave_write_section();
}

/// Queues a shared container's retire list for the next reclaim stop of
/// this thread's worker group (`heap/retired.rs`); false, with nothing
/// queued, when the thread has no group.
pub fn queue_for_reclaim(retired: &Arc<crate::shared::retire::RetireList>) -> bool {
    #[cfg(parallel_workers)]
    return workers::queue_for_reclaim(retired);
    #[cfg(not(parallel_workers))]
    {
        let _ = retired;
        false
    }
}

/// Makes the interpreter's global state shared, once: from the first
/// thread on, every thread may reach the module registry, the builtins,
/// the engine's roots and every class (see `heap/share.rs`).
pub fn start_sharing(vm: &mut Vm) {
    if vm.sharing {
        return;
    }
    vm.sharing = true;
    crate::heap::share::share_all(&[vm.builtins, vm.modules]);
    crate::heap::share::share_all(&vm.roots);
    crate::heap::share::share_all(&vm.user_classes);
}

/// Begins a wait of the current thread; returns the token its waiter
/// registrations must carry. Follow with [`park`].
pub fn prepare_wait(vm: &mut Vm) -> WaitTicket {
    let current = vm.threads.current;
    let others_above = !can_park(vm) && runs_others_above_waits_in_place(vm);
    let thread = vm.threads.slot(current);
    let token = thread.wait.token() + 1;
    thread.wait.others_above.store(others_above, SeqCst);
    thread.wait.store(ThreadState::Parked, token);
    WaitTicket {
        cell: Arc::clone(&thread.wait),
        token,
    }
}

/// Whether this worker runs other threads above one of its threads that
/// waits in place now (`block_in_place`): the inline backend does; a
/// worker of a pool hands them to other workers instead, and marks the
/// waits beneath when it must run one above after all
/// (`mark_waits_beneath`).
fn runs_others_above_waits_in_place(vm: &Vm) -> bool {
    #[cfg(parallel_workers)]
    if vm.threads.pool.is_some() {
        return false;
    }
    let _ = vm;
    true
}

/// Before a worker of a pool runs a thread above its threads that wait in
/// place (the main thread, which stays on worker 0, or any once no other
/// worker is free): marks their waits as having threads above them
/// (`WaitTicket::others_may_run_above`), so that a release wakes them to
/// try again instead of handing them a lock the thread above may then
/// wait for. False when the current one, the topmost, was woken already
/// (its wake may have handed it such a lock): it goes on first. This
/// marks and then reads the wait's state; a releaser claims the wake and
/// then reads the mark (`wake_choosing`), all sequentially consistent, so
/// either the releaser sees the mark and wakes the waiter to try again,
/// or this sees the claim and the waiter goes on before anything runs
/// above it. (Waits deeper down were marked, and checked, when the first
/// thread ran above them.)
#[cfg(parallel_workers)]
fn mark_waits_beneath(vm: &mut Vm) -> bool {
    for thread in vm.threads.table.values() {
        if thread.in_place {
            thread.wait.others_above.store(true, SeqCst);
        }
    }
    let me = vm.threads.current;
    vm.threads.slot(me).wait.state() == ThreadState::Parked
}

/// Withdraws the current thread's wait with `token` before it parks (what
/// it waited for came another way), making its registered tickets stale.
/// False if a waker claimed the wait first: the thread must then park to
/// take that wake.
pub fn withdraw_wait(vm: &mut Vm, token: u64) -> bool {
    let current = vm.threads.current;
    vm.threads.slot(current).wait.withdraw(token)
}

/// Parks the current thread (after [`prepare_wait`] and registering it
/// wherever its waker looks). With a `deadline` it wakes then with
/// `timeout_value` unless woken earlier. Returns `Err(Value::PARK)` for the
/// step loop to suspend the task, or, where the task cannot be suspended,
/// blocks in place and returns the value it was woken with.
pub fn park(
    vm: &mut Vm,
    token: u64,
    deadline: Option<f64>,
    timeout_value: Value,
) -> PyResult<Value> {
    release_starter(vm);
    let current = vm.threads.current;
    if let Some(deadline) = deadline {
        add_timer(vm, current, token, deadline, timeout_value);
    }
    vm.threads.stats.parks += 1;
    if can_park(vm) {
        return Err(Value::PARK);
    }
    block_in_place(vm)
}

/// A blocking call that parks to try again when woken with
/// `Value::RETRY` (a lock release that leaves the lock to whichever thread
/// takes it first): the thread's dispatch calls `again` instead of
/// finishing the parked call, and pushes what it returns (it may park
/// again). Between tries the wait keeps its deadline and start.
pub struct Retry {
    /// What the call waits on, kept alive while its thread is parked.
    pub object: Value,
    /// Tries again, at native depth 0 (so it may park).
    pub again: fn(&mut Vm, &Retry) -> PyResult<Value>,
    /// When the wait gives up (`sched::now` time), if ever.
    pub deadline: Option<f64>,
    /// When the wait began.
    pub since: f64,
    /// What the waiter's tickets carry (an RLock's depth).
    pub payload: u64,
}

/// `park`, for a call that tries again when woken with `Value::RETRY`:
/// where the task is suspended, its dispatch calls `retry.again` then
/// (the call's instruction cannot simply run again: `with` has changed
/// its stack, a keyword call popped its names); in place, `park` returns
/// `Value::RETRY` to the caller's own loop as it does for every wait.
pub fn park_retrying(vm: &mut Vm, token: u64, retry: Retry) -> PyResult<Value> {
    let deadline = retry.deadline;
    if can_park(vm) {
        let current = vm.threads.current;
        vm.threads.slot(current).retry = Some(retry);
    }
    park(vm, token, deadline, Value::FALSE)
}

/// Sleeps the current thread for `seconds` (0 yields to other threads).
pub fn sleep(vm: &mut Vm, seconds: f64) -> PyResult<Value> {
    let ticket = prepare_wait(vm);
    let deadline = now(vm) + seconds;
    park(vm, ticket.token, Some(deadline), Value::NONE)
}

/// Lets the other threads run for about `seconds` (0: one turn) while
/// the caller waits in place, its task not suspended: for a wait that
/// must end inside the native call that began it (a generator another
/// thread is running: `engine::step::take_generator_frame`).
pub fn pause_in_place(vm: &mut Vm, seconds: f64) -> PyResult<()> {
    let ticket = prepare_wait(vm);
    ticket.cell.others_above.store(true, SeqCst);
    release_starter(vm);
    let deadline = now(vm) + seconds;
    add_timer(vm, vm.threads.current, ticket.token, deadline, Value::NONE);
    vm.threads.stats.parks += 1;
    block_in_place(vm).map(drop)
}

/// Parks the current thread for about `seconds`, to run its instruction
/// again when it wakes (`Value::RETRY`): `Err(Value::PARK)` for the step
/// loop, or, where the task cannot be suspended, `Ok` after waiting in
/// place.
pub fn park_to_retry(vm: &mut Vm, seconds: f64) -> PyResult<()> {
    let ticket = prepare_wait(vm);
    let deadline = now(vm) + seconds;
    park(vm, ticket.token, Some(deadline), Value::RETRY).map(drop)
}

/// Whether `holder` is a thread of this worker blocked in place, that is,
/// below the caller on this worker's native stack: it cannot go on before
/// the caller returns, so waiting for it would never end.
pub fn is_beneath(vm: &mut Vm, holder: ThreadId) -> bool {
    holder != vm.threads.current
        && vm
            .threads
            .table
            .get(&holder)
            .is_some_and(|thread| thread.in_place)
}

fn add_timer(vm: &mut Vm, thread: ThreadId, token: u64, deadline: f64, value: Value) {
    let threads = &mut vm.threads;
    threads.timer_sequence += 1;
    threads.timers.push(Timer {
        deadline,
        sequence: threads.timer_sequence,
        thread,
        token,
        value,
    });
}

/// Wakes `thread` if it still waits with `token`, making its parked call
/// return `value`. Whether it woke.
pub fn wake(vm: &mut Vm, ticket: &WaitTicket, value: Value) -> bool {
    wake_choosing(vm, ticket, |_| value).is_some()
}

/// `wake`, with the value the parked call returns chosen by `choose` once
/// the wake is this caller's and before the thread can run: what the woken
/// thread must find done (a lock's new owner) is done there, and what a
/// waiter marked since it parked (`WaitTicket::others_may_run_above`,
/// read after the claim) is seen there. The value given, or None if the
/// thread no longer waits with the ticket's token.
pub fn wake_choosing(
    vm: &mut Vm,
    ticket: &WaitTicket,
    choose: impl FnOnce(&WaitTicket) -> Value,
) -> Option<Value> {
    if !ticket.cell.claim(ticket.token) {
        return None;
    }
    let value = choose(ticket);
    // The value crosses from the waker's thread to the woken one.
    crate::heap::share::share(value);
    let thread = ticket.cell.thread;
    #[cfg(parallel_workers)]
    if let Some(pool) = &vm.threads.pool {
        let owner = ticket.cell.owner.load(SeqCst);
        if owner != vm.threads.worker {
            pool.send(owner, pool::Message::Wake { thread, value });
            return Some(value);
        }
    }
    finish_wake(vm, thread, value);
    Some(value)
}

/// Makes a claimed (`Waking`) thread of this worker runnable with `value`.
fn finish_wake(vm: &mut Vm, thread: ThreadId, value: Value) {
    let threads = &mut vm.threads;
    let Some(slot) = threads.table.get_mut(&thread) else {
        return;
    };
    let (state, token) = slot.wait.load();
    if state != ThreadState::Waking {
        return;
    }
    slot.wait.store(ThreadState::Ready, token);
    slot.wake_value = value;
    if !slot.in_place {
        threads.scheduler.submit(thread);
    }
}

/// Wakes this worker's `thread` if it still waits with `token` (timers).
fn wake_local(vm: &mut Vm, thread: ThreadId, token: u64, value: Value) {
    let Some(slot) = vm.threads.table.get(&thread) else {
        return;
    };
    let ticket = WaitTicket {
        cell: Arc::clone(&slot.wait),
        token,
    };
    wake(vm, &ticket, value);
}

/// Wakes every thread whose timer is due.
fn fire_due_timers(vm: &mut Vm) {
    if vm.threads.timers.is_empty() {
        return;
    }
    let now = now(vm);
    while let Some(timer) = vm.threads.timers.peek() {
        if timer.deadline > now {
            break;
        }
        let timer = vm.threads.timers.pop().expect("peeked");
        wake_local(vm, timer.thread, timer.token, timer.value);
    }
}

/// Waits for the earliest timer (sleeping the host, or advancing virtual
/// time) and fires it. False when there is no timer at all.
fn wait_for_timer(vm: &mut Vm) -> bool {
    let Some(deadline) = vm.threads.timers.peek().map(|timer| timer.deadline) else {
        return false;
    };
    let before = now(vm);
    if deadline > before {
        // Collections of other workers go on while this one sleeps.
        #[cfg(parallel_workers)]
        workers::idle(vm);
        vm.host.sleep(deadline - before);
        #[cfg(parallel_workers)]
        workers::resume(vm);
        let after = now(vm);
        if vm.threads.measure && vm.nesting == 0 {
            vm.threads.stats.idle_seconds += after - before;
        }
        if after < deadline {
            vm.threads.clock_offset += deadline - after;
        }
    }
    fire_due_timers(vm);
    true
}

/// Runs one runnable thread for one dispatch; false when none is runnable.
fn run_one(vm: &mut Vm) -> bool {
    // A message may have woken a thread blocked in place, which the caller
    // must look at before it waits: that counts as work done.
    #[cfg(parallel_workers)]
    let received = receive_messages(vm);
    #[cfg(not(parallel_workers))]
    let received = false;
    fire_due_timers(vm);
    #[cfg(parallel_workers)]
    if vm.threads.scheduler.runnable() > 0 {
        if let Some(thread) = adopt_fresh_while_busy(vm) {
            dispatch(vm, thread);
            return true;
        }
    }
    if let Some(thread) = vm.threads.scheduler.next() {
        #[cfg(parallel_workers)]
        {
            stop_counting_idle(vm);
            if give_away(vm, thread) {
                return true;
            }
        }
        dispatch(vm, thread);
        return true;
    }
    #[cfg(parallel_workers)]
    if let Some(thread) = adopt_fresh(vm) {
        dispatch(vm, thread);
        return true;
    }
    received
}

/// The per-thread interpreter state a dispatch swaps.
struct SavedState {
    handled_exception: Value,
    context: Value,
    depth: usize,
    native_depth: usize,
    current: ThreadId,
}

fn save_state(vm: &Vm) -> SavedState {
    SavedState {
        handled_exception: vm.handled_exception,
        context: vm.context,
        depth: vm.depth,
        native_depth: vm.native_depth,
        current: vm.threads.current,
    }
}

fn restore_state(vm: &mut Vm, saved: SavedState) {
    vm.handled_exception = saved.handled_exception;
    vm.context = saved.context;
    vm.depth = saved.depth;
    vm.native_depth = saved.native_depth;
    vm.threads.current = saved.current;
}

/// Runs `id` for one batch of blocks.
fn dispatch(vm: &mut Vm, id: ThreadId) {
    let Some(thread) = vm.threads.table.get_mut(&id) else {
        return;
    };
    let (state, token) = thread.wait.load();
    if state != ThreadState::Ready || thread.in_place {
        return; // a stale queue entry
    }
    thread.wait.store(ThreadState::Running, token);
    let mut task = thread.task.take().unwrap_or_default();
    let start = thread.start.take();
    let wake_value = std::mem::replace(&mut thread.wake_value, Value::NULL);
    let retry = thread.retry.take();
    let resume_error = thread.resume_error.take();
    let starter = thread.starter.take();
    let (handled, context, depth) = (thread.handled_exception, thread.context, thread.depth);
    let saved = save_state(vm);
    // (None unless this dispatch nests in one that never parked.)
    let outer_starter = std::mem::replace(&mut vm.threads.starter, starter);
    vm.handled_exception = handled;
    vm.context = context;
    vm.depth = depth;
    vm.native_depth = 0;
    vm.threads.current = id;
    vm.threads.stats.dispatches += 1;

    let outcome = match start {
        Some(start) => begin(vm, &mut task, start),
        None => match retry.filter(|_| wake_value == Value::RETRY) {
            Some(retry) => match (retry.again)(vm, &retry) {
                Ok(result) => {
                    if let Some(top) = task.frames.last_mut() {
                        step::finish_parked_call(top, result);
                    }
                    Ok(())
                }
                Err(error) if error == Value::PARK => Err(error),
                Err(error) => {
                    // Raised by the call, where its instruction stopped.
                    task.pending = Some(error);
                    Ok(())
                }
            },
            None => {
                if let Some(top) = task.frames.last_mut() {
                    if !wake_value.is_null() {
                        step::finish_parked_call(top, wake_value);
                    }
                }
                Ok(())
            }
        },
    };
    let outcome = match outcome {
        Err(error) if error == Value::PARK => Ok(Step::Parked),
        Err(error) => Err(error),
        Ok(()) => {
            if let Some(error) = resume_error {
                task.pending = Some(error);
            }
            if task.frames.is_empty() {
                Ok(Step::Done(Completion::Returned(Value::NONE)))
            } else if vm.threads.measure && vm.nesting == 0 {
                let started = vm.host.monotonic();
                let outcome = run_batch(vm, &mut task);
                let ran = vm.host.monotonic() - started;
                vm.threads.stats.run_seconds += ran;
                vm.threads.stats.timed_dispatches += 1;
                outcome
            } else {
                run_batch(vm, &mut task)
            }
        }
    };

    // Still waiting if this dispatch never parked: it goes on before the
    // thread's next dispatch, or once a thread that ended has reported
    // its error.
    let mut starter = std::mem::replace(&mut vm.threads.starter, outer_starter);
    let (handled, context, depth) = (vm.handled_exception, vm.context, vm.depth);
    restore_state(vm, saved);
    if matches!(outcome, Ok(Step::Suspended | Step::Parked)) {
        if let Some(ticket) = starter.take() {
            wake_starter(vm, &ticket, id);
        }
    }
    let threads = &mut vm.threads;
    let thread = threads.slot(id);
    thread.handled_exception = handled;
    thread.context = context;
    thread.depth = depth;
    match outcome {
        Ok(Step::Suspended) => {
            thread.task = Some(task);
            thread.wait.store(ThreadState::Ready, thread.wait.token());
            threads.scheduler.submit(id);
        }
        Ok(Step::Parked) => {
            thread.task = Some(task);
            if thread.wait.state() == ThreadState::Ready {
                threads.scheduler.submit(id);
            }
        }
        Ok(Step::Done(completion)) => finish(vm, id, Ok(completion)),
        Err(error) => finish(vm, id, Err(error)),
    }
    if let Some(ticket) = starter {
        wake_starter(vm, &ticket, id);
    }
}

/// Blocks a thread may run past its budget to finish the embedded stdlib
/// code it is in, and the slices it runs them in.
const EMBEDDED_EXTENSION: u32 = 1 << 16;
const EMBEDDED_SLICE: u32 = 16;

/// Runs one dispatch's batch of blocks. A thread whose budget runs out
/// inside embedded stdlib code (`<frozen …>`: `collections.deque`, the
/// `threading` primitives...) runs on until that code returns or calls
/// out, within `EMBEDDED_EXTENSION` blocks: CPython implements much of it
/// in C, where no other thread runs, and programs rely on it (appends and
/// pops of one deque from several threads interleave safely).
fn run_batch(vm: &mut Vm, task: &mut Task) -> PyResult<Step> {
    let mut outcome = step::step(vm, task, step::BLOCKS_PER_DISPATCH);
    let mut extended = 0;
    while matches!(outcome, Ok(Step::Suspended)) && extended < EMBEDDED_EXTENSION {
        let Some(top) = task.frames.last() else {
            break;
        };
        if !crate::engine::str_of(top.code.filename)
            .is_some_and(|name| name.starts_with("<frozen "))
        {
            break;
        }
        outcome = step::step(vm, task, EMBEDDED_SLICE);
        extended += EMBEDDED_SLICE;
    }
    outcome
}

/// Sets up a thread's first frame.
fn begin(vm: &mut Vm, task: &mut Task, start: Start) -> PyResult<()> {
    let frame = match start {
        Start::Frame(frame) => frame,
        Start::Call {
            callable,
            args,
            kwargs,
        } => {
            let mut values: Vec<Value> = tuple_items(args).unwrap_or(&[]).to_vec();
            let mut names = Vec::new();
            if let Some(table) = ops::dict_of(kwargs) {
                for (key, value) in table.borrow().items() {
                    names.push(key);
                    values.push(value);
                }
            }
            match prepare_call(vm, callable, &values, &names)? {
                CallOutcome::Frame(frame) => frame,
                CallOutcome::Value(_) => return Ok(()),
            }
        }
    };
    step::push_frame(vm, task, frame)
}

/// A thread ended: drop it from the table; report an uncaught exception
/// of a started thread the way CPython's `_thread` does.
fn finish(vm: &mut Vm, id: ThreadId, result: PyResult<Completion>) {
    let Some(thread) = vm.threads.table.remove(&id) else {
        return;
    };
    if id == MAIN_THREAD {
        vm.threads.main_result = Some(result);
        return;
    }
    vm.threads.started_running = vm.threads.started_running.saturating_sub(1);
    #[cfg(parallel_workers)]
    if let Some(pool) = &vm.threads.pool {
        pool.thread_finished();
    }
    if let Err(exception) = result {
        if vm.is_instance(exception, vm.types.exc.system_exit) {
            return;
        }
        let entry = ops::repr_string(vm, thread.entry).unwrap_or_else(|_| "?".into());
        let mut text = format!("Exception ignored in thread started by: {entry}\n");
        text.push_str(&crate::engine::unwind::format_exception(vm, exception));
        vm.host.write_stderr(&text);
    }
}

/// Runs the main thread's `frame` to completion, running every other
/// runnable thread alongside it (the outermost driver).
pub fn run_main(vm: &mut Vm, frame: Box<Frame>) -> PyResult<Completion> {
    start_main(vm, frame);
    loop {
        match drive(vm, u64::MAX, true) {
            Drive::Finished(result) => return result,
            Drive::Paused | Drive::Sleeping(_) => {}
        }
    }
}

/// What a bounded run of the outermost driver (`drive`) ended with.
pub enum Drive {
    /// The main thread finished.
    Finished(PyResult<Completion>),
    /// The dispatch budget ran out; call `drive` again to go on.
    Paused,
    /// Every thread waits for a timer that is due in this many seconds;
    /// call `drive` again after that (or at once: it then sleeps).
    Sleeping(f64),
}

/// Makes `frame` the main thread's task, ready to run. `drive` runs it.
pub fn start_main(vm: &mut Vm, frame: Box<Frame>) {
    let main = PyThread::new(MAIN_THREAD, Some(Start::Frame(frame)), Value::NULL);
    vm.threads.table.insert(MAIN_THREAD, main);
    vm.threads.main_result = None;
    vm.threads.scheduler.submit(MAIN_THREAD);
}

/// The outermost driver, resumable: runs at most `dispatches` dispatches
/// of the threads started by `start_main` and returns, so that an embedder
/// whose thread must not block for long (a browser's event loop) can run a
/// program in slices. With `may_sleep` false it returns `Sleeping` instead
/// of waiting for a timer on the host.
pub fn drive(vm: &mut Vm, dispatches: u64, may_sleep: bool) -> Drive {
    debug_assert_eq!(vm.nesting, 0, "the outermost driver runs at nesting 0");
    // The outermost loop marks where the engine's Rust stack begins.
    let marker = 0u8;
    vm.stack_origin = &marker as *const u8 as usize;
    let started = vm.host.monotonic();
    let mut remaining = dispatches;
    loop {
        if let Some(result) = vm.threads.main_result.take() {
            if vm.threads.measure {
                vm.threads.stats.driver_seconds += vm.host.monotonic() - started;
            }
            return Drive::Finished(result);
        }
        if remaining == 0 {
            return Drive::Paused;
        }
        remaining -= 1;
        interrupt_waiting_main(vm);
        if run_one(vm) {
            continue;
        }
        // Nothing runs here: an interrupt requested now is for a main
        // thread that waits (a host that parks returns early for it).
        if vm.polls_interrupts && !vm.interrupt_requested && vm.host.poll_interrupt() {
            vm.interrupt_requested = true;
            continue;
        }
        // With workers, a wake may come from another one before the
        // timer: wait for either here (the host parks in short slices).
        if !may_sleep && vm.host.has_clock() && !has_workers(vm) {
            if let Some(deadline) = vm.threads.timers.peek().map(|timer| timer.deadline) {
                let wait = deadline - now(vm);
                if wait > 0.0 {
                    return Drive::Sleeping(wait);
                }
            }
        }
        if wait_for_work(vm) {
            continue;
        }
        // Nothing can ever run again: every thread waits on another.
        resume_main_with_deadlock(vm);
    }
}

/// Whether this interpreter runs threads with other workers.
fn has_workers(vm: &Vm) -> bool {
    #[cfg(parallel_workers)]
    return vm.threads.pool.is_some();
    #[cfg(not(parallel_workers))]
    {
        let _ = vm;
        false
    }
}

/// The embedder leaves the engine for a while (between two slices of a
/// sliced run, or between runs): this worker's roots are published and
/// the other workers collect and open write sections without waiting for
/// it. `enter_from_embedder` before the engine is used again.
pub fn leave_to_embedder(vm: &mut Vm) {
    #[cfg(parallel_workers)]
    if vm.group.is_some() {
        workers::idle(vm);
    }
    #[cfg(not(parallel_workers))]
    let _ = vm;
}

/// Back from `leave_to_embedder` (waits out a collection in progress).
pub fn enter_from_embedder(vm: &mut Vm) {
    #[cfg(parallel_workers)]
    workers::resume(vm);
    #[cfg(not(parallel_workers))]
    let _ = vm;
}

/// A requested interrupt (`Vm::interrupt_requested`) while the main
/// thread waits (a sleep, a lock, a join): wake it with KeyboardInterrupt,
/// as a signal ends CPython's blocking calls. A running main thread gets
/// it at its next block boundary instead (the step loop).
fn interrupt_waiting_main(vm: &mut Vm) {
    if !vm.interrupt_requested {
        return;
    }
    let Some(main) = vm.threads.table.get(&MAIN_THREAD) else {
        return;
    };
    if main.wait.state() != ThreadState::Parked {
        return;
    }
    let class = vm.types.exc.keyboard_interrupt;
    let error = vm.new_exception(class, vec![]);
    if resume_with_error(vm, MAIN_THREAD, error) {
        vm.interrupt_requested = false;
    }
}

/// Ends the wait of this worker's parked `thread` with `error` raised
/// where it waits; false if it was not parked (or another wake won).
fn resume_with_error(vm: &mut Vm, thread: ThreadId, error: Value) -> bool {
    let threads = &mut vm.threads;
    let Some(slot) = threads.table.get_mut(&thread) else {
        return false;
    };
    if !slot.wait.claim(slot.wait.token()) {
        return false;
    }
    slot.resume_error = Some(error);
    if !slot.in_place {
        slot.wait.store(ThreadState::Ready, slot.wait.token());
        threads.scheduler.submit(thread);
    }
    true
}

fn resume_main_with_deadlock(vm: &mut Vm) {
    // The deadlock is found again while the main thread cannot act on it
    // (woken already, or blocked in place beneath another thread): no
    // new error for each time.
    let parked = vm
        .threads
        .table
        .get(&MAIN_THREAD)
        .is_some_and(|main| main.wait.state() == ThreadState::Parked);
    if parked {
        let error = deadlock_error(vm);
        resume_with_error(vm, MAIN_THREAD, error);
    }
}

fn deadlock_error(vm: &mut Vm) -> Value {
    if vm.host.env_var("PROTOPY_DEBUG_DEADLOCK").is_some() {
        let report = describe_threads(vm);
        vm.host.write_stderr(&report);
    }
    vm.threads.deadlocks_raised += 1;
    let class = vm.types.exc.runtime_error;
    vm.new_error(
        class,
        "deadlock: every thread is blocked and no timer can wake one",
    )
}

/// One line per thread: its state and its frames (function:line,
/// outermost first), for `PROTOPY_DEBUG_DEADLOCK`.
fn describe_threads(vm: &Vm) -> String {
    let mut report = String::new();
    for (id, thread) in &vm.threads.table {
        let frames: Vec<String> = thread
            .task
            .iter()
            .flat_map(|task| task.frames.iter())
            .map(|frame| format!("{}:{}", vm.str_text(frame.code.name), frame.current_line()))
            .collect();
        report.push_str(&format!(
            "thread {id}: {:?}{} {}\n",
            thread.wait.state(),
            if thread.in_place {
                " (blocked in place)"
            } else {
                ""
            },
            frames.join(" > ")
        ));
    }
    report
}

/// Blocks the current thread inside native code until it is woken, and
/// returns what it was woken with. Meanwhile the worker's other threads
/// run on other workers (`parallel::run_one_in_place`), or, with no other
/// worker (the inline backend), here, above the blocked one.
fn block_in_place(vm: &mut Vm) -> PyResult<Value> {
    let me = vm.threads.current;
    vm.threads.slot(me).in_place = true;
    vm.nesting += 1;
    #[cfg(parallel_workers)]
    let hands_over = parallel::enter_in_place(vm);
    let saved = save_state(vm);
    let result = loop {
        let thread = vm.threads.slot(me);
        if thread.wait.state() == ThreadState::Ready {
            break Ok(std::mem::replace(&mut thread.wake_value, Value::NULL));
        }
        if let Some(error) = thread.resume_error.take() {
            break Err(error);
        }
        if me == MAIN_THREAD && vm.interrupt_requested {
            interrupt_waiting_main(vm);
            continue;
        }
        #[cfg(parallel_workers)]
        if hands_over {
            // (As below: its own timer may have fired.)
            if !parallel::run_one_in_place(vm)
                && vm.threads.slot(me).wait.state() != ThreadState::Ready
            {
                parallel::wait_in_place(vm);
            }
            continue;
        }
        if run_one(vm) {
            continue;
        }
        // `run_one` may have fired this thread's own timer and found
        // nothing to run: another worker can steal the queue entry the
        // wake left (a stale one there), and this thread, ready now,
        // must not wait for work that will never come.
        if vm.threads.slot(me).wait.state() == ThreadState::Ready {
            continue;
        }
        if wait_for_work(vm) {
            continue;
        }
        break Err(deadlock_error(vm));
    };
    restore_state(vm, saved);
    #[cfg(parallel_workers)]
    if hands_over {
        parallel::leave_in_place(vm);
    }
    vm.nesting -= 1;
    let thread = vm.threads.slot(me);
    thread.in_place = false;
    let token = thread.wait.token() + 1;
    thread.wait.store(ThreadState::Running, token);
    result
}
