//! The backtracking matcher: runs a [`Program`] over a slice of code
//! points with an explicit choice stack (no Rust recursion except one
//! level per nested lookaround or atomic group, which the pattern's
//! nesting bounds) and an undo trail for captures and loop registers.
//! Semantics follow CPython's `_sre`: leftmost match, first alternative
//! first, greedy/lazy loops that stop after an empty iteration, `$`
//! before a final newline, and the "must advance" rule for empty matches
//! in scans (`findall`, `sub`, `split`).

use super::parser::Anchor;
use super::program::{fold_char, in_category, set_matches, Inst, Program, Test};
use crate::text::regex::parser::Category;

/// How a match must be anchored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// At the start position (`match`).
    Prefix,
    /// At the start position, through the end (`fullmatch`).
    Full,
    /// Anywhere from the start position on (`search`).
    Search,
}

/// A successful match: `spans[2g]`, `spans[2g + 1]` for every group
/// (-1 when unset), and the index of the last group closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub spans: Vec<isize>,
    pub last_index: Option<usize>,
}

enum Choice {
    /// Resume at `pc`, `pos`.
    Resume { pc: usize, pos: usize, trail: usize },
    /// A greedy single-character repeat that can give back characters
    /// down to `min`.
    GiveBack {
        next: usize,
        start: usize,
        count: usize,
        min: usize,
        trail: usize,
    },
    /// A lazy single-character repeat that can take one more character.
    TakeMore {
        next: usize,
        test: Test,
        pos: usize,
        count: usize,
        max: usize,
        trail: usize,
    },
    /// A lazy counted loop that can run one more iteration.
    Iterate {
        loop_pc: usize,
        pos: usize,
        trail: usize,
    },
}

struct Matcher<'a> {
    program: &'a Program,
    input: &'a [char],
    /// The end of the subject (`endpos`).
    end: usize,
    slots: Vec<isize>,
    /// The slot that records the last group closed.
    last_index_slot: usize,
    trail: Vec<(usize, isize)>,
    stack: Vec<Choice>,
}

/// Finds a match of `program` in `input[..end]` starting at (Prefix,
/// Full) or from (Search) `start`. With `must_advance`, an empty match at
/// `start` is not accepted.
pub fn find(
    program: &Program,
    input: &[char],
    start: usize,
    end: usize,
    mode: Mode,
    must_advance: bool,
) -> Option<Found> {
    if start > end {
        return None;
    }
    let slot_count = program.slot_count + 1;
    let mut matcher = Matcher {
        program,
        input,
        end,
        slots: vec![-1; slot_count],
        last_index_slot: program.slot_count,
        trail: Vec::new(),
        stack: Vec::new(),
    };
    let required_end = if mode == Mode::Full { Some(end) } else { None };
    let mut attempt = start;
    loop {
        if mode == Mode::Search && attempt != start {
            if program.anchored_start && attempt > 0 {
                return None;
            }
            if let Some(first) = program.first_char {
                match input[attempt..end].iter().position(|&c| c == first) {
                    Some(offset) => attempt += offset,
                    None => return None,
                }
            }
        }
        let reject_empty_at = if must_advance && attempt == start {
            Some(start)
        } else {
            None
        };
        if let Some(match_end) = matcher.run(0, attempt, required_end, reject_empty_at) {
            let mut spans = matcher.slots[..2 * (program.groups + 1)].to_vec();
            spans[0] = attempt as isize;
            spans[1] = match_end as isize;
            let last = matcher.slots[matcher.last_index_slot];
            return Some(Found {
                spans,
                last_index: (last >= 0).then_some(last as usize),
            });
        }
        if mode != Mode::Search || attempt >= end {
            return None;
        }
        attempt += 1;
        matcher.slots.iter_mut().for_each(|slot| *slot = -1);
        matcher.trail.clear();
    }
}

fn is_word(c: char, ascii: bool) -> bool {
    in_category(c, Category::Word, ascii)
}

impl<'a> Matcher<'a> {
    fn set_slot(&mut self, slot: usize, value: isize) {
        self.trail.push((slot, self.slots[slot]));
        self.slots[slot] = value;
    }

    fn undo_to(&mut self, length: usize) {
        while self.trail.len() > length {
            let (slot, value) = self.trail.pop().expect("trail entry");
            self.slots[slot] = value;
        }
    }

    fn test(&self, test: Test, pos: usize) -> bool {
        if pos >= self.end {
            return false;
        }
        let c = self.input[pos];
        match test {
            Test::Char(expected) => c == expected,
            Test::Fold { folded, ascii } => fold_char(c, ascii) == folded,
            Test::Any => c != '\n',
            Test::AnyAll => true,
            Test::Set(index) => set_matches(&self.program.sets[index], c),
        }
    }

    fn word_at(&self, pos: usize, ascii: bool) -> bool {
        pos < self.end && is_word(self.input[pos], ascii)
    }

    fn anchor(&self, anchor: Anchor, pos: usize) -> bool {
        let end = self.end;
        match anchor {
            Anchor::Start | Anchor::StartText => pos == 0,
            Anchor::StartLine => pos == 0 || self.input[pos - 1] == '\n',
            Anchor::End => pos == end || (pos + 1 == end && self.input[pos] == '\n'),
            Anchor::EndLine => pos == end || self.input[pos] == '\n',
            Anchor::EndText => pos == end,
            Anchor::WordBoundary { ascii } => {
                if end == 0 {
                    return false;
                }
                let before = pos > 0 && is_word(self.input[pos - 1], ascii);
                before != self.word_at(pos, ascii)
            }
            Anchor::NotWordBoundary { ascii } => {
                if end == 0 {
                    return false;
                }
                let before = pos > 0 && is_word(self.input[pos - 1], ascii);
                before == self.word_at(pos, ascii)
            }
        }
    }

    fn group_span(&self, group: usize) -> Option<(usize, usize)> {
        let start = self.slots[2 * group];
        let end = self.slots[2 * group + 1];
        (start >= 0 && end >= start).then_some((start as usize, end as usize))
    }

    /// Runs from `pc` at `pos` until a `Succeed` accepts; returns the end
    /// position. Choices pushed here are discarded on return (a sub-run
    /// is atomic); on failure the trail is undone to where it started.
    fn run(
        &mut self,
        mut pc: usize,
        mut pos: usize,
        required_end: Option<usize>,
        reject_empty_at: Option<usize>,
    ) -> Option<usize> {
        let base = self.stack.len();
        let trail_base = self.trail.len();
        let program = self.program;
        let insts = &program.insts;
        loop {
            let ok = match insts[pc] {
                Inst::Test(test) => {
                    let ok = self.test(test, pos);
                    pos += 1;
                    pc += 1;
                    ok
                }
                Inst::Repeat {
                    test,
                    min,
                    max,
                    greedy,
                } => {
                    if greedy {
                        let mut count = 0;
                        while count < max && self.test(test, pos + count) {
                            count += 1;
                        }
                        if count < min {
                            false
                        } else {
                            if count > min {
                                self.stack.push(Choice::GiveBack {
                                    next: pc + 1,
                                    start: pos,
                                    count,
                                    min,
                                    trail: self.trail.len(),
                                });
                            }
                            pos += count;
                            pc += 1;
                            true
                        }
                    } else {
                        let mut count = 0;
                        while count < min && self.test(test, pos + count) {
                            count += 1;
                        }
                        if count < min {
                            false
                        } else {
                            pos += count;
                            if count < max {
                                self.stack.push(Choice::TakeMore {
                                    next: pc + 1,
                                    test,
                                    pos,
                                    count,
                                    max,
                                    trail: self.trail.len(),
                                });
                            }
                            pc += 1;
                            true
                        }
                    }
                }
                Inst::Assert(anchor) => {
                    pc += 1;
                    self.anchor(anchor, pos)
                }
                Inst::Split { primary, secondary } => {
                    self.stack.push(Choice::Resume {
                        pc: secondary,
                        pos,
                        trail: self.trail.len(),
                    });
                    pc = primary;
                    true
                }
                Inst::Jump(target) => {
                    pc = target;
                    true
                }
                Inst::SaveStart(group) => {
                    self.set_slot(2 * group, pos as isize);
                    pc += 1;
                    true
                }
                Inst::SaveEnd(group) => {
                    self.set_slot(2 * group + 1, pos as isize);
                    self.set_slot(self.last_index_slot, group as isize);
                    pc += 1;
                    true
                }
                Inst::LoopInit { slot } => {
                    self.set_slot(slot, 0);
                    self.set_slot(slot + 1, -1);
                    pc += 1;
                    true
                }
                Inst::Loop {
                    slot,
                    min,
                    max,
                    greedy,
                    body,
                    exit,
                } => {
                    let count = self.slots[slot] as usize;
                    let last_start = self.slots[slot + 1];
                    if count < min {
                        self.set_slot(slot, count as isize + 1);
                        self.set_slot(slot + 1, pos as isize);
                        pc = body;
                    } else if count >= max || (count > 0 && last_start == pos as isize) {
                        pc = exit;
                    } else if greedy {
                        self.stack.push(Choice::Resume {
                            pc: exit,
                            pos,
                            trail: self.trail.len(),
                        });
                        self.set_slot(slot, count as isize + 1);
                        self.set_slot(slot + 1, pos as isize);
                        pc = body;
                    } else {
                        self.stack.push(Choice::Iterate {
                            loop_pc: pc,
                            pos,
                            trail: self.trail.len(),
                        });
                        pc = exit;
                    }
                    true
                }
                Inst::Backref {
                    group,
                    ignore_case,
                    ascii,
                } => match self.group_span(group) {
                    None => false,
                    Some((start, stop)) => {
                        let length = stop - start;
                        if pos + length > self.end {
                            false
                        } else {
                            let same = (0..length).all(|offset| {
                                let a = self.input[start + offset];
                                let b = self.input[pos + offset];
                                a == b
                                    || (ignore_case && fold_char(a, ascii) == fold_char(b, ascii))
                            });
                            pos += length;
                            pc += 1;
                            same
                        }
                    }
                },
                Inst::Look {
                    behind,
                    negate,
                    width,
                    next,
                } => {
                    let matched = if behind {
                        if pos < width {
                            false
                        } else {
                            self.run(pc + 1, pos - width, Some(pos), None).is_some()
                        }
                    } else {
                        self.run(pc + 1, pos, None, None).is_some()
                    };
                    if matched && negate {
                        // Captures made inside a negative lookaround do not survive.
                        false
                    } else {
                        pc = next;
                        matched != negate
                    }
                }
                Inst::Atomic { next } => match self.run(pc + 1, pos, None, None) {
                    Some(body_end) => {
                        pos = body_end;
                        pc = next;
                        true
                    }
                    None => false,
                },
                Inst::IfGroup { group, no } => {
                    if self.group_span(group).is_some() {
                        pc += 1;
                    } else {
                        pc = no;
                    }
                    true
                }
                Inst::Succeed => {
                    let accepted =
                        required_end.is_none_or(|end| end == pos) && reject_empty_at != Some(pos);
                    if accepted {
                        self.stack.truncate(base);
                        return Some(pos);
                    }
                    false
                }
            };
            if ok {
                continue;
            }
            // Backtrack to the most recent choice of this run.
            loop {
                if self.stack.len() == base {
                    self.undo_to(trail_base);
                    return None;
                }
                match self.stack.pop().expect("a choice") {
                    Choice::Resume {
                        pc: resume_pc,
                        pos: resume_pos,
                        trail,
                    } => {
                        self.undo_to(trail);
                        pc = resume_pc;
                        pos = resume_pos;
                        break;
                    }
                    Choice::GiveBack {
                        next,
                        start,
                        mut count,
                        min,
                        trail,
                    } => {
                        self.undo_to(trail);
                        count -= 1;
                        // Skip give-backs that cannot be followed by a
                        // required literal.
                        if let Inst::Test(Test::Char(c)) = insts[next] {
                            while count > min
                                && (start + count >= self.end || self.input[start + count] != c)
                            {
                                count -= 1;
                            }
                        }
                        if count > min {
                            self.stack.push(Choice::GiveBack {
                                next,
                                start,
                                count,
                                min,
                                trail,
                            });
                        }
                        pc = next;
                        pos = start + count;
                        break;
                    }
                    Choice::TakeMore {
                        next,
                        test,
                        pos: at,
                        count,
                        max,
                        trail,
                    } => {
                        self.undo_to(trail);
                        if !self.test(test, at) {
                            continue;
                        }
                        if count + 1 < max {
                            self.stack.push(Choice::TakeMore {
                                next,
                                test,
                                pos: at + 1,
                                count: count + 1,
                                max,
                                trail,
                            });
                        }
                        pc = next;
                        pos = at + 1;
                        break;
                    }
                    Choice::Iterate {
                        loop_pc,
                        pos: at,
                        trail,
                    } => {
                        self.undo_to(trail);
                        let Inst::Loop { slot, body, .. } = insts[loop_pc] else {
                            unreachable!("Iterate choices belong to loops")
                        };
                        let count = self.slots[slot];
                        self.set_slot(slot, count + 1);
                        self.set_slot(slot + 1, at as isize);
                        pc = body;
                        pos = at;
                        break;
                    }
                }
            }
        }
    }
}
