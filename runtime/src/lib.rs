//! protoPython's engine.
//!
//! Source text is parsed by `rustpython-parser` and compiled (`compiler/`)
//! into immortal code objects (`bytecode/`) split into basic blocks. The
//! stackless engine (`engine/`) runs a task's heap frames block by block in
//! `execute_range`, driven by the step loop; every block boundary is a
//! safepoint where the tracing collector (`heap/`) may run. Values
//! (`value.rs`) are 64-bit words: small ints, floats and singletons are
//! immediate, everything else lives on the per-worker heap. Python types
//! are in `objects/` (representation) and `builtins/` (behaviour and the
//! built-in modules). The outside world comes in through `host.rs`.

#![cfg_attr(
    all(target_arch = "wasm32", target_feature = "atomics"),
    feature(stdarch_wasm_atomic_wait)
)]

pub mod builtins;
pub mod bytecode;
pub mod compiler;
pub mod engine;
pub mod heap;
pub mod host;
pub mod numeric;
pub mod objects;
pub mod sched;
pub mod shared;
pub mod stdlib;
pub mod text;
pub mod value;

pub use engine::Vm;
pub use value::Value;

/// The result of anything that can raise: `Err` holds the exception object.
pub type PyResult<T> = Result<T, Value>;
