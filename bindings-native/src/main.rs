//! `protopy`: run a Python script (`protopy FILE [args]`), a command
//! (`-c CODE`), a script from standard input, or an interactive session
//! when standard input is a terminal. `--dis FILE` prints the bytecode with
//! its basic blocks. Uncaught exceptions print a CPython-style traceback
//! and exit with status 1.

mod host;

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use runtime::compiler::Mode;
use runtime::engine::ops;
use runtime::{Value, Vm};

/// The engine allocates many small payloads (string texts, list buffers)
/// that its collector frees in bursts; mimalloc serves that pattern much
/// faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Interpreter threads get a large stack: native code that calls back into
/// Python (sorting with a key, `__repr__`, class bodies) nests step loops.
use host::ENGINE_STACK_BYTES;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let worker = std::thread::Builder::new()
        .name("protopy-main".into())
        .stack_size(ENGINE_STACK_BYTES)
        .spawn(move || run(args));
    match worker.map(|handle| handle.join()) {
        Ok(Ok(code)) => ExitCode::from(code),
        _ => {
            eprintln!("protopy: internal error");
            ExitCode::from(70)
        }
    }
}

enum Source {
    File(String),
    Command(String),
    Stdin,
    Repl,
    Disassemble(String),
}

fn usage() -> u8 {
    eprintln!("usage: protopy [-c cmd | --dis file | file | -] [arg] ...");
    2
}

fn run(args: Vec<String>) -> u8 {
    let mut index = 1;
    let mut source = None;
    while index < args.len() {
        let arg = &args[index];
        match arg.as_str() {
            "-c" => {
                let Some(code) = args.get(index + 1) else {
                    return usage();
                };
                source = Some(Source::Command(code.clone()));
                index += 1;
                break;
            }
            "--dis" => {
                let Some(path) = args.get(index + 1) else {
                    return usage();
                };
                source = Some(Source::Disassemble(path.clone()));
                index += 1;
                break;
            }
            "-" => {
                source = Some(Source::Stdin);
                break;
            }
            "-h" | "--help" => {
                println!("usage: protopy [-c cmd | --dis file | file | -] [arg] ...");
                return 0;
            }
            "-u" | "-B" | "-E" | "-s" | "-S" => {}
            _ if arg.starts_with('-') && arg.len() > 1 => {
                eprintln!("protopy: unknown option {arg}");
                return usage();
            }
            _ => {
                source = Some(Source::File(arg.clone()));
                break;
            }
        }
        index += 1;
    }
    let source = source.unwrap_or(if std::io::stdin().is_terminal() {
        Source::Repl
    } else {
        Source::Stdin
    });
    let script_args: Vec<String> = args
        .get(index + 1..)
        .map(|rest| rest.to_vec())
        .unwrap_or_default();
    let mut vm = Vm::new(Box::new(host::NativeHost::new()));
    vm.gc_stress =
        std::env::var("PROTOPY_GC_STRESS").is_ok_and(|value| !value.is_empty() && value != "0");
    match std::env::var("PROTOPY_SCHEDULER").as_deref() {
        Ok("inline") => vm.threads.max_workers = 1,
        Ok("work-stealing") | Ok("") | Err(_) => vm.threads.max_workers = worker_count(),
        Ok(name) => {
            eprintln!(
                "protopy: unknown scheduler '{name}' in PROTOPY_SCHEDULER (available: work-stealing, inline)"
            );
            return 2;
        }
    }
    let report_dispatches = std::env::var("PROTOPY_SCHED_STATS").is_ok_and(|value| value == "1");
    vm.threads.measure = report_dispatches;
    if let Some(limit) = std::env::var("PROTOPY_RECURSION_LIMIT")
        .ok()
        .and_then(|value| value.parse().ok())
    {
        vm.recursion_limit = limit;
    }
    match source {
        Source::File(path) => {
            let text = match std::fs::read(&path) {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(error) => {
                    eprintln!(
                        "protopy: can't open file '{path}': [Errno {}] {}",
                        error.raw_os_error().unwrap_or(2),
                        describe_io_error(&error)
                    );
                    return 2;
                }
            };
            let directory = std::path::Path::new(&path)
                .parent()
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default();
            // CPython 3.11 reports the main script by its absolute path.
            let shown = std::path::absolute(&path)
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_else(|_| path.clone());
            let mut argv = vec![path.clone()];
            argv.extend(script_args);
            run_main(&mut vm, &text, &shown, &directory, argv)
        }
        Source::Command(code) => {
            let mut argv = vec!["-c".to_string()];
            argv.extend(script_args);
            run_main(&mut vm, &code, "<string>", "", argv)
        }
        Source::Stdin => {
            let mut text = String::new();
            let _ = std::io::stdin().read_to_string(&mut text);
            let mut argv = vec!["-".to_string()];
            argv.extend(script_args);
            run_main(&mut vm, &text, "<stdin>", "", argv)
        }
        Source::Repl => repl(&mut vm),
        Source::Disassemble(path) => {
            let Ok(text) = std::fs::read_to_string(&path) else {
                eprintln!("protopy: can't open file '{path}'");
                return 2;
            };
            match runtime::compiler::compile(&mut vm, &text, &path, Mode::Exec) {
                Ok(code) => {
                    let listing = runtime::engine::disassemble(&mut vm, code);
                    print!("{listing}");
                    0
                }
                Err(error) => {
                    let exception =
                        runtime::engine::syntax_error_value(&mut vm, &error, &path, &text);
                    report_uncaught(&mut vm, exception)
                }
            }
        }
    }
}

/// Workers of the work-stealing backend: `PROTOPY_WORKERS`, else one per
/// core.
fn worker_count() -> usize {
    std::env::var("PROTOPY_WORKERS")
        .ok()
        .and_then(|value| value.trim().parse().ok())
        .filter(|&count: &usize| count >= 1)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

fn describe_io_error(error: &std::io::Error) -> &'static str {
    match error.kind() {
        std::io::ErrorKind::NotFound => "No such file or directory",
        std::io::ErrorKind::PermissionDenied => "Permission denied",
        _ => "I/O error",
    }
}

/// Runs `source` as `__main__`; returns the process exit status.
fn run_main(vm: &mut Vm, source: &str, filename: &str, directory: &str, argv: Vec<String>) -> u8 {
    // How the main module ended is told before the threads still running
    // are waited for, as CPython does.
    let status = runtime::engine::run_main_module_reporting(
        vm,
        source,
        filename,
        directory,
        argv,
        |vm, result| {
            vm.host.flush();
            match result {
                Ok(()) => 0,
                Err(exception) => report_uncaught(vm, exception),
            }
        },
    );
    vm.host.flush();
    if vm.threads.measure {
        report_dispatch_stats(vm);
    }
    status
}

/// `PROTOPY_SCHED_STATS=1`: what a dispatch costs against what a task
/// runs per dispatch (the batching rule: run ≥ 10× dispatch).
fn report_dispatch_stats(vm: &mut Vm) {
    let stats = vm.threads.stats;
    let run_ns = stats.mean_run() * 1e9;
    let dispatch_ns = stats.mean_dispatch_cost() * 1e9;
    let ratio = if dispatch_ns > 0.0 {
        format!("{:.0}x", run_ns / dispatch_ns)
    } else {
        "inf".into()
    };
    let workers = match vm.threads.pool() {
        Some(pool) => format!(
            "; {} workers, {} threads stolen by an idle worker, {} moved to one",
            pool.workers(),
            pool.stolen(),
            pool.moved()
        ),
        None => String::new(),
    };
    let stops = match &vm.group {
        Some(membership) => format!(
            "; {} collections ({} given up), {} reclaim stops, {} write sections that stopped a worker",
            membership.group.collections(),
            membership.group.given_up(),
            membership.group.reclaim_stops(),
            membership.group.write_sections()
        ),
        None => String::new(),
    };
    let text = format!(
        "scheduler {}: {} threads started, {} dispatches ({} timed), {} parks; mean run {:.0} ns per dispatch, mean dispatch cost {:.0} ns, ratio {}{workers}{stops}\n",
        vm.threads.scheduler_name(),
        stats.threads_started,
        stats.dispatches,
        stats.timed_dispatches,
        stats.parks,
        run_ns,
        dispatch_ns,
        ratio
    );
    vm.host.write_stderr(&text);
    vm.host.flush();
}

/// Prints an uncaught exception (or handles SystemExit); the exit status.
fn report_uncaught(vm: &mut Vm, exception: Value) -> u8 {
    vm.host.flush();
    if vm.is_instance(exception, vm.types.exc.system_exit) {
        return system_exit_status(vm, exception);
    }
    let text = runtime::engine::unwind::format_exception(vm, exception);
    vm.host.write_stderr(&text);
    vm.host.flush();
    1
}

fn system_exit_status(vm: &mut Vm, exception: Value) -> u8 {
    let args = runtime::engine::exc_data(exception)
        .map(|data| data.args.get())
        .unwrap_or(Value::NULL);
    let items = runtime::engine::tuple_items(args).unwrap_or(&[]);
    let code = match items.len() {
        0 => Value::NONE,
        1 => items[0],
        _ => args,
    };
    if code.is_none() {
        return 0;
    }
    if let Some(n) = code.as_small_int() {
        return (n & 0xFF) as u8;
    }
    if code.is_bool() {
        return (code == Value::TRUE) as u8;
    }
    let text = ops::str_string(vm, code).unwrap_or_default();
    vm.host.write_stderr(&format!("{text}\n"));
    vm.host.flush();
    1
}

fn repl(vm: &mut Vm) -> u8 {
    println!("protoPython 0.1 (Python 3.11 compatible subset)");
    let namespace = match runtime::engine::main_namespace(vm, "<stdin>", "", vec![String::new()]) {
        Ok(namespace) => namespace,
        Err(_) => return 1,
    };
    let stdin = std::io::stdin();
    let mut buffer = String::new();
    loop {
        print!("{}", if buffer.is_empty() { ">>> " } else { "... " });
        let _ = std::io::stdout().flush();
        let mut line = String::new();
        if stdin.read_line(&mut line).unwrap_or(0) == 0 {
            println!();
            return 0;
        }
        buffer.push_str(&line);
        let complete =
            !line.trim().is_empty() && !buffer.trim_end().ends_with(':') && !buffer.contains("\n ")
                || (buffer.lines().count() > 1 && line.trim().is_empty());
        if !complete
            && buffer.lines().count() >= 1
            && (buffer.trim_end().ends_with(':') || buffer.lines().count() > 1)
        {
            continue;
        }
        let source = std::mem::take(&mut buffer);
        if source.trim().is_empty() {
            continue;
        }
        match runtime::engine::compile_or_raise(vm, &source, "<stdin>", Mode::Single) {
            Ok(code) => {
                if let Err(exception) = runtime::engine::run_code(vm, code, namespace, namespace) {
                    if vm.is_instance(exception, vm.types.exc.system_exit) {
                        return system_exit_status(vm, exception);
                    }
                    let text = runtime::engine::unwind::format_exception(vm, exception);
                    vm.host.write_stderr(&text);
                }
            }
            Err(exception) => {
                let text = runtime::engine::unwind::format_exception(vm, exception);
                vm.host.write_stderr(&text);
            }
        }
        vm.host.flush();
    }
}
