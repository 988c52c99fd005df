//! Source hygiene the project promises: every Rust file opens with a `//!`
//! paragraph saying what it owns, and every `unsafe` block carries a
//! `// SAFETY:` comment right above it.

use std::path::{Path, PathBuf};

fn rust_files(root: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(root).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            found.push(path);
        }
    }
}

fn workspace_sources() -> Vec<PathBuf> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut found = Vec::new();
    for crate_dir in [
        "runtime/src",
        "runtime/tests",
        "bindings-native/src",
        "bindings-native/tests",
    ] {
        rust_files(&workspace.join(crate_dir), &mut found);
    }
    assert!(found.len() > 20, "source tree not found");
    found
}

#[test]
fn every_rust_file_starts_with_a_module_doc() {
    let missing: Vec<String> = workspace_sources()
        .into_iter()
        .filter(|path| {
            !std::fs::read_to_string(path)
                .unwrap()
                .trim_start()
                .starts_with("//!")
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "files without a //! header: {missing:#?}"
    );
}

#[test]
fn every_unsafe_block_has_a_safety_comment() {
    let mut offenders = Vec::new();
    for path in workspace_sources() {
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if !code.contains(concat!("unsafe", " {")) {
                continue;
            }
            let documented = lines[..index]
                .iter()
                .rev()
                .take(6)
                .any(|previous| previous.contains("SAFETY:"));
            if !documented {
                offenders.push(format!("{}:{}", path.display(), index + 1));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "unsafe blocks without // SAFETY: {offenders:#?}"
    );
}

/// Files of `runtime/` (paths relative to it) allowed to name a blocking
/// lock, each with the reason. Everything else — the engine's execution,
/// allocation, name resolution and scheduling, and its tests — must stay
/// lock-free: Python-level blocking parks tasks.
const LOCK_ALLOWED: &[(&str, &str)] = &[(
    "tests/tidy.rs",
    "this lint: its word list and samples name the locks; it takes none",
)];

/// Single words allowed in single files, each with the reason.
const WORD_ALLOWED: &[(&str, &str, &str)] = &[
    (
        "src/sched/rendezvous.rs",
        "spin_loop",
        "the stop-the-world barrier watches its state word for a bounded number \
         of loads (microseconds) before it sleeps on the futex: a wait for \
         workers to reach a safepoint, taking no lock",
    ),
    (
        "src/shared/published.rs",
        "spin_loop",
        "a writer that lost a compare-and-swap pauses a bounded, doubling \
         number of iterations before it builds its version again (backoff \
         under contention; nobody waits for anybody)",
    ),
    (
        "src/sched/pool.rs",
        "spin_loop",
        "an idle worker, in its safe region, watches its inbox and the fresh \
         queue for a bounded number of loads before it parks on the host: \
         work handed over by another worker then costs microseconds, not an \
         OS wake-up; no lock",
    ),
];

/// Spellings of blocking locks: std's and the common crates' mutexes,
/// reader-writer locks, condition variables and spin locks.
const LOCK_WORDS: &[&str] = &[
    "Mutex",
    "RwLock",
    "Condvar",
    "SpinLock",
    "spin::",
    "parking_lot",
    "ReentrantMutex",
    "spin_loop",
];

#[test]
fn the_runtime_takes_no_locks_outside_its_boundary_files() {
    let crate_root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&crate_root.join("src"), &mut files);
    rust_files(&crate_root.join("tests"), &mut files);
    let mut offenders = Vec::new();
    for path in files {
        let relative = path
            .strip_prefix(crate_root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if LOCK_ALLOWED.iter().any(|(file, _)| *file == relative) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in LOCK_WORDS {
                let allowed = WORD_ALLOWED
                    .iter()
                    .any(|(file, allowed, _)| *file == relative && allowed == word);
                if code.contains(word) && !allowed {
                    offenders.push(format!("runtime/{relative}:{}: {word}", number + 1));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "locks in the runtime outside the allow-list: {offenders:#?}"
    );
}

#[test]
fn the_lock_lint_recognises_every_lock_spelling() {
    // The lint is only as good as its word list: each of these lines must
    // be caught.
    let samples = [
        "let m = std::sync::Mutex::new(0);",
        "static L: RwLock<u8> = RwLock::new(0);",
        "let c = Condvar::new();",
        "let s = spin::Mutex::new(1);",
        "while flag.load(Relaxed) { std::hint::spin_loop(); }",
        "use parking_lot::Mutex;",
    ];
    for sample in samples {
        let code = sample.split("//").next().unwrap_or("");
        assert!(
            LOCK_WORDS.iter().any(|word| code.contains(word)),
            "not caught: {sample}"
        );
    }
}
