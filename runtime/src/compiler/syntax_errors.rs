//! CPython 3.11's wording for syntax errors.
//!
//! `rustpython-parser` finds most syntax errors but words them its own way
//! ("Got unexpected token ..."), reports some at other places than CPython,
//! and accepts a few programs CPython rejects (`5 = x`, `f(x for x in y, 1)`).
//! This module gives back CPython's exception kind, message, line and (as far
//! as we can tell) caret column.  It works in three steps, mirroring CPython:
//!
//! * [`check_source`] runs before parsing and reproduces the errors CPython's
//!   *tokenizer* raises: unterminated strings, unmatched or mismatched
//!   brackets, bad numeric literals, invalid characters, a stray `\`, and
//!   inconsistent indentation.  CPython reports such an error wherever it is
//!   in the file, even when the parser failed earlier, so it always wins.
//! * [`from_parse_error`] maps a parser failure to CPython's message by
//!   looking at the tokens around the failure (an `=` where `==` was meant, a
//!   missing comma, a block header without a body, a bracket never closed...).
//!   Unknown cases become `invalid syntax` at the parser's position.
//! * [`check_parsed`] runs on a successfully parsed module and reports what
//!   CPython's parser rejects but `rustpython-parser` accepts: invalid
//!   assignment, deletion and `for` targets, starred comprehension elements,
//!   unparenthesized generator arguments, backslashes in f-string expressions.
//!
//! None of these functions panics, whatever the input.

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
/// `from __future__` imports).
#[allow(dead_code)] // Until the code generator calls it.
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
                '\\' => self.continuation(start),
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
                _ => break,
            }
            self.pos += 1;
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

    fn continuation(&mut self, start: usize) {
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
                return;
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
        }
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
        if c.is_some_and(is_ident_char) {
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
    // CPython's tokenizer stops at an indentation or line-continuation error
    // when its parser gets there, and that is before the parser failed.
    if let Some((soft_offset, error)) = scan.soft {
        if soft_offset <= offset {
            return error;
        }
    }
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
    if let Some(bracket) = scan.unclosed {
        let at_end = ti + 1 >= ctx.tokens.len()
            || matches!(
                error,
                ParseErrorType::Eof | ParseErrorType::Lexical(LexicalErrorType::Eof)
            );
        if at_end || ctx.line(offset) > bracket.line {
            return syntax_at(
                format!("'{}' was never closed", bracket.ch),
                bracket.line,
                bracket.column,
            );
        }
    }
    if let Some(error) = ctx.string_error_before(ti) {
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
        let rules: [fn(&Self, usize) -> Option<CompileError>; 9] = [
            Ctx::try_without_handler,
            Ctx::assignment_misuse,
            Ctx::comprehension_misuse,
            Ctx::legacy_call,
            Ctx::argument_after_var_keyword,
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
        if expected == Some("\":\"")
            && (self.is_op(ti, "}") || self.is_op(ti, ","))
            && self.opener(ti).is_some_and(|open| self.is_op(open, "{"))
        {
            let open = self.opener(ti).unwrap_or(0);
            let inner = self.depth_of(open) + 1;
            let mut k = ti;
            while k > open + 1
                && !(self.depth_of(k - 1) == inner
                    && (self.is_op(k - 1, ",") || self.is_op(k - 1, ":")))
            {
                k -= 1;
            }
            return self.syntax("':' expected after dictionary key", self.start(k));
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
        let (line, column) = match self.tokens.get(ti) {
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

    /// `=` or `:=` where it cannot be.
    fn assignment_misuse(&self, ti: usize) -> Option<CompileError> {
        let walrus = self.is_op(ti, ":=");
        if !walrus && !self.is_op(ti, "=") {
            return None;
        }
        let first = self.expr_start(ti, true);
        if first >= ti {
            return None;
        }
        let last = ti - 1;
        let at = self.start(first);
        let text = self.src.get(at..self.tokens[last].end).unwrap_or("");
        let single = first == last;
        let single_name = single && self.kind(first) == Some(Kind::Name) && !is_keyword(text);
        let constant = single && matches!(text, "True" | "False" | "None");
        if walrus {
            if single_name {
                return None;
            }
            let expr = parse_fragment(text)?;
            return Some(self.syntax(
                format!(
                    "cannot use assignment expressions with {}",
                    expr_name(&expr)
                ),
                at,
            ));
        }
        let boundary = first.checked_sub(1);
        let opener = self.opener(ti);
        let in_call = opener.is_some_and(|open| {
            self.is_op(open, "(")
                && open > 0
                && self.ends_atom(open - 1)
                && !self.is_kw(open - 1, "None")
        });
        if in_call {
            let starts_argument = boundary.is_some_and(|b| Some(b) == opener || self.is_op(b, ","));
            if !starts_argument {
                return None;
            }
            if constant {
                return Some(self.syntax(format!("cannot assign to {text}"), at));
            }
            if single_name {
                return None;
            }
            return Some(self.syntax(
                "expression cannot contain assignment, perhaps you meant \"==\"?",
                at,
            ));
        }
        let named_context = boundary.is_some_and(|b| {
            ["if", "elif", "while"].iter().any(|kw| self.is_kw(b, kw))
                || Some(b) == opener
                || (opener.is_some() && self.is_op(b, ","))
        });
        if !named_context || constant {
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
        let bracket = self.text(open);
        let at = self.start(first);
        if self.is_op(first, "**") && bracket == "{" {
            return Some(self.syntax("dict unpacking cannot be used in dict comprehension", at));
        }
        if self.is_op(first, "*") {
            return Some(self.syntax("iterable unpacking cannot be used in comprehension", at));
        }
        let depth = self.depth_of(ti);
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
        let p = ti.checked_sub(1)?;
        let name = self.text(p);
        if self.kind(p) != Some(Kind::Name) || !matches!(name, "print" | "exec") {
            return None;
        }
        if (p > 0 && self.is_op(p - 1, ".")) || self.is_op(ti, "(") || !self.starts_expr(ti) {
            return None;
        }
        Some(self.syntax(
            format!("Missing parentheses in call to '{name}'. Did you mean {name}(...)?"),
            self.start(p),
        ))
    }

    /// A parameter after `**kwargs` in a `def`.
    fn argument_after_var_keyword(&self, ti: usize) -> Option<CompileError> {
        if self.kind(ti) != Some(Kind::Name) || !self.is_op(ti.checked_sub(1)?, ",") {
            return None;
        }
        let open = self.opener(ti)?;
        let is_def = open >= 2 && self.is_kw(open - 2, "def");
        let depth = self.depth_of(ti);
        if is_def && ((open + 1)..ti).any(|j| self.depth_of(j) == depth && self.is_op(j, "**")) {
            return Some(self.syntax(
                "arguments cannot follow var-keyword argument",
                self.start(ti),
            ));
        }
        None
    }

    /// Two expressions side by side inside brackets.
    fn missing_comma(&self, ti: usize) -> Option<CompileError> {
        if self.depth_of(ti) == 0 {
            return None;
        }
        let p = ti.checked_sub(1)?;
        if !self.ends_atom(p) || !self.starts_expr(ti) {
            return None;
        }
        let first = self.expr_start(ti, false).min(p);
        if self.kind(first) == Some(Kind::Name)
            && (self.kind(first + 1) == Some(Kind::Str)
                || matches!(self.text(first), "match" | "case" | "_"))
        {
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
    fn string_error_before(&self, ti: usize) -> Option<CompileError> {
        let last = ti.min(self.tokens.len().saturating_sub(1));
        (0..=last)
            .filter(|&i| {
                self.kind(i) == Some(Kind::Str) && (i == 0 || self.kind(i - 1) != Some(Kind::Str))
            })
            .find_map(|i| self.string_run_error(i))
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
                if u32::from_str_radix(&digits, 16).map_or(true, |code| code > 0x10FFFF) {
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
        } else if !delete {
            self.compiler_target_checks(target);
        }
    }

    fn compiler_target_checks(&mut self, target: &ast::Expr) {
        let elts = match target {
            ast::Expr::Tuple(tuple) => &tuple.elts,
            ast::Expr::List(list) => &list.elts,
            ast::Expr::Name(name) if name.id.as_str() == "__debug__" => {
                self.report_late("cannot assign to __debug__", usize::from(target.start()));
                return;
            }
            _ => return,
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
                self.target(&for_.target, false);
                self.expr(&for_.target);
                self.expr(&for_.iter);
                self.loop_body(&for_.body);
                self.stmts(&for_.orelse);
            }
            Stmt::AsyncFor(for_) => {
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
                if count > 1 {
                    let bare = e.args.iter().find(|arg| {
                        matches!(arg, Expr::GeneratorExp(_)) && !self.parenthesized(arg)
                    });
                    if let Some(genexp) = bare {
                        self.report(
                            "Generator expression must be parenthesized",
                            usize::from(genexp.start()),
                        );
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
