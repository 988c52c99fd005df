//! `SharedVec`, the persistent vector behind a `list` that several threads
//! can reach: readers never wait and never write shared memory, writers
//! publish whole new versions with a compare-and-swap, and concurrent
//! appends lose nothing.
//!
//! A `Version` is immutable once published: a 32-way trie of full 32-item
//! leaves (nodes are `Arc`s, shared between versions) plus a tail of 1 to
//! 32 items (0 only when empty), as in Clojure's vector. The tail's storage
//! has write-once slots that an append claims, so successive versions share
//! it and an append copies nothing (`Tail`). Storing over an item of the
//! trie changes it where it is, in its leaf's atomic slot, which every
//! version sharing the leaf shows (`Leaf`: a leaf that a writer copied
//! tells the store whether the copy has it). Any other write copies the
//! path it changes and shares the rest:
//!
//! ```text
//!  current ──> v1 ─ root ─┬─ leaf 0..32          writer: load current (v1)
//!                         └─ leaf 32..64             build v2 from v1, sharing
//!              v2 ─ root'─┬─ (same leaf 0..32)       the untouched nodes
//!                         └─ leaf' 32..64           CAS current v1 -> v2
//!                                                     ok:   retire v1
//!                                                     fail: drop v2, retry on
//!                                                           the newer version
//! ```
//!
//! Reclamation rule: a replaced version goes to the `RetireList`, not to
//! the allocator, because readers may still be walking it; it is freed only
//! at a quiescent point (in the engine, inside a stop-the-world rendezvous)
//! by `RetireList::reclaim`. Its nodes die when the last version holding
//! them is freed. So readers need no reference counting, and the pointer a
//! writer compares against cannot be freed and reused under it (no ABA).
//!
//! Memory ordering: the version pointer is read with Acquire and replaced
//! with an AcqRel compare-and-swap. The Release half publishes a version's
//! contents (and its new nodes) before its address; the Acquire loads (a
//! writer that lost the race backs off, then loads again) pair with it,
//! so whoever sees the address sees the finished version. The Acquire
//! half of a successful swap is not strictly needed (the writer already
//! read that same pointer with Acquire); it costs nothing on x86 and keeps
//! each step's argument local.

use std::cell::UnsafeCell;
use std::convert::Infallible;
use std::marker::PhantomData;
use std::mem::MaybeUninit;
use std::ptr;
use std::sync::atomic::{AtomicPtr, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use super::published::Published;
use super::retire::RetireList;

const BITS: u32 = 5;
const WIDTH: usize = 1 << BITS;
const MASK: usize = WIDTH - 1;

/// Rough heap sizes, for the garbage a write reports (`extend_from_slice`):
/// a full branch (its `Vec` of child pointers) and a replaced version with
/// its retire-list entry; a tail's storage is `tail_bytes`.
const BRANCH_BYTES: usize = WIDTH * std::mem::size_of::<usize>() + 48;
const REPLACED_VERSION_BYTES: usize = 96;

const fn tail_bytes<T>() -> usize {
    WIDTH * std::mem::size_of::<T>() + 48
}

/// An item the vector can keep in an atomic word (`Value` in the engine,
/// `u64` in tests).
pub trait Word: Copy + Send + Sync {
    fn to_word(self) -> u64;
    fn from_word(word: u64) -> Self;
}

impl Word for u64 {
    fn to_word(self) -> u64 {
        self
    }

    fn from_word(word: u64) -> u64 {
        word
    }
}

impl Word for crate::value::Value {
    fn to_word(self) -> u64 {
        self.bits()
    }

    fn from_word(word: u64) -> Self {
        crate::value::Value::from_bits(word)
    }
}

enum Node<T> {
    /// Children, left-packed: every child but the last is full.
    Branch(Vec<Arc<Node<T>>>),
    /// Exactly `WIDTH` items.
    Leaf(Box<Leaf<T>>),
}

impl<T: Word> Clone for Node<T> {
    /// A copy for a writer to change (`Arc::make_mut`): a leaf's items are
    /// taken as `Leaf::copied_items` gives them.
    fn clone(&self) -> Node<T> {
        match self {
            Node::Branch(children) => Node::Branch(children.clone()),
            Node::Leaf(leaf) => Node::Leaf(Leaf::from_words(leaf.copied_items())),
        }
    }
}

/// The mark of a leaf whose copy is being taken (`Leaf::copy`).
fn copy_begun() -> *mut [u64; WIDTH] {
    ptr::without_provenance_mut(1)
}

/// A full leaf of the trie: `WIDTH` items, each in an atomic slot, so that
/// a store over an item (`SharedVec::set_at`) writes it where it is, seen
/// by every version sharing the leaf, instead of copying the path to it.
///
/// A writer that builds a node from a leaf's items (a path copy, a
/// rebuild, a pop that moves the last leaf into the tail) takes them once
/// for good (`copied_items`): it marks the leaf (`copy` goes from null to
/// `copy_begun`), reads the slots, and installs what it read (the first
/// reader to install wins; every later writer uses that array). A store
/// writes its slot and then looks at `copy`: null means any copy begins
/// after the store and reads it; otherwise it reads the installed copy
/// (helping to take it if none is installed yet) and, unless the copy
/// holds its value, stores again through the newest version, where the
/// copy's node is. All of it sequentially consistent, so a store is
/// neither lost nor made twice (a copy that holds it is never stored
/// again at an index that a shifting rebuild has moved).
struct Leaf<T> {
    slots: [AtomicU64; WIDTH],
    /// Null, `copy_begun`, or the installed copy (owned by the leaf).
    copy: AtomicPtr<[u64; WIDTH]>,
    item: PhantomData<T>,
}

impl<T: Word> Leaf<T> {
    fn new(items: &[T]) -> Box<Leaf<T>> {
        debug_assert_eq!(items.len(), WIDTH);
        let mut words = [0; WIDTH];
        for (word, item) in words.iter_mut().zip(items) {
            *word = item.to_word();
        }
        Leaf::from_words(&words)
    }

    fn from_words(words: &[u64; WIDTH]) -> Box<Leaf<T>> {
        Box::new(Leaf {
            slots: words.map(AtomicU64::new),
            copy: AtomicPtr::new(ptr::null_mut()),
            item: PhantomData,
        })
    }

    #[inline]
    fn get(&self, index: usize) -> T {
        // Acquire: pairs with a store's release, so a reader that sees
        // the value sees the object it points to.
        T::from_word(self.slots[index].load(Ordering::Acquire))
    }

    /// The items, taken for good for a writer that builds another node
    /// from them (see the type doc).
    fn copied_items(&self) -> &[u64; WIDTH] {
        let mut copy = self.copy.load(Ordering::SeqCst);
        if copy.is_null() {
            copy = match self.copy.compare_exchange(
                ptr::null_mut(),
                copy_begun(),
                Ordering::SeqCst,
                Ordering::SeqCst,
            ) {
                Ok(_) => copy_begun(),
                Err(now) => now,
            };
        }
        if copy == copy_begun() {
            let read = Box::into_raw(Box::new(
                self.slots
                    .each_ref()
                    .map(|slot| slot.load(Ordering::SeqCst)),
            ));
            copy = match self.copy.compare_exchange(
                copy_begun(),
                read,
                Ordering::SeqCst,
                Ordering::SeqCst,
            ) {
                Ok(_) => read,
                Err(installed) => {
                    // SAFETY: `read` came from `Box::into_raw` above and
                    // was never shared (its install failed).
                    drop(unsafe { Box::from_raw(read) });
                    installed
                }
            };
        }
        // SAFETY: `copy` is now an installed copy: made by `Box::into_raw`,
        // never changed or freed until the leaf is dropped.
        unsafe { &*copy }
    }

    /// Stores `value` over item `index` in place; false when a copy of the
    /// leaf was taken without it, and the caller must store it again
    /// through the newest version (see the type doc).
    fn store(&self, index: usize, value: T) -> bool {
        let word = value.to_word();
        self.slots[index].store(word, Ordering::SeqCst);
        self.copy.load(Ordering::SeqCst).is_null() || self.copied_items()[index] == word
    }

    /// `store` with no other thread running (a write section): no copy can
    /// be under way, so plain atomics do; false, storing nothing, if a
    /// copy was taken before (the caller gives its version a new copy).
    fn store_alone(&self, index: usize, value: T) -> bool {
        if !self.copy.load(Ordering::Relaxed).is_null() {
            return false;
        }
        self.slots[index].store(value.to_word(), Ordering::Relaxed);
        true
    }

    /// Whether a copy of the leaf was begun.
    fn was_copied(&self) -> bool {
        !self.copy.load(Ordering::Relaxed).is_null()
    }

    /// Stores `value` over item `index` of a leaf only the caller reaches
    /// (a writer's own copy), forgetting any copy taken before.
    fn set_exclusive(&mut self, index: usize, value: T) {
        self.forget_copy();
        *self.slots[index].get_mut() = value.to_word();
    }

    fn forget_copy(&mut self) {
        let copy = std::mem::replace(self.copy.get_mut(), ptr::null_mut());
        if !copy.is_null() && copy != copy_begun() {
            // SAFETY: an installed copy comes from `Box::into_raw` and is
            // owned by the leaf, which nothing else uses now (`&mut self`).
            drop(unsafe { Box::from_raw(copy) });
        }
    }
}

impl<T> Drop for Leaf<T> {
    fn drop(&mut self) {
        let copy = *self.copy.get_mut();
        if !copy.is_null() && copy != copy_begun() {
            // SAFETY: as in `forget_copy`.
            drop(unsafe { Box::from_raw(copy) });
        }
    }
}

/// One immutable state of the vector (mutated only before it is published).
struct Version<T> {
    /// Counts the versions published before this one (a writer that let
    /// go of its snapshot compares stamps, not addresses, which a freed
    /// and reused version could repeat).
    stamp: u64,
    /// Where the items begin: the slots before it were popped from the
    /// front (`SharedVec::pop_at(0)` moves it instead of rebuilding the
    /// trie; a rebuild drops them once they are as many as the items).
    start: usize,
    /// Where the items end: the trie and tail hold slots `0..end`.
    end: usize,
    /// Bit shift of the root's level: leaves sit `shift / BITS` levels down.
    shift: u32,
    /// Always a `Branch`; holds slots `0..end - tail_len`.
    root: Arc<Node<T>>,
    /// The last items: the first `tail_len` slots of `tail`, which later
    /// versions may share and extend (see `Tail`).
    tail: Arc<Tail<T>>,
    /// Invariant: `1..=WIDTH` when `len > 0`, 0 when `len == 0`.
    tail_len: usize,
}

/// A tail's storage: up to `WIDTH` write-once slots. A version owns the first
/// `tail_len` of them; an append to a version whose tail has the next slot
/// free *claims* it (a compare-and-swap of `claimed`) and writes it, and the
/// next version shares the same storage, so a typical append copies
/// nothing. A slot is written only by the writer that claimed it, before
/// any version that includes it is published, and never again: readers of
/// any version only read slots below its `tail_len`, which no one writes.
/// A writer that cannot claim (another version took the slot, or a set or
/// pop must change a slot that versions already show) copies the tail.
struct Tail<T> {
    /// Slots `0..claimed` are written or being written by their claimer.
    claimed: AtomicUsize,
    slots: Box<[UnsafeCell<MaybeUninit<T>>]>,
}

// SAFETY: a slot is written once, by the one thread that won its claim,
// before the version showing it is published (Release); every other access
// is a read of slots below a published version's `tail_len` (Acquire), which
// are never written again. Writers copy what they would otherwise change.
unsafe impl<T: Send + Sync> Sync for Tail<T> {}

impl<T: Copy> Tail<T> {
    /// Storage holding `items`, with room for `capacity` in all (a full
    /// `WIDTH` where appends are expected, less for a small list's copy).
    fn with_items(items: &[T], capacity: usize) -> Arc<Tail<T>> {
        debug_assert!(items.len() <= capacity && capacity <= WIDTH);
        let slots = (0..capacity)
            .map(|index| {
                UnsafeCell::new(match items.get(index) {
                    Some(&item) => MaybeUninit::new(item),
                    None => MaybeUninit::uninit(),
                })
            })
            .collect();
        Arc::new(Tail {
            claimed: AtomicUsize::new(items.len()),
            slots,
        })
    }

    /// The first `len` items; `len` is the `tail_len` of a version using
    /// this storage (so those slots are written and frozen).
    #[inline]
    fn items(&self, len: usize) -> &[T] {
        debug_assert!(len <= self.claimed.load(Ordering::Relaxed));
        // SAFETY: `UnsafeCell<MaybeUninit<T>>` has `T`'s layout; slots below
        // a version's `tail_len` were initialised before that version was
        // published or built, and no one writes them again (the type doc).
        unsafe { std::slice::from_raw_parts(self.slots.as_ptr().cast::<T>(), len) }
    }

    /// Appends `value` in slot `at` if nobody has claimed it; whether it did.
    fn try_push_at(&self, at: usize, value: T) -> bool {
        // Relaxed: the claim only decides which writer owns the slot; the
        // slot's contents reach readers through the version's publication.
        if at == self.slots.len()
            || self
                .claimed
                .compare_exchange(at, at + 1, Ordering::Relaxed, Ordering::Relaxed)
                .is_err()
        {
            return false;
        }
        // SAFETY: this thread won slot `at`: nobody else writes it, and no
        // version showing it exists yet, so nobody reads it.
        unsafe { (*self.slots[at].get()).write(value) };
        true
    }
}

/// `index` is past the end of a vector of `len` items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IndexOutOfRange {
    pub index: usize,
    pub len: usize,
}

impl<T: Word> Version<T> {
    fn from_slice(items: &[T]) -> Version<T> {
        let tail_len = if items.is_empty() {
            0
        } else {
            (items.len() - 1) % WIDTH + 1
        };
        let (trie_items, tail) = items.split_at(items.len() - tail_len);
        let mut level: Vec<Arc<Node<T>>> = trie_items
            .chunks(WIDTH)
            .map(|leaf| Arc::new(Node::Leaf(Leaf::new(leaf))))
            .collect();
        let mut shift = BITS;
        while level.len() > WIDTH {
            level = level
                .chunks(WIDTH)
                .map(|children| Arc::new(Node::Branch(children.to_vec())))
                .collect();
            shift += BITS;
        }
        Version {
            stamp: 0,
            start: 0,
            end: items.len(),
            shift,
            root: Arc::new(Node::Branch(level)),
            tail: Tail::with_items(tail, WIDTH),
            tail_len,
        }
    }

    /// A private copy to edit: shares the trie and the tail's storage.
    fn fork(&self) -> Version<T> {
        Version {
            stamp: self.stamp,
            start: self.start,
            end: self.end,
            shift: self.shift,
            root: Arc::clone(&self.root),
            tail: Arc::clone(&self.tail),
            tail_len: self.tail_len,
        }
    }

    #[inline]
    fn tail_items(&self) -> &[T] {
        self.tail.items(self.tail_len)
    }

    /// Gives this version a tail storage of its own holding `items`, with
    /// room for `capacity` (see `Tail::with_items`).
    fn replace_tail(&mut self, items: &[T], capacity: usize) {
        self.tail = Tail::with_items(items, capacity);
        self.tail_len = items.len();
    }

    /// How many items the version holds.
    #[inline]
    fn len(&self) -> usize {
        self.end - self.start
    }

    /// The slot where the tail begins.
    #[inline]
    fn tail_offset(&self) -> usize {
        self.end - self.tail_len
    }

    /// The leaf holding trie slot `index` (`index < tail_offset()`).
    #[inline]
    fn leaf_for(&self, index: usize) -> &Leaf<T> {
        let mut node = &*self.root;
        let mut level = self.shift;
        loop {
            match node {
                Node::Branch(children) => node = &children[(index >> level) & MASK],
                Node::Leaf(leaf) => return leaf,
            }
            level -= BITS;
        }
    }

    #[inline]
    fn get(&self, index: usize) -> Option<T> {
        if index >= self.len() {
            return None;
        }
        let slot = index + self.start;
        if slot >= self.tail_offset() {
            Some(self.tail_items()[slot - self.tail_offset()])
        } else {
            Some(self.leaf_for(slot).get(slot & MASK))
        }
    }

    fn iter(&self) -> Items<'_, T> {
        Items {
            version: self,
            slot: self.start,
            leaf: None,
        }
    }

    /// Calls `visit` with the items as consecutive slices: those of the
    /// trie's leaves from the one holding the first item (read into a
    /// buffer), then the tail's.
    fn for_each_chunk(&self, mut visit: impl FnMut(&[T])) {
        let tail_offset = self.tail_offset();
        let mut buffer = [T::from_word(0); WIDTH];
        let mut slot = self.start;
        while slot < tail_offset {
            let leaf = self.leaf_for(slot);
            let first = slot & MASK;
            for (index, item) in buffer.iter_mut().enumerate().skip(first) {
                *item = leaf.get(index);
            }
            visit(&buffer[first..]);
            slot = (slot | MASK) + 1;
        }
        visit(&self.tail_items()[self.start.saturating_sub(tail_offset)..]);
    }

    /// Every item, each leaf's taken for good (`Leaf::copied_items`): for
    /// a write that builds the next version from them.
    fn copied_items(&self) -> Vec<T> {
        let tail_offset = self.tail_offset();
        let mut items = Vec::with_capacity(self.len());
        let mut slot = self.start;
        while slot < tail_offset {
            let words = self.leaf_for(slot).copied_items();
            items.extend(words[slot & MASK..].iter().map(|&word| T::from_word(word)));
            slot = (slot | MASK) + 1;
        }
        items.extend_from_slice(&self.tail_items()[self.start.saturating_sub(tail_offset)..]);
        items
    }

    /// Stores `value` over item `index` (< len) in its leaf's slot, seen
    /// by every version sharing the leaf: false where that does not do
    /// (the item is in the tail, whose slots are written once, or the
    /// leaf was copied without the value), and the caller must publish a
    /// version with it.
    fn store_in_place(&self, index: usize, value: T) -> bool {
        let slot = index + self.start;
        slot < self.tail_offset() && self.leaf_for(slot).store(slot & MASK, value)
    }

    // The edits below run on an unpublished version only. `Arc::make_mut`
    // copies a node still shared with another version (path copying) and
    // edits in place a node this version made itself (so `extend` does
    // not copy a path per item).

    /// Appends `value`; returns roughly how many bytes this version stopped
    /// sharing with the one it was forked from (a tail or the nodes of a
    /// copied path), which become garbage once that one is reclaimed.
    fn push(&mut self, value: T) -> usize {
        let dropped = if self.tail_len == WIDTH {
            let leaf = Arc::new(Node::Leaf(Leaf::new(self.tail_items())));
            let trie_len = self.end - WIDTH;
            let copied_path = if trie_len == 1 << (self.shift + BITS) {
                // The trie is full: grow a level on top.
                let sibling = new_path(self.shift, leaf);
                self.root = Arc::new(Node::Branch(vec![Arc::clone(&self.root), sibling]));
                self.shift += BITS;
                0
            } else {
                push_leaf(Arc::make_mut(&mut self.root), self.shift, trie_len, leaf);
                (self.shift / BITS) as usize * BRANCH_BYTES
            };
            self.replace_tail(&[value], WIDTH);
            tail_bytes::<T>() + copied_path
        } else if self.tail.try_push_at(self.tail_len, value) {
            self.tail_len += 1;
            0
        } else {
            let mut items = Vec::with_capacity(self.tail_len + 1);
            items.extend_from_slice(self.tail_items());
            items.push(value);
            self.replace_tail(&items, WIDTH);
            tail_bytes::<T>()
        };
        self.end += 1;
        dropped
    }

    fn pop(&mut self) -> Option<T> {
        if self.len() == 0 {
            return None;
        }
        // Shrinking writes nothing: the storage's slots stay as they were
        // for the versions that show them.
        let value = *self.tail_items().last()?;
        if self.len() == 1 {
            self.become_empty();
            return Some(value);
        }
        self.tail_len -= 1;
        self.end -= 1;
        if self.tail_len == 0 {
            // Keep the tail non-empty: the trie's last leaf becomes it.
            let last_leaf: Vec<T> = self
                .leaf_for(self.end - 1)
                .copied_items()
                .iter()
                .map(|&word| T::from_word(word))
                .collect();
            self.replace_tail(&last_leaf, WIDTH);
            pop_leaf(Arc::make_mut(&mut self.root), self.shift, self.end - 1);
            while self.shift > BITS {
                let Node::Branch(children) = &*self.root else {
                    unreachable!("root is a branch")
                };
                if children.len() != 1 {
                    break;
                }
                self.root = Arc::clone(&children[0]);
                self.shift -= BITS;
            }
        }
        Some(value)
    }

    /// Removes the first item: the start moves past it, and once the
    /// slots before the start are as many as the items (and a leaf's
    /// worth), the version is rebuilt without them, so `n` pops from the
    /// front cost O(n) in all.
    fn pop_front(&mut self) -> Option<T> {
        let value = self.get(0)?;
        self.start += 1;
        if self.len() == 0 {
            self.become_empty();
        } else if self.start >= WIDTH && self.start >= self.len() {
            let items = self.copied_items();
            let stamp = self.stamp;
            *self = Version::from_slice(&items);
            self.stamp = stamp;
        }
        Some(value)
    }

    /// Drops every item (and the slots before the start).
    fn become_empty(&mut self) {
        let stamp = self.stamp;
        *self = Version::from_slice(&[]);
        self.stamp = stamp;
    }

    /// Stores item `index` (< len) where it is, through nodes and tail
    /// storage other versions may share.
    ///
    /// # Safety
    /// As `SharedVec::set_in_place`: nothing else reads or writes any
    /// version of the vector meanwhile.
    unsafe fn set_in_place(&mut self, index: usize, value: T) {
        let slot = index + self.start;
        let tail_offset = self.tail_offset();
        if slot >= tail_offset {
            // SAFETY: the slot is below `tail_len`, initialised; exclusive
            // access means nobody reads it meanwhile.
            unsafe { (*self.tail.slots[slot - tail_offset].get()).write(value) };
            return;
        }
        if !self.leaf_for(slot).store_alone(slot & MASK, value) {
            // A leaf copied before: this version gets a copy with the value.
            let _ = self.set(index, value);
        }
    }

    /// Replaces every item of `range` (indices, within the length) by
    /// `change(item)` where it is, in ascending order of index (descending
    /// with `backwards`), a leaf at a time: what an insertion or removal
    /// passes along when it moves items by one place.
    ///
    /// # Safety
    /// As `set_in_place`.
    unsafe fn change_run_in_place(
        &mut self,
        range: std::ops::Range<usize>,
        backwards: bool,
        mut change: impl FnMut(T) -> T,
    ) {
        let (mut low, mut high) = (range.start + self.start, range.end + self.start);
        while low < high {
            // The run's chunk (slots) in one leaf or in the tail: its first
            // or its last, as the order says. The tail begins at a leaf's
            // boundary.
            let tail_offset = self.tail_offset();
            let (from, to) = if backwards {
                let last = high - 1;
                let from = if last >= tail_offset {
                    tail_offset
                } else {
                    last & !MASK
                };
                (from.max(low), high)
            } else if low >= tail_offset {
                (low, high)
            } else {
                (low, ((low | MASK) + 1).min(high))
            };
            let mut change_slot = |slot: &AtomicU64| {
                let item = T::from_word(slot.load(Ordering::Relaxed));
                slot.store(change(item).to_word(), Ordering::Relaxed);
            };
            if from >= tail_offset {
                let mut change_tail_slot = |slot: usize| {
                    let slot = &self.tail.slots[slot - tail_offset];
                    // SAFETY: slots below `tail_len` are initialised, and
                    // exclusive access lets this write them (as in
                    // `set_in_place`).
                    unsafe {
                        let item = (*slot.get()).assume_init();
                        (*slot.get()).write(change(item));
                    }
                };
                if backwards {
                    (from..to).rev().for_each(&mut change_tail_slot);
                } else {
                    (from..to).for_each(&mut change_tail_slot);
                }
            } else {
                if self.leaf_for(from).was_copied() {
                    // A leaf copied before: give this version a copy of
                    // its own to change.
                    let index = from - self.start;
                    let item = self.get(index).expect("within the length");
                    let _ = self.set(index, item);
                }
                let slots = &self.leaf_for(from).slots[from & MASK..=(to - 1) & MASK];
                if backwards {
                    slots.iter().rev().for_each(&mut change_slot);
                } else {
                    slots.iter().for_each(&mut change_slot);
                }
            }
            if backwards {
                high = from;
            } else {
                low = to;
            }
        }
    }

    /// Inserts `value` before item `index` (<= len) where the items are:
    /// each from `index` on takes the place after it, and the last is
    /// appended; O(len - index), no allocation beyond a full tail's.
    ///
    /// # Safety
    /// As `set_in_place`.
    unsafe fn insert_in_place(&mut self, index: usize, value: T) {
        let len = self.len();
        let mut carried = value;
        // SAFETY: exclusive access, passed on.
        unsafe {
            self.change_run_in_place(index.min(len)..len, false, |item| {
                std::mem::replace(&mut carried, item)
            })
        };
        self.push(carried);
    }

    /// Removes item `index` (< len) where the items are: the first by
    /// moving the start, the last by a pop, any other by moving those
    /// after it down one place and popping the last; O(len - index).
    ///
    /// # Safety
    /// As `set_in_place`.
    unsafe fn remove_in_place(&mut self, index: usize) -> Option<T> {
        let len = self.len();
        let mut carried = self.get(len.checked_sub(1)?)?;
        if index >= len {
            return None;
        }
        if index == 0 {
            return self.pop_front();
        }
        // SAFETY: exclusive access, passed on.
        unsafe {
            self.change_run_in_place(index..len - 1, true, |item| {
                std::mem::replace(&mut carried, item)
            })
        };
        self.pop();
        Some(carried)
    }

    fn set(&mut self, index: usize, value: T) -> Result<(), IndexOutOfRange> {
        if index >= self.len() {
            return Err(IndexOutOfRange {
                index,
                len: self.len(),
            });
        }
        let index = index + self.start;
        let tail_offset = self.tail_offset();
        if index >= tail_offset {
            let mut items = self.tail_items().to_vec();
            items[index - tail_offset] = value;
            // A store, not an append: room for a few appends only.
            let capacity = (items.len() + 1).next_power_of_two().clamp(4, WIDTH);
            self.replace_tail(&items, capacity);
            return Ok(());
        }
        let mut node = Arc::make_mut(&mut self.root);
        let mut level = self.shift;
        loop {
            match node {
                Node::Branch(children) => {
                    node = Arc::make_mut(&mut children[(index >> level) & MASK]);
                    level -= BITS;
                }
                Node::Leaf(leaf) => {
                    leaf.set_exclusive(index & MASK, value);
                    return Ok(());
                }
            }
        }
    }
}

/// A chain of single-child branches from `level` down to `leaf`.
fn new_path<T>(level: u32, leaf: Arc<Node<T>>) -> Arc<Node<T>> {
    if level == 0 {
        leaf
    } else {
        Arc::new(Node::Branch(vec![new_path(level - BITS, leaf)]))
    }
}

/// Adds `leaf` as trie items `index..index + WIDTH` under `node`.
fn push_leaf<T: Word>(node: &mut Node<T>, level: u32, index: usize, leaf: Arc<Node<T>>) {
    let Node::Branch(children) = node else {
        unreachable!("a leaf above level 0")
    };
    let slot = (index >> level) & MASK;
    if level == BITS {
        children.push(leaf);
    } else if slot < children.len() {
        push_leaf(
            Arc::make_mut(&mut children[slot]),
            level - BITS,
            index,
            leaf,
        );
    } else {
        children.push(new_path(level - BITS, leaf));
    }
}

/// Removes the leaf holding trie item `last` (the trie's last leaf);
/// returns whether `node` is left empty.
fn pop_leaf<T: Word>(node: &mut Node<T>, level: u32, last: usize) -> bool {
    let Node::Branch(children) = node else {
        unreachable!("a leaf above level 0")
    };
    let slot = (last >> level) & MASK;
    if level == BITS || pop_leaf(Arc::make_mut(&mut children[slot]), level - BITS, last) {
        children.pop();
    }
    children.is_empty()
}

/// A persistent vector of `T` several threads may read and write at once
/// (see the module doc). `T` is a plain word in the engine (`Value`).
pub struct SharedVec<T: Word> {
    versions: Published<Version<T>>,
}

/// A version pinned for reading: it stays valid, whatever writers do,
/// until the next `RetireList::reclaim` (whose caller promises that no
/// snapshot is alive). In the engine a snapshot must therefore not live
/// across a safepoint: a Python-level iterator keeps an index instead.
pub struct Snapshot<'a, T> {
    version: &'a Version<T>,
}

impl<T: Word> SharedVec<T> {
    pub fn new(retired: Arc<RetireList>) -> SharedVec<T> {
        SharedVec::from_slice(&[], retired)
    }

    /// A vector holding a copy of `items` (e.g. a local list being shared).
    pub fn from_slice(items: &[T], retired: Arc<RetireList>) -> SharedVec<T> {
        SharedVec {
            versions: Published::new(Version::from_slice(items), retired),
        }
    }

    #[inline]
    pub fn snapshot(&self) -> Snapshot<'_, T> {
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

    pub fn get(&self, index: usize) -> Option<T> {
        self.snapshot().get(index)
    }

    pub fn to_vec(&self) -> Vec<T> {
        self.snapshot().to_vec()
    }

    /// Appends `value`; returns what `extend_from_slice` does.
    pub fn append(&self, value: T) -> usize {
        self.extend_from_slice(&[value])
    }

    /// Appends `items` in one new version; returns roughly how many bytes
    /// of garbage the write leaves for the next reclamation (the replaced
    /// version and what only it still shares), for the collector's pacing.
    pub fn extend_from_slice(&self, items: &[T]) -> usize {
        let Ok(dropped) = self.publish(|current| {
            let mut next = current.fork();
            let dropped: usize = items.iter().map(|&item| next.push(item)).sum();
            Ok::<_, Infallible>((next, dropped))
        });
        dropped + REPLACED_VERSION_BYTES
    }

    /// Replaces item `index` (see `set_at`).
    pub fn set(&self, index: usize, value: T) -> Result<bool, IndexOutOfRange> {
        self.set_at(
            |len| {
                if index < len {
                    Ok(index)
                } else {
                    Err(IndexOutOfRange { index, len })
                }
            },
            value,
        )
    }

    /// Replaces item `index` by `change(item)` atomically (a concurrent
    /// write in between makes it retry on the newer value); returns the
    /// item it replaced. `change` may run more than once.
    pub fn update_at(
        &self,
        index: usize,
        mut change: impl FnMut(T) -> T,
    ) -> Result<T, IndexOutOfRange> {
        self.publish(|current| {
            let old = current.get(index).ok_or(IndexOutOfRange {
                index,
                len: current.len(),
            })?;
            let mut next = current.fork();
            next.set(index, change(old))?;
            Ok((next, old))
        })
    }

    /// Replaces the item at the index `pick` chooses from the length of
    /// the version the write lands on (a negative Python index resolves
    /// against that version, not an older one); `pick` may refuse, and then
    /// nothing changes. It may run more than once. An item of the trie is
    /// stored over where it is (`Leaf`), which every version sharing its
    /// leaf shows; an item of the tail, or one whose leaf a writer copied
    /// without it, goes into a new version. Whether it published one (and
    /// left the replaced version as garbage).
    pub fn set_at<E>(
        &self,
        mut pick: impl FnMut(usize) -> Result<usize, E>,
        value: T,
    ) -> Result<bool, E> {
        let current = self.versions.load();
        if current.store_in_place(pick(current.len())?, value) {
            return Ok(false);
        }
        self.publish(|current| {
            let index = pick(current.len())?;
            let mut next = current.fork();
            // `pick` answers an index below `len` or refuses; one past the
            // end would be a caller bug, and the version stays unchanged.
            let _ = next.set(index, value);
            Ok((next, true))
        })
    }

    /// `extend_from_slice` without a new version: the current one grows in
    /// place (its nodes are still copied where older versions share them).
    ///
    /// # Safety
    /// As `set_in_place`.
    pub unsafe fn extend_in_place(&self, items: &[T]) {
        // SAFETY: the caller's exclusive access is `current_mut`'s contract.
        let version = unsafe { self.versions.current_mut() };
        items.iter().for_each(|&item| {
            version.push(item);
        });
        version.stamp += 1;
    }

    /// `set_at` without a new version: changes the current one in place,
    /// nodes and tail slots included, even those older (retired) versions
    /// share; O(depth) with no allocation.
    ///
    /// # Safety
    /// Exclusive access until it returns: no other thread reads or writes
    /// this vector, and no snapshot of it is alive on any thread (replaced
    /// versions are then only waiting to be freed, never read again).
    pub unsafe fn set_in_place<E>(
        &self,
        pick: impl FnOnce(usize) -> Result<usize, E>,
        value: T,
    ) -> Result<(), E> {
        // SAFETY: the caller's exclusive access is `current_mut`'s contract.
        let version = unsafe { self.versions.current_mut() };
        let index = pick(version.len())?;
        version.stamp += 1;
        // SAFETY: exclusive access, passed on.
        unsafe { version.set_in_place(index, value) };
        Ok(())
    }

    /// `update` inserting `value` at the index `pick` chooses from the
    /// length (at most the length), without a new version: the items after
    /// it move up in place (`Version::insert_in_place`), with no allocation
    /// beyond a full tail's.
    ///
    /// # Safety
    /// As `set_in_place`.
    pub unsafe fn insert_in_place(&self, pick: impl FnOnce(usize) -> usize, value: T) {
        // SAFETY: the caller's exclusive access is `current_mut`'s contract.
        let version = unsafe { self.versions.current_mut() };
        let index = pick(version.len()).min(version.len());
        version.stamp += 1;
        // SAFETY: exclusive access, passed on.
        unsafe { version.insert_in_place(index, value) };
    }

    /// `pop_at` without a new version: the items after the one removed
    /// move down in place (`Version::remove_in_place`).
    ///
    /// # Safety
    /// As `set_in_place`.
    pub unsafe fn remove_in_place<E>(
        &self,
        pick: impl FnOnce(usize) -> Result<usize, E>,
    ) -> Result<T, E> {
        // SAFETY: the caller's exclusive access is `current_mut`'s contract.
        let version = unsafe { self.versions.current_mut() };
        let index = pick(version.len())?;
        version.stamp += 1;
        // SAFETY: exclusive access, passed on. `pick` answers an index
        // below the length or refuses.
        Ok(unsafe { version.remove_in_place(index) }.expect("an index below the length"))
    }

    /// Removes and returns the item at the index `pick` chooses from the
    /// current length (see `set_at`): O(1) at either end (amortized at
    /// the front), O(n) elsewhere.
    pub fn pop_at<E>(&self, mut pick: impl FnMut(usize) -> Result<usize, E>) -> Result<T, E> {
        self.publish(|current| {
            let index = pick(current.len())?;
            if index + 1 == current.len() {
                let mut next = current.fork();
                let value = next.pop().expect("a non-empty version");
                return Ok((next, value));
            }
            if index == 0 {
                let mut next = current.fork();
                let value = next.pop_front().expect("a non-empty version");
                return Ok((next, value));
            }
            let mut items = current.copied_items();
            let value = items.remove(index);
            Ok((Version::from_slice(&items), value))
        })
    }

    pub fn pop(&self) -> Option<T> {
        self.publish(|current| {
            let mut next = current.fork();
            match next.pop() {
                Some(value) => Ok((next, value)),
                None => Err(()),
            }
        })
        .ok()
    }

    /// The general edit (insert, remove, sort, slice assignment...):
    /// `edit` changes a plain copy of the items, which then replaces them
    /// all at once, in O(n). It re-runs on a fresh copy if another write
    /// won the race, so it must not have other side effects. Its result
    /// is that of the run that was published.
    pub fn update<R>(&self, mut edit: impl FnMut(&mut Vec<T>) -> R) -> R {
        let Ok(result) = self.publish(|current| {
            let mut items = current.copied_items();
            let result = edit(&mut items);
            Ok::<_, Infallible>((Version::from_slice(&items), result))
        });
        result
    }

    /// The compare-and-swap loop every write goes through: `build` makes
    /// the next version from the current one (or refuses, and nothing is
    /// published); on a lost race it runs again on the newer version.
    fn publish<R, E>(
        &self,
        mut build: impl FnMut(&Version<T>) -> Result<(Version<T>, R), E>,
    ) -> Result<R, E> {
        self.versions.publish(|current| {
            let (mut next, result) = build(current)?;
            next.stamp = current.stamp + 1;
            Ok((next, result))
        })
    }

    /// Replaces every item with `items` if no write changed the vector
    /// since the version `seen` stamped, whose items were `seen_items` (a
    /// sort that ran Python code between): no new version was published
    /// and the items are still those (a store in place publishes none;
    /// taking them for good, `Version::copied_items`, makes a store that
    /// comes after it go into the newest version, so this neither misses
    /// nor loses one). `false`, and no change, otherwise.
    pub fn replace_if_unchanged(&self, seen: u64, seen_items: &[T], items: &[T]) -> bool {
        self.publish(|current| {
            if current.stamp != seen {
                return Err(());
            }
            let now = current.copied_items();
            if now.len() != seen_items.len()
                || now
                    .iter()
                    .zip(seen_items)
                    .any(|(now, seen)| now.to_word() != seen.to_word())
            {
                return Err(());
            }
            Ok((Version::from_slice(items), ()))
        })
        .is_ok()
    }
}

impl<T> Clone for Snapshot<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Snapshot<'_, T> {}

impl<'a, T: Word> Snapshot<'a, T> {
    /// Identifies the version (see `SharedVec::replace_if_unchanged`).
    pub fn stamp(&self) -> u64 {
        self.version.stamp
    }

    pub fn len(&self) -> usize {
        self.version.len()
    }

    pub fn is_empty(&self) -> bool {
        self.version.len() == 0
    }

    #[inline]
    pub fn get(&self, index: usize) -> Option<T> {
        self.version.get(index)
    }

    /// The items in order.
    pub fn iter(&self) -> Items<'a, T> {
        self.version.iter()
    }

    /// Calls `visit` with the items as consecutive slices (at most 32
    /// items each).
    pub fn for_each_chunk(&self, visit: impl FnMut(&[T])) {
        self.version.for_each_chunk(visit)
    }

    pub fn to_vec(&self) -> Vec<T> {
        let mut items = Vec::with_capacity(self.len());
        self.for_each_chunk(|chunk| items.extend_from_slice(chunk));
        items
    }
}

/// The items of a version in order (`Snapshot::iter`), keeping the leaf
/// it reads.
pub struct Items<'a, T> {
    version: &'a Version<T>,
    /// The next slot to read.
    slot: usize,
    leaf: Option<&'a Leaf<T>>,
}

impl<T: Word> Iterator for Items<'_, T> {
    type Item = T;

    #[inline]
    fn next(&mut self) -> Option<T> {
        let slot = self.slot;
        if slot >= self.version.end {
            return None;
        }
        self.slot += 1;
        let tail_offset = self.version.tail_offset();
        if slot >= tail_offset {
            return Some(self.version.tail_items()[slot - tail_offset]);
        }
        let leaf = match self.leaf {
            Some(leaf) if slot & MASK != 0 => leaf,
            _ => self.leaf.insert(self.version.leaf_for(slot)),
        };
        Some(leaf.get(slot & MASK))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.version.end - self.slot.min(self.version.end);
        (left, Some(left))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_vec(items: &[u64]) -> (SharedVec<u64>, Arc<RetireList>) {
        let retired = Arc::new(RetireList::new());
        (SharedVec::from_slice(items, Arc::clone(&retired)), retired)
    }

    /// Checks the trie's shape: uniform depth, full leaves, left-packed
    /// branches, and a tail that is empty only when the vector is.
    fn check_shape(vector: &SharedVec<u64>) {
        fn count(node: &Node<u64>, level: u32) -> usize {
            match node {
                Node::Leaf(_) => {
                    assert_eq!(level, 0);
                    WIDTH
                }
                Node::Branch(children) => {
                    assert!(level > 0 && children.len() <= WIDTH);
                    let sizes: Vec<usize> = children
                        .iter()
                        .map(|child| count(child, level - BITS))
                        .collect();
                    let full = 1 << level;
                    assert!(sizes.iter().rev().skip(1).all(|&size| size == full));
                    sizes.iter().sum()
                }
            }
        }
        let snapshot = vector.snapshot();
        let version = snapshot.version;
        assert_eq!(count(&version.root, version.shift), version.tail_offset());
        assert!(version.tail_len <= WIDTH);
        assert_eq!(version.tail_len == 0, version.end == 0);
        assert!(version.start < version.end || version.end == 0);
        if version.shift > BITS {
            // Not taller than needed.
            assert!(version.tail_offset() > 1 << version.shift);
        }
    }

    #[test]
    fn changes_in_place_reach_nodes_that_replaced_versions_share() {
        let n: u64 = if cfg!(miri) { 1100 } else { 5000 };
        let (vector, retired) = new_vec(&(0..n).collect::<Vec<_>>());
        // Replaced versions (waiting on the retire list) share the trie
        // and the tail with the current one.
        vector.append(n);
        vector.set(3, 1_000).unwrap();
        let stamp = vector.snapshot().stamp();
        // SAFETY: this thread alone uses the vector, and holds no snapshot.
        unsafe {
            vector.set_in_place(|_| Ok::<_, ()>(7), 70).unwrap();
            vector.set_in_place(|len| Ok::<_, ()>(len - 1), 99).unwrap();
            vector.extend_in_place(&[n + 1, n + 2]);
            assert_eq!(
                vector.set_in_place(|_| Err::<usize, _>("refused"), 0),
                Err("refused")
            );
        }
        assert!(
            vector.snapshot().stamp() > stamp,
            "in-place changes count as writes"
        );
        let mut expected: Vec<u64> = (0..=n).collect();
        expected[3] = 1_000;
        expected[7] = 70;
        expected[n as usize] = 99;
        expected.extend([n + 1, n + 2]);
        assert_eq!(vector.to_vec(), expected);
        check_shape(&vector);
        // SAFETY: no snapshot is alive.
        unsafe { retired.reclaim() };
        vector.append(0);
        assert_eq!(vector.len(), expected.len() + 1);
    }

    #[test]
    fn an_append_reports_the_garbage_it_leaves_for_reclamation() {
        let vector = SharedVec::new(Arc::new(RetireList::new()));
        // Claiming the next slot of the shared tail leaves only the
        // replaced version behind.
        assert_eq!(vector.append(0u64), REPLACED_VERSION_BYTES);
        for item in 1..WIDTH as u64 {
            assert_eq!(vector.append(item), REPLACED_VERSION_BYTES);
        }
        // A full tail moves into the trie: the next version no longer
        // shares the old tail's storage.
        assert!(vector.append(WIDTH as u64) >= REPLACED_VERSION_BYTES + tail_bytes::<u64>());
        // A second writer forking the same version finds the slot taken
        // and copies the tail.
        let forked = vector.snapshot().version.fork();
        let mut rival = forked.fork();
        assert_eq!(rival.push(7), 0, "the first fork claims the slot");
        let mut loser = forked;
        assert_eq!(
            loser.push(8),
            tail_bytes::<u64>(),
            "the second copies the tail"
        );
    }

    #[test]
    fn appended_items_read_back_in_order() {
        let n = if cfg!(miri) { 700 } else { 10_000 };
        let (vector, retired) = new_vec(&[]);
        for value in 0..n {
            vector.append(value);
        }
        assert_eq!(vector.len(), n as usize);
        assert!((0..n).all(|index| vector.get(index as usize) == Some(index)));
        assert_eq!(vector.get(n as usize), None);
        assert_eq!(vector.to_vec(), (0..n).collect::<Vec<_>>());
        check_shape(&vector);
        // SAFETY: single-threaded, no snapshot alive.
        assert_eq!(unsafe { retired.reclaim() }, n as usize);
    }

    #[test]
    fn every_boundary_length_builds_reads_and_pops_back() {
        let lengths: &[usize] = if cfg!(miri) {
            &[0, 1, 31, 32, 33, 65, 1025, 1057]
        } else {
            &[
                0,
                1,
                31,
                32,
                33,
                64,
                65,
                1024,
                1025,
                1056,
                1057,
                1058,
                32 * 32 * 32 + 1,
                32 * 32 * 32 + 33,
            ]
        };
        for &len in lengths {
            let items: Vec<u64> = (0..len as u64).collect();
            let (appended, _) = new_vec(&[]);
            for &item in &items {
                appended.append(item);
            }
            let (extended, _) = new_vec(&[]);
            extended.extend_from_slice(&items[..len / 2]);
            extended.extend_from_slice(&items[len / 2..]);
            let (built, _) = new_vec(&items);
            for vector in [&appended, &extended, &built] {
                check_shape(vector);
                assert_eq!(vector.to_vec(), items, "length {len}");
                assert_eq!(vector.get(len), None);
            }
            for expected in (0..len as u64).rev() {
                assert_eq!(appended.pop(), Some(expected));
                if expected % 97 == 0 || expected < 40 {
                    check_shape(&appended);
                    assert_eq!(appended.to_vec(), items[..expected as usize]);
                }
            }
            assert_eq!(appended.pop(), None);
            assert!(appended.is_empty());
        }
    }

    #[test]
    fn pops_from_the_front_move_the_start_and_rebuild_when_half_is_gone() {
        let n: usize = if cfg!(miri) { 140 } else { 2100 };
        let (vector, _) = new_vec(&(0..n as u64).collect::<Vec<_>>());
        let mut model: std::collections::VecDeque<u64> = (0..n as u64).collect();
        let mut next = n as u64;
        let mut step = 0;
        while !model.is_empty() {
            step += 1;
            assert_eq!(
                vector.pop_at(|_| Ok::<_, ()>(0)),
                Ok(model.pop_front().unwrap())
            );
            // Mixed with the other writes, at the far end and in between.
            match step % 7 {
                0 => {
                    vector.append(next);
                    model.push_back(next);
                    next += 1;
                }
                3 if model.len() > 2 => {
                    vector.set(1, next).unwrap();
                    model[1] = next;
                    next += 1;
                }
                5 => assert_eq!(vector.pop(), model.pop_back()),
                _ => {}
            }
            if step % 41 == 0 || model.len() < 70 {
                check_shape(&vector);
                let expected: Vec<u64> = model.iter().copied().collect();
                assert_eq!(vector.to_vec(), expected, "after {step} steps");
                assert_eq!(vector.len(), model.len());
                assert_eq!(vector.get(model.len()), None);
                if let Some(&last) = model.back() {
                    assert_eq!(vector.get(model.len() - 1), Some(last));
                }
                let snapshot = vector.snapshot();
                assert_eq!(snapshot.iter().count(), model.len());
                let mut chunked = Vec::new();
                snapshot.for_each_chunk(|chunk| chunked.extend_from_slice(chunk));
                assert_eq!(chunked, expected);
            }
        }
        assert!(vector.is_empty());
        assert_eq!(
            vector.pop_at(|len| if len == 0 { Err(()) } else { Ok(0) }),
            Err(())
        );
        // A popped-from-the-front vector changes in place at the right
        // slots too.
        let (vector, _) = new_vec(&(0..100).collect::<Vec<_>>());
        for _ in 0..20 {
            vector.pop_at(|_| Ok::<_, ()>(0)).unwrap();
        }
        // SAFETY: this thread alone uses the vector, and holds no snapshot.
        unsafe {
            vector.set_in_place(|_| Ok::<_, ()>(0), 7).unwrap();
            vector.set_in_place(|len| Ok::<_, ()>(len - 1), 9).unwrap();
            vector.extend_in_place(&[500]);
        }
        let mut expected: Vec<u64> = (20..100).collect();
        expected[0] = 7;
        expected[79] = 9;
        expected.push(500);
        assert_eq!(vector.to_vec(), expected);
        check_shape(&vector);
    }

    #[test]
    fn insertions_and_removals_in_place_move_the_items_after_them() {
        let lengths: &[usize] = if cfg!(miri) {
            &[0, 1, 33, 70]
        } else {
            &[0, 1, 2, 31, 32, 33, 63, 64, 65, 100, 1024, 1057, 3000]
        };
        for &len in lengths {
            for front_pops in [0, 5, 40] {
                let (vector, _) = new_vec(&(0..(len + front_pops) as u64).collect::<Vec<_>>());
                let mut model: Vec<u64> = (front_pops as u64..(len + front_pops) as u64).collect();
                for _ in 0..front_pops {
                    vector.pop_at(|_| Ok::<_, ()>(0)).unwrap();
                }
                // A leaf copied before (a store then gives the version a
                // copy of its own).
                let version = vector.snapshot().version;
                if version.tail_offset() > 40 {
                    let _ = version.leaf_for(40).copied_items();
                }
                let mut next = 10_000u64;
                let positions = [0, 1, len / 3, len / 2, len.saturating_sub(1), len, len + 7];
                for (step, &position) in positions.iter().cycle().take(24).enumerate() {
                    if step % 3 == 2 && !model.is_empty() {
                        let index = position.min(model.len() - 1);
                        // SAFETY: this thread alone uses the vector, and
                        // holds no snapshot.
                        let removed = unsafe { vector.remove_in_place(|_| Ok::<_, ()>(index)) };
                        assert_eq!(removed, Ok(model.remove(index)), "length {len}");
                    } else {
                        // SAFETY: as above.
                        unsafe { vector.insert_in_place(|_| position, next) };
                        model.insert(position.min(model.len()), next);
                        next += 1;
                    }
                    assert_eq!(vector.to_vec(), model, "length {len}, step {step}");
                    assert_eq!(vector.len(), model.len());
                }
                check_shape(&vector);
                // A rebuild takes the leaves' copies: the moves must have
                // reached them (a copied leaf was replaced by its own).
                vector.update(|_| {});
                assert_eq!(vector.to_vec(), model, "length {len}, rebuilt");
                // SAFETY: as above.
                let refused = unsafe { vector.remove_in_place(|_| Err::<usize, _>("none")) };
                assert_eq!(refused, Err("none"));
            }
        }
    }

    #[test]
    fn set_update_at_and_update_change_only_what_they_say() {
        let n = if cfg!(miri) { 100 } else { 2_000 };
        let (vector, _) = new_vec(&(0..n).collect::<Vec<_>>());
        for index in (0..n as usize).step_by(7) {
            vector.set(index, 1_000_000 + index as u64).unwrap();
        }
        assert_eq!(vector.update_at(3, |value| value * 10), Ok(3));
        assert_eq!(
            vector.set(n as usize, 0),
            Err(IndexOutOfRange {
                index: n as usize,
                len: n as usize
            })
        );
        assert!(vector.update_at(n as usize, |value| value).is_err());
        let expected: Vec<u64> = (0..n)
            .map(|index| match index {
                3 => 30,
                _ if index % 7 == 0 => 1_000_000 + index,
                _ => index,
            })
            .collect();
        assert_eq!(vector.to_vec(), expected);
        let removed = vector.update(|items| {
            items.insert(1, 77);
            items.sort_unstable();
            items.remove(0)
        });
        assert_eq!(removed, 1); // item 0 was set to 1_000_000
        assert_eq!(vector.len(), n as usize);
        check_shape(&vector);
        let snapshot = vector.to_vec();
        assert!(snapshot.windows(2).all(|pair| pair[0] <= pair[1]) && snapshot.contains(&77));
    }

    #[test]
    fn snapshots_see_stores_over_shared_leaves_and_no_other_later_write() {
        let (vector, retired) = new_vec(&(0..100).collect::<Vec<_>>());
        let before = vector.snapshot();
        vector.append(100);
        // Item 0 sits in a leaf every version shares: stored over where it
        // is, no version published. Item 99 is in the tail: a new version.
        assert_eq!(vector.set(0, 99), Ok(false));
        assert_eq!(vector.set(99, 99), Ok(true));
        assert_eq!(vector.pop(), Some(100));
        vector.update(|items| items.reverse());
        let mut seen_before: Vec<u64> = (0..100).collect();
        seen_before[0] = 99;
        assert_eq!(before.to_vec(), seen_before);
        assert_eq!(before.len(), 100);
        assert_eq!(vector.get(0), Some(99));
        // The reverse copied the leaves: a store through the old version
        // finds its leaf copied without it and lands in the newest one.
        assert!(!before.version.store_in_place(5, 555));
        assert_eq!(vector.get(99), Some(99), "item 0 before the reverse");
        assert_eq!(before.get(5), Some(555));
        // Four writes retired four versions; a refused write retires none.
        assert_eq!(
            vector.set(1000, 1),
            Err(IndexOutOfRange {
                index: 1000,
                len: 100
            })
        );
        // SAFETY: single-threaded; `before` is no longer used.
        assert_eq!(unsafe { retired.reclaim() }, 4);
        assert!(retired.is_empty());
    }

    /// The most copies `store_while_copying` makes (an unloaded run makes
    /// a few dozen).
    const MOST_COPIES: u64 = 1000;

    /// Threads storing over items while others copy the leaves: each of
    /// `setters` threads stores values unique to it and the round into its
    /// own items (index % setters) `rounds` times over, while one thread
    /// runs `copy` again and again. The vector is left to check.
    fn store_while_copying(
        items: usize,
        setters: u64,
        rounds: u64,
        copy: impl Fn(&SharedVec<u64>, u64) + Send + Sync,
    ) -> SharedVec<u64> {
        let (vector, _) = new_vec(&(0..items as u64).collect::<Vec<_>>());
        let done = std::sync::atomic::AtomicU64::new(0);
        std::thread::scope(|scope| {
            for setter in 0..setters {
                let (vector, done) = (&vector, &done);
                scope.spawn(move || {
                    for round in 1..=rounds {
                        for index in (setter as usize..items).step_by(setters as usize) {
                            let value = 1 << 40 | setter << 32 | round << 20 | index as u64;
                            vector.set(index, value).unwrap();
                        }
                    }
                    done.fetch_add(1, Ordering::SeqCst);
                });
            }
            let (vector, done) = (&vector, &done);
            scope.spawn(move || {
                let mut step = 0;
                // Replaced versions stay until the vector is dropped: a
                // copier that kept going while the setters were starved of
                // processors (a loaded machine) filled the memory.
                while done.load(Ordering::SeqCst) < setters {
                    if step < MOST_COPIES {
                        copy(vector, step);
                        step += 1;
                    } else {
                        std::thread::yield_now();
                    }
                }
            });
        });
        vector
    }

    #[test]
    fn a_store_is_made_again_only_when_the_copy_of_its_leaf_lacks_it() {
        let items: Vec<u64> = (0..WIDTH as u64).collect();
        // Never copied: the store stands.
        let leaf = Leaf::<u64>::new(&items);
        assert!(leaf.store(3, 30));
        assert!(leaf.copy.load(Ordering::SeqCst).is_null());
        // A copy begun but not yet read: the store helps read it, and the
        // copy holds the value (a rebuild that moves items takes it there,
        // so it must not be made again at its index).
        leaf.copy.store(copy_begun(), Ordering::SeqCst);
        assert!(leaf.store(4, 40));
        assert_eq!(leaf.copied_items()[3..5], [30, 40]);
        // A copy already taken lacks a later store: made again.
        assert!(!leaf.store(5, 50));
        assert_eq!(leaf.get(5), 50);
        assert_eq!(leaf.copied_items()[5], 5);
        // Unless the value is the one the copy holds.
        assert!(leaf.store(6, 6));
        // Through a vector: a store into a leaf whose copy is begun stands,
        // and a rebuild that rotates the items takes it along once.
        let (vector, _) = new_vec(&(0..100).collect::<Vec<_>>());
        let version = vector.snapshot().version;
        version
            .leaf_for(0)
            .copy
            .store(copy_begun(), Ordering::SeqCst);
        assert_eq!(vector.set(7, 700), Ok(false));
        vector.update(|items| items.rotate_left(1));
        let after = vector.to_vec();
        assert_eq!(after.iter().filter(|&&item| item == 700).count(), 1);
        assert_eq!(after[6], 700);
        // A store through the old version finds its leaf copied without
        // it; the newest version's leaves are fresh copies, stored over in
        // place.
        assert!(!version.store_in_place(9, 900));
        assert_eq!(vector.set(9, 900), Ok(false));
        assert_eq!(vector.get(9), Some(900));
    }

    #[test]
    fn stores_racing_copies_of_their_leaves_are_neither_lost_nor_made_twice() {
        let (items, setters, rounds) = if cfg!(miri) {
            (96, 2, 3)
        } else {
            (32 * 64, 3, 400)
        };
        // Copies that move no item: path copies of a leaf (`update_at`),
        // rebuilds of the whole vector, a pop and an append of the last
        // item (the last leaf moves into the tail and back), and sorts that
        // find nothing to change. The last round's value of every item
        // must be there.
        let vector = store_while_copying(items, setters, rounds, |vector, step| match step % 4 {
            0 => {
                let index = (step as usize * 7) % vector.len();
                let _ = vector.update_at(index, |item| item);
            }
            1 => vector.update(|_| {}),
            2 => {
                let last = vector.pop().unwrap();
                vector.append(last);
            }
            _ => {
                let snapshot = vector.snapshot();
                let seen = snapshot.to_vec();
                vector.replace_if_unchanged(snapshot.stamp(), &seen, &seen);
            }
        });
        let expected: Vec<u64> = (0..items as u64)
            .map(|index| 1 << 40 | (index % setters) << 32 | rounds << 20 | index)
            .collect();
        assert_eq!(vector.to_vec(), expected);
        check_shape(&vector);
        // Copies that move every item one place (a rebuild that rotates):
        // a store the copy took must not be made again at its old index.
        // Every value stored is unique, so none may appear twice (each item
        // is stored over once: a later round would hide a duplicate).
        let items = if cfg!(miri) { items } else { 32 * 512 };
        let vector = store_while_copying(items, setters, 1, |vector, step| {
            vector.update(|items| {
                if step % 2 == 0 {
                    items.rotate_left(1)
                } else {
                    items.rotate_right(1)
                }
            })
        });
        let mut after = vector.to_vec();
        assert_eq!(after.len(), items);
        after.sort_unstable();
        after.dedup();
        assert_eq!(after.len(), items, "a store was made twice");
    }

    #[test]
    fn threads_appending_at_once_lose_nothing() {
        let per_thread = if cfg!(miri) { 30 } else { 5_000 };
        let (vector, retired) = new_vec(&[]);
        std::thread::scope(|scope| {
            for thread in 0..3u64 {
                let vector = &vector;
                scope.spawn(move || {
                    for index in 0..per_thread {
                        vector.append(thread << 32 | index);
                    }
                });
            }
        });
        let items = vector.to_vec();
        for thread in 0..3u64 {
            let mine: Vec<u64> = items
                .iter()
                .filter(|&&item| item >> 32 == thread)
                .map(|&item| item & 0xFFFF_FFFF)
                .collect();
            assert_eq!(mine, (0..per_thread).collect::<Vec<_>>());
        }
        // SAFETY: every writer has been joined.
        assert_eq!(unsafe { retired.reclaim() }, 3 * per_thread as usize);
    }

    #[test]
    fn shared_vec_is_send_and_sync() {
        fn assert_send_sync<X: Send + Sync>() {}
        assert_send_sync::<SharedVec<u64>>();
        assert_send_sync::<Snapshot<'static, u64>>();
    }
}
