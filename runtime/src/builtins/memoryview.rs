//! `memoryview` over `bytes` and `bytearray` (format `'B'`, one
//! dimension): indexing, slicing (a view of the same memory), item
//! assignment into a bytearray, iteration, `tobytes`, `tolist`, `hex`,
//! `release` and the context-manager protocol, equality with bytes-like
//! objects (<https://docs.python.org/3.11/library/stdtypes.html#memoryview>).
//!
//! A view is an `ObjKind::MemoryView` naming its source object and the
//! selected elements (`start`, `length`, `step`); it reads the source on
//! every access, so a view of a bytearray sees later writes. Resizing a
//! bytearray under a view is not prevented (CPython raises BufferError);
//! reads then stop at the bytearray's end.

use std::borrow::Cow;

use crate::builtins::{add_method, add_staticmethod};
use crate::engine::ops::{self, kind_of};
use crate::engine::Vm;
use crate::objects::{MemoryView, ObjKind};
use crate::value::Value;
use crate::PyResult;

type Kwargs<'a> = &'a [(Value, Value)];

fn view_of(value: Value) -> Option<&'static MemoryView> {
    match kind_of(value)? {
        ObjKind::MemoryView(view) => Some(view),
        _ => None,
    }
}

/// The bytes a view selects (a copy).
pub fn view_bytes(view: &MemoryView) -> Vec<u8> {
    let read = |source: &[u8]| -> Vec<u8> {
        (0..view.length)
            .filter_map(|index| {
                let position = view.start as isize + index as isize * view.step;
                usize::try_from(position)
                    .ok()
                    .and_then(|position| source.get(position).copied())
            })
            .collect()
    };
    match kind_of(view.source) {
        Some(ObjKind::Bytes(bytes)) => read(bytes),
        Some(ObjKind::ByteArray(bytes)) => read(&bytes.borrow()),
        _ => Vec::new(),
    }
}

/// The contents of a memoryview value, for the bytes-like helpers.
pub fn memoryview_bytes(value: Value) -> Option<Cow<'static, [u8]>> {
    view_of(value).map(|view| Cow::Owned(view_bytes(view)))
}

/// The receiver, checked not released.
fn receiver(vm: &mut Vm, args: &[Value], method: &str) -> PyResult<&'static MemoryView> {
    let Some(view) = args.first().copied().and_then(view_of) else {
        let type_name = args
            .first()
            .map(|value| vm.type_name(*value))
            .unwrap_or_else(|| "nothing".into());
        return vm.err_type(format!(
            "descriptor '{method}' for 'memoryview' objects doesn't apply to a '{type_name}' object"
        ));
    };
    if view.released.get() {
        return vm.err_value("operation forbidden on released memoryview object");
    }
    Ok(view)
}

fn new_view(vm: &mut Vm, source: Value, start: usize, length: usize, step: isize) -> Value {
    let class = vm.types.memoryview;
    vm.alloc(
        class,
        ObjKind::MemoryView(Box::new(MemoryView {
            source,
            start,
            length,
            step,
            released: crate::value::AtomicFlag::new(false),
        })),
    )
}

/// `memoryview(object)`.
fn memoryview_new(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let bound = crate::builtins::args::bind(vm, "memoryview", &args[1..], kwargs, &["object"], 1)?;
    let object = bound[0];
    if let Some(view) = view_of(object) {
        return Ok(new_view(
            vm,
            view.source,
            view.start,
            view.length,
            view.step,
        ));
    }
    let length = match kind_of(object) {
        Some(ObjKind::Bytes(bytes)) => bytes.len(),
        Some(ObjKind::ByteArray(bytes)) => bytes.borrow().len(),
        _ => {
            let type_name = vm.type_name(object);
            return vm.err_type(format!(
                "memoryview: a bytes-like object is required, not '{type_name}'"
            ));
        }
    };
    Ok(new_view(vm, object, 0, length, 1))
}

fn memoryview_len(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let view = receiver(vm, args, "__len__")?;
    Ok(vm.new_int(view.length as i64))
}

/// The source position of element `index` (already in range).
fn position(view: &MemoryView, index: usize) -> usize {
    (view.start as isize + index as isize * view.step) as usize
}

fn memoryview_getitem(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let view = receiver(vm, args, "__getitem__")?;
    let key = args[1];
    if let Some(ObjKind::Slice { .. }) = kind_of(key) {
        let (start, _, step, count) = ops::slice_indices(vm, key, view.length)?;
        let new_start = if count == 0 {
            view.start
        } else {
            position(view, start as usize)
        };
        return Ok(new_view(
            vm,
            view.source,
            new_start,
            count,
            view.step * step as isize,
        ));
    }
    if key == Value::ELLIPSIS {
        return Ok(args[0]);
    }
    let index = ops::sequence_index(vm, key, view.length, "memoryview")
        .map_err(|error| rename_index_error(vm, error))?;
    let bytes = view_bytes(view);
    match bytes.get(index) {
        Some(byte) => Ok(Value::small_int_unchecked(i64::from(*byte))),
        None => Err(vm.index_error("index out of bounds on dimension 1")),
    }
}

/// CPython words memoryview index errors differently from sequences.
fn rename_index_error(vm: &mut Vm, error: Value) -> Value {
    if vm.is_instance(error, vm.types.exc.index_error) {
        vm.index_error("index out of bounds on dimension 1")
    } else if vm.is_instance(error, vm.types.exc.type_error) {
        vm.type_error("memoryview: invalid slice key")
    } else {
        error
    }
}

fn memoryview_setitem(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let view = receiver(vm, args, "__setitem__")?;
    let Some(ObjKind::ByteArray(target)) = kind_of(view.source) else {
        return Err(vm.type_error("cannot modify read-only memory"));
    };
    let (key, value) = (args[1], args[2]);
    if let Some(ObjKind::Slice { .. }) = kind_of(key) {
        let (start, _, step, count) = ops::slice_indices(vm, key, view.length)?;
        let Some(data) = crate::builtins::bytes_methods::buffer_of(value) else {
            let type_name = vm.type_name(value);
            return vm.err_type(format!(
                "a bytes-like object is required, not '{type_name}'"
            ));
        };
        if data.len() != count {
            return vm
                .err_value("memoryview assignment: lvalue and rvalue have different structures");
        }
        target.change(|target| {
            for (offset, byte) in data.iter().enumerate() {
                let index = (start + offset as i64 * step) as usize;
                if let Some(slot) = target.get_mut(position(view, index)) {
                    *slot = *byte;
                }
            }
        });
        return Ok(Value::NONE);
    }
    let index = ops::sequence_index(vm, key, view.length, "memoryview")
        .map_err(|error| rename_index_error(vm, error))?;
    let byte = match value.as_small_int() {
        Some(byte) if (0..=255).contains(&byte) => byte as u8,
        Some(_) => return vm.err_value("memoryview: invalid value for format 'B'"),
        None => return vm.err_type("memoryview: invalid type for format 'B'"),
    };
    target.change(|target| {
        if let Some(slot) = target.get_mut(position(view, index)) {
            *slot = byte;
        }
    });
    Ok(Value::NONE)
}

fn memoryview_tolist(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let view = receiver(vm, args, "tolist")?;
    let items = view_bytes(view)
        .into_iter()
        .map(|byte| Value::small_int_unchecked(i64::from(byte)))
        .collect();
    Ok(vm.new_list(items))
}

fn memoryview_iter(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let list = memoryview_tolist(vm, args, kwargs)?;
    ops::iter(vm, list)
}

fn memoryview_tobytes(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let view = receiver(vm, args, "tobytes")?;
    let bytes = view_bytes(view);
    Ok(vm.new_bytes(bytes))
}

fn memoryview_hex(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let view = receiver(vm, args, "hex")?;
    let text: String = view_bytes(view)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    Ok(vm.new_str(text))
}

fn memoryview_release(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    if let Some(view) = args.first().copied().and_then(view_of) {
        view.released.set(true);
        return Ok(Value::NONE);
    }
    receiver(vm, args, "release")?;
    Ok(Value::NONE)
}

fn memoryview_enter(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    receiver(vm, args, "__enter__")?;
    Ok(args[0])
}

fn memoryview_eq(vm: &mut Vm, args: &[Value], negate: bool) -> PyResult<Value> {
    let view = receiver(vm, args, "__eq__")?;
    let Some(other) = args
        .get(1)
        .and_then(|other| crate::builtins::bytes_methods::buffer_of(*other))
    else {
        return Ok(Value::NOT_IMPLEMENTED);
    };
    Ok(Value::bool((view_bytes(view) == other.as_ref()) != negate))
}

/// `repr(memoryview)`: `<memory at 0x...>`.
pub fn memoryview_repr(value: Value) -> String {
    let released = view_of(value).is_some_and(|view| view.released.get());
    let prefix = if released {
        "released memory"
    } else {
        "memory"
    };
    format!("<{prefix} at 0x{:012x}>", value.bits() & 0xFFFF_FFFF_FFFF)
}

/// The attributes of a view (`obj`, `nbytes`, `readonly`...).
pub fn memoryview_attribute(vm: &mut Vm, value: Value, name: &str) -> Option<Value> {
    let view = view_of(value)?;
    Some(match name {
        "obj" => view.source,
        "nbytes" => vm.new_int(view.length as i64),
        "readonly" => Value::bool(!matches!(kind_of(view.source), Some(ObjKind::ByteArray(_)))),
        "itemsize" | "ndim" => Value::small_int_unchecked(1),
        "format" => vm.intern("B"),
        "shape" => {
            let length = vm.new_int(view.length as i64);
            vm.new_tuple(vec![length])
        }
        "strides" => {
            let stride = vm.new_int(view.step as i64);
            vm.new_tuple(vec![stride])
        }
        "released" => Value::bool(view.released.get()),
        "contiguous" | "c_contiguous" | "f_contiguous" => Value::bool(view.step == 1),
        _ => return None,
    })
}

/// Registers `memoryview.__new__` and the view's methods.
pub fn register(vm: &mut Vm) {
    let class = vm.types.memoryview;
    add_staticmethod(vm, class, "__new__", memoryview_new);
    add_method(vm, class, "__len__", memoryview_len);
    add_method(vm, class, "__getitem__", memoryview_getitem);
    add_method(vm, class, "__setitem__", memoryview_setitem);
    add_method(vm, class, "__iter__", memoryview_iter);
    add_method(vm, class, "tolist", memoryview_tolist);
    add_method(vm, class, "tobytes", memoryview_tobytes);
    add_method(vm, class, "hex", memoryview_hex);
    add_method(vm, class, "release", memoryview_release);
    add_method(vm, class, "__enter__", memoryview_enter);
    add_method(vm, class, "__exit__", memoryview_release);
    add_method(vm, class, "__eq__", |vm, args, _| {
        memoryview_eq(vm, args, false)
    });
    add_method(vm, class, "__ne__", |vm, args, _| {
        memoryview_eq(vm, args, true)
    });
    crate::builtins::set_class_attr(vm, class, "__hash__", Value::NONE);
}
