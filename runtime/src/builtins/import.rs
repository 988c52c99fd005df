//! `import`: the module registry (`sys.modules`), built-in modules, and
//! loading `.py` files and packages from `sys.path` through the host.
//!
//! A module is in `sys.modules` while its body runs (a circular import
//! gets it as it is so far). Another thread importing it meanwhile waits
//! until the body has run, as CPython's per-module import locks make it:
//! the module records the thread running its body (`initializer`).

use std::sync::atomic::Ordering::{Acquire, Release};

use crate::engine::ops::{self, kind_of};
use crate::engine::{str_of, tuple_items, Vm};
use crate::objects::ObjKind;
use crate::sched::ThreadId;
use crate::value::Value;
use crate::PyResult;

/// IMPORT_NAME: imports `name` (relative to the importing module's
/// package when `level` > 0) and returns the module the statement binds:
/// the top package for `import a.b`, the module itself for `from a.b import x`.
pub fn import_name(
    vm: &mut Vm,
    name: Value,
    fromlist: Value,
    level: Value,
    globals: Value,
) -> PyResult<Value> {
    let mut full_name = vm.str_text(name);
    let level = level.as_small_int().unwrap_or(0);
    if level > 0 {
        let package = ops::dict_get_str(globals, "__package__")
            .and_then(|p| str_of(p).map(str::to_string))
            .filter(|p| !p.is_empty())
            .or_else(|| {
                let module_name = ops::dict_get_str(globals, "__name__")
                    .and_then(|n| str_of(n).map(str::to_string))
                    .unwrap_or_default();
                let is_package = ops::dict_get_str(globals, "__path__").is_some();
                if is_package {
                    Some(module_name)
                } else {
                    module_name
                        .rsplit_once('.')
                        .map(|(parent, _)| parent.to_string())
                }
            });
        let Some(mut base) = package else {
            let class = vm.types.exc.import_error;
            return Err(vm.new_error(
                class,
                "attempted relative import with no known parent package",
            ));
        };
        for _ in 1..level {
            match base.rsplit_once('.') {
                Some((parent, _)) => base = parent.to_string(),
                None => {
                    let class = vm.types.exc.import_error;
                    return Err(
                        vm.new_error(class, "attempted relative import beyond top-level package")
                    );
                }
            }
        }
        full_name = if full_name.is_empty() {
            base
        } else {
            format!("{base}.{full_name}")
        };
    }
    let mut module = Value::NONE;
    let mut prefix = String::new();
    let mut top = Value::NONE;
    for part in full_name.split('.') {
        if !prefix.is_empty() {
            prefix.push('.');
        }
        prefix.push_str(part);
        module = load_module(vm, &prefix, module)?;
        if top.is_none() {
            top = module;
        }
    }
    let has_fromlist =
        !fromlist.is_none() && tuple_items(fromlist).is_some_and(|items| !items.is_empty());
    if has_fromlist {
        if let Some(items) = tuple_items(fromlist) {
            for item in items {
                let attribute = vm.str_text(*item);
                if attribute != "*" && ops::generic_getattr(vm, module, *item)?.is_none() {
                    let submodule = format!("{full_name}.{attribute}");
                    let _ = try_load_file_module(vm, &submodule, module)?;
                }
            }
        }
        Ok(module)
    } else if level > 0 {
        Ok(module)
    } else {
        Ok(top)
    }
}

/// A module's `initializer` once its body has run (thread ids start at 1).
pub const NO_INITIALIZER: ThreadId = 0;

fn load_module(vm: &mut Vm, name: &str, parent: Value) -> PyResult<Value> {
    let key = vm.new_str(name);
    let modules = vm.modules;
    while let Some(module) = ops::dict_get(vm, modules, key)? {
        if !wait_for_body(vm, module)? {
            return Ok(module);
        }
        // Look again: a body that failed took its module out.
    }
    if let Some(module) = crate::builtins::modules::builtin_module(vm, name)? {
        ops::dict_set(vm, modules, key, module)?;
        // Like a file submodule, an embedded one (`concurrent.futures`)
        // becomes an attribute of its package.
        if let Some((_, last)) = name.rsplit_once('.') {
            if !parent.is_none() && !parent.is_null() {
                let attribute = vm.intern(last);
                ops::setattr(vm, parent, attribute, module)?;
            }
        }
        return Ok(module);
    }
    if let Some(module) = try_load_file_module(vm, name, parent)? {
        return Ok(module);
    }
    let class = vm.types.exc.module_not_found_error;
    let error = vm.new_error(class, format!("No module named '{name}'"));
    let name_value = vm.new_str(name);
    crate::builtins::exceptions::set_member(vm, error, "name", name_value);
    Err(error)
}

/// Waits while another thread runs `module`'s body; whether it waited.
/// An import statement's task parks, to run the statement again a little
/// later (`Value::RETRY`): the runner may be a thread its worker runs
/// meanwhile. A native caller (`__import__`, a module body importing)
/// waits in place, except for a runner blocked in place beneath it, which
/// cannot go on before it returns: it takes the module as it is, as it
/// does when it runs the body itself (a circular import).
fn wait_for_body(vm: &mut Vm, module: Value) -> PyResult<bool> {
    let Some(ObjKind::Module { initializer, .. }) = kind_of(module) else {
        return Ok(false);
    };
    let mut waits = 0;
    loop {
        let runner = initializer.load(Acquire);
        if runner == NO_INITIALIZER || runner == vm.threads.current {
            return Ok(waits > 0);
        }
        if crate::sched::can_park(vm) {
            crate::sched::park_to_retry(vm, BODY_WAIT_SECONDS)?;
        } else if crate::sched::is_beneath(vm, runner) {
            return Ok(waits > 0);
        } else {
            crate::sched::pause_in_place(vm, crate::engine::step::turn_wait(waits))?;
        }
        waits += 1;
    }
}

/// How long an import statement that finds another thread running the
/// module's body parks before it looks again.
const BODY_WAIT_SECONDS: f64 = 1e-3;

/// Runs a new module's body (`source`, in the module's namespace) with the
/// module in `sys.modules` under `key`, recording the thread running it;
/// a body that fails takes the module out again. Returns the module that
/// is the import's: this one, or the one another thread put under `key`
/// first (once its body has run).
pub fn run_module_body(
    vm: &mut Vm,
    key: Value,
    module: Value,
    source: &str,
    filename: &str,
) -> PyResult<Value> {
    let Some(ObjKind::Module { initializer, .. }) = kind_of(module) else {
        return vm.err_type("not a module");
    };
    // Before the module can be seen: a thread that finds it waits.
    initializer.store(vm.threads.current, Release);
    let modules = vm.modules;
    loop {
        let present = ops::dict_set_default(vm, modules, key, module)?;
        if present == module {
            break;
        }
        wait_for_body(vm, present)?;
        if ops::dict_get(vm, modules, key)? == Some(present) {
            return Ok(present);
        }
        // Its body failed: this thread runs its own.
    }
    let dict = module.as_obj().expect("module").dict();
    let result = crate::engine::run_source_in(vm, source, filename, dict);
    if result.is_err() {
        let _ = ops::dict_del(vm, modules, key);
    }
    initializer.store(NO_INITIALIZER, Release);
    result.map(|_| module)
}

/// Finds `name` as `<dir>/<last>.py` or `<dir>/<last>/__init__.py` on the
/// search path (the parent package's `__path__` for submodules).
fn try_load_file_module(vm: &mut Vm, name: &str, parent: Value) -> PyResult<Option<Value>> {
    let last = name.rsplit('.').next().unwrap_or(name).to_string();
    let search: Vec<String> = if parent.is_none() || parent.is_null() {
        crate::builtins::modules::search_path(vm)
    } else {
        let path_name = vm.intern("__path__");
        let path = ops::generic_getattr(vm, parent, path_name).ok().flatten();
        match path.and_then(|p| ops::list_of(p).map(|l| l.borrow().to_vec())) {
            Some(items) => items.iter().map(|item| vm.str_text(*item)).collect(),
            None => return Ok(None),
        }
    };
    for directory in search {
        let base = if directory.is_empty() {
            last.clone()
        } else {
            format!("{directory}/{last}")
        };
        let package_init = format!("{base}/__init__.py");
        let file = format!("{base}.py");
        for (path, is_package) in [(package_init, true), (file, false)] {
            let Some(source) = vm.host.read_file(&path) else {
                continue;
            };
            let module = crate::builtins::new_module(vm, name);
            let dict = module.as_obj().expect("module").dict();
            let file_key = vm.intern("__file__");
            let file_value = vm.new_str(path.clone());
            ops::dict_set_str(vm, dict, file_key, file_value);
            let package_key = vm.intern("__package__");
            let package_name = if is_package {
                name.to_string()
            } else {
                name.rsplit_once('.')
                    .map(|(p, _)| p.to_string())
                    .unwrap_or_default()
            };
            let package_value = vm.new_str(package_name);
            ops::dict_set_str(vm, dict, package_key, package_value);
            if is_package {
                let path_key = vm.intern("__path__");
                let path_value = vm.new_str(base.clone());
                let list = vm.new_list(vec![path_value]);
                ops::dict_set_str(vm, dict, path_key, list);
            }
            let key = vm.new_str(name);
            let module = run_module_body(vm, key, module, &source, &path)?;
            if !parent.is_none() && !parent.is_null() {
                let attribute = vm.intern(&last);
                ops::setattr(vm, parent, attribute, module)?;
            }
            return Ok(Some(module));
        }
    }
    Ok(None)
}

/// IMPORT_FROM: `from module import name`.
pub fn import_from(vm: &mut Vm, module: Value, name: Value) -> PyResult<Value> {
    match ops::generic_getattr(vm, module, name)? {
        Some(value) => Ok(value),
        None => {
            let module_name = match kind_of(module) {
                Some(ObjKind::Module { name, .. }) => vm.str_text(*name),
                _ => "?".into(),
            };
            let name_text = vm.str_text(name);
            let class = vm.types.exc.import_error;
            let error = vm.new_error(
                class,
                format!("cannot import name '{name_text}' from '{module_name}' (unknown location)"),
            );
            let module_name_value = vm.new_str(module_name);
            crate::builtins::exceptions::set_member(vm, error, "name", module_name_value);
            Err(error)
        }
    }
}

/// `from module import *`.
pub fn import_star(vm: &mut Vm, module: Value, locals: Value) -> PyResult<()> {
    let dict = module.as_obj().map(|o| o.dict()).unwrap_or(Value::NULL);
    let names: Vec<Value> = match ops::dict_get_str(dict, "__all__") {
        Some(all) => ops::collect(vm, all)?,
        None => ops::dict_of(dict)
            .map(|table| table.borrow().keys())
            .unwrap_or_default()
            .into_iter()
            .filter(|key| !str_of(*key).unwrap_or("_").starts_with('_'))
            .collect(),
    };
    for name in names {
        let value = import_from(vm, module, name)?;
        ops::dict_set(vm, locals, name, value)?;
    }
    Ok(())
}

/// `_imp.reload(module)` (behind `importlib.reload`): runs the module's
/// source again in its own namespace, so existing names survive unless the
/// source rebinds them, and returns `sys.modules[name]`. Built-in native
/// modules come back unchanged.
fn reload(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    crate::builtins::args::arity(vm, "reload", args, 1, 1)?;
    let module = args[0];
    let name = match kind_of(module) {
        Some(ObjKind::Module { name, .. }) => vm.str_text(*name),
        _ => return vm.err_type("reload() argument must be a module"),
    };
    let key = vm.new_str(name.as_str());
    let modules = vm.modules;
    if ops::dict_get(vm, modules, key)? != Some(module) {
        let class = vm.types.exc.import_error;
        let error = vm.new_error(class, format!("module {name} not in sys.modules"));
        crate::builtins::exceptions::set_member(vm, error, "name", key);
        return Err(error);
    }
    let dict = module.as_obj().expect("module").dict();
    let file =
        ops::dict_get_str(dict, "__file__").and_then(|file| str_of(file).map(str::to_string));
    let embedded = crate::builtins::modules::PYTHON_MODULES
        .iter()
        .find(|(embedded_name, _)| *embedded_name == name)
        .map(|(_, source)| *source);
    let (source, filename) = match (file, embedded) {
        (Some(path), _) => match vm.host.read_file(&path) {
            Some(source) => (source, path),
            None => {
                let class = vm.types.exc.module_not_found_error;
                let error = vm.new_error(class, format!("spec not found for the module '{name}'"));
                crate::builtins::exceptions::set_member(vm, error, "name", key);
                return Err(error);
            }
        },
        (None, Some(source)) => (source.to_string(), format!("<frozen {name}>")),
        (None, None) => return Ok(module),
    };
    crate::engine::run_source_in(vm, &source, &filename, dict)?;
    Ok(ops::dict_get(vm, modules, key)?.unwrap_or(module))
}

/// The native `_imp` module: the import-system hooks `importlib` needs.
pub fn make_imp_module(vm: &mut Vm) -> Value {
    let module = crate::builtins::new_module(vm, "_imp");
    let function = crate::builtins::native_function(vm, "reload", reload, Value::NULL);
    let key = vm.intern("reload");
    let dict = module.as_obj().expect("module").dict();
    ops::dict_set_str(vm, dict, key, function);
    module
}
