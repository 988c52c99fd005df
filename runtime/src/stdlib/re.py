"""The re module for protoPython: flags, Pattern and Match objects, the
module-level functions, replacement templates and re.error, built on the
native matcher in _re (runtime/src/text/regex and
runtime/src/builtins/re_module.rs), which parses patterns with CPython
3.11's syntax and error messages and finds matches; this file turns its
spans into Python objects."""

import enum
import _re

__all__ = [
    "match", "fullmatch", "search", "sub", "subn", "split", "findall",
    "finditer", "compile", "purge", "escape", "error", "Pattern", "Match",
    "A", "I", "L", "M", "S", "X", "U", "ASCII", "IGNORECASE", "LOCALE",
    "MULTILINE", "DOTALL", "VERBOSE", "UNICODE", "NOFLAG", "RegexFlag",
]

__version__ = "2.2.1"

_FLAG_ORDER = ("TEMPLATE", "IGNORECASE", "LOCALE", "MULTILINE", "DOTALL",
               "UNICODE", "VERBOSE", "DEBUG", "ASCII")
_FLAG_BITS = {"TEMPLATE": 1, "IGNORECASE": 2, "LOCALE": 4, "MULTILINE": 8,
              "DOTALL": 16, "UNICODE": 32, "VERBOSE": 64, "DEBUG": 128,
              "ASCII": 256}


def _describe_flags(value):
    """'re.IGNORECASE|re.MULTILINE' (unknown bits in hex), or '' for 0."""
    parts = []
    rest = value
    for name in _FLAG_ORDER:
        bit = _FLAG_BITS[name]
        if rest & bit:
            parts.append("re." + name)
            rest &= ~bit
    if rest:
        parts.append(hex(rest))
    return "|".join(parts)


class RegexFlag(enum.IntFlag):
    NOFLAG = 0
    TEMPLATE = 1
    T = 1
    IGNORECASE = 2
    I = 2
    LOCALE = 4
    L = 4
    MULTILINE = 8
    M = 8
    DOTALL = 16
    S = 16
    UNICODE = 32
    U = 32
    VERBOSE = 64
    X = 64
    DEBUG = 128
    ASCII = 256
    A = 256

    def __repr__(self):
        return _describe_flags(int(self)) or "re.NOFLAG"

    __str__ = __repr__

    def __format__(self, spec):
        return format(str(self), spec)


NOFLAG = RegexFlag.NOFLAG
TEMPLATE = T = RegexFlag.TEMPLATE
IGNORECASE = I = RegexFlag.IGNORECASE
LOCALE = L = RegexFlag.LOCALE
MULTILINE = M = RegexFlag.MULTILINE
DOTALL = S = RegexFlag.DOTALL
UNICODE = U = RegexFlag.UNICODE
VERBOSE = X = RegexFlag.VERBOSE
DEBUG = RegexFlag.DEBUG
ASCII = A = RegexFlag.ASCII

_MAXSIZE = 9223372036854775807


class error(Exception):
    """A pattern or template that cannot be compiled: .msg, .pattern,
    .pos, and the .lineno/.colno of pos."""

    def __init__(self, msg, pattern=None, pos=None):
        self.msg = msg
        self.pattern = pattern
        self.pos = pos
        self.lineno = None
        self.colno = None
        text = msg
        if pattern is not None and pos is not None:
            text = "%s at position %d" % (msg, pos)
            newline = "\n" if isinstance(pattern, str) else b"\n"
            before = pattern[:pos]
            self.lineno = before.count(newline) + 1
            self.colno = pos - before.rfind(newline)
            if newline in pattern:
                text = "%s (line %d, column %d)" % (text, self.lineno, self.colno)
        super().__init__(text)


error.__module__ = "re"


def _is_bytes_like(value):
    return isinstance(value, (bytes, bytearray, memoryview))


def _check_subject(pattern, string):
    if isinstance(string, str):
        if not isinstance(pattern, str):
            raise TypeError("cannot use a bytes pattern on a string-like object")
        return string
    if _is_bytes_like(string):
        if isinstance(pattern, str):
            raise TypeError("cannot use a string pattern on a bytes-like object")
        if isinstance(string, memoryview):
            return bytes(string)
        return string
    raise TypeError("expected string or bytes-like object, got %r"
                    % type(string).__name__)


def _clamp(pos, endpos, length):
    pos = pos.__index__()
    endpos = endpos.__index__()
    pos = 0 if pos < 0 else min(pos, length)
    endpos = 0 if endpos < 0 else min(endpos, length)
    return pos, endpos


class Pattern:
    """A compiled regular expression (made by re.compile)."""

    def __new__(cls, *args, **kwargs):
        raise TypeError("cannot create 're.Pattern' instances")

    @property
    def pattern(self):
        return self._pattern

    @property
    def flags(self):
        return self._flags

    @property
    def groups(self):
        return self._groups

    @property
    def groupindex(self):
        return dict(self._groupindex)

    def __class_getitem__(cls, item):
        return _GenericAlias(cls, item)

    def __repr__(self):
        text = repr(self._pattern)[:200]
        flags = self._flags
        if isinstance(self._pattern, str) and flags & (4 | 32 | 256) == 32:
            flags &= ~32
        if flags:
            return "re.compile(%s, %s)" % (text, _describe_flags(flags))
        return "re.compile(%s)" % text

    def __eq__(self, other):
        if not isinstance(other, Pattern):
            return NotImplemented
        return (self._flags == other._flags and type(self._pattern) is type(other._pattern)
                and self._pattern == other._pattern)

    def __hash__(self):
        return hash((self._pattern, self._flags))

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):
        return (compile, (self._pattern, self._flags))

    def _run(self, string, pos, endpos, mode, limit=0):
        subject = _check_subject(self._pattern, string)
        pos, endpos = _clamp(pos, endpos, len(subject))
        return subject, pos, endpos, _re.run(self._pattern, self._flags, subject,
                                             pos, endpos, mode, limit)

    def _one(self, string, pos, endpos, mode):
        subject, pos, endpos, found = self._run(string, pos, endpos, mode)
        if not found:
            return None
        return _make_match(self, string, subject, pos, endpos, found[0])

    def match(self, string, pos=0, endpos=_MAXSIZE):
        return self._one(string, pos, endpos, 0)

    def fullmatch(self, string, pos=0, endpos=_MAXSIZE):
        return self._one(string, pos, endpos, 1)

    def search(self, string, pos=0, endpos=_MAXSIZE):
        return self._one(string, pos, endpos, 2)

    def findall(self, string, pos=0, endpos=_MAXSIZE):
        subject, pos, endpos, found = self._run(string, pos, endpos, 3)
        empty = subject[:0]
        groups = self._groups
        result = []
        for spans in found:
            if groups == 0:
                result.append(subject[spans[1]:spans[2]])
            elif groups == 1:
                start = spans[3]
                result.append(empty if start < 0 else subject[start:spans[4]])
            else:
                items = []
                for index in range(1, groups + 1):
                    start = spans[2 * index + 1]
                    items.append(empty if start < 0 else subject[start:spans[2 * index + 2]])
                result.append(tuple(items))
        return result

    def finditer(self, string, pos=0, endpos=_MAXSIZE):
        subject, pos, endpos, found = self._run(string, pos, endpos, 3)
        return iter([_make_match(self, string, subject, pos, endpos, spans)
                     for spans in found])

    def scanner(self, string, pos=0, endpos=_MAXSIZE):
        return _Scanner(self, string, pos, endpos)

    def split(self, string, maxsplit=0):
        subject = _check_subject(self._pattern, string)
        if maxsplit < 0:
            return [subject[:]]
        found = _re.run(self._pattern, self._flags, subject, 0, len(subject), 3, maxsplit)
        pieces = []
        last = 0
        for spans in found:
            pieces.append(subject[last:spans[1]])
            for index in range(1, self._groups + 1):
                start = spans[2 * index + 1]
                pieces.append(None if start < 0 else subject[start:spans[2 * index + 2]])
            last = spans[2]
        pieces.append(subject[last:])
        return pieces

    def subn(self, repl, string, count=0):
        subject = _check_subject(self._pattern, string)
        if count < 0:
            return subject[:], 0
        if callable(repl):
            expand = None
        else:
            expand = _compile_template(self, repl)
        found = _re.run(self._pattern, self._flags, subject, 0, len(subject), 3, count)
        if not found:
            return subject[:], 0
        pieces = []
        last = 0
        for spans in found:
            pieces.append(subject[last:spans[1]])
            if expand is None:
                piece = repl(_make_match(self, string, subject, 0, len(subject), spans))
            else:
                piece = expand.expand_spans(subject, spans)
            if piece:
                pieces.append(piece)
            last = spans[2]
        pieces.append(subject[last:])
        return subject[:0].join(pieces), len(found)

    def sub(self, repl, string, count=0):
        return self.subn(repl, string, count)[0]


def _make_pattern(pattern, flags, info):
    self = object.__new__(Pattern)
    self._pattern = pattern
    self._flags = info[0]
    self._groups = info[1]
    self._groupindex = dict(info[2])
    self._names = {index: name for name, index in info[2]}
    self._templates = {}
    return self


class _GenericAlias:
    """re.Pattern[str] and re.Match[bytes] (for annotations)."""

    def __init__(self, origin, arg):
        self.__origin__ = origin
        self.__args__ = (arg,)

    def __repr__(self):
        arg = self.__args__[0]
        name = arg.__name__ if isinstance(arg, type) else repr(arg)
        return "re.%s[%s]" % (self.__origin__.__name__, name)


class Match:
    """The result of a successful match."""

    def __new__(cls, *args, **kwargs):
        raise TypeError("cannot create 're.Match' instances")

    def __class_getitem__(cls, item):
        return _GenericAlias(cls, item)

    @property
    def string(self):
        return self._string

    @property
    def re(self):
        return self._pattern

    @property
    def pos(self):
        return self._pos

    @property
    def endpos(self):
        return self._endpos

    @property
    def lastindex(self):
        return self._spans[0]

    @property
    def lastgroup(self):
        index = self._spans[0]
        if index is None:
            return None
        return self._pattern._names.get(index)

    @property
    def regs(self):
        spans = self._spans
        return tuple((spans[2 * index + 1], spans[2 * index + 2])
                     for index in range(self._pattern._groups + 1))

    def _index(self, group):
        if isinstance(group, int):
            if 0 <= group <= self._pattern._groups:
                return group
        elif isinstance(group, str):
            index = self._pattern._groupindex.get(group)
            if index is not None:
                return index
        else:
            try:
                group = group.__index__()
            except (AttributeError, TypeError):
                pass
            else:
                if 0 <= group <= self._pattern._groups:
                    return group
        raise IndexError("no such group")

    def _get(self, index, default=None):
        start = self._spans[2 * index + 1]
        if start < 0:
            return default
        return self._subject[start:self._spans[2 * index + 2]]

    def group(self, *groups):
        if not groups:
            return self._get(0)
        if len(groups) == 1:
            return self._get(self._index(groups[0]))
        return tuple(self._get(self._index(group)) for group in groups)

    def __getitem__(self, group):
        return self._get(self._index(group))

    def groups(self, default=None):
        return tuple(self._get(index, default)
                     for index in range(1, self._pattern._groups + 1))

    def groupdict(self, default=None):
        return {name: self._get(index, default)
                for name, index in self._pattern._groupindex.items()}

    def start(self, group=0):
        return self._spans[2 * self._index(group) + 1]

    def end(self, group=0):
        return self._spans[2 * self._index(group) + 2]

    def span(self, group=0):
        index = self._index(group)
        return (self._spans[2 * index + 1], self._spans[2 * index + 2])

    def expand(self, template):
        return _compile_template(self._pattern, template).expand_spans(self._subject, self._spans)

    def __repr__(self):
        return "<re.Match object; span=(%d, %d), match=%s>" % (
            self._spans[1], self._spans[2], repr(self._get(0))[:50])

    def __bool__(self):
        return True

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


def _make_match(pattern, string, subject, pos, endpos, spans):
    self = object.__new__(Match)
    self._pattern = pattern
    self._string = string
    self._subject = subject
    self._pos = pos
    self._endpos = endpos
    self._spans = spans
    return self


class _Scanner:
    """Pattern.scanner(): successive match()/search() calls from where the
    previous match ended."""

    def __init__(self, pattern, string, pos, endpos):
        self.pattern = pattern
        self._string = string
        subject = _check_subject(pattern._pattern, string)
        self._pos, self._endpos = _clamp(pos, endpos, len(subject))
        self._subject = subject
        self._done = False

    def _next(self, mode):
        if self._done:
            return None
        found = _re.run(self.pattern._pattern, self.pattern._flags, self._subject,
                        self._pos, self._endpos, mode, 0)
        if not found:
            self._done = True
            return None
        spans = found[0]
        match = _make_match(self.pattern, self._string, self._subject,
                            self._pos, self._endpos, spans)
        if spans[1] == spans[2]:
            # An empty match: the next one starts one character on.
            if spans[2] >= self._endpos:
                self._done = True
            self._pos = spans[2] + 1
        else:
            self._pos = spans[2]
        return match

    def match(self):
        return self._next(0)

    def search(self):
        return self._next(2)


# ---- replacement templates -------------------------------------------------------------

_TEMPLATE_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r",
                     "t": "\t", "v": "\v", "\\": "\\"}
_OCTAL = "01234567"
_DIGITS = "0123456789"


class _Template:
    """A parsed replacement: literal pieces and group numbers."""

    def __init__(self, pieces, empty):
        self.pieces = pieces
        self.empty = empty

    def expand_spans(self, subject, spans):
        out = []
        for piece in self.pieces:
            if isinstance(piece, int):
                start = spans[2 * piece + 1]
                if start >= 0:
                    out.append(subject[start:spans[2 * piece + 2]])
            else:
                out.append(piece)
        return self.empty.join(out)


def _compile_template(pattern, template):
    cache = pattern._templates
    key = (type(template), template)
    compiled = cache.get(key)
    if compiled is None:
        compiled = _parse_template(pattern, template)
        if len(cache) < 256:
            cache[key] = compiled
    return compiled


def _parse_template(pattern, template):
    if isinstance(template, str):
        if not isinstance(pattern._pattern, str):
            raise TypeError("expected a bytes-like object, %s found" % type(template).__name__)
        text = template
        is_bytes = False
    elif _is_bytes_like(template):
        if isinstance(pattern._pattern, str):
            raise TypeError("expected str instance, %s found" % type(template).__name__)
        text = bytes(template).decode("latin-1")
        is_bytes = True
    else:
        raise TypeError("expected str instance, %s found" % type(template).__name__)
    pieces = []
    literal = []

    def fail(message, pos):
        raise error(message, template, pos)

    def add_group(index, pos):
        if index > pattern._groups:
            fail("invalid group reference %d" % index, pos)
        if literal:
            pieces.append("".join(literal))
            literal.clear()
        pieces.append(index)

    length = len(text)
    i = 0
    while i < length:
        c = text[i]
        i += 1
        if c != "\\":
            literal.append(c)
            continue
        if i >= length:
            fail("bad escape (end of pattern)", i - 1)
        c = text[i]
        i += 1
        if c == "g":
            if i >= length or text[i] != "<":
                fail("missing <", i)
            i += 1
            close = text.find(">", i)
            if close < 0:
                if i >= length:
                    fail("missing group name", i)
                fail("missing >, unterminated name", i)
            name = text[i:close]
            if not name:
                fail("missing group name", i)
            i = close + 1
            if name.isidentifier():
                if name not in pattern._groupindex:
                    raise IndexError("unknown group name %r" % name)
                index = pattern._groupindex[name]
            else:
                if not (name.isdigit() and name.isascii()):
                    fail("bad character in group name %r" % name, i - len(name) - 1)
                index = int(name)
            add_group(index, i - len(name) - 1)
        elif c == "0":
            digits = c
            while len(digits) < 3 and i < length and text[i] in _OCTAL:
                digits += text[i]
                i += 1
            literal.append(chr(int(digits, 8) & 0xff))
        elif c in _DIGITS:
            digits = c
            if i < length and text[i] in _DIGITS:
                digits += text[i]
                i += 1
                if (c in _OCTAL and digits[1] in _OCTAL and i < length
                        and text[i] in _OCTAL):
                    digits += text[i]
                    i += 1
                    value = int(digits, 8)
                    if value > 0o377:
                        fail("octal escape value \\%s outside of range 0-0o377" % digits,
                             i - len(digits) - 1)
                    literal.append(chr(value))
                    continue
            add_group(int(digits), i - len(digits))
        elif c in _TEMPLATE_ESCAPES:
            literal.append(_TEMPLATE_ESCAPES[c])
        elif c.isascii() and c.isalpha():
            fail("bad escape \\%s" % c, i - 2)
        else:
            literal.append("\\" + c)
    if literal:
        pieces.append("".join(literal))
    if is_bytes:
        pieces = [piece if isinstance(piece, int) else piece.encode("latin-1")
                  for piece in pieces]
        return _Template(pieces, b"")
    return _Template(pieces, "")


# ---- module functions ------------------------------------------------------------------

_cache = {}
_CACHE_LIMIT = 512


def _compile(pattern, flags):
    if isinstance(flags, RegexFlag):
        flags = int(flags)
    if isinstance(pattern, Pattern):
        if flags:
            raise ValueError("cannot process flags argument with a compiled pattern")
        return pattern
    key = (type(pattern), pattern, flags)
    try:
        return _cache[key]
    except (KeyError, TypeError):
        pass
    if not isinstance(pattern, (str, bytes)):
        raise TypeError("first argument must be string or compiled pattern")
    info = _re.compile(pattern, flags)
    if info[0] is None:
        raise error(info[1], pattern, info[2])
    final = info[0]
    if isinstance(pattern, str):
        if final & LOCALE:
            raise ValueError("cannot use LOCALE flag with a str pattern")
        if final & ASCII and final & UNICODE:
            raise ValueError("ASCII and UNICODE flags are incompatible")
    else:
        if final & UNICODE:
            raise ValueError("cannot use UNICODE flag with a bytes pattern")
        if final & LOCALE and final & ASCII:
            raise ValueError("ASCII and LOCALE flags are incompatible")
    compiled = _make_pattern(pattern, flags, info)
    if len(_cache) >= _CACHE_LIMIT:
        _cache.clear()
    _cache[key] = compiled
    return compiled


def compile(pattern, flags=0):
    "Compile a regular expression pattern, returning a Pattern object."
    return _compile(pattern, flags)


def match(pattern, string, flags=0):
    "Match the pattern at the start of the string; a Match or None."
    return _compile(pattern, flags).match(string)


def fullmatch(pattern, string, flags=0):
    "Match the pattern against the whole string; a Match or None."
    return _compile(pattern, flags).fullmatch(string)


def search(pattern, string, flags=0):
    "Find the first match of the pattern in the string; a Match or None."
    return _compile(pattern, flags).search(string)


def sub(pattern, repl, string, count=0, flags=0):
    "Replace the leftmost non-overlapping matches of the pattern."
    return _compile(pattern, flags).sub(repl, string, count)


def subn(pattern, repl, string, count=0, flags=0):
    "Like sub, also returning the number of replacements."
    return _compile(pattern, flags).subn(repl, string, count)


def split(pattern, string, maxsplit=0, flags=0):
    "Split the string at the matches of the pattern."
    return _compile(pattern, flags).split(string, maxsplit)


def findall(pattern, string, flags=0):
    "Every non-overlapping match: strings, or tuples of groups."
    return _compile(pattern, flags).findall(string)


def finditer(pattern, string, flags=0):
    "An iterator of Match objects over every non-overlapping match."
    return _compile(pattern, flags).finditer(string)


def purge():
    "Clear the regular expression caches."
    _cache.clear()
    _re.purge()


_SPECIAL = {ord(c): "\\" + c for c in "()[]{}?*+-|^$\\.&~# \t\n\r\v\f"}


def escape(pattern):
    "Escape the characters that are special in patterns."
    if isinstance(pattern, str):
        return pattern.translate(_SPECIAL)
    return str(pattern, "latin1").translate(_SPECIAL).encode("latin1")
