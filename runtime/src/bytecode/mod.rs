//! Bytecode: the opcode table, code objects and the disassembler.

pub mod code;
pub mod dis;
pub mod opcodes;
