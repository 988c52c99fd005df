//! `complex`: the payload helpers the engine calls directly (arithmetic
//! with ints and floats, comparison, hashing, repr, `format`), the
//! `complex(...)` constructor with its string parser, and the class's
//! special methods (<https://docs.python.org/3.11/library/stdtypes.html#numeric-types-int-float-complex>).
//!
//! A complex number is a heap `ObjKind::Complex { real, imag }` (immutable).
//! Arithmetic follows CPython's `complexobject.c` algorithms: Smith's
//! division, integer powers by repeated squaring when the exponent is a
//! small integral real, the polar form otherwise, with the same
//! `ZeroDivisionError`/`OverflowError` messages. A float raised to a
//! fractional power of a negative base lands here too (`(-8) ** (1/3)`).

use crate::builtins::containers::{alloc_instance, new_class_argument};
use crate::builtins::{add_method, add_staticmethod};
use crate::bytecode::opcodes::{BinaryOp, CompareOp};
use crate::engine::ops::{self, kind_of};
use crate::engine::{str_of, Vm};
use crate::objects::{NativeFn, ObjKind};
use crate::text::format_spec::{self, FormatSpec};
use crate::value::Value;
use crate::PyResult;

type Kwargs<'a> = &'a [(Value, Value)];

/// A complex value as a (real, imaginary) pair.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Complex {
    pub real: f64,
    pub imag: f64,
}

impl Complex {
    pub fn new(real: f64, imag: f64) -> Complex {
        Complex { real, imag }
    }

    fn add(self, other: Complex) -> Complex {
        Complex::new(self.real + other.real, self.imag + other.imag)
    }

    fn sub(self, other: Complex) -> Complex {
        Complex::new(self.real - other.real, self.imag - other.imag)
    }

    fn mul(self, other: Complex) -> Complex {
        Complex::new(
            self.real * other.real - self.imag * other.imag,
            self.real * other.imag + self.imag * other.real,
        )
    }

    /// Smith's algorithm, as CPython's `_Py_c_quot`; `None` on division by
    /// zero.
    fn div(self, other: Complex) -> Option<Complex> {
        let (abs_real, abs_imag) = (other.real.abs(), other.imag.abs());
        if abs_real >= abs_imag {
            if abs_real == 0.0 {
                return None;
            }
            let ratio = other.imag / other.real;
            let denominator = other.real + other.imag * ratio;
            Some(Complex::new(
                (self.real + self.imag * ratio) / denominator,
                (self.imag - self.real * ratio) / denominator,
            ))
        } else if abs_imag >= abs_real {
            let ratio = other.real / other.imag;
            let denominator = other.real * ratio + other.imag;
            Some(Complex::new(
                (self.real * ratio + self.imag) / denominator,
                (self.imag * ratio - self.real) / denominator,
            ))
        } else {
            // At least one NaN in the divisor.
            Some(Complex::new(f64::NAN, f64::NAN))
        }
    }

    /// `abs()`: the hypotenuse, `Err` when it overflows.
    pub fn abs(self) -> Result<f64, &'static str> {
        if self.real.is_infinite() || self.imag.is_infinite() {
            return Ok(f64::INFINITY);
        }
        if self.real.is_nan() || self.imag.is_nan() {
            return Ok(f64::NAN);
        }
        let result = self.real.hypot(self.imag);
        if result.is_infinite() {
            Err("absolute value too large")
        } else {
            Ok(result)
        }
    }

    fn is_zero(self) -> bool {
        self.real == 0.0 && self.imag == 0.0
    }
}

const MSG_DIVISION_BY_ZERO: &str = "complex division by zero";
const MSG_ZERO_TO_NEGATIVE: &str = "0.0 to a negative or complex power";
const MSG_POWER_OVERFLOW: &str = "complex exponentiation";

/// Why a complex power failed.
enum PowerError {
    ZeroToNegative,
    Overflow,
}

/// `base ** exponent` as CPython's `complex_pow` computes it.
fn complex_power(base: Complex, exponent: Complex) -> Result<Complex, PowerError> {
    let integral = exponent.imag == 0.0
        && exponent.real == exponent.real.floor()
        && exponent.real.abs() <= 100.0;
    let result = if integral {
        power_integer(base, exponent.real as i64)?
    } else {
        power_polar(base, exponent)?
    };
    if result.real.is_infinite() || result.imag.is_infinite() {
        return Err(PowerError::Overflow);
    }
    Ok(result)
}

/// Repeated squaring for a small integral exponent.
fn power_integer(base: Complex, exponent: i64) -> Result<Complex, PowerError> {
    let unsigned_power = |mut n: u64| {
        let mut result = Complex::new(1.0, 0.0);
        let mut square = base;
        while n > 0 {
            if n & 1 == 1 {
                result = result.mul(square);
            }
            n >>= 1;
            if n > 0 {
                square = square.mul(square);
            }
        }
        result
    };
    if exponent >= 0 {
        Ok(unsigned_power(exponent as u64))
    } else {
        let positive = unsigned_power(exponent.unsigned_abs());
        Complex::new(1.0, 0.0)
            .div(positive)
            .ok_or(PowerError::ZeroToNegative)
    }
}

/// The polar-form power (`_Py_c_pow`).
fn power_polar(base: Complex, exponent: Complex) -> Result<Complex, PowerError> {
    if exponent.is_zero() {
        return Ok(Complex::new(1.0, 0.0));
    }
    if base.is_zero() {
        if exponent.imag != 0.0 || exponent.real < 0.0 {
            return Err(PowerError::ZeroToNegative);
        }
        return Ok(Complex::new(0.0, 0.0));
    }
    let magnitude = base.real.hypot(base.imag);
    let mut length = magnitude.powf(exponent.real);
    let angle = base.imag.atan2(base.real);
    let mut phase = angle * exponent.real;
    if exponent.imag != 0.0 {
        length /= (angle * exponent.imag).exp();
        phase += exponent.imag * magnitude.ln();
    }
    Ok(Complex::new(length * phase.cos(), length * phase.sin()))
}

// ---- values ----------------------------------------------------------------------------------

/// The parts of a complex object (exact or subclass instance).
pub fn complex_of(value: Value) -> Option<Complex> {
    match kind_of(value)? {
        ObjKind::Complex { real, imag } => Some(Complex::new(*real, *imag)),
        _ => None,
    }
}

/// A new exact `complex`.
pub fn new_complex(vm: &mut Vm, value: Complex) -> Value {
    let class = vm.types.complex;
    vm.alloc(
        class,
        ObjKind::Complex {
            real: value.real,
            imag: value.imag,
        },
    )
}

/// An int, bool or float operand as a real number; `Ok(None)` when the
/// value is not one (an int too large for a float raises OverflowError).
fn real_operand(vm: &mut Vm, value: Value) -> PyResult<Option<f64>> {
    if let Some(x) = value.as_float() {
        return Ok(Some(x));
    }
    if let Some(n) = value.as_small_int() {
        return Ok(Some(n as f64));
    }
    if value.is_bool() {
        return Ok(Some(if value == Value::TRUE { 1.0 } else { 0.0 }));
    }
    match kind_of(value) {
        Some(ObjKind::Int(_) | ObjKind::Float(_)) => ops::float_value(vm, value).map(Some),
        _ => Ok(None),
    }
}

/// Any operand complex arithmetic accepts.
fn operand(vm: &mut Vm, value: Value) -> PyResult<Option<Complex>> {
    if let Some(parts) = complex_of(value) {
        return Ok(Some(parts));
    }
    Ok(real_operand(vm, value)?.map(|real| Complex::new(real, 0.0)))
}

/// `a op b` when either operand is complex and the other a number;
/// `NotImplemented` otherwise (and for operators complex lacks).
pub fn complex_binary(vm: &mut Vm, op: BinaryOp, a: Value, b: Value) -> PyResult<Value> {
    if complex_of(a).is_none() && complex_of(b).is_none() {
        return Ok(Value::NOT_IMPLEMENTED);
    }
    let (Some(x), Some(y)) = (operand(vm, a)?, operand(vm, b)?) else {
        return Ok(Value::NOT_IMPLEMENTED);
    };
    arithmetic(vm, op, x, y)
}

fn arithmetic(vm: &mut Vm, op: BinaryOp, x: Complex, y: Complex) -> PyResult<Value> {
    let result = match op {
        BinaryOp::Add => x.add(y),
        BinaryOp::Subtract => x.sub(y),
        BinaryOp::Multiply => x.mul(y),
        BinaryOp::TrueDivide => match x.div(y) {
            Some(result) => result,
            None => return Err(vm.zero_division_error(MSG_DIVISION_BY_ZERO)),
        },
        BinaryOp::Power => power_value(vm, x, y)?,
        _ => return Ok(Value::NOT_IMPLEMENTED),
    };
    Ok(new_complex(vm, result))
}

fn power_value(vm: &mut Vm, base: Complex, exponent: Complex) -> PyResult<Complex> {
    match complex_power(base, exponent) {
        Ok(result) => Ok(result),
        Err(PowerError::ZeroToNegative) => Err(vm.zero_division_error(MSG_ZERO_TO_NEGATIVE)),
        Err(PowerError::Overflow) => Err(vm.overflow_error(MSG_POWER_OVERFLOW)),
    }
}

/// `base ** exponent` for two reals whose float power has no real result
/// (a negative base and a fractional exponent).
pub fn real_power_as_complex(vm: &mut Vm, base: f64, exponent: f64) -> PyResult<Value> {
    let result = power_value(vm, Complex::new(base, 0.0), Complex::new(exponent, 0.0))?;
    Ok(new_complex(vm, result))
}

/// Rich comparison with a complex operand: only `==` and `!=` are
/// defined; `NotImplemented` for everything else.
pub fn complex_compare(vm: &mut Vm, a: Value, b: Value, op: CompareOp) -> PyResult<Value> {
    if !matches!(op, CompareOp::Eq | CompareOp::Ne) {
        return Ok(Value::NOT_IMPLEMENTED);
    }
    let (this, other) = match (complex_of(a), complex_of(b)) {
        (Some(this), _) => (this, b),
        (None, Some(this)) => (this, a),
        (None, None) => return Ok(Value::NOT_IMPLEMENTED),
    };
    let equal = if let Some(parts) = complex_of(other) {
        this == parts
    } else if crate::builtins::args::int_value(other).is_some() {
        // Exact comparison of the real part with an int of any size.
        this.imag == 0.0
            && crate::builtins::numbers::number_compare(vm, Value::float(this.real), other)
                == Some(std::cmp::Ordering::Equal)
    } else if let Some(x) = real_operand(vm, other)? {
        this.imag == 0.0 && this.real == x
    } else {
        return Ok(Value::NOT_IMPLEMENTED);
    };
    Ok(Value::bool(if op == CompareOp::Eq {
        equal
    } else {
        !equal
    }))
}

/// `hash(z)`: combines the parts' hashes so that `hash(3+0j) == hash(3)`.
pub fn complex_hash(value: Complex) -> i64 {
    const IMAGINARY_MULTIPLIER: u64 = 1_000_003;
    let real = crate::numeric::hash_float(value.real) as u64;
    let imag = crate::numeric::hash_float(value.imag) as u64;
    let combined = real.wrapping_add(IMAGINARY_MULTIPLIER.wrapping_mul(imag)) as i64;
    if combined == -1 {
        -2
    } else {
        combined
    }
}

/// A float's repr without a trailing `.0` (`repr` of complex parts).
fn short_float_text(x: f64) -> String {
    let text = format_spec::float_repr(x);
    match text.strip_suffix(".0") {
        Some(short) => short.to_string(),
        None => text,
    }
}

/// `repr(z)`: `1j`, `(1+2j)`, `(-0-1j)`, `(nan+infj)`.
pub fn complex_repr(value: Complex) -> String {
    if value.real == 0.0 && value.real.is_sign_positive() {
        return format!("{}j", short_float_text(value.imag));
    }
    let real = short_float_text(value.real);
    let imag = short_float_text(value.imag);
    let sign = if imag.starts_with('-') { "" } else { "+" };
    format!("({real}{sign}{imag}j)")
}

/// `format(z, spec)` as CPython's complex formatter: each part formatted
/// as a float, the imaginary part always signed, then the whole padded.
pub fn complex_format(value: Complex, spec: &str) -> Result<String, String> {
    if spec.is_empty() {
        return Ok(complex_repr(value));
    }
    let parsed = format_spec::parse_format_spec_typed(spec, "complex")?;
    if parsed.align == Some('=') {
        return Err("'=' alignment flag is not allowed in complex format specifier".into());
    }
    if parsed.zero_pad {
        return Err("Zero padding is not allowed in complex format specifier".into());
    }
    match parsed.ty {
        None | Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'n') => {}
        Some(other) => {
            return Err(format!(
                "Unknown format code '{other}' for object of type 'complex'"
            ))
        }
    }
    let omitted_type = parsed.ty.is_none();
    let skip_real = omitted_type && value.real == 0.0 && value.real.is_sign_positive();
    let add_parens = omitted_type && !skip_real;
    let part_spec = |sign: char| FormatSpec {
        fill: ' ',
        align: None,
        sign,
        explicit_sign: false,
        no_neg_zero: parsed.no_neg_zero,
        alternate: parsed.alternate,
        zero_pad: false,
        width: None,
        grouping: parsed.grouping,
        precision: parsed.precision,
        ty: match parsed.ty {
            Some('n') => Some('g'),
            // No type and a precision: the 'g' rules; no type at all: repr.
            None if parsed.precision.is_some() => Some('g'),
            other => other,
        },
    };
    let part_text = |x: f64, sign: char| -> Result<String, String> {
        if omitted_type && parsed.precision.is_none() {
            let text = short_float_text(x);
            Ok(match (sign, text.starts_with('-')) {
                ('+', false) => format!("+{text}"),
                (' ', false) => format!(" {text}"),
                _ => text,
            })
        } else {
            format_spec::format_float_typed(x, &part_spec(sign), "complex")
        }
    };
    let mut body = String::new();
    if add_parens {
        body.push('(');
    }
    if !skip_real {
        body.push_str(&part_text(value.real, parsed.sign)?);
    }
    let imag_sign = if skip_real { parsed.sign } else { '+' };
    body.push_str(&part_text(value.imag, imag_sign)?);
    body.push('j');
    if add_parens {
        body.push(')');
    }
    Ok(format_spec::pad(&body, &parsed, '>'))
}

// ---- complex(...) ------------------------------------------------------------------------------

const MSG_MALFORMED: &str = "complex() arg is a malformed string";

/// Parses the text of `complex(str)`: `1`, `2j`, `1+2j`, `(-1.5e3-j)`,
/// `infj`, surrounding whitespace and one pair of parentheses allowed.
pub fn parse_complex(text: &str) -> Option<Complex> {
    let mut body = text.trim();
    if let Some(inner) = body.strip_prefix('(') {
        body = inner.strip_suffix(')')?.trim();
    }
    if body.is_empty() || body.contains(char::is_whitespace) {
        return None;
    }
    let real_only = |text: &str| crate::text::numparse::parse_float(text);
    let Some(without_j) = body.strip_suffix(['j', 'J']) else {
        return real_only(body).map(|real| Complex::new(real, 0.0));
    };
    let imaginary = |text: &str| match text {
        "" | "+" => Some(1.0),
        "-" => Some(-1.0),
        _ => real_only(text),
    };
    // The sign that starts the imaginary part: the last '+'/'-' not at the
    // start and not part of an exponent.
    let bytes = without_j.as_bytes();
    let split = (1..bytes.len()).rev().find(|&index| {
        matches!(bytes[index], b'+' | b'-') && !matches!(bytes[index - 1], b'e' | b'E')
    });
    match split {
        Some(index) => {
            let real = real_only(&without_j[..index])?;
            let imag = imaginary(&without_j[index..])?;
            Some(Complex::new(real, imag))
        }
        None => Some(Complex::new(0.0, imaginary(without_j)?)),
    }
}

/// The result of `__complex__`, if the value's class defines it.
fn complex_method(vm: &mut Vm, value: Value) -> PyResult<Option<Complex>> {
    if complex_of(value).is_some() && vm.is_builtin_class(vm.type_of(value)) {
        return Ok(complex_of(value));
    }
    match ops::call_special(vm, value, "__complex__", &[])? {
        Some(result) => match complex_of(result) {
            Some(parts) => Ok(Some(parts)),
            None => {
                let type_name = vm.type_name(result);
                vm.err_type(format!(
                    "__complex__ returned non-complex (type {type_name})"
                ))
            }
        },
        None => Ok(None),
    }
}

/// Whether `float(value)` can work (a real number or `__float__`/`__index__`).
fn is_real_number(vm: &Vm, value: Value) -> bool {
    if value.is_float() || value.is_small_int() || value.is_bool() {
        return true;
    }
    if matches!(kind_of(value), Some(ObjKind::Int(_) | ObjKind::Float(_))) {
        return true;
    }
    let class = vm.type_of(value);
    ops::lookup_class_attr(class, "__float__").is_some()
        || ops::lookup_class_attr(class, "__index__").is_some()
}

/// One argument of `complex(real, imag)` as a complex value, and whether it
/// was complex itself.
fn constructor_part(vm: &mut Vm, value: Value, position: &str) -> PyResult<(Complex, bool)> {
    if let Some(parts) = complex_method(vm, value)? {
        return Ok((parts, true));
    }
    if !is_real_number(vm, value) {
        let type_name = vm.type_name(value);
        return vm.err_type(if position == "first" {
            format!("complex() first argument must be a string or a number, not '{type_name}'")
        } else {
            format!("complex() second argument must be a number, not '{type_name}'")
        });
    }
    let real = ops::float_value(vm, value)?;
    Ok((Complex::new(real, 0.0), false))
}

/// `complex.__new__(cls, real=0, imag=0)`.
fn complex_new(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let complex_class = vm.types.complex;
    let class = new_class_argument(vm, args, "complex", complex_class)?;
    let bound =
        crate::builtins::args::bind(vm, "complex", &args[1..], kwargs, &["real", "imag"], 0)?;
    let (real_arg, imag_arg) = (bound[0], bound[1]);
    let value = if real_arg.is_null() {
        Complex::new(0.0, 0.0)
    } else if let Some(text) = str_of(real_arg) {
        if !imag_arg.is_null() {
            return vm.err_type("complex() can't take second arg if first is a string");
        }
        match parse_complex(text) {
            Some(value) => value,
            None => return vm.err_value(MSG_MALFORMED),
        }
    } else {
        if str_of(imag_arg).is_some() {
            return vm.err_type("complex() second arg can't be a string");
        }
        if imag_arg.is_null() && class == complex_class && vm.type_of(real_arg) == complex_class {
            return Ok(real_arg);
        }
        let (real, real_is_complex) = constructor_part(vm, real_arg, "first")?;
        if imag_arg.is_null() {
            real
        } else {
            let (imag, imag_is_complex) = constructor_part(vm, imag_arg, "second")?;
            let mut result = Complex::new(real.real, imag.real);
            if imag_is_complex {
                result.real -= imag.imag;
            }
            if real_is_complex {
                result.imag += real.imag;
            }
            result
        }
    };
    if class == complex_class {
        return Ok(new_complex(vm, value));
    }
    Ok(alloc_instance(
        vm,
        class,
        ObjKind::Complex {
            real: value.real,
            imag: value.imag,
        },
    ))
}

// ---- methods -------------------------------------------------------------------------------------

/// The receiver of a complex method.
fn receiver(vm: &mut Vm, args: &[Value], name: &str) -> PyResult<Complex> {
    match args.first().copied().and_then(complex_of) {
        Some(parts) => Ok(parts),
        None => {
            let type_name = args
                .first()
                .map(|value| vm.type_name(*value))
                .unwrap_or_else(|| "nothing".into());
            vm.err_type(format!(
                "descriptor '{name}' for 'complex' objects doesn't apply to a '{type_name}' object"
            ))
        }
    }
}

fn one_argument(vm: &mut Vm, args: &[Value], name: &str) -> PyResult<Value> {
    if args.len() != 2 {
        return vm.err_type(format!(
            "expected 1 argument, got {}",
            args.len().saturating_sub(1)
        ));
    }
    receiver(vm, args, name)?;
    Ok(args[1])
}

macro_rules! binary_methods {
    ($($function:ident $name:literal => $op:expr, $reflected:expr;)*) => {
        $(
            fn $function(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
                let other = one_argument(vm, args, $name)?;
                let this = args[0];
                let Some(other_parts) = operand(vm, other)? else {
                    return Ok(Value::NOT_IMPLEMENTED);
                };
                let this_parts = complex_of(this).unwrap_or(Complex::new(0.0, 0.0));
                if $reflected {
                    arithmetic(vm, $op, other_parts, this_parts)
                } else {
                    arithmetic(vm, $op, this_parts, other_parts)
                }
            }
        )*
        const BINARY_METHODS: &[(&str, NativeFn)] = &[$(($name, $function as NativeFn)),*];
    };
}

binary_methods! {
    complex_add "__add__" => BinaryOp::Add, false;
    complex_radd "__radd__" => BinaryOp::Add, true;
    complex_sub "__sub__" => BinaryOp::Subtract, false;
    complex_rsub "__rsub__" => BinaryOp::Subtract, true;
    complex_mul "__mul__" => BinaryOp::Multiply, false;
    complex_rmul "__rmul__" => BinaryOp::Multiply, true;
    complex_truediv "__truediv__" => BinaryOp::TrueDivide, false;
    complex_rtruediv "__rtruediv__" => BinaryOp::TrueDivide, true;
}

/// `__pow__` / `__rpow__`: a third (modulus) argument is an error.
fn power_method(vm: &mut Vm, args: &[Value], reflected: bool, name: &str) -> PyResult<Value> {
    let this = receiver(vm, args, name)?;
    if args.len() < 2 || args.len() > 3 {
        return vm.err_type(format!(
            "expected 1 or 2 arguments, got {}",
            args.len().saturating_sub(1)
        ));
    }
    if args.get(2).is_some_and(|modulus| !modulus.is_none()) {
        return vm.err_value("complex modulo");
    }
    let Some(other) = operand(vm, args[1])? else {
        return Ok(Value::NOT_IMPLEMENTED);
    };
    let (base, exponent) = if reflected {
        (other, this)
    } else {
        (this, other)
    };
    let result = power_value(vm, base, exponent)?;
    Ok(new_complex(vm, result))
}

fn compare_method(vm: &mut Vm, args: &[Value], op: CompareOp, name: &str) -> PyResult<Value> {
    let other = one_argument(vm, args, name)?;
    complex_compare(vm, args[0], other, op)
}

fn complex_format_method(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let spec_value = one_argument(vm, args, "__format__")?;
    let this = receiver(vm, args, "__format__")?;
    let Some(spec) = str_of(spec_value) else {
        let type_name = vm.type_name(spec_value);
        return vm.err_type(format!(
            "__format__() argument must be str, not {type_name}"
        ));
    };
    match complex_format(this, spec) {
        Ok(text) => Ok(vm.new_str(text)),
        Err(message) => vm.err_value(message),
    }
}

fn complex_abs(vm: &mut Vm, this: Complex) -> PyResult<Value> {
    match this.abs() {
        Ok(x) => Ok(Value::float(x)),
        Err(message) => Err(vm.overflow_error(message)),
    }
}

/// `-z`, `+z`, `abs(z)` for complex values; `None` for other values.
pub fn complex_unary(
    vm: &mut Vm,
    kind: crate::builtins::numbers::UnaryKind,
    value: Value,
) -> PyResult<Option<Value>> {
    use crate::builtins::numbers::UnaryKind;
    let Some(this) = complex_of(value) else {
        return Ok(None);
    };
    Ok(Some(match kind {
        UnaryKind::Negative => new_complex(vm, Complex::new(-this.real, -this.imag)),
        UnaryKind::Positive => new_complex(vm, this),
        UnaryKind::Abs => complex_abs(vm, this)?,
        UnaryKind::Invert => {
            return vm.err_type("bad operand type for unary ~: 'complex'");
        }
    }))
}

/// Registers `complex.__new__` and the class's methods.
pub fn register(vm: &mut Vm) {
    let class = vm.types.complex;
    add_staticmethod(vm, class, "__new__", complex_new);
    for &(name, function) in BINARY_METHODS {
        add_method(vm, class, name, function);
    }
    add_method(vm, class, "__pow__", |vm, args, _| {
        power_method(vm, args, false, "__pow__")
    });
    add_method(vm, class, "__rpow__", |vm, args, _| {
        power_method(vm, args, true, "__rpow__")
    });
    add_method(vm, class, "__eq__", |vm, args, _| {
        compare_method(vm, args, CompareOp::Eq, "__eq__")
    });
    add_method(vm, class, "__ne__", |vm, args, _| {
        compare_method(vm, args, CompareOp::Ne, "__ne__")
    });
    for name in ["__lt__", "__le__", "__gt__", "__ge__"] {
        add_method(vm, class, name, |_, _, _| Ok(Value::NOT_IMPLEMENTED));
    }
    add_method(vm, class, "__repr__", |vm, args, _| {
        let this = receiver(vm, args, "__repr__")?;
        Ok(vm.new_str(complex_repr(this)))
    });
    add_method(vm, class, "__hash__", |vm, args, _| {
        let this = receiver(vm, args, "__hash__")?;
        Ok(vm.new_int(complex_hash(this)))
    });
    add_method(vm, class, "__bool__", |vm, args, _| {
        let this = receiver(vm, args, "__bool__")?;
        Ok(Value::bool(!this.is_zero()))
    });
    add_method(vm, class, "__neg__", |vm, args, _| {
        let this = receiver(vm, args, "__neg__")?;
        Ok(new_complex(vm, Complex::new(-this.real, -this.imag)))
    });
    add_method(vm, class, "__pos__", |vm, args, _| {
        let this = receiver(vm, args, "__pos__")?;
        Ok(new_complex(vm, this))
    });
    add_method(vm, class, "__abs__", |vm, args, _| {
        let this = receiver(vm, args, "__abs__")?;
        complex_abs(vm, this)
    });
    add_method(vm, class, "conjugate", |vm, args, _| {
        let this = receiver(vm, args, "conjugate")?;
        Ok(new_complex(vm, Complex::new(this.real, -this.imag)))
    });
    add_method(vm, class, "__complex__", |vm, args, _| {
        let this = receiver(vm, args, "__complex__")?;
        Ok(new_complex(vm, this))
    });
    add_method(vm, class, "__getnewargs__", |vm, args, _| {
        let this = receiver(vm, args, "__getnewargs__")?;
        Ok(vm.new_tuple(vec![Value::float(this.real), Value::float(this.imag)]))
    });
    add_method(vm, class, "__format__", complex_format_method);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repr_matches_cpython() {
        assert_eq!(complex_repr(Complex::new(1.0, 2.0)), "(1+2j)");
        assert_eq!(complex_repr(Complex::new(0.0, 1.0)), "1j");
        assert_eq!(complex_repr(Complex::new(-0.0, -1.0)), "(-0-1j)");
        assert_eq!(complex_repr(Complex::new(0.0, 0.0)), "0j");
        assert_eq!(complex_repr(Complex::new(-1.0, 0.0)), "(-1+0j)");
        assert_eq!(complex_repr(Complex::new(1e16, 2.5)), "(1e+16+2.5j)");
    }

    #[test]
    fn parses_complex_strings() {
        assert_eq!(parse_complex("1+2j"), Some(Complex::new(1.0, 2.0)));
        assert_eq!(parse_complex(" (5-6j) "), Some(Complex::new(5.0, -6.0)));
        assert_eq!(parse_complex("-j"), Some(Complex::new(0.0, -1.0)));
        assert_eq!(parse_complex("1e+5j"), Some(Complex::new(0.0, 1e5)));
        assert_eq!(parse_complex("2"), Some(Complex::new(2.0, 0.0)));
        assert_eq!(parse_complex("1 + 2j"), None);
        assert_eq!(parse_complex("j1"), None);
    }

    #[test]
    fn formats_like_cpython() {
        assert_eq!(
            complex_format(Complex::new(3.0, 4.0), ".1f").unwrap(),
            "3.0+4.0j"
        );
        assert_eq!(
            complex_format(Complex::new(3.0, 4.0), "").unwrap(),
            "(3+4j)"
        );
        assert_eq!(
            complex_format(Complex::new(3.0, 4.0), "^12").unwrap(),
            "   (3+4j)   "
        );
        assert_eq!(complex_format(Complex::new(0.0, 4.0), "").unwrap(), "4j");
    }

    #[test]
    fn hash_agrees_with_reals() {
        assert_eq!(
            complex_hash(Complex::new(3.0, 0.0)),
            crate::numeric::hash_i64(3)
        );
    }
}
