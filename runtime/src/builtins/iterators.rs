//! Advancing the built-in iterator objects (`IterState`): sequence and
//! range iterators, dict/set iterators (with the "changed size during
//! iteration" checks), enumerate, zip, map, filter, reversed,
//! `iter(callable, sentinel)` and the `__getitem__` protocol.

use std::sync::atomic::Ordering::Relaxed;

use crate::objects::PyCell;

use crate::engine::ops::{self, kind_of};
use crate::engine::step::turn_wait;
use crate::engine::Vm;
use crate::objects::iter::{take_found, take_step, DictIterKind, Position, ENDED};
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
                .get(index)
                .map(|byte| Value::small_int_unchecked(byte as i64)),
            _ => None,
        },
    }
}

/// Marks the iterator exhausted: switched to `Exhausted` while local, kept
/// at its end by its own atomics once shared (no write section, see
/// `IterState::end_shared`).
fn exhaust(state: &PyCell<IterState>, shared: bool) {
    if shared {
        state.read(|state| state.end_shared());
    } else {
        *state.borrow_mut() = IterState::Exhausted;
    }
}

/// The next item, or `None` when the iterator is exhausted.
pub fn advance(vm: &mut Vm, state: &PyCell<IterState>) -> PyResult<Option<Value>> {
    let step = advance_waiting(vm, state, false);
    match ended_by_stop_iteration(vm, step)? {
        LoopStep::Item(item) => Ok(item),
        LoopStep::Call { .. } | LoopStep::Resume(_) => {
            unreachable!("asked to make its calls itself")
        }
    }
}

/// `advance` for `next(iterator)`, which lets a StopIteration out of the
/// step (raised by a `filter` or `map` function) propagate as it is.
pub fn advance_for_next(vm: &mut Vm, state: &PyCell<IterState>) -> PyResult<Option<Value>> {
    match advance_waiting(vm, state, false)? {
        LoopStep::Item(item) => Ok(item),
        LoopStep::Call { .. } | LoopStep::Resume(_) => {
            unreachable!("asked to make its calls itself")
        }
    }
}

/// What a `for` loop's step over a built-in iterator gives.
pub enum LoopStep {
    /// The next item, or `None` at the end.
    Item(Option<Value>),
    /// A call of a Python function whose result is the item (`map`) or,
    /// unless it equals the sentinel, is (`iter(callable, sentinel)`):
    /// the loop makes it as a frame of its own task, which can park like
    /// any call (a nested run would wait in place, its worker's stack held
    /// and no collection able to run meanwhile), see `ReturnMode`.
    /// `until`: the result is compared with an `iter(callable, sentinel)`'s
    /// sentinel.
    Call {
        callable: Value,
        args: Vec<Value>,
        until: bool,
    },
    /// A generator the loop resumes as a frame of its task for the item:
    /// the one an `enumerate`, `zip`, `map` or `filter` whose draws run
    /// Python code hands its steps to (`delegate_to_loops`).
    Resume(Value),
}

/// `advance` for a `for` loop's step over the iterator itself, which has
/// changed nothing when it finds another thread drawing from a shared
/// `enumerate`, `zip` or `map`: its task parks and runs the step again
/// after a while (`Value::RETRY`), as for a shared generator. A `map` or
/// `iter(callable, sentinel)` whose function is Python code gives the
/// call to make instead of making it (`LoopStep::Call`).
#[inline(never)]
pub fn advance_for_loop(vm: &mut Vm, state: &PyCell<IterState>) -> PyResult<LoopStep> {
    let step = advance_waiting(vm, state, crate::sched::can_park(vm));
    ended_by_stop_iteration(vm, step)
}

/// A StopIteration out of a step (a `filter` or `map` function raised
/// it) ends the iteration, as it does CPython's, whose `__next__` then
/// reports the end.
fn ended_by_stop_iteration(vm: &mut Vm, step: PyResult<LoopStep>) -> PyResult<LoopStep> {
    match step {
        Err(error) if vm.is_instance(error, vm.types.exc.stop_iteration) => {
            Ok(LoopStep::Item(None))
        }
        step => step,
    }
}

/// Whether calling `callable` runs a Python frame (a function, or a
/// method bound to one), which a loop can make as a frame of its task.
pub fn runs_python_code(callable: Value) -> bool {
    match kind_of(callable) {
        Some(ObjKind::Function(_)) => true,
        Some(ObjKind::BoundMethod { function, .. }) => {
            matches!(kind_of(*function), Some(ObjKind::Function(_)))
        }
        _ => false,
    }
}

/// Whether `item`, the result of an `iter(callable, sentinel)`'s call
/// that a loop made (`LoopStep::Call`), is its sentinel: the iterator
/// then ends.
pub fn reached_sentinel(vm: &mut Vm, iterator: Value, item: Value) -> PyResult<bool> {
    let Some(ObjKind::Iter(state)) = kind_of(iterator) else {
        return Ok(false);
    };
    let sentinel = state.read(|state| match state {
        IterState::CallUntil { sentinel, .. } => Some(*sentinel),
        _ => None,
    });
    let Some(sentinel) = sentinel else {
        return Ok(false);
    };
    let reached = ops::eq(vm, item, sentinel)?;
    if reached {
        end_loop_call(iterator);
    }
    Ok(reached)
}

/// Ends an `iter(callable, sentinel)` whose call, made by a loop, ended
/// it (its sentinel came, or StopIteration); a `map` ends with its inner
/// iterators.
pub fn end_loop_call(iterator: Value) {
    if let Some(ObjKind::Iter(state)) = kind_of(iterator) {
        if state.read(|state| matches!(state, IterState::CallUntil { .. })) {
            exhaust(state, state.is_shared());
        }
    }
}

/// The step `advance` and `advance_for_loop` take. `loop_step`: a `for`
/// loop's step at the top of its task, which may park to run again
/// (`take_turn`) and gives its Python calls to the loop to make.
fn advance_waiting(vm: &mut Vm, state: &PyCell<IterState>, loop_step: bool) -> PyResult<LoopStep> {
    let shared = state.is_shared();
    if let Some(position) = state.read(|state| state.take_position(shared)) {
        let item = item_at(vm, position);
        if item.is_none() {
            exhaust(state, shared);
        }
        return Ok(LoopStep::Item(item));
    }
    if loop_step && !shared && crate::builtins::loops::may_defer(vm) {
        if let Some(generator) = delegate_to_loops(vm, state)? {
            return Ok(LoopStep::Resume(generator));
        }
    }
    // Copy out what is needed: never hold the borrow across Python code.
    let snapshot = match &*state.borrow() {
        // Taken above.
        IterState::Sequence { .. } | IterState::Range { .. } => return Ok(LoopStep::Item(None)),
        IterState::DictEntries {
            dict,
            expected_len,
            what,
            ..
        } => Step::Dict(*dict, *expected_len, *what),
        IterState::Enumerate { iterator, .. } => Step::Enumerate(*iterator),
        IterState::Zip {
            iterators, strict, ..
        } => Step::Zip(iterators.clone(), *strict),
        IterState::Map {
            function,
            iterators,
            ..
        } => Step::Map(*function, iterators.clone()),
        IterState::Filter { function, iterator } => Step::Filter(*function, *iterator),
        IterState::Reversed { sequence, .. } => Step::Reversed(*sequence),
        IterState::CallUntil {
            callable,
            sentinel,
            ended,
        } => {
            if ended.load(Relaxed) {
                return Ok(LoopStep::Item(None));
            }
            if loop_step && runs_python_code(*callable) {
                return Ok(LoopStep::Call {
                    callable: *callable,
                    args: Vec::new(),
                    until: true,
                });
            }
            Step::CallUntil(*callable, *sentinel)
        }
        IterState::GetItem { object, .. } => Step::GetItem(*object),
        IterState::Delegated { generator } => {
            if loop_step {
                return Ok(LoopStep::Resume(*generator));
            }
            Step::Delegated(*generator)
        }
        IterState::Exhausted => return Ok(LoopStep::Item(None)),
    };
    // What a shared one pairs up is drawn in one turn (see `Turn`).
    let pairs = match &snapshot {
        Step::Enumerate(_) => true,
        Step::Zip(iterators, _) | Step::Map(_, iterators) => iterators.len() > 1,
        _ => false,
    };
    let turn = if shared && pairs {
        take_turn(vm, state, loop_step)?
    } else {
        None
    };
    let result = match snapshot {
        Step::Dict(dict, expected_len, what) => {
            let Some(ObjKind::Dict(table) | ObjKind::Set(table)) = kind_of(dict) else {
                return Ok(LoopStep::Item(None));
            };
            // The entry after the iterator's slot, and the slot past it:
            // threads sharing the iterator each take a different entry.
            let mut length = expected_len;
            let found = state.read(|state| {
                let IterState::DictEntries { slot, .. } = state else {
                    return None;
                };
                take_found(slot, shared, |start| {
                    let table = table.borrow();
                    length = table.len();
                    if length != expected_len {
                        return None;
                    }
                    Some(match table.entry_from(start) {
                        Ok((entry, next)) => (Some(entry), next),
                        Err(end) => (None, end),
                    })
                })
            });
            if length != expected_len {
                exhaust(state, shared);
                let what_changed = if matches!(kind_of(dict), Some(ObjKind::Set(_))) {
                    "Set"
                } else {
                    "dictionary"
                };
                return Err(
                    vm.runtime_error(format!("{what_changed} changed size during iteration"))
                );
            }
            found.map(|entry| match what {
                DictIterKind::Keys => entry.key,
                DictIterKind::Values => entry.value(),
                DictIterKind::Items => vm.new_tuple(vec![entry.key, entry.value()]),
            })
        }
        Step::Enumerate(inner) => match ops::next(vm, inner)? {
            Some(item) => {
                take_count(vm, state, shared)?.map(|count| vm.new_tuple(vec![count, item]))
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
                        exhaust(state, shared);
                        return Ok(LoopStep::Item(None));
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
                        exhaust(state, shared);
                        return Ok(LoopStep::Item(None));
                    }
                }
            }
            drop(turn);
            if loop_step && runs_python_code(function) {
                return Ok(LoopStep::Call {
                    callable: function,
                    args,
                    until: false,
                });
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
        Step::Reversed(sequence) => {
            let taken = state.read(|state| match state {
                IterState::Reversed { remaining, .. } => {
                    take_step(remaining, shared, |left| left.checked_sub(1))
                }
                _ => None,
            });
            match taken {
                None => None,
                Some(remaining) => {
                    let index = vm.new_int(remaining as i64 - 1);
                    match ops::getitem(vm, sequence, index) {
                        Ok(item) => Some(item),
                        Err(error) if vm.is_instance(error, vm.types.exc.index_error) => None,
                        Err(error) => return Err(error),
                    }
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
        Step::GetItem(object) => {
            // A local iterator moves on only past an item (an error other
            // than the end leaves it where it was, as in CPython); a shared
            // one takes its index first, so that threads get different ones.
            let taken = state.read(|state| match state {
                IterState::GetItem { index, .. } if shared => {
                    Some(index.fetch_add(1, Relaxed)).filter(|&taken| taken < ENDED)
                }
                IterState::GetItem { index, .. } => Some(index.load(Relaxed)),
                _ => None,
            });
            let Some(index) = taken else {
                return Ok(LoopStep::Item(None));
            };
            let key = vm.new_int(index as i64);
            match ops::getitem(vm, object, key) {
                Ok(item) => {
                    if !shared {
                        if let IterState::GetItem { index: stored, .. } = &*state.borrow() {
                            stored.store(index + 1, Relaxed);
                        }
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
        Step::Delegated(generator) => ops::next(vm, generator)?,
    };
    if result.is_none() {
        exhaust(state, shared);
    }
    Ok(LoopStep::Item(result))
}

/// A `for` loop's step over a local `enumerate`, `zip` (not strict),
/// `map` or `filter` whose draws run Python code (an inner generator, a
/// Python filter function), once threads exist (`loops::may_defer`, which
/// the caller asked): the iterator hands its steps to a generator of
/// `builtins/loops.py` doing what it does, and becomes
/// `IterState::Delegated`; the loop resumes that generator as a frame of
/// its task, so a blocking call in the draw parks the task instead of
/// waiting in place (`builtins/loops.rs`). The generator, or `None` where
/// the iterator keeps its own steps.
#[inline(never)]
fn delegate_to_loops(vm: &mut Vm, state: &PyCell<IterState>) -> PyResult<Option<Value>> {
    let runs =
        |vm: &Vm, iterator: &Value| crate::builtins::loops::iteration_runs_python(vm, *iterator);
    // (Allocating the list of inner iterators runs no Python code.)
    let (function, args) = match &*state.borrow() {
        IterState::Enumerate {
            iterator, count, ..
        } if runs(vm, iterator) => ("enumerate_over", vec![*iterator, count.get()]),
        IterState::Zip {
            iterators,
            strict: false,
            ..
        } if iterators.iter().any(|iterator| runs(vm, iterator)) => {
            ("zip_over", vec![vm.new_list(iterators.clone())])
        }
        IterState::Map {
            function,
            iterators,
            ..
        } if iterators.iter().any(|iterator| runs(vm, iterator)) => match iterators.as_slice() {
            [iterator] => ("map_over", vec![*function, *iterator]),
            _ => (
                "map_many_over",
                vec![*function, vm.new_list(iterators.clone())],
            ),
        },
        IterState::Filter { function, iterator }
            if runs(vm, iterator) || runs_python_code(*function) =>
        {
            ("filter_over", vec![*function, *iterator])
        }
        _ => return Ok(None),
    };
    let Some(generator) = crate::builtins::loops::generator_of(vm, function, &args)? else {
        return Ok(None);
    };
    *state.borrow_mut() = IterState::Delegated { generator };
    Ok(Some(generator))
}

enum Step {
    Dict(Value, usize, DictIterKind),
    Enumerate(Value),
    Zip(Vec<Value>, bool),
    Map(Value, Vec<Value>),
    Filter(Value, Value),
    Reversed(Value),
    CallUntil(Value, Value),
    GetItem(Value),
    Delegated(Value),
}

/// The turn a thread holds while it draws from a shared `enumerate`,
/// `zip` or `map`; given back when dropped, however the draw ends.
struct HeldTurn<'a> {
    state: &'a PyCell<IterState>,
}

impl Drop for HeldTurn<'_> {
    fn drop(&mut self) {
        self.state.read(|state| {
            if let Some(turn) = state.turn() {
                turn.give_back();
            }
        });
    }
}

/// Takes the turn to draw from a shared `enumerate`, `zip` or `map`
/// (`objects::iter::Turn`), waiting while another thread draws: its task
/// parks to run the step again (`park_to_retry`), or it pauses in place.
/// `None` where the thread draws without the turn: it holds the turn
/// already (an inner iterator drawing from its own `enumerate`), or the
/// holder is blocked in place beneath it and could not give it back
/// before this returns.
fn take_turn<'a>(
    vm: &mut Vm,
    state: &'a PyCell<IterState>,
    park_to_retry: bool,
) -> PyResult<Option<HeldTurn<'a>>> {
    let me = vm.threads.current;
    let mut waits = 0u32;
    loop {
        let holder = match state.read(|state| state.turn().map(|turn| turn.take(me))) {
            None => return Ok(None),
            Some(Ok(())) => {
                if park_to_retry {
                    vm.threads.turn_waits = 0;
                }
                return Ok(Some(HeldTurn { state }));
            }
            Some(Err(holder)) => holder,
        };
        if holder == me {
            return Ok(None);
        }
        if park_to_retry {
            let waited = vm.threads.turn_waits;
            vm.threads.turn_waits = waited.saturating_add(1);
            crate::sched::park_to_retry(vm, turn_wait(waited))?;
            continue;
        }
        if crate::sched::is_beneath(vm, holder) {
            return Ok(None);
        }
        crate::sched::pause_in_place(vm, turn_wait(waits))?;
        waits += 1;
    }
}

/// Takes an `enumerate`'s count for the item just drawn and moves it on
/// by one; by compare-and-swap when the iterator is shared, so that each
/// thread's item gets its own count. `None` if the iterator was exhausted
/// meanwhile.
fn take_count(vm: &mut Vm, state: &PyCell<IterState>, shared: bool) -> PyResult<Option<Value>> {
    let count = |state: &IterState| state.enumerate_count().map(|count| count.get());
    loop {
        let Some(current) = state.read(count) else {
            return Ok(None);
        };
        let next = match current.as_small_int() {
            Some(number) => vm.new_int(number + 1),
            None => ops::binary_op(
                vm,
                current,
                Value::small_int_unchecked(1),
                crate::bytecode::opcodes::BinaryOp::Add,
                false,
            )?,
        };
        if shared {
            // The count crosses to whichever thread takes the next item.
            crate::heap::share::share(next);
        }
        let stored = state.read(|state| {
            state.enumerate_count().map(|count| {
                if shared {
                    count.compare_exchange(current, next).is_ok()
                } else {
                    count.set(next);
                    true
                }
            })
        });
        match stored {
            Some(false) => continue,
            Some(true) | None => return Ok(Some(current)),
        }
    }
}
