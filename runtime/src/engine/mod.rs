//! The engine: the `Vm` (one per running task for now), heap frames, the
//! step loop, `execute_range` and the object protocol every opcode and
//! builtin goes through.
//!
//! `Vm` owns the heap, the built-in types, the interned names, the module
//! registry and the host services. Native code receives `&mut Vm`; it never
//! sees the frame stack (frames belong to the step loop), which is what
//! keeps frames out of reach of native code and Python recursion off the
//! Rust stack.

pub mod call;
pub mod execute;
pub mod frame;
pub mod matching;
pub mod ops;
pub mod step;
pub mod unwind;

use std::collections::HashMap;

use num_bigint::BigInt;
use num_traits::ToPrimitive;

use crate::bytecode::code::CodeObject;
use crate::heap::{alloc_immortal, LocalHeap};
use crate::host::Host;
use crate::objects::{DictTable, ExcData, Layout, ObjKind, PyStr, TypeObj};
use crate::value::Value;
use crate::PyResult;

pub use crate::builtins::types::BuiltinTypes;

/// The interpreter state of one task.
pub struct Vm {
    pub heap: LocalHeap,
    pub types: BuiltinTypes,
    /// The `builtins` module's dict.
    pub builtins: Value,
    /// `sys.modules`.
    pub modules: Value,
    interned: HashMap<Box<str>, Value>,
    /// The exception being handled (`sys.exc_info()`), `NULL` if none.
    pub handled_exception: Value,
    /// The running thread's `contextvars` context, `NULL` until it uses
    /// one (every thread starts with a new, empty one).
    pub context: Value,
    pub recursion_limit: usize,
    /// Python frames alive across all nested runs.
    pub depth: usize,
    /// Step loops running inside native code (0 = only the outer loop).
    pub nesting: usize,
    pub host: Box<dyn Host>,
    /// Collect at every safepoint (tests of rooting). Also starts sharing
    /// at the first one and checks the sharing invariant at every
    /// collection (see `sched::start_sharing`).
    pub gc_stress: bool,
    /// Whether this worker runs the collector at safepoints (see
    /// `new_worker`).
    pub collects: bool,
    /// The group of workers this one runs and collects with, if any.
    #[cfg(parallel_workers)]
    pub group: Option<crate::sched::workers::Membership>,
    /// Arrays this interpreter's shared dicts and sets replaced with no
    /// write section while it has no worker group (see `retired_tables`).
    pub retired_tables: crate::objects::dict::RetiredArrays,
    /// Whether objects may be reached by more than one thread yet: set by
    /// the first `sched::spawn` (see `heap/share.rs`).
    pub sharing: bool,
    /// Values kept alive regardless of frames (sys.argv, the main module...).
    pub roots: Vec<Value>,
    /// Every live user-defined class, in creation order (weak: the
    /// collector drops the ones it frees); `__subclasses__` reads it.
    pub user_classes: Vec<Value>,
    /// Containers being printed, to detect `[...]` recursion.
    pub repr_stack: Vec<Value>,
    next_frame_serial: u64,
    /// Instructions blocks run, for limits and statistics.
    pub blocks_run: u64,
    /// Stop with KeyboardInterrupt at the next safepoint when set.
    pub interrupt_requested: bool,
    /// Ask the host (`Host::poll_interrupt`) at the start of every step
    /// loop run (at most `BLOCKS_PER_DISPATCH` blocks apart) whether to
    /// stop with KeyboardInterrupt; set from `Host::polls_interrupts`.
    pub polls_interrupts: bool,
    /// Test switch: run each frame's instructions up to the end of its
    /// code instead of its current block (the block-by-block equivalence
    /// test compares both).
    pub whole_ranges: bool,
    /// Finished frames whose allocations calls reuse.
    pub frame_pool: Vec<Box<frame::Frame>>,
    /// Address near the bottom of the outermost step loop's Rust stack.
    pub stack_origin: usize,
    /// Rust stack bytes nested step loops may use (set from the host).
    pub native_stack_budget: usize,
    /// Levels of native recursion now (nested step loops and
    /// `ops::enter_recursion`), and the host's cap on them.
    pub native_levels: usize,
    pub native_level_limit: usize,
    /// Native functions that read their caller's namespaces (`globals()`,
    /// `locals()`, `vars()`, `dir()`, `eval`, `exec`): the call
    /// instructions expose the calling frame to them.
    pub frame_readers: Vec<Value>,
    /// The calling frame's globals during a call of a frame reader
    /// (`NULL` otherwise, and when called from native code).
    pub caller_globals: Value,
    /// The calling frame's locals (a snapshot dict for a function frame)
    /// during a call of a frame reader; `NULL` otherwise.
    pub caller_locals: Value,
    /// The Python threads: their tasks, parking and the scheduler backend.
    pub threads: Box<crate::sched::Threads>,
    /// Calls from native code back into the engine (`call_value`, nested
    /// step loops) since the running thread's dispatch began; a blocking
    /// native may park its task only at 0. 1 outside any dispatch.
    pub native_depth: usize,
    /// The call a native hands its loop to (`Value::DEFERRED`, see
    /// `builtins/loops.rs`): the Python function and its arguments, taken
    /// by `prepare_call` before anything can collect.
    pub deferred_call: Option<(Value, Vec<Value>)>,
}

#[cfg(parallel_workers)]
impl Drop for Vm {
    /// A member of a worker group leaves its heap to the group: other
    /// members may still reach the shared objects in it.
    fn drop(&mut self) {
        crate::sched::stop_workers(self);
        crate::sched::workers::leave_group(self);
    }
}

impl Vm {
    /// Where a shared dict's or set's replaced arrays wait for the next
    /// collection (`objects/dict.rs`): the worker group's list, or this
    /// interpreter's own while it has no group.
    pub fn retired_tables(&self) -> &crate::objects::dict::RetiredArrays {
        #[cfg(parallel_workers)]
        if let Some(membership) = &self.group {
            return &membership.group.retired_tables;
        }
        &self.retired_tables
    }

    /// Whether this interpreter is a member of a worker group (several
    /// workers run Python and stop together for collections).
    #[inline]
    pub fn in_worker_group(&self) -> bool {
        #[cfg(parallel_workers)]
        return self.group.is_some();
        #[cfg(not(parallel_workers))]
        false
    }

    /// A fresh interpreter with the built-in types, functions and modules.
    pub fn new(host: Box<dyn Host>) -> Vm {
        let mut vm = Vm::bare(host, BuiltinTypes::create());
        vm.modules = vm.new_dict();
        crate::builtins::install(&mut vm);
        vm
    }

    /// A second worker's interpreter over the same objects: the built-in
    /// types, builtins and module registry of this one (shared once
    /// `sched::start_sharing` has run, which this requires), with its own
    /// heap, frames, thread table and `host`. It reads shared objects in
    /// parallel with this one and allocates on its own heap; interned
    /// names made from here on are its own (dicts compare str keys by
    /// value too, so identity is only a fast path).
    ///
    /// Stores into shared objects run in write sections once the workers
    /// are in one `sched::workers::WorkerGroup`, where they also collect
    /// together (a worker alone never collects, and the caller must keep
    /// this one from collecting while it runs). Still per interpreter:
    /// the thread table, locks' waiters, the host, interned names.
    pub fn new_worker(&self, host: Box<dyn Host>) -> Vm {
        assert!(self.sharing, "workers share objects: start sharing first");
        let mut worker = Vm::bare(host, self.types.clone());
        worker.builtins = self.builtins;
        worker.modules = self.modules;
        worker.interned = self.interned.clone();
        worker.recursion_limit = self.recursion_limit;
        worker.frame_readers = self.frame_readers.clone();
        worker.collects = false;
        worker.sharing = true;
        worker
    }

    /// An interpreter with `types` and nothing else yet (no builtins, no
    /// module registry), its limits taken from `host`.
    fn bare(host: Box<dyn Host>, types: BuiltinTypes) -> Vm {
        let mut vm = Vm {
            heap: LocalHeap::new(),
            types,
            builtins: Value::NULL,
            modules: Value::NULL,
            interned: HashMap::new(),
            handled_exception: Value::NULL,
            context: Value::NULL,
            recursion_limit: 1000,
            depth: 0,
            nesting: 0,
            host,
            gc_stress: false,
            collects: true,
            #[cfg(parallel_workers)]
            group: None,
            retired_tables: Default::default(),
            sharing: false,
            roots: Vec::new(),
            user_classes: Vec::new(),
            repr_stack: Vec::new(),
            next_frame_serial: 0,
            blocks_run: 0,
            interrupt_requested: false,
            polls_interrupts: false,
            whole_ranges: false,
            frame_pool: Vec::new(),
            stack_origin: 0,
            native_stack_budget: 0,
            native_levels: 0,
            native_level_limit: usize::MAX,
            frame_readers: Vec::new(),
            caller_globals: Value::NULL,
            caller_locals: Value::NULL,
            threads: Box::default(),
            native_depth: 1,
            deferred_call: None,
        };
        vm.native_stack_budget = vm.host.native_stack_budget();
        vm.native_level_limit = vm.host.native_level_limit();
        vm.polls_interrupts = vm.host.polls_interrupts();
        vm
    }

    /// Makes this worker's frame serials start above `first`: workers
    /// number their frames in disjoint ranges, so that a thread moved
    /// between workers never holds two frames with one serial.
    pub fn number_frames_from(&mut self, first: u64) {
        self.next_frame_serial = first;
    }

    pub fn next_frame_serial(&mut self) -> u64 {
        self.next_frame_serial += 1;
        self.next_frame_serial
    }

    // ---- allocation -------------------------------------------------------

    #[inline]
    pub fn alloc(&mut self, class: Value, kind: ObjKind) -> Value {
        self.heap.alloc(class, kind)
    }

    /// An interned, immortal str (names, identifiers, string constants).
    pub fn intern(&mut self, text: &str) -> Value {
        if let Some(value) = self.interned.get(text) {
            return *value;
        }
        let value = alloc_immortal(self.types.str, ObjKind::Str(PyStr::new(text)));
        self.interned.insert(text.into(), value);
        value
    }

    pub fn new_str(&mut self, text: impl Into<Box<str>>) -> Value {
        let text = text.into();
        if text.len() <= 1 {
            return self.intern(&text);
        }
        let class = self.types.str;
        self.alloc(class, ObjKind::Str(PyStr::new(text)))
    }

    #[inline]
    pub fn new_int(&mut self, n: i64) -> Value {
        match Value::small_int(n) {
            Some(value) => value,
            None => {
                let class = self.types.int;
                self.alloc(class, ObjKind::Int(BigInt::from(n)))
            }
        }
    }

    /// An int from a big integer, stored small whenever it fits.
    pub fn new_bigint(&mut self, n: BigInt) -> Value {
        if let Some(small) = n.to_i64().and_then(Value::small_int) {
            return small;
        }
        let class = self.types.int;
        self.alloc(class, ObjKind::Int(n))
    }

    pub fn new_list(&mut self, items: Vec<Value>) -> Value {
        let class = self.types.list;
        self.alloc(
            class,
            ObjKind::List(crate::objects::PyCell::new(items.into())),
        )
    }

    pub fn new_tuple(&mut self, items: Vec<Value>) -> Value {
        if items.is_empty() {
            return self.types.empty_tuple;
        }
        let class = self.types.tuple;
        self.alloc(class, ObjKind::Tuple(items.into_boxed_slice()))
    }

    pub fn new_dict(&mut self) -> Value {
        let class = self.types.dict;
        self.alloc(
            class,
            ObjKind::Dict(crate::objects::PyCell::new(DictTable::new())),
        )
    }

    pub fn new_set(&mut self, table: DictTable) -> Value {
        let class = self.types.set;
        self.alloc(class, ObjKind::Set(crate::objects::PyCell::new(table)))
    }

    pub fn new_frozenset(&mut self, table: DictTable) -> Value {
        let class = self.types.frozenset;
        self.alloc(class, ObjKind::Set(crate::objects::PyCell::new(table)))
    }

    pub fn new_bytes(&mut self, bytes: Vec<u8>) -> Value {
        let class = self.types.bytes;
        self.alloc(class, ObjKind::Bytes(bytes.into_boxed_slice()))
    }

    // ---- constants (immortal) ---------------------------------------------

    pub fn const_int(&mut self, n: BigInt) -> Value {
        if let Some(small) = n.to_i64().and_then(Value::small_int) {
            return small;
        }
        alloc_immortal(self.types.int, ObjKind::Int(n))
    }

    pub fn const_bytes(&mut self, bytes: Vec<u8>) -> Value {
        alloc_immortal(self.types.bytes, ObjKind::Bytes(bytes.into_boxed_slice()))
    }

    pub fn const_tuple(&mut self, items: Vec<Value>) -> Value {
        if items.is_empty() {
            return self.types.empty_tuple;
        }
        alloc_immortal(self.types.tuple, ObjKind::Tuple(items.into_boxed_slice()))
    }

    /// Makes a code object immortal and returns a reference to it.
    pub fn new_code(&mut self, code: CodeObject) -> &'static CodeObject {
        let value = alloc_immortal(self.types.code, ObjKind::Code(Box::new(code)));
        let code = code_of(value).expect("code object");
        let _ = code.value.set(value);
        code
    }

    /// The Value of an immortal code object.
    pub fn code_value(&self, code: &'static CodeObject) -> Value {
        *code
            .value
            .get()
            .expect("code objects are registered when made")
    }

    // ---- strings -------------------------------------------------------------

    /// The text of a str object (empty for non-strings).
    pub fn str_text(&self, value: Value) -> String {
        str_of(value).map(|s| s.to_string()).unwrap_or_default()
    }

    // ---- exceptions ------------------------------------------------------------

    /// A new exception instance of `class` with `args`.
    pub fn new_exception(&mut self, class: Value, args: Vec<Value>) -> Value {
        let args = self.new_tuple(args);
        self.alloc(class, ObjKind::Exception(Box::new(ExcData::new(args))))
    }

    /// A new exception of `class` with one message argument.
    pub fn new_error(&mut self, class: Value, message: impl Into<Box<str>>) -> Value {
        let message = self.new_str(message);
        self.new_exception(class, vec![message])
    }

    pub fn type_error(&mut self, message: impl Into<Box<str>>) -> Value {
        let class = self.types.exc.type_error;
        self.new_error(class, message)
    }

    pub fn value_error(&mut self, message: impl Into<Box<str>>) -> Value {
        let class = self.types.exc.value_error;
        self.new_error(class, message)
    }

    pub fn index_error(&mut self, message: impl Into<Box<str>>) -> Value {
        let class = self.types.exc.index_error;
        self.new_error(class, message)
    }

    pub fn key_error(&mut self, key: Value) -> Value {
        let class = self.types.exc.key_error;
        self.new_exception(class, vec![key])
    }

    pub fn attribute_error(&mut self, message: impl Into<Box<str>>) -> Value {
        let class = self.types.exc.attribute_error;
        self.new_error(class, message)
    }

    pub fn zero_division_error(&mut self, message: impl Into<Box<str>>) -> Value {
        let class = self.types.exc.zero_division_error;
        self.new_error(class, message)
    }

    pub fn overflow_error(&mut self, message: impl Into<Box<str>>) -> Value {
        let class = self.types.exc.overflow_error;
        self.new_error(class, message)
    }

    pub fn runtime_error(&mut self, message: impl Into<Box<str>>) -> Value {
        let class = self.types.exc.runtime_error;
        self.new_error(class, message)
    }

    pub fn name_error(&mut self, name: Value) -> Value {
        let text = format!("name '{}' is not defined", self.str_text(name));
        let class = self.types.exc.name_error;
        let error = self.new_error(class, text);
        crate::builtins::exceptions::set_member(self, error, "name", name);
        error
    }

    pub fn stop_iteration(&mut self, value: Value) -> Value {
        let class = self.types.exc.stop_iteration;
        if value.is_none() {
            self.new_exception(class, vec![])
        } else {
            self.new_exception(class, vec![value])
        }
    }

    /// `TypeError: <message>` as an `Err`.
    pub fn err_type<T>(&mut self, message: impl Into<Box<str>>) -> PyResult<T> {
        Err(self.type_error(message))
    }

    pub fn err_runtime<T>(&mut self, message: impl Into<Box<str>>) -> PyResult<T> {
        Err(self.runtime_error(message))
    }

    pub fn err_value<T>(&mut self, message: impl Into<Box<str>>) -> PyResult<T> {
        Err(self.value_error(message))
    }

    // ---- types ---------------------------------------------------------------

    /// The class of any value.
    #[inline]
    pub fn type_of(&self, value: Value) -> Value {
        if let Some(obj) = value.as_obj() {
            obj.class()
        } else if value.is_small_int() {
            self.types.int
        } else if value.is_float() {
            self.types.float
        } else if value.is_bool() {
            self.types.bool
        } else if value.is_none() {
            self.types.none_type
        } else if value == Value::NOT_IMPLEMENTED {
            self.types.not_implemented_type
        } else {
            self.types.ellipsis_type
        }
    }

    /// The `__name__` of a value's class.
    pub fn type_name(&self, value: Value) -> String {
        class_name(self.type_of(value))
    }

    /// Whether `class` is `base` or inherits from it.
    pub fn is_subclass(&self, class: Value, base: Value) -> bool {
        if class == base {
            return true;
        }
        match type_obj(class) {
            Some(class) => class.mro.borrow().contains(&base),
            None => false,
        }
    }

    #[inline]
    pub fn is_instance(&self, value: Value, base: Value) -> bool {
        self.is_subclass(self.type_of(value), base)
    }

    /// Whether a class is one of ours (not defined in Python).
    pub fn is_builtin_class(&self, class: Value) -> bool {
        type_obj(class).is_some_and(|class| class.builtin)
    }

    /// Creates a built-in (immortal) class at start-up.
    pub fn make_builtin_class(&mut self, name: &str, base: Value, layout: Layout) -> Value {
        crate::builtins::types::make_class(self.types.type_, name, base, layout)
    }
}

/// Compiles source, turning a compile error into a raised SyntaxError.
pub fn compile_or_raise(
    vm: &mut Vm,
    source: &str,
    filename: &str,
    mode: crate::compiler::Mode,
) -> PyResult<&'static CodeObject> {
    crate::compiler::compile(vm, source, filename, mode)
        .map_err(|error| syntax_error_value(vm, &error, filename, source))
}

/// The SyntaxError (or IndentationError/TabError) object for a compile error.
pub fn syntax_error_value(
    vm: &mut Vm,
    error: &crate::compiler::CompileError,
    filename: &str,
    source: &str,
) -> Value {
    use crate::compiler::CompileErrorKind;
    let class = match error.kind {
        CompileErrorKind::SyntaxError => vm.types.exc.syntax_error,
        CompileErrorKind::IndentationError => vm.types.exc.indentation_error,
        CompileErrorKind::TabError => vm.types.exc.tab_error,
    };
    let message = vm.new_str(error.message.as_str());
    let file = vm.new_str(filename);
    let line = Value::small_int_unchecked(error.line as i64);
    let column = Value::small_int_unchecked(error.column as i64);
    let text_line = source
        .lines()
        .nth(error.line.saturating_sub(1) as usize)
        .map(|text| format!("{text}\n"))
        .unwrap_or_default();
    let text = vm.new_str(text_line);
    let details = vm.new_tuple(vec![file, line, column, text]);
    vm.new_exception(class, vec![message, details])
}

/// Runs a code object with the given namespaces (module level).
pub fn run_code(
    vm: &mut Vm,
    code: &'static CodeObject,
    globals: Value,
    locals: Value,
) -> PyResult<Value> {
    let frame = module_frame(vm, code, globals, locals);
    if vm.nesting == 0 && vm.depth == 0 {
        step::run_frame(vm, frame)
    } else {
        step::run_nested(vm, frame)
    }
}

/// The frame that runs module-level (or class-body, or exec'd) code.
pub fn module_frame(
    vm: &mut Vm,
    code: &'static CodeObject,
    globals: Value,
    locals: Value,
) -> Box<frame::Frame> {
    // The namespace's own `__builtins__` (a dict or a module), as `exec`
    // with `{"__builtins__": {}}` relies on.
    let builtins = match ops::dict_get_str(globals, "__builtins__") {
        Some(dict) if ops::dict_of(dict).is_some() => dict,
        Some(module) if matches!(ops::kind_of(module), Some(ObjKind::Module { .. })) => module
            .as_obj()
            .map(|obj| obj.dict())
            .filter(|dict| !dict.is_null())
            .unwrap_or(vm.builtins),
        _ => vm.builtins,
    };
    let serial = vm.next_frame_serial();
    Box::new(frame::Frame {
        code,
        pc: 0,
        slots: Vec::with_capacity(code.max_stack as usize),
        stack_base: 0,
        globals,
        builtins,
        locals_dict: locals,
        locals_snapshot: Value::NULL,
        function: Value::NULL,
        on_return: frame::ReturnMode::Push,
        serial,
    })
}

/// Compiles and runs module source in `namespace` (imports, scripts).
pub fn run_source_in(
    vm: &mut Vm,
    source: &str,
    filename: &str,
    namespace: Value,
) -> PyResult<Value> {
    let code = compile_or_raise(vm, source, filename, crate::compiler::Mode::Exec)?;
    run_code(vm, code, namespace, namespace)
}

/// Creates `__main__` with `sys.argv` and `sys.path` set; returns its dict.
pub fn main_namespace(
    vm: &mut Vm,
    filename: &str,
    directory: &str,
    argv: Vec<String>,
) -> PyResult<Value> {
    let module = crate::builtins::new_module(vm, "__main__");
    let dict = module.as_obj().expect("module").dict();
    let modules = vm.modules;
    let key = vm.new_str("__main__");
    ops::dict_set(vm, modules, key, module)?;
    let builtins_key = vm.intern("__builtins__");
    let builtins = vm.builtins;
    ops::dict_set_str(vm, dict, builtins_key, builtins);
    if filename != "<stdin>" && filename != "<string>" {
        let file_key = vm.intern("__file__");
        let file_value = vm.new_str(filename);
        ops::dict_set_str(vm, dict, file_key, file_value);
    }
    vm.roots.push(module);
    let sys_name = vm.intern("sys");
    let none = Value::NONE;
    let sys = crate::builtins::import::import_name(
        vm,
        sys_name,
        none,
        Value::small_int_unchecked(0),
        dict,
    )?;
    let argv_values: Vec<Value> = argv.iter().map(|arg| vm.new_str(arg.as_str())).collect();
    let argv_list = vm.new_list(argv_values);
    let argv_key = vm.intern("argv");
    ops::setattr(vm, sys, argv_key, argv_list)?;
    let path_key = vm.intern("path");
    let path_list = ops::getattr(vm, sys, path_key)?;
    let directory_value = vm.new_str(directory);
    if let Some(list) = ops::list_of(path_list) {
        list.insert_at(|_| 0, directory_value);
    }
    Ok(dict)
}

/// Runs a script as `__main__` (the `protopy FILE` entry point), then
/// waits for its threads ([`shutdown_threads`]).
pub fn run_main_module(
    vm: &mut Vm,
    source: &str,
    filename: &str,
    directory: &str,
    argv: Vec<String>,
) -> PyResult<()> {
    run_main_module_reporting(vm, source, filename, directory, argv, |_, result| result)
}

/// [`run_main_module`], calling `report` with how the module ended before
/// waiting for the threads still running: CPython prints an uncaught
/// exception (or `sys.exit`'s message) before it waits for them.
pub fn run_main_module_reporting<R>(
    vm: &mut Vm,
    source: &str,
    filename: &str,
    directory: &str,
    argv: Vec<String>,
    report: impl FnOnce(&mut Vm, PyResult<()>) -> R,
) -> R {
    let result = main_namespace(vm, filename, directory, argv)
        .and_then(|namespace| run_source_in(vm, source, filename, namespace))
        .map(|_| ());
    let reported = report(vm, result);
    shutdown_threads(vm);
    reported
}

/// At exit, as CPython does: `threading._shutdown()` waits for every
/// non-daemon thread (when `threading` was imported). A deadlock found
/// there is reported unless the program already ended with one (the same
/// blocked threads: CPython would hang instead).
pub fn shutdown_threads(vm: &mut Vm) {
    let deadlocks_before = vm.threads.deadlocks_raised;
    let Some(threading) = ops::dict_get_str(vm.modules, "threading") else {
        return;
    };
    let Ok(shutdown) = ops::getattr_str(vm, threading, "_shutdown") else {
        return;
    };
    let result = match call::prepare_call(vm, shutdown, &[], &[]) {
        Ok(call::CallOutcome::Frame(frame)) => step::run_frame(vm, frame),
        Ok(call::CallOutcome::Value(value)) => Ok(value),
        Err(error) => Err(error),
    };
    if let Err(error) = result {
        let repeated_deadlock =
            deadlocks_before > 0 && vm.threads.deadlocks_raised > deadlocks_before;
        if !repeated_deadlock && !vm.is_instance(error, vm.types.exc.system_exit) {
            let text = unwind::format_exception(vm, error);
            vm.host.write_stderr(&text);
        }
    }
}

/// The `--dis` listing of a code object and its nested code.
pub fn disassemble(vm: &mut Vm, code: &'static CodeObject) -> String {
    let mut describe = |value: Value| ops::repr_string(vm, value).unwrap_or_else(|_| "?".into());
    crate::bytecode::dis::disassemble(code, &mut describe, &|value| code_of(value))
}

// ---- payload accessors (free functions: they need no Vm) -------------------------

/// The text of a str (or str subclass) object.
#[inline]
pub fn str_of(value: Value) -> Option<&'static str> {
    match &value.as_obj()?.kind {
        ObjKind::Str(s) => Some(s.as_str()),
        _ => None,
    }
}

#[inline]
pub fn pystr_of(value: Value) -> Option<&'static PyStr> {
    match &value.as_obj()?.kind {
        ObjKind::Str(s) => Some(s),
        _ => None,
    }
}

#[inline]
pub fn type_obj(value: Value) -> Option<&'static TypeObj> {
    match &value.as_obj()?.kind {
        ObjKind::Type(class) => Some(class),
        _ => None,
    }
}

pub fn code_of(value: Value) -> Option<&'static CodeObject> {
    match &value.as_obj()?.kind {
        ObjKind::Code(code) => Some(code),
        _ => None,
    }
}

/// The `__name__` of a class object.
pub fn class_name(class: Value) -> String {
    type_obj(class)
        .map(|class| class.name.clone())
        .unwrap_or_else(|| "?".into())
}

#[inline]
pub fn tuple_items(value: Value) -> Option<&'static [Value]> {
    match &value.as_obj()?.kind {
        ObjKind::Tuple(items) => Some(items),
        _ => None,
    }
}

#[inline]
pub fn exc_data(value: Value) -> Option<&'static ExcData> {
    match &value.as_obj()?.kind {
        ObjKind::Exception(data) => Some(data),
        _ => None,
    }
}
