//! Python 3.11 semantics for `int` and `float` arithmetic that plain Rust
//! operators get wrong: floor division and modulo signs, correctly rounded
//! int -> float conversion and int / int true division, `pow` (including
//! three-argument modular `pow` and CPython's float special cases),
//! `round()` with CPython's exact-decimal rounding, CPython's 64-bit numeric
//! and tuple hashes, and the `int`/`float` methods whose results are
//! bit-exact (`as_integer_ratio`, `hex`, `fromhex`, `bit_length`,
//! `bit_count`, `to_bytes`, `from_bytes`).  Machine-integer fast paths sit
//! next to the `BigInt` general paths.
//!
//! What this module deliberately does not do: it owns no Python objects and
//! raises no exceptions.  Fallible functions return `Err(String)` holding the
//! exact CPython message; each doc comment names the exception type the
//! caller must raise (the `MSG_*` constants let callers tell messages apart
//! where one function can fail in more than one way).  Division-by-zero
//! checks for the `//`, `%` and `divmod` helpers are the caller's job (the
//! messages are provided as constants).  It does not parse or format decimal
//! text (see `crate::text::numparse`), does not enforce
//! `sys.set_int_max_str_digits`, and does not guard `pow_big` against
//! results too large for memory.

use num_bigint::{BigInt, BigUint, Sign};
use num_integer::Integer;
use num_traits::{One, Pow, Signed, ToPrimitive, Zero};

/// `ZeroDivisionError` for `int // 0` and `divmod(int, 0)`.
pub const MSG_INT_DIVISION_BY_ZERO: &str = "integer division or modulo by zero";
/// `ZeroDivisionError` for `int % 0`.
pub const MSG_INT_MODULO_BY_ZERO: &str = "integer modulo by zero";
/// `ZeroDivisionError` for `int / 0` (see [`int_true_div`]).
pub const MSG_DIVISION_BY_ZERO: &str = "division by zero";
/// `ZeroDivisionError` for `x / 0.0`.
pub const MSG_FLOAT_DIVISION_BY_ZERO: &str = "float division by zero";
/// `ZeroDivisionError` for `x // 0.0`.
pub const MSG_FLOAT_FLOOR_DIVISION_BY_ZERO: &str = "float floor division by zero";
/// `ZeroDivisionError` for `x % 0.0`.
pub const MSG_FLOAT_MODULO_BY_ZERO: &str = "float modulo";
/// `ZeroDivisionError` for `divmod(x, 0.0)`.
pub const MSG_FLOAT_DIVMOD_BY_ZERO: &str = "float divmod()";
/// `OverflowError` from [`big_to_f64`].
pub const MSG_INT_TOO_LARGE_FOR_FLOAT: &str = "int too large to convert to float";
/// `OverflowError` from [`int_true_div`].
pub const MSG_INT_DIVISION_RESULT_TOO_LARGE: &str = "integer division result too large for a float";
/// `ValueError` from [`pow_mod`].
pub const MSG_POW_MODULUS_ZERO: &str = "pow() 3rd argument cannot be 0";
/// `ValueError` from [`pow_mod`].
pub const MSG_POW_BASE_NOT_INVERTIBLE: &str = "base is not invertible for the given modulus";
/// `ZeroDivisionError` from [`float_pow`].
pub const MSG_ZERO_TO_NEGATIVE_POWER: &str = "0.0 cannot be raised to a negative power";
/// `OverflowError` from [`float_pow`].  CPython raises it from `errno`, so
/// the exception's `args` are `(34, 'Numerical result out of range')` and
/// this string is its `str()`.
pub const MSG_MATH_RANGE_ERROR: &str = "(34, 'Numerical result out of range')";
/// Not an error message: [`float_pow`] returns this when a negative base is
/// raised to a non-integral power.  CPython then computes the result as
/// `complex(base) ** complex(exponent)`; the caller must do the same.
pub const FLOAT_POW_NEEDS_COMPLEX: &str = "<float pow: negative base, fractional exponent>";
/// `OverflowError` from [`float_round`].
pub const MSG_ROUNDED_VALUE_TOO_LARGE: &str = "rounded value too large to represent";
/// `ValueError` from float -> int conversions.
pub const MSG_FLOAT_NAN_TO_INT: &str = "cannot convert float NaN to integer";
/// `OverflowError` from float -> int conversions.
pub const MSG_FLOAT_INFINITY_TO_INT: &str = "cannot convert float infinity to integer";
/// `OverflowError` from [`float_as_integer_ratio`].
pub const MSG_INFINITY_TO_RATIO: &str = "cannot convert Infinity to integer ratio";
/// `ValueError` from [`float_as_integer_ratio`].
pub const MSG_NAN_TO_RATIO: &str = "cannot convert NaN to integer ratio";
/// `ValueError` from [`float_fromhex`].
pub const MSG_INVALID_HEX_FLOAT: &str = "invalid hexadecimal floating-point string";
/// `OverflowError` from [`float_fromhex`].
pub const MSG_HEX_FLOAT_TOO_LARGE: &str = "hexadecimal value too large to represent as a float";
/// `OverflowError` from [`int_to_bytes`].
pub const MSG_INT_TOO_BIG_TO_CONVERT: &str = "int too big to convert";
/// `OverflowError` from [`int_to_bytes`].
pub const MSG_NEGATIVE_INT_TO_UNSIGNED: &str = "can't convert negative int to unsigned";

// ---------------------------------------------------------------------------
// Integer floor division and modulo
// ---------------------------------------------------------------------------

/// Python `a // b` on machine integers.  `None` when `b == 0` (the caller
/// raises `ZeroDivisionError` with [`MSG_INT_DIVISION_BY_ZERO`]) or when the
/// result overflows (`i64::MIN // -1`; the caller retries with
/// [`floor_div_big`]).
pub fn floor_div_i64(a: i64, b: i64) -> Option<i64> {
    if b == 0 {
        return None;
    }
    let quotient = a.checked_div(b)?;
    if a % b != 0 && ((a < 0) != (b < 0)) {
        Some(quotient - 1)
    } else {
        Some(quotient)
    }
}

/// Python `a % b` on machine integers (the result takes the divisor's
/// sign).  `None` only when `b == 0` (`ZeroDivisionError`,
/// [`MSG_INT_MODULO_BY_ZERO`]); `i64::MIN % -1` is `Some(0)`.
pub fn mod_i64(a: i64, b: i64) -> Option<i64> {
    if b == 0 {
        return None;
    }
    let remainder = a.wrapping_rem(b);
    if remainder != 0 && ((remainder < 0) != (b < 0)) {
        Some(remainder + b)
    } else {
        Some(remainder)
    }
}

/// Python `divmod(a, b)` on machine integers.  `None` when `b == 0`
/// (`ZeroDivisionError`, [`MSG_INT_DIVISION_BY_ZERO`]) or on overflow
/// (`divmod(i64::MIN, -1)`; retry with [`divmod_big`]).
pub fn divmod_i64(a: i64, b: i64) -> Option<(i64, i64)> {
    Some((floor_div_i64(a, b)?, mod_i64(a, b)?))
}

/// Python `a // b` on big integers.  The caller must reject `b == 0` first
/// (`ZeroDivisionError`, [`MSG_INT_DIVISION_BY_ZERO`]); a zero divisor
/// panics.
pub fn floor_div_big(a: &BigInt, b: &BigInt) -> BigInt {
    a.div_floor(b)
}

/// Python `a % b` on big integers (sign of the divisor).  The caller must
/// reject `b == 0` first (`ZeroDivisionError`, [`MSG_INT_MODULO_BY_ZERO`]);
/// a zero divisor panics.
pub fn mod_big(a: &BigInt, b: &BigInt) -> BigInt {
    a.mod_floor(b)
}

/// Python `divmod(a, b)` on big integers.  The caller must reject `b == 0`
/// first (`ZeroDivisionError`, [`MSG_INT_DIVISION_BY_ZERO`]); a zero divisor
/// panics.
pub fn divmod_big(a: &BigInt, b: &BigInt) -> (BigInt, BigInt) {
    a.div_mod_floor(b)
}

// ---------------------------------------------------------------------------
// Float floor division and modulo
// ---------------------------------------------------------------------------

/// Python `divmod(a, b)` for floats, following CPython's `_float_div_mod`
/// step for step (so zero signs, infinities and NaNs match).  The caller
/// must reject `b == 0.0` first (`ZeroDivisionError`,
/// [`MSG_FLOAT_DIVMOD_BY_ZERO`]).
pub fn float_divmod(a: f64, b: f64) -> (f64, f64) {
    // Rust's float `%` is C's fmod: exact, with the dividend's sign.
    let mut modulo = a % b;
    let mut division = (a - modulo) / b;
    if modulo != 0.0 {
        if (b < 0.0) != (modulo < 0.0) {
            modulo += b;
            division -= 1.0;
        }
    } else {
        modulo = 0.0f64.copysign(b);
    }
    let floor_division = if division != 0.0 {
        let mut floored = division.floor();
        if division - floored > 0.5 {
            floored += 1.0;
        }
        floored
    } else {
        0.0f64.copysign(a / b)
    };
    (floor_division, modulo)
}

/// Python `a // b` for floats (CPython computes it through `divmod`).  The
/// caller must reject `b == 0.0` first (`ZeroDivisionError`,
/// [`MSG_FLOAT_FLOOR_DIVISION_BY_ZERO`]).
pub fn float_floor_div(a: f64, b: f64) -> f64 {
    float_divmod(a, b).0
}

/// Python `a % b` for floats: the result takes the divisor's sign, and a
/// zero result is a zero of the divisor's sign (`-0.0 % 5.0 == 0.0`,
/// `5.0 % -3.0 == -1.0`, `-1.0 % inf == inf`).  Unlike `math.fmod`.  The
/// caller must reject `b == 0.0` first (`ZeroDivisionError`,
/// [`MSG_FLOAT_MODULO_BY_ZERO`]).
pub fn float_mod(a: f64, b: f64) -> f64 {
    let modulo = a % b;
    if modulo != 0.0 {
        if (b < 0.0) != (modulo < 0.0) {
            modulo + b
        } else {
            modulo
        }
    } else {
        0.0f64.copysign(b)
    }
}

// ---------------------------------------------------------------------------
// Correctly rounded int -> float
// ---------------------------------------------------------------------------

const F64_MANTISSA_BITS: i64 = 52;
const F64_EXPONENT_BIAS: i64 = 1023;
/// Exponent of the least significant bit of the smallest subnormal.
const F64_MIN_LSB_EXPONENT: i64 = -1074;

/// Rounds the positive value `(mantissa + tail) * 2**exponent` to the
/// nearest double, ties to even, where `tail` is zero when `inexact` is
/// false and strictly between 0 and 1 otherwise.  `None` means the rounded
/// value is `>= 2**1024` (overflow).  When `inexact` is set the mantissa
/// must carry at least one bit below the double's precision.
fn round_scaled_to_f64(mantissa: &BigUint, exponent: i64, inexact: bool) -> Option<f64> {
    if mantissa.is_zero() {
        return Some(0.0);
    }
    let bit_count = mantissa.bits() as i64;
    let leading_exponent = bit_count - 1 + exponent;
    if leading_exponent > F64_EXPONENT_BIAS {
        return None;
    }
    let lsb_exponent = (leading_exponent - F64_MANTISSA_BITS).max(F64_MIN_LSB_EXPONENT);
    let dropped_bits = lsb_exponent - exponent;
    let kept = if dropped_bits <= 0 {
        debug_assert!(!inexact, "not enough precision to round an inexact value");
        // Fits in 53 bits by construction.
        mantissa.to_u64()? << (-dropped_bits)
    } else {
        let dropped = dropped_bits as u64;
        let mut kept = (mantissa >> dropped).to_u64()?;
        let half_bit = mantissa.bit(dropped - 1);
        let below_half = inexact || mantissa.trailing_zeros().is_some_and(|tz| tz < dropped - 1);
        if half_bit && (below_half || kept & 1 == 1) {
            kept += 1;
        }
        kept
    };
    compose_f64(kept, lsb_exponent)
}

/// Builds the double `kept * 2**lsb_exponent` where `kept <= 2**53` is
/// already rounded to the precision available at that exponent.
fn compose_f64(kept: u64, lsb_exponent: i64) -> Option<f64> {
    let (kept, lsb_exponent) = if kept == 1 << 53 {
        (1u64 << 52, lsb_exponent + 1)
    } else {
        (kept, lsb_exponent)
    };
    if kept >= 1 << 52 {
        let biased = lsb_exponent + F64_MANTISSA_BITS + F64_EXPONENT_BIAS;
        if biased >= 2047 {
            return None;
        }
        let fraction = kept - (1 << 52);
        Some(f64::from_bits(((biased as u64) << 52) | fraction))
    } else {
        // Subnormal (or zero): the lsb is 2**-1074 and the exponent field 0.
        debug_assert!(kept == 0 || lsb_exponent == F64_MIN_LSB_EXPONENT);
        Some(f64::from_bits(kept))
    }
}

fn apply_sign(magnitude: f64, negative: bool) -> f64 {
    if negative {
        -magnitude
    } else {
        magnitude
    }
}

/// `float(value)`: the nearest double, ties to even.  `Err` is
/// `OverflowError` ([`MSG_INT_TOO_LARGE_FOR_FLOAT`]) when the rounded value
/// does not fit (`>= 2**1024`).
pub fn big_to_f64(value: &BigInt) -> Result<f64, String> {
    if let Some(small) = value.to_i64() {
        // Rust's integer -> float `as` rounds to nearest, ties to even.
        return Ok(small as f64);
    }
    round_scaled_to_f64(value.magnitude(), 0, false)
        .map(|magnitude| apply_sign(magnitude, value.is_negative()))
        .ok_or_else(|| MSG_INT_TOO_LARGE_FOR_FLOAT.to_string())
}

/// Python `a / b` for ints: the correctly rounded quotient, even when the
/// operands do not fit in a double (`10**400 / 10**399 == 10.0`).  A zero
/// result carries the quotient's sign (`0 / -5 == -0.0`).  `Err` is either
/// `ZeroDivisionError` ([`MSG_DIVISION_BY_ZERO`], when `b == 0`) or
/// `OverflowError` ([`MSG_INT_DIVISION_RESULT_TOO_LARGE`]).
pub fn int_true_div(a: &BigInt, b: &BigInt) -> Result<f64, String> {
    if b.is_zero() {
        return Err(MSG_DIVISION_BY_ZERO.to_string());
    }
    const EXACT_LIMIT: u64 = 1 << 53;
    if let (Some(x), Some(y)) = (a.to_i64(), b.to_i64()) {
        if x.unsigned_abs() <= EXACT_LIMIT && y.unsigned_abs() <= EXACT_LIMIT {
            // Both operands are exact doubles; IEEE division rounds correctly.
            return Ok(x as f64 / y as f64);
        }
    }
    let negative = a.is_negative() != b.is_negative();
    let (numerator, denominator) = (a.magnitude(), b.magnitude());
    if numerator.is_zero() {
        return Ok(apply_sign(0.0, negative));
    }
    let bit_difference = numerator.bits() as i64 - denominator.bits() as i64;
    if bit_difference > 1025 {
        // a / b > 2**(bit_difference - 1) >= 2**1025.
        return Err(MSG_INT_DIVISION_RESULT_TOO_LARGE.to_string());
    }
    if bit_difference < -1077 {
        // a / b < 2**(bit_difference + 1) <= 2**-1076: below half the
        // smallest subnormal.
        return Ok(apply_sign(0.0, negative));
    }
    // Scale so the integer quotient has 56 or 57 bits: enough to round once.
    let scale = 56 - bit_difference;
    let (quotient, remainder) = if scale >= 0 {
        (numerator << scale as u64).div_rem(denominator)
    } else {
        numerator.div_rem(&(denominator << (-scale) as u64))
    };
    round_scaled_to_f64(&quotient, -scale, !remainder.is_zero())
        .map(|magnitude| apply_sign(magnitude, negative))
        .ok_or_else(|| MSG_INT_DIVISION_RESULT_TOO_LARGE.to_string())
}

// ---------------------------------------------------------------------------
// float -> int
// ---------------------------------------------------------------------------

/// `2**63` as a double: every float below it in magnitude fits in `i64`.
const TWO_POW_63: f64 = (1u64 << 63) as f64;

/// Splits a finite double into `(mantissa, exponent)` with
/// `|x| == mantissa * 2**exponent` exactly.
fn decompose_finite(x: f64) -> (u64, i64) {
    let bits = x.to_bits();
    let exponent_field = ((bits >> 52) & 0x7ff) as i64;
    let fraction = bits & ((1 << 52) - 1);
    if exponent_field == 0 {
        (fraction, F64_MIN_LSB_EXPONENT)
    } else {
        (
            fraction | (1 << 52),
            exponent_field - F64_EXPONENT_BIAS - F64_MANTISSA_BITS,
        )
    }
}

/// `int(x)` for a float: truncation toward zero, exact for any magnitude
/// (`int(1e20) == 100000000000000000000`).  `Err` is `ValueError`
/// ([`MSG_FLOAT_NAN_TO_INT`]) for NaN and `OverflowError`
/// ([`MSG_FLOAT_INFINITY_TO_INT`]) for infinities.
pub fn float_to_bigint(x: f64) -> Result<BigInt, String> {
    if x.is_nan() {
        return Err(MSG_FLOAT_NAN_TO_INT.to_string());
    }
    if x.is_infinite() {
        return Err(MSG_FLOAT_INFINITY_TO_INT.to_string());
    }
    let truncated = x.trunc();
    if truncated.abs() < TWO_POW_63 {
        return Ok(BigInt::from(truncated as i64));
    }
    let (mantissa, exponent) = decompose_finite(truncated);
    // |x| >= 2**63 here, so the exponent is positive.
    let magnitude = BigInt::from(mantissa) << exponent as u64;
    Ok(if x < 0.0 { -magnitude } else { magnitude })
}

// ---------------------------------------------------------------------------
// Powers
// ---------------------------------------------------------------------------

/// Python `base ** exponent` for a non-negative int exponent.  Exponents
/// beyond `u32` are handled for bases 0, 1 and -1; for any other base such
/// a result could not fit in memory, so callers should refuse absurd sizes
/// before calling (CPython eventually raises `MemoryError`).
///
/// # Panics
/// If `exponent` is negative (use [`int_pow_negative_exponent`]).
pub fn pow_big(base: &BigInt, exponent: &BigInt) -> BigInt {
    assert!(
        !exponent.is_negative(),
        "pow_big needs a non-negative exponent"
    );
    if exponent.is_zero() {
        return BigInt::one();
    }
    if base.is_zero() || base.is_one() {
        return base.clone();
    }
    if base.magnitude().is_one() {
        // base == -1
        return if exponent.is_odd() {
            base.clone()
        } else {
            BigInt::one()
        };
    }
    match exponent.to_u32() {
        Some(small) => Pow::pow(base, small),
        None => Pow::pow(base, exponent.magnitude()),
    }
}

/// Python `base ** exponent` for ints when `exponent < 0`: CPython converts
/// both operands to float and uses float power (`2 ** -1 == 0.5`,
/// `0 ** -1` raises `ZeroDivisionError`).  Errors are those of
/// [`big_to_f64`] (`OverflowError`) and [`float_pow`].
pub fn int_pow_negative_exponent(base: &BigInt, exponent: &BigInt) -> Result<f64, String> {
    float_pow(big_to_f64(base)?, big_to_f64(exponent)?)
}

/// The inverse of `value` modulo `modulus` (`modulus > 1`), if it exists.
fn modular_inverse(value: &BigInt, modulus: &BigInt) -> Option<BigInt> {
    let (mut previous_remainder, mut remainder) = (value.mod_floor(modulus), modulus.clone());
    let (mut previous_coefficient, mut coefficient) = (BigInt::one(), BigInt::zero());
    while !remainder.is_zero() {
        let quotient = &previous_remainder / &remainder;
        let next_remainder = &previous_remainder - &quotient * &remainder;
        previous_remainder = std::mem::replace(&mut remainder, next_remainder);
        let next_coefficient = &previous_coefficient - &quotient * &coefficient;
        previous_coefficient = std::mem::replace(&mut coefficient, next_coefficient);
    }
    previous_remainder
        .is_one()
        .then(|| previous_coefficient.mod_floor(modulus))
}

/// Python `pow(base, exponent, modulus)` for ints.  The result lies in
/// `[0, modulus)` for a positive modulus and `(modulus, 0]` for a negative
/// one; a negative exponent uses the modular inverse of `base`
/// (`pow(2, -1, 7) == 4`).  `Err` is `ValueError` in both cases:
/// [`MSG_POW_MODULUS_ZERO`] or [`MSG_POW_BASE_NOT_INVERTIBLE`].
pub fn pow_mod(base: &BigInt, exponent: &BigInt, modulus: &BigInt) -> Result<BigInt, String> {
    if modulus.is_zero() {
        return Err(MSG_POW_MODULUS_ZERO.to_string());
    }
    let negative_modulus = modulus.is_negative();
    let positive_modulus = modulus.abs();
    if positive_modulus.is_one() {
        return Ok(BigInt::zero());
    }
    let reduced_base = if exponent.is_negative() {
        modular_inverse(base, &positive_modulus)
            .ok_or_else(|| MSG_POW_BASE_NOT_INVERTIBLE.to_string())?
    } else {
        base.mod_floor(&positive_modulus)
    };
    let result = reduced_base
        .magnitude()
        .modpow(exponent.magnitude(), positive_modulus.magnitude());
    let mut result = BigInt::from(result);
    if negative_modulus && !result.is_zero() {
        result -= &positive_modulus;
    }
    Ok(result)
}

/// CPython's `DOUBLE_IS_ODD_INTEGER`.
fn is_odd_integer(x: f64) -> bool {
    (x.abs() % 2.0) == 1.0
}

/// Python `base ** exponent` for floats, with CPython 3.11's special cases
/// (`x ** 0 == 1` even for NaN, `1 ** nan == 1`, `(-1) ** ±inf == 1`, signed
/// zeros and infinities for odd integer exponents).
///
/// `Err` values:
/// * [`MSG_ZERO_TO_NEGATIVE_POWER`]: raise `ZeroDivisionError`
///   (`0.0 ** -1`).
/// * [`MSG_MATH_RANGE_ERROR`]: raise `OverflowError(34, 'Numerical result
///   out of range')` (`10.0 ** 400`).
/// * [`FLOAT_POW_NEEDS_COMPLEX`]: not an error; a negative finite base with
///   a non-integral finite exponent, which CPython hands to complex power
///   (`(-8.0) ** (1/3)` is a complex number).
pub fn float_pow(base: f64, exponent: f64) -> Result<f64, String> {
    if exponent == 0.0 {
        return Ok(1.0);
    }
    if base.is_nan() {
        return Ok(base);
    }
    if exponent.is_nan() {
        return Ok(if base == 1.0 { 1.0 } else { exponent });
    }
    if exponent.is_infinite() {
        let magnitude = base.abs();
        return Ok(if magnitude == 1.0 {
            1.0
        } else if (exponent > 0.0) == (magnitude > 1.0) {
            f64::INFINITY
        } else {
            0.0
        });
    }
    if base.is_infinite() {
        let odd = is_odd_integer(exponent);
        return Ok(match (exponent > 0.0, odd) {
            (true, true) => base,
            (true, false) => base.abs(),
            (false, true) => 0.0f64.copysign(base),
            (false, false) => 0.0,
        });
    }
    if base == 0.0 {
        if exponent < 0.0 {
            return Err(MSG_ZERO_TO_NEGATIVE_POWER.to_string());
        }
        return Ok(if is_odd_integer(exponent) { base } else { 0.0 });
    }
    let mut magnitude = base;
    let mut negate_result = false;
    if base < 0.0 {
        if exponent != exponent.floor() {
            return Err(FLOAT_POW_NEEDS_COMPLEX.to_string());
        }
        magnitude = -base;
        negate_result = is_odd_integer(exponent);
    }
    if magnitude == 1.0 {
        return Ok(apply_sign(1.0, negate_result));
    }
    // `powf` is the platform libm `pow`, which CPython calls as well.
    let result = magnitude.powf(exponent);
    if result.is_infinite() {
        return Err(MSG_MATH_RANGE_ERROR.to_string());
    }
    Ok(apply_sign(result, negate_result))
}

// ---------------------------------------------------------------------------
// Rounding
// ---------------------------------------------------------------------------

/// `numerator / denominator` rounded to the nearest integer, ties to even.
fn div_round_half_even(numerator: &BigUint, denominator: &BigUint) -> BigUint {
    let (quotient, remainder) = numerator.div_rem(denominator);
    let twice_remainder = remainder << 1u32;
    if twice_remainder > *denominator || (twice_remainder == *denominator && quotient.is_odd()) {
        quotient + 1u32
    } else {
        quotient
    }
}

fn pow10(exponent: u32) -> BigUint {
    Pow::pow(BigUint::from(10u32), exponent)
}

/// Largest `ndigits` for which rounding can change a double (CPython's
/// `NDIGITS_MAX`); beyond it `round(x, ndigits) == x`.
const ROUND_NDIGITS_MAX: i64 = 323;
/// Smallest `ndigits` for which rounding can leave a non-zero double
/// (CPython's `NDIGITS_MIN`); below it the result is a signed zero.
const ROUND_NDIGITS_MIN: i64 = -308;

/// Python `round(x, ndigits)` for a float, returning a float.
///
/// With `Some(ndigits)` this rounds the *exact* binary value of `x` to a
/// multiple of `10**-ndigits`, ties to even, then converts that decimal
/// back to the nearest double, like CPython's dtoa-based `double_round`:
/// `round(2.675, 2) == 2.67` (2.675 is really 2.67499999...),
/// `round(1234.5678, -2) == 1200.0`, `round(-0.4, 0) == -0.0`.  NaNs and
/// infinities are returned unchanged.
///
/// With `None` it rounds to the nearest integral float, ties to even (what
/// `round(x)` computes before making an int; use [`float_round_to_int`]
/// for the int).
///
/// `Err` is `OverflowError` ([`MSG_ROUNDED_VALUE_TOO_LARGE`]), e.g.
/// `round(1.7976931348623157e308, -308)`.
pub fn float_round(x: f64, ndigits: Option<i64>) -> Result<f64, String> {
    let Some(ndigits) = ndigits else {
        return Ok(x.round_ties_even());
    };
    if !x.is_finite() || ndigits > ROUND_NDIGITS_MAX {
        return Ok(x);
    }
    if ndigits < ROUND_NDIGITS_MIN {
        return Ok(0.0f64.copysign(x));
    }
    if x == 0.0 {
        return Ok(x);
    }
    let (mantissa, exponent) = decompose_finite(x);
    let mantissa = BigUint::from(mantissa);
    let magnitude = if ndigits >= 0 {
        if exponent >= 0 {
            // Already an integer: nothing after the decimal point.
            return Ok(x);
        }
        let scale = pow10(ndigits as u32);
        let scaled = div_round_half_even(
            &(mantissa * &scale),
            &(BigUint::one() << (-exponent) as u64),
        );
        int_true_div(&BigInt::from(scaled), &BigInt::from(scale))?
    } else {
        let unit = pow10((-ndigits) as u32);
        let units = if exponent >= 0 {
            div_round_half_even(&(mantissa << exponent as u64), &unit)
        } else {
            div_round_half_even(&mantissa, &(&unit << (-exponent) as u64))
        };
        big_to_f64(&BigInt::from(units * unit))
            .map_err(|_| MSG_ROUNDED_VALUE_TOO_LARGE.to_string())?
    };
    Ok(magnitude.copysign(x))
}

/// Python `round(x)` (no `ndigits`) for a float: the nearest int, ties to
/// even (`round(0.5) == 0`, `round(1.5) == 2`, `round(-2.5) == -2`).  `Err`
/// is `ValueError` ([`MSG_FLOAT_NAN_TO_INT`]) or `OverflowError`
/// ([`MSG_FLOAT_INFINITY_TO_INT`]).
pub fn float_round_to_int(x: f64) -> Result<BigInt, String> {
    float_to_bigint(x.round_ties_even())
}

/// Python `round(value, ndigits)` for an int: unchanged when
/// `ndigits >= 0`, otherwise rounded to a multiple of `10**-ndigits`, ties
/// to even (`round(1250, -2) == 1200`, `round(-1251, -2) == -1300`).
pub fn int_round(value: &BigInt, ndigits: i64) -> BigInt {
    if ndigits >= 0 || value.is_zero() {
        return value.clone();
    }
    let places = ndigits.unsigned_abs();
    // |value| < 2**bits <= 10**(bits * log10(2) + 1); when the unit is more
    // than ten times larger than that, |value| < unit / 2 and the result is 0.
    let decimal_digits_bound = value.bits() * 30103 / 100_000 + 1;
    if places > decimal_digits_bound + 1 {
        return BigInt::zero();
    }
    let unit = pow10(places as u32);
    let rounded = div_round_half_even(value.magnitude(), &unit) * unit;
    BigInt::from_biguint(value.sign(), rounded)
}

// ---------------------------------------------------------------------------
// Hashing (CPython, 64-bit build)
// ---------------------------------------------------------------------------

/// CPython's `_PyHASH_BITS` on 64-bit builds.
const HASH_BITS: u32 = 61;
/// CPython's `_PyHASH_MODULUS`: the Mersenne prime `2**61 - 1`.
const HASH_MODULUS: u64 = (1 << HASH_BITS) - 1;
/// CPython's `_PyHASH_INF`.
const HASH_INFINITY: i64 = 314_159;

fn finish_numeric_hash(residue: u64, negative: bool) -> i64 {
    let hash = residue as i64;
    let hash = if negative { -hash } else { hash };
    if hash == -1 {
        -2
    } else {
        hash
    }
}

/// `hash(n)` for an int that fits in `i64`: `n mod (2**61 - 1)` with `n`'s
/// sign, except that -1 becomes -2 (`hash(-1) == -2`).
pub fn hash_i64(value: i64) -> i64 {
    finish_numeric_hash(value.unsigned_abs() % HASH_MODULUS, value < 0)
}

/// `hash(n)` for any int, identical to CPython's 64-bit `long_hash`.
pub fn hash_int(value: &BigInt) -> i64 {
    if let Some(small) = value.to_i64() {
        return hash_i64(small);
    }
    let residue = (value.magnitude() % HASH_MODULUS).to_u64().unwrap_or(0);
    finish_numeric_hash(residue, value.is_negative())
}

/// `hash(x)` for a float, identical to CPython's `_Py_HashDouble`: equal to
/// the hash of the equal int or `Fraction` (`hash(1.0) == hash(1)`,
/// `hash(0.5) == 2**60`), `±314159` for infinities.
///
/// NaN hashes to 0 here.  CPython 3.10+ hashes a NaN by object identity
/// instead (so distinct NaN objects usually hash differently); callers that
/// need that behaviour must special-case NaN before calling.
pub fn hash_float(x: f64) -> i64 {
    if x.is_nan() {
        return 0;
    }
    if x.is_infinite() {
        return if x > 0.0 {
            HASH_INFINITY
        } else {
            -HASH_INFINITY
        };
    }
    let (mantissa, exponent) = decompose_finite(x);
    // 2**61 == 1 (mod 2**61 - 1), so 2**exponent == 2**(exponent mod 61).
    let rotation = exponent.rem_euclid(i64::from(HASH_BITS)) as u32;
    let residue = ((u128::from(mantissa) << rotation) % u128::from(HASH_MODULUS)) as u64;
    finish_numeric_hash(residue, x < 0.0)
}

/// `hash(t)` for a tuple given its items' hashes: CPython 3.8+'s
/// xxHash64-derived `tuplehash` (`hash(()) == 5740354900026072187`).
pub fn hash_tuple(item_hashes: &[i64]) -> i64 {
    const PRIME_1: u64 = 11_400_714_785_074_694_791;
    const PRIME_2: u64 = 14_029_467_366_897_019_727;
    const PRIME_5: u64 = 2_870_177_450_012_600_261;
    let mut accumulator = PRIME_5;
    for &item in item_hashes {
        accumulator = accumulator.wrapping_add((item as u64).wrapping_mul(PRIME_2));
        accumulator = accumulator.rotate_left(31);
        accumulator = accumulator.wrapping_mul(PRIME_1);
    }
    accumulator = accumulator.wrapping_add((item_hashes.len() as u64) ^ (PRIME_5 ^ 3_527_539));
    if accumulator == u64::MAX {
        return 1_546_275_796;
    }
    accumulator as i64
}

// ---------------------------------------------------------------------------
// float methods
// ---------------------------------------------------------------------------

/// `x.as_integer_ratio()`: the exact value as a reduced fraction with a
/// positive power-of-two denominator (`(0.5) -> (1, 2)`, `(-0.0) -> (0, 1)`).
/// `Err` is `OverflowError` ([`MSG_INFINITY_TO_RATIO`]) or `ValueError`
/// ([`MSG_NAN_TO_RATIO`]).
pub fn float_as_integer_ratio(x: f64) -> Result<(BigInt, BigInt), String> {
    if x.is_nan() {
        return Err(MSG_NAN_TO_RATIO.to_string());
    }
    if x.is_infinite() {
        return Err(MSG_INFINITY_TO_RATIO.to_string());
    }
    let (mantissa, exponent) = decompose_finite(x);
    if mantissa == 0 {
        return Ok((BigInt::zero(), BigInt::one()));
    }
    let trailing = mantissa.trailing_zeros();
    let (mantissa, exponent) = (mantissa >> trailing, exponent + i64::from(trailing));
    let numerator = BigInt::from(mantissa);
    let numerator = if x < 0.0 { -numerator } else { numerator };
    if exponent >= 0 {
        Ok((numerator << exponent as u64, BigInt::one()))
    } else {
        Ok((numerator, BigInt::one() << (-exponent) as u64))
    }
}

/// `x.is_integer()`: finite and without a fractional part.
pub fn float_is_integer(x: f64) -> bool {
    x.is_finite() && x.trunc() == x
}

/// `x.hex()`: `'0x1.8000000000000p+1'` for 3.0, `'-0x0.0p+0'` for -0.0,
/// `'0x0.0000000000001p-1022'` for the smallest subnormal, `'inf'`,
/// `'-inf'`, `'nan'`.
pub fn float_hex(x: f64) -> String {
    if x.is_nan() {
        return "nan".to_string();
    }
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if x.is_infinite() {
        return format!("{sign}inf");
    }
    if x == 0.0 {
        return format!("{sign}0x0.0p+0");
    }
    let bits = x.to_bits();
    let exponent_field = ((bits >> 52) & 0x7ff) as i64;
    let fraction = bits & ((1 << 52) - 1);
    if exponent_field == 0 {
        format!("{sign}0x0.{fraction:013x}p-1022")
    } else {
        format!(
            "{sign}0x1.{fraction:013x}p{:+}",
            exponent_field - F64_EXPONENT_BIAS
        )
    }
}

fn hex_digit_value(byte: u8) -> Option<u8> {
    (byte as char).to_digit(16).map(|d| d as u8)
}

/// `float.fromhex(text)`: optional ASCII whitespace, sign, `0x` prefix, hex
/// digits with an optional point, optional `p` exponent (decimal), or
/// `inf`/`infinity`/`nan`.  Correctly rounded, ties to even, including
/// subnormals.  `Err` is `ValueError` ([`MSG_INVALID_HEX_FLOAT`]) or
/// `OverflowError` ([`MSG_HEX_FLOAT_TOO_LARGE`]).
pub fn float_fromhex(text: &str) -> Result<f64, String> {
    let invalid = || MSG_INVALID_HEX_FLOAT.to_string();
    let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r');
    let bytes = text.as_bytes();
    let start = bytes
        .iter()
        .position(|b| !is_space(b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !is_space(b))
        .map_or(start, |i| i + 1);
    let body = &bytes[start..end];

    let (negative, unsigned) = match body.first() {
        Some(b'-') => (true, &body[1..]),
        Some(b'+') => (false, &body[1..]),
        _ => (false, body),
    };
    if unsigned.eq_ignore_ascii_case(b"inf") || unsigned.eq_ignore_ascii_case(b"infinity") {
        return Ok(apply_sign(f64::INFINITY, negative));
    }
    if unsigned.eq_ignore_ascii_case(b"nan") {
        return Ok(apply_sign(f64::NAN, negative));
    }
    let mut rest = match unsigned {
        [b'0', b'x' | b'X', tail @ ..] => tail,
        _ => unsigned,
    };

    let mut digits: Vec<u8> = Vec::new();
    let mut fraction_digits: i128 = 0;
    while let Some(value) = rest.first().copied().and_then(hex_digit_value) {
        digits.push(value);
        rest = &rest[1..];
    }
    if rest.first() == Some(&b'.') {
        rest = &rest[1..];
        while let Some(value) = rest.first().copied().and_then(hex_digit_value) {
            digits.push(value);
            fraction_digits += 1;
            rest = &rest[1..];
        }
    }
    if digits.is_empty() {
        return Err(invalid());
    }

    let mut exponent: i128 = 0;
    if let [b'p' | b'P', tail @ ..] = rest {
        rest = tail;
        let exponent_negative = match rest.first() {
            Some(b'-') => {
                rest = &rest[1..];
                true
            }
            Some(b'+') => {
                rest = &rest[1..];
                false
            }
            _ => false,
        };
        let digit_count = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if digit_count == 0 {
            return Err(invalid());
        }
        // Saturate: anything this large over- or underflows regardless.
        const EXPONENT_CAP: i128 = 1 << 80;
        for &byte in &rest[..digit_count] {
            exponent = (exponent * 10 + i128::from(byte - b'0')).min(EXPONENT_CAP);
        }
        if exponent_negative {
            exponent = -exponent;
        }
        rest = &rest[digit_count..];
    }
    if !rest.is_empty() {
        return Err(invalid());
    }

    let first_nonzero = digits.iter().position(|&d| d != 0);
    let Some(first_nonzero) = first_nonzero else {
        return Ok(apply_sign(0.0, negative));
    };
    let mantissa = BigUint::from_radix_be(&digits[first_nonzero..], 16).unwrap_or_default();
    let binary_exponent = exponent - 4 * fraction_digits;
    let leading_exponent = mantissa.bits() as i128 - 1 + binary_exponent;
    if leading_exponent > 1100 {
        return Err(MSG_HEX_FLOAT_TOO_LARGE.to_string());
    }
    if leading_exponent < -1100 {
        return Ok(apply_sign(0.0, negative));
    }
    // |binary_exponent| is bounded by the digit count plus 1100 here.
    let magnitude = round_scaled_to_f64(&mantissa, binary_exponent as i64, false)
        .ok_or_else(|| MSG_HEX_FLOAT_TOO_LARGE.to_string())?;
    Ok(apply_sign(magnitude, negative))
}

// ---------------------------------------------------------------------------
// int methods
// ---------------------------------------------------------------------------

/// `n.bit_length()`: bits needed for `abs(n)` (0 for 0).
pub fn int_bit_length(value: &BigInt) -> u64 {
    value.bits()
}

/// `n.bit_count()`: number of one bits in `abs(n)`.
pub fn int_bit_count(value: &BigInt) -> u64 {
    value
        .magnitude()
        .iter_u64_digits()
        .map(|digit| u64::from(digit.count_ones()))
        .sum()
}

/// `n.to_bytes(length, byteorder, signed=signed)`.  Negative values use
/// two's complement.  Like CPython 3.11, `(-1).to_bytes(0, ..., signed=True)`
/// returns `b''`.  `Err` is `OverflowError` in both cases:
/// [`MSG_NEGATIVE_INT_TO_UNSIGNED`] or [`MSG_INT_TOO_BIG_TO_CONVERT`].
/// (A negative `length` is the caller's `ValueError`: "length argument must
/// be non-negative".)
pub fn int_to_bytes(
    value: &BigInt,
    length: usize,
    little_endian: bool,
    signed: bool,
) -> Result<Vec<u8>, String> {
    let negative = value.is_negative();
    if negative && !signed {
        return Err(MSG_NEGATIVE_INT_TO_UNSIGNED.to_string());
    }
    let fill = if negative { 0xff } else { 0x00 };
    let mut bytes = if value.is_zero() || (negative && value.magnitude().is_one()) {
        // 0 and -1 are all sign bits: CPython stores no significant byte.
        Vec::new()
    } else if signed {
        value.to_signed_bytes_le()
    } else {
        value.magnitude().to_bytes_le()
    };
    if bytes.len() > length {
        return Err(MSG_INT_TOO_BIG_TO_CONVERT.to_string());
    }
    bytes.resize(length, fill);
    if !little_endian {
        bytes.reverse();
    }
    Ok(bytes)
}

/// `int.from_bytes(bytes, byteorder, signed=signed)`; empty input is 0.
pub fn int_from_bytes(bytes: &[u8], little_endian: bool, signed: bool) -> BigInt {
    match (little_endian, signed) {
        (true, true) => BigInt::from_signed_bytes_le(bytes),
        (false, true) => BigInt::from_signed_bytes_be(bytes),
        (true, false) => BigInt::from_biguint(Sign::Plus, BigUint::from_bytes_le(bytes)),
        (false, false) => BigInt::from_biguint(Sign::Plus, BigUint::from_bytes_be(bytes)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn big(text: &str) -> BigInt {
        text.parse().unwrap()
    }

    fn int(value: i64) -> BigInt {
        BigInt::from(value)
    }

    /// Compares floats bit for bit (so -0.0 != 0.0), treating NaN == NaN.
    fn assert_same_float(actual: f64, expected: f64, context: &str) {
        if expected.is_nan() {
            assert!(actual.is_nan(), "{context}: expected nan, got {actual:?}");
        } else {
            assert_eq!(
                actual.to_bits(),
                expected.to_bits(),
                "{context}: expected {expected:?}, got {actual:?}"
            );
        }
    }

    fn err(message: &str) -> Result<f64, String> {
        Err(message.to_string())
    }

    #[test]
    fn i64_floor_division_and_modulo() {
        let cases: &[(i64, i64, i64, i64)] = &[
            (7, 2, 3, 1),
            (-7, 2, -4, 1),
            (7, -2, -4, -1),
            (-7, -2, 3, -1),
            (6, 3, 2, 0),
            (-6, 3, -2, 0),
            (0, -5, 0, 0),
            (i64::MIN, 1, i64::MIN, 0),
            (i64::MIN, 2, i64::MIN / 2, 0),
            (i64::MAX, -1, -i64::MAX, 0),
            (i64::MIN, i64::MAX, -2, i64::MAX - 1),
        ];
        for &(a, b, quotient, remainder) in cases {
            assert_eq!(floor_div_i64(a, b), Some(quotient), "{a} // {b}");
            assert_eq!(mod_i64(a, b), Some(remainder), "{a} % {b}");
            assert_eq!(divmod_i64(a, b), Some((quotient, remainder)));
        }
        assert_eq!(floor_div_i64(i64::MIN, -1), None);
        assert_eq!(mod_i64(i64::MIN, -1), Some(0));
        assert_eq!(divmod_i64(i64::MIN, -1), None);
        assert_eq!(floor_div_i64(1, 0), None);
        assert_eq!(mod_i64(1, 0), None);
        assert_eq!(divmod_i64(1, 0), None);
    }

    #[test]
    fn big_floor_division_and_modulo() {
        // python3: divmod(-10**30 - 7, 10**15) == (-1000000000000001, 999999999999993)
        let (q, r) = divmod_big(
            &big("-1000000000000000000000000000007"),
            &int(10i64.pow(15)),
        );
        assert_eq!(
            (q.to_string(), r.to_string()),
            ("-1000000000000001".into(), "999999999999993".into())
        );
        assert_eq!(
            floor_div_big(&int(i64::MIN), &int(-1)),
            big("9223372036854775808")
        );
        assert_eq!(mod_big(&int(7), &int(-2)), int(-1));
        assert_eq!(mod_big(&int(-7), &int(2)), int(1));
        assert_eq!(floor_div_big(&int(-7), &int(2)), int(-4));
    }

    #[test]
    fn float_divmod_matches_cpython() {
        let inf = f64::INFINITY;
        // (a, b, a // b, a % b), all from python3.
        let cases: &[(f64, f64, f64, f64)] = &[
            (-0.0, 5.0, -0.0, 0.0),
            (5.0, -3.0, -2.0, -1.0),
            (-5.0, 3.0, -2.0, 1.0),
            (1.0, inf, 0.0, 1.0),
            (-1.0, inf, -1.0, inf),
            (1.0, -inf, -1.0, -inf),
            (0.0, -2.0, -0.0, -0.0),
            (-0.0, -2.0, 0.0, -0.0),
            (7.5, 2.0, 3.0, 1.5),
            (1e308, 3.0, 3.333_333_333_333_333e307, 2.0),
            (-1e-300, 1e300, -1.0, 1e300),
            (0.1, 0.01, 10.0, 3.469_446_951_953_614e-18),
            (-7.0, 7.0, -1.0, 0.0),
            (7.0, -7.0, -1.0, -0.0),
            (1e16, 3.0, 3_333_333_333_333_333.0, 1.0),
            (inf, 2.0, f64::NAN, f64::NAN),
            (f64::NAN, 1.0, f64::NAN, f64::NAN),
            (3.0, f64::NAN, f64::NAN, f64::NAN),
        ];
        for &(a, b, quotient, remainder) in cases {
            let context = format!("divmod({a:?}, {b:?})");
            let (q, r) = float_divmod(a, b);
            assert_same_float(q, quotient, &context);
            assert_same_float(r, remainder, &context);
            assert_same_float(float_floor_div(a, b), quotient, &context);
            assert_same_float(float_mod(a, b), remainder, &context);
        }
    }

    #[test]
    fn int_to_float_is_correctly_rounded() {
        let cases: &[(&str, f64)] = &[
            ("0", 0.0),
            ("9007199254740993", 9_007_199_254_740_992.0),
            ("9007199254740995", 9_007_199_254_740_996.0),
            ("-9223372036854775808", -TWO_POW_63),
            // 2**64 + 1, 2**100 + 2**47 (a tie: stays even), 2**100 + 2**47 + 1.
            ("18446744073709551617", 1.844_674_407_370_955_2e19),
            (
                "1267650600228229542234191560704",
                1.267_650_600_228_229_4e30,
            ),
            (
                "1267650600228229542234191560705",
                1.267_650_600_228_229_7e30,
            ),
        ];
        for &(text, expected) in cases {
            assert_same_float(big_to_f64(&big(text)).unwrap(), expected, text);
        }
        // 10**300 and the largest double's exact value.
        let ten_300 = Pow::pow(int(10), 300u32);
        assert_same_float(big_to_f64(&ten_300).unwrap(), 1e300, "10**300");
        let max_exact = (int(1) << 1024u32) - (int(1) << 971u32);
        assert_same_float(big_to_f64(&max_exact).unwrap(), f64::MAX, "max");
        // Just under the rounding boundary: still f64::MAX.
        let below_boundary = (int(1) << 1024u32) - (int(1) << 970u32) - 1;
        assert_same_float(big_to_f64(&below_boundary).unwrap(), f64::MAX, "max");
        // python3: float(2**1024 - 2**970) -> OverflowError
        let boundary = (int(1) << 1024u32) - (int(1) << 970u32);
        assert_eq!(big_to_f64(&boundary), err(MSG_INT_TOO_LARGE_FOR_FLOAT));
        assert_eq!(
            big_to_f64(&-(Pow::pow(int(10), 400u32))),
            err(MSG_INT_TOO_LARGE_FOR_FLOAT)
        );
    }

    #[test]
    fn int_true_division() {
        let ten = int(10);
        let p = |e: u32| Pow::pow(&ten, e);
        assert_same_float(
            int_true_div(&p(400), &p(399)).unwrap(),
            10.0,
            "10**400/10**399",
        );
        assert_same_float(int_true_div(&int(1), &int(3)).unwrap(), 1.0 / 3.0, "1/3");
        assert_same_float(int_true_div(&int(0), &int(-5)).unwrap(), -0.0, "0/-5");
        assert_same_float(int_true_div(&int(-1), &p(400)).unwrap(), -0.0, "-1/10**400");
        assert_same_float(int_true_div(&int(7), &int(-2)).unwrap(), -3.5, "7/-2");
        assert_eq!(
            int_true_div(&p(400), &int(3)),
            err(MSG_INT_DIVISION_RESULT_TOO_LARGE)
        );
        assert_eq!(int_true_div(&int(1), &int(0)), err(MSG_DIVISION_BY_ZERO));
        // python3: (10**30 + 1) / 3 == 3.333333333333333e+29
        assert_same_float(
            int_true_div(&(p(30) + 1), &int(3)).unwrap(),
            3.333_333_333_333_333e29,
            "(10**30+1)/3",
        );
        // python3: (3 * 2**1023) / 2 == 1.348269851146737e+308
        let three_halves_max = int(3) << 1023u32;
        assert_same_float(
            int_true_div(&three_halves_max, &int(2)).unwrap(),
            1.348_269_851_146_737e308,
            "3*2**1023/2",
        );
        // python3: 1 / 2**1074 == 5e-324; 1 / 2**1075 == 0.0 (tie to even);
        // 3 / 2**1076 == 5e-324 (0.75 ulp rounds up).
        let two = int(2);
        assert_same_float(
            int_true_div(&int(1), &Pow::pow(&two, 1074u32)).unwrap(),
            5e-324,
            "sub",
        );
        assert_same_float(
            int_true_div(&int(1), &Pow::pow(&two, 1075u32)).unwrap(),
            0.0,
            "tie",
        );
        assert_same_float(
            int_true_div(&int(3), &Pow::pow(&two, 1076u32)).unwrap(),
            5e-324,
            "up",
        );
        // python3: 10**200 / 7 == 1.4285714285714286e+199; 7 / 10**200 == 7e-200
        assert_same_float(
            int_true_div(&p(200), &int(7)).unwrap(),
            1.428_571_428_571_428_6e199,
            "",
        );
        assert_same_float(int_true_div(&int(7), &p(200)).unwrap(), 7e-200, "7/10**200");
        // python3: (2**53 + 1) / 1 == 9007199254740992.0 (round to even)
        assert_same_float(
            int_true_div(&int((1 << 53) + 1), &int(1)).unwrap(),
            9_007_199_254_740_992.0,
            "(2**53+1)/1",
        );
        // python3: (17 * 10**307) / 1 == 1.7e+308; (18 * 10**307) / 1 overflows
        assert_same_float(
            int_true_div(&(p(307) * 17), &int(1)).unwrap(),
            1.7e308,
            "1.7e308",
        );
        assert_eq!(
            int_true_div(&(p(307) * 18), &int(1)),
            err(MSG_INT_DIVISION_RESULT_TOO_LARGE)
        );
    }

    #[test]
    fn float_to_int_conversions() {
        assert_eq!(float_to_bigint(1e20).unwrap(), big("100000000000000000000"));
        assert_eq!(float_to_bigint(-2.9).unwrap(), int(-2));
        assert_eq!(float_to_bigint(-0.5).unwrap(), int(0));
        assert_eq!(float_to_bigint(-TWO_POW_63).unwrap(), int(i64::MIN));
        assert_eq!(
            float_to_bigint(TWO_POW_63).unwrap(),
            big("9223372036854775808")
        );
        assert_eq!(
            float_to_bigint(1e300).unwrap().to_string(),
            "1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160"
        );
        assert_eq!(
            float_to_bigint(f64::NAN),
            Err(MSG_FLOAT_NAN_TO_INT.to_string())
        );
        assert_eq!(
            float_to_bigint(f64::NEG_INFINITY),
            Err(MSG_FLOAT_INFINITY_TO_INT.to_string())
        );
    }

    #[test]
    fn integer_powers() {
        assert_eq!(
            pow_big(&int(2), &int(100)),
            big("1267650600228229401496703205376")
        );
        assert_eq!(pow_big(&int(-3), &int(3)), int(-27));
        assert_eq!(pow_big(&int(0), &int(0)), int(1));
        assert_eq!(pow_big(&int(0), &int(5)), int(0));
        let huge = big("100000000000000000000000000001");
        assert_eq!(pow_big(&int(-1), &huge), int(-1));
        assert_eq!(pow_big(&int(-1), &(&huge + 1)), int(1));
        assert_eq!(pow_big(&int(1), &huge), int(1));
        assert_eq!(pow_big(&int(0), &huge), int(0));
        assert_eq!(int_pow_negative_exponent(&int(2), &int(-1)), Ok(0.5));
        assert_eq!(int_pow_negative_exponent(&int(10), &int(-400)), Ok(0.0));
        assert_eq!(
            int_pow_negative_exponent(&int(0), &int(-1)),
            err(MSG_ZERO_TO_NEGATIVE_POWER)
        );
        assert_eq!(
            int_pow_negative_exponent(&Pow::pow(int(10), 400u32), &int(-1)),
            err(MSG_INT_TOO_LARGE_FOR_FLOAT)
        );
    }

    #[test]
    fn modular_powers() {
        // (base, exponent, modulus, expected) from python3.
        let cases: &[(i64, i64, i64, i64)] = &[
            (2, 10, 1000, 24),
            (3, 2, -5, -1),
            (2, -1, 7, 4),
            (-3, -1, -7, -5),
            (0, -1, 1, 0),
            (5, 0, 1, 0),
            (0, 0, 5, 1),
            (2, 0, -3, -2),
            (-2, 3, 5, 2),
            (10, 0, 7, 1),
            (4, 3, -4, 0),
            (3, -2, 10, 9),
        ];
        for &(base, exponent, modulus, expected) in cases {
            assert_eq!(
                pow_mod(&int(base), &int(exponent), &int(modulus)),
                Ok(int(expected)),
                "pow({base}, {exponent}, {modulus})"
            );
        }
        assert_eq!(
            pow_mod(&int(2), &int(-1), &int(4)),
            Err(MSG_POW_BASE_NOT_INVERTIBLE.to_string())
        );
        assert_eq!(
            pow_mod(&int(0), &int(-1), &int(7)),
            Err(MSG_POW_BASE_NOT_INVERTIBLE.to_string())
        );
        assert_eq!(
            pow_mod(&int(2), &int(3), &int(0)),
            Err(MSG_POW_MODULUS_ZERO.to_string())
        );
        // python3: pow(3, 10**20, 10**9 + 7) == 139421235
        assert_eq!(
            pow_mod(&int(3), &big("100000000000000000000"), &int(1_000_000_007)),
            Ok(int(139_421_235))
        );
    }

    #[test]
    fn float_powers() {
        let inf = f64::INFINITY;
        let nan = f64::NAN;
        // (base, exponent, expected) from python3.
        let cases: &[(f64, f64, f64)] = &[
            (2.0, -1074.0, 5e-324),
            (0.5, 1075.0, 0.0),
            (-2.0, 3.0, -8.0),
            (-inf, 3.0, -inf),
            (-inf, -3.0, -0.0),
            (-inf, 2.0, inf),
            (-inf, -2.0, 0.0),
            (-0.0, 3.0, -0.0),
            (-0.0, 2.0, 0.0),
            (nan, 0.0, 1.0),
            (1.0, nan, 1.0),
            (nan, 1.0, nan),
            (2.0, nan, nan),
            (-1.0, inf, 1.0),
            (0.5, inf, 0.0),
            (0.5, -inf, inf),
            (2.0, -inf, 0.0),
            (2.0, inf, inf),
            (-1.0, 3.0, -1.0),
            (-1.0, 1e300, 1.0),
            (1.1, 10.0, 2.593_742_460_100_002_3),
            (2.0, 0.5, std::f64::consts::SQRT_2),
            (10.0, -400.0, 0.0),
            (0.0, 0.0, 1.0),
            (0.0, 2.5, 0.0),
        ];
        for &(base, exponent, expected) in cases {
            let context = format!("{base:?} ** {exponent:?}");
            assert_same_float(float_pow(base, exponent).unwrap(), expected, &context);
        }
        assert_eq!(float_pow(0.0, -1.0), err(MSG_ZERO_TO_NEGATIVE_POWER));
        assert_eq!(float_pow(-0.0, -2.0), err(MSG_ZERO_TO_NEGATIVE_POWER));
        // python3: 0.0 ** float('-inf') == inf (the infinite exponent wins).
        assert_eq!(float_pow(0.0, -inf), Ok(inf));
        assert_eq!(float_pow(-8.0, 1.0 / 3.0), err(FLOAT_POW_NEEDS_COMPLEX));
        assert_eq!(float_pow(-2.0, 0.5), err(FLOAT_POW_NEEDS_COMPLEX));
        assert_eq!(float_pow(10.0, 400.0), err(MSG_MATH_RANGE_ERROR));
        assert_eq!(float_pow(-10.0, 309.0), err(MSG_MATH_RANGE_ERROR));
        assert_eq!(float_pow(-0.5, -1075.0), err(MSG_MATH_RANGE_ERROR));
    }

    #[test]
    fn float_rounding_with_ndigits() {
        // (x, ndigits, expected) from python3.
        let cases: &[(f64, i64, f64)] = &[
            (2.675, 2, 2.67),
            (1234.5678, -2, 1200.0),
            (0.125, 2, 0.12),
            (0.375, 2, 0.38),
            (-0.0001, 2, -0.0),
            (-0.4, 0, -0.0),
            (0.5, 0, 0.0),
            (1.5, 0, 2.0),
            (2.5, 0, 2.0),
            (1e300, -299, 1e300),
            (5e-324, 323, 0.0),
            (5e-324, 400, 5e-324),
            (123.456, -400, 0.0),
            (-123.456, -309, -0.0),
            (1e22, -21, 1e22),
            (0.1, 20, 0.1),
            (2.5e-5, 5, 3e-5),
            (15.0, -1, 20.0),
            (25.0, -1, 20.0),
            (-35.0, -1, -40.0),
            (1.000_000_000_000_000_2, 15, 1.0),
            (1.000_000_000_000_000_2, 16, 1.000_000_000_000_000_2),
            (f64::INFINITY, 2, f64::INFINITY),
            (f64::NAN, -2, f64::NAN),
            (-0.0, 3, -0.0),
        ];
        for &(x, ndigits, expected) in cases {
            let context = format!("round({x:?}, {ndigits})");
            assert_same_float(float_round(x, Some(ndigits)).unwrap(), expected, &context);
        }
        assert_eq!(
            float_round(f64::MAX, Some(-308)),
            err(MSG_ROUNDED_VALUE_TOO_LARGE)
        );
        assert_eq!(
            float_round(f64::MAX, Some(-307)),
            err(MSG_ROUNDED_VALUE_TOO_LARGE)
        );
        assert_same_float(float_round(-2.5, None).unwrap(), -2.0, "round(-2.5)");
        assert_same_float(float_round(0.5, None).unwrap(), 0.0, "round(0.5)");
    }

    #[test]
    fn float_rounding_to_int() {
        let cases: &[(f64, i64)] = &[
            (0.5, 0),
            (1.5, 2),
            (2.5, 2),
            (-0.5, 0),
            (-2.5, -2),
            (3.5, 4),
            (-0.4, 0),
            (4_503_599_627_370_497.0, 4_503_599_627_370_497),
        ];
        for &(x, expected) in cases {
            assert_eq!(float_round_to_int(x), Ok(int(expected)), "round({x:?})");
        }
        assert_eq!(float_round_to_int(1e300), float_to_bigint(1e300));
        assert_eq!(
            float_round_to_int(f64::NAN),
            Err(MSG_FLOAT_NAN_TO_INT.to_string())
        );
        assert_eq!(
            float_round_to_int(f64::INFINITY),
            Err(MSG_FLOAT_INFINITY_TO_INT.to_string())
        );
    }

    #[test]
    fn int_rounding() {
        let cases: &[(i64, i64, i64)] = &[
            (1250, -2, 1200),
            (1350, -2, 1400),
            (-1250, -2, -1200),
            (-1251, -2, -1300),
            (15, -1, 20),
            (25, -1, 20),
            (5, -1, 0),
            (-5, -1, 0),
            (12345, 2, 12345),
            (123, -5, 0),
            (99, -2, 100),
            (50, -2, 0),
            (150, -2, 200),
            (-50, -2, 0),
            (0, -3, 0),
            // CPython would build 10**(10**12) here; the answer is still 0.
            (i64::MAX, -1_000_000_000_000, 0),
        ];
        for &(value, ndigits, expected) in cases {
            assert_eq!(
                int_round(&int(value), ndigits),
                int(expected),
                "round({value}, {ndigits})"
            );
        }
        assert_eq!(
            int_round(&big("1000000000000000000005000000000"), -10),
            big("1000000000000000000000000000000")
        );
        // python3: round(5 * 10**40, -41) == 0; round(6 * 10**40, -41) == 10**41
        assert_eq!(int_round(&(int(5) * Pow::pow(int(10), 40u32)), -41), int(0));
        assert_eq!(
            int_round(&(int(6) * Pow::pow(int(10), 40u32)), -41),
            Pow::pow(int(10), 41u32)
        );
    }

    #[test]
    fn integer_hashes() {
        let cases: &[(&str, i64)] = &[
            ("0", 0),
            ("1", 1),
            ("-1", -2),
            ("2305843009213693951", 0),
            ("2305843009213693952", 1),
            ("-2305843009213693952", -2),
            ("2305843009213693950", 2_305_843_009_213_693_950),
            ("-2305843009213693950", -2_305_843_009_213_693_950),
            ("9223372036854775808", 4),
            ("-9223372036854775808", -4),
            ("18446744073709551621", 13),
            ("-1000000000000000000000000000000", -465_258_685_558_744_706),
            (
                "10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
                910_685_213_754_167_845,
            ),
            ("1606938044258990275541962092341162602522202993782792835301375", 131_071),
        ];
        for &(text, expected) in cases {
            assert_eq!(hash_int(&big(text)), expected, "hash({text})");
            if let Ok(small) = text.parse::<i64>() {
                assert_eq!(hash_i64(small), expected, "hash_i64({text})");
            }
        }
        assert_eq!(hash_i64(i64::MIN), -4);
    }

    #[test]
    fn float_hashes() {
        let cases: &[(f64, i64)] = &[
            (0.0, 0),
            (-0.0, 0),
            (1.0, 1),
            (-1.0, -2),
            (0.5, 1_152_921_504_606_846_976),
            (-0.5, -1_152_921_504_606_846_976),
            (1.5, 1_152_921_504_606_846_977),
            (0.1, 230_584_300_921_369_408),
            (1e300, 1_224_995_262_755_759_164),
            (5e-324, 16_777_216),
            (f64::INFINITY, 314_159),
            (f64::NEG_INFINITY, -314_159),
            (2_305_843_009_213_693_952.0, 1),
            (4.336_808_689_942_018e-19, 1),
            (1.2345, 540_720_185_660_611_073),
            (-2.5e-310, -386_353_265_232_576_880),
            (1e-10, 2_124_533_198_426_632_172),
        ];
        for &(x, expected) in cases {
            assert_eq!(hash_float(x), expected, "hash({x:?})");
        }
        assert_eq!(hash_float(f64::NAN), 0);
        // Integral floats hash like the equal int.
        assert_eq!(hash_float(1e20), hash_int(&big("100000000000000000000")));
    }

    #[test]
    fn tuple_hashes() {
        let cases: &[(&[i64], i64)] = &[
            (&[], 5_740_354_900_026_072_187),
            (&[1], -6_644_214_454_873_602_895),
            (&[1, 2], -3_550_055_125_485_641_917),
            (&[-2], 8_078_679_518_589_016_365),
            (&[5_740_354_900_026_072_187], -5_486_347_211_504_344_842),
            (&[1, 2, 3], 529_344_067_295_497_451),
            (&[1_152_921_504_606_846_976, -2], 6_150_435_046_063_548_694),
            (&[2], 6_909_455_589_863_252_355),
        ];
        for &(items, expected) in cases {
            assert_eq!(
                hash_tuple(items),
                expected,
                "hash of tuple with item hashes {items:?}"
            );
        }
    }

    #[test]
    fn integer_ratios_and_is_integer() {
        let ratio = |x: f64| float_as_integer_ratio(x).map(|(n, d)| (n.to_string(), d.to_string()));
        let pair = |n: &str, d: &str| Ok((n.to_string(), d.to_string()));
        assert_eq!(ratio(0.0), pair("0", "1"));
        assert_eq!(ratio(-0.0), pair("0", "1"));
        assert_eq!(ratio(3.0), pair("3", "1"));
        assert_eq!(ratio(0.5), pair("1", "2"));
        assert_eq!(ratio(-0.1), pair("-3602879701896397", "36028797018963968"));
        assert_eq!(
            ratio(1.0 / 3.0),
            pair("6004799503160661", "18014398509481984")
        );
        let (n, d) = float_as_integer_ratio(5e-324).unwrap();
        assert_eq!((n, d), (int(1), int(1) << 1074u32));
        let (n, d) = float_as_integer_ratio(2.225_073_858_507_201e-308).unwrap();
        assert_eq!((n, d), (int(4_503_599_627_370_495), int(1) << 1074u32));
        let (n, d) = float_as_integer_ratio(f64::MAX).unwrap();
        assert_eq!((n, d), (((int(1) << 53u32) - 1) << 971u32, int(1)));
        assert_eq!(ratio(f64::INFINITY), Err(MSG_INFINITY_TO_RATIO.to_string()));
        assert_eq!(
            ratio(f64::NEG_INFINITY),
            Err(MSG_INFINITY_TO_RATIO.to_string())
        );
        assert_eq!(ratio(f64::NAN), Err(MSG_NAN_TO_RATIO.to_string()));

        for (x, expected) in [
            (0.0, true),
            (-0.0, true),
            (3.0, true),
            (1e300, true),
            (0.5, false),
            (5e-324, false),
            (f64::INFINITY, false),
            (f64::NAN, false),
        ] {
            assert_eq!(float_is_integer(x), expected, "{x:?}.is_integer()");
        }
    }

    #[test]
    fn hex_formatting() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0x0.0p+0"),
            (-0.0, "-0x0.0p+0"),
            (1.0, "0x1.0000000000000p+0"),
            (3.0, "0x1.8000000000000p+1"),
            (0.5, "0x1.0000000000000p-1"),
            (-0.1, "-0x1.999999999999ap-4"),
            (1e300, "0x1.7e43c8800759cp+996"),
            (5e-324, "0x0.0000000000001p-1022"),
            (2.225_073_858_507_201_4e-308, "0x1.0000000000000p-1022"),
            (2.225_073_858_507_201e-308, "0x0.fffffffffffffp-1022"),
            (f64::MAX, "0x1.fffffffffffffp+1023"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
            (1.0 / 3.0, "0x1.5555555555555p-2"),
        ];
        for &(x, expected) in cases {
            assert_eq!(float_hex(x), expected, "{x:?}.hex()");
            if x.is_finite() {
                assert_same_float(float_fromhex(expected).unwrap(), x, expected);
            }
        }
    }

    #[test]
    fn hex_parsing() {
        let long_zeros = format!("0x{}1p-4", "0".repeat(50));
        // (text, expected) from python3.
        let cases: &[(&str, f64)] = &[
            ("0x1.8p1", 3.0),
            ("  -0X1.8P+1  ", -3.0),
            ("1", 1.0),
            ("0", 0.0),
            (".8", 0.5),
            ("0x.8p1", 1.0),
            ("0x1.p1", 2.0),
            ("inf", f64::INFINITY),
            ("-Infinity", f64::NEG_INFINITY),
            ("nan", f64::NAN),
            ("0x1.00000000000008p0", 1.0),
            ("0x1.00000000000018p0", 1.000_000_000_000_000_4),
            ("0x1.000000000000080000000001p0", 1.000_000_000_000_000_2),
            ("0x0.00000000000008p-1022", 0.0),
            ("0x0.00000000000018p-1022", 1e-323),
            ("0x1p-1075", 0.0),
            ("0x1.0000000000001p-1075", 5e-324),
            ("0x1p-1076", 0.0),
            ("0x1.fffffffffffff7ffp1023", f64::MAX),
            ("0x0p99999999999999999999999", 0.0),
            ("0x1p-99999999999999999999", 0.0),
            ("-0x0p0", -0.0),
            (&long_zeros, 0.0625),
            ("0x1p-0000000000000000000000001", 0.5),
            ("ffp0", 255.0),
            ("0X1.FFFFFFFFFFFFFP+1023", f64::MAX),
            ("0x1.00000000000000000000000000000000000000000000001p0", 1.0),
        ];
        for &(text, expected) in cases {
            assert_same_float(float_fromhex(text).unwrap(), expected, text);
        }
        for text in [
            "0x",
            "0x.",
            "1p",
            "1p+",
            "infinit",
            "- inf",
            "\u{2003}1",
            "1\0",
            "0x_1",
            "0x1.8p1 x",
            "",
            " ",
            "0x1p1.5",
            "0xg",
            "--1",
        ] {
            assert_eq!(float_fromhex(text), err(MSG_INVALID_HEX_FLOAT), "{text:?}");
        }
        for text in [
            "0x1.fffffffffffff8p1023",
            "0x1p1024",
            "0x1p99999999999999999999",
        ] {
            assert_eq!(
                float_fromhex(text),
                err(MSG_HEX_FLOAT_TOO_LARGE),
                "{text:?}"
            );
        }
    }

    #[test]
    fn bit_length_and_count() {
        assert_eq!(int_bit_length(&int(0)), 0);
        assert_eq!(int_bit_length(&int(-1)), 1);
        assert_eq!(int_bit_length(&int(255)), 8);
        assert_eq!(int_bit_length(&int(-256)), 9);
        assert_eq!(int_bit_length(&(int(1) << 1000u32)), 1001);
        assert_eq!(int_bit_count(&int(0)), 0);
        assert_eq!(int_bit_count(&int(-255)), 8);
        assert_eq!(int_bit_count(&((int(1) << 200u32) - 1)), 200);
    }

    #[test]
    fn bytes_conversions() {
        let be = |v: i64, n: usize, signed: bool| int_to_bytes(&int(v), n, false, signed);
        let too_big = Err(MSG_INT_TOO_BIG_TO_CONVERT.to_string());
        // From python3 `v.to_bytes(n, 'big', signed=True)`.
        assert_eq!(be(-1, 0, true), Ok(vec![]));
        assert_eq!(be(-1, 2, true), Ok(vec![0xff, 0xff]));
        assert_eq!(be(-2, 0, true), too_big);
        assert_eq!(be(-2, 1, true), Ok(vec![0xfe]));
        assert_eq!(be(-128, 1, true), Ok(vec![0x80]));
        assert_eq!(be(-128, 2, true), Ok(vec![0xff, 0x80]));
        assert_eq!(be(-129, 1, true), too_big);
        assert_eq!(be(-129, 2, true), Ok(vec![0xff, 0x7f]));
        assert_eq!(be(0, 0, true), Ok(vec![]));
        assert_eq!(be(0, 2, false), Ok(vec![0, 0]));
        assert_eq!(be(127, 0, true), too_big);
        assert_eq!(be(127, 1, true), Ok(vec![0x7f]));
        assert_eq!(be(128, 1, true), too_big);
        assert_eq!(be(128, 1, false), Ok(vec![0x80]));
        assert_eq!(be(255, 2, true), Ok(vec![0x00, 0xff]));
        assert_eq!(be(256, 1, false), too_big);
        assert_eq!(be(-1_073_741_824, 4, true), Ok(vec![0xc0, 0, 0, 0]));
        assert_eq!(be(-1_073_741_824, 2, true), too_big);
        assert_eq!(
            be(-1, 2, false),
            Err(MSG_NEGATIVE_INT_TO_UNSIGNED.to_string())
        );
        assert_eq!(
            be(-1, 0, false),
            Err(MSG_NEGATIVE_INT_TO_UNSIGNED.to_string())
        );
        assert_eq!(
            int_to_bytes(&int(0x1234), 3, true, false),
            Ok(vec![0x34, 0x12, 0])
        );
        assert_eq!(
            int_to_bytes(&int(-2), 3, true, true),
            Ok(vec![0xfe, 0xff, 0xff])
        );
        assert_eq!(int_to_bytes(&(int(1) << 2000u32), 2, false, false), too_big);

        assert_eq!(int_from_bytes(&[], false, true), int(0));
        assert_eq!(int_from_bytes(&[0xff, 0x7f], false, true), int(-129));
        assert_eq!(int_from_bytes(&[0xff, 0x7f], true, true), int(0x7fff));
        assert_eq!(int_from_bytes(&[0xff, 0x7f], false, false), int(0xff7f));
        assert_eq!(int_from_bytes(&[0x80], true, true), int(-128));
        assert_eq!(int_from_bytes(&[0x00, 0x01], true, false), int(256));
        // Round trip of a large negative value.
        let value = -(int(1) << 100u32) + 12345;
        let bytes = int_to_bytes(&value, 20, false, true).unwrap();
        assert_eq!(int_from_bytes(&bytes, false, true), value);
    }
}
