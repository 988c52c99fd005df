"""Higher-order functions and operations on callables (functools module).

Owns reduce, partial/partialmethod, update_wrapper/wraps, the lru_cache
family, total_ordering, cmp_to_key, cached_property and singledispatch,
written for protoPython with CPython 3.11's behaviour and messages.
"""

__all__ = [
    'update_wrapper', 'wraps', 'WRAPPER_ASSIGNMENTS', 'WRAPPER_UPDATES',
    'total_ordering', 'cache', 'cmp_to_key', 'lru_cache', 'reduce',
    'partial', 'partialmethod', 'singledispatch', 'singledispatchmethod',
    'cached_property',
]

WRAPPER_ASSIGNMENTS = ('__module__', '__name__', '__qualname__', '__doc__',
                       '__annotations__')
WRAPPER_UPDATES = ('__dict__',)


def update_wrapper(wrapper, wrapped, assigned=WRAPPER_ASSIGNMENTS,
                   updated=WRAPPER_UPDATES):
    """Copy the identity attributes of `wrapped` onto `wrapper`."""
    for name in assigned:
        try:
            value = getattr(wrapped, name)
        except AttributeError:
            continue
        try:
            setattr(wrapper, name, value)
        except (AttributeError, TypeError):
            pass
    for name in updated:
        try:
            target = getattr(wrapper, name)
        except AttributeError:
            continue
        try:
            source = getattr(wrapped, name)
        except AttributeError:
            source = {}
        target.update(source)
    try:
        wrapper.__wrapped__ = wrapped
    except (AttributeError, TypeError):
        pass
    return wrapper


def wraps(wrapped, assigned=WRAPPER_ASSIGNMENTS, updated=WRAPPER_UPDATES):
    """Decorator form of update_wrapper."""
    def decorate(wrapper):
        return update_wrapper(wrapper, wrapped, assigned, updated)
    return decorate


# ---------------------------------------------------------------- reduce

_NO_INITIAL = object()


def reduce(function, sequence, initial=_NO_INITIAL):
    """reduce(function, iterable[, initial]) -> value

    Apply a function of two arguments cumulatively to the items of an
    iterable, from left to right, reducing it to a single value.
    """
    try:
        iterator = iter(sequence)
    except TypeError:
        raise TypeError('reduce() arg 2 must support iteration') from None
    if initial is _NO_INITIAL:
        try:
            accumulated = next(iterator)
        except StopIteration:
            raise TypeError(
                'reduce() of empty iterable with no initial value') from None
    else:
        accumulated = initial
    for item in iterator:
        accumulated = function(accumulated, item)
    return accumulated


# ---------------------------------------------------------------- partial

class partial:
    """New function with partial application of the given arguments
    and keywords.
    """

    __slots__ = ('func', 'args', 'keywords', '__dict__')

    def __new__(cls, func=_NO_INITIAL, /, *args, **keywords):
        if func is _NO_INITIAL:
            raise TypeError('type \'partial\' takes at least one argument')
        if not callable(func):
            raise TypeError('the first argument must be callable')
        if isinstance(func, partial) and type(func) is partial:
            args = func.args + args
            keywords = {**func.keywords, **keywords}
            func = func.func
        self = object.__new__(cls)
        self.func = func
        self.args = tuple(args)
        self.keywords = keywords
        return self

    def __call__(self, /, *args, **keywords):
        keywords = {**self.keywords, **keywords}
        return self.func(*self.args, *args, **keywords)

    def __repr__(self):
        parts = [repr(self.func)]
        parts.extend(repr(arg) for arg in self.args)
        parts.extend(f'{key}={value!r}' for key, value in self.keywords.items())
        name = type(self).__qualname__
        if type(self) is partial:
            name = 'functools.partial'
        return f"{name}({', '.join(parts)})"

    def __reduce__(self):
        return (type(self), (self.func,), (self.func, self.args,
                                           self.keywords or None, None))


class partialmethod:
    """A descriptor that applies partial arguments when bound as a method."""

    def __init__(self, func, /, *args, **keywords):
        if not callable(func) and not hasattr(func, '__get__'):
            raise TypeError(f'{func!r} is not callable or a descriptor')
        if isinstance(func, partialmethod):
            self.func = func.func
            self.args = func.args + args
            self.keywords = {**func.keywords, **keywords}
        else:
            self.func = func
            self.args = args
            self.keywords = keywords

    def __repr__(self):
        parts = [repr(self.func)]
        parts.extend(repr(arg) for arg in self.args)
        parts.extend(f'{key}={value!r}' for key, value in self.keywords.items())
        return f"functools.partialmethod({', '.join(parts)})"

    def __get__(self, obj, cls=None):
        getter = getattr(self.func, '__get__', None)
        if isinstance(self.func, (staticmethod, classmethod)) and getter:
            bound = getter(obj, cls)
            return partial(bound, *self.args, **self.keywords)
        if obj is None:
            method = self

            def unbound(owner, /, *args, **keywords):
                keywords = {**method.keywords, **keywords}
                return method.func(owner, *method.args, *args, **keywords)
            return unbound
        return partial(self.func, obj, *self.args, **self.keywords)

    @property
    def __isabstractmethod__(self):
        return getattr(self.func, '__isabstractmethod__', False)


# ---------------------------------------------------------------- ordering

def _greater_from_less(self, other):
    result = type(self).__lt__(self, other)
    if result is NotImplemented:
        return result
    return not result and self != other


def _less_equal_from_less(self, other):
    result = type(self).__lt__(self, other)
    if result is NotImplemented:
        return result
    return result or self == other


def _greater_equal_from_less(self, other):
    result = type(self).__lt__(self, other)
    if result is NotImplemented:
        return result
    return not result


def _greater_equal_from_less_equal(self, other):
    result = type(self).__le__(self, other)
    if result is NotImplemented:
        return result
    return not result or self == other


def _less_from_less_equal(self, other):
    result = type(self).__le__(self, other)
    if result is NotImplemented:
        return result
    return result and self != other


def _greater_from_less_equal(self, other):
    result = type(self).__le__(self, other)
    if result is NotImplemented:
        return result
    return not result


def _less_from_greater(self, other):
    result = type(self).__gt__(self, other)
    if result is NotImplemented:
        return result
    return not result and self != other


def _greater_equal_from_greater(self, other):
    result = type(self).__gt__(self, other)
    if result is NotImplemented:
        return result
    return result or self == other


def _less_equal_from_greater(self, other):
    result = type(self).__gt__(self, other)
    if result is NotImplemented:
        return result
    return not result


def _less_equal_from_greater_equal(self, other):
    result = type(self).__ge__(self, other)
    if result is NotImplemented:
        return result
    return not result or self == other


def _greater_from_greater_equal(self, other):
    result = type(self).__ge__(self, other)
    if result is NotImplemented:
        return result
    return result and self != other


def _less_from_greater_equal(self, other):
    result = type(self).__ge__(self, other)
    if result is NotImplemented:
        return result
    return not result


_DERIVED_COMPARISONS = {
    '__lt__': [('__gt__', _greater_from_less),
               ('__le__', _less_equal_from_less),
               ('__ge__', _greater_equal_from_less)],
    '__le__': [('__ge__', _greater_equal_from_less_equal),
               ('__lt__', _less_from_less_equal),
               ('__gt__', _greater_from_less_equal)],
    '__gt__': [('__lt__', _less_from_greater),
               ('__ge__', _greater_equal_from_greater),
               ('__le__', _less_equal_from_greater)],
    '__ge__': [('__le__', _less_equal_from_greater_equal),
               ('__gt__', _greater_from_greater_equal),
               ('__lt__', _less_from_greater_equal)],
}


def _defines_own(cls, name):
    """Whether `cls` (or a base other than object) defines comparison `name`."""
    for klass in cls.__mro__:
        if klass is object:
            return False
        if name in klass.__dict__:
            return klass.__dict__[name] is not None
    return False


def total_ordering(cls):
    """Class decorator that fills in missing ordering methods."""
    roots = [name for name in ('__lt__', '__le__', '__gt__', '__ge__')
             if _defines_own(cls, name)]
    if not roots:
        raise ValueError(
            'must define at least one ordering operation: < > <= >=')
    root = roots[0]
    for name, method in _DERIVED_COMPARISONS[root]:
        if name not in roots:
            method = _renamed(method, name, cls)
            setattr(cls, name, method)
    return cls


def _renamed(method, name, cls):
    def comparison(self, other):
        return method(self, other)
    comparison.__name__ = name
    comparison.__qualname__ = f'{cls.__qualname__}.{name}'
    return comparison


def cmp_to_key(mycmp):
    """Convert a cmp= function into a key= function."""
    class K:
        __slots__ = ('obj',)

        def __init__(self, obj):
            self.obj = obj

        def __lt__(self, other):
            return mycmp(self.obj, other.obj) < 0

        def __gt__(self, other):
            return mycmp(self.obj, other.obj) > 0

        def __eq__(self, other):
            return mycmp(self.obj, other.obj) == 0

        def __le__(self, other):
            return mycmp(self.obj, other.obj) <= 0

        def __ge__(self, other):
            return mycmp(self.obj, other.obj) >= 0

        __hash__ = None
    K.__name__ = 'KeyWrapper'
    K.__qualname__ = 'functools.KeyWrapper'
    return K


# ---------------------------------------------------------------- caches

_KEYWORD_MARK = object()


class _CacheKey(tuple):
    """A tuple key that remembers its hash (computed once)."""

    __slots__ = ()


def _make_key(args, kwds, typed):
    key = args
    if kwds:
        key += (_KEYWORD_MARK,)
        for item in kwds.items():
            key += item
    if typed:
        key += tuple(type(value) for value in args)
        if kwds:
            key += tuple(type(value) for value in kwds.values())
    elif len(key) == 1 and type(key[0]) in (int, str):
        return key[0]
    return key


_CacheInfo = None


def _cache_info_type():
    global _CacheInfo
    if _CacheInfo is None:
        from collections import namedtuple
        _CacheInfo = namedtuple(
            'CacheInfo', ['hits', 'misses', 'maxsize', 'currsize'])
    return _CacheInfo


def lru_cache(maxsize=128, typed=False):
    """Least-recently-used cache decorator."""
    if isinstance(maxsize, int):
        if maxsize < 0:
            maxsize = 0
    elif callable(maxsize) and isinstance(typed, bool):
        user_function, maxsize = maxsize, 128
        wrapper = _lru_cache_wrapper(user_function, maxsize, typed)
        wrapper.cache_parameters = lambda: {'maxsize': maxsize, 'typed': typed}
        return update_wrapper(wrapper, user_function)
    elif maxsize is not None:
        raise TypeError(
            'Expected first argument to be an integer, a callable, or None')

    def decorating_function(user_function):
        wrapper = _lru_cache_wrapper(user_function, maxsize, typed)
        wrapper.cache_parameters = lambda: {'maxsize': maxsize, 'typed': typed}
        return update_wrapper(wrapper, user_function)
    return decorating_function


_TALLY_LIMIT = 2 ** 62


def _tally():
    """A counter that threads advance at once without losing a step
    (`next(tally)`): a range iterator, whose position moves by
    compare-and-swap once shared, as CPython's C counters move under its
    lock."""
    return iter(range(_TALLY_LIMIT))


def _tallied(tally):
    return _TALLY_LIMIT - tally.__length_hint__()


def _lru_cache_wrapper(user_function, maxsize, typed):
    stored = {}
    counters = [_tally(), _tally()]   # hits, misses
    missing = object()

    if maxsize == 0:
        def wrapper(*args, **kwds):
            next(counters[1])
            return user_function(*args, **kwds)
    elif maxsize is None:
        def wrapper(*args, **kwds):
            key = _make_key(args, kwds, typed)
            result = stored.get(key, missing)
            if result is not missing:
                next(counters[0])
                return result
            next(counters[1])
            result = user_function(*args, **kwds)
            stored[key] = result
            return result
    else:
        def wrapper(*args, **kwds):
            key = _make_key(args, kwds, typed)
            result = stored.pop(key, missing)
            if result is not missing:
                stored[key] = result
                next(counters[0])
                return result
            next(counters[1])
            result = user_function(*args, **kwds)
            if key in stored:
                # A recursive call already cached this key.
                return result
            # Threads share the cache and run at once: another one may
            # evict the same oldest entry, or change the cache between
            # `iter` and `next`. Each step tolerates that instead of
            # locking (every entry it touches is one atomic dict operation).
            while len(stored) >= maxsize:
                try:
                    oldest = next(iter(stored))
                except StopIteration:
                    break
                except RuntimeError:
                    continue
                stored.pop(oldest, None)
            stored[key] = result
            return result

    def cache_info():
        """Report cache statistics."""
        return _cache_info_type()(_tallied(counters[0]), _tallied(counters[1]),
                                  maxsize, len(stored))

    def cache_clear():
        """Clear the cache and cache statistics."""
        stored.clear()
        counters[0] = _tally()
        counters[1] = _tally()

    wrapper.cache_info = cache_info
    wrapper.cache_clear = cache_clear
    return wrapper


def cache(user_function, /):
    """Simple lightweight unbounded cache (lru_cache(maxsize=None))."""
    return lru_cache(maxsize=None)(user_function)


# ---------------------------------------------------------------- cached_property

_NOT_FOUND = object()


class cached_property:
    """A property computed once per instance, then cached in its __dict__."""

    def __init__(self, func):
        self.func = func
        self.attrname = None
        self.__doc__ = func.__doc__
        self.__module__ = getattr(func, '__module__', None)

    def __set_name__(self, owner, name):
        if self.attrname is None:
            self.attrname = name
        elif name != self.attrname:
            raise TypeError(
                'Cannot assign the same cached_property to two different '
                f'names ({self.attrname!r} and {name!r}).')

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        if self.attrname is None:
            raise TypeError('Cannot use cached_property instance without '
                            'calling __set_name__ on it.')
        try:
            cache = instance.__dict__
        except AttributeError:
            message = (f"No '__dict__' attribute on {type(instance).__name__!r} "
                       f'instance to cache {self.attrname!r} property.')
            raise TypeError(message) from None
        value = cache.get(self.attrname, _NOT_FOUND)
        if value is _NOT_FOUND:
            value = self.func(instance)
            cache[self.attrname] = value
        return value

    def __class_getitem__(cls, item):
        return cls


# ---------------------------------------------------------------- singledispatch

def _find_implementation(cls, registry):
    mro = getattr(cls, '__mro__', (cls, object))
    for klass in mro:
        if klass in registry:
            return registry[klass]
    best = None
    for klass in registry:
        if klass is object:
            continue
        try:
            matches = issubclass(cls, klass)
        except TypeError:
            matches = False
        if matches:
            if best is None or issubclass(klass, best):
                best = klass
    if best is not None:
        return registry[best]
    return registry.get(object)


def _is_valid_dispatch_type(cls):
    if isinstance(cls, type):
        return True
    arguments = getattr(cls, '__args__', None)
    return bool(arguments) and all(isinstance(arg, type) for arg in arguments) \
        and type(cls).__name__ in ('UnionType', '_UnionGenericAlias')


def singledispatch(func):
    """Single-dispatch generic function decorator."""
    registry = {}
    dispatch_cache = {}

    def dispatch(cls):
        try:
            return dispatch_cache[cls]
        except KeyError:
            pass
        except TypeError:
            return _find_implementation(cls, registry)
        implementation = _find_implementation(cls, registry)
        dispatch_cache[cls] = implementation
        return implementation

    def register(cls, func=None):
        if _is_valid_dispatch_type(cls):
            if func is None:
                return lambda f: register(cls, f)
        else:
            if func is not None:
                raise TypeError(
                    f'Invalid first argument to `register()`. {cls!r} is not '
                    'a class or union type.')
            annotations = getattr(cls, '__annotations__', {})
            if not annotations:
                raise TypeError(
                    f'Invalid first argument to `register()`: {cls!r}. '
                    'Use either `@register(some_class)` or plain `@register` '
                    'on an annotated function.')
            func = cls
            argname, cls = next(iter(annotations.items()))
            if not _is_valid_dispatch_type(cls):
                raise TypeError(
                    f'Invalid annotation for {argname!r}. '
                    f'{cls!r} is not a class.')
        arguments = getattr(cls, '__args__', None)
        if not isinstance(cls, type) and arguments:
            for klass in arguments:
                registry[klass] = func
        else:
            registry[cls] = func
        dispatch_cache.clear()
        return func

    def wrapper(*args, **kw):
        if not args:
            raise TypeError(f'{funcname} requires at least '
                            '1 positional argument')
        return dispatch(args[0].__class__)(*args, **kw)

    funcname = getattr(func, '__name__', 'singledispatch function')
    registry[object] = func
    wrapper.register = register
    wrapper.dispatch = dispatch
    wrapper.registry = registry
    wrapper._clear_cache = dispatch_cache.clear
    update_wrapper(wrapper, func)
    return wrapper


class singledispatchmethod:
    """Single-dispatch generic method descriptor."""

    def __init__(self, func):
        if not callable(func) and not hasattr(func, '__get__'):
            raise TypeError(f'{func!r} is not callable or a descriptor')
        self.dispatcher = singledispatch(func)
        self.func = func

    def register(self, cls, method=None):
        return self.dispatcher.register(cls, func=method)

    def __get__(self, obj, cls=None):
        def _method(*args, **kwargs):
            method = self.dispatcher.dispatch(args[0].__class__)
            return method.__get__(obj, cls)(*args, **kwargs)
        _method.register = self.register
        update_wrapper(_method, self.func)
        return _method

    @property
    def __isabstractmethod__(self):
        return getattr(self.func, '__isabstractmethod__', False)
