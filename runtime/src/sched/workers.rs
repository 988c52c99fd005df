//! A group of workers that run Python at the same time and collect
//! garbage together (native targets, and WebAssembly with shared memory:
//! the `parallel_workers` cfg of `build.rs`).
//!
//! Each worker is an interpreter (`Vm::new_worker`) on its own OS thread
//! with its own heap. Shared objects live in whichever heap allocated
//! them and are reached from every worker, so no heap can be collected
//! alone: a collection stops every worker (the rendezvous of
//! `rendezvous.rs`), marks from all of their roots at once, and sweeps
//! every heap before anyone runs again (a mark bit left set in an unswept
//! heap would hide that object's children from the next marking). Marking
//! and sweeping run in parallel: each worker parked at a safepoint marks
//! from its own roots (the first marker to set an object's bit traces it),
//! then, once every marker is done, sweeps its own heap; the collector does
//! its own share and every share nobody claimed.
//!
//! ```text
//!  worker wanting a collection          every other worker
//!  ───────────────────────────          ──────────────────
//!  publish own roots, stop the world    at its next safepoint: publish
//!  (all others parked or idle)   <────  its roots, park (or, idle: its
//!                                       roots were published on entry)
//!  ask each slot to mark ──────────────> parked: claim (CAS), mark from
//!  mark from own roots + queues;          own roots, say done
//!    mark unclaimed slots' roots,
//!    wait for the claimed ones
//!  ask each slot to sweep ─────────────> parked: claim, sweep own heap,
//!  sweep own heap; sweep unclaimed        say done
//!    heaps, wait for the claimed ones
//!  resume  ───────────────────────────> go on
//! ```
//!
//! A worker stopped inside native code (Rust frames hold values no root
//! list has) publishes no roots and marks its slot incomplete. If it was
//! on its way into a write section, the collector stands aside (in a safe
//! region) until that section closes, then tries again; if it was deeper
//! in native code (a nested step loop), the collection gives up and is
//! asked again after a sixteenth of the heap's threshold.
//! A worker's `Vm` must stay in place while attached: the group keeps
//! pointers to its heap and its weak class list, used only while that
//! worker is stopped or idle. When a member's `Vm` is dropped, the group
//! adopts its heap (other members may still reach its shared objects) and
//! keeps sweeping it; the heaps go when the group does.
//!
//! **Write sections.** A shared object is read by every worker with no
//! synchronisation (its `PyCell` in the untracked state), so a store into
//! one must not run while anyone reads: `PyCell::borrow_mut` of a shared
//! payload opens a *write section* — the same stop of every other worker,
//! at its next safepoint (where it holds no borrow: engine rule 3) — and
//! its guard's drop closes it. Sections nest (a store inside a store),
//! and collections never start inside one (they run at safepoints only).
//! A worker that loses the race to open one parks inside its native call
//! like any stopped worker, after marking its roots incomplete so that a
//! collection in that stop gives up. The rule that keeps sections sound:
//! native code holds no read borrow of a shared payload while it opens a
//! section (another worker's section could change what it reads).

use crate::objects::dict::RetiredArrays;
use std::cell::{Cell, UnsafeCell};
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, AtomicUsize, Ordering};
use std::sync::Arc;

use crossbeam_queue::SegQueue;
use crossbeam_utils::CachePadded;

use super::rendezvous::Rendezvous;
use crate::engine::step::Task;
use crate::engine::unwind::trace_roots;
use crate::engine::Vm;
use crate::heap::gc::Marker;
use crate::heap::LocalHeap;
use crate::shared::retire::RetireList;
use crate::value::Value;

pub struct WorkerGroup {
    rendezvous: Rendezvous,
    slots: Box<[CachePadded<Slot>]>,
    attached: AtomicUsize,
    collections: AtomicUsize,
    given_up: AtomicUsize,
    /// Marking and sweeping shares done by parked members themselves.
    member_chores: AtomicUsize,
    /// Write sections that stopped another running member.
    sections_stopping: AtomicUsize,
    /// Collectors waiting for a member's section to close (the closer
    /// wakes them only if there are any).
    section_watchers: AtomicU32,
    /// Arrays the members' shared dicts and sets replaced with no write
    /// section, freed at the next collection (`objects/dict.rs`).
    pub retired_tables: RetiredArrays,
    /// Retire lists of shared containers with versions waiting, for the
    /// next reclaim stop or collection (`heap/retired.rs`).
    reclaim_queue: SegQueue<Arc<RetireList>>,
    /// Reclaim stops run (stops that free retired versions, no marking).
    reclaim_stops: AtomicUsize,
}

/// One worker's entry: where its heap and weak list are, and the roots it
/// published when it last stopped or went idle.
struct Slot {
    heap: AtomicPtr<LocalHeap>,
    weak_classes: AtomicPtr<Vec<Value>>,
    roots: UnsafeCell<Vec<Value>>,
    incomplete: AtomicBool,
    /// Set while the worker waits to open a write section.
    entering_section: AtomicBool,
    /// Bumped when the worker closes a write section: a collector that
    /// found it stopped on its way into one waits for this to move.
    sections_closed: AtomicU32,
    /// The worker is in a safe region (`idle`).
    idle: AtomicBool,
    /// This slot's share of the current collection (`CHORE_*`): marking
    /// from its roots, then sweeping its heap, each asked of the worker
    /// parked at a safepoint and done by whoever claims it first.
    chore: AtomicU32,
    /// The heap and weak list of a member whose `Vm` was dropped.
    adopted: UnsafeCell<Option<Adopted>>,
}

/// Nothing asked of this slot.
const CHORE_NONE: u32 = 0;
/// Asked: mark from the slot's published roots. (Each step has its
/// ASKED, CLAIMED and DONE values, in that order.)
const CHORE_MARK: u32 = 1;
/// Asked: sweep the slot's heap.
const CHORE_SWEEP: u32 = 4;
const CLAIMED: u32 = 1;
const DONE: u32 = 2;

/// A departed member's heap and weak class list, kept by the group.
type Adopted = (Box<LocalHeap>, Box<Vec<Value>>);

// SAFETY: a slot's `roots` are written only by its worker, before it
// parks or goes idle, and read only by a collector while that worker is
// parked or idle; the rendezvous's sequentially consistent state word
// orders the two.
unsafe impl Sync for Slot {}

// SAFETY: an adopted heap belongs to no thread: only collectors touch it,
// inside stops, and the group drops it when the last member is gone.
unsafe impl Send for Slot {}

/// A worker's membership in a group (`Vm::group`).
pub struct Membership {
    pub group: Arc<WorkerGroup>,
    pub slot: usize,
}

impl Drop for Membership {
    fn drop(&mut self) {
        CURRENT.with(|current| {
            if current.get() == (Arc::as_ptr(&self.group), self.slot) {
                current.set((std::ptr::null(), 0));
            }
        });
    }
}

thread_local! {
    /// The group and slot of the worker on this OS thread (write sections
    /// are opened from `PyCell`, which has no `Vm` at hand).
    static CURRENT: Cell<(*const WorkerGroup, usize)> = const { Cell::new((std::ptr::null(), 0)) };
    /// Write sections open on this thread (they nest).
    static SECTION_DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// Opens a write section (see the module): every other worker of this
/// thread's group is stopped when it returns. Nothing to do outside a
/// group.
pub fn enter_write_section() {
    let (group, slot) = CURRENT.with(Cell::get);
    if group.is_null() {
        return;
    }
    let depth = SECTION_DEPTH.with(Cell::get);
    SECTION_DEPTH.with(|cell| cell.set(depth + 1));
    if depth > 0 {
        return;
    }
    // SAFETY: `CURRENT` is set by `attach` from the `Arc` the worker's
    // `Membership` keeps, and cleared when that is dropped.
    let group = unsafe { &*group };
    // If another worker's stop wins, this one parks inside native code:
    // a collection in that stop must give up.
    let entry = &group.slots[slot];
    entry.incomplete.store(true, Ordering::SeqCst);
    entry.entering_section.store(true, Ordering::SeqCst);
    std::mem::forget(group.rendezvous.stop_the_world());
    entry.entering_section.store(false, Ordering::SeqCst);
    if group.rendezvous.active() > 1 {
        // Another worker was running and is now parked: a section that
        // cost someone something.
        group.sections_stopping.fetch_add(1, Ordering::Relaxed);
    }
}

/// Opens a write section only if no other member of this thread's group
/// is running Python now (all idle, or no group): one compare-and-swap on
/// the rendezvous, which stops nobody and waits for nobody (a member that
/// wakes meanwhile waits for the section to close before it runs). True
/// when opened (close it with `leave_write_section`); false, with nothing
/// changed, when another member runs. Checking and stopping in one step
/// means such a section never stops a member that started running after
/// a separate check.
pub fn enter_write_section_if_alone() -> bool {
    let (group, _) = CURRENT.with(Cell::get);
    if group.is_null() {
        return true;
    }
    let depth = SECTION_DEPTH.with(Cell::get);
    if depth > 0 {
        SECTION_DEPTH.with(|cell| cell.set(depth + 1));
        return true;
    }
    // SAFETY: as in `enter_write_section`.
    let group = unsafe { &*group };
    match group.rendezvous.try_stop_alone() {
        Some(stopped) => {
            // Resumed by `leave_write_section` (`resume_forgotten`).
            std::mem::forget(stopped);
            SECTION_DEPTH.with(|cell| cell.set(1));
            true
        }
        None => false,
    }
}

/// Closes the write section `enter_write_section` opened.
pub fn leave_write_section() {
    let (group, slot) = CURRENT.with(Cell::get);
    if group.is_null() {
        return;
    }
    let depth = SECTION_DEPTH.with(Cell::get);
    debug_assert!(depth > 0, "a write section closed twice");
    SECTION_DEPTH.with(|cell| cell.set(depth - 1));
    if depth == 1 {
        // SAFETY: as in `enter_write_section`.
        let group = unsafe { &*group };
        group.rendezvous.resume_forgotten();
        let closed = &group.slots[slot].sections_closed;
        closed.fetch_add(1, Ordering::SeqCst);
        if group.section_watchers.load(Ordering::SeqCst) > 0 {
            super::futex::wake_all(closed);
        }
    }
}

impl WorkerGroup {
    pub fn new(max_workers: usize) -> Arc<WorkerGroup> {
        let slots = (0..max_workers)
            .map(|_| {
                CachePadded::new(Slot {
                    heap: AtomicPtr::new(std::ptr::null_mut()),
                    weak_classes: AtomicPtr::new(std::ptr::null_mut()),
                    roots: UnsafeCell::new(Vec::new()),
                    incomplete: AtomicBool::new(false),
                    entering_section: AtomicBool::new(false),
                    sections_closed: AtomicU32::new(0),
                    idle: AtomicBool::new(false),
                    chore: AtomicU32::new(CHORE_NONE),
                    adopted: UnsafeCell::new(None),
                })
            })
            .collect();
        Arc::new(WorkerGroup {
            rendezvous: Rendezvous::new(),
            slots,
            attached: AtomicUsize::new(0),
            collections: AtomicUsize::new(0),
            given_up: AtomicUsize::new(0),
            member_chores: AtomicUsize::new(0),
            sections_stopping: AtomicUsize::new(0),
            section_watchers: AtomicU32::new(0),
            retired_tables: RetiredArrays::default(),
            reclaim_queue: SegQueue::new(),
            reclaim_stops: AtomicUsize::new(0),
        })
    }

    /// Collections the group has run.
    pub fn collections(&self) -> usize {
        self.collections.load(Ordering::SeqCst)
    }

    /// Write sections that stopped another running member (stores into
    /// shared payloads with no copy-on-write form; a section opened while
    /// every other member is idle stops nobody and is not counted).
    pub fn write_sections(&self) -> usize {
        self.sections_stopping.load(Ordering::Relaxed)
    }

    /// Shares of collections (marking from a member's roots, sweeping its
    /// heap) that the member did itself while parked.
    pub fn member_chores(&self) -> usize {
        self.member_chores.load(Ordering::Relaxed)
    }

    /// Collections given up because a worker was stopped in native code.
    pub fn given_up(&self) -> usize {
        self.given_up.load(Ordering::SeqCst)
    }

    /// Reclaim stops the group has run (`reclaim_stop`).
    pub fn reclaim_stops(&self) -> usize {
        self.reclaim_stops.load(Ordering::SeqCst)
    }

    /// Whether another member can join.
    pub fn has_room(&self) -> bool {
        self.attached.load(Ordering::SeqCst) < self.slots.len()
    }

    fn attached_slots(&self) -> &[CachePadded<Slot>] {
        &self.slots[..self.attached.load(Ordering::SeqCst)]
    }
}

/// Makes `vm` a running member of `group`. From here on `vm` must not
/// move or be dropped while the group may collect (see the module).
pub fn attach(vm: &mut Vm, group: &Arc<WorkerGroup>) {
    join(vm, group);
    bind_thread(vm);
}

/// Joins `worker` to the group from another OS thread than the one that
/// will run it, in a safe region (idle, no roots) until that thread calls
/// `bind_thread` and `resume`.
pub fn attach_idle(worker: &mut Vm, group: &Arc<WorkerGroup>) {
    join(worker, group);
    idle(worker);
}

fn join(vm: &mut Vm, group: &Arc<WorkerGroup>) {
    assert!(vm.group.is_none(), "already in a group");
    vm.collects = true;
    let slot = group.attached.fetch_add(1, Ordering::SeqCst);
    assert!(slot < group.slots.len(), "the group is full");
    let entry = &group.slots[slot];
    entry.heap.store(&mut vm.heap, Ordering::SeqCst);
    entry
        .weak_classes
        .store(&mut vm.user_classes, Ordering::SeqCst);
    vm.group = Some(Membership {
        group: Arc::clone(group),
        slot,
    });
    group.rendezvous.join();
}

/// Makes the calling OS thread the one that runs `vm` (write sections
/// find their worker through it).
pub fn bind_thread(vm: &Vm) {
    if let Some(membership) = &vm.group {
        let group = Arc::as_ptr(&membership.group);
        CURRENT.with(|current| current.set((group, membership.slot)));
    }
}

pub fn idle(vm: &mut Vm) {
    publish_roots(vm, None, &[], vm.nesting == 0);
    if let Some(membership) = &vm.group {
        let slot = &membership.group.slots[membership.slot];
        if !slot.idle.swap(true, Ordering::SeqCst) {
            membership.group.rendezvous.enter_safe_region();
        }
    }
}

/// Back from `idle` (waits out a collection in progress).
pub fn resume(vm: &mut Vm) {
    if let Some(membership) = &vm.group {
        let slot = &membership.group.slots[membership.slot];
        if slot.idle.swap(false, Ordering::SeqCst) {
            membership.group.rendezvous.leave_safe_region();
        }
    }
}

/// A member's `Vm` is going away (`Drop for Vm`): the group adopts its
/// heap and weak class list, and the worker stops counting as a member
/// that polls safepoints.
pub fn leave_group(vm: &mut Vm) {
    if vm.group.is_none() {
        return;
    }
    resume(vm);
    let membership = vm.group.as_ref().expect("checked");
    // The section below must be this member's, whichever OS thread drops it.
    let outer =
        CURRENT.with(|current| current.replace((Arc::as_ptr(&membership.group), membership.slot)));
    enter_write_section();
    let slot = &membership.group.slots[membership.slot];
    let mut heap = Box::new(std::mem::take(&mut vm.heap));
    let mut weak = Box::new(std::mem::take(&mut vm.user_classes));
    slot.heap.store(&mut *heap, Ordering::SeqCst);
    slot.weak_classes.store(&mut *weak, Ordering::SeqCst);
    // SAFETY: every other member is stopped (the write section) and no
    // collector runs meanwhile, so nobody reads this slot's roots or
    // adopted heaps now; afterwards only collectors do, in stops.
    unsafe {
        *slot.roots.get() = Vec::new();
        *slot.adopted.get() = Some((heap, weak));
    }
    slot.incomplete.store(false, Ordering::SeqCst);
    slot.idle.store(true, Ordering::SeqCst);
    leave_write_section();
    CURRENT.with(|current| current.set(outer));
    membership.group.rendezvous.leave();
    vm.group = None;
}

impl Membership {
    /// The safepoint check of a group member (one atomic load): whether
    /// another member is stopping the world.
    #[inline(always)]
    pub fn stop_requested(&self) -> bool {
        self.group.rendezvous.stop_requested()
    }
}

/// At a safepoint where `stop_requested`: publishes this worker's roots
/// (incomplete inside a nested run, where native frames hold values) and
/// waits until the stop ends.
#[cold]
#[inline(never)]
pub fn stop_here(vm: &mut Vm, task: &Task) {
    let outermost = vm.nesting == 0;
    let pending = task.pending;
    park(vm, outermost.then_some(task), pending.as_slice());
}

fn park(vm: &mut Vm, task: Option<&Task>, extra: &[Value]) {
    let complete = task.is_some();
    publish_roots(vm, task, extra, complete);
    let Some(membership) = &vm.group else {
        return;
    };
    let group = Arc::clone(&membership.group);
    let slot = &group.slots[membership.slot];
    let (heap, weak) = (&mut vm.heap, &mut vm.user_classes);
    group.rendezvous.park_at_safepoint_doing(|| {
        let chore = slot.chore.load(Ordering::SeqCst);
        if (chore == CHORE_MARK || chore == CHORE_SWEEP) && claim(slot, chore) {
            if chore == CHORE_MARK {
                // SAFETY: this worker published these roots before it
                // parked, and nobody writes them during the stop.
                LocalHeap::mark_only(|marker| marker.mark_all(unsafe { &*slot.roots.get() }));
            } else {
                heap.sweep_pruning_weak(weak);
            }
            finish(slot, chore);
            group.member_chores.fetch_add(1, Ordering::Relaxed);
            return true;
        }
        false
    });
}

/// Takes the asked `chore` of `slot` (marking or sweeping) if nobody has.
fn claim(slot: &Slot, chore: u32) -> bool {
    slot.chore
        .compare_exchange(chore, chore + CLAIMED, Ordering::SeqCst, Ordering::SeqCst)
        .is_ok()
}

/// Says that the claimed `chore` is done.
fn finish(slot: &Slot, chore: u32) {
    slot.chore.store(chore + DONE, Ordering::SeqCst);
    super::futex::wake_all(&slot.chore);
}

/// Asks `chore` of every attached slot but `own` and wakes the parked
/// workers to look.
fn ask(group: &WorkerGroup, slots: &[CachePadded<Slot>], own: usize, chore: u32) {
    for (index, slot) in slots.iter().enumerate() {
        if index != own {
            slot.chore.store(chore, Ordering::SeqCst);
        }
    }
    group.rendezvous.nudge_parked();
}

/// For each slot but `own`: does `chore` itself if nobody claimed it
/// (`work(slot)`), else waits until its claimer is done.
fn finish_all(slots: &[CachePadded<Slot>], own: usize, chore: u32, mut work: impl FnMut(&Slot)) {
    for (index, slot) in slots.iter().enumerate() {
        if index == own {
            continue;
        }
        if claim(slot, chore) {
            work(slot);
        } else {
            while slot.chore.load(Ordering::SeqCst) != chore + DONE {
                super::futex::wait(&slot.chore, chore + CLAIMED);
            }
        }
        slot.chore.store(CHORE_NONE, Ordering::SeqCst);
    }
}

/// Stores this worker's roots in its slot, or marks them incomplete (Rust
/// frames of native code hold values no root list has).
fn publish_roots(vm: &Vm, task: Option<&Task>, extra: &[Value], complete: bool) {
    let Some(membership) = &vm.group else {
        return;
    };
    let slot = &membership.group.slots[membership.slot];
    slot.incomplete.store(!complete, Ordering::SeqCst);
    if complete {
        let mut marker = Marker::queue_only();
        trace_roots(vm, task, extra, &mut marker);
        // SAFETY: only this worker writes its slot's roots, and no
        // collector reads them until it parks or goes idle (the module).
        unsafe { *slot.roots.get() = marker.queued_values() };
    }
}

/// Stops every other member at a safepoint (or idle), from a safepoint of
/// `vm`'s outermost step loop, for a collection or a reclaim stop; `None`
/// when it gave up because a member is stopped deeper in native code,
/// whose Rust frames may hold values and snapshots.
fn stop_every_member<'g>(
    vm: &Vm,
    task: &Task,
    extra: &[Value],
    group: &'g WorkerGroup,
    own: usize,
) -> Option<super::rendezvous::StoppedWorld<'g>> {
    let slots = group.attached_slots();
    let mut attempts = 0;
    loop {
        // Losing the race to another collector parks this worker as one
        // of its stopped workers: its roots must be out first.
        publish_roots(vm, Some(task), extra, true);
        let world = group.rendezvous.stop_the_world();
        let stuck = slots
            .iter()
            .enumerate()
            .find(|(index, slot)| *index != own && slot.incomplete.load(Ordering::SeqCst));
        let Some((_, stuck)) = stuck else {
            return Some(world);
        };
        // Someone stopped inside native code. On its way into a write
        // section: let it open and close that section (standing aside,
        // in a safe region) and try again. Deeper in native code (a
        // nested run): give up for a while.
        let waiting_for_section = stuck.entering_section.load(Ordering::SeqCst);
        let closed = stuck.sections_closed.load(Ordering::SeqCst);
        drop(world);
        attempts += 1;
        if !waiting_for_section || attempts == COLLECTION_ATTEMPTS {
            return None;
        }
        group.rendezvous.enter_safe_region();
        group.section_watchers.fetch_add(1, Ordering::SeqCst);
        while stuck.sections_closed.load(Ordering::SeqCst) == closed {
            super::futex::wait(&stuck.sections_closed, closed);
        }
        group.section_watchers.fetch_sub(1, Ordering::SeqCst);
        group.rendezvous.leave_safe_region();
    }
}

/// Queues a shared container's retire list with this thread's group for
/// the next reclaim stop or collection; false when the thread has none.
pub fn queue_for_reclaim(retired: &Arc<RetireList>) -> bool {
    let (group, _) = CURRENT.with(Cell::get);
    if group.is_null() {
        return false;
    }
    // SAFETY: as in `enter_write_section`.
    let group = unsafe { &*group };
    group.reclaim_queue.push(Arc::clone(retired));
    true
}

/// Frees what waits for every worker to stop: the arrays shared dicts
/// and sets replaced, and the versions on every queued retire list.
///
/// # Safety
/// As `reclaim_queued`.
unsafe fn free_retired(vm: &mut Vm, group: &WorkerGroup) {
    // SAFETY: the caller's promise covers all three.
    unsafe {
        group.retired_tables.free_all();
        vm.retired_tables.free_all();
        reclaim_queued(group);
    }
    vm.heap.reclaimed();
}

/// Frees the versions waiting on every queued retire list.
///
/// # Safety
/// The world is stopped: every other member is parked at a safepoint or
/// idle, and the caller is at its own, so no thread holds a snapshot of
/// any shared container (snapshots never live across a safepoint).
unsafe fn reclaim_queued(group: &WorkerGroup) {
    while let Some(retired) = group.reclaim_queue.pop() {
        // SAFETY: the caller's promise is `reclaim`'s contract.
        unsafe { retired.reclaim() };
    }
}

/// A reclaim stop (`heap/retired.rs`): stops every member, frees the
/// versions that writes to shared containers replaced, and resumes, with
/// no marking; from a safepoint of `vm`'s outermost step loop.
pub fn reclaim_stop(vm: &mut Vm, task: &Task, extra: &[Value]) {
    let Some(membership) = &vm.group else {
        vm.heap.reclaimed();
        return;
    };
    let group = Arc::clone(&membership.group);
    let own = membership.slot;
    let Some(world) = stop_every_member(vm, task, extra, &group, own) else {
        vm.heap.postpone_reclaim();
        return;
    };
    // SAFETY: the world is stopped (as in `collect`).
    unsafe { free_retired(vm, &group) };
    group.reclaim_stops.fetch_add(1, Ordering::SeqCst);
    drop(world);
}

/// Stops a collection tries before it gives up for a while.
const COLLECTION_ATTEMPTS: u32 = 64;

/// A collection over every member's heap, from a safepoint of `vm`'s
/// outermost step loop (`task` is running there).
pub fn collect(vm: &mut Vm, task: &Task, extra: &[Value]) {
    let Some(membership) = &vm.group else {
        return;
    };
    let group = Arc::clone(&membership.group);
    let own = membership.slot;
    let slots = group.attached_slots();
    let Some(world) = stop_every_member(vm, task, extra, &group, own) else {
        group.given_up.fetch_add(1, Ordering::SeqCst);
        vm.heap.postpone_collection();
        return;
    };
    // SAFETY: the world is stopped: every other member is parked at a
    // safepoint or idle, and this one is at its own, so no thread is
    // inside an operation on a table or holds a snapshot.
    unsafe { free_retired(vm, &group) };
    // Marking and then sweeping run in parallel: each worker parked at a
    // safepoint marks from its own roots, then sweeps its own heap (every
    // heap holds only its own objects' mark bits; the first marker to set
    // an object's bit traces it). The collector does its own share, then
    // every share nobody claimed (idle workers', adopted heaps, a worker
    // that did not look in time), then waits for the claimed ones.
    ask(&group, slots, own, CHORE_MARK);
    LocalHeap::mark_only(|marker| {
        trace_roots(vm, Some(task), extra, marker);
        if let Some(pool) = vm.threads.pool() {
            pool.trace(marker);
        }
    });
    finish_all(slots, own, CHORE_MARK, |slot| {
        // SAFETY: that worker is parked or idle (the world is stopped),
        // published these before it stopped and did not claim them.
        LocalHeap::mark_only(|marker| marker.mark_all(unsafe { &*slot.roots.get() }));
    });
    ask(&group, slots, own, CHORE_SWEEP);
    let mut own_classes = std::mem::take(&mut vm.user_classes);
    vm.heap.sweep_pruning_weak(&mut own_classes);
    vm.user_classes = own_classes;
    finish_all(slots, own, CHORE_SWEEP, |slot| {
        // SAFETY: the worker owning this heap and list is parked or idle
        // until `world` is dropped, and did not claim this sweep, so it
        // touches neither meanwhile; `attach` took the pointers from its
        // `Vm`, which stays in place while attached.
        unsafe {
            let heap = &mut *slot.heap.load(Ordering::SeqCst);
            let weak = &mut *slot.weak_classes.load(Ordering::SeqCst);
            heap.sweep_pruning_weak(weak);
        }
    });
    pace_heaps(&mut vm.heap, slots, own);
    group.collections.fetch_add(1, Ordering::SeqCst);
    drop(world);
}

/// After a collection over every heap, with the world still stopped:
/// makes each heap wait for at least an even share of what all of them
/// hold before it asks for the next one. A heap's own threshold follows
/// only its own live data, but every collection traces all heaps; a
/// worker with a small heap that churns garbage (appends to a big shared
/// list another heap owns, each retiring a version) would otherwise ask
/// for a collection per few megabytes and trace the whole list each time.
/// With the share, the tracing stays in proportion to the allocation
/// between collections, and no heap holds more garbage than that share
/// above its own live data.
fn pace_heaps(own_heap: &mut LocalHeap, slots: &[CachePadded<Slot>], own: usize) {
    let others = || {
        slots
            .iter()
            .enumerate()
            .filter(move |(index, _)| *index != own)
            .map(|(_, slot)| slot.heap.load(Ordering::SeqCst))
    };
    // SAFETY: the world is stopped and every sweep is done: the owners of
    // these heaps are parked or idle and touch them only after `world` is
    // dropped (as in `collect`'s sweep).
    let live: usize = own_heap.live_after_collection()
        + others()
            .map(|heap| unsafe { (*heap).live_after_collection() })
            .sum::<usize>();
    let share = live / slots.len().max(1);
    own_heap.defer_collection_until(share);
    for heap in others() {
        // SAFETY: as above; nobody else holds a reference to this heap.
        unsafe { (*heap).defer_collection_until(share) };
    }
}
