//! `ByteArrayCell`: a bytearray's bytes, in one of two representations,
//! and the copy-on-write protocol of a shared bytearray's changes.
//!
//! A *local* bytearray (one thread reaches it) keeps its bytes in a
//! `PyCell<Vec<u8>>`, changed in place under a counted write borrow. When
//! the sharing walk reaches it, it becomes *shared* for good: its bytes
//! move into a published version (`SharedBytes::current`, a `Vec<u8>`
//! that is never changed once other threads may read it). Readers load the
//! version pointer and read it without waiting. A change (`update`) copies
//! the current version, applies itself to the copy and publishes the copy
//! with a compare-and-swap; a writer that lost to another thread's publish
//! applies its change again to the newer version, so concurrent writers
//! lose nothing. Replaced versions wait on the bytearray's retire list
//! until the collector, with every worker stopped, frees them.
//!
//! ```text
//!  current ──> v1 [b'abc']          writer: load v1, copy, change the copy
//!              v2 [b'abcd']                 CAS current v1 -> v2
//!                                              ok:   retire v1
//!                                              fail: drop v2, retry on the
//!                                                    version that won
//! ```
//!
//! Two cases change the current version in place instead, inside a write
//! section (every other worker stopped at a safepoint, so none holds a
//! reference into it): when no other worker runs at all (the section
//! stops nobody, and nothing is copied), and when the bytearray is larger
//! than `COPY_LIMIT`, where copying the whole buffer at each change would
//! cost more than stopping the other workers.
//!
//! Rules, as for a list's views: a `BytesView` must not live across a call
//! that can run Python code or reach a safepoint (the collector may free
//! its version there), and a change given to `update` must not either (it
//! may run more than once, and must leave the bytes alone when it fails).

use std::convert::Infallible;
use std::ops::Deref;
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};

use super::pycell::{PyCell, PyRef};
use crate::shared::retire::RetireList;

/// Above this many bytes a shared bytearray is changed in a write section
/// rather than by copying it. A section on two workers costs a few
/// microseconds, as does copying this much; but a section stalls every
/// other worker while a copy costs only its writer, so the limit sits at
/// the top of that range.
pub const COPY_LIMIT: usize = 64 * 1024;

pub struct ByteArrayCell {
    /// The bytes while the bytearray is local (stale once it is shared).
    local: PyCell<Vec<u8>>,
    /// Null while local; the shared representation from then on (set once,
    /// by the owner thread, before any other thread can reach the object).
    shared: AtomicPtr<SharedBytes>,
}

/// A shared bytearray's published version and the versions writers
/// replaced.
struct SharedBytes {
    /// Never null; changed only by a compare-and-swap (or in place inside
    /// a write section).
    current: AtomicPtr<Vec<u8>>,
    retired: RetireList,
}

impl Drop for SharedBytes {
    fn drop(&mut self) {
        // SAFETY: `current` came from `Box::into_raw` and, being current,
        // was never retired; `&mut self` means no one else reads it.
        drop(unsafe { Box::from_raw(*self.current.get_mut()) });
    }
}

/// The bytes of a bytearray as they are now: a read borrow of a local
/// one, or one published version of a shared one.
pub enum BytesView<'a> {
    Local(PyRef<'a, Vec<u8>>),
    Shared(&'a Vec<u8>),
}

impl Deref for BytesView<'_> {
    type Target = Vec<u8>;

    #[inline(always)]
    fn deref(&self) -> &Vec<u8> {
        match self {
            BytesView::Local(bytes) => bytes,
            BytesView::Shared(bytes) => bytes,
        }
    }
}

impl ByteArrayCell {
    pub fn new(bytes: Vec<u8>) -> ByteArrayCell {
        ByteArrayCell {
            local: PyCell::new(bytes),
            shared: AtomicPtr::new(ptr::null_mut()),
        }
    }

    #[inline(always)]
    fn shared(&self) -> Option<&SharedBytes> {
        // Acquire: pairs with the Release store in `note_shared` (other
        // threads reach the object only after that, through a publication
        // that orders it anyway; this keeps the argument local).
        let shared = self.shared.load(Ordering::Acquire);
        // SAFETY: set once from `Box::into_raw`, freed only by our drop.
        (!shared.is_null()).then(|| unsafe { &*shared })
    }

    pub fn is_shared(&self) -> bool {
        self.shared().is_some()
    }

    /// The bytes now (see the module's rule on how long a view may live).
    #[inline(always)]
    pub fn borrow(&self) -> BytesView<'_> {
        match self.shared() {
            None => BytesView::Local(self.local.borrow()),
            // Acquire: pairs with the Release half of the publishing
            // compare-and-swap, so the version's bytes are visible. SAFETY:
            // the version is freed only by a `reclaim_retired` at a
            // quiescent point, which the view does not live across.
            Some(shared) => BytesView::Shared(unsafe { &*shared.current.load(Ordering::Acquire) }),
        }
    }

    /// Out of line: the interpreter's step loop inlines `len`, truth tests
    /// and iteration, and a view's branches would weigh on its code.
    #[inline(never)]
    pub fn len(&self) -> usize {
        self.borrow().len()
    }

    /// The byte at `index`; out of line, as `len`.
    #[inline(never)]
    pub fn get(&self, index: usize) -> Option<u8> {
        self.borrow().get(index).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Applies `change` to the bytes, whole: `Err` means it changed
    /// nothing, and then nothing is published. On a shared bytearray
    /// `change` may run several times (each time on the newest bytes), so
    /// it must do nothing but compute from and change the bytes it is
    /// given: no Python code, no safepoint.
    pub fn update<R, E>(
        &self,
        mut change: impl FnMut(&mut Vec<u8>) -> Result<R, E>,
    ) -> Result<R, E> {
        let Some(shared) = self.shared() else {
            return change(&mut self.local.borrow_mut());
        };
        if crate::sched::enter_write_section_if_alone() {
            return shared.change_in_section(change);
        }
        let mut current = shared.current.load(Ordering::Acquire);
        loop {
            // SAFETY: published versions are freed only at a quiescent
            // point, and this loop reaches no safepoint.
            let bytes = unsafe { &*current };
            if bytes.len() > COPY_LIMIT {
                crate::sched::enter_write_section();
                return shared.change_in_section(change);
            }
            let mut copy = Vec::with_capacity(bytes.len() + bytes.len() / 8 + 8);
            copy.extend_from_slice(bytes);
            let result = change(&mut copy)?;
            let next = Box::into_raw(Box::new(copy));
            // Release: the copy's bytes before its address; Acquire on
            // failure: the version that won is read next.
            match shared.current.compare_exchange(
                current,
                next,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => {
                    crate::heap::retired::note_retired(bytes.capacity() + 64);
                    // SAFETY: `current` came from `Box::into_raw`, is
                    // unlinked now (by this swap, once), and readers stop
                    // using it before the next quiescent point.
                    unsafe { shared.retired.retire(current) };
                    return Ok(result);
                }
                Err(newer) => {
                    // SAFETY: `next` was never published.
                    drop(unsafe { Box::from_raw(next) });
                    current = newer;
                }
            }
        }
    }

    /// `update` for a change that cannot fail.
    pub fn change<R>(&self, mut change: impl FnMut(&mut Vec<u8>) -> R) -> R {
        match self.update(|bytes| Ok::<R, Infallible>(change(bytes))) {
            Ok(result) => result,
            Err(never) => match never {},
        }
    }

    /// Appends `data`.
    pub fn append(&self, data: &[u8]) {
        self.change(|bytes| bytes.extend_from_slice(data));
    }

    /// Switches to the shared representation (the sharing walk, on the
    /// owner thread). The bytes move when no borrow of the local cell is
    /// alive; otherwise they are copied and the stale ones stay for the
    /// borrower.
    pub fn note_shared(&self) {
        if self.is_shared() {
            return;
        }
        let bytes = match self.local.try_borrow_mut() {
            Some(mut local) => std::mem::take(&mut *local),
            None => self.local.borrow().clone(),
        };
        let shared = Box::into_raw(Box::new(SharedBytes {
            current: AtomicPtr::new(Box::into_raw(Box::new(bytes))),
            retired: RetireList::new(),
        }));
        // Release: the version is complete before the pointer is seen.
        self.shared.store(shared, Ordering::Release);
        self.local.note_shared();
    }

    /// Frees the versions writers replaced since the last call.
    ///
    /// # Safety
    /// No thread holds a view of this bytearray taken before now: the
    /// collector calls it with every worker stopped at a safepoint.
    pub unsafe fn reclaim_retired(&self) {
        if let Some(shared) = self.shared() {
            // SAFETY: the caller's promise is `reclaim`'s.
            unsafe { shared.retired.reclaim() };
        }
    }
}

impl SharedBytes {
    /// Runs `change` on the current version in place, inside the write
    /// section the caller opened; closes it.
    fn change_in_section<R, E>(
        &self,
        mut change: impl FnMut(&mut Vec<u8>) -> Result<R, E>,
    ) -> Result<R, E> {
        // SAFETY: every other worker is stopped at a safepoint (or idle)
        // until the section closes, and none holds a reference into the
        // version there (the module's rule); the caller holds none either.
        let result = change(unsafe { &mut *self.current.load(Ordering::Acquire) });
        crate::sched::leave_write_section();
        result
    }
}

impl Drop for ByteArrayCell {
    fn drop(&mut self) {
        let shared = *self.shared.get_mut();
        if !shared.is_null() {
            // SAFETY: set once from `Box::into_raw`; `&mut self` means no
            // one reads it any more.
            drop(unsafe { Box::from_raw(shared) });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_local_bytearray_changes_in_place_and_a_failed_change_keeps_it() {
        let cell = ByteArrayCell::new(b"abc".to_vec());
        let pushed: Result<(), ()> = cell.update(|bytes| {
            bytes.push(b'd');
            Ok(())
        });
        assert_eq!(pushed, Ok(()));
        assert_eq!(&cell.borrow()[..], b"abcd");
        let failed: Result<(), &str> = cell.update(|bytes| {
            if bytes.len() < 10 {
                return Err("too short");
            }
            bytes.clear();
            Ok(())
        });
        assert_eq!(failed, Err("too short"));
        assert_eq!(&cell.borrow()[..], b"abcd");
    }

    #[test]
    fn a_shared_bytearray_publishes_new_versions_and_keeps_the_old_until_reclaimed() {
        let cell = ByteArrayCell::new(b"xy".to_vec());
        cell.note_shared();
        assert!(cell.is_shared());
        let before = cell.borrow();
        let old: *const Vec<u8> = &*before;
        drop(before);
        let popped: Result<u8, ()> = cell.update(|bytes| Ok(bytes.pop().unwrap()));
        assert_eq!(popped, Ok(b'y'));
        assert_eq!(&cell.borrow()[..], b"x");
        // Without workers the change is made in place (a section that
        // stops nobody); either way the bytes are right and a reclaim
        // frees whatever was replaced.
        let now: *const Vec<u8> = &*cell.borrow();
        assert!(now == old || !cell.shared().unwrap().retired.is_empty());
        // SAFETY: no view is alive.
        unsafe { cell.reclaim_retired() };
        assert!(cell.shared().unwrap().retired.is_empty());
        assert_eq!(&cell.borrow()[..], b"x");
    }
}
