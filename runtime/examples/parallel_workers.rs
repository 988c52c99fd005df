//! Benchmark (reports numbers, asserts nothing beyond correctness): the
//! prime count of `../shared/bench/threads_cpu.py` run by one interpreter,
//! then split between two running at once in a `WorkerGroup`
//! (`Vm::new_worker`, the memory model's parallel read side), and the
//! speedup; then the cost of write sections: two workers appending to one
//! shared list at once. Run with
//! `cargo run --release -p protopython-runtime --example parallel_workers`.

use std::time::Instant;

use runtime::engine::{call::call_value, ops, run_main_module};
use runtime::host::CaptureHost;
use runtime::sched::workers;
use runtime::{Value, Vm};

const PROGRAM: &str = r#"
def count_primes(lo, hi):
    count = 0
    for n in range(lo, hi):
        if n < 2 or (n % 2 == 0 and n != 2):
            continue
        d = 3
        while d * d <= n:
            if n % d == 0:
                break
            d += 2
        else:
            count += 1
    return count

SHARED = []

def append_many(n):
    for i in range(n):
        SHARED.append(i)
    return n
"#;

const LIMIT: i64 = 700_000;
const CHUNK: i64 = 2_000;

/// A `Vm` moved to the one thread that uses it.
struct OnThread(Vm);

// SAFETY: each interpreter is used by exactly one thread at a time; what
// the two share are shared objects, which both may read.
unsafe impl Send for OnThread {}

fn global(vm: &Vm, name: &str) -> Value {
    let main = ops::dict_get_str(vm.modules, "__main__").expect("__main__");
    ops::dict_get_str(main.as_obj().unwrap().dict(), name).unwrap()
}

fn count(vm: &mut Vm, part: i64, parts: i64) -> i64 {
    let function = global(vm, "count_primes");
    let mut total = 0;
    let mut start = part * CHUNK;
    while start < LIMIT {
        let args: Vec<Value> = [start, (start + CHUNK).min(LIMIT)]
            .iter()
            .map(|&n| vm.new_int(n))
            .collect();
        total += call_value(vm, function, &args, &[])
            .expect("no exception")
            .as_small_int()
            .unwrap();
        start += parts * CHUNK;
    }
    total
}

fn main() {
    let mut vm = Vm::new(Box::new(CaptureHost::default()));
    run_main_module(&mut vm, PROGRAM, "<bench>", "", vec!["<bench>".into()]).unwrap();
    runtime::sched::start_sharing(&mut vm);
    vm.collects = false;

    let started = Instant::now();
    let one = count(&mut vm, 0, 1);
    let one_time = started.elapsed().as_secs_f64();

    let group = workers::WorkerGroup::new(2);
    let worker = OnThread(vm.new_worker(Box::new(CaptureHost::default())));
    workers::attach(&mut vm, &group);
    const APPENDS: i64 = 100_000;
    let started = Instant::now();
    let (two, two_time, _worker) = std::thread::scope(|scope| {
        let group = &group;
        let (ready, go) = std::sync::mpsc::channel();
        let other = scope.spawn(move || {
            let mut worker = worker;
            workers::attach(&mut worker.0, group);
            ready.send(()).unwrap();
            let primes = count(&mut worker.0, 1, 2);
            workers::idle(&mut worker.0);
            (primes, worker)
        });
        go.recv().unwrap();
        let mine = count(&mut vm, 0, 2);
        workers::idle(&mut vm);
        let (theirs, worker) = other.join().unwrap();
        (mine + theirs, started.elapsed().as_secs_f64(), worker)
    });
    assert_eq!(one, two, "both runs count the same primes");
    println!("primes below {LIMIT}: {one}");
    println!("1 interpreter:  {one_time:.3} s");
    println!("2 interpreters: {two_time:.3} s");
    println!("speedup: {:.2}x", one_time / two_time);

    // Write sections: both append to one shared list at once.
    workers::resume(&mut vm);
    let mut worker = _worker;
    let started = Instant::now();
    std::thread::scope(|scope| {
        let worker = &mut worker;
        let other = scope.spawn(move || {
            let worker = worker;
            workers::resume(&mut worker.0);
            let function = global(&worker.0, "append_many");
            let n = worker.0.new_int(APPENDS);
            call_value(&mut worker.0, function, &[n], &[]).unwrap();
            workers::idle(&mut worker.0);
        });
        let function = global(&vm, "append_many");
        let n = vm.new_int(APPENDS);
        call_value(&mut vm, function, &[n], &[]).unwrap();
        workers::idle(&mut vm);
        other.join().unwrap();
    });
    let seconds = started.elapsed().as_secs_f64();
    let shared = global(&vm, "SHARED");
    let length = ops::list_of(shared).unwrap().borrow().len();
    assert_eq!(length as i64, 2 * APPENDS, "no append lost");
    println!(
        "2 x {APPENDS} appends to one shared list: {seconds:.3} s ({:.2} us per write section)",
        seconds * 1e6 / (2 * APPENDS) as f64
    );
}
