//! The `binascii` module (<https://docs.python.org/3.11/library/binascii.html>):
//! hex (`hexlify`/`b2a_hex`, `unhexlify`/`a2b_hex`), base64 lines
//! (`b2a_base64`, `a2b_base64`), `crc32` and `binascii.Error` (a
//! ValueError). The `base64` module builds on these.

use crate::builtins::args;
use crate::builtins::{native_function, new_module};
use crate::engine::ops;
use crate::engine::{str_of, Vm};
use crate::objects::{Layout, NativeFn};
use crate::value::Value;
use crate::PyResult;

type Kwargs<'a> = &'a [(Value, Value)];

const BASE64_ALPHABET: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with `=` padding.
pub fn base64_encode(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let group = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for position in 0..4 {
            if position <= chunk.len() {
                out.push(BASE64_ALPHABET[((group >> (18 - 6 * position)) & 63) as usize]);
            } else {
                out.push(b'=');
            }
        }
    }
    out
}

/// Decodes base64 as CPython's `a2b_base64` does: outside strict mode,
/// characters outside the alphabet are skipped and a complete padding
/// sequence ends the input; strict mode rejects them, leading padding,
/// data after the padding and characters between pad signs. `Err`
/// carries the `binascii.Error` message.
pub fn base64_decode(data: &[u8], strict: bool) -> Result<Vec<u8>, String> {
    if strict && data.first() == Some(&b'=') {
        return Err("Leading padding not allowed".into());
    }
    let mut out = Vec::with_capacity(data.len() / 4 * 3);
    // Position in the current 4-character quantum, and its pending bits.
    let mut quad_position = 0;
    let mut leftover: u8 = 0;
    let mut pads = 0;
    let mut padding_started = false;
    for (index, &byte) in data.iter().enumerate() {
        if byte == b'=' {
            padding_started = true;
            if quad_position >= 2 {
                pads += 1;
                if quad_position + pads >= 4 {
                    if strict && index + 1 < data.len() {
                        return Err("Excess data after padding".into());
                    }
                    return Ok(out);
                }
            }
            continue;
        }
        let Some(value) = BASE64_ALPHABET.iter().position(|symbol| *symbol == byte) else {
            if strict {
                return Err("Only base64 data is allowed".into());
            }
            continue;
        };
        let value = value as u8;
        if strict && padding_started {
            return Err("Discontinuous padding not allowed".into());
        }
        pads = 0;
        match quad_position {
            0 => leftover = value,
            1 => {
                out.push((leftover << 2) | (value >> 4));
                leftover = value & 0x0f;
            }
            2 => {
                out.push((leftover << 4) | (value >> 2));
                leftover = value & 0x03;
            }
            _ => out.push((leftover << 6) | value),
        }
        quad_position = (quad_position + 1) % 4;
    }
    match quad_position {
        0 => Ok(out),
        1 => Err(format!(
            "Invalid base64-encoded string: number of data characters ({}) cannot be 1 more than a multiple of 4",
            out.len() / 3 * 4 + 1
        )),
        _ => Err("Incorrect padding".into()),
    }
}

/// CRC-32 (the zlib polynomial), continuing from `start`.
pub fn crc32(data: &[u8], start: u32) -> u32 {
    let mut crc = !start;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

fn binascii_error(vm: &mut Vm, message: impl Into<Box<str>>) -> Value {
    let key = vm.intern("binascii");
    let module = ops::dict_get_name(vm.modules, key).unwrap_or(Value::NULL);
    let dict = module.as_obj().map_or(Value::NULL, |obj| obj.dict());
    let class = ops::dict_get_str(dict, "Error").unwrap_or(vm.types.exc.value_error);
    vm.new_error(class, message)
}

/// A bytes-like argument, or an ASCII str for the decoding functions.
fn data_arg(vm: &mut Vm, value: Value, accept_str: bool) -> PyResult<Vec<u8>> {
    if accept_str {
        if let Some(text) = str_of(value) {
            if !text.is_ascii() {
                return vm.err_value("string argument should contain only ASCII characters");
            }
            return Ok(text.as_bytes().to_vec());
        }
    }
    match crate::builtins::bytes_methods::buffer_of(value) {
        Some(data) => Ok(data.into_owned()),
        None => {
            let type_name = vm.type_name(value);
            let what = if accept_str {
                "argument should be bytes, buffer or ASCII string"
            } else {
                "a bytes-like object is required"
            };
            vm.err_type(format!("{what}, not '{type_name}'"))
        }
    }
}

fn hexlify(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let bound = args::bind(
        vm,
        "hexlify",
        args,
        kwargs,
        &["data", "sep", "bytes_per_sep"],
        1,
    )?;
    let data = data_arg(vm, bound[0], false)?;
    let text: String = data.iter().map(|byte| format!("{byte:02x}")).collect();
    if let Some(separator) = args::given(bound[1]) {
        // bytes.hex does the grouping.
        let as_bytes = vm.new_bytes(data);
        let mut hex_args = vec![separator];
        hex_args.extend(args::given(bound[2]));
        let joined = ops::call_method(vm, as_bytes, "hex", &hex_args)?;
        let joined = vm.str_text(joined);
        return Ok(vm.new_bytes(joined.into_bytes()));
    }
    Ok(vm.new_bytes(text.into_bytes()))
}

fn unhexlify(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    args::no_kwargs(vm, "unhexlify", kwargs)?;
    args::arity(vm, "unhexlify", args, 1, 1)?;
    let data = data_arg(vm, args[0], true)?;
    if data.len() % 2 != 0 {
        return Err(binascii_error(vm, "Odd-length string"));
    }
    let mut out = Vec::with_capacity(data.len() / 2);
    for pair in data.chunks(2) {
        let digit = |byte: u8| (byte as char).to_digit(16);
        match (digit(pair[0]), digit(pair[1])) {
            (Some(high), Some(low)) => out.push((high * 16 + low) as u8),
            _ => return Err(binascii_error(vm, "Non-hexadecimal digit found")),
        }
    }
    Ok(vm.new_bytes(out))
}

fn b2a_base64(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let bound = args::bind(vm, "b2a_base64", args, kwargs, &["data", "newline"], 1)?;
    let data = data_arg(vm, bound[0], false)?;
    let mut encoded = base64_encode(&data);
    let newline = match args::given(bound[1]) {
        Some(flag) => ops::truthy(vm, flag)?,
        None => true,
    };
    if newline {
        encoded.push(b'\n');
    }
    Ok(vm.new_bytes(encoded))
}

fn a2b_base64(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let bound = args::bind(vm, "a2b_base64", args, kwargs, &["data", "strict_mode"], 1)?;
    let data = data_arg(vm, bound[0], true)?;
    let strict = match args::given(bound[1]) {
        Some(flag) => ops::truthy(vm, flag)?,
        None => false,
    };
    match base64_decode(&data, strict) {
        Ok(decoded) => Ok(vm.new_bytes(decoded)),
        Err(message) => Err(binascii_error(vm, message)),
    }
}

fn binascii_crc32(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    args::no_kwargs(vm, "crc32", kwargs)?;
    args::arity(vm, "crc32", args, 1, 2)?;
    let data = data_arg(vm, args[0], false)?;
    let start = match args.get(1) {
        Some(value) => {
            let n = args::to_bigint(vm, *value)?;
            let masked = n & num_bigint::BigInt::from(u32::MAX);
            num_traits::ToPrimitive::to_u32(&masked).unwrap_or(0)
        }
        None => 0,
    };
    Ok(vm.new_int(i64::from(crc32(&data, start))))
}

/// Creates the `binascii` module.
pub fn make(vm: &mut Vm) -> Value {
    let module = new_module(vm, "binascii");
    let dict = module.as_obj().expect("module").dict();
    let value_error = vm.types.exc.value_error;
    let error = vm.make_builtin_class("Error", value_error, Layout::Exception);
    let module_name = vm.intern("binascii");
    crate::builtins::set_class_attr(vm, error, "__module__", module_name);
    let key = vm.intern("Error");
    ops::dict_set_str(vm, dict, key, error);
    let functions: &[(&'static str, NativeFn)] = &[
        ("hexlify", hexlify),
        ("b2a_hex", hexlify),
        ("unhexlify", unhexlify),
        ("a2b_hex", unhexlify),
        ("b2a_base64", b2a_base64),
        ("a2b_base64", a2b_base64),
        ("crc32", binascii_crc32),
    ];
    for &(name, function) in functions {
        let value = native_function(vm, name, function, Value::NULL);
        let key = vm.intern(name);
        ops::dict_set_str(vm, dict, key, value);
    }
    module
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_and_crc_match_references() {
        assert_eq!(base64_encode(b""), b"");
        assert_eq!(base64_encode(b"a"), b"YQ==");
        assert_eq!(base64_encode(b"abc"), b"YWJj");
        assert_eq!(base64_decode(b"YWI=", false).unwrap(), b"ab");
        assert_eq!(base64_decode(b"YW\nJj", false).unwrap(), b"abc");
        assert_eq!(
            base64_decode(b"YWJ", false).unwrap_err(),
            "Incorrect padding"
        );
        assert_eq!(base64_decode(b"YQ==YWJj", false).unwrap(), b"a");
        assert_eq!(
            base64_decode(b"YQ==YWJj", true).unwrap_err(),
            "Excess data after padding"
        );
        assert_eq!(
            base64_decode(b"YW\nJj", true).unwrap_err(),
            "Only base64 data is allowed"
        );
        assert_eq!(crc32(b"hello", 0), 907_060_870);
    }
}
