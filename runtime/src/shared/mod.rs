//! Building blocks for mutable objects that several threads can reach.
//!
//! An object only its owner task can reach is changed in place; once it is
//! shared, every change builds a new immutable version and publishes it
//! with a compare-and-swap (DESIGN.md, "Memory model"). This module owns
//! the two pieces that protocol needs and nothing else: `vector`, the
//! persistent vector a shared `list` becomes, and `retire`, the list of
//! replaced versions that stay readable until the world is stopped and
//! they can be freed. Neither knows about Python objects, the heap or the
//! scheduler; the engine decides when a list switches representation and
//! calls `RetireList::reclaim` from inside a stop-the-world rendezvous.

pub mod retire;
pub mod vector;
