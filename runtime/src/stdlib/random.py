"""Pseudo-random numbers (random module).

Owns CPython's seeding of the Mersenne Twister (MT19937): ints by their
32-bit words, str/bytes through SHA-512, as version 2 does, so a seed gives
the same sequences as CPython. The generator itself is native
(`_twister`, runtime/src/objects/twister.rs), so that threads drawing
from one instance at once each get whole draws; here are the Random
methods built on it: random, getrandbits, randrange/randint, choice/choices, shuffle,
sample, uniform, the distributions (gauss, normalvariate, expovariate, ...),
getstate/setstate and randbytes; plus the module-level functions bound to
one shared instance.
"""

import math as _math
from _twister import twister as _twister
from bisect import bisect_right as _bisect_right
from itertools import accumulate as _accumulate, repeat as _repeat

__all__ = ['Random', 'SystemRandom', 'betavariate', 'choice', 'choices',
           'expovariate', 'gammavariate', 'gauss', 'getrandbits', 'getstate',
           'lognormvariate', 'normalvariate', 'paretovariate', 'randbytes',
           'randint', 'random', 'randrange', 'sample', 'seed', 'setstate',
           'shuffle', 'triangular', 'uniform', 'vonmisesvariate',
           'weibullvariate']

_log = _math.log
_exp = _math.exp
_pi = _math.pi
_e = _math.e
_cos = _math.cos
_sin = _math.sin
_sqrt = _math.sqrt
_acos = _math.acos
_floor = _math.floor
_ceil = _math.ceil
_isfinite = _math.isfinite

NV_MAGICCONST = 4 * _exp(-0.5) / _sqrt(2.0)
TWOPI = 2.0 * _pi
LOG4 = _log(4.0)
SG_MAGICCONST = 1.0 + _log(4.5)
BPF = 53
RECIP_BPF = 2 ** -BPF

_N = 624
_MASK32 = 0xffffffff


# ---------------------------------------------------------------- SHA-512

_SHA512_K = [
    0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f,
    0xe9b5dba58189dbbc, 0x3956c25bf348b538, 0x59f111f1b605d019,
    0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242,
    0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2,
    0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235,
    0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3,
    0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65, 0x2de92c6f592b0275,
    0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
    0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f,
    0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
    0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc,
    0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df,
    0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6,
    0x92722c851482353b, 0xa2bfe8a14cf10364, 0xa81a664bbc423001,
    0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218,
    0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
    0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99,
    0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb,
    0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc,
    0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
    0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915,
    0xc67178f2e372532b, 0xca273eceea26619c, 0xd186b8c721c0c207,
    0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba,
    0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
    0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc,
    0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a,
    0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
]

_SHA512_START = [
    0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b,
    0xa54ff53a5f1d36f1, 0x510e527fade682d1, 0x9b05688c2b3e6c1f,
    0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
]

_MASK64 = 0xffffffffffffffff


def _rotate_right(value, count):
    return ((value >> count) | (value << (64 - count))) & _MASK64


def _sha512(data):
    """The SHA-512 digest of `data` (bytes), as bytes."""
    message = bytearray(data)
    bit_length = len(message) * 8
    message.append(0x80)
    while len(message) % 128 != 112:
        message.append(0)
    message += bit_length.to_bytes(16, 'big')
    state = list(_SHA512_START)
    for block_start in range(0, len(message), 128):
        words = [int.from_bytes(message[block_start + 8 * i:
                                        block_start + 8 * i + 8], 'big')
                 for i in range(16)]
        for i in range(16, 80):
            w15 = words[i - 15]
            w2 = words[i - 2]
            s0 = _rotate_right(w15, 1) ^ _rotate_right(w15, 8) ^ (w15 >> 7)
            s1 = _rotate_right(w2, 19) ^ _rotate_right(w2, 61) ^ (w2 >> 6)
            words.append((words[i - 16] + s0 + words[i - 7] + s1) & _MASK64)
        a, b, c, d, e, f, g, h = state
        for i in range(80):
            sum1 = _rotate_right(e, 14) ^ _rotate_right(e, 18) ^ \
                _rotate_right(e, 41)
            choose = (e & f) ^ (~e & _MASK64 & g)
            temp1 = (h + sum1 + choose + _SHA512_K[i] + words[i]) & _MASK64
            sum0 = _rotate_right(a, 28) ^ _rotate_right(a, 34) ^ \
                _rotate_right(a, 39)
            majority = (a & b) ^ (a & c) ^ (b & c)
            temp2 = (sum0 + majority) & _MASK64
            h, g, f, e, d, c, b, a = (g, f, e, (d + temp1) & _MASK64, c, b, a,
                                      (temp1 + temp2) & _MASK64)
        state = [(old + new) & _MASK64
                 for old, new in zip(state, (a, b, c, d, e, f, g, h))]
    return b''.join(word.to_bytes(8, 'big') for word in state)


# ---------------------------------------------------------------- the generator

def _index(value, position):
    if isinstance(value, int):
        return value
    method = getattr(type(value), '__index__', None)
    if method is not None:
        return method(value)
    try:
        as_int = int(value)
    except (TypeError, ValueError):
        raise TypeError(f"'{type(value).__name__}' object cannot be "
                        'interpreted as an integer') from None
    if as_int != value:
        raise ValueError(f'non-integer arg {position} for randrange()')
    return as_int


class Random:
    """Random number generator base class used by bound module functions.

    A Mersenne Twister with CPython's seeding and state format.
    """

    VERSION = 3

    def __init__(self, x=None):
        # The generator itself is native (`_twister`): each draw is one
        # atomic call, so threads sharing an instance (the module's own)
        # never see it half-updated.
        self._gen = _twister([0])
        self.seed(x)
        self.gauss_next = None

    # -- the core

    def _genrand32(self):
        return self._gen.next32()

    def seed(self, a=None, version=2):
        """Initialize internal state from a seed."""
        if a is None:
            import time
            a = int(time.time() * 1000000) ^ id(self)
        elif version == 1 and isinstance(a, (str, bytes)):
            text = a.decode('latin-1') if isinstance(a, bytes) else a
            x = ord(text[0]) << 7 if text else 0
            for char in map(ord, text):
                x = ((1000003 * x) ^ char) & 0xFFFFFFFFFFFFFFFF
            x ^= len(text)
            a = -2 if x == -1 else x
        elif version == 2 and isinstance(a, (str, bytes, bytearray)):
            if isinstance(a, str):
                a = a.encode()
            a = int.from_bytes(a + _sha512(a), 'big')
        elif not isinstance(a, (int, float, str, bytes, bytearray)):
            raise TypeError('The only supported seed types are: None,\n'
                            'int, float, str, bytes, and bytearray.')
        if isinstance(a, int):
            a = abs(a)
        else:
            # Other seeds use their hash, read as an unsigned word.
            a = hash(a) & 0xFFFFFFFFFFFFFFFF
        key = []
        while a:
            key.append(a & _MASK32)
            a >>= 32
        if not key:
            key = [0]
        self._gen.seed(key)
        self.gauss_next = None

    def random(self):
        """random() -> x in the interval [0, 1)."""
        return self._gen.random()

    def getrandbits(self, k):
        """getrandbits(k) -> x.  Generates an int with k random bits."""
        if not isinstance(k, int):
            raise TypeError(f"'{type(k).__name__}' object cannot be "
                            'interpreted as an integer')
        if k < 0:
            raise ValueError('number of bits must be non-negative')
        if k == 0:
            return 0
        if k <= 32:
            return self._gen.next32() >> (32 - k)
        result = 0
        shift = 0
        remaining = k
        while remaining > 0:
            word = self._gen.next32()
            if remaining < 32:
                word >>= 32 - remaining
            result |= word << shift
            shift += 32
            remaining -= 32
        return result

    def getstate(self):
        """Return internal state; can be passed to setstate() later."""
        return self.VERSION, self._gen.getstate(), self.gauss_next

    def setstate(self, state):
        """Restore internal state from object returned by getstate()."""
        version = state[0]
        if version == 3:
            version, internal, self.gauss_next = state
        elif version == 2:
            version, internal, self.gauss_next = state
            internal = tuple(x % (2 ** 32) for x in internal)
        else:
            raise ValueError(f'state with version {version} passed to '
                             f'Random.setstate() of version {self.VERSION}')
        if len(internal) != _N + 1:
            raise ValueError('state vector is the wrong size')
        index = internal[_N]
        if not 0 <= index <= _N:
            raise ValueError('invalid state')
        self._gen.setstate(internal[:_N], index)

    def __getstate__(self):
        return self.getstate()

    def __setstate__(self, state):
        self.setstate(state)

    def __reduce__(self):
        return self.__class__, (), self.getstate()

    # -- integers

    def _randbelow(self, n):
        """Return a random int in the range [0,n).  Defined for n > 0."""
        k = n.bit_length()
        r = self.getrandbits(k)
        while r >= n:
            r = self.getrandbits(k)
        return r

    def randrange(self, start, stop=None, step=1):
        """Choose a random item from range(stop) or range(start, stop[,
        step])."""
        istart = _index(start, 1)
        if stop is None:
            if step != 1:
                raise TypeError('Missing a non-None stop argument')
            if istart > 0:
                return self._randbelow(istart)
            raise ValueError('empty range for randrange()')
        istop = _index(stop, 2)
        width = istop - istart
        istep = _index(step, 3)
        if istep == 1:
            if width > 0:
                return istart + self._randbelow(width)
            raise ValueError(f'empty range for randrange() ({istart}, '
                             f'{istop}, {width})')
        if istep > 0:
            n = (width + istep - 1) // istep
        elif istep < 0:
            n = (width + istep + 1) // istep
        else:
            raise ValueError('zero step for randrange()')
        if n <= 0:
            raise ValueError('empty range for randrange()')
        return istart + istep * self._randbelow(n)

    def randint(self, a, b):
        """Return random integer in range [a, b], including both end
        points."""
        return self.randrange(a, b + 1)

    def randbytes(self, n):
        """Generate n random bytes."""
        return self.getrandbits(n * 8).to_bytes(n, 'little')

    # -- sequences

    def choice(self, seq):
        """Choose a random element from a non-empty sequence."""
        if not len(seq):
            raise IndexError('Cannot choose from an empty sequence')
        return seq[self._randbelow(len(seq))]

    def shuffle(self, x):
        """Shuffle list x in place, and return None."""
        randbelow = self._randbelow
        for i in reversed(range(1, len(x))):
            j = randbelow(i + 1)
            x[i], x[j] = x[j], x[i]

    def sample(self, population, k, *, counts=None):
        """Chooses k unique random elements from a population sequence."""
        if not isinstance(population, (list, tuple, str, range, bytes,
                                       bytearray)) and \
                not (hasattr(population, '__getitem__')
                     and hasattr(population, '__len__')
                     and not isinstance(population, (dict, set, frozenset))):
            raise TypeError('Population must be a sequence.  For dicts or '
                            'sets, use sorted(d).')
        n = len(population)
        if counts is not None:
            cum_counts = list(_accumulate(counts))
            if len(cum_counts) != n:
                raise ValueError('The number of counts does not match the '
                                 'population')
            total = cum_counts.pop() if cum_counts else 0
            if not isinstance(total, int):
                raise TypeError('Counts must be integers')
            if total <= 0:
                raise ValueError('Total of counts must be greater than zero')
            selections = self.sample(range(total), k=k)
            return [population[_bisect_right(cum_counts, s)]
                    for s in selections]
        randbelow = self._randbelow
        if not 0 <= k <= n:
            raise ValueError('Sample larger than population or is negative')
        result = [None] * k
        setsize = 21
        if k > 5:
            setsize += 4 ** _ceil(_log(k * 3, 4))
        if n <= setsize:
            pool = list(population)
            for i in range(k):
                j = randbelow(n - i)
                result[i] = pool[j]
                pool[j] = pool[n - i - 1]
        else:
            selected = set()
            for i in range(k):
                j = randbelow(n)
                while j in selected:
                    j = randbelow(n)
                selected.add(j)
                result[i] = population[j]
        return result

    def choices(self, population, weights=None, *, cum_weights=None, k=1):
        """Return a k sized list of population elements chosen with
        replacement."""
        random = self.random
        n = len(population)
        if cum_weights is None:
            if weights is None:
                n += 0.0
                return [population[_floor(random() * n)]
                        for _ in _repeat(None, k)]
            try:
                cum_weights = list(_accumulate(weights))
            except TypeError:
                if not isinstance(weights, int):
                    raise
                raise TypeError(f'The number of choices must be a keyword '
                                f'argument: k={weights}') from None
        elif weights is not None:
            raise TypeError('Cannot specify both weights and cumulative '
                            'weights')
        if len(cum_weights) != n:
            raise ValueError('The number of weights does not match the '
                             'population')
        total = cum_weights[-1] + 0.0
        if total <= 0.0:
            raise ValueError('Total of weights must be greater than zero')
        if not _isfinite(total):
            raise ValueError('Total of weights must be finite')
        hi = n - 1
        return [population[_bisect_right(cum_weights, random() * total, 0,
                                         hi)]
                for _ in _repeat(None, k)]

    # -- real-valued distributions

    def uniform(self, a, b):
        """Get a random number in the range [a, b) or [a, b] depending on
        rounding."""
        return a + (b - a) * self.random()

    def triangular(self, low=0.0, high=1.0, mode=None):
        """Triangular distribution."""
        u = self.random()
        try:
            c = 0.5 if mode is None else (mode - low) / (high - low)
        except ZeroDivisionError:
            return low
        if u > c:
            u = 1.0 - u
            c = 1.0 - c
            low, high = high, low
        return low + (high - low) * _sqrt(u * c)

    def normalvariate(self, mu=0.0, sigma=1.0):
        """Normal distribution (Kinderman and Monahan's method)."""
        random = self.random
        while True:
            u1 = random()
            u2 = 1.0 - random()
            z = NV_MAGICCONST * (u1 - 0.5) / u2
            zz = z * z / 4.0
            if zz <= -_log(u2):
                break
        return mu + z * sigma

    def gauss(self, mu=0.0, sigma=1.0):
        """Gaussian distribution (Box-Muller, keeping the second value)."""
        random = self.random
        z = self.gauss_next
        self.gauss_next = None
        if z is None:
            x2pi = random() * TWOPI
            g2rad = _sqrt(-2.0 * _log(1.0 - random()))
            z = _cos(x2pi) * g2rad
            self.gauss_next = _sin(x2pi) * g2rad
        return mu + z * sigma

    def lognormvariate(self, mu, sigma):
        """Log normal distribution."""
        return _exp(self.normalvariate(mu, sigma))

    def expovariate(self, lambd):
        """Exponential distribution."""
        return -_log(1.0 - self.random()) / lambd

    def vonmisesvariate(self, mu, kappa):
        """Circular data distribution."""
        random = self.random
        if kappa <= 1e-6:
            return TWOPI * random()
        s = 0.5 / kappa
        r = s + _sqrt(1.0 + s * s)
        while True:
            u1 = random()
            z = _cos(_pi * u1)
            d = z / (r + z)
            u2 = random()
            if u2 < 1.0 - d * d or u2 <= (1.0 - d) * _exp(d):
                break
        q = 1.0 / r
        f = (q + z) / (1.0 + q * z)
        u3 = random()
        if u3 > 0.5:
            theta = (mu + _acos(f)) % TWOPI
        else:
            theta = (mu - _acos(f)) % TWOPI
        return theta

    def gammavariate(self, alpha, beta):
        """Gamma distribution (not the gamma function)."""
        if alpha <= 0.0 or beta <= 0.0:
            raise ValueError('gammavariate: alpha and beta must be > 0.0')
        random = self.random
        if alpha > 1.0:
            ainv = _sqrt(2.0 * alpha - 1.0)
            bbb = alpha - LOG4
            ccc = alpha + ainv
            while True:
                u1 = random()
                if not 1e-7 < u1 < 0.9999999:
                    continue
                u2 = 1.0 - random()
                v = _log(u1 / (1.0 - u1)) / ainv
                x = alpha * _exp(v)
                z = u1 * u1 * u2
                r = bbb + ccc * v - x
                if r + SG_MAGICCONST - 4.5 * z >= 0.0 or r >= _log(z):
                    return x * beta
        elif alpha == 1.0:
            return -_log(1.0 - random()) * beta
        else:
            while True:
                u = random()
                b = (_e + alpha) / _e
                p = b * u
                if p <= 1.0:
                    x = p ** (1.0 / alpha)
                else:
                    x = -_log((b - p) / alpha)
                u1 = random()
                if p > 1.0:
                    if u1 <= x ** (alpha - 1.0):
                        break
                elif u1 <= _exp(-x):
                    break
            return x * beta

    def betavariate(self, alpha, beta):
        """Beta distribution."""
        y = self.gammavariate(alpha, 1.0)
        if y:
            return y / (y + self.gammavariate(beta, 1.0))
        return 0.0

    def paretovariate(self, alpha):
        """Pareto distribution."""
        u = 1.0 - self.random()
        return u ** (-1.0 / alpha)

    def weibullvariate(self, alpha, beta):
        """Weibull distribution."""
        u = 1.0 - self.random()
        return alpha * (-_log(u)) ** (1.0 / beta)


class SystemRandom(Random):
    """Random numbers from a time-seeded generator (protoPython has no
    operating-system entropy source)."""

    def seed(self, *args, **kwds):
        super().seed(None)

    def getstate(self, *args, **kwds):
        raise NotImplementedError('System entropy source does not have '
                                  'state.')

    setstate = getstate


_inst = Random()
seed = _inst.seed
random = _inst._gen.random  # the native draw itself: one call, not two
uniform = _inst.uniform
triangular = _inst.triangular
randint = _inst.randint
choice = _inst.choice
randrange = _inst.randrange
sample = _inst.sample
shuffle = _inst.shuffle
choices = _inst.choices
normalvariate = _inst.normalvariate
lognormvariate = _inst.lognormvariate
expovariate = _inst.expovariate
vonmisesvariate = _inst.vonmisesvariate
gammavariate = _inst.gammavariate
gauss = _inst.gauss
betavariate = _inst.betavariate
paretovariate = _inst.paretovariate
weibullvariate = _inst.weibullvariate
getstate = _inst.getstate
setstate = _inst.setstate
getrandbits = _inst.getrandbits
randbytes = _inst.randbytes
