//! The call protocol: binding arguments to a new heap frame (never
//! recursing on the Rust stack for Python-to-Python calls), calling native
//! functions, instantiating classes, and — for native code that must call
//! back into Python — `call_value`, the one re-entrant entry point, which
//! runs the callee in a nested step loop.

use crate::objects::PyCell;

use crate::builtins::loops;
use crate::bytecode::code::code_flags;
use crate::engine::frame::{Frame, ReturnMode};
use crate::engine::ops::{self, kind_of, lookup_class_attr};
use crate::engine::{str_of, type_obj, Vm};
use crate::objects::{Function, Generator, Layout, ListItems, ObjKind};
use crate::value::Value;
use crate::PyResult;

/// What a call produced: a value at once, or a frame to run.
pub enum CallOutcome {
    Value(Value),
    Frame(Box<Frame>),
}

/// Prepares a call from the engine. `args` holds the positional
/// arguments followed by the values of the keywords named in `kwnames`.
pub fn prepare_call(
    vm: &mut Vm,
    callable: Value,
    args: &[Value],
    kwnames: &[Value],
) -> PyResult<CallOutcome> {
    let Some(obj) = callable.as_obj() else {
        return not_callable(vm, callable);
    };
    match &obj.kind {
        ObjKind::Function(function) => function_call(vm, callable, function, args, kwnames),
        ObjKind::NativeFunction(native) => {
            let (positional, kwargs) = split_keywords(args, kwnames);
            let result = (native.function)(vm, positional, &kwargs)?;
            if result == Value::DEFERRED {
                return make_deferred_call(vm);
            }
            Ok(CallOutcome::Value(result))
        }
        ObjKind::BoundMethod { function, receiver } => {
            let mut full = Vec::with_capacity(args.len() + 1);
            full.push(*receiver);
            full.extend_from_slice(args);
            prepare_call(vm, *function, &full, kwnames)
        }
        ObjKind::Type(_) => {
            if let ([iterable], [], true) = (args, kwnames, loops::may_defer(vm)) {
                if let Some(function) = loops::constructor_loop(vm, callable) {
                    if loops::iteration_runs_python(vm, *iterable) {
                        if let Some(deferred) = loops::defer(vm, function, &[*iterable])? {
                            debug_assert_eq!(deferred, Value::DEFERRED);
                            return make_deferred_call(vm);
                        }
                    }
                }
            }
            let (positional, kwargs) = split_keywords(args, kwnames);
            instantiate(vm, callable, positional, &kwargs)
        }
        ObjKind::StaticMethod(inner) if vm.type_of(callable) == vm.types.staticmethod => {
            prepare_call(vm, *inner, args, kwnames)
        }
        _ => {
            let class = vm.type_of(callable);
            match lookup_class_attr(class, "__call__") {
                Some(method)
                    if !vm.is_builtin_class(class)
                        || !matches!(kind_of(method), Some(ObjKind::NativeFunction(_))) =>
                {
                    let mut full = Vec::with_capacity(args.len() + 1);
                    full.push(callable);
                    full.extend_from_slice(args);
                    prepare_call(vm, method, &full, kwnames)
                }
                _ => not_callable(vm, callable),
            }
        }
    }
}

/// Makes the call a native handed its loop to (`Value::DEFERRED`,
/// `builtins/loops.rs`): a frame of the caller's task.
#[inline(never)]
fn make_deferred_call(vm: &mut Vm) -> PyResult<CallOutcome> {
    let (function, args) = loops::take_deferred_call(vm)?;
    prepare_call(vm, function, &args, &[])
}

fn not_callable<T>(vm: &mut Vm, callable: Value) -> PyResult<T> {
    let type_name = vm.type_name(callable);
    vm.err_type(format!("'{type_name}' object is not callable"))
}

fn split_keywords<'a>(args: &'a [Value], kwnames: &[Value]) -> (&'a [Value], Vec<(Value, Value)>) {
    if kwnames.is_empty() {
        return (args, Vec::new());
    }
    let split = args.len() - kwnames.len();
    let kwargs = kwnames
        .iter()
        .copied()
        .zip(args[split..].iter().copied())
        .collect();
    (&args[..split], kwargs)
}

/// Calls from native code; Python callees run in a nested step loop.
pub fn call_value(
    vm: &mut Vm,
    callable: Value,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    let (all, names): (Vec<Value>, Vec<Value>) = if kwargs.is_empty() {
        (args.to_vec(), Vec::new())
    } else {
        let mut all = args.to_vec();
        all.extend(kwargs.iter().map(|(_, value)| *value));
        (all, kwargs.iter().map(|(name, _)| *name).collect())
    };
    // Natives called from native code cannot park their task (see `sched`).
    vm.native_depth += 1;
    let outcome = prepare_call(vm, callable, &all, &names);
    vm.native_depth -= 1;
    match outcome? {
        CallOutcome::Value(value) => Ok(value),
        CallOutcome::Frame(frame) => crate::engine::step::run_nested(vm, frame),
    }
}

/// A call of a Python function: a new frame, or a generator object.
fn function_call(
    vm: &mut Vm,
    callable: Value,
    function: &Function,
    args: &[Value],
    kwnames: &[Value],
) -> PyResult<CallOutcome> {
    let frame = new_frame(vm, callable, function, args, kwnames)?;
    if function.code.has_flag(code_flags::GENERATOR) {
        let class = vm.types.generator;
        let generator = Generator::new(
            frame,
            function.code,
            function.name.get(),
            function.qualname.get(),
        );
        let value = vm.alloc(class, ObjKind::Generator(PyCell::new(generator)));
        if let Some(ObjKind::Generator(state)) = kind_of(value) {
            if let Some(frame) = state.borrow_mut().suspended() {
                frame.on_return = ReturnMode::Generator { generator: value };
            }
        }
        return Ok(CallOutcome::Value(value));
    }
    Ok(CallOutcome::Frame(frame))
}

/// Builds the frame for a call of `function`, binding the arguments.
pub fn new_frame(
    vm: &mut Vm,
    callable: Value,
    function: &Function,
    args: &[Value],
    kwnames: &[Value],
) -> PyResult<Box<Frame>> {
    let code = function.code;
    let local_count = code.varnames.len();
    // Reuse a recycled frame's buffer: calls are the hottest allocation.
    let mut recycled = vm.frame_pool.pop();
    let mut slots = match recycled.as_mut() {
        Some(frame) => std::mem::take(&mut frame.slots),
        None => Vec::new(),
    };
    slots.clear();
    slots.reserve(code.frame_slots() + code.max_stack as usize);
    let positional_count = args.len() - kwnames.len();
    let simple = kwnames.is_empty()
        && positional_count == code.arg_count as usize
        && code.kwonly_count == 0
        && code.flags & (code_flags::VARARGS | code_flags::VARKEYWORDS) == 0;
    if simple {
        slots.extend_from_slice(args);
        slots.resize(local_count, Value::NULL);
    } else {
        slots.resize(local_count, Value::NULL);
        bind_arguments(vm, function, &mut slots, args, kwnames)?;
    }
    for cell_index in 0..code.cellvars.len() {
        let initial = code
            .cell_parameters
            .iter()
            .find(|(cell, _)| *cell as usize == cell_index)
            .map(|(_, local)| slots[*local as usize])
            .unwrap_or(Value::NULL);
        let class = vm.types.cell;
        let cell = vm.alloc(
            class,
            ObjKind::Cell(crate::value::AtomicValue::new(initial)),
        );
        slots.push(cell);
    }
    slots.extend_from_slice(&function.closure);
    let stack_base = slots.len();
    let builtins = vm.builtins;
    let serial = vm.next_frame_serial();
    let frame = Frame {
        code,
        pc: 0,
        slots,
        stack_base,
        globals: function.globals,
        builtins,
        locals_dict: Value::NULL,
        locals_snapshot: Value::NULL,
        function: callable,
        on_return: ReturnMode::Push,
        serial,
    };
    Ok(match recycled {
        Some(mut boxed) => {
            *boxed = frame;
            boxed
        }
        None => Box::new(frame),
    })
}

fn function_name(vm: &Vm, function: &Function) -> String {
    vm.str_text(function.qualname.get())
}

#[allow(clippy::needless_range_loop)]
fn bind_arguments(
    vm: &mut Vm,
    function: &Function,
    slots: &mut [Value],
    args: &[Value],
    kwnames: &[Value],
) -> PyResult<()> {
    let code = function.code;
    let positional_parameters = code.arg_count as usize;
    let kwonly = code.kwonly_count as usize;
    let has_varargs = code.has_flag(code_flags::VARARGS);
    let has_varkeywords = code.has_flag(code_flags::VARKEYWORDS);
    let positional_count = args.len() - kwnames.len();
    let positional = &args[..positional_count];
    let keyword_values = &args[positional_count..];
    let copied = positional_count.min(positional_parameters);
    slots[..copied].copy_from_slice(&positional[..copied]);
    let mut next_slot = positional_parameters + kwonly;
    if has_varargs {
        let extra = if positional_count > positional_parameters {
            positional[positional_parameters..].to_vec()
        } else {
            Vec::new()
        };
        slots[next_slot] = vm.new_tuple(extra);
        next_slot += 1;
    } else if positional_count > positional_parameters {
        let name = function_name(vm, function);
        let kw_given = kwnames
            .iter()
            .filter(|name| {
                code.varnames[positional_parameters..positional_parameters + kwonly].contains(name)
            })
            .count();
        let defaults = function.defaults().len();
        let takes = if defaults > 0 {
            format!(
                "from {} to {} positional arguments",
                positional_parameters as i64 - defaults as i64,
                positional_parameters
            )
        } else {
            format!(
                "{} positional argument{}",
                positional_parameters,
                if positional_parameters == 1 { "" } else { "s" }
            )
        };
        let given = if kw_given > 0 {
            format!(
                "{} positional argument{} (and {} keyword-only argument{}) were given",
                positional_count,
                if positional_count == 1 { "" } else { "s" },
                kw_given,
                if kw_given == 1 { "" } else { "s" }
            )
        } else {
            format!(
                "{} {} given",
                positional_count,
                if positional_count == 1 { "was" } else { "were" }
            )
        };
        return vm.err_type(format!("{name}() takes {takes} but {given}"));
    }
    let kwargs_dict = if has_varkeywords {
        let dict = vm.new_dict();
        slots[next_slot] = dict;
        Some(dict)
    } else {
        None
    };
    let mut positional_only_as_keyword = Vec::new();
    for (name, value) in kwnames.iter().zip(keyword_values) {
        let position = code.varnames[code.posonly_count as usize..positional_parameters + kwonly]
            .iter()
            .position(|parameter| parameter == name || str_of(*parameter) == str_of(*name))
            .map(|index| index + code.posonly_count as usize);
        match position {
            Some(index) => {
                if !slots[index].is_null() {
                    let function_text = function_name(vm, function);
                    let name_text = vm.str_text(*name);
                    return vm.err_type(format!(
                        "{function_text}() got multiple values for argument '{name_text}'"
                    ));
                }
                slots[index] = *value;
            }
            None => match kwargs_dict {
                Some(dict) => ops::dict_set(vm, dict, *name, *value)?,
                None => {
                    let function_text = function_name(vm, function);
                    let name_text = vm.str_text(*name);
                    if code.varnames[..code.posonly_count as usize]
                        .iter()
                        .any(|parameter| str_of(*parameter) == Some(name_text.as_str()))
                    {
                        positional_only_as_keyword.push(name_text);
                        continue;
                    }
                    return vm.err_type(format!(
                        "{function_text}() got an unexpected keyword argument '{name_text}'"
                    ));
                }
            },
        }
    }
    if !positional_only_as_keyword.is_empty() {
        let function_text = function_name(vm, function);
        return vm.err_type(format!("{function_text}() got some positional-only arguments passed as keyword arguments: '{}'", positional_only_as_keyword.join(", ")));
    }
    // Defaults for missing positional parameters.
    // Defaults belong to the last parameters (extra leading ones, possible
    // after `__defaults__` is assigned, are ignored).
    let mut missing = Vec::new();
    {
        // No Python code (no safepoint) runs while the defaults are used.
        let defaults = function.defaults();
        let first_default = positional_parameters.saturating_sub(defaults.len());
        let skipped_defaults = defaults.len().saturating_sub(positional_parameters);
        for index in 0..positional_parameters {
            if slots[index].is_null() {
                if index >= first_default {
                    slots[index] = defaults[index - first_default + skipped_defaults];
                } else {
                    missing.push(vm.str_text(code.varnames[index]));
                }
            }
        }
    }
    if !missing.is_empty() {
        let function_text = function_name(vm, function);
        return vm.err_type(format!(
            "{function_text}() missing {} required positional argument{}: {}",
            missing.len(),
            if missing.len() == 1 { "" } else { "s" },
            name_list(&missing)
        ));
    }
    for index in positional_parameters..positional_parameters + kwonly {
        if slots[index].is_null() {
            let name = code.varnames[index];
            let default = function
                .kw_defaults()
                .find(|(key, _)| *key == name || str_of(*key) == str_of(name))
                .map(|(_, value)| value);
            match default {
                Some(value) => slots[index] = value,
                None => missing.push(vm.str_text(name)),
            }
        }
    }
    if !missing.is_empty() {
        let function_text = function_name(vm, function);
        return vm.err_type(format!(
            "{function_text}() missing {} required keyword-only argument{}: {}",
            missing.len(),
            if missing.len() == 1 { "" } else { "s" },
            name_list(&missing)
        ));
    }
    Ok(())
}

/// 'a', 'a' and 'b', 'a', 'b', and 'c' — CPython's list of names.
fn name_list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("'{name}'")).collect();
    match quoted.len() {
        1 => quoted[0].clone(),
        2 => format!("{} and {}", quoted[0], quoted[1]),
        _ => format!(
            "{}, and {}",
            quoted[..quoted.len() - 1].join(", "),
            quoted[quoted.len() - 1]
        ),
    }
}

/// Calling a class: `type(x)`, `type(name, bases, ns)`, or `__new__` then
/// `__init__` (a Python `__init__` runs as a frame that returns the
/// instance).
pub fn instantiate(
    vm: &mut Vm,
    class: Value,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<CallOutcome> {
    if class == vm.types.type_ && args.len() == 1 && kwargs.is_empty() {
        return Ok(CallOutcome::Value(vm.type_of(args[0])));
    }
    // Calling a class defined in Python is a C-level call in CPython,
    // which counts one recursion level of its own: at the limit it fails
    // before the frames of `__new__`/`__init__` are pushed.
    if vm.depth >= vm.recursion_limit && !vm.is_builtin_class(class) {
        let class = vm.types.exc.recursion_error;
        return Err(vm.new_error(
            class,
            "maximum recursion depth exceeded while calling a Python object",
        ));
    }
    let metaclass = vm.type_of(class);
    if metaclass != vm.types.type_ {
        if let Some(call_hook) = lookup_class_attr(metaclass, "__call__") {
            if Some(call_hook) != lookup_class_attr(vm.types.type_, "__call__") {
                let bound = ops::bind_descriptor(vm, call_hook, class, metaclass)?;
                return call_value(vm, bound, args, kwargs).map(CallOutcome::Value);
            }
        }
    }
    construct(vm, class, args, kwargs)
}

/// `type.__call__(class, ...)`: `__new__`, then `__init__` when `__new__`
/// returned an instance of the class.
pub fn construct(
    vm: &mut Vm,
    class: Value,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<CallOutcome> {
    if class == vm.types.type_ && args.len() == 1 && kwargs.is_empty() {
        return Ok(CallOutcome::Value(vm.type_of(args[0])));
    }
    let new_method = lookup_class_attr(class, "__new__").unwrap_or(Value::NULL);
    let mut new_args = Vec::with_capacity(args.len() + 1);
    new_args.push(class);
    new_args.extend_from_slice(args);
    let new_callable = match kind_of(new_method) {
        Some(ObjKind::StaticMethod(inner)) => *inner,
        _ => new_method,
    };
    let instance = call_value(vm, new_callable, &new_args, kwargs)?;
    if !vm.is_instance(instance, class) {
        return Ok(CallOutcome::Value(instance));
    }
    let instance_class = vm.type_of(instance);
    let Some(init) = lookup_class_attr(instance_class, "__init__") else {
        return Ok(CallOutcome::Value(instance));
    };
    match kind_of(init) {
        Some(ObjKind::Function(function)) => {
            let mut init_args = Vec::with_capacity(args.len() + kwargs.len() + 1);
            init_args.push(instance);
            init_args.extend_from_slice(args);
            init_args.extend(kwargs.iter().map(|(_, value)| *value));
            let names: Vec<Value> = kwargs.iter().map(|(name, _)| *name).collect();
            let mut frame = new_frame(vm, init, function, &init_args, &names)?;
            if function.code.has_flag(code_flags::GENERATOR) {
                return vm.err_type("__init__() should return None, not 'generator'");
            }
            frame.on_return = ReturnMode::Initializer { instance };
            Ok(CallOutcome::Frame(frame))
        }
        _ => {
            let mut init_args = Vec::with_capacity(args.len() + 1);
            init_args.push(instance);
            init_args.extend_from_slice(args);
            let result = call_value(vm, init, &init_args, kwargs)?;
            if !result.is_none() {
                let type_name = vm.type_name(result);
                return vm.err_type(format!("__init__() should return None, not '{type_name}'"));
            }
            Ok(CallOutcome::Value(instance))
        }
    }
}

/// `object.__new__(cls)`: a bare instance with the layout of the class.
pub fn new_instance(vm: &mut Vm, class: Value) -> PyResult<Value> {
    let Some(class_payload) = type_obj(class) else {
        let type_name = vm.type_name(class);
        return vm.err_type(format!(
            "object.__new__(X): X is not a type object ({type_name})"
        ));
    };
    let kind = match class_payload.layout {
        Layout::Object => ObjKind::Object,
        Layout::Exception => {
            ObjKind::Exception(Box::new(crate::objects::ExcData::new(vm.types.empty_tuple)))
        }
        Layout::List => ObjKind::List(PyCell::new(ListItems::empty())),
        Layout::Dict => ObjKind::Dict(PyCell::new(crate::objects::DictTable::new())),
        Layout::Set | Layout::FrozenSet => {
            ObjKind::Set(PyCell::new(crate::objects::DictTable::new()))
        }
        _ => {
            let name = class_payload.name.clone();
            return vm.err_type(format!(
                "object.__new__({name}) is not safe, use {name}.__new__()"
            ));
        }
    };
    let instance = vm.alloc(class, kind);
    if !class_payload.builtin {
        let dict = vm.new_dict();
        instance.as_obj().expect("instance").set_dict(dict);
    }
    Ok(instance)
}
