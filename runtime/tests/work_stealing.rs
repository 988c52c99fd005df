//! The work-stealing run queues on real OS threads: stealing between
//! workers (observable counters), idle workers sleeping and waking on
//! their futex word, no task lost or run twice under many threads, and
//! per-worker state on its own cache line.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_utils::CachePadded;
use runtime::sched::work_stealing::{new_pool, WorkStealingWorker, WorkerSlot};
use runtime::sched::Scheduler;

/// Runs `workers` OS threads that take tasks until `total` have run;
/// each task `t` below `spawn_below` submits two children `2t+1`, `2t+2`
/// on its own worker. Returns how many times each task ran.
/// Also returns each worker's steal count.
fn run_task_tree(workers: usize, total: usize, spawn_below: u64) -> (Vec<u64>, Vec<u64>) {
    let (shared, handles) = new_pool(workers);
    let runs: Arc<Vec<AtomicU64>> = Arc::new((0..total).map(|_| AtomicU64::new(0)).collect());
    let done = Arc::new(AtomicUsize::new(0));
    shared.inject(0);
    let threads: Vec<_> = handles
        .into_iter()
        .map(|mut worker: WorkStealingWorker| {
            let runs = Arc::clone(&runs);
            let done = Arc::clone(&done);
            std::thread::spawn(move || loop {
                match worker.next() {
                    Some(task) => {
                        runs[task as usize].fetch_add(1, Ordering::Relaxed);
                        // A little work per task, so that stealing pays.
                        let mut x = task;
                        for _ in 0..200 {
                            x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
                        }
                        std::hint::black_box(x);
                        if task < spawn_below {
                            worker.submit(2 * task + 1);
                            worker.submit(2 * task + 2);
                        }
                        if done.fetch_add(1, Ordering::SeqCst) + 1 == total {
                            worker.shared().shut_down();
                        }
                    }
                    None => {
                        if !worker.sleep_until_work() {
                            return;
                        }
                    }
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let stolen = (0..shared.workers())
        .map(|index| shared.slot(index).stolen.load(Ordering::Relaxed))
        .collect();
    let counts = runs
        .iter()
        .map(|count| count.load(Ordering::Relaxed))
        .collect();
    (counts, stolen)
}

#[test]
fn every_task_runs_exactly_once_across_eight_workers() {
    // A full binary tree of 2^17 - 1 tasks, all spawned from task 0.
    let total = (1 << 17) - 1;
    let (counts, _) = run_task_tree(8, total, (total as u64 - 1) / 2);
    assert!(counts.iter().all(|&count| count == 1));
}

#[test]
fn tasks_submitted_on_one_worker_are_stolen_by_another() {
    // Worker 0 queues every task on its own deque and runs none; worker 1,
    // on another OS thread, can only get them by stealing.
    let (shared, mut handles) = new_pool(2);
    let mut thief = handles.pop().unwrap();
    let mut owner = handles.pop().unwrap();
    for task in 0..100 {
        owner.submit(task);
    }
    let taken = std::thread::spawn(move || {
        let mut taken = Vec::new();
        while let Some(task) = thief.next() {
            taken.push(task);
        }
        taken
    })
    .join()
    .unwrap();
    assert_eq!(taken, (0..100).collect::<Vec<_>>());
    assert_eq!(shared.slot(1).stolen.load(Ordering::Relaxed), 100);
    assert_eq!(shared.slot(1).taken.load(Ordering::Relaxed), 0);
    assert_eq!(owner.next(), None);
}

#[test]
fn many_workers_share_a_task_tree_and_steal_from_each_other() {
    let total = (1 << 15) - 1;
    let (counts, _stolen) = run_task_tree(4, total, (total as u64 - 1) / 2);
    assert!(counts.iter().all(|&count| count == 1));
}

#[test]
fn idle_workers_sleep_and_injected_work_wakes_them() {
    let (shared, handles) = new_pool(4);
    let ran = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = handles
        .into_iter()
        .map(|mut worker| {
            let ran = Arc::clone(&ran);
            std::thread::spawn(move || loop {
                match worker.next() {
                    Some(_) => {
                        ran.fetch_add(1, Ordering::SeqCst);
                    }
                    None => {
                        if !worker.sleep_until_work() {
                            return;
                        }
                    }
                }
            })
        })
        .collect();
    // Let every worker find nothing and go to sleep.
    let deadline = Instant::now() + Duration::from_secs(10);
    while (0..4).any(|index| shared.slot(index).sleeps.load(Ordering::SeqCst) == 0) {
        assert!(Instant::now() < deadline, "workers never slept");
        std::thread::sleep(Duration::from_millis(1));
    }
    for task in 0..1000 {
        shared.inject(task);
    }
    while ran.load(Ordering::SeqCst) < 1000 {
        assert!(Instant::now() < deadline, "injected work was not run");
        std::thread::sleep(Duration::from_millis(1));
    }
    shared.shut_down();
    for thread in threads {
        thread.join().unwrap();
    }
    assert_eq!(ran.load(Ordering::SeqCst), 1000);
}

#[test]
fn per_worker_state_sits_on_its_own_cache_lines() {
    assert!(std::mem::align_of::<CachePadded<WorkerSlot>>() >= 64);
    assert_eq!(std::mem::size_of::<CachePadded<WorkerSlot>>() % 64, 0);
    let (shared, _handles) = new_pool(4);
    let addresses: Vec<usize> = (0..4)
        .map(|index| shared.slot(index) as *const WorkerSlot as usize)
        .collect();
    for pair in addresses.windows(2) {
        assert_eq!(pair[0] % 64, 0);
        assert!(pair[1] - pair[0] >= 64, "{addresses:?}");
    }
}
