//! `Published<V>`: the one atomic cell `SharedVec` keeps its current
//! immutable version in, and the compare-and-swap loop that
//! replaces it. A reader loads the version (Acquire) and reads it without
//! writing anything shared; a writer builds the next version from the one
//! it loaded, swaps it in (AcqRel) if nobody else did meanwhile, else drops
//! its attempt, pauses a little (a bounded, doubling backoff that eases
//! contention) and builds again from the newer one; a replaced version goes
//! to the `RetireList` and is freed only at a quiescent point (see
//! `vector.rs` for the memory-ordering argument and `retire.rs` for the
//! reclamation rule).

use std::marker::PhantomData;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::Arc;

use super::retire::RetireList;

/// The most pause iterations a writer waits after a lost race.
const MAX_BACKOFF: u32 = 64;

pub struct Published<V> {
    /// The current version, from `Box::into_raw`; replaced only by
    /// compare-and-swap, and the replaced one goes to `retired`.
    current: AtomicPtr<V>,
    retired: Arc<RetireList>,
    /// Owns a `V`: Send and Sync follow `V`'s without any unsafe impl (an
    /// `AtomicPtr` alone would be both for every `V`).
    _owns: PhantomData<V>,
}

impl<V: Send + Sync> Published<V> {
    pub fn new(version: V, retired: Arc<RetireList>) -> Published<V> {
        Published {
            current: AtomicPtr::new(Box::into_raw(Box::new(version))),
            retired,
            _owns: PhantomData,
        }
    }

    /// The current version, valid until the next `RetireList::reclaim`.
    #[inline]
    pub fn load(&self) -> &V {
        // Acquire: pairs with the Release half of the publishing swap.
        let version = self.current.load(Ordering::Acquire);
        // SAFETY: a published version is freed only by `reclaim` (whose
        // caller promises no reader is active) or by our drop, which cannot
        // run while `self` is borrowed.
        unsafe { &*version }
    }

    /// The current version, to change in place.
    ///
    /// # Safety
    /// Until the borrow ends, no other thread uses this cell and no
    /// reference from `load` (on any thread) is alive.
    #[allow(clippy::mut_from_ref)]
    pub unsafe fn current_mut(&self) -> &mut V {
        // SAFETY: the caller's promise makes this the only reference; the
        // version came from `Box::into_raw`.
        unsafe { &mut *self.current.load(Ordering::Acquire) }
    }

    /// Replaces the current version with what `build` makes of it, retrying
    /// on a concurrent replacement (so `build` may run several times);
    /// `build` may refuse with an error, and then nothing changes.
    pub fn publish<R, E>(&self, mut build: impl FnMut(&V) -> Result<(V, R), E>) -> Result<R, E> {
        // Acquire: pairs with the Release half of the publishing swap.
        let mut current = self.current.load(Ordering::Acquire);
        let mut backoff = 1;
        loop {
            // SAFETY: published and not yet reclaimed (as in `load`).
            let (next, result) = build(unsafe { &*current })?;
            let next = Box::into_raw(Box::new(next));
            // AcqRel (Relaxed on failure: the pointer is loaded again
            // after the backoff): see "Memory ordering" in vector.rs.
            match self
                .current
                .compare_exchange(current, next, Ordering::AcqRel, Ordering::Relaxed)
            {
                Ok(_) => {
                    // SAFETY: `current` came from `Box::into_raw`, and the
                    // swap unlinked it, so only this thread retires it;
                    // readers still on it stop before the next reclaim.
                    unsafe { self.retired.retire(current) };
                    return Ok(result);
                }
                Err(_) => {
                    // SAFETY: `next` was never published: it is still ours.
                    drop(unsafe { Box::from_raw(next) });
                    // Lost a race: let the winner's cache line settle before
                    // building again (a few loads, doubling up to a bound).
                    for _ in 0..backoff {
                        std::hint::spin_loop();
                    }
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                    // Acquire: as the first load.
                    current = self.current.load(Ordering::Acquire);
                }
            }
        }
    }
}

impl<V> Drop for Published<V> {
    fn drop(&mut self) {
        // SAFETY: the current version came from `Box::into_raw`; `&mut
        // self` means no borrow of it from `load` is alive.
        drop(unsafe { Box::from_raw(*self.current.get_mut()) });
    }
}
