//! `set` and `frozenset`: construction, membership, the algebra
//! (`union`, `intersection`, `difference`, `symmetric_difference`, their
//! `_update` forms and the `| & - ^` operators), subset tests and
//! comparisons, and `frozenset.__hash__`.
//!
//! Both types share one payload, `ObjKind::Set` (a `DictTable` whose
//! values are unused); the class tells them apart. Methods that do not
//! mutate are registered on both classes and return a result of the
//! receiver's kind (`frozenset | set` is a frozenset); the mutating ones
//! exist on `set` only. As in CPython, a `set` used as a key for lookup
//! or removal (`{1} in s`) is retried as the equal frozenset when it
//! turns out unhashable.

use crate::objects::PyCell;

use super::{
    alloc_instance, is_exact, is_type_error, new_class_argument, receiver_error, slot_arity,
    slot_no_kwargs,
};
use crate::builtins::args;
use crate::builtins::{add_method, add_staticmethod, set_class_attr};
use crate::bytecode::opcodes::CompareOp;
use crate::engine::{ops, Vm};
use crate::objects::{DictTable, NativeFn, ObjKind};
use crate::value::Value;
use crate::PyResult;

type TableCell = &'static PyCell<DictTable>;

/// Methods of both `set` and `frozenset`.
const SHARED_METHODS: &[(&str, NativeFn)] = &[
    ("copy", set_copy),
    ("union", set_union),
    ("intersection", set_intersection),
    ("difference", set_difference),
    ("symmetric_difference", set_symmetric_difference),
    ("issubset", set_issubset),
    ("issuperset", set_issuperset),
    ("isdisjoint", set_isdisjoint),
    ("__len__", set_len),
    ("__contains__", set_contains_method),
    ("__or__", set_or),
    ("__ror__", set_ror),
    ("__and__", set_and),
    ("__rand__", set_rand),
    ("__sub__", set_sub),
    ("__rsub__", set_rsub),
    ("__xor__", set_xor),
    ("__rxor__", set_rxor),
    ("__eq__", set_eq),
    ("__ne__", set_ne),
    ("__lt__", set_lt),
    ("__le__", set_le),
    ("__gt__", set_gt),
    ("__ge__", set_ge),
];

/// Methods of `set` only (they mutate).
const MUTATING_METHODS: &[(&str, NativeFn)] = &[
    ("__init__", set_init),
    ("add", set_add_method),
    ("remove", set_remove),
    ("discard", set_discard_method),
    ("pop", set_pop),
    ("clear", set_clear),
    ("update", set_update),
    ("intersection_update", set_intersection_update),
    ("difference_update", set_difference_update),
    (
        "symmetric_difference_update",
        set_symmetric_difference_update,
    ),
    ("__ior__", set_ior),
    ("__iand__", set_iand),
    ("__isub__", set_isub),
    ("__ixor__", set_ixor),
];

pub(super) fn register(vm: &mut Vm) {
    let set = vm.types.set;
    let frozenset = vm.types.frozenset;
    add_staticmethod(vm, set, "__new__", set_new);
    add_staticmethod(vm, frozenset, "__new__", frozenset_new);
    for &(name, function) in SHARED_METHODS {
        add_method(vm, set, name, function);
        add_method(vm, frozenset, name, function);
    }
    for &(name, function) in MUTATING_METHODS {
        add_method(vm, set, name, function);
    }
    add_method(vm, frozenset, "__hash__", frozenset_hash_method);
    // Sets are unhashable: `hash(set())` finds None here.
    set_class_attr(vm, set, "__hash__", Value::NONE);
}

// ---- receivers and small helpers ---------------------------------------------------------------

/// The receiver of a method shared by set and frozenset, and its table.
fn any_set_self(vm: &mut Vm, args: &[Value], method: &str) -> PyResult<(Value, TableCell)> {
    if let Some(&receiver) = args.first() {
        if let Some(table) = ops::set_of(receiver) {
            return Ok((receiver, table));
        }
    }
    Err(receiver_error(vm, args, "set", method))
}

/// The receiver of a mutating method: a set, not a frozenset.
fn set_self(vm: &mut Vm, args: &[Value], method: &str) -> PyResult<(Value, TableCell)> {
    if let Some(&receiver) = args.first() {
        if let Some(table) = ops::set_of(receiver) {
            if !is_frozen(vm, receiver) {
                return Ok((receiver, table));
            }
        }
    }
    Err(receiver_error(vm, args, "set", method))
}

/// Whether a set-kind value is a frozenset (or a frozenset subclass).
fn is_frozen(vm: &Vm, value: Value) -> bool {
    vm.is_instance(value, vm.types.frozenset)
}

/// A new exact set or frozenset holding `table`.
fn new_set_of_kind(vm: &mut Vm, frozen: bool, table: DictTable) -> Value {
    if frozen {
        vm.new_frozenset(table)
    } else {
        vm.new_set(table)
    }
}

/// A copy of a set-kind value's table.
fn table_copy(set: Value) -> DictTable {
    ops::set_of(set)
        .map(|table| table.borrow().clone())
        .unwrap_or_default()
}

/// The elements of a set-kind value, copied out of the table.
fn elements(set: Value) -> Vec<Value> {
    ops::set_of(set)
        .map(|table| table.borrow().keys())
        .unwrap_or_default()
}

fn size(set: Value) -> usize {
    ops::set_of(set).map_or(0, |table| table.borrow().len())
}

/// The elements of any iterable; sets and exact dicts are read directly.
fn iterable_elements(vm: &mut Vm, iterable: Value) -> PyResult<Vec<Value>> {
    if let Some(table) = ops::set_of(iterable) {
        return Ok(table.borrow().keys());
    }
    let dict_class = vm.types.dict;
    if is_exact(vm, iterable, dict_class) {
        if let Some(table) = ops::dict_of(iterable) {
            return Ok(table.borrow().keys());
        }
    }
    ops::collect(vm, iterable)
}

/// Runs a membership operation on `key`; if the key is a set and turned
/// out unhashable, runs it again with the equal frozenset (CPython's
/// rule for `in`, `remove` and `discard`).
fn with_set_key_fallback<T>(
    vm: &mut Vm,
    set: Value,
    key: Value,
    operation: fn(&mut Vm, Value, Value) -> PyResult<T>,
) -> PyResult<T> {
    match operation(vm, set, key) {
        Err(error)
            if is_type_error(vm, error) && ops::set_of(key).is_some() && !is_frozen(vm, key) =>
        {
            let frozen_key = vm.new_frozenset(table_copy(key));
            operation(vm, set, frozen_key)
        }
        outcome => outcome,
    }
}

/// `key in set` with CPython's rule that an unhashable set key is looked
/// up as the equal frozenset (`{1} in {frozenset({1})}` is True).
pub fn set_contains_key(vm: &mut Vm, set: Value, key: Value) -> PyResult<bool> {
    with_set_key_fallback(vm, set, key, ops::set_contains)
}

// ---- construction ----------------------------------------------------------------------------------

/// Adds every element of `iterable` to the set-kind `target` (an empty
/// target filled from another set just takes a copy of its table).
fn add_all(vm: &mut Vm, target: Value, iterable: Value) -> PyResult<()> {
    if let (Some(target_table), Some(source_table)) = (ops::set_of(target), ops::set_of(iterable)) {
        // Not a shared target: another thread could add to it between the
        // check and the copy (and replacing its table stops every worker).
        if target != iterable && !target_table.is_shared() && target_table.borrow().is_empty() {
            let copied = source_table.borrow().clone();
            *target_table.borrow_mut() = copied;
            return Ok(());
        }
    }
    if ops::set_of(iterable).is_some() || ops::dict_of(iterable).is_some() {
        for element in iterable_elements(vm, iterable)? {
            ops::set_add(vm, target, element)?;
        }
        return Ok(());
    }
    let iterator = ops::iter(vm, iterable)?;
    while let Some(element) = ops::next(vm, iterator)? {
        ops::set_add(vm, target, element)?;
    }
    Ok(())
}

/// `set(iterable)` or `frozenset(iterable)` of the exact built-in class
/// (used by the engine and by `set.__init__`-free construction).
pub fn set_from_iterable(vm: &mut Vm, iterable: Value, frozen: bool) -> PyResult<Value> {
    let result = new_set_of_kind(vm, frozen, DictTable::new());
    add_all(vm, result, iterable)?;
    Ok(result)
}

/// `set.__new__(cls, *args, **kwargs)`: an empty set of `cls`.
fn set_new(vm: &mut Vm, args: &[Value], _kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let set_class = vm.types.set;
    let class = new_class_argument(vm, args, "set", set_class)?;
    Ok(alloc_instance(
        vm,
        class,
        ObjKind::Set(PyCell::new(DictTable::new())),
    ))
}

/// `set.__init__(self, iterable=())`: clears, then adds every element.
fn set_init(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, table) = set_self(vm, args, "__init__")?;
    if !kwargs.is_empty() {
        return vm.err_type("set() takes no keyword arguments");
    }
    let rest = &args[1..];
    args::arity(vm, "set", rest, 0, 1)?;
    ops::clear_table(vm, table);
    if let Some(&iterable) = rest.first() {
        add_all(vm, receiver, iterable)?;
    }
    Ok(Value::NONE)
}

/// `frozenset.__new__(cls, iterable=())`: frozensets are filled at
/// creation; `frozenset(f)` of an exact frozenset is `f` itself.
fn frozenset_new(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let frozenset_class = vm.types.frozenset;
    let class = new_class_argument(vm, args, "frozenset", frozenset_class)?;
    if !kwargs.is_empty() {
        return vm.err_type("frozenset() takes no keyword arguments");
    }
    let rest = &args[1..];
    args::arity(vm, "frozenset", rest, 0, 1)?;
    if class == frozenset_class {
        if let Some(&iterable) = rest.first() {
            if is_exact(vm, iterable, frozenset_class) {
                return Ok(iterable);
            }
        }
    }
    let result = if class == frozenset_class {
        vm.new_frozenset(DictTable::new())
    } else {
        alloc_instance(vm, class, ObjKind::Set(PyCell::new(DictTable::new())))
    };
    if let Some(&iterable) = rest.first() {
        add_all(vm, result, iterable)?;
    }
    Ok(result)
}

/// `copy()`: a new set of the receiver's kind; an exact frozenset is
/// returned as is.
fn set_copy(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, _) = any_set_self(vm, args, "copy")?;
    args::no_kwargs(vm, "set.copy", kwargs)?;
    args::arity(vm, "set.copy", &args[1..], 0, 0)?;
    let frozenset_class = vm.types.frozenset;
    if is_exact(vm, receiver, frozenset_class) {
        return Ok(receiver);
    }
    let frozen = is_frozen(vm, receiver);
    Ok(new_set_of_kind(vm, frozen, table_copy(receiver)))
}

// ---- membership and mutation -------------------------------------------------------------------

fn set_len(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, _) = any_set_self(vm, args, "__len__")?;
    slot_no_kwargs(vm, "__len__", kwargs)?;
    slot_arity(vm, &args[1..], 0)?;
    Ok(vm.new_int(size(receiver) as i64))
}

fn set_contains_method(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, _) = any_set_self(vm, args, "__contains__")?;
    args::no_kwargs(vm, "set.__contains__", kwargs)?;
    args::arity(vm, "set.__contains__", &args[1..], 1, 1)?;
    let found = set_contains_key(vm, receiver, args[1])?;
    Ok(Value::bool(found))
}

fn set_add_method(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, _) = set_self(vm, args, "add")?;
    args::no_kwargs(vm, "set.add", kwargs)?;
    args::arity(vm, "set.add", &args[1..], 1, 1)?;
    ops::set_add(vm, receiver, args[1])?;
    Ok(Value::NONE)
}

/// `set.remove(element)`: KeyError(element) when absent.
fn set_remove(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, _) = set_self(vm, args, "remove")?;
    args::no_kwargs(vm, "set.remove", kwargs)?;
    args::arity(vm, "set.remove", &args[1..], 1, 1)?;
    if with_set_key_fallback(vm, receiver, args[1], ops::set_discard)? {
        Ok(Value::NONE)
    } else {
        Err(vm.key_error(args[1]))
    }
}

fn set_discard_method(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, _) = set_self(vm, args, "discard")?;
    args::no_kwargs(vm, "set.discard", kwargs)?;
    args::arity(vm, "set.discard", &args[1..], 1, 1)?;
    with_set_key_fallback(vm, receiver, args[1], ops::set_discard)?;
    Ok(Value::NONE)
}

/// `set.pop()`: removes and returns an arbitrary element — here the most
/// recently added one, which the table removes in O(1).
fn set_pop(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, table) = set_self(vm, args, "pop")?;
    args::no_kwargs(vm, "set.pop", kwargs)?;
    args::arity(vm, "set.pop", &args[1..], 0, 0)?;
    // A shared table pops by compare-and-swap, without a write section.
    let entry = match table.read_shared() {
        Some(shared) => shared.pop_last_shared(),
        None => table.borrow_mut().pop_last(),
    };
    match entry {
        Some(entry) => Ok(entry.key),
        None => {
            let message = vm.new_str("pop from an empty set");
            Err(vm.key_error(message))
        }
    }
}

fn set_clear(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, table) = set_self(vm, args, "clear")?;
    args::no_kwargs(vm, "set.clear", kwargs)?;
    args::arity(vm, "set.clear", &args[1..], 0, 0)?;
    ops::clear_table(vm, table);
    Ok(Value::NONE)
}

// ---- the algebra -----------------------------------------------------------------------------------

/// The elements of `base` that are also in `other` (any iterable), as a
/// new set of the given kind. With two sets the smaller one is walked.
fn intersection_of(vm: &mut Vm, base: Value, other: Value, frozen: bool) -> PyResult<Value> {
    let result = new_set_of_kind(vm, frozen, DictTable::new());
    if ops::set_of(other).is_some() {
        let (smaller, larger) = if size(other) > size(base) {
            (base, other)
        } else {
            (other, base)
        };
        for element in elements(smaller) {
            if ops::set_contains(vm, larger, element)? {
                ops::set_add(vm, result, element)?;
            }
        }
        return Ok(result);
    }
    let iterator = ops::iter(vm, other)?;
    while let Some(element) = ops::next(vm, iterator)? {
        if ops::set_contains(vm, base, element)? {
            ops::set_add(vm, result, element)?;
        }
    }
    Ok(result)
}

/// Removes from the set-kind `target` every element of `other`.
fn remove_all(vm: &mut Vm, target: Value, other: Value) -> PyResult<()> {
    if other == target {
        if let Some(table) = ops::set_of(target) {
            ops::clear_table(vm, table);
        }
        return Ok(());
    }
    if ops::set_of(other).is_some() || ops::dict_of(other).is_some() {
        for element in iterable_elements(vm, other)? {
            ops::set_discard(vm, target, element)?;
        }
        return Ok(());
    }
    let iterator = ops::iter(vm, other)?;
    while let Some(element) = ops::next(vm, iterator)? {
        ops::set_discard(vm, target, element)?;
    }
    Ok(())
}

/// Toggles in the set-kind `target` every distinct element of `other`.
fn toggle_all(vm: &mut Vm, target: Value, other: Value) -> PyResult<()> {
    if other == target {
        if let Some(table) = ops::set_of(target) {
            ops::clear_table(vm, table);
        }
        return Ok(());
    }
    let distinct = if ops::set_of(other).is_some() {
        elements(other)
    } else {
        // Duplicates in a plain iterable must toggle once.
        let unique = set_from_iterable(vm, other, false)?;
        elements(unique)
    };
    for element in distinct {
        if !ops::set_discard(vm, target, element)? {
            ops::set_add(vm, target, element)?;
        }
    }
    Ok(())
}

/// Whether every element of the set-kind `a` is in the set-kind `b`.
fn is_subset(vm: &mut Vm, a: Value, b: Value) -> PyResult<bool> {
    if size(a) > size(b) {
        return Ok(false);
    }
    for element in elements(a) {
        if !ops::set_contains(vm, b, element)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// `a | b`, `a & b`, `a - b` or `a ^ b` for a set-kind `a` and any
/// iterable `b`; the result has `a`'s kind.
#[derive(Clone, Copy)]
enum SetOp {
    Union,
    Intersection,
    Difference,
    SymmetricDifference,
}

fn combine(vm: &mut Vm, a: Value, b: Value, op: SetOp) -> PyResult<Value> {
    let frozen = is_frozen(vm, a);
    if let SetOp::Intersection = op {
        return intersection_of(vm, a, b, frozen);
    }
    let result = new_set_of_kind(vm, frozen, table_copy(a));
    match op {
        SetOp::Union => add_all(vm, result, b)?,
        SetOp::Difference => remove_all(vm, result, b)?,
        SetOp::SymmetricDifference => toggle_all(vm, result, b)?,
        SetOp::Intersection => {}
    }
    Ok(result)
}

/// Applies `op` to the set-kind `target` in place.
fn combine_in_place(vm: &mut Vm, target: Value, other: Value, op: SetOp) -> PyResult<()> {
    match op {
        SetOp::Union => add_all(vm, target, other),
        SetOp::Difference => remove_all(vm, target, other),
        SetOp::SymmetricDifference => toggle_all(vm, target, other),
        SetOp::Intersection if ops::set_of(target).is_some_and(|table| table.is_shared()) => {
            // Element by element, as `difference_update` does: replacing
            // the table would lose what other threads add meanwhile.
            let other = if ops::set_of(other).is_some() {
                other
            } else {
                set_from_iterable(vm, other, false)?
            };
            for element in elements(target) {
                if !ops::set_contains(vm, other, element)? {
                    ops::set_discard(vm, target, element)?;
                }
            }
            Ok(())
        }
        SetOp::Intersection => {
            let kept = intersection_of(vm, target, other, false)?;
            let kept_table = ops::set_of(kept)
                .map(|table| std::mem::take(&mut *table.borrow_mut()))
                .unwrap_or_default();
            if let Some(table) = ops::set_of(target) {
                *table.borrow_mut() = kept_table;
            }
            Ok(())
        }
    }
}

/// `union`, `intersection` and `difference` with any number of
/// iterables: a new set of the receiver's kind.
fn combine_many(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
    method: &'static str,
    qualified: &str,
    op: SetOp,
) -> PyResult<Value> {
    let (receiver, _) = any_set_self(vm, args, method)?;
    args::no_kwargs(vm, qualified, kwargs)?;
    let frozen = is_frozen(vm, receiver);
    let mut result = new_set_of_kind(vm, frozen, table_copy(receiver));
    for &other in &args[1..] {
        match op {
            SetOp::Intersection => result = intersection_of(vm, result, other, frozen)?,
            _ => combine_in_place(vm, result, other, op)?,
        }
    }
    Ok(result)
}

fn set_union(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    combine_many(vm, args, kwargs, "union", "set.union", SetOp::Union)
}

fn set_intersection(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    combine_many(
        vm,
        args,
        kwargs,
        "intersection",
        "set.intersection",
        SetOp::Intersection,
    )
}

fn set_difference(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    combine_many(
        vm,
        args,
        kwargs,
        "difference",
        "set.difference",
        SetOp::Difference,
    )
}

fn set_symmetric_difference(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    let (receiver, _) = any_set_self(vm, args, "symmetric_difference")?;
    args::no_kwargs(vm, "set.symmetric_difference", kwargs)?;
    args::arity(vm, "set.symmetric_difference", &args[1..], 1, 1)?;
    combine(vm, receiver, args[1], SetOp::SymmetricDifference)
}

/// `update`, `intersection_update` and `difference_update` with any
/// number of iterables.
fn update_many(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
    method: &'static str,
    qualified: &str,
    op: SetOp,
) -> PyResult<Value> {
    let (receiver, _) = set_self(vm, args, method)?;
    args::no_kwargs(vm, qualified, kwargs)?;
    for &other in &args[1..] {
        combine_in_place(vm, receiver, other, op)?;
    }
    Ok(Value::NONE)
}

fn set_update(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    update_many(vm, args, kwargs, "update", "set.update", SetOp::Union)
}

fn set_intersection_update(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    update_many(
        vm,
        args,
        kwargs,
        "intersection_update",
        "set.intersection_update",
        SetOp::Intersection,
    )
}

fn set_difference_update(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    update_many(
        vm,
        args,
        kwargs,
        "difference_update",
        "set.difference_update",
        SetOp::Difference,
    )
}

fn set_symmetric_difference_update(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    let (receiver, _) = set_self(vm, args, "symmetric_difference_update")?;
    args::no_kwargs(vm, "set.symmetric_difference_update", kwargs)?;
    args::arity(vm, "set.symmetric_difference_update", &args[1..], 1, 1)?;
    toggle_all(vm, receiver, args[1])?;
    Ok(Value::NONE)
}

// ---- subset tests -------------------------------------------------------------------------------

fn set_issubset(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, _) = any_set_self(vm, args, "issubset")?;
    args::no_kwargs(vm, "set.issubset", kwargs)?;
    args::arity(vm, "set.issubset", &args[1..], 1, 1)?;
    let other = if ops::set_of(args[1]).is_some() {
        args[1]
    } else {
        set_from_iterable(vm, args[1], false)?
    };
    Ok(Value::bool(is_subset(vm, receiver, other)?))
}

fn set_issuperset(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, _) = any_set_self(vm, args, "issuperset")?;
    args::no_kwargs(vm, "set.issuperset", kwargs)?;
    args::arity(vm, "set.issuperset", &args[1..], 1, 1)?;
    let other = args[1];
    if ops::set_of(other).is_some() {
        return Ok(Value::bool(is_subset(vm, other, receiver)?));
    }
    let iterator = ops::iter(vm, other)?;
    while let Some(element) = ops::next(vm, iterator)? {
        if !ops::set_contains(vm, receiver, element)? {
            return Ok(Value::FALSE);
        }
    }
    Ok(Value::TRUE)
}

fn set_isdisjoint(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, _) = any_set_self(vm, args, "isdisjoint")?;
    args::no_kwargs(vm, "set.isdisjoint", kwargs)?;
    args::arity(vm, "set.isdisjoint", &args[1..], 1, 1)?;
    let other = args[1];
    if ops::set_of(other).is_some() {
        let (smaller, larger) = if size(other) > size(receiver) {
            (receiver, other)
        } else {
            (other, receiver)
        };
        for element in elements(smaller) {
            if ops::set_contains(vm, larger, element)? {
                return Ok(Value::FALSE);
            }
        }
        return Ok(Value::TRUE);
    }
    let iterator = ops::iter(vm, other)?;
    while let Some(element) = ops::next(vm, iterator)? {
        if ops::set_contains(vm, receiver, element)? {
            return Ok(Value::FALSE);
        }
    }
    Ok(Value::TRUE)
}

// ---- operators ---------------------------------------------------------------------------------------

/// A binary operator between two set-kind values (NotImplemented for
/// any other operand); `reflected` computes `other op self`.
fn binary(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
    method: &str,
    op: SetOp,
    reflected: bool,
) -> PyResult<Value> {
    let (receiver, _) = any_set_self(vm, args, method)?;
    slot_no_kwargs(vm, method, kwargs)?;
    slot_arity(vm, &args[1..], 1)?;
    let other = args[1];
    if ops::set_of(other).is_none() {
        return Ok(Value::NOT_IMPLEMENTED);
    }
    if reflected {
        combine(vm, other, receiver, op)
    } else {
        combine(vm, receiver, other, op)
    }
}

/// An in-place operator (`|=` ...) with another set-kind value.
fn in_place(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
    method: &str,
    op: SetOp,
) -> PyResult<Value> {
    let (receiver, _) = set_self(vm, args, method)?;
    slot_no_kwargs(vm, method, kwargs)?;
    slot_arity(vm, &args[1..], 1)?;
    let other = args[1];
    if ops::set_of(other).is_none() {
        return Ok(Value::NOT_IMPLEMENTED);
    }
    combine_in_place(vm, receiver, other, op)?;
    Ok(receiver)
}

fn set_or(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    binary(vm, args, kwargs, "__or__", SetOp::Union, false)
}

fn set_ror(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    binary(vm, args, kwargs, "__ror__", SetOp::Union, true)
}

fn set_and(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    binary(vm, args, kwargs, "__and__", SetOp::Intersection, false)
}

fn set_rand(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    binary(vm, args, kwargs, "__rand__", SetOp::Intersection, true)
}

fn set_sub(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    binary(vm, args, kwargs, "__sub__", SetOp::Difference, false)
}

fn set_rsub(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    binary(vm, args, kwargs, "__rsub__", SetOp::Difference, true)
}

fn set_xor(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    binary(
        vm,
        args,
        kwargs,
        "__xor__",
        SetOp::SymmetricDifference,
        false,
    )
}

fn set_rxor(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    binary(
        vm,
        args,
        kwargs,
        "__rxor__",
        SetOp::SymmetricDifference,
        true,
    )
}

fn set_ior(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    in_place(vm, args, kwargs, "__ior__", SetOp::Union)
}

fn set_iand(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    in_place(vm, args, kwargs, "__iand__", SetOp::Intersection)
}

fn set_isub(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    in_place(vm, args, kwargs, "__isub__", SetOp::Difference)
}

fn set_ixor(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    in_place(vm, args, kwargs, "__ixor__", SetOp::SymmetricDifference)
}

// ---- comparisons -------------------------------------------------------------------------------------

/// Set comparisons are subset tests: `<=` subset, `<` proper subset,
/// `==` same elements. NotImplemented for non-sets.
fn compare(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
    op: CompareOp,
) -> PyResult<Value> {
    let method = op.dunders().0;
    let (receiver, _) = any_set_self(vm, args, method)?;
    slot_no_kwargs(vm, method, kwargs)?;
    slot_arity(vm, &args[1..], 1)?;
    let other = args[1];
    if ops::set_of(other).is_none() {
        return Ok(Value::NOT_IMPLEMENTED);
    }
    let (mine, theirs) = (size(receiver), size(other));
    let answer = match op {
        CompareOp::Eq => mine == theirs && is_subset(vm, receiver, other)?,
        CompareOp::Ne => !(mine == theirs && is_subset(vm, receiver, other)?),
        CompareOp::Le => is_subset(vm, receiver, other)?,
        CompareOp::Lt => mine < theirs && is_subset(vm, receiver, other)?,
        CompareOp::Ge => is_subset(vm, other, receiver)?,
        CompareOp::Gt => mine > theirs && is_subset(vm, other, receiver)?,
    };
    Ok(Value::bool(answer))
}

fn set_eq(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    compare(vm, args, kwargs, CompareOp::Eq)
}

fn set_ne(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    compare(vm, args, kwargs, CompareOp::Ne)
}

fn set_lt(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    compare(vm, args, kwargs, CompareOp::Lt)
}

fn set_le(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    compare(vm, args, kwargs, CompareOp::Le)
}

fn set_gt(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    compare(vm, args, kwargs, CompareOp::Gt)
}

fn set_ge(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    compare(vm, args, kwargs, CompareOp::Ge)
}

// ---- hashing -------------------------------------------------------------------------------------------

/// CPython's `frozenset` hash from its elements' hashes: independent of
/// their order (each hash is bit-shuffled, then all are xor-ed), then
/// mixed with the count.
pub fn frozenset_hash_of_hashes(hashes: impl IntoIterator<Item = i64>) -> i64 {
    fn shuffle_bits(hash: u64) -> u64 {
        ((hash ^ 89_869_747) ^ (hash << 16)).wrapping_mul(3_644_798_167)
    }
    let mut hash = 0u64;
    let mut count = 0u64;
    for element_hash in hashes {
        hash ^= shuffle_bits(element_hash as u64);
        count += 1;
    }
    hash ^= (count + 1).wrapping_mul(1_927_868_237);
    hash ^= (hash >> 11) ^ (hash >> 25);
    hash = hash.wrapping_mul(69_069).wrapping_add(907_133_923);
    if hash == u64::MAX {
        hash = 590_923_713;
    }
    hash as i64
}

/// `hash(frozenset)`, from the hashes already stored in its table (no
/// Python code runs).
pub fn frozenset_hash(set: Value) -> i64 {
    match ops::set_of(set) {
        Some(table) => {
            let hashes: Vec<i64> = table
                .borrow()
                .live_entries()
                .map(|entry| entry.hash)
                .collect();
            frozenset_hash_of_hashes(hashes)
        }
        None => frozenset_hash_of_hashes([]),
    }
}

fn frozenset_hash_method(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    let (receiver, _) = any_set_self(vm, args, "__hash__")?;
    slot_no_kwargs(vm, "__hash__", kwargs)?;
    slot_arity(vm, &args[1..], 0)?;
    Ok(vm.new_int(frozenset_hash(receiver)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numeric::hash_i64;

    #[test]
    fn frozenset_hash_matches_cpython() {
        // Values printed by CPython 3.11 (64-bit).
        assert_eq!(frozenset_hash_of_hashes([]), 133_146_708_735_736);
        assert_eq!(
            frozenset_hash_of_hashes([1, 2, 3].map(hash_i64)),
            -272_375_401_224_217_160
        );
        let inner = frozenset_hash_of_hashes([hash_i64(1)]);
        assert_eq!(frozenset_hash_of_hashes([inner]), 5_515_263_749_738_256_364);
        assert_eq!(
            frozenset_hash_of_hashes((0..100).map(hash_i64)),
            4_411_996_150_312_757_951
        );
        // {-1, -2, 10**20}: -1 and -2 share the hash -2.
        let big = crate::numeric::hash_int(&num_bigint::BigInt::from(10u128.pow(20)));
        assert_eq!(
            frozenset_hash_of_hashes([hash_i64(-1), hash_i64(-2), big]),
            -3_875_987_531_222_573_587
        );
    }

    #[test]
    fn frozenset_hash_ignores_order() {
        let forwards = frozenset_hash_of_hashes((0..50).map(hash_i64));
        let backwards = frozenset_hash_of_hashes((0..50).rev().map(hash_i64));
        assert_eq!(forwards, backwards);
    }
}
