//! The work-stealing backend's run queues: one `crossbeam-deque` deque per
//! OS worker, a global injector, stealing between workers, and idle
//! workers that sleep on an atomic word (a futex through `atomic-wait`),
//! never on a mutex or condition variable.
//!
//! Each OS worker owns one [`WorkStealingWorker`] (its deque is not
//! `Sync`); what all workers share is [`Shared`]: the injector, the
//! stealers, and one cache-line-aligned [`WorkerSlot`] per worker with its
//! sleep word and counters, so no two workers write the same line.
//!
//! Sleeping without lost wake-ups: a worker going idle marks its slot
//! `SLEEPING`, bumps `sleepers`, issues a `SeqCst` fence and looks at the
//! queues once more before it waits; a submitter pushes, fences, and reads
//! `sleepers` — if it is not 0 it flips one sleeping slot back to `AWAKE`
//! and wakes its futex. One of the two always sees the other.
//!
//! The engine does not run Python on this backend yet: its objects are
//! still single-owner (see `docs/ARCHITECTURE.md`). The queues are
//! complete and tested on their own with OS threads.

use std::sync::atomic::{fence, AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use crossbeam_deque::{Injector, Steal, Stealer, Worker};
use crossbeam_utils::CachePadded;

use super::{Scheduler, ThreadId};

const AWAKE: u32 = 0;
const SLEEPING: u32 = 1;

/// One worker's shared state, padded to its own cache line(s).
#[derive(Default)]
pub struct WorkerSlot {
    /// The futex word: `SLEEPING` while the worker waits for work.
    sleep_state: AtomicU32,
    /// Tasks this worker took from its own deque or the injector.
    pub taken: AtomicU64,
    /// Tasks this worker stole from another worker's deque.
    pub stolen: AtomicU64,
    /// Times this worker went to sleep.
    pub sleeps: AtomicU64,
}

/// What every worker of one pool shares.
pub struct Shared {
    injector: Injector<ThreadId>,
    stealers: Box<[Stealer<ThreadId>]>,
    slots: Box<[CachePadded<WorkerSlot>]>,
    sleepers: CachePadded<AtomicUsize>,
    shutdown: AtomicBool,
}

impl Shared {
    pub fn workers(&self) -> usize {
        self.slots.len()
    }

    pub fn slot(&self, worker: usize) -> &WorkerSlot {
        &self.slots[worker]
    }

    /// Submits a task from outside any worker (or to no worker in
    /// particular): it goes to the injector and wakes a sleeper.
    pub fn inject(&self, task: ThreadId) {
        self.injector.push(task);
        self.notify_one();
    }

    /// Wakes every worker and makes `sleep_until_work` return false.
    pub fn shut_down(&self) {
        self.shutdown.store(true, Ordering::SeqCst);
        for slot in self.slots.iter() {
            slot.sleep_state.store(AWAKE, Ordering::SeqCst);
            super::futex::wake_all(&slot.sleep_state);
        }
    }

    pub fn is_shut_down(&self) -> bool {
        self.shutdown.load(Ordering::SeqCst)
    }

    /// Wakes one sleeping worker, if any sleeps. One atomic load when
    /// every worker is busy.
    fn notify_one(&self) {
        fence(Ordering::SeqCst);
        if self.sleepers.load(Ordering::SeqCst) == 0 {
            return;
        }
        for slot in self.slots.iter() {
            if slot
                .sleep_state
                .compare_exchange(SLEEPING, AWAKE, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
            {
                super::futex::wake_one(&slot.sleep_state);
                return;
            }
        }
    }

    fn has_visible_work(&self) -> bool {
        !self.injector.is_empty() || self.stealers.iter().any(|stealer| !stealer.is_empty())
    }
}

/// A pool's workers: hand one to each OS thread that runs tasks.
pub fn new_pool(workers: usize) -> (Arc<Shared>, Vec<WorkStealingWorker>) {
    let workers = workers.max(1);
    let deques: Vec<Worker<ThreadId>> = (0..workers).map(|_| Worker::new_fifo()).collect();
    let shared = Arc::new(Shared {
        injector: Injector::new(),
        stealers: deques.iter().map(Worker::stealer).collect(),
        slots: (0..workers).map(|_| CachePadded::default()).collect(),
        sleepers: CachePadded::new(AtomicUsize::new(0)),
        shutdown: AtomicBool::new(false),
    });
    let handles = deques
        .into_iter()
        .enumerate()
        .map(|(index, local)| WorkStealingWorker {
            index,
            local,
            shared: Arc::clone(&shared),
        })
        .collect();
    (shared, handles)
}

/// One OS worker's view of the pool: its own deque plus the shared parts.
pub struct WorkStealingWorker {
    index: usize,
    local: Worker<ThreadId>,
    shared: Arc<Shared>,
}

impl WorkStealingWorker {
    pub fn index(&self) -> usize {
        self.index
    }

    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// Sleeps until another worker or the injector may have work for this
    /// one; false once the pool is shut down.
    pub fn sleep_until_work(&mut self) -> bool {
        let slot = &self.shared.slots[self.index];
        slot.sleep_state.store(SLEEPING, Ordering::SeqCst);
        self.shared.sleepers.fetch_add(1, Ordering::SeqCst);
        fence(Ordering::SeqCst);
        if !self.shared.has_visible_work() && !self.shared.is_shut_down() {
            slot.sleeps.fetch_add(1, Ordering::Relaxed);
            while slot.sleep_state.load(Ordering::SeqCst) == SLEEPING {
                super::futex::wait(&slot.sleep_state, SLEEPING);
            }
        }
        slot.sleep_state.store(AWAKE, Ordering::SeqCst);
        self.shared.sleepers.fetch_sub(1, Ordering::SeqCst);
        !self.shared.is_shut_down()
    }

    fn steal_from_injector(&self) -> Option<ThreadId> {
        loop {
            match self.shared.injector.steal_batch_and_pop(&self.local) {
                Steal::Success(task) => return Some(task),
                Steal::Retry => continue,
                Steal::Empty => return None,
            }
        }
    }

    fn steal_from_others(&self) -> Option<ThreadId> {
        let count = self.shared.stealers.len();
        for offset in 1..count {
            let victim = &self.shared.stealers[(self.index + offset) % count];
            loop {
                match victim.steal() {
                    Steal::Success(task) => return Some(task),
                    Steal::Retry => continue,
                    Steal::Empty => break,
                }
            }
        }
        None
    }
}

impl Scheduler for WorkStealingWorker {
    fn name(&self) -> &'static str {
        "work-stealing"
    }

    fn submit(&mut self, thread: ThreadId) {
        self.local.push(thread);
        self.shared.notify_one();
    }

    fn next(&mut self) -> Option<ThreadId> {
        let slot = &self.shared.slots[self.index];
        if let Some(task) = self.local.pop().or_else(|| self.steal_from_injector()) {
            slot.taken.fetch_add(1, Ordering::Relaxed);
            return Some(task);
        }
        let task = self.steal_from_others()?;
        slot.stolen.fetch_add(1, Ordering::Relaxed);
        Some(task)
    }

    fn runnable(&self) -> usize {
        self.local.len()
    }
}
