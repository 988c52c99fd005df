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

use crossbeam_queue::SegQueue;

use crate::sched::WaitTicket;

#[derive(Default)]
pub struct LockState {
    pub locked: crate::value::AtomicFlag,
    pub waiters: SegQueue<WaitTicket>,
}
