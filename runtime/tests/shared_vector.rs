//! The shared copy-on-write vector on real OS threads: concurrent appends
//! and read-modify-writes lose nothing, readers only ever see whole
//! versions (prefixes of the final list while writers append or pop), and
//! retired versions are freed at quiescent points — a stop-the-world
//! rendezvous while workers run, or after they are joined.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use runtime::sched::rendezvous::Rendezvous;
use runtime::shared::retire::RetireList;
use runtime::shared::vector::SharedVec;

/// Item `seq` of writer `thread`.
fn tagged(thread: u64, seq: u64) -> u64 {
    thread << 32 | seq
}

/// Asserts that each writer's items appear in `items` in its own order
/// with no gap: `0, 1, ..., count - 1`. Returns the counts.
fn per_writer_counts(items: &[u64], writers: u64) -> Vec<u64> {
    let mut next = vec![0u64; writers as usize];
    for &item in items {
        let (thread, seq) = ((item >> 32) as usize, item & 0xFFFF_FFFF);
        assert_eq!(seq, next[thread], "writer {thread}: out of order or lost");
        next[thread] += 1;
    }
    next
}

/// An order-sensitive checksum of a sequence of items.
fn checksum(items: impl Iterator<Item = u64>) -> u64 {
    items.fold(17, checksum_step)
}

fn checksum_step(sum: u64, item: u64) -> u64 {
    sum.wrapping_mul(0x100_0000_01B3) ^ item
}

#[test]
fn eight_threads_appending_lose_nothing_with_reclaim_at_stop_the_world() {
    const WRITERS: u64 = 8;
    const PER_WRITER: u64 = 100_000;
    let retired = Arc::new(RetireList::new());
    let vector = SharedVec::new(Arc::clone(&retired));
    let rendezvous = Rendezvous::new();
    let reclaimed = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for thread in 0..WRITERS {
            let (vector, rendezvous, retired, reclaimed) =
                (&vector, &rendezvous, &retired, &reclaimed);
            rendezvous.join();
            scope.spawn(move || {
                for seq in 0..PER_WRITER {
                    vector.append(tagged(thread, seq));
                    // A safepoint between operations, as the engine has at
                    // each block boundary.
                    if rendezvous.stop_requested() {
                        rendezvous.park_at_safepoint();
                    }
                    if thread == 0 && seq % 5_000 == 4_999 {
                        let stopped = rendezvous.stop_the_world();
                        // SAFETY: every other worker waits at a safepoint,
                        // between operations, and this one holds nothing.
                        reclaimed.fetch_add(unsafe { retired.reclaim() }, Ordering::Relaxed);
                        drop(stopped);
                    }
                }
                rendezvous.leave();
            });
        }
    });
    assert_eq!(vector.len(), (WRITERS * PER_WRITER) as usize);
    let counts = per_writer_counts(&vector.to_vec(), WRITERS);
    assert!(counts.iter().all(|&count| count == PER_WRITER));
    assert!(
        reclaimed.load(Ordering::Relaxed) > 0,
        "no stop reclaimed anything"
    );
    // SAFETY: every writer has been joined.
    let rest = unsafe { retired.reclaim() };
    // Each append replaced exactly one version.
    assert_eq!(
        reclaimed.load(Ordering::Relaxed) + rest,
        (WRITERS * PER_WRITER) as usize
    );
    assert!(retired.is_empty());
}

#[test]
fn read_modify_writes_from_eight_threads_lose_no_update() {
    const THREADS: usize = 8;
    const ROUNDS: u64 = 10_000;
    let retired = Arc::new(RetireList::new());
    // One slot per thread, plus slot THREADS that every thread increments.
    let vector = SharedVec::from_slice(&[0u64; THREADS + 1], Arc::clone(&retired));
    std::thread::scope(|scope| {
        for thread in 0..THREADS {
            let vector = &vector;
            scope.spawn(move || {
                for round in 0..ROUNDS {
                    let slot = if round % 4 == 0 { THREADS } else { thread };
                    vector.update_at(slot, |count| count + 1).unwrap();
                }
            });
        }
    });
    let on_own_slot = ROUNDS - ROUNDS / 4;
    let mut expected = vec![on_own_slot; THREADS];
    expected.push(THREADS as u64 * (ROUNDS / 4));
    assert_eq!(vector.to_vec(), expected);
    // SAFETY: every writer has been joined.
    assert_eq!(unsafe { retired.reclaim() }, THREADS * ROUNDS as usize);
    assert!(retired.is_empty());
}

/// What a reader saw in one snapshot: its length and checksum.
type Sample = (usize, u64);

/// Runs `readers` threads that take snapshots until `done`, checking each
/// one's writers' order (`per_writer_counts`), and returns their samples.
fn sample_while_running<'a>(
    scope: &'a std::thread::Scope<'a, '_>,
    vector: &'a SharedVec<u64>,
    done: &'a AtomicBool,
    readers: usize,
    writers: u64,
) -> Vec<std::thread::ScopedJoinHandle<'a, Vec<Sample>>> {
    (0..readers)
        .map(|_| {
            scope.spawn(move || {
                let mut samples = Vec::new();
                while !done.load(Ordering::Acquire) {
                    let snapshot = vector.snapshot();
                    let items = snapshot.to_vec();
                    assert_eq!(items.len(), snapshot.len());
                    per_writer_counts(&items, writers);
                    samples.push((items.len(), checksum(items.into_iter())));
                }
                samples
            })
        })
        .collect()
}

/// Asserts that every sample is a prefix of `final_items` and that the
/// lengths one reader saw only grow (`growing`) or only shrink.
fn assert_prefixes(samples: &[Sample], final_items: &[u64], growing: bool) {
    let in_order = |(before, after): (usize, usize)| match growing {
        true => before <= after,
        false => before >= after,
    };
    assert!(samples
        .windows(2)
        .all(|pair| in_order((pair[0].0, pair[1].0))));
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    let (mut sum, mut taken) = (17u64, 0);
    for (len, sample_sum) in sorted {
        for &item in &final_items[taken..len] {
            sum = checksum_step(sum, item);
        }
        taken = len;
        assert_eq!(sample_sum, sum, "a snapshot of {len} items is not a prefix");
    }
}

#[test]
fn readers_see_only_prefixes_while_writers_append_then_pop() {
    const WRITERS: u64 = 4;
    const PER_WRITER: u64 = 25_000;
    const READERS: usize = 2;
    let retired = Arc::new(RetireList::new());
    let vector = SharedVec::new(Arc::clone(&retired));

    // Phase 1: append only.
    let done = AtomicBool::new(false);
    let samples: Vec<Vec<Sample>> = std::thread::scope(|scope| {
        let readers = sample_while_running(scope, &vector, &done, READERS, WRITERS);
        let writers: Vec<_> = (0..WRITERS)
            .map(|thread| {
                let vector = &vector;
                scope.spawn(move || {
                    for seq in 0..PER_WRITER {
                        vector.append(tagged(thread, seq));
                    }
                })
            })
            .collect();
        writers
            .into_iter()
            .for_each(|writer| writer.join().unwrap());
        done.store(true, Ordering::Release);
        readers
            .into_iter()
            .map(|reader| reader.join().unwrap())
            .collect()
    });
    let appended = vector.to_vec();
    assert!(per_writer_counts(&appended, WRITERS)
        .iter()
        .all(|&count| count == PER_WRITER));
    for reader in &samples {
        assert!(!reader.is_empty());
        assert_prefixes(reader, &appended, true);
    }
    // SAFETY: every reader and writer has been joined.
    let freed = unsafe { retired.reclaim() };
    assert_eq!(freed, (WRITERS * PER_WRITER) as usize);

    // Phase 2: pop until empty; every item comes off exactly once.
    let done = AtomicBool::new(false);
    let (samples, popped): (Vec<Vec<Sample>>, Vec<Vec<u64>>) = std::thread::scope(|scope| {
        let readers = sample_while_running(scope, &vector, &done, READERS, WRITERS);
        let writers: Vec<_> = (0..WRITERS)
            .map(|_| {
                let vector = &vector;
                scope.spawn(move || std::iter::from_fn(|| vector.pop()).collect::<Vec<u64>>())
            })
            .collect();
        let popped = writers
            .into_iter()
            .map(|writer| writer.join().unwrap())
            .collect();
        done.store(true, Ordering::Release);
        (
            readers
                .into_iter()
                .map(|reader| reader.join().unwrap())
                .collect(),
            popped,
        )
    });
    assert!(vector.is_empty());
    for reader in &samples {
        assert_prefixes(reader, &appended, false);
    }
    let mut all_popped: Vec<u64> = popped.concat();
    all_popped.sort_unstable();
    let mut expected = appended.clone();
    expected.sort_unstable();
    assert_eq!(all_popped, expected);
    // Each popper took its items from the end, so in decreasing position.
    let position: HashMap<u64, usize> = appended
        .iter()
        .enumerate()
        .map(|(index, &item)| (item, index))
        .collect();
    for items in &popped {
        let positions: Vec<usize> = items.iter().map(|item| position[item]).collect();
        assert!(positions.windows(2).all(|pair| pair[0] > pair[1]));
    }
    // SAFETY: every reader and writer has been joined.
    assert_eq!(unsafe { retired.reclaim() }, appended.len());
    assert!(retired.is_empty());
}
