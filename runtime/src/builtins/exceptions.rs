//! Exception behaviour beyond `args`: traceback objects, the members of
//! `OSError` (errno to subclass mapping, `[Errno n] ...` text),
//! `AttributeError`/`NameError`/`ImportError` names, the aliases
//! `EnvironmentError`/`IOError`, `BaseExceptionGroup`/`ExceptionGroup`
//! (construction, `split`, `subgroup`, `derive`) and the two steps of
//! `except*`: matching a group against a clause, and combining what the
//! clauses raised with what they left unhandled.

use crate::builtins::{add_method, add_staticmethod, args, set_builtin};
use crate::engine::call::new_instance;
use crate::engine::ops::{self, kind_of};
use crate::engine::{class_name, exc_data, str_of, tuple_items, type_obj, Vm};
use crate::heap::alloc_immortal;
use crate::objects::ObjKind;
use crate::value::Value;
use crate::PyResult;

type Kwargs<'a> = &'a [(Value, Value)];

pub fn register(vm: &mut Vm) {
    let exc = &vm.types.exc;
    let (os_error, attribute_error, name_error, import_error) = (
        exc.os_error,
        exc.attribute_error,
        exc.name_error,
        exc.import_error,
    );
    let (base_group, group, exception) =
        (exc.base_exception_group, exc.exception_group, exc.exception);
    set_builtin(vm, "EnvironmentError", os_error);
    set_builtin(vm, "IOError", os_error);
    set_builtin(vm, "__debug__", Value::TRUE);

    for (class, names) in [
        (
            os_error,
            &["errno", "strerror", "filename", "filename2"][..],
        ),
        (attribute_error, &["name", "obj"][..]),
        (name_error, &["name"][..]),
        (import_error, &["name", "path"][..]),
    ] {
        for name in names {
            add_member(vm, class, name);
        }
    }
    add_staticmethod(vm, os_error, "__new__", os_error_new);
    add_method(vm, os_error, "__init__", os_error_init);
    add_method(vm, os_error, "__str__", os_error_str);
    add_method(vm, attribute_error, "__init__", attribute_error_init);
    add_method(vm, name_error, "__init__", name_error_init);
    add_method(vm, import_error, "__init__", import_error_init);

    // ExceptionGroup derives from both BaseExceptionGroup and Exception.
    if let Some(payload) = type_obj(group) {
        *payload.bases.borrow_mut() = vec![base_group, exception];
        let mut mro = vec![group, base_group, exception];
        if let Some(base_payload) = type_obj(vm.types.exc.base_exception) {
            mro.extend(base_payload.mro.borrow().iter().copied());
        }
        *payload.mro.borrow_mut() = mro;
    }
    add_staticmethod(vm, base_group, "__new__", group_new);
    add_method(vm, base_group, "__init__", |_, _, _| Ok(Value::NONE));
    add_method(vm, base_group, "__str__", group_str);
    add_method(vm, base_group, "derive", group_derive);
    add_method(vm, base_group, "split", group_split);
    add_method(vm, base_group, "subgroup", group_subgroup);
    for (name, getter) in [
        ("message", group_message as crate::objects::NativeFn),
        ("exceptions", group_exceptions),
    ] {
        let getter = crate::builtins::native_function(vm, name, getter, base_group);
        let property = alloc_immortal(
            vm.types.property,
            ObjKind::Property {
                getter,
                setter: Value::NULL,
                deleter: Value::NULL,
                doc: Value::NULL,
            },
        );
        crate::builtins::set_class_attr(vm, base_group, name, property);
    }
}

/// A member of a built-in exception class: stored in the instance's
/// header dict, None until set.
fn add_member(vm: &mut Vm, class: Value, name: &str) {
    let key = vm.intern(name);
    let member = alloc_immortal(
        vm.types.member_descriptor,
        ObjKind::MemberDescriptor {
            name: key,
            owner: class,
        },
    );
    crate::builtins::set_class_attr(vm, class, name, member);
}

/// Sets a member of a built-in exception (`AttributeError.name`...).
pub fn set_member(vm: &mut Vm, exception: Value, name: &str, value: Value) {
    let Some(obj) = exception.as_obj() else {
        return;
    };
    if obj.dict().is_null() {
        let dict = vm.new_dict();
        obj.set_dict(dict);
    }
    let key = vm.intern(name);
    ops::dict_set_str(vm, obj.dict(), key, value);
}

fn member(exception: Value, name: &str) -> Value {
    let dict = exception.as_obj().map_or(Value::NULL, |obj| obj.dict());
    ops::dict_get_str(dict, name).unwrap_or(Value::NONE)
}

fn set_args(vm: &mut Vm, exception: Value, items: Vec<Value>) {
    let tuple = vm.new_tuple(items);
    if let Some(data) = exc_data(exception) {
        data.args.set(tuple);
    }
    crate::heap::share::reshare(exception);
}

// ---- traceback objects ------------------------------------------------------------------------

/// `exception.__traceback__`: a chain of traceback objects, outermost
/// frame first (None before the exception was raised). Entries only ever
/// grow outward (a re-raise adds the frames it leaves), so the chain
/// built last time stays the inner part of the next one: only the newer
/// entries get objects, in front of it. (Building it whole each time made
/// every raise of one exception through a `with` block, which passes the
/// traceback to `__exit__`, cost the length of its traceback.)
pub fn traceback_object(vm: &mut Vm, exception: Value) -> Value {
    let Some(data) = exc_data(exception) else {
        return Value::NONE;
    };
    let (built, mut next) = match crate::engine::tuple_items(data.built_traceback.load_published())
    {
        Some(&[count, head]) => (count.small_int_value() as usize, head),
        _ => (0, Value::NONE),
    };
    if built == data.traceback_len() {
        return next;
    }
    let newer = data.traceback_after(built);
    let count = built + newer.len();
    // Entries are recorded innermost first.
    for entry in &newer {
        let line = Value::small_int_unchecked(entry.line as i64);
        let code = vm.code_value(entry.code);
        let frame_class = vm.types.frame;
        let frame = vm.alloc(frame_class, ObjKind::Object);
        let frame_dict = vm.new_dict();
        frame.as_obj().expect("frame").set_dict(frame_dict);
        for (name, value) in [
            ("f_code", code),
            ("f_lineno", line),
            ("f_back", Value::NONE),
        ] {
            let key = vm.intern(name);
            ops::dict_set_str(vm, frame_dict, key, value);
        }
        let class = vm.types.traceback;
        let traceback = vm.alloc(class, ObjKind::Object);
        let dict = vm.new_dict();
        traceback.as_obj().expect("traceback").set_dict(dict);
        for (name, value) in [
            ("tb_next", next),
            ("tb_lineno", line),
            ("tb_frame", frame),
            ("tb_lasti", Value::small_int_unchecked(-1)),
        ] {
            let key = vm.intern(name);
            ops::dict_set_str(vm, dict, key, value);
        }
        next = traceback;
    }
    let count = Value::small_int_unchecked(count as i64);
    let built = vm.new_tuple(vec![count, next]);
    // Other threads may read a shared exception's field at once.
    if exception.as_obj().is_some_and(|obj| obj.is_shared()) {
        crate::heap::share::share(built);
    }
    data.built_traceback.publish(built);
    next
}

// ---- OSError and friends ----------------------------------------------------------------------

/// The OSError subclass CPython picks for an errno.
fn os_error_subclass(vm: &Vm, errno: i64) -> Option<Value> {
    let exc = &vm.types.exc;
    Some(match errno {
        1 | 13 => exc.permission_error,
        2 => exc.file_not_found_error,
        3 => exc.process_lookup_error,
        4 => exc.interrupted_error,
        10 => exc.child_process_error,
        11 | 114 | 115 => exc.blocking_io_error,
        17 => exc.file_exists_error,
        20 => exc.not_a_directory_error,
        21 => exc.is_a_directory_error,
        32 | 108 => exc.broken_pipe_error,
        103 => exc.connection_aborted_error,
        104 => exc.connection_reset_error,
        110 => exc.timeout_error,
        111 => exc.connection_refused_error,
        _ => return None,
    })
}

/// Stores errno/strerror/filename from OSError's arguments; with a
/// filename, `args` keeps only (errno, strerror).
fn os_error_parse(vm: &mut Vm, exception: Value, arguments: &[Value]) {
    if (2..=5).contains(&arguments.len()) {
        set_member(vm, exception, "errno", arguments[0]);
        set_member(vm, exception, "strerror", arguments[1]);
        if arguments.len() >= 3 {
            set_member(vm, exception, "filename", arguments[2]);
            if arguments.len() == 5 {
                set_member(vm, exception, "filename2", arguments[4]);
            }
            set_args(vm, exception, arguments[..2].to_vec());
            return;
        }
    }
    set_args(vm, exception, arguments.to_vec());
}

fn os_error_new(vm: &mut Vm, arguments: &[Value], _: Kwargs) -> PyResult<Value> {
    let mut class = arguments[0];
    let rest = &arguments[1..];
    if class == vm.types.exc.os_error && (2..=5).contains(&rest.len()) {
        if let Some(errno) = rest[0].as_small_int() {
            if let Some(subclass) = os_error_subclass(vm, errno) {
                class = subclass;
            }
        }
    }
    let instance = new_instance(vm, class)?;
    os_error_parse(vm, instance, rest);
    Ok(instance)
}

fn os_error_init(vm: &mut Vm, arguments: &[Value], _: Kwargs) -> PyResult<Value> {
    os_error_parse(vm, arguments[0], &arguments[1..]);
    Ok(Value::NONE)
}

fn os_error_str(vm: &mut Vm, arguments: &[Value], _: Kwargs) -> PyResult<Value> {
    let exception = arguments[0];
    let (errno, strerror) = (member(exception, "errno"), member(exception, "strerror"));
    let (filename, filename2) = (
        member(exception, "filename"),
        member(exception, "filename2"),
    );
    let text = if !filename.is_none() {
        let head = format!(
            "[Errno {}] {}: {}",
            ops::str_string(vm, errno)?,
            ops::str_string(vm, strerror)?,
            ops::repr_string(vm, filename)?
        );
        if filename2.is_none() {
            head
        } else {
            format!("{head} -> {}", ops::repr_string(vm, filename2)?)
        }
    } else if !errno.is_none() && !strerror.is_none() {
        format!(
            "[Errno {}] {}",
            ops::str_string(vm, errno)?,
            ops::str_string(vm, strerror)?
        )
    } else {
        let exception_args = exc_data(exception).map_or(Value::NULL, |data| data.args.get());
        ops::exception_str(vm, exception, exception_args)?
    };
    Ok(vm.new_str(text))
}

/// `__init__` of exceptions that take keyword-only members: the
/// positional arguments become `args`.
fn init_with_members(
    vm: &mut Vm,
    arguments: &[Value],
    kwargs: Kwargs,
    class_text: &str,
    members: &[&str],
) -> PyResult<Value> {
    let exception = arguments[0];
    for (key, value) in kwargs {
        let key_text = str_of(*key).unwrap_or("");
        if !members.contains(&key_text) {
            return vm.err_type(format!(
                "{class_text}() got an unexpected keyword argument '{key_text}'"
            ));
        }
        set_member(vm, exception, key_text, *value);
    }
    set_args(vm, exception, arguments[1..].to_vec());
    Ok(Value::NONE)
}

fn attribute_error_init(vm: &mut Vm, arguments: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    init_with_members(vm, arguments, kwargs, "AttributeError", &["name", "obj"])
}

fn name_error_init(vm: &mut Vm, arguments: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    init_with_members(vm, arguments, kwargs, "NameError", &["name"])
}

fn import_error_init(vm: &mut Vm, arguments: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    init_with_members(vm, arguments, kwargs, "ImportError", &["name", "path"])
}

// ---- exception groups -------------------------------------------------------------------------

fn is_group(vm: &Vm, value: Value) -> bool {
    vm.is_instance(value, vm.types.exc.base_exception_group)
}

/// The sub-exceptions of a group (its second argument), as given.
pub fn group_members(value: Value) -> Vec<Value> {
    let Some(arguments) = exc_data(value).and_then(|data| tuple_items(data.args.get())) else {
        return Vec::new();
    };
    match arguments.get(1).copied() {
        Some(sequence) => match kind_of(sequence) {
            Some(ObjKind::Tuple(items)) => items.to_vec(),
            Some(ObjKind::List(items)) => items.borrow().to_vec(),
            _ => Vec::new(),
        },
        None => Vec::new(),
    }
}

fn group_new(vm: &mut Vm, arguments: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let mut class = arguments[0];
    let class_text = class_name(class);
    args::no_kwargs(vm, &class_text, kwargs)?;
    if arguments.len() != 3 {
        return vm.err_type(format!(
            "BaseExceptionGroup.__new__() takes exactly 2 arguments ({} given)",
            arguments.len() - 1
        ));
    }
    let (message, sequence) = (arguments[1], arguments[2]);
    if str_of(message).is_none() {
        let type_name = vm.type_name(message);
        return vm.err_type(format!("argument 1 must be str, not {type_name}"));
    }
    let items = match kind_of(sequence) {
        Some(ObjKind::Tuple(items)) => items.to_vec(),
        Some(ObjKind::List(items)) => items.borrow().to_vec(),
        _ if ops::lookup_class_attr(vm.type_of(sequence), "__getitem__").is_some()
            && ops::lookup_class_attr(vm.type_of(sequence), "__len__").is_some() =>
        {
            ops::collect(vm, sequence)?
        }
        _ => return vm.err_type("second argument (exceptions) must be a sequence"),
    };
    if items.is_empty() {
        return vm.err_value("second argument (exceptions) must be a non-empty sequence");
    }
    let base = vm.types.exc.base_exception;
    let exception = vm.types.exc.exception;
    let mut all_exceptions = true;
    for (index, item) in items.iter().enumerate() {
        if !vm.is_instance(*item, base) {
            return vm.err_value(format!(
                "Item {index} of second argument (exceptions) is not an exception"
            ));
        }
        all_exceptions &= vm.is_instance(*item, exception);
    }
    if class == vm.types.exc.base_exception_group {
        if all_exceptions {
            class = vm.types.exc.exception_group;
        }
    } else if class == vm.types.exc.exception_group {
        if !all_exceptions {
            return vm.err_type("Cannot nest BaseExceptions in an ExceptionGroup");
        }
    } else if !all_exceptions && vm.is_subclass(class, exception) {
        return vm.err_type(format!("Cannot nest BaseExceptions in '{class_text}'"));
    }
    let instance = new_instance(vm, class)?;
    set_args(vm, instance, vec![message, sequence]);
    Ok(instance)
}

fn group_message(_: &mut Vm, arguments: &[Value], _: Kwargs) -> PyResult<Value> {
    Ok(exc_data(arguments[0])
        .and_then(|data| tuple_items(data.args.get()))
        .and_then(|items| items.first().copied())
        .unwrap_or(Value::NONE))
}

fn group_exceptions(vm: &mut Vm, arguments: &[Value], _: Kwargs) -> PyResult<Value> {
    let items = group_members(arguments[0]);
    Ok(vm.new_tuple(items))
}

fn group_str(vm: &mut Vm, arguments: &[Value], _: Kwargs) -> PyResult<Value> {
    let message = group_message(vm, arguments, &[])?;
    let message = ops::str_string(vm, message)?;
    let count = group_members(arguments[0]).len();
    let text = format!(
        "{message} ({count} sub-exception{})",
        if count == 1 { "" } else { "s" }
    );
    Ok(vm.new_str(text))
}

fn group_derive(vm: &mut Vm, arguments: &[Value], _: Kwargs) -> PyResult<Value> {
    args::arity(vm, "derive", &arguments[1..], 1, 1)?;
    let message = group_message(vm, arguments, &[])?;
    let class = vm.types.exc.base_exception_group;
    ops::call(vm, class, &[message, arguments[1]], &[])
}

/// What `split`/`subgroup` test each exception against.
enum Condition {
    /// A class or tuple of classes.
    Classes(Value),
    Predicate(Value),
    /// Exactly these leaf exceptions (by identity).
    Leaves(Vec<Value>),
}

fn condition_of(vm: &mut Vm, value: Value) -> PyResult<Condition> {
    let is_exception_class = |vm: &Vm, item: Value| {
        type_obj(item).is_some() && vm.is_subclass(item, vm.types.exc.base_exception)
    };
    if is_exception_class(vm, value) {
        return Ok(Condition::Classes(value));
    }
    if let Some(items) = tuple_items(value) {
        if items.iter().all(|item| is_exception_class(vm, *item)) {
            return Ok(Condition::Classes(value));
        }
    } else if ops::lookup_class_attr(vm.type_of(value), "__call__").is_some()
        || matches!(
            kind_of(value),
            Some(ObjKind::Function(_) | ObjKind::NativeFunction(_) | ObjKind::BoundMethod { .. })
        )
    {
        return Ok(Condition::Predicate(value));
    }
    vm.err_type("expected an exception type, a tuple of exception types, or a callable (other than a class)")
}

fn condition_holds(vm: &mut Vm, condition: &Condition, exception: Value) -> PyResult<bool> {
    match condition {
        Condition::Classes(classes) => {
            crate::engine::unwind::exception_matches(vm, exception, *classes)
        }
        Condition::Predicate(predicate) => {
            let result = ops::call(vm, *predicate, &[exception], &[])?;
            ops::truthy(vm, result)
        }
        Condition::Leaves(leaves) => Ok(leaves.contains(&exception)),
    }
}

/// Copies traceback, cause, context and notes onto a derived group.
fn copy_metadata(vm: &mut Vm, from: Value, to: Value) {
    let (Some(source), Some(target)) = (exc_data(from), exc_data(to)) else {
        return;
    };
    // `target` is a group just derived from `source`: local, no entries.
    *target.local_traceback.borrow_mut() = source.traceback();
    target.cause.set(source.cause.get());
    target.context.set(source.context.get());
    target.suppress_context.set(source.suppress_context.get());
    if let Some(notes) = ops::list_of(source.notes.get()) {
        let copied = notes.borrow().to_vec();
        let list = vm.new_list(copied);
        target.notes.set(list);
    }
    crate::heap::share::reshare(to);
}

/// Splits `exception` by `condition`: (matching part, rest), either
/// `None` when empty; groups are rebuilt with `derive`.
fn split_recursive(
    vm: &mut Vm,
    exception: Value,
    condition: &Condition,
    want_rest: bool,
) -> PyResult<(Option<Value>, Option<Value>)> {
    if condition_holds(vm, condition, exception)? {
        return Ok((Some(exception), None));
    }
    if !is_group(vm, exception) {
        return Ok((None, Some(exception)));
    }
    let mut matched = Vec::new();
    let mut rest = Vec::new();
    for member in group_members(exception) {
        let (member_match, member_rest) = split_recursive(vm, member, condition, want_rest)?;
        matched.extend(member_match);
        rest.extend(member_rest);
    }
    let rebuild = |vm: &mut Vm, parts: Vec<Value>| -> PyResult<Option<Value>> {
        if parts.is_empty() {
            return Ok(None);
        }
        let list = vm.new_list(parts);
        let derived = ops::call_method(vm, exception, "derive", &[list])?;
        if !is_group(vm, derived) {
            return vm.err_type("derive must return an instance of BaseExceptionGroup");
        }
        copy_metadata(vm, exception, derived);
        Ok(Some(derived))
    };
    let matched = rebuild(vm, matched)?;
    let rest = if want_rest { rebuild(vm, rest)? } else { None };
    Ok((matched, rest))
}

fn or_none(value: Option<Value>) -> Value {
    value.unwrap_or(Value::NONE)
}

fn group_split(vm: &mut Vm, arguments: &[Value], _: Kwargs) -> PyResult<Value> {
    args::arity(vm, "split", &arguments[1..], 1, 1)?;
    let condition = condition_of(vm, arguments[1])?;
    let (matched, rest) = split_recursive(vm, arguments[0], &condition, true)?;
    Ok(vm.new_tuple(vec![or_none(matched), or_none(rest)]))
}

fn group_subgroup(vm: &mut Vm, arguments: &[Value], _: Kwargs) -> PyResult<Value> {
    args::arity(vm, "subgroup", &arguments[1..], 1, 1)?;
    let condition = condition_of(vm, arguments[1])?;
    let (matched, _) = split_recursive(vm, arguments[0], &condition, false)?;
    Ok(or_none(matched))
}

/// The leaf (non-group) exceptions of `exception`.
fn leaves(vm: &Vm, exception: Value, into: &mut Vec<Value>) {
    if is_group(vm, exception) {
        for member in group_members(exception) {
            leaves(vm, member, into);
        }
    } else {
        into.push(exception);
    }
}

// ---- except* ----------------------------------------------------------------------------------

/// `except* classes` against the exception still unhandled: (rest, match),
/// each None when empty. A naked exception that matches is wrapped in an
/// ExceptionGroup. The match becomes the handled exception.
pub fn check_eg_match(vm: &mut Vm, exception: Value, classes: Value) -> PyResult<(Value, Value)> {
    let listed: Vec<Value> = match tuple_items(classes) {
        Some(items) => items.to_vec(),
        None => vec![classes],
    };
    for class in &listed {
        if type_obj(*class).is_none() || !vm.is_subclass(*class, vm.types.exc.base_exception) {
            return vm.err_type(
                "catching classes that do not inherit from BaseException is not allowed",
            );
        }
        if vm.is_subclass(*class, vm.types.exc.base_exception_group) {
            return vm.err_type(
                "catching ExceptionGroup with except* is not allowed. Use except instead.",
            );
        }
    }
    if exception.is_none() {
        return Ok((Value::NONE, Value::NONE));
    }
    let (rest, matched) = if crate::engine::unwind::exception_matches(vm, exception, classes)? {
        if is_group(vm, exception) {
            (Value::NONE, exception)
        } else {
            let empty = vm.intern("");
            let members = vm.new_tuple(vec![exception]);
            let class = vm.types.exc.base_exception_group;
            let wrapped = ops::call(vm, class, &[empty, members], &[])?;
            copy_metadata(vm, exception, wrapped);
            (Value::NONE, wrapped)
        }
    } else if is_group(vm, exception) {
        let pair = ops::call_method(vm, exception, "split", &[classes])?;
        match tuple_items(pair) {
            Some([matched, rest]) => (*rest, *matched),
            _ => return vm.err_type("split must return a 2-tuple"),
        }
    } else {
        (exception, Value::NONE)
    };
    if !matched.is_none() {
        vm.handled_exception = matched;
    }
    Ok((rest, matched))
}

/// After the `except*` clauses: what to raise (None for nothing) given
/// the original exception and the list of exceptions the clauses raised
/// plus the unhandled rest.
pub fn prep_reraise_star(vm: &mut Vm, original: Value, raised: Value) -> PyResult<Value> {
    let items: Vec<Value> = ops::list_of(raised)
        .map(|items| items.borrow().to_vec())
        .unwrap_or_default()
        .into_iter()
        .filter(|item| !item.is_none())
        .collect();
    if items.is_empty() {
        return Ok(Value::NONE);
    }
    if !is_group(vm, original) {
        return Ok(items[0]);
    }
    let mut original_leaves = Vec::new();
    leaves(vm, original, &mut original_leaves);
    let mut kept_leaves = Vec::new();
    let mut new_exceptions = Vec::new();
    for item in items {
        let mut item_leaves = Vec::new();
        leaves(vm, item, &mut item_leaves);
        if item_leaves
            .iter()
            .all(|leaf| original_leaves.contains(leaf))
        {
            kept_leaves.extend(item_leaves);
        } else {
            new_exceptions.push(item);
        }
    }
    let kept = if kept_leaves.is_empty() {
        None
    } else {
        split_recursive(vm, original, &Condition::Leaves(kept_leaves), false)?.0
    };
    if new_exceptions.is_empty() {
        return Ok(or_none(kept));
    }
    new_exceptions.extend(kept);
    if new_exceptions.len() == 1 {
        return Ok(new_exceptions[0]);
    }
    let empty = vm.intern("");
    let list = vm.new_list(new_exceptions);
    let class = vm.types.exc.base_exception_group;
    ops::call(vm, class, &[empty, list], &[])
}
