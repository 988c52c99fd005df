//! The builtin functions (`print`, `len`, `isinstance`, ...) and the
//! special methods of `object`, `type`, `BaseException`, generators,
//! descriptors and the iterator types; `__build_class__` and class
//! creation (`type(name, bases, ns)`).
//! Reference: <https://docs.python.org/3.11/library/functions.html>.

use crate::objects::PyCell;

use crate::builtins::args::{self, arity, bind, given, kwarg, no_kwargs};
use crate::builtins::{add_function, add_method, add_staticmethod, loops};
use crate::bytecode::opcodes::{BinaryOp, CompareOp};
use crate::engine::call::new_instance;
use crate::engine::ops::{self, kind_of};
use crate::engine::{class_name, exc_data, str_of, tuple_items, type_obj, Vm};
use crate::objects::iter::DictIterKind;
use crate::objects::{IterState, ObjKind};
use crate::value::Value;
use crate::PyResult;

type Kwargs<'a> = &'a [(Value, Value)];

pub fn register(vm: &mut Vm) {
    add_function(vm, "print", print);
    add_function(vm, "len", len);
    add_function(vm, "repr", repr);
    add_function(vm, "ascii", ascii);
    add_function(vm, "abs", abs);
    add_function(vm, "min", min);
    add_function(vm, "max", max);
    add_function(vm, "sum", sum);
    add_function(vm, "any", any);
    add_function(vm, "all", all);
    add_function(vm, "sorted", sorted);
    add_function(vm, "isinstance", isinstance);
    add_function(vm, "issubclass", issubclass);
    add_function(vm, "hasattr", hasattr);
    add_function(vm, "getattr", getattr);
    add_function(vm, "setattr", setattr);
    add_function(vm, "delattr", delattr);
    add_function(vm, "callable", callable);
    add_function(vm, "id", id);
    add_function(vm, "hash", hash);
    add_function(vm, "iter", iter);
    add_function(vm, "next", next);
    add_function(vm, "hex", hex);
    add_function(vm, "oct", oct);
    add_function(vm, "bin", bin);
    add_function(vm, "ord", ord);
    add_function(vm, "chr", chr);
    add_function(vm, "divmod", divmod);
    add_function(vm, "pow", pow);
    add_function(vm, "round", round);
    add_function(vm, "format", format);
    add_function(vm, "vars", vars);
    add_function(vm, "dir", dir);
    add_function(vm, "input", input);
    add_function(vm, "__build_class__", build_class);
    add_function(vm, "exit", exit);
    add_function(vm, "quit", exit);
    add_function(vm, "exec", exec);
    add_function(vm, "eval", eval);
    add_function(vm, "globals", globals);
    add_function(vm, "locals", locals);
    add_function(vm, "compile", compile);
    add_function(vm, "__import__", import);
    for name in ["globals", "locals", "vars", "dir", "exec", "eval"] {
        if let Some(reader) = ops::dict_get_str(vm.builtins, name) {
            vm.frame_readers.push(reader);
        }
    }

    let types = vm.types.public();
    let get = |name: &str| {
        types
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, c)| *c)
            .expect("type")
    };
    // NoneType(), NotImplementedType() and ellipsis() return their singleton.
    for class in [
        vm.types.none_type,
        vm.types.not_implemented_type,
        vm.types.ellipsis_type,
    ] {
        let constructor: crate::objects::NativeFn = |vm, args, kwargs| {
            let class = args.first().copied().unwrap_or(Value::NONE);
            if args.len() > 1 || !kwargs.is_empty() {
                let name = class_name(class);
                return vm.err_type(format!("{name} takes no arguments"));
            }
            Ok(if class == vm.types.not_implemented_type {
                Value::NOT_IMPLEMENTED
            } else if class == vm.types.ellipsis_type {
                Value::ELLIPSIS
            } else {
                Value::NONE
            })
        };
        add_staticmethod(vm, class, "__new__", constructor);
    }
    let object = vm.types.object;
    add_staticmethod(vm, object, "__new__", object_new);
    add_method(vm, object, "__init__", object_init);
    add_method(vm, object, "__eq__", object_eq);
    add_method(vm, object, "__ne__", object_ne);
    for name in ["__lt__", "__le__", "__gt__", "__ge__"] {
        let function: crate::objects::NativeFn = |_, _, _| Ok(Value::NOT_IMPLEMENTED);
        add_method(vm, object, name, function);
    }
    add_method(vm, object, "__hash__", object_hash);
    add_method(vm, object, "__repr__", object_repr);
    add_method(vm, object, "__str__", object_str);
    add_method(vm, object, "__format__", object_format);
    add_method(vm, object, "__setattr__", object_setattr);
    add_method(vm, object, "__getattribute__", object_getattribute);
    add_method(vm, object, "__delattr__", object_delattr);
    add_method(vm, object, "__dir__", dir_method);
    let type_ = vm.types.type_;
    add_method(vm, type_, "__init__", |_, _, _| Ok(Value::NONE));
    add_method(vm, type_, "__call__", type_call);
    add_method(vm, type_, "mro", type_mro);
    add_method(vm, type_, "__instancecheck__", |vm, args, _| {
        Ok(Value::bool(
            args.len() == 2 && vm.is_instance(args[1], args[0]),
        ))
    });
    add_method(vm, type_, "__subclasscheck__", |vm, args, _| {
        Ok(Value::bool(
            args.len() == 2 && vm.is_subclass(args[1], args[0]),
        ))
    });
    // Unhashable built-ins.
    for class in [
        vm.types.list,
        vm.types.dict,
        vm.types.set,
        vm.types.bytearray,
    ] {
        crate::builtins::set_class_attr(vm, class, "__hash__", Value::NONE);
    }
    let base_exception = vm.types.exc.base_exception;
    add_staticmethod(vm, base_exception, "__new__", exception_new);
    add_method(vm, base_exception, "__init__", exception_init);
    add_method(vm, base_exception, "__str__", exception_str_method);
    add_method(vm, base_exception, "__repr__", object_repr);
    add_method(vm, base_exception, "with_traceback", |_, args, _| {
        Ok(args[0])
    });
    add_method(vm, base_exception, "add_note", exception_add_note);
    let generator = vm.types.generator;
    add_method(vm, generator, "__iter__", identity);
    for class in [
        get("list_iterator"),
        get("tuple_iterator"),
        get("str_ascii_iterator"),
        get("range_iterator"),
        get("dict_keyiterator"),
        get("dict_valueiterator"),
        get("dict_itemiterator"),
        get("set_iterator"),
        get("enumerate"),
        get("zip"),
        get("map"),
        get("filter"),
        get("reversed"),
        get("callable_iterator"),
        get("iterator"),
        get("bytes_iterator"),
        get("list_reverseiterator"),
    ] {
        add_method(vm, class, "__iter__", identity);
        add_method(vm, class, "__next__", iterator_next);
    }
    for class in [
        get("list_iterator"),
        get("tuple_iterator"),
        get("str_ascii_iterator"),
        get("range_iterator"),
        get("bytes_iterator"),
        get("list_reverseiterator"),
        get("reversed"),
    ] {
        add_method(vm, class, "__length_hint__", iterator_length_hint);
    }
    add_staticmethod(vm, get("range"), "__new__", range_new);
    add_staticmethod(vm, get("slice"), "__new__", slice_new);
    add_method(vm, get("slice"), "indices", slice_indices);
    // Slices compare as (start, stop, step) tuples and are unhashable.
    crate::builtins::set_class_attr(vm, get("slice"), "__hash__", Value::NONE);
    add_method(vm, get("slice"), "__eq__", |vm, args, _| {
        slice_compare(vm, args, CompareOp::Eq)
    });
    add_method(vm, get("slice"), "__ne__", |vm, args, _| {
        slice_compare(vm, args, CompareOp::Ne)
    });
    add_method(vm, get("slice"), "__lt__", |vm, args, _| {
        slice_compare(vm, args, CompareOp::Lt)
    });
    add_method(vm, get("slice"), "__le__", |vm, args, _| {
        slice_compare(vm, args, CompareOp::Le)
    });
    add_method(vm, get("slice"), "__gt__", |vm, args, _| {
        slice_compare(vm, args, CompareOp::Gt)
    });
    add_method(vm, get("slice"), "__ge__", |vm, args, _| {
        slice_compare(vm, args, CompareOp::Ge)
    });
    add_staticmethod(vm, get("enumerate"), "__new__", enumerate_new);
    add_staticmethod(vm, get("zip"), "__new__", zip_new);
    add_staticmethod(vm, get("map"), "__new__", map_new);
    add_staticmethod(vm, get("filter"), "__new__", filter_new);
    add_staticmethod(vm, get("reversed"), "__new__", reversed_new);
    add_staticmethod(vm, get("property"), "__new__", property_new);
    add_method(vm, get("property"), "getter", property_getter);
    add_method(vm, get("property"), "setter", property_setter);
    add_method(vm, get("property"), "deleter", property_deleter);
    add_method(vm, get("property"), "__get__", property_get);
    add_method(vm, get("property"), "__set__", property_set);
    add_staticmethod(vm, get("staticmethod"), "__new__", staticmethod_new);
    add_staticmethod(vm, get("classmethod"), "__new__", classmethod_new);
    add_staticmethod(vm, get("super"), "__new__", super_new);
    add_method(vm, get("super"), "__getattribute__", super_getattribute);
    add_method(vm, get("NoneType"), "__bool__", |_, _, _| Ok(Value::FALSE));
    add_method(vm, get("range"), "__len__", |vm, args, _| {
        ops::len(vm, args[0]).map(|n| vm.new_int(n as i64))
    });
    add_method(vm, get("range"), "__contains__", |vm, args, _| {
        ops::contains(vm, args[0], args[1]).map(Value::bool)
    });
    add_method(vm, get("range"), "__getitem__", |vm, args, _| {
        ops::getitem(vm, args[0], args[1])
    });
    add_method(vm, get("range"), "__eq__", range_eq);
    add_method(vm, get("range"), "index", range_index);
    add_method(vm, get("range"), "count", range_count);
    add_method(vm, get("function"), "__get__", function_get);
    add_method(vm, get("cell"), "__eq__", |_, args, _| {
        Ok(Value::bool(args[0] == args[1]))
    });
}

fn identity(_: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    Ok(args[0])
}

// ---- output ------------------------------------------------------------------------------

fn print(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let mut separator = " ".to_string();
    let mut end = "\n".to_string();
    let mut file = Value::NULL;
    let mut flush = false;
    for (key, value) in kwargs {
        match str_of(*key).unwrap_or("") {
            "sep" => {
                if !value.is_none() {
                    separator = match str_of(*value) {
                        Some(text) => text.to_string(),
                        None => {
                            let type_name = vm.type_name(*value);
                            return vm.err_type(format!(
                                "sep must be None or a string, not {type_name}"
                            ));
                        }
                    }
                }
            }
            "end" => {
                if !value.is_none() {
                    end = match str_of(*value) {
                        Some(text) => text.to_string(),
                        None => {
                            let type_name = vm.type_name(*value);
                            return vm.err_type(format!(
                                "end must be None or a string, not {type_name}"
                            ));
                        }
                    }
                }
            }
            "file" => file = *value,
            "flush" => flush = ops::truthy(vm, *value)?,
            other => {
                return vm.err_type(format!(
                    "'{other}' is an invalid keyword argument for print()"
                ))
            }
        }
    }
    let file = if file.is_null() || file.is_none() {
        crate::builtins::modules::sys_stream(vm, "stdout")
    } else {
        file
    };
    let to_host =
        file.is_null() || crate::builtins::modules::is_standard_stream(vm, file).is_some();
    if to_host {
        let mut text = String::new();
        for (index, value) in args.iter().enumerate() {
            if index > 0 {
                text.push_str(&separator);
            }
            text.push_str(&ops::str_string(vm, *value)?);
        }
        text.push_str(&end);
        write_to(vm, file, &text)?;
    } else {
        // A file object gets each piece in its own `write` call, as CPython
        // does.
        for (index, value) in args.iter().enumerate() {
            if index > 0 {
                write_to(vm, file, &separator)?;
            }
            let text = ops::str_string(vm, *value)?;
            write_to(vm, file, &text)?;
        }
        write_to(vm, file, &end)?;
    }
    if flush {
        vm.host.flush();
    }
    Ok(Value::NONE)
}

/// Writes to `file` (NULL/None = stdout; sys.stdout/sys.stderr objects are
/// recognised; anything else must have `write`).
pub fn write_to(vm: &mut Vm, file: Value, text: &str) -> PyResult<()> {
    if file.is_null() || file.is_none() {
        let stdout = crate::builtins::modules::sys_stream(vm, "stdout");
        if stdout.is_null() || crate::builtins::modules::is_standard_stream(vm, stdout) == Some(1) {
            vm.host.write_stdout(text);
            return Ok(());
        }
        return write_to(vm, stdout, text);
    }
    match crate::builtins::modules::is_standard_stream(vm, file) {
        Some(1) => vm.host.write_stdout(text),
        Some(2) => vm.host.write_stderr(text),
        _ => {
            let value = vm.new_str(text);
            ops::call_method(vm, file, "write", &[value])?;
        }
    }
    Ok(())
}

/// `exit()` / `quit()`: raise SystemExit with the optional code.
fn exit(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let class = vm.types.exc.system_exit;
    Err(vm.new_exception(class, args.iter().take(1).copied().collect()))
}

fn input(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    if let Some(prompt) = args.first() {
        let text = ops::str_string(vm, *prompt)?;
        vm.host.write_stdout(&text);
        vm.host.flush();
    }
    match vm.host.read_line() {
        Some(line) => Ok(vm.new_str(line.trim_end_matches('\n').trim_end_matches('\r'))),
        None => {
            let class = vm.types.exc.eof_error;
            Err(vm.new_error(class, "EOF when reading a line"))
        }
    }
}

// ---- simple builtins -------------------------------------------------------------------------

fn len(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    no_kwargs(vm, "len", kwargs)?;
    arity(vm, "len", args, 1, 1)?;
    let n = ops::len(vm, args[0])?;
    Ok(vm.new_int(n as i64))
}

fn repr(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    arity(vm, "repr", args, 1, 1)?;
    ops::repr(vm, args[0])
}

fn ascii(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    arity(vm, "ascii", args, 1, 1)?;
    let text = ops::repr_string(vm, args[0])?;
    Ok(vm.new_str(crate::builtins::repr::escape_non_ascii(&text)))
}

fn abs(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    arity(vm, "abs", args, 1, 1)?;
    ops::unary_op(vm, args[0], crate::builtins::numbers::UnaryKind::Abs)
}

fn min(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    extreme(vm, "min", args, kwargs, CompareOp::Lt)
}

fn max(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    extreme(vm, "max", args, kwargs, CompareOp::Gt)
}

fn extreme(
    vm: &mut Vm,
    name: &str,
    args: &[Value],
    kwargs: Kwargs,
    better: CompareOp,
) -> PyResult<Value> {
    let key = kwarg(kwargs, "key").filter(|key| !key.is_none());
    let default = kwarg(kwargs, "default");
    for (k, _) in kwargs {
        let text = str_of(*k).unwrap_or("");
        if text != "key" && text != "default" {
            return vm.err_type(format!(
                "{name}() got an unexpected keyword argument '{text}'"
            ));
        }
    }
    if args.is_empty() {
        return vm.err_type(format!("{name} expected at least 1 argument, got 0"));
    }
    if let [iterable] = args {
        let key_value = key.unwrap_or(Value::NONE);
        if loops::may_defer(vm)
            && (loops::iteration_runs_python(vm, *iterable) || loops::key_runs_python(key_value))
        {
            let has_default = Value::bool(default.is_some());
            let default = default.unwrap_or(Value::NONE);
            let function = if name == "min" { "min_of" } else { "max_of" };
            if let Some(deferred) =
                loops::defer(vm, function, &[*iterable, key_value, has_default, default])?
            {
                return Ok(deferred);
            }
        }
    }
    let items = if args.len() == 1 {
        ops::collect(vm, args[0])?
    } else {
        if default.is_some() {
            return vm.err_type(format!(
                "Cannot specify a default for {name}() with multiple positional arguments"
            ));
        }
        args.to_vec()
    };
    let list = vm.new_list(items.clone());
    vm.roots.push(list);
    let result = (|| {
        let mut best: Option<(Value, Value)> = None;
        for item in items {
            let score = match key {
                Some(key) => ops::call(vm, key, &[item], &[])?,
                None => item,
            };
            best = match best {
                None => Some((item, score)),
                Some((best_item, best_score)) => {
                    if ops::compare_bool(vm, score, best_score, better)? {
                        Some((item, score))
                    } else {
                        Some((best_item, best_score))
                    }
                }
            };
        }
        match best {
            Some((item, _)) => Ok(item),
            None => match default {
                Some(default) => Ok(default),
                None => vm.err_value(format!("{name}() arg is an empty sequence")),
            },
        }
    })();
    vm.roots.pop();
    result
}

fn sum(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let bound = bind(vm, "sum", args, kwargs, &["iterable", "start"], 1)?;
    let mut total = if bound[1].is_null() {
        Value::small_int_unchecked(0)
    } else {
        bound[1]
    };
    if str_of(total).is_some() {
        return vm.err_type("sum() can't sum strings [use ''.join(seq) instead]");
    }
    if let Some(deferred) = defer_loop(vm, "sum_of", bound[0], &[bound[0], total])? {
        return Ok(deferred);
    }
    let iterator = ops::iter(vm, bound[0])?;
    while let Some(item) = ops::next(vm, iterator)? {
        total = ops::binary_op(vm, total, item, BinaryOp::Add, false)?;
    }
    Ok(total)
}

/// Hands a native's loop over `iterable` to `loops.py`'s `function`
/// (with `args`) when iterating runs Python code and the native was called
/// straight from an instruction (`builtins/loops.rs`).
pub fn defer_loop(
    vm: &mut Vm,
    function: &str,
    iterable: Value,
    args: &[Value],
) -> PyResult<Option<Value>> {
    if !loops::may_defer(vm) || !loops::iteration_runs_python(vm, iterable) {
        return Ok(None);
    }
    loops::defer(vm, function, args)
}

fn any(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    arity(vm, "any", args, 1, 1)?;
    if let Some(deferred) = defer_loop(vm, "any_of", args[0], args)? {
        return Ok(deferred);
    }
    let iterator = ops::iter(vm, args[0])?;
    while let Some(item) = ops::next(vm, iterator)? {
        if ops::truthy(vm, item)? {
            return Ok(Value::TRUE);
        }
    }
    Ok(Value::FALSE)
}

fn all(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    arity(vm, "all", args, 1, 1)?;
    if let Some(deferred) = defer_loop(vm, "all_of", args[0], args)? {
        return Ok(deferred);
    }
    let iterator = ops::iter(vm, args[0])?;
    while let Some(item) = ops::next(vm, iterator)? {
        if !ops::truthy(vm, item)? {
            return Ok(Value::FALSE);
        }
    }
    Ok(Value::TRUE)
}

fn sorted(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    if args.len() != 1 {
        return vm.err_type(format!("sorted expected 1 argument, got {}", args.len()));
    }
    let key = kwarg(kwargs, "key").unwrap_or(Value::NULL);
    let reverse = match kwarg(kwargs, "reverse") {
        Some(value) => args::to_i64(vm, value)? != 0,
        None => false,
    };
    let key_value = if key.is_null() { Value::NONE } else { key };
    if loops::may_defer(vm)
        && (loops::iteration_runs_python(vm, args[0]) || loops::key_runs_python(key_value))
    {
        let reverse = Value::bool(reverse);
        if let Some(deferred) = loops::defer(vm, "sorted_of", &[args[0], key_value, reverse])? {
            return Ok(deferred);
        }
    }
    let items = ops::collect(vm, args[0])?;
    let list = vm.new_list(items);
    crate::builtins::containers::list_sort(
        vm,
        list,
        if key.is_none() { Value::NULL } else { key },
        reverse,
    )?;
    Ok(list)
}

fn class_tuple_check(
    vm: &mut Vm,
    classinfo: Value,
    check: &dyn Fn(&mut Vm, Value) -> PyResult<bool>,
    name: &str,
) -> PyResult<bool> {
    if let Some(items) = tuple_items(classinfo) {
        for item in items.iter().copied() {
            if class_tuple_check(vm, item, check, name)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    if type_obj(classinfo).is_none() {
        // Any object whose class defines the hook may stand in for a
        // class (typing's aliases do).
        let hook = if name == "isinstance" {
            "__instancecheck__"
        } else {
            "__subclasscheck__"
        };
        let has_hook = ops::lookup_class_attr(vm.type_of(classinfo), hook)
            .is_some_and(|method| matches!(kind_of(method), Some(ObjKind::Function(_))));
        if !has_hook {
            return vm.err_type(format!(
                "{name}() arg 2 must be a type, a tuple of types, or a union"
            ));
        }
    }
    check(vm, classinfo)
}

/// A Python `__instancecheck__`/`__subclasscheck__` defined by the
/// metaclass of `class`, called with `subject`; `None` when there is none.
fn metaclass_hook(
    vm: &mut Vm,
    class: Value,
    hook_name: &str,
    subject: Value,
) -> PyResult<Option<bool>> {
    let metaclass = vm.type_of(class);
    if metaclass == vm.types.type_ {
        return Ok(None);
    }
    match ops::lookup_class_attr(metaclass, hook_name) {
        Some(hook) if matches!(kind_of(hook), Some(ObjKind::Function(_))) => {
            let result = ops::call(vm, hook, &[class, subject], &[])?;
            ops::truthy(vm, result).map(Some)
        }
        _ => Ok(None),
    }
}

fn isinstance(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    arity(vm, "isinstance", args, 2, 2)?;
    let value = args[0];
    let result = class_tuple_check(
        vm,
        args[1],
        &|vm, class| match metaclass_hook(vm, class, "__instancecheck__", value)? {
            Some(answer) => Ok(answer),
            None => Ok(vm.is_instance(value, class)),
        },
        "isinstance",
    )?;
    Ok(Value::bool(result))
}

fn issubclass(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    arity(vm, "issubclass", args, 2, 2)?;
    if type_obj(args[0]).is_none() {
        return vm.err_type("issubclass() arg 1 must be a class");
    }
    let class = args[0];
    let result = class_tuple_check(
        vm,
        args[1],
        &|vm, base| match metaclass_hook(vm, base, "__subclasscheck__", class)? {
            Some(answer) => Ok(answer),
            None => Ok(vm.is_subclass(class, base)),
        },
        "issubclass",
    )?;
    Ok(Value::bool(result))
}

fn attribute_name(vm: &mut Vm, name: Value, function: &str) -> PyResult<Value> {
    match str_of(name) {
        Some(text) => Ok(vm.intern(text)),
        None => {
            let type_name = vm.type_name(name);
            let _ = function;
            vm.err_type(format!("attribute name must be string, not '{type_name}'"))
        }
    }
}

fn hasattr(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    arity(vm, "hasattr", args, 2, 2)?;
    let name = attribute_name(vm, args[1], "hasattr")?;
    match ops::getattr(vm, args[0], name) {
        Ok(_) => Ok(Value::TRUE),
        Err(error) if vm.is_instance(error, vm.types.exc.attribute_error) => Ok(Value::FALSE),
        Err(error) => Err(error),
    }
}

fn getattr(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    arity(vm, "getattr", args, 2, 3)?;
    let name = attribute_name(vm, args[1], "getattr")?;
    match ops::getattr(vm, args[0], name) {
        Ok(value) => Ok(value),
        Err(error) if args.len() == 3 && vm.is_instance(error, vm.types.exc.attribute_error) => {
            Ok(args[2])
        }
        Err(error) => Err(error),
    }
}

fn setattr(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    arity(vm, "setattr", args, 3, 3)?;
    let name = attribute_name(vm, args[1], "setattr")?;
    ops::setattr(vm, args[0], name, args[2])?;
    Ok(Value::NONE)
}

fn delattr(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    arity(vm, "delattr", args, 2, 2)?;
    let name = attribute_name(vm, args[1], "delattr")?;
    ops::delattr(vm, args[0], name)?;
    Ok(Value::NONE)
}

pub fn callable(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    arity(vm, "callable", args, 1, 1)?;
    let result = match kind_of(args[0]) {
        Some(
            ObjKind::Function(_)
            | ObjKind::NativeFunction(_)
            | ObjKind::BoundMethod { .. }
            | ObjKind::Type(_),
        ) => true,
        _ => ops::lookup_class_attr(vm.type_of(args[0]), "__call__").is_some(),
    };
    Ok(Value::bool(result))
}

fn id(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    arity(vm, "id", args, 1, 1)?;
    Ok(vm.new_int((args[0].bits() & 0x0000_FFFF_FFFF_FFFF) as i64))
}

fn hash(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    arity(vm, "hash", args, 1, 1)?;
    let value = ops::hash(vm, args[0])?;
    Ok(vm.new_int(value))
}

fn iter(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    arity(vm, "iter", args, 1, 2)?;
    if args.len() == 2 {
        let class = vm.types.callable_iterator;
        return Ok(vm.alloc(
            class,
            ObjKind::Iter(PyCell::new(IterState::call_until(args[0], args[1]))),
        ));
    }
    ops::iter_live(vm, args[0])
}

fn next(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    arity(vm, "next", args, 1, 2)?;
    let class = vm.type_of(args[0]);
    if !matches!(
        kind_of(args[0]),
        Some(ObjKind::Iter(_) | ObjKind::Generator(_))
    ) && ops::lookup_class_attr(class, "__next__").is_none()
    {
        let type_name = class_name(class);
        return vm.err_type(format!("'{type_name}' object is not an iterator"));
    }
    if args.len() == 1 {
        // Without a default the iterator's own StopIteration (with its
        // value) propagates.
        match kind_of(args[0]) {
            Some(ObjKind::Generator(_)) => {
                return match crate::engine::step::resume_generator(vm, args[0], Value::NONE, None)?
                {
                    crate::engine::step::Resumed::Yielded(value) => Ok(value),
                    crate::engine::step::Resumed::Returned(value) => Err(vm.stop_iteration(value)),
                };
            }
            Some(ObjKind::Iter(state)) => {
                return match crate::builtins::iterators::advance_for_next(vm, state)? {
                    Some(value) => Ok(value),
                    None => Err(vm.stop_iteration(Value::NONE)),
                };
            }
            _ => {
                return ops::call_special(vm, args[0], "__next__", &[])
                    .map(|value| value.unwrap_or(Value::NONE));
            }
        }
    }
    match ops::next(vm, args[0])? {
        Some(value) => Ok(value),
        None => match args.get(1) {
            Some(default) => Ok(*default),
            None => Err(vm.stop_iteration(Value::NONE)),
        },
    }
}

fn radix(vm: &mut Vm, args: &[Value], name: &str, radix: u32, prefix: &str) -> PyResult<Value> {
    arity(vm, name, args, 1, 1)?;
    let int_value = ops::index_value(vm, args[0])?;
    let number = args::int_value(int_value).unwrap_or_default();
    Ok(vm.new_str(crate::text::numparse::int_to_radix_string(
        &number, radix, prefix,
    )))
}

fn hex(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    radix(vm, args, "hex", 16, "0x")
}

fn oct(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    radix(vm, args, "oct", 8, "0o")
}

fn bin(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    radix(vm, args, "bin", 2, "0b")
}

fn ord(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    arity(vm, "ord", args, 1, 1)?;
    if let Some(text) = str_of(args[0]) {
        let mut chars = text.chars();
        return match (chars.next(), chars.next()) {
            (Some(c), None) => Ok(vm.new_int(c as i64)),
            _ => {
                let count = text.chars().count();
                vm.err_type(format!(
                    "ord() expected a character, but string of length {count} found"
                ))
            }
        };
    }
    let bytes = match kind_of(args[0]) {
        Some(ObjKind::Bytes(bytes)) => Some(bytes.to_vec()),
        Some(ObjKind::ByteArray(bytes)) => Some(bytes.borrow().clone()),
        _ => None,
    };
    if let Some(bytes) = bytes {
        if bytes.len() == 1 {
            return Ok(vm.new_int(bytes[0] as i64));
        }
        return vm.err_type(format!(
            "ord() expected a character, but string of length {} found",
            bytes.len()
        ));
    }
    let type_name = vm.type_name(args[0]);
    vm.err_type(format!(
        "ord() expected string of length 1, but {type_name} found"
    ))
}

fn chr(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    arity(vm, "chr", args, 1, 1)?;
    if args[0].is_float() {
        return vm.err_type("'float' object cannot be interpreted as an integer");
    }
    let code = args::to_i64(vm, args[0])?;
    if !(0..=0x10FFFF).contains(&code) {
        return vm.err_value("chr() arg not in range(0x110000)");
    }
    match char::from_u32(code as u32) {
        Some(c) => Ok(vm.new_str(c.to_string())),
        None => vm.err_value("surrogate code points are not supported"),
    }
}

fn divmod(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    arity(vm, "divmod", args, 2, 2)?;
    crate::builtins::numbers::divmod_values(vm, args[0], args[1])
}

fn pow(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let bound = bind(vm, "pow", args, kwargs, &["base", "exp", "mod"], 2)?;
    let modulus = if bound[2].is_null() || bound[2].is_none() {
        None
    } else {
        Some(bound[2])
    };
    crate::builtins::numbers::pow_values(vm, bound[0], bound[1], modulus)
}

fn round(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let bound = bind(vm, "round", args, kwargs, &["number", "ndigits"], 1)?;
    let extra: Vec<Value> = if bound[1].is_null() || bound[1].is_none() {
        vec![]
    } else {
        vec![bound[1]]
    };
    match ops::call_special(vm, bound[0], "__round__", &extra)? {
        Some(result) => Ok(result),
        None => {
            let type_name = vm.type_name(bound[0]);
            vm.err_type(format!("type {type_name} doesn't define __round__ method"))
        }
    }
}

fn format(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    arity(vm, "format", args, 1, 2)?;
    let spec = match args.get(1) {
        Some(spec) => args::to_str(vm, *spec, "format() argument 2")?,
        None => "",
    };
    ops::format_value(vm, args[0], spec)
}

fn vars(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    no_kwargs(vm, "vars", kwargs)?;
    arity(vm, "vars", args, 0, 1)?;
    let Some(&object) = args.first() else {
        return locals(vm, &[], &[]);
    };
    let name = vm.intern("__dict__");
    match ops::getattr(vm, object, name) {
        Ok(dict) => Ok(dict),
        Err(error) if vm.is_instance(error, vm.types.exc.attribute_error) => {
            vm.err_type("vars() argument must have __dict__ attribute")
        }
        Err(error) => Err(error),
    }
}

fn dir_method(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let mut names: Vec<String> = Vec::new();
    let obj = args[0];
    let add_dict = |vm: &mut Vm, dict: Value, names: &mut Vec<String>| {
        if let Some(table) = ops::dict_of(dict) {
            for key in table.borrow().keys() {
                let text = vm.str_text(key);
                if !names.contains(&text) {
                    names.push(text);
                }
            }
        }
    };
    let own_dict = crate::builtins::descriptors::instance_dict(vm, obj, false);
    if !own_dict.is_null() {
        add_dict(vm, own_dict, &mut names);
    }
    let class = if type_obj(obj).is_some() {
        obj
    } else {
        vm.type_of(obj)
    };
    if let Some(class_payload) = type_obj(class) {
        for base in class_payload.mro.borrow().clone() {
            if let Some(dict) = base.as_obj().map(|o| o.dict()) {
                add_dict(vm, dict, &mut names);
            }
        }
    }
    names.sort();
    let values = names.iter().map(|name| vm.new_str(name.as_str())).collect();
    Ok(vm.new_list(values))
}

fn dir(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    no_kwargs(vm, "dir", kwargs)?;
    arity(vm, "dir", args, 0, 1)?;
    let Some(&object) = args.first() else {
        // The names of the caller's local scope.
        let namespace = locals(vm, &[], &[])?;
        let keys = ops::collect(vm, namespace)?;
        let list = vm.new_list(keys);
        crate::builtins::containers::list_sort(vm, list, Value::NULL, false)?;
        return Ok(list);
    };
    match ops::call_special(vm, object, "__dir__", &[])? {
        Some(result) => {
            let items = ops::collect(vm, result)?;
            let list = vm.new_list(items);
            crate::builtins::containers::list_sort(vm, list, Value::NULL, false)?;
            Ok(list)
        }
        None => dir_method(vm, args, &[]),
    }
}

/// The `__main__` module's namespace, for namespace builtins called from
/// native code (no Python caller).
fn main_globals(vm: &mut Vm) -> PyResult<Value> {
    let key = vm.intern("__main__");
    let modules = vm.modules;
    match ops::dict_get(vm, modules, key)? {
        Some(module) => Ok(module.as_obj().map(|o| o.dict()).unwrap_or(Value::NONE)),
        None => Ok(vm.new_dict()),
    }
}

fn globals(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    no_kwargs(vm, "globals", kwargs)?;
    arity(vm, "globals", args, 0, 0)?;
    if !vm.caller_globals.is_null() {
        return Ok(vm.caller_globals);
    }
    main_globals(vm)
}

fn locals(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    no_kwargs(vm, "locals", kwargs)?;
    arity(vm, "locals", args, 0, 0)?;
    if !vm.caller_locals.is_null() {
        return Ok(vm.caller_locals);
    }
    globals(vm, &[], &[])
}

/// The globals and locals `exec`/`eval` run in: the given dicts, or the
/// caller's namespaces.
fn namespace_args(vm: &mut Vm, function: &str, args: &[Value]) -> PyResult<(Value, Value)> {
    let (caller_globals, caller_locals) = (vm.caller_globals, vm.caller_locals);
    let given_globals = args.get(1).copied().filter(|v| !v.is_none());
    let given_locals = args.get(2).copied().filter(|v| !v.is_none());
    if let Some(globals_dict) = given_globals {
        if ops::dict_of(globals_dict).is_none() {
            let type_name = vm.type_name(globals_dict);
            return vm.err_type(if function == "exec" {
                format!("exec() globals must be a dict, not {type_name}")
            } else {
                "globals must be a dict".to_string()
            });
        }
    }
    if let Some(locals_value) = given_locals {
        let class = vm.type_of(locals_value);
        if ops::dict_of(locals_value).is_none()
            && ops::lookup_class_attr(class, "__getitem__").is_none()
        {
            let type_name = vm.type_name(locals_value);
            return vm.err_type(if function == "exec" {
                format!("locals must be a mapping, not {type_name}")
            } else {
                "locals must be a mapping".to_string()
            });
        }
    }
    let (globals_dict, locals_dict) = match given_globals {
        Some(globals_dict) => (globals_dict, given_locals.unwrap_or(globals_dict)),
        None if !caller_globals.is_null() => (
            caller_globals,
            given_locals.unwrap_or(if caller_locals.is_null() {
                caller_globals
            } else {
                caller_locals
            }),
        ),
        None => {
            let globals_dict = main_globals(vm)?;
            (globals_dict, given_locals.unwrap_or(globals_dict))
        }
    };
    if ops::dict_get_str(globals_dict, "__builtins__").is_none() {
        let key = vm.intern("__builtins__");
        let builtins = vm.builtins;
        ops::dict_set_str(vm, globals_dict, key, builtins);
    }
    Ok((globals_dict, locals_dict))
}

/// The source text of `exec`/`eval`/`compile`: str, or bytes decoded as
/// UTF-8.
fn source_text(vm: &mut Vm, value: Value, function: &str) -> PyResult<String> {
    if let Some(text) = str_of(value) {
        return Ok(text.to_string());
    }
    let bytes = match kind_of(value) {
        Some(ObjKind::Bytes(bytes)) => bytes.to_vec(),
        Some(ObjKind::ByteArray(bytes)) => bytes.borrow().clone(),
        _ => {
            let message = if function == "compile" {
                "compile() arg 1 must be a string, bytes or AST object".to_string()
            } else {
                format!("{function}() arg 1 must be a string, bytes or code object")
            };
            return vm.err_type(message);
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(_) => vm.err_value("source code string cannot contain null bytes"),
    }
}

fn exec(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let bound = bind(
        vm,
        "exec",
        args,
        kwargs,
        &["source", "globals", "locals"],
        1,
    )?;
    let positional: Vec<Value> = bound
        .iter()
        .map(|v| if v.is_null() { Value::NONE } else { *v })
        .collect();
    let (globals_dict, locals_dict) = namespace_args(vm, "exec", &positional)?;
    let code = match kind_of(bound[0]) {
        Some(ObjKind::Code(_)) => crate::engine::code_of(bound[0]).expect("code"),
        _ => {
            let source = source_text(vm, bound[0], "exec")?;
            crate::engine::compile_or_raise(vm, &source, "<string>", crate::compiler::Mode::Exec)?
        }
    };
    crate::engine::run_code(vm, code, globals_dict, locals_dict)?;
    Ok(Value::NONE)
}

fn eval(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let bound = bind(
        vm,
        "eval",
        args,
        kwargs,
        &["source", "globals", "locals"],
        1,
    )?;
    let positional: Vec<Value> = bound
        .iter()
        .map(|v| if v.is_null() { Value::NONE } else { *v })
        .collect();
    let (globals_dict, locals_dict) = namespace_args(vm, "eval", &positional)?;
    let code = match kind_of(bound[0]) {
        Some(ObjKind::Code(_)) => crate::engine::code_of(bound[0]).expect("code"),
        _ => {
            let source = source_text(vm, bound[0], "eval")?;
            let trimmed = source.trim_start_matches([' ', '\t']);
            crate::engine::compile_or_raise(vm, trimmed, "<string>", crate::compiler::Mode::Eval)?
        }
    };
    crate::engine::run_code(vm, code, globals_dict, locals_dict)
}

/// `compile(source, filename, mode, flags=0, dont_inherit=False,
/// optimize=-1)`: a code object for `exec`/`eval`.
fn compile(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let names = [
        "source",
        "filename",
        "mode",
        "flags",
        "dont_inherit",
        "optimize",
        "_feature_version",
    ];
    let bound = bind(vm, "compile", args, kwargs, &names, 3)?;
    if matches!(kind_of(bound[0]), Some(ObjKind::Code(_))) {
        return Ok(bound[0]);
    }
    let source = source_text(vm, bound[0], "compile")?;
    let filename = match str_of(bound[1]) {
        Some(text) => text.to_string(),
        None => {
            let type_name = vm.type_name(bound[1]);
            return vm.err_type(format!(
                "compile() argument 'filename' must be str, not {type_name}"
            ));
        }
    };
    let mode = match str_of(bound[2]) {
        Some("exec") => crate::compiler::Mode::Exec,
        Some("eval") => crate::compiler::Mode::Eval,
        Some("single") => crate::compiler::Mode::Single,
        Some(_) => return vm.err_value("compile() mode must be 'exec', 'eval' or 'single'"),
        None => {
            let type_name = vm.type_name(bound[2]);
            return vm.err_type(format!(
                "compile() argument 'mode' must be str, not {type_name}"
            ));
        }
    };
    let text = if mode == crate::compiler::Mode::Eval {
        source.trim_start_matches([' ', '\t']).to_string()
    } else {
        source
    };
    let code = crate::engine::compile_or_raise(vm, &text, &filename, mode)?;
    Ok(vm.code_value(code))
}

/// `__import__(name, globals=None, locals=None, fromlist=(), level=0)`.
fn import(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let names = ["name", "globals", "locals", "fromlist", "level"];
    let bound = bind(vm, "__import__", args, kwargs, &names, 1)?;
    if str_of(bound[0]).is_none() {
        let type_name = vm.type_name(bound[0]);
        return vm.err_type(format!(
            "__import__() argument 1 must be str, not {type_name}"
        ));
    }
    let globals_dict = match given(bound[1]) {
        Some(dict) if ops::dict_of(dict).is_some() => dict,
        _ => vm.new_dict(),
    };
    let fromlist = given(bound[3]).unwrap_or(Value::NONE);
    let level = if bound[4].is_null() {
        Value::small_int_unchecked(0)
    } else {
        bound[4]
    };
    crate::builtins::import::import_name(vm, bound[0], fromlist, level, globals_dict)
}

// ---- classes ------------------------------------------------------------------------------

/// `__build_class__(body, name, *bases, metaclass=None, **kwds)`.
fn build_class(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let (body, name) = (args[0], args[1]);
    let (bases, original_bases) = resolve_mro_entries(vm, &args[2..])?;
    let mut metaclass = kwarg(kwargs, "metaclass");
    let class_kwargs: Vec<(Value, Value)> = kwargs
        .iter()
        .filter(|(key, _)| str_of(*key) != Some("metaclass"))
        .copied()
        .collect();
    if metaclass.is_none() {
        let mut chosen = vm.types.type_;
        for base in &bases {
            let base_meta = vm.type_of(*base);
            if vm.is_subclass(base_meta, chosen) {
                chosen = base_meta;
            }
        }
        metaclass = Some(chosen);
    }
    let metaclass = metaclass.unwrap_or(vm.types.type_);
    let namespace = match ops::lookup_class_attr(metaclass, "__prepare__") {
        Some(prepare) if type_obj(metaclass).is_some() => {
            let bases_tuple = vm.new_tuple(bases.clone());
            let bound = ops::bind_descriptor(vm, prepare, Value::NULL, metaclass)?;
            ops::call(vm, bound, &[name, bases_tuple], &class_kwargs)?
        }
        _ => vm.new_dict(),
    };
    vm.roots.push(namespace);
    let result = (|| {
        let Some(ObjKind::Function(function)) = kind_of(body) else {
            return vm.err_type("__build_class__: func must be a function");
        };
        let mut frame = crate::engine::call::new_frame(vm, body, function, &[], &[])?;
        frame.locals_dict = namespace;
        let cell = crate::engine::step::run_nested(vm, frame)?;
        if let Some(original) = original_bases {
            let key = vm.intern("__orig_bases__");
            ops::setitem(vm, namespace, key, original)?;
        }
        let bases_tuple = vm.new_tuple(bases.clone());
        let class = ops::call(
            vm,
            metaclass,
            &[name, bases_tuple, namespace],
            &class_kwargs,
        )?;
        if let Some(ObjKind::Cell(contents)) = kind_of(cell) {
            contents.set(class);
            crate::heap::share::reshare(cell);
        }
        Ok(class)
    })();
    vm.roots.pop();
    result
}

/// Replaces class-statement bases that are not classes by the result of
/// their `__mro_entries__(original_bases)`; returns the new bases and, when
/// any changed, the original bases tuple (stored as `__orig_bases__`).
fn resolve_mro_entries(vm: &mut Vm, given: &[Value]) -> PyResult<(Vec<Value>, Option<Value>)> {
    let mut bases = Vec::with_capacity(given.len());
    let mut original = None;
    for base in given {
        if type_obj(*base).is_none() {
            let hook_name = vm.intern("__mro_entries__");
            if let Some(hook) = ops::generic_getattr(vm, *base, hook_name)? {
                let original_tuple = match original {
                    Some(tuple) => tuple,
                    None => {
                        let tuple = vm.new_tuple(given.to_vec());
                        original = Some(tuple);
                        tuple
                    }
                };
                let result = ops::call(vm, hook, &[original_tuple], &[])?;
                let Some(entries) = tuple_items(result) else {
                    return vm.err_type("__mro_entries__ must return a tuple");
                };
                bases.extend_from_slice(entries);
                continue;
            }
        }
        bases.push(*base);
    }
    Ok((bases, original))
}

fn type_call(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    if args.is_empty() || type_obj(args[0]).is_none() {
        return vm.err_type("descriptor '__call__' requires a 'type' object");
    }
    match crate::engine::call::construct(vm, args[0], &args[1..], kwargs)? {
        crate::engine::call::CallOutcome::Value(value) => Ok(value),
        crate::engine::call::CallOutcome::Frame(frame) => {
            crate::engine::step::run_nested(vm, frame)
        }
    }
}

fn type_mro(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let mro = type_obj(args[0])
        .map(|class| class.mro.borrow().clone())
        .unwrap_or_default();
    Ok(vm.new_list(mro))
}

// ---- object -----------------------------------------------------------------------------------

fn object_new(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let Some(class) = args.first().copied() else {
        return vm.err_type("object.__new__(): not enough arguments");
    };
    if args.len() > 1 || !kwargs.is_empty() {
        let init = ops::lookup_class_attr(class, "__init__");
        let object_init = ops::lookup_class_attr(vm.types.object, "__init__");
        if init == object_init {
            let name = class_name(class);
            return vm.err_type(format!("{name}() takes no arguments"));
        }
    }
    crate::builtins::classes::check_not_abstract(vm, class)?;
    new_instance(vm, class)
}

fn object_init(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    if args.len() > 1 || !kwargs.is_empty() {
        let class = vm.type_of(args[0]);
        let new = ops::lookup_class_attr(class, "__new__");
        let object_new_value = ops::lookup_class_attr(vm.types.object, "__new__");
        if new == object_new_value {
            return vm.err_type(
                "object.__init__() takes exactly one argument (the instance to initialize)",
            );
        }
    }
    Ok(Value::NONE)
}

fn object_eq(_: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    Ok(if args[0] == args[1] {
        Value::TRUE
    } else {
        Value::NOT_IMPLEMENTED
    })
}

fn object_ne(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    match ops::call_special(vm, args[0], "__eq__", &[args[1]])? {
        Some(result) if result != Value::NOT_IMPLEMENTED => {
            Ok(Value::bool(!ops::truthy(vm, result)?))
        }
        _ => Ok(Value::NOT_IMPLEMENTED),
    }
}

fn object_hash(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    Ok(vm.new_int(ops::identity_hash(args[0])))
}

fn object_repr(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let text = crate::builtins::repr::builtin_repr(vm, args[0])?;
    Ok(vm.new_str(text))
}

fn object_str(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    ops::repr(vm, args[0])
}

fn object_format(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let spec = args.get(1).and_then(|s| str_of(*s)).unwrap_or("");
    if !spec.is_empty() {
        let type_name = vm.type_name(args[0]);
        return vm.err_type(format!(
            "unsupported format string passed to {type_name}.__format__"
        ));
    }
    ops::to_str(vm, args[0])
}

fn object_setattr(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    arity(vm, "__setattr__", args, 3, 3)?;
    let name = attribute_name(vm, args[1], "__setattr__")?;
    ops::generic_setattr(vm, args[0], name, args[2])?;
    Ok(Value::NONE)
}

fn object_getattribute(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    arity(vm, "__getattribute__", args, 2, 2)?;
    let name = attribute_name(vm, args[1], "__getattribute__")?;
    match ops::generic_getattr(vm, args[0], name)? {
        Some(value) => Ok(value),
        None => Err(ops::no_attribute(vm, args[0], name)),
    }
}

fn object_delattr(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    arity(vm, "__delattr__", args, 2, 2)?;
    let name = attribute_name(vm, args[1], "__delattr__")?;
    ops::generic_delattr(vm, args[0], name)?;
    Ok(Value::NONE)
}

// ---- exceptions ----------------------------------------------------------------------------

fn exception_new(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let class = args[0];
    let instance = new_instance(vm, class)?;
    if let Some(data) = exc_data(instance) {
        let tuple = vm.new_tuple(args[1..].to_vec());
        data.args.set(tuple);
    }
    Ok(instance)
}

fn exception_init(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    if let Some(data) = exc_data(args[0]) {
        let tuple = vm.new_tuple(args[1..].to_vec());
        data.args.set(tuple);
        crate::heap::share::reshare(args[0]);
    }
    Ok(Value::NONE)
}

fn exception_str_method(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let exception_args = exc_data(args[0])
        .map(|data| data.args.get())
        .unwrap_or(Value::NULL);
    let text = ops::exception_str(vm, args[0], exception_args)?;
    Ok(vm.new_str(text))
}

fn exception_add_note(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    arity(vm, "add_note", args, 2, 2)?;
    if str_of(args[1]).is_none() {
        let type_name = vm.type_name(args[1]);
        return vm.err_type(format!("note must be a str, not '{type_name}'"));
    }
    if let Some(data) = exc_data(args[0]) {
        if data.notes.get().is_null() {
            let list = vm.new_list(vec![]);
            data.notes.set(list);
            crate::heap::share::reshare(args[0]);
        }
        if let Some(notes) = ops::list_of(data.notes.get()) {
            notes.push(args[1]);
        }
    }
    Ok(Value::NONE)
}

fn iterator_next(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    match ops::next(vm, args[0])? {
        Some(value) => Ok(value),
        None => Err(vm.stop_iteration(Value::NONE)),
    }
}

/// `__length_hint__` of the iterators that know what they have left.
fn iterator_length_hint(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let Some(ObjKind::Iter(state)) = kind_of(args[0]) else {
        return Ok(Value::small_int_unchecked(0));
    };
    let sequence_len = |sequence: Value| match kind_of(sequence) {
        Some(ObjKind::List(items)) => items.borrow().len(),
        Some(ObjKind::Tuple(items)) => items.len(),
        Some(ObjKind::Str(text)) => text.char_count(),
        Some(ObjKind::Bytes(bytes)) => bytes.len(),
        Some(ObjKind::ByteArray(bytes)) => bytes.borrow().len(),
        _ => 0,
    };
    let remaining = state
        .read(|state| state.remaining(sequence_len))
        .unwrap_or(0);
    Ok(vm.new_int(remaining.min(i64::MAX as usize) as i64))
}

// ---- iterator and helper types -----------------------------------------------------------------

fn range_new(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    no_kwargs(vm, "range", kwargs)?;
    let args = &args[1..];
    if args.is_empty() {
        return vm.err_type("range expected at least 1 argument, got 0");
    }
    if args.len() > 3 {
        return vm.err_type(format!(
            "range expected at most 3 arguments, got {}",
            args.len()
        ));
    }
    let mut numbers = Vec::with_capacity(3);
    for value in args {
        if value.is_float()
            || str_of(*value).is_some()
            || (!value.is_small_int()
                && !value.is_bool()
                && !matches!(kind_of(*value), Some(ObjKind::Int(_)))
                && ops::lookup_class_attr(vm.type_of(*value), "__index__").is_none())
        {
            let type_name = vm.type_name(*value);
            return vm.err_type(format!(
                "'{type_name}' object cannot be interpreted as an integer"
            ));
        }
        numbers.push(args::to_bigint(vm, *value)?);
    }
    let one = || num_bigint::BigInt::from(1);
    let (start, stop, step) = match numbers.as_slice() {
        [stop] => (num_bigint::BigInt::from(0), stop.clone(), one()),
        [start, stop] => (start.clone(), stop.clone(), one()),
        [start, stop, step] => (start.clone(), stop.clone(), step.clone()),
        _ => unreachable!("range arity checked above"),
    };
    if step == num_bigint::BigInt::from(0) {
        return vm.err_value("range() arg 3 must not be zero");
    }
    Ok(crate::builtins::ranges::make_range(vm, start, stop, step))
}

fn range_eq(_vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    match crate::builtins::ranges::range_equal(args[0], args[1]) {
        Some(equal) => Ok(Value::bool(equal)),
        None => Ok(Value::NOT_IMPLEMENTED),
    }
}

fn range_index(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    arity(vm, "index", &args[1..], 1, 1)?;
    crate::builtins::ranges::range_index(vm, args[0], args[1])
}

fn range_count(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    arity(vm, "count", &args[1..], 1, 1)?;
    crate::builtins::ranges::range_count(vm, args[0], args[1])
}

/// `slice op slice`: the (start, stop, step) tuples compared.
fn slice_compare(vm: &mut Vm, args: &[Value], op: CompareOp) -> PyResult<Value> {
    let parts = |value: Value| match kind_of(value) {
        Some(ObjKind::Slice { start, stop, step }) => Some(vec![*start, *stop, *step]),
        _ => None,
    };
    let (Some(this), Some(other)) = (
        args.first().copied().and_then(parts),
        args.get(1).copied().and_then(parts),
    ) else {
        return Ok(Value::NOT_IMPLEMENTED);
    };
    let (this, other) = (vm.new_tuple(this), vm.new_tuple(other));
    ops::compare(vm, this, other, op)
}

fn slice_new(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let args = &args[1..];
    let (start, stop, step) = match args {
        [stop] => (Value::NONE, *stop, Value::NONE),
        [start, stop] => (*start, *stop, Value::NONE),
        [start, stop, step] => (*start, *stop, *step),
        _ => {
            return vm.err_type(format!(
                "slice expected at least 1 argument, got {}",
                args.len()
            ))
        }
    };
    let class = vm.types.slice;
    Ok(vm.alloc(class, ObjKind::Slice { start, stop, step }))
}

/// `slice.indices(length)`: (start, stop, step) clamped to a sequence of
/// that length.
fn slice_indices(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    arity(vm, "indices", &args[1..], 1, 1)?;
    let length = ops::index_value(vm, args[1])?;
    let length = args::to_i64(vm, length)?;
    if length < 0 {
        return vm.err_value("length should not be negative");
    }
    let (start, stop, step, _) = ops::slice_indices(vm, args[0], length as usize)?;
    let items = vec![vm.new_int(start), vm.new_int(stop), vm.new_int(step)];
    Ok(vm.new_tuple(items))
}

fn iterator_of(vm: &mut Vm, class: Value, state: IterState) -> Value {
    vm.alloc(class, ObjKind::Iter(PyCell::new(state)))
}

fn enumerate_new(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let bound = bind(
        vm,
        "enumerate",
        &args[1..],
        kwargs,
        &["iterable", "start"],
        1,
    )?;
    let iterator = ops::iter(vm, bound[0])?;
    let count = if bound[1].is_null() {
        Value::small_int_unchecked(0)
    } else {
        ops::index_value(vm, bound[1])?
    };
    let class = args[0];
    Ok(iterator_of(
        vm,
        class,
        IterState::enumerate(iterator, count),
    ))
}

fn zip_new(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let strict = match kwarg(kwargs, "strict") {
        Some(value) => ops::truthy(vm, value)?,
        None => false,
    };
    let mut iterators = Vec::with_capacity(args.len() - 1);
    for (index, iterable) in args[1..].iter().enumerate() {
        match ops::iter(vm, *iterable) {
            Ok(iterator) => iterators.push(iterator),
            Err(error) => {
                if vm.is_instance(error, vm.types.exc.type_error) {
                    let type_name = vm.type_name(*iterable);
                    return vm
                        .err_type(format!(
                            "zip argument #{} must support iteration",
                            index + 1
                        ))
                        .or_else(|_: Value| {
                            vm.err_type(format!("'{type_name}' object is not iterable"))
                        });
                }
                return Err(error);
            }
        }
    }
    let class = args[0];
    Ok(iterator_of(vm, class, IterState::zip(iterators, strict)))
}

fn map_new(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    if args.len() < 3 {
        return vm.err_type("map() must have at least two arguments.");
    }
    let mut iterators = Vec::with_capacity(args.len() - 2);
    for iterable in &args[2..] {
        iterators.push(ops::iter(vm, *iterable)?);
    }
    let class = args[0];
    Ok(iterator_of(vm, class, IterState::map(args[1], iterators)))
}

fn filter_new(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    if args.len() != 3 {
        return vm.err_type(format!(
            "filter expected 2 arguments, got {}",
            args.len() - 1
        ));
    }
    let iterator = ops::iter(vm, args[2])?;
    let class = args[0];
    Ok(iterator_of(
        vm,
        class,
        IterState::Filter {
            function: args[1],
            iterator,
        },
    ))
}

fn reversed_new(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    if args.len() != 2 {
        return vm.err_type(format!(
            "reversed expected 1 argument, got {}",
            args.len() - 1
        ));
    }
    let sequence = args[1];
    let class = vm.type_of(sequence);
    if !vm.is_builtin_class(class) {
        if let Some(result) = ops::call_special(vm, sequence, "__reversed__", &[])? {
            return Ok(result);
        }
    }
    if let Some(ObjKind::Range { start, stop, step }) = kind_of(sequence) {
        // A range walks backwards as another range_iterator.
        let (start, step) = (*start, *step);
        let length = ops::range_len(start, *stop, step) as i64;
        let last = (length - 1)
            .checked_mul(step)
            .and_then(|offset| start.checked_add(offset));
        if let (Some(last), Some(end), Some(back)) =
            (last, start.checked_sub(step), step.checked_neg())
        {
            let iterator_class = vm.types.range_iterator;
            let state = if length == 0 {
                IterState::Exhausted
            } else {
                IterState::range(last, end, back)
            };
            return Ok(iterator_of(vm, iterator_class, state));
        }
    }
    if let Some(ObjKind::DictView { .. }) = kind_of(sequence) {
        return ops::call_method(vm, sequence, "__reversed__", &[]);
    }
    if let Some(ObjKind::Dict(_)) = kind_of(sequence) {
        let keys = ops::dict_of(sequence)
            .map(|t| t.borrow().keys())
            .unwrap_or_default();
        let list = vm.new_list(keys.into_iter().rev().collect());
        return ops::iter(vm, list);
    }
    if matches!(kind_of(sequence), Some(ObjKind::Set(_)))
        || (ops::lookup_class_attr(class, "__getitem__").is_none()
            && !matches!(
                kind_of(sequence),
                Some(ObjKind::Range { .. } | ObjKind::Str(_))
            ))
    {
        let type_name = class_name(class);
        return vm.err_type(format!("'{type_name}' object is not reversible"));
    }
    let length = ops::len(vm, sequence)?;
    let iterator_class = if vm.type_of(sequence) == vm.types.list {
        vm.types.list_reverseiterator
    } else {
        args[0]
    };
    Ok(iterator_of(
        vm,
        iterator_class,
        IterState::reversed(sequence, length),
    ))
}

// ---- descriptors ---------------------------------------------------------------------------------

fn property_new(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let bound = bind(
        vm,
        "property",
        &args[1..],
        kwargs,
        &["fget", "fset", "fdel", "doc"],
        0,
    )?;
    let class = args[0];
    let value = vm.alloc(
        class,
        ObjKind::Property {
            getter: or_null(bound[0]),
            setter: or_null(bound[1]),
            deleter: or_null(bound[2]),
            doc: or_null(bound[3]),
        },
    );
    if !vm.is_builtin_class(class) {
        let dict = vm.new_dict();
        value.as_obj().expect("property").set_dict(dict);
    }
    Ok(value)
}

fn or_null(value: Value) -> Value {
    if value.is_none() {
        Value::NULL
    } else {
        value
    }
}

fn property_parts(value: Value) -> (Value, Value, Value, Value) {
    match kind_of(value) {
        Some(ObjKind::Property {
            getter,
            setter,
            deleter,
            doc,
        }) => (*getter, *setter, *deleter, *doc),
        _ => (Value::NULL, Value::NULL, Value::NULL, Value::NULL),
    }
}

fn property_copy(
    vm: &mut Vm,
    original: Value,
    getter: Value,
    setter: Value,
    deleter: Value,
    doc: Value,
) -> Value {
    let class = vm.type_of(original);
    vm.alloc(
        class,
        ObjKind::Property {
            getter,
            setter,
            deleter,
            doc,
        },
    )
}

fn property_getter(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let (_, setter, deleter, doc) = property_parts(args[0]);
    Ok(property_copy(vm, args[0], args[1], setter, deleter, doc))
}

fn property_setter(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let (getter, _, deleter, doc) = property_parts(args[0]);
    Ok(property_copy(vm, args[0], getter, args[1], deleter, doc))
}

fn property_deleter(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let (getter, setter, _, doc) = property_parts(args[0]);
    Ok(property_copy(vm, args[0], getter, setter, args[1], doc))
}

fn property_get(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let instance = args.get(1).copied().unwrap_or(Value::NONE);
    if instance.is_none() {
        return Ok(args[0]);
    }
    let owner = vm.type_of(instance);
    ops::bind_descriptor(vm, args[0], instance, owner)
}

fn property_set(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let (_, setter, _, _) = property_parts(args[0]);
    if setter.is_null() {
        return Err(vm.attribute_error("can't set attribute"));
    }
    ops::call(vm, setter, &[args[1], args[2]], &[])?;
    Ok(Value::NONE)
}

fn staticmethod_new(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    arity(vm, "staticmethod", &args[1..], 1, 1)?;
    let class = args[0];
    Ok(vm.alloc(class, ObjKind::StaticMethod(args[1])))
}

fn classmethod_new(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    arity(vm, "classmethod", &args[1..], 1, 1)?;
    let class = args[0];
    Ok(vm.alloc(class, ObjKind::ClassMethod(args[1])))
}

fn function_get(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let instance = args.get(1).copied().unwrap_or(Value::NONE);
    if instance.is_none() {
        return Ok(args[0]);
    }
    let class = vm.types.method;
    Ok(vm.alloc(
        class,
        ObjKind::BoundMethod {
            function: args[0],
            receiver: instance,
        },
    ))
}

fn super_new(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let args = &args[1..];
    if args.len() != 2 {
        return Err(vm.runtime_error("super(): no arguments"));
    }
    let (this_class, instance) = (args[0], args[1]);
    if type_obj(this_class).is_none() {
        let type_name = vm.type_name(this_class);
        return vm.err_type(format!(
            "super() argument 1 must be a type, not {type_name}"
        ));
    }
    // A class argument that subclasses `this_class` selects class mode;
    // otherwise the argument must be an instance (a class can be an
    // instance of a metaclass).
    let valid = (type_obj(instance).is_some() && vm.is_subclass(instance, this_class))
        || vm.is_instance(instance, this_class);
    if !valid {
        return vm.err_type("super(type, obj): obj must be an instance or subtype of type");
    }
    let class = vm.types.super_;
    Ok(vm.alloc(
        class,
        ObjKind::Super {
            this_class,
            instance,
        },
    ))
}

fn super_getattribute(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    match super_lookup(vm, args[0], args[1])? {
        Some(value) => Ok(value),
        None => {
            let name_text = vm.str_text(args[1]);
            Err(vm.attribute_error(format!("'super' object has no attribute '{name_text}'")))
        }
    }
}

/// Attribute lookup through a `super` object: the MRO after its class.
pub fn super_lookup(vm: &mut Vm, sup: Value, name: Value) -> PyResult<Option<Value>> {
    let Some(ObjKind::Super {
        this_class,
        instance,
    }) = kind_of(sup)
    else {
        return vm.err_type("super expected");
    };
    let name_text = vm.str_text(name);
    let start_class = if type_obj(*instance).is_some() && vm.is_subclass(*instance, *this_class) {
        *instance
    } else {
        vm.type_of(*instance)
    };
    let mro = type_obj(start_class)
        .map(|c| c.mro.borrow().clone())
        .unwrap_or_default();
    let position = mro
        .iter()
        .position(|class| class == this_class)
        .map(|p| p + 1)
        .unwrap_or(mro.len());
    for class in &mro[position..] {
        let dict = class.as_obj().map(|o| o.dict()).unwrap_or(Value::NULL);
        if let Some(value) = ops::dict_get_str(dict, &name_text) {
            let bind_instance = if type_obj(*instance).is_some() && start_class == *instance {
                Value::NULL
            } else {
                *instance
            };
            return ops::bind_descriptor(vm, value, bind_instance, start_class).map(Some);
        }
    }
    if name_text == "__class__" {
        return Ok(Some(vm.types.super_));
    }
    Ok(None)
}

#[allow(dead_code)]
fn dict_iter_kind(kind: DictIterKind) -> DictIterKind {
    kind
}

#[allow(dead_code)]
fn unused(value: Value) -> Option<Value> {
    given(value)
}
