"""Names for built-in types and a few helpers (types module).

Owns the aliases of the interpreter's built-in types (FunctionType,
GeneratorType, ModuleType, UnionType, ...), SimpleNamespace,
MappingProxyType (a read-only view of a mapping), GenericAlias,
DynamicClassAttribute, new_class/prepare_class/resolve_bases and coroutine.
"""

import sys


def _function():
    pass


def _generator():
    yield 1


async def _coroutine():
    pass


class _Class:
    def _method(self):
        pass


FunctionType = type(_function)
LambdaType = type(lambda: None)
CodeType = type(_function.__code__)
GeneratorType = type(_generator())
try:
    _sample_coroutine = _coroutine()
    CoroutineType = type(_sample_coroutine)
    _sample_coroutine.close()
    del _sample_coroutine
except Exception:
    CoroutineType = GeneratorType
MethodType = type(_Class()._method)
BuiltinFunctionType = type(len)
BuiltinMethodType = type([].append)
ModuleType = type(sys)
NoneType = type(None)
EllipsisType = type(Ellipsis)
NotImplementedType = type(NotImplemented)
CellType = type((lambda value: lambda: value)(0).__closure__[0]) \
    if (lambda value: lambda: value)(0).__closure__ else None
WrapperDescriptorType = type(object.__init__)
MethodWrapperType = type(object().__str__)
MethodDescriptorType = type(str.join)
ClassMethodDescriptorType = type(dict.__dict__.get('fromkeys', classmethod))
GetSetDescriptorType = type(FunctionType.__code__) \
    if hasattr(FunctionType, '__code__') else property
MemberDescriptorType = property
try:
    raise TypeError
except TypeError as _error:
    TracebackType = type(_error.__traceback__)
    del _error


class SimpleNamespace:
    """A simple attribute-based namespace."""

    def __init__(self, mapping_or_iterable=(), /, **kwargs):
        if mapping_or_iterable:
            self.__dict__.update(dict(mapping_or_iterable))
        self.__dict__.update(kwargs)

    def __repr__(self):
        if id(self) in _repr_running:
            return f'{type(self).__name__}(...)'
        _repr_running.add(id(self))
        try:
            items = (f'{key}={value!r}' for key, value in self.__dict__.items())
            name = 'namespace' if type(self) is SimpleNamespace \
                else type(self).__name__
            return f"{name}({', '.join(items)})"
        finally:
            _repr_running.discard(id(self))

    def __eq__(self, other):
        if isinstance(self, SimpleNamespace) and \
                isinstance(other, SimpleNamespace):
            return self.__dict__ == other.__dict__
        return NotImplemented

    __hash__ = None

    def __reduce__(self):
        return type(self), (), dict(self.__dict__)


_repr_running = set()


class MappingProxyType:
    """Read-only proxy of a mapping."""

    __slots__ = ('_mapping',)

    def __new__(cls, mapping):
        if not hasattr(mapping, 'keys') or not hasattr(mapping, '__getitem__') \
                or isinstance(mapping, (list, tuple)):
            raise TypeError('mappingproxy() argument must be a mapping, not '
                            f'{type(mapping).__name__}')
        self = object.__new__(cls)
        self._mapping = mapping
        return self

    def __getitem__(self, key):
        return self._mapping[key]

    def get(self, key, default=None):
        return self._mapping.get(key, default)

    def __contains__(self, key):
        return key in self._mapping

    def __iter__(self):
        return iter(self._mapping)

    def __len__(self):
        return len(self._mapping)

    def __reversed__(self):
        return reversed(self._mapping)

    def keys(self):
        return self._mapping.keys()

    def values(self):
        return self._mapping.values()

    def items(self):
        return self._mapping.items()

    def copy(self):
        return self._mapping.copy()

    def __eq__(self, other):
        return self._mapping == other

    def __or__(self, other):
        return dict(self._mapping) | other

    def __ror__(self, other):
        return other | dict(self._mapping)

    def __repr__(self):
        return f'mappingproxy({self._mapping!r})'

    def __str__(self):
        return str(self._mapping)

    def __setitem__(self, key, value):
        raise TypeError("'mappingproxy' object does not support item "
                        'assignment')

    def __delitem__(self, key):
        raise TypeError("'mappingproxy' object does not support item "
                        'deletion')

    __hash__ = None


MappingProxyType.__name__ = 'mappingproxy'


# ---------------------------------------------------------------- X | Y

UnionType = type(int | str)


def _type_text(value):
    if value is NoneType:
        return 'None'
    if isinstance(value, type) and not isinstance(value, GenericAlias):
        if value.__module__ == 'builtins':
            return value.__qualname__
        return f'{value.__module__}.{value.__qualname__}'
    return repr(value)


class GenericAlias:
    """Represent a PEP 585 generic type, e.g. list[int]."""

    def __init__(self, origin, args):
        if not isinstance(args, tuple):
            args = (args,)
        self.__origin__ = origin
        self.__args__ = args

    @property
    def __parameters__(self):
        found = []
        for arg in self.__args__:
            if type(arg).__name__ in ('TypeVar', 'ParamSpec') and \
                    arg not in found:
                found.append(arg)
        return tuple(found)

    def __call__(self, *args, **kwargs):
        return self.__origin__(*args, **kwargs)

    def __mro_entries__(self, bases):
        return (self.__origin__,)

    def __eq__(self, other):
        if not isinstance(other, GenericAlias):
            return NotImplemented
        return self.__origin__ == other.__origin__ and \
            self.__args__ == other.__args__

    def __hash__(self):
        return hash((self.__origin__, self.__args__))

    def __repr__(self):
        if not self.__args__:
            args = '()'
        else:
            args = ', '.join('...' if arg is ... else _type_text(arg)
                             for arg in self.__args__)
        return f'{_type_text(self.__origin__)}[{args}]'

    def __instancecheck__(self, instance):
        raise TypeError('isinstance() argument 2 cannot be a parameterized '
                        'generic')

    def __subclasscheck__(self, cls):
        raise TypeError('issubclass() argument 2 cannot be a parameterized '
                        'generic')


# ---------------------------------------------------------------- classes

def resolve_bases(bases):
    """Resolve MRO entries dynamically as specified by PEP 560."""
    new_bases = []
    changed = False
    for base in bases:
        if isinstance(base, type):
            new_bases.append(base)
            continue
        entries = getattr(base, '__mro_entries__', None)
        if entries is None:
            new_bases.append(base)
            continue
        result = entries(bases)
        if not isinstance(result, tuple):
            raise TypeError('__mro_entries__ must return a tuple')
        new_bases.extend(result)
        changed = True
    return tuple(new_bases) if changed else bases


def _calculate_meta(meta, bases):
    winner = meta
    for base in bases:
        base_meta = type(base)
        if issubclass(winner, base_meta):
            continue
        if issubclass(base_meta, winner):
            winner = base_meta
            continue
        raise TypeError('metaclass conflict: the metaclass of a derived '
                        'class must be a (non-strict) subclass of the '
                        'metaclasses of all its bases')
    return winner


def prepare_class(name, bases=(), kwds=None):
    """Call the __prepare__ method of the appropriate metaclass."""
    kwds = {} if kwds is None else dict(kwds)
    if 'metaclass' in kwds:
        meta = kwds.pop('metaclass')
    else:
        meta = type(bases[0]) if bases else type
    if isinstance(meta, type):
        meta = _calculate_meta(meta, bases)
    prepare = getattr(meta, '__prepare__', None)
    namespace = prepare(name, bases, **kwds) if prepare is not None else {}
    return meta, namespace, kwds


def new_class(name, bases=(), kwds=None, exec_body=None):
    """Create a class object dynamically using the appropriate metaclass."""
    resolved_bases = resolve_bases(bases)
    meta, namespace, kwds = prepare_class(name, resolved_bases, kwds)
    if exec_body is not None:
        exec_body(namespace)
    if resolved_bases is not bases:
        namespace['__orig_bases__'] = bases
    return meta(name, resolved_bases, namespace, **kwds)


class DynamicClassAttribute(property):
    """Route attribute access on a class to __getattr__ (enum uses it for
    member properties such as name and value)."""

    def __init__(self, fget=None, fset=None, fdel=None, doc=None):
        super().__init__(fget, fset, fdel, doc)
        self.__isabstractmethod__ = bool(
            getattr(fget, '__isabstractmethod__', False))


def coroutine(func):
    """Convert regular generator function to a coroutine."""
    if not callable(func):
        raise TypeError('types.coroutine() expects a callable')
    return func


__all__ = [name for name in globals() if not name.startswith('_')
           and name != 'sys']
