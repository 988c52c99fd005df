//! The objects `sys` exposes beyond plain values: the standard streams
//! (`sys.stdin`, `sys.stdout`, `sys.stderr`, instances of a small
//! `TextIOWrapper` class whose `write`/`flush`/`read`/`readline` go to the
//! host) and the named records `sys.float_info`, `sys.int_info` and
//! `sys.implementation`.
//!
//! A stream object carries a `__stream__` marker in its dict (0 stdin,
//! 1 stdout, 2 stderr) that `print` recognises to write to the host
//! directly. A named record is a tuple subclass instance whose dict maps
//! each field name to its value, so both `fi.max` and `fi[0]` work.

use crate::builtins::args::{arity, no_kwargs};
use crate::builtins::{add_method, set_class_attr};
use crate::engine::ops;
use crate::engine::{str_of, Vm};
use crate::objects::{Layout, ObjKind};
use crate::value::Value;
use crate::PyResult;

type Kwargs<'a> = &'a [(Value, Value)];

const STDIN: i64 = 0;
const STDOUT: i64 = 1;
const STDERR: i64 = 2;

/// The host stream a stream object stands for.
fn stream_number(vm: &mut Vm, args: &[Value], method: &str) -> PyResult<i64> {
    let marker = args
        .first()
        .and_then(|stream| stream.as_obj())
        .map(|obj| obj.dict())
        .and_then(|dict| ops::dict_get_str(dict, "__stream__"))
        .and_then(Value::as_small_int);
    match marker {
        Some(number) => Ok(number),
        None => vm.err_type(format!(
            "descriptor '{method}' requires a 'TextIOWrapper' object"
        )),
    }
}

fn unsupported(vm: &mut Vm, operation: &str) -> Value {
    vm.new_error(vm.types.exc.os_error, format!("not {operation}"))
}

fn stream_write(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    no_kwargs(vm, "write", kwargs)?;
    let number = stream_number(vm, args, "write")?;
    arity(vm, "write", &args[1..], 1, 1)?;
    let Some(text) = str_of(args[1]) else {
        let type_name = vm.type_name(args[1]);
        return vm.err_type(format!("write() argument must be str, not {type_name}"));
    };
    match number {
        STDOUT => vm.host.write_stdout(text),
        STDERR => vm.host.write_stderr(text),
        _ => return Err(unsupported(vm, "writable")),
    }
    Ok(vm.new_int(text.chars().count() as i64))
}

fn stream_flush(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    stream_number(vm, args, "flush")?;
    vm.host.flush();
    Ok(Value::NONE)
}

fn stream_readline(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    if stream_number(vm, args, "readline")? != STDIN {
        return Err(unsupported(vm, "readable"));
    }
    let line = vm.host.read_line().unwrap_or_default();
    Ok(vm.new_str(line))
}

fn stream_read(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    if stream_number(vm, args, "read")? != STDIN {
        return Err(unsupported(vm, "readable"));
    }
    let mut text = String::new();
    while let Some(line) = vm.host.read_line() {
        if line.is_empty() {
            break;
        }
        text.push_str(&line);
    }
    Ok(vm.new_str(text))
}

fn stream_isatty(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    stream_number(vm, args, "isatty")?;
    Ok(Value::FALSE)
}

fn stream_fileno(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let number = stream_number(vm, args, "fileno")?;
    Ok(vm.new_int(number))
}

/// An object of `class` with a fresh dict holding `entries`.
fn object_with_dict(vm: &mut Vm, class: Value, kind: ObjKind, entries: &[(&str, Value)]) -> Value {
    let object = vm.alloc(class, kind);
    let dict = vm.new_dict();
    object.as_obj().expect("object").set_dict(dict);
    for (name, value) in entries {
        let key = vm.intern(name);
        ops::dict_set_str(vm, dict, key, *value);
    }
    object
}

/// A named record: a tuple subclass instance with its fields by name.
fn named_record(vm: &mut Vm, type_name: &str, fields: &[(&str, Value)]) -> Value {
    let tuple = vm.types.tuple;
    let class = vm.make_builtin_class(type_name, tuple, Layout::Tuple);
    let module = vm.intern("sys");
    set_class_attr(vm, class, "__module__", module);
    let values: Vec<Value> = fields.iter().map(|(_, value)| *value).collect();
    object_with_dict(vm, class, ObjKind::Tuple(values.into_boxed_slice()), fields)
}

/// Adds the streams and records to the `sys` module.
pub fn install(vm: &mut Vm, module: Value) {
    let object = vm.types.object;
    let stream_class = vm.make_builtin_class("TextIOWrapper", object, Layout::Final);
    let io_module = vm.intern("_io");
    set_class_attr(vm, stream_class, "__module__", io_module);
    add_method(vm, stream_class, "write", stream_write);
    add_method(vm, stream_class, "flush", stream_flush);
    add_method(vm, stream_class, "read", stream_read);
    add_method(vm, stream_class, "readline", stream_readline);
    add_method(vm, stream_class, "isatty", stream_isatty);
    add_method(vm, stream_class, "fileno", stream_fileno);
    let dict = module.as_obj().expect("module").dict();
    for (name, number) in [("stdin", STDIN), ("stdout", STDOUT), ("stderr", STDERR)] {
        let encoding = vm.intern("utf-8");
        let stream_name = vm.new_str(format!("<{name}>"));
        let stream = object_with_dict(
            vm,
            stream_class,
            ObjKind::Object,
            &[
                ("__stream__", Value::small_int_unchecked(number)),
                ("encoding", encoding),
                ("name", stream_name),
            ],
        );
        for key in [name.to_string(), format!("__{name}__")] {
            let key = vm.intern(&key);
            ops::dict_set_str(vm, dict, key, stream);
        }
    }

    let float_info = named_record(
        vm,
        "float_info",
        &[
            ("max", Value::float(f64::MAX)),
            ("max_exp", Value::small_int_unchecked(1024)),
            ("max_10_exp", Value::small_int_unchecked(308)),
            ("min", Value::float(f64::MIN_POSITIVE)),
            ("min_exp", Value::small_int_unchecked(-1021)),
            ("min_10_exp", Value::small_int_unchecked(-307)),
            ("dig", Value::small_int_unchecked(15)),
            ("mant_dig", Value::small_int_unchecked(53)),
            ("epsilon", Value::float(f64::EPSILON)),
            ("radix", Value::small_int_unchecked(2)),
            ("rounds", Value::small_int_unchecked(1)),
        ],
    );
    let int_info = named_record(
        vm,
        "int_info",
        &[
            ("bits_per_digit", Value::small_int_unchecked(30)),
            ("sizeof_digit", Value::small_int_unchecked(4)),
            ("default_max_str_digits", Value::small_int_unchecked(4300)),
            (
                "str_digits_check_threshold",
                Value::small_int_unchecked(640),
            ),
        ],
    );
    let implementation_name = vm.intern("protopython");
    let cache_tag = Value::NONE;
    let version = vm.new_tuple(vec![
        Value::small_int_unchecked(3),
        Value::small_int_unchecked(11),
        Value::small_int_unchecked(0),
    ]);
    let namespace_class = vm.make_builtin_class("SimpleNamespace", object, Layout::Final);
    let implementation = object_with_dict(
        vm,
        namespace_class,
        ObjKind::Object,
        &[
            ("name", implementation_name),
            ("cache_tag", cache_tag),
            ("version", version),
        ],
    );
    for (name, value) in [
        ("float_info", float_info),
        ("int_info", int_info),
        ("implementation", implementation),
    ] {
        let key = vm.intern(name);
        ops::dict_set_str(vm, dict, key, value);
    }
}
