"""Text wrapping and filling (textwrap module).

Owns TextWrapper (splitting text into whitespace and word chunks, with
hyphenated words and em-dashes broken like CPython, greedy line filling,
long-word breaking, max_lines with a placeholder) and the wrap, fill,
shorten, dedent and indent helpers.
"""

__all__ = ['TextWrapper', 'wrap', 'fill', 'dedent', 'indent', 'shorten']

_whitespace = '\t\n\x0b\x0c\r '


def _is_letter(char):
    return char.isalpha()


def _is_word_char(char):
    return char.isalnum() or char == '_'


def _is_word_punct(char):
    return _is_word_char(char) or char in '!"\'&.,?'


class TextWrapper:
    """Object for wrapping/filling text."""

    unicode_whitespace_trans = {ord(char): ' ' for char in _whitespace}
    sentence_end_chars = '.!?'

    def __init__(self, width=70, initial_indent='', subsequent_indent='',
                 expand_tabs=True, replace_whitespace=True,
                 fix_sentence_endings=False, break_long_words=True,
                 drop_whitespace=True, break_on_hyphens=True, tabsize=8, *,
                 max_lines=None, placeholder=' [...]'):
        self.width = width
        self.initial_indent = initial_indent
        self.subsequent_indent = subsequent_indent
        self.expand_tabs = expand_tabs
        self.replace_whitespace = replace_whitespace
        self.fix_sentence_endings = fix_sentence_endings
        self.break_long_words = break_long_words
        self.drop_whitespace = drop_whitespace
        self.break_on_hyphens = break_on_hyphens
        self.tabsize = tabsize
        self.max_lines = max_lines
        self.placeholder = placeholder

    # -- preparing the text

    def _munge_whitespace(self, text):
        """Expand tabs and turn every whitespace character into a space."""
        if self.expand_tabs:
            text = text.expandtabs(self.tabsize)
        if self.replace_whitespace:
            text = text.translate(self.unicode_whitespace_trans)
        return text

    def _split(self, text):
        """Split the text into indivisible chunks: runs of whitespace and
        words (hyphenated words split after their hyphens when
        break_on_hyphens is true)."""
        chunks = []
        size = len(text)
        position = 0
        while position < size:
            start = position
            if text[position] in _whitespace:
                while position < size and text[position] in _whitespace:
                    position += 1
                chunks.append(text[start:position])
                continue
            while position < size and text[position] not in _whitespace:
                position += 1
            word = text[start:position]
            if self.break_on_hyphens:
                chunks.extend(self._split_word(word))
            else:
                chunks.append(word)
        return chunks

    def _split_word(self, word):
        pieces = []
        start = 0
        index = 0
        size = len(word)
        while index < size:
            char = word[index]
            if char == '-':
                # An em-dash (two or more hyphens) between words.
                run_end = index
                while run_end < size and word[run_end] == '-':
                    run_end += 1
                if run_end - index >= 2 and index > start and \
                        _is_word_punct(word[index - 1]) and \
                        run_end < size and _is_word_char(word[run_end]):
                    pieces.append(word[start:index])
                    pieces.append(word[index:run_end])
                    start = run_end
                    index = run_end
                    continue
                if run_end - index == 1 and self._hyphen_breaks(word, index):
                    pieces.append(word[start:index + 1])
                    start = index + 1
                index = run_end
                continue
            index += 1
        if start < size:
            pieces.append(word[start:])
        return pieces

    @staticmethod
    def _hyphen_breaks(word, index):
        """Whether a word may break after the hyphen at `index`: two
        letters (or letter-hyphen-letter) before it, and a letter
        (possibly after one more hyphen) and another letter after it."""
        before_ok = (index >= 2 and _is_letter(word[index - 1])
                     and _is_letter(word[index - 2])) or \
            (index >= 3 and _is_letter(word[index - 1])
             and word[index - 2] == '-' and _is_letter(word[index - 3]))
        if not before_ok:
            return False
        after = word[index + 1:index + 4]
        if len(after) >= 2 and _is_letter(after[0]) and _is_letter(after[1]):
            return True
        return len(after) >= 3 and _is_letter(after[0]) and \
            after[1] == '-' and _is_letter(after[2])

    def _fix_sentence_endings(self, chunks):
        """Put two spaces after each sentence-ending word."""
        index = 0
        while index < len(chunks) - 1:
            word = chunks[index]
            if chunks[index + 1] == ' ' and self._ends_sentence(word):
                chunks[index + 1] = '  '
                index += 2
            else:
                index += 1

    def _ends_sentence(self, word):
        stripped = word
        if stripped and stripped[-1] in '"\'':
            stripped = stripped[:-1]
        if not stripped or stripped[-1] not in self.sentence_end_chars:
            return False
        body = stripped[:-1]
        return len(body) >= 1 and body[-1].islower()

    # -- filling lines

    def _handle_long_word(self, reversed_chunks, current_line, current_length,
                          width):
        space_left = 1 if width < 1 else width - current_length
        if self.break_long_words:
            end = space_left
            chunk = reversed_chunks[-1]
            if self.break_on_hyphens and len(chunk) > space_left:
                hyphen = chunk.rfind('-', 0, space_left)
                if hyphen > 0 and any(char != '-' for char in chunk[:hyphen]):
                    end = hyphen + 1
            current_line.append(chunk[:end])
            reversed_chunks[-1] = chunk[end:]
        elif not current_line:
            current_line.append(reversed_chunks.pop())

    def _wrap_chunks(self, chunks):
        lines = []
        if self.width <= 0:
            raise ValueError(f'invalid width {self.width!r} (must be > 0)')
        if self.max_lines is not None:
            indent = self.subsequent_indent if self.max_lines > 1 \
                else self.initial_indent
            if len(indent) + len(self.placeholder.lstrip()) > self.width:
                raise ValueError('placeholder too large for max width')
        chunks = list(reversed(chunks))
        while chunks:
            line = []
            length = 0
            indent = self.subsequent_indent if lines else self.initial_indent
            width = self.width - len(indent)
            if self.drop_whitespace and lines and chunks[-1].strip() == '':
                chunks.pop()
            while chunks:
                size = len(chunks[-1])
                if length + size > width:
                    break
                line.append(chunks.pop())
                length += size
            if chunks and len(chunks[-1]) > width:
                self._handle_long_word(chunks, line, length, width)
                length = sum(len(piece) for piece in line)
            if self.drop_whitespace and line and line[-1].strip() == '':
                length -= len(line[-1])
                line.pop()
            if not line:
                continue
            rest_is_blank = not chunks or (
                self.drop_whitespace and len(chunks) == 1
                and not chunks[0].strip())
            if self.max_lines is None or len(lines) + 1 < self.max_lines or \
                    (rest_is_blank and length <= width):
                lines.append(indent + ''.join(line))
                continue
            # Out of lines: end with the placeholder.
            while line:
                if line[-1].strip() and \
                        length + len(self.placeholder) <= width:
                    line.append(self.placeholder)
                    lines.append(indent + ''.join(line))
                    break
                length -= len(line[-1])
                line.pop()
            else:
                if lines:
                    previous = lines[-1].rstrip()
                    if len(previous) + len(self.placeholder) <= self.width:
                        lines[-1] = previous + self.placeholder
                        break
                lines.append(indent + self.placeholder.lstrip())
            break
        return lines

    def _split_chunks(self, text):
        text = self._munge_whitespace(text)
        return self._split(text)

    # -- public interface

    def wrap(self, text):
        """Reformat the single paragraph in 'text' so it fits in lines of
        no more than 'self.width' columns, and return a list of lines."""
        chunks = self._split_chunks(text)
        if self.fix_sentence_endings:
            self._fix_sentence_endings(chunks)
        return self._wrap_chunks(chunks)

    def fill(self, text):
        """Reformat the single paragraph in 'text' to fit in lines of no
        more than 'self.width' columns, and return a new string."""
        return '\n'.join(self.wrap(text))


def wrap(text, width=70, **kwargs):
    """Wrap a single paragraph of text, returning a list of wrapped lines."""
    return TextWrapper(width=width, **kwargs).wrap(text)


def fill(text, width=70, **kwargs):
    """Fill a single paragraph of text, returning a new string."""
    return TextWrapper(width=width, **kwargs).fill(text)


def shorten(text, width, **kwargs):
    """Collapse and truncate the given text to fit in the given width."""
    wrapper = TextWrapper(width=width, max_lines=1, **kwargs)
    return wrapper.fill(' '.join(text.strip().split()))


def _leading_blanks(line):
    index = 0
    while index < len(line) and line[index] in ' \t':
        index += 1
    return line[:index]


def dedent(text):
    """Remove any common leading whitespace from every line in `text`."""
    lines = text.split('\n')
    margin = None
    for position, line in enumerate(lines):
        if line.strip(' \t') == '':
            lines[position] = ''
            continue
        leading = _leading_blanks(line)
        if margin is None:
            margin = leading
        elif leading.startswith(margin):
            pass
        elif margin.startswith(leading):
            margin = leading
        else:
            common = 0
            while common < len(margin) and common < len(leading) and \
                    margin[common] == leading[common]:
                common += 1
            margin = margin[:common]
    if margin:
        size = len(margin)
        lines = [line[size:] if line.startswith(margin) else line
                 for line in lines]
    return '\n'.join(lines)


def indent(text, prefix, predicate=None):
    """Adds 'prefix' to the beginning of selected lines in 'text'."""
    if predicate is None:
        def predicate(line):
            return line.strip()
    return ''.join(prefix + line if predicate(line) else line
                   for line in text.splitlines(True))
