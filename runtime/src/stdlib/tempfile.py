"""Temporary files and directories (`tempfile`): unique names made from
`os.urandom`, `mkdtemp`, `TemporaryDirectory` (removes its tree on exit),
`NamedTemporaryFile`/`TemporaryFile` (deleted on close) and
`gettempdir`. All file access goes through `os` and `open()`."""

import os as _os

__all__ = ['NamedTemporaryFile', 'TemporaryFile', 'TemporaryDirectory',
           'mkdtemp', 'mktemp', 'TMP_MAX', 'gettempprefix', 'tempdir',
           'gettempdir', 'gettempprefixb', 'gettempdirb']

TMP_MAX = 10000
template = 'tmp'
tempdir = None

_NAME_CHARACTERS = 'abcdefghijklmnopqrstuvwxyz0123456789_'


def _random_name():
    try:
        noise = _os.urandom(8)
    except OSError:
        import random
        noise = bytes(random.randrange(256) for _ in range(8))
    return ''.join(_NAME_CHARACTERS[byte % len(_NAME_CHARACTERS)]
                   for byte in noise)


def gettempprefix():
    """The default prefix of temporary names ('tmp')."""
    return template


def gettempprefixb():
    return template.encode()


def _candidate_dirs():
    for variable in ('TMPDIR', 'TEMP', 'TMP'):
        value = _os.getenv(variable)
        if value:
            yield value
    yield from ('/tmp', '/var/tmp', '/usr/tmp')
    try:
        yield _os.getcwd()
    except OSError:
        yield _os.curdir


def gettempdir():
    """The directory for temporary files: $TMPDIR, $TEMP or $TMP, else the
    first of /tmp, /var/tmp, /usr/tmp that exists."""
    global tempdir
    if tempdir is None:
        candidates = list(_candidate_dirs())
        for candidate in candidates:
            if _os.path.isdir(candidate):
                tempdir = _os.path.abspath(candidate)
                break
        else:
            raise FileNotFoundError(
                2, f'No usable temporary directory found in {candidates}')
    return tempdir


def gettempdirb():
    return gettempdir().encode()


def _parts(suffix, prefix, dir):
    suffix = '' if suffix is None else suffix
    prefix = template if prefix is None else prefix
    dir = gettempdir() if dir is None else _os.fspath(dir)
    return suffix, prefix, dir


def mkdtemp(suffix=None, prefix=None, dir=None):
    """Creates a new directory (mode 0o700) with a unique name and returns
    its absolute path; the caller removes it."""
    suffix, prefix, dir = _parts(suffix, prefix, dir)
    for _ in range(TMP_MAX):
        name = _os.path.join(dir, prefix + _random_name() + suffix)
        try:
            _os.mkdir(name, 0o700)
        except FileExistsError:
            continue
        return _os.path.abspath(name)
    raise FileExistsError(17, 'No usable temporary directory name found')


def mktemp(suffix='', prefix=template, dir=None):
    """A unique file name that did not exist when asked (unsafe: another
    process may take it first)."""
    suffix, prefix, dir = _parts(suffix, prefix, dir)
    for _ in range(TMP_MAX):
        name = _os.path.join(dir, prefix + _random_name() + suffix)
        if not _os.path.lexists(name):
            return name
    raise FileExistsError(17, 'No usable temporary filename found')


def _remove_tree(path, ignore_errors=False):
    try:
        entries = list(_os.scandir(path))
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                _remove_tree(entry.path, ignore_errors)
            else:
                _os.unlink(entry.path)
        _os.rmdir(path)
    except OSError:
        if not ignore_errors:
            raise


class TemporaryDirectory:
    """A directory made by mkdtemp(); `with` gives its name and removes
    the whole tree at the end, as does cleanup()."""

    def __init__(self, suffix=None, prefix=None, dir=None,
                 ignore_cleanup_errors=False):
        self.name = mkdtemp(suffix, prefix, dir)
        self._ignore_cleanup_errors = ignore_cleanup_errors
        self._removed = False

    def __repr__(self):
        return f'<{type(self).__name__} {self.name!r}>'

    def __enter__(self):
        return self.name

    def __exit__(self, exc, value, traceback):
        self.cleanup()

    def cleanup(self):
        if not self._removed and _os.path.lexists(self.name):
            _remove_tree(self.name, self._ignore_cleanup_errors)
        self._removed = True


class _TemporaryFileWrapper:
    """A file object with a `name` that deletes its file when closed
    (when delete is true)."""

    def __init__(self, file, name, delete=True):
        self.file = file
        self.name = name
        self.delete = delete
        self._closed = False

    def __getattr__(self, name):
        return getattr(self.__dict__['file'], name)

    def __enter__(self):
        self.file.__enter__()
        return self

    def __exit__(self, exc, value, traceback):
        self.close()

    def __iter__(self):
        return iter(self.file)

    def close(self):
        if self._closed:
            return
        self._closed = True
        try:
            self.file.close()
        finally:
            if self.delete:
                try:
                    _os.unlink(self.name)
                except FileNotFoundError:
                    pass

    def __repr__(self):
        return f'<tempfile._TemporaryFileWrapper file={self.file!r}>'


def NamedTemporaryFile(mode='w+b', buffering=-1, encoding=None,
                       newline=None, suffix=None, prefix=None, dir=None,
                       delete=True, *, errors=None):
    """A new file with a unique name in dir, opened with mode; removed on
    close when delete is true."""
    suffix, prefix, dir = _parts(suffix, prefix, dir)
    create_mode = mode.replace('w', 'x', 1) if 'w' in mode else mode
    for _ in range(TMP_MAX):
        name = _os.path.abspath(
            _os.path.join(dir, prefix + _random_name() + suffix))
        try:
            file = open(name, create_mode, encoding=encoding,
                        newline=newline, errors=errors)
        except FileExistsError:
            continue
        return _TemporaryFileWrapper(file, name, delete)
    raise FileExistsError(17, 'No usable temporary file name found')


TemporaryFile = NamedTemporaryFile
