//! The collector: a long loop of short-lived objects runs in bounded
//! memory (as the heap reports it), and programs that keep values alive
//! only through frames, generators, closures and exceptions keep them
//! across collections (this file runs under PROTOPY_GC_STRESS=1 too).

mod common;

/// Heap bytes the engine may hold at its peak while the loop runs: the
/// garbage of one collection period plus the live data, far below what
/// 10⁷ uncollected objects would take (several GB).
const HEAP_BOUND_BYTES: usize = 64 << 20;

#[test]
fn ten_million_short_lived_objects_run_in_bounded_memory() {
    let (mut vm, host) = common::new_vm();
    // A collection at every safepoint is far slower; fewer rounds still
    // exercise the same rooting.
    let rounds = if vm.gc_stress { 20_000 } else { 3_400_000 };
    let source = format!(
        "total = 0\nfor i in range({rounds}):\n    items = [i, i + 1]\n    text = str(i) + 'x'\n    big = i * 10 ** 20\n    total += len(items) + len(text) + (big > 0)\nprint(total > 0, items[0], text)\n"
    );
    let result = runtime::engine::run_main_module(&mut vm, &source, "<test>", "", vec![]);
    assert!(result.is_ok());
    let stats = vm.heap.stats();
    assert_eq!(
        host.stdout(),
        format!("True {} {}x\n", rounds - 1, rounds - 1)
    );
    assert!(stats.collections > 0, "no collection ran: {stats:?}");
    assert!(
        stats.peak_bytes < HEAP_BOUND_BYTES,
        "heap grew to {} bytes: {stats:?}",
        stats.peak_bytes
    );
    // Three allocations per round, 3 × 3.4 million ≈ 10⁷ objects in all.
    assert!(
        stats.objects < 1_000_000,
        "objects left on the heap: {stats:?}"
    );
}

#[test]
fn values_reachable_only_from_suspended_generators_survive() {
    let output = common::stdout_of(
        "def numbers():\n    saved = [str(n) for n in range(50)]\n    for item in saved:\n        yield item\n\ngenerators = [numbers() for _ in range(20)]\nfirst = [next(g) for g in generators]\njunk = [[i] * 10 for i in range(2000)]\nrest = [''.join(g) for g in generators]\nprint(first[0], rest[0][:10], len(rest))\n",
    );
    assert_eq!(output, "0 1234567891 20\n");
}

#[test]
fn values_reachable_only_from_closures_and_exceptions_survive() {
    let output = common::stdout_of(
        "def make(n):\n    data = {str(i): [i] for i in range(n)}\n    return lambda key: data[key]\n\nlookup = make(300)\ntry:\n    raise ValueError(['payload'] * 3)\nexcept ValueError as error:\n    junk = [str(i) * 3 for i in range(3000)]\n    print(error.args[0][2], lookup('299'))\n",
    );
    assert_eq!(output, "payload [299]\n");
}
