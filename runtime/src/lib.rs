//! protoPython's engine crate.
//!
//! What has landed so far are the pure semantic layers the engine is built
//! on: `text/` (Python's float repr and format-spec mini-language, str
//! method algorithms with code-point indexing, int/float literal parsing)
//! and `numeric.rs` (CPython's integer and float arithmetic, rounding and
//! hashing rules). They hold no Python objects and raise nothing: callers
//! turn their `Err(String)` messages into exceptions. The compiler, the
//! stackless engine, the heap and the builtins follow (see README.md).

pub mod numeric;
pub mod text;
