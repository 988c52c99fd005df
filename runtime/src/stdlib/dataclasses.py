"""Data classes (dataclasses module).

Owns the @dataclass decorator (generated __init__/__repr__/__eq__, ordering,
frozen instances, __hash__ rules, __match_args__, kw_only fields, slots),
field()/Field, fields(), asdict()/astuple(), replace(), make_dataclass(),
is_dataclass(), InitVar, KW_ONLY and FrozenInstanceError, following
CPython 3.11's behaviour and messages.
"""

import copy as _copy
import sys
import types

__all__ = ['dataclass', 'field', 'Field', 'FrozenInstanceError', 'InitVar',
           'KW_ONLY', 'MISSING', 'fields', 'asdict', 'astuple',
           'make_dataclass', 'replace', 'is_dataclass']


class FrozenInstanceError(AttributeError):
    pass


class _HAS_DEFAULT_FACTORY_CLASS:
    def __repr__(self):
        return '<factory>'


_HAS_DEFAULT_FACTORY = _HAS_DEFAULT_FACTORY_CLASS()


class _MISSING_TYPE:
    pass


MISSING = _MISSING_TYPE()


class _KW_ONLY_TYPE:
    pass


KW_ONLY = _KW_ONLY_TYPE()

_EMPTY_METADATA = types.MappingProxyType({})


class _FIELD_BASE:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


_FIELD = _FIELD_BASE('_FIELD')
_FIELD_CLASSVAR = _FIELD_BASE('_FIELD_CLASSVAR')
_FIELD_INITVAR = _FIELD_BASE('_FIELD_INITVAR')

_FIELDS = '__dataclass_fields__'
_PARAMS = '__dataclass_params__'
_POST_INIT_NAME = '__post_init__'


class InitVar:
    """Marks an init-only pseudo-field: passed to __init__ and
    __post_init__, not stored."""

    __slots__ = ('type',)

    def __init__(self, type):
        self.type = type

    def __repr__(self):
        if isinstance(self.type, type):
            type_name = self.type.__name__
        else:
            type_name = repr(self.type)
        return f'dataclasses.InitVar[{type_name}]'

    def __class_getitem__(cls, type):
        return InitVar(type)


class Field:
    """One field of a dataclass, as made by field()."""

    __slots__ = ('name', 'type', 'default', 'default_factory', 'repr',
                 'hash', 'init', 'compare', 'metadata', 'kw_only',
                 '_field_type')

    def __init__(self, default, default_factory, init, repr, hash, compare,
                 metadata, kw_only):
        self.name = None
        self.type = None
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.hash = hash
        self.compare = compare
        self.metadata = (_EMPTY_METADATA if metadata is None else
                         types.MappingProxyType(metadata))
        self.kw_only = kw_only
        self._field_type = None

    def __repr__(self):
        return ('Field('
                f'name={self.name!r},'
                f'type={self.type!r},'
                f'default={self.default!r},'
                f'default_factory={self.default_factory!r},'
                f'init={self.init!r},'
                f'repr={self.repr!r},'
                f'hash={self.hash!r},'
                f'compare={self.compare!r},'
                f'metadata={self.metadata!r},'
                f'kw_only={self.kw_only!r},'
                f'_field_type={self._field_type}'
                ')')

    def __set_name__(self, owner, name):
        hook = getattr(type(self.default), '__set_name__', None)
        if hook:
            hook(self.default, owner, name)

    def __class_getitem__(cls, item):
        return cls


class _DataclassParams:
    __slots__ = ('init', 'repr', 'eq', 'order', 'unsafe_hash', 'frozen')

    def __init__(self, init, repr, eq, order, unsafe_hash, frozen):
        self.init = init
        self.repr = repr
        self.eq = eq
        self.order = order
        self.unsafe_hash = unsafe_hash
        self.frozen = frozen

    def __repr__(self):
        return ('_DataclassParams('
                f'init={self.init!r},'
                f'repr={self.repr!r},'
                f'eq={self.eq!r},'
                f'order={self.order!r},'
                f'unsafe_hash={self.unsafe_hash!r},'
                f'frozen={self.frozen!r}'
                ')')


def field(*, default=MISSING, default_factory=MISSING, init=True, repr=True,
          hash=None, compare=True, metadata=None, kw_only=MISSING):
    """Return an object to identify dataclass fields."""
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError('cannot specify both default and default_factory')
    return Field(default, default_factory, init, repr, hash, compare,
                 metadata, kw_only)


# ---------------------------------------------------------------- annotations

def _is_classvar(annotation):
    typing = sys.modules.get('typing')
    if typing is not None:
        if annotation is typing.ClassVar:
            return True
        if getattr(annotation, '__origin__', None) is typing.ClassVar:
            return True
    if isinstance(annotation, str):
        text = annotation.strip()
        return text.startswith(('ClassVar', 'typing.ClassVar'))
    return False


def _is_initvar(annotation):
    if annotation is InitVar or isinstance(annotation, InitVar):
        return True
    if isinstance(annotation, str):
        text = annotation.strip()
        return text.startswith(('InitVar', 'dataclasses.InitVar'))
    return False


def _is_kw_only_marker(annotation):
    if annotation is KW_ONLY:
        return True
    if isinstance(annotation, str):
        return annotation.strip() in ('KW_ONLY', 'dataclasses.KW_ONLY')
    return False


def _get_field(cls, name, annotation, default_kw_only):
    default = cls.__dict__.get(name, MISSING)
    if isinstance(default, Field):
        made = default
    else:
        made = field(default=default)
    made.name = name
    made.type = annotation
    made._field_type = _FIELD
    if _is_classvar(annotation):
        made._field_type = _FIELD_CLASSVAR
    elif _is_initvar(annotation):
        made._field_type = _FIELD_INITVAR
    if made._field_type in (_FIELD_CLASSVAR, _FIELD_INITVAR):
        if made.default_factory is not MISSING:
            raise TypeError(f'field {name} cannot have a default factory')
    if made._field_type in (_FIELD, _FIELD_INITVAR):
        if made.kw_only is MISSING:
            made.kw_only = default_kw_only
    else:
        if made.kw_only is not MISSING:
            raise TypeError(f'field {name} is a ClassVar but specifies '
                            'kw_only')
    if made._field_type is _FIELD and made.default is not MISSING and \
            type(made.default).__hash__ is None:
        raise ValueError(f'mutable default {type(made.default)} for field '
                         f'{name} is not allowed: use default_factory')
    return made


# ---------------------------------------------------------------- code generation

def _make_function(name, parameters, body_lines, namespace, qualname):
    source = f"def {name}({', '.join(parameters)}):\n"
    if body_lines:
        source += ''.join(f'    {line}\n' for line in body_lines)
    else:
        source += '    pass\n'
    exec(source, namespace)
    function = namespace[name]
    function.__qualname__ = qualname
    return function


def _init_function(cls, all_fields, std_fields, kw_only_fields, frozen,
                   has_post_init, self_name, globals_namespace):
    namespace = {
        '_MISSING': MISSING,
        '_HAS_DEFAULT_FACTORY': _HAS_DEFAULT_FACTORY,
        '__dataclass_builtins_object__': object,
    }
    seen_default = False
    for item in std_fields:
        if item.init:
            if not (item.default is MISSING and
                    item.default_factory is MISSING):
                seen_default = True
            elif seen_default:
                raise TypeError(f'non-default argument {item.name!r} '
                                'follows default argument')

    def parameter(item):
        if item.default is MISSING and item.default_factory is MISSING:
            return item.name
        if item.default_factory is not MISSING:
            return f'{item.name}=_HAS_DEFAULT_FACTORY'
        namespace[f'_dflt_{item.name}'] = item.default
        return f'{item.name}=_dflt_{item.name}'

    parameters = [self_name]
    parameters.extend(parameter(item) for item in std_fields)
    if kw_only_fields:
        parameters.append('*')
        parameters.extend(parameter(item) for item in kw_only_fields)

    def assign(name, value):
        if frozen:
            return (f'__dataclass_builtins_object__.__setattr__({self_name},'
                    f'{name!r},{value})')
        return f'{self_name}.{name}={value}'

    lines = []
    for item in all_fields:
        if item._field_type is _FIELD_INITVAR:
            if item.default_factory is not MISSING:
                namespace[f'_dflt_{item.name}'] = item.default_factory
            continue
        if item._field_type is not _FIELD:
            continue
        if item.default_factory is not MISSING:
            factory = f'_dflt_{item.name}'
            namespace[factory] = item.default_factory
            if item.init:
                value = (f'{factory}() if {item.name} is _HAS_DEFAULT_FACTORY '
                         f'else {item.name}')
            else:
                value = f'{factory}()'
        elif item.init:
            value = item.name
        elif item.default is not MISSING:
            namespace[f'_dflt_{item.name}'] = item.default
            value = f'_dflt_{item.name}'
        else:
            continue
        lines.append(assign(item.name, value))
    if has_post_init:
        init_vars = ','.join(item.name for item in all_fields
                             if item._field_type is _FIELD_INITVAR)
        lines.append(f'{self_name}.{_POST_INIT_NAME}({init_vars})')
    return _make_function('__init__', parameters, lines, namespace,
                          f'{cls.__qualname__}.__init__')


_repr_running = set()


def _repr_function(cls, repr_fields):
    names = [item.name for item in repr_fields]

    def __repr__(self):
        key = (id(self), _thread_key())
        if key in _repr_running:
            return '...'
        _repr_running.add(key)
        try:
            parts = ', '.join(f'{name}={getattr(self, name)!r}'
                              for name in names)
            return f'{self.__class__.__qualname__}({parts})'
        finally:
            _repr_running.discard(key)
    __repr__.__qualname__ = f'{cls.__qualname__}.__repr__'
    return __repr__


def _thread_key():
    return 0


def _tuple_of(self, names):
    return tuple(getattr(self, name) for name in names)


def _comparison(cls, name, names, compare):
    def method(self, other):
        if other.__class__ is self.__class__:
            return compare(_tuple_of(self, names), _tuple_of(other, names))
        return NotImplemented
    method.__name__ = name
    method.__qualname__ = f'{cls.__qualname__}.{name}'
    return method


def _frozen_methods(cls, field_names):
    def __setattr__(self, name, value):
        if type(self) is cls or name in field_names:
            raise FrozenInstanceError(f'cannot assign to field {name!r}')
        super(cls, self).__setattr__(name, value)

    def __delattr__(self, name):
        if type(self) is cls or name in field_names:
            raise FrozenInstanceError(f'cannot delete field {name!r}')
        super(cls, self).__delattr__(name)
    __setattr__.__qualname__ = f'{cls.__qualname__}.__setattr__'
    __delattr__.__qualname__ = f'{cls.__qualname__}.__delattr__'
    return __setattr__, __delattr__


def _hash_function(cls, names):
    def __hash__(self):
        return hash(_tuple_of(self, names))
    __hash__.__qualname__ = f'{cls.__qualname__}.__hash__'
    return __hash__


def _set_new_attribute(cls, name, value):
    if name in cls.__dict__:
        return True
    setattr(cls, name, value)
    return False


# ---------------------------------------------------------------- the decorator

def _process_class(cls, init, repr, eq, order, unsafe_hash, frozen,
                   match_args, kw_only, slots, weakref_slot):
    all_fields = {}
    setattr(cls, _PARAMS, _DataclassParams(init, repr, eq, order,
                                           unsafe_hash, frozen))
    any_frozen_base = False
    has_dataclass_bases = False
    for base in cls.__mro__[-1:0:-1]:
        base_fields = base.__dict__.get(_FIELDS)
        if base_fields is not None:
            has_dataclass_bases = True
            for item in base_fields.values():
                all_fields[item.name] = item
            if getattr(base, _PARAMS).frozen:
                any_frozen_base = True

    annotations = cls.__dict__.get('__annotations__', {})
    own_fields = []
    kw_only_default = kw_only
    seen_kw_only_marker = False
    for name, annotation in annotations.items():
        if _is_kw_only_marker(annotation):
            if seen_kw_only_marker:
                raise TypeError(f'{name!r} is KW_ONLY, but KW_ONLY has '
                                'already been specified')
            seen_kw_only_marker = True
            kw_only_default = True
            continue
        own_fields.append(_get_field(cls, name, annotation, kw_only_default))
    for item in own_fields:
        all_fields[item.name] = item
        if isinstance(cls.__dict__.get(item.name), Field):
            if item.default is MISSING:
                delattr(cls, item.name)
            else:
                setattr(cls, item.name, item.default)

    for name, value in cls.__dict__.items():
        if isinstance(value, Field) and name not in annotations:
            raise TypeError(f'{name!r} is a field but has no type annotation')

    if has_dataclass_bases:
        if any_frozen_base and not frozen:
            raise TypeError('cannot inherit non-frozen dataclass from a '
                            'frozen one')
        if not any_frozen_base and frozen:
            raise TypeError('cannot inherit frozen dataclass from a '
                            'non-frozen one')

    setattr(cls, _FIELDS, all_fields)

    class_hash = cls.__dict__.get('__hash__', MISSING)
    has_explicit_hash = not (class_hash is MISSING or
                             (class_hash is None and '__eq__' in cls.__dict__))

    if order and not eq:
        raise ValueError('eq must be true if order is true')

    field_list = [item for item in all_fields.values()
                  if item._field_type in (_FIELD, _FIELD_INITVAR)]
    real_fields = [item for item in all_fields.values()
                   if item._field_type is _FIELD]

    if init:
        has_post_init = hasattr(cls, _POST_INIT_NAME)
        std_fields = [item for item in field_list
                      if item.init and not item.kw_only]
        kw_only_fields = [item for item in field_list
                          if item.init and item.kw_only]
        self_name = '__dataclass_self__' if 'self' in all_fields else 'self'
        _set_new_attribute(cls, '__init__', _init_function(
            cls, field_list, std_fields, kw_only_fields, frozen,
            has_post_init, self_name, None))

    if repr:
        repr_fields = [item for item in real_fields if item.repr]
        _set_new_attribute(cls, '__repr__', _repr_function(cls, repr_fields))

    compare_names = [item.name for item in real_fields if item.compare]
    if eq:
        _set_new_attribute(cls, '__eq__', _comparison(
            cls, '__eq__', compare_names, lambda a, b: a == b))

    if order:
        for name, compare in (('__lt__', lambda a, b: a < b),
                              ('__le__', lambda a, b: a <= b),
                              ('__gt__', lambda a, b: a > b),
                              ('__ge__', lambda a, b: a >= b)):
            if _set_new_attribute(cls, name, _comparison(
                    cls, name, compare_names, compare)):
                raise TypeError(f'Cannot overwrite attribute {name} in class '
                                f'{cls.__name__}. Consider using '
                                'functools.total_ordering')

    if frozen:
        setter, deleter = _frozen_methods(cls, tuple(all_fields))
        for name, method in (('__setattr__', setter),
                             ('__delattr__', deleter)):
            if _set_new_attribute(cls, name, method):
                raise TypeError(f'Cannot overwrite attribute {name} in class '
                                f'{cls.__name__}')

    hash_names = [item.name for item in real_fields
                  if (item.compare if item.hash is None else item.hash)]
    if unsafe_hash:
        if has_explicit_hash:
            raise TypeError(f'Cannot overwrite attribute __hash__ in class '
                            f'{cls.__name__}')
        cls.__hash__ = _hash_function(cls, hash_names)
    elif eq and frozen:
        if not has_explicit_hash:
            cls.__hash__ = _hash_function(cls, hash_names)
    elif eq:
        if not has_explicit_hash:
            cls.__hash__ = None

    if not getattr(cls, '__doc__', None):
        try:
            parameters = ', '.join(_signature_part(item)
                                   for item in field_list if item.init)
            cls.__doc__ = f'{cls.__name__}({parameters})'
        except (TypeError, ValueError, AttributeError):
            cls.__doc__ = ''

    if match_args:
        _set_new_attribute(cls, '__match_args__',
                           tuple(item.name for item in field_list
                                 if item.init and not item.kw_only))

    if slots:
        cls = _add_slots(cls, frozen, weakref_slot)

    import abc
    abc.update_abstractmethods(cls)
    return cls


def _annotation_text(annotation):
    if isinstance(annotation, type):
        if annotation.__module__ == 'builtins':
            return annotation.__qualname__
        return f'{annotation.__module__}.{annotation.__qualname__}'
    if isinstance(annotation, str):
        return repr(annotation)
    return repr(annotation).replace('typing.', '')


def _signature_part(item):
    text = f'{item.name}: {_annotation_text(item.type)}'
    if item.default_factory is not MISSING:
        return text + ' = <factory>'
    if item.default is not MISSING:
        return f'{text} = {item.default!r}'
    return text


def _add_slots(cls, is_frozen, weakref_slot):
    if '__slots__' in cls.__dict__:
        raise TypeError(f'{cls.__name__} already specifies __slots__')
    namespace = dict(cls.__dict__)
    field_names = tuple(item.name for item in fields(cls))
    inherited = set()
    for base in cls.__mro__[1:-1]:
        inherited.update(base.__dict__.get('__slots__', ()))
    namespace['__slots__'] = tuple(name for name in field_names
                                   if name not in inherited)
    for name in field_names:
        namespace.pop(name, None)
    namespace.pop('__dict__', None)
    namespace.pop('__weakref__', None)
    qualname = getattr(cls, '__qualname__', None)
    new_class = type(cls)(cls.__name__, cls.__bases__, namespace)
    if qualname is not None:
        new_class.__qualname__ = qualname
    if is_frozen:
        def __getstate__(self):
            return [getattr(self, name) for name in field_names]

        def __setstate__(self, state):
            for name, value in zip(field_names, state):
                object.__setattr__(self, name, value)
        new_class.__getstate__ = __getstate__
        new_class.__setstate__ = __setstate__
    return new_class


def dataclass(cls=None, /, *, init=True, repr=True, eq=True, order=False,
              unsafe_hash=False, frozen=False, match_args=True,
              kw_only=False, slots=False, weakref_slot=False):
    """Add dunder methods based on the fields defined in the class."""
    def wrap(cls):
        return _process_class(cls, init, repr, eq, order, unsafe_hash,
                              frozen, match_args, kw_only, slots,
                              weakref_slot)
    if cls is None:
        return wrap
    return wrap(cls)


# ---------------------------------------------------------------- helpers

def fields(class_or_instance):
    """Return a tuple describing the fields of this dataclass."""
    try:
        all_fields = getattr(class_or_instance, _FIELDS)
    except AttributeError:
        raise TypeError('must be called with a dataclass type or '
                        'instance') from None
    return tuple(item for item in all_fields.values()
                 if item._field_type is _FIELD)


def _is_dataclass_instance(obj):
    return hasattr(type(obj), _FIELDS)


def is_dataclass(obj):
    """Returns True if obj is a dataclass or an instance of a dataclass."""
    cls = obj if isinstance(obj, type) else type(obj)
    return hasattr(cls, _FIELDS)


def asdict(obj, *, dict_factory=dict):
    """Return the fields of a dataclass instance as a new dictionary
    mapping field names to field values (recursively)."""
    if not _is_dataclass_instance(obj):
        raise TypeError('asdict() should be called on dataclass instances')
    return _asdict_inner(obj, dict_factory)


def _asdict_inner(obj, dict_factory):
    if _is_dataclass_instance(obj):
        return dict_factory([(item.name,
                              _asdict_inner(getattr(obj, item.name),
                                            dict_factory))
                             for item in fields(obj)])
    if isinstance(obj, tuple) and hasattr(obj, '_fields'):
        return type(obj)(*[_asdict_inner(value, dict_factory)
                           for value in obj])
    if isinstance(obj, (list, tuple)):
        return type(obj)(_asdict_inner(value, dict_factory) for value in obj)
    if isinstance(obj, dict):
        return type(obj)((_asdict_inner(key, dict_factory),
                          _asdict_inner(value, dict_factory))
                         for key, value in obj.items())
    return _copy.deepcopy(obj)


def astuple(obj, *, tuple_factory=tuple):
    """Return the fields of a dataclass instance as a new tuple of field
    values (recursively)."""
    if not _is_dataclass_instance(obj):
        raise TypeError('astuple() should be called on dataclass instances')
    return _astuple_inner(obj, tuple_factory)


def _astuple_inner(obj, tuple_factory):
    if _is_dataclass_instance(obj):
        return tuple_factory([_astuple_inner(getattr(obj, item.name),
                                             tuple_factory)
                              for item in fields(obj)])
    if isinstance(obj, tuple) and hasattr(obj, '_fields'):
        return type(obj)(*[_astuple_inner(value, tuple_factory)
                           for value in obj])
    if isinstance(obj, (list, tuple)):
        return type(obj)(_astuple_inner(value, tuple_factory)
                         for value in obj)
    if isinstance(obj, dict):
        return type(obj)((_astuple_inner(key, tuple_factory),
                          _astuple_inner(value, tuple_factory))
                         for key, value in obj.items())
    return _copy.deepcopy(obj)


def replace(obj, /, **changes):
    """Return a new object replacing specified fields with new values."""
    if not _is_dataclass_instance(obj):
        raise TypeError('replace() should be called on dataclass instances')
    for item in getattr(obj, _FIELDS).values():
        if item._field_type is _FIELD_CLASSVAR:
            continue
        if not item.init:
            if item.name in changes:
                raise ValueError(f'field {item.name} is declared with '
                                 'init=False, it cannot be specified with '
                                 'replace()')
            continue
        if item.name not in changes:
            if item._field_type is _FIELD_INITVAR and \
                    item.default is MISSING:
                raise ValueError(f'InitVar {item.name!r} must be specified '
                                 'with replace()')
            changes[item.name] = getattr(obj, item.name)
    return obj.__class__(**changes)


def make_dataclass(cls_name, fields, *, bases=(), namespace=None, init=True,
                   repr=True, eq=True, order=False, unsafe_hash=False,
                   frozen=False, match_args=True, kw_only=False, slots=False,
                   weakref_slot=False, module=None):
    """Return a new dynamically created dataclass."""
    namespace = {} if namespace is None else namespace.copy()
    seen = set()
    annotations = {}
    defaults = {}
    for item in fields:
        if isinstance(item, str):
            name, annotation = item, 'typing.Any'
        elif len(item) == 2:
            name, annotation = item
        elif len(item) == 3:
            name, annotation, spec = item
            defaults[name] = spec
        else:
            raise TypeError(f'Invalid field: {item!r}')
        if not isinstance(name, str) or not name.isidentifier():
            raise TypeError(f'Field names must be valid identifiers: {name!r}')
        if name in seen:
            raise TypeError(f'Field name duplicated: {name!r}')
        seen.add(name)
        annotations[name] = annotation
    namespace.update(defaults)
    namespace['__annotations__'] = annotations
    namespace['__module__'] = module or '__main__'
    cls = types.new_class(cls_name, bases, {},
                          lambda body: body.update(namespace))
    return dataclass(cls, init=init, repr=repr, eq=eq, order=order,
                     unsafe_hash=unsafe_hash, frozen=frozen,
                     match_args=match_args, kw_only=kw_only, slots=slots,
                     weakref_slot=weakref_slot)
