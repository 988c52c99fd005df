//! The payload of `_thread.lock`: a binary lock whose waiters are parked
//! tasks, never OS threads.
//!
//! A waiter is a thread's wait ticket (its wait cell and token). Releasing a lock with waiters
//! hands it straight to the longest waiter (FIFO) and wakes that thread
//! through the scheduler; a waiter whose token is stale (it timed out, or
//! was woken otherwise) is skipped. The acquire/release logic lives in
//! `builtins/thread_module.rs`; the parking in `sched`.

use crate::objects::PyCell;
use std::collections::VecDeque;

use crate::sched::WaitTicket;

#[derive(Default)]
pub struct LockState {
    pub locked: crate::value::AtomicFlag,
    pub waiters: PyCell<VecDeque<WaitTicket>>,
}
