"""The `os` module: operating-system services for POSIX, built on the
native `posix` module (whose calls go through the embedder's host, so a
host that grants no files or environment gives PermissionError or empty
results). Provides `os.path` (the `posixpath` module), `environ`,
directory and file operations, `stat`, `scandir` and `walk`."""

import sys
import abc as _abc
import posix as _posix
import posixpath as path
from _collections_abc import MutableMapping as _MutableMapping
from posix import (getcwd, chdir, listdir, mkdir, rmdir, remove, unlink,
                   rename, replace, urandom, cpu_count, getpid, strerror,
                   fspath)

sys.modules['os.path'] = path

name = 'posix'
linesep = '\n'
from posixpath import (curdir, pardir, sep, pathsep, defpath, extsep,
                       altsep, devnull)

error = OSError
SEEK_SET, SEEK_CUR, SEEK_END = 0, 1, 2
F_OK, X_OK, W_OK, R_OK = 0, 1, 2, 4
supports_bytes_environ = True


class stat_result(tuple):
    """The result of `stat()`: a 10-tuple (mode, ino, dev, nlink, uid,
    gid, size, atime, mtime, ctime) with integer times, plus `st_*`
    attributes (float times)."""

    n_sequence_fields = 10
    n_fields = 10
    n_unnamed_fields = 0
    _FIELDS = ('st_mode', 'st_ino', 'st_dev', 'st_nlink', 'st_uid',
               'st_gid', 'st_size')

    def __new__(cls, fields):
        fields = tuple(fields)
        if len(fields) != 10:
            raise TypeError('os.stat_result() takes a 10-sequence '
                            f'({len(fields)}-sequence given)')
        self = tuple.__new__(cls, fields[:7] + tuple(int(t) for t in fields[7:]))
        self._times = tuple(float(t) for t in fields[7:])
        return self

    st_mode = property(lambda self: self[0])
    st_ino = property(lambda self: self[1])
    st_dev = property(lambda self: self[2])
    st_nlink = property(lambda self: self[3])
    st_uid = property(lambda self: self[4])
    st_gid = property(lambda self: self[5])
    st_size = property(lambda self: self[6])
    st_atime = property(lambda self: self._times[0])
    st_mtime = property(lambda self: self._times[1])
    st_ctime = property(lambda self: self._times[2])
    st_atime_ns = property(lambda self: int(self._times[0] * 1e9))
    st_mtime_ns = property(lambda self: int(self._times[1] * 1e9))
    st_ctime_ns = property(lambda self: int(self._times[2] * 1e9))

    def __repr__(self):
        shown = ', '.join(f'{field}={value}' for field, value
                          in zip(self._FIELDS + ('st_atime', 'st_mtime',
                                                 'st_ctime'), self))
        return f'os.stat_result({shown})'

    def __reduce__(self):
        return (stat_result, (tuple(self),))


def stat(path, *, dir_fd=None, follow_symlinks=True):
    """Facts about a file or directory (following symbolic links unless
    follow_symlinks is false)."""
    return stat_result(_posix.stat(path, None, follow_symlinks))


def lstat(path, *, dir_fd=None):
    """Like stat(), without following a final symbolic link."""
    return stat_result(_posix.stat(path, None, False))


def access(path, mode, *, dir_fd=None, effective_ids=False,
           follow_symlinks=True):
    """Whether path exists (F_OK) and has the permission bits for mode
    (checked against the owner's bits)."""
    try:
        st_mode = _posix.stat(path, None, follow_symlinks)[0]
    except OSError:
        return False
    if mode & R_OK and not st_mode & 0o444:
        return False
    if mode & W_OK and not st_mode & 0o222:
        return False
    if mode & X_OK and not st_mode & 0o111:
        return False
    return True


class _Environ(_MutableMapping):
    """`os.environ`: the host's environment variables as a mapping of str
    to str; changes are passed on to the host."""

    def __init__(self, data):
        self._data = data

    def __getitem__(self, key):
        return self._data[key]

    def __setitem__(self, key, value):
        if not isinstance(key, str):
            raise TypeError(f'str expected, not {type(key).__name__}')
        if not isinstance(value, str):
            raise TypeError(f'str expected, not {type(value).__name__}')
        try:
            _posix.putenv(key, value)
        except PermissionError:
            pass
        self._data[key] = value

    def __delitem__(self, key):
        if key not in self._data:
            raise KeyError(key)
        try:
            _posix.unsetenv(key)
        except PermissionError:
            pass
        del self._data[key]

    def __iter__(self):
        return iter(list(self._data))

    def __len__(self):
        return len(self._data)

    def __repr__(self):
        shown = ', '.join(f'{key!r}: {value!r}'
                          for key, value in self._data.items())
        return f'environ({{{shown}}})'

    def copy(self):
        return dict(self)

    def setdefault(self, key, value):
        if key not in self:
            self[key] = value
        return self[key]

    def __or__(self, other):
        if not isinstance(other, _MutableMapping) and not isinstance(other, dict):
            return NotImplemented
        merged = dict(self)
        merged.update(other)
        return merged

    def __ior__(self, other):
        self.update(other)
        return self


environ = _Environ(_posix._environ())


def getenv(key, default=None):
    """The environment variable key, or default."""
    return environ.get(key, default)


def putenv(key, value):
    """Sets an environment variable in the host (not in os.environ)."""
    _posix.putenv(key, value)


def unsetenv(key):
    """Removes an environment variable from the host (not from
    os.environ)."""
    _posix.unsetenv(key)


def fsencode(filename):
    """A path as bytes (UTF-8)."""
    filename = fspath(filename)
    if isinstance(filename, str):
        return filename.encode('utf-8', 'surrogateescape')
    return filename


def fsdecode(filename):
    """A path as str (UTF-8)."""
    filename = fspath(filename)
    if isinstance(filename, bytes):
        return filename.decode('utf-8', 'surrogateescape')
    return filename


def getcwdb():
    """The current working directory as bytes."""
    return fsencode(getcwd())


def makedirs(name, mode=0o777, exist_ok=False):
    """Creates a directory and any missing parents; an existing leaf
    directory is an error unless exist_ok."""
    head, tail = path.split(name)
    if not tail:
        head, tail = path.split(head)
    if head and tail and not path.exists(head):
        try:
            makedirs(head, exist_ok=exist_ok)
        except FileExistsError:
            pass
        if tail == (curdir.encode() if isinstance(tail, bytes) else curdir):
            return
    try:
        mkdir(name, mode)
    except OSError:
        if not exist_ok or not path.isdir(name):
            raise


def removedirs(name):
    """Removes a directory, then each parent that becomes empty."""
    rmdir(name)
    head, tail = path.split(name)
    if not tail:
        head, tail = path.split(head)
    while head and tail:
        try:
            rmdir(head)
        except OSError:
            break
        head, tail = path.split(head)


def renames(old, new):
    """Renames, creating the new parents and pruning the old ones."""
    head, tail = path.split(new)
    if head and tail and not path.exists(head):
        makedirs(head)
    rename(old, new)
    head, tail = path.split(old)
    if head and tail:
        try:
            removedirs(head)
        except OSError:
            pass


class PathLike(_abc.ABC):
    """Abstract base class for objects with `__fspath__`."""

    @_abc.abstractmethod
    def __fspath__(self):
        raise NotImplementedError

    @classmethod
    def __subclasshook__(cls, subclass):
        if cls is PathLike:
            return hasattr(subclass, '__fspath__')
        return NotImplemented


class DirEntry:
    """One entry of a directory listed by scandir()."""

    def __init__(self, directory, name):
        self.name = name
        self.path = path.join(directory, name)
        self._stat = None
        self._lstat = None

    def __fspath__(self):
        return self.path

    def __repr__(self):
        return f'<DirEntry {self.name!r}>'

    def stat(self, *, follow_symlinks=True):
        if follow_symlinks:
            if self._stat is None:
                self._stat = stat(self.path)
            return self._stat
        if self._lstat is None:
            self._lstat = lstat(self.path)
        return self._lstat

    def _type_is(self, test, follow_symlinks):
        try:
            return test(self.stat(follow_symlinks=follow_symlinks).st_mode)
        except FileNotFoundError:
            return False

    def is_dir(self, *, follow_symlinks=True):
        import stat as st
        return self._type_is(st.S_ISDIR, follow_symlinks)

    def is_file(self, *, follow_symlinks=True):
        import stat as st
        return self._type_is(st.S_ISREG, follow_symlinks)

    def is_symlink(self):
        import stat as st
        return self._type_is(st.S_ISLNK, False)

    def inode(self):
        return self.stat(follow_symlinks=False).st_ino


class _ScandirIterator:
    def __init__(self, directory):
        self._directory = directory
        self._names = iter(listdir(directory))

    def __iter__(self):
        return self

    def __next__(self):
        name = next(self._names)
        return DirEntry(self._directory, name)

    def close(self):
        self._names = iter(())

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


def scandir(path='.'):
    """An iterator of DirEntry objects for the entries of a directory."""
    return _ScandirIterator(fspath(path))


def walk(top, topdown=True, onerror=None, followlinks=False):
    """Yields (dirpath, dirnames, filenames) for each directory in the
    tree under top; with topdown, a directory comes before its
    subdirectories, whose list the caller may prune in place."""
    top = fspath(top)
    try:
        entries = list(scandir(top))
    except OSError as error:
        if onerror is not None:
            onerror(error)
        return
    dirnames = []
    filenames = []
    descend = []
    for entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            dirnames.append(entry.name)
        else:
            filenames.append(entry.name)
    if topdown:
        yield top, dirnames, filenames
        for name in dirnames:
            child = path.join(top, name)
            if followlinks or not path.islink(child):
                yield from walk(child, topdown, onerror, followlinks)
    else:
        for name in dirnames:
            child = path.join(top, name)
            if followlinks or not path.islink(child):
                descend.append(child)
        for child in descend:
            yield from walk(child, topdown, onerror, followlinks)
        yield top, dirnames, filenames


def get_exec_path(env=None):
    """The directories searched for executables ($PATH)."""
    if env is None:
        env = environ
    return env.get('PATH', defpath).split(pathsep)

