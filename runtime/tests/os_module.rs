//! The `os`, `os.path`, `tempfile` and `importlib` modules under a host
//! that grants nothing (`CaptureHost`): the pure path functions give
//! CPython 3.11's results, and every file, directory and environment
//! service fails with a clean `PermissionError` (or reports nothing)
//! instead of touching the machine. Real file round trips run through the
//! `protopy` command in `bindings-native/tests/os_files.rs`.

mod common;

#[test]
fn path_functions_match_cpython() {
    let source = r#"import posixpath as p
cases = [
 ("join", ("a", "b", "c")), ("join", ("/a", "/b", "c")), ("join", ("a/", "b")), ("join", ("", "")), ("join", (b"x", b"y")),
 ("split", ("//a//b//",)), ("split", ("/",)), ("split", ("a",)), ("split", ("///x",)),
 ("splitext", ("a/b.c/d",)), ("splitext", ("..x",)), ("splitext", ("a...b",)), ("splitext", ("/x/.hidden.tar.gz",)),
 ("basename", ("a/",)), ("dirname", ("//x",)), ("normpath", ("",)), ("normpath", ("//a/../b",)), ("normpath", ("///a/.//b/..",)),
 ("normpath", ("../../a/./b/..",)), ("normpath", ("/..",)), ("relpath", ("/a/b", "/a/c/d")), ("relpath", ("/x", "/x")),
 ("commonprefix", (["abc", "abd", "ab"],)), ("commonprefix", ([],)), ("commonpath", (["a/b/c", "a/b/d", "a/b"],)),
 ("commonpath", (["/", "/a"],)), ("isabs", ("//x",)), ("expandvars", ("$NOPE_X/${NOPE_Y}/$",)),
]
for name, args in cases:
    print(name, repr(getattr(p, name)(*args)))
for bad in [lambda: p.commonpath(["/a", "b"]), lambda: p.commonpath([]), lambda: p.relpath(""), lambda: p.join("a", b"b"), lambda: p.join("a", 3)]:
    try: bad()
    except Exception as e: print(type(e).__name__, e)
"#;
    let expected = r#"join 'a/b/c'
join '/b/c'
join 'a/b'
join ''
join b'x/y'
split ('//a//b', '')
split ('/', '')
split ('', 'a')
split ('///', 'x')
splitext ('a/b.c/d', '')
splitext ('..x', '')
splitext ('a..', '.b')
splitext ('/x/.hidden.tar', '.gz')
basename ''
dirname '//'
normpath '.'
normpath '//b'
normpath '/a'
normpath '../../a'
normpath '/'
relpath '../../b'
relpath '.'
commonprefix 'ab'
commonprefix ''
commonpath 'a/b'
commonpath '/'
isabs True
expandvars '$NOPE_X/${NOPE_Y}/$'
ValueError Can't mix absolute and relative paths
ValueError commonpath() arg is an empty sequence
ValueError no path specified
TypeError Can't mix strings and bytes in path components
TypeError join() argument must be str, bytes, or os.PathLike object, not 'int'
"#;
    assert_eq!(common::stdout_of(source), expected);
}

#[test]
fn os_path_import_forms() {
    let source = r#"import os.path
from os import path
import os.path as osp
import posixpath, sys
print(os.path is path is osp is posixpath, sys.modules['os.path'] is posixpath)
print(os.name, os.sep, os.pathsep, repr(os.linesep), os.curdir, os.pardir, os.extsep, os.devnull)
print(os.error is OSError, os.fspath('a'), os.fspath(b'b'))
class P:
    def __fspath__(self):
        return '/p/q.txt'
print(os.fspath(P()), os.path.basename(P()), os.path.splitext(P()))
try:
    os.fspath(3)
except TypeError as e:
    print(e)
import stat
print(stat.S_ISDIR(0o40755), stat.S_ISREG(0o40755), stat.filemode(0o100644), stat.filemode(0o40755))
"#;
    assert_eq!(
        common::stdout_of(source),
        "True True\nposix / : '\\n' . .. . /dev/null\nTrue a b'b'\n/p/q.txt q.txt ('/p/q', '.txt')\nexpected str, bytes or os.PathLike object, not int\nTrue False -rw-r--r-- drwxr-xr-x\n"
    );
}

#[test]
fn a_host_that_grants_nothing_gives_permission_errors() {
    let source = r#"import os, tempfile
def attempt(label, action):
    try:
        result = action()
    except OSError as e:
        print(label, type(e).__name__, e.errno, e)
    else:
        print(label, 'returned', result)
attempt('getcwd', os.getcwd)
attempt('listdir', lambda: os.listdir('.'))
attempt('mkdir', lambda: os.mkdir('d'))
attempt('remove', lambda: os.remove('f'))
attempt('rename', lambda: os.rename('a', 'b'))
attempt('stat', lambda: os.stat('/'))
attempt('write', lambda: open('out.txt', 'w'))
attempt('append', lambda: open('out.txt', 'ab'))
attempt('read', lambda: open('/etc/hostname'))
attempt('urandom', lambda: os.urandom(4))
attempt('mkdtemp', tempfile.mkdtemp)
attempt('chdir', lambda: os.chdir('/'))
print(os.path.exists('/'), os.path.isdir('/'), os.path.isfile('/etc/hostname'))
print(dict(os.environ), os.getenv('HOME'), os.cpu_count(), os.getpid())
os.environ['X'] = 'y'
print(os.environ['X'], 'X' in os.environ, len(os.environ))
del os.environ['X']
print(os.environ.get('X', 'gone'))
print(os.strerror(2), '|', os.strerror(13))
"#;
    let expected = "getcwd PermissionError 13 [Errno 13] Permission denied
listdir PermissionError 13 [Errno 13] Permission denied: '.'
mkdir PermissionError 13 [Errno 13] Permission denied: 'd'
remove PermissionError 13 [Errno 13] Permission denied: 'f'
rename PermissionError 13 [Errno 13] Permission denied: 'a' -> 'b'
stat PermissionError 13 [Errno 13] Permission denied: '/'
write PermissionError 13 [Errno 13] Permission denied: 'out.txt'
append PermissionError 13 [Errno 13] Permission denied: 'out.txt'
read FileNotFoundError 2 [Errno 2] No such file or directory: '/etc/hostname'
urandom PermissionError 13 [Errno 13] Permission denied
mkdtemp FileNotFoundError 2 [Errno 2] No usable temporary directory found in ['/tmp', '/var/tmp', '/usr/tmp', '.']
chdir PermissionError 13 [Errno 13] Permission denied: '/'
False False False
{} None None 0
y True 1
gone
No such file or directory | Permission denied
";
    assert_eq!(common::stdout_of(source), expected);
}

#[test]
fn file_objects_check_their_mode_and_state() {
    // Argument errors are reported before any host call.
    let source = r#"for mode in ['rw', 'rr', '', 'rbt', 'q']:
    try:
        open('x', mode)
    except ValueError as e:
        print(e)
for kwargs in [dict(mode='rb', encoding='utf-8'), dict(mode='rb', errors='strict'), dict(mode='rb', newline=''), dict(newline='z')]:
    try:
        open('x', **kwargs)
    except ValueError as e:
        print(e)
try:
    open('x', encoding=3)
except TypeError as e:
    print(e)
try:
    open(3.5)
except TypeError as e:
    print(e)
try:
    open('x', encoding='no-such-codec')
except LookupError as e:
    print(e)
"#;
    assert_eq!(
        common::stdout_of(source),
        "must have exactly one of create/read/write/append mode
invalid mode: 'rr'
Must have exactly one of create/read/write/append mode and at most one plus
can't have text and binary mode at once
invalid mode: 'q'
binary mode doesn't take an encoding argument
binary mode doesn't take an errors argument
binary mode doesn't take a newline argument
illegal newline value: z
open() argument 'encoding' must be str or None, not int
expected str, bytes or os.PathLike object, not float
unknown encoding: no-such-codec
"
    );
}

#[test]
fn importlib_import_module_and_reload_of_embedded_modules() {
    let source = r#"import importlib, sys
m = importlib.import_module('collections.abc')
print(m is sys.modules['collections.abc'], m.__name__)
print(importlib.import_module('.abc', 'collections') is m)
import json
json.marker = 'kept'
again = importlib.reload(json)
print(again is json, json.marker, json.dumps([1]))
print(importlib.reload(sys) is sys)
for bad in [lambda: importlib.import_module('.x'), lambda: importlib.reload(3), lambda: importlib.import_module('no_such_mod_q')]:
    try:
        bad()
    except (TypeError, ImportError) as e:
        print(type(e).__name__, e)
try:
    importlib.import_module('...x', 'a')
except ImportError as e:
    print(e)
importlib.invalidate_caches()
"#;
    assert_eq!(
        common::stdout_of(source),
        "True collections.abc
True
True kept [1]
True
TypeError the 'package' argument is required to perform a relative import for '.x'
TypeError reload() argument must be a module
ModuleNotFoundError No module named 'no_such_mod_q'
attempted relative import beyond top-level package
"
    );
}
