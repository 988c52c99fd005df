//! `dict`: construction and `update` (from a mapping, from an iterable of
//! pairs, and from keyword arguments), lookup with `__missing__` for
//! subclasses, the mutating methods, `fromkeys`, equality and the `|`
//! operators.
//!
//! Keys are hashed and compared through the engine's dict primitives
//! (`ops::dict_get` / `dict_set` / `dict_del`), which run a key's Python
//! `__hash__`/`__eq__` outside any borrow of the table.

use crate::objects::PyCell;

use super::{
    alloc_instance, new_class_argument, receiver_error, sequence_fast, slot_arity, slot_no_kwargs,
};
use crate::builtins::args;
use crate::builtins::{add_classmethod, add_method, add_staticmethod, set_class_attr};
use crate::engine::{ops, Vm};
use crate::objects::{DictTable, ObjKind};
use crate::value::Value;
use crate::PyResult;

type TableCell = &'static PyCell<DictTable>;

pub(super) fn register(vm: &mut Vm) {
    let dict = vm.types.dict;
    add_staticmethod(vm, dict, "__new__", dict_new);
    add_method(vm, dict, "__init__", dict_init);
    add_method(vm, dict, "get", dict_get);
    add_method(vm, dict, "keys", dict_keys);
    add_method(vm, dict, "values", dict_values);
    add_method(vm, dict, "items", dict_items);
    add_method(vm, dict, "pop", dict_pop);
    add_method(vm, dict, "popitem", dict_popitem);
    add_method(vm, dict, "setdefault", dict_setdefault);
    add_method(vm, dict, "update", dict_update);
    add_method(vm, dict, "copy", dict_copy);
    add_method(vm, dict, "clear", dict_clear);
    add_classmethod(vm, dict, "fromkeys", dict_fromkeys);
    add_method(vm, dict, "__getitem__", dict_getitem_method);
    add_method(vm, dict, "__setitem__", dict_setitem_method);
    add_method(vm, dict, "__delitem__", dict_delitem_method);
    add_method(vm, dict, "__len__", dict_len);
    add_method(vm, dict, "__contains__", dict_contains);
    add_method(vm, dict, "__eq__", dict_eq);
    add_method(vm, dict, "__ne__", dict_ne);
    add_method(vm, dict, "__or__", dict_or);
    add_method(vm, dict, "__ror__", dict_ror);
    add_method(vm, dict, "__ior__", dict_ior);
    // Dicts are unhashable: `hash({})` finds None here.
    set_class_attr(vm, dict, "__hash__", Value::NONE);
}

/// The receiver of a dict method and its table.
fn dict_self(vm: &mut Vm, args: &[Value], method: &str) -> PyResult<(Value, TableCell)> {
    if let Some(&receiver) = args.first() {
        if let Some(table) = ops::dict_of(receiver) {
            return Ok((receiver, table));
        }
    }
    Err(receiver_error(vm, args, "dict", method))
}

/// A new exact dict holding a copy of `table`.
fn dict_from_table(vm: &mut Vm, table: DictTable) -> Value {
    let class = vm.types.dict;
    vm.alloc(class, ObjKind::Dict(PyCell::new(table)))
}

// ---- construction and update ---------------------------------------------------------------------

/// `dict.__new__(cls, *args, **kwargs)`: an empty dict of `cls`.
fn dict_new(vm: &mut Vm, args: &[Value], _kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let dict_class = vm.types.dict;
    let class = new_class_argument(vm, args, "dict", dict_class)?;
    Ok(alloc_instance(
        vm,
        class,
        ObjKind::Dict(PyCell::new(DictTable::new())),
    ))
}

/// `dict.__init__(self, [source], **kwargs)`: `update` without clearing.
fn dict_init(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, _) = dict_self(vm, args, "__init__")?;
    let rest = &args[1..];
    args::arity(vm, "dict", rest, 0, 1)?;
    update_with(vm, receiver, rest.first().copied(), kwargs)?;
    Ok(Value::NONE)
}

/// `dict.update([source], **kwargs)`.
fn dict_update(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, _) = dict_self(vm, args, "update")?;
    let rest = &args[1..];
    args::arity(vm, "update", rest, 0, 1)?;
    update_with(vm, receiver, rest.first().copied(), kwargs)?;
    Ok(Value::NONE)
}

fn update_with(
    vm: &mut Vm,
    target: Value,
    source: Option<Value>,
    kwargs: &[(Value, Value)],
) -> PyResult<()> {
    if let Some(source) = source {
        dict_update_from(vm, target, source)?;
    }
    for &(name, value) in kwargs {
        ops::dict_set(vm, target, name, value)?;
    }
    Ok(())
}

/// Stores every entry of `source` in the dict `target`, as
/// `dict.update(source)` does: a dict is copied entry by entry; an object
/// with a `keys` attribute is read as a mapping (`keys()` then
/// `source[key]`); anything else must iterate over pairs.
pub fn dict_update_from(vm: &mut Vm, target: Value, source: Value) -> PyResult<()> {
    if let Some(source_table) = ops::dict_of(source) {
        if iterates_as_plain_dict(vm, source) {
            let entries = source_table.borrow().items();
            for (key, value) in entries {
                ops::dict_set(vm, target, key, value)?;
            }
            return Ok(());
        }
    }
    if has_keys_attribute(vm, source) {
        let keys = ops::call_method(vm, source, "keys", &[])?;
        let iterator = ops::iter(vm, keys)?;
        while let Some(key) = ops::next(vm, iterator)? {
            let value = ops::getitem(vm, source, key)?;
            ops::dict_set(vm, target, key, value)?;
        }
        return Ok(());
    }
    merge_pairs(vm, target, source)
}

/// Whether a dict's entries may be read directly: its class does not
/// override `__iter__` in Python (CPython's `PyDict_Merge` fast path).
fn iterates_as_plain_dict(vm: &Vm, dict: Value) -> bool {
    let class = vm.type_of(dict);
    class == vm.types.dict
        || !ops::lookup_class_attr(class, "__iter__")
            .is_some_and(|method| matches!(ops::kind_of(method), Some(ObjKind::Function(_))))
}

/// Whether `value.keys` exists (on its class or in its instance dict).
fn has_keys_attribute(vm: &Vm, value: Value) -> bool {
    if ops::lookup_class_attr(vm.type_of(value), "keys").is_some() {
        return true;
    }
    value
        .as_obj()
        .map(|obj| obj.dict())
        .is_some_and(|dict| !dict.is_null() && ops::dict_get_str(dict, "keys").is_some())
}

/// Stores the pairs produced by `iterable` in `target`.
fn merge_pairs(vm: &mut Vm, target: Value, iterable: Value) -> PyResult<()> {
    let iterator = ops::iter(vm, iterable)?;
    let mut index = 0usize;
    while let Some(item) = ops::next(vm, iterator)? {
        let pair = sequence_fast(vm, item, || {
            format!("cannot convert dictionary update sequence element #{index} to a sequence")
        })?;
        if pair.len() != 2 {
            return vm.err_value(format!(
                "dictionary update sequence element #{index} has length {}; 2 is required",
                pair.len()
            ));
        }
        ops::dict_set(vm, target, pair[0], pair[1])?;
        index += 1;
    }
    Ok(())
}

/// `dict.fromkeys(iterable, value=None)` (a classmethod: `args[0]` is the
/// class). A subclass is instantiated with no arguments and filled with
/// `__setitem__`.
fn dict_fromkeys(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let Some(&class) = args.first() else {
        return Err(receiver_error(vm, args, "dict", "fromkeys"));
    };
    args::no_kwargs(vm, "dict.fromkeys", kwargs)?;
    let rest = &args[1..];
    args::arity(vm, "fromkeys", rest, 1, 2)?;
    let value = rest.get(1).copied().unwrap_or(Value::NONE);
    let dict_class = vm.types.dict;
    let target = if class == dict_class {
        vm.new_dict()
    } else {
        ops::call(vm, class, &[], &[])?
    };
    let plain = vm.type_of(target) == dict_class;
    let iterator = ops::iter(vm, rest[0])?;
    while let Some(key) = ops::next(vm, iterator)? {
        if plain {
            ops::dict_set(vm, target, key, value)?;
        } else {
            ops::setitem(vm, target, key, value)?;
        }
    }
    Ok(target)
}

// ---- lookup ---------------------------------------------------------------------------------------

/// `dict[key]` (the engine's fast path for exact dicts, and
/// `dict.__getitem__`): KeyError(key) when absent, unless the dict's class
/// (a subclass) defines `__missing__`, whose result is returned instead.
pub fn dict_getitem(vm: &mut Vm, dict: Value, key: Value) -> PyResult<Value> {
    if let Some(value) = ops::dict_get(vm, dict, key)? {
        return Ok(value);
    }
    let class = vm.type_of(dict);
    if class != vm.types.dict {
        if let Some(missing) = ops::lookup_class_attr(class, "__missing__") {
            return ops::call(vm, missing, &[dict, key], &[]);
        }
    }
    Err(vm.key_error(key))
}

fn dict_getitem_method(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, _) = dict_self(vm, args, "__getitem__")?;
    args::no_kwargs(vm, "dict.__getitem__", kwargs)?;
    args::arity(vm, "dict.__getitem__", &args[1..], 1, 1)?;
    dict_getitem(vm, receiver, args[1])
}

/// `dict.get(key, default=None)`.
fn dict_get(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, _) = dict_self(vm, args, "get")?;
    args::no_kwargs(vm, "dict.get", kwargs)?;
    let rest = &args[1..];
    args::arity(vm, "get", rest, 1, 2)?;
    let found = ops::dict_get(vm, receiver, rest[0])?;
    Ok(found.unwrap_or_else(|| rest.get(1).copied().unwrap_or(Value::NONE)))
}

fn dict_contains(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, _) = dict_self(vm, args, "__contains__")?;
    args::no_kwargs(vm, "dict.__contains__", kwargs)?;
    args::arity(vm, "dict.__contains__", &args[1..], 1, 1)?;
    let found = ops::dict_get(vm, receiver, args[1])?;
    Ok(Value::bool(found.is_some()))
}

fn dict_len(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, table) = dict_self(vm, args, "__len__")?;
    slot_no_kwargs(vm, "__len__", kwargs)?;
    slot_arity(vm, &args[1..], 0)?;
    let length = table.borrow().len();
    Ok(vm.new_int(length as i64))
}

/// `keys()`, `values()`, `items()`: live views (`builtins/dict_views.rs`).
fn dict_view_method(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
    name: &'static str,
    what: crate::objects::iter::DictIterKind,
) -> PyResult<Value> {
    let (receiver, _) = dict_self(vm, args, name)?;
    args::no_kwargs(vm, &format!("dict.{name}"), kwargs)?;
    args::arity(vm, &format!("dict.{name}"), &args[1..], 0, 0)?;
    Ok(crate::builtins::dict_views::new_view(vm, receiver, what))
}

fn dict_keys(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    dict_view_method(
        vm,
        args,
        kwargs,
        "keys",
        crate::objects::iter::DictIterKind::Keys,
    )
}

fn dict_values(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    dict_view_method(
        vm,
        args,
        kwargs,
        "values",
        crate::objects::iter::DictIterKind::Values,
    )
}

fn dict_items(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    dict_view_method(
        vm,
        args,
        kwargs,
        "items",
        crate::objects::iter::DictIterKind::Items,
    )
}

// ---- mutation ---------------------------------------------------------------------------------------

fn dict_setitem_method(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, _) = dict_self(vm, args, "__setitem__")?;
    slot_no_kwargs(vm, "__setitem__", kwargs)?;
    if args.len() != 3 {
        // CPython's text really starts with a space (an empty function name).
        return vm.err_type(format!(" expected 2 arguments, got {}", args.len() - 1));
    }
    ops::dict_set(vm, receiver, args[1], args[2])?;
    Ok(Value::NONE)
}

fn dict_delitem_method(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, _) = dict_self(vm, args, "__delitem__")?;
    slot_no_kwargs(vm, "__delitem__", kwargs)?;
    slot_arity(vm, &args[1..], 1)?;
    match ops::dict_del(vm, receiver, args[1])? {
        Some(_) => Ok(Value::NONE),
        None => Err(vm.key_error(args[1])),
    }
}

/// `dict.pop(key[, default])`. Like CPython, an empty dict answers
/// without hashing the key.
fn dict_pop(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, table) = dict_self(vm, args, "pop")?;
    args::no_kwargs(vm, "dict.pop", kwargs)?;
    let rest = &args[1..];
    args::arity(vm, "pop", rest, 1, 2)?;
    let key = rest[0];
    let removed = if table.borrow().is_empty() {
        None
    } else {
        ops::dict_del(vm, receiver, key)?
    };
    match (removed, rest.get(1)) {
        (Some(value), _) => Ok(value),
        (None, Some(&default)) => Ok(default),
        (None, None) => Err(vm.key_error(key)),
    }
}

/// `dict.popitem()`: removes and returns the last inserted (key, value).
fn dict_popitem(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, table) = dict_self(vm, args, "popitem")?;
    args::no_kwargs(vm, "dict.popitem", kwargs)?;
    args::arity(vm, "dict.popitem", &args[1..], 0, 0)?;
    // A shared table pops by compare-and-swap, without a write section.
    let entry = match table.read_shared() {
        Some(shared) => shared.pop_last_shared(),
        None => table.borrow_mut().pop_last(),
    };
    match entry {
        Some(entry) => Ok(vm.new_tuple(vec![entry.key, entry.value()])),
        None => {
            let message = vm.new_str("popitem(): dictionary is empty");
            Err(vm.key_error(message))
        }
    }
}

/// `dict.setdefault(key, default=None)`.
fn dict_setdefault(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, _) = dict_self(vm, args, "setdefault")?;
    args::no_kwargs(vm, "dict.setdefault", kwargs)?;
    let rest = &args[1..];
    args::arity(vm, "setdefault", rest, 1, 2)?;
    let default = rest.get(1).copied().unwrap_or(Value::NONE);
    ops::dict_set_default(vm, receiver, rest[0], default)
}

/// `dict.copy()`: a shallow copy, always an exact dict.
fn dict_copy(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, table) = dict_self(vm, args, "copy")?;
    args::no_kwargs(vm, "dict.copy", kwargs)?;
    args::arity(vm, "dict.copy", &args[1..], 0, 0)?;
    let copied = table.borrow().clone();
    Ok(dict_from_table(vm, copied))
}

fn dict_clear(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, table) = dict_self(vm, args, "clear")?;
    args::no_kwargs(vm, "dict.clear", kwargs)?;
    args::arity(vm, "dict.clear", &args[1..], 0, 0)?;
    ops::clear_table(vm, table);
    Ok(Value::NONE)
}

// ---- comparison and operators -------------------------------------------------------------------

/// Whether two dicts hold equal keys mapped to equal values.
fn dicts_equal(vm: &mut Vm, a: Value, b: Value) -> PyResult<bool> {
    let (Some(table_a), Some(table_b)) = (ops::dict_of(a), ops::dict_of(b)) else {
        return Ok(false);
    };
    if table_a.borrow().len() != table_b.borrow().len() {
        return Ok(false);
    }
    let entries = table_a.borrow().items();
    for (key, value) in entries {
        match ops::dict_get(vm, b, key)? {
            Some(other_value) => {
                if !ops::eq(vm, value, other_value)? {
                    return Ok(false);
                }
            }
            None => return Ok(false),
        }
    }
    Ok(true)
}

fn dict_compare(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
    method: &str,
    negate: bool,
) -> PyResult<Value> {
    let (receiver, _) = dict_self(vm, args, method)?;
    slot_no_kwargs(vm, method, kwargs)?;
    slot_arity(vm, &args[1..], 1)?;
    let other = args[1];
    if ops::dict_of(other).is_none() {
        return Ok(Value::NOT_IMPLEMENTED);
    }
    let equal = dicts_equal(vm, receiver, other)?;
    Ok(Value::bool(equal != negate))
}

fn dict_eq(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    dict_compare(vm, args, kwargs, "__eq__", false)
}

fn dict_ne(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    dict_compare(vm, args, kwargs, "__ne__", true)
}

/// `left | right` for two dicts: a copy of `left` updated from `right`.
fn merged(vm: &mut Vm, left: Value, right: Value) -> PyResult<Value> {
    let copied = ops::dict_of(left)
        .map(|table| table.borrow().clone())
        .unwrap_or_default();
    let result = dict_from_table(vm, copied);
    dict_update_from(vm, result, right)?;
    Ok(result)
}

fn dict_or(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, _) = dict_self(vm, args, "__or__")?;
    slot_no_kwargs(vm, "__or__", kwargs)?;
    slot_arity(vm, &args[1..], 1)?;
    if ops::dict_of(args[1]).is_none() {
        return Ok(Value::NOT_IMPLEMENTED);
    }
    merged(vm, receiver, args[1])
}

fn dict_ror(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, _) = dict_self(vm, args, "__ror__")?;
    slot_no_kwargs(vm, "__ror__", kwargs)?;
    slot_arity(vm, &args[1..], 1)?;
    if ops::dict_of(args[1]).is_none() {
        return Ok(Value::NOT_IMPLEMENTED);
    }
    merged(vm, args[1], receiver)
}

/// `dict |= other`: `update` with any mapping or iterable of pairs.
fn dict_ior(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, _) = dict_self(vm, args, "__ior__")?;
    slot_no_kwargs(vm, "__ior__", kwargs)?;
    slot_arity(vm, &args[1..], 1)?;
    dict_update_from(vm, receiver, args[1])?;
    Ok(receiver)
}
