//! Class creation and class-level protocol: `type.__new__` (metaclass
//! selection, layout, C3 MRO, `__slots__`, the `__dict__` accessor,
//! `__set_name__`, `__init_subclass__`), `type.__subclasses__`,
//! `object.__init_subclass__`, and the weak registry of user classes that
//! `__subclasses__` reads.

use crate::objects::PyCell;

use crate::builtins::descriptors;
use crate::engine::ops::{self, kind_of};
use crate::engine::{class_name, str_of, tuple_items, type_obj, Vm};
use crate::objects::{typeobj, Layout, ObjKind, TypeObj};
use crate::value::Value;
use crate::PyResult;

type Kwargs<'a> = &'a [(Value, Value)];

pub fn register(vm: &mut Vm) {
    let type_ = vm.types.type_;
    let object = vm.types.object;
    crate::builtins::add_staticmethod(vm, type_, "__new__", type_new);
    crate::builtins::add_method(vm, type_, "__subclasses__", type_subclasses);
    crate::builtins::add_classmethod(vm, object, "__init_subclass__", object_init_subclass);
}

/// `object.__new__` refuses a class whose own `__abstractmethods__` (set
/// by `abc.ABCMeta`) is not empty.
pub fn check_not_abstract(vm: &mut Vm, class: Value) -> PyResult<()> {
    let dict = class.as_obj().map_or(Value::NULL, |obj| obj.dict());
    let Some(abstract_methods) = ops::dict_get_str(dict, "__abstractmethods__") else {
        return Ok(());
    };
    if !ops::truthy(vm, abstract_methods)? {
        return Ok(());
    }
    let mut names = Vec::new();
    for name in ops::collect(vm, abstract_methods)? {
        names.push(ops::str_string(vm, name)?);
    }
    names.sort();
    vm.err_type(format!(
        "Can't instantiate abstract class {} with abstract method{} {}",
        class_name(class),
        if names.len() == 1 { "" } else { "s" },
        names.join(", ")
    ))
}

/// `object.__init_subclass__(cls)`: accepts no arguments.
fn object_init_subclass(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let name = class_name(args[0]);
    if !kwargs.is_empty() {
        return vm.err_type(format!(
            "{name}.__init_subclass__() takes no keyword arguments"
        ));
    }
    if args.len() > 1 {
        return vm.err_type(format!(
            "{name}.__init_subclass__() takes no arguments ({} given)",
            args.len() - 1
        ));
    }
    Ok(Value::NONE)
}

/// `cls.__subclasses__()`: the live user classes whose direct bases
/// include `cls`, in creation order.
fn type_subclasses(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let class = args[0];
    let found: Vec<Value> = vm
        .user_classes
        .iter()
        .copied()
        .filter(|candidate| {
            type_obj(*candidate).is_some_and(|payload| payload.bases.borrow().contains(&class))
        })
        .collect();
    Ok(vm.new_list(found))
}

fn type_name_of(vm: &Vm, value: Value) -> String {
    vm.type_name(value)
}

/// The most derived of `metaclass` and the metaclasses of `bases`.
pub fn winning_metaclass(vm: &mut Vm, metaclass: Value, bases: &[Value]) -> PyResult<Value> {
    let mut winner = metaclass;
    for base in bases {
        let base_meta = vm.type_of(*base);
        if vm.is_subclass(winner, base_meta) {
            continue;
        }
        if vm.is_subclass(base_meta, winner) {
            winner = base_meta;
            continue;
        }
        return vm.err_type(
            "metaclass conflict: the metaclass of a derived class must be a (non-strict) \
             subclass of the metaclasses of all its bases",
        );
    }
    Ok(winner)
}

/// `type.__new__(metaclass, name, bases, namespace, **kwargs)`, and
/// `type(obj)`.
pub fn type_new(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    if args.len() == 2 && kwargs.is_empty() {
        return Ok(vm.type_of(args[1]));
    }
    if args.len() != 4 {
        return vm.err_type("type() takes 1 or 3 arguments");
    }
    let (mut metaclass, name, bases_value, namespace) = (args[0], args[1], args[2], args[3]);
    if type_obj(metaclass).is_none() || !vm.is_subclass(metaclass, vm.types.type_) {
        let type_name = type_name_of(vm, metaclass);
        return vm.err_type(format!(
            "type.__new__(X): X is not a type object ({type_name})"
        ));
    }
    let Some(name_text) = str_of(name).map(str::to_string) else {
        let type_name = type_name_of(vm, name);
        return vm.err_type(format!(
            "type.__new__() argument 1 must be str, not {type_name}"
        ));
    };
    let Some(given_bases) = tuple_items(bases_value) else {
        let type_name = type_name_of(vm, bases_value);
        return vm.err_type(format!(
            "type.__new__() argument 2 must be tuple, not {type_name}"
        ));
    };
    if ops::dict_of(namespace).is_none() {
        let type_name = type_name_of(vm, namespace);
        return vm.err_type(format!(
            "type.__new__() argument 3 must be dict, not {type_name}"
        ));
    }
    for base in given_bases {
        if type_obj(*base).is_none() {
            let type_name = type_name_of(vm, *base);
            return vm.err_type(format!(
                "type.__new__() argument 2 must contain only types, not {type_name}"
            ));
        }
    }
    let winner = winning_metaclass(vm, metaclass, given_bases)?;
    if winner != metaclass {
        let own_new = ops::lookup_class_attr(winner, "__new__");
        if own_new.is_some() && own_new != ops::lookup_class_attr(vm.types.type_, "__new__") {
            let new_function = match own_new.and_then(kind_of) {
                Some(ObjKind::StaticMethod(inner)) => *inner,
                _ => own_new.unwrap_or(Value::NONE),
            };
            return ops::call(
                vm,
                new_function,
                &[winner, name, bases_value, namespace],
                kwargs,
            );
        }
        metaclass = winner;
    }
    let mut bases = given_bases.to_vec();
    if bases.is_empty() {
        bases.push(vm.types.object);
    }
    let layout = solid_layout(vm, &bases)?;
    let base_mros: Vec<Vec<Value>> = bases
        .iter()
        .map(|base| {
            type_obj(*base)
                .map(|b| b.mro.borrow().clone())
                .unwrap_or_default()
        })
        .collect();
    let qualname = match ops::dict_get_str(namespace, "__qualname__") {
        Some(value) => match str_of(value) {
            Some(text) => text.to_string(),
            None => {
                let type_name = type_name_of(vm, value);
                return vm.err_type(format!("type __qualname__ must be a str, not {type_name}"));
            }
        },
        None => name_text.clone(),
    };
    let slots = slot_names(vm, &name_text, namespace)?;
    let base_gives_dict = bases.iter().any(|base| {
        type_obj(*base).is_some_and(|payload| {
            (!payload.builtin && !payload.dictless) || payload.layout == Layout::Exception
        })
    });
    let user_base_gives_dict = bases
        .iter()
        .any(|base| type_obj(*base).is_some_and(|payload| !payload.builtin && !payload.dictless));
    let dictless = match &slots {
        Some(slots) => !slots.wants_dict && !base_gives_dict,
        None => false,
    };
    let slotted = slots.as_ref().is_some_and(|slots| !slots.names.is_empty())
        || bases
            .iter()
            .any(|base| type_obj(*base).is_some_and(|payload| payload.slotted));
    let payload = TypeObj {
        name: name_text.clone(),
        qualname: PyCell::new(qualname),
        bases: PyCell::new(bases.clone()),
        mro: PyCell::new(Vec::new()),
        layout,
        builtin: false,
        dictless,
        slotted,
        hook_cache: std::sync::atomic::AtomicU64::new(0),
        lookup_cache: Default::default(),
    };
    let class = vm.alloc(metaclass, ObjKind::Type(Box::new(payload)));
    let mro = match typeobj::c3_merge(class, &bases, base_mros) {
        Ok(mro) => mro,
        Err(heads) => {
            let names: Vec<String> = heads.iter().map(|head| class_name(*head)).collect();
            return vm.err_type(format!(
                "Cannot create a consistent method resolution\norder (MRO) for bases {}",
                names.join(", ")
            ));
        }
    };
    if let Some(payload) = type_obj(class) {
        *payload.mro.borrow_mut() = mro;
    }
    let dict = vm.new_dict();
    class.as_obj().expect("class").set_dict(dict);
    fill_namespace(vm, class, dict, namespace)?;
    if let Some(slots) = &slots {
        for slot in &slots.names {
            let member = descriptors::new_member(vm, *slot, class);
            ops::dict_set_str(vm, dict, *slot, member);
        }
    }
    if !dictless && !user_base_gives_dict {
        let wants_weakref = slots.as_ref().is_none_or(|slots| slots.wants_weakref);
        let mut accessors = vec!["__dict__"];
        if wants_weakref {
            accessors.push("__weakref__");
        }
        for accessor in accessors {
            if ops::dict_get_str(dict, accessor).is_none() {
                let descriptor = descriptors::new_getset(vm, accessor, class);
                let key = vm.intern(accessor);
                ops::dict_set_str(vm, dict, key, descriptor);
            }
        }
    }
    vm.user_classes.push(class);
    if vm.sharing {
        // Classes are global state: any thread may find this one through
        // `__subclasses__` (heap/share.rs).
        crate::heap::share::share(class);
    }
    // __set_name__ on the namespace's values, then __init_subclass__ of
    // the next class along the MRO.
    // The namespace is complete: lookups cached from here on are valid.
    crate::objects::typeobj::type_attributes_changed();
    let entries = ops::dict_of(dict)
        .map(|table| table.borrow().items())
        .unwrap_or_default();
    for (key, value) in entries {
        let value_class = vm.type_of(value);
        if !vm.is_builtin_class(value_class) {
            if let Some(hook) = ops::lookup_class_attr(value_class, "__set_name__") {
                ops::call(vm, hook, &[value, class, key], &[])?;
            }
        }
    }
    let hook = {
        let mro = type_obj(class)
            .map(|payload| payload.mro.borrow().clone())
            .unwrap_or_default();
        mro.iter().skip(1).find_map(|base| {
            let base_dict = base.as_obj().map_or(Value::NULL, |obj| obj.dict());
            ops::dict_get_str(base_dict, "__init_subclass__")
        })
    };
    if let Some(hook) = hook {
        let bound = ops::bind_descriptor(vm, hook, Value::NULL, class)?;
        ops::call(vm, bound, &[], kwargs)?;
    }
    crate::objects::typeobj::type_attributes_changed();
    Ok(class)
}

/// The built-in payload the instances carry: that of the one base with a
/// payload ("solid base"), checking the bases can be combined.
fn solid_layout(vm: &mut Vm, bases: &[Value]) -> PyResult<Layout> {
    let mut layout = Layout::Object;
    for base in bases {
        let Some(base_type) = type_obj(*base) else {
            return vm.err_type("bases must be types");
        };
        if base_type.layout == Layout::Final {
            return vm.err_type(format!(
                "type '{}' is not an acceptable base type",
                base_type.name
            ));
        }
        if base_type.layout != Layout::Object {
            if layout != Layout::Object && layout != base_type.layout {
                return vm.err_type("multiple bases have instance lay-out conflict");
            }
            layout = base_type.layout;
        }
    }
    let has_slotted_user_base = bases
        .iter()
        .filter(|base| type_obj(**base).is_some_and(|payload| payload.dictless))
        .count();
    if has_slotted_user_base > 1 {
        let slotted_with_members = bases
            .iter()
            .filter(|base| {
                let dict = base.as_obj().map_or(Value::NULL, |obj| obj.dict());
                ops::dict_of(dict).is_some_and(|table| {
                    table
                        .borrow()
                        .items()
                        .iter()
                        .any(|(_, value)| vm.type_of(*value) == vm.types.member_descriptor)
                })
            })
            .count();
        if slotted_with_members > 1 {
            return vm.err_type("multiple bases have instance lay-out conflict");
        }
    }
    Ok(layout)
}

/// What `__slots__` asks for.
struct Slots {
    /// Member names (mangled), in order.
    names: Vec<Value>,
    wants_dict: bool,
    wants_weakref: bool,
}

fn slot_names(vm: &mut Vm, class_name: &str, namespace: Value) -> PyResult<Option<Slots>> {
    let Some(declared) = ops::dict_get_str(namespace, "__slots__") else {
        return Ok(None);
    };
    let items = if str_of(declared).is_some() {
        vec![declared]
    } else {
        ops::collect(vm, declared)?
    };
    let mut slots = Slots {
        names: Vec::new(),
        wants_dict: false,
        wants_weakref: false,
    };
    for item in items {
        let Some(text) = str_of(item) else {
            let type_name = type_name_of(vm, item);
            return vm.err_type(format!(
                "__slots__ items must be strings, not '{type_name}'"
            ));
        };
        if !is_identifier(text) {
            return vm.err_type("__slots__ must be identifiers");
        }
        match text {
            "__dict__" => {
                if slots.wants_dict {
                    return vm.err_type("__dict__ slot disallowed: we already got one");
                }
                slots.wants_dict = true;
            }
            "__weakref__" => slots.wants_weakref = true,
            _ => {
                let mangled = crate::compiler::symtable::mangle(Some(class_name), text)
                    .unwrap_or_else(|| text.to_string());
                if ops::dict_get_str(namespace, &mangled).is_some() {
                    return vm.err_value(format!(
                        "'{text}' in __slots__ conflicts with class variable"
                    ));
                }
                let name = vm.intern(&mangled);
                slots.names.push(name);
            }
        }
    }
    Ok(Some(slots))
}

fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if first == '_' || first.is_alphabetic() => {}
        _ => return false,
    }
    chars.all(|c| c == '_' || c.is_alphanumeric())
}

/// Copies the class body's namespace into the class dict, wrapping the
/// implicit static/class methods and adding `__hash__ = None` when
/// `__eq__` is defined alone.
fn fill_namespace(vm: &mut Vm, class: Value, dict: Value, namespace: Value) -> PyResult<()> {
    let _ = class;
    let items = ops::dict_of(namespace)
        .map(|table| table.borrow().items())
        .unwrap_or_default();
    let mut defines_eq = false;
    let mut defines_hash = false;
    for (key, value) in items {
        let Some(key_text) = str_of(key) else {
            ops::dict_set(vm, dict, key, value)?;
            continue;
        };
        if key_text == "__classcell__" || key_text == "__qualname__" {
            continue;
        }
        defines_eq |= key_text == "__eq__";
        defines_hash |= key_text == "__hash__";
        let value = match (key_text, kind_of(value)) {
            ("__new__", Some(ObjKind::Function(_))) => {
                vm.alloc(vm.types.staticmethod, ObjKind::StaticMethod(value))
            }
            ("__init_subclass__" | "__class_getitem__", Some(ObjKind::Function(_))) => {
                vm.alloc(vm.types.classmethod, ObjKind::ClassMethod(value))
            }
            _ => value,
        };
        let key = vm.intern(key_text);
        ops::dict_set_str(vm, dict, key, value);
    }
    if defines_eq && !defines_hash {
        let key = vm.intern("__hash__");
        ops::dict_set_str(vm, dict, key, Value::NONE);
    }
    if ops::dict_get_str(dict, "__doc__").is_none() {
        let key = vm.intern("__doc__");
        ops::dict_set_str(vm, dict, key, Value::NONE);
    }
    Ok(())
}
