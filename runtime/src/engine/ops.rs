//! The object protocol: attribute access, calls, truth, hashing,
//! comparison, arithmetic dispatch, items, iteration, repr/str/format.
//!
//! Every function takes the exact built-in types on a fast path and falls
//! back to looking the special method up on the class (its MRO), so a user
//! class that defines `__eq__`, `__getitem__` or `__add__` is honoured and a
//! built-in one behaves as its registered native method says. A fast path
//! never changes behaviour: it only applies when the classes involved are
//! the exact built-in ones.

use crate::objects::PyCell;

use crate::builtins::{containers, numbers, str_methods};
use crate::bytecode::opcodes::{BinaryOp, CompareOp};
use crate::engine::{class_name, exc_data, pystr_of, str_of, tuple_items, type_obj, Vm};
use crate::objects::dict::{Presence, Probe, SharedInsert, SharedRemove};
use crate::objects::iter::DictIterKind;
use crate::objects::{DictTable, IterState, ListItems, ObjKind, TypeObj};
use crate::text::strops;
use crate::value::Value;
use crate::PyResult;

// ---- payload accessors ------------------------------------------------------------

#[inline]
pub fn kind_of(value: Value) -> Option<&'static ObjKind> {
    value.as_obj().map(|obj| &obj.kind)
}

#[inline]
pub fn list_of(value: Value) -> Option<&'static PyCell<ListItems>> {
    match kind_of(value)? {
        ObjKind::List(items) => Some(items),
        _ => None,
    }
}

#[inline]
pub fn dict_of(value: Value) -> Option<&'static PyCell<DictTable>> {
    match kind_of(value)? {
        ObjKind::Dict(table) => Some(table),
        _ => None,
    }
}

#[inline]
pub fn set_of(value: Value) -> Option<&'static PyCell<DictTable>> {
    match kind_of(value)? {
        ObjKind::Set(table) => Some(table),
        _ => None,
    }
}

pub fn bytes_of(value: Value) -> Option<&'static [u8]> {
    match kind_of(value)? {
        ObjKind::Bytes(bytes) => Some(bytes),
        _ => None,
    }
}

// ---- dict primitives ------------------------------------------------------------------

/// Equality decidable without running Python code, if any.
pub fn fast_eq(vm: &Vm, a: Value, b: Value) -> Option<bool> {
    fast_eq_nested(vm, a, b, 0)
}

/// Tuples nested deeper than this compare through Python (`__eq__`).
const FAST_EQ_TUPLE_DEPTH: u32 = 8;

fn fast_eq_nested(vm: &Vm, a: Value, b: Value, depth: u32) -> Option<bool> {
    if a == b {
        // Identity implies equality, except for NaN which is not in the
        // canonical-float fast path of dict keys anyway (CPython checks
        // identity first too).
        return Some(true);
    }
    if a.is_small_int() && b.is_small_int() {
        return Some(false);
    }
    if let (Some(x), Some(y)) = (a.as_float(), b.as_float()) {
        return Some(x == y);
    }
    let class_a = vm.type_of(a);
    let class_b = vm.type_of(b);
    let types = &vm.types;
    if class_a == types.str && class_b == types.str {
        return Some(str_of(a) == str_of(b));
    }
    let numeric = |class: Value| class == types.int || class == types.float || class == types.bool;
    if numeric(class_a) && numeric(class_b) {
        return None.or_else(|| numbers_equal(a, b));
    }
    let simple = |class: Value| {
        class == types.str || numeric(class) || class == types.none_type || class == types.bytes
    };
    if simple(class_a) && simple(class_b) {
        if class_a == types.bytes && class_b == types.bytes {
            return Some(bytes_of(a) == bytes_of(b));
        }
        return Some(false);
    }
    // Exact tuples (dict keys such as `(x, y)`): item by item, each item
    // by identity first, as tuple `==` does.
    if class_a == types.tuple && class_b == types.tuple && depth < FAST_EQ_TUPLE_DEPTH {
        let (left, right) = (tuple_items(a)?, tuple_items(b)?);
        if left.len() != right.len() {
            return Some(false);
        }
        for (&x, &y) in left.iter().zip(right) {
            if !fast_eq_nested(vm, x, y, depth + 1)? {
                return Some(false);
            }
        }
        return Some(true);
    }
    None
}

fn numbers_equal(a: Value, b: Value) -> Option<bool> {
    let big = |value: Value| crate::builtins::args::int_value(value);
    match (a.as_float(), b.as_float()) {
        (Some(x), Some(y)) => Some(x == y),
        (None, None) => Some(big(a)? == big(b)?),
        _ => None,
    }
}

/// The entry index of `key` and the key stored there (or `None`), and the
/// table's version it holds for: an index is only good while the version
/// is unchanged. The version is read before the probe, so that a shared
/// table's clear with no write section (which changes it first, and again
/// once its new arrays are current) cannot pair an index of the old
/// arrays with the new version.
fn dict_probe(
    vm: &mut Vm,
    table: &PyCell<DictTable>,
    key: Value,
    hash: i64,
) -> PyResult<(Option<(usize, Value)>, u64)> {
    loop {
        let (probe, version) = {
            let borrowed = table.borrow();
            let version = borrowed.version();
            (
                borrowed.probe(hash, |candidate| fast_eq(vm, candidate, key)),
                version,
            )
        };
        match probe {
            Probe::Found(index, stored) => return Ok((Some((index, stored)), version)),
            Probe::Absent => return Ok((None, version)),
            Probe::NeedsEq(candidates) => {
                let mut changed = false;
                for (index, candidate) in candidates {
                    if eq(vm, candidate, key)? {
                        if table.borrow().version() == version {
                            return Ok((Some((index, candidate)), version));
                        }
                        changed = true;
                        break;
                    }
                    if table.borrow().version() != version {
                        changed = true;
                        break;
                    }
                }
                if !changed {
                    return Ok((None, version));
                }
            }
        }
    }
}

/// Runs `change` on the table, exclusively borrowed, with the entry index of
/// `key` (or `None`). The index is found under that same borrow whenever no
/// Python `__eq__` is needed: a shared table's borrow waits for other
/// workers' stores, so an index found before it could be stale (another
/// worker inserted, removed or grew the table meanwhile). Keys that need
/// Python are probed outside any borrow and the change goes ahead only if
/// the table's version is still the probe's; otherwise the probe repeats.
fn dict_update<R>(
    vm: &mut Vm,
    table: &PyCell<DictTable>,
    key: Value,
    hash: i64,
    change: impl FnOnce(&mut DictTable, Option<usize>) -> R,
) -> PyResult<R> {
    {
        let mut borrowed = table.borrow_mut();
        match borrowed.probe(hash, |candidate| fast_eq(vm, candidate, key)) {
            Probe::Found(index, _) => return Ok(change(&mut borrowed, Some(index))),
            Probe::Absent => return Ok(change(&mut borrowed, None)),
            Probe::NeedsEq(_) => {}
        }
    }
    loop {
        let (found, version) = dict_probe(vm, table, key, hash)?;
        let mut borrowed = table.borrow_mut();
        if borrowed.version() == version {
            return Ok(change(&mut borrowed, found.map(|(index, _)| index)));
        }
    }
}

fn table_of(vm: &mut Vm, dict: Value) -> PyResult<&'static PyCell<DictTable>> {
    match kind_of(dict) {
        Some(ObjKind::Dict(table)) | Some(ObjKind::Set(table)) => Ok(table),
        _ => {
            let name = vm.type_name(dict);
            vm.err_type(format!("expected dict, got {name}"))
        }
    }
}

pub fn dict_get(vm: &mut Vm, dict: Value, key: Value) -> PyResult<Option<Value>> {
    let table = table_of(vm, dict)?;
    let hash = hash(vm, key)?;
    loop {
        let (found, _) = dict_probe(vm, table, key, hash)?;
        let Some((index, stored)) = found else {
            return Ok(None);
        };
        // A stale index (the table was cleared meanwhile): probe again.
        if let Ok(entry) = table.borrow().entry_of_key(index, stored) {
            return Ok(entry.map(|entry| entry.value()));
        }
    }
}

/// Python `==` results of one key against stored keys, by identity: what
/// the no-section paths of a shared table learned outside the table.
type DecidedEq = Vec<(Value, bool)>;

/// `key == candidate` when decidable without Python code or already
/// decided.
fn known_eq(vm: &mut Vm, decided: &DecidedEq, candidate: Value, key: Value) -> Option<bool> {
    fast_eq(vm, candidate, key).or_else(|| {
        decided
            .iter()
            .find(|(stored, _)| *stored == candidate)
            .map(|&(_, equal)| equal)
    })
}

/// Runs a stored key's Python `__eq__` against `key` (outside any borrow
/// of the table) and remembers the result.
fn decide_eq(vm: &mut Vm, decided: &mut DecidedEq, candidate: Value, key: Value) -> PyResult<()> {
    let equal = eq(vm, candidate, key)?;
    decided.push((candidate, equal));
    Ok(())
}

/// Inserts into a *shared* table with no write section
/// (`DictTable::insert_shared`; a crowded run: `tidy_crowded_run`): the value
/// the key has now. A stored key whose `==` runs Python is compared
/// outside the table and the insertion starts again knowing the answer; a
/// full table grows (`grow_shared`: begun or helped here; in a write
/// section where it declines) and the insertion starts again.
/// `None` for a local table: the caller's `dict_update` path.
fn insert_without_section(
    vm: &mut Vm,
    table: &PyCell<DictTable>,
    hash: i64,
    key: Value,
    value: Value,
    presence: Presence,
) -> PyResult<Option<Value>> {
    let Some(shared) = table.read_shared() else {
        return Ok(None);
    };
    let mut decided = DecidedEq::new();
    loop {
        let known = |candidate| known_eq(vm, &decided, candidate, key);
        match shared.insert_shared(hash, key, value, presence, known) {
            SharedInsert::Done => return Ok(Some(value)),
            SharedInsert::Present(present) => return Ok(Some(present)),
            SharedInsert::Crowded => {
                tidy_crowded_run(vm, table, shared, hash);
                return Ok(Some(value));
            }
            SharedInsert::Full => {
                if !shared.grow_shared(vm.retired_tables()) {
                    table.borrow_mut().make_room();
                }
            }
            SharedInsert::NeedsEq(candidate) => decide_eq(vm, &mut decided, candidate, key)?,
        }
    }
}

/// Tidies the crowded run of positions around `hash` in a shared table:
/// with no write section where the table can compact instead
/// (`DictTable::tidy_shared`), else in one.
fn tidy_crowded_run(vm: &Vm, table: &PyCell<DictTable>, shared: &DictTable, hash: i64) {
    if !shared.tidy_shared(vm.retired_tables()) {
        table.borrow_mut().tidy_run(hash);
    }
}

/// Removes from a *shared* table with no write section, as
/// `insert_without_section` inserts: `Some` with the removed entry's
/// value (or `None`, absent) when shared, `None` when the table is local.
fn remove_without_section(
    vm: &mut Vm,
    table: &PyCell<DictTable>,
    hash: i64,
    key: Value,
) -> PyResult<Option<Option<Value>>> {
    let Some(shared) = table.read_shared() else {
        return Ok(None);
    };
    let mut decided = DecidedEq::new();
    loop {
        let known = |candidate| known_eq(vm, &decided, candidate, key);
        match shared.remove_shared(hash, key, known) {
            SharedRemove::Removed { entry, crowded } => {
                if crowded {
                    tidy_crowded_run(vm, table, shared, hash);
                }
                return Ok(Some(Some(entry.value())));
            }
            SharedRemove::Absent => return Ok(Some(None)),
            SharedRemove::NeedsEq(candidate) => decide_eq(vm, &mut decided, candidate, key)?,
        }
    }
}

/// Empties a dict's or set's table: a shared one with no write section
/// unless another thread is replacing its arrays (`clear_shared`).
pub fn clear_table(vm: &mut Vm, table: &PyCell<DictTable>) {
    if let Some(shared) = table.read_shared() {
        if shared.clear_shared(vm.retired_tables()) {
            return;
        }
    }
    table.borrow_mut().clear();
}

pub fn dict_set(vm: &mut Vm, dict: Value, key: Value, value: Value) -> PyResult<()> {
    let table = table_of(vm, dict)?;
    let hash = hash(vm, key)?;
    if insert_without_section(vm, table, hash, key, value, Presence::Replace)?.is_some() {
        return Ok(());
    }
    dict_update(vm, table, key, hash, |table, index| match index {
        Some(index) => table.set_value(index, value),
        None => table.insert_new(hash, key, value),
    })
}

/// `dict.setdefault(key, default)`: the value of `key`, after inserting
/// `default` if it was absent — one step, so threads setting defaults for
/// one key of a shared dict all get the value that stays (`Presence::Keep`).
pub fn dict_set_default(vm: &mut Vm, dict: Value, key: Value, default: Value) -> PyResult<Value> {
    let table = table_of(vm, dict)?;
    let hash = hash(vm, key)?;
    if let Some(value) = insert_without_section(vm, table, hash, key, default, Presence::Keep)? {
        return Ok(value);
    }
    dict_update(vm, table, key, hash, |table, index| {
        match index.and_then(|index| table.entry(index)) {
            Some(entry) => entry.value(),
            None => {
                table.insert_new(hash, key, default);
                default
            }
        }
    })
}

pub fn dict_del(vm: &mut Vm, dict: Value, key: Value) -> PyResult<Option<Value>> {
    let table = table_of(vm, dict)?;
    let hash = hash(vm, key)?;
    if let Some(removed) = remove_without_section(vm, table, hash, key)? {
        return Ok(removed);
    }
    dict_update(vm, table, key, hash, |table, index| {
        index.map(|index| table.remove_at(index).value())
    })
}

/// Moves `key`'s entry to the end of `dict`'s order, or to the front
/// unless `last` (`OrderedDict.move_to_end`), in one step: under the
/// table's exclusive borrow, a write section while the dict is shared, so
/// that no thread sees the key missing or loses an insertion to the move.
/// False if the key is absent. A move to the front rebuilds the table
/// (entries keep their hashes: no Python code runs).
pub fn dict_move_to_end(vm: &mut Vm, dict: Value, key: Value, last: bool) -> PyResult<bool> {
    let table = table_of(vm, dict)?;
    let hash = hash(vm, key)?;
    dict_update(vm, table, key, hash, |table, index| {
        let Some(index) = index else {
            return false;
        };
        let moved = table.remove_at(index);
        if last {
            table.insert_new(moved.hash, moved.key, moved.value());
            return true;
        }
        let rest: Vec<_> = table.live_entries().collect();
        table.clear();
        for entry in std::iter::once(moved).chain(rest) {
            table.insert_new(entry.hash, entry.key, entry.value());
        }
        true
    })
}

/// Looks up a str key without running Python code (namespaces).
pub fn dict_get_str(dict: Value, name: &str) -> Option<Value> {
    dict_get_str_hashed(dict, name, crate::objects::str::hash_text(name))
}

/// `dict_get_str` with the name's hash already computed (`hash_text`).
#[inline]
fn dict_get_str_hashed(dict: Value, name: &str, key_hash: i64) -> Option<Value> {
    let table = match kind_of(dict)? {
        ObjKind::Dict(table) => table,
        _ => return None,
    };
    let borrowed = table.borrow();
    borrowed.find_value(key_hash, |candidate| str_of(candidate) == Some(name))
}

/// Looks up an interned-str key (cached hash) without running Python code.
#[inline]
pub fn dict_get_name(dict: Value, name: Value) -> Option<Value> {
    let table = match kind_of(dict)? {
        ObjKind::Dict(table) => table,
        _ => return None,
    };
    let text = pystr_of(name)?;
    let borrowed = table.borrow();
    borrowed.find_value(text.hash(), |candidate| {
        candidate == name || str_of(candidate) == Some(text.as_str())
    })
}

/// The entry slot of an interned-str key (for inline caches).
pub fn dict_slot_of_name(dict: Value, name: Value) -> Option<usize> {
    let table = match kind_of(dict)? {
        ObjKind::Dict(table) => table,
        _ => return None,
    };
    let text = pystr_of(name)?;
    let borrowed = table.borrow();
    match borrowed.probe(text.hash(), |candidate| {
        Some(candidate == name || str_of(candidate) == Some(text.as_str()))
    }) {
        Probe::Found(index, _) => Some(index),
        _ => None,
    }
}

/// Stores under a str key (namespaces); cannot fail.
pub fn dict_set_str(vm: &mut Vm, dict: Value, key: Value, value: Value) {
    let Some(ObjKind::Dict(table)) = kind_of(dict) else {
        return;
    };
    let Some(text) = pystr_of(key) else { return };
    let hash = text.hash();
    let same_name =
        |candidate: Value| Some(candidate == key || str_of(candidate) == Some(text.as_str()));
    if let Some(shared) = table.read_shared() {
        // A global or an attribute of a shared object: no write section
        // unless the table must grow and `grow_shared` declines.
        loop {
            match shared.insert_shared(hash, key, value, Presence::Replace, same_name) {
                SharedInsert::Done | SharedInsert::Present(_) => return,
                SharedInsert::Crowded => return tidy_crowded_run(vm, table, shared, hash),
                SharedInsert::Full if shared.grow_shared(vm.retired_tables()) => {}
                // Names compare without Python code: never `NeedsEq`.
                SharedInsert::Full | SharedInsert::NeedsEq(_) => break,
            }
        }
    }
    let mut borrowed = table.borrow_mut();
    match borrowed.probe(hash, same_name) {
        Probe::Found(index, _) => borrowed.set_value(index, value),
        _ => borrowed.insert_new(hash, key, value),
    }
}

/// Removes a str key (namespaces); whether it was there.
pub fn dict_del_str(vm: &Vm, dict: Value, key: Value) -> bool {
    let Some(ObjKind::Dict(table)) = kind_of(dict) else {
        return false;
    };
    let Some(text) = pystr_of(key) else {
        return false;
    };
    let same_name =
        |candidate: Value| Some(candidate == key || str_of(candidate) == Some(text.as_str()));
    if let Some(shared) = table.read_shared() {
        match shared.remove_shared(text.hash(), key, same_name) {
            SharedRemove::Removed { crowded, .. } => {
                if crowded {
                    tidy_crowded_run(vm, table, shared, text.hash());
                }
                return true;
            }
            SharedRemove::Absent => return false,
            SharedRemove::NeedsEq(_) => {}
        }
    }
    let mut borrowed = table.borrow_mut();
    match borrowed.probe(text.hash(), same_name) {
        Probe::Found(index, _) => {
            borrowed.remove_at(index);
            true
        }
        _ => false,
    }
}

pub fn set_add(vm: &mut Vm, set: Value, key: Value) -> PyResult<()> {
    let table = table_of(vm, set)?;
    let hash = hash(vm, key)?;
    // A key already there keeps its place; its value stays None.
    if insert_without_section(vm, table, hash, key, Value::NONE, Presence::Keep)?.is_some() {
        return Ok(());
    }
    dict_update(vm, table, key, hash, |table, index| {
        if index.is_none() {
            table.insert_new(hash, key, Value::NONE);
        }
    })
}

pub fn set_contains(vm: &mut Vm, set: Value, key: Value) -> PyResult<bool> {
    let table = table_of(vm, set)?;
    let hash = hash(vm, key)?;
    Ok(dict_probe(vm, table, key, hash)?.0.is_some())
}

pub fn set_discard(vm: &mut Vm, set: Value, key: Value) -> PyResult<bool> {
    let table = table_of(vm, set)?;
    let hash = hash(vm, key)?;
    if let Some(removed) = remove_without_section(vm, table, hash, key)? {
        return Ok(removed.is_some());
    }
    dict_update(vm, table, key, hash, |table, index| match index {
        Some(index) => {
            table.remove_at(index);
            true
        }
        None => false,
    })
}

// ---- attributes ----------------------------------------------------------------------------

/// Looks `name` up along the MRO of `class` (no binding).
pub fn lookup_class_attr(class: Value, name: &str) -> Option<Value> {
    let class_type = type_obj(class)?;
    let name_hash = crate::objects::str::hash_text(name);
    for base in class_type.mro.borrow().iter() {
        if let Some(dict) = base.as_obj().map(|obj| obj.dict()) {
            if let Some(value) = dict_get_str_hashed(dict, name, name_hash) {
                return Some(value);
            }
        }
    }
    None
}

/// Like `lookup_class_attr` with an interned name.
pub fn lookup_class_name(class: Value, name: Value) -> Option<Value> {
    let class_type = type_obj(class)?;
    let text = pystr_of(name)?;
    if name.as_obj().is_some_and(|obj| obj.is_immortal()) {
        return class_type.cached_lookup(name, text.hash(), || walk_mro(class_type, name));
    }
    walk_mro(class_type, name)
}

fn walk_mro(class_type: &TypeObj, name: Value) -> Option<Value> {
    for base in class_type.mro.borrow().iter() {
        if let Some(dict) = base.as_obj().map(|obj| obj.dict()) {
            if let Some(value) = dict_get_name(dict, name) {
                return Some(value);
            }
        }
    }
    None
}

/// Whether a class attribute found by lookup is user-defined Python code.
fn is_python_function(value: Value) -> bool {
    matches!(kind_of(value), Some(ObjKind::Function(_)))
}

fn is_data_descriptor(vm: &Vm, descriptor: Value) -> bool {
    match kind_of(descriptor) {
        Some(ObjKind::Property { .. } | ObjKind::MemberDescriptor { .. }) => true,
        Some(
            ObjKind::Function(_)
            | ObjKind::NativeFunction(_)
            | ObjKind::StaticMethod(_)
            | ObjKind::ClassMethod(_),
        ) => false,
        Some(_) => {
            let class = vm.type_of(descriptor);
            !vm.is_builtin_class(class)
                && (lookup_class_attr(class, "__set__").is_some()
                    || lookup_class_attr(class, "__delete__").is_some())
        }
        None => false,
    }
}

/// Binds a class attribute found for `instance` (NULL when accessed on
/// the class itself) of `owner`.
/// Bound built-in methods are `builtin_function_or_method`, like the
/// functions themselves; bound Python functions are `method`.
fn bound_method_class(vm: &Vm, function: Value) -> Value {
    if matches!(kind_of(function), Some(ObjKind::NativeFunction(_))) {
        vm.types.builtin_function
    } else {
        vm.types.method
    }
}

pub fn bind_descriptor(
    vm: &mut Vm,
    descriptor: Value,
    instance: Value,
    owner: Value,
) -> PyResult<Value> {
    match kind_of(descriptor) {
        Some(ObjKind::Function(_)) | Some(ObjKind::NativeFunction(_)) => {
            if instance.is_null() {
                Ok(descriptor)
            } else {
                let class = bound_method_class(vm, descriptor);
                Ok(vm.alloc(
                    class,
                    ObjKind::BoundMethod {
                        function: descriptor,
                        receiver: instance,
                    },
                ))
            }
        }
        Some(ObjKind::StaticMethod(inner)) => Ok(*inner),
        Some(ObjKind::ClassMethod(inner)) => {
            let class = bound_method_class(vm, *inner);
            Ok(vm.alloc(
                class,
                ObjKind::BoundMethod {
                    function: *inner,
                    receiver: owner,
                },
            ))
        }
        Some(ObjKind::Property { getter, .. }) => {
            if instance.is_null() {
                return Ok(descriptor);
            }
            if getter.is_null() || getter.is_none() {
                return Err(vm.attribute_error("unreadable attribute"));
            }
            call(vm, *getter, &[instance], &[])
        }
        Some(ObjKind::MemberDescriptor { .. }) => {
            if instance.is_null() {
                return Ok(descriptor);
            }
            crate::builtins::descriptors::get(vm, descriptor, instance)
        }
        Some(_) => {
            let class = vm.type_of(descriptor);
            if vm.is_builtin_class(class) {
                return Ok(descriptor);
            }
            match lookup_class_attr(class, "__get__") {
                Some(getter) => {
                    let instance_arg = if instance.is_null() {
                        Value::NONE
                    } else {
                        instance
                    };
                    call(vm, getter, &[descriptor, instance_arg, owner], &[])
                }
                None => Ok(descriptor),
            }
        }
        None => Ok(descriptor),
    }
}

pub fn getattr_str(vm: &mut Vm, obj: Value, name: &str) -> PyResult<Value> {
    let name = vm.intern(name);
    getattr(vm, obj, name)
}

/// `getattr(obj, name)`.
/// Which attribute hooks (`typeobj::HOOK_*`) a user class has, cached per
/// class until any class changes.
pub fn attribute_hooks(class: Value) -> u8 {
    use crate::objects::typeobj::{HOOK_GETATTR, HOOK_GETATTRIBUTE, HOOK_SETATTR};
    let Some(payload) = type_obj(class) else {
        return 0;
    };
    payload.hooks(|| {
        let mut bits = 0;
        if lookup_class_attr(class, "__getattribute__").is_some_and(is_python_function) {
            bits |= HOOK_GETATTRIBUTE;
        }
        if lookup_class_attr(class, "__getattr__").is_some() {
            bits |= HOOK_GETATTR;
        }
        if lookup_class_attr(class, "__setattr__").is_some_and(is_python_function) {
            bits |= HOOK_SETATTR;
        }
        bits
    })
}

pub fn getattr(vm: &mut Vm, obj: Value, name: Value) -> PyResult<Value> {
    use crate::objects::typeobj::{HOOK_GETATTR, HOOK_GETATTRIBUTE};
    let class = vm.type_of(obj);
    let hooks = if vm.is_builtin_class(class) {
        0
    } else {
        attribute_hooks(class)
    };
    let has_getattr_hook = hooks & HOOK_GETATTR != 0;
    let hook = if hooks & HOOK_GETATTRIBUTE != 0 {
        lookup_class_attr(class, "__getattribute__").filter(|hook| is_python_function(*hook))
    } else {
        None
    };
    let result = match hook {
        Some(hook) => call(vm, hook, &[obj, name], &[]),
        _ => match generic_getattr(vm, obj, name) {
            Ok(Some(value)) => return Ok(value),
            Ok(None) => {
                if has_getattr_hook {
                    if let Some(hook) = lookup_class_attr(class, "__getattr__") {
                        return call(vm, hook, &[obj, name], &[]);
                    }
                }
                return Err(no_attribute(vm, obj, name));
            }
            Err(error) => Err(error),
        },
    };
    // `__getattr__` also runs when the lookup raised AttributeError (a
    // property getter, or `__getattribute__` itself).
    match result {
        Err(error) if has_getattr_hook && vm.is_instance(error, vm.types.exc.attribute_error) => {
            match lookup_class_attr(class, "__getattr__") {
                Some(hook) => call(vm, hook, &[obj, name], &[]),
                None => Err(error),
            }
        }
        other => other,
    }
}

/// The AttributeError for a missing attribute, worded like CPython.
pub fn no_attribute(vm: &mut Vm, obj: Value, name: Value) -> Value {
    let name_text = vm.str_text(name);
    let message = if let Some(class) = type_obj(obj) {
        format!(
            "type object '{}' has no attribute '{}'",
            class.name, name_text
        )
    } else if let Some(ObjKind::Module {
        name: module_name, ..
    }) = kind_of(obj)
    {
        format!(
            "module '{}' has no attribute '{}'",
            vm.str_text(*module_name),
            name_text
        )
    } else {
        format!(
            "'{}' object has no attribute '{}'",
            vm.type_name(obj),
            name_text
        )
    };
    let error = vm.attribute_error(message);
    crate::builtins::exceptions::set_member(vm, error, "name", name);
    crate::builtins::exceptions::set_member(vm, error, "obj", obj);
    error
}

/// Attribute lookup without `__getattr__`: `None` when absent.
pub fn generic_getattr(vm: &mut Vm, obj: Value, name: Value) -> PyResult<Option<Value>> {
    if let Some(ObjKind::Super { .. }) = kind_of(obj) {
        return crate::builtins::functions::super_lookup(vm, obj, name);
    }
    if type_obj(obj).is_some() {
        return type_getattr(vm, obj, name);
    }
    let class = vm.type_of(obj);
    let descriptor = lookup_class_name(class, name);
    if let Some(descriptor) = descriptor {
        if is_data_descriptor(vm, descriptor) {
            return bind_descriptor(vm, descriptor, obj, class).map(Some);
        }
    }
    if obj.as_obj().is_some() {
        let dict = crate::builtins::descriptors::instance_dict(vm, obj, false);
        if !dict.is_null() {
            if let Some(value) = dict_get_name(dict, name) {
                return Ok(Some(value));
            }
        }
    }
    if let Some(descriptor) = descriptor {
        return bind_descriptor(vm, descriptor, obj, class).map(Some);
    }
    crate::builtins::attributes::special_attribute(vm, obj, name)
}

fn type_getattr(vm: &mut Vm, class: Value, name: Value) -> PyResult<Option<Value>> {
    let metaclass = vm.type_of(class);
    let meta_attribute = lookup_class_name(metaclass, name);
    if let Some(descriptor) = meta_attribute {
        if is_data_descriptor(vm, descriptor) {
            return bind_descriptor(vm, descriptor, class, metaclass).map(Some);
        }
    }
    // `type`'s own data descriptors win over the class namespace.
    if matches!(
        str_of(name),
        Some("__dict__" | "__name__" | "__qualname__" | "__mro__" | "__bases__" | "__base__")
    ) {
        if let Some(special) = crate::builtins::attributes::special_attribute(vm, class, name)? {
            return Ok(Some(special));
        }
    }
    if let Some(attribute) = lookup_class_name(class, name) {
        return bind_descriptor(vm, attribute, Value::NULL, class).map(Some);
    }
    if let Some(special) = crate::builtins::attributes::special_attribute(vm, class, name)? {
        return Ok(Some(special));
    }
    if let Some(descriptor) = meta_attribute {
        return bind_descriptor(vm, descriptor, class, metaclass).map(Some);
    }
    Ok(None)
}

/// `setattr(obj, name, value)`.
pub fn setattr(vm: &mut Vm, obj: Value, name: Value, value: Value) -> PyResult<()> {
    let class = vm.type_of(obj);
    if !vm.is_builtin_class(class)
        && attribute_hooks(class) & crate::objects::typeobj::HOOK_SETATTR != 0
    {
        if let Some(hook) = lookup_class_attr(class, "__setattr__") {
            if is_python_function(hook) {
                call(vm, hook, &[obj, name, value], &[])?;
                return Ok(());
            }
        }
    }
    generic_setattr(vm, obj, name, value)
}

/// `object.__setattr__`: descriptors, then the instance dict.
pub fn generic_setattr(vm: &mut Vm, obj: Value, name: Value, value: Value) -> PyResult<()> {
    if let Some(class_payload) = type_obj(obj) {
        if class_payload.builtin {
            let text = vm.str_text(name);
            return vm.err_type(format!(
                "cannot set '{}' attribute of immutable type '{}'",
                text, class_payload.name
            ));
        }
        let dict = obj.as_obj().map(|o| o.dict()).unwrap_or(Value::NULL);
        dict_set_str(vm, dict, name, value);
        crate::objects::typeobj::type_attributes_changed();
        return Ok(());
    }
    let class = vm.type_of(obj);
    if let Some(descriptor) = lookup_class_name(class, name) {
        match kind_of(descriptor) {
            Some(ObjKind::Property { setter, .. }) => {
                if setter.is_null() || setter.is_none() {
                    let text = vm.str_text(name);
                    let class_text = class_name(class);
                    return Err(vm.attribute_error(format!(
                        "property '{text}' of '{class_text}' object has no setter"
                    )));
                }
                call(vm, *setter, &[obj, value], &[])?;
                return Ok(());
            }
            Some(ObjKind::MemberDescriptor { .. }) => {
                return crate::builtins::descriptors::set(vm, descriptor, obj, value);
            }
            Some(
                ObjKind::Function(_)
                | ObjKind::NativeFunction(_)
                | ObjKind::StaticMethod(_)
                | ObjKind::ClassMethod(_),
            )
            | None => {}
            Some(_) => {
                let descriptor_class = vm.type_of(descriptor);
                if !vm.is_builtin_class(descriptor_class) {
                    if let Some(set_hook) = lookup_class_attr(descriptor_class, "__set__") {
                        call(vm, set_hook, &[descriptor, obj, value], &[])?;
                        return Ok(());
                    }
                }
            }
        }
    }
    if crate::builtins::descriptors::is_dictless(class) {
        return Err(no_attribute(vm, obj, name));
    }
    if let Some(instance) = obj.as_obj() {
        if let ObjKind::Function(function) = &instance.kind {
            // Identity attributes live in the function object itself.
            let slot = match str_of(name) {
                Some("__name__") => Some(&function.name),
                Some("__qualname__") => Some(&function.qualname),
                Some("__doc__") => Some(&function.doc),
                Some("__module__") => Some(&function.module),
                Some("__annotations__") => Some(&function.annotations),
                _ => None,
            };
            if let Some(slot) = slot {
                slot.set(value);
                crate::heap::share::reshare(obj);
                return Ok(());
            }
            match str_of(name) {
                // One atomic store each: no write section even while
                // other threads call the function (shared first).
                Some("__defaults__") => {
                    let defaults = match tuple_items(value) {
                        Some(_) => value,
                        None if value.is_none() => Value::NULL,
                        None => return vm.err_type("__defaults__ must be set to a tuple object"),
                    };
                    if instance.is_shared() {
                        crate::heap::share::share(defaults);
                    }
                    function.defaults.publish(defaults);
                    return Ok(());
                }
                Some("__kwdefaults__") => {
                    if dict_of(value).is_none() && !value.is_none() {
                        return vm.err_type("__kwdefaults__ must be set to a dict object");
                    }
                    let defaults = crate::engine::execute::kw_defaults_tuple(vm, value);
                    if instance.is_shared() {
                        crate::heap::share::share(defaults);
                    }
                    function.kw_defaults.publish(defaults);
                    return Ok(());
                }
                _ => {}
            }
        }
        let mut dict = crate::builtins::descriptors::instance_dict(vm, obj, true);
        if dict.is_null() && matches!(instance.kind, ObjKind::Function(_)) {
            dict = vm.new_dict();
            instance.set_dict(dict);
        }
        if !dict.is_null() {
            dict_set_str(vm, dict, name, value);
            return Ok(());
        }
        if let Some(data) = exc_data(obj) {
            let text = vm.str_text(name);
            match text.as_str() {
                "__cause__" => {
                    data.cause
                        .set(if value.is_none() { Value::NULL } else { value });
                    data.suppress_context.set(true);
                    crate::heap::share::reshare(obj);
                    return Ok(());
                }
                "__context__" => {
                    data.context
                        .set(if value.is_none() { Value::NULL } else { value });
                    crate::heap::share::reshare(obj);
                    return Ok(());
                }
                "__suppress_context__" => {
                    data.suppress_context.set(value == Value::TRUE);
                    return Ok(());
                }
                "args" => {
                    let items = collect(vm, value)?;
                    let tuple = vm.new_tuple(items);
                    data.args.set(tuple);
                    crate::heap::share::reshare(obj);
                    return Ok(());
                }
                _ => {}
            }
        }
    }
    let text = vm.str_text(name);
    let type_name = vm.type_name(obj);
    Err(vm.attribute_error(format!("'{type_name}' object has no attribute '{text}'")))
}

/// `delattr(obj, name)`.
pub fn delattr(vm: &mut Vm, obj: Value, name: Value) -> PyResult<()> {
    let class = vm.type_of(obj);
    if !vm.is_builtin_class(class) {
        if let Some(hook) = lookup_class_attr(class, "__delattr__") {
            if is_python_function(hook) {
                call(vm, hook, &[obj, name], &[])?;
                return Ok(());
            }
        }
        if let Some(descriptor) = lookup_class_name(class, name) {
            if let Some(ObjKind::Property { deleter, .. }) = kind_of(descriptor) {
                if deleter.is_null() || deleter.is_none() {
                    let text = vm.str_text(name);
                    let class_text = class_name(class);
                    return Err(vm.attribute_error(format!(
                        "property '{text}' of '{class_text}' object has no deleter"
                    )));
                }
                call(vm, *deleter, &[obj], &[])?;
                return Ok(());
            }
        }
    }
    generic_delattr(vm, obj, name)
}

pub fn generic_delattr(vm: &mut Vm, obj: Value, name: Value) -> PyResult<()> {
    if let Some(class_payload) = type_obj(obj) {
        crate::objects::typeobj::type_attributes_changed();
        if class_payload.builtin {
            let text = vm.str_text(name);
            return vm.err_type(format!(
                "cannot delete '{}' attribute of immutable type '{}'",
                text, class_payload.name
            ));
        }
    } else {
        let class = vm.type_of(obj);
        if let Some(descriptor) = lookup_class_name(class, name) {
            match kind_of(descriptor) {
                Some(ObjKind::MemberDescriptor { .. }) => {
                    return crate::builtins::descriptors::delete(vm, descriptor, obj);
                }
                Some(ObjKind::Property { deleter, .. }) => {
                    if deleter.is_null() || deleter.is_none() {
                        let text = vm.str_text(name);
                        let class_text = class_name(class);
                        return Err(vm.attribute_error(format!(
                            "property '{text}' of '{class_text}' object has no deleter"
                        )));
                    }
                    call(vm, *deleter, &[obj], &[])?;
                    return Ok(());
                }
                Some(_) if !is_python_function(descriptor) => {
                    let descriptor_class = vm.type_of(descriptor);
                    if !vm.is_builtin_class(descriptor_class) {
                        if let Some(delete_hook) = lookup_class_attr(descriptor_class, "__delete__")
                        {
                            call(vm, delete_hook, &[descriptor, obj], &[])?;
                            return Ok(());
                        }
                    }
                }
                _ => {}
            }
        }
        if crate::builtins::descriptors::is_dictless(class) {
            return Err(no_attribute(vm, obj, name));
        }
    }
    if obj.as_obj().is_some() {
        let dict = crate::builtins::descriptors::instance_dict(vm, obj, false);
        if !dict.is_null() && dict_del_str(vm, dict, name) {
            return Ok(());
        }
    }
    Err(no_attribute(vm, obj, name))
}

// ---- calls ---------------------------------------------------------------------------

/// Calls any callable from native code (runs Python code in a nested
/// step loop).
pub fn call(
    vm: &mut Vm,
    callable: Value,
    args: &[Value],
    kwargs: &[(Value, Value)],
) -> PyResult<Value> {
    crate::engine::call::call_value(vm, callable, args, kwargs)
}

/// `obj.name(*args)`.
pub fn call_method(vm: &mut Vm, obj: Value, name: &str, args: &[Value]) -> PyResult<Value> {
    let method = getattr_str(vm, obj, name)?;
    call(vm, method, args, &[])
}

/// Calls special method `name` looked up on the class (not the
/// instance), as the language does for operators. `None` when the class
/// does not define it.
pub fn call_special(
    vm: &mut Vm,
    obj: Value,
    name: &str,
    args: &[Value],
) -> PyResult<Option<Value>> {
    let class = vm.type_of(obj);
    let Some(method) = lookup_class_attr(class, name) else {
        return Ok(None);
    };
    if method.is_none() {
        return Ok(None);
    }
    match kind_of(method) {
        Some(ObjKind::Function(_)) | Some(ObjKind::NativeFunction(_)) => {
            let mut full = Vec::with_capacity(args.len() + 1);
            full.push(obj);
            full.extend_from_slice(args);
            call(vm, method, &full, &[]).map(Some)
        }
        _ => {
            let bound = bind_descriptor(vm, method, obj, class)?;
            call(vm, bound, args, &[]).map(Some)
        }
    }
}

// ---- truth, length, hashing ---------------------------------------------------------------

/// Whether a `_deque.ring` holds items (out of line: `truthy` is inlined
/// into the step loop).
#[inline(never)]
fn ring_is_filled(ring: &crate::objects::ring::RingItems) -> bool {
    !ring.is_empty()
}

pub fn truthy(vm: &mut Vm, value: Value) -> PyResult<bool> {
    if value == Value::TRUE {
        return Ok(true);
    }
    if value == Value::FALSE || value.is_none() {
        return Ok(false);
    }
    if let Some(n) = value.as_small_int() {
        return Ok(n != 0);
    }
    if let Some(x) = value.as_float() {
        return Ok(x != 0.0);
    }
    let class = vm.type_of(value);
    if vm.is_builtin_class(class) {
        if let Some(kind) = kind_of(value) {
            match kind {
                ObjKind::Str(s) => return Ok(s.char_count() > 0),
                ObjKind::List(items) => return Ok(!items.borrow().is_empty()),
                ObjKind::Tuple(items) => return Ok(!items.is_empty()),
                ObjKind::Dict(table) | ObjKind::Set(table) => {
                    return Ok(!table.borrow().is_empty())
                }
                ObjKind::Int(n) => return Ok(n.sign() != num_bigint::Sign::NoSign),
                ObjKind::Bytes(bytes) => return Ok(!bytes.is_empty()),
                ObjKind::ByteArray(bytes) => return Ok(!bytes.is_empty()),
                ObjKind::Range { .. } => return Ok(len(vm, value)? > 0),
                ObjKind::BigRange(_) => return Ok(!crate::builtins::ranges::is_empty(value)),
                ObjKind::Complex { real, imag } => return Ok(*real != 0.0 || *imag != 0.0),
                ObjKind::DictView { .. } => return Ok(len(vm, value)? > 0),
                ObjKind::Ring(ring) => return Ok(ring_is_filled(ring)),
                _ => return Ok(true),
            }
        }
        return Ok(true);
    }
    if let Some(result) = call_special(vm, value, "__bool__", &[])? {
        if !result.is_bool() {
            let type_name = vm.type_name(result);
            return vm.err_type(format!("__bool__ should return bool, returned {type_name}"));
        }
        return Ok(result == Value::TRUE);
    }
    if lookup_class_attr(class, "__len__").is_some() {
        return Ok(len(vm, value)? > 0);
    }
    match kind_of(value) {
        Some(ObjKind::Str(s)) => Ok(s.char_count() > 0),
        Some(ObjKind::List(items)) => Ok(!items.borrow().is_empty()),
        Some(ObjKind::Tuple(items)) => Ok(!items.is_empty()),
        Some(ObjKind::Dict(table) | ObjKind::Set(table)) => Ok(!table.borrow().is_empty()),
        Some(ObjKind::Int(n)) => Ok(n.sign() != num_bigint::Sign::NoSign),
        Some(ObjKind::Float(x)) => Ok(*x != 0.0),
        _ => Ok(true),
    }
}

/// `len(value)`.
pub fn len(vm: &mut Vm, value: Value) -> PyResult<usize> {
    let class = vm.type_of(value);
    if vm.is_builtin_class(class) || lookup_class_attr(class, "__len__").is_none() {
        if let Some(kind) = kind_of(value) {
            match kind {
                ObjKind::Str(s) => return Ok(s.char_count()),
                ObjKind::List(items) => return Ok(items.borrow().len()),
                ObjKind::Tuple(items) => return Ok(items.len()),
                ObjKind::Dict(table) | ObjKind::Set(table) => return Ok(table.borrow().len()),
                ObjKind::Bytes(bytes) => return Ok(bytes.len()),
                ObjKind::ByteArray(bytes) => return Ok(bytes.len()),
                ObjKind::Range { .. } | ObjKind::BigRange(_) => {
                    return crate::builtins::ranges::range_length(vm, value)
                }
                ObjKind::DictView { dict, .. } => {
                    return Ok(dict_of(*dict).map_or(0, |table| table.borrow().len()))
                }
                _ => {}
            }
        }
    }
    if let Some(result) = call_special(vm, value, "__len__", &[])? {
        let n = match result.as_small_int() {
            Some(n) => n,
            None => {
                if !vm.is_instance(result, vm.types.int) {
                    let type_name = vm.type_name(result);
                    return vm.err_type(format!(
                        "'{type_name}' object cannot be interpreted as an integer"
                    ));
                }
                crate::builtins::args::to_i64(vm, result)?
            }
        };
        if n < 0 {
            return vm.err_value("__len__() should return >= 0");
        }
        return Ok(n as usize);
    }
    let type_name = vm.type_name(value);
    vm.err_type(format!("object of type '{type_name}' has no len()"))
}

/// Saturates at `usize::MAX` on a 32-bit host (`len()` reports the
/// overflow: `builtins::ranges::range_length`).
pub fn range_len(start: i64, stop: i64, step: i64) -> usize {
    let length = if step > 0 && start < stop {
        (stop as i128 - start as i128 - 1) / step as i128 + 1
    } else if step < 0 && start > stop {
        (start as i128 - stop as i128 - 1) / (-(step as i128)) + 1
    } else {
        0
    };
    usize::try_from(length).unwrap_or(usize::MAX)
}

/// `hash(value)`.
pub fn hash(vm: &mut Vm, value: Value) -> PyResult<i64> {
    if let Some(n) = value.as_small_int() {
        return Ok(crate::numeric::hash_i64(n));
    }
    if let Some(x) = value.as_float() {
        return Ok(numbers::float_hash(x));
    }
    if value.is_special() {
        return Ok(match value {
            Value::TRUE => 1,
            Value::FALSE => 0,
            _ => (value.bits() >> 4) as i64 & 0x0FFF_FFFF_FFFF,
        });
    }
    let class = vm.type_of(value);
    if vm.is_builtin_class(class) {
        match kind_of(value) {
            Some(ObjKind::Str(s)) => return Ok(s.hash()),
            Some(ObjKind::Int(_)) => return Ok(numbers::int_hash(value).unwrap_or(0)),
            Some(ObjKind::Tuple(items)) if class == vm.types.union_type => {
                return Ok(crate::builtins::union_type::union_hash(items));
            }
            Some(ObjKind::Tuple(items)) => {
                let mut hashes = Vec::with_capacity(items.len());
                enter_recursion(vm, "")?;
                let hashed = items.iter().try_for_each(|item| {
                    hashes.push(hash(vm, *item)?);
                    Ok(())
                });
                leave_recursion(vm);
                hashed?;
                return Ok(crate::numeric::hash_tuple(&hashes));
            }
            Some(ObjKind::Bytes(bytes)) => {
                let text: String = bytes.iter().map(|byte| *byte as char).collect();
                return Ok(crate::objects::PyStr::new(text).hash());
            }
            Some(ObjKind::Complex { real, imag }) => {
                let parts = crate::builtins::complex::Complex::new(*real, *imag);
                return Ok(crate::builtins::complex::complex_hash(parts));
            }
            Some(ObjKind::Range { .. } | ObjKind::BigRange(_)) => {
                return Ok(crate::builtins::ranges::range_hash(value));
            }
            Some(ObjKind::Set(_)) if class == vm.types.frozenset => {
                return Ok(containers::frozenset_hash(value));
            }
            Some(ObjKind::BoundMethod { function, receiver }) => {
                return Ok(identity_hash(*receiver) ^ hash(vm, *function)?);
            }
            _ => {}
        }
    }
    match lookup_class_attr(class, "__hash__") {
        Some(method) if method.is_none() => {
            let type_name = class_name(class);
            vm.err_type(format!("unhashable type: '{type_name}'"))
        }
        // A str, bytes or tuple subclass that keeps the inherited hash
        // hashes by value, like its base.
        Some(method)
            if matches!(kind_of(method), Some(ObjKind::NativeFunction(_)))
                && matches!(
                    kind_of(value),
                    Some(ObjKind::Str(_) | ObjKind::Tuple(_) | ObjKind::Bytes(_))
                ) =>
        {
            match kind_of(value) {
                Some(ObjKind::Str(text)) => Ok(text.hash()),
                Some(ObjKind::Bytes(bytes)) => {
                    let text: String = bytes.iter().map(|byte| *byte as char).collect();
                    Ok(crate::objects::PyStr::new(text).hash())
                }
                Some(ObjKind::Tuple(items)) => {
                    let mut hashes = Vec::with_capacity(items.len());
                    for item in items.iter() {
                        hashes.push(hash(vm, *item)?);
                    }
                    Ok(crate::numeric::hash_tuple(&hashes))
                }
                _ => Ok(identity_hash(value)),
            }
        }
        Some(method)
            if !matches!(kind_of(method), Some(ObjKind::NativeFunction(_)))
                || !vm.is_builtin_class(class) =>
        {
            let result = call_special(vm, value, "__hash__", &[])?.unwrap_or(Value::NONE);
            // A result that fits a machine word is the hash itself (-1
            // becomes -2); a bigger one is reduced like an int's hash.
            match crate::builtins::args::int_value(result) {
                Some(n) => Ok(match num_traits::ToPrimitive::to_i64(&n) {
                    Some(-1) => -2,
                    Some(word) => word,
                    None => crate::numeric::hash_int(&n),
                }),
                None => vm.err_type("__hash__ method should return an integer"),
            }
        }
        _ => Ok(identity_hash(value)),
    }
}

/// The default hash: derived from the object's address.
pub fn identity_hash(value: Value) -> i64 {
    ((value.bits() & 0xFFFF_FFFF_FFFF) >> 4) as i64
}

// ---- comparison -------------------------------------------------------------------------------

/// `a == b` as a bool.
pub fn eq(vm: &mut Vm, a: Value, b: Value) -> PyResult<bool> {
    if let Some(answer) = fast_eq(vm, a, b) {
        return Ok(answer);
    }
    compare_bool(vm, a, b, CompareOp::Eq)
}

pub fn compare_bool(vm: &mut Vm, a: Value, b: Value, op: CompareOp) -> PyResult<bool> {
    if let (Some(x), Some(y)) = (a.as_small_int(), b.as_small_int()) {
        return Ok(op.holds(x.cmp(&y)));
    }
    let result = compare(vm, a, b, op)?;
    if result.is_bool() {
        return Ok(result == Value::TRUE);
    }
    truthy(vm, result)
}

/// Rich comparison `a op b`.
pub fn compare(vm: &mut Vm, a: Value, b: Value, op: CompareOp) -> PyResult<Value> {
    if let (Some(x), Some(y)) = (a.as_small_int(), b.as_small_int()) {
        return Ok(Value::bool(op.holds(x.cmp(&y))));
    }
    if let (Some(x), Some(y)) = (a.as_float(), b.as_float()) {
        return Ok(Value::bool(float_compare(x, y, op)));
    }
    let class_a = vm.type_of(a);
    let class_b = vm.type_of(b);
    let types = &vm.types;
    let numeric = |class: Value| class == types.int || class == types.float || class == types.bool;
    if numeric(class_a) && numeric(class_b) {
        return Ok(Value::bool(match numbers::number_compare(vm, a, b) {
            Some(ordering) => op.holds(ordering),
            None => op == CompareOp::Ne,
        }));
    }
    if class_a == types.str && class_b == types.str {
        let (x, y) = (str_of(a).unwrap_or(""), str_of(b).unwrap_or(""));
        return Ok(Value::bool(op.holds(x.cmp(y))));
    }
    let (method, reflected) = op.dunders();
    let reflected_first =
        class_a != class_b && vm.is_subclass(class_b, class_a) && !vm.is_builtin_class(class_b);
    if reflected_first {
        if let Some(result) = call_special(vm, b, reflected, &[a])? {
            if result != Value::NOT_IMPLEMENTED {
                return Ok(result);
            }
        }
    }
    if let Some(result) = call_special(vm, a, method, &[b])? {
        if result != Value::NOT_IMPLEMENTED {
            return Ok(result);
        }
    }
    if !reflected_first {
        if let Some(result) = call_special(vm, b, reflected, &[a])? {
            if result != Value::NOT_IMPLEMENTED {
                return Ok(result);
            }
        }
    }
    match op {
        CompareOp::Eq => Ok(Value::bool(a == b)),
        CompareOp::Ne => Ok(Value::bool(a != b)),
        _ => {
            let (name_a, name_b) = (class_name(class_a), class_name(class_b));
            vm.err_type(format!(
                "'{}' not supported between instances of '{}' and '{}'",
                op.symbol(),
                name_a,
                name_b
            ))
        }
    }
}

fn float_compare(x: f64, y: f64, op: CompareOp) -> bool {
    match op {
        CompareOp::Lt => x < y,
        CompareOp::Le => x <= y,
        CompareOp::Eq => x == y,
        CompareOp::Ne => x != y,
        CompareOp::Gt => x > y,
        CompareOp::Ge => x >= y,
    }
}

// ---- arithmetic ------------------------------------------------------------------------------

/// `a op b` (or `a op= b` when `inplace`).
pub fn binary_op(vm: &mut Vm, a: Value, b: Value, op: BinaryOp, inplace: bool) -> PyResult<Value> {
    let class_a = vm.type_of(a);
    let class_b = vm.type_of(b);
    {
        let types = &vm.types;
        let int_like = |class: Value| class == types.int || class == types.bool;
        let number = |class: Value| int_like(class) || class == types.float;
        let int_pair = int_like(class_a)
            && int_like(class_b)
            && !(class_a == types.bool
                && class_b == types.bool
                && matches!(op, BinaryOp::And | BinaryOp::Or | BinaryOp::Xor));
        let number_pair = number(class_a) && number(class_b);
        let complex_involved = (class_a == types.complex
            && (number(class_b) || class_b == types.complex))
            || (class_b == types.complex && number(class_a));
        let result = if int_pair {
            Some(numbers::int_binary(vm, op, a, b)?)
        } else if number_pair {
            Some(numbers::float_binary(vm, op, a, b)?)
        } else if complex_involved {
            Some(crate::builtins::complex::complex_binary(vm, op, a, b)?)
        } else {
            None
        };
        // An operator the numbers lack (`1.5 & 1`, `2 @ 3`) falls through
        // to the generic dispatch and its TypeError.
        if let Some(result) = result {
            if result != Value::NOT_IMPLEMENTED {
                return Ok(result);
            }
        }
        let types = &vm.types;
        if class_a == types.str && class_b == types.str && op == BinaryOp::Add {
            let mut text = String::with_capacity(
                str_of(a).map_or(0, str::len) + str_of(b).map_or(0, str::len),
            );
            text.push_str(str_of(a).unwrap_or(""));
            text.push_str(str_of(b).unwrap_or(""));
            return Ok(vm.new_str(text));
        }
        if class_a == types.str && op == BinaryOp::Remainder && vm.is_builtin_class(class_b) {
            let format = str_of(a).unwrap_or("");
            return str_methods::percent_format(vm, format, b);
        }
    }
    if inplace {
        let (_, _, inplace_name) = op.dunders();
        if let Some(result) = call_special(vm, a, inplace_name, &[b])? {
            if result != Value::NOT_IMPLEMENTED {
                return Ok(result);
            }
        }
    }
    let (method, reflected, _) = op.dunders();
    let reflected_first = class_a != class_b
        && vm.is_subclass(class_b, class_a)
        && !vm.is_builtin_class(class_b)
        && lookup_class_attr(class_b, reflected).is_some();
    if reflected_first {
        if let Some(result) = call_special(vm, b, reflected, &[a])? {
            if result != Value::NOT_IMPLEMENTED {
                return Ok(result);
            }
        }
    }
    if let Some(result) = call_special(vm, a, method, &[b])? {
        if result != Value::NOT_IMPLEMENTED {
            return Ok(result);
        }
    }
    if class_a != class_b && !reflected_first {
        if let Some(result) = call_special(vm, b, reflected, &[a])? {
            if result != Value::NOT_IMPLEMENTED {
                return Ok(result);
            }
        }
    }
    let (name_a, name_b) = (class_name(class_a), class_name(class_b));
    let symbol = if inplace {
        format!("{}=", op.symbol())
    } else {
        op.symbol().to_string()
    };
    if op == BinaryOp::Add
        && (name_a == "str" || name_a == "list" || name_a == "tuple")
        && vm.is_builtin_class(class_a)
    {
        return vm.err_type(format!(
            "can only concatenate {name_a} (not \"{name_b}\") to {name_a}"
        ));
    }
    if op == BinaryOp::Power && !inplace {
        return vm.err_type(format!(
            "unsupported operand type(s) for ** or pow(): '{name_a}' and '{name_b}'"
        ));
    }
    if op == BinaryOp::Multiply {
        // A sequence times a non-integer: the sequence repeat's message.
        let is_sequence = |value: Value| {
            matches!(
                kind_of(value),
                Some(
                    ObjKind::Str(_)
                        | ObjKind::Bytes(_)
                        | ObjKind::ByteArray(_)
                        | ObjKind::List(_)
                        | ObjKind::Tuple(_)
                )
            )
        };
        let other = if is_sequence(a) {
            Some(class_b)
        } else if is_sequence(b) {
            Some(class_a)
        } else {
            None
        };
        if let Some(other) = other {
            if lookup_class_attr(other, "__index__").is_none() {
                let other_name = class_name(other);
                return vm.err_type(format!(
                    "can't multiply sequence by non-int of type '{other_name}'"
                ));
            }
        }
    }
    vm.err_type(format!(
        "unsupported operand type(s) for {symbol}: '{name_a}' and '{name_b}'"
    ))
}

/// Unary `-`, `+`, `~`.
pub fn unary_op(vm: &mut Vm, value: Value, kind: numbers::UnaryKind) -> PyResult<Value> {
    let class = vm.type_of(value);
    if vm.is_builtin_class(class) {
        if let Some(result) = numbers::unary_number(vm, kind, value)? {
            return Ok(result);
        }
        if let Some(result) = crate::builtins::complex::complex_unary(vm, kind, value)? {
            return Ok(result);
        }
    }
    let (name, symbol) = match kind {
        numbers::UnaryKind::Negative => ("__neg__", "-"),
        numbers::UnaryKind::Positive => ("__pos__", "+"),
        numbers::UnaryKind::Invert => ("__invert__", "~"),
        numbers::UnaryKind::Abs => ("__abs__", "abs()"),
    };
    if let Some(result) = call_special(vm, value, name, &[])? {
        return Ok(result);
    }
    let type_name = class_name(class);
    if symbol == "abs()" {
        return vm.err_type(format!("bad operand type for abs(): '{type_name}'"));
    }
    vm.err_type(format!(
        "bad operand type for unary {symbol}: '{type_name}'"
    ))
}

/// `operator.index(value)`: the int a value stands for.
pub fn index_value(vm: &mut Vm, value: Value) -> PyResult<Value> {
    if value.is_small_int() || value.is_bool() {
        return Ok(value);
    }
    if let Some(ObjKind::Int(_)) = kind_of(value) {
        return Ok(value);
    }
    if let Some(result) = call_special(vm, value, "__index__", &[])? {
        return Ok(result);
    }
    let type_name = vm.type_name(value);
    vm.err_type(format!(
        "'{type_name}' object cannot be interpreted as an integer"
    ))
}

/// A value as f64 (`float(x)` for numbers).
pub fn float_value(vm: &mut Vm, value: Value) -> PyResult<f64> {
    if let Some(x) = value.as_float() {
        return Ok(x);
    }
    if let Some(n) = value.as_small_int() {
        return Ok(n as f64);
    }
    if value.is_bool() {
        return Ok((value == Value::TRUE) as i64 as f64);
    }
    match kind_of(value) {
        Some(ObjKind::Int(n)) => {
            return crate::numeric::big_to_f64(n).map_err(|message| vm.overflow_error(message))
        }
        Some(ObjKind::Float(x)) => return Ok(*x),
        _ => {}
    }
    if let Some(result) = call_special(vm, value, "__float__", &[])? {
        return float_value(vm, result);
    }
    if let Some(result) = call_special(vm, value, "__index__", &[])? {
        return float_value(vm, result);
    }
    let type_name = vm.type_name(value);
    vm.err_type(format!("must be real number, not {type_name}"))
}

// ---- items -----------------------------------------------------------------------------------

/// `obj[key]`.
pub fn getitem(vm: &mut Vm, obj: Value, key: Value) -> PyResult<Value> {
    let class = vm.type_of(obj);
    let types = &vm.types;
    if class == types.list {
        return containers::list_getitem(vm, obj, key);
    }
    if class == types.tuple {
        return containers::tuple_getitem(vm, obj, key);
    }
    if class == types.dict {
        return containers::dict_getitem(vm, obj, key);
    }
    if class == types.str {
        return str_methods::str_getitem(vm, obj, key);
    }
    if let Some(ObjKind::Range { start, stop, step }) = kind_of(obj) {
        if key.is_small_int() {
            return range_getitem(vm, *start, *stop, *step, key);
        }
        return crate::builtins::ranges::range_getitem(vm, obj, key);
    }
    if let Some(ObjKind::BigRange(_)) = kind_of(obj) {
        return crate::builtins::ranges::range_getitem(vm, obj, key);
    }
    if let Some(result) = call_special(vm, obj, "__getitem__", &[key])? {
        return Ok(result);
    }
    if type_obj(obj).is_some() {
        if let Some(hook) = lookup_class_attr(obj, "__class_getitem__") {
            let bound = bind_descriptor(vm, hook, Value::NULL, obj)?;
            let bound = match kind_of(hook) {
                Some(ObjKind::Function(_)) => {
                    let class = vm.types.method;
                    vm.alloc(
                        class,
                        ObjKind::BoundMethod {
                            function: hook,
                            receiver: obj,
                        },
                    )
                }
                _ => bound,
            };
            return call(vm, bound, &[key], &[]);
        }
        if vm.is_builtin_class(obj) {
            // `list[int]` and friends: generic aliases are not modelled;
            // the class itself stands in for them.
            return Ok(obj);
        }
        let name = class_name(obj);
        return vm.err_type(format!("type '{name}' is not subscriptable"));
    }
    let type_name = vm.type_name(obj);
    vm.err_type(format!("'{type_name}' object is not subscriptable"))
}

fn range_getitem(vm: &mut Vm, start: i64, stop: i64, step: i64, key: Value) -> PyResult<Value> {
    let length = range_len(start, stop, step);
    if let Some(ObjKind::Slice { .. }) = kind_of(key) {
        let (slice_start, _, slice_step, count) = slice_indices(vm, key, length)?;
        let new_start = start + slice_start * step;
        let new_step = step * slice_step;
        let new_stop = new_start + count as i64 * new_step;
        let class = vm.types.range;
        return Ok(vm.alloc(
            class,
            ObjKind::Range {
                start: new_start,
                stop: new_stop,
                step: new_step,
            },
        ));
    }
    let index = sequence_index(vm, key, length, "range object")?;
    Ok(vm.new_int(start + index as i64 * step))
}

/// `obj[key] = value`.
pub fn setitem(vm: &mut Vm, obj: Value, key: Value, value: Value) -> PyResult<()> {
    let class = vm.type_of(obj);
    if class == vm.types.list {
        return containers::list_setitem(vm, obj, key, value);
    }
    if class == vm.types.dict {
        return dict_set(vm, obj, key, value);
    }
    if call_special(vm, obj, "__setitem__", &[key, value])?.is_some() {
        return Ok(());
    }
    let type_name = vm.type_name(obj);
    vm.err_type(format!(
        "'{type_name}' object does not support item assignment"
    ))
}

/// `del obj[key]`.
pub fn delitem(vm: &mut Vm, obj: Value, key: Value) -> PyResult<()> {
    let class = vm.type_of(obj);
    if class == vm.types.list {
        return containers::list_delitem(vm, obj, key);
    }
    if class == vm.types.dict {
        return match dict_del(vm, obj, key)? {
            Some(_) => Ok(()),
            None => Err(vm.key_error(key)),
        };
    }
    if call_special(vm, obj, "__delitem__", &[key])?.is_some() {
        return Ok(());
    }
    let type_name = vm.type_name(obj);
    vm.err_type(format!(
        "'{type_name}' object doesn't support item deletion"
    ))
}

/// `item in container`.
pub fn contains(vm: &mut Vm, container: Value, item: Value) -> PyResult<bool> {
    let class = vm.type_of(container);
    if vm.is_builtin_class(class) || lookup_class_attr(class, "__contains__").is_none() {
        match kind_of(container) {
            Some(ObjKind::Str(text)) => {
                let Some(needle) = str_of(item) else {
                    let type_name = vm.type_name(item);
                    return vm.err_type(format!(
                        "'in <string>' requires string as left operand, not {type_name}"
                    ));
                };
                return Ok(text.as_str().contains(needle));
            }
            Some(ObjKind::List(items)) => {
                let search = crate::objects::list::SearchItems::of(items);
                let mut index = 0;
                loop {
                    let candidate = match search.get(index) {
                        Some(candidate) => candidate,
                        None => return Ok(false),
                    };
                    if eq(vm, candidate, item)? {
                        return Ok(true);
                    }
                    index += 1;
                }
            }
            Some(ObjKind::Tuple(items)) => {
                for candidate in items.iter() {
                    if eq(vm, *candidate, item)? {
                        return Ok(true);
                    }
                }
                return Ok(false);
            }
            Some(ObjKind::Dict(_)) => return Ok(dict_get(vm, container, item)?.is_some()),
            Some(ObjKind::Set(_)) => return containers::set_contains_key(vm, container, item),
            Some(ObjKind::DictView { .. }) => {
                return crate::builtins::dict_views::view_contains(vm, container, item)
            }
            Some(ObjKind::Range { start, stop, step }) => {
                if let Some(n) = item.as_small_int() {
                    let (start, stop, step) = (*start, *stop, *step);
                    let inside = if step > 0 {
                        n >= start && n < stop
                    } else {
                        n <= start && n > stop
                    };
                    return Ok(inside && (n - start) % step == 0);
                }
                if let Some(found) = crate::builtins::ranges::range_contains(container, item) {
                    return Ok(found);
                }
            }
            Some(ObjKind::BigRange(_)) => {
                if let Some(found) = crate::builtins::ranges::range_contains(container, item) {
                    return Ok(found);
                }
            }
            _ => {}
        }
    }
    if let Some(result) = call_special(vm, container, "__contains__", &[item])? {
        return truthy(vm, result);
    }
    let iterator = match iter(vm, container) {
        Ok(iterator) => iterator,
        Err(_) => {
            let type_name = vm.type_name(container);
            return vm.err_type(format!("argument of type '{type_name}' is not iterable"));
        }
    };
    while let Some(candidate) = next(vm, iterator)? {
        if eq(vm, candidate, item)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Python's slice semantics: (start, stop, step, count) for a sequence
/// of `length`.
pub fn slice_indices(vm: &mut Vm, slice: Value, length: usize) -> PyResult<(i64, i64, i64, usize)> {
    Ok(slice_bounds(vm, slice)?.indices(length))
}

/// A slice's bounds as integers (`None` where omitted), before a length
/// clamps them: evaluating them may run Python code (`__index__`), so a
/// caller that must clamp against a length read under a borrow evaluates
/// them first and clamps inside the borrow (`SliceBounds::indices`).
#[derive(Clone, Copy, Debug)]
pub struct SliceBounds {
    start: Option<i64>,
    stop: Option<i64>,
    step: i64,
}

pub fn slice_bounds(vm: &mut Vm, slice: Value) -> PyResult<SliceBounds> {
    let Some(ObjKind::Slice { start, stop, step }) = kind_of(slice) else {
        return vm.err_type("expected a slice");
    };
    let step = if step.is_none() {
        1
    } else {
        let step = slice_bound(vm, *step)?;
        if step == 0 {
            return vm.err_value("slice step cannot be zero");
        }
        step
    };
    let start = if start.is_none() {
        None
    } else {
        Some(slice_bound(vm, *start)?)
    };
    let stop = if stop.is_none() {
        None
    } else {
        Some(slice_bound(vm, *stop)?)
    };
    Ok(SliceBounds { start, stop, step })
}

impl SliceBounds {
    /// `(start, stop, step, count)` for a sequence of `length` items, as
    /// `slice.indices` clamps them.
    pub fn indices(&self, length: usize) -> (i64, i64, i64, usize) {
        let (length, step) = (length as i64, self.step);
        let (lower, upper) = if step < 0 {
            (-1, length - 1)
        } else {
            (0, length)
        };
        let clamp = |value: i64| -> i64 {
            if value < 0 {
                (value + length).max(lower)
            } else {
                value.min(upper)
            }
        };
        let start = match self.start {
            None if step < 0 => upper,
            None => lower,
            Some(start) => clamp(start),
        };
        let stop = match self.stop {
            None if step < 0 => lower,
            None => upper,
            Some(stop) => clamp(stop),
        };
        let count = if step > 0 {
            if stop > start {
                ((stop - start - 1) / step + 1) as usize
            } else {
                0
            }
        } else if start > stop {
            ((start - stop - 1) / (-step) + 1) as usize
        } else {
            0
        };
        (start, stop, step, count)
    }
}

fn slice_bound(vm: &mut Vm, value: Value) -> PyResult<i64> {
    if let Some(n) = value.as_small_int() {
        return Ok(n);
    }
    let int_value = match index_value(vm, value) {
        Ok(int_value) => int_value,
        Err(_) => {
            return vm
                .err_type("slice indices must be integers or None or have an __index__ method")
        }
    };
    match crate::builtins::args::int_value(int_value) {
        Some(n) => Ok(num_traits::ToPrimitive::to_i64(&n).unwrap_or(
            if n.sign() == num_bigint::Sign::Minus {
                i64::MIN / 2
            } else {
                i64::MAX / 2
            },
        )),
        None => vm.err_type("slice indices must be integers or None or have an __index__ method"),
    }
}

/// A sequence index: negative counts from the end; IndexError and
/// TypeError worded for `what` ("list", "tuple", "string"...).
pub fn sequence_index(vm: &mut Vm, index: Value, length: usize, what: &str) -> PyResult<usize> {
    let n = match index.as_small_int() {
        Some(n) => n,
        None => {
            let is_index = index.is_bool()
                || matches!(kind_of(index), Some(ObjKind::Int(_)))
                || lookup_class_attr(vm.type_of(index), "__index__").is_some();
            if !is_index {
                let type_name = vm.type_name(index);
                let noun = if what == "string" {
                    "string indices".to_string()
                } else {
                    format!("{what} indices")
                };
                return vm.err_type(format!(
                    "{noun} must be integers or slices, not {type_name}"
                ));
            }
            let int_value = index_value(vm, index)?;
            match crate::builtins::args::int_value(int_value)
                .and_then(|n| num_traits::ToPrimitive::to_i64(&n))
            {
                Some(n) => n,
                None => {
                    return Err(
                        vm.index_error("cannot fit 'int' into an index-sized integer".to_string())
                    )
                }
            }
        }
    };
    let adjusted = if n < 0 { n + length as i64 } else { n };
    if adjusted < 0 || adjusted >= length as i64 {
        return Err(vm.index_error(format!("{what} index out of range")));
    }
    Ok(adjusted as usize)
}

// ---- iteration ------------------------------------------------------------------------------

fn new_iterator(vm: &mut Vm, class: Value, state: IterState) -> Value {
    vm.alloc(class, ObjKind::Iter(PyCell::new(state)))
}

/// An iterator for native code that drains it within one call (`list()`,
/// `sum()`, unpacking, `in` over a view...). Over a *shared* dict, set or
/// dict view it runs over the entries as they are when it starts. A C
/// consumer in CPython holds the interpreter lock from its first item to
/// its last, so no other thread's change can make it fail; here the other
/// threads run on, and the consumer reads one snapshot instead of raising
/// "changed size during iteration" at their changes. The lazy built-ins
/// (`map`, `zip`, `filter`, `enumerate`) take their iterators here too:
/// most often a native consumer drains them at once (`sum(map(len, d))`),
/// and a Python loop over one is then as lenient (CPython's may raise).
pub fn iter(vm: &mut Vm, value: Value) -> PyResult<Value> {
    match shared_table_snapshot(vm, value) {
        Some(iterator) => Ok(iterator),
        None => iter_live(vm, value),
    }
}

/// A list iterator over a snapshot of `value`'s entries if it is a shared
/// dict, set or dict view whose class iterates it as such (see [`iter`]).
#[inline(never)]
fn shared_table_snapshot(vm: &mut Vm, value: Value) -> Option<Value> {
    let (table, what) = match kind_of(value)? {
        ObjKind::Dict(table) | ObjKind::Set(table) => (table, DictIterKind::Keys),
        ObjKind::DictView { dict, what } => (dict_of(*dict)?, *what),
        _ => return None,
    };
    if !table.is_shared() {
        return None;
    }
    let class = vm.type_of(value);
    if !vm.is_builtin_class(class)
        && lookup_class_attr(class, "__iter__").is_some_and(is_python_function)
    {
        return None;
    }
    let table = table.borrow();
    let items = match what {
        DictIterKind::Keys => table.keys(),
        DictIterKind::Values => table.values(),
        DictIterKind::Items => table
            .items()
            .into_iter()
            .map(|(key, value)| vm.new_tuple(vec![key, value]))
            .collect(),
    };
    drop(table);
    let list = vm.new_list(items);
    let class = vm.types.list_iterator;
    Some(new_iterator(vm, class, IterState::sequence(list)))
}

/// `iter(value)` as Python code gets it: the iterator of `for` loops and
/// `iter()`.
/// Over a dict or set it is live: a change of size between two of its
/// steps raises RuntimeError, as in CPython. Out of line: the step loop
/// calls it (GET_ITER), and code inlined there slows every instruction.
#[inline(never)]
pub fn iter_live(vm: &mut Vm, value: Value) -> PyResult<Value> {
    let class = vm.type_of(value);
    let builtin = vm.is_builtin_class(class);
    if builtin
        || lookup_class_attr(class, "__iter__").is_none_or(|method| !is_python_function(method))
    {
        let types = &vm.types;
        let iterator = match kind_of(value) {
            Some(ObjKind::List(_)) => Some((types.list_iterator, IterState::sequence(value))),
            Some(ObjKind::Tuple(_)) => Some((types.tuple_iterator, IterState::sequence(value))),
            Some(ObjKind::Str(_)) => Some((types.str_iterator, IterState::sequence(value))),
            Some(ObjKind::Bytes(_)) | Some(ObjKind::ByteArray(_)) => {
                Some((types.bytes_iterator, IterState::sequence(value)))
            }
            Some(ObjKind::Range { start, stop, step }) => {
                Some((types.range_iterator, IterState::range(*start, *stop, *step)))
            }
            Some(ObjKind::Dict(table)) => Some((
                types.dict_keyiterator,
                IterState::dict_entries(value, table.borrow().len(), DictIterKind::Keys),
            )),
            Some(ObjKind::Set(table)) => Some((
                types.set_iterator,
                IterState::dict_entries(value, table.borrow().len(), DictIterKind::Keys),
            )),
            Some(ObjKind::DictView { dict, what }) => {
                let iterator_class = match what {
                    DictIterKind::Keys => types.dict_keyiterator,
                    DictIterKind::Values => types.dict_valueiterator,
                    DictIterKind::Items => types.dict_itemiterator,
                };
                Some((
                    iterator_class,
                    IterState::dict_entries(
                        *dict,
                        dict_of(*dict).map_or(0, |table| table.borrow().len()),
                        *what,
                    ),
                ))
            }
            Some(ObjKind::BigRange(_)) => Some((types.range_iterator, IterState::get_item(value))),
            Some(ObjKind::Iter(_)) | Some(ObjKind::Generator(_)) => return Ok(value),
            _ => None,
        };
        if let Some((iterator_class, state)) = iterator {
            return Ok(new_iterator(vm, iterator_class, state));
        }
    }
    if let Some(method) = lookup_class_attr(class, "__iter__") {
        if !method.is_none() {
            let iterator = call_special(vm, value, "__iter__", &[])?.unwrap_or(Value::NONE);
            let iterator_class = vm.type_of(iterator);
            if lookup_class_attr(iterator_class, "__next__").is_none()
                && !matches!(
                    kind_of(iterator),
                    Some(ObjKind::Iter(_) | ObjKind::Generator(_))
                )
            {
                let type_name = class_name(iterator_class);
                return vm.err_type(format!(
                    "iter() returned non-iterator of type '{type_name}'"
                ));
            }
            return Ok(iterator);
        }
    }
    if lookup_class_attr(class, "__getitem__").is_some() && !builtin {
        let iterator_class = vm.types.iterator;
        return Ok(new_iterator(vm, iterator_class, IterState::get_item(value)));
    }
    let type_name = class_name(class);
    vm.err_type(format!("'{type_name}' object is not iterable"))
}

/// `next(iterator)`; `None` when exhausted.
pub fn next(vm: &mut Vm, iterator: Value) -> PyResult<Option<Value>> {
    match kind_of(iterator) {
        Some(ObjKind::Iter(state)) => crate::builtins::iterators::advance(vm, state),
        Some(ObjKind::Generator(_)) => crate::engine::step::generator_next(vm, iterator),
        _ => {
            let class = vm.type_of(iterator);
            if lookup_class_attr(class, "__next__").is_none() {
                let type_name = class_name(class);
                return vm.err_type(format!("'{type_name}' object is not an iterator"));
            }
            match call_special(vm, iterator, "__next__", &[]) {
                Ok(value) => Ok(value),
                Err(error) => {
                    if vm.is_instance(error, vm.types.exc.stop_iteration) {
                        Ok(None)
                    } else {
                        Err(error)
                    }
                }
            }
        }
    }
}

/// Iterates `iterable` to the end.
pub fn collect(vm: &mut Vm, iterable: Value) -> PyResult<Vec<Value>> {
    match kind_of(iterable) {
        Some(ObjKind::List(items)) if vm.type_of(iterable) == vm.types.list => {
            return Ok(items.borrow().to_vec())
        }
        Some(ObjKind::Tuple(items)) => return Ok(items.to_vec()),
        _ => {}
    }
    let iterator = iter(vm, iterable)?;
    let mut items = Vec::new();
    while let Some(item) = next(vm, iterator)? {
        items.push(item);
    }
    Ok(items)
}

// ---- repr, str, format ----------------------------------------------------------------------

pub fn repr(vm: &mut Vm, value: Value) -> PyResult<Value> {
    let class = vm.type_of(value);
    if !vm.is_builtin_class(class) {
        if let Some(method) = lookup_class_attr(class, "__repr__") {
            if is_python_function(method) {
                let result = call(vm, method, &[value], &[])?;
                if str_of(result).is_none() {
                    let type_name = vm.type_name(result);
                    return vm.err_type(format!("__repr__ returned non-string (type {type_name})"));
                }
                return Ok(result);
            }
        }
    }
    enter_recursion(vm, " while getting the repr of an object")?;
    let text = crate::builtins::repr::builtin_repr(vm, value);
    leave_recursion(vm);
    Ok(vm.new_str(text?))
}

/// Native code that recurses through nested containers (repr, `==` and
/// hashing of lists in lists...) counts its levels against the recursion
/// limit, with Python frames, as CPython's `Py_EnterRecursiveCall` does:
/// a deep structure then ends in RecursionError instead of exhausting the
/// native stack (small in a browser: about 1 MB). Pair with
/// `leave_recursion`.
pub fn enter_recursion(vm: &mut Vm, context: &str) -> PyResult<()> {
    if vm.depth >= vm.recursion_limit || vm.native_levels >= vm.native_level_limit {
        let class = vm.types.exc.recursion_error;
        return Err(vm.new_error(class, format!("maximum recursion depth exceeded{context}")));
    }
    vm.depth += 1;
    vm.native_levels += 1;
    Ok(())
}

pub fn leave_recursion(vm: &mut Vm) {
    vm.native_levels -= 1;
    vm.depth -= 1;
}

pub fn repr_string(vm: &mut Vm, value: Value) -> PyResult<String> {
    if let Some(text) = crate::builtins::repr::quick_repr(vm, value) {
        return Ok(text);
    }
    let result = repr(vm, value)?;
    Ok(vm.str_text(result))
}

/// `str(value)` as a str object.
pub fn to_str(vm: &mut Vm, value: Value) -> PyResult<Value> {
    let class = vm.type_of(value);
    if class == vm.types.str {
        return Ok(value);
    }
    if !vm.is_builtin_class(class) {
        if let Some(method) = lookup_class_attr(class, "__str__") {
            if is_python_function(method) {
                let result = call(vm, method, &[value], &[])?;
                if str_of(result).is_none() {
                    let type_name = vm.type_name(result);
                    return vm.err_type(format!("__str__ returned non-string (type {type_name})"));
                }
                return Ok(result);
            }
        }
        if let Some(ObjKind::Str(text)) = kind_of(value) {
            let owned = text.as_str().to_string();
            return Ok(vm.new_str(owned));
        }
    }
    if let Some(data) = exc_data(value) {
        // A built-in exception class with its own `__str__` (OSError,
        // ExceptionGroup...) uses it; the rest show their args.
        if let Some(method) = lookup_class_attr(class, "__str__") {
            let own = matches!(kind_of(method), Some(ObjKind::NativeFunction(native))
                if native.owner != vm.types.exc.base_exception && native.owner != vm.types.object);
            if own {
                let result = call(vm, method, &[value], &[])?;
                if str_of(result).is_some() {
                    return Ok(result);
                }
            }
        }
        let text = exception_str(vm, value, data.args.get())?;
        return Ok(vm.new_str(text));
    }
    repr(vm, value)
}

/// `str(exception)`: by its args, KeyError showing the repr of its key.
pub fn exception_str(vm: &mut Vm, exception: Value, args: Value) -> PyResult<String> {
    let items = tuple_items(args).unwrap_or(&[]);
    match items.len() {
        0 => Ok(String::new()),
        1 => {
            if vm.is_instance(exception, vm.types.exc.key_error) {
                repr_string(vm, items[0])
            } else {
                str_string(vm, items[0])
            }
        }
        _ => repr_string(vm, args),
    }
}

pub fn str_string(vm: &mut Vm, value: Value) -> PyResult<String> {
    if let Some(text) = str_of(value) {
        if vm.type_of(value) == vm.types.str {
            return Ok(text.to_string());
        }
    }
    let result = to_str(vm, value)?;
    Ok(vm.str_text(result))
}

/// `format(value, spec)`.
pub fn format_value(vm: &mut Vm, value: Value, spec: &str) -> PyResult<Value> {
    use crate::text::format_spec as fs;
    let class = vm.type_of(value);
    if !vm.is_builtin_class(class) {
        if let Some(method) = lookup_class_attr(class, "__format__") {
            if is_python_function(method) {
                let spec_value = vm.new_str(spec);
                let result = call(vm, method, &[value, spec_value], &[])?;
                if str_of(result).is_none() {
                    let type_name = vm.type_name(result);
                    return vm.err_type(format!("__format__ must return a str, not {type_name}"));
                }
                return Ok(result);
            }
        }
    }
    let type_name = class_name(class);
    let is_int =
        value.is_small_int() || matches!(kind_of(value), Some(ObjKind::Int(_))) || value.is_bool();
    let is_float = value.is_float() || matches!(kind_of(value), Some(ObjKind::Float(_)));
    if spec.is_empty() {
        return to_str(vm, value);
    }
    if let Some(parts) = crate::builtins::complex::complex_of(value) {
        return match crate::builtins::complex::complex_format(parts, spec) {
            Ok(text) => Ok(vm.new_str(text)),
            Err(message) => vm.err_value(message),
        };
    }
    let parsed =
        fs::parse_format_spec_typed(spec, &type_name).map_err(|message| vm.value_error(message))?;
    let text = if is_int {
        let number = crate::builtins::args::int_value(value).unwrap_or_default();
        fs::format_int_typed(&number, &parsed, &type_name)
    } else if is_float {
        let x = float_value(vm, value)?;
        fs::format_float_typed(x, &parsed, &type_name)
    } else if let Some(text) = str_of(value) {
        fs::format_str(text, &parsed)
    } else {
        return vm.err_type(format!(
            "unsupported format string passed to {type_name}.__format__"
        ));
    };
    match text {
        Ok(text) => Ok(vm.new_str(text)),
        Err(message) => {
            if fs::is_overflow_error(&message) {
                Err(vm.overflow_error(message))
            } else {
                Err(vm.value_error(message))
            }
        }
    }
}

/// Repr of a str, with CPython's quoting.
pub fn str_repr(text: &str) -> String {
    strops::repr_str(text)
}
