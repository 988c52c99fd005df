//! `tuple`: construction (`tuple(iterable)`, subclasses included),
//! `index` and `count`, indexing and slicing (slices are tuples),
//! concatenation, repetition, ordering comparisons and `__hash__`.
//!
//! Tuples are immutable, so their items can be read without copying
//! while Python code runs; only new tuples are ever built.

use super::{
    alloc_instance, cannot_multiply, defers_to_reflected, find_equal, is_exact, is_slice,
    new_class_argument, receiver_error, repeat_count, repeat_items, search_range,
    sequence_richcompare, slice_positions, slot_arity, slot_no_kwargs, wrap_index,
};
use crate::builtins::args;
use crate::builtins::{add_method, add_staticmethod};
use crate::bytecode::opcodes::CompareOp;
use crate::engine::{ops, tuple_items, Vm};
use crate::objects::ObjKind;
use crate::value::Value;
use crate::PyResult;

pub(super) fn register(vm: &mut Vm) {
    let tuple = vm.types.tuple;
    add_staticmethod(vm, tuple, "__new__", tuple_new);
    add_method(vm, tuple, "index", tuple_index);
    add_method(vm, tuple, "count", tuple_count);
    add_method(vm, tuple, "__getitem__", tuple_getitem_method);
    add_method(vm, tuple, "__len__", tuple_len);
    add_method(vm, tuple, "__contains__", tuple_contains);
    add_method(vm, tuple, "__add__", tuple_add);
    add_method(vm, tuple, "__mul__", tuple_mul);
    add_method(vm, tuple, "__rmul__", tuple_rmul);
    add_method(vm, tuple, "__hash__", tuple_hash);
    add_method(vm, tuple, "__eq__", tuple_eq);
    add_method(vm, tuple, "__ne__", tuple_ne);
    add_method(vm, tuple, "__lt__", tuple_lt);
    add_method(vm, tuple, "__le__", tuple_le);
    add_method(vm, tuple, "__gt__", tuple_gt);
    add_method(vm, tuple, "__ge__", tuple_ge);
}

/// The receiver of a tuple method and its items.
fn tuple_self(vm: &mut Vm, args: &[Value], method: &str) -> PyResult<(Value, &'static [Value])> {
    if let Some(&receiver) = args.first() {
        if let Some(items) = tuple_items(receiver) {
            return Ok((receiver, items));
        }
    }
    Err(receiver_error(vm, args, "tuple", method))
}

/// A tuple of `class` holding `items` (the shared empty tuple for an
/// empty exact tuple).
fn make_tuple(vm: &mut Vm, class: Value, items: Vec<Value>) -> Value {
    if class == vm.types.tuple {
        vm.new_tuple(items)
    } else {
        alloc_instance(vm, class, ObjKind::Tuple(items.into_boxed_slice()))
    }
}

/// `tuple.__new__(cls, iterable=())`.
fn tuple_new(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let tuple_class = vm.types.tuple;
    let class = new_class_argument(vm, args, "tuple", tuple_class)?;
    if !kwargs.is_empty() {
        return vm.err_type("tuple() takes no keyword arguments");
    }
    let rest = &args[1..];
    args::arity(vm, "tuple", rest, 0, 1)?;
    let Some(&iterable) = rest.first() else {
        return Ok(make_tuple(vm, class, Vec::new()));
    };
    if class == tuple_class && is_exact(vm, iterable, tuple_class) {
        return Ok(iterable);
    }
    let items = ops::collect(vm, iterable)?;
    Ok(make_tuple(vm, class, items))
}

// ---- searching ------------------------------------------------------------------------------------

/// `tuple.index(item, start=0, stop=sys.maxsize)`.
fn tuple_index(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, items) = tuple_self(vm, args, "index")?;
    args::no_kwargs(vm, "tuple.index", kwargs)?;
    let rest = &args[1..];
    args::arity(vm, "index", rest, 1, 3)?;
    let (start, stop) = search_range(vm, rest.get(1).copied(), rest.get(2).copied(), items.len())?;
    match find_equal(vm, rest[0], start, stop, |index| items.get(index).copied())? {
        Some(position) => Ok(vm.new_int(position as i64)),
        None => vm.err_value("tuple.index(x): x not in tuple"),
    }
}

fn tuple_count(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, items) = tuple_self(vm, args, "count")?;
    args::no_kwargs(vm, "tuple.count", kwargs)?;
    args::arity(vm, "tuple.count", &args[1..], 1, 1)?;
    let mut count = 0;
    for &item in items {
        if ops::eq(vm, item, args[1])? {
            count += 1;
        }
    }
    Ok(vm.new_int(count))
}

fn tuple_contains(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, items) = tuple_self(vm, args, "__contains__")?;
    slot_no_kwargs(vm, "__contains__", kwargs)?;
    slot_arity(vm, &args[1..], 1)?;
    let found = find_equal(vm, args[1], 0, items.len(), |index| {
        items.get(index).copied()
    })?;
    Ok(Value::bool(found.is_some()))
}

fn tuple_len(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, items) = tuple_self(vm, args, "__len__")?;
    slot_no_kwargs(vm, "__len__", kwargs)?;
    slot_arity(vm, &args[1..], 0)?;
    Ok(vm.new_int(items.len() as i64))
}

// ---- items ------------------------------------------------------------------------------------------

/// `tuple[key]` for an int or a slice (the engine's fast path for exact
/// tuples, and `tuple.__getitem__`). A slice is always an exact tuple.
pub fn tuple_getitem(vm: &mut Vm, tuple: Value, key: Value) -> PyResult<Value> {
    let Some(items) = tuple_items(tuple) else {
        return Err(receiver_error(vm, &[tuple], "tuple", "__getitem__"));
    };
    if let Some(index) = key.as_small_int() {
        return match wrap_index(index, items.len()) {
            Some(position) => Ok(items[position]),
            None => Err(vm.index_error("tuple index out of range")),
        };
    }
    if is_slice(key) {
        let (start, _, step, count) = ops::slice_indices(vm, key, items.len())?;
        let tuple_class = vm.types.tuple;
        if step == 1 && count == items.len() && is_exact(vm, tuple, tuple_class) {
            return Ok(tuple);
        }
        let selected: Vec<Value> = slice_positions(start, step, count)
            .filter_map(|position| items.get(usize::try_from(position).ok()?).copied())
            .collect();
        return Ok(vm.new_tuple(selected));
    }
    let position = ops::sequence_index(vm, key, items.len(), "tuple")?;
    Ok(items[position])
}

fn tuple_getitem_method(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, _) = tuple_self(vm, args, "__getitem__")?;
    slot_no_kwargs(vm, "__getitem__", kwargs)?;
    slot_arity(vm, &args[1..], 1)?;
    tuple_getitem(vm, receiver, args[1])
}

// ---- operators --------------------------------------------------------------------------------------

/// `tuple + other`: only another tuple (or tuple subclass) concatenates;
/// the result is an exact tuple.
fn tuple_add(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, items) = tuple_self(vm, args, "__add__")?;
    slot_no_kwargs(vm, "__add__", kwargs)?;
    slot_arity(vm, &args[1..], 1)?;
    let other = args[1];
    let tuple_class = vm.types.tuple;
    if let Some(other_items) = tuple_items(other) {
        if items.is_empty() && is_exact(vm, other, tuple_class) {
            return Ok(other);
        }
        if other_items.is_empty() && is_exact(vm, receiver, tuple_class) {
            return Ok(receiver);
        }
        let mut combined = Vec::with_capacity(items.len() + other_items.len());
        combined.extend_from_slice(items);
        combined.extend_from_slice(other_items);
        return Ok(vm.new_tuple(combined));
    }
    if defers_to_reflected(vm, other, "__radd__") {
        return Ok(Value::NOT_IMPLEMENTED);
    }
    let type_name = vm.type_name(other);
    vm.err_type(format!(
        "can only concatenate tuple (not \"{type_name}\") to tuple"
    ))
}

/// `tuple * count` and `count * tuple`.
fn tuple_repeat(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
    method: &str,
) -> PyResult<Value> {
    let (receiver, items) = tuple_self(vm, args, method)?;
    slot_no_kwargs(vm, method, kwargs)?;
    slot_arity(vm, &args[1..], 1)?;
    let other = args[1];
    let Some(count) = repeat_count(vm, other)? else {
        if method == "__mul__" && defers_to_reflected(vm, other, "__rmul__") {
            return Ok(Value::NOT_IMPLEMENTED);
        }
        return Err(cannot_multiply(vm, other));
    };
    let tuple_class = vm.types.tuple;
    if count == 1 && is_exact(vm, receiver, tuple_class) {
        return Ok(receiver);
    }
    let repeated = repeat_items(vm, items, count)?;
    Ok(vm.new_tuple(repeated))
}

fn tuple_mul(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    tuple_repeat(vm, args, kwargs, "__mul__")
}

fn tuple_rmul(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    tuple_repeat(vm, args, kwargs, "__rmul__")
}

/// `hash(tuple)`: CPython's xxHash-based combination of the items' hashes.
fn tuple_hash(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, items) = tuple_self(vm, args, "__hash__")?;
    slot_no_kwargs(vm, "__hash__", kwargs)?;
    slot_arity(vm, &args[1..], 0)?;
    let mut hashes = Vec::with_capacity(items.len());
    for &item in items {
        hashes.push(ops::hash(vm, item)?);
    }
    Ok(vm.new_int(crate::numeric::hash_tuple(&hashes)))
}

/// Rich comparison with another tuple; NotImplemented for anything else.
fn tuple_compare(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
    op: CompareOp,
) -> PyResult<Value> {
    let method = op.dunders().0;
    let (_, items) = tuple_self(vm, args, method)?;
    slot_no_kwargs(vm, method, kwargs)?;
    slot_arity(vm, &args[1..], 1)?;
    let Some(other_items) = tuple_items(args[1]) else {
        return Ok(Value::NOT_IMPLEMENTED);
    };
    sequence_richcompare(vm, items, other_items, op)
}

fn tuple_eq(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    tuple_compare(vm, args, kwargs, CompareOp::Eq)
}

fn tuple_ne(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    tuple_compare(vm, args, kwargs, CompareOp::Ne)
}

fn tuple_lt(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    tuple_compare(vm, args, kwargs, CompareOp::Lt)
}

fn tuple_le(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    tuple_compare(vm, args, kwargs, CompareOp::Le)
}

fn tuple_gt(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    tuple_compare(vm, args, kwargs, CompareOp::Gt)
}

fn tuple_ge(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    tuple_compare(vm, args, kwargs, CompareOp::Ge)
}
