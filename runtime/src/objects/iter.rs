//! The built-in iterator objects (`list_iterator`, `range_iterator`,
//! `enumerate`, `zip`, `map`, ...): one state enum; the object's class in
//! the header gives the Python type name. Advancing them is in
//! `builtins/iterators.rs`.

use crate::heap::gc::Marker;
use crate::value::Value;

pub enum IterState {
    /// A list, tuple, str, bytes or bytearray walked by index.
    Sequence {
        sequence: Value,
        index: usize,
    },
    Range {
        next: i64,
        stop: i64,
        step: i64,
    },
    /// dict keys/values/items or set elements, by entry slot; `expected_len`
    /// detects "changed size during iteration".
    DictEntries {
        dict: Value,
        slot: usize,
        expected_len: usize,
        what: DictIterKind,
    },
    Enumerate {
        iterator: Value,
        count: Value,
    },
    Zip {
        iterators: Vec<Value>,
        strict: bool,
    },
    Map {
        function: Value,
        iterators: Vec<Value>,
    },
    Filter {
        function: Value,
        iterator: Value,
    },
    /// Walks a sequence backwards (`reversed`).
    Reversed {
        sequence: Value,
        remaining: usize,
    },
    /// `iter(callable, sentinel)`.
    CallUntil {
        callable: Value,
        sentinel: Value,
    },
    /// The old protocol: `__getitem__` with 0, 1, 2... until IndexError.
    GetItem {
        object: Value,
        index: usize,
    },
    Exhausted,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum DictIterKind {
    Keys,
    Values,
    Items,
}

impl IterState {
    pub fn trace(&self, marker: &mut Marker) {
        match self {
            IterState::Sequence { sequence, .. } | IterState::Reversed { sequence, .. } => {
                marker.mark(*sequence)
            }
            IterState::Range { .. } | IterState::Exhausted => {}
            IterState::DictEntries { dict, .. } => marker.mark(*dict),
            IterState::Enumerate { iterator, count } => {
                marker.mark(*iterator);
                marker.mark(*count);
            }
            IterState::Zip { iterators, .. } => marker.mark_all(iterators),
            IterState::Map {
                function,
                iterators,
            } => {
                marker.mark(*function);
                marker.mark_all(iterators);
            }
            IterState::Filter { function, iterator } => {
                marker.mark(*function);
                marker.mark(*iterator);
            }
            IterState::CallUntil { callable, sentinel } => {
                marker.mark(*callable);
                marker.mark(*sentinel);
            }
            IterState::GetItem { object, .. } => marker.mark(*object),
        }
    }
}
