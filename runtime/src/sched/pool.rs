//! The work-stealing backend's shared half: what the workers of one
//! `WorkerGroup` share to run Python threads together (wherever workers
//! exist: the `parallel_workers` cfg).
//!
//! Each worker (an interpreter on its own OS thread, `Vm::new_worker`)
//! keeps its own thread table and run queue: a thread runs on the worker
//! that adopted it, and its objects stay single-owner until they are
//! shared. Between the workers there are only lock-free queues
//! (`crossbeam-deque`'s injector) and atomics:
//!
//! ```text
//!   spawn ──> fresh ──(the first worker with nothing to run steals it)──> its table
//!   wake of a thread owned elsewhere:
//!     claim its WaitCell (PARKED -> WAKING, one CAS) ──> owner's inbox ──> owner: READY
//!   idle worker: no runnable thread, nothing fresh, empty inbox
//!     ──> Host::park until its next timer or an unpark (pushes unpark the target)
//! ```
//!
//! A worker that goes idle with no timer counts itself *blocked*; the one
//! that finds every worker blocked and every queue empty has found a
//! deadlock and tells the main thread's worker, which raises it in the
//! main thread (as the inline scheduler does).
//!
//! The queues hold values (a fresh thread's callable and arguments, a
//! wake's result) that no worker's roots list: a collection (every worker
//! stopped) traces them by taking each queue's items out and putting them
//! back in order (`Pool::trace`).

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::SeqCst};
use std::sync::OnceLock;

use crossbeam_deque::{Injector, Steal};
use crossbeam_utils::CachePadded;

use super::{PyThread, ThreadId};
use crate::heap::gc::Marker;
use crate::host::Unparker;
use crate::value::Value;

/// Loads of its queues an idle worker makes before it parks.
const IDLE_WATCH_ROUNDS: u32 = 2048;

/// A thread not started yet, waiting for a worker to adopt it.
pub(super) struct FreshThread {
    pub id: ThreadId,
    pub thread: Box<PyThread>,
    /// The worker whose thread started it (or that gave it away).
    pub spawner: usize,
}

/// What `Pool::take_fresh` found.
pub(super) enum Adoption {
    Taken(FreshThread),
    /// Left for an idle worker.
    Deferred,
    Empty,
}

/// What one worker is told by the others.
pub(super) enum Message {
    /// Finish the wake of `thread` (already claimed by the sender).
    Wake { thread: ThreadId, value: Value },
    /// Every worker is blocked: raise the deadlock in the main thread.
    Deadlock,
}

// SAFETY: a fresh thread's values (callable, arguments) and a wake's
// value are shared objects (`spawn` and `wake` share them first), which
// any worker may use; the boxed thread itself is owned by whichever
// worker takes it from the queue.
unsafe impl Send for FreshThread {}
// SAFETY: as above: a message's value is shared before it is sent.
unsafe impl Send for Message {}

#[derive(Default)]
struct Inbox {
    messages: Injector<Message>,
    /// Threads this worker started that nobody runs yet.
    fresh: Injector<FreshThread>,
    unpark: OnceLock<Unparker>,
    /// A spare worker with nothing of its own, asleep until the pool is
    /// short of free workers again (`go_dormant`, `wake_dormant`).
    dormant: AtomicBool,
}

pub struct Pool {
    inboxes: Box<[CachePadded<Inbox>]>,
    next_thread: AtomicU64,
    /// Threads started and not finished, in every worker.
    live: AtomicUsize,
    /// Workers running (the main thread's included): all those planned
    /// until the starts are done, so that none is found blocked alone;
    /// spares count from when they are reserved.
    workers: AtomicUsize,
    /// Workers planned at the start (one per core): the number that
    /// should be free to run threads, spares making up for those whose
    /// threads are blocked in place.
    planned: usize,
    /// Workers with a thread blocked in place (`enter_in_place`), which
    /// run no thread meanwhile.
    in_place: AtomicUsize,
    /// Set while a worker starts a spare (one start at a time).
    starting_spare: AtomicBool,
    /// Set once no spare can start (`no_more_spares`).
    spares_exhausted: AtomicBool,
    /// Spare workers dormant now.
    dormant: AtomicUsize,
    /// Threads in the fresh queues: counted before each push and after
    /// each take, so never below what they hold.
    fresh_count: AtomicUsize,
    /// Workers idle with no timer to wake them.
    blocked: AtomicUsize,
    /// Workers idle now (in `wait_for_work`), with or without a timer.
    idle: AtomicUsize,
    /// Bumped after every push to a queue and whenever a worker stops
    /// being blocked: a deadlock check that sees it unchanged across its
    /// reads saw one consistent moment.
    activity: AtomicU64,
    shutdown: AtomicBool,
    /// Fresh threads adopted by a worker other than their spawner's.
    stolen: AtomicU64,
    /// Started threads a busy worker gave to an idle one.
    moved: AtomicU64,
}

impl Pool {
    /// A pool for `planned` workers, with room for `spares` more.
    pub(super) fn new(planned: usize, spares: usize, next_thread: ThreadId) -> Pool {
        Pool {
            inboxes: (0..planned + spares)
                .map(|_| CachePadded::default())
                .collect(),
            next_thread: AtomicU64::new(next_thread),
            live: AtomicUsize::new(0),
            workers: AtomicUsize::new(planned),
            planned,
            in_place: AtomicUsize::new(0),
            starting_spare: AtomicBool::new(false),
            spares_exhausted: AtomicBool::new(spares == 0),
            dormant: AtomicUsize::new(0),
            fresh_count: AtomicUsize::new(0),
            blocked: AtomicUsize::new(0),
            idle: AtomicUsize::new(0),
            activity: AtomicU64::new(0),
            shutdown: AtomicBool::new(false),
            stolen: AtomicU64::new(0),
            moved: AtomicU64::new(0),
        }
    }

    /// Workers that run threads (set once they are started).
    pub fn workers(&self) -> usize {
        self.workers.load(SeqCst)
    }

    pub(super) fn set_workers(&self, count: usize) {
        self.workers.store(count, SeqCst);
    }

    /// The inboxes of the workers reserved so far.
    fn inboxes(&self) -> &[CachePadded<Inbox>] {
        &self.inboxes[..self.workers().min(self.inboxes.len())]
    }

    /// Workers free to run threads: neither blocked in place nor dormant.
    pub(super) fn free_workers(&self) -> usize {
        self.workers()
            .saturating_sub(self.in_place.load(SeqCst) + self.dormant.load(SeqCst))
    }

    /// Whether fewer workers than planned are free to run threads.
    pub(super) fn short_of_workers(&self) -> bool {
        self.free_workers() < self.planned
    }

    /// Reserves the next spare worker's index (it counts as a worker from
    /// now on); `None` when no more can start or another worker is
    /// starting one. The caller reports the start (`spare_started`).
    pub(super) fn reserve_spare(&self) -> Option<usize> {
        if self.no_more_spares() || self.starting_spare.swap(true, SeqCst) {
            return None;
        }
        let capacity = self.inboxes.len();
        let reserved = self
            .workers
            .fetch_update(SeqCst, SeqCst, |count| {
                (count < capacity).then_some(count + 1)
            })
            .ok();
        if reserved.is_none() {
            self.spares_exhausted.store(true, SeqCst);
            self.starting_spare.store(false, SeqCst);
        }
        reserved
    }

    /// Ends the start of the spare reserved as `index`. One that did not
    /// start is unreserved (no other was reserved meanwhile: one start at
    /// a time), so that no worker that never runs counts as one, and no
    /// other start is tried: the host has no more threads to give.
    pub(super) fn spare_started(&self, index: usize, started: bool) {
        if !started {
            self.workers.store(index, SeqCst);
            self.spares_exhausted.store(true, SeqCst);
        }
        self.starting_spare.store(false, SeqCst);
    }

    /// Whether no spare can start any more (all taken, or the host
    /// refused one).
    pub(super) fn no_more_spares(&self) -> bool {
        self.spares_exhausted.load(SeqCst)
    }

    /// Puts spare `worker` (which has no threads or timers) to sleep if
    /// the pool has the planned number of free workers without it, so
    /// that spares started while threads waited in place do not outnumber
    /// the cores once those waits end (every push wakes every awake
    /// worker). Whether it is dormant now.
    pub(super) fn go_dormant(&self, worker: usize) -> bool {
        if worker < self.planned {
            return false;
        }
        // Counted dormant only while the rest stay enough: a worker that
        // reads the count meanwhile never finds fewer free than there are.
        let enough = |dormant: usize| {
            let busy = self.in_place.load(SeqCst) + dormant + 1;
            (self.workers().saturating_sub(busy) >= self.planned).then_some(dormant + 1)
        };
        if self.dormant.fetch_update(SeqCst, SeqCst, enough).is_err() {
            return false;
        }
        self.inboxes[worker].dormant.store(true, SeqCst);
        true
    }

    /// Whether `worker` is still dormant (or the pool shuts down).
    pub(super) fn stays_dormant(&self, worker: usize) -> bool {
        self.inboxes[worker].dormant.load(SeqCst) && !self.shutdown.load(SeqCst)
    }

    /// Wakes a dormant spare, if there is one; whether it did.
    pub(super) fn wake_dormant(&self) -> bool {
        for inbox in self.inboxes() {
            if inbox
                .dormant
                .compare_exchange(true, false, SeqCst, SeqCst)
                .is_ok()
            {
                self.dormant.fetch_sub(1, SeqCst);
                self.activity.fetch_add(1, SeqCst);
                if let Some(unpark) = inbox.unpark.get() {
                    unpark();
                }
                return true;
            }
        }
        false
    }

    /// A worker's thread blocks in place: the worker runs nothing else
    /// until it is woken (`parallel::run_one_in_place`).
    pub(super) fn enter_in_place(&self) {
        self.in_place.fetch_add(1, SeqCst);
    }

    pub(super) fn leave_in_place(&self) {
        self.in_place.fetch_sub(1, SeqCst);
    }

    /// Fresh threads that ran on another worker than the one that
    /// started them.
    pub fn stolen(&self) -> u64 {
        self.stolen.load(SeqCst)
    }

    /// Started threads that moved to another worker (see `push_moving`).
    pub fn moved(&self) -> u64 {
        self.moved.load(SeqCst)
    }

    pub(super) fn set_unparker(&self, worker: usize, unpark: Unparker) {
        let _ = self.inboxes[worker].unpark.set(unpark);
    }

    pub(super) fn next_thread_id(&self) -> ThreadId {
        self.next_thread.fetch_add(1, SeqCst)
    }

    pub(super) fn live(&self) -> usize {
        self.live.load(SeqCst)
    }

    pub(super) fn thread_finished(&self) {
        self.live.fetch_sub(1, SeqCst);
    }

    /// Queues a new thread for the first worker with nothing to run and
    /// wakes the idle ones.
    pub(super) fn push_fresh(&self, fresh: FreshThread) {
        let spawner = fresh.spawner;
        self.live.fetch_add(1, SeqCst);
        self.fresh_count.fetch_add(1, SeqCst);
        self.inboxes[spawner].fresh.push(fresh);
        self.activity.fetch_add(1, SeqCst);
        self.unpark_all_but(spawner);
    }

    /// Queues a started thread that its worker gives away (it has other
    /// runnable threads and some worker is idle): adopted like a fresh
    /// one, by the first worker with nothing to run.
    pub(super) fn push_moving(&self, moving: FreshThread) {
        self.moved.fetch_add(1, SeqCst);
        let giver = moving.spawner;
        self.fresh_count.fetch_add(1, SeqCst);
        self.inboxes[giver].fresh.push(moving);
        self.activity.fetch_add(1, SeqCst);
        self.unpark_all_but(giver);
    }

    fn unpark_all_but(&self, worker: usize) {
        for (index, inbox) in self.inboxes().iter().enumerate() {
            if index != worker && !inbox.dormant.load(SeqCst) {
                if let Some(unpark) = inbox.unpark.get() {
                    unpark();
                }
            }
        }
    }

    /// Workers idle now (waiting for work, not yet looking at the fresh
    /// threads again).
    pub(super) fn idle_workers(&self) -> usize {
        self.idle.load(SeqCst)
    }

    /// Whether any thread waits in a fresh queue.
    pub(super) fn fresh_waiting(&self) -> bool {
        !self.nothing_fresh()
    }

    /// A fresh thread for `worker` to adopt: one another worker started
    /// (oldest first), else one of its own. With `defer_own`, its own are
    /// left for another worker while one is idle: a thread that starts
    /// another usually waits for it to begin (`Thread.start`), and a
    /// spawner that adopted it would run it to its first switch — for a
    /// long native call (`sum` over a generator), to its end — before the
    /// starting thread could go on and start the next one, leaving the
    /// idle workers idle.
    pub(super) fn take_fresh(&self, worker: usize, defer_own: bool) -> Adoption {
        if self.nothing_fresh() {
            return Adoption::Empty;
        }
        let inboxes = self.inboxes();
        let count = inboxes.len();
        for other in (1..count).map(|step| (worker + step) % count) {
            if let Some(fresh) = steal_one(&inboxes[other].fresh) {
                self.fresh_count.fetch_sub(1, SeqCst);
                self.stolen.fetch_add(1, SeqCst);
                return Adoption::Taken(fresh);
            }
        }
        let own = &self.inboxes[worker].fresh;
        if own.is_empty() {
            return Adoption::Empty;
        }
        if defer_own && self.idle.load(SeqCst) > 0 {
            return Adoption::Deferred;
        }
        let taken = steal_one(own);
        if taken.is_some() {
            self.fresh_count.fetch_sub(1, SeqCst);
        }
        taken.map_or(Adoption::Empty, Adoption::Taken)
    }

    /// Whether no fresh queue holds a thread (one load: idle workers ask
    /// this in their watch loop, and spares can make the queues many).
    fn nothing_fresh(&self) -> bool {
        self.fresh_count.load(SeqCst) == 0
    }

    /// A worker goes idle (`true`) or back to work (`false`).
    pub(super) fn set_idle(&self, idle: bool) {
        if idle {
            self.idle.fetch_add(1, SeqCst);
        } else {
            self.idle.fetch_sub(1, SeqCst);
        }
    }

    pub(super) fn send(&self, worker: usize, message: Message) {
        let inbox = &self.inboxes[worker];
        inbox.messages.push(message);
        self.activity.fetch_add(1, SeqCst);
        if let Some(unpark) = inbox.unpark.get() {
            unpark();
        }
    }

    pub(super) fn receive(&self, worker: usize) -> Option<Message> {
        let inbox = &self.inboxes[worker].messages;
        if inbox.is_empty() {
            return None;
        }
        steal_one(inbox)
    }

    /// Whether `worker` has anything to pick up (a message or a fresh
    /// thread), or should stop.
    pub(super) fn has_work_for(&self, worker: usize) -> bool {
        !self.inboxes[worker].messages.is_empty()
            || !self.nothing_fresh()
            || self.shutdown.load(SeqCst)
    }

    /// Whether `worker`, which takes no fresh threads now (one of its
    /// threads is blocked in place), has a message, or should stop.
    pub(super) fn has_message_for(&self, worker: usize) -> bool {
        !self.inboxes[worker].messages.is_empty() || self.shutdown.load(SeqCst)
    }

    /// Watches for work for `worker` for a bounded number of loads (a few
    /// microseconds); whether some came. An idle worker does this, in its
    /// safe region, before it parks: a thread on another worker that hands
    /// it work (a lock, a queue item) often does so within microseconds,
    /// far sooner than a parked OS thread wakes.
    pub(super) fn watch_for_work(&self, worker: usize, adopts: bool) -> bool {
        let has_work = |worker| {
            if adopts {
                self.has_work_for(worker)
            } else {
                self.has_message_for(worker)
            }
        };
        // With more workers awake than planned (spares for threads that
        // wait in place), watching would take the cores from the workers
        // that have work.
        let awake = self.workers().saturating_sub(self.dormant.load(SeqCst));
        let rounds = if awake > self.planned {
            0
        } else {
            IDLE_WATCH_ROUNDS
        };
        for _ in 0..rounds {
            if has_work(worker) {
                return true;
            }
            std::hint::spin_loop();
        }
        has_work(worker)
    }

    /// Counts `worker` blocked (idle, no timer); true when that makes
    /// every worker blocked with nothing queued anywhere: a deadlock.
    ///
    /// The count and the queues are read at different moments, so the
    /// activity counter must not move in between: a worker that stopped
    /// being blocked (and may have taken what the queues held) or a push
    /// in between makes the answer "no". A pusher still running at the
    /// last read is not blocked, so the count catches it.
    pub(super) fn block(&self) -> bool {
        let blocked = self.blocked.fetch_add(1, SeqCst) + 1;
        if blocked != self.workers() {
            return false;
        }
        let activity = self.activity.load(SeqCst);
        let quiet =
            self.nothing_fresh() && self.inboxes().iter().all(|inbox| inbox.messages.is_empty());
        quiet
            && self.activity.load(SeqCst) == activity
            && self.blocked.load(SeqCst) == self.workers()
    }

    pub(super) fn unblock(&self) {
        self.blocked.fetch_sub(1, SeqCst);
        self.activity.fetch_add(1, SeqCst);
    }

    /// Tells every worker to leave its loop (the main thread is done).
    pub fn shut_down(&self) {
        self.shutdown.store(true, SeqCst);
        for inbox in self.inboxes.iter() {
            if let Some(unpark) = inbox.unpark.get() {
                unpark();
            }
        }
    }

    pub fn is_shut_down(&self) -> bool {
        self.shutdown.load(SeqCst)
    }

    /// Marks the values the queues hold. Only while every worker is
    /// stopped (a collection): the items are taken out and put back in
    /// their order.
    pub fn trace(&self, marker: &mut Marker) {
        for inbox in self.inboxes.iter() {
            let mut fresh = Vec::new();
            while let Some(item) = steal_one(&inbox.fresh) {
                item.thread.trace(marker);
                fresh.push(item);
            }
            for item in fresh {
                inbox.fresh.push(item);
            }
            let mut messages = Vec::new();
            while let Some(message) = steal_one(&inbox.messages) {
                if let Message::Wake { value, .. } = &message {
                    marker.mark(*value);
                }
                messages.push(message);
            }
            for message in messages {
                inbox.messages.push(message);
            }
        }
    }
}

fn steal_one<T>(queue: &Injector<T>) -> Option<T> {
    loop {
        match queue.steal() {
            Steal::Success(item) => return Some(item),
            Steal::Retry => continue,
            Steal::Empty => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Adoption, FreshThread, Pool};
    use crate::sched::PyThread;
    use crate::value::Value;

    fn fresh(pool: &Pool, id: u64, spawner: usize) {
        let thread = Box::new(PyThread::new(id, None, Value::NULL));
        pool.push_fresh(FreshThread {
            id,
            thread,
            spawner,
        });
    }

    fn taken(adoption: Adoption) -> Option<u64> {
        match adoption {
            Adoption::Taken(fresh) => Some(fresh.id),
            Adoption::Deferred | Adoption::Empty => None,
        }
    }

    #[test]
    fn a_spawner_leaves_its_fresh_threads_to_an_idle_worker() {
        let pool = Pool::new(2, 0, 1);
        fresh(&pool, 1, 0);
        pool.set_idle(true); // worker 1 waits for work
        assert!(matches!(pool.take_fresh(0, true), Adoption::Deferred));
        assert_eq!(taken(pool.take_fresh(1, true)), Some(1));
        assert_eq!(pool.stolen(), 1);
        pool.set_idle(false);
        // Nobody idle: the spawner takes its own.
        fresh(&pool, 2, 0);
        assert_eq!(taken(pool.take_fresh(0, true)), Some(2));
        // After enough deferrals it takes its own even with an idle worker.
        fresh(&pool, 3, 0);
        pool.set_idle(true);
        assert_eq!(taken(pool.take_fresh(0, false)), Some(3));
        assert!(matches!(pool.take_fresh(0, true), Adoption::Empty));
        assert_eq!(pool.stolen(), 1);
    }

    #[test]
    fn a_worker_takes_threads_other_workers_started_first_and_oldest_first() {
        let pool = Pool::new(3, 0, 1);
        fresh(&pool, 1, 1);
        fresh(&pool, 2, 2);
        fresh(&pool, 3, 1);
        fresh(&pool, 4, 0);
        assert!(pool.has_work_for(0));
        // Worker 0 looks at worker 1's queue, then worker 2's, then its own.
        let order: Vec<_> = (0..4)
            .filter_map(|_| taken(pool.take_fresh(0, true)))
            .collect();
        assert_eq!(order, [1, 3, 2, 4]);
        assert_eq!(pool.stolen(), 3);
        assert!(!pool.has_work_for(0));
    }

    #[test]
    fn spares_make_up_for_workers_waiting_in_place_and_sleep_when_not_needed() {
        let pool = Pool::new(2, 2, 1);
        assert_eq!(pool.free_workers(), 2);
        assert!(!pool.short_of_workers());
        // A planned worker never goes dormant.
        assert!(!pool.go_dormant(1));
        pool.enter_in_place();
        assert!(pool.short_of_workers());
        assert_eq!(pool.reserve_spare(), Some(2));
        // One start at a time.
        assert_eq!(pool.reserve_spare(), None);
        pool.spare_started(2, true);
        assert_eq!(pool.free_workers(), 2);
        // Not dormant while the rest would be too few.
        assert!(!pool.go_dormant(2));
        pool.leave_in_place();
        assert!(pool.go_dormant(2));
        assert!(pool.stays_dormant(2));
        assert_eq!(pool.free_workers(), 2);
        // A worker in place again wakes it rather than starting another.
        pool.enter_in_place();
        assert!(pool.short_of_workers());
        assert!(pool.wake_dormant());
        assert!(!pool.stays_dormant(2));
        assert!(!pool.wake_dormant());
        assert_eq!(pool.free_workers(), 2);
        // A spare the host cannot start is unreserved, and none is tried
        // again.
        assert_eq!(pool.reserve_spare(), Some(3));
        pool.spare_started(3, false);
        assert_eq!(pool.workers(), 3);
        assert!(pool.no_more_spares());
        assert_eq!(pool.reserve_spare(), None);
    }

    #[test]
    fn fresh_threads_are_counted_until_taken() {
        let pool = Pool::new(2, 1, 1);
        assert!(!pool.fresh_waiting());
        fresh(&pool, 1, 1);
        fresh(&pool, 2, 0);
        assert!(pool.fresh_waiting());
        assert_eq!(taken(pool.take_fresh(0, false)), Some(1));
        assert!(pool.fresh_waiting());
        assert_eq!(taken(pool.take_fresh(1, false)), Some(2));
        assert!(!pool.fresh_waiting());
        assert!(matches!(pool.take_fresh(0, false), Adoption::Empty));
        // With every spare taken, none can be reserved.
        let full = Pool::new(2, 0, 1);
        assert!(full.no_more_spares());
        assert_eq!(full.reserve_spare(), None);
    }
}
