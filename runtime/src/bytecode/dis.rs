//! The disassembler behind `protopy --dis`: prints a code object's
//! instructions grouped by basic block, then its exception table, then
//! every nested code object.

use std::fmt::Write;

use crate::bytecode::code::CodeObject;
use crate::bytecode::opcodes::{BinaryOp, CompareOp, Operand};
use crate::value::Value;

/// Renders `code` and its nested code objects. `describe` turns a constant
/// or name into text (the caller owns repr); `nested` picks code objects
/// out of the constants.
pub fn disassemble(
    code: &CodeObject,
    describe: &mut dyn FnMut(Value) -> String,
    nested: &dyn Fn(Value) -> Option<&'static CodeObject>,
) -> String {
    let mut out = String::new();
    let mut pending = vec![code];
    let mut first = true;
    while let Some(code) = pending.pop() {
        if !first {
            out.push('\n');
        }
        first = false;
        disassemble_one(code, describe, &mut out);
        for constant in code.consts.iter().rev() {
            if let Some(inner) = nested(*constant) {
                pending.push(inner);
            }
        }
    }
    out
}

fn disassemble_one(code: &CodeObject, describe: &mut dyn FnMut(Value) -> String, out: &mut String) {
    let _ = writeln!(
        out,
        "Disassembly of <code object {}> (line {}):",
        describe_name(code.qualname, describe),
        code.first_line
    );
    let mut last_line = 0;
    for (block_index, (start, end)) in code.blocks.ranges().into_iter().enumerate() {
        let _ = writeln!(out, "  block {block_index}: [{start}, {end})");
        for pc in start..end {
            let instruction = code.instructions[pc as usize];
            let line = code.line_of(pc as usize);
            let line_text = if line != last_line {
                format!("{line:>4}")
            } else {
                "    ".to_string()
            };
            last_line = line;
            let detail = match instruction.op.operand() {
                Operand::None => String::new(),
                Operand::Const => format!(
                    "{} ({})",
                    instruction.arg,
                    describe(code.consts[instruction.arg as usize])
                ),
                Operand::Local => format!(
                    "{} ({})",
                    instruction.arg,
                    describe_name(code.varnames[instruction.arg as usize], describe)
                ),
                Operand::Name => format!(
                    "{} ({})",
                    instruction.arg,
                    describe_name(code.names[instruction.arg as usize], describe)
                ),
                Operand::Deref => {
                    let index = instruction.arg as usize;
                    let name = code
                        .cellvars
                        .get(index)
                        .or_else(|| code.freevars.get(index - code.cellvars.len()))
                        .copied()
                        .unwrap_or(Value::NONE);
                    format!("{} ({})", instruction.arg, describe_name(name, describe))
                }
                Operand::Jump => format!("to {}", instruction.arg),
                Operand::Count | Operand::Raw => format!("{}", instruction.arg),
                Operand::BinaryOp => {
                    let (op, inplace) = BinaryOp::from_arg(instruction.arg);
                    format!(
                        "{} ({}{})",
                        instruction.arg,
                        op.symbol(),
                        if inplace { "=" } else { "" }
                    )
                }
                Operand::CompareOp => format!(
                    "{} ({})",
                    instruction.arg,
                    CompareOp::from_arg(instruction.arg).symbol()
                ),
            };
            let _ = writeln!(
                out,
                "{line_text} {pc:>6} {:<24}{detail}",
                instruction.op.name()
            );
        }
    }
    if !code.exception_table.is_empty() {
        let _ = writeln!(out, "ExceptionTable:");
        for entry in &code.exception_table {
            let _ = writeln!(
                out,
                "  {} to {} -> {} [{}]",
                entry.start, entry.end, entry.handler, entry.depth
            );
        }
    }
}

fn describe_name(name: Value, describe: &mut dyn FnMut(Value) -> String) -> String {
    let text = describe(name);
    text.trim_matches('\'').to_string()
}
