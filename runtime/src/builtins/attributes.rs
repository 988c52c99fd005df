//! Attributes that built-in objects expose without a dict entry:
//! `__class__`, `__dict__`, `__name__`/`__qualname__`/`__doc__` of
//! functions and classes, `__mro__`/`__bases__`, exception `args` and
//! chaining attributes, slice and range fields, bound-method parts.

use crate::engine::ops::kind_of;
use crate::engine::{str_of, type_obj, Vm};
use crate::objects::ObjKind;
use crate::value::Value;
use crate::PyResult;

fn or_none(value: Value) -> Value {
    if value.is_null() {
        Value::NONE
    } else {
        value
    }
}

/// The special attribute `name` of `obj`, if it has one.
pub fn special_attribute(vm: &mut Vm, obj: Value, name: Value) -> PyResult<Option<Value>> {
    let Some(name_text) = str_of(name) else {
        return Ok(None);
    };
    if name_text == "__class__" {
        return Ok(Some(vm.type_of(obj)));
    }
    let Some(kind) = kind_of(obj) else {
        return Ok(number_attribute(vm, obj, name_text));
    };
    let value = match (kind, name_text) {
        (_, "__dict__") if !obj.as_obj().map_or(Value::NULL, |o| o.dict()).is_null() => {
            obj.as_obj().map(|o| o.dict())
        }
        (ObjKind::Type(class), "__name__") => Some(vm.intern(&class.name.clone())),
        (ObjKind::Type(class), "__qualname__") => {
            let text = class.qualname.borrow().clone();
            Some(vm.intern(&text))
        }
        (ObjKind::Type(class), "__mro__") => {
            let mro = class.mro.borrow().clone();
            Some(vm.new_tuple(mro))
        }
        (ObjKind::Type(class), "__bases__") => {
            let bases = class.bases.borrow().clone();
            Some(vm.new_tuple(bases))
        }
        (ObjKind::Type(class), "__base__") => {
            Some(class.bases.borrow().first().copied().unwrap_or(Value::NONE))
        }
        (ObjKind::Type(_), "__doc__") => Some(Value::NONE),
        (ObjKind::Type(_), "__module__") => Some(vm.intern("builtins")),
        (ObjKind::Function(function), "__name__") => Some(function.name.get()),
        (ObjKind::Function(function), "__qualname__") => Some(function.qualname.get()),
        (ObjKind::Function(function), "__doc__") => Some(or_none(function.doc.get())),
        (ObjKind::Function(function), "__module__") => Some(or_none(function.module.get())),
        (ObjKind::Function(function), "__defaults__") => Some(if function.defaults.is_empty() {
            Value::NONE
        } else {
            vm.new_tuple(function.defaults.to_vec())
        }),
        (ObjKind::Function(function), "__globals__") => Some(function.globals),
        (ObjKind::Function(function), "__code__") => Some(vm.code_value(function.code)),
        (ObjKind::Function(function), "__closure__") => Some(if function.closure.is_empty() {
            Value::NONE
        } else {
            vm.new_tuple(function.closure.to_vec())
        }),
        (ObjKind::Function(function), "__annotations__") => {
            if function.annotations.get().is_null() {
                let dict = vm.new_dict();
                function.annotations.set(dict);
            }
            Some(function.annotations.get())
        }
        (ObjKind::Function(function), "__kwdefaults__") => {
            if function.kw_defaults.is_empty() {
                Some(Value::NONE)
            } else {
                let dict = vm.new_dict();
                for (key, value) in function.kw_defaults.iter() {
                    crate::engine::ops::dict_set_str(vm, dict, *key, *value);
                }
                Some(dict)
            }
        }
        (ObjKind::NativeFunction(native), "__name__") => Some(vm.intern(native.name)),
        (ObjKind::NativeFunction(native), "__qualname__") => {
            let text = if native.owner.is_null() {
                native.name.to_string()
            } else {
                format!(
                    "{}.{}",
                    crate::engine::class_name(native.owner),
                    native.name
                )
            };
            Some(vm.intern(&text))
        }
        (ObjKind::NativeFunction(_), "__doc__") => Some(Value::NONE),
        (ObjKind::NativeFunction(_), "__module__") => Some(vm.intern("builtins")),
        (ObjKind::BoundMethod { function, .. }, "__func__") => Some(*function),
        (ObjKind::BoundMethod { receiver, .. }, "__self__") => Some(*receiver),
        (
            ObjKind::BoundMethod { function, .. },
            "__name__" | "__qualname__" | "__doc__" | "__module__",
        ) => return crate::engine::ops::getattr(vm, *function, name).map(Some),
        (ObjKind::Code(code), "co_name") => Some(code.name),
        (ObjKind::Code(code), "co_filename") => Some(code.filename),
        (ObjKind::Code(code), "co_argcount") => {
            Some(Value::small_int_unchecked(code.arg_count as i64))
        }
        (ObjKind::Code(code), "co_varnames") => Some(vm.new_tuple(code.varnames.clone())),
        (ObjKind::Code(code), "co_firstlineno") => {
            Some(Value::small_int_unchecked(code.first_line as i64))
        }
        (ObjKind::Module { name }, "__name__") => Some(*name),
        (ObjKind::Exception(data), "args") => Some(data.args.get()),
        (ObjKind::Exception(data), "__cause__") => Some(or_none(data.cause.get())),
        (ObjKind::Exception(data), "__context__") => Some(or_none(data.context.get())),
        (ObjKind::Exception(data), "__suppress_context__") => {
            Some(Value::bool(data.suppress_context.get()))
        }
        (ObjKind::Exception(_), "__traceback__") => Some(Value::NONE),
        (ObjKind::Exception(data), "__notes__") if !data.notes.get().is_null() => {
            Some(data.notes.get())
        }
        (ObjKind::Exception(data), "value") if vm.is_instance(obj, vm.types.exc.stop_iteration) => {
            Some(
                crate::engine::tuple_items(data.args.get())
                    .and_then(|items| items.first().copied())
                    .unwrap_or(Value::NONE),
            )
        }
        (ObjKind::Exception(data), "code") if vm.is_instance(obj, vm.types.exc.system_exit) => {
            Some(
                crate::engine::tuple_items(data.args.get())
                    .and_then(|items| {
                        if items.len() == 1 {
                            Some(items[0])
                        } else {
                            None
                        }
                    })
                    .unwrap_or(Value::NONE),
            )
        }
        (ObjKind::Exception(data), "msg") => Some(
            crate::engine::tuple_items(data.args.get())
                .and_then(|items| items.first().copied())
                .unwrap_or(Value::NONE),
        ),
        (ObjKind::Exception(data), "errno") => Some(
            crate::engine::tuple_items(data.args.get())
                .and_then(|items| {
                    if items.len() >= 2 {
                        Some(items[0])
                    } else {
                        None
                    }
                })
                .unwrap_or(Value::NONE),
        ),
        (ObjKind::Exception(data), "strerror") => Some(
            crate::engine::tuple_items(data.args.get())
                .and_then(|items| {
                    if items.len() >= 2 {
                        Some(items[1])
                    } else {
                        None
                    }
                })
                .unwrap_or(Value::NONE),
        ),
        (ObjKind::Exception(data), "name") if vm.is_instance(obj, vm.types.exc.import_error) => {
            Some(
                crate::engine::tuple_items(data.args.get())
                    .and_then(|items| items.first().copied())
                    .unwrap_or(Value::NONE),
            )
        }
        (ObjKind::Slice { start, .. }, "start") => Some(*start),
        (ObjKind::Slice { stop, .. }, "stop") => Some(*stop),
        (ObjKind::Slice { step, .. }, "step") => Some(*step),
        (ObjKind::Range { start, .. }, "start") => Some(vm.new_int(*start)),
        (ObjKind::Range { stop, .. }, "stop") => Some(vm.new_int(*stop)),
        (ObjKind::Range { step, .. }, "step") => Some(vm.new_int(*step)),
        (ObjKind::Property { getter, .. }, "fget") => Some(or_none(*getter)),
        (ObjKind::Property { setter, .. }, "fset") => Some(or_none(*setter)),
        (ObjKind::Property { deleter, .. }, "fdel") => Some(or_none(*deleter)),
        (ObjKind::Property { doc, getter, .. }, "__doc__") => {
            if !doc.is_null() && !doc.is_none() {
                Some(*doc)
            } else if let Some(ObjKind::Function(function)) = kind_of(*getter) {
                Some(or_none(function.doc.get()))
            } else {
                Some(Value::NONE)
            }
        }
        (ObjKind::StaticMethod(inner) | ObjKind::ClassMethod(inner), "__func__") => Some(*inner),
        (ObjKind::Generator(generator), "__name__") => Some(generator.borrow().name),
        (ObjKind::Generator(generator), "__qualname__") => Some(generator.borrow().qualname),
        (ObjKind::Cell(cell), "cell_contents") => {
            let contents = cell.get();
            if contents.is_null() {
                return Err(vm.value_error("Cell is empty"));
            }
            Some(contents)
        }
        (ObjKind::Int(_), _) => number_attribute(vm, obj, name_text),
        (ObjKind::Float(_), _) => number_attribute(vm, obj, name_text),
        _ => None,
    };
    let _ = type_obj;
    Ok(value)
}

fn number_attribute(vm: &mut Vm, obj: Value, name: &str) -> Option<Value> {
    let is_int =
        obj.is_small_int() || obj.is_bool() || matches!(kind_of(obj), Some(ObjKind::Int(_)));
    let is_float = obj.is_float() || matches!(kind_of(obj), Some(ObjKind::Float(_)));
    if is_int {
        let as_int = crate::builtins::args::int_value(obj).map(|n| vm.new_bigint(n))?;
        return match name {
            "real" | "numerator" => Some(as_int),
            "imag" => Some(Value::small_int_unchecked(0)),
            "denominator" => Some(Value::small_int_unchecked(1)),
            _ => None,
        };
    }
    if is_float {
        let x = obj.as_float().or(match kind_of(obj) {
            Some(ObjKind::Float(x)) => Some(*x),
            _ => None,
        })?;
        return match name {
            "real" => Some(Value::float(x)),
            "imag" => Some(Value::float(0.0)),
            _ => None,
        };
    }
    None
}
