//! Functions: Python functions (code + globals + defaults + closure),
//! native functions (a Rust `fn` with the one native signature) and the
//! attributes both expose.
//!
//! A Python function refers to an immortal code object, so frames can keep
//! a `&'static CodeObject` without counting references.

use crate::bytecode::code::CodeObject;
use crate::engine::Vm;
use crate::heap::gc::Marker;
use crate::value::Value;
use crate::PyResult;

/// The one signature of every native function: positional arguments
/// (for a method, the receiver first) and keyword arguments as
/// (name, value) pairs, names being str objects.
pub type NativeFn = fn(&mut Vm, &[Value], &[(Value, Value)]) -> PyResult<Value>;

#[derive(Clone, Copy)]
pub struct NativeFunction {
    pub name: &'static str,
    pub function: NativeFn,
    /// The class a method belongs to (`NULL` for a plain function); used in
    /// messages and `__qualname__`.
    pub owner: Value,
}

pub struct Function {
    pub code: &'static CodeObject,
    pub globals: Value,
    /// Defaults of the last positional parameters (`__defaults__`): a
    /// tuple, or NULL for none. An assignment publishes a new tuple with
    /// one Release store (`AtomicValue::publish`; readers `load_published`,
    /// so they see its items too): threads calling a shared function
    /// meanwhile see the old defaults or the new ones, and nobody is
    /// stopped.
    pub defaults: crate::value::AtomicValue,
    /// Defaults of keyword-only parameters (`__kwdefaults__`): a tuple of
    /// name, value, name, value..., or NULL for none; replaced likewise.
    pub kw_defaults: crate::value::AtomicValue,
    /// Cell objects for the code's free variables.
    pub closure: Box<[Value]>,
    pub name: crate::value::AtomicValue,
    pub qualname: crate::value::AtomicValue,
    pub doc: crate::value::AtomicValue,
    pub module: crate::value::AtomicValue,
    pub annotations: crate::value::AtomicValue,
}

impl Function {
    /// The positional defaults (valid until the next safepoint, like any
    /// value loaded from a shared object).
    pub fn defaults(&self) -> &'static [Value] {
        crate::engine::tuple_items(self.defaults.load_published()).unwrap_or(&[])
    }

    /// The keyword-only defaults, as (name, value) pairs.
    pub fn kw_defaults(&self) -> impl Iterator<Item = (Value, Value)> {
        crate::engine::tuple_items(self.kw_defaults.load_published())
            .unwrap_or(&[])
            .chunks_exact(2)
            .map(|pair| (pair[0], pair[1]))
    }

    pub fn trace(&self, marker: &mut Marker) {
        marker.mark(self.globals);
        marker.mark(self.defaults.get());
        marker.mark(self.kw_defaults.get());
        marker.mark_all(&self.closure);
        marker.mark(self.name.get());
        marker.mark(self.qualname.get());
        marker.mark(self.doc.get());
        marker.mark(self.module.get());
        marker.mark(self.annotations.get());
    }
}
