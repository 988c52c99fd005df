//! The stop-the-world rendezvous on OS threads: a stop parks every active
//! worker at its next safepoint and nothing runs until it ends; workers in
//! safe regions do not hold a stop up and cannot slip back in during one;
//! several workers asking at once get one stop at a time.

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use runtime::sched::rendezvous::Rendezvous;

#[test]
fn a_stop_parks_every_worker_until_it_ends() {
    let rendezvous = Arc::new(Rendezvous::new());
    let done = Arc::new(AtomicBool::new(false));
    let counters: Arc<Vec<AtomicU64>> = Arc::new((0..4).map(|_| AtomicU64::new(0)).collect());
    rendezvous.join(); // the test thread is a worker too
    let workers: Vec<_> = (0..4)
        .map(|index| {
            let (rendezvous, done, counters) = (
                Arc::clone(&rendezvous),
                Arc::clone(&done),
                Arc::clone(&counters),
            );
            rendezvous.join();
            std::thread::spawn(move || {
                while !done.load(Ordering::SeqCst) {
                    if rendezvous.stop_requested() {
                        rendezvous.park_at_safepoint();
                    }
                    counters[index].fetch_add(1, Ordering::SeqCst);
                }
                rendezvous.leave();
            })
        })
        .collect();
    assert_eq!(rendezvous.active(), 5);
    for _ in 0..100 {
        let stopped = rendezvous.stop_the_world();
        let before: Vec<u64> = counters.iter().map(|c| c.load(Ordering::SeqCst)).collect();
        std::thread::sleep(Duration::from_micros(200));
        let after: Vec<u64> = counters.iter().map(|c| c.load(Ordering::SeqCst)).collect();
        assert_eq!(before, after, "a worker ran during the stop");
        drop(stopped);
        std::thread::sleep(Duration::from_micros(100));
    }
    let progress: u64 = counters.iter().map(|c| c.load(Ordering::SeqCst)).sum();
    assert!(progress > 0);
    done.store(true, Ordering::SeqCst);
    rendezvous.leave();
    for worker in workers {
        worker.join().unwrap();
    }
    assert_eq!(rendezvous.active(), 0);
}

#[test]
fn workers_in_safe_regions_neither_hold_up_a_stop_nor_slip_into_one() {
    let rendezvous = Arc::new(Rendezvous::new());
    rendezvous.join();
    rendezvous.join(); // a second worker, about to block
    rendezvous.enter_safe_region();
    assert_eq!(rendezvous.active(), 1);
    let back = Arc::new(AtomicBool::new(false));
    let stopped = rendezvous.stop_the_world(); // does not wait for it
    let blocked = {
        let (rendezvous, back) = (Arc::clone(&rendezvous), Arc::clone(&back));
        std::thread::spawn(move || {
            rendezvous.leave_safe_region();
            back.store(true, Ordering::SeqCst);
            rendezvous.leave();
        })
    };
    std::thread::sleep(Duration::from_millis(20));
    assert!(
        !back.load(Ordering::SeqCst),
        "left its safe region during a stop"
    );
    drop(stopped);
    blocked.join().unwrap();
    assert!(back.load(Ordering::SeqCst));
    rendezvous.leave();
    assert_eq!(rendezvous.active(), 0);
}

#[test]
fn workers_asking_at_once_get_one_stop_at_a_time() {
    let rendezvous = Arc::new(Rendezvous::new());
    let inside = Arc::new(AtomicU32::new(0));
    let stops = Arc::new(AtomicU32::new(0));
    for _ in 0..4 {
        rendezvous.join();
    }
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let (rendezvous, inside, stops) = (
                Arc::clone(&rendezvous),
                Arc::clone(&inside),
                Arc::clone(&stops),
            );
            std::thread::spawn(move || {
                for round in 0..200 {
                    if rendezvous.stop_requested() {
                        rendezvous.park_at_safepoint();
                    }
                    if round % 4 == 0 {
                        let stopped = rendezvous.stop_the_world();
                        assert_eq!(
                            inside.fetch_add(1, Ordering::SeqCst),
                            0,
                            "two stops at once"
                        );
                        stops.fetch_add(1, Ordering::SeqCst);
                        inside.fetch_sub(1, Ordering::SeqCst);
                        drop(stopped);
                    }
                }
                rendezvous.leave();
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    assert_eq!(stops.load(Ordering::SeqCst), 4 * 50);
    assert_eq!(rendezvous.active(), 0);
}
