//! Built-in functions that hand their loop to Python code when their
//! iteration runs Python code: `list`, `tuple`, `set`, `frozenset`,
//! `dict`, `sum`, `min`, `max`, `any`, `all`, `sorted`, `str.join` and
//! `list.extend` over a generator (or a `map` of a Python function, or an
//! iterator class written in Python, or an `enumerate`, `zip`, `map` or
//! `filter` over one of those), and `sorted`/`min`/`max`/`list.sort`
//! (of a local list) with a Python key function. A `for` loop over such an `enumerate`, `zip`, `map` or
//! `filter` hands the iterator's steps to a generator of `loops.py`
//! (`iterators::delegate_to_loops`).
//!
//! A native loop calls that code in a nested step loop: a blocking call
//! inside it (`lock.acquire`, `queue.get`, `future.result`) cannot park
//! the thread's task and waits in place, holding its worker's stack and
//! keeping the collector off meanwhile, and on one worker (the inline
//! backend, WebAssembly without threads) it runs every other thread
//! nested above itself, where a lock holder beneath can never go on. So
//! such a native, called straight from an instruction (`sched::can_park`)
//! once threads have started, returns `Value::DEFERRED` with the call of a function of `loops.py` in
//! `Vm::deferred_call`, and `prepare_call` makes that call instead: the
//! loop runs as frames of the thread's own task. Those frames carry
//! `code_flags::HIDDEN` and stay out of tracebacks.

use crate::builtins::iterators::runs_python_code;
use crate::engine::{ops, Vm};
use crate::objects::iter::IterState;
use crate::objects::ObjKind;
use crate::value::Value;
use crate::PyResult;

/// The file name the loops are compiled under; the compiler marks every
/// code object of this file `HIDDEN`.
pub const FILENAME: &str = "<built-in loops>";

/// The module's key in `sys.modules`.
const MODULE_KEY: &str = "_protopy_loops";

const SOURCE: &str = include_str!("loops.py");

/// Whether a `for` loop over `iterable` runs Python code as frames of its
/// task: a generator, a `map` of a Python function, an
/// `iter(callable, sentinel)` of one, an object whose class defines
/// `__iter__` or `__next__` in Python, a `filter` of a Python function,
/// and an `enumerate`, `zip`, `map` or `filter` over any of those (which
/// the loop delegates, `iterators::delegate_to_loops`).
pub fn iteration_runs_python(vm: &Vm, iterable: Value) -> bool {
    runs_python_within(vm, iterable, NESTING_LOOKED_AT)
}

/// How deep `iteration_runs_python` looks into iterators over iterators.
const NESTING_LOOKED_AT: u32 = 8;

fn runs_python_within(vm: &Vm, iterable: Value, depth: u32) -> bool {
    let inner = |iterator: &Value| depth > 0 && runs_python_within(vm, *iterator, depth - 1);
    match ops::kind_of(iterable) {
        Some(ObjKind::Generator(_)) => vm.type_of(iterable) == vm.types.generator,
        Some(ObjKind::Iter(state)) => match &*state.borrow() {
            IterState::Map {
                function,
                iterators,
                ..
            } => runs_python_code(*function) || iterators.iter().any(inner),
            IterState::CallUntil { callable, .. } => runs_python_code(*callable),
            IterState::Enumerate { iterator, .. } => inner(iterator),
            IterState::Zip { iterators, .. } => iterators.iter().any(inner),
            IterState::Filter { function, iterator } => {
                runs_python_code(*function) || inner(iterator)
            }
            IterState::Delegated { .. } => true,
            _ => false,
        },
        _ => {
            let class = vm.type_of(iterable);
            !vm.is_builtin_class(class)
                && ["__next__", "__iter__"].iter().any(|name| {
                    ops::lookup_class_attr(class, name).is_some_and(|method| {
                        matches!(ops::kind_of(method), Some(ObjKind::Function(_)))
                    })
                })
        }
    }
}

/// Whether calling `key` runs a Python frame.
pub fn key_runs_python(key: Value) -> bool {
    !key.is_null() && runs_python_code(key)
}

/// Whether a native called now hands its loop over: it was called
/// straight from an instruction (whose `prepare_call` makes the call), and
/// threads have started. A lone thread's native loop can only wait for a
/// timer, never for another thread, and runs a key function faster.
#[inline]
pub fn may_defer(vm: &Vm) -> bool {
    vm.sharing && crate::sched::can_park(vm)
}

/// Hands the running native's loop to `loops.py`'s `function` with
/// `args`: the native returns what this returns (`Value::DEFERRED`), or,
/// should the loops be missing, `None` and runs its own loop.
pub fn defer(vm: &mut Vm, function: &str, args: &[Value]) -> PyResult<Option<Value>> {
    let module = loops_module(vm)?;
    let dict = module.as_obj().expect("module").dict();
    let Some(callable) = ops::dict_get_str(dict, function) else {
        return Ok(None);
    };
    vm.deferred_call = Some((callable, args.to_vec()));
    Ok(Some(Value::DEFERRED))
}

/// A generator of `loops.py`'s generator function `function` over
/// `args` (making it runs no Python code), or `None` should the loops be
/// missing.
pub fn generator_of(vm: &mut Vm, function: &str, args: &[Value]) -> PyResult<Option<Value>> {
    let module = loops_module(vm)?;
    let dict = module.as_obj().expect("module").dict();
    let Some(callable) = ops::dict_get_str(dict, function) else {
        return Ok(None);
    };
    crate::engine::call::call_value(vm, callable, args, &[]).map(Some)
}

/// The call a native handed its loop to (after it returned
/// `Value::DEFERRED`).
pub fn take_deferred_call(vm: &mut Vm) -> PyResult<(Value, Vec<Value>)> {
    match vm.deferred_call.take() {
        Some(call) => Ok(call),
        None => vm.err_runtime("a built-in deferred a call it did not name"),
    }
}

/// The type constructors that hand their loop over: the function of
/// `loops.py` that builds an instance of `class` from one iterable.
pub fn constructor_loop(vm: &Vm, class: Value) -> Option<&'static str> {
    let types = &vm.types;
    [
        (types.list, "list_of"),
        (types.tuple, "tuple_of"),
        (types.set, "set_of"),
        (types.frozenset, "frozenset_of"),
        (types.dict, "dict_of"),
    ]
    .into_iter()
    .find(|(constructor, _)| *constructor == class)
    .map(|(_, function)| function)
}

/// The loops' module, made on first use: `loops.py` run in a module of
/// its own, which has `sort_by_keys` besides. Two threads may both make
/// one; the first kept in `sys.modules` serves.
fn loops_module(vm: &mut Vm) -> PyResult<Value> {
    let modules = vm.modules;
    let key = vm.intern(MODULE_KEY);
    if let Some(module) = ops::dict_get(vm, modules, key)? {
        return Ok(module);
    }
    let module = crate::builtins::new_module(vm, MODULE_KEY);
    vm.roots.push(module);
    let made = run_loops_source(vm, module);
    vm.roots.pop();
    made?;
    ops::dict_set_default(vm, modules, key, module)
}

/// Runs `loops.py` in `module`, `sort_by_keys` defined first.
fn run_loops_source(vm: &mut Vm, module: Value) -> PyResult<Value> {
    let dict = module.as_obj().expect("module").dict();
    let name = vm.intern("sort_by_keys");
    let function = crate::builtins::native_function(vm, "sort_by_keys", sort_by_keys, Value::NULL);
    ops::dict_set_str(vm, dict, name, function);
    crate::engine::run_source_in(vm, SOURCE, FILENAME, dict)
}

/// `sort_by_keys(items, keys, reverse[, seen])`: sorts the list `items`
/// in place by the matching `keys`, as `list.sort(key=...)` does once it
/// has called the key function on every item; False, with nothing done,
/// if `items` no longer holds the items the keys were computed for
/// (`seen`, a list, when given).
fn sort_by_keys(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    crate::builtins::args::arity(vm, "sort_by_keys", args, 3, 4)?;
    let reverse = ops::truthy(vm, args[2])?;
    let keys = ops::collect(vm, args[1])?;
    let seen = match args.get(3) {
        Some(&seen) => Some(ops::collect(vm, seen)?),
        None => None,
    };
    let sorted = crate::builtins::containers::sort_by_given_keys(
        vm,
        args[0],
        keys,
        reverse,
        seen.as_deref(),
    )?;
    Ok(Value::bool(sorted))
}
