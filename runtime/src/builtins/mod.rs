//! Built-in functions, methods and modules, and the one registration list.
//!
//! `install` creates the `builtins` module and then calls each type file's
//! `register` in the order below; that list is the only place a built-in
//! is wired in. Every native function has the signature
//! [`NativeFn`](crate::objects::NativeFn); argument helpers live in
//! `args.rs`.

pub mod args;
pub mod attributes;
pub mod binascii_module;
pub mod bytes_methods;
pub mod classes;
pub mod collections_module;
pub mod complex;
pub mod containers;
pub mod deque_ring;
pub mod descriptors;
pub mod dict_views;
pub mod escape_codecs;
pub mod exceptions;
pub mod files;
pub mod functions;
pub mod generators;
pub mod hashlib_module;
pub mod import;
pub mod iterators;
pub mod loops;
pub mod math_module;
pub mod memoryview;
pub mod modules;
pub mod numbers;
pub mod os_module;
pub mod ranges;
pub mod re_module;
pub mod repr;
pub mod str_methods;
pub mod struct_module;
pub mod sys_support;
pub mod thread_module;
pub mod time_module;
pub mod twister_module;
pub mod types;
pub mod unicode_errors;
pub mod unicodedata_module;
pub mod union_type;

use crate::objects::PyCell;

use crate::engine::Vm;
use crate::objects::{DictTable, NativeFn, NativeFunction, ObjKind};
use crate::value::Value;

/// Creates the builtins module and registers everything.
pub fn install(vm: &mut Vm) {
    // Built-in class dicts were created before `dict` existed.
    let dict_class = vm.types.dict;
    let mut classes: Vec<Value> = vm
        .types
        .public()
        .into_iter()
        .map(|(_, class)| class)
        .collect();
    classes.extend(vm.types.exc.all().into_iter().map(|(_, class)| class));
    for class in classes {
        if let Some(dict) = class.as_obj().map(|obj| obj.dict()) {
            if let Some(obj) = dict.as_obj() {
                obj.set_class(dict_class);
            }
        }
    }
    let builtins = vm.new_dict();
    vm.builtins = builtins;
    let public = vm.types.public();
    // The classes CPython binds in `builtins`; internal types (function,
    // method, module, cell, code, generator, iterators, views...) are
    // reachable only through `type(...)`, as in CPython.
    const EXPOSED: &[&str] = &[
        "object",
        "type",
        "int",
        "bool",
        "float",
        "complex",
        "str",
        "bytes",
        "bytearray",
        "tuple",
        "list",
        "dict",
        "set",
        "frozenset",
        "range",
        "slice",
        "property",
        "staticmethod",
        "classmethod",
        "super",
        "enumerate",
        "zip",
        "map",
        "filter",
        "reversed",
        "memoryview",
    ];
    for (name, class) in public {
        if EXPOSED.contains(&name) {
            set_builtin(vm, name, class);
        }
    }
    for (name, class) in vm.types.exc.all() {
        set_builtin(vm, name, class);
    }
    let ellipsis = Value::ELLIPSIS;
    set_builtin(vm, "Ellipsis", ellipsis);
    set_builtin(vm, "NotImplemented", Value::NOT_IMPLEMENTED);
    functions::register(vm);
    numbers::register(vm);
    complex::register(vm);
    str_methods::register(vm);
    bytes_methods::register(vm);
    containers::register(vm);
    dict_views::register(vm);
    union_type::register(vm);
    memoryview::register(vm);
    files::register(vm);
    unicode_errors::register(vm);
    descriptors::register(vm);
    classes::register(vm);
    exceptions::register(vm);
    generators::register(vm);
}

/// Binds `name` in the builtins module.
pub fn set_builtin(vm: &mut Vm, name: &str, value: Value) {
    let key = vm.intern(name);
    let builtins = vm.builtins;
    crate::engine::ops::dict_set_str(vm, builtins, key, value);
}

/// An immortal native function object.
pub fn native_function(vm: &mut Vm, name: &'static str, function: NativeFn, owner: Value) -> Value {
    let class = vm.types.builtin_function;
    crate::heap::alloc_immortal(
        class,
        ObjKind::NativeFunction(NativeFunction {
            name,
            function,
            owner,
        }),
    )
}

/// Registers a builtin function in the builtins module.
pub fn add_function(vm: &mut Vm, name: &'static str, function: NativeFn) {
    let value = native_function(vm, name, function, Value::NULL);
    set_builtin(vm, name, value);
}

/// Registers a method (or dunder) on a built-in class. The receiver is
/// `args[0]`.
pub fn add_method(vm: &mut Vm, class: Value, name: &'static str, function: NativeFn) {
    let value = native_function(vm, name, function, class);
    set_class_attr(vm, class, name, value);
}

/// Registers a classmethod on a built-in class (`dict.fromkeys`); the
/// class is `args[0]`.
pub fn add_classmethod(vm: &mut Vm, class: Value, name: &'static str, function: NativeFn) {
    let inner = native_function(vm, name, function, class);
    let wrapper = crate::heap::alloc_immortal(vm.types.classmethod, ObjKind::ClassMethod(inner));
    set_class_attr(vm, class, name, wrapper);
}

/// Registers a staticmethod on a built-in class (`str.maketrans`).
pub fn add_staticmethod(vm: &mut Vm, class: Value, name: &'static str, function: NativeFn) {
    let inner = native_function(vm, name, function, class);
    let wrapper = crate::heap::alloc_immortal(vm.types.staticmethod, ObjKind::StaticMethod(inner));
    set_class_attr(vm, class, name, wrapper);
}

/// Sets an attribute in a class's namespace dict directly.
pub fn set_class_attr(vm: &mut Vm, class: Value, name: &str, value: Value) {
    let key = vm.intern(name);
    let dict = class.as_obj().expect("class").dict();
    crate::engine::ops::dict_set_str(vm, dict, key, value);
    crate::objects::typeobj::type_attributes_changed();
}

/// A module object with a fresh namespace holding `__name__`.
pub fn new_module(vm: &mut Vm, name: &str) -> Value {
    let class = vm.types.module;
    let name_value = vm.intern(name);
    let module = vm.alloc(
        class,
        ObjKind::Module {
            name: name_value,
            initializer: std::sync::atomic::AtomicU64::new(crate::builtins::import::NO_INITIALIZER),
        },
    );
    let dict = vm.alloc(vm.types.dict, ObjKind::Dict(PyCell::new(DictTable::new())));
    module.as_obj().expect("module").set_dict(dict);
    let key = vm.intern("__name__");
    crate::engine::ops::dict_set_str(vm, dict, key, name_value);
    module
}
