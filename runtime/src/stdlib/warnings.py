"""Warning control (warnings module).

Owns warn()/warn_explicit(), the filter list (filterwarnings,
simplefilter, resetwarnings) with the actions error/ignore/always/default/
module/once, catch_warnings (optionally recording WarningMessage objects),
and showwarning/formatwarning writing to sys.stderr. protoPython has no
frame introspection, so warnings without an explicit location are
reported as coming from "sys", line 1, as CPython does in that case.
"""

import sys

__all__ = ['warn', 'warn_explicit', 'showwarning', 'formatwarning',
           'filterwarnings', 'simplefilter', 'resetwarnings',
           'catch_warnings']

_ACTIONS = ('error', 'ignore', 'always', 'default', 'module', 'once')

import builtins as _builtins

filters = [('default', None, DeprecationWarning, '__main__', 0)]
for _name in ('DeprecationWarning', 'PendingDeprecationWarning',
              'ImportWarning', 'ResourceWarning'):
    _category = getattr(_builtins, _name, None)
    if _category is not None:
        filters.append(('ignore', None, _category, None, 0))
del _name, _category
defaultaction = 'default'
onceregistry = {}
_filters_version = [1]
_seen = set()


def _category_or_default(category):
    if category is None:
        return UserWarning
    if not (isinstance(category, type) and issubclass(category, Warning)):
        raise TypeError('category must be a Warning subclass, not '
                        f"'{type(category).__name__}'")
    return category


def formatwarning(message, category, filename, lineno, line=None):
    """Function to format a warning the standard way."""
    text = f'{filename}:{lineno}: {category.__name__}: {message}\n'
    if line:
        text += f'  {line.strip()}\n'
    return text


def _showwarning_default(message, category, filename, lineno, file=None,
                         line=None):
    if file is None:
        file = sys.stderr
        if file is None:
            return
    try:
        file.write(formatwarning(message, category, filename, lineno, line))
    except OSError:
        pass


showwarning = _showwarning_default


class WarningMessage:
    """A recorded warning (what catch_warnings(record=True) collects)."""

    _WARNING_DETAILS = ('message', 'category', 'filename', 'lineno', 'file',
                        'line', 'source')

    def __init__(self, message, category, filename, lineno, file=None,
                 line=None, source=None):
        self.message = message
        self.category = category
        self.filename = filename
        self.lineno = lineno
        self.file = file
        self.line = line
        self.source = source
        self._category_name = category.__name__ if category else None

    def __str__(self):
        return (f'{{message : {self.message!r}, category : '
                f'{self._category_name!r}, filename : {self.filename!r}, '
                f'lineno : {self.lineno}, line : {self.line!r}}}')


def _matches(pattern, text):
    if pattern is None:
        return True
    if hasattr(pattern, 'match'):
        return pattern.match(text) is not None
    return text.lower().startswith(pattern.lower()) if pattern else True


def filterwarnings(action, message='', category=Warning, module='',
                   lineno=0, append=False):
    """Insert an entry into the list of warnings filters (at the front)."""
    if action not in _ACTIONS:
        raise AssertionError(f'invalid action: {action!r}')
    if not isinstance(message, str):
        raise AssertionError('message must be a string')
    if not (isinstance(category, type) and issubclass(category, Warning)):
        raise AssertionError('category must be a Warning subclass')
    if not isinstance(lineno, int) or lineno < 0:
        raise AssertionError('lineno must be an int >= 0')
    _add_filter(action, message or None, category, module or None, lineno,
                append=append)


def simplefilter(action, category=Warning, lineno=0, append=False):
    """Insert a simple entry into the list of warnings filters."""
    if action not in _ACTIONS:
        raise AssertionError(f'invalid action: {action!r}')
    _add_filter(action, None, category, None, lineno, append=append)


def _add_filter(*item, append):
    if not append:
        try:
            filters.remove(item)
        except ValueError:
            pass
        filters.insert(0, item)
    elif item not in filters:
        filters.append(item)
    _filters_version[0] += 1
    _seen.clear()


def resetwarnings():
    """Clear the list of warning filters, so that no filters are active."""
    filters[:] = []
    _filters_version[0] += 1
    _seen.clear()


def _action_for(text, category, module, lineno):
    for action, message, filter_category, filter_module, filter_lineno \
            in filters:
        if not _matches(message, text):
            continue
        if not issubclass(category, filter_category):
            continue
        if filter_module is not None and not (
                module == filter_module if isinstance(filter_module, str)
                else _matches(filter_module, module)):
            continue
        if filter_lineno and filter_lineno != lineno:
            continue
        return action
    return defaultaction


def warn_explicit(message, category, filename, lineno, module=None,
                  registry=None, module_globals=None, source=None):
    """Issue a warning at an explicit location."""
    if isinstance(message, Warning):
        text = str(message)
        category = message.__class__
    else:
        text = message
        category = _category_or_default(category)
        message = category(message)
    if module is None:
        module = filename or '<unknown>'
        if module.endswith('.py'):
            module = module[:-3]
    action = _action_for(text, category, module, lineno)
    if action == 'ignore':
        return
    if action == 'error':
        raise message
    if action == 'once':
        key = (text, category)
        if key in onceregistry:
            return
        onceregistry[key] = 1
    elif action == 'module':
        key = (text, category, module)
        if key in _seen:
            return
        _seen.add(key)
    elif action == 'default':
        key = (text, category, module, lineno)
        if key in _seen:
            return
        _seen.add(key)
    _show(message, category, filename, lineno, source)


def _show(message, category, filename, lineno, source):
    record = WarningMessage(message, category, filename, lineno,
                            source=source)
    hook = showwarning
    if hook is _showwarning_default:
        _showwarning_default(record.message, record.category,
                             record.filename, record.lineno)
    else:
        hook(record.message, record.category, record.filename,
             record.lineno)


def warn(message, category=None, stacklevel=1, source=None):
    """Issue a warning, or maybe ignore it or raise an exception."""
    if isinstance(message, Warning):
        category = message.__class__
    category = _category_or_default(category)
    warn_explicit(message, category, 'sys', 1, module='sys', source=source)


class catch_warnings:
    """A context manager that copies and restores the warnings filter upon
    exiting the context."""

    def __init__(self, *, record=False, module=None, action=None,
                 category=Warning, lineno=0, append=False):
        self._record = record
        self._entered = False
        self._action = action
        self._filter_arguments = (category, lineno, append)

    def __repr__(self):
        args = []
        if self._record:
            args.append('record=True')
        return f"{type(self).__name__}({', '.join(args)})"

    def __enter__(self):
        global showwarning
        if self._entered:
            raise RuntimeError(f'Cannot enter {self!r} twice')
        self._entered = True
        self._saved_filters = filters[:]
        self._saved_showwarning = showwarning
        _seen.clear()
        if self._action is not None:
            category, lineno, append = self._filter_arguments
            simplefilter(self._action, category, lineno, append)
        if self._record:
            log = []

            def record(message, category, filename, lineno, file=None,
                       line=None):
                log.append(WarningMessage(message, category, filename,
                                          lineno, file, line))
            showwarning = record
            return log
        return None

    def __exit__(self, *exc_info):
        global showwarning
        if not self._entered:
            raise RuntimeError(f'Cannot exit {self!r} without entering '
                               'first')
        filters[:] = self._saved_filters
        showwarning = self._saved_showwarning
        _filters_version[0] += 1
        _seen.clear()
