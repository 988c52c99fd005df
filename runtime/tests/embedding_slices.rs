//! The embedding hooks the WebAssembly package is built on, tested
//! natively: the resumable outermost driver (`sched::start_main` +
//! `sched::drive`, which runs a program in slices and reports timers
//! instead of sleeping), `Mode::ExecValue` (the value of a trailing
//! expression) and interrupts polled from the host
//! (`Host::poll_interrupt`).

mod common;

use std::cell::Cell;
use std::rc::Rc;

use runtime::compiler::Mode;
use runtime::engine::step::Completion;
use runtime::host::{CaptureHost, Host};
use runtime::sched::{self, Drive};
use runtime::{Value, Vm};

/// Starts `source` as a sliced run in `__main__`.
fn start(vm: &mut Vm, source: &str) -> Value {
    let namespace = runtime::engine::main_namespace(vm, "<test>", "", vec![String::new()])
        .expect("main namespace");
    let code = runtime::engine::compile_or_raise(vm, source, "<test>", Mode::ExecValue)
        .unwrap_or_else(|_| panic!("compile error in {source:?}"));
    let frame = runtime::engine::module_frame(vm, code, namespace, namespace);
    sched::start_main(vm, frame);
    namespace
}

/// Drives to the end in slices of `dispatches`; the result, the number of
/// slices and the seconds of timers reported.
fn drive_to_end(vm: &mut Vm, dispatches: u64) -> (Result<Value, String>, usize, f64) {
    let mut slices = 0;
    let mut slept = 0.0;
    loop {
        slices += 1;
        match sched::drive(vm, dispatches, false) {
            Drive::Paused => {}
            Drive::Sleeping(seconds) => {
                assert!(seconds > 0.0);
                slept += seconds;
                std::thread::sleep(std::time::Duration::from_secs_f64(seconds));
            }
            Drive::Finished(result) => {
                let result = match result {
                    Ok(Completion::Returned(value)) | Ok(Completion::Yielded(value)) => Ok(value),
                    Err(exception) => Err(runtime::engine::unwind::format_exception(vm, exception)),
                };
                return (result, slices, slept);
            }
        }
    }
}

#[test]
fn a_long_program_runs_in_many_slices_with_the_same_output() {
    let (mut vm, host) = common::new_vm();
    start(
        &mut vm,
        "total = 0\nfor i in range(200000):\n    total += i\nprint(total)\ntotal * 2",
    );
    let (result, slices, _) = drive_to_end(&mut vm, 1);
    let value = result.expect("no error");
    assert_eq!(value.as_small_int(), Some(2 * 19999900000));
    assert!(slices > 10, "only {slices} slices");
    assert_eq!(host.stdout(), "19999900000\n");
}

/// Captured output and a real clock (CaptureHost has none: virtual time).
struct ClockedHost {
    inner: CaptureHost,
    origin: std::time::Instant,
}

impl Host for ClockedHost {
    fn write_stdout(&mut self, text: &str) {
        self.inner.write_stdout(text);
    }
    fn write_stderr(&mut self, text: &str) {
        self.inner.write_stderr(text);
    }
    fn monotonic(&mut self) -> f64 {
        self.origin.elapsed().as_secs_f64()
    }
    fn has_clock(&self) -> bool {
        true
    }
    fn sleep(&mut self, seconds: f64) {
        std::thread::sleep(std::time::Duration::from_secs_f64(seconds));
    }
}

fn clocked_vm() -> (Vm, CaptureHost) {
    let host = CaptureHost::default();
    let mut vm = Vm::new(Box::new(ClockedHost {
        inner: host.clone(),
        origin: std::time::Instant::now(),
    }));
    vm.gc_stress = common::new_vm().0.gc_stress;
    (vm, host)
}

#[test]
fn sleeping_threads_are_reported_as_timers_instead_of_blocking() {
    let (mut vm, host) = clocked_vm();
    start(
        &mut vm,
        "import threading, time\n\
         def work(i):\n    time.sleep(0.1 * (i + 1))\n    print('thread', i)\n\
         threads = [threading.Thread(target=work, args=(i,)) for i in range(3)]\n\
         for t in threads: t.start()\n\
         for t in threads: t.join()\n\
         'joined'",
    );
    let (result, _, slept) = drive_to_end(&mut vm, 1000);
    let value = result.expect("no error");
    assert_eq!(runtime::engine::str_of(value), Some("joined"));
    // The last thread sleeps 0.3 s; most of it passes with nothing to
    // run (the margin is for a loaded machine under GC stress).
    assert!(slept >= 0.15, "timers reported {slept} s");
    assert_eq!(host.stdout(), "thread 0\nthread 1\nthread 2\n");
}

#[test]
fn exec_value_gives_the_last_expression_or_none() {
    let (mut vm, _host) = common::new_vm();
    start(&mut vm, "x = 6\nx * 7");
    assert_eq!(
        drive_to_end(&mut vm, 100).0.unwrap().as_small_int(),
        Some(42)
    );
    start(&mut vm, "y = 1");
    assert!(drive_to_end(&mut vm, 100).0.unwrap().is_none());
    start(&mut vm, "if True:\n    z = 3\n");
    assert!(drive_to_end(&mut vm, 100).0.unwrap().is_none());
    start(&mut vm, "'doc'");
    assert_eq!(
        runtime::engine::str_of(drive_to_end(&mut vm, 100).0.unwrap()),
        Some("doc")
    );
}

#[test]
fn an_exception_ends_the_sliced_run_with_its_traceback() {
    let (mut vm, _host) = common::new_vm();
    start(&mut vm, "def f():\n    return 1 / 0\nf()");
    let error = drive_to_end(&mut vm, 1).0.unwrap_err();
    assert!(
        error.contains("ZeroDivisionError: division by zero"),
        "{error}"
    );
    assert!(error.contains("line 2, in f"), "{error}");
}

#[test]
fn interrupt_requested_between_slices_raises_keyboard_interrupt() {
    let (mut vm, _host) = common::new_vm();
    start(&mut vm, "try:\n    while True:\n        pass\nexcept KeyboardInterrupt:\n    caught = 'yes'\ncaught");
    for _ in 0..5 {
        assert!(matches!(sched::drive(&mut vm, 10, false), Drive::Paused));
    }
    vm.interrupt_requested = true;
    let value = drive_to_end(&mut vm, 10).0.expect("caught in Python");
    assert_eq!(runtime::engine::str_of(value), Some("yes"));
}

/// A host whose interrupt flag flips after a number of polls (as another
/// thread setting a shared word would).
struct InterruptingHost {
    inner: CaptureHost,
    polls_left: Rc<Cell<u32>>,
}

impl Host for InterruptingHost {
    fn write_stdout(&mut self, text: &str) {
        self.inner.write_stdout(text);
    }
    fn write_stderr(&mut self, text: &str) {
        self.inner.write_stderr(text);
    }
    fn polls_interrupts(&self) -> bool {
        true
    }
    fn poll_interrupt(&mut self) -> bool {
        let left = self.polls_left.get();
        if left == 0 {
            return false;
        }
        self.polls_left.set(left - 1);
        left == 1
    }
}

#[test]
fn the_host_can_interrupt_a_run_to_completion_even_inside_a_nested_loop() {
    let polls = Rc::new(Cell::new(50));
    let host = CaptureHost::default();
    let mut vm = Vm::new(Box::new(InterruptingHost {
        inner: host.clone(),
        polls_left: polls.clone(),
    }));
    // The endless loop runs inside sorted()'s key function: a nested step
    // loop of native code, which a slice boundary cannot reach.
    let result = runtime::engine::run_main_module(
        &mut vm,
        "def key(x):\n    while True:\n        pass\nsorted([2, 1], key=key)",
        "<test>",
        "",
        vec![String::new()],
    );
    let error = result.expect_err("interrupted");
    assert!(vm.is_instance(error, vm.types.exc.keyboard_interrupt));
    assert_eq!(polls.get(), 0);
}

#[test]
fn an_interrupt_ends_a_sleep_of_the_main_thread_at_once() {
    let (mut vm, _host) = clocked_vm();
    start(
        &mut vm,
        "import time\ntry:\n    time.sleep(30)\n    r = 'slept'\nexcept KeyboardInterrupt:\n    r = 'interrupted'\nr",
    );
    let Drive::Sleeping(seconds) = sched::drive(&mut vm, 100, false) else {
        panic!("expected the main thread to wait for its timer");
    };
    assert!(seconds > 29.0);
    vm.interrupt_requested = true;
    let started = std::time::Instant::now();
    let value = drive_to_end(&mut vm, 100).0.expect("caught in Python");
    assert_eq!(runtime::engine::str_of(value), Some("interrupted"));
    assert!(started.elapsed().as_secs_f64() < 5.0);
}

#[test]
fn an_interrupt_reaches_the_main_thread_waiting_on_a_lock_not_another_thread() {
    let (mut vm, host) = clocked_vm();
    start(
        &mut vm,
        "import threading, time\n\
         lock = threading.Lock()\n\
         lock.acquire()\n\
         def spin():\n    n = 0\n    while n < 300000:\n        n += 1\n    print('worker finished')\n\
         t = threading.Thread(target=spin)\n\
         t.start()\n\
         try:\n    lock.acquire()\nexcept KeyboardInterrupt:\n    print('main interrupted')\n\
         t.join()\n'ok'",
    );
    for _ in 0..3 {
        assert!(matches!(sched::drive(&mut vm, 2, false), Drive::Paused));
    }
    vm.interrupt_requested = true;
    let value = drive_to_end(&mut vm, 100).0.expect("no uncaught error");
    assert_eq!(runtime::engine::str_of(value), Some("ok"));
    assert_eq!(host.stdout(), "main interrupted\nworker finished\n");
}

#[test]
fn an_interpreter_can_be_dropped_after_any_program() {
    for source in [
        "import threading\nthreading.Thread(target=print, args=('x',)).start()",
        "import queue, concurrent.futures\nq = queue.Queue()\nq.put(1)",
        "import re, json, datetime, collections\nre.compile('a+b')",
    ] {
        let (mut vm, _host) = clocked_vm();
        start(&mut vm, source);
        drive_to_end(&mut vm, 100).0.expect("no error");
        drop(vm);
    }
}
