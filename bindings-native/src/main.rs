//! `protopy`: the command-line front door of protoPython.
//!
//! The engine (compiler, stackless engine, heap, builtins) has not landed
//! on main yet, so this binary cannot run Python programs: it says so and
//! exits with status 2 instead of pretending to run anything.

use std::process::ExitCode;

fn main() -> ExitCode {
    eprintln!("protopy: the engine has not landed yet; this build cannot run Python programs (see README.md, Status)");
    ExitCode::from(2)
}
