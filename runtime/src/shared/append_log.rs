//! `AppendLog<T>`: a log that only grows, which threads append to and read
//! with no lock (an exception's traceback entries). It is a push-only stack
//! of immutable nodes on one `AtomicPtr`: an append links a new node to
//! the latest one and swaps it in (AcqRel), retrying on a concurrent
//! append; a reader loads the latest node (Acquire) and walks back. Nodes
//! are never unlinked before the log is dropped, so a reader needs no
//! reclamation scheme and the stack has no ABA problem.

use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};

/// One item, the node appended before it, and how many items the log
/// holds up to this one.
struct Node<T> {
    item: T,
    earlier: *const Node<T>,
    count: usize,
}

pub struct AppendLog<T> {
    /// The latest node, or null while the log is empty.
    latest: AtomicPtr<Node<T>>,
}

// SAFETY: nodes are immutable once published (the swap that links one is
// Release, every load of `latest` Acquire) and freed only by `drop`, which
// has the log to itself; items cross threads by copy, hence `T: Send +
// Sync` for both.
unsafe impl<T: Copy + Send + Sync> Send for AppendLog<T> {}
// SAFETY: as for `Send`: shared access only loads and appends atomically.
unsafe impl<T: Copy + Send + Sync> Sync for AppendLog<T> {}

impl<T: Copy> AppendLog<T> {
    pub const fn new() -> AppendLog<T> {
        AppendLog {
            latest: AtomicPtr::new(ptr::null_mut()),
        }
    }

    /// Appends `item`, unless `same` says the latest item already stands
    /// for it (checked again after a lost race).
    pub fn append_unless(&self, item: T, same: impl Fn(&T) -> bool) {
        let mut latest = self.latest.load(Ordering::Acquire);
        let mut spare: Option<Box<Node<T>>> = None;
        loop {
            // SAFETY: a non-null `latest` is a published node, alive until
            // the log is dropped, which cannot happen while `self` is
            // borrowed.
            if let Some(last) = unsafe { latest.as_ref() } {
                if same(&last.item) {
                    return;
                }
            }
            let mut node = spare.take().unwrap_or_else(|| {
                Box::new(Node {
                    item,
                    earlier: ptr::null(),
                    count: 0,
                })
            });
            node.earlier = latest;
            // SAFETY: as above.
            node.count = unsafe { latest.as_ref() }.map_or(0, |last| last.count) + 1;
            let raw = Box::into_raw(node);
            match self
                .latest
                .compare_exchange(latest, raw, Ordering::AcqRel, Ordering::Acquire)
            {
                Ok(_) => return,
                Err(now) => {
                    // SAFETY: `raw` was not published, so it is still only
                    // ours; it came from `Box::into_raw` just above.
                    spare = Some(unsafe { Box::from_raw(raw) });
                    latest = now;
                }
            }
        }
    }

    /// The items, oldest first.
    pub fn items(&self) -> Vec<T> {
        self.items_after(0)
    }

    /// The items after the oldest `skip` ones, oldest first (a walk back
    /// over those only).
    pub fn items_after(&self, skip: usize) -> Vec<T> {
        let mut items = Vec::new();
        let mut node = self.latest.load(Ordering::Acquire);
        // SAFETY: published nodes stay alive and unchanged until the log is
        // dropped; each `earlier` link was set before its node's publication.
        while let Some(current) = unsafe { node.as_ref() } {
            if current.count <= skip {
                break;
            }
            items.push(current.item);
            node = current.earlier.cast_mut();
        }
        items.reverse();
        items
    }

    /// How many items the log holds.
    pub fn len(&self) -> usize {
        // SAFETY: as in `items_after`.
        unsafe { self.latest.load(Ordering::Acquire).as_ref() }.map_or(0, |last| last.count)
    }

    pub fn is_empty(&self) -> bool {
        self.latest.load(Ordering::Acquire).is_null()
    }
}

impl<T: Copy> Default for AppendLog<T> {
    fn default() -> Self {
        AppendLog::new()
    }
}

impl<T> Drop for AppendLog<T> {
    fn drop(&mut self) {
        let mut node = *self.latest.get_mut();
        while !node.is_null() {
            // SAFETY: every node came from `Box::into_raw` in
            // `append_unless` and was linked exactly once; `&mut self`
            // means no reader is left.
            let owned = unsafe { Box::from_raw(node) };
            node = owned.earlier.cast_mut();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_keep_their_order_and_skip_what_the_latest_stands_for() {
        let log = AppendLog::new();
        assert!(log.is_empty());
        for (line, frame) in [(3, 10), (4, 10), (7, 11), (8, 12)] {
            log.append_unless((line, frame), |&(_, last)| last == frame);
        }
        assert_eq!(log.items(), [(3, 10), (7, 11), (8, 12)]);
        assert!(!log.is_empty());
        assert_eq!(log.len(), 3);
        assert_eq!(log.items_after(1), [(7, 11), (8, 12)]);
        assert_eq!(log.items_after(3), []);
        assert_eq!(log.items_after(9), []);
        assert_eq!(AppendLog::<(u8, u8)>::new().len(), 0);
    }

    #[test]
    fn threads_appending_to_one_log_lose_nothing() {
        let log = AppendLog::new();
        let per_thread: u64 = if cfg!(miri) { 25 } else { 2000 };
        std::thread::scope(|scope| {
            for thread in 0..4u64 {
                let log = &log;
                scope.spawn(move || {
                    for k in 0..per_thread {
                        log.append_unless(thread << 32 | k, |_| false);
                        // Reading while the others append.
                        let mine = log.items().iter().filter(|&&i| i >> 32 == thread).count();
                        assert_eq!(mine as u64, k + 1);
                    }
                });
            }
        });
        let items = log.items();
        assert_eq!(items.len() as u64, 4 * per_thread);
        assert_eq!(log.len() as u64, 4 * per_thread);
        assert_eq!(log.items_after(7), items[7..]);
        for thread in 0..4u64 {
            let mine: Vec<u64> = items
                .iter()
                .filter(|&&i| i >> 32 == thread)
                .map(|&i| i & 0xffff_ffff)
                .collect();
            assert_eq!(mine, (0..per_thread).collect::<Vec<_>>(), "thread {thread}");
        }
    }
}
