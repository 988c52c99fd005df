//! `_twister.twister(key)`: the generator of `random.Random` (whose
//! methods are Python, in `stdlib/random.py`), each draw one native call
//! on `objects/twister.rs`'s `Twister`. CPython's generator is C code, so
//! programs call `random.random()` from several threads at once and rely
//! on it never failing; with threads running in parallel that needs every
//! draw to be atomic, which the twister's claimed cursor makes it with no
//! lock. Methods: `seed(key)`, `next32()`, `random()`, `getstate()` (the
//! 624 words and the index, as one tuple) and `setstate(words, index)`;
//! a key is a list of 32-bit words (`Random.seed` makes it from the seed).

use crate::builtins::args::{arity, to_i64};
use crate::builtins::{add_method, native_function, new_module, set_class_attr};
use crate::engine::{ops, tuple_items, Vm};
use crate::objects::twister::{Twister, N};
use crate::objects::ObjKind;
use crate::value::Value;
use crate::PyResult;

pub fn make(vm: &mut Vm) -> Value {
    let module = new_module(vm, "_twister");
    let class = vm.types.twister;
    if ops::lookup_class_attr(class, "random").is_none() {
        let module_name = vm.intern("_twister");
        set_class_attr(vm, class, "__module__", module_name);
        let methods: [(&'static str, crate::objects::NativeFn); 5] = [
            ("seed", twister_seed),
            ("next32", twister_next32),
            ("random", twister_random),
            ("getstate", twister_getstate),
            ("setstate", twister_setstate),
        ];
        for (name, body) in methods {
            add_method(vm, class, name, body);
        }
    }
    let function = native_function(vm, "twister", new_twister, Value::NULL);
    let key = vm.intern("twister");
    let dict = module.as_obj().expect("module").dict();
    ops::dict_set_str(vm, dict, key, function);
    module
}

/// The 32-bit words of `value`, a list or tuple of ints in 0..2**32.
fn words_of(vm: &mut Vm, value: Value, what: &str) -> PyResult<Vec<u32>> {
    let items = match ops::list_of(value) {
        Some(list) => list.borrow().to_vec(),
        None => match tuple_items(value) {
            Some(items) => items.to_vec(),
            None => return vm.err_type(format!("{what} must be a list or tuple of ints")),
        },
    };
    items
        .into_iter()
        .map(|item| {
            let word = to_i64(vm, item)?;
            u32::try_from(word)
                .or_else(|_| vm.err_value(format!("{what}: {word} is not a 32-bit word")))
        })
        .collect()
}

fn new_twister(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    arity(vm, "twister", args, 1, 1)?;
    let key = words_of(vm, args[0], "key")?;
    let class = vm.types.twister;
    Ok(vm.alloc(class, ObjKind::Twister(Box::new(Twister::from_key(&key)))))
}

/// The twister of `args[0]` and the rest of the arguments, checked.
fn receiver<'a>(
    vm: &mut Vm,
    args: &'a [Value],
    name: &str,
    count: usize,
) -> PyResult<(&'static Twister, &'a [Value])> {
    let Some((&this, rest)) = args.split_first() else {
        return vm.err_type(format!("{name}() needs a twister"));
    };
    let Some(ObjKind::Twister(twister)) = this.as_obj().map(|obj| &obj.kind) else {
        return vm.err_type(format!("{name}() needs a twister"));
    };
    arity(vm, name, rest, count, count)?;
    Ok((twister, rest))
}

fn twister_seed(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let (twister, rest) = receiver(vm, args, "seed", 1)?;
    let key = words_of(vm, rest[0], "key")?;
    twister.seed(&key);
    Ok(Value::NONE)
}

fn twister_next32(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let (twister, _) = receiver(vm, args, "next32", 0)?;
    Ok(vm.new_int(i64::from(twister.next_u32())))
}

fn twister_random(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let (twister, _) = receiver(vm, args, "random", 0)?;
    Ok(Value::float(twister.next_f64()))
}

fn twister_getstate(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let (twister, _) = receiver(vm, args, "getstate", 0)?;
    let (words, next) = twister.state();
    let mut items: Vec<Value> = words
        .iter()
        .map(|&word| vm.new_int(i64::from(word)))
        .collect();
    items.push(vm.new_int(next as i64));
    Ok(vm.new_tuple(items))
}

fn twister_setstate(vm: &mut Vm, args: &[Value], _: &[(Value, Value)]) -> PyResult<Value> {
    let (twister, rest) = receiver(vm, args, "setstate", 2)?;
    let words = words_of(vm, rest[0], "state")?;
    let Ok(words) = <Box<[u32; N]>>::try_from(words.into_boxed_slice()) else {
        return vm.err_value("state vector is the wrong size");
    };
    let next = to_i64(vm, rest[1])?;
    if !(0..=N as i64).contains(&next) {
        return vm.err_value("invalid state");
    }
    twister.set_state(words, next as usize);
    Ok(Value::NONE)
}
