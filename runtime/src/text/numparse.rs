//! Text <-> number conversions with CPython 3.11 rules: the parsers behind
//! `int(str, base)` and `float(str)`, the radix formatting behind `bin()`,
//! `oct()` and `hex()`, and the exact `ValueError` messages those builtins
//! produce (including CPython's `repr` of the offending text).
//!
//! What this module deliberately does not do: it raises no exceptions (the
//! parsers return `Err(())` / `None` and the caller builds the `ValueError`
//! from the message helpers), it does not validate the `base` argument's
//! type, it does not parse `bytes`/`bytearray` arguments (whose messages use
//! a `b'...'` repr), it does not enforce CPython's `sys.set_int_max_str_digits`
//! limit (4300 decimal digits by default in 3.11), and it does not parse
//! Python *source* literals (the compiler's tokenizer owns those).
//! `float.fromhex` lives in `crate::numeric`.

use num_bigint::{BigInt, BigUint, Sign};

/// Message for `int(text, base)` with a base outside `0` and `2..=36`
/// (`ValueError`).
pub const INT_BASE_RANGE_MESSAGE: &str = "int() base must be >= 2 and <= 36, or 0";

/// Code points whose Unicode general category is `Nd` and whose decimal
/// value is 0 (Unicode 14.0, as used by CPython 3.11).  Every `Nd` block is
/// ten consecutive code points starting at one of these.
const DECIMAL_DIGIT_ZEROS: [u32; 66] = [
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
    0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650,
    0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50,
    0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

/// Assigned code points that `str.isprintable()` rejects (categories Cc, Cf,
/// Cs, Co, Zl, Zp and Zs other than U+0020), Unicode 14.0, as inclusive
/// ranges.
const ASSIGNED_NON_PRINTABLE_RANGES: [(u32, u32); 28] = [
    (0x0, 0x1F),
    (0x7F, 0xA0),
    (0xAD, 0xAD),
    (0x600, 0x605),
    (0x61C, 0x61C),
    (0x6DD, 0x6DD),
    (0x70F, 0x70F),
    (0x890, 0x891),
    (0x8E2, 0x8E2),
    (0x1680, 0x1680),
    (0x180E, 0x180E),
    (0x2000, 0x200F),
    (0x2028, 0x202F),
    (0x205F, 0x2064),
    (0x2066, 0x206F),
    (0x3000, 0x3000),
    (0xD800, 0xF8FF),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x13438),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
    (0xF0000, 0xFFFFD),
    (0x100000, 0x10FFFD),
];

/// The decimal value of a Unicode `Nd` character (what CPython's
/// `Py_UNICODE_TODECIMAL` returns), or `None`.
fn unicode_decimal_value(ch: char) -> Option<u8> {
    let code = ch as u32;
    // The table is sorted; find the last zero that is <= code.
    let index = DECIMAL_DIGIT_ZEROS.partition_point(|&zero| zero <= code);
    if index == 0 {
        return None;
    }
    let offset = code - DECIMAL_DIGIT_ZEROS[index - 1];
    (offset < 10).then_some(offset as u8)
}

/// Whitespace as CPython's `str.isspace()` sees it, for code points above
/// ASCII (CPython maps these to a plain space before parsing numbers).
fn is_non_ascii_python_space(ch: char) -> bool {
    matches!(
        ch,
        '\u{85}' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}' | '\u{2028}' | '\u{2029}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

/// ASCII whitespace as CPython's `Py_ISSPACE` sees it (note: not `\x1c`-`\x1f`).
fn is_ascii_number_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// CPython's `_PyUnicode_TransformDecimalAndSpaceToASCII`: ASCII below 0x7f
/// is kept, non-ASCII whitespace becomes a space, `Nd` digits become ASCII
/// digits.  Anything else cannot be part of a number, so the whole text is
/// rejected (`None`).
fn transform_to_ascii_number_text(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    for ch in text.chars() {
        if (ch as u32) < 0x7f {
            out.push(ch as u8);
        } else if is_non_ascii_python_space(ch) {
            out.push(b' ');
        } else if let Some(value) = unicode_decimal_value(ch) {
            out.push(b'0' + value);
        } else {
            return None;
        }
    }
    Some(out)
}

fn strip_ascii_number_space(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|&b| !is_ascii_number_space(b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|&b| !is_ascii_number_space(b))
        .map_or(start, |last| last + 1);
    &bytes[start..end]
}

/// Value of an ASCII digit or letter in bases up to 36 (case-insensitive).
fn ascii_digit_value(byte: u8) -> Option<u32> {
    match byte {
        b'0'..=b'9' => Some(u32::from(byte - b'0')),
        b'a'..=b'z' => Some(u32::from(byte - b'a') + 10),
        b'A'..=b'Z' => Some(u32::from(byte - b'A') + 10),
        _ => None,
    }
}

/// Parses `text` the way Python's `int(text, base)` does for a `str`
/// argument.
///
/// Accepts surrounding whitespace (including Unicode whitespace), one
/// leading `+`/`-`, single underscores between digits (and one right after a
/// base prefix), Unicode decimal digits, digits and letters in either case,
/// and a `0x`/`0o`/`0b` prefix when it matches `base`.  With `base == 0` the
/// base is inferred from the prefix; a plain decimal literal with a leading
/// zero is then only accepted when its value is zero (`'00'`, `'0_0'`).
///
/// `Err(())` means the text is not a valid literal (the caller raises
/// `ValueError` with [`invalid_int_literal_message`]) or that `base` is not
/// `0` or `2..=36` (the caller should have checked that first and raised
/// `ValueError` with [`INT_BASE_RANGE_MESSAGE`]).
#[allow(clippy::result_unit_err)]
pub fn parse_int(text: &str, base: u32) -> Result<BigInt, ()> {
    if base == 1 || base > 36 {
        return Err(());
    }
    let ascii = transform_to_ascii_number_text(text).ok_or(())?;
    let mut rest = strip_ascii_number_space(&ascii);

    let mut negative = false;
    match rest.first() {
        Some(b'+') => rest = &rest[1..],
        Some(b'-') => {
            negative = true;
            rest = &rest[1..];
        }
        _ => {}
    }

    let prefix_base = match rest {
        [b'0', b'x' | b'X', ..] => Some(16),
        [b'0', b'o' | b'O', ..] => Some(8),
        [b'0', b'b' | b'B', ..] => Some(2),
        _ => None,
    };
    let mut must_be_zero = false;
    let base = if base == 0 {
        match (prefix_base, rest.first()) {
            (Some(inferred), _) => inferred,
            (None, Some(b'0')) => {
                // Old C-style octal ("012") is invalid; zero itself is fine.
                must_be_zero = true;
                10
            }
            (None, _) => 10,
        }
    } else {
        base
    };
    if prefix_base == Some(base) {
        rest = &rest[2..];
        if rest.first() == Some(&b'_') {
            rest = &rest[1..];
        }
    }

    let digits = collect_digits(rest, base)?;
    let magnitude = digits_to_biguint(&digits, base);
    if must_be_zero && magnitude.bits() != 0 {
        return Err(());
    }
    let sign = if negative { Sign::Minus } else { Sign::Plus };
    Ok(BigInt::from_biguint(sign, magnitude))
}

/// Splits `body` (already stripped of sign and prefix) into digit values,
/// enforcing "at least one digit" and "underscores only between digits".
fn collect_digits(body: &[u8], base: u32) -> Result<Vec<u8>, ()> {
    let mut digits = Vec::with_capacity(body.len());
    let mut previous_was_digit = false;
    for &byte in body {
        if byte == b'_' {
            if !previous_was_digit {
                return Err(());
            }
            previous_was_digit = false;
            continue;
        }
        match ascii_digit_value(byte) {
            Some(value) if value < base => {
                digits.push(value as u8);
                previous_was_digit = true;
            }
            _ => return Err(()),
        }
    }
    if digits.is_empty() || !previous_was_digit {
        return Err(());
    }
    Ok(digits)
}

fn digits_to_biguint(digits: &[u8], base: u32) -> BigUint {
    // Short inputs accumulate in a machine word; long ones use the bignum
    // library's sub-quadratic radix conversion.
    if digits.len() <= 12 {
        let mut value: u64 = 0;
        for &digit in digits {
            value = value * u64::from(base) + u64::from(digit);
        }
        return BigUint::from(value);
    }
    let first_nonzero = digits.iter().position(|&d| d != 0).unwrap_or(digits.len());
    BigUint::from_radix_be(&digits[first_nonzero..], base).unwrap_or_default()
}

/// The `ValueError` message CPython 3.11 gives for `int(text, base)` when
/// `text` is not a valid literal: `invalid literal for int() with base 10:
/// 'abc'`.  Like CPython's `%.200R`, the repr is cut to 200 characters.
/// `base` is the base the caller passed (0 when inferring).
pub fn invalid_int_literal_message(text: &str, base: u32) -> String {
    let repr: String = python_str_repr(text).chars().take(200).collect();
    format!("invalid literal for int() with base {base}: {repr}")
}

/// The `ValueError` message CPython 3.11 gives for `float(text)`:
/// `could not convert string to float: 'five'` (the repr is not truncated).
pub fn invalid_float_literal_message(text: &str) -> String {
    format!(
        "could not convert string to float: {}",
        python_str_repr(text)
    )
}

/// Parses `text` the way Python's `float(text)` does for a `str` argument.
///
/// Accepts surrounding whitespace, a sign, `inf`/`infinity`/`nan` in any
/// case, decimal digits (Unicode `Nd` digits too) with single underscores
/// between digits, an optional fraction (`'.5'`, `'5.'`) and an optional
/// exponent.  The result is correctly rounded; huge exponents give `inf` or
/// `0.0` like CPython.  `None` means `ValueError` with
/// [`invalid_float_literal_message`].
pub fn parse_float(text: &str) -> Option<f64> {
    let ascii = transform_to_ascii_number_text(text)?;
    let cleaned = remove_float_underscores(&ascii)?;
    let body = strip_ascii_number_space(&cleaned);

    let (negative, unsigned) = match body.first() {
        Some(b'-') => (true, &body[1..]),
        Some(b'+') => (false, &body[1..]),
        _ => (false, body),
    };
    let special =
        if unsigned.eq_ignore_ascii_case(b"inf") || unsigned.eq_ignore_ascii_case(b"infinity") {
            Some(f64::INFINITY)
        } else if unsigned.eq_ignore_ascii_case(b"nan") {
            Some(f64::NAN)
        } else {
            None
        };
    if let Some(value) = special {
        return Some(if negative { -value } else { value });
    }
    if !is_decimal_float_syntax(unsigned) {
        return None;
    }
    // The syntax is a subset of what Rust's correctly rounded parser takes.
    let literal = std::str::from_utf8(unsigned).ok()?;
    let magnitude: f64 = literal.parse().ok()?;
    Some(if negative { -magnitude } else { magnitude })
}

/// CPython's `_Py_string_to_number_with_underscores` check: an underscore
/// must sit between two ASCII digits.  Returns the text without them.
fn remove_float_underscores(bytes: &[u8]) -> Option<Vec<u8>> {
    if !bytes.contains(&b'_') {
        return Some(bytes.to_vec());
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut previous = 0u8;
    for &byte in bytes {
        if byte == b'_' {
            if !previous.is_ascii_digit() {
                return None;
            }
        } else {
            if previous == b'_' && !byte.is_ascii_digit() {
                return None;
            }
            out.push(byte);
        }
        previous = byte;
    }
    if previous == b'_' {
        return None;
    }
    Some(out)
}

/// `digits ['.' digits] [('e'|'E') [sign] digits]` with at least one
/// mantissa digit, or `'.' digits ...`.
fn is_decimal_float_syntax(bytes: &[u8]) -> bool {
    let count_digits = |s: &[u8]| s.iter().take_while(|b| b.is_ascii_digit()).count();
    let mut index = count_digits(bytes);
    let mut mantissa_digits = index;
    if bytes.get(index) == Some(&b'.') {
        index += 1;
        let fraction = count_digits(&bytes[index..]);
        mantissa_digits += fraction;
        index += fraction;
    }
    if mantissa_digits == 0 {
        return false;
    }
    if matches!(bytes.get(index), Some(b'e' | b'E')) {
        index += 1;
        if matches!(bytes.get(index), Some(b'+' | b'-')) {
            index += 1;
        }
        let exponent = count_digits(&bytes[index..]);
        if exponent == 0 {
            return false;
        }
        index += exponent;
    }
    index == bytes.len()
}

/// Formats `value` in `radix` (2..=36, lowercase letters) with `prefix`
/// placed after the sign, as `bin()`, `oct()` and `hex()` do:
/// `int_to_radix_string(&(-31).into(), 16, "0x") == "-0x1f"`.
pub fn int_to_radix_string(value: &BigInt, radix: u32, prefix: &str) -> String {
    let digits = value.magnitude().to_str_radix(radix);
    let sign = if value.sign() == Sign::Minus { "-" } else { "" };
    format!("{sign}{prefix}{digits}")
}

/// Approximates CPython's `str.isprintable()` for one character: exact for
/// every assigned code point of Unicode 14.0; unassigned code points are
/// treated as printable except the noncharacters.
fn is_python_printable(ch: char) -> bool {
    let code = ch as u32;
    if (0xFDD0..=0xFDEF).contains(&code) || code & 0xFFFE == 0xFFFE {
        return false;
    }
    let index = ASSIGNED_NON_PRINTABLE_RANGES.partition_point(|&(start, _)| start <= code);
    index == 0 || code > ASSIGNED_NON_PRINTABLE_RANGES[index - 1].1
}

/// `repr()` of a Python `str` as CPython writes it: single quotes unless the
/// text contains `'` but no `"`, escapes for the quote, backslash, `\t`,
/// `\n`, `\r`, and `\xNN`/`\uNNNN`/`\UNNNNNNNN` for non-printable characters.
/// Printability is exact for assigned Unicode 14.0 code points; unassigned
/// ones (other than noncharacters) are kept verbatim where CPython would
/// escape them.
pub fn python_str_repr(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for ch in text.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if c == ' ' || is_python_printable(c) => out.push(c),
            c => {
                let code = c as u32;
                if code <= 0xFF {
                    out.push_str(&format!("\\x{code:02x}"));
                } else if code <= 0xFFFF {
                    out.push_str(&format!("\\u{code:04x}"));
                } else {
                    out.push_str(&format!("\\U{code:08x}"));
                }
            }
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int_ok(text: &str, base: u32) -> String {
        parse_int(text, base)
            .map(|v| v.to_string())
            .unwrap_or_else(|()| "ERR".to_string())
    }

    #[test]
    fn int_plain_decimal_and_whitespace() {
        assert_eq!(int_ok("0", 10), "0");
        assert_eq!(int_ok("  -12  ", 10), "-12");
        assert_eq!(int_ok("+7", 10), "7");
        assert_eq!(int_ok("\t\n 42\x0b\x0c\r", 10), "42");
        assert_eq!(int_ok("1_000_000", 10), "1000000");
        assert_eq!(int_ok("-0", 10), "0");
        assert_eq!(int_ok("007", 10), "7");
        assert_eq!(int_ok("", 10), "ERR");
        assert_eq!(int_ok("   ", 10), "ERR");
        assert_eq!(int_ok("-", 10), "ERR");
        assert_eq!(int_ok("- 1", 10), "ERR");
        assert_eq!(int_ok("+-1", 10), "ERR");
        assert_eq!(int_ok("1 2", 10), "ERR");
        assert_eq!(int_ok("abc", 10), "ERR");
        assert_eq!(int_ok("1.0", 10), "ERR");
        assert_eq!(int_ok("1\0", 10), "ERR");
    }

    #[test]
    fn int_underscore_rules() {
        assert_eq!(int_ok("1_", 10), "ERR");
        assert_eq!(int_ok("_1", 10), "ERR");
        assert_eq!(int_ok("1__0", 10), "ERR");
        assert_eq!(int_ok("-_1", 10), "ERR");
        assert_eq!(int_ok("0x_1", 0), "1");
        assert_eq!(int_ok("0x_1", 16), "1");
        assert_eq!(int_ok("0x__1", 16), "ERR");
        assert_eq!(int_ok("0x_", 16), "ERR");
        assert_eq!(int_ok("0_x1", 0), "ERR");
        assert_eq!(int_ok("0b_1_0", 0), "2");
    }

    #[test]
    fn int_base_zero_inference() {
        assert_eq!(int_ok("0x1f", 0), "31");
        assert_eq!(int_ok("-0X1F", 0), "-31");
        assert_eq!(int_ok("0o17", 0), "15");
        assert_eq!(int_ok("0O17", 0), "15");
        assert_eq!(int_ok("0b101", 0), "5");
        assert_eq!(int_ok("0B101", 0), "5");
        assert_eq!(int_ok("0", 0), "0");
        assert_eq!(int_ok("00", 0), "0");
        assert_eq!(int_ok("0_0", 0), "0");
        assert_eq!(int_ok("-000", 0), "0");
        assert_eq!(int_ok("012", 0), "ERR");
        assert_eq!(int_ok("0x", 0), "ERR");
        assert_eq!(int_ok("0b2", 0), "ERR");
        assert_eq!(int_ok("0o8", 0), "ERR");
        assert_eq!(int_ok("123", 0), "123");
    }

    #[test]
    fn int_explicit_bases_and_prefixes() {
        assert_eq!(int_ok("0x1f", 16), "31");
        assert_eq!(int_ok("1f", 16), "31");
        assert_eq!(int_ok("0b1", 16), "177");
        assert_eq!(int_ok("0b1", 10), "ERR");
        assert_eq!(int_ok("0x1f", 10), "ERR");
        assert_eq!(int_ok("0o17", 8), "15");
        assert_eq!(int_ok("0b11", 2), "3");
        assert_eq!(int_ok("z", 36), "35");
        assert_eq!(int_ok("Zz", 36), "1295");
        assert_eq!(int_ok("z", 35), "ERR");
        assert_eq!(int_ok("12", 2), "ERR");
        assert_eq!(int_ok("0x", 16), "ERR");
        assert_eq!(int_ok("1", 1), "ERR");
        assert_eq!(int_ok("1", 37), "ERR");
    }

    #[test]
    fn int_unicode_digits_and_spaces() {
        assert_eq!(int_ok("\u{2003} 12 \u{3000}", 10), "12");
        assert_eq!(int_ok("\u{2003} 12 \u{3000}", 16), "18");
        assert_eq!(int_ok("\u{661}\u{662}", 10), "12");
        assert_eq!(int_ok("1\u{85}", 0), "1");
        assert_eq!(int_ok("\u{ff11}\u{ff10}", 10), "10");
        // Py_ISSPACE does not include the ASCII separators \x1c-\x1f.
        assert_eq!(int_ok("\x1c1", 10), "ERR");
        assert_eq!(int_ok("1\x7f", 10), "ERR");
        assert_eq!(int_ok("\u{e9}", 10), "ERR");
    }

    #[test]
    fn int_long_inputs() {
        let text = "123456789".repeat(40);
        assert_eq!(int_ok(&text, 10), text);
        assert_eq!(int_ok(&format!("-0x{}", "f".repeat(40)), 0), {
            let v = (BigInt::from(1) << 160u32) - 1;
            format!("-{v}")
        });
        assert_eq!(int_ok(&"0".repeat(50), 0), "0");
        assert_eq!(int_ok(&format!("{}1", "0".repeat(50)), 0), "ERR");
        assert_eq!(int_ok("18446744073709551616", 10), "18446744073709551616");
    }

    #[test]
    fn int_literal_messages() {
        assert_eq!(
            invalid_int_literal_message("abc", 10),
            "invalid literal for int() with base 10: 'abc'"
        );
        assert_eq!(
            invalid_int_literal_message("it's", 10),
            "invalid literal for int() with base 10: \"it's\""
        );
        assert_eq!(
            invalid_int_literal_message("it's \"x\"", 0),
            "invalid literal for int() with base 0: 'it\\'s \"x\"'"
        );
        assert_eq!(
            invalid_int_literal_message("\x1c1", 16),
            "invalid literal for int() with base 16: '\\x1c1'"
        );
        // python3: int('\u00e9\u200b\u00ad\ue000\U0001F600\n\t\\')
        assert_eq!(
            invalid_int_literal_message("\u{e9}\u{200b}\u{ad}\u{e000}\u{1F600}\n\t\\", 10),
            "invalid literal for int() with base 10: '\u{e9}\\u200b\\xad\\ue000\u{1F600}\\n\\t\\\\'"
        );
        let long = "a".repeat(300);
        let message = invalid_int_literal_message(&long, 10);
        assert_eq!(
            message,
            format!(
                "invalid literal for int() with base 10: '{}",
                "a".repeat(199)
            )
        );
    }

    #[test]
    fn float_messages() {
        assert_eq!(
            invalid_float_literal_message("five"),
            "could not convert string to float: 'five'"
        );
        let long = "a".repeat(300);
        assert_eq!(
            invalid_float_literal_message(&long),
            format!("could not convert string to float: '{long}'")
        );
        assert_eq!(
            python_str_repr("\u{10ffff}\u{fdd0}\u{85}"),
            "'\\U0010ffff\\ufdd0\\x85'"
        );
        assert_eq!(python_str_repr("\u{7f}\u{a0}\u{a1}"), "'\\x7f\\xa0\u{a1}'");
    }

    fn float_bits(text: &str) -> Option<u64> {
        parse_float(text).map(f64::to_bits)
    }

    #[test]
    fn float_accepts_python_forms() {
        let cases: &[(&str, f64)] = &[
            ("1.5", 1.5),
            ("  -2.25\n", -2.25),
            (".5", 0.5),
            ("5.", 5.0),
            ("1e3", 1000.0),
            ("1E+3", 1000.0),
            ("1.e-3", 0.001),
            ("+.5e1", 5.0),
            ("1_000.000_1", 1000.0001),
            ("1e1_0", 1e10),
            ("0.1", 0.1),
            ("1e308", 1e308),
            ("1e999999999999999999", f64::INFINITY),
            ("-1e999", f64::NEG_INFINITY),
            ("1e-999999999999999999", 0.0),
            ("2.2250738585072011e-308", 2.225_073_858_507_201e-308),
            ("\u{661}.\u{665}", 1.5),
            ("\u{2003}7\u{3000}", 7.0),
            ("inf", f64::INFINITY),
            ("-Infinity", f64::NEG_INFINITY),
            ("+iNF", f64::INFINITY),
            ("007", 7.0),
        ];
        for &(text, expected) in cases {
            assert_eq!(float_bits(text), Some(expected.to_bits()), "{text:?}");
        }
        assert_eq!(float_bits("-0"), Some((-0.0f64).to_bits()));
        assert_eq!(float_bits("-1e-400"), Some((-0.0f64).to_bits()));
        assert!(parse_float("nan").unwrap().is_nan());
        assert!(parse_float(" NaN ").unwrap().is_nan());
        // python3: math.copysign(1, float('-nan')) == -1.0
        let negative_nan = parse_float("-nan").unwrap();
        assert!(negative_nan.is_nan() && negative_nan.is_sign_negative());
        assert!(parse_float("nan").unwrap().is_sign_positive());
    }

    #[test]
    fn float_rejects_invalid_forms() {
        for text in [
            "",
            " ",
            "1_",
            "_1",
            "1__0",
            "1_.0",
            "1._0",
            "1e_5",
            "1_e5",
            "in f",
            "in_f",
            "infinit",
            "infinityy",
            "nana",
            ".",
            "e5",
            ".e5",
            "1e",
            "1e+",
            "1.2.3",
            "0x1p3",
            "- 1",
            "--1",
            "1 2",
            "five",
            "1\0",
            "\x1c1",
            "1f",
            "1d",
            "+",
            "_",
            "1e5_",
            "\u{e9}",
        ] {
            assert_eq!(parse_float(text), None, "{text:?}");
        }
    }

    #[test]
    fn radix_strings() {
        let v = BigInt::from(-31);
        assert_eq!(int_to_radix_string(&v, 16, "0x"), "-0x1f");
        assert_eq!(int_to_radix_string(&v, 8, "0o"), "-0o37");
        assert_eq!(int_to_radix_string(&v, 2, "0b"), "-0b11111");
        assert_eq!(int_to_radix_string(&BigInt::from(0), 2, "0b"), "0b0");
        assert_eq!(int_to_radix_string(&BigInt::from(255), 16, "0x"), "0xff");
        let big = BigInt::from(1) << 100u32;
        assert_eq!(
            int_to_radix_string(&big, 16, "0x"),
            "0x10000000000000000000000000"
        );
        assert_eq!(int_to_radix_string(&BigInt::from(-1295), 36, ""), "-zz");
    }
}
