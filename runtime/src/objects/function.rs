//! Functions: Python functions (code + globals + defaults + closure),
//! native functions (a Rust `fn` with the one native signature) and the
//! attributes both expose.
//!
//! A Python function refers to an immortal code object, so frames can keep
//! a `&'static CodeObject` without counting references.

use crate::objects::PyCell;

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
    /// Defaults of the last positional parameters (`__defaults__`).
    pub defaults: PyCell<Box<[Value]>>,
    /// Defaults of keyword-only parameters, by name (`__kwdefaults__`).
    pub kw_defaults: PyCell<Box<[(Value, Value)]>>,
    /// Cell objects for the code's free variables.
    pub closure: Box<[Value]>,
    pub name: crate::value::AtomicValue,
    pub qualname: crate::value::AtomicValue,
    pub doc: crate::value::AtomicValue,
    pub module: crate::value::AtomicValue,
    pub annotations: crate::value::AtomicValue,
}

impl Function {
    pub fn trace(&self, marker: &mut Marker) {
        marker.mark(self.globals);
        marker.mark_all(&self.defaults.borrow());
        for (name, value) in self.kw_defaults.borrow().iter() {
            marker.mark(*name);
            marker.mark(*value);
        }
        marker.mark_all(&self.closure);
        marker.mark(self.name.get());
        marker.mark(self.qualname.get());
        marker.mark(self.doc.get());
        marker.mark(self.module.get());
        marker.mark(self.annotations.get());
    }
}
