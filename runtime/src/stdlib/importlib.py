"""`importlib`: importing by name at run time (`import_module`, absolute
or relative to a package), `reload` (runs a module's source again in the
same module object, through the native `_imp`), and `invalidate_caches`
(the import system keeps no finder caches, so it does nothing)."""

import sys
import _imp

__all__ = ['import_module', 'reload', 'invalidate_caches']


def _resolve_name(name, package, level):
    parts = package.rsplit('.', level - 1)
    if len(parts) < level:
        raise ImportError('attempted relative import beyond top-level package')
    base = parts[0]
    return f'{base}.{name}' if name else base


def import_module(name, package=None):
    """Imports a module and returns it (the module itself for dotted
    names, unlike __import__). A name starting with dots is relative to
    package."""
    level = 0
    if name.startswith('.'):
        if not package:
            raise TypeError("the 'package' argument is required to perform a "
                            f'relative import for {name!r}')
        while level < len(name) and name[level] == '.':
            level += 1
    if not name:
        raise ValueError('Empty module name')
    absolute = _resolve_name(name[level:], package, level) if level else name
    if absolute in sys.modules:
        module = sys.modules[absolute]
        if module is None:
            raise ModuleNotFoundError(
                f'import of {absolute} halted; None in sys.modules',
                name=absolute)
        return module
    __import__(absolute)
    return sys.modules[absolute]


def reload(module):
    """Runs the module's source again in its own namespace and returns the
    module (as found in sys.modules afterwards)."""
    return _imp.reload(module)


def invalidate_caches():
    """No finder caches to clear."""
