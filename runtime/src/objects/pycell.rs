//! `PyCell`: the cell around a mutable payload (list items, dict tables,
//! iterator and generator state...), a `RefCell` that knows about sharing.
//!
//! While its object is local, a `PyCell` is exactly a `RefCell`: a borrow
//! count checked at run time, so a borrow held across a call back into
//! Python panics instead of aliasing (engine rule 3 in `execute.rs`).
//! Once its object is shared (`heap/share.rs`), other threads may read it
//! at the same time, and a count updated by several threads would be a data
//! race: the sharing walk switches the cell to the `SHARED` state, where a
//! borrow writes nothing. Reads of a shared payload then run in parallel;
//! a mutable borrow of one needs the caller to have excluded every other
//! thread (today one worker runs all threads, so that holds trivially; the
//! parallel backend brings the write section that makes it so).

use std::cell::{Cell, UnsafeCell};
use std::ops::{Deref, DerefMut};

/// The borrow state: `0` free, `n > 0` read borrows, `-1` written, or
/// `SHARED` (untracked).
const SHARED: isize = isize::MIN;
const WRITING: isize = -1;

pub struct PyCell<T> {
    state: Cell<isize>,
    value: UnsafeCell<T>,
}

// SAFETY: a `PyCell` is reached from several threads only once it is in
// the `SHARED` state, where borrowing writes nothing and mutation happens
// only while every other thread is excluded (the sharing rules above);
// before that, only its owner thread touches it.
unsafe impl<T: Send> Sync for PyCell<T> {}

impl<T> PyCell<T> {
    pub const fn new(value: T) -> PyCell<T> {
        PyCell {
            state: Cell::new(0),
            value: UnsafeCell::new(value),
        }
    }

    /// Switches to the untracked `SHARED` state (by the sharing walk, on
    /// the owner thread, possibly while read borrows are alive: their
    /// release then leaves the state alone).
    pub fn note_shared(&self) {
        debug_assert!(self.state.get() != WRITING, "shared while being written");
        self.state.set(SHARED);
    }

    pub fn is_shared(&self) -> bool {
        self.state.get() == SHARED
    }

    #[inline(always)]
    pub fn borrow(&self) -> PyRef<'_, T> {
        let state = self.state.get();
        if state >= 0 {
            self.state.set(state + 1);
        } else if state != SHARED {
            borrow_conflict("already mutably borrowed");
        }
        PyRef { cell: self }
    }

    #[inline(always)]
    pub fn borrow_mut(&self) -> PyRefMut<'_, T> {
        match self.try_borrow_mut() {
            Some(borrow) => borrow,
            None => borrow_conflict("already borrowed"),
        }
    }

    /// Runs `read` on the value without counting a borrow: for the
    /// interpreter's hottest reads (a LOAD_GLOBAL's dict slots), which run
    /// no Python code and open no section, so nothing can write the value
    /// meanwhile. Panics, like `borrow`, while it is being written.
    #[inline(always)]
    pub fn read<R>(&self, read: impl FnOnce(&T) -> R) -> R {
        if self.state.get() == WRITING {
            borrow_conflict("already mutably borrowed");
        }
        // SAFETY: no write borrow of a local cell is alive (checked), and a
        // shared cell is written only in write sections, which `read`
        // cannot open or wait for (`read` calls no Python code).
        read(unsafe { &*self.value.get() })
    }

    /// The value of a shared cell, `None` while the cell is local. Counts
    /// nothing: for payloads whose shared form is changed only through
    /// atomics (a shared list's published versions), never through
    /// `borrow_mut`.
    #[inline(always)]
    pub fn read_shared(&self) -> Option<&T> {
        if self.state.get() != SHARED {
            return None;
        }
        // SAFETY: a shared cell is written through `borrow_mut` only in
        // write sections, which stop every other thread at a safepoint;
        // otherwise the payloads read this way change only through their
        // own atomics (a list's published version, a dict entry's value).
        Some(unsafe { &*self.value.get() })
    }

    /// Like `borrow_mut`, `None` where that would panic.
    #[inline(always)]
    pub fn try_borrow_mut(&self) -> Option<PyRefMut<'_, T>> {
        let state = self.state.get();
        if state == 0 {
            self.state.set(WRITING);
        } else if state == SHARED {
            crate::sched::enter_write_section();
        } else {
            return None;
        }
        Some(PyRefMut { cell: self })
    }

    #[inline(always)]
    fn release(&self, wrote: bool) {
        let state = self.state.get();
        if state != SHARED {
            self.state.set(if wrote { 0 } else { state - 1 });
        } else if wrote {
            crate::sched::leave_write_section();
        }
    }
}

#[cold]
#[inline(never)]
fn borrow_conflict(what: &str) -> ! {
    panic!("{what}")
}

impl<T: Default> Default for PyCell<T> {
    fn default() -> PyCell<T> {
        PyCell::new(T::default())
    }
}

/// A read borrow of a `PyCell`.
pub struct PyRef<'a, T> {
    cell: &'a PyCell<T>,
}

impl<T> Deref for PyRef<'_, T> {
    type Target = T;

    #[inline(always)]
    fn deref(&self) -> &T {
        // SAFETY: a read borrow exists: no `PyRefMut` of a local cell is
        // alive (the count says so), and a shared cell is written only
        // while no other borrow is (the sharing rules of the module).
        unsafe { &*self.cell.value.get() }
    }
}

impl<T: std::fmt::Display> std::fmt::Display for PyRef<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl<T> Drop for PyRef<'_, T> {
    #[inline]
    fn drop(&mut self) {
        self.cell.release(false);
    }
}

/// A write borrow of a `PyCell`.
pub struct PyRefMut<'a, T> {
    cell: &'a PyCell<T>,
}

impl<T> Deref for PyRefMut<'_, T> {
    type Target = T;

    #[inline(always)]
    fn deref(&self) -> &T {
        // SAFETY: this is the only borrow (see `DerefMut`).
        unsafe { &*self.cell.value.get() }
    }
}

impl<T> DerefMut for PyRefMut<'_, T> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: a local cell is `WRITING`, so no other borrow exists; a
        // shared one is written only while the writer has excluded every
        // other borrow (the sharing rules of the module).
        unsafe { &mut *self.cell.value.get() }
    }
}

impl<T> Drop for PyRefMut<'_, T> {
    #[inline]
    fn drop(&mut self) {
        self.cell.release(true);
    }
}

#[cfg(test)]
mod tests {
    use super::PyCell;

    #[test]
    fn a_local_cell_counts_its_borrows() {
        let cell = PyCell::new(vec![1, 2]);
        {
            let first = cell.borrow();
            let second = cell.borrow();
            assert_eq!(first.len() + second.len(), 4);
            assert!(cell.try_borrow_mut().is_none());
        }
        cell.borrow_mut().push(3);
        assert_eq!(*cell.borrow(), vec![1, 2, 3]);
    }

    #[test]
    #[should_panic(expected = "already borrowed")]
    fn a_local_cell_refuses_a_write_during_a_read() {
        let cell = PyCell::new(0);
        let _read = cell.borrow();
        let _write = cell.borrow_mut();
    }

    #[test]
    fn a_shared_cell_stays_shared_when_earlier_borrows_end() {
        let cell = PyCell::new(5);
        let before = cell.borrow();
        cell.note_shared();
        drop(before);
        assert!(cell.is_shared());
        {
            let _read = cell.borrow();
            assert!(cell.is_shared());
        }
        *cell.borrow_mut() += 1;
        assert!(cell.is_shared());
        assert_eq!(*cell.borrow(), 6);
    }

    #[test]
    fn a_shared_cell_is_read_by_many_threads_at_once() {
        let cell = PyCell::new((0..1000).collect::<Vec<u64>>());
        cell.note_shared();
        let cell = &cell;
        let rounds = if cfg!(miri) { 3 } else { 200 };
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(move || {
                    for _ in 0..rounds {
                        let sum: u64 = cell.borrow().iter().sum();
                        assert_eq!(sum, 499_500);
                    }
                });
            }
        });
    }
}
