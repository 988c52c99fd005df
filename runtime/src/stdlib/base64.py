"""The base64 module for protoPython: Base16, Base32 (standard and
extended-hex alphabets), Base64 (standard and URL-safe), Ascii85 and Base85
encodings of bytes, plus the MIME-style line helpers encodebytes and
decodebytes. Base64 and hex delegate to the native binascii module; the
other alphabets are implemented here. Errors are binascii.Error (a
ValueError) with CPython's messages."""

import binascii

__all__ = [
    "encode", "decode", "encodebytes", "decodebytes",
    "b64encode", "b64decode", "b32encode", "b32decode",
    "b32hexencode", "b32hexdecode", "b16encode", "b16decode",
    "b85encode", "b85decode", "a85encode", "a85decode",
    "standard_b64encode", "standard_b64decode",
    "urlsafe_b64encode", "urlsafe_b64decode",
]

bytes_types = (bytes, bytearray)


def _input_bytes(data):
    """bytes of an argument to a decoding function (ASCII str accepted)."""
    if isinstance(data, str):
        try:
            return data.encode("ascii")
        except UnicodeEncodeError:
            raise ValueError("string argument should contain only ASCII characters")
    if isinstance(data, bytes_types):
        return bytes(data)
    try:
        return memoryview(data).tobytes()
    except TypeError:
        raise TypeError(
            "argument should be a bytes-like object or ASCII string, not %r"
            % data.__class__.__name__
        ) from None


def _encoding_input(data):
    """bytes of an argument to an encoding function (bytes-like only)."""
    if isinstance(data, bytes_types):
        return bytes(data)
    if isinstance(data, str):
        raise TypeError("a bytes-like object is required, not 'str'")
    try:
        return memoryview(data).tobytes()
    except TypeError:
        raise TypeError(
            "a bytes-like object is required, not '%s'" % data.__class__.__name__
        ) from None


def b64encode(s, altchars=None):
    """Base64-encode bytes-like s; altchars (2 bytes) replaces '+' and '/'."""
    encoded = binascii.b2a_base64(s, newline=False)
    if altchars is not None:
        altchars = _encoding_input(altchars)
        assert len(altchars) == 2, repr(altchars)
        return encoded.translate(bytes.maketrans(b"+/", altchars))
    return encoded


def b64decode(s, altchars=None, validate=False):
    """Decode Base64 s (bytes-like or ASCII str). Characters outside the
    alphabet are skipped unless validate is true (then binascii's strict
    mode also rejects misplaced padding)."""
    s = _input_bytes(s)
    if altchars is not None:
        altchars = _input_bytes(altchars)
        assert len(altchars) == 2, repr(altchars)
        s = s.translate(bytes.maketrans(altchars, b"+/"))
    return binascii.a2b_base64(s, strict_mode=validate)


def standard_b64encode(s):
    """Base64-encode s with the standard alphabet."""
    return b64encode(s)


def standard_b64decode(s):
    """Decode standard-alphabet Base64 s."""
    return b64decode(s)


_urlsafe_encode_table = bytes.maketrans(b"+/", b"-_")
_urlsafe_decode_table = bytes.maketrans(b"-_", b"+/")


def urlsafe_b64encode(s):
    """Base64-encode s with '-' and '_' instead of '+' and '/'."""
    return b64encode(s).translate(_urlsafe_encode_table)


def urlsafe_b64decode(s):
    """Decode URL-safe Base64 s."""
    s = _input_bytes(s)
    return b64decode(s.translate(_urlsafe_decode_table))


# --- Base32 -----------------------------------------------------------------

_B32_STANDARD = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_B32_HEX = b"0123456789ABCDEFGHIJKLMNOPQRSTUV"
# Number of '=' characters for a final group of 1..4 input bytes.
_B32_PADDING = {0: 0, 1: 6, 2: 4, 3: 3, 4: 1}


def _b32encode(alphabet, s):
    data = _encoding_input(s)
    out = bytearray()
    for start in range(0, len(data), 5):
        chunk = data[start:start + 5]
        value = int.from_bytes(chunk + bytes(5 - len(chunk)), "big")
        group = bytearray(alphabet[(value >> shift) & 31] for shift in range(35, -5, -5))
        padding = _B32_PADDING[len(chunk) % 5]
        if padding:
            group[8 - padding:] = b"=" * padding
        out += group
    return bytes(out)


def _b32decode(alphabet, s, casefold=False, map01=None):
    data = _input_bytes(s)
    if len(data) % 8:
        raise binascii.Error("Incorrect padding")
    if map01 is not None:
        map01 = _input_bytes(map01)
        assert len(map01) == 1, repr(map01)
        data = data.translate(bytes.maketrans(b"01", b"O" + map01))
    if casefold:
        data = data.upper()
    stripped = data.rstrip(b"=")
    padding = len(data) - len(stripped)
    values = {symbol: index for index, symbol in enumerate(alphabet)}
    out = bytearray()
    for start in range(0, len(stripped), 8):
        group = stripped[start:start + 8]
        accumulator = 0
        for symbol in group:
            digit = values.get(symbol)
            if digit is None:
                raise binascii.Error("Non-base32 digit found")
            accumulator = (accumulator << 5) | digit
        accumulator <<= 5 * (8 - len(group))
        out += accumulator.to_bytes(5, "big")
    if padding:
        kept = {1: 4, 3: 3, 4: 2, 6: 1}.get(padding)
        if kept is None or not data:
            raise binascii.Error("Incorrect padding")
        del out[len(out) - 5 + kept:]
    return bytes(out)


def b32encode(s):
    """Base32-encode bytes-like s."""
    return _b32encode(_B32_STANDARD, s)


def b32decode(s, casefold=False, map01=None):
    """Decode Base32 s; casefold accepts lowercase, map01 maps '0' to 'O'
    and '1' to the given letter."""
    return _b32decode(_B32_STANDARD, s, casefold, map01)


def b32hexencode(s):
    """Base32-encode s with the extended hex alphabet (RFC 4648)."""
    return _b32encode(_B32_HEX, s)


def b32hexdecode(s, casefold=False):
    """Decode extended-hex Base32 s."""
    return _b32decode(_B32_HEX, s, casefold)


# --- Base16 -----------------------------------------------------------------

def b16encode(s):
    """Base16 (uppercase hex) encoding of bytes-like s."""
    return binascii.hexlify(s).upper()


def b16decode(s, casefold=False):
    """Decode uppercase hex s (lowercase too when casefold is true)."""
    s = _input_bytes(s)
    if casefold:
        s = s.upper()
    for symbol in s:
        if symbol not in b"0123456789ABCDEF":
            raise binascii.Error("Non-base16 digit found")
    return binascii.unhexlify(s)


# --- Ascii85 and Base85 -------------------------------------------------------

_B85_ALPHABET = (
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    b"abcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~"
)
_A85_START = b"<~"
_A85_END = b"~>"


def _encode85(data, alphabet, pad, fold_zeros, fold_spaces):
    """Words of 4 bytes to 5 digits base 85 (digit d is alphabet[d])."""
    padding = (-len(data)) % 4
    padded = data + bytes(padding)
    out = bytearray()
    for start in range(0, len(padded), 4):
        word = int.from_bytes(padded[start:start + 4], "big")
        if fold_zeros and word == 0:
            out += b"z"
            continue
        if fold_spaces and word == 0x20202020:
            out += b"y"
            continue
        digits = bytearray(5)
        for position in range(4, -1, -1):
            word, digit = divmod(word, 85)
            digits[position] = alphabet[digit]
        out += digits
    if padding and not pad:
        if out[-1:] == b"z":
            out[-1:] = alphabet[0:1] * 5
        del out[len(out) - padding:]
    return bytes(out)


def a85encode(b, *, foldspaces=False, wrapcol=0, pad=False, adobe=False):
    """Ascii85-encode bytes-like b (optionally 'y' for spaces, line wrapping
    at wrapcol, padding to whole words, Adobe '<~' '~>' framing)."""
    data = _encoding_input(b)
    alphabet = bytes(range(33, 118))
    result = _encode85(data, alphabet, pad, True, foldspaces)
    if adobe:
        result = _A85_START + result
    if wrapcol:
        wrapcol = max(2 if adobe else 1, wrapcol)
        lines = [result[i:i + wrapcol] for i in range(0, len(result), wrapcol)]
        if adobe and len(lines[-1]) + 2 > wrapcol:
            lines.append(b"")
        result = b"\n".join(lines)
    if adobe:
        result += _A85_END
    return result


def a85decode(b, *, foldspaces=False, adobe=False, ignorechars=b" \t\n\r\x0b"):
    """Decode Ascii85 b; whitespace in ignorechars is skipped."""
    data = _input_bytes(b)
    if adobe:
        if not data.endswith(_A85_END):
            raise ValueError("Ascii85 encoded byte sequences must end with {!r}".format(_A85_END))
        if data.startswith(_A85_START):
            data = data[2:-2]
        else:
            data = data[:-2]
    out = bytearray()
    group = []
    for symbol in data + b"u" * 4:
        if 33 <= symbol <= 117:
            group.append(symbol - 33)
            if len(group) == 5:
                word = 0
                for digit in group:
                    word = word * 85 + digit
                if word > 0xFFFFFFFF:
                    raise ValueError("Ascii85 overflow")
                out += word.to_bytes(4, "big")
                group = []
        elif symbol == 122:  # 'z'
            if group:
                raise ValueError("z inside Ascii85 5-tuple")
            out += bytes(4)
        elif foldspaces and symbol == 121:  # 'y'
            if group:
                raise ValueError("y inside Ascii85 5-tuple")
            out += b"    "
        elif symbol in ignorechars:
            continue
        else:
            raise ValueError("Non-Ascii85 digit found: %c" % symbol)
    padding = 4 - len(group)
    if padding:
        del out[len(out) - padding:]
    return bytes(out)


def b85encode(b, pad=False):
    """Base85-encode bytes-like b (the alphabet of git binary patches)."""
    return _encode85(_encoding_input(b), _B85_ALPHABET, pad, False, False)


_b85_values = None


def b85decode(b):
    """Decode Base85 b."""
    global _b85_values
    if _b85_values is None:
        _b85_values = {symbol: index for index, symbol in enumerate(_B85_ALPHABET)}
    data = _input_bytes(b)
    padding = (-len(data)) % 5
    data = data + b"~" * padding
    out = bytearray()
    for start in range(0, len(data), 5):
        word = 0
        for offset, symbol in enumerate(data[start:start + 5]):
            digit = _b85_values.get(symbol)
            if digit is None:
                raise ValueError("bad base85 character at position %d" % (start + offset))
            word = word * 85 + digit
        if word > 0xFFFFFFFF:
            raise ValueError("base85 overflow in hunk starting at byte %d" % start)
        out += word.to_bytes(4, "big")
    if padding:
        del out[len(out) - padding:]
    return bytes(out)


# --- MIME-style lines -----------------------------------------------------------

MAXLINESIZE = 76
MAXBINSIZE = (MAXLINESIZE // 4) * 3


def encodebytes(s):
    """Base64 in lines of at most 76 characters, each ending in a newline."""
    data = _encoding_input(s)
    pieces = []
    for start in range(0, len(data), MAXBINSIZE):
        pieces.append(binascii.b2a_base64(data[start:start + MAXBINSIZE]))
    return b"".join(pieces)


def decodebytes(s):
    """Decode base64 lines as written by encodebytes."""
    if not isinstance(s, bytes_types):
        try:
            s = memoryview(s).tobytes()
        except TypeError:
            raise TypeError(
                "expected bytes-like object, not %s" % s.__class__.__name__
            ) from None
    return binascii.a2b_base64(s)


def encode(input, output):
    """Read binary file input to its end and write Base64 lines to output."""
    while True:
        chunk = input.read(MAXBINSIZE)
        if not chunk:
            break
        while len(chunk) < MAXBINSIZE:
            more = input.read(MAXBINSIZE - len(chunk))
            if not more:
                break
            chunk += more
        output.write(binascii.b2a_base64(chunk))


def decode(input, output):
    """Decode Base64 lines read from input and write the bytes to output."""
    while True:
        line = input.readline()
        if not line:
            break
        output.write(binascii.a2b_base64(line))
