//! Fixed-size slots for heap objects, carved from large chunks.
//!
//! Every heap object is an `Obj` of one fixed size, so a heap needs only
//! one size class: a free list threaded through unused slots. Allocation
//! pops a slot and freeing pushes it back, with no call into the system
//! allocator on the common path; chunks are returned only when the heap
//! is dropped.
//!
//! Invariant: a slot is either on the free list (its first word holds the
//! next free slot, the rest is uninitialised) or holds a live `Obj` —
//! never both. The first word tells which: a free-list link is a user
//! address or null (top 16 bits clear), a live object starts with its
//! class, a NaN-boxed `Value` (top 16 bits set). So the sweep walks the
//! chunks in address order, with no list to chase.

use std::alloc::{alloc, dealloc, handle_alloc_error, Layout};

use super::Obj;

/// Slots per chunk. Smaller under Miri, so that its tests cross chunk
/// boundaries in a few hundred allocations (the code paths are the same).
pub(super) const CHUNK_SLOTS: usize = if cfg!(miri) { 64 } else { 1024 };

/// Whether a slot's first word belongs to a live object (see the module
/// comment): free-list links are user-space addresses or null.
#[inline(always)]
pub fn is_live_word(word: u64) -> bool {
    word >> 48 != 0
}

/// Writes a free-list link into a slot's first word. On 32-bit targets a
/// pointer fills only half of the 64-bit word the sweep reads, so the word
/// is cleared first: otherwise the half a dead object's class left behind
/// would make the slot look live (and it would be dropped twice).
///
/// # Safety
/// `slot` must be a writable slot of this slab holding no live object.
#[inline(always)]
unsafe fn write_link(slot: *mut Obj, next: *mut Obj) {
    // SAFETY: the caller guarantees the slot is ours and dead; slots are
    // aligned for `Obj`, hence for a u64 and a pointer.
    unsafe {
        if std::mem::size_of::<*mut Obj>() < 8 {
            slot.cast::<u64>().write(0);
        }
        slot.cast::<*mut Obj>().write(next);
    }
}

// A pointer written over a cleared word lands in its low bits only on a
// little-endian machine (the targets: x86-64, wasm32, aarch64).
const _: () = assert!(cfg!(target_endian = "little") || std::mem::size_of::<usize>() == 8);

pub struct Slab {
    chunks: Vec<*mut Obj>,
    free: *mut Obj,
}

impl Slab {
    pub fn new() -> Slab {
        Slab {
            chunks: Vec::new(),
            free: std::ptr::null_mut(),
        }
    }

    fn chunk_layout() -> Layout {
        Layout::array::<Obj>(CHUNK_SLOTS).expect("chunk layout")
    }

    /// An uninitialised slot for one `Obj`.
    #[inline]
    pub fn take(&mut self) -> *mut Obj {
        if self.free.is_null() {
            self.grow();
        }
        let slot = self.free;
        // SAFETY: `slot` is on the free list, so its first word holds the
        // next free slot (written by `grow` or `give_back`); slots are
        // aligned for `Obj`, hence for a pointer.
        self.free = unsafe { slot.cast::<*mut Obj>().read() };
        slot
    }

    /// Returns a slot whose object has already been dropped.
    ///
    /// # Safety
    /// `slot` must come from `take` on this slab and hold no live object.
    #[inline]
    pub unsafe fn give_back(&mut self, slot: *mut Obj) {
        // SAFETY: the caller guarantees the slot is ours and dead, so its
        // memory may be reused to hold the free-list link.
        unsafe { write_link(slot, self.free) };
        self.free = slot;
    }

    /// Visits every live object, from the highest address down; `free`
    /// decides whether it dies (it must have dropped the object then), and
    /// its slot goes back on the free list — which therefore hands slots
    /// out again in ascending address order, so objects allocated one after
    /// another sit one after another in memory.
    ///
    /// # Safety
    /// Every live slot must hold an initialised `Obj`; `free` returning
    /// true must leave the slot's object dropped.
    pub unsafe fn sweep(&mut self, mut free: impl FnMut(*mut Obj) -> bool) {
        for chunk_index in (0..self.chunks.len()).rev() {
            let chunk = self.chunks[chunk_index];
            for index in (0..CHUNK_SLOTS).rev() {
                // SAFETY: `index` is within the chunk; every slot's first
                // word is initialised (a link since `grow`, or a class).
                unsafe {
                    let slot = chunk.add(index);
                    if is_live_word(slot.cast::<u64>().read()) && free(slot) {
                        self.give_back(slot);
                    }
                }
            }
        }
    }

    fn grow(&mut self) {
        let layout = Self::chunk_layout();
        // SAFETY: the layout has a non-zero size (`Obj` is not zero-sized).
        let chunk = unsafe { alloc(layout) }.cast::<Obj>();
        if chunk.is_null() {
            handle_alloc_error(layout);
        }
        for index in (0..CHUNK_SLOTS).rev() {
            // SAFETY: `index` is within the chunk just allocated; every slot
            // is free and aligned for `Obj`.
            unsafe {
                let slot = chunk.add(index);
                write_link(slot, self.free);
                self.free = slot;
            }
        }
        self.chunks.push(chunk);
    }
}

impl Drop for Slab {
    fn drop(&mut self) {
        let layout = Self::chunk_layout();
        for chunk in self.chunks.drain(..) {
            // SAFETY: each chunk came from `alloc` with this layout; the heap
            // dropped every live object before dropping the slab.
            unsafe { dealloc(chunk.cast::<u8>(), layout) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_distinct_and_reused() {
        let mut slab = Slab::new();
        let count = CHUNK_SLOTS * 2 + CHUNK_SLOTS / 2;
        let slots: Vec<*mut Obj> = (0..count).map(|_| slab.take()).collect();
        let unique: std::collections::HashSet<*mut Obj> = slots.iter().copied().collect();
        assert_eq!(unique.len(), slots.len());
        assert_eq!(slab.chunks.len(), 3);
        for slot in &slots {
            // SAFETY: the slots came from this slab and hold no object.
            unsafe { slab.give_back(*slot) };
        }
        let again: std::collections::HashSet<_> = (0..count).map(|_| slab.take()).collect();
        assert_eq!(again, unique);
        assert_eq!(
            slab.chunks.len(),
            3,
            "freed slots are reused before growing"
        );
    }
}
