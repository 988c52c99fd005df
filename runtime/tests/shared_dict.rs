//! A shared dict's table on real OS threads, through the paths that take
//! no write section (`DictTable::insert_shared`, `remove_shared`, and the
//! readers' `probe`/`entry`): concurrent writers lose nothing, a key never
//! has two live entries, and readers find every key that stays in while
//! other keys come and go around it. (Run under ThreadSanitizer by
//! `./x tsan`.)

use runtime::objects::dict::{Presence, Probe, SharedInsert, SharedRemove};
use runtime::objects::DictTable;
use runtime::value::Value;

fn int(n: i64) -> Value {
    Value::small_int(n).unwrap()
}

fn same(n: i64) -> impl FnMut(Value) -> Option<bool> {
    move |key| Some(key == int(n))
}

fn find(table: &DictTable, n: i64, hash: i64) -> Option<Value> {
    match table.probe(hash, same(n)) {
        Probe::Found(index, _) => table.entry(index).map(|entry| entry.value()),
        _ => None,
    }
}

/// Done (`Crowded` only asks for tidying, which needs the write borrow
/// these threads do not take).
fn inserted(outcome: SharedInsert) -> bool {
    matches!(outcome, SharedInsert::Done | SharedInsert::Crowded)
}

const THREADS: i64 = 8;
const PER_THREAD: i64 = 2000;
/// Keys every thread fights over (inserted, rebound, removed by all).
const COMMON: i64 = 32;
const COMMON_BASE: i64 = 1_000_000;

/// A poor hash (about four keys per value), so that probes run through
/// other threads' keys.
fn own_hash(n: i64) -> i64 {
    n % 4099
}

#[test]
fn concurrent_writers_lose_nothing_and_keep_keys_unique() {
    // Room for every slot claimed: each common-key insertion after a
    // removal takes a new one (growing is the write-section path).
    let table = DictTable::with_capacity((2 * THREADS * PER_THREAD + 64) as usize);
    std::thread::scope(|scope| {
        for thread in 0..THREADS {
            let table = &table;
            scope.spawn(move || {
                for n in 0..PER_THREAD {
                    let own = thread * PER_THREAD + n;
                    assert!(inserted(table.insert_shared(own_hash(own), int(own), int(-1), Presence::Replace, same(own))));
                    // A rebinding of a key this thread owns is never lost.
                    assert!(inserted(table.insert_shared(own_hash(own), int(own), int(own), Presence::Replace, same(own))));
                    let common = COMMON_BASE + n % COMMON;
                    let outcome = table.insert_shared(common % 7, int(common), int(thread), Presence::Replace, same(common));
                    assert!(inserted(outcome));
                    if n % 2 == 1 {
                        let removed = table.remove_shared(own_hash(own), int(own), same(own));
                        assert!(
                            matches!(removed, SharedRemove::Removed { entry, .. } if entry.value() == int(own)),
                            "own key {own} removed once, with its last value"
                        );
                    }
                    let _ = table.remove_shared(common % 7, int(common), same(common));
                }
            });
        }
    });
    let keys: Vec<i64> = table
        .keys()
        .iter()
        .map(|key| key.as_small_int().unwrap())
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), keys.len(), "a key with two live entries");
    assert_eq!(table.len(), keys.len());
    let own: Vec<i64> = sorted
        .iter()
        .copied()
        .filter(|&n| n < COMMON_BASE)
        .collect();
    let expected: Vec<i64> = (0..THREADS * PER_THREAD).filter(|n| n % 2 == 0).collect();
    assert_eq!(own, expected);
    for n in expected {
        assert_eq!(find(&table, n, own_hash(n)), Some(int(n)));
    }
}

#[test]
fn readers_find_every_key_that_stays_while_others_churn() {
    let stable: Vec<i64> = (0..200).map(|n| n * 3).collect();
    let table = DictTable::with_capacity((4 * PER_THREAD + 400) as usize);
    for &n in &stable {
        assert!(inserted(table.insert_shared(
            own_hash(n),
            int(n),
            int(n),
            Presence::Replace,
            same(n)
        )));
    }
    let writers_done = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for writer in 0..2 {
            let (table, writers_done) = (&table, &writers_done);
            scope.spawn(move || {
                // Keys between the stable ones, with the same poor hash:
                // their slots sit in the stable keys' probe sequences.
                for n in 0..PER_THREAD {
                    let key = 3 * (writer * PER_THREAD + n) + 1 + writer;
                    assert!(inserted(table.insert_shared(
                        own_hash(key),
                        int(key),
                        int(key),
                        Presence::Replace,
                        same(key)
                    )));
                    assert!(matches!(
                        table.remove_shared(own_hash(key), int(key), same(key)),
                        SharedRemove::Removed { .. }
                    ));
                }
                writers_done.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            });
        }
        for _ in 0..2 {
            let (table, stable, writers_done) = (&table, &stable, &writers_done);
            scope.spawn(move || {
                let mut rounds = 0;
                while writers_done.load(std::sync::atomic::Ordering::SeqCst) < 2 || rounds < 3 {
                    for &n in stable {
                        assert_eq!(find(table, n, own_hash(n)), Some(int(n)), "stable key {n}");
                    }
                    // Iteration sees every stable key, in insertion order.
                    let seen: Vec<i64> = table
                        .keys()
                        .iter()
                        .map(|key| key.as_small_int().unwrap())
                        .filter(|n| n % 3 == 0)
                        .collect();
                    assert_eq!(&seen, stable);
                    rounds += 1;
                }
            });
        }
    });
    assert_eq!(table.len(), stable.len());
}

#[test]
fn threads_setting_defaults_for_the_same_keys_all_get_the_one_that_stays() {
    // `d.setdefault(k, mine)` from 8 threads at once: one value per key
    // goes in, and every thread is handed that one (`Present`) or put it
    // there itself, so `d.setdefault(k, []).append(x)` loses nothing.
    const KEYS: i64 = 300;
    // Room for a slot per thread per key: threads racing to put one key
    // at one EMPTY position each claim a slot first, and the losers'
    // slots stay dead (growing, when none is left, is the write-section
    // path these threads do not take).
    let table = DictTable::with_capacity((THREADS * KEYS) as usize + 8);
    let handed: Vec<Vec<i64>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..THREADS)
            .map(|thread| {
                let table = &table;
                scope.spawn(move || {
                    (0..KEYS)
                        .map(|key| {
                            let mine = int(1000 * key + thread);
                            match table.insert_shared(
                                key % 5,
                                int(key),
                                mine,
                                Presence::Keep,
                                same(key),
                            ) {
                                SharedInsert::Done | SharedInsert::Crowded => 1000 * key + thread,
                                SharedInsert::Present(value) => value.as_small_int().unwrap(),
                                SharedInsert::Full | SharedInsert::NeedsEq(_) => {
                                    panic!("room and known keys")
                                }
                            }
                        })
                        .collect()
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| worker.join().unwrap())
            .collect()
    });
    assert_eq!(table.len(), KEYS as usize);
    for key in 0..KEYS {
        let stays = table
            .find_value(key % 5, |candidate| candidate == int(key))
            .and_then(|value| value.as_small_int())
            .unwrap();
        assert_eq!(stays / 1000, key);
        for thread in &handed {
            assert_eq!(
                thread[key as usize], stays,
                "a thread was handed a value that did not stay"
            );
        }
    }
}
