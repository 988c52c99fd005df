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
