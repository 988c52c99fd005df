//! Heap frames: one per active Python call, owned by the task's frame
//! stack (or, while suspended, by a generator object).
//!
//! `slots` holds the fast locals, then the cell and free-variable cells,
//! then the value stack; `stack_base` is where the stack starts. A frame
//! never lives on the Rust stack between blocks: this is what makes the
//! engine stackless and every block boundary a safepoint.

use crate::bytecode::code::CodeObject;
use crate::heap::gc::Marker;
use crate::value::Value;

/// What happens to the value a frame returns (or yields).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReturnMode {
    /// Push the result onto the caller's stack.
    Push,
    /// An `__init__` call made by instantiating a class: check the result
    /// is None, then push the instance.
    Initializer { instance: Value },
    /// A generator frame resumed by the caller's FOR_ITER or SEND (the
    /// instruction just before the caller's pc).
    Generator { generator: Value },
    /// A Python `__next__` called by the caller's FOR_ITER (the
    /// instruction just before the caller's pc), or the function of a
    /// `map` it steps (`iterators::LoopStep::Call`): the result is pushed
    /// as with `Push`, and a StopIteration out of it ends the caller's
    /// loop.
    IteratorNext,
    /// The callable of an `iter(callable, sentinel)` called by the
    /// caller's FOR_ITER: a result equal to the sentinel ends the loop
    /// (and the iterator), any other is pushed; a StopIteration out of it
    /// ends them too.
    CallUntilNext { iterator: Value },
}

pub struct Frame {
    pub code: &'static CodeObject,
    /// Next instruction to run.
    pub pc: usize,
    pub slots: Vec<Value>,
    pub stack_base: usize,
    pub globals: Value,
    pub builtins: Value,
    /// The namespace dict of module and class bodies; `NULL` in functions.
    pub locals_dict: Value,
    /// A function frame's `locals()` dict, made on first use and refreshed
    /// from the fast locals at each use (names `exec` adds stay).
    pub locals_snapshot: Value,
    /// The function being run (`NULL` for module code).
    pub function: Value,
    pub on_return: ReturnMode,
    /// Identifies the frame in tracebacks.
    pub serial: u64,
}

impl Frame {
    #[inline(always)]
    pub fn push(&mut self, value: Value) {
        self.slots.push(value);
    }

    #[inline(always)]
    pub fn pop(&mut self) -> Value {
        debug_assert!(self.slots.len() > self.stack_base, "value stack underflow");
        self.slots.pop().unwrap_or(Value::NULL)
    }

    #[inline(always)]
    pub fn top(&self) -> Value {
        self.slots[self.slots.len() - 1]
    }

    /// The item `depth` places from the top (1 = top).
    #[inline(always)]
    pub fn peek(&self, depth: usize) -> Value {
        self.slots[self.slots.len() - depth]
    }

    #[inline(always)]
    pub fn stack_len(&self) -> usize {
        self.slots.len() - self.stack_base
    }

    pub fn truncate_stack(&mut self, depth: usize) {
        self.slots.truncate(self.stack_base + depth);
    }

    /// Line of the instruction being run (pc has moved past it).
    pub fn current_line(&self) -> u32 {
        self.code.line_of(self.pc.saturating_sub(1))
    }

    /// The frame's local namespace: the namespace dict of module and class
    /// bodies, or for a function its snapshot dict brought up to date with
    /// its bound locals and the contents of its cells (what `locals()`
    /// shows; unbound names are removed).
    pub fn locals_namespace(&mut self, vm: &mut crate::engine::Vm) -> Value {
        use crate::engine::ops;
        if !self.locals_dict.is_null() {
            return self.locals_dict;
        }
        if self.locals_snapshot.is_null() {
            self.locals_snapshot = vm.new_dict();
        }
        let dict = self.locals_snapshot;
        let code = self.code;
        let cell_names = code.cellvars.iter().chain(code.freevars.iter());
        let locals = code.varnames.iter().zip(self.slots.iter());
        let cells = cell_names.zip(self.slots.iter().skip(code.varnames.len()));
        let cell_values = cells.map(|(name, cell)| match ops::kind_of(*cell) {
            Some(crate::objects::ObjKind::Cell(contents)) => (name, contents.get()),
            _ => (name, Value::NULL),
        });
        let bindings: Vec<(Value, Value)> = locals
            .map(|(name, value)| (*name, *value))
            .chain(cell_values.map(|(name, value)| (*name, value)))
            .collect();
        for (name, value) in bindings {
            if value.is_null() {
                ops::dict_del_str(vm, dict, name);
            } else {
                ops::dict_set_str(vm, dict, name, value);
            }
        }
        dict
    }

    pub fn trace(&self, marker: &mut Marker) {
        marker.mark_all(&self.slots);
        marker.mark(self.globals);
        marker.mark(self.builtins);
        marker.mark(self.locals_dict);
        marker.mark(self.locals_snapshot);
        marker.mark(self.function);
        match self.on_return {
            ReturnMode::Push | ReturnMode::IteratorNext => {}
            ReturnMode::Initializer { instance } => marker.mark(instance),
            ReturnMode::Generator { generator } => marker.mark(generator),
            ReturnMode::CallUntilNext { iterator } => marker.mark(iterator),
        }
    }
}
