//! The basic-block table of a code object.
//!
//! A block starts at the entry, at every jump target, at every exception
//! handler and after every instruction that ends a block; a block ends at
//! a jump, a branch, a return/raise/yield or a `for`-iteration (the opcode
//! flags in `bytecode/opcodes.rs` say which; this file lists no opcodes).
//! The engine runs a code object one block at a time through
//! `execute_range(pc, block_end)`.

use std::collections::BTreeSet;

use crate::bytecode::code::ExceptionEntry;
use crate::bytecode::opcodes::Instruction;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlockTable {
    /// First instruction of each block, ascending.
    pub starts: Vec<u32>,
    /// For each instruction, the end (exclusive) of its block.
    end_of: Vec<u32>,
}

impl BlockTable {
    pub fn analyze(instructions: &[Instruction], exception_table: &[ExceptionEntry]) -> BlockTable {
        let count = instructions.len();
        let mut leaders = BTreeSet::new();
        if count > 0 {
            leaders.insert(0u32);
        }
        for (pc, instruction) in instructions.iter().enumerate() {
            if instruction.op.has_jump_target() {
                leaders.insert(instruction.arg);
            }
            if instruction.op.ends_block() && pc + 1 < count {
                leaders.insert(pc as u32 + 1);
            }
        }
        for entry in exception_table {
            leaders.insert(entry.handler);
        }
        let starts: Vec<u32> = leaders
            .into_iter()
            .filter(|start| (*start as usize) < count)
            .collect();
        let mut end_of = vec![0u32; count];
        for (index, start) in starts.iter().enumerate() {
            let end = starts.get(index + 1).copied().unwrap_or(count as u32);
            for slot in &mut end_of[*start as usize..end as usize] {
                *slot = end;
            }
        }
        BlockTable { starts, end_of }
    }

    /// End (exclusive) of the block containing `pc`.
    #[inline(always)]
    pub fn end_of(&self, pc: usize) -> usize {
        self.end_of[pc] as usize
    }

    /// The blocks as [start, end) ranges.
    pub fn ranges(&self) -> Vec<(u32, u32)> {
        self.starts
            .iter()
            .map(|start| (*start, self.end_of[*start as usize]))
            .collect()
    }
}
