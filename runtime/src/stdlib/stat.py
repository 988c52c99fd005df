"""Constants and predicates for the `st_mode` field of `os.stat()`
results: file-type bits (S_IFDIR...), S_ISDIR-style tests, permission
bits and `filemode`."""

ST_MODE, ST_INO, ST_DEV, ST_NLINK, ST_UID, ST_GID = 0, 1, 2, 3, 4, 5
ST_SIZE, ST_ATIME, ST_MTIME, ST_CTIME = 6, 7, 8, 9

_FILE_TYPE_BITS = 0o170000
S_IFSOCK = 0o140000
S_IFLNK = 0o120000
S_IFREG = 0o100000
S_IFBLK = 0o060000
S_IFDIR = 0o040000
S_IFCHR = 0o020000
S_IFIFO = 0o010000
S_IFDOOR = S_IFPORT = S_IFWHT = 0

S_ISUID = 0o4000
S_ISGID = 0o2000
S_ENFMT = S_ISGID
S_ISVTX = 0o1000
S_IREAD = S_IRUSR = 0o400
S_IWRITE = S_IWUSR = 0o200
S_IEXEC = S_IXUSR = 0o100
S_IRWXU = 0o700
S_IRWXG = 0o070
S_IRGRP = 0o040
S_IWGRP = 0o020
S_IXGRP = 0o010
S_IRWXO = 0o007
S_IROTH = 0o004
S_IWOTH = 0o002
S_IXOTH = 0o001


def S_IMODE(mode):
    """The permission bits of a mode (what chmod sets)."""
    return mode & 0o7777


def S_IFMT(mode):
    """The file-type bits of a mode."""
    return mode & _FILE_TYPE_BITS


def S_ISDIR(mode):
    return S_IFMT(mode) == S_IFDIR


def S_ISCHR(mode):
    return S_IFMT(mode) == S_IFCHR


def S_ISBLK(mode):
    return S_IFMT(mode) == S_IFBLK


def S_ISREG(mode):
    return S_IFMT(mode) == S_IFREG


def S_ISFIFO(mode):
    return S_IFMT(mode) == S_IFIFO


def S_ISLNK(mode):
    return S_IFMT(mode) == S_IFLNK


def S_ISSOCK(mode):
    return S_IFMT(mode) == S_IFSOCK


def S_ISDOOR(mode):
    return False


def S_ISPORT(mode):
    return False


def S_ISWHT(mode):
    return False


_TYPE_LETTERS = ((S_IFLNK, 'l'), (S_IFSOCK, 's'), (S_IFREG, '-'),
                 (S_IFBLK, 'b'), (S_IFDIR, 'd'), (S_IFCHR, 'c'),
                 (S_IFIFO, 'p'))


def filemode(mode):
    """The mode as `ls -l` shows it, e.g. '-rw-r--r--'."""
    letters = ['?']
    for kind, letter in _TYPE_LETTERS:
        if S_IFMT(mode) == kind:
            letters = [letter]
            break
    for shift, special, special_letter in ((6, S_ISUID, 's'),
                                           (3, S_ISGID, 's'),
                                           (0, S_ISVTX, 't')):
        bits = (mode >> shift) & 7
        letters.append('r' if bits & 4 else '-')
        letters.append('w' if bits & 2 else '-')
        executable = bits & 1
        if mode & special:
            letters.append(special_letter if executable
                           else special_letter.upper())
        else:
            letters.append('x' if executable else '-')
    return ''.join(letters)
