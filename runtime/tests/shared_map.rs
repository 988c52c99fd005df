//! The shared copy-on-write map on real OS threads: concurrent inserts and
//! read-modify-writes lose nothing, readers only ever see whole versions
//! (each snapshot consistent with itself while writers insert and remove),
//! and retired versions are freed at quiescent points — a stop-the-world
//! rendezvous while workers run, or after they are joined.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use runtime::sched::rendezvous::Rendezvous;
use runtime::shared::map::SharedMap;
use runtime::shared::retire::RetireList;

/// Key `seq` of writer `thread`.
fn tagged(thread: u64, seq: u64) -> u64 {
    thread << 32 | seq
}

fn thread_of(key: u64) -> usize {
    (key >> 32) as usize
}

fn seq_of(key: u64) -> u64 {
    key & 0xFFFF_FFFF
}

/// A 16-bit hash: 160_000 keys share 65_536 hashes, so many entries sit in
/// groups of equal hashes and only the equality check tells them apart.
fn hash(key: u64) -> i64 {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 48) as i64
}

fn same_bits(stored: u64, key: u64) -> bool {
    stored == key
}

/// The value stored under `key` in these tests.
fn value_of(key: u64) -> u64 {
    key ^ 0x5555_0000_5555
}

/// A safepoint between operations, as the engine has at each block
/// boundary; worker 0 also stops the world every `every` calls and frees
/// what was retired, adding the count to `reclaimed`.
struct Safepoints<'a> {
    rendezvous: &'a Rendezvous,
    retired: &'a RetireList,
    reclaimed: &'a AtomicUsize,
}

impl Safepoints<'_> {
    fn poll(&self, worker: usize, step: u64, every: u64) {
        if self.rendezvous.stop_requested() {
            self.rendezvous.park_at_safepoint();
        }
        if worker == 0 && step % every == every - 1 {
            let stopped = self.rendezvous.stop_the_world();
            // SAFETY: every other worker waits at a safepoint, between
            // operations, holding no snapshot, and this one holds none.
            let freed = unsafe { self.retired.reclaim() };
            self.reclaimed.fetch_add(freed, Ordering::Relaxed);
            drop(stopped);
        }
    }
}

/// A worker's membership of the rendezvous, ended when the worker ends,
/// even by a panic (so that a failed assertion fails the test instead of
/// leaving a stop waiting for it); it then also counts the worker as done.
struct Member<'a> {
    rendezvous: &'a Rendezvous,
    done: Option<&'a AtomicUsize>,
}

impl<'a> Member<'a> {
    /// Joins `rendezvous`; call before spawning the worker.
    fn join(rendezvous: &'a Rendezvous, done: Option<&'a AtomicUsize>) -> Member<'a> {
        rendezvous.join();
        Member { rendezvous, done }
    }
}

impl Drop for Member<'_> {
    fn drop(&mut self) {
        self.rendezvous.leave();
        if let Some(done) = self.done {
            done.fetch_add(1, Ordering::Release);
        }
    }
}

#[test]
fn eight_threads_inserting_lose_nothing_with_reclaim_at_stop_the_world() {
    const WRITERS: u64 = 8;
    const PER_WRITER: u64 = 20_000;
    let retired = Arc::new(RetireList::new());
    let map = SharedMap::new(Arc::clone(&retired));
    let rendezvous = Rendezvous::new();
    let reclaimed = AtomicUsize::new(0);
    let safepoints = Safepoints {
        rendezvous: &rendezvous,
        retired: &retired,
        reclaimed: &reclaimed,
    };
    std::thread::scope(|scope| {
        for thread in 0..WRITERS {
            let (map, safepoints) = (&map, &safepoints);
            let member = Member::join(&rendezvous, None);
            scope.spawn(move || {
                let _member = member;
                for seq in 0..PER_WRITER {
                    let key = tagged(thread, seq);
                    let old = map.insert(hash(key), key, value_of(key), &mut same_bits);
                    assert_eq!(old, None);
                    safepoints.poll(thread as usize, seq, 2_000);
                }
            });
        }
    });
    assert_eq!(map.len(), (WRITERS * PER_WRITER) as usize);
    let items = map.to_vec();
    assert_eq!(items.len(), (WRITERS * PER_WRITER) as usize);
    // Each writer's keys, in its own order, with no gap.
    let mut next = [0u64; WRITERS as usize];
    for &(key, value) in &items {
        assert_eq!(value, value_of(key));
        assert_eq!(seq_of(key), next[thread_of(key)], "out of order or lost");
        next[thread_of(key)] += 1;
    }
    assert!(next.iter().all(|&count| count == PER_WRITER));
    let snapshot = map.snapshot();
    for thread in 0..WRITERS {
        for seq in 0..PER_WRITER {
            let key = tagged(thread, seq);
            assert_eq!(
                snapshot.get(hash(key), key, &mut same_bits),
                Some(value_of(key))
            );
        }
    }
    let absent = tagged(WRITERS, 0);
    assert!(!snapshot.contains(hash(absent), absent, &mut same_bits));
    assert!(
        reclaimed.load(Ordering::Relaxed) > 0,
        "no stop reclaimed anything"
    );
    // SAFETY: every writer has been joined; `snapshot` is no longer used.
    let rest = unsafe { retired.reclaim() };
    // Each insert replaced exactly one version.
    assert_eq!(
        reclaimed.load(Ordering::Relaxed) + rest,
        (WRITERS * PER_WRITER) as usize
    );
}

#[test]
fn read_modify_writes_from_eight_threads_lose_no_update() {
    const THREADS: u64 = 8;
    const ROUNDS: u64 = 10_000;
    const SHARED_COUNTERS: u64 = 3;
    let retired = Arc::new(RetireList::new());
    let map = SharedMap::new(Arc::clone(&retired));
    // Every counter hashes alike: each update also runs the equality
    // check against the other counters.
    let counter_hash = 7;
    std::thread::scope(|scope| {
        for thread in 0..THREADS {
            let map = &map;
            scope.spawn(move || {
                for round in 0..ROUNDS {
                    // Keys 0..3 are shared by all threads; 100 + thread is
                    // this thread's own counter.
                    let counter = match round % 4 {
                        3 => 100 + thread,
                        _ => (round + thread) % SHARED_COUNTERS,
                    };
                    map.update(counter_hash, counter, &mut same_bits, |count| {
                        count.unwrap_or(0) + 1
                    });
                }
            });
        }
    });
    let counts: std::collections::HashMap<u64, u64> = map.to_vec().into_iter().collect();
    assert_eq!(counts.len(), (SHARED_COUNTERS + THREADS) as usize);
    let shared_total: u64 = (0..SHARED_COUNTERS).map(|key| counts[&key]).sum();
    assert_eq!(shared_total, THREADS * (ROUNDS - ROUNDS / 4));
    for thread in 0..THREADS {
        assert_eq!(counts[&(100 + thread)], ROUNDS / 4);
    }
    // Each counter is bumped by a known number of rounds of each thread.
    for key in 0..SHARED_COUNTERS {
        let expected: u64 = (0..THREADS)
            .map(|thread| {
                (0..ROUNDS)
                    .filter(|round| round % 4 != 3 && (round + thread) % SHARED_COUNTERS == key)
                    .count() as u64
            })
            .sum();
        assert_eq!(counts[&key], expected, "counter {key}");
    }
    // SAFETY: every writer has been joined.
    assert_eq!(unsafe { retired.reclaim() }, (THREADS * ROUNDS) as usize);
}

/// Checks one snapshot as a reader sees it: its length matches what it
/// iterates, no key appears twice, every value belongs to its key, the
/// index finds every entry, and each writer's live keys are a gap-free
/// run of at most `window + 1` in its insertion order. Returns the length.
fn check_snapshot(map: &SharedMap<u64, u64>, writers: usize, window: u64) -> usize {
    let snapshot = map.snapshot();
    let items: Vec<(u64, u64)> = snapshot.iter().collect();
    assert_eq!(items.len(), snapshot.len());
    let mut seen = HashSet::with_capacity(items.len());
    let mut last_seq: Vec<Option<u64>> = vec![None; writers];
    let mut run = vec![0u64; writers];
    for &(key, value) in &items {
        assert!(seen.insert(key), "key {key:#x} twice in one snapshot");
        assert_eq!(value, value_of(key));
        let thread = thread_of(key);
        if let Some(last) = last_seq[thread] {
            assert_eq!(seq_of(key), last + 1, "writer {thread}: gap or disorder");
        }
        last_seq[thread] = Some(seq_of(key));
        run[thread] += 1;
    }
    assert!(run.iter().all(|&count| count <= window + 1));
    for &(key, value) in items.iter().step_by(7) {
        assert_eq!(snapshot.get(hash(key), key, &mut same_bits), Some(value));
    }
    items.len()
}

#[test]
fn snapshots_stay_consistent_while_writers_insert_and_remove() {
    const WRITERS: u64 = 4;
    const READERS: usize = 2;
    const PER_WRITER: u64 = 20_000;
    /// Each writer keeps its last WINDOW keys: it removes key `seq -
    /// WINDOW` right after inserting key `seq`.
    const WINDOW: u64 = 300;
    let retired = Arc::new(RetireList::new());
    let map = SharedMap::new(Arc::clone(&retired));
    let rendezvous = Rendezvous::new();
    let reclaimed = AtomicUsize::new(0);
    let safepoints = Safepoints {
        rendezvous: &rendezvous,
        retired: &retired,
        reclaimed: &reclaimed,
    };
    let writers_done = AtomicUsize::new(0);
    let stop_reading = AtomicBool::new(false);
    let snapshots_checked = std::thread::scope(|scope| {
        for thread in 0..WRITERS {
            let (map, safepoints) = (&map, &safepoints);
            let member = Member::join(&rendezvous, Some(&writers_done));
            scope.spawn(move || {
                let _member = member;
                for seq in 0..PER_WRITER {
                    let key = tagged(thread, seq);
                    map.insert(hash(key), key, value_of(key), &mut same_bits);
                    if seq >= WINDOW {
                        let old = tagged(thread, seq - WINDOW);
                        let removed = map.remove(hash(old), old, &mut same_bits);
                        assert_eq!(removed, Some((old, value_of(old))));
                    }
                    safepoints.poll(thread as usize, seq, 1_000);
                }
            });
        }
        let readers: Vec<_> = (0..READERS)
            .map(|_| {
                let (map, safepoints, stop_reading) = (&map, &safepoints, &stop_reading);
                let member = Member::join(&rendezvous, None);
                scope.spawn(move || {
                    let _member = member;
                    let mut checked = 0usize;
                    let mut most = 0;
                    while !stop_reading.load(Ordering::Acquire) {
                        most = most.max(check_snapshot(map, WRITERS as usize, WINDOW));
                        checked += 1;
                        safepoints.poll(1, 0, 1);
                    }
                    assert!(most > 0, "the reader never saw an entry");
                    checked
                })
            })
            .collect();
        while writers_done.load(Ordering::Acquire) < WRITERS as usize {
            std::thread::yield_now();
        }
        stop_reading.store(true, Ordering::Release);
        readers
            .into_iter()
            .map(|reader| reader.join().unwrap())
            .sum::<usize>()
    });
    assert!(snapshots_checked >= READERS);
    assert_eq!(map.len(), (WRITERS * WINDOW) as usize);
    check_snapshot(&map, WRITERS as usize, WINDOW);
    // What is left is each writer's last WINDOW keys, in order.
    let mut expected_keys: Vec<u64> = (0..WRITERS)
        .flat_map(|thread| (PER_WRITER - WINDOW..PER_WRITER).map(move |seq| tagged(thread, seq)))
        .collect();
    let mut keys = map.snapshot().keys();
    keys.sort_unstable();
    expected_keys.sort_unstable();
    assert_eq!(keys, expected_keys);
    // Writers drain it from the end (popitem) while a reader checks.
    let popped: Vec<Vec<(u64, u64)>> = std::thread::scope(|scope| {
        let map = &map;
        let poppers: Vec<_> = (0..WRITERS)
            .map(|_| scope.spawn(move || std::iter::from_fn(|| map.pop_last()).collect()))
            .collect();
        scope.spawn(move || {
            for _ in 0..50 {
                check_snapshot(map, WRITERS as usize, WINDOW);
            }
        });
        poppers
            .into_iter()
            .map(|popper| popper.join().unwrap())
            .collect()
    });
    assert!(map.is_empty());
    let mut all_popped: Vec<u64> = popped.concat().into_iter().map(|(key, _)| key).collect();
    all_popped.sort_unstable();
    assert_eq!(all_popped, expected_keys);
    // Each popper took keys from the end: within one writer's keys, in
    // decreasing order.
    for items in &popped {
        for thread in 0..WRITERS as usize {
            let seqs: Vec<u64> = items
                .iter()
                .filter(|(key, _)| thread_of(*key) == thread)
                .map(|(key, _)| seq_of(*key))
                .collect();
            assert!(seqs.windows(2).all(|pair| pair[0] > pair[1]));
        }
    }
    assert!(reclaimed.load(Ordering::Relaxed) > 0);
    // SAFETY: every reader and writer has been joined.
    let rest = unsafe { retired.reclaim() };
    // One version per insert, per remove and per pop.
    let writes = WRITERS * PER_WRITER + WRITERS * (PER_WRITER - WINDOW) + WRITERS * WINDOW;
    assert_eq!(reclaimed.load(Ordering::Relaxed) + rest, writes as usize);
}
