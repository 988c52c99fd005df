"""Shallow and deep copy operations (copy module).

Owns copy() and deepcopy(): the immutable short-cuts, the built-in
containers, the __copy__/__deepcopy__ hooks, class-defined __reduce_ex__ /
__reduce__ results, and a generic copy of instances (their __dict__,
__slots__, __getstate__/__setstate__ and built-in base contents).
"""

__all__ = ['Error', 'copy', 'deepcopy']


class Error(Exception):
    pass


error = Error


def _function_sample():
    pass


_ATOMIC = {type(None), int, float, bool, complex, bytes, str, type,
           range, type(len), type(_function_sample), property,
           type(Ellipsis), type(NotImplemented), slice}
try:
    _ATOMIC.add(type(_function_sample.__code__))
except AttributeError:
    pass

_IMMUTABLE_CONTAINERS = (tuple, frozenset)
_BUILTIN_BASES = (int, float, complex, str, bytes, tuple, frozenset)


def _class_defines(cls, name):
    """The attribute `name` from the first class in cls's MRO that defines
    it, unless that class is object (or none does)."""
    for klass in cls.__mro__:
        if klass is object:
            return None
        if name in klass.__dict__:
            return klass.__dict__[name]
    return None


def copy(x):
    """Shallow copy operation on arbitrary Python objects."""
    cls = type(x)
    if cls in _ATOMIC or cls in _IMMUTABLE_CONTAINERS:
        return x
    if cls is list or cls is bytearray:
        return x[:]
    if cls is dict or cls is set:
        return x.copy()
    if issubclass(cls, type):
        return x
    copier = getattr(cls, '__copy__', None)
    if copier is not None:
        return copier(x)
    reduced = _reduce(x, cls)
    if reduced is not None:
        if isinstance(reduced, str):
            return x
        return _reconstruct(x, None, *reduced)
    return _generic(x, cls, None)


def deepcopy(x, memo=None, _nil=[]):
    """Deep copy operation on arbitrary Python objects."""
    if memo is None:
        memo = {}
    key = id(x)
    found = memo.get(key, _nil)
    if found is not _nil:
        return found
    cls = type(x)
    if cls in _ATOMIC or issubclass(cls, type):
        return x
    if cls is list:
        y = []
        memo[key] = y
        for item in x:
            y.append(deepcopy(item, memo))
    elif cls is dict:
        y = {}
        memo[key] = y
        for item_key, value in x.items():
            y[deepcopy(item_key, memo)] = deepcopy(value, memo)
    elif cls is tuple:
        copied = [deepcopy(item, memo) for item in x]
        # A cycle through the tuple may already have copied it.
        found = memo.get(key, _nil)
        if found is not _nil:
            return found
        changed = False
        for old, new in zip(x, copied):
            if old is not new:
                changed = True
                break
        y = tuple(copied) if changed else x
    elif cls is set:
        y = set()
        memo[key] = y
        for item in x:
            y.add(deepcopy(item, memo))
    elif cls is frozenset:
        y = frozenset(deepcopy(item, memo) for item in x)
    elif cls is bytearray:
        y = x[:]
    else:
        copier = getattr(x, '__deepcopy__', None)
        if copier is not None:
            y = copier(memo)
        else:
            reduced = _reduce(x, cls)
            if reduced is not None:
                if isinstance(reduced, str):
                    return x
                y = _reconstruct(x, memo, *reduced)
            else:
                y = _generic(x, cls, memo)
    if y is not x:
        memo[key] = y
        _keep_alive(x, memo)
    return y


def _keep_alive(x, memo):
    """Keep the original alive so its id() stays unique while memo lives."""
    try:
        memo[id(memo)].append(x)
    except KeyError:
        memo[id(memo)] = [x]


def _reduce(x, cls):
    """The class-defined __reduce_ex__(4) / __reduce__() result, if any."""
    reductor = _class_defines(cls, '__reduce_ex__')
    if reductor is not None:
        result = x.__reduce_ex__(4)
    else:
        reductor = _class_defines(cls, '__reduce__')
        if reductor is None:
            return None
        result = x.__reduce__()
    if isinstance(result, str):
        return result
    if not isinstance(result, tuple):
        raise Error(f'un(deep)copyable object of type {cls}')
    result = tuple(result) + (None,) * (5 - len(result))
    return result[:5]


def _reconstruct(x, memo, func, args, state=None, listiter=None,
                 dictiter=None):
    deep = memo is not None
    if deep and args:
        args = tuple(deepcopy(arg, memo) for arg in args)
    y = func(*args)
    if deep:
        memo[id(x)] = y
    if state is not None:
        if deep:
            state = deepcopy(state, memo)
        _set_state(y, state)
    if listiter is not None:
        if deep:
            for item in listiter:
                y.append(deepcopy(item, memo))
        else:
            for item in listiter:
                y.append(item)
    if dictiter is not None:
        if deep:
            for item_key, value in dictiter:
                y[deepcopy(item_key, memo)] = deepcopy(value, memo)
        else:
            for item_key, value in dictiter:
                y[item_key] = value
    return y


def _set_state(y, state):
    setter = getattr(y, '__setstate__', None)
    if setter is not None and _class_defines(type(y), '__setstate__'):
        setter(state)
        return
    slot_state = None
    if isinstance(state, tuple) and len(state) == 2:
        state, slot_state = state
    if state:
        y.__dict__.update(state)
    if slot_state:
        for name, value in slot_state.items():
            setattr(y, name, value)


def _slot_names(cls):
    names = []
    for klass in cls.__mro__:
        slots = klass.__dict__.get('__slots__')
        if slots is None:
            continue
        if isinstance(slots, str):
            slots = (slots,)
        for name in slots:
            if name in ('__dict__', '__weakref__'):
                continue
            if name.startswith('__') and not name.endswith('__'):
                name = f"_{klass.__name__.lstrip('_')}{name}"
            if name not in names:
                names.append(name)
    return names


def _state_of(x, cls):
    getter = _class_defines(cls, '__getstate__')
    if getter is not None:
        return x.__getstate__()
    try:
        state = x.__dict__
    except AttributeError:
        state = None
    slot_state = {}
    for name in _slot_names(cls):
        try:
            slot_state[name] = getattr(x, name)
        except AttributeError:
            pass
    if slot_state:
        return (state or None, slot_state)
    return state or None


def _generic(x, cls, memo):
    """Copy an instance the way object.__reduce_ex__(4) would."""
    deep = memo is not None
    newargs = getattr(x, '__getnewargs_ex__', None)
    if newargs is not None:
        args, kwargs = newargs()
        if deep:
            args = deepcopy(args, memo)
            kwargs = deepcopy(kwargs, memo)
        y = cls.__new__(cls, *args, **kwargs)
    else:
        newargs = getattr(x, '__getnewargs__', None)
        base = None
        for klass in cls.__mro__:
            if klass in _BUILTIN_BASES:
                base = klass
                break
        if newargs is not None:
            args = newargs()
            if deep:
                args = deepcopy(args, memo)
            y = cls.__new__(cls, *args)
        elif base is not None:
            content = base(x)
            if deep and base in (tuple, frozenset):
                content = base(deepcopy(item, memo) for item in content)
            if base is frozenset:
                y = cls(content)
            else:
                y = cls.__new__(cls, content)
        elif isinstance(x, set):
            items = list(x)
            if deep:
                items = [deepcopy(item, memo) for item in items]
            y = cls(items)
        else:
            y = cls.__new__(cls)
    if deep:
        memo[id(x)] = y
    state = _state_of(x, cls)
    if state is not None:
        if deep:
            state = deepcopy(state, memo)
        _set_state(y, state)
    if isinstance(x, list) and not isinstance(x, tuple):
        if deep:
            for item in x:
                y.append(deepcopy(item, memo))
        else:
            y.extend(x)
    elif isinstance(x, dict):
        if deep:
            for item_key, value in dict.items(x):
                y[deepcopy(item_key, memo)] = deepcopy(value, memo)
        else:
            for item_key, value in dict.items(x):
                y[item_key] = value
    return y
