//! The `_collections` module: the native steps of `stdlib/collections.py`
//! that must be atomic when threads share the object, as CPython's C
//! `OrderedDict` is under its lock (`move_to_end`).

use crate::builtins::args::arity;
use crate::builtins::{native_function, new_module};
use crate::engine::{ops, Vm};
use crate::objects::NativeFn;
use crate::value::Value;
use crate::PyResult;

pub fn make(vm: &mut Vm) -> Value {
    let module = new_module(vm, "_collections");
    let dict = module.as_obj().expect("module").dict();
    let functions: [(&'static str, NativeFn); 1] = [("move_to_end", move_to_end)];
    for (name, body) in functions {
        let function = native_function(vm, name, body, Value::NULL);
        let key = vm.intern(name);
        ops::dict_set_str(vm, dict, key, function);
    }
    module
}

/// `_collections.move_to_end(dict, key, last)`: moves `key` to the end of
/// the dict's order (the front when `last` is false) in one step
/// (`ops::dict_move_to_end`); KeyError if it is absent.
fn move_to_end(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    arity(vm, "move_to_end", args, 3, 3)?;
    let last = ops::truthy(vm, args[2])?;
    if ops::dict_move_to_end(vm, args[0], args[1], last)? {
        return Ok(Value::NONE);
    }
    Err(vm.key_error(args[1]))
}
