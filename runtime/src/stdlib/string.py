"""Common string constants and classes (string module).

Owns the character-class constants, capwords, Template ($-substitution)
and Formatter (the str.format machinery exposed as overridable methods).
"""

__all__ = ['ascii_letters', 'ascii_lowercase', 'ascii_uppercase', 'capwords',
           'digits', 'hexdigits', 'octdigits', 'printable', 'punctuation',
           'whitespace', 'Formatter', 'Template']

whitespace = ' \t\n\r\x0b\x0c'
ascii_lowercase = 'abcdefghijklmnopqrstuvwxyz'
ascii_uppercase = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
ascii_letters = ascii_lowercase + ascii_uppercase
digits = '0123456789'
hexdigits = digits + 'abcdef' + 'ABCDEF'
octdigits = '01234567'
punctuation = r"""!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~"""
printable = digits + ascii_letters + punctuation + whitespace


def capwords(s, sep=None):
    """Split the argument into words using split, capitalize each word
    using capitalize, and join the capitalized words using join."""
    return (sep or ' ').join(word.capitalize() for word in s.split(sep))


# ---------------------------------------------------------------- Template

_IDENTIFIER_START = set('_' + ascii_letters)
_IDENTIFIER_REST = set('_' + ascii_letters + digits)


class Template:
    """A string class for supporting $-substitutions."""

    delimiter = '$'
    idpattern = r'(?a:[_a-z][_a-z0-9]*)'
    braceidpattern = None
    flags = None

    def __init__(self, template):
        self.template = template

    def _scan(self):
        """Yield (kind, text, start, end) pieces of the template: kind is
        'text', 'escaped', 'named', 'braced' or 'invalid'."""
        template = self.template
        delimiter = self.delimiter
        size = len(template)
        width = len(delimiter)
        position = 0
        text_start = 0
        while True:
            found = template.find(delimiter, position)
            if found < 0:
                break
            after = found + width
            kind = None
            name = None
            end = after
            if template.startswith(delimiter, after):
                kind, end = 'escaped', after + width
            elif after < size and template[after] == '{':
                name_end = after + 1
                if name_end < size and template[name_end] in _IDENTIFIER_START:
                    name_end += 1
                    while name_end < size and \
                            template[name_end] in _IDENTIFIER_REST:
                        name_end += 1
                    if name_end < size and template[name_end] == '}':
                        kind = 'braced'
                        name = template[after + 1:name_end]
                        end = name_end + 1
            elif after < size and template[after] in _IDENTIFIER_START:
                name_end = after + 1
                while name_end < size and template[name_end] in _IDENTIFIER_REST:
                    name_end += 1
                kind, name, end = 'named', template[after:name_end], name_end
            if kind is None:
                kind = 'invalid'
                end = after
            if found > text_start:
                yield 'text', template[text_start:found], text_start, found
            yield kind, name, found, end
            position = end
            text_start = end
        if text_start < size:
            yield 'text', template[text_start:], text_start, size

    def _invalid(self, index):
        lines = self.template[:index].splitlines(keepends=True)
        if not lines:
            column = 1
            line_number = 1
        else:
            column = index - len(''.join(lines[:-1])) + 1
            line_number = len(lines)
        raise ValueError(f'Invalid placeholder in string: line {line_number}, '
                         f'col {column}')

    def substitute(self, mapping=None, /, **kws):
        if mapping is None:
            mapping = kws
        elif kws:
            mapping = _ChainLookup(kws, mapping)
        pieces = []
        for kind, text, start, end in self._scan():
            if kind == 'text':
                pieces.append(text)
            elif kind == 'escaped':
                pieces.append(self.delimiter)
            elif kind == 'invalid':
                self._invalid(start)
            else:
                pieces.append(str(mapping[text]))
        return ''.join(pieces)

    def safe_substitute(self, mapping=None, /, **kws):
        if mapping is None:
            mapping = kws
        elif kws:
            mapping = _ChainLookup(kws, mapping)
        template = self.template
        pieces = []
        for kind, text, start, end in self._scan():
            if kind == 'text':
                pieces.append(text)
            elif kind == 'escaped':
                pieces.append(self.delimiter)
            elif kind == 'invalid':
                pieces.append(self.delimiter)
            else:
                try:
                    pieces.append(str(mapping[text]))
                except KeyError:
                    pieces.append(template[start:end])
        return ''.join(pieces)

    def is_valid(self):
        for kind, text, start, end in self._scan():
            if kind == 'invalid':
                return False
        return True

    def get_identifiers(self):
        identifiers = []
        for kind, text, start, end in self._scan():
            if kind in ('named', 'braced') and text not in identifiers:
                identifiers.append(text)
        return identifiers


class _ChainLookup:
    """Looks keys up in the keyword arguments, then the mapping."""

    def __init__(self, first, second):
        self.first = first
        self.second = second

    def __getitem__(self, key):
        try:
            return self.first[key]
        except KeyError:
            return self.second[key]


# ---------------------------------------------------------------- Formatter

def _parse_format(format_string):
    """Yield (literal_text, field_name, format_spec, conversion) tuples,
    like str.format's parser (_string.formatter_parser)."""
    size = len(format_string)
    position = 0
    literal = []
    while position < size:
        char = format_string[position]
        if char == '}':
            if position + 1 < size and format_string[position + 1] == '}':
                literal.append('}')
                position += 2
                yield ''.join(literal), None, None, None
                literal = []
                continue
            raise ValueError("Single '}' encountered in format string")
        if char != '{':
            literal.append(char)
            position += 1
            continue
        if position + 1 < size and format_string[position + 1] == '{':
            literal.append('{')
            position += 2
            yield ''.join(literal), None, None, None
            literal = []
            continue
        if position + 1 == size:
            raise ValueError("Single '{' encountered in format string")
        # A replacement field: find its matching close brace.
        depth = 1
        scan = position + 1
        while scan < size:
            if format_string[scan] == '{':
                depth += 1
            elif format_string[scan] == '}':
                depth -= 1
                if depth == 0:
                    break
            scan += 1
        if scan >= size:
            if depth > 0 and scan >= size:
                raise ValueError("expected '}' before end of string")
        field = format_string[position + 1:scan]
        name, conversion, spec = _split_field(field)
        yield ''.join(literal), name, spec, conversion
        literal = []
        position = scan + 1
    if literal:
        yield ''.join(literal), None, None, None


def _split_field(field):
    """Split 'name!conv:spec' into its three parts."""
    bracket = 0
    name_end = len(field)
    for index, char in enumerate(field):
        if char == '[':
            bracket += 1
        elif char == ']':
            bracket -= 1
        elif bracket == 0 and char in '!:':
            name_end = index
            break
    name = field[:name_end]
    rest = field[name_end:]
    conversion = None
    spec = ''
    if rest.startswith('!'):
        if len(rest) < 2:
            raise ValueError('end of string while looking for conversion '
                             'specifier')
        conversion = rest[1]
        rest = rest[2:]
        if rest and not rest.startswith(':'):
            raise ValueError('expected \':\' after conversion specifier')
    if rest.startswith(':'):
        spec = rest[1:]
    return name, conversion, spec


def _split_field_name(field_name):
    """Split 'a.b[0]' into ('a', [(True, 'b'), (False, 0)])."""
    size = len(field_name)
    index = 0
    while index < size and field_name[index] not in '.[':
        index += 1
    first = field_name[:index]
    if first.isdigit():
        first = int(first)
    rest = []
    while index < size:
        if field_name[index] == '.':
            end = index + 1
            while end < size and field_name[end] not in '.[':
                end += 1
            attribute = field_name[index + 1:end]
            if not attribute:
                raise ValueError('Empty attribute in format string')
            rest.append((True, attribute))
            index = end
        elif field_name[index] == '[':
            end = field_name.find(']', index)
            if end < 0:
                raise ValueError("Missing ']' in format string")
            key = field_name[index + 1:end]
            if not key:
                raise ValueError('Empty attribute in format string')
            rest.append((False, int(key) if key.isdigit() else key))
            index = end + 1
            if index < size and field_name[index] not in '.[':
                raise ValueError('Only \'.\' or \'[\' may follow \']\' in '
                                 'format field specifier')
        else:
            raise ValueError('Only \'.\' or \'[\' may follow \']\' in format '
                             'field specifier')
    return first, rest


class Formatter:
    """The str.format machinery, with overridable steps."""

    def format(self, format_string, /, *args, **kwargs):
        return self.vformat(format_string, args, kwargs)

    def vformat(self, format_string, args, kwargs):
        used_args = set()
        result, _ = self._vformat(format_string, args, kwargs, used_args, 2)
        self.check_unused_args(used_args, args, kwargs)
        return result

    def _vformat(self, format_string, args, kwargs, used_args,
                 recursion_depth, auto_arg_index=0):
        if recursion_depth < 0:
            raise ValueError('Max string recursion exceeded')
        result = []
        for literal_text, field_name, format_spec, conversion in \
                self.parse(format_string):
            if literal_text:
                result.append(literal_text)
            if field_name is None:
                continue
            if field_name == '':
                if auto_arg_index is False:
                    raise ValueError('cannot switch from manual field '
                                     'specification to automatic field '
                                     'numbering')
                field_name = str(auto_arg_index)
                auto_arg_index += 1
            elif field_name.split('.')[0].split('[')[0].isdigit():
                if auto_arg_index:
                    # string.Formatter words both directions this way.
                    raise ValueError('cannot switch from manual field '
                                     'specification to automatic field '
                                     'numbering')
                auto_arg_index = False
            obj, arg_used = self.get_field(field_name, args, kwargs)
            used_args.add(arg_used)
            obj = self.convert_field(obj, conversion)
            format_spec, auto_arg_index = self._vformat(
                format_spec, args, kwargs, used_args, recursion_depth - 1,
                auto_arg_index=auto_arg_index)
            result.append(self.format_field(obj, format_spec))
        return ''.join(result), auto_arg_index

    def get_value(self, key, args, kwargs):
        if isinstance(key, int):
            return args[key]
        return kwargs[key]

    def check_unused_args(self, used_args, args, kwargs):
        pass

    def format_field(self, value, format_spec):
        return format(value, format_spec)

    def convert_field(self, value, conversion):
        if conversion is None:
            return value
        if conversion == 's':
            return str(value)
        if conversion == 'r':
            return repr(value)
        if conversion == 'a':
            return ascii(value)
        raise ValueError(f'Unknown conversion specifier {conversion}')

    def parse(self, format_string):
        return list(_parse_format(format_string))

    def get_field(self, field_name, args, kwargs):
        first, rest = _split_field_name(field_name)
        obj = self.get_value(first, args, kwargs)
        for is_attribute, key in rest:
            if is_attribute:
                obj = getattr(obj, key)
            else:
                obj = obj[key]
        return obj, first
