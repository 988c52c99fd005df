"""Bisection algorithms on sorted sequences (bisect module).

Owns bisect_left/bisect_right (bisect) and insort_left/insort_right
(insort), with the optional lo/hi bounds and key function of 3.10+.
An insertion into a list that threads share runs as one step (`_atomic`),
as CPython's C function does under its lock.
"""

__all__ = ['bisect', 'bisect_left', 'bisect_right', 'insort', 'insort_left',
           'insort_right']

from _atomic import is_shared as _is_shared, section as _section


def _bounds(a, lo, hi):
    if lo < 0:
        raise ValueError('lo must be non-negative')
    if hi is None:
        hi = len(a)
    return lo, hi


def bisect_right(a, x, lo=0, hi=None, *, key=None):
    """Return the index where to insert item x in list a, assuming a is
    sorted; equal items go to the right."""
    lo, hi = _bounds(a, lo, hi)
    if key is None:
        while lo < hi:
            middle = (lo + hi) // 2
            if x < a[middle]:
                hi = middle
            else:
                lo = middle + 1
    else:
        while lo < hi:
            middle = (lo + hi) // 2
            if x < key(a[middle]):
                hi = middle
            else:
                lo = middle + 1
    return lo


def bisect_left(a, x, lo=0, hi=None, *, key=None):
    """Return the index where to insert item x in list a, assuming a is
    sorted; equal items go to the left."""
    lo, hi = _bounds(a, lo, hi)
    if key is None:
        while lo < hi:
            middle = (lo + hi) // 2
            if a[middle] < x:
                lo = middle + 1
            else:
                hi = middle
    else:
        while lo < hi:
            middle = (lo + hi) // 2
            if key(a[middle]) < x:
                lo = middle + 1
            else:
                hi = middle
    return lo


def insort_right(a, x, lo=0, hi=None, *, key=None):
    """Insert item x in list a, and keep it sorted assuming a is sorted."""
    if _is_shared(a):
        with _section(a):
            return _insort_right(a, x, lo, hi, key)
    return _insort_right(a, x, lo, hi, key)


def _insort_right(a, x, lo, hi, key):
    if key is None:
        position = bisect_right(a, x, lo, hi)
    else:
        position = bisect_right(a, key(x), lo, hi, key=key)
    a.insert(position, x)


def insort_left(a, x, lo=0, hi=None, *, key=None):
    """Insert item x in list a, and keep it sorted assuming a is sorted;
    x goes left of equal items."""
    if _is_shared(a):
        with _section(a):
            return _insort_left(a, x, lo, hi, key)
    return _insort_left(a, x, lo, hi, key)


def _insort_left(a, x, lo, hi, key):
    if key is None:
        position = bisect_left(a, x, lo, hi)
    else:
        position = bisect_left(a, key(x), lo, hi, key=key)
    a.insert(position, x)


bisect = bisect_right
insort = insort_right
