//! Two interpreters running Python at the same time on two OS threads over
//! the same shared objects (`Vm::new_worker`): the memory model's read
//! side under real parallelism. Each worker allocates on its own heap and
//! reads the shared module globals, dicts, lists, instances and classes
//! (untracked `PyCell` borrows, atomic fields, `SeqCell` caches) while the
//! other does the same; results must equal a sequential run. `./x tsan`
//! runs this file under ThreadSanitizer, which fails on any data race.
//!
//! The last tests run both in a `WorkerGroup`: they allocate garbage at
//! full speed and collect together (a stop of both, one marking, every
//! heap swept), and they store into the same shared list, dict and
//! instance at once (each store in a write section), losing nothing.

mod common;

use runtime::engine::{call::call_value, ops, run_main_module};
use runtime::host::CaptureHost;
use runtime::sched::workers;
use runtime::{Value, Vm};

const PROGRAM: &str = r#"
class Record:
    def __init__(self, i):
        self.key = "k%d" % (i * 37 % 503)
        self.weight = i % 97 + 1

class Config:
    scale = 3
    def __init__(self):
        self.offset = 11
        self.names = ["alpha", "beta", "gamma", "delta"]

CONFIG = Config()
RECORDS = [Record(i) for i in range(500)]
TABLE = {"k%d" % i: (i * i) % 10007 for i in range(503)}

def count_primes(lo, hi):
    count = 0
    for n in range(lo, hi):
        if n < 2 or (n % 2 == 0 and n != 2):
            continue
        d = 3
        while d * d <= n:
            if n % d == 0:
                break
            d += 2
        else:
            count += 1
    return count

def queries(first, step, total):
    acc = 0
    cfg = CONFIG
    seen = {}
    for q in range(first, total, step):
        rec = RECORDS[q % 500]
        v = TABLE[rec.key]
        name = cfg.names[q & 3]
        acc = (acc + v * rec.weight * cfg.scale + len(name) + cfg.offset) % 1000000007
        if q % 64 == 0:
            seen[q] = [v, name.upper(), str(q)]
        try:
            if q % 1000 == 999:
                raise ValueError(q)
        except ValueError as error:
            acc += error.args[0] % 7
    return acc + len(seen) + sum(len(item[2]) for item in seen.values())

LOG = []
COUNTS = {}
class Tally:
    pass
TALLY = Tally()

def write_shared(part, n):
    for i in range(n):
        LOG.append((part, i))
        COUNTS[(part, i)] = [i, "v%d" % i]
        setattr(TALLY, "last%d" % part, i)
        if i % 100 == 0:
            del COUNTS[(part, i)]
    return n

PUBLISHED = {}

class Counter:
    pass
COUNTER = Counter()
COUNTER.hits0 = COUNTER.hits1 = 0
TOTALS = {"a0": 0, "a1": 0}
LAST0 = LAST1 = -1

def rebind(part, n):
    # New values for names already there: globals, attributes of a shared
    # object, keys of a shared dict. None opens a write section.
    global LAST0, LAST1
    name = "hits%d" % part
    key = "a%d" % part
    for i in range(n):
        setattr(COUNTER, name, getattr(COUNTER, name) + 1)
        TOTALS[key] += 2
        if part == 0:
            LAST0 = i
        else:
            LAST1 = [i]
    return n

ITEMS = []
SLOTS = [0] * 4
STACK = []
BAG = []
SORTED = []

def list_stores(part, n):
    # Every kind of store into shared lists, each balanced so that the
    # outcome does not depend on the interleaving (STACK only by position,
    # BAG only by value): none opens a write section.
    for i in range(n):
        ITEMS.append((part, i))
        SLOTS[part] += 1
        SLOTS[2 + part] = SLOTS[2 + part] + 2
        if i % 7 == 0:
            ITEMS.insert(0, -3)
            ITEMS.remove(-3)
            BAG.extend([-1, -2])
            BAG.remove(-2)
            BAG.remove(-1)
            STACK.append(i)
            STACK.pop()
            STACK.extend([i, i])
            del STACK[-1]
            STACK.pop(0)
            BAG[:0] = [i]
            BAG.remove(i)
            SORTED.append(i)
            if i % 49 == 0:
                SORTED.sort(reverse=part == 1)
        if i % 100 == 0:
            junk = [str(j) for j in range(50)]
    return n

PILE = []

def pile_up(part, n):
    # Appends only, both workers at once: each append publishes a new
    # version and retires the one it replaced.
    add = PILE.append
    for i in range(n):
        add(2 * i + part)
    return n

def publish_and_churn(part, n):
    # Build dicts locally, publish them to a shared dict, append to a
    # shared list, and make garbage between (collections run meanwhile).
    made = 0
    for i in range(n):
        record = {"part": part, "i": i, "tags": ["t%d" % (i % 7)] * 3}
        PUBLISHED[(part, i)] = record
        LOG.append(i)
        junk = [str(j) for j in range(20)]
        made += len(junk)
    return made

KEYED = {}
MEMBERS = set()
class Namespace:
    pass
NAMES = Namespace()

def key_stores(part, n):
    # New keys into a shared dict, set and instance namespace, and
    # removals (tuple keys made afresh, equal to the stored ones): none
    # opens a write section but to grow a table.
    for i in range(n):
        KEYED[(part, i)] = [i]
        MEMBERS.add(part * n + i)
        setattr(NAMES, "n%d_%d" % (part, i), i)
        if i % 3 == 0:
            del KEYED[(part, i)]
            MEMBERS.discard(part * n + i)
            delattr(NAMES, "n%d_%d" % (part, i))
    return n

from collections import deque
PIPE = deque()
TAKEN = [[], []]

def ring_stores(part, n):
    # Both workers push onto one shared deque and pop from its other end
    # at once: every item comes out once, and no write section is opened.
    for i in range(n):
        PIPE.append((part, i))
        if i % 2 == 1:
            try:
                TAKEN[part].append(PIPE.popleft())
            except IndexError:
                pass
    return n

GROWN = {}
GROWN_SET = set()

def grow_stores(part, n):
    # Only new keys, from both workers: the shared tables grow with no
    # write section (`DictTable::grow_shared`).
    for i in range(n):
        GROWN[(part, i)] = i
        GROWN_SET.add(part * n + i)
        if GROWN[(part, i)] != i:
            return -1
    return n

CLEARED = {}
CLEARED_SET = set()

def clear_stores(part, n):
    # Both workers empty and refill the same shared dict and set, and
    # read them (copies: iterating one the other worker changes may
    # raise "changed size during iteration"): a key read is one that was
    # stored, with its own value.
    for i in range(n):
        CLEARED.clear()
        CLEARED[part] = i
        CLEARED_SET.clear()
        CLEARED_SET.add((part, i))
        mine = CLEARED.get(part)
        if mine is not None and mine > i:
            return -1
        for key, value in CLEARED.copy().items():
            if key not in (0, 1) or value > n:
                return -2
        for member in CLEARED_SET.copy():
            if member[0] not in (0, 1):
                return -3
    return n

CHURNED = {}
STABLE = 12345

def churn_stores(part, n):
    # Both workers insert keys and remove each two later, in a shared
    # dict and in the module's globals, whose slots then go mostly to
    # removed entries: they compact under the other worker (entries move
    # to new indices) with no write section, while a global is read all
    # along through LOAD_GLOBAL's cache. The count of right reads.
    names = globals()
    right = 0
    for i in range(n):
        CHURNED[(part, i)] = i
        names["churn%d_%d" % (part, i)] = i
        if i >= 2:
            del CHURNED[(part, i - 2)]
            del names["churn%d_%d" % (part, i - 2)]
        if STABLE == 12345:
            right += 1
    return right

def churn(n, seed):
    total = 0
    keep = []
    for i in range(n):
        text = "x%d-%d" % (i, seed)
        pair = [text, i, (i, text), {"k": text}]
        total += len(pair[0]) + TABLE["k%d" % (i % 503)]
        if i % 1000 == 0:
            keep.append(pair)
    return total + len(keep) + sum(len(item[2][1]) for item in keep)
"#;

/// The members of the set of small ints in global `name` of `__main__`,
/// sorted.
fn sorted_set_of_ints(vm: &Vm, name: &str) -> Vec<i64> {
    let set = ops::set_of(main_function(vm, name)).unwrap();
    let mut members: Vec<i64> = set
        .borrow()
        .keys()
        .iter()
        .map(|key| key.as_small_int().unwrap())
        .collect();
    members.sort();
    members
}

/// A pair of small ints (a tuple `(a, b)`).
fn int_pair(pair: Value) -> (i64, i64) {
    let items = runtime::engine::tuple_items(pair).unwrap();
    (
        items[0].as_small_int().unwrap(),
        items[1].as_small_int().unwrap(),
    )
}

/// The keys, pairs of small ints, of the dict in global `name` of
/// `__main__`, sorted.
fn sorted_pair_keys(vm: &Vm, name: &str) -> Vec<(i64, i64)> {
    let dict = ops::dict_of(main_function(vm, name)).unwrap();
    let mut keys: Vec<(i64, i64)> = dict.borrow().keys().into_iter().map(int_pair).collect();
    keys.sort();
    keys
}

/// Moves an interpreter to the thread that runs it. A `Vm` is not `Send`
/// by type (its host and scheduler are trait objects, its values raw
/// pointers); each one here is used by exactly one thread at a time.
struct OnThread(Vm);

// SAFETY: the wrapped `Vm` is moved into one scoped thread and used only
// there until the scope ends; the objects it shares with the other
// interpreter are shared objects, which both may read (heap/share.rs).
unsafe impl Send for OnThread {}

fn main_function(vm: &Vm, name: &str) -> Value {
    let main = ops::dict_get_str(vm.modules, "__main__").expect("__main__");
    ops::dict_get_str(main.as_obj().unwrap().dict(), name).expect("defined")
}

/// The items of the list in global `name` of `__main__`.
fn global_list(vm: &Vm, name: &str) -> Vec<Value> {
    global_list_of(main_function(vm, name))
}

fn global_list_of(list: Value) -> Vec<Value> {
    ops::list_of(list).expect("a list").borrow().to_vec()
}

/// The `i` of each `(part, i)` tuple in `log`, in order.
fn appends_of(log: &[Value], part: i64) -> Vec<i64> {
    log.iter()
        .filter_map(|entry| {
            let items = runtime::engine::tuple_items(*entry)?;
            (items[0].as_small_int() == Some(part)).then(|| items[1].as_small_int().unwrap())
        })
        .collect()
}

fn call(vm: &mut Vm, function: Value, args: &[i64]) -> i64 {
    let args: Vec<Value> = args.iter().map(|&n| vm.new_int(n)).collect();
    let result = match call_value(vm, function, &args, &[]) {
        Ok(result) => result,
        Err(exception) => {
            let text = runtime::engine::unwind::format_exception(vm, exception);
            panic!("an exception: {text}")
        }
    };
    result.as_small_int().expect("a small int")
}

/// The main interpreter after running PROGRAM, sharing started.
fn shared_vm() -> Vm {
    let (mut vm, _host) = common::new_vm();
    vm.gc_stress = false;
    run_main_module(
        &mut vm,
        PROGRAM,
        "<parallel>",
        "",
        vec!["<parallel>".into()],
    )
    .expect("the program defines its functions");
    runtime::sched::start_sharing(&mut vm);
    vm
}

fn prepared() -> Vm {
    let mut vm = shared_vm();
    // The worker cannot join a collection yet: keep this one from running
    // one while both run (see the module comment).
    vm.collects = false;
    vm
}

/// Runs `job(vm, part)` for parts 0 and 1: on the main interpreter and a
/// worker at the same time.
fn in_parallel(vm: &mut Vm, job: fn(&mut Vm, i64) -> i64) -> [i64; 2] {
    let worker = OnThread(vm.new_worker(Box::new(CaptureHost::default())));
    std::thread::scope(|scope| {
        let other = scope.spawn(move || {
            let mut worker = worker;
            job(&mut worker.0, 1)
        });
        let mine = job(vm, 0);
        [mine, other.join().expect("the worker thread")]
    })
}

/// Runs `job(vm, part)` for parts 0 and 1 at the same time, on `vm` and
/// on a worker, both members of a new `WorkerGroup` (so they collect
/// together and store into shared objects in write sections). Returns the
/// results, the group and the worker (idle, kept for its heap).
///
/// A job that panics still leaves its interpreter idle before the panic
/// goes on: otherwise the other one's next stop (a collection, a write
/// section, the worker's drop leaving the group) would wait for it
/// forever, and the failing test would hang instead of failing.
fn in_group(
    vm: &mut Vm,
    job: fn(&mut Vm, i64) -> i64,
) -> ([i64; 2], std::sync::Arc<workers::WorkerGroup>, OnThread) {
    use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
    let group = workers::WorkerGroup::new(2);
    let worker = OnThread(vm.new_worker(Box::new(CaptureHost::default())));
    workers::attach(vm, &group);
    let (mine, theirs) = std::thread::scope(|scope| {
        let group = &group;
        let other = scope.spawn(move || {
            let mut worker = worker;
            workers::attach(&mut worker.0, group);
            let result = catch_unwind(AssertUnwindSafe(|| job(&mut worker.0, 1)));
            // Idle, the worker stays in place for collections still to come.
            workers::idle(&mut worker.0);
            (result, worker)
        });
        let mine = catch_unwind(AssertUnwindSafe(|| job(vm, 0)));
        workers::idle(vm);
        (mine, other.join().expect("the worker thread"))
    });
    let (theirs, worker) = theirs;
    let mine = mine.unwrap_or_else(|panic| resume_unwind(panic));
    let theirs = theirs.unwrap_or_else(|panic| resume_unwind(panic));
    ([mine, theirs], group, worker)
}

#[test]
fn two_workers_count_primes_at_once() {
    let mut vm = prepared();
    fn job(vm: &mut Vm, part: i64) -> i64 {
        let function = main_function(vm, "count_primes");
        (0..20)
            .map(|chunk| {
                let lo = (chunk * 2 + part) * 2_000;
                call(vm, function, &[lo, lo + 2_000])
            })
            .sum()
    }
    let parts = in_parallel(&mut vm, job);
    let function = main_function(&vm, "count_primes");
    let sequential = call(&mut vm, function, &[0, 80_000]);
    assert_eq!(parts[0] + parts[1], sequential);
    assert_eq!(sequential, 7_837);
}

#[test]
fn two_workers_read_shared_dicts_lists_and_instances_at_once() {
    let mut vm = prepared();
    fn job(vm: &mut Vm, part: i64) -> i64 {
        let function = main_function(vm, "queries");
        call(vm, function, &[part, 2, 60_000])
    }
    let parts = in_parallel(&mut vm, job);
    let function = main_function(&vm, "queries");
    let first = call(&mut vm, function, &[0, 2, 60_000]);
    let second = call(&mut vm, function, &[1, 2, 60_000]);
    assert_eq!(parts, [first, second]);
    // The worker's allocations went to its own heap: the main heap did not
    // grow by the worker's dicts and strings (each part built ~470).
    assert!(first > 0 && second > 0);
}

#[test]
fn a_worker_shares_the_classes_and_globals_by_identity() {
    let vm = prepared();
    let worker = vm.new_worker(Box::new(CaptureHost::default()));
    assert_eq!(worker.types.int, vm.types.int);
    assert_eq!(worker.builtins, vm.builtins);
    assert_eq!(worker.modules, vm.modules);
    assert_eq!(
        main_function(&worker, "RECORDS"),
        main_function(&vm, "RECORDS")
    );
    assert!(main_function(&worker, "RECORDS")
        .as_obj()
        .unwrap()
        .is_shared());
}

/// Runs `result = function(*args)` (`function` a global of PROGRAM) as
/// module-level code of a namespace of the worker's own, so its step loop
/// is the outermost (where collections run), and returns the result.
fn call_at_top_level(vm: &mut Vm, function: &str, args: &[i64]) -> i64 {
    let function = main_function(vm, function);
    let namespace = vm.new_dict();
    let builtins = vm.builtins;
    let mut bindings = vec![
        ("__builtins__".to_string(), builtins),
        ("f".to_string(), function),
    ];
    for (index, &arg) in args.iter().enumerate() {
        bindings.push((format!("a{index}"), vm.new_int(arg)));
    }
    for (name, value) in bindings {
        let key = vm.intern(&name);
        ops::dict_set_str(vm, namespace, key, value);
    }
    let names: Vec<String> = (0..args.len()).map(|index| format!("a{index}")).collect();
    let source = format!("result = f({})\n", names.join(", "));
    runtime::engine::run_source_in(vm, &source, "<job>", namespace).expect("no exception");
    ops::dict_get_str(namespace, "result")
        .and_then(Value::as_small_int)
        .expect("an int result")
}

#[test]
fn two_workers_allocate_and_collect_together() {
    const N: i64 = 60_000;
    let mut vm = shared_vm();
    let churn = main_function(&vm, "churn");
    let expected = [call(&mut vm, churn, &[N, 0]), call(&mut vm, churn, &[N, 1])];

    let (results, group, worker) = in_group(&mut vm, |vm, part| {
        call_at_top_level(vm, "churn", &[N, part])
    });
    assert_eq!(results, expected);
    assert!(
        group.collections() >= 2,
        "collections: {}",
        group.collections()
    );
    // The member parked while the other collected marked from its roots
    // and swept its heap itself (it claims those shares within
    // microseconds, while the collector marks from its own roots).
    assert!(group.member_chores() > 0, "no share done in parallel");
    // Both heaps were swept: neither kept the ~60 000 garbage lists and
    // dicts each iteration made.
    for heap in [&vm.heap, &worker.0.heap] {
        let stats = heap.stats();
        assert!(stats.collections >= 1, "{stats:?}");
        assert!(stats.objects < 200_000, "{stats:?}");
    }
}

#[test]
fn two_workers_store_into_the_same_shared_objects_at_once() {
    const N: i64 = 4_000;
    let mut vm = shared_vm();
    let (written, _group, mut worker) = in_group(&mut vm, |vm, part| {
        let write = main_function(vm, "write_shared");
        call(vm, write, &[part, N])
    });
    assert_eq!(written, [N, N]);
    let log = global_list(&vm, "LOG");
    assert_eq!(log.len(), 2 * N as usize, "no append lost");
    for part in 0..2 {
        // Each worker's appends keep their order.
        assert_eq!(appends_of(&log, part), (0..N).collect::<Vec<_>>());
    }
    let counts = main_function(&vm, "COUNTS");
    let expected_entries = 2 * (N - N / 100) as usize;
    assert_eq!(
        ops::dict_of(counts).unwrap().borrow().len(),
        expected_entries
    );
    let tally = main_function(&vm, "TALLY").as_obj().unwrap().dict();
    for name in ["last0", "last1"] {
        assert_eq!(
            ops::dict_get_str(tally, name).and_then(Value::as_small_int),
            Some(N - 1)
        );
    }
    // What each stored is shared: no shared object refers to a local one.
    assert_eq!(runtime::heap::share::verify(&mut vm.heap), Ok(()));
    assert_eq!(runtime::heap::share::verify(&mut worker.0.heap), Ok(()));
}

#[test]
fn two_workers_store_into_shared_lists_by_compare_and_swap() {
    const N: i64 = 5_000;
    let mut vm = shared_vm();
    let (seen, group, mut worker) = in_group(&mut vm, |vm, part| {
        let stores = main_function(vm, "list_stores");
        call(vm, stores, &[part, N])
    });
    assert_eq!(seen, [N, N]);
    let items = global_list(&vm, "ITEMS");
    for part in 0..2 {
        // No append lost, and each worker's appends keep their order.
        assert_eq!(appends_of(&items, part), (0..N).collect::<Vec<_>>());
    }
    let slots: Vec<i64> = global_list(&vm, "SLOTS")
        .iter()
        .map(|slot| slot.as_small_int().unwrap())
        .collect();
    assert_eq!(slots, [N, N, 2 * N, 2 * N], "no increment lost");
    assert_eq!(items.len(), 2 * N as usize, "every sentinel removed");
    let stack = ops::list_of(main_function(&vm, "STACK")).unwrap();
    assert!(stack.borrow().is_empty());
    let bag = ops::list_of(main_function(&vm, "BAG")).unwrap();
    assert!(bag.borrow().is_empty());
    let sorted = ops::list_of(main_function(&vm, "SORTED")).unwrap();
    let per_worker = (N as usize).div_ceil(7);
    assert_eq!(
        sorted.borrow().len(),
        2 * per_worker,
        "sorting lost no append"
    );
    // While both run, stores are compare-and-swap; while the other is
    // idle (not yet started, or done), a store changes the list in place
    // in a section that stops nobody. Only a store that catches the other
    // worker just as it joins may stop it once.
    assert!(
        group.write_sections() <= 1,
        "stores into shared lists stop nobody: {} sections stopped a worker",
        group.write_sections()
    );
    assert_eq!(runtime::heap::share::verify(&mut vm.heap), Ok(()));
    assert_eq!(runtime::heap::share::verify(&mut worker.0.heap), Ok(()));
}

#[test]
fn two_workers_rebind_shared_names_without_write_sections() {
    const N: i64 = 20_000;
    let mut vm = shared_vm();
    let (done, group, mut worker) = in_group(&mut vm, |vm, part| {
        let rebind = main_function(vm, "rebind");
        call(vm, rebind, &[part, N])
    });
    assert_eq!(done, [N, N]);
    let counter = main_function(&vm, "COUNTER").as_obj().unwrap().dict();
    let totals = main_function(&vm, "TOTALS");
    for part in 0..2 {
        let hits = ops::dict_get_str(counter, &format!("hits{part}"));
        assert_eq!(hits.and_then(Value::as_small_int), Some(N));
        let total = ops::dict_get_str(totals, &format!("a{part}"));
        assert_eq!(total.and_then(Value::as_small_int), Some(2 * N));
    }
    assert_eq!(main_function(&vm, "LAST0").as_small_int(), Some(N - 1));
    let last1 = runtime::engine::ops::list_of(main_function(&vm, "LAST1")).unwrap();
    assert_eq!(
        last1.borrow().get(0).and_then(Value::as_small_int),
        Some(N - 1)
    );
    assert_eq!(group.write_sections(), 0, "rebinding stops nobody");
    // Each value stored was shared first.
    assert_eq!(runtime::heap::share::verify(&mut vm.heap), Ok(()));
    assert_eq!(runtime::heap::share::verify(&mut worker.0.heap), Ok(()));
}

#[test]
fn two_workers_insert_and_remove_keys_without_write_sections() {
    const N: i64 = 6_000;
    let mut vm = shared_vm();
    let (done, group, mut worker) = in_group(&mut vm, |vm, part| {
        let stores = main_function(vm, "key_stores");
        call(vm, stores, &[part, N])
    });
    assert_eq!(done, [N, N]);
    let kept: Vec<(i64, i64)> = (0..2)
        .flat_map(|part| (0..N).filter(|i| i % 3 != 0).map(move |i| (part, i)))
        .collect();
    let keys = sorted_pair_keys(&vm, "KEYED");
    assert_eq!(keys, kept, "no insertion or removal lost");
    let members = sorted_set_of_ints(&vm, "MEMBERS");
    let expected: Vec<i64> = kept.iter().map(|&(part, i)| part * N + i).collect();
    assert_eq!(members, expected);
    let names = main_function(&vm, "NAMES").as_obj().unwrap().dict();
    for &(part, i) in &kept {
        let value = ops::dict_get_str(names, &format!("n{part}_{i}"));
        assert_eq!(value.and_then(Value::as_small_int), Some(i));
    }
    assert_eq!(ops::dict_of(names).unwrap().borrow().len(), kept.len());
    // Each table grows about ten times on the way to 12 000 keys; each
    // growth may stop the other worker once or twice (both can find the
    // table full). In a section per key, it would be tens of thousands.
    assert!(
        group.write_sections() <= 100,
        "{} write sections stopped a worker",
        group.write_sections()
    );
    assert_eq!(runtime::heap::share::verify(&mut vm.heap), Ok(()));
    assert_eq!(runtime::heap::share::verify(&mut worker.0.heap), Ok(()));
}

#[test]
fn two_workers_push_and_pop_a_shared_deque_without_write_sections() {
    const N: i64 = 5_000;
    let mut vm = shared_vm();
    let (done, group, mut worker) = in_group(&mut vm, |vm, part| {
        let stores = main_function(vm, "ring_stores");
        call(vm, stores, &[part, N])
    });
    assert_eq!(done, [N, N]);
    let mut seen: Vec<(i64, i64)> = global_list(&vm, "TAKEN")
        .iter()
        .flat_map(|&taken| global_list_of(taken))
        .map(int_pair)
        .collect();
    let pipe = main_function(&vm, "PIPE");
    let left = ops::call_method(&mut vm, pipe, "__len__", &[]).unwrap();
    let left = left.as_small_int().unwrap() as usize;
    assert_eq!(
        seen.len() + left,
        2 * N as usize,
        "an item lost or duplicated"
    );
    let mut remaining: Vec<(i64, i64)> = Vec::new();
    while let Ok(item) = ops::call_method(&mut vm, pipe, "popleft", &[]) {
        remaining.push(int_pair(item));
    }
    seen.extend(remaining);
    seen.sort();
    let expected: Vec<(i64, i64)> = (0..2)
        .flat_map(|part| (0..N).map(move |i| (part, i)))
        .collect();
    assert_eq!(seen, expected);
    assert!(
        group.write_sections() <= 1,
        "{} write sections stopped a worker",
        group.write_sections()
    );
    assert_eq!(runtime::heap::share::verify(&mut vm.heap), Ok(()));
    assert_eq!(runtime::heap::share::verify(&mut worker.0.heap), Ok(()));
}

#[test]
fn two_workers_grow_shared_tables_without_write_sections() {
    const N: i64 = 20_000;
    let mut vm = shared_vm();
    let (done, group, mut worker) = in_group(&mut vm, |vm, part| {
        let stores = main_function(vm, "grow_stores");
        call(vm, stores, &[part, N])
    });
    assert_eq!(done, [N, N]);
    let grown = ops::dict_of(main_function(&vm, "GROWN")).unwrap();
    assert_eq!(grown.borrow().len(), 2 * N as usize);
    let members = sorted_set_of_ints(&vm, "GROWN_SET");
    assert_eq!(members, (0..2 * N).collect::<Vec<_>>(), "no insertion lost");
    // Each table grows about twelve times on the way to 40 000 keys, with
    // no write section unless a worker that wants a slot finds the other
    // still moving the growth's last chunk after yielding its thread a
    // few times (then it waits in a section).
    let growing = group.write_sections();
    assert!(growing <= 12, "{growing} write sections stopped a worker");
    assert_eq!(runtime::heap::share::verify(&mut vm.heap), Ok(()));
    assert_eq!(runtime::heap::share::verify(&mut worker.0.heap), Ok(()));
}

#[test]
fn two_workers_clear_shared_tables_without_write_sections() {
    const ROUNDS: i64 = 3_000;
    let mut vm = shared_vm();
    let (done, group, mut worker) = in_group(&mut vm, |vm, part| {
        let stores = main_function(vm, "clear_stores");
        call(vm, stores, &[part, ROUNDS])
    });
    assert_eq!(done, [ROUNDS, ROUNDS], "every key read was one stored");
    let cleared = ops::dict_of(main_function(&vm, "CLEARED")).unwrap();
    let entries = cleared.borrow().items();
    assert!((1..=2).contains(&entries.len()));
    for (_, value) in entries {
        assert_eq!(value.as_small_int(), Some(ROUNDS - 1));
    }
    // 12 000 clears: in a section each before; with none now, not even
    // where one worker's clear finds the other's under way (it ends that
    // clear and is done), nor where an insertion finds one (it ends it and
    // inserts into the cleared arrays). The tables never fill, so no
    // growth waits for another thread's last chunk either.
    assert!(
        group.write_sections() == 0,
        "{} write sections stopped a worker",
        group.write_sections()
    );
    assert_eq!(runtime::heap::share::verify(&mut vm.heap), Ok(()));
    assert_eq!(runtime::heap::share::verify(&mut worker.0.heap), Ok(()));
}

#[test]
fn two_workers_churn_shared_tables_and_globals_without_write_sections() {
    const N: i64 = 20_000;
    let mut vm = shared_vm();
    let (done, group, mut worker) = in_group(&mut vm, |vm, part| {
        let stores = main_function(vm, "churn_stores");
        call(vm, stores, &[part, N])
    });
    assert_eq!(done, [N, N], "every read of the global was right");
    let keys = sorted_pair_keys(&vm, "CHURNED");
    let last_two = |part| [(part, N - 2), (part, N - 1)];
    let expected: Vec<(i64, i64)> = [last_two(0), last_two(1)].concat();
    assert_eq!(keys, expected, "no insertion or removal lost");
    let main = ops::dict_get_str(vm.modules, "__main__").expect("__main__");
    let globals = main.as_obj().unwrap().dict();
    for part in 0..2 {
        for i in [0, N / 2, N - 3] {
            assert_eq!(
                ops::dict_get_str(globals, &format!("churn{part}_{i}")),
                None
            );
        }
        for i in N - 2..N {
            let value = ops::dict_get_str(globals, &format!("churn{part}_{i}"));
            assert_eq!(value.and_then(Value::as_small_int), Some(i));
        }
    }
    // 80 000 insertions of new keys into two tables that hold a few: they
    // compact about 160 times in all. A worker that wants a slot while
    // the other moves a compaction's last chunk waits in a section;
    // nothing else takes one (when compactions took one, there were
    // about one per hundred insertions: 800 here).
    assert!(
        group.write_sections() <= 200,
        "{} write sections stopped a worker",
        group.write_sections()
    );
    assert_eq!(runtime::heap::share::verify(&mut vm.heap), Ok(()));
    assert_eq!(runtime::heap::share::verify(&mut worker.0.heap), Ok(()));
}

#[test]
fn two_workers_appending_to_one_list_free_its_old_versions_without_collecting() {
    const N: i64 = 150_000;
    let mut vm = shared_vm();
    let (made, group, mut worker) = in_group(&mut vm, |vm, part| {
        call_at_top_level(vm, "pile_up", &[part, N])
    });
    assert_eq!(made, [N, N]);
    let pile: Vec<i64> = global_list(&vm, "PILE")
        .iter()
        .map(|item| item.as_small_int().unwrap())
        .collect();
    assert_eq!(pile.len(), 2 * N as usize, "no append lost");
    for part in 0..2 {
        let mine: Vec<i64> = pile
            .iter()
            .filter(|item| *item % 2 == part)
            .map(|item| item / 2)
            .collect();
        assert_eq!(
            mine,
            (0..N).collect::<Vec<_>>(),
            "worker {part}'s appends in order"
        );
    }
    // The appends allocate nothing on a heap, but those made while both
    // run retire a version each (about 100 bytes): tens of megabytes,
    // freed by reclaim stops (every 4 MB a worker retires) with no
    // marking. Counted as garbage for the collector instead, they brought
    // a collection per 16 000 appends, each tracing the whole list.
    assert!(
        group.reclaim_stops() >= 1,
        "reclaim stops: {}, collections: {}",
        group.reclaim_stops(),
        group.collections()
    );
    assert!(
        group.collections() <= 1,
        "{} collections for appends that allocate nothing",
        group.collections()
    );
    assert_eq!(runtime::heap::share::verify(&mut vm.heap), Ok(()));
    assert_eq!(runtime::heap::share::verify(&mut worker.0.heap), Ok(()));
}

#[test]
fn two_workers_publish_dicts_while_collecting_together() {
    const N: i64 = 6_000;
    let mut vm = shared_vm();
    let (made, group, mut worker) = in_group(&mut vm, |vm, part| {
        call_at_top_level(vm, "publish_and_churn", &[part, N])
    });
    assert_eq!(made, [20 * N, 20 * N]);
    assert!(
        group.collections() >= 1,
        "collections: {}, given up: {}",
        group.collections(),
        group.given_up()
    );
    let published = main_function(&vm, "PUBLISHED");
    let entries = ops::dict_of(published).unwrap().borrow().values();
    assert_eq!(entries.len(), 2 * N as usize, "no insertion lost");
    // Every published record survived the collections intact.
    for record in entries {
        let tags = ops::dict_get_str(record, "tags").expect("tags");
        assert_eq!(ops::list_of(tags).unwrap().borrow().len(), 3);
        assert!(record.as_obj().unwrap().is_shared());
    }
    let log = ops::list_of(main_function(&vm, "LOG"))
        .unwrap()
        .borrow()
        .len();
    assert_eq!(log, 2 * N as usize);
    assert_eq!(runtime::heap::share::verify(&mut vm.heap), Ok(()));
    assert_eq!(runtime::heap::share::verify(&mut worker.0.heap), Ok(()));
}

#[test]
fn a_dropped_worker_leaves_its_heap_to_the_group() {
    const N: i64 = 2_000;
    let mut vm = shared_vm();
    let group = workers::WorkerGroup::new(2);
    let worker = OnThread(vm.new_worker(Box::new(CaptureHost::default())));
    workers::attach(&mut vm, &group);
    workers::idle(&mut vm);
    std::thread::scope(|scope| {
        let group = &group;
        scope
            .spawn(move || {
                let mut worker = worker;
                workers::attach(&mut worker.0, group);
                let publish = main_function(&worker.0, "publish_and_churn");
                assert_eq!(call(&mut worker.0, publish, &[1, N]), 20 * N);
                // Dropped here: its heap holds the records it published.
            })
            .join()
            .expect("the worker thread");
    });
    workers::resume(&mut vm);
    let before = group.collections();
    // Collections from here on sweep the adopted heap too.
    assert!(call_at_top_level(&mut vm, "churn", &[60_000, 0]) > 0);
    assert!(group.collections() > before, "the main worker collected");
    let published = main_function(&vm, "PUBLISHED");
    let records = ops::dict_of(published).unwrap().borrow().values();
    assert_eq!(records.len(), N as usize);
    for record in records {
        let tags = ops::dict_get_str(record, "tags").expect("tags");
        let tags = ops::list_of(tags).unwrap().borrow().to_vec();
        assert_eq!(tags.len(), 3);
        assert!(runtime::engine::str_of(tags[0]).is_some_and(|tag| tag.starts_with('t')));
    }
}
