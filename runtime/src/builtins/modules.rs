//! The built-in modules written in Rust (`sys`, `math`, `time`) and the
//! import search path.

use crate::builtins::args::{arity, to_f64};
use crate::builtins::{native_function, new_module};
use crate::engine::ops;
use crate::engine::Vm;
use crate::objects::{NativeFn, ObjKind};
use crate::value::Value;
use crate::PyResult;

/// Creates built-in module `name`, if there is one.
pub fn builtin_module(vm: &mut Vm, name: &str) -> PyResult<Option<Value>> {
    let module = match name {
        "sys" => make_sys(vm),
        "math" => make_math(vm),
        "time" => make_time(vm),
        "builtins" => {
            let module = new_module(vm, "builtins");
            module.as_obj().expect("module").set_dict(vm.builtins);
            module
        }
        _ => return python_module(vm, name),
    };
    Ok(Some(module))
}

/// Standard-library modules written in Python (in `runtime/src/stdlib/`),
/// compiled into the binary.
pub const PYTHON_MODULES: &[(&str, &str)] = crate::stdlib::SOURCES;

/// Loads an embedded Python-source module into `sys.modules`.
fn python_module(vm: &mut Vm, name: &str) -> PyResult<Option<Value>> {
    let Some((_, source)) = PYTHON_MODULES.iter().find(|(module, _)| *module == name) else {
        return Ok(None);
    };
    let module = new_module(vm, name);
    let dict = module.as_obj().expect("module").dict();
    let key = vm.new_str(name);
    let modules = vm.modules;
    ops::dict_set(vm, modules, key, module)?;
    let filename = format!("<frozen {name}>");
    if let Err(error) = crate::engine::run_source_in(vm, source, &filename, dict) {
        let _ = ops::dict_del(vm, modules, key);
        return Err(error);
    }
    Ok(Some(module))
}

fn set(vm: &mut Vm, module: Value, name: &str, value: Value) {
    let key = vm.intern(name);
    let dict = module.as_obj().expect("module").dict();
    ops::dict_set_str(vm, dict, key, value);
}

fn function(vm: &mut Vm, module: Value, name: &'static str, body: NativeFn) {
    let value = native_function(vm, name, body, Value::NULL);
    set(vm, module, name, value);
}

/// The `sys` module, created once and kept in `sys.modules`.
fn make_sys(vm: &mut Vm) -> Value {
    let module = new_module(vm, "sys");
    let argv = vm.new_list(vec![]);
    set(vm, module, "argv", argv);
    let path = vm.new_list(vec![]);
    set(vm, module, "path", path);
    let modules = vm.modules;
    set(vm, module, "modules", modules);
    let maxsize = vm.new_int(i64::MAX);
    set(vm, module, "maxsize", maxsize);
    let platform = vm.new_str("linux");
    set(vm, module, "platform", platform);
    let version = vm.new_str("3.11.0 (protoPython)");
    set(vm, module, "version", version);
    let version_info = vm.new_tuple(vec![
        Value::small_int_unchecked(3),
        Value::small_int_unchecked(11),
        Value::small_int_unchecked(0),
    ]);
    set(vm, module, "version_info", version_info);
    let byteorder = vm.new_str("little");
    set(vm, module, "byteorder", byteorder);
    for (index, stream) in ["stdout", "stderr"].into_iter().enumerate() {
        let class = vm.types.object;
        let object = vm.alloc(class, ObjKind::Object);
        let marker = Value::small_int_unchecked(index as i64 + 1);
        let dict = vm.new_dict();
        object.as_obj().expect("stream").set_dict(dict);
        let key = vm.intern("__stream__");
        ops::dict_set_str(vm, dict, key, marker);
        set(vm, module, stream, object);
        set(vm, module, &format!("__{stream}__"), object);
    }
    function(vm, module, "exit", sys_exit);
    function(vm, module, "getrecursionlimit", |vm, _, _| {
        Ok(vm.new_int(vm.recursion_limit as i64))
    });
    function(vm, module, "setrecursionlimit", |vm, args, _| {
        arity(vm, "setrecursionlimit", args, 1, 1)?;
        let limit = crate::builtins::args::to_i64(vm, args[0])?;
        if limit < 1 {
            return vm.err_value("recursion limit must be greater or equal than 1");
        }
        vm.recursion_limit = limit as usize;
        Ok(Value::NONE)
    });
    function(vm, module, "exc_info", |vm, _, _| {
        let exception = vm.handled_exception;
        if exception.is_null() {
            return Ok(vm.new_tuple(vec![Value::NONE, Value::NONE, Value::NONE]));
        }
        let class = vm.type_of(exception);
        Ok(vm.new_tuple(vec![class, exception, Value::NONE]))
    });
    function(vm, module, "exception", |vm, _, _| {
        Ok(if vm.handled_exception.is_null() {
            Value::NONE
        } else {
            vm.handled_exception
        })
    });
    function(vm, module, "getsizeof", |vm, args, _| {
        Ok(vm.new_int(std::mem::size_of::<crate::heap::Obj>() as i64 + args.len() as i64))
    });
    function(vm, module, "intern", |_, args, _| Ok(args[0]));
    module
}

fn sys_exit(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let class = vm.types.exc.system_exit;
    Err(vm.new_exception(class, args.to_vec()))
}

fn sys_module(vm: &mut Vm) -> Value {
    let key = vm.intern("sys");
    let modules = vm.modules;
    ops::dict_get_name(modules, key).unwrap_or(Value::NULL)
}

/// `sys.stdout` / `sys.stderr` as currently bound (NULL if sys is not loaded).
pub fn sys_stream(vm: &mut Vm, name: &str) -> Value {
    let sys = sys_module(vm);
    if sys.is_null() {
        return Value::NULL;
    }
    let dict = sys.as_obj().map(|o| o.dict()).unwrap_or(Value::NULL);
    ops::dict_get_str(dict, name).unwrap_or(Value::NULL)
}

/// 1 for the real stdout object, 2 for stderr, None otherwise.
pub fn is_standard_stream(vm: &mut Vm, value: Value) -> Option<i64> {
    let _ = vm;
    let dict = value.as_obj()?.dict();
    ops::dict_get_str(dict, "__stream__")?.as_small_int()
}

/// `sys.path` as strings (the script's folder first).
pub fn search_path(vm: &mut Vm) -> Vec<String> {
    let sys = sys_module(vm);
    let dict = sys.as_obj().map(|o| o.dict()).unwrap_or(Value::NULL);
    let Some(path) = ops::dict_get_str(dict, "path") else {
        return vec![String::new()];
    };
    let items = ops::list_of(path)
        .map(|items| items.borrow().clone())
        .unwrap_or_default();
    items.iter().map(|item| vm.str_text(*item)).collect()
}

fn make_math(vm: &mut Vm) -> Value {
    let module = new_module(vm, "math");
    set(vm, module, "pi", Value::float(std::f64::consts::PI));
    set(vm, module, "e", Value::float(std::f64::consts::E));
    set(vm, module, "tau", Value::float(std::f64::consts::TAU));
    set(vm, module, "inf", Value::float(f64::INFINITY));
    set(vm, module, "nan", Value::float(f64::NAN));
    function(vm, module, "sqrt", |vm, args, _| {
        arity(vm, "sqrt", args, 1, 1)?;
        let x = to_f64(vm, args[0])?;
        if x < 0.0 {
            return vm.err_value("math domain error");
        }
        Ok(Value::float(x.sqrt()))
    });
    macro_rules! unary {
        ($name:literal, $f:expr) => {
            function(vm, module, $name, |vm, args, _| {
                arity(vm, $name, args, 1, 1)?;
                let x = to_f64(vm, args[0])?;
                let f: fn(f64) -> f64 = $f;
                let result = f(x);
                if result.is_nan() && !x.is_nan() {
                    return vm.err_value("math domain error");
                }
                Ok(Value::float(result))
            });
        };
    }
    unary!("sin", f64::sin);
    unary!("cos", f64::cos);
    unary!("tan", f64::tan);
    unary!("asin", f64::asin);
    unary!("acos", f64::acos);
    unary!("atan", f64::atan);
    unary!("exp", f64::exp);
    unary!("fabs", f64::abs);
    unary!("log10", f64::log10);
    unary!("log2", f64::log2);
    function(vm, module, "log", |vm, args, _| {
        arity(vm, "log", args, 1, 2)?;
        let x = to_f64(vm, args[0])?;
        if x <= 0.0 {
            return vm.err_value("math domain error");
        }
        match args.get(1) {
            Some(base) => {
                let base = to_f64(vm, *base)?;
                Ok(Value::float(x.ln() / base.ln()))
            }
            None => Ok(Value::float(x.ln())),
        }
    });
    function(vm, module, "floor", |vm, args, _| {
        arity(vm, "floor", args, 1, 1)?;
        if let Some(result) = ops::call_special(vm, args[0], "__floor__", &[])? {
            return Ok(result);
        }
        let x = to_f64(vm, args[0])?;
        let n = crate::numeric::float_to_bigint(x.floor()).map_err(|m| vm.overflow_error(m))?;
        Ok(vm.new_bigint(n))
    });
    function(vm, module, "ceil", |vm, args, _| {
        arity(vm, "ceil", args, 1, 1)?;
        if let Some(result) = ops::call_special(vm, args[0], "__ceil__", &[])? {
            return Ok(result);
        }
        let x = to_f64(vm, args[0])?;
        let n = crate::numeric::float_to_bigint(x.ceil()).map_err(|m| vm.overflow_error(m))?;
        Ok(vm.new_bigint(n))
    });
    function(vm, module, "isnan", |vm, args, _| {
        Ok(Value::bool(to_f64(vm, args[0])?.is_nan()))
    });
    function(vm, module, "isinf", |vm, args, _| {
        Ok(Value::bool(to_f64(vm, args[0])?.is_infinite()))
    });
    function(vm, module, "isfinite", |vm, args, _| {
        Ok(Value::bool(to_f64(vm, args[0])?.is_finite()))
    });
    function(vm, module, "pow", |vm, args, _| {
        arity(vm, "pow", args, 2, 2)?;
        let (x, y) = (to_f64(vm, args[0])?, to_f64(vm, args[1])?);
        Ok(Value::float(x.powf(y)))
    });
    function(vm, module, "atan2", |vm, args, _| {
        arity(vm, "atan2", args, 2, 2)?;
        let (y, x) = (to_f64(vm, args[0])?, to_f64(vm, args[1])?);
        Ok(Value::float(y.atan2(x)))
    });
    function(vm, module, "hypot", |vm, args, _| {
        let mut total = 0.0f64;
        for arg in args {
            let x = to_f64(vm, *arg)?;
            total = total.hypot(x);
        }
        Ok(Value::float(total))
    });
    module
}

fn make_time(vm: &mut Vm) -> Value {
    let module = new_module(vm, "time");
    function(vm, module, "time", |vm, _, _| {
        Ok(Value::float(vm.host.time()))
    });
    function(vm, module, "perf_counter", |vm, _, _| {
        Ok(Value::float(vm.host.monotonic()))
    });
    function(vm, module, "monotonic", |vm, _, _| {
        Ok(Value::float(vm.host.monotonic()))
    });
    function(vm, module, "sleep", |vm, args, _| {
        arity(vm, "sleep", args, 1, 1)?;
        let seconds = to_f64(vm, args[0])?;
        if seconds < 0.0 {
            return vm.err_value("sleep length must be non-negative");
        }
        vm.host.sleep(seconds);
        Ok(Value::NONE)
    });
    module
}
