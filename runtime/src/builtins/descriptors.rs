//! Slot descriptors of user classes: one `member_descriptor` per
//! `__slots__` name, and the `getset_descriptor`s `__dict__` and
//! `__weakref__` a class gets when it introduces an instance dict; plus
//! the call and comparison protocol of the other descriptor results
//! (bound-method equality and hashing, calling a `staticmethod`).
//!
//! A slot's value lives in the instance's header dict under the slot's
//! (mangled) name; a class whose `__slots__` leave out `__dict__` is
//! marked `dictless`, so that dict is reachable only through these
//! descriptors and no other attribute can be set on its instances.

use crate::builtins::add_method;
use crate::engine::ops::{self, kind_of};
use crate::engine::{class_name, type_obj, Vm};
use crate::objects::ObjKind;
use crate::value::Value;
use crate::PyResult;

type Kwargs<'a> = &'a [(Value, Value)];

pub fn register(vm: &mut Vm) {
    for class in [vm.types.member_descriptor, vm.types.getset_descriptor] {
        add_method(vm, class, "__get__", descriptor_get);
        add_method(vm, class, "__set__", descriptor_set);
        add_method(vm, class, "__delete__", descriptor_delete);
    }
    for class in [vm.types.method, vm.types.builtin_function] {
        add_method(vm, class, "__eq__", method_eq);
        add_method(vm, class, "__hash__", method_hash);
    }
    let staticmethod = vm.types.staticmethod;
    add_method(vm, staticmethod, "__call__", staticmethod_call);
}

/// Bound methods are equal when bound to the same object (identity) with
/// equal functions.
fn method_eq(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    crate::builtins::args::arity(vm, "__eq__", &args[1..], 1, 1)?;
    let (
        Some(ObjKind::BoundMethod {
            function: left_function,
            receiver: left_receiver,
        }),
        Some(ObjKind::BoundMethod {
            function: right_function,
            receiver: right_receiver,
        }),
    ) = (kind_of(args[0]), kind_of(args[1]))
    else {
        return Ok(Value::NOT_IMPLEMENTED);
    };
    if left_receiver != right_receiver {
        return Ok(Value::FALSE);
    }
    Ok(Value::bool(ops::eq(vm, *left_function, *right_function)?))
}

fn method_hash(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let Some(ObjKind::BoundMethod { function, receiver }) = kind_of(args[0]) else {
        return Ok(vm.new_int(ops::identity_hash(args[0])));
    };
    let hash = ops::identity_hash(*receiver) ^ ops::hash(vm, *function)?;
    Ok(vm.new_int(hash))
}

fn staticmethod_call(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let Some(ObjKind::StaticMethod(inner)) = kind_of(args[0]) else {
        return vm.err_type("descriptor '__call__' requires a 'staticmethod' object");
    };
    ops::call(vm, *inner, &args[1..], kwargs)
}

/// A member descriptor for slot `name` of `owner`.
pub fn new_member(vm: &mut Vm, name: Value, owner: Value) -> Value {
    let class = vm.types.member_descriptor;
    vm.alloc(class, ObjKind::MemberDescriptor { name, owner })
}

/// The `__dict__` or `__weakref__` accessor of `owner`.
pub fn new_getset(vm: &mut Vm, name: &str, owner: Value) -> Value {
    let class = vm.types.getset_descriptor;
    let name = vm.intern(name);
    vm.alloc(class, ObjKind::MemberDescriptor { name, owner })
}

/// Whether instances of `class` lack a `__dict__` (all-slots classes).
pub fn is_dictless(class: Value) -> bool {
    type_obj(class).is_some_and(|class| class.dictless)
}

/// The attribute dict (`__dict__`) of `instance`: its header dict, or for
/// slotted classes the dict kept in the header dict under `"__dict__"`
/// (made on first use when `create`). `NULL` when there is none.
pub fn instance_dict(vm: &mut Vm, instance: Value, create: bool) -> Value {
    let Some(obj) = instance.as_obj() else {
        return Value::NULL;
    };
    let class = obj.class();
    let Some(payload) = type_obj(class) else {
        return obj.dict();
    };
    if !payload.slotted {
        if obj.dict().is_null() && create && !payload.builtin {
            let dict = vm.new_dict();
            obj.set_dict(dict);
        }
        return obj.dict();
    }
    if payload.dictless {
        return Value::NULL;
    }
    let slots = storage(vm, instance);
    if let Some(dict) = ops::dict_get_str(slots, "__dict__") {
        return dict;
    }
    if !create {
        return Value::NULL;
    }
    let dict = vm.new_dict();
    let key = vm.intern("__dict__");
    ops::dict_set_str(vm, slots, key, dict);
    dict
}

fn parts(descriptor: Value) -> (Value, Value) {
    match kind_of(descriptor) {
        Some(ObjKind::MemberDescriptor { name, owner }) => (*name, *owner),
        _ => (Value::NULL, Value::NULL),
    }
}

fn is_getset(vm: &Vm, descriptor: Value) -> bool {
    vm.type_of(descriptor) == vm.types.getset_descriptor
}

/// TypeError unless `instance` is an instance of the descriptor's class.
fn check_applies(vm: &mut Vm, descriptor: Value, instance: Value) -> PyResult<()> {
    let (name, owner) = parts(descriptor);
    if vm.is_instance(instance, owner) {
        return Ok(());
    }
    let name = vm.str_text(name);
    let type_name = vm.type_name(instance);
    vm.err_type(format!(
        "descriptor '{name}' for '{}' objects doesn't apply to a '{type_name}' object",
        class_name(owner)
    ))
}

fn missing(vm: &mut Vm, instance: Value, name: Value) -> Value {
    let text = vm.str_text(name);
    let type_name = vm.type_name(instance);
    vm.attribute_error(format!("'{type_name}' object has no attribute '{text}'"))
}

/// The header dict of `instance`, created on first use.
fn storage(vm: &mut Vm, instance: Value) -> Value {
    let Some(obj) = instance.as_obj() else {
        return Value::NULL;
    };
    if obj.dict().is_null() {
        let dict = vm.new_dict();
        obj.set_dict(dict);
    }
    obj.dict()
}

/// `instance.<slot>`.
pub fn get(vm: &mut Vm, descriptor: Value, instance: Value) -> PyResult<Value> {
    check_applies(vm, descriptor, instance)?;
    let (name, owner) = parts(descriptor);
    if is_getset(vm, descriptor) {
        if str_is(name, "__dict__") {
            return Ok(instance_dict(vm, instance, true));
        }
        return Ok(Value::NONE);
    }
    let dict = instance.as_obj().map_or(Value::NULL, |obj| obj.dict());
    match ops::dict_get_name(dict, name) {
        Some(value) => Ok(value),
        // Members of built-in classes (`OSError.errno`...) read None
        // until set; an unset `__slots__` member is missing.
        None if vm.is_builtin_class(owner) => Ok(Value::NONE),
        None => Err(missing(vm, instance, name)),
    }
}

/// `instance.<slot> = value`.
pub fn set(vm: &mut Vm, descriptor: Value, instance: Value, value: Value) -> PyResult<()> {
    check_applies(vm, descriptor, instance)?;
    let (name, _) = parts(descriptor);
    if is_getset(vm, descriptor) {
        if !str_is(name, "__dict__") {
            return Err(vm.attribute_error("attribute '__weakref__' of objects is not writable"));
        }
        if ops::dict_of(value).is_none() {
            let type_name = vm.type_name(value);
            return vm.err_type(format!(
                "__dict__ must be set to a dictionary, not a '{type_name}'"
            ));
        }
        let slotted = type_obj(vm.type_of(instance)).is_some_and(|class| class.slotted);
        if slotted {
            let slots = storage(vm, instance);
            ops::dict_set_str(vm, slots, name, value);
        } else if let Some(obj) = instance.as_obj() {
            obj.set_dict(value);
        }
        return Ok(());
    }
    let dict = storage(vm, instance);
    ops::dict_set_str(vm, dict, name, value);
    Ok(())
}

/// `del instance.<slot>`.
pub fn delete(vm: &mut Vm, descriptor: Value, instance: Value) -> PyResult<()> {
    check_applies(vm, descriptor, instance)?;
    let (name, _) = parts(descriptor);
    if is_getset(vm, descriptor) {
        if str_is(name, "__dict__") {
            let dict = vm.new_dict();
            return set(vm, descriptor, instance, dict);
        }
        return Err(vm.attribute_error("attribute '__weakref__' of objects is not writable"));
    }
    let dict = instance.as_obj().map_or(Value::NULL, |obj| obj.dict());
    if ops::dict_del_str(vm, dict, name) {
        Ok(())
    } else {
        Err(missing(vm, instance, name))
    }
}

fn str_is(value: Value, text: &str) -> bool {
    crate::engine::str_of(value) == Some(text)
}

fn descriptor_get(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    crate::builtins::args::arity(vm, "__get__", &args[1..], 1, 2)?;
    if args[1].is_none() {
        return Ok(args[0]);
    }
    get(vm, args[0], args[1])
}

fn descriptor_set(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    crate::builtins::args::arity(vm, "__set__", &args[1..], 2, 2)?;
    set(vm, args[0], args[1], args[2])?;
    Ok(Value::NONE)
}

fn descriptor_delete(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    crate::builtins::args::arity(vm, "__delete__", &args[1..], 1, 1)?;
    delete(vm, args[0], args[1])?;
    Ok(Value::NONE)
}
