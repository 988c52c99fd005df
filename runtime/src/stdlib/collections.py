"""Container datatypes (collections module).

Owns deque, defaultdict, Counter, OrderedDict, namedtuple, ChainMap and
UserDict/UserList/UserString, with CPython 3.11's behaviour, reprs and
error messages. The ABCs live in _collections_abc (collections.abc).
"""

import _collections_abc
import sys as _sys
from keyword import iskeyword as _iskeyword
from operator import itemgetter as _itemgetter
from _deque import ring as _ring
from _collections import move_to_end as _move_to_end
from _thread import _is_shared

abc = _collections_abc
_Mapping = _collections_abc.Mapping
_MutableMapping = _collections_abc.MutableMapping
_MutableSequence = _collections_abc.MutableSequence
_Sequence = _collections_abc.Sequence

__all__ = ['ChainMap', 'Counter', 'OrderedDict', 'UserDict', 'UserList',
           'UserString', 'defaultdict', 'deque', 'namedtuple']

_repr_running = set()


def _guarded_repr(obj, make):
    """repr() that prints '...' when obj is already being repr'd."""
    key = id(obj)
    if key in _repr_running:
        return '...'
    _repr_running.add(key)
    try:
        return make()
    finally:
        _repr_running.discard(key)


# ---------------------------------------------------------------- deque

def _index_of(value):
    if isinstance(value, int):
        return value
    method = getattr(type(value), '__index__', None)
    if method is None:
        raise TypeError(
            f"sequence index must be integer, not '{type(value).__name__}'")
    return method(value)


class deque:
    """A list-like sequence optimized for data accesses near its endpoints."""

    # The items live in a native ring (`_deque.ring()`): each operation on
    # it is atomic, as CPython's C deque is, even with threads running in
    # parallel. `_state` counts mutations, for "mutated during iteration".
    # A deque other threads may reach is read as one version of its items
    # (`_ring.items()`) with no such check: threads append to a shared
    # deque while others read it (`list(d)`, `x in d`, `sum(d)`), which a
    # C consumer of CPython's deque does under its lock, never seeing a
    # change.
    __slots__ = ('_ring', '_maxlen', '_state')
    __hash__ = None

    def __new__(cls, *args, **kwargs):
        self = object.__new__(cls)
        self._ring = _ring()
        self._maxlen = None
        self._state = 0
        return self

    def __init__(self, iterable=(), maxlen=None):
        if maxlen is not None:
            if not isinstance(maxlen, int):
                raise TypeError(f"'{type(maxlen).__name__}' object cannot be "
                                'interpreted as an integer')
            if maxlen < 0:
                raise ValueError('maxlen must be non-negative')
        self._maxlen = maxlen
        if self._ring.size():
            self.clear()
        self.extend(iterable)

    # -- internal helpers

    def _live(self):
        return self._ring.items()

    # -- properties

    @property
    def maxlen(self):
        """maximum size of a deque or None if unbounded"""
        return self._maxlen

    # -- right end

    def append(self, x, /):
        """Add an element to the right side of the deque."""
        self._state += 1
        self._ring.push(x, self._maxlen)

    def pop(self):
        """Remove and return the rightmost element."""
        value = self._ring.pop()
        self._state += 1
        return value

    def extend(self, iterable, /):
        """Extend the right side of the deque with elements from the iterable"""
        if iterable is self:
            iterable = self._ring.items()
        ring = self._ring
        maxlen = self._maxlen
        for item in iterable:
            self._state += 1
            ring.push(item, maxlen)

    # -- left end

    def appendleft(self, x, /):
        """Add an element to the left side of the deque."""
        self._state += 1
        self._ring.pushleft(x, self._maxlen)

    def popleft(self):
        """Remove and return the leftmost element."""
        value = self._ring.popleft()
        self._state += 1
        return value

    def extendleft(self, iterable, /):
        """Extend the left side of the deque with elements from the iterable"""
        if iterable is self:
            iterable = self._ring.items()
        ring = self._ring
        maxlen = self._maxlen
        for item in iterable:
            self._state += 1
            ring.pushleft(item, maxlen)

    # -- whole-deque operations

    def clear(self):
        """Remove all elements from the deque."""
        self._state += 1
        self._ring.clear()

    def copy(self):
        """Return a shallow copy of a deque."""
        return self.__class__(self, self._maxlen)

    __copy__ = copy

    def count(self, value, /):
        """Return number of occurrences of value."""
        state = self._watched_state()
        total = 0
        for item in self._ring.items():
            if item is value or item == value:
                total += 1
            if state is not None and state != self._state:
                raise RuntimeError('deque mutated during iteration')
        return total

    def index(self, value, start=0, stop=None, /):
        """Return first index of value."""
        items = self._ring.items()
        size = len(items)
        if stop is None:
            stop = size
        if start < 0:
            start = max(start + size, 0)
        if stop < 0:
            stop = max(stop + size, 0)
        state = self._watched_state()
        for position in range(start, min(stop, size)):
            item = items[position]
            if item is value or item == value:
                return position
            if state is not None and state != self._state:
                raise RuntimeError('deque mutated during iteration')
        raise ValueError(f'{value!r} is not in deque')

    def insert(self, index, value, /):
        """Insert value before index."""
        self._ring.insert(_index_of(index), value, self._maxlen)
        self._state += 1

    def remove(self, value, /):
        """Remove first occurrence of value."""
        state = self._state
        for position, item in enumerate(self._ring.items()):
            if item is value or item == value:
                if state != self._state:
                    raise IndexError('deque mutated during remove().')
                del self[position]
                return
        raise ValueError(f'{value!r} is not in deque')

    def reverse(self):
        """Reverse *IN PLACE*."""
        self._state += 1
        self._ring.reverse()

    def rotate(self, n=1, /):
        """Rotate the deque n steps to the right (default n=1).  If n is
        negative, rotates left."""
        self._ring.rotate(n)
        self._state += 1

    # -- sequence protocol

    def __len__(self):
        return self._ring.size()

    def __bool__(self):
        return self._ring.size() > 0

    def _watched_state(self):
        """The mutation count to check while iterating, None if shared."""
        return None if _is_shared(self) else self._state

    def __iter__(self):
        if _is_shared(self):
            yield from self._ring.items()
            return
        state = self._state
        for item in self._ring.items():
            if state != self._state:
                raise RuntimeError('deque mutated during iteration')
            yield item
        if state != self._state:
            raise RuntimeError('deque mutated during iteration')

    def __reversed__(self):
        if _is_shared(self):
            yield from self._ring.reversed_items()
            return
        state = self._state
        for item in self._ring.reversed_items():
            if state != self._state:
                raise RuntimeError('deque mutated during iteration')
            yield item

    def __contains__(self, value):
        state = self._watched_state()
        for item in self._ring.items():
            if item is value or item == value:
                return True
            if state is not None and state != self._state:
                raise RuntimeError('deque mutated during iteration')
        return False

    def __getitem__(self, index):
        return self._ring.get(_index_of(index))

    def __setitem__(self, index, value):
        self._ring.put(_index_of(index), value)

    def __delitem__(self, index):
        self._ring.delete(_index_of(index))
        self._state += 1

    def __repr__(self):
        def make():
            body = repr(self._live())
            if self._maxlen is None:
                return f'{type(self).__name__}({body})'
            return f'{type(self).__name__}({body}, maxlen={self._maxlen})'
        if id(self) in _repr_running:
            return '[...]'
        return _guarded_repr(self, make)

    # -- comparisons

    def _compare(self, other, op):
        if not isinstance(other, deque):
            return NotImplemented
        return op(self._live(), other._live())

    def __eq__(self, other):
        return self._compare(other, lambda a, b: a == b)

    def __ne__(self, other):
        return self._compare(other, lambda a, b: a != b)

    def __lt__(self, other):
        return self._compare(other, lambda a, b: a < b)

    def __le__(self, other):
        return self._compare(other, lambda a, b: a <= b)

    def __gt__(self, other):
        return self._compare(other, lambda a, b: a > b)

    def __ge__(self, other):
        return self._compare(other, lambda a, b: a >= b)

    # -- arithmetic

    def __add__(self, other):
        if not isinstance(other, deque):
            raise TypeError('can only concatenate deque (not '
                            f'"{type(other).__name__}") to deque')
        result = self.copy()
        result.extend(other)
        return result

    def __iadd__(self, other):
        self.extend(other)
        return self

    def __mul__(self, times):
        result = self.copy()
        result *= times
        return result

    __rmul__ = __mul__

    def __imul__(self, times):
        if times <= 0:
            self.clear()
            return self
        live = self._live()
        for _ in range(times - 1):
            self.extend(live)
        return self

    def __reduce__(self):
        return type(self), (list(self), self._maxlen)

    def __class_getitem__(cls, item):
        return cls


# ---------------------------------------------------------------- defaultdict

class defaultdict(dict):
    """defaultdict(default_factory=None, /, [...]) --> dict with default
    factory
    """

    def __init__(self, default_factory=None, /, *args, **kwargs):
        if default_factory is not None and not callable(default_factory):
            raise TypeError('first argument must be callable or None')
        self.default_factory = default_factory
        dict.__init__(self, *args, **kwargs)

    def __missing__(self, key):
        factory = self.default_factory
        if factory is None:
            raise KeyError(key)
        value = factory()
        if type(self).__setitem__ is dict.__setitem__:
            # One step: threads missing the same key all get the value
            # that stays (d[k].append(x) from several threads loses nothing).
            return dict.setdefault(self, key, value)
        self[key] = value
        return value

    def __repr__(self):
        factory = self.default_factory
        if factory is None:
            factory_text = 'None'
        else:
            factory_text = _guarded_repr(factory, lambda: repr(factory))
        body = _guarded_repr(self, lambda: dict.__repr__(self))
        if body == '...':
            body = '{...}'
        return f'{type(self).__name__}({factory_text}, {body})'

    def copy(self):
        """D.copy() -> a shallow copy of D."""
        return type(self)(self.default_factory, self)

    __copy__ = copy

    def __reduce__(self):
        return (type(self), (self.default_factory,), None, None,
                iter(self.items()))

    def __or__(self, other):
        if not isinstance(other, dict):
            return NotImplemented
        result = self.copy()
        result.update(other)
        return result

    def __ror__(self, other):
        if not isinstance(other, dict):
            return NotImplemented
        result = type(self)(self.default_factory, other)
        result.update(self)
        return result

    def __ior__(self, other):
        self.update(other)
        return self


# ---------------------------------------------------------------- OrderedDict

class OrderedDict(dict):
    """Dictionary that remembers insertion order, with order-sensitive
    equality, move_to_end() and popitem(last=...)."""

    def __init__(self, other=(), /, **kwds):
        self.update(other, **kwds)

    def update(self, other=(), /, **kwds):
        """Update from a mapping or iterable of pairs, then keywords."""
        if isinstance(other, dict):
            for key in other:
                self[key] = other[key]
        elif hasattr(other, 'keys'):
            for key in other.keys():
                self[key] = other[key]
        else:
            for key, value in other:
                self[key] = value
        for key, value in kwds.items():
            self[key] = value

    def move_to_end(self, key, last=True):
        """Move an existing element to the end (or beginning if last is
        false). Raise KeyError if the element does not exist."""
        _move_to_end(self, key, last)

    def popitem(self, last=True):
        """Remove and return a (key, value) pair from the dictionary.

        Pairs are returned in LIFO order if last is true or FIFO order if
        false.
        """
        if last:
            if not self:
                raise KeyError('dictionary is empty')
            return dict.popitem(self)
        # The oldest key, then that key removed: another thread may change
        # the dict in between (or during `iter`), so each step that finds
        # it changed starts again rather than fail.
        missing = object()
        while True:
            try:
                key = next(iter(dict.keys(self)))
            except StopIteration:
                raise KeyError('dictionary is empty') from None
            except RuntimeError:
                continue
            value = dict.pop(self, key, missing)
            if value is not missing:
                return key, value

    def __reversed__(self):
        return reversed(list(dict.keys(self)))

    def __eq__(self, other):
        if isinstance(other, OrderedDict):
            if len(self) != len(other):
                return False
            for (key, value), (other_key, other_value) in zip(
                    dict.items(self), dict.items(other)):
                if key != other_key or not (value is other_value
                                            or value == other_value):
                    return False
            return True
        return dict.__eq__(self, other)

    def __ne__(self, other):
        result = self.__eq__(other)
        if result is NotImplemented:
            return result
        return not result

    __hash__ = None

    def __repr__(self):
        if not self:
            return f'{type(self).__name__}()'

        def make():
            return f'{type(self).__name__}({list(self.items())!r})'
        text = _guarded_repr(self, make)
        return '...' if text == '...' else text

    def __reduce__(self):
        state = vars(self).copy() if hasattr(self, '__dict__') else None
        return type(self), (), state or None, None, iter(self.items())

    def copy(self):
        """od.copy() -> a shallow copy of od"""
        return type(self)(self)

    __copy__ = copy

    @classmethod
    def fromkeys(cls, iterable, value=None):
        """Create a new ordered dictionary with keys from iterable and
        values set to value."""
        result = cls()
        for key in iterable:
            result[key] = value
        return result

    def setdefault(self, key, default=None):
        """Insert key with a value of default if key is not in the
        dictionary. Return the value for key if key is in the dictionary,
        else default."""
        if key in self:
            return self[key]
        self[key] = default
        return default

    def __or__(self, other):
        if not isinstance(other, dict):
            return NotImplemented
        result = type(self)(self)
        result.update(other)
        return result

    def __ror__(self, other):
        if not isinstance(other, dict):
            return NotImplemented
        result = type(self)(other)
        result.update(self)
        return result

    def __ior__(self, other):
        self.update(other)
        return self


# ---------------------------------------------------------------- namedtuple

class _tuplegetter:
    # Read-only descriptor for one field of a named tuple.

    __slots__ = ('_index', '__doc__')

    def __init__(self, index, doc):
        self._index = index
        self.__doc__ = doc

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return instance[self._index]

    def __set__(self, instance, value):
        raise AttributeError("can't set attribute")

    def __delete__(self, instance):
        raise AttributeError("can't delete attribute")


def namedtuple(typename, field_names, *, rename=False, defaults=None,
               module=None):
    """Returns a new subclass of tuple with named fields."""
    if isinstance(field_names, str):
        field_names = field_names.replace(',', ' ').split()
    field_names = list(map(str, field_names))
    typename = _sys.intern(str(typename))

    if rename:
        seen = set()
        for index, name in enumerate(field_names):
            if (not name.isidentifier() or _iskeyword(name)
                    or name.startswith('_') or name in seen):
                field_names[index] = f'_{index}'
            seen.add(name)

    for name in [typename] + field_names:
        if type(name) is not str:
            raise TypeError('Type names and field names must be strings')
        if not name.isidentifier():
            raise ValueError('Type names and field names must be valid '
                             f'identifiers: {name!r}')
        if _iskeyword(name):
            raise ValueError('Type names and field names cannot be a '
                             f'keyword: {name!r}')

    seen = set()
    for name in field_names:
        if name.startswith('_') and not rename:
            raise ValueError('Field names cannot start with an underscore: '
                             f'{name!r}')
        if name in seen:
            raise ValueError(f'Encountered duplicate field name: {name!r}')
        seen.add(name)

    field_defaults = {}
    if defaults is not None:
        defaults = tuple(defaults)
        if len(defaults) > len(field_names):
            raise TypeError('Got more default values than field names')
        field_defaults = dict(reversed(list(zip(reversed(field_names),
                                                reversed(defaults)))))

    field_names = tuple(map(_sys.intern, field_names))
    field_count = len(field_names)
    parameters = []
    namespace = {'_tuple_new': tuple.__new__}
    for name in field_names:
        if name in field_defaults:
            default_name = f'_default_{len(namespace)}'
            namespace[default_name] = field_defaults[name]
            parameters.append(f'{name}={default_name}')
        else:
            parameters.append(name)
    values = ', '.join(field_names)
    if field_count == 1:
        values += ','
    source = (f"def __new__(_cls, {', '.join(parameters)}):\n"
              f'    return _tuple_new(_cls, ({values}))\n')
    exec(source, namespace)
    __new__ = namespace['__new__']
    __new__.__doc__ = f'Create new instance of {typename}({values.rstrip(",")})'

    @classmethod
    def _make(cls, iterable):
        result = tuple.__new__(cls, iterable)
        if len(result) != field_count:
            raise TypeError(f'Expected {field_count} arguments, '
                            f'got {len(result)}')
        return result

    def _replace(self, /, **kwds):
        result = self._make(map(kwds.pop, field_names, self))
        if kwds:
            raise ValueError(f'Got unexpected field names: {list(kwds)!r}')
        return result

    def __repr__(self):
        parts = ', '.join(f'{name}={value!r}'
                          for name, value in zip(field_names, self))
        return f'{self.__class__.__name__}({parts})'

    def _asdict(self):
        """Return a new dict which maps field names to their values."""
        return dict(zip(self._fields, self))

    def __getnewargs__(self):
        """Return self as a plain tuple.  Used by copy and pickle."""
        return tuple(self)

    class_namespace = {
        '__doc__': f"{typename}({', '.join(field_names)})",
        '__slots__': (),
        '_fields': field_names,
        '_field_defaults': field_defaults,
        '__new__': __new__,
        '_make': _make,
        '_replace': _replace,
        '__repr__': __repr__,
        '_asdict': _asdict,
        '__getnewargs__': __getnewargs__,
        '__match_args__': field_names,
    }
    for index, name in enumerate(field_names):
        class_namespace[name] = _tuplegetter(index,
                                             f'Alias for field number {index}')

    result = type(typename, (tuple,), class_namespace)
    __new__.__qualname__ = f'{typename}.__new__'
    _make.__func__.__qualname__ = f'{typename}._make'
    _replace.__qualname__ = f'{typename}._replace'
    __repr__.__qualname__ = f'{typename}.__repr__'
    _asdict.__qualname__ = f'{typename}._asdict'
    __getnewargs__.__qualname__ = f'{typename}.__getnewargs__'

    if module is None:
        module = '__main__'
    result.__module__ = module
    return result


# ---------------------------------------------------------------- Counter

def _count_elements(mapping, iterable):
    get = mapping.get
    if _is_shared(mapping):
        # CPython counts in C, each count atomic under its lock: threads
        # updating one Counter lose none. Here each takes the Counter's
        # section: once for a built-in collection, whose iteration runs no
        # Python code that could wait for another thread; else per element.
        from _atomic import section
        lock = section(mapping)
        if type(iterable) in _PLAIN_COLLECTIONS:
            with lock:
                for element in iterable:
                    mapping[element] = get(element, 0) + 1
        else:
            for element in iterable:
                with lock:
                    mapping[element] = get(element, 0) + 1
        return
    for element in iterable:
        mapping[element] = get(element, 0) + 1


_PLAIN_COLLECTIONS = (list, tuple, str, bytes, range, set, frozenset, dict)


class Counter(dict):
    """Dict subclass for counting hashable items."""

    def __init__(self, iterable=None, /, **kwds):
        dict.__init__(self)
        self.update(iterable, **kwds)

    def __missing__(self, key):
        """The count of elements not in the Counter is zero."""
        return 0

    def total(self):
        """Sum of the counts"""
        return sum(self.values())

    def most_common(self, n=None):
        """List the n most common elements and their counts from the most
        common to the least.  If n is None, then list all element counts.
        """
        ordered = sorted(self.items(), key=_itemgetter(1), reverse=True)
        if n is None:
            return ordered
        return ordered[:max(n, 0)]

    def elements(self):
        """Iterator over elements repeating each as many times as its count."""
        return _repeat_elements(list(self.items()))

    @classmethod
    def fromkeys(cls, iterable, v=None):
        raise NotImplementedError(
            'Counter.fromkeys() is undefined.  Use Counter(iterable) instead.')

    def update(self, iterable=None, /, **kwds):
        """Like dict.update() but add counts instead of replacing them."""
        if iterable is not None:
            if isinstance(iterable, _Mapping):
                if self:
                    get = self.get
                    for element, count in iterable.items():
                        self[element] = count + get(element, 0)
                else:
                    dict.update(self, iterable)
            else:
                _count_elements(self, iterable)
        if kwds:
            self.update(kwds)

    def subtract(self, iterable=None, /, **kwds):
        """Like dict.update() but subtracts counts instead of replacing them."""
        if iterable is not None:
            get = self.get
            if isinstance(iterable, _Mapping):
                for element, count in iterable.items():
                    self[element] = get(element, 0) - count
            else:
                for element in iterable:
                    self[element] = get(element, 0) - 1
        if kwds:
            self.subtract(kwds)

    def copy(self):
        """Return a shallow copy."""
        return self.__class__(self)

    def __reduce__(self):
        return self.__class__, (dict(self),)

    def __delitem__(self, element):
        """Like dict.__delitem__() but does not raise KeyError for missing
        values."""
        if element in self:
            dict.__delitem__(self, element)

    def __repr__(self):
        if not self:
            return f'{self.__class__.__name__}()'
        try:
            body = dict(self.most_common())
        except TypeError:
            body = dict(self)
        return f'{self.__class__.__name__}({body!r})'

    # -- comparisons (multiset semantics, missing counts are zero)

    def __eq__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return all(self[e] == other[e] for c in (self, other) for e in c)

    def __ne__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return not self == other

    def __le__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return all(self[e] <= other[e] for c in (self, other) for e in c)

    def __lt__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return self <= other and self != other

    def __ge__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return all(self[e] >= other[e] for c in (self, other) for e in c)

    def __gt__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return self >= other and self != other

    __hash__ = None

    # -- multiset arithmetic

    def __add__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        result = Counter()
        for element, count in self.items():
            total = count + other[element]
            if total > 0:
                result[element] = total
        for element, count in other.items():
            if element not in self and count > 0:
                result[element] = count
        return result

    def __sub__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        result = Counter()
        for element, count in self.items():
            difference = count - other[element]
            if difference > 0:
                result[element] = difference
        for element, count in other.items():
            if element not in self and count < 0:
                result[element] = 0 - count
        return result

    def __or__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        result = Counter()
        for element, count in self.items():
            other_count = other[element]
            largest = other_count if count < other_count else count
            if largest > 0:
                result[element] = largest
        for element, count in other.items():
            if element not in self and count > 0:
                result[element] = count
        return result

    def __and__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        result = Counter()
        for element, count in self.items():
            other_count = other[element]
            smallest = count if count < other_count else other_count
            if smallest > 0:
                result[element] = smallest
        return result

    def __pos__(self):
        """Adds an empty counter, effectively stripping negative and zero
        counts"""
        result = Counter()
        for element, count in self.items():
            if count > 0:
                result[element] = count
        return result

    def __neg__(self):
        """Subtracts from an empty counter.  Strips positive and zero counts,
        and flips the sign on negative counts."""
        result = Counter()
        for element, count in self.items():
            if count < 0:
                result[element] = 0 - count
        return result

    def _keep_positive(self):
        """Internal method to strip elements with a negative or zero count"""
        for element in [e for e, count in self.items() if not count > 0]:
            dict.__delitem__(self, element)
        return self

    def __iadd__(self, other):
        for element, count in other.items():
            self[element] += count
        return self._keep_positive()

    def __isub__(self, other):
        for element, count in other.items():
            self[element] -= count
        return self._keep_positive()

    def __ior__(self, other):
        for element, other_count in other.items():
            count = self[element]
            if other_count > count:
                self[element] = other_count
        return self._keep_positive()

    def __iand__(self, other):
        for element, count in list(self.items()):
            other_count = other[element]
            if other_count < count:
                self[element] = other_count
        return self._keep_positive()


def _repeat_elements(pairs):
    for element, count in pairs:
        for _ in range(count):
            yield element


# ---------------------------------------------------------------- ChainMap

class ChainMap(_MutableMapping):
    """A ChainMap groups multiple dicts (or other mappings) together to
    create a single, updateable view.
    """

    def __init__(self, *maps):
        self.maps = list(maps) or [{}]

    def __missing__(self, key):
        raise KeyError(key)

    def __getitem__(self, key):
        for mapping in self.maps:
            try:
                return mapping[key]
            except KeyError:
                pass
        return self.__missing__(key)

    def get(self, key, default=None):
        return self[key] if key in self else default

    def __len__(self):
        return len(set().union(*self.maps))

    def __iter__(self):
        merged = {}
        for mapping in reversed(self.maps):
            for key in mapping:
                merged[key] = None
        return iter(merged)

    def __contains__(self, key):
        return any(key in mapping for mapping in self.maps)

    def __bool__(self):
        return any(self.maps)

    def __repr__(self):
        def make():
            return f"{self.__class__.__name__}({', '.join(map(repr, self.maps))})"
        return _guarded_repr(self, make)

    @classmethod
    def fromkeys(cls, iterable, *args):
        """Create a ChainMap with a single dict created from the iterable."""
        return cls(dict.fromkeys(iterable, *args))

    def copy(self):
        """New ChainMap or subclass with a new copy of maps[0] and refs to
        maps[1:]"""
        return self.__class__(self.maps[0].copy(), *self.maps[1:])

    __copy__ = copy

    def new_child(self, m=None, **kwargs):
        """New ChainMap with a new map followed by all previous maps."""
        if m is None:
            m = kwargs
        elif kwargs:
            m.update(kwargs)
        return self.__class__(m, *self.maps)

    @property
    def parents(self):
        """New ChainMap from maps[1:]."""
        return self.__class__(*self.maps[1:])

    def __setitem__(self, key, value):
        self.maps[0][key] = value

    def __delitem__(self, key):
        try:
            del self.maps[0][key]
        except KeyError:
            raise KeyError(f'Key not found in the first mapping: {key!r}')

    def popitem(self):
        """Remove and return an item pair from maps[0]. Raise KeyError is
        maps[0] is empty."""
        try:
            return self.maps[0].popitem()
        except KeyError:
            raise KeyError('No keys found in the first mapping.')

    def pop(self, key, *args):
        """Remove *key* from maps[0] and return its value. Raise KeyError if
        *key* not in maps[0]."""
        try:
            return self.maps[0].pop(key, *args)
        except KeyError:
            raise KeyError(f'Key not found in the first mapping: {key!r}')

    def clear(self):
        """Clear maps[0], leaving maps[1:] intact."""
        self.maps[0].clear()

    def __ior__(self, other):
        self.maps[0].update(other)
        return self

    def __or__(self, other):
        if not isinstance(other, _Mapping):
            return NotImplemented
        result = self.copy()
        result.maps[0].update(other)
        return result

    def __ror__(self, other):
        if not isinstance(other, _Mapping):
            return NotImplemented
        merged = dict(other)
        for child in reversed(self.maps):
            merged.update(child)
        return self.__class__(merged)


# ---------------------------------------------------------------- User* wrappers

class UserDict(_MutableMapping):
    """A dict-like class that keeps its contents in the `data` attribute."""

    def __init__(self, dict=None, /, **kwargs):
        self.data = {}
        if dict is not None:
            self.update(dict)
        if kwargs:
            self.update(kwargs)

    def __len__(self):
        return len(self.data)

    def __getitem__(self, key):
        if key in self.data:
            return self.data[key]
        if hasattr(self.__class__, '__missing__'):
            return self.__class__.__missing__(self, key)
        raise KeyError(key)

    def __setitem__(self, key, item):
        self.data[key] = item

    def __delitem__(self, key):
        del self.data[key]

    def __iter__(self):
        return iter(self.data)

    def __contains__(self, key):
        return key in self.data

    def get(self, key, default=None):
        if key in self:
            return self[key]
        return default

    def __repr__(self):
        return repr(self.data)

    def __or__(self, other):
        if isinstance(other, UserDict):
            return self.__class__(self.data | other.data)
        if isinstance(other, dict):
            return self.__class__(self.data | other)
        return NotImplemented

    def __ror__(self, other):
        if isinstance(other, UserDict):
            return self.__class__(other.data | self.data)
        if isinstance(other, dict):
            return self.__class__(other | self.data)
        return NotImplemented

    def __ior__(self, other):
        if isinstance(other, UserDict):
            self.data |= other.data
        else:
            self.data |= other
        return self

    def __copy__(self):
        result = self.__class__.__new__(self.__class__)
        result.__dict__.update(self.__dict__)
        result.__dict__['data'] = self.__dict__['data'].copy()
        return result

    def copy(self):
        if self.__class__ is UserDict:
            return UserDict(self.data.copy())
        import copy
        data = self.data
        try:
            self.data = {}
            result = copy.copy(self)
        finally:
            self.data = data
        result.update(self)
        return result

    @classmethod
    def fromkeys(cls, iterable, value=None):
        result = cls()
        for key in iterable:
            result[key] = value
        return result


class UserList(_MutableSequence):
    """A list-like class that keeps its contents in the `data` attribute."""

    def __init__(self, initlist=None):
        self.data = []
        if initlist is not None:
            if type(initlist) == type(self.data):
                self.data[:] = initlist
            elif isinstance(initlist, UserList):
                self.data[:] = initlist.data[:]
            else:
                self.data = list(initlist)

    def __repr__(self):
        return repr(self.data)

    def __lt__(self, other):
        return self.data < self.__cast(other)

    def __le__(self, other):
        return self.data <= self.__cast(other)

    def __eq__(self, other):
        return self.data == self.__cast(other)

    def __gt__(self, other):
        return self.data > self.__cast(other)

    def __ge__(self, other):
        return self.data >= self.__cast(other)

    def __cast(self, other):
        return other.data if isinstance(other, UserList) else other

    def __contains__(self, item):
        return item in self.data

    def __len__(self):
        return len(self.data)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return self.__class__(self.data[i])
        return self.data[i]

    def __setitem__(self, i, item):
        self.data[i] = item

    def __delitem__(self, i):
        del self.data[i]

    def __add__(self, other):
        if isinstance(other, UserList):
            return self.__class__(self.data + other.data)
        if isinstance(other, type(self.data)):
            return self.__class__(self.data + other)
        return self.__class__(self.data + list(other))

    def __radd__(self, other):
        if isinstance(other, UserList):
            return self.__class__(other.data + self.data)
        if isinstance(other, type(self.data)):
            return self.__class__(other + self.data)
        return self.__class__(list(other) + self.data)

    def __iadd__(self, other):
        if isinstance(other, UserList):
            self.data += other.data
        elif isinstance(other, type(self.data)):
            self.data += other
        else:
            self.data += list(other)
        return self

    def __mul__(self, n):
        return self.__class__(self.data * n)

    __rmul__ = __mul__

    def __imul__(self, n):
        self.data *= n
        return self

    def __copy__(self):
        result = self.__class__.__new__(self.__class__)
        result.__dict__.update(self.__dict__)
        result.__dict__['data'] = self.__dict__['data'][:]
        return result

    def append(self, item):
        self.data.append(item)

    def insert(self, i, item):
        self.data.insert(i, item)

    def pop(self, i=-1):
        return self.data.pop(i)

    def remove(self, item):
        self.data.remove(item)

    def clear(self):
        self.data.clear()

    def copy(self):
        return self.__class__(self)

    def count(self, item):
        return self.data.count(item)

    def index(self, item, *args):
        return self.data.index(item, *args)

    def reverse(self):
        self.data.reverse()

    def sort(self, /, *args, **kwds):
        self.data.sort(*args, **kwds)

    def extend(self, other):
        if isinstance(other, UserList):
            self.data.extend(other.data)
        else:
            self.data.extend(other)


class UserString(_Sequence):
    """A str-like class that keeps its contents in the `data` attribute."""

    def __init__(self, seq):
        if isinstance(seq, str):
            self.data = seq
        elif isinstance(seq, UserString):
            self.data = seq.data[:]
        else:
            self.data = str(seq)

    def __str__(self):
        return str(self.data)

    def __repr__(self):
        return repr(self.data)

    def __int__(self):
        return int(self.data)

    def __float__(self):
        return float(self.data)

    def __hash__(self):
        return hash(self.data)

    def __getnewargs__(self):
        return (self.data[:],)

    def __eq__(self, string):
        if isinstance(string, UserString):
            return self.data == string.data
        return self.data == string

    def __lt__(self, string):
        if isinstance(string, UserString):
            return self.data < string.data
        return self.data < string

    def __le__(self, string):
        if isinstance(string, UserString):
            return self.data <= string.data
        return self.data <= string

    def __gt__(self, string):
        if isinstance(string, UserString):
            return self.data > string.data
        return self.data > string

    def __ge__(self, string):
        if isinstance(string, UserString):
            return self.data >= string.data
        return self.data >= string

    def __contains__(self, char):
        if isinstance(char, UserString):
            char = char.data
        return char in self.data

    def __len__(self):
        return len(self.data)

    def __getitem__(self, index):
        return self.__class__(self.data[index])

    def __add__(self, other):
        if isinstance(other, UserString):
            return self.__class__(self.data + other.data)
        elif isinstance(other, str):
            return self.__class__(self.data + other)
        return self.__class__(self.data + str(other))

    def __radd__(self, other):
        if isinstance(other, str):
            return self.__class__(other + self.data)
        return self.__class__(str(other) + self.data)

    def __mul__(self, n):
        return self.__class__(self.data * n)

    __rmul__ = __mul__

    def __mod__(self, args):
        return self.__class__(self.data % args)

    def capitalize(self):
        return self.__class__(self.data.capitalize())

    def casefold(self):
        return self.__class__(self.data.casefold())

    def center(self, width, *args):
        return self.__class__(self.data.center(width, *args))

    def count(self, sub, start=0, end=9223372036854775807):
        if isinstance(sub, UserString):
            sub = sub.data
        return self.data.count(sub, start, end)

    def endswith(self, suffix, start=0, end=9223372036854775807):
        return self.data.endswith(suffix, start, end)

    def find(self, sub, start=0, end=9223372036854775807):
        if isinstance(sub, UserString):
            sub = sub.data
        return self.data.find(sub, start, end)

    def format(self, /, *args, **kwds):
        return self.data.format(*args, **kwds)

    def index(self, sub, start=0, end=9223372036854775807):
        return self.data.index(sub, start, end)

    def isalpha(self):
        return self.data.isalpha()

    def isalnum(self):
        return self.data.isalnum()

    def isdecimal(self):
        return self.data.isdecimal()

    def isdigit(self):
        return self.data.isdigit()

    def isidentifier(self):
        return self.data.isidentifier()

    def islower(self):
        return self.data.islower()

    def isnumeric(self):
        return self.data.isnumeric()

    def isspace(self):
        return self.data.isspace()

    def istitle(self):
        return self.data.istitle()

    def isupper(self):
        return self.data.isupper()

    def join(self, seq):
        return self.data.join(seq)

    def ljust(self, width, *args):
        return self.__class__(self.data.ljust(width, *args))

    def lower(self):
        return self.__class__(self.data.lower())

    def lstrip(self, chars=None):
        return self.__class__(self.data.lstrip(chars))

    def partition(self, sep):
        return self.data.partition(sep)

    def replace(self, old, new, maxsplit=-1):
        if isinstance(old, UserString):
            old = old.data
        if isinstance(new, UserString):
            new = new.data
        return self.__class__(self.data.replace(old, new, maxsplit))

    def rfind(self, sub, start=0, end=9223372036854775807):
        if isinstance(sub, UserString):
            sub = sub.data
        return self.data.rfind(sub, start, end)

    def rindex(self, sub, start=0, end=9223372036854775807):
        return self.data.rindex(sub, start, end)

    def rjust(self, width, *args):
        return self.__class__(self.data.rjust(width, *args))

    def rpartition(self, sep):
        return self.data.rpartition(sep)

    def rstrip(self, chars=None):
        return self.__class__(self.data.rstrip(chars))

    def split(self, sep=None, maxsplit=-1):
        return self.data.split(sep, maxsplit)

    def rsplit(self, sep=None, maxsplit=-1):
        return self.data.rsplit(sep, maxsplit)

    def splitlines(self, keepends=False):
        return self.data.splitlines(keepends)

    def startswith(self, prefix, start=0, end=9223372036854775807):
        return self.data.startswith(prefix, start, end)

    def strip(self, chars=None):
        return self.__class__(self.data.strip(chars))

    def swapcase(self):
        return self.__class__(self.data.swapcase())

    def title(self):
        return self.__class__(self.data.title())

    def upper(self):
        return self.__class__(self.data.upper())

    def zfill(self, width):
        return self.__class__(self.data.zfill(width))
