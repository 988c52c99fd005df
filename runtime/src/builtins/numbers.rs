//! `int`, `bool` and `float`: the number arithmetic the engine calls directly
//! (`int_binary`, `float_binary`, `number_compare`, `unary_number`,
//! `divmod_values`, `pow_values`, the `int(x)` / `float(x)` conversions) and
//! the methods and special methods of the three classes
//! (<https://docs.python.org/3.11/library/stdtypes.html#numeric-types-int-float-complex>).
//!
//! Representation (see `value.rs` and `objects/mod.rs`): an int is a small
//! immediate when it fits in 48 bits, and a heap `ObjKind::Int(BigInt)` when
//! it does not or when it is an instance of an int subclass; `True` and
//! `False` are immediates that count as 1 and 0; a float is an immediate, and
//! only float-subclass instances are heap `ObjKind::Float`. Main invariant:
//! every int result goes through `vm.new_int` / `vm.new_bigint`, which store
//! an int that fits as a small int, so two equal plain ints are equal words.
//! Fast paths work on `i64` with overflow checks and fall back to `BigInt`.
//!
//! The number algorithms themselves (floor-division signs, correctly rounded
//! division and conversion, `pow`, `round`, hashes, bytes and hex
//! conversions) live in `crate::numeric`, number text in `crate::text`; this
//! file only chooses the path and turns their `Err(String)` messages into the
//! exceptions CPython 3.11 raises. Deliberately absent: `complex` (a negative
//! float raised to a fractional power raises `ValueError` instead of
//! returning a complex number), the `real`/`imag`/`numerator`/`denominator`
//! properties (the engine has no native property support yet), the
//! 4300-digit limit on int/str conversion, and the `DeprecationWarning`s
//! CPython 3.11 emits for `__int__`/`__float__` returning subclass instances
//! and for `int()` delegating to `__trunc__`.

use std::borrow::Cow;
use std::cmp::Ordering;

use num_bigint::BigInt;
use num_traits::{One, Signed, ToPrimitive, Zero};

use crate::builtins::containers::{alloc_instance, new_class_argument};
use crate::builtins::repr::bytes_repr;
use crate::builtins::{add_classmethod, add_method, add_staticmethod, args};
use crate::bytecode::opcodes::{BinaryOp, CompareOp};
use crate::engine::ops::{self, kind_of};
use crate::engine::{class_name, str_of, Vm};
use crate::numeric;
use crate::objects::{NativeFn, ObjKind};
use crate::text::{format_spec, numparse};
use crate::value::Value;
use crate::PyResult;

type Kwargs<'a> = &'a [(Value, Value)];

// ---- operands ----------------------------------------------------------------------------------

/// The value of an int or bool operand: a machine word whenever it fits in
/// `i64` (so `Big` always holds a value outside the `i64` range).
#[derive(Clone, Copy, Debug)]
enum IntOperand<'a> {
    Small(i64),
    Big(&'a BigInt),
}

impl<'a> IntOperand<'a> {
    fn to_bigint(self) -> Cow<'a, BigInt> {
        match self {
            IntOperand::Small(n) => Cow::Owned(BigInt::from(n)),
            IntOperand::Big(n) => Cow::Borrowed(n),
        }
    }

    fn is_zero(self) -> bool {
        match self {
            IntOperand::Small(n) => n == 0,
            IntOperand::Big(n) => n.is_zero(),
        }
    }

    /// The value as `i64`, saturating: callers use it where any value
    /// beyond the `i64` range behaves like the range's end (`ndigits`, `base`).
    fn saturating_i64(self) -> i64 {
        match self {
            IntOperand::Small(n) => n,
            IntOperand::Big(n) if n.is_negative() => i64::MIN,
            IntOperand::Big(_) => i64::MAX,
        }
    }

    /// `float(n)`, correctly rounded; `Err` is "int too large to convert to
    /// float" (`OverflowError`).
    fn to_f64(self) -> Result<f64, String> {
        match self {
            // `as` rounds to nearest, ties to even, like CPython.
            IntOperand::Small(n) => Ok(n as f64),
            IntOperand::Big(n) => numeric::big_to_f64(n),
        }
    }
}

/// An int, an int-subclass instance or a bool, as an operand.
fn int_operand(value: Value) -> Option<IntOperand<'static>> {
    if let Some(n) = value.as_small_int() {
        return Some(IntOperand::Small(n));
    }
    if value == Value::TRUE {
        return Some(IntOperand::Small(1));
    }
    if value == Value::FALSE {
        return Some(IntOperand::Small(0));
    }
    match kind_of(value) {
        Some(ObjKind::Int(n)) => Some(match n.to_i64() {
            Some(small) => IntOperand::Small(small),
            None => IntOperand::Big(n),
        }),
        _ => None,
    }
}

fn is_int(value: Value) -> bool {
    int_operand(value).is_some()
}

/// A float or float-subclass instance, as an operand.
fn float_operand(value: Value) -> Option<f64> {
    if let Some(x) = value.as_float() {
        return Some(x);
    }
    match kind_of(value) {
        Some(ObjKind::Float(x)) => Some(*x),
        _ => None,
    }
}

/// Any operand of the number tower this file implements.
#[derive(Clone, Copy, Debug)]
enum Number<'a> {
    Int(IntOperand<'a>),
    Float(f64),
}

fn number_operand(value: Value) -> Option<Number<'static>> {
    match int_operand(value) {
        Some(n) => Some(Number::Int(n)),
        None => float_operand(value).map(Number::Float),
    }
}

impl Number<'_> {
    fn is_float(self) -> bool {
        matches!(self, Number::Float(_))
    }

    fn to_f64(self) -> Result<f64, String> {
        match self {
            Number::Int(n) => n.to_f64(),
            Number::Float(x) => Ok(x),
        }
    }
}

/// The receiver of a native method, already checked by `slot_receiver` or
/// `method_receiver` (so the fallback is never used).
fn int_of(value: Value) -> IntOperand<'static> {
    debug_assert!(is_int(value));
    int_operand(value).unwrap_or(IntOperand::Small(0))
}

/// Like [`int_of`] for float receivers.
fn float_of(value: Value) -> f64 {
    debug_assert!(float_operand(value).is_some());
    float_operand(value).unwrap_or(f64::NAN)
}

/// The plain `int` with the value of an int, int-subclass instance or bool
/// (what `int.__int__`, `__index__`, `__trunc__`... return).
fn exact_int(vm: &mut Vm, value: Value) -> Value {
    match int_operand(value) {
        Some(IntOperand::Small(n)) => vm.new_int(n),
        Some(IntOperand::Big(n)) if vm.type_of(value) != vm.types.int => vm.new_bigint(n.clone()),
        _ => value,
    }
}

fn tuple2(vm: &mut Vm, first: Value, second: Value) -> Value {
    vm.new_tuple(vec![first, second])
}

// ---- errors --------------------------------------------------------------------------------------

/// `ValueError` for `x << n` / `x >> n` with `n < 0`.
const MSG_NEGATIVE_SHIFT: &str = "negative shift count";
/// `TypeError` for a three-argument `pow` involving a float.
const MSG_POW_THIRD_ARGUMENT: &str =
    "pow() 3rd argument not allowed unless all arguments are integers";
/// `ValueError` raised where CPython would return a complex number.
const MSG_COMPLEX_UNSUPPORTED: &str = "complex numbers are not supported";
/// Not a message: the result would need more memory than we allow
/// (`MemoryError`, which CPython raises with no arguments).
const RESULT_TOO_LARGE_FOR_MEMORY: &str = "<result too large for memory>";

/// Int results with more bits than this raise `MemoryError` up front rather
/// than trying to allocate them (CPython tries, and fails the same way).
const MAX_RESULT_BITS: u64 = 1 << 32;

/// The exception class a message from `crate::numeric` (or this file) is
/// raised as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(clippy::enum_variant_names)]
enum ErrorClass {
    ZeroDivisionError,
    ValueError,
    OverflowError,
    /// `OverflowError(34, 'Numerical result out of range')`: CPython raises
    /// it from `errno`, so it has two args.
    MathRangeError,
    MemoryError,
}

fn error_class(message: &str) -> ErrorClass {
    use numeric::*;
    match message {
        MSG_INT_DIVISION_BY_ZERO
        | MSG_INT_MODULO_BY_ZERO
        | MSG_DIVISION_BY_ZERO
        | MSG_FLOAT_DIVISION_BY_ZERO
        | MSG_FLOAT_FLOOR_DIVISION_BY_ZERO
        | MSG_FLOAT_MODULO_BY_ZERO
        | MSG_FLOAT_DIVMOD_BY_ZERO
        | MSG_ZERO_TO_NEGATIVE_POWER => ErrorClass::ZeroDivisionError,
        MSG_POW_MODULUS_ZERO
        | MSG_POW_BASE_NOT_INVERTIBLE
        | MSG_FLOAT_NAN_TO_INT
        | MSG_NAN_TO_RATIO
        | MSG_INVALID_HEX_FLOAT
        | FLOAT_POW_NEEDS_COMPLEX
        | MSG_NEGATIVE_SHIFT => ErrorClass::ValueError,
        MSG_MATH_RANGE_ERROR => ErrorClass::MathRangeError,
        RESULT_TOO_LARGE_FOR_MEMORY => ErrorClass::MemoryError,
        _ => ErrorClass::OverflowError,
    }
}

/// The exception for an `Err` message of `crate::numeric` or of this file.
fn numeric_error(vm: &mut Vm, message: String) -> Value {
    match error_class(&message) {
        ErrorClass::ZeroDivisionError => vm.zero_division_error(message),
        ErrorClass::ValueError if message == numeric::FLOAT_POW_NEEDS_COMPLEX => {
            // CPython returns `complex(base) ** complex(exponent)` here; we
            // have no complex type yet.
            vm.value_error(MSG_COMPLEX_UNSUPPORTED)
        }
        ErrorClass::ValueError => vm.value_error(message),
        ErrorClass::OverflowError => vm.overflow_error(message),
        ErrorClass::MathRangeError => {
            let class = vm.types.exc.overflow_error;
            let errno = Value::small_int_unchecked(34);
            let text = vm.new_str("Numerical result out of range");
            vm.new_exception(class, vec![errno, text])
        }
        ErrorClass::MemoryError => {
            let class = vm.types.exc.memory_error;
            vm.new_exception(class, vec![])
        }
    }
}

// ---- int arithmetic --------------------------------------------------------------------------------

/// The result of an arithmetic step before it becomes a `Value`.
#[derive(Debug, PartialEq)]
enum Arith<I> {
    Int(I),
    Float(f64),
    NotImplemented,
}

/// `x op y` on machine ints. `Ok(None)` means "overflowed or needs more
/// precision: redo it with `BigInt`".
fn small_int_arith(op: BinaryOp, x: i64, y: i64) -> Result<Option<Arith<i64>>, String> {
    let int = |result: Option<i64>| Ok(result.map(Arith::Int));
    match op {
        BinaryOp::Add => int(x.checked_add(y)),
        BinaryOp::Subtract => int(x.checked_sub(y)),
        BinaryOp::Multiply => int(x.checked_mul(y)),
        BinaryOp::TrueDivide => {
            if y == 0 {
                return Err(numeric::MSG_DIVISION_BY_ZERO.into());
            }
            // Both operands are exact doubles, so IEEE division rounds the
            // true quotient correctly; larger ones take the exact path.
            const EXACT_LIMIT: u64 = 1 << 53;
            if x.unsigned_abs() <= EXACT_LIMIT && y.unsigned_abs() <= EXACT_LIMIT {
                Ok(Some(Arith::Float(x as f64 / y as f64)))
            } else {
                Ok(None)
            }
        }
        BinaryOp::FloorDivide => {
            if y == 0 {
                return Err(numeric::MSG_INT_DIVISION_BY_ZERO.into());
            }
            int(numeric::floor_div_i64(x, y))
        }
        BinaryOp::Remainder => {
            if y == 0 {
                return Err(numeric::MSG_INT_MODULO_BY_ZERO.into());
            }
            int(numeric::mod_i64(x, y))
        }
        BinaryOp::Power => {
            if y < 0 {
                // CPython converts both operands to float (`2 ** -1 == 0.5`).
                return numeric::float_pow(x as f64, y as f64)
                    .map(|result| Some(Arith::Float(result)));
            }
            int(u32::try_from(y)
                .ok()
                .and_then(|exponent| x.checked_pow(exponent)))
        }
        BinaryOp::LeftShift => {
            if y < 0 {
                return Err(MSG_NEGATIVE_SHIFT.into());
            }
            if x == 0 {
                return int(Some(0));
            }
            if y >= 63 {
                return Ok(None);
            }
            let shifted = x << y;
            int((shifted >> y == x).then_some(shifted))
        }
        BinaryOp::RightShift => {
            if y < 0 {
                return Err(MSG_NEGATIVE_SHIFT.into());
            }
            // Arithmetic shift: floor division by 2**y.
            int(Some(if y >= 63 {
                if x < 0 {
                    -1
                } else {
                    0
                }
            } else {
                x >> y
            }))
        }
        BinaryOp::And => int(Some(x & y)),
        BinaryOp::Or => int(Some(x | y)),
        BinaryOp::Xor => int(Some(x ^ y)),
        BinaryOp::MatrixMultiply => Ok(Some(Arith::NotImplemented)),
    }
}

/// Refuses `base ** exponent` when the result certainly has more than
/// [`MAX_RESULT_BITS`] bits (`|base| >= 2` gives at least
/// `(bits(base) - 1) * exponent` bits).
fn check_power_size(base: &BigInt, exponent: &BigInt) -> Result<(), String> {
    if base.is_zero() || base.magnitude().is_one() {
        return Ok(());
    }
    let too_large = match exponent.to_u64() {
        Some(exponent) => (base.bits() - 1).saturating_mul(exponent) > MAX_RESULT_BITS,
        None => true,
    };
    if too_large {
        Err(RESULT_TOO_LARGE_FOR_MEMORY.into())
    } else {
        Ok(())
    }
}

/// `x op y` on big integers (any values).
fn big_int_arith(op: BinaryOp, x: &BigInt, y: &BigInt) -> Result<Arith<BigInt>, String> {
    Ok(match op {
        BinaryOp::Add => Arith::Int(x + y),
        BinaryOp::Subtract => Arith::Int(x - y),
        BinaryOp::Multiply => Arith::Int(x * y),
        BinaryOp::TrueDivide => Arith::Float(numeric::int_true_div(x, y)?),
        BinaryOp::FloorDivide => {
            if y.is_zero() {
                return Err(numeric::MSG_INT_DIVISION_BY_ZERO.into());
            }
            Arith::Int(numeric::floor_div_big(x, y))
        }
        BinaryOp::Remainder => {
            if y.is_zero() {
                return Err(numeric::MSG_INT_MODULO_BY_ZERO.into());
            }
            Arith::Int(numeric::mod_big(x, y))
        }
        BinaryOp::Power => {
            if y.is_negative() {
                Arith::Float(numeric::int_pow_negative_exponent(x, y)?)
            } else {
                check_power_size(x, y)?;
                Arith::Int(numeric::pow_big(x, y))
            }
        }
        BinaryOp::LeftShift => {
            if y.is_negative() {
                return Err(MSG_NEGATIVE_SHIFT.into());
            }
            if x.is_zero() {
                return Ok(Arith::Int(BigInt::zero()));
            }
            match y
                .to_u64()
                .filter(|shift| x.bits().saturating_add(*shift) <= MAX_RESULT_BITS)
            {
                Some(shift) => Arith::Int(x << shift),
                None => return Err(RESULT_TOO_LARGE_FOR_MEMORY.into()),
            }
        }
        BinaryOp::RightShift => {
            if y.is_negative() {
                return Err(MSG_NEGATIVE_SHIFT.into());
            }
            match y.to_u64() {
                // num-bigint shifts negative values toward negative infinity,
                // like Python.
                Some(shift) if shift < x.bits() => Arith::Int(x >> shift),
                _ => Arith::Int(if x.is_negative() {
                    -BigInt::one()
                } else {
                    BigInt::zero()
                }),
            }
        }
        BinaryOp::And => Arith::Int(x & y),
        BinaryOp::Or => Arith::Int(x | y),
        BinaryOp::Xor => Arith::Int(x ^ y),
        BinaryOp::MatrixMultiply => Arith::NotImplemented,
    })
}

/// `a op b` for ints and bools (bools count as 0 and 1 and results are
/// ints: `bool.__and__` and friends return bools themselves).
/// `NotImplemented` when either operand is not an int.
pub fn int_binary(vm: &mut Vm, op: BinaryOp, a: Value, b: Value) -> PyResult<Value> {
    let (Some(x), Some(y)) = (int_operand(a), int_operand(b)) else {
        return Ok(Value::NOT_IMPLEMENTED);
    };
    if let (IntOperand::Small(x), IntOperand::Small(y)) = (x, y) {
        match small_int_arith(op, x, y) {
            Ok(Some(Arith::Int(n))) => return Ok(vm.new_int(n)),
            Ok(Some(Arith::Float(f))) => return Ok(Value::float(f)),
            Ok(Some(Arith::NotImplemented)) => return Ok(Value::NOT_IMPLEMENTED),
            Ok(None) => {}
            Err(message) => return Err(numeric_error(vm, message)),
        }
    }
    match big_int_arith(op, &x.to_bigint(), &y.to_bigint()) {
        Ok(Arith::Int(n)) => Ok(vm.new_bigint(n)),
        Ok(Arith::Float(f)) => Ok(Value::float(f)),
        Ok(Arith::NotImplemented) => Ok(Value::NOT_IMPLEMENTED),
        Err(message) => Err(numeric_error(vm, message)),
    }
}

/// `bool.__and__`/`__or__`/`__xor__`: a bool when both operands are bools,
/// int behaviour otherwise.
fn bool_binary(vm: &mut Vm, op: BinaryOp, a: Value, b: Value) -> PyResult<Value> {
    if a.is_bool() && b.is_bool() {
        let (x, y) = (a == Value::TRUE, b == Value::TRUE);
        match op {
            BinaryOp::And => return Ok(Value::bool(x & y)),
            BinaryOp::Or => return Ok(Value::bool(x | y)),
            BinaryOp::Xor => return Ok(Value::bool(x ^ y)),
            _ => {}
        }
    }
    int_binary(vm, op, a, b)
}

/// `divmod(a, b)` for ints; `NotImplemented` for anything else.
fn int_divmod(vm: &mut Vm, a: Value, b: Value) -> PyResult<Value> {
    let (Some(x), Some(y)) = (int_operand(a), int_operand(b)) else {
        return Ok(Value::NOT_IMPLEMENTED);
    };
    if y.is_zero() {
        return Err(vm.zero_division_error(numeric::MSG_INT_DIVISION_BY_ZERO));
    }
    if let (IntOperand::Small(x), IntOperand::Small(y)) = (x, y) {
        if let Some((quotient, remainder)) = numeric::divmod_i64(x, y) {
            let (quotient, remainder) = (vm.new_int(quotient), vm.new_int(remainder));
            return Ok(tuple2(vm, quotient, remainder));
        }
    }
    let (quotient, remainder) = numeric::divmod_big(&x.to_bigint(), &y.to_bigint());
    let (quotient, remainder) = (vm.new_bigint(quotient), vm.new_bigint(remainder));
    Ok(tuple2(vm, quotient, remainder))
}

/// `base ** exponent % modulus` for ints (`int.__pow__` with a modulus);
/// `NotImplemented` unless all three are ints.
fn int_power(vm: &mut Vm, base: Value, exponent: Value, modulus: Option<Value>) -> PyResult<Value> {
    let Some(modulus) = modulus else {
        return int_binary(vm, BinaryOp::Power, base, exponent);
    };
    let (Some(base), Some(exponent), Some(modulus)) = (
        int_operand(base),
        int_operand(exponent),
        int_operand(modulus),
    ) else {
        return Ok(Value::NOT_IMPLEMENTED);
    };
    match numeric::pow_mod(
        &base.to_bigint(),
        &exponent.to_bigint(),
        &modulus.to_bigint(),
    ) {
        Ok(result) => Ok(vm.new_bigint(result)),
        Err(message) => Err(numeric_error(vm, message)),
    }
}

// ---- float arithmetic ------------------------------------------------------------------------------

/// Whether float defines the operator at all (`1.5 & 1` is a `TypeError`
/// without even converting the int).
fn float_supports(op: BinaryOp) -> bool {
    matches!(
        op,
        BinaryOp::Add
            | BinaryOp::Subtract
            | BinaryOp::Multiply
            | BinaryOp::TrueDivide
            | BinaryOp::FloorDivide
            | BinaryOp::Remainder
            | BinaryOp::Power
    )
}

/// `x op y` on floats, for the operators of [`float_supports`].
fn float_arith(op: BinaryOp, x: f64, y: f64) -> Result<f64, String> {
    match op {
        BinaryOp::Add => Ok(x + y),
        BinaryOp::Subtract => Ok(x - y),
        BinaryOp::Multiply => Ok(x * y),
        BinaryOp::TrueDivide if y == 0.0 => Err(numeric::MSG_FLOAT_DIVISION_BY_ZERO.into()),
        BinaryOp::TrueDivide => Ok(x / y),
        BinaryOp::FloorDivide if y == 0.0 => Err(numeric::MSG_FLOAT_FLOOR_DIVISION_BY_ZERO.into()),
        BinaryOp::FloorDivide => Ok(numeric::float_floor_div(x, y)),
        BinaryOp::Remainder if y == 0.0 => Err(numeric::MSG_FLOAT_MODULO_BY_ZERO.into()),
        BinaryOp::Remainder => Ok(numeric::float_mod(x, y)),
        BinaryOp::Power => numeric::float_pow(x, y),
        _ => unreachable!("float_arith called for {op:?}, which float_supports rejects"),
    }
}

/// `a op b` where at least one operand is a float and the other a float,
/// int or bool. `NotImplemented` for other operands and for operators
/// float lacks (shifts, bitwise, `@`). Two ints or bools get int (and bool)
/// behaviour.
pub fn float_binary(vm: &mut Vm, op: BinaryOp, a: Value, b: Value) -> PyResult<Value> {
    let (Some(x), Some(y)) = (number_operand(a), number_operand(b)) else {
        return Ok(Value::NOT_IMPLEMENTED);
    };
    if !x.is_float() && !y.is_float() {
        // Two ints or bools: what their own methods compute (`True & True`
        // stays a bool).
        return bool_binary(vm, op, a, b);
    }
    if !float_supports(op) {
        return Ok(Value::NOT_IMPLEMENTED);
    }
    let operands = x.to_f64().and_then(|x| y.to_f64().map(|y| (x, y)));
    let result = operands.clone().and_then(|(x, y)| float_arith(op, x, y));
    match (result, operands) {
        (Ok(result), _) => Ok(Value::float(result)),
        // A negative base with a fractional exponent: CPython's float
        // power hands the operands to complex power.
        (Err(message), Ok((base, exponent))) if message == numeric::FLOAT_POW_NEEDS_COMPLEX => {
            crate::builtins::complex::real_power_as_complex(vm, base, exponent)
        }
        (Err(message), _) => Err(numeric_error(vm, message)),
    }
}

/// `divmod(a, b)` when a float is involved; `NotImplemented` for
/// non-numbers.
fn float_divmod_value(vm: &mut Vm, a: Value, b: Value) -> PyResult<Value> {
    let (Some(x), Some(y)) = (number_operand(a), number_operand(b)) else {
        return Ok(Value::NOT_IMPLEMENTED);
    };
    if !x.is_float() && !y.is_float() {
        return int_divmod(vm, a, b);
    }
    let (x, y) = match x.to_f64().and_then(|x| y.to_f64().map(|y| (x, y))) {
        Ok(pair) => pair,
        Err(message) => return Err(numeric_error(vm, message)),
    };
    if y == 0.0 {
        return Err(vm.zero_division_error(numeric::MSG_FLOAT_DIVMOD_BY_ZERO));
    }
    let (quotient, remainder) = numeric::float_divmod(x, y);
    Ok(tuple2(vm, Value::float(quotient), Value::float(remainder)))
}

// ---- comparison, hashing, text -------------------------------------------------------------------

fn compare_ints(x: IntOperand, y: IntOperand) -> Ordering {
    match (x, y) {
        (IntOperand::Small(x), IntOperand::Small(y)) => x.cmp(&y),
        _ => x.to_bigint().cmp(&y.to_bigint()),
    }
}

/// Exact comparison of an int with a float, however large the int (CPython
/// never rounds the int: `2**1000 + 1 > float(2**1000)`). `None` for NaN.
fn compare_int_with_float(n: IntOperand, x: f64) -> Option<Ordering> {
    if x.is_nan() {
        return None;
    }
    if x.is_infinite() {
        return Some(if x > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        });
    }
    if let IntOperand::Small(small) = n {
        if small.unsigned_abs() <= 1 << 53 {
            // The int converts exactly.
            return (small as f64).partial_cmp(&x);
        }
    }
    // Compare with the integral part exactly, then let the fraction decide.
    let whole = x.trunc();
    let whole_int = numeric::float_to_bigint(whole).ok()?;
    match n.to_bigint().as_ref().cmp(&whole_int) {
        Ordering::Equal => {
            let fraction = x - whole;
            Some(if fraction > 0.0 {
                Ordering::Less
            } else if fraction < 0.0 {
                Ordering::Greater
            } else {
                Ordering::Equal
            })
        }
        ordering => Some(ordering),
    }
}

fn compare_numbers(a: Number, b: Number) -> Option<Ordering> {
    match (a, b) {
        (Number::Int(x), Number::Int(y)) => Some(compare_ints(x, y)),
        (Number::Float(x), Number::Float(y)) => x.partial_cmp(&y),
        (Number::Int(n), Number::Float(x)) => compare_int_with_float(n, x),
        (Number::Float(x), Number::Int(n)) => compare_int_with_float(n, x).map(Ordering::reverse),
    }
}

/// Orders two numbers (ints, bools, floats and their subclass instances)
/// exactly. `None` when either is not a number or a NaN is involved (every
/// comparison is then false except `!=`).
pub fn number_compare(_vm: &mut Vm, a: Value, b: Value) -> Option<Ordering> {
    compare_numbers(number_operand(a)?, number_operand(b)?)
}

/// Decimal text of an int or bool (`1` for `True`); `None` for non-ints.
pub fn int_repr(value: Value) -> Option<String> {
    Some(match int_operand(value)? {
        IntOperand::Small(n) => n.to_string(),
        IntOperand::Big(n) => n.to_string(),
    })
}

/// `repr(x)` of a float or float-subclass instance.
pub fn float_repr_value(value: Value) -> Option<String> {
    float_operand(value).map(format_spec::float_repr)
}

/// `hash(n)` of an int or bool, as CPython computes it.
pub fn int_hash(value: Value) -> Option<i64> {
    Some(match int_operand(value)? {
        IntOperand::Small(n) => numeric::hash_i64(n),
        IntOperand::Big(n) => numeric::hash_int(n),
    })
}

/// `hash(x)` of a float: equal to the hash of an equal int. A NaN hashes
/// to 0 (CPython hashes NaN objects by identity; our floats have none).
pub fn float_hash(x: f64) -> i64 {
    numeric::hash_float(x)
}

// ---- unary operators -----------------------------------------------------------------------------

/// The unary operators numbers implement natively.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryKind {
    Negative,
    Positive,
    Invert,
    Abs,
}

fn int_unary(vm: &mut Vm, kind: UnaryKind, n: IntOperand) -> Value {
    match n {
        IntOperand::Small(n) => {
            let result = match kind {
                UnaryKind::Negative => n.checked_neg(),
                UnaryKind::Positive => Some(n),
                UnaryKind::Invert => Some(!n),
                UnaryKind::Abs => n.checked_abs(),
            };
            match result {
                Some(result) => vm.new_int(result),
                // Only `-i64::MIN` and `abs(i64::MIN)` overflow.
                None => vm.new_bigint(-BigInt::from(n)),
            }
        }
        IntOperand::Big(n) => vm.new_bigint(match kind {
            UnaryKind::Negative => -n,
            UnaryKind::Positive => n.clone(),
            UnaryKind::Invert => -n - BigInt::one(),
            UnaryKind::Abs => n.abs(),
        }),
    }
}

/// `-v`, `+v`, `~v`, `abs(v)` for ints, bools and floats (results are plain
/// ints and floats, as in CPython). `Ok(None)` when `v` is not a number;
/// `~` of a float is a `TypeError`.
pub fn unary_number(vm: &mut Vm, kind: UnaryKind, value: Value) -> PyResult<Option<Value>> {
    if let Some(n) = int_operand(value) {
        return Ok(Some(int_unary(vm, kind, n)));
    }
    if let Some(x) = float_operand(value) {
        return match kind {
            UnaryKind::Negative => Ok(Some(Value::float(-x))),
            UnaryKind::Positive => Ok(Some(Value::float(x))),
            UnaryKind::Abs => Ok(Some(Value::float(x.abs()))),
            UnaryKind::Invert => {
                let type_name = vm.type_name(value);
                vm.err_type(format!("bad operand type for unary ~: '{type_name}'"))
            }
        };
    }
    Ok(None)
}

// ---- int() and float() -----------------------------------------------------------------------------

/// The bytes of a `bytes` or `bytearray` (copied out of the bytearray's
/// cell).
fn bytes_like(value: Value) -> Option<Vec<u8>> {
    match kind_of(value)? {
        ObjKind::Bytes(bytes) => Some(bytes.to_vec()),
        ObjKind::ByteArray(bytes) => Some(bytes.borrow().clone()),
        _ => None,
    }
}

/// The text of bytes given to `int()` / `float()`, when it can be a number:
/// ASCII, and without `\x1c`..`\x1f`, which `str` counts as whitespace but
/// CPython's byte parser does not.
fn ascii_number_text(bytes: &[u8]) -> Option<&str> {
    if bytes
        .iter()
        .all(|byte| byte.is_ascii() && !(0x1c..=0x1f).contains(byte))
    {
        std::str::from_utf8(bytes).ok()
    } else {
        None
    }
}

fn parse_int_text(vm: &mut Vm, text: &str, base: u32) -> PyResult<Value> {
    match numparse::parse_int(text, base) {
        Ok(n) => Ok(vm.new_bigint(n)),
        Err(()) => vm.err_value(numparse::invalid_int_literal_message(text, base)),
    }
}

fn parse_int_bytes(vm: &mut Vm, bytes: &[u8], base: u32) -> PyResult<Value> {
    match ascii_number_text(bytes).and_then(|text| numparse::parse_int(text, base).ok()) {
        Some(n) => Ok(vm.new_bigint(n)),
        None => {
            // CPython's `%.200R` of the bytes.
            let repr: String = bytes_repr(bytes).chars().take(200).collect();
            vm.err_value(format!(
                "invalid literal for int() with base {base}: {repr}"
            ))
        }
    }
}

fn float_to_int_value(vm: &mut Vm, x: f64) -> PyResult<Value> {
    match numeric::float_to_bigint(x) {
        Ok(n) => Ok(vm.new_bigint(n)),
        Err(message) => Err(numeric_error(vm, message)),
    }
}

fn int_to_float_value(vm: &mut Vm, n: IntOperand) -> PyResult<Value> {
    match n.to_f64() {
        Ok(x) => Ok(Value::float(x)),
        Err(message) => Err(numeric_error(vm, message)),
    }
}

/// Checks what `__int__` or `__index__` returned.
fn int_method_result(vm: &mut Vm, result: Value, method: &str) -> PyResult<Value> {
    if is_int(result) {
        Ok(exact_int(vm, result))
    } else {
        let type_name = vm.type_name(result);
        vm.err_type(format!("{method} returned non-int (type {type_name})"))
    }
}

/// `int(value, base)`: only str, bytes and bytearray take a base.
fn int_from_text_with_base(vm: &mut Vm, value: Value, base: Value) -> PyResult<Value> {
    let base = ops::index_value(vm, base)?;
    let base = int_operand(base).map_or(-1, IntOperand::saturating_i64);
    if base != 0 && !(2..=36).contains(&base) {
        return vm.err_value(numparse::INT_BASE_RANGE_MESSAGE);
    }
    let base = base as u32;
    if let Some(text) = str_of(value) {
        return parse_int_text(vm, text, base);
    }
    if let Some(bytes) = bytes_like(value) {
        return parse_int_bytes(vm, &bytes, base);
    }
    vm.err_type("int() can't convert non-string with explicit base")
}

/// `int(value)` or `int(value, base)` (CPython's `PyNumber_Long` order:
/// `__int__`, `__index__`, `__trunc__`, then text).
pub fn int_from_value(vm: &mut Vm, value: Value, base: Option<Value>) -> PyResult<Value> {
    if let Some(base) = base {
        return int_from_text_with_base(vm, value, base);
    }
    if value.is_small_int() {
        return Ok(value);
    }
    if value.is_bool() {
        return Ok(exact_int(vm, value));
    }
    if let Some(x) = value.as_float() {
        return float_to_int_value(vm, x);
    }
    if vm.type_of(value) == vm.types.int {
        return Ok(value);
    }
    if let Some(result) = ops::call_special(vm, value, "__int__", &[])? {
        return int_method_result(vm, result, "__int__");
    }
    if let Some(result) = ops::call_special(vm, value, "__index__", &[])? {
        return int_method_result(vm, result, "__index__");
    }
    if let Some(result) = ops::call_special(vm, value, "__trunc__", &[])? {
        if is_int(result) {
            return Ok(exact_int(vm, result));
        }
        if ops::lookup_class_attr(vm.type_of(result), "__index__").is_none() {
            let type_name = vm.type_name(result);
            return vm.err_type(format!(
                "__trunc__ returned non-Integral (type {type_name})"
            ));
        }
        let index = ops::index_value(vm, result)?;
        return int_method_result(vm, index, "__index__");
    }
    if let Some(text) = str_of(value) {
        return parse_int_text(vm, text, 10);
    }
    if let Some(bytes) = bytes_like(value) {
        return parse_int_bytes(vm, &bytes, 10);
    }
    let type_name = vm.type_name(value);
    vm.err_type(format!(
        "int() argument must be a string, a bytes-like object or a real number, not '{type_name}'"
    ))
}

/// `float(value)` (CPython's `PyNumber_Float` order: `__float__`,
/// `__index__`, then text).
pub fn float_from_value(vm: &mut Vm, value: Value) -> PyResult<Value> {
    if value.is_float() {
        return Ok(value);
    }
    let class = vm.type_of(value);
    if class == vm.types.int || class == vm.types.bool {
        return int_to_float_value(vm, int_of(value));
    }
    if let Some(result) = ops::call_special(vm, value, "__float__", &[])? {
        if let Some(x) = float_operand(result) {
            return Ok(Value::float(x));
        }
        let (type_name, result_type) = (class_name(class), vm.type_name(result));
        return vm.err_type(format!(
            "{type_name}.__float__ returned non-float (type {result_type})"
        ));
    }
    if let Some(result) = ops::call_special(vm, value, "__index__", &[])? {
        let Some(n) = int_operand(result) else {
            let type_name = vm.type_name(result);
            return vm.err_type(format!("__index__ returned non-int (type {type_name})"));
        };
        return int_to_float_value(vm, n);
    }
    if let Some(text) = str_of(value) {
        return match numparse::parse_float(text) {
            Some(x) => Ok(Value::float(x)),
            None => vm.err_value(numparse::invalid_float_literal_message(text)),
        };
    }
    if let Some(bytes) = bytes_like(value) {
        return match ascii_number_text(&bytes).and_then(numparse::parse_float) {
            Some(x) => Ok(Value::float(x)),
            None => vm.err_value(format!(
                "could not convert string to float: {}",
                bytes_repr(&bytes)
            )),
        };
    }
    let type_name = class_name(class);
    vm.err_type(format!(
        "float() argument must be a string or a real number, not '{type_name}'"
    ))
}

// ---- divmod() and pow() -----------------------------------------------------------------------------

fn is_builtin_number_class(vm: &Vm, class: Value) -> bool {
    class == vm.types.int || class == vm.types.bool || class == vm.types.float
}

/// The `divmod(a, b)` builtin: numbers natively, then `__divmod__` /
/// `__rdivmod__` with the usual subclass-first rule.
pub fn divmod_values(vm: &mut Vm, a: Value, b: Value) -> PyResult<Value> {
    let (class_a, class_b) = (vm.type_of(a), vm.type_of(b));
    if is_builtin_number_class(vm, class_a) && is_builtin_number_class(vm, class_b) {
        return float_divmod_value(vm, a, b);
    }
    let reflected_first =
        class_a != class_b && vm.is_subclass(class_b, class_a) && !vm.is_builtin_class(class_b);
    if reflected_first {
        if let Some(result) = ops::call_special(vm, b, "__rdivmod__", &[a])? {
            if result != Value::NOT_IMPLEMENTED {
                return Ok(result);
            }
        }
    }
    if let Some(result) = ops::call_special(vm, a, "__divmod__", &[b])? {
        if result != Value::NOT_IMPLEMENTED {
            return Ok(result);
        }
    }
    if class_a != class_b && !reflected_first {
        if let Some(result) = ops::call_special(vm, b, "__rdivmod__", &[a])? {
            if result != Value::NOT_IMPLEMENTED {
                return Ok(result);
            }
        }
    }
    let (name_a, name_b) = (class_name(class_a), class_name(class_b));
    vm.err_type(format!(
        "unsupported operand type(s) for divmod(): '{name_a}' and '{name_b}'"
    ))
}

/// Which implementation of three-argument power a value's type has (the
/// `nb_power` slot CPython's `ternary_op` tries).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PowerSlot {
    Int,
    Float,
    /// A class defined in Python (`__pow__` or `__rpow__` in Python code).
    Python,
    Missing,
}

fn power_slot(vm: &Vm, value: Value) -> PowerSlot {
    let class = vm.type_of(value);
    let Some(method) = ops::lookup_class_attr(class, "__pow__")
        .or_else(|| ops::lookup_class_attr(class, "__rpow__"))
    else {
        return PowerSlot::Missing;
    };
    match kind_of(method) {
        Some(ObjKind::NativeFunction(native)) if native.owner == vm.types.int => PowerSlot::Int,
        Some(ObjKind::NativeFunction(native)) if native.owner == vm.types.float => PowerSlot::Float,
        Some(ObjKind::NativeFunction(_)) => PowerSlot::Missing,
        _ if method.is_none() => PowerSlot::Missing,
        _ => PowerSlot::Python,
    }
}

/// The `pow(base, exp[, mod])` builtin.
pub fn pow_values(
    vm: &mut Vm,
    base: Value,
    exponent: Value,
    modulus: Option<Value>,
) -> PyResult<Value> {
    let Some(modulus) = modulus else {
        return ops::binary_op(vm, base, exponent, BinaryOp::Power, false);
    };
    // CPython's `ternary_op`: each distinct slot of base, exponent and
    // modulus in turn. A Python class's slot only ever calls
    // `base.__pow__(exp, mod)` (three-argument power never uses
    // `__rpow__`).
    let base_slot = power_slot(vm, base);
    let mut tried: Vec<PowerSlot> = Vec::with_capacity(3);
    for slot in [base_slot, power_slot(vm, exponent), power_slot(vm, modulus)] {
        if slot == PowerSlot::Missing || tried.contains(&slot) {
            continue;
        }
        tried.push(slot);
        let result = match slot {
            PowerSlot::Int => int_power(vm, base, exponent, Some(modulus))?,
            PowerSlot::Float => return vm.err_type(MSG_POW_THIRD_ARGUMENT),
            PowerSlot::Python if base_slot == PowerSlot::Python => {
                ops::call_special(vm, base, "__pow__", &[exponent, modulus])?
                    .unwrap_or(Value::NOT_IMPLEMENTED)
            }
            PowerSlot::Python | PowerSlot::Missing => Value::NOT_IMPLEMENTED,
        };
        if result != Value::NOT_IMPLEMENTED {
            return Ok(result);
        }
    }
    let (name_a, name_b, name_c) = (
        vm.type_name(base),
        vm.type_name(exponent),
        vm.type_name(modulus),
    );
    vm.err_type(format!(
        "unsupported operand type(s) for ** or pow(): '{name_a}', '{name_b}', '{name_c}'"
    ))
}

// ---- native-method plumbing -----------------------------------------------------------------------

/// The class a native method is registered on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Owner {
    Int,
    Float,
    Bool,
}

impl Owner {
    fn name(self) -> &'static str {
        match self {
            Owner::Int => "int",
            Owner::Float => "float",
            Owner::Bool => "bool",
        }
    }

    fn accepts(self, value: Value) -> bool {
        match self {
            Owner::Int => is_int(value),
            Owner::Float => float_operand(value).is_some(),
            Owner::Bool => value.is_bool(),
        }
    }
}

/// The receiver of a slot wrapper (`int.__add__`), with CPython's messages
/// for a missing or foreign one.
fn slot_receiver(vm: &mut Vm, owner: Owner, name: &str, args: &[Value]) -> PyResult<Value> {
    let owner_name = owner.name();
    let Some(&receiver) = args.first() else {
        return vm.err_type(format!(
            "descriptor '{name}' of '{owner_name}' object needs an argument"
        ));
    };
    if !owner.accepts(receiver) {
        let type_name = vm.type_name(receiver);
        return vm.err_type(format!(
            "descriptor '{name}' requires a '{owner_name}' object but received a '{type_name}'"
        ));
    }
    Ok(receiver)
}

/// The receiver of a method descriptor (`int.bit_length`).
fn method_receiver(vm: &mut Vm, owner: Owner, name: &str, args: &[Value]) -> PyResult<Value> {
    let owner_name = owner.name();
    let Some(&receiver) = args.first() else {
        return vm.err_type(format!(
            "unbound method {owner_name}.{name}() needs an argument"
        ));
    };
    if !owner.accepts(receiver) {
        let type_name = vm.type_name(receiver);
        return vm.err_type(format!("descriptor '{name}' for '{owner_name}' objects doesn't apply to a '{type_name}' object"));
    }
    Ok(receiver)
}

/// A slot wrapper's argument count (receiver excluded).
fn slot_arity(
    vm: &mut Vm,
    name: &str,
    args: &[Value],
    kwargs: Kwargs,
    expected: usize,
) -> PyResult<()> {
    if !kwargs.is_empty() {
        return vm.err_type(format!("wrapper {name}() takes no keyword arguments"));
    }
    let given = args.len() - 1;
    if given != expected {
        let plural = if expected == 1 { "" } else { "s" };
        return vm.err_type(format!("expected {expected} argument{plural}, got {given}"));
    }
    Ok(())
}

fn no_keywords(vm: &mut Vm, owner: Owner, name: &str, kwargs: Kwargs) -> PyResult<()> {
    if kwargs.is_empty() {
        Ok(())
    } else {
        vm.err_type(format!(
            "{}.{name}() takes no keyword arguments",
            owner.name()
        ))
    }
}

type UnaryCompute = fn(&mut Vm, Value) -> PyResult<Value>;

/// A one-operand slot wrapper (`__neg__`, `__hash__`...).
fn unary_slot(
    vm: &mut Vm,
    owner: Owner,
    name: &str,
    args: &[Value],
    kwargs: Kwargs,
    compute: UnaryCompute,
) -> PyResult<Value> {
    let receiver = slot_receiver(vm, owner, name, args)?;
    slot_arity(vm, name, args, kwargs, 0)?;
    compute(vm, receiver)
}

/// A method without arguments (`bit_length`, `__trunc__`...).
fn no_argument_method(
    vm: &mut Vm,
    owner: Owner,
    name: &str,
    args: &[Value],
    kwargs: Kwargs,
    compute: UnaryCompute,
) -> PyResult<Value> {
    let receiver = method_receiver(vm, owner, name, args)?;
    no_keywords(vm, owner, name, kwargs)?;
    if args.len() > 1 {
        return vm.err_type(format!(
            "{}.{name}() takes no arguments ({} given)",
            owner.name(),
            args.len() - 1
        ));
    }
    compute(vm, receiver)
}

/// What a two-operand slot wrapper computes.
#[derive(Clone, Copy, Debug)]
enum SlotOp {
    Forward(BinaryOp),
    Reflected(BinaryOp),
    Compare(CompareOp),
    Divmod,
    ReflectedDivmod,
}

/// A two-operand slot wrapper (`__add__`, `__rsub__`, `__lt__`...).
fn binary_slot(
    vm: &mut Vm,
    owner: Owner,
    name: &str,
    args: &[Value],
    kwargs: Kwargs,
    operation: SlotOp,
) -> PyResult<Value> {
    let receiver = slot_receiver(vm, owner, name, args)?;
    slot_arity(vm, name, args, kwargs, 1)?;
    let other = args[1];
    let arithmetic = |vm: &mut Vm, op: BinaryOp, a: Value, b: Value| match owner {
        Owner::Int => int_binary(vm, op, a, b),
        Owner::Float => float_binary(vm, op, a, b),
        Owner::Bool => bool_binary(vm, op, a, b),
    };
    let divmod = |vm: &mut Vm, a: Value, b: Value| match owner {
        Owner::Float => float_divmod_value(vm, a, b),
        Owner::Int | Owner::Bool => int_divmod(vm, a, b),
    };
    match operation {
        SlotOp::Forward(op) => arithmetic(vm, op, receiver, other),
        SlotOp::Reflected(op) => arithmetic(vm, op, other, receiver),
        SlotOp::Divmod => divmod(vm, receiver, other),
        SlotOp::ReflectedDivmod => divmod(vm, other, receiver),
        SlotOp::Compare(op) => {
            // int compares only with ints; float with ints and floats.
            let comparable = match owner {
                Owner::Float => number_operand(other).is_some(),
                Owner::Int | Owner::Bool => is_int(other),
            };
            if !comparable {
                return Ok(Value::NOT_IMPLEMENTED);
            }
            Ok(Value::bool(match number_compare(vm, receiver, other) {
                Some(ordering) => op.holds(ordering),
                None => op == CompareOp::Ne,
            }))
        }
    }
}

/// Whether a power slot wrapper computes `self ** other` or `other ** self`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PowerOrder {
    Forward,
    Reflected,
}

/// `__pow__(self, other, mod=None)` and `__rpow__(self, other, mod=None)`.
fn power_slot_wrapper(
    vm: &mut Vm,
    owner: Owner,
    name: &str,
    args: &[Value],
    kwargs: Kwargs,
    order: PowerOrder,
) -> PyResult<Value> {
    let receiver = slot_receiver(vm, owner, name, args)?;
    if !kwargs.is_empty() {
        return vm.err_type(format!("wrapper {name}() takes no keyword arguments"));
    }
    // The leading space is CPython's own.
    match args.len() - 1 {
        0 => return vm.err_type(" expected at least 1 argument, got 0"),
        given if given > 2 => {
            return vm.err_type(format!(" expected at most 2 arguments, got {given}"))
        }
        _ => {}
    }
    let other = args[1];
    let modulus = args.get(2).copied().filter(|modulus| !modulus.is_none());
    let (base, exponent) = match order {
        PowerOrder::Forward => (receiver, other),
        PowerOrder::Reflected => (other, receiver),
    };
    match owner {
        Owner::Float if modulus.is_some() => vm.err_type(MSG_POW_THIRD_ARGUMENT),
        Owner::Float => float_binary(vm, BinaryOp::Power, base, exponent),
        Owner::Int | Owner::Bool => int_power(vm, base, exponent, modulus),
    }
}

/// Defines one native function per entry, each calling
/// `$wrapper(vm, $owner, name, args, kwargs, $compute)`, and a table of
/// `(name, function)` for `register`.
macro_rules! natives {
    ($table:ident: $wrapper:ident($owner:expr) { $($function:ident $name:literal => $compute:expr;)* }) => {
        $(
            fn $function(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
                $wrapper(vm, $owner, $name, args, kwargs, $compute)
            }
        )*
        const $table: &[(&str, NativeFn)] = &[$(($name, $function as NativeFn)),*];
    };
}

// ---- int methods ---------------------------------------------------------------------------------------

natives!(INT_BINARY_SLOTS: binary_slot(Owner::Int) {
    int_add "__add__" => SlotOp::Forward(BinaryOp::Add);
    int_radd "__radd__" => SlotOp::Reflected(BinaryOp::Add);
    int_sub "__sub__" => SlotOp::Forward(BinaryOp::Subtract);
    int_rsub "__rsub__" => SlotOp::Reflected(BinaryOp::Subtract);
    int_mul "__mul__" => SlotOp::Forward(BinaryOp::Multiply);
    int_rmul "__rmul__" => SlotOp::Reflected(BinaryOp::Multiply);
    int_truediv "__truediv__" => SlotOp::Forward(BinaryOp::TrueDivide);
    int_rtruediv "__rtruediv__" => SlotOp::Reflected(BinaryOp::TrueDivide);
    int_floordiv "__floordiv__" => SlotOp::Forward(BinaryOp::FloorDivide);
    int_rfloordiv "__rfloordiv__" => SlotOp::Reflected(BinaryOp::FloorDivide);
    int_mod "__mod__" => SlotOp::Forward(BinaryOp::Remainder);
    int_rmod "__rmod__" => SlotOp::Reflected(BinaryOp::Remainder);
    int_lshift "__lshift__" => SlotOp::Forward(BinaryOp::LeftShift);
    int_rlshift "__rlshift__" => SlotOp::Reflected(BinaryOp::LeftShift);
    int_rshift "__rshift__" => SlotOp::Forward(BinaryOp::RightShift);
    int_rrshift "__rrshift__" => SlotOp::Reflected(BinaryOp::RightShift);
    int_and "__and__" => SlotOp::Forward(BinaryOp::And);
    int_rand "__rand__" => SlotOp::Reflected(BinaryOp::And);
    int_or "__or__" => SlotOp::Forward(BinaryOp::Or);
    int_ror "__ror__" => SlotOp::Reflected(BinaryOp::Or);
    int_xor "__xor__" => SlotOp::Forward(BinaryOp::Xor);
    int_rxor "__rxor__" => SlotOp::Reflected(BinaryOp::Xor);
    int_divmod_slot "__divmod__" => SlotOp::Divmod;
    int_rdivmod_slot "__rdivmod__" => SlotOp::ReflectedDivmod;
    int_lt "__lt__" => SlotOp::Compare(CompareOp::Lt);
    int_le "__le__" => SlotOp::Compare(CompareOp::Le);
    int_eq "__eq__" => SlotOp::Compare(CompareOp::Eq);
    int_ne "__ne__" => SlotOp::Compare(CompareOp::Ne);
    int_gt "__gt__" => SlotOp::Compare(CompareOp::Gt);
    int_ge "__ge__" => SlotOp::Compare(CompareOp::Ge);
});

natives!(INT_POWER_SLOTS: power_slot_wrapper(Owner::Int) {
    int_pow "__pow__" => PowerOrder::Forward;
    int_rpow "__rpow__" => PowerOrder::Reflected;
});

natives!(INT_UNARY_SLOTS: unary_slot(Owner::Int) {
    int_neg "__neg__" => |vm, value| Ok(int_unary(vm, UnaryKind::Negative, int_of(value)));
    int_pos "__pos__" => |vm, value| Ok(int_unary(vm, UnaryKind::Positive, int_of(value)));
    int_invert "__invert__" => |vm, value| Ok(int_unary(vm, UnaryKind::Invert, int_of(value)));
    int_abs "__abs__" => |vm, value| Ok(int_unary(vm, UnaryKind::Abs, int_of(value)));
    int_bool "__bool__" => |_, value| Ok(Value::bool(!int_of(value).is_zero()));
    int_int "__int__" => |vm, value| Ok(exact_int(vm, value));
    int_index "__index__" => |vm, value| Ok(exact_int(vm, value));
    int_float "__float__" => |vm, value| int_to_float_value(vm, int_of(value));
    int_hash_slot "__hash__" => |vm, value| Ok(vm.new_int(int_hash(value).unwrap_or(0)));
    int_repr_slot "__repr__" => |vm, value| Ok(vm.new_str(int_repr(value).unwrap_or_default()));
});

natives!(INT_METHODS: no_argument_method(Owner::Int) {
    int_trunc "__trunc__" => |vm, value| Ok(exact_int(vm, value));
    int_floor "__floor__" => |vm, value| Ok(exact_int(vm, value));
    int_ceil "__ceil__" => |vm, value| Ok(exact_int(vm, value));
    int_conjugate "conjugate" => |vm, value| Ok(exact_int(vm, value));
    int_bit_length "bit_length" => |vm, value| Ok(vm.new_int(numeric::int_bit_length(&int_of(value).to_bigint()) as i64));
    int_bit_count "bit_count" => |vm, value| Ok(vm.new_int(numeric::int_bit_count(&int_of(value).to_bigint()) as i64));
    int_as_integer_ratio "as_integer_ratio" => |vm, value| {
        let numerator = exact_int(vm, value);
        Ok(tuple2(vm, numerator, Value::small_int_unchecked(1)))
    };
});

/// `int.__new__(cls, x=0, base=10)`.
fn int_new(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let int_class = vm.types.int;
    let class = new_class_argument(vm, args, "int", int_class)?;
    if vm.is_subclass(class, vm.types.bool) {
        let name = class_name(class);
        return vm.err_type(format!(
            "int.__new__({name}) is not safe, use {name}.__new__()"
        ));
    }
    let positional = &args[1..];
    let given = positional.len() + kwargs.len();
    if given > 2 {
        return vm.err_type(format!("int() takes at most 2 arguments ({given} given)"));
    }
    let mut base = positional.get(1).copied();
    for (key, value) in kwargs {
        let key_text = str_of(*key).unwrap_or("");
        if key_text != "base" {
            return vm.err_type(format!(
                "'{key_text}' is an invalid keyword argument for int()"
            ));
        }
        if base.is_some() {
            return vm.err_type("argument for int() given by name ('base') and position (2)");
        }
        base = Some(*value);
    }
    let value = match positional.first() {
        None if base.is_some() => return vm.err_type("int() missing string argument"),
        None => Value::small_int_unchecked(0),
        Some(&x) => int_from_value(vm, x, base)?,
    };
    if class == int_class {
        return Ok(value);
    }
    let number = int_of(value).to_bigint().into_owned();
    Ok(alloc_instance(vm, class, ObjKind::Int(number)))
}

/// `__round__(self, ndigits=None)` for int and float.
fn round_method(vm: &mut Vm, owner: Owner, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let receiver = method_receiver(vm, owner, "__round__", args)?;
    no_keywords(vm, owner, "__round__", kwargs)?;
    if args.len() > 2 {
        return vm.err_type(format!(
            "__round__ expected at most 1 argument, got {}",
            args.len() - 1
        ));
    }
    let ndigits = match args.get(1).copied().filter(|ndigits| !ndigits.is_none()) {
        // Any ndigits beyond the i64 range rounds like the range's end.
        Some(ndigits) => {
            let index = ops::index_value(vm, ndigits)?;
            Some(int_operand(index).map_or(0, IntOperand::saturating_i64))
        }
        None => None,
    };
    let result = match (owner, ndigits) {
        (Owner::Float, None) => {
            numeric::float_round_to_int(float_of(receiver)).map(|n| vm.new_bigint(n))
        }
        (Owner::Float, Some(ndigits)) => {
            numeric::float_round(float_of(receiver), Some(ndigits)).map(Value::float)
        }
        (_, None) => Ok(exact_int(vm, receiver)),
        (_, Some(ndigits)) => {
            Ok(vm.new_bigint(numeric::int_round(&int_of(receiver).to_bigint(), ndigits)))
        }
    };
    result.map_err(|message| numeric_error(vm, message))
}

fn int_round_method(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    round_method(vm, Owner::Int, args, kwargs)
}

/// `__format__(self, spec)` for int and float; an empty spec is `str(self)`.
fn format_method(vm: &mut Vm, owner: Owner, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let receiver = method_receiver(vm, owner, "__format__", args)?;
    no_keywords(vm, owner, "__format__", kwargs)?;
    if args.len() != 2 {
        return vm.err_type(format!(
            "{}.__format__() takes exactly one argument ({} given)",
            owner.name(),
            args.len() - 1
        ));
    }
    let Some(spec) = str_of(args[1]) else {
        let type_name = vm.type_name(args[1]);
        return vm.err_type(format!(
            "__format__() argument must be str, not {type_name}"
        ));
    };
    if spec.is_empty() {
        return ops::to_str(vm, receiver);
    }
    let type_name = vm.type_name(receiver);
    let parsed = format_spec::parse_format_spec_typed(spec, &type_name)
        .map_err(|message| vm.value_error(message))?;
    let formatted = match owner {
        Owner::Float => format_spec::format_float_typed(float_of(receiver), &parsed, &type_name),
        Owner::Int | Owner::Bool => {
            format_spec::format_int_typed(&int_of(receiver).to_bigint(), &parsed, &type_name)
        }
    };
    match formatted {
        Ok(text) => Ok(vm.new_str(text)),
        Err(message) if format_spec::is_overflow_error(&message) => Err(vm.overflow_error(message)),
        Err(message) => Err(vm.value_error(message)),
    }
}

fn int_format(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    format_method(vm, Owner::Int, args, kwargs)
}

/// A `byteorder` argument: `'big'` (the default when `NULL`) or `'little'`.
/// Returns whether it is little-endian.
fn byteorder_argument(vm: &mut Vm, function: &str, value: Value) -> PyResult<bool> {
    if value.is_null() {
        return Ok(false);
    }
    let Some(text) = str_of(value) else {
        let type_name = vm.type_name(value);
        return vm.err_type(format!(
            "{function}() argument 'byteorder' must be str, not {type_name}"
        ));
    };
    match text {
        "big" => Ok(false),
        "little" => Ok(true),
        _ => vm.err_value("byteorder must be either 'little' or 'big'"),
    }
}

/// Checks at most two positional arguments (the receiver or class
/// excluded) and binds `(first, byteorder, signed)`.
fn bind_bytes_arguments(
    vm: &mut Vm,
    function: &str,
    first: &str,
    args: &[Value],
    kwargs: Kwargs,
    required: usize,
) -> PyResult<Vec<Value>> {
    let positional = &args[1..];
    if positional.len() > 2 {
        return vm.err_type(format!(
            "{function}() takes at most 2 positional arguments ({} given)",
            positional.len()
        ));
    }
    args::bind(
        vm,
        function,
        positional,
        kwargs,
        &[first, "byteorder", "signed"],
        required,
    )
}

/// `int.to_bytes(length=1, byteorder='big', *, signed=False)`.
fn int_to_bytes_method(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let receiver = method_receiver(vm, Owner::Int, "to_bytes", args)?;
    let bound = bind_bytes_arguments(vm, "to_bytes", "length", args, kwargs, 0)?;
    let length = if bound[0].is_null() {
        1
    } else {
        args::to_i64(vm, bound[0])?
    };
    if length < 0 {
        return vm.err_value("length argument must be non-negative");
    }
    let little_endian = byteorder_argument(vm, "to_bytes", bound[1])?;
    let signed = !bound[2].is_null() && ops::truthy(vm, bound[2])?;
    match numeric::int_to_bytes(
        &int_of(receiver).to_bigint(),
        length as usize,
        little_endian,
        signed,
    ) {
        Ok(bytes) => Ok(vm.new_bytes(bytes)),
        Err(message) => Err(numeric_error(vm, message)),
    }
}

/// `bytes(value)` as `int.from_bytes` needs it: bytes-like objects,
/// `__bytes__`, or an iterable of ints in `range(256)`.
fn bytes_argument(vm: &mut Vm, value: Value) -> PyResult<Vec<u8>> {
    if let Some(bytes) = bytes_like(value) {
        return Ok(bytes);
    }
    let type_name = vm.type_name(value);
    let cannot_convert = format!("cannot convert '{type_name}' object to bytes");
    if str_of(value).is_some() || number_operand(value).is_some() {
        return vm.err_type(cannot_convert);
    }
    if let Some(result) = ops::call_special(vm, value, "__bytes__", &[])? {
        return match kind_of(result) {
            Some(ObjKind::Bytes(bytes)) => Ok(bytes.to_vec()),
            _ => {
                let result_type = vm.type_name(result);
                vm.err_type(format!("__bytes__ returned non-bytes (type {result_type})"))
            }
        };
    }
    let iterator = match ops::iter(vm, value) {
        Ok(iterator) => iterator,
        Err(error) => {
            let not_iterable = vm.is_instance(error, vm.types.exc.type_error)
                && ops::lookup_class_attr(vm.type_of(value), "__iter__").is_none();
            return Err(if not_iterable {
                vm.type_error(cannot_convert)
            } else {
                error
            });
        }
    };
    let mut bytes = Vec::new();
    while let Some(item) = ops::next(vm, iterator)? {
        let index = ops::index_value(vm, item)?;
        match int_operand(index)
            .map(IntOperand::saturating_i64)
            .and_then(|n| u8::try_from(n).ok())
        {
            Some(byte) => bytes.push(byte),
            None => return vm.err_value("bytes must be in range(0, 256)"),
        }
    }
    Ok(bytes)
}

/// `int.from_bytes(bytes, byteorder='big', *, signed=False)` (a
/// classmethod: a subclass gets `cls(result)`).
fn int_from_bytes_method(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let class = args.first().copied().unwrap_or(vm.types.int);
    let bound = bind_bytes_arguments(vm, "from_bytes", "bytes", args, kwargs, 1)?;
    let bytes = bytes_argument(vm, bound[0])?;
    let little_endian = byteorder_argument(vm, "from_bytes", bound[1])?;
    let signed = !bound[2].is_null() && ops::truthy(vm, bound[2])?;
    let value = vm.new_bigint(numeric::int_from_bytes(&bytes, little_endian, signed));
    if class == vm.types.int {
        Ok(value)
    } else {
        ops::call(vm, class, &[value], &[])
    }
}

// ---- float methods -------------------------------------------------------------------------------------

natives!(FLOAT_BINARY_SLOTS: binary_slot(Owner::Float) {
    float_add "__add__" => SlotOp::Forward(BinaryOp::Add);
    float_radd "__radd__" => SlotOp::Reflected(BinaryOp::Add);
    float_sub "__sub__" => SlotOp::Forward(BinaryOp::Subtract);
    float_rsub "__rsub__" => SlotOp::Reflected(BinaryOp::Subtract);
    float_mul "__mul__" => SlotOp::Forward(BinaryOp::Multiply);
    float_rmul "__rmul__" => SlotOp::Reflected(BinaryOp::Multiply);
    float_truediv "__truediv__" => SlotOp::Forward(BinaryOp::TrueDivide);
    float_rtruediv "__rtruediv__" => SlotOp::Reflected(BinaryOp::TrueDivide);
    float_floordiv "__floordiv__" => SlotOp::Forward(BinaryOp::FloorDivide);
    float_rfloordiv "__rfloordiv__" => SlotOp::Reflected(BinaryOp::FloorDivide);
    float_mod "__mod__" => SlotOp::Forward(BinaryOp::Remainder);
    float_rmod "__rmod__" => SlotOp::Reflected(BinaryOp::Remainder);
    float_divmod_slot "__divmod__" => SlotOp::Divmod;
    float_rdivmod_slot "__rdivmod__" => SlotOp::ReflectedDivmod;
    float_lt "__lt__" => SlotOp::Compare(CompareOp::Lt);
    float_le "__le__" => SlotOp::Compare(CompareOp::Le);
    float_eq "__eq__" => SlotOp::Compare(CompareOp::Eq);
    float_ne "__ne__" => SlotOp::Compare(CompareOp::Ne);
    float_gt "__gt__" => SlotOp::Compare(CompareOp::Gt);
    float_ge "__ge__" => SlotOp::Compare(CompareOp::Ge);
});

natives!(FLOAT_POWER_SLOTS: power_slot_wrapper(Owner::Float) {
    float_pow "__pow__" => PowerOrder::Forward;
    float_rpow "__rpow__" => PowerOrder::Reflected;
});

natives!(FLOAT_UNARY_SLOTS: unary_slot(Owner::Float) {
    float_neg "__neg__" => |_, value| Ok(Value::float(-float_of(value)));
    float_pos "__pos__" => |_, value| Ok(Value::float(float_of(value)));
    float_abs "__abs__" => |_, value| Ok(Value::float(float_of(value).abs()));
    float_bool "__bool__" => |_, value| Ok(Value::bool(float_of(value) != 0.0));
    float_int "__int__" => |vm, value| float_to_int_value(vm, float_of(value));
    float_float "__float__" => |_, value| Ok(Value::float(float_of(value)));
    float_hash_slot "__hash__" => |vm, value| Ok(vm.new_int(float_hash(float_of(value))));
    float_repr_slot "__repr__" => |vm, value| Ok(vm.new_str(format_spec::float_repr(float_of(value))));
});

natives!(FLOAT_METHODS: no_argument_method(Owner::Float) {
    float_trunc "__trunc__" => |vm, value| float_to_int_value(vm, float_of(value));
    float_floor "__floor__" => |vm, value| float_to_int_value(vm, float_of(value).floor());
    float_ceil "__ceil__" => |vm, value| float_to_int_value(vm, float_of(value).ceil());
    float_conjugate "conjugate" => |_, value| Ok(Value::float(float_of(value)));
    float_is_integer "is_integer" => |_, value| Ok(Value::bool(numeric::float_is_integer(float_of(value))));
    float_hex "hex" => |vm, value| Ok(vm.new_str(numeric::float_hex(float_of(value))));
    float_as_integer_ratio "as_integer_ratio" => |vm, value| match numeric::float_as_integer_ratio(float_of(value)) {
        Ok((numerator, denominator)) => {
            let (numerator, denominator) = (vm.new_bigint(numerator), vm.new_bigint(denominator));
            Ok(tuple2(vm, numerator, denominator))
        }
        Err(message) => Err(numeric_error(vm, message)),
    };
});

/// `float.__new__(cls, x=0.0)`.
fn float_new(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let float_class = vm.types.float;
    let class = new_class_argument(vm, args, "float", float_class)?;
    if !kwargs.is_empty() {
        return vm.err_type("float() takes no keyword arguments");
    }
    let positional = &args[1..];
    if positional.len() > 1 {
        return vm.err_type(format!(
            "float expected at most 1 argument, got {}",
            positional.len()
        ));
    }
    let value = match positional.first() {
        None => Value::float(0.0),
        Some(&x) => float_from_value(vm, x)?,
    };
    if class == float_class {
        if float_of(value).is_nan() {
            // Each `float('nan')` is its own object in CPython, and
            // identity decides `x in [x]` for NaNs; immediate floats have
            // no identity, so a NaN made here lives on the heap.
            return Ok(vm.alloc(float_class, ObjKind::Float(f64::NAN)));
        }
        return Ok(value);
    }
    Ok(alloc_instance(vm, class, ObjKind::Float(float_of(value))))
}

fn float_round_method(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    round_method(vm, Owner::Float, args, kwargs)
}

fn float_format(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    format_method(vm, Owner::Float, args, kwargs)
}

/// `float.fromhex(text)` (a classmethod: a subclass gets `cls(result)`).
fn float_fromhex(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let class = args.first().copied().unwrap_or(vm.types.float);
    no_keywords(vm, Owner::Float, "fromhex", kwargs)?;
    if args.len() != 2 {
        return vm.err_type(format!(
            "float.fromhex() takes exactly one argument ({} given)",
            args.len().saturating_sub(1)
        ));
    }
    let Some(text) = str_of(args[1]) else {
        return vm.err_type("bad argument type for built-in operation");
    };
    let value = match numeric::float_fromhex(text) {
        Ok(x) => Value::float(x),
        Err(message) => return Err(numeric_error(vm, message)),
    };
    if class == vm.types.float {
        Ok(value)
    } else {
        ops::call(vm, class, &[value], &[])
    }
}

// ---- bool methods --------------------------------------------------------------------------------------

natives!(BOOL_BINARY_SLOTS: binary_slot(Owner::Bool) {
    bool_and "__and__" => SlotOp::Forward(BinaryOp::And);
    bool_rand "__rand__" => SlotOp::Reflected(BinaryOp::And);
    bool_or "__or__" => SlotOp::Forward(BinaryOp::Or);
    bool_ror "__ror__" => SlotOp::Reflected(BinaryOp::Or);
    bool_xor "__xor__" => SlotOp::Forward(BinaryOp::Xor);
    bool_rxor "__rxor__" => SlotOp::Reflected(BinaryOp::Xor);
});

fn bool_text(vm: &mut Vm, value: Value) -> PyResult<Value> {
    Ok(vm.intern(if value == Value::TRUE {
        "True"
    } else {
        "False"
    }))
}

natives!(BOOL_UNARY_SLOTS: unary_slot(Owner::Bool) {
    bool_repr "__repr__" => bool_text;
    bool_str "__str__" => bool_text;
});

/// `bool.__new__(cls, x=False)`: `x`'s truth value.
fn bool_new(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let bool_class = vm.types.bool;
    new_class_argument(vm, args, "bool", bool_class)?;
    if !kwargs.is_empty() {
        return vm.err_type("bool() takes no keyword arguments");
    }
    let positional = &args[1..];
    if positional.len() > 1 {
        return vm.err_type(format!(
            "bool expected at most 1 argument, got {}",
            positional.len()
        ));
    }
    match positional.first() {
        None => Ok(Value::FALSE),
        Some(&x) => Ok(Value::bool(ops::truthy(vm, x)?)),
    }
}

// ---- registration --------------------------------------------------------------------------------------

fn add_methods(vm: &mut Vm, class: Value, table: &[(&'static str, NativeFn)]) {
    for &(name, function) in table {
        add_method(vm, class, name, function);
    }
}

/// Registers the methods of `int`, `float` and `bool`. Not registered: the
/// `real`, `imag`, `numerator` and `denominator` properties (no native
/// properties yet).
pub fn register(vm: &mut Vm) {
    let int_class = vm.types.int;
    add_staticmethod(vm, int_class, "__new__", int_new);
    for table in [
        INT_BINARY_SLOTS,
        INT_POWER_SLOTS,
        INT_UNARY_SLOTS,
        INT_METHODS,
    ] {
        add_methods(vm, int_class, table);
    }
    add_method(vm, int_class, "__round__", int_round_method);
    add_method(vm, int_class, "__format__", int_format);
    add_method(vm, int_class, "to_bytes", int_to_bytes_method);
    add_classmethod(vm, int_class, "from_bytes", int_from_bytes_method);

    let float_class = vm.types.float;
    add_staticmethod(vm, float_class, "__new__", float_new);
    for table in [
        FLOAT_BINARY_SLOTS,
        FLOAT_POWER_SLOTS,
        FLOAT_UNARY_SLOTS,
        FLOAT_METHODS,
    ] {
        add_methods(vm, float_class, table);
    }
    add_method(vm, float_class, "__round__", float_round_method);
    add_method(vm, float_class, "__format__", float_format);
    add_classmethod(vm, float_class, "fromhex", float_fromhex);

    let bool_class = vm.types.bool;
    add_staticmethod(vm, bool_class, "__new__", bool_new);
    for table in [BOOL_BINARY_SLOTS, BOOL_UNARY_SLOTS] {
        add_methods(vm, bool_class, table);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn big(text: &str) -> BigInt {
        text.parse().unwrap()
    }

    #[test]
    fn small_int_arithmetic_follows_python() {
        let int = |op, x, y| small_int_arith(op, x, y);
        assert_eq!(int(BinaryOp::FloorDivide, -7, 2), Ok(Some(Arith::Int(-4))));
        assert_eq!(int(BinaryOp::Remainder, -7, 2), Ok(Some(Arith::Int(1))));
        assert_eq!(int(BinaryOp::Remainder, 7, -2), Ok(Some(Arith::Int(-1))));
        assert_eq!(
            int(BinaryOp::TrueDivide, 1, 4),
            Ok(Some(Arith::Float(0.25)))
        );
        assert_eq!(int(BinaryOp::Power, 2, -1), Ok(Some(Arith::Float(0.5))));
        assert_eq!(int(BinaryOp::Power, 3, 4), Ok(Some(Arith::Int(81))));
        assert_eq!(int(BinaryOp::RightShift, -5, 1), Ok(Some(Arith::Int(-3))));
        assert_eq!(int(BinaryOp::RightShift, -5, 200), Ok(Some(Arith::Int(-1))));
        assert_eq!(int(BinaryOp::LeftShift, 0, 1000), Ok(Some(Arith::Int(0))));
        assert_eq!(int(BinaryOp::LeftShift, -3, 2), Ok(Some(Arith::Int(-12))));
        assert_eq!(int(BinaryOp::And, -1, 6), Ok(Some(Arith::Int(6))));
        assert_eq!(
            int(BinaryOp::MatrixMultiply, 1, 1),
            Ok(Some(Arith::NotImplemented))
        );
        // Overflow falls back to the big path.
        assert_eq!(int(BinaryOp::Multiply, i64::MAX, 2), Ok(None));
        assert_eq!(int(BinaryOp::LeftShift, 1, 63), Ok(None));
        assert_eq!(int(BinaryOp::LeftShift, 3, 62), Ok(None));
        assert_eq!(int(BinaryOp::Power, 10, 30), Ok(None));
        assert_eq!(int(BinaryOp::FloorDivide, i64::MIN, -1), Ok(None));
        assert_eq!(int(BinaryOp::TrueDivide, (1 << 53) + 1, 1), Ok(None));
        // Errors, with CPython's messages.
        assert_eq!(
            int(BinaryOp::FloorDivide, 1, 0),
            Err("integer division or modulo by zero".into())
        );
        assert_eq!(
            int(BinaryOp::Remainder, 1, 0),
            Err("integer modulo by zero".into())
        );
        assert_eq!(
            int(BinaryOp::TrueDivide, 1, 0),
            Err("division by zero".into())
        );
        assert_eq!(
            int(BinaryOp::Power, 0, -1),
            Err("0.0 cannot be raised to a negative power".into())
        );
        assert_eq!(
            int(BinaryOp::LeftShift, 1, -1),
            Err("negative shift count".into())
        );
        assert_eq!(
            int(BinaryOp::RightShift, 1, -1),
            Err("negative shift count".into())
        );
    }

    #[test]
    fn big_int_arithmetic_follows_python() {
        let two_64 = big("18446744073709551616");
        assert_eq!(
            big_int_arith(BinaryOp::Add, &two_64, &big("-1")),
            Ok(Arith::Int(big("18446744073709551615")))
        );
        assert_eq!(
            big_int_arith(BinaryOp::FloorDivide, &-two_64.clone(), &big("3")),
            Ok(Arith::Int(big("-6148914691236517206")))
        );
        assert_eq!(
            big_int_arith(BinaryOp::Remainder, &-two_64.clone(), &big("3")),
            Ok(Arith::Int(big("2")))
        );
        assert_eq!(
            big_int_arith(BinaryOp::RightShift, &-two_64.clone(), &big("100")),
            Ok(Arith::Int(big("-1")))
        );
        assert_eq!(
            big_int_arith(BinaryOp::RightShift, &(-two_64.clone() - 1), &big("64")),
            Ok(Arith::Int(big("-2")))
        );
        assert_eq!(
            big_int_arith(BinaryOp::LeftShift, &big("1"), &big("64")),
            Ok(Arith::Int(two_64.clone()))
        );
        assert_eq!(
            big_int_arith(BinaryOp::And, &-two_64.clone(), &big("-1")),
            Ok(Arith::Int(-two_64.clone()))
        );
        assert_eq!(
            big_int_arith(BinaryOp::Power, &big("2"), &big("64")),
            Ok(Arith::Int(two_64.clone()))
        );
        assert_eq!(
            big_int_arith(BinaryOp::TrueDivide, &(&two_64 * 10), &two_64),
            Ok(Arith::Float(10.0))
        );
        assert_eq!(
            big_int_arith(BinaryOp::Power, &big("1"), &big("100000000000000000000000")),
            Ok(Arith::Int(big("1")))
        );
        assert_eq!(
            big_int_arith(BinaryOp::Power, &big("2"), &big("100000000000000000000")),
            Err(RESULT_TOO_LARGE_FOR_MEMORY.into())
        );
        assert_eq!(
            big_int_arith(BinaryOp::LeftShift, &big("1"), &two_64),
            Err(RESULT_TOO_LARGE_FOR_MEMORY.into())
        );
        assert_eq!(
            big_int_arith(BinaryOp::LeftShift, &big("0"), &two_64),
            Ok(Arith::Int(big("0")))
        );
        assert_eq!(
            big_int_arith(BinaryOp::FloorDivide, &two_64, &big("0")),
            Err("integer division or modulo by zero".into())
        );
    }

    #[test]
    fn float_arithmetic_messages() {
        assert_eq!(
            float_arith(BinaryOp::TrueDivide, 1.0, 0.0),
            Err("float division by zero".into())
        );
        assert_eq!(
            float_arith(BinaryOp::FloorDivide, 1.0, 0.0),
            Err("float floor division by zero".into())
        );
        assert_eq!(
            float_arith(BinaryOp::Remainder, 1.0, 0.0),
            Err("float modulo".into())
        );
        assert_eq!(float_arith(BinaryOp::Remainder, -1.0, 3.0), Ok(2.0));
        assert_eq!(float_arith(BinaryOp::FloorDivide, -7.5, 2.0), Ok(-4.0));
        assert!(!float_supports(BinaryOp::And));
        assert!(!float_supports(BinaryOp::MatrixMultiply));
        assert_eq!(
            error_class(&float_arith(BinaryOp::Power, 10.0, 400.0).unwrap_err()),
            ErrorClass::MathRangeError
        );
        assert_eq!(
            error_class(&float_arith(BinaryOp::Power, -8.0, 0.5).unwrap_err()),
            ErrorClass::ValueError
        );
        assert_eq!(
            error_class(&float_arith(BinaryOp::Power, 0.0, -1.0).unwrap_err()),
            ErrorClass::ZeroDivisionError
        );
    }

    #[test]
    fn error_classes() {
        assert_eq!(
            error_class(numeric::MSG_INT_TOO_LARGE_FOR_FLOAT),
            ErrorClass::OverflowError
        );
        assert_eq!(
            error_class(numeric::MSG_FLOAT_INFINITY_TO_INT),
            ErrorClass::OverflowError
        );
        assert_eq!(
            error_class(numeric::MSG_FLOAT_NAN_TO_INT),
            ErrorClass::ValueError
        );
        assert_eq!(
            error_class(numeric::MSG_POW_MODULUS_ZERO),
            ErrorClass::ValueError
        );
        assert_eq!(
            error_class(numeric::MSG_INT_DIVISION_RESULT_TOO_LARGE),
            ErrorClass::OverflowError
        );
        assert_eq!(
            error_class(RESULT_TOO_LARGE_FOR_MEMORY),
            ErrorClass::MemoryError
        );
    }

    #[test]
    fn int_float_comparison_is_exact() {
        let two_1000 = BigInt::from(1) << 1000u32;
        let float_1000 = 2f64.powi(1000);
        let plus_one = &two_1000 + 1;
        assert_eq!(
            compare_int_with_float(IntOperand::Big(&two_1000), float_1000),
            Some(Ordering::Equal)
        );
        assert_eq!(
            compare_int_with_float(IntOperand::Big(&plus_one), float_1000),
            Some(Ordering::Greater)
        );
        let minus_one = &two_1000 - 1;
        assert_eq!(
            compare_int_with_float(IntOperand::Big(&minus_one), float_1000),
            Some(Ordering::Less)
        );
        // 2**53 + 1 is not representable; the float 2**53 is smaller.
        let above = (1i64 << 53) + 1;
        assert_eq!(
            compare_int_with_float(IntOperand::Small(above), 9_007_199_254_740_992.0),
            Some(Ordering::Greater)
        );
        assert_eq!(
            compare_int_with_float(IntOperand::Small(above), 9_007_199_254_740_994.0),
            Some(Ordering::Less)
        );
        assert_eq!(
            compare_int_with_float(IntOperand::Small(3), 2.5),
            Some(Ordering::Greater)
        );
        assert_eq!(
            compare_int_with_float(IntOperand::Small(-3), -2.5),
            Some(Ordering::Less)
        );
        assert_eq!(
            compare_int_with_float(IntOperand::Small(i64::MAX), 9.223_372_036_854_776e18),
            Some(Ordering::Less)
        );
        assert_eq!(compare_int_with_float(IntOperand::Small(0), f64::NAN), None);
        assert_eq!(
            compare_int_with_float(IntOperand::Big(&two_1000), f64::INFINITY),
            Some(Ordering::Less)
        );
        assert_eq!(
            compare_int_with_float(IntOperand::Big(&two_1000), f64::NEG_INFINITY),
            Some(Ordering::Greater)
        );
        assert_eq!(
            compare_numbers(Number::Float(2.5), Number::Int(IntOperand::Small(3))),
            Some(Ordering::Less)
        );
        assert_eq!(
            compare_numbers(Number::Float(f64::NAN), Number::Float(1.0)),
            None
        );
    }

    #[test]
    fn number_text_from_bytes() {
        assert_eq!(ascii_number_text(b"  12 "), Some("  12 "));
        assert_eq!(ascii_number_text(b"\x1c12"), None);
        assert_eq!(ascii_number_text(b"1\xff"), None);
        assert_eq!(
            IntOperand::Big(&big("-100000000000000000000")).saturating_i64(),
            i64::MIN
        );
        assert_eq!(
            IntOperand::Big(&big("100000000000000000000")).saturating_i64(),
            i64::MAX
        );
    }
}
