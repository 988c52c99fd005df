//! The compiled form of a regular expression: a flat instruction list for
//! the backtracking matcher (`matcher.rs`), built from the parser's tree.
//! Group `g` captures into slots `2g` and `2g + 1`; counted loops keep
//! their iteration count and the position their last iteration started at
//! in two more slots each, so backtracking restores them like captures.

use super::parser::{
    width, Anchor, Category, CharSet, ErrorKind, Node, ParseError, Parsed, RepeatKind, SetItem,
    MAX_REPEAT,
};
use crate::text::strops;

/// A test of one character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Test {
    Char(char),
    /// Case-insensitive: compares case folds (`ascii`: only ASCII letters fold).
    Fold {
        folded: char,
        ascii: bool,
    },
    /// `.` without DOTALL.
    Any,
    /// `.` with DOTALL.
    AnyAll,
    Set(usize),
}

#[derive(Debug, Clone)]
pub enum Inst {
    Test(Test),
    /// A single-character test repeated `min..=max` times.
    Repeat {
        test: Test,
        min: usize,
        max: usize,
        greedy: bool,
    },
    Assert(Anchor),
    /// Try `primary`; on failure resume at `secondary`.
    Split {
        primary: usize,
        secondary: usize,
    },
    Jump(usize),
    SaveStart(usize),
    SaveEnd(usize),
    /// Resets a counted loop whose count is in slot `slot` (and the
    /// position its last iteration started at in `slot + 1`).
    LoopInit {
        slot: usize,
    },
    Loop {
        slot: usize,
        min: usize,
        max: usize,
        greedy: bool,
        body: usize,
        exit: usize,
    },
    Backref {
        group: usize,
        ignore_case: bool,
        ascii: bool,
    },
    /// A lookaround whose body starts at the next instruction and ends
    /// with `Succeed`; matching continues at `next`.
    Look {
        behind: bool,
        negate: bool,
        width: usize,
        next: usize,
    },
    /// An atomic group: body at the next instruction, ending with
    /// `Succeed`; continues at `next` without backtracking into it.
    Atomic {
        next: usize,
    },
    /// Falls through when `group` has matched, else jumps to `no`.
    IfGroup {
        group: usize,
        no: usize,
    },
    Succeed,
}

pub struct Program {
    pub insts: Vec<Inst>,
    pub sets: Vec<CharSet>,
    /// Capturing groups (group 0 not counted).
    pub groups: usize,
    /// Total slots: captures, then loop registers.
    pub slot_count: usize,
    pub flags: u32,
    pub names: Vec<(String, usize)>,
    /// A character every match must start with, for skipping ahead.
    pub first_char: Option<char>,
    /// True when every match must start at position 0.
    pub anchored_start: bool,
}

struct Compiler<'a> {
    insts: Vec<Inst>,
    sets: Vec<CharSet>,
    slot_count: usize,
    group_widths: &'a [(u64, u64)],
}

fn compile_error(message: &str) -> ParseError {
    ParseError {
        kind: ErrorKind::Pattern,
        message: message.into(),
        pos: None,
    }
}

/// Compiles a parsed pattern.
pub fn compile(parsed: Parsed) -> Result<Program, ParseError> {
    let mut compiler = Compiler {
        insts: Vec::new(),
        sets: Vec::new(),
        slot_count: 2 * (parsed.groups + 1),
        group_widths: &parsed.group_widths,
    };
    compiler.emit_node(&parsed.root)?;
    compiler.insts.push(Inst::Succeed);
    let first_char = match compiler
        .insts
        .iter()
        .find(|inst| !matches!(inst, Inst::SaveStart(_)))
    {
        Some(Inst::Test(Test::Char(c))) => Some(*c),
        Some(Inst::Repeat {
            test: Test::Char(c),
            min,
            ..
        }) if *min > 0 => Some(*c),
        _ => None,
    };
    let anchored_start = matches!(
        compiler
            .insts
            .iter()
            .find(|inst| !matches!(inst, Inst::SaveStart(_))),
        Some(Inst::Assert(Anchor::Start | Anchor::StartText))
    );
    Ok(Program {
        insts: compiler.insts,
        sets: compiler.sets,
        groups: parsed.groups,
        slot_count: compiler.slot_count,
        flags: parsed.flags,
        names: parsed.names,
        first_char,
        anchored_start,
    })
}

/// The single-character test a node is, if it is one.
fn single_test(node: &Node) -> Option<TestNode<'_>> {
    match node {
        Node::Char {
            c,
            ignore_case,
            ascii,
        } => Some(TestNode::Char(*c, *ignore_case, *ascii)),
        Node::Any { dotall } => Some(TestNode::Any(*dotall)),
        Node::Set(set) => Some(TestNode::Set(set)),
        Node::Group { index: None, body } => single_test(body),
        _ => None,
    }
}

enum TestNode<'a> {
    Char(char, bool, bool),
    Any(bool),
    Set(&'a CharSet),
}

impl<'a> Compiler<'a> {
    fn pc(&self) -> usize {
        self.insts.len()
    }

    fn test_of(&mut self, node: TestNode<'_>) -> Test {
        match node {
            TestNode::Char(c, true, ascii) if fold_char(c, ascii) != c || has_case(c, ascii) => {
                Test::Fold {
                    folded: fold_char(c, ascii),
                    ascii,
                }
            }
            TestNode::Char(c, _, _) => Test::Char(c),
            TestNode::Any(true) => Test::AnyAll,
            TestNode::Any(false) => Test::Any,
            TestNode::Set(set) => {
                self.sets.push(set.clone());
                Test::Set(self.sets.len() - 1)
            }
        }
    }

    fn emit_node(&mut self, node: &Node) -> Result<(), ParseError> {
        if let Some(test) = single_test(node) {
            let test = self.test_of(test);
            self.insts.push(Inst::Test(test));
            return Ok(());
        }
        match node {
            Node::Empty => {}
            Node::Char { .. } | Node::Any { .. } | Node::Set(_) => unreachable!("single tests"),
            Node::Assert(anchor) => self.insts.push(Inst::Assert(*anchor)),
            Node::Group { index, body } => {
                if let Some(index) = index {
                    self.insts.push(Inst::SaveStart(*index));
                    self.emit_node(body)?;
                    self.insts.push(Inst::SaveEnd(*index));
                } else {
                    self.emit_node(body)?;
                }
            }
            Node::Concat(items) => {
                for item in items {
                    self.emit_node(item)?;
                }
            }
            Node::Alternate(branches) => {
                let mut jumps_to_end = Vec::new();
                for (position, branch) in branches.iter().enumerate() {
                    if position + 1 < branches.len() {
                        let split = self.pc();
                        self.insts.push(Inst::Split {
                            primary: split + 1,
                            secondary: 0,
                        });
                        self.emit_node(branch)?;
                        jumps_to_end.push(self.pc());
                        self.insts.push(Inst::Jump(0));
                        let next = self.pc();
                        if let Inst::Split { secondary, .. } = &mut self.insts[split] {
                            *secondary = next;
                        }
                    } else {
                        self.emit_node(branch)?;
                    }
                }
                let end = self.pc();
                for jump in jumps_to_end {
                    self.insts[jump] = Inst::Jump(end);
                }
            }
            Node::Repeat {
                body,
                min,
                max,
                kind,
            } => self.emit_repeat(body, *min, *max, *kind)?,
            Node::Backref {
                group,
                ignore_case,
                ascii,
            } => self.insts.push(Inst::Backref {
                group: *group,
                ignore_case: *ignore_case,
                ascii: *ascii,
            }),
            Node::Look {
                behind,
                negate,
                body,
            } => {
                let mut look_width = 0;
                if *behind {
                    let (low, high) = width(body, self.group_widths);
                    if low != high {
                        return Err(compile_error("look-behind requires fixed-width pattern"));
                    }
                    if low >= MAX_REPEAT as u64 - 1 {
                        return Err(compile_error("looks too much behind"));
                    }
                    look_width = low as usize;
                }
                let at = self.pc();
                self.insts.push(Inst::Look {
                    behind: *behind,
                    negate: *negate,
                    width: look_width,
                    next: 0,
                });
                self.emit_node(body)?;
                self.insts.push(Inst::Succeed);
                let next = self.pc();
                if let Inst::Look { next: slot, .. } = &mut self.insts[at] {
                    *slot = next;
                }
            }
            Node::Atomic(body) => self.emit_atomic(body)?,
            Node::Conditional { group, yes, no } => {
                let at = self.pc();
                self.insts.push(Inst::IfGroup {
                    group: *group,
                    no: 0,
                });
                self.emit_node(yes)?;
                let jump = self.pc();
                self.insts.push(Inst::Jump(0));
                let no_start = self.pc();
                self.emit_node(no)?;
                let end = self.pc();
                self.insts[jump] = Inst::Jump(end);
                if let Inst::IfGroup { no: slot, .. } = &mut self.insts[at] {
                    *slot = no_start;
                }
            }
        }
        Ok(())
    }

    fn emit_atomic(&mut self, body: &Node) -> Result<(), ParseError> {
        let at = self.pc();
        self.insts.push(Inst::Atomic { next: 0 });
        self.emit_node(body)?;
        self.insts.push(Inst::Succeed);
        let next = self.pc();
        self.insts[at] = Inst::Atomic { next };
        Ok(())
    }

    fn emit_repeat(
        &mut self,
        body: &Node,
        min: u32,
        max: u32,
        kind: RepeatKind,
    ) -> Result<(), ParseError> {
        if kind == RepeatKind::Possessive {
            let greedy = Node::Repeat {
                body: Box::new(body.clone()),
                min,
                max,
                kind: RepeatKind::Greedy,
            };
            return self.emit_atomic(&greedy);
        }
        let greedy = kind == RepeatKind::Greedy;
        let min = min as usize;
        let max = if max == MAX_REPEAT {
            usize::MAX
        } else {
            max as usize
        };
        if max == 0 {
            return Ok(());
        }
        if let Some(test) = single_test(body) {
            let test = self.test_of(test);
            self.insts.push(Inst::Repeat {
                test,
                min,
                max,
                greedy,
            });
            return Ok(());
        }
        if min == 0 && max == 1 {
            let split = self.pc();
            self.insts.push(Inst::Split {
                primary: 0,
                secondary: 0,
            });
            self.emit_node(body)?;
            let end = self.pc();
            self.insts[split] = if greedy {
                Inst::Split {
                    primary: split + 1,
                    secondary: end,
                }
            } else {
                Inst::Split {
                    primary: end,
                    secondary: split + 1,
                }
            };
            return Ok(());
        }
        let slot = self.slot_count;
        self.slot_count += 2;
        self.insts.push(Inst::LoopInit { slot });
        let loop_pc = self.pc();
        self.insts.push(Inst::Loop {
            slot,
            min,
            max,
            greedy,
            body: loop_pc + 1,
            exit: 0,
        });
        self.emit_node(body)?;
        self.insts.push(Inst::Jump(loop_pc));
        let exit = self.pc();
        if let Inst::Loop { exit: slot, .. } = &mut self.insts[loop_pc] {
            *slot = exit;
        }
        Ok(())
    }
}

/// The one-character lowercase of `c`, or `c` when it has none.
fn simple_lower(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// The one-character uppercase of `c`, or `c` when it has none.
fn simple_upper(c: char) -> char {
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// The representative all case variants of `c` share (IGNORECASE).
pub fn fold_char(c: char, ascii: bool) -> char {
    if ascii || c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    simple_lower(simple_upper(c))
}

fn has_case(c: char, ascii: bool) -> bool {
    if ascii {
        c.is_ascii_alphabetic()
    } else {
        simple_lower(c) != c || simple_upper(c) != c
    }
}

/// Does `c` belong to `category`?
pub fn in_category(c: char, category: Category, ascii: bool) -> bool {
    if ascii {
        return match category {
            Category::Digit => c.is_ascii_digit(),
            Category::Word => c.is_ascii_alphanumeric() || c == '_',
            Category::Space => matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c'),
        };
    }
    match category {
        Category::Digit => strops::is_decimal_char(c),
        Category::Word => c == '_' || strops::is_alnum_char(c),
        Category::Space => strops::is_python_space(c),
    }
}

fn set_contains_exact(set: &CharSet, c: char) -> bool {
    set.items.iter().any(|item| match *item {
        SetItem::Char(member) => member == c,
        SetItem::Range(low, high) => low <= c && c <= high,
        SetItem::Category { category, negated } => in_category(c, category, set.ascii) != negated,
    })
}

/// Does the class match `c`?
pub fn set_matches(set: &CharSet, c: char) -> bool {
    let mut found = set_contains_exact(set, c);
    if !found && set.ignore_case {
        if set.ascii {
            if c.is_ascii_alphabetic() {
                found = set_contains_exact(set, c.to_ascii_lowercase())
                    || set_contains_exact(set, c.to_ascii_uppercase());
            }
        } else {
            let lower = simple_lower(c);
            let upper = simple_upper(c);
            let folded = fold_char(c, false);
            found = (lower != c && set_contains_exact(set, lower))
                || (upper != c && set_contains_exact(set, upper))
                || (folded != c && set_contains_exact(set, folded))
                || (upper != c && simple_lower(upper) != lower && {
                    let other = simple_lower(upper);
                    set_contains_exact(set, other)
                });
        }
    }
    found != set.negated
}
