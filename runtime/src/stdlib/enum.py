"""Enumerations (enum module).

Owns EnumType (the metaclass: member creation from the class body, auto()
values, aliases, lookup by value and by name, iteration, the functional
API), Enum, IntEnum, StrEnum, ReprEnum, Flag and IntFlag (with pseudo
members for combined flags), auto, unique, member/nonmember, verify and
the FlagBoundary values, with CPython 3.11's reprs and messages.
"""

import sys
from types import MappingProxyType, DynamicClassAttribute

__all__ = ['EnumType', 'EnumMeta', 'Enum', 'IntEnum', 'StrEnum', 'Flag',
           'IntFlag', 'ReprEnum', 'auto', 'unique', 'property', 'verify',
           'member', 'nonmember', 'FlagBoundary', 'STRICT', 'CONFORM',
           'EJECT', 'KEEP', 'global_flag_repr', 'global_enum_repr',
           'global_str', 'global_enum', 'EnumCheck', 'CONTINUOUS', 'NAMED_FLAGS',
           'UNIQUE', 'pickle_by_global_name', 'pickle_by_enum_name']

Enum = Flag = EJECT = ReprEnum = None

property = DynamicClassAttribute


class nonmember:
    """Protects item from becoming an Enum member during class creation."""

    def __init__(self, value):
        self.value = value


class member:
    """Forces item to become an Enum member during class creation."""

    def __init__(self, value):
        self.value = value


_auto_null = object()


class auto:
    """Instances are replaced with an appropriate value in Enum class
    suites."""

    def __init__(self, value=_auto_null):
        self.value = value

    def __repr__(self):
        return f'auto({self.value!r})'


def _is_descriptor(obj):
    return (hasattr(obj, '__get__') or hasattr(obj, '__set__')
            or hasattr(obj, '__delete__'))


def _is_dunder(name):
    return (len(name) > 4 and name[:2] == name[-2:] == '__'
            and name[2] != '_' and name[-3] != '_')


def _is_sunder(name):
    return (len(name) > 2 and name[0] == name[-1] == '_'
            and name[1:2] != '_' and name[-2:-1] != '_')


def _is_private(class_name, name):
    pattern = f'_{class_name.lstrip("_")}__'
    return (len(name) > len(pattern) and name.startswith(pattern)
            and not name.endswith('__'))


def _is_single_bit(number):
    if number == 0:
        return False
    number &= number - 1
    return number == 0


def _bits_of(value):
    """The single-bit values set in a non-negative int, low to high."""
    bits = []
    while value:
        low = value & (~value + 1)
        bits.append(low)
        value ^= low
    return bits


def bin(num, max_bits=None):
    """Like built-in bin(), except negative values are represented in
    twos-complement, and the leading bit always indicates sign."""
    width = num.bit_length()
    if num >= 0:
        sign = '0'
        digits = format(num, 'b') if num else ''
    else:
        sign = '1'
        digits = format(num & (2 ** width - 1), 'b').rjust(width, '0')
    if max_bits is not None and len(digits) < max_bits:
        digits = sign * (max_bits - len(digits)) + digits
    return f'0b{sign} {digits}'


class _EnumDict(dict):
    """The class namespace while an enum's body runs: records member
    names in order and resolves auto() values."""

    def __init__(self):
        super().__init__()
        self._member_names = {}
        self._last_values = []
        self._ignore = []
        self._auto_called = False
        self._cls_name = None
        self._generate_next_value = None

    def __setitem__(self, key, value):
        if self._cls_name is not None and _is_private(self._cls_name, key):
            pass
        elif _is_sunder(key):
            if key not in ('_order_', '_generate_next_value_', '_numeric_repr_',
                           '_missing_', '_ignore_', '_iter_member_',
                           '_iter_member_by_value_', '_iter_member_by_def_',
                           '_add_alias_', '_add_value_alias_'):
                raise ValueError(f'_sunder_ names, such as {key!r}, are '
                                 'reserved for future Enum use')
            if key == '_generate_next_value_':
                if self._auto_called:
                    raise TypeError('_generate_next_value_ must be defined '
                                    'before members')
                self._generate_next_value = getattr(value, '__func__', value)
            elif key == '_ignore_':
                if isinstance(value, str):
                    value = value.replace(',', ' ').split()
                else:
                    value = list(value)
                self._ignore = value
                already = set(value) & set(self._member_names)
                if already:
                    raise ValueError(f'_ignore_ cannot specify already set '
                                     f'names: {already!r}')
        elif _is_dunder(key):
            if key == '__order__':
                key = '_order_'
        elif key in self._member_names:
            raise TypeError(f'{key!r} already defined as {self[key]!r}')
        elif key in self._ignore:
            pass
        elif isinstance(value, nonmember):
            value = value.value
        elif not isinstance(value, member) and _is_descriptor(value):
            pass
        else:
            if key in self:
                raise TypeError(f'{key!r} already defined as {self[key]!r}')
            if isinstance(value, member):
                value = value.value
            if isinstance(value, auto):
                value = self._resolve_auto(key, value)
            elif isinstance(value, tuple) and any(isinstance(v, auto)
                                                  for v in value):
                value = tuple(self._resolve_auto(key, v)
                              if isinstance(v, auto) else v for v in value)
            self._member_names[key] = None
            self._last_values.append(value)
        super().__setitem__(key, value)

    def _resolve_auto(self, key, value):
        if value.value is _auto_null:
            generate = self._generate_next_value or _default_next_value
            value.value = generate(key, 1, len(self._member_names),
                                   self._last_values[:])
            self._auto_called = True
        return value.value

    def update(self, members=(), **more):
        items = members.items() if hasattr(members, 'items') else members
        for key, value in items:
            self[key] = value
        for key, value in more.items():
            self[key] = value


def _default_next_value(name, start, count, last_values):
    if not last_values:
        return start
    try:
        last_value = sorted(last_values).pop()
    except TypeError:
        raise TypeError('unable to sort non-numeric values') from None
    try:
        return last_value + 1
    except TypeError:
        raise TypeError(f'unable to increment {last_value!r}') from None


def _flag_next_value(name, start, count, last_values):
    if not count:
        return start if start is not None else 1
    last_value = max(last_values)
    try:
        high_bit = last_value.bit_length() - 1
    except Exception:
        raise TypeError(f'invalid flag value {last_value!r}') from None
    return 2 ** (high_bit + 1)


def _find_data_type(bases):
    """The first non-enum base that stores data (int for IntEnum, ...)."""
    for chain in bases:
        for base in chain.__mro__:
            if base is object:
                continue
            if isinstance(base, EnumType):
                if base._member_type_ is not object:
                    return base._member_type_
                break
            if base in (int, str, float, bytes, tuple, complex) or \
                    '__new__' in base.__dict__ or \
                    '__dataclass_fields__' in base.__dict__:
                return base
    return object


def _find_new(classdict, member_type, first_enum):
    """The __new__ that creates members, and whether it takes the value."""
    new = classdict.get('__new__')
    if new is not None:
        return new, True
    if first_enum is not None:
        new = getattr(first_enum, '__new_member__', None)
        if new is not None:
            return new, True
    if member_type is object:
        return object.__new__, False
    return member_type.__new__, True


class EnumType(type):
    """Metaclass for Enum."""

    @classmethod
    def __prepare__(metacls, cls, bases, **kwds):
        enum_dict = _EnumDict()
        enum_dict._cls_name = cls
        for base in bases:
            generate = getattr(base, '_generate_next_value_', None)
            if generate is not None:
                enum_dict._generate_next_value = getattr(generate, '__func__',
                                                         generate)
                break
        return enum_dict

    def __new__(metacls, cls, bases, classdict, *, boundary=None,
                _simple=False, **kwds):
        member_names = list(getattr(classdict, '_member_names', {}))
        ignore = getattr(classdict, '_ignore', [])
        body = {}
        for key, value in dict.items(classdict):
            if key in member_names or key in ignore or key == '_ignore_':
                continue
            body[key] = value
        member_values = {name: dict.__getitem__(classdict, name)
                         for name in member_names}
        invalid = set(member_names) & {'mro', ''}
        if invalid:
            raise ValueError(f'invalid enum member name(s) '
                             f"{', '.join(map(repr, sorted(invalid)))}")
        first_enum = None
        for base in reversed(bases):
            if isinstance(base, EnumType):
                first_enum = base
                break
        if first_enum is not None and first_enum._member_names_:
            raise TypeError(f'{cls} cannot extend {first_enum!r}')
        member_type = _find_data_type(bases) if bases else object
        if Enum is None:
            # Enum itself: its __new__ is the lookup by value.
            new_member, use_args = object.__new__, False
        else:
            new_member, use_args = _find_new(body, member_type, first_enum)
            if '__new__' in body:
                body['__new_member__'] = body.pop('__new__')
        body['_new_member_'] = new_member
        body['_use_args_'] = use_args
        if boundary is None and first_enum is not None:
            boundary = getattr(first_enum, '_boundary_', None)
        body['_boundary_'] = boundary
        enum_class = super().__new__(metacls, cls, bases, body, **kwds)
        if Enum is not None:
            # Calling the class looks a member up, whatever __new__ the
            # data type (int, str, ...) brings through the MRO.
            type.__setattr__(enum_class, '__new__', Enum.__dict__['__new__'])
        if first_enum is not None:
            # A data type's (or object's) repr/str/format must not win
            # over the enum's through the MRO.
            for name in ('__repr__', '__str__', '__format__',
                         '__reduce_ex__'):
                if name in body:
                    continue
                found = getattr(enum_class, name, None)
                if found is getattr(member_type, name, None) or \
                        found is getattr(object, name, None):
                    setattr(enum_class, name, getattr(first_enum, name))
        setattr(enum_class, '_member_names_', [])
        setattr(enum_class, '_member_map_', {})
        setattr(enum_class, '_value2member_map_', {})
        setattr(enum_class, '_unhashable_values_', [])
        setattr(enum_class, '_member_type_', member_type)
        if Flag is not None and issubclass(enum_class, Flag):
            setattr(enum_class, '_flag_mask_', 0)
            setattr(enum_class, '_all_bits_', 0)
            setattr(enum_class, '_singles_mask_', 0)
        for name in member_names:
            _add_member(enum_class, name, member_values[name])
        if Flag is not None and issubclass(enum_class, Flag):
            _finish_flag(enum_class)
        order = body.get('_order_')
        if order is not None:
            if isinstance(order, str):
                order = order.replace(',', ' ').split()
            if order != enum_class._member_names_:
                raise TypeError('member order does not match _order_:\n'
                                f'  {enum_class._member_names_!r}\n  {order!r}')
        return enum_class

    def __bool__(cls):
        return True

    def __call__(cls, value, names=None, *values, module=None, qualname=None,
                 type=None, start=1, boundary=None):
        if names is None:
            return cls.__new__(cls, value)
        return cls._create_(value, names, module=module, qualname=qualname,
                            type=type, start=start, boundary=boundary)

    def __contains__(cls, value):
        if not isinstance(value, Enum):
            raise TypeError(
                "unsupported operand type(s) for 'in': "
                f"'{type(value).__qualname__}' and '{type(cls).__qualname__}'")
        return isinstance(value, cls) and value._name_ in cls._member_map_

    def __delattr__(cls, attr):
        if attr in cls._member_map_:
            raise AttributeError(f'{cls.__name__!r} cannot delete member '
                                 f'{attr!r}.')
        super().__delattr__(attr)

    def __dir__(cls):
        names = set(['__class__', '__doc__', '__members__', '__module__'])
        names.update(cls._member_names_)
        return sorted(names)

    def __getitem__(cls, name):
        return cls._member_map_[name]

    def __iter__(cls):
        return (cls._member_map_[name] for name in cls._member_names_)

    def __len__(cls):
        return len(cls._member_names_)

    @DynamicClassAttribute
    def __members__(cls):
        return MappingProxyType(cls._member_map_)

    def __repr__(cls):
        if Flag is not None and issubclass(cls, Flag):
            return f"<flag {cls.__name__!r}>"
        return f"<enum {cls.__name__!r}>"

    def __reversed__(cls):
        return (cls._member_map_[name]
                for name in reversed(cls._member_names_))

    def __setattr__(cls, name, value):
        member_map = cls.__dict__.get('_member_map_', {})
        if name in member_map:
            raise AttributeError(f'cannot reassign member {name!r}')
        super().__setattr__(name, value)

    def _create_(cls, class_name, names, *, module=None, qualname=None,
                 type=None, start=1, boundary=None):
        metacls = cls.__class__
        bases = (cls,) if type is None else (type, cls)
        classdict = metacls.__prepare__(class_name, bases)
        if isinstance(names, str):
            names = names.replace(',', ' ').split()
        if isinstance(names, (tuple, list)) and names and \
                isinstance(names[0], str):
            original, names = names, []
            last_values = []
            for count, name in enumerate(original):
                value = first_enum_next(cls)(name, start, count,
                                             last_values[:])
                last_values.append(value)
                names.append((name, value))
        items = names.items() if hasattr(names, 'items') else names
        for item in items:
            if isinstance(item, str):
                member_name, member_value = item, names[item]
            else:
                member_name, member_value = item
            classdict[member_name] = member_value
        classdict['__module__'] = module or '__main__'
        if qualname is not None:
            classdict['__qualname__'] = qualname
        return metacls.__new__(metacls, class_name, bases, classdict,
                               boundary=boundary)


def first_enum_next(cls):
    generate = getattr(cls, '_generate_next_value_', None)
    if generate is None:
        return _default_next_value
    return getattr(generate, '__func__', generate)


EnumMeta = EnumType


def _add_member(enum_class, name, value):
    if not isinstance(value, tuple):
        args = (value,)
    else:
        args = value
    member_type = enum_class._member_type_
    if member_type is tuple:
        args = (args,)
    new_member = enum_class._new_member_
    if not enum_class._use_args_:
        enum_member = new_member(enum_class)
    else:
        enum_member = new_member(enum_class, *args)
    if not _has_own_value(enum_member):
        if member_type is object or not enum_class._use_args_:
            enum_member._value_ = value
        else:
            try:
                enum_member._value_ = member_type(*args)
            except Exception:
                enum_member._value_ = value
    value = enum_member._value_
    enum_member._name_ = name
    enum_member.__objclass__ = enum_class
    enum_member.__init__(*args)
    enum_member._sort_order_ = len(enum_class._member_names_)

    canonical = None
    try:
        canonical = enum_class._value2member_map_.get(value)
    except TypeError:
        for existing in enum_class._unhashable_values_:
            if existing._value_ == value:
                canonical = existing
                break
    if canonical is None:
        for existing_name in enum_class._member_names_:
            existing = enum_class._member_map_[existing_name]
            if existing._value_ == value:
                canonical = existing
                break
    if canonical is not None:
        enum_member = canonical
    else:
        is_flag = Flag is not None and issubclass(enum_class, Flag)
        if is_flag and isinstance(value, int):
            if _is_single_bit(value):
                enum_class._member_names_.append(name)
                enum_class._singles_mask_ |= value
            elif value == 0:
                enum_class._member_names_.append(name)
            enum_class._flag_mask_ |= value
        else:
            enum_class._member_names_.append(name)
    setattr(enum_class, name, enum_member)
    enum_class._member_map_[name] = enum_member
    try:
        enum_class._value2member_map_.setdefault(value, enum_member)
    except TypeError:
        enum_class._unhashable_values_.append(enum_member)


def _has_own_value(obj):
    try:
        object.__getattribute__(obj, '_value_')
        return True
    except AttributeError:
        return False


def _finish_flag(enum_class):
    mask = enum_class._flag_mask_
    enum_class._all_bits_ = 2 ** mask.bit_length() - 1 if mask else 0
    if enum_class._boundary_ is None:
        enum_class._boundary_ = STRICT


class Enum(metaclass=EnumType):
    """Create a collection of name/value pairs."""

    _generate_next_value_ = staticmethod(_default_next_value)

    def __new__(cls, value):
        if type(value) is cls:
            return value
        try:
            return cls._value2member_map_[value]
        except KeyError:
            pass
        except TypeError:
            for existing in cls._unhashable_values_:
                if existing._value_ == value:
                    return existing
        for existing in cls._member_map_.values():
            if existing._value_ == value:
                return existing
        exception = None
        try:
            result = cls._missing_(value)
        except Exception as error:
            exception = error
            result = None
        if isinstance(result, cls):
            return result
        if Flag is not None and issubclass(cls, Flag) and \
                cls._boundary_ is EJECT and isinstance(result, int):
            return result
        error = ValueError(f'{value!r} is not a valid {cls.__qualname__}')
        if result is None and exception is None:
            raise error
        if exception is None:
            exception = TypeError(
                f'error in {cls.__name__}._missing_: returned {result!r} '
                f'instead of None or a valid member')
        raise exception

    def __init__(self, *args, **kwds):
        pass

    @classmethod
    def _missing_(cls, value):
        return None

    def __repr__(self):
        value_repr = self._value_repr()
        return f'<{self.__class__.__name__}.{self._name_}: {value_repr}>'

    def _value_repr(self):
        member_type = type(self)._member_type_
        if member_type is object:
            return repr(self._value_)
        return member_type.__repr__(self._value_)

    def __str__(self):
        return f'{self.__class__.__name__}.{self._name_}'

    def __dir__(self):
        names = set(['__class__', '__doc__', '__eq__', '__hash__',
                     '__module__', 'name', 'value'])
        for klass in type(self).__mro__:
            if klass is Enum or klass is object:
                break
            for key in klass.__dict__:
                if not key.startswith('_'):
                    names.add(key)
        names.update(key for key in self.__dict__ if not key.startswith('_'))
        return sorted(names)

    def __format__(self, format_spec):
        return str.__format__(str(self), format_spec)

    def __hash__(self):
        return hash(self._name_)

    def __reduce_ex__(self, proto):
        return self.__class__, (self._value_,)

    def __deepcopy__(self, memo):
        return self

    def __copy__(self):
        return self

    @DynamicClassAttribute
    def name(self):
        """The name of the Enum member."""
        return self._name_

    @DynamicClassAttribute
    def value(self):
        """The value of the Enum member."""
        return self._value_


class ReprEnum(Enum):
    """Only changes the repr(), leaving str() and format() to the mixed-in
    type."""

    def __str__(self):
        member_type = type(self)._member_type_
        if member_type is object:
            return Enum.__str__(self)
        return member_type.__repr__(self._value_) \
            if member_type in (int, float) else member_type.__str__(self)

    def __format__(self, format_spec):
        member_type = type(self)._member_type_
        if member_type is object:
            return Enum.__format__(self, format_spec)
        return member_type.__format__(self._value_, format_spec)


class IntEnum(int, ReprEnum):
    """Enum where members are also (and must be) ints."""


class StrEnum(str, ReprEnum):
    """Enum where members are also (and must be) strings."""

    def __new__(cls, *values):
        if len(values) > 3:
            raise TypeError(f'too many arguments for str(): {values!r}')
        if len(values) == 1 and not isinstance(values[0], str):
            raise TypeError(f'{values[0]!r} is not a string')
        value = str(*values)
        member = str.__new__(cls, value)
        member._value_ = value
        return member

    def __str__(self):
        return str.__str__(self)

    def __format__(self, format_spec):
        return str.__format__(str.__str__(self), format_spec)

    @staticmethod
    def _generate_next_value_(name, start, count, last_values):
        return name.lower()


class FlagBoundary(StrEnum):
    """Control how out-of-range values are handled by Flag."""

    STRICT = auto()
    CONFORM = auto()
    EJECT = auto()
    KEEP = auto()


STRICT, CONFORM, EJECT, KEEP = FlagBoundary


class Flag(Enum, boundary=STRICT):
    """Support for flags (members combine with |, & and ^)."""

    @staticmethod
    def _generate_next_value_(name, start, count, last_values):
        return _flag_next_value(name, start, count, last_values)

    @classmethod
    def _iter_member_(cls, value):
        for bit in _bits_of(value):
            member = cls._value2member_map_.get(bit)
            if member is not None and member._name_ in cls._member_names_:
                yield member

    @classmethod
    def _missing_(cls, value):
        if not isinstance(value, int):
            raise ValueError(f'{value!r} is not a valid {cls.__qualname__}')
        flag_mask = cls._flag_mask_
        all_bits = cls._all_bits_
        negative = value < 0
        if negative:
            value = all_bits + 1 + value
        boundary = cls._boundary_
        if value < 0 or value & ~flag_mask:
            if boundary is STRICT:
                max_bits = max(value.bit_length(), flag_mask.bit_length())
                raise ValueError(
                    f'{cls!r} invalid value {value}\n'
                    f'    given {bin(value, max_bits)}\n'
                    f'  allowed {bin(flag_mask, max_bits)}')
            if boundary is CONFORM:
                value &= flag_mask
            elif boundary is EJECT:
                return value
        member_type = cls._member_type_
        if member_type is object:
            pseudo = object.__new__(cls)
        else:
            pseudo = member_type.__new__(cls, value)
        if not _has_own_value(pseudo):
            pseudo._value_ = value
        known = value & flag_mask
        names = [m._name_ for m in cls._iter_member_(known)]
        extra = value & ~flag_mask
        if not names:
            pseudo._name_ = None
        else:
            if extra:
                names.append(str(extra))
            pseudo._name_ = '|'.join(names)
        return cls._value2member_map_.setdefault(value, pseudo)

    def __contains__(self, other):
        if not isinstance(other, self.__class__):
            raise TypeError(
                "unsupported operand type(s) for 'in': "
                f"'{type(other).__qualname__}' and "
                f"'{self.__class__.__qualname__}'")
        return other._value_ & self._value_ == other._value_

    def __iter__(self):
        return self._iter_member_(self._value_)

    def __len__(self):
        return len(_bits_of(self._value_ & type(self)._singles_mask_))

    def __repr__(self):
        cls_name = self.__class__.__name__
        value_repr = self._value_repr()
        if self._name_ is None:
            return f'<{cls_name}: {value_repr}>'
        return f'<{cls_name}.{self._name_}: {value_repr}>'

    def __str__(self):
        cls_name = self.__class__.__name__
        if self._name_ is None:
            return f'{cls_name}({self._value_!r})'
        return f'{cls_name}.{self._name_}'

    def __bool__(self):
        return bool(self._value_)

    def _get_value(self, flag):
        if isinstance(flag, self.__class__):
            return flag._value_
        if self._member_type_ is not object and \
                isinstance(flag, self._member_type_):
            return flag
        return NotImplemented

    def __or__(self, other):
        other_value = self._get_value(other)
        if other_value is NotImplemented:
            return NotImplemented
        return self.__class__(self._value_ | other_value)

    def __and__(self, other):
        other_value = self._get_value(other)
        if other_value is NotImplemented:
            return NotImplemented
        return self.__class__(self._value_ & other_value)

    def __xor__(self, other):
        other_value = self._get_value(other)
        if other_value is NotImplemented:
            return NotImplemented
        return self.__class__(self._value_ ^ other_value)

    def __invert__(self):
        cls = self.__class__
        if cls._boundary_ in (EJECT, KEEP):
            return cls(~self._value_)
        return cls(cls._singles_mask_ & ~self._value_ & cls._flag_mask_)

    __ror__ = __or__
    __rand__ = __and__
    __rxor__ = __xor__


class IntFlag(int, ReprEnum, Flag, boundary=KEEP):
    """Support for integer-based Flags."""

    def __str__(self):
        return int.__repr__(self._value_)

    def __format__(self, format_spec):
        return int.__format__(self._value_, format_spec)

    def __or__(self, other):
        if isinstance(other, self.__class__):
            other = other._value_
        elif isinstance(other, int):
            pass
        else:
            return NotImplemented
        return self.__class__(self._value_ | other)

    def __and__(self, other):
        if isinstance(other, self.__class__):
            other = other._value_
        elif isinstance(other, int):
            pass
        else:
            return NotImplemented
        return self.__class__(self._value_ & other)

    def __xor__(self, other):
        if isinstance(other, self.__class__):
            other = other._value_
        elif isinstance(other, int):
            pass
        else:
            return NotImplemented
        return self.__class__(self._value_ ^ other)

    __ror__ = __or__
    __rand__ = __and__
    __rxor__ = __xor__

    def __invert__(self):
        return self.__class__(~self._value_)


def unique(enumeration):
    """Class decorator for enumerations ensuring unique member values."""
    duplicates = []
    for name, member in enumeration.__members__.items():
        if name != member.name:
            duplicates.append((name, member.name))
    if duplicates:
        alias_details = ', '.join(f'{alias} -> {name}'
                                  for alias, name in duplicates)
        raise ValueError(f'duplicate values found in {enumeration!r}: '
                         f'{alias_details}')
    return enumeration


class EnumCheck(StrEnum):
    """Various conditions to check an enumeration for."""

    CONTINUOUS = 'no skipped integer values'
    NAMED_FLAGS = 'multi-flag aliases may not contain unnamed flags'
    UNIQUE = 'one name per value'


CONTINUOUS, NAMED_FLAGS, UNIQUE = EnumCheck


class verify:
    """Check an enumeration for various constraints."""

    def __init__(self, *checks):
        self.checks = checks

    def __call__(self, enumeration):
        for check in self.checks:
            if check is UNIQUE:
                unique(enumeration)
            elif check is CONTINUOUS:
                values = sorted(m.value for m in enumeration)
                if values:
                    low, high = values[0], values[-1]
                    missing = [v for v in range(low, high + 1)
                               if v not in values]
                    if missing:
                        raise ValueError(
                            f'invalid enum {enumeration.__name__!r}: missing '
                            f"values {', '.join(map(str, missing))}")
        return enumeration


def global_enum_repr(self):
    module = self.__class__.__module__.split('.')[-1]
    return f'{module}.{self._name_}'


def global_flag_repr(self):
    module = self.__class__.__module__.split('.')[-1]
    if self._name_ is None:
        return f'{module}.{self.__class__.__name__}({self._value_})'
    return '|'.join(f'{module}.{name}' for name in self._name_.split('|'))


def global_str(self):
    if self._name_ is None:
        return f'{self.__class__.__name__}({self._value_!r})'
    return self._name_


def global_enum(cls, update_str=False):
    """Decorator that makes the members global in their module."""
    if issubclass(cls, Flag):
        cls.__repr__ = global_flag_repr
    else:
        cls.__repr__ = global_enum_repr
    if not issubclass(cls, ReprEnum) or update_str:
        cls.__str__ = global_str
    module = sys.modules.get(cls.__module__)
    if module is not None:
        for name, member in cls.__members__.items():
            setattr(module, name, member)
    return cls


def pickle_by_global_name(self, proto):
    return self.name


def pickle_by_enum_name(self, proto):
    return getattr, (self.__class__, self._name_)
