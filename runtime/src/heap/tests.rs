//! Tests of the heap's unsafe core: objects in slab slots on the heap list,
//! mark and sweep, slot reuse, dropping a heap, immortal objects, the weak
//! list and the pointers that `Value` boxes. They build object graphs by
//! hand, without compiling or running Python, so that they also run under
//! Miri (`./x miri`), which checks every pointer use and reports any double
//! drop, use after free or leaked payload. Sizes shrink under Miri
//! ([`scaled`]) to keep that run short.

use crate::objects::PyCell;
use std::collections::BTreeSet;

use num_bigint::BigInt;

use super::slab::CHUNK_SLOTS;
use super::{alloc_immortal, HeapStats, LocalHeap, Obj};
use crate::objects::{DictTable, ObjKind, PyStr};
use crate::value::{Value, SMALL_INT_MAX, SMALL_INT_MIN};

/// The heap never interprets an object's class, so most objects get none.
const NO_CLASS: Value = Value::NULL;

/// `normal` in an ordinary test run, `under_miri` under Miri.
fn scaled(normal: usize, under_miri: usize) -> usize {
    if cfg!(miri) {
        under_miri
    } else {
        normal
    }
}

fn int(n: i64) -> Value {
    Value::small_int(n).expect("small int")
}

fn new_str(heap: &mut LocalHeap, text: &str) -> Value {
    heap.alloc(NO_CLASS, ObjKind::Str(PyStr::new(text)))
}

fn new_list(heap: &mut LocalHeap, items: &[Value]) -> Value {
    heap.alloc(NO_CLASS, ObjKind::List(PyCell::new(items.to_vec().into())))
}

fn new_tuple(heap: &mut LocalHeap, items: &[Value]) -> Value {
    heap.alloc(NO_CLASS, ObjKind::Tuple(items.to_vec().into_boxed_slice()))
}

fn new_big_int(heap: &mut LocalHeap, n: BigInt) -> Value {
    heap.alloc(NO_CLASS, ObjKind::Int(n))
}

/// The hash the dict helpers file a key under: small ints hash to
/// themselves, strings by their text; other keys by identity.
fn key_hash(key: Value) -> i64 {
    if let Some(n) = key.as_small_int() {
        return n;
    }
    match &payload(key) {
        ObjKind::Str(text) => text.hash(),
        _ => key.bits() as i64,
    }
}

fn table_of(entries: &[(Value, Value)]) -> DictTable {
    let mut table = DictTable::new();
    for &(key, value) in entries {
        table.insert_new(key_hash(key), key, value);
    }
    table
}

fn new_dict(heap: &mut LocalHeap, entries: &[(Value, Value)]) -> Value {
    heap.alloc(NO_CLASS, ObjKind::Dict(PyCell::new(table_of(entries))))
}

fn new_set(heap: &mut LocalHeap, members: &[Value]) -> Value {
    let entries: Vec<(Value, Value)> = members.iter().map(|&m| (m, Value::NONE)).collect();
    heap.alloc(NO_CLASS, ObjKind::Set(PyCell::new(table_of(&entries))))
}

fn payload(value: Value) -> &'static ObjKind {
    &value.as_obj().expect("a heap object").kind
}

fn text(value: Value) -> String {
    match payload(value) {
        ObjKind::Str(text) => text.as_str().to_owned(),
        _ => panic!("not a str: {value:?}"),
    }
}

fn list_items(value: Value) -> Vec<Value> {
    match payload(value) {
        ObjKind::List(items) => items.borrow().to_vec(),
        _ => panic!("not a list: {value:?}"),
    }
}

fn push(list: Value, item: Value) {
    match payload(list) {
        ObjKind::List(items) => items.push(item),
        _ => panic!("not a list: {list:?}"),
    }
}

fn tuple_items(value: Value) -> Vec<Value> {
    match payload(value) {
        ObjKind::Tuple(items) => items.to_vec(),
        _ => panic!("not a tuple: {value:?}"),
    }
}

fn big_int(value: Value) -> BigInt {
    match payload(value) {
        ObjKind::Int(n) => n.clone(),
        _ => panic!("not an int: {value:?}"),
    }
}

/// The (key text, value) pairs of a dict whose keys are strings.
fn dict_items(value: Value) -> Vec<(String, Value)> {
    match payload(value) {
        ObjKind::Dict(table) => table
            .borrow()
            .items()
            .into_iter()
            .map(|(key, value)| (text(key), value))
            .collect(),
        _ => panic!("not a dict: {value:?}"),
    }
}

fn collect_rooted(heap: &mut LocalHeap, roots: &[Value]) {
    heap.collect(|marker| marker.mark_all(roots));
}

fn address(value: Value) -> usize {
    value.obj_ptr().expect("a heap object").addr()
}

/// The bytes the heap should count for these (live) objects.
fn bytes_of(values: &[Value]) -> usize {
    values
        .iter()
        .map(|&value| std::mem::size_of::<Obj>() + payload(value).extra_bytes())
        .sum()
}

fn two_to_the(power: u32) -> BigInt {
    BigInt::from(1) << power
}

#[test]
fn allocation_is_counted() {
    let mut heap = LocalHeap::new();
    assert_eq!(heap.stats(), HeapStats::default());
    let hello = new_str(&mut heap, "hello");
    let stats = heap.stats();
    assert_eq!(stats.objects, 1);
    assert_eq!(stats.bytes, std::mem::size_of::<Obj>() + 5);
    assert_eq!(stats.peak_bytes, stats.bytes);
    assert_eq!(stats.collections, 0);
    assert!(!heap.wants_collection());
    assert_eq!(text(hello), "hello");
    assert!(!hello.as_obj().unwrap().is_immortal());
}

#[test]
fn unreachable_objects_are_freed_and_reachable_ones_read_back() {
    let mut heap = LocalHeap::new();
    let kept_a = new_str(&mut heap, "kept a");
    let kept_b = new_str(&mut heap, "kept b \u{e9}\u{1F600}");
    let big = new_big_int(&mut heap, two_to_the(100) + 7);
    let inner = new_list(&mut heap, &[kept_a, int(7), big]);
    let root = new_tuple(&mut heap, &[inner, kept_b, Value::NONE, Value::float(2.5)]);
    let survivors = [kept_a, kept_b, big, inner, root];

    // Garbage allocated last, so the sweep unlinks the head of the list.
    let garbage_text = new_str(&mut heap, "garbage");
    new_list(&mut heap, &[garbage_text, root]);
    let key = new_str(&mut heap, "key");
    let value = new_str(&mut heap, "value");
    new_dict(&mut heap, &[(key, value)]);
    new_big_int(&mut heap, -two_to_the(80));
    new_tuple(&mut heap, &[]);
    let before = heap.stats();
    assert_eq!(before.objects, survivors.len() + 7);

    collect_rooted(&mut heap, &[root]);
    let stats = heap.stats();
    assert_eq!(stats.objects, survivors.len());
    assert_eq!(stats.collections, 1);
    assert_eq!(stats.bytes, bytes_of(&survivors));
    assert!(stats.bytes < before.bytes);
    assert_eq!(stats.peak_bytes, before.bytes);
    assert_eq!(stats.peak_bytes_after_collection, stats.bytes);

    let fields = tuple_items(root);
    assert_eq!(fields.len(), 4);
    assert_eq!(fields[0], inner);
    assert_eq!(text(fields[1]), "kept b \u{e9}\u{1F600}");
    assert_eq!(fields[2], Value::NONE);
    assert_eq!(fields[3].as_float(), Some(2.5));
    let items = list_items(inner);
    assert_eq!(text(items[0]), "kept a");
    assert_eq!(items[1], int(7));
    assert_eq!(big_int(items[2]), two_to_the(100) + 7);
}

#[test]
fn cycles_are_freed_when_unreachable_and_kept_when_rooted() {
    let mut heap = LocalHeap::new();
    // a <-> b, a list holding itself, a dict holding itself.
    let a = new_list(&mut heap, &[]);
    let b = new_list(&mut heap, &[a]);
    push(a, b);
    let itself = new_list(&mut heap, &[]);
    push(itself, itself);
    let key = new_str(&mut heap, "self");
    let dict = new_dict(&mut heap, &[]);
    match payload(dict) {
        ObjKind::Dict(table) => table.borrow_mut().insert_new(key_hash(key), key, dict),
        _ => unreachable!(),
    }
    assert_eq!(heap.stats().objects, 5);

    collect_rooted(&mut heap, &[b]);
    assert_eq!(heap.stats().objects, 2);
    assert_eq!(list_items(a), vec![b]);
    assert_eq!(list_items(b), vec![a]);

    collect_rooted(&mut heap, &[]);
    let stats = heap.stats();
    assert_eq!(stats.objects, 0);
    assert_eq!(stats.bytes, 0);
    assert_eq!(stats.collections, 2);
}

#[test]
fn dict_and_set_entries_are_traced() {
    let mut heap = LocalHeap::new();
    let name = new_str(&mut heap, "name");
    let answer = new_big_int(&mut heap, -two_to_the(64));
    let member = new_str(&mut heap, "member");
    let set = new_set(&mut heap, &[member, int(1)]);
    let values = new_tuple(&mut heap, &[set, answer]);
    let dict = new_dict(&mut heap, &[(name, values), (int(5), Value::TRUE)]);
    let lost_key = new_str(&mut heap, "lost");
    new_dict(&mut heap, &[(lost_key, answer)]);
    new_set(&mut heap, &[lost_key, member]);

    collect_rooted(&mut heap, &[dict]);
    assert_eq!(heap.stats().objects, 6);
    let entries = match payload(dict) {
        ObjKind::Dict(table) => table.borrow().items(),
        _ => unreachable!(),
    };
    assert_eq!(entries.len(), 2);
    assert_eq!(text(entries[0].0), "name");
    assert_eq!(entries[1], (int(5), Value::TRUE));
    let values = tuple_items(entries[0].1);
    assert_eq!(big_int(values[1]), -two_to_the(64));
    let members = match payload(values[0]) {
        ObjKind::Set(table) => table.borrow().keys(),
        _ => panic!("not a set"),
    };
    assert_eq!(text(members[0]), "member");
    assert_eq!(members[1], int(1));
}

#[test]
fn the_class_and_instance_dict_in_the_header_are_traced() {
    let mut heap = LocalHeap::new();
    let class = heap.alloc(NO_CLASS, ObjKind::Object);
    let instance = heap.alloc(class, ObjKind::Object);
    let attribute = new_str(&mut heap, "colour");
    let colour = new_str(&mut heap, "blue");
    let attributes = new_dict(&mut heap, &[(attribute, colour)]);
    instance.as_obj().unwrap().set_dict(attributes);

    collect_rooted(&mut heap, &[instance]);
    assert_eq!(heap.stats().objects, 5);
    let obj = instance.as_obj().unwrap();
    assert_eq!(obj.class(), class);
    let entries = dict_items(obj.dict());
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].0, "colour");
    assert_eq!(text(entries[0].1), "blue");

    // Changing the class and dropping the dict leaves them unreachable.
    obj.set_class(NO_CLASS);
    obj.set_dict(Value::NULL);
    collect_rooted(&mut heap, &[instance]);
    assert_eq!(heap.stats().objects, 1);
    assert_eq!(instance.as_obj().unwrap().class(), NO_CLASS);
}

#[test]
fn freed_slots_are_handed_out_again() {
    // Objects over three slab chunks.
    let count = CHUNK_SLOTS * 2 + CHUNK_SLOTS / 2;
    let mut heap = LocalHeap::new();
    let values: Vec<Value> = (0..count)
        .map(|i| heap.alloc(NO_CLASS, ObjKind::Float(i as f64)))
        .collect();
    let kept: Vec<Value> = values.iter().copied().step_by(3).collect();
    let freed: BTreeSet<usize> = values
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 3 != 0)
        .map(|(_, &value)| address(value))
        .collect();
    assert_eq!(freed.len() + kept.len(), count);

    collect_rooted(&mut heap, &kept);
    assert_eq!(heap.stats().objects, kept.len());

    // The new objects land exactly in the freed slots ...
    let again: Vec<Value> = (0..freed.len())
        .map(|i| new_str(&mut heap, &format!("new {i}")))
        .collect();
    let reused: BTreeSet<usize> = again.iter().map(|&value| address(value)).collect();
    assert_eq!(reused, freed);
    assert_eq!(heap.stats().objects, count);
    // ... without disturbing the survivors.
    for (index, &value) in kept.iter().enumerate() {
        match payload(value) {
            ObjKind::Float(x) => assert_eq!(*x, (index * 3) as f64),
            _ => panic!("survivor changed kind"),
        }
    }
    for (index, &value) in again.iter().enumerate() {
        assert_eq!(text(value), format!("new {index}"));
    }
}

#[test]
fn objects_allocated_after_a_collection_are_traced_and_freed() {
    let mut heap = LocalHeap::new();
    let list = new_list(&mut heap, &[]);
    collect_rooted(&mut heap, &[list]);
    assert!(!list.as_obj().unwrap().header.has(crate::heap::MARKED));
    for round in 0..3 {
        let item = new_str(&mut heap, &format!("item {round}"));
        push(list, item);
        new_str(&mut heap, "garbage");
        collect_rooted(&mut heap, &[list]);
        assert_eq!(heap.stats().objects, round + 2);
        // Survivors are unmarked again, ready for the next collection.
        for value in list_items(list).into_iter().chain([list]) {
            assert!(!value.as_obj().unwrap().header.has(crate::heap::MARKED));
        }
    }
    let texts: Vec<String> = list_items(list).into_iter().map(text).collect();
    assert_eq!(texts, ["item 0", "item 1", "item 2"]);

    match payload(list) {
        ObjKind::List(items) => items.edit(|items| items.truncate(1)),
        _ => unreachable!(),
    }
    collect_rooted(&mut heap, &[list]);
    assert_eq!(heap.stats().objects, 2);
    collect_rooted(&mut heap, &[]);
    assert_eq!(heap.stats().objects, 0);
    assert_eq!(heap.stats().collections, 6);
}

#[test]
fn deeply_nested_lists_are_marked_without_recursion() {
    let depth = scaled(200_000, 300);
    let mut heap = LocalHeap::new();
    let mut outer = new_list(&mut heap, &[int(-1)]);
    for _ in 0..depth {
        outer = new_list(&mut heap, &[outer]);
    }
    collect_rooted(&mut heap, &[outer]);
    assert_eq!(heap.stats().objects, depth + 1);
    let mut current = outer;
    for _ in 0..depth {
        current = list_items(current)[0];
    }
    assert_eq!(list_items(current), vec![int(-1)]);
    collect_rooted(&mut heap, &[]);
    assert_eq!(heap.stats().objects, 0);
}

#[test]
fn dropping_a_heap_drops_its_live_and_freed_objects() {
    // Every payload here owns memory of its own (text, vectors, tables,
    // digits); under Miri a payload the drop missed is a reported leak and
    // one dropped twice is undefined behaviour.
    let mut heap = LocalHeap::new();
    let text_value = new_str(&mut heap, "owned text");
    let big = new_big_int(&mut heap, two_to_the(200));
    let list = new_list(&mut heap, &[text_value, big]);
    push(list, list);
    let key = new_str(&mut heap, "key");
    let dict = new_dict(&mut heap, &[(key, list)]);
    let set = new_set(&mut heap, &[key, int(2)]);
    let tuple = new_tuple(&mut heap, &[dict, set]);
    heap.alloc(NO_CLASS, ObjKind::Bytes(vec![1, 2, 3].into_boxed_slice()));
    new_str(&mut heap, "freed before the drop");
    collect_rooted(&mut heap, &[tuple]);
    assert_eq!(heap.stats().objects, 7);
    // Reuse one freed slot, leave the other on the free list.
    let late = new_list(&mut heap, &[tuple]);
    assert_eq!(heap.stats().objects, 8);
    assert_eq!(list_items(late), vec![tuple]);
    drop(heap);

    // A heap that never collected.
    let mut heap = LocalHeap::new();
    let mut previous = Value::NONE;
    for i in 0..scaled(2000, 50) {
        let label = new_str(&mut heap, &format!("{i}"));
        previous = new_tuple(&mut heap, &[label, previous]);
    }
    assert_eq!(heap.stats().objects, scaled(2000, 50) * 2);
    drop(heap);
}

#[test]
fn collect_pruning_weak_drops_only_the_freed_entries() {
    let mut heap = LocalHeap::new();
    let kept = new_list(&mut heap, &[]);
    let lost = new_list(&mut heap, &[]);
    let reached = new_str(&mut heap, "reached through kept");
    push(kept, reached);
    let mut weak = vec![
        lost,
        kept,
        int(3),
        Value::NULL,
        lost,
        reached,
        Value::float(f64::NAN),
    ];
    heap.collect_pruning_weak(|marker| marker.mark(kept), &mut weak);
    assert_eq!(
        weak,
        vec![kept, int(3), Value::NULL, reached, Value::float(f64::NAN)]
    );
    let stats = heap.stats();
    assert_eq!(stats.objects, 2);
    assert_eq!(stats.collections, 1);
    assert_eq!(text(list_items(kept)[0]), "reached through kept");

    // The survivors were unmarked: a later pruning drops them too.
    heap.collect_pruning_weak(|_| {}, &mut weak);
    assert_eq!(weak, vec![int(3), Value::NULL, Value::float(f64::NAN)]);
    assert_eq!(heap.stats().objects, 0);
}

#[test]
fn heap_values_round_trip_through_the_nan_box() {
    let mut heap = LocalHeap::new();
    let first = new_str(&mut heap, "first");
    let second = new_big_int(&mut heap, two_to_the(60));
    for value in [first, second] {
        let pointer = value.obj_ptr().expect("a heap object");
        assert!(value.is_obj());
        assert!(!value.is_float());
        assert!(!value.is_small_int());
        assert!(!value.is_special());
        assert_eq!(value.as_float(), None);
        assert_eq!(value.as_small_int(), None);
        assert_eq!(Value::from_obj(pointer), value);
        assert!(std::ptr::eq(value.as_obj().unwrap(), pointer));
        assert_eq!(Value::from_obj(value.as_obj().unwrap()), value);
    }
    assert_ne!(first, second);
    assert_ne!(address(first), address(second));
    assert_eq!(text(first), "first");
    assert_eq!(big_int(second), two_to_the(60));
    for value in [
        int(0),
        Value::float(1.0),
        Value::NONE,
        Value::NULL,
        Value::PARK,
    ] {
        assert!(!value.is_obj());
        assert!(value.obj_ptr().is_none());
        assert!(value.as_obj().is_none());
    }
}

#[test]
fn immediates_round_trip_and_never_decode_as_pointers() {
    for n in [
        SMALL_INT_MIN,
        SMALL_INT_MIN + 1,
        -1,
        0,
        1,
        SMALL_INT_MAX - 1,
        SMALL_INT_MAX,
    ] {
        let value = int(n);
        assert_eq!(value.as_small_int(), Some(n));
        assert_eq!(value.small_int_value(), n);
        assert_eq!(Value::small_int_unchecked(n), value);
        assert!(!value.is_obj() && !value.is_float() && !value.is_special());
    }
    assert_eq!(Value::small_int(SMALL_INT_MAX + 1), None);
    assert_eq!(Value::small_int(SMALL_INT_MIN - 1), None);
    assert_eq!(Value::small_int(i64::MIN), None);
    assert_eq!(Value::small_int(i64::MAX), None);

    for x in [
        0.0,
        -0.0,
        1.0 / 3.0,
        f64::MAX,
        f64::MIN,
        f64::MIN_POSITIVE,
        f64::from_bits(1),
        f64::INFINITY,
        f64::NEG_INFINITY,
    ] {
        let value = Value::float(x);
        assert!(!value.is_obj() && !value.is_small_int() && !value.is_special());
        assert_eq!(value.as_float().unwrap().to_bits(), x.to_bits());
        assert_eq!(value.float_value().to_bits(), x.to_bits());
    }
    // Every NaN folds to one value, including NaNs whose bits look like a
    // boxed pointer, small int or special: no float can forge an object.
    let canonical = Value::float(f64::NAN);
    for bits in [
        0x7FF8_0000_0000_0000u64,
        0xFFF8_0000_0000_0000,
        0x7FF0_0000_0000_0001,
        0xFFF8_0000_DEAD_BEE8,
        0xFFF9_0000_0000_0007,
        0xFFFA_0000_0000_0000,
        0xFFFF_FFFF_FFFF_FFFF,
    ] {
        let value = Value::float(f64::from_bits(bits));
        assert_eq!(value, canonical);
        assert!(value.is_float());
        assert!(!value.is_obj());
        assert!(value.as_obj().is_none());
        assert!(value.as_float().unwrap().is_nan());
    }

    let specials = [
        Value::NONE,
        Value::FALSE,
        Value::TRUE,
        Value::NOT_IMPLEMENTED,
        Value::ELLIPSIS,
        Value::NULL,
        Value::PARK,
    ];
    for (index, special) in specials.iter().enumerate() {
        assert!(special.is_special());
        assert!(!special.is_obj() && !special.is_float() && !special.is_small_int());
        assert_eq!(special.is_bool(), index == 1 || index == 2);
        assert_eq!(special.is_none(), index == 0);
        assert_eq!(special.is_null(), index == 5);
        for other in &specials[index + 1..] {
            assert_ne!(special, other);
        }
    }
    assert_eq!(Value::bool(true), Value::TRUE);
    assert_eq!(Value::bool(false), Value::FALSE);
}

/// Tests that allocate immortal objects. Those are leaked on purpose, so
/// `./x miri` runs this module apart, with Miri's leak check off; every
/// other test runs with it on.
mod immortal {
    use super::*;

    #[test]
    fn immortal_objects_are_never_freed() {
        let class = alloc_immortal(NO_CLASS, ObjKind::Object);
        let name = alloc_immortal(class, ObjKind::Str(PyStr::new("immortal name")));
        let mut heap = LocalHeap::new();
        assert!(name.as_obj().unwrap().is_immortal());
        // Immortal objects are not on the heap list.
        assert_eq!(heap.stats().objects, 0);
        let list = heap.alloc(class, ObjKind::List(PyCell::new(vec![name, class].into())));
        assert_eq!(heap.stats().objects, 1);

        collect_rooted(&mut heap, &[list]);
        assert_eq!(heap.stats().objects, 1);
        collect_rooted(&mut heap, &[]);
        assert_eq!(heap.stats().objects, 0);
        // Marking an immortal object (as a root) neither traces nor frees it.
        collect_rooted(&mut heap, &[name, class]);
        assert_eq!(heap.stats().objects, 0);
        assert_eq!(heap.stats().collections, 3);
        let obj = name.as_obj().unwrap();
        assert!(obj.is_immortal());
        assert!(
            obj.header.has(crate::heap::MARKED),
            "immortal objects stay marked"
        );
        assert_eq!(obj.class(), class);
        assert_eq!(text(name), "immortal name");
        assert!(class.as_obj().unwrap().is_immortal());
        assert!(class.as_obj().unwrap().header.has(crate::heap::MARKED));
    }

    #[test]
    fn immortal_values_round_trip_and_stay_in_weak_lists() {
        let immortal = alloc_immortal(NO_CLASS, ObjKind::Tuple(Box::new([int(1), Value::NONE])));
        let pointer = immortal.obj_ptr().expect("a heap object");
        assert!(immortal.is_obj() && !immortal.is_float() && !immortal.is_small_int());
        assert_eq!(Value::from_obj(pointer), immortal);
        assert!(std::ptr::eq(immortal.as_obj().unwrap(), pointer));
        assert_eq!(tuple_items(immortal), vec![int(1), Value::NONE]);

        let mut heap = LocalHeap::new();
        let mortal = new_tuple(&mut heap, &[immortal]);
        let mut weak = vec![mortal, immortal];
        heap.collect_pruning_weak(|_| {}, &mut weak);
        assert_eq!(weak, vec![immortal]);
        assert_eq!(heap.stats().objects, 0);
        assert_eq!(tuple_items(immortal), vec![int(1), Value::NONE]);
    }
}

#[test]
#[cfg(target_pointer_width = "64")]
fn objects_stay_within_their_slot_size() {
    // Every object takes one slab slot of this size: a payload that grows
    // (a flag added to a table, say) costs every object memory and speed.
    assert!(
        std::mem::size_of::<Obj>() <= 104,
        "{}",
        std::mem::size_of::<Obj>()
    );
    assert!(std::mem::size_of::<crate::objects::DictTable>() <= 64);
    // A lock's waiter queue is made by its first waiter: an uncontended
    // lock (most are) is two words.
    assert!(std::mem::size_of::<crate::objects::lock::LockState>() <= 16);
}
