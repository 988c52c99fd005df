//! The built-in modules written in Rust (`sys` here; `math`, `time`...
//! in their own files) and the import search path.

use crate::builtins::args::arity;
use crate::builtins::{native_function, new_module};
use crate::engine::ops;
use crate::engine::Vm;
use crate::objects::NativeFn;
use crate::value::Value;
use crate::PyResult;

/// Creates built-in module `name`, if there is one.
pub fn builtin_module(vm: &mut Vm, name: &str) -> PyResult<Option<Value>> {
    let module = match name {
        "sys" => make_sys(vm),
        "math" => crate::builtins::math_module::make(vm),
        "struct" => crate::builtins::struct_module::make(vm),
        "binascii" => crate::builtins::binascii_module::make(vm),
        "hashlib" => crate::builtins::hashlib_module::make(vm),
        "time" => crate::builtins::time_module::make(vm)?,
        "unicodedata" => crate::builtins::unicodedata_module::make(vm),
        "_thread" => crate::builtins::thread_module::make(vm),
        "_deque" => crate::builtins::deque_ring::make(vm),
        "_collections" => crate::builtins::collections_module::make(vm),
        "_twister" => crate::builtins::twister_module::make(vm),
        "_re" => crate::builtins::re_module::make(vm),
        "posix" => crate::builtins::os_module::make(vm),
        "_imp" => crate::builtins::import::make_imp_module(vm),
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
    let key = vm.new_str(name);
    let filename = format!("<frozen {name}>");
    let module = crate::builtins::import::run_module_body(vm, key, module, source, &filename)?;
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
    crate::builtins::sys_support::install(vm, module);
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
    // The scheduler switches threads every `BLOCKS_PER_DISPATCH` blocks;
    // the interval is kept for programs that read it back.
    function(vm, module, "getswitchinterval", |vm, _, _| {
        Ok(Value::float(vm.threads.switch_interval))
    });
    function(vm, module, "setswitchinterval", |vm, args, _| {
        arity(vm, "setswitchinterval", args, 1, 1)?;
        let interval = crate::builtins::args::to_f64(vm, args[0])?;
        if interval.is_nan() || interval <= 0.0 {
            return vm.err_value("switch interval must be strictly positive");
        }
        vm.threads.switch_interval = interval;
        Ok(Value::NONE)
    });
    function(vm, module, "exc_info", |vm, _, _| {
        let exception = vm.handled_exception;
        if exception.is_null() {
            return Ok(vm.new_tuple(vec![Value::NONE, Value::NONE, Value::NONE]));
        }
        let class = vm.type_of(exception);
        let traceback = crate::builtins::exceptions::traceback_object(vm, exception);
        Ok(vm.new_tuple(vec![class, exception, traceback]))
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
        .map(|items| items.borrow().to_vec())
        .unwrap_or_default();
    items.iter().map(|item| vm.str_text(*item)).collect()
}
