//! `range` arithmetic that works for any int size: building a range
//! (`ObjKind::Range` with `i64` bounds when they fit, `ObjKind::BigRange`
//! otherwise), and the operations the engine and `range`'s methods share
//! for both payloads: length, indexing and slicing, membership, equality,
//! hashing, `index` and `count`
//! (<https://docs.python.org/3.11/library/stdtypes.html#ranges>).
//!
//! The `i64` payload keeps the engine's fast paths (iteration, `len`,
//! small-int indexing); everything here reads either payload as `BigInt`s.

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};

use crate::engine::ops::{self, kind_of};
use crate::engine::Vm;
use crate::objects::{BigRange, ObjKind};
use crate::value::Value;
use crate::PyResult;

/// A range's (start, stop, step), whichever payload it has.
pub fn range_parts(value: Value) -> Option<(BigInt, BigInt, BigInt)> {
    match kind_of(value)? {
        ObjKind::Range { start, stop, step } => Some((
            BigInt::from(*start),
            BigInt::from(*stop),
            BigInt::from(*step),
        )),
        ObjKind::BigRange(parts) => {
            Some((parts.start.clone(), parts.stop.clone(), parts.step.clone()))
        }
        _ => None,
    }
}

/// A new range object (step already checked non-zero).
pub fn make_range(vm: &mut Vm, start: BigInt, stop: BigInt, step: BigInt) -> Value {
    let class = vm.types.range;
    if let (Some(start), Some(stop), Some(step)) = (start.to_i64(), stop.to_i64(), step.to_i64()) {
        return vm.alloc(class, ObjKind::Range { start, stop, step });
    }
    vm.alloc(
        class,
        ObjKind::BigRange(Box::new(BigRange { start, stop, step })),
    )
}

/// The number of elements.
pub fn length(start: &BigInt, stop: &BigInt, step: &BigInt) -> BigInt {
    let (low, high, step) = if step.is_positive() {
        (start, stop, step.clone())
    } else {
        (stop, start, -step)
    };
    if low >= high {
        return BigInt::zero();
    }
    (high - low - BigInt::one()) / step + BigInt::one()
}

/// `len(range)`, `OverflowError` beyond `sys.maxsize`.
pub fn range_length(vm: &mut Vm, value: Value) -> PyResult<usize> {
    if let Some(ObjKind::Range { start, stop, step }) = kind_of(value) {
        let length = crate::engine::ops::range_len(*start, *stop, *step);
        if length != usize::MAX {
            return Ok(length);
        }
    }
    let (start, stop, step) = range_parts(value).unwrap_or_default();
    // A 32-bit host cannot count past its own size (as CPython there).
    match length(&start, &stop, &step)
        .to_i64()
        .and_then(|n| usize::try_from(n).ok())
    {
        Some(n) => Ok(n),
        None => Err(vm.overflow_error("Python int too large to convert to C ssize_t")),
    }
}

/// Whether the range is empty.
pub fn is_empty(value: Value) -> bool {
    let (start, stop, step) = range_parts(value).unwrap_or_default();
    length(&start, &stop, &step).is_zero()
}

/// The int value of an index operand (`__index__` honoured), or the
/// TypeError CPython raises for range indices.
fn index_operand(vm: &mut Vm, key: Value) -> PyResult<BigInt> {
    let is_index = key.is_small_int()
        || key.is_bool()
        || matches!(kind_of(key), Some(ObjKind::Int(_)))
        || ops::lookup_class_attr(vm.type_of(key), "__index__").is_some();
    if !is_index {
        let type_name = vm.type_name(key);
        return vm.err_type(format!(
            "range indices must be integers or slices, not {type_name}"
        ));
    }
    crate::builtins::args::to_bigint(vm, key)
}

/// A slice bound clamped to `[lower, upper]` as `slice.indices` does.
fn clamp_bound(value: BigInt, length: &BigInt, lower: &BigInt, upper: &BigInt) -> BigInt {
    if value.is_negative() {
        std::cmp::max(value + length, lower.clone())
    } else {
        std::cmp::min(value, upper.clone())
    }
}

/// `slice.indices` over a length of any size: (start, stop, step).
fn slice_bounds(vm: &mut Vm, slice: Value, length: &BigInt) -> PyResult<(BigInt, BigInt, BigInt)> {
    let Some(ObjKind::Slice { start, stop, step }) = kind_of(slice) else {
        return vm.err_type("expected a slice");
    };
    let (start, stop, step) = (*start, *stop, *step);
    let bound = |vm: &mut Vm, value: Value| -> PyResult<BigInt> {
        let index = ops::index_value(vm, value).map_err(|_| {
            vm.type_error("slice indices must be integers or None or have an __index__ method")
        })?;
        Ok(crate::builtins::args::int_value(index).unwrap_or_default())
    };
    let step = if step.is_none() {
        BigInt::one()
    } else {
        bound(vm, step)?
    };
    if step.is_zero() {
        return vm.err_value("slice step cannot be zero");
    }
    let (lower, upper) = if step.is_negative() {
        (-BigInt::one(), length - BigInt::one())
    } else {
        (BigInt::zero(), length.clone())
    };
    let start = if start.is_none() {
        if step.is_negative() {
            upper.clone()
        } else {
            lower.clone()
        }
    } else {
        clamp_bound(bound(vm, start)?, length, &lower, &upper)
    };
    let stop = if stop.is_none() {
        if step.is_negative() {
            lower
        } else {
            upper
        }
    } else {
        clamp_bound(bound(vm, stop)?, length, &lower, &upper)
    };
    Ok((start, stop, step))
}

/// `range[key]` for an int or a slice.
pub fn range_getitem(vm: &mut Vm, range: Value, key: Value) -> PyResult<Value> {
    let (start, stop, step) = range_parts(range).unwrap_or_default();
    let count = length(&start, &stop, &step);
    if let Some(ObjKind::Slice { .. }) = kind_of(key) {
        let (slice_start, slice_stop, slice_step) = slice_bounds(vm, key, &count)?;
        let new_start = &start + &slice_start * &step;
        let new_stop = &start + &slice_stop * &step;
        let new_step = &step * &slice_step;
        return Ok(make_range(vm, new_start, new_stop, new_step));
    }
    let mut index = index_operand(vm, key)?;
    if index.is_negative() {
        index += &count;
    }
    if index.is_negative() || index >= count {
        return Err(vm.index_error("range object index out of range"));
    }
    let item = start + index * step;
    Ok(vm.new_bigint(item))
}

/// `item in range` for int items (`None` for other items, which are
/// compared one by one).
pub fn range_contains(range: Value, item: Value) -> Option<bool> {
    let is_int =
        item.is_small_int() || item.is_bool() || matches!(kind_of(item), Some(ObjKind::Int(_)));
    if !is_int {
        return None;
    }
    let n = crate::builtins::args::int_value(item)?;
    let (start, stop, step) = range_parts(range)?;
    let inside = if step.is_positive() {
        n >= start && n < stop
    } else {
        n <= start && n > stop
    };
    Some(inside && (n - start).mod_floor(&step).is_zero())
}

/// The values that decide range equality and hashing: the length, the
/// first element when there is one, the step when there are two or more.
fn identity_parts(value: Value) -> Option<(BigInt, Option<BigInt>, Option<BigInt>)> {
    let (start, stop, step) = range_parts(value)?;
    let count = length(&start, &stop, &step);
    Some(if count.is_zero() {
        (count, None, None)
    } else if count.is_one() {
        (count, Some(start), None)
    } else {
        (count, Some(start), Some(step))
    })
}

/// `range == range`: equal as sequences.
pub fn range_equal(a: Value, b: Value) -> Option<bool> {
    Some(identity_parts(a)? == identity_parts(b)?)
}

/// `hash(range)`: the hash of `(len, start, step)` with the parts that do
/// not matter replaced by None, as CPython does.
pub fn range_hash(value: Value) -> i64 {
    let Some((count, start, step)) = identity_parts(value) else {
        return 0;
    };
    let hash_part = |part: Option<BigInt>| match part {
        Some(n) => crate::numeric::hash_int(&n),
        // hash(None) as our engine computes it.
        None => ((Value::NONE.bits() >> 4) as i64) & 0x0FFF_FFFF_FFFF,
    };
    let hashes = [
        crate::numeric::hash_int(&count),
        hash_part(start),
        hash_part(step),
    ];
    crate::numeric::hash_tuple(&hashes)
}

/// `range.index(value)`.
pub fn range_index(vm: &mut Vm, range: Value, item: Value) -> PyResult<Value> {
    let found = match range_contains(range, item) {
        Some(found) => found,
        None => ops::contains(vm, range, item)?,
    };
    if !found {
        let text = ops::repr_string(vm, item)?;
        return vm.err_value(format!("{text} is not in range"));
    }
    let (start, _, step) = range_parts(range).unwrap_or_default();
    match crate::builtins::args::int_value(item) {
        Some(n) => {
            let position = (n - start) / step;
            Ok(vm.new_bigint(position))
        }
        None => {
            // An equal non-int: find its position by iteration.
            let iterator = ops::iter(vm, range)?;
            let mut position = 0i64;
            while let Some(candidate) = ops::next(vm, iterator)? {
                if ops::eq(vm, candidate, item)? {
                    break;
                }
                position += 1;
            }
            Ok(vm.new_int(position))
        }
    }
}

/// `range.count(value)`.
pub fn range_count(vm: &mut Vm, range: Value, item: Value) -> PyResult<Value> {
    if let Some(found) = range_contains(range, item) {
        return Ok(Value::small_int_unchecked(found as i64));
    }
    let iterator = ops::iter(vm, range)?;
    let mut count = 0i64;
    while let Some(candidate) = ops::next(vm, iterator)? {
        if ops::eq(vm, candidate, item)? {
            count += 1;
        }
    }
    Ok(vm.new_int(count))
}

/// `repr(range)`.
pub fn range_repr(value: Value) -> String {
    let (start, stop, step) = range_parts(value).unwrap_or_default();
    if step.is_one() {
        format!("range({start}, {stop})")
    } else {
        format!("range({start}, {stop}, {step})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_match_python() {
        let len =
            |a: i64, b: i64, c: i64| length(&BigInt::from(a), &BigInt::from(b), &BigInt::from(c));
        assert_eq!(len(0, 10, 3), BigInt::from(4));
        assert_eq!(len(10, 0, -3), BigInt::from(4));
        assert_eq!(len(5, 5, 1), BigInt::zero());
        assert_eq!(len(0, 10, -1), BigInt::zero());
    }
}
