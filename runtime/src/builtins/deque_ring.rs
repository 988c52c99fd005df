//! `_deque.ring()`: the storage of `collections.deque` (whose methods
//! are Python, in `stdlib/collections.py`): a ring buffer whose every
//! operation is one native call under one exclusive borrow. CPython's
//! deque is C code, so programs rely on `append`/`popleft` from several
//! threads never losing or duplicating an item; with threads running in
//! parallel that needs each operation to be atomic, which one borrow (a
//! write section once the ring is shared) makes it. It is also what makes
//! the ends O(1) without Python-level index bookkeeping.

use std::collections::VecDeque;

use crate::builtins::args::{arity, to_i64};
use crate::builtins::containers::{insert_position, wrap_index};
use crate::builtins::{add_method, native_function, new_module, set_class_attr};
use crate::engine::{ops, Vm};
use crate::heap::share::share;
use crate::objects::{ObjKind, PyCell};
use crate::value::Value;
use crate::PyResult;

pub type Ring = PyCell<VecDeque<Value>>;

pub fn make(vm: &mut Vm) -> Value {
    let module = new_module(vm, "_deque");
    let class = vm.types.deque_ring;
    if ops::lookup_class_attr(class, "push").is_none() {
        let module_name = vm.intern("_deque");
        set_class_attr(vm, class, "__module__", module_name);
        let methods: [(&'static str, crate::objects::NativeFn); 14] = [
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

/// Shares `value` first if it goes into a shared ring (the write barrier).
fn barrier(ring: &Ring, value: Value) {
    if ring.is_shared() {
        share(value);
    }
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
    push(vm, args, "push", End::Right)
}

/// `pushleft(x, maxlen)`: the mirror image of `push`.
fn ring_push_left(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    push(vm, args, "pushleft", End::Left)
}

#[derive(Clone, Copy, PartialEq)]
enum End {
    Left,
    Right,
}

fn push(vm: &mut Vm, args: &[Value], name: &str, end: End) -> PyResult<Value> {
    let (ring, rest) = receiver(vm, args, name, 2)?;
    let limit = max_length(vm, rest[1])?;
    barrier(ring, rest[0]);
    let mut items = ring.borrow_mut();
    if let Some(limit) = limit {
        if limit == 0 {
            return Ok(Value::NONE);
        }
        while items.len() >= limit {
            match end {
                End::Right => items.pop_front(),
                End::Left => items.pop_back(),
            };
        }
    }
    match end {
        End::Right => items.push_back(rest[0]),
        End::Left => items.push_front(rest[0]),
    }
    Ok(Value::NONE)
}

fn ring_pop(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let (ring, _) = receiver(vm, args, "pop", 0)?;
    let popped = ring.borrow_mut().pop_back();
    popped.ok_or_else(|| vm.index_error("pop from an empty deque"))
}

fn ring_pop_left(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let (ring, _) = receiver(vm, args, "popleft", 0)?;
    let popped = ring.borrow_mut().pop_front();
    popped.ok_or_else(|| vm.index_error("pop from an empty deque"))
}

fn ring_size(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let (ring, _) = receiver(vm, args, "size", 0)?;
    let size = ring.read(|items| items.len());
    Ok(Value::small_int_unchecked(size as i64))
}

fn out_of_range(vm: &mut Vm) -> Value {
    vm.index_error("deque index out of range")
}

fn ring_get(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let (ring, rest) = receiver(vm, args, "get", 1)?;
    let index = to_i64(vm, rest[0])?;
    let found = ring.read(|items| wrap_index(index, items.len()).map(|at| items[at]));
    found.ok_or_else(|| out_of_range(vm))
}

fn ring_put(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let (ring, rest) = receiver(vm, args, "put", 2)?;
    let index = to_i64(vm, rest[0])?;
    barrier(ring, rest[1]);
    let mut items = ring.borrow_mut();
    match wrap_index(index, items.len()) {
        Some(at) => {
            items[at] = rest[1];
            Ok(Value::NONE)
        }
        None => {
            drop(items);
            Err(out_of_range(vm))
        }
    }
}

fn ring_delete(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let (ring, rest) = receiver(vm, args, "delete", 1)?;
    let index = to_i64(vm, rest[0])?;
    let mut items = ring.borrow_mut();
    match wrap_index(index, items.len()) {
        Some(at) => {
            items.remove(at);
            Ok(Value::NONE)
        }
        None => {
            drop(items);
            Err(out_of_range(vm))
        }
    }
}

/// `insert(index, x, maxlen)`: before `index`, clamped like
/// `list.insert`; IndexError when the deque is full.
fn ring_insert(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let (ring, rest) = receiver(vm, args, "insert", 3)?;
    let index = to_i64(vm, rest[0])?;
    let limit = max_length(vm, rest[2])?;
    barrier(ring, rest[1]);
    let mut items = ring.borrow_mut();
    if limit.is_some_and(|limit| items.len() >= limit) {
        drop(items);
        return Err(vm.index_error("deque already at its maximum size"));
    }
    let at = insert_position(index, items.len());
    items.insert(at, rest[1]);
    Ok(Value::NONE)
}

fn ring_clear(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let (ring, _) = receiver(vm, args, "clear", 0)?;
    let old = std::mem::take(&mut *ring.borrow_mut());
    drop(old);
    Ok(Value::NONE)
}

/// A list of the items, left to right (a snapshot).
fn ring_items(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let (ring, _) = receiver(vm, args, "items", 0)?;
    let items: Vec<Value> = ring.read(|items| items.iter().copied().collect());
    Ok(vm.new_list(items))
}

fn ring_reversed_items(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let (ring, _) = receiver(vm, args, "reversed_items", 0)?;
    let items: Vec<Value> = ring.read(|items| items.iter().rev().copied().collect());
    Ok(vm.new_list(items))
}

/// `rotate(n)`: n steps to the right (left if negative).
fn ring_rotate(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let (ring, rest) = receiver(vm, args, "rotate", 1)?;
    let steps = to_i64(vm, rest[0])?;
    let mut items = ring.borrow_mut();
    let size = items.len() as i64;
    if size > 1 {
        let steps = steps.rem_euclid(size) as usize;
        items.rotate_right(steps);
    }
    Ok(Value::NONE)
}

fn ring_reverse(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let (ring, _) = receiver(vm, args, "reverse", 0)?;
    let mut items = ring.borrow_mut();
    let reversed: VecDeque<Value> = items.iter().rev().copied().collect();
    *items = reversed;
    Ok(Value::NONE)
}
