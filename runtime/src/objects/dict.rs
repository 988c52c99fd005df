//! `dict` (and the table under `set`): an insertion-ordered hash table.
//!
//! Representation: `entries` keeps (hash, key, value) in insertion order
//! (a deleted entry keeps its slot with a `NULL` key until the next
//! resize); `indices` is an open-addressing table of positions into
//! `entries`, probed linearly.
//!
//! Main invariant: keys compare by `==` after the hash, never by hash
//! alone. This file only knows the *fast* equalities (identity and the
//! built-in types whose `==` cannot run Python code, decided by the
//! caller's `fast_eq`); when a candidate needs a Python `__eq__`, the probe
//! returns it to the caller, which compares outside any borrow of the
//! table and retries if the table changed meanwhile (`version`).

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use crate::heap::gc::Marker;
use crate::value::{AtomicValue, Value};

const EMPTY: u32 = u32::MAX;
const DELETED: u32 = u32::MAX - 1;

/// One (hash, key, value) slot. The value is an atomic word: a shared
/// table's value is replaced in place, with no write section, while other
/// threads read it (`DictTable::replace_value`).
#[derive(Clone)]
pub struct Entry {
    pub hash: i64,
    pub key: Value,
    value: AtomicValue,
}

impl Entry {
    pub fn new(hash: i64, key: Value, value: Value) -> Entry {
        Entry {
            hash,
            key,
            value: AtomicValue::new(value),
        }
    }

    #[inline(always)]
    pub fn value(&self) -> Value {
        self.value.load_published()
    }
}

#[derive(Default)]
pub struct DictTable {
    entries: Vec<Entry>,
    indices: Vec<u32>,
    /// Live entries.
    used: usize,
    /// Low 63 bits: the version, bumped by every insertion or removal.
    /// Top bit: whether the owning object is shared, so that every key
    /// and value stored from then on is shared first (the write barrier,
    /// `heap/share.rs`); kept here to leave the table at 64 bytes, and in
    /// an atomic (plain loads and stores) so the sharing walk can set it under a read borrow.
    version_and_shared: AtomicU64,
}

const SHARED_BIT: u64 = 1 << 63;

impl Clone for DictTable {
    /// A copy belongs to a new, local object.
    fn clone(&self) -> DictTable {
        DictTable {
            entries: self.entries.clone(),
            indices: self.indices.clone(),
            used: self.used,
            version_and_shared: AtomicU64::new(self.version()),
        }
    }
}

/// What a probe found.
pub enum Probe {
    /// The entry index of an equal key.
    Found(usize),
    Absent,
    /// Entries with an equal hash whose keys need a Python `__eq__`.
    NeedsEq(Vec<(usize, Value)>),
}

impl DictTable {
    pub fn new() -> DictTable {
        DictTable::default()
    }

    pub fn with_capacity(capacity: usize) -> DictTable {
        let mut table = DictTable {
            entries: Vec::with_capacity(capacity),
            ..DictTable::default()
        };
        if capacity > 0 {
            table.indices = vec![EMPTY; (capacity * 3 / 2).next_power_of_two().max(8)];
        }
        table
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.used
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.used == 0
    }

    #[inline]
    pub fn version(&self) -> u64 {
        self.version_and_shared.load(Relaxed) & !SHARED_BIT
    }

    /// Slots in `entries`, live or deleted (the bound for iteration by index).
    #[inline]
    pub fn entry_slots(&self) -> usize {
        self.entries.len()
    }

    /// The live entry at slot `index`, if any.
    #[inline]
    pub fn entry(&self, index: usize) -> Option<&Entry> {
        self.entries.get(index).filter(|entry| !entry.key.is_null())
    }

    pub fn live_entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|entry| !entry.key.is_null())
    }

    pub fn keys(&self) -> Vec<Value> {
        self.live_entries().map(|entry| entry.key).collect()
    }

    pub fn values(&self) -> Vec<Value> {
        self.live_entries().map(|entry| entry.value()).collect()
    }

    pub fn items(&self) -> Vec<(Value, Value)> {
        self.live_entries()
            .map(|entry| (entry.key, entry.value()))
            .collect()
    }

    /// Looks for `hash` among the keys. `fast_eq(candidate)` answers
    /// `Some(equal)` when equality is decidable without Python code.
    pub fn probe(&self, hash: i64, mut fast_eq: impl FnMut(Value) -> Option<bool>) -> Probe {
        if self.indices.is_empty() {
            return Probe::Absent;
        }
        let mask = self.indices.len() - 1;
        let mut slot = (hash as u64 as usize) & mask;
        let mut slow = Vec::new();
        loop {
            match self.indices[slot] {
                EMPTY => break,
                DELETED => {}
                index => {
                    let entry = &self.entries[index as usize];
                    if entry.hash == hash {
                        match fast_eq(entry.key) {
                            Some(true) => return Probe::Found(index as usize),
                            Some(false) => {}
                            None => slow.push((index as usize, entry.key)),
                        }
                    }
                }
            }
            slot = (slot + 1) & mask;
        }
        if slow.is_empty() {
            Probe::Absent
        } else {
            Probe::NeedsEq(slow)
        }
    }

    /// Marks the table as belonging to a shared object (the sharing walk).
    pub fn note_shared(&self) {
        self.version_and_shared.fetch_or(SHARED_BIT, Relaxed);
    }

    #[inline(always)]
    fn is_shared(&self) -> bool {
        self.version_and_shared.load(Relaxed) & SHARED_BIT != 0
    }

    #[inline(always)]
    fn bump_version(&mut self) {
        // 2^63 changes never happen, so the count cannot reach the flag.
        let word = self.version_and_shared.get_mut();
        *word += 1;
    }

    /// Appends a key known to be absent.
    pub fn insert_new(&mut self, hash: i64, key: Value, value: Value) {
        if self.is_shared() {
            crate::heap::share::share_all(&[key, value]);
        }
        if (self.entries.len() + 1) * 3 >= self.indices.len() * 2 {
            self.grow();
        }
        let index = self.entries.len() as u32;
        self.entries.push(Entry::new(hash, key, value));
        self.place(hash, index);
        self.used += 1;
        self.bump_version();
    }

    pub fn set_value(&mut self, index: usize, value: Value) {
        if self.is_shared() {
            crate::heap::share::share(value);
        }
        self.entries[index].value.set(value);
    }

    /// Replaces the value at live slot `index` of a *shared* table through
    /// a shared borrow: one atomic store (Release), so readers on other
    /// workers see the old value or the new one, never stop, and see the
    /// new object's contents. Sound without a write section because
    /// nothing else moves: structural changes (insertions, removals,
    /// growth) happen only in write sections, which stop this thread at a
    /// safepoint, and the caller found `index` under this same borrow with
    /// no safepoint since. Shares `value` first (the barrier).
    pub fn replace_value(&self, index: usize, value: Value) {
        crate::heap::share::share(value);
        self.entries[index].value.publish(value);
    }

    /// Removes the live entry at `index`, returning it.
    pub fn remove_at(&mut self, index: usize) -> Entry {
        let entry = self.entries[index].clone();
        let mask = self.indices.len() - 1;
        let mut slot = (entry.hash as u64 as usize) & mask;
        while self.indices[slot] != index as u32 {
            slot = (slot + 1) & mask;
        }
        self.indices[slot] = DELETED;
        self.entries[index].key = Value::NULL;
        self.entries[index].value.set(Value::NULL);
        self.used -= 1;
        self.bump_version();
        entry
    }

    /// Removes and returns the last inserted entry (`dict.popitem`).
    pub fn pop_last(&mut self) -> Option<Entry> {
        let index = self
            .entries
            .iter()
            .rposition(|entry| !entry.key.is_null())?;
        let entry = self.remove_at(index);
        self.entries.truncate(index);
        Some(entry)
    }

    pub fn clear(&mut self) {
        self.entries.clear();
        self.indices.clear();
        self.used = 0;
        self.bump_version();
    }

    fn place(&mut self, hash: i64, index: u32) {
        let mask = self.indices.len() - 1;
        let mut slot = (hash as u64 as usize) & mask;
        while self.indices[slot] != EMPTY {
            slot = (slot + 1) & mask;
        }
        self.indices[slot] = index;
    }

    fn grow(&mut self) {
        self.entries.retain(|entry| !entry.key.is_null());
        let capacity = ((self.entries.len() + 1) * 3).next_power_of_two().max(8);
        self.indices = vec![EMPTY; capacity];
        for index in 0..self.entries.len() {
            let hash = self.entries[index].hash;
            self.place(hash, index as u32);
        }
    }

    pub fn trace(&self, marker: &mut Marker) {
        for entry in &self.entries {
            marker.mark(entry.key);
            marker.mark(entry.value.get());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(n: i64) -> Value {
        Value::small_int(n).unwrap()
    }

    fn find(table: &DictTable, n: i64, hash: i64) -> Option<usize> {
        match table.probe(hash, |key| Some(key == int(n))) {
            Probe::Found(index) => Some(index),
            _ => None,
        }
    }

    #[test]
    fn equal_hashes_do_not_make_equal_keys() {
        let mut table = DictTable::new();
        for n in 0..100 {
            table.insert_new(7, int(n), int(n * 10));
        }
        assert_eq!(table.len(), 100);
        for n in 0..100 {
            let index = find(&table, n, 7).unwrap();
            assert_eq!(table.entry(index).unwrap().value(), int(n * 10));
        }
        assert!(find(&table, 100, 7).is_none());
    }

    #[test]
    fn removal_keeps_order_and_probing() {
        let mut table = DictTable::new();
        for n in 0..50 {
            table.insert_new(n % 5, int(n), Value::NONE);
        }
        for n in (0..50).step_by(2) {
            let index = find(&table, n, n % 5).unwrap();
            table.remove_at(index);
        }
        assert_eq!(table.len(), 25);
        let keys: Vec<i64> = table
            .keys()
            .iter()
            .map(|key| key.as_small_int().unwrap())
            .collect();
        assert_eq!(keys, (1..50).step_by(2).collect::<Vec<_>>());
        for n in 50..200 {
            table.insert_new(n % 5, int(n), Value::NONE);
        }
        assert!(find(&table, 199, 4).is_some());
        assert!(find(&table, 2, 2).is_none());
    }

    #[test]
    fn needs_eq_reports_undecidable_candidates() {
        let mut table = DictTable::new();
        table.insert_new(1, int(1), Value::NONE);
        assert!(matches!(table.probe(1, |_| None), Probe::NeedsEq(ref c) if c.len() == 1));
    }
}
