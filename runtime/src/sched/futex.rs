//! Waiting on a 32-bit atomic word: the one blocking primitive the
//! workers use (the rendezvous, collection chores, idle workers). Native
//! targets use the operating system's futex (the `atomic-wait` crate);
//! WebAssembly with shared memory uses `memory.atomic.wait32` /
//! `memory.atomic.notify`, which block a Web Worker (a page's main thread
//! may not block, so workers are never started there: the host's
//! `unparker` says so).

use std::sync::atomic::AtomicU32;

/// Blocks while `word` holds `expected`; may return spuriously.
#[inline]
pub fn wait(word: &AtomicU32, expected: u32) {
    #[cfg(not(target_arch = "wasm32"))]
    atomic_wait::wait(word, expected);
    #[cfg(target_arch = "wasm32")]
    wasm::wait(word, expected, -1);
}

/// Wakes one thread blocked in `wait` on `word`.
#[inline]
pub fn wake_one(word: &AtomicU32) {
    #[cfg(not(target_arch = "wasm32"))]
    atomic_wait::wake_one(word);
    #[cfg(target_arch = "wasm32")]
    wasm::notify(word, 1);
}

/// Wakes every thread blocked in `wait` on `word`.
#[inline]
pub fn wake_all(word: &AtomicU32) {
    #[cfg(not(target_arch = "wasm32"))]
    atomic_wait::wake_all(word);
    #[cfg(target_arch = "wasm32")]
    wasm::notify(word, u32::MAX);
}

/// The wasm instructions, also used by the JavaScript host's `park`.
#[cfg(target_arch = "wasm32")]
pub mod wasm {
    use std::sync::atomic::AtomicU32;

    /// Blocks while `word` holds `expected`, at most `timeout_ns`
    /// nanoseconds (negative: no limit).
    pub fn wait(word: &AtomicU32, expected: u32, timeout_ns: i64) {
        // SAFETY: `word` is a live, aligned atomic in the module's shared
        // memory; the instruction only reads it (atomically) and blocks.
        unsafe {
            core::arch::wasm32::memory_atomic_wait32(
                word.as_ptr().cast::<i32>(),
                expected as i32,
                timeout_ns,
            );
        }
    }

    /// Wakes at most `count` threads blocked on `word`.
    pub fn notify(word: &AtomicU32, count: u32) {
        // SAFETY: as in `wait`; notify only reads the address.
        unsafe {
            core::arch::wasm32::memory_atomic_notify(word.as_ptr().cast::<i32>(), count);
        }
    }
}
