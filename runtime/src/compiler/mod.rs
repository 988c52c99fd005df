//! The compiler: source text -> `rustpython-parser` AST -> code objects.
//!
//! `symtable.rs` decides where every name lives, `codegen.rs` emits
//! instructions (with CPython-3.11-style exception tables: no run-time block
//! stack), and `blocks.rs` builds the basic-block table the engine runs by.
//! Syntax errors come back as [`CompileError`] with CPython's wording where
//! we know it.

pub mod blocks;
pub mod codegen;
mod patterns;
pub mod symtable;
mod syntax_errors;

pub use codegen::{compile, Mode};

/// Which exception a compile error becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompileErrorKind {
    SyntaxError,
    IndentationError,
    TabError,
}

impl CompileErrorKind {
    pub fn name(self) -> &'static str {
        match self {
            CompileErrorKind::SyntaxError => "SyntaxError",
            CompileErrorKind::IndentationError => "IndentationError",
            CompileErrorKind::TabError => "TabError",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError {
    pub kind: CompileErrorKind,
    pub message: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column of the caret (0 = unknown).
    pub column: u32,
    /// 1-based column where the caret range ends (0 = one caret).
    pub end_column: u32,
}

impl CompileError {
    pub fn syntax(message: String, line: u32, column: u32) -> CompileError {
        CompileError {
            kind: CompileErrorKind::SyntaxError,
            message,
            line,
            column,
            end_column: 0,
        }
    }
}

/// Byte offset -> line/column conversion for one source text.
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(source: &str) -> LineIndex {
        let mut starts = vec![0u32];
        for (offset, byte) in source.bytes().enumerate() {
            if byte == b'\n' {
                starts.push(offset as u32 + 1);
            }
        }
        LineIndex { starts }
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: u32) -> u32 {
        self.starts.partition_point(|start| *start <= offset) as u32
    }

    /// 1-based column (in characters) of a byte offset.
    pub fn column(&self, source: &str, offset: u32) -> u32 {
        let line = self.line(offset);
        let start = self.starts[(line - 1) as usize] as usize;
        let end = (offset as usize).min(source.len());
        source
            .get(start..end)
            .map(|text| text.chars().count() as u32 + 1)
            .unwrap_or(1)
    }
}
