//! `RingItems`: a `collections.deque`'s items (its `_deque.ring`), in one
//! of two representations, and every operation on them.
//!
//! A *local* ring (one thread reaches it) is a `VecDeque` changed in place
//! under its `PyCell`'s counted borrow. When the sharing walk reaches the
//! ring it becomes *shared* for good: its items move into a `SharedRing`
//! (`shared/ring.rs`), which any thread reads without waiting and which
//! every change replaces by publishing a new version with a
//! compare-and-swap, so that threads appending and popping at once (a
//! `queue.Queue`, a `Condition`'s waiters) lose and duplicate nothing and
//! stop nobody. Replaced versions wait on the ring's own retire list until
//! the collector, with every worker stopped, reclaims them as it traces
//! the ring. Each operation shares what it stores into a shared ring first
//! (the invariant of `heap/share.rs`).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::Arc;

use super::PyCell;
use crate::heap::gc::Marker;
use crate::heap::retired::note_retired_into;
use crate::heap::share::share;
use crate::shared::retire::RetireList;
pub use crate::shared::ring::End;
use crate::shared::ring::SharedRing;
use crate::value::Value;

#[derive(Default)]
pub struct RingItems {
    /// The items while the ring is local (empty once it is shared).
    local: PyCell<VecDeque<Value>>,
    /// Null while local; the shared representation from then on (set once,
    /// by the owner thread, before any other thread can reach the ring).
    shared: AtomicPtr<SharedDeque>,
}

struct SharedDeque {
    items: SharedRing<Value>,
    retired: Arc<RetireList>,
}

/// A rough size of what one change of a shared ring retires (the replaced
/// version and a node), counted towards the next collection.
const CHANGE_BYTES: usize = 96;

impl Drop for RingItems {
    fn drop(&mut self) {
        let shared = *self.shared.get_mut();
        if !shared.is_null() {
            // SAFETY: set once from `Box::into_raw` in `become_shared`;
            // `&mut self` means nobody reads it any more.
            drop(unsafe { Box::from_raw(shared) });
        }
    }
}

impl RingItems {
    fn shared(&self) -> Option<&SharedDeque> {
        // Acquire: pairs with the Release store of `become_shared`.
        let shared = self.shared.load(Ordering::Acquire);
        // SAFETY: non-null only once `become_shared` stored a box that
        // lives as long as `self` (freed in `drop`).
        (!shared.is_null()).then(|| unsafe { &*shared })
    }

    pub fn is_shared(&self) -> bool {
        !self.shared.load(Ordering::Acquire).is_null()
    }

    /// Switches to the shared representation (the sharing walk, on the
    /// owner thread, which holds no borrow of the items then).
    pub fn become_shared(&self) {
        if self.is_shared() {
            return;
        }
        let items: Vec<Value> = match self.local.try_borrow_mut() {
            Some(mut local) => std::mem::take(&mut *local).into(),
            None => self.local.read(|local| local.iter().copied().collect()),
        };
        let retired = Arc::new(RetireList::new());
        let items = SharedRing::from_items(&items, Arc::clone(&retired));
        let shared = Box::into_raw(Box::new(SharedDeque { items, retired }));
        // Release: the version is complete before the pointer is seen.
        self.shared.store(shared, Ordering::Release);
    }

    /// Pushes `value` at `end`, first dropping from the other end while
    /// the ring holds `limit` items (nothing is stored with a limit of 0).
    pub fn push(&self, end: End, value: Value, limit: Option<usize>) {
        match self.shared() {
            Some(shared) => {
                share(value);
                shared.items.push(end, value, limit);
                note_retired_into(&shared.retired, CHANGE_BYTES);
            }
            None => {
                if limit == Some(0) {
                    return;
                }
                let mut items = self.local.borrow_mut();
                if let Some(limit) = limit {
                    while items.len() >= limit {
                        match end {
                            End::Back => items.pop_front(),
                            End::Front => items.pop_back(),
                        };
                    }
                }
                match end {
                    End::Back => items.push_back(value),
                    End::Front => items.push_front(value),
                }
            }
        }
    }

    pub fn pop(&self, end: End) -> Option<Value> {
        match self.shared() {
            Some(shared) => {
                let popped = shared.items.pop(end);
                note_retired_into(&shared.retired, CHANGE_BYTES);
                popped
            }
            None => {
                let mut items = self.local.borrow_mut();
                match end {
                    End::Front => items.pop_front(),
                    End::Back => items.pop_back(),
                }
            }
        }
    }

    pub fn len(&self) -> usize {
        match self.shared() {
            Some(shared) => shared.items.len(),
            None => self.local.read(VecDeque::len),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The item at `index` (from `wrap`: the caller's index resolution
    /// against the length at that moment).
    pub fn get(&self, wrap: impl FnOnce(usize) -> Option<usize>) -> Option<Value> {
        match self.shared() {
            Some(shared) => shared.items.get_at(wrap),
            None => self
                .local
                .read(|items| wrap(items.len()).map(|at| items[at])),
        }
    }

    /// The items, front to back, as of one moment.
    pub fn to_vec(&self) -> Vec<Value> {
        match self.shared() {
            Some(shared) => shared.items.to_vec(),
            None => self.local.read(|items| items.iter().copied().collect()),
        }
    }

    /// Changes the items as `edit` says, on a `Vec` of them; what `edit`
    /// returns. (For a shared ring: on a copy, published whole, and run
    /// again if another writer got in first; `edit` must not run Python.)
    pub fn edit<R>(&self, mut edit: impl FnMut(&mut Vec<Value>) -> R) -> R {
        match self.shared() {
            Some(shared) => {
                let result = shared.items.update(&mut edit);
                note_retired_into(&shared.retired, CHANGE_BYTES + 16 * shared.items.len());
                result
            }
            None => {
                let mut local = self.local.borrow_mut();
                let mut items: Vec<Value> = std::mem::take(&mut *local).into();
                let result = edit(&mut items);
                *local = items.into();
                result
            }
        }
    }

    /// Applies the write barrier to `value` if it goes into a shared ring.
    pub fn barrier(&self, value: Value) {
        if self.is_shared() {
            share(value);
        }
    }

    /// Marks the items; when the collector marks, a shared ring's
    /// replaced versions are freed first.
    pub fn trace(&self, marker: &mut Marker) {
        match self.shared() {
            Some(shared) => {
                if marker.is_collecting() {
                    // SAFETY: a collection runs with every worker stopped
                    // at a safepoint or in a safe region, where none is
                    // inside a ring operation (they run no Python code and
                    // never park).
                    unsafe { shared.retired.reclaim() };
                }
                for item in shared.items.to_vec() {
                    marker.mark(item);
                }
            }
            None => self.local.read(|items| {
                for &item in items {
                    marker.mark(item);
                }
            }),
        }
    }
}
