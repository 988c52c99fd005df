//! The `unicodedata` module (<https://docs.python.org/3.11/library/unicodedata.html>):
//! `category`, `name`/`lookup`, `decimal`/`digit`/`numeric`,
//! `combining`, `normalize`/`is_normalized` and `unidata_version`.
//!
//! The data comes from maintained crates (`unicode-general-category`,
//! `unicode_names2`, `unicode-normalization`), which follow a newer Unicode
//! version than CPython 3.11's 14.0.0: characters assigned since then have
//! categories and names here where CPython reports `Cn` / no name. Numeric
//! values are the decimal digits (from `text::strops`), a table of numeric
//! CJK ideographs, and otherwise the number spelled in the character's name
//! ("VULGAR FRACTION ONE HALF", "CIRCLED NUMBER TWENTY ONE").

use crate::builtins::args;
use crate::builtins::{native_function, new_module};
use crate::engine::ops;
use crate::engine::{str_of, Vm};
use crate::objects::NativeFn;
use crate::text::strops;
use crate::value::Value;
use crate::PyResult;
use unicode_general_category::{get_general_category, GeneralCategory};
use unicode_normalization::UnicodeNormalization;

type Kwargs<'a> = &'a [(Value, Value)];

/// Numeric values of the CJK ideographs that Unicode gives one (from
/// CPython 3.11's `unicodedata.numeric`).
#[rustfmt::skip]
const IDEOGRAPH_VALUES: &[(u32, f64)] = &[
    (0x3405, 5.0), (0x3483, 2.0), (0x382A, 5.0), (0x3B4D, 7.0), (0x4E00, 1.0), (0x4E03, 7.0), (0x4E07, 10000.0), (0x4E09, 3.0), (0x4E5D, 9.0), (0x4E8C, 2.0), (0x4E94, 5.0), (0x4E96, 4.0), (0x4EBF, 100000000.0), (0x4EC0, 10.0), (0x4EDF, 1000.0), (0x4EE8, 3.0), (0x4F0D, 5.0), (0x4F70, 100.0), (0x5104, 100000000.0), (0x5146, 1000000000000.0), (0x5169, 2.0), (0x516B, 8.0), (0x516D, 6.0), (0x5341, 10.0), (0x5343, 1000.0), (0x5344, 20.0), (0x5345, 30.0), (0x534C, 40.0), (0x53C1, 3.0), (0x53C2, 3.0), (0x53C3, 3.0), (0x53C4, 3.0), (0x56DB, 4.0), (0x58F1, 1.0), (0x58F9, 1.0), (0x5E7A, 1.0), (0x5EFE, 9.0), (0x5EFF, 20.0), (0x5F0C, 1.0), (0x5F0D, 2.0), (0x5F0E, 3.0), (0x5F10, 2.0), (0x62FE, 10.0), (0x634C, 8.0), (0x67D2, 7.0), (0x6F06, 7.0), (0x7396, 9.0), (0x767E, 100.0), (0x8086, 4.0), (0x842C, 10000.0), (0x8CAE, 2.0), (0x8CB3, 2.0), (0x8D30, 2.0), (0x9621, 1000.0), (0x9646, 6.0), (0x964C, 100.0), (0x9678, 6.0), (0x96F6, 0.0), (0xF96B, 3.0), (0xF973, 10.0), (0xF978, 2.0), (0xF9B2, 0.0), (0xF9D1, 6.0), (0xF9D3, 6.0), (0xF9FD, 10.0), (0x20001, 7.0), (0x20064, 4.0), (0x200E2, 4.0), (0x20121, 5.0), (0x2092A, 1.0), (0x20983, 30.0), (0x2098C, 40.0), (0x2099C, 40.0), (0x20AEA, 6.0), (0x20AFD, 3.0), (0x20B19, 3.0), (0x22390, 2.0), (0x22998, 3.0), (0x23B1B, 3.0), (0x2626D, 4.0), (0x2F890, 9.0)
];

/// The two-letter abbreviation of a general category.
pub fn category_code(category: GeneralCategory) -> &'static str {
    use GeneralCategory::*;
    match category {
        ClosePunctuation => "Pe",
        ConnectorPunctuation => "Pc",
        Control => "Cc",
        CurrencySymbol => "Sc",
        DashPunctuation => "Pd",
        DecimalNumber => "Nd",
        EnclosingMark => "Me",
        FinalPunctuation => "Pf",
        Format => "Cf",
        InitialPunctuation => "Pi",
        LetterNumber => "Nl",
        LineSeparator => "Zl",
        LowercaseLetter => "Ll",
        MathSymbol => "Sm",
        ModifierLetter => "Lm",
        ModifierSymbol => "Sk",
        NonspacingMark => "Mn",
        OpenPunctuation => "Ps",
        OtherLetter => "Lo",
        OtherNumber => "No",
        OtherPunctuation => "Po",
        OtherSymbol => "So",
        ParagraphSeparator => "Zp",
        PrivateUse => "Co",
        SpaceSeparator => "Zs",
        SpacingMark => "Mc",
        Surrogate => "Cs",
        TitlecaseLetter => "Lt",
        Unassigned => "Cn",
        UppercaseLetter => "Lu",
        _ => "Cn",
    }
}

/// The value of a number word, and whether it is a denominator.
fn number_word(word: &str) -> Option<(f64, bool)> {
    const UNITS: [&str; 20] = [
        "ZERO",
        "ONE",
        "TWO",
        "THREE",
        "FOUR",
        "FIVE",
        "SIX",
        "SEVEN",
        "EIGHT",
        "NINE",
        "TEN",
        "ELEVEN",
        "TWELVE",
        "THIRTEEN",
        "FOURTEEN",
        "FIFTEEN",
        "SIXTEEN",
        "SEVENTEEN",
        "EIGHTEEN",
        "NINETEEN",
    ];
    const TENS: [&str; 8] = [
        "TWENTY", "THIRTY", "FORTY", "FIFTY", "SIXTY", "SEVENTY", "EIGHTY", "NINETY",
    ];
    const DENOMINATORS: [(&str, f64); 18] = [
        ("HALF", 2.0),
        ("HALVES", 2.0),
        ("THIRD", 3.0),
        ("THIRDS", 3.0),
        ("QUARTER", 4.0),
        ("QUARTERS", 4.0),
        ("FIFTH", 5.0),
        ("FIFTHS", 5.0),
        ("SIXTH", 6.0),
        ("SIXTHS", 6.0),
        ("SEVENTH", 7.0),
        ("SEVENTHS", 7.0),
        ("EIGHTH", 8.0),
        ("EIGHTHS", 8.0),
        ("NINTH", 9.0),
        ("NINTHS", 9.0),
        ("TENTH", 10.0),
        ("TENTHS", 10.0),
    ];
    if let Some(value) = UNITS.iter().position(|unit| *unit == word) {
        return Some((value as f64, false));
    }
    if let Some(index) = TENS.iter().position(|tens| *tens == word) {
        return Some((20.0 + 10.0 * index as f64, false));
    }
    DENOMINATORS
        .iter()
        .find(|(name, _)| *name == word)
        .map(|(_, value)| (*value, true))
}

/// The number spelled in a character name (after "DIGIT" when present).
fn value_from_name(name: &str) -> Option<f64> {
    let words: Vec<&str> = name.split(' ').collect();
    let start = match words.iter().position(|word| *word == "DIGIT") {
        Some(index) => index + 1,
        None => words
            .iter()
            .position(|word| matches!(number_word(word), Some((_, false))))?,
    };
    let mut total = 0.0;
    let mut current = 0.0;
    let mut seen = false;
    for word in &words[start..] {
        match (*word, number_word(word)) {
            (_, Some((denominator, true))) if seen => {
                return Some((total + current) / denominator);
            }
            (_, Some((value, false))) => {
                current += value;
                seen = true;
            }
            ("HUNDRED", None) if seen => current *= 100.0,
            ("THOUSAND", None) if seen => {
                total += current * 1000.0;
                current = 0.0;
            }
            _ => break,
        }
    }
    seen.then_some(total + current)
}

/// Unicode's numeric value of `c`, if it has one.
pub fn numeric_value(c: char) -> Option<f64> {
    if let Some(value) = strops::decimal_value(c) {
        return Some(f64::from(value));
    }
    if !strops::is_numeric_char(c) {
        return None;
    }
    if let Ok(index) = IDEOGRAPH_VALUES.binary_search_by_key(&(c as u32), |(code, _)| *code) {
        return Some(IDEOGRAPH_VALUES[index].1);
    }
    let name = unicode_names2::name(c)?.to_string();
    value_from_name(&name)
}

/// The one-character str argument of `function`.
fn char_arg(vm: &mut Vm, function: &str, value: Value) -> PyResult<char> {
    if let Some(text) = str_of(value) {
        let mut chars = text.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return Ok(c);
        }
    }
    let type_name = vm.type_name(value);
    vm.err_type(format!(
        "{function}() argument must be a unicode character, not {type_name}"
    ))
}

/// (character, default) arguments of name/decimal/digit/numeric.
fn char_and_default(
    vm: &mut Vm,
    function: &str,
    args: &[Value],
    kwargs: Kwargs,
) -> PyResult<(char, Option<Value>)> {
    args::no_kwargs(vm, function, kwargs)?;
    args::arity(vm, function, args, 1, 2)?;
    let c = char_arg(vm, function, args[0])?;
    Ok((c, args.get(1).copied()))
}

fn or_default(vm: &mut Vm, default: Option<Value>, message: &str) -> PyResult<Value> {
    match default {
        Some(value) => Ok(value),
        None => vm.err_value(message.to_string()),
    }
}

fn unicodedata_category(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    args::no_kwargs(vm, "category", kwargs)?;
    args::arity(vm, "category", args, 1, 1)?;
    let c = char_arg(vm, "category", args[0])?;
    Ok(vm.new_str(category_code(get_general_category(c))))
}

fn unicodedata_name(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let (c, default) = char_and_default(vm, "name", args, kwargs)?;
    match unicode_names2::name(c) {
        Some(name) => Ok(vm.new_str(name.to_string())),
        None => or_default(vm, default, "no such name"),
    }
}

fn unicodedata_lookup(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    args::no_kwargs(vm, "lookup", kwargs)?;
    args::arity(vm, "lookup", args, 1, 1)?;
    let name = args::to_str(vm, args[0], "lookup() argument")?;
    if name.len() > 256 {
        let message = vm.new_str("name too long");
        let class = vm.types.exc.key_error;
        return Err(vm.new_exception(class, vec![message]));
    }
    match unicode_names2::character(name) {
        Some(c) => Ok(vm.new_str(c.to_string())),
        None => {
            let message = vm.new_str(format!("undefined character name '{name}'"));
            let class = vm.types.exc.key_error;
            Err(vm.new_exception(class, vec![message]))
        }
    }
}

fn unicodedata_decimal(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let (c, default) = char_and_default(vm, "decimal", args, kwargs)?;
    match strops::decimal_value(c) {
        Some(value) => Ok(vm.new_int(i64::from(value))),
        None => or_default(vm, default, "not a decimal"),
    }
}

fn unicodedata_digit(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let (c, default) = char_and_default(vm, "digit", args, kwargs)?;
    let value = if strops::is_digit_char(c) {
        numeric_value(c)
    } else {
        None
    };
    match value {
        Some(value) => Ok(vm.new_int(value as i64)),
        None => or_default(vm, default, "not a digit"),
    }
}

fn unicodedata_numeric(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let (c, default) = char_and_default(vm, "numeric", args, kwargs)?;
    match numeric_value(c) {
        Some(value) => Ok(Value::float(value)),
        None => or_default(vm, default, "not a numeric character"),
    }
}

fn unicodedata_combining(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    args::no_kwargs(vm, "combining", kwargs)?;
    args::arity(vm, "combining", args, 1, 1)?;
    let c = char_arg(vm, "combining", args[0])?;
    let class = unicode_normalization::char::canonical_combining_class(c);
    Ok(vm.new_int(i64::from(class)))
}

/// The form and text arguments of normalize/is_normalized.
fn form_and_text(
    vm: &mut Vm,
    function: &str,
    args: &[Value],
    kwargs: Kwargs,
) -> PyResult<(&'static str, &'static str)> {
    args::no_kwargs(vm, function, kwargs)?;
    args::arity(vm, function, args, 2, 2)?;
    let form = args::to_str(vm, args[0], &format!("{function}() argument 1"))?;
    let text = args::to_str(vm, args[1], &format!("{function}() argument 2"))?;
    if !matches!(form, "NFC" | "NFD" | "NFKC" | "NFKD") {
        return vm.err_value("invalid normalization form");
    }
    Ok((form, text))
}

fn normalized(form: &str, text: &str) -> String {
    match form {
        "NFC" => text.nfc().collect(),
        "NFD" => text.nfd().collect(),
        "NFKC" => text.nfkc().collect(),
        _ => text.nfkd().collect(),
    }
}

fn unicodedata_normalize(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let (form, text) = form_and_text(vm, "normalize", args, kwargs)?;
    let result = normalized(form, text);
    if result == text {
        return Ok(args[1]);
    }
    Ok(vm.new_str(result))
}

fn unicodedata_is_normalized(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let (form, text) = form_and_text(vm, "is_normalized", args, kwargs)?;
    Ok(Value::bool(normalized(form, text) == text))
}

/// Creates the `unicodedata` module.
pub fn make(vm: &mut Vm) -> Value {
    let module = new_module(vm, "unicodedata");
    let dict = module.as_obj().expect("module").dict();
    let functions: &[(&'static str, NativeFn)] = &[
        ("category", unicodedata_category),
        ("name", unicodedata_name),
        ("lookup", unicodedata_lookup),
        ("decimal", unicodedata_decimal),
        ("digit", unicodedata_digit),
        ("numeric", unicodedata_numeric),
        ("combining", unicodedata_combining),
        ("normalize", unicodedata_normalize),
        ("is_normalized", unicodedata_is_normalized),
    ];
    for &(name, function) in functions {
        let value = native_function(vm, name, function, Value::NULL);
        let key = vm.intern(name);
        ops::dict_set_str(vm, dict, key, value);
    }
    let version = vm.new_str("14.0.0");
    let key = vm.intern("unidata_version");
    ops::dict_set_str(vm, dict, key, version);
    module
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_spelled_in_names() {
        assert_eq!(value_from_name("VULGAR FRACTION ONE HALF"), Some(0.5));
        assert_eq!(value_from_name("CIRCLED NUMBER TWENTY ONE"), Some(21.0));
        assert_eq!(
            value_from_name("ROMAN NUMERAL ONE THOUSAND C D"),
            Some(1000.0)
        );
        assert_eq!(value_from_name("DIGIT ZERO FULL STOP"), Some(0.0));
        assert_eq!(value_from_name("LATIN SMALL LETTER A"), None);
        assert_eq!(numeric_value('\u{4E07}'), Some(10000.0));
        assert_eq!(numeric_value('7'), Some(7.0));
    }
}
