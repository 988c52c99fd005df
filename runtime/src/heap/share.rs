//! Sharing: which objects more than one thread may reach.
//!
//! The memory model of `../shared/DESIGN.md` splits objects in two. A
//! *local* object is reachable only from the thread that made it (its
//! frames and other local objects of the same thread): that thread reads
//! and mutates it in place with no synchronisation. A *shared* object may
//! be reached by any thread: it carries the `SHARED` header flag, set once
//! and never cleared, and every thread treats it as read-mostly (the
//! parallel backend changes it only through the copy-on-write paths).
//!
//! One invariant makes the split sound: **a shared object refers only to
//! shared objects** (or immediates, or immortals, which are born shared).
//! So an object becomes reachable by another thread only by being stored
//! into a shared object or handed over when a thread starts, and both
//! places call [`share`] first, which flags the value and everything local
//! it reaches (the collector's walk with the `SHARED` bit, stopping at
//! objects already shared). The stores are the *write barrier*:
//! `DictTable` (dicts, sets, instance and module namespaces), `ListItems`
//! (lists), the header's class and dict, cells, function and exception
//! fields, and a shared generator's frame when it suspends.
//!
//! Sharing begins with the second thread: `sched::spawn` shares the
//! interpreter's global state (module registry, builtins, roots) and the
//! thread's start call. [`verify`] walks a heap and reports any shared
//! object that refers to a local one; the GC stress mode shares the global
//! state at its first safepoint and verifies at every one after, so the
//! test suite and the conformance corpus check the barrier's completeness.

use super::gc::Marker;
use super::{LocalHeap, Obj, SHARED};
use crate::value::Value;

/// Flags `value` and every local object it reaches as shared. Cheap when
/// `value` is an immediate or already shared.
#[inline(always)]
pub fn share(value: Value) {
    if let Some(obj) = value.as_obj() {
        if !obj.is_shared() {
            share_slow(&[value]);
        }
    }
}

/// [`share`] for several values.
pub fn share_all(values: &[Value]) {
    if values
        .iter()
        .any(|value| value.as_obj().is_some_and(|obj| !obj.is_shared()))
    {
        share_slow(values);
    }
}

#[cold]
#[inline(never)]
fn share_slow(values: &[Value]) {
    let mut marker = Marker::new(SHARED);
    marker.mark_all(values);
    marker.drain();
}

/// After a store into `value`'s payload that bypassed a barrier (an
/// iterator's state, a function's or exception's fields): if `value` is
/// shared, shares everything it refers to now.
/// Costs one flag test for a local object.
#[inline]
pub fn reshare(value: Value) {
    if let Some(obj) = value.as_obj() {
        if obj.is_shared() && !obj.is_immortal() {
            share_all(&children(obj));
        }
    }
}

/// Flags every local object `frame` refers to as shared: before a shared
/// generator's frame is put back, where a thread on another worker may take
/// it next.
pub fn share_frame(frame: &crate::engine::frame::Frame) {
    let mut marker = Marker::queue_only();
    frame.trace(&mut marker);
    share_all(&marker.queued_values());
}

/// The values `obj` refers to directly (its class, its dict, its payload).
pub fn children(obj: &Obj) -> Vec<Value> {
    let mut marker = Marker::queue_only();
    queue_children(obj, &mut marker);
    marker.queued_values()
}

/// Queues `obj`'s children on a queue-only marker.
fn queue_children(obj: &Obj, marker: &mut Marker) {
    marker.mark(obj.class());
    marker.mark(obj.dict());
    obj.kind.trace(marker);
}

/// Checks the invariant on every object of `heap`: each shared object
/// refers only to shared ones. The error names the first offending pair.
pub fn verify(heap: &mut LocalHeap) -> Result<(), String> {
    let mut problem = None;
    let mut marker = Marker::queue_only();
    heap.for_each_object(|obj| {
        if problem.is_some() || !obj.is_shared() {
            return;
        }
        queue_children(obj, &mut marker);
        for pointer in marker.take_queued() {
            // SAFETY: queued from the live `obj`, so live too.
            let child = unsafe { &*pointer };
            if problem.is_none() && !child.is_shared() {
                problem = Some(format!(
                    "a shared {} refers to a local {}",
                    describe(obj),
                    describe(child)
                ));
            }
        }
    });
    match problem {
        Some(problem) => Err(problem),
        None => Ok(()),
    }
}

/// The payload kind's name, for the verifier's message.
fn describe(obj: &Obj) -> &'static str {
    obj.kind.kind_name()
}
