//! Pure text algorithms with Python semantics: no Python objects, no
//! exceptions (callers raise). Float repr and the format-spec
//! mini-language, number parsing, and the str method algorithms.

pub mod format_spec;
pub mod numparse;
pub mod regex;
pub mod strops;
