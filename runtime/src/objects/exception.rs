//! `BaseException` and its subclasses: the payload every exception object
//! carries (arguments, traceback, cause, context).
//!
//! The traceback is a list of (code, line) pairs appended as the exception
//! leaves each frame, innermost last, which is the order CPython prints.

use std::cell::Cell;

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
    pub args: Cell<Value>,
    pub traceback: PyCell<Vec<TracebackEntry>>,
    /// `__cause__` (`NULL` = None).
    pub cause: Cell<Value>,
    /// `__context__` (`NULL` = None).
    pub context: Cell<Value>,
    pub suppress_context: Cell<bool>,
    /// `add_note` notes (a list object or `NULL`).
    pub notes: Cell<Value>,
}

impl ExcData {
    pub fn new(args: Value) -> ExcData {
        ExcData {
            args: Cell::new(args),
            traceback: PyCell::new(Vec::new()),
            cause: Cell::new(Value::NULL),
            context: Cell::new(Value::NULL),
            suppress_context: Cell::new(false),
            notes: Cell::new(Value::NULL),
        }
    }

    pub fn trace(&self, marker: &mut Marker) {
        marker.mark(self.args.get());
        marker.mark(self.cause.get());
        marker.mark(self.context.get());
        marker.mark(self.notes.get());
    }
}
