//! Garbage outside the heap: the versions that writes to shared containers
//! replaced, which wait on each container's `RetireList` until a quiescent
//! point frees them, and the counts that decide when that point comes.
//!
//! A write to a shared list or deque that retires a version reports its
//! rough size here. When the thread belongs to a worker group, the
//! container's retire list is also queued with the group (once until its
//! next reclaim, `RetireList::mark_queued`) and the bytes count towards a
//! *reclaim stop*: every worker stops at a safepoint, the queued lists are
//! reclaimed, and everyone goes on, with no marking. Retired versions cost
//! memory, not tracing, so they should not make the collector trace every
//! heap (a thread appending to a big shared list would otherwise bring a
//! collection per few thousand appends, each tracing the whole list).
//! Without a group, or for a container with no shareable retire list (a
//! bytearray's), the bytes count towards the next collection instead,
//! which reclaims every retire list it traces.

use std::cell::Cell;
use std::sync::Arc;

use crate::shared::retire::RetireList;

thread_local! {
    /// Bytes retired since the step loop last asked that only a collection
    /// frees.
    static COLLECTABLE: Cell<usize> = const { Cell::new(0) };
    /// Bytes retired since the step loop last asked into retire lists
    /// queued for the next reclaim stop.
    static RECLAIMABLE: Cell<usize> = const { Cell::new(0) };
}

/// Counts `bytes` of replaced versions that the next collection frees.
pub(crate) fn note_retired(bytes: usize) {
    COLLECTABLE.with(|count| count.set(count.get() + bytes));
}

/// Counts `bytes` of versions just retired into `retired`, and queues that
/// list for the next reclaim stop if it is not queued yet; where there is
/// no worker group to queue it with, the next collection frees them.
pub(crate) fn note_retired_into(retired: &Arc<RetireList>, bytes: usize) {
    if retired.mark_queued() && !crate::sched::queue_for_reclaim(retired) {
        retired.unmark_queued();
        note_retired(bytes);
        return;
    }
    RECLAIMABLE.with(|count| count.set(count.get() + bytes));
}

/// Takes the bytes counted since the last call: (for the next collection,
/// for the next reclaim stop).
pub fn take_retired_bytes() -> (usize, usize) {
    (
        COLLECTABLE.with(|count| count.replace(0)),
        RECLAIMABLE.with(|count| count.replace(0)),
    )
}
