"""Path-name operations for POSIX paths (`os.path`): pure string
manipulation, plus the queries (`exists`, `isdir`, `getsize`...) that ask
the host through the native `posix` module. Works on str paths and on
bytes paths for the string functions."""

import posix as _posix
import stat as _stat

curdir = '.'
pardir = '..'
extsep = '.'
sep = '/'
pathsep = ':'
defpath = '/bin:/usr/bin'
altsep = None
devnull = '/dev/null'
supports_unicode_filenames = False

__all__ = ['normcase', 'isabs', 'join', 'splitdrive', 'split', 'splitext',
           'basename', 'dirname', 'commonprefix', 'getsize', 'getmtime',
           'getatime', 'getctime', 'islink', 'exists', 'lexists', 'isdir',
           'isfile', 'ismount', 'expanduser', 'expandvars', 'normpath',
           'abspath', 'samefile', 'samestat', 'curdir', 'pardir', 'sep',
           'pathsep', 'defpath', 'altsep', 'extsep', 'devnull', 'realpath',
           'supports_unicode_filenames', 'relpath', 'commonpath']


def _text(path):
    return _posix.fspath(path)


def _slash(path):
    return b'/' if isinstance(path, bytes) else '/'


def _check_same_kind(function, parts):
    has_str = has_bytes = False
    for part in parts:
        if hasattr(type(part), '__fspath__'):
            part = _text(part)
        if isinstance(part, str):
            has_str = True
        elif isinstance(part, bytes):
            has_bytes = True
        else:
            raise TypeError(f'{function}() argument must be str, bytes, or '
                            f'os.PathLike object, not '
                            f"'{type(part).__name__}'")
    if has_str and has_bytes:
        raise TypeError("Can't mix strings and bytes in path components")


def normcase(s):
    """POSIX paths are case-sensitive: returns the path unchanged."""
    return _text(s)


def isabs(s):
    """Whether the path is absolute (starts with a slash)."""
    s = _text(s)
    return s.startswith(_slash(s))


def join(a, *p):
    """Joins path components with '/'; an absolute component discards
    everything before it."""
    _check_same_kind('join', (a,) + p)
    a = _text(a)
    parts = [_text(part) for part in p]
    slash = _slash(a)
    result = a
    for part in parts:
        if part.startswith(slash):
            result = part
        elif not result or result.endswith(slash):
            result = result + part
        else:
            result = result + slash + part
    return result


def split(p):
    """(head, tail): tail is everything after the last slash; head keeps
    its slashes only when it is nothing but slashes."""
    p = _text(p)
    slash = _slash(p)
    cut = p.rfind(slash) + 1
    head, tail = p[:cut], p[cut:]
    if head and head != slash * len(head):
        head = head.rstrip(slash)
    return head, tail


def splitext(p):
    """(root, ext): ext is the last dot-suffix of the final component;
    leading dots of the component do not start an extension."""
    p = _text(p)
    slash = _slash(p)
    dot = b'.' if isinstance(p, bytes) else '.'
    last_slash = p.rfind(slash)
    last_dot = p.rfind(dot)
    if last_dot > last_slash:
        name_start = last_slash + 1
        if p[name_start:last_dot].strip(dot):
            return p[:last_dot], p[last_dot:]
    return p, p[:0]


def splitdrive(p):
    """POSIX has no drives: ('', p)."""
    p = _text(p)
    return p[:0], p


def basename(p):
    """The final component of a path."""
    return split(p)[1]


def dirname(p):
    """Everything but the final component of a path."""
    return split(p)[0]


def normpath(path):
    """Collapses redundant slashes and '.' components, and resolves '..'
    lexically."""
    path = _text(path)
    if isinstance(path, bytes):
        return normpath(path.decode('utf-8', 'surrogateescape')).encode(
            'utf-8', 'surrogateescape')
    if not path:
        return '.'
    leading = 0
    while leading < len(path) and path[leading] == '/':
        leading += 1
    prefix = '//' if leading == 2 else ('/' if leading else '')
    kept = []
    for part in path.split('/'):
        if part in ('', '.'):
            continue
        if part == '..':
            if kept and kept[-1] != '..':
                kept.pop()
                continue
            if prefix:
                continue
        kept.append(part)
    return (prefix + '/'.join(kept)) or '.'


def abspath(path):
    """The normalized absolute form of a path (relative to the current
    directory)."""
    path = _text(path)
    if not isabs(path):
        if isinstance(path, bytes):
            path = join(_posix.getcwd().encode(), path)
        else:
            path = join(_posix.getcwd(), path)
    return normpath(path)


def realpath(filename, *, strict=False):
    """The absolute, normalized path (symbolic links are not resolved by
    this runtime)."""
    return abspath(filename)


def relpath(path, start=None):
    """A relative path from start (default: the current directory) to
    path."""
    if not path:
        raise ValueError('no path specified')
    path = _text(path)
    if start is None:
        start = b'.' if isinstance(path, bytes) else '.'
    start = _text(start)
    _check_same_kind('relpath', [path, start])
    slash = _slash(path)
    start_parts = [part for part in abspath(start).split(slash) if part]
    path_parts = [part for part in abspath(path).split(slash) if part]
    shared = len(commonprefix([start_parts, path_parts]))
    pardir_value = b'..' if isinstance(path, bytes) else '..'
    parts = [pardir_value] * (len(start_parts) - shared) + path_parts[shared:]
    if not parts:
        return b'.' if isinstance(path, bytes) else '.'
    return join(*parts)


def commonprefix(m):
    """The longest common leading part (element by element) of the items."""
    if not m:
        return ''
    if not isinstance(m[0], (list, tuple)):
        m = tuple(map(_text, m))
    lowest = min(m)
    highest = max(m)
    for index, item in enumerate(lowest):
        if item != highest[index]:
            return lowest[:index]
    return lowest


def commonpath(paths):
    """The longest common sub-path of the paths (component-wise)."""
    paths = tuple(map(_text, paths))
    if not paths:
        raise ValueError('commonpath() arg is an empty sequence')
    _check_same_kind('commonpath', paths)
    slash = _slash(paths[0])
    dot = b'.' if isinstance(paths[0], bytes) else '.'
    split_paths = [[part for part in path.split(slash) if part and part != dot]
                   for path in paths]
    absolute = {path.startswith(slash) for path in paths}
    if len(absolute) != 1:
        raise ValueError("Can't mix absolute and relative paths")
    lowest = min(split_paths)
    highest = max(split_paths)
    common = lowest
    for index, part in enumerate(lowest):
        if part != highest[index]:
            common = lowest[:index]
            break
    prefix = slash if paths[0].startswith(slash) else slash[:0]
    return prefix + slash.join(common)


def expanduser(path):
    """Replaces a leading '~' by $HOME (other users' '~name' are left as
    they are)."""
    path = _text(path)
    tilde = b'~' if isinstance(path, bytes) else '~'
    if not path.startswith(tilde):
        return path
    slash = _slash(path)
    end = path.find(slash, 1)
    if end < 0:
        end = len(path)
    if end != 1:
        return path
    import os
    home = os.environ.get('HOME')
    if home is None:
        return path
    if isinstance(path, bytes):
        home = home.encode()
    home = home.rstrip(slash)
    return (home + path[end:]) or slash


def expandvars(path):
    """Replaces $name and ${name} by environment variables that are set."""
    path = _text(path)
    if isinstance(path, bytes):
        return expandvars(path.decode('utf-8', 'surrogateescape')).encode(
            'utf-8', 'surrogateescape')
    if '$' not in path:
        return path
    import os
    pieces = []
    index = 0
    while index < len(path):
        char = path[index]
        if char != '$':
            pieces.append(char)
            index += 1
            continue
        if path.startswith('{', index + 1):
            close = path.find('}', index + 2)
            if close < 0:
                pieces.append(path[index:])
                break
            name = path[index + 2:close]
            end = close + 1
        else:
            end = index + 1
            while end < len(path) and (path[end].isalnum() or path[end] == '_'):
                end += 1
            name = path[index + 1:end]
        if name and name in os.environ:
            pieces.append(os.environ[name])
        else:
            pieces.append(path[index:end])
        index = end
    return ''.join(pieces)


# -- queries that ask the host

def exists(path):
    """Whether path names an existing file or directory."""
    try:
        _posix.stat(path)
    except (OSError, ValueError):
        return False
    return True


def lexists(path):
    """Whether path exists, not following a final symbolic link."""
    try:
        _posix.stat(path, None, False)
    except (OSError, ValueError):
        return False
    return True


def _mode(path, follow=True):
    try:
        return _posix.stat(path, None, follow)[0]
    except (OSError, ValueError):
        return None


def isfile(path):
    """Whether path is a regular file (following symbolic links)."""
    mode = _mode(path)
    return mode is not None and _stat.S_ISREG(mode)


def isdir(s):
    """Whether s is a directory (following symbolic links)."""
    mode = _mode(s)
    return mode is not None and _stat.S_ISDIR(mode)


def islink(path):
    """Whether path is a symbolic link."""
    mode = _mode(path, False)
    return mode is not None and _stat.S_ISLNK(mode)


def ismount(path):
    """Whether path is a mount point (only '/' is recognised)."""
    return isdir(path) and normpath(abspath(_text(path))) in ('/', b'/')


def getsize(filename):
    """The size of a file in bytes."""
    return _posix.stat(filename)[6]


def getatime(filename):
    """The time of last access, in seconds since the epoch."""
    return _posix.stat(filename)[7]


def getmtime(filename):
    """The time of last modification, in seconds since the epoch."""
    return _posix.stat(filename)[8]


def getctime(filename):
    """The time of last status change, in seconds since the epoch."""
    return _posix.stat(filename)[9]


def samestat(s1, s2):
    """Whether two stat results describe the same file."""
    return s1.st_ino == s2.st_ino and s1.st_dev == s2.st_dev


def samefile(f1, f2):
    """Whether two paths name the same file."""
    import os
    return samestat(os.stat(f1), os.stat(f2))
