"""Rational numbers (fractions module).

Owns Fraction: exact rationals built from ints, floats, Decimals,
Fractions and strings ("3/4", "-1.5e3"), kept in lowest terms, with the
arithmetic, comparisons and hashing that interoperate with int, float and
complex like CPython 3.11's, plus limit_denominator and rounding.
"""

import math
import numbers
import operator

__all__ = ['Fraction']

_HASH_MODULUS = 2 ** 61 - 1
_HASH_INF = 314159


def _parse(text):
    """(numerator, denominator) of a Fraction literal, or None."""
    body = text.strip()
    if not body:
        return None
    sign = 1
    if body[0] in '+-':
        if body[0] == '-':
            sign = -1
        body = body[1:]

    def digits(part):
        if not part or part.startswith('_') or part.endswith('_') or \
                '__' in part:
            return None
        cleaned = part.replace('_', '')
        if not cleaned.isdigit() or not cleaned.isascii():
            return None
        return int(cleaned)

    if '/' in body:
        numerator_text, _, denominator_text = body.partition('/')
        numerator = digits(numerator_text)
        denominator = digits(denominator_text)
        if numerator is None or denominator is None:
            return None
        return sign * numerator, denominator
    exponent = 0
    lowered = body.lower()
    if 'e' in lowered:
        position = lowered.index('e')
        mantissa, exponent_text = body[:position], body[position + 1:]
        exponent_sign = 1
        if exponent_text[:1] in ('+', '-'):
            if exponent_text[0] == '-':
                exponent_sign = -1
            exponent_text = exponent_text[1:]
        value = digits(exponent_text)
        if value is None:
            return None
        exponent = exponent_sign * value
    else:
        mantissa = body
    whole_text, dot, fraction_text = mantissa.partition('.')
    if not whole_text and not fraction_text:
        return None
    whole = digits(whole_text) if whole_text else 0
    if whole is None:
        return None
    if dot and fraction_text:
        fraction = digits(fraction_text)
        if fraction is None:
            return None
        scale = 10 ** len(fraction_text.replace('_', ''))
        numerator = whole * scale + fraction
        denominator = scale
    elif dot and not whole_text:
        return None
    else:
        numerator, denominator = whole, 1
    if exponent >= 0:
        numerator *= 10 ** exponent
    else:
        denominator *= 10 ** -exponent
    return sign * numerator, denominator


class Fraction(numbers.Rational):
    """This class implements rational numbers."""

    __slots__ = ('_numerator', '_denominator')

    def __new__(cls, numerator=0, denominator=None, *, _normalize=True):
        self = super(Fraction, cls).__new__(cls)
        if denominator is None:
            if type(numerator) is int:
                self._numerator = numerator
                self._denominator = 1
                return self
            if isinstance(numerator, Fraction):
                self._numerator = numerator._numerator
                self._denominator = numerator._denominator
                return self
            if isinstance(numerator, int):
                self._numerator = int(numerator)
                self._denominator = 1
                return self
            if isinstance(numerator, float) or (
                    not isinstance(numerator, str)
                    and hasattr(numerator, 'as_integer_ratio')
                    and not isinstance(numerator, numbers.Rational)):
                self._numerator, self._denominator = \
                    numerator.as_integer_ratio()
                return self
            if isinstance(numerator, numbers.Rational):
                self._numerator = numerator.numerator
                self._denominator = numerator.denominator
                return self
            if isinstance(numerator, str):
                parsed = _parse(numerator)
                if parsed is None:
                    raise ValueError('Invalid literal for Fraction: '
                                     f'{numerator!r}')
                numerator, denominator = parsed
            else:
                raise TypeError('argument should be a string or a Rational '
                                'instance')
        elif type(numerator) is int is type(denominator):
            pass
        elif isinstance(numerator, (int, Fraction)) and \
                isinstance(denominator, (int, Fraction)) or (
                    isinstance(numerator, numbers.Rational)
                    and isinstance(denominator, numbers.Rational)):
            numerator, denominator = (
                numerator.numerator * denominator.denominator,
                denominator.numerator * numerator.denominator)
        else:
            raise TypeError('both arguments should be Rational instances')
        if denominator == 0:
            raise ZeroDivisionError(f'Fraction({numerator}, 0)')
        if _normalize:
            divisor = math.gcd(numerator, denominator)
            if denominator < 0:
                divisor = -divisor
            numerator //= divisor
            denominator //= divisor
        self._numerator = numerator
        self._denominator = denominator
        return self

    @classmethod
    def from_float(cls, f):
        """Converts a finite float to a rational number, exactly."""
        if isinstance(f, numbers.Integral):
            return cls(f)
        if not isinstance(f, float):
            raise TypeError(f'{cls.__name__}.from_float() only takes floats, '
                            f'not {f!r} ({type(f).__name__})')
        return cls(*f.as_integer_ratio())

    @classmethod
    def from_decimal(cls, dec):
        """Converts a finite Decimal instance to a rational number,
        exactly."""
        from decimal import Decimal
        if isinstance(dec, numbers.Integral):
            dec = Decimal(int(dec))
        elif not isinstance(dec, Decimal):
            raise TypeError(f'{cls.__name__}.from_decimal() only takes '
                            f'Decimals, not {dec!r} ({type(dec).__name__})')
        return cls(*dec.as_integer_ratio())

    def as_integer_ratio(self):
        """Return the integer ratio as a tuple."""
        return (self._numerator, self._denominator)

    def limit_denominator(self, max_denominator=1000000):
        """Closest Fraction to self with denominator at most
        max_denominator."""
        if max_denominator < 1:
            raise ValueError('max_denominator should be at least 1')
        if self._denominator <= max_denominator:
            return Fraction(self)
        # Walk the continued-fraction convergents p/q of self.
        p_previous, q_previous, p_current, q_current = 0, 1, 1, 0
        n, d = self._numerator, self._denominator
        while True:
            term = n // d
            q_next = q_previous + term * q_current
            if q_next > max_denominator:
                break
            p_previous, q_previous, p_current, q_current = \
                p_current, q_current, p_previous + term * p_current, q_next
            n, d = d, n - term * d
        steps = (max_denominator - q_previous) // q_current
        # The best approximation is the last convergent or the semiconvergent.
        if 2 * d * (q_previous + steps * q_current) <= self._denominator:
            return Fraction(p_current, q_current, _normalize=False)
        return Fraction(p_previous + steps * p_current,
                        q_previous + steps * q_current, _normalize=False)

    @property
    def numerator(a):
        return a._numerator

    @property
    def denominator(a):
        return a._denominator

    def __repr__(self):
        """repr(self)"""
        return (f'{self.__class__.__name__}({self._numerator}, '
                f'{self._denominator})')

    def __str__(self):
        """str(self)"""
        if self._denominator == 1:
            return str(self._numerator)
        return f'{self._numerator}/{self._denominator}'

    def __format__(self, format_spec):
        if not format_spec:
            return str(self)
        raise TypeError('unsupported format string passed to '
                        f'{type(self).__name__}.__format__')

    # -- arithmetic

    def _operator(monomorphic, fallback):
        def forward(a, b):
            if isinstance(b, (int, Fraction)):
                return monomorphic(a, b)
            if isinstance(b, float):
                return fallback(float(a), b)
            if isinstance(b, complex):
                return fallback(complex(a), b)
            return NotImplemented
        forward.__name__ = '__' + fallback.__name__ + '__'

        def reverse(b, a):
            if isinstance(a, numbers.Rational):
                return monomorphic(Fraction(a), b)
            if isinstance(a, numbers.Real):
                return fallback(float(a), float(b))
            if isinstance(a, numbers.Complex):
                return fallback(complex(a), complex(b))
            return NotImplemented
        reverse.__name__ = '__r' + fallback.__name__ + '__'
        return forward, reverse

    def _add(a, b):
        na, da = a.numerator, a.denominator
        nb, db = b.numerator, b.denominator
        return Fraction(na * db + nb * da, da * db)

    __add__, __radd__ = _operator(_add, operator.add)

    def _sub(a, b):
        na, da = a.numerator, a.denominator
        nb, db = b.numerator, b.denominator
        return Fraction(na * db - nb * da, da * db)

    __sub__, __rsub__ = _operator(_sub, operator.sub)

    def _mul(a, b):
        return Fraction(a.numerator * b.numerator,
                        a.denominator * b.denominator)

    __mul__, __rmul__ = _operator(_mul, operator.mul)

    def _div(a, b):
        nb, db = b.numerator, b.denominator
        if nb == 0:
            raise ZeroDivisionError(f'Fraction({a.numerator * db}, 0)')
        return Fraction(a.numerator * db, a.denominator * nb)

    __truediv__, __rtruediv__ = _operator(_div, operator.truediv)

    def _floordiv(a, b):
        return (a.numerator * b.denominator) // (a.denominator * b.numerator)

    __floordiv__, __rfloordiv__ = _operator(_floordiv, operator.floordiv)

    def _divmod(a, b):
        da, db = a.denominator, b.denominator
        quotient, remainder = divmod(a.numerator * db, da * b.numerator)
        return quotient, Fraction(remainder, da * db)

    __divmod__, __rdivmod__ = _operator(_divmod, divmod)

    def _mod(a, b):
        da, db = a.denominator, b.denominator
        return Fraction((a.numerator * db) % (b.numerator * da), da * db)

    __mod__, __rmod__ = _operator(_mod, operator.mod)

    del _operator, _add, _sub, _mul, _div, _floordiv, _divmod, _mod

    def __pow__(a, b):
        """a ** b"""
        if isinstance(b, (int, Fraction)) and b.denominator == 1:
            power = b.numerator
            if power >= 0:
                return Fraction(a._numerator ** power,
                                a._denominator ** power, _normalize=False)
            if a._numerator >= 0:
                return Fraction(a._denominator ** -power,
                                a._numerator ** -power, _normalize=False)
            return Fraction((-a._denominator) ** -power,
                            (-a._numerator) ** -power, _normalize=False)
        if isinstance(b, (int, Fraction)):
            return float(a) ** float(b)
        if isinstance(b, (float, complex)):
            return float(a) ** b
        return NotImplemented

    def __rpow__(b, a):
        """a ** b"""
        if b._denominator == 1 and b._numerator >= 0:
            return a ** b._numerator
        if isinstance(a, numbers.Rational):
            return Fraction(a.numerator, a.denominator) ** b
        if b._denominator == 1:
            return a ** b._numerator
        return a ** float(b)

    def __pos__(a):
        """+a: Coerces a subclass instance to Fraction"""
        return Fraction(a._numerator, a._denominator, _normalize=False)

    def __neg__(a):
        """-a"""
        return Fraction(-a._numerator, a._denominator, _normalize=False)

    def __abs__(a):
        """abs(a)"""
        return Fraction(abs(a._numerator), a._denominator, _normalize=False)

    def __int__(a):
        """int(a)"""
        if a._numerator < 0:
            return -(-a._numerator // a._denominator)
        return a._numerator // a._denominator

    def __trunc__(a):
        """math.trunc(a)"""
        return a.__int__()

    def __floor__(a):
        """math.floor(a)"""
        return a._numerator // a._denominator

    def __ceil__(a):
        """math.ceil(a)"""
        return -(-a._numerator // a._denominator)

    def __round__(self, ndigits=None):
        """round(self, ndigits); halfway cases go to the even neighbour."""
        if ndigits is None:
            floor, remainder = divmod(self._numerator, self._denominator)
            twice = remainder * 2
            if twice < self._denominator:
                return floor
            if twice > self._denominator:
                return floor + 1
            return floor if floor % 2 == 0 else floor + 1
        shift = 10 ** abs(ndigits)
        if ndigits > 0:
            return Fraction(round(self * shift), shift)
        return Fraction(round(self / shift) * shift)

    def __hash__(self):
        """hash(self), equal to the hash of an equal int or float."""
        inverse = pow(self._denominator, _HASH_MODULUS - 2, _HASH_MODULUS)
        if not inverse:
            result = _HASH_INF
        else:
            result = hash(hash(abs(self._numerator)) * inverse)
        if self._numerator < 0:
            result = -result
        return -2 if result == -1 else result

    def __eq__(a, b):
        """a == b"""
        if type(b) is int:
            return a._numerator == b and a._denominator == 1
        if isinstance(b, numbers.Rational):
            return (a._numerator == b.numerator and
                    a._denominator == b.denominator)
        if isinstance(b, numbers.Complex) and b.imag == 0:
            b = b.real
        if isinstance(b, float):
            if math.isnan(b) or math.isinf(b):
                return 0.0 == b
            return a == a.from_float(b)
        return NotImplemented

    def _richcmp(self, other, op):
        if isinstance(other, numbers.Rational):
            return op(self._numerator * other.denominator,
                      self._denominator * other.numerator)
        if isinstance(other, float):
            if math.isnan(other) or math.isinf(other):
                return op(0.0, other)
            return op(self, self.from_float(other))
        return NotImplemented

    def __lt__(a, b):
        """a < b"""
        return a._richcmp(b, operator.lt)

    def __gt__(a, b):
        """a > b"""
        return a._richcmp(b, operator.gt)

    def __le__(a, b):
        """a <= b"""
        return a._richcmp(b, operator.le)

    def __ge__(a, b):
        """a >= b"""
        return a._richcmp(b, operator.ge)

    def __bool__(a):
        """a != 0"""
        return bool(a._numerator)

    def __float__(a):
        return a._numerator / a._denominator

    def __complex__(a):
        return complex(float(a))

    @property
    def real(self):
        return +self

    @property
    def imag(self):
        return 0

    def conjugate(self):
        return +self

    def __reduce__(self):
        return (self.__class__, (self._numerator, self._denominator))

    def __copy__(self):
        if type(self) == Fraction:
            return self
        return self.__class__(self._numerator, self._denominator)

    def __deepcopy__(self, memo):
        if type(self) == Fraction:
            return self
        return self.__class__(self._numerator, self._denominator)
