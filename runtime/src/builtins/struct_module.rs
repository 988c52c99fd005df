//! The `struct` module (<https://docs.python.org/3.11/library/struct.html>):
//! `pack`, `unpack`, `calcsize`, `iter_unpack`, `unpack_from`,
//! `pack_into` and `struct.error`, for the format codes
//! `x c b B ? h H i I l L q Q n N e f d s p P` with the byte-order prefixes
//! `@ = < > !` (native: little-endian, native sizes and alignment, as on
//! x86-64 Linux). Messages follow CPython 3.11.

use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive, Zero};

use crate::builtins::args::{self, arity};
use crate::builtins::{native_function, new_module};
use crate::engine::ops::{self, kind_of};
use crate::engine::Vm;
use crate::objects::{Layout, NativeFn, ObjKind};
use crate::value::Value;
use crate::PyResult;

type Kwargs<'a> = &'a [(Value, Value)];

/// One item of a format: its code and repeat count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Item {
    code: u8,
    count: usize,
}

/// A parsed format string.
#[derive(Debug, PartialEq, Eq)]
struct Format {
    little_endian: bool,
    /// `@` (the default): native sizes and alignment.
    native: bool,
    items: Vec<Item>,
}

impl Format {
    fn size_of(&self, code: u8) -> usize {
        match code {
            b'x' | b'c' | b'b' | b'B' | b'?' | b's' | b'p' => 1,
            b'h' | b'H' | b'e' => 2,
            b'i' | b'I' | b'f' => 4,
            b'l' | b'L' if !self.native => 4,
            b'l' | b'L' | b'q' | b'Q' | b'd' | b'n' | b'N' | b'P' => 8,
            _ => 0,
        }
    }

    /// Padding before a field at `offset` (native mode aligns each field).
    fn padding(&self, code: u8, offset: usize) -> usize {
        if !self.native || matches!(code, b'x' | b'c' | b'b' | b'B' | b'?' | b's' | b'p') {
            return 0;
        }
        let size = self.size_of(code);
        (size - offset % size) % size
    }

    /// The total size in bytes.
    fn size(&self) -> usize {
        let mut offset = 0;
        for item in &self.items {
            offset += self.padding(item.code, offset);
            offset += self.size_of(item.code) * item.count;
        }
        offset
    }

    /// The number of values packing takes (and unpacking gives).
    fn value_count(&self) -> usize {
        self.items
            .iter()
            .map(|item| match item.code {
                b'x' => 0,
                b's' | b'p' => 1,
                _ => item.count,
            })
            .sum()
    }
}

fn parse_format(text: &str) -> Result<Format, &'static str> {
    let bytes = text.as_bytes();
    let (little_endian, native, rest) = match bytes.first() {
        Some(b'@') => (true, true, &bytes[1..]),
        Some(b'=' | b'<') => (true, false, &bytes[1..]),
        Some(b'>' | b'!') => (false, false, &bytes[1..]),
        _ => (true, true, bytes),
    };
    let mut items = Vec::new();
    let mut index = 0;
    while index < rest.len() {
        let byte = rest[index];
        if byte.is_ascii_whitespace() {
            index += 1;
            continue;
        }
        let mut count = None;
        while index < rest.len() && rest[index].is_ascii_digit() {
            let digit = (rest[index] - b'0') as usize;
            count = Some(
                count
                    .unwrap_or(0usize)
                    .checked_mul(10)
                    .and_then(|value: usize| value.checked_add(digit))
                    .ok_or("total struct size too long")?,
            );
            index += 1;
        }
        let Some(&code) = rest.get(index) else {
            return Err("repeat count given without format specifier");
        };
        let valid = b"xcbB?hHiIlLqQnNefdspP".contains(&code);
        if !valid || (!native && matches!(code, b'n' | b'N' | b'P')) {
            return Err("bad char in struct format");
        }
        items.push(Item {
            code,
            count: count.unwrap_or(1),
        });
        index += 1;
    }
    Ok(Format {
        little_endian,
        native,
        items,
    })
}

/// The `struct.error` class (made with the module).
fn struct_error_class(vm: &mut Vm) -> Value {
    let key = vm.intern("struct");
    let module = ops::dict_get_name(vm.modules, key).unwrap_or(Value::NULL);
    let dict = module.as_obj().map_or(Value::NULL, |obj| obj.dict());
    ops::dict_get_str(dict, "error").unwrap_or(vm.types.exc.exception)
}

fn struct_error(vm: &mut Vm, message: impl Into<Box<str>>) -> Value {
    let class = struct_error_class(vm);
    vm.new_error(class, message)
}

fn format_arg(vm: &mut Vm, value: Value) -> PyResult<Format> {
    let text = match kind_of(value) {
        Some(ObjKind::Str(text)) => text.as_str().to_string(),
        Some(ObjKind::Bytes(bytes)) => String::from_utf8_lossy(bytes).into_owned(),
        _ => {
            let type_name = vm.type_name(value);
            return vm.err_type(format!(
                "Struct() argument 1 must be a str or bytes object, not {type_name}"
            ));
        }
    };
    parse_format(&text).map_err(|message| struct_error(vm, message))
}

/// Why an int cannot be packed with `code`: CPython first converts it to
/// a C long (unsigned long for `I L Q N P`), failing with "argument out
/// of range", then checks the field's own range. Its big-endian packers
/// word some of these differently.
fn integer_range_error(
    code: u8,
    big_endian: bool,
    n: &BigInt,
    low: &BigInt,
    high: &BigInt,
) -> Option<String> {
    let fits = n >= low && n <= high;
    if big_endian && matches!(code, b'q' | b'Q') {
        return (!fits).then(|| "int too large to convert".to_string());
    }
    let converts = if matches!(code, b'I' | b'L' | b'Q' | b'N' | b'P') {
        n.to_u64().is_some()
    } else {
        n.to_i64().is_some()
    };
    if !converts {
        return Some("argument out of range".into());
    }
    if fits {
        return None;
    }
    Some(match code {
        b'b' => "byte format requires -128 <= number <= 127".into(),
        b'B' => "ubyte format requires 0 <= number <= 255".into(),
        b'h' if !big_endian => "short format requires -32768 <= number <= 32767".into(),
        b'H' if !big_endian => "ushort format requires 0 <= number <= 65535".into(),
        _ => format!(
            "'{}' format requires {low} <= number <= {high}",
            code as char
        ),
    })
}

fn integer_bounds(code: u8, size: usize) -> (BigInt, BigInt) {
    let bits = size * 8;
    if code.is_ascii_uppercase() || code == b'P' {
        (BigInt::zero(), (BigInt::from(1) << bits) - 1)
    } else {
        let half = BigInt::from(1) << (bits - 1);
        (-half.clone(), half - 1)
    }
}

/// Half precision (IEEE 754 binary16), round half to even; `None` when
/// the value is too large.
fn to_half(x: f64) -> Option<u16> {
    let sign: u16 = if x.is_sign_negative() { 0x8000 } else { 0 };
    if x.is_nan() {
        return Some(sign | 0x7E00);
    }
    let magnitude = x.abs();
    if magnitude.is_infinite() {
        return Some(sign | 0x7C00);
    }
    // The value in units of the smallest subnormal (2**-24), rounded.
    let units = magnitude * 2f64.powi(24);
    if units < 1024.0 * 2.0 {
        // Subnormal or the smallest normals: a plain rounded count.
        let rounded = units.round_ties_even() as u16;
        return Some(sign | rounded);
    }
    let exponent = magnitude.log2().floor() as i32;
    let exponent = if 2f64.powi(exponent) > magnitude {
        exponent - 1
    } else {
        exponent
    };
    let mantissa = (magnitude / 2f64.powi(exponent) - 1.0) * 1024.0;
    let mut rounded = mantissa.round_ties_even() as u32;
    let mut biased = exponent + 15;
    if rounded == 1024 {
        rounded = 0;
        biased += 1;
    }
    if biased >= 31 {
        return None;
    }
    Some(sign | ((biased as u16) << 10) | rounded as u16)
}

fn from_half(bits: u16) -> f64 {
    let sign = if bits & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exponent = ((bits >> 10) & 0x1F) as i32;
    let mantissa = (bits & 0x3FF) as f64;
    sign * match exponent {
        0 => mantissa * 2f64.powi(-24),
        31 if mantissa == 0.0 => f64::INFINITY,
        31 => f64::NAN,
        _ => (1.0 + mantissa / 1024.0) * 2f64.powi(exponent - 15),
    }
}

fn put(out: &mut Vec<u8>, bytes: &[u8], little_endian: bool) {
    if little_endian {
        out.extend_from_slice(bytes);
    } else {
        out.extend(bytes.iter().rev());
    }
}

fn pack_values(vm: &mut Vm, format: &Format, values: &[Value]) -> PyResult<Vec<u8>> {
    let expected = format.value_count();
    if values.len() != expected {
        return Err(struct_error(
            vm,
            format!(
                "pack expected {expected} items for packing (got {})",
                values.len()
            ),
        ));
    }
    let mut out = Vec::with_capacity(format.size());
    let mut values = values.iter().copied();
    for item in &format.items {
        let padding = format.padding(item.code, out.len());
        out.extend(std::iter::repeat_n(0u8, padding));
        match item.code {
            b'x' => out.extend(std::iter::repeat_n(0u8, item.count)),
            b's' | b'p' => {
                let value = values.next().unwrap_or(Value::NONE);
                let Some(ObjKind::Bytes(data)) = kind_of(value) else {
                    return Err(struct_error(
                        vm,
                        format!(
                            "argument for '{}' must be a bytes object",
                            item.code as char
                        ),
                    ));
                };
                let mut field = vec![0u8; item.count];
                if item.code == b'p' && item.count > 0 {
                    let length = data.len().min(item.count - 1).min(255);
                    field[0] = length as u8;
                    field[1..=length].copy_from_slice(&data[..length]);
                } else {
                    let length = data.len().min(item.count);
                    field[..length].copy_from_slice(&data[..length]);
                }
                out.extend_from_slice(&field);
            }
            code => {
                for _ in 0..item.count {
                    let value = values.next().unwrap_or(Value::NONE);
                    pack_one(vm, format, code, value, &mut out)?;
                }
            }
        }
    }
    Ok(out)
}

fn pack_one(
    vm: &mut Vm,
    format: &Format,
    code: u8,
    value: Value,
    out: &mut Vec<u8>,
) -> PyResult<()> {
    let little = format.little_endian;
    match code {
        b'c' => match kind_of(value) {
            Some(ObjKind::Bytes(data)) if data.len() == 1 => out.push(data[0]),
            _ => {
                return Err(struct_error(
                    vm,
                    "char format requires a bytes object of length 1",
                ))
            }
        },
        b'?' => out.push(ops::truthy(vm, value)? as u8),
        b'e' | b'f' | b'd' => {
            let is_number = value.is_float()
                || value.is_small_int()
                || value.is_bool()
                || matches!(kind_of(value), Some(ObjKind::Int(_) | ObjKind::Float(_)))
                || ops::lookup_class_attr(vm.type_of(value), "__float__").is_some()
                || ops::lookup_class_attr(vm.type_of(value), "__index__").is_some();
            if !is_number {
                return Err(struct_error(vm, "required argument is not a float"));
            }
            let x = ops::float_value(vm, value)?;
            match code {
                b'd' => put(out, &x.to_le_bytes(), little),
                b'f' => {
                    let narrowed = x as f32;
                    if narrowed.is_infinite() && x.is_finite() {
                        return Err(vm.overflow_error("float too large to pack with f format"));
                    }
                    put(out, &narrowed.to_le_bytes(), little);
                }
                _ => match to_half(x) {
                    Some(bits) => put(out, &bits.to_le_bytes(), little),
                    None => return Err(vm.overflow_error("float too large to pack with e format")),
                },
            }
        }
        _ => {
            let is_integer = value.is_small_int()
                || value.is_bool()
                || matches!(kind_of(value), Some(ObjKind::Int(_)))
                || ops::lookup_class_attr(vm.type_of(value), "__index__").is_some();
            if !is_integer {
                return Err(struct_error(vm, "required argument is not an integer"));
            }
            let n = args::to_bigint(vm, value)?;
            let size = format.size_of(code);
            let (low, high) = integer_bounds(code, size);
            let big_endian = !format.little_endian;
            if let Some(message) = integer_range_error(code, big_endian, &n, &low, &high) {
                return Err(struct_error(vm, message));
            }
            let mut bytes = n.to_signed_bytes_le();
            let fill = if n.is_negative() { 0xFF } else { 0 };
            bytes.resize(size.max(bytes.len()), fill);
            bytes.truncate(size);
            put(out, &bytes, little);
        }
    }
    Ok(())
}

fn take(data: &[u8], offset: usize, size: usize, little: bool) -> Vec<u8> {
    let mut bytes = data[offset..offset + size].to_vec();
    if !little {
        bytes.reverse();
    }
    bytes
}

fn unpack_values(vm: &mut Vm, format: &Format, data: &[u8]) -> PyResult<Vec<Value>> {
    let little = format.little_endian;
    let mut values = Vec::with_capacity(format.value_count());
    let mut offset = 0;
    for item in &format.items {
        offset += format.padding(item.code, offset);
        match item.code {
            b'x' => offset += item.count,
            b's' => {
                values.push(vm.new_bytes(data[offset..offset + item.count].to_vec()));
                offset += item.count;
            }
            b'p' => {
                let field = &data[offset..offset + item.count];
                let length = field.first().map_or(0, |length| {
                    (*length as usize).min(item.count.saturating_sub(1))
                });
                values.push(vm.new_bytes(field[1.min(field.len())..1 + length].to_vec()));
                offset += item.count;
            }
            code => {
                let size = format.size_of(code);
                for _ in 0..item.count {
                    let bytes = take(data, offset, size, little);
                    offset += size;
                    let value = match code {
                        b'c' => vm.new_bytes(bytes),
                        b'?' => Value::bool(bytes[0] != 0),
                        b'e' => Value::float(from_half(u16::from_le_bytes([bytes[0], bytes[1]]))),
                        b'f' => {
                            let raw: [u8; 4] = bytes[..4].try_into().unwrap_or([0; 4]);
                            Value::float(f64::from(f32::from_le_bytes(raw)))
                        }
                        b'd' => {
                            let raw: [u8; 8] = bytes[..8].try_into().unwrap_or([0; 8]);
                            Value::float(f64::from_le_bytes(raw))
                        }
                        code if code.is_ascii_uppercase() || code == b'P' => {
                            vm.new_bigint(BigInt::from_bytes_le(num_bigint::Sign::Plus, &bytes))
                        }
                        _ => vm.new_bigint(BigInt::from_signed_bytes_le(&bytes)),
                    };
                    values.push(value);
                }
            }
        }
    }
    Ok(values)
}

fn buffer_arg(vm: &mut Vm, value: Value) -> PyResult<Vec<u8>> {
    match crate::builtins::bytes_methods::buffer_of(value) {
        Some(data) => Ok(data.into_owned()),
        None => {
            let type_name = vm.type_name(value);
            vm.err_type(format!(
                "a bytes-like object is required, not '{type_name}'"
            ))
        }
    }
}

fn struct_pack(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    args::no_kwargs(vm, "pack", kwargs)?;
    if args.is_empty() {
        return vm.err_type("pack expected at least 1 argument, got 0");
    }
    let format = format_arg(vm, args[0])?;
    let data = pack_values(vm, &format, &args[1..])?;
    Ok(vm.new_bytes(data))
}

fn struct_unpack(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    args::no_kwargs(vm, "unpack", kwargs)?;
    arity(vm, "unpack", args, 2, 2)?;
    let format = format_arg(vm, args[0])?;
    let data = buffer_arg(vm, args[1])?;
    let size = format.size();
    if data.len() != size {
        return Err(struct_error(
            vm,
            format!("unpack requires a buffer of {size} bytes"),
        ));
    }
    let values = unpack_values(vm, &format, &data)?;
    Ok(vm.new_tuple(values))
}

fn struct_unpack_from(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let bound = args::bind(
        vm,
        "unpack_from",
        args,
        kwargs,
        &["format", "buffer", "offset"],
        2,
    )?;
    let format = format_arg(vm, bound[0])?;
    let data = buffer_arg(vm, bound[1])?;
    let offset = match args::given(bound[2]) {
        Some(offset) => args::to_i64(vm, offset)?,
        None => 0,
    };
    let offset = if offset < 0 {
        offset + data.len() as i64
    } else {
        offset
    };
    let size = format.size();
    if offset < 0 || offset as usize + size > data.len() {
        return Err(struct_error(
            vm,
            format!(
                "unpack_from requires a buffer of at least {} bytes for unpacking {size} bytes at offset {offset} (actual buffer size is {})",
                offset.max(0) as usize + size,
                data.len()
            ),
        ));
    }
    let values = unpack_values(vm, &format, &data[offset as usize..offset as usize + size])?;
    Ok(vm.new_tuple(values))
}

fn struct_iter_unpack(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    args::no_kwargs(vm, "iter_unpack", kwargs)?;
    arity(vm, "iter_unpack", args, 2, 2)?;
    let format = format_arg(vm, args[0])?;
    let data = buffer_arg(vm, args[1])?;
    let size = format.size();
    if size == 0 {
        return Err(struct_error(
            vm,
            "cannot iteratively unpack with a struct of length 0",
        ));
    }
    if data.len() % size != 0 {
        return Err(struct_error(
            vm,
            format!("iterative unpacking requires a buffer of a multiple of {size} bytes"),
        ));
    }
    let mut records = Vec::with_capacity(data.len() / size);
    for chunk in data.chunks(size) {
        let values = unpack_values(vm, &format, chunk)?;
        records.push(vm.new_tuple(values));
    }
    let list = vm.new_list(records);
    ops::iter(vm, list)
}

fn struct_calcsize(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    args::no_kwargs(vm, "calcsize", kwargs)?;
    arity(vm, "calcsize", args, 1, 1)?;
    let format = format_arg(vm, args[0])?;
    Ok(vm.new_int(format.size() as i64))
}

fn struct_pack_into(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    args::no_kwargs(vm, "pack_into", kwargs)?;
    if args.len() < 3 {
        return vm.err_type(format!(
            "pack_into expected at least 3 arguments, got {}",
            args.len()
        ));
    }
    let format = format_arg(vm, args[0])?;
    let Some(ObjKind::ByteArray(target)) = kind_of(args[1]) else {
        return vm.err_type("argument must be read-write bytes-like object, not bytes");
    };
    let offset = args::to_i64(vm, args[2])?;
    let data = pack_values(vm, &format, &args[3..])?;
    // Checked and written in one change: another thread may resize a
    // shared bytearray between two.
    let written = target.update(|buffer| {
        let length = buffer.len() as i64;
        let offset = if offset < 0 { offset + length } else { offset };
        if offset < 0 || offset + data.len() as i64 > length {
            return Err((offset, length));
        }
        let start = offset as usize;
        buffer[start..start + data.len()].copy_from_slice(&data);
        Ok(())
    });
    if let Err((offset, length)) = written {
        return Err(struct_error(
            vm,
            format!(
                "pack_into requires a buffer of at least {} bytes for packing {} bytes at offset {offset} (actual buffer size is {length})",
                offset.max(0) + data.len() as i64,
                data.len()
            ),
        ));
    }
    Ok(Value::NONE)
}

/// Creates the `struct` module.
pub fn make(vm: &mut Vm) -> Value {
    let module = new_module(vm, "struct");
    let dict = module.as_obj().expect("module").dict();
    let exception = vm.types.exc.exception;
    let error = vm.make_builtin_class("error", exception, Layout::Exception);
    let module_name = vm.intern("struct");
    crate::builtins::set_class_attr(vm, error, "__module__", module_name);
    if let Some(class) = crate::engine::type_obj(error) {
        *class.qualname.borrow_mut() = "error".into();
    }
    let key = vm.intern("error");
    ops::dict_set_str(vm, dict, key, error);
    let functions: &[(&'static str, NativeFn)] = &[
        ("pack", struct_pack),
        ("unpack", struct_unpack),
        ("unpack_from", struct_unpack_from),
        ("iter_unpack", struct_iter_unpack),
        ("calcsize", struct_calcsize),
        ("pack_into", struct_pack_into),
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
    fn sizes_follow_alignment_rules() {
        assert_eq!(parse_format(">HHb").unwrap().size(), 5);
        assert_eq!(parse_format("bi").unwrap().size(), 8);
        assert_eq!(parse_format("<bi").unwrap().size(), 5);
        assert_eq!(parse_format("l").unwrap().size(), 8);
        assert_eq!(parse_format("=l").unwrap().size(), 4);
        assert_eq!(parse_format(">4sHf").unwrap().size(), 10);
        assert!(parse_format("z").is_err());
    }

    #[test]
    fn half_floats_round_trip() {
        for x in [
            0.0,
            1.0,
            -2.5,
            65504.0,
            5.960464477539063e-8,
            0.333251953125,
        ] {
            assert_eq!(from_half(to_half(x).unwrap()), x);
        }
        assert_eq!(to_half(65520.0), None);
    }
}
