//! `SharedMap`, the persistent insertion-ordered hash map behind a `dict`
//! that several threads can reach: readers never wait and never write
//! shared memory, writers publish whole new versions with a
//! compare-and-swap, and keys compare by `==` after the hash, never by hash
//! alone (DESIGN.md, "Memory model").
//!
//! A `Version` is immutable once published. It mirrors the local
//! `objects::dict::DictTable`: `slots` keeps the entries in insertion
//! order, a removed entry leaving a tombstone (`None`) in its slot, and
//! `index` finds a hash's slots. Both are persistent tries of `Arc` nodes
//! shared between versions:
//!
//! ```text
//!  current ──> Version { len: live entries, tombstones,
//!                slots: 32-way trie by slot position (leaves of 32 slots;
//!                       every leaf full but the last, which is never a
//!                       tombstone)  [e0 e1 ∅ e3 .. e31] [e32 ∅ e34]
//!                index: HAMT on the hash's bits, 5 per level from the low
//!                       end; a node is a 32-bit bitmap + its children:
//!                         One  { hash, slot }        one entry
//!                         Same { hash, [slot, ..] }  equal hashes, distinct keys
//!                         Branch(node)               the next 5 bits }
//!
//!  writer: load current (v1) ─ find the key: index → slots → key == key
//!          (same bits) or eq(stored, key) ─ clone v1 (two Arc clones), copy
//!          only the paths it changes ─ CAS current v1 -> v2
//!            ok:   retire v1
//!            fail: drop v2, redo it all on the newer version (so the eq
//!                  callbacks run again)
//! ```
//!
//! Replacing a value keeps the entry's slot and original key (as Python
//! does); a new key appends a slot; removing one leaves a tombstone, trims
//! tombstones off the end, and rebuilds the version without tombstones
//! once they are more than half of the slots. Each operation is O(log n)
//! (amortised, for the rebuilds) plus the equality calls for the entries
//! with an equal hash. The HAMT was chosen over an open-addressing index
//! because it never needs a rehash (a rehash would copy the whole index
//! inside a write that may have to retry), and it is canonical: a branch
//! left with one leaf collapses into its parent.
//!
//! Reclamation and memory ordering are those of `vector.rs` (see its
//! module doc): a replaced version goes to the `RetireList` and is freed
//! only at a quiescent point (in the engine, inside a stop-the-world
//! rendezvous) by `RetireList::reclaim`, so readers need no reference
//! counting and the pointer a writer compares against is never freed and
//! reused under it (no ABA); the version pointer is loaded with Acquire and
//! replaced with an AcqRel compare-and-swap, whose Release half publishes
//! the new version's nodes before its address.
//!
//! The equality callback runs while its caller reads a version (a
//! snapshot, or the version a write is built from). If it can reach a
//! safepoint (a Python `__eq__`), that worker is not between operations,
//! so a stop there must not reclaim: the engine has to skip or defer the
//! reclaim while any stopped worker is inside a map operation.

use std::convert::Infallible;
use std::sync::Arc;

use super::published::Published;
use super::retire::RetireList;

const BITS: u32 = 5;
const WIDTH: usize = 1 << BITS;
const MASK: usize = WIDTH - 1;

/// One entry: the key's hash (computed by the caller), the key, the value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry<K, V> {
    pub hash: i64,
    pub key: K,
    pub value: V,
}

/// An entry's place in insertion order; `None` is a removed entry's
/// tombstone.
type Slot<K, V> = Option<Entry<K, V>>;

/// The caller's key equality, `eq(stored_key, key)`, asked only about
/// keys with equal hashes and different bits (same bits mean equal, like
/// CPython's identity check). In the engine it may run a Python `__eq__`
/// (see the module doc on safepoints); a write that loses a race asks it
/// again on the newer version.
pub type KeyEq<'a, K> = dyn FnMut(K, K) -> bool + 'a;

// ---------------------------------------------------------------------
// Slots: a persistent vector of slots (the trie of vector.rs, without its
// tail: the last leaf may be partly filled).

enum SlotNode<K, V> {
    /// Children, left-packed: every child but the last is full.
    Branch(Vec<Arc<SlotNode<K, V>>>),
    /// `WIDTH` slots, or fewer in the trie's last leaf.
    Leaf(Vec<Slot<K, V>>),
}

impl<K: Copy, V: Copy> Clone for SlotNode<K, V> {
    /// Path copying: the copy gets room for a full node, since the
    /// rightmost path (the one appends copy) is the one that grows.
    fn clone(&self) -> Self {
        match self {
            SlotNode::Branch(children) => {
                let mut copy = Vec::with_capacity(WIDTH);
                copy.extend(children.iter().cloned());
                SlotNode::Branch(copy)
            }
            SlotNode::Leaf(slots) => {
                let mut copy = Vec::with_capacity(WIDTH);
                copy.extend_from_slice(slots);
                SlotNode::Leaf(copy)
            }
        }
    }
}

struct Slots<K, V> {
    len: usize,
    /// Bit shift of the root's level: leaves sit `shift / BITS` levels down.
    shift: u32,
    /// Always a `Branch`.
    root: Arc<SlotNode<K, V>>,
}

impl<K, V> Clone for Slots<K, V> {
    fn clone(&self) -> Self {
        Slots {
            len: self.len,
            shift: self.shift,
            root: Arc::clone(&self.root),
        }
    }
}

// The edits below run on an unpublished version only. `Arc::make_mut`
// copies a node still shared with another version (path copying) and
// edits in place a node this version made itself.
impl<K: Copy, V: Copy> Slots<K, V> {
    fn new() -> Slots<K, V> {
        Slots {
            len: 0,
            shift: BITS,
            root: Arc::new(SlotNode::Branch(Vec::new())),
        }
    }

    /// The leaf holding slot `position` (`position < len`).
    fn leaf_for(&self, position: usize) -> &[Slot<K, V>] {
        let mut node = &*self.root;
        let mut level = self.shift;
        loop {
            match node {
                SlotNode::Branch(children) => node = &children[(position >> level) & MASK],
                SlotNode::Leaf(slots) => return slots,
            }
            level -= BITS;
        }
    }

    fn get(&self, position: usize) -> Slot<K, V> {
        if position < self.len {
            self.leaf_for(position)[position & MASK]
        } else {
            None
        }
    }

    fn last(&self) -> Slot<K, V> {
        self.len.checked_sub(1).and_then(|last| self.get(last))
    }

    fn iter(&self) -> impl Iterator<Item = Slot<K, V>> + '_ {
        (0..self.len)
            .step_by(WIDTH)
            .flat_map(|start| self.leaf_for(start).iter().copied())
    }

    fn push(&mut self, slot: Slot<K, V>) {
        if self.len == 1 << (self.shift + BITS) {
            // The trie is full: grow a level on top.
            let sibling = new_path(self.shift, slot);
            self.root = Arc::new(SlotNode::Branch(vec![Arc::clone(&self.root), sibling]));
            self.shift += BITS;
        } else {
            push_slot(Arc::make_mut(&mut self.root), self.shift, self.len, slot);
        }
        self.len += 1;
    }

    /// Removes the last slot (`len > 0`).
    fn pop(&mut self) {
        self.len -= 1;
        pop_slot(Arc::make_mut(&mut self.root), self.shift, self.len);
        while self.shift > BITS {
            let SlotNode::Branch(children) = &*self.root else {
                unreachable!("the root is a branch")
            };
            if children.len() != 1 {
                break;
            }
            self.root = Arc::clone(&children[0]);
            self.shift -= BITS;
        }
    }

    /// Replaces slot `position` (`position < len`).
    fn set(&mut self, position: usize, slot: Slot<K, V>) {
        let mut node = Arc::make_mut(&mut self.root);
        let mut level = self.shift;
        loop {
            match node {
                SlotNode::Branch(children) => {
                    node = Arc::make_mut(&mut children[(position >> level) & MASK]);
                    level -= BITS;
                }
                SlotNode::Leaf(slots) => {
                    slots[position & MASK] = slot;
                    return;
                }
            }
        }
    }
}

/// A chain of single-child branches from `level` down to a leaf holding
/// only `slot`.
fn new_path<K: Copy, V: Copy>(level: u32, slot: Slot<K, V>) -> Arc<SlotNode<K, V>> {
    if level == 0 {
        let mut slots = Vec::with_capacity(WIDTH);
        slots.push(slot);
        Arc::new(SlotNode::Leaf(slots))
    } else {
        Arc::new(SlotNode::Branch(vec![new_path(level - BITS, slot)]))
    }
}

/// Appends `slot` as slot `position` (the current length) under `node`.
fn push_slot<K: Copy, V: Copy>(
    node: &mut SlotNode<K, V>,
    level: u32,
    position: usize,
    slot: Slot<K, V>,
) {
    match node {
        SlotNode::Branch(children) => {
            let child = (position >> level) & MASK;
            if child < children.len() {
                let next = Arc::make_mut(&mut children[child]);
                push_slot(next, level - BITS, position, slot);
            } else {
                children.push(new_path(level - BITS, slot));
            }
        }
        SlotNode::Leaf(slots) => slots.push(slot),
    }
}

/// Removes slot `last` (the trie's last) under `node`; returns whether
/// `node` is left empty.
fn pop_slot<K: Copy, V: Copy>(node: &mut SlotNode<K, V>, level: u32, last: usize) -> bool {
    match node {
        SlotNode::Branch(children) => {
            let child = (last >> level) & MASK;
            if pop_slot(Arc::make_mut(&mut children[child]), level - BITS, last) {
                children.pop();
            }
            children.is_empty()
        }
        SlotNode::Leaf(slots) => {
            slots.pop();
            slots.is_empty()
        }
    }
}

// ---------------------------------------------------------------------
// Index: a hash array mapped trie from a hash to the slots of the entries
// with that hash.

#[derive(Clone)]
enum Child {
    One {
        hash: i64,
        slot: u32,
    },
    /// Two or more entries whose hashes are all equal (their keys differ).
    Same(Arc<SameHash>),
    /// The node for the next `BITS` bits of the hash.
    Branch(Arc<IndexNode>),
}

#[derive(Clone)]
struct SameHash {
    hash: i64,
    slots: Vec<u32>,
}

/// Invariant: `children` holds one child per set bit of `bitmap`, in bit
/// order; a node other than the root has two children or more, or one
/// `Branch` (a lone leaf moves up into the parent).
#[derive(Clone, Default)]
struct IndexNode {
    bitmap: u32,
    children: Vec<Child>,
}

/// The bitmap bit that `hash` takes at the level of bit shift `shift`.
/// Two different hashes differ in some bit below 64, so they part by
/// shift 60 (whose group has 4 bits).
fn bit_of(hash: i64, shift: u32) -> u32 {
    1 << ((hash as u64 >> shift) as usize & MASK)
}

/// Where the child for `bit` is (or goes) in `children`.
fn child_at(bitmap: u32, bit: u32) -> usize {
    (bitmap & (bit - 1)).count_ones() as usize
}

impl IndexNode {
    /// The slots of the entries whose hash is `hash` (maybe none).
    fn find(&self, hash: i64) -> &[u32] {
        let mut node = self;
        let mut shift = 0;
        loop {
            let bit = bit_of(hash, shift);
            if node.bitmap & bit == 0 {
                return &[];
            }
            match &node.children[child_at(node.bitmap, bit)] {
                Child::One { hash: found, slot } if *found == hash => {
                    return std::slice::from_ref(slot)
                }
                Child::Same(same) if same.hash == hash => return &same.slots,
                Child::Branch(next) => node = next,
                _ => return &[],
            }
            shift += BITS;
        }
    }

    /// Adds `slot` under `hash` (the slot of a key not yet in the index).
    fn insert(&mut self, hash: i64, slot: u32, shift: u32) {
        let bit = bit_of(hash, shift);
        let at = child_at(self.bitmap, bit);
        if self.bitmap & bit == 0 {
            self.bitmap |= bit;
            self.children.insert(at, Child::One { hash, slot });
            return;
        }
        let child = &mut self.children[at];
        match child {
            Child::Branch(next) => Arc::make_mut(next).insert(hash, slot, shift + BITS),
            Child::One {
                hash: found,
                slot: other,
            } if *found == hash => {
                let slots = vec![*other, slot];
                *child = Child::Same(Arc::new(SameHash { hash, slots }));
            }
            Child::Same(same) if same.hash == hash => Arc::make_mut(same).slots.push(slot),
            Child::One { hash: found, .. } => {
                let found = *found;
                let branch = pair(child.clone(), found, Child::One { hash, slot }, hash, shift);
                *child = Child::Branch(Arc::new(branch));
            }
            Child::Same(same) => {
                let found = same.hash;
                let branch = pair(child.clone(), found, Child::One { hash, slot }, hash, shift);
                *child = Child::Branch(Arc::new(branch));
            }
        }
    }

    /// Removes `slot` from under `hash`, where it is.
    fn remove(&mut self, hash: i64, slot: u32, shift: u32) {
        let bit = bit_of(hash, shift);
        debug_assert!(self.bitmap & bit != 0, "slot {slot} is not indexed");
        let at = child_at(self.bitmap, bit);
        let lone_leaf = match &mut self.children[at] {
            Child::One { hash: found, .. } => {
                debug_assert_eq!(*found, hash);
                self.bitmap &= !bit;
                self.children.remove(at);
                None
            }
            Child::Same(same) => {
                let same = Arc::make_mut(same);
                same.slots.retain(|&other| other != slot);
                match same.slots[..] {
                    [last] => Some(Child::One { hash, slot: last }),
                    _ => None,
                }
            }
            Child::Branch(next) => {
                let next = Arc::make_mut(next);
                next.remove(hash, slot, shift + BITS);
                match &next.children[..] {
                    [Child::Branch(_)] => None,
                    [_] => next.children.pop(),
                    _ => None,
                }
            }
        };
        if let Some(leaf) = lone_leaf {
            self.children[at] = leaf;
        }
    }
}

/// The node one level below bit shift `shift` that holds two leaves with
/// different hashes (with more levels below while their bits agree).
fn pair(first: Child, first_hash: i64, second: Child, second_hash: i64, shift: u32) -> IndexNode {
    let shift = shift + BITS;
    debug_assert!(shift < 64 && first_hash != second_hash);
    let (first_bit, second_bit) = (bit_of(first_hash, shift), bit_of(second_hash, shift));
    let children = if first_bit == second_bit {
        let below = pair(first, first_hash, second, second_hash, shift);
        vec![Child::Branch(Arc::new(below))]
    } else if first_bit < second_bit {
        vec![first, second]
    } else {
        vec![second, first]
    };
    IndexNode {
        bitmap: first_bit | second_bit,
        children,
    }
}

// ---------------------------------------------------------------------
// Versions.

/// One immutable state of the map (mutated only before it is published).
struct Version<K, V> {
    slots: Slots<K, V>,
    index: Arc<IndexNode>,
    /// Live entries: `slots.len == len + tombstones`.
    len: usize,
    /// Invariant: at most half the slots, and the last slot is live.
    tombstones: usize,
}

impl<K, V> Clone for Version<K, V> {
    /// A private copy to edit: shares every node.
    fn clone(&self) -> Self {
        Version {
            slots: self.slots.clone(),
            index: Arc::clone(&self.index),
            len: self.len,
            tombstones: self.tombstones,
        }
    }
}

impl<K: Copy + Eq, V: Copy> Version<K, V> {
    fn new() -> Version<K, V> {
        Version {
            slots: Slots::new(),
            index: Arc::default(),
            len: 0,
            tombstones: 0,
        }
    }

    /// A version holding `entries` in order; their keys must be distinct.
    fn from_entries(entries: impl IntoIterator<Item = Entry<K, V>>) -> Version<K, V> {
        let mut version = Version::new();
        entries
            .into_iter()
            .for_each(|entry| version.insert_new(entry));
        version
    }

    /// The slot and entry of the key equal to `key`: same bits, or `eq`.
    fn find(&self, hash: i64, key: K, eq: &mut KeyEq<'_, K>) -> Option<(usize, Entry<K, V>)> {
        self.index.find(hash).iter().find_map(|&slot| {
            let entry = self.slots.get(slot as usize).expect("indexed slot is live");
            (entry.key == key || eq(entry.key, key)).then_some((slot as usize, entry))
        })
    }

    fn live(&self) -> impl Iterator<Item = Entry<K, V>> + '_ {
        self.slots.iter().flatten()
    }

    /// Appends an entry whose key is known to be absent.
    fn insert_new(&mut self, entry: Entry<K, V>) {
        let slot = u32::try_from(self.slots.len).expect("a shared dict has under 2^32 slots");
        self.slots.push(Some(entry));
        Arc::make_mut(&mut self.index).insert(entry.hash, slot, 0);
        self.len += 1;
    }

    /// Removes the live entry at `slot`.
    fn remove_at(&mut self, slot: usize, hash: i64) {
        self.slots.set(slot, None);
        Arc::make_mut(&mut self.index).remove(hash, slot as u32, 0);
        self.len -= 1;
        self.tombstones += 1;
        while self.tombstones > 0 && self.slots.last().is_none() {
            self.slots.pop();
            self.tombstones -= 1;
        }
        if self.tombstones * 2 > self.slots.len {
            *self = Version::from_entries(self.live());
        }
    }
}

// ---------------------------------------------------------------------
// The map and its snapshots.

/// An insertion-ordered hash map several threads may read and write at
/// once (see the module doc). In the engine `K` and `V` are `Value`.
pub struct SharedMap<K: Copy + Eq + Send + Sync, V: Copy + Send + Sync> {
    versions: Published<Version<K, V>>,
}

/// A version pinned for reading: it stays valid, whatever writers do,
/// until the next `RetireList::reclaim` (whose caller promises that no
/// snapshot is alive), so it must not live across a safepoint in the
/// engine: a Python-level iterator keeps a slot number (`entry_slots`,
/// `entry`) instead.
pub struct Snapshot<'a, K, V> {
    version: &'a Version<K, V>,
}

impl<K: Copy + Eq + Send + Sync, V: Copy + Send + Sync> SharedMap<K, V> {
    pub fn new(retired: Arc<RetireList>) -> SharedMap<K, V> {
        SharedMap::publish_first(Version::new(), retired)
    }

    /// A map holding `entries` (hash, key, value) in order, e.g. a local
    /// dict being shared. The keys must be distinct (not checked).
    pub fn from_entries(
        entries: impl IntoIterator<Item = (i64, K, V)>,
        retired: Arc<RetireList>,
    ) -> SharedMap<K, V> {
        let entries = entries
            .into_iter()
            .map(|(hash, key, value)| Entry { hash, key, value });
        SharedMap::publish_first(Version::from_entries(entries), retired)
    }

    fn publish_first(version: Version<K, V>, retired: Arc<RetireList>) -> SharedMap<K, V> {
        SharedMap {
            versions: Published::new(version, retired),
        }
    }

    pub fn snapshot(&self) -> Snapshot<'_, K, V> {
        Snapshot {
            version: self.versions.load(),
        }
    }

    pub fn len(&self) -> usize {
        self.snapshot().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, hash: i64, key: K, eq: &mut KeyEq<'_, K>) -> Option<V> {
        self.snapshot().get(hash, key, eq)
    }

    pub fn contains(&self, hash: i64, key: K, eq: &mut KeyEq<'_, K>) -> bool {
        self.snapshot().contains(hash, key, eq)
    }

    /// The items in insertion order.
    pub fn to_vec(&self) -> Vec<(K, V)> {
        self.snapshot().items()
    }

    /// Sets `key`'s value; returns the value it replaced. A replaced entry
    /// keeps its place and its original key, as in Python.
    pub fn insert(&self, hash: i64, key: K, value: V, eq: &mut KeyEq<'_, K>) -> Option<V> {
        self.update(hash, key, eq, |_| value)
    }

    /// Sets `key`'s value to `change(its value, or None if absent)`
    /// atomically (a concurrent write in between makes it run again on the
    /// newer value); returns the value it replaced. `change` and `eq` may
    /// run more than once, so they must have no other effect that matters.
    pub fn update(
        &self,
        hash: i64,
        key: K,
        eq: &mut KeyEq<'_, K>,
        mut change: impl FnMut(Option<V>) -> V,
    ) -> Option<V> {
        let Ok(old) = self.publish(|current| {
            let mut next = current.clone();
            let old = match current.find(hash, key, eq) {
                Some((slot, entry)) => {
                    let value = change(Some(entry.value));
                    next.slots.set(slot, Some(Entry { value, ..entry }));
                    Some(entry.value)
                }
                None => {
                    let value = change(None);
                    next.insert_new(Entry { hash, key, value });
                    None
                }
            };
            Ok::<_, Infallible>((next, old))
        });
        old
    }

    /// Removes `key`; returns the stored key and its value.
    pub fn remove(&self, hash: i64, key: K, eq: &mut KeyEq<'_, K>) -> Option<(K, V)> {
        self.publish(|current| {
            let (slot, entry) = current.find(hash, key, eq).ok_or(())?;
            let mut next = current.clone();
            next.remove_at(slot, hash);
            Ok::<_, ()>((next, (entry.key, entry.value)))
        })
        .ok()
    }

    /// Removes and returns the last inserted entry (`dict.popitem`).
    pub fn pop_last(&self) -> Option<(K, V)> {
        self.publish(|current| {
            let slot = current.slots.len.checked_sub(1).ok_or(())?;
            let entry = current.slots.get(slot).expect("the last slot is live");
            let mut next = current.clone();
            next.remove_at(slot, entry.hash);
            Ok::<_, ()>((next, (entry.key, entry.value)))
        })
        .ok()
    }

    pub fn clear(&self) {
        // An empty map stays as it is (no new version).
        let _ = self.publish(|current| match current.len {
            0 => Err(()),
            _ => Ok((Version::new(), ())),
        });
    }

    /// The compare-and-swap loop every write goes through: `build` makes
    /// the next version from the current one (or refuses, and nothing is
    /// published); on a lost race it runs again on the newer version.
    fn publish<R, E>(
        &self,
        build: impl FnMut(&Version<K, V>) -> Result<(Version<K, V>, R), E>,
    ) -> Result<R, E> {
        self.versions.publish(build)
    }
}

impl<'a, K: Copy + Eq, V: Copy> Snapshot<'a, K, V> {
    pub fn len(&self) -> usize {
        self.version.len
    }

    pub fn is_empty(&self) -> bool {
        self.version.len == 0
    }

    pub fn get(&self, hash: i64, key: K, eq: &mut KeyEq<'_, K>) -> Option<V> {
        Some(self.version.find(hash, key, eq)?.1.value)
    }

    pub fn contains(&self, hash: i64, key: K, eq: &mut KeyEq<'_, K>) -> bool {
        self.version.find(hash, key, eq).is_some()
    }

    /// The live entries, with their hashes, in insertion order.
    pub fn entries(&self) -> impl Iterator<Item = Entry<K, V>> + 'a {
        self.version.live()
    }

    /// The items in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (K, V)> + 'a {
        self.entries().map(|entry| (entry.key, entry.value))
    }

    pub fn items(&self) -> Vec<(K, V)> {
        let mut items = Vec::with_capacity(self.len());
        items.extend(self.iter());
        items
    }

    pub fn keys(&self) -> Vec<K> {
        self.entries().map(|entry| entry.key).collect()
    }

    pub fn values(&self) -> Vec<V> {
        self.entries().map(|entry| entry.value).collect()
    }

    /// Slots, live or tombstones: the bound for iterating by slot number.
    pub fn entry_slots(&self) -> usize {
        self.version.slots.len
    }

    /// The live entry at slot `slot`, if any.
    pub fn entry(&self, slot: usize) -> Option<Entry<K, V>> {
        self.version.slots.get(slot)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Map = SharedMap<u64, u64>;

    fn new_map() -> (Map, Arc<RetireList>) {
        let retired = Arc::new(RetireList::new());
        (SharedMap::new(Arc::clone(&retired)), retired)
    }

    fn same_bits(a: u64, b: u64) -> bool {
        a == b
    }

    /// A deterministic pseudo-random sequence (xorshift64*).
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, bound: u64) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 32) % bound
        }
    }

    /// Checks every invariant of the current version: slot counts, the
    /// slot trie's shape, and that the index holds exactly the live slots,
    /// each under its entry's hash, on its hash's path, in canonical form.
    fn check_invariants<K: Copy + Eq + Send + Sync, V: Copy + Send + Sync>(map: &SharedMap<K, V>) {
        fn count_slots<K, V>(node: &SlotNode<K, V>, level: u32) -> usize {
            match node {
                SlotNode::Leaf(slots) => {
                    assert!(level == 0 && !slots.is_empty() && slots.len() <= WIDTH);
                    slots.len()
                }
                SlotNode::Branch(children) => {
                    assert!(level > 0 && children.len() <= WIDTH);
                    let sizes: Vec<usize> = children
                        .iter()
                        .map(|child| count_slots(child, level - BITS))
                        .collect();
                    assert!(sizes.iter().rev().skip(1).all(|&size| size == 1 << level));
                    sizes.iter().sum()
                }
            }
        }
        fn indexed(node: &IndexNode, shift: u32, prefix: u64, found: &mut Vec<(u32, i64)>) {
            assert_eq!(node.bitmap.count_ones() as usize, node.children.len());
            let bits = (0..WIDTH as u32).filter(|bit| node.bitmap & 1 << bit != 0);
            for (bit, child) in bits.zip(&node.children) {
                let on_path = |hash: i64| {
                    let low_bits = (hash as u64) & ((1u64 << shift) - 1);
                    assert_eq!((bit_of(hash, shift), low_bits), (1 << bit, prefix));
                };
                match child {
                    Child::One { hash, slot } => {
                        on_path(*hash);
                        found.push((*slot, *hash));
                    }
                    Child::Same(same) => {
                        on_path(same.hash);
                        assert!(same.slots.len() >= 2);
                        found.extend(same.slots.iter().map(|&slot| (slot, same.hash)));
                    }
                    Child::Branch(next) => {
                        let lone_leaf = matches!(next.children[..], [Child::One { .. }])
                            || matches!(next.children[..], [Child::Same(_)]);
                        assert!(!next.children.is_empty() && !lone_leaf);
                        indexed(next, shift + BITS, prefix | (bit as u64) << shift, found);
                    }
                }
            }
        }
        let snapshot = map.snapshot();
        let version = snapshot.version;
        let slots = &version.slots;
        assert_eq!(count_slots(&slots.root, slots.shift), slots.len);
        if slots.shift > BITS {
            assert!(slots.len > 1 << slots.shift, "trie taller than needed");
        }
        assert_eq!(slots.len, version.len + version.tombstones);
        assert!(version.tombstones * 2 <= slots.len);
        assert!(slots.len == 0 || slots.last().is_some());
        let mut live: Vec<(u32, i64)> = (0..slots.len)
            .filter_map(|slot| Some((slot as u32, slots.get(slot)?.hash)))
            .collect();
        assert_eq!(live.len(), version.len);
        assert_eq!(snapshot.entries().count(), version.len);
        let mut found = Vec::new();
        indexed(&version.index, 0, 0, &mut found);
        found.sort_unstable();
        live.sort_unstable();
        assert_eq!(found, live);
    }

    /// A Python dict's behaviour on (key, value) pairs, by linear search.
    #[derive(Default)]
    struct Model(Vec<(u64, u64)>);

    impl Model {
        fn position(&self, key: u64) -> Option<usize> {
            self.0.iter().position(|&(stored, _)| stored == key)
        }

        fn get(&self, key: u64) -> Option<u64> {
            Some(self.0[self.position(key)?].1)
        }

        fn insert(&mut self, key: u64, value: u64) -> Option<u64> {
            match self.position(key) {
                Some(at) => Some(std::mem::replace(&mut self.0[at].1, value)),
                None => {
                    self.0.push((key, value));
                    None
                }
            }
        }

        fn remove(&mut self, key: u64) -> Option<(u64, u64)> {
            Some(self.0.remove(self.position(key)?))
        }
    }

    /// Runs `operations` random operations on a map and on the model, with
    /// keys below `keys`, hashed by `hash`; they must agree throughout.
    /// Returns the most slots the map had at a check.
    fn agree_with_model(hash: fn(u64) -> i64, keys: u64, operations: usize, seed: u64) -> usize {
        let (map, retired) = new_map();
        let mut most_slots = 0;
        let mut model = Model::default();
        let mut rng = Rng(seed);
        let eq = &mut same_bits;
        for step in 0..operations {
            let key = rng.below(keys);
            let value = rng.below(1 << 40);
            match rng.below(100) {
                0..=44 => assert_eq!(
                    map.insert(hash(key), key, value, eq),
                    model.insert(key, value)
                ),
                45..=69 => assert_eq!(map.remove(hash(key), key, eq), model.remove(key)),
                70..=79 => {
                    let old = map.update(hash(key), key, eq, |old| old.map_or(value, |v| v + 1));
                    assert_eq!(old, model.get(key));
                    model.insert(key, old.map_or(value, |v| v + 1));
                }
                80..=93 => {
                    assert_eq!(map.get(hash(key), key, eq), model.get(key));
                    assert_eq!(map.contains(hash(key), key, eq), model.get(key).is_some());
                }
                94..=98 => assert_eq!(map.pop_last(), model.0.pop()),
                _ if rng.below(20) == 0 => {
                    map.clear();
                    model.0.clear();
                }
                _ => {}
            }
            assert_eq!(map.len(), model.0.len());
            if step % 61 == 0 || step + 1 == operations {
                check_invariants(&map);
                assert_eq!(map.to_vec(), model.0, "after step {step}");
                most_slots = most_slots.max(map.snapshot().entry_slots());
            }
            if step % 1000 == 999 {
                // SAFETY: single-threaded; no snapshot is alive.
                unsafe { retired.reclaim() };
            }
        }
        let snapshot = map.snapshot();
        let keys: Vec<u64> = model.0.iter().map(|&(key, _)| key).collect();
        assert_eq!(snapshot.keys(), keys);
        let values: Vec<u64> = model.0.iter().map(|&(_, value)| value).collect();
        assert_eq!(snapshot.values(), values);
        let by_slot: Vec<(u64, u64)> = (0..snapshot.entry_slots())
            .filter_map(|slot| snapshot.entry(slot))
            .map(|entry| (entry.key, entry.value))
            .collect();
        assert_eq!(by_slot, model.0);
        most_slots
    }

    fn operations() -> usize {
        if cfg!(miri) {
            300
        } else {
            10_000
        }
    }

    #[test]
    fn behaves_like_a_python_dict_with_spread_hashes() {
        let spread = |key: u64| key.wrapping_mul(0x9E37_79B9_7F4A_7C15) as i64;
        agree_with_model(spread, 200, operations(), 1);
        // Enough live keys for a three-level slot trie.
        let keys = if cfg!(miri) { 1_100 } else { 3_000 };
        let most_slots = agree_with_model(spread, keys, operations() * 2, 2);
        if !cfg!(miri) {
            assert!(most_slots > 1 << (2 * BITS), "only {most_slots} slots");
        }
    }

    #[test]
    fn keys_with_equal_hashes_stay_distinct() {
        // Everything in a few buckets: long runs of equal hashes.
        agree_with_model(|key| (key % 3) as i64 - 1, 150, operations(), 3);
        // Every key the same hash.
        agree_with_model(|_| -1, 60, operations() / 2, 4);
        // Hashes differing only in their top four bits (the index's last
        // level), some negative.
        agree_with_model(|key| ((key % 16) << 60) as i64, 100, operations(), 5);
    }

    #[test]
    fn small_ints_hash_to_themselves_as_in_python() {
        agree_with_model(|key| key as i64, 500, operations(), 6);
    }

    /// A key whose equality the map cannot see: equal when the ids match.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    struct Key {
        id: u32,
        class: u32,
    }

    fn key(id: u32, class: u32) -> Key {
        Key { id, class }
    }

    fn id_hash(key: Key) -> i64 {
        (key.id % 4) as i64
    }

    #[test]
    fn the_equality_callback_decides_and_same_bits_skip_it() {
        let map = SharedMap::new(Arc::new(RetireList::new()));
        let mut calls = 0;
        let mut by_id = |stored: Key, probe: Key| {
            calls += 1;
            stored.id == probe.id
        };
        for id in 0..40 {
            assert_eq!(
                map.insert(id_hash(key(id, 0)), key(id, 0), id, &mut by_id),
                None
            );
        }
        // Same hash (id % 4), different ids: still 40 distinct keys.
        assert_eq!(map.len(), 40);
        // Equal by the callback, different bits: replaces the value but
        // keeps the first key and its place.
        assert_eq!(
            map.insert(id_hash(key(5, 7)), key(5, 7), 500, &mut by_id),
            Some(5)
        );
        assert_eq!(map.len(), 40);
        assert_eq!(map.to_vec()[5], (key(5, 0), 500));
        assert_eq!(
            map.get(id_hash(key(5, 9)), key(5, 9), &mut by_id),
            Some(500)
        );
        assert_eq!(map.get(id_hash(key(41, 0)), key(41, 0), &mut by_id), None);
        // Key 1 is the first with hash 1: found by its bits, no call.
        calls = 0;
        let mut by_id = |stored: Key, probe: Key| {
            calls += 1;
            stored.id == probe.id
        };
        assert_eq!(map.get(1, key(1, 0), &mut by_id), Some(1));
        // Key 5 comes after key 1 under hash 1: one call, for key 1.
        assert_eq!(map.get(1, key(5, 0), &mut by_id), Some(500));
        assert_eq!(calls, 1);
        let mut by_id = |stored: Key, probe: Key| stored.id == probe.id;
        assert_eq!(
            map.remove(id_hash(key(5, 3)), key(5, 3), &mut by_id),
            Some((key(5, 0), 500))
        );
        assert!(!map.contains(1, key(5, 0), &mut by_id));
        let old = map.update(1, key(9, 2), &mut by_id, |old| old.unwrap() * 2);
        assert_eq!(old, Some(9));
        assert_eq!(map.snapshot().get(1, key(9, 0), &mut by_id), Some(18));
        check_invariants(&map);
    }

    #[test]
    fn a_write_that_loses_the_race_runs_again_on_the_newer_version() {
        let (map, retired) = new_map();
        let eq = &mut same_bits;
        map.insert(5, 1, 10, eq);
        map.insert(5, 2, 20, eq);
        // The first equality call (key 1 against key 2) writes to the map
        // itself, so the update's compare-and-swap fails once.
        let (mut eq_calls, mut change_calls) = (0, 0);
        let mut meddling_eq = |stored: u64, key: u64| {
            eq_calls += 1;
            if eq_calls == 1 {
                map.insert(5, 3, 30, &mut same_bits);
            }
            stored == key
        };
        let old = map.update(5, 2, &mut meddling_eq, |old| {
            change_calls += 1;
            old.unwrap() + 1
        });
        assert_eq!(old, Some(20));
        assert_eq!((eq_calls, change_calls), (2, 2));
        assert_eq!(map.to_vec(), [(1, 10), (2, 21), (3, 30)]);
        check_invariants(&map);
        // SAFETY: single-threaded, no snapshot alive.
        assert_eq!(unsafe { retired.reclaim() }, 4);
    }

    #[test]
    fn compaction_keeps_insertion_order() {
        let n: u64 = if cfg!(miri) { 200 } else { 3_000 };
        let (map, _) = new_map();
        let hash = |key: u64| (key % 7) as i64;
        let eq = &mut same_bits;
        for key in 0..n {
            map.insert(hash(key), key, key * 10, eq);
        }
        // Remove two keys in three, in a scattered order; the last key
        // (a multiple of 3) stays, so no tombstone is ever at the end.
        let mut doomed: Vec<u64> = (0..n).filter(|key| key % 3 != 0).collect();
        let mut rng = Rng(7);
        for at in (1..doomed.len()).rev() {
            doomed.swap(at, rng.below(at as u64 + 1) as usize);
        }
        for (done, &key) in doomed.iter().enumerate() {
            assert_eq!(map.remove(hash(key), key, eq), Some((key, key * 10)));
            if done % 50 == 0 {
                check_invariants(&map);
            }
        }
        check_invariants(&map);
        let kept: Vec<(u64, u64)> = (0..n).step_by(3).map(|key| (key, key * 10)).collect();
        assert_eq!(map.to_vec(), kept);
        // Without compaction all n slots would remain.
        assert!(map.snapshot().entry_slots() < n as usize);
        // New keys go after the survivors.
        map.insert(hash(1), 1, 1, eq);
        assert_eq!(map.to_vec().last(), Some(&(1, 1)));
        assert_eq!(map.pop_last(), Some((1, 1)));
        assert_eq!(map.to_vec(), kept);
    }

    #[test]
    fn pop_last_skips_removed_entries_at_the_end() {
        let (map, _) = new_map();
        let eq = &mut same_bits;
        for key in 0..10 {
            map.insert(key as i64, key, key, eq);
        }
        assert_eq!(map.remove(8, 8, eq), Some((8, 8)));
        assert_eq!(map.pop_last(), Some((9, 9)));
        assert_eq!(map.pop_last(), Some((7, 7)));
        check_invariants(&map);
        assert_eq!(map.snapshot().entry_slots(), 7);
        while map.pop_last().is_some() {}
        assert!(map.is_empty());
        assert_eq!(map.snapshot().entry_slots(), 0);
        check_invariants(&map);
    }

    #[test]
    fn snapshots_do_not_see_later_writes() {
        let (map, retired) = new_map();
        let eq = &mut same_bits;
        for key in 0..100 {
            map.insert(key as i64, key, key, eq);
        }
        // SAFETY: single-threaded, no snapshot alive.
        assert_eq!(unsafe { retired.reclaim() }, 100);
        let before = map.snapshot();
        map.insert(100, 100, 100, eq);
        map.insert(0, 0, 99, eq);
        assert_eq!(map.remove(50, 50, eq), Some((50, 50)));
        assert_eq!(map.pop_last(), Some((100, 100)));
        map.update(7, 7, eq, |old| old.unwrap() + 1);
        // Refused writes publish nothing.
        assert_eq!(map.remove(50, 50, eq), None);
        let original: Vec<(u64, u64)> = (0..100).map(|key| (key, key)).collect();
        assert_eq!(before.items(), original);
        assert_eq!(before.get(50, 50, eq), Some(50));
        assert_eq!(before.get(0, 0, eq), Some(0));
        assert_eq!(map.get(0, 0, eq), Some(99));
        assert_eq!(map.get(7, 7, eq), Some(8));
        map.clear();
        map.clear();
        assert!(map.is_empty() && map.to_vec().is_empty());
        assert_eq!(before.len(), 100);
        // Six writes retired six versions; the second clear found the map
        // empty and published nothing.
        // SAFETY: single-threaded; `before` is no longer used.
        assert_eq!(unsafe { retired.reclaim() }, 6);
        check_invariants(&map);
    }

    #[test]
    fn from_entries_keeps_the_given_order() {
        let entries: Vec<(i64, u64, u64)> = (0..70).rev().map(|key| (0, key, key + 1)).collect();
        let map = SharedMap::from_entries(entries, Arc::new(RetireList::new()));
        check_invariants(&map);
        assert_eq!(map.to_vec()[0], (69, 70));
        assert_eq!(map.get(0, 3, &mut same_bits), Some(4));
    }

    #[test]
    fn threads_inserting_at_once_lose_nothing() {
        let per_thread = if cfg!(miri) { 30 } else { 5_000 };
        let (map, retired) = new_map();
        std::thread::scope(|scope| {
            for thread in 0..3u64 {
                let map = &map;
                scope.spawn(move || {
                    for seq in 0..per_thread {
                        let key = thread << 32 | seq;
                        map.insert((seq % 8) as i64, key, seq, &mut same_bits);
                    }
                });
            }
        });
        check_invariants(&map);
        for thread in 0..3u64 {
            let mine: Vec<u64> = map
                .to_vec()
                .into_iter()
                .filter(|&(key, _)| key >> 32 == thread)
                .map(|(_, value)| value)
                .collect();
            assert_eq!(mine, (0..per_thread).collect::<Vec<_>>());
        }
        // SAFETY: every writer has been joined.
        assert_eq!(unsafe { retired.reclaim() }, 3 * per_thread as usize);
    }

    #[test]
    fn shared_map_is_send_and_sync() {
        fn assert_send_sync<X: Send + Sync>() {}
        assert_send_sync::<SharedMap<u64, u64>>();
        assert_send_sync::<Snapshot<'static, u64, u64>>();
    }
}
