//! `BaseException` and its subclasses: the payload every exception object
//! carries (arguments, traceback, cause, context).
//!
//! The traceback is a list of (code, line) pairs appended as the exception
//! leaves each frame, innermost last, which is the order CPython prints.

use crate::objects::PyCell;

use crate::bytecode::code::CodeObject;
use crate::heap::gc::Marker;
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
    pub traceback: PyCell<Vec<TracebackEntry>>,
    /// `__cause__` (`NULL` = None).
    pub cause: crate::value::AtomicValue,
    /// `__context__` (`NULL` = None).
    pub context: crate::value::AtomicValue,
    pub suppress_context: crate::value::AtomicFlag,
    /// `add_note` notes (a list object or `NULL`).
    pub notes: crate::value::AtomicValue,
}

impl ExcData {
    pub fn new(args: Value) -> ExcData {
        ExcData {
            args: crate::value::AtomicValue::new(args),
            traceback: PyCell::new(Vec::new()),
            cause: crate::value::AtomicValue::new(Value::NULL),
            context: crate::value::AtomicValue::new(Value::NULL),
            suppress_context: crate::value::AtomicFlag::new(false),
            notes: crate::value::AtomicValue::new(Value::NULL),
        }
    }

    pub fn trace(&self, marker: &mut Marker) {
        marker.mark(self.args.get());
        marker.mark(self.cause.get());
        marker.mark(self.context.get());
        marker.mark(self.notes.get());
    }
}
