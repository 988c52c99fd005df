//! `Twister`: the Mersenne Twister (MT19937) behind `random`, shared by
//! threads with no lock and no write section.
//!
//! The generator's state is a *block*: the 624 words of one round of the
//! twist, immutable once published, and an atomic cursor, the index of
//! the next word to hand out. Drawing `k` words claims them by advancing
//! the cursor with a compare-and-swap and tempers the words it claimed, so
//! two threads drawing at once each get words of the one sequence, none
//! twice and none skipped. A thread that finds the cursor at the end
//! twists the block into the next one and publishes it by compare-and-swap
//! of the current pointer; every thread that finds the end computes the
//! same next block, and the losers drop theirs. A draw that straddles two
//! blocks takes the first block's last words and the rest from the next.
//! One thread alone draws exactly CPython's sequence for the same seed,
//! and `getstate`/`setstate` use CPython's state format (624 words and
//! the index of the next).
//!
//! Replaced blocks wait on the generator's retire list, since another
//! thread may still be reading one, until a reclaim stop or the collector
//! frees them (`heap/retired.rs`; the collector also reclaims when it
//! traces the generator).

use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};
use std::sync::Arc;

use crate::shared::retire::RetireList;

/// Words in the state.
pub const N: usize = 624;
const M: usize = 397;

/// One round of the state and how many of its words were handed out.
struct Block {
    words: Box<[u32; N]>,
    /// Index of the next word to hand out; `N` when the block is used up
    /// (the next draw twists).
    next: AtomicUsize,
}

/// A Mersenne Twister several threads may draw from at once (see the
/// module doc).
pub struct Twister {
    current: AtomicPtr<Block>,
    retired: Arc<RetireList>,
}

impl Twister {
    /// A generator seeded with `key` as CPython's `init_by_array`.
    pub fn from_key(key: &[u32]) -> Twister {
        Twister {
            current: AtomicPtr::new(Box::into_raw(Box::new(Block {
                words: init_by_array(key),
                next: AtomicUsize::new(N),
            }))),
            retired: Arc::new(RetireList::new()),
        }
    }

    fn block(&self) -> &Block {
        // SAFETY: the current block is freed only by `reclaim_retired`
        // (whose caller promises nobody reads it) or by drop.
        unsafe { &*self.current.load(Ordering::Acquire) }
    }

    /// Fills `out` with the next words of the sequence, tempered.
    pub fn draw(&self, out: &mut [u32]) {
        let mut filled = 0;
        while filled < out.len() {
            let pointer = self.current.load(Ordering::Acquire);
            // SAFETY: as in `block`.
            let block = unsafe { &*pointer };
            let at = block.next.load(Ordering::Relaxed);
            if at >= N {
                self.twist(pointer, block);
                continue;
            }
            let take = (out.len() - filled).min(N - at);
            // Relaxed: the words are immutable and were published with the
            // block (Acquire above); the cursor only divides them up.
            if block
                .next
                .compare_exchange(at, at + take, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
            {
                for (slot, &word) in out[filled..filled + take]
                    .iter_mut()
                    .zip(&block.words[at..at + take])
                {
                    *slot = temper(word);
                }
                filled += take;
            }
        }
    }

    /// The next word.
    pub fn next_u32(&self) -> u32 {
        let mut word = [0];
        self.draw(&mut word);
        word[0]
    }

    /// `random.random()`: a float in [0, 1) with 53 random bits, from two
    /// words as CPython makes it.
    pub fn next_f64(&self) -> f64 {
        let mut words = [0; 2];
        self.draw(&mut words);
        let high = f64::from(words[0] >> 5);
        let low = f64::from(words[1] >> 6);
        (high * 67108864.0 + low) * (1.0 / 9007199254740992.0)
    }

    /// Replaces used-up `old` (the current block) by its twist, unless
    /// another thread did first.
    fn twist(&self, old_pointer: *mut Block, old: &Block) {
        let next = Box::into_raw(Box::new(Block {
            words: twisted(&old.words),
            next: AtomicUsize::new(0),
        }));
        self.replace(old_pointer, next);
    }

    /// Makes `next` current in place of `old`; frees `next` if another
    /// thread replaced `old` first.
    fn replace(&self, old: *mut Block, next: *mut Block) -> bool {
        // AcqRel: publishes the new block's words (Release); Acquire on
        // failure is not needed, the caller loads again.
        match self
            .current
            .compare_exchange(old, next, Ordering::AcqRel, Ordering::Relaxed)
        {
            Ok(_) => {
                // SAFETY: `old` came from `Box::into_raw` and the swap
                // unlinked it, so only this thread retires it; readers
                // still in it stop before the next reclaim.
                unsafe { self.retired.retire(old) };
                crate::heap::retired::note_retired_into(
                    &self.retired,
                    std::mem::size_of::<Block>() + std::mem::size_of::<[u32; N]>(),
                );
                true
            }
            Err(_) => {
                // SAFETY: never published: still this thread's.
                drop(unsafe { Box::from_raw(next) });
                false
            }
        }
    }

    /// Makes `words` with `next` the state (`setstate`, `seed`), in place
    /// of whatever is current (a draw under way finishes in either).
    pub fn set_state(&self, words: Box<[u32; N]>, next: usize) {
        let block = Box::into_raw(Box::new(Block {
            words,
            next: AtomicUsize::new(next.min(N)),
        }));
        loop {
            let old = self.current.load(Ordering::Acquire);
            if self.replace(old, block) {
                return;
            }
        }
    }

    /// Reseeds as CPython's `init_by_array(key)`.
    pub fn seed(&self, key: &[u32]) {
        self.set_state(init_by_array(key), N);
    }

    /// The state: the 624 words and the index of the next one to use.
    pub fn state(&self) -> (Box<[u32; N]>, usize) {
        let block = self.block();
        let next = block.next.load(Ordering::Relaxed);
        (block.words.clone(), next.min(N))
    }

    /// Frees the blocks replaced since the last call.
    ///
    /// # Safety
    /// No thread is inside a method of this generator: the collector calls
    /// it with every worker stopped at a safepoint.
    pub unsafe fn reclaim_retired(&self) {
        // SAFETY: the caller's promise is `reclaim`'s.
        unsafe { self.retired.reclaim() };
    }
}

impl Drop for Twister {
    fn drop(&mut self) {
        // SAFETY: the current block came from `Box::into_raw`; `&mut self`
        // means nobody reads it.
        drop(unsafe { Box::from_raw(*self.current.get_mut()) });
    }
}

/// The output transformation of a state word.
fn temper(mut y: u32) -> u32 {
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c_5680;
    y ^= (y << 15) & 0xefc6_0000;
    y ^ (y >> 18)
}

/// The next round of the state.
fn twisted(words: &[u32; N]) -> Box<[u32; N]> {
    let mut next = Box::new(*words);
    for k in 0..N {
        let y = (next[k] & 0x8000_0000) | (next[(k + 1) % N] & 0x7fff_ffff);
        let mut value = next[(k + M) % N] ^ (y >> 1);
        if y & 1 != 0 {
            value ^= 0x9908_b0df;
        }
        next[k] = value;
    }
    next
}

/// The state seeded with one word (`init_genrand`).
fn init_genrand(seed: u32) -> Box<[u32; N]> {
    let mut words = Box::new([0u32; N]);
    words[0] = seed;
    for i in 1..N {
        let previous = words[i - 1];
        words[i] = 1_812_433_253u32
            .wrapping_mul(previous ^ (previous >> 30))
            .wrapping_add(i as u32);
    }
    words
}

/// The state seeded with `key` (`init_by_array`, as CPython seeds from an
/// int's 32-bit words; an empty key acts as `[0]`).
fn init_by_array(key: &[u32]) -> Box<[u32; N]> {
    let key = if key.is_empty() { &[0][..] } else { key };
    let mut words = init_genrand(19_650_218);
    let (mut i, mut j) = (1, 0);
    for _ in 0..N.max(key.len()) {
        let previous = words[i - 1];
        words[i] = (words[i] ^ (previous ^ (previous >> 30)).wrapping_mul(1_664_525))
            .wrapping_add(key[j])
            .wrapping_add(j as u32);
        i += 1;
        j += 1;
        if i >= N {
            words[0] = words[N - 1];
            i = 1;
        }
        if j >= key.len() {
            j = 0;
        }
    }
    for _ in 0..N - 1 {
        let previous = words[i - 1];
        words[i] = (words[i] ^ (previous ^ (previous >> 30)).wrapping_mul(1_566_083_941))
            .wrapping_sub(i as u32);
        i += 1;
        if i >= N {
            words[0] = words[N - 1];
            i = 1;
        }
    }
    words[0] = 0x8000_0000;
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_key_gives_the_reference_sequence() {
        // The first outputs of mt19937ar.c's test driver, seeded with
        // init_by_array({0x123, 0x234, 0x345, 0x456}).
        let twister = Twister::from_key(&[0x123, 0x234, 0x345, 0x456]);
        let mut words = [0; 5];
        twister.draw(&mut words);
        assert_eq!(
            words,
            [1067595299, 955945823, 477289528, 4107218783, 4228976476]
        );
        // The 1000th output of that driver, across a twist.
        let mut rest = vec![0; 994];
        twister.draw(&mut rest);
        assert_eq!(twister.next_u32(), 3460025646);
    }

    #[test]
    fn a_draw_across_the_end_of_a_block_continues_in_the_next() {
        let one = Twister::from_key(&[42]);
        let mut at_once = vec![0; N + 10];
        one.draw(&mut at_once);
        let other = Twister::from_key(&[42]);
        let mut pieces = vec![0; N + 10];
        other.draw(&mut pieces[..N - 3]);
        other.draw(&mut pieces[N - 3..N + 4]);
        other.draw(&mut pieces[N + 4..]);
        assert_eq!(at_once, pieces);
    }

    #[test]
    fn a_state_read_back_restores_the_sequence() {
        let twister = Twister::from_key(&[7, 8]);
        let mut skip = vec![0; 700];
        twister.draw(&mut skip);
        let (words, next) = twister.state();
        assert_eq!(next, 700 - N);
        let expected: Vec<u32> = (0..50).map(|_| twister.next_u32()).collect();
        twister.set_state(words, next);
        let again: Vec<u32> = (0..50).map(|_| twister.next_u32()).collect();
        assert_eq!(expected, again);
        // SAFETY: no other thread uses it.
        unsafe { twister.reclaim_retired() };
    }

    #[test]
    fn threads_drawing_at_once_get_each_word_of_the_sequence_once() {
        const THREADS: usize = 4;
        const DRAWS: usize = 5_000;
        let shared = Twister::from_key(&[2024]);
        let mut drawn: Vec<u32> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..THREADS)
                .map(|thread| {
                    let shared = &shared;
                    scope.spawn(move || {
                        let mut mine = Vec::with_capacity(DRAWS * 2);
                        for draw in 0..DRAWS {
                            // Draws of one, two and three words, so that
                            // some straddle two blocks.
                            let mut words = vec![0; 1 + (draw + thread) % 3];
                            shared.draw(&mut words);
                            mine.extend(words);
                        }
                        mine
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|handle| handle.join().unwrap())
                .collect()
        });
        let alone = Twister::from_key(&[2024]);
        let mut expected = vec![0; drawn.len()];
        alone.draw(&mut expected);
        drawn.sort_unstable();
        expected.sort_unstable();
        assert_eq!(drawn, expected, "every word once, none skipped");
        // SAFETY: the threads are done.
        unsafe { shared.reclaim_retired() };
    }
}
