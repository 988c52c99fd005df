//! `type`: class objects, their method resolution order and layout.
//!
//! A class's namespace is an ordinary dict object kept in the type
//! object's header dict slot. `mro` is computed once at class creation by
//! C3 linearisation (and recomputed if `__bases__` changes). `layout` names
//! the built-in payload that instances carry, inherited from the one
//! built-in base that has a payload (the "solid base").

use crate::objects::PyCell;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::objects::seqcell::SeqCell;

use crate::heap::gc::Marker;
use crate::value::Value;

/// The built-in payload instances of a class carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    Object,
    Int,
    Float,
    Complex,
    Str,
    Bytes,
    ByteArray,
    Tuple,
    List,
    Dict,
    Set,
    FrozenSet,
    Exception,
    Type,
    /// Built-in types that cannot be subclassed (functions, iterators...).
    Final,
}

pub struct TypeObj {
    pub name: String,
    pub qualname: PyCell<String>,
    pub bases: PyCell<Vec<Value>>,
    pub mro: PyCell<Vec<Value>>,
    pub layout: Layout,
    /// Built-in types are immutable: their attributes cannot be set.
    pub builtin: bool,
    /// A class whose `__slots__` leave its instances without a `__dict__`
    /// (their slot values live in the header dict, reached only through
    /// member descriptors).
    pub dictless: bool,
    /// The class or a base declares `__slots__` members: instances keep
    /// slot values in the header dict, and their `__dict__` (unless
    /// `dictless`) is a separate dict stored there under `"__dict__"`.
    pub slotted: bool,
    /// Which attribute hooks (`HOOK_*`) the class has, tagged with the
    /// type-dict epoch they were computed in (see `hooks`).
    pub hook_cache: AtomicU64,
    /// Recent attribute lookups through the MRO by interned name (see
    /// `cached_lookup`).
    pub lookup_cache: LookupCache,
}

/// Entries of a class's lookup cache (a power of two).
const LOOKUP_CACHE_SIZE: usize = 16;

/// A direct-mapped cache of MRO lookups: interned name → the attribute
/// found (`NULL` for none), valid in the type-dict epoch it was made in.
/// Each entry is (epoch, name, found) in a `SeqCell`: every thread reads
/// and refills the caches of shared classes.
pub struct LookupCache([SeqCell<3>; LOOKUP_CACHE_SIZE]);

impl Default for LookupCache {
    fn default() -> Self {
        LookupCache(std::array::from_fn(|_| {
            SeqCell::new([0, Value::NULL.bits(), Value::NULL.bits()])
        }))
    }
}

/// A Python-level `__getattribute__` overrides attribute lookup.
pub const HOOK_GETATTRIBUTE: u8 = 1;
/// `__getattr__` is defined (called when lookup fails).
pub const HOOK_GETATTR: u8 = 2;
/// A Python-level `__setattr__` overrides attribute assignment.
pub const HOOK_SETATTR: u8 = 4;

/// Bumped by every change to any class's attributes: cached per-class
/// facts computed in an older epoch are stale.
static TYPE_EPOCH: AtomicU64 = AtomicU64::new(1);

/// Records that some class's attributes (or bases) changed.
pub fn type_attributes_changed() {
    TYPE_EPOCH.fetch_add(1, Ordering::Relaxed);
}

impl TypeObj {
    /// The class's `HOOK_*` bits if computed since the last change to any
    /// class; else computes them with `compute` and caches them.
    #[inline]
    pub fn hooks(&self, compute: impl FnOnce() -> u8) -> u8 {
        let epoch = TYPE_EPOCH.load(Ordering::Relaxed);
        let cached = self.hook_cache.load(Ordering::Relaxed);
        if cached >> 8 == epoch {
            return cached as u8;
        }
        let bits = compute();
        self.hook_cache
            .store(epoch << 8 | bits as u64, Ordering::Relaxed);
        bits
    }

    pub fn trace(&self, marker: &mut Marker) {
        marker.mark_all(&self.bases.borrow());
        marker.mark_all(&self.mro.borrow());
        for entry in &self.lookup_cache.0 {
            // The collector runs with every thread stopped: no refill races.
            if let Some([_, _, found]) = entry.read() {
                marker.mark(Value::from_bits(found));
            }
        }
    }

    /// The MRO lookup of `name` (an immortal, interned str with hash
    /// `name_hash`) through the cache; `lookup` walks the MRO on a miss.
    /// Valid while no class changes (`type_attributes_changed`).
    #[inline]
    pub fn cached_lookup(
        &self,
        name: Value,
        name_hash: i64,
        lookup: impl FnOnce() -> Option<Value>,
    ) -> Option<Value> {
        let epoch = TYPE_EPOCH.load(Ordering::Relaxed);
        let slot = &self.lookup_cache.0[name_hash as usize & (LOOKUP_CACHE_SIZE - 1)];
        if let Some([entry_epoch, entry_name, entry_found]) = slot.read() {
            if entry_epoch == epoch && entry_name == name.bits() {
                let found = Value::from_bits(entry_found);
                return (!found.is_null()).then_some(found);
            }
        }
        let found = lookup();
        slot.write([epoch, name.bits(), found.unwrap_or(Value::NULL).bits()]);
        found
    }
}

/// C3 linearisation of a class with the given bases' MROs. When no
/// consistent order exists (CPython: "Cannot create a consistent method
/// resolution order (MRO)") the error holds the distinct heads of the
/// sequences left to merge, which the message names.
pub fn c3_merge(
    class: Value,
    bases: &[Value],
    base_mros: Vec<Vec<Value>>,
) -> Result<Vec<Value>, Vec<Value>> {
    let mut result = vec![class];
    let mut sequences: Vec<Vec<Value>> = base_mros;
    sequences.push(bases.to_vec());
    loop {
        sequences.retain(|sequence| !sequence.is_empty());
        if sequences.is_empty() {
            return Ok(result);
        }
        let candidate = sequences.iter().map(|sequence| sequence[0]).find(|head| {
            !sequences
                .iter()
                .any(|sequence| sequence[1..].contains(head))
        });
        let Some(candidate) = candidate else {
            let mut heads: Vec<Value> = Vec::new();
            for sequence in &sequences {
                if !heads.contains(&sequence[0]) {
                    heads.push(sequence[0]);
                }
            }
            return Err(heads);
        };
        result.push(candidate);
        for sequence in sequences.iter_mut() {
            if sequence[0] == candidate {
                sequence.remove(0);
            }
        }
    }
}
