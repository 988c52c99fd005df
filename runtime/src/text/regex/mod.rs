//! Regular expressions with Python's `re` syntax and semantics: the
//! parser (`parser.rs`: syntax, flags, CPython's error messages), the
//! compiler to a flat program (`program.rs`), and the backtracking
//! matcher (`matcher.rs`). Pure algorithms over code points; the `re`
//! module objects live in `builtins/re_module.rs` and `stdlib/re.py`.

pub mod matcher;
pub mod parser;
pub mod program;

pub use matcher::{find, Found, Mode};
pub use parser::{ErrorKind, ParseError};
pub use program::Program;

/// Parses and compiles `pattern` (code points; bytes as Latin-1).
pub fn compile(pattern: &[char], flags: u32, is_bytes: bool) -> Result<Program, ParseError> {
    program::compile(parser::parse(pattern, flags, is_bytes)?)
}

/// Every successive non-overlapping match from `start` (at most `limit`
/// when it is not zero), with CPython's rule that a match following an
/// empty one may not be empty at the same position.
pub fn scan(
    program: &Program,
    input: &[char],
    start: usize,
    end: usize,
    limit: usize,
) -> Vec<Found> {
    let mut found = Vec::new();
    let mut pos = start;
    let mut must_advance = false;
    while limit == 0 || found.len() < limit {
        let Some(one) = find(program, input, pos, end, Mode::Search, must_advance) else {
            break;
        };
        let (match_start, match_end) = (one.spans[0] as usize, one.spans[1] as usize);
        must_advance = match_start == match_end;
        pos = match_end;
        found.push(one);
    }
    found
}
