//! The retire list: allocations that were unlinked from a shared structure
//! but that other threads may still be reading, kept until a quiescent
//! point frees them all at once.
//!
//! It is a push-only Treiber stack on one `AtomicPtr`: `retire` pushes with
//! a compare-and-swap, `reclaim` takes the whole stack with one swap and
//! drops every entry. Entries are type-erased (a pointer and the function
//! that frees it), so one list serves every shared type. Because nothing
//! ever pops a single entry, the stack has no ABA problem. The list knows
//! nothing of *when* freeing is safe: the caller of `reclaim` promises that
//! no thread still holds a reference obtained before an entry was retired.
//! In the engine that point is a stop-the-world rendezvous
//! (`sched::rendezvous::StoppedWorld`), where every other worker waits at
//! a safepoint and so is between operations.

use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicPtr, Ordering};

/// One retired allocation, linked into the stack.
struct Retired {
    object: *mut (),
    /// Frees `object`; it knows the object's real type.
    free: unsafe fn(*mut ()),
    next: *mut Retired,
}

/// Frees a `Box<X>` that was turned into a raw pointer.
///
/// # Safety
/// `object` came from `Box::<X>::into_raw` and is freed only here, once.
unsafe fn free_boxed<X>(object: *mut ()) {
    // SAFETY: the caller passes the pointer `Box::<X>::into_raw` returned,
    // exactly once.
    drop(unsafe { Box::from_raw(object.cast::<X>()) });
}

/// Retired allocations waiting for a quiescent point (see the module doc).
pub struct RetireList {
    /// The most recently retired entry; each links to the one before.
    head: AtomicPtr<Retired>,
    /// Set while the list waits in someone's queue of lists to reclaim
    /// (the engine's reclaim stops, `heap/retired.rs`); `reclaim` clears
    /// it. The list itself never reads it.
    queued: AtomicBool,
}

impl Default for RetireList {
    fn default() -> Self {
        RetireList::new()
    }
}

impl RetireList {
    pub const fn new() -> RetireList {
        RetireList {
            head: AtomicPtr::new(ptr::null_mut()),
            queued: AtomicBool::new(false),
        }
    }

    /// Adds `object` to the list; it is freed (as a `Box<X>`) by the next
    /// `reclaim` or when the list is dropped. Lock-free: one allocation and
    /// a compare-and-swap, retried only if another thread retired at the
    /// same moment. `X: Send + Sync` because other threads may still read
    /// the object and whichever thread reclaims will drop it.
    ///
    /// # Safety
    /// `object` came from `Box::<X>::into_raw`, is retired once, and
    /// nothing else frees it. Whoever still reads it must stop before the
    /// next `reclaim` (that call's contract) or the list's drop.
    pub unsafe fn retire<X: Send + Sync>(&self, object: *mut X) {
        let entry = Box::into_raw(Box::new(Retired {
            object: object.cast(),
            free: free_boxed::<X>,
            next: ptr::null_mut(),
        }));
        // Relaxed: the head read here is only stored into `entry.next`,
        // never dereferenced.
        let mut head = self.head.load(Ordering::Relaxed);
        loop {
            // SAFETY: `entry` is ours alone until the compare-and-swap
            // below publishes it.
            unsafe { (*entry).next = head };
            // Release on success: publishes `entry`'s fields (and, through
            // this thread's history, the retired object) to the Acquire
            // swap in `reclaim`. Every later push is a read-modify-write,
            // so it stays in this release sequence.
            match self
                .head
                .compare_exchange_weak(head, entry, Ordering::Release, Ordering::Relaxed)
            {
                Ok(_) => return,
                Err(current) => head = current,
            }
        }
    }

    /// Sets the queued flag; true for the one caller that found it clear
    /// (which must then queue the list, or clear the flag again). One load
    /// when it is already set, so writers that find it set share its cache
    /// line instead of fighting for it.
    pub fn mark_queued(&self) -> bool {
        // Relaxed: the flag only decides who queues the list; the queue
        // and the reclaim that clears it order everything else.
        !self.queued.load(Ordering::Relaxed) && !self.queued.swap(true, Ordering::Relaxed)
    }

    /// Clears the queued flag (the caller could not queue the list).
    pub fn unmark_queued(&self) {
        self.queued.store(false, Ordering::Relaxed);
    }

    /// Whether nothing is waiting to be freed (a snapshot: other threads
    /// may retire at any time).
    pub fn is_empty(&self) -> bool {
        // Acquire: pairs with the Release push; only the null test is used.
        self.head.load(Ordering::Acquire).is_null()
    }

    /// Frees everything retired so far; returns how many entries it freed.
    /// Entries retired while it runs stay for the next call.
    ///
    /// # Safety
    /// No thread may hold, or go on to use, a reference to a retired object
    /// that it obtained before that object was retired. In the engine this
    /// holds inside a stop-the-world rendezvous: every other worker waits at
    /// a safepoint, between operations, holding no snapshot.
    pub unsafe fn reclaim(&self) -> usize {
        // Acquire: pairs with the Release compare-and-swap of every push
        // (one release sequence), so each entry and object is fully visible.
        let mut entry = self.head.swap(ptr::null_mut(), Ordering::Acquire);
        self.queued.store(false, Ordering::Relaxed);
        let mut freed = 0;
        while !entry.is_null() {
            // SAFETY: every entry came from `Box::into_raw` in `retire`, and
            // the swap above made this thread its only owner.
            let retired = unsafe { Box::from_raw(entry) };
            // SAFETY: `retired.free` matches the object's type (set in
            // `retire`); the caller promises no one still reads the object.
            unsafe { (retired.free)(retired.object) };
            entry = retired.next;
            freed += 1;
        }
        freed
    }
}

impl Drop for RetireList {
    fn drop(&mut self) {
        // SAFETY: `&mut self` means no other thread can use the list, and
        // `retire`'s contract says readers stopped before the list's drop.
        unsafe { self.reclaim() };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::sync::Arc;

    /// Counts its drops, to see that reclaim frees each object once.
    struct Tracked(Arc<AtomicUsize>);

    impl Drop for Tracked {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn reclaim_frees_each_retired_object_once() {
        let drops = Arc::new(AtomicUsize::new(0));
        let list = RetireList::new();
        assert!(list.is_empty());
        for _ in 0..5 {
            // SAFETY: a fresh box, retired once, read by no one.
            unsafe { list.retire(Box::into_raw(Box::new(Tracked(drops.clone())))) };
        }
        // SAFETY: a different type in the same list.
        unsafe { list.retire(Box::into_raw(Box::new([7u64; 40]))) };
        assert!(!list.is_empty());
        assert_eq!(drops.load(Ordering::SeqCst), 0);
        // SAFETY: single-threaded; nothing reads the retired objects.
        assert_eq!(unsafe { list.reclaim() }, 6);
        assert!(list.is_empty());
        assert_eq!(drops.load(Ordering::SeqCst), 5);
        // SAFETY: as above; the list is already empty.
        assert_eq!(unsafe { list.reclaim() }, 0);
        // SAFETY: a fresh box, freed when the list is dropped.
        unsafe { list.retire(Box::into_raw(Box::new(Tracked(drops.clone())))) };
        drop(list);
        assert_eq!(drops.load(Ordering::SeqCst), 6);
    }

    #[test]
    fn one_caller_marks_the_list_queued_until_a_reclaim_clears_it() {
        let list = RetireList::new();
        assert!(list.mark_queued(), "the first caller queues the list");
        assert!(!list.mark_queued(), "later callers find it queued");
        list.unmark_queued();
        assert!(list.mark_queued(), "unmarked, it can be queued again");
        // SAFETY: nothing was retired, so nothing is read.
        unsafe { list.reclaim() };
        assert!(list.mark_queued(), "a reclaim leaves it unqueued");
    }

    #[test]
    fn concurrent_retires_lose_no_entry() {
        let per_thread = if cfg!(miri) { 20 } else { 10_000 };
        let list = RetireList::new();
        std::thread::scope(|scope| {
            for thread in 0..4u64 {
                let list = &list;
                scope.spawn(move || {
                    for index in 0..per_thread {
                        // SAFETY: a fresh box, retired once, read by no one.
                        unsafe { list.retire(Box::into_raw(Box::new(thread * 1000 + index))) };
                    }
                });
            }
        });
        // SAFETY: every retiring thread has been joined.
        assert_eq!(unsafe { list.reclaim() }, 4 * per_thread as usize);
    }
}
