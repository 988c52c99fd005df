"""JSON encoder and decoder (json module).

Owns dumps/dump (JSONEncoder: indentation, separators, sort_keys,
ensure_ascii escaping, NaN/Infinity, key coercion, default hook, circular
reference detection) and loads/load (JSONDecoder: a recursive-descent
parser with object/array hooks, parse_float/parse_int/parse_constant and
CPython's JSONDecodeError messages and positions).
"""

__all__ = ['dump', 'dumps', 'load', 'loads', 'JSONDecoder',
           'JSONDecodeError', 'JSONEncoder']

__version__ = '2.0.9'

_INFINITY = float('inf')


class JSONDecodeError(ValueError):
    """Subclass of ValueError with the following additional properties:

    msg: The unformatted error message
    doc: The JSON document being parsed
    pos: The start index of doc where parsing failed
    lineno: The line corresponding to pos
    colno: The column corresponding to pos
    """

    def __init__(self, msg, doc, pos):
        lineno = doc.count('\n', 0, pos) + 1
        colno = pos - doc.rfind('\n', 0, pos)
        message = f'{msg}: line {lineno} column {colno} (char {pos})'
        ValueError.__init__(self, message)
        self.msg = msg
        self.doc = doc
        self.pos = pos
        self.lineno = lineno
        self.colno = colno

    def __reduce__(self):
        return self.__class__, (self.msg, self.doc, self.pos)


# ---------------------------------------------------------------- encoding

_SHORT_ESCAPES = {
    '\\': '\\\\',
    '"': '\\"',
    '\b': '\\b',
    '\f': '\\f',
    '\n': '\\n',
    '\r': '\\r',
    '\t': '\\t',
}


def _escape_char(char, ascii_only):
    short = _SHORT_ESCAPES.get(char)
    if short is not None:
        return short
    code = ord(char)
    if code < 0x20 or (ascii_only and code > 0x7e):
        if code > 0xffff:
            code -= 0x10000
            high = 0xd800 | ((code >> 10) & 0x3ff)
            low = 0xdc00 | (code & 0x3ff)
            return f'\\u{high:04x}\\u{low:04x}'
        return f'\\u{code:04x}'
    return char


def _needs_escape(text, ascii_only):
    if '"' not in text and '\\' not in text and text.isprintable() and \
            (not ascii_only or text.isascii()):
        return False
    for char in text:
        code = ord(char)
        if code < 0x20 or char == '"' or char == '\\':
            return True
        if ascii_only and code > 0x7e:
            return True
    return False


def py_encode_basestring(s):
    """Return a JSON representation of a Python string."""
    if not _needs_escape(s, False):
        return '"' + s + '"'
    return '"' + ''.join(_escape_char(char, False) for char in s) + '"'


def py_encode_basestring_ascii(s):
    """Return an ASCII-only JSON representation of a Python string."""
    if not _needs_escape(s, True):
        return '"' + s + '"'
    return '"' + ''.join(_escape_char(char, True) for char in s) + '"'


encode_basestring = py_encode_basestring
encode_basestring_ascii = py_encode_basestring_ascii


class JSONEncoder:
    """Extensible JSON <https://json.org> encoder for Python data
    structures."""

    item_separator = ', '
    key_separator = ': '

    def __init__(self, *, skipkeys=False, ensure_ascii=True,
                 check_circular=True, allow_nan=True, sort_keys=False,
                 indent=None, separators=None, default=None):
        self.skipkeys = skipkeys
        self.ensure_ascii = ensure_ascii
        self.check_circular = check_circular
        self.allow_nan = allow_nan
        self.sort_keys = sort_keys
        self.indent = indent
        if separators is not None:
            self.item_separator, self.key_separator = separators
        elif indent is not None:
            self.item_separator = ','
        if default is not None:
            self.default = default

    def default(self, o):
        """Return a serializable object for o, or raise TypeError."""
        raise TypeError(f'Object of type {o.__class__.__name__} '
                        'is not JSON serializable')

    def encode(self, o):
        """Return a JSON string representation of a Python data
        structure."""
        if isinstance(o, str):
            if self.ensure_ascii:
                return encode_basestring_ascii(o)
            return encode_basestring(o)
        chunks = self.iterencode(o, _one_shot=True)
        if not isinstance(chunks, (list, tuple)):
            chunks = list(chunks)
        return ''.join(chunks)

    def iterencode(self, o, _one_shot=False):
        """Encode the given object and yield each string representation
        as available."""
        chunks = []
        self._encode(o, chunks, 0, {} if self.check_circular else None)
        return iter(chunks)

    # -- the recursive encoder

    def _float_text(self, value):
        if value != value:
            text = 'NaN'
        elif value == _INFINITY:
            text = 'Infinity'
        elif value == -_INFINITY:
            text = '-Infinity'
        else:
            return float.__repr__(value)
        if not self.allow_nan:
            raise ValueError('Out of range float values are not JSON '
                             'compliant')
        return text

    def _string_text(self, value):
        if self.ensure_ascii:
            return encode_basestring_ascii(value)
        return encode_basestring(value)

    def _indent_text(self):
        indent = self.indent
        if indent is None:
            return None
        if isinstance(indent, int):
            return ' ' * indent
        return indent

    def _encode(self, o, chunks, level, markers):
        if isinstance(o, str):
            chunks.append(self._string_text(o))
        elif o is None:
            chunks.append('null')
        elif o is True:
            chunks.append('true')
        elif o is False:
            chunks.append('false')
        elif isinstance(o, int):
            chunks.append(int.__repr__(o))
        elif isinstance(o, float):
            chunks.append(self._float_text(o))
        elif isinstance(o, (list, tuple)):
            self._encode_list(o, chunks, level, markers)
        elif isinstance(o, dict):
            self._encode_dict(o, chunks, level, markers)
        else:
            marker = None
            if markers is not None:
                marker = id(o)
                if marker in markers:
                    raise ValueError('Circular reference detected')
                markers[marker] = o
            replacement = self.default(o)
            self._encode(replacement, chunks, level, markers)
            if marker is not None:
                del markers[marker]

    def _enter(self, o, markers):
        if markers is None:
            return None
        marker = id(o)
        if marker in markers:
            raise ValueError('Circular reference detected')
        markers[marker] = o
        return marker

    def _encode_list(self, items, chunks, level, markers):
        if not items:
            chunks.append('[]')
            return
        marker = self._enter(items, markers)
        indent = self._indent_text()
        chunks.append('[')
        if indent is not None:
            level += 1
            newline = '\n' + indent * level
            separator = self.item_separator + newline
            chunks.append(newline)
        else:
            separator = self.item_separator
        first = True
        for value in items:
            if not first:
                chunks.append(separator)
            first = False
            self._encode(value, chunks, level, markers)
        if indent is not None:
            level -= 1
            chunks.append('\n' + indent * level)
        chunks.append(']')
        if marker is not None:
            del markers[marker]

    def _key_text(self, key):
        if isinstance(key, str):
            return key
        if isinstance(key, float):
            return self._float_text(key)
        if key is True:
            return 'true'
        if key is False:
            return 'false'
        if key is None:
            return 'null'
        if isinstance(key, int):
            return int.__repr__(key)
        if self.skipkeys:
            return None
        raise TypeError('keys must be str, int, float, bool or None, not '
                        f'{key.__class__.__name__}')

    def _encode_dict(self, mapping, chunks, level, markers):
        if not mapping:
            chunks.append('{}')
            return
        marker = self._enter(mapping, markers)
        indent = self._indent_text()
        chunks.append('{')
        if indent is not None:
            level += 1
            newline = '\n' + indent * level
            separator = self.item_separator + newline
            chunks.append(newline)
        else:
            separator = self.item_separator
        # One list of the items, as CPython's encoder takes them: another
        # thread may change a shared dict while it is encoded.
        items = list(mapping.items())
        if self.sort_keys:
            items = sorted(items)
        first = True
        for key, value in items:
            key_text = self._key_text(key)
            if key_text is None:
                continue
            if not first:
                chunks.append(separator)
            first = False
            chunks.append(self._string_text(key_text))
            chunks.append(self.key_separator)
            self._encode(value, chunks, level, markers)
        if indent is not None:
            level -= 1
            chunks.append('\n' + indent * level)
        chunks.append('}')
        if marker is not None:
            del markers[marker]


_default_encoder = JSONEncoder()


def dumps(obj, *, skipkeys=False, ensure_ascii=True, check_circular=True,
          allow_nan=True, cls=None, indent=None, separators=None,
          default=None, sort_keys=False, **kw):
    """Serialize ``obj`` to a JSON formatted ``str``."""
    if (not skipkeys and ensure_ascii and check_circular and allow_nan
            and cls is None and indent is None and separators is None
            and default is None and not sort_keys and not kw):
        return _default_encoder.encode(obj)
    if cls is None:
        cls = JSONEncoder
    return cls(skipkeys=skipkeys, ensure_ascii=ensure_ascii,
               check_circular=check_circular, allow_nan=allow_nan,
               indent=indent, separators=separators, default=default,
               sort_keys=sort_keys, **kw).encode(obj)


def dump(obj, fp, *, skipkeys=False, ensure_ascii=True, check_circular=True,
         allow_nan=True, cls=None, indent=None, separators=None,
         default=None, sort_keys=False, **kw):
    """Serialize ``obj`` as a JSON formatted stream to ``fp``."""
    if cls is None:
        cls = JSONEncoder
    encoder = cls(skipkeys=skipkeys, ensure_ascii=ensure_ascii,
                  check_circular=check_circular, allow_nan=allow_nan,
                  indent=indent, separators=separators, default=default,
                  sort_keys=sort_keys, **kw)
    for chunk in encoder.iterencode(obj):
        fp.write(chunk)


# ---------------------------------------------------------------- decoding

_WHITESPACE = ' \t\n\r'
_DIGITS = '0123456789'
_CONSTANTS = {
    '-Infinity': float('-inf'),
    'Infinity': float('inf'),
    'NaN': float('nan'),
}
_BACKSLASH_ESCAPES = {
    '"': '"', '\\': '\\', '/': '/',
    'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t',
}
_HEX_DIGITS = '0123456789abcdefABCDEF'


def _skip_whitespace(text, index):
    size = len(text)
    while index < size and text[index] in _WHITESPACE:
        index += 1
    return index


def _decode_hex4(text, index):
    """The value of the 4 hex digits after '\\u' at text[index]."""
    digits = text[index + 1:index + 5]
    if len(digits) != 4 or any(c not in _HEX_DIGITS for c in digits):
        raise JSONDecodeError('Invalid \\uXXXX escape', text, index)
    return int(digits, 16)


def scanstring(text, end, strict=True):
    """Scan the string body starting after the opening quote at
    text[end - 1]; return (string, index after the closing quote)."""
    chunks = []
    begin = end - 1
    size = len(text)
    while True:
        quote = text.find('"', end)
        if quote < 0:
            quote = size
        stop = text.find('\\', end, quote)
        if stop < 0:
            stop = quote
        if strict and not text[end:stop].isprintable():
            # Only characters below U+0020 are invalid inside strings.
            for position in range(end, stop):
                if text[position] < ' ':
                    stop = position
                    break
        if stop >= size:
            raise JSONDecodeError('Unterminated string starting at', text,
                                  begin)
        if stop > end:
            chunks.append(text[end:stop])
        char = text[stop]
        end = stop + 1
        if char == '"':
            break
        if char != '\\':
            raise JSONDecodeError('Invalid control character at', text,
                                  stop)
        if end >= size:
            raise JSONDecodeError('Unterminated string starting at', text,
                                  begin)
        escape = text[end]
        if escape != 'u':
            replacement = _BACKSLASH_ESCAPES.get(escape)
            if replacement is None:
                raise JSONDecodeError('Invalid \\escape', text, end - 1)
            chunks.append(replacement)
            end += 1
            continue
        code = _decode_hex4(text, end)
        end += 5
        if 0xd800 <= code <= 0xdbff and text[end:end + 2] == '\\u':
            low = _decode_hex4(text, end + 1)
            if 0xdc00 <= low <= 0xdfff:
                code = 0x10000 + (((code - 0xd800) << 10) | (low - 0xdc00))
                end += 6
        try:
            chunks.append(chr(code))
        except ValueError:
            # protoPython strings cannot hold a lone surrogate.
            chunks.append('\ufffd')
    return ''.join(chunks), end


py_scanstring = scanstring


class JSONDecoder:
    """Simple JSON <https://json.org> decoder."""

    def __init__(self, *, object_hook=None, parse_float=None,
                 parse_int=None, parse_constant=None, strict=True,
                 object_pairs_hook=None):
        self.object_hook = object_hook
        self.parse_float = parse_float or float
        self.parse_int = parse_int or int
        self.parse_constant = parse_constant or _CONSTANTS.__getitem__
        self.strict = strict
        self.object_pairs_hook = object_pairs_hook
        self.memo = {}

    def decode(self, s):
        """Return the Python representation of ``s`` (a ``str`` instance
        containing a JSON document)."""
        obj, end = self.raw_decode(s, _skip_whitespace(s, 0))
        end = _skip_whitespace(s, end)
        if end != len(s):
            raise JSONDecodeError('Extra data', s, end)
        return obj

    def raw_decode(self, s, idx=0):
        """Decode a JSON document from ``s`` (a ``str`` beginning with a
        JSON document) and return (value, end index)."""
        try:
            return self._value(s, idx)
        except StopIteration as error:
            raise JSONDecodeError('Expecting value', s, error.value) from None

    def _value(self, text, index):
        if index >= len(text):
            raise StopIteration(index)
        char = text[index]
        if char == '"':
            return scanstring(text, index + 1, self.strict)
        if char == '{':
            return self._object(text, index + 1)
        if char == '[':
            return self._array(text, index + 1)
        if char == 'n' and text.startswith('null', index):
            return None, index + 4
        if char == 't' and text.startswith('true', index):
            return True, index + 4
        if char == 'f' and text.startswith('false', index):
            return False, index + 5
        if char == 'N' and text.startswith('NaN', index):
            return self.parse_constant('NaN'), index + 3
        if char == 'I' and text.startswith('Infinity', index):
            return self.parse_constant('Infinity'), index + 8
        if char == '-' and text.startswith('-Infinity', index):
            return self.parse_constant('-Infinity'), index + 9
        if char == '-' or char in _DIGITS:
            return self._number(text, index)
        raise StopIteration(index)

    def _number(self, text, index):
        size = len(text)
        start = index
        if text[index] == '-':
            index += 1
        if index >= size or text[index] not in _DIGITS:
            raise StopIteration(start)
        if text[index] == '0':
            index += 1
        else:
            while index < size and text[index] in _DIGITS:
                index += 1
        integer_end = index
        is_float = False
        if index + 1 < size and text[index] == '.' and \
                text[index + 1] in _DIGITS:
            index += 2
            while index < size and text[index] in _DIGITS:
                index += 1
            is_float = True
        if index < size and text[index] in 'eE':
            exponent = index + 1
            if exponent < size and text[exponent] in '+-':
                exponent += 1
            if exponent < size and text[exponent] in _DIGITS:
                while exponent < size and text[exponent] in _DIGITS:
                    exponent += 1
                index = exponent
                is_float = True
        if is_float:
            return self.parse_float(text[start:index]), index
        return self.parse_int(text[start:integer_end]), integer_end

    def _object(self, text, index):
        pairs = []
        index = _skip_whitespace(text, index)
        if index < len(text) and text[index] == '}':
            return self._finish_object(pairs), index + 1
        while True:
            if index >= len(text) or text[index] != '"':
                raise JSONDecodeError('Expecting property name enclosed in '
                                      'double quotes', text, index)
            key, index = scanstring(text, index + 1, self.strict)
            key = self.memo.setdefault(key, key)
            index = _skip_whitespace(text, index)
            if index >= len(text) or text[index] != ':':
                raise JSONDecodeError("Expecting ':' delimiter", text, index)
            index = _skip_whitespace(text, index + 1)
            try:
                value, index = self._value(text, index)
            except StopIteration as error:
                raise JSONDecodeError('Expecting value', text,
                                      error.value) from None
            pairs.append((key, value))
            index = _skip_whitespace(text, index)
            if index < len(text) and text[index] == '}':
                return self._finish_object(pairs), index + 1
            if index >= len(text) or text[index] != ',':
                raise JSONDecodeError("Expecting ',' delimiter", text, index)
            index = _skip_whitespace(text, index + 1)

    def _finish_object(self, pairs):
        if self.object_pairs_hook is not None:
            return self.object_pairs_hook(pairs)
        result = dict(pairs)
        if self.object_hook is not None:
            return self.object_hook(result)
        return result

    def _array(self, text, index):
        values = []
        index = _skip_whitespace(text, index)
        if index < len(text) and text[index] == ']':
            return values, index + 1
        while True:
            try:
                value, index = self._value(text, index)
            except StopIteration as error:
                raise JSONDecodeError('Expecting value', text,
                                      error.value) from None
            values.append(value)
            index = _skip_whitespace(text, index)
            if index < len(text) and text[index] == ']':
                return values, index + 1
            if index >= len(text) or text[index] != ',':
                raise JSONDecodeError("Expecting ',' delimiter", text, index)
            index = _skip_whitespace(text, index + 1)


_default_decoder = JSONDecoder()


def _detect_encoding(b):
    if b.startswith((b'\xef\xbb\xbf',)):
        return 'utf-8-sig'
    if b.startswith((b'\xff\xfe', b'\xfe\xff')):
        return 'utf-16'
    if len(b) >= 4:
        if not b[0]:
            return 'utf-16-be' if b[1] else 'utf-32-be'
        if not b[1]:
            return 'utf-16-le' if b[2] or b[3] else 'utf-32-le'
    elif len(b) == 2:
        if not b[0]:
            return 'utf-16-be'
        if not b[1]:
            return 'utf-16-le'
    return 'utf-8'


def loads(s, *, cls=None, object_hook=None, parse_float=None,
          parse_int=None, parse_constant=None, object_pairs_hook=None, **kw):
    """Deserialize ``s`` (a ``str``, ``bytes`` or ``bytearray`` instance
    containing a JSON document) to a Python object."""
    if isinstance(s, str):
        if s.startswith('\ufeff'):
            raise JSONDecodeError('Unexpected UTF-8 BOM (decode using '
                                  'utf-8-sig)', s, 0)
    else:
        if not isinstance(s, (bytes, bytearray)):
            raise TypeError('the JSON object must be str, bytes or '
                            f'bytearray, not {s.__class__.__name__}')
        s = bytes(s).decode(_detect_encoding(s), 'surrogatepass')
    if (cls is None and object_hook is None and parse_int is None
            and parse_float is None and parse_constant is None
            and object_pairs_hook is None and not kw):
        return _default_decoder.decode(s)
    if cls is None:
        cls = JSONDecoder
    if object_hook is not None:
        kw['object_hook'] = object_hook
    if object_pairs_hook is not None:
        kw['object_pairs_hook'] = object_pairs_hook
    if parse_float is not None:
        kw['parse_float'] = parse_float
    if parse_int is not None:
        kw['parse_int'] = parse_int
    if parse_constant is not None:
        kw['parse_constant'] = parse_constant
    return cls(**kw).decode(s)


def load(fp, *, cls=None, object_hook=None, parse_float=None,
         parse_int=None, parse_constant=None, object_pairs_hook=None, **kw):
    """Deserialize ``fp`` (a ``.read()``-supporting file-like object
    containing a JSON document) to a Python object."""
    return loads(fp.read(), cls=cls, object_hook=object_hook,
                 parse_float=parse_float, parse_int=parse_int,
                 parse_constant=parse_constant,
                 object_pairs_hook=object_pairs_hook, **kw)


import json.decoder
import json.encoder
import sys as _sys

decoder = _sys.modules['json.decoder']
encoder = _sys.modules['json.encoder']
