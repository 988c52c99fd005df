"""Parsing of time strings for protoPython's time.strptime and
datetime.strptime: a format is split into literal, whitespace and
directive tokens (C-locale names; %c, %x and %X expanded), matched against
the text with backtracking in the order CPython's regular expressions would
try their alternatives (case-insensitive), and the matched fields are turned
into a time tuple with CPython 3.11's rules for defaults, %U/%W weeks, ISO
weeks, day of year and time zones. Our own code."""

import time as _time

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday",
             "saturday", "sunday")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july",
           "august", "september", "october", "november", "december")

# Composite directives of the C locale.
_COMPOSITES = {"c": "%a %b %d %H:%M:%S %Y", "x": "%m/%d/%y", "X": "%H:%M:%S"}

# Numeric directives: alternatives (number of digits, lowest, highest) in
# the order CPython's patterns try them.
_NUMERIC = {
    "d": ((2, 1, 31), (1, 1, 9)),
    "f": ((6, 0, 999999), (5, 0, 99999), (4, 0, 9999), (3, 0, 999), (2, 0, 99), (1, 0, 9)),
    "H": ((2, 0, 23), (1, 0, 9)),
    "I": ((2, 1, 12), (1, 1, 9)),
    "G": ((4, 0, 9999),),
    "j": ((3, 1, 366), (2, 1, 99), (1, 1, 9)),
    "m": ((2, 1, 12), (1, 1, 9)),
    "M": ((2, 0, 59), (1, 0, 9)),
    "S": ((2, 0, 61), (1, 0, 9)),
    "U": ((2, 0, 53), (1, 0, 9)),
    "W": ((2, 0, 53), (1, 0, 9)),
    "V": ((2, 1, 53), (1, 0, 9)),
    "w": ((1, 0, 6),),
    "u": ((1, 1, 7),),
    "y": ((2, 0, 99),),
    "Y": ((4, 0, 9999),),
}


def _by_length(names):
    return sorted(names, key=len, reverse=True)


_NAMES = {
    "A": _by_length(_WEEKDAYS),
    "a": _by_length(name[:3] for name in _WEEKDAYS),
    "B": _by_length(_MONTHS),
    "b": _by_length(name[:3] for name in _MONTHS),
    "p": ["am", "pm"],
}

_DIRECTIVES = set(_NUMERIC) | set(_NAMES) | {"z", "Z"}


def _zone_names():
    standard = {"utc", "gmt", _time.tzname[0].lower()}
    daylight = {_time.tzname[1].lower()}
    return standard, daylight


def _tokens(format, whole_format):
    """Literal ('', char), whitespace (' ', None) and directive ('%', char) tokens."""
    tokens = []
    index = 0
    length = len(format)
    while index < length:
        char = format[index]
        if char == "%":
            if index + 1 >= length:
                raise ValueError("stray %% in format '%s'" % whole_format)
            directive = format[index + 1]
            index += 2
            if directive in _COMPOSITES:
                tokens.extend(_tokens(_COMPOSITES[directive], whole_format))
            elif directive == "%":
                tokens.append(("", "%"))
            elif directive in _DIRECTIVES:
                tokens.append(("%", directive))
            else:
                raise ValueError("'%s' is a bad directive in format '%s'"
                                 % (directive, whole_format))
        elif char.isspace():
            while index < length and format[index].isspace():
                index += 1
            tokens.append((" ", None))
        else:
            tokens.append(("", char))
            index += 1
    return tokens


def _ascii_digits(text, start, count):
    piece = text[start:start + count]
    return len(piece) == count and piece.isascii() and piece.isdigit()


def _offset_candidates(text, pos):
    """End positions of [+-]HH[:]MM[[:]SS[.ffffff]] at pos, longest first,
    or of a literal 'Z'."""
    if text[pos:pos + 1] == "Z":
        return [pos + 1]
    if text[pos:pos + 1] not in ("+", "-") or not _ascii_digits(text, pos + 1, 2):
        return []
    index = pos + 3
    if text[index:index + 1] == ":":
        index += 1
    if not (_ascii_digits(text, index, 2) and text[index] in "012345"):
        return []
    minutes_end = index + 2
    ends = [minutes_end]
    index = minutes_end
    if text[index:index + 1] == ":":
        index += 1
    if _ascii_digits(text, index, 2) and text[index] in "012345":
        seconds_end = index + 2
        ends.insert(0, seconds_end)
        if text[seconds_end:seconds_end + 1] == ".":
            digits = 0
            while digits < 6 and _ascii_digits(text, seconds_end + 1 + digits, 1):
                digits += 1
            for count in range(1, digits + 1):
                ends.insert(0, seconds_end + 1 + count)
    return ends


def _candidates(directive, text, pos):
    """Possible end positions of directive at pos, in the order tried."""
    spec = _NUMERIC.get(directive)
    if spec is not None:
        ends = []
        for digits, lowest, highest in spec:
            if _ascii_digits(text, pos, digits) and lowest <= int(text[pos:pos + digits]) <= highest:
                ends.append(pos + digits)
        if directive == "d" and text[pos:pos + 1] == " " and _ascii_digits(text, pos + 1, 1) \
                and text[pos + 1] != "0":
            ends.append(pos + 2)
        return ends
    if directive == "z":
        return _offset_candidates(text, pos)
    if directive == "Z":
        standard, daylight = _zone_names()
        names = _by_length(standard | daylight)
    else:
        names = _NAMES[directive]
    lowered = text[pos:pos + 9].lower()
    return [pos + len(name) for name in names if lowered.startswith(name)]


def _match(tokens, token_index, text, pos, found):
    """End of a match of tokens[token_index:] at pos (fills found), or None."""
    if token_index == len(tokens):
        return pos
    kind, value = tokens[token_index]
    if kind == " ":
        end = pos
        while end < len(text) and text[end].isspace():
            end += 1
        while end > pos:
            result = _match(tokens, token_index + 1, text, end, found)
            if result is not None:
                return result
            end -= 1
        return None
    if kind == "":
        if pos < len(text) and (text[pos] == value or text[pos].lower() == value.lower()):
            return _match(tokens, token_index + 1, text, pos + 1, found)
        return None
    for end in _candidates(value, text, pos):
        found[value] = text[pos:end]
        result = _match(tokens, token_index + 1, text, end, found)
        if result is not None:
            return result
        del found[value]
    return None


def _is_leap(year):
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


_DAYS_BEFORE_MONTH = (0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)


def _ordinal(year, month, day):
    """Day number of a date (0001-01-01 is 1); checks the day."""
    days_in_month = 29 if month == 2 and _is_leap(year) else \
        (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month]
    if not 1 <= day <= days_in_month:
        raise ValueError("day is out of range for month")
    previous = year - 1
    return (previous * 365 + previous // 4 - previous // 100 + previous // 400
            + _DAYS_BEFORE_MONTH[month] + (month > 2 and _is_leap(year)) + day)


def _from_ordinal(ordinal):
    """(year, month, day) of a day number."""
    year = max(1, (ordinal - 1) * 400 // 146097)
    while _ordinal(year + 1, 1, 1) <= ordinal:
        year += 1
    while _ordinal(year, 1, 1) > ordinal:
        year -= 1
    remaining = ordinal - _ordinal(year, 1, 1)
    month = 12
    while _DAYS_BEFORE_MONTH[month] + (month > 2 and _is_leap(year)) > remaining:
        month -= 1
    day = remaining - _DAYS_BEFORE_MONTH[month] - (month > 2 and _is_leap(year)) + 1
    return year, month, day


def _julian_from_week(year, week_of_year, weekday, week_starts_monday):
    """Day of the year of a %U/%W week number and a weekday (Monday 0)."""
    first_weekday = (_ordinal(year, 1, 1) + 6) % 7
    if not week_starts_monday:
        first_weekday = (first_weekday + 1) % 7
        weekday = (weekday + 1) % 7
    week0_length = (7 - first_weekday) % 7
    if week_of_year == 0:
        return 1 + weekday - first_weekday
    return 1 + week0_length + 7 * (week_of_year - 1) + weekday


def _julian_from_iso(iso_year, iso_week, iso_weekday):
    """(year, day of the year) of an ISO year, week and weekday (Monday 1)."""
    first = _ordinal(iso_year, 1, 1)
    first_weekday = (first + 6) % 7
    week1_monday = first - first_weekday + (7 if first_weekday > 3 else 0)
    ordinal = week1_monday + 7 * (iso_week - 1) + iso_weekday - 1
    year = iso_year
    julian = ordinal - first + 1
    if julian <= 0:
        year -= 1
        julian += 366 if _is_leap(year) else 365
    return year, julian


def _strptime(data_string, format="%a %b %d %H:%M:%S %Y"):
    """(time tuple with tzname and gmtoff, microseconds, offset microseconds)."""
    for index, argument in enumerate((data_string, format)):
        if not isinstance(argument, str):
            raise TypeError("strptime() argument %d must be str, not %s"
                            % (index, type(argument)))
    tokens = _tokens(format, format)
    found = {}
    end = _match(tokens, 0, data_string, 0, found)
    if end is None:
        raise ValueError("time data %r does not match format %r" % (data_string, format))
    if end != len(data_string):
        raise ValueError("unconverted data remains: %s" % data_string[end:])

    year = None
    month = day = 1
    hour = minute = second = fraction = 0
    tz = -1
    gmtoff = None
    gmtoff_fraction = 0
    iso_year = iso_week = None
    week_of_year = week_starts_monday = None
    weekday = julian = None
    for directive, text in found.items():
        if directive == "y":
            year = int(text)
            year += 2000 if year <= 68 else 1900
        elif directive == "Y":
            year = int(text)
        elif directive == "G":
            iso_year = int(text)
        elif directive == "m":
            month = int(text)
        elif directive in ("B", "b"):
            names = _MONTHS if directive == "B" else tuple(name[:3] for name in _MONTHS)
            month = names.index(text.lower()) + 1
        elif directive == "d":
            day = int(text)
        elif directive == "H":
            hour = int(text)
        elif directive == "I":
            hour = int(text)
            meridian = found.get("p", "").lower()
            if meridian in ("", "am"):
                if hour == 12:
                    hour = 0
            elif hour != 12:
                hour += 12
        elif directive == "M":
            minute = int(text)
        elif directive == "S":
            second = int(text)
        elif directive == "f":
            fraction = int(text + "0" * (6 - len(text)))
        elif directive in ("A", "a"):
            names = _WEEKDAYS if directive == "A" else tuple(name[:3] for name in _WEEKDAYS)
            weekday = names.index(text.lower())
        elif directive == "w":
            weekday = int(text)
            weekday = 6 if weekday == 0 else weekday - 1
        elif directive == "u":
            weekday = int(text) - 1
        elif directive == "j":
            julian = int(text)
        elif directive in ("U", "W"):
            week_of_year = int(text)
            week_starts_monday = directive == "W"
        elif directive == "V":
            iso_week = int(text)
        elif directive == "z":
            if text == "Z":
                gmtoff = 0
            else:
                offset = text
                if offset[3] == ":":
                    offset = offset[:3] + offset[4:]
                    if len(offset) > 5:
                        if offset[5] != ":":
                            raise ValueError("Inconsistent use of : in %s" % text)
                        offset = offset[:5] + offset[6:]
                hours = int(offset[1:3])
                minutes = int(offset[3:5])
                seconds = int(offset[5:7] or 0)
                gmtoff = (hours * 60 + minutes) * 60 + seconds
                remainder = offset[8:]
                gmtoff_fraction = int(remainder + "0" * (6 - len(remainder))) if remainder else 0
                if offset.startswith("-"):
                    gmtoff = -gmtoff
                    gmtoff_fraction = -gmtoff_fraction
        elif directive == "Z":
            zone = text.lower()
            for index, names in enumerate(_zone_names()):
                if zone in names:
                    if (_time.tzname[0] == _time.tzname[1] and _time.daylight
                            and zone not in ("utc", "gmt")):
                        break
                    tz = index
                    break

    if iso_year is not None:
        if julian is not None:
            raise ValueError("Day of the year directive '%j' is not compatible with ISO "
                             "year directive '%G'. Use '%Y' instead.")
        if iso_week is None or weekday is None:
            raise ValueError("ISO year directive '%G' must be used with the ISO week "
                             "directive '%V' and a weekday directive ('%A', '%a', '%w', or '%u').")
    elif iso_week is not None:
        if year is None or weekday is None:
            raise ValueError("ISO week directive '%V' must be used with the ISO year "
                             "directive '%G' and a weekday directive ('%A', '%a', '%w', or '%u').")
        raise ValueError("ISO week directive '%V' is incompatible with the year directive "
                         "'%Y'. Use the ISO year '%G' instead.")

    leap_year_fix = False
    if year is None and month == 2 and day == 29:
        year = 1904  # a leap year, so that Feb 29 is valid
        leap_year_fix = True
    elif year is None:
        year = 1900

    if julian is None and weekday is not None:
        if week_of_year is not None:
            julian = _julian_from_week(year, week_of_year, weekday, week_starts_monday)
        elif iso_year is not None and iso_week is not None:
            year, julian = _julian_from_iso(iso_year, iso_week, weekday + 1)
        if julian is not None and julian <= 0:
            year -= 1
            julian += 366 if _is_leap(year) else 365

    if julian is None:
        julian = _ordinal(year, month, day) - _ordinal(year, 1, 1) + 1
    else:
        year, month, day = _from_ordinal(julian - 1 + _ordinal(year, 1, 1))
    if weekday is None:
        weekday = (_ordinal(year, month, day) + 6) % 7
    tzname = found.get("Z")
    if leap_year_fix:
        year = 1900
    return ((year, month, day, hour, minute, second, weekday, julian, tz, tzname, gmtoff),
            fraction, gmtoff_fraction)


def _strptime_time(data_string, format="%a %b %d %H:%M:%S %Y"):
    """time.strptime: a struct_time."""
    fields = _strptime(data_string, format)[0]
    return _time.struct_time(fields)


def _strptime_datetime(cls, data_string, format="%a %b %d %H:%M:%S %Y"):
    """datetime.strptime: an instance of cls (aware when %z matched)."""
    fields, fraction, gmtoff_fraction = _strptime(data_string, format)
    tzname, gmtoff = fields[-2:]
    arguments = fields[:6] + (fraction,)
    if gmtoff is not None:
        import datetime
        offset = datetime.timedelta(seconds=gmtoff, microseconds=gmtoff_fraction)
        if tzname:
            zone = datetime.timezone(offset, tzname)
        else:
            zone = datetime.timezone(offset)
        arguments += (zone,)
    return cls(*arguments)
