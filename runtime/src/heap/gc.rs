//! The collector: non-moving mark-and-sweep over one `LocalHeap`.
//!
//! Marking uses an explicit worklist, never recursion, so a deeply nested
//! data structure cannot overflow the Rust stack. The caller supplies the
//! roots (every frame of every task, the module registry, the builtins, the
//! engine's own registers) through a closure that feeds a [`Marker`].
//! Sweeping walks the heap list and frees every unmarked object.
//!
//! # Invariants
//!
//! - Runs only at a safepoint: no native code holds an unrooted `Value`.
//! - Immortal objects are born marked and are skipped: they refer only to
//!   immortal objects (see `heap/mod.rs`).
//! - After a collection every surviving object is unmarked again.

use super::{LocalHeap, Obj, MARKED, SHARED};
use crate::value::Value;

/// Collects reachable objects into a worklist and traces them. The same
/// walk serves two flags: `MARKED` for the collector, `SHARED` for
/// `share.rs` (which stops at objects already shared, as the collector
/// stops at marked ones).
pub struct Marker {
    worklist: Vec<*const Obj>,
    bit: u8,
}

impl Marker {
    pub(super) fn new(bit: u8) -> Marker {
        Marker {
            worklist: Vec::new(),
            bit,
        }
    }

    /// Marks `value` (if it is a mortal heap object not yet marked) and
    /// queues it for tracing.
    #[inline]
    pub fn mark(&mut self, value: Value) {
        if let Some(obj) = value.as_obj() {
            if obj.header.set_flag(self.bit) {
                self.worklist.push(obj as *const Obj);
            }
        }
    }

    /// Whether this walk is the collector's (not the sharing walk or a
    /// listing of references): only then may tracing free retired
    /// versions of shared containers.
    pub fn is_collecting(&self) -> bool {
        self.bit == MARKED
    }

    pub fn mark_all(&mut self, values: &[Value]) {
        for value in values {
            self.mark(*value);
        }
    }

    /// A marker that only queues what it is given (no flag): tracing into
    /// it lists an object's or a root set's direct references.
    pub fn queue_only() -> Marker {
        Marker::new(0)
    }

    /// The objects queued so far, as values (see `queue_only`).
    pub fn queued_values(&mut self) -> Vec<Value> {
        self.worklist.drain(..).map(Value::from_obj).collect()
    }

    /// The objects queued and not yet traced (with no flag, every child
    /// passed to `mark`).
    pub(super) fn take_queued(&mut self) -> std::vec::Drain<'_, *const Obj> {
        self.worklist.drain(..)
    }

    pub(super) fn drain(&mut self) {
        while let Some(pointer) = self.worklist.pop() {
            // SAFETY: only live heap objects are pushed (they were reached
            // from roots during this walk, and nothing is freed until it is
            // over).
            let obj = unsafe { &*pointer };
            if self.bit == SHARED {
                obj.kind.note_shared();
            }
            self.mark(obj.class());
            self.mark(obj.dict());
            obj.kind.trace(self);
        }
    }
}

impl LocalHeap {
    /// Runs a full collection. `roots` must mark every root.
    pub fn collect(&mut self, roots: impl FnOnce(&mut Marker)) {
        let mut marker = Marker::new(MARKED);
        roots(&mut marker);
        marker.drain();
        self.sweep();
    }

    /// Like `collect`, and before sweeping drops from `weak` every value
    /// the collection is about to free (a weak list).
    pub fn collect_pruning_weak(&mut self, roots: impl FnOnce(&mut Marker), weak: &mut Vec<Value>) {
        let mut marker = Marker::new(MARKED);
        roots(&mut marker);
        marker.drain();
        weak.retain(|value| value.as_obj().is_none_or(|obj| obj.header.has(MARKED)));
        self.sweep();
    }

    /// Marks from `roots` without sweeping (a collection over several
    /// heaps marks once, then sweeps each with `sweep_pruning_weak`).
    pub fn mark_only(roots: impl FnOnce(&mut Marker)) {
        let mut marker = Marker::new(MARKED);
        roots(&mut marker);
        marker.drain();
    }

    /// The sweep half of `collect_pruning_weak`, after `mark_only`.
    pub fn sweep_pruning_weak(&mut self, weak: &mut Vec<Value>) {
        weak.retain(|value| value.as_obj().is_none_or(|obj| obj.header.has(MARKED)));
        self.sweep();
    }

    fn sweep(&mut self) {
        let mut freed_bytes = 0usize;
        let mut freed_objects = 0usize;
        let mut live_storage = 0usize;
        // SAFETY: the slab's live slots hold objects `alloc` wrote; an
        // unmarked one is dropped here exactly once before the slab takes
        // its slot back.
        unsafe {
            self.slab.sweep(|object| {
                if (*object).header.has(MARKED) {
                    (*object).header.clear_flag(MARKED);
                    live_storage += (*object).kind.storage_bytes();
                    return false;
                }
                freed_bytes += std::mem::size_of::<Obj>() + (*object).kind.extra_bytes();
                freed_objects += 1;
                std::ptr::drop_in_place(object);
                true
            });
        }
        self.stats.objects -= freed_objects;
        self.stats.bytes = self.stats.bytes.saturating_sub(freed_bytes);
        self.stats.collections += 1;
        self.stats.peak_bytes_after_collection =
            self.stats.peak_bytes_after_collection.max(self.stats.bytes);
        self.bytes_since_collection = 0;
        // The next collection will trace the containers' items too: wait
        // for as much new allocation (and retired versions) as there is
        // live data, so that tracing stays in proportion to allocating.
        self.live_after_collection = self.stats.bytes + live_storage;
        self.threshold = self.live_after_collection.max(super::MIN_THRESHOLD);
    }
}
