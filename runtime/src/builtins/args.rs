//! Argument helpers for native functions: arity checks, keyword lookup and
//! conversions, each raising CPython's exception text.

use num_bigint::BigInt;
use num_traits::ToPrimitive;

use crate::engine::{str_of, Vm};
use crate::objects::ObjKind;
use crate::value::Value;
use crate::PyResult;

/// Fails with "f() takes no keyword arguments" when `kwargs` is not empty.
pub fn no_kwargs(vm: &mut Vm, function: &str, kwargs: &[(Value, Value)]) -> PyResult<()> {
    if kwargs.is_empty() {
        Ok(())
    } else {
        vm.err_type(format!("{function}() takes no keyword arguments"))
    }
}

/// Checks the positional count is within [min, max], with CPython's
/// wording for builtins.
pub fn arity(vm: &mut Vm, function: &str, args: &[Value], min: usize, max: usize) -> PyResult<()> {
    let given = args.len();
    if given >= min && given <= max {
        return Ok(());
    }
    let message = if min == max {
        match min {
            0 => format!("{function}() takes no arguments ({given} given)"),
            1 => format!("{function}() takes exactly one argument ({given} given)"),
            _ => format!("{function} expected {min} arguments, got {given}"),
        }
    } else if given < min {
        format!(
            "{function} expected at least {min} argument{}, got {given}",
            if min == 1 { "" } else { "s" }
        )
    } else {
        format!(
            "{function} expected at most {max} argument{}, got {given}",
            if max == 1 { "" } else { "s" }
        )
    };
    vm.err_type(message)
}

/// The value of keyword `name`, if given.
pub fn kwarg(kwargs: &[(Value, Value)], name: &str) -> Option<Value> {
    kwargs
        .iter()
        .find(|(key, _)| str_of(*key) == Some(name))
        .map(|(_, value)| *value)
}

/// Binds positional and keyword arguments to `names`; missing ones are
/// `NULL`. Fails on unknown keywords, duplicates and too many positionals;
/// the first `required` names must be given.
pub fn bind(
    vm: &mut Vm,
    function: &str,
    args: &[Value],
    kwargs: &[(Value, Value)],
    names: &[&str],
    required: usize,
) -> PyResult<Vec<Value>> {
    if args.len() > names.len() {
        return vm.err_type(format!(
            "{function}() takes at most {} argument{} ({} given)",
            names.len(),
            if names.len() == 1 { "" } else { "s" },
            args.len()
        ));
    }
    let mut bound = vec![Value::NULL; names.len()];
    bound[..args.len()].copy_from_slice(args);
    for (key, value) in kwargs {
        let key_text = str_of(*key).unwrap_or("");
        match names.iter().position(|name| *name == key_text) {
            Some(index) => {
                if !bound[index].is_null() {
                    return vm.err_type(format!(
                        "argument for {function}() given by name ('{key_text}') and position ({})",
                        index + 1
                    ));
                }
                bound[index] = *value;
            }
            None => {
                return vm.err_type(format!(
                    "{function}() got an unexpected keyword argument '{key_text}'"
                ))
            }
        }
    }
    for (index, name) in names.iter().enumerate().take(required) {
        if bound[index].is_null() {
            return vm.err_type(format!(
                "{function}() missing required argument '{name}' (pos {})",
                index + 1
            ));
        }
    }
    Ok(bound)
}

/// An int argument as i64 (bool and int subclasses included; objects with
/// `__index__` too). `what` names the argument for the error text.
pub fn to_i64(vm: &mut Vm, value: Value) -> PyResult<i64> {
    if let Some(n) = value.as_small_int() {
        return Ok(n);
    }
    if value == Value::TRUE {
        return Ok(1);
    }
    if value == Value::FALSE {
        return Ok(0);
    }
    if let Some(ObjKind::Int(n)) = value.as_obj().map(|obj| &obj.kind) {
        return match n.to_i64() {
            Some(n) => Ok(n),
            None => Err(vm.overflow_error("Python int too large to convert to C ssize_t")),
        };
    }
    let index = crate::engine::ops::index_value(vm, value)?;
    to_i64(vm, index)
}

/// An int argument as a big integer (`__index__` honoured).
pub fn to_bigint(vm: &mut Vm, value: Value) -> PyResult<BigInt> {
    if let Some(n) = int_value(value) {
        return Ok(n);
    }
    let index = crate::engine::ops::index_value(vm, value)?;
    int_value(index).ok_or_else(|| vm.type_error("__index__ returned non-int"))
}

/// The integer value of an int or bool (no conversion).
pub fn int_value(value: Value) -> Option<BigInt> {
    if let Some(n) = value.as_small_int() {
        return Some(BigInt::from(n));
    }
    if value.is_bool() {
        return Some(BigInt::from((value == Value::TRUE) as i64));
    }
    match value.as_obj().map(|obj| &obj.kind) {
        Some(ObjKind::Int(n)) => Some(n.clone()),
        _ => None,
    }
}

/// A float argument: floats, ints, bools and objects with `__float__` /
/// `__index__`.
pub fn to_f64(vm: &mut Vm, value: Value) -> PyResult<f64> {
    crate::engine::ops::float_value(vm, value)
}

/// A str argument; `TypeError` naming `what` otherwise.
pub fn to_str(vm: &mut Vm, value: Value, what: &str) -> PyResult<&'static str> {
    match str_of(value) {
        Some(text) => Ok(text),
        None => {
            let type_name = vm.type_name(value);
            vm.err_type(format!("{what} must be str, not {type_name}"))
        }
    }
}

/// An optional argument: `NULL` and None both mean "not given".
pub fn given(value: Value) -> Option<Value> {
    if value.is_null() || value.is_none() {
        None
    } else {
        Some(value)
    }
}
