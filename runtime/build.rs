//! Derives the `parallel_workers` cfg: whether this target can run the
//! work-stealing backend's workers (`sched/parallel.rs`) — every native
//! target, and WebAssembly built with shared memory (`+atomics`, the
//! threaded npm build, whose workers are Web Workers). The plain wasm32
//! build has no threads and runs everything on the inline scheduler.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(parallel_workers)");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=CARGO_CFG_TARGET_FEATURE");
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32");
    let features = std::env::var("CARGO_CFG_TARGET_FEATURE").unwrap_or_default();
    let atomics = features.split(',').any(|feature| feature == "atomics");
    if !wasm || atomics {
        println!("cargo::rustc-cfg=parallel_workers");
    }
}
