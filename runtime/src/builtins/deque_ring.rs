//! `_deque.ring()`: the storage of `collections.deque` (whose methods
//! are Python, in `stdlib/collections.py`): a ring whose every operation
//! is one native call on `objects/ring.rs`'s `RingItems`. CPython's deque
//! is C code, so programs rely on `append`/`popleft` from several threads
//! never losing or duplicating an item; with threads running in parallel
//! that needs each operation to be atomic: one change under a borrow
//! while the ring is local, one published version once it is shared. It is
//! also what makes the ends O(1) without Python-level index bookkeeping.

use crate::builtins::args::{arity, to_i64};
use crate::builtins::containers::{insert_position, wrap_index};
use crate::builtins::{add_method, native_function, new_module, set_class_attr};
use crate::engine::{ops, Vm};
use crate::objects::ring::{End, RingItems};
use crate::objects::ObjKind;
use crate::value::Value;
use crate::PyResult;

pub type Ring = RingItems;

pub fn make(vm: &mut Vm) -> Value {
    let module = new_module(vm, "_deque");
    let class = vm.types.deque_ring;
    if ops::lookup_class_attr(class, "push").is_none() {
        let module_name = vm.intern("_deque");
        set_class_attr(vm, class, "__module__", module_name);
        let methods: [(&'static str, crate::objects::NativeFn); 16] = [
            ("push", ring_push),
            ("pushleft", ring_push_left),
            ("pop", ring_pop),
            ("popleft", ring_pop_left),
            ("size", ring_size),
            ("get", ring_get),
            ("put", ring_put),
            ("delete", ring_delete),
            ("insert", ring_insert),
            ("clear", ring_clear),
            ("items", ring_items),
            ("reversed_items", ring_reversed_items),
            ("rotate", ring_rotate),
            ("reverse", ring_reverse),
            // A Condition's waiters are a bare ring, which programs
            // written for CPython's (a deque) measure, walk and test
            // (truth: `ops::truthy`).
            ("__len__", ring_len),
            ("__iter__", ring_iter),
        ];
        for (name, body) in methods {
            add_method(vm, class, name, body);
        }
    }
    let function = native_function(vm, "ring", new_ring, Value::NULL);
    let key = vm.intern("ring");
    let dict = module.as_obj().expect("module").dict();
    ops::dict_set_str(vm, dict, key, function);
    module
}

fn new_ring(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    arity(vm, "ring", args, 0, 0)?;
    let class = vm.types.deque_ring;
    Ok(vm.alloc(class, ObjKind::Ring(Box::default())))
}

/// The ring of `args[0]` and the rest of the arguments, checked.
fn receiver<'a>(
    vm: &mut Vm,
    args: &'a [Value],
    name: &str,
    count: usize,
) -> PyResult<(&'static Ring, &'a [Value])> {
    let Some((&this, rest)) = args.split_first() else {
        return vm.err_type(format!("{name}() needs a ring"));
    };
    let Some(ObjKind::Ring(ring)) = this.as_obj().map(|obj| &obj.kind) else {
        return vm.err_type(format!("{name}() needs a ring"));
    };
    arity(vm, name, rest, count, count)?;
    Ok((ring, rest))
}

/// `maxlen` as given by `deque` (None: unbounded).
fn max_length(vm: &mut Vm, value: Value) -> PyResult<Option<usize>> {
    if value == Value::NONE {
        return Ok(None);
    }
    Ok(Some(to_i64(vm, value)?.max(0) as usize))
}

/// `push(x, maxlen)`: append on the right, dropping from the left when
/// full (nothing is stored when `maxlen` is 0).
fn ring_push(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    push(vm, args, "push", End::Back)
}

/// `pushleft(x, maxlen)`: the mirror image of `push`.
fn ring_push_left(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    push(vm, args, "pushleft", End::Front)
}

fn push(vm: &mut Vm, args: &[Value], name: &str, end: End) -> PyResult<Value> {
    let (ring, rest) = receiver(vm, args, name, 2)?;
    let limit = max_length(vm, rest[1])?;
    ring.push(end, rest[0], limit);
    Ok(Value::NONE)
}

fn ring_pop(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let (ring, _) = receiver(vm, args, "pop", 0)?;
    let popped = ring.pop(End::Back);
    popped.ok_or_else(|| vm.index_error("pop from an empty deque"))
}

fn ring_pop_left(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let (ring, _) = receiver(vm, args, "popleft", 0)?;
    let popped = ring.pop(End::Front);
    popped.ok_or_else(|| vm.index_error("pop from an empty deque"))
}

fn ring_size(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let (ring, _) = receiver(vm, args, "size", 0)?;
    Ok(Value::small_int_unchecked(ring.len() as i64))
}

fn ring_len(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let (ring, _) = receiver(vm, args, "__len__", 0)?;
    Ok(Value::small_int_unchecked(ring.len() as i64))
}

/// An iterator over a snapshot of the items.
fn ring_iter(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let (ring, _) = receiver(vm, args, "__iter__", 0)?;
    let items = vm.new_list(ring.to_vec());
    ops::iter(vm, items)
}

fn out_of_range(vm: &mut Vm) -> Value {
    vm.index_error("deque index out of range")
}

fn ring_get(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let (ring, rest) = receiver(vm, args, "get", 1)?;
    let index = to_i64(vm, rest[0])?;
    let found = ring.get(|len| wrap_index(index, len));
    found.ok_or_else(|| out_of_range(vm))
}

fn ring_put(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let (ring, rest) = receiver(vm, args, "put", 2)?;
    let index = to_i64(vm, rest[0])?;
    ring.barrier(rest[1]);
    let stored = ring.edit(|items| match wrap_index(index, items.len()) {
        Some(at) => {
            items[at] = rest[1];
            true
        }
        None => false,
    });
    if stored {
        Ok(Value::NONE)
    } else {
        Err(out_of_range(vm))
    }
}

fn ring_delete(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let (ring, rest) = receiver(vm, args, "delete", 1)?;
    let index = to_i64(vm, rest[0])?;
    let deleted = ring.edit(|items| match wrap_index(index, items.len()) {
        Some(at) => {
            items.remove(at);
            true
        }
        None => false,
    });
    if deleted {
        Ok(Value::NONE)
    } else {
        Err(out_of_range(vm))
    }
}

/// `insert(index, x, maxlen)`: before `index`, clamped like
/// `list.insert`; IndexError when the deque is full.
fn ring_insert(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let (ring, rest) = receiver(vm, args, "insert", 3)?;
    let index = to_i64(vm, rest[0])?;
    let limit = max_length(vm, rest[2])?;
    ring.barrier(rest[1]);
    let inserted = ring.edit(|items| {
        if limit.is_some_and(|limit| items.len() >= limit) {
            return false;
        }
        let at = insert_position(index, items.len());
        items.insert(at, rest[1]);
        true
    });
    if inserted {
        Ok(Value::NONE)
    } else {
        Err(vm.index_error("deque already at its maximum size"))
    }
}

fn ring_clear(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let (ring, _) = receiver(vm, args, "clear", 0)?;
    ring.edit(Vec::clear);
    Ok(Value::NONE)
}

/// A list of the items, left to right (a snapshot).
fn ring_items(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let (ring, _) = receiver(vm, args, "items", 0)?;
    let items = ring.to_vec();
    Ok(vm.new_list(items))
}

fn ring_reversed_items(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let (ring, _) = receiver(vm, args, "reversed_items", 0)?;
    let mut items = ring.to_vec();
    items.reverse();
    Ok(vm.new_list(items))
}

/// `rotate(n)`: n steps to the right (left if negative).
fn ring_rotate(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let (ring, rest) = receiver(vm, args, "rotate", 1)?;
    let steps = to_i64(vm, rest[0])?;
    ring.edit(|items| {
        let size = items.len() as i64;
        if size > 1 {
            items.rotate_right(steps.rem_euclid(size) as usize);
        }
    });
    Ok(Value::NONE)
}

fn ring_reverse(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let (ring, _) = receiver(vm, args, "reverse", 0)?;
    ring.edit(|items| items.reverse());
    Ok(Value::NONE)
}
