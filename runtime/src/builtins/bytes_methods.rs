//! The Python-visible methods of `bytes` and `bytearray`: construction,
//! `decode` (the UTF-8/16/32, ASCII and Latin-1 decoders), `hex` /
//! `fromhex`, searching, splitting, stripping, ASCII case mapping and
//! predicates, indexing and slicing, the operator dunders, and the
//! in-place mutations of `bytearray` (`append`, `extend`, `pop`, item and
//! slice assignment...), with CPython 3.11's results and error texts. It
//! also owns `bytes_repr`, the `b'...'` rendering.
//!
//! Most methods exist on both types and differ only in the type of their
//! result and the type name in messages; each is written once, generic
//! over `const BYTEARRAY: bool`, and registered twice. The byte-string
//! algorithms (search, split, strip, replace) are the pure functions at
//! the end of the file. A bytearray's buffer is borrowed only briefly and
//! never across a call that may run Python code.

use crate::objects::bytearray::ByteArrayCell;
use std::borrow::Cow;

use num_traits::ToPrimitive;

use crate::builtins::args::int_value;
use crate::builtins::containers::{alloc_instance, defers_to_reflected, new_class_argument};
use crate::builtins::str_methods::{
    bind_keywords, bytes_percent_format, check_no_args, check_one_arg, check_positional,
    check_tuple_style, check_unpacked_wrapper, check_wrapper, codec_name_arg, encode_to_bytes,
    has_index, index_arg, join_items, lookup_codec, memory_error, repeat_count, slice_bound_arg,
    unknown_encoding, unknown_error_handler, ByteOrder, Codec, MAX_RESULT_BYTES,
};
use crate::builtins::{add_classmethod, add_method, add_staticmethod};
use crate::engine::{ops, pystr_of, str_of, tuple_items, Vm};
use crate::objects::{ObjKind, PyStr};
use crate::text::strops;
use crate::value::Value;
use crate::PyResult;

type Native = crate::objects::NativeFn;

/// The bytes of a bytes-like object: borrowed for bytes, copied for a
/// bytearray (so no borrow of its buffer outlives the call).
type ByteView = Cow<'static, [u8]>;

/// A method's receiver, its bytes and the remaining positional arguments.
type Receiver<'a> = (Value, ByteView, &'a [Value]);

/// A bytearray method's receiver, its buffer and the other arguments.
type ByteArrayReceiver<'a> = (Value, &'static ByteArrayCell, &'a [Value]);

/// `(sub, start, end)` of `find`-like methods.
type SearchArguments = (ByteView, Option<i64>, Option<i64>);

/// Registers the methods of `bytes` and `bytearray`.
pub fn register(vm: &mut Vm) {
    let bytes = vm.types.bytes;
    let bytearray = vm.types.bytearray;
    add_staticmethod(vm, bytes, "__new__", bytes_new::<false>);
    add_staticmethod(vm, bytearray, "__new__", bytes_new::<true>);
    add_classmethod(vm, bytes, "fromhex", bytes_fromhex::<false>);
    add_classmethod(vm, bytearray, "fromhex", bytes_fromhex::<true>);
    add_staticmethod(vm, bytes, "maketrans", bytes_maketrans);
    add_staticmethod(vm, bytearray, "maketrans", bytes_maketrans);
    add_method(vm, bytes, "translate", bytes_translate::<false>);
    add_method(vm, bytearray, "translate", bytes_translate::<true>);
    add_method(vm, bytes, "expandtabs", bytes_expandtabs::<false>);
    add_method(vm, bytearray, "expandtabs", bytes_expandtabs::<true>);

    let shared: &[(&'static str, Native, Native)] = &[
        ("decode", bytes_decode::<false>, bytes_decode::<true>),
        ("hex", bytes_hex::<false>, bytes_hex::<true>),
        ("join", bytes_join::<false>, bytes_join::<true>),
        ("split", bytes_split::<false>, bytes_split::<true>),
        ("rsplit", bytes_rsplit::<false>, bytes_rsplit::<true>),
        (
            "splitlines",
            bytes_splitlines::<false>,
            bytes_splitlines::<true>,
        ),
        ("strip", bytes_strip::<false>, bytes_strip::<true>),
        ("lstrip", bytes_lstrip::<false>, bytes_lstrip::<true>),
        ("rstrip", bytes_rstrip::<false>, bytes_rstrip::<true>),
        ("replace", bytes_replace::<false>, bytes_replace::<true>),
        ("find", bytes_find::<false>, bytes_find::<true>),
        ("rfind", bytes_rfind::<false>, bytes_rfind::<true>),
        ("index", bytes_index::<false>, bytes_index::<true>),
        ("rindex", bytes_rindex::<false>, bytes_rindex::<true>),
        ("count", bytes_count::<false>, bytes_count::<true>),
        (
            "startswith",
            bytes_startswith::<false>,
            bytes_startswith::<true>,
        ),
        ("endswith", bytes_endswith::<false>, bytes_endswith::<true>),
        (
            "partition",
            bytes_partition::<false>,
            bytes_partition::<true>,
        ),
        (
            "rpartition",
            bytes_rpartition::<false>,
            bytes_rpartition::<true>,
        ),
        (
            "removeprefix",
            bytes_removeprefix::<false>,
            bytes_removeprefix::<true>,
        ),
        (
            "removesuffix",
            bytes_removesuffix::<false>,
            bytes_removesuffix::<true>,
        ),
        ("upper", bytes_upper::<false>, bytes_upper::<true>),
        ("lower", bytes_lower::<false>, bytes_lower::<true>),
        ("swapcase", bytes_swapcase::<false>, bytes_swapcase::<true>),
        (
            "capitalize",
            bytes_capitalize::<false>,
            bytes_capitalize::<true>,
        ),
        ("title", bytes_title::<false>, bytes_title::<true>),
        ("isalnum", bytes_isalnum::<false>, bytes_isalnum::<true>),
        ("isalpha", bytes_isalpha::<false>, bytes_isalpha::<true>),
        ("isdigit", bytes_isdigit::<false>, bytes_isdigit::<true>),
        ("isspace", bytes_isspace::<false>, bytes_isspace::<true>),
        ("islower", bytes_islower::<false>, bytes_islower::<true>),
        ("isupper", bytes_isupper::<false>, bytes_isupper::<true>),
        ("isascii", bytes_isascii::<false>, bytes_isascii::<true>),
        ("istitle", bytes_istitle::<false>, bytes_istitle::<true>),
        ("center", bytes_center::<false>, bytes_center::<true>),
        ("ljust", bytes_ljust::<false>, bytes_ljust::<true>),
        ("rjust", bytes_rjust::<false>, bytes_rjust::<true>),
        ("zfill", bytes_zfill::<false>, bytes_zfill::<true>),
        (
            "__getitem__",
            bytes_getitem_method::<false>,
            bytes_getitem_method::<true>,
        ),
        ("__len__", bytes_len::<false>, bytes_len::<true>),
        (
            "__contains__",
            bytes_contains::<false>,
            bytes_contains::<true>,
        ),
        ("__add__", bytes_add::<false>, bytes_add::<true>),
        ("__mul__", bytes_mul::<false>, bytes_mul::<true>),
        ("__rmul__", bytes_rmul::<false>, bytes_rmul::<true>),
        ("__eq__", bytes_eq::<false>, bytes_eq::<true>),
        ("__ne__", bytes_ne::<false>, bytes_ne::<true>),
        ("__lt__", bytes_lt::<false>, bytes_lt::<true>),
        ("__le__", bytes_le::<false>, bytes_le::<true>),
        ("__gt__", bytes_gt::<false>, bytes_gt::<true>),
        ("__ge__", bytes_ge::<false>, bytes_ge::<true>),
        (
            "__repr__",
            bytes_repr_method::<false>,
            bytes_repr_method::<true>,
        ),
        ("__mod__", bytes_mod::<false>, bytes_mod::<true>),
        ("__rmod__", bytes_rmod::<false>, bytes_rmod::<true>),
    ];
    for (name, for_bytes, for_bytearray) in shared {
        add_method(vm, bytes, name, *for_bytes);
        add_method(vm, bytearray, name, *for_bytearray);
    }
    add_method(vm, bytes, "__hash__", bytes_hash);

    let mutating: &[(&'static str, Native)] = &[
        ("append", bytearray_append),
        ("extend", bytearray_extend),
        ("pop", bytearray_pop),
        ("insert", bytearray_insert),
        ("remove", bytearray_remove),
        ("clear", bytearray_clear),
        ("copy", bytearray_copy),
        ("reverse", bytearray_reverse),
        ("__setitem__", bytearray_setitem),
        ("__delitem__", bytearray_delitem),
        ("__iadd__", bytearray_iadd),
        ("__imul__", bytearray_imul),
    ];
    for (name, function) in mutating {
        add_method(vm, bytearray, name, *function);
    }
}

// ---------------------------------------------------------------------------
// repr
// ---------------------------------------------------------------------------

/// CPython's repr of a byte string: `class_prefix` is `"b"` for bytes and
/// `"bytearray(b"` (or `"Sub(b"`) for bytearrays, whose repr then closes
/// with `)`. Printable ASCII stays as is, `\t \n \r \\` and the quote are
/// escaped, every other byte is `\xhh`.
pub fn bytes_repr(bytes: &[u8], class_prefix: &str) -> String {
    let quote = if bytes.contains(&b'\'') && !bytes.contains(&b'"') {
        b'"'
    } else {
        b'\''
    };
    let mut out = String::with_capacity(bytes.len() + class_prefix.len() + 3);
    out.push_str(class_prefix);
    out.push(quote as char);
    for &byte in bytes {
        match byte {
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            _ if byte == quote => {
                out.push('\\');
                out.push(byte as char);
            }
            0x20..=0x7e => out.push(byte as char),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\x");
                out.push(HEX[(byte >> 4) as usize] as char);
                out.push(HEX[(byte & 0xf) as usize] as char);
            }
        }
    }
    out.push(quote as char);
    if class_prefix.contains('(') {
        out.push(')');
    }
    out
}

// ---------------------------------------------------------------------------
// Receivers, arguments, results
// ---------------------------------------------------------------------------

fn type_label<const BYTEARRAY: bool>() -> &'static str {
    if BYTEARRAY {
        "bytearray"
    } else {
        "bytes"
    }
}

/// The receiver of a bytes/bytearray method and a view of its bytes
/// (a copy for a bytearray, so no borrow outlives this call).
fn receiver<'a, const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &'a [Value],
    name: &str,
) -> PyResult<Receiver<'a>> {
    let owner = type_label::<BYTEARRAY>();
    let dunder = name.starts_with("__") && name.ends_with("__");
    let Some(&first) = args.first() else {
        return if dunder {
            vm.err_type(format!(
                "descriptor '{name}' of '{owner}' object needs an argument"
            ))
        } else {
            vm.err_type(format!("unbound method {owner}.{name}() needs an argument"))
        };
    };
    let data = match (first.as_obj().map(|obj| &obj.kind), BYTEARRAY) {
        (Some(ObjKind::Bytes(bytes)), false) => Some(Cow::Borrowed(&bytes[..])),
        (Some(ObjKind::ByteArray(bytes)), true) => Some(Cow::Owned(bytes.borrow().clone())),
        _ => None,
    };
    match data {
        Some(data) => Ok((first, data, &args[1..])),
        None => {
            let type_name = vm.type_name(first);
            if dunder {
                vm.err_type(format!(
                    "descriptor '{name}' requires a '{owner}' object but received a '{type_name}'"
                ))
            } else {
                vm.err_type(format!("descriptor '{name}' for '{owner}' objects doesn't apply to a '{type_name}' object"))
            }
        }
    }
}

/// The buffer of a bytearray receiver (already checked by `receiver`).
fn bytearray_cell(value: Value) -> &'static ByteArrayCell {
    match value.as_obj().map(|obj| &obj.kind) {
        Some(ObjKind::ByteArray(bytes)) => bytes,
        _ => unreachable!("bytearray receiver checked by the caller"),
    }
}

/// The receiver of a bytearray-only method and its buffer.
fn bytearray_receiver<'a>(
    vm: &mut Vm,
    args: &'a [Value],
    name: &str,
) -> PyResult<ByteArrayReceiver<'a>> {
    let (this, _, given) = receiver::<true>(vm, args, name)?;
    Ok((this, bytearray_cell(this), given))
}

/// The bytes of a bytes-like object, if it is one.
pub(crate) fn buffer_of(value: Value) -> Option<Cow<'static, [u8]>> {
    match value.as_obj().map(|obj| &obj.kind) {
        Some(ObjKind::Bytes(bytes)) => Some(Cow::Borrowed(&bytes[..])),
        Some(ObjKind::ByteArray(bytes)) => Some(Cow::Owned(bytes.borrow().clone())),
        Some(ObjKind::MemoryView(_)) => crate::builtins::memoryview::memoryview_bytes(value),
        _ => None,
    }
}

/// A bytes-like argument: "a bytes-like object is required, not 'str'".
fn buffer_arg(vm: &mut Vm, value: Value) -> PyResult<Cow<'static, [u8]>> {
    match buffer_of(value) {
        Some(data) => Ok(data),
        None => {
            let type_name = vm.type_name(value);
            vm.err_type(format!(
                "a bytes-like object is required, not '{type_name}'"
            ))
        }
    }
}

/// A byte value (0..=255) from an int-like object.
fn byte_value(vm: &mut Vm, value: Value, message: &str) -> PyResult<u8> {
    let n = index_arg(vm, value)?;
    match u8::try_from(n) {
        Ok(byte) => Ok(byte),
        Err(_) => vm.err_value(message.to_string()),
    }
}

/// A new exact bytes or bytearray (by `BYTEARRAY`).
fn make<const BYTEARRAY: bool>(vm: &mut Vm, data: Vec<u8>) -> Value {
    if BYTEARRAY {
        let class = vm.types.bytearray;
        vm.alloc(class, ObjKind::ByteArray(ByteArrayCell::new(data)))
    } else {
        vm.new_bytes(data)
    }
}

/// The receiver itself when it is an exact `bytes` whose content is
/// unchanged (CPython returns self), else a new object.
fn same_or_new<const BYTEARRAY: bool>(
    vm: &mut Vm,
    this: Value,
    original: &[u8],
    result: &[u8],
) -> Value {
    if !BYTEARRAY && vm.type_of(this) == vm.types.bytes && original == result {
        return this;
    }
    make::<BYTEARRAY>(vm, result.to_vec())
}

fn check_size(vm: &mut Vm, size: u128) -> PyResult<()> {
    if size > MAX_RESULT_BYTES as u128 {
        return Err(memory_error(vm));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Construction
// ---------------------------------------------------------------------------

/// `bytes(source=b'', encoding=..., errors=...)` and `bytearray(...)`.
fn bytes_new<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    let owner = type_label::<BYTEARRAY>();
    let base = if BYTEARRAY {
        vm.types.bytearray
    } else {
        vm.types.bytes
    };
    let class = new_class_argument(vm, args, owner, base)?;
    let bound = bind_keywords(
        vm,
        owner,
        &args[1..],
        kwargs,
        &["source", "encoding", "errors"],
    )?;
    let (source, encoding, errors) = (bound[0], bound[1], bound[2]);
    let data = bytes_from_source::<BYTEARRAY>(vm, source, encoding, errors)?;
    if class == base {
        return Ok(make::<BYTEARRAY>(vm, data));
    }
    let kind = if BYTEARRAY {
        ObjKind::ByteArray(ByteArrayCell::new(data))
    } else {
        ObjKind::Bytes(data.into_boxed_slice())
    };
    Ok(alloc_instance(vm, class, kind))
}

fn bytes_from_source<const BYTEARRAY: bool>(
    vm: &mut Vm,
    source: Value,
    encoding: Value,
    errors: Value,
) -> PyResult<Vec<u8>> {
    let owner = type_label::<BYTEARRAY>();
    if let Some(text) = str_of(source).filter(|_| !source.is_null()) {
        if encoding.is_null() {
            return vm.err_type("string argument without an encoding");
        }
        let encoding = codec_name_arg(vm, owner, "encoding", encoding, "utf-8")?;
        let errors = codec_name_arg(vm, owner, "errors", errors, "strict")?;
        return encode_to_bytes(vm, text, encoding, errors);
    }
    if !encoding.is_null() {
        codec_name_arg(vm, owner, "encoding", encoding, "utf-8")?;
        return vm.err_type("encoding without a string argument");
    }
    if !errors.is_null() {
        codec_name_arg(vm, owner, "errors", errors, "strict")?;
        return vm.err_type("errors without a string argument");
    }
    if source.is_null() {
        return Ok(Vec::new());
    }
    if let Some(data) = buffer_of(source) {
        return Ok(data.into_owned());
    }
    if !BYTEARRAY
        && !vm.is_builtin_class(vm.type_of(source))
        && ops::lookup_class_attr(vm.type_of(source), "__bytes__").is_some()
    {
        let result = ops::call_special(vm, source, "__bytes__", &[])?.unwrap_or(Value::NONE);
        return match result.as_obj().map(|obj| &obj.kind) {
            Some(ObjKind::Bytes(bytes)) => Ok(bytes.to_vec()),
            _ => {
                let type_name = vm.type_name(result);
                vm.err_type(format!("__bytes__ returned non-bytes (type {type_name})"))
            }
        };
    }
    if has_index(vm, source) {
        let index = ops::index_value(vm, source)?;
        let count = int_value(index).unwrap_or_default();
        let Some(count) = count.to_i64() else {
            return Err(vm.overflow_error("cannot fit 'int' into an index-sized integer"));
        };
        if count < 0 {
            return vm.err_value("negative count");
        }
        check_size(vm, count as u128)?;
        return Ok(vec![0; count as usize]);
    }
    let iterator = match ops::iter(vm, source) {
        Ok(iterator) => iterator,
        Err(error) => {
            if vm.is_instance(error, vm.types.exc.type_error) {
                let type_name = vm.type_name(source);
                return vm.err_type(format!("cannot convert '{type_name}' object to {owner}"));
            }
            return Err(error);
        }
    };
    let range_message = if BYTEARRAY {
        "byte must be in range(0, 256)"
    } else {
        "bytes must be in range(0, 256)"
    };
    let mut data = Vec::new();
    while let Some(item) = ops::next(vm, iterator)? {
        data.push(byte_value(vm, item, range_message)?);
    }
    Ok(data)
}

/// `bytes.fromhex(string)` / `bytearray.fromhex(string)` (classmethods).
fn bytes_fromhex<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    let owner = type_label::<BYTEARRAY>();
    let class = args.first().copied().unwrap_or(Value::NULL);
    let given = args.get(1..).unwrap_or(&[]);
    let text = check_one_arg(vm, owner, "fromhex", given, kwargs)?;
    let Some(text) = str_of(text) else {
        let type_name = vm.type_name(text);
        return vm.err_type(format!("fromhex() argument must be str, not {type_name}"));
    };
    let data = match parse_hex(text) {
        Ok(data) => data,
        Err(position) => {
            return vm.err_value(format!(
                "non-hexadecimal number found in fromhex() arg at position {position}"
            ))
        }
    };
    let exact = if BYTEARRAY {
        vm.types.bytearray
    } else {
        vm.types.bytes
    };
    let result = make::<BYTEARRAY>(vm, data);
    if class.is_null() || class == exact {
        return Ok(result);
    }
    ops::call(vm, class, &[result], &[])
}

// ---------------------------------------------------------------------------
// Codecs
// ---------------------------------------------------------------------------

/// Why [`decode_bytes`] failed.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum DecodeFailure {
    /// The UnicodeDecodeError message.
    Undecodable(String),
    UnknownHandler(String),
}

fn decode_error_message(
    codec: Codec,
    data: &[u8],
    start: usize,
    end: usize,
    reason: &str,
) -> String {
    if end - start == 1 {
        format!(
            "'{}' codec can't decode byte 0x{:02x} in position {start}: {reason}",
            codec.name(),
            data[start]
        )
    } else {
        format!(
            "'{}' codec can't decode bytes in position {start}-{}: {reason}",
            codec.name(),
            end - 1
        )
    }
}

/// Applies error handler `errors` to the undecodable bytes `start..end`.
fn handle_decode_error(
    codec: Codec,
    data: &[u8],
    start: usize,
    end: usize,
    reason: &str,
    errors: &str,
    out: &mut String,
) -> Result<(), DecodeFailure> {
    match errors {
        "strict" | "surrogateescape" | "surrogatepass" => Err(DecodeFailure::Undecodable(
            decode_error_message(codec, data, start, end, reason),
        )),
        "ignore" => Ok(()),
        "replace" => {
            out.push('\u{FFFD}');
            Ok(())
        }
        "backslashreplace" => {
            for byte in &data[start..end] {
                out.push_str(&format!("\\x{byte:02x}"));
            }
            Ok(())
        }
        other => Err(DecodeFailure::UnknownHandler(other.to_string())),
    }
}

/// Bytes that can never start a UTF-8 sequence.
fn is_invalid_utf8_start(byte: u8) -> bool {
    (0x80..=0xC1).contains(&byte) || byte >= 0xF5
}

/// Decodes `data` with `codec`, CPython's error ranges and reasons included.
pub(crate) fn decode_bytes(
    codec: Codec,
    data: &[u8],
    errors: &str,
) -> Result<String, DecodeFailure> {
    let mut out = String::with_capacity(data.len());
    match codec {
        Codec::Latin1 => out.extend(data.iter().map(|byte| *byte as char)),
        Codec::Ascii => {
            for (position, byte) in data.iter().enumerate() {
                if byte.is_ascii() {
                    out.push(*byte as char);
                } else {
                    handle_decode_error(
                        codec,
                        data,
                        position,
                        position + 1,
                        "ordinal not in range(128)",
                        errors,
                        &mut out,
                    )?;
                }
            }
        }
        Codec::Utf8 => decode_utf8(data, errors, &mut out)?,
        // CPython decodes what follows the BOM as a separate buffer, so
        // error positions count from there.
        Codec::Utf8Sig => decode_utf8(
            data.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(data),
            errors,
            &mut out,
        )?,
        Codec::Utf16(order) => {
            let (order, start) = match (order, data) {
                (Some(order), _) => (order, 0),
                (None, [0xFF, 0xFE, ..]) => (ByteOrder::Little, 2),
                (None, [0xFE, 0xFF, ..]) => (ByteOrder::Big, 2),
                (None, _) => (ByteOrder::Little, 0),
            };
            decode_utf16(data, start, order, errors, &mut out)?;
        }
        Codec::Utf32(order) => {
            let (order, start) = match (order, data) {
                (Some(order), _) => (order, 0),
                (None, [0xFF, 0xFE, 0, 0, ..]) => (ByteOrder::Little, 4),
                (None, [0, 0, 0xFE, 0xFF, ..]) => (ByteOrder::Big, 4),
                (None, _) => (ByteOrder::Little, 0),
            };
            decode_utf32(data, start, order, errors, &mut out)?;
        }
        Codec::UnicodeEscape | Codec::RawUnicodeEscape => {
            let raw = codec == Codec::RawUnicodeEscape;
            out = crate::builtins::escape_codecs::decode_escaped(data, raw, &mut |error, out| {
                handle_decode_error(
                    codec,
                    data,
                    error.start,
                    error.end,
                    error.reason,
                    errors,
                    out,
                )
            })?;
        }
    }
    Ok(out)
}

fn decode_utf8(data: &[u8], errors: &str, out: &mut String) -> Result<(), DecodeFailure> {
    let mut offset = 0;
    while offset < data.len() {
        match std::str::from_utf8(&data[offset..]) {
            Ok(text) => {
                out.push_str(text);
                break;
            }
            Err(error) => {
                let valid = error.valid_up_to();
                out.push_str(
                    std::str::from_utf8(&data[offset..offset + valid]).unwrap_or_default(),
                );
                let start = offset + valid;
                let (length, reason) = match error.error_len() {
                    Some(1) if is_invalid_utf8_start(data[start]) => (1, "invalid start byte"),
                    Some(length) => (length, "invalid continuation byte"),
                    None => (data.len() - start, "unexpected end of data"),
                };
                handle_decode_error(
                    Codec::Utf8,
                    data,
                    start,
                    start + length,
                    reason,
                    errors,
                    out,
                )?;
                offset = start + length;
            }
        }
    }
    Ok(())
}

fn read_unit(data: &[u8], position: usize, width: usize, order: ByteOrder) -> u32 {
    let bytes = &data[position..position + width];
    let fold = |value: u32, byte: &u8| (value << 8) | *byte as u32;
    match order {
        ByteOrder::Big => bytes.iter().fold(0, fold),
        ByteOrder::Little => bytes.iter().rev().fold(0, fold),
    }
}

fn decode_utf16(
    data: &[u8],
    start: usize,
    order: ByteOrder,
    errors: &str,
    out: &mut String,
) -> Result<(), DecodeFailure> {
    let codec = Codec::Utf16(Some(order));
    let mut position = start;
    while position < data.len() {
        if data.len() - position < 2 {
            handle_decode_error(
                codec,
                data,
                position,
                data.len(),
                "truncated data",
                errors,
                out,
            )?;
            break;
        }
        let unit = read_unit(data, position, 2, order);
        if !(0xD800..0xE000).contains(&unit) {
            out.push(char::from_u32(unit).unwrap_or('\u{FFFD}'));
            position += 2;
            continue;
        }
        if unit >= 0xDC00 {
            handle_decode_error(
                codec,
                data,
                position,
                position + 2,
                "illegal encoding",
                errors,
                out,
            )?;
            position += 2;
            continue;
        }
        if data.len() - position < 4 {
            handle_decode_error(
                codec,
                data,
                position,
                data.len(),
                "unexpected end of data",
                errors,
                out,
            )?;
            break;
        }
        let low = read_unit(data, position + 2, 2, order);
        if !(0xDC00..0xE000).contains(&low) {
            handle_decode_error(
                codec,
                data,
                position,
                position + 2,
                "illegal UTF-16 surrogate",
                errors,
                out,
            )?;
            position += 2;
            continue;
        }
        let code = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
        out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
        position += 4;
    }
    Ok(())
}

fn decode_utf32(
    data: &[u8],
    start: usize,
    order: ByteOrder,
    errors: &str,
    out: &mut String,
) -> Result<(), DecodeFailure> {
    let codec = Codec::Utf32(Some(order));
    let mut position = start;
    while position < data.len() {
        if data.len() - position < 4 {
            handle_decode_error(
                codec,
                data,
                position,
                data.len(),
                "truncated data",
                errors,
                out,
            )?;
            break;
        }
        let code = read_unit(data, position, 4, order);
        if code > 0x10FFFF {
            handle_decode_error(
                codec,
                data,
                position,
                position + 4,
                "code point not in range(0x110000)",
                errors,
                out,
            )?;
        } else if (0xD800..0xE000).contains(&code) {
            handle_decode_error(
                codec,
                data,
                position,
                position + 4,
                "code point in surrogate code point range(0xd800, 0xe000)",
                errors,
                out,
            )?;
        } else {
            out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
        }
        position += 4;
    }
    Ok(())
}

/// Decodes with the named codec and handler, raising as CPython does
/// (also used by `str(bytes, encoding, errors)`).
pub(crate) fn decode_to_string(
    vm: &mut Vm,
    data: &[u8],
    encoding: &str,
    errors: &str,
) -> PyResult<String> {
    let Some(codec) = lookup_codec(encoding) else {
        return Err(unknown_encoding(vm, encoding));
    };
    match decode_bytes(codec, data, errors) {
        Ok(text) => Ok(text),
        Err(DecodeFailure::Undecodable(message)) => Err(
            crate::builtins::unicode_errors::decode_error(vm, data, &message),
        ),
        Err(DecodeFailure::UnknownHandler(name)) => Err(unknown_error_handler(vm, &name)),
    }
}

fn bytes_decode<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    let (_, data, given) = receiver::<BYTEARRAY>(vm, args, "decode")?;
    let bound = bind_keywords(vm, "decode", given, kwargs, &["encoding", "errors"])?;
    let encoding = codec_name_arg(vm, "decode", "encoding", bound[0], "utf-8")?;
    let errors = codec_name_arg(vm, "decode", "errors", bound[1], "strict")?;
    let text = decode_to_string(vm, &data, encoding, errors)?;
    Ok(vm.new_str(text))
}

// ---------------------------------------------------------------------------
// hex / fromhex
// ---------------------------------------------------------------------------

/// `data.hex(sep, bytes_per_sep)`: separators every `|bytes_per_sep|`
/// bytes, counted from the right when positive and from the left when
/// negative.
pub(crate) fn hex_string(data: &[u8], separator: Option<char>, bytes_per_separator: i64) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let group = bytes_per_separator.unsigned_abs() as usize;
    let mut out = String::with_capacity(data.len() * 3);
    for (index, byte) in data.iter().enumerate() {
        if let Some(separator) = separator.filter(|_| group > 0 && index > 0) {
            let boundary = if bytes_per_separator > 0 {
                (data.len() - index).is_multiple_of(group)
            } else {
                index.is_multiple_of(group)
            };
            if boundary {
                out.push(separator);
            }
        }
        out.push(HEX[(byte >> 4) as usize] as char);
        out.push(HEX[(byte & 0xf) as usize] as char);
    }
    out
}

/// Parses `fromhex` input: pairs of hex digits, ASCII whitespace allowed
/// between pairs. `Err` is the code-point position of the first bad
/// character.
pub(crate) fn parse_hex(text: &str) -> Result<Vec<u8>, usize> {
    let chars: Vec<char> = text.chars().collect();
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c');
    let mut data = Vec::with_capacity(chars.len() / 2);
    let mut position = 0;
    while position < chars.len() {
        if is_space(chars[position]) {
            position += 1;
            continue;
        }
        let high = chars[position].to_digit(16).ok_or(position)?;
        position += 1;
        let low = chars
            .get(position)
            .and_then(|c| c.to_digit(16))
            .ok_or(position)?;
        position += 1;
        data.push((high * 16 + low) as u8);
    }
    Ok(data)
}

fn bytes_hex<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    let (_, data, given) = receiver::<BYTEARRAY>(vm, args, "hex")?;
    let bound = bind_keywords(vm, "hex", given, kwargs, &["sep", "bytes_per_sep"])?;
    let separator = if bound[0].is_null() {
        None
    } else {
        let separator: Vec<char> = if let Some(text) = str_of(bound[0]) {
            text.chars().collect()
        } else if let Some(bytes) = buffer_of(bound[0]) {
            bytes.iter().map(|byte| *byte as char).collect()
        } else {
            let type_name = vm.type_name(bound[0]);
            return vm.err_type(format!("object of type '{type_name}' has no len()"));
        };
        if separator.len() != 1 {
            return vm.err_value("sep must be length 1.");
        }
        if !separator[0].is_ascii() {
            return vm.err_value("sep must be ASCII.");
        }
        Some(separator[0])
    };
    let bytes_per_separator = if bound[1].is_null() {
        1
    } else {
        index_arg(vm, bound[1])?
    };
    Ok(vm.new_str(hex_string(&data, separator, bytes_per_separator)))
}

// ---------------------------------------------------------------------------
// join, split, strip, partition
// ---------------------------------------------------------------------------

fn bytes_join<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    let owner = type_label::<BYTEARRAY>();
    let (_, separator, given) = receiver::<BYTEARRAY>(vm, args, "join")?;
    let iterable = check_one_arg(vm, owner, "join", given, kwargs)?;
    let items = join_items(vm, iterable)?;
    let mut pieces = Vec::with_capacity(items.len());
    let mut size: u128 = 0;
    for (index, item) in items.iter().enumerate() {
        match buffer_of(*item) {
            Some(piece) => {
                size += piece.len() as u128
                    + if index > 0 {
                        separator.len() as u128
                    } else {
                        0
                    };
                pieces.push(piece);
            }
            None => {
                let type_name = vm.type_name(*item);
                return vm.err_type(format!(
                    "sequence item {index}: expected a bytes-like object, {type_name} found"
                ));
            }
        }
    }
    check_size(vm, size)?;
    let mut result = Vec::with_capacity(size as usize);
    for (index, piece) in pieces.iter().enumerate() {
        if index > 0 {
            result.extend_from_slice(&separator);
        }
        result.extend_from_slice(piece);
    }
    Ok(make::<BYTEARRAY>(vm, result))
}

fn split_arguments(
    vm: &mut Vm,
    name: &str,
    given: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<(Option<Cow<'static, [u8]>>, i64)> {
    let bound = bind_keywords(vm, name, given, kwargs, &["sep", "maxsplit"])?;
    let separator = if bound[0].is_null() || bound[0].is_none() {
        None
    } else {
        let separator = buffer_arg(vm, bound[0])?;
        if separator.is_empty() {
            return vm.err_value("empty separator");
        }
        Some(separator)
    };
    let maxsplit = if bound[1].is_null() {
        -1
    } else {
        index_arg(vm, bound[1])?
    };
    Ok((separator, maxsplit))
}

fn byte_list<const BYTEARRAY: bool>(vm: &mut Vm, parts: Vec<&[u8]>) -> Value {
    let items: Vec<Value> = parts
        .into_iter()
        .map(|part| make::<BYTEARRAY>(vm, part.to_vec()))
        .collect();
    vm.new_list(items)
}

fn bytes_split<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    let (_, data, given) = receiver::<BYTEARRAY>(vm, args, "split")?;
    let (separator, maxsplit) = split_arguments(vm, "split", given, kwargs)?;
    let parts = match &separator {
        None => split_whitespace(&data, maxsplit),
        Some(separator) => split_on(&data, separator, maxsplit),
    };
    Ok(byte_list::<BYTEARRAY>(vm, parts))
}

fn bytes_rsplit<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    let (_, data, given) = receiver::<BYTEARRAY>(vm, args, "rsplit")?;
    let (separator, maxsplit) = split_arguments(vm, "rsplit", given, kwargs)?;
    let parts = match &separator {
        None => rsplit_whitespace(&data, maxsplit),
        Some(separator) => rsplit_on(&data, separator, maxsplit),
    };
    Ok(byte_list::<BYTEARRAY>(vm, parts))
}

fn bytes_splitlines<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    let (_, data, given) = receiver::<BYTEARRAY>(vm, args, "splitlines")?;
    let bound = bind_keywords(vm, "splitlines", given, kwargs, &["keepends"])?;
    let keepends = if bound[0].is_null() {
        false
    } else {
        index_arg(vm, bound[0])? != 0
    };
    let parts = split_lines(&data, keepends);
    Ok(byte_list::<BYTEARRAY>(vm, parts))
}

fn strip_family<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
    name: &str,
    left: bool,
    right: bool,
) -> PyResult<Value> {
    let owner = type_label::<BYTEARRAY>();
    let (this, data, given) = receiver::<BYTEARRAY>(vm, args, name)?;
    check_positional(vm, owner, name, given, kwargs, 0, 1)?;
    let chars = match given.first() {
        None => None,
        Some(value) if value.is_none() => None,
        Some(value) => Some(buffer_arg(vm, *value)?),
    };
    let result = strip_bytes(&data, chars.as_deref(), left, right);
    Ok(same_or_new::<BYTEARRAY>(vm, this, &data, result))
}

fn bytes_strip<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    strip_family::<BYTEARRAY>(vm, args, kwargs, "strip", true, true)
}

fn bytes_lstrip<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    strip_family::<BYTEARRAY>(vm, args, kwargs, "lstrip", true, false)
}

fn bytes_rstrip<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    strip_family::<BYTEARRAY>(vm, args, kwargs, "rstrip", false, true)
}

fn partition_family<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
    name: &str,
    from_right: bool,
) -> PyResult<Value> {
    let owner = type_label::<BYTEARRAY>();
    let (this, data, given) = receiver::<BYTEARRAY>(vm, args, name)?;
    let separator = check_one_arg(vm, owner, name, given, kwargs)?;
    let separator = buffer_arg(vm, separator)?;
    if separator.is_empty() {
        return vm.err_value("empty separator");
    }
    let found = if from_right {
        rfind_bytes(&data, &separator, None, None)
    } else {
        find_bytes(&data, &separator, None, None)
    };
    let parts: [&[u8]; 3] = if found < 0 {
        if from_right {
            [&[], &[], &data]
        } else {
            [&data, &[], &[]]
        }
    } else {
        let found = found as usize;
        [&data[..found], &separator, &data[found + separator.len()..]]
    };
    let items: Vec<Value> = parts
        .iter()
        .map(|part| same_or_new::<BYTEARRAY>(vm, this, &data, part))
        .collect();
    Ok(vm.new_tuple(items))
}

fn bytes_partition<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    partition_family::<BYTEARRAY>(vm, args, kwargs, "partition", false)
}

fn bytes_rpartition<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    partition_family::<BYTEARRAY>(vm, args, kwargs, "rpartition", true)
}

fn affix_removal<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
    name: &str,
    prefix: bool,
) -> PyResult<Value> {
    let owner = type_label::<BYTEARRAY>();
    let (this, data, given) = receiver::<BYTEARRAY>(vm, args, name)?;
    let affix = check_one_arg(vm, owner, name, given, kwargs)?;
    let affix = buffer_arg(vm, affix)?;
    let result: &[u8] = if prefix {
        data.strip_prefix(&affix[..]).unwrap_or(&data)
    } else {
        data.strip_suffix(&affix[..]).unwrap_or(&data)
    };
    Ok(same_or_new::<BYTEARRAY>(vm, this, &data, result))
}

fn bytes_removeprefix<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    affix_removal::<BYTEARRAY>(vm, args, kwargs, "removeprefix", true)
}

fn bytes_removesuffix<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    affix_removal::<BYTEARRAY>(vm, args, kwargs, "removesuffix", false)
}

// ---------------------------------------------------------------------------
// maketrans, translate, expandtabs
// ---------------------------------------------------------------------------

/// `bytes.maketrans(from, to)`: a 256-byte table mapping each byte of
/// `from` to the byte of `to` at the same position.
fn bytes_maketrans(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    crate::builtins::args::no_kwargs(vm, "maketrans", kwargs)?;
    if args.len() != 2 {
        return vm.err_type(format!(
            "maketrans expected 2 arguments, got {}",
            args.len()
        ));
    }
    let from = buffer_arg(vm, args[0])?;
    let to = buffer_arg(vm, args[1])?;
    if from.len() != to.len() {
        return vm.err_value("maketrans arguments must have same length");
    }
    let mut table: Vec<u8> = (0..=255).collect();
    for (source, target) in from.iter().zip(to.iter()) {
        table[*source as usize] = *target;
    }
    Ok(vm.new_bytes(table))
}

/// `translate(table, /, delete=b'')`: drops the bytes in `delete`, then
/// maps the rest through `table` (None keeps them).
fn bytes_translate<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    let (this, data, given) = receiver::<BYTEARRAY>(vm, args, "translate")?;
    let mut delete_arg = given.get(1).copied();
    for (key, value) in kwargs {
        if str_of(*key) == Some("delete") && delete_arg.is_none() {
            delete_arg = Some(*value);
        } else {
            let name = vm.str_text(*key);
            return vm.err_type(format!(
                "translate() got an unexpected keyword argument '{name}'"
            ));
        }
    }
    if given.is_empty() || given.len() > 2 {
        return vm.err_type(format!(
            "translate expected at least 1 argument, got {}",
            given.len()
        ));
    }
    let table = if given[0].is_none() {
        None
    } else {
        let table = buffer_arg(vm, given[0])?;
        if table.len() != 256 {
            return vm.err_value("translation table must be 256 characters long");
        }
        Some(table)
    };
    let delete = match delete_arg {
        Some(delete) => buffer_arg(vm, delete)?.into_owned(),
        None => Vec::new(),
    };
    let result: Vec<u8> = data
        .iter()
        .filter(|byte| !delete.contains(byte))
        .map(|byte| table.as_ref().map_or(*byte, |table| table[*byte as usize]))
        .collect();
    Ok(same_or_new::<BYTEARRAY>(vm, this, &data, &result))
}

/// `expandtabs(tabsize=8)`: tabs replaced by spaces up to the next tab
/// stop; newlines and carriage returns restart the column.
fn bytes_expandtabs<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    let (this, data, given) = receiver::<BYTEARRAY>(vm, args, "expandtabs")?;
    let bound = crate::builtins::args::bind(vm, "expandtabs", given, kwargs, &["tabsize"], 0)?;
    let tab_size = if bound[0].is_null() {
        8
    } else {
        index_arg(vm, bound[0])?
    };
    let mut result = Vec::with_capacity(data.len());
    let mut column: i64 = 0;
    for &byte in data.iter() {
        match byte {
            b'\t' => {
                if tab_size > 0 {
                    let spaces = tab_size - column % tab_size;
                    check_size(vm, (result.len() as u128) + spaces as u128)?;
                    result.extend(std::iter::repeat_n(b' ', spaces as usize));
                    column += spaces;
                }
            }
            b'\n' | b'\r' => {
                result.push(byte);
                column = 0;
            }
            _ => {
                result.push(byte);
                column += 1;
            }
        }
    }
    Ok(same_or_new::<BYTEARRAY>(vm, this, &data, &result))
}

// ---------------------------------------------------------------------------
// replace, searching
// ---------------------------------------------------------------------------

fn bytes_replace<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    let owner = type_label::<BYTEARRAY>();
    let (this, data, given) = receiver::<BYTEARRAY>(vm, args, "replace")?;
    check_positional(vm, owner, "replace", given, kwargs, 2, 3)?;
    let old = buffer_arg(vm, given[0])?;
    let new = buffer_arg(vm, given[1])?;
    let count = match given.get(2) {
        Some(count) => index_arg(vm, *count)?,
        None => -1,
    };
    if new.len() > old.len() && count != 0 {
        let occurrences = count_bytes(&data, &old, None, None) as u128;
        let occurrences = if count >= 0 {
            occurrences.min(count as u128)
        } else {
            occurrences
        };
        check_size(
            vm,
            data.len() as u128 + occurrences * (new.len() - old.len()) as u128,
        )?;
    }
    let result = replace_bytes(&data, &old, &new, count);
    Ok(same_or_new::<BYTEARRAY>(vm, this, &data, &result))
}

/// The `(sub, start, end)` of `find`-like methods; `sub` may be an int.
fn search_arguments(
    vm: &mut Vm,
    name: &str,
    given: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<SearchArguments> {
    check_tuple_style(vm, name, given, kwargs, 1, 3)?;
    let needle = match buffer_of(given[0]) {
        Some(needle) => needle,
        None if has_index(vm, given[0]) => Cow::Owned(vec![byte_value(
            vm,
            given[0],
            "byte must be in range(0, 256)",
        )?]),
        None => {
            let type_name = vm.type_name(given[0]);
            return vm.err_type(format!(
                "argument should be integer or bytes-like object, not '{type_name}'"
            ));
        }
    };
    let start = slice_bound_arg(vm, given.get(1).copied().unwrap_or(Value::NULL))?;
    let end = slice_bound_arg(vm, given.get(2).copied().unwrap_or(Value::NULL))?;
    Ok((needle, start, end))
}

/// The receiver's bytes and the `(sub, start, end)` arguments.
fn search<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
    name: &str,
) -> PyResult<(ByteView, SearchArguments)> {
    let (_, data, given) = receiver::<BYTEARRAY>(vm, args, name)?;
    let arguments = search_arguments(vm, name, given, kwargs)?;
    Ok((data, arguments))
}

fn bytes_find<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    let (data, (needle, start, end)) = search::<BYTEARRAY>(vm, args, kwargs, "find")?;
    Ok(vm.new_int(find_bytes(&data, &needle, start, end)))
}

fn bytes_rfind<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    let (data, (needle, start, end)) = search::<BYTEARRAY>(vm, args, kwargs, "rfind")?;
    Ok(vm.new_int(rfind_bytes(&data, &needle, start, end)))
}

fn bytes_index<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    let (data, (needle, start, end)) = search::<BYTEARRAY>(vm, args, kwargs, "index")?;
    match find_bytes(&data, &needle, start, end) {
        -1 => vm.err_value("subsection not found"),
        found => Ok(vm.new_int(found)),
    }
}

fn bytes_rindex<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    let (data, (needle, start, end)) = search::<BYTEARRAY>(vm, args, kwargs, "rindex")?;
    match rfind_bytes(&data, &needle, start, end) {
        -1 => vm.err_value("subsection not found"),
        found => Ok(vm.new_int(found)),
    }
}

fn bytes_count<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    let (data, (needle, start, end)) = search::<BYTEARRAY>(vm, args, kwargs, "count")?;
    Ok(vm.new_int(count_bytes(&data, &needle, start, end) as i64))
}

fn affix_test<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
    name: &str,
    suffix: bool,
) -> PyResult<Value> {
    let (_, data, given) = receiver::<BYTEARRAY>(vm, args, name)?;
    check_tuple_style(vm, name, given, kwargs, 1, 3)?;
    let start = slice_bound_arg(vm, given.get(1).copied().unwrap_or(Value::NULL))?;
    let end = slice_bound_arg(vm, given.get(2).copied().unwrap_or(Value::NULL))?;
    let test = |candidate: &[u8]| {
        let (start, end) = strops::adjust_indices(start, end, data.len());
        if end - start < candidate.len() as i64 {
            return false;
        }
        let window = &data[start as usize..end as usize];
        if suffix {
            window.ends_with(candidate)
        } else {
            window.starts_with(candidate)
        }
    };
    if let Some(single) = buffer_of(given[0]) {
        return Ok(Value::bool(test(&single)));
    }
    if let Some(items) = tuple_items(given[0]) {
        for item in items {
            let candidate = buffer_arg(vm, *item)?;
            if test(&candidate) {
                return Ok(Value::TRUE);
            }
        }
        return Ok(Value::FALSE);
    }
    let type_name = vm.type_name(given[0]);
    vm.err_type(format!(
        "{name} first arg must be bytes or a tuple of bytes, not {type_name}"
    ))
}

fn bytes_startswith<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    affix_test::<BYTEARRAY>(vm, args, kwargs, "startswith", false)
}

fn bytes_endswith<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    affix_test::<BYTEARRAY>(vm, args, kwargs, "endswith", true)
}

// ---------------------------------------------------------------------------
// ASCII case mapping and predicates
// ---------------------------------------------------------------------------

macro_rules! byte_transforms {
    ($($function:ident => $name:literal, $algorithm:path;)*) => {
        $(
            fn $function<const BYTEARRAY: bool>(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
                let (this, data, given) = receiver::<BYTEARRAY>(vm, args, $name)?;
                check_no_args(vm, type_label::<BYTEARRAY>(), $name, given, kwargs)?;
                let result = $algorithm(&data);
                Ok(same_or_new::<BYTEARRAY>(vm, this, &data, &result))
            }
        )*
    };
}

byte_transforms! {
    bytes_upper => "upper", ascii_upper;
    bytes_lower => "lower", ascii_lower;
    bytes_swapcase => "swapcase", ascii_swapcase;
    bytes_capitalize => "capitalize", ascii_capitalize;
    bytes_title => "title", ascii_title;
}

macro_rules! byte_predicates {
    ($($function:ident => $name:literal, $algorithm:path;)*) => {
        $(
            fn $function<const BYTEARRAY: bool>(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
                let (_, data, given) = receiver::<BYTEARRAY>(vm, args, $name)?;
                check_no_args(vm, type_label::<BYTEARRAY>(), $name, given, kwargs)?;
                Ok(Value::bool($algorithm(&data)))
            }
        )*
    };
}

byte_predicates! {
    bytes_isalnum => "isalnum", ascii_isalnum;
    bytes_isalpha => "isalpha", ascii_isalpha;
    bytes_isdigit => "isdigit", ascii_isdigit;
    bytes_isspace => "isspace", ascii_isspace;
    bytes_islower => "islower", ascii_islower;
    bytes_isupper => "isupper", ascii_isupper;
    bytes_isascii => "isascii", ascii_isascii;
    bytes_istitle => "istitle", ascii_istitle;
}

// ---------------------------------------------------------------------------
// Padding
// ---------------------------------------------------------------------------

fn padding<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
    name: &str,
) -> PyResult<Value> {
    let owner = type_label::<BYTEARRAY>();
    let (this, data, given) = receiver::<BYTEARRAY>(vm, args, name)?;
    check_positional(vm, owner, name, given, kwargs, 1, 2)?;
    let width = index_arg(vm, given[0])?;
    let fill = match given.get(1) {
        None => b' ',
        Some(fill) => match buffer_of(*fill) {
            Some(fill) if fill.len() == 1 => fill[0],
            _ => {
                let type_name = vm.type_name(*fill);
                return vm.err_type(format!(
                    "{name}() argument 2 must be a byte string of length 1, not {type_name}"
                ));
            }
        },
    };
    if width <= data.len() as i64 {
        return Ok(same_or_new::<BYTEARRAY>(vm, this, &data, &data));
    }
    check_size(vm, width as u128)?;
    let total = width as usize - data.len();
    let (left, right) = match name {
        "ljust" => (0, total),
        "rjust" => (total, 0),
        // CPython's centering: the odd fill byte goes left when both the
        // padding and the width are odd.
        _ => {
            let left = total / 2 + (total & width as usize & 1);
            (left, total - left)
        }
    };
    let mut result = Vec::with_capacity(width as usize);
    result.extend(std::iter::repeat_n(fill, left));
    result.extend_from_slice(&data);
    result.extend(std::iter::repeat_n(fill, right));
    Ok(make::<BYTEARRAY>(vm, result))
}

fn bytes_center<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    padding::<BYTEARRAY>(vm, args, kwargs, "center")
}

fn bytes_ljust<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    padding::<BYTEARRAY>(vm, args, kwargs, "ljust")
}

fn bytes_rjust<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    padding::<BYTEARRAY>(vm, args, kwargs, "rjust")
}

fn bytes_zfill<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    let owner = type_label::<BYTEARRAY>();
    let (this, data, given) = receiver::<BYTEARRAY>(vm, args, "zfill")?;
    let width = check_one_arg(vm, owner, "zfill", given, kwargs)?;
    let width = index_arg(vm, width)?;
    if width <= data.len() as i64 {
        return Ok(same_or_new::<BYTEARRAY>(vm, this, &data, &data));
    }
    check_size(vm, width as u128)?;
    let zeros = width as usize - data.len();
    let mut result = Vec::with_capacity(width as usize);
    let sign = matches!(data.first(), Some(b'+' | b'-'));
    if sign {
        result.push(data[0]);
    }
    result.extend(std::iter::repeat_n(b'0', zeros));
    result.extend_from_slice(if sign { &data[1..] } else { &data });
    Ok(make::<BYTEARRAY>(vm, result))
}

// ---------------------------------------------------------------------------
// Dunders
// ---------------------------------------------------------------------------

/// The integer a subscript stands for, or `None` if it has no `__index__`.
fn subscript_integer(vm: &mut Vm, key: Value) -> PyResult<Option<i64>> {
    if let Some(n) = key.as_small_int() {
        return Ok(Some(n));
    }
    if !has_index(vm, key) {
        return Ok(None);
    }
    let index = ops::index_value(vm, key)?;
    match int_value(index).and_then(|n| n.to_i64()) {
        Some(n) => Ok(Some(n)),
        None => Err(vm.index_error("cannot fit 'int' into an index-sized integer")),
    }
}

fn is_slice(value: Value) -> bool {
    matches!(
        value.as_obj().map(|obj| &obj.kind),
        Some(ObjKind::Slice { .. })
    )
}

/// The bytes picked by a slice with the given indices.
fn slice_pick(data: &[u8], start: i64, step: i64, count: usize) -> Vec<u8> {
    if step == 1 {
        return data[start as usize..start as usize + count].to_vec();
    }
    (0..count as i64)
        .map(|k| data[(start + k * step) as usize])
        .collect()
}

fn index_type_error<const BYTEARRAY: bool>(vm: &mut Vm, key: Value) -> Value {
    let type_name = vm.type_name(key);
    let noun = if BYTEARRAY { "bytearray" } else { "byte" };
    vm.type_error(format!(
        "{noun} indices must be integers or slices, not {type_name}"
    ))
}

fn index_range_error<const BYTEARRAY: bool>(vm: &mut Vm) -> Value {
    vm.index_error(if BYTEARRAY {
        "bytearray index out of range"
    } else {
        "index out of range"
    })
}

/// Resolves a possibly negative index against `length`.
fn resolve_index(index: i64, length: usize) -> Option<usize> {
    let adjusted = if index < 0 {
        index + length as i64
    } else {
        index
    };
    (adjusted >= 0 && adjusted < length as i64).then_some(adjusted as usize)
}

/// `b[key]`: an int for an index, a new bytes/bytearray for a slice.
fn bytes_getitem_method<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    let (this, _, given) = receiver_without_copy::<BYTEARRAY>(vm, args, "__getitem__")?;
    check_wrapper(vm, "__getitem__", given, kwargs, 1)?;
    let key = given[0];
    let length = byte_length(this);
    if is_slice(key) {
        let (start, _, step, count) = ops::slice_indices(vm, key, length)?;
        let picked = with_bytes(this, |data| slice_pick(data, start, step, count));
        return Ok(make::<BYTEARRAY>(vm, picked));
    }
    let Some(index) = subscript_integer(vm, key)? else {
        return Err(index_type_error::<BYTEARRAY>(vm, key));
    };
    // The length is read again: `__index__` may have run Python code.
    let Some(position) = resolve_index(index, byte_length(this)) else {
        return Err(index_range_error::<BYTEARRAY>(vm));
    };
    let byte = with_bytes(this, |data| data[position]);
    Ok(Value::small_int_unchecked(byte as i64))
}

/// Checks the receiver without copying a bytearray's buffer.
fn receiver_without_copy<'a, const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &'a [Value],
    name: &str,
) -> PyResult<(Value, (), &'a [Value])> {
    let matches = args
        .first()
        .is_some_and(|first| match first.as_obj().map(|obj| &obj.kind) {
            Some(ObjKind::Bytes(_)) => !BYTEARRAY,
            Some(ObjKind::ByteArray(_)) => BYTEARRAY,
            _ => false,
        });
    if matches {
        return Ok((args[0], (), &args[1..]));
    }
    receiver::<BYTEARRAY>(vm, args, name).map(|(this, _, given)| (this, (), given))
}

fn byte_length(value: Value) -> usize {
    match value.as_obj().map(|obj| &obj.kind) {
        Some(ObjKind::Bytes(bytes)) => bytes.len(),
        Some(ObjKind::ByteArray(bytes)) => bytes.borrow().len(),
        _ => 0,
    }
}

/// Runs `action` on the bytes of a bytes or bytearray (a short borrow).
fn with_bytes<T>(value: Value, action: impl FnOnce(&[u8]) -> T) -> T {
    match value.as_obj().map(|obj| &obj.kind) {
        Some(ObjKind::Bytes(bytes)) => action(bytes),
        Some(ObjKind::ByteArray(bytes)) => action(&bytes.borrow()),
        _ => action(&[]),
    }
}

fn bytes_len<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    let (this, _, given) = receiver_without_copy::<BYTEARRAY>(vm, args, "__len__")?;
    check_wrapper(vm, "__len__", given, kwargs, 0)?;
    Ok(vm.new_int(byte_length(this) as i64))
}

fn bytes_contains<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    let (this, _, given) = receiver_without_copy::<BYTEARRAY>(vm, args, "__contains__")?;
    check_wrapper(vm, "__contains__", given, kwargs, 1)?;
    let item = given[0];
    if buffer_of(item).is_none() && has_index(vm, item) {
        let byte = byte_value(vm, item, "byte must be in range(0, 256)")?;
        return Ok(Value::bool(with_bytes(this, |data| data.contains(&byte))));
    }
    let needle = buffer_arg(vm, item)?;
    Ok(Value::bool(with_bytes(this, |data| {
        find_bytes(data, &needle, None, None) >= 0
    })))
}

fn bytes_add<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    let (_, data, given) = receiver::<BYTEARRAY>(vm, args, "__add__")?;
    check_wrapper(vm, "__add__", given, kwargs, 1)?;
    let Some(tail) = buffer_of(given[0]) else {
        if defers_to_reflected(vm, given[0], "__radd__") {
            return Ok(Value::NOT_IMPLEMENTED);
        }
        let type_name = vm.type_name(given[0]);
        return vm.err_type(format!(
            "can't concat {type_name} to {}",
            type_label::<BYTEARRAY>()
        ));
    };
    check_size(vm, data.len() as u128 + tail.len() as u128)?;
    let mut result = Vec::with_capacity(data.len() + tail.len());
    result.extend_from_slice(&data);
    result.extend_from_slice(&tail);
    Ok(make::<BYTEARRAY>(vm, result))
}

/// `data * count` with CPython's size checks (bytes report an overflowing
/// size as OverflowError, bytearray as MemoryError).
fn repeat_bytes<const BYTEARRAY: bool>(vm: &mut Vm, data: &[u8], count: i64) -> PyResult<Vec<u8>> {
    if count <= 0 || data.is_empty() {
        return Ok(Vec::new());
    }
    let Some(size) = usize::try_from(count)
        .ok()
        .and_then(|count| data.len().checked_mul(count))
        .filter(|size| *size <= isize::MAX as usize)
    else {
        if BYTEARRAY || data.len() as u128 * count as u128 <= i64::MAX as u128 {
            return Err(memory_error(vm));
        }
        return Err(vm.overflow_error("repeated bytes are too long"));
    };
    check_size(vm, size as u128)?;
    Ok(data.repeat(count as usize))
}

fn bytes_mul<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    repeat_operator::<BYTEARRAY>(vm, args, kwargs, "__mul__")
}

fn bytes_rmul<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    repeat_operator::<BYTEARRAY>(vm, args, kwargs, "__rmul__")
}

fn repeat_operator<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
    name: &str,
) -> PyResult<Value> {
    let (this, data, given) = receiver::<BYTEARRAY>(vm, args, name)?;
    check_unpacked_wrapper(vm, name, given, kwargs, 1)?;
    let Some(count) = repeat_count(vm, given[0])? else {
        if defers_to_reflected(vm, given[0], "__rmul__") {
            return Ok(Value::NOT_IMPLEMENTED);
        }
        let type_name = vm.type_name(given[0]);
        return vm.err_type(format!(
            "can't multiply sequence by non-int of type '{type_name}'"
        ));
    };
    if count == 1 && !BYTEARRAY && vm.type_of(this) == vm.types.bytes {
        return Ok(this);
    }
    let result = repeat_bytes::<BYTEARRAY>(vm, &data, count)?;
    Ok(make::<BYTEARRAY>(vm, result))
}

fn comparison<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
    name: &str,
    holds: fn(std::cmp::Ordering) -> bool,
) -> PyResult<Value> {
    let (_, data, given) = receiver::<BYTEARRAY>(vm, args, name)?;
    check_wrapper(vm, name, given, kwargs, 1)?;
    match buffer_of(given[0]) {
        Some(other) => Ok(Value::bool(holds(data[..].cmp(&other[..])))),
        None => Ok(Value::NOT_IMPLEMENTED),
    }
}

fn bytes_eq<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    comparison::<BYTEARRAY>(vm, args, kwargs, "__eq__", std::cmp::Ordering::is_eq)
}

fn bytes_ne<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    comparison::<BYTEARRAY>(vm, args, kwargs, "__ne__", std::cmp::Ordering::is_ne)
}

fn bytes_lt<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    comparison::<BYTEARRAY>(vm, args, kwargs, "__lt__", std::cmp::Ordering::is_lt)
}

fn bytes_le<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    comparison::<BYTEARRAY>(vm, args, kwargs, "__le__", std::cmp::Ordering::is_le)
}

fn bytes_gt<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    comparison::<BYTEARRAY>(vm, args, kwargs, "__gt__", std::cmp::Ordering::is_gt)
}

fn bytes_ge<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    comparison::<BYTEARRAY>(vm, args, kwargs, "__ge__", std::cmp::Ordering::is_ge)
}

/// `hash(bytes)`: the hash of the str with the same code points (so
/// `hash(b'abc') == hash('abc')`), as the engine's fast path computes it.
pub(crate) fn hash_bytes(data: &[u8]) -> i64 {
    let text: String = data.iter().map(|byte| *byte as char).collect();
    PyStr::new(text).hash()
}

fn bytes_hash(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, data, given) = receiver::<false>(vm, args, "__hash__")?;
    check_wrapper(vm, "__hash__", given, kwargs, 0)?;
    Ok(vm.new_int(hash_bytes(&data)))
}

fn bytes_repr_method<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    let (this, data, given) = receiver::<BYTEARRAY>(vm, args, "__repr__")?;
    check_wrapper(vm, "__repr__", given, kwargs, 0)?;
    let text = if BYTEARRAY {
        let class_name = vm.type_name(this);
        bytes_repr(&data, &format!("{class_name}(b"))
    } else {
        bytes_repr(&data, "b")
    };
    Ok(vm.new_str(text))
}

/// `format % args` (PEP 461 formatting).
fn bytes_mod<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    let (_, format, given) = receiver::<BYTEARRAY>(vm, args, "__mod__")?;
    check_wrapper(vm, "__mod__", given, kwargs, 1)?;
    let result = bytes_percent_format(vm, &format, given[0])?;
    Ok(make::<BYTEARRAY>(vm, result))
}

/// `other % self`: only meaningful when `other` is itself a bytes format.
fn bytes_rmod<const BYTEARRAY: bool>(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    let (this, _, given) = receiver::<BYTEARRAY>(vm, args, "__rmod__")?;
    check_wrapper(vm, "__rmod__", given, kwargs, 1)?;
    let other = given[0];
    let other_is_bytearray = match other.as_obj().map(|obj| &obj.kind) {
        Some(ObjKind::Bytes(_)) => false,
        Some(ObjKind::ByteArray(_)) => true,
        _ => return Ok(Value::NOT_IMPLEMENTED),
    };
    let format = buffer_of(other).unwrap_or_default();
    let result = bytes_percent_format(vm, &format, this)?;
    Ok(if other_is_bytearray {
        make::<true>(vm, result)
    } else {
        make::<false>(vm, result)
    })
}

// ---------------------------------------------------------------------------
// bytearray mutation
// ---------------------------------------------------------------------------

const BYTE_RANGE: &str = "byte must be in range(0, 256)";

fn bytearray_append(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, cell, given) = bytearray_receiver(vm, args, "append")?;
    let item = check_one_arg(vm, "bytearray", "append", given, kwargs)?;
    let byte = byte_value(vm, item, BYTE_RANGE)?;
    cell.change(|buffer| buffer.push(byte));
    Ok(Value::NONE)
}

/// The bytes an `extend`/slice assignment takes from `iterable`: a
/// buffer's content, or the ints of any other iterable.
fn bytes_from_iterable(
    vm: &mut Vm,
    iterable: Value,
    not_iterable: impl FnOnce(&mut Vm) -> Value,
) -> PyResult<Vec<u8>> {
    if let Some(data) = buffer_of(iterable) {
        return Ok(data.into_owned());
    }
    let iterator = match ops::iter(vm, iterable) {
        Ok(iterator) => iterator,
        Err(error) if vm.is_instance(error, vm.types.exc.type_error) => {
            return Err(not_iterable(vm))
        }
        Err(error) => return Err(error),
    };
    let mut data = Vec::new();
    while let Some(item) = ops::next(vm, iterator)? {
        data.push(byte_value(vm, item, BYTE_RANGE)?);
    }
    Ok(data)
}

fn bytearray_extend(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, cell, given) = bytearray_receiver(vm, args, "extend")?;
    let iterable = check_one_arg(vm, "bytearray", "extend", given, kwargs)?;
    let type_name = vm.type_name(iterable);
    let data = bytes_from_iterable(vm, iterable, |vm| {
        vm.type_error(format!("can't extend bytearray with {type_name}"))
    })?;
    cell.append(&data);
    Ok(Value::NONE)
}

fn bytearray_pop(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, cell, given) = bytearray_receiver(vm, args, "pop")?;
    check_positional(vm, "bytearray", "pop", given, kwargs, 0, 1)?;
    let index = match given.first() {
        Some(index) => index_arg(vm, *index)?,
        None => -1,
    };
    // Checked and removed in one change: another thread may change a
    // shared bytearray between two.
    let popped = cell.update(|buffer| {
        if buffer.is_empty() {
            Err("pop from empty bytearray")
        } else {
            match resolve_index(index, buffer.len()) {
                Some(position) => Ok(buffer.remove(position)),
                None => Err("pop index out of range"),
            }
        }
    });
    match popped {
        Ok(byte) => Ok(Value::small_int_unchecked(byte as i64)),
        Err(message) => Err(vm.index_error(message)),
    }
}

fn bytearray_insert(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, cell, given) = bytearray_receiver(vm, args, "insert")?;
    check_positional(vm, "bytearray", "insert", given, kwargs, 2, 2)?;
    let index = index_arg(vm, given[0])?;
    let byte = byte_value(vm, given[1], BYTE_RANGE)?;
    cell.change(|buffer| {
        let length = buffer.len() as i64;
        let position = if index < 0 {
            (index + length).max(0)
        } else {
            index.min(length)
        };
        buffer.insert(position as usize, byte);
    });
    Ok(Value::NONE)
}

fn bytearray_remove(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, cell, given) = bytearray_receiver(vm, args, "remove")?;
    let item = check_one_arg(vm, "bytearray", "remove", given, kwargs)?;
    let byte = byte_value(vm, item, BYTE_RANGE)?;
    let removed = cell.update(|buffer| {
        let position = buffer.iter().position(|candidate| *candidate == byte);
        position.map(|position| buffer.remove(position)).ok_or(())
    });
    match removed {
        Ok(_) => Ok(Value::NONE),
        Err(()) => vm.err_value("value not found in bytearray"),
    }
}

fn bytearray_clear(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, cell, given) = bytearray_receiver(vm, args, "clear")?;
    check_no_args(vm, "bytearray", "clear", given, kwargs)?;
    cell.change(Vec::clear);
    Ok(Value::NONE)
}

fn bytearray_copy(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, cell, given) = bytearray_receiver(vm, args, "copy")?;
    check_no_args(vm, "bytearray", "copy", given, kwargs)?;
    let data = cell.borrow().clone();
    Ok(make::<true>(vm, data))
}

fn bytearray_reverse(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, cell, given) = bytearray_receiver(vm, args, "reverse")?;
    check_no_args(vm, "bytearray", "reverse", given, kwargs)?;
    cell.change(|buffer| buffer.reverse());
    Ok(Value::NONE)
}

/// `bytearray[key] = value` for an index (an int value) or a slice (a
/// buffer or an iterable of ints; extended slices must match in size).
fn bytearray_setitem(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, cell, given) = bytearray_receiver(vm, args, "__setitem__")?;
    check_unpacked_wrapper(vm, "__setitem__", given, kwargs, 2)?;
    let (key, value) = (given[0], given[1]);
    if is_slice(key) {
        let data = if buffer_of(value).is_none() && (has_index(vm, value) || float_of_or_str(value))
        {
            return vm
                .err_type("can assign only bytes, buffers, or iterables of ints in range(0, 256)");
        } else {
            bytes_from_iterable(vm, value, |vm| {
                vm.type_error(
                    "can assign only bytes, buffers, or iterables of ints in range(0, 256)",
                )
            })?
        };
        // The bounds are clamped to the length in the same change that
        // writes: another thread may resize a shared bytearray meanwhile.
        let bounds = ops::slice_bounds(vm, key)?;
        let assigned = cell.update(|buffer| {
            let (start, stop, step, count) = bounds.indices(buffer.len());
            if step == 1 {
                let start = start as usize;
                let stop = (stop.max(start as i64) as usize).min(buffer.len());
                buffer.splice(start..stop, data.iter().copied());
                return Ok(());
            }
            if data.len() != count {
                return Err(count);
            }
            for (k, byte) in data.iter().enumerate() {
                buffer[(start + k as i64 * step) as usize] = *byte;
            }
            Ok(())
        });
        if let Err(count) = assigned {
            return vm.err_value(format!(
                "attempt to assign bytes of size {} to extended slice of size {count}",
                data.len()
            ));
        }
        return Ok(Value::NONE);
    }
    let Some(index) = subscript_integer(vm, key)? else {
        return Err(index_type_error::<true>(vm, key));
    };
    let byte = byte_value(vm, value, BYTE_RANGE)?;
    let stored: Result<(), ()> = cell.update(|buffer| {
        let position = resolve_index(index, buffer.len()).ok_or(())?;
        buffer[position] = byte;
        Ok(())
    });
    if stored.is_err() {
        return Err(index_range_error::<true>(vm));
    }
    Ok(Value::NONE)
}

/// Objects CPython refuses outright in slice assignment besides ints.
fn float_of_or_str(value: Value) -> bool {
    pystr_of(value).is_some() || crate::builtins::str_methods::float_of(value).is_some()
}

fn bytearray_delitem(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, cell, given) = bytearray_receiver(vm, args, "__delitem__")?;
    check_wrapper(vm, "__delitem__", given, kwargs, 1)?;
    let key = given[0];
    if is_slice(key) {
        let bounds = ops::slice_bounds(vm, key)?;
        cell.change(|buffer| {
            let (start, _, step, count) = bounds.indices(buffer.len());
            if step == 1 {
                let start = start as usize;
                buffer.drain(start..start + count);
            } else {
                let mut doomed = vec![false; buffer.len()];
                for k in 0..count as i64 {
                    doomed[(start + k * step) as usize] = true;
                }
                let mut position = 0;
                buffer.retain(|_| {
                    let keep = !doomed[position];
                    position += 1;
                    keep
                });
            }
        });
        return Ok(Value::NONE);
    }
    let Some(index) = subscript_integer(vm, key)? else {
        return Err(index_type_error::<true>(vm, key));
    };
    let removed: Result<u8, ()> = cell.update(|buffer| {
        let position = resolve_index(index, buffer.len()).ok_or(())?;
        Ok(buffer.remove(position))
    });
    if removed.is_err() {
        return Err(index_range_error::<true>(vm));
    }
    Ok(Value::NONE)
}

fn bytearray_iadd(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (this, cell, given) = bytearray_receiver(vm, args, "__iadd__")?;
    check_wrapper(vm, "__iadd__", given, kwargs, 1)?;
    let Some(tail) = buffer_of(given[0]) else {
        if defers_to_reflected(vm, given[0], "__radd__") {
            return Ok(Value::NOT_IMPLEMENTED);
        }
        let type_name = vm.type_name(given[0]);
        return vm.err_type(format!("can't concat {type_name} to bytearray"));
    };
    let extended = cell.update(|buffer| {
        if buffer.len() as u128 + tail.len() as u128 > MAX_RESULT_BYTES as u128 {
            return Err(());
        }
        buffer.extend_from_slice(&tail);
        Ok(())
    });
    if extended.is_err() {
        return Err(memory_error(vm));
    }
    Ok(this)
}

fn bytearray_imul(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (this, cell, given) = bytearray_receiver(vm, args, "__imul__")?;
    check_unpacked_wrapper(vm, "__imul__", given, kwargs, 1)?;
    let Some(count) = repeat_count(vm, given[0])? else {
        if defers_to_reflected(vm, given[0], "__rmul__") {
            return Ok(Value::NOT_IMPLEMENTED);
        }
        let type_name = vm.type_name(given[0]);
        return vm.err_type(format!(
            "can't multiply sequence by non-int of type '{type_name}'"
        ));
    };
    // Repeated in one change: another thread may resize a shared
    // bytearray meanwhile. A result too large changes nothing.
    let repeated: Result<(), ()> = cell.update(|buffer| {
        if count <= 0 || buffer.is_empty() {
            buffer.clear();
            return Ok(());
        }
        let times = usize::try_from(count).map_err(|_| ())?;
        let fits = buffer
            .len()
            .checked_mul(times)
            .is_some_and(|size| size <= MAX_RESULT_BYTES);
        if !fits {
            return Err(());
        }
        *buffer = buffer.repeat(times);
        Ok(())
    });
    if repeated.is_err() {
        return Err(memory_error(vm));
    }
    Ok(this)
}

// ---------------------------------------------------------------------------
// Pure byte-string algorithms
// ---------------------------------------------------------------------------

/// Python's `bytes.isspace` set (C `isspace` in the "C" locale).
fn is_byte_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// The window `start..end` of `data` when it can hold `needle_length`
/// bytes (CPython's `ADJUST_INDICES` plus its length test).
fn search_window(
    length: usize,
    start: Option<i64>,
    end: Option<i64>,
    needle_length: usize,
) -> Option<(usize, usize)> {
    let (start, end) = strops::adjust_indices(start, end, length);
    if end - start < needle_length as i64 {
        return None;
    }
    Some((start as usize, end as usize))
}

pub(crate) fn find_bytes(data: &[u8], needle: &[u8], start: Option<i64>, end: Option<i64>) -> i64 {
    let Some((start, end)) = search_window(data.len(), start, end, needle.len()) else {
        return -1;
    };
    if needle.is_empty() {
        return start as i64;
    }
    data[start..end]
        .windows(needle.len())
        .position(|window| window == needle)
        .map_or(-1, |offset| (start + offset) as i64)
}

pub(crate) fn rfind_bytes(data: &[u8], needle: &[u8], start: Option<i64>, end: Option<i64>) -> i64 {
    let Some((start, end)) = search_window(data.len(), start, end, needle.len()) else {
        return -1;
    };
    if needle.is_empty() {
        return end as i64;
    }
    data[start..end]
        .windows(needle.len())
        .rposition(|window| window == needle)
        .map_or(-1, |offset| (start + offset) as i64)
}

pub(crate) fn count_bytes(
    data: &[u8],
    needle: &[u8],
    start: Option<i64>,
    end: Option<i64>,
) -> usize {
    let Some((start, end)) = search_window(data.len(), start, end, needle.len()) else {
        return 0;
    };
    if needle.is_empty() {
        return end - start + 1;
    }
    let window = &data[start..end];
    let mut count = 0;
    let mut position = 0;
    while position + needle.len() <= window.len() {
        if &window[position..position + needle.len()] == needle {
            count += 1;
            position += needle.len();
        } else {
            position += 1;
        }
    }
    count
}

fn split_budget(maxsplit: i64) -> usize {
    usize::try_from(maxsplit).unwrap_or(usize::MAX)
}

pub(crate) fn split_whitespace(data: &[u8], maxsplit: i64) -> Vec<&[u8]> {
    let mut budget = split_budget(maxsplit);
    let mut parts = Vec::new();
    let mut position = 0;
    loop {
        while position < data.len() && is_byte_space(data[position]) {
            position += 1;
        }
        if position >= data.len() {
            return parts;
        }
        if budget == 0 {
            parts.push(&data[position..]);
            return parts;
        }
        let word_start = position;
        while position < data.len() && !is_byte_space(data[position]) {
            position += 1;
        }
        parts.push(&data[word_start..position]);
        budget -= 1;
    }
}

pub(crate) fn rsplit_whitespace(data: &[u8], maxsplit: i64) -> Vec<&[u8]> {
    let mut budget = split_budget(maxsplit);
    let mut parts = Vec::new();
    let mut end = data.len();
    loop {
        while end > 0 && is_byte_space(data[end - 1]) {
            end -= 1;
        }
        if end == 0 {
            break;
        }
        if budget == 0 {
            parts.push(&data[..end]);
            break;
        }
        let word_end = end;
        while end > 0 && !is_byte_space(data[end - 1]) {
            end -= 1;
        }
        parts.push(&data[end..word_end]);
        budget -= 1;
    }
    parts.reverse();
    parts
}

/// `split(sep, maxsplit)` for a non-empty `separator`.
pub(crate) fn split_on<'a>(data: &'a [u8], separator: &[u8], maxsplit: i64) -> Vec<&'a [u8]> {
    let mut budget = split_budget(maxsplit);
    let mut parts = Vec::new();
    let mut rest = data;
    while budget > 0 {
        let found = find_bytes(rest, separator, None, None);
        if found < 0 {
            break;
        }
        let found = found as usize;
        parts.push(&rest[..found]);
        rest = &rest[found + separator.len()..];
        budget -= 1;
    }
    parts.push(rest);
    parts
}

/// `rsplit(sep, maxsplit)` for a non-empty `separator`.
pub(crate) fn rsplit_on<'a>(data: &'a [u8], separator: &[u8], maxsplit: i64) -> Vec<&'a [u8]> {
    let mut budget = split_budget(maxsplit);
    let mut parts = Vec::new();
    let mut rest = data;
    while budget > 0 {
        let found = rfind_bytes(rest, separator, None, None);
        if found < 0 {
            break;
        }
        let found = found as usize;
        parts.push(&rest[found + separator.len()..]);
        rest = &rest[..found];
        budget -= 1;
    }
    parts.push(rest);
    parts.reverse();
    parts
}

/// `splitlines(keepends)`: `\n`, `\r` and `\r\n` only.
pub(crate) fn split_lines(data: &[u8], keepends: bool) -> Vec<&[u8]> {
    let mut lines = Vec::new();
    let mut line_start = 0;
    let mut position = 0;
    while position < data.len() {
        let byte = data[position];
        if byte != b'\n' && byte != b'\r' {
            position += 1;
            continue;
        }
        let mut boundary_end = position + 1;
        if byte == b'\r' && data.get(position + 1) == Some(&b'\n') {
            boundary_end += 1;
        }
        lines.push(&data[line_start..if keepends { boundary_end } else { position }]);
        line_start = boundary_end;
        position = boundary_end;
    }
    if line_start < data.len() {
        lines.push(&data[line_start..]);
    }
    lines
}

/// Strips bytes in `chars` (ASCII whitespace when `None`) from the chosen ends.
pub(crate) fn strip_bytes<'a>(
    data: &'a [u8],
    chars: Option<&[u8]>,
    left: bool,
    right: bool,
) -> &'a [u8] {
    let strippable = |byte: &u8| match chars {
        None => is_byte_space(*byte),
        Some(set) => set.contains(byte),
    };
    let mut start = 0;
    let mut end = data.len();
    if left {
        while start < end && strippable(&data[start]) {
            start += 1;
        }
    }
    if right {
        while end > start && strippable(&data[end - 1]) {
            end -= 1;
        }
    }
    &data[start..end]
}

/// `replace(old, new, count)`; an empty `old` inserts `new` around every byte.
pub(crate) fn replace_bytes(data: &[u8], old: &[u8], new: &[u8], count: i64) -> Vec<u8> {
    let budget = split_budget(count);
    let mut out = Vec::with_capacity(data.len());
    let mut replaced = 0;
    if old.is_empty() {
        for byte in data {
            if replaced < budget {
                out.extend_from_slice(new);
                replaced += 1;
            }
            out.push(*byte);
        }
        if replaced < budget {
            out.extend_from_slice(new);
        }
        return out;
    }
    let mut position = 0;
    while replaced < budget && position + old.len() <= data.len() {
        if &data[position..position + old.len()] == old {
            out.extend_from_slice(new);
            position += old.len();
            replaced += 1;
        } else {
            out.push(data[position]);
            position += 1;
        }
    }
    out.extend_from_slice(&data[position..]);
    out
}

fn ascii_upper(data: &[u8]) -> Vec<u8> {
    data.to_ascii_uppercase()
}

fn ascii_lower(data: &[u8]) -> Vec<u8> {
    data.to_ascii_lowercase()
}

fn ascii_swapcase(data: &[u8]) -> Vec<u8> {
    data.iter()
        .map(|byte| match byte {
            b'a'..=b'z' => byte.to_ascii_uppercase(),
            b'A'..=b'Z' => byte.to_ascii_lowercase(),
            _ => *byte,
        })
        .collect()
}

fn ascii_capitalize(data: &[u8]) -> Vec<u8> {
    data.iter()
        .enumerate()
        .map(|(index, byte)| {
            if index == 0 {
                byte.to_ascii_uppercase()
            } else {
                byte.to_ascii_lowercase()
            }
        })
        .collect()
}

fn ascii_title(data: &[u8]) -> Vec<u8> {
    let mut previous_cased = false;
    data.iter()
        .map(|byte| {
            let mapped = if previous_cased {
                byte.to_ascii_lowercase()
            } else {
                byte.to_ascii_uppercase()
            };
            previous_cased = byte.is_ascii_alphabetic();
            mapped
        })
        .collect()
}

fn ascii_isalnum(data: &[u8]) -> bool {
    !data.is_empty() && data.iter().all(u8::is_ascii_alphanumeric)
}

fn ascii_isalpha(data: &[u8]) -> bool {
    !data.is_empty() && data.iter().all(u8::is_ascii_alphabetic)
}

fn ascii_isdigit(data: &[u8]) -> bool {
    !data.is_empty() && data.iter().all(u8::is_ascii_digit)
}

fn ascii_isspace(data: &[u8]) -> bool {
    !data.is_empty() && data.iter().all(|byte| is_byte_space(*byte))
}

fn ascii_islower(data: &[u8]) -> bool {
    data.iter().any(u8::is_ascii_lowercase) && !data.iter().any(u8::is_ascii_uppercase)
}

fn ascii_isupper(data: &[u8]) -> bool {
    data.iter().any(u8::is_ascii_uppercase) && !data.iter().any(u8::is_ascii_lowercase)
}

fn ascii_isascii(data: &[u8]) -> bool {
    data.is_ascii()
}

fn ascii_istitle(data: &[u8]) -> bool {
    let mut cased = false;
    let mut previous_cased = false;
    for byte in data {
        if byte.is_ascii_uppercase() {
            if previous_cased {
                return false;
            }
            previous_cased = true;
            cased = true;
        } else if byte.is_ascii_lowercase() {
            if !previous_cased {
                return false;
            }
            previous_cased = true;
            cased = true;
        } else {
            previous_cased = false;
        }
    }
    cased
}

#[cfg(test)]
mod tests {
    //! Expected values come from CPython 3.11.

    use super::*;

    #[test]
    fn repr_matches_cpython() {
        assert_eq!(
            bytes_repr(b"\x00'\"\n\t\r\\\x7f\x80a", "b"),
            r#"b'\x00\'"\n\t\r\\\x7f\x80a'"#
        );
        assert_eq!(bytes_repr(b"'", "b"), r#"b"'""#);
        assert_eq!(bytes_repr(b"ab", "bytearray(b"), "bytearray(b'ab')");
        assert_eq!(bytes_repr(b"'\"", "bytearray(b"), r#"bytearray(b'\'"')"#);
        assert_eq!(bytes_repr(b"", "b"), "b''");
    }

    fn decode(codec: Codec, data: &[u8], errors: &str) -> Result<String, DecodeFailure> {
        decode_bytes(codec, data, errors)
    }

    fn undecodable(message: &str) -> Result<String, DecodeFailure> {
        Err(DecodeFailure::Undecodable(message.to_string()))
    }

    #[test]
    fn utf8_errors_match_cpython() {
        assert_eq!(
            decode(Codec::Utf8, b"\xff", "strict"),
            undecodable("'utf-8' codec can't decode byte 0xff in position 0: invalid start byte")
        );
        assert_eq!(
            decode(Codec::Utf8, b"\xe2\x82", "strict"),
            undecodable("'utf-8' codec can't decode bytes in position 0-1: unexpected end of data")
        );
        assert_eq!(
            decode(Codec::Utf8, b"\xe2\x82x", "strict"),
            undecodable(
                "'utf-8' codec can't decode bytes in position 0-1: invalid continuation byte"
            )
        );
        assert_eq!(
            decode(Codec::Utf8, b"\xe2x", "strict"),
            undecodable(
                "'utf-8' codec can't decode byte 0xe2 in position 0: invalid continuation byte"
            )
        );
        assert_eq!(
            decode(Codec::Utf8, b"a\xed\xa0\x80", "strict"),
            undecodable(
                "'utf-8' codec can't decode byte 0xed in position 1: invalid continuation byte"
            )
        );
        assert_eq!(
            decode(Codec::Utf8, b"\xf4\x90\x80\x80", "strict"),
            undecodable(
                "'utf-8' codec can't decode byte 0xf4 in position 0: invalid continuation byte"
            )
        );
        assert_eq!(
            decode(Codec::Utf8, b"\xe2\x82", "replace"),
            Ok("\u{FFFD}".to_string())
        );
        assert_eq!(
            decode(Codec::Utf8, b"\xe2\x82x\xff", "replace"),
            Ok("\u{FFFD}x\u{FFFD}".to_string())
        );
        assert_eq!(
            decode(Codec::Utf8, b"\xe2\x82x\xff", "backslashreplace"),
            Ok("\\xe2\\x82x\\xff".to_string())
        );
        assert_eq!(
            decode(Codec::Utf8, b"a\xffb", "ignore"),
            Ok("ab".to_string())
        );
        assert_eq!(
            decode(Codec::Utf8, b"\xff", "bogus"),
            Err(DecodeFailure::UnknownHandler("bogus".to_string()))
        );
        assert_eq!(
            decode(Codec::Utf8, "é€".as_bytes(), "strict"),
            Ok("é€".to_string())
        );
    }

    #[test]
    fn ascii_and_latin1_decoding() {
        assert_eq!(
            decode(Codec::Ascii, b"\xff\xfe", "strict"),
            undecodable(
                "'ascii' codec can't decode byte 0xff in position 0: ordinal not in range(128)"
            )
        );
        assert_eq!(
            decode(Codec::Ascii, b"\xff", "replace"),
            Ok("\u{FFFD}".to_string())
        );
        assert_eq!(
            decode(Codec::Ascii, b"\xff\xfe", "backslashreplace"),
            Ok("\\xff\\xfe".to_string())
        );
        assert_eq!(
            decode(Codec::Latin1, b"\xe9a", "strict"),
            Ok("éa".to_string())
        );
    }

    #[test]
    fn wide_decoding_matches_cpython() {
        let le16 = Codec::Utf16(Some(ByteOrder::Little));
        assert_eq!(
            decode(Codec::Utf16(None), b"\xff\xfea\x00", "strict"),
            Ok("a".to_string())
        );
        assert_eq!(
            decode(Codec::Utf16(None), b"\xfe\xff\x00a", "strict"),
            Ok("a".to_string())
        );
        assert_eq!(
            decode(Codec::Utf16(None), b"a\x00=\xd8\x00\xde", "strict"),
            Ok("a😀".to_string())
        );
        assert_eq!(
            decode(Codec::Utf16(None), b"\xff\xfea\x00b", "strict"),
            undecodable("'utf-16-le' codec can't decode byte 0x62 in position 4: truncated data")
        );
        assert_eq!(
            decode(Codec::Utf16(None), b"\xfe\xff\x00", "strict"),
            undecodable("'utf-16-be' codec can't decode byte 0x00 in position 2: truncated data")
        );
        assert_eq!(
            decode(le16, b"\x00\xd8a\x00", "strict"),
            undecodable(
                "'utf-16-le' codec can't decode bytes in position 0-1: illegal UTF-16 surrogate"
            )
        );
        assert_eq!(
            decode(le16, b"\x00\xdca\x00", "strict"),
            undecodable("'utf-16-le' codec can't decode bytes in position 0-1: illegal encoding")
        );
        assert_eq!(
            decode(le16, b"\x00\xd8a", "strict"),
            undecodable(
                "'utf-16-le' codec can't decode bytes in position 0-2: unexpected end of data"
            )
        );
        assert_eq!(
            decode(le16, b"\x00\xd8\x00\xd8\x00\xdc", "replace"),
            Ok("\u{FFFD}\u{10000}".to_string())
        );
        assert_eq!(
            decode(le16, b"\x00\xd8\x00\xd8", "replace"),
            Ok("\u{FFFD}\u{FFFD}".to_string())
        );
        assert_eq!(
            decode(
                Codec::Utf16(Some(ByteOrder::Big)),
                b"\xdc\x00\x00\x61",
                "backslashreplace"
            ),
            Ok("\\xdc\\x00a".to_string())
        );
        let le32 = Codec::Utf32(Some(ByteOrder::Little));
        assert_eq!(
            decode(
                Codec::Utf32(None),
                b"\xff\xfe\x00\x00a\x00\x00\x00",
                "strict"
            ),
            Ok("a".to_string())
        );
        assert_eq!(
            decode(Codec::Utf32(None), b"a\x00\x00\x00\x00", "strict"),
            undecodable("'utf-32-le' codec can't decode byte 0x00 in position 4: truncated data")
        );
        assert_eq!(
            decode(le32, b"a\x00\x00", "strict"),
            undecodable("'utf-32-le' codec can't decode bytes in position 0-2: truncated data")
        );
        assert_eq!(decode(le32, b"\x00\x00\x11\x00", "strict"), undecodable("'utf-32-le' codec can't decode bytes in position 0-3: code point not in range(0x110000)"));
        assert_eq!(decode(le32, b"\x00\xd8\x00\x00", "strict"), undecodable("'utf-32-le' codec can't decode bytes in position 0-3: code point in surrogate code point range(0xd800, 0xe000)"));
        assert_eq!(
            decode(Codec::Utf8Sig, b"\xef\xbb\xbfabc", "strict"),
            Ok("abc".to_string())
        );
        assert_eq!(
            decode(Codec::Utf8Sig, b"\xff", "strict"),
            undecodable("'utf-8' codec can't decode byte 0xff in position 0: invalid start byte")
        );
    }

    #[test]
    fn hex_round_trips() {
        let data = b"\x00\x01abc\xff";
        assert_eq!(hex_string(data, None, 1), "0001616263ff");
        assert_eq!(hex_string(data, Some(':'), 1), "00:01:61:62:63:ff");
        assert_eq!(hex_string(data, Some(':'), 2), "0001:6162:63ff");
        assert_eq!(hex_string(b"abcde", Some(':'), 2), "61:6263:6465");
        assert_eq!(hex_string(b"abcde", Some(':'), -2), "6162:6364:65");
        assert_eq!(hex_string(b"ab", Some(':'), 0), "6162");
        assert_eq!(hex_string(b"", Some(':'), 1), "");
        assert_eq!(parse_hex("01 ff"), Ok(vec![1, 255]));
        assert_eq!(parse_hex(" 01  02 "), Ok(vec![1, 2]));
        assert_eq!(parse_hex("ab cd\n"), Ok(vec![0xab, 0xcd]));
        assert_eq!(parse_hex("0g"), Err(1));
        assert_eq!(parse_hex("0"), Err(1));
        assert_eq!(parse_hex("012"), Err(3));
        assert_eq!(parse_hex("a b"), Err(1));
        assert_eq!(parse_hex("é"), Err(0));
        assert_eq!(parse_hex("01\u{a0}02"), Err(2));
    }

    #[test]
    fn searching() {
        assert_eq!(find_bytes(b"abc", b"c", Some(-1), None), 2);
        assert_eq!(find_bytes(b"abc", b"", Some(5), None), -1);
        assert_eq!(rfind_bytes(b"abcabc", b"bc", None, None), 4);
        assert_eq!(rfind_bytes(b"abc", b"", None, None), 3);
        assert_eq!(count_bytes(b"abc", b"", None, None), 4);
        assert_eq!(count_bytes(b"aaaa", b"aa", None, None), 2);
        assert_eq!(find_bytes(b"abc", b"b", Some(2), None), -1);
    }

    #[test]
    fn splitting_and_stripping() {
        assert_eq!(
            split_whitespace(b" \x1c a\x1c ", -1),
            vec![&b"\x1c"[..], b"a\x1c"]
        );
        assert_eq!(split_whitespace(b"a b\tc", -1), vec![&b"a"[..], b"b", b"c"]);
        assert_eq!(split_whitespace(b" a b c ", 1), vec![&b"a"[..], b"b c "]);
        assert_eq!(rsplit_whitespace(b"a  b  c", 1), vec![&b"a  b"[..], b"c"]);
        assert_eq!(rsplit_whitespace(b"abc", 1), vec![&b"abc"[..]]);
        assert_eq!(
            split_on(b"a,b,,c", b",", -1),
            vec![&b"a"[..], b"b", b"", b"c"]
        );
        assert_eq!(rsplit_on(b"aaa", b"aa", -1), vec![&b"a"[..], b""]);
        assert_eq!(
            split_lines(b"a\r\nb\rc\n", false),
            vec![&b"a"[..], b"b", b"c"]
        );
        assert_eq!(
            split_lines(b"a\r\nb\rc\n", true),
            vec![&b"a\r\n"[..], b"b\r", b"c\n"]
        );
        assert_eq!(strip_bytes(b" a ", None, true, true), b"a");
        assert_eq!(strip_bytes(b"xax", Some(b"x"), true, false), b"ax");
        assert_eq!(replace_bytes(b"aaa", b"a", b"b", 2), b"bba".to_vec());
        assert_eq!(replace_bytes(b"ab", b"", b"-", -1), b"-a-b-".to_vec());
    }

    #[test]
    fn ascii_case() {
        assert_eq!(ascii_title(b"Hello wORLD"), b"Hello World".to_vec());
        assert_eq!(ascii_capitalize(b"hELLO"), b"Hello".to_vec());
        assert_eq!(ascii_swapcase(b"aB1"), b"Ab1".to_vec());
        assert!(ascii_istitle(b"Ab"));
        assert!(!ascii_istitle(b"AB"));
        assert!(ascii_islower(b"a1"));
        assert!(!ascii_isupper(b"1"));
    }
}
