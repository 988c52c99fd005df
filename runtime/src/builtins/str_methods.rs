//! The Python-visible methods of `str`: construction (`str.__new__`),
//! searching, splitting, case mapping, padding, `encode`, `translate`,
//! the operator dunders, `str.format` / `format_map` (the replacement-field
//! grammar, auto-numbering and nested specs) and `%`-formatting, all with
//! CPython 3.11's results and error texts.
//!
//! This file owns the glue between Python objects and the pure algorithms:
//! the text algorithms themselves live in `text/strops.rs` and the format
//! spec mini-language in `text/format_spec.rs`. It also owns the small
//! argument-checking helpers that word arity errors the way CPython's
//! different C calling conventions do (shared with `bytes_methods.rs`), and
//! the codec lookup and encoders (`utf-8`, `utf-8-sig`, `utf-16`,
//! `utf-32`, `ascii`, `latin-1`) behind `encode` (the decoders live in
//! `bytes_methods.rs`).

use std::collections::HashMap;

use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive};

use crate::builtins::args::{int_value, to_i64};
use crate::builtins::containers::{alloc_instance, defers_to_reflected, new_class_argument};
use crate::builtins::{add_method, add_staticmethod};
use crate::engine::{ops, pystr_of, str_of, tuple_items, Vm};
use crate::objects::{ObjKind, PyStr};
use crate::text::{format_spec, strops};
use crate::value::Value;
use crate::PyResult;

/// Results larger than this many bytes raise `MemoryError` instead of
/// trying (and failing) to allocate.
pub(crate) const MAX_RESULT_BYTES: usize = if usize::BITS > 32 {
    u32::MAX as usize
} else {
    // A 32-bit host (wasm32) cannot hold more than half its address space.
    isize::MAX as usize
};

/// Registers every `str` method on `vm.types.str`.
pub fn register(vm: &mut Vm) {
    let class = vm.types.str;
    add_staticmethod(vm, class, "__new__", str_new);
    let methods: &[(&'static str, crate::objects::NativeFn)] = &[
        ("join", str_join),
        ("split", str_split),
        ("rsplit", str_rsplit),
        ("splitlines", str_splitlines),
        ("strip", str_strip),
        ("lstrip", str_lstrip),
        ("rstrip", str_rstrip),
        ("replace", str_replace),
        ("find", str_find),
        ("rfind", str_rfind),
        ("index", str_index),
        ("rindex", str_rindex),
        ("count", str_count),
        ("startswith", str_startswith),
        ("endswith", str_endswith),
        ("upper", str_upper),
        ("lower", str_lower),
        ("casefold", str_casefold),
        ("capitalize", str_capitalize),
        ("title", str_title),
        ("swapcase", str_swapcase),
        ("center", str_center),
        ("ljust", str_ljust),
        ("rjust", str_rjust),
        ("zfill", str_zfill),
        ("expandtabs", str_expandtabs),
        ("partition", str_partition),
        ("rpartition", str_rpartition),
        ("isalpha", str_isalpha),
        ("isalnum", str_isalnum),
        ("isdecimal", str_isdecimal),
        ("isdigit", str_isdigit),
        ("isnumeric", str_isnumeric),
        ("isspace", str_isspace),
        ("isascii", str_isascii),
        ("isprintable", str_isprintable),
        ("isupper", str_isupper),
        ("islower", str_islower),
        ("istitle", str_istitle),
        ("isidentifier", str_isidentifier),
        ("removeprefix", str_removeprefix),
        ("removesuffix", str_removesuffix),
        ("format", str_format_method),
        ("format_map", str_format_map),
        ("encode", str_encode),
        ("translate", str_translate),
        ("__format__", str_dunder_format),
        ("__getitem__", str_dunder_getitem),
        ("__len__", str_dunder_len),
        ("__contains__", str_dunder_contains),
        ("__add__", str_dunder_add),
        ("__mul__", str_dunder_mul),
        ("__rmul__", str_dunder_rmul),
        ("__mod__", str_dunder_mod),
        ("__rmod__", str_dunder_rmod),
        ("__eq__", str_eq),
        ("__ne__", str_ne),
        ("__lt__", str_lt),
        ("__le__", str_le),
        ("__gt__", str_gt),
        ("__ge__", str_ge),
        ("__hash__", str_dunder_hash),
        ("__repr__", str_dunder_repr),
        ("__str__", str_dunder_str),
    ];
    for (name, function) in methods {
        add_method(vm, class, name, *function);
    }
    add_staticmethod(vm, class, "maketrans", str_maketrans);
}

// ---------------------------------------------------------------------------
// Argument checking, worded as CPython's calling conventions word it
// ---------------------------------------------------------------------------

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

/// `METH_NOARGS` methods: "str.upper() takes no arguments (1 given)".
pub(crate) fn check_no_args(
    vm: &mut Vm,
    owner: &str,
    name: &str,
    given: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<()> {
    if !kwargs.is_empty() {
        return vm.err_type(format!("{owner}.{name}() takes no keyword arguments"));
    }
    if !given.is_empty() {
        return vm.err_type(format!(
            "{owner}.{name}() takes no arguments ({} given)",
            given.len()
        ));
    }
    Ok(())
}

/// `METH_O` methods: "str.join() takes exactly one argument (0 given)".
pub(crate) fn check_one_arg(
    vm: &mut Vm,
    owner: &str,
    name: &str,
    given: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    if !kwargs.is_empty() {
        return vm.err_type(format!("{owner}.{name}() takes no keyword arguments"));
    }
    if given.len() != 1 {
        return vm.err_type(format!(
            "{owner}.{name}() takes exactly one argument ({} given)",
            given.len()
        ));
    }
    Ok(given[0])
}

/// Argument-clinic positional-only methods: "center expected at least 1
/// argument, got 0" and "str.center() takes no keyword arguments".
pub(crate) fn check_positional(
    vm: &mut Vm,
    owner: &str,
    name: &str,
    given: &[Value],
    kwargs: &[(Value, Value)],
    min: usize,
    max: usize,
) -> PyResult<()> {
    if !kwargs.is_empty() {
        return vm.err_type(format!("{owner}.{name}() takes no keyword arguments"));
    }
    let count = given.len();
    if count >= min && count <= max {
        return Ok(());
    }
    let message = if min == max {
        format!("{name} expected {min} argument{}, got {count}", plural(min))
    } else if count < min {
        format!(
            "{name} expected at least {min} argument{}, got {count}",
            plural(min)
        )
    } else {
        format!(
            "{name} expected at most {max} argument{}, got {count}",
            plural(max)
        )
    };
    vm.err_type(message)
}

/// `PyArg_ParseTuple` methods (`find`, `count`, `startswith`...):
/// "find() takes at least 1 argument (0 given)".
pub(crate) fn check_tuple_style(
    vm: &mut Vm,
    name: &str,
    given: &[Value],
    kwargs: &[(Value, Value)],
    min: usize,
    max: usize,
) -> PyResult<()> {
    if !kwargs.is_empty() {
        return vm.err_type(format!("{name}() takes no keyword arguments"));
    }
    let count = given.len();
    if count < min {
        return vm.err_type(format!(
            "{name}() takes at least {min} argument{} ({count} given)",
            plural(min)
        ));
    }
    if count > max {
        return vm.err_type(format!(
            "{name}() takes at most {max} argument{} ({count} given)",
            plural(max)
        ));
    }
    Ok(())
}

/// Argument-clinic methods with keyword parameters (`split`, `encode`...):
/// binds `given` and `kwargs` to `names`; unfilled slots are `NULL`.
pub(crate) fn bind_keywords(
    vm: &mut Vm,
    name: &str,
    given: &[Value],
    kwargs: &[(Value, Value)],
    names: &[&str],
) -> PyResult<Vec<Value>> {
    let total = given.len() + kwargs.len();
    if total > names.len() {
        let keyword = if given.is_empty() { "keyword " } else { "" };
        return vm.err_type(format!(
            "{name}() takes at most {} {keyword}argument{} ({total} given)",
            names.len(),
            plural(names.len())
        ));
    }
    let mut bound = vec![Value::NULL; names.len()];
    bound[..given.len()].copy_from_slice(given);
    for (key, value) in kwargs {
        let key_text = str_of(*key).unwrap_or("");
        match names.iter().position(|candidate| *candidate == key_text) {
            Some(index) if index < given.len() => {
                return vm.err_type(format!(
                    "argument for {name}() given by name ('{key_text}') and position ({})",
                    index + 1
                ));
            }
            Some(index) => bound[index] = *value,
            None => {
                return vm.err_type(format!(
                    "'{key_text}' is an invalid keyword argument for {name}()"
                ))
            }
        }
    }
    Ok(bound)
}

/// Slot wrappers (`__add__`, `__len__`...): "expected 1 argument, got 0".
pub(crate) fn check_wrapper(
    vm: &mut Vm,
    name: &str,
    given: &[Value],
    kwargs: &[(Value, Value)],
    expected: usize,
) -> PyResult<()> {
    if !kwargs.is_empty() {
        return vm.err_type(format!("wrapper {name}() takes no keyword arguments"));
    }
    if given.len() != expected {
        return vm.err_type(format!(
            "expected {expected} argument{}, got {}",
            plural(expected),
            given.len()
        ));
    }
    Ok(())
}

/// Slot wrappers that unpack their arguments with an empty function name
/// (`__mul__`, `__setitem__`...): CPython's text then starts with a space,
/// " expected 1 argument, got 0".
pub(crate) fn check_unpacked_wrapper(
    vm: &mut Vm,
    name: &str,
    given: &[Value],
    kwargs: &[(Value, Value)],
    expected: usize,
) -> PyResult<()> {
    if !kwargs.is_empty() {
        return vm.err_type(format!("wrapper {name}() takes no keyword arguments"));
    }
    if given.len() != expected {
        return vm.err_type(format!(
            " expected {expected} argument{}, got {}",
            plural(expected),
            given.len()
        ));
    }
    Ok(())
}

/// Whether `value`'s class defines `__index__` (ints and bools included).
pub(crate) fn has_index(vm: &Vm, value: Value) -> bool {
    value.is_small_int()
        || value.is_bool()
        || matches!(value.as_obj().map(|obj| &obj.kind), Some(ObjKind::Int(_)))
        || ops::lookup_class_attr(vm.type_of(value), "__index__").is_some()
}

/// The float payload of a float or float-subclass instance.
pub(crate) fn float_of(value: Value) -> Option<f64> {
    if let Some(x) = value.as_float() {
        return Some(x);
    }
    match value.as_obj().map(|obj| &obj.kind) {
        Some(ObjKind::Float(x)) => Some(*x),
        _ => None,
    }
}

/// A start/end argument of `find`-like methods: `None` (or absent) means
/// "not given"; anything else must be an int or have `__index__`. Huge
/// values are clamped, as CPython's `_PyEval_SliceIndex` does.
pub(crate) fn slice_bound_arg(vm: &mut Vm, value: Value) -> PyResult<Option<i64>> {
    if value.is_null() || value.is_none() {
        return Ok(None);
    }
    if let Some(n) = value.as_small_int() {
        return Ok(Some(n));
    }
    if !has_index(vm, value) {
        return vm.err_type("slice indices must be integers or None or have an __index__ method");
    }
    let index = ops::index_value(vm, value)?;
    let n = int_value(index).unwrap_or_default();
    Ok(Some(clamp_to_i64(&n)))
}

pub(crate) fn clamp_to_i64(n: &BigInt) -> i64 {
    n.to_i64()
        .unwrap_or(if n.is_negative() { i64::MIN } else { i64::MAX })
}

/// An index-like argument as i64 (`__index__` honoured), with CPython's
/// "'str' object cannot be interpreted as an integer".
pub(crate) fn index_arg(vm: &mut Vm, value: Value) -> PyResult<i64> {
    to_i64(vm, value)
}

pub(crate) fn memory_error(vm: &mut Vm) -> Value {
    let class = vm.types.exc.memory_error;
    vm.new_exception(class, vec![])
}

/// Raises the ValueError (or OverflowError) a format-spec message stands for.
pub(crate) fn format_spec_error(vm: &mut Vm, message: String) -> Value {
    if format_spec::is_overflow_error(&message) {
        vm.overflow_error(message)
    } else {
        vm.value_error(message)
    }
}

// ---------------------------------------------------------------------------
// Receivers and results
// ---------------------------------------------------------------------------

/// The str receiver of a method, with CPython's descriptor errors.
fn receiver<'a>(
    vm: &mut Vm,
    args: &'a [Value],
    name: &str,
) -> PyResult<(Value, &'static PyStr, &'a [Value])> {
    let Some(&first) = args.first() else {
        return vm.err_type(format!("unbound method str.{name}() needs an argument"));
    };
    match pystr_of(first) {
        Some(text) => Ok((first, text, &args[1..])),
        None => {
            let type_name = vm.type_name(first);
            vm.err_type(format!(
                "descriptor '{name}' for 'str' objects doesn't apply to a '{type_name}' object"
            ))
        }
    }
}

/// The str receiver of a slot wrapper (`__add__`...).
fn dunder_receiver<'a>(
    vm: &mut Vm,
    args: &'a [Value],
    name: &str,
) -> PyResult<(Value, &'static PyStr, &'a [Value])> {
    let Some(&first) = args.first() else {
        return vm.err_type(format!(
            "descriptor '{name}' of 'str' object needs an argument"
        ));
    };
    match pystr_of(first) {
        Some(text) => Ok((first, text, &args[1..])),
        None => {
            let type_name = vm.type_name(first);
            vm.err_type(format!(
                "descriptor '{name}' requires a 'str' object but received a '{type_name}'"
            ))
        }
    }
}

fn is_exact_str(vm: &Vm, value: Value) -> bool {
    vm.type_of(value) == vm.types.str
}

/// `receiver` itself when it is an exact str whose text is `text` (CPython
/// returns self for unchanged results), else a new exact str.
fn same_or_new(vm: &mut Vm, receiver: Value, original: &str, text: &str) -> Value {
    if is_exact_str(vm, receiver) && original.len() == text.len() && original == text {
        receiver
    } else {
        vm.new_str(text)
    }
}

/// An exact str with the text of `value` (a str or str subclass).
fn exact_str(vm: &mut Vm, value: Value) -> Value {
    if is_exact_str(vm, value) {
        value
    } else {
        let text = str_of(value).unwrap_or("");
        vm.new_str(text)
    }
}

fn str_list(vm: &mut Vm, parts: Vec<&str>) -> Value {
    let items: Vec<Value> = parts.into_iter().map(|part| vm.new_str(part)).collect();
    vm.new_list(items)
}

// ---------------------------------------------------------------------------
// Predicates and case mapping
// ---------------------------------------------------------------------------

macro_rules! str_predicates {
    ($($function:ident => $name:literal, $algorithm:path;)*) => {
        $(
            fn $function(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
                let (_, text, given) = receiver(vm, args, $name)?;
                check_no_args(vm, "str", $name, given, kwargs)?;
                Ok(Value::bool($algorithm(text.as_str())))
            }
        )*
    };
}

str_predicates! {
    str_isalpha => "isalpha", strops::isalpha;
    str_isalnum => "isalnum", strops::isalnum;
    str_isdecimal => "isdecimal", strops::isdecimal;
    str_isdigit => "isdigit", strops::isdigit;
    str_isnumeric => "isnumeric", strops::isnumeric;
    str_isspace => "isspace", strops::isspace;
    str_isascii => "isascii", is_ascii_text;
    str_isprintable => "isprintable", strops::isprintable;
    str_isupper => "isupper", strops::isupper;
    str_islower => "islower", strops::islower;
    str_istitle => "istitle", strops::istitle;
    str_isidentifier => "isidentifier", strops::isidentifier;
}

fn is_ascii_text(text: &str) -> bool {
    text.is_ascii()
}

macro_rules! str_case_maps {
    ($($function:ident => $name:literal, $algorithm:path;)*) => {
        $(
            fn $function(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
                let (this, text, given) = receiver(vm, args, $name)?;
                check_no_args(vm, "str", $name, given, kwargs)?;
                let result = $algorithm(text.as_str());
                Ok(same_or_new(vm, this, text.as_str(), &result))
            }
        )*
    };
}

str_case_maps! {
    str_upper => "upper", strops::upper;
    str_lower => "lower", strops::lower;
    str_casefold => "casefold", strops::casefold;
    str_capitalize => "capitalize", strops::capitalize;
    str_title => "title", strops::title;
    str_swapcase => "swapcase", strops::swapcase;
}

// ---------------------------------------------------------------------------
// Searching
// ---------------------------------------------------------------------------

/// `(sub, start, end)` of `find`, `count` and friends.
fn search_args(
    vm: &mut Vm,
    name: &str,
    given: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<(&'static str, Option<i64>, Option<i64>)> {
    check_tuple_style(vm, name, given, kwargs, 1, 3)?;
    let Some(sub) = str_of(given[0]) else {
        let type_name = vm.type_name(given[0]);
        return vm.err_type(format!("must be str, not {type_name}"));
    };
    let start = slice_bound_arg(vm, given.get(1).copied().unwrap_or(Value::NULL))?;
    let end = slice_bound_arg(vm, given.get(2).copied().unwrap_or(Value::NULL))?;
    Ok((sub, start, end))
}

fn str_find(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, text, given) = receiver(vm, args, "find")?;
    let (sub, start, end) = search_args(vm, "find", given, kwargs)?;
    Ok(vm.new_int(strops::find(text.as_str(), sub, start, end)))
}

fn str_rfind(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, text, given) = receiver(vm, args, "rfind")?;
    let (sub, start, end) = search_args(vm, "rfind", given, kwargs)?;
    Ok(vm.new_int(strops::rfind(text.as_str(), sub, start, end)))
}

fn str_index(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, text, given) = receiver(vm, args, "index")?;
    let (sub, start, end) = search_args(vm, "index", given, kwargs)?;
    match strops::find(text.as_str(), sub, start, end) {
        -1 => vm.err_value("substring not found"),
        found => Ok(vm.new_int(found)),
    }
}

fn str_rindex(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, text, given) = receiver(vm, args, "rindex")?;
    let (sub, start, end) = search_args(vm, "rindex", given, kwargs)?;
    match strops::rfind(text.as_str(), sub, start, end) {
        -1 => vm.err_value("substring not found"),
        found => Ok(vm.new_int(found)),
    }
}

fn str_count(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, text, given) = receiver(vm, args, "count")?;
    let (sub, start, end) = search_args(vm, "count", given, kwargs)?;
    let found = strops::count(text.as_str(), sub, start, end);
    Ok(vm.new_int(found as i64))
}

/// `startswith` / `endswith`: one str or a tuple of them.
fn affix_test(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
    name: &str,
    test: fn(&str, &str, Option<i64>, Option<i64>) -> bool,
) -> PyResult<Value> {
    let (_, text, given) = receiver(vm, args, name)?;
    check_tuple_style(vm, name, given, kwargs, 1, 3)?;
    let start = slice_bound_arg(vm, given.get(1).copied().unwrap_or(Value::NULL))?;
    let end = slice_bound_arg(vm, given.get(2).copied().unwrap_or(Value::NULL))?;
    let affix = given[0];
    if let Some(single) = str_of(affix) {
        return Ok(Value::bool(test(text.as_str(), single, start, end)));
    }
    if let Some(items) = tuple_items(affix) {
        for item in items {
            let Some(candidate) = str_of(*item) else {
                let type_name = vm.type_name(*item);
                return vm.err_type(format!(
                    "tuple for {name} must only contain str, not {type_name}"
                ));
            };
            if test(text.as_str(), candidate, start, end) {
                return Ok(Value::TRUE);
            }
        }
        return Ok(Value::FALSE);
    }
    let type_name = vm.type_name(affix);
    vm.err_type(format!(
        "{name} first arg must be str or a tuple of str, not {type_name}"
    ))
}

fn str_startswith(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    affix_test(vm, args, kwargs, "startswith", strops::startswith_at)
}

fn str_endswith(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    affix_test(vm, args, kwargs, "endswith", strops::endswith_at)
}

// ---------------------------------------------------------------------------
// Splitting, stripping, partitioning
// ---------------------------------------------------------------------------

/// `(sep, maxsplit)` of `split`/`rsplit`; `None` separator = whitespace.
fn split_args(
    vm: &mut Vm,
    name: &str,
    given: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<(Option<&'static str>, i64)> {
    let bound = bind_keywords(vm, name, given, kwargs, &["sep", "maxsplit"])?;
    let separator = match bound[0] {
        value if value.is_null() || value.is_none() => None,
        value => match str_of(value) {
            Some("") => return vm.err_value("empty separator"),
            Some(separator) => Some(separator),
            None => {
                let type_name = vm.type_name(value);
                return vm.err_type(format!("must be str or None, not {type_name}"));
            }
        },
    };
    let maxsplit = if bound[1].is_null() {
        -1
    } else {
        index_arg(vm, bound[1])?
    };
    Ok((separator, maxsplit))
}

fn str_split(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, text, given) = receiver(vm, args, "split")?;
    let (separator, maxsplit) = split_args(vm, "split", given, kwargs)?;
    let parts = match separator {
        None => strops::split_whitespace(text.as_str(), maxsplit),
        Some(separator) => strops::split_sep(text.as_str(), separator, maxsplit),
    };
    Ok(str_list(vm, parts))
}

fn str_rsplit(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, text, given) = receiver(vm, args, "rsplit")?;
    let (separator, maxsplit) = split_args(vm, "rsplit", given, kwargs)?;
    let parts = match separator {
        None => strops::rsplit_whitespace(text.as_str(), maxsplit),
        Some(separator) => strops::rsplit_sep(text.as_str(), separator, maxsplit),
    };
    Ok(str_list(vm, parts))
}

fn str_splitlines(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, text, given) = receiver(vm, args, "splitlines")?;
    let bound = bind_keywords(vm, "splitlines", given, kwargs, &["keepends"])?;
    let keepends = if bound[0].is_null() {
        false
    } else {
        index_arg(vm, bound[0])? != 0
    };
    let parts = strops::splitlines(text.as_str(), keepends);
    Ok(str_list(vm, parts))
}

/// The optional `chars` argument of the strip family.
fn strip_chars(
    vm: &mut Vm,
    name: &str,
    given: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Option<&'static str>> {
    check_positional(vm, "str", name, given, kwargs, 0, 1)?;
    match given.first() {
        None => Ok(None),
        Some(value) if value.is_none() => Ok(None),
        Some(value) => match str_of(*value) {
            Some(chars) => Ok(Some(chars)),
            None => vm.err_type(format!("{name} arg must be None or str")),
        },
    }
}

fn str_strip(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (this, text, given) = receiver(vm, args, "strip")?;
    let chars = strip_chars(vm, "strip", given, kwargs)?;
    let result = strops::strip(text.as_str(), chars);
    Ok(same_or_new(vm, this, text.as_str(), result))
}

fn str_lstrip(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (this, text, given) = receiver(vm, args, "lstrip")?;
    let chars = strip_chars(vm, "lstrip", given, kwargs)?;
    let result = strops::lstrip(text.as_str(), chars);
    Ok(same_or_new(vm, this, text.as_str(), result))
}

fn str_rstrip(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (this, text, given) = receiver(vm, args, "rstrip")?;
    let chars = strip_chars(vm, "rstrip", given, kwargs)?;
    let result = strops::rstrip(text.as_str(), chars);
    Ok(same_or_new(vm, this, text.as_str(), result))
}

fn partition_separator(
    vm: &mut Vm,
    name: &str,
    given: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<&'static str> {
    let separator = check_one_arg(vm, "str", name, given, kwargs)?;
    match str_of(separator) {
        Some("") => vm.err_value("empty separator"),
        Some(separator) => Ok(separator),
        None => {
            let type_name = vm.type_name(separator);
            vm.err_type(format!("must be str, not {type_name}"))
        }
    }
}

fn partition_tuple(vm: &mut Vm, this: Value, parts: (&str, &str, &str)) -> Value {
    let original = str_of(this).unwrap_or("");
    let items: Vec<Value> = [parts.0, parts.1, parts.2]
        .iter()
        .map(|part| same_or_new(vm, this, original, part))
        .collect();
    vm.new_tuple(items)
}

fn str_partition(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (this, text, given) = receiver(vm, args, "partition")?;
    let separator = partition_separator(vm, "partition", given, kwargs)?;
    let parts = strops::partition(text.as_str(), separator);
    Ok(partition_tuple(vm, this, parts))
}

fn str_rpartition(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (this, text, given) = receiver(vm, args, "rpartition")?;
    let separator = partition_separator(vm, "rpartition", given, kwargs)?;
    let parts = strops::rpartition(text.as_str(), separator);
    Ok(partition_tuple(vm, this, parts))
}

fn affix_removal(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
    name: &str,
    remove: for<'a> fn(&'a str, &str) -> &'a str,
) -> PyResult<Value> {
    let (this, text, given) = receiver(vm, args, name)?;
    let affix = check_one_arg(vm, "str", name, given, kwargs)?;
    let Some(affix) = str_of(affix) else {
        let type_name = vm.type_name(affix);
        return vm.err_type(format!("{name}() argument must be str, not {type_name}"));
    };
    let result = remove(text.as_str(), affix);
    Ok(same_or_new(vm, this, text.as_str(), result))
}

fn str_removeprefix(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    affix_removal(vm, args, kwargs, "removeprefix", strops::removeprefix)
}

fn str_removesuffix(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    affix_removal(vm, args, kwargs, "removesuffix", strops::removesuffix)
}

// ---------------------------------------------------------------------------
// Replacing, padding
// ---------------------------------------------------------------------------

fn str_replace(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (this, text, given) = receiver(vm, args, "replace")?;
    check_positional(vm, "str", "replace", given, kwargs, 2, 3)?;
    let mut pieces = [""; 2];
    for (position, piece) in pieces.iter_mut().enumerate() {
        match str_of(given[position]) {
            Some(value) => *piece = value,
            None => {
                let type_name = vm.type_name(given[position]);
                return vm.err_type(format!(
                    "replace() argument {} must be str, not {type_name}",
                    position + 1
                ));
            }
        }
    }
    let count = match given.get(2) {
        Some(count) => index_arg(vm, *count)?,
        None => -1,
    };
    let [old, new] = pieces;
    // Bound the result before building it.
    if new.len() > old.len() && count != 0 {
        let occurrences = strops::count(text.as_str(), old, None, None) as u128;
        let occurrences = if count >= 0 {
            occurrences.min(count as u128)
        } else {
            occurrences
        };
        let size = text.as_str().len() as u128 + occurrences * (new.len() - old.len()) as u128;
        if size > MAX_RESULT_BYTES as u128 {
            return Err(memory_error(vm));
        }
    }
    let result = strops::replace(text.as_str(), old, new, count);
    Ok(same_or_new(vm, this, text.as_str(), &result))
}

/// The fill character argument of `center`/`ljust`/`rjust`.
fn fill_char(vm: &mut Vm, value: Option<Value>) -> PyResult<char> {
    let Some(value) = value else { return Ok(' ') };
    let Some(text) = pystr_of(value) else {
        let type_name = vm.type_name(value);
        return vm.err_type(format!(
            "The fill character must be a unicode character, not {type_name}"
        ));
    };
    if text.char_count() != 1 {
        return vm.err_type("The fill character must be exactly one character long");
    }
    Ok(text.char_at(0))
}

fn check_width(vm: &mut Vm, text: &PyStr, width: i64, fill: char) -> PyResult<()> {
    let extra = (width.max(0) as u128).saturating_sub(text.char_count() as u128);
    if text.as_str().len() as u128 + extra * fill.len_utf8() as u128 > MAX_RESULT_BYTES as u128 {
        return Err(memory_error(vm));
    }
    Ok(())
}

fn padding(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
    name: &str,
    pad: fn(&str, i64, char) -> String,
) -> PyResult<Value> {
    let (this, text, given) = receiver(vm, args, name)?;
    check_positional(vm, "str", name, given, kwargs, 1, 2)?;
    let width = index_arg(vm, given[0])?;
    let fill = fill_char(vm, given.get(1).copied())?;
    if width <= text.char_count() as i64 {
        return Ok(exact_str(vm, this));
    }
    check_width(vm, text, width, fill)?;
    let result = pad(text.as_str(), width, fill);
    Ok(vm.new_str(result))
}

fn str_center(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    padding(vm, args, kwargs, "center", strops::center)
}

fn str_ljust(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    padding(vm, args, kwargs, "ljust", strops::ljust)
}

fn str_rjust(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    padding(vm, args, kwargs, "rjust", strops::rjust)
}

fn str_zfill(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (this, text, given) = receiver(vm, args, "zfill")?;
    let width = check_one_arg(vm, "str", "zfill", given, kwargs)?;
    let width = index_arg(vm, width)?;
    if width <= text.char_count() as i64 {
        return Ok(exact_str(vm, this));
    }
    check_width(vm, text, width, '0')?;
    let result = strops::zfill(text.as_str(), width);
    Ok(vm.new_str(result))
}

fn str_expandtabs(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (this, text, given) = receiver(vm, args, "expandtabs")?;
    let bound = bind_keywords(vm, "expandtabs", given, kwargs, &["tabsize"])?;
    let tabsize = if bound[0].is_null() {
        8
    } else {
        index_arg(vm, bound[0])?
    };
    let tabs = text.as_str().bytes().filter(|byte| *byte == b'\t').count() as u128;
    if tabs * tabsize.max(0) as u128 + text.as_str().len() as u128 > MAX_RESULT_BYTES as u128 {
        return Err(memory_error(vm));
    }
    let result = strops::expandtabs(text.as_str(), tabsize);
    Ok(same_or_new(vm, this, text.as_str(), &result))
}

// ---------------------------------------------------------------------------
// join, translate, maketrans
// ---------------------------------------------------------------------------

/// The items of the argument of `join`, with CPython's "can only join an
/// iterable" for non-iterables.
pub(crate) fn join_items(vm: &mut Vm, iterable: Value) -> PyResult<Vec<Value>> {
    if let Some(items) = tuple_items(iterable) {
        return Ok(items.to_vec());
    }
    if let Some(list) = ops::list_of(iterable) {
        let items = list.borrow().to_vec();
        return Ok(items);
    }
    let iterator = match ops::iter(vm, iterable) {
        Ok(iterator) => iterator,
        Err(error) => {
            if vm.is_instance(error, vm.types.exc.type_error) {
                return vm.err_type("can only join an iterable");
            }
            return Err(error);
        }
    };
    let mut items = Vec::new();
    while let Some(item) = ops::next(vm, iterator)? {
        items.push(item);
    }
    Ok(items)
}

fn str_join(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, text, given) = receiver(vm, args, "join")?;
    let iterable = check_one_arg(vm, "str", "join", given, kwargs)?;
    if let Some(deferred) =
        crate::builtins::functions::defer_loop(vm, "join_of", iterable, &[args[0], iterable])?
    {
        return Ok(deferred);
    }
    let items = join_items(vm, iterable)?;
    if items.len() == 1 && is_exact_str(vm, items[0]) {
        return Ok(items[0]);
    }
    let separator = text.as_str();
    let mut size: usize = 0;
    for (index, item) in items.iter().enumerate() {
        match str_of(*item) {
            Some(piece) => size = size.saturating_add(piece.len()),
            None => {
                let type_name = vm.type_name(*item);
                return vm.err_type(format!(
                    "sequence item {index}: expected str instance, {type_name} found"
                ));
            }
        }
    }
    size = size.saturating_add(
        separator
            .len()
            .saturating_mul(items.len().saturating_sub(1)),
    );
    if size > MAX_RESULT_BYTES {
        return Err(memory_error(vm));
    }
    let mut result = String::with_capacity(size);
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            result.push_str(separator);
        }
        result.push_str(str_of(*item).unwrap_or(""));
    }
    Ok(vm.new_str(result))
}

fn str_translate(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (this, text, given) = receiver(vm, args, "translate")?;
    let table = check_one_arg(vm, "str", "translate", given, kwargs)?;
    let lookup_error = vm.types.exc.lookup_error;
    let mut cache: HashMap<char, Option<String>> = HashMap::new();
    let mut result = String::with_capacity(text.as_str().len());
    for c in text.as_str().chars() {
        if let Some(mapped) = cache.get(&c) {
            if let Some(mapped) = mapped {
                result.push_str(mapped);
            }
            continue;
        }
        let key = Value::small_int_unchecked(c as i64);
        let mapped = match ops::getitem(vm, table, key) {
            Ok(mapped) => mapped,
            Err(error) if vm.is_instance(error, lookup_error) => {
                result.push(c);
                cache.insert(c, Some(c.to_string()));
                continue;
            }
            Err(error) => return Err(error),
        };
        let replacement = if mapped.is_none() {
            None
        } else if let Some(code) = int_value(mapped) {
            let code = code.to_u32().filter(|code| *code <= 0x10FFFF);
            match code {
                Some(code) => match char::from_u32(code) {
                    Some(mapped) => Some(mapped.to_string()),
                    None => {
                        return vm.err_value(
                            "character mapping is a surrogate, which cannot be represented",
                        )
                    }
                },
                None => return vm.err_value("character mapping must be in range(0x110000)"),
            }
        } else if let Some(mapped) = str_of(mapped) {
            Some(mapped.to_string())
        } else {
            return vm.err_type("character mapping must return integer, None or str");
        };
        if let Some(replacement) = &replacement {
            result.push_str(replacement);
            if result.len() > MAX_RESULT_BYTES {
                return Err(memory_error(vm));
            }
        }
        cache.insert(c, replacement);
    }
    Ok(same_or_new(vm, this, text.as_str(), &result))
}

/// `str.maketrans(x[, y[, z]])` (a staticmethod: no receiver).
fn str_maketrans(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    check_positional(vm, "str", "maketrans", args, kwargs, 1, 3)?;
    for (position, value) in args.iter().enumerate().skip(1) {
        if str_of(*value).is_none() {
            let type_name = vm.type_name(*value);
            return vm.err_type(format!(
                "maketrans() argument {} must be str, not {type_name}",
                position + 1
            ));
        }
    }
    let result = vm.new_dict();
    if args.len() == 1 {
        let mapping = args[0];
        let Some(table) = ops::dict_of(mapping) else {
            return vm.err_type("if you give only one argument to maketrans it must be a dict");
        };
        let entries = table.borrow().items();
        for (key, value) in entries {
            let key = if let Some(text) = pystr_of(key) {
                if text.char_count() != 1 {
                    return vm.err_value("string keys in translate table must be of length 1");
                }
                vm.new_int(text.char_at(0) as i64)
            } else if int_value(key).is_some() {
                let n = int_value(key).unwrap_or_default();
                vm.new_bigint(n)
            } else {
                return vm.err_type("keys in translate table must be strings or integers");
            };
            ops::dict_set(vm, result, key, value)?;
        }
        return Ok(result);
    }
    let (Some(from), Some(to)) = (pystr_of(args[0]), pystr_of(args[1])) else {
        return vm
            .err_type("first maketrans argument must be a string if there is a second argument");
    };
    if from.char_count() != to.char_count() {
        return vm.err_value("the first two maketrans arguments must have equal length");
    }
    for (source, target) in from.as_str().chars().zip(to.as_str().chars()) {
        let key = vm.new_int(source as i64);
        let value = vm.new_int(target as i64);
        ops::dict_set(vm, result, key, value)?;
    }
    if let Some(deleted) = args.get(2).and_then(|value| str_of(*value)) {
        for c in deleted.chars() {
            let key = vm.new_int(c as i64);
            ops::dict_set(vm, result, key, Value::NONE)?;
        }
    }
    Ok(result)
}

// ---------------------------------------------------------------------------
// Codecs (utf-8, utf-16, utf-32, ascii, latin-1) and encode
// ---------------------------------------------------------------------------

/// Byte order of a UTF-16/UTF-32 codec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ByteOrder {
    Little,
    Big,
}

/// The codecs the engine implements natively. UTF-16/32 without a byte
/// order write a BOM (little-endian data) and read one if present.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Codec {
    Utf8,
    /// `utf-8-sig`: UTF-8 with a leading BOM.
    Utf8Sig,
    Utf16(Option<ByteOrder>),
    Utf32(Option<ByteOrder>),
    Ascii,
    Latin1,
    /// `unicode_escape` (`builtins/escape_codecs.rs`).
    UnicodeEscape,
    /// `raw_unicode_escape`.
    RawUnicodeEscape,
}

impl Codec {
    /// The name CPython's codec errors use.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Codec::Utf8 | Codec::Utf8Sig => "utf-8",
            Codec::Utf16(Some(ByteOrder::Big)) => "utf-16-be",
            Codec::Utf16(_) => "utf-16-le",
            Codec::Utf32(Some(ByteOrder::Big)) => "utf-32-be",
            Codec::Utf32(_) => "utf-32-le",
            Codec::Ascii => "ascii",
            Codec::Latin1 => "latin-1",
            Codec::UnicodeEscape => "unicodeescape",
            Codec::RawUnicodeEscape => "rawunicodeescape",
        }
    }

    /// The exclusive upper bound of the code points the codec can encode.
    fn limit(self) -> u32 {
        match self {
            Codec::Ascii => 0x80,
            Codec::Latin1 => 0x100,
            _ => 0x110000,
        }
    }
}

/// Resolves an encoding name the way Python's codec registry does
/// (case-insensitive, punctuation folded to `_`), for the codecs we have.
pub(crate) fn lookup_codec(name: &str) -> Option<Codec> {
    let mut normalized = String::with_capacity(name.len());
    let mut pending_separator = false;
    for c in name.trim().chars() {
        if c.is_ascii_alphanumeric() || c == '.' {
            if pending_separator && !normalized.is_empty() {
                normalized.push('_');
            }
            pending_separator = false;
            normalized.push(c.to_ascii_lowercase());
        } else {
            pending_separator = true;
        }
    }
    match normalized.as_str() {
        "utf_8" | "utf8" | "u8" | "utf" | "cp65001" | "utf8_ucs2" | "utf8_ucs4" => {
            Some(Codec::Utf8)
        }
        "utf_8_sig" => Some(Codec::Utf8Sig),
        "utf_16" | "utf16" | "u16" => Some(Codec::Utf16(None)),
        "utf_16_le" | "utf_16le" | "unicodelittleunmarked" => {
            Some(Codec::Utf16(Some(ByteOrder::Little)))
        }
        "utf_16_be" | "utf_16be" | "unicodebigunmarked" => Some(Codec::Utf16(Some(ByteOrder::Big))),
        "utf_32" | "utf32" | "u32" => Some(Codec::Utf32(None)),
        "utf_32_le" | "utf_32le" => Some(Codec::Utf32(Some(ByteOrder::Little))),
        "utf_32_be" | "utf_32be" => Some(Codec::Utf32(Some(ByteOrder::Big))),
        "ascii" | "us_ascii" | "646" | "us" | "iso646_us" | "ansi_x3.4_1968" | "ansi_x3_4_1968"
        | "ansi_x3.4_1986" | "cp367" | "csascii" | "ibm367" | "iso_646.irv_1991" | "iso_ir_6" => {
            Some(Codec::Ascii)
        }
        "latin_1" | "latin1" | "latin" | "l1" | "iso8859_1" | "iso_8859_1" | "iso8859" | "8859"
        | "cp819" | "ibm819" | "iso_ir_100" | "csisolatin1" | "iso_8859_1_1987" => {
            Some(Codec::Latin1)
        }
        "unicode_escape" => Some(Codec::UnicodeEscape),
        "raw_unicode_escape" => Some(Codec::RawUnicodeEscape),
        _ => None,
    }
}

/// Encodes UTF-16/UTF-32 code units in the given byte order, with a
/// (little-endian) BOM first when no order was named.
fn encode_wide(text: &str, order: Option<ByteOrder>, unit_bytes: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() * unit_bytes + unit_bytes);
    let big_endian = order == Some(ByteOrder::Big);
    let mut push = |unit: u32| {
        let bytes = unit.to_le_bytes();
        let unit_slice = &bytes[..unit_bytes];
        if big_endian {
            out.extend(unit_slice.iter().rev());
        } else {
            out.extend_from_slice(unit_slice);
        }
    };
    if order.is_none() {
        push(0xFEFF);
    }
    if unit_bytes == 2 {
        for unit in text.encode_utf16() {
            push(unit as u32);
        }
    } else {
        for c in text.chars() {
            push(c as u32);
        }
    }
    out
}

pub(crate) fn unknown_encoding(vm: &mut Vm, name: &str) -> Value {
    let class = vm.types.exc.lookup_error;
    vm.new_error(class, format!("unknown encoding: {name}"))
}

pub(crate) fn unknown_error_handler(vm: &mut Vm, name: &str) -> Value {
    let class = vm.types.exc.lookup_error;
    vm.new_error(class, format!("unknown error handler name '{name}'"))
}

/// How `repr` of an unencodable character reads in UnicodeEncodeError.
fn escaped_code_point(c: char) -> String {
    let code = c as u32;
    if code < 0x100 {
        format!("\\x{code:02x}")
    } else if code < 0x10000 {
        format!("\\u{code:04x}")
    } else {
        format!("\\U{code:08x}")
    }
}

/// The text of a UnicodeEncodeError for the code points `start..end` of
/// `text` (`chars` are the offending characters).
pub(crate) fn encode_error_message(codec: Codec, chars: &[char], start: usize) -> String {
    let reason = format!("ordinal not in range({})", codec.limit());
    if chars.len() == 1 {
        format!(
            "'{}' codec can't encode character '{}' in position {start}: {reason}",
            codec.name(),
            escaped_code_point(chars[0])
        )
    } else {
        format!(
            "'{}' codec can't encode characters in position {start}-{}: {reason}",
            codec.name(),
            start + chars.len() - 1
        )
    }
}

/// Encodes `text` with `codec` and error handler `errors`; `Err` says
/// why (the UnicodeEncodeError text, or the unknown handler's name).
pub(crate) fn encode_text(
    codec: Codec,
    text: &str,
    errors: &str,
) -> Result<Vec<u8>, EncodeFailure> {
    match codec {
        Codec::Utf8 => return Ok(text.as_bytes().to_vec()),
        Codec::Utf8Sig => return Ok([&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat()),
        Codec::Utf16(order) => return Ok(encode_wide(text, order, 2)),
        Codec::Utf32(order) => return Ok(encode_wide(text, order, 4)),
        Codec::Ascii | Codec::Latin1 if text.is_ascii() => return Ok(text.as_bytes().to_vec()),
        Codec::Ascii | Codec::Latin1 => {}
        Codec::UnicodeEscape => {
            return Ok(crate::builtins::escape_codecs::encode_escaped(text, false))
        }
        Codec::RawUnicodeEscape => {
            return Ok(crate::builtins::escape_codecs::encode_escaped(text, true))
        }
    }
    let limit = codec.limit();
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut index = 0;
    while index < chars.len() {
        let c = chars[index];
        if (c as u32) < limit {
            out.push(c as u32 as u8);
            index += 1;
            continue;
        }
        let run_end = chars[index..]
            .iter()
            .position(|c| (*c as u32) < limit)
            .map_or(chars.len(), |offset| index + offset);
        match errors {
            "strict" | "surrogateescape" | "surrogatepass" => {
                return Err(EncodeFailure::Unencodable(encode_error_message(
                    codec,
                    &chars[index..run_end],
                    index,
                )));
            }
            "ignore" => {}
            "replace" => out.extend(std::iter::repeat_n(b'?', run_end - index)),
            "backslashreplace" => {
                for c in &chars[index..run_end] {
                    out.extend_from_slice(escaped_code_point(*c).as_bytes());
                }
            }
            "xmlcharrefreplace" => {
                for c in &chars[index..run_end] {
                    out.extend_from_slice(format!("&#{};", *c as u32).as_bytes());
                }
            }
            other => return Err(EncodeFailure::UnknownHandler(other.to_string())),
        }
        index = run_end;
    }
    Ok(out)
}

/// Why [`encode_text`] failed.
#[derive(Debug, PartialEq)]
pub(crate) enum EncodeFailure {
    Unencodable(String),
    UnknownHandler(String),
}

/// Encodes `text` with the named codec and handler, raising as CPython does.
pub(crate) fn encode_to_bytes(
    vm: &mut Vm,
    text: &str,
    encoding: &str,
    errors: &str,
) -> PyResult<Vec<u8>> {
    let Some(codec) = lookup_codec(encoding) else {
        return Err(unknown_encoding(vm, encoding));
    };
    match encode_text(codec, text, errors) {
        Ok(bytes) => Ok(bytes),
        Err(EncodeFailure::Unencodable(message)) => Err(
            crate::builtins::unicode_errors::encode_error(vm, text, &message),
        ),
        Err(EncodeFailure::UnknownHandler(name)) => Err(unknown_error_handler(vm, &name)),
    }
}

/// A str-typed argument of a codec method (`encoding=`, `errors=`).
pub(crate) fn codec_name_arg(
    vm: &mut Vm,
    function: &str,
    parameter: &str,
    value: Value,
    default: &'static str,
) -> PyResult<&'static str> {
    if value.is_null() {
        return Ok(default);
    }
    match str_of(value) {
        Some(text) => Ok(text),
        None => {
            let type_name = vm.type_name(value);
            vm.err_type(format!(
                "{function}() argument '{parameter}' must be str, not {type_name}"
            ))
        }
    }
}

fn str_encode(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, text, given) = receiver(vm, args, "encode")?;
    let bound = bind_keywords(vm, "encode", given, kwargs, &["encoding", "errors"])?;
    let encoding = codec_name_arg(vm, "encode", "encoding", bound[0], "utf-8")?;
    let errors = codec_name_arg(vm, "encode", "errors", bound[1], "strict")?;
    let bytes = encode_to_bytes(vm, text.as_str(), encoding, errors)?;
    Ok(vm.new_bytes(bytes))
}

// ---------------------------------------------------------------------------
// Construction
// ---------------------------------------------------------------------------

/// The bytes of a bytes-like object (bytes, bytearray or a subclass).
pub(crate) fn bytes_like_data(value: Value) -> Option<Vec<u8>> {
    match value.as_obj().map(|obj| &obj.kind) {
        Some(ObjKind::Bytes(bytes)) => Some(bytes.to_vec()),
        Some(ObjKind::ByteArray(bytes)) => Some(bytes.borrow().clone()),
        _ => None,
    }
}

/// `str(object='')` and `str(object=b'', encoding='utf-8', errors='strict')`.
fn str_new(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let str_class = vm.types.str;
    let class = new_class_argument(vm, args, "str", str_class)?;
    let bound = bind_keywords(
        vm,
        "str",
        &args[1..],
        kwargs,
        &["object", "encoding", "errors"],
    )?;
    let (object, encoding, errors) = (bound[0], bound[1], bound[2]);
    let value = if object.is_null() {
        vm.new_str("")
    } else if encoding.is_null() && errors.is_null() {
        let value = ops::to_str(vm, object)?;
        exact_str(vm, value)
    } else {
        let encoding = codec_name_arg(vm, "str", "encoding", encoding, "utf-8")?;
        let errors = codec_name_arg(vm, "str", "errors", errors, "strict")?;
        if str_of(object).is_some() {
            return vm.err_type("decoding str is not supported");
        }
        let Some(data) = bytes_like_data(object) else {
            let type_name = vm.type_name(object);
            return vm.err_type(format!(
                "decoding to str: need a bytes-like object, {type_name} found"
            ));
        };
        let text = crate::builtins::bytes_methods::decode_to_string(vm, &data, encoding, errors)?;
        vm.new_str(text)
    };
    if class == str_class {
        return Ok(value);
    }
    let text = str_of(value).unwrap_or("");
    Ok(alloc_instance(vm, class, ObjKind::Str(PyStr::new(text))))
}

// ---------------------------------------------------------------------------
// Dunders
// ---------------------------------------------------------------------------

/// The integer a subscript stands for, if it is one (`None` for anything
/// without `__index__`). Ints beyond i64 fail with CPython's IndexError.
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

/// `s[key]` for a str `s`: code-point indexing and slicing.
pub fn str_getitem(vm: &mut Vm, s: Value, key: Value) -> PyResult<Value> {
    let Some(text) = pystr_of(s) else {
        let type_name = vm.type_name(s);
        return vm.err_type(format!(
            "descriptor '__getitem__' requires a 'str' object but received a '{type_name}'"
        ));
    };
    let length = text.char_count();
    if let Some(ObjKind::Slice { .. }) = key.as_obj().map(|obj| &obj.kind) {
        let (start, _, step, count) = ops::slice_indices(vm, key, length)?;
        if count == 0 {
            return Ok(vm.new_str(""));
        }
        if step == 1 {
            if count == length && is_exact_str(vm, s) {
                return Ok(s);
            }
            let start = start as usize;
            let piece = text.slice_chars(start, start + count);
            return Ok(vm.new_str(piece));
        }
        let mut result = String::with_capacity(count);
        if text.is_ascii() {
            let bytes = text.as_str().as_bytes();
            for k in 0..count as i64 {
                result.push(bytes[(start + k * step) as usize] as char);
            }
        } else {
            let chars: Vec<char> = text.as_str().chars().collect();
            for k in 0..count as i64 {
                result.push(chars[(start + k * step) as usize]);
            }
        }
        return Ok(vm.new_str(result));
    }
    let Some(index) = subscript_integer(vm, key)? else {
        let type_name = vm.type_name(key);
        return vm.err_type(format!(
            "string indices must be integers, not '{type_name}'"
        ));
    };
    let adjusted = if index < 0 {
        index + length as i64
    } else {
        index
    };
    if adjusted < 0 || adjusted >= length as i64 {
        return Err(vm.index_error("string index out of range"));
    }
    let c = text.char_at(adjusted as usize);
    let mut buffer = [0u8; 4];
    Ok(vm.new_str(&*c.encode_utf8(&mut buffer)))
}

/// `s * count` (a count <= 0 gives the empty string).
pub fn str_repeat(vm: &mut Vm, s: Value, count: i64) -> PyResult<Value> {
    let text = str_of(s).unwrap_or("");
    if count <= 0 || text.is_empty() {
        return Ok(vm.new_str(""));
    }
    if count == 1 && is_exact_str(vm, s) {
        return Ok(s);
    }
    let Some(size) = usize::try_from(count)
        .ok()
        .and_then(|count| text.len().checked_mul(count))
        .filter(|size| *size <= isize::MAX as usize)
    else {
        // What a 64-bit CPython says: too long for a size is OverflowError;
        // a size that merely cannot be allocated (32-bit hosts) MemoryError.
        if text.len() as u128 * count as u128 > i64::MAX as u128 {
            return Err(vm.overflow_error("repeated string is too long"));
        }
        return Err(memory_error(vm));
    };
    if size > MAX_RESULT_BYTES {
        return Err(memory_error(vm));
    }
    Ok(vm.new_str(text.repeat(count as usize)))
}

fn str_dunder_getitem(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (this, _, given) = dunder_receiver(vm, args, "__getitem__")?;
    check_wrapper(vm, "__getitem__", given, kwargs, 1)?;
    str_getitem(vm, this, given[0])
}

fn str_dunder_len(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, text, given) = dunder_receiver(vm, args, "__len__")?;
    check_wrapper(vm, "__len__", given, kwargs, 0)?;
    Ok(vm.new_int(text.char_count() as i64))
}

fn str_dunder_contains(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, text, given) = dunder_receiver(vm, args, "__contains__")?;
    check_wrapper(vm, "__contains__", given, kwargs, 1)?;
    match str_of(given[0]) {
        Some(needle) => Ok(Value::bool(text.as_str().contains(needle))),
        None => {
            let type_name = vm.type_name(given[0]);
            vm.err_type(format!(
                "'in <string>' requires string as left operand, not {type_name}"
            ))
        }
    }
}

fn str_dunder_add(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, text, given) = dunder_receiver(vm, args, "__add__")?;
    check_wrapper(vm, "__add__", given, kwargs, 1)?;
    let other = given[0];
    let Some(tail) = str_of(other) else {
        if defers_to_reflected(vm, other, "__radd__") {
            return Ok(Value::NOT_IMPLEMENTED);
        }
        let type_name = vm.type_name(other);
        return vm.err_type(format!(
            "can only concatenate str (not \"{type_name}\") to str"
        ));
    };
    if text.as_str().len() + tail.len() > MAX_RESULT_BYTES {
        return Err(memory_error(vm));
    }
    let mut result = String::with_capacity(text.as_str().len() + tail.len());
    result.push_str(text.as_str());
    result.push_str(tail);
    Ok(vm.new_str(result))
}

/// The repeat count of a sequence `*`, or `None` when the operand is not
/// an integer (the caller then defers or raises).
pub(crate) fn repeat_count(vm: &mut Vm, other: Value) -> PyResult<Option<i64>> {
    if let Some(n) = other.as_small_int() {
        return Ok(Some(n));
    }
    if !has_index(vm, other) {
        return Ok(None);
    }
    let index = ops::index_value(vm, other)?;
    match int_value(index) {
        Some(n) => match n.to_i64() {
            Some(n) => Ok(Some(n)),
            None if n.is_negative() => Ok(Some(0)),
            None => Err(vm.overflow_error("cannot fit 'int' into an index-sized integer")),
        },
        None => Ok(None),
    }
}

fn str_dunder_mul(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    str_repeat_operator(vm, args, kwargs, "__mul__")
}

fn str_dunder_rmul(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    str_repeat_operator(vm, args, kwargs, "__rmul__")
}

fn str_repeat_operator(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
    name: &str,
) -> PyResult<Value> {
    let (this, _, given) = dunder_receiver(vm, args, name)?;
    check_unpacked_wrapper(vm, name, given, kwargs, 1)?;
    match repeat_count(vm, given[0])? {
        Some(count) => str_repeat(vm, this, count),
        None if defers_to_reflected(vm, given[0], "__rmul__") => Ok(Value::NOT_IMPLEMENTED),
        None => {
            let type_name = vm.type_name(given[0]);
            vm.err_type(format!(
                "can't multiply sequence by non-int of type '{type_name}'"
            ))
        }
    }
}

fn str_dunder_mod(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, text, given) = dunder_receiver(vm, args, "__mod__")?;
    check_wrapper(vm, "__mod__", given, kwargs, 1)?;
    percent_format(vm, text.as_str(), given[0])
}

fn str_dunder_rmod(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (this, _, given) = dunder_receiver(vm, args, "__rmod__")?;
    check_wrapper(vm, "__rmod__", given, kwargs, 1)?;
    match str_of(given[0]) {
        Some(format) => percent_format(vm, format, this),
        None => Ok(Value::NOT_IMPLEMENTED),
    }
}

fn str_comparison(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
    name: &str,
    holds: fn(std::cmp::Ordering) -> bool,
) -> PyResult<Value> {
    let (_, text, given) = dunder_receiver(vm, args, name)?;
    check_wrapper(vm, name, given, kwargs, 1)?;
    match str_of(given[0]) {
        // UTF-8 byte order is code-point order.
        Some(other) => Ok(Value::bool(holds(text.as_str().cmp(other)))),
        None => Ok(Value::NOT_IMPLEMENTED),
    }
}

fn str_eq(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    str_comparison(vm, args, kwargs, "__eq__", std::cmp::Ordering::is_eq)
}

fn str_ne(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    str_comparison(vm, args, kwargs, "__ne__", std::cmp::Ordering::is_ne)
}

fn str_lt(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    str_comparison(vm, args, kwargs, "__lt__", std::cmp::Ordering::is_lt)
}

fn str_le(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    str_comparison(vm, args, kwargs, "__le__", std::cmp::Ordering::is_le)
}

fn str_gt(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    str_comparison(vm, args, kwargs, "__gt__", std::cmp::Ordering::is_gt)
}

fn str_ge(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    str_comparison(vm, args, kwargs, "__ge__", std::cmp::Ordering::is_ge)
}

fn str_dunder_hash(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, text, given) = dunder_receiver(vm, args, "__hash__")?;
    check_wrapper(vm, "__hash__", given, kwargs, 0)?;
    Ok(vm.new_int(text.hash()))
}

fn str_dunder_repr(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, text, given) = dunder_receiver(vm, args, "__repr__")?;
    check_wrapper(vm, "__repr__", given, kwargs, 0)?;
    Ok(vm.new_str(strops::repr_str(text.as_str())))
}

fn str_dunder_str(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (this, _, given) = dunder_receiver(vm, args, "__str__")?;
    check_wrapper(vm, "__str__", given, kwargs, 0)?;
    Ok(exact_str(vm, this))
}

fn str_dunder_format(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (this, text, given) = receiver(vm, args, "__format__")?;
    let spec = check_one_arg(vm, "str", "__format__", given, kwargs)?;
    let Some(spec) = str_of(spec) else {
        let type_name = vm.type_name(spec);
        return vm.err_type(format!(
            "__format__() argument must be str, not {type_name}"
        ));
    };
    if spec.is_empty() {
        return Ok(exact_str(vm, this));
    }
    let parsed = format_spec::parse_format_spec_typed(spec, "str")
        .map_err(|message| format_spec_error(vm, message))?;
    if parsed.width.unwrap_or(0) > MAX_RESULT_BYTES {
        return Err(memory_error(vm));
    }
    let formatted = format_spec::format_str(text.as_str(), &parsed)
        .map_err(|message| format_spec_error(vm, message))?;
    Ok(vm.new_str(formatted))
}

// ---------------------------------------------------------------------------
// str.format and format_map
// ---------------------------------------------------------------------------

/// A replacement field of a format string, as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FieldMarkup<'a> {
    /// The field name, e.g. `0.name` or `a[1]` (empty for `{}`).
    pub name: &'a str,
    /// The `!r` / `!s` / `!a` conversion character.
    pub conversion: Option<char>,
    /// The format spec after `:`, possibly holding nested fields.
    pub spec: &'a str,
    /// Whether `spec` contains `{` and so needs expanding first.
    pub spec_has_fields: bool,
}

/// Splits a format string into (literal text, optional field) pairs, as
/// CPython's `MarkupIterator` does; `{{` and `}}` come out as literal text.
pub(crate) struct MarkupParser<'a> {
    text: &'a str,
    position: usize,
}

impl<'a> MarkupParser<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        MarkupParser { text, position: 0 }
    }
}

impl<'a> Iterator for MarkupParser<'a> {
    type Item = Result<(&'a str, Option<FieldMarkup<'a>>), &'static str>;

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.text.as_bytes();
        if self.position >= bytes.len() {
            return None;
        }
        let start = self.position;
        let mut brace = 0u8;
        while self.position < bytes.len() {
            let byte = bytes[self.position];
            self.position += 1;
            if byte == b'{' || byte == b'}' {
                brace = byte;
                break;
            }
        }
        let at_end = self.position >= bytes.len();
        let mut literal_end = self.position;
        if brace == b'}' && (at_end || bytes[self.position] != b'}') {
            self.position = bytes.len();
            return Some(Err("Single '}' encountered in format string"));
        }
        if brace == b'{' && at_end {
            self.position = bytes.len();
            return Some(Err("Single '{' encountered in format string"));
        }
        if brace == 0 {
            return Some(Ok((&self.text[start..literal_end], None)));
        }
        if bytes[self.position] == brace {
            // An escaped brace: the literal keeps one of the two.
            self.position += 1;
            return Some(Ok((&self.text[start..literal_end], None)));
        }
        literal_end -= 1;
        let literal = &self.text[start..literal_end];
        match parse_field(self.text, &mut self.position) {
            Ok(field) => Some(Ok((literal, Some(field)))),
            Err(message) => {
                self.position = bytes.len();
                Some(Err(message))
            }
        }
    }
}

/// Parses a replacement field after its `{`, leaving `position` after the
/// closing `}` (CPython's `parse_field`).
fn parse_field<'a>(text: &'a str, position: &mut usize) -> Result<FieldMarkup<'a>, &'static str> {
    let bytes = text.as_bytes();
    let name_start = *position;
    let mut terminator = None;
    while *position < bytes.len() {
        let byte = bytes[*position];
        *position += 1;
        match byte {
            b'{' => return Err("unexpected '{' in field name"),
            b'[' => {
                while *position < bytes.len() && bytes[*position] != b']' {
                    *position += 1;
                }
            }
            b'}' | b':' | b'!' => {
                terminator = Some(byte);
                break;
            }
            _ => {}
        }
    }
    let Some(terminator) = terminator else {
        return Err("expected '}' before end of string");
    };
    let name = &text[name_start..*position - 1];
    if terminator == b'}' {
        return Ok(FieldMarkup {
            name,
            conversion: None,
            spec: "",
            spec_has_fields: false,
        });
    }
    let mut conversion = None;
    if terminator == b'!' {
        let Some(c) = text[*position..].chars().next() else {
            return Err("end of string while looking for conversion specifier");
        };
        *position += c.len_utf8();
        conversion = Some(c);
        if *position < bytes.len() {
            let next = bytes[*position];
            *position += 1;
            if next == b'}' {
                return Ok(FieldMarkup {
                    name,
                    conversion,
                    spec: "",
                    spec_has_fields: false,
                });
            }
            if next != b':' {
                return Err("expected ':' after conversion specifier");
            }
        }
    }
    let spec_start = *position;
    let mut depth = 1;
    let mut spec_has_fields = false;
    while *position < bytes.len() {
        let byte = bytes[*position];
        *position += 1;
        match byte {
            b'{' => {
                spec_has_fields = true;
                depth += 1;
            }
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Ok(FieldMarkup {
                        name,
                        conversion,
                        spec: &text[spec_start..*position - 1],
                        spec_has_fields,
                    });
                }
            }
            _ => {}
        }
    }
    Err("unmatched '{' in format spec")
}

/// The first part of a field name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldKey<'a> {
    /// `{}`: the next automatic index.
    Auto,
    Index(usize),
    Name(&'a str),
}

/// One `.attr` or `[key]` step after the first part of a field name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldAccessor<'a> {
    Attribute(&'a str),
    /// `[key]`, with the key as an index when it is all decimal digits.
    Item(&'a str, Option<usize>),
}

/// A field-name part as an index if it is all decimal digits (Unicode
/// decimals included, as CPython accepts).
fn decimal_index(text: &str) -> Result<Option<usize>, &'static str> {
    if text.is_empty() {
        return Ok(None);
    }
    let mut accumulator: usize = 0;
    for c in text.chars() {
        let Some(digit) = strops::decimal_value(c) else {
            return Ok(None);
        };
        if accumulator > (isize::MAX as usize - digit as usize) / 10 {
            return Err("Too many decimal digits in format string");
        }
        accumulator = accumulator * 10 + digit as usize;
    }
    Ok(Some(accumulator))
}

/// Splits a field name into its first part and the rest (`.a[0]...`).
pub(crate) fn split_field_name(name: &str) -> Result<(FieldKey<'_>, &str), &'static str> {
    let first_end = name.find(['.', '[']).unwrap_or(name.len());
    let (first, rest) = name.split_at(first_end);
    let key = if first.is_empty() {
        FieldKey::Auto
    } else {
        match decimal_index(first)? {
            Some(index) => FieldKey::Index(index),
            None => FieldKey::Name(first),
        }
    };
    Ok((key, rest))
}

/// The next accessor of a field name's rest, advancing `rest`.
pub(crate) fn next_accessor<'a>(
    rest: &mut &'a str,
) -> Option<Result<FieldAccessor<'a>, &'static str>> {
    let text = *rest;
    let first = *text.as_bytes().first()?;
    let accessor = match first {
        b'.' => {
            let end = text[1..]
                .find(['.', '['])
                .map_or(text.len(), |offset| offset + 1);
            let name = &text[1..end];
            *rest = &text[end..];
            if name.is_empty() {
                return Some(Err("Empty attribute in format string"));
            }
            FieldAccessor::Attribute(name)
        }
        b'[' => {
            let Some(close) = text.find(']') else {
                *rest = "";
                return Some(Err("Missing ']' in format string"));
            };
            let key = &text[1..close];
            *rest = &text[close + 1..];
            let index = match decimal_index(key) {
                Ok(index) => index,
                Err(message) => return Some(Err(message)),
            };
            if key.is_empty() {
                return Some(Err("Empty attribute in format string"));
            }
            FieldAccessor::Item(key, index)
        }
        _ => {
            *rest = "";
            return Some(Err(
                "Only '.' or '[' may follow ']' in format field specifier",
            ));
        }
    };
    Some(Ok(accessor))
}

/// Where `str.format` takes its fields from.
enum FieldSource<'a> {
    /// `str.format(*args, **kwargs)`.
    Call {
        positional: &'a [Value],
        keywords: &'a [(Value, Value)],
    },
    /// `str.format_map(mapping)`: names only.
    Mapping(Value),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Numbering {
    Unknown,
    Automatic,
    Manual,
}

struct AutoNumber {
    numbering: Numbering,
    next_index: usize,
}

fn field_object(
    vm: &mut Vm,
    name: &str,
    source: &FieldSource,
    auto: &mut AutoNumber,
) -> PyResult<Value> {
    let (key, mut rest) = split_field_name(name).map_err(|message| vm.value_error(message))?;
    let is_auto = key == FieldKey::Auto;
    if is_auto || matches!(key, FieldKey::Index(_)) {
        if auto.numbering == Numbering::Unknown {
            auto.numbering = if is_auto {
                Numbering::Automatic
            } else {
                Numbering::Manual
            };
        }
        if auto.numbering == Numbering::Manual && is_auto {
            return vm.err_value(
                "cannot switch from manual field specification to automatic field numbering",
            );
        }
        if auto.numbering == Numbering::Automatic && !is_auto {
            return vm.err_value(
                "cannot switch from automatic field numbering to manual field specification",
            );
        }
    }
    let key = if is_auto {
        let index = auto.next_index;
        auto.next_index += 1;
        FieldKey::Index(index)
    } else {
        key
    };
    let mut object = match (key, source) {
        (FieldKey::Name(field), FieldSource::Call { keywords, .. }) => match keywords
            .iter()
            .find(|(keyword, _)| str_of(*keyword) == Some(field))
        {
            Some((_, value)) => *value,
            None => {
                let key = vm.new_str(field);
                return Err(vm.key_error(key));
            }
        },
        (FieldKey::Name(field), FieldSource::Mapping(mapping)) => {
            let key = vm.new_str(field);
            ops::getitem(vm, *mapping, key)?
        }
        (FieldKey::Index(index), FieldSource::Call { positional, .. }) => {
            match positional.get(index) {
                Some(value) => *value,
                None => {
                    return Err(vm.index_error(format!(
                        "Replacement index {index} out of range for positional args tuple"
                    )))
                }
            }
        }
        (_, FieldSource::Mapping(_)) => {
            return vm.err_value("Format string contains positional fields")
        }
        (FieldKey::Auto, FieldSource::Call { .. }) => {
            unreachable!("automatic fields were numbered above")
        }
    };
    while let Some(accessor) = next_accessor(&mut rest) {
        let accessor = accessor.map_err(|message| vm.value_error(message))?;
        object = match accessor {
            FieldAccessor::Attribute(attribute) => ops::getattr_str(vm, object, attribute)?,
            FieldAccessor::Item(_, Some(index)) => {
                let key = vm.new_int(index as i64);
                ops::getitem(vm, object, key)?
            }
            FieldAccessor::Item(key, None) => {
                let key = vm.new_str(key);
                ops::getitem(vm, object, key)?
            }
        };
    }
    Ok(object)
}

/// `ascii(value)`: its repr with every non-ASCII character escaped.
pub(crate) fn ascii_text(vm: &mut Vm, value: Value) -> PyResult<String> {
    let repr = ops::repr_string(vm, value)?;
    Ok(escape_non_ascii(&repr))
}

pub(crate) fn escape_non_ascii(text: &str) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&escaped_code_point(c));
        }
    }
    out
}

fn convert_field(vm: &mut Vm, object: Value, conversion: Option<char>) -> PyResult<Value> {
    match conversion {
        None => Ok(object),
        Some('r') => ops::repr(vm, object),
        Some('s') => ops::to_str(vm, object),
        Some('a') => {
            let text = ascii_text(vm, object)?;
            Ok(vm.new_str(text))
        }
        Some(other) => {
            let code = other as u32;
            if code > 32 && code < 127 {
                vm.err_value(format!("Unknown conversion specifier {other}"))
            } else {
                vm.err_value(format!("Unknown conversion specifier \\x{code:x}"))
            }
        }
    }
}

fn build_format(
    vm: &mut Vm,
    format: &str,
    source: &FieldSource,
    auto: &mut AutoNumber,
    depth: i32,
    out: &mut String,
) -> PyResult<()> {
    if depth <= 0 {
        return vm.err_value("Max string recursion exceeded");
    }
    for item in MarkupParser::new(format) {
        let (literal, field) = item.map_err(|message| vm.value_error(message))?;
        out.push_str(literal);
        let Some(field) = field else { continue };
        let object = field_object(vm, field.name, source, auto)?;
        let object = convert_field(vm, object, field.conversion)?;
        let formatted = if field.spec_has_fields {
            let mut spec = String::new();
            build_format(vm, field.spec, source, auto, depth - 1, &mut spec)?;
            ops::format_value(vm, object, &spec)?
        } else {
            ops::format_value(vm, object, field.spec)?
        };
        match str_of(formatted) {
            Some(text) => out.push_str(text),
            None => {
                let type_name = vm.type_name(formatted);
                return vm.err_type(format!("__format__ must return a str, not {type_name}"));
            }
        }
        if out.len() > MAX_RESULT_BYTES {
            return Err(memory_error(vm));
        }
    }
    Ok(())
}

/// `format.format(*args, **kwargs)`.
pub fn str_format(
    vm: &mut Vm,
    format: &str,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    let source = FieldSource::Call {
        positional: args,
        keywords: kwargs,
    };
    let mut auto = AutoNumber {
        numbering: Numbering::Unknown,
        next_index: 0,
    };
    let mut out = String::with_capacity(format.len());
    build_format(vm, format, &source, &mut auto, 2, &mut out)?;
    Ok(vm.new_str(out))
}

fn str_format_method(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let Some(&first) = args.first() else {
        return vm.err_type("descriptor 'format' of 'str' object needs an argument");
    };
    let Some(format) = str_of(first) else {
        let type_name = vm.type_name(first);
        return vm.err_type(format!(
            "descriptor 'format' for 'str' objects doesn't apply to a '{type_name}' object"
        ));
    };
    str_format(vm, format, &args[1..], kwargs)
}

fn str_format_map(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let (_, text, given) = receiver(vm, args, "format_map")?;
    let mapping = check_one_arg(vm, "str", "format_map", given, kwargs)?;
    let source = FieldSource::Mapping(mapping);
    let mut auto = AutoNumber {
        numbering: Numbering::Unknown,
        next_index: 0,
    };
    let mut out = String::with_capacity(text.as_str().len());
    build_format(vm, text.as_str(), &source, &mut auto, 2, &mut out)?;
    Ok(vm.new_str(out))
}

// ---------------------------------------------------------------------------
// printf-style formatting (`%`)
// ---------------------------------------------------------------------------

/// The flag characters of a `%` directive.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PercentFlags {
    /// `-`: left-justify.
    pub left: bool,
    /// `+`: always print a sign.
    pub sign: bool,
    /// ` `: a space in place of a `+` sign.
    pub blank: bool,
    /// `#`: alternate form.
    pub alternate: bool,
    /// `0`: zero padding for numbers.
    pub zero: bool,
}

/// A width or precision: absent, `*` (taken from the arguments) or digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PercentCount {
    Absent,
    Star,
    Given(usize),
}

/// A parsed `%` directive (everything after the `%`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PercentDirective {
    /// The `(name)` mapping key.
    pub key: Option<String>,
    pub flags: PercentFlags,
    pub width: PercentCount,
    pub precision: PercentCount,
    pub conversion: char,
    /// Code-point index of the conversion character in the format.
    pub conversion_index: usize,
    /// Code-point index just after the directive.
    pub end: usize,
}

/// A directive that failed to parse. CPython fetches the mapping key and
/// `*` arguments while parsing, so their errors come first: the caller
/// replays them (`opened_key`, `key`, `stars`) before raising `message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PercentFailure {
    pub opened_key: bool,
    pub key: Option<String>,
    pub stars: usize,
    pub message: &'static str,
}

/// Parses the directive starting at `start` (just after its `%`), as
/// CPython's `unicode_format_arg_parse` does, quirks included.
pub(crate) fn parse_percent_directive(
    chars: &[char],
    start: usize,
) -> Result<PercentDirective, PercentFailure> {
    let length = chars.len();
    let mut position = start;
    let mut remaining = length as isize - start as isize;
    let mut current = chars.get(position).copied().unwrap_or('\0');
    let mut failure = PercentFailure {
        opened_key: false,
        key: None,
        stars: 0,
        message: "incomplete format",
    };

    if current == '(' {
        failure.opened_key = true;
        position += 1;
        remaining -= 1;
        let key_start = position;
        let mut depth = 1;
        while depth > 0 {
            remaining -= 1;
            if remaining < 0 {
                break;
            }
            match chars[position] {
                ')' => depth -= 1,
                '(' => depth += 1,
                _ => {}
            }
            position += 1;
        }
        if remaining < 0 || depth > 0 {
            failure.message = "incomplete format key";
            return Err(failure);
        }
        failure.key = Some(chars[key_start..position - 1].iter().collect());
    }

    let mut flags = PercentFlags::default();
    loop {
        remaining -= 1;
        if remaining < 0 {
            break;
        }
        current = chars[position];
        position += 1;
        match current {
            '-' => flags.left = true,
            '+' => flags.sign = true,
            ' ' => flags.blank = true,
            '#' => flags.alternate = true,
            '0' => flags.zero = true,
            _ => break,
        }
    }

    let mut width = PercentCount::Absent;
    if current == '*' {
        failure.stars += 1;
        width = PercentCount::Star;
        remaining -= 1;
        if remaining >= 0 {
            current = chars[position];
            position += 1;
        }
    } else if let Some(digit) = current.to_digit(10).filter(|_| current.is_ascii_digit()) {
        let mut value = digit as usize;
        loop {
            remaining -= 1;
            if remaining < 0 {
                break;
            }
            current = chars[position];
            position += 1;
            let Some(digit) = current.to_digit(10).filter(|_| current.is_ascii_digit()) else {
                break;
            };
            if value > (isize::MAX as usize - digit as usize) / 10 {
                failure.message = "width too big";
                return Err(failure);
            }
            value = value * 10 + digit as usize;
        }
        width = PercentCount::Given(value);
    }

    let mut precision = PercentCount::Absent;
    if current == '.' {
        precision = PercentCount::Given(0);
        remaining -= 1;
        if remaining >= 0 {
            current = chars[position];
            position += 1;
        }
        if current == '*' {
            failure.stars += 1;
            precision = PercentCount::Star;
            remaining -= 1;
            if remaining >= 0 {
                current = chars[position];
                position += 1;
            }
        } else if let Some(digit) = current.to_digit(10).filter(|_| current.is_ascii_digit()) {
            let mut value = digit as usize;
            loop {
                remaining -= 1;
                if remaining < 0 {
                    break;
                }
                current = chars[position];
                position += 1;
                let Some(digit) = current.to_digit(10).filter(|_| current.is_ascii_digit()) else {
                    break;
                };
                if value > (i32::MAX as usize - digit as usize) / 10 {
                    failure.message = "precision too big";
                    return Err(failure);
                }
                value = value * 10 + digit as usize;
            }
            precision = PercentCount::Given(value);
        }
    }

    if remaining >= 0 && matches!(current, 'h' | 'l' | 'L') {
        remaining -= 1;
        if remaining >= 0 {
            current = chars[position];
            position += 1;
        }
    }
    if remaining < 0 {
        return Err(failure);
    }
    Ok(PercentDirective {
        key: failure.key,
        flags,
        width,
        precision,
        conversion: current,
        conversion_index: position - 1,
        end: position,
    })
}

/// Pads `text` with spaces to `width` code points (left-justified with
/// the `-` flag).
pub(crate) fn percent_pad(text: &str, left: bool, width: usize) -> String {
    let length = strops::char_len(text);
    if length >= width {
        return text.to_string();
    }
    let padding = " ".repeat(width - length);
    if left {
        format!("{text}{padding}")
    } else {
        format!("{padding}{text}")
    }
}

/// `%d %i %u %x %X %o` of an integer, with sign, `#` prefix, precision
/// (minimum digits) and width as CPython lays them out.
pub(crate) fn percent_integer(
    value: &BigInt,
    conversion: char,
    flags: PercentFlags,
    width: usize,
    precision: Option<usize>,
) -> String {
    let (radix, prefix) = match conversion {
        'x' => (16, "0x"),
        'X' => (16, "0X"),
        'o' => (8, "0o"),
        _ => (10, ""),
    };
    let mut digits = value.magnitude().to_str_radix(radix);
    if conversion == 'X' {
        digits.make_ascii_uppercase();
    }
    if let Some(precision) = precision {
        if precision > digits.len() {
            digits = "0".repeat(precision - digits.len()) + &digits;
        }
    }
    let sign = if value.is_negative() {
        "-"
    } else if flags.sign {
        "+"
    } else if flags.blank {
        " "
    } else {
        ""
    };
    let prefix = if flags.alternate { prefix } else { "" };
    let body_length = sign.len() + prefix.len() + digits.len();
    if body_length >= width {
        return format!("{sign}{prefix}{digits}");
    }
    let padding = width - body_length;
    if flags.left {
        format!("{sign}{prefix}{digits}{}", " ".repeat(padding))
    } else if flags.zero {
        format!("{sign}{prefix}{}{digits}", "0".repeat(padding))
    } else {
        format!("{}{sign}{prefix}{digits}", " ".repeat(padding))
    }
}

/// The format spec equivalent to a `%e %f %g` directive.
pub(crate) fn percent_float_spec(
    conversion: char,
    flags: PercentFlags,
    width: usize,
    precision: Option<usize>,
) -> format_spec::FormatSpec {
    let (fill, align) = if flags.left {
        (' ', '<')
    } else if flags.zero {
        ('0', '=')
    } else {
        (' ', '>')
    };
    format_spec::FormatSpec {
        fill,
        align: Some(align),
        sign: if flags.sign {
            '+'
        } else if flags.blank {
            ' '
        } else {
            '-'
        },
        explicit_sign: flags.sign || flags.blank,
        no_neg_zero: false,
        alternate: flags.alternate,
        zero_pad: flags.zero && !flags.left,
        width: (width > 0).then_some(width),
        grouping: None,
        precision: Some(precision.unwrap_or(6)),
        ty: Some(conversion),
    }
}

/// Whether a `%` operation formats a str or a bytes-like object; the
/// conversions and error texts differ slightly between the two.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PercentTarget {
    Text,
    Bytes,
}

/// The result being built by a `%` operation.
enum PercentOutput {
    Text(String),
    Bytes(Vec<u8>),
}

impl PercentOutput {
    /// Appends a literal character of the format (a byte of a bytes format
    /// arrives as the char with that code, below 256).
    fn push_char(&mut self, c: char) {
        match self {
            PercentOutput::Text(text) => text.push(c),
            PercentOutput::Bytes(bytes) => bytes.push(c as u32 as u8),
        }
    }

    /// Appends formatted text (ASCII whenever the target is bytes).
    fn push_text(&mut self, piece: &str) {
        match self {
            PercentOutput::Text(text) => text.push_str(piece),
            PercentOutput::Bytes(bytes) => bytes.extend(piece.chars().map(|c| c as u32 as u8)),
        }
    }

    fn push_bytes(&mut self, piece: &[u8]) {
        match self {
            PercentOutput::Text(text) => text.extend(piece.iter().map(|byte| *byte as char)),
            PercentOutput::Bytes(bytes) => bytes.extend_from_slice(piece),
        }
    }

    fn len(&self) -> usize {
        match self {
            PercentOutput::Text(text) => text.len(),
            PercentOutput::Bytes(bytes) => bytes.len(),
        }
    }
}

/// The arguments of a `%` operation, consumed in order (CPython's
/// `unicode_format_getnextarg` with its `arglen`/`argidx` conventions).
struct PercentArgs {
    /// The right operand, or the value a `%(key)` selected.
    current: Value,
    items: &'static [Value],
    length: i64,
    index: i64,
    mapping: Option<Value>,
    target: PercentTarget,
}

impl PercentArgs {
    fn next(&mut self, vm: &mut Vm) -> PyResult<Value> {
        if self.index < self.length {
            let index = self.index;
            self.index += 1;
            if self.length < 0 {
                return Ok(self.current);
            }
            return Ok(self.items[index as usize]);
        }
        vm.err_type("not enough arguments for format string")
    }

    fn select_key(&mut self, vm: &mut Vm, key: &str) -> PyResult<()> {
        let Some(mapping) = self.mapping else {
            return vm.err_type("format requires a mapping");
        };
        let key = match self.target {
            PercentTarget::Text => vm.new_str(key),
            PercentTarget::Bytes => vm.new_bytes(key.chars().map(|c| c as u32 as u8).collect()),
        };
        self.current = ops::getitem(vm, mapping, key)?;
        self.items = &[];
        self.length = -1;
        self.index = -2;
        Ok(())
    }

    /// A `*` width or precision argument.
    fn star(&mut self, vm: &mut Vm) -> PyResult<i64> {
        let value = self.next(vm)?;
        if int_value(value).is_none() {
            return vm.err_type("* wants int");
        }
        to_i64(vm, value)
    }
}

/// An int for `%d`-style conversions, as CPython obtains it.
fn percent_int_operand(vm: &mut Vm, value: Value, conversion: char) -> PyResult<BigInt> {
    if let Some(n) = int_value(value) {
        return Ok(n);
    }
    let type_name = vm.type_name(value);
    if matches!(conversion, 'd' | 'i' | 'u') {
        if let Some(x) = float_of(value) {
            return crate::numeric::float_to_bigint(x).map_err(|message| {
                if x.is_nan() {
                    vm.value_error(message)
                } else {
                    vm.overflow_error(message)
                }
            });
        }
        let class = vm.type_of(value);
        let number = if ops::lookup_class_attr(class, "__int__").is_some() {
            ops::call_special(vm, value, "__int__", &[])?
        } else if ops::lookup_class_attr(class, "__index__").is_some() {
            Some(ops::index_value(vm, value)?)
        } else if ops::lookup_class_attr(class, "__float__").is_some() {
            let x = ops::float_value(vm, value)?;
            let n =
                crate::numeric::float_to_bigint(x).map_err(|message| vm.value_error(message))?;
            return Ok(n);
        } else {
            None
        };
        return match number.and_then(int_value) {
            Some(n) => Ok(n),
            None => vm.err_type(format!(
                "%{conversion} format: a real number is required, not {type_name}"
            )),
        };
    }
    if has_index(vm, value) {
        let index = ops::index_value(vm, value)?;
        if let Some(n) = int_value(index) {
            return Ok(n);
        }
    }
    vm.err_type(format!(
        "%{conversion} format: an integer is required, not {type_name}"
    ))
}

/// A float for `%e %f %g` conversions.
fn percent_float_operand(vm: &mut Vm, value: Value, target: PercentTarget) -> PyResult<f64> {
    if let Some(x) = float_of(value) {
        return Ok(x);
    }
    if let Some(n) = int_value(value) {
        return crate::numeric::big_to_f64(&n).map_err(|message| vm.overflow_error(message));
    }
    if target == PercentTarget::Bytes {
        let class = vm.type_of(value);
        if ops::lookup_class_attr(class, "__float__").is_none()
            && ops::lookup_class_attr(class, "__index__").is_none()
        {
            let type_name = vm.type_name(value);
            return vm.err_type(format!("float argument required, not {type_name}"));
        }
    }
    ops::float_value(vm, value)
}

/// The character of a `%c` conversion in a str format.
fn percent_char_operand(vm: &mut Vm, value: Value) -> PyResult<char> {
    if let Some(text) = pystr_of(value) {
        if text.char_count() == 1 {
            return Ok(text.char_at(0));
        }
        return vm.err_type("%c requires int or char");
    }
    let code = if let Some(n) = int_value(value) {
        n
    } else if has_index(vm, value) && float_of(value).is_none() {
        let index = ops::index_value(vm, value)?;
        int_value(index).unwrap_or_default()
    } else {
        return vm.err_type("%c requires int or char");
    };
    match code.to_u32().filter(|code| *code < 0x110000) {
        Some(code) => match char::from_u32(code) {
            Some(c) => Ok(c),
            None => vm.err_value(format!(
                "%c arg {code:#x} is a surrogate, which cannot be represented"
            )),
        },
        None => Err(vm.overflow_error("%c arg not in range(0x110000)")),
    }
}

/// The byte of a `%c` conversion in a bytes format.
fn percent_byte_operand(vm: &mut Vm, value: Value) -> PyResult<u8> {
    if let Some(data) = bytes_like_data(value) {
        if data.len() == 1 {
            return Ok(data[0]);
        }
        return vm.err_type("%c requires an integer in range(256) or a single byte");
    }
    let code = if let Some(n) = int_value(value) {
        n
    } else if has_index(vm, value) && float_of(value).is_none() {
        let index = ops::index_value(vm, value)?;
        int_value(index).unwrap_or_default()
    } else {
        return vm.err_type("%c requires an integer in range(256) or a single byte");
    };
    match code.to_u8() {
        Some(byte) => Ok(byte),
        None => Err(vm.overflow_error("%c arg not in range(256)")),
    }
}

/// The bytes a `%s` / `%b` conversion inserts into a bytes format.
fn percent_bytes_operand(vm: &mut Vm, value: Value) -> PyResult<Vec<u8>> {
    if let Some(data) = bytes_like_data(value) {
        return Ok(data);
    }
    if !vm.is_builtin_class(vm.type_of(value)) {
        if let Some(result) = ops::call_special(vm, value, "__bytes__", &[])? {
            return match result.as_obj().map(|obj| &obj.kind) {
                Some(ObjKind::Bytes(bytes)) => Ok(bytes.to_vec()),
                _ => {
                    let type_name = vm.type_name(result);
                    vm.err_type(format!("__bytes__ returned non-bytes (type {type_name})"))
                }
            };
        }
    }
    let type_name = vm.type_name(value);
    vm.err_type(format!("%b requires a bytes-like object, or an object that implements __bytes__, not '{type_name}'"))
}

/// `format % args` for a str `format`, with CPython's semantics: a tuple
/// supplies positional arguments, any other object is the single argument,
/// and a mapping (anything with `__getitem__` but a tuple or str) serves
/// `%(name)` keys.
pub fn percent_format(vm: &mut Vm, format: &str, args: Value) -> PyResult<Value> {
    if !format.contains('%') {
        // Only the argument-count check remains.
        let chars: Vec<char> = Vec::new();
        percent_format_chars(vm, &chars, args, PercentTarget::Text)?;
        return Ok(vm.new_str(format));
    }
    let chars: Vec<char> = format.chars().collect();
    match percent_format_chars(vm, &chars, args, PercentTarget::Text)? {
        PercentOutput::Text(text) => Ok(vm.new_str(text)),
        PercentOutput::Bytes(_) => unreachable!("a str format builds text"),
    }
}

/// `format % args` for a bytes or bytearray `format` (PEP 461): `%s`/`%b`
/// take bytes-like objects or `__bytes__`, `%r`/`%a` insert `ascii()`,
/// `%c` takes a byte, keys are bytes.
pub(crate) fn bytes_percent_format(vm: &mut Vm, format: &[u8], args: Value) -> PyResult<Vec<u8>> {
    let chars: Vec<char> = format.iter().map(|byte| *byte as char).collect();
    match percent_format_chars(vm, &chars, args, PercentTarget::Bytes)? {
        PercentOutput::Bytes(bytes) => Ok(bytes),
        PercentOutput::Text(_) => unreachable!("a bytes format builds bytes"),
    }
}

fn percent_format_chars(
    vm: &mut Vm,
    chars: &[char],
    args: Value,
    target: PercentTarget,
) -> PyResult<PercentOutput> {
    let (items, length, index) = match tuple_items(args) {
        Some(items) => (items, items.len() as i64, 0),
        None => (&[][..], -1, -2),
    };
    let excluded = tuple_items(args).is_some()
        || str_of(args).is_some()
        || (target == PercentTarget::Bytes
            && matches!(
                args.as_obj().map(|obj| &obj.kind),
                Some(ObjKind::Bytes(_) | ObjKind::ByteArray(_))
            ));
    let is_mapping = !excluded && ops::lookup_class_attr(vm.type_of(args), "__getitem__").is_some();
    let mut arguments = PercentArgs {
        current: args,
        items,
        length,
        index,
        mapping: is_mapping.then_some(args),
        target,
    };

    let mut out = match target {
        PercentTarget::Text => PercentOutput::Text(String::with_capacity(chars.len() + 16)),
        PercentTarget::Bytes => PercentOutput::Bytes(Vec::with_capacity(chars.len() + 16)),
    };
    let mut position = 0;
    while position < chars.len() {
        let c = chars[position];
        if c != '%' {
            out.push_char(c);
            position += 1;
            continue;
        }
        position += 1;
        if chars.get(position) == Some(&'%') {
            out.push_char('%');
            position += 1;
            continue;
        }
        let directive = match parse_percent_directive(chars, position) {
            Ok(directive) => directive,
            Err(failure) => {
                if failure.opened_key && arguments.mapping.is_none() {
                    return vm.err_type("format requires a mapping");
                }
                if let Some(key) = &failure.key {
                    arguments.select_key(vm, key)?;
                }
                for _ in 0..failure.stars {
                    arguments.star(vm)?;
                }
                return vm.err_value(failure.message);
            }
        };
        position = directive.end;
        if let Some(key) = &directive.key {
            arguments.select_key(vm, key)?;
        }
        let mut flags = directive.flags;
        let width = match directive.width {
            PercentCount::Absent => 0,
            PercentCount::Given(width) => width,
            PercentCount::Star => {
                let width = arguments.star(vm)?;
                if width < 0 {
                    flags.left = true;
                }
                usize::try_from(width.unsigned_abs()).unwrap_or(usize::MAX)
            }
        };
        let precision = match directive.precision {
            PercentCount::Absent => None,
            PercentCount::Given(precision) => Some(precision),
            PercentCount::Star => {
                let precision = arguments.star(vm)?;
                if precision > i32::MAX as i64 {
                    return Err(vm.overflow_error("Python int too large to convert to C int"));
                }
                Some(precision.max(0) as usize)
            }
        };
        if width > MAX_RESULT_BYTES || precision.unwrap_or(0) > MAX_RESULT_BYTES {
            return Err(memory_error(vm));
        }
        let value = arguments.next(vm)?;
        match (directive.conversion, target) {
            ('s' | 'b', PercentTarget::Bytes) => {
                let mut data = percent_bytes_operand(vm, value)?;
                if let Some(precision) = precision {
                    data.truncate(precision);
                }
                let padding = width.saturating_sub(data.len());
                if !flags.left {
                    out.push_bytes(&vec![b' '; padding]);
                }
                out.push_bytes(&data);
                if flags.left {
                    out.push_bytes(&vec![b' '; padding]);
                }
            }
            ('c', PercentTarget::Bytes) => {
                let byte = percent_byte_operand(vm, value)?;
                let padding = width.saturating_sub(1);
                if !flags.left {
                    out.push_bytes(&vec![b' '; padding]);
                }
                out.push_bytes(&[byte]);
                if flags.left {
                    out.push_bytes(&vec![b' '; padding]);
                }
            }
            ('s', PercentTarget::Text) | ('r' | 'a', _) => {
                let text = match (directive.conversion, target) {
                    ('s', _) => ops::str_string(vm, value)?,
                    ('r', PercentTarget::Text) => ops::repr_string(vm, value)?,
                    _ => ascii_text(vm, value)?,
                };
                let text = match precision {
                    Some(precision) => {
                        let end = strops::char_index_to_byte(&text, precision);
                        text[..end].to_string()
                    }
                    None => text,
                };
                out.push_text(&percent_pad(&text, flags.left, width));
            }
            (conversion @ ('d' | 'i' | 'u' | 'x' | 'X' | 'o'), _) => {
                let n = percent_int_operand(vm, value, conversion)?;
                out.push_text(&percent_integer(&n, conversion, flags, width, precision));
            }
            (conversion @ ('e' | 'E' | 'f' | 'F' | 'g' | 'G'), _) => {
                let x = percent_float_operand(vm, value, target)?;
                let spec = percent_float_spec(conversion, flags, width, precision);
                let text = format_spec::format_float(x, &spec)
                    .map_err(|message| format_spec_error(vm, message))?;
                out.push_text(&text);
            }
            ('c', PercentTarget::Text) => {
                let c = percent_char_operand(vm, value)?;
                let mut buffer = [0u8; 4];
                out.push_text(&percent_pad(c.encode_utf8(&mut buffer), flags.left, width));
            }
            (other, _) => {
                let code = other as u32;
                let shown = if (31..=126).contains(&code) {
                    other
                } else {
                    '?'
                };
                return vm.err_value(format!(
                    "unsupported format character '{shown}' (0x{code:x}) at index {}",
                    directive.conversion_index
                ));
            }
        }
        if out.len() > MAX_RESULT_BYTES {
            return Err(memory_error(vm));
        }
    }
    if arguments.index < arguments.length && arguments.mapping.is_none() {
        let what = match target {
            PercentTarget::Text => "string",
            PercentTarget::Bytes => "bytes",
        };
        return vm.err_type(format!(
            "not all arguments converted during {what} formatting"
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    //! Expected values come from CPython 3.11.

    use super::*;

    fn markup(format: &str) -> Result<Vec<(String, Option<FieldMarkup<'_>>)>, &'static str> {
        MarkupParser::new(format)
            .map(|item| item.map(|(literal, field)| (literal.to_string(), field)))
            .collect()
    }

    fn field<'a>(
        name: &'a str,
        conversion: Option<char>,
        spec: &'a str,
        spec_has_fields: bool,
    ) -> FieldMarkup<'a> {
        FieldMarkup {
            name,
            conversion,
            spec,
            spec_has_fields,
        }
    }

    #[test]
    fn markup_splits_literals_and_fields() {
        assert_eq!(
            markup("a{0}b").unwrap(),
            vec![
                ("a".to_string(), Some(field("0", None, "", false))),
                ("b".to_string(), None)
            ]
        );
        assert_eq!(
            markup("{{}}").unwrap(),
            vec![("{".to_string(), None), ("}".to_string(), None)]
        );
        assert_eq!(
            markup("{{{0}}}").unwrap(),
            vec![
                ("{".to_string(), None),
                ("".to_string(), Some(field("0", None, "", false))),
                ("}".to_string(), None)
            ]
        );
        assert_eq!(
            markup("{!r:>{}}").unwrap(),
            vec![("".to_string(), Some(field("", Some('r'), ">{}", true)))]
        );
        assert_eq!(
            markup("{0[:]}").unwrap(),
            vec![("".to_string(), Some(field("0[:]", None, "", false)))]
        );
        assert_eq!(
            markup("{a:{b}.{c}f}x").unwrap()[0].1,
            Some(field("a", None, "{b}.{c}f", true))
        );
        assert_eq!(markup("é{}ü").unwrap().len(), 2);
    }

    #[test]
    fn markup_errors_match_cpython() {
        assert_eq!(markup("}"), Err("Single '}' encountered in format string"));
        assert_eq!(markup("{"), Err("Single '{' encountered in format string"));
        assert_eq!(markup("a{"), Err("Single '{' encountered in format string"));
        assert_eq!(
            markup("{0:}}"),
            Err("Single '}' encountered in format string")
        );
        assert_eq!(
            markup("{0!x}").unwrap()[0].1,
            Some(field("0", Some('x'), "", false))
        );
        assert_eq!(markup("{0!}"), Err("unmatched '{' in format spec"));
        assert_eq!(
            markup("{0!"),
            Err("end of string while looking for conversion specifier")
        );
        assert_eq!(
            markup("{0!rx}"),
            Err("expected ':' after conversion specifier")
        );
        assert_eq!(markup("{0:"), Err("unmatched '{' in format spec"));
        assert_eq!(markup("{0:{"), Err("unmatched '{' in format spec"));
        assert_eq!(markup("{0{}"), Err("unexpected '{' in field name"));
        assert_eq!(markup("{0[}"), Err("expected '}' before end of string"));
        assert_eq!(markup("{0]"), Err("expected '}' before end of string"));
        assert_eq!(markup("{é"), Err("expected '}' before end of string"));
    }

    #[test]
    fn field_names_split_like_cpython() {
        assert_eq!(split_field_name(""), Ok((FieldKey::Auto, "")));
        assert_eq!(split_field_name("00"), Ok((FieldKey::Index(0), "")));
        assert_eq!(split_field_name("0x"), Ok((FieldKey::Name("0x"), "")));
        assert_eq!(split_field_name("0]"), Ok((FieldKey::Name("0]"), "")));
        assert_eq!(split_field_name("١"), Ok((FieldKey::Index(1), "")));
        assert_eq!(
            split_field_name("a.b[1]"),
            Ok((FieldKey::Name("a"), ".b[1]"))
        );
        assert_eq!(
            split_field_name("99999999999999999999"),
            Err("Too many decimal digits in format string")
        );

        let mut rest = ".b[1][x].c";
        let mut accessors = Vec::new();
        while let Some(accessor) = next_accessor(&mut rest) {
            accessors.push(accessor.unwrap());
        }
        assert_eq!(
            accessors,
            vec![
                FieldAccessor::Attribute("b"),
                FieldAccessor::Item("1", Some(1)),
                FieldAccessor::Item("x", None),
                FieldAccessor::Attribute("c")
            ]
        );

        let mut rest = ".";
        assert_eq!(
            next_accessor(&mut rest),
            Some(Err("Empty attribute in format string"))
        );
        let mut rest = "[]";
        assert_eq!(
            next_accessor(&mut rest),
            Some(Err("Empty attribute in format string"))
        );
        let mut rest = "[0]x";
        assert_eq!(
            next_accessor(&mut rest),
            Some(Ok(FieldAccessor::Item("0", Some(0))))
        );
        assert_eq!(
            next_accessor(&mut rest),
            Some(Err(
                "Only '.' or '[' may follow ']' in format field specifier"
            ))
        );
        let mut rest = "[-1]";
        assert_eq!(
            next_accessor(&mut rest),
            Some(Ok(FieldAccessor::Item("-1", None)))
        );
    }

    fn directive(format: &str) -> Result<PercentDirective, PercentFailure> {
        let chars: Vec<char> = format.chars().collect();
        assert_eq!(chars[0], '%');
        parse_percent_directive(&chars, 1)
    }

    #[test]
    fn percent_directives_parse() {
        let parsed = directive("%-+ #010.3ld").unwrap();
        assert_eq!(
            parsed.flags,
            PercentFlags {
                left: true,
                sign: true,
                blank: true,
                alternate: true,
                zero: true
            }
        );
        assert_eq!(parsed.width, PercentCount::Given(10));
        assert_eq!(parsed.precision, PercentCount::Given(3));
        assert_eq!(parsed.conversion, 'd');
        assert_eq!(parsed.end, 12);

        let parsed = directive("%(a(b))*.*f rest").unwrap();
        assert_eq!(parsed.key.as_deref(), Some("a(b)"));
        assert_eq!(
            (parsed.width, parsed.precision),
            (PercentCount::Star, PercentCount::Star)
        );
        assert_eq!((parsed.conversion, parsed.conversion_index), ('f', 10));

        let parsed = directive("%.f").unwrap();
        assert_eq!(parsed.precision, PercentCount::Given(0));
        assert_eq!(directive("%y").unwrap().conversion_index, 1);
        assert_eq!(directive("%5%").unwrap().conversion, '%');
    }

    #[test]
    fn percent_directive_failures() {
        for format in ["%", "%5", "%-", "%5.", "%(a)", "%.*"] {
            assert_eq!(
                directive(format).unwrap_err().message,
                "incomplete format",
                "{format}"
            );
        }
        assert_eq!(
            directive("%(a").unwrap_err().message,
            "incomplete format key"
        );
        let failure = directive("%(k)*").unwrap_err();
        assert_eq!(
            (failure.opened_key, failure.key.as_deref(), failure.stars),
            (true, Some("k"), 1)
        );
        assert_eq!(
            directive("%10000000000000000000d").unwrap_err().message,
            "width too big"
        );
        assert_eq!(
            directive("%.10000000000000000000d").unwrap_err().message,
            "precision too big"
        );
    }

    fn flags(spec: &str) -> PercentFlags {
        let mut flags = PercentFlags::default();
        for c in spec.chars() {
            match c {
                '-' => flags.left = true,
                '+' => flags.sign = true,
                ' ' => flags.blank = true,
                '#' => flags.alternate = true,
                '0' => flags.zero = true,
                _ => unreachable!(),
            }
        }
        flags
    }

    #[test]
    fn percent_integers_match_cpython() {
        let n = |v: i64| BigInt::from(v);
        assert_eq!(percent_integer(&n(255), 'x', flags("#"), 5, None), " 0xff");
        assert_eq!(percent_integer(&n(255), 'x', flags("#0"), 5, None), "0x0ff");
        assert_eq!(percent_integer(&n(255), 'X', flags(""), 0, None), "FF");
        assert_eq!(percent_integer(&n(255), 'x', flags("+"), 0, None), "+ff");
        assert_eq!(percent_integer(&n(42), 'd', flags(" "), 5, None), "   42");
        assert_eq!(percent_integer(&n(3), 'd', flags("+0"), 5, None), "+0003");
        assert_eq!(percent_integer(&n(-3), 'd', flags("-0"), 5, None), "-3   ");
        assert_eq!(percent_integer(&n(5), 'd', flags(""), 0, Some(3)), "005");
        assert_eq!(
            percent_integer(&n(-5), 'd', flags("0"), 8, Some(3)),
            "-0000005"
        );
        assert_eq!(
            percent_integer(&n(255), 'x', flags("#"), 8, Some(5)),
            " 0x000ff"
        );
        assert_eq!(percent_integer(&n(-8), 'o', flags(""), 0, None), "-10");
        assert_eq!(percent_integer(&n(0), 'o', flags("#"), 0, None), "0o0");
        assert_eq!(percent_integer(&n(-255), 'x', flags(""), 0, None), "-ff");
    }

    #[test]
    fn percent_floats_match_cpython() {
        let render =
            |x: f64, conversion: char, spec: &str, width: usize, precision: Option<usize>| {
                format_spec::format_float(
                    x,
                    &percent_float_spec(conversion, flags(spec), width, precision),
                )
                .unwrap()
            };
        assert_eq!(render(-2.25, 'f', "0", 5, Some(1)), "-02.2");
        assert_eq!(render(12345.678, 'e', "", 10, Some(3)), " 1.235e+04");
        assert_eq!(render(3.25159, 'f', "-+", 6, Some(2)), "+3.25 ");
        assert_eq!(render(1.0, 'g', "#", 0, None), "1.00000");
        assert_eq!(render(1.0, 'f', "#", 0, Some(0)), "1.");
        assert_eq!(render(f64::INFINITY, 'f', "0", 5, None), "00inf");
        assert_eq!(render(f64::NAN, 'F', "", 0, None), "NAN");
        assert_eq!(render(1e20, 'g', "", 0, None), "1e+20");
        assert_eq!(render(-0.0, 'f', "", 0, None), "-0.000000");
    }

    #[test]
    fn percent_padding() {
        assert_eq!(percent_pad("ab", false, 5), "   ab");
        assert_eq!(percent_pad("ab", true, 5), "ab   ");
        assert_eq!(percent_pad("é", false, 2), " é");
        assert_eq!(percent_pad("abc", false, 2), "abc");
    }

    #[test]
    fn codecs_resolve_and_encode() {
        assert_eq!(lookup_codec("UTF-8"), Some(Codec::Utf8));
        assert_eq!(lookup_codec("utf8"), Some(Codec::Utf8));
        assert_eq!(lookup_codec("Latin-1"), Some(Codec::Latin1));
        assert_eq!(lookup_codec("iso-8859-1"), Some(Codec::Latin1));
        assert_eq!(lookup_codec("US-ASCII"), Some(Codec::Ascii));
        assert_eq!(lookup_codec("utf-16x"), None);
        assert_eq!(
            encode_text(Codec::Latin1, "aé", "strict"),
            Ok(vec![b'a', 0xe9])
        );
        assert_eq!(encode_text(Codec::Ascii, "é", "strict"), Err(EncodeFailure::Unencodable("'ascii' codec can't encode character '\\xe9' in position 0: ordinal not in range(128)".to_string())));
        assert_eq!(
            encode_text(Codec::Ascii, "a€€b", "strict"),
            Err(EncodeFailure::Unencodable(
                "'ascii' codec can't encode characters in position 1-2: ordinal not in range(128)"
                    .to_string()
            ))
        );
        assert_eq!(encode_text(Codec::Latin1, "€", "strict"), Err(EncodeFailure::Unencodable("'latin-1' codec can't encode character '\\u20ac' in position 0: ordinal not in range(256)".to_string())));
        assert_eq!(
            encode_text(Codec::Ascii, "a€b", "replace"),
            Ok(b"a?b".to_vec())
        );
        assert_eq!(
            encode_text(Codec::Ascii, "a€b", "ignore"),
            Ok(b"ab".to_vec())
        );
        assert_eq!(
            encode_text(Codec::Ascii, "a€😀", "backslashreplace"),
            Ok(b"a\\u20ac\\U0001f600".to_vec())
        );
        assert_eq!(
            encode_text(Codec::Ascii, "€", "xmlcharrefreplace"),
            Ok(b"&#8364;".to_vec())
        );
        assert_eq!(
            encode_text(Codec::Ascii, "€", "bogus"),
            Err(EncodeFailure::UnknownHandler("bogus".to_string()))
        );
        assert_eq!(
            encode_text(Codec::Ascii, "abc", "bogus"),
            Ok(b"abc".to_vec())
        );
        assert_eq!(lookup_codec("UTF-16"), Some(Codec::Utf16(None)));
        assert_eq!(
            lookup_codec("utf_32_be"),
            Some(Codec::Utf32(Some(ByteOrder::Big)))
        );
        assert_eq!(lookup_codec("utf-8-sig"), Some(Codec::Utf8Sig));
        assert_eq!(
            encode_text(Codec::Utf16(None), "a😀", "strict"),
            Ok(b"\xff\xfea\x00=\xd8\x00\xde".to_vec())
        );
        assert_eq!(
            encode_text(Codec::Utf16(Some(ByteOrder::Big)), "a😀", "strict"),
            Ok(b"\x00a\xd8=\xde\x00".to_vec())
        );
        assert_eq!(
            encode_text(Codec::Utf32(None), "a😀", "strict"),
            Ok(b"\xff\xfe\x00\x00a\x00\x00\x00\x00\xf6\x01\x00".to_vec())
        );
        assert_eq!(
            encode_text(Codec::Utf32(Some(ByteOrder::Big)), "a😀", "strict"),
            Ok(b"\x00\x00\x00a\x00\x01\xf6\x00".to_vec())
        );
        assert_eq!(
            encode_text(Codec::Utf8Sig, "é", "strict"),
            Ok(b"\xef\xbb\xbf\xc3\xa9".to_vec())
        );
    }

    #[test]
    fn non_ascii_escaping() {
        assert_eq!(escape_non_ascii("'é€😀'"), "'\\xe9\\u20ac\\U0001f600'");
    }
}
