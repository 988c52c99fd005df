//! The `_thread` module: starting threads, the binary lock every blocking
//! primitive of `threading`, `queue` and `concurrent.futures` is built on,
//! thread identities, and the slot holding each thread's `contextvars`
//! context. Blocking here parks the calling task through
//! `sched`; no OS thread ever waits.

use crate::builtins::args::{arity, bind, given, to_f64};
use crate::builtins::{add_method, native_function, new_module, set_class_attr};
use crate::engine::{ops, tuple_items, Vm};
use crate::objects::lock::LockState;
use crate::objects::ObjKind;
use crate::sched;
use crate::value::Value;
use crate::PyResult;
use std::sync::atomic::{fence, Ordering::SeqCst};

/// The longest timeout `acquire` accepts, in seconds (CPython's value on
/// 64-bit Linux).
const TIMEOUT_MAX: f64 = 9223372036.0;

pub fn make(vm: &mut Vm) -> Value {
    let module = new_module(vm, "_thread");
    let class = vm.types.thread_lock;
    if ops::lookup_class_attr(class, "acquire").is_none() {
        let module_name = vm.intern("_thread");
        set_class_attr(vm, class, "__module__", module_name);
        add_method(vm, class, "acquire", lock_acquire);
        add_method(vm, class, "acquire_lock", lock_acquire);
        add_method(vm, class, "__enter__", lock_acquire);
        add_method(vm, class, "release", lock_release);
        add_method(vm, class, "release_lock", lock_release);
        add_method(vm, class, "__exit__", lock_exit);
        add_method(vm, class, "locked", lock_locked);
        add_method(vm, class, "locked_lock", lock_locked);
    }
    let functions: [(&'static str, crate::objects::NativeFn); 12] = [
        ("start_new_thread", start_new_thread),
        ("start_new", start_new_thread),
        ("allocate_lock", allocate_lock),
        ("allocate", allocate_lock),
        ("get_ident", get_ident),
        ("get_native_id", get_ident),
        ("_count", count),
        ("stack_size", stack_size),
        ("exit", exit),
        ("_format_exception", format_exception),
        ("_get_context", get_context),
        ("_set_context", set_context),
    ];
    let dict = module.as_obj().expect("module").dict();
    for (name, body) in functions {
        let function = native_function(vm, name, body, Value::NULL);
        let key = vm.intern(name);
        ops::dict_set_str(vm, dict, key, function);
    }
    let constants = [
        ("LockType", class),
        ("lock", class),
        ("error", vm.types.exc.runtime_error),
        ("TIMEOUT_MAX", Value::float(TIMEOUT_MAX)),
    ];
    for (name, value) in constants {
        let key = vm.intern(name);
        ops::dict_set_str(vm, dict, key, value);
    }
    module
}

fn lock_of(vm: &mut Vm, value: Value) -> PyResult<&'static LockState> {
    match value.as_obj().map(|obj| &obj.kind) {
        Some(ObjKind::Lock(state)) => Ok(state),
        _ => {
            let type_name = vm.type_name(value);
            vm.err_type(format!(
                "descriptor requires a '_thread.lock' object but received a '{type_name}'"
            ))
        }
    }
}

fn new_lock(vm: &mut Vm) -> Value {
    let class = vm.types.thread_lock;
    vm.alloc(class, ObjKind::Lock(Box::default()))
}

fn allocate_lock(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    arity(vm, "allocate_lock", args, 0, 0)?;
    Ok(new_lock(vm))
}

/// `lock.acquire(blocking=True, timeout=-1)`.
fn lock_acquire(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let Some((&receiver, rest)) = args.split_first() else {
        return vm.err_type("acquire() needs a lock");
    };
    let lock = lock_of(vm, receiver)?;
    let bound = bind(vm, "acquire", rest, kwargs, &["blocking", "timeout"], 0)?;
    let blocking = match given(bound[0]) {
        Some(flag) => ops::truthy(vm, flag)?,
        None => true,
    };
    let timeout = match given(bound[1]) {
        Some(value) => to_f64(vm, value)?,
        None => -1.0,
    };
    if !blocking && timeout != -1.0 {
        return vm.err_value("can't specify a timeout for a non-blocking call");
    }
    if timeout < 0.0 && timeout != -1.0 {
        return vm.err_value("timeout value must be positive");
    }
    if timeout > TIMEOUT_MAX {
        let class = vm.types.exc.overflow_error;
        return Err(vm.new_error(class, "timeout value is too large"));
    }
    if lock.locked.try_set() {
        return Ok(Value::TRUE);
    }
    if !blocking || timeout == 0.0 {
        return Ok(Value::FALSE);
    }
    // Register, then try once more: a release that cleared the flag
    // before this try lets it succeed, one after it finds the ticket (see
    // `objects/lock.rs`).
    let ticket = sched::prepare_wait(vm);
    let token = ticket.token;
    lock.push_waiter(ticket);
    fence(SeqCst);
    if lock.locked.try_set() && sched::withdraw_wait(vm, token) {
        return Ok(Value::TRUE);
    }
    // Parked, or already handed the lock: a release claimed the ticket
    // first (the thread then owns the lock once, whichever way it came),
    // and parking takes that wake.
    let deadline = (timeout > 0.0).then(|| sched::now(vm) + timeout);
    sched::park(vm, token, deadline, Value::FALSE)
}

/// Releases `lock`, handing it to the longest waiter still waiting.
fn release(vm: &mut Vm, lock: &LockState) -> PyResult<()> {
    if !lock.locked.get() {
        return Err(vm.runtime_error("release unlocked lock"));
    }
    loop {
        while let Some(ticket) = lock.pop_waiter() {
            if sched::wake(vm, &ticket, Value::TRUE) {
                return Ok(());
            }
        }
        lock.locked.clear();
        fence(SeqCst);
        // A waiter that registered before the clear but tried the flag
        // before it too is in the queue: take the lock back to hand it
        // over, unless someone else took it meanwhile.
        if !lock.has_waiters() || !lock.locked.try_set() {
            return Ok(());
        }
    }
}

fn lock_release(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    arity(vm, "release", args, 1, 1)?;
    let lock = lock_of(vm, args[0])?;
    release(vm, lock)?;
    Ok(Value::NONE)
}

fn lock_exit(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let Some(&receiver) = args.first() else {
        return vm.err_type("__exit__() needs a lock");
    };
    let lock = lock_of(vm, receiver)?;
    release(vm, lock)?;
    Ok(Value::NONE)
}

fn lock_locked(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    arity(vm, "locked", args, 1, 1)?;
    let lock = lock_of(vm, args[0])?;
    Ok(Value::bool(lock.locked.get()))
}

/// `start_new_thread(function, args, kwargs={})`.
fn start_new_thread(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    crate::builtins::args::no_kwargs(vm, "start_new_thread", kwargs)?;
    if args.len() < 2 || args.len() > 3 {
        return vm.err_type(format!(
            "start_new_thread expected at least 2 arguments, got {}",
            args.len()
        ));
    }
    let (function, arguments) = (args[0], args[1]);
    if crate::builtins::functions::callable(vm, &[function], &[])? != Value::TRUE {
        return vm.err_type("first arg must be callable");
    }
    if tuple_items(arguments).is_none() {
        return vm.err_type("2nd arg must be a tuple");
    }
    let keywords = match args.get(2) {
        Some(&value) if ops::dict_of(value).is_some() => value,
        Some(_) => return vm.err_type("optional 3rd arg must be a dictionary"),
        None => Value::NULL,
    };
    sched::start_thread(vm, function, arguments, keywords)
}

fn get_ident(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    arity(vm, "get_ident", args, 0, 0)?;
    let id = vm.threads.current;
    Ok(vm.new_int(id as i64))
}

/// `_thread._get_context()`: the running thread's `contextvars` context
/// (`Vm::context`), None until `_set_context` gives it one.
fn get_context(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    arity(vm, "_get_context", args, 0, 0)?;
    Ok(if vm.context.is_null() {
        Value::NONE
    } else {
        vm.context
    })
}

/// `_thread._set_context(context)`: makes `context` the running thread's
/// (`contextvars` checks its type; None forgets it).
fn set_context(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    arity(vm, "_set_context", args, 1, 1)?;
    vm.context = if args[0].is_none() {
        Value::NULL
    } else {
        args[0]
    };
    Ok(Value::NONE)
}

fn count(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    arity(vm, "_count", args, 0, 0)?;
    let running = vm.threads.running_count();
    Ok(vm.new_int(running as i64))
}

fn stack_size(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    arity(vm, "stack_size", args, 0, 1)?;
    Ok(Value::small_int_unchecked(0))
}

fn exit(vm: &mut Vm, _: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let class = vm.types.exc.system_exit;
    Err(vm.new_exception(class, vec![]))
}

/// `_thread._format_exception(exc)`: the traceback text the interpreter
/// prints for an uncaught exception.
fn format_exception(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    arity(vm, "_format_exception", args, 1, 1)?;
    let text = crate::engine::unwind::format_exception(vm, args[0]);
    Ok(vm.new_str(text))
}
