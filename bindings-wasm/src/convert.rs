//! Conversion of values between Python and JavaScript, both ways, by copy.
//!
//! Python → JS: `None` → `null`, `bool` → boolean, `int` → number when it
//! is exactly representable (|n| ≤ 2^53 − 1) else `BigInt`, `float` →
//! number, `str` → string, `bytes`/`bytearray` → `Uint8Array`,
//! `list`/`tuple` → `Array`, `dict` → plain object when every key is a
//! `str` else `Map`, `set`/`frozenset` → `Set`; anything else becomes what
//! the embedder's `objectRef(typeName, repr)` returns (default: a plain
//! `{type, repr}` object).
//! JS → Python: `null`/`undefined` → `None`, boolean → `bool`, an integral
//! safe number → `int`, other numbers → `float`, `BigInt` → `int`, string
//! → `str`, `Uint8Array` → `bytes`, `Array` → `list`, `Map` → `dict`,
//! `Set` → `set`, a plain object → `dict`; anything else is a TypeError.
//! Containers nested deeper than `MAX_DEPTH` (or cyclic) raise
//! RecursionError instead of overflowing the stack.

use js_sys::{Array, Function, Map, Object, Reflect, Set, Uint8Array};
use num_bigint::BigInt;
use num_traits::ToPrimitive;
use wasm_bindgen::{JsCast, JsValue};

use runtime::engine::{ops, str_of, tuple_items};
use runtime::objects::ObjKind;
use runtime::{PyResult, Value, Vm};

const MAX_DEPTH: usize = 1000;

/// The largest integer a JS number holds exactly.
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// Python value → JS value. `object_ref` makes the JS form of objects
/// that have no JS equivalent.
pub fn to_js(vm: &mut Vm, value: Value, object_ref: &Option<Function>) -> PyResult<JsValue> {
    ToJs { vm, object_ref }.convert(value, 0)
}

struct ToJs<'a> {
    vm: &'a mut Vm,
    object_ref: &'a Option<Function>,
}

impl ToJs<'_> {
    fn convert(&mut self, value: Value, depth: usize) -> PyResult<JsValue> {
        if depth > MAX_DEPTH {
            return Err(too_deep(self.vm));
        }
        if value.is_none() || value.is_null() {
            return Ok(JsValue::NULL);
        }
        if value.is_bool() {
            return Ok(JsValue::from_bool(value == Value::TRUE));
        }
        if let Some(n) = value.as_small_int() {
            return Ok(int_to_js(&BigInt::from(n)));
        }
        if let Some(x) = value.as_float() {
            return Ok(JsValue::from_f64(x));
        }
        let Some(obj) = value.as_obj() else {
            return self.reference(value);
        };
        match &obj.kind {
            ObjKind::Int(n) => Ok(int_to_js(n)),
            ObjKind::Float(x) => Ok(JsValue::from_f64(*x)),
            ObjKind::Str(_) => Ok(JsValue::from_str(str_of(value).unwrap_or(""))),
            ObjKind::Bytes(bytes) => Ok(Uint8Array::from(&bytes[..]).into()),
            ObjKind::ByteArray(bytes) => Ok(Uint8Array::from(&bytes.borrow()[..]).into()),
            ObjKind::Tuple(_) => {
                let items = tuple_items(value).unwrap_or(&[]);
                self.array(items, depth)
            }
            ObjKind::List(items) => {
                let items = items.borrow().to_vec();
                self.array(&items, depth)
            }
            ObjKind::Dict(table) => {
                let items = table.borrow().items();
                if items.iter().all(|(key, _)| str_of(*key).is_some()) {
                    let object = Object::new();
                    for (key, item) in items {
                        let item = self.convert(item, depth + 1)?;
                        set_property(
                            &object,
                            &JsValue::from_str(str_of(key).unwrap_or("")),
                            &item,
                        );
                    }
                    Ok(object.into())
                } else {
                    let map = Map::new();
                    for (key, item) in items {
                        let key = self.convert(key, depth + 1)?;
                        let item = self.convert(item, depth + 1)?;
                        map.set(&key, &item);
                    }
                    Ok(map.into())
                }
            }
            ObjKind::Set(table) => {
                let keys = table.borrow().keys();
                let set = Set::new(&JsValue::UNDEFINED);
                for key in keys {
                    set.add(&self.convert(key, depth + 1)?);
                }
                Ok(set.into())
            }
            _ => self.reference(value),
        }
    }

    fn array(&mut self, items: &[Value], depth: usize) -> PyResult<JsValue> {
        let array = Array::new_with_length(items.len() as u32);
        for (index, item) in items.iter().enumerate() {
            array.set(index as u32, self.convert(*item, depth + 1)?);
        }
        Ok(array.into())
    }

    /// An object with no JS equivalent: its type name and repr.
    fn reference(&mut self, value: Value) -> PyResult<JsValue> {
        let type_name = self.vm.type_name(value);
        let repr = ops::repr_string(self.vm, value)?;
        match self.object_ref {
            Some(make) => make
                .call2(&JsValue::NULL, &type_name.into(), &repr.into())
                .map_err(|error| js_error(self.vm, &error)),
            None => {
                let object = Object::new();
                set_property(&object, &"type".into(), &type_name.into());
                set_property(&object, &"repr".into(), &repr.into());
                Ok(object.into())
            }
        }
    }
}

fn set_property(object: &Object, key: &JsValue, value: &JsValue) {
    // Defining a property on a fresh plain object cannot fail.
    let _ = Reflect::set(object, key, value);
}

fn int_to_js(n: &BigInt) -> JsValue {
    match n.to_i64() {
        Some(small) if (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&small) => {
            JsValue::from_f64(small as f64)
        }
        _ => js_sys::BigInt::new(&JsValue::from_str(&n.to_string()))
            .map(JsValue::from)
            .unwrap_or(JsValue::NULL),
    }
}

fn too_deep(vm: &mut Vm) -> Value {
    let class = vm.types.exc.recursion_error;
    vm.new_error(
        class,
        "maximum nesting depth exceeded while converting a value between Python and JavaScript",
    )
}

/// A JS exception thrown by an embedder callback, as a Python RuntimeError.
fn js_error(vm: &mut Vm, error: &JsValue) -> Value {
    let text = error
        .as_string()
        .or_else(|| {
            Reflect::get(error, &"message".into())
                .ok()
                .and_then(|message| message.as_string())
        })
        .unwrap_or_else(|| "a JavaScript callback failed".into());
    vm.runtime_error(text)
}

/// JS value → Python value.
pub fn from_js(vm: &mut Vm, value: &JsValue) -> PyResult<Value> {
    from_js_at(vm, value, 0)
}

fn from_js_at(vm: &mut Vm, value: &JsValue, depth: usize) -> PyResult<Value> {
    if depth > MAX_DEPTH {
        return Err(too_deep(vm));
    }
    if value.is_null() || value.is_undefined() {
        return Ok(Value::NONE);
    }
    if let Some(flag) = value.as_bool() {
        return Ok(Value::bool(flag));
    }
    if let Some(x) = value.as_f64() {
        if x.fract() == 0.0 && x.abs() <= MAX_SAFE_INTEGER as f64 {
            return Ok(vm.new_int(x as i64));
        }
        return Ok(Value::float(x));
    }
    if value.is_bigint() {
        let text = js_sys::BigInt::from(value.clone())
            .to_string(10)
            .map(String::from)
            .unwrap_or_default();
        return match text.parse::<BigInt>() {
            Ok(n) => Ok(vm.new_bigint(n)),
            Err(_) => Err(vm.value_error("invalid BigInt")),
        };
    }
    if let Some(text) = value.as_string() {
        return Ok(vm.new_str(text));
    }
    if let Some(bytes) = value.dyn_ref::<Uint8Array>() {
        return Ok(vm.new_bytes(bytes.to_vec()));
    }
    if let Some(array) = value.dyn_ref::<Array>() {
        let mut items = Vec::with_capacity(array.length() as usize);
        for item in array.iter() {
            items.push(from_js_at(vm, &item, depth + 1)?);
        }
        return Ok(vm.new_list(items));
    }
    if let Some(map) = value.dyn_ref::<Map>() {
        let dict = vm.new_dict();
        let entries: Vec<JsValue> = map.entries().into_iter().filter_map(Result::ok).collect();
        for entry in entries {
            let entry = Array::from(&entry);
            let key = from_js_at(vm, &entry.get(0), depth + 1)?;
            let item = from_js_at(vm, &entry.get(1), depth + 1)?;
            ops::dict_set(vm, dict, key, item)?;
        }
        return Ok(dict);
    }
    if let Some(set) = value.dyn_ref::<Set>() {
        let result = vm.new_set(Default::default());
        let keys: Vec<JsValue> = set.values().into_iter().filter_map(Result::ok).collect();
        for key in keys {
            let key = from_js_at(vm, &key, depth + 1)?;
            ops::set_add(vm, result, key)?;
        }
        return Ok(result);
    }
    if is_plain_object(value) {
        let dict = vm.new_dict();
        let entries = Object::entries(value.unchecked_ref::<Object>());
        for entry in entries.iter() {
            let entry = Array::from(&entry);
            let key = from_js_at(vm, &entry.get(0), depth + 1)?;
            let item = from_js_at(vm, &entry.get(1), depth + 1)?;
            ops::dict_set(vm, dict, key, item)?;
        }
        return Ok(dict);
    }
    let kind = value
        .js_typeof()
        .as_string()
        .unwrap_or_else(|| "value".into());
    let described = if kind == "object" {
        Reflect::get(value, &"constructor".into())
            .ok()
            .and_then(|constructor| Reflect::get(&constructor, &"name".into()).ok())
            .and_then(|name| name.as_string())
            .map(|name| format!("{name} object"))
            .unwrap_or_else(|| "object".into())
    } else {
        kind
    };
    Err(vm.type_error(format!(
        "cannot convert a JavaScript {described} to a Python value"
    )))
}

/// An object literal (its prototype is `Object.prototype` or null).
fn is_plain_object(value: &JsValue) -> bool {
    if !value.is_object() {
        return false;
    }
    let prototype = Object::get_prototype_of(value);
    prototype.is_null() || prototype == Object::get_prototype_of(&Object::new())
}
