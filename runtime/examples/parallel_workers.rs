//! Benchmark (reports numbers, asserts nothing beyond correctness): the
//! prime count of `../shared/bench/threads_cpu.py` run by one interpreter,
//! then split between two running at once (`Vm::new_worker`, the memory
//! model's parallel read side), and the speedup. Run with
//! `cargo run --release -p protopython-runtime --example parallel_workers`.

use std::time::Instant;

use runtime::engine::{call::call_value, ops, run_main_module};
use runtime::host::CaptureHost;
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
"#;

const LIMIT: i64 = 700_000;
const CHUNK: i64 = 2_000;

/// A `Vm` moved to the one thread that uses it.
struct OnThread(Vm);

// SAFETY: each interpreter is used by exactly one thread at a time; what
// the two share are shared objects, which both may read.
unsafe impl Send for OnThread {}

fn count(vm: &mut Vm, part: i64, parts: i64) -> i64 {
    let main = ops::dict_get_str(vm.modules, "__main__").expect("__main__");
    let function = ops::dict_get_str(main.as_obj().unwrap().dict(), "count_primes").unwrap();
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

    let worker = OnThread(vm.new_worker(Box::new(CaptureHost::default())));
    let started = Instant::now();
    let two = std::thread::scope(|scope| {
        let other = scope.spawn(move || {
            let mut worker = worker;
            count(&mut worker.0, 1, 2)
        });
        count(&mut vm, 0, 2) + other.join().unwrap()
    });
    let two_time = started.elapsed().as_secs_f64();
    assert_eq!(one, two, "both runs count the same primes");
    println!("primes below {LIMIT}: {one}");
    println!("1 interpreter:  {one_time:.3} s");
    println!("2 interpreters: {two_time:.3} s");
    println!("speedup: {:.2}x", one_time / two_time);
}
