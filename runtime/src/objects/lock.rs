//! The payload of `_thread.lock`: a binary lock whose waiters are parked
//! tasks, never OS threads.
//!
//! A waiter is a thread's wait ticket (its wait cell and token) in a
//! lock-free FIFO queue. Releasing a lock with waiters hands it straight to
//! the longest waiter (the flag stays set) and wakes that thread through
//! the scheduler; a waiter whose token is stale (it timed out, or took the
//! lock another way) is skipped. Waiter and releaser each write one word
//! and then read the other's (a waiter pushes its ticket, then tries the
//! flag; a releaser clears the flag, then looks at the queue), with a
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
use std::sync::atomic::{AtomicPtr, Ordering};

use crossbeam_queue::SegQueue;

use crate::sched::WaitTicket;

type Waiters = SegQueue<WaitTicket>;

#[derive(Default)]
pub struct LockState {
    pub locked: crate::value::AtomicFlag,
    /// Null until the first waiter; then the queue, for good.
    waiters: AtomicPtr<Waiters>,
}

impl LockState {
    /// The waiters' queue, if any thread ever waited.
    fn waiters(&self) -> Option<&Waiters> {
        // Acquire: pairs with the installing swap, so the queue is whole.
        let waiters = self.waiters.load(Ordering::Acquire);
        // SAFETY: set once from `Box::into_raw`, freed only by our drop.
        (!waiters.is_null()).then(|| unsafe { &*waiters })
    }

    /// Adds a waiter (making the queue if this is the first).
    pub fn push_waiter(&self, ticket: WaitTicket) {
        if let Some(waiters) = self.waiters() {
            waiters.push(ticket);
            return;
        }
        let fresh = Box::into_raw(Box::new(Waiters::new()));
        // AcqRel: publishes the new queue, or reads the one that won.
        let waiters = match self.waiters.compare_exchange(
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
    pub fn pop_waiter(&self) -> Option<WaitTicket> {
        self.waiters()?.pop()
    }

    /// Whether a waiter is queued (a snapshot).
    pub fn has_waiters(&self) -> bool {
        self.waiters().is_some_and(|waiters| !waiters.is_empty())
    }
}

impl Drop for LockState {
    fn drop(&mut self) {
        let waiters = *self.waiters.get_mut();
        if !waiters.is_null() {
            // SAFETY: installed from `Box::into_raw`; `&mut self` means no
            // one else uses it.
            drop(unsafe { Box::from_raw(waiters) });
        }
    }
}
