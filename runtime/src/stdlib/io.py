"""In-memory streams and the I/O class hierarchy (io module).

Owns StringIO (text kept in memory, with CPython's newline handling,
seek/tell in characters, line iteration), BytesIO, a TextIOWrapper over a
binary buffer, the IOBase/RawIOBase/BufferedIOBase/TextIOBase classes,
UnsupportedOperation and the SEEK_* constants. Files on disk belong to
the host (`open`), not to this module. Each call of an in-memory stream's
reading, writing and positioning methods on a stream that threads share
runs as one step (`_atomic`), as CPython's C streams do under its lock.
"""

__all__ = ['IOBase', 'RawIOBase', 'FileIO',
           'BytesIO', 'StringIO', 'BufferedIOBase', 'BufferedReader',
           'BufferedWriter', 'BufferedRWPair', 'BufferedRandom',
           'TextIOBase', 'TextIOWrapper', 'UnsupportedOperation',
           'SEEK_SET', 'SEEK_CUR', 'SEEK_END', 'DEFAULT_BUFFER_SIZE']

from _atomic import one_step_at_a_time as _one_step_at_a_time

SEEK_SET = 0
SEEK_CUR = 1
SEEK_END = 2
DEFAULT_BUFFER_SIZE = 8192


class UnsupportedOperation(OSError, ValueError):
    pass


try:
    open = open
except NameError:
    pass


def _type_name(value):
    return type(value).__name__


def _as_size(size, what='argument'):
    if size is None:
        return -1
    if not isinstance(size, int):
        raise TypeError(f"argument should be integer or None, not "
                        f"'{_type_name(size)}'")
    return size


class IOBase:
    """The abstract base class for all I/O classes."""

    _closed = False

    def _check_closed(self):
        if self._closed:
            raise ValueError('I/O operation on closed file.')

    @property
    def closed(self):
        return self._closed

    def close(self):
        """Flush and close the IO object (no effect when already closed)."""
        if not self._closed:
            try:
                self.flush()
            finally:
                self._closed = True

    def flush(self):
        """Flush write buffers, if applicable."""
        self._check_closed()

    def readable(self):
        return False

    def writable(self):
        return False

    def seekable(self):
        return False

    def isatty(self):
        self._check_closed()
        return False

    def fileno(self):
        raise UnsupportedOperation('fileno')

    def seek(self, pos, whence=0):
        raise UnsupportedOperation('seek')

    def tell(self):
        return self.seek(0, 1)

    def truncate(self, pos=None):
        raise UnsupportedOperation('truncate')

    def __enter__(self):
        self._check_closed()
        return self

    def __exit__(self, *args):
        self.close()

    def __iter__(self):
        self._check_closed()
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def readline(self, size=-1):
        raise UnsupportedOperation('readline')

    def readlines(self, hint=None):
        """Return a list of lines from the stream (stop after about `hint`
        characters or bytes)."""
        hint = _as_size(hint)
        lines = []
        total = 0
        for line in self:
            lines.append(line)
            total += len(line)
            if 0 < hint <= total:
                break
        return lines

    def writelines(self, lines):
        """Write a list of lines to the stream (no separators added)."""
        self._check_closed()
        for line in lines:
            self.write(line)


class RawIOBase(IOBase):
    """Base class for raw binary I/O."""


class BufferedIOBase(IOBase):
    """Base class for buffered binary I/O."""


class TextIOBase(IOBase):
    """Base class for text I/O."""

    encoding = None
    errors = None
    newlines = None


class StringIO(TextIOBase):
    """Text I/O implementation using an in-memory buffer."""

    def __init__(self, initial_value='', newline='\n'):
        if newline is not None and not isinstance(newline, str):
            raise TypeError('newline must be str or None, not '
                            f'{_type_name(newline)}')
        if newline not in (None, '', '\n', '\r', '\r\n'):
            raise ValueError(f'illegal newline value: {newline!r}')
        if initial_value is not None and not isinstance(initial_value, str):
            raise TypeError('initial_value must be str or None, not '
                            f'{_type_name(initial_value)}')
        self._newline = newline
        self._value = ''
        self._pending = []
        self._position = 0
        self._closed = False
        self._seen_newlines = set()
        if initial_value:
            self.write(initial_value)
            self._position = 0

    def _check_closed(self):
        if self._closed:
            raise ValueError('I/O operation on closed file')

    # -- buffer management

    def _text(self):
        if self._pending:
            self._value += ''.join(self._pending)
            self._pending = []
        return self._value

    def _length(self):
        if self._pending:
            return len(self._text())
        return len(self._value)

    def _translate_in(self, text):
        newline = self._newline
        if newline is None:
            if '\r' in text:
                if '\r\n' in text:
                    self._seen_newlines.add('\r\n')
                if '\r' in text.replace('\r\n', ''):
                    self._seen_newlines.add('\r')
                text = text.replace('\r\n', '\n').replace('\r', '\n')
            if '\n' in text:
                self._seen_newlines.add('\n')
            return text
        if newline in ('\r', '\r\n'):
            return text.replace('\n', newline)
        return text

    # -- TextIOBase interface

    def readable(self):
        self._check_closed()
        return True

    def writable(self):
        self._check_closed()
        return True

    def seekable(self):
        self._check_closed()
        return True

    @property
    def line_buffering(self):
        return False

    @property
    def newlines(self):
        if self._newline is not None or not self._seen_newlines:
            return None
        found = tuple(kind for kind in ('\r', '\n', '\r\n')
                      if kind in self._seen_newlines)
        return found[0] if len(found) == 1 else found

    @_one_step_at_a_time
    def getvalue(self):
        """Retrieve the entire contents of the object."""
        self._check_closed()
        return self._text()

    @_one_step_at_a_time
    def write(self, s):
        """Write string to file; returns the number of characters written."""
        self._check_closed()
        if not isinstance(s, str):
            raise TypeError(f'string argument expected, got '
                            f"'{_type_name(s)}'")
        written = len(s)
        s = self._translate_in(s)
        if not s:
            return written
        length = self._length()
        if self._position == length and not self._value:
            self._pending.append(s)
        elif self._position == length:
            self._pending.append(s)
        else:
            text = self._text()
            if self._position > length:
                text += '\0' * (self._position - length)
            end = self._position + len(s)
            self._value = text[:self._position] + s + text[end:]
        self._position += len(s)
        return written

    @_one_step_at_a_time
    def read(self, size=-1):
        """Read at most size characters, returned as a string (all when
        size is negative or None)."""
        self._check_closed()
        size = _as_size(size)
        text = self._text()
        start = min(self._position, len(text))
        if size < 0:
            end = len(text)
        else:
            end = min(start + size, len(text))
        self._position = max(self._position, end)
        return text[start:end]

    def _line_end(self, text, start):
        newline = self._newline
        if newline == '':
            for index in range(start, len(text)):
                char = text[index]
                if char == '\n':
                    return index + 1
                if char == '\r':
                    if index + 1 < len(text) and text[index + 1] == '\n':
                        return index + 2
                    return index + 1
            return len(text)
        terminator = '\n' if newline is None else newline
        found = text.find(terminator, start)
        if found < 0:
            return len(text)
        return found + len(terminator)

    @_one_step_at_a_time
    def readline(self, size=-1):
        """Read until newline or EOF (at most size characters)."""
        self._check_closed()
        size = _as_size(size)
        text = self._text()
        start = min(self._position, len(text))
        end = self._line_end(text, start)
        if size >= 0:
            end = min(end, start + size)
        self._position = end
        return text[start:end]

    def __next__(self):
        self._check_closed()
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    @_one_step_at_a_time
    def tell(self):
        """Tell the current file position."""
        self._check_closed()
        return self._position

    @_one_step_at_a_time
    def seek(self, pos, whence=0):
        """Change stream position (whence 0: start, 1: current, 2: end)."""
        self._check_closed()
        if not isinstance(pos, int):
            raise TypeError(f"'{_type_name(pos)}' object cannot be "
                            'interpreted as an integer')
        if whence == 0:
            if pos < 0:
                raise ValueError(f'Negative seek position {pos}')
            self._position = pos
        elif whence == 1:
            if pos != 0:
                raise OSError("Can't do nonzero cur-relative seeks")
        elif whence == 2:
            if pos != 0:
                raise OSError("Can't do nonzero end-relative seeks")
            self._position = self._length()
        else:
            raise ValueError(f'Invalid whence ({whence}, should be 0, 1 or 2)')
        return self._position

    @_one_step_at_a_time
    def truncate(self, pos=None):
        """Truncate size to pos (default: the current position)."""
        self._check_closed()
        if pos is None:
            pos = self._position
        if pos < 0:
            raise ValueError(f'Negative size value {pos}')
        text = self._text()
        if pos < len(text):
            self._value = text[:pos]
        return pos

    def close(self):
        self._closed = True

    def detach(self):
        raise UnsupportedOperation('detach')

    def __repr__(self):
        return f'<_io.StringIO object at {hex(id(self))}>'

    def __getstate__(self):
        return (self.getvalue(), self._newline, self._position, None)


class BytesIO(BufferedIOBase):
    """Buffered I/O implementation using an in-memory bytes buffer."""

    def __init__(self, initial_bytes=b''):
        self._buffer = bytearray(initial_bytes) if initial_bytes else bytearray()
        self._position = 0
        self._closed = False

    def readable(self):
        self._check_closed()
        return True

    def writable(self):
        self._check_closed()
        return True

    def seekable(self):
        self._check_closed()
        return True

    @_one_step_at_a_time
    def getvalue(self):
        """Retrieve the entire contents of the BytesIO object."""
        self._check_closed()
        return bytes(self._buffer)

    def getbuffer(self):
        self._check_closed()
        return self._buffer

    @_one_step_at_a_time
    def write(self, b):
        """Write bytes to file; returns the number of bytes written."""
        self._check_closed()
        if isinstance(b, str):
            raise TypeError("a bytes-like object is required, not 'str'")
        data = bytes(b)
        size = len(data)
        if not size:
            return 0
        length = len(self._buffer)
        if self._position > length:
            self._buffer.extend(b'\0' * (self._position - length))
        end = self._position + size
        self._buffer[self._position:end] = data
        self._position = end
        return size

    @_one_step_at_a_time
    def read(self, size=-1):
        """Read at most size bytes, returned as a bytes object."""
        self._check_closed()
        size = _as_size(size)
        length = len(self._buffer)
        start = min(self._position, length)
        end = length if size < 0 else min(start + size, length)
        self._position = max(self._position, end)
        return bytes(self._buffer[start:end])

    read1 = read

    def readinto(self, buffer):
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    @_one_step_at_a_time
    def readline(self, size=-1):
        """Next line from the file, as a bytes object."""
        self._check_closed()
        size = _as_size(size)
        length = len(self._buffer)
        start = min(self._position, length)
        found = self._buffer.find(b'\n', start)
        end = length if found < 0 else found + 1
        if size >= 0:
            end = min(end, start + size)
        self._position = end
        return bytes(self._buffer[start:end])

    @_one_step_at_a_time
    def tell(self):
        self._check_closed()
        return self._position

    @_one_step_at_a_time
    def seek(self, pos, whence=0):
        """Change stream position (whence 0: start, 1: current, 2: end)."""
        self._check_closed()
        if whence == 0:
            if pos < 0:
                raise ValueError(f'negative seek value {pos}')
            self._position = pos
        elif whence == 1:
            self._position = max(0, self._position + pos)
        elif whence == 2:
            self._position = max(0, len(self._buffer) + pos)
        else:
            raise ValueError(f'invalid whence ({whence}, should be 0, 1 or 2)')
        return self._position

    @_one_step_at_a_time
    def truncate(self, size=None):
        self._check_closed()
        if size is None:
            size = self._position
        if size < 0:
            raise ValueError(f'negative size value {size}')
        del self._buffer[size:]
        return size

    def close(self):
        self._closed = True

    def __repr__(self):
        return f'<_io.BytesIO object at {hex(id(self))}>'


class TextIOWrapper(TextIOBase):
    """Character and line based layer over a binary buffer."""

    def __init__(self, buffer, encoding=None, errors=None, newline=None,
                 line_buffering=False, write_through=False):
        self.buffer = buffer
        self.encoding = encoding or 'utf-8'
        self.errors = errors or 'strict'
        self._newline = newline
        self.line_buffering = line_buffering
        self.write_through = write_through
        self._closed = False
        self._decoded = None
        self._decoded_position = 0

    @property
    def closed(self):
        return self.buffer.closed

    def _check_closed(self):
        if self.buffer.closed:
            raise ValueError('I/O operation on closed file.')

    def readable(self):
        return self.buffer.readable()

    def writable(self):
        return self.buffer.writable()

    def seekable(self):
        return self.buffer.seekable()

    def write(self, s):
        self._check_closed()
        if not isinstance(s, str):
            raise TypeError(f'write() argument must be str, not '
                            f'{_type_name(s)}')
        text = s
        if self._newline not in (None, '', '\n'):
            text = text.replace('\n', self._newline)
        self.buffer.write(text.encode(self.encoding, self.errors))
        self._decoded = None
        if self.line_buffering and ('\n' in s or '\r' in s):
            self.flush()
        return len(s)

    def flush(self):
        self._check_closed()
        flush = getattr(self.buffer, 'flush', None)
        if flush is not None:
            flush()

    def _load(self):
        if self._decoded is None:
            raw = self.buffer.read()
            text = raw.decode(self.encoding, self.errors)
            if self._newline is None:
                text = text.replace('\r\n', '\n').replace('\r', '\n')
            self._decoded = text
            self._decoded_position = 0
        return self._decoded

    def read(self, size=-1):
        self._check_closed()
        size = _as_size(size)
        text = self._load()
        start = self._decoded_position
        end = len(text) if size < 0 else min(len(text), start + size)
        self._decoded_position = end
        return text[start:end]

    def readline(self, size=-1):
        self._check_closed()
        size = _as_size(size)
        text = self._load()
        start = self._decoded_position
        found = text.find('\n', start)
        end = len(text) if found < 0 else found + 1
        if size >= 0:
            end = min(end, start + size)
        self._decoded_position = end
        return text[start:end]

    def seek(self, pos, whence=0):
        self._check_closed()
        self._decoded = None
        return self.buffer.seek(pos, whence)

    def tell(self):
        self._check_closed()
        return self.buffer.tell()

    def detach(self):
        buffer = self.buffer
        self.buffer = None
        return buffer

    def close(self):
        if self.buffer is not None and not self.buffer.closed:
            try:
                self.flush()
            finally:
                self.buffer.close()

    def fileno(self):
        return self.buffer.fileno()

    def isatty(self):
        return False


BufferedReader = BufferedWriter = BufferedRWPair = BufferedRandom = \
    BufferedIOBase
FileIO = RawIOBase
