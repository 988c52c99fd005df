//! `_re`, the native half of the `re` module (`stdlib/re.py` builds the
//! Python API on it): `compile(pattern, flags)` checks a pattern and
//! reports its groups, `run(pattern, flags, subject, pos, endpos, mode,
//! limit)` matches it. Compiled programs are cached per (pattern, flags)
//! here, so Python objects only carry the pattern and flags.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::builtins::{args, native_function, new_module};
use crate::engine::ops::{self, kind_of};
use crate::engine::{str_of, Vm};
use crate::objects::{NativeFn, ObjKind};
use crate::text::regex::{self, ErrorKind, Mode, ParseError, Program};
use crate::value::Value;
use crate::PyResult;

type Kwargs<'a> = &'a [(Value, Value)];

/// Cached programs beyond this many are all dropped (patterns are
/// recompiled on demand).
const CACHE_LIMIT: usize = 512;

type CacheKey = (bool, String, u32);

thread_local! {
    static PROGRAMS: RefCell<HashMap<CacheKey, Rc<Program>>> = RefCell::new(HashMap::new());
}

/// A pattern or subject as code points (bytes as Latin-1), and whether
/// it was bytes.
fn code_points(vm: &mut Vm, value: Value) -> PyResult<(Vec<char>, bool)> {
    if let Some(text) = str_of(value) {
        return Ok((text.chars().collect(), false));
    }
    match kind_of(value) {
        Some(ObjKind::Bytes(bytes)) => Ok((bytes.iter().map(|&b| b as char).collect(), true)),
        Some(ObjKind::ByteArray(bytes)) => {
            Ok((bytes.borrow().iter().map(|&b| b as char).collect(), true))
        }
        _ => {
            let name = vm.type_name(value);
            Err(vm.type_error(format!(
                "expected string or bytes-like object, got '{name}'"
            )))
        }
    }
}

fn raise_parse_error(vm: &mut Vm, error: &ParseError) -> Value {
    match error.kind {
        ErrorKind::Overflow => vm.overflow_error(error.message.clone()),
        ErrorKind::Recursion => {
            let class = vm.types.exc.recursion_error;
            vm.new_error(class, error.message.clone())
        }
        ErrorKind::Pattern => vm.value_error(error.message.clone()),
    }
}

/// The compiled program for a pattern, from the cache or compiled now.
fn program_for(
    vm: &mut Vm,
    pattern: Value,
    flags: u32,
) -> PyResult<Result<Rc<Program>, ParseError>> {
    let (points, is_bytes) = code_points(vm, pattern)?;
    let key: CacheKey = (is_bytes, points.iter().collect(), flags);
    if let Some(program) = PROGRAMS.with(|cache| cache.borrow().get(&key).cloned()) {
        return Ok(Ok(program));
    }
    let program = match regex::compile(&points, flags, is_bytes) {
        Ok(program) => Rc::new(program),
        Err(error) => return Ok(Err(error)),
    };
    PROGRAMS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(key, program.clone());
    });
    Ok(Ok(program))
}

fn flags_arg(vm: &mut Vm, value: Value) -> PyResult<u32> {
    let flags = args::to_i64(vm, value)?;
    Ok(flags as u32)
}

/// `compile(pattern, flags)`: `(flags, groups, [(name, index), ...])`, or
/// `(None, message, pos)` for a pattern error (re.py raises `re.error`).
fn re_compile(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    args::no_kwargs(vm, "compile", kwargs)?;
    args::arity(vm, "compile", args, 2, 2)?;
    let flags = flags_arg(vm, args[1])?;
    match program_for(vm, args[0], flags)? {
        Ok(program) => {
            let mut names = Vec::new();
            for (name, index) in &program.names {
                let name = vm.new_str(name.as_str());
                let index = vm.new_int(*index as i64);
                names.push(vm.new_tuple(vec![name, index]));
            }
            let names = vm.new_list(names);
            let flags = vm.new_int(program.flags as i64);
            let groups = vm.new_int(program.groups as i64);
            Ok(vm.new_tuple(vec![flags, groups, names]))
        }
        Err(error) if error.kind == ErrorKind::Pattern => {
            let message = vm.new_str(error.message.as_str());
            let pos = match error.pos {
                Some(pos) => vm.new_int(pos as i64),
                None => Value::NONE,
            };
            Ok(vm.new_tuple(vec![Value::NONE, message, pos]))
        }
        Err(error) => Err(raise_parse_error(vm, &error)),
    }
}

/// `run(pattern, flags, subject, pos, endpos, mode, limit)`: a list of
/// matches, each `(lastindex, start0, end0, start1, end1, ...)` with -1
/// for unset groups. Modes: 0 match, 1 fullmatch, 2 search, 3 every
/// match (at most `limit` unless it is 0). `pos`/`endpos` must already
/// be clamped to the subject.
fn re_run(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    args::no_kwargs(vm, "run", kwargs)?;
    args::arity(vm, "run", args, 7, 7)?;
    let flags = flags_arg(vm, args[1])?;
    let program = match program_for(vm, args[0], flags)? {
        Ok(program) => program,
        Err(error) => return Err(raise_parse_error(vm, &error)),
    };
    let (subject, _) = code_points(vm, args[2])?;
    let pos = (args::to_i64(vm, args[3])?.max(0) as usize).min(subject.len());
    let endpos = (args::to_i64(vm, args[4])?.max(0) as usize).min(subject.len());
    let mode = args::to_i64(vm, args[5])?;
    let limit = args::to_i64(vm, args[6])?.max(0) as usize;
    let found = match mode {
        0 => regex::find(&program, &subject, pos, endpos, Mode::Prefix, false)
            .into_iter()
            .collect(),
        1 => regex::find(&program, &subject, pos, endpos, Mode::Full, false)
            .into_iter()
            .collect(),
        2 => regex::find(&program, &subject, pos, endpos, Mode::Search, false)
            .into_iter()
            .collect(),
        _ => regex::scan(&program, &subject, pos, endpos, limit),
    };
    let mut matches = Vec::with_capacity(found.len());
    for one in found {
        let mut items = Vec::with_capacity(one.spans.len() + 1);
        items.push(match one.last_index {
            Some(index) => Value::small_int_unchecked(index as i64),
            None => Value::NONE,
        });
        items.extend(
            one.spans
                .iter()
                .map(|&offset| Value::small_int_unchecked(offset as i64)),
        );
        matches.push(vm.new_tuple(items));
    }
    Ok(vm.new_list(matches))
}

/// `purge()`: drops the cached programs.
fn re_purge(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    args::no_kwargs(vm, "purge", kwargs)?;
    args::arity(vm, "purge", args, 0, 0)?;
    PROGRAMS.with(|cache| cache.borrow_mut().clear());
    Ok(Value::NONE)
}

pub fn make(vm: &mut Vm) -> Value {
    let module = new_module(vm, "_re");
    let functions: &[(&'static str, NativeFn)] = &[
        ("compile", re_compile),
        ("run", re_run),
        ("purge", re_purge),
    ];
    let dict = module.as_obj().expect("module").dict();
    for &(name, function) in functions {
        let value = native_function(vm, name, function, Value::NULL);
        let key = vm.intern(name);
        ops::dict_set_str(vm, dict, key, value);
    }
    module
}
