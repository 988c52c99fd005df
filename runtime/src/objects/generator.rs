//! The payload of a generator object: its code and names, and the slot
//! that holds its suspended frame.
//!
//! The frame rests in a `shared/handoff.rs` `HandoffSlot`: a thread
//! resumes the generator by taking the frame out with one compare-and-swap
//! ([`Generator::take`]) and puts it back when the frame yields
//! ([`Generator::suspend`]), so threads that share a generator pass its
//! frame along with no write section. Threads sharing a generator *take
//! turns*: one that finds another thread holding the frame waits for it
//! (`Taken::OthersTurn`), as programs written for CPython count on (worker
//! threads pulling jobs from one generator; there a clash needs a thread
//! switch inside one step, and `itertools`' iterators are C objects whose
//! every step is atomic under its lock). The slot's holder is recorded so
//! as to tell that apart from re-entry: a thread that finds the frame
//! taken by itself gets "generator already executing", which no wait can
//! end. Reading the suspended frame in place
//! (`gi_frame`, `close`, `throw` into a `yield from`) goes through
//! `&mut Generator`: a local generator's write borrow, or a shared one's
//! write section, where no other thread is between taking and putting
//! back.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use crate::bytecode::code::CodeObject;
use crate::engine::frame::Frame;
use crate::heap::gc::Marker;
use crate::sched::ThreadId;
use crate::shared::handoff::{HandoffSlot, Take};
use crate::value::Value;

/// [`Generator::holder`] while no thread holds the frame.
const NO_HOLDER: ThreadId = 0;

pub struct Generator {
    frame: HandoffSlot<Frame>,
    /// The thread that took the frame out, from its `take` until it puts
    /// it back or ends it; `NO_HOLDER` otherwise. A thread that finds the
    /// frame taken reads it only to learn whether the holder is itself:
    /// its own last store here was `NO_HOLDER` (before it put the frame
    /// back), so it can read its own id only while it holds the frame.
    holder: AtomicU64,
    /// The generator function's code (kept after the frame is gone).
    pub code: &'static CodeObject,
    pub name: Value,
    pub qualname: Value,
}

/// What [`Generator::take`] found.
pub enum Taken {
    /// The suspended frame, now the caller's to run.
    Frame(Box<Frame>),
    /// This thread has the frame already (re-entering the generator), or
    /// another one has it and the generator does not take turns.
    Running,
    /// Another thread has the frame: the caller waits its turn and takes
    /// again.
    OthersTurn,
    /// The generator has finished.
    Finished,
}

impl Generator {
    pub fn new(
        frame: Box<Frame>,
        code: &'static CodeObject,
        name: Value,
        qualname: Value,
    ) -> Generator {
        Generator {
            frame: HandoffSlot::new(frame),
            holder: AtomicU64::new(NO_HOLDER),
            code,
            name,
            qualname,
        }
    }

    /// Takes the suspended frame out to run it; the generator is running
    /// until the frame is put back ([`suspend`](Self::suspend)) or the
    /// generator ends ([`finish`](Self::finish)).
    /// `me` is the calling thread.
    pub fn take(&self, me: ThreadId) -> Taken {
        match self.frame.take() {
            Take::Got(frame) => {
                self.holder.store(me, Relaxed);
                Taken::Frame(frame)
            }
            Take::Held if self.holder.load(Relaxed) != me => Taken::OthersTurn,
            Take::Held => Taken::Running,
            Take::Gone => Taken::Finished,
        }
    }

    /// The thread holding the frame, if one does (it may have put it back
    /// by the time the caller looks).
    pub fn holder(&self) -> Option<ThreadId> {
        Some(self.holder.load(Relaxed)).filter(|&holder| holder != NO_HOLDER)
    }

    /// Puts back a frame taken by [`take`](Self::take) (suspended at a
    /// `yield`, or never started after all). A shared generator's frame
    /// must refer only to shared objects by now (`share::share_frame`):
    /// the next thread to take it may run on another worker.
    pub fn suspend(&self, frame: Box<Frame>) {
        // Before the frame is back: the next holder's store comes after.
        self.holder.store(NO_HOLDER, Relaxed);
        self.frame.put_back(frame);
    }

    /// Marks the generator finished (its frame returned or raised).
    pub fn finish(&self) {
        self.holder.store(NO_HOLDER, Relaxed);
        self.frame.end();
    }

    pub fn is_running(&self) -> bool {
        self.frame.is_held()
    }

    /// The suspended frame (`None` while running or once finished), to
    /// read or change in place.
    pub fn suspended(&mut self) -> Option<&mut Frame> {
        self.frame.resting()
    }

    /// Drops the suspended frame: the generator is finished.
    pub fn drop_frame(&mut self) {
        self.frame.clear();
    }

    /// Marks what the generator refers to; a running frame is marked
    /// through the task running it. Called only where no thread can take
    /// the frame meanwhile: by the collector (every worker stopped), or by
    /// the sharing walk, which reaches only generators no other thread
    /// does.
    pub fn trace(&self, marker: &mut Marker) {
        marker.mark(self.name);
        marker.mark(self.qualname);
        // SAFETY: see above: no `take` runs while this reads the frame.
        if let Some(frame) = unsafe { self.frame.resting_unchecked() } {
            frame.trace(marker);
        }
    }
}
