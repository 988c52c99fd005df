//! Python object payloads: one enum, [`ObjKind`], with one variant per
//! built-in layout, and one file per type for its behaviour.
//!
//! The variant is the object's *layout*; its Python class lives in the
//! header. An instance of a user subclass of `list` is a `List` whose
//! header names the subclass, and it carries an instance dictionary too.
//! Mutable payloads sit in `PyCell`s: only the owner task mutates them, and
//! no borrow is ever held across a call back into Python (engine rule 3 in
//! `engine/execute.rs`).

pub mod bytearray;
pub mod dict;
pub mod exception;
pub mod function;
pub mod generator;
pub mod int;
pub mod iter;
pub mod list;
pub mod lock;
pub mod pycell;
pub mod ring;
pub mod seqcell;
pub mod str;
pub mod twister;
pub mod typeobj;

use num_bigint::BigInt;

use crate::bytecode::code::CodeObject;
use crate::heap::gc::Marker;
use crate::value::Value;

pub use dict::DictTable;
pub use exception::ExcData;
pub use function::{Function, NativeFn, NativeFunction};
pub use generator::Generator;
pub use iter::IterState;
pub use list::ListItems;
pub use pycell::{PyCell, PyRef, PyRefMut};
pub use str::PyStr;
pub use typeobj::{Layout, TypeObj};

/// The payload of a heap object.
pub enum ObjKind {
    /// An instance with no built-in payload (its state is the header dict).
    Object,
    /// An int outside the small range, or an instance of an int subclass.
    Int(BigInt),
    /// A float subclass instance (plain floats are immediate).
    Float(f64),
    /// A complex number (immutable).
    Complex {
        real: f64,
        imag: f64,
    },
    Str(PyStr),
    Bytes(Box<[u8]>),
    ByteArray(bytearray::ByteArrayCell),
    Tuple(Box<[Value]>),
    List(PyCell<ListItems>),
    Dict(PyCell<DictTable>),
    /// `set` and `frozenset` (the class in the header tells which); the
    /// table's values are unused.
    Set(PyCell<DictTable>),
    Function(Box<Function>),
    NativeFunction(NativeFunction),
    BoundMethod {
        function: Value,
        receiver: Value,
    },
    Type(Box<TypeObj>),
    Module {
        name: Value,
        /// The thread running the module's body while it does (its first
        /// import), else `NO_INITIALIZER`: another thread importing it
        /// meanwhile waits for that (`builtins/import.rs`).
        initializer: std::sync::atomic::AtomicU64,
    },
    Cell(crate::value::AtomicValue),
    Code(Box<CodeObject>),
    Range {
        start: i64,
        stop: i64,
        step: i64,
    },
    /// A range whose bounds do not all fit in `i64` (class `range` too).
    BigRange(Box<BigRange>),
    /// A `memoryview` of a bytes or bytearray.
    MemoryView(Box<MemoryView>),
    Slice {
        start: Value,
        stop: Value,
        step: Value,
    },
    Iter(PyCell<IterState>),
    /// A live view of a dict (`dict.keys()`, `.values()`, `.items()`).
    DictView {
        dict: Value,
        what: iter::DictIterKind,
    },
    Generator(PyCell<Generator>),
    Exception(Box<ExcData>),
    Property {
        getter: Value,
        setter: Value,
        deleter: Value,
        doc: Value,
    },
    StaticMethod(Value),
    ClassMethod(Value),
    Super {
        this_class: Value,
        instance: Value,
    },
    /// A `__slots__` member (class `member_descriptor`) or the `__dict__`
    /// and `__weakref__` accessors of user classes (`getset_descriptor`):
    /// the attribute `name` of instances of `owner`.
    MemberDescriptor {
        name: Value,
        owner: Value,
    },
    /// `_thread.lock` (see `lock.rs`).
    Lock(Box<lock::LockState>),
    /// `_thread.RLock` (see `lock.rs`).
    RLock(Box<lock::RLockState>),
    /// `_thread._Semaphore` (see `lock.rs`).
    Semaphore(Box<lock::SemaphoreState>),
    /// The storage of a `collections.deque` (`builtins/deque_ring.rs`).
    Ring(Box<ring::RingItems>),
    /// The generator of a `random.Random` (`builtins/twister_module.rs`).
    Twister(Box<twister::Twister>),
}

/// The bounds of a range beyond `i64` (see `builtins/ranges.rs`).
pub struct BigRange {
    pub start: BigInt,
    pub stop: BigInt,
    pub step: BigInt,
}

/// A memoryview's source object and the elements it selects (see
/// `builtins/memoryview.rs`).
pub struct MemoryView {
    pub source: Value,
    pub start: usize,
    pub length: usize,
    pub step: isize,
    pub released: crate::value::AtomicFlag,
}

impl ObjKind {
    /// Called by the sharing walk when this object becomes shared: the
    /// payloads with a write barrier start applying it.
    pub fn note_shared(&self) {
        match self {
            ObjKind::List(items) => {
                // Before the cell stops counting borrows: the items move
                // when no borrow is alive.
                items.become_shared();
                items.note_shared();
            }
            ObjKind::Dict(table) | ObjKind::Set(table) => {
                table.borrow().note_shared();
                table.note_shared();
            }
            ObjKind::ByteArray(bytes) => bytes.note_shared(),
            ObjKind::Iter(state) => state.note_shared(),
            ObjKind::Generator(generator) => generator.note_shared(),
            ObjKind::Type(class) => {
                class.qualname.note_shared();
                class.bases.note_shared();
                class.mro.note_shared();
            }
            ObjKind::Exception(data) => data.local_traceback.note_shared(),
            ObjKind::Ring(ring) => ring.become_shared(),
            _ => {}
        }
    }

    /// The variant's name (diagnostics).
    pub fn kind_name(&self) -> &'static str {
        match self {
            ObjKind::Object => "object",
            ObjKind::Int(_) => "int",
            ObjKind::Float(_) => "float",
            ObjKind::Complex { .. } => "complex",
            ObjKind::Str(_) => "str",
            ObjKind::Bytes(_) => "bytes",
            ObjKind::ByteArray(_) => "bytearray",
            ObjKind::Tuple(_) => "tuple",
            ObjKind::List(_) => "list",
            ObjKind::Dict(_) => "dict",
            ObjKind::Set(_) => "set",
            ObjKind::Function(_) => "function",
            ObjKind::NativeFunction(_) => "builtin function",
            ObjKind::BoundMethod { .. } => "bound method",
            ObjKind::Type(_) => "type",
            ObjKind::Module { .. } => "module",
            ObjKind::Cell(_) => "cell",
            ObjKind::Code(_) => "code",
            ObjKind::Range { .. } | ObjKind::BigRange(_) => "range",
            ObjKind::MemoryView(_) => "memoryview",
            ObjKind::Slice { .. } => "slice",
            ObjKind::Iter(_) => "iterator",
            ObjKind::DictView { .. } => "dict view",
            ObjKind::Generator(_) => "generator",
            ObjKind::Exception(_) => "exception",
            ObjKind::Property { .. } => "property",
            ObjKind::StaticMethod(_) => "staticmethod",
            ObjKind::ClassMethod(_) => "classmethod",
            ObjKind::Super { .. } => "super",
            ObjKind::MemberDescriptor { .. } => "member descriptor",
            ObjKind::Lock(_) => "lock",
            ObjKind::RLock(_) => "RLock",
            ObjKind::Semaphore(_) => "semaphore",
            ObjKind::Ring(_) => "deque ring",
            ObjKind::Twister(_) => "twister",
        }
    }

    /// Bytes owned outside the `Obj` itself, counted once at allocation
    /// (only immutable payloads are counted, so the figure is the same
    /// when the object is freed).
    pub fn extra_bytes(&self) -> usize {
        match self {
            ObjKind::Str(s) => s.as_str().len(),
            ObjKind::Bytes(b) => b.len(),
            ObjKind::Tuple(items) => items.len() * 8,
            ObjKind::Int(n) => (n.bits() / 8) as usize,
            _ => 0,
        }
    }

    /// Bytes a live container keeps outside the `Obj` (list items, dict
    /// tables), which each collection traces: the collector's schedule
    /// counts them (`heap/gc.rs`). Called at a safepoint.
    pub fn storage_bytes(&self) -> usize {
        match self {
            ObjKind::List(items) => items.read(|items| items.len()) * 8,
            ObjKind::Dict(table) | ObjKind::Set(table) => {
                table.read(|table| table.entry_slots()) * 24
            }
            _ => 0,
        }
    }

    /// Marks every `Value` this payload refers to.
    pub fn trace(&self, marker: &mut Marker) {
        match self {
            ObjKind::Object
            | ObjKind::Int(_)
            | ObjKind::Float(_)
            | ObjKind::Complex { .. }
            | ObjKind::Str(_)
            | ObjKind::Bytes(_)
            | ObjKind::Code(_)
            | ObjKind::Range { .. }
            | ObjKind::BigRange(_)
            | ObjKind::Module { .. }
            | ObjKind::Lock(_)
            | ObjKind::RLock(_)
            | ObjKind::Semaphore(_)
            | ObjKind::NativeFunction(_) => {}
            ObjKind::Tuple(items) => marker.mark_all(items),
            ObjKind::List(items) => {
                let items = items.borrow();
                if marker.is_collecting() {
                    // SAFETY: a collection runs with every worker stopped
                    // at a safepoint or in a safe region, where none holds
                    // a view of a list (views never live across a call
                    // that can run Python code or park).
                    unsafe { items.reclaim_retired() };
                }
                items.view().for_each_slice(|items| marker.mark_all(items));
            }
            ObjKind::ByteArray(bytes) => {
                if marker.is_collecting() {
                    // SAFETY: as for a list: every worker is stopped at a
                    // safepoint or in a safe region, where none holds a
                    // view of a bytearray.
                    unsafe { bytes.reclaim_retired() };
                }
            }
            ObjKind::Ring(ring) => ring.trace(marker),
            ObjKind::Twister(twister) => {
                if marker.is_collecting() {
                    // SAFETY: as for a list: every worker is stopped at a
                    // safepoint or in a safe region, where none is inside
                    // a draw.
                    unsafe { twister.reclaim_retired() };
                }
            }
            ObjKind::Dict(table) | ObjKind::Set(table) => table.borrow().trace(marker),
            ObjKind::Function(function) => function.trace(marker),
            ObjKind::BoundMethod { function, receiver } => {
                marker.mark(*function);
                marker.mark(*receiver);
            }
            ObjKind::Type(class) => class.trace(marker),
            ObjKind::Cell(cell) => marker.mark(cell.get()),
            ObjKind::Slice { start, stop, step } => marker.mark_all(&[*start, *stop, *step]),
            ObjKind::Iter(state) => state.borrow().trace(marker),
            ObjKind::DictView { dict, .. } => marker.mark(*dict),
            ObjKind::MemoryView(view) => marker.mark(view.source),
            ObjKind::Generator(generator) => generator.read(|generator| generator.trace(marker)),
            ObjKind::Exception(data) => data.trace(marker),
            ObjKind::Property {
                getter,
                setter,
                deleter,
                doc,
            } => marker.mark_all(&[*getter, *setter, *deleter, *doc]),
            ObjKind::StaticMethod(inner) | ObjKind::ClassMethod(inner) => marker.mark(*inner),
            ObjKind::Super {
                this_class,
                instance,
            } => {
                marker.mark(*this_class);
                marker.mark(*instance);
            }
            ObjKind::MemberDescriptor { name, owner } => {
                marker.mark(*name);
                marker.mark(*owner);
            }
        }
    }
}
