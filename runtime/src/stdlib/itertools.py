"""Iterator building blocks (itertools module).

Owns the infinite iterators (count, cycle, repeat), the terminating ones
(accumulate, chain, compress, dropwhile, takewhile, filterfalse, groupby,
islice, pairwise, starmap, tee, zip_longest) and the combinatoric ones
(product, permutations, combinations, combinations_with_replacement).
Arguments are checked when the iterator is created, as in CPython 3.11.
The iterators that are generators take turns as every generator does:
threads sharing one wait for each other's step instead of failing with
"generator already executing", as each step of CPython's C iterators is
atomic under its lock. The classes (count, repeat, tee, groupby) keep
their state in range iterators or step in an `_atomic` section.
"""

__all__ = [
    'accumulate', 'chain', 'combinations', 'combinations_with_replacement',
    'compress', 'count', 'cycle', 'dropwhile', 'filterfalse', 'groupby',
    'islice', 'pairwise', 'permutations', 'product', 'repeat', 'starmap',
    'takewhile', 'tee', 'zip_longest',
]

from _thread import _is_shared

_MAXSIZE = 9223372036854775807


def _type_name(value):
    return type(value).__name__


def _is_number(value):
    return isinstance(value, (int, float, complex)) or \
        hasattr(type(value), '__add__') and not isinstance(value, (str, bytes, list, tuple))


# ---------------------------------------------------------------- infinite

class count:
    """Return a count object whose .__next__() method returns consecutive
    values, starting at start and advancing by step.
    """

    __slots__ = ('_value', '_step', '_numbers', '_taken_from')

    def __init__(self, start=0, step=1):
        if not _is_number(start) or not _is_number(step):
            raise TypeError('a number is required')
        self._value = start
        self._step = step
        self._numbers = None
        if type(start) is int and type(step) is int and step \
                and -_FAST_START <= start <= _FAST_START and -_FAST_STEP <= step <= _FAST_STEP:
            # Machine-size ints come from a range iterator: its position
            # moves by compare-and-swap once the count is shared, so threads
            # drawing numbers from one count never get the same one. When
            # it runs out (after 2**40 numbers) the count goes on in Python.
            self._numbers = iter(range(start, start + step * _FAST_RUN, step))
            self._taken_from = _FAST_RUN

    def __iter__(self):
        return self

    def __next__(self):
        numbers = self._numbers
        if numbers is not None:
            value = next(numbers, _SPENT)
            if value is not _SPENT:
                return value
            self._value = self._current()
            self._numbers = None
        value = self._value
        self._value = value + self._step
        return value

    def _current(self):
        numbers = self._numbers
        if numbers is None:
            return self._value
        return self._value + self._step * (self._taken_from - numbers.__length_hint__())

    def __repr__(self):
        value = self._current()
        if type(self._step) is int and self._step == 1:
            return f'{_type_name(self)}({value!r})'
        return f'{_type_name(self)}({value!r}, {self._step!r})'


_FAST_RUN = 2 ** 40
_FAST_START = 2 ** 62
_FAST_STEP = 2 ** 21
_SPENT = object()


def cycle(iterable, /):
    """Return elements from the iterable until it is exhausted, then repeat
    the sequence indefinitely.
    """
    return _cycle(iter(iterable))


def _cycle(iterator):
    saved = []
    for element in iterator:
        yield element
        saved.append(element)
    if not saved:
        return
    while True:
        for element in saved:
            yield element


class repeat:
    """repeat(object [,times]) -> create an iterator which returns the object
    for the specified number of times. If not specified, returns the object
    endlessly.
    """

    __slots__ = ('_object', '_left')

    def __init__(self, object, times=None):
        if times is not None:
            if not isinstance(times, int):
                raise TypeError(f"'{_type_name(times)}' object cannot be "
                                'interpreted as an integer')
            # The times left are a range iterator's: its position moves by
            # compare-and-swap once shared, so threads drawing from one
            # repeat get `times` objects between them, no more.
            times = iter(range(max(times, 0)))
        self._object = object
        self._left = times

    def __iter__(self):
        return self

    def __next__(self):
        left = self._left
        if left is not None:
            next(left)
        return self._object

    def __length_hint__(self):
        if self._left is None:
            raise TypeError('len() of unsized object')
        return self._left.__length_hint__()

    def __repr__(self):
        if self._left is None:
            return f'{_type_name(self)}({self._object!r})'
        return f'{_type_name(self)}({self._object!r}, {self._left.__length_hint__()})'


# ---------------------------------------------------------------- terminating

def accumulate(iterable, func=None, *, initial=None):
    """Return series of accumulated sums (or other binary function results)."""
    return _accumulate(iter(iterable), func, initial)


def _accumulate(iterator, func, initial):
    total = initial
    if initial is None:
        try:
            total = next(iterator)
        except StopIteration:
            return
    yield total
    if func is None:
        for element in iterator:
            total = total + element
            yield total
    else:
        for element in iterator:
            total = func(total, element)
            yield total


def _chain(iterables):
    for iterable in iterables:
        yield from iterable


class chain:
    """Return a chain object whose .__next__() method returns elements from
    the first iterable until it is exhausted, then elements from the next
    iterable, until all of the iterables are exhausted.
    """

    __slots__ = ('_iterator',)

    def __init__(self, *iterables):
        self._iterator = _chain(iterables)

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._iterator)

    @classmethod
    def from_iterable(cls, iterable, /):
        """Alternative chain() constructor taking a single iterable argument
        that evaluates lazily."""
        result = cls.__new__(cls)
        result._iterator = _chain(iterable)
        return result

    def __class_getitem__(cls, item):
        return cls


def compress(data, selectors):
    """Return data elements corresponding to true selector elements."""
    return _compress(iter(data), iter(selectors))


def _compress(data, selectors):
    for element, selected in zip(data, selectors):
        if selected:
            yield element


def dropwhile(predicate, iterable, /):
    """Drop items from the iterable while predicate(item) is true."""
    return _dropwhile(predicate, iter(iterable))


def _dropwhile(predicate, iterator):
    for element in iterator:
        if not predicate(element):
            yield element
            break
    yield from iterator


def takewhile(predicate, iterable, /):
    """Return successive entries from an iterable as long as the predicate
    evaluates to true for each entry."""
    return _takewhile(predicate, iter(iterable))


def _takewhile(predicate, iterator):
    for element in iterator:
        if not predicate(element):
            return
        yield element


def filterfalse(function, iterable, /):
    """Return those items of iterable for which function(item) is false."""
    return _filterfalse(function, iter(iterable))


def _filterfalse(function, iterator):
    if function is None:
        for element in iterator:
            if not element:
                yield element
    else:
        for element in iterator:
            if not function(element):
                yield element


class groupby:
    """make an iterator that returns consecutive keys and groups from the
    iterable.
    """

    __slots__ = ('_iterator', '_keyfunc', '_current_key', '_current_value',
                 '_target_key', '_exhausted', '_generation')

    _UNSET = object()

    def __init__(self, iterable, key=None):
        self._iterator = iter(iterable)
        self._keyfunc = key
        self._current_key = groupby._UNSET
        self._current_value = None
        self._target_key = groupby._UNSET
        self._exhausted = False
        self._generation = 0

    def __iter__(self):
        return self

    def _advance(self):
        value = next(self._iterator)
        self._current_value = value
        if self._keyfunc is None:
            self._current_key = value
        else:
            self._current_key = self._keyfunc(value)

    def __next__(self):
        if _is_shared(self):
            # Threads sharing a groupby step it one at a time, as CPython's
            # C one is stepped under its lock.
            from _atomic import section
            with section(self):
                return self._next_group()
        return self._next_group()

    def _next_group(self):
        self._generation += 1
        if self._current_key is groupby._UNSET:
            self._advance()
        elif self._target_key is not groupby._UNSET:
            while self._current_key == self._target_key:
                self._advance()
        self._target_key = self._current_key
        group = self._group(self._target_key, self._generation)
        return (self._current_key, group)

    def _group(self, target, generation):
        first = True
        while True:
            if _is_shared(self):
                from _atomic import section
                with section(self):
                    value = self._group_item(target, generation, first)
            else:
                value = self._group_item(target, generation, first)
            if value is groupby._UNSET:
                return
            first = False
            yield value

    def _group_item(self, target, generation, first):
        """The group's next value, or _UNSET once it has ended."""
        if self._generation != generation:
            return groupby._UNSET
        if not first:
            try:
                self._advance()
            except StopIteration:
                return groupby._UNSET
            if self._current_key != target:
                return groupby._UNSET
        return self._current_value


def islice(iterable, *args):
    """islice(iterable, stop) --> islice object
    islice(iterable, start, stop[, step]) --> islice object
    """
    if not 1 <= len(args) <= 3:
        if not args:
            raise TypeError('islice expected at least 2 arguments, got 1')
        raise TypeError(f'islice expected at most 4 arguments, got {len(args) + 1}')
    if len(args) == 1:
        start, stop, step = None, args[0], None
    elif len(args) == 2:
        start, stop, step = args[0], args[1], None
    else:
        start, stop, step = args
    if stop is not None:
        stop = _islice_index(stop)
        if stop is None:
            raise ValueError('Stop argument for islice() must be None or '
                             'an integer: 0 <= x <= sys.maxsize.')
    if start is None:
        start = 0
    else:
        start = _islice_index(start)
        if start is None:
            raise ValueError('Indices for islice() must be None or an '
                             'integer: 0 <= x <= sys.maxsize.')
    if step is None:
        step = 1
    else:
        step = _islice_index(step)
        if step is None or step == 0:
            raise ValueError('Step for islice() must be a positive integer '
                             'or None.')
    return _islice(iter(iterable), start, stop, step)


def _islice_index(value):
    """The value as a non-negative int, or None when it is not one."""
    if not isinstance(value, int):
        index = getattr(type(value), '__index__', None)
        if index is None:
            return None
        value = index(value)
    if value < 0 or value > _MAXSIZE:
        return None
    return value


def _islice(iterator, start, stop, step):
    position = 0
    wanted = start
    if stop is not None and start >= stop:
        for _ in range(start):
            try:
                next(iterator)
            except StopIteration:
                return
        return
    for element in iterator:
        if position == wanted:
            yield element
            wanted += step
            if stop is not None and wanted >= stop:
                # Consume up to stop, like CPython, then finish.
                position += 1
                while position < stop:
                    try:
                        next(iterator)
                    except StopIteration:
                        return
                    position += 1
                return
        position += 1


def pairwise(iterable, /):
    """Return an iterator of overlapping pairs taken from the input iterator."""
    return _pairwise(iter(iterable))


def _pairwise(iterator):
    try:
        previous = next(iterator)
    except StopIteration:
        return
    for element in iterator:
        yield previous, element
        previous = element


def starmap(function, iterable, /):
    """Return an iterator whose values are returned from the function
    evaluated with an argument tuple taken from the given sequence."""
    return _starmap(function, iter(iterable))


def _starmap(function, iterator):
    for arguments in iterator:
        yield function(*arguments)


class _TeeLink:
    """One node of the buffer shared by the iterators of one tee()."""

    __slots__ = ('value', 'next')

    def __init__(self):
        self.value = None
        self.next = None


class _tee:
    """One iterator of a tee() group."""

    __slots__ = ('_source', '_link')

    def __init__(self, source, link):
        self._source = source
        self._link = link

    def __iter__(self):
        return self

    def __next__(self):
        link = self._link
        if link.next is None:
            if _is_shared(link):
                # Iterators of one tee in several threads: one of them
                # fills the link, the others read what it put there.
                from _atomic import section
                with section(link):
                    if link.next is None:
                        self._fill(link)
            else:
                self._fill(link)
        self._link = link.next
        return link.value

    def _fill(self, link):
        link.value = next(self._source)
        link.next = _TeeLink()

    def __copy__(self):
        return _tee(self._source, self._link)


_tee.__name__ = _tee.__qualname__ = '_tee'


def tee(iterable, n=2, /):
    """Returns a tuple of n independent iterators."""
    if not isinstance(n, int):
        raise TypeError(f"'{_type_name(n)}' object cannot be interpreted as "
                        'an integer')
    if n < 0:
        raise ValueError('n must be >= 0')
    if n == 0:
        return ()
    iterator = iter(iterable)
    if isinstance(iterator, _tee):
        first = iterator.__copy__()
    else:
        first = _tee(iterator, _TeeLink())
    result = [first]
    for _ in range(n - 1):
        result.append(first.__copy__())
    return tuple(result)


def zip_longest(*iterables, fillvalue=None):
    """Return a zip_longest object whose .__next__() method returns a tuple
    where the i-th element comes from the i-th iterable argument, filling
    missing values with fillvalue.
    """
    return _zip_longest([iter(iterable) for iterable in iterables], fillvalue)


def _zip_longest(iterators, fillvalue):
    if not iterators:
        return
    active = len(iterators)
    done = [False] * len(iterators)
    while True:
        row = []
        for position, iterator in enumerate(iterators):
            if done[position]:
                row.append(fillvalue)
                continue
            try:
                row.append(next(iterator))
            except StopIteration:
                done[position] = True
                active -= 1
                if active == 0:
                    return
                row.append(fillvalue)
        yield tuple(row)


# ---------------------------------------------------------------- combinatoric

def product(*iterables, repeat=1):
    """Cartesian product of input iterables.  Equivalent to nested for-loops."""
    if not isinstance(repeat, int):
        raise TypeError(f"'{_type_name(repeat)}' object cannot be "
                        'interpreted as an integer')
    if repeat < 0:
        raise ValueError('repeat argument cannot be negative')
    pools = [tuple(iterable) for iterable in iterables] * repeat
    return _product(pools)


def _product(pools):
    for pool in pools:
        if not pool:
            return
    count = len(pools)
    indices = [0] * count
    yield tuple(pool[0] for pool in pools)
    while True:
        position = count - 1
        while position >= 0:
            indices[position] += 1
            if indices[position] < len(pools[position]):
                break
            indices[position] = 0
            position -= 1
        if position < 0:
            return
        yield tuple([pools[i][indices[i]] for i in range(count)])


def _check_r(r):
    if not isinstance(r, int):
        raise TypeError(f"Expected int as r")
    if r < 0:
        raise ValueError('r must be non-negative')


def permutations(iterable, r=None):
    """Return successive r-length permutations of elements in the iterable."""
    pool = tuple(iterable)
    if r is None:
        r = len(pool)
    else:
        _check_r(r)
    return _permutations(pool, r)


def _permutations(pool, r):
    n = len(pool)
    if r > n:
        return
    indices = list(range(n))
    cycles = list(range(n, n - r, -1))
    yield tuple([pool[i] for i in indices[:r]])
    while n:
        position = r - 1
        while position >= 0:
            cycles[position] -= 1
            if cycles[position] == 0:
                moved = indices[position]
                indices[position:] = indices[position + 1:] + [moved]
                cycles[position] = n - position
                position -= 1
            else:
                other = cycles[position]
                indices[position], indices[-other] = \
                    indices[-other], indices[position]
                yield tuple([pool[i] for i in indices[:r]])
                break
        else:
            return


def combinations(iterable, r):
    """Return successive r-length combinations of elements in the iterable."""
    pool = tuple(iterable)
    _check_r(r)
    return _combinations(pool, r)


def _combinations(pool, r):
    n = len(pool)
    if r > n:
        return
    indices = list(range(r))
    yield tuple([pool[i] for i in indices])
    while True:
        position = r - 1
        while position >= 0 and indices[position] == position + n - r:
            position -= 1
        if position < 0:
            return
        indices[position] += 1
        for later in range(position + 1, r):
            indices[later] = indices[later - 1] + 1
        yield tuple([pool[i] for i in indices])


def combinations_with_replacement(iterable, r):
    """Return successive r-length combinations of elements in the iterable
    allowing individual elements to have successive repeats."""
    pool = tuple(iterable)
    _check_r(r)
    return _combinations_with_replacement(pool, r)


def _combinations_with_replacement(pool, r):
    n = len(pool)
    if not n and r:
        return
    indices = [0] * r
    yield tuple([pool[i] for i in indices])
    while True:
        position = r - 1
        while position >= 0 and indices[position] == n - 1:
            position -= 1
        if position < 0:
            return
        value = indices[position] + 1
        for later in range(position, r):
            indices[later] = value
        yield tuple([pool[i] for i in indices])
