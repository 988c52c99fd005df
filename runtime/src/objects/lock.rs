//! The payloads of `_thread.lock`, a binary lock whose waiters are parked
//! tasks, never OS threads, and of `_thread.RLock`, the same lock with an
//! owner and a depth.
//!
//! A waiter is a thread's wait ticket (its wait cell and token) in a
//! lock-free FIFO queue. Releasing a lock with waiters clears the flag and
//! wakes the longest waiter to try again (`Value::RETRY`), unless a waiter
//! woken so is still to try (`woken`): the releasing thread, or any other
//! running one, may take the lock first, as with CPython's lock, where a
//! hand-over would leave the lock idle until its new holder's worker got
//! to it (a convoy: every acquire of a busy lock a park and a wake). A
//! waiter that has waited over a millisecond sets `starving`, and releases
//! then hand the lock straight to the longest waiter (the flag stays set),
//! until a waiter handed it had waited less. A waiter whose token is stale
//! (it timed out, or took the lock another way) is skipped. Waiter and
//! releaser each write one word and then read the other's (a waiter pushes
//! its ticket, then tries the flag; a releaser clears the flag, then looks
//! at the queue; a woken waiter clears `woken`, then tries), with a
//! sequentially consistent fence between, so one of them always sees the
//! other and no wake is lost. The acquire/release logic lives in
//! `builtins/thread_module.rs`; the parking in `sched`.
//!
//! Most locks are never contended (a `Condition` makes one per `wait`, a
//! `Future` one per future), and the queue is large (its two ends sit on
//! their own cache lines): it is made by the first waiter, installed with
//! a compare-and-swap, so an uncontended lock is two words. The installing
//! swap comes before the waiter's fence and the releaser loads the pointer
//! after its own, so the argument above holds unchanged.

use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicPtr, Ordering};

use crossbeam_queue::SegQueue;

use crate::sched::WaitTicket;

type Waiters = SegQueue<WaitTicket>;

#[derive(Default)]
pub struct LockState {
    pub locked: crate::value::AtomicFlag,
    /// A release woke a waiter to try again and it has not tried yet:
    /// later releases wake nobody meanwhile (that waiter tries after
    /// them). The woken waiter clears it before its try.
    pub woken: AtomicBool,
    /// A waiter has waited long while other threads took the lock ahead
    /// of it: releases hand the lock over in turn until one handed it
    /// finds it waited only briefly, or no other waits.
    pub starving: AtomicBool,
    waiters: WaiterQueue,
}

impl LockState {
    /// Adds a waiter (making the queue if this is the first).
    pub fn push_waiter(&self, ticket: WaitTicket) {
        self.waiters.push(ticket);
    }

    /// The longest waiter, if any.
    pub fn pop_waiter(&self) -> Option<WaitTicket> {
        self.waiters.pop()
    }

    /// Whether a waiter is queued (a snapshot).
    pub fn has_waiters(&self) -> bool {
        self.waiters.is_waiting()
    }
}

/// The waiters of a lock or counter: null until the first waiter, then
/// the queue, for good.
#[derive(Default)]
pub struct WaiterQueue(AtomicPtr<Waiters>);

impl WaiterQueue {
    /// The queue, if any thread ever waited.
    fn queue(&self) -> Option<&Waiters> {
        // Acquire: pairs with the installing swap, so the queue is whole.
        let waiters = self.0.load(Ordering::Acquire);
        // SAFETY: set once from `Box::into_raw`, freed only by our drop.
        (!waiters.is_null()).then(|| unsafe { &*waiters })
    }

    /// Adds a waiter (making the queue if this is the first).
    pub fn push(&self, ticket: WaitTicket) {
        if let Some(waiters) = self.queue() {
            waiters.push(ticket);
            return;
        }
        let fresh = Box::into_raw(Box::new(Waiters::new()));
        // AcqRel: publishes the new queue, or reads the one that won.
        let waiters = match self.0.compare_exchange(
            ptr::null_mut(),
            fresh,
            Ordering::AcqRel,
            Ordering::Acquire,
        ) {
            Ok(_) => fresh,
            Err(installed) => {
                // SAFETY: `fresh` lost the race and was never published.
                drop(unsafe { Box::from_raw(fresh) });
                installed
            }
        };
        // SAFETY: installed once, freed only by our drop.
        unsafe { &*waiters }.push(ticket);
    }

    /// The longest waiter, if any.
    pub fn pop(&self) -> Option<WaitTicket> {
        self.queue()?.pop()
    }

    /// Whether a waiter is queued (a snapshot).
    pub fn is_waiting(&self) -> bool {
        self.queue().is_some_and(|waiters| !waiters.is_empty())
    }
}

impl Drop for WaiterQueue {
    fn drop(&mut self) {
        let waiters = *self.0.get_mut();
        if !waiters.is_null() {
            // SAFETY: installed from `Box::into_raw`; `&mut self` means no
            // one else uses it.
            drop(unsafe { Box::from_raw(waiters) });
        }
    }
}

/// The payload of `_thread._Semaphore` (behind `queue.SimpleQueue`): a
/// count that `acquire` takes one from, parking while it is zero, and
/// `release` adds to, handing units straight to parked waiters. The
/// waiter/releaser argument is the lock's, with the count for the flag:
/// a waiter pushes its ticket, fences, then tries to take a unit; a
/// releaser adds its units, fences, then looks for waiters.
#[derive(Default)]
pub struct SemaphoreState {
    count: std::sync::atomic::AtomicU64,
    pub waiters: WaiterQueue,
}

impl SemaphoreState {
    pub fn new(count: u64) -> SemaphoreState {
        SemaphoreState {
            count: std::sync::atomic::AtomicU64::new(count),
            waiters: WaiterQueue::default(),
        }
    }

    /// Takes one unit if there is one.
    pub fn try_take(&self) -> bool {
        let mut count = self.count.load(Ordering::SeqCst);
        while count > 0 {
            match self.count.compare_exchange_weak(
                count,
                count - 1,
                Ordering::SeqCst,
                Ordering::SeqCst,
            ) {
                Ok(_) => return true,
                Err(now) => count = now,
            }
        }
        false
    }

    /// Adds `units` (saturating at `u64::MAX`).
    pub fn add(&self, units: u64) {
        let mut count = self.count.load(Ordering::SeqCst);
        loop {
            match self.count.compare_exchange_weak(
                count,
                count.saturating_add(units),
                Ordering::SeqCst,
                Ordering::SeqCst,
            ) {
                Ok(_) => return,
                Err(now) => count = now,
            }
        }
    }

    pub fn count(&self) -> u64 {
        self.count.load(Ordering::SeqCst)
    }
}

/// `owner` of an `RLockState` that no thread holds.
pub const NO_OWNER: u64 = u64::MAX;

/// The payload of `_thread.RLock`: a `LockState` plus the thread that
/// holds it and how many times. Only the holder changes `owner` and
/// `depth`, except at a hand-over, where the releaser sets them for the
/// waiter it claimed before that waiter can run (`thread_module.rs`);
/// other threads read `owner` only to see that it is not theirs.
pub struct RLockState {
    pub lock: LockState,
    pub owner: std::sync::atomic::AtomicU64,
    pub depth: std::sync::atomic::AtomicU64,
}

impl Default for RLockState {
    fn default() -> RLockState {
        RLockState {
            lock: LockState::default(),
            owner: std::sync::atomic::AtomicU64::new(NO_OWNER),
            depth: std::sync::atomic::AtomicU64::new(0),
        }
    }
}
