//! Files, directories, the environment and `importlib.reload` through the
//! `protopy` command (whose host grants file access): round trips of
//! `open()` in every mode, the `os` calls, `tempfile` cleanup, and an
//! unclosed file written out at exit. Expected outputs are CPython 3.11's.

use std::process::Command;

fn protopy() -> Command {
    Command::new(env!("CARGO_BIN_EXE_protopy"))
}

fn scratch_dir(name: &str) -> std::path::PathBuf {
    let directory = std::env::temp_dir().join(format!("protopy-os-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    directory
}

#[test]
fn files_directories_tempfile_and_reload_behave_like_cpython() {
    let directory = scratch_dir("files");
    let script = directory.join("files_script.py");
    std::fs::write(&script, SCRIPT).unwrap();
    let output = protopy()
        .arg(&script)
        .current_dir(&directory)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    std::fs::remove_dir_all(&directory).unwrap();
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(stdout, EXPECTED);
}

#[test]
fn an_unclosed_file_is_written_out_at_exit() {
    let directory = scratch_dir("unclosed");
    let target = directory.join("out.txt");
    let source = format!(
        "f = open({:?}, 'w')\nf.write('data at exit')\nraise SystemExit(3)\n",
        target.to_str().unwrap()
    );
    let output = protopy().arg("-c").arg(source).output().unwrap();
    let written = std::fs::read_to_string(&target).unwrap();
    std::fs::remove_dir_all(&directory).unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(written, "data at exit");
}

const SCRIPT: &str = r#"import os, tempfile, importlib, sys
with tempfile.TemporaryDirectory(prefix='pp-') as d:
    print(os.path.isdir(d), os.path.basename(d).startswith('pp-'), os.listdir(d))
    p = os.path.join(d, 'a.txt')
    with open(p, 'w') as f:
        print(f.write('one\n'), f.writable(), f.readable(), f.name == p, f.mode)
        f.writelines(['two\n', 'three\n'])
    with open(p, 'a') as f:
        f.write('four\n')
        print(f.tell())
    with open(p) as f:
        print(f.readlines())
    try:
        open(p, 'x')
    except FileExistsError as e:
        print('FileExistsError', e.errno, e.strerror)
    with open(p, 'r+') as f:
        print(f.read(3))
        f.seek(0)
        f.write('ONE')
    print(open(p).read().split())
    with open(p, 'w+') as f:
        f.write('fresh')
        f.seek(0)
        print(f.read())
    f = open(p)
    try:
        f.write('x')
    except OSError as e:
        print(type(e).__name__, e)
    f.close()
    try:
        f.read()
    except ValueError as e:
        print(e)
    w = open(p, 'w')
    try:
        w.read()
    except OSError as e:
        print(type(e).__name__, e)
    try:
        w.write(b'x')
    except TypeError as e:
        print(e)
    w.close()
    b = os.path.join(d, 'b.bin')
    with open(b, 'wb') as f:
        f.write(b'\x00\x01')
        f.write(bytearray(b'\xff'))
    with open(b, 'ab') as f:
        f.write(b'!')
    print(open(b, 'rb').read(), os.path.getsize(b), os.stat(b).st_size)
    with open(p, 'w', encoding='latin-1') as f:
        f.write('caf\xe9')
    print(open(p, 'rb').read(), open(p, encoding='latin-1').read())
    with open(p, 'wb') as f:
        f.write(b'a\r\nb\rc\n')
    print(repr(open(p).read()), repr(open(p, newline='').read()))
    os.makedirs(os.path.join(d, 'x', 'y', 'z'))
    os.makedirs(os.path.join(d, 'x', 'y'), exist_ok=True)
    try:
        os.makedirs(os.path.join(d, 'x'))
    except FileExistsError as e:
        print('FileExistsError', e.filename == os.path.join(d, 'x'))
    open(os.path.join(d, 'x', 'y', 'f.txt'), 'w').close()
    for root, dirs, files in os.walk(d):
        dirs.sort()
        print(os.path.relpath(root, d), sorted(dirs), sorted(files))
    os.rename(b, os.path.join(d, 'c.bin'))
    print(sorted(os.listdir(d)), sorted(e.name for e in os.scandir(d) if e.is_file()))
    try:
        os.rmdir(os.path.join(d, 'x'))
    except OSError as e:
        print(type(e).__name__, e.errno, e.strerror)
    try:
        os.remove(os.path.join(d, 'nope'))
    except FileNotFoundError as e:
        print('FileNotFoundError', e.strerror)
    try:
        open(d)
    except IsADirectoryError as e:
        print('IsADirectoryError', e.errno)
    mod = os.path.join(d, 'reloadme.py')
    with open(mod, 'w') as f:
        f.write('try:\n    count += 1\nexcept NameError:\n    count = 1\nVALUE = "first"\n')
    sys.path.insert(0, d)
    import reloadme
    with open(mod, 'w') as f:
        f.write('try:\n    count += 1\nexcept NameError:\n    count = 1\nVALUE = "second"\n')
    again = importlib.reload(reloadme)
    print(again is reloadme, reloadme.count, reloadme.VALUE, importlib.import_module('reloadme') is reloadme)
    with tempfile.NamedTemporaryFile('w+', dir=d, suffix='.tmp') as t:
        t.write('temp data')
        t.flush()
        print(t.name.endswith('.tmp'), os.path.exists(t.name), open(t.name).read())
        name = t.name
    print(os.path.exists(name))
    inner = tempfile.mkdtemp(dir=d)
    print(os.path.isdir(inner), os.path.dirname(inner) == d)
    leak = open(os.path.join(d, 'leak.txt'), 'w')
    leak.write('unclosed')
    leak.flush()
    print(open(os.path.join(d, 'leak.txt')).read())
    leak.close()
print(os.path.exists(d))
cwd = os.getcwd()
print(os.path.isabs(cwd), os.path.abspath('q') == os.path.join(cwd, 'q'))
print(os.path.expanduser('~') == os.environ.get('HOME', '~'), type(os.cpu_count()), os.getpid() > 0, len(os.urandom(5)))
os.environ['PROTOPY_TEST_VAR'] = 'v1'
print(os.getenv('PROTOPY_TEST_VAR'), os.path.expandvars('$PROTOPY_TEST_VAR/x'))
"#;

const EXPECTED: &str = r#"True True []
4 True False True w
19
['one\n', 'two\n', 'three\n', 'four\n']
FileExistsError 17 File exists
one
['ONE', 'two', 'three', 'four']
fresh
UnsupportedOperation not writable
I/O operation on closed file.
UnsupportedOperation not readable
write() argument must be str, not bytes
b'\x00\x01\xff!' 4 4
b'caf\xe9' café
'a\nb\nc\n' 'a\r\nb\rc\n'
FileExistsError True
. ['x'] ['a.txt', 'b.bin']
x ['y'] []
x/y ['z'] ['f.txt']
x/y/z [] []
['a.txt', 'c.bin', 'x'] ['a.txt', 'c.bin']
OSError 39 Directory not empty
FileNotFoundError No such file or directory
IsADirectoryError 21
True 2 second True
True True temp data
False
True True
unclosed
False
True True
True <class 'int'> True 5
v1 v1/x
"#;
