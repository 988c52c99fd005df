//! `BaseException` and its subclasses: the payload every exception object
//! carries (arguments, traceback, cause, context).
//!
//! The traceback is a log of (code, line) pairs appended as the exception
//! leaves each frame, innermost first. It only grows (a re-raise adds the
//! frames it passes, as CPython's chain of traceback objects does), so it
//! is a `Vec` while the exception is local and, once it is shared, goes
//! on in a `shared/append_log.rs` log: threads raising one shared exception
//! (a `Future`'s, re-raised by `result()`) record their frames with a
//! compare-and-swap, and readers walk it while they do.

use crate::bytecode::code::CodeObject;
use crate::heap::gc::Marker;
use crate::objects::PyCell;
use crate::shared::append_log::AppendLog;
use crate::value::Value;

#[derive(Clone, Copy)]
pub struct TracebackEntry {
    pub code: &'static CodeObject,
    pub line: u32,
    /// The frame the entry was recorded in (one entry per frame).
    pub frame_serial: u64,
}

pub struct ExcData {
    /// The `args` tuple.
    pub args: crate::value::AtomicValue,
    /// The frames it left, innermost first: those recorded while it was
    /// local in `local_traceback` (frozen once it is shared), the later
    /// ones in `shared_traceback` (see [`ExcData::traceback`]).
    pub local_traceback: PyCell<Vec<TracebackEntry>>,
    pub shared_traceback: AppendLog<TracebackEntry>,
    /// `__cause__` (`NULL` = None).
    pub cause: crate::value::AtomicValue,
    /// `__context__` (`NULL` = None).
    pub context: crate::value::AtomicValue,
    pub suppress_context: crate::value::AtomicFlag,
    /// `add_note` notes (a list object or `NULL`).
    pub notes: crate::value::AtomicValue,
    /// The traceback objects built last (`exceptions::traceback_object`):
    /// a tuple of how many entries they cover and the outermost one, or
    /// `NULL`.
    pub built_traceback: crate::value::AtomicValue,
}

impl ExcData {
    pub fn new(args: Value) -> ExcData {
        ExcData {
            args: crate::value::AtomicValue::new(args),
            local_traceback: PyCell::new(Vec::new()),
            shared_traceback: AppendLog::new(),
            cause: crate::value::AtomicValue::new(Value::NULL),
            context: crate::value::AtomicValue::new(Value::NULL),
            suppress_context: crate::value::AtomicFlag::new(false),
            notes: crate::value::AtomicValue::new(Value::NULL),
            built_traceback: crate::value::AtomicValue::new(Value::NULL),
        }
    }

    /// Adds a frame's entry, unless the latest entry is from that frame:
    /// a plain push while the exception is local, a compare-and-swap onto
    /// the shared log once other threads may raise it too.
    pub fn record(&self, entry: TracebackEntry) {
        let same_frame = |last: &TracebackEntry| last.frame_serial == entry.frame_serial;
        if self.local_traceback.is_shared() {
            if self.shared_traceback.is_empty()
                && self.local_traceback.borrow().last().is_some_and(same_frame)
            {
                return;
            }
            self.shared_traceback.append_unless(entry, same_frame);
            return;
        }
        let mut local = self.local_traceback.borrow_mut();
        if !local.last().is_some_and(same_frame) {
            local.push(entry);
        }
    }

    /// The traceback entries, innermost first.
    pub fn traceback(&self) -> Vec<TracebackEntry> {
        self.traceback_after(0)
    }

    /// The traceback entries after the innermost `skip` ones, innermost
    /// first.
    pub fn traceback_after(&self, skip: usize) -> Vec<TracebackEntry> {
        let local = self.local_traceback.borrow();
        let mut entries = local.get(skip..).map(<[_]>::to_vec).unwrap_or_default();
        entries.extend(
            self.shared_traceback
                .items_after(skip.saturating_sub(local.len())),
        );
        entries
    }

    /// How many traceback entries there are.
    pub fn traceback_len(&self) -> usize {
        self.local_traceback.borrow().len() + self.shared_traceback.len()
    }

    pub fn trace(&self, marker: &mut Marker) {
        marker.mark(self.args.get());
        marker.mark(self.cause.get());
        marker.mark(self.context.get());
        marker.mark(self.notes.get());
        marker.mark(self.built_traceback.load_published());
    }
}
