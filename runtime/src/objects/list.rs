//! `ListItems`: a list's elements, with the sharing write barrier.
//!
//! Reads see a plain `Vec<Value>` (through `Deref`); there is no
//! `DerefMut`, so every change goes through a method here, and each method
//! that stores a value into a shared list shares that value first (the
//! invariant of `heap/share.rs`: a shared object refers only to shared
//! objects). Methods that only remove or reorder elements need no barrier.

use std::ops::{Deref, RangeBounds};

use crate::heap::share::{share, share_all};
use crate::value::{AtomicFlag, Value};

pub struct ListItems {
    items: Vec<Value>,
    /// Whether the owning list is shared (set by the sharing walk, which
    /// may run under a read borrow, hence interior mutability).
    shared: AtomicFlag,
}

impl Deref for ListItems {
    type Target = Vec<Value>;

    #[inline(always)]
    fn deref(&self) -> &Vec<Value> {
        &self.items
    }
}

impl From<Vec<Value>> for ListItems {
    fn from(items: Vec<Value>) -> ListItems {
        ListItems {
            items,
            shared: AtomicFlag::new(false),
        }
    }
}

impl ListItems {
    pub fn new(items: Vec<Value>) -> ListItems {
        ListItems::from(items)
    }

    /// No elements. (No `Default`: `mem::take` of a list's payload would
    /// drop its `shared` flag; use `take`.)
    pub fn empty() -> ListItems {
        ListItems::from(Vec::new())
    }

    /// Marks the list as shared (the sharing walk).
    pub fn note_shared(&self) {
        self.shared.set(true);
    }

    #[inline(always)]
    fn barrier(&self, value: Value) {
        if self.shared.get() {
            share(value);
        }
    }

    #[inline(always)]
    fn barrier_all(&self, values: &[Value]) {
        if self.shared.get() {
            share_all(values);
        }
    }

    #[inline]
    pub fn push(&mut self, value: Value) {
        self.barrier(value);
        self.items.push(value);
    }

    pub fn insert(&mut self, index: usize, value: Value) {
        self.barrier(value);
        self.items.insert(index, value);
    }

    /// Replaces the element at `index` (which must exist).
    #[inline]
    pub fn set(&mut self, index: usize, value: Value) {
        self.barrier(value);
        self.items[index] = value;
    }

    pub fn extend_from_slice(&mut self, values: &[Value]) {
        self.barrier_all(values);
        self.items.extend_from_slice(values);
    }

    /// Replaces every element.
    pub fn replace_all(&mut self, items: Vec<Value>) {
        self.barrier_all(&items);
        self.items = items;
    }

    /// Replaces the elements in `range` with `values`.
    pub fn splice(&mut self, range: impl RangeBounds<usize>, values: Vec<Value>) {
        self.barrier_all(&values);
        self.items.splice(range, values);
    }

    /// Takes every element out, leaving the list empty.
    pub fn take(&mut self) -> Vec<Value> {
        std::mem::take(&mut self.items)
    }

    #[inline]
    pub fn pop(&mut self) -> Option<Value> {
        self.items.pop()
    }

    pub fn remove(&mut self, index: usize) -> Value {
        self.items.remove(index)
    }

    pub fn truncate(&mut self, len: usize) {
        self.items.truncate(len);
    }

    pub fn clear(&mut self) {
        self.items.clear();
    }

    pub fn drain(&mut self, range: impl RangeBounds<usize>) -> std::vec::Drain<'_, Value> {
        self.items.drain(range)
    }

    pub fn retain(&mut self, keep: impl FnMut(&Value) -> bool) {
        self.items.retain(keep);
    }

    pub fn reserve(&mut self, additional: usize) {
        self.items.reserve(additional);
    }

    /// Runs `edit` on the elements for removals only (it must not store a
    /// value that was not in the list: that would bypass the barrier).
    pub fn remove_with<R>(&mut self, edit: impl FnOnce(&mut Vec<Value>) -> R) -> R {
        edit(&mut self.items)
    }

    /// The elements as a mutable slice, for reordering only (reverse,
    /// rotate, swaps, sorting): storing a value not already in the list
    /// would bypass the write barrier.
    pub fn reorder(&mut self) -> &mut [Value] {
        &mut self.items
    }
}
