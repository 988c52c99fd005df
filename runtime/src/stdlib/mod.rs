//! Standard-library modules written in Python for protoPython (our own
//! code; no third-party stdlib sources), compiled into the binary and
//! imported like built-in modules. Each module is one `.py` file here and
//! one line in [`SOURCES`].

/// (module name, source text) of every embedded module.
pub const SOURCES: &[(&str, &str)] = &[("keyword", include_str!("keyword.py"))];
