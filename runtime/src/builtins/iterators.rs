//! Advancing the built-in iterator objects (`IterState`): sequence and
//! range iterators, dict/set iterators (with the "changed size during
//! iteration" checks), enumerate, zip, map, filter, reversed,
//! `iter(callable, sentinel)` and the `__getitem__` protocol.

use crate::objects::PyCell;

use crate::engine::ops::{self, kind_of};
use crate::engine::Vm;
use crate::objects::iter::{DictIterKind, Position};
use crate::objects::{IterState, ObjKind};
use crate::value::Value;
use crate::PyResult;

/// The item at a position a sequence or range iterator took (`None` past
/// a sequence's end or at a range's).
pub fn item_at(vm: &mut Vm, position: Position) -> Option<Value> {
    match position {
        Position::End => None,
        Position::Number(number) => Some(vm.new_int(number)),
        Position::Index(sequence, index) => match kind_of(sequence) {
            Some(ObjKind::List(items)) => items.borrow().get(index),
            Some(ObjKind::Tuple(items)) => items.get(index).copied(),
            Some(ObjKind::Str(text)) => {
                if index < text.char_count() {
                    let c = text.char_at(index);
                    let mut buffer = [0u8; 4];
                    Some(vm.new_str(&*c.encode_utf8(&mut buffer)))
                } else {
                    None
                }
            }
            Some(ObjKind::Bytes(bytes)) => bytes
                .get(index)
                .map(|byte| Value::small_int_unchecked(*byte as i64)),
            Some(ObjKind::ByteArray(bytes)) => bytes
                .borrow()
                .get(index)
                .map(|byte| Value::small_int_unchecked(*byte as i64)),
            _ => None,
        },
    }
}

/// The next item, or `None` when the iterator is exhausted.
pub fn advance(vm: &mut Vm, iterator: Value, state: &PyCell<IterState>) -> PyResult<Option<Value>> {
    let shared = state.is_shared();
    if let Some(position) = state.read(|state| state.take_position(shared)) {
        let item = item_at(vm, position);
        if item.is_none() {
            *state.borrow_mut() = IterState::Exhausted;
        }
        return Ok(item);
    }
    // Copy out what is needed: never hold the borrow across Python code.
    let snapshot = match &*state.borrow() {
        // Taken above.
        IterState::Sequence { .. } | IterState::Range { .. } => return Ok(None),
        IterState::DictEntries {
            dict,
            slot,
            expected_len,
            what,
        } => Step::Dict(*dict, *slot, *expected_len, *what),
        IterState::Enumerate { iterator, count } => Step::Enumerate(*iterator, *count),
        IterState::Zip { iterators, strict } => Step::Zip(iterators.clone(), *strict),
        IterState::Map {
            function,
            iterators,
        } => Step::Map(*function, iterators.clone()),
        IterState::Filter { function, iterator } => Step::Filter(*function, *iterator),
        IterState::Reversed {
            sequence,
            remaining,
        } => Step::Reversed(*sequence, *remaining),
        IterState::CallUntil { callable, sentinel } => Step::CallUntil(*callable, *sentinel),
        IterState::GetItem { object, index } => Step::GetItem(*object, *index),
        IterState::Exhausted => return Ok(None),
    };
    let result = match snapshot {
        Step::Dict(dict, mut slot, expected_len, what) => {
            let Some(ObjKind::Dict(table) | ObjKind::Set(table)) = kind_of(dict) else {
                return Ok(None);
            };
            let (entry, length) = {
                let table = table.borrow();
                let mut found = None;
                while slot < table.entry_slots() {
                    if let Some(entry) = table.entry(slot) {
                        found = Some(entry);
                        slot += 1;
                        break;
                    }
                    slot += 1;
                }
                (found, table.len())
            };
            if length != expected_len {
                *state.borrow_mut() = IterState::Exhausted;
                let what_changed = if matches!(kind_of(dict), Some(ObjKind::Set(_))) {
                    "Set"
                } else {
                    "dictionary"
                };
                return Err(
                    vm.runtime_error(format!("{what_changed} changed size during iteration"))
                );
            }
            if let IterState::DictEntries { slot: stored, .. } = &mut *state.borrow_mut() {
                *stored = slot;
            }
            entry.map(|entry| match what {
                DictIterKind::Keys => entry.key,
                DictIterKind::Values => entry.value(),
                DictIterKind::Items => vm.new_tuple(vec![entry.key, entry.value()]),
            })
        }
        Step::Enumerate(inner, count) => match ops::next(vm, inner)? {
            Some(item) => {
                let next_count = ops::binary_op(
                    vm,
                    count,
                    Value::small_int_unchecked(1),
                    crate::bytecode::opcodes::BinaryOp::Add,
                    false,
                )?;
                if let IterState::Enumerate { count: stored, .. } = &mut *state.borrow_mut() {
                    *stored = next_count;
                }
                crate::heap::share::reshare(iterator);
                Some(vm.new_tuple(vec![count, item]))
            }
            None => None,
        },
        Step::Zip(iterators, strict) => {
            let mut items = Vec::with_capacity(iterators.len());
            for (position, inner) in iterators.iter().enumerate() {
                match ops::next(vm, *inner)? {
                    Some(item) => items.push(item),
                    None => {
                        if strict {
                            if position > 0 {
                                let plural = if position == 1 { " " } else { "s 1-" };
                                let message = if position == 1 {
                                    format!("zip() argument 2 is shorter than argument{plural}1")
                                } else {
                                    format!(
                                        "zip() argument {} is shorter than arguments 1-{}",
                                        position + 1,
                                        position
                                    )
                                };
                                return Err(vm.value_error(message));
                            }
                            for (later, other) in iterators.iter().enumerate().skip(1) {
                                if ops::next(vm, *other)?.is_some() {
                                    let message = if later == 1 {
                                        "zip() argument 2 is longer than argument 1".to_string()
                                    } else {
                                        format!(
                                            "zip() argument {} is longer than arguments 1-{}",
                                            later + 1,
                                            later
                                        )
                                    };
                                    return Err(vm.value_error(message));
                                }
                            }
                        }
                        *state.borrow_mut() = IterState::Exhausted;
                        return Ok(None);
                    }
                }
            }
            if iterators.is_empty() {
                None
            } else {
                Some(vm.new_tuple(items))
            }
        }
        Step::Map(function, iterators) => {
            let mut args = Vec::with_capacity(iterators.len());
            for inner in &iterators {
                match ops::next(vm, *inner)? {
                    Some(item) => args.push(item),
                    None => {
                        *state.borrow_mut() = IterState::Exhausted;
                        return Ok(None);
                    }
                }
            }
            Some(ops::call(vm, function, &args, &[])?)
        }
        Step::Filter(function, inner) => loop {
            match ops::next(vm, inner)? {
                Some(item) => {
                    let keep = if function.is_none() {
                        ops::truthy(vm, item)?
                    } else {
                        let verdict = ops::call(vm, function, &[item], &[])?;
                        ops::truthy(vm, verdict)?
                    };
                    if keep {
                        break Some(item);
                    }
                }
                None => break None,
            }
        },
        Step::Reversed(sequence, remaining) => {
            if remaining == 0 {
                None
            } else {
                let index = vm.new_int(remaining as i64 - 1);
                if let IterState::Reversed {
                    remaining: stored, ..
                } = &mut *state.borrow_mut()
                {
                    *stored = remaining - 1;
                }
                match ops::getitem(vm, sequence, index) {
                    Ok(item) => Some(item),
                    Err(error) if vm.is_instance(error, vm.types.exc.index_error) => None,
                    Err(error) => return Err(error),
                }
            }
        }
        Step::CallUntil(callable, sentinel) => {
            let item = ops::call(vm, callable, &[], &[])?;
            if ops::eq(vm, item, sentinel)? {
                None
            } else {
                Some(item)
            }
        }
        Step::GetItem(object, index) => {
            let key = vm.new_int(index as i64);
            match ops::getitem(vm, object, key) {
                Ok(item) => {
                    if let IterState::GetItem { index: stored, .. } = &mut *state.borrow_mut() {
                        *stored = index + 1;
                    }
                    Some(item)
                }
                Err(error)
                    if vm.is_instance(error, vm.types.exc.index_error)
                        || vm.is_instance(error, vm.types.exc.stop_iteration) =>
                {
                    None
                }
                Err(error) => return Err(error),
            }
        }
    };
    if result.is_none() {
        *state.borrow_mut() = IterState::Exhausted;
    }
    Ok(result)
}

enum Step {
    Dict(Value, usize, usize, DictIterKind),
    Enumerate(Value, Value),
    Zip(Vec<Value>, bool),
    Map(Value, Vec<Value>),
    Filter(Value, Value),
    Reversed(Value, usize),
    CallUntil(Value, Value),
    GetItem(Value, usize),
}
