//! The parser of Python regular-expression syntax: pattern text (code
//! points; a bytes pattern arrives as Latin-1 code points) to a [`Node`]
//! tree, with scoped flags already resolved into the nodes, the group
//! table, and CPython 3.11's error messages and positions.

use std::collections::HashMap;

use crate::text::strops;

pub const FLAG_TEMPLATE: u32 = 1;
pub const FLAG_IGNORECASE: u32 = 2;
pub const FLAG_LOCALE: u32 = 4;
pub const FLAG_MULTILINE: u32 = 8;
pub const FLAG_DOTALL: u32 = 16;
pub const FLAG_UNICODE: u32 = 32;
pub const FLAG_VERBOSE: u32 = 64;
pub const FLAG_DEBUG: u32 = 128;
pub const FLAG_ASCII: u32 = 256;
const TYPE_FLAGS: u32 = FLAG_ASCII | FLAG_LOCALE | FLAG_UNICODE;
const GLOBAL_FLAGS: u32 = FLAG_DEBUG;

/// The repeat bound CPython calls MAXREPEAT (an open upper bound).
pub const MAX_REPEAT: u32 = u32::MAX;
/// Deepest nesting of groups accepted before RecursionError.
const MAX_NESTING: usize = 495;

/// What kind of Python exception a failure maps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// `re.error`.
    Pattern,
    Overflow,
    Recursion,
}

#[derive(Debug, Clone)]
pub struct ParseError {
    pub kind: ErrorKind,
    pub message: String,
    pub pos: Option<usize>,
}

/// Zero-width position tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// `^` without MULTILINE.
    Start,
    /// `^` with MULTILINE.
    StartLine,
    /// `$` without MULTILINE (also before a final newline).
    End,
    /// `$` with MULTILINE.
    EndLine,
    /// `\A`.
    StartText,
    /// `\Z`.
    EndText,
    WordBoundary {
        ascii: bool,
    },
    NotWordBoundary {
        ascii: bool,
    },
}

/// A character category (`\d`, `\w`, `\s`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Digit,
    Word,
    Space,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetItem {
    Char(char),
    Range(char, char),
    Category { category: Category, negated: bool },
}

/// A character class, with the flags in force where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CharSet {
    pub items: Vec<SetItem>,
    pub negated: bool,
    pub ignore_case: bool,
    pub ascii: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepeatKind {
    Greedy,
    Lazy,
    Possessive,
}

#[derive(Debug, Clone)]
pub enum Node {
    Empty,
    Char {
        c: char,
        ignore_case: bool,
        ascii: bool,
    },
    Any {
        dotall: bool,
    },
    Set(Box<CharSet>),
    Assert(Anchor),
    /// A group: capturing when `index` is set, else `(?:...)` or a scoped
    /// flags group.
    Group {
        index: Option<usize>,
        body: Box<Node>,
    },
    Concat(Vec<Node>),
    Alternate(Vec<Node>),
    Repeat {
        body: Box<Node>,
        min: u32,
        max: u32,
        kind: RepeatKind,
    },
    Backref {
        group: usize,
        ignore_case: bool,
        ascii: bool,
    },
    Look {
        behind: bool,
        negate: bool,
        body: Box<Node>,
    },
    Atomic(Box<Node>),
    Conditional {
        group: usize,
        yes: Box<Node>,
        no: Box<Node>,
    },
}

/// A parsed pattern.
pub struct Parsed {
    pub root: Node,
    /// Number of capturing groups.
    pub groups: usize,
    /// Group names in definition order.
    pub names: Vec<(String, usize)>,
    /// The flags with inline global flags and the implied UNICODE added.
    pub flags: u32,
    /// (min, max) width of each closed group, by index.
    pub group_widths: Vec<(u64, u64)>,
}

struct Parser<'a> {
    text: &'a [char],
    pos: usize,
    is_bytes: bool,
    flags: u32,
    /// Groups opened so far (the next group's index is this + 1).
    groups: usize,
    names: Vec<(String, usize)>,
    name_index: HashMap<String, usize>,
    open_groups: Vec<usize>,
    group_widths: Vec<(u64, u64)>,
    /// The group count when the innermost enclosing lookbehind started.
    lookbehind_groups: Option<usize>,
    /// Groups named by `(?(n)...)`, with the position of the number.
    conditional_refs: Vec<(usize, usize)>,
}

/// Scoped flags (those `(?i:...)` can change) in force while parsing.
#[derive(Clone, Copy)]
struct Scope {
    flags: u32,
}

impl Scope {
    fn has(self, flag: u32) -> bool {
        self.flags & flag != 0
    }
}

fn flag_of(c: char) -> Option<u32> {
    Some(match c {
        'i' => FLAG_IGNORECASE,
        'L' => FLAG_LOCALE,
        'm' => FLAG_MULTILINE,
        's' => FLAG_DOTALL,
        'x' => FLAG_VERBOSE,
        'a' => FLAG_ASCII,
        't' => FLAG_TEMPLATE,
        'u' => FLAG_UNICODE,
        _ => return None,
    })
}

fn is_verbose_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// Python's repr of a str (for messages like `bad character in group name 'a b'`).
fn quote(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::new();
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Parses `text` with the caller's `flags`.
pub fn parse(text: &[char], flags: u32, is_bytes: bool) -> Result<Parsed, ParseError> {
    let mut parser = Parser {
        text,
        pos: 0,
        is_bytes,
        flags,
        groups: 0,
        names: Vec::new(),
        name_index: HashMap::new(),
        open_groups: Vec::new(),
        group_widths: vec![(0, 0)],
        lookbehind_groups: None,
        conditional_refs: Vec::new(),
    };
    let root = parser.parse_alternation(0, true)?;
    if parser.pos < text.len() {
        // Only a ')' can stop the top level early.
        return Err(parser.error("unbalanced parenthesis", 0));
    }
    if let Some(&(group, pos)) = parser
        .conditional_refs
        .iter()
        .find(|&&(group, _)| group > parser.groups)
    {
        return Err(parser.error_at(format!("invalid group reference {group}"), pos));
    }
    let mut flags = parser.flags;
    if !is_bytes && flags & (FLAG_ASCII | FLAG_LOCALE) == 0 {
        flags |= FLAG_UNICODE;
    }
    Ok(Parsed {
        root,
        groups: parser.groups,
        names: parser.names,
        flags,
        group_widths: parser.group_widths,
    })
}

impl<'a> Parser<'a> {
    fn error(&self, message: impl Into<String>, back: usize) -> ParseError {
        ParseError {
            kind: ErrorKind::Pattern,
            message: message.into(),
            pos: Some(self.pos - back),
        }
    }

    fn error_at(&self, message: impl Into<String>, pos: usize) -> ParseError {
        ParseError {
            kind: ErrorKind::Pattern,
            message: message.into(),
            pos: Some(pos),
        }
    }

    fn peek(&self) -> Option<char> {
        self.text.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn scope(&self) -> Scope {
        Scope { flags: self.flags }
    }

    /// `a|b|c` up to a `)` or the end.
    fn parse_alternation(&mut self, nesting: usize, first: bool) -> Result<Node, ParseError> {
        let scope = self.scope();
        self.parse_alternation_in(scope, nesting, first)
    }

    fn parse_alternation_in(
        &mut self,
        scope: Scope,
        nesting: usize,
        first: bool,
    ) -> Result<Node, ParseError> {
        if nesting > MAX_NESTING {
            return Err(ParseError {
                kind: ErrorKind::Recursion,
                message: "maximum recursion depth exceeded".into(),
                pos: None,
            });
        }
        let mut branches = Vec::new();
        let mut scope = scope;
        loop {
            let is_first = first && branches.is_empty();
            branches.push(self.parse_sequence(&mut scope, nesting, is_first)?);
            if !self.eat('|') {
                break;
            }
        }
        Ok(if branches.len() == 1 {
            branches.pop().expect("one branch")
        } else {
            Node::Alternate(branches)
        })
    }

    /// A run of items up to `|`, `)` or the end.
    fn parse_sequence(
        &mut self,
        scope: &mut Scope,
        nesting: usize,
        first: bool,
    ) -> Result<Node, ParseError> {
        let mut items: Vec<Node> = Vec::new();
        while let Some(this) = self.peek() {
            if this == '|' || this == ')' {
                break;
            }
            self.pos += 1;
            if scope.has(FLAG_VERBOSE) {
                if is_verbose_space(this) {
                    continue;
                }
                if this == '#' {
                    while let Some(c) = self.next() {
                        if c == '\n' {
                            break;
                        }
                    }
                    continue;
                }
            }
            match this {
                '\\' => items.push(self.parse_escape(*scope)?),
                '[' => items.push(self.parse_set(*scope)?),
                '.' => items.push(Node::Any {
                    dotall: scope.has(FLAG_DOTALL),
                }),
                '^' => items.push(Node::Assert(if scope.has(FLAG_MULTILINE) {
                    Anchor::StartLine
                } else {
                    Anchor::Start
                })),
                '$' => items.push(Node::Assert(if scope.has(FLAG_MULTILINE) {
                    Anchor::EndLine
                } else {
                    Anchor::End
                })),
                '*' | '+' | '?' | '{' => self.parse_repeat(this, &mut items)?,
                '(' => {
                    let start = self.pos - 1;
                    if let Some(node) =
                        self.parse_group(start, scope, nesting, first && items.is_empty())?
                    {
                        items.push(node);
                    }
                }
                c => items.push(self.literal(c, *scope)),
            }
        }
        Ok(match items.len() {
            0 => Node::Empty,
            1 => items.pop().expect("one item"),
            _ => Node::Concat(items),
        })
    }

    fn literal(&self, c: char, scope: Scope) -> Node {
        Node::Char {
            c,
            ignore_case: scope.has(FLAG_IGNORECASE),
            ascii: self.ascii(scope),
        }
    }

    fn ascii(&self, scope: Scope) -> bool {
        self.is_bytes || scope.has(FLAG_ASCII) || scope.has(FLAG_LOCALE)
    }

    fn parse_repeat(&mut self, this: char, items: &mut Vec<Node>) -> Result<(), ParseError> {
        let here = self.pos;
        let (min, max) = match this {
            '?' => (0, 1),
            '*' => (0, MAX_REPEAT),
            '+' => (1, MAX_REPEAT),
            _ => {
                if self.peek() == Some('}') {
                    items.push(Node::Char {
                        c: '{',
                        ignore_case: false,
                        ascii: true,
                    });
                    return Ok(());
                }
                let low = self.take_digits();
                let high = if self.eat(',') {
                    self.take_digits()
                } else {
                    low.clone()
                };
                if !self.eat('}') {
                    items.push(Node::Char {
                        c: '{',
                        ignore_case: false,
                        ascii: true,
                    });
                    self.pos = here;
                    return Ok(());
                }
                let bound = |digits: &str, default: u32| -> Result<u32, ParseError> {
                    if digits.is_empty() {
                        return Ok(default);
                    }
                    match digits.parse::<u64>() {
                        Ok(n) if n < MAX_REPEAT as u64 => Ok(n as u32),
                        _ => Err(ParseError {
                            kind: ErrorKind::Overflow,
                            message: "the repetition number is too large".into(),
                            pos: None,
                        }),
                    }
                };
                let min = bound(&low, 0)?;
                let max = bound(&high, MAX_REPEAT)?;
                if max < min {
                    return Err(self.error_at("min repeat greater than max repeat", here));
                }
                (min, max)
            }
        };
        let quantifier_pos = here - 1;
        match items.last() {
            None | Some(Node::Assert(_)) => {
                return Err(self.error_at("nothing to repeat", quantifier_pos))
            }
            Some(Node::Repeat { .. }) => {
                return Err(self.error_at("multiple repeat", quantifier_pos))
            }
            _ => {}
        }
        let kind = if self.eat('?') {
            RepeatKind::Lazy
        } else if self.eat('+') {
            RepeatKind::Possessive
        } else {
            RepeatKind::Greedy
        };
        let body = items.pop().expect("an item to repeat");
        items.push(Node::Repeat {
            body: Box::new(body),
            min,
            max,
            kind,
        });
        Ok(())
    }

    fn take_digits(&mut self) -> String {
        let mut digits = String::new();
        while let Some(c) = self.peek() {
            if !c.is_ascii_digit() {
                break;
            }
            digits.push(c);
            self.pos += 1;
        }
        digits
    }

    /// Reads up to `terminator` (consumed); CPython's `getuntil`.
    fn take_until(&mut self, terminator: char, what: &str) -> Result<String, ParseError> {
        let mut result = String::new();
        loop {
            match self.next() {
                None => {
                    if result.is_empty() {
                        return Err(self.error(format!("missing {what}"), 0));
                    }
                    return Err(self.error(
                        format!("missing {terminator}, unterminated name"),
                        result.chars().count(),
                    ));
                }
                Some(c) if c == terminator => {
                    if result.is_empty() {
                        return Err(self.error(format!("missing {what}"), 1));
                    }
                    return Ok(result);
                }
                Some(c) => result.push(c),
            }
        }
    }

    fn check_group_name(&self, name: &str) -> Result<(), ParseError> {
        if strops::isidentifier(name) {
            Ok(())
        } else {
            Err(self.error(
                format!("bad character in group name {}", quote(name)),
                name.chars().count() + 1,
            ))
        }
    }

    /// CPython's `checklookbehindgroup`.
    fn check_lookbehind_group(&self, group: usize) -> Result<(), ParseError> {
        if let Some(limit) = self.lookbehind_groups {
            if self.open_groups.contains(&group) {
                return Err(self.error("cannot refer to an open group", 0));
            }
            if group > limit {
                return Err(self.error(
                    "cannot refer to group defined in the same lookbehind subpattern",
                    0,
                ));
            }
        }
        Ok(())
    }

    /// Everything after `(`; `None` for items that produce nothing
    /// (comments, global flags).
    fn parse_group(
        &mut self,
        start: usize,
        scope: &mut Scope,
        nesting: usize,
        first: bool,
    ) -> Result<Option<Node>, ParseError> {
        let mut capture = true;
        let mut atomic = false;
        let mut name: Option<String> = None;
        let mut inner = *scope;
        if self.eat('?') {
            let Some(c) = self.next() else {
                return Err(self.error("unexpected end of pattern", 0));
            };
            match c {
                'P' => {
                    if self.eat('<') {
                        let group_name = self.take_until('>', "group name")?;
                        self.check_group_name(&group_name)?;
                        name = Some(group_name);
                    } else if self.eat('=') {
                        let group_name = self.take_until(')', "group name")?;
                        self.check_group_name(&group_name)?;
                        let back = group_name.chars().count() + 1;
                        let Some(&group) = self.name_index.get(&group_name) else {
                            return Err(self.error(
                                format!("unknown group name {}", quote(&group_name)),
                                back,
                            ));
                        };
                        if self.open_groups.contains(&group) {
                            return Err(self.error("cannot refer to an open group", back));
                        }
                        self.check_lookbehind_group(group)?;
                        return Ok(Some(Node::Backref {
                            group,
                            ignore_case: scope.has(FLAG_IGNORECASE),
                            ascii: self.ascii(*scope),
                        }));
                    } else {
                        let Some(c) = self.next() else {
                            return Err(self.error("unexpected end of pattern", 0));
                        };
                        return Err(self.error(format!("unknown extension ?P{c}"), 3));
                    }
                }
                ':' => capture = false,
                '#' => loop {
                    match self.next() {
                        None => return Err(self.error_at("missing ), unterminated comment", start)),
                        Some(')') => return Ok(None),
                        Some(_) => {}
                    }
                },
                '=' | '!' | '<' => {
                    let mut kind = c;
                    let behind = c == '<';
                    if behind {
                        let Some(next) = self.next() else {
                            return Err(self.error("unexpected end of pattern", 0));
                        };
                        if next != '=' && next != '!' {
                            return Err(self.error(format!("unknown extension ?<{next}"), 3));
                        }
                        kind = next;
                    }
                    let saved = self.lookbehind_groups;
                    if behind && saved.is_none() {
                        self.lookbehind_groups = Some(self.groups);
                    }
                    let body = self.parse_alternation_in(*scope, nesting + 1, false)?;
                    if behind {
                        self.lookbehind_groups = saved;
                    }
                    if !self.eat(')') {
                        return Err(self.error_at("missing ), unterminated subpattern", start));
                    }
                    return Ok(Some(Node::Look {
                        behind,
                        negate: kind == '!',
                        body: Box::new(body),
                    }));
                }
                '(' => return self.parse_conditional(start, *scope, nesting).map(Some),
                '>' => {
                    capture = false;
                    atomic = true;
                }
                c if flag_of(c).is_some() || c == '-' => match self.parse_flags(c)? {
                    None => {
                        if !first {
                            return Err(self.error_at(
                                "global flags not at the start of the expression",
                                start,
                            ));
                        }
                        *scope = Scope { flags: self.flags };
                        return Ok(None);
                    }
                    Some((add, remove)) => {
                        inner = Scope {
                            flags: (scope.flags | add) & !remove,
                        };
                        if add & FLAG_ASCII != 0 {
                            inner.flags &= !FLAG_UNICODE;
                        }
                        if add & FLAG_UNICODE != 0 {
                            inner.flags &= !FLAG_ASCII;
                        }
                        capture = false;
                    }
                },
                c => return Err(self.error(format!("unknown extension ?{c}"), 2)),
            }
        }
        let index = if capture {
            self.groups += 1;
            let index = self.groups;
            if let Some(name) = &name {
                if let Some(&previous) = self.name_index.get(name) {
                    return Err(self.error(
                        format!(
                            "redefinition of group name {} as group {index}; was group {previous}",
                            quote(name)
                        ),
                        name.chars().count() + 1,
                    ));
                }
                self.name_index.insert(name.clone(), index);
                self.names.push((name.clone(), index));
            }
            self.open_groups.push(index);
            self.group_widths.push((0, 0));
            Some(index)
        } else {
            None
        };
        let body = self.parse_alternation_in(inner, nesting + 1, false)?;
        if !self.eat(')') {
            return Err(self.error_at("missing ), unterminated subpattern", start));
        }
        if let Some(index) = index {
            self.open_groups.retain(|&open| open != index);
            self.group_widths[index] = width(&body, &self.group_widths);
        }
        Ok(Some(if atomic {
            Node::Atomic(Box::new(body))
        } else {
            Node::Group {
                index,
                body: Box::new(body),
            }
        }))
    }

    /// `(?(group)yes|no)`, after `(?(`.
    fn parse_conditional(
        &mut self,
        start: usize,
        scope: Scope,
        nesting: usize,
    ) -> Result<Node, ParseError> {
        let name = self.take_until(')', "group name")?;
        let back = name.chars().count() + 1;
        let group = if strops::isidentifier(&name) {
            match self.name_index.get(&name) {
                Some(&group) => group,
                None => {
                    return Err(self.error(format!("unknown group name {}", quote(&name)), back))
                }
            }
        } else {
            let Ok(group) = name.parse::<usize>() else {
                return Err(self.error(
                    format!("bad character in group name {}", quote(&name)),
                    back,
                ));
            };
            if group == 0 {
                return Err(self.error("bad group number", back));
            }
            group
        };
        self.check_lookbehind_group(group)?;
        let mut yes_scope = scope;
        let yes = self.parse_sequence(&mut yes_scope, nesting + 1, false)?;
        let no = if self.eat('|') {
            let mut no_scope = scope;
            let no = self.parse_sequence(&mut no_scope, nesting + 1, false)?;
            if self.peek() == Some('|') {
                return Err(self.error("conditional backref with more than two branches", 0));
            }
            no
        } else {
            Node::Empty
        };
        if !self.eat(')') {
            return Err(self.error_at("missing ), unterminated subpattern", start));
        }
        // Checked once the whole pattern is parsed (the group may follow).
        self.conditional_refs.push((group, start + 3));
        Ok(Node::Conditional {
            group,
            yes: Box::new(yes),
            no: Box::new(no),
        })
    }

    /// Inline flags after `(?`: `None` for global flags `(?i)`, else the
    /// flags a scoped group `(?i-s:...)` adds and removes.
    fn parse_flags(&mut self, first: char) -> Result<Option<(u32, u32)>, ParseError> {
        let mut add = 0u32;
        let mut remove = 0u32;
        let mut c = first;
        if c != '-' {
            loop {
                let flag = flag_of(c).expect("a flag letter");
                if !self.is_bytes && c == 'L' {
                    return Err(self.error(
                        "bad inline flags: cannot use 'L' flag with a str pattern",
                        0,
                    ));
                }
                if self.is_bytes && c == 'u' {
                    return Err(self.error(
                        "bad inline flags: cannot use 'u' flag with a bytes pattern",
                        0,
                    ));
                }
                add |= flag;
                if flag & TYPE_FLAGS != 0 && add & TYPE_FLAGS != flag {
                    return Err(self.error(
                        "bad inline flags: flags 'a', 'u' and 'L' are incompatible",
                        0,
                    ));
                }
                match self.next() {
                    None => return Err(self.error("missing -, : or )", 0)),
                    Some(next) if next == ')' || next == '-' || next == ':' => {
                        c = next;
                        break;
                    }
                    Some(next) if flag_of(next).is_some() => c = next,
                    Some(next) => {
                        let message = if next.is_alphabetic() {
                            "unknown flag"
                        } else {
                            "missing -, : or )"
                        };
                        return Err(self.error(message, 1));
                    }
                }
            }
        }
        if c == ')' {
            self.flags |= add;
            if add & FLAG_ASCII != 0 {
                self.flags &= !FLAG_UNICODE;
            }
            return Ok(None);
        }
        if add & GLOBAL_FLAGS != 0 {
            return Err(self.error("bad inline flags: cannot turn on global flag", 1));
        }
        if c == '-' {
            let Some(next) = self.next() else {
                return Err(self.error("missing flag", 0));
            };
            if flag_of(next).is_none() {
                let message = if next.is_alphabetic() {
                    "unknown flag"
                } else {
                    "missing flag"
                };
                return Err(self.error(message, 1));
            }
            c = next;
            loop {
                let flag = flag_of(c).expect("a flag letter");
                if flag & TYPE_FLAGS != 0 {
                    return Err(self.error(
                        "bad inline flags: cannot turn off flags 'a', 'u' and 'L'",
                        0,
                    ));
                }
                remove |= flag;
                match self.next() {
                    None => return Err(self.error("missing :", 0)),
                    Some(':') => break,
                    Some(next) if flag_of(next).is_some() => c = next,
                    Some(next) => {
                        let message = if next.is_alphabetic() {
                            "unknown flag"
                        } else {
                            "missing :"
                        };
                        return Err(self.error(message, 1));
                    }
                }
            }
        }
        if remove & GLOBAL_FLAGS != 0 {
            return Err(self.error("bad inline flags: cannot turn off global flag", 1));
        }
        if add & remove != 0 {
            return Err(self.error("bad inline flags: flag turned on and off", 1));
        }
        Ok(Some((add, remove)))
    }

    /// Reads up to `count` characters satisfying `accept`.
    fn take_while(&mut self, count: usize, accept: impl Fn(char) -> bool) -> String {
        let mut taken = String::new();
        while taken.len() < count {
            match self.peek() {
                Some(c) if accept(c) => {
                    taken.push(c);
                    self.pos += 1;
                }
                _ => break,
            }
        }
        taken
    }

    /// `\x..`, `\u....`, `\U........`, `\N{...}`: the code point, after the
    /// escape letter. `escape_start` is the backslash's position.
    fn parse_code_escape(&mut self, letter: char) -> Result<Option<char>, ParseError> {
        let digits = match letter {
            'x' => 2,
            'u' if !self.is_bytes => 4,
            'U' if !self.is_bytes => 8,
            _ => return Ok(None),
        };
        let hex = self.take_while(digits, |c| c.is_ascii_hexdigit());
        let escape = format!("\\{letter}{hex}");
        if hex.len() != digits {
            return Err(self.error(
                format!("incomplete escape {escape}"),
                escape.chars().count(),
            ));
        }
        let value = u32::from_str_radix(&hex, 16).expect("hex digits");
        match char::from_u32(value) {
            Some(c) => Ok(Some(c)),
            None if value < 0x11_0000 => Ok(Some('\u{fffd}')),
            None => Err(self.error(format!("bad escape {escape}"), escape.chars().count())),
        }
    }

    /// An escape outside a class, after the backslash.
    fn parse_escape(&mut self, scope: Scope) -> Result<Node, ParseError> {
        let Some(c) = self.next() else {
            return Err(self.error("bad escape (end of pattern)", 1));
        };
        let ascii = self.ascii(scope);
        let category = |category: Category, negated: bool| {
            Node::Set(Box::new(CharSet {
                items: vec![SetItem::Category { category, negated }],
                negated: false,
                ignore_case: false,
                ascii,
            }))
        };
        Ok(match c {
            'A' => Node::Assert(Anchor::StartText),
            'Z' => Node::Assert(Anchor::EndText),
            'b' => Node::Assert(Anchor::WordBoundary { ascii }),
            'B' => Node::Assert(Anchor::NotWordBoundary { ascii }),
            'd' => category(Category::Digit, false),
            'D' => category(Category::Digit, true),
            'w' => category(Category::Word, false),
            'W' => category(Category::Word, true),
            's' => category(Category::Space, false),
            'S' => category(Category::Space, true),
            'x' | 'u' | 'U' | 'N' => match self.parse_named_or_code(c)? {
                Some(code) => self.literal(code, scope),
                None => return Err(self.error(format!("bad escape \\{c}"), 2)),
            },
            '0' => {
                let octal = self.take_while(2, |c| ('0'..='7').contains(&c));
                let value = u32::from_str_radix(&format!("0{octal}"), 8).expect("octal");
                self.literal(char::from_u32(value).expect("small"), scope)
            }
            '1'..='9' => {
                let mut digits = String::from(c);
                if let Some(next) = self.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(next);
                    self.pos += 1;
                    let is_octal = |d: char| ('0'..='7').contains(&d);
                    if is_octal(c) && is_octal(next) {
                        if let Some(third) = self.peek().filter(|&d| is_octal(d)) {
                            self.pos += 1;
                            digits.push(third);
                            let value = u32::from_str_radix(&digits, 8).expect("octal");
                            if value > 0o377 {
                                return Err(self.error(
                                    format!(
                                        "octal escape value \\{digits} outside of range 0-0o377"
                                    ),
                                    4,
                                ));
                            }
                            return Ok(self.literal(char::from_u32(value).expect("byte"), scope));
                        }
                    }
                }
                let group: usize = digits.parse().expect("digits");
                if group <= self.groups {
                    if self.open_groups.contains(&group) {
                        return Err(self.error("cannot refer to an open group", digits.len() + 1));
                    }
                    self.check_lookbehind_group(group)?;
                    Node::Backref {
                        group,
                        ignore_case: scope.has(FLAG_IGNORECASE),
                        ascii,
                    }
                } else {
                    return Err(
                        self.error(format!("invalid group reference {group}"), digits.len())
                    );
                }
            }
            c => match simple_escape(c) {
                Some(code) => self.literal(code, scope),
                None if c.is_ascii_alphabetic() => {
                    return Err(self.error(format!("bad escape \\{c}"), 2))
                }
                None => self.literal(c, scope),
            },
        })
    }

    /// `\x`, `\u`, `\U` and `\N{name}` after the letter; `None` when the
    /// letter is not an escape for this pattern type.
    fn parse_named_or_code(&mut self, letter: char) -> Result<Option<char>, ParseError> {
        if letter != 'N' {
            return self.parse_code_escape(letter);
        }
        if self.is_bytes {
            return Ok(None);
        }
        if !self.eat('{') {
            return Err(self.error("missing {", 0));
        }
        let name = self.take_until('}', "character name")?;
        Err(self.error(
            format!("undefined character name {}", quote(&name)),
            name.chars().count() + 4,
        ))
    }

    /// An escape inside a class, after the backslash.
    fn parse_class_escape(&mut self) -> Result<SetItem, ParseError> {
        let Some(c) = self.next() else {
            return Err(self.error("bad escape (end of pattern)", 1));
        };
        let category = |category: Category, negated: bool| SetItem::Category { category, negated };
        Ok(match c {
            'd' => category(Category::Digit, false),
            'D' => category(Category::Digit, true),
            'w' => category(Category::Word, false),
            'W' => category(Category::Word, true),
            's' => category(Category::Space, false),
            'S' => category(Category::Space, true),
            'b' => SetItem::Char('\x08'),
            'x' | 'u' | 'U' | 'N' => match self.parse_named_or_code(c)? {
                Some(code) => SetItem::Char(code),
                None => return Err(self.error(format!("bad escape \\{c}"), 2)),
            },
            '0'..='7' => {
                let octal = self.take_while(2, |c| ('0'..='7').contains(&c));
                let digits = format!("{c}{octal}");
                let value = u32::from_str_radix(&digits, 8).expect("octal");
                if value > 0o377 {
                    return Err(self.error(
                        format!("octal escape value \\{digits} outside of range 0-0o377"),
                        digits.len() + 1,
                    ));
                }
                SetItem::Char(char::from_u32(value).expect("byte"))
            }
            '8' | '9' => return Err(self.error(format!("bad escape \\{c}"), 2)),
            c => match simple_escape(c) {
                Some(code) => SetItem::Char(code),
                None if c.is_ascii_alphabetic() => {
                    return Err(self.error(format!("bad escape \\{c}"), 2))
                }
                None => SetItem::Char(c),
            },
        })
    }

    /// A class, after `[`.
    fn parse_set(&mut self, scope: Scope) -> Result<Node, ParseError> {
        let start = self.pos - 1;
        let negated = self.eat('^');
        let mut items: Vec<SetItem> = Vec::new();
        let mut at_start = true;
        loop {
            let Some(this) = self.next() else {
                return Err(self.error_at("unterminated character set", start));
            };
            if this == ']' && !at_start {
                break;
            }
            at_start = false;
            let item_start = self.pos - 1;
            let first = if this == '\\' {
                self.parse_class_escape()?
            } else {
                SetItem::Char(this)
            };
            let first_text: String = self.text[item_start..self.pos].iter().collect();
            if self.eat('-') {
                let Some(that) = self.next() else {
                    return Err(self.error_at("unterminated character set", start));
                };
                if that == ']' {
                    items.push(first);
                    items.push(SetItem::Char('-'));
                    break;
                }
                let second_start = self.pos - 1;
                let second = if that == '\\' {
                    self.parse_class_escape()?
                } else {
                    SetItem::Char(that)
                };
                let second_text: String = self.text[second_start..self.pos].iter().collect();
                let message = format!("bad character range {first_text}-{second_text}");
                let back = self.pos - item_start;
                match (first, second) {
                    (SetItem::Char(low), SetItem::Char(high)) if low <= high => {
                        items.push(SetItem::Range(low, high))
                    }
                    _ => return Err(self.error(message, back)),
                }
            } else {
                items.push(first);
            }
        }
        Ok(Node::Set(Box::new(CharSet {
            items,
            negated,
            ignore_case: scope.has(FLAG_IGNORECASE),
            ascii: self.ascii(scope),
        })))
    }
}

/// The one-letter escapes that stand for a control character.
fn simple_escape(c: char) -> Option<char> {
    Some(match c {
        'a' => '\x07',
        'f' => '\x0c',
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        'v' => '\x0b',
        '\\' => '\\',
        _ => return None,
    })
}

/// The (min, max) number of characters `node` can match, saturating at
/// `MAX_REPEAT` for unbounded ones (CPython's `getwidth`).
pub fn width(node: &Node, group_widths: &[(u64, u64)]) -> (u64, u64) {
    let cap = MAX_REPEAT as u64;
    let (low, high) = match node {
        Node::Empty | Node::Assert(_) | Node::Look { .. } => (0, 0),
        Node::Char { .. } | Node::Any { .. } | Node::Set(_) => (1, 1),
        Node::Group { body, .. } | Node::Atomic(body) => width(body, group_widths),
        Node::Concat(items) => items.iter().fold((0, 0), |(low, high), item| {
            let (item_low, item_high) = width(item, group_widths);
            (low + item_low, high + item_high)
        }),
        Node::Alternate(branches) => {
            let widths: Vec<_> = branches.iter().map(|b| width(b, group_widths)).collect();
            (
                widths.iter().map(|w| w.0).min().unwrap_or(0),
                widths.iter().map(|w| w.1).max().unwrap_or(0),
            )
        }
        Node::Repeat { body, min, max, .. } => {
            let (low, high) = width(body, group_widths);
            (
                low.saturating_mul(*min as u64),
                high.saturating_mul(*max as u64),
            )
        }
        Node::Backref { group, .. } => group_widths.get(*group).copied().unwrap_or((0, cap)),
        Node::Conditional { yes, no, .. } => {
            let (yes_low, yes_high) = width(yes, group_widths);
            let (no_low, no_high) = width(no, group_widths);
            (yes_low.min(no_low), yes_high.max(no_high))
        }
    };
    (low.min(cap - 1), high.min(cap))
}
