//! `Value`: the one 64-bit word that every Python value is.
//!
//! This is the only file that decodes the bits of a `Value`. The encoding is
//! NaN-boxing: a float is stored as its own IEEE-754 bits (every NaN is first
//! folded into one canonical quiet NaN), and every other kind of value lives
//! in the space of negative quiet NaNs, which no float can occupy after that
//! folding. The top 16 bits then select the kind and the low 48 bits carry
//! the payload:
//!
//! | top 16 bits | kind | payload |
//! |---|---|---|
//! | `0xFFF8` | heap object | address of an [`Obj`] (48-bit user-space pointer) |
//! | `0xFFF9` | small int | signed 48-bit integer |
//! | `0xFFFA` | special | `None`, `False`, `True`, `NotImplemented`, `Ellipsis`, the engine's `NULL` |
//! | anything else | float | the float's bits |
//!
//! Small ints, floats, `None`, `True` and `False` therefore need no
//! allocation. Python ints outside the 48-bit range are heap big-integer
//! objects; an int that fits is *always* stored small, so equality of small
//! ints is equality of words.
//!
//! Invariant: a `Value` that points at a heap object is valid only while the
//! object is reachable from a GC root or while no safepoint has passed since
//! it was loaded (see `heap/mod.rs`).

use crate::heap::Obj;

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct Value(u64);

const TAG_SHIFT: u32 = 48;
const TAG_OBJECT: u64 = 0xFFF8;
const TAG_SMALL_INT: u64 = 0xFFF9;
const TAG_SPECIAL: u64 = 0xFFFA;
/// Every tagged (non-float) value has these 13 top bits set.
const BOXED_PREFIX: u64 = 0x1FFF;
const PAYLOAD_MASK: u64 = (1 << TAG_SHIFT) - 1;
const CANONICAL_NAN: u64 = 0x7FF8_0000_0000_0000;

const SPECIAL_NONE: u64 = 0;
const SPECIAL_FALSE: u64 = 1;
const SPECIAL_TRUE: u64 = 2;
const SPECIAL_NOT_IMPLEMENTED: u64 = 3;
const SPECIAL_ELLIPSIS: u64 = 4;
const SPECIAL_NULL: u64 = 5;
const SPECIAL_PARK: u64 = 6;
const SPECIAL_REMOVED: u64 = 7;
const SPECIAL_MOVED: u64 = 8;
const SPECIAL_RETRY: u64 = 9;
const SPECIAL_DEFERRED: u64 = 10;

/// The smallest int stored inline.
pub const SMALL_INT_MIN: i64 = -(1 << 47);
/// The largest int stored inline.
pub const SMALL_INT_MAX: i64 = (1 << 47) - 1;

const fn special(payload: u64) -> Value {
    Value((TAG_SPECIAL << TAG_SHIFT) | payload)
}

impl Value {
    pub const NONE: Value = special(SPECIAL_NONE);
    pub const FALSE: Value = special(SPECIAL_FALSE);
    pub const TRUE: Value = special(SPECIAL_TRUE);
    pub const NOT_IMPLEMENTED: Value = special(SPECIAL_NOT_IMPLEMENTED);
    pub const ELLIPSIS: Value = special(SPECIAL_ELLIPSIS);
    /// The engine's "no value": an unbound local, an empty slot, a missing
    /// optional. Never visible to Python code.
    pub const NULL: Value = special(SPECIAL_NULL);
    /// Returned as the "exception" of a blocking native call that parked
    /// its task (see `sched`): the step loop suspends the task instead of
    /// unwinding. Never visible to Python code.
    pub const PARK: Value = special(SPECIAL_PARK);
    /// The value of a removed entry of a shared dict's table (the entry
    /// stays in place so that probes go past it; `objects/dict.rs`).
    /// Never visible to Python code.
    pub const REMOVED: Value = special(SPECIAL_REMOVED);
    /// The value word of a shared dict table's slot whose entry moved to
    /// the table's next arrays at the same index (a growth with no write
    /// section; `objects/dict.rs`). Never visible to Python code.
    pub const MOVED: Value = special(SPECIAL_MOVED);
    /// The wake value of a task that parked to run its instruction again
    /// (a `for` loop's step that found its generator's frame with another
    /// thread; `engine/step.rs`). Never visible to Python code.
    pub const RETRY: Value = special(SPECIAL_RETRY);
    /// Returned by a native called straight from an instruction that hands
    /// its loop to a Python function (`builtins/loops.rs`): the call
    /// instruction makes the call waiting in `Vm::deferred_call` instead.
    /// Never visible to Python code.
    pub const DEFERRED: Value = special(SPECIAL_DEFERRED);

    #[inline(always)]
    fn tag(self) -> u64 {
        self.0 >> TAG_SHIFT
    }

    /// Raw bits, for hashing identity and for `id()`.
    #[inline(always)]
    pub fn bits(self) -> u64 {
        self.0
    }

    /// The value whose `bits()` these are (caches that keep values as raw
    /// words: the words must come from `bits()` of a value still alive).
    #[inline(always)]
    pub fn from_bits(bits: u64) -> Value {
        Value(bits)
    }

    // ---- small ints -------------------------------------------------------

    /// A small int, if `n` fits in 48 bits.
    #[inline(always)]
    pub fn small_int(n: i64) -> Option<Value> {
        if (SMALL_INT_MIN..=SMALL_INT_MAX).contains(&n) {
            Some(Value(
                (TAG_SMALL_INT << TAG_SHIFT) | (n as u64 & PAYLOAD_MASK),
            ))
        } else {
            None
        }
    }

    /// A small int from a value known to fit (panics in debug builds if not).
    #[inline(always)]
    pub fn small_int_unchecked(n: i64) -> Value {
        debug_assert!((SMALL_INT_MIN..=SMALL_INT_MAX).contains(&n));
        Value((TAG_SMALL_INT << TAG_SHIFT) | (n as u64 & PAYLOAD_MASK))
    }

    #[inline(always)]
    pub fn is_small_int(self) -> bool {
        self.tag() == TAG_SMALL_INT
    }

    #[inline(always)]
    pub fn as_small_int(self) -> Option<i64> {
        if self.is_small_int() {
            Some(((self.0 << 16) as i64) >> 16)
        } else {
            None
        }
    }

    /// The int of a value already known to be a small int.
    #[inline(always)]
    pub fn small_int_value(self) -> i64 {
        debug_assert!(self.is_small_int());
        ((self.0 << 16) as i64) >> 16
    }

    // ---- floats -----------------------------------------------------------

    #[inline(always)]
    pub fn float(x: f64) -> Value {
        if x.is_nan() {
            Value(CANONICAL_NAN)
        } else {
            Value(x.to_bits())
        }
    }

    #[inline(always)]
    pub fn is_float(self) -> bool {
        (self.0 >> 51) != BOXED_PREFIX
    }

    #[inline(always)]
    pub fn as_float(self) -> Option<f64> {
        if self.is_float() {
            Some(f64::from_bits(self.0))
        } else {
            None
        }
    }

    #[inline(always)]
    pub fn float_value(self) -> f64 {
        debug_assert!(self.is_float());
        f64::from_bits(self.0)
    }

    // ---- specials ---------------------------------------------------------

    #[inline(always)]
    pub fn bool(b: bool) -> Value {
        if b {
            Value::TRUE
        } else {
            Value::FALSE
        }
    }

    #[inline(always)]
    pub fn is_none(self) -> bool {
        self == Value::NONE
    }

    #[inline(always)]
    pub fn is_null(self) -> bool {
        self == Value::NULL
    }

    #[inline(always)]
    pub fn is_bool(self) -> bool {
        self == Value::TRUE || self == Value::FALSE
    }

    #[inline(always)]
    pub fn is_special(self) -> bool {
        self.tag() == TAG_SPECIAL
    }

    // ---- heap objects -----------------------------------------------------

    /// A value pointing at a heap object.
    #[inline(always)]
    pub fn from_obj(obj: *const Obj) -> Value {
        let address = obj as usize as u64;
        debug_assert!(address & !PAYLOAD_MASK == 0, "heap address above 48 bits");
        debug_assert!(address != 0);
        Value((TAG_OBJECT << TAG_SHIFT) | address)
    }

    #[inline(always)]
    pub fn is_obj(self) -> bool {
        self.tag() == TAG_OBJECT
    }

    /// The raw pointer of a heap value.
    #[inline(always)]
    pub fn obj_ptr(self) -> Option<*const Obj> {
        if self.is_obj() {
            Some((self.0 & PAYLOAD_MASK) as usize as *const Obj)
        } else {
            None
        }
    }

    /// The heap object a value points at.
    ///
    /// The returned reference is valid until the next safepoint at which
    /// the object is unreachable (module invariant above); the engine never
    /// collects while native code holds such a reference.
    #[inline(always)]
    pub fn as_obj(self) -> Option<&'static Obj> {
        if self.is_obj() {
            let pointer = (self.0 & PAYLOAD_MASK) as usize as *const Obj;
            // SAFETY: a tagged object value is only ever built by `from_obj`
            // from a live heap object, and objects are freed only by the
            // collector at a safepoint, when no native code is running.
            Some(unsafe { &*pointer })
        } else {
            None
        }
    }
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(n) = self.as_small_int() {
            write!(f, "Int({n})")
        } else if let Some(x) = self.as_float() {
            write!(f, "Float({x})")
        } else if *self == Value::NONE {
            write!(f, "None")
        } else if *self == Value::TRUE {
            write!(f, "True")
        } else if *self == Value::FALSE {
            write!(f, "False")
        } else if *self == Value::NULL {
            write!(f, "NULL")
        } else if *self == Value::PARK {
            write!(f, "PARK")
        } else if *self == Value::RETRY {
            write!(f, "RETRY")
        } else if *self == Value::DEFERRED {
            write!(f, "DEFERRED")
        } else if *self == Value::NOT_IMPLEMENTED {
            write!(f, "NotImplemented")
        } else if *self == Value::ELLIPSIS {
            write!(f, "Ellipsis")
        } else {
            write!(f, "Obj({:#x})", self.0 & PAYLOAD_MASK)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_ints_round_trip_at_the_edges() {
        for n in [
            0,
            1,
            -1,
            42,
            SMALL_INT_MAX,
            SMALL_INT_MIN,
            1 << 40,
            -(1 << 40),
        ] {
            let v = Value::small_int(n).unwrap();
            assert!(v.is_small_int());
            assert!(!v.is_float());
            assert_eq!(v.as_small_int(), Some(n));
        }
        assert!(Value::small_int(SMALL_INT_MAX + 1).is_none());
        assert!(Value::small_int(SMALL_INT_MIN - 1).is_none());
    }

    #[test]
    fn floats_are_immediate_and_nan_is_canonical() {
        for x in [
            0.0,
            -0.0,
            1.5,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
            5e-324,
        ] {
            let v = Value::float(x);
            assert!(v.is_float());
            assert_eq!(v.as_float().unwrap().to_bits(), x.to_bits());
        }
        let nan = Value::float(f64::from_bits(0xFFFF_FFFF_FFFF_FFFF));
        assert!(nan.is_float());
        assert!(nan.as_float().unwrap().is_nan());
    }

    #[test]
    fn specials_are_distinct_and_not_floats() {
        let all = [
            Value::NONE,
            Value::TRUE,
            Value::FALSE,
            Value::NULL,
            Value::NOT_IMPLEMENTED,
            Value::ELLIPSIS,
        ];
        for (i, a) in all.iter().enumerate() {
            assert!(!a.is_float());
            assert!(!a.is_small_int());
            assert!(!a.is_obj());
            for b in &all[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }
}

/// A `Value` field that several threads may read while one writes (a
/// shared object's header class and dict, cells, function and exception
/// fields): a `Cell<Value>` with the same `get`/`set`, stored in an atomic
/// word with relaxed ordering, which compiles to the same plain loads and
/// stores but is no data race.
#[derive(Debug)]
pub struct AtomicValue(std::sync::atomic::AtomicU64);

impl AtomicValue {
    pub const fn new(value: Value) -> AtomicValue {
        AtomicValue(std::sync::atomic::AtomicU64::new(value.0))
    }

    #[inline(always)]
    pub fn get(&self) -> Value {
        Value(self.0.load(std::sync::atomic::Ordering::Relaxed))
    }

    #[inline(always)]
    pub fn set(&self, value: Value) {
        self.0.store(value.0, std::sync::atomic::Ordering::Relaxed)
    }

    /// Reads a value another thread may have published with
    /// `publish` (Acquire: what it wrote before is visible).
    #[inline(always)]
    pub fn load_published(&self) -> Value {
        Value(self.0.load(std::sync::atomic::Ordering::Acquire))
    }

    /// Stores a value other threads may read at once (Release: pairs with
    /// `load_published`, so a reader sees the object's contents too).
    #[inline(always)]
    pub fn publish(&self, value: Value) {
        self.0.store(value.0, std::sync::atomic::Ordering::Release)
    }

    /// Replaces `current` with `new` if no other thread changed it
    /// meanwhile (AcqRel, publishing `new` as `publish` does); the value
    /// found otherwise.
    #[inline(always)]
    pub fn compare_exchange(&self, current: Value, new: Value) -> Result<Value, Value> {
        use std::sync::atomic::Ordering::{AcqRel, Acquire};
        self.0
            .compare_exchange(current.0, new.0, AcqRel, Acquire)
            .map(Value)
            .map_err(Value)
    }
}

impl Clone for AtomicValue {
    fn clone(&self) -> AtomicValue {
        AtomicValue::new(self.get())
    }
}

/// A `bool` field with `Cell`'s `get`/`set` that threads may share (see
/// `AtomicValue`).
#[derive(Debug, Default)]
pub struct AtomicFlag(std::sync::atomic::AtomicBool);

impl AtomicFlag {
    pub const fn new(value: bool) -> AtomicFlag {
        AtomicFlag(std::sync::atomic::AtomicBool::new(value))
    }

    #[inline(always)]
    pub fn get(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }

    #[inline(always)]
    pub fn set(&self, value: bool) {
        self.0.store(value, std::sync::atomic::Ordering::Relaxed)
    }

    /// Sets the flag if it was clear (one compare-and-swap); whether it
    /// did. Acquire/release ordered, for flags that are locks.
    #[inline(always)]
    pub fn try_set(&self) -> bool {
        use std::sync::atomic::Ordering::{AcqRel, Acquire};
        self.0
            .compare_exchange(false, true, AcqRel, Acquire)
            .is_ok()
    }

    /// Clears the flag, release ordered (the other half of `try_set`).
    #[inline(always)]
    pub fn clear(&self) {
        self.0.store(false, std::sync::atomic::Ordering::Release)
    }
}
