//! `types.UnionType`: the `X | Y` of classes (`int | None`), accepted by
//! `isinstance` and `issubclass`
//! (<https://docs.python.org/3.11/library/stdtypes.html#types-union>).
//!
//! A union is a tuple payload of its member classes (`None` stored as
//! `NoneType`, nested unions flattened, duplicates dropped) whose class is
//! `UnionType`; `isinstance` walks it like a tuple of classes. `type.__or__`
//! and `__ror__` build unions; a union of one class is that class.

use crate::builtins::add_method;
use crate::engine::ops;
use crate::engine::{str_of, tuple_items, type_obj, Vm};
use crate::objects::ObjKind;
use crate::value::Value;
use crate::PyResult;

type Kwargs<'a> = &'a [(Value, Value)];

/// The member classes of a union value.
pub fn union_members(vm: &Vm, value: Value) -> Option<&'static [Value]> {
    if vm.type_of(value) == vm.types.union_type {
        tuple_items(value)
    } else {
        None
    }
}

/// Appends the classes `value` stands for in a union; `false` when it
/// cannot be a union member.
fn add_members(vm: &Vm, value: Value, members: &mut Vec<Value>) -> bool {
    let mut push = |class: Value| {
        if !members.contains(&class) {
            members.push(class);
        }
    };
    if value.is_none() {
        push(vm.types.none_type);
        return true;
    }
    if let Some(items) = union_members(vm, value) {
        items.iter().copied().for_each(push);
        return true;
    }
    if type_obj(value).is_some() {
        push(value);
        return true;
    }
    false
}

/// `left | right` for classes, None and unions; `NotImplemented` for
/// anything else.
fn make_union(vm: &mut Vm, left: Value, right: Value) -> Value {
    let mut members = Vec::new();
    if !add_members(vm, left, &mut members) || !add_members(vm, right, &mut members) {
        return Value::NOT_IMPLEMENTED;
    }
    if members.len() == 1 {
        return members[0];
    }
    let class = vm.types.union_type;
    vm.alloc(class, ObjKind::Tuple(members.into_boxed_slice()))
}

fn union_or(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    if args.len() != 2 {
        return vm.err_type(format!(
            "expected 1 argument, got {}",
            args.len().saturating_sub(1)
        ));
    }
    Ok(make_union(vm, args[0], args[1]))
}

fn union_ror(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    if args.len() != 2 {
        return vm.err_type(format!(
            "expected 1 argument, got {}",
            args.len().saturating_sub(1)
        ));
    }
    Ok(make_union(vm, args[1], args[0]))
}

/// How a member is shown in a union's repr: `None`, `int`, `mod.Class`.
fn member_text(vm: &mut Vm, member: Value) -> PyResult<String> {
    if member == vm.types.none_type {
        return Ok("None".into());
    }
    if let Some(class) = type_obj(member) {
        let qualname = class.qualname.borrow().clone();
        let module = ops::lookup_class_attr(member, "__module__")
            .and_then(|module| str_of(module).map(str::to_string));
        return Ok(match module {
            Some(module) if module != "builtins" && !class.builtin => {
                format!("{module}.{qualname}")
            }
            _ => qualname,
        });
    }
    ops::repr_string(vm, member)
}

/// `repr(int | None)` is `int | None`.
pub fn union_repr(vm: &mut Vm, value: Value) -> PyResult<String> {
    let members = union_members(vm, value).unwrap_or(&[]).to_vec();
    let mut parts = Vec::with_capacity(members.len());
    for member in members {
        parts.push(member_text(vm, member)?);
    }
    Ok(parts.join(" | "))
}

fn union_eq(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let (Some(this), Some(other)) = (
        args.first().and_then(|value| union_members(vm, *value)),
        args.get(1).and_then(|value| union_members(vm, *value)),
    ) else {
        return Ok(Value::NOT_IMPLEMENTED);
    };
    let same = this.len() == other.len() && this.iter().all(|member| other.contains(member));
    Ok(Value::bool(same))
}

/// `hash(union)`: independent of the members' order, like `==`.
pub fn union_hash(members: &[Value]) -> i64 {
    let hashes = members.iter().map(|member| ops::identity_hash(*member));
    crate::builtins::containers::frozenset_hash_of_hashes(hashes)
}

fn union_hash_method(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let members = args
        .first()
        .and_then(|value| union_members(vm, *value))
        .unwrap_or(&[]);
    let hash = union_hash(members);
    Ok(vm.new_int(hash))
}

/// `union.__args__`.
pub fn union_args(vm: &mut Vm, value: Value) -> Option<Value> {
    let members = union_members(vm, value)?.to_vec();
    Some(vm.new_tuple(members))
}

/// Registers `type.__or__`/`__ror__` and the union's methods.
pub fn register(vm: &mut Vm) {
    let type_class = vm.types.type_;
    let union_class = vm.types.union_type;
    let module = vm.intern("types");
    crate::builtins::set_class_attr(vm, union_class, "__module__", module);
    for class in [type_class, union_class] {
        add_method(vm, class, "__or__", union_or);
        add_method(vm, class, "__ror__", union_ror);
    }
    add_method(vm, union_class, "__eq__", union_eq);
    add_method(vm, union_class, "__hash__", union_hash_method);
    add_method(vm, union_class, "__repr__", |vm, args, _| {
        let text = union_repr(vm, args[0])?;
        Ok(vm.new_str(text))
    });
}
