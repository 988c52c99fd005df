//! The built-in containers `list`, `tuple`, `dict`, `set` and `frozenset`:
//! registration of their Python-visible methods, the fast-path helpers the
//! engine calls directly on the exact built-in types (`list_getitem`,
//! `dict_getitem`, `list_sort`...), and what the four types share —
//! receiver checks, argument shapes, index conversion, lexicographic
//! sequence comparison and repetition.
//!
//! Each type's methods live in a sibling file (`list_methods.rs`,
//! `tuple_methods.rs`, `dict_methods.rs`, `set_methods.rs`), declared here
//! so that `builtins/mod.rs` only names this module. Iteration (`__iter__`)
//! and `repr` belong to the engine, not to these files.
//!
//! Engine rule kept throughout: no `PyCell` borrow of a payload is held
//! across a call that may run Python code (hashing, comparison, iteration,
//! calls); values are copied out first and the payload re-borrowed after.

#[path = "dict_methods.rs"]
mod dict_methods;
#[path = "list_methods.rs"]
mod list_methods;
#[path = "set_methods.rs"]
mod set_methods;
#[path = "tuple_methods.rs"]
mod tuple_methods;

pub use dict_methods::{dict_getitem, dict_update_from};
pub use list_methods::{list_delitem, list_getitem, list_setitem, list_sort, sort_by_given_keys};
pub use set_methods::{
    frozenset_hash, frozenset_hash_of_hashes, set_contains_key, set_from_iterable,
};
pub use tuple_methods::tuple_getitem;

use num_traits::ToPrimitive;

use crate::bytecode::opcodes::CompareOp;
use crate::engine::{ops, type_obj, Vm};
use crate::objects::ObjKind;
use crate::value::Value;
use crate::PyResult;

/// Registers the methods of `list`, `tuple`, `dict`, `set` and `frozenset`.
pub fn register(vm: &mut Vm) {
    list_methods::register(vm);
    tuple_methods::register(vm);
    dict_methods::register(vm);
    set_methods::register(vm);
}

// ---- receivers and argument shapes ------------------------------------------------------

/// The TypeError for a method called without a receiver, or on an
/// object of the wrong type, worded as CPython words it for a method
/// descriptor (`list.append(1, 2)`) or a slot wrapper (`list.__len__(1)`).
pub(crate) fn receiver_error(vm: &mut Vm, args: &[Value], owner: &str, method: &str) -> Value {
    let dunder = method.starts_with("__") && method.ends_with("__");
    let message = match args.first() {
        None if dunder => format!("descriptor '{method}' of '{owner}' object needs an argument"),
        None => format!("unbound method {owner}.{method}() needs an argument"),
        Some(&received) => {
            let type_name = vm.type_name(received);
            if dunder {
                format!("descriptor '{method}' requires a '{owner}' object but received a '{type_name}'")
            } else {
                format!("descriptor '{method}' for '{owner}' objects doesn't apply to a '{type_name}' object")
            }
        }
    };
    vm.type_error(message)
}

/// Checks the argument count of a slot wrapper such as `__len__` or
/// `__add__` (`args` without the receiver): "expected 1 argument, got 0".
pub(crate) fn slot_arity(vm: &mut Vm, args: &[Value], expected: usize) -> PyResult<()> {
    if args.len() == expected {
        return Ok(());
    }
    let plural = if expected == 1 { "" } else { "s" };
    vm.err_type(format!(
        "expected {expected} argument{plural}, got {}",
        args.len()
    ))
}

/// Fails unless a slot wrapper got no keyword arguments
/// ("wrapper __add__() takes no keyword arguments").
pub(crate) fn slot_no_kwargs(vm: &mut Vm, method: &str, kwargs: &[(Value, Value)]) -> PyResult<()> {
    if kwargs.is_empty() {
        Ok(())
    } else {
        vm.err_type(format!("wrapper {method}() takes no keyword arguments"))
    }
}

/// Validates the class argument of `owner.__new__(cls, ...)`: it must be a
/// type and a subtype of `base`. Returns the class.
pub(crate) fn new_class_argument(
    vm: &mut Vm,
    args: &[Value],
    owner: &str,
    base: Value,
) -> PyResult<Value> {
    let Some(&class) = args.first() else {
        return vm.err_type(format!("{owner}.__new__(): not enough arguments"));
    };
    if type_obj(class).is_none() {
        let type_name = vm.type_name(class);
        return vm.err_type(format!(
            "{owner}.__new__(X): X is not a type object ({type_name})"
        ));
    }
    if !vm.is_subclass(class, base) {
        let name = crate::engine::class_name(class);
        return vm.err_type(format!(
            "{owner}.__new__({name}): {name} is not a subtype of {owner}"
        ));
    }
    Ok(class)
}

/// Allocates an object of `class` with payload `kind`; an instance of a
/// class defined in Python also gets its instance dictionary.
pub(crate) fn alloc_instance(vm: &mut Vm, class: Value, kind: ObjKind) -> Value {
    let instance = vm.alloc(class, kind);
    if !vm.is_builtin_class(class) {
        let dict = vm.new_dict();
        if let Some(obj) = instance.as_obj() {
            obj.set_dict(dict);
        }
    }
    instance
}

/// Whether `value` is an instance of exactly `class` (no subclass).
#[inline]
pub(crate) fn is_exact(vm: &Vm, value: Value, class: Value) -> bool {
    vm.type_of(value) == class
}

/// Whether an exception object is a TypeError.
pub(crate) fn is_type_error(vm: &Vm, error: Value) -> bool {
    vm.is_instance(error, vm.types.exc.type_error)
}

/// `MemoryError()` (no message), for sizes that cannot be allocated.
pub(crate) fn memory_error(vm: &mut Vm) -> Value {
    let class = vm.types.exc.memory_error;
    vm.new_exception(class, vec![])
}

/// Whether a binary operator should return NotImplemented so that the
/// other operand's reflected method (`reflected`, e.g. `__radd__`) gets its
/// turn: only for classes defined in Python that define it. (CPython tries
/// a number slot of either operand before the sequence slots; built-in
/// operands never need that.)
pub(crate) fn defers_to_reflected(vm: &Vm, other: Value, reflected: &str) -> bool {
    let class = vm.type_of(other);
    !vm.is_builtin_class(class)
        && ops::lookup_class_attr(class, reflected).is_some_and(|method| !method.is_none())
}

// ---- iteration helpers --------------------------------------------------------------------

/// Drains an iterator into a vector.
pub(crate) fn drain_iterator(vm: &mut Vm, iterator: Value) -> PyResult<Vec<Value>> {
    let mut items = Vec::new();
    while let Some(item) = ops::next(vm, iterator)? {
        items.push(item);
    }
    Ok(items)
}

/// CPython's `PySequence_Fast`: the items of an exact list or tuple, or of
/// any iterable; a TypeError raised while getting the iterator is replaced
/// by `message()`.
pub(crate) fn sequence_fast(
    vm: &mut Vm,
    value: Value,
    message: impl FnOnce() -> String,
) -> PyResult<Vec<Value>> {
    let class = vm.type_of(value);
    if class == vm.types.list {
        if let Some(items) = ops::list_of(value) {
            return Ok(items.borrow().to_vec());
        }
    }
    if class == vm.types.tuple {
        if let Some(items) = crate::engine::tuple_items(value) {
            return Ok(items.to_vec());
        }
    }
    let iterator = match ops::iter(vm, value) {
        Ok(iterator) => iterator,
        Err(error) if is_type_error(vm, error) => return Err(vm.type_error(message())),
        Err(error) => return Err(error),
    };
    drain_iterator(vm, iterator)
}

// ---- indices -----------------------------------------------------------------------------------

/// What to do with an index-like int that does not fit in an i64
/// (CPython's `PyNumber_AsSsize_t` with an exception class, or NULL).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum IndexOverflow {
    /// IndexError "cannot fit 'int' into an index-sized integer" (subscripts).
    IndexError,
    /// OverflowError with the same text (repetition counts).
    OverflowError,
    /// Clamp to the i64 range (slice-style start/stop arguments).
    Clamp,
}

/// The integer an index-like value stands for: ints, bools and objects
/// whose class defines `__index__`. `None` when the value is not
/// index-like (the caller raises its own TypeError).
pub(crate) fn index_like(
    vm: &mut Vm,
    value: Value,
    overflow: IndexOverflow,
) -> PyResult<Option<i64>> {
    if let Some(n) = value.as_small_int() {
        return Ok(Some(n));
    }
    if value.is_bool() {
        return Ok(Some((value == Value::TRUE) as i64));
    }
    let int_value = match value.as_obj().map(|obj| &obj.kind) {
        Some(ObjKind::Int(_)) => value,
        _ => {
            let class = vm.type_of(value);
            if ops::lookup_class_attr(class, "__index__").is_none() {
                return Ok(None);
            }
            ops::index_value(vm, value)?
        }
    };
    let Some(big) = crate::builtins::args::int_value(int_value) else {
        return Ok(None);
    };
    match big.to_i64() {
        Some(n) => Ok(Some(n)),
        None => match overflow {
            IndexOverflow::IndexError => {
                Err(vm.index_error("cannot fit 'int' into an index-sized integer"))
            }
            IndexOverflow::OverflowError => {
                Err(vm.overflow_error("cannot fit 'int' into an index-sized integer"))
            }
            IndexOverflow::Clamp => Ok(Some(if big.sign() == num_bigint::Sign::Minus {
                i64::MIN
            } else {
                i64::MAX
            })),
        },
    }
}

/// A start/stop argument of `index()`: clamped like a slice bound.
pub(crate) fn slice_bound_argument(vm: &mut Vm, value: Value) -> PyResult<i64> {
    match index_like(vm, value, IndexOverflow::Clamp)? {
        Some(n) => Ok(n),
        None => vm.err_type("slice indices must be integers or have an __index__ method"),
    }
}

/// Resolves `index()`'s optional start and stop against `length`
/// (negative counts from the end, then clamped at 0); stop may still
/// exceed `length`, callers re-check against the live length.
pub(crate) fn search_range(
    vm: &mut Vm,
    start: Option<Value>,
    stop: Option<Value>,
    length: usize,
) -> PyResult<(usize, usize)> {
    let length = length as i64;
    let resolve = |n: i64| -> usize {
        if n < 0 {
            n.saturating_add(length).max(0) as usize
        } else {
            n as usize
        }
    };
    let start = match start {
        Some(value) => resolve(slice_bound_argument(vm, value)?),
        None => 0,
    };
    let stop = match stop {
        Some(value) => resolve(slice_bound_argument(vm, value)?),
        None => usize::MAX,
    };
    Ok((start, stop))
}

/// Whether a value is a slice object.
#[inline]
pub(crate) fn is_slice(value: Value) -> bool {
    matches!(
        value.as_obj().map(|obj| &obj.kind),
        Some(ObjKind::Slice { .. })
    )
}

/// Where `insert(index, x)` puts `x` in a sequence of `length` items: a
/// negative index counts from the end, and both ends clamp.
pub(crate) fn insert_position(index: i64, length: usize) -> usize {
    let length = length as i64;
    let position = if index < 0 {
        index.saturating_add(length).max(0)
    } else {
        index.min(length)
    };
    position as usize
}

/// Normalises a possibly negative index against `length`.
pub(crate) fn wrap_index(index: i64, length: usize) -> Option<usize> {
    let adjusted = if index < 0 {
        index.checked_add(length as i64)?
    } else {
        index
    };
    if adjusted >= 0 && (adjusted as u64) < length as u64 {
        Some(adjusted as usize)
    } else {
        None
    }
}

/// The positions a slice (start, step, count) selects.
pub(crate) fn slice_positions(start: i64, step: i64, count: usize) -> impl Iterator<Item = i64> {
    (0..count as i64).map(move |k| start + k * step)
}

// ---- repetition ---------------------------------------------------------------------------------

/// Elements beyond which a repeated sequence is refused with MemoryError.
const MAX_SEQUENCE_LEN: usize = (isize::MAX as usize) / std::mem::size_of::<Value>();

/// The count of `seq * count`: `None` when `count` is not index-like
/// (the caller raises or returns NotImplemented).
pub(crate) fn repeat_count(vm: &mut Vm, count: Value) -> PyResult<Option<i64>> {
    index_like(vm, count, IndexOverflow::OverflowError)
}

/// The TypeError of `seq * x` for a non-int `x`.
pub(crate) fn cannot_multiply(vm: &mut Vm, count: Value) -> Value {
    let type_name = vm.type_name(count);
    vm.type_error(format!(
        "can't multiply sequence by non-int of type '{type_name}'"
    ))
}

/// `items` repeated `count` times (empty for count <= 0); MemoryError
/// when the result could not be allocated.
pub(crate) fn repeat_items(vm: &mut Vm, items: &[Value], count: i64) -> PyResult<Vec<Value>> {
    if count <= 0 || items.is_empty() {
        return Ok(Vec::new());
    }
    let Some(total) = usize::try_from(count)
        .ok()
        .and_then(|count| items.len().checked_mul(count))
        .filter(|total| *total <= MAX_SEQUENCE_LEN)
    else {
        return Err(memory_error(vm));
    };
    let mut repeated = Vec::new();
    if repeated.try_reserve_exact(total).is_err() {
        return Err(memory_error(vm));
    }
    for _ in 0..count {
        repeated.extend_from_slice(items);
    }
    Ok(repeated)
}

// ---- sequence comparison --------------------------------------------------------------------

/// Lexicographic rich comparison of two sequences, as CPython's list and
/// tuple do it: find the first index whose items are not equal (`==`,
/// identity first); if there is none, compare the lengths; otherwise
/// `==`/`!=` are decided and the other operators return the items'
/// comparison, which may be any object.
pub fn sequence_richcompare(
    vm: &mut Vm,
    a: &[Value],
    b: &[Value],
    op: CompareOp,
) -> PyResult<Value> {
    if a.len() != b.len() && matches!(op, CompareOp::Eq | CompareOp::Ne) {
        return Ok(Value::bool(op == CompareOp::Ne));
    }
    ops::enter_recursion(vm, " in comparison")?;
    let result = compare_items(vm, a, b, op);
    ops::leave_recursion(vm);
    result
}

fn compare_items(vm: &mut Vm, a: &[Value], b: &[Value], op: CompareOp) -> PyResult<Value> {
    let mut index = 0;
    while index < a.len() && index < b.len() {
        if !ops::eq(vm, a[index], b[index])? {
            break;
        }
        index += 1;
    }
    if index >= a.len() || index >= b.len() {
        return Ok(Value::bool(op.holds(a.len().cmp(&b.len()))));
    }
    match op {
        CompareOp::Eq => Ok(Value::FALSE),
        CompareOp::Ne => Ok(Value::TRUE),
        _ => ops::compare(vm, a[index], b[index], op),
    }
}

/// `a == b` for two sequences' items.
pub fn sequence_eq(vm: &mut Vm, a: &[Value], b: &[Value]) -> PyResult<bool> {
    let result = sequence_richcompare(vm, a, b, CompareOp::Eq)?;
    ops::truthy(vm, result)
}

/// `a op b` for two sequences' items, as a bool.
pub fn sequence_compare(vm: &mut Vm, a: &[Value], b: &[Value], op: CompareOp) -> PyResult<bool> {
    let result = sequence_richcompare(vm, a, b, op)?;
    ops::truthy(vm, result)
}

/// The first position in `start..stop` of the live sequence read by
/// `item_at` whose item equals `target` (identity first). The sequence is
/// re-read at each step, since comparing may run Python code that
/// changes it.
pub(crate) fn find_equal(
    vm: &mut Vm,
    target: Value,
    start: usize,
    stop: usize,
    item_at: impl Fn(usize) -> Option<Value>,
) -> PyResult<Option<usize>> {
    let mut index = start;
    while index < stop {
        let Some(item) = item_at(index) else { break };
        if ops::eq(vm, item, target)? {
            return Ok(Some(index));
        }
        index += 1;
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_position_counts_from_the_end_and_clamps() {
        assert_eq!(super::insert_position(0, 3), 0);
        assert_eq!(super::insert_position(-1, 3), 2);
        assert_eq!(super::insert_position(-10, 3), 0);
        assert_eq!(super::insert_position(10, 3), 3);
        assert_eq!(super::insert_position(i64::MIN, 3), 0);
        assert_eq!(super::insert_position(i64::MAX, 0), 0);
    }

    #[test]
    fn wrap_index_counts_negative_indices_from_the_end() {
        assert_eq!(wrap_index(0, 3), Some(0));
        assert_eq!(wrap_index(2, 3), Some(2));
        assert_eq!(wrap_index(3, 3), None);
        assert_eq!(wrap_index(-1, 3), Some(2));
        assert_eq!(wrap_index(-3, 3), Some(0));
        assert_eq!(wrap_index(-4, 3), None);
        assert_eq!(wrap_index(i64::MIN, 3), None);
        assert_eq!(wrap_index(0, 0), None);
    }

    #[test]
    fn slice_positions_follow_the_step() {
        assert_eq!(slice_positions(0, 2, 3).collect::<Vec<_>>(), vec![0, 2, 4]);
        assert_eq!(slice_positions(4, -2, 3).collect::<Vec<_>>(), vec![4, 2, 0]);
        assert_eq!(slice_positions(1, 1, 0).count(), 0);
    }
}
