//! Run-time support for the `match` statement (PEP 634): the checks behind
//! the MATCH_SEQUENCE, MATCH_MAPPING, MATCH_KEYS and MATCH_CLASS opcodes.
//! The compiler (`compiler/patterns.rs`) turns patterns into jumps around
//! these; everything here only inspects the subject and reports what it
//! found, with CPython 3.11's error wording for malformed class patterns
//! and mapping keys.

use crate::engine::ops::{self, kind_of};
use crate::engine::{class_name, str_of, tuple_items, type_obj, Vm};
use crate::objects::ObjKind;
use crate::value::Value;
use crate::PyResult;

/// Whether a sequence pattern may match `subject`: instances of list,
/// tuple and range and of their subclasses (never str, bytes or bytearray).
pub fn is_sequence(vm: &Vm, subject: Value) -> bool {
    let class = vm.type_of(subject);
    [vm.types.list, vm.types.tuple, vm.types.range]
        .into_iter()
        .any(|base| vm.is_subclass(class, base))
}

/// Whether a mapping pattern may match `subject`: dict and its subclasses.
pub fn is_mapping(vm: &Vm, subject: Value) -> bool {
    vm.is_instance(subject, vm.types.dict)
}

/// MATCH_KEYS: the values of `keys` (a tuple) in the mapping `subject`, as
/// a tuple, or `None` when one is missing. Values are looked up with the
/// subject's `get` method (exact dicts directly), so `__missing__` is never
/// consulted; a key repeated at run time is a ValueError.
pub fn match_keys(vm: &mut Vm, subject: Value, keys: Value) -> PyResult<Value> {
    let keys = tuple_items(keys).unwrap_or(&[]).to_vec();
    if keys.is_empty() {
        return Ok(vm.types.empty_tuple);
    }
    let seen = vm.new_set(Default::default());
    let exact_dict = vm.type_of(subject) == vm.types.dict;
    let (getter, missing) = if exact_dict {
        (Value::NULL, Value::NULL)
    } else {
        (
            ops::getattr_str(vm, subject, "get")?,
            vm.new_list(Vec::new()),
        )
    };
    let mut values = Vec::with_capacity(keys.len());
    for key in keys {
        if ops::set_contains(vm, seen, key)? {
            let shown = ops::repr_string(vm, key)?;
            return vm.err_value(format!("mapping pattern checks duplicate key ({shown})"));
        }
        ops::set_add(vm, seen, key)?;
        let value = if exact_dict {
            ops::dict_get(vm, subject, key)?
        } else {
            let found = ops::call(vm, getter, &[key, missing], &[])?;
            (found != missing).then_some(found)
        };
        match value {
            Some(value) => values.push(value),
            None => return Ok(Value::NONE),
        }
    }
    Ok(vm.new_tuple(values))
}

/// The built-in classes whose single positional sub-pattern matches the
/// whole subject (`case int(n):`); their subclasses inherit this.
fn matches_self(vm: &Vm, class: Value) -> bool {
    let types = &vm.types;
    [
        types.bool,
        types.bytearray,
        types.bytes,
        types.dict,
        types.float,
        types.frozenset,
        types.int,
        types.list,
        types.set,
        types.str,
        types.tuple,
    ]
    .into_iter()
    .any(|base| vm.is_subclass(class, base))
}

/// `isinstance(subject, class)`, honouring a metaclass `__instancecheck__`.
fn instance_of(vm: &mut Vm, subject: Value, class: Value) -> PyResult<bool> {
    let metaclass = vm.type_of(class);
    if metaclass != vm.types.type_ {
        if let Some(hook) = ops::lookup_class_attr(metaclass, "__instancecheck__") {
            if matches!(kind_of(hook), Some(ObjKind::Function(_))) {
                let result = ops::call(vm, hook, &[class, subject], &[])?;
                return ops::truthy(vm, result);
            }
        }
    }
    Ok(vm.is_instance(subject, class))
}

/// MATCH_CLASS: when `subject` is an instance of `class`, the tuple of the
/// attributes named by the first `positional` entries of
/// `class.__match_args__` followed by `keyword_names`; `None` when it is
/// not an instance or lacks one of the attributes.
pub fn match_class(
    vm: &mut Vm,
    subject: Value,
    class: Value,
    positional: usize,
    keyword_names: Value,
) -> PyResult<Value> {
    if type_obj(class).is_none() {
        return vm.err_type("called match pattern must be a type");
    }
    if !instance_of(vm, subject, class)? {
        return Ok(Value::NONE);
    }
    let mut seen_names: Vec<Value> = Vec::new();
    let mut attributes: Vec<Value> = Vec::new();
    let mut names: Vec<Value> = Vec::new();
    if positional > 0 {
        let match_args = match ops::getattr_str(vm, class, "__match_args__") {
            Ok(value) => Some(value),
            Err(error) if vm.is_instance(error, vm.types.exc.attribute_error) => None,
            Err(error) => return Err(error),
        };
        let (allowed, self_match) = match match_args {
            Some(match_args) => {
                if vm.type_of(match_args) != vm.types.tuple {
                    let got = vm.type_name(match_args);
                    return vm.err_type(format!(
                        "{}.__match_args__ must be a tuple (got {got})",
                        class_name(class)
                    ));
                }
                let items = tuple_items(match_args).unwrap_or(&[]);
                names.extend(items.iter().take(positional));
                (items.len(), false)
            }
            None if matches_self(vm, class) => (1, true),
            None => (0, false),
        };
        if positional > allowed {
            let plural = if allowed == 1 { "" } else { "s" };
            return vm.err_type(format!(
                "{}() accepts {allowed} positional sub-pattern{plural} ({positional} given)",
                class_name(class)
            ));
        }
        if self_match {
            attributes.push(subject);
            names.clear();
        }
    }
    let from_match_args = names.len();
    names.extend(tuple_items(keyword_names).unwrap_or(&[]));
    for (index, name) in names.into_iter().enumerate() {
        if index < from_match_args && vm.type_of(name) != vm.types.str {
            let got = vm.type_name(name);
            return vm.err_type(format!(
                "__match_args__ elements must be strings (got {got})"
            ));
        }
        let text = str_of(name).unwrap_or_default();
        if seen_names.iter().any(|seen| str_of(*seen) == Some(text)) {
            let shown = ops::str_repr(text);
            return vm.err_type(format!(
                "{}() got multiple sub-patterns for attribute {shown}",
                class_name(class)
            ));
        }
        seen_names.push(name);
        match ops::getattr(vm, subject, name) {
            Ok(value) => attributes.push(value),
            Err(error) if vm.is_instance(error, vm.types.exc.attribute_error) => {
                return Ok(Value::NONE)
            }
            Err(error) => return Err(error),
        }
    }
    Ok(vm.new_tuple(attributes))
}
