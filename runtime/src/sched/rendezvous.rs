//! The stop-the-world rendezvous the collector of a multi-worker engine
//! uses: one worker asks every other worker to stop at its next safepoint,
//! waits until all have, works alone, then lets them go. Built on atomics
//! and futex waits (`atomic-wait`), never on a mutex or condition variable.
//!
//! All of the state is one `AtomicU32`, changed only by compare-and-swap,
//! so no transition can interleave with another:
//!
//! ```text
//!  bit 31      STOPPING      a stop is in progress
//!  bits 24-30  epoch         which stop (bumped when one ends)
//!  bits 12-23  arrived       active workers parked in this stop
//!  bits 0-11   active        workers that poll safepoints
//!
//!  requester                          other active workers
//!  ─────────                          ────────────────────
//!  CAS: set STOPPING, arrived = 0     at each safepoint: stop_requested()?
//!  wait until arrived == active - 1   ──yes──> CAS: arrived += 1 (same
//!      ... works alone ...                     stop), wait until it ends
//!  CAS: clear STOPPING, epoch += 1  ────────> continue running
//! ```
//!
//! `stop_requested` (a separate flag on its own cache line) is only the
//! cheap hint every safepoint reads; the word decides. A worker that
//! cannot poll (idle in the scheduler, blocked in place) first *enters a
//! safe region*: it stops counting as active, so stops do not wait for it;
//! *leaving* the region waits out a stop in progress before it counts
//! again. Two workers asking at once: the loser of the CAS parks like any
//! other worker and asks again afterwards.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use crossbeam_utils::CachePadded;

const STOPPING: u32 = 1 << 31;
const EPOCH_SHIFT: u32 = 24;
const EPOCH_MASK: u32 = 0x7F << EPOCH_SHIFT;
const ARRIVED_SHIFT: u32 = 12;
const ARRIVED_MASK: u32 = 0xFFF << ARRIVED_SHIFT;
const ACTIVE_MASK: u32 = 0xFFF;

/// Loads of the state word a waiter makes before it sleeps on the futex
/// (a few microseconds).
const WATCH_ROUNDS: u32 = 1024;

/// Workers one rendezvous can count.
pub const MAX_WORKERS: u32 = ACTIVE_MASK;

fn active(word: u32) -> u32 {
    word & ACTIVE_MASK
}

fn arrived(word: u32) -> u32 {
    (word & ARRIVED_MASK) >> ARRIVED_SHIFT
}

/// The stop a word describes: its STOPPING bit and epoch.
fn stop_of(word: u32) -> u32 {
    word & (STOPPING | EPOCH_MASK)
}

pub struct Rendezvous {
    /// The hint every safepoint reads.
    stop_requested: CachePadded<AtomicBool>,
    /// The state word (see the module comment); every waiter waits on it.
    state: CachePadded<AtomicU32>,
    /// Waiters asleep (or about to be) on the state word's futex: a
    /// change wakes them only if there are any, so the common stop, where
    /// everyone is still watching the word, makes no system call.
    sleepers: CachePadded<AtomicU32>,
}

/// Proof that the world is stopped; dropping it resumes every worker.
pub struct StoppedWorld<'a> {
    rendezvous: &'a Rendezvous,
}

impl Drop for StoppedWorld<'_> {
    fn drop(&mut self) {
        self.rendezvous.resume();
    }
}

impl Default for Rendezvous {
    fn default() -> Self {
        Rendezvous::new()
    }
}

impl Rendezvous {
    /// A rendezvous with no worker yet: each worker calls `join` before it
    /// runs and `leave` when it stops for good.
    pub fn new() -> Rendezvous {
        Rendezvous {
            stop_requested: CachePadded::new(AtomicBool::new(false)),
            state: CachePadded::new(AtomicU32::new(0)),
            sleepers: CachePadded::new(AtomicU32::new(0)),
        }
    }

    /// Workers counted as active now.
    pub fn active(&self) -> u32 {
        active(self.state.load(Ordering::SeqCst))
    }

    /// Registers the calling worker as active (after any stop in progress).
    pub fn join(&self) {
        self.leave_safe_region();
    }

    /// Unregisters the calling worker.
    pub fn leave(&self) {
        self.enter_safe_region();
    }

    /// The check every safepoint makes: one atomic load.
    #[inline(always)]
    pub fn stop_requested(&self) -> bool {
        self.stop_requested.load(Ordering::Acquire)
    }

    /// At a safepoint: if a stop is in progress, counts this worker as
    /// arrived and waits until that stop ends.
    pub fn park_at_safepoint(&self) {
        self.park_at_safepoint_doing(|| false);
    }

    /// `park_at_safepoint`, looking at `chore` while it waits (work the
    /// stopping worker hands out, such as sweeping this worker's heap):
    /// `chore` answers whether it did something. `nudge_parked` wakes a
    /// sleeping waiter to look again.
    pub fn park_at_safepoint_doing(&self, mut chore: impl FnMut() -> bool) {
        let mut word = self.state.load(Ordering::SeqCst);
        loop {
            if word & STOPPING == 0 {
                return;
            }
            match self.state.compare_exchange(
                word,
                word + (1 << ARRIVED_SHIFT),
                Ordering::SeqCst,
                Ordering::SeqCst,
            ) {
                Ok(_) => break,
                Err(current) => word = current,
            }
        }
        self.wake_sleepers();
        let stop = stop_of(word);
        self.wait_for_doing(|word| stop_of(word) != stop, &mut chore);
    }

    /// Wakes the workers asleep in `park_at_safepoint_doing` to look at
    /// their chores (the stop goes on).
    pub fn nudge_parked(&self) {
        self.wake_sleepers();
    }

    /// Waits while the word still describes the stop `stop`.
    fn wait_while_stop(&self, stop: u32) {
        self.wait_for(|word| stop_of(word) != stop);
    }

    fn wait_for(&self, done: impl Fn(u32) -> bool) -> u32 {
        self.wait_for_doing(done, &mut || false)
    }

    /// Waits until `done(state word)`: a short while watching the word
    /// (stops are usually over within microseconds, far sooner than a
    /// sleeping thread is woken), then asleep on its futex; does `chore`
    /// between looks.
    fn wait_for_doing(&self, done: impl Fn(u32) -> bool, chore: &mut dyn FnMut() -> bool) -> u32 {
        for _ in 0..WATCH_ROUNDS {
            let word = self.state.load(Ordering::SeqCst);
            if done(word) {
                return word;
            }
            if !chore() {
                std::hint::spin_loop();
            }
        }
        loop {
            // Counted before the last look: a changer either sees the
            // count or made its change before that look (both SeqCst).
            self.sleepers.fetch_add(1, Ordering::SeqCst);
            let word = self.state.load(Ordering::SeqCst);
            if done(word) {
                self.sleepers.fetch_sub(1, Ordering::SeqCst);
                return word;
            }
            if chore() {
                self.sleepers.fetch_sub(1, Ordering::SeqCst);
                continue;
            }
            super::futex::wait(&self.state, word);
            self.sleepers.fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// Wakes the waiters asleep on the state word, if any.
    fn wake_sleepers(&self) {
        if self.sleepers.load(Ordering::SeqCst) > 0 {
            super::futex::wake_all(&self.state);
        }
    }

    /// Stops every other active worker at its next safepoint; returns once
    /// all of them wait. The caller must be an active worker.
    pub fn stop_the_world(&self) -> StoppedWorld<'_> {
        loop {
            let word = self.state.load(Ordering::SeqCst);
            if word & STOPPING != 0 {
                // Another worker is stopping the world: be stopped first.
                self.park_at_safepoint();
                continue;
            }
            let stopping = (word & !ARRIVED_MASK) | STOPPING;
            if self
                .state
                .compare_exchange(word, stopping, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
            {
                break;
            }
        }
        self.stop_requested.store(true, Ordering::SeqCst);
        self.wait_for(|word| arrived(word) + 1 >= active(word));
        StoppedWorld { rendezvous: self }
    }

    /// Stops the world only if the caller is the one active worker: a
    /// single compare-and-swap, no wait. `None`, with nothing changed,
    /// when another worker is active or a stop is on. A worker that
    /// leaves its safe region meanwhile waits for the resume, as in any
    /// stop. The caller must be an active worker.
    pub fn try_stop_alone(&self) -> Option<StoppedWorld<'_>> {
        let word = self.state.load(Ordering::SeqCst);
        if word & STOPPING != 0 || active(word) != 1 {
            return None;
        }
        let stopping = (word & !ARRIVED_MASK) | STOPPING;
        self.state
            .compare_exchange(word, stopping, Ordering::SeqCst, Ordering::SeqCst)
            .ok()?;
        Some(StoppedWorld { rendezvous: self })
    }

    /// Ends a stop begun with `stop_the_world` whose guard was forgotten
    /// (a write section that spans two calls: `sched::workers`).
    pub(crate) fn resume_forgotten(&self) {
        self.resume();
    }

    fn resume(&self) {
        self.stop_requested.store(false, Ordering::SeqCst);
        let mut word = self.state.load(Ordering::SeqCst);
        loop {
            let epoch = ((word & EPOCH_MASK) + (1 << EPOCH_SHIFT)) & EPOCH_MASK;
            let running = (word & ACTIVE_MASK) | epoch;
            match self
                .state
                .compare_exchange(word, running, Ordering::SeqCst, Ordering::SeqCst)
            {
                Ok(_) => break,
                Err(current) => word = current,
            }
        }
        self.wake_sleepers();
    }

    /// Before a wait the worker cannot interrupt to poll (idle sleep,
    /// blocking in place): stops no longer wait for it.
    pub fn enter_safe_region(&self) {
        self.state.fetch_sub(1, Ordering::SeqCst);
        self.wake_sleepers();
    }

    /// After such a wait: counts as active again, once no stop is on.
    pub fn leave_safe_region(&self) {
        loop {
            let word = self.state.load(Ordering::SeqCst);
            if word & STOPPING != 0 {
                self.wait_while_stop(stop_of(word));
                continue;
            }
            assert!(active(word) < MAX_WORKERS, "too many workers");
            if self
                .state
                .compare_exchange(word, word + 1, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
            {
                return;
            }
        }
    }
}
