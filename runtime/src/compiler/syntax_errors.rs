//! CPython 3.11's wording for syntax errors.
//!
//! `rustpython-parser` finds most syntax errors but words them its own way
//! ("Got unexpected token ..."), reports some at other places than CPython,
//! and accepts a few programs CPython rejects (`5 = x`, `f(x for x in y, 1)`).
//! This module gives back CPython's exception kind, message, line and caret
//! column, following the order in which CPython finds errors:
//!
//! * [`check_source`] runs before parsing.  It scans the source the way
//!   CPython's tokenizer does and returns the errors that tokenizer raises
//!   wherever they are, even after a parser error: unterminated strings,
//!   unmatched or mismatched brackets, bad numeric literals, invalid
//!   characters.
//! * [`from_parse_error`] maps a parser failure to CPython's message by
//!   looking at the tokens around it: an `=` where `==` was meant, a missing
//!   comma, a block header without a body, a bracket never closed, a bad
//!   parameter list...  Indentation and `\` errors, which CPython's tokenizer
//!   reports only when its parser gets there, and errors in string literals
//!   (escapes, f-strings), which CPython raises while parsing, win when they
//!   come first.  Unknown cases become `invalid syntax` at the parser's
//!   position.
//! * [`check_parsed`] runs on a module that parsed, and reports what
//!   CPython rejects but `rustpython-parser` accepts: invalid assignment,
//!   deletion and `for` targets, backslashes in f-string expressions,
//!   unparenthesized generator arguments, indentation errors the parser let
//!   through, and a few errors of CPython's compiler (`*a = 1`, `'return'
//!   outside function`, misplaced `from __future__` imports).
//! * [`parser_source`] works around `rustpython-parser` rejecting a tab after
//!   spaces in lines whose indentation CPython ignores.
//!
//! None of these functions panics, whatever the input.

use std::borrow::Cow;

use rustpython_parser::ast::{self, Ranged};
use rustpython_parser::lexer::LexicalErrorType;
use rustpython_parser::{FStringErrorType, Mode, ParseError, ParseErrorType, Tok};

use super::{CompileError, CompileErrorKind, LineIndex};

/// Reports the errors CPython's tokenizer raises wherever they are in the
/// file, even when its parser fails earlier (unterminated strings, unmatched
/// brackets, bad numbers, invalid characters).
///
/// Call it before parsing: when it fails, its error is the one CPython gives.
pub fn check_source(source: &str) -> Result<(), CompileError> {
    let index = LineIndex::new(source);
    if let Some(error) = null_byte_error(source, &index) {
        return Err(error);
    }
    match Scanner::scan(source, &index).error {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// CPython's error for a source text that `rustpython-parser` failed to parse.
pub fn from_parse_error(error: &ParseError, source: &str) -> CompileError {
    map_parse_error(&error.error, usize::from(error.offset), source, 0)
}

/// CPython's errors for code `rustpython-parser` accepted: call it on the
/// parsed module before compiling it.  It finds what CPython's parser
/// rejects (invalid assignment targets, backslashes in f-string expressions,
/// inconsistent indentation the parser let through...) and a few errors of
/// CPython's compiler (`*a = 1`, `'return' outside function`, misplaced
/// `from __future__` imports), CPython's parser errors first.
pub fn check_parsed(module: &ast::Mod, source: &str) -> Result<(), CompileError> {
    let index = LineIndex::new(source);
    if let Some(error) = null_byte_error(source, &index) {
        return Err(error);
    }
    let scan = Scanner::scan(source, &index);
    if let Some(error) = scan.error {
        return Err(error);
    }
    let mut checker = Checker::new(source, &index);
    match module {
        ast::Mod::Module(module) => checker.module(&module.body),
        ast::Mod::Interactive(module) => checker.module(&module.body),
        ast::Mod::Expression(module) => checker.expr(&module.body),
        ast::Mod::FunctionType(_) => {}
    }
    if let Some((offset, error)) = scan.soft {
        checker.parser_error(offset, error);
    }
    let ctx = Ctx {
        src: source,
        index: &index,
        tokens: scan.tokens,
        depth: 0,
        compile_fstrings: false,
    };
    if let Some((offset, error)) = ctx.bare_star() {
        checker.parser_error(offset, error);
    }
    let runs = (0..ctx.tokens.len()).filter(|&i| {
        ctx.kind(i) == Some(Kind::Str) && (i == 0 || ctx.kind(i - 1) != Some(Kind::Str))
    });
    for first in runs {
        if let Some(error) = ctx.string_run_error(first) {
            checker.parser_error(ctx.start(first), error);
            break;
        }
    }
    match checker.parser.or(checker.symtable).or(checker.compiler) {
        Some((_, error)) => Err(error),
        None => Ok(()),
    }
}

/// The source text to give `rustpython-parser`.
///
/// That parser rejects a tab after spaces in the indentation of any line,
/// even a blank or comment-only line or a continuation line inside brackets,
/// whose indentation CPython ignores.  This turns the tabs in such lines'
/// indentation into spaces; the length stays the same, so byte offsets (and
/// so error positions) are those of `source`.  Lines inside strings are left
/// alone.
pub fn parser_source(source: &str) -> Cow<'_, str> {
    if !source.contains(" \t") {
        return Cow::Borrowed(source);
    }
    let index = LineIndex::new(source);
    let tokens = Scanner::scan(source, &index).tokens;
    let mut bytes = source.as_bytes().to_vec();
    let mut changed = false;
    let mut line_start = 0;
    let mut next = 0;
    for line in source.split_inclusive('\n') {
        let start = line_start;
        line_start += line.len();
        while tokens.get(next).is_some_and(|t| t.start < start) {
            next += 1;
        }
        let previous = next.checked_sub(1).and_then(|i| tokens.get(i));
        if previous.is_some_and(|t| t.kind == Kind::Str && t.end > start) {
            continue;
        }
        let depth = previous.map_or(0, |t| {
            let opening =
                t.kind == Kind::Op && matches!(source.get(t.start..t.end), Some("(" | "[" | "{"));
            t.depth + usize::from(opening)
        });
        let content = line.trim_start_matches([' ', '\t', '\x0c']);
        let indent = line.len() - content.len();
        let ignored = depth > 0
            || content.trim_end_matches(['\n', '\r']).is_empty()
            || content.starts_with('#');
        if ignored && line[..indent].contains(" \t") {
            for byte in &mut bytes[start..start + indent] {
                if *byte == b'\t' {
                    *byte = b' ';
                    changed = true;
                }
            }
        }
    }
    match String::from_utf8(bytes) {
        Ok(text) if changed => Cow::Owned(text),
        _ => Cow::Borrowed(source),
    }
}

// ---------------------------------------------------------------------------
// Shared helpers

fn error_at(
    kind: CompileErrorKind,
    message: impl Into<String>,
    line: u32,
    column: u32,
) -> CompileError {
    CompileError {
        kind,
        message: message.into(),
        line,
        column,
        end_column: 0,
    }
}

fn syntax_at(message: impl Into<String>, line: u32, column: u32) -> CompileError {
    CompileError::syntax(message.into(), line, column)
}

fn to_u32(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

/// The text of 1-based line `line`, without its line break.
fn line_text(source: &str, line: u32) -> &str {
    let index = (line.max(1) - 1) as usize;
    source
        .split('\n')
        .nth(index)
        .map(|text| text.trim_end_matches('\r'))
        .unwrap_or("")
}

fn line_length(source: &str, line: u32) -> u32 {
    to_u32(line_text(source, line).chars().count())
}

fn null_byte_error(source: &str, index: &LineIndex) -> Option<CompileError> {
    let offset = source.find('\0')?;
    Some(syntax_at(
        "source code cannot contain null bytes",
        index.line(to_u32(offset)),
        index.column(source, to_u32(offset)),
    ))
}

const BINARY_OPERATORS: &[&str] = &[
    "+", "-", "*", "/", "//", "%", "@", "**", "<<", ">>", "&", "|", "^", "<", ">", "==", "!=",
    "<=", ">=", "<>",
];

const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

fn is_keyword(text: &str) -> bool {
    KEYWORDS.contains(&text)
}

fn is_digit(c: Option<char>) -> bool {
    matches!(c, Some('0'..='9'))
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || !c.is_ascii()
}

/// Whether `text` lexes as exactly one name (uses the parser's own Unicode
/// identifier tables).
fn lexes_as_one_name(text: &str) -> bool {
    match rustpython_parser::lexer::lex(text, Mode::Module).next() {
        Some(Ok((Tok::Name { .. }, range))) => {
            usize::from(range.start()) == 0 && usize::from(range.end()) == text.len()
        }
        _ => false,
    }
}

fn is_xid_continue(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || (!c.is_ascii() && lexes_as_one_name(&format!("a{c}")))
}

fn is_xid_start(c: char) -> bool {
    c.is_ascii_alphabetic()
        || c == '_'
        || (!c.is_ascii() && is_xid_continue(c) && lexes_as_one_name(&c.to_string()))
}

/// An approximation of `str.isprintable()` for one character.
fn is_printable(c: char) -> bool {
    let code = c as u32;
    let format = matches!(
        code,
        0xAD | 0x600..=0x605
            | 0x61C
            | 0x6DD
            | 0x70F
            | 0x8E2
            | 0x180E
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x13438
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0001
            | 0xE0020..=0xE007F
    );
    let private = matches!(code, 0xE000..=0xF8FF | 0xF0000..=0x10FFFF);
    c == ' ' || !(c.is_control() || c.is_whitespace() || format || private)
}

fn closing_for(open: char) -> char {
    match open {
        '(' => ')',
        '[' => ']',
        _ => '}',
    }
}

// ---------------------------------------------------------------------------
// A tokenizer that behaves like CPython 3.11's where errors are concerned.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Name,
    Number,
    Str,
    Op,
    Newline,
    Indent,
    Dedent,
    End,
}

#[derive(Clone, Copy, Debug)]
struct Token {
    kind: Kind,
    /// Byte offsets.
    start: usize,
    end: usize,
    /// How many brackets enclose the token (a bracket itself counts as
    /// outside the pair it opens or closes).
    depth: usize,
}

#[derive(Clone, Copy, Debug)]
struct Bracket {
    ch: char,
    line: u32,
    column: u32,
}

struct Scan {
    tokens: Vec<Token>,
    /// The first error CPython's tokenizer raises as an exception: it wins
    /// over any parser error.
    error: Option<CompileError>,
    /// The first error CPython's tokenizer only reports when its parser gets
    /// there (indentation, stray `\`), with its byte offset.
    soft: Option<(usize, CompileError)>,
    /// The innermost bracket still open at the end of the source.
    unclosed: Option<Bracket>,
}

struct Scanner<'a> {
    src: &'a str,
    index: &'a LineIndex,
    pos: usize,
    tokens: Vec<Token>,
    brackets: Vec<Bracket>,
    /// Indentation stack: (column with tabs of 8, column with tabs of 1).
    indents: Vec<(u32, u32)>,
    at_line_start: bool,
    error: Option<CompileError>,
    soft: Option<(usize, CompileError)>,
}

const OPERATORS: &[&str] = &[
    "**=", "...", "//=", ">>=", "<<=", "!=", "%=", "&=", "**", "*=", "+=", "-=", "->", "//", "/=",
    ":=", "<<", "<=", "<>", "==", ">=", ">>", "@=", "^=", "|=",
];

impl<'a> Scanner<'a> {
    fn scan(src: &'a str, index: &'a LineIndex) -> Scan {
        let mut scanner = Scanner {
            src,
            index,
            pos: if src.starts_with('\u{feff}') { 3 } else { 0 },
            tokens: Vec::new(),
            brackets: Vec::new(),
            indents: vec![(0, 0)],
            at_line_start: true,
            error: None,
            soft: None,
        };
        let unclosed = scanner.run();
        Scan {
            tokens: scanner.tokens,
            error: scanner.error,
            soft: scanner.soft,
            unclosed,
        }
    }

    fn peek(&self) -> Option<char> {
        self.src
            .get(self.pos..)
            .and_then(|rest| rest.chars().next())
    }

    fn peek_second(&self) -> Option<char> {
        self.src
            .get(self.pos..)
            .and_then(|rest| rest.chars().nth(1))
    }

    fn nextc(&mut self) -> Option<char> {
        let c = self.peek();
        if let Some(c) = c {
            self.pos += c.len_utf8();
        }
        c
    }

    fn backup(&mut self, c: Option<char>) {
        if let Some(c) = c {
            self.pos = self.pos.saturating_sub(c.len_utf8());
        }
    }

    fn line(&self, offset: usize) -> u32 {
        self.index.line(to_u32(offset))
    }

    /// Characters between the start of `offset`'s line and `offset`.
    fn chars_before(&self, offset: usize) -> u32 {
        self.index
            .column(self.src, to_u32(offset))
            .saturating_sub(1)
    }

    fn fail(&mut self, kind: CompileErrorKind, message: impl Into<String>, line: u32, column: u32) {
        if self.error.is_none() && self.soft.is_none() {
            self.error = Some(error_at(kind, message, line, column));
        }
    }

    /// An error CPython's tokenizer reports only when the parser reaches it.
    fn fail_soft(
        &mut self,
        kind: CompileErrorKind,
        message: &str,
        line: u32,
        column: u32,
        offset: usize,
    ) {
        if self.error.is_none() && self.soft.is_none() {
            self.soft = Some((offset, error_at(kind, message, line, column)));
        }
    }

    /// CPython's `syntaxerror(tok, ...)`: the caret goes on the character
    /// before the current position.
    fn fail_here(&mut self, message: impl Into<String>) {
        let line = self.line(self.pos);
        let column = self.chars_before(self.pos).max(1);
        self.fail(CompileErrorKind::SyntaxError, message, line, column);
    }

    fn push(&mut self, kind: Kind, start: usize) {
        let depth = self.brackets.len();
        self.tokens.push(Token {
            kind,
            start,
            end: self.pos,
            depth,
        });
    }

    fn code_on_line(&self) -> bool {
        matches!(self.tokens.last(), Some(t) if !matches!(t.kind, Kind::Newline | Kind::Indent | Kind::Dedent))
    }

    fn run(&mut self) -> Option<Bracket> {
        loop {
            if self.error.is_some() || self.soft.is_some() {
                return None;
            }
            if self.at_line_start {
                self.at_line_start = false;
                self.indentation();
                continue;
            }
            while matches!(self.peek(), Some(' ' | '\t' | '\x0c')) {
                self.pos += 1;
            }
            let start = self.pos;
            let Some(c) = self.peek() else {
                return self.finish();
            };
            match c {
                '#' => {
                    while let Some(c) = self.peek() {
                        if c == '\n' || c == '\r' {
                            break;
                        }
                        self.pos += c.len_utf8();
                    }
                }
                '\n' | '\r' => {
                    self.eat_newline();
                    if self.brackets.is_empty() && self.code_on_line() {
                        self.push(Kind::Newline, start);
                    }
                    self.at_line_start = true;
                }
                '\\' => {
                    self.continuation(start);
                }
                '\'' | '"' => self.string(start),
                '0'..='9' => self.number(start),
                '.' if is_digit(self.peek_second()) => self.number(start),
                '(' | '[' | '{' => self.open(start, c),
                ')' | ']' | '}' => self.close(start, c),
                c if c == '_' || c.is_ascii_alphabetic() || !c.is_ascii() => self.name(start),
                _ => self.operator(start, c),
            }
        }
    }

    fn eat_newline(&mut self) {
        if self.peek() == Some('\r') {
            self.pos += 1;
            if self.peek() == Some('\n') {
                self.pos += 1;
            }
        } else {
            self.pos += 1;
        }
    }

    fn finish(&mut self) -> Option<Bracket> {
        if let Some(bracket) = self.brackets.last() {
            return Some(*bracket);
        }
        let end = self.src.len();
        if self.code_on_line() {
            self.tokens.push(Token {
                kind: Kind::Newline,
                start: end,
                end,
                depth: 0,
            });
        }
        for _ in 1..self.indents.len() {
            self.tokens.push(Token {
                kind: Kind::Dedent,
                start: end,
                end,
                depth: 0,
            });
        }
        self.tokens.push(Token {
            kind: Kind::End,
            start: end,
            end,
            depth: 0,
        });
        None
    }

    fn indentation(&mut self) {
        let line_start = self.pos;
        let (mut col, mut altcol) = (0u32, 0u32);
        let mut continuation: Option<(u32, u32)> = None;
        loop {
            match self.peek() {
                Some(' ') => {
                    col = col.saturating_add(1);
                    altcol = altcol.saturating_add(1);
                }
                Some('\t') => {
                    col = (col / 8).saturating_add(1).saturating_mul(8);
                    altcol = altcol.saturating_add(1);
                }
                Some('\x0c') => {
                    col = 0;
                    altcol = 0;
                }
                Some('\\') => {
                    // A `\` continuation in the indentation: the column
                    // before the first one counts.
                    if !self.continuation(self.pos) {
                        return;
                    }
                    continuation.get_or_insert((col, altcol));
                    continue;
                }
                _ => break,
            }
            self.pos += 1;
        }
        if let Some((first_col, first_altcol)) = continuation {
            col = first_col;
            altcol = first_altcol;
        }
        if matches!(self.peek(), None | Some('#' | '\n' | '\r')) || !self.brackets.is_empty() {
            return;
        }
        let line = self.line(self.pos);
        let (top, top_alt) = self.indents.last().copied().unwrap_or((0, 0));
        if col == top {
            if altcol != top_alt {
                self.tab_error(line);
            }
        } else if col > top {
            if self.indents.len() >= 100 {
                let column = self.chars_before(self.pos).max(1);
                let offset = self.pos;
                self.fail_soft(
                    CompileErrorKind::IndentationError,
                    "too many levels of indentation",
                    line,
                    column,
                    offset,
                );
                return;
            }
            if altcol <= top_alt {
                self.tab_error(line);
                return;
            }
            self.indents.push((col, altcol));
            self.tokens.push(Token {
                kind: Kind::Indent,
                start: line_start,
                end: self.pos,
                depth: 0,
            });
        } else {
            while self.indents.len() > 1 && self.indents.last().is_some_and(|(top, _)| col < *top) {
                self.indents.pop();
                self.tokens.push(Token {
                    kind: Kind::Dedent,
                    start: self.pos,
                    end: self.pos,
                    depth: 0,
                });
            }
            let (top, top_alt) = self.indents.last().copied().unwrap_or((0, 0));
            if col != top {
                let column = line_length(self.src, line) + 1;
                let offset = self.pos;
                self.fail_soft(
                    CompileErrorKind::IndentationError,
                    "unindent does not match any outer indentation level",
                    line,
                    column,
                    offset,
                );
            } else if altcol != top_alt {
                self.tab_error(line);
            }
        }
    }

    fn tab_error(&mut self, line: u32) {
        let offset = self.pos;
        self.fail_soft(
            CompileErrorKind::TabError,
            "inconsistent use of tabs and spaces in indentation",
            line,
            1,
            offset,
        );
    }

    /// A `\` at `start`: it must end its line, and another line must follow.
    fn continuation(&mut self, start: usize) -> bool {
        self.pos += 1;
        let line = self.line(start);
        match self.peek() {
            Some('\n' | '\r') => self.eat_newline(),
            None => {}
            Some(_) => {
                let column = self.chars_before(start) + 2;
                self.fail_soft(
                    CompileErrorKind::SyntaxError,
                    "unexpected character after line continuation character",
                    line,
                    column,
                    start,
                );
                return false;
            }
        }
        if self.peek().is_none() {
            let column = line_length(self.src, line) + 1;
            self.fail_soft(
                CompileErrorKind::SyntaxError,
                "unexpected EOF while parsing",
                line,
                column,
                start,
            );
            return false;
        }
        true
    }

    /// A string literal; `self.pos` is on its opening quote, `start` on its
    /// prefix.
    fn string(&mut self, start: usize) {
        let Some(quote) = self.nextc() else {
            return;
        };
        let mut quote_size = 1;
        let mut end_size = 0;
        if self.peek() == Some(quote) {
            self.pos += 1;
            if self.peek() == Some(quote) {
                self.pos += 1;
                quote_size = 3;
            } else {
                end_size = 1;
            }
        }
        while end_size != quote_size {
            match self.peek() {
                None => {
                    let detected = self.line(self.src.len().saturating_sub(1));
                    self.unterminated(start, quote_size, detected);
                    return;
                }
                Some('\n' | '\r') if quote_size == 1 => {
                    let detected = self.line(self.pos);
                    self.unterminated(start, quote_size, detected);
                    return;
                }
                Some(c) => {
                    self.pos += c.len_utf8();
                    if c == quote {
                        end_size += 1;
                    } else {
                        end_size = 0;
                        if c == '\\' {
                            match self.peek() {
                                Some('\r') => self.eat_newline(),
                                Some(escaped) => self.pos += escaped.len_utf8(),
                                None => {}
                            }
                        }
                    }
                }
            }
        }
        self.push(Kind::Str, start);
    }

    fn unterminated(&mut self, start: usize, quote_size: usize, detected: u32) {
        let message = if quote_size == 3 {
            format!("unterminated triple-quoted string literal (detected at line {detected})")
        } else {
            format!("unterminated string literal (detected at line {detected})")
        };
        let (line, column) = (self.line(start), self.chars_before(start) + 1);
        self.fail(CompileErrorKind::SyntaxError, message, line, column);
    }

    fn number(&mut self, start: usize) {
        let first = self.nextc();
        let result = if first == Some('.') {
            let c = self.nextc();
            self.fraction(c)
        } else if first == Some('0') {
            self.zero_number(start)
        } else {
            match self.decimal_tail() {
                Some(c) => self.after_integer(c),
                None => Err(()),
            }
        };
        if result.is_ok() {
            self.push(Kind::Number, start);
        }
    }

    /// Digits and underscores after a digit; gives back the first other
    /// character (consumed), or `None` after an error.
    fn decimal_tail(&mut self) -> Option<Option<char>> {
        loop {
            let mut c = self.nextc();
            while is_digit(c) {
                c = self.nextc();
            }
            if c != Some('_') {
                return Some(c);
            }
            c = self.nextc();
            if !is_digit(c) {
                self.backup(c);
                self.fail_here("invalid decimal literal");
                return None;
            }
        }
    }

    fn after_integer(&mut self, c: Option<char>) -> Result<(), ()> {
        if c == Some('.') {
            let c = self.nextc();
            return self.fraction(c);
        }
        self.exponent(c)
    }

    fn fraction(&mut self, mut c: Option<char>) -> Result<(), ()> {
        if is_digit(c) {
            c = self.decimal_tail().ok_or(())?;
        }
        self.exponent(c)
    }

    /// The exponent and imaginary suffix, then the end-of-number check;
    /// leaves `self.pos` at the end of the literal.
    fn exponent(&mut self, mut c: Option<char>) -> Result<(), ()> {
        if matches!(c, Some('e' | 'E')) {
            let e = c;
            c = self.nextc();
            if matches!(c, Some('+' | '-')) {
                c = self.nextc();
                if !is_digit(c) {
                    self.backup(c);
                    self.fail_here("invalid decimal literal");
                    return Err(());
                }
            } else if !is_digit(c) {
                self.backup(c);
                if !self.verify_end(e, "decimal") {
                    return Err(());
                }
                self.backup(e);
                return Ok(());
            }
            c = self.decimal_tail().ok_or(())?;
        }
        if matches!(c, Some('j' | 'J')) {
            c = self.nextc();
            if !self.verify_end(c, "imaginary") {
                return Err(());
            }
        } else if !self.verify_end(c, "decimal") {
            return Err(());
        }
        self.backup(c);
        Ok(())
    }

    fn zero_number(&mut self, start: usize) -> Result<(), ()> {
        let mut c = self.nextc();
        match c {
            Some('x' | 'X') => {
                c = self.nextc();
                loop {
                    if c == Some('_') {
                        c = self.nextc();
                    }
                    if !c.is_some_and(|c| c.is_ascii_hexdigit()) {
                        self.backup(c);
                        self.fail_here("invalid hexadecimal literal");
                        return Err(());
                    }
                    c = self.nextc();
                    while c.is_some_and(|c| c.is_ascii_hexdigit()) {
                        c = self.nextc();
                    }
                    if c != Some('_') {
                        break;
                    }
                }
                if !self.verify_end(c, "hexadecimal") {
                    return Err(());
                }
                self.backup(c);
                Ok(())
            }
            Some('o' | 'O') => self.radix_number(8, "octal"),
            Some('b' | 'B') => self.radix_number(2, "binary"),
            _ => {
                let mut nonzero = false;
                loop {
                    if c == Some('_') {
                        c = self.nextc();
                        if !is_digit(c) {
                            self.backup(c);
                            self.fail_here("invalid decimal literal");
                            return Err(());
                        }
                    }
                    if c != Some('0') {
                        break;
                    }
                    c = self.nextc();
                }
                if is_digit(c) {
                    nonzero = true;
                    c = self.decimal_tail().ok_or(())?;
                }
                if c == Some('.') {
                    let c = self.nextc();
                    return self.fraction(c);
                }
                if matches!(c, Some('e' | 'E' | 'j' | 'J')) {
                    return self.exponent(c);
                }
                if nonzero {
                    self.backup(c);
                    let (line, column) = (self.line(start), self.chars_before(start) + 1);
                    self.fail(
                        CompileErrorKind::SyntaxError,
                        "leading zeros in decimal integer literals are not permitted; \
                         use an 0o prefix for octal integers",
                        line,
                        column,
                    );
                    return Err(());
                }
                if !self.verify_end(c, "decimal") {
                    return Err(());
                }
                self.backup(c);
                Ok(())
            }
        }
    }

    fn radix_number(&mut self, radix: u32, name: &str) -> Result<(), ()> {
        let in_radix = |c: Option<char>| c.is_some_and(|c| c.is_digit(radix));
        let mut c = self.nextc();
        loop {
            if c == Some('_') {
                c = self.nextc();
            }
            if !in_radix(c) {
                match c.filter(char::is_ascii_digit) {
                    Some(digit) => {
                        self.fail_here(format!("invalid digit '{digit}' in {name} literal"))
                    }
                    None => {
                        self.backup(c);
                        self.fail_here(format!("invalid {name} literal"));
                    }
                }
                return Err(());
            }
            c = self.nextc();
            while in_radix(c) {
                c = self.nextc();
            }
            if c != Some('_') {
                break;
            }
        }
        if let Some(digit) = c.filter(char::is_ascii_digit) {
            self.fail_here(format!("invalid digit '{digit}' in {name} literal"));
            return Err(());
        }
        if !self.verify_end(c, name) {
            return Err(());
        }
        self.backup(c);
        Ok(())
    }

    /// CPython's `verify_end_of_number`: `c` (already consumed) follows a
    /// number; a letter there is an error unless a keyword starts with it.
    fn verify_end(&mut self, c: Option<char>, kind: &str) -> bool {
        let rest = self.src.get(self.pos..).unwrap_or("");
        let keyword_rest = |tail: &str| {
            rest.starts_with(tail) && !rest[tail.len()..].chars().next().is_some_and(is_ident_char)
        };
        let keyword = match c {
            Some('a') => keyword_rest("nd"),
            Some('e') => keyword_rest("lse"),
            Some('f') => keyword_rest("or"),
            Some('o') => keyword_rest("r"),
            Some('n') => keyword_rest("ot"),
            Some('i') => matches!(rest.chars().next(), Some('f' | 'n' | 's')),
            _ => false,
        };
        if keyword {
            return true;
        }
        // A non-ASCII letter after a number starts a name of its own.
        if c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            self.backup(c);
            self.fail_here(format!("invalid {kind} literal"));
            return false;
        }
        true
    }

    fn name(&mut self, start: usize) {
        let bytes = self.src.as_bytes();
        let (mut b, mut r, mut u, mut f) = (false, false, false, false);
        let mut p = self.pos;
        while let Some(&ch) = bytes.get(p) {
            match ch {
                b'b' | b'B' if !(b || u || f) => b = true,
                b'u' | b'U' if !(b || u || r || f) => u = true,
                b'r' | b'R' if !(r || u) => r = true,
                b'f' | b'F' if !(f || b || u) => f = true,
                _ => break,
            }
            p += 1;
            if matches!(bytes.get(p), Some(b'\'' | b'"')) {
                self.pos = p;
                self.string(start);
                return;
            }
        }
        let mut non_ascii = false;
        while let Some(c) = self.peek() {
            if !is_ident_char(c) {
                break;
            }
            non_ascii |= !c.is_ascii();
            self.pos += c.len_utf8();
        }
        if non_ascii && !self.verify_identifier(start) {
            return;
        }
        self.push(Kind::Name, start);
    }

    fn verify_identifier(&mut self, start: usize) -> bool {
        let text = self.src.get(start..self.pos).unwrap_or("");
        for (count, (offset, c)) in text.char_indices().enumerate() {
            let valid = if count == 0 {
                is_xid_start(c)
            } else {
                is_xid_continue(c)
            };
            if valid {
                continue;
            }
            let message = if is_printable(c) {
                format!("invalid character '{c}' (U+{:04X})", c as u32)
            } else {
                format!("invalid non-printable character U+{:04X}", c as u32)
            };
            let line = self.line(start + offset);
            let column = self.chars_before(start) + to_u32(count) + 1;
            self.fail(CompileErrorKind::SyntaxError, message, line, column);
            return false;
        }
        true
    }

    fn open(&mut self, start: usize, c: char) {
        if self.brackets.len() >= 200 {
            self.pos += 1;
            self.fail_here("too many nested parentheses");
            return;
        }
        let bracket = Bracket {
            ch: c,
            line: self.line(start),
            column: self.chars_before(start) + 1,
        };
        self.pos += 1;
        self.push(Kind::Op, start);
        self.brackets.push(bracket);
    }

    fn close(&mut self, start: usize, c: char) {
        self.pos += 1;
        let Some(open) = self.brackets.pop() else {
            self.fail_here(format!("unmatched '{c}'"));
            return;
        };
        if closing_for(open.ch) != c {
            let message = if open.line != self.line(start) {
                format!(
                    "closing parenthesis '{c}' does not match opening parenthesis '{}' on line {}",
                    open.ch, open.line
                )
            } else {
                format!(
                    "closing parenthesis '{c}' does not match opening parenthesis '{}'",
                    open.ch
                )
            };
            self.fail_here(message);
            return;
        }
        self.push(Kind::Op, start);
    }

    fn operator(&mut self, start: usize, c: char) {
        if c.is_ascii_control() {
            self.pos += 1;
            self.fail_here(format!(
                "invalid non-printable character U+{:04X}",
                c as u32
            ));
            return;
        }
        let rest = self.src.get(self.pos..).unwrap_or("");
        let length = OPERATORS
            .iter()
            .find(|op| rest.starts_with(*op))
            .map(|op| op.len())
            .unwrap_or(c.len_utf8());
        self.pos += length;
        self.push(Kind::Op, start);
    }
}

// ---------------------------------------------------------------------------
// Parser errors

fn map_parse_error(
    error: &ParseErrorType,
    offset: usize,
    source: &str,
    depth: u32,
) -> CompileError {
    let index = LineIndex::new(source);
    if let Some(error) = null_byte_error(source, &index) {
        return error;
    }
    let scan = Scanner::scan(source, &index);
    if let Some(error) = scan.error {
        return error;
    }
    let offset = offset.min(source.len());
    let ctx = Ctx {
        src: source,
        index: &index,
        tokens: scan.tokens,
        depth,
        compile_fstrings: true,
    };
    let tok = match error {
        ParseErrorType::UnrecognizedToken(tok, _) | ParseErrorType::ExtraToken(tok) => Some(tok),
        _ => None,
    };
    let ti = ctx.find_token(offset, tok);
    // Errors in string literals: CPython finds them as its parser goes.
    let string_error = ctx.string_error_before(ti);
    // CPython's tokenizer stops at an indentation or line-continuation error
    // when its parser gets there: before the parser failed, or while it
    // reads on to word its error.  (This parser also rejects some
    // indentation CPython accepts.)
    if let Some((soft_offset, soft_error)) = scan.soft {
        let indentation = matches!(
            error,
            ParseErrorType::Lexical(
                LexicalErrorType::TabError
                    | LexicalErrorType::TabsAfterSpaces
                    | LexicalErrorType::IndentationError
            )
        );
        if soft_offset <= offset || indentation || ctx.lookahead_end(ti) >= ctx.tokens.len() {
            return match string_error {
                Some((run, error)) if run < soft_offset => error,
                _ => soft_error,
            };
        }
    }
    if let Some(bracket) = scan.unclosed {
        let at_end = ti + 1 >= ctx.tokens.len()
            || matches!(
                error,
                ParseErrorType::Eof | ParseErrorType::Lexical(LexicalErrorType::Eof)
            );
        // A missing `:` or `(` is reported before reading on.
        let forced = ctx.expected_colon(ti).is_some()
            || ctx.expected_paren(ti).is_some()
            || ctx.type_parameters(ti).is_some();
        let lookahead = if forced { ti } else { ctx.lookahead_end(ti) };
        let read_on =
            lookahead >= ctx.tokens.len() || ctx.line(ctx.start(lookahead)) > bracket.line;
        if at_end || read_on || ctx.line(offset) > bracket.line {
            return syntax_at(
                format!("'{}' was never closed", bracket.ch),
                bracket.line,
                bracket.column,
            );
        }
    }
    if let Some((_, error)) = string_error {
        return error;
    }
    match error {
        ParseErrorType::Lexical(lexical) => ctx.lexical(lexical, offset, ti),
        ParseErrorType::UnrecognizedToken(tok, expected) => {
            ctx.unrecognized(tok, expected.as_deref(), offset, ti)
        }
        _ => ctx.invalid_syntax(offset),
    }
}

/// The tokens of a source text, with the questions the mapping asks of them.
struct Ctx<'a> {
    src: &'a str,
    index: &'a LineIndex,
    tokens: Vec<Token>,
    /// How deep in f-string expressions we are.
    depth: u32,
    /// Whether to parse f-string expressions again to find their errors.
    compile_fstrings: bool,
}

impl Ctx<'_> {
    fn line(&self, offset: usize) -> u32 {
        self.index.line(to_u32(offset))
    }

    fn column(&self, offset: usize) -> u32 {
        self.index.column(self.src, to_u32(offset))
    }

    fn syntax(&self, message: impl Into<String>, offset: usize) -> CompileError {
        syntax_at(message, self.line(offset), self.column(offset))
    }

    fn invalid_syntax(&self, offset: usize) -> CompileError {
        self.syntax("invalid syntax", offset)
    }

    fn kind(&self, i: usize) -> Option<Kind> {
        self.tokens.get(i).map(|t| t.kind)
    }

    fn text(&self, i: usize) -> &str {
        self.tokens
            .get(i)
            .and_then(|t| self.src.get(t.start..t.end))
            .unwrap_or("")
    }

    fn start(&self, i: usize) -> usize {
        self.tokens
            .get(i)
            .map(|t| t.start)
            .unwrap_or(self.src.len())
    }

    fn depth_of(&self, i: usize) -> usize {
        self.tokens.get(i).map(|t| t.depth).unwrap_or(0)
    }

    fn is_op(&self, i: usize, op: &str) -> bool {
        self.kind(i) == Some(Kind::Op) && self.text(i) == op
    }

    fn is_opening(&self, i: usize) -> bool {
        self.kind(i) == Some(Kind::Op) && matches!(self.text(i), "(" | "[" | "{")
    }

    fn is_kw(&self, i: usize, keyword: &str) -> bool {
        self.kind(i) == Some(Kind::Name) && self.text(i) == keyword
    }

    /// The token the parser stopped at.
    fn find_token(&self, offset: usize, tok: Option<&Tok>) -> usize {
        let mut i = self.tokens.partition_point(|t| t.start < offset);
        let structural = matches!(tok, Some(Tok::Indent | Tok::Dedent));
        if !structural {
            while self
                .tokens
                .get(i)
                .is_some_and(|t| t.start == offset && matches!(t.kind, Kind::Indent | Kind::Dedent))
            {
                i += 1;
            }
        }
        i
    }

    /// The first token of the logical line holding token `i`.
    fn stmt_start(&self, i: usize) -> usize {
        let mut k = i.min(self.tokens.len());
        while k > 0 {
            let t = &self.tokens[k - 1];
            if matches!(t.kind, Kind::Newline | Kind::Indent | Kind::Dedent)
                || (t.depth == 0 && self.is_op(k - 1, ";"))
            {
                break;
            }
            k -= 1;
        }
        k
    }

    /// The bracket that encloses token `i` (for a closing bracket: the one
    /// it closes).
    fn opener(&self, i: usize) -> Option<usize> {
        if matches!(self.text(i), ")" | "]" | "}") && self.kind(i) == Some(Kind::Op) {
            let depth = self.depth_of(i);
            return (0..i.min(self.tokens.len()))
                .rev()
                .find(|&j| self.depth_of(j) == depth && self.is_opening(j));
        }
        let depth = self.depth_of(i);
        if depth == 0 {
            return None;
        }
        (0..i.min(self.tokens.len()))
            .rev()
            .find(|&j| self.tokens[j].depth < depth)
    }

    fn starts_expr(&self, i: usize) -> bool {
        let text = self.text(i);
        match self.kind(i) {
            Some(Kind::Name) => {
                !is_keyword(text)
                    || matches!(text, "None" | "True" | "False" | "not" | "lambda" | "await")
            }
            Some(Kind::Number | Kind::Str) => true,
            Some(Kind::Op) => matches!(text, "(" | "[" | "{" | "~" | "..."),
            _ => false,
        }
    }

    fn ends_atom(&self, i: usize) -> bool {
        let text = self.text(i);
        match self.kind(i) {
            Some(Kind::Name) => !is_keyword(text) || matches!(text, "None" | "True" | "False"),
            Some(Kind::Number | Kind::Str) => true,
            Some(Kind::Op) => matches!(text, ")" | "]" | "}" | "..."),
            _ => false,
        }
    }

    /// Whether token `i` ends the expression before it: for `bitwise` the
    /// expression is a `bitwise_or` (no comparisons or boolean operators),
    /// otherwise a `disjunction`.
    fn is_boundary(&self, i: usize, bitwise: bool) -> bool {
        let text = self.text(i);
        match self.kind(i) {
            Some(Kind::Name) => {
                is_keyword(text)
                    && !matches!(text, "None" | "True" | "False" | "await")
                    && (bitwise || !matches!(text, "not" | "and" | "or" | "in" | "is"))
            }
            Some(Kind::Op) => {
                matches!(text, "," | ";" | ":" | "=" | ":=" | "->" | "@")
                    || (text.ends_with('=') && !matches!(text, "==" | "!=" | "<=" | ">="))
                    || (bitwise && matches!(text, "<" | ">" | "==" | "!=" | "<=" | ">=" | "<>"))
            }
            Some(Kind::Number | Kind::Str) => false,
            _ => true,
        }
    }

    /// The first token of the expression that ends just before token `i`.
    fn expr_start(&self, i: usize, bitwise: bool) -> usize {
        let depth = self.depth_of(i);
        let mut k = i.min(self.tokens.len());
        while k > 0 {
            let t = &self.tokens[k - 1];
            if t.depth < depth || (t.depth == depth && self.is_boundary(k - 1, bitwise)) {
                break;
            }
            k -= 1;
        }
        k
    }

    /// Whether tokens `first..=last` are one parenthesized group.
    fn wrapped(&self, first: usize, last: usize) -> bool {
        if !self.is_op(first, "(") {
            return false;
        }
        let depth = self.depth_of(first);
        ((first + 1)..self.tokens.len()).find(|&j| self.tokens[j].depth == depth) == Some(last)
    }

    fn lexical(&self, error: &LexicalErrorType, offset: usize, ti: usize) -> CompileError {
        match error {
            LexicalErrorType::IndentationError => {
                // The parser also reports a block header at the end of the
                // file this way.
                let end = self.tokens.len().saturating_sub(1);
                self.expected_block(end).unwrap_or_else(|| {
                    error_at(
                        CompileErrorKind::IndentationError,
                        "unindent does not match any outer indentation level",
                        self.line(offset),
                        self.column(offset),
                    )
                })
            }
            LexicalErrorType::TabError | LexicalErrorType::TabsAfterSpaces => error_at(
                CompileErrorKind::TabError,
                "inconsistent use of tabs and spaces in indentation",
                self.line(offset),
                1,
            ),
            LexicalErrorType::DefaultArgumentError => {
                self.syntax("non-default argument follows default argument", offset)
            }
            LexicalErrorType::DuplicateArgumentError(name) => self.syntax(
                format!("duplicate argument '{name}' in function definition"),
                offset,
            ),
            LexicalErrorType::PositionalArgumentError => {
                let message = if self.double_star_before(ti) {
                    "positional argument follows keyword argument unpacking"
                } else {
                    "positional argument follows keyword argument"
                };
                // CPython points at the token after the argument.
                let depth = self.depth_of(ti);
                let after = (ti..self.tokens.len()).find(|&j| self.depth_of(j) < depth);
                let argument_end = (ti..self.tokens.len())
                    .find(|&j| {
                        self.depth_of(j) < depth
                            || (self.depth_of(j) == depth && self.is_op(j, ","))
                    })
                    .unwrap_or(self.tokens.len());
                if (ti..argument_end).any(|j| self.depth_of(j) == depth && self.is_kw(j, "for")) {
                    return self
                        .syntax("Generator expression must be parenthesized", self.start(ti));
                }
                self.syntax(message, after.map(|j| self.start(j)).unwrap_or(offset))
            }
            LexicalErrorType::UnpackedArgumentError => self.syntax(
                "iterable argument unpacking follows keyword argument unpacking",
                offset,
            ),
            LexicalErrorType::DuplicateKeywordArgumentError(name) => {
                self.syntax(format!("keyword argument repeated: {name}"), offset)
            }
            LexicalErrorType::UnrecognizedToken { .. } => {
                let at = if self
                    .tokens
                    .get(ti)
                    .is_some_and(|t| t.start == offset && t.kind == Kind::Op)
                {
                    offset
                } else {
                    let before = self.tokens.partition_point(|t| t.start < offset);
                    before
                        .checked_sub(1)
                        .map(|i| self.start(i))
                        .unwrap_or(offset)
                };
                self.invalid_syntax(at)
            }
            LexicalErrorType::FStringError(error) => self.fstring_error(error, offset),
            LexicalErrorType::LineContinuationError => self.syntax(
                "unexpected character after line continuation character",
                offset,
            ),
            LexicalErrorType::Eof => self.syntax("unexpected EOF while parsing", offset),
            LexicalErrorType::StringError | LexicalErrorType::UnicodeError => self
                .string_token_at(offset)
                .and_then(|i| self.string_run_error(self.run_start(i)))
                .unwrap_or_else(|| self.invalid_syntax(offset)),
            LexicalErrorType::NestingError => self.invalid_syntax(offset),
            LexicalErrorType::OtherError(message) => match message.as_str() {
                "cannot mix bytes and nonbytes literals"
                | "bytes can only contain ASCII literal characters" => self
                    .string_token_at(offset)
                    .and_then(|i| self.string_run_error(self.run_start(i)))
                    .unwrap_or_else(|| self.syntax(message.clone(), offset)),
                "named arguments must follow bare *"
                | "cannot use starred expression here"
                | "cannot use double starred expression here"
                | "cannot use '_' as a target" => self.syntax(message.clone(), offset),
                "Invalid decimal literal" => self.syntax("invalid decimal literal", offset),
                _ => self.invalid_syntax(offset),
            },
        }
    }

    /// Whether a `**` argument comes before token `ti` in its call.
    fn double_star_before(&self, ti: usize) -> bool {
        let ti = ti.min(self.tokens.len());
        let Some(open) = (0..ti)
            .rev()
            .find(|&j| self.is_op(j, "(") && self.depth_of(j) < self.depth_of(ti))
        else {
            return (0..ti).any(|j| self.is_op(j, "**"));
        };
        let depth = self.depth_of(open) + 1;
        ((open + 1)..ti).any(|j| self.depth_of(j) == depth && self.is_op(j, "**"))
    }

    fn unrecognized(
        &self,
        tok: &Tok,
        expected: Option<&str>,
        offset: usize,
        ti: usize,
    ) -> CompileError {
        if *tok == Tok::Indent {
            let line = self.line(offset);
            let width = line_text(self.src, line)
                .chars()
                .take_while(|c| matches!(c, ' ' | '\t' | '\x0c'))
                .count();
            return error_at(
                CompileErrorKind::IndentationError,
                "unexpected indent",
                line,
                to_u32(width.max(1)),
            );
        }
        if expected == Some("Indent") {
            return self.expected_block(ti).unwrap_or_else(|| {
                error_at(
                    CompileErrorKind::IndentationError,
                    "expected an indented block",
                    self.line(offset),
                    self.column(offset),
                )
            });
        }
        if ti >= self.tokens.len() {
            return self.invalid_syntax(offset);
        }
        let rules: [fn(&Self, usize) -> Option<CompileError>; 15] = [
            Ctx::earlier_statement_error,
            Ctx::del_target,
            Ctx::try_without_handler,
            Ctx::type_parameters,
            Ctx::parameter_error,
            Ctx::for_target,
            Ctx::assignment_misuse,
            Ctx::comprehension_misuse,
            Ctx::ternary_without_else,
            Ctx::legacy_call,
            Ctx::dict_misuse,
            Ctx::missing_comma,
            Ctx::multiple_exception_types,
            Ctx::trailing_comma_import,
            Ctx::expected_paren,
        ];
        for rule in rules {
            if let Some(error) = rule(self, ti) {
                return error;
            }
        }
        if expected == Some("\"else\"") && !self.is_op(ti, ":") {
            let depth = self.depth_of(ti);
            let at = (0..ti)
                .rev()
                .find(|&j| self.depth_of(j) == depth && self.is_kw(j, "if"))
                .map(|j| self.start(self.expr_start(j, false)))
                .unwrap_or(offset);
            return self.syntax("expected 'else' after 'if' expression", at);
        }
        if let Some(error) = self.expected_colon(ti) {
            return error;
        }
        if let Some(error) = self.annotated_tuple(ti) {
            return error;
        }
        self.invalid_syntax(self.start(ti))
    }

    /// `a, b: int`.
    fn annotated_tuple(&self, ti: usize) -> Option<CompileError> {
        if !self.is_op(ti, ":") || self.depth_of(ti) != 0 {
            return None;
        }
        let s = self.stmt_start(ti);
        let keyword = self.text(s);
        if self.kind(s) == Some(Kind::Name)
            && is_keyword(keyword)
            && !matches!(keyword, "None" | "True" | "False")
        {
            return None;
        }
        if (s..ti).any(|j| self.depth_of(j) == 0 && self.is_op(j, ",")) {
            return Some(self.syntax(
                "only single target (not tuple) can be annotated",
                self.start(s),
            ));
        }
        None
    }

    /// "expected an indented block after ..." for the block header that ends
    /// just before token `ti`.
    fn expected_block(&self, ti: usize) -> Option<CompileError> {
        let mut k = ti.min(self.tokens.len());
        while k > 0 && self.kind(k - 1) == Some(Kind::Dedent) {
            k -= 1;
        }
        if k < 2 || self.kind(k - 1) != Some(Kind::Newline) || !self.is_op(k - 2, ":") {
            return None;
        }
        let newline = k - 1;
        let mut header = self.stmt_start(newline);
        if self.is_kw(header, "async") {
            header += 1;
        }
        let keyword = self.text(header);
        let what = match keyword {
            "if" | "elif" | "else" | "while" | "for" | "with" | "try" | "finally" | "match"
            | "case" => {
                format!("'{keyword}' statement")
            }
            "except" if self.is_op(header + 1, "*") => "'except*' statement".to_string(),
            "except" => "'except' statement".to_string(),
            "def" => "function definition".to_string(),
            "class" => "class definition".to_string(),
            _ => return None,
        };
        let header_line = self.line(self.start(header));
        let message = format!("expected an indented block after {what} on line {header_line}");
        let mut at = ti;
        while self.kind(at) == Some(Kind::Dedent) {
            at += 1;
        }
        let (line, column) = match self.tokens.get(at) {
            Some(t) if t.kind != Kind::End => (self.line(t.start), self.column(t.start)),
            _ => {
                let line = self.line(self.start(newline));
                (line, line_length(self.src, line) + 1)
            }
        };
        Some(error_at(
            CompileErrorKind::IndentationError,
            message,
            line,
            column,
        ))
    }

    /// A statement after a `try:` block that has no handler.
    fn try_without_handler(&self, ti: usize) -> Option<CompileError> {
        if self.stmt_start(ti) != ti || ti == 0 {
            return None;
        }
        let column = self.column(self.start(ti));
        let mut k = ti;
        loop {
            while k > 0
                && matches!(
                    self.kind(k - 1),
                    Some(Kind::Newline | Kind::Indent | Kind::Dedent)
                )
            {
                k -= 1;
            }
            if k == 0 {
                return None;
            }
            let s = self.stmt_start(k - 1);
            let s_column = self.column(self.start(s));
            if s_column < column {
                return None;
            }
            if s_column == column {
                if self.is_kw(s, "try") {
                    return Some(
                        self.syntax("expected 'except' or 'finally' block", self.start(ti)),
                    );
                }
                return None;
            }
            k = s;
        }
    }

    /// A `for` statement whose target cannot be assigned to.
    fn for_target(&self, ti: usize) -> Option<CompileError> {
        let mut header = self.stmt_start(ti);
        if self.is_kw(header, "async") {
            header += 1;
        }
        if !self.is_kw(header, "for") || ti <= header + 1 {
            return None;
        }
        let end = ((header + 1)..ti)
            .find(|&j| self.depth_of(j) == 0 && self.is_kw(j, "in"))
            .unwrap_or(ti);
        if end <= header + 1 {
            return None;
        }
        let start = self.start(header + 1);
        let text = self.src.get(start..self.tokens[end - 1].end)?;
        let expr = parse_fragment(text)?;
        let bad = invalid_target(&expr, false)?;
        // The fragment was parsed inside one more parenthesis.
        let at = start + usize::from(bad.start()).saturating_sub(1);
        Some(self.syntax(format!("cannot assign to {}", expr_name(bad)), at))
    }

    /// `=` or `:=` where it cannot be.
    fn assignment_misuse(&self, ti: usize) -> Option<CompileError> {
        let walrus = self.is_op(ti, ":=");
        if !walrus && !self.is_op(ti, "=") {
            return None;
        }
        let first = self.expr_start(ti, true);
        if !walrus && self.depth_of(ti) == 0 && first > 0 && self.is_kw(first - 1, "yield") {
            let yield_at = first - 1;
            if yield_at == self.stmt_start(ti) || (yield_at > 0 && self.is_op(yield_at - 1, "=")) {
                return Some(self.syntax(
                    "assignment to yield expression not possible",
                    self.start(yield_at),
                ));
            }
        }
        if let Some(error) = self.keyword_argument_misuse(ti) {
            return Some(error);
        }
        if first >= ti {
            return None;
        }
        let last = ti - 1;
        let at = self.start(first);
        let text = self.src.get(at..self.tokens[last].end).unwrap_or("");
        let single = first == last;
        let single_name = single && self.kind(first) == Some(Kind::Name) && !is_keyword(text);
        let constant = single && matches!(text, "True" | "False" | "None");
        let boundary = first.checked_sub(1);
        let opener = self.opener(ti);
        let in_call = opener.is_some_and(|open| {
            self.is_op(open, "(")
                && open > 0
                && self.ends_atom(open - 1)
                && !self.is_kw(open - 1, "None")
        });
        if in_call {
            // `keyword_argument_misuse` has looked at it.
            return None;
        }
        let statement_start = first == self.stmt_start(ti);
        let named_context = statement_start
            || boundary.is_some_and(|b| {
                ["if", "elif", "while"].iter().any(|kw| self.is_kw(b, kw))
                    || Some(b) == opener
                    || (opener.is_some() && self.is_op(b, ","))
            });
        if walrus {
            if !named_context || in_call || single_name || !self.starts_expr(ti + 1) {
                return None;
            }
            let expr = parse_fragment(text)?;
            let message = format!(
                "cannot use assignment expressions with {}",
                expr_name(&expr)
            );
            return Some(self.syntax(message, at));
        }
        let value = self.starts_expr(ti + 1) || matches!(self.text(ti + 1), "-" | "+");
        if !named_context || constant || !value {
            return None;
        }
        if single_name {
            return Some(self.syntax(
                "invalid syntax. Maybe you meant '==' or ':=' instead of '='?",
                at,
            ));
        }
        let expr = parse_fragment(text)?;
        let wrapped = self.wrapped(first, last);
        let excluded = matches!(expr, ast::Expr::List(_) | ast::Expr::GeneratorExp(_))
            || (matches!(expr, ast::Expr::Tuple(_)) && wrapped);
        if excluded || !(is_bitwise_or(&expr) || wrapped) {
            return None;
        }
        let message = format!(
            "cannot assign to {} here. Maybe you meant '==' instead of '='?",
            expr_name(&expr)
        );
        Some(self.syntax(message, at))
    }

    /// `=` after an argument of a call that is not a name.
    fn keyword_argument_misuse(&self, ti: usize) -> Option<CompileError> {
        if !self.is_op(ti, "=") {
            return None;
        }
        let open = self.opener(ti)?;
        if !(self.is_op(open, "(") && open > 0 && self.ends_atom(open - 1)) {
            return None;
        }
        let depth = self.depth_of(ti);
        let mut first = ti;
        while first > open + 1 && !(self.depth_of(first - 1) == depth && self.is_op(first - 1, ","))
        {
            first -= 1;
        }
        let expression = (first..ti).all(|j| !(self.depth_of(j) == depth && self.is_op(j, "=")))
            && !self.is_op(first, "*")
            && !self.is_op(first, "**");
        if first >= ti || !expression || !self.ends_atom(ti - 1) {
            return None;
        }
        let at = self.start(first);
        let text = self.text(first);
        if first + 1 == ti {
            if matches!(text, "True" | "False" | "None") {
                return Some(self.syntax(format!("cannot assign to {text}"), at));
            }
            if self.kind(first) == Some(Kind::Name) && !is_keyword(text) {
                return None;
            }
        }
        Some(self.syntax(
            "expression cannot contain assignment, perhaps you meant \"==\"?",
            at,
        ))
    }

    /// `for` in a display that cannot be a comprehension.
    fn comprehension_misuse(&self, ti: usize) -> Option<CompileError> {
        let is_for =
            self.is_kw(ti, "for") || (self.is_kw(ti, "async") && self.is_kw(ti + 1, "for"));
        if !is_for {
            return None;
        }
        let open = self.opener(ti)?;
        let first = open + 1;
        if first >= ti {
            return None;
        }
        let depth = self.depth_of(ti);
        let bracket = self.text(open);
        let element_before =
            self.ends_atom(ti - 1) || (self.is_op(ti - 1, ",") && matches!(bracket, "[" | "{"));
        if !element_before {
            return None;
        }
        // An invalid target after `for` comes first.
        let target = if self.is_kw(ti, "async") {
            ti + 2
        } else {
            ti + 1
        };
        let target_end = (target..self.tokens.len())
            .find(|&j| {
                self.depth_of(j) < depth || (self.depth_of(j) == depth && self.is_kw(j, "in"))
            })
            .unwrap_or(self.tokens.len());
        if target < target_end {
            let start = self.start(target);
            let text = self
                .src
                .get(start..self.tokens[target_end - 1].end)
                .unwrap_or("");
            if let Some(bad) = parse_fragment(text)
                .as_ref()
                .and_then(|e| invalid_target(e, false))
            {
                let at = start + usize::from(bad.start()).saturating_sub(1);
                return Some(self.syntax(format!("cannot assign to {}", expr_name(bad)), at));
            }
        }
        if !self.ends_atom(ti - 1) {
            return None;
        }
        let at = self.start(first);
        if self.is_op(first, "**") && bracket == "{" {
            return Some(self.syntax("dict unpacking cannot be used in dict comprehension", at));
        }
        if self.is_op(first, "*") {
            return Some(self.syntax("iterable unpacking cannot be used in comprehension", at));
        }
        if matches!(bracket, "[" | "{")
            && (first..ti).any(|j| self.depth_of(j) == depth && self.is_op(j, ","))
        {
            return Some(self.syntax(
                "did you forget parentheses around the comprehension target?",
                at,
            ));
        }
        None
    }

    /// `print x` and `exec code`.
    fn legacy_call(&self, ti: usize) -> Option<CompileError> {
        let mut p = ti.checked_sub(1)?;
        // `print not x`: the parser failed where `in` was due.
        if self.is_kw(p, "not") && !self.is_kw(ti, "in") && p > 0 {
            p -= 1;
        }
        let name = self.text(p);
        if self.kind(p) != Some(Kind::Name) || !matches!(name, "print" | "exec") {
            return None;
        }
        if self.expr_start(p, false) != p || self.is_op(ti, "(") || !self.starts_expr(ti) {
            return None;
        }
        Some(self.syntax(
            format!("Missing parentheses in call to '{name}'. Did you mean {name}(...)?"),
            self.start(p),
        ))
    }

    /// The parameter list (of a `def` or a `lambda`) that token `ti` is
    /// directly in: (first token, end token, depth, is a lambda).
    fn parameter_list(&self, ti: usize) -> Option<(usize, usize, usize, bool)> {
        if let Some(open) = self.opener(ti) {
            let is_def = self.is_op(open, "(")
                && open >= 2
                && self.is_kw(open - 2, "def")
                && self.kind(open - 1) == Some(Kind::Name);
            if is_def {
                let depth = self.depth_of(open);
                let end = ((open + 1)..self.tokens.len())
                    .find(|&j| self.depth_of(j) == depth)
                    .unwrap_or(self.tokens.len());
                if self.depth_of(ti) == depth + 1 || ti == end {
                    return Some((open + 1, end, depth + 1, false));
                }
            }
        }
        let depth = self.depth_of(ti);
        let stops = |j: usize| {
            self.depth_of(j) < depth
                || (self.depth_of(j) == depth
                    && (self.is_op(j, ":") || self.kind(j) == Some(Kind::Newline)))
        };
        let mut lambda = None;
        for j in (0..ti.min(self.tokens.len())).rev() {
            if stops(j) {
                break;
            }
            if self.depth_of(j) == depth && self.is_kw(j, "lambda") {
                lambda = Some(j);
                break;
            }
        }
        let lambda = lambda?;
        let end = ((lambda + 1)..self.tokens.len())
            .find(|&j| stops(j))
            .unwrap_or(self.tokens.len());
        Some((lambda + 1, end, depth, true))
    }

    /// A bare `*` with no keyword-only parameter after it, which
    /// `rustpython-parser` lets through: (offset, error).
    fn bare_star(&self) -> Option<(usize, CompileError)> {
        (0..self.tokens.len()).find_map(|i| {
            if !self.is_op(i, "*") || i == 0 {
                return None;
            }
            let follows =
                self.is_op(i - 1, ",") || self.is_op(i - 1, "(") || self.is_kw(i - 1, "lambda");
            let ends = self.is_op(i + 1, ")")
                || self.is_op(i + 1, ":")
                || (self.is_op(i + 1, ",") && self.is_op(i + 2, "**"));
            if !(follows && ends) {
                return None;
            }
            let (first, end, _, _) = self.parameter_list(i)?;
            if first > i || i >= end {
                return None;
            }
            let at = self.start(i);
            Some((at, self.syntax("named arguments must follow bare *", at)))
        })
    }

    /// CPython's messages for a malformed parameter list.
    fn parameter_error(&self, ti: usize) -> Option<CompileError> {
        let (first, end, depth, lambda) = self.parameter_list(ti)?;
        let mut params = Vec::new();
        let mut start = first;
        for j in first..end {
            if self.depth_of(j) == depth && self.is_op(j, ",") {
                params.push((start, j));
                start = j + 1;
            }
        }
        if start < end {
            params.push((start, end));
        }
        let error = |message: &str, at: usize| Some(self.syntax(message, self.start(at)));
        let (mut slash, mut star, mut kwargs, mut default) = (false, false, false, false);
        for (i, &(a, b)) in params.iter().enumerate() {
            if a >= b {
                continue;
            }
            if kwargs {
                return error("arguments cannot follow var-keyword argument", a);
            }
            let eq = (a..b).find(|&j| self.depth_of(j) == depth && self.is_op(j, "="));
            if self.is_op(a, "/") {
                if i == 0 {
                    return error("at least one argument must precede /", a);
                }
                if slash {
                    return error("/ may appear only once", a);
                }
                if star {
                    return error("/ must be ahead of *", a);
                }
                if a + 1 < b && self.is_op(a + 1, "*") {
                    return error("expected comma between / and *", a + 1);
                }
                slash = true;
            } else if self.is_op(a, "*") {
                if star {
                    return error("* argument may appear only once", a);
                }
                if let Some(eq) = eq {
                    return error("var-positional argument cannot have default value", eq);
                }
                let next = params.get(i + 1).map(|&(n, _)| n);
                if a + 1 == b && next.is_none_or(|n| self.is_op(n, "**")) {
                    return error("named arguments must follow bare *", a);
                }
                star = true;
            } else if self.is_op(a, "**") {
                if let Some(eq) = eq {
                    return error("var-keyword argument cannot have default value", eq);
                }
                kwargs = true;
            } else if self.is_op(a, "(")
                && !default
                && params[..i]
                    .iter()
                    .all(|&(x, y)| x < y && self.kind(x) == Some(Kind::Name))
                && self.kind(a + 1) == Some(Kind::Name)
                && ((a + 1)..b).all(|j| {
                    (self.kind(j) == Some(Kind::Name) && !is_keyword(self.text(j)))
                        || self.is_op(j, ",")
                        || (self.is_op(j, ")") && j + 1 == b)
                })
            {
                return error(
                    if lambda {
                        "Lambda expression parameters cannot be parenthesized"
                    } else {
                        "Function parameters cannot be parenthesized"
                    },
                    a,
                );
            } else if let Some(eq) = eq {
                if eq + 1 >= b {
                    return error("expected default value expression", eq);
                }
                default = true;
            } else if default && !star {
                return error("non-default argument follows default argument", a);
            }
        }
        None
    }

    /// Errors in the key/value pairs of a dict display.
    fn dict_misuse(&self, ti: usize) -> Option<CompileError> {
        let open = self.opener(ti)?;
        if !self.is_op(open, "{") {
            return None;
        }
        let depth = self.depth_of(open) + 1;
        let mut elements = Vec::new();
        let mut start = open + 1;
        for j in (open + 1)..ti {
            if self.depth_of(j) == depth && self.is_op(j, ",") {
                elements.push((start, j));
                start = j + 1;
            }
        }
        if ((open + 1)..ti).any(|j| self.depth_of(j) == depth && self.is_kw(j, "for")) {
            return None;
        }
        let colon_in =
            |a: usize, b: usize| (a..b).find(|&j| self.depth_of(j) == depth && self.is_op(j, ":"));
        if let Some(colon) = colon_in(start, ti) {
            if colon + 1 == ti && (self.is_op(ti, "}") || self.is_op(ti, ",")) {
                return Some(self.syntax(
                    "expression expected after dictionary key and ':'",
                    self.start(colon),
                ));
            }
            if colon + 1 == ti && self.is_op(ti, "*") {
                return Some(self.syntax(
                    "cannot use a starred expression in a dictionary value",
                    self.start(ti),
                ));
            }
            return None;
        }
        let pairs = !elements.is_empty()
            && elements
                .iter()
                .all(|&(a, b)| a < b && (self.is_op(a, "**") || colon_in(a, b).is_some()));
        if !pairs || start >= ti || self.is_op(start, "**") || self.is_op(ti, ":") {
            return None;
        }
        let key_end = self.tokens[ti - 1].end;
        let last_char = self
            .src
            .get(..key_end)
            .and_then(|text| text.char_indices().next_back())
            .map_or(key_end, |(i, _)| i);
        Some(self.syntax("':' expected after dictionary key", last_char))
    }

    /// Roughly the last token CPython's parser reads after failing at token
    /// `ti`: when the failure is two expressions side by side (or `name =`
    /// where `==` was meant), its error rules read the second expression and
    /// the token after it.
    fn lookahead_end(&self, ti: usize) -> usize {
        let statement = self.text(self.stmt_start(ti));
        let juxtaposed = ti > 0
            && self.ends_atom(ti - 1)
            && self.starts_expr(ti)
            && !matches!(
                statement,
                "import" | "from" | "global" | "nonlocal" | "def" | "class"
            );
        if juxtaposed {
            self.expression_end(ti)
        } else if self.is_op(ti, "=") && self.assignment_misuse(ti).is_some() {
            self.expression_end(ti + 1)
        } else {
            ti
        }
    }

    /// The token after the expression that starts at token `start`.
    fn expression_end(&self, start: usize) -> usize {
        self.scan_expression(start, false)
    }

    /// Like `expression_end`, but when the expression breaks off after an
    /// operator, the token after its last complete operand (where a PEG
    /// parser backtracks to).
    fn complete_expression_end(&self, start: usize) -> usize {
        self.scan_expression(start, true)
    }

    fn scan_expression(&self, start: usize, backtrack: bool) -> usize {
        let Some(first) = self.tokens.get(start) else {
            return self.tokens.len();
        };
        let depth = first.depth;
        let mut operand = false;
        let mut complete = start;
        for j in start..self.tokens.len() {
            let token_depth = self.depth_of(j);
            if token_depth < depth {
                return j;
            }
            if token_depth > depth {
                continue;
            }
            let text = self.text(j);
            let kind = self.kind(j);
            if operand {
                let continues = match kind {
                    Some(Kind::Op) => {
                        BINARY_OPERATORS.contains(&text) || matches!(text, "." | "(" | "[")
                    }
                    Some(Kind::Name) => {
                        matches!(text, "and" | "or" | "not" | "in" | "is" | "if" | "else")
                    }
                    Some(Kind::Str) => self.kind(j - 1) == Some(Kind::Str),
                    _ => false,
                };
                if !continues {
                    return j;
                }
                complete = j;
                operand = kind == Some(Kind::Str);
            } else if (kind == Some(Kind::Op) && matches!(text, ")" | "]" | "}" | "..."))
                || (self.starts_expr(j)
                    && !self.is_opening(j)
                    && !matches!(text, "not" | "lambda" | "await"))
            {
                operand = true;
            } else if !(self.starts_expr(j) || matches!(text, "-" | "+" | "*" | "**" | "yield")) {
                return if backtrack { complete } else { j };
            }
            // A bracket whose contents cannot start: the parser stops inside.
            if self.is_opening(j) {
                let next = j + 1;
                let closes =
                    self.kind(next) == Some(Kind::Op) && matches!(self.text(next), ")" | "]" | "}");
                let inner = self.starts_expr(next)
                    || matches!(self.text(next), "-" | "+" | "*" | "**" | "yield");
                if !(closes || inner) {
                    return if backtrack { complete } else { next };
                }
            }
        }
        if backtrack && !operand {
            complete
        } else {
            self.tokens.len()
        }
    }

    /// `def name[` and `class name[`: type parameters, new in Python 3.12.
    fn type_parameters(&self, ti: usize) -> Option<CompileError> {
        let mut header = self.stmt_start(ti);
        if self.is_kw(header, "async") {
            header += 1;
        }
        let def = self.is_kw(header, "def");
        if !(def || self.is_kw(header, "class"))
            || self.kind(header + 1) != Some(Kind::Name)
            || !self.is_op(header + 2, "[")
            || ti < header + 2
        {
            return None;
        }
        let message = if def {
            "expected '('"
        } else {
            "invalid syntax"
        };
        Some(self.syntax(message, self.start(header + 2)))
    }

    /// `a if b` with no `else`.
    fn ternary_without_else(&self, ti: usize) -> Option<CompileError> {
        let depth = self.depth_of(ti);
        let lower = match self.opener(ti) {
            Some(open) => open + 1,
            None => self.stmt_start(ti),
        };
        for j in (lower..ti.min(self.tokens.len())).rev() {
            if self.depth_of(j) != depth {
                continue;
            }
            let text = self.text(j);
            if self.kind(j) == Some(Kind::Op) && matches!(text, "," | ":" | "=" | ":=" | ";") {
                return None;
            }
            if self.is_kw(j, "else") || self.is_kw(j, "lambda") || self.is_kw(j, "for") {
                return None;
            }
            if self.is_kw(j, "if") {
                if j == 0 || j + 1 >= ti || !self.ends_atom(j - 1) {
                    return None;
                }
                let comprehension =
                    (lower..j).any(|k| self.depth_of(k) == depth && self.is_kw(k, "for"));
                let condition_end = self.complete_expression_end(j + 1);
                if comprehension
                    || condition_end <= j + 1
                    || self.is_kw(condition_end, "else")
                    || self.is_op(condition_end, ":")
                {
                    return None;
                }
                let at = self.start(self.expr_start(j, false));
                return Some(self.syntax("expected 'else' after 'if' expression", at));
            }
        }
        None
    }

    /// `del` of something that cannot be deleted.
    fn del_target(&self, ti: usize) -> Option<CompileError> {
        let statement = self.stmt_start(ti);
        if !self.is_kw(statement, "del") || ti <= statement + 1 {
            return None;
        }
        let end = (statement..self.tokens.len())
            .find(|&j| {
                self.kind(j) == Some(Kind::Newline) || (self.depth_of(j) == 0 && self.is_op(j, ";"))
            })
            .unwrap_or(self.tokens.len());
        let start = self.start(statement + 1);
        let last = end.checked_sub(1).filter(|&last| last > statement)?;
        let text = self.src.get(start..self.tokens[last].end)?;
        let expr = parse_fragment(text)?;
        let bad = invalid_target(&expr, true)?;
        // The fragment was parsed inside one more parenthesis.
        let at = start + usize::from(bad.start()).saturating_sub(1);
        Some(self.syntax(format!("cannot delete {}", expr_name(bad)), at))
    }

    /// CPython's error rules go over the statements before the one that
    /// failed, and reject invalid targets there first (`5 = x` parses here).
    /// A statement that failed only for lacking its value (`f() =`) is
    /// checked too, with a stand-in value.
    fn earlier_statement_error(&self, ti: usize) -> Option<CompileError> {
        let statement = self.stmt_start(ti);
        let equal = ti.checked_sub(1).filter(|&p| {
            p > statement && self.is_op(p, "=") && self.depth_of(p) == 0 && !self.starts_expr(ti)
        });
        let text = match equal {
            // A value that does not make the target look like a comparison.
            Some(p) => format!("{} lambda: None\n", self.src.get(..self.tokens[p].end)?),
            None if statement > 0 => self.src.get(..self.start(statement))?.to_string(),
            None => return None,
        };
        let module = rustpython_parser::parse(&text, Mode::Module, "<prefix>").ok()?;
        let index = LineIndex::new(&text);
        let mut checker = Checker::new(&text, &index);
        if let ast::Mod::Module(module) = &module {
            checker.stmts(&module.body);
        }
        checker.parser.map(|(_, error)| error)
    }

    /// Two expressions side by side inside brackets.
    fn missing_comma(&self, ti: usize) -> Option<CompileError> {
        if self.depth_of(ti) == 0 {
            return None;
        }
        // `f(yield x)` inside brackets: `f` and `(yield x)` side by side.
        if self.is_kw(ti, "yield")
            && ti >= 2
            && self.is_op(ti - 1, "(")
            && self.depth_of(ti - 1) > 0
            && self.ends_atom(ti - 2)
        {
            let first = self.expr_start(ti - 1, false).min(ti - 2);
            return Some(self.syntax(
                "invalid syntax. Perhaps you forgot a comma?",
                self.start(first),
            ));
        }
        let mut p = ti.checked_sub(1)?;
        // `a not b`: the parser failed where `in` was due.
        if self.is_kw(p, "not") && p > 0 {
            p -= 1;
        }
        if !self.ends_atom(p) || !self.starts_expr(ti) || self.parameter_list(ti).is_some() {
            return None;
        }
        let lambda_ok = |j: usize| {
            self.kind(j) == Some(Kind::Name)
                || self.is_op(j, ":")
                || ((self.is_op(j, "*") || self.is_op(j, "**"))
                    && self.kind(j + 1) == Some(Kind::Name))
        };
        if self.is_kw(ti, "lambda") && !lambda_ok(ti + 1) {
            return None;
        }
        let operand_follows = |j: usize| {
            self.starts_expr(j) || self.is_op(j, "-") || self.is_op(j, "+") || self.is_op(j, "*")
        };
        if (self.is_kw(ti, "not") || self.is_kw(ti, "await")) && !operand_follows(ti + 1) {
            return None;
        }
        let first = self.expr_start(p + 1, false).min(p);
        // CPython skips `NAME STRING` and soft keywords here; its soft-keyword
        // test matches any name that starts `match` or `case`.
        let text = self.text(first);
        let soft_keyword = !text.is_empty()
            && ("match".starts_with(text) || "case".starts_with(text) || text == "_");
        if self.kind(first) == Some(Kind::Name) && self.kind(first + 1) == Some(Kind::Str) {
            return None;
        }
        if self.kind(first) == Some(Kind::Name) && soft_keyword {
            // CPython then finds the next pair of expressions side by side.
            let after = self.expression_end(ti);
            let next_pair = first == p
                && after > ti
                && self.depth_of(after) == self.depth_of(ti)
                && self.starts_expr(after);
            if !next_pair {
                return None;
            }
            return Some(self.syntax(
                "invalid syntax. Perhaps you forgot a comma?",
                self.start(ti),
            ));
        }
        // A comprehension's iterables and conditions are parsed after a cut,
        // without CPython's special error rules.
        let depth = self.depth_of(ti);
        let operand = self.expr_start(ti, true);
        let in_comprehension = operand > 0
            && (self.is_kw(operand - 1, "in") || self.is_kw(operand - 1, "if"))
            && self.opener(ti).is_some_and(|open| {
                (open..operand).any(|j| self.depth_of(j) == depth && self.is_kw(j, "for"))
            });
        if in_comprehension {
            return None;
        }
        Some(self.syntax(
            "invalid syntax. Perhaps you forgot a comma?",
            self.start(first),
        ))
    }

    fn multiple_exception_types(&self, ti: usize) -> Option<CompileError> {
        let s = self.stmt_start(ti);
        if self.is_op(ti, ",") && self.depth_of(ti) == 0 && self.is_kw(s, "except") {
            return Some(self.syntax(
                "multiple exception types must be parenthesized",
                self.start(s + 1),
            ));
        }
        None
    }

    fn trailing_comma_import(&self, ti: usize) -> Option<CompileError> {
        let s = self.stmt_start(ti);
        if self.kind(ti) == Some(Kind::Newline)
            && ti > 0
            && self.is_op(ti - 1, ",")
            && self.is_kw(s, "from")
        {
            return Some(self.syntax(
                "trailing comma not allowed without surrounding parentheses",
                self.start(ti),
            ));
        }
        None
    }

    /// `def name` without its parameter list.
    fn expected_paren(&self, ti: usize) -> Option<CompileError> {
        if ti >= 2
            && self.kind(ti - 1) == Some(Kind::Name)
            && self.is_kw(ti - 2, "def")
            && !self.is_op(ti, "(")
        {
            return Some(self.syntax("expected '('", self.start(ti)));
        }
        None
    }

    /// A block header missing its `:`.
    fn expected_colon(&self, ti: usize) -> Option<CompileError> {
        if self.depth_of(ti) != 0 || self.is_op(ti, ":") {
            return None;
        }
        let mut header = self.stmt_start(ti);
        if self.is_kw(header, "async") {
            header += 1;
        }
        let keyword = self.text(header);
        let compound = matches!(
            keyword,
            "if" | "elif"
                | "while"
                | "for"
                | "with"
                | "def"
                | "class"
                | "try"
                | "except"
                | "finally"
                | "else"
        );
        if !compound
            || header >= ti
            || (header..ti).any(|j| self.depth_of(j) == 0 && self.is_op(j, ":"))
        {
            return None;
        }
        if keyword == "for" && !(header..ti).any(|j| self.depth_of(j) == 0 && self.is_kw(j, "in")) {
            return None;
        }
        let p = ti - 1;
        let bare = matches!(keyword, "try" | "finally" | "else" | "except");
        let missing = if self.kind(ti) == Some(Kind::Newline) {
            self.ends_atom(p) || (p == header && bare)
        } else if p == header {
            matches!(keyword, "try" | "finally" | "else")
        } else {
            keyword == "def" && self.is_op(p, ")") && self.depth_of(p) == 0 && !self.is_op(ti, "->")
        };
        missing.then(|| self.syntax("expected ':'", self.start(ti)))
    }

    // -- strings ---------------------------------------------------------

    fn fstring_error(&self, error: &FStringErrorType, offset: usize) -> CompileError {
        if let Some(error) = self
            .string_token_at(offset)
            .and_then(|i| self.string_run_error(self.run_start(i)))
        {
            return error;
        }
        let message = match error {
            FStringErrorType::UnclosedLbrace | FStringErrorType::ExpectedRbrace => {
                "f-string: expecting '}'".to_string()
            }
            FStringErrorType::UnopenedRbrace | FStringErrorType::SingleRbrace => {
                "f-string: single '}' is not allowed".to_string()
            }
            FStringErrorType::InvalidExpression(_) => "f-string: invalid syntax".to_string(),
            FStringErrorType::InvalidConversionFlag => {
                "f-string: invalid conversion character: expected 's', 'r', or 'a'".to_string()
            }
            FStringErrorType::EmptyExpression => {
                "f-string: empty expression not allowed".to_string()
            }
            FStringErrorType::MismatchedDelimiter(open, close) => {
                format!("f-string: closing parenthesis '{close}' does not match opening parenthesis '{open}'")
            }
            FStringErrorType::ExpressionNestedTooDeeply => {
                "f-string: expressions nested too deeply".to_string()
            }
            FStringErrorType::ExpressionCannotInclude('\\') => {
                "f-string expression part cannot include a backslash".to_string()
            }
            FStringErrorType::ExpressionCannotInclude(c) => {
                format!("f-string expression part cannot include '{c}'")
            }
            FStringErrorType::Unmatched(c) => format!("f-string: unmatched '{c}'"),
            FStringErrorType::UnterminatedString => "f-string: unterminated string".to_string(),
        };
        match self.string_token_at(offset) {
            Some(i) => self.syntax(message, self.after_run(self.run_start(i))),
            None => self.syntax(message, offset),
        }
    }

    /// The string token holding `offset`, or the last one before it.
    fn string_token_at(&self, offset: usize) -> Option<usize> {
        let before = self.tokens.partition_point(|t| t.start <= offset);
        (0..before).rev().find(|&i| self.kind(i) == Some(Kind::Str))
    }

    /// The first token of the run of adjacent string literals holding `i`.
    fn run_start(&self, i: usize) -> usize {
        let mut first = i;
        while first > 0 && self.kind(first - 1) == Some(Kind::Str) {
            first -= 1;
        }
        first
    }

    /// Where CPython puts the caret for an error in the string run starting
    /// at token `first`: on the token after the run.
    fn after_run(&self, first: usize) -> usize {
        let mut end = first;
        while self.kind(end) == Some(Kind::Str) {
            end += 1;
        }
        match self.tokens.get(end) {
            Some(t) => t.start,
            None => end
                .checked_sub(1)
                .and_then(|last| self.tokens.get(last))
                .map_or(self.src.len(), |t| t.end),
        }
    }

    /// The error CPython raises when its parser turns the run of adjacent
    /// string literals starting at token `first` into a constant: a bad
    /// escape sequence, bytes mixed with str, or an f-string error.
    fn string_run_error(&self, first: usize) -> Option<CompileError> {
        let mut bytes_mode = None;
        let mut i = first;
        while self.kind(i) == Some(Kind::Str) {
            let text = self.text(i);
            let quote_at = text.find(['\'', '"']).unwrap_or(0);
            let prefix = text[..quote_at].to_ascii_lowercase();
            let (bytes, raw, fstring) = (
                prefix.contains('b'),
                prefix.contains('r'),
                prefix.contains('f'),
            );
            let body = literal_body(text);
            if bytes && !body.iter().all(char::is_ascii) {
                return Some(self.syntax(
                    "bytes can only contain ASCII literal characters",
                    self.start(i),
                ));
            }
            let mut problem = if raw || fstring {
                None
            } else {
                escape_issue(&body, bytes).map(plain)
            };
            if problem.is_none() && bytes_mode.is_some_and(|mode| mode != bytes) {
                problem = Some(plain("cannot mix bytes and nonbytes literals"));
            }
            if problem.is_none() && fstring {
                let mut compile = |expr: &str| self.compile_fstring_expr(expr);
                let mut at = 0;
                problem = fstring_parse(&body, &mut at, raw, 0, &mut compile).err();
            }
            bytes_mode.get_or_insert(bytes);
            if let Some((message, inner)) = problem {
                return Some(match inner {
                    Some((line, column)) => {
                        let line = self.line(self.start(i)) + line.saturating_sub(1);
                        syntax_at(message, line, column)
                    }
                    None => self.syntax(message, self.after_run(first)),
                });
            }
            i += 1;
        }
        None
    }

    /// CPython compiles each f-string expression as `(expression)` and
    /// prefixes its errors with "f-string: ".
    fn compile_fstring_expr(&self, expr: &str) -> Option<FError> {
        if !self.compile_fstrings || self.depth >= 4 {
            return None;
        }
        let wrapped = format!("({expr})");
        let error = match check_source(&wrapped) {
            Err(error) => error,
            Ok(()) => match rustpython_parser::parse(&wrapped, Mode::Expression, "<fstring>") {
                Ok(_) => return None,
                Err(error) => map_parse_error(
                    &error.error,
                    usize::from(error.offset),
                    &wrapped,
                    self.depth + 1,
                ),
            },
        };
        let message = if error.message.starts_with("f-string") {
            error.message
        } else {
            format!("f-string: {}", error.message)
        };
        Some((message, Some((error.line, error.column))))
    }

    /// The first string-run error in the runs that start at or before token
    /// `ti` (CPython raises them while parsing, before it fails at `ti`).
    /// (offset of the run, error).
    fn string_error_before(&self, ti: usize) -> Option<(usize, CompileError)> {
        let last = ti.min(self.tokens.len().saturating_sub(1));
        (0..=last)
            .filter(|&i| {
                self.kind(i) == Some(Kind::Str) && (i == 0 || self.kind(i - 1) != Some(Kind::Str))
            })
            .find_map(|i| self.string_run_error(i).map(|error| (self.start(i), error)))
    }
}

/// Parses a fragment of source as one expression (inside parentheses, so
/// line breaks do not matter).
fn parse_fragment(text: &str) -> Option<ast::Expr> {
    match rustpython_parser::parse(&format!("({text}\n)"), Mode::Expression, "<fragment>") {
        Ok(ast::Mod::Expression(module)) => Some(*module.body),
        _ => None,
    }
}

/// CPython's `_PyPegen_get_expr_name`.
fn expr_name(expr: &ast::Expr) -> &'static str {
    use ast::Expr;
    match expr {
        Expr::Attribute(_) => "attribute",
        Expr::Subscript(_) => "subscript",
        Expr::Starred(_) => "starred",
        Expr::Name(_) => "name",
        Expr::List(_) => "list",
        Expr::Tuple(_) => "tuple",
        Expr::Lambda(_) => "lambda",
        Expr::Call(_) => "function call",
        Expr::BoolOp(_) | Expr::BinOp(_) | Expr::UnaryOp(_) => "expression",
        Expr::GeneratorExp(_) => "generator expression",
        Expr::Yield(_) | Expr::YieldFrom(_) => "yield expression",
        Expr::Await(_) => "await expression",
        Expr::ListComp(_) => "list comprehension",
        Expr::SetComp(_) => "set comprehension",
        Expr::DictComp(_) => "dict comprehension",
        Expr::Dict(_) => "dict literal",
        Expr::Set(_) => "set display",
        Expr::JoinedStr(_) | Expr::FormattedValue(_) => "f-string expression",
        Expr::Constant(constant) => match constant.value {
            ast::Constant::None => "None",
            ast::Constant::Bool(true) => "True",
            ast::Constant::Bool(false) => "False",
            ast::Constant::Ellipsis => "ellipsis",
            _ => "literal",
        },
        Expr::Compare(_) => "comparison",
        Expr::IfExp(_) => "conditional expression",
        Expr::NamedExpr(_) => "named expression",
        Expr::Slice(_) => "slice",
    }
}

/// Whether an (unparenthesized) expression is a `bitwise_or` in CPython's
/// grammar, i.e. binds tighter than comparisons.
fn is_bitwise_or(expr: &ast::Expr) -> bool {
    use ast::Expr;
    match expr {
        Expr::BoolOp(_)
        | Expr::NamedExpr(_)
        | Expr::Lambda(_)
        | Expr::IfExp(_)
        | Expr::Compare(_)
        | Expr::Starred(_)
        | Expr::Yield(_)
        | Expr::YieldFrom(_) => false,
        Expr::UnaryOp(unary) => unary.op != ast::UnaryOp::Not,
        _ => true,
    }
}

/// The characters between the quotes of a string literal.
fn literal_body(literal: &str) -> Vec<char> {
    let quote_at = literal.find(['\'', '"']).unwrap_or(0);
    let rest = &literal[quote_at..];
    let quote = if rest.starts_with("\"\"\"") || rest.starts_with("'''") {
        3
    } else {
        1
    };
    if rest.len() < 2 * quote {
        return Vec::new();
    }
    rest[quote..rest.len() - quote].chars().collect()
}

/// An f-string error: the message, and for an error inside an expression its
/// (line, column) in the parenthesized expression.
type FError = (String, Option<(u32, u32)>);

fn plain(message: impl Into<String>) -> FError {
    (message.into(), None)
}

/// CPython 3.11's `fstring_parse`: literal text and replacement fields up to
/// the end of `body` (or, nested in a format spec, up to a `}`).
fn fstring_parse(
    body: &[char],
    i: &mut usize,
    raw: bool,
    level: u32,
    compile: &mut dyn FnMut(&str) -> Option<FError>,
) -> Result<(), FError> {
    loop {
        let literal_start = *i;
        let doubled = fstring_literal(body, i, raw, level)?;
        if !raw {
            let end = if doubled { (*i).saturating_sub(1) } else { *i };
            if let Some(message) = escape_issue(&body[literal_start..end.max(literal_start)], false)
            {
                return Err(plain(message));
            }
        }
        if doubled {
            continue;
        }
        if *i >= body.len() || body[*i] == '}' {
            break;
        }
        fstring_expr(body, i, raw, level, compile)?;
    }
    if level != 0 && body.get(*i) != Some(&'}') {
        return Err(plain("f-string: expecting '}'"));
    }
    Ok(())
}

/// CPython 3.11's `fstring_find_literal`; `Ok(true)` after a doubled brace.
fn fstring_literal(body: &[char], i: &mut usize, raw: bool, level: u32) -> Result<bool, FError> {
    while *i < body.len() {
        let mut c = body[*i];
        *i += 1;
        if !raw && c == '\\' && *i < body.len() {
            c = body[*i];
            *i += 1;
            if c == 'N' {
                if *i < body.len() {
                    let next = body[*i];
                    *i += 1;
                    if next == '{' {
                        while *i < body.len() {
                            *i += 1;
                            if body[*i - 1] == '}' {
                                break;
                            }
                        }
                    }
                }
                continue;
            }
        }
        if c == '{' || c == '}' {
            if level == 0 {
                if body.get(*i) == Some(&c) {
                    *i += 1;
                    return Ok(true);
                }
                if c == '}' {
                    *i -= 1;
                    return Err(plain("f-string: single '}' is not allowed"));
                }
            }
            *i -= 1;
            break;
        }
    }
    Ok(false)
}

/// CPython 3.11's `fstring_find_expr`: one replacement field, from its `{`.
fn fstring_expr(
    body: &[char],
    i: &mut usize,
    raw: bool,
    level: u32,
    compile: &mut dyn FnMut(&str) -> Option<FError>,
) -> Result<(), FError> {
    let expecting = || plain("f-string: expecting '}'");
    if level >= 2 {
        return Err(plain("f-string: expressions nested too deeply"));
    }
    *i += 1;
    let start = *i;
    let mut quote: Option<(char, usize)> = None;
    let mut stack: Vec<char> = Vec::new();
    while *i < body.len() {
        let c = body[*i];
        if c == '\\' {
            return Err(plain("f-string expression part cannot include a backslash"));
        }
        if let Some((q, size)) = quote {
            if c == q {
                if size == 3 {
                    if body.get(*i + 1) == Some(&c) && body.get(*i + 2) == Some(&c) {
                        *i += 3;
                        quote = None;
                        continue;
                    }
                } else {
                    *i += 1;
                    quote = None;
                    continue;
                }
            }
            *i += 1;
            continue;
        }
        match c {
            '\'' | '"' => {
                if body.get(*i + 1) == Some(&c) && body.get(*i + 2) == Some(&c) {
                    quote = Some((c, 3));
                    *i += 2;
                } else {
                    quote = Some((c, 1));
                }
            }
            '[' | '{' | '(' => {
                if stack.len() >= 200 {
                    return Err(plain("f-string: too many nested parenthesis"));
                }
                stack.push(c);
            }
            '#' => return Err(plain("f-string expression part cannot include '#'")),
            '!' | ':' | '}' | '=' | '>' | '<' if stack.is_empty() => {
                if body.get(*i + 1) == Some(&'=') && matches!(c, '!' | '=' | '<' | '>') {
                    *i += 2;
                    continue;
                }
                if c != '>' && c != '<' {
                    break;
                }
            }
            ']' | '}' | ')' => {
                let Some(open) = stack.pop() else {
                    return Err(plain(format!("f-string: unmatched '{c}'")));
                };
                if closing_for(open) != c {
                    return Err(plain(format!(
                        "f-string: closing parenthesis '{c}' does not match opening parenthesis '{open}'"
                    )));
                }
            }
            _ => {}
        }
        *i += 1;
    }
    if quote.is_some() {
        return Err(plain("f-string: unterminated string"));
    }
    if let Some(open) = stack.last() {
        return Err(plain(format!("f-string: unmatched '{open}'")));
    }
    let Some(&terminator) = body.get(*i) else {
        return Err(expecting());
    };
    let expr: String = body[start..*i].iter().collect();
    if expr
        .chars()
        .all(|c| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c'))
    {
        if matches!(terminator, '!' | ':' | '=') {
            return Err(plain(format!(
                "f-string: expression required before '{terminator}'"
            )));
        }
        return Err(plain("f-string: empty expression not allowed"));
    }
    if let Some(error) = compile(&expr) {
        return Err(error);
    }
    if body.get(*i) == Some(&'=') {
        *i += 1;
        while body.get(*i).is_some_and(|c| c.is_ascii_whitespace()) {
            *i += 1;
        }
        if *i >= body.len() {
            return Err(expecting());
        }
    }
    if body.get(*i) == Some(&'!') {
        *i += 1;
        let Some(&conversion) = body.get(*i) else {
            return Err(expecting());
        };
        *i += 1;
        if !matches!(conversion, 's' | 'r' | 'a') {
            return Err(plain(
                "f-string: invalid conversion character: expected 's', 'r', or 'a'",
            ));
        }
    }
    if body.get(*i) == Some(&':') {
        *i += 1;
        if *i >= body.len() {
            return Err(expecting());
        }
        fstring_parse(body, i, raw, level + 1, compile)?;
    }
    if body.get(*i) != Some(&'}') {
        return Err(expecting());
    }
    *i += 1;
    Ok(())
}

fn hex_run(chars: &[char], want: usize) -> usize {
    chars
        .iter()
        .take(want)
        .take_while(|c| c.is_ascii_hexdigit())
        .count()
}

/// CPython's complaint about the first bad escape sequence in the body of a
/// (non-raw) string literal.
fn escape_issue(body: &[char], bytes: bool) -> Option<String> {
    // CPython first turns every non-ASCII character into a 10-byte `\U`
    // escape; positions count bytes of that text.
    let width = |c: &char| if c.is_ascii() { 1 } else { 10 };
    let unicode = |start: usize, end: usize, reason: &str| {
        Some(format!(
            "(unicode error) 'unicodeescape' codec can't decode bytes in position {start}-{end}: {reason}"
        ))
    };
    let mut position = 0usize;
    let mut i = 0;
    while i < body.len() {
        let c = body[i];
        if c != '\\' {
            position += width(&c);
            i += 1;
            continue;
        }
        let &escape = body.get(i + 1)?;
        let rest = &body[i + 2..];
        match escape {
            'x' => {
                let found = hex_run(rest, 2);
                if found < 2 {
                    if bytes {
                        return Some(format!(
                            "(value error) invalid \\x escape at position {position}"
                        ));
                    }
                    return unicode(position, position + 1 + found, "truncated \\xXX escape");
                }
                position += 4;
                i += 4;
            }
            'u' | 'U' if !bytes => {
                let want = if escape == 'u' { 4 } else { 8 };
                let found = hex_run(rest, want);
                if found < want {
                    let reason = if want == 4 {
                        "truncated \\uXXXX escape"
                    } else {
                        "truncated \\UXXXXXXXX escape"
                    };
                    return unicode(position, position + 1 + found, reason);
                }
                let digits: String = rest[..want].iter().collect();
                if !matches!(u32::from_str_radix(&digits, 16), Ok(code) if code <= 0x10FFFF) {
                    return unicode(position, position + 1 + want, "illegal Unicode character");
                }
                position += 2 + want;
                i += 2 + want;
            }
            'N' if !bytes => {
                let close = if rest.first() == Some(&'{') {
                    rest.iter().position(|&c| c == '}')
                } else {
                    None
                };
                let Some(close) = close else {
                    let end = if rest.first() == Some(&'{') {
                        position + body[i..].iter().map(width).sum::<usize>() - 1
                    } else {
                        position + 1
                    };
                    return unicode(position, end, "malformed \\N character escape");
                };
                let name: String = rest[1..close].iter().collect();
                let length = 3 + close;
                let known = !name.is_empty()
                    && name.is_ascii()
                    && rustpython_parser::parse(
                        &format!("'\\N{{{name}}}'"),
                        Mode::Expression,
                        "<name>",
                    )
                    .is_ok();
                if !known {
                    return unicode(
                        position,
                        position + length - 1,
                        "unknown Unicode character name",
                    );
                }
                position += length;
                i += length;
            }
            _ => {
                position += 1 + width(&escape);
                i += 2;
            }
        }
    }
    None
}

// ---------------------------------------------------------------------------
// Checks on the parsed tree

struct Checker<'a> {
    src: &'a str,
    index: &'a LineIndex,
    /// The first error CPython's parser would raise: (offset, error).
    parser: Option<(usize, CompileError)>,
    /// The first error of CPython's `__future__` and symbol-table passes.
    symtable: Option<(usize, CompileError)>,
    /// The first error CPython's code generator would raise.
    compiler: Option<(usize, CompileError)>,
    /// The innermost function: `None` at module or class level, else
    /// whether it is `async`.
    function: Option<bool>,
    in_loop: bool,
    /// Inside a class or function.
    nested: bool,
    /// The innermost comprehension: (its name, its offset, a generator
    /// expression).
    comprehension: Option<(&'static str, usize, bool)>,
}

/// Where a statement or expression is: what [`Checker`] saves and restores.
type Scope = (
    Option<bool>,
    bool,
    bool,
    Option<(&'static str, usize, bool)>,
);

const FUTURE_FEATURES: &[&str] = &[
    "nested_scopes",
    "generators",
    "division",
    "absolute_import",
    "with_statement",
    "print_function",
    "unicode_literals",
    "barry_as_FLUFL",
    "generator_stop",
    "annotations",
];

/// The part of an assignment target that cannot be assigned to (or deleted).
fn invalid_target(expr: &ast::Expr, delete: bool) -> Option<&ast::Expr> {
    use ast::Expr;
    match expr {
        Expr::List(list) => list.elts.iter().find_map(|e| invalid_target(e, delete)),
        Expr::Tuple(tuple) => tuple.elts.iter().find_map(|e| invalid_target(e, delete)),
        Expr::Starred(starred) if !delete => invalid_target(&starred.value, delete),
        Expr::Name(_) | Expr::Subscript(_) | Expr::Attribute(_) => None,
        _ => Some(expr),
    }
}

impl<'a> Checker<'a> {
    fn new(src: &'a str, index: &'a LineIndex) -> Checker<'a> {
        Checker {
            src,
            index,
            parser: None,
            symtable: None,
            compiler: None,
            function: None,
            in_loop: false,
            nested: false,
            comprehension: None,
        }
    }

    fn scope(&self) -> Scope {
        (self.function, self.in_loop, self.nested, self.comprehension)
    }

    fn restore(&mut self, scope: Scope) {
        (self.function, self.in_loop, self.nested, self.comprehension) = scope;
    }

    fn enter_function(&mut self, is_async: bool) -> Scope {
        let saved = self.scope();
        self.function = Some(is_async);
        self.in_loop = false;
        self.nested = true;
        self.comprehension = None;
        saved
    }

    /// A module body: `from __future__` imports first, then the statements.
    fn module(&mut self, body: &[ast::Stmt]) {
        let mut prefix = true;
        for (i, stmt) in body.iter().enumerate() {
            let docstring = i == 0
                && matches!(stmt, ast::Stmt::Expr(e) if matches!(&*e.value, ast::Expr::Constant(c) if matches!(c.value, ast::Constant::Str(_))));
            match stmt {
                ast::Stmt::ImportFrom(import)
                    if import.level.map_or(0, |l| l.to_u32()) == 0
                        && import
                            .module
                            .as_ref()
                            .is_some_and(|m| m.as_str() == "__future__") =>
                {
                    if !prefix {
                        continue;
                    }
                    for alias in &import.names {
                        let name = alias.name.as_str();
                        let at = usize::from(stmt.start());
                        if name == "braces" {
                            self.report_symtable("not a chance", at);
                        } else if !FUTURE_FEATURES.contains(&name) {
                            self.report_symtable(
                                format!("future feature {name} is not defined"),
                                at,
                            );
                        }
                    }
                }
                _ if docstring => {}
                _ => prefix = false,
            }
        }
        let mut prefix = true;
        for (i, stmt) in body.iter().enumerate() {
            let is_future = matches!(stmt, ast::Stmt::ImportFrom(import)
                if import.module.as_ref().is_some_and(|m| m.as_str() == "__future__"));
            let docstring = i == 0
                && matches!(stmt, ast::Stmt::Expr(e) if matches!(&*e.value, ast::Expr::Constant(c) if matches!(c.value, ast::Constant::Str(_))));
            if is_future && prefix {
                continue;
            }
            if !docstring {
                prefix = false;
            }
            self.stmt(stmt);
        }
    }

    fn report_symtable(&mut self, message: impl Into<String>, offset: usize) {
        if self
            .symtable
            .as_ref()
            .is_none_or(|(first, _)| offset < *first)
        {
            self.symtable = Some((offset, self.error(message, offset)));
        }
    }

    fn error(&self, message: impl Into<String>, offset: usize) -> CompileError {
        syntax_at(
            message,
            self.index.line(to_u32(offset)),
            self.index.column(self.src, to_u32(offset)),
        )
    }

    fn parser_error(&mut self, offset: usize, error: CompileError) {
        if self
            .parser
            .as_ref()
            .is_none_or(|(first, _)| offset < *first)
        {
            self.parser = Some((offset, error));
        }
    }

    fn report(&mut self, message: impl Into<String>, offset: usize) {
        let error = self.error(message, offset);
        self.parser_error(offset, error);
    }

    fn report_late(&mut self, message: impl Into<String>, offset: usize) {
        if self
            .compiler
            .as_ref()
            .is_none_or(|(first, _)| offset < *first)
        {
            self.compiler = Some((offset, self.error(message, offset)));
        }
    }

    fn char_before(&self, offset: usize) -> Option<char> {
        self.src.get(..offset)?.trim_end().chars().next_back()
    }

    fn char_after(&self, offset: usize) -> Option<char> {
        self.src.get(offset..)?.trim_start().chars().next()
    }

    fn parenthesized(&self, expr: &ast::Expr) -> bool {
        let (start, end) = (usize::from(expr.start()), usize::from(expr.end()));
        match expr {
            ast::Expr::Tuple(_) | ast::Expr::GeneratorExp(_) => {
                self.src.get(start..).is_some_and(|s| s.starts_with('('))
                    && self.src.get(..end).is_some_and(|s| s.ends_with(')'))
            }
            _ => self.char_before(start) == Some('(') && self.char_after(end) == Some(')'),
        }
    }

    fn target(&mut self, target: &ast::Expr, delete: bool) {
        if let Some(bad) = invalid_target(target, delete) {
            let verb = if delete { "delete" } else { "assign to" };
            self.report(
                format!("cannot {verb} {}", expr_name(bad)),
                usize::from(bad.start()),
            );
        } else if delete {
            self.debug_target(target, true);
        } else {
            self.compiler_target_checks(target);
        }
    }

    fn compiler_target_checks(&mut self, target: &ast::Expr) {
        let elts = match target {
            ast::Expr::Tuple(tuple) => &tuple.elts,
            ast::Expr::List(list) => &list.elts,
            _ => {
                self.debug_target(target, false);
                return;
            }
        };
        if elts
            .iter()
            .filter(|e| matches!(e, ast::Expr::Starred(_)))
            .count()
            > 1
        {
            self.report_late(
                "multiple starred expressions in assignment",
                usize::from(target.start()),
            );
        }
        for elt in elts {
            let inner = match elt {
                ast::Expr::Starred(starred) => &*starred.value,
                other => other,
            };
            self.compiler_target_checks(inner);
        }
    }

    /// Assigning to (or deleting) `__debug__`, as a name or an attribute.
    fn debug_target(&mut self, target: &ast::Expr, delete: bool) {
        let name = match target {
            ast::Expr::Name(name) => name.id.as_str(),
            ast::Expr::Attribute(attribute) => attribute.attr.as_str(),
            ast::Expr::Tuple(tuple) => {
                tuple.elts.iter().for_each(|e| self.debug_target(e, delete));
                return;
            }
            ast::Expr::List(list) => {
                list.elts.iter().for_each(|e| self.debug_target(e, delete));
                return;
            }
            ast::Expr::Starred(starred) => return self.debug_target(&starred.value, delete),
            _ => return,
        };
        if name == "__debug__" {
            let verb = if delete { "delete" } else { "assign to" };
            self.report_late(
                format!("cannot {verb} __debug__"),
                usize::from(target.start()),
            );
        }
    }

    fn assign(&mut self, assign: &ast::StmtAssign) {
        let bad = assign
            .targets
            .iter()
            .enumerate()
            .find_map(|(i, t)| invalid_target(t, false).map(|bad| (i, bad)));
        let Some((i, bad)) = bad else {
            for target in &assign.targets {
                if let ast::Expr::Starred(_) = target {
                    self.report_late(
                        "starred assignment target must be in a list or tuple",
                        usize::from(target.start()),
                    );
                }
                self.compiler_target_checks(target);
            }
            if matches!(*assign.value, ast::Expr::Starred(_)) {
                self.report_late(
                    "can't use starred expression here",
                    usize::from(assign.value.start()),
                );
            }
            return;
        };
        let start = usize::from(assign.range.start());
        if let Some(message) = self.named_expression_misuse(assign) {
            let (message, at) = message;
            let error = self.error(message, at);
            self.parser_error(start, error);
            return;
        }
        let target = &assign.targets[i];
        let error = if matches!(target, ast::Expr::Yield(_) | ast::Expr::YieldFrom(_))
            && !self.parenthesized(target)
        {
            self.error(
                "assignment to yield expression not possible",
                usize::from(target.start()),
            )
        } else {
            self.error(
                format!("cannot assign to {}", expr_name(bad)),
                usize::from(bad.start()),
            )
        };
        self.parser_error(start, error);
    }

    /// CPython's `invalid_named_expression` rule, as it applies at the start
    /// of an invalid assignment statement: `target = value` where `==` may
    /// have been meant.
    fn named_expression_misuse(&self, assign: &ast::StmtAssign) -> Option<(String, usize)> {
        let first = assign.targets.first()?;
        let last = match first {
            ast::Expr::Tuple(tuple) if !self.parenthesized(first) => tuple.elts.last()?,
            _ => first,
        };
        if matches!(last, ast::Expr::Starred(_))
            || self.char_after(usize::from(last.end())) == Some(',')
        {
            return None;
        }
        let chained = assign.targets.len() > 1;
        let next = assign.targets.get(1).unwrap_or(&assign.value);
        if !self.value_allows_misuse(next, chained) {
            return None;
        }
        let at = usize::from(last.start());
        let wrapped = self.parenthesized(last);
        match last {
            ast::Expr::Name(_) if !wrapped => Some((
                "invalid syntax. Maybe you meant '==' or ':=' instead of '='?".to_string(),
                at,
            )),
            ast::Expr::List(_) | ast::Expr::GeneratorExp(_) => None,
            ast::Expr::Tuple(_) => None,
            ast::Expr::Constant(constant)
                if matches!(constant.value, ast::Constant::None | ast::Constant::Bool(_)) =>
            {
                None
            }
            _ if !wrapped && !is_bitwise_or(last) => None,
            _ => Some((
                format!(
                    "cannot assign to {} here. Maybe you meant '==' instead of '='?",
                    expr_name(last)
                ),
                at,
            )),
        }
    }

    /// Whether the `bitwise_or` that starts `expr` is followed by something
    /// other than `=` (`chained`: `expr` is itself followed by `=`).
    fn value_allows_misuse(&self, expr: &ast::Expr, chained: bool) -> bool {
        let mut expr = expr;
        let mut descended = false;
        loop {
            if self.parenthesized(expr) {
                break;
            }
            expr = match expr {
                ast::Expr::Tuple(tuple) => match tuple.elts.first() {
                    Some(first) => first,
                    None => return false,
                },
                ast::Expr::Compare(compare) => &compare.left,
                ast::Expr::BoolOp(boolop) => match boolop.values.first() {
                    Some(first) => first,
                    None => return false,
                },
                ast::Expr::IfExp(ifexp) => &ifexp.body,
                ast::Expr::Starred(_)
                | ast::Expr::Lambda(_)
                | ast::Expr::Yield(_)
                | ast::Expr::YieldFrom(_)
                | ast::Expr::NamedExpr(_) => return false,
                ast::Expr::UnaryOp(unary) if unary.op == ast::UnaryOp::Not => return false,
                _ => break,
            };
            descended = true;
        }
        !chained || descended
    }

    fn stmts(&mut self, body: &[ast::Stmt]) {
        for stmt in body {
            self.stmt(stmt);
        }
    }

    fn exprs(&mut self, exprs: &[ast::Expr]) {
        for expr in exprs {
            self.expr(expr);
        }
    }

    fn arguments(&mut self, args: &ast::Arguments) {
        for arg in args
            .posonlyargs
            .iter()
            .chain(&args.args)
            .chain(&args.kwonlyargs)
        {
            if let Some(default) = &arg.default {
                self.expr(default);
            }
            if let Some(annotation) = &arg.def.annotation {
                self.expr(annotation);
            }
        }
        for arg in args.vararg.iter().chain(&args.kwarg) {
            if let Some(annotation) = &arg.annotation {
                self.expr(annotation);
            }
        }
    }

    fn stmt(&mut self, stmt: &ast::Stmt) {
        use ast::Stmt;
        match stmt {
            Stmt::FunctionDef(def) => {
                self.type_params(&def.type_params, "expected '('");
                self.exprs(&def.decorator_list);
                self.arguments(&def.args);
                if let Some(returns) = &def.returns {
                    self.expr(returns);
                }
                let saved = self.enter_function(false);
                self.stmts(&def.body);
                self.restore(saved);
            }
            Stmt::AsyncFunctionDef(def) => {
                self.type_params(&def.type_params, "expected '('");
                self.exprs(&def.decorator_list);
                self.arguments(&def.args);
                if let Some(returns) = &def.returns {
                    self.expr(returns);
                }
                let saved = self.enter_function(true);
                self.stmts(&def.body);
                self.restore(saved);
            }
            Stmt::ClassDef(class) => {
                self.type_params(&class.type_params, "invalid syntax");
                for base in &class.bases {
                    if let ast::Expr::GeneratorExp(genexp) = base {
                        if !self.parenthesized(base) {
                            let after = usize::from(genexp.elt.end());
                            let at = self.src.get(after..).and_then(|rest| rest.find("for"));
                            self.report("invalid syntax", after + at.unwrap_or(0));
                        }
                    }
                }
                self.exprs(&class.decorator_list);
                self.exprs(&class.bases);
                for keyword in &class.keywords {
                    self.expr(&keyword.value);
                }
                let saved = self.scope();
                self.function = None;
                self.in_loop = false;
                self.nested = true;
                self.comprehension = None;
                self.stmts(&class.body);
                self.restore(saved);
            }
            Stmt::TypeAlias(alias) => {
                self.report("invalid syntax", usize::from(alias.name.start()))
            }
            Stmt::Return(ret) => {
                if let Some(value) = &ret.value {
                    if matches!(**value, ast::Expr::Starred(_)) {
                        self.report_late(
                            "can't use starred expression here",
                            usize::from(value.start()),
                        );
                    }
                }
                if self.function.is_none() {
                    self.report_late("'return' outside function", usize::from(stmt.start()));
                }
                if let Some(value) = &ret.value {
                    self.expr(value);
                }
            }
            Stmt::Break(_) if !self.in_loop => {
                self.report_late("'break' outside loop", usize::from(stmt.start()))
            }
            Stmt::Continue(_) if !self.in_loop => {
                self.report_late("'continue' not properly in loop", usize::from(stmt.start()))
            }
            Stmt::Nonlocal(_) if !self.nested => self.report_symtable(
                "nonlocal declaration not allowed at module level",
                usize::from(stmt.start()),
            ),
            Stmt::ImportFrom(import)
                if import
                    .module
                    .as_ref()
                    .is_some_and(|m| m.as_str() == "__future__") =>
            {
                self.report_symtable(
                    "from __future__ imports must occur at the beginning of the file",
                    usize::from(stmt.start()),
                )
            }
            Stmt::Delete(delete) => {
                for target in &delete.targets {
                    self.target(target, true);
                }
                self.exprs(&delete.targets);
            }
            Stmt::Assign(assign) => {
                self.assign(assign);
                self.exprs(&assign.targets);
                self.expr(&assign.value);
            }
            Stmt::AugAssign(aug) => {
                self.debug_target(&aug.target, false);
                if !matches!(
                    *aug.target,
                    ast::Expr::Name(_) | ast::Expr::Attribute(_) | ast::Expr::Subscript(_)
                ) {
                    let message = format!(
                        "'{}' is an illegal expression for augmented assignment",
                        expr_name(&aug.target)
                    );
                    self.report(message, usize::from(aug.target.start()));
                }
                self.expr(&aug.target);
                self.expr(&aug.value);
            }
            Stmt::AnnAssign(ann) => {
                self.debug_target(&ann.target, false);
                match &*ann.target {
                    ast::Expr::Name(_) | ast::Expr::Attribute(_) | ast::Expr::Subscript(_) => {}
                    target @ (ast::Expr::List(_) | ast::Expr::Tuple(_)) => self.report(
                        format!(
                            "only single target (not {}) can be annotated",
                            expr_name(target)
                        ),
                        usize::from(target.start()),
                    ),
                    target => {
                        self.report("illegal target for annotation", usize::from(target.start()))
                    }
                }
                self.expr(&ann.target);
                self.expr(&ann.annotation);
                if let Some(value) = &ann.value {
                    self.expr(value);
                }
            }
            Stmt::For(for_) => {
                self.starred_target(&for_.target);
                self.starred_iterable(&for_.iter);
                self.target(&for_.target, false);
                self.expr(&for_.target);
                self.expr(&for_.iter);
                self.loop_body(&for_.body);
                self.stmts(&for_.orelse);
            }
            Stmt::AsyncFor(for_) => {
                self.starred_target(&for_.target);
                self.starred_iterable(&for_.iter);
                self.target(&for_.target, false);
                self.expr(&for_.target);
                self.expr(&for_.iter);
                self.loop_body(&for_.body);
                self.stmts(&for_.orelse);
            }
            Stmt::While(while_) => {
                self.expr(&while_.test);
                self.loop_body(&while_.body);
                self.stmts(&while_.orelse);
            }
            Stmt::If(if_) => {
                self.expr(&if_.test);
                self.stmts(&if_.body);
                self.stmts(&if_.orelse);
            }
            Stmt::With(with) => {
                self.with_items(&with.items);
                self.stmts(&with.body);
            }
            Stmt::AsyncWith(with) => {
                self.with_items(&with.items);
                self.stmts(&with.body);
            }
            Stmt::Match(match_) => {
                self.expr(&match_.subject);
                for case in &match_.cases {
                    if let Some(guard) = &case.guard {
                        self.expr(guard);
                    }
                    self.stmts(&case.body);
                }
            }
            Stmt::Raise(raise) => {
                for expr in raise.exc.iter().chain(&raise.cause) {
                    self.expr(expr);
                }
            }
            Stmt::Try(try_) => {
                self.stmts(&try_.body);
                for handler in &try_.handlers {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    if let Some(type_) = &handler.type_ {
                        self.expr(type_);
                    }
                    self.stmts(&handler.body);
                }
                self.stmts(&try_.orelse);
                self.stmts(&try_.finalbody);
            }
            Stmt::TryStar(try_) => {
                self.stmts(&try_.body);
                for handler in &try_.handlers {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    if let Some(type_) = &handler.type_ {
                        self.expr(type_);
                    }
                    self.stmts(&handler.body);
                }
                self.stmts(&try_.orelse);
                self.stmts(&try_.finalbody);
            }
            Stmt::Assert(assert) => {
                self.expr(&assert.test);
                if let Some(msg) = &assert.msg {
                    self.expr(msg);
                }
            }
            Stmt::Expr(expr) => {
                if matches!(*expr.value, ast::Expr::Starred(_)) {
                    self.report_late(
                        "can't use starred expression here",
                        usize::from(expr.value.start()),
                    );
                }
                self.expr(&expr.value);
            }
            _ => {}
        }
    }

    fn starred_target(&mut self, target: &ast::Expr) {
        if matches!(target, ast::Expr::Starred(_)) {
            self.report_late(
                "starred assignment target must be in a list or tuple",
                usize::from(target.start()),
            );
        }
    }

    fn starred_iterable(&mut self, iter: &ast::Expr) {
        if matches!(iter, ast::Expr::Starred(_)) {
            self.report_late(
                "can't use starred expression here",
                usize::from(iter.start()),
            );
        }
    }

    fn loop_body(&mut self, body: &[ast::Stmt]) {
        let in_loop = self.in_loop;
        self.in_loop = true;
        self.stmts(body);
        self.in_loop = in_loop;
    }

    /// PEP 695 type parameters, which CPython 3.11 does not know.
    fn type_params(&mut self, params: &[ast::TypeParam], message: &str) {
        if let Some(first) = params.first() {
            let start = usize::from(first.start());
            let bracket = self
                .src
                .get(..start)
                .and_then(|before| before.rfind('['))
                .unwrap_or(start);
            self.report(message, bracket);
        }
    }

    fn with_items(&mut self, items: &[ast::WithItem]) {
        for item in items {
            self.expr(&item.context_expr);
            if let Some(vars) = &item.optional_vars {
                self.target(vars, false);
                self.expr(vars);
            }
        }
    }

    /// A comprehension: `parts` are its element (and value) expressions.
    fn comprehension(
        &mut self,
        whole: &ast::Expr,
        parts: &[&ast::Expr],
        generators: &[ast::Comprehension],
    ) {
        let (name, genexp) = match whole {
            ast::Expr::ListComp(_) => ("list comprehension", false),
            ast::Expr::SetComp(_) => ("set comprehension", false),
            ast::Expr::DictComp(_) => ("dict comprehension", false),
            _ => ("generator expression", true),
        };
        let at = usize::from(whole.start());
        if let Some(starred @ ast::Expr::Starred(_)) = parts.first() {
            if parts.len() == 1 {
                self.report(
                    "iterable unpacking cannot be used in comprehension",
                    usize::from(starred.start()),
                );
            }
        }
        if !genexp && self.function != Some(true) && generators.iter().any(|g| g.is_async) {
            self.report_late(
                "asynchronous comprehension outside of an asynchronous function",
                at,
            );
        }
        // The first iterable is evaluated outside the comprehension's scope.
        if let Some(first) = generators.first() {
            self.expr(&first.iter);
        }
        let saved = self.scope();
        self.comprehension = Some((name, at, genexp));
        for (i, generator) in generators.iter().enumerate() {
            self.starred_target(&generator.target);
            self.target(&generator.target, false);
            self.expr(&generator.target);
            if i > 0 {
                self.expr(&generator.iter);
            }
            self.exprs(&generator.ifs);
        }
        for part in parts {
            self.expr(part);
        }
        self.restore(saved);
    }

    fn expr(&mut self, expr: &ast::Expr) {
        use ast::Expr;
        match expr {
            Expr::BoolOp(e) => self.exprs(&e.values),
            Expr::NamedExpr(e) => {
                self.debug_target(&e.target, false);
                self.expr(&e.target);
                self.expr(&e.value);
            }
            Expr::BinOp(e) => {
                self.expr(&e.left);
                self.expr(&e.right);
            }
            Expr::UnaryOp(e) => self.expr(&e.operand),
            Expr::Lambda(e) => {
                self.arguments(&e.args);
                let saved = self.enter_function(false);
                self.expr(&e.body);
                self.restore(saved);
            }
            Expr::IfExp(e) => {
                self.expr(&e.test);
                self.expr(&e.body);
                self.expr(&e.orelse);
            }
            Expr::Dict(e) => {
                for key in e.keys.iter().flatten() {
                    self.expr(key);
                }
                self.exprs(&e.values);
            }
            Expr::Set(e) => self.exprs(&e.elts),
            Expr::ListComp(e) => self.comprehension(expr, &[&e.elt], &e.generators),
            Expr::SetComp(e) => self.comprehension(expr, &[&e.elt], &e.generators),
            Expr::GeneratorExp(e) => self.comprehension(expr, &[&e.elt], &e.generators),
            Expr::DictComp(e) => self.comprehension(expr, &[&e.key, &e.value], &e.generators),
            Expr::Await(e) => {
                let at = usize::from(expr.start());
                match (self.comprehension, self.function) {
                    // A generator expression with `await` is an async one.
                    (Some((_, _, true)), _) => {}
                    (Some((_, comp_at, false)), function) if function != Some(true) => self
                        .report_late(
                            "asynchronous comprehension outside of an asynchronous function",
                            comp_at,
                        ),
                    (_, None) => self.report_late("'await' outside function", at),
                    (_, Some(false)) => self.report_late("'await' outside async function", at),
                    _ => {}
                }
                self.expr(&e.value);
            }
            Expr::Yield(_) | Expr::YieldFrom(_) => {
                let at = usize::from(expr.start());
                if let Some((name, _, _)) = self.comprehension {
                    self.report_symtable(format!("'yield' inside {name}"), at);
                } else if self.function.is_none() {
                    self.report_late("'yield' outside function", at);
                }
                match expr {
                    Expr::Yield(e) => {
                        if let Some(value) = &e.value {
                            self.expr(value);
                        }
                    }
                    Expr::YieldFrom(e) => self.expr(&e.value),
                    _ => {}
                }
            }
            Expr::Compare(e) => {
                self.expr(&e.left);
                self.exprs(&e.comparators);
            }
            Expr::Call(e) => {
                let count = e.args.len() + e.keywords.len();
                let bare = e
                    .args
                    .iter()
                    .find(|arg| matches!(arg, Expr::GeneratorExp(_)) && !self.parenthesized(arg));
                if let Some(genexp) = bare {
                    if count > 1 || self.char_after(usize::from(genexp.end())) == Some(',') {
                        self.report(
                            "Generator expression must be parenthesized",
                            usize::from(genexp.start()),
                        );
                    }
                }
                for keyword in &e.keywords {
                    if keyword
                        .arg
                        .as_ref()
                        .is_some_and(|arg| arg.as_str() == "__debug__")
                    {
                        self.report_late("cannot assign to __debug__", usize::from(expr.start()));
                    }
                }
                self.expr(&e.func);
                self.exprs(&e.args);
                for keyword in &e.keywords {
                    self.expr(&keyword.value);
                }
            }
            Expr::FormattedValue(e) => {
                self.expr(&e.value);
                if let Some(spec) = &e.format_spec {
                    self.expr(spec);
                }
            }
            Expr::JoinedStr(e) => self.exprs(&e.values),
            Expr::Attribute(e) => self.expr(&e.value),
            Expr::Subscript(e) => {
                self.expr(&e.value);
                self.expr(&e.slice);
            }
            Expr::Starred(e) => self.expr(&e.value),
            Expr::List(e) => self.exprs(&e.elts),
            Expr::Tuple(e) => self.exprs(&e.elts),
            Expr::Slice(e) => {
                for part in e.lower.iter().chain(&e.upper).chain(&e.step) {
                    self.expr(part);
                }
            }
            Expr::Constant(_) | Expr::Name(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CompileErrorKind::{IndentationError, SyntaxError, TabError};

    /// What the engine does with a source file: the tokenizer check, then
    /// parsing, then either the parse-error mapping or the tree checks.
    fn compile_error(source: &str) -> Option<CompileError> {
        if let Err(error) = check_source(source) {
            return Some(error);
        }
        let text = parser_source(source);
        match rustpython_parser::parse(&text, Mode::Module, "<test>") {
            Ok(module) => check_parsed(&module, source).err(),
            Err(error) => Some(from_parse_error(&error, source)),
        }
    }

    /// Expects CPython 3.11's error; a `column` of 0 is not checked.
    #[track_caller]
    fn check(source: &str, kind: CompileErrorKind, message: &str, line: u32, column: u32) {
        let error = compile_error(source).unwrap_or_else(|| panic!("no error for {source:?}"));
        assert_eq!(
            (error.kind, error.message.as_str(), error.line),
            (kind, message, line),
            "for {source:?}"
        );
        if column != 0 {
            assert_eq!(error.column, column, "column for {source:?}");
        }
    }

    #[track_caller]
    fn ok(source: &str) {
        assert_eq!(compile_error(source), None, "for {source:?}");
    }

    /// `source => Kind, "message", line, column;` expects that error (a
    /// column of 0 is not checked); `ok source;` expects none.
    macro_rules! cases {
        ($($(ok $valid:literal)? $($source:literal => $kind:ident, $message:literal, $line:literal, $column:literal)?;)*) => {
            $(
                $(ok($valid);)?
                $(check($source, $kind, $message, $line, $column);)?
            )*
        };
    }

    // The expected kinds, messages, lines and columns below are what
    // CPython 3.11.7's `compile()` reports for each source.

    #[test]
    fn generic_invalid_syntax() {
        cases! {
            "x = = 1\n" => SyntaxError, "invalid syntax", 1, 5;
            "def f(:\n    pass\n" => SyntaxError, "invalid syntax", 1, 7;
            "1 +\n" => SyntaxError, "invalid syntax", 1, 4;
            "x = 1 +\ny = 2\n" => SyntaxError, "invalid syntax", 1, 8;
            "else:\n    pass\n" => SyntaxError, "invalid syntax", 1, 1;
            "for x y:\n    pass\n" => SyntaxError, "invalid syntax", 1, 7;
            "import a from b\n" => SyntaxError, "invalid syntax", 1, 10;
            "x = $\n" => SyntaxError, "invalid syntax", 1, 5;
            "x = a!b\n" => SyntaxError, "invalid syntax", 1, 6;
            "class C(:\n    pass\n" => SyntaxError, "invalid syntax", 1, 9;
            "if x:\n    pass\nelif:\n    pass\n" => SyntaxError, "invalid syntax", 3, 5;
            "x: int = 1 = 2\n" => SyntaxError, "invalid syntax", 1, 12;
            "if True = 1:\n    pass\n" => SyntaxError, "invalid syntax", 1, 9;
            "print(\"nothing\")\nx = = 5\n" => SyntaxError, "invalid syntax", 2, 5;
            "# long file\ndef f():\n    return 1\nfor i in range(3):\n    print(f() + i)\ndef broken(:\n    pass\n" => SyntaxError, "invalid syntax", 6, 12;
        }
    }

    #[test]
    fn legacy_print_and_exec() {
        cases! {
            "print \"hi\"\n" => SyntaxError, "Missing parentheses in call to 'print'. Did you mean print(...)?", 1, 1;
            "print 1\n" => SyntaxError, "Missing parentheses in call to 'print'. Did you mean print(...)?", 1, 1;
            "exec \"x\"\n" => SyntaxError, "Missing parentheses in call to 'exec'. Did you mean exec(...)?", 1, 1;
            "print x, y\n" => SyntaxError, "Missing parentheses in call to 'print'. Did you mean print(...)?", 1, 1;
        }
    }

    #[test]
    fn specific_parser_messages() {
        cases! {
            "foo(a b)\n" => SyntaxError, "invalid syntax. Perhaps you forgot a comma?", 1, 5;
            "x = [1 2]\n" => SyntaxError, "invalid syntax. Perhaps you forgot a comma?", 1, 6;
            "x = (1\n     2)\n" => SyntaxError, "invalid syntax. Perhaps you forgot a comma?", 1, 6;
            "x = {'a' 1}\n" => SyntaxError, "invalid syntax. Perhaps you forgot a comma?", 1, 6;
            "f(\"a\" \"b\" c)\n" => SyntaxError, "invalid syntax. Perhaps you forgot a comma?", 1, 3;
            "if x = 1:\n    pass\n" => SyntaxError, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?", 1, 4;
            "if x.y = 1:\n    pass\n" => SyntaxError, "cannot assign to attribute here. Maybe you meant '==' instead of '='?", 1, 4;
            "while f() = 1:\n    pass\n" => SyntaxError, "cannot assign to function call here. Maybe you meant '==' instead of '='?", 1, 7;
            "[a.b = 1]\n" => SyntaxError, "cannot assign to attribute here. Maybe you meant '==' instead of '='?", 1, 2;
            "f(a.b=1)\n" => SyntaxError, "expression cannot contain assignment, perhaps you meant \"==\"?", 1, 3;
            "f(True=1)\n" => SyntaxError, "cannot assign to True", 1, 3;
            "(x.y := 1)\n" => SyntaxError, "cannot use assignment expressions with attribute", 1, 2;
            "(1 := 2)\n" => SyntaxError, "cannot use assignment expressions with literal", 1, 2;
            "x := 1\n" => SyntaxError, "invalid syntax", 1, 3;
            "[x, y for x, y in z]\n" => SyntaxError, "did you forget parentheses around the comprehension target?", 1, 2;
            "x = {**a for a in b}\n" => SyntaxError, "dict unpacking cannot be used in dict comprehension", 1, 6;
            "print(*a for a in b)\n" => SyntaxError, "iterable unpacking cannot be used in comprehension", 1, 7;
            "x = 1 if y\n" => SyntaxError, "expected 'else' after 'if' expression", 1, 5;
            "try:\n    pass\nx = 1\n" => SyntaxError, "expected 'except' or 'finally' block", 3, 1;
            "from x import a,\n" => SyntaxError, "trailing comma not allowed without surrounding parentheses", 1, 17;
            "def f: pass\n" => SyntaxError, "expected '('", 1, 6;
            "x = {1: 2, 3}\n" => SyntaxError, "':' expected after dictionary key", 1, 12;
            "a, b: int\n" => SyntaxError, "only single target (not tuple) can be annotated", 1, 1;
            "try:\n    pass\nexcept A, B:\n    pass\n" => SyntaxError, "multiple exception types must be parenthesized", 3, 8;
            "def f(a, *, b, **c, d): pass\n" => SyntaxError, "arguments cannot follow var-keyword argument", 1, 21;
            "def f(*): pass\n" => SyntaxError, "named arguments must follow bare *", 1, 7;
        }
    }

    #[test]
    fn expected_colon() {
        cases! {
            "if x\n    pass\n" => SyntaxError, "expected ':'", 1, 5;
            "while True\n    pass\n" => SyntaxError, "expected ':'", 1, 11;
            "for x in y\n    pass\n" => SyntaxError, "expected ':'", 1, 11;
            "def f()\n    pass\n" => SyntaxError, "expected ':'", 1, 8;
            "class C\n    pass\n" => SyntaxError, "expected ':'", 1, 8;
            "try\n    pass\n" => SyntaxError, "expected ':'", 1, 4;
            "try x\n" => SyntaxError, "expected ':'", 1, 5;
            "def f() x\n" => SyntaxError, "expected ':'", 1, 9;
            "with open(f) as g\n    pass\n" => SyntaxError, "expected ':'", 1, 18;
            "def f() -> int\n    pass\n" => SyntaxError, "expected ':'", 1, 15;
            "if x:\n    pass\nelse\n    pass\n" => SyntaxError, "expected ':'", 3, 5;
            "if x:\n    pass\nelif y\n    pass\n" => SyntaxError, "expected ':'", 3, 7;
            "try:\n    pass\nexcept ValueError\n    pass\n" => SyntaxError, "expected ':'", 3, 18;
            "try:\n    pass\nfinally\n    pass\n" => SyntaxError, "expected ':'", 3, 8;
            "for x in range(10):\n    pass\nelse\n    pass\n" => SyntaxError, "expected ':'", 3, 5;
            "class C(Base)\n    pass\n" => SyntaxError, "expected ':'", 1, 14;
        }
    }

    #[test]
    fn unterminated_strings() {
        cases! {
            "x = 'abc\ny = 2\n" => SyntaxError, "unterminated string literal (detected at line 1)", 1, 5;
            "x = 'abc\\\ny = 2\n" => SyntaxError, "unterminated string literal (detected at line 2)", 1, 5;
            "x = \"\"\"abc\ny = 2\n" => SyntaxError, "unterminated triple-quoted string literal (detected at line 2)", 1, 5;
            "x = \"\"\"abc\ny = 2\n\n" => SyntaxError, "unterminated triple-quoted string literal (detected at line 3)", 1, 5;
            "s = '''abc\ndef\n" => SyntaxError, "unterminated triple-quoted string literal (detected at line 2)", 1, 5;
            "print(\"start\")\ns = \"this string never ends\nprint(s)\n" => SyntaxError, "unterminated string literal (detected at line 2)", 2, 5;
            "print('hello)\n" => SyntaxError, "unterminated string literal (detected at line 1)", 1, 7;
            "x = f'{a}\n" => SyntaxError, "unterminated string literal (detected at line 1)", 1, 5;
            "x = = 1\ny = 'abc\n" => SyntaxError, "unterminated string literal (detected at line 2)", 2, 5;
            "if x:\npass\ny = 'abc\n" => SyntaxError, "unterminated string literal (detected at line 3)", 3, 5;
            "f(a=1, a=2)\ny = 'abc\n" => SyntaxError, "unterminated string literal (detected at line 2)", 2, 5;
        }
    }

    #[test]
    fn string_contents() {
        cases! {
            "x = b'é'\n" => SyntaxError, "bytes can only contain ASCII literal characters", 1, 5;
            "x = '\\x4'\n" => SyntaxError, "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: truncated \\xXX escape", 1, 10;
            "b'\\x4'\n" => SyntaxError, "(value error) invalid \\x escape at position 0", 1, 7;
            "'\\N{foo}'\n" => SyntaxError, "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-6: unknown Unicode character name", 1, 10;
            "'\\N'\n" => SyntaxError, "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-1: malformed \\N character escape", 1, 5;
            "'\\u12'\n" => SyntaxError, "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-3: truncated \\uXXXX escape", 1, 7;
            "'\\U00110000'\n" => SyntaxError, "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-9: illegal Unicode character", 1, 13;
            "'é\\x4'\n" => SyntaxError, "(unicode error) 'unicodeescape' codec can't decode bytes in position 10-12: truncated \\xXX escape", 1, 7;
            "'ab\\N{LATIN'\n" => SyntaxError, "(unicode error) 'unicodeescape' codec can't decode bytes in position 2-9: malformed \\N character escape", 1, 13;
            "'a' b'b'\n" => SyntaxError, "cannot mix bytes and nonbytes literals", 1, 9;
            "x = 'abc' b'd'\n" => SyntaxError, "cannot mix bytes and nonbytes literals", 1, 15;
            ok "x = '\\ud800'\n";
        }
    }

    #[test]
    fn brackets() {
        cases! {
            "foo(1, 2\ny = 3\n" => SyntaxError, "'(' was never closed", 1, 4;
            "foo[1, 2\n" => SyntaxError, "'[' was never closed", 1, 4;
            "x = {1: 2\n" => SyntaxError, "'{' was never closed", 1, 5;
            "x = (\n" => SyntaxError, "'(' was never closed", 1, 5;
            "def f(\n" => SyntaxError, "'(' was never closed", 1, 6;
            "x = [1, 2, 3\n" => SyntaxError, "'[' was never closed", 1, 5;
            "d = {'a': 1,\n     'b': 2\nprint(d)\n" => SyntaxError, "'{' was never closed", 1, 5;
            "print(\"hello\"\n" => SyntaxError, "'(' was never closed", 1, 6;
            "print(1\nprint(2)\n" => SyntaxError, "'(' was never closed", 1, 6;
            "foo(a b\n" => SyntaxError, "'(' was never closed", 1, 4;
            "foo(a b c\n" => SyntaxError, "invalid syntax. Perhaps you forgot a comma?", 1, 5;
            "x = = 1\ny = (1,\n" => SyntaxError, "invalid syntax", 1, 5;
            "values = (1, 2,\n          3, 4\n" => SyntaxError, "'(' was never closed", 1, 10;
            "x = 1)\n" => SyntaxError, "unmatched ')'", 1, 6;
            "x = )\n" => SyntaxError, "unmatched ')'", 1, 5;
            "foo = bar]\n" => SyntaxError, "unmatched ']'", 1, 10;
            "x = (1 + 2))\n" => SyntaxError, "unmatched ')'", 1, 12;
            "x = (1, 2]\n" => SyntaxError, "closing parenthesis ']' does not match opening parenthesis '('", 1, 10;
            "x = (1,\n  2]\n" => SyntaxError, "closing parenthesis ']' does not match opening parenthesis '(' on line 1", 2, 4;
            "x = [1, 2)\n" => SyntaxError, "closing parenthesis ')' does not match opening parenthesis '['", 1, 10;
        }
    }

    #[test]
    fn indentation() {
        cases! {
            " x = 1\n" => IndentationError, "unexpected indent", 1, 1;
            "    x = 1\n" => IndentationError, "unexpected indent", 1, 4;
            "print(\"a\")\n    print(\"b\")\n" => IndentationError, "unexpected indent", 2, 4;
            "if x:\npass\n" => IndentationError, "expected an indented block after 'if' statement on line 1", 2, 1;
            "x = 3\nif x > 2:\nprint(\"needs indent\")\n" => IndentationError, "expected an indented block after 'if' statement on line 2", 3, 1;
            "for x in y:\npass\n" => IndentationError, "expected an indented block after 'for' statement on line 1", 2, 1;
            "while x:\npass\n" => IndentationError, "expected an indented block after 'while' statement on line 1", 2, 1;
            "def f():\npass\n" => IndentationError, "expected an indented block after function definition on line 1", 2, 1;
            "class C:\npass\n" => IndentationError, "expected an indented block after class definition on line 1", 2, 1;
            "try:\npass\n" => IndentationError, "expected an indented block after 'try' statement on line 1", 2, 1;
            "try:\n    pass\nexcept:\npass\n" => IndentationError, "expected an indented block after 'except' statement on line 3", 4, 1;
            "if x:\n    pass\nelse:\npass\n" => IndentationError, "expected an indented block after 'else' statement on line 3", 4, 1;
            "if x:\n    pass\nelif y:\npass\n" => IndentationError, "expected an indented block after 'elif' statement on line 3", 4, 1;
            "with x:\npass\n" => IndentationError, "expected an indented block after 'with' statement on line 1", 2, 1;
            "try:\n    pass\nfinally:\npass\n" => IndentationError, "expected an indented block after 'finally' statement on line 3", 4, 1;
            "async def f():\npass\n" => IndentationError, "expected an indented block after function definition on line 1", 2, 1;
            "async for x in y:\npass\n" => IndentationError, "expected an indented block after 'for' statement on line 1", 2, 1;
            "@dec\ndef f():\npass\n" => IndentationError, "expected an indented block after function definition on line 2", 3, 1;
            "if (a and\n    b):\npass\n" => IndentationError, "expected an indented block after 'if' statement on line 1", 3, 1;
            "match x:\ncase 1:\n    pass\n" => IndentationError, "expected an indented block after 'match' statement on line 1", 2, 1;
            "match x:\n    case 1:\n    pass\n" => IndentationError, "expected an indented block after 'case' statement on line 2", 3, 5;
            "class A:\n    def f(self):\n        pass\n    def g(self):\n    pass\n" => IndentationError, "expected an indented block after function definition on line 4", 5, 5;
            "if x:\n" => IndentationError, "expected an indented block after 'if' statement on line 1", 1, 6;
            "if x:\n    pass\nelse:\n" => IndentationError, "expected an indented block after 'else' statement on line 3", 3, 6;
            "def f():\n    if x:\n" => IndentationError, "expected an indented block after 'if' statement on line 2", 2, 10;
            "if x:\n        a = 1\n    b = 2\n" => IndentationError, "unindent does not match any outer indentation level", 3, 10;
            "def f():\n    return\n  x = 1\n" => IndentationError, "unindent does not match any outer indentation level", 3, 8;
            "if x:\n    pass\n  else:\n    pass\n" => IndentationError, "unindent does not match any outer indentation level", 3, 8;
            "for i in range(3):\n    print(i)\n  print(i)\n" => IndentationError, "unindent does not match any outer indentation level", 3, 11;
        }
    }

    #[test]
    fn tabs() {
        cases! {
            "if x:\n\ta = 1\n        b = 2\n" => TabError, "inconsistent use of tabs and spaces in indentation", 3, 1;
            "if x:\n        a = 1\n\tb = 2\n" => TabError, "inconsistent use of tabs and spaces in indentation", 3, 1;
            "if x:\n\ty = 1\n    \tz = 2\n" => TabError, "inconsistent use of tabs and spaces in indentation", 3, 1;
            "# Mixing tabs and spaces\nif True:\n        x = 1\n\ty = 2\nprint(x)\n" => TabError, "inconsistent use of tabs and spaces in indentation", 4, 1;
            "x = = 1\nif x:\n\ta = 1\n        b = 2\n" => SyntaxError, "invalid syntax", 1, 5;
        }
    }

    #[test]
    fn fstrings() {
        cases! {
            "f\"{x\"\n" => SyntaxError, "f-string: expecting '}'", 1, 6;
            "f\"}\"\n" => SyntaxError, "f-string: single '}' is not allowed", 1, 5;
            "f\"{}\"\n" => SyntaxError, "f-string: empty expression not allowed", 1, 6;
            "name = \"x\"\nprint(f\"{name\")\n" => SyntaxError, "f-string: expecting '}'", 2, 15;
            "x = f\"{a!z}\"\n" => SyntaxError, "f-string: invalid conversion character: expected 's', 'r', or 'a'", 1, 13;
            "x = f\"{x!}\"\n" => SyntaxError, "f-string: invalid conversion character: expected 's', 'r', or 'a'", 1, 12;
            "x = f\"{x!r\"\n" => SyntaxError, "f-string: expecting '}'", 1, 12;
            "x = f\"{!r}\"\n" => SyntaxError, "f-string: expression required before '!'", 1, 12;
            "x = f\"{:x}\"\n" => SyntaxError, "f-string: expression required before ':'", 1, 12;
            "x = f\"{ =}\"\n" => SyntaxError, "f-string: expression required before '='", 1, 12;
            "x = f\"{a#}\"\n" => SyntaxError, "f-string expression part cannot include '#'", 1, 12;
            "x = f\"{a b}\"\n" => SyntaxError, "f-string: invalid syntax. Perhaps you forgot a comma?", 1, 2;
            "x = f\"{)}\"\n" => SyntaxError, "f-string: unmatched ')'", 1, 11;
            "x = f\"{a)}\"\n" => SyntaxError, "f-string: unmatched ')'", 1, 12;
            "x = f\"{'a\\n'}\"\n" => SyntaxError, "f-string expression part cannot include a backslash", 1, 15;
            "x = f\"{x:{y:{z}}}\"\n" => SyntaxError, "f-string: expressions nested too deeply", 1, 19;
            "x = f\"{(x}\"\n" => SyntaxError, "f-string: closing parenthesis '}' does not match opening parenthesis '('", 1, 12;
            "x = f\"{[x)}\"\n" => SyntaxError, "f-string: closing parenthesis ')' does not match opening parenthesis '['", 1, 13;
            "x = f'{x}}'\n" => SyntaxError, "f-string: single '}' is not allowed", 1, 12;
            "x = f\"{{}\"\n" => SyntaxError, "f-string: single '}' is not allowed", 1, 11;
            "x = f\"{a + }\"\n" => SyntaxError, "f-string: invalid syntax", 1, 6;
            "x = f\"{*a}\"\n" => SyntaxError, "f-string: cannot use starred expression here", 1, 2;
            "x = f\"{x!rr}\"\n" => SyntaxError, "f-string: expecting '}'", 1, 14;
            "x = f'{f' {y}\\n'}'\n" => SyntaxError, "f-string: expecting '}'", 1, 11;
            "x = f\"{9*\"a\"}\"\n" => SyntaxError, "f-string: expecting '}'", 1, 11;
        }
    }

    #[test]
    fn assignment_targets() {
        cases! {
            "5 = x\n" => SyntaxError, "cannot assign to literal here. Maybe you meant '==' instead of '='?", 1, 1;
            "print(\"nothing\")\n1 = x\n" => SyntaxError, "cannot assign to literal here. Maybe you meant '==' instead of '='?", 2, 1;
            "f() = 1\n" => SyntaxError, "cannot assign to function call here. Maybe you meant '==' instead of '='?", 1, 1;
            "x + 1 = 2\n" => SyntaxError, "cannot assign to expression here. Maybe you meant '==' instead of '='?", 1, 1;
            "-x = 1\n" => SyntaxError, "cannot assign to expression here. Maybe you meant '==' instead of '='?", 1, 1;
            "f\"{x}\" = 1\n" => SyntaxError, "cannot assign to f-string expression here. Maybe you meant '==' instead of '='?", 1, 1;
            "x, f() = 1\n" => SyntaxError, "cannot assign to function call here. Maybe you meant '==' instead of '='?", 1, 4;
            "f(), x = 1\n" => SyntaxError, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?", 1, 6;
            "f(), = 1\n" => SyntaxError, "cannot assign to function call", 1, 1;
            "[a, 1] = x\n" => SyntaxError, "cannot assign to literal", 1, 5;
            "x = 5 = y\n" => SyntaxError, "cannot assign to literal", 1, 5;
            "5 = x = y\n" => SyntaxError, "cannot assign to literal", 1, 1;
            "a = b = f() = 1\n" => SyntaxError, "cannot assign to function call", 1, 9;
            "a < b = 1\n" => SyntaxError, "cannot assign to comparison", 1, 1;
            "not x = 1\n" => SyntaxError, "cannot assign to expression", 1, 1;
            "lambda: 1 = 1\n" => SyntaxError, "cannot assign to lambda", 1, 1;
            "x if y else z = 1\n" => SyntaxError, "cannot assign to conditional expression", 1, 1;
            "None = 1\n" => SyntaxError, "cannot assign to None", 1, 1;
            "True = 1\n" => SyntaxError, "cannot assign to True", 1, 1;
            "... = 1\n" => SyntaxError, "cannot assign to ellipsis here. Maybe you meant '==' instead of '='?", 1, 1;
            "x = (yield) = 1\n" => SyntaxError, "cannot assign to yield expression", 1, 6;
            "x = yield = 1\n" => SyntaxError, "assignment to yield expression not possible", 1, 5;
            "f() += 1\n" => SyntaxError, "'function call' is an illegal expression for augmented assignment", 1, 1;
            "a, b += 1\n" => SyntaxError, "'tuple' is an illegal expression for augmented assignment", 1, 1;
            "(a, b): int\n" => SyntaxError, "only single target (not tuple) can be annotated", 1, 1;
            "1: int\n" => SyntaxError, "illegal target for annotation", 1, 1;
            "[a, b]: int = 1\n" => SyntaxError, "only single target (not list) can be annotated", 1, 1;
            "del f()\n" => SyntaxError, "cannot delete function call", 1, 5;
            "del 1\n" => SyntaxError, "cannot delete literal", 1, 5;
            "del (a, 1)\n" => SyntaxError, "cannot delete literal", 1, 9;
            "del *a\n" => SyntaxError, "cannot delete starred", 1, 5;
            "for 1 in x: pass\n" => SyntaxError, "cannot assign to literal", 1, 5;
            "for x, f() in y: pass\n" => SyntaxError, "cannot assign to function call", 1, 8;
            "with a as 1: pass\n" => SyntaxError, "cannot assign to literal", 1, 11;
            "with a as (b, f()): pass\n" => SyntaxError, "cannot assign to function call", 1, 15;
            "[x for f() in y]\n" => SyntaxError, "cannot assign to function call", 1, 8;
            "{x: y for 1 in z}\n" => SyntaxError, "cannot assign to literal", 1, 11;
            "def f(x):\n    f(x) = 1\n" => SyntaxError, "cannot assign to function call here. Maybe you meant '==' instead of '='?", 2, 5;
        }
    }

    #[test]
    fn call_and_parameter_errors() {
        cases! {
            "f(a=1, a=2)\n" => SyntaxError, "keyword argument repeated: a", 1, 8;
            "def f(**kw):\n    return kw\nprint(f(a=1, a=2))\n" => SyntaxError, "keyword argument repeated: a", 3, 14;
            "f(a=1, b)\n" => SyntaxError, "positional argument follows keyword argument", 1, 9;
            "f(**k, a)\n" => SyntaxError, "positional argument follows keyword argument unpacking", 1, 9;
            "def f(a=1, b): pass\n" => SyntaxError, "non-default argument follows default argument", 1, 12;
            "lambda a=1, b: 0\n" => SyntaxError, "non-default argument follows default argument", 1, 13;
            "def f(x, x): pass\n" => SyntaxError, "duplicate argument 'x' in function definition", 1, 10;
            "class C:\n    def f(self, x, x):\n        pass\n" => SyntaxError, "duplicate argument 'x' in function definition", 2, 20;
            "f(**a, *b)\n" => SyntaxError, "iterable argument unpacking follows keyword argument unpacking", 1, 8;
            "f(x for x in y, 1)\n" => SyntaxError, "Generator expression must be parenthesized", 1, 3;
            "f(a, x for x in y)\n" => SyntaxError, "Generator expression must be parenthesized", 1, 6;
            "f(a=1, x for x in y)\n" => SyntaxError, "Generator expression must be parenthesized", 1, 8;
            "x = [*a for a in b]\n" => SyntaxError, "iterable unpacking cannot be used in comprehension", 1, 6;
        }
    }

    #[test]
    fn tokens() {
        cases! {
            "x = 1abc\n" => SyntaxError, "invalid decimal literal", 1, 5;
            "print(1abc)\n" => SyntaxError, "invalid decimal literal", 1, 7;
            "x = 1_\n" => SyntaxError, "invalid decimal literal", 1, 6;
            "x = 1__0\n" => SyntaxError, "invalid decimal literal", 1, 6;
            "x = 1e\n" => SyntaxError, "invalid decimal literal", 1, 5;
            "x = 1e+\n" => SyntaxError, "invalid decimal literal", 1, 7;
            "x = 1.5j2\n" => SyntaxError, "invalid imaginary literal", 1, 8;
            "x = 5j_\n" => SyntaxError, "invalid imaginary literal", 1, 6;
            "x = 0123\n" => SyntaxError, "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", 1, 5;
            "x = 09\n" => SyntaxError, "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", 1, 5;
            "x = 0o8\n" => SyntaxError, "invalid digit '8' in octal literal", 1, 7;
            "x = 0o\n" => SyntaxError, "invalid octal literal", 1, 6;
            "x = 0b12\n" => SyntaxError, "invalid digit '2' in binary literal", 1, 8;
            "x = 0x\n" => SyntaxError, "invalid hexadecimal literal", 1, 6;
            ok "x = 1if 1 else 2\n";
            "x = 1 €\n" => SyntaxError, "invalid character '€' (U+20AC)", 1, 7;
            "x = a€\n" => SyntaxError, "invalid character '€' (U+20AC)", 1, 6;
            "x = 😀\n" => SyntaxError, "invalid character '😀' (U+1F600)", 1, 5;
            "x = 3 ₂\n" => SyntaxError, "invalid character '₂' (U+2082)", 1, 7;
            ok "résumé = 1\n";
            "x = \u{a0} 1\n" => SyntaxError, "invalid non-printable character U+00A0", 1, 5;
            "x = 1 \\ y\n" => SyntaxError, "unexpected character after line continuation character", 1, 8;
            "x = 1 \\  \n+ 2\n" => SyntaxError, "unexpected character after line continuation character", 1, 8;
            "x = \\\n" => SyntaxError, "unexpected EOF while parsing", 1, 6;
            "x = 1\ny = \u{1}\n" => SyntaxError, "invalid non-printable character U+0001", 2, 5;
            "x = `a`\n" => SyntaxError, "invalid syntax", 1, 5;
        }
    }

    #[test]
    fn compiler_errors() {
        cases! {
            "*a = [1, 2]\n" => SyntaxError, "starred assignment target must be in a list or tuple", 1, 1;
            "*a, *b = 1\n" => SyntaxError, "multiple starred expressions in assignment", 1, 1;
            "x = *a\n" => SyntaxError, "can't use starred expression here", 1, 5;
            "__debug__ = 1\n" => SyntaxError, "cannot assign to __debug__", 1, 1;
            "print(\"nope\")\nreturn 5\n" => SyntaxError, "'return' outside function", 2, 1;
            "class C:\n    return 1\n" => SyntaxError, "'return' outside function", 2, 5;
            "class C:\n    yield 1\n" => SyntaxError, "'yield' outside function", 2, 5;
            "x = 1\nif x:\n    break\n" => SyntaxError, "'break' outside loop", 3, 5;
            "for x in y:\n    pass\nelse:\n    continue\n" => SyntaxError, "'continue' not properly in loop", 4, 5;
            "while 1:\n    class C:\n        continue\n" => SyntaxError, "'continue' not properly in loop", 3, 9;
            "def f():\n    await x\n" => SyntaxError, "'await' outside async function", 2, 5;
            "await x\n" => SyntaxError, "'await' outside function", 1, 1;
            "async def f():\n    x = lambda: await y\n" => SyntaxError, "'await' outside async function", 2, 17;
            "[await x for x in y]\n" => SyntaxError, "asynchronous comprehension outside of an asynchronous function", 1, 1;
            "def f():\n    [x async for x in y]\n" => SyntaxError, "asynchronous comprehension outside of an asynchronous function", 2, 5;
            "x = [(yield) for x in y]\n" => SyntaxError, "'yield' inside list comprehension", 1, 7;
            "nonlocal x\n" => SyntaxError, "nonlocal declaration not allowed at module level", 1, 1;
            "\"\"\"doc\"\"\"\nfrom __future__ import annotations\nimport os\nfrom __future__ import division\n" => SyntaxError, "from __future__ imports must occur at the beginning of the file", 4, 1;
            "from __future__ import braces\n" => SyntaxError, "not a chance", 1, 1;
            "from __future__ import nope\n" => SyntaxError, "future feature nope is not defined", 1, 1;
            "def f():\n    from __future__ import annotations\n" => SyntaxError, "from __future__ imports must occur at the beginning of the file", 2, 5;
            "class C[T]: pass\n" => SyntaxError, "invalid syntax", 1, 8;
            "def f[T](x): pass\n" => SyntaxError, "expected '('", 1, 6;
            "type X = int\n" => SyntaxError, "invalid syntax", 1, 6;
        }
    }

    #[test]
    fn parameter_lists() {
        cases! {
            "def foo(/,a,b=,c):\n   pass\n" => SyntaxError, "at least one argument must precede /", 1, 9;
            "def foo(a,/,/,b,c):\n   pass\n" => SyntaxError, "/ may appear only once", 1, 13;
            "def foo(a,*b,c,/,d,e):\n   pass\n" => SyntaxError, "/ must be ahead of *", 1, 16;
            "def foo(a,*b=3,c):\n   pass\n" => SyntaxError, "var-positional argument cannot have default value", 1, 13;
            "def foo(a,**b=3):\n   pass\n" => SyntaxError, "var-keyword argument cannot have default value", 1, 14;
            "def foo(a,*a, b, **c, *d):\n   pass\n" => SyntaxError, "arguments cannot follow var-keyword argument", 1, 23;
            "def foo(*b,*d):\n   pass\n" => SyntaxError, "* argument may appear only once", 1, 12;
            "def foo(a=1,/*,b,c):\n   pass\n" => SyntaxError, "expected comma between / and *", 1, 14;
            "def foo(a,d=,c):\n   pass\n" => SyntaxError, "expected default value expression", 1, 12;
            "lambda /,a,b,c: None\n" => SyntaxError, "at least one argument must precede /", 1, 8;
            "lambda a,*b=3,c: None\n" => SyntaxError, "var-positional argument cannot have default value", 1, 12;
            "lambda a, *a, b, **c, d: None\n" => SyntaxError, "arguments cannot follow var-keyword argument", 1, 23;
            "lambda a,d=,c: None\n" => SyntaxError, "expected default value expression", 1, 11;
            "def f((a, b)): pass\n" => SyntaxError, "Function parameters cannot be parenthesized", 1, 7;
            "lambda (a, b): 1\n" => SyntaxError, "Lambda expression parameters cannot be parenthesized", 1, 8;
            "def f(a, b=1, c=): pass\n" => SyntaxError, "expected default value expression", 1, 16;
            "def f(*, **k): pass\n" => SyntaxError, "named arguments must follow bare *", 1, 7;
            "lambda *: 1\n" => SyntaxError, "named arguments must follow bare *", 1, 0;
            ok "def f(a, *, b=1, c): pass\n";
        }
    }

    #[test]
    fn more_targets_and_calls() {
        cases! {
            "for a, b, (c + 1, d()): pass\n" => SyntaxError, "cannot assign to expression", 1, 12;
            "for f() x: pass\n" => SyntaxError, "cannot assign to function call", 1, 5;
            "for a, 1 in x: pass\n" => SyntaxError, "cannot assign to literal", 1, 8;
            "for a, b\n" => SyntaxError, "invalid syntax", 1, 9;
            "yield = 1\n" => SyntaxError, "assignment to yield expression not possible", 1, 1;
            "f(x for x in L,)\n" => SyntaxError, "Generator expression must be parenthesized", 1, 3;
            "class C(x for x in L):\n    pass\n" => SyntaxError, "invalid syntax", 1, 11;
            "f(lambda x: x[0] = 3)\n" => SyntaxError, "expression cannot contain assignment, perhaps you meant \"==\"?", 1, 3;
            "f(a or b=1)\n" => SyntaxError, "expression cannot contain assignment, perhaps you meant \"==\"?", 1, 3;
            "foo(a = = 1, 2, 3\n" => SyntaxError, "invalid syntax", 1, 9;
            "obj.__debug__ = 1\n" => SyntaxError, "cannot assign to __debug__", 1, 1;
            "(__debug__ := 1)\n" => SyntaxError, "cannot assign to __debug__", 1, 2;
            "del __debug__\n" => SyntaxError, "cannot delete __debug__", 1, 5;
            "f(__debug__=1)\n" => SyntaxError, "cannot assign to __debug__", 1, 1;
            "__debug__: int\n" => SyntaxError, "cannot assign to __debug__", 1, 1;
            "__debug__ += 1\n" => SyntaxError, "cannot assign to __debug__", 1, 1;
        }
    }

    #[test]
    fn more_parser_rules() {
        cases! {
            "d = {\"a\": 1, \"b\"1: 2, \"c\": 3}\n" => SyntaxError, "':' expected after dictionary key", 1, 16;
            "config = {\"host\": ,\"localhost\"}\n" => SyntaxError, "expression expected after dictionary key and ':'", 1, 17;
            "x = {1: *a}\n" => SyntaxError, "cannot use a starred expression in a dictionary value", 1, 9;
            "print(x * 2 if x >yield  3 else x / 2)\n" => SyntaxError, "expected 'else' after 'if' expression", 1, 7;
            "cond = lambda x: \"even\" if x 2 == 0 else \"odd\"\n" => SyntaxError, "expected 'else' after 'if' expression", 1, 18;
            "print(x if (x := s.get(\"b\")) is :not None else \"missing\")\n" => SyntaxError, "expected 'else' after 'if' expression", 1, 7;
            "del l==st[1:3]\n" => SyntaxError, "cannot delete comparison", 1, 5;
            "5 = x\ny = = 1\n" => SyntaxError, "cannot assign to literal here. Maybe you meant '==' instead of '='?", 1, 1;
            "print(\"a\")=\nprint(1)\n" => SyntaxError, "cannot assign to function call", 1, 1;
            "a, b = V(\"1.0\"), V(\"1.0.1\")=\nprint(a)\n" => SyntaxError, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?", 1, 4;
            "x = [1, 2,for  3]\n" => SyntaxError, "cannot assign to literal", 1, 16;
            "print(hash(0.5) == for hash(0.5))\n" => SyntaxError, "invalid syntax", 1, 20;
            "print(list(range(yield 3)))\n" => SyntaxError, "invalid syntax. Perhaps you forgot a comma?", 1, 12;
            "print(m x)\n" => SyntaxError, "invalid syntax", 1, 9;
            "print(ma b)\n" => SyntaxError, "invalid syntax", 1, 10;
            "print(sorted((c fo c in \"hello\")))\n" => SyntaxError, "invalid syntax. Perhaps you forgot a comma?", 1, 17;
            "print(p  not q)\n" => SyntaxError, "invalid syntax. Perhaps you forgot a comma?", 1, 7;
            "t.s:=tart()\n" => SyntaxError, "cannot use assignment expressions with attribute", 1, 1;
            "e = Counter(a=1, b=2, **c=5)\n" => SyntaxError, "invalid syntax", 1, 26;
            "r[eturn type(name)\nPt = 1\n" => SyntaxError, "'[' was never closed", 1, 2;
            "(max_active = 0\n" => SyntaxError, "'(' was never closed", 1, 1;
            "import nonexistent_module[_xyz\n" => SyntaxError, "invalid syntax", 1, 26;
            "def validate(age){:\n    return age\n" => SyntaxError, "expected ':'", 1, 18;
            "def che[ck():\n    return 1\n" => SyntaxError, "expected '('", 1, 8;
            "x = (1 2\n" => SyntaxError, "'(' was never closed", 1, 5;
            "print(1\nprint(2)\n" => SyntaxError, "'(' was never closed", 1, 6;
            "foo(a b c\n" => SyntaxError, "invalid syntax. Perhaps you forgot a comma?", 1, 5;
            "x = 4²\n" => SyntaxError, "invalid character '²' (U+00B2)", 1, 6;
            "x = 4é\n" => SyntaxError, "invalid syntax", 1, 6;
            "class C:\n    def f(self):\n        if x:\n     \\       return 1\n" => SyntaxError, "unexpected character after line continuation character", 4, 7;
            "\\\n" => SyntaxError, "unexpected EOF while parsing", 1, 2;
            "ts = [f(i) f\\or i in range(3)]\n" => SyntaxError, "unexpected character after line continuation character", 1, 14;
            "print(\"\\u00e9\" ==print  \"e\\u0301\")\n" => SyntaxError, "invalid syntax. Perhaps you forgot a comma?", 1, 7;
            "def f():\n    return * 10\n" => SyntaxError, "can't use starred expression here", 2, 12;
            "for s in *[\"1\", \"22\"]:\n    pass\n" => SyntaxError, "can't use starred expression here", 1, 10;
            "[n % d for* d in r]\n" => SyntaxError, "starred assignment target must be in a list or tuple", 1, 11;
            "print([x for x in 1 2])\n" => SyntaxError, "invalid syntax", 1, 21;
            "f(x for x in a b)\n" => SyntaxError, "invalid syntax", 1, 16;
        }
    }

    #[test]
    fn valid_code_passes() {
        cases! {
            ok "x = 1\n";
            ok "def f():\n    yield\n    return 1\n";
            ok "while 1:\n    try:\n        pass\n    finally:\n        break\n";
            ok "def g(n):\n    return (i * 2 for i in range(n) if await w(i))\n";
            ok "x = '\\ud800'\n";
            ok "if x:\n    pass\n  \n";
            ok "x = 1 # comment 'abc\n";
            ok "x = 1if 1 else 2\n";
            ok "print\n";
            ok "f(x=1, *y)\n";
            ok "a.b: int\n";
            ok "from __future__ import annotations\nx = 1\n";
            ok "x = f\"{x!r:>{width}}\"\n";
            ok "x = f'{a[\"b\"]}'\n";
            ok "if x:\n\tpass\n";
            ok "x = (1,\n\t2)\n";
            ok "def f(a, /, b, *, c, **d): pass\n";
            ok "def f(a=lambda x, y: x, b=2): pass\n";
            ok "lambda *, k: 0\n";
            ok "def f(*args: int, **kw): pass\n";
            ok "x = 1\n  \t# comment\ny = (1,\n  \t2)\n";
        }
    }

    #[test]
    fn parser_source_keeps_offsets_and_strings() {
        let source = "x = 1\n  \t# comment\ny = (1,\n  \t2)\ns = '''\n  \tkept\n'''\n";
        let text = parser_source(source);
        assert_eq!(text.len(), source.len());
        assert_eq!(
            text,
            "x = 1\n   # comment\ny = (1,\n   2)\ns = '''\n  \tkept\n'''\n"
        );
        assert!(rustpython_parser::parse(&text, Mode::Module, "<test>").is_ok());
        ok(source);
        assert!(matches!(parser_source("x = 1\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn check_source_reports_only_errors_that_win() {
        // Tokenizer errors that CPython reports wherever they are.
        assert!(check_source("x = = 1\ny = 'abc\n").is_err());
        assert!(check_source("x = (1, 2]\n").is_err());
        // Indentation errors only count when the parser gets there.
        assert!(check_source("x = = 1\nif x:\n\ta = 1\n        b = 2\n").is_ok());
        assert!(check_source("x = 1 \\ y\n").is_ok());
        assert!(check_source("").is_ok());
        assert!(check_source("\u{feff}x = 1\n").is_ok());
        check(
            "x = 1\0\n",
            SyntaxError,
            "source code cannot contain null bytes",
            1,
            0,
        );
    }

    /// A small deterministic generator, so the test needs no crate.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self, bound: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % bound.max(1)
        }
    }

    #[test]
    fn never_panics() {
        let bases = [
            "def f(a, b=1, *args, c, **kw):\n    return [x for x in a if x]\n",
            "class C(B, metaclass=M):\n    x: int = 1\n    def m(self): yield from g()\n",
            "x = f'{a!r:>{w}} {b=}' + rb'\\x00' + '\\N{BULLET}' + \"\"\"t\n\"\"\"\n",
            "if a:\n\tb = (1,\n  2)\nelif c:\n    pass\nelse:\n  d = {1: 2, **e}\n",
            "try:\n    pass\nexcept* E as e:\n    raise\nfinally:\n    del x[1:2, ...]\n",
            "async def f():\n    async with a as b:\n        await c\n    async for i in j: pass\n",
            "match p:\n    case [1, *r] | {'k': v} if v: pass\n    case C(a=1) as z: pass\n",
            "x = 0x1f + 0o7 + 0b1 + 1_000.5e-3j + .5 + 1. \\\n    + 1e5\n",
            "lambda *a, **k: (yield)\nprint \"x\"\n5 = x\nf(a=1, a=2)\n",
            "s = 'abc\nt = \"\"\"def\nu = (1, [2, {3\n",
            "é = 1\n€ = 2\n😀\nx\u{a0}= 1\n\u{200b}\n",
            "@d\ndef f[T](x: T) -> T: ...\ntype A = int\nfrom __future__ import braces\n",
            "f\"{\"\nf'{a b}'\nf'{x:{y:{z}}}'\nf'{'\nf'}'\nf'{!r}'\n",
            "while 1:\n    break\nelse:\n    continue\nreturn\nnonlocal q\n",
        ];
        let alphabet = [
            "(", ")", "[", "]", "{", "}", "'", "\"", "\\", "\n", "\t", " ", "    ", ":", "=", "#",
            "f'", "b'", "0", "1e", "x", ".", "_", "€", "é", "😀", "\r", "\x0c", "*", ",", "if ",
            "def ", "for ", "lambda", "yield", "await ", "\"\"\"", "'''", "f\"{", "}\"", "\u{a0}",
            "\0", "\\N{", "\\x", ":=", "!", "$",
        ];
        let mut rng = Lcg(0x5eed);
        let mut count = 0;
        for base in bases {
            let boundaries: Vec<usize> = base
                .char_indices()
                .map(|(i, _)| i)
                .chain([base.len()])
                .collect();
            for &end in &boundaries {
                compile_error(&base[..end]);
                count += 1;
            }
            for _ in 0..40 {
                let mut text = base.to_string();
                for _ in 0..1 + rng.next(4) {
                    let positions: Vec<usize> = text
                        .char_indices()
                        .map(|(i, _)| i)
                        .chain([text.len()])
                        .collect();
                    let at = positions[rng.next(positions.len())];
                    let piece = alphabet[rng.next(alphabet.len())];
                    if rng.next(3) == 0 {
                        let end = positions.iter().copied().find(|&p| p > at).unwrap_or(at);
                        text.replace_range(at..end, piece);
                    } else {
                        text.insert_str(at, piece);
                    }
                }
                compile_error(&text);
                let _ = parser_source(&text);
                count += 1;
            }
        }
        for piece in alphabet {
            compile_error(piece);
            compile_error(&piece.repeat(300));
            count += 2;
        }
        assert!(count > 500);
    }
}
