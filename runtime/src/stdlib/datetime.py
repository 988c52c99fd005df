"""The datetime module for protoPython: proleptic-Gregorian dates
(ordinal arithmetic from 0001-01-01 to 9999-12-31), times of day,
datetimes, timedeltas normalised to (days, seconds, microseconds), the
abstract tzinfo and the fixed-offset timezone class, ISO 8601 formatting
and parsing, strftime (through time.strftime) and strptime (through
_strptime). Local time is whatever the time module reports (UTC unless
the host says otherwise). Behaviour and error messages follow CPython
3.11; the code is our own."""

import time as _time
import math as _math

__all__ = ("date", "datetime", "time", "timedelta", "timezone", "tzinfo",
           "MINYEAR", "MAXYEAR", "UTC")

MINYEAR = 1
MAXYEAR = 9999
_MAX_ORDINAL = 3652059  # date(9999, 12, 31).toordinal()

_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_DAYS_BEFORE_MONTH = (0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)
_MONTH_ABBREVIATIONS = (None, "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


# --- calendar arithmetic --------------------------------------------------------

def _is_leap(year):
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_in_month(year, month):
    if month == 2 and _is_leap(year):
        return 29
    return _DAYS_IN_MONTH[month]


def _days_before_year(year):
    previous = year - 1
    return previous * 365 + previous // 4 - previous // 100 + previous // 400


def _days_before_month(year, month):
    return _DAYS_BEFORE_MONTH[month] + (month > 2 and _is_leap(year))


def _ordinal_from_ymd(year, month, day):
    return _days_before_year(year) + _days_before_month(year, month) + day


# Days in 400, 100 and 4 Gregorian years.
_DAYS_PER_400_YEARS = 146097
_DAYS_PER_100_YEARS = 36524
_DAYS_PER_4_YEARS = 1461


def _ymd_from_ordinal(ordinal):
    """(year, month, day) of day number ordinal (1 is 0001-01-01)."""
    days = ordinal - 1
    cycles400, days = divmod(days, _DAYS_PER_400_YEARS)
    cycles100, days = divmod(days, _DAYS_PER_100_YEARS)
    cycles4, days = divmod(days, _DAYS_PER_4_YEARS)
    single_years, days = divmod(days, 365)
    year = cycles400 * 400 + cycles100 * 100 + cycles4 * 4 + single_years + 1
    if single_years == 4 or cycles100 == 4:
        # The last day of a leap cycle.
        return year - 1, 12, 31
    leap = single_years == 3 and (cycles4 != 24 or cycles100 == 3)
    month = (days + 50) >> 5
    before = _DAYS_BEFORE_MONTH[month] + (month > 2 and leap)
    if before > days:
        month -= 1
        before = _DAYS_BEFORE_MONTH[month] + (month > 2 and leap)
    return year, month, days - before + 1


def _iso_week1_monday(year):
    first_ordinal = _ordinal_from_ymd(year, 1, 1)
    first_weekday = (first_ordinal + 6) % 7
    monday = first_ordinal - first_weekday
    if first_weekday > 3:
        monday += 7
    return monday


def _as_int(value):
    """An int argument as CPython's date constructors accept it."""
    if type(value) is int:
        return value
    if isinstance(value, int):
        return int(value)
    index = getattr(type(value), "__index__", None)
    if index is None:
        raise TypeError("'%s' object cannot be interpreted as an integer"
                        % type(value).__name__)
    return int(index(value))


def _check_date_fields(year, month, day):
    year = _as_int(year)
    month = _as_int(month)
    day = _as_int(day)
    if not MINYEAR <= year <= MAXYEAR:
        raise ValueError("year %d is out of range" % year)
    if not 1 <= month <= 12:
        raise ValueError("month must be in 1..12")
    if not 1 <= day <= _days_in_month(year, month):
        raise ValueError("day is out of range for month")
    return year, month, day


def _check_time_fields(hour, minute, second, microsecond, fold):
    hour = _as_int(hour)
    minute = _as_int(minute)
    second = _as_int(second)
    microsecond = _as_int(microsecond)
    if not 0 <= hour <= 23:
        raise ValueError("hour must be in 0..23")
    if not 0 <= minute <= 59:
        raise ValueError("minute must be in 0..59")
    if not 0 <= second <= 59:
        raise ValueError("second must be in 0..59")
    if not 0 <= microsecond <= 999999:
        raise ValueError("microsecond must be in 0..999999")
    if fold not in (0, 1):
        raise ValueError("fold must be either 0 or 1")
    return hour, minute, second, microsecond, fold


def _check_tzinfo(tz):
    if tz is not None and not isinstance(tz, tzinfo):
        raise TypeError("tzinfo argument must be None or of a tzinfo subclass, not type '%s'"
                        % type(tz).__name__)


def _type_label(value):
    """The type name CPython shows in reprs: module-qualified for the
    module's own classes, the bare name for subclasses."""
    cls = type(value)
    if cls in _OWN_CLASSES:
        return "datetime." + cls.__name__
    return cls.__qualname__


def _cmp(x, y):
    return 0 if x == y else (1 if x > y else -1)


def _incomparable(op, x, y):
    raise TypeError("'%s' not supported between instances of '%s' and '%s'"
                    % (op, _type_label(x), _type_label(y)))


def _format_offset(offset, separator=""):
    """'+HH:MM[:SS[.ffffff]]' (without ':' when separator is '') or ''."""
    if offset is None:
        return ""
    sign = "+"
    if offset.days < 0:
        sign = "-"
        offset = -offset
    hours, rest = divmod(offset, timedelta(hours=1))
    minutes, rest = divmod(rest, timedelta(minutes=1))
    text = "%s%02d%s%02d" % (sign, hours, separator, minutes)
    if rest.seconds or rest.microseconds:
        text += "%s%02d" % (separator, rest.seconds)
        if rest.microseconds:
            text += ".%06d" % rest.microseconds
    return text


def _format_time(hour, minute, second, microsecond, timespec="auto"):
    if timespec == "auto":
        timespec = "microseconds" if microsecond else "seconds"
    if timespec == "hours":
        return "%02d" % hour
    if timespec == "minutes":
        return "%02d:%02d" % (hour, minute)
    if timespec == "seconds":
        return "%02d:%02d:%02d" % (hour, minute, second)
    if timespec == "milliseconds":
        return "%02d:%02d:%02d.%03d" % (hour, minute, second, microsecond // 1000)
    if timespec == "microseconds":
        return "%02d:%02d:%02d.%06d" % (hour, minute, second, microsecond)
    raise ValueError("Unknown timespec value")


def _wrap_strftime(owner, format, timetuple):
    """Expands %f, %z and %Z from owner, then formats with time.strftime."""
    if not isinstance(format, str):
        raise TypeError("strftime() argument 1 must be str, not %s" % type(format).__name__)
    pieces = []
    index = 0
    length = len(format)
    while index < length:
        char = format[index]
        index += 1
        if char != "%" or index >= length:
            pieces.append(char)
            continue
        directive = format[index]
        index += 1
        if directive == "f":
            pieces.append("%06d" % getattr(owner, "microsecond", 0))
        elif directive == "z":
            offset = owner.utcoffset() if hasattr(owner, "utcoffset") else None
            pieces.append(_format_offset(offset).replace("%", "%%"))
        elif directive == "Z":
            name = owner.tzname() if hasattr(owner, "tzname") else None
            pieces.append("" if name is None else name.replace("%", "%%"))
        else:
            pieces.append("%" + directive)
    return _time.strftime("".join(pieces), timetuple)


def _check_utc_offset(name, offset):
    if offset is None:
        return
    if not isinstance(offset, timedelta):
        raise TypeError("tzinfo.%s() must return None or timedelta, not '%s'"
                        % (name, type(offset).__name__))
    if not -timedelta(1) < offset < timedelta(1):
        raise ValueError("offset must be a timedelta strictly between "
                         "-timedelta(hours=24) and timedelta(hours=24).")


# --- timedelta ------------------------------------------------------------------

def _exact_ratio(value, component):
    """value as (numerator, denominator) for timedelta's arguments."""
    if isinstance(value, int):
        return int(value), 1
    if isinstance(value, float):
        return value.as_integer_ratio()
    raise TypeError("unsupported type for timedelta %s component: %s"
                    % (component, type(value).__name__))


def _round_half_even(numerator, denominator):
    quotient, remainder = divmod(numerator, denominator)
    twice = 2 * remainder
    if twice > denominator or (twice == denominator and quotient % 2 == 1):
        quotient += 1
    return quotient


def _timedelta_from_microseconds(cls, total):
    days, rest = divmod(total, 86400000000)
    seconds, microseconds = divmod(rest, 1000000)
    if not -999999999 <= days <= 999999999:
        raise OverflowError("days=%d; must have magnitude <= 999999999" % days)
    self = object.__new__(cls)
    self._days = days
    self._seconds = seconds
    self._microseconds = microseconds
    self._hashcode = -1
    return self


_TIMEDELTA_UNITS = (
    ("days", 86400000000), ("seconds", 1000000), ("microseconds", 1),
    ("milliseconds", 1000), ("minutes", 60000000), ("hours", 3600000000),
    ("weeks", 604800000000),
)


class timedelta:
    """Difference between two datetimes: days, seconds and microseconds,
    normalised so that 0 <= seconds < 86400 and 0 <= microseconds < 10**6."""

    __slots__ = ("_days", "_seconds", "_microseconds", "_hashcode")

    def __new__(cls, days=0, seconds=0, microseconds=0, milliseconds=0,
                minutes=0, hours=0, weeks=0):
        values = (days, seconds, microseconds, milliseconds, minutes, hours, weeks)
        integral = 0
        numerator = 0
        denominator = 1
        for (name, unit), value in zip(_TIMEDELTA_UNITS, values):
            if type(value) is int:
                integral += value * unit
                continue
            top, bottom = _exact_ratio(value, name)
            if bottom == 1:
                integral += top * unit
            else:
                # Denominators of floats are powers of two: the larger one
                # is a common denominator.
                if bottom > denominator:
                    numerator *= bottom // denominator
                    denominator = bottom
                numerator += top * unit * (denominator // bottom)
        total = integral
        if denominator != 1 or numerator:
            total += _round_half_even(numerator, denominator)
        return _timedelta_from_microseconds(cls, total)

    days = property(lambda self: self._days, doc="Number of days.")
    seconds = property(lambda self: self._seconds,
                       doc="Number of seconds (>= 0 and less than 1 day).")
    microseconds = property(lambda self: self._microseconds,
                            doc="Number of microseconds (>= 0 and less than 1 second).")

    def _to_microseconds(self):
        return (self._days * 86400 + self._seconds) * 1000000 + self._microseconds

    def total_seconds(self):
        """Total seconds in the duration."""
        return self._to_microseconds() / 10 ** 6

    def __repr__(self):
        parts = []
        if self._days:
            parts.append("days=%d" % self._days)
        if self._seconds:
            parts.append("seconds=%d" % self._seconds)
        if self._microseconds:
            parts.append("microseconds=%d" % self._microseconds)
        return "%s(%s)" % (_type_label(self), ", ".join(parts) or "0")

    def __str__(self):
        minutes, seconds = divmod(self._seconds, 60)
        hours, minutes = divmod(minutes, 60)
        text = "%d:%02d:%02d" % (hours, minutes, seconds)
        if self._microseconds:
            text += ".%06d" % self._microseconds
        if self._days:
            plural = "" if abs(self._days) == 1 else "s"
            text = "%d day%s, %s" % (self._days, plural, text)
        return text

    def __add__(self, other):
        if isinstance(other, timedelta):
            return _timedelta_from_microseconds(
                timedelta, self._to_microseconds() + other._to_microseconds())
        return NotImplemented

    __radd__ = __add__

    def __sub__(self, other):
        if isinstance(other, timedelta):
            return _timedelta_from_microseconds(
                timedelta, self._to_microseconds() - other._to_microseconds())
        return NotImplemented

    def __rsub__(self, other):
        if isinstance(other, timedelta):
            return -self + other
        return NotImplemented

    def __neg__(self):
        return _timedelta_from_microseconds(timedelta, -self._to_microseconds())

    def __pos__(self):
        return _timedelta_from_microseconds(timedelta, self._to_microseconds())

    def __abs__(self):
        return -self if self._days < 0 else +self

    def __mul__(self, other):
        if isinstance(other, int):
            return _timedelta_from_microseconds(timedelta, self._to_microseconds() * other)
        if isinstance(other, float):
            top, bottom = other.as_integer_ratio()
            return _timedelta_from_microseconds(
                timedelta, _round_half_even(self._to_microseconds() * top, bottom))
        return NotImplemented

    __rmul__ = __mul__

    def __floordiv__(self, other):
        if isinstance(other, timedelta):
            divisor = other._to_microseconds()
            if divisor == 0:
                raise ZeroDivisionError("integer division or modulo by zero")
            return self._to_microseconds() // divisor
        if isinstance(other, int):
            if other == 0:
                raise ZeroDivisionError("integer division or modulo by zero")
            return _timedelta_from_microseconds(timedelta, self._to_microseconds() // other)
        return NotImplemented

    def __truediv__(self, other):
        if isinstance(other, timedelta):
            divisor = other._to_microseconds()
            if divisor == 0:
                raise ZeroDivisionError("division by zero")
            return self._to_microseconds() / divisor
        if isinstance(other, int):
            if other == 0:
                raise ZeroDivisionError("integer division or modulo by zero")
            return _timedelta_from_microseconds(
                timedelta, _round_half_even(self._to_microseconds(), other)
                if other > 0 else _round_half_even(-self._to_microseconds(), -other))
        if isinstance(other, float):
            top, bottom = other.as_integer_ratio()
            if top == 0:
                raise ZeroDivisionError("integer division or modulo by zero")
            numerator = self._to_microseconds() * bottom
            if top < 0:
                numerator, top = -numerator, -top
            return _timedelta_from_microseconds(timedelta, _round_half_even(numerator, top))
        return NotImplemented

    def __mod__(self, other):
        if isinstance(other, timedelta):
            divisor = other._to_microseconds()
            if divisor == 0:
                raise ZeroDivisionError("integer modulo by zero")
            return _timedelta_from_microseconds(timedelta, self._to_microseconds() % divisor)
        return NotImplemented

    def __divmod__(self, other):
        if isinstance(other, timedelta):
            divisor = other._to_microseconds()
            if divisor == 0:
                raise ZeroDivisionError("integer division or modulo by zero")
            quotient, rest = divmod(self._to_microseconds(), divisor)
            return quotient, _timedelta_from_microseconds(timedelta, rest)
        return NotImplemented

    def _key(self):
        return (self._days, self._seconds, self._microseconds)

    def __eq__(self, other):
        if isinstance(other, timedelta):
            return self._key() == other._key()
        return NotImplemented

    def __ne__(self, other):
        if isinstance(other, timedelta):
            return self._key() != other._key()
        return NotImplemented

    def __lt__(self, other):
        if isinstance(other, timedelta):
            return self._key() < other._key()
        return NotImplemented

    def __le__(self, other):
        if isinstance(other, timedelta):
            return self._key() <= other._key()
        return NotImplemented

    def __gt__(self, other):
        if isinstance(other, timedelta):
            return self._key() > other._key()
        return NotImplemented

    def __ge__(self, other):
        if isinstance(other, timedelta):
            return self._key() >= other._key()
        return NotImplemented

    def __hash__(self):
        if self._hashcode == -1:
            self._hashcode = hash(self._key())
        return self._hashcode

    def __bool__(self):
        return bool(self._days or self._seconds or self._microseconds)

    def __reduce__(self):
        return (type(self), self._key())



timedelta.min = timedelta(-999999999)
timedelta.max = timedelta(days=999999999, hours=23, minutes=59, seconds=59,
                          microseconds=999999)
timedelta.resolution = timedelta(microseconds=1)


# --- date -----------------------------------------------------------------------

def _new_date(cls, year, month, day):
    if cls is date:
        self = object.__new__(date)
        self._year = year
        self._month = month
        self._day = day
        self._hashcode = -1
        return self
    return cls(year, month, day)


class _IsoCalendarDate(tuple):
    """The (year, week, weekday) result of isocalendar()."""

    def __new__(cls, year, week, weekday):
        return tuple.__new__(cls, (year, week, weekday))

    year = property(lambda self: self[0])
    week = property(lambda self: self[1])
    weekday = property(lambda self: self[2])

    def __repr__(self):
        return "datetime.IsoCalendarDate(year=%d, week=%d, weekday=%d)" % tuple(self)

    def __reduce__(self):
        return (tuple, (tuple(self),))


_IsoCalendarDate.__name__ = "IsoCalendarDate"
_IsoCalendarDate.__qualname__ = "IsoCalendarDate"


def _parse_iso_date(text):
    """(year, month, day) of 'YYYY-MM-DD', 'YYYYMMDD', 'YYYY-Www[-d]' or
    'YYYYWww[d]'; raises ValueError (message filled in by the caller)."""
    length = len(text)
    if length < 7 or not text[:4].isdigit() or not text.isascii():
        raise ValueError
    year = int(text[:4])
    rest = text[4:]
    extended = rest[:1] == "-"
    if extended:
        rest = rest[1:]
    if rest[:1] in ("W", "w"):
        rest = rest[1:]
        if len(rest) < 2 or not rest[:2].isdigit():
            raise ValueError
        week = int(rest[:2])
        rest = rest[2:]
        weekday = 1
        if rest:
            if extended:
                if rest[:1] != "-":
                    raise ValueError
                rest = rest[1:]
            if len(rest) != 1 or not rest.isdigit():
                raise ValueError
            weekday = int(rest)
        return _ymd_from_isocalendar(year, week, weekday)
    if extended:
        if len(rest) != 5 or rest[2] != "-":
            raise ValueError
        month_text, day_text = rest[:2], rest[3:]
    else:
        if len(rest) != 4:
            raise ValueError
        month_text, day_text = rest[:2], rest[2:]
    if not (month_text.isdigit() and day_text.isdigit()):
        raise ValueError
    return year, int(month_text), int(day_text)


def _ymd_from_isocalendar(year, week, day):
    if not MINYEAR <= year <= MAXYEAR:
        raise ValueError("Year is out of range: %d" % year)
    if not 0 < week < 53:
        valid = False
        if week == 53:
            # Years starting on a Thursday, and leap years starting on a
            # Wednesday, have 53 ISO weeks.
            first_weekday = _ordinal_from_ymd(year, 1, 1) % 7
            if first_weekday == 4 or (first_weekday == 3 and _is_leap(year)):
                valid = True
        if not valid:
            raise ValueError("Invalid week: %d" % week)
    if not 0 < day < 8:
        raise ValueError("Invalid day: %d (range is [1, 7])" % day)
    ordinal = _iso_week1_monday(year) + (week - 1) * 7 + (day - 1)
    return _ymd_from_ordinal(ordinal)


class date:
    """A calendar date (year, month, day) in the proleptic Gregorian calendar."""

    __slots__ = ("_year", "_month", "_day", "_hashcode")

    def __new__(cls, year, month=None, day=None):
        year, month, day = _check_date_fields(year, month, day)
        self = object.__new__(cls)
        self._year = year
        self._month = month
        self._day = day
        self._hashcode = -1
        return self

    # Alternate constructors.

    @classmethod
    def fromtimestamp(cls, t):
        """Local date of POSIX timestamp t."""
        parts = _time.localtime(t)
        return cls(parts[0], parts[1], parts[2])

    @classmethod
    def today(cls):
        """The current local date."""
        return cls.fromtimestamp(_time.time())

    @classmethod
    def fromordinal(cls, n):
        """The date of proleptic Gregorian ordinal n (1 is 0001-01-01)."""
        n = _as_int(n)
        if n < 1:
            raise ValueError("ordinal must be >= 1")
        if n > _MAX_ORDINAL:
            raise ValueError("year %d is out of range" % _ymd_from_ordinal(n)[0])
        return cls(*_ymd_from_ordinal(n))

    @classmethod
    def fromisoformat(cls, date_string):
        """The date of an ISO 8601 string such as '2024-03-15'."""
        if not isinstance(date_string, str):
            raise TypeError("fromisoformat: argument must be str")
        try:
            if len(date_string) not in (7, 8, 10):
                raise ValueError
            return cls(*_parse_iso_date(date_string))
        except ValueError:
            raise ValueError("Invalid isoformat string: %r" % date_string) from None

    @classmethod
    def fromisocalendar(cls, year, week, day):
        """The date of ISO year, week number and weekday (1 is Monday)."""
        return cls(*_ymd_from_isocalendar(year, week, day))

    # Conversions to strings.

    def __repr__(self):
        return "%s(%d, %d, %d)" % (_type_label(self), self._year, self._month, self._day)

    def ctime(self):
        """'Www Mmm dd 00:00:00 yyyy', like time.ctime()."""
        weekday = self.toordinal() % 7 or 7
        return "%s %s %2d 00:00:00 %04d" % (
            _DAY_ABBREVIATIONS[weekday - 1], _MONTH_ABBREVIATIONS[self._month],
            self._day, self._year)

    def strftime(self, format):
        """Format with time.strftime directives."""
        return _wrap_strftime(self, format, self.timetuple())

    def __format__(self, fmt):
        if not isinstance(fmt, str):
            raise TypeError("must be str, not %s" % type(fmt).__name__)
        if fmt:
            return self.strftime(fmt)
        return str(self)

    def isoformat(self):
        """'YYYY-MM-DD'."""
        return "%04d-%02d-%02d" % (self._year, self._month, self._day)

    __str__ = isoformat

    year = property(lambda self: self._year, doc="year (1-9999)")
    month = property(lambda self: self._month, doc="month (1-12)")
    day = property(lambda self: self._day, doc="day (1-31)")

    def timetuple(self):
        """time.struct_time of this date (midnight), tm_isdst -1."""
        return _build_struct_time(self._year, self._month, self._day, 0, 0, 0, -1)

    def toordinal(self):
        """Proleptic Gregorian ordinal; 0001-01-01 is day 1."""
        return _ordinal_from_ymd(self._year, self._month, self._day)

    def replace(self, year=None, month=None, day=None):
        """A copy with the given fields replaced."""
        if year is None:
            year = self._year
        if month is None:
            month = self._month
        if day is None:
            day = self._day
        return type(self)(year, month, day)

    # Comparisons: dates compare only with dates (not datetimes).

    def _compare_key(self, other):
        if isinstance(other, date) and not isinstance(other, datetime):
            return _cmp((self._year, self._month, self._day),
                        (other._year, other._month, other._day))
        return None

    def __eq__(self, other):
        if isinstance(other, datetime):
            return False if not isinstance(self, datetime) else NotImplemented
        result = self._compare_key(other)
        return NotImplemented if result is None else result == 0

    def __ne__(self, other):
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def _order(self, other, op):
        if isinstance(other, datetime):
            raise TypeError("can't compare %s to %s" % (_type_label(other), _type_label(self)))
        return self._compare_key(other)

    def __lt__(self, other):
        result = self._order(other, "<")
        return NotImplemented if result is None else result < 0

    def __le__(self, other):
        result = self._order(other, "<=")
        return NotImplemented if result is None else result <= 0

    def __gt__(self, other):
        result = self._order(other, ">")
        return NotImplemented if result is None else result > 0

    def __ge__(self, other):
        result = self._order(other, ">=")
        return NotImplemented if result is None else result >= 0

    def __hash__(self):
        if self._hashcode == -1:
            self._hashcode = hash(("date", self._year, self._month, self._day))
        return self._hashcode

    # Arithmetic.

    def __add__(self, other):
        if isinstance(other, timedelta):
            ordinal = self.toordinal() + other.days
            if 0 < ordinal <= _MAX_ORDINAL:
                return _new_date(type(self), *_ymd_from_ordinal(ordinal))
            raise OverflowError("date value out of range")
        return NotImplemented

    __radd__ = __add__

    def __sub__(self, other):
        if isinstance(other, timedelta):
            return self + timedelta(-other.days)
        if isinstance(other, date) and not isinstance(other, datetime):
            return timedelta(self.toordinal() - other.toordinal())
        return NotImplemented

    def weekday(self):
        """Day of the week: Monday is 0, Sunday 6."""
        return (self.toordinal() + 6) % 7

    def isoweekday(self):
        """Day of the week: Monday is 1, Sunday 7."""
        return self.toordinal() % 7 or 7

    def isocalendar(self):
        """(ISO year, ISO week number, ISO weekday) as a named tuple."""
        year = self._year
        ordinal = self.toordinal()
        week1_monday = _iso_week1_monday(year)
        week, day = divmod(ordinal - week1_monday, 7)
        if week < 0:
            year -= 1
            week, day = divmod(ordinal - _iso_week1_monday(year), 7)
        elif week >= 52 and ordinal >= _iso_week1_monday(year + 1):
            year += 1
            week = 0
        return _IsoCalendarDate(year, week + 1, day + 1)

    def __reduce__(self):
        return (type(self), (self._year, self._month, self._day))



date.min = date(1, 1, 1)
date.max = date(9999, 12, 31)
date.resolution = timedelta(days=1)


def _build_struct_time(year, month, day, hour, minute, second, dst_flag):
    weekday = (_ordinal_from_ymd(year, month, day) + 6) % 7
    year_day = _days_before_month(year, month) + day
    return _time.struct_time((year, month, day, hour, minute, second,
                              weekday, year_day, dst_flag))


# --- tzinfo and timezone --------------------------------------------------------------

class tzinfo:
    """Abstract base class for time-zone information objects."""

    __slots__ = ()

    def tzname(self, dt):
        """The name of the time zone at datetime dt."""
        raise NotImplementedError("tzinfo subclass must override tzname()")

    def utcoffset(self, dt):
        """Offset from UTC (positive east of UTC) at datetime dt."""
        raise NotImplementedError("tzinfo subclass must override utcoffset()")

    def dst(self, dt):
        """The daylight-saving adjustment at datetime dt (or None)."""
        raise NotImplementedError("tzinfo subclass must override dst()")

    def fromutc(self, dt):
        """The local datetime of UTC datetime dt (whose tzinfo is self)."""
        if not isinstance(dt, datetime):
            raise TypeError("fromutc() requires a datetime argument")
        if dt.tzinfo is not self:
            raise ValueError("dt.tzinfo is not self")
        offset = dt.utcoffset()
        if offset is None:
            raise ValueError("fromutc() requires a non-None utcoffset() result")
        adjustment = dt.dst()
        if adjustment is None:
            raise ValueError("fromutc() requires a non-None dst() result")
        standard = offset - adjustment
        if standard:
            dt += standard
            adjustment = dt.dst()
            if adjustment is None:
                raise ValueError("fromutc(): dt.dst gave inconsistent results; cannot convert")
        return dt + adjustment

    def __reduce__(self):
        initargs = getattr(self, "__getinitargs__", None)
        args = initargs() if initargs else ()
        state = getattr(self, "__dict__", None) or None
        return (type(self), args, state)


class timezone(tzinfo):
    """A fixed offset from UTC, with an optional name."""

    __slots__ = ("_offset", "_name")

    _unset = object()

    def __new__(cls, offset, name=_unset):
        if not isinstance(offset, timedelta):
            raise TypeError("timezone() argument 1 must be datetime.timedelta, not %s"
                            % type(offset).__name__)
        if name is cls._unset:
            if not offset:
                return cls.utc
            name = None
        elif not isinstance(name, str):
            raise TypeError("timezone() argument 2 must be str, not %s" % type(name).__name__)
        if not cls._minoffset <= offset <= cls._maxoffset:
            raise ValueError("offset must be a timedelta strictly between "
                             "-timedelta(hours=24) and timedelta(hours=24), not %r." % (offset,))
        return cls._create(offset, name)

    @classmethod
    def _create(cls, offset, name=None):
        self = tzinfo.__new__(cls)
        self._offset = offset
        self._name = name
        return self

    def __getinitargs__(self):
        if self._name is None:
            return (self._offset,)
        return (self._offset, self._name)

    def __reduce__(self):
        return (type(self), self.__getinitargs__())

    def __eq__(self, other):
        if isinstance(other, timezone):
            return self._offset == other._offset
        return NotImplemented

    def __hash__(self):
        return hash(self._offset)

    def __repr__(self):
        if self is self.utc:
            return "datetime.timezone.utc"
        label = _type_label(self)
        if self._name is None:
            return "%s(%r)" % (label, self._offset)
        return "%s(%r, %r)" % (label, self._offset, self._name)

    def __str__(self):
        return self.tzname(None)

    def _check_argument(self, dt, method):
        if dt is not None and not isinstance(dt, datetime):
            raise TypeError("%s(dt) argument must be a datetime instance or None, not %s"
                            % (method, type(dt).__name__))

    def utcoffset(self, dt):
        self._check_argument(dt, "utcoffset")
        return self._offset

    def tzname(self, dt):
        self._check_argument(dt, "tzname")
        if self._name is None:
            return self._name_from_offset(self._offset)
        return self._name

    def dst(self, dt):
        self._check_argument(dt, "dst")
        return None

    def fromutc(self, dt):
        if not isinstance(dt, datetime):
            raise TypeError("fromutc() argument must be a datetime instance or None")
        if dt.tzinfo is not self:
            raise ValueError("fromutc: dt.tzinfo is not self")
        return dt + self._offset

    _maxoffset = timedelta(hours=24, microseconds=-1)
    _minoffset = -_maxoffset

    @staticmethod
    def _name_from_offset(delta):
        if not delta:
            return "UTC"
        return "UTC" + _format_offset(delta, ":")


timezone.utc = timezone._create(timedelta(0))
timezone.min = timezone._create(-timedelta(hours=23, minutes=59))
timezone.max = timezone._create(timedelta(hours=23, minutes=59))
UTC = timezone.utc


# --- time -----------------------------------------------------------------------

def _parse_iso_time(text):
    """(hour, minute, second, microsecond, tzinfo) of an ISO time string:
    HH[:MM[:SS[.fff[fff]]]] or the basic forms without ':', then an
    optional 'Z' or [+-]HH[:MM[:SS[.ffffff]]]. Raises bare ValueError."""
    tz = None
    for index, char in enumerate(text):
        if char in "+-Z":
            tz_text = text[index:]
            text = text[:index]
            if tz_text == "Z":
                tz = timezone.utc
            else:
                if len(tz_text) < 3:
                    raise ValueError
                sign = -1 if tz_text[0] == "-" else 1
                hours, minutes, seconds, micros = _parse_clock(tz_text[1:])
                offset = sign * timedelta(hours=hours, minutes=minutes,
                                          seconds=seconds, microseconds=micros)
                tz = timezone.utc if not offset else timezone(offset)
            break
    hour, minute, second, microsecond = _parse_clock(text)
    return hour, minute, second, microsecond, tz


def _parse_clock(text):
    if not text or not text.isascii():
        raise ValueError
    fields = []
    extended = len(text) > 2 and text[2] == ":"
    position = 0
    while len(fields) < 3:
        piece = text[position:position + 2]
        if len(piece) != 2 or not piece.isdigit():
            raise ValueError
        fields.append(int(piece))
        position += 2
        if position >= len(text) or text[position] in ".,":
            break
        if extended:
            if text[position] != ":":
                raise ValueError
            position += 1
    microsecond = 0
    if position < len(text):
        if text[position] not in ".," or len(fields) != 3:
            raise ValueError
        digits = text[position + 1:]
        if not digits or not digits[:6].isdigit() or not digits.isdigit():
            raise ValueError
        kept = digits[:6]
        microsecond = int(kept) * 10 ** (6 - len(kept))
    while len(fields) < 3:
        fields.append(0)
    return fields[0], fields[1], fields[2], microsecond


def _offset_of(tz, method, dt):
    if tz is None:
        return None
    offset = getattr(tz, method)(dt)
    _check_utc_offset(method, offset)
    return offset


class time:
    """A time of day: hour, minute, second, microsecond, tzinfo, fold."""

    __slots__ = ("_hour", "_minute", "_second", "_microsecond", "_tzinfo",
                 "_fold", "_hashcode")

    def __new__(cls, hour=0, minute=0, second=0, microsecond=0, tzinfo=None, *, fold=0):
        hour, minute, second, microsecond, fold = _check_time_fields(
            hour, minute, second, microsecond, fold)
        _check_tzinfo(tzinfo)
        self = object.__new__(cls)
        self._hour = hour
        self._minute = minute
        self._second = second
        self._microsecond = microsecond
        self._tzinfo = tzinfo
        self._fold = fold
        self._hashcode = -1
        return self

    hour = property(lambda self: self._hour, doc="hour (0-23)")
    minute = property(lambda self: self._minute, doc="minute (0-59)")
    second = property(lambda self: self._second, doc="second (0-59)")
    microsecond = property(lambda self: self._microsecond, doc="microsecond (0-999999)")
    tzinfo = property(lambda self: self._tzinfo, doc="timezone info object")
    fold = property(lambda self: self._fold)

    @classmethod
    def fromisoformat(cls, time_string):
        """The time of an ISO 8601 string such as '10:20:30.5+01:00'."""
        if not isinstance(time_string, str):
            raise TypeError("fromisoformat: argument must be str")
        text = time_string
        if text[:1] in ("T", "t"):
            text = text[1:]
        try:
            hour, minute, second, microsecond, tz = _parse_iso_time(text)
            return cls(hour, minute, second, microsecond, tz)
        except ValueError:
            raise ValueError("Invalid isoformat string: %r" % time_string) from None

    def _utc_minutes(self):
        """(minutes since midnight minus the UTC offset, seconds, us)."""
        offset = self.utcoffset()
        minutes = self._hour * 60 + self._minute
        if offset is not None:
            minutes -= offset // timedelta(minutes=1)
            rest = offset % timedelta(minutes=1)
            return minutes, self._second - rest.seconds, self._microsecond - rest.microseconds
        return minutes, self._second, self._microsecond

    def _compare(self, other, allow_mixed):
        own_tz = self._tzinfo
        other_tz = other._tzinfo
        own_offset = other_offset = None
        if own_tz is other_tz:
            same = True
        else:
            own_offset = self.utcoffset()
            other_offset = other.utcoffset()
            same = own_offset == other_offset
        if same:
            return _cmp((self._hour, self._minute, self._second, self._microsecond),
                        (other._hour, other._minute, other._second, other._microsecond))
        if own_offset is None or other_offset is None:
            if allow_mixed:
                return 2
            raise TypeError("can't compare offset-naive and offset-aware times")
        return _cmp(self._utc_minutes(), other._utc_minutes())

    def __eq__(self, other):
        if isinstance(other, time):
            return self._compare(other, True) == 0
        return NotImplemented

    def __ne__(self, other):
        if isinstance(other, time):
            return self._compare(other, True) != 0
        return NotImplemented

    def __lt__(self, other):
        if isinstance(other, time):
            return self._compare(other, False) < 0
        return NotImplemented

    def __le__(self, other):
        if isinstance(other, time):
            return self._compare(other, False) <= 0
        return NotImplemented

    def __gt__(self, other):
        if isinstance(other, time):
            return self._compare(other, False) > 0
        return NotImplemented

    def __ge__(self, other):
        if isinstance(other, time):
            return self._compare(other, False) >= 0
        return NotImplemented

    def __hash__(self):
        if self._hashcode == -1:
            plain = self.replace(fold=0) if self._fold else self
            offset = plain.utcoffset()
            if not offset:
                self._hashcode = hash((plain._hour, plain._minute, plain._second,
                                       plain._microsecond))
            else:
                self._hashcode = hash(plain._utc_minutes())
        return self._hashcode

    def _tzstr(self):
        return _format_offset(self.utcoffset(), ":")

    def __repr__(self):
        if self._microsecond:
            fields = ", %d, %d" % (self._second, self._microsecond)
        elif self._second:
            fields = ", %d" % self._second
        else:
            fields = ""
        text = "%s(%d, %d%s)" % (_type_label(self), self._hour, self._minute, fields)
        if self._tzinfo is not None:
            text = text[:-1] + ", tzinfo=%r)" % (self._tzinfo,)
        if self._fold:
            text = text[:-1] + ", fold=1)"
        return text

    def isoformat(self, timespec="auto"):
        """'HH:MM:SS[.ffffff][+HH:MM]'; timespec picks the precision."""
        text = _format_time(self._hour, self._minute, self._second,
                            self._microsecond, timespec)
        return text + self._tzstr()

    __str__ = isoformat

    def strftime(self, format):
        """Format with time.strftime directives (the date is 1900-01-01)."""
        timetuple = (1900, 1, 1, self._hour, self._minute, self._second, 0, 1, -1)
        return _wrap_strftime(self, format, timetuple)

    def __format__(self, fmt):
        if not isinstance(fmt, str):
            raise TypeError("must be str, not %s" % type(fmt).__name__)
        if fmt:
            return self.strftime(fmt)
        return str(self)

    def utcoffset(self):
        """The tzinfo's utcoffset(None), or None."""
        return _offset_of(self._tzinfo, "utcoffset", None)

    def tzname(self):
        """The tzinfo's tzname(None), or None."""
        if self._tzinfo is None:
            return None
        name = self._tzinfo.tzname(None)
        if name is not None and not isinstance(name, str):
            raise TypeError("tzinfo.tzname() must return None or a string, not '%s'"
                            % type(name).__name__)
        return name

    def dst(self):
        """The tzinfo's dst(None), or None."""
        return _offset_of(self._tzinfo, "dst", None)

    def replace(self, hour=None, minute=None, second=None, microsecond=None,
                tzinfo=True, *, fold=None):
        """A copy with the given fields replaced."""
        if hour is None:
            hour = self._hour
        if minute is None:
            minute = self._minute
        if second is None:
            second = self._second
        if microsecond is None:
            microsecond = self._microsecond
        if tzinfo is True:
            tzinfo = self._tzinfo
        if fold is None:
            fold = self._fold
        return type(self)(hour, minute, second, microsecond, tzinfo, fold=fold)

    def __reduce__(self):
        fields = (self._hour, self._minute, self._second, self._microsecond)
        if self._tzinfo is None:
            return (type(self), fields)
        return (type(self), fields + (self._tzinfo,))



time.min = time(0, 0, 0)
time.max = time(23, 59, 59, 999999)
time.resolution = timedelta(microseconds=1)


# --- datetime --------------------------------------------------------------------

def _local_offset():
    """The host's fixed local UTC offset (the time module knows no zone rules)."""
    return timedelta(seconds=-_time.timezone)


def _local_timezone():
    offset = _local_offset()
    return timezone(offset, _time.tzname[0])


def _split_timestamp(t):
    """(whole seconds, microseconds) of t, rounded half to even."""
    if isinstance(t, float):
        if t != t or t in (float("inf"), float("-inf")):
            raise ValueError("Invalid value %s" % t)
        whole = _math.floor(t)
        microseconds = round((t - whole) * 1e6)
        if microseconds >= 1000000:
            whole += 1
            microseconds -= 1000000
        return int(whole), microseconds
    return _as_int(t), 0


class datetime(date):
    """A date together with a time of day and optional tzinfo."""

    __slots__ = ("_hour", "_minute", "_second", "_microsecond", "_tzinfo", "_fold")

    def __new__(cls, year, month=None, day=None, hour=0, minute=0, second=0,
                microsecond=0, tzinfo=None, *, fold=0):
        year, month, day = _check_date_fields(year, month, day)
        hour, minute, second, microsecond, fold = _check_time_fields(
            hour, minute, second, microsecond, fold)
        _check_tzinfo(tzinfo)
        self = object.__new__(cls)
        self._year = year
        self._month = month
        self._day = day
        self._hour = hour
        self._minute = minute
        self._second = second
        self._microsecond = microsecond
        self._tzinfo = tzinfo
        self._fold = fold
        self._hashcode = -1
        return self

    hour = property(lambda self: self._hour, doc="hour (0-23)")
    minute = property(lambda self: self._minute, doc="minute (0-59)")
    second = property(lambda self: self._second, doc="second (0-59)")
    microsecond = property(lambda self: self._microsecond, doc="microsecond (0-999999)")
    tzinfo = property(lambda self: self._tzinfo, doc="timezone info object")
    fold = property(lambda self: self._fold)

    # Alternate constructors.

    @classmethod
    def _from_epoch(cls, t, utc, tz):
        seconds, microseconds = _split_timestamp(t)
        if utc:
            parts = _time.gmtime(seconds)
        else:
            parts = _time.localtime(seconds)
        year, month, day, hour, minute, second = parts[:6]
        second = min(second, 59)
        result = cls(year, month, day, hour, minute, second, microseconds, tz)
        return result

    @classmethod
    def fromtimestamp(cls, t, tz=None):
        """The local datetime of POSIX timestamp t, or the time in tz."""
        _check_tzinfo(tz)
        if tz is None:
            return cls._from_epoch(t, False, None)
        result = cls._from_epoch(t, True, tz)
        return tz.fromutc(result)

    @classmethod
    def utcfromtimestamp(cls, t):
        """The naive UTC datetime of POSIX timestamp t."""
        return cls._from_epoch(t, True, None)

    @classmethod
    def now(cls, tz=None):
        """The current local datetime, or the current time in tz."""
        return cls.fromtimestamp(_time.time(), tz)

    @classmethod
    def today(cls):
        """The current local datetime (naive)."""
        return cls.fromtimestamp(_time.time())

    @classmethod
    def utcnow(cls):
        """The current UTC datetime (naive)."""
        return cls.utcfromtimestamp(_time.time())

    @classmethod
    def combine(cls, date, time, tzinfo=True):
        """The datetime of a date and a time (tzinfo defaults to time's)."""
        if not isinstance(date, _date_class):
            raise TypeError("combine() argument 1 must be datetime.date, not %s"
                            % type(date).__name__)
        if not isinstance(time, _time_class):
            raise TypeError("combine() argument 2 must be datetime.time, not %s"
                            % type(time).__name__)
        if tzinfo is True:
            tzinfo = time.tzinfo
        return cls(date.year, date.month, date.day, time.hour, time.minute,
                   time.second, time.microsecond, tzinfo, fold=time.fold)

    @classmethod
    def fromisoformat(cls, date_string):
        """The datetime of an ISO 8601 string such as '2024-03-15T10:20:30'."""
        if not isinstance(date_string, str):
            raise TypeError("fromisoformat: argument must be str")
        try:
            date_part, time_part = _split_iso_datetime(date_string)
            year, month, day = _parse_iso_date(date_part)
            if time_part is None:
                return cls(year, month, day)
            hour, minute, second, microsecond, tz = _parse_iso_time(time_part)
            if hour == 24 and minute == second == microsecond == 0:
                result = cls(year, month, day, 0, 0, 0, 0, tz)
                return result + timedelta(days=1)
            return cls(year, month, day, hour, minute, second, microsecond, tz)
        except ValueError:
            raise ValueError("Invalid isoformat string: %r" % date_string) from None

    @classmethod
    def strptime(cls, date_string, format):
        """Parse date_string with a strftime-style format."""
        import _strptime
        return _strptime._strptime_datetime(cls, date_string, format)

    # Views.

    def timetuple(self):
        """time.struct_time of this datetime (tm_isdst from dst())."""
        adjustment = self.dst()
        if adjustment is None:
            flag = -1
        else:
            flag = 1 if adjustment else 0
        return _build_struct_time(self._year, self._month, self._day,
                                  self._hour, self._minute, self._second, flag)

    def utctimetuple(self):
        """time.struct_time of this datetime in UTC (tm_isdst 0)."""
        offset = self.utcoffset()
        value = self
        if offset:
            value = self - offset
        return _build_struct_time(value.year, value.month, value.day,
                                  value.hour, value.minute, value.second, 0)

    def _naive_microseconds(self):
        """Microseconds since 0001-01-01T00:00 ignoring tzinfo."""
        days = self.toordinal()
        seconds = ((days * 24 + self._hour) * 60 + self._minute) * 60 + self._second
        return seconds * 1000000 + self._microsecond

    def timestamp(self):
        """POSIX timestamp; naive datetimes are taken as local time."""
        if self._tzinfo is None:
            local = self._naive_microseconds() - _EPOCH_NAIVE_MICROSECONDS
            return (local - _local_offset()._to_microseconds()) / 10 ** 6
        return (self - _EPOCH).total_seconds()

    def date(self):
        """The date part."""
        return date(self._year, self._month, self._day)

    def time(self):
        """The time part, without tzinfo."""
        return time(self._hour, self._minute, self._second, self._microsecond, fold=self._fold)

    def timetz(self):
        """The time part with tzinfo."""
        return time(self._hour, self._minute, self._second, self._microsecond,
                    self._tzinfo, fold=self._fold)

    def replace(self, year=None, month=None, day=None, hour=None, minute=None,
                second=None, microsecond=None, tzinfo=True, *, fold=None):
        """A copy with the given fields replaced."""
        if year is None:
            year = self._year
        if month is None:
            month = self._month
        if day is None:
            day = self._day
        if hour is None:
            hour = self._hour
        if minute is None:
            minute = self._minute
        if second is None:
            second = self._second
        if microsecond is None:
            microsecond = self._microsecond
        if tzinfo is True:
            tzinfo = self._tzinfo
        if fold is None:
            fold = self._fold
        return type(self)(year, month, day, hour, minute, second, microsecond,
                          tzinfo, fold=fold)

    def astimezone(self, tz=None):
        """The same instant expressed in tz (local time by default)."""
        if tz is None:
            tz = _local_timezone()
        elif not isinstance(tz, tzinfo):
            raise TypeError("astimezone() argument 1 must be datetime.tzinfo, not %s"
                            % type(tz).__name__)
        own_tz = self._tzinfo
        if own_tz is None:
            own_tz = _local_timezone()
            offset = own_tz.utcoffset(self)
        else:
            offset = own_tz.utcoffset(self)
            if offset is None:
                own_tz = _local_timezone()
                offset = own_tz.utcoffset(self.replace(tzinfo=None))
        if tz is own_tz:
            return self
        utc = (self - offset).replace(tzinfo=tz)
        return tz.fromutc(utc)

    # Strings.

    def ctime(self):
        """'Www Mmm dd hh:mm:ss yyyy', like time.ctime()."""
        weekday = self.toordinal() % 7 or 7
        return "%s %s %2d %02d:%02d:%02d %04d" % (
            _DAY_ABBREVIATIONS[weekday - 1], _MONTH_ABBREVIATIONS[self._month],
            self._day, self._hour, self._minute, self._second, self._year)

    def isoformat(self, sep="T", timespec="auto"):
        """'YYYY-MM-DDTHH:MM:SS[.ffffff][+HH:MM]'."""
        if not isinstance(sep, str) or len(sep) != 1:
            raise TypeError("isoformat() argument 1 must be a unicode character, not %s"
                            % type(sep).__name__)
        text = "%04d-%02d-%02d%s" % (self._year, self._month, self._day, sep)
        text += _format_time(self._hour, self._minute, self._second,
                             self._microsecond, timespec)
        return text + _format_offset(self.utcoffset(), ":")

    def __str__(self):
        return self.isoformat(sep=" ")

    def __repr__(self):
        fields = [self._year, self._month, self._day, self._hour, self._minute,
                  self._second, self._microsecond]
        if fields[-1] == 0:
            del fields[-1]
            if fields[-1] == 0:
                del fields[-1]
        text = "%s(%s)" % (_type_label(self), ", ".join(map(str, fields)))
        if self._tzinfo is not None:
            text = text[:-1] + ", tzinfo=%r)" % (self._tzinfo,)
        if self._fold:
            text = text[:-1] + ", fold=1)"
        return text

    def strftime(self, format):
        """Format with time.strftime directives plus %f, %z and %Z."""
        return _wrap_strftime(self, format, self.timetuple())

    # Time zone queries.

    def utcoffset(self):
        """The tzinfo's utcoffset(self), or None."""
        return _offset_of(self._tzinfo, "utcoffset", self)

    def tzname(self):
        """The tzinfo's tzname(self), or None."""
        if self._tzinfo is None:
            return None
        name = self._tzinfo.tzname(self)
        if name is not None and not isinstance(name, str):
            raise TypeError("tzinfo.tzname() must return None or a string, not '%s'"
                            % type(name).__name__)
        return name

    def dst(self):
        """The tzinfo's dst(self), or None."""
        return _offset_of(self._tzinfo, "dst", self)

    # Comparisons.

    def _compare(self, other, allow_mixed):
        own_tz = self._tzinfo
        other_tz = other._tzinfo
        own_offset = other_offset = None
        if own_tz is other_tz:
            same = True
        else:
            own_offset = self.utcoffset()
            other_offset = other.utcoffset()
            # Offsets can vary with fold: an inter-zone comparison with an
            # ambiguous time is never equal.
            if allow_mixed:
                if own_offset != self.replace(fold=not self._fold).utcoffset():
                    return 2
                if other_offset != other.replace(fold=not other._fold).utcoffset():
                    return 2
            same = own_offset == other_offset
        if same:
            return _cmp(self._naive_microseconds(), other._naive_microseconds())
        if own_offset is None or other_offset is None:
            if allow_mixed:
                return 2
            raise TypeError("can't compare offset-naive and offset-aware datetimes")
        difference = self - other
        if difference.days < 0:
            return -1
        return 1 if difference else 0

    def __eq__(self, other):
        if isinstance(other, datetime):
            return self._compare(other, True) == 0
        if isinstance(other, date):
            return False
        return NotImplemented

    def __ne__(self, other):
        if isinstance(other, datetime):
            return self._compare(other, True) != 0
        if isinstance(other, date):
            return True
        return NotImplemented

    def _order(self, other):
        if isinstance(other, datetime):
            return self._compare(other, False)
        if isinstance(other, date):
            raise TypeError("can't compare %s to %s" % (_type_label(self), _type_label(other)))
        return None

    def __lt__(self, other):
        result = self._order(other)
        return NotImplemented if result is None else result < 0

    def __le__(self, other):
        result = self._order(other)
        return NotImplemented if result is None else result <= 0

    def __gt__(self, other):
        result = self._order(other)
        return NotImplemented if result is None else result > 0

    def __ge__(self, other):
        result = self._order(other)
        return NotImplemented if result is None else result >= 0

    def __hash__(self):
        if self._hashcode == -1:
            plain = self.replace(fold=0) if self._fold else self
            offset = plain.utcoffset()
            micros = plain._naive_microseconds()
            if offset:
                micros -= offset._to_microseconds()
            self._hashcode = hash(("datetime", micros))
        return self._hashcode

    # Arithmetic.

    def __add__(self, other):
        if not isinstance(other, timedelta):
            return NotImplemented
        total = self._naive_microseconds() + other._to_microseconds()
        days, rest = divmod(total, 86400000000)
        if not 0 < days <= _MAX_ORDINAL:
            raise OverflowError("date value out of range")
        seconds, microsecond = divmod(rest, 1000000)
        minutes, second = divmod(seconds, 60)
        hour, minute = divmod(minutes, 60)
        year, month, day = _ymd_from_ordinal(days)
        return type(self)(year, month, day, hour, minute, second, microsecond,
                          self._tzinfo)

    __radd__ = __add__

    def __sub__(self, other):
        if isinstance(other, timedelta):
            return self + -other
        if not isinstance(other, datetime):
            return NotImplemented
        difference = self._naive_microseconds() - other._naive_microseconds()
        if self._tzinfo is not other._tzinfo:
            own_offset = self.utcoffset()
            other_offset = other.utcoffset()
            if (own_offset is None) != (other_offset is None):
                raise TypeError("can't subtract offset-naive and offset-aware datetimes")
            if own_offset is not None:
                difference += other_offset._to_microseconds() - own_offset._to_microseconds()
        return _timedelta_from_microseconds(timedelta, difference)

    def __reduce__(self):
        fields = (self._year, self._month, self._day, self._hour, self._minute,
                  self._second, self._microsecond)
        if self._tzinfo is None:
            return (type(self), fields)
        return (type(self), fields + (self._tzinfo,))


def _split_iso_datetime(text):
    """(date part, time part or None) of an ISO datetime string."""
    if len(text) < 7:
        raise ValueError
    # The date part: 'YYYY-MM-DD' (10), 'YYYYMMDD' (8), 'YYYY-Www-D' (10),
    # 'YYYYWwwD' (8), 'YYYY-Www' (8) or 'YYYYWww' (7).
    if text[4:5] == "-":
        length = 8 if text[5:6] in ("W", "w") and (len(text) == 8 or text[8] != "-") else 10
    elif text[4:5] in ("W", "w"):
        length = 8 if len(text) >= 8 and text[7].isdigit() else 7
    else:
        length = 8
    date_part = text[:length]
    if len(text) == length:
        return date_part, None
    time_part = text[length + 1:]
    if not time_part:
        raise ValueError
    return date_part, time_part


_date_class = date
_time_class = time
_OWN_CLASSES = (date, datetime, time, timedelta, timezone, tzinfo)

datetime.min = datetime(1, 1, 1)
datetime.max = datetime(9999, 12, 31, 23, 59, 59, 999999)
datetime.resolution = timedelta(microseconds=1)

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_EPOCH_NAIVE_MICROSECONDS = datetime(1970, 1, 1)._naive_microseconds()
