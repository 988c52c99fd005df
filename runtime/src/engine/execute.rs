//! `execute_range`: runs the instructions of one basic block of one frame.
//!
//! Rules for code in this file:
//! 1. Before anything that can raise, the frame's pc must be saved
//!    (`fail!` does it): tracebacks and handler lookup use `pc - 1`.
//! 2. A block-ending instruction (jump, branch, return, raise, yield,
//!    for-iteration) saves pc and returns; nothing runs after it here.
//! 3. Never hold a borrow of a list/dict payload across a call that can
//!    run Python code (`ops::*`, `call`).
//! 4. A Python-to-Python call never recurses: it returns `Flow::Call`
//!    with the new frame and the step loop pushes it.
//! 5. Arguments are read in place from the value stack and popped only
//!    after the call, so they stay rooted while native code runs.

use crate::builtins::iterators::LoopStep;
use crate::builtins::numbers::UnaryKind;
use crate::bytecode::code::{code_flags, CodeObject, GlobalCache};
use crate::bytecode::opcodes::{BinaryOp, CompareOp, Instruction, Opcode};
use crate::engine::call::{prepare_call, CallOutcome};
use crate::engine::frame::{Frame, ReturnMode};
use crate::engine::ops::{self, kind_of};
use crate::engine::{exc_data, str_of, tuple_items, Vm};
use crate::objects::iter::Position;
use crate::objects::{Function, IterState, ObjKind};
use crate::value::Value;

/// What a block asks the step loop to do next.
pub enum Flow {
    /// Fell off the end of the block, or jumped (`frame.pc` is set).
    Continue,
    /// Push this frame (a Python call).
    Call(Box<Frame>),
    Return(Value),
    Yield(Value),
    Raise(Value),
    /// Push a generator's frame; `throw` raises inside it at once.
    Resume {
        frame: Box<Frame>,
        throw: Option<Value>,
    },
}

/// Before a call of a native function that reads its caller's namespaces
/// (`locals()`, `eval`...), records the frame's globals and locals on the
/// Vm; whether it did.
#[inline]
fn expose_frame_to_reader(vm: &mut Vm, frame: &mut Frame, callable: Value) -> bool {
    if !vm.frame_readers.contains(&callable) {
        return false;
    }
    vm.caller_globals = frame.globals;
    vm.caller_locals = frame.locals_namespace(vm);
    true
}

fn hide_frame_from_readers(vm: &mut Vm) {
    vm.caller_globals = Value::NULL;
    vm.caller_locals = Value::NULL;
}

/// BEFORE_WITH: replaces the manager with its bound `__exit__` and calls
/// `__enter__`, whose result is pushed above it. A Python `__enter__` runs
/// as a pushed frame (`Some`), a blocking native one parks (`Value::PARK`).
#[inline(never)]
fn before_with(vm: &mut Vm, frame: &mut Frame) -> Result<Option<Box<Frame>>, Value> {
    let manager = frame.top();
    let class = vm.type_of(manager);
    let (Some(enter), Some(exit)) = (
        ops::lookup_class_attr(class, "__enter__"),
        ops::lookup_class_attr(class, "__exit__"),
    ) else {
        let type_name = vm.type_name(manager);
        let missing = if ops::lookup_class_attr(class, "__enter__").is_none() {
            ""
        } else {
            " (missed __exit__ method)"
        };
        return Err(vm.type_error(format!(
            "'{type_name}' object does not support the context manager protocol{missing}"
        )));
    };
    let bound_exit = ops::bind_descriptor(vm, exit, manager, class)?;
    frame.push(bound_exit);
    let bound_enter = ops::bind_descriptor(vm, enter, manager, class)?;
    frame.pop();
    frame.pop();
    frame.push(bound_exit);
    // `enter` stays on the stack (rooted) while it runs.
    frame.push(bound_enter);
    let outcome = prepare_call(vm, bound_enter, &[], &[]);
    frame.pop();
    match outcome? {
        CallOutcome::Value(result) => {
            frame.push(result);
            Ok(None)
        }
        CallOutcome::Frame(new_frame) => Ok(Some(new_frame)),
    }
}

/// FOR_ITER over an iterator neither built in nor a generator (`frame.pc`
/// is past the instruction; `exit` is where the loop ends). A `__next__`
/// written in Python runs as a frame of this task, a StopIteration out of
/// it ending the loop (`step::unwind_to_handler`): a blocking call inside
/// it then parks the task as any call does, where a native call of it
/// would block the worker in place under the threads it runs meanwhile.
/// Other `__next__`s are called natively.
#[inline(never)]
fn for_iter_other(vm: &mut Vm, frame: &mut Frame, iterator: Value, exit: usize) -> Flow {
    let class = vm.type_of(iterator);
    if let Some(method) = ops::lookup_class_attr(class, "__next__") {
        if matches!(kind_of(method), Some(ObjKind::Function(_))) {
            return match prepare_call(vm, method, &[iterator], &[]) {
                Ok(CallOutcome::Frame(mut next_frame)) => {
                    next_frame.on_return = ReturnMode::IteratorNext;
                    Flow::Call(next_frame)
                }
                Ok(CallOutcome::Value(value)) => {
                    frame.push(value);
                    Flow::Continue
                }
                Err(error) if vm.is_instance(error, vm.types.exc.stop_iteration) => {
                    frame.pop();
                    frame.pc = exit;
                    Flow::Continue
                }
                Err(error) => Flow::Raise(error),
            };
        }
    }
    match ops::next(vm, iterator) {
        Ok(Some(value)) => frame.push(value),
        Ok(None) => {
            frame.pop();
            frame.pc = exit;
        }
        Err(error) => return Flow::Raise(error),
    }
    Flow::Continue
}

/// FOR_ITER's step over `generator` (the loop's iterator, or the one a
/// built-in iterator handed its steps to, `iterators::LoopStep::Resume`):
/// resumes it as a frame of the loop's task; its return ends the loop
/// (`ReturnMode::Generator`). `frame.pc` is past the instruction.
#[inline(always)]
fn for_iter_generator(vm: &mut Vm, frame: &mut Frame, generator: Value, exit: usize) -> Flow {
    match crate::engine::step::take_generator_frame_for_loop(vm, generator) {
        Ok(Some(mut generator_frame)) => {
            generator_frame.on_return = ReturnMode::Generator { generator };
            Flow::Resume {
                frame: generator_frame,
                throw: None,
            }
        }
        Ok(None) => {
            frame.pop();
            frame.pc = exit;
            Flow::Continue
        }
        Err(error) => Flow::Raise(error),
    }
}

/// Makes the call a `for` loop's step over a `map` or `iter(callable,
/// sentinel)` gives (`iterators::LoopStep::Call`) as a frame of the loop's
/// task, whose return pushes the item or ends the loop (`ReturnMode`);
/// `until`: the iterator is an `iter(callable, sentinel)`.
fn for_iter_call(
    vm: &mut Vm,
    frame: &mut Frame,
    (iterator, until): (Value, bool),
    callable: Value,
    args: &[Value],
    exit: usize,
) -> Flow {
    match prepare_call(vm, callable, args, &[]) {
        Ok(CallOutcome::Frame(mut next_frame)) => {
            next_frame.on_return = if until {
                ReturnMode::CallUntilNext { iterator }
            } else {
                ReturnMode::IteratorNext
            };
            Flow::Call(next_frame)
        }
        Ok(CallOutcome::Value(value)) => {
            match until.then(|| crate::builtins::iterators::reached_sentinel(vm, iterator, value)) {
                Some(Err(error)) => Flow::Raise(error),
                Some(Ok(true)) => {
                    frame.pop();
                    frame.pc = exit;
                    Flow::Continue
                }
                _ => {
                    frame.push(value);
                    Flow::Continue
                }
            }
        }
        Err(error) if vm.is_instance(error, vm.types.exc.stop_iteration) => {
            crate::builtins::iterators::end_loop_call(iterator);
            frame.pop();
            frame.pc = exit;
            Flow::Continue
        }
        Err(error) => Flow::Raise(error),
    }
}

/// Runs `frame` from `start` to the end of its block at `end`.
#[inline(always)]
pub fn execute_range(vm: &mut Vm, frame: &mut Frame, start: usize, end: usize) -> Flow {
    let code = frame.code;
    let instructions: &[Instruction] = &code.instructions;
    let mut pc = start;

    macro_rules! fail {
        ($error:expr) => {{
            frame.pc = pc;
            return Flow::Raise($error);
        }};
    }
    macro_rules! tri {
        ($result:expr) => {
            match $result {
                Ok(value) => value,
                Err(error) => fail!(error),
            }
        };
    }
    macro_rules! jump {
        ($target:expr) => {{
            frame.pc = $target as usize;
            return Flow::Continue;
        }};
    }

    while pc < end {
        let Instruction { op, arg } = instructions[pc];
        pc += 1;
        match op {
            Opcode::Nop => {}
            Opcode::PopTop => {
                frame.pop();
            }
            Opcode::Copy => {
                let value = frame.peek(arg as usize);
                frame.push(value);
            }
            Opcode::Swap => {
                let length = frame.slots.len();
                frame.slots.swap(length - 1, length - arg as usize);
            }
            Opcode::LoadConst => frame.push(code.consts[arg as usize]),
            Opcode::LoadFast => {
                let value = frame.slots[arg as usize];
                if value.is_null() {
                    let name = vm.str_text(code.varnames[arg as usize]);
                    let class = vm.types.exc.unbound_local_error;
                    fail!(vm.new_error(class, format!("cannot access local variable '{name}' where it is not associated with a value")));
                }
                frame.push(value);
            }
            Opcode::StoreFast => {
                let value = frame.pop();
                frame.slots[arg as usize] = value;
            }
            Opcode::DeleteFast => {
                if frame.slots[arg as usize].is_null() {
                    let name = vm.str_text(code.varnames[arg as usize]);
                    let class = vm.types.exc.unbound_local_error;
                    fail!(vm.new_error(class, format!("cannot access local variable '{name}' where it is not associated with a value")));
                }
                frame.slots[arg as usize] = Value::NULL;
            }
            Opcode::LoadDeref | Opcode::LoadClassDeref => {
                if op == Opcode::LoadClassDeref {
                    let name = deref_name(frame, arg);
                    if let Some(value) = ops::dict_get_name(frame.locals_dict, name) {
                        frame.push(value);
                        continue;
                    }
                }
                let cell = frame.slots[code.varnames.len() + arg as usize];
                let value = cell_get(cell);
                if value.is_null() {
                    let name = vm.str_text(deref_name(frame, arg));
                    let error = if (arg as usize) < code.cellvars.len() {
                        let class = vm.types.exc.unbound_local_error;
                        vm.new_error(class, format!("cannot access local variable '{name}' where it is not associated with a value"))
                    } else {
                        let class = vm.types.exc.name_error;
                        vm.new_error(class, format!("cannot access free variable '{name}' where it is not associated with a value in enclosing scope"))
                    };
                    fail!(error);
                }
                frame.push(value);
            }
            Opcode::StoreDeref => {
                let value = frame.pop();
                let cell = frame.slots[code.varnames.len() + arg as usize];
                cell_set(cell, value);
            }
            Opcode::DeleteDeref => {
                let cell = frame.slots[code.varnames.len() + arg as usize];
                cell_set(cell, Value::NULL);
            }
            Opcode::LoadClosure => {
                let cell = frame.slots[code.varnames.len() + arg as usize];
                frame.push(cell);
            }
            Opcode::LoadGlobal => {
                match load_global_cached(code, arg, frame.globals, frame.builtins) {
                    Some(value) => frame.push(value),
                    None => {
                        let name = code.names[arg as usize];
                        match ops::dict_get_name(frame.globals, name)
                            .or_else(|| ops::dict_get_name(frame.builtins, name))
                        {
                            Some(value) => {
                                fill_global_cache(code, arg, frame.globals, frame.builtins);
                                frame.push(value)
                            }
                            None => fail!(vm.name_error(name)),
                        }
                    }
                }
            }
            Opcode::StoreGlobal => {
                let value = frame.pop();
                ops::dict_set_str(vm, frame.globals, code.names[arg as usize], value);
            }
            Opcode::DeleteGlobal => {
                let name = code.names[arg as usize];
                if !ops::dict_del_str(vm, frame.globals, name) {
                    fail!(vm.name_error(name));
                }
            }
            Opcode::LoadName => {
                let name = code.names[arg as usize];
                let found = lookup_locals(vm, frame.locals_dict, name);
                let found = match tri!(found) {
                    Some(value) => Some(value),
                    None => ops::dict_get_name(frame.globals, name)
                        .or_else(|| ops::dict_get_name(frame.builtins, name)),
                };
                match found {
                    Some(value) => frame.push(value),
                    None => fail!(vm.name_error(name)),
                }
            }
            Opcode::StoreName => {
                let value = frame.pop();
                let name = code.names[arg as usize];
                if vm.type_of(frame.locals_dict) == vm.types.dict {
                    ops::dict_set_str(vm, frame.locals_dict, name, value);
                } else {
                    tri!(ops::setitem(vm, frame.locals_dict, name, value));
                }
            }
            Opcode::DeleteName => {
                let name = code.names[arg as usize];
                if !ops::dict_del_str(vm, frame.locals_dict, name) {
                    fail!(vm.name_error(name));
                }
            }
            Opcode::LoadAttr => {
                let obj = frame.pop();
                frame.push(obj);
                let value = tri!(ops::getattr(vm, obj, code.names[arg as usize]));
                frame.pop();
                frame.push(value);
            }
            Opcode::StoreAttr => {
                let obj = frame.peek(1);
                let value = frame.peek(2);
                tri!(ops::setattr(vm, obj, code.names[arg as usize], value));
                frame.pop();
                frame.pop();
            }
            Opcode::DeleteAttr => {
                let obj = frame.peek(1);
                tri!(ops::delattr(vm, obj, code.names[arg as usize]));
                frame.pop();
            }
            Opcode::LoadMethod => {
                let obj = frame.top();
                let name = code.names[arg as usize];
                let (callable, receiver) = tri!(load_method(vm, obj, name));
                frame.pop();
                frame.push(callable);
                frame.push(receiver);
            }
            Opcode::BinarySubscr => {
                let key = frame.peek(1);
                let container = frame.peek(2);
                let value = match (list_fast_index(container, key, vm), key.as_small_int()) {
                    (Some(value), _) => value,
                    _ => tri!(ops::getitem(vm, container, key)),
                };
                frame.pop();
                frame.pop();
                frame.push(value);
            }
            Opcode::StoreSubscr => {
                let key = frame.peek(1);
                let container = frame.peek(2);
                let value = frame.peek(3);
                tri!(ops::setitem(vm, container, key, value));
                frame.truncate_stack(frame.stack_len() - 3);
            }
            Opcode::DeleteSubscr => {
                let key = frame.peek(1);
                let container = frame.peek(2);
                tri!(ops::delitem(vm, container, key));
                frame.pop();
                frame.pop();
            }
            Opcode::BinaryOp => {
                let right = frame.peek(1);
                let left = frame.peek(2);
                let (binary, inplace) = BinaryOp::from_arg(arg);
                let result = match small_int_op(binary, left, right)
                    .or_else(|| float_op(binary, left, right))
                {
                    Some(result) => result,
                    None => tri!(ops::binary_op(vm, left, right, binary, inplace)),
                };
                frame.pop();
                frame.pop();
                frame.push(result);
            }
            Opcode::UnaryNegative | Opcode::UnaryPositive | Opcode::UnaryInvert => {
                let value = frame.top();
                let kind = match op {
                    Opcode::UnaryNegative => UnaryKind::Negative,
                    Opcode::UnaryPositive => UnaryKind::Positive,
                    _ => UnaryKind::Invert,
                };
                let result = tri!(ops::unary_op(vm, value, kind));
                frame.pop();
                frame.push(result);
            }
            Opcode::UnaryNot => {
                let value = frame.top();
                let truth = tri!(ops::truthy(vm, value));
                frame.pop();
                frame.push(Value::bool(!truth));
            }
            Opcode::CompareOp => {
                let right = frame.peek(1);
                let left = frame.peek(2);
                let compare = CompareOp::from_arg(arg);
                let result = match (left.as_small_int(), right.as_small_int()) {
                    (Some(x), Some(y)) => Value::bool(compare.holds(x.cmp(&y))),
                    _ => tri!(ops::compare(vm, left, right, compare)),
                };
                frame.pop();
                frame.pop();
                frame.push(result);
            }
            Opcode::IsOp => {
                let right = frame.pop();
                let left = frame.pop();
                frame.push(Value::bool((left == right) != (arg == 1)));
            }
            Opcode::ContainsOp => {
                let container = frame.peek(1);
                let item = frame.peek(2);
                let found = tri!(ops::contains(vm, container, item));
                frame.pop();
                frame.pop();
                frame.push(Value::bool(found != (arg == 1)));
            }
            Opcode::Jump => jump!(arg),
            Opcode::PopJumpIfFalse | Opcode::PopJumpIfTrue => {
                let value = frame.top();
                let truth = match value {
                    Value::TRUE => true,
                    Value::FALSE => false,
                    _ => tri!(ops::truthy(vm, value)),
                };
                frame.pop();
                if truth == (op == Opcode::PopJumpIfTrue) {
                    jump!(arg);
                }
                frame.pc = pc;
                return Flow::Continue;
            }
            Opcode::JumpIfFalseOrPop | Opcode::JumpIfTrueOrPop => {
                let value = frame.top();
                let truth = tri!(ops::truthy(vm, value));
                if truth == (op == Opcode::JumpIfTrueOrPop) {
                    jump!(arg);
                }
                frame.pop();
                frame.pc = pc;
                return Flow::Continue;
            }
            Opcode::GetIter => {
                let value = frame.top();
                let iterator = tri!(ops::iter_live(vm, value));
                frame.pop();
                frame.push(iterator);
            }
            Opcode::ForIter => {
                let iterator = frame.top();
                match kind_of(iterator) {
                    Some(ObjKind::Iter(state)) => {
                        let next = match fast_iter_next(vm, state) {
                            Some(Ok(next)) => next,
                            Some(Err(position)) => {
                                crate::builtins::iterators::item_at(vm, position)
                            }
                            None => {
                                match tri!(crate::builtins::iterators::advance_for_loop(vm, state))
                                {
                                    LoopStep::Item(next) => next,
                                    LoopStep::Call {
                                        callable,
                                        args,
                                        until,
                                    } => {
                                        frame.pc = pc;
                                        return for_iter_call(
                                            vm,
                                            frame,
                                            (iterator, until),
                                            callable,
                                            &args,
                                            arg as usize,
                                        );
                                    }
                                    LoopStep::Resume(generator) => {
                                        frame.pc = pc;
                                        return for_iter_generator(
                                            vm,
                                            frame,
                                            generator,
                                            arg as usize,
                                        );
                                    }
                                }
                            }
                        };
                        match next {
                            Some(value) => {
                                frame.push(value);
                                frame.pc = pc;
                            }
                            None => {
                                frame.pop();
                                frame.pc = arg as usize;
                            }
                        }
                        return Flow::Continue;
                    }
                    Some(ObjKind::Generator(_)) => {
                        frame.pc = pc;
                        return for_iter_generator(vm, frame, iterator, arg as usize);
                    }
                    _ => {
                        frame.pc = pc;
                        return for_iter_other(vm, frame, iterator, arg as usize);
                    }
                }
            }
            Opcode::BuildTuple => {
                let count = arg as usize;
                let start = frame.slots.len() - count;
                let items = frame.slots[start..].to_vec();
                let tuple = vm.new_tuple(items);
                frame.slots.truncate(start);
                frame.push(tuple);
            }
            Opcode::BuildList => {
                let count = arg as usize;
                let start = frame.slots.len() - count;
                let items = frame.slots[start..].to_vec();
                let list = vm.new_list(items);
                frame.slots.truncate(start);
                frame.push(list);
            }
            Opcode::BuildSet => {
                let count = arg as usize;
                let start = frame.slots.len() - count;
                let set = vm.new_set(Default::default());
                frame.push(set);
                for index in 0..count {
                    let item = frame.slots[start + index];
                    tri!(ops::set_add(vm, set, item));
                }
                frame.slots.truncate(start);
                frame.push(set);
            }
            Opcode::BuildMap => {
                let count = arg as usize;
                let start = frame.slots.len() - 2 * count;
                let dict = vm.new_dict();
                frame.push(dict);
                for index in 0..count {
                    let key = frame.slots[start + 2 * index];
                    let value = frame.slots[start + 2 * index + 1];
                    tri!(ops::dict_set(vm, dict, key, value));
                }
                frame.slots.truncate(start);
                frame.push(dict);
            }
            Opcode::BuildString => {
                let count = arg as usize;
                let start = frame.slots.len() - count;
                let mut text = String::new();
                for value in &frame.slots[start..] {
                    text.push_str(str_of(*value).unwrap_or(""));
                }
                let value = vm.new_str(text);
                frame.slots.truncate(start);
                frame.push(value);
            }
            Opcode::BuildSlice => {
                let step = if arg == 3 { frame.pop() } else { Value::NONE };
                let stop = frame.pop();
                let start = frame.pop();
                let class = vm.types.slice;
                let slice = vm.alloc(class, ObjKind::Slice { start, stop, step });
                frame.push(slice);
            }
            Opcode::ListAppend => {
                let value = frame.pop();
                let list = frame.peek(arg as usize);
                if let Some(items) = ops::list_of(list) {
                    items.push(value);
                }
            }
            Opcode::SetAdd => {
                let value = frame.peek(1);
                let set = frame.peek(arg as usize + 1);
                tri!(ops::set_add(vm, set, value));
                frame.pop();
            }
            Opcode::MapAdd => {
                let value = frame.peek(1);
                let key = frame.peek(2);
                let dict = frame.peek(arg as usize + 2);
                tri!(ops::dict_set(vm, dict, key, value));
                frame.pop();
                frame.pop();
            }
            Opcode::ListExtend | Opcode::SetUpdate => {
                let iterable = frame.peek(1);
                let target = frame.peek(arg as usize + 1);
                let items = match ops::collect(vm, iterable) {
                    Ok(items) => items,
                    Err(error) => {
                        if vm.is_instance(error, vm.types.exc.type_error)
                            && !is_iterable(vm, iterable)
                        {
                            let type_name = vm.type_name(iterable);
                            let message = if op == Opcode::ListExtend {
                                format!("Value after * must be an iterable, not {type_name}")
                            } else {
                                format!("'{type_name}' object is not iterable")
                            };
                            fail!(vm.type_error(message));
                        }
                        fail!(error);
                    }
                };
                if op == Opcode::ListExtend {
                    if let Some(list) = ops::list_of(target) {
                        list.extend_from_slice(&items);
                    }
                } else {
                    for item in items {
                        tri!(ops::set_add(vm, target, item));
                    }
                }
                frame.pop();
            }
            Opcode::DictUpdate | Opcode::DictMerge => {
                let source = frame.peek(1);
                let target = frame.peek(arg as usize + 1);
                // DICT_MERGE builds call keywords: the callable sits below
                // the positional tuple, and errors name it.
                let callable = if op == Opcode::DictMerge && frame.stack_len() >= arg as usize + 3 {
                    frame.peek(arg as usize + 3)
                } else {
                    Value::NULL
                };
                tri!(merge_mapping(
                    vm,
                    target,
                    source,
                    op == Opcode::DictMerge,
                    callable
                ));
                frame.pop();
            }
            Opcode::ListToTuple => {
                let list = frame.pop();
                let items = ops::list_of(list)
                    .map(|items| items.borrow().to_vec())
                    .unwrap_or_default();
                let tuple = vm.new_tuple(items);
                frame.push(tuple);
            }
            Opcode::UnpackSequence => {
                let value = frame.top();
                let items = tri!(unpack(vm, value, arg as usize, None));
                frame.pop();
                for item in items.into_iter().rev() {
                    frame.push(item);
                }
            }
            Opcode::UnpackEx => {
                let value = frame.top();
                let before = (arg & 0xFF) as usize;
                let after = (arg >> 8) as usize;
                let items = tri!(unpack(vm, value, before + after, Some(before)));
                frame.pop();
                let middle_start = before;
                let middle_end = items.len() - after;
                let middle = vm.new_list(items[middle_start..middle_end].to_vec());
                for item in items[middle_end..].iter().rev() {
                    frame.push(*item);
                }
                frame.push(middle);
                for item in items[..before].iter().rev() {
                    frame.push(*item);
                }
            }
            Opcode::FormatValue => {
                let has_spec = arg & 4 != 0;
                let spec = if has_spec { frame.peek(1) } else { Value::NULL };
                let value = frame.peek(if has_spec { 2 } else { 1 });
                let converted = match arg & 3 {
                    1 => tri!(ops::to_str(vm, value)),
                    2 => tri!(ops::repr(vm, value)),
                    3 => {
                        let text = tri!(ops::repr_string(vm, value));
                        let escaped = crate::builtins::repr::escape_non_ascii(&text);
                        vm.new_str(escaped)
                    }
                    _ => value,
                };
                frame.push(converted);
                let spec_text = if has_spec {
                    str_of(spec).unwrap_or("")
                } else {
                    ""
                };
                let formatted = if spec_text.is_empty() && vm.type_of(converted) == vm.types.str {
                    converted
                } else {
                    tri!(ops::format_value(vm, converted, spec_text))
                };
                frame.pop();
                frame.truncate_stack(frame.stack_len() - if has_spec { 2 } else { 1 });
                frame.push(formatted);
            }
            Opcode::MakeFunction => {
                let code_value = frame.pop();
                let closure = if arg & 8 != 0 {
                    frame.pop()
                } else {
                    Value::NULL
                };
                let annotations = if arg & 4 != 0 {
                    frame.pop()
                } else {
                    Value::NULL
                };
                let kw_defaults = if arg & 2 != 0 {
                    frame.pop()
                } else {
                    Value::NULL
                };
                let defaults = if arg & 1 != 0 {
                    frame.pop()
                } else {
                    Value::NULL
                };
                let function = make_function(vm, frame, code_value, defaults, kw_defaults, closure);
                if let (false, Some(ObjKind::Function(made))) =
                    (annotations.is_null(), kind_of(function))
                {
                    made.annotations.set(annotations);
                }
                frame.push(function);
            }
            Opcode::Call | Opcode::CallKw | Opcode::CallMethod | Opcode::CallMethodKw => {
                let with_keywords = matches!(op, Opcode::CallKw | Opcode::CallMethodKw);
                let is_method = matches!(op, Opcode::CallMethod | Opcode::CallMethodKw);
                let kwnames_value = if with_keywords {
                    frame.pop()
                } else {
                    Value::NULL
                };
                let kwnames: &[Value] = if with_keywords {
                    tuple_items(kwnames_value).unwrap_or(&[])
                } else {
                    &[]
                };
                let argc = arg as usize;
                let top = frame.slots.len();
                let (callable_index, args_start) = if is_method {
                    let receiver = frame.slots[top - argc - 1];
                    if receiver.is_null() {
                        (top - argc - 2, top - argc)
                    } else {
                        (top - argc - 2, top - argc - 1)
                    }
                } else {
                    (top - argc - 1, top - argc)
                };
                let callable = frame.slots[callable_index];
                frame.pc = pc;
                let reads_frame = expose_frame_to_reader(vm, frame, callable);
                let outcome = prepare_call(vm, callable, &frame.slots[args_start..top], kwnames);
                if reads_frame {
                    hide_frame_from_readers(vm);
                }
                match outcome {
                    Ok(CallOutcome::Value(value)) => {
                        frame.slots.truncate(callable_index);
                        frame.push(value);
                    }
                    Ok(CallOutcome::Frame(new_frame)) => {
                        frame.slots.truncate(callable_index);
                        return Flow::Call(new_frame);
                    }
                    Err(error) => fail!(error),
                }
            }
            Opcode::CallEx => {
                let kwargs = if arg & 1 != 0 {
                    frame.pop()
                } else {
                    Value::NULL
                };
                let positional = frame.pop();
                let callable = frame.pop();
                frame.push(callable);
                frame.push(positional);
                frame.push(kwargs);
                let mut args: Vec<Value> = match tuple_items(positional) {
                    Some(items) => items.to_vec(),
                    None => tri!(star_arguments(vm, callable, positional)),
                };
                let mut names = Vec::new();
                if !kwargs.is_null() {
                    if let Some(table) = ops::dict_of(kwargs) {
                        for (key, value) in table.borrow().items() {
                            names.push(key);
                            args.push(value);
                        }
                    }
                }
                frame.pc = pc;
                let reads_frame = expose_frame_to_reader(vm, frame, callable);
                let outcome = prepare_call(vm, callable, &args, &names);
                if reads_frame {
                    hide_frame_from_readers(vm);
                }
                frame.pop();
                frame.pop();
                frame.pop();
                match outcome {
                    Ok(CallOutcome::Value(value)) => frame.push(value),
                    Ok(CallOutcome::Frame(new_frame)) => return Flow::Call(new_frame),
                    Err(error) => fail!(error),
                }
            }
            Opcode::ReturnValue => {
                let value = frame.pop();
                frame.pc = pc;
                return Flow::Return(value);
            }
            Opcode::YieldValue => {
                let value = frame.pop();
                frame.pc = pc;
                return Flow::Yield(value);
            }
            Opcode::GetYieldFromIter => {
                let value = frame.top();
                if !matches!(kind_of(value), Some(ObjKind::Generator(_))) {
                    let iterator = tri!(ops::iter_live(vm, value));
                    frame.pop();
                    frame.push(iterator);
                }
            }
            Opcode::Send => {
                let sent = frame.peek(1);
                let iterator = frame.peek(2);
                frame.pc = pc;
                if let Some(ObjKind::Generator(_)) = kind_of(iterator) {
                    frame.pop();
                    let generator_frame = tri!(crate::engine::step::take_generator_frame(
                        vm, iterator, sent
                    ));
                    match generator_frame {
                        Some(mut generator_frame) => {
                            generator_frame.on_return = ReturnMode::Generator {
                                generator: iterator,
                            };
                            return Flow::Resume {
                                frame: generator_frame,
                                throw: None,
                            };
                        }
                        None => {
                            frame.pop();
                            frame.push(Value::NONE);
                            jump!(arg);
                        }
                    }
                }
                let next = if sent.is_none() {
                    ops::next(vm, iterator)
                } else {
                    ops::call_method(vm, iterator, "send", &[sent]).map(Some)
                };
                match next {
                    Ok(Some(value)) => {
                        frame.pop();
                        frame.push(value);
                        return Flow::Continue;
                    }
                    Ok(None) => {
                        frame.pop();
                        frame.pop();
                        frame.push(Value::NONE);
                        jump!(arg);
                    }
                    Err(error) => {
                        if vm.is_instance(error, vm.types.exc.stop_iteration) {
                            let value = exc_data(error)
                                .and_then(|data| {
                                    tuple_items(data.args.get())
                                        .and_then(|items| items.first().copied())
                                })
                                .unwrap_or(Value::NONE);
                            frame.pop();
                            frame.pop();
                            frame.push(value);
                            jump!(arg);
                        }
                        fail!(error);
                    }
                }
            }
            Opcode::Raise => {
                frame.pc = pc;
                let error = match arg {
                    0 => {
                        if vm.handled_exception.is_null() {
                            vm.runtime_error("No active exception to reraise")
                        } else {
                            return Flow::Raise(vm.handled_exception);
                        }
                    }
                    1 => {
                        let value = frame.pop();
                        crate::engine::unwind::make_raisable(vm, value, None)
                    }
                    _ => {
                        let cause = frame.pop();
                        let value = frame.pop();
                        crate::engine::unwind::make_raisable(vm, value, Some(cause))
                    }
                };
                return Flow::Raise(error);
            }
            Opcode::Reraise => {
                let exception = frame.pop();
                frame.pc = pc;
                return Flow::Raise(exception);
            }
            Opcode::PushExcInfo => {
                let exception = frame.pop();
                let previous = if vm.handled_exception.is_null() {
                    Value::NONE
                } else {
                    vm.handled_exception
                };
                frame.push(previous);
                frame.push(exception);
                vm.handled_exception = exception;
            }
            Opcode::PopExcept => {
                let previous = frame.pop();
                vm.handled_exception = if previous.is_none() {
                    Value::NULL
                } else {
                    previous
                };
            }
            Opcode::CheckExcMatch => {
                let class = frame.peek(1);
                let exception = frame.peek(2);
                let matched = tri!(crate::engine::unwind::exception_matches(
                    vm, exception, class
                ));
                frame.pop();
                frame.push(Value::bool(matched));
            }
            Opcode::CheckEgMatch => {
                let classes = frame.peek(1);
                let exception = frame.peek(2);
                let (rest, matched) = tri!(crate::builtins::exceptions::check_eg_match(
                    vm, exception, classes
                ));
                frame.pop();
                frame.pop();
                frame.push(rest);
                frame.push(matched);
            }
            Opcode::PrepReraiseStar => {
                let raised = frame.peek(1);
                let original = frame.peek(2);
                let result = tri!(crate::builtins::exceptions::prep_reraise_star(
                    vm, original, raised
                ));
                frame.pop();
                frame.pop();
                frame.push(result);
            }
            Opcode::PopExceptAndReraise => {
                let exception = frame.pop();
                let previous = frame.pop();
                vm.handled_exception = if previous.is_none() {
                    Value::NULL
                } else {
                    previous
                };
                frame.pc = pc;
                return Flow::Raise(exception);
            }
            Opcode::BeforeWith => {
                frame.pc = pc;
                match before_with(vm, frame) {
                    Ok(None) => {}
                    Ok(Some(new_frame)) => return Flow::Call(new_frame),
                    Err(error) => fail!(error),
                }
            }
            Opcode::WithExceptStart => {
                let exception = frame.peek(1);
                let exit = frame.peek(3);
                let class = vm.type_of(exception);
                let traceback = crate::builtins::exceptions::traceback_object(vm, exception);
                let result = tri!(ops::call(vm, exit, &[class, exception, traceback], &[]));
                frame.push(result);
            }
            Opcode::LoadBuildClass => {
                let builder =
                    ops::dict_get_str(frame.builtins, "__build_class__").unwrap_or(Value::NONE);
                frame.push(builder);
            }
            Opcode::ImportName => {
                let fromlist = frame.peek(1);
                let level = frame.peek(2);
                let name = code.names[arg as usize];
                frame.pc = pc;
                let module = tri!(crate::builtins::import::import_name(
                    vm,
                    name,
                    fromlist,
                    level,
                    frame.globals
                ));
                frame.pop();
                frame.pop();
                frame.push(module);
            }
            Opcode::ImportFrom => {
                let module = frame.top();
                let name = code.names[arg as usize];
                let value = tri!(crate::builtins::import::import_from(vm, module, name));
                frame.push(value);
            }
            Opcode::ImportStar => {
                let module = frame.top();
                tri!(crate::builtins::import::import_star(
                    vm,
                    module,
                    frame.locals_dict
                ));
                frame.pop();
            }
            Opcode::LoadAssertionError => frame.push(vm.types.exc.assertion_error),
            Opcode::PrintExpr => {
                let value = frame.top();
                if !value.is_none() {
                    let text = tri!(ops::repr_string(vm, value));
                    vm.host.write_stdout(&text);
                    vm.host.write_stdout("\n");
                    let key = vm.intern("_");
                    let builtins = frame.builtins;
                    ops::dict_set_str(vm, builtins, key, value);
                }
                frame.pop();
            }
            Opcode::SetupAnnotations => {
                if ops::dict_get_str(frame.locals_dict, "__annotations__").is_none() {
                    let dict = vm.new_dict();
                    let key = vm.intern("__annotations__");
                    ops::dict_set_str(vm, frame.locals_dict, key, dict);
                }
            }
            Opcode::MatchSequence => {
                let is_sequence = crate::engine::matching::is_sequence(vm, frame.top());
                frame.push(Value::bool(is_sequence));
            }
            Opcode::MatchMapping => {
                let is_mapping = crate::engine::matching::is_mapping(vm, frame.top());
                frame.push(Value::bool(is_mapping));
            }
            Opcode::GetLen => {
                let length = tri!(ops::len(vm, frame.top()));
                let length = vm.new_int(length as i64);
                frame.push(length);
            }
            Opcode::MatchKeys => {
                let (subject, keys) = (frame.peek(2), frame.peek(1));
                let values = tri!(crate::engine::matching::match_keys(vm, subject, keys));
                frame.push(values);
            }
            Opcode::MatchClass => {
                let (subject, class, names) = (frame.peek(3), frame.peek(2), frame.peek(1));
                let attributes = tri!(crate::engine::matching::match_class(
                    vm,
                    subject,
                    class,
                    arg as usize,
                    names
                ));
                frame.pop();
                frame.pop();
                frame.pop();
                frame.push(attributes);
            }
        }
    }
    frame.pc = pc;
    Flow::Continue
}

fn deref_name(frame: &Frame, arg: u32) -> Value {
    let code = frame.code;
    let index = arg as usize;
    if index < code.cellvars.len() {
        code.cellvars[index]
    } else {
        code.freevars[index - code.cellvars.len()]
    }
}

#[inline]
fn cell_get(cell: Value) -> Value {
    match kind_of(cell) {
        Some(ObjKind::Cell(contents)) => contents.get(),
        _ => Value::NULL,
    }
}

#[inline]
fn cell_set(cell: Value, value: Value) {
    if let Some(ObjKind::Cell(contents)) = kind_of(cell) {
        if cell.as_obj().is_some_and(|obj| obj.is_shared()) {
            crate::heap::share::share(value);
        }
        contents.set(value);
    }
}

fn lookup_locals(vm: &mut Vm, locals: Value, name: Value) -> crate::PyResult<Option<Value>> {
    if locals.is_null() {
        return Ok(None);
    }
    if vm.type_of(locals) == vm.types.dict {
        return Ok(ops::dict_get_name(locals, name));
    }
    match ops::getitem(vm, locals, name) {
        Ok(value) => Ok(Some(value)),
        Err(error) if vm.is_instance(error, vm.types.exc.key_error) => Ok(None),
        Err(error) => Err(error),
    }
}

/// LOAD_METHOD: (function, self) when the attribute is a plain method of
/// the class, else (bound attribute, NULL).
fn load_method(vm: &mut Vm, obj: Value, name: Value) -> crate::PyResult<(Value, Value)> {
    let class = vm.type_of(obj);
    if crate::engine::type_obj(obj).is_none()
        && !matches!(kind_of(obj), Some(ObjKind::Super { .. }))
        && (vm.is_builtin_class(class)
            || ops::attribute_hooks(class) & crate::objects::typeobj::HOOK_GETATTRIBUTE == 0)
    {
        if let Some(attribute) = ops::lookup_class_name(class, name) {
            if matches!(
                kind_of(attribute),
                Some(ObjKind::Function(_) | ObjKind::NativeFunction(_))
            ) {
                let dict = crate::builtins::descriptors::instance_dict(vm, obj, false);
                let shadowed = !dict.is_null() && ops::dict_get_name(dict, name).is_some();
                if !shadowed {
                    return Ok((attribute, obj));
                }
            }
        }
    }
    let attribute = ops::getattr(vm, obj, name)?;
    Ok((attribute, Value::NULL))
}

fn list_fast_index(container: Value, key: Value, vm: &Vm) -> Option<Value> {
    let index = key.as_small_int()?;
    let obj = container.as_obj()?;
    if obj.class() != vm.types.list {
        return None;
    }
    let ObjKind::List(items) = &obj.kind else {
        return None;
    };
    items.read(|items| {
        let items = items.view();
        let length = items.len() as i64;
        let adjusted = if index < 0 { index + length } else { index };
        if adjusted >= 0 && adjusted < length {
            items.get(adjusted as usize)
        } else {
            None
        }
    })
}

/// Small-int arithmetic that cannot fail or overflow the small range.
#[inline]
fn small_int_op(op: BinaryOp, left: Value, right: Value) -> Option<Value> {
    let (x, y) = (left.as_small_int()?, right.as_small_int()?);
    let result = match op {
        BinaryOp::Add => x + y,
        BinaryOp::Subtract => x - y,
        BinaryOp::Multiply => x.checked_mul(y)?,
        BinaryOp::FloorDivide if y != 0 => {
            x.div_euclid(y) - if x.rem_euclid(y) != 0 && y < 0 { 1 } else { 0 }
        }
        BinaryOp::Remainder if y != 0 => {
            let r = x % y;
            if r != 0 && ((r < 0) != (y < 0)) {
                r + y
            } else {
                r
            }
        }
        BinaryOp::And => x & y,
        BinaryOp::Or => x | y,
        BinaryOp::Xor => x ^ y,
        _ => return None,
    };
    Value::small_int(result)
}

/// LOAD_GLOBAL through the code object's inline cache.
#[inline]
fn load_global_cached(
    code: &CodeObject,
    arg: u32,
    globals: Value,
    builtins: Value,
) -> Option<Value> {
    let cache = GlobalCache::load(code.global_cache.get(arg as usize)?)?;
    if cache.globals != globals.bits() {
        return None;
    }
    // The entry first, then the version: a shared table's clear makes its
    // new arrays current between two changes of the version, so an entry
    // read from them is never taken for one of the cached version.
    let in_globals = ops::dict_of(globals)?.read(|table| {
        let value = if cache.builtins == 0 {
            table.entry(cache.slot as usize).map(|entry| entry.value())
        } else {
            None
        };
        (table.version() == cache.globals_version).then_some(value)
    })?;
    if cache.builtins == 0 {
        return in_globals;
    }
    if cache.builtins != builtins.bits() {
        return None;
    }
    ops::dict_of(builtins)?.read(|table| {
        let value = table.entry(cache.slot as usize).map(|entry| entry.value());
        (table.version() == cache.builtins_version).then_some(value)?
    })
}

/// Records where LOAD_GLOBAL found `code.names[arg]`.
fn fill_global_cache(code: &CodeObject, arg: u32, globals: Value, builtins: Value) {
    let Some(cell) = code.global_cache.get(arg as usize) else {
        return;
    };
    let name = code.names[arg as usize];
    let (Some(globals_table), Some(builtins_table)) =
        (ops::dict_of(globals), ops::dict_of(builtins))
    else {
        return;
    };
    // Versions read before the probes and unchanged after them, and
    // settled (no clear of a shared table between two generations of its
    // arrays): then the slot belongs to the arrays of that version.
    let (Some(globals_version), Some(builtins_version)) = (
        globals_table.borrow().settled_version(),
        builtins_table.borrow().settled_version(),
    ) else {
        return;
    };
    let mut cache = GlobalCache {
        globals: globals.bits(),
        globals_version,
        ..GlobalCache::default()
    };
    if let Some(slot) = ops::dict_slot_of_name(globals, name) {
        cache.slot = slot as u32;
    } else if let Some(slot) = ops::dict_slot_of_name(builtins, name) {
        cache.builtins = builtins.bits();
        cache.builtins_version = builtins_version;
        cache.slot = slot as u32;
    } else {
        return;
    }
    if globals_table.borrow().version() != globals_version
        || builtins_table.borrow().version() != builtins_version
    {
        return;
    }
    cache.store(cell);
}

/// Float arithmetic on two immediate floats (or a float and a small
/// int) that cannot raise: `+ - *` always, `/` with a non-zero divisor.
#[inline]
fn float_op(op: BinaryOp, left: Value, right: Value) -> Option<Value> {
    let as_number = |value: Value| {
        value
            .as_float()
            .or_else(|| value.as_small_int().map(|n| n as f64))
    };
    if !left.is_float() && !right.is_float() {
        return None;
    }
    let (x, y) = (as_number(left)?, as_number(right)?);
    let result = match op {
        BinaryOp::Add => x + y,
        BinaryOp::Subtract => x - y,
        BinaryOp::Multiply => x * y,
        BinaryOp::TrueDivide if y != 0.0 => x / y,
        _ => return None,
    };
    Some(Value::float(result))
}

/// FOR_ITER's step for sequence and range iterators: the next item where
/// it is an existing object or a small int, else the position taken (for
/// `iterators::item_at`); `None` for other iterators.
#[inline(always)]
fn fast_iter_next(
    vm: &Vm,
    state: &crate::objects::PyCell<IterState>,
) -> Option<Result<Option<Value>, Position>> {
    let shared = state.is_shared();
    let position = state.read(|state| state.take_position(shared))?;
    Some(match position {
        Position::End => Ok(None),
        Position::Number(number) => Value::small_int(number).map(Some).ok_or(position),
        Position::Index(sequence, index) => match sequence.as_obj().map(|obj| (obj, &obj.kind)) {
            Some((obj, ObjKind::List(items))) if obj.class() == vm.types.list => {
                Ok(items.read(|items| items.get(index)))
            }
            Some((_, ObjKind::Tuple(items))) => Ok(items.get(index).copied()),
            _ => Err(position),
        },
    })
}

fn is_iterable(vm: &Vm, value: Value) -> bool {
    matches!(
        kind_of(value),
        Some(
            ObjKind::List(_)
                | ObjKind::Tuple(_)
                | ObjKind::Str(_)
                | ObjKind::Dict(_)
                | ObjKind::Set(_)
                | ObjKind::Iter(_)
                | ObjKind::Generator(_)
                | ObjKind::Range { .. }
        )
    ) || ops::lookup_class_attr(vm.type_of(value), "__iter__").is_some()
}

/// How CPython names a callable in call errors: `module.qualname()`, or
/// `qualname()` for builtins, or `str(callable)`.
/// The positional arguments of `f(*iterable)` (a lone starred argument
/// reaches CALL_FUNCTION_EX unconverted).
fn star_arguments(vm: &mut Vm, callable: Value, iterable: Value) -> crate::PyResult<Vec<Value>> {
    if !is_iterable(vm, iterable)
        && ops::lookup_class_attr(vm.type_of(iterable), "__getitem__").is_none()
    {
        let function = callable_description(vm, callable);
        let type_name = vm.type_name(iterable);
        return vm.err_type(format!(
            "{function} argument after * must be an iterable, not {type_name}"
        ));
    }
    ops::collect(vm, iterable)
}

fn callable_description(vm: &mut Vm, callable: Value) -> String {
    if callable.is_null() {
        return String::new();
    }
    let Ok(qualname) = ops::getattr_str(vm, callable, "__qualname__") else {
        return ops::str_string(vm, callable).unwrap_or_default();
    };
    let qualname = ops::str_string(vm, qualname).unwrap_or_default();
    match ops::getattr_str(vm, callable, "__module__").map(str_of) {
        Ok(Some(module)) if module != "builtins" => format!("{module}.{qualname}()"),
        _ => format!("{qualname}()"),
    }
}

fn merge_mapping(
    vm: &mut Vm,
    target: Value,
    source: Value,
    reject_duplicates: bool,
    callable: Value,
) -> crate::PyResult<()> {
    let pairs: Vec<(Value, Value)> = match ops::dict_of(source) {
        Some(table) => table.borrow().items(),
        None => {
            if ops::lookup_class_attr(vm.type_of(source), "keys").is_none() {
                let type_name = vm.type_name(source);
                let message = if reject_duplicates {
                    let function = callable_description(vm, callable);
                    format!("{function} argument after ** must be a mapping, not {type_name}")
                        .trim_start()
                        .to_string()
                } else {
                    format!("'{type_name}' object is not a mapping")
                };
                return vm.err_type(message);
            }
            let keys_value = ops::call_method(vm, source, "keys", &[])?;
            let keys = ops::collect(vm, keys_value)?;
            let mut pairs = Vec::with_capacity(keys.len());
            for key in keys {
                let value = ops::getitem(vm, source, key)?;
                pairs.push((key, value));
            }
            pairs
        }
    };
    for (key, value) in pairs {
        if reject_duplicates {
            if str_of(key).is_none() {
                return vm.err_type("keywords must be strings");
            }
            if ops::dict_get(vm, target, key)?.is_some() {
                let name = vm.str_text(key);
                let function = callable_description(vm, callable);
                let message =
                    format!("{function} got multiple values for keyword argument '{name}'");
                return vm.err_type(message.trim_start().to_string());
            }
        }
        ops::dict_set(vm, target, key, value)?;
    }
    Ok(())
}

/// Unpacks exactly `count` items, or at least `count` with a starred
/// target at `star` (the items in between all returned too).
fn unpack(
    vm: &mut Vm,
    value: Value,
    count: usize,
    star: Option<usize>,
) -> crate::PyResult<Vec<Value>> {
    let items = match kind_of(value) {
        Some(ObjKind::Tuple(items)) => items.to_vec(),
        Some(ObjKind::List(items)) if vm.type_of(value) == vm.types.list => items.borrow().to_vec(),
        _ => {
            if !is_iterable(vm, value)
                && ops::lookup_class_attr(vm.type_of(value), "__getitem__").is_none()
            {
                let type_name = vm.type_name(value);
                return vm.err_type(format!("cannot unpack non-iterable {type_name} object"));
            }
            let iterator = ops::iter(vm, value)?;
            let mut items = Vec::new();
            while let Some(item) = ops::next(vm, iterator)? {
                items.push(item);
                if star.is_none() && items.len() > count {
                    break;
                }
            }
            items
        }
    };
    match star {
        None => {
            if items.len() < count {
                return vm.err_value(format!(
                    "not enough values to unpack (expected {count}, got {})",
                    items.len()
                ));
            }
            if items.len() > count {
                return vm.err_value(format!("too many values to unpack (expected {count})"));
            }
        }
        Some(_) => {
            if items.len() < count {
                return vm.err_value(format!(
                    "not enough values to unpack (expected at least {count}, got {})",
                    items.len()
                ));
            }
        }
    }
    Ok(items)
}

/// A function's keyword-only defaults as it keeps them (`Function::
/// kw_defaults`): the items of the dict `defaults` flattened into one
/// tuple, NULL for none or for anything but a dict.
pub fn kw_defaults_tuple(vm: &mut Vm, defaults: Value) -> Value {
    let items = match ops::dict_of(defaults) {
        Some(table) => table.borrow().items(),
        None => return Value::NULL,
    };
    if items.is_empty() {
        return Value::NULL;
    }
    let flat = items
        .into_iter()
        .flat_map(|(name, value)| [name, value])
        .collect();
    vm.new_tuple(flat)
}

fn make_function(
    vm: &mut Vm,
    frame: &Frame,
    code_value: Value,
    defaults: Value,
    kw_defaults: Value,
    closure: Value,
) -> Value {
    let code = crate::engine::code_of(code_value).expect("MAKE_FUNCTION needs a code object");
    let defaults = match tuple_items(defaults) {
        Some(items) if !items.is_empty() => defaults,
        _ => Value::NULL,
    };
    let kw_defaults = kw_defaults_tuple(vm, kw_defaults);
    let closure: Box<[Value]> = tuple_items(closure)
        .map(|items| items.to_vec().into_boxed_slice())
        .unwrap_or_default();
    let module = ops::dict_get_str(frame.globals, "__name__").unwrap_or(Value::NONE);
    let function = Function {
        code,
        globals: frame.globals,
        defaults: crate::value::AtomicValue::new(defaults),
        kw_defaults: crate::value::AtomicValue::new(kw_defaults),
        closure,
        name: crate::value::AtomicValue::new(code.name),
        qualname: crate::value::AtomicValue::new(code.qualname),
        doc: crate::value::AtomicValue::new(code.docstring),
        module: crate::value::AtomicValue::new(module),
        annotations: crate::value::AtomicValue::new(Value::NULL),
    };
    let class = vm.types.function;
    let _ = code_flags::GENERATOR;
    vm.alloc(class, ObjKind::Function(Box::new(function)))
}
