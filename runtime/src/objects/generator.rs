//! The payload of a generator object: its code and names, and the slot
//! that holds its suspended frame.
//!
//! The frame rests in a `shared/handoff.rs` `HandoffSlot`: a thread
//! resumes the generator by taking the frame out with one compare-and-swap
//! ([`Generator::take`]) and puts it back when the frame yields
//! ([`Generator::suspend`]), so threads that share a generator pass its
//! frame along with no write section, and one that finds it taken gets
//! "generator already executing". Reading the suspended frame in place
//! (`gi_frame`, `close`, `throw` into a `yield from`) goes through
//! `&mut Generator`: a local generator's write borrow, or a shared one's
//! write section, where no other thread is between taking and putting
//! back.

use crate::bytecode::code::CodeObject;
use crate::engine::frame::Frame;
use crate::heap::gc::Marker;
use crate::shared::handoff::{HandoffSlot, Take};
use crate::value::Value;

pub struct Generator {
    frame: HandoffSlot<Frame>,
    /// The generator function's code (kept after the frame is gone).
    pub code: &'static CodeObject,
    pub name: Value,
    pub qualname: Value,
}

/// What [`Generator::take`] found.
pub enum Taken {
    /// The suspended frame, now the caller's to run.
    Frame(Box<Frame>),
    /// Another resumption has the frame.
    Running,
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
            code,
            name,
            qualname,
        }
    }

    /// Takes the suspended frame out to run it; the generator is running
    /// until the frame is put back ([`suspend`](Self::suspend)) or the
    /// generator ends ([`finish`](Self::finish)).
    pub fn take(&self) -> Taken {
        match self.frame.take() {
            Take::Got(frame) => Taken::Frame(frame),
            Take::Held => Taken::Running,
            Take::Gone => Taken::Finished,
        }
    }

    /// Puts back a frame taken by [`take`](Self::take) (suspended at a
    /// `yield`, or never started after all). A shared generator's frame
    /// must refer only to shared objects by now (`share::share_frame`):
    /// the next thread to take it may run on another worker.
    pub fn suspend(&self, frame: Box<Frame>) {
        self.frame.put_back(frame);
    }

    /// Marks the generator finished (its frame returned or raised).
    pub fn finish(&self) {
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
