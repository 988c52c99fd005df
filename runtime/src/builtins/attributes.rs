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
        // Instances of user classes reach their dict through the class's
        // `__dict__` descriptor (absent when `__slots__` rules it out).
        (_, "__dict__")
            if !obj.as_obj().map_or(Value::NULL, |o| o.dict()).is_null()
                && (type_obj(obj).is_some() || vm.is_builtin_class(vm.type_of(obj))) =>
        {
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
        (ObjKind::Function(_), "__dict__") => {
            let dict = vm.new_dict();
            obj.as_obj().expect("function").set_dict(dict);
            Some(dict)
        }
        (ObjKind::Function(function), "__name__") => Some(function.name.get()),
        (ObjKind::Function(function), "__qualname__") => Some(function.qualname.get()),
        (ObjKind::Function(function), "__doc__") => Some(or_none(function.doc.get())),
        (ObjKind::Function(function), "__module__") => Some(or_none(function.module.get())),
        (ObjKind::Function(function), "__defaults__") => {
            let defaults = function.defaults.load_published();
            Some(if defaults.is_null() {
                Value::NONE
            } else {
                defaults
            })
        }
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
                crate::heap::share::reshare(obj);
            }
            Some(function.annotations.get())
        }
        (ObjKind::Function(function), "__kwdefaults__") => {
            if function.kw_defaults.load_published().is_null() {
                Some(Value::NONE)
            } else {
                let dict = vm.new_dict();
                for (key, value) in function.kw_defaults() {
                    crate::engine::ops::dict_set_str(vm, dict, key, value);
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
        (ObjKind::Code(code), "co_kwonlyargcount") => {
            Some(Value::small_int_unchecked(code.kwonly_count as i64))
        }
        (ObjKind::Code(code), "co_posonlyargcount") => {
            Some(Value::small_int_unchecked(code.posonly_count as i64))
        }
        (ObjKind::Code(code), "co_nlocals") => {
            Some(Value::small_int_unchecked(code.varnames.len() as i64))
        }
        (ObjKind::Code(code), "co_freevars") => Some(vm.new_tuple(code.freevars.clone())),
        (ObjKind::Code(code), "co_cellvars") => Some(vm.new_tuple(code.cellvars.clone())),
        (ObjKind::Code(code), "co_names") => Some(vm.new_tuple(code.names.clone())),
        (ObjKind::Code(code), "co_consts") => Some(vm.new_tuple(code.consts.clone())),
        (ObjKind::Code(code), "co_qualname") => Some(code.qualname),
        (ObjKind::Code(code), "co_flags") => {
            // CPython's bits: OPTIMIZED | NEWLOCALS for function code,
            // VARARGS, VARKEYWORDS, NESTED, GENERATOR as stored, NOFREE.
            use crate::bytecode::code::code_flags;
            let mut flags = (code.flags & 0x3c) as i64;
            if !code.has_flag(code_flags::NAMESPACE) {
                flags |= 0x3;
            }
            if code.freevars.is_empty() && code.cellvars.is_empty() {
                flags |= 0x40;
            }
            Some(Value::small_int_unchecked(flags))
        }
        (ObjKind::Module { name, .. }, "__name__") => Some(*name),
        (ObjKind::Exception(data), "args") => Some(data.args.get()),
        (ObjKind::Exception(data), "__cause__") => Some(or_none(data.cause.get())),
        (ObjKind::Exception(data), "__context__") => Some(or_none(data.context.get())),
        (ObjKind::Exception(data), "__suppress_context__") => {
            Some(Value::bool(data.suppress_context.get()))
        }
        (ObjKind::Exception(_), "__traceback__") => {
            Some(crate::builtins::exceptions::traceback_object(vm, obj))
        }
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
        (ObjKind::BigRange(parts), "start") => Some(vm.new_bigint(parts.start.clone())),
        (ObjKind::BigRange(parts), "stop") => Some(vm.new_bigint(parts.stop.clone())),
        (ObjKind::BigRange(parts), "step") => Some(vm.new_bigint(parts.step.clone())),
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
        (ObjKind::Tuple(_), "__args__") if vm.type_of(obj) == vm.types.union_type => {
            crate::builtins::union_type::union_args(vm, obj)
        }
        (ObjKind::MemoryView(_), _) => {
            crate::builtins::memoryview::memoryview_attribute(vm, obj, name_text)
        }
        (ObjKind::Complex { real, .. }, "real") => Some(Value::float(*real)),
        (ObjKind::Complex { imag, .. }, "imag") => Some(Value::float(*imag)),
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
