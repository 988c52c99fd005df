//! The native `posix` module: the operating-system calls behind `os`
//! (`stdlib/os.py`), each one a `Host` service, so an embedder that grants
//! no file or process access gets `PermissionError` (errno 13) instead of
//! touching anything. Also owns the conversion of a `HostError` into the
//! `OSError` subclass CPython raises for its errno, and of a path argument
//! (str, bytes or `os.PathLike`) into text, both shared with `open()`.

use crate::builtins::args::{bind, given, to_i64};
use crate::builtins::{native_function, new_module};
use crate::engine::ops::{self, kind_of};
use crate::engine::{str_of, Vm};
use crate::host::HostError;
use crate::objects::{NativeFn, ObjKind};
use crate::value::Value;
use crate::PyResult;

type Kwargs<'a> = &'a [(Value, Value)];

/// The `OSError` (subclass chosen by errno, as `OSError(errno, ...)` does)
/// for a failed host call on `filename` (and `filename2`, for renames).
pub fn host_error(vm: &mut Vm, error: &HostError, filename: Value, filename2: Value) -> Value {
    let class = vm.types.exc.os_error;
    let errno = Value::small_int_unchecked(error.errno as i64);
    let message = vm.new_str(error.message.as_str());
    let mut arguments = vec![errno, message];
    if !filename.is_null() {
        arguments.push(filename);
        if !filename2.is_null() {
            arguments.push(Value::NONE);
            arguments.push(filename2);
        }
    }
    match ops::call(vm, class, &arguments, &[]) {
        Ok(exception) | Err(exception) => exception,
    }
}

/// A path argument as text: a str, bytes (UTF-8), or an object whose
/// `__fspath__` returns one. `function` prefixes the TypeError, as in
/// CPython ("stat: path should be string, bytes or os.PathLike, not int").
pub fn path_text(vm: &mut Vm, value: Value, function: &str) -> PyResult<String> {
    if let Some(text) = str_of(value) {
        return Ok(text.to_string());
    }
    if let Some(ObjKind::Bytes(bytes)) = kind_of(value) {
        return Ok(String::from_utf8_lossy(bytes).into_owned());
    }
    if let Some(path) = ops::call_special(vm, value, "__fspath__", &[])? {
        if let Some(text) = str_of(path) {
            return Ok(text.to_string());
        }
        if let Some(ObjKind::Bytes(bytes)) = kind_of(path) {
            return Ok(String::from_utf8_lossy(bytes).into_owned());
        }
    }
    let type_name = vm.type_name(value);
    vm.err_type(format!(
        "{function}: path should be string, bytes or os.PathLike, not {type_name}"
    ))
}

/// The one path argument of `function(path)`.
fn one_path(
    vm: &mut Vm,
    function: &str,
    args: &[Value],
    kwargs: Kwargs,
) -> PyResult<(Value, String)> {
    let bound = bind(vm, function, args, kwargs, &["path"], 1)?;
    let text = path_text(vm, bound[0], function)?;
    Ok((bound[0], text))
}

fn getcwd(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    bind(vm, "getcwd", args, kwargs, &[], 0)?;
    match vm.host.current_dir() {
        Ok(directory) => Ok(vm.new_str(directory)),
        Err(error) => Err(host_error(vm, &error, Value::NULL, Value::NULL)),
    }
}

fn chdir(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let (path, text) = one_path(vm, "chdir", args, kwargs)?;
    match vm.host.set_current_dir(&text) {
        Ok(()) => Ok(Value::NONE),
        Err(error) => Err(host_error(vm, &error, path, Value::NULL)),
    }
}

fn listdir(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let bound = bind(vm, "listdir", args, kwargs, &["path"], 0)?;
    let (path, text) = match given(bound[0]) {
        Some(path) => (path, path_text(vm, path, "listdir")?),
        None => (vm.new_str("."), ".".to_string()),
    };
    match vm.host.list_dir(&text) {
        Ok(names) => {
            let as_bytes = matches!(kind_of(path), Some(ObjKind::Bytes(_)));
            let items = names
                .into_iter()
                .map(|name| {
                    if as_bytes {
                        vm.new_bytes(name.into_bytes())
                    } else {
                        vm.new_str(name)
                    }
                })
                .collect();
            Ok(vm.new_list(items))
        }
        Err(error) => Err(host_error(vm, &error, path, Value::NULL)),
    }
}

fn mkdir(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let bound = bind(vm, "mkdir", args, kwargs, &["path", "mode", "dir_fd"], 1)?;
    let text = path_text(vm, bound[0], "mkdir")?;
    let mode = match given(bound[1]) {
        Some(mode) => to_i64(vm, mode)? as u32,
        None => 0o777,
    };
    match vm.host.make_dir(&text, mode) {
        Ok(()) => Ok(Value::NONE),
        Err(error) => Err(host_error(vm, &error, bound[0], Value::NULL)),
    }
}

fn rmdir(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let (path, text) = one_path(vm, "rmdir", args, kwargs)?;
    match vm.host.remove_dir(&text) {
        Ok(()) => Ok(Value::NONE),
        Err(error) => Err(host_error(vm, &error, path, Value::NULL)),
    }
}

fn remove(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let (path, text) = one_path(vm, "remove", args, kwargs)?;
    match vm.host.remove_file(&text) {
        Ok(()) => Ok(Value::NONE),
        Err(error) => Err(host_error(vm, &error, path, Value::NULL)),
    }
}

fn rename(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let bound = bind(vm, "rename", args, kwargs, &["src", "dst"], 2)?;
    let from = path_text(vm, bound[0], "rename")?;
    let to = path_text(vm, bound[1], "rename")?;
    match vm.host.rename(&from, &to) {
        Ok(()) => Ok(Value::NONE),
        Err(error) => Err(host_error(vm, &error, bound[0], bound[1])),
    }
}

/// `stat(path, follow_symlinks=True)`: the ten `stat_result` fields as a
/// tuple (mode, ino, dev, nlink, uid, gid, size, atime, mtime, ctime);
/// `os.py` wraps it.
fn stat(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let bound = bind(
        vm,
        "stat",
        args,
        kwargs,
        &["path", "dir_fd", "follow_symlinks"],
        1,
    )?;
    let text = path_text(vm, bound[0], "stat")?;
    let follow = match given(bound[2]) {
        Some(flag) => ops::truthy(vm, flag)?,
        None => true,
    };
    let facts = match vm.host.stat(&text, follow) {
        Ok(facts) => facts,
        Err(error) => return Err(host_error(vm, &error, bound[0], Value::NULL)),
    };
    let fields = vec![
        vm.new_int(facts.mode as i64),
        vm.new_int(facts.inode as i64),
        vm.new_int(facts.device as i64),
        vm.new_int(facts.links as i64),
        vm.new_int(facts.uid as i64),
        vm.new_int(facts.gid as i64),
        vm.new_int(facts.size as i64),
        Value::float(facts.accessed),
        Value::float(facts.modified),
        Value::float(facts.changed),
    ];
    Ok(vm.new_tuple(fields))
}

/// The host's environment as a dict of str to str.
fn environ(vm: &mut Vm, _: &[Value], _: Kwargs) -> PyResult<Value> {
    let dict = vm.new_dict();
    for (name, value) in vm.host.env_vars() {
        let key = vm.new_str(name);
        let value = vm.new_str(value);
        ops::dict_set(vm, dict, key, value)?;
    }
    Ok(dict)
}

fn putenv(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let bound = bind(vm, "putenv", args, kwargs, &["name", "value"], 2)?;
    let name = path_text(vm, bound[0], "putenv")?;
    let value = path_text(vm, bound[1], "putenv")?;
    if name.is_empty() || name.contains('=') {
        return vm.err_value("illegal environment variable name");
    }
    match vm.host.set_env_var(&name, Some(&value)) {
        Ok(()) => Ok(Value::NONE),
        Err(error) => Err(host_error(vm, &error, Value::NULL, Value::NULL)),
    }
}

fn unsetenv(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let bound = bind(vm, "unsetenv", args, kwargs, &["name"], 1)?;
    let name = path_text(vm, bound[0], "unsetenv")?;
    if name.is_empty() || name.contains('=') {
        return vm.err_value("illegal environment variable name");
    }
    match vm.host.set_env_var(&name, None) {
        Ok(()) => Ok(Value::NONE),
        Err(error) => Err(host_error(vm, &error, Value::NULL, Value::NULL)),
    }
}

fn urandom(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let bound = bind(vm, "urandom", args, kwargs, &["size"], 1)?;
    let size = to_i64(vm, bound[0])?;
    if size < 0 {
        return vm.err_value("negative argument not allowed");
    }
    match vm.host.random_bytes(size as usize) {
        Ok(bytes) => Ok(vm.new_bytes(bytes)),
        Err(error) => Err(host_error(vm, &error, Value::NULL, Value::NULL)),
    }
}

fn cpu_count(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    bind(vm, "cpu_count", args, kwargs, &[], 0)?;
    Ok(match vm.host.cpu_count() {
        Some(count) => vm.new_int(count as i64),
        None => Value::NONE,
    })
}

fn getpid(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    bind(vm, "getpid", args, kwargs, &[], 0)?;
    let id = vm.host.process_id();
    Ok(vm.new_int(id as i64))
}

/// The C library's text for the errnos the engine itself reports, for
/// hosts that do not supply `Host::error_text`.
fn default_error_text(errno: i32) -> Option<&'static str> {
    Some(match errno {
        1 => "Operation not permitted",
        2 => "No such file or directory",
        5 => "Input/output error",
        9 => "Bad file descriptor",
        13 => "Permission denied",
        17 => "File exists",
        20 => "Not a directory",
        21 => "Is a directory",
        22 => "Invalid argument",
        28 => "No space left on device",
        30 => "Read-only file system",
        39 => "Directory not empty",
        _ => return None,
    })
}

fn strerror(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let bound = bind(vm, "strerror", args, kwargs, &["code"], 1)?;
    let code = to_i64(vm, bound[0])?;
    let errno = i32::try_from(code).unwrap_or(-1);
    let text = match vm.host.error_text(errno) {
        Some(text) => text,
        None => default_error_text(errno)
            .map(str::to_string)
            .unwrap_or_else(|| format!("Unknown error {code}")),
    };
    Ok(vm.new_str(text))
}

/// `fspath(path)`: str and bytes unchanged, else `__fspath__()`.
fn fspath(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let bound = bind(vm, "fspath", args, kwargs, &["path"], 1)?;
    let path = bound[0];
    if str_of(path).is_some() || matches!(kind_of(path), Some(ObjKind::Bytes(_))) {
        return Ok(path);
    }
    let type_name = vm.type_name(path);
    match ops::call_special(vm, path, "__fspath__", &[])? {
        Some(result) => {
            if str_of(result).is_some() || matches!(kind_of(result), Some(ObjKind::Bytes(_))) {
                Ok(result)
            } else {
                let result_type = vm.type_name(result);
                vm.err_type(format!(
                    "expected {type_name}.__fspath__() to return str or bytes, not {result_type}"
                ))
            }
        }
        None => vm.err_type(format!(
            "expected str, bytes or os.PathLike object, not {type_name}"
        )),
    }
}

/// The `posix` module.
pub fn make(vm: &mut Vm) -> Value {
    let module = new_module(vm, "posix");
    let functions: &[(&'static str, NativeFn)] = &[
        ("getcwd", getcwd),
        ("chdir", chdir),
        ("listdir", listdir),
        ("mkdir", mkdir),
        ("rmdir", rmdir),
        ("remove", remove),
        ("unlink", remove),
        ("rename", rename),
        ("replace", rename),
        ("stat", stat),
        ("_environ", environ),
        ("putenv", putenv),
        ("unsetenv", unsetenv),
        ("urandom", urandom),
        ("cpu_count", cpu_count),
        ("getpid", getpid),
        ("strerror", strerror),
        ("fspath", fspath),
    ];
    let dict = module.as_obj().expect("module").dict();
    for (name, body) in functions {
        let function = native_function(vm, name, *body, Value::NULL);
        let key = vm.intern(name);
        ops::dict_set_str(vm, dict, key, function);
    }
    module
}
