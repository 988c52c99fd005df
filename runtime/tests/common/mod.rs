//! Helpers shared by the engine's integration tests: run a program in a
//! fresh interpreter with captured output, honouring PROTOPY_GC_STRESS so
//! the whole suite can run with a collection at every safepoint.

#![allow(dead_code)]

use runtime::host::CaptureHost;
use runtime::Vm;

pub struct Outcome {
    pub stdout: String,
    /// The uncaught exception's formatted traceback, if any.
    pub error: Option<String>,
    pub vm: Vm,
}

pub fn new_vm() -> (Vm, CaptureHost) {
    let host = CaptureHost::default();
    let mut vm = Vm::new(Box::new(host.clone()));
    vm.gc_stress =
        std::env::var("PROTOPY_GC_STRESS").is_ok_and(|value| !value.is_empty() && value != "0");
    (vm, host)
}

pub fn run(source: &str) -> Outcome {
    let (mut vm, host) = new_vm();
    let result =
        runtime::engine::run_main_module(&mut vm, source, "<test>", "", vec!["<test>".into()]);
    let error = result
        .err()
        .map(|exception| runtime::engine::unwind::format_exception(&mut vm, exception));
    Outcome {
        stdout: host.stdout(),
        error,
        vm,
    }
}

/// Runs `source` and returns its stdout, panicking with the traceback if
/// it raised.
pub fn stdout_of(source: &str) -> String {
    let outcome = run(source);
    if let Some(error) = outcome.error {
        panic!(
            "program raised:\n{error}\nstdout so far:\n{}",
            outcome.stdout
        );
    }
    outcome.stdout
}
