//! Building blocks for mutable objects that several threads can reach.
//!
//! An object only its owner task can reach is changed in place; once a
//! list or deque is shared, every change builds a new immutable version and
//! publishes it with a compare-and-swap (DESIGN.md, "Memory model"). This
//! module owns the pieces that protocol needs and nothing else: `vector`,
//! the persistent vector a shared `list` becomes, `ring`, the persistent
//! double-ended queue a shared `collections.deque` becomes, `published`, the
//! current-version pointer and its compare-and-swap loop, and `retire`,
//! the list of replaced versions that stay readable until the world is
//! stopped and they can be freed, `handoff`, a boxed value threads take
//! turns holding (a shared generator's frame), and `append_log`, a log
//! that only grows (an exception's traceback). None of them knows about Python objects,
//! the heap or the scheduler; the engine decides when a list or deque switches
//! representation and calls `RetireList::reclaim` from inside a
//! stop-the-world rendezvous. (A shared dict needs no versions: its table
//! changes in place by compare-and-swap, `objects/dict.rs`.)

pub mod append_log;
pub mod handoff;
pub mod published;
pub mod retire;
pub mod ring;
pub mod vector;
