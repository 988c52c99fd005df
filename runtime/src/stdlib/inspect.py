"""Inspecting live objects (inspect module), the parts protoPython can
support.

Owns the type predicates (isfunction, isclass, isgenerator, ...),
generator and coroutine states, getmembers/getmro/getdoc/cleandoc/unwrap,
and signature(): Signature and Parameter objects built from a function's
code object, defaults and annotations. Source code and frame access are
not available.
"""

import types as _types

__all__ = [
    'CO_GENERATOR', 'CO_COROUTINE', 'CO_VARARGS', 'CO_VARKEYWORDS',
    'GEN_CREATED', 'GEN_RUNNING', 'GEN_SUSPENDED', 'GEN_CLOSED',
    'Parameter', 'Signature', 'BoundArguments', 'cleandoc', 'getdoc',
    'getgeneratorstate', 'getmembers', 'getmro', 'isabstract', 'isasyncgen',
    'isasyncgenfunction', 'isawaitable', 'isbuiltin', 'isclass', 'iscode',
    'iscoroutine', 'iscoroutinefunction', 'isfunction', 'isgenerator',
    'isgeneratorfunction', 'ismethod', 'ismodule', 'isroutine', 'signature',
    'unwrap',
]

CO_OPTIMIZED = 0x1
CO_NEWLOCALS = 0x2
CO_VARARGS = 0x4
CO_VARKEYWORDS = 0x8
CO_NESTED = 0x10
CO_GENERATOR = 0x20
CO_NOFREE = 0x40
CO_COROUTINE = 0x80
CO_ITERABLE_COROUTINE = 0x100
CO_ASYNC_GENERATOR = 0x200

GEN_CREATED = 'GEN_CREATED'
GEN_RUNNING = 'GEN_RUNNING'
GEN_SUSPENDED = 'GEN_SUSPENDED'
GEN_CLOSED = 'GEN_CLOSED'

CORO_CREATED = 'CORO_CREATED'
CORO_RUNNING = 'CORO_RUNNING'
CORO_SUSPENDED = 'CORO_SUSPENDED'
CORO_CLOSED = 'CORO_CLOSED'


# ---------------------------------------------------------------- predicates

def ismodule(object):
    """Return true if the object is a module."""
    return isinstance(object, _types.ModuleType)


def isclass(object):
    """Return true if the object is a class."""
    return isinstance(object, type)


def ismethod(object):
    """Return true if the object is an instance method."""
    return isinstance(object, _types.MethodType)


def isfunction(object):
    """Return true if the object is a user-defined function."""
    return isinstance(object, _types.FunctionType)


def _has_code_flag(f, flag):
    while ismethod(f):
        f = f.__func__
    f = _unwrap_partial(f)
    if not isfunction(f):
        return False
    return bool(f.__code__.co_flags & flag)


def _unwrap_partial(f):
    while type(f).__name__ == 'partial' and hasattr(f, 'func'):
        f = f.func
    return f


def isgeneratorfunction(obj):
    """Return true if the object is a user-defined generator function."""
    return _has_code_flag(obj, CO_GENERATOR)


def iscoroutinefunction(obj):
    """Return true if the object is a coroutine function."""
    return _has_code_flag(obj, CO_COROUTINE)


def isasyncgenfunction(obj):
    """Return true if the object is an asynchronous generator function."""
    return _has_code_flag(obj, CO_ASYNC_GENERATOR)


def isasyncgen(object):
    """Return true if the object is an asynchronous generator."""
    return type(object).__name__ == 'async_generator'


def isgenerator(object):
    """Return true if the object is a generator."""
    return isinstance(object, _types.GeneratorType)


def iscoroutine(object):
    """Return true if the object is a coroutine."""
    return type(object).__name__ == 'coroutine'


def isawaitable(object):
    """Return true if object can be passed to an ``await`` expression."""
    return iscoroutine(object) or hasattr(type(object), '__await__')


def istraceback(object):
    """Return true if the object is a traceback."""
    return type(object).__name__ == 'traceback'


def isframe(object):
    """Return true if the object is a frame object."""
    return type(object).__name__ == 'frame'


def iscode(object):
    """Return true if the object is a code object."""
    return isinstance(object, _types.CodeType)


def isbuiltin(object):
    """Return true if the object is a built-in function or method."""
    return isinstance(object, (_types.BuiltinFunctionType,
                               _types.BuiltinMethodType))


def isroutine(object):
    """Return true if the object is any kind of function or method."""
    return (isbuiltin(object) or isfunction(object) or ismethod(object)
            or type(object).__name__ in ('method_descriptor',
                                         'wrapper_descriptor'))


def isabstract(object):
    """Return true if the object is an abstract base class (ABC)."""
    return isinstance(object, type) and \
        bool(getattr(object, '__abstractmethods__', False))


def ismethoddescriptor(object):
    return hasattr(type(object), '__get__') and \
        not hasattr(type(object), '__set__') and not isfunction(object) \
        and not isclass(object)


def isdatadescriptor(object):
    return hasattr(type(object), '__set__') or \
        hasattr(type(object), '__delete__')


# ---------------------------------------------------------------- states

def getgeneratorstate(generator):
    """Get current state of a generator-iterator."""
    if generator.gi_running:
        return GEN_RUNNING
    if getattr(generator, 'gi_suspended', False):
        return GEN_SUSPENDED
    if generator.gi_frame is None:
        return GEN_CLOSED
    return GEN_CREATED


def getcoroutinestate(coroutine):
    """Get current state of a coroutine object."""
    if coroutine.cr_running:
        return CORO_RUNNING
    if getattr(coroutine, 'cr_suspended', False):
        return CORO_SUSPENDED
    if coroutine.cr_frame is None:
        return CORO_CLOSED
    return CORO_CREATED


# ---------------------------------------------------------------- members and docs

def getmro(cls):
    """Return tuple of base classes (including cls) in method resolution
    order."""
    return cls.__mro__


def getmembers(object, predicate=None):
    """Return all members of an object as (name, value) pairs sorted by
    name."""
    results = []
    for key in dir(object):
        try:
            value = getattr(object, key)
        except AttributeError:
            continue
        if predicate is None or predicate(value):
            results.append((key, value))
    results.sort(key=lambda pair: pair[0])
    return results


def cleandoc(doc):
    """Clean up indentation from docstrings."""
    lines = doc.expandtabs().split('\n')
    margin = None
    for line in lines[1:]:
        content = len(line.lstrip())
        if content:
            indent = len(line) - content
            margin = indent if margin is None else min(margin, indent)
    if lines:
        lines[0] = lines[0].lstrip()
    if margin is not None:
        for i in range(1, len(lines)):
            lines[i] = lines[i][margin:]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return '\n'.join(lines)


def getdoc(object):
    """Get the documentation string for an object, cleaned up."""
    try:
        doc = object.__doc__
    except AttributeError:
        return None
    if doc is None and isinstance(object, type):
        for base in object.__mro__[1:]:
            doc = base.__dict__.get('__doc__')
            if doc is not None:
                break
    if not isinstance(doc, str):
        return None
    return cleandoc(doc)


def unwrap(func, *, stop=None):
    """Get the object wrapped by *func* (following __wrapped__)."""
    seen = {id(func)}
    while hasattr(func, '__wrapped__'):
        if stop is not None and stop(func):
            break
        func = func.__wrapped__
        if id(func) in seen:
            raise ValueError(f'wrapper loop when unwrapping {func!r}')
        seen.add(id(func))
    return func


def getmodule(object):
    """Return the module an object was defined in, or None."""
    import sys
    if ismodule(object):
        return object
    name = getattr(object, '__module__', None)
    return sys.modules.get(name) if name else None


# ---------------------------------------------------------------- signatures

class _empty:
    """Marker object for Signature.empty and Parameter.empty."""


class _ParameterKind:
    """One of the five parameter kinds (an int-like ordered constant)."""

    def __init__(self, value, name, description):
        self.value = value
        self.name = name
        self.description = description

    def __repr__(self):
        return f'<_ParameterKind.{self.name}: {self.value}>'

    def __str__(self):
        return self.name

    def __eq__(self, other):
        if isinstance(other, _ParameterKind):
            return self.value == other.value
        return self.value == other

    def __lt__(self, other):
        return self.value < getattr(other, 'value', other)

    def __le__(self, other):
        return self.value <= getattr(other, 'value', other)

    def __gt__(self, other):
        return self.value > getattr(other, 'value', other)

    def __ge__(self, other):
        return self.value >= getattr(other, 'value', other)

    def __hash__(self):
        return hash(self.value)


_POSITIONAL_ONLY = _ParameterKind(0, 'POSITIONAL_ONLY', 'positional-only')
_POSITIONAL_OR_KEYWORD = _ParameterKind(1, 'POSITIONAL_OR_KEYWORD',
                                        'positional or keyword')
_VAR_POSITIONAL = _ParameterKind(2, 'VAR_POSITIONAL',
                                 'variadic positional')
_KEYWORD_ONLY = _ParameterKind(3, 'KEYWORD_ONLY', 'keyword-only')
_VAR_KEYWORD = _ParameterKind(4, 'VAR_KEYWORD', 'variadic keyword')


def _annotation_text(annotation):
    if isinstance(annotation, type):
        if annotation.__module__ == 'builtins':
            return annotation.__qualname__
        return f'{annotation.__module__}.{annotation.__qualname__}'
    if isinstance(annotation, str):
        return repr(annotation)
    return repr(annotation).replace('typing.', '')


class Parameter:
    """Represents a parameter in a function signature."""

    __slots__ = ('_name', '_kind', '_default', '_annotation')

    POSITIONAL_ONLY = _POSITIONAL_ONLY
    POSITIONAL_OR_KEYWORD = _POSITIONAL_OR_KEYWORD
    VAR_POSITIONAL = _VAR_POSITIONAL
    KEYWORD_ONLY = _KEYWORD_ONLY
    VAR_KEYWORD = _VAR_KEYWORD

    empty = _empty

    def __init__(self, name, kind, *, default=_empty, annotation=_empty):
        if kind not in (_POSITIONAL_ONLY, _POSITIONAL_OR_KEYWORD,
                        _VAR_POSITIONAL, _KEYWORD_ONLY, _VAR_KEYWORD):
            raise ValueError(f'value {kind!r} is not a valid '
                             'Parameter.kind')
        if default is not _empty and kind in (_VAR_POSITIONAL,
                                              _VAR_KEYWORD):
            raise ValueError(f'{kind.description} parameters cannot have '
                             'default values')
        if not isinstance(name, str):
            raise TypeError(f'name must be a str, not a '
                            f'{type(name).__name__}')
        if not name.isidentifier():
            raise ValueError(f'{name!r} is not a valid parameter name')
        self._name = name
        self._kind = kind
        self._default = default
        self._annotation = annotation

    @property
    def name(self):
        return self._name

    @property
    def default(self):
        return self._default

    @property
    def annotation(self):
        return self._annotation

    @property
    def kind(self):
        return self._kind

    def replace(self, *, name=None, kind=None, default=None,
                annotation=None):
        """Creates a customized copy of the Parameter."""
        return type(self)(self._name if name is None else name,
                          self._kind if kind is None else kind,
                          default=self._default if default is None
                          else default,
                          annotation=self._annotation if annotation is None
                          else annotation)

    def __str__(self):
        text = self._name
        if self._annotation is not _empty:
            text = f'{text}: {_annotation_text(self._annotation)}'
        if self._default is not _empty:
            if self._annotation is not _empty:
                text = f'{text} = {self._default!r}'
            else:
                text = f'{text}={self._default!r}'
        if self._kind == _VAR_POSITIONAL:
            text = '*' + text
        elif self._kind == _VAR_KEYWORD:
            text = '**' + text
        return text

    def __repr__(self):
        return f'<{self.__class__.__name__} "{self}">'

    def __hash__(self):
        return hash((self._name, self._kind, self._annotation,
                     self._default))

    def __eq__(self, other):
        if self is other:
            return True
        if not isinstance(other, Parameter):
            return NotImplemented
        return (self._name == other._name and self._kind == other._kind
                and self._default == other._default
                and self._annotation == other._annotation)


class BoundArguments:
    """Result of Signature.bind: the mapping of parameters to arguments."""

    def __init__(self, signature, arguments):
        self.arguments = arguments
        self._signature = signature

    @property
    def signature(self):
        return self._signature

    @property
    def args(self):
        args = []
        for name, parameter in self._signature.parameters.items():
            if parameter.kind in (_VAR_KEYWORD, _KEYWORD_ONLY):
                break
            if name not in self.arguments:
                break
            if parameter.kind == _VAR_POSITIONAL:
                args.extend(self.arguments[name])
            else:
                args.append(self.arguments[name])
        return tuple(args)

    @property
    def kwargs(self):
        kwargs = {}
        started = False
        for name, parameter in self._signature.parameters.items():
            if not started:
                if parameter.kind in (_VAR_KEYWORD, _KEYWORD_ONLY):
                    started = True
                elif name not in self.arguments:
                    started = True
                    continue
            if not started or name not in self.arguments:
                continue
            if parameter.kind == _VAR_KEYWORD:
                kwargs.update(self.arguments[name])
            else:
                kwargs[name] = self.arguments[name]
        return kwargs

    def apply_defaults(self):
        """Set default values for missing arguments."""
        new_arguments = {}
        for name, parameter in self._signature.parameters.items():
            if name in self.arguments:
                new_arguments[name] = self.arguments[name]
            elif parameter.default is not _empty:
                new_arguments[name] = parameter.default
            elif parameter.kind == _VAR_POSITIONAL:
                new_arguments[name] = ()
            elif parameter.kind == _VAR_KEYWORD:
                new_arguments[name] = {}
        self.arguments = new_arguments

    def __repr__(self):
        parts = ', '.join(f'{key}={value!r}'
                          for key, value in self.arguments.items())
        return f'<{self.__class__.__name__} ({parts})>'

    def __eq__(self, other):
        if not isinstance(other, BoundArguments):
            return NotImplemented
        return self.signature == other.signature and \
            self.arguments == other.arguments


class Signature:
    """A Signature object represents the overall signature of a function."""

    __slots__ = ('_parameters', '_return_annotation')

    empty = _empty

    def __init__(self, parameters=None, *, return_annotation=_empty,
                 __validate_parameters__=True):
        ordered = {}
        if parameters is not None:
            for parameter in parameters:
                if parameter.name in ordered:
                    raise ValueError(f'duplicate parameter name: '
                                     f'{parameter.name!r}')
                ordered[parameter.name] = parameter
        self._parameters = _types.MappingProxyType(ordered)
        self._return_annotation = return_annotation

    @classmethod
    def from_callable(cls, obj, *, follow_wrapped=True, globals=None,
                      locals=None, eval_str=False):
        """Constructs Signature for the given callable object."""
        return _signature_from_callable(obj, follow_wrapped)

    @property
    def parameters(self):
        return self._parameters

    @property
    def return_annotation(self):
        return self._return_annotation

    def replace(self, *, parameters=_empty, return_annotation=_empty):
        """Creates a customized copy of the Signature."""
        if parameters is _empty:
            parameters = self._parameters.values()
        if return_annotation is _empty:
            return_annotation = self._return_annotation
        return type(self)(parameters, return_annotation=return_annotation)

    def __eq__(self, other):
        if self is other:
            return True
        if not isinstance(other, Signature):
            return NotImplemented
        return (self._return_annotation == other._return_annotation and
                list(self._parameters.items()) ==
                list(other._parameters.items()))

    def __hash__(self):
        return hash((tuple(self._parameters.values()),
                     self._return_annotation))

    def _bind(self, args, kwargs, partial=False):
        arguments = {}
        parameters = list(self._parameters.values())
        index = 0
        args = list(args)
        kwargs = dict(kwargs)
        for parameter in parameters:
            if parameter.kind in (_POSITIONAL_ONLY, _POSITIONAL_OR_KEYWORD):
                if args:
                    arguments[parameter.name] = args.pop(0)
                    continue
                if parameter.kind == _POSITIONAL_OR_KEYWORD and \
                        parameter.name in kwargs:
                    arguments[parameter.name] = kwargs.pop(parameter.name)
                    continue
                if parameter.default is _empty and not partial:
                    raise TypeError(f'missing a required argument: '
                                    f'{parameter.name!r}')
            elif parameter.kind == _VAR_POSITIONAL:
                if args:
                    arguments[parameter.name] = tuple(args)
                    args = []
            elif parameter.kind == _KEYWORD_ONLY:
                if parameter.name in kwargs:
                    arguments[parameter.name] = kwargs.pop(parameter.name)
                elif parameter.default is _empty and not partial:
                    raise TypeError(f'missing a required argument: '
                                    f'{parameter.name!r}')
            else:
                if kwargs:
                    arguments[parameter.name] = kwargs
                    kwargs = {}
            index += 1
        if args:
            raise TypeError('too many positional arguments')
        if kwargs:
            name = next(iter(kwargs))
            raise TypeError(f'got an unexpected keyword argument {name!r}')
        return BoundArguments(self, arguments)

    def bind(self, /, *args, **kwargs):
        """Map the passed arguments to the signature's parameters."""
        return self._bind(args, kwargs)

    def bind_partial(self, /, *args, **kwargs):
        """Map the passed arguments to the signature's parameters,
        allowing missing required ones."""
        return self._bind(args, kwargs, partial=True)

    def __repr__(self):
        return f'<{self.__class__.__name__} {self}>'

    def __str__(self):
        rendered = []
        render_slash = False
        render_star = True
        for parameter in self._parameters.values():
            kind = parameter.kind
            if kind == _POSITIONAL_ONLY:
                render_slash = True
            elif render_slash:
                rendered.append('/')
                render_slash = False
            if kind == _VAR_POSITIONAL:
                render_star = False
            elif kind == _KEYWORD_ONLY and render_star:
                rendered.append('*')
                render_star = False
            rendered.append(str(parameter))
        if render_slash:
            rendered.append('/')
        text = f"({', '.join(rendered)})"
        if self._return_annotation is not _empty:
            text += f' -> {_annotation_text(self._return_annotation)}'
        return text


def _signature_of_function(func, skip_first=False):
    code = func.__code__
    names = code.co_varnames
    positional_count = code.co_argcount
    positional_only = code.co_posonlyargcount
    keyword_only = code.co_kwonlyargcount
    defaults = func.__defaults__ or ()
    kw_defaults = func.__kwdefaults__ or {}
    annotations = getattr(func, '__annotations__', None) or {}
    parameters = []
    first_default = positional_count - len(defaults)
    for index in range(positional_count):
        name = names[index]
        kind = _POSITIONAL_ONLY if index < positional_only else \
            _POSITIONAL_OR_KEYWORD
        default = defaults[index - first_default] if index >= first_default \
            else _empty
        parameters.append(Parameter(name, kind, default=default,
                                    annotation=annotations.get(name, _empty)))
    position = positional_count
    keyword_names = names[position:position + keyword_only]
    position += keyword_only
    if code.co_flags & CO_VARARGS:
        name = names[position]
        position += 1
        parameters.append(Parameter(name, _VAR_POSITIONAL,
                                    annotation=annotations.get(name, _empty)))
    for name in keyword_names:
        parameters.append(Parameter(name, _KEYWORD_ONLY,
                                    default=kw_defaults.get(name, _empty),
                                    annotation=annotations.get(name, _empty)))
    if code.co_flags & CO_VARKEYWORDS:
        name = names[position]
        parameters.append(Parameter(name, _VAR_KEYWORD,
                                    annotation=annotations.get(name, _empty)))
    if skip_first and parameters:
        parameters = parameters[1:]
    return Signature(parameters,
                     return_annotation=annotations.get('return', _empty))


def _signature_from_callable(obj, follow_wrapped=True, skip_first=False):
    if not callable(obj):
        raise TypeError(f'{obj!r} is not a callable object')
    if ismethod(obj):
        return _signature_from_callable(obj.__func__, follow_wrapped,
                                        skip_first=True)
    if follow_wrapped:
        obj = unwrap(obj, stop=lambda f: hasattr(f, '__signature__'))
    existing = getattr(obj, '__signature__', None)
    if isinstance(existing, Signature):
        return existing
    if isfunction(obj):
        return _signature_of_function(obj, skip_first)
    if type(obj).__name__ == 'partial' and hasattr(obj, 'func'):
        inner = _signature_from_callable(obj.func, follow_wrapped)
        parameters = list(inner.parameters.values())[len(obj.args):]
        parameters = [p.replace(default=obj.keywords[p.name],
                                kind=_KEYWORD_ONLY)
                      if p.name in obj.keywords else p for p in parameters]
        return inner.replace(parameters=parameters)
    if isinstance(obj, type):
        for name in ('__new__', '__init__'):
            for base in obj.__mro__:
                method = base.__dict__.get(name)
                if method is not None and isfunction(
                        getattr(method, '__func__', method)):
                    return _signature_from_callable(
                        getattr(method, '__func__', method), follow_wrapped,
                        skip_first=True)
        raise ValueError(f'no signature found for builtin type {obj!r}')
    call = getattr(type(obj), '__call__', None)
    if call is not None and isfunction(call):
        return _signature_of_function(call, skip_first=True)
    raise ValueError(f'no signature found for {obj!r}')


def signature(obj, *, follow_wrapped=True, globals=None, locals=None,
              eval_str=False):
    """Get a signature object for the passed callable."""
    return _signature_from_callable(obj, follow_wrapped)


def getfullargspec(func):
    """Get the names and default values of a callable object's
    parameters."""
    from collections import namedtuple
    FullArgSpec = namedtuple('FullArgSpec', 'args, varargs, varkw, defaults, '
                                            'kwonlyargs, kwonlydefaults, '
                                            'annotations')
    sig = signature(func, follow_wrapped=False)
    args = []
    varargs = varkw = None
    kwonlyargs = []
    kwdefaults = {}
    defaults = []
    for parameter in sig.parameters.values():
        if parameter.kind in (_POSITIONAL_ONLY, _POSITIONAL_OR_KEYWORD):
            args.append(parameter.name)
            if parameter.default is not _empty:
                defaults.append(parameter.default)
        elif parameter.kind == _VAR_POSITIONAL:
            varargs = parameter.name
        elif parameter.kind == _KEYWORD_ONLY:
            kwonlyargs.append(parameter.name)
            if parameter.default is not _empty:
                kwdefaults[parameter.name] = parameter.default
        else:
            varkw = parameter.name
    annotations = dict(getattr(func, '__annotations__', {}) or {})
    return FullArgSpec(args, varargs, varkw, tuple(defaults) or None,
                       kwonlyargs, kwdefaults or None, annotations)
