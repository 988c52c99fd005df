//! The inline backend: one OS thread, cooperative. Runnable threads wait
//! in one FIFO queue and take turns, a batch of basic blocks per dispatch,
//! so Python threads interleave at block boundaries. It is the backend of
//! the single-threaded WebAssembly build and the reference the parallel
//! backends are tested against.

use std::collections::VecDeque;

use super::{Scheduler, ThreadId};

#[derive(Default)]
pub struct InlineScheduler {
    queue: VecDeque<ThreadId>,
}

impl Scheduler for InlineScheduler {
    fn name(&self) -> &'static str {
        "inline"
    }

    fn submit(&mut self, thread: ThreadId) {
        self.queue.push_back(thread);
    }

    fn next(&mut self) -> Option<ThreadId> {
        self.queue.pop_front()
    }

    fn runnable(&self) -> usize {
        self.queue.len()
    }
}
