//! Python threads on the scheduler: interleaving at block boundaries,
//! parking and waking (locks, sleep, timeouts), blocking inside native
//! callbacks, deadlock detection, uncaught errors in threads, many
//! threads in bounded memory, and the shared-container stress programs.
//! Every test also runs under GC stress in CI (collections at every
//! safepoint find any thread state the collector fails to root).
//!
//! The test host has no clock, so timers run on the scheduler's virtual
//! time: sleeps and timeouts complete at once and deterministically.

mod common;

use common::{run, stdout_of};

fn gc_stress() -> bool {
    std::env::var("PROTOPY_GC_STRESS").is_ok_and(|value| !value.is_empty() && value != "0")
}

#[test]
fn a_spinning_thread_is_preempted_at_block_boundaries() {
    // The worker never blocks; main can only run again if the scheduler
    // preempts the worker when its block budget is spent.
    let out = stdout_of(
        "import _thread\n\
         state = {'stop': False, 'spins': 0}\n\
         done = _thread.allocate_lock(); done.acquire()\n\
         def spin():\n\
         \x20   while not state['stop']:\n\
         \x20       state['spins'] += 1\n\
         \x20   done.release()\n\
         _thread.start_new_thread(spin, ())\n\
         while state['spins'] < 10000:\n\
         \x20   pass\n\
         state['stop'] = True\n\
         print(done.acquire(), state['spins'] >= 10000)\n",
    );
    assert_eq!(out, "True True\n");
}

#[test]
fn a_thread_running_long_native_calls_is_preempted_after_them() {
    // Each `sum` over a generator runs its ~2000 blocks in a nested step
    // loop; the thread's own loop runs only a few blocks per call. Those
    // nested blocks count towards its dispatch, so the other thread gets
    // its turn after a call or two, not after the whole loop.
    let out = stdout_of(
        "import _thread\n\
         log = []\n\
         done = [_thread.allocate_lock(), _thread.allocate_lock()]\n\
         def work(name, lock):\n\
         \x20   for i in range(40):\n\
         \x20       sum(1 for _ in range(2000))\n\
         \x20       log.append(name)\n\
         \x20   lock.release()\n\
         for name, lock in zip('ab', done):\n\
         \x20   lock.acquire()\n\
         \x20   _thread.start_new_thread(work, (name, lock))\n\
         for lock in done:\n\
         \x20   lock.acquire()\n\
         print(len(log), log.index('b') < 5, log[:40].count('b') > 10)\n",
    );
    assert_eq!(out, "80 True True\n");
}

#[test]
fn lock_release_hands_the_lock_to_waiters_in_arrival_order() {
    let out = stdout_of(
        "import _thread, time\n\
         lock = _thread.allocate_lock()\n\
         order = []\n\
         finished = []\n\
         def waiter(n):\n\
         \x20   with lock:\n\
         \x20       order.append(n)\n\
         \x20   finished.append(n)\n\
         lock.acquire()\n\
         for n in range(5):\n\
         \x20   _thread.start_new_thread(waiter, (n,))\n\
         time.sleep(0.01)\n\
         print(lock.locked(), order)\n\
         lock.release()\n\
         while len(finished) < 5:\n\
         \x20   time.sleep(0)\n\
         print(order, lock.locked())\n",
    );
    assert_eq!(out, "True []\n[0, 1, 2, 3, 4] False\n");
}

#[test]
fn acquire_with_timeout_gives_up_after_the_timeout() {
    let out = stdout_of(
        "import _thread, time\n\
         lock = _thread.allocate_lock()\n\
         lock.acquire()\n\
         start = time.monotonic()\n\
         got = lock.acquire(timeout=0.25)\n\
         waited = time.monotonic() - start\n\
         print(got, 0.25 <= waited < 0.3)\n\
         print(lock.acquire(False), lock.acquire(blocking=False))\n\
         try:\n\
         \x20   lock.acquire(False, 1)\n\
         except ValueError as e:\n\
         \x20   print(e)\n\
         try:\n\
         \x20   lock.acquire(timeout=-2)\n\
         except ValueError as e:\n\
         \x20   print(e)\n\
         for bad in (lambda: lock.acquire(None), lambda: lock.acquire(timeout=None), lambda: lock.acquire('yes'),\n\
         \x20           lambda: lock.acquire(1.5), lambda: lock.acquire(timeout=float('nan')), lambda: lock.acquire(True, 1e300)):\n\
         \x20   try:\n\
         \x20       bad()\n\
         \x20   except (TypeError, ValueError, OverflowError) as e:\n\
         \x20       print(type(e).__name__, e)\n\
         lock.release()\n\
         try:\n\
         \x20   lock.release()\n\
         except RuntimeError as e:\n\
         \x20   print(e)\n",
    );
    // The bad arguments get CPython's errors (None, a str and a float
    // were taken as flags and durations, and a NaN timeout as a wait).
    assert_eq!(
        out,
        "False True\nFalse False\ncan't specify a timeout for a non-blocking call\n\
         timeout value must be positive\n\
         TypeError 'NoneType' object cannot be interpreted as an integer\n\
         TypeError 'NoneType' object cannot be interpreted as an integer\n\
         TypeError 'str' object cannot be interpreted as an integer\n\
         TypeError 'float' object cannot be interpreted as an integer\n\
         ValueError Invalid value NaN (not a number)\n\
         OverflowError timestamp out of range for platform time_t\n\
         release unlocked lock\n"
    );
}

#[test]
fn sleeping_threads_wake_in_deadline_order() {
    let out = stdout_of(
        "import _thread, time\n\
         woke = []\n\
         def sleeper(seconds):\n\
         \x20   time.sleep(seconds)\n\
         \x20   woke.append(seconds)\n\
         for seconds in (0.3, 0.1, 0.2, 0.05):\n\
         \x20   _thread.start_new_thread(sleeper, (seconds,))\n\
         time.sleep(0.5)\n\
         print(woke, _thread._count())\n",
    );
    assert_eq!(out, "[0.05, 0.1, 0.2, 0.3] 0\n");
}

#[test]
fn a_blocking_call_inside_a_native_callback_blocks_in_place() {
    // `sorted` calls the key function from native code: the sleep and the
    // lock wait inside it cannot suspend the task, so they run the other
    // threads from where they are until they are woken.
    let out = stdout_of(
        "import _thread, time\n\
         lock = _thread.allocate_lock()\n\
         lock.acquire()\n\
         log = []\n\
         def releaser():\n\
         \x20   log.append('releaser ran')\n\
         \x20   lock.release()\n\
         def key(x):\n\
         \x20   time.sleep(0.01)\n\
         \x20   if x == 2:\n\
         \x20       log.append('waiting')\n\
         \x20       _thread.start_new_thread(releaser, ())\n\
         \x20       lock.acquire()\n\
         \x20       log.append('acquired')\n\
         \x20   return -x\n\
         print(sorted([1, 2, 3], key=key))\n\
         print(log)\n",
    );
    assert_eq!(out, "[3, 2, 1]\n['waiting', 'releaser ran', 'acquired']\n");
}

#[test]
fn a_program_whose_threads_all_wait_forever_raises_instead_of_hanging() {
    let outcome = run("import _thread\n\
         lock = _thread.allocate_lock()\n\
         lock.acquire()\n\
         print('before')\n\
         lock.acquire()\n\
         print('never')\n");
    assert_eq!(outcome.stdout, "before\n");
    let error = outcome.error.expect("the deadlock raises");
    assert!(
        error.contains("RuntimeError: deadlock: every thread is blocked"),
        "{error}"
    );
}

#[test]
fn an_uncaught_exception_ends_only_its_thread() {
    let (mut vm, host) = common::new_vm();
    let result = runtime::engine::run_main_module(
        &mut vm,
        "import _thread, time\n\
         def bad():\n\
         \x20   raise ValueError('boom')\n\
         _thread.start_new_thread(bad, ())\n\
         time.sleep(0.01)\n\
         print('main goes on', _thread._count())\n",
        "<test>",
        "",
        vec!["<test>".into()],
    );
    assert!(result.is_ok());
    assert_eq!(host.stdout(), "main goes on 0\n");
    let stderr = host.stderr();
    assert!(
        stderr.starts_with("Exception ignored in thread started by: <function bad at 0x"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Traceback (most recent call last):")
            && stderr.ends_with("ValueError: boom\n"),
        "{stderr}"
    );
}

#[test]
fn parked_threads_keep_their_objects_alive_across_collections() {
    // Each worker holds fresh objects only in its own frame while it
    // sleeps; main allocates meanwhile so the collector runs.
    let out = stdout_of(
        "import _thread, time\n\
         results = {}\n\
         def worker(n):\n\
         \x20   mine = [str(n) * 3, {'n': n}, (n, [n] * 2)]\n\
         \x20   time.sleep(0.01)\n\
         \x20   results[n] = mine\n\
         for n in range(8):\n\
         \x20   _thread.start_new_thread(worker, (n,))\n\
         junk = 0\n\
         for i in range(20000):\n\
         \x20   junk += len([i, str(i)])\n\
         time.sleep(0.05)\n\
         print(junk, [results[n] for n in range(3)])\n",
    );
    assert_eq!(
        out,
        "40000 [['000', {'n': 0}, (0, [0, 0])], ['111', {'n': 1}, (1, [1, 1])], ['222', {'n': 2}, (2, [2, 2])]]\n"
    );
}

#[test]
fn a_hundred_thousand_threads_sleep_and_join_in_bounded_memory() {
    let count = if gc_stress() { 300 } else { 100_000 };
    let source = format!(
        "import _thread, time\n\
         locks = []\n\
         def worker(lock):\n\
         \x20   time.sleep(0.001)\n\
         \x20   lock.release()\n\
         for i in range({count}):\n\
         \x20   lock = _thread.allocate_lock()\n\
         \x20   lock.acquire()\n\
         \x20   locks.append(lock)\n\
         \x20   _thread.start_new_thread(worker, (lock,))\n\
         for lock in locks:\n\
         \x20   lock.acquire()\n\
         print(len(locks), _thread._count())\n"
    );
    let outcome = run(&source);
    assert_eq!(outcome.error, None);
    assert_eq!(outcome.stdout, format!("{count} 0\n"));
    // Every finished thread left the table.
    assert!(outcome.vm.threads.live_count() <= 1);
    let stats = outcome.vm.heap.stats();
    assert!(
        stats.peak_bytes_after_collection < 64 << 20,
        "heap peaked at {} bytes",
        stats.peak_bytes_after_collection
    );
}

#[test]
fn eight_threads_appending_to_one_list_lose_nothing() {
    let per_thread = if gc_stress() { 2_000 } else { 100_000 };
    let out = stdout_of(&format!(
        "import threading\n\
         shared = []\n\
         def work(n):\n\
         \x20   append = shared.append\n\
         \x20   for i in range({per_thread}):\n\
         \x20       append(n)\n\
         ts = [threading.Thread(target=work, args=(n,)) for n in range(8)]\n\
         for t in ts: t.start()\n\
         for t in ts: t.join()\n\
         print(len(shared), sorted(set(shared)), [shared.count(n) for n in range(8)] == [{per_thread}] * 8)\n"
    ));
    assert_eq!(
        out,
        format!("{} [0, 1, 2, 3, 4, 5, 6, 7] True\n", 8 * per_thread)
    );
}

#[test]
fn threads_increment_their_own_slots_of_a_shared_list() {
    let rounds = if gc_stress() { 1_000 } else { 50_000 };
    let out = stdout_of(&format!(
        "import threading\n\
         slots = [0] * 8\n\
         def work(n):\n\
         \x20   for i in range({rounds}):\n\
         \x20       slots[n] += 1\n\
         ts = [threading.Thread(target=work, args=(n,)) for n in range(8)]\n\
         for t in ts: t.start()\n\
         for t in ts: t.join()\n\
         print(slots == [{rounds}] * 8)\n"
    ));
    assert_eq!(out, "True\n");
}

#[test]
fn threads_publish_the_dicts_they_build_into_a_shared_dict() {
    let out = stdout_of(
        "import threading\n\
         published = {}\n\
         def build(n):\n\
         \x20   mine = {}\n\
         \x20   for i in range(500):\n\
         \x20       mine['k%d' % i] = i * n\n\
         \x20   published[n] = mine\n\
         ts = [threading.Thread(target=build, args=(n,)) for n in range(8)]\n\
         for t in ts: t.start()\n\
         for t in ts: t.join()\n\
         print(sorted(published), all(len(d) == 500 and d['k7'] == 7 * n for n, d in published.items()))\n",
    );
    assert_eq!(out, "[0, 1, 2, 3, 4, 5, 6, 7] True\n");
}

#[test]
fn producers_and_consumers_through_a_queue_lose_and_duplicate_nothing() {
    let items = if gc_stress() { 200 } else { 5_000 };
    let out = stdout_of(&format!(
        "import threading, queue\n\
         q = queue.Queue(maxsize=64)\n\
         received = []\n\
         lock = threading.Lock()\n\
         def produce(p):\n\
         \x20   for i in range({items}):\n\
         \x20       q.put((p, i))\n\
         def consume():\n\
         \x20   while True:\n\
         \x20       item = q.get()\n\
         \x20       if item is None:\n\
         \x20           break\n\
         \x20       with lock:\n\
         \x20           received.append(item)\n\
         producers = [threading.Thread(target=produce, args=(p,)) for p in range(4)]\n\
         consumers = [threading.Thread(target=consume) for _ in range(3)]\n\
         for t in producers + consumers: t.start()\n\
         for t in producers: t.join()\n\
         for _ in consumers: q.put(None)\n\
         for t in consumers: t.join()\n\
         expected = sorted((p, i) for p in range(4) for i in range({items}))\n\
         print(len(received), sorted(received) == expected)\n"
    ));
    assert_eq!(out, format!("{} True\n", 4 * items));
}

#[test]
fn a_loop_polling_the_clock_ends_on_a_host_without_a_clock() {
    // The test host has no clock: virtual time advances with execution.
    let out = stdout_of(
        "import time\n\
         deadline = time.monotonic() + 0.01\n\
         spins = 0\n\
         while time.monotonic() < deadline:\n\
         \x20   spins += 1\n\
         print(spins > 0, time.monotonic() >= deadline)\n",
    );
    assert_eq!(out, "True True\n");
}

#[test]
fn deque_appends_and_poplefts_from_many_threads_lose_nothing() {
    // CPython's deque is C code no other thread interrupts; programs share
    // one deque between threads without a lock. Ours is embedded Python,
    // which the scheduler does not preempt midway.
    let per_thread = if gc_stress() { 200 } else { 5_000 };
    let out = stdout_of(&format!(
        "import threading, collections\n\
         d = collections.deque()\n\
         taken = []\n\
         def produce(p):\n\
         \x20   for i in range({per_thread}):\n\
         \x20       d.append((p, i))\n\
         def consume():\n\
         \x20   mine = []\n\
         \x20   while len(mine) < {per_thread}:\n\
         \x20       try:\n\
         \x20           mine.append(d.popleft())\n\
         \x20       except IndexError:\n\
         \x20           pass\n\
         \x20   taken.extend(mine)\n\
         ts = [threading.Thread(target=produce, args=(p,)) for p in range(4)]\n\
         ts += [threading.Thread(target=consume) for _ in range(4)]\n\
         for t in ts: t.start()\n\
         for t in ts: t.join()\n\
         print(len(taken), len(set(taken)), len(d))\n"
    ));
    let total = 4 * per_thread;
    assert_eq!(out, format!("{total} {total} 0\n"));
}

#[test]
fn a_thread_pool_running_generator_heavy_work_completes() {
    // Workers drive generators from native code (`all`) while the pool's
    // queue and futures hand work around.
    let out = stdout_of(
        "from concurrent.futures import ThreadPoolExecutor\n\
         def is_prime(n):\n\
         \x20   return n > 1 and all(n % d for d in range(2, int(n ** 0.5) + 1))\n\
         for workers in (2, 3, 6):\n\
         \x20   with ThreadPoolExecutor(max_workers=workers) as ex:\n\
         \x20       print(sum(ex.map(is_prime, range(200))), end=' ')\n\
         print()\n",
    );
    assert_eq!(out, "46 46 46 \n");
}

#[test]
fn switch_interval_and_the_process_pool_stand_in() {
    let out = stdout_of(
        "import sys\n\
         from concurrent.futures import ProcessPoolExecutor\n\
         print(sys.getswitchinterval())\n\
         sys.setswitchinterval(0.001)\n\
         print(sys.getswitchinterval())\n\
         try:\n\
         \x20   sys.setswitchinterval(0)\n\
         except ValueError as e:\n\
         \x20   print(e)\n\
         def square(x):\n\
         \x20   return x * x\n\
         with ProcessPoolExecutor(max_workers=2) as ex:\n\
         \x20   print(list(ex.map(square, range(6))), ex.submit(square, 7).result())\n",
    );
    assert_eq!(
        out,
        "0.005\n0.001\nswitch interval must be strictly positive\n[0, 1, 4, 9, 16, 25] 49\n"
    );
}
