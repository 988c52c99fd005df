//! The `open()` builtin for reading files through the host
//! (<https://docs.python.org/3.11/library/functions.html#open>), and the
//! small interactive builtins (`help`, `exit`, `quit`, `breakpoint`) and
//! `aiter`/`anext`.
//!
//! The host offers read access only (`Host::read_file`), so `open` reads
//! the whole file at once into a file object of class `TextIOWrapper`
//! (text modes) or `BufferedReader` (`'rb'`) with `read`, `readline`,
//! `readlines`, iteration, `seek`/`tell`, `close` and the context-manager
//! protocol. A missing file raises `FileNotFoundError(2, ...)`; writing
//! modes raise `OSError` (errno 30, read-only file system).
//!
//! A file object keeps its state in its dict: `_content` (the str or
//! bytes read), `_position` (an index into it), `name`, `mode`, `closed`.

use crate::builtins::args::{bind, given};
use crate::builtins::{add_function, add_method, set_class_attr};
use crate::engine::ops::{self, kind_of};
use crate::engine::{str_of, Vm};
use crate::objects::ObjKind;
use crate::value::Value;
use crate::PyResult;

type Kwargs<'a> = &'a [(Value, Value)];

fn field(file: Value, name: &str) -> Value {
    file.as_obj()
        .map(|obj| obj.dict())
        .and_then(|dict| ops::dict_get_str(dict, name))
        .unwrap_or(Value::NONE)
}

fn set_field(vm: &mut Vm, file: Value, name: &str, value: Value) {
    let key = vm.intern(name);
    if let Some(dict) = file.as_obj().map(|obj| obj.dict()) {
        ops::dict_set_str(vm, dict, key, value);
    }
}

/// The content and position of an open file, or the ValueError for a
/// closed one.
fn open_state(vm: &mut Vm, args: &[Value]) -> PyResult<(Value, usize)> {
    let file = args.first().copied().unwrap_or(Value::NONE);
    if field(file, "closed") == Value::TRUE {
        return vm.err_value("I/O operation on closed file.");
    }
    let position = field(file, "_position").as_small_int().unwrap_or(0) as usize;
    Ok((field(file, "_content"), position))
}

/// The unit a file reads in: characters of a str, bytes of a bytes.
fn content_length(content: Value) -> usize {
    match kind_of(content) {
        Some(ObjKind::Str(text)) => text.char_count(),
        Some(ObjKind::Bytes(bytes)) => bytes.len(),
        _ => 0,
    }
}

/// `content[start:end]` as a new str or bytes.
fn content_slice(vm: &mut Vm, content: Value, start: usize, end: usize) -> Value {
    match kind_of(content) {
        Some(ObjKind::Str(text)) => {
            let piece: String = text
                .as_str()
                .chars()
                .skip(start)
                .take(end - start)
                .collect();
            vm.new_str(piece)
        }
        Some(ObjKind::Bytes(bytes)) => vm.new_bytes(bytes[start..end].to_vec()),
        _ => Value::NONE,
    }
}

/// Where the line starting at `start` ends (after its newline).
fn line_end(content: Value, start: usize) -> usize {
    match kind_of(content) {
        Some(ObjKind::Str(text)) => {
            let mut end = start;
            for character in text.as_str().chars().skip(start) {
                end += 1;
                if character == '\n' {
                    break;
                }
            }
            end
        }
        Some(ObjKind::Bytes(bytes)) => {
            match bytes[start..].iter().position(|byte| *byte == b'\n') {
                Some(offset) => start + offset + 1,
                None => bytes.len(),
            }
        }
        _ => start,
    }
}

fn file_read(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let (content, position) = open_state(vm, args)?;
    let length = content_length(content);
    let size = match args.get(1).copied().and_then(given) {
        Some(size) => crate::builtins::args::to_i64(vm, size)?,
        None => -1,
    };
    let end = if size < 0 {
        length
    } else {
        (position + size as usize).min(length)
    };
    let start = position.min(end);
    set_field(
        vm,
        args[0],
        "_position",
        Value::small_int_unchecked(end as i64),
    );
    Ok(content_slice(vm, content, start, end))
}

fn file_readline(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let (content, position) = open_state(vm, args)?;
    let end = line_end(content, position);
    set_field(
        vm,
        args[0],
        "_position",
        Value::small_int_unchecked(end as i64),
    );
    Ok(content_slice(vm, content, position, end))
}

fn file_readlines(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let (content, mut position) = open_state(vm, args)?;
    let length = content_length(content);
    let mut lines = Vec::new();
    while position < length {
        let end = line_end(content, position);
        lines.push(content_slice(vm, content, position, end));
        position = end;
    }
    set_field(
        vm,
        args[0],
        "_position",
        Value::small_int_unchecked(position as i64),
    );
    Ok(vm.new_list(lines))
}

fn file_next(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let line = file_readline(vm, args, kwargs)?;
    if content_length(line) == 0 {
        return Err(vm.stop_iteration(Value::NONE));
    }
    Ok(line)
}

fn file_iter(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    open_state(vm, args)?;
    Ok(args[0])
}

fn file_close(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    if let Some(&file) = args.first() {
        set_field(vm, file, "closed", Value::TRUE);
    }
    Ok(Value::NONE)
}

fn file_seek(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let (content, position) = open_state(vm, args)?;
    let offset = match args.get(1) {
        Some(offset) => crate::builtins::args::to_i64(vm, *offset)?,
        None => return vm.err_type("seek expected at least 1 argument, got 0"),
    };
    let whence = match args.get(2) {
        Some(whence) => crate::builtins::args::to_i64(vm, *whence)?,
        None => 0,
    };
    let base = match whence {
        0 => 0,
        1 => position as i64,
        2 => content_length(content) as i64,
        _ => return vm.err_value(format!("invalid whence ({whence}, should be 0, 1 or 2)")),
    };
    let target = (base + offset).max(0);
    set_field(vm, args[0], "_position", Value::small_int_unchecked(target));
    Ok(vm.new_int(target))
}

fn file_tell(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let (_, position) = open_state(vm, args)?;
    Ok(vm.new_int(position as i64))
}

fn file_enter(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    open_state(vm, args)?;
    Ok(args[0])
}

/// An OSError subclass instance with errno, strerror and filename.
fn os_error(vm: &mut Vm, class: Value, errno: i64, text: &str, path: Value) -> Value {
    let text = vm.new_str(text);
    match ops::call(
        vm,
        class,
        &[Value::small_int_unchecked(errno), text, path],
        &[],
    ) {
        Ok(error) | Err(error) => error,
    }
}

/// `open(file, mode='r', ...)`, reading only.
fn open(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let names = [
        "file",
        "mode",
        "buffering",
        "encoding",
        "errors",
        "newline",
        "closefd",
        "opener",
    ];
    let bound = bind(vm, "open", args, kwargs, &names, 1)?;
    let path_value = bound[0];
    let Some(path) = str_of(path_value) else {
        let type_name = vm.type_name(path_value);
        return vm.err_type(format!(
            "expected str, bytes or os.PathLike object, not {type_name}"
        ));
    };
    let mode = match given(bound[1]) {
        Some(mode) => match str_of(mode) {
            Some(mode) => mode.to_string(),
            None => {
                let type_name = vm.type_name(mode);
                return vm.err_type(format!(
                    "open() argument 'mode' must be str, not {type_name}"
                ));
            }
        },
        None => "r".to_string(),
    };
    if mode.chars().any(|c| !"rwxabt+U".contains(c)) || mode.is_empty() {
        return vm.err_value(format!("invalid mode: '{mode}'"));
    }
    if mode.contains(['w', 'a', 'x', '+']) {
        let class = vm.types.exc.os_error;
        return Err(os_error(vm, class, 30, "Read-only file system", path_value));
    }
    let binary = mode.contains('b');
    let Some(text) = vm.host.read_file(path) else {
        let class = vm.types.exc.file_not_found_error;
        return Err(os_error(
            vm,
            class,
            2,
            "No such file or directory",
            path_value,
        ));
    };
    let (class, content) = if binary {
        (vm.types.binary_file, vm.new_bytes(text.into_bytes()))
    } else {
        (vm.types.text_file, vm.new_str(text))
    };
    let file = vm.alloc(class, ObjKind::Object);
    let dict = vm.new_dict();
    file.as_obj().expect("file").set_dict(dict);
    let mode_value = vm.new_str(mode);
    set_field(vm, file, "_content", content);
    set_field(vm, file, "_position", Value::small_int_unchecked(0));
    set_field(vm, file, "name", path_value);
    set_field(vm, file, "mode", mode_value);
    set_field(vm, file, "closed", Value::FALSE);
    Ok(file)
}

/// Gives a file class its methods.
fn register_file_class(vm: &mut Vm, class: Value) {
    let module = vm.intern("_io");
    set_class_attr(vm, class, "__module__", module);
    add_method(vm, class, "read", file_read);
    add_method(vm, class, "readline", file_readline);
    add_method(vm, class, "readlines", file_readlines);
    add_method(vm, class, "__iter__", file_iter);
    add_method(vm, class, "__next__", file_next);
    add_method(vm, class, "close", file_close);
    add_method(vm, class, "seek", file_seek);
    add_method(vm, class, "tell", file_tell);
    add_method(vm, class, "__enter__", file_enter);
    add_method(vm, class, "__exit__", file_close);
    add_method(vm, class, "readable", |_, _, _| Ok(Value::TRUE));
    add_method(vm, class, "writable", |_, _, _| Ok(Value::FALSE));
}

/// `exit()`/`quit()`: SystemExit with the optional code.
fn exit(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let class = vm.types.exc.system_exit;
    Err(vm.new_exception(class, args.to_vec()))
}

fn help(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let text = match args.first() {
        Some(value) => {
            let description = ops::repr_string(vm, *value)?;
            format!("Help on {description}\n")
        }
        None => "Type help(object) for help about object.\n".to_string(),
    };
    vm.host.write_stdout(&text);
    Ok(Value::NONE)
}

/// `aiter(async_iterable)`.
fn aiter(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    crate::builtins::args::arity(vm, "aiter", args, 1, 1)?;
    match ops::call_special(vm, args[0], "__aiter__", &[])? {
        Some(iterator) => Ok(iterator),
        None => {
            let type_name = vm.type_name(args[0]);
            vm.err_type(format!("'{type_name}' object is not an async iterable"))
        }
    }
}

/// `anext(async_iterator)`: the awaitable of its `__anext__`.
fn anext(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    crate::builtins::args::arity(vm, "anext", args, 1, 2)?;
    match ops::call_special(vm, args[0], "__anext__", &[])? {
        Some(awaitable) => Ok(awaitable),
        None => {
            let type_name = vm.type_name(args[0]);
            vm.err_type(format!("'{type_name}' object is not an async iterator"))
        }
    }
}

/// Registers `open`, `help`, `exit`, `quit`, `breakpoint`, `aiter`, `anext`.
pub fn register(vm: &mut Vm) {
    add_function(vm, "open", open);
    add_function(vm, "help", help);
    add_function(vm, "exit", exit);
    add_function(vm, "quit", exit);
    add_function(vm, "breakpoint", |_, _, _| Ok(Value::NONE));
    add_function(vm, "aiter", aiter);
    add_function(vm, "anext", anext);
    for class in [vm.types.text_file, vm.types.binary_file] {
        register_file_class(vm, class);
    }
}
