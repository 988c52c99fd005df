//! `list`: construction, the mutating and searching methods, indexing and
//! slicing (read, assign, delete), concatenation and repetition, ordering
//! comparisons, and `list.sort` (also behind `sorted()`), a stable merge
//! sort whose comparisons may run Python code.
//!
//! While a list is being sorted its payload is emptied, as CPython does,
//! so Python code run by a key function or a comparison sees an empty
//! list; any change it makes is detected afterwards ("list modified during
//! sort") and discarded.

use crate::objects::PyCell;

use super::{
    alloc_instance, cannot_multiply, defers_to_reflected, find_equal, index_like, is_slice,
    new_class_argument, receiver_error, repeat_count, repeat_items, search_range, sequence_fast,
    sequence_richcompare, slice_positions, slot_arity, slot_no_kwargs, wrap_index, IndexOverflow,
};
use crate::builtins::args;
use crate::builtins::{add_method, add_staticmethod, set_class_attr};
use crate::bytecode::opcodes::CompareOp;
use crate::engine::{ops, str_of, tuple_items, Vm};
use crate::objects::list::{PopError, SearchItems};
use crate::objects::{ListItems, ObjKind};
use crate::value::Value;
use crate::PyResult;

type ListCell = &'static PyCell<ListItems>;

pub(super) fn register(vm: &mut Vm) {
    let list = vm.types.list;
    add_staticmethod(vm, list, "__new__", list_new);
    add_method(vm, list, "__init__", list_init);
    add_method(vm, list, "append", list_append);
    add_method(vm, list, "extend", list_extend);
    add_method(vm, list, "insert", list_insert);
    add_method(vm, list, "pop", list_pop);
    add_method(vm, list, "remove", list_remove);
    add_method(vm, list, "index", list_index);
    add_method(vm, list, "count", list_count);
    add_method(vm, list, "sort", list_sort_method);
    add_method(vm, list, "reverse", list_reverse);
    add_method(vm, list, "copy", list_copy);
    add_method(vm, list, "clear", list_clear);
    add_method(vm, list, "__getitem__", list_getitem_method);
    add_method(vm, list, "__setitem__", list_setitem_method);
    add_method(vm, list, "__delitem__", list_delitem_method);
    add_method(vm, list, "__len__", list_len);
    add_method(vm, list, "__contains__", list_contains);
    add_method(vm, list, "__add__", list_add);
    add_method(vm, list, "__iadd__", list_iadd);
    add_method(vm, list, "__mul__", list_mul);
    add_method(vm, list, "__rmul__", list_rmul);
    add_method(vm, list, "__imul__", list_imul);
    add_method(vm, list, "__eq__", list_eq);
    add_method(vm, list, "__ne__", list_ne);
    add_method(vm, list, "__lt__", list_lt);
    add_method(vm, list, "__le__", list_le);
    add_method(vm, list, "__gt__", list_gt);
    add_method(vm, list, "__ge__", list_ge);
    // Lists are unhashable: `hash([])` finds None here.
    set_class_attr(vm, list, "__hash__", Value::NONE);
}

/// The receiver of a list method and its items.
fn list_self(vm: &mut Vm, args: &[Value], method: &str) -> PyResult<(Value, ListCell)> {
    if let Some(&receiver) = args.first() {
        if let Some(items) = ops::list_of(receiver) {
            return Ok((receiver, items));
        }
    }
    Err(receiver_error(vm, args, "list", method))
}

// ---- construction ----------------------------------------------------------------------------

/// `list.__new__(cls, *args, **kwargs)`: an empty list of `cls` (the
/// arguments are `__init__`'s business).
fn list_new(vm: &mut Vm, args: &[Value], _kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let list_class = vm.types.list;
    let class = new_class_argument(vm, args, "list", list_class)?;
    Ok(alloc_instance(
        vm,
        class,
        ObjKind::List(PyCell::new(ListItems::empty())),
    ))
}

/// `list.__init__(self, iterable=())`: clears, then fills from `iterable`.
fn list_init(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, items) = list_self(vm, args, "__init__")?;
    if !kwargs.is_empty() {
        return vm.err_type("list() takes no keyword arguments");
    }
    let rest = &args[1..];
    args::arity(vm, "list", rest, 0, 1)?;
    items.clear();
    if let Some(&iterable) = rest.first() {
        extend_list(vm, receiver, items, iterable)?;
    }
    Ok(Value::NONE)
}

/// Appends every item of `iterable` to the list. An exact list or tuple
/// (or the list itself) is copied at once; any other iterable is consumed
/// one item at a time, so an error part-way keeps what was appended.
fn extend_list(vm: &mut Vm, list: Value, items: ListCell, iterable: Value) -> PyResult<()> {
    let class = vm.type_of(iterable);
    if iterable == list || class == vm.types.list {
        let copied = ops::list_of(iterable)
            .map(|other| other.borrow().to_vec())
            .unwrap_or_default();
        items.extend_from_slice(&copied);
        return Ok(());
    }
    if class == vm.types.tuple {
        let copied = tuple_items(iterable).unwrap_or(&[]);
        items.extend_from_slice(copied);
        return Ok(());
    }
    let iterator = ops::iter(vm, iterable)?;
    while let Some(item) = ops::next(vm, iterator)? {
        items.push(item);
    }
    Ok(())
}

// ---- mutation ------------------------------------------------------------------------------------

fn list_append(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, items) = list_self(vm, args, "append")?;
    args::no_kwargs(vm, "list.append", kwargs)?;
    args::arity(vm, "list.append", &args[1..], 1, 1)?;
    items.push(args[1]);
    Ok(Value::NONE)
}

fn list_extend(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, items) = list_self(vm, args, "extend")?;
    args::no_kwargs(vm, "list.extend", kwargs)?;
    args::arity(vm, "list.extend", &args[1..], 1, 1)?;
    if let Some(deferred) =
        crate::builtins::functions::defer_loop(vm, "extend_with", args[1], &[receiver, args[1]])?
    {
        return Ok(deferred);
    }
    extend_list(vm, receiver, items, args[1])?;
    Ok(Value::NONE)
}

/// `list.insert(index, item)`: the index is clamped to the list.
fn list_insert(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, items) = list_self(vm, args, "insert")?;
    args::no_kwargs(vm, "list.insert", kwargs)?;
    args::arity(vm, "insert", &args[1..], 2, 2)?;
    let index = args::to_i64(vm, args[1])?;
    items.insert_at(|length| super::insert_position(index, length), args[2]);
    Ok(Value::NONE)
}

/// `list.pop(index=-1)`.
fn list_pop(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, items) = list_self(vm, args, "pop")?;
    args::no_kwargs(vm, "list.pop", kwargs)?;
    let rest = &args[1..];
    args::arity(vm, "pop", rest, 0, 1)?;
    let index = match rest.first() {
        Some(&index) => args::to_i64(vm, index)?,
        None => -1,
    };
    match items.pop_at(|length| wrap_index(index, length)) {
        Ok(item) => Ok(item),
        Err(PopError::Empty) => Err(vm.index_error("pop from empty list")),
        Err(PopError::OutOfRange) => Err(vm.index_error("pop index out of range")),
    }
}

/// `list.remove(item)`: removes the first item equal to `item`.
fn list_remove(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, items) = list_self(vm, args, "remove")?;
    args::no_kwargs(vm, "list.remove", kwargs)?;
    args::arity(vm, "list.remove", &args[1..], 1, 1)?;
    loop {
        let search = SearchItems::of(items);
        let last_seen = std::cell::Cell::new(Value::NULL);
        let found = find_equal(vm, args[1], 0, usize::MAX, |index| {
            let item = search.get(index);
            last_seen.set(item.unwrap_or(Value::NULL));
            item
        })?;
        let Some(position) = found else {
            return vm.err_value("list.remove(x): x not in list");
        };
        // `__eq__` may have run Python code, and another thread may have
        // changed a shared list meanwhile: remove the item found, where it
        // is now (searching again if it has gone).
        let item = last_seen.get();
        let removed = items.edit(|items| {
            let now = if items.get(position) == Some(&item) {
                Some(position)
            } else {
                items.iter().position(|&other| other == item)
            };
            now.map(|now| items.remove(now)).is_some()
        });
        if removed {
            return Ok(Value::NONE);
        }
    }
}

fn list_reverse(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, items) = list_self(vm, args, "reverse")?;
    args::no_kwargs(vm, "list.reverse", kwargs)?;
    args::arity(vm, "list.reverse", &args[1..], 0, 0)?;
    items.edit(|items| items.reverse());
    Ok(Value::NONE)
}

/// `list.copy()`: a shallow copy, always an exact list.
fn list_copy(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, items) = list_self(vm, args, "copy")?;
    args::no_kwargs(vm, "list.copy", kwargs)?;
    args::arity(vm, "list.copy", &args[1..], 0, 0)?;
    let copied = items.borrow().to_vec();
    Ok(vm.new_list(copied))
}

fn list_clear(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, items) = list_self(vm, args, "clear")?;
    args::no_kwargs(vm, "list.clear", kwargs)?;
    args::arity(vm, "list.clear", &args[1..], 0, 0)?;
    // Replacing (not just clearing) releases the storage, like CPython.
    items.clear();
    Ok(Value::NONE)
}

// ---- searching -------------------------------------------------------------------------------------

/// `list.index(item, start=0, stop=sys.maxsize)`.
fn list_index(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, items) = list_self(vm, args, "index")?;
    args::no_kwargs(vm, "list.index", kwargs)?;
    let rest = &args[1..];
    args::arity(vm, "index", rest, 1, 3)?;
    let search = SearchItems::of(items);
    let (start, stop) = search_range(vm, rest.get(1).copied(), rest.get(2).copied(), search.len())?;
    let target = rest[0];
    match find_equal(vm, target, start, stop, |index| search.get(index))? {
        Some(position) => Ok(vm.new_int(position as i64)),
        None => {
            let shown = ops::repr_string(vm, target)?;
            vm.err_value(format!("{shown} is not in list"))
        }
    }
}

fn list_count(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, items) = list_self(vm, args, "count")?;
    args::no_kwargs(vm, "list.count", kwargs)?;
    args::arity(vm, "list.count", &args[1..], 1, 1)?;
    let target = args[1];
    let search = SearchItems::of(items);
    let mut count = 0;
    let mut index = 0;
    while let Some(item) = search.get(index) {
        if ops::eq(vm, item, target)? {
            count += 1;
        }
        index += 1;
    }
    Ok(vm.new_int(count))
}

fn list_contains(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, items) = list_self(vm, args, "__contains__")?;
    slot_no_kwargs(vm, "__contains__", kwargs)?;
    slot_arity(vm, &args[1..], 1)?;
    let search = SearchItems::of(items);
    let found = find_equal(vm, args[1], 0, usize::MAX, |index| search.get(index))?;
    Ok(Value::bool(found.is_some()))
}

fn list_len(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, items) = list_self(vm, args, "__len__")?;
    slot_no_kwargs(vm, "__len__", kwargs)?;
    slot_arity(vm, &args[1..], 0)?;
    let length = items.borrow().len();
    Ok(vm.new_int(length as i64))
}

// ---- items and slices ----------------------------------------------------------------------------

/// `list[key]` for an int or a slice (the engine's fast path for exact
/// lists, and `list.__getitem__`).
pub fn list_getitem(vm: &mut Vm, list: Value, key: Value) -> PyResult<Value> {
    let Some(items) = ops::list_of(list) else {
        return Err(receiver_error(vm, &[list], "list", "__getitem__"));
    };
    if let Some(index) = key.as_small_int() {
        let item = {
            let borrowed = items.borrow();
            let view = borrowed.view();
            wrap_index(index, view.len()).and_then(|position| view.get(position))
        };
        return match item {
            Some(item) => Ok(item),
            None => Err(vm.index_error("list index out of range")),
        };
    }
    if is_slice(key) {
        let length = items.borrow().len();
        let (start, _, step, count) = ops::slice_indices(vm, key, length)?;
        let selected: Vec<Value> = {
            let borrowed = items.borrow();
            let view = borrowed.view();
            slice_positions(start, step, count)
                .filter_map(|position| view.get(usize::try_from(position).ok()?))
                .collect()
        };
        return Ok(vm.new_list(selected));
    }
    let length = items.borrow().len();
    let position = ops::sequence_index(vm, key, length, "list")?;
    // `__index__` ran Python code: the list may have shrunk meanwhile.
    let item = items.borrow().get(position);
    match item {
        Some(item) => Ok(item),
        None => Err(vm.index_error("list index out of range")),
    }
}

/// The TypeError for a subscript that is neither an int nor a slice.
fn bad_list_index(vm: &mut Vm, key: Value) -> Value {
    let type_name = vm.type_name(key);
    vm.type_error(format!(
        "list indices must be integers or slices, not {type_name}"
    ))
}

/// `list[key] = value` for an int or a slice.
pub fn list_setitem(vm: &mut Vm, list: Value, key: Value, value: Value) -> PyResult<()> {
    let Some(items) = ops::list_of(list) else {
        return Err(receiver_error(vm, &[list], "list", "__setitem__"));
    };
    if is_slice(key) {
        return assign_slice(vm, list, items, key, value);
    }
    let Some(index) = index_like(vm, key, IndexOverflow::IndexError)? else {
        return Err(bad_list_index(vm, key));
    };
    if items.set_at(|length| wrap_index(index, length), value) {
        Ok(())
    } else {
        Err(vm.index_error("list assignment index out of range"))
    }
}

/// `list[slice] = value`: a simple slice (step 1) is replaced by any
/// number of items; an extended slice needs exactly as many as it selects.
fn assign_slice(
    vm: &mut Vm,
    list: Value,
    items: ListCell,
    slice: Value,
    value: Value,
) -> PyResult<()> {
    let length = items.borrow().len();
    let (start, _, step, count) = ops::slice_indices(vm, slice, length)?;
    let extended = step != 1;
    let replacement = if value == list {
        items.borrow().to_vec()
    } else if extended {
        sequence_fast(vm, value, || {
            "must assign iterable to extended slice".to_string()
        })?
    } else {
        sequence_fast(vm, value, || "can only assign an iterable".to_string())?
    };
    if !extended {
        items.edit_storing(|items| {
            let low = (start.max(0) as usize).min(items.len());
            let high = (low + count).min(items.len());
            items.splice(low..high, replacement.iter().copied());
        });
        return Ok(());
    }
    if replacement.len() != count {
        return vm.err_value(format!(
            "attempt to assign sequence of size {} to extended slice of size {count}",
            replacement.len()
        ));
    }
    items.edit_storing(|items| {
        for (position, &item) in slice_positions(start, step, count).zip(&replacement) {
            if let Some(position) = usize::try_from(position)
                .ok()
                .filter(|&position| position < items.len())
            {
                items[position] = item;
            }
        }
    });
    Ok(())
}

/// `del list[key]` for an int or a slice.
pub fn list_delitem(vm: &mut Vm, list: Value, key: Value) -> PyResult<()> {
    let Some(items) = ops::list_of(list) else {
        return Err(receiver_error(vm, &[list], "list", "__delitem__"));
    };
    if is_slice(key) {
        let length = items.borrow().len();
        let (start, _, step, count) = ops::slice_indices(vm, key, length)?;
        items.edit(|items| delete_positions(items, start, step, count));
        return Ok(());
    }
    let Some(index) = index_like(vm, key, IndexOverflow::IndexError)? else {
        return Err(bad_list_index(vm, key));
    };
    match items.pop_at(|length| wrap_index(index, length)) {
        Ok(_) => Ok(()),
        Err(_) => Err(vm.index_error("list assignment index out of range")),
    }
}

/// Removes the `count` positions start, start+step, ... (any step sign)
/// from `items`, keeping the order of the rest.
fn delete_positions<T>(items: &mut Vec<T>, start: i64, step: i64, count: usize) {
    if count == 0 {
        return;
    }
    // Walk the same positions upwards.
    let (first, step) = if step < 0 {
        (start + step * (count as i64 - 1), -step)
    } else {
        (start, step)
    };
    let (Ok(first), Ok(step)) = (usize::try_from(first), usize::try_from(step)) else {
        return;
    };
    if first >= items.len() {
        return;
    }
    if step == 1 {
        let end = (first + count).min(items.len());
        items.drain(first..end);
        return;
    }
    let last = first + step * (count - 1);
    let mut position = 0;
    items.retain(|_| {
        let selected = position >= first && position <= last && (position - first) % step == 0;
        position += 1;
        !selected
    });
}

fn list_getitem_method(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, _) = list_self(vm, args, "__getitem__")?;
    args::no_kwargs(vm, "list.__getitem__", kwargs)?;
    args::arity(vm, "list.__getitem__", &args[1..], 1, 1)?;
    list_getitem(vm, receiver, args[1])
}

fn list_setitem_method(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, _) = list_self(vm, args, "__setitem__")?;
    slot_no_kwargs(vm, "__setitem__", kwargs)?;
    if args.len() != 3 {
        // CPython's text really starts with a space (an empty function name).
        return vm.err_type(format!(" expected 2 arguments, got {}", args.len() - 1));
    }
    list_setitem(vm, receiver, args[1], args[2])?;
    Ok(Value::NONE)
}

fn list_delitem_method(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, _) = list_self(vm, args, "__delitem__")?;
    slot_no_kwargs(vm, "__delitem__", kwargs)?;
    slot_arity(vm, &args[1..], 1)?;
    list_delitem(vm, receiver, args[1])?;
    Ok(Value::NONE)
}

// ---- operators ----------------------------------------------------------------------------------

/// `list + other`: only another list (or list subclass) concatenates.
fn list_add(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, items) = list_self(vm, args, "__add__")?;
    slot_no_kwargs(vm, "__add__", kwargs)?;
    slot_arity(vm, &args[1..], 1)?;
    let other = args[1];
    if let Some(other_items) = ops::list_of(other) {
        let mut combined = items.borrow().to_vec();
        combined.extend(other_items.borrow().view().iter());
        return Ok(vm.new_list(combined));
    }
    if defers_to_reflected(vm, other, "__radd__") {
        return Ok(Value::NOT_IMPLEMENTED);
    }
    let type_name = vm.type_name(other);
    vm.err_type(format!(
        "can only concatenate list (not \"{type_name}\") to list"
    ))
}

/// `list += iterable`: extends in place with any iterable.
fn list_iadd(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, items) = list_self(vm, args, "__iadd__")?;
    slot_no_kwargs(vm, "__iadd__", kwargs)?;
    slot_arity(vm, &args[1..], 1)?;
    let other = args[1];
    if ops::list_of(other).is_none() && defers_to_reflected(vm, other, "__radd__") {
        return Ok(Value::NOT_IMPLEMENTED);
    }
    extend_list(vm, receiver, items, other)?;
    Ok(receiver)
}

/// `list * count` and `count * list`.
fn list_repeat(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
    method: &str,
) -> PyResult<Value> {
    let (_, items) = list_self(vm, args, method)?;
    slot_no_kwargs(vm, method, kwargs)?;
    slot_arity(vm, &args[1..], 1)?;
    let other = args[1];
    let Some(count) = repeat_count(vm, other)? else {
        if method == "__mul__" && defers_to_reflected(vm, other, "__rmul__") {
            return Ok(Value::NOT_IMPLEMENTED);
        }
        return Err(cannot_multiply(vm, other));
    };
    let copied = items.borrow().to_vec();
    let repeated = repeat_items(vm, &copied, count)?;
    Ok(vm.new_list(repeated))
}

fn list_mul(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    list_repeat(vm, args, kwargs, "__mul__")
}

fn list_rmul(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    list_repeat(vm, args, kwargs, "__rmul__")
}

/// `list *= count`: repeats in place (count <= 0 empties the list).
fn list_imul(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, items) = list_self(vm, args, "__imul__")?;
    slot_no_kwargs(vm, "__imul__", kwargs)?;
    slot_arity(vm, &args[1..], 1)?;
    let other = args[1];
    let Some(count) = repeat_count(vm, other)? else {
        if defers_to_reflected(vm, other, "__rmul__") {
            return Ok(Value::NOT_IMPLEMENTED);
        }
        return Err(cannot_multiply(vm, other));
    };
    // A shared list: repeat the items of the version the change replaces
    // (another thread's write in between makes it start again).
    while let Some((stamp, copied)) = items.shared_copy() {
        let repeated = repeat_items(vm, &copied, count)?;
        if items.replace_if_unchanged(stamp, &copied, repeated) {
            return Ok(receiver);
        }
    }
    let copied = items.borrow().to_vec();
    let repeated = repeat_items(vm, &copied, count)?;
    items.replace_all(repeated);
    Ok(receiver)
}

/// Rich comparison with another list; NotImplemented for anything else.
fn list_compare(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
    op: CompareOp,
) -> PyResult<Value> {
    let method = op.dunders().0;
    let (_, items) = list_self(vm, args, method)?;
    slot_no_kwargs(vm, method, kwargs)?;
    slot_arity(vm, &args[1..], 1)?;
    let Some(other_items) = ops::list_of(args[1]) else {
        return Ok(Value::NOT_IMPLEMENTED);
    };
    let mine = items.borrow().to_vec();
    let theirs = other_items.borrow().to_vec();
    sequence_richcompare(vm, &mine, &theirs, op)
}

fn list_eq(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    list_compare(vm, args, kwargs, CompareOp::Eq)
}

fn list_ne(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    list_compare(vm, args, kwargs, CompareOp::Ne)
}

fn list_lt(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    list_compare(vm, args, kwargs, CompareOp::Lt)
}

fn list_le(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    list_compare(vm, args, kwargs, CompareOp::Le)
}

fn list_gt(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    list_compare(vm, args, kwargs, CompareOp::Gt)
}

fn list_ge(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    list_compare(vm, args, kwargs, CompareOp::Ge)
}

// ---- sorting ---------------------------------------------------------------------------------------

/// `list.sort(*, key=None, reverse=False)`.
fn list_sort_method(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (receiver, _) = list_self(vm, args, "sort")?;
    if args.len() > 1 {
        return vm.err_type("sort() takes no positional arguments");
    }
    let mut key = Value::NULL;
    let mut reverse = false;
    for &(name, value) in kwargs {
        match str_of(name) {
            Some("key") => key = value,
            Some("reverse") => reverse = args::to_i64(vm, value)? != 0,
            other => {
                let name = other.unwrap_or("");
                return vm.err_type(format!(
                    "'{name}' is an invalid keyword argument for sort()"
                ));
            }
        }
    }
    let key_value = if key.is_null() { Value::NONE } else { key };
    if crate::builtins::loops::may_defer(vm) && crate::builtins::loops::key_runs_python(key_value) {
        // A shared list's sort starts again when another thread's write
        // came between (a few times, as `sort_shared`); a local one's
        // changed only by the key function, which CPython reports.
        let shared = ops::list_of(receiver).is_some_and(|items| items.is_shared());
        let attempts = Value::small_int_unchecked(if shared { SORT_ATTEMPTS } else { 1 });
        let args = [receiver, key_value, Value::bool(reverse), attempts];
        if let Some(deferred) = crate::builtins::loops::defer(vm, "sort_in_place", &args)? {
            return Ok(deferred);
        }
    }
    list_sort(vm, receiver, key, reverse)?;
    Ok(Value::NONE)
}

/// Sorts a list in place, stably, by `key(item)` (`key` NULL or None: the
/// items themselves) with `<`; `reverse` sorts descending while keeping
/// equal items in their original order. Used by `list.sort` and
/// `sorted()`.
pub fn list_sort(vm: &mut Vm, list: Value, key: Value, reverse: bool) -> PyResult<()> {
    let Some(items) = ops::list_of(list) else {
        return Err(receiver_error(vm, &[list], "list", "sort"));
    };
    if let Some((stamp, values)) = items.shared_copy() {
        return sort_shared(vm, items, stamp, values, key, reverse);
    }
    let mut values = items.take();
    let outcome = sort_values(vm, &mut values, key, reverse);
    // Any append during the sort allocated storage in the emptied list.
    let modified = !items.borrow().is_pristine();
    items.replace_all(values);
    outcome?;
    if modified {
        return vm.err_value("list modified during sort");
    }
    Ok(())
}

/// How many times a sort of a shared list starts again when other
/// threads' writes keep coming between before it gives up.
const SORT_ATTEMPTS: i64 = 8;

/// Sorting a shared list: other threads go on seeing (and changing) it
/// while a copy is sorted, which then replaces the items only if no write
/// came between. Items whose comparisons run no Python code (no key;
/// numbers, exact strs, exact tuples of those: `NativeOrder`) are sorted
/// again on the newer items whenever another writer won, a few times, and
/// then once in a write section, so threads sorting one list never fail.
/// Otherwise the sort starts again a few times and then gives up as
/// CPython does when Python code changes the list during its sort. No
/// other thread's write is lost.
fn sort_shared(
    vm: &mut Vm,
    items: ListCell,
    mut stamp: u64,
    mut values: Vec<Value>,
    key: Value,
    reverse: bool,
) -> PyResult<()> {
    const ATTEMPTS: usize = SORT_ATTEMPTS as usize;
    if key.is_null() || key.is_none() {
        let native = NativeOrder::of(vm);
        for _ in 0..ATTEMPTS {
            let Some(sorted) = native.sorted(&values, reverse) else {
                break;
            };
            // Unchanged: already in order when copied, when the sort took
            // effect.
            if sorted == values || items.replace_if_unchanged(stamp, &values, sorted) {
                return Ok(());
            }
            (stamp, values) = items.shared_copy().expect("a shared list stays shared");
        }
        // Writers that keep winning (a long list, another thread appending
        // in a loop) would starve the sort: it runs once more with every
        // other worker stopped, which is safe because no Python code runs.
        if natively_sorted_alone(items, native, reverse) {
            return Ok(());
        }
        (stamp, values) = items.shared_copy().expect("a shared list stays shared");
    }
    for _ in 0..ATTEMPTS {
        let before = values.clone();
        sort_values(vm, &mut values, key, reverse)?;
        if values == before || items.replace_if_unchanged(stamp, &before, values) {
            return Ok(());
        }
        (stamp, values) = items.shared_copy().expect("a shared list stays shared");
    }
    vm.err_value("list modified during sort")
}

/// Sorts a shared list's items in place, natively, in a write section;
/// false (nothing changed) if some comparison is not native.
fn natively_sorted_alone(items: ListCell, native: NativeOrder, reverse: bool) -> bool {
    crate::sched::enter_write_section();
    let sorted = items.shared_copy().and_then(|(stamp, values)| {
        let sorted = native.sorted(&values, reverse)?;
        // Nothing else runs: the version cannot change meanwhile.
        Some(sorted == values || items.replace_if_unchanged(stamp, &values, sorted))
    });
    crate::sched::leave_write_section();
    sorted == Some(true)
}

/// Sorts `values` (detached from their list) by their keys.
fn sort_values(vm: &mut Vm, values: &mut Vec<Value>, key: Value, reverse: bool) -> PyResult<()> {
    let keys = if key.is_null() || key.is_none() {
        values.clone()
    } else {
        let mut keys = Vec::with_capacity(values.len());
        for &value in values.iter() {
            keys.push(ops::call(vm, key, &[value], &[])?);
        }
        keys
    };
    sort_values_by_keys(vm, values, keys, reverse)
}

/// Sorts the list `list` in place by `keys`, one per item, computed
/// already (`builtins/loops.rs` calls a Python key function as frames of
/// the sorting thread's task, then this): `false`, with nothing done, if
/// the list no longer holds the items the keys were computed for
/// (`seen`, when given, else as many). A list changed by the comparisons
/// is a ValueError, as in `list_sort`.
pub fn sort_by_given_keys(
    vm: &mut Vm,
    list: Value,
    keys: Vec<Value>,
    reverse: bool,
    seen: Option<&[Value]>,
) -> PyResult<bool> {
    let Some(items) = ops::list_of(list) else {
        return Err(receiver_error(vm, &[list], "list", "sort"));
    };
    let changed =
        |values: &[Value]| values.len() != keys.len() || seen.is_some_and(|seen| seen != values);
    if let Some((stamp, values)) = items.shared_copy() {
        if changed(&values) {
            return Ok(false);
        }
        let mut sorted = values.clone();
        sort_values_by_keys(vm, &mut sorted, keys, reverse)?;
        return Ok(sorted == values || items.replace_if_unchanged(stamp, &values, sorted));
    }
    if changed(&items.borrow().to_vec()) {
        return Ok(false);
    }
    let mut values = items.take();
    let outcome = sort_values_by_keys(vm, &mut values, keys, reverse);
    let modified = !items.borrow().is_pristine();
    items.replace_all(values);
    outcome?;
    if modified {
        return vm.err_value("list modified during sort");
    }
    Ok(true)
}

/// Sorts `values` by the matching `keys`, stably; `reverse` sorts
/// descending while keeping equal items in their original order.
fn sort_values_by_keys(
    vm: &mut Vm,
    values: &mut Vec<Value>,
    mut keys: Vec<Value>,
    reverse: bool,
) -> PyResult<()> {
    if values.len() < 2 {
        return Ok(());
    }
    if reverse {
        values.reverse();
        keys.reverse();
    }
    let outcome = sorted_order(vm, &keys);
    if let Ok(order) = &outcome {
        let sorted: Vec<Value> = order.iter().map(|&index| values[index]).collect();
        *values = sorted;
    }
    if reverse {
        values.reverse();
    }
    outcome.map(|_| ())
}

/// The stable ascending order of `keys` under Python's `<`, as a
/// permutation of their indices.
fn sorted_order(vm: &mut Vm, keys: &[Value]) -> PyResult<Vec<usize>> {
    if let Some(order) = NativeOrder::of(vm).order(keys, false) {
        return Ok(order);
    }
    let mut order: Vec<usize> = (0..keys.len()).collect();
    stable_sort_by(&mut order, |a, b| {
        ops::compare_bool(vm, keys[a], keys[b], CompareOp::Lt)
    })?;
    Ok(order)
}

/// Python's `<` and `==` between values whose comparison runs no Python
/// code: ints that fit a value word, floats and bools (compared as
/// numbers), exact strs, and exact tuples of such values. Anything else
/// is `NotNative`, and the caller compares through the engine.
#[derive(Clone, Copy)]
struct NativeOrder {
    str_class: Value,
    tuple_class: Value,
}

/// A comparison `NativeOrder` cannot make without the engine.
struct NotNative;

/// A number as `NativeOrder` compares it.
#[derive(Clone, Copy)]
enum Number {
    Int(i64),
    Float(f64),
}

impl Number {
    fn of(value: Value) -> Option<Number> {
        if value.is_small_int() {
            Some(Number::Int(value.small_int_value()))
        } else if value.is_float() {
            Some(Number::Float(value.float_value()))
        } else if value.is_bool() {
            Some(Number::Int(i64::from(value == Value::TRUE)))
        } else {
            None
        }
    }

    /// As a float: exact for an int that fits a value word (48 bits).
    fn as_f64(self) -> f64 {
        match self {
            Number::Int(n) => n as f64,
            Number::Float(x) => x,
        }
    }

    fn less(self, other: Number) -> bool {
        match (self, other) {
            (Number::Int(a), Number::Int(b)) => a < b,
            (a, b) => a.as_f64() < b.as_f64(),
        }
    }

    fn equal(self, other: Number) -> bool {
        match (self, other) {
            (Number::Int(a), Number::Int(b)) => a == b,
            (a, b) => a.as_f64() == b.as_f64(),
        }
    }
}

impl NativeOrder {
    fn of(vm: &Vm) -> NativeOrder {
        NativeOrder {
            str_class: vm.types.str,
            tuple_class: vm.types.tuple,
        }
    }

    /// `values` in sorted order (ascending, or with `reverse` descending
    /// with equal ones in their original order); `None` when some
    /// comparison is not native.
    fn sorted(self, values: &[Value], reverse: bool) -> Option<Vec<Value>> {
        let order = self.order(values, reverse)?;
        Some(order.iter().map(|&index| values[index]).collect())
    }

    /// The stable order of `keys` as a permutation of their indices (see
    /// `sorted`); `None` when some comparison is not native.
    fn order(self, keys: &[Value], reverse: bool) -> Option<Vec<usize>> {
        let mut order: Vec<usize> = (0..keys.len()).collect();
        if reverse {
            order.reverse();
        }
        if keys.iter().all(|key| key.is_small_int()) {
            // Equal small ints are the same value word: no order among
            // them to keep.
            order.sort_unstable_by_key(|&index| keys[index].small_int_value());
        } else if keys.iter().all(|&key| self.is_str(key)) {
            // UTF-8 byte order is code point order, which is Python's.
            order.sort_by(|&a, &b| str_of(keys[a]).cmp(&str_of(keys[b])));
        } else if keys.iter().all(|key| key.is_float()) {
            // NaN makes `<` no total order, so not `sort_by` (which may
            // panic): the merge sort the engine's comparisons go through.
            let _ = stable_sort_by(&mut order, |a, b| {
                Ok::<bool, NotNative>(keys[a].float_value() < keys[b].float_value())
            });
        } else {
            stable_sort_by(&mut order, |a, b| self.less(keys[a], keys[b])).ok()?;
        }
        if reverse {
            order.reverse();
        }
        Some(order)
    }

    fn is_str(self, value: Value) -> bool {
        value
            .as_obj()
            .is_some_and(|obj| obj.class() == self.str_class)
    }

    /// The items of an exact tuple (a subclass may define `<`).
    fn tuple(self, value: Value) -> Option<&'static [Value]> {
        if value.as_obj()?.class() != self.tuple_class {
            return None;
        }
        tuple_items(value)
    }

    /// `a < b`.
    fn less(self, a: Value, b: Value) -> Result<bool, NotNative> {
        if let (Some(a), Some(b)) = (Number::of(a), Number::of(b)) {
            return Ok(a.less(b));
        }
        if self.is_str(a) && self.is_str(b) {
            return Ok(str_of(a) < str_of(b));
        }
        if let (Some(a), Some(b)) = (self.tuple(a), self.tuple(b)) {
            // The first pair of items that differ decides, else the lengths.
            for (&x, &y) in a.iter().zip(b) {
                if !self.equal(x, y)? {
                    return self.less(x, y);
                }
            }
            return Ok(a.len() < b.len());
        }
        Err(NotNative)
    }

    /// `a == b`, identity first (as containers compare their items).
    fn equal(self, a: Value, b: Value) -> Result<bool, NotNative> {
        if a == b {
            return Ok(true);
        }
        if let (Some(a), Some(b)) = (Number::of(a), Number::of(b)) {
            return Ok(a.equal(b));
        }
        if self.is_str(a) && self.is_str(b) {
            return Ok(str_of(a) == str_of(b));
        }
        if let (Some(a), Some(b)) = (self.tuple(a), self.tuple(b)) {
            if a.len() != b.len() {
                return Ok(false);
            }
            for (&x, &y) in a.iter().zip(b) {
                if !self.equal(x, y)? {
                    return Ok(false);
                }
            }
            return Ok(true);
        }
        Err(NotNative)
    }
}

/// Items up to this many are sorted by binary insertion before merging.
const INSERTION_RUN: usize = 32;

/// Stable sort by a fallible "less than" (`less(a, b)` answers `a < b`),
/// asking only `later < earlier` questions, as CPython's sort does. On
/// error the slice is still a permutation of its items. Any answers, even
/// inconsistent ones, terminate.
pub(crate) fn stable_sort_by<T: Copy, E>(
    items: &mut [T],
    mut less: impl FnMut(T, T) -> Result<bool, E>,
) -> Result<(), E> {
    let length = items.len();
    if length < 2 {
        return Ok(());
    }
    for run in items.chunks_mut(INSERTION_RUN) {
        binary_insertion_sort(run, &mut less)?;
    }
    let mut buffer: Vec<T> = Vec::with_capacity(length);
    let mut width = INSERTION_RUN;
    while width < length {
        let mut low = 0;
        while low + width < length {
            let high = (low + 2 * width).min(length);
            merge_runs(&mut items[low..high], width, &mut buffer, &mut less)?;
            low = high;
        }
        width *= 2;
    }
    Ok(())
}

fn binary_insertion_sort<T: Copy, E>(
    items: &mut [T],
    less: &mut impl FnMut(T, T) -> Result<bool, E>,
) -> Result<(), E> {
    for index in 1..items.len() {
        let pivot = items[index];
        if !less(pivot, items[index - 1])? {
            continue;
        }
        // The pivot goes after every item it is not less than.
        let (mut low, mut high) = (0, index - 1);
        while low < high {
            let middle = (low + high) / 2;
            if less(pivot, items[middle])? {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        items.copy_within(low..index, low + 1);
        items[low] = pivot;
    }
    Ok(())
}

/// Merges the sorted runs `items[..split]` and `items[split..]`; the
/// slice is written only once the merge has succeeded.
fn merge_runs<T: Copy, E>(
    items: &mut [T],
    split: usize,
    buffer: &mut Vec<T>,
    less: &mut impl FnMut(T, T) -> Result<bool, E>,
) -> Result<(), E> {
    if !less(items[split], items[split - 1])? {
        return Ok(());
    }
    buffer.clear();
    let (mut left, mut right) = (0, split);
    while left < split && right < items.len() {
        if less(items[right], items[left])? {
            buffer.push(items[right]);
            right += 1;
        } else {
            buffer.push(items[left]);
            left += 1;
        }
    }
    buffer.extend_from_slice(&items[left..split]);
    buffer.extend_from_slice(&items[right..]);
    items.copy_from_slice(buffer);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic pseudo-random sequence.
    fn scrambled(length: usize, modulus: u64) -> Vec<u64> {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        (0..length)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state % modulus
            })
            .collect()
    }

    #[test]
    fn merge_sort_is_stable_and_sorted() {
        for length in [0, 1, 2, 3, 31, 32, 33, 64, 65, 100, 1000, 4097] {
            let keys = scrambled(length, 10);
            let mut pairs: Vec<(u64, usize)> = keys.iter().copied().zip(0..).collect();
            stable_sort_by(&mut pairs, |a, b| Ok::<bool, ()>(a.0 < b.0)).unwrap();
            let mut expected: Vec<(u64, usize)> = keys.iter().copied().zip(0..).collect();
            expected.sort_by_key(|pair| pair.0);
            assert_eq!(pairs, expected, "length {length}");
        }
    }

    #[test]
    fn merge_sort_asks_later_less_than_earlier() {
        let mut items = [3, 1];
        let mut asked = Vec::new();
        stable_sort_by(&mut items, |a, b| {
            asked.push((a, b));
            Ok::<bool, ()>(a < b)
        })
        .unwrap();
        assert_eq!(asked, vec![(1, 3)]);
        assert_eq!(items, [1, 3]);
    }

    #[test]
    fn sorted_input_needs_few_comparisons() {
        let mut items: Vec<u32> = (0..10_000).collect();
        let mut comparisons = 0;
        stable_sort_by(&mut items, |a, b| {
            comparisons += 1;
            Ok::<bool, ()>(a < b)
        })
        .unwrap();
        assert!(comparisons < 11_000, "{comparisons} comparisons");
    }

    #[test]
    fn merge_sort_keeps_a_permutation_on_error() {
        let original: Vec<u64> = scrambled(500, 1000);
        let mut items = original.clone();
        let mut calls = 0;
        let outcome = stable_sort_by(&mut items, |a, b| {
            calls += 1;
            if calls == 2000 {
                Err("boom")
            } else {
                Ok(a < b)
            }
        });
        assert_eq!(outcome, Err("boom"));
        let mut left = items.clone();
        let mut right = original;
        left.sort();
        right.sort();
        assert_eq!(left, right);
    }

    #[test]
    fn merge_sort_survives_inconsistent_answers() {
        let mut items: Vec<u64> = scrambled(300, 50);
        let mut flip = false;
        stable_sort_by(&mut items, |_, _| {
            flip = !flip;
            Ok::<bool, ()>(flip)
        })
        .unwrap();
        assert_eq!(items.len(), 300);
    }

    #[test]
    fn delete_positions_handles_every_step() {
        let values: Vec<i64> = (0..10).collect();
        let mut items = values.clone();
        delete_positions(&mut items, 0, 2, 5);
        assert_eq!(items, vec![1, 3, 5, 7, 9]);
        let mut items = values.clone();
        delete_positions(&mut items, 9, -3, 4);
        assert_eq!(items, vec![1, 2, 4, 5, 7, 8]);
        let mut items = values.clone();
        delete_positions(&mut items, 2, 1, 3);
        assert_eq!(items, vec![0, 1, 5, 6, 7, 8, 9]);
        let mut items = values.clone();
        delete_positions(&mut items, 7, -1, 3);
        assert_eq!(items, vec![0, 1, 2, 3, 4, 8, 9]);
        let mut items = values;
        delete_positions(&mut items, 3, 1, 0);
        assert_eq!(items.len(), 10);
    }
}
