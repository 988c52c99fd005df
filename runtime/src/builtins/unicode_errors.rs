//! `UnicodeDecodeError`, `UnicodeEncodeError` and `UnicodeTranslateError`:
//! their five (translate: four) constructor arguments kept as the
//! `encoding`, `object`, `start`, `end` and `reason` attributes, their
//! CPython `str()` texts, and the helpers the codecs raise them with.
//!
//! The codecs (`bytes_methods.rs`, `str_methods.rs`) describe a failure by
//! its CPython message (`'utf-8' codec can't decode byte 0xe2 in position
//! 0: unexpected end of data`); [`decode_error`] and [`encode_error`] read
//! the codec name, the positions and the reason back from that text to
//! build the exception with its structured arguments.

use crate::builtins::add_method;
use crate::builtins::exceptions::set_member;
use crate::engine::ops::{self, kind_of};
use crate::engine::{str_of, Vm};
use crate::objects::ObjKind;
use crate::value::Value;
use crate::PyResult;

type Kwargs<'a> = &'a [(Value, Value)];

/// The codec name, start, end and reason a codec message describes.
fn message_parts(message: &str) -> Option<(String, usize, usize, String)> {
    let codec = message.strip_prefix('\'')?.split('\'').next()?.to_string();
    let (_, after) = message.split_once(" in position ")?;
    let (positions, reason) = after.split_once(": ")?;
    let (start, end) = match positions.split_once('-') {
        Some((first, last)) => (first.parse().ok()?, last.parse::<usize>().ok()? + 1),
        None => {
            let start: usize = positions.parse().ok()?;
            (start, start + 1)
        }
    };
    Some((codec, start, end, reason.to_string()))
}

/// Builds a Unicode error of `class` from the codec's message and the
/// object being converted (plain message-only error if the text is not a
/// codec message).
fn codec_error(vm: &mut Vm, class: Value, object: Value, message: &str) -> Value {
    let Some((codec, start, end, reason)) = message_parts(message) else {
        return vm.new_error(class, message);
    };
    let codec = vm.new_str(codec);
    let reason = vm.new_str(reason);
    let (start, end) = (vm.new_int(start as i64), vm.new_int(end as i64));
    let arguments = vec![codec, object, start, end, reason];
    let exception = vm.new_exception(class, arguments.clone());
    store_members(vm, exception, &arguments);
    exception
}

/// The UnicodeDecodeError for undecodable `data`.
pub fn decode_error(vm: &mut Vm, data: &[u8], message: &str) -> Value {
    let object = vm.new_bytes(data.to_vec());
    let class = vm.types.exc.unicode_decode_error;
    codec_error(vm, class, object, message)
}

/// The UnicodeEncodeError for unencodable `text`.
pub fn encode_error(vm: &mut Vm, text: &str, message: &str) -> Value {
    let object = vm.new_str(text);
    let class = vm.types.exc.unicode_encode_error;
    codec_error(vm, class, object, message)
}

const FIVE_FIELDS: [&str; 5] = ["encoding", "object", "start", "end", "reason"];
const TRANSLATE_FIELDS: [&str; 4] = ["object", "start", "end", "reason"];

fn fields_of(vm: &Vm, exception: Value) -> &'static [&'static str] {
    if vm.is_instance(exception, vm.types.exc.unicode_translate_error) {
        &TRANSLATE_FIELDS
    } else {
        &FIVE_FIELDS
    }
}

fn store_members(vm: &mut Vm, exception: Value, arguments: &[Value]) {
    let fields = fields_of(vm, exception);
    for (name, value) in fields.iter().zip(arguments.iter()) {
        set_member(vm, exception, name, *value);
    }
}

fn member(exception: Value, name: &str) -> Value {
    let dict = exception.as_obj().map_or(Value::NULL, |obj| obj.dict());
    ops::dict_get_str(dict, name).unwrap_or(Value::NONE)
}

/// `__init__`: with exactly the documented arguments, their types checked
/// as CPython does, the attributes are set.
fn unicode_error_init(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let exception = args[0];
    let arguments = &args[1..];
    let fields = fields_of(vm, exception);
    if let Some(data) = crate::engine::exc_data(exception) {
        let tuple = vm.new_tuple(arguments.to_vec());
        data.args.set(tuple);
        crate::heap::share::reshare(exception);
    }
    if arguments.len() != fields.len() {
        return vm.err_type(format!(
            "function takes exactly {} arguments ({} given)",
            fields.len(),
            arguments.len()
        ));
    }
    let is_decode = vm.is_instance(exception, vm.types.exc.unicode_decode_error);
    for (name, value) in fields.iter().zip(arguments.iter()) {
        let ok = match *name {
            "encoding" | "reason" => str_of(*value).is_some(),
            "object" if is_decode => matches!(
                kind_of(*value),
                Some(ObjKind::Bytes(_) | ObjKind::ByteArray(_) | ObjKind::MemoryView(_))
            ),
            "object" => str_of(*value).is_some(),
            _ => crate::builtins::args::int_value(*value).is_some(),
        };
        if !ok {
            let expected = match *name {
                "encoding" | "reason" => "str",
                "object" if is_decode => "bytes-like object",
                "object" => "str",
                _ => "int",
            };
            let type_name = vm.type_name(*value);
            return vm.err_type(format!(
                "argument {} must be {expected}, not {type_name}",
                fields.iter().position(|field| field == name).unwrap_or(0) + 1
            ));
        }
    }
    store_members(vm, exception, arguments);
    Ok(Value::NONE)
}

/// `\xNN`, `\uNNNN` or `\UNNNNNNNN` for a character in a message.
fn escaped_character(character: char) -> String {
    let code = character as u32;
    if code < 0x100 {
        format!("\\x{code:02x}")
    } else if code < 0x10000 {
        format!("\\u{code:04x}")
    } else {
        format!("\\U{code:08x}")
    }
}

/// `str(error)`, CPython's wording for each of the three classes.
fn unicode_error_str(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let exception = args[0];
    let object = member(exception, "object");
    let reason = member(exception, "reason");
    let (Some(start), Some(end), Some(reason)) = (
        crate::builtins::args::int_value(member(exception, "start")),
        crate::builtins::args::int_value(member(exception, "end")),
        str_of(reason),
    ) else {
        // Not (fully) initialised: the plain args text.
        let exception_args =
            crate::engine::exc_data(exception).map_or(Value::NULL, |data| data.args.get());
        let text = ops::exception_str(vm, exception, exception_args)?;
        return Ok(vm.new_str(text));
    };
    let (start, end) = (
        num_traits::ToPrimitive::to_i64(&start).unwrap_or(0),
        num_traits::ToPrimitive::to_i64(&end).unwrap_or(0),
    );
    let encoding = str_of(member(exception, "encoding")).unwrap_or("");
    let single = end == start + 1;
    let text = if vm.is_instance(exception, vm.types.exc.unicode_decode_error) {
        let byte = crate::builtins::bytes_methods::buffer_of(object).and_then(|data| {
            usize::try_from(start)
                .ok()
                .and_then(|index| data.get(index).copied())
        });
        match (single, byte) {
            (true, Some(byte)) => format!(
                "'{encoding}' codec can't decode byte 0x{byte:02x} in position {start}: {reason}"
            ),
            _ => format!(
                "'{encoding}' codec can't decode bytes in position {start}-{}: {reason}",
                end - 1
            ),
        }
    } else {
        let character = str_of(object).and_then(|text| {
            usize::try_from(start)
                .ok()
                .and_then(|index| text.chars().nth(index))
        });
        let translate = vm.is_instance(exception, vm.types.exc.unicode_translate_error);
        let head = if translate {
            "can't translate".to_string()
        } else {
            format!("'{encoding}' codec can't encode")
        };
        match (single, character) {
            (true, Some(character)) => format!(
                "{head} character '{}' in position {start}: {reason}",
                escaped_character(character)
            ),
            _ => format!(
                "{head} characters in position {start}-{}: {reason}",
                end - 1
            ),
        }
    };
    Ok(vm.new_str(text))
}

/// Registers `__init__` and `__str__` on the three classes.
pub fn register(vm: &mut Vm) {
    let exc = &vm.types.exc;
    let classes = [
        exc.unicode_decode_error,
        exc.unicode_encode_error,
        exc.unicode_translate_error,
    ];
    for class in classes {
        add_method(vm, class, "__init__", unicode_error_init);
        add_method(vm, class, "__str__", unicode_error_str);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_codec_messages() {
        assert_eq!(
            message_parts(
                "'utf-8' codec can't decode bytes in position 0-1: unexpected end of data"
            ),
            Some(("utf-8".into(), 0, 2, "unexpected end of data".into()))
        );
        assert_eq!(
            message_parts(
                "'ascii' codec can't encode character '\\xe9' in position 3: ordinal not in range(128)"
            ),
            Some(("ascii".into(), 3, 4, "ordinal not in range(128)".into()))
        );
    }
}
