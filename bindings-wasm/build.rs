//! Link settings of the wasm module: a larger shadow stack for nested
//! step loops (native code calling back into Python), and, for the
//! threaded build only (the `atomics` target feature), the shared-memory
//! arguments current rustc no longer passes by itself (without them the
//! pool's workers cannot share the module's memory). It also sets the
//! `wasm_workers` cfg when the engine may run Python threads on the pool's
//! Web Workers: the `threads` feature on a target with `atomics`.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=CARGO_CFG_TARGET_FEATURE");
    println!("cargo::rustc-check-cfg=cfg(wasm_workers)");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() != Ok("wasm32") {
        return;
    }
    println!("cargo:rustc-cdylib-link-arg=-zstack-size={}", STACK_BYTES);
    let features = std::env::var("CARGO_CFG_TARGET_FEATURE").unwrap_or_default();
    if features.split(',').any(|feature| feature == "atomics") {
        if std::env::var_os("CARGO_FEATURE_THREADS").is_some() {
            println!("cargo::rustc-cfg=wasm_workers");
        }
        for arg in [
            "--shared-memory",
            "--import-memory",
            "--max-memory=1073741824",
            "--export=__wasm_init_tls",
            "--export=__tls_size",
            "--export=__tls_align",
            "--export=__tls_base",
        ] {
            println!("cargo:rustc-cdylib-link-arg={arg}");
        }
    }
}

/// The shadow stack of the engine's thread (see `host::STACK_BUDGET`).
const STACK_BYTES: usize = 16 << 20;
