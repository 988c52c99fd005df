//! `HandoffSlot`: one boxed value that threads take turns holding, passed
//! from one to the next by compare-and-swap (a shared generator's frame).
//!
//! The slot is one atomic pointer: the value while it rests in the slot
//! (owned by it), `TAKEN` while some thread has taken it out, or null once
//! it is gone for good. `take` swaps the value out for `TAKEN`; whoever
//! finds `TAKEN` is told so and does not wait. The holder puts it back
//! (`put_back`) or ends it (`end`). Reading the resting value in place
//! needs `&mut` (`resting`): its owner's exclusive access, or every other
//! thread stopped.

use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};

/// The slot's mark for a value some thread has taken out.
fn taken<T>() -> *mut T {
    ptr::without_provenance_mut(1)
}

pub struct HandoffSlot<T> {
    slot: AtomicPtr<T>,
}

/// What [`HandoffSlot::take`] found.
pub enum Take<T> {
    /// The value, now the caller's until it puts it back or ends it.
    Got(Box<T>),
    /// Another thread holds it.
    Held,
    /// It was ended.
    Gone,
}

// SAFETY: the slot owns its value like a `Box` would and hands it to one
// thread at a time (every move in or out is one atomic swap or
// compare-and-swap); `&self` gives no access to the value itself.
unsafe impl<T: Send> Sync for HandoffSlot<T> {}

impl<T> HandoffSlot<T> {
    pub fn new(value: Box<T>) -> HandoffSlot<T> {
        HandoffSlot {
            slot: AtomicPtr::new(Box::into_raw(value)),
        }
    }

    /// Takes the value out, unless another thread holds it or it is gone.
    pub fn take(&self) -> Take<T> {
        let mut current = self.slot.load(Ordering::Acquire);
        loop {
            if current.is_null() {
                return Take::Gone;
            }
            if current == taken() {
                return Take::Held;
            }
            match self.slot.compare_exchange_weak(
                current,
                taken(),
                Ordering::Acquire,
                Ordering::Acquire,
            ) {
                // SAFETY: the slot owned `value` (from `Box::into_raw`);
                // the compare-and-swap moved it to this thread alone. (The
                // pointer the swap returns, not `current`: the value may
                // have been taken and put back at the same address since
                // `current` was loaded, and only the stored pointer is the
                // latest `Box::into_raw`'s.)
                Ok(value) => return Take::Got(unsafe { Box::from_raw(value) }),
                Err(now) => current = now,
            }
        }
    }

    /// Puts back the value this thread took.
    pub fn put_back(&self, value: Box<T>) {
        self.replace(Box::into_raw(value));
    }

    /// Ends the value this thread took: the slot is empty for good.
    pub fn end(&self) {
        self.replace(ptr::null_mut());
    }

    fn replace(&self, next: *mut T) {
        let previous = self.slot.swap(next, Ordering::AcqRel);
        if previous != taken() && !previous.is_null() {
            // Only a holder puts back or ends, so the slot held no value;
            // should one be found anyway it is freed, not leaked.
            // SAFETY: the swap took the slot's value out of it.
            drop(unsafe { Box::from_raw(previous) });
        }
    }

    /// Whether some thread holds the value now.
    pub fn is_held(&self) -> bool {
        self.slot.load(Ordering::Acquire) == taken()
    }

    /// The resting value, if it is in the slot (not held, not gone).
    pub fn resting(&mut self) -> Option<&mut T> {
        let value = *self.slot.get_mut();
        if value == taken() {
            return None;
        }
        // SAFETY: a non-null pointer other than `TAKEN` is the value the
        // slot owns, and `&mut self` excludes every other access.
        unsafe { value.as_mut() }
    }

    /// The resting value through a shared reference, for a reader the
    /// caller knows no thread can take it from meanwhile (every other
    /// thread stopped, or none other can reach the slot).
    ///
    /// # Safety
    /// No `take` may run on this slot while the reference lives.
    pub unsafe fn resting_unchecked(&self) -> Option<&T> {
        let value = self.slot.load(Ordering::Acquire);
        if value == taken() {
            return None;
        }
        // SAFETY: a non-null pointer other than `TAKEN` is the slot's
        // value, and the caller promises nobody takes it meanwhile.
        unsafe { value.as_ref() }
    }

    /// Drops the resting value: the slot is empty for good (a held value
    /// stays its holder's, and the slot stays marked held).
    pub fn clear(&mut self) {
        let value = *self.slot.get_mut();
        if value == taken() || value.is_null() {
            return;
        }
        *self.slot.get_mut() = ptr::null_mut();
        // SAFETY: the slot owned `value` and no longer refers to it.
        drop(unsafe { Box::from_raw(value) });
    }
}

impl<T> Drop for HandoffSlot<T> {
    fn drop(&mut self) {
        self.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::sync::Arc;

    #[test]
    fn a_value_is_held_by_one_thread_at_a_time_and_loses_no_change() {
        const THREADS: usize = 4;
        let turns = if cfg!(miri) { 50 } else { 20_000 };
        let slot = Arc::new(HandoffSlot::new(Box::new(0usize)));
        let busy = Arc::new(AtomicUsize::new(0));
        let workers: Vec<_> = (0..THREADS)
            .map(|_| {
                let slot = Arc::clone(&slot);
                let busy = Arc::clone(&busy);
                std::thread::spawn(move || {
                    let mut done = 0;
                    while done < turns {
                        match slot.take() {
                            Take::Got(mut value) => {
                                assert_eq!(busy.fetch_add(1, Ordering::SeqCst), 0);
                                *value += 1;
                                busy.fetch_sub(1, Ordering::SeqCst);
                                slot.put_back(value);
                                done += 1;
                            }
                            Take::Held => std::thread::yield_now(),
                            Take::Gone => panic!("nobody ends it"),
                        }
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.join().unwrap();
        }
        let mut slot = Arc::into_inner(slot).unwrap();
        assert_eq!(slot.resting().copied(), Some(THREADS * turns));
    }

    #[test]
    fn taking_marks_it_held_ending_empties_it_and_drops_free_it() {
        let mut slot = HandoffSlot::new(Box::new(String::from("frame")));
        assert!(!slot.is_held());
        let Take::Got(value) = slot.take() else {
            panic!("the value rests in the slot")
        };
        assert!(slot.is_held());
        assert!(matches!(slot.take(), Take::Held));
        assert!(slot.resting().is_none());
        slot.put_back(value);
        // SAFETY: no other thread reaches `slot`.
        let resting = unsafe { slot.resting_unchecked() };
        assert_eq!(resting.map(|s| s.as_str()), Some("frame"));
        let Take::Got(_value) = slot.take() else {
            panic!("put back")
        };
        slot.end();
        assert!(matches!(slot.take(), Take::Gone));
        let mut resting = HandoffSlot::new(Box::new(vec![1, 2, 3]));
        resting.clear();
        assert!(resting.resting().is_none());
        // Dropped with a value in it: Miri's leak check sees it freed.
        let _kept = HandoffSlot::new(Box::new(vec![4, 5]));
    }
}
