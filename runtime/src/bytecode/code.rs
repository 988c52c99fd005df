//! `CodeObject`: the compiled form of one function, class body, module or
//! comprehension — instructions, constants, names, line table, exception
//! table and basic-block table.
//!
//! Code objects are immortal and immutable once built, so frames and
//! functions hold them as `&'static CodeObject`.

use crate::bytecode::opcodes::Instruction;
use crate::compiler::blocks::BlockTable;
use crate::value::Value;

/// Code flags (`co_flags`-like).
pub mod code_flags {
    pub const VARARGS: u32 = 0x04;
    pub const VARKEYWORDS: u32 = 0x08;
    pub const NESTED: u32 = 0x10;
    pub const GENERATOR: u32 = 0x20;
    /// The code runs with a locals dict (module and class bodies).
    pub const NAMESPACE: u32 = 0x1000;
    /// A class body that returns its `__class__` cell.
    pub const CLASS_BODY: u32 = 0x2000;
    /// A loop a built-in function handed to Python code
    /// (`builtins/loops.rs`): its frames stay out of tracebacks, as the
    /// built-in's C loop has none in CPython.
    pub const HIDDEN: u32 = 0x4000;
}

/// A protected range [start, end) whose exceptions go to `handler` with the
/// value stack cut to `depth` items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExceptionEntry {
    pub start: u32,
    pub end: u32,
    pub handler: u32,
    pub depth: u32,
}

pub struct CodeObject {
    pub name: Value,
    pub qualname: Value,
    pub filename: Value,
    pub first_line: u32,
    pub instructions: Vec<Instruction>,
    /// Source line of each instruction.
    pub lines: Vec<u32>,
    pub consts: Vec<Value>,
    pub names: Vec<Value>,
    /// Local variable names; parameters first.
    pub varnames: Vec<Value>,
    pub cellvars: Vec<Value>,
    pub freevars: Vec<Value>,
    /// Parameters that live in cells: (cell index, parameter's local index).
    pub cell_parameters: Vec<(u32, u32)>,
    pub arg_count: u32,
    pub posonly_count: u32,
    pub kwonly_count: u32,
    pub flags: u32,
    pub exception_table: Vec<ExceptionEntry>,
    pub blocks: BlockTable,
    /// A deep enough value stack for any path through the code.
    pub max_stack: u32,
    pub docstring: Value,
    /// The text this code was compiled from (traceback lines).
    pub source: std::sync::Arc<str>,
    /// The code object's own Value, set once when it is made immortal.
    pub value: std::sync::OnceLock<Value>,
    /// LOAD_GLOBAL's inline cache, one entry per name (see `GlobalCache`),
    /// read and refilled by every thread running this code.
    pub global_cache: Box<[crate::objects::seqcell::SeqCell<5>]>,
}

/// Where LOAD_GLOBAL last found a name: the entry slot in the globals (or
/// builtins) dict, valid while that dict is the same object and its
/// layout version (bumped by every insertion or removal) is unchanged.
/// Values are read from the slot each time, so rebinding a global never
/// serves a stale value.
#[derive(Clone, Copy, Debug, Default)]
pub struct GlobalCache {
    pub globals: u64,
    pub globals_version: u64,
    /// Non-zero when the name was found in builtins (globals lacked it).
    pub builtins: u64,
    pub builtins_version: u64,
    pub slot: u32,
}

impl GlobalCache {
    /// The entry for `name`'s cache cell, `None` if never filled (or
    /// being refilled by another thread).
    #[inline(always)]
    pub fn load(cell: &crate::objects::seqcell::SeqCell<5>) -> Option<GlobalCache> {
        let [globals, globals_version, builtins, builtins_version, slot] = cell.read()?;
        Some(GlobalCache {
            globals,
            globals_version,
            builtins,
            builtins_version,
            slot: slot as u32,
        })
    }

    pub fn store(self, cell: &crate::objects::seqcell::SeqCell<5>) {
        cell.write([
            self.globals,
            self.globals_version,
            self.builtins,
            self.builtins_version,
            self.slot as u64,
        ]);
    }
}

impl CodeObject {
    pub fn has_flag(&self, flag: u32) -> bool {
        self.flags & flag != 0
    }

    /// Number of slots before the value stack: locals, then cells and free
    /// variables.
    pub fn frame_slots(&self) -> usize {
        self.varnames.len() + self.cellvars.len() + self.freevars.len()
    }

    pub fn line_of(&self, pc: usize) -> u32 {
        self.lines.get(pc).copied().unwrap_or(self.first_line)
    }

    /// The innermost handler covering `pc`.
    pub fn handler_for(&self, pc: usize) -> Option<ExceptionEntry> {
        let pc = pc as u32;
        self.exception_table
            .iter()
            .find(|entry| entry.start <= pc && pc < entry.end)
            .copied()
    }

    /// Total parameter slots (positional, keyword-only, *args, **kwargs).
    pub fn total_parameters(&self) -> usize {
        let mut count = (self.arg_count + self.kwonly_count) as usize;
        if self.has_flag(code_flags::VARARGS) {
            count += 1;
        }
        if self.has_flag(code_flags::VARKEYWORDS) {
            count += 1;
        }
        count
    }
}
