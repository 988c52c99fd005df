//! The step loop: runs a task's frames one basic block at a time through
//! `execute_range`, acting on what each block asks for (push a frame,
//! return, yield, raise, resume a generator), and stops at a safepoint
//! between blocks to collect when the heap asks for it.
//!
//! The outer loop (nesting 0) is the only one that collects: a nested loop
//! runs inside native code whose Rust locals may hold values no root
//! describes. Nested loops are started by `call_value` (native code calling
//! Python) and by native iteration of generators.

use crate::bytecode::opcodes::Opcode;
use crate::engine::execute::{execute_range, Flow};
use crate::engine::frame::{Frame, ReturnMode};
use crate::engine::ops::kind_of;
use crate::engine::{unwind, Vm};
use crate::objects::generator::Taken;
use crate::objects::ObjKind;
use crate::value::Value;
use crate::PyResult;

/// A Python thread of execution: its stack of heap frames.
#[derive(Default)]
pub struct Task {
    pub frames: Vec<Box<Frame>>,
    /// An exception to raise in the top frame at the next step.
    pub pending: Option<Value>,
}

/// How a task's bottom frame ended.
pub enum Completion {
    Returned(Value),
    /// The bottom frame was a generator and it yielded.
    Yielded(Value),
}

/// Runs a new task made of one frame to completion. At the outer level
/// (module code run by the embedder) it becomes the main thread's task and
/// the scheduler runs every other thread alongside it.
pub fn run_frame(vm: &mut Vm, frame: Box<Frame>) -> PyResult<Value> {
    let completion = if vm.nesting == 0 {
        // The outermost loop marks where the engine's Rust stack begins.
        crate::sched::run_main(vm, frame)?
    } else {
        let mut task = Task::default();
        push_frame(vm, &mut task, frame)?;
        run_task(vm, &mut task)?
    };
    match completion {
        Completion::Returned(value) | Completion::Yielded(value) => Ok(value),
    }
}

/// Runs a frame from native code in a nested loop.
pub fn run_nested(vm: &mut Vm, frame: Box<Frame>) -> PyResult<Value> {
    check_native_stack(vm)?;
    vm.nesting += 1;
    vm.native_depth += 1;
    vm.native_levels += 1;
    let result = run_frame(vm, frame);
    vm.native_levels -= 1;
    vm.native_depth -= 1;
    vm.nesting -= 1;
    result
}

/// Nested step loops (native code calling Python) use the Rust stack;
/// past the host's budget they raise RecursionError instead of
/// overflowing it.
fn check_native_stack(vm: &mut Vm) -> PyResult<()> {
    let marker = 0u8;
    let here = &marker as *const u8 as usize;
    let used = vm.stack_origin.saturating_sub(here);
    if (vm.stack_origin != 0 && used > vm.native_stack_budget)
        || vm.native_levels >= vm.native_level_limit
    {
        let class = vm.types.exc.recursion_error;
        return Err(vm.new_error(
            class,
            "maximum recursion depth exceeded while calling a Python object",
        ));
    }
    Ok(())
}

pub(crate) fn push_frame(vm: &mut Vm, task: &mut Task, frame: Box<Frame>) -> PyResult<()> {
    if vm.depth >= vm.recursion_limit {
        let class = vm.types.exc.recursion_error;
        return Err(vm.new_error(class, "maximum recursion depth exceeded"));
    }
    vm.depth += 1;
    task.frames.push(frame);
    Ok(())
}

fn pop_frame(vm: &mut Vm, task: &mut Task) -> Box<Frame> {
    vm.depth -= 1;
    task.frames.pop().expect("frame stack underflow")
}

/// Blocks a task runs per dispatch before control returns to its driver
/// (the scheduler, from issue 3 on): enough that a dispatch's work dwarfs
/// the dispatch itself.
pub const BLOCKS_PER_DISPATCH: u32 = 1024;

/// What one dispatch of a task ended with.
pub enum Step {
    Done(Completion),
    /// The budget is spent; the task can be stepped again.
    Suspended,
    /// A blocking call parked the task; it resumes when woken, with the
    /// call's result pushed on its top frame (see `sched`).
    Parked,
}

/// Completes the call a parked task stopped in: drops what the call
/// instruction left on the stack (on a park it leaves its operands, as it
/// does when raising) and pushes the call's result.
pub fn finish_parked_call(frame: &mut Frame, result: Value) {
    if result == Value::RETRY {
        // The instruction parked before it changed anything: run it again.
        frame.pc -= 1;
        return;
    }
    let instruction = frame.code.instructions[frame.pc - 1];
    let argc = instruction.arg as usize;
    let operands = match instruction.op {
        // kwnames were popped before the call.
        Opcode::Call | Opcode::CallKw => argc + 1,
        Opcode::CallMethod | Opcode::CallMethodKw => argc + 2,
        // CALL_FUNCTION_EX and BEFORE_WITH leave nothing of theirs.
        _ => 0,
    };
    frame.truncate_stack(frame.stack_len() - operands);
    frame.push(result);
}

/// Runs until the task's frame stack is empty (the driver of nested runs,
/// whose natives block in place instead of parking).
pub fn run_task(vm: &mut Vm, task: &mut Task) -> PyResult<Completion> {
    loop {
        match step(vm, task, BLOCKS_PER_DISPATCH)? {
            Step::Done(completion) => return Ok(completion),
            Step::Suspended => {}
            Step::Parked => return Err(vm.runtime_error("a nested run cannot park its task")),
        }
    }
}

/// Runs the task until `budget` blocks have run on this interpreter: the
/// step loop. Blocks run by nested step loops (native code calling back
/// into Python: `sum` over a generator) count too, so a thread that spends
/// its time in such calls still ends its dispatch and lets the other
/// threads of its worker run.
pub fn step(vm: &mut Vm, task: &mut Task, budget: u32) -> PyResult<Step> {
    let collects = vm.nesting == 0 && vm.collects;
    if collects {
        // Versions replaced by writes to shared containers wait for a
        // reclaim stop or the next collection: count them towards it
        // (`heap/retired.rs`).
        let (collectable, reclaimable) = crate::heap::retired::take_retired_bytes();
        vm.heap.count_garbage(collectable);
        if vm.in_worker_group() {
            vm.heap.count_reclaimable(reclaimable);
        } else {
            vm.heap.count_garbage(reclaimable);
        }
    }
    if vm.polls_interrupts && vm.host.poll_interrupt() {
        vm.interrupt_requested = true;
    }
    let stop_at = vm.blocks_run.saturating_add(u64::from(budget));
    while vm.blocks_run < stop_at {
        let flow = match task.pending.take() {
            Some(exception) => Flow::Raise(exception),
            None => {
                let frame = task.frames.last_mut().expect("running an empty task");
                let pc = frame.pc;
                let end = if vm.whole_ranges {
                    frame.code.instructions.len()
                } else {
                    frame.code.blocks.end_of(pc)
                };
                execute_range(vm, frame, pc, end)
            }
        };
        vm.blocks_run += 1;
        match flow {
            Flow::Continue => {}
            Flow::Call(frame) => {
                if let Err(error) = push_frame(vm, task, frame) {
                    task.pending = Some(error);
                }
            }
            Flow::Return(value) => {
                let frame = pop_frame(vm, task);
                let on_return = frame.on_return;
                recycle_frame(vm, frame);
                match finish_frame(vm, task, on_return, value) {
                    Ok(Some(completion)) => return Ok(Step::Done(completion)),
                    Ok(None) => {}
                    Err(error) => task.pending = Some(error),
                }
            }
            Flow::Yield(value) => {
                let frame = pop_frame(vm, task);
                let ReturnMode::Generator { generator } = frame.on_return else {
                    task.pending = Some(vm.runtime_error("yield outside a generator frame"));
                    continue;
                };
                if let Some(ObjKind::Generator(state)) = kind_of(generator) {
                    // Another thread may resume a shared generator: what
                    // its frame refers to is shared before it is back.
                    if state.is_shared() {
                        crate::heap::share::share_frame(&frame);
                    }
                    state.read(|state| state.suspend(frame));
                }
                match task.frames.last_mut() {
                    Some(caller) => caller.push(value),
                    None => return Ok(Step::Done(Completion::Yielded(value))),
                }
            }
            Flow::Raise(exception) => {
                if let Some(error) = unwind_to_handler(vm, task, exception) {
                    if error == Value::PARK {
                        stop_before_parking(vm, task);
                        return Ok(Step::Parked);
                    }
                    return Err(error);
                }
            }
            Flow::Resume { frame, throw } => {
                if let Err(error) = push_frame(vm, task, frame) {
                    task.pending = Some(error);
                } else if let Some(exception) = throw {
                    task.pending = Some(exception);
                }
            }
        }
        #[cfg(parallel_workers)]
        if vm
            .group
            .as_ref()
            .is_some_and(|membership| membership.stop_requested())
        {
            crate::sched::workers::stop_here(vm, task);
        }
        if collects && (vm.gc_stress || vm.heap.wants_collection()) {
            // An exception about to be raised lives only in `pending`.
            let extra: Vec<Value> = task.pending.iter().copied().collect();
            crate::engine::unwind::collect_garbage(vm, task, &extra);
        } else if collects && vm.heap.wants_reclaim() {
            #[cfg(parallel_workers)]
            crate::sched::workers::reclaim_stop(vm, task, task.pending.as_slice());
        }
        if vm.interrupt_requested
            && vm.threads.current == crate::sched::MAIN_THREAD
            && task.pending.is_none()
        {
            // As with CPython's signals, the main thread gets it.
            vm.interrupt_requested = false;
            if let Some(error) = raise_at_boundary(vm, task) {
                return Err(error);
            }
        }
    }
    Ok(Step::Suspended)
}

/// Raises KeyboardInterrupt in the task between two blocks. The exception
/// belongs to the instruction about to run (the top frame's `pc`), not to
/// the one before it as for an instruction's own error: the unwinder looks
/// at `pc - 1`, so step the frame past it first (a loop that jumps to its
/// own first instruction would otherwise seem to raise outside its `try`).
/// `Some` when no handler caught it.
fn raise_at_boundary(vm: &mut Vm, task: &mut Task) -> Option<Value> {
    let class = vm.types.exc.keyboard_interrupt;
    let exception = vm.new_exception(class, vec![]);
    let frame = task.frames.last_mut()?;
    frame.pc += 1;
    unwind_to_handler(vm, task, exception)
}

/// Delivers a returned value to the caller. `Some` when the task is done.
/// Keeps a finished frame's allocation for the next call.
fn recycle_frame(vm: &mut Vm, mut frame: Box<Frame>) {
    if vm.frame_pool.len() < FRAME_POOL_SIZE {
        frame.slots.clear();
        vm.frame_pool.push(frame);
    }
}

/// Finished frames kept for reuse.
const FRAME_POOL_SIZE: usize = 64;

fn finish_frame(
    vm: &mut Vm,
    task: &mut Task,
    on_return: ReturnMode,
    value: Value,
) -> PyResult<Option<Completion>> {
    match on_return {
        ReturnMode::Push | ReturnMode::IteratorNext => match task.frames.last_mut() {
            Some(caller) => caller.push(value),
            None => return Ok(Some(Completion::Returned(value))),
        },
        ReturnMode::Initializer { instance } => {
            if !value.is_none() {
                let type_name = vm.type_name(value);
                return vm.err_type(format!("__init__() should return None, not '{type_name}'"));
            }
            match task.frames.last_mut() {
                Some(caller) => caller.push(instance),
                None => return Ok(Some(Completion::Returned(instance))),
            }
        }
        ReturnMode::CallUntilNext { iterator } => {
            let reached = crate::builtins::iterators::reached_sentinel(vm, iterator, value)?;
            let Some(caller) = task.frames.last_mut() else {
                return Ok(Some(Completion::Returned(value)));
            };
            if reached {
                let for_iter = caller.code.instructions[caller.pc - 1];
                caller.pop();
                caller.pc = for_iter.arg as usize;
            } else {
                caller.push(value);
            }
        }
        ReturnMode::Generator { generator } => {
            if let Some(ObjKind::Generator(state)) = kind_of(generator) {
                state.read(|state| state.finish());
            }
            let Some(caller) = task.frames.last_mut() else {
                return Ok(Some(Completion::Returned(value)));
            };
            let resumer = caller.code.instructions[caller.pc - 1];
            match resumer.op {
                Opcode::ForIter => {
                    caller.pop();
                    caller.pc = resumer.arg as usize;
                }
                Opcode::Send => {
                    caller.pop();
                    caller.push(value);
                    caller.pc = resumer.arg as usize;
                }
                _ => caller.push(value),
            }
        }
    }
    Ok(None)
}

/// Finds the handler for `exception`, popping frames that have none.
/// Returns the exception if it escapes the task.
fn unwind_to_handler(vm: &mut Vm, task: &mut Task, mut exception: Value) -> Option<Value> {
    if exception == Value::PARK {
        // Not an exception: a blocking call parked the task.
        return Some(exception);
    }
    loop {
        let frame = task.frames.last_mut()?;
        unwind::record_traceback(vm, frame, exception);
        let pc = frame.pc;
        if pc > 0 {
            if let Some(handler) = frame.code.handler_for(pc - 1) {
                frame.truncate_stack(handler.depth as usize);
                frame.push(exception);
                frame.pc = handler.handler as usize;
                return None;
            }
        }
        let finished = pop_frame(vm, task);
        if let ReturnMode::IteratorNext | ReturnMode::CallUntilNext { .. } = finished.on_return {
            if vm.is_instance(exception, vm.types.exc.stop_iteration) {
                if let ReturnMode::CallUntilNext { iterator } = finished.on_return {
                    crate::builtins::iterators::end_loop_call(iterator);
                }
                // The iterator is exhausted: the caller's loop ends.
                if let Some(caller) = task.frames.last_mut() {
                    let for_iter = caller.code.instructions[caller.pc - 1];
                    caller.pop();
                    caller.pc = for_iter.arg as usize;
                    return None;
                }
            }
        }
        if let ReturnMode::Generator { generator } = finished.on_return {
            if let Some(ObjKind::Generator(state)) = kind_of(generator) {
                state.read(|state| state.finish());
            }
            if vm.is_instance(exception, vm.types.exc.stop_iteration) {
                let class = vm.types.exc.runtime_error;
                let replacement = vm.new_error(class, "generator raised StopIteration");
                if let Some(data) = crate::engine::exc_data(replacement) {
                    data.cause.set(exception);
                    data.context.set(exception);
                    data.suppress_context.set(true);
                }
                exception = replacement;
            }
        }
        if task.frames.is_empty() {
            return Some(exception);
        }
    }
}

/// The safepoint of a task about to park: one may park again as soon as
/// it runs (a `for` loop waiting for a generator's turn), and its worker
/// must still stop when asked. Out of line, as every cold path of the
/// step loop: code added there slows every instruction's dispatch.
#[cold]
#[inline(never)]
fn stop_before_parking(vm: &mut Vm, task: &Task) {
    #[cfg(parallel_workers)]
    if vm
        .group
        .as_ref()
        .is_some_and(|membership| membership.stop_requested())
    {
        crate::sched::workers::stop_here(vm, task);
    }
    #[cfg(not(parallel_workers))]
    let _ = (vm, task);
}

/// What a native resumption of a generator produced.
pub enum Resumed {
    Yielded(Value),
    Returned(Value),
}

/// Takes a generator's frame out for running, with the value it is sent.
/// A generator that another thread runs is waited for in place
/// (`sched::pause_in_place`), the caller's task running on: native code
/// called it, and may have done things a second run of its call would do
/// again. If that thread is blocked in place beneath this
/// one, no wait can end, and the generator is "already executing".
pub fn take_generator_frame(
    vm: &mut Vm,
    generator: Value,
    sent: Value,
) -> PyResult<Option<Box<Frame>>> {
    take_generator_frame_waiting(vm, generator, sent, false)
}

/// `take_generator_frame` for a `for` loop's step over the generator
/// itself, which has changed nothing when it finds another thread's turn:
/// its task parks and runs the step again after a while (`Value::RETRY`),
/// so that its worker runs the others meanwhile, the holder included when
/// it is blocked in place beneath.
#[inline(never)]
pub fn take_generator_frame_for_loop(
    vm: &mut Vm,
    generator: Value,
) -> PyResult<Option<Box<Frame>>> {
    take_generator_frame_waiting(vm, generator, Value::NONE, crate::sched::can_park(vm))
}

#[inline(never)]
fn take_generator_frame_waiting(
    vm: &mut Vm,
    generator: Value,
    sent: Value,
    park_to_retry: bool,
) -> PyResult<Option<Box<Frame>>> {
    let Some(ObjKind::Generator(state)) = kind_of(generator) else {
        return vm.err_type("not a generator");
    };
    let me = vm.threads.current;
    let mut waits = 0u32;
    let mut frame = loop {
        match state.read(|state| state.take(me)) {
            Taken::Frame(frame) => {
                if park_to_retry && vm.threads.turn_waits != 0 {
                    vm.threads.turn_waits = 0;
                }
                break frame;
            }
            Taken::OthersTurn if park_to_retry => {
                let waited = vm.threads.turn_waits;
                vm.threads.turn_waits = waited.saturating_add(1);
                crate::sched::park_to_retry(vm, turn_wait(waited))?;
            }
            Taken::OthersTurn
                if !state
                    .read(|state| state.holder())
                    .is_some_and(|holder| crate::sched::is_beneath(vm, holder)) =>
            {
                crate::sched::pause_in_place(vm, turn_wait(waits))?;
                waits += 1;
            }
            Taken::Running | Taken::OthersTurn => {
                return vm.err_value("generator already executing")
            }
            Taken::Finished => return Ok(None),
        }
    };
    if frame.pc == 0 {
        if !sent.is_none() && !sent.is_null() {
            state.read(|state| state.suspend(frame));
            return vm.err_type("can't send non-None value to a just-started generator");
        }
    } else {
        frame.push(if sent.is_null() { Value::NONE } else { sent });
    }
    Ok(Some(frame))
}

/// How long a thread waits, the `waits`-th time in a row, for another
/// thread to put back the frame of a generator they share: a turn of the
/// other threads at first (the holder may be one of them, its
/// dispatch ended inside the generator), then up to a millisecond (the
/// holder may be blocked inside, in a call of its own).
pub(crate) fn turn_wait(waits: u32) -> f64 {
    if waits < 4 {
        0.0
    } else {
        (1e-6 * f64::from(1u32 << (waits - 4).min(10))).min(1e-3)
    }
}

/// Resumes a generator from native code; `throw` raises inside it.
pub fn resume_generator(
    vm: &mut Vm,
    generator: Value,
    sent: Value,
    throw: Option<Value>,
) -> PyResult<Resumed> {
    let frame = match take_generator_frame(
        vm,
        generator,
        if throw.is_some() { Value::NONE } else { sent },
    )? {
        Some(frame) => frame,
        None => {
            return match throw {
                Some(exception) => Err(exception),
                None => Ok(Resumed::Returned(Value::NONE)),
            }
        }
    };
    let mut frame = frame;
    if throw.is_some() && frame.pc > 0 {
        // The pushed "sent" value is not used when throwing.
        frame.pop();
    }
    check_native_stack(vm)?;
    vm.nesting += 1;
    vm.native_depth += 1;
    let mut task = Task::default();
    let result = match push_frame(vm, &mut task, frame) {
        Ok(()) => match throw {
            Some(exception) => match unwind_to_handler(vm, &mut task, exception) {
                Some(escaped) => Err(escaped),
                None => run_task(vm, &mut task),
            },
            None => run_task(vm, &mut task),
        },
        Err(error) => Err(error),
    };
    vm.native_depth -= 1;
    vm.nesting -= 1;
    match result? {
        Completion::Yielded(value) => Ok(Resumed::Yielded(value)),
        Completion::Returned(value) => Ok(Resumed::Returned(value)),
    }
}

/// `next(generator)` from native code.
pub fn generator_next(vm: &mut Vm, generator: Value) -> PyResult<Option<Value>> {
    match resume_generator(vm, generator, Value::NONE, None)? {
        Resumed::Yielded(value) => Ok(Some(value)),
        Resumed::Returned(_) => Ok(None),
    }
}
