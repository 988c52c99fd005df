//! The built-in iterator objects (`list_iterator`, `range_iterator`,
//! `enumerate`, `zip`, `map`, ...): one state enum; the object's class in
//! the header gives the Python type name. Advancing them is in
//! `builtins/iterators.rs` (and the FOR_ITER fast path in `execute.rs`).
//!
//! The two everyday iterators keep their position in an atomic word, so
//! that an iterator several threads share (workers pulling from one
//! `iter(...)`) advances with no write section and hands each item to one
//! thread: its owner moves it with plain loads and stores while it is
//! local, any thread by compare-and-swap once it is shared
//! ([`IterState::take_position`]).
//!
//! `enumerate`, `zip` and `map` draw from inner iterators and pair what
//! they draw (a count, the other iterators' items); under CPython's lock a
//! draw from built-in inner iterators is one step. Once shared they keep
//! that pairing by taking turns ([`Turn`]): the thread whose turn it is
//! draws, the others wait (parking their tasks).

use std::sync::atomic::Ordering::Relaxed;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, AtomicUsize, Ordering};

use crate::heap::gc::Marker;
use crate::value::{AtomicValue, Value};

pub enum IterState {
    /// A list, tuple, str, bytes or bytearray walked by index.
    Sequence {
        sequence: Value,
        index: AtomicUsize,
    },
    /// An `int` range within `i64` (`step` is never 0).
    Range {
        next: AtomicI64,
        stop: i64,
        step: i64,
    },
    /// dict keys/values/items or set elements, by entry slot; `expected_len`
    /// detects "changed size during iteration".
    DictEntries {
        dict: Value,
        slot: AtomicUsize,
        expected_len: usize,
        what: DictIterKind,
    },
    Enumerate {
        iterator: Value,
        count: AtomicValue,
        turn: Turn,
    },
    Zip {
        iterators: Vec<Value>,
        strict: bool,
        turn: Turn,
    },
    Map {
        function: Value,
        iterators: Vec<Value>,
        turn: Turn,
    },
    Filter {
        function: Value,
        iterator: Value,
    },
    /// Walks a sequence backwards (`reversed`).
    Reversed {
        sequence: Value,
        remaining: AtomicUsize,
    },
    /// `iter(callable, sentinel)`; `ended` once the sentinel came (the
    /// end of a shared one, kept without switching to `Exhausted`).
    CallUntil {
        callable: Value,
        sentinel: Value,
        ended: AtomicBool,
    },
    /// An `enumerate`, `zip`, `map` or `filter` whose draws run Python
    /// code, once a `for` loop over it handed its steps to a generator of
    /// `builtins/loops.py` (`iterators::delegate_to_loops`): every step
    /// resumes that generator (as a frame of a loop's task).
    Delegated {
        generator: Value,
    },
    /// The old protocol: `__getitem__` with 0, 1, 2... until IndexError.
    GetItem {
        object: Value,
        index: AtomicUsize,
    },
    Exhausted,
}

/// The position a shared sequence, dict or `__getitem__` iterator keeps
/// once it has ended (`IterState::end_shared`): past every index, with
/// room for threads still adding one to it.
pub const ENDED: usize = usize::MAX / 2;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum DictIterKind {
    Keys,
    Values,
    Items,
}

/// Where a sequence or range iterator stood when a `next` took a step.
pub enum Position {
    /// The index of `sequence` to read (possibly past its end).
    Index(Value, usize),
    /// The range's next number.
    Number(i64),
    /// The range is done.
    End,
}

impl IterState {
    pub fn sequence(sequence: Value) -> IterState {
        IterState::Sequence {
            sequence,
            index: AtomicUsize::new(0),
        }
    }

    pub fn dict_entries(dict: Value, expected_len: usize, what: DictIterKind) -> IterState {
        IterState::DictEntries {
            dict,
            slot: AtomicUsize::new(0),
            expected_len,
            what,
        }
    }

    pub fn enumerate(iterator: Value, start: Value) -> IterState {
        IterState::Enumerate {
            iterator,
            count: AtomicValue::new(start),
            turn: Turn::new(),
        }
    }

    pub fn zip(iterators: Vec<Value>, strict: bool) -> IterState {
        IterState::Zip {
            iterators,
            strict,
            turn: Turn::new(),
        }
    }

    pub fn map(function: Value, iterators: Vec<Value>) -> IterState {
        IterState::Map {
            function,
            iterators,
            turn: Turn::new(),
        }
    }

    pub fn reversed(sequence: Value, length: usize) -> IterState {
        IterState::Reversed {
            sequence,
            remaining: AtomicUsize::new(length),
        }
    }

    pub fn call_until(callable: Value, sentinel: Value) -> IterState {
        IterState::CallUntil {
            callable,
            sentinel,
            ended: AtomicBool::new(false),
        }
    }

    pub fn get_item(object: Value) -> IterState {
        IterState::GetItem {
            object,
            index: AtomicUsize::new(0),
        }
    }

    pub fn range(next: i64, stop: i64, step: i64) -> IterState {
        IterState::Range {
            next: AtomicI64::new(next),
            stop,
            step,
        }
    }

    /// Takes one step of a sequence or range iterator through a shared
    /// reference; `None` for the other kinds. With `shared`, by
    /// compare-and-swap, so that threads sharing the iterator each take a
    /// different position; otherwise (only the owner reaches it) by plain
    /// loads and stores. A sequence's index moves on even past the end; a
    /// range stops at its end (its last step saturates instead of
    /// wrapping around).
    #[inline(always)]
    pub fn take_position(&self, shared: bool) -> Option<Position> {
        match self {
            IterState::Sequence { sequence, index } => {
                let taken = if shared {
                    index.fetch_add(1, Relaxed)
                } else {
                    let taken = index.load(Relaxed);
                    index.store(taken.saturating_add(1), Relaxed);
                    taken
                };
                Some(Position::Index(*sequence, taken))
            }
            IterState::Range { next, stop, step } => {
                let (stop, step) = (*stop, *step);
                let more = |number: i64| {
                    if step > 0 {
                        number < stop
                    } else {
                        number > stop
                    }
                };
                let mut current = next.load(Relaxed);
                loop {
                    if !more(current) {
                        return Some(Position::End);
                    }
                    let after = current.saturating_add(step);
                    if !shared {
                        next.store(after, Relaxed);
                        return Some(Position::Number(current));
                    }
                    match next.compare_exchange_weak(current, after, Relaxed, Relaxed) {
                        Ok(_) => return Some(Position::Number(current)),
                        Err(now) => current = now,
                    }
                }
            }
            _ => None,
        }
    }

    /// The running count of an `enumerate` (`None` for other kinds).
    pub fn enumerate_count(&self) -> Option<&AtomicValue> {
        match self {
            IterState::Enumerate { count, .. } => Some(count),
            _ => None,
        }
    }

    /// The turn of an `enumerate`, `zip` or `map` (`None` for other kinds).
    pub fn turn(&self) -> Option<&Turn> {
        match self {
            IterState::Enumerate { turn, .. }
            | IterState::Zip { turn, .. }
            | IterState::Map { turn, .. } => Some(turn),
            _ => None,
        }
    }

    /// A shared iterator's end, kept without switching to `Exhausted`
    /// (which would need the write borrow, a write section): a position
    /// word moves to `ENDED`, past any sequence or table, where every
    /// later step finds nothing, and `iter(callable, sentinel)` sets its
    /// `ended` flag; a range or reversed iterator stays at its end by
    /// itself, and `enumerate`, `zip`, `map` and `filter` keep no end of
    /// their own (CPython's ask their inner iterators again).
    pub fn end_shared(&self) {
        match self {
            IterState::Sequence { index: word, .. }
            | IterState::DictEntries { slot: word, .. }
            | IterState::GetItem { index: word, .. } => word.store(ENDED, Relaxed),
            IterState::CallUntil { ended, .. } => ended.store(true, Relaxed),
            IterState::Range { .. }
            | IterState::Reversed { .. }
            | IterState::Enumerate { .. }
            | IterState::Zip { .. }
            | IterState::Map { .. }
            | IterState::Filter { .. }
            | IterState::Delegated { .. }
            | IterState::Exhausted => {}
        }
    }

    /// How many items a sequence, range or reversed iterator has left
    /// (`__length_hint__`); `None` for the other kinds. `sequence_len`
    /// gives a walked sequence's current length.
    pub fn remaining(&self, sequence_len: impl FnOnce(Value) -> usize) -> Option<usize> {
        match self {
            IterState::Sequence { sequence, index } => {
                Some(sequence_len(*sequence).saturating_sub(index.load(Relaxed)))
            }
            IterState::Range { next, stop, step } => Some(crate::engine::ops::range_len(
                next.load(Relaxed),
                *stop,
                *step,
            )),
            IterState::Reversed { remaining, .. } => Some(remaining.load(Relaxed)),
            IterState::Exhausted => Some(0),
            _ => None,
        }
    }

    pub fn trace(&self, marker: &mut Marker) {
        match self {
            IterState::Sequence { sequence, .. } | IterState::Reversed { sequence, .. } => {
                marker.mark(*sequence)
            }
            IterState::Range { .. } | IterState::Exhausted => {}
            IterState::DictEntries { dict, .. } => marker.mark(*dict),
            IterState::Enumerate {
                iterator, count, ..
            } => {
                marker.mark(*iterator);
                marker.mark(count.get());
            }
            IterState::Zip { iterators, .. } => marker.mark_all(iterators),
            IterState::Map {
                function,
                iterators,
                ..
            } => {
                marker.mark(*function);
                marker.mark_all(iterators);
            }
            IterState::Filter { function, iterator } => {
                marker.mark(*function);
                marker.mark(*iterator);
            }
            IterState::CallUntil {
                callable, sentinel, ..
            } => {
                marker.mark(*callable);
                marker.mark(*sentinel);
            }
            IterState::GetItem { object, .. } => marker.mark(*object),
            IterState::Delegated { generator } => marker.mark(*generator),
        }
    }
}

/// Which thread draws from a shared `enumerate`, `zip` or `map`'s inner
/// iterators now: one word, 0 when nobody does, else the drawing thread's
/// id plus one. A thread takes it by compare-and-swap and gives it back
/// with a store; one that finds it taken parks for a while and tries
/// again (`builtins::iterators`), never spinning, so a holder that blocks
/// inside its draw (an inner generator waiting for a lock) holds up only
/// the threads drawing from the same iterator.
pub struct Turn(AtomicU64);

impl Turn {
    pub const fn new() -> Turn {
        Turn(AtomicU64::new(0))
    }

    /// Takes the turn for `thread`, or gives the thread that holds it.
    pub fn take(&self, thread: u64) -> Result<(), u64> {
        // Acquire: what the last holder's draw wrote is seen by this one.
        self.0
            .compare_exchange(0, thread + 1, Ordering::Acquire, Ordering::Relaxed)
            .map(drop)
            .map_err(|holder| holder - 1)
    }

    /// Gives the turn back.
    pub fn give_back(&self) {
        // Release: the next holder sees this draw's writes.
        self.0.store(0, Ordering::Release);
    }
}

impl Default for Turn {
    fn default() -> Turn {
        Turn::new()
    }
}

/// Moves an iterator's position word from `p` to `next(p)` and returns
/// `p`, or leaves it and returns `None` where `next` gives `None`. While
/// the iterator is local, with a plain load and store; once shared, by
/// compare-and-swap (`next` runs again on the newer position after a lost
/// race), so that threads sharing it each take a different position.
#[inline]
pub fn take_step(
    word: &AtomicUsize,
    shared: bool,
    mut next: impl FnMut(usize) -> Option<usize>,
) -> Option<usize> {
    let mut current = word.load(Relaxed);
    loop {
        let after = next(current)?;
        if !shared {
            word.store(after, Relaxed);
            return Some(current);
        }
        match word.compare_exchange_weak(current, after, Relaxed, Relaxed) {
            Ok(_) => return Some(current),
            Err(now) => current = now,
        }
    }
}

/// Takes the item found from an iterator's position word (a table
/// iterator's slot): `find(p)` gives the item at or after `p` (`None` at
/// the end) and the position past it, or `None` to leave the word as it
/// is. Once shared, only the item of the try whose compare-and-swap won
/// is returned: a try that lost, even to a thread that ended the iterator
/// meanwhile, gives its item up (it belongs to the winner).
#[inline]
pub fn take_found<T>(
    word: &AtomicUsize,
    shared: bool,
    mut find: impl FnMut(usize) -> Option<(Option<T>, usize)>,
) -> Option<T> {
    let mut found = None;
    take_step(word, shared, |start| {
        found = None;
        if start >= ENDED {
            return None;
        }
        let (item, after) = find(start)?;
        found = item;
        Some(after)
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_take_that_loses_to_a_thread_ending_the_iterator_gives_its_item_up() {
        // The first try finds item 5 and, before its compare-and-swap,
        // "another thread" takes the rest and ends the iterator: the lost
        // try's item must not be returned (it would be taken twice).
        let word = AtomicUsize::new(5);
        let mut tries = 0;
        let taken = take_found(&word, true, |start| {
            tries += 1;
            if tries == 1 {
                word.store(ENDED, Relaxed);
            }
            Some((Some(start), start + 1))
        });
        assert_eq!(taken, None);
        assert_eq!(word.load(Relaxed), ENDED);
        assert_eq!(tries, 1, "an ended word is not searched");
    }

    #[test]
    fn a_take_that_loses_to_another_take_returns_the_next_item() {
        let word = AtomicUsize::new(5);
        let mut tries = 0;
        let taken = take_found(&word, true, |start| {
            tries += 1;
            if tries == 1 {
                word.store(6, Relaxed);
            }
            Some((Some(start), start + 1))
        });
        assert_eq!(taken, Some(6));
        assert_eq!(word.load(Relaxed), 7);
    }

    #[test]
    fn a_take_at_the_end_or_left_alone_returns_nothing() {
        let word = AtomicUsize::new(3);
        assert_eq!(
            take_found::<usize>(&word, false, |start| Some((None, start))),
            None
        );
        assert_eq!(word.load(Relaxed), 3);
        assert_eq!(take_found::<usize>(&word, true, |_| None), None);
        assert_eq!(word.load(Relaxed), 3);
        assert_eq!(
            take_found(&word, false, |start| Some((Some(start), start + 1))),
            Some(3)
        );
        assert_eq!(word.load(Relaxed), 4);
    }
}
