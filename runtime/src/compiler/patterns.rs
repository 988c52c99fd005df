//! The `match` statement (PEP 634): compiles patterns into tests.
//!
//! Not implemented yet: compiling a `match` statement reports a
//! SyntaxError naming the missing feature, so programs fail loudly.

use rustpython_parser::ast;

use super::codegen::PatternEmitter;
use super::CompileError;

pub(super) fn compile_match<'a>(
    emitter: &mut impl PatternEmitter<'a>,
    statement: &'a ast::StmtMatch,
) -> Result<(), CompileError> {
    Err(emitter.syntax_error(statement, "the match statement is not supported yet"))
}
