//! The `protopy` command: exit statuses, CPython-style tracebacks and
//! SyntaxError reports, RecursionError instead of a crash, sys.argv, `-c`
//! and scripts from standard input.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn protopy() -> Command {
    Command::new(env!("CARGO_BIN_EXE_protopy"))
}

fn run_script(name: &str, source: &str, args: &[&str]) -> Output {
    let directory = std::env::temp_dir().join(format!("protopy-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let path = directory.join(name);
    std::fs::write(&path, source).unwrap();
    let output = protopy().arg(&path).args(args).output().unwrap();
    std::fs::remove_dir_all(&directory).unwrap();
    output
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_clean_run_exits_zero() {
    let output = run_script("ok.py", "print('hi')\n", &[]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(text(&output.stdout), "hi\n");
}

#[test]
fn an_uncaught_exception_prints_a_cpython_traceback_and_exits_one() {
    let source = "def inner(x):\n    return 1 / x\n\ndef outer():\n    return inner(0)\n\nprint('before')\nouter()\n";
    let output = run_script("boom.py", source, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stdout), "before\n");
    let stderr = text(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines[0], "Traceback (most recent call last):");
    assert!(
        lines[1].starts_with("  File \"") && lines[1].ends_with("boom.py\", line 8, in <module>"),
        "{stderr}"
    );
    assert_eq!(lines[2], "    outer()");
    assert!(
        lines[3].ends_with("boom.py\", line 5, in outer"),
        "{stderr}"
    );
    assert_eq!(lines[4], "    return inner(0)");
    assert!(
        lines[5].ends_with("boom.py\", line 2, in inner"),
        "{stderr}"
    );
    assert_eq!(lines[6], "    return 1 / x");
    assert_eq!(lines[7], "ZeroDivisionError: division by zero");
    assert_eq!(lines.len(), 8);
}

#[test]
fn chained_exceptions_print_both_tracebacks() {
    let source =
        "try:\n    {}['k']\nexcept KeyError as error:\n    raise ValueError('bad') from error\n";
    let stderr = text(&run_script("chain.py", source, &[]).stderr);
    assert!(stderr.contains("KeyError: 'k'\n\nThe above exception was the direct cause of the following exception:\n\nTraceback"), "{stderr}");
    assert!(stderr.ends_with("ValueError: bad\n"), "{stderr}");
}

#[test]
fn a_syntax_error_shows_file_line_source_and_caret() {
    let output = run_script("bad.py", "print('start')\nx = = 1\n", &[]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        text(&output.stdout),
        "",
        "nothing runs before a SyntaxError"
    );
    let stderr = text(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines[0].starts_with("  File \"") && lines[0].ends_with("bad.py\", line 2"),
        "{stderr}"
    );
    assert_eq!(lines[1], "    x = = 1");
    assert_eq!(lines[2], "        ^");
    assert_eq!(lines[3], "SyntaxError: invalid syntax");
}

#[test]
fn unbounded_recursion_raises_recursion_error() {
    let output = run_script("recurse.py", "def f():\n    f()\n\nf()\n", &[]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr
            .trim_end()
            .ends_with("RecursionError: maximum recursion depth exceeded"),
        "{stderr}"
    );
    assert!(stderr.contains("[Previous line repeated"), "{stderr}");
}

#[test]
fn recursion_error_can_be_caught_and_the_limit_changed() {
    let source = "import sys\ndef depth(n):\n    try:\n        return depth(n + 1)\n    except RecursionError:\n        return n\nsys.setrecursionlimit(300)\nprint(depth(0) < 300, sys.getrecursionlimit())\n";
    let output = run_script("limit.py", source, &[]);
    assert_eq!(
        text(&output.stdout),
        "True 300\n",
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn sys_exit_sets_the_status() {
    assert_eq!(
        run_script("exit3.py", "import sys\nsys.exit(3)\n", &[])
            .status
            .code(),
        Some(3)
    );
    let output = run_script("exitmsg.py", "import sys\nsys.exit('fatal: stop')\n", &[]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stderr), "fatal: stop\n");
    assert_eq!(
        run_script("exit0.py", "raise SystemExit\n", &[])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn argv_holds_the_script_and_its_arguments() {
    let output = run_script(
        "args.py",
        "import sys\nprint(sys.argv[1:])\n",
        &["one", "two"],
    );
    assert_eq!(text(&output.stdout), "['one', 'two']\n");
}

#[test]
fn dash_c_runs_a_command() {
    let output = protopy()
        .args(["-c", "import sys; print(sum(range(10)), sys.argv)", "x"])
        .output()
        .unwrap();
    assert_eq!(text(&output.stdout), "45 ['-c', 'x']\n");
}

#[test]
fn a_script_can_come_from_standard_input() {
    let mut child = protopy()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"for i in range(3):\n    print(i * i)\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(text(&output.stdout), "0\n1\n4\n");
}

#[test]
fn a_missing_file_is_reported_with_status_two() {
    let output = protopy()
        .arg("/nonexistent/protopy-test.py")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("can't open file"));
}

#[test]
fn dis_prints_blocks() {
    let output = run_script("dis.py", "for i in range(3):\n    print(i)\n", &[]);
    assert_eq!(output.status.code(), Some(0));
    let directory = std::env::temp_dir().join(format!("protopy-dis-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let path = directory.join("loop.py");
    std::fs::write(&path, "for i in range(3):\n    print(i)\n").unwrap();
    let listing = text(&protopy().arg("--dis").arg(&path).output().unwrap().stdout);
    std::fs::remove_dir_all(&directory).unwrap();
    assert!(listing.contains("block 0: [0, 4)"), "{listing}");
    assert!(listing.contains("FOR_ITER"), "{listing}");
}

#[test]
fn recursion_through_native_code_is_an_error_not_a_crash() {
    let source = "import sys\nsys.setrecursionlimit(1000000)\nclass A:\n    def __repr__(self):\n        return repr(self)\ntry:\n    repr(A())\nexcept RecursionError as error:\n    print('caught:', error)\n";
    let output = run_script("native_recursion.py", source, &[]);
    assert_eq!(
        text(&output.stdout),
        "caught: maximum recursion depth exceeded while calling a Python object\n",
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn traceback_lines_come_from_the_code_that_ran() {
    // The program and the code it execs share the filename "<string>";
    // each traceback line must come from its own code's text.
    let output = protopy()
        .args(["-c", "exec('a = 1\\nb = 2\\n')\n1/0\n"])
        .output()
        .unwrap();
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("  File \"<string>\", line 2, in <module>\n    1/0\n"),
        "{stderr}"
    );
    let output = protopy()
        .args(["-c", "exec('x = 1\\n\\ny = 1/0\\n')\n"])
        .output()
        .unwrap();
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("  File \"<string>\", line 3, in <module>\n    y = 1/0\n"),
        "{stderr}"
    );
}
