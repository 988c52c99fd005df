"""Heap queue algorithm (heapq module).

Owns the binary min-heap operations on lists (heappush, heappop,
heapify, heapreplace, heappushpop), merge of sorted inputs, and
nlargest/nsmallest. Only `<` is used to compare items, as in CPython.
Each operation on a heap that threads share runs as one step (`_atomic`),
as CPython's C functions do under its lock.
"""

__all__ = ['heappush', 'heappop', 'heapify', 'heapreplace', 'merge',
           'nlargest', 'nsmallest', 'heappushpop']

from _atomic import is_shared as _is_shared, section as _section


def _check_list(heap, name):
    if not isinstance(heap, list):
        raise TypeError(f'{name}() argument 1 must be list, not '
                        f'{type(heap).__name__}')


def _sift_up(heap, start, position):
    """Move heap[position] up towards start until its parent is not larger."""
    item = heap[position]
    while position > start:
        parent_position = (position - 1) >> 1
        parent = heap[parent_position]
        if item < parent:
            heap[position] = parent
            position = parent_position
            continue
        break
    heap[position] = item


def _sift_down(heap, position):
    """Move the smaller child up until a leaf is reached, then sift the
    item back up (fewer comparisons than a textbook sift-down)."""
    end = len(heap)
    start = position
    item = heap[position]
    child = 2 * position + 1
    while child < end:
        right = child + 1
        if right < end and not heap[child] < heap[right]:
            child = right
        heap[position] = heap[child]
        position = child
        child = 2 * position + 1
    heap[position] = item
    _sift_up(heap, start, position)


def heappush(heap, item, /):
    """Push item onto heap, maintaining the heap invariant."""
    if _is_shared(heap):
        with _section(heap):
            return _heappush(heap, item)
    return _heappush(heap, item)


def _heappush(heap, item):
    _check_list(heap, 'heappush')
    heap.append(item)
    _sift_up(heap, 0, len(heap) - 1)


def heappop(heap, /):
    """Pop the smallest item off the heap, maintaining the heap invariant."""
    if _is_shared(heap):
        with _section(heap):
            return _heappop(heap)
    return _heappop(heap)


def _heappop(heap):
    _check_list(heap, 'heappop')
    if not heap:
        raise IndexError('index out of range')
    last = heap.pop()
    if heap:
        smallest = heap[0]
        heap[0] = last
        _sift_down(heap, 0)
        return smallest
    return last


def heapreplace(heap, item, /):
    """Pop and return the current smallest value, and add the new item."""
    if _is_shared(heap):
        with _section(heap):
            return _heapreplace(heap, item)
    return _heapreplace(heap, item)


def _heapreplace(heap, item):
    _check_list(heap, 'heapreplace')
    if not heap:
        raise IndexError('index out of range')
    smallest = heap[0]
    heap[0] = item
    _sift_down(heap, 0)
    return smallest


def heappushpop(heap, item, /):
    """Push item on the heap, then pop and return the smallest item."""
    if _is_shared(heap):
        with _section(heap):
            return _heappushpop(heap, item)
    return _heappushpop(heap, item)


def _heappushpop(heap, item):
    _check_list(heap, 'heappushpop')
    if heap and heap[0] < item:
        item, heap[0] = heap[0], item
        _sift_down(heap, 0)
    return item


def heapify(heap, /):
    """Transform list into a heap, in-place, in O(len(heap)) time."""
    if _is_shared(heap):
        with _section(heap):
            return _heapify(heap)
    return _heapify(heap)


def _heapify(heap):
    _check_list(heap, 'heapify')
    for position in reversed(range(len(heap) // 2)):
        _sift_down(heap, position)


def merge(*iterables, key=None, reverse=False):
    """Merge multiple sorted inputs into a single sorted output."""
    return _merge([iter(iterable) for iterable in iterables], key, reverse)


class _MergeEntry:
    # The head of one input of merge(): ordered by key (descending when
    # merging in reverse), ties by input position; values never compare.
    __slots__ = ('key', 'order', 'value', 'iterator', 'reverse')

    def __lt__(self, other):
        if self.reverse:
            if other.key < self.key:
                return True
            if self.key < other.key:
                return False
        else:
            if self.key < other.key:
                return True
            if other.key < self.key:
                return False
        return self.order < other.order


def _merge(iterators, key, reverse):
    heap = []
    for order, iterator in enumerate(iterators):
        for value in iterator:
            entry = _MergeEntry()
            entry.key = value if key is None else key(value)
            entry.order = order
            entry.value = value
            entry.iterator = iterator
            entry.reverse = reverse
            heap.append(entry)
            break
    heapify(heap)
    while len(heap) > 1:
        top = heap[0]
        yield top.value
        for value in top.iterator:
            top.key = value if key is None else key(value)
            top.value = value
            _sift_down(heap, 0)
            break
        else:
            last = heap.pop()
            heap[0] = last
            _sift_down(heap, 0)
    if heap:
        top = heap[0]
        yield top.value
        yield from top.iterator


def nsmallest(n, iterable, key=None):
    """Find the n smallest elements in a dataset.

    Equivalent to:  sorted(iterable, key=key)[:n]
    """
    if n <= 0:
        return []
    return sorted(iterable, key=key)[:n]


def nlargest(n, iterable, key=None):
    """Find the n largest elements in a dataset.

    Equivalent to:  sorted(iterable, key=key, reverse=True)[:n]
    """
    if n <= 0:
        return []
    return sorted(iterable, key=key, reverse=True)[:n]
