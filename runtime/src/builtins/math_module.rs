//! The `math` module (<https://docs.python.org/3.11/library/math.html>):
//! constants, the float functions with CPython's domain and range errors
//! ("math domain error" as ValueError, "math range error" as
//! OverflowError), the exact integer functions (`factorial`, `gcd`, `lcm`,
//! `isqrt`, `comb`, `perm`), exact summation (`fsum`), `prod`, `isclose`
//! and the float decompositions (`frexp`, `ldexp`, `modf`).
//!
//! Special functions Rust's standard library lacks (`erf`, `erfc`, `gamma`,
//! `lgamma`) are computed here: series and continued fractions for `erf`,
//! the Lanczos approximation for `gamma`, exact factorials for small
//! integral arguments.

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

use crate::builtins::args::{self, arity};
use crate::builtins::{native_function, new_module};
use crate::bytecode::opcodes::BinaryOp;
use crate::engine::ops::{self, kind_of};
use crate::engine::Vm;
use crate::objects::{NativeFn, ObjKind};
use crate::value::Value;
use crate::PyResult;

type Kwargs<'a> = &'a [(Value, Value)];

const DOMAIN_ERROR: &str = "math domain error";
const RANGE_ERROR: &str = "math range error";

fn domain_error<T>(vm: &mut Vm) -> PyResult<T> {
    vm.err_value(DOMAIN_ERROR)
}

fn range_error<T>(vm: &mut Vm) -> PyResult<T> {
    Err(vm.overflow_error(RANGE_ERROR))
}

/// Exactly one positional argument, CPython's `METH_O` wording.
fn single(vm: &mut Vm, name: &str, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    args::no_kwargs(vm, name, kwargs)?;
    arity(vm, name, args, 1, 1)?;
    Ok(args[0])
}

/// Exactly two positional arguments.
fn pair(vm: &mut Vm, name: &str, args: &[Value], kwargs: Kwargs) -> PyResult<(Value, Value)> {
    args::no_kwargs(vm, name, kwargs)?;
    if args.len() != 2 {
        return vm.err_type(format!("{name} expected 2 arguments, got {}", args.len()));
    }
    Ok((args[0], args[1]))
}

fn float_arg(vm: &mut Vm, value: Value) -> PyResult<f64> {
    ops::float_value(vm, value)
}

/// CPython's `math_1`: NaN from a non-NaN argument is a domain error; an
/// infinite result from a finite argument is a range error when the
/// function can overflow and a domain error (a pole) otherwise.
fn checked_unary(vm: &mut Vm, x: f64, result: f64, can_overflow: bool) -> PyResult<Value> {
    if result.is_nan() && !x.is_nan() {
        return domain_error(vm);
    }
    if result.is_infinite() && x.is_finite() {
        return if can_overflow {
            range_error(vm)
        } else {
            domain_error(vm)
        };
    }
    Ok(Value::float(result))
}

/// The int value of an integer argument (`__index__` honoured; floats
/// rejected).
fn integer_arg(vm: &mut Vm, value: Value) -> PyResult<BigInt> {
    let index = ops::index_value(vm, value)?;
    match args::int_value(index) {
        Some(n) => Ok(n),
        None => {
            let type_name = vm.type_name(index);
            vm.err_type(format!("__index__ returned non-int (type {type_name})"))
        }
    }
}

// ---- float helpers -------------------------------------------------------------------------------

/// `frexp`: `x == mantissa * 2**exponent` with `0.5 <= |mantissa| < 1`.
pub fn frexp(x: f64) -> (f64, i32) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    let bits = x.to_bits();
    let raw_exponent = ((bits >> 52) & 0x7FF) as i32;
    if raw_exponent == 0 {
        // Subnormal: scale into the normal range first.
        let (mantissa, exponent) = frexp(x * 2f64.powi(64));
        return (mantissa, exponent - 64);
    }
    let mantissa_bits = (bits & !(0x7FF << 52)) | (1022 << 52);
    (f64::from_bits(mantissa_bits), raw_exponent - 1022)
}

/// `2**exponent` for an exponent within the normal range.
fn power_of_two(exponent: i32) -> f64 {
    debug_assert!((-1022..=1023).contains(&exponent));
    f64::from_bits(((exponent + 1023) as u64) << 52)
}

/// `ldexp(x, exponent)`, correctly rounded; `None` on overflow.
pub fn ldexp(x: f64, exponent: i64) -> Option<f64> {
    if x == 0.0 || !x.is_finite() {
        return Some(x);
    }
    let (mantissa, own_exponent) = frexp(x);
    let target = i64::from(own_exponent).saturating_add(exponent);
    if target > 1024 {
        return None;
    }
    if target < -1100 {
        return Some(0.0f64.copysign(x));
    }
    let target = target as i32;
    if target >= -1021 {
        // mantissa * 2**target is exact: split the power to stay in range.
        let half = target / 2;
        return Some(mantissa * power_of_two(half) * power_of_two(target - half));
    }
    // Subnormal result: one exact scaling, then one correctly rounded one.
    let scaled = mantissa * power_of_two(target + 1074 - 60) * power_of_two(60);
    Some(scaled * f64::from_bits(1))
}

/// The next float after `x` towards `y`.
fn next_after(x: f64, y: f64) -> f64 {
    if x.is_nan() || y.is_nan() {
        return x + y;
    }
    if x == y {
        return y;
    }
    if x == 0.0 {
        return f64::from_bits(1).copysign(y);
    }
    let bits = x.to_bits();
    let away_from_zero = (y > x) == (x > 0.0);
    f64::from_bits(if away_from_zero { bits + 1 } else { bits - 1 })
}

/// `ulp(x)`: the value of the least significant bit of `x`.
fn unit_in_last_place(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    let x = x.abs();
    if x.is_infinite() {
        return x;
    }
    if x == f64::MAX {
        return x - next_after(x, 0.0);
    }
    next_after(x, f64::INFINITY) - x
}

// ---- special functions -----------------------------------------------------------------------------

const SQRT_PI: f64 = 1.772_453_850_905_516;

/// `erf` by its Taylor series, for small arguments.
fn erf_series(x: f64) -> f64 {
    let squared = x * x;
    let mut term = x;
    let mut sum = x;
    for n in 1..200 {
        term *= -squared / n as f64;
        let contribution = term / (2 * n + 1) as f64;
        sum += contribution;
        if contribution.abs() < sum.abs() * 1e-17 {
            break;
        }
    }
    2.0 / SQRT_PI * sum
}

/// `erfc` by its continued fraction, for larger positive arguments.
fn erfc_continued_fraction(x: f64) -> f64 {
    if x > 27.0 {
        return 0.0;
    }
    // erfc(x) = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))
    let mut tail = x;
    for k in (1..=120).rev() {
        tail = x + (k as f64 / 2.0) / tail;
    }
    (-x * x).exp() / SQRT_PI / tail
}

fn erf(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x.abs() < 1.5 {
        erf_series(x)
    } else {
        let complement = erfc_continued_fraction(x.abs());
        (1.0 - complement).copysign(x)
    }
}

fn erfc(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x.abs() < 1.5 {
        1.0 - erf_series(x)
    } else if x > 0.0 {
        erfc_continued_fraction(x)
    } else {
        2.0 - erfc_continued_fraction(-x)
    }
}

/// Lanczos approximation coefficients (g = 7, n = 9).
const LANCZOS_G: f64 = 7.0;
const LANCZOS_COEFFICIENTS: [f64; 9] = [
    0.999_999_999_999_809_9,
    676.520_368_121_885_1,
    -1_259.139_216_722_402_8,
    771.323_428_777_653_1,
    -176.615_029_162_140_6,
    12.507_343_278_686_905,
    -0.138_571_095_265_720_12,
    9.984_369_578_019_572e-6,
    1.505_632_735_149_311_6e-7,
];

/// Γ(x) for x ≥ 0.5 by the Lanczos approximation.
fn lanczos_gamma(x: f64) -> f64 {
    let shifted = x - 1.0;
    let mut sum = LANCZOS_COEFFICIENTS[0];
    for (index, coefficient) in LANCZOS_COEFFICIENTS.iter().enumerate().skip(1) {
        sum += coefficient / (shifted + index as f64);
    }
    let t = shifted + LANCZOS_G + 0.5;
    // t^(x-0.5) split in two to delay overflow.
    let power = t.powf((shifted + 0.5) / 2.0);
    (2.0 * std::f64::consts::PI).sqrt() * power * (power * (-t).exp()) * sum
}

/// Γ(x); `Err(true)` for a pole or domain error, `Err(false)` for overflow.
fn gamma(x: f64) -> Result<f64, bool> {
    if x.is_nan() {
        return Ok(x);
    }
    if x.is_infinite() {
        return if x > 0.0 { Ok(x) } else { Err(true) };
    }
    if x == 0.0 || (x < 0.0 && x == x.floor()) {
        return Err(true);
    }
    if x == x.floor() && x <= 23.0 {
        // Exact for small integers: (x-1)!.
        let mut product = 1.0f64;
        for factor in 2..(x as u32) {
            product *= factor as f64;
        }
        return Ok(product);
    }
    let result = if x < 0.5 {
        // Reflection: Γ(x)Γ(1-x) = π / sin(πx).
        std::f64::consts::PI / ((std::f64::consts::PI * x).sin() * lanczos_gamma(1.0 - x))
    } else if x > 171.7 {
        return Err(false);
    } else {
        lanczos_gamma(x)
    };
    if result.is_infinite() {
        Err(false)
    } else {
        Ok(result)
    }
}

/// ln|Γ(x)|; `Err` at the poles.
fn lgamma(x: f64) -> Result<f64, ()> {
    if x.is_nan() {
        return Ok(x);
    }
    if x.is_infinite() {
        return Ok(f64::INFINITY);
    }
    if x == 1.0 || x == 2.0 {
        return Ok(0.0);
    }
    if x <= 0.0 && x == x.floor() {
        return Err(());
    }
    if x < 0.5 {
        let reflected = lgamma(1.0 - x)?;
        let sine = (std::f64::consts::PI * x).sin().abs();
        return Ok(std::f64::consts::PI.ln() - sine.ln() - reflected);
    }
    if x < 100.0 {
        if let Ok(value) = gamma(x) {
            return Ok(value.abs().ln());
        }
    }
    // Lanczos in log form for large arguments.
    let shifted = x - 1.0;
    let mut sum = LANCZOS_COEFFICIENTS[0];
    for (index, coefficient) in LANCZOS_COEFFICIENTS.iter().enumerate().skip(1) {
        sum += coefficient / (shifted + index as f64);
    }
    let t = shifted + LANCZOS_G + 0.5;
    Ok(0.5 * (2.0 * std::f64::consts::PI).ln() + (shifted + 0.5) * t.ln() - t + sum.ln())
}

// ---- functions ------------------------------------------------------------------------------------

/// Defines math functions of one float argument: `name => (function,
/// can_overflow)`.
macro_rules! unary_functions {
    ($($function:ident $name:literal => $compute:expr, $can_overflow:expr;)*) => {
        $(
            fn $function(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
                let value = single(vm, $name, args, kwargs)?;
                let x = float_arg(vm, value)?;
                let compute: fn(f64) -> f64 = $compute;
                checked_unary(vm, x, compute(x), $can_overflow)
            }
        )*
        const UNARY_FUNCTIONS: &[(&str, NativeFn)] = &[$(($name, $function as NativeFn)),*];
    };
}

unary_functions! {
    math_sqrt "sqrt" => f64::sqrt, false;
    math_cbrt "cbrt" => f64::cbrt, false;
    math_exp "exp" => f64::exp, true;
    math_exp2 "exp2" => f64::exp2, true;
    math_expm1 "expm1" => f64::exp_m1, true;
    math_log1p "log1p" => |x| if x == -1.0 { f64::NEG_INFINITY } else { x.ln_1p() }, false;
    math_sin "sin" => f64::sin, false;
    math_cos "cos" => f64::cos, false;
    math_tan "tan" => f64::tan, false;
    math_asin "asin" => f64::asin, false;
    math_acos "acos" => f64::acos, false;
    math_atan "atan" => f64::atan, false;
    math_sinh "sinh" => f64::sinh, true;
    math_cosh "cosh" => f64::cosh, true;
    math_tanh "tanh" => f64::tanh, false;
    math_asinh "asinh" => f64::asinh, false;
    math_acosh "acosh" => f64::acosh, false;
    math_atanh "atanh" => |x| if x.abs() == 1.0 { f64::INFINITY.copysign(x) } else { x.atanh() }, false;
    math_fabs "fabs" => f64::abs, false;
    math_erf "erf" => erf, false;
    math_erfc "erfc" => erfc, false;
    math_degrees "degrees" => f64::to_degrees, true;
    math_radians "radians" => f64::to_radians, false;
}

/// A float's integral part as an int (floor/ceil/trunc of a float), with
/// the conversion errors of `int(x)`.
fn float_to_int(vm: &mut Vm, x: f64) -> PyResult<Value> {
    match crate::numeric::float_to_bigint(x) {
        Ok(n) => Ok(vm.new_bigint(n)),
        Err(message) if x.is_nan() => vm.err_value(message),
        Err(message) => Err(vm.overflow_error(message)),
    }
}

/// `floor`/`ceil`: exact floats directly, else the special method, else
/// `float(x)` rounded.
fn rounding_function(
    vm: &mut Vm,
    value: Value,
    method: &str,
    round: fn(f64) -> f64,
) -> PyResult<Value> {
    if let Some(x) = value.as_float() {
        return float_to_int(vm, round(x));
    }
    if let Some(result) = ops::call_special(vm, value, method, &[])? {
        return Ok(result);
    }
    let x = float_arg(vm, value)?;
    float_to_int(vm, round(x))
}

fn math_floor(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let value = single(vm, "floor", args, kwargs)?;
    rounding_function(vm, value, "__floor__", f64::floor)
}

fn math_ceil(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let value = single(vm, "ceil", args, kwargs)?;
    rounding_function(vm, value, "__ceil__", f64::ceil)
}

fn math_trunc(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let value = single(vm, "trunc", args, kwargs)?;
    if let Some(x) = value.as_float() {
        return float_to_int(vm, x.trunc());
    }
    match ops::call_special(vm, value, "__trunc__", &[])? {
        Some(result) => Ok(result),
        None => {
            let type_name = vm.type_name(value);
            vm.err_type(format!("type {type_name} doesn't define __trunc__ method"))
        }
    }
}

fn predicate(
    vm: &mut Vm,
    name: &str,
    args: &[Value],
    kwargs: Kwargs,
    test: fn(f64) -> bool,
) -> PyResult<Value> {
    let value = single(vm, name, args, kwargs)?;
    let x = float_arg(vm, value)?;
    Ok(Value::bool(test(x)))
}

/// `log(x)` of any real, big ints included (they may not fit a float):
/// `func` is `ln`, `log2` or `log10`.
fn log_of(vm: &mut Vm, value: Value, func: fn(f64) -> f64) -> PyResult<f64> {
    if let Some(n) = args::int_value(value) {
        if !n.is_positive() {
            return domain_error(vm);
        }
        return Ok(match crate::numeric::big_to_f64(&n) {
            Ok(x) => func(x),
            Err(_) => {
                // n = x * 2**shift with x a float of full precision.
                let shift = n.bits() - 64;
                let top = (&n >> shift).to_f64().unwrap_or(f64::MAX);
                func(top) + func(2.0) * shift as f64
            }
        });
    }
    let x = float_arg(vm, value)?;
    if x.is_nan() {
        return Ok(x);
    }
    if x <= 0.0 {
        return domain_error(vm);
    }
    Ok(func(x))
}

fn math_log(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    args::no_kwargs(vm, "log", kwargs)?;
    arity(vm, "log", args, 1, 2)?;
    let numerator = log_of(vm, args[0], f64::ln)?;
    let Some(&base) = args.get(1) else {
        return Ok(Value::float(numerator));
    };
    let denominator = log_of(vm, base, f64::ln)?;
    if denominator == 0.0 {
        return Err(vm.zero_division_error("float division by zero"));
    }
    Ok(Value::float(numerator / denominator))
}

fn math_log2(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let value = single(vm, "log2", args, kwargs)?;
    Ok(Value::float(log_of(vm, value, f64::log2)?))
}

fn math_log10(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let value = single(vm, "log10", args, kwargs)?;
    Ok(Value::float(log_of(vm, value, f64::log10)?))
}

fn math_pow(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let (base, exponent) = pair(vm, "pow", args, kwargs)?;
    let (x, y) = (float_arg(vm, base)?, float_arg(vm, exponent)?);
    let result = if x.is_finite() && y.is_finite() {
        if x == 0.0 && y < 0.0 {
            return domain_error(vm);
        }
        if x < 0.0 && y != y.floor() {
            return domain_error(vm);
        }
        x.powf(y)
    } else if x == 1.0 || y == 0.0 {
        1.0
    } else {
        x.powf(y)
    };
    if result.is_infinite() && x.is_finite() && y.is_finite() {
        return range_error(vm);
    }
    Ok(Value::float(result))
}

fn math_atan2(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let (y, x) = pair(vm, "atan2", args, kwargs)?;
    let (y, x) = (float_arg(vm, y)?, float_arg(vm, x)?);
    Ok(Value::float(y.atan2(x)))
}

fn math_copysign(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let (x, y) = pair(vm, "copysign", args, kwargs)?;
    let (x, y) = (float_arg(vm, x)?, float_arg(vm, y)?);
    Ok(Value::float(x.copysign(y)))
}

fn math_fmod(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let (x, y) = pair(vm, "fmod", args, kwargs)?;
    let (x, y) = (float_arg(vm, x)?, float_arg(vm, y)?);
    if y.is_infinite() && x.is_finite() {
        return Ok(Value::float(x));
    }
    let result = x % y;
    if result.is_nan() && !x.is_nan() && !y.is_nan() {
        return domain_error(vm);
    }
    Ok(Value::float(result))
}

fn math_remainder(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let (x, y) = pair(vm, "remainder", args, kwargs)?;
    let (x, y) = (float_arg(vm, x)?, float_arg(vm, y)?);
    match remainder(x, y) {
        Some(result) => Ok(Value::float(result)),
        None => domain_error(vm),
    }
}

/// IEEE remainder with the sign conventions of C's `remainder`.
fn remainder(x: f64, y: f64) -> Option<f64> {
    if x.is_nan() || y.is_nan() {
        return Some(x + y);
    }
    if x.is_infinite() || y == 0.0 {
        return None;
    }
    if y.is_infinite() {
        return Some(x);
    }
    let (absolute_x, absolute_y) = (x.abs(), y.abs());
    let modulus = absolute_x % absolute_y;
    let complement = absolute_y - modulus;
    let magnitude = if modulus < complement {
        modulus
    } else if modulus > complement {
        -complement
    } else {
        modulus - 2.0 * ((0.5 * (absolute_x - modulus)) % absolute_y)
    };
    Some(if x < 0.0 { -magnitude } else { magnitude })
}

fn math_hypot(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    args::no_kwargs(vm, "hypot", kwargs)?;
    let mut coordinates = Vec::with_capacity(args.len());
    for arg in args {
        coordinates.push(float_arg(vm, *arg)?);
    }
    Ok(Value::float(vector_norm(&coordinates)))
}

/// Euclidean norm; infinities win over NaNs, as in CPython.
fn vector_norm(coordinates: &[f64]) -> f64 {
    if coordinates.iter().any(|x| x.is_infinite()) {
        return f64::INFINITY;
    }
    if coordinates.iter().any(|x| x.is_nan()) {
        return f64::NAN;
    }
    coordinates.iter().fold(0.0f64, |total, x| total.hypot(*x))
}

fn math_dist(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let (p, q) = pair(vm, "dist", args, kwargs)?;
    let is_sequence =
        |value: Value| matches!(kind_of(value), Some(ObjKind::Tuple(_) | ObjKind::List(_)));
    if !is_sequence(p) || !is_sequence(q) {
        return vm.err_type("dist(): both points must be sequences");
    }
    let (p, q) = (ops::collect(vm, p)?, ops::collect(vm, q)?);
    if p.len() != q.len() {
        return vm.err_value("both points must have the same number of dimensions");
    }
    let mut differences = Vec::with_capacity(p.len());
    for (a, b) in p.iter().zip(q.iter()) {
        differences.push(float_arg(vm, *a)? - float_arg(vm, *b)?);
    }
    Ok(Value::float(vector_norm(&differences)))
}

fn math_nextafter(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let (x, y) = pair(vm, "nextafter", args, kwargs)?;
    let (x, y) = (float_arg(vm, x)?, float_arg(vm, y)?);
    Ok(Value::float(next_after(x, y)))
}

fn math_ulp(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let value = single(vm, "ulp", args, kwargs)?;
    let x = float_arg(vm, value)?;
    Ok(Value::float(unit_in_last_place(x)))
}

fn math_frexp(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let value = single(vm, "frexp", args, kwargs)?;
    let x = float_arg(vm, value)?;
    let (mantissa, exponent) = frexp(x);
    let exponent = vm.new_int(i64::from(exponent));
    Ok(vm.new_tuple(vec![Value::float(mantissa), exponent]))
}

fn math_ldexp(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let (x, exponent) = pair(vm, "ldexp", args, kwargs)?;
    let x = float_arg(vm, x)?;
    if exponent.is_float() || matches!(kind_of(exponent), Some(ObjKind::Float(_))) {
        return vm.err_type("Expected an int as second argument to ldexp.");
    }
    let exponent = integer_arg(vm, exponent)?;
    let exponent = exponent.to_i64().unwrap_or(if exponent.is_negative() {
        i64::MIN
    } else {
        i64::MAX
    });
    match ldexp(x, exponent) {
        Some(result) => Ok(Value::float(result)),
        None => range_error(vm),
    }
}

fn math_modf(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let value = single(vm, "modf", args, kwargs)?;
    let x = float_arg(vm, value)?;
    let (fraction, whole) = if x.is_infinite() {
        (0.0f64.copysign(x), x)
    } else {
        let whole = x.trunc();
        ((x - whole).copysign(x), whole)
    };
    Ok(vm.new_tuple(vec![Value::float(fraction), Value::float(whole)]))
}

fn math_gamma(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let value = single(vm, "gamma", args, kwargs)?;
    let x = float_arg(vm, value)?;
    match gamma(x) {
        Ok(result) => Ok(Value::float(result)),
        Err(true) => domain_error(vm),
        Err(false) => range_error(vm),
    }
}

fn math_lgamma(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let value = single(vm, "lgamma", args, kwargs)?;
    let x = float_arg(vm, value)?;
    match lgamma(x) {
        Ok(result) if result.is_infinite() && x.is_finite() => range_error(vm),
        Ok(result) => Ok(Value::float(result)),
        Err(()) => domain_error(vm),
    }
}

/// `fsum(iterable)`: the correctly rounded sum (Shewchuk's partials).
fn math_fsum(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let iterable = single(vm, "fsum", args, kwargs)?;
    let iterator = ops::iter(vm, iterable)?;
    let mut partials: Vec<f64> = Vec::new();
    let mut special_sum = 0.0f64;
    let mut infinity_sum = 0.0f64;
    while let Some(item) = ops::next(vm, iterator)? {
        let original = float_arg(vm, item)?;
        let mut x = original;
        let mut kept = 0;
        for index in 0..partials.len() {
            let mut y = partials[index];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let high = x + y;
            let low = y - (high - x);
            if low != 0.0 {
                partials[kept] = low;
                kept += 1;
            }
            x = high;
        }
        partials.truncate(kept);
        if x != 0.0 {
            if !x.is_finite() {
                if original.is_finite() {
                    return Err(vm.overflow_error("intermediate overflow in fsum"));
                }
                if original.is_infinite() {
                    infinity_sum += original;
                }
                special_sum += original;
                partials.clear();
            } else {
                partials.push(x);
            }
        }
    }
    if special_sum != 0.0 {
        if infinity_sum.is_nan() {
            return vm.err_value("-inf + inf in fsum");
        }
        return Ok(Value::float(special_sum));
    }
    Ok(Value::float(round_partials(&partials)))
}

/// Adds the non-overlapping partials from the top, rounding half-even
/// across partials.
fn round_partials(partials: &[f64]) -> f64 {
    let mut remaining = partials.len();
    if remaining == 0 {
        return 0.0;
    }
    remaining -= 1;
    let mut high = partials[remaining];
    let mut low = 0.0;
    while remaining > 0 {
        let x = high;
        remaining -= 1;
        let y = partials[remaining];
        high = x + y;
        let rounded_y = high - x;
        low = y - rounded_y;
        if low != 0.0 {
            break;
        }
    }
    if remaining > 0 {
        let next = partials[remaining - 1];
        if (low < 0.0 && next < 0.0) || (low > 0.0 && next > 0.0) {
            let y = low * 2.0;
            let x = high + y;
            if y == x - high {
                high = x;
            }
        }
    }
    high
}

/// `prod(iterable, *, start=1)`.
fn math_prod(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    arity(vm, "prod", args, 1, 1)?;
    let mut product = Value::small_int_unchecked(1);
    for (key, value) in kwargs {
        match crate::engine::str_of(*key) {
            Some("start") => product = *value,
            Some(other) => {
                return vm.err_type(format!(
                    "prod() got an unexpected keyword argument '{other}'"
                ))
            }
            None => {}
        }
    }
    let iterator = ops::iter(vm, args[0])?;
    while let Some(item) = ops::next(vm, iterator)? {
        product = ops::binary_op(vm, product, item, BinaryOp::Multiply, false)?;
    }
    Ok(product)
}

/// `isclose(a, b, *, rel_tol=1e-09, abs_tol=0.0)`.
fn math_isclose(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    if args.len() > 2 {
        return vm.err_type(format!(
            "isclose() takes exactly 2 positional arguments ({} given)",
            args.len()
        ));
    }
    let bound = args::bind(
        vm,
        "isclose",
        args,
        kwargs,
        &["a", "b", "rel_tol", "abs_tol"],
        2,
    )?;
    let a = float_arg(vm, bound[0])?;
    let b = float_arg(vm, bound[1])?;
    let relative = match args::given(bound[2]) {
        Some(value) => float_arg(vm, value)?,
        None => 1e-9,
    };
    let absolute = match args::given(bound[3]) {
        Some(value) => float_arg(vm, value)?,
        None => 0.0,
    };
    if relative < 0.0 || absolute < 0.0 {
        return vm.err_value("tolerances must be non-negative");
    }
    if a == b {
        return Ok(Value::TRUE);
    }
    if a.is_infinite() || b.is_infinite() {
        return Ok(Value::FALSE);
    }
    let difference = (b - a).abs();
    Ok(Value::bool(
        difference <= (relative * b).abs()
            || difference <= (relative * a).abs()
            || difference <= absolute,
    ))
}

// ---- integer functions --------------------------------------------------------------------------

/// The largest argument `factorial` accepts before CPython's OverflowError.
const FACTORIAL_LIMIT: i64 = i64::MAX;

fn factorial(n: u64) -> BigInt {
    // Binary splitting keeps the multiplications balanced.
    fn product(low: u64, high: u64) -> BigInt {
        if high - low < 16 {
            let mut result = BigInt::one();
            for factor in low..=high {
                result *= factor;
            }
            return result;
        }
        let middle = low + (high - low) / 2;
        product(low, middle) * product(middle + 1, high)
    }
    if n < 2 {
        return BigInt::one();
    }
    product(2, n)
}

fn math_factorial(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let value = single(vm, "factorial", args, kwargs)?;
    let n = integer_arg(vm, value)?;
    if n.is_negative() {
        return vm.err_value("factorial() not defined for negative values");
    }
    let Some(n) = n.to_i64() else {
        return Err(vm.overflow_error(format!(
            "factorial() argument should not exceed {FACTORIAL_LIMIT}"
        )));
    };
    let result = factorial(n as u64);
    Ok(vm.new_bigint(result))
}

fn math_gcd(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    args::no_kwargs(vm, "gcd", kwargs)?;
    let mut result = BigInt::zero();
    for arg in args {
        let n = integer_arg(vm, *arg)?;
        result = result.gcd(&n);
    }
    Ok(vm.new_bigint(result))
}

fn math_lcm(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    args::no_kwargs(vm, "lcm", kwargs)?;
    let mut result = BigInt::one();
    for arg in args {
        let n = integer_arg(vm, *arg)?;
        result = if result.is_zero() || n.is_zero() {
            BigInt::zero()
        } else {
            result.lcm(&n)
        };
    }
    Ok(vm.new_bigint(result))
}

fn math_isqrt(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let value = single(vm, "isqrt", args, kwargs)?;
    let n = integer_arg(vm, value)?;
    if n.is_negative() {
        return vm.err_value("isqrt() argument must be nonnegative");
    }
    Ok(vm.new_bigint(n.sqrt()))
}

/// `n` and `k` of `comb`/`perm`, checked non-negative.
fn combinatoric_arguments(vm: &mut Vm, n: Value, k: Value) -> PyResult<(BigInt, BigInt)> {
    let n = integer_arg(vm, n)?;
    let k = integer_arg(vm, k)?;
    if n.is_negative() {
        return vm.err_value("n must be a non-negative integer");
    }
    if k.is_negative() {
        return vm.err_value("k must be a non-negative integer");
    }
    Ok((n, k))
}

/// n·(n-1)·…·(n-k+1) / (divide ? k! : 1).
fn falling_product(n: &BigInt, k: u64, divide: bool) -> BigInt {
    let mut result = BigInt::one();
    for index in 0..k {
        result *= n - BigInt::from(index);
        if divide {
            result /= BigInt::from(index + 1);
        }
    }
    result
}

fn math_comb(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let (n, k) = pair(vm, "comb", args, kwargs)?;
    let (n, k) = combinatoric_arguments(vm, n, k)?;
    if k > n {
        return Ok(Value::small_int_unchecked(0));
    }
    let k = std::cmp::min(k.clone(), &n - &k);
    let Some(k) = k.to_u64() else {
        return Err(vm.overflow_error(format!("min(n - k, k) must not exceed {}", i64::MAX)));
    };
    let result = falling_product(&n, k, true);
    Ok(vm.new_bigint(result))
}

fn math_perm(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    args::no_kwargs(vm, "perm", kwargs)?;
    arity(vm, "perm", args, 1, 2)?;
    let k = match args.get(1).copied().filter(|k| !k.is_none()) {
        Some(k) => k,
        None => args[0],
    };
    let (n, k) = combinatoric_arguments(vm, args[0], k)?;
    if k > n {
        return Ok(Value::small_int_unchecked(0));
    }
    let Some(k) = k.to_u64() else {
        return Err(vm.overflow_error(format!("k must not exceed {}", i64::MAX)));
    };
    let result = falling_product(&n, k, false);
    Ok(vm.new_bigint(result))
}

// ---- the module ------------------------------------------------------------------------------------

fn set(vm: &mut Vm, module: Value, name: &str, value: Value) {
    let key = vm.intern(name);
    let dict = module.as_obj().expect("module").dict();
    ops::dict_set_str(vm, dict, key, value);
}

fn function(vm: &mut Vm, module: Value, name: &'static str, body: NativeFn) {
    let value = native_function(vm, name, body, Value::NULL);
    set(vm, module, name, value);
}

/// Creates the `math` module.
pub fn make(vm: &mut Vm) -> Value {
    let module = new_module(vm, "math");
    set(vm, module, "pi", Value::float(std::f64::consts::PI));
    set(vm, module, "e", Value::float(std::f64::consts::E));
    set(vm, module, "tau", Value::float(std::f64::consts::TAU));
    set(vm, module, "inf", Value::float(f64::INFINITY));
    set(vm, module, "nan", Value::float(f64::NAN));
    for &(name, body) in UNARY_FUNCTIONS {
        function(vm, module, name, body);
    }
    let others: &[(&'static str, NativeFn)] = &[
        ("floor", math_floor),
        ("ceil", math_ceil),
        ("trunc", math_trunc),
        ("log", math_log),
        ("log2", math_log2),
        ("log10", math_log10),
        ("pow", math_pow),
        ("atan2", math_atan2),
        ("copysign", math_copysign),
        ("fmod", math_fmod),
        ("remainder", math_remainder),
        ("hypot", math_hypot),
        ("dist", math_dist),
        ("nextafter", math_nextafter),
        ("ulp", math_ulp),
        ("frexp", math_frexp),
        ("ldexp", math_ldexp),
        ("modf", math_modf),
        ("gamma", math_gamma),
        ("lgamma", math_lgamma),
        ("fsum", math_fsum),
        ("prod", math_prod),
        ("isclose", math_isclose),
        ("factorial", math_factorial),
        ("gcd", math_gcd),
        ("lcm", math_lcm),
        ("isqrt", math_isqrt),
        ("comb", math_comb),
        ("perm", math_perm),
        ("isnan", |vm, args, kwargs| {
            predicate(vm, "isnan", args, kwargs, f64::is_nan)
        }),
        ("isinf", |vm, args, kwargs| {
            predicate(vm, "isinf", args, kwargs, f64::is_infinite)
        }),
        ("isfinite", |vm, args, kwargs| {
            predicate(vm, "isfinite", args, kwargs, f64::is_finite)
        }),
    ];
    for &(name, body) in others {
        function(vm, module, name, body);
    }
    module
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frexp_and_ldexp_round_trip() {
        assert_eq!(frexp(8.0), (0.5, 4));
        assert_eq!(frexp(-3.0), (-0.75, 2));
        assert_eq!(frexp(5e-324), (0.5, -1073));
        assert_eq!(ldexp(0.5, 4), Some(8.0));
        assert_eq!(ldexp(1.0, -1074), Some(5e-324));
        assert_eq!(ldexp(1.0, -1075), Some(0.0));
        assert_eq!(ldexp(1.0, 1024), None);
        assert_eq!(ldexp(0.75, 1024), Some(0.75 * 2f64.powi(1023) * 2.0));
    }

    #[test]
    fn remainder_rounds_half_to_even() {
        assert_eq!(remainder(7.0, 2.0), Some(-1.0));
        assert_eq!(remainder(5.0, 2.0), Some(1.0));
        assert_eq!(remainder(-7.0, 2.0), Some(1.0));
        assert_eq!(remainder(1.0, 0.0), None);
    }

    #[test]
    fn fsum_partials_are_exact() {
        assert_eq!(round_partials(&[1.0]), 1.0);
        assert_eq!(erf(0.0), 0.0);
        assert_eq!(gamma(5.0), Ok(24.0));
        assert_eq!(lgamma(1.0), Ok(0.0));
        assert_eq!(factorial(10), BigInt::from(3_628_800));
    }
}
