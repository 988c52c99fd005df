//! The `open()` builtin for files reached through the host
//! (<https://docs.python.org/3.11/library/functions.html#open>), and the
//! small interactive builtins (`help`, `exit`, `quit`, `breakpoint`) and
//! `aiter`/`anext`.
//!
//! A file object is of class `TextIOWrapper` (text modes) or
//! `BufferedReader` (binary modes) and keeps its state in its dict:
//! `name`, `mode`, `closed`, `_readable`, `_writable`, and
//! - for reading (`'r'`, `'rb'`): `_content` (the whole file, read at
//!   open, decoded with `encoding` and universal newlines for text) and
//!   `_position` (an index into it);
//! - for writing only (`'w'`, `'a'`, `'x'`): `_handle`, a host write
//!   handle; every `write` goes straight to the host, which may buffer
//!   until `flush`/`close`;
//! - for update modes (`'+'`): the content in memory like a read file,
//!   written back whole through the host on `flush`/`close` (`_dirty`).
//!
//! Every failure is the `OSError` subclass for the host's errno; a host
//! that grants no files gives `PermissionError` for writes and
//! `FileNotFoundError` for reads.

use crate::builtins::args::{bind, given};
use crate::builtins::os_module::{host_error, path_text};
use crate::builtins::{add_function, add_method, set_class_attr};
use crate::engine::ops::{self, kind_of};
use crate::engine::{str_of, Vm};
use crate::host::{HostError, WriteMode};
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

fn is_binary(vm: &Vm, file: Value) -> bool {
    vm.type_of(file) == vm.types.binary_file
}

/// `io.UnsupportedOperation(message)`.
fn unsupported(vm: &mut Vm, message: &str) -> Value {
    let io_name = vm.new_str("io");
    let zero = Value::small_int_unchecked(0);
    let class = crate::builtins::import::import_name(vm, io_name, Value::NONE, zero, Value::NONE)
        .and_then(|io| ops::getattr_str(vm, io, "UnsupportedOperation"));
    let class = match class {
        Ok(class) => class,
        Err(error) => return error,
    };
    let message = vm.new_str(message);
    match ops::call(vm, class, &[message], &[]) {
        Ok(error) | Err(error) => error,
    }
}

/// Like `open_state`, for the reading methods: UnsupportedOperation on a
/// file opened for writing only.
fn readable_state(vm: &mut Vm, args: &[Value]) -> PyResult<(Value, usize)> {
    let state = open_state(vm, args)?;
    if field(args[0], "_readable") == Value::FALSE {
        let message = if is_binary(vm, args[0]) {
            "read"
        } else {
            "not readable"
        };
        return Err(unsupported(vm, message));
    }
    Ok(state)
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
    let (content, position) = readable_state(vm, args)?;
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
    let (content, position) = readable_state(vm, args)?;
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
    let (content, mut position) = readable_state(vm, args)?;
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

/// `close()`: flushes, releases the host handle, marks the file closed;
/// a second close does nothing.
fn file_close(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let Some(&file) = args.first() else {
        return Ok(Value::NONE);
    };
    if field(file, "closed") == Value::TRUE {
        return Ok(Value::NONE);
    }
    let flushed = flush_file(vm, file);
    set_field(vm, file, "closed", Value::TRUE);
    if let Some(handle) = field(file, "_handle").as_small_int() {
        set_field(vm, file, "_handle", Value::NONE);
        if let Err(error) = vm.host.close_handle(handle as u64) {
            let name = field(file, "name");
            return Err(host_error(vm, &error, name, Value::NULL));
        }
    }
    flushed.map(|_| Value::NONE)
}

/// Pushes written data to the host: the handle's buffer, or the whole
/// content of an update-mode file that changed.
fn flush_file(vm: &mut Vm, file: Value) -> PyResult<()> {
    let name = field(file, "name");
    if let Some(handle) = field(file, "_handle").as_small_int() {
        if let Err(error) = vm.host.flush_handle(handle as u64) {
            return Err(host_error(vm, &error, name, Value::NULL));
        }
        return Ok(());
    }
    if field(file, "_dirty") != Value::TRUE {
        return Ok(());
    }
    let content = field(file, "_content");
    let data = encode_for_file(vm, file, content)?;
    let path = vm.str_text(field(file, "_path"));
    let result = vm
        .host
        .open_for_writing(&path, WriteMode::Truncate)
        .and_then(|handle| {
            let written = vm.host.write_handle(handle, &data);
            let closed = vm.host.close_handle(handle);
            written.and(closed)
        });
    if let Err(error) = result {
        return Err(host_error(vm, &error, name, Value::NULL));
    }
    set_field(vm, file, "_dirty", Value::FALSE);
    Ok(())
}

fn file_flush(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    open_state(vm, args)?;
    flush_file(vm, args[0])?;
    Ok(Value::NONE)
}

/// Whether `encoding` names UTF-8 (the fast path that needs no codec call).
fn is_utf8(encoding: &str) -> bool {
    matches!(
        encoding.to_ascii_lowercase().replace('_', "-").as_str(),
        "utf-8" | "utf8" | "u8" | "utf"
    )
}

/// The bytes to store for `data` (a str for text files, translated and
/// encoded as the file says; bytes-like for binary files).
fn encode_for_file(vm: &mut Vm, file: Value, data: Value) -> PyResult<Vec<u8>> {
    match kind_of(data) {
        Some(ObjKind::Str(text)) => {
            let newline = field(file, "_newline");
            let text = match str_of(newline) {
                Some(newline @ ("\r" | "\r\n")) => text.as_str().replace('\n', newline),
                _ => text.as_str().to_string(),
            };
            let encoding = field(file, "encoding");
            if str_of(encoding).is_none_or(is_utf8) {
                return Ok(text.into_bytes());
            }
            let text = vm.new_str(text);
            let errors = field(file, "errors");
            let encoded = ops::call_method(vm, text, "encode", &[encoding, errors])?;
            Ok(ops::bytes_of(encoded)
                .map(<[u8]>::to_vec)
                .unwrap_or_default())
        }
        Some(ObjKind::Bytes(bytes)) => Ok(bytes.to_vec()),
        Some(ObjKind::ByteArray(bytes)) => Ok(bytes.borrow().clone()),
        _ => {
            let converted = ops::call(vm, vm.types.bytes, &[data], &[])?;
            Ok(ops::bytes_of(converted)
                .map(<[u8]>::to_vec)
                .unwrap_or_default())
        }
    }
}

/// `write(data)`: the number of characters (text) or bytes written.
fn file_write(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    crate::builtins::args::arity(vm, "write", args, 2, 2)?;
    let (file, data) = (args[0], args[1]);
    let (content, position) = open_state(vm, args)?;
    let binary = is_binary(vm, file);
    if field(file, "_writable") == Value::FALSE {
        let message = if binary { "write" } else { "not writable" };
        return Err(unsupported(vm, message));
    }
    let length = if binary {
        match kind_of(data) {
            Some(ObjKind::Bytes(bytes)) => bytes.len(),
            Some(ObjKind::ByteArray(bytes)) => bytes.borrow().len(),
            Some(ObjKind::MemoryView(_)) => ops::len(vm, data)?,
            _ => {
                let type_name = vm.type_name(data);
                return vm.err_type(format!(
                    "a bytes-like object is required, not '{type_name}'"
                ));
            }
        }
    } else {
        match kind_of(data) {
            Some(ObjKind::Str(text)) => text.char_count(),
            _ => {
                let type_name = vm.type_name(data);
                return vm.err_type(format!("write() argument must be str, not {type_name}"));
            }
        }
    };
    if let Some(handle) = field(file, "_handle").as_small_int() {
        let bytes = encode_for_file(vm, file, data)?;
        if let Err(error) = vm.host.write_handle(handle as u64, &bytes) {
            let name = field(file, "name");
            return Err(host_error(vm, &error, name, Value::NULL));
        }
        let end = position + bytes.len();
        set_field(
            vm,
            file,
            "_position",
            Value::small_int_unchecked(end as i64),
        );
        return Ok(vm.new_int(length as i64));
    }
    // Update mode: splice into the content at the position (the end, when
    // appending).
    let start = if field(file, "_append") == Value::TRUE {
        content_length(content)
    } else {
        position
    };
    let spliced = match (kind_of(content), kind_of(data)) {
        (Some(ObjKind::Str(old)), Some(ObjKind::Str(new))) => {
            let mut characters: Vec<char> = old.as_str().chars().collect();
            characters.resize(characters.len().max(start), '\0');
            let end = (start + length).min(characters.len());
            characters.splice(start..end, new.as_str().chars());
            vm.new_str(characters.into_iter().collect::<String>())
        }
        _ => {
            let mut bytes = ops::bytes_of(content)
                .map(<[u8]>::to_vec)
                .unwrap_or_default();
            let new = encode_for_file(vm, file, data)?;
            bytes.resize(bytes.len().max(start), 0);
            let end = (start + new.len()).min(bytes.len());
            bytes.splice(start..end, new);
            vm.new_bytes(bytes)
        }
    };
    set_field(vm, file, "_content", spliced);
    set_field(vm, file, "_dirty", Value::TRUE);
    let end = start + length;
    set_field(
        vm,
        file,
        "_position",
        Value::small_int_unchecked(end as i64),
    );
    Ok(vm.new_int(length as i64))
}

fn file_writelines(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    crate::builtins::args::arity(vm, "writelines", args, 2, 2)?;
    open_state(vm, args)?;
    for line in ops::collect(vm, args[1])? {
        file_write(vm, &[args[0], line], &[])?;
    }
    Ok(Value::NONE)
}

/// `truncate(size=None)` for update-mode files.
fn file_truncate(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let (content, position) = open_state(vm, args)?;
    let file = args[0];
    if field(file, "_writable") == Value::FALSE || !field(file, "_handle").is_none() {
        return Err(unsupported(vm, "truncate"));
    }
    let size = match args.get(1).copied().and_then(given) {
        Some(size) => crate::builtins::args::to_i64(vm, size)?.max(0) as usize,
        None => position,
    };
    if size < content_length(content) {
        let shorter = content_slice(vm, content, 0, size);
        set_field(vm, file, "_content", shorter);
        set_field(vm, file, "_dirty", Value::TRUE);
    }
    Ok(vm.new_int(size as i64))
}

fn file_repr(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let file = args[0];
    let name = ops::repr_string(vm, field(file, "name"))?;
    let text = if is_binary(vm, file) {
        let readable = field(file, "_readable") == Value::TRUE;
        let writable = field(file, "_writable") == Value::TRUE;
        let class = match (readable, writable) {
            (true, true) => "BufferedRandom",
            (false, true) => "BufferedWriter",
            _ => "BufferedReader",
        };
        format!("<_io.{class} name={name}>")
    } else {
        let mode = ops::repr_string(vm, field(file, "mode"))?;
        let encoding = ops::repr_string(vm, field(file, "encoding"))?;
        format!("<_io.TextIOWrapper name={name} mode={mode} encoding={encoding}>")
    };
    Ok(vm.new_str(text))
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
        2 if field(args[0], "_handle").is_none() => content_length(content) as i64,
        2 => position as i64,
        _ => return vm.err_value(format!("invalid whence ({whence}, should be 0, 1 or 2)")),
    };
    let target = (base + offset).max(0);
    if !field(args[0], "_handle").is_none() && target != position as i64 {
        // Write-only files stream to the host, which keeps no random access.
        return Err(unsupported(vm, "File or stream is not seekable."));
    }
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

/// The parts of an `open()` mode string.
struct OpenMode {
    read: bool,
    append: bool,
    create_new: bool,
    update: bool,
    binary: bool,
}

/// Parses `mode` with CPython's checks and messages.
fn parse_mode(vm: &mut Vm, mode: &str) -> PyResult<OpenMode> {
    let mut seen = String::new();
    for character in mode.chars() {
        if !"rwxabt+".contains(character) || seen.contains(character) {
            return vm.err_value(format!("invalid mode: '{mode}'"));
        }
        seen.push(character);
    }
    let has = |character| seen.contains(character);
    if has('t') && has('b') {
        return vm.err_value("can't have text and binary mode at once");
    }
    let kinds = ['r', 'w', 'a', 'x']
        .iter()
        .filter(|&&kind| has(kind))
        .count();
    if kinds > 1 {
        return vm.err_value("must have exactly one of create/read/write/append mode");
    }
    if kinds == 0 {
        return vm.err_value(
            "Must have exactly one of create/read/write/append mode and at most one plus",
        );
    }
    Ok(OpenMode {
        read: has('r'),
        append: has('a'),
        create_new: has('x'),
        update: has('+'),
        binary: has('b'),
    })
}

/// An optional str argument of `open()` (`encoding`, `errors`, `newline`).
fn optional_text(vm: &mut Vm, value: Value, name: &str) -> PyResult<Option<String>> {
    match given(value) {
        None => Ok(None),
        Some(value) => match str_of(value) {
            Some(text) => Ok(Some(text.to_string())),
            None => {
                let type_name = vm.type_name(value);
                vm.err_type(format!(
                    "open() argument '{name}' must be str or None, not {type_name}"
                ))
            }
        },
    }
}

/// Decodes a text file's bytes (universal newlines when `newline` is None).
fn decode_text(
    vm: &mut Vm,
    bytes: Vec<u8>,
    encoding: Value,
    errors: Value,
    newline: Option<&str>,
) -> PyResult<String> {
    let utf8 = str_of(encoding).is_none_or(is_utf8) && str_of(errors) == Some("strict");
    let text = match String::from_utf8(bytes) {
        Ok(text) if utf8 || text.is_ascii() => text,
        Ok(text) => decode_with_codec(vm, text.into_bytes(), encoding, errors)?,
        Err(error) => decode_with_codec(vm, error.into_bytes(), encoding, errors)?,
    };
    Ok(match newline {
        None if text.contains('\r') => text.replace("\r\n", "\n").replace('\r', "\n"),
        _ => text,
    })
}

fn decode_with_codec(
    vm: &mut Vm,
    bytes: Vec<u8>,
    encoding: Value,
    errors: Value,
) -> PyResult<String> {
    let bytes = vm.new_bytes(bytes);
    let text = ops::call_method(vm, bytes, "decode", &[encoding, errors])?;
    Ok(vm.str_text(text))
}

/// `open(file, mode='r', buffering=-1, encoding=None, errors=None,
/// newline=None, closefd=True, opener=None)`.
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
    let is_path = str_of(path_value).is_some()
        || matches!(kind_of(path_value), Some(ObjKind::Bytes(_)))
        || ops::lookup_class_attr(vm.type_of(path_value), "__fspath__").is_some();
    if !is_path {
        let type_name = vm.type_name(path_value);
        return vm.err_type(format!(
            "expected str, bytes or os.PathLike object, not {type_name}"
        ));
    }
    let path = path_text(vm, path_value, "open")?;
    let mode_text = match given(bound[1]) {
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
    let mode = parse_mode(vm, &mode_text)?;
    let encoding = optional_text(vm, bound[3], "encoding")?;
    let errors = optional_text(vm, bound[4], "errors")?;
    let newline = optional_text(vm, bound[5], "newline")?;
    if mode.binary {
        if encoding.is_some() {
            return vm.err_value("binary mode doesn't take an encoding argument");
        }
        if errors.is_some() {
            return vm.err_value("binary mode doesn't take an errors argument");
        }
        if newline.is_some() {
            return vm.err_value("binary mode doesn't take a newline argument");
        }
    }
    if let Some(newline) = &newline {
        if !matches!(newline.as_str(), "" | "\n" | "\r" | "\r\n") {
            return vm.err_value(format!("illegal newline value: {newline}"));
        }
    }
    let encoding_value = match &encoding {
        Some(encoding) => vm.new_str(encoding.as_str()),
        None => vm.new_str("UTF-8"),
    };
    let errors_value = vm.new_str(errors.as_deref().unwrap_or("strict"));
    if !mode.binary && !is_utf8(&vm.str_text(encoding_value)) {
        // An unknown encoding fails here, as in CPython (LookupError).
        let empty = vm.new_str("");
        ops::call_method(vm, empty, "encode", &[encoding_value])?;
    }
    let write_mode = if mode.create_new {
        WriteMode::CreateNew
    } else if mode.append {
        WriteMode::Append
    } else {
        WriteMode::Truncate
    };
    let fail = |vm: &mut Vm, error: HostError| Err(host_error(vm, &error, path_value, Value::NULL));
    // What the file holds now (for reading and updating), and the host
    // handle of a write-only file.
    let mut content = Vec::new();
    let mut handle = Value::NONE;
    let mut position = 0;
    if mode.read {
        match vm.host.read_bytes(&path) {
            Ok(bytes) => content = bytes,
            Err(error) => return fail(vm, error),
        }
    } else {
        let opened = match vm.host.open_for_writing(&path, write_mode) {
            Ok(opened) => opened,
            Err(error) => return fail(vm, error),
        };
        if mode.update {
            let _ = vm.host.close_handle(opened);
            if mode.append {
                match vm.host.read_bytes(&path) {
                    Ok(bytes) => content = bytes,
                    Err(error) => return fail(vm, error),
                }
            }
        } else {
            handle = vm.new_int(opened as i64);
            if mode.append {
                position = vm
                    .host
                    .stat(&path, true)
                    .map_or(0, |facts| facts.size as usize);
            }
        }
    }
    let (class, content_value) = if mode.binary {
        (vm.types.binary_file, vm.new_bytes(content))
    } else {
        let text = decode_text(
            vm,
            content,
            encoding_value,
            errors_value,
            newline.as_deref(),
        )?;
        (vm.types.text_file, vm.new_str(text))
    };
    if mode.update && mode.append {
        position = content_length(content_value);
    }
    let file = vm.alloc(class, ObjKind::Object);
    let dict = vm.new_dict();
    file.as_obj().expect("file").set_dict(dict);
    let mode_value = vm.new_str(mode_text);
    let path_copy = vm.new_str(path);
    let readable = mode.read || mode.update;
    let writable = !mode.read || mode.update;
    set_field(vm, file, "_content", content_value);
    set_field(
        vm,
        file,
        "_position",
        Value::small_int_unchecked(position as i64),
    );
    set_field(vm, file, "_handle", handle);
    set_field(vm, file, "_path", path_copy);
    set_field(vm, file, "_readable", Value::bool(readable));
    set_field(vm, file, "_writable", Value::bool(writable));
    set_field(vm, file, "_append", Value::bool(mode.append));
    set_field(vm, file, "_dirty", Value::FALSE);
    set_field(vm, file, "name", path_value);
    set_field(vm, file, "mode", mode_value);
    set_field(vm, file, "closed", Value::FALSE);
    if !mode.binary {
        let newline_value = match newline {
            Some(newline) => vm.new_str(newline),
            None => Value::NONE,
        };
        set_field(vm, file, "encoding", encoding_value);
        set_field(vm, file, "errors", errors_value);
        set_field(vm, file, "_newline", newline_value);
    }
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
    add_method(vm, class, "write", file_write);
    add_method(vm, class, "writelines", file_writelines);
    add_method(vm, class, "flush", file_flush);
    add_method(vm, class, "truncate", file_truncate);
    add_method(vm, class, "__repr__", file_repr);
    add_method(vm, class, "readable", |vm, args, _| {
        open_state(vm, args)?;
        Ok(field(args[0], "_readable"))
    });
    add_method(vm, class, "writable", |vm, args, _| {
        open_state(vm, args)?;
        Ok(field(args[0], "_writable"))
    });
    add_method(vm, class, "seekable", |vm, args, _| {
        open_state(vm, args)?;
        Ok(Value::bool(field(args[0], "_handle").is_none()))
    });
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
