"""Context variables (the _contextvars module behind contextvars).

Owns ContextVar, Token, Context and copy_context with CPython 3.11's
behaviour and error messages. Each thread has its own current context,
kept by the interpreter next to the thread's other state
(`_thread._get_context`); a thread starts with a new, empty one.

A context's mapping is never changed in place: ContextVar.set gives the
context a new dict, so a copy (copy_context, Context.copy) shares the
dict it copied until either side sets a variable.
"""

from _thread import _get_context, _set_context

__all__ = ('Context', 'ContextVar', 'Token', 'copy_context')

_NO_DEFAULT = object()


def _current():
    """The running thread's context, made on its first use."""
    context = _get_context()
    if context is None:
        context = Context()
        _set_context(context)
    return context


def _final(cls):
    def __init_subclass__(subclass, **kwargs):
        raise TypeError(f"type '_contextvars.{cls.__name__}' is not an "
                        'acceptable base type')
    cls.__init_subclass__ = classmethod(__init_subclass__)
    return cls


def _generic_alias(cls, item):
    import types
    return types.GenericAlias(cls, item)


class _Missing:
    __slots__ = ()

    def __repr__(self):
        return '<Token.MISSING>'


@_final
class Context:
    """A mapping of context variables to their values."""

    __module__ = '_contextvars'
    __slots__ = ('_data', '_entered', '__weakref__')
    __hash__ = None

    def __new__(cls, *args, **kwargs):
        if args or kwargs:
            raise TypeError('Context() does not accept any arguments')
        self = object.__new__(cls)
        self._data = {}
        self._entered = False
        return self

    def run(self, callable, /, *args, **kwargs):
        """Call callable(*args, **kwargs) with this context as the current
        one, and return its result; the changes it makes to context
        variables stay in this context."""
        if self._entered:
            raise RuntimeError(
                f'cannot enter context: {self!r} is already entered')
        previous = _get_context()
        self._entered = True
        _set_context(self)
        try:
            return callable(*args, **kwargs)
        finally:
            _set_context(previous)
            self._entered = False

    def copy(self):
        """Return a shallow copy of the context object."""
        copy = Context()
        copy._data = self._data
        return copy

    def _check_key(self, var):
        if not isinstance(var, ContextVar):
            raise TypeError(f'a ContextVar key was expected, got {var!r}')

    def __getitem__(self, var):
        self._check_key(var)
        return self._data[var]

    def get(self, var, default=None, /):
        """Return the value for var if it is set in the context, else
        default."""
        self._check_key(var)
        return self._data.get(var, default)

    def __contains__(self, var):
        self._check_key(var)
        return var in self._data

    def __len__(self):
        return len(self._data)

    def __iter__(self):
        return iter(list(self._data))

    def keys(self):
        """Return a list of all variables in the context object."""
        return list(self._data.keys())

    def values(self):
        """Return a list of all variables' values in the context object."""
        return list(self._data.values())

    def items(self):
        """Return all variables and their values in the context object."""
        return list(self._data.items())

    def __eq__(self, other):
        if not isinstance(other, Context):
            return NotImplemented
        return self._data == other._data


@_final
class ContextVar:
    """A variable whose value depends on the current context."""

    __module__ = '_contextvars'
    __slots__ = ('_name', '_default', '__weakref__')

    def __new__(cls, name, *, default=_NO_DEFAULT):
        if not isinstance(name, str):
            raise TypeError('context variable name must be a str')
        self = object.__new__(cls)
        self._name = name
        self._default = default
        return self

    @property
    def name(self):
        return self._name

    def get(self, default=_NO_DEFAULT, /, *extra, **kwargs):
        """Return the value for the context variable for the current
        context; else the default given here, else the variable's own,
        else raise LookupError."""
        if kwargs:
            raise TypeError('ContextVar.get() takes no keyword arguments')
        if extra:
            raise TypeError(
                f'get expected at most 1 argument, got {1 + len(extra)}')
        context = _get_context()
        if context is not None:
            value = context._data.get(self, _NO_DEFAULT)
            if value is not _NO_DEFAULT:
                return value
        if default is not _NO_DEFAULT:
            return default
        if self._default is not _NO_DEFAULT:
            return self._default
        raise LookupError(self)

    def set(self, value, /):
        """Call to set a new value for the context variable in the current
        context; returns a Token that reset() takes to restore the
        variable's previous value."""
        context = _current()
        data = dict(context._data)
        old = data.get(self, Token.MISSING)
        data[self] = value
        context._data = data
        return Token._make(context, self, old)

    def reset(self, token, /):
        """Reset the context variable to the value it had before the
        ContextVar.set() that created the token was used."""
        if not isinstance(token, Token):
            raise TypeError(f'expected an instance of Token, got {token!r}')
        if token._used:
            raise RuntimeError(f'{token!r} has already been used once')
        if token._var is not self:
            raise ValueError(f'{token!r} was created by a different ContextVar')
        context = _current()
        if token._context is not context:
            raise ValueError(f'{token!r} was created in a different Context')
        data = dict(context._data)
        if token._old_value is Token.MISSING:
            data.pop(self, None)
        else:
            data[self] = token._old_value
        context._data = data
        token._used = True

    def __repr__(self):
        default = ''
        if self._default is not _NO_DEFAULT:
            default = f' default={self._default!r}'
        return f'<ContextVar name={self._name!r}{default} at 0x{id(self):x}>'

    __class_getitem__ = classmethod(_generic_alias)


@_final
class Token:
    """What ContextVar.set returns: reset() takes it to restore the
    variable's previous value."""

    __module__ = '_contextvars'
    __slots__ = ('_context', '_var', '_old_value', '_used')

    MISSING = _Missing()

    def __new__(cls, *args, **kwargs):
        raise RuntimeError('Tokens can only be created by ContextVars')

    @classmethod
    def _make(cls, context, var, old_value):
        token = object.__new__(cls)
        token._context = context
        token._var = var
        token._old_value = old_value
        token._used = False
        return token

    @property
    def var(self):
        return self._var

    @property
    def old_value(self):
        return self._old_value

    def __repr__(self):
        used = ' used' if self._used else ''
        return f'<Token{used} var={self._var!r} at 0x{id(self):x}>'

    __class_getitem__ = classmethod(_generic_alias)


def copy_context():
    """Return a copy of the current context."""
    return _current().copy()
