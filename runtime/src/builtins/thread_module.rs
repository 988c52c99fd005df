//! The `_thread` module: starting threads, the binary lock every blocking
//! primitive of `threading`, `queue` and `concurrent.futures` is built on,
//! the reentrant `RLock` and the counting `_Semaphore` (under
//! `queue.SimpleQueue`) built the same way, thread identities, and the
//! slot holding each thread's `contextvars` context. Blocking here parks
//! the calling task through `sched`; no OS thread ever waits.

use crate::builtins::args::{arity, bind, given, to_i64};
use crate::builtins::{add_method, add_staticmethod, native_function, new_module, set_class_attr};
use crate::engine::{ops, tuple_items, Vm};
use crate::objects::lock::{LockState, RLockState, SemaphoreState, NO_OWNER};
use crate::objects::{NativeFn, ObjKind};
use crate::sched;
use crate::sched::WaitTicket;
use crate::value::Value;
use crate::PyResult;
use std::sync::atomic::{
    fence, AtomicU64,
    Ordering::{Relaxed, SeqCst},
};

/// The longest timeout `acquire` accepts, in seconds (CPython's value on
/// 64-bit Linux).
const TIMEOUT_MAX: f64 = 9223372036.0;

pub fn make(vm: &mut Vm) -> Value {
    let module = new_module(vm, "_thread");
    let class = vm.types.thread_lock;
    give_methods(
        vm,
        class,
        None,
        &[
            ("acquire", lock_acquire),
            ("acquire_lock", lock_acquire),
            ("__enter__", lock_acquire),
            ("release", lock_release),
            ("release_lock", lock_release),
            ("__exit__", lock_exit),
            ("locked", lock_locked),
            ("locked_lock", lock_locked),
        ],
    );
    let rlock_class = vm.types.thread_rlock;
    give_methods(
        vm,
        rlock_class,
        Some(rlock_new),
        &[
            ("acquire", rlock_acquire),
            ("__enter__", rlock_acquire),
            ("release", rlock_release),
            ("__exit__", rlock_release),
            ("_is_owned", rlock_is_owned),
            ("_release_save", rlock_release_save),
            ("_acquire_restore", rlock_acquire_restore),
            ("_at_fork_reinit", rlock_at_fork_reinit),
        ],
    );
    let semaphore_class = vm.types.thread_semaphore;
    give_methods(
        vm,
        semaphore_class,
        Some(semaphore_new),
        &[
            ("acquire", semaphore_acquire),
            ("release", semaphore_release),
            ("value", semaphore_value),
        ],
    );
    let functions: [(&'static str, NativeFn); 13] = [
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
        ("_is_shared", is_shared),
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
        ("RLock", rlock_class),
        ("_Semaphore", semaphore_class),
        ("error", vm.types.exc.runtime_error),
        ("TIMEOUT_MAX", Value::float(TIMEOUT_MAX)),
    ];
    for (name, value) in constants {
        let key = vm.intern(name);
        ops::dict_set_str(vm, dict, key, value);
    }
    module
}

/// Gives one of this module's classes its `__module__`, constructor and
/// methods, unless an earlier call did.
fn give_methods(
    vm: &mut Vm,
    class: Value,
    constructor: Option<NativeFn>,
    methods: &[(&'static str, NativeFn)],
) {
    if ops::lookup_class_attr(class, methods[0].0).is_some() {
        return;
    }
    let module_name = vm.intern("_thread");
    set_class_attr(vm, class, "__module__", module_name);
    if let Some(constructor) = constructor {
        add_staticmethod(vm, class, "__new__", constructor);
    }
    for &(name, body) in methods {
        add_method(vm, class, name, body);
    }
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
    let (blocking, timeout) = acquire_arguments(vm, rest, kwargs)?;
    if lock.locked.try_set() {
        return Ok(Value::TRUE);
    }
    match lock_wait(vm, receiver, blocking, timeout, 0, retry_lock) {
        Some(wait) => wait_for_lock(vm, lock, &wait, |vm| release(vm, lock)),
        None => Ok(Value::FALSE),
    }
}

/// The wait of an `acquire` of `object` that found it taken (`None`:
/// the caller does not wait): its deadline, its start, what its tickets
/// carry, and how its task tries again when a release wakes it to.
fn lock_wait(
    vm: &mut Vm,
    object: Value,
    blocking: bool,
    timeout: f64,
    payload: u64,
    again: fn(&mut Vm, &sched::Retry) -> PyResult<Value>,
) -> Option<sched::Retry> {
    if !blocking || timeout == 0.0 {
        return None;
    }
    let since = sched::now(vm);
    Some(sched::Retry {
        object,
        again,
        deadline: (timeout > 0.0).then_some(since + timeout),
        since,
        payload,
    })
}

/// A lock waiter's task, woken to try again (`sched::Retry`).
fn retry_lock(vm: &mut Vm, wait: &sched::Retry) -> PyResult<Value> {
    let lock = lock_of(vm, wait.object)?;
    lock.woken.store(false, SeqCst);
    wait_for_lock(vm, lock, wait, |vm| release(vm, lock))
}

/// How long a waiter lets other threads take a lock ahead of it before
/// the next release hands it over in turn (`LockState::starving`).
const STARVING_AFTER: f64 = 1e-3;

/// Takes `lock` for the current thread, parking while another thread
/// holds it, until `wait.deadline`. A release wakes a parked waiter to try
/// again rather than handing it the lock (see `objects/lock.rs`), so the
/// lock never sits idle while its next holder's worker gets to it; a
/// waiter that waits long makes the next release hand it over in turn.
/// `give_back` releases the lock as its kind of lock does (a release
/// that hands it over sets what `wait.payload` asks first).
fn wait_for_lock(
    vm: &mut Vm,
    lock: &LockState,
    wait: &sched::Retry,
    give_back: impl Fn(&mut Vm) -> PyResult<()>,
) -> PyResult<Value> {
    loop {
        if lock.locked.try_set() {
            return Ok(Value::TRUE);
        }
        let now = sched::now(vm);
        if wait.deadline.is_some_and(|end| now >= end) {
            return Ok(Value::FALSE);
        }
        if now - wait.since >= STARVING_AFTER {
            lock.starving.store(true, SeqCst);
        }
        // Register, then try once more: a release before this try lets
        // it succeed, one after it finds the ticket (see
        // `objects/lock.rs`).
        let ticket = sched::prepare_wait(vm);
        let token = ticket.token;
        ticket.set_payload(wait.payload);
        lock.push_waiter(ticket);
        fence(SeqCst);
        if lock.locked.try_set() {
            if sched::withdraw_wait(vm, token) {
                return Ok(Value::TRUE);
            }
            // A release claimed the ticket first. A hand-over leaves the
            // lock set, so this try cannot have won after one: the claim
            // is a wake to try again, which parking takes. The lock goes
            // back first, as a release gives it (others may wait).
            give_back(vm)?;
        }
        let again = sched::Retry {
            object: wait.object,
            again: wait.again,
            deadline: wait.deadline,
            since: wait.since,
            payload: wait.payload,
        };
        let woken = sched::park_retrying(vm, token, again)?;
        if woken != Value::RETRY {
            // Handed over (TRUE) or timed out (FALSE).
            return Ok(woken);
        }
        // Woken to try again, in place: no other wake comes for this
        // lock until this try (`LockState::woken`).
        lock.woken.store(false, SeqCst);
    }
}

/// How a blocking primitive is taken (a lock, a semaphore's unit): one
/// try, how a waiter registers where releases look, and how what a try
/// took is given back.
struct Waiting<T, R, G> {
    try_take: T,
    register: R,
    give_back: G,
}

impl<T, R, G> Waiting<T, R, G>
where
    T: Fn() -> bool,
    R: Fn(WaitTicket),
    G: Fn(&mut Vm) -> PyResult<()>,
{
    /// Takes it for the current thread, parking while it is not to be had
    /// (for up to `timeout` seconds; not at all unless `blocking`).
    fn take(&self, vm: &mut Vm, blocking: bool, timeout: f64) -> PyResult<Value> {
        let deadline = wait_deadline(vm, timeout);
        loop {
            if (self.try_take)() {
                return Ok(Value::TRUE);
            }
            if !blocking || timeout == 0.0 || deadline.is_some_and(|end| sched::now(vm) >= end) {
                return Ok(Value::FALSE);
            }
            // Register, then try once more: a release before this try lets
            // it succeed, one after it finds the ticket (see
            // `objects/lock.rs`).
            let ticket = sched::prepare_wait(vm);
            let token = ticket.token;
            let others_above = ticket.others_may_run_above();
            (self.register)(ticket);
            fence(SeqCst);
            if (self.try_take)() {
                if sched::withdraw_wait(vm, token) {
                    return Ok(Value::TRUE);
                }
                if others_above {
                    // A release woke this waiter to try again just before
                    // this try won: give it back as a release does (others
                    // may wait), take that wake, and try again.
                    (self.give_back)(vm)?;
                }
            }
            // Parked, or already handed it: a release claimed the ticket
            // first (the thread then holds it once, whichever way it
            // came), and parking takes that wake. A wait in place is woken
            // to try again instead (`WaitTicket::others_may_run_above`).
            let woken = sched::park(vm, token, deadline, Value::FALSE)?;
            if woken != Value::RETRY {
                return Ok(woken);
            }
        }
    }
}

/// When a wait of `timeout` seconds (negative: none) begun now ends.
fn wait_deadline(vm: &mut Vm, timeout: f64) -> Option<f64> {
    (timeout > 0.0).then(|| sched::now(vm) + timeout)
}

/// `acquire`'s `(blocking=True, timeout=-1)`, checked.
fn acquire_arguments(
    vm: &mut Vm,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<(bool, f64)> {
    let bound = bind(vm, "acquire", args, kwargs, &["blocking", "timeout"], 0)?;
    // CPython takes `blocking` as an int and `timeout` as a duration
    // (None is neither).
    let blocking = if bound[0].is_null() {
        true
    } else {
        let flag = ops::index_value(vm, bound[0])?;
        ops::truthy(vm, flag)?
    };
    let timeout = if bound[1].is_null() {
        -1.0
    } else {
        crate::builtins::time_module::duration_seconds(vm, bound[1])?
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
    Ok((blocking, timeout))
}

/// Releases `lock`: wakes a waiter to try again, or hands the lock over
/// to the longest waiter when one starves.
fn release(vm: &mut Vm, lock: &LockState) -> PyResult<()> {
    release_handing_over(vm, lock, |_| {})
}

/// `release`, calling `hand_over` with the waiter the lock goes to, if it
/// goes to one, before that waiter can run.
fn release_handing_over(
    vm: &mut Vm,
    lock: &LockState,
    hand_over: impl Fn(&WaitTicket),
) -> PyResult<()> {
    if !lock.locked.get() {
        return Err(vm.runtime_error("release unlocked lock"));
    }
    if lock.starving.load(Relaxed) && lock.starving.swap(false, SeqCst) {
        hand_over_in_turn(vm, lock, hand_over);
        return Ok(());
    }
    lock.locked.clear();
    fence(SeqCst);
    wake_one_to_retry(vm, lock);
    Ok(())
}

/// After a release cleared the flag: wakes the longest waiter to try
/// again, unless a waiter woken so has still to try (it tries after this
/// release). A waiter that registers meanwhile tries the flag after
/// registering, so it takes the lock or a later release finds it.
fn wake_one_to_retry(vm: &mut Vm, lock: &LockState) {
    while lock.has_waiters() && !lock.woken.swap(true, SeqCst) {
        while let Some(ticket) = lock.pop_waiter() {
            if sched::wake(vm, &ticket, Value::RETRY) {
                return;
            }
        }
        // Every ticket was stale: nobody was woken. Look again, since a
        // release that found `woken` set meanwhile woke nobody either.
        lock.woken.store(false, SeqCst);
    }
}

/// Hands the held `lock` to the longest waiter still waiting (the flag
/// stays set), calling `hand_over` with its ticket first; releases it if
/// none waits.
fn hand_over_in_turn(vm: &mut Vm, lock: &LockState, hand_over: impl Fn(&WaitTicket)) {
    loop {
        while let Some(ticket) = lock.pop_waiter() {
            let woken = sched::wake_choosing(vm, &ticket, |ticket| {
                if ticket.others_may_run_above() {
                    // Threads may run above that one until it can take
                    // the lock, and wait for it themselves: it tries
                    // again then.
                    return Value::RETRY;
                }
                hand_over(ticket);
                Value::TRUE
            });
            if woken == Some(Value::TRUE) {
                return;
            }
        }
        lock.locked.clear();
        fence(SeqCst);
        // A waiter that registered before the clear but tried the flag
        // before it too is in the queue: take the lock back to hand it
        // over, unless someone else took it meanwhile.
        if !lock.has_waiters() || !lock.locked.try_set() {
            return;
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

fn rlock_of(vm: &mut Vm, value: Value) -> PyResult<&'static RLockState> {
    match value.as_obj().map(|obj| &obj.kind) {
        Some(ObjKind::RLock(state)) => Ok(state),
        _ => {
            let type_name = vm.type_name(value);
            vm.err_type(format!(
                "descriptor requires a '_thread.RLock' object but received a '{type_name}'"
            ))
        }
    }
}

/// `_thread.RLock()` (what `threading.RLock()` returns). Other arguments
/// are ignored, as CPython's RLock ignores them.
fn rlock_new(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let class = vm.types.thread_rlock;
    if args.first() != Some(&class) {
        return vm.err_type("RLock.__new__(X): X is not _thread.RLock");
    }
    Ok(vm.alloc(class, ObjKind::RLock(Box::default())))
}

/// `rlock.acquire(blocking=True, timeout=-1)`: again by its owner (one
/// more level), else as a lock.
fn rlock_acquire(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let Some((&receiver, rest)) = args.split_first() else {
        return vm.err_type("acquire() needs an RLock");
    };
    let rlock = rlock_of(vm, receiver)?;
    let (blocking, timeout) = acquire_arguments(vm, rest, kwargs)?;
    let me = vm.threads.current;
    if rlock.owner.load(Relaxed) == me {
        let depth = rlock.depth.load(Relaxed);
        if depth == u64::MAX {
            let class = vm.types.exc.overflow_error;
            return Err(vm.new_error(class, "Internal lock count overflowed"));
        }
        rlock.depth.store(depth + 1, Relaxed);
        return Ok(Value::TRUE);
    }
    take_rlock(vm, receiver, rlock, (blocking, timeout), 1, retry_rlock)
}

/// Takes `rlock` (the object `receiver`) for the current thread at
/// `depth`, parking as `lock_acquire` does while another thread holds
/// it; `again` is how its task tries again. A release that hands it over
/// makes the waiter its owner at the depth the waiter left in its ticket,
/// before the waiter runs.
fn take_rlock(
    vm: &mut Vm,
    receiver: Value,
    rlock: &RLockState,
    (blocking, timeout): (bool, f64),
    depth: u64,
    again: fn(&mut Vm, &sched::Retry) -> PyResult<Value>,
) -> PyResult<Value> {
    let taken = if rlock.lock.locked.try_set() {
        Value::TRUE
    } else {
        match lock_wait(vm, receiver, blocking, timeout, depth, again) {
            Some(wait) => wait_for_rlock(vm, rlock, &wait)?,
            None => Value::FALSE,
        }
    };
    if taken == Value::TRUE {
        take_ownership(vm, rlock, depth);
    }
    Ok(taken)
}

/// `wait_for_lock` for an RLock.
fn wait_for_rlock(vm: &mut Vm, rlock: &RLockState, wait: &sched::Retry) -> PyResult<Value> {
    wait_for_lock(vm, &rlock.lock, wait, |vm| free_rlock(vm, rlock))
}

/// Makes the current thread the owner of `rlock`, taken by its own try,
/// at `depth` (a hand-over made it the owner already, with the same
/// values).
fn take_ownership(vm: &Vm, rlock: &RLockState, depth: u64) {
    rlock.owner.store(vm.threads.current, Relaxed);
    rlock.depth.store(depth, Relaxed);
}

/// An RLock waiter's task, woken to try again (`sched::Retry`): `TRUE`
/// once it holds the lock at the depth it asked for, `FALSE` if its wait
/// timed out.
fn retry_rlock(vm: &mut Vm, wait: &sched::Retry) -> PyResult<Value> {
    let rlock = rlock_of(vm, wait.object)?;
    rlock.lock.woken.store(false, SeqCst);
    let taken = wait_for_rlock(vm, rlock, wait)?;
    if taken == Value::TRUE {
        take_ownership(vm, rlock, wait.payload);
    }
    Ok(taken)
}

/// `retry_rlock` for `_acquire_restore`, which returns None.
fn retry_rlock_restore(vm: &mut Vm, wait: &sched::Retry) -> PyResult<Value> {
    retry_rlock(vm, wait).map(restored)
}

/// What `_acquire_restore` returns for what taking the lock gave.
fn restored(taken: Value) -> Value {
    if taken == Value::TRUE {
        Value::NONE
    } else {
        taken
    }
}

/// Gives `rlock` up entirely (to its longest waiter, if one starves).
fn free_rlock(vm: &mut Vm, rlock: &RLockState) -> PyResult<()> {
    rlock.depth.store(0, Relaxed);
    rlock.owner.store(NO_OWNER, Relaxed);
    release_handing_over(vm, &rlock.lock, |ticket| {
        rlock.owner.store(ticket.thread(), Relaxed);
        rlock.depth.store(ticket.payload(), Relaxed);
    })
}

/// Whether the current thread holds `rlock`.
fn holds(vm: &Vm, rlock: &RLockState) -> bool {
    rlock.depth.load(Relaxed) > 0 && rlock.owner.load(Relaxed) == vm.threads.current
}

/// `rlock.release()` (and `__exit__`, whose arguments it ignores).
fn rlock_release(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let Some(&receiver) = args.first() else {
        return vm.err_type("release() needs an RLock");
    };
    let rlock = rlock_of(vm, receiver)?;
    if !holds(vm, rlock) {
        return Err(vm.runtime_error("cannot release un-acquired lock"));
    }
    let depth = rlock.depth.load(Relaxed) - 1;
    if depth > 0 {
        rlock.depth.store(depth, Relaxed);
    } else {
        free_rlock(vm, rlock)?;
    }
    Ok(Value::NONE)
}

fn rlock_is_owned(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    arity(vm, "_is_owned", args, 1, 1)?;
    let rlock = rlock_of(vm, args[0])?;
    Ok(Value::bool(holds(vm, rlock)))
}

/// `rlock._release_save()`: releases every level (for `Condition.wait`),
/// returning `(depth, owner)` for `_acquire_restore`.
fn rlock_release_save(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    arity(vm, "_release_save", args, 1, 1)?;
    let rlock = rlock_of(vm, args[0])?;
    let depth = rlock.depth.load(Relaxed);
    if depth == 0 {
        return Err(vm.runtime_error("cannot release un-acquired lock"));
    }
    let owner = rlock.owner.load(Relaxed);
    let saved = vec![vm.new_int(depth as i64), vm.new_int(owner as i64)];
    free_rlock(vm, rlock)?;
    Ok(vm.new_tuple(saved))
}

/// `rlock._acquire_restore((depth, owner))`: takes the lock back at the
/// depth `_release_save` returned, for the calling thread (the owner
/// that call saved).
fn rlock_acquire_restore(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    arity(vm, "_acquire_restore", args, 2, 2)?;
    let rlock = rlock_of(vm, args[0])?;
    let saved = tuple_items(args[1]).filter(|items| items.len() == 2);
    let depth = match saved.map(|items| items[0].as_small_int()) {
        Some(Some(depth)) if depth > 0 => depth as u64,
        _ => return vm.err_type("_acquire_restore() argument must be a (count, owner) tuple"),
    };
    take_rlock(vm, args[0], rlock, (true, -1.0), depth, retry_rlock_restore).map(restored)
}

fn rlock_at_fork_reinit(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    arity(vm, "_at_fork_reinit", args, 1, 1)?;
    let rlock = rlock_of(vm, args[0])?;
    rlock.depth.store(0, Relaxed);
    rlock.owner.store(NO_OWNER, Relaxed);
    rlock.lock.locked.clear();
    Ok(Value::NONE)
}

fn semaphore_of(vm: &mut Vm, value: Value) -> PyResult<&'static SemaphoreState> {
    match value.as_obj().map(|obj| &obj.kind) {
        Some(ObjKind::Semaphore(state)) => Ok(state),
        _ => {
            let type_name = vm.type_name(value);
            vm.err_type(format!(
                "descriptor requires a '_thread._Semaphore' object but received a '{type_name}'"
            ))
        }
    }
}

/// `_thread._Semaphore(value=0)`: the counter `queue.SimpleQueue` parks
/// its getters on.
fn semaphore_new(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let class = vm.types.thread_semaphore;
    if args.first() != Some(&class) {
        return vm.err_type("_Semaphore.__new__(X): X is not _thread._Semaphore");
    }
    let bound = bind(vm, "_Semaphore", &args[1..], kwargs, &["value"], 0)?;
    let value = match given(bound[0]) {
        Some(value) => to_i64(vm, value)?,
        None => 0,
    };
    if value < 0 {
        return vm.err_value("semaphore initial value must be >= 0");
    }
    Ok(vm.alloc(
        class,
        ObjKind::Semaphore(Box::new(SemaphoreState::new(value as u64))),
    ))
}

/// `semaphore.acquire(blocking=True, timeout=-1)`: takes one unit,
/// parking (as `lock_acquire` does) while there is none.
fn semaphore_acquire(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let Some((&receiver, rest)) = args.split_first() else {
        return vm.err_type("acquire() needs a _Semaphore");
    };
    let semaphore = semaphore_of(vm, receiver)?;
    let (blocking, timeout) = acquire_arguments(vm, rest, kwargs)?;
    let waiting = Waiting {
        try_take: || semaphore.try_take(),
        register: |ticket| semaphore.waiters.push(ticket),
        give_back: |vm: &mut Vm| {
            give_units(vm, semaphore, 1);
            Ok(())
        },
    };
    waiting.take(vm, blocking, timeout)
}

/// `semaphore.release(n=1)`: adds `n` units, then hands units to parked
/// waiters while there are both.
fn semaphore_release(vm: &mut Vm, args: &[Value], kwargs: &[(Value, Value)]) -> PyResult<Value> {
    let Some((&receiver, rest)) = args.split_first() else {
        return vm.err_type("release() needs a _Semaphore");
    };
    let semaphore = semaphore_of(vm, receiver)?;
    let bound = bind(vm, "release", rest, kwargs, &["n"], 0)?;
    let units = match given(bound[0]) {
        Some(value) => to_i64(vm, value)?,
        None => 1,
    };
    if units < 1 {
        return vm.err_value("n must be one or more");
    }
    give_units(vm, semaphore, units as u64);
    Ok(Value::NONE)
}

/// Adds `units` to `semaphore`, then hands units to parked waiters while
/// there are both.
fn give_units(vm: &mut Vm, semaphore: &SemaphoreState, units: u64) {
    semaphore.add(units);
    fence(SeqCst);
    // A waiter that pushed its ticket before the fence above is seen here;
    // one that pushes after it sees the units when it tries to take one.
    while semaphore.waiters.is_waiting() && semaphore.try_take() {
        let handed = semaphore.waiters.pop().is_some_and(|ticket| {
            let woken = sched::wake_choosing(vm, &ticket, |ticket| {
                if ticket.others_may_run_above() {
                    // One waiting in place tries again when it can run
                    // (see `release_handing_over`); the unit goes back
                    // for it first.
                    semaphore.add(1);
                    fence(SeqCst);
                    return Value::RETRY;
                }
                Value::TRUE
            });
            woken.is_some()
        });
        if !handed {
            // A stale ticket (its waiter timed out or took a unit itself),
            // or another releaser emptied the queue: the unit goes back.
            semaphore.add(1);
            fence(SeqCst);
        }
    }
}

fn semaphore_value(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    arity(vm, "value", args, 1, 1)?;
    let semaphore = semaphore_of(vm, args[0])?;
    Ok(vm.new_int(semaphore.count() as i64))
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

/// `_thread._is_shared(object)`: whether another thread may reach
/// `object` (`heap/share.rs`; never false again once true). The embedded
/// modules whose CPython counterparts are C code, atomic under its lock,
/// take a lock around their steps on a shared object only (`heapq`,
/// `bisect`, `io`): a local one no other thread can see mid-step.
fn is_shared(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    arity(vm, "_is_shared", args, 1, 1)?;
    Ok(Value::bool(
        args[0].as_obj().is_some_and(|obj| obj.is_shared()),
    ))
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

/// The size `stack_size` last set (0: the default). Threads here are
/// tasks, not OS threads, so it sizes nothing; it is kept and checked as
/// CPython keeps and checks it.
static STACK_SIZE: AtomicU64 = AtomicU64::new(0);

/// The least size CPython accepts (`THREAD_STACK_MIN`).
const STACK_SIZE_MIN: i64 = 32_768;

/// `_thread.stack_size(size=0)`: the size set before; sets `size` (with
/// no argument too, as CPython does: 0).
fn stack_size(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    arity(vm, "stack_size", args, 0, 1)?;
    let size = match args.first() {
        Some(&size) => {
            let size = ops::index_value(vm, size)?;
            to_i64(vm, size)?
        }
        None => 0,
    };
    if size < 0 {
        return vm.err_value("size must be 0 or a positive value");
    }
    if size != 0 && size < STACK_SIZE_MIN {
        return vm.err_value(format!("size not valid: {size} bytes"));
    }
    let previous = STACK_SIZE.swap(size as u64, Relaxed);
    Ok(vm.new_int(previous as i64))
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
