//! `SeqCell`: a small record of machine words that many threads read and
//! any may refill, with no lock — the inline caches of shared code and
//! classes (LOAD_GLOBAL's slot cache, a class's lookup cache).
//!
//! A sequence counter guards the words: a writer makes it odd, stores the
//! words, makes it even again; a reader reads the counter, the words and
//! the counter again, and trusts the words only if the counter was even
//! and did not move. Neither side waits: a reader that races a writer
//! reports a miss (the caller takes its slow path), and a writer that
//! finds another writer at work skips its refill. Every word is an atomic
//! read or written with relaxed ordering, which compiles to plain loads
//! and stores; the fences give the counter its meaning.

use std::sync::atomic::{fence, AtomicU32, AtomicU64, Ordering};

pub struct SeqCell<const N: usize> {
    sequence: AtomicU32,
    words: [AtomicU64; N],
}

impl<const N: usize> SeqCell<N> {
    pub fn new(words: [u64; N]) -> SeqCell<N> {
        SeqCell {
            sequence: AtomicU32::new(0),
            words: words.map(AtomicU64::new),
        }
    }

    /// The words, or `None` while a writer is changing them.
    #[inline(always)]
    pub fn read(&self) -> Option<[u64; N]> {
        let before = self.sequence.load(Ordering::Acquire);
        if before & 1 != 0 {
            return None;
        }
        let words = std::array::from_fn(|index| self.words[index].load(Ordering::Relaxed));
        fence(Ordering::Acquire);
        (self.sequence.load(Ordering::Relaxed) == before).then_some(words)
    }

    /// Replaces the words, unless another writer is at it (then the cell
    /// keeps whatever that writer stores).
    pub fn write(&self, words: [u64; N]) {
        let before = self.sequence.load(Ordering::Relaxed);
        if before & 1 != 0
            || self
                .sequence
                .compare_exchange(
                    before,
                    before.wrapping_add(1),
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                )
                .is_err()
        {
            return;
        }
        fence(Ordering::Release);
        for (word, value) in self.words.iter().zip(words) {
            word.store(value, Ordering::Relaxed);
        }
        self.sequence
            .store(before.wrapping_add(2), Ordering::Release);
    }
}

impl<const N: usize> Default for SeqCell<N> {
    fn default() -> SeqCell<N> {
        SeqCell::new([0; N])
    }
}

#[cfg(test)]
mod tests {
    use super::SeqCell;

    #[test]
    fn reads_what_was_written() {
        let cell = SeqCell::new([1, 2, 3]);
        assert_eq!(cell.read(), Some([1, 2, 3]));
        cell.write([4, 5, 6]);
        assert_eq!(cell.read(), Some([4, 5, 6]));
    }

    #[test]
    fn readers_never_see_a_torn_record() {
        // Writers store records whose words all equal one number; a
        // reader that accepts a record must find them all equal.
        let cell = SeqCell::new([0u64; 4]);
        let cell = &cell;
        // Miri interprets every step: a short run still explores races.
        let (writes, reads) = if cfg!(miri) {
            (200, 500)
        } else {
            (20_000, 50_000)
        };
        std::thread::scope(|scope| {
            for writer in 0..2u64 {
                scope.spawn(move || {
                    for round in 0..writes {
                        let n = round * 2 + writer;
                        cell.write([n; 4]);
                    }
                });
            }
            for _ in 0..2 {
                scope.spawn(move || {
                    for _ in 0..reads {
                        if let Some(words) = cell.read() {
                            assert!(words.iter().all(|word| *word == words[0]), "{words:?}");
                        }
                    }
                });
            }
        });
        // While writers run, a reader may find every record mid-write (on
        // a loaded machine it did, all 50 000 times); with none left, a
        // read always succeeds and finds a last record written whole.
        let last = cell.read().expect("a cell no one writes reads");
        assert!(last.iter().all(|word| *word == last[0]), "{last:?}");
        assert!(last[0] >= (writes - 1) * 2, "{last:?}");
    }
}
