//! Dict views: the live `dict_keys`, `dict_values` and `dict_items`
//! objects `dict.keys()`, `.values()` and `.items()` return
//! (<https://docs.python.org/3.11/library/stdtypes.html#dict-views>).
//!
//! A view is an `ObjKind::DictView` holding its dict; every operation reads
//! the dict's current table, so a view sees later changes. Keys and items
//! views are set-like: `&`, `|`, `-`, `^` (forward and reflected) build a
//! new `set`, and `==` compares as sets. Iteration uses the dict iterators
//! (with their "changed size during iteration" check); `reversed` walks a
//! snapshot from the end.

use crate::builtins::add_method;
use crate::builtins::containers::set_from_iterable;
use crate::bytecode::opcodes::BinaryOp;
use crate::engine::ops::{self, kind_of};
use crate::engine::Vm;
use crate::objects::iter::DictIterKind;
use crate::objects::{NativeFn, ObjKind};
use crate::value::Value;
use crate::PyResult;

type Kwargs<'a> = &'a [(Value, Value)];

/// A new view of `dict`.
pub fn new_view(vm: &mut Vm, dict: Value, what: DictIterKind) -> Value {
    let class = match what {
        DictIterKind::Keys => vm.types.dict_keys,
        DictIterKind::Values => vm.types.dict_values,
        DictIterKind::Items => vm.types.dict_items,
    };
    vm.alloc(class, ObjKind::DictView { dict, what })
}

/// The dict and kind of a view.
pub fn view_of(value: Value) -> Option<(Value, DictIterKind)> {
    match kind_of(value)? {
        ObjKind::DictView { dict, what } => Some((*dict, *what)),
        _ => None,
    }
}

/// The view's current elements (keys, values or `(key, value)` tuples).
fn elements(vm: &mut Vm, dict: Value, what: DictIterKind) -> Vec<Value> {
    let Some(table) = ops::dict_of(dict) else {
        return Vec::new();
    };
    match what {
        DictIterKind::Keys => table.borrow().keys(),
        DictIterKind::Values => table.borrow().values(),
        DictIterKind::Items => {
            let entries = table.borrow().items();
            entries
                .into_iter()
                .map(|(key, value)| vm.new_tuple(vec![key, value]))
                .collect()
        }
    }
}

fn view_name(what: DictIterKind) -> &'static str {
    match what {
        DictIterKind::Keys => "dict_keys",
        DictIterKind::Values => "dict_values",
        DictIterKind::Items => "dict_items",
    }
}

/// `repr(view)`: `dict_keys(['a', 'b'])`.
pub fn view_repr(vm: &mut Vm, view: Value) -> PyResult<String> {
    let Some((dict, what)) = view_of(view) else {
        return Ok(String::new());
    };
    if vm.repr_stack.contains(&view) {
        return Ok("...".into());
    }
    let items = elements(vm, dict, what);
    let list = vm.new_list(items);
    vm.repr_stack.push(view);
    let inner = ops::repr_string(vm, list);
    vm.repr_stack.pop();
    Ok(format!("{}({})", view_name(what), inner?))
}

/// The receiver of a view method.
fn receiver(vm: &mut Vm, args: &[Value], method: &str) -> PyResult<(Value, DictIterKind)> {
    match args.first().copied().and_then(view_of) {
        Some(view) => Ok(view),
        None => {
            let type_name = args
                .first()
                .map(|value| vm.type_name(*value))
                .unwrap_or_else(|| "nothing".into());
            vm.err_type(format!(
                "descriptor '{method}' requires a dict view object but received '{type_name}'"
            ))
        }
    }
}

/// One argument after the receiver.
fn other_argument(vm: &mut Vm, args: &[Value], method: &str) -> PyResult<Value> {
    receiver(vm, args, method)?;
    if args.len() != 2 {
        return vm.err_type(format!(
            "expected 1 argument, got {}",
            args.len().saturating_sub(1)
        ));
    }
    Ok(args[1])
}

fn view_len(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let (dict, _) = receiver(vm, args, "__len__")?;
    let length = ops::dict_of(dict).map_or(0, |table| table.borrow().len());
    Ok(vm.new_int(length as i64))
}

fn view_iter(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    receiver(vm, args, "__iter__")?;
    ops::iter_live(vm, args[0])
}

fn view_reversed(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let (dict, what) = receiver(vm, args, "__reversed__")?;
    let mut items = elements(vm, dict, what);
    items.reverse();
    let list = vm.new_list(items);
    ops::iter(vm, list)
}

fn view_repr_method(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    receiver(vm, args, "__repr__")?;
    let text = view_repr(vm, args[0])?;
    Ok(vm.new_str(text))
}

/// `x in view`.
pub fn view_contains(vm: &mut Vm, view: Value, item: Value) -> PyResult<bool> {
    let Some((dict, what)) = view_of(view) else {
        return Ok(false);
    };
    match what {
        DictIterKind::Keys => Ok(ops::dict_get(vm, dict, item)?.is_some()),
        DictIterKind::Items => {
            let Some(pair) = crate::engine::tuple_items(item).filter(|pair| pair.len() == 2) else {
                return Ok(false);
            };
            let (key, value) = (pair[0], pair[1]);
            match ops::dict_get(vm, dict, key)? {
                Some(stored) => ops::eq(vm, stored, value),
                None => Ok(false),
            }
        }
        DictIterKind::Values => {
            for stored in elements(vm, dict, what) {
                if stored == item || ops::eq(vm, stored, item)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
    }
}

fn view_contains_method(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let item = other_argument(vm, args, "__contains__")?;
    Ok(Value::bool(view_contains(vm, args[0], item)?))
}

/// Whether a value is iterable, for the set operators' `NotImplemented`.
fn is_iterable(vm: &Vm, value: Value) -> bool {
    matches!(
        kind_of(value),
        Some(
            ObjKind::List(_)
                | ObjKind::Tuple(_)
                | ObjKind::Set(_)
                | ObjKind::Dict(_)
                | ObjKind::Str(_)
                | ObjKind::Bytes(_)
                | ObjKind::ByteArray(_)
                | ObjKind::Iter(_)
                | ObjKind::Generator(_)
                | ObjKind::Range { .. }
                | ObjKind::DictView { .. }
        )
    ) || ops::lookup_class_attr(vm.type_of(value), "__iter__").is_some()
}

/// `left op right` for set-like views: both sides made sets.
fn set_operation(vm: &mut Vm, left: Value, right: Value, op: BinaryOp) -> PyResult<Value> {
    if !is_iterable(vm, left) || !is_iterable(vm, right) {
        return Ok(Value::NOT_IMPLEMENTED);
    }
    let left_set = set_from_iterable(vm, left, false)?;
    let right_set = set_from_iterable(vm, right, false)?;
    ops::binary_op(vm, left_set, right_set, op, false)
}

macro_rules! set_operators {
    ($($function:ident $name:literal => $op:expr, $reflected:expr;)*) => {
        $(
            fn $function(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
                let other = other_argument(vm, args, $name)?;
                if $reflected {
                    set_operation(vm, other, args[0], $op)
                } else {
                    set_operation(vm, args[0], other, $op)
                }
            }
        )*
        const SET_OPERATORS: &[(&str, NativeFn)] = &[$(($name, $function as NativeFn)),*];
    };
}

set_operators! {
    view_and "__and__" => BinaryOp::And, false;
    view_rand "__rand__" => BinaryOp::And, true;
    view_or "__or__" => BinaryOp::Or, false;
    view_ror "__ror__" => BinaryOp::Or, true;
    view_xor "__xor__" => BinaryOp::Xor, false;
    view_rxor "__rxor__" => BinaryOp::Xor, true;
    view_sub "__sub__" => BinaryOp::Subtract, false;
    view_rsub "__rsub__" => BinaryOp::Subtract, true;
}

/// Whether a value compares as a set with set-like views.
fn is_set_like(value: Value) -> bool {
    match kind_of(value) {
        Some(ObjKind::Set(_)) => true,
        Some(ObjKind::DictView { what, .. }) => *what != DictIterKind::Values,
        _ => false,
    }
}

/// `==`/`!=` of set-like views: equal lengths and every element of one in
/// the other.
fn set_like_equal(vm: &mut Vm, view: Value, other: Value) -> PyResult<bool> {
    let length = ops::len(vm, view)?;
    if length != ops::len(vm, other)? {
        return Ok(false);
    }
    let other_set = set_from_iterable(vm, other, false)?;
    let (dict, what) = view_of(view).unwrap_or((Value::NULL, DictIterKind::Keys));
    for element in elements(vm, dict, what) {
        if !ops::set_contains(vm, other_set, element)? {
            return Ok(false);
        }
    }
    Ok(true)
}

fn view_compare(vm: &mut Vm, args: &[Value], negate: bool, name: &str) -> PyResult<Value> {
    let other = other_argument(vm, args, name)?;
    let (_, what) = receiver(vm, args, name)?;
    if what == DictIterKind::Values || !is_set_like(other) {
        // Values views compare by identity only.
        return Ok(if what == DictIterKind::Values {
            Value::bool((args[0] == other) != negate)
        } else {
            Value::NOT_IMPLEMENTED
        });
    }
    let equal = set_like_equal(vm, args[0], other)?;
    Ok(Value::bool(equal != negate))
}

fn view_isdisjoint(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let other = other_argument(vm, args, "isdisjoint")?;
    let iterator = ops::iter(vm, other)?;
    while let Some(item) = ops::next(vm, iterator)? {
        if view_contains(vm, args[0], item)? {
            return Ok(Value::FALSE);
        }
    }
    Ok(Value::TRUE)
}

/// Registers the methods of the three view classes.
pub fn register(vm: &mut Vm) {
    let classes = [
        vm.types.dict_keys,
        vm.types.dict_values,
        vm.types.dict_items,
    ];
    for class in classes {
        add_method(vm, class, "__len__", view_len);
        add_method(vm, class, "__iter__", view_iter);
        add_method(vm, class, "__reversed__", view_reversed);
        add_method(vm, class, "__contains__", view_contains_method);
        add_method(vm, class, "__repr__", view_repr_method);
        crate::builtins::set_class_attr(vm, class, "__hash__", Value::NONE);
        add_method(vm, class, "__eq__", |vm, args, _| {
            view_compare(vm, args, false, "__eq__")
        });
        add_method(vm, class, "__ne__", |vm, args, _| {
            view_compare(vm, args, true, "__ne__")
        });
    }
    for class in [vm.types.dict_keys, vm.types.dict_items] {
        for &(name, function) in SET_OPERATORS {
            add_method(vm, class, name, function);
        }
        add_method(vm, class, "isdisjoint", view_isdisjoint);
    }
}
