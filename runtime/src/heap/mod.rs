//! The heap: object header, the per-worker `LocalHeap` and allocation.
//!
//! Every heap object is an [`Obj`]: a small [`Header`] (class, instance
//! dictionary, mark bit) followed by its payload, [`ObjKind`], in a slot of
//! its heap's slab. There is no reference count: objects are
//! freed by the tracing collector in `gc.rs`.
//!
//! # Invariants
//!
//! - Only the owning worker allocates from or sweeps a `LocalHeap`.
//! - The collector runs only at a safepoint (a block boundary of the outer
//!   step loop, never inside native code), so a `Value` held in a Rust local
//!   by native code stays valid until that native code returns.
//! - *Immortal* objects (compiled constants, code objects, interned names,
//!   builtin types and functions) are not on any heap list and are never
//!   freed; an immortal object never refers to a mortal one, so the
//!   collector does not trace through them.
//! - A heap object is mutated in place only by its owner task (threads and
//!   copy-on-write sharing arrive with the scheduler).

pub mod gc;
pub mod retired;
pub mod share;
mod slab;
#[cfg(test)]
mod tests;

use std::sync::atomic::AtomicU8;
use std::sync::atomic::Ordering::Relaxed;

use crate::objects::ObjKind;
use crate::value::Value;

/// The header in front of every heap object. `class` comes first (and
/// `Obj` starts with the header): the slab tells a live object from a free
/// slot by that first word (see `slab.rs`).
#[repr(C)]
pub struct Header {
    /// The object's Python class (a type object, or `NULL` while a class
    /// is being built) — never a bare float, so its top bits are set.
    class: crate::value::AtomicValue,
    /// The instance `__dict__` (a dict object) or `NULL`.
    dict: crate::value::AtomicValue,
    /// `MARKED` (the collector's mark bit) and `SHARED` (reachable from
    /// more than one thread: see `share.rs`).
    flags: AtomicU8,
    immortal: bool,
}

/// The collector's mark bit in `Header::flags`.
pub const MARKED: u8 = 1;
/// Set once an object may be reached by more than one thread; never
/// cleared. Immortal objects carry it from birth.
pub const SHARED: u8 = 2;

impl Header {
    #[inline(always)]
    pub fn has(&self, flag: u8) -> bool {
        self.flags.load(Relaxed) & flag != 0
    }

    /// Sets `flag`; returns whether it was clear before (exactly one of
    /// several threads setting it at once gets `true`).
    #[inline(always)]
    pub fn set_flag(&self, flag: u8) -> bool {
        let flags = self.flags.load(Relaxed);
        if flags & flag != 0 {
            return false;
        }
        if flag == SHARED {
            // Only the owner thread shares a local object: a plain store.
            self.flags.store(flags | flag, Relaxed);
            return true;
        }
        // `MARKED`: the workers of a group mark in parallel (all mutators
        // stopped); the first to set it traces the object.
        self.flags.fetch_or(flag, Relaxed) & flag == 0
    }

    #[inline(always)]
    pub fn clear_flag(&self, flag: u8) {
        self.flags.store(self.flags.load(Relaxed) & !flag, Relaxed);
    }
}

/// A heap object: header plus payload.
#[repr(C)]
pub struct Obj {
    pub header: Header,
    pub kind: ObjKind,
}

impl Obj {
    #[inline(always)]
    pub fn class(&self) -> Value {
        self.header.class.get()
    }

    /// Changes the class (`obj.__class__ = …` and class creation).
    pub fn set_class(&self, class: Value) {
        if self.is_shared() {
            share::share(class);
        }
        self.header.class.set(class)
    }

    /// The instance dictionary, or `NULL` when the object has none.
    #[inline(always)]
    pub fn dict(&self) -> Value {
        self.header.dict.get()
    }

    pub fn set_dict(&self, dict: Value) {
        if self.is_shared() {
            share::share(dict);
        }
        self.header.dict.set(dict)
    }

    pub fn is_immortal(&self) -> bool {
        self.header.immortal
    }

    /// Whether another thread may reach this object (see `share.rs`).
    #[inline(always)]
    pub fn is_shared(&self) -> bool {
        self.header.has(SHARED)
    }
}

/// Counters the heap reports, for limits and for the bounded-memory tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HeapStats {
    /// Objects on the heap list now (live or not yet swept).
    pub objects: usize,
    /// Estimated bytes of those objects.
    pub bytes: usize,
    /// Collections run so far.
    pub collections: usize,
    /// The largest `bytes` ever seen right after a collection.
    pub peak_bytes_after_collection: usize,
    /// The largest `bytes` ever seen at any point.
    pub peak_bytes: usize,
}

/// A worker's own heap: the slab holding every mortal object it
/// allocated, plus the counters that decide when to collect.
pub struct LocalHeap {
    slab: slab::Slab,
    stats: HeapStats,
    bytes_since_collection: usize,
    /// Collect when `bytes_since_collection` exceeds this.
    threshold: usize,
    /// What the last sweep left: object bytes plus the items of live
    /// containers, which the next collection traces.
    live_after_collection: usize,
    /// Bytes of replaced versions queued for the next reclaim stop
    /// (`retired.rs`) since this worker's last one.
    reclaimable_bytes: usize,
}

/// Bytes of queued replaced versions a worker lets pile up before it asks
/// for a reclaim stop.
const RECLAIM_EVERY: usize = 4 << 20;

const MIN_THRESHOLD: usize = 4 << 20;

impl Default for LocalHeap {
    fn default() -> Self {
        Self::new()
    }
}

impl LocalHeap {
    pub fn new() -> LocalHeap {
        LocalHeap {
            slab: slab::Slab::new(),
            stats: HeapStats::default(),
            bytes_since_collection: 0,
            threshold: MIN_THRESHOLD,
            live_after_collection: 0,
            reclaimable_bytes: 0,
        }
    }

    /// Bytes the last collection found live here (objects and their
    /// containers' items): the tracing work this heap adds to the next.
    pub fn live_after_collection(&self) -> usize {
        self.live_after_collection
    }

    /// Waits for at least `bytes` of allocation before the next collection
    /// (a collection over several heaps paces each by what all of them
    /// hold, `sched::workers::pace_heaps`).
    pub fn defer_collection_until(&mut self, bytes: usize) {
        self.threshold = self.threshold.max(bytes);
    }

    pub fn stats(&self) -> HeapStats {
        self.stats
    }

    /// Allocates a mortal object owned by this heap.
    pub fn alloc(&mut self, class: Value, kind: ObjKind) -> Value {
        let size = std::mem::size_of::<Obj>() + kind.extra_bytes();
        debug_assert!(slab::is_live_word(class.bits()), "a class is never a float");
        let pointer = self.slab.take();
        let obj = Obj {
            header: Header {
                class: crate::value::AtomicValue::new(class),
                dict: crate::value::AtomicValue::new(Value::NULL),
                flags: AtomicU8::new(0),
                immortal: false,
            },
            kind,
        };
        // SAFETY: the slot is fresh from the slab: aligned, unused, sized
        // for one `Obj`.
        unsafe { pointer.write(obj) };
        self.stats.objects += 1;
        self.stats.bytes += size;
        self.stats.peak_bytes = self.stats.peak_bytes.max(self.stats.bytes);
        self.bytes_since_collection += size;
        Value::from_obj(pointer)
    }

    /// Calls `visit` with every object of this heap, live or not yet swept.
    pub fn for_each_object(&mut self, mut visit: impl FnMut(&Obj)) {
        // SAFETY: every live slot holds an object `alloc` wrote (the sweep
        // drops dead ones before giving their slots back); returning false
        // frees nothing.
        unsafe {
            self.slab.sweep(|object| {
                visit(&*object);
                false
            })
        };
    }

    /// A collection was due but could not run (another worker was inside
    /// native code): ask again soon, after a sixteenth of the threshold.
    pub fn postpone_collection(&mut self) {
        self.bytes_since_collection = self.threshold - self.threshold / 16;
    }

    /// Counts `bytes` of garbage outside the heap that only a collection
    /// frees (versions replaced by writes to shared lists).
    #[inline]
    pub fn count_garbage(&mut self, bytes: usize) {
        self.bytes_since_collection += bytes;
    }

    /// Counts `bytes` of replaced versions that a reclaim stop frees.
    #[inline]
    pub fn count_reclaimable(&mut self, bytes: usize) {
        self.reclaimable_bytes += bytes;
    }

    /// Whether the versions this worker retired call for a reclaim stop.
    #[inline(always)]
    pub fn wants_reclaim(&self) -> bool {
        self.reclaimable_bytes > RECLAIM_EVERY
    }

    /// A reclaim stop (or a collection, which reclaims too) ran.
    pub fn reclaimed(&mut self) {
        self.reclaimable_bytes = 0;
    }

    /// A reclaim stop was due but could not run: ask again soon.
    pub fn postpone_reclaim(&mut self) {
        self.reclaimable_bytes = RECLAIM_EVERY - RECLAIM_EVERY / 16;
    }

    /// Whether allocation since the last collection calls for a new one.
    #[inline(always)]
    pub fn wants_collection(&self) -> bool {
        self.bytes_since_collection > self.threshold
    }
}

/// Allocates an immortal object: never freed, never traced through.
pub fn alloc_immortal(class: Value, kind: ObjKind) -> Value {
    let obj = Box::new(Obj {
        header: Header {
            class: crate::value::AtomicValue::new(class),
            dict: crate::value::AtomicValue::new(Value::NULL),
            flags: AtomicU8::new(MARKED | SHARED),
            immortal: true,
        },
        kind,
    });
    // Every thread may reach an immortal object: its cells start untracked.
    obj.kind.note_shared();
    Value::from_obj(Box::leak(obj))
}

impl Drop for LocalHeap {
    fn drop(&mut self) {
        // SAFETY: every live slot holds an object `alloc` wrote; it is
        // dropped exactly once, here (the sweep already dropped the dead
        // ones); the slab frees the memory afterwards.
        unsafe {
            self.slab.sweep(|object| {
                std::ptr::drop_in_place(object);
                true
            })
        };
    }
}
