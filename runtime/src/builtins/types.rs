//! The built-in classes, created once at start-up as immortal objects:
//! `object`, `type`, the value types, the iterator and helper types, and the
//! exception hierarchy. Each class is listed once here; its methods are
//! registered by the file of its type (see `builtins/mod.rs`).

use crate::objects::PyCell;

use crate::heap::alloc_immortal;
use crate::objects::{DictTable, Layout, ObjKind, TypeObj};
use crate::value::Value;

macro_rules! exception_types {
    ($($field:ident : $name:literal < $base:ident;)*) => {
        /// The built-in exception classes.
        #[derive(Clone)]
        pub struct ExceptionTypes {
            pub base_exception: Value,
            $(pub $field: Value,)*
        }

        impl ExceptionTypes {
            fn create(type_: Value, object: Value) -> ExceptionTypes {
                let base_exception = make_class(type_, "BaseException", object, Layout::Exception);
                let mut all = ExceptionTypes { base_exception, $($field: Value::NULL,)* };
                $( all.$field = make_class(type_, $name, all.$base, Layout::Exception); )*
                all
            }

            /// Every exception class with its name, for the builtins module.
            pub fn all(&self) -> Vec<(&'static str, Value)> {
                vec![("BaseException", self.base_exception), $(($name, self.$field),)*]
            }
        }
    };
}

exception_types! {
    exception: "Exception" < base_exception;
    system_exit: "SystemExit" < base_exception;
    keyboard_interrupt: "KeyboardInterrupt" < base_exception;
    generator_exit: "GeneratorExit" < base_exception;
    arithmetic_error: "ArithmeticError" < exception;
    zero_division_error: "ZeroDivisionError" < arithmetic_error;
    overflow_error: "OverflowError" < arithmetic_error;
    floating_point_error: "FloatingPointError" < arithmetic_error;
    assertion_error: "AssertionError" < exception;
    attribute_error: "AttributeError" < exception;
    buffer_error: "BufferError" < exception;
    eof_error: "EOFError" < exception;
    import_error: "ImportError" < exception;
    module_not_found_error: "ModuleNotFoundError" < import_error;
    lookup_error: "LookupError" < exception;
    index_error: "IndexError" < lookup_error;
    key_error: "KeyError" < lookup_error;
    memory_error: "MemoryError" < exception;
    name_error: "NameError" < exception;
    unbound_local_error: "UnboundLocalError" < name_error;
    os_error: "OSError" < exception;
    file_not_found_error: "FileNotFoundError" < os_error;
    file_exists_error: "FileExistsError" < os_error;
    permission_error: "PermissionError" < os_error;
    is_a_directory_error: "IsADirectoryError" < os_error;
    not_a_directory_error: "NotADirectoryError" < os_error;
    timeout_error: "TimeoutError" < os_error;
    blocking_io_error: "BlockingIOError" < os_error;
    child_process_error: "ChildProcessError" < os_error;
    connection_error: "ConnectionError" < os_error;
    broken_pipe_error: "BrokenPipeError" < connection_error;
    connection_aborted_error: "ConnectionAbortedError" < connection_error;
    connection_refused_error: "ConnectionRefusedError" < connection_error;
    connection_reset_error: "ConnectionResetError" < connection_error;
    interrupted_error: "InterruptedError" < os_error;
    process_lookup_error: "ProcessLookupError" < os_error;
    reference_error: "ReferenceError" < exception;
    runtime_error: "RuntimeError" < exception;
    not_implemented_error: "NotImplementedError" < runtime_error;
    recursion_error: "RecursionError" < runtime_error;
    stop_iteration: "StopIteration" < exception;
    stop_async_iteration: "StopAsyncIteration" < exception;
    syntax_error: "SyntaxError" < exception;
    indentation_error: "IndentationError" < syntax_error;
    tab_error: "TabError" < indentation_error;
    system_error: "SystemError" < exception;
    type_error: "TypeError" < exception;
    value_error: "ValueError" < exception;
    unicode_error: "UnicodeError" < value_error;
    unicode_decode_error: "UnicodeDecodeError" < unicode_error;
    unicode_encode_error: "UnicodeEncodeError" < unicode_error;
    unicode_translate_error: "UnicodeTranslateError" < unicode_error;
    warning: "Warning" < exception;
    deprecation_warning: "DeprecationWarning" < warning;
    user_warning: "UserWarning" < warning;
    runtime_warning: "RuntimeWarning" < warning;
    bytes_warning: "BytesWarning" < warning;
    encoding_warning: "EncodingWarning" < warning;
    future_warning: "FutureWarning" < warning;
    import_warning: "ImportWarning" < warning;
    pending_deprecation_warning: "PendingDeprecationWarning" < warning;
    resource_warning: "ResourceWarning" < warning;
    syntax_warning: "SyntaxWarning" < warning;
    unicode_warning: "UnicodeWarning" < warning;
    base_exception_group: "BaseExceptionGroup" < base_exception;
    exception_group: "ExceptionGroup" < base_exception_group;
}

macro_rules! builtin_types {
    ($($field:ident : $name:literal, $layout:ident;)*) => {
        /// Every built-in class, by role.
        #[derive(Clone)]
        pub struct BuiltinTypes {
            pub object: Value,
            pub type_: Value,
            $(pub $field: Value,)*
            pub exc: ExceptionTypes,
            /// The one empty tuple.
            pub empty_tuple: Value,
        }

        impl BuiltinTypes {
            pub fn create() -> BuiltinTypes {
                let (object, type_) = make_object_and_type();
                let exc = ExceptionTypes::create(type_, object);
                let mut types = BuiltinTypes { object, type_, $($field: Value::NULL,)* exc, empty_tuple: Value::NULL };
                $( types.$field = make_class(type_, $name, object, Layout::$layout); )*
                // bool is an int subclass.
                types.bool = make_class(type_, "bool", types.int, Layout::Final);
                types.empty_tuple = alloc_immortal(types.tuple, ObjKind::Tuple(Box::new([])));
                types
            }

            /// The classes the builtins module exposes by name.
            pub fn public(&self) -> Vec<(&'static str, Value)> {
                vec![("object", self.object), ("type", self.type_), $(($name, self.$field),)*]
            }
        }
    };
}

builtin_types! {
    int: "int", Int;
    bool: "bool", Final;
    float: "float", Float;
    complex: "complex", Complex;
    str: "str", Str;
    bytes: "bytes", Bytes;
    bytearray: "bytearray", ByteArray;
    tuple: "tuple", Tuple;
    list: "list", List;
    dict: "dict", Dict;
    set: "set", Set;
    frozenset: "frozenset", FrozenSet;
    none_type: "NoneType", Final;
    not_implemented_type: "NotImplementedType", Final;
    ellipsis_type: "ellipsis", Final;
    function: "function", Final;
    builtin_function: "builtin_function_or_method", Final;
    method: "method", Final;
    module: "module", Object;
    cell: "cell", Final;
    code: "code", Final;
    range: "range", Final;
    slice: "slice", Final;
    property: "property", Object;
    staticmethod: "staticmethod", Object;
    classmethod: "classmethod", Object;
    super_: "super", Object;
    generator: "generator", Final;
    list_iterator: "list_iterator", Final;
    list_reverseiterator: "list_reverseiterator", Final;
    tuple_iterator: "tuple_iterator", Final;
    str_iterator: "str_ascii_iterator", Final;
    bytes_iterator: "bytes_iterator", Final;
    range_iterator: "range_iterator", Final;
    dict_keyiterator: "dict_keyiterator", Final;
    dict_valueiterator: "dict_valueiterator", Final;
    dict_itemiterator: "dict_itemiterator", Final;
    set_iterator: "set_iterator", Final;
    dict_keys: "dict_keys", Final;
    dict_values: "dict_values", Final;
    dict_items: "dict_items", Final;
    enumerate: "enumerate", Object;
    zip: "zip", Object;
    map: "map", Object;
    filter: "filter", Object;
    reversed: "reversed", Object;
    callable_iterator: "callable_iterator", Final;
    iterator: "iterator", Final;
    union_type: "UnionType", Final;
    memoryview: "memoryview", Final;
    text_file: "TextIOWrapper", Final;
    binary_file: "BufferedReader", Final;
    hash_object: "HASH", Final;
    thread_lock: "lock", Final;
    thread_rlock: "RLock", Final;
    thread_semaphore: "_Semaphore", Final;
    deque_ring: "ring", Final;
    twister: "twister", Final;
    member_descriptor: "member_descriptor", Final;
    getset_descriptor: "getset_descriptor", Final;
    traceback: "traceback", Final;
    frame: "frame", Final;
}

/// `object` and `type`, which refer to each other.
fn make_object_and_type() -> (Value, Value) {
    let object = alloc_immortal(
        Value::NULL,
        ObjKind::Type(Box::new(type_payload("object", vec![], Layout::Object))),
    );
    let type_ = alloc_immortal(
        Value::NULL,
        ObjKind::Type(Box::new(type_payload("type", vec![object], Layout::Type))),
    );
    for class in [object, type_] {
        let obj = class.as_obj().expect("type object");
        obj.set_class(type_);
        obj.set_dict(new_immortal_dict(type_));
        if let ObjKind::Type(payload) = &obj.kind {
            let mut mro = vec![class];
            if class == type_ {
                mro.push(object);
            }
            *payload.mro.borrow_mut() = mro;
        }
    }
    (object, type_)
}

fn type_payload(name: &str, bases: Vec<Value>, layout: Layout) -> TypeObj {
    TypeObj {
        name: name.to_string(),
        qualname: PyCell::new(name.to_string()),
        bases: PyCell::new(bases),
        mro: PyCell::new(Vec::new()),
        layout,
        builtin: true,
        dictless: false,
        slotted: false,
        hook_cache: std::sync::atomic::AtomicU64::new(0),
        lookup_cache: Default::default(),
    }
}

/// The namespace dict of a built-in class. It is immortal like its class
/// and holds only immortal values (native functions, interned names).
fn new_immortal_dict(type_: Value) -> Value {
    // The dict's class is patched to `dict` by `builtins::install`.
    alloc_immortal(type_, ObjKind::Dict(PyCell::new(DictTable::new())))
}

/// Creates an immortal built-in class with a single base.
pub fn make_class(type_: Value, name: &str, base: Value, layout: Layout) -> Value {
    let class = alloc_immortal(
        type_,
        ObjKind::Type(Box::new(type_payload(name, vec![base], layout))),
    );
    let obj = class.as_obj().expect("type object");
    obj.set_dict(new_immortal_dict(type_));
    if let ObjKind::Type(payload) = &obj.kind {
        let mut mro = vec![class];
        if let Some(base_type) = crate::engine::type_obj(base) {
            mro.extend(base_type.mro.borrow().iter().copied());
        }
        *payload.mro.borrow_mut() = mro;
    }
    class
}
