//! Exceptions in flight: making a raisable exception from `raise X`,
//! matching `except` clauses, recording traceback entries as an exception
//! leaves frames, printing CPython's traceback layout, and the collector's
//! root walk (it runs at the same safepoints).

use crate::engine::frame::Frame;
use crate::engine::ops::{self, kind_of};
use crate::engine::step::Task;
use crate::engine::{class_name, exc_data, tuple_items, type_obj, Vm};
use crate::heap::gc::Marker;
use crate::objects::exception::TracebackEntry;
use crate::objects::ObjKind;
use crate::value::Value;
use crate::PyResult;

/// Adds the frame's current line to the exception's traceback, once per
/// frame.
pub fn record_traceback(vm: &mut Vm, frame: &Frame, exception: Value) {
    let _ = vm;
    let Some(data) = exc_data(exception) else {
        return;
    };
    if frame
        .code
        .has_flag(crate::bytecode::code::code_flags::HIDDEN)
    {
        return;
    }
    let entry = TracebackEntry {
        code: frame.code,
        line: frame.current_line(),
        frame_serial: frame.serial,
    };
    data.record(entry);
}

/// `raise value [from cause]`: instantiates classes, checks the type and
/// sets `__cause__`/`__context__`.
pub fn make_raisable(vm: &mut Vm, value: Value, cause: Option<Value>) -> Value {
    let base = vm.types.exc.base_exception;
    let exception = if type_obj(value).is_some() {
        if !vm.is_subclass(value, base) {
            return vm.type_error("exceptions must derive from BaseException");
        }
        match ops::call(vm, value, &[], &[]) {
            Ok(instance) => instance,
            Err(error) => return error,
        }
    } else {
        value
    };
    if !vm.is_instance(exception, base) {
        return vm.type_error("exceptions must derive from BaseException");
    }
    if let Some(cause) = cause {
        let cause_value = if cause.is_none() {
            Value::NULL
        } else if type_obj(cause).is_some() && vm.is_subclass(cause, base) {
            match ops::call(vm, cause, &[], &[]) {
                Ok(instance) => instance,
                Err(error) => return error,
            }
        } else if vm.is_instance(cause, base) {
            cause
        } else {
            return vm.type_error("exception causes must derive from BaseException");
        };
        if let Some(data) = exc_data(exception) {
            data.cause.set(cause_value);
            data.suppress_context.set(true);
        }
    }
    set_context(vm, exception);
    // A shared exception raised here may now refer to this thread's.
    crate::heap::share::reshare(exception);
    exception
}

/// Chains the exception being handled as `__context__`.
pub fn set_context(vm: &mut Vm, exception: Value) {
    let handled = vm.handled_exception;
    if handled.is_null() || handled == exception {
        return;
    }
    if let Some(data) = exc_data(exception) {
        if data.context.get().is_null() {
            // Avoid a cycle: if `exception` is already in the handled
            // exception's context chain, cut it there.
            let mut walker = handled;
            let mut steps = 0;
            while let Some(inner) = exc_data(walker) {
                let next = inner.context.get();
                if next == exception {
                    inner.context.set(Value::NULL);
                    break;
                }
                walker = next;
                steps += 1;
                if steps > 1000 {
                    break;
                }
            }
            data.context.set(handled);
        }
    }
    crate::heap::share::reshare(exception);
}

/// `except class:` — `class` may be a tuple of classes.
pub fn exception_matches(vm: &mut Vm, exception: Value, class: Value) -> PyResult<bool> {
    if let Some(items) = tuple_items(class) {
        for item in items {
            if exception_matches(vm, exception, *item)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    if type_obj(class).is_none() || !vm.is_subclass(class, vm.types.exc.base_exception) {
        return vm
            .err_type("catching classes that do not inherit from BaseException is not allowed");
    }
    Ok(vm.is_instance(exception, class))
}

/// The `Traceback (most recent call last):` text of an uncaught
/// exception, with its cause/context chain, as CPython prints it.
pub fn format_exception(vm: &mut Vm, exception: Value) -> String {
    let mut out = String::new();
    format_chain(vm, exception, 0, &mut out);
    out
}

/// The prefix of a line printed inside exception groups, `level` deep
/// (0: outside any group).
fn group_margin(level: usize) -> String {
    if level == 0 {
        String::new()
    } else {
        format!("{}| ", " ".repeat(2 * level))
    }
}

/// Appends each line of `text` with `prefix` (`first` for the first one).
fn push_prefixed(out: &mut String, text: &str, prefix: &str, first: Option<&str>) {
    let body = text.strip_suffix('\n').unwrap_or(text);
    for (index, line) in body.split('\n').enumerate() {
        match (index, first) {
            (0, Some(first)) => out.push_str(first),
            _ => out.push_str(prefix),
        }
        out.push_str(line);
        out.push('\n');
    }
}

/// An exception and its cause/context chain, `level` deep in groups.
fn format_chain(vm: &mut Vm, exception: Value, level: usize, out: &mut String) {
    let mut chain = vec![exception];
    let mut walker = exception;
    let mut links = Vec::new();
    while let Some(data) = exc_data(walker) {
        let (next, link) = if !data.cause.get().is_null() {
            (
                data.cause.get(),
                "\nThe above exception was the direct cause of the following exception:\n\n",
            )
        } else if !data.context.get().is_null() && !data.suppress_context.get() {
            (
                data.context.get(),
                "\nDuring handling of the above exception, another exception occurred:\n\n",
            )
        } else {
            break;
        };
        if chain.contains(&next) || chain.len() > 100 {
            break;
        }
        chain.push(next);
        links.push(link);
        walker = next;
    }
    let margin = group_margin(level);
    for index in (0..chain.len()).rev() {
        format_one(vm, chain[index], level, out);
        if index > 0 {
            push_prefixed(out, links[index - 1], &margin, None);
        }
    }
}

/// Groups show their own traceback and message between `|` margins,
/// then each sub-exception (at most 15) between numbered separators.
fn format_one(vm: &mut Vm, exception: Value, level: usize, out: &mut String) {
    let text = format_single(vm, exception);
    if !vm.is_instance(exception, vm.types.exc.base_exception_group) {
        push_prefixed(out, &text, &group_margin(level), None);
        return;
    }
    const SHOWN: usize = 15;
    let own = level.max(1);
    let text = match text.strip_prefix("Traceback (most recent call last):") {
        Some(rest) => format!("Exception Group Traceback (most recent call last):{rest}"),
        None => text,
    };
    let first = (level == 0).then(|| format!("{}+ ", " ".repeat(2 * own)));
    push_prefixed(out, &text, &group_margin(own), first.as_deref());
    let members = crate::builtins::exceptions::group_members(exception);
    let dashes = "-".repeat(16);
    let inner_indent = " ".repeat(2 * own + 2);
    for (index, member) in members.iter().take(SHOWN).enumerate() {
        if index == 0 {
            out.push_str(&format!("{}+-+{dashes} 1 {dashes}\n", " ".repeat(2 * own)));
        } else {
            out.push_str(&format!("{inner_indent}+{dashes} {} {dashes}\n", index + 1));
        }
        format_chain(vm, *member, own + 1, out);
    }
    if members.len() > SHOWN {
        let more = members.len() - SHOWN;
        out.push_str(&format!("{inner_indent}+{dashes} ... {dashes}\n"));
        out.push_str(&format!(
            "{}and {more} more exception{}\n",
            group_margin(own + 1),
            if more == 1 { "" } else { "s" }
        ));
    }
    out.push_str(&format!("{inner_indent}+{}\n", "-".repeat(36)));
}

fn format_single(vm: &mut Vm, exception: Value) -> String {
    let mut out = String::new();
    if let Some(data) = exc_data(exception) {
        // Recorded innermost first as the exception left each frame;
        // printed outermost first.
        let entries: Vec<TracebackEntry> = data.traceback().into_iter().rev().collect();
        if !entries.is_empty() {
            out.push_str("Traceback (most recent call last):\n");
            let mut repeated = 0;
            for (index, entry) in entries.iter().enumerate() {
                if index > 0
                    && std::ptr::eq(entries[index - 1].code, entry.code)
                    && entries[index - 1].line == entry.line
                {
                    repeated += 1;
                    if repeated >= 3 {
                        continue;
                    }
                } else {
                    if repeated >= 3 {
                        out.push_str(&format!(
                            "  [Previous line repeated {} more time{}]\n",
                            repeated - 2,
                            if repeated - 2 == 1 { "" } else { "s" }
                        ));
                    }
                    repeated = 0;
                }
                let filename = vm.str_text(entry.code.filename);
                let name = vm.str_text(entry.code.name);
                out.push_str(&format!(
                    "  File \"{filename}\", line {}, in {name}\n",
                    entry.line
                ));
                {
                    let source = &entry.code.source;
                    if let Some(text) = source.lines().nth(entry.line.saturating_sub(1) as usize) {
                        let trimmed = text.trim();
                        if !trimmed.is_empty() {
                            out.push_str(&format!("    {trimmed}\n"));
                        }
                    }
                }
            }
            if repeated >= 3 {
                out.push_str(&format!(
                    "  [Previous line repeated {} more time{}]\n",
                    repeated - 2,
                    if repeated - 2 == 1 { "" } else { "s" }
                ));
            }
        }
    }
    if let Some(location) = syntax_error_location(vm, exception) {
        out.push_str(&location);
    }
    out.push_str(&exception_line(vm, exception));
    out.push('\n');
    out
}

/// The `File "...", line N` / source / caret lines CPython prints above a
/// SyntaxError.
fn syntax_error_location(vm: &mut Vm, exception: Value) -> Option<String> {
    if !vm.is_instance(exception, vm.types.exc.syntax_error) {
        return None;
    }
    let args = tuple_items(exc_data(exception)?.args.get())?;
    let details = tuple_items(*args.get(1)?)?;
    if details.len() < 4 {
        return None;
    }
    let filename = vm.str_text(details[0]);
    let line = details[1].as_small_int().unwrap_or(0);
    let column = details[2].as_small_int().unwrap_or(0);
    let text = vm.str_text(details[3]);
    let mut out = format!("  File \"{filename}\", line {line}\n");
    let source_line = text.trim_end_matches(['\n', '\r']);
    let stripped = source_line.trim_start();
    if !stripped.is_empty() {
        let indent = source_line.chars().count() - stripped.chars().count();
        out.push_str(&format!("    {}\n", stripped.trim_end()));
        if column > 0 {
            let caret_column = (column as usize).saturating_sub(1).saturating_sub(indent);
            out.push_str(&format!("    {}^\n", " ".repeat(caret_column)));
        }
    }
    Some(out)
}

/// `ValueError: message` (or just `ValueError` when the message is empty).
pub fn exception_line(vm: &mut Vm, exception: Value) -> String {
    let class = vm.type_of(exception);
    let mut name = class_name(class);
    if let Some(module) = ops::lookup_class_attr(class, "__module__")
        .and_then(|module| crate::engine::str_of(module).map(str::to_string))
    {
        if module != "builtins" && module != "__main__" {
            name = format!("{module}.{name}");
        }
    }
    if vm.is_instance(exception, vm.types.exc.syntax_error) {
        if let Some(args) = exc_data(exception).and_then(|data| tuple_items(data.args.get())) {
            if args.len() == 2 && crate::engine::str_of(args[0]).is_some() {
                let message = vm.str_text(args[0]);
                return format!("{name}: {message}");
            }
        }
    }
    let message = match exc_data(exception) {
        Some(data) => ops::to_str(vm, exception)
            .map(|text| vm.str_text(text))
            .unwrap_or_else(|_| {
                let _ = data;
                "<exception str() failed>".to_string()
            }),
        None => String::new(),
    };
    let mut line = if message.is_empty() {
        name
    } else {
        format!("{name}: {message}")
    };
    if let Some(data) = exc_data(exception) {
        if let Some(ObjKind::List(notes)) = kind_of(data.notes.get()) {
            for note in notes.borrow().to_vec() {
                line.push('\n');
                line.push_str(&vm.str_text(note));
            }
        }
    }
    line
}

/// The interpreter's own root values (besides its tasks' frames and
/// thread table): `vm.roots`, `extra`, the repr stack, builtins, the
/// module registry, the handled exception.
pub fn root_values(vm: &Vm, extra_roots: &[Value]) -> Vec<Value> {
    let mut roots: Vec<Value> = Vec::with_capacity(16 + vm.roots.len());
    roots.extend_from_slice(&vm.roots);
    roots.extend_from_slice(extra_roots);
    roots.extend_from_slice(&vm.repr_stack);
    roots.push(vm.builtins);
    roots.push(vm.modules);
    roots.push(vm.handled_exception);
    roots.push(vm.context);
    roots
}

/// Every root of one worker (its running task's frames too, if any), as
/// a marker receives them.
pub fn trace_roots(vm: &Vm, task: Option<&Task>, extra_roots: &[Value], marker: &mut Marker) {
    marker.mark_all(&root_values(vm, extra_roots));
    if let Some(task) = task {
        for frame in &task.frames {
            frame.trace(marker);
        }
    }
    vm.threads.trace(marker);
}

/// A full collection with the roots of one task and the interpreter.
pub fn collect_garbage(vm: &mut Vm, task: &Task, extra_roots: &[Value]) {
    if vm.gc_stress {
        // Check the write barrier: share the global state as a second
        // thread would, then find any shared object refering to a local.
        // The check walks the whole heap: run it at the 1st, 2nd, 4th,
        // 8th... collection and every 32nd, so that stress runs stay
        // within a small factor of their cost without it.
        let collections = vm.heap.stats().collections;
        if !vm.sharing {
            crate::sched::start_sharing(vm);
        } else if collections.is_power_of_two() || collections.is_multiple_of(32) {
            if let Err(problem) = crate::heap::share::verify(&mut vm.heap) {
                panic!("sharing invariant broken: {problem}");
            }
        }
    }
    #[cfg(parallel_workers)]
    if vm.group.is_some() {
        crate::sched::workers::collect(vm, task, extra_roots);
        return;
    }
    // SAFETY: with no worker group this thread runs every Python thread of
    // the interpreter, and it is at a safepoint: none is inside an
    // operation on a table.
    unsafe { vm.retired_tables.free_all() };
    let roots = root_values(vm, extra_roots);
    let frames = &task.frames;
    let threads = &vm.threads;
    let mut user_classes = std::mem::take(&mut vm.user_classes);
    vm.heap.collect_pruning_weak(
        |marker| {
            marker.mark_all(&roots);
            for frame in frames {
                frame.trace(marker);
            }
            threads.trace(marker);
        },
        &mut user_classes,
    );
    vm.user_classes = user_classes;
}
