//! How an interpreter takes part in the work-stealing backend (native,
//! and WebAssembly with shared memory: the `parallel_workers` cfg):
//! bringing the workers up at the first thread start, the loop a worker
//! runs, and the scheduler's steps that involve the other workers (their
//! messages, fresh threads, idle waits, shutting down).
//!
//! The first `spawn` of an interpreter whose `Threads::max_workers` is
//! above 1 (and whose host can start threads: OS threads natively, the
//! rayon pool's Web Workers in a browser) makes a `WorkerGroup` and a
//! `Pool`, joins the group as worker 0 (the main thread stays there), and
//! starts workers 1.. on new threads (`Host::spawn_worker`), each an interpreter
//! from `Vm::new_worker` over the same shared objects. From then on every
//! new thread goes to the pool's fresh queue; whichever worker has nothing
//! to run adopts it and runs it from then on (see `pool.rs`).

use std::sync::Arc;

use super::pool::{Adoption, FreshThread, Message, Pool};
use super::workers::{self, WorkerGroup};
use super::{
    fire_due_timers, now, resume_main_with_deadlock, run_one, wait_for_timer, ThreadId,
    ThreadState, Threads, MAIN_THREAD,
};
use crate::engine::Vm;

/// An interpreter on its way to the OS thread that will run it.
struct WorkerVm(Box<Vm>);

// SAFETY: the worker interpreter is built on the spawning thread and then
// used only by the new OS thread; what it shares with the others is the
// shared objects (heap/share.rs) and the group's atomics and queues.
unsafe impl Send for WorkerVm {}

/// Spare workers a pool may start beyond the planned ones: workers whose
/// threads block in place run nothing else meanwhile (see
/// `run_one_in_place`), and a spare takes the place of each.
const SPARE_WORKERS: usize = 64;

/// Brings the workers up, once, if this interpreter may have several.
pub(super) fn start_workers(vm: &mut Vm) {
    let limit = super::rendezvous::MAX_WORKERS as usize;
    let wanted = vm.threads.max_workers.min(limit);
    if wanted < 2 || vm.threads.pool.is_some() || vm.group.is_some() || vm.nesting > 0 {
        return;
    }
    let Some(main_unparker) = vm.host.unparker() else {
        return;
    };
    let spares = SPARE_WORKERS.min(limit - wanted);
    let group = WorkerGroup::new(wanted + spares);
    let pool = Arc::new(Pool::new(wanted, spares, vm.threads.next_id));
    pool.set_unparker(0, main_unparker);
    workers::attach(vm, &group);
    vm.threads.pool = Some(Arc::clone(&pool));
    vm.threads.worker = 0;
    let mut started = 1;
    for index in 1..wanted {
        if !start_worker(vm, &group, &pool, index) {
            break;
        }
        started += 1;
    }
    pool.set_workers(started);
}

/// Starts worker `index` of `group` and `pool` on a new OS thread, an
/// interpreter like `vm`; whether it started.
fn start_worker(vm: &mut Vm, group: &Arc<WorkerGroup>, pool: &Arc<Pool>, index: usize) -> bool {
    if !group.has_room() {
        return false;
    }
    let Some(host) = vm.host.worker_host() else {
        return false;
    };
    let mut worker = Box::new(vm.new_worker(host));
    worker.gc_stress = vm.gc_stress;
    worker.threads = Box::new(Threads::new(Box::new(super::InlineScheduler::default())));
    worker.threads.max_workers = vm.threads.max_workers;
    worker.threads.switch_interval = vm.threads.switch_interval;
    worker.threads.pool = Some(Arc::clone(pool));
    worker.threads.worker = index;
    worker.number_frames_from((index as u64) << 48);
    workers::attach_idle(&mut worker, group);
    let moving = WorkerVm(worker);
    let body = Box::new(move || {
        let moving = moving;
        let mut worker = moving.0;
        workers::bind_thread(&worker);
        run_worker(&mut worker);
    });
    match vm.host.spawn_worker(body) {
        Some(unpark) => {
            pool.set_unparker(index, unpark);
            true
        }
        None => false,
    }
}

/// A worker's whole life: run threads until the pool shuts down.
fn run_worker(vm: &mut Vm) {
    let marker = 0u8;
    vm.stack_origin = &marker as *const u8 as usize;
    workers::resume(vm);
    let pool = Arc::clone(vm.threads.pool.as_ref().expect("a worker has a pool"));
    while !pool.is_shut_down() {
        if !run_one(vm) && !sleep_if_spare(vm, &pool) {
            wait_for_work(vm);
        }
    }
    workers::idle(vm);
}

/// A spare worker with no thread and no timer of its own sleeps while the
/// pool has the planned number of free workers without it (`Pool::go_dormant`);
/// whether it slept.
fn sleep_if_spare(vm: &mut Vm, pool: &Pool) -> bool {
    let me = vm.threads.worker;
    if !vm.threads.table.is_empty() || !vm.threads.timers.is_empty() || !pool.go_dormant(me) {
        return false;
    }
    stop_counting_idle(vm);
    workers::idle(vm);
    // Dormant is blocked: the deadlock count must see it so.
    if pool.block() {
        pool.send(0, Message::Deadlock);
    }
    while pool.stays_dormant(me) {
        vm.host.park(None);
    }
    pool.unblock();
    workers::resume(vm);
    true
}

/// Handles what other workers sent this one; whether there was anything.
pub(super) fn receive_messages(vm: &mut Vm) -> bool {
    let Some(pool) = vm.threads.pool.clone() else {
        return false;
    };
    let mut received = false;
    while let Some(message) = pool.receive(vm.threads.worker) {
        received = true;
        match message {
            Message::Wake { thread, value } => super::finish_wake(vm, thread, value),
            Message::Deadlock => resume_main_with_deadlock(vm),
        }
    }
    received
}

/// How many times in a row a worker leaves a thread it started itself
/// for an idle worker (`Pool::take_fresh`) before it takes it anyway: a
/// few milliseconds of looking, time enough for a parked worker to wake.
const FRESH_DEFERRALS: u32 = 1 << 14;

/// Takes a thread nobody runs yet into this worker's table; its id.
pub(super) fn adopt_fresh(vm: &mut Vm) -> Option<ThreadId> {
    let pool = vm.threads.pool.as_ref()?;
    let may_defer = vm.threads.fresh_deferrals < FRESH_DEFERRALS;
    let adoption = pool.take_fresh(vm.threads.worker, may_defer);
    // Looked at the fresh threads: no longer one to leave them for.
    stop_counting_idle(vm);
    let fresh = match adoption {
        Adoption::Taken(fresh) => fresh,
        Adoption::Deferred => {
            vm.threads.fresh_deferrals += 1;
            return None;
        }
        Adoption::Empty => {
            vm.threads.fresh_deferrals = 0;
            return None;
        }
    };
    vm.threads.fresh_deferrals = 0;
    Some(adopt(vm, fresh))
}

/// Enters a thread taken from a fresh queue into this worker's table.
fn adopt(vm: &mut Vm, fresh: FreshThread) -> ThreadId {
    let FreshThread { id, thread, .. } = fresh;
    thread
        .wait
        .owner
        .store(vm.threads.worker, std::sync::atomic::Ordering::SeqCst);
    let threads = &mut vm.threads;
    threads.table.insert(id, *thread);
    threads.started_running += 1;
    id
}

/// A thread waiting in a fresh queue while this worker has runnable
/// threads and no worker is idle: adopted now, to take turns with them,
/// rather than waiting until this worker runs out of work (a
/// `Thread.start` waits for its thread to begin).
pub(super) fn adopt_fresh_while_busy(vm: &mut Vm) -> Option<ThreadId> {
    let pool = vm.threads.pool.as_ref()?;
    if pool.idle_workers() > 0 || !pool.fresh_waiting() {
        return None;
    }
    let Adoption::Taken(fresh) = pool.take_fresh(vm.threads.worker, false) else {
        return None;
    };
    Some(adopt(vm, fresh))
}

/// Gives runnable `id`, which this worker was about to dispatch, to an
/// idle worker instead, when this one has other runnable threads: so
/// that three threads on two workers do not leave one worker idle once
/// its thread ends while the other still takes turns between two.
///
/// The thread's local objects go with it as they are, still local, still
/// in this worker's heap (collections mark and sweep every heap together,
/// so where an object lives does not matter to them): a local object is
/// reachable from one thread only (`heap/share.rs`), so from now on only
/// the adopting worker touches them, and the fresh queue's push and steal
/// order this worker's last writes before its first reads. Sharing them
/// instead would make every later store into them (a loop's iterator
/// advancing) a write section. The main thread stays on worker 0
/// (interrupts and the embedder's calls are delivered there), and a
/// thread blocked in place cannot leave the native frames it waits in;
/// only the outermost loop gives threads away (a nested one runs under
/// native frames of this worker).
pub(super) fn give_away(vm: &mut Vm, id: ThreadId) -> bool {
    let Some(pool) = vm.threads.pool.clone() else {
        return false;
    };
    if id == super::MAIN_THREAD
        || vm.nesting > 0
        || vm.threads.scheduler.runnable() == 0
        || pool.idle_workers() == 0
        || pool.fresh_waiting()
    {
        return false;
    }
    let Some(thread) = vm.threads.table.get(&id) else {
        return false;
    };
    if thread.in_place || thread.wait.load().0 != super::ThreadState::Ready {
        return false;
    }
    move_to_fresh_queue(vm, &pool, id);
    true
}

/// Takes runnable `id` out of this worker's table into its fresh queue,
/// for another worker to adopt (`Pool::push_moving`).
fn move_to_fresh_queue(vm: &mut Vm, pool: &Pool, id: ThreadId) {
    let thread = vm
        .threads
        .table
        .remove(&id)
        .expect("a thread of this worker");
    vm.threads.started_running = vm.threads.started_running.saturating_sub(1);
    pool.push_moving(FreshThread {
        id,
        thread: Box::new(thread),
        spawner: vm.threads.worker,
    });
}

/// This worker runs something (or has looked at the fresh threads): it
/// no longer counts among the idle workers spawners leave threads for.
#[inline]
pub(super) fn stop_counting_idle(vm: &mut Vm) {
    if vm.threads.counted_idle {
        vm.threads.counted_idle = false;
        if let Some(pool) = &vm.threads.pool {
            pool.set_idle(false);
        }
    }
}

/// Nothing is runnable here: wait for a timer, a message or a fresh
/// thread. False only without workers when no timer exists (a deadlock
/// the caller reports); with workers a deadlock is found by the last one
/// to block and raised in the main thread.
pub(super) fn wait_for_work(vm: &mut Vm) -> bool {
    let Some(pool) = vm.threads.pool.clone() else {
        return wait_for_timer(vm);
    };
    wait(vm, &pool, true);
    true
}

/// `wait_for_work` for a worker whose thread is blocked in place: it
/// takes no fresh threads meanwhile (`run_one_in_place`), so it waits for
/// a timer or a message only, and does not count among the idle workers
/// that spawners leave threads for.
pub(super) fn wait_in_place(vm: &mut Vm) {
    if let Some(pool) = vm.threads.pool.clone() {
        wait(vm, &pool, false);
    }
}

fn wait(vm: &mut Vm, pool: &Pool, adopts: bool) {
    let me = vm.threads.worker;
    let deadline = vm.threads.timers.peek().map(|timer| timer.deadline);
    let blocked = deadline.is_none();
    if blocked && pool.block() {
        pool.send(0, Message::Deadlock);
    }
    let has_work = if adopts {
        pool.has_work_for(me)
    } else {
        pool.has_message_for(me)
    };
    if !has_work {
        let timeout = deadline.map(|deadline| (deadline - now(vm)).max(0.0));
        if timeout != Some(0.0) {
            // Waiting for work is not dispatch overhead: with many
            // workers, the main interpreter's one waits most of the run
            // while its threads run elsewhere.
            let measured = (vm.threads.measure && vm.nesting == 0).then(|| now(vm));
            workers::idle(vm);
            // Idle until it next looks for fresh threads (`adopt_fresh`),
            // so that a spawner waits for it to wake instead of taking
            // them back as it wakes.
            if adopts && !vm.threads.counted_idle {
                vm.threads.counted_idle = true;
                pool.set_idle(true);
            }
            if !pool.watch_for_work(me, adopts) {
                vm.host.park(timeout);
            }
            workers::resume(vm);
            if let Some(before) = measured {
                vm.threads.stats.idle_seconds += now(vm) - before;
            }
        }
    }
    if blocked {
        pool.unblock();
    }
    fire_due_timers(vm);
}

/// A thread of this worker begins to wait in place (`block_in_place`):
/// whether the worker hands its other threads to other workers until it
/// ends (`run_one_in_place`), which a worker of a pool does.
pub(super) fn enter_in_place(vm: &mut Vm) -> bool {
    let Some(pool) = &vm.threads.pool else {
        return false;
    };
    if vm.threads.in_place_depth == 0 {
        pool.enter_in_place();
    }
    vm.threads.in_place_depth += 1;
    true
}

/// The wait `enter_in_place` began has ended.
pub(super) fn leave_in_place(vm: &mut Vm) {
    vm.threads.in_place_depth -= 1;
    if vm.threads.in_place_depth == 0 {
        if let Some(pool) = &vm.threads.pool {
            pool.leave_in_place();
        }
    }
}

/// `run_one` for a worker whose thread waits in place: takes its
/// messages and fires its timers, but hands the threads that become
/// runnable to the other workers instead of running them here, above the
/// waiting one. One run here that wanted what the waiting thread holds
/// (a lock it took before a `time.sleep` in a `sorted` key function)
/// would wait in place in turn, and the thread beneath could not go on
/// before that one returned: both would wait forever. A spare worker
/// starts whenever fewer workers than planned are free to take them
/// (as Go hands a blocked thread's processor to another). The main thread
/// stays (worker 0: interrupts and the embedder's calls come there), and
/// so does every thread when no worker at all is free (no spare could
/// start): those run here as before. Whether anything happened.
pub(super) fn run_one_in_place(vm: &mut Vm) -> bool {
    let Some(pool) = vm.threads.pool.clone() else {
        return run_one(vm);
    };
    let mut happened = receive_messages(vm);
    fire_due_timers(vm);
    let mut someone_free = None;
    while let Some(id) = vm.threads.scheduler.next() {
        let Some(thread) = vm.threads.table.get(&id) else {
            continue;
        };
        if thread.in_place || thread.wait.load().0 != ThreadState::Ready {
            continue; // a stale queue entry
        }
        let hand_over =
            id != MAIN_THREAD && *someone_free.get_or_insert_with(|| free_worker(vm, &pool));
        if !hand_over {
            if !super::mark_waits_beneath(vm) {
                vm.threads.scheduler.submit(id);
            } else {
                super::dispatch(vm, id);
            }
            return true;
        }
        move_to_fresh_queue(vm, &pool, id);
        happened = true;
    }
    // Threads nobody runs yet (fresh ones, or handed over by another
    // worker in place) need a free worker too; with none, they run here.
    if someone_free.is_none()
        && pool.fresh_waiting()
        && !free_worker(vm, &pool)
        && super::mark_waits_beneath(vm)
    {
        if let Some(thread) = adopt_fresh(vm) {
            super::dispatch(vm, thread);
            return true;
        }
    }
    happened
}

/// Whether threads this worker hands over will find a worker to run them:
/// after waking or starting a spare if fewer than planned are free. A
/// spare being started or woken by another worker counts (the free count
/// may read 0 a moment meanwhile); the answer is no only when every
/// worker waits in place or sleeps and no spare can start any more.
fn free_worker(vm: &mut Vm, pool: &Arc<Pool>) -> bool {
    if pool.short_of_workers() {
        start_spare(vm, pool);
    }
    pool.free_workers() > 0 || !pool.no_more_spares()
}

/// Wakes a dormant spare worker, or starts one if one may start. The
/// starter is inside native code (a thread of its own waits in place),
/// so it stands in a safe region meanwhile, its roots incomplete: no
/// collection runs while the new member joins.
fn start_spare(vm: &mut Vm, pool: &Arc<Pool>) {
    if pool.wake_dormant() {
        return;
    }
    let Some(group) = vm.group.as_ref().map(|member| Arc::clone(&member.group)) else {
        return;
    };
    let Some(index) = pool.reserve_spare() else {
        return;
    };
    workers::idle(vm);
    let started = start_worker(vm, &group, pool, index);
    pool.spare_started(index, started);
    workers::resume(vm);
}

/// Tells the workers to stop: the main interpreter (worker 0) is going
/// away. (A worker's own interpreter going away stops nothing.)
pub fn stop_workers(vm: &Vm) {
    if vm.threads.worker != 0 {
        return;
    }
    if let Some(pool) = &vm.threads.pool {
        pool.shut_down();
    }
}
