//! Generator methods called from Python or native code — `__next__`,
//! `send`, `throw`, `close` — including their delegation through
//! `yield from` (a throw or close reaches the innermost sub-iterator
//! first), and the introspection attributes `gi_running`,
//! `gi_suspended`, `gi_frame`, `gi_code` and `gi_yieldfrom`.
//!
//! A generator suspended inside `yield from` sits just after the
//! YIELD_VALUE that follows the loop's SEND, with the sub-iterator on top
//! of its value stack (see `compiler/codegen.rs`, `yield_from`).

use crate::builtins::{add_method, args};
use crate::bytecode::opcodes::Opcode;
use crate::engine::ops::{self, kind_of};
use crate::engine::step::{resume_generator, Resumed};
use crate::engine::{exc_data, tuple_items, type_obj, Vm};
use crate::heap::alloc_immortal;
use crate::objects::{NativeFn, ObjKind};
use crate::value::Value;
use crate::PyResult;

type Kwargs<'a> = &'a [(Value, Value)];

pub fn register(vm: &mut Vm) {
    let generator = vm.types.generator;
    add_method(vm, generator, "__next__", generator_next);
    add_method(vm, generator, "send", generator_send);
    add_method(vm, generator, "throw", generator_throw);
    add_method(vm, generator, "close", generator_close);
    let getters: [(&'static str, NativeFn); 5] = [
        ("gi_running", gi_running),
        ("gi_suspended", gi_suspended),
        ("gi_frame", gi_frame),
        ("gi_code", gi_code),
        ("gi_yieldfrom", gi_yieldfrom),
    ];
    for (name, getter) in getters {
        let getter = crate::builtins::native_function(vm, name, getter, generator);
        let property = alloc_immortal(
            vm.types.property,
            ObjKind::Property {
                getter,
                setter: Value::NULL,
                deleter: Value::NULL,
                doc: Value::NULL,
            },
        );
        crate::builtins::set_class_attr(vm, generator, name, property);
    }
}

fn finish(vm: &mut Vm, resumed: Resumed) -> PyResult<Value> {
    match resumed {
        Resumed::Yielded(value) => Ok(value),
        Resumed::Returned(value) => Err(vm.stop_iteration(value)),
    }
}

fn generator_next(vm: &mut Vm, arguments: &[Value], _: Kwargs) -> PyResult<Value> {
    let resumed = resume_generator(vm, arguments[0], Value::NONE, None)?;
    finish(vm, resumed)
}

fn generator_send(vm: &mut Vm, arguments: &[Value], _: Kwargs) -> PyResult<Value> {
    args::arity(vm, "send", &arguments[1..], 1, 1)?;
    let resumed = resume_generator(vm, arguments[0], arguments[1], None)?;
    finish(vm, resumed)
}

/// The sub-iterator a suspended generator delegates to with `yield from`.
pub fn delegate_of(generator: Value) -> Option<Value> {
    let Some(ObjKind::Generator(state)) = kind_of(generator) else {
        return None;
    };
    let mut state = state.borrow_mut();
    let frame = state.suspended()?;
    let pc = frame.pc;
    let instructions = &frame.code.instructions;
    if pc >= 2
        && instructions[pc - 1].op == Opcode::YieldValue
        && instructions[pc - 2].op == Opcode::Send
        && frame.stack_len() > 0
    {
        Some(frame.top())
    } else {
        None
    }
}

/// Moves a generator suspended in `yield from` past it: the value its
/// next resumption sends becomes the `yield from` expression's value.
fn end_delegation(generator: Value) {
    let Some(ObjKind::Generator(state)) = kind_of(generator) else {
        return;
    };
    let mut state = state.borrow_mut();
    if let Some(frame) = state.suspended() {
        let send = frame.code.instructions[frame.pc - 2];
        frame.pop();
        frame.pc = send.arg as usize;
    }
}

fn stop_iteration_value(exception: Value) -> Value {
    exc_data(exception)
        .and_then(|data| tuple_items(data.args.get()))
        .and_then(|items| items.first().copied())
        .unwrap_or(Value::NONE)
}

/// Raises `exception` inside `generator` at its suspension point.
fn raise_in(vm: &mut Vm, generator: Value, exception: Value) -> PyResult<Value> {
    let resumed = resume_generator(vm, generator, Value::NONE, Some(exception))?;
    finish(vm, resumed)
}

/// `generator.throw(exception)`, passed down a `yield from` chain first.
pub fn throw_into(vm: &mut Vm, generator: Value, exception: Value) -> PyResult<Value> {
    let Some(sub) = delegate_of(generator) else {
        return raise_in(vm, generator, exception);
    };
    if vm.is_instance(exception, vm.types.exc.generator_exit) {
        if let Err(error) = close_iterator(vm, sub) {
            return raise_in(vm, generator, error);
        }
        return raise_in(vm, generator, exception);
    }
    let outcome = if matches!(kind_of(sub), Some(ObjKind::Generator(_))) {
        throw_into(vm, sub, exception)
    } else if ops::lookup_class_attr(vm.type_of(sub), "throw").is_some() {
        ops::call_method(vm, sub, "throw", &[exception])
    } else {
        return raise_in(vm, generator, exception);
    };
    match outcome {
        Ok(value) => Ok(value),
        Err(error) if vm.is_instance(error, vm.types.exc.stop_iteration) => {
            end_delegation(generator);
            let value = stop_iteration_value(error);
            let resumed = resume_generator(vm, generator, value, None)?;
            finish(vm, resumed)
        }
        Err(error) => raise_in(vm, generator, error),
    }
}

fn close_iterator(vm: &mut Vm, iterator: Value) -> PyResult<()> {
    if matches!(kind_of(iterator), Some(ObjKind::Generator(_))) {
        close(vm, iterator)?;
    } else if ops::lookup_class_attr(vm.type_of(iterator), "close").is_some() {
        ops::call_method(vm, iterator, "close", &[])?;
    }
    Ok(())
}

fn generator_throw(vm: &mut Vm, arguments: &[Value], _: Kwargs) -> PyResult<Value> {
    args::arity(vm, "throw", &arguments[1..], 1, 3)?;
    let (kind, value) = (
        arguments[1],
        arguments.get(2).copied().unwrap_or(Value::NONE),
    );
    let base = vm.types.exc.base_exception;
    let exception = if type_obj(kind).is_some() && vm.is_subclass(kind, base) {
        if vm.is_instance(value, kind) {
            value
        } else if value.is_none() {
            ops::call(vm, kind, &[], &[])?
        } else if let Some(items) = tuple_items(value) {
            ops::call(vm, kind, items, &[])?
        } else {
            ops::call(vm, kind, &[value], &[])?
        }
    } else if vm.is_instance(kind, base) {
        if !value.is_none() {
            return vm.err_type("instance exception may not have a separate value");
        }
        kind
    } else {
        let type_name = vm.type_name(kind);
        return vm.err_type(format!(
            "exceptions must be classes or instances deriving from BaseException, not {type_name}"
        ));
    };
    throw_into(vm, arguments[0], exception)
}

/// `generator.close()`.
pub fn close(vm: &mut Vm, generator: Value) -> PyResult<()> {
    let started = match kind_of(generator) {
        Some(ObjKind::Generator(state)) => state.borrow_mut().suspended().map(|frame| frame.pc > 0),
        _ => None,
    };
    match started {
        None => return Ok(()),
        Some(false) => {
            if let Some(ObjKind::Generator(state)) = kind_of(generator) {
                state.borrow_mut().drop_frame();
            }
            return Ok(());
        }
        Some(true) => {}
    }
    let mut to_raise = None;
    if let Some(sub) = delegate_of(generator) {
        if let Err(error) = close_iterator(vm, sub) {
            to_raise = Some(error);
        }
    }
    let to_raise = match to_raise {
        Some(error) => error,
        None => {
            let class = vm.types.exc.generator_exit;
            vm.new_exception(class, vec![])
        }
    };
    match resume_generator(vm, generator, Value::NONE, Some(to_raise)) {
        Ok(Resumed::Yielded(_)) => vm.err_runtime("generator ignored GeneratorExit"),
        Ok(Resumed::Returned(_)) => Ok(()),
        Err(error) => {
            if vm.is_instance(error, vm.types.exc.generator_exit)
                || vm.is_instance(error, vm.types.exc.stop_iteration)
            {
                Ok(())
            } else {
                Err(error)
            }
        }
    }
}

fn generator_close(vm: &mut Vm, arguments: &[Value], _: Kwargs) -> PyResult<Value> {
    close(vm, arguments[0])?;
    Ok(Value::NONE)
}

// ---- introspection ---------------------------------------------------------------------------

/// (running, has a frame, started).
fn state_of(generator: Value) -> (bool, bool, bool) {
    match kind_of(generator) {
        Some(ObjKind::Generator(state)) => {
            let mut state = state.borrow_mut();
            let running = state.is_running();
            let frame = state.suspended();
            let started = frame.as_ref().is_some_and(|frame| frame.pc > 0);
            (running, frame.is_some(), started)
        }
        _ => (false, false, false),
    }
}

fn gi_running(_: &mut Vm, arguments: &[Value], _: Kwargs) -> PyResult<Value> {
    Ok(Value::bool(state_of(arguments[0]).0))
}

fn gi_suspended(_: &mut Vm, arguments: &[Value], _: Kwargs) -> PyResult<Value> {
    let (running, has_frame, started) = state_of(arguments[0]);
    Ok(Value::bool(!running && has_frame && started))
}

fn gi_code(vm: &mut Vm, arguments: &[Value], _: Kwargs) -> PyResult<Value> {
    match kind_of(arguments[0]) {
        Some(ObjKind::Generator(state)) => {
            let code = state.borrow().code;
            Ok(vm.code_value(code))
        }
        _ => Ok(Value::NONE),
    }
}

fn gi_yieldfrom(_: &mut Vm, arguments: &[Value], _: Kwargs) -> PyResult<Value> {
    Ok(delegate_of(arguments[0]).unwrap_or(Value::NONE))
}

/// A snapshot frame object (`f_code`, `f_lineno`, `f_lasti`), or None
/// once the generator has finished.
fn gi_frame(vm: &mut Vm, arguments: &[Value], _: Kwargs) -> PyResult<Value> {
    let Some(ObjKind::Generator(state)) = kind_of(arguments[0]) else {
        return Ok(Value::NONE);
    };
    let (code, position) = {
        let mut state = state.borrow_mut();
        let running = state.is_running();
        let code = state.code;
        match state.suspended() {
            Some(frame) => (frame.code, Some(frame.pc)),
            None if running => (code, None),
            None => return Ok(Value::NONE),
        }
    };
    let (last, line) = match position {
        Some(0) => (0, code.first_line as i64),
        Some(pc) => (2 * (pc as i64 - 1), code.line_of(pc - 1) as i64),
        None => (0, code.first_line as i64),
    };
    let class = vm.types.frame;
    let frame = vm.alloc(class, ObjKind::Object);
    let dict = vm.new_dict();
    frame.as_obj().expect("frame").set_dict(dict);
    let code_value = vm.code_value(code);
    for (name, value) in [
        ("f_code", code_value),
        ("f_lineno", vm.new_int(line)),
        ("f_lasti", vm.new_int(last)),
        ("f_back", Value::NONE),
    ] {
        let key = vm.intern(name);
        ops::dict_set_str(vm, dict, key, value);
    }
    Ok(frame)
}
