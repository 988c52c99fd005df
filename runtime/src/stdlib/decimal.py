"""Decimal fixed and floating point arithmetic (decimal module).

Owns Decimal (sign, integer coefficient and exponent, or Infinity/NaN),
Context (precision, rounding mode, exponent limits, flags and traps) with
getcontext/setcontext/localcontext, the signals (InvalidOperation,
DivisionByZero, Inexact, ...) and the rounding constants. Results are
rounded once to the context precision, as the General Decimal Arithmetic
specification (and CPython 3.11) requires; exp/ln/log10 are computed with
guard digits and then rounded.
"""

import contextvars as _contextvars
import math as _math
import numbers as _numbers
from collections import namedtuple as _namedtuple

__all__ = [
    'Decimal', 'Context', 'DecimalTuple', 'DefaultContext', 'BasicContext',
    'ExtendedContext', 'DecimalException', 'Clamped', 'InvalidOperation',
    'DivisionByZero', 'Inexact', 'Rounded', 'Subnormal', 'Overflow',
    'Underflow', 'FloatOperation', 'DivisionImpossible', 'InvalidContext',
    'ConversionSyntax', 'DivisionUndefined', 'ROUND_DOWN', 'ROUND_HALF_UP',
    'ROUND_HALF_EVEN', 'ROUND_CEILING', 'ROUND_FLOOR', 'ROUND_UP',
    'ROUND_HALF_DOWN', 'ROUND_05UP', 'setcontext', 'getcontext',
    'localcontext', 'MAX_PREC', 'MAX_EMAX', 'MIN_EMIN', 'MIN_ETINY',
    'HAVE_THREADS', 'HAVE_CONTEXTVAR',
]

__version__ = '1.70'
__libmpdec_version__ = '2.5.1'

ROUND_DOWN = 'ROUND_DOWN'
ROUND_HALF_UP = 'ROUND_HALF_UP'
ROUND_HALF_EVEN = 'ROUND_HALF_EVEN'
ROUND_CEILING = 'ROUND_CEILING'
ROUND_FLOOR = 'ROUND_FLOOR'
ROUND_UP = 'ROUND_UP'
ROUND_HALF_DOWN = 'ROUND_HALF_DOWN'
ROUND_05UP = 'ROUND_05UP'
_ROUNDINGS = (ROUND_DOWN, ROUND_HALF_UP, ROUND_HALF_EVEN, ROUND_CEILING,
              ROUND_FLOOR, ROUND_UP, ROUND_HALF_DOWN, ROUND_05UP)

MAX_PREC = 999999999999999999
MAX_EMAX = 999999999999999999
MIN_EMIN = -999999999999999999
MIN_ETINY = MIN_EMIN - (MAX_PREC - 1)
HAVE_THREADS = True
HAVE_CONTEXTVAR = True

_HASH_MODULUS = 2 ** 61 - 1
_HASH_INF = 314159
_HASH_TEN_INVERSE = pow(10, _HASH_MODULUS - 2, _HASH_MODULUS)


# ---------------------------------------------------------------- signals

class DecimalException(ArithmeticError):
    """Base exception class."""


class Clamped(DecimalException):
    """Exponent of a 0 changed to fit bounds."""


class InvalidOperation(DecimalException):
    """An invalid operation was performed."""


class ConversionSyntax(InvalidOperation):
    """Trying to convert badly formed string."""


class DivisionByZero(DecimalException, ZeroDivisionError):
    """Division by 0."""


class DivisionImpossible(InvalidOperation):
    """Cannot perform the division adequately."""


class DivisionUndefined(InvalidOperation, ZeroDivisionError):
    """Undefined result of division."""


class Inexact(DecimalException):
    """Had to round, losing information."""


class InvalidContext(InvalidOperation):
    """Invalid context."""


class Rounded(DecimalException):
    """Number got rounded (not necessarily changed during rounding)."""


class Subnormal(DecimalException):
    """Exponent < Emin before rounding."""


class Overflow(Inexact, Rounded):
    """Numerical overflow."""


class Underflow(Inexact, Rounded, Subnormal):
    """Numerical underflow with result rounded to 0."""


class FloatOperation(DecimalException, TypeError):
    """Enable stricter semantics for mixing floats and Decimals."""


_SIGNALS = [Clamped, DivisionByZero, Inexact, Overflow, Rounded, Underflow,
            InvalidOperation, Subnormal, FloatOperation]

# Conditions that are reported as their parent signal's flag.
_CONDITION_SIGNAL = {
    ConversionSyntax: InvalidOperation,
    DivisionImpossible: InvalidOperation,
    DivisionUndefined: InvalidOperation,
    InvalidContext: InvalidOperation,
}

DecimalTuple = _namedtuple('DecimalTuple', 'sign digits exponent',
                           module='decimal')


# ---------------------------------------------------------------- context

class _SignalDict(dict):
    """flags/traps: a dict from signal class to bool, printed as names."""

    def __repr__(self):
        return '[' + ', '.join(s.__name__ for s in _SIGNAL_ORDER
                               if self.get(s)) + ']'


_SIGNAL_ORDER = [InvalidOperation, FloatOperation, DivisionByZero, Overflow,
                 Underflow, Subnormal, Inexact, Rounded, Clamped]


class Context:
    """Contains the context for a Decimal instance."""

    def __init__(self, prec=None, rounding=None, Emin=None, Emax=None,
                 capitals=None, clamp=None, flags=None, traps=None,
                 _ignored_flags=None):
        template = DefaultContext if DefaultContext is not None else None
        self.prec = prec if prec is not None else \
            (template.prec if template else 28)
        self.rounding = rounding if rounding is not None else \
            (template.rounding if template else ROUND_HALF_EVEN)
        self.Emin = Emin if Emin is not None else \
            (template.Emin if template else -999999)
        self.Emax = Emax if Emax is not None else \
            (template.Emax if template else 999999)
        self.capitals = capitals if capitals is not None else \
            (template.capitals if template else 1)
        self.clamp = clamp if clamp is not None else \
            (template.clamp if template else 0)
        self.flags = _SignalDict((s, False) for s in _SIGNALS)
        if flags is not None:
            for signal in (flags.keys() if isinstance(flags, dict) else flags):
                if isinstance(flags, dict) and not flags[signal]:
                    continue
                self.flags[signal] = True
        self.traps = _SignalDict((s, False) for s in _SIGNALS)
        if traps is None:
            source = template.traps if template else \
                {InvalidOperation: True, DivisionByZero: True, Overflow: True}
            for signal, on in source.items():
                self.traps[signal] = on
        else:
            for signal in (traps.keys() if isinstance(traps, dict) else traps):
                if isinstance(traps, dict) and not traps[signal]:
                    continue
                self.traps[signal] = True

    def __setattr__(self, name, value):
        if name == 'prec':
            if not isinstance(value, int):
                raise TypeError('integer argument expected')
            if not 1 <= value <= MAX_PREC:
                raise ValueError('valid range for prec is [1, MAX_PREC]')
        elif name == 'rounding':
            if value not in _ROUNDINGS:
                raise TypeError('valid values for rounding are:\n'
                                '  [ROUND_CEILING, ROUND_FLOOR, ROUND_UP, '
                                'ROUND_DOWN,\n   ROUND_HALF_UP, '
                                'ROUND_HALF_DOWN, ROUND_HALF_EVEN,\n   '
                                'ROUND_05UP]')
        elif name == 'Emin':
            if value > 0:
                raise ValueError('valid range for Emin is [MIN_EMIN, 0]')
        elif name == 'Emax':
            if value < 0:
                raise ValueError('valid range for Emax is [0, MAX_EMAX]')
        elif name in ('capitals', 'clamp'):
            if value not in (0, 1):
                raise ValueError(f'valid values for {name} are 0 or 1')
        object.__setattr__(self, name, value)

    def __repr__(self):
        return (f'Context(prec={self.prec}, rounding={self.rounding}, '
                f'Emin={self.Emin}, Emax={self.Emax}, '
                f'capitals={self.capitals}, clamp={self.clamp}, '
                f'flags={self.flags!r}, traps={self.traps!r})')

    def clear_flags(self):
        """Reset all flags to zero"""
        for signal in self.flags:
            self.flags[signal] = False

    def clear_traps(self):
        """Reset all traps to zero"""
        for signal in self.traps:
            self.traps[signal] = False

    def copy(self):
        """Returns a deep copy from self."""
        result = Context(self.prec, self.rounding, self.Emin, self.Emax,
                         self.capitals, self.clamp, traps=[])
        result.flags.update(self.flags)
        result.traps.update(self.traps)
        return result

    __copy__ = copy

    def Etiny(self):
        """Returns Etiny (= Emin - prec + 1)"""
        return self.Emin - self.prec + 1

    def Etop(self):
        """Returns maximum exponent (= Emax - prec + 1)"""
        return self.Emax - self.prec + 1

    def _raise_error(self, condition, explanation=None):
        """Set the flag of `condition`; raise it when trapped."""
        signal = _CONDITION_SIGNAL.get(condition, condition)
        self.flags[signal] = True
        if self.traps.get(signal):
            raise signal([condition])

    def create_decimal(self, num='0'):
        """Creates a new Decimal instance but using self as context."""
        if isinstance(num, str) and (num != num.strip() or '_' in num):
            self._raise_error(ConversionSyntax)
            return Decimal('NaN')
        result = Decimal(num, self)
        return result._fix(self)

    def create_decimal_from_float(self, f):
        """Creates a new Decimal instance from a float, rounded to self."""
        return Decimal.from_float(f)._fix(self)

    # -- arithmetic through the context

    def abs(self, a):
        return _convert(a, True).__abs__(context=self)

    def add(self, a, b):
        return _convert(a, True).__add__(b, context=self)

    def subtract(self, a, b):
        return _convert(a, True).__sub__(b, context=self)

    def multiply(self, a, b):
        return _convert(a, True).__mul__(b, context=self)

    def divide(self, a, b):
        return _convert(a, True).__truediv__(b, context=self)

    def divide_int(self, a, b):
        return _convert(a, True).__floordiv__(b, context=self)

    def remainder(self, a, b):
        return _convert(a, True).__mod__(b, context=self)

    def divmod(self, a, b):
        return _convert(a, True).__divmod__(b, context=self)

    def power(self, a, b, modulo=None):
        return _convert(a, True).__pow__(b, modulo, context=self)

    def minus(self, a):
        return _convert(a, True).__neg__(context=self)

    def plus(self, a):
        return _convert(a, True).__pos__(context=self)

    def sqrt(self, a):
        return _convert(a, True).sqrt(context=self)

    def exp(self, a):
        return _convert(a, True).exp(context=self)

    def ln(self, a):
        return _convert(a, True).ln(context=self)

    def log10(self, a):
        return _convert(a, True).log10(context=self)

    def quantize(self, a, b):
        return _convert(a, True).quantize(b, context=self)

    def normalize(self, a):
        return _convert(a, True).normalize(context=self)

    def compare(self, a, b):
        return _convert(a, True).compare(b, context=self)

    def max(self, a, b):
        return _convert(a, True).max(b, context=self)

    def min(self, a, b):
        return _convert(a, True).min(b, context=self)

    def to_integral_value(self, a):
        return _convert(a, True).to_integral_value(context=self)

    to_integral = to_integral_value

    def to_sci_string(self, a):
        return _convert(a, True).__str__(context=self)

    def to_eng_string(self, a):
        return _convert(a, True).to_eng_string(context=self)

    def is_finite(self, a):
        return _convert(a, True).is_finite()

    def is_nan(self, a):
        return _convert(a, True).is_nan()

    def is_zero(self, a):
        return _convert(a, True).is_zero()

    def is_signed(self, a):
        return _convert(a, True).is_signed()

    def copy_abs(self, a):
        return _convert(a, True).copy_abs()

    def copy_negate(self, a):
        return _convert(a, True).copy_negate()

    def fma(self, a, b, c):
        return _convert(a, True).fma(b, c, context=self)


DefaultContext = None
DefaultContext = Context(prec=28, rounding=ROUND_HALF_EVEN,
                         traps=[DivisionByZero, Overflow, InvalidOperation],
                         flags=[], Emax=999999, Emin=-999999, capitals=1,
                         clamp=0)
BasicContext = Context(prec=9, rounding=ROUND_HALF_UP,
                       traps=[DivisionByZero, Overflow, InvalidOperation,
                              Clamped, Underflow],
                       flags=[])
ExtendedContext = Context(prec=9, rounding=ROUND_HALF_EVEN, traps=[],
                          flags=[])

# The current decimal context is a context variable, as in CPython: each
# thread (and each contextvars.Context) has its own, a copy of
# DefaultContext made at its first use.
_current_context = _contextvars.ContextVar('decimal_context')


def getcontext():
    """Returns this thread's context."""
    try:
        return _current_context.get()
    except LookupError:
        context = DefaultContext.copy()
        _current_context.set(context)
        return context


def setcontext(context):
    """Set this thread's context to context."""
    if context in (DefaultContext, BasicContext, ExtendedContext):
        context = context.copy()
        context.clear_flags()
    _current_context.set(context)


class _ContextManager:
    """Context manager class to support localcontext()."""

    def __init__(self, new_context):
        self.new_context = new_context.copy()

    def __enter__(self):
        self.saved_context = getcontext()
        setcontext(self.new_context)
        return self.new_context

    def __exit__(self, t, v, tb):
        setcontext(self.saved_context)


def localcontext(ctx=None, **kwargs):
    """Return a context manager for a copy of the supplied context."""
    if ctx is None:
        ctx = getcontext()
    manager = _ContextManager(ctx)
    for key, value in kwargs.items():
        if key not in ('prec', 'rounding', 'Emin', 'Emax', 'capitals',
                       'clamp', 'flags', 'traps'):
            raise TypeError(f"'{key}' is an invalid keyword argument for "
                            'this function')
        setattr(manager.new_context, key, value)
    return manager


# ---------------------------------------------------------------- helpers

def _digit_count(n):
    """Number of decimal digits of a non-negative int (1 for 0)."""
    return len(str(n)) if n else 1


def _round_digits(sign, coefficient, drop, rounding):
    """Drop `drop` trailing digits of coefficient using `rounding`; return
    (new coefficient, whether anything nonzero was dropped)."""
    if drop <= 0:
        return coefficient, False
    divisor = 10 ** drop
    kept, rest = divmod(coefficient, divisor)
    if not rest:
        return kept, False
    half = divisor // 2 if divisor % 2 == 0 else None
    twice = rest * 2
    if rounding == ROUND_DOWN:
        up = False
    elif rounding == ROUND_UP:
        up = True
    elif rounding == ROUND_HALF_UP:
        up = twice >= divisor
    elif rounding == ROUND_HALF_DOWN:
        up = twice > divisor
    elif rounding == ROUND_HALF_EVEN:
        up = twice > divisor or (twice == divisor and kept % 2 == 1)
    elif rounding == ROUND_CEILING:
        up = not sign
    elif rounding == ROUND_FLOOR:
        up = bool(sign)
    else:
        up = kept % 10 in (0, 5)
    del half
    return kept + 1 if up else kept, True


def _convert(other, raise_error=False, allow_float=False):
    """other as a Decimal (ints always, floats when allowed), else
    NotImplemented (or TypeError when raise_error)."""
    if isinstance(other, Decimal):
        return other
    if isinstance(other, int):
        return Decimal(other)
    if allow_float and isinstance(other, float):
        getcontext()._raise_error(FloatOperation)
        return Decimal.from_float(other)
    if raise_error:
        raise TypeError(f'Unable to convert {type(other).__name__} to '
                        'Decimal')
    return NotImplemented


def _parse_decimal(text):
    """(sign, coefficient, exponent-or-kind) of a numeric string, or None."""
    body = text.strip()
    if '_' in body:
        # Underscores may only separate digits.
        for position, char in enumerate(body):
            if char == '_' and not (
                    0 < position < len(body) - 1
                    and body[position - 1].isdigit()
                    and body[position + 1].isdigit()):
                return None
        body = body.replace('_', '')
    if not body:
        return None
    sign = 0
    if body[0] in '+-':
        sign = 1 if body[0] == '-' else 0
        body = body[1:]
    lowered = body.lower()
    if lowered in ('inf', 'infinity'):
        return sign, 0, 'F'
    for prefix, kind in (('snan', 'N'), ('nan', 'n')):
        if lowered.startswith(prefix):
            payload = body[len(prefix):]
            if payload and not (payload.isdigit() and payload.isascii()):
                return None
            return sign, int(payload) if payload else 0, kind
    exponent = 0
    position = lowered.find('e')
    if position >= 0:
        exponent_text = body[position + 1:]
        body = body[:position]
        digits = exponent_text[1:] if exponent_text[:1] in '+-' else \
            exponent_text
        if not digits or not (digits.isdigit() and digits.isascii()):
            return None
        exponent = int(exponent_text)
    whole, dot, fraction = body.partition('.')
    if not whole and not fraction:
        return None
    for part in (whole, fraction):
        if part and not (part.isdigit() and part.isascii()):
            return None
    coefficient = int(whole + fraction) if whole + fraction else 0
    return sign, coefficient, exponent - len(fraction)


# ---------------------------------------------------------------- Decimal

class Decimal:
    """Floating point class for decimal arithmetic."""

    __slots__ = ('_sign', '_int', '_exp', '_is_special')

    def __new__(cls, value='0', context=None):
        self = object.__new__(cls)
        if isinstance(value, str):
            parsed = _parse_decimal(value)
            if parsed is None:
                if context is None:
                    context = getcontext()
                context._raise_error(ConversionSyntax)
                return cls('NaN')
            sign, coefficient, exponent = parsed
            self._set(sign, coefficient, exponent)
            return self
        if isinstance(value, int):
            self._set(1 if value < 0 else 0, abs(int(value)), 0)
            return self
        if isinstance(value, Decimal):
            self._set(value._sign, value._int, value._exp)
            return self
        if isinstance(value, float):
            converted = cls.from_float(value)
            self._set(converted._sign, converted._int, converted._exp)
            return self
        if isinstance(value, (list, tuple)):
            if len(value) != 3:
                raise ValueError('Invalid tuple size in creation of Decimal '
                                 'from list or tuple.  The list or tuple '
                                 'should have exactly three elements.')
            sign, digits, exponent = value
            if sign not in (0, 1):
                raise ValueError('sign must be an integer with the value 0 '
                                 'or 1')
            coefficient = 0
            for digit in digits:
                if not isinstance(digit, int) or not 0 <= digit <= 9:
                    raise ValueError('The second value in the tuple must be '
                                     'composed of integers in the range 0 '
                                     'through 9.')
                coefficient = coefficient * 10 + digit
            if exponent in ('F', 'n', 'N'):
                self._set(sign, coefficient if exponent != 'F' else 0,
                          exponent)
            elif isinstance(exponent, int):
                self._set(sign, coefficient, exponent)
            else:
                raise ValueError("The third value in the tuple must be an "
                                 "integer, or one of the strings 'F', 'n', "
                                 "'N'.")
            return self
        raise TypeError(f'conversion from {type(value).__name__} to Decimal '
                        'is not supported')

    def _set(self, sign, coefficient, exponent):
        object.__setattr__(self, '_sign', sign)
        object.__setattr__(self, '_int', coefficient)
        object.__setattr__(self, '_exp', exponent)
        object.__setattr__(self, '_is_special', isinstance(exponent, str))

    @classmethod
    def _make(cls, sign, coefficient, exponent):
        result = object.__new__(cls if cls is Decimal else Decimal)
        result._set(sign, coefficient, exponent)
        return result

    @classmethod
    def from_float(cls, f):
        """Converts a float to a decimal number, exactly."""
        if isinstance(f, int):
            return cls(f)
        if not isinstance(f, float):
            raise TypeError('argument must be int or float.')
        if f != f:
            return cls('NaN')
        if f in (float('inf'), float('-inf')):
            return cls('-Infinity' if f < 0 else 'Infinity')
        sign = 1 if _math.copysign(1.0, f) < 0 else 0
        numerator, denominator = abs(f).as_integer_ratio()
        exponent = denominator.bit_length() - 1
        result = Decimal._make(sign, numerator * 5 ** exponent, -exponent)
        return result if cls is Decimal else cls(result)

    # -- special values

    def _isnan(self):
        """0 if a number, 1 if NaN, 2 if sNaN."""
        if self._exp == 'n':
            return 1
        if self._exp == 'N':
            return 2
        return 0

    def _isinfinity(self):
        if self._exp == 'F':
            return -1 if self._sign else 1
        return 0

    def _check_nans(self, other=None, context=None):
        """The NaN result of an operation involving NaNs, or None."""
        if context is None:
            context = getcontext()
        for operand in (self, other):
            if operand is not None and operand._exp == 'N':
                context._raise_error(InvalidOperation)
                return Decimal._make(operand._sign, operand._int, 'n')
        for operand in (self, other):
            if operand is not None and operand._exp == 'n':
                return operand
        return None

    def _invalid(self, context, condition=InvalidOperation):
        context._raise_error(condition)
        return Decimal._make(0, 0, 'n')

    # -- rounding to the context

    def _fix(self, context):
        """Round self to the context's precision and exponent range."""
        if self._is_special:
            if self._exp == 'n' or self._exp == 'N':
                limit = context.prec - context.clamp
                if self._int and _digit_count(self._int) > limit:
                    return Decimal._make(self._sign, 0, self._exp)
            return self
        coefficient = self._int
        exponent = self._exp
        etiny = context.Etiny()
        etop = context.Etop()
        if not coefficient:
            bound = etop if context.clamp else context.Emax
            new_exponent = min(max(exponent, etiny), bound)
            if new_exponent != exponent:
                context._raise_error(Clamped)
                return Decimal._make(self._sign, 0, new_exponent)
            return self
        digits = _digit_count(coefficient)
        adjusted = exponent + digits - 1
        if adjusted > context.Emax:
            context._raise_error(Inexact)
            context._raise_error(Rounded)
            context._raise_error(Overflow)
            return self._overflow_result(context)
        drop = digits - context.prec
        subnormal = adjusted < context.Emin
        if subnormal and exponent + max(drop, 0) < etiny:
            drop = etiny - exponent
        if drop > 0:
            new_coefficient, inexact = _round_digits(
                self._sign, coefficient, drop, context.rounding)
            new_exponent = exponent + drop
            if _digit_count(new_coefficient) > max(digits - drop, 1) and \
                    new_coefficient:
                if not subnormal or _digit_count(new_coefficient) > \
                        context.prec:
                    new_coefficient //= 10
                    new_exponent += 1
            if subnormal:
                context._raise_error(Subnormal)
                if inexact:
                    context._raise_error(Underflow)
            context._raise_error(Rounded)
            if inexact:
                context._raise_error(Inexact)
            if new_exponent + _digit_count(new_coefficient) - 1 > \
                    context.Emax:
                context._raise_error(Overflow)
                return self._overflow_result(context)
            if subnormal and not new_coefficient:
                context._raise_error(Clamped)
            return Decimal._make(self._sign, new_coefficient, new_exponent)
        if subnormal:
            context._raise_error(Subnormal)
        if context.clamp and exponent > etop:
            context._raise_error(Clamped)
            shift = exponent - etop
            return Decimal._make(self._sign, coefficient * 10 ** shift, etop)
        return self

    def _overflow_result(self, context):
        rounding = context.rounding
        largest = Decimal._make(self._sign, 10 ** context.prec - 1,
                                context.Emax - context.prec + 1)
        if rounding in (ROUND_HALF_UP, ROUND_HALF_EVEN, ROUND_HALF_DOWN,
                        ROUND_UP):
            return Decimal._make(self._sign, 0, 'F')
        if self._sign == 0:
            if rounding == ROUND_CEILING:
                return Decimal._make(0, 0, 'F')
            return largest
        if rounding == ROUND_FLOOR:
            return Decimal._make(1, 0, 'F')
        return largest

    # -- string forms

    def __str__(self, eng=False, context=None):
        """Return string representation of the number in scientific
        notation."""
        sign = '-' if self._sign else ''
        if self._is_special:
            if self._exp == 'F':
                return sign + 'Infinity'
            payload = str(self._int) if self._int else ''
            return sign + ('NaN' if self._exp == 'n' else 'sNaN') + payload
        digits = str(self._int)
        exponent = self._exp
        leftdigits = exponent + len(digits)
        if exponent <= 0 and leftdigits > -6:
            dotplace = leftdigits
        elif not eng:
            dotplace = 1
        elif self._int == 0:
            dotplace = (leftdigits + 1) % 3 - 1
        else:
            dotplace = (leftdigits - 1) % 3 + 1
        if dotplace <= 0:
            integer_part = '0'
            fraction_part = '.' + '0' * (-dotplace) + digits
        elif dotplace >= len(digits):
            integer_part = digits + '0' * (dotplace - len(digits))
            fraction_part = ''
        else:
            integer_part = digits[:dotplace]
            fraction_part = '.' + digits[dotplace:]
        if leftdigits == dotplace:
            exponent_part = ''
        else:
            if context is None:
                context = getcontext()
            letter = 'eE'[context.capitals]
            exponent_part = f'{letter}{leftdigits - dotplace:+d}'
        return sign + integer_part + fraction_part + exponent_part

    def to_eng_string(self, context=None):
        """Convert to a string, using engineering notation if an exponent
        is needed."""
        return self.__str__(eng=True, context=context)

    def __repr__(self):
        return f"Decimal('{self}')"

    # -- conversions

    def as_tuple(self):
        """Represents the number as a triple tuple."""
        digits = tuple(map(int, str(self._int))) if (
            self._int or not self._is_special) else ()
        if self._exp == 'F':
            digits = (0,)
        return DecimalTuple(self._sign, digits, self._exp)

    def as_integer_ratio(self):
        """Express a finite Decimal instance in the form n / d."""
        if self._is_special:
            if self._isnan():
                raise ValueError('cannot convert NaN to integer ratio')
            raise OverflowError('cannot convert Infinity to integer ratio')
        if not self._int:
            return 0, 1
        numerator = self._int
        if self._exp >= 0:
            numerator *= 10 ** self._exp
            denominator = 1
        else:
            denominator = 10 ** -self._exp
            divisor = _math.gcd(numerator, denominator)
            numerator //= divisor
            denominator //= divisor
        return (-numerator if self._sign else numerator), denominator

    def __float__(self):
        """Float representation."""
        if self._isnan():
            if self._exp == 'N':
                raise ValueError('cannot convert signaling NaN to float')
            return float('-nan' if self._sign else 'nan')
        return float(str(self))

    def __int__(self):
        """Converts self to an int, truncating if necessary."""
        if self._is_special:
            if self._isnan():
                raise ValueError('cannot convert NaN to integer')
            raise OverflowError('cannot convert Infinity to integer')
        sign = -1 if self._sign else 1
        if self._exp >= 0:
            return sign * self._int * 10 ** self._exp
        return sign * (self._int // 10 ** -self._exp)

    __trunc__ = __int__

    @property
    def real(self):
        return self

    @property
    def imag(self):
        return Decimal(0)

    def conjugate(self):
        return self

    def __complex__(self):
        return complex(float(self))

    def __bool__(self):
        return self._is_special or self._int != 0

    def __floor__(self):
        if self._is_special:
            if self._isnan():
                raise ValueError('cannot round a NaN')
            raise OverflowError('cannot round an infinity')
        return int(self._rescale(0, ROUND_FLOOR))

    def __ceil__(self):
        if self._is_special:
            if self._isnan():
                raise ValueError('cannot round a NaN')
            raise OverflowError('cannot round an infinity')
        return int(self._rescale(0, ROUND_CEILING))

    def __round__(self, n=None):
        """Round self to the nearest integer, or to n decimal places."""
        if n is not None:
            if not isinstance(n, int):
                raise TypeError('Second argument to round should be integral')
            return self.quantize(Decimal._make(0, 1, -n))
        if self._is_special:
            if self._isnan():
                raise ValueError('cannot round a NaN')
            raise OverflowError('cannot round an infinity')
        return int(self._rescale(0, ROUND_HALF_EVEN))

    # -- predicates

    def is_nan(self):
        return self._exp in ('n', 'N')

    def is_qnan(self):
        return self._exp == 'n'

    def is_snan(self):
        return self._exp == 'N'

    def is_infinite(self):
        return self._exp == 'F'

    def is_finite(self):
        return not self._is_special

    def is_zero(self):
        return not self._is_special and self._int == 0

    def is_signed(self):
        return self._sign == 1

    def is_canonical(self):
        return True

    def is_normal(self, context=None):
        if self._is_special or not self._int:
            return False
        if context is None:
            context = getcontext()
        return context.Emin <= self.adjusted()

    def is_subnormal(self, context=None):
        if self._is_special or not self._int:
            return False
        if context is None:
            context = getcontext()
        return self.adjusted() < context.Emin

    def adjusted(self):
        """Return the adjusted exponent of self."""
        if self._is_special:
            return 0
        return self._exp + _digit_count(self._int) - 1

    def canonical(self):
        return self

    def copy_abs(self):
        return Decimal._make(0, self._int, self._exp)

    def copy_negate(self):
        return Decimal._make(1 - self._sign, self._int, self._exp)

    def copy_sign(self, other, context=None):
        other = _convert(other, True)
        return Decimal._make(other._sign, self._int, self._exp)

    def same_quantum(self, other, context=None):
        other = _convert(other, True)
        if self._is_special or other._is_special:
            return (self.is_nan() and other.is_nan()) or \
                (self.is_infinite() and other.is_infinite())
        return self._exp == other._exp

    def number_class(self, context=None):
        if self.is_snan():
            return 'sNaN'
        if self.is_qnan():
            return 'NaN'
        sign = '-' if self._sign else '+'
        if self.is_infinite():
            return sign + 'Infinity'
        if self.is_zero():
            return sign + 'Zero'
        if self.is_subnormal(context):
            return sign + 'Subnormal'
        return sign + 'Normal'

    def radix(self):
        return Decimal(10)

    # -- comparisons

    def _compare_value(self, other):
        """-1, 0 or 1 comparing two non-NaN Decimals by value."""
        if self._is_special or other._is_special:
            left = self._isinfinity()
            right = other._isinfinity()
            return (left > right) - (left < right)
        if not self._int:
            if not other._int:
                return 0
            return 1 if other._sign else -1
        if not other._int:
            return -1 if self._sign else 1
        if self._sign != other._sign:
            return -1 if self._sign else 1
        left_adjusted = self.adjusted()
        right_adjusted = other.adjusted()
        if left_adjusted != right_adjusted:
            result = 1 if left_adjusted > right_adjusted else -1
        else:
            shift = self._exp - other._exp
            left = self._int * 10 ** shift if shift > 0 else self._int
            right = other._int * 10 ** -shift if shift < 0 else other._int
            result = (left > right) - (left < right)
        return -result if self._sign else result

    def _comparable(self, other, equality=False):
        if isinstance(other, float):
            getcontext().flags[FloatOperation] = True
            if not equality and getcontext().traps.get(FloatOperation):
                getcontext()._raise_error(FloatOperation)
            return Decimal.from_float(other)
        if isinstance(other, _numbers.Rational) and not isinstance(other,
                                                                  int):
            return other
        return _convert(other)

    def __eq__(self, other, context=None):
        other = self._comparable(other, equality=True)
        if other is NotImplemented:
            return other
        if not isinstance(other, Decimal):
            if self._is_special:
                return False
            numerator, denominator = self.as_integer_ratio()
            return numerator * other.denominator == \
                other.numerator * denominator
        if self._isnan() or other._isnan():
            return False
        return self._compare_value(other) == 0

    def _order(self, other, op):
        other = self._comparable(other)
        if other is NotImplemented:
            return other
        if not isinstance(other, Decimal):
            if self._is_special:
                if self._isnan():
                    getcontext()._raise_error(InvalidOperation)
                    return False
                return op(self._isinfinity(), 0)
            numerator, denominator = self.as_integer_ratio()
            return op(numerator * other.denominator,
                      other.numerator * denominator)
        if self._isnan() or other._isnan():
            getcontext()._raise_error(InvalidOperation)
            return False
        return op(self._compare_value(other), 0)

    def __lt__(self, other, context=None):
        return self._order(other, lambda a, b: a < b)

    def __le__(self, other, context=None):
        return self._order(other, lambda a, b: a <= b)

    def __gt__(self, other, context=None):
        return self._order(other, lambda a, b: a > b)

    def __ge__(self, other, context=None):
        return self._order(other, lambda a, b: a >= b)

    def compare(self, other, context=None):
        """Compare self to other: Decimal -1, 0 or 1 (NaN for NaNs)."""
        other = _convert(other, True)
        nans = self._check_nans(other, context)
        if nans is not None:
            return nans
        return Decimal(self._compare_value(other))

    def compare_total(self, other, context=None):
        other = _convert(other, True)
        key_self = (self._sign, self._total_key())
        key_other = (other._sign, other._total_key())
        if self._sign != other._sign:
            return Decimal(-1) if self._sign else Decimal(1)
        result = (key_self > key_other) - (key_self < key_other)
        return Decimal(-result if self._sign else result)

    def _total_key(self):
        rank = {'N': 3, 'n': 4, 'F': 2}.get(self._exp, 1) \
            if self._is_special else 1
        if self._is_special:
            return (rank, self._int, 0)
        return (rank, self._int * 10 ** (self._exp + 400) if self._int
                else 0, self._exp)

    def __hash__(self):
        """x.__hash__() <==> hash(x)"""
        if self._is_special:
            if self._exp == 'N':
                raise TypeError('Cannot hash a signaling NaN value.')
            if self._exp == 'n':
                return object.__hash__(self)
            return -_HASH_INF if self._sign else _HASH_INF
        if self._exp >= 0:
            exponent_hash = pow(10, self._exp, _HASH_MODULUS)
        else:
            exponent_hash = pow(_HASH_TEN_INVERSE, -self._exp, _HASH_MODULUS)
        result = self._int * exponent_hash % _HASH_MODULUS
        if self._sign:
            result = -result
        return -2 if result == -1 else result

    # -- arithmetic

    def _prepare(self, other, context, symbol=None, reflected=False):
        if symbol is not None and isinstance(other, float):
            # float's reflected operation gives up too; word the error
            # with Decimal's qualified name, as CPython does.
            names = ("'float'", "'decimal.Decimal'")
            if not reflected:
                names = names[::-1]
            raise TypeError(f'unsupported operand type(s) for {symbol}: '
                            f'{names[0]} and {names[1]}')
        other = _convert(other)
        if context is None:
            context = getcontext()
        return other, context

    def __add__(self, other, context=None):
        other, context = self._prepare(other, context, '+', False)
        if other is NotImplemented:
            return other
        nans = self._check_nans(other, context) if (
            self._is_special or other._is_special) else None
        if nans is not None:
            return nans
        if self._is_special or other._is_special:
            if self._exp == 'F' and other._exp == 'F' and \
                    self._sign != other._sign:
                return self._invalid(context)
            return self if self._exp == 'F' else other
        exponent = min(self._exp, other._exp)
        left = self._int * 10 ** (self._exp - exponent)
        right = other._int * 10 ** (other._exp - exponent)
        total = (-left if self._sign else left) + \
            (-right if other._sign else right)
        if total == 0:
            if self._sign and other._sign:
                sign = 1
            elif self._sign != other._sign and context.rounding == \
                    ROUND_FLOOR:
                sign = 1
            else:
                sign = 0
            result = Decimal._make(sign, 0, exponent)
        else:
            result = Decimal._make(1 if total < 0 else 0, abs(total),
                                   exponent)
        return result._fix(context)

    def __radd__(self, other, context=None):
        other, context = self._prepare(other, context, '+', True)
        if other is NotImplemented:
            return other
        return self.__add__(other, context=context)

    def __sub__(self, other, context=None):
        other, context = self._prepare(other, context, '-', False)
        if other is NotImplemented:
            return other
        return self.__add__(other.copy_negate() if not other._isnan()
                            else other, context=context)

    def __rsub__(self, other, context=None):
        other, context = self._prepare(other, context, '-', True)
        if other is NotImplemented:
            return other
        return other.__sub__(self, context=context)

    def __mul__(self, other, context=None):
        other, context = self._prepare(other, context, '*', False)
        if other is NotImplemented:
            return other
        sign = self._sign ^ other._sign
        if self._is_special or other._is_special:
            nans = self._check_nans(other, context)
            if nans is not None:
                return nans
            if self._exp == 'F':
                if not other._is_special and not other._int:
                    return self._invalid(context)
                return Decimal._make(sign, 0, 'F')
            if not self._int:
                return self._invalid(context)
            return Decimal._make(sign, 0, 'F')
        result = Decimal._make(sign, self._int * other._int,
                               self._exp + other._exp)
        return result._fix(context)

    def __rmul__(self, other, context=None):
        other, context = self._prepare(other, context, '*', True)
        if other is NotImplemented:
            return other
        return self.__mul__(other, context=context)

    def __truediv__(self, other, context=None):
        other, context = self._prepare(other, context, '/', False)
        if other is NotImplemented:
            return other
        sign = self._sign ^ other._sign
        if self._is_special or other._is_special:
            nans = self._check_nans(other, context)
            if nans is not None:
                return nans
            if self._exp == 'F' and other._exp == 'F':
                return self._invalid(context)
            if self._exp == 'F':
                return Decimal._make(sign, 0, 'F')
            context._raise_error(Clamped)
            return Decimal._make(sign, 0, context.Etiny())
        if not other._int:
            if not self._int:
                return self._invalid(context, DivisionUndefined)
            context._raise_error(DivisionByZero)
            return Decimal._make(sign, 0, 'F')
        ideal = self._exp - other._exp
        if not self._int:
            return Decimal._make(sign, 0, ideal)._fix(context)
        shift = _digit_count(other._int) - _digit_count(self._int) + \
            context.prec + 1
        exponent = self._exp - other._exp - shift
        if shift >= 0:
            quotient, remainder = divmod(self._int * 10 ** shift, other._int)
        else:
            quotient, remainder = divmod(self._int, other._int * 10 ** -shift)
        if remainder:
            # A sticky digit keeps later rounding honest.
            if quotient % 5 == 0:
                quotient += 1
        else:
            while exponent < ideal and quotient % 10 == 0:
                quotient //= 10
                exponent += 1
        return Decimal._make(sign, quotient, exponent)._fix(context)

    def __rtruediv__(self, other, context=None):
        other, context = self._prepare(other, context, '/', True)
        if other is NotImplemented:
            return other
        return other.__truediv__(self, context=context)

    def _divide_integer(self, other, context):
        """(integer quotient, remainder) for //, % and divmod."""
        sign = self._sign ^ other._sign
        exponent = min(self._exp, other._exp)
        left = self._int * 10 ** (self._exp - exponent)
        right = other._int * 10 ** (other._exp - exponent)
        quotient, remainder = divmod(left, right)
        if _digit_count(quotient) > context.prec and quotient:
            return None, None
        return (Decimal._make(sign, quotient, 0),
                Decimal._make(self._sign, remainder, exponent)._fix(context))

    def __divmod__(self, other, context=None):
        other, context = self._prepare(other, context, 'divmod()', False)
        if other is NotImplemented:
            return other
        special = self._special_division(other, context)
        if special is not None:
            return special, special
        if not other._int:
            if not self._int:
                result = self._invalid(context, DivisionUndefined)
                return result, result
            context._raise_error(DivisionByZero)
            return (Decimal._make(self._sign ^ other._sign, 0, 'F'),
                    self._invalid(context))
        quotient, remainder = self._divide_integer(other, context)
        if quotient is None:
            result = self._invalid(context, DivisionImpossible)
            return result, result
        return quotient, remainder

    def __rdivmod__(self, other, context=None):
        other, context = self._prepare(other, context, 'divmod()', True)
        if other is NotImplemented:
            return other
        return other.__divmod__(self, context=context)

    def _special_division(self, other, context):
        if not (self._is_special or other._is_special):
            return None
        nans = self._check_nans(other, context)
        if nans is not None:
            return nans
        return self._invalid(context)

    def __mod__(self, other, context=None):
        other, context = self._prepare(other, context, '%', False)
        if other is NotImplemented:
            return other
        special = self._special_division(other, context)
        if special is not None:
            if self._exp != 'F' and other._exp == 'F' and \
                    not self._isnan():
                return self._fix(context)
            return special
        if not other._int:
            if not self._int:
                return self._invalid(context, DivisionUndefined)
            return self._invalid(context)
        quotient, remainder = self._divide_integer(other, context)
        if quotient is None:
            return self._invalid(context, DivisionImpossible)
        return remainder

    def __rmod__(self, other, context=None):
        other, context = self._prepare(other, context, '%', True)
        if other is NotImplemented:
            return other
        return other.__mod__(self, context=context)

    def __floordiv__(self, other, context=None):
        other, context = self._prepare(other, context, '//', False)
        if other is NotImplemented:
            return other
        special = self._special_division(other, context)
        if special is not None:
            if self._exp == 'F' and not other._is_special:
                return Decimal._make(self._sign ^ other._sign, 0, 'F')
            if other._exp == 'F' and not self._is_special:
                return Decimal._make(self._sign ^ other._sign, 0, 0)
            return special
        if not other._int:
            if not self._int:
                return self._invalid(context, DivisionUndefined)
            context._raise_error(DivisionByZero)
            return Decimal._make(self._sign ^ other._sign, 0, 'F')
        quotient, remainder = self._divide_integer(other, context)
        if quotient is None:
            return self._invalid(context, DivisionImpossible)
        return quotient

    def __rfloordiv__(self, other, context=None):
        other, context = self._prepare(other, context, '//', True)
        if other is NotImplemented:
            return other
        return other.__floordiv__(self, context=context)

    def remainder_near(self, other, context=None):
        other, context = self._prepare(other, context)
        quotient = (self / other).to_integral_value(ROUND_HALF_EVEN)
        return (self - quotient * other)._fix(context)

    def __pow__(self, other, modulo=None, context=None):
        other, context = self._prepare(other, context, '** or pow()', False)
        if other is NotImplemented:
            return other
        if modulo is not None:
            modulo = _convert(modulo, True)
            base = int(self)
            exponent = int(other)
            return Decimal(pow(base, exponent, int(modulo)))._fix(context)
        nans = self._check_nans(other, context) if (
            self._is_special or other._is_special) else None
        if nans is not None:
            return nans
        if other._is_special:
            if self._is_special or not self._int:
                return self._invalid(context)
            magnitude = abs(self)
            if magnitude == 1:
                return Decimal(1)._fix(context)
            grows = (magnitude > 1) == (other._sign == 0)
            return Decimal._make(0, 0, 'F') if grows else Decimal(0)
        integral = other._exp >= 0 or \
            other._int % 10 ** -other._exp == 0
        if self._is_special:
            if not other._int:
                return Decimal(1)
            sign = self._sign if integral and int(other) % 2 else 0
            if other._sign:
                return Decimal._make(sign, 0, 0)
            return Decimal._make(sign, 0, 'F')
        if not other._int:
            if not self._int:
                return self._invalid(context)
            return Decimal(1)._fix(context)
        if integral:
            power = int(other)
            sign = self._sign if power % 2 else 0
            if not self._int:
                if power < 0:
                    context._raise_error(DivisionByZero)
                    return Decimal._make(sign, 0, 'F')
                return Decimal._make(sign, 0, self._exp * power)._fix(context)
            if power > 0:
                exact = Decimal._make(sign, self._int ** power,
                                      self._exp * power)
                return exact._fix(context)
            exact = Decimal._make(0, self._int ** -power, self._exp * -power)
            result = Decimal(1).__truediv__(exact, context=context)
            return result.copy_negate() if sign else result
        if self._sign:
            return self._invalid(context)
        with localcontext(context) as work:
            work.prec = context.prec + 10
            work.traps = {s: False for s in _SIGNALS}
            result = (other * self.ln(work)).exp(work)
        return result._fix(context) if not result._is_special else result

    def __rpow__(self, other, context=None):
        other, context = self._prepare(other, context, '** or pow()', True)
        if other is NotImplemented:
            return other
        return other.__pow__(self, context=context)

    def __neg__(self, context=None):
        if context is None:
            context = getcontext()
        if self._isnan():
            return self._check_nans(context=context)
        if not self._is_special and not self._int and \
                context.rounding != ROUND_FLOOR:
            return Decimal._make(0, 0, self._exp)._fix(context)
        return self.copy_negate()._fix(context)

    def __pos__(self, context=None):
        if context is None:
            context = getcontext()
        if self._isnan():
            return self._check_nans(context=context)
        if not self._is_special and not self._int and \
                context.rounding != ROUND_FLOOR:
            return Decimal._make(0, 0, self._exp)._fix(context)
        return self._fix(context)

    def __abs__(self, round=True, context=None):
        if context is None:
            context = getcontext()
        if self._isnan():
            return self._check_nans(context=context)
        result = self.copy_abs()
        return result._fix(context) if round else result

    def fma(self, other, third, context=None):
        other = _convert(other, True)
        third = _convert(third, True)
        if context is None:
            context = getcontext()
        with localcontext(context) as exact:
            exact.prec = MAX_PREC
            product = self.__mul__(other, context=exact)
        return product.__add__(third, context=context)

    # -- rescaling

    def _rescale(self, exponent, rounding):
        """self with the given exponent (rounding away digits as needed),
        ignoring the context's precision."""
        if self._is_special:
            return self
        if not self._int:
            return Decimal._make(self._sign, 0, exponent)
        if self._exp >= exponent:
            return Decimal._make(self._sign,
                                 self._int * 10 ** (self._exp - exponent),
                                 exponent)
        drop = exponent - self._exp
        coefficient, _ = _round_digits(self._sign, self._int, drop, rounding)
        return Decimal._make(self._sign, coefficient, exponent)

    def quantize(self, exp, rounding=None, context=None):
        """Quantize self so its exponent is the same as that of exp."""
        exp = _convert(exp, True)
        if context is None:
            context = getcontext()
        if rounding is None:
            rounding = context.rounding
        if self._is_special or exp._is_special:
            nans = self._check_nans(exp, context)
            if nans is not None:
                return nans
            if self._exp == 'F' and exp._exp == 'F':
                return Decimal(self)
            return self._invalid(context)
        if not context.Etiny() <= exp._exp <= context.Emax:
            return self._invalid(context)
        result = self._rescale(exp._exp, rounding)
        if _digit_count(result._int) > context.prec:
            return self._invalid(context)
        if result.adjusted() > context.Emax:
            return self._invalid(context)
        if result._exp > self._exp:
            if result._int * 10 ** (result._exp - self._exp) != self._int:
                context._raise_error(Inexact)
            context._raise_error(Rounded)
        return result

    def normalize(self, context=None):
        """Normalize the number by stripping the rightmost trailing zeros
        and converting any result equal to Decimal('0') to Decimal('0e0')."""
        if context is None:
            context = getcontext()
        if self._is_special:
            nans = self._check_nans(context=context)
            return nans if nans is not None else self
        result = self._fix(context)
        if result._is_special:
            return result
        if not result._int:
            return Decimal._make(result._sign, 0, 0)
        coefficient = result._int
        exponent = result._exp
        limit = context.Etop() if context.clamp else context.Emax
        while coefficient % 10 == 0 and exponent < limit:
            coefficient //= 10
            exponent += 1
        return Decimal._make(result._sign, coefficient, exponent)

    def to_integral_value(self, rounding=None, context=None):
        """Rounds to the nearest integer, without raising inexact,
        rounded."""
        if context is None:
            context = getcontext()
        if rounding is None:
            rounding = context.rounding
        if self._is_special:
            nans = self._check_nans(context=context)
            return nans if nans is not None else Decimal(self)
        if self._exp >= 0:
            return Decimal(self)
        return self._rescale(0, rounding)

    to_integral = to_integral_value

    def to_integral_exact(self, rounding=None, context=None):
        if context is None:
            context = getcontext()
        result = self.to_integral_value(rounding, context)
        if not self._is_special and self._exp < 0:
            context._raise_error(Rounded)
            if result != self:
                context._raise_error(Inexact)
        return result

    def scaleb(self, other, context=None):
        other = _convert(other, True)
        if context is None:
            context = getcontext()
        if self._is_special:
            return self
        return Decimal._make(self._sign, self._int,
                             self._exp + int(other))._fix(context)

    def shift(self, other, context=None):
        other = int(_convert(other, True))
        if context is None:
            context = getcontext()
        if self._is_special:
            return self
        coefficient = self._int * 10 ** other if other >= 0 else \
            self._int // 10 ** -other
        coefficient %= 10 ** context.prec
        return Decimal._make(self._sign, coefficient, self._exp)

    def max(self, other, context=None):
        other = _convert(other, True)
        if context is None:
            context = getcontext()
        if self._isnan() or other._isnan():
            if self._isnan() and not other._isnan():
                return other._fix(context)
            if other._isnan() and not self._isnan():
                return self._fix(context)
            return self._check_nans(other, context)
        order = self._compare_value(other)
        if order == 0:
            order = self._tie_break(other)
        return (self if order >= 0 else other)._fix(context)

    def min(self, other, context=None):
        other = _convert(other, True)
        if context is None:
            context = getcontext()
        if self._isnan() or other._isnan():
            if self._isnan() and not other._isnan():
                return other._fix(context)
            if other._isnan() and not self._isnan():
                return self._fix(context)
            return self._check_nans(other, context)
        order = self._compare_value(other)
        if order == 0:
            order = self._tie_break(other)
        return (self if order <= 0 else other)._fix(context)

    def _tie_break(self, other):
        if self._sign != other._sign:
            return -1 if self._sign else 1
        if self._exp == other._exp or self._is_special:
            return 0
        result = 1 if self._exp > other._exp else -1
        return -result if self._sign else result

    def max_mag(self, other, context=None):
        other = _convert(other, True)
        return self.max(other, context) if abs(self) == abs(other) else \
            (self if abs(self) > abs(other) else other)

    def min_mag(self, other, context=None):
        other = _convert(other, True)
        return self.min(other, context) if abs(self) == abs(other) else \
            (self if abs(self) < abs(other) else other)

    def next_plus(self, context=None):
        if context is None:
            context = getcontext()
        if self._is_special:
            return self
        tiny = Decimal._make(0, 1, min(self._exp, self.adjusted() -
                                       context.prec) - 1)
        with localcontext(context) as work:
            work.rounding = ROUND_CEILING
            work.traps = {s: False for s in _SIGNALS}
            return self.__add__(tiny, context=work)

    def next_minus(self, context=None):
        if context is None:
            context = getcontext()
        if self._is_special:
            return self
        tiny = Decimal._make(0, 1, min(self._exp, self.adjusted() -
                                       context.prec) - 1)
        with localcontext(context) as work:
            work.rounding = ROUND_FLOOR
            work.traps = {s: False for s in _SIGNALS}
            return self.__sub__(tiny, context=work)

    # -- roots, exponentials and logarithms

    def sqrt(self, context=None):
        """Return the square root of self."""
        if context is None:
            context = getcontext()
        if self._is_special:
            nans = self._check_nans(context=context)
            if nans is not None:
                return nans
            if self._sign:
                return self._invalid(context)
            return Decimal(self)
        if not self._int:
            return Decimal._make(self._sign, 0, self._exp // 2)._fix(context)
        if self._sign:
            return self._invalid(context)
        precision = context.prec + 1
        ideal = self._exp // 2
        coefficient = self._int
        exponent = self._exp
        if exponent % 2:
            coefficient *= 10
            exponent -= 1
        shift = max(precision - (_digit_count(coefficient) + 1) // 2, 0)
        scaled = coefficient * 100 ** shift
        root = _math.isqrt(scaled)
        exact = root * root == scaled
        result_exponent = exponent // 2 - shift
        if exact:
            while result_exponent < ideal and root % 10 == 0:
                root //= 10
                result_exponent += 1
            with localcontext(context) as work:
                work.rounding = ROUND_HALF_EVEN
                return Decimal._make(0, root, result_exponent)._fix(work)
        if root % 5 == 0:
            root += 1
        with localcontext(context) as work:
            work.rounding = ROUND_HALF_EVEN
            answer = Decimal._make(0, root, result_exponent)._fix(work)
        context.flags.update({k: True for k, v in work.flags.items() if v})
        return answer

    def _to_fraction_digits(self, digits):
        """self as an integer scaled by 10**digits (truncated)."""
        if self._exp + digits >= 0:
            value = self._int * 10 ** (self._exp + digits)
        else:
            value = self._int // 10 ** (-self._exp - digits)
        return -value if self._sign else value

    def exp(self, context=None):
        """Returns e ** self."""
        if context is None:
            context = getcontext()
        if self._is_special:
            nans = self._check_nans(context=context)
            if nans is not None:
                return nans
            return Decimal(0) if self._sign else Decimal(self)
        if not self._int:
            return Decimal(1)
        adjusted = self.adjusted()
        if adjusted > len(str(context.Emax)) + 1:
            if self._sign:
                return Decimal._make(0, 1, context.Etiny() - 1)._fix(context)
            return Decimal._make(0, 1, context.Emax + 1)._fix(context)
        guard = context.prec + max(adjusted, 0) + 10
        scale = 10 ** guard
        x = self._to_fraction_digits(guard)
        # Reduce: e**x = (e**(x/2**k))**(2**k).
        halvings = 0
        while abs(x) > scale // 8:
            x //= 2
            halvings += 1
        term = scale
        total = scale
        n = 1
        while term:
            term = _divide_toward_zero(term * x, scale * n)
            total += term
            n += 1
        for _ in range(halvings):
            total = total * total // scale
        result = Decimal._make(0, total, -guard)
        with localcontext(context) as work:
            work.rounding = ROUND_HALF_EVEN
            answer = result._fix(work)
        context._raise_error(Inexact)
        context._raise_error(Rounded)
        return answer

    def _ln_scaled(self, guard):
        """ln(self) as an integer scaled by 10**guard (self finite > 0)."""
        scale = 10 ** guard
        digits = _digit_count(self._int)
        # self = m * 10**e10 with m in [0.1, 1).
        e10 = self._exp + digits
        mantissa = self._int * scale // 10 ** digits
        # ln(m) through atanh: ln(m) = 2 atanh((m-1)/(m+1)).
        # The series runs on |y| (m < 1, so y < 0) to keep integer
        # division exact about zero.
        y = (scale - mantissa) * scale // (mantissa + scale)
        y_squared = y * y // scale
        term = y
        total = y
        k = 1
        while term:
            term = term * y_squared // scale
            k += 2
            total += term // k
        ln_m = -2 * total
        return ln_m + e10 * _ln10_scaled(guard)

    def ln(self, context=None):
        """Returns the natural (base e) logarithm of self."""
        if context is None:
            context = getcontext()
        if self._is_special:
            nans = self._check_nans(context=context)
            if nans is not None:
                return nans
            if self._sign:
                return self._invalid(context)
            return Decimal(self)
        if not self._int:
            return Decimal._make(1, 0, 'F')
        if self._sign:
            return self._invalid(context)
        if self == 1:
            return Decimal(0)
        guard = context.prec + 20
        value = self._ln_scaled(guard)
        result = Decimal._make(1 if value < 0 else 0, abs(value), -guard)
        with localcontext(context) as work:
            work.rounding = ROUND_HALF_EVEN
            answer = result._fix(work)
        context._raise_error(Inexact)
        context._raise_error(Rounded)
        return answer

    def log10(self, context=None):
        """Returns the base 10 logarithm of self."""
        if context is None:
            context = getcontext()
        if self._is_special:
            nans = self._check_nans(context=context)
            if nans is not None:
                return nans
            if self._sign:
                return self._invalid(context)
            return Decimal(self)
        if not self._int:
            return Decimal._make(1, 0, 'F')
        if self._sign:
            return self._invalid(context)
        stripped = self._int
        exponent = self._exp
        while stripped % 10 == 0:
            stripped //= 10
            exponent += 1
        if stripped == 1:
            return Decimal(exponent)
        guard = context.prec + 20
        value = self._ln_scaled(guard) * 10 ** guard // _ln10_scaled(guard)
        result = Decimal._make(1 if value < 0 else 0, abs(value), -guard)
        with localcontext(context) as work:
            work.rounding = ROUND_HALF_EVEN
            answer = result._fix(work)
        context._raise_error(Inexact)
        context._raise_error(Rounded)
        return answer

    def logb(self, context=None):
        if self._is_special:
            return Decimal(self) if not self._isnan() else self
        if not self._int:
            getcontext()._raise_error(DivisionByZero)
            return Decimal._make(1, 0, 'F')
        return Decimal(self.adjusted())

    # -- formatting

    def __format__(self, specifier, context=None):
        """Format a Decimal instance according to the given specifier."""
        if context is None:
            context = getcontext()
        spec = _parse_format_spec(specifier)
        kind = spec['type']
        if self._is_special:
            body = str(abs(self)) if not self._isnan() else \
                ('NaN' if self._exp == 'n' else 'sNaN') + \
                (str(self._int) if self._int else '')
            if kind == '%':
                body += '%'
            return _pad(self._sign, body, spec)
        precision = spec['precision']
        rounding = context.rounding
        value = self
        if kind is None:
            if precision is not None:
                kind = 'G' if context.capitals else "g"
            if kind is None:
                text = str(self.copy_abs()) if not context.capitals else \
                    self.copy_abs().__str__(context=context)
                if spec['grouping'] and 'E' not in text and 'e' not in text:
                    integer, dot, fraction = text.partition('.')
                    text = _group(integer, spec['grouping']) + dot + fraction
                return _pad(self._sign, text, spec)
        if kind == '%':
            value = Decimal._make(self._sign, self._int, self._exp + 2)
        if kind in 'eE':
            if precision is None:
                precision = _digit_count(value._int) - 1
            adjusted = value.adjusted()
            rounded = value._rescale(adjusted - precision, rounding)
            if _digit_count(rounded._int) > precision + 1 and rounded._int:
                rounded = value._rescale(adjusted - precision + 1, rounding)
            digits = str(rounded._int).rjust(precision + 1, '0')
            exponent_value = rounded._exp + len(digits) - 1
            text = digits[0]
            if precision or spec['alternate']:
                text += '.' + digits[1:]
            text += ('e' if kind == 'e' else 'E') + f'{exponent_value:+d}'
            if not value._int:
                text = '0' + ('.' + '0' * precision if precision else '') + \
                    ('e' if kind == 'e' else 'E') + \
                    f'{value._exp + max(_digit_count(0) - 1, 0):+d}'
            return _pad(self._sign, text, spec)
        if kind in 'fF%':
            if precision is None:
                rounded = value
                exponent = min(value._exp, 0)
            else:
                rounded = value._rescale(-precision, rounding)
                exponent = -precision
            text = _plain_digits(rounded._int, rounded._exp, exponent)
            integer, dot, fraction = text.partition('.')
            if spec['grouping']:
                integer = _group(integer, spec['grouping'])
            text = integer + dot + fraction
            if spec['alternate'] and not dot:
                text += '.'
            if kind == '%':
                text += '%'
            return _pad(self._sign, text, spec)
        if kind in 'gGn':
            if precision is None:
                precision = _digit_count(value._int)
            if precision == 0:
                precision = 1
            if value._int and _digit_count(value._int) > precision:
                value = value._rescale(value.adjusted() - precision + 1,
                                       rounding)
                if _digit_count(value._int) > precision:
                    value = value._rescale(value._exp + 1, rounding)
            adjusted = value.adjusted()
            leftdigits = value._exp + _digit_count(value._int)
            if value._exp <= 0 and leftdigits > -6:
                text = _plain_digits(value._int, value._exp,
                                     min(value._exp, 0))
            else:
                digits = str(value._int)
                text = digits[0] + ('.' + digits[1:] if len(digits) > 1
                                    else '')
                text += ('e' if kind in 'gn' else 'E') + f'{adjusted:+d}'
            if spec['grouping'] and 'e' not in text.lower():
                integer, dot, fraction = text.partition('.')
                text = _group(integer, spec['grouping']) + dot + fraction
            return _pad(self._sign, text, spec)
        raise ValueError(f"Unknown format code '{kind}' for object of type "
                         "'decimal.Decimal'")

    # -- pickling and copying

    def __reduce__(self):
        return (self.__class__, (str(self),))

    def __copy__(self):
        if type(self) is Decimal:
            return self
        return self.__class__(str(self))

    def __deepcopy__(self, memo):
        if type(self) is Decimal:
            return self
        return self.__class__(str(self))

    def __setattr__(self, name, value):
        raise AttributeError(f"'decimal.Decimal' object attribute '{name}' "
                             'is read-only')


Decimal.__module__ = 'decimal'
_numbers.Number.register(Decimal)

_LN10_CACHE = {}


def _divide_toward_zero(numerator, denominator):
    quotient = abs(numerator) // abs(denominator)
    return -quotient if (numerator < 0) != (denominator < 0) else quotient


def _ln10_scaled(guard):
    """ln(10) as an integer scaled by 10**guard."""
    cached = _LN10_CACHE.get(guard)
    if cached is not None:
        return cached
    scale = 10 ** (guard + 5)
    # ln(10) = 3 ln(2) + ln(1.25); ln(x) = 2 atanh((x-1)/(x+1)).

    def atanh_inverse(n):
        """atanh(1/n) scaled by `scale`."""
        total = 0
        power = scale // n
        k = 1
        squared = n * n
        while power:
            total += power // k
            power //= squared
            k += 2
        return total
    ln2 = 2 * atanh_inverse(3)
    ln_five_quarters = 2 * atanh_inverse(9)
    value = (3 * ln2 + ln_five_quarters) // 10 ** 5
    _LN10_CACHE[guard] = value
    return value


def _plain_digits(coefficient, exponent, target_exponent):
    """Fixed-point digits of coefficient * 10**exponent shown with
    -target_exponent fraction digits."""
    if exponent > target_exponent:
        coefficient *= 10 ** (exponent - target_exponent)
        exponent = target_exponent
    digits = str(coefficient)
    places = -exponent
    if places <= 0:
        return digits + '0' * (-places)
    if len(digits) <= places:
        digits = '0' * (places - len(digits) + 1) + digits
    return digits[:-places] + '.' + digits[-places:]


def _group(integer, separator):
    groups = []
    while len(integer) > 3:
        groups.append(integer[-3:])
        integer = integer[:-3]
    groups.append(integer)
    return separator.join(reversed(groups))


def _parse_format_spec(specifier):
    spec = {'fill': ' ', 'align': None, 'sign': '-', 'zero': False,
            'alternate': False, 'width': 0, 'grouping': '',
            'precision': None, 'type': None}
    index = 0
    size = len(specifier)
    if size >= 2 and specifier[1] in '<>=^':
        spec['fill'] = specifier[0]
        spec['align'] = specifier[1]
        index = 2
    elif size >= 1 and specifier[0] in '<>=^':
        spec['align'] = specifier[0]
        index = 1
    if index < size and specifier[index] in '+- ':
        spec['sign'] = specifier[index]
        index += 1
    if index < size and specifier[index] == 'z':
        index += 1
    if index < size and specifier[index] == '#':
        spec['alternate'] = True
        index += 1
    if index < size and specifier[index] == '0':
        spec['zero'] = True
        if spec['align'] is None:
            spec['fill'] = '0'
            spec['align'] = '='
        index += 1
    start = index
    while index < size and specifier[index].isdigit():
        index += 1
    if index > start:
        spec['width'] = int(specifier[start:index])
    if index < size and specifier[index] in ',_':
        spec['grouping'] = specifier[index]
        index += 1
    if index < size and specifier[index] == '.':
        index += 1
        start = index
        while index < size and specifier[index].isdigit():
            index += 1
        if index == start:
            raise ValueError('Format specifier missing precision')
        spec['precision'] = int(specifier[start:index])
    if index < size:
        spec['type'] = specifier[index]
        index += 1
    if index != size or (spec['type'] is not None and
                         spec['type'] not in 'eEfFgGn%'):
        raise ValueError('Invalid format specifier')
    return spec


def _pad(negative, body, spec):
    if negative:
        sign = '-'
    elif spec['sign'] == '+':
        sign = '+'
    elif spec['sign'] == ' ':
        sign = ' '
    else:
        sign = ''
    width = spec['width']
    align = spec['align'] or '>'
    fill = spec['fill']
    padding = width - len(sign) - len(body)
    if padding <= 0:
        return sign + body
    if align == '<':
        return sign + body + fill * padding
    if align == '^':
        left = padding // 2
        return fill * left + sign + body + fill * (padding - left)
    if align == '=':
        return sign + fill * padding + body
    return fill * padding + sign + body
