//! `repr()` of the built-in types: numbers, strings, containers (with
//! `[...]` for recursion), classes, functions, modules and exceptions.

use crate::engine::ops::{self, kind_of};
use crate::engine::{class_name, exc_data, str_of, tuple_items, Vm};
use crate::objects::ObjKind;
use crate::value::Value;
use crate::PyResult;
use std::sync::atomic::Ordering::Relaxed;

/// The repr of immediates and strings, which never runs Python code.
pub fn quick_repr(vm: &Vm, value: Value) -> Option<String> {
    if let Some(n) = value.as_small_int() {
        return Some(n.to_string());
    }
    if let Some(x) = value.as_float() {
        return Some(crate::text::format_spec::float_repr(x));
    }
    match value {
        Value::NONE => return Some("None".into()),
        Value::TRUE => return Some("True".into()),
        Value::FALSE => return Some("False".into()),
        Value::ELLIPSIS => return Some("Ellipsis".into()),
        Value::NOT_IMPLEMENTED => return Some("NotImplemented".into()),
        _ => {}
    }
    if vm.type_of(value) == vm.types.str {
        return str_of(value).map(ops::str_repr);
    }
    None
}

fn address(value: Value) -> String {
    format!("0x{:012x}", value.bits() & 0xFFFF_FFFF_FFFF)
}

/// The repr a built-in layout gives (user `__repr__` already ruled out).
pub fn builtin_repr(vm: &mut Vm, value: Value) -> PyResult<String> {
    if let Some(text) = quick_repr(vm, value) {
        return Ok(text);
    }
    let class = vm.type_of(value);
    let Some(kind) = kind_of(value) else {
        return Ok(format!("<{} object>", class_name(class)));
    };
    match kind {
        ObjKind::Str(s) => Ok(ops::str_repr(s.as_str())),
        ObjKind::Int(_) => Ok(crate::builtins::numbers::int_repr(value).unwrap_or_default()),
        ObjKind::Float(x) => Ok(crate::text::format_spec::float_repr(*x)),
        ObjKind::Complex { real, imag } => Ok(crate::builtins::complex::complex_repr(
            crate::builtins::complex::Complex::new(*real, *imag),
        )),
        ObjKind::List(items) => {
            let items = items.borrow().to_vec();
            container_repr(vm, value, "[", "]", &items, false)
        }
        ObjKind::Tuple(_) if class == vm.types.union_type => {
            crate::builtins::union_type::union_repr(vm, value)
        }
        ObjKind::Tuple(items) => {
            let items = items.to_vec();
            container_repr(vm, value, "(", ")", &items, items.len() == 1)
        }
        ObjKind::Dict(table) => {
            if vm.repr_stack.contains(&value) {
                return Ok("{...}".into());
            }
            let items = table.borrow().items();
            vm.repr_stack.push(value);
            let mut parts = Vec::with_capacity(items.len());
            for (key, item) in items {
                let key_text = ops::repr_string(vm, key);
                let item_text = ops::repr_string(vm, item);
                match (key_text, item_text) {
                    (Ok(k), Ok(v)) => parts.push(format!("{k}: {v}")),
                    (Err(error), _) | (_, Err(error)) => {
                        vm.repr_stack.pop();
                        return Err(error);
                    }
                }
            }
            vm.repr_stack.pop();
            Ok(format!("{{{}}}", parts.join(", ")))
        }
        ObjKind::Set(table) => {
            let items = table.borrow().keys();
            let frozen = vm.is_subclass(class, vm.types.frozenset);
            let name = class_name(class);
            if items.is_empty() {
                return Ok(format!("{name}()"));
            }
            let inner = container_repr(vm, value, "{", "}", &items, false)?;
            if frozen || name != "set" {
                Ok(format!("{name}({inner})"))
            } else {
                Ok(inner)
            }
        }
        ObjKind::Bytes(bytes) => Ok(bytes_repr(bytes)),
        ObjKind::ByteArray(bytes) => Ok(format!("bytearray({})", bytes_repr(&bytes.borrow()))),
        ObjKind::Type(payload) => {
            let module = ops::lookup_class_attr(value, "__module__")
                .and_then(|m| str_of(m).map(str::to_string));
            match module {
                Some(module) if module != "builtins" && !payload.builtin => Ok(format!(
                    "<class '{}.{}'>",
                    module,
                    payload.qualname.borrow()
                )),
                _ => Ok(format!("<class '{}'>", payload.name)),
            }
        }
        ObjKind::Function(function) => Ok(format!(
            "<function {} at {}>",
            vm.str_text(function.qualname.get()),
            address(value)
        )),
        ObjKind::NativeFunction(native) => {
            if native.owner.is_null() {
                Ok(format!("<built-in function {}>", native.name))
            } else {
                Ok(format!(
                    "<method '{}' of '{}' objects>",
                    native.name,
                    class_name(native.owner)
                ))
            }
        }
        ObjKind::BoundMethod { function, receiver } => {
            let name = match kind_of(*function) {
                Some(ObjKind::Function(f)) => vm.str_text(f.qualname.get()),
                Some(ObjKind::NativeFunction(n)) => {
                    if let Some(ObjKind::NativeFunction(_)) = kind_of(*function) {
                        let receiver_type = vm.type_name(*receiver);
                        return Ok(format!(
                            "<built-in method {} of {} object at {}>",
                            n.name,
                            receiver_type,
                            address(*receiver)
                        ));
                    }
                    n.name.to_string()
                }
                _ => "?".into(),
            };
            let receiver_text = ops::repr_string(vm, *receiver)?;
            Ok(format!("<bound method {name} of {receiver_text}>"))
        }
        ObjKind::Module { name, .. } => {
            let name = vm.str_text(*name);
            Ok(format!("<module '{name}' (built-in)>"))
        }
        ObjKind::Range { .. } | ObjKind::BigRange(_) => {
            Ok(crate::builtins::ranges::range_repr(value))
        }
        ObjKind::Slice { start, stop, step } => {
            let (a, b, c) = (
                ops::repr_string(vm, *start)?,
                ops::repr_string(vm, *stop)?,
                ops::repr_string(vm, *step)?,
            );
            Ok(format!("slice({a}, {b}, {c})"))
        }
        ObjKind::Exception(data) => {
            let name = class_name(class);
            let args = tuple_items(data.args.get()).unwrap_or(&[]).to_vec();
            if args.len() == 1 {
                let inner = ops::repr_string(vm, args[0])?;
                Ok(format!("{name}({inner})"))
            } else {
                let inner = container_repr(vm, data.args.get(), "(", ")", &args, false)?;
                Ok(format!("{name}{inner}"))
            }
        }
        ObjKind::Generator(generator) => {
            let name = vm.str_text(generator.borrow().qualname);
            Ok(format!("<generator object {name} at {}>", address(value)))
        }
        ObjKind::Cell(_) => Ok(format!("<cell at {}>", address(value))),
        ObjKind::Code(code) => Ok(format!(
            "<code object {} at {}>",
            vm.str_text(code.name),
            address(value)
        )),
        ObjKind::Property { .. } => Ok(format!("<property object at {}>", address(value))),
        ObjKind::Lock(lock) => {
            let state = if lock.locked.get() {
                "locked"
            } else {
                "unlocked"
            };
            Ok(format!(
                "<{state} _thread.lock object at {}>",
                address(value)
            ))
        }
        ObjKind::RLock(rlock) => {
            let state = if rlock.lock.locked.get() {
                "locked"
            } else {
                "unlocked"
            };
            let owner = match rlock.owner.load(Relaxed) {
                crate::objects::lock::NO_OWNER => 0,
                owner => owner,
            };
            let depth = rlock.depth.load(Relaxed);
            Ok(format!(
                "<{state} _thread.RLock object owner={owner} count={depth} at {}>",
                address(value)
            ))
        }
        ObjKind::DictView { .. } => crate::builtins::dict_views::view_repr(vm, value),
        ObjKind::MemoryView(_) => Ok(crate::builtins::memoryview::memoryview_repr(value)),
        _ => {
            let _ = exc_data(value);
            let module = ops::lookup_class_attr(class, "__module__")
                .and_then(|m| str_of(m).map(str::to_string));
            let qualname = crate::engine::type_obj(class)
                .map(|c| c.qualname.borrow().clone())
                .unwrap_or_default();
            match module {
                Some(module) if module != "builtins" => Ok(format!(
                    "<{module}.{qualname} object at {}>",
                    address(value)
                )),
                _ => Ok(format!(
                    "<{} object at {}>",
                    class_name(class),
                    address(value)
                )),
            }
        }
    }
}

fn container_repr(
    vm: &mut Vm,
    container: Value,
    open: &str,
    close: &str,
    items: &[Value],
    trailing_comma: bool,
) -> PyResult<String> {
    if vm.repr_stack.contains(&container) {
        return Ok(format!("{open}...{close}"));
    }
    vm.repr_stack.push(container);
    let mut parts = Vec::with_capacity(items.len());
    for item in items {
        match ops::repr_string(vm, *item) {
            Ok(text) => parts.push(text),
            Err(error) => {
                vm.repr_stack.pop();
                return Err(error);
            }
        }
    }
    vm.repr_stack.pop();
    let comma = if trailing_comma { "," } else { "" };
    Ok(format!("{open}{}{comma}{close}", parts.join(", ")))
}

/// `b'...'` with CPython's escapes.
pub fn bytes_repr(bytes: &[u8]) -> String {
    let quote = if bytes.contains(&b'\'') && !bytes.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::from("b");
    out.push(quote);
    for byte in bytes {
        match *byte {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            byte if byte as char == quote => {
                out.push('\\');
                out.push(quote);
            }
            0x20..=0x7e => out.push(*byte as char),
            byte => out.push_str(&format!("\\x{byte:02x}")),
        }
    }
    out.push(quote);
    out
}

/// `ascii()`: escapes every non-ASCII character of a repr.
pub fn escape_non_ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let code = c as u32;
        if code < 0x80 {
            out.push(c);
        } else if code <= 0xff {
            out.push_str(&format!("\\x{code:02x}"));
        } else if code <= 0xffff {
            out.push_str(&format!("\\u{code:04x}"));
        } else {
            out.push_str(&format!("\\U{code:08x}"));
        }
    }
    out
}
