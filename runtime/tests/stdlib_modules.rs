//! Standard-library modules written in Python (runtime/src/stdlib/):
//! a few behaviours of each, with outputs taken from CPython 3.11.

mod common;

#[test]
fn every_embedded_module_imports() {
    for (name, _) in runtime::stdlib::SOURCES {
        let source = format!("import {name}\nprint('ok')\n");
        assert_eq!(common::stdout_of(&source), "ok\n", "importing {name}");
    }
}

#[test]
fn functools_module() {
    let source = r#"import functools, operator
print(functools.reduce(operator.add, [1, 2, 3], 10))
p = functools.partial(int, base=2)
print(p("101"), repr(functools.partial(max, 1, key=abs)).startswith("functools.partial(<built-in function max>"))
@functools.lru_cache(maxsize=2)
def square(x): return x * x
print(square(2), square(3), square(2), square.cache_info())
@functools.total_ordering
class V:
    def __init__(self, v): self.v = v
    def __eq__(self, o): return self.v == o.v
    def __lt__(self, o): return self.v < o.v
print(V(1) <= V(2), V(3) >= V(4))
print(sorted([3, 1, 2], key=functools.cmp_to_key(lambda a, b: b - a)))
@functools.singledispatch
def kind(x): return "object"
@kind.register
def _(x: int): return "int"
print(kind(1), kind("s"))
try:
    functools.reduce(operator.add, [])
except TypeError as e:
    print(e)
"#;
    let expected = r#"16
5 True
4 9 4 CacheInfo(hits=1, misses=2, maxsize=2, currsize=2)
True False
[3, 2, 1]
int object
reduce() of empty iterable with no initial value
"#;
    assert_eq!(common::stdout_of(source), expected);
}

#[test]
fn operator_module() {
    let source = r#"import operator
print(operator.itemgetter(1, 0)("ab"), operator.attrgetter("real")(3), operator.methodcaller("split", ",")("a,b"))
print(repr(operator.itemgetter(1)), repr(operator.attrgetter("a.b")), operator.index(7), operator.length_hint([1, 2]))
try:
    operator.index("x")
except TypeError as e:
    print(e)
"#;
    let expected = r#"('b', 'a') 3 ['a', 'b']
operator.itemgetter(1) operator.attrgetter('a.b') 7 2
'str' object cannot be interpreted as an integer
"#;
    assert_eq!(common::stdout_of(source), expected);
}

#[test]
fn itertools_module() {
    let source = r#"import itertools as it
print(list(it.islice(it.count(5, 2), 3)), list(it.accumulate([1, 2, 3])), list(it.chain.from_iterable(["ab", "c"])))
print([(k, len(list(g))) for k, g in it.groupby("aabccc")], list(it.combinations("abc", 2)))
print(list(it.permutations([1, 2, 3], 2))[:3], len(list(it.product(range(3), repeat=2))), list(it.zip_longest("ab", "x", fillvalue="-")))
print(list(it.pairwise([1, 2, 3])), [list(t) for t in it.tee([1, 2], 2)], repr(it.repeat(1, 2)), repr(it.count(1, 2)))
try:
    it.islice([], -1)
except ValueError as e:
    print(e)
"#;
    let expected = r#"[5, 7, 9] [1, 3, 6] ['a', 'b', 'c']
[('a', 2), ('b', 1), ('c', 3)] [('a', 'b'), ('a', 'c'), ('b', 'c')]
[(1, 2), (1, 3), (2, 1)] 9 [('a', 'x'), ('b', '-')]
[(1, 2), (2, 3)] [[1, 2], [1, 2]] repeat(1, 2) count(1, 2)
Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize.
"#;
    assert_eq!(common::stdout_of(source), expected);
}

#[test]
fn collections_module() {
    let source = r#"from collections import deque, defaultdict, Counter, OrderedDict, namedtuple, ChainMap
d = deque([1, 2, 3], maxlen=3); d.append(4); d.appendleft(0); d.rotate(1)
print(d, d.maxlen, list(reversed(d)))
dd = defaultdict(list); dd["a"].append(1)
print(dd, Counter("abracadabra").most_common(2), Counter(a=3) - Counter(a=1, b=2))
od = OrderedDict(a=1, b=2); od.move_to_end("a")
print(od, od.popitem(last=False))
P = namedtuple("P", "x y", defaults=[0])
p = P(1)
print(p, p._replace(y=5), p._asdict(), P._fields, isinstance(p, tuple))
try:
    p.x = 2
except AttributeError as e:
    print(e)
print(ChainMap({"a": 1}, {"a": 2, "b": 3})["b"], len(ChainMap({"a": 1}, {"a": 2})))
"#;
    let expected = r#"deque([3, 0, 2], maxlen=3) 3 [2, 0, 3]
defaultdict(<class 'list'>, {'a': [1]}) [('a', 5), ('b', 2)] Counter({'a': 2})
OrderedDict([('a', 1)]) ('b', 2)
P(x=1, y=0) P(x=1, y=5) {'x': 1, 'y': 0} ('x', 'y') True
can't set attribute
3 1
"#;
    assert_eq!(common::stdout_of(source), expected);
}

#[test]
fn collections_abc_module() {
    let source = r#"from collections.abc import Iterable, Iterator, Sequence, Mapping, MutableMapping, Hashable, Sized, Callable, Generator
def g(): yield 1
print(isinstance([], Sequence), isinstance({}, Mapping), isinstance({}, MutableMapping), isinstance([], Hashable))
print(isinstance(iter([]), Iterator), isinstance(g(), Generator), isinstance(len, Callable), isinstance(3, Iterable))
class Box:
    def __len__(self): return 1
print(isinstance(Box(), Sized), issubclass(Box, Iterable))
"#;
    let expected = r#"True True True False
True True True False
True False
"#;
    assert_eq!(common::stdout_of(source), expected);
}

#[test]
fn abc_module() {
    let source = r#"from abc import ABC, abstractmethod
class Shape(ABC):
    @abstractmethod
    def area(self): ...
    @abstractmethod
    def name(self): ...
class Half(Shape):
    def area(self): return 1
for cls in (Shape, Half):
    try:
        cls()
    except TypeError as e:
        print(e)
class Virtual(ABC): pass
Virtual.register(int)
print(isinstance(1, Virtual), issubclass(str, Virtual), sorted(Shape.__abstractmethods__))
"#;
    let expected = r#"Can't instantiate abstract class Shape with abstract methods area, name
Can't instantiate abstract class Half with abstract method name
True False ['area', 'name']
"#;
    assert_eq!(common::stdout_of(source), expected);
}

#[test]
fn copy_module() {
    let source = r#"import copy
a = [1, [2, 3]]
b, c = copy.copy(a), copy.deepcopy(a)
a[1].append(4)
print(b, c)
r = [1]; r.append(r)
d = copy.deepcopy(r)
print(d[1] is d, d is not r)
class C:
    def __init__(self): self.items = [1]
x = copy.deepcopy(C())
print(x.items)
"#;
    let expected = r#"[1, [2, 3, 4]] [1, [2, 3]]
True True
[1]
"#;
    assert_eq!(common::stdout_of(source), expected);
}

#[test]
fn contextlib_module() {
    let source = r#"import contextlib, io
@contextlib.contextmanager
def tag(name):
    print("<" + name + ">")
    try:
        yield name
    finally:
        print("</" + name + ">")
with tag("a") as t:
    print("body", t)
with contextlib.suppress(KeyError):
    {}["x"]
buf = io.StringIO()
with contextlib.redirect_stdout(buf):
    print("captured")
print(repr(buf.getvalue()))
with contextlib.ExitStack() as stack:
    stack.callback(print, "closed last")
    stack.enter_context(tag("b"))
"#;
    let expected = r#"<a>
body a
</a>
'captured\n'
<b>
</b>
closed last
"#;
    assert_eq!(common::stdout_of(source), expected);
}

#[test]
fn string_module() {
    let source = r#"import string
print(string.ascii_letters[:3], string.digits, string.capwords("hello  world"))
t = string.Template("$who likes ${what}, $$")
print(t.substitute(who="Tim", what="tea"), t.safe_substitute(who="Al"))
print(string.Formatter().format("{0}-{x}", 1, x=2), list(string.Formatter().parse("a{b:>3}")))
"#;
    let expected = r#"abc 0123456789 Hello World
Tim likes tea, $ Al likes ${what}, $
1-2 [('a', 'b', '>3', None)]
"#;
    assert_eq!(common::stdout_of(source), expected);
}

#[test]
fn io_module() {
    let source = r#"import io
s = io.StringIO()
print("hello", file=s)
s.write("second\n")
s.seek(0)
print(repr(s.readline()), s.tell(), s.read(), list(io.StringIO("a\nb")))
b = io.BytesIO(b"abc")
b.seek(1)
print(b.read(), b.getvalue())
"#;
    let expected = r#"'hello\n' 6 second
 ['a\n', 'b']
b'bc' b'abc'
"#;
    assert_eq!(common::stdout_of(source), expected);
}

#[test]
fn heapq_bisect_module() {
    let source = r#"import heapq, bisect
h = [5, 1, 8, 3]
heapq.heapify(h)
print(h, heapq.heappop(h), heapq.nsmallest(2, [4, 2, 9]), list(heapq.merge([1, 4], [2, 3])))
a = [1, 3, 3, 7]
print(bisect.bisect_left(a, 3), bisect.bisect_right(a, 3))
bisect.insort(a, 5)
print(a)
"#;
    let expected = r#"[3, 5, 8] 1 [2, 4] [1, 2, 3, 4]
1 3
[1, 3, 3, 5, 7]
"#;
    assert_eq!(common::stdout_of(source), expected);
}

#[test]
fn types_module() {
    let source = r#"import types
ns = types.SimpleNamespace(a=1, b="x")
print(ns, ns == types.SimpleNamespace(a=1, b="x"))
mp = types.MappingProxyType({"k": 1})
print(mp, mp["k"])
def g(): yield
print(isinstance(g(), types.GeneratorType), isinstance(g, types.FunctionType), types.NoneType)
"#;
    let expected = r#"namespace(a=1, b='x') True
{'k': 1} 1
True True <class 'NoneType'>
"#;
    assert_eq!(common::stdout_of(source), expected);
}

#[test]
fn typing_module() {
    let source = r#"from typing import List, Dict, Optional, Union, Callable, TypeVar, Generic, NamedTuple, Any
T = TypeVar("T")
class Stack(Generic[T]):
    def __init__(self): self.items: List[T] = []
print(List[int], Dict[str, int], Optional[int], Union[int, str], Callable[[int], str], T, Any)
print(Optional[int] == Union[int, None], Stack[int], Stack.__parameters__)
class Emp(NamedTuple):
    name: str
    dept: str = "eng"
print(Emp("ann"), Emp.__annotations__)
"#;
    let expected = r#"typing.List[int] typing.Dict[str, int] typing.Optional[int] typing.Union[int, str] typing.Callable[[int], str] ~T typing.Any
True __main__.Stack[int] (~T,)
Emp(name='ann', dept='eng') {'name': <class 'str'>, 'dept': <class 'str'>}
"#;
    assert_eq!(common::stdout_of(source), expected);
}

#[test]
fn dataclasses_module() {
    let source = r#"from dataclasses import dataclass, field, asdict, astuple, replace, fields, FrozenInstanceError
@dataclass(order=True)
class P:
    x: int
    y: int = 0
    tags: list = field(default_factory=list, compare=False)
print(P(1), P(1, 2) < P(2), asdict(P(1, 2)), astuple(P(3)), replace(P(1), y=9), [f.name for f in fields(P)])
@dataclass(frozen=True)
class F:
    a: int
try:
    F(1).a = 2
except FrozenInstanceError as e:
    print(e)
try:
    P()
except TypeError as e:
    print(e)
"#;
    let expected = r#"P(x=1, y=0, tags=[]) True {'x': 1, 'y': 2, 'tags': []} (3, 0, []) P(x=1, y=9, tags=[]) ['x', 'y', 'tags']
cannot assign to field 'a'
P.__init__() missing 1 required positional argument: 'x'
"#;
    assert_eq!(common::stdout_of(source), expected);
}

#[test]
fn enum_module() {
    let source = r#"from enum import Enum, IntEnum, Flag, auto, unique
class Color(Enum):
    RED = 1
    GREEN = 2
print(Color.RED, repr(Color.GREEN), Color(1), Color["GREEN"], list(Color), len(Color))
class Perm(Flag):
    R = auto()
    W = auto()
print(Perm.R | Perm.W, repr(Perm(0)))
class Num(IntEnum):
    ONE = 1
print(Num.ONE + 1, repr(Num.ONE))
try:
    Color(5)
except ValueError as e:
    print(e)
"#;
    let expected = r#"Color.RED <Color.GREEN: 2> Color.RED Color.GREEN [<Color.RED: 1>, <Color.GREEN: 2>] 2
Perm.R|W <Perm: 0>
2 <Num.ONE: 1>
5 is not a valid Color
"#;
    assert_eq!(common::stdout_of(source), expected);
}

#[test]
fn textwrap_module() {
    let source = r#"import textwrap
print(textwrap.wrap("The quick brown fox jumps over the lazy dog", 15))
print(textwrap.fill("well-known hyphenated-words wrap", 12))
print(repr(textwrap.dedent("  a\n    b\n")), textwrap.shorten("Hello world, this is long", 15))
print(textwrap.indent("x\ny", "> "))
"#;
    let expected = r#"['The quick brown', 'fox jumps over', 'the lazy dog']
well-known
hyphenated-
words wrap
'a\n  b\n' Hello [...]
> x
> y
"#;
    assert_eq!(common::stdout_of(source), expected);
}

#[test]
fn statistics_module() {
    let source = r#"import statistics as st
print(st.mean([1, 2, 3, 4]), st.median([3, 1, 2]), st.mode([1, 1, 2]), st.variance([1, 2, 3, 4]))
print(st.stdev([1.5, 2.5, 2.5, 2.75, 3.25, 4.75]), st.pstdev([2, 4, 4, 4, 5, 5, 7, 9]), st.quantiles([1, 2, 3, 4, 5, 6, 7, 8]))
try:
    st.mean([])
except st.StatisticsError as e:
    print(e)
"#;
    let expected = r#"2.5 2 1 1.6666666666666667
1.0810874155219827 2.0 [2.25, 4.5, 6.75]
mean requires at least one data point
"#;
    assert_eq!(common::stdout_of(source), expected);
}

#[test]
fn random_module() {
    let source = r#"import random
random.seed(12345)
print(random.random(), random.randint(1, 100), random.choice("abcdefg"))
r = random.Random("a string seed")
print(r.random(), r.randrange(1000), r.sample(range(50), 3))
lst = list(range(8))
random.Random(7).shuffle(lst)
print(lst, round(random.Random(0).gauss(0, 1), 12), random.Random(42).getrandbits(40))
"#;
    let expected = r#"0.41661987254534116 2 g
0.5951446248069528 71 [28, 32, 43]
[6, 7, 2, 4, 0, 3, 1, 5] 0.941715404681 123005401501
"#;
    assert_eq!(common::stdout_of(source), expected);
}

#[test]
fn json_module() {
    let source = r#"import json
print(json.dumps({"a": [1, 2.5, None, True], "b": "é"}), json.dumps({"b": 1, "a": 2}, sort_keys=True, indent=2))
print(json.loads('{"x": [1, -2.5e3, "s\\n", null, false]}'))
try:
    json.loads('{"a": 1,}')
except json.JSONDecodeError as e:
    print(e)
try:
    json.dumps({1, 2})
except TypeError as e:
    print(e)
"#;
    let expected = r#"{"a": [1, 2.5, null, true], "b": "\u00e9"} {
  "a": 2,
  "b": 1
}
{'x': [1, -2500.0, 's\n', None, False]}
Expecting property name enclosed in double quotes: line 1 column 9 (char 8)
Object of type set is not JSON serializable
"#;
    assert_eq!(common::stdout_of(source), expected);
}

#[test]
fn fractions_module() {
    let source = r#"from fractions import Fraction
f = Fraction(3, 4)
print(f + Fraction(1, 4), f * 2, f / 3, f ** -2, Fraction("0.125"), Fraction(0.5), repr(f))
print(Fraction(355, 113).limit_denominator(10), round(Fraction(7, 2)), hash(Fraction(1, 2)) == hash(0.5), f < 0.8)
try:
    Fraction(1, 0)
except ZeroDivisionError as e:
    print(e)
"#;
    let expected = r#"1 3/2 1/4 16/9 1/8 1/2 Fraction(3, 4)
22/7 4 True True
Fraction(1, 0)
"#;
    assert_eq!(common::stdout_of(source), expected);
}

#[test]
fn decimal_module() {
    let source = r#"from decimal import Decimal, getcontext, localcontext, ROUND_HALF_UP, InvalidOperation
print(Decimal("0.1") + Decimal("0.2"), Decimal(1) / Decimal(7), Decimal("1.10") * 3, Decimal(0.5))
print(Decimal("2.675").quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), Decimal("100").normalize(), Decimal(2).sqrt())
with localcontext() as ctx:
    ctx.prec = 6
    print(Decimal(1) / Decimal(3))
print(hash(Decimal("2.5")) == hash(2.5), format(Decimal("1234.5678"), ",.2f"), repr(Decimal("-0")))
try:
    Decimal("abc")
except InvalidOperation as e:
    print(repr(e))
"#;
    let expected = r#"0.3 0.1428571428571428571428571429 3.30 0.5
2.68 1E+2 1.414213562373095048801688724
0.333333
True 1,234.57 Decimal('-0')
InvalidOperation([<class 'decimal.ConversionSyntax'>])
"#;
    assert_eq!(common::stdout_of(source), expected);
}

#[test]
fn inspect_module() {
    let source = r#"import inspect
def f(a, b=1, *args, c, d=2, **kw): yield a
print(inspect.signature(f), inspect.isgeneratorfunction(f), inspect.isfunction(f))
g = f(1, c=3)
print(inspect.getgeneratorstate(g))
next(g)
print(inspect.getgeneratorstate(g))
"#;
    let expected = r#"(a, b=1, *args, c, d=2, **kw) True True
GEN_CREATED
GEN_SUSPENDED
"#;
    assert_eq!(common::stdout_of(source), expected);
}

#[test]
fn future_annotations_module() {
    let source = r#"from __future__ import annotations
class Node:
    value: int
    def link(self, other: Node) -> Node: return other
print(Node.__annotations__, Node.link.__annotations__)
"#;
    let expected = r#"{'value': 'int'} {'other': 'Node', 'return': 'Node'}
"#;
    assert_eq!(common::stdout_of(source), expected);
}

#[test]
fn contextvars_module() {
    // Variables, defaults, tokens and their misuse, Context.run and its
    // re-entry, copies, and a new thread's own empty context.
    let source = r#"import contextvars, threading
from contextvars import ContextVar, Context, Token, copy_context
v = ContextVar("v", default=1)
w = ContextVar("w")
print(repr(v).split(" at ")[0], repr(w).split(" at ")[0], v.name, w.name)
print(v.get(), w.get(7))
try: w.get(default=8)
except TypeError as e: print("TypeError", e)
try: w.get()
except LookupError as e: print("LookupError", repr(e).split(" at ")[0])
t = w.set(3); print(w.get(), t.var is w, t.old_value is Token.MISSING, repr(Token.MISSING))
print(repr(t).split(" at ")[0])
w.reset(t); print(w.get(None), repr(t).split(" at ")[0])
try: w.reset(t)
except RuntimeError as e: print("RuntimeError", str(e).split(" at ")[0])
t2 = v.set(5)
try: w.reset(t2)
except ValueError as e: print("ValueError", str(e).split(" at ")[0])
try: v.reset(1)
except TypeError as e: print("TypeError", e)
ctx = copy_context()
print(type(ctx).__name__, v in ctx, w in ctx, ctx[v], ctx.get(w, "d"), len(ctx) >= 1, v in list(ctx), dict(ctx.items())[v])
def inner(x, y=0):
    v.set(x + y)
    return v.get()
print(ctx.run(inner, 10, y=1), v.get(), ctx[v])
try: ctx.run(lambda: ctx.run(lambda: 0))
except RuntimeError as e: print("RuntimeError", str(e).split(" at ")[0])
def in_ctx():
    t3 = v.set(99)
    return t3
t3 = ctx.run(in_ctx)
try: v.reset(t3)
except ValueError as e: print("ValueError", str(e).split(" at ")[0])
try: ctx[1]
except TypeError as e: print("TypeError", e)
try: ctx[w]
except KeyError as e: print("KeyError", repr(e).split(" at ")[0])
e = Context(); print(len(e), list(e), e.get(v), v in e)
print(e.run(v.get), e.run(lambda: w.get("none")))
try: Context(1)
except TypeError as err: print("TypeError", err)
try: ContextVar(1)
except TypeError as err: print("TypeError", err)
try:
    class X(ContextVar): pass
except TypeError as err: print("TypeError", err)
try: Token()
except RuntimeError as err: print("RuntimeError", err)
try: v.name = "x"
except AttributeError as err: print("AttributeError")
out = []
th = threading.Thread(target=lambda: out.append((v.get(), w.get("unset")))); th.start(); th.join()
print(out)
th = threading.Thread(target=ctx.run, args=(lambda: out.append(v.get()),)); th.start(); th.join()
print(out)
c2 = ctx.copy(); print(c2 == ctx, c2 is ctx, c2[v])
import collections.abc
print(isinstance(ctx, collections.abc.Mapping), ContextVar[int])
print(hash(v) == hash(v))
"#;
    assert_eq!(
        common::stdout_of(source),
        r#"<ContextVar name='v' default=1 <ContextVar name='w' v w
1 7
TypeError ContextVar.get() takes no keyword arguments
LookupError LookupError(<ContextVar name='w'
3 True True <Token.MISSING>
<Token var=<ContextVar name='w'
None <Token used var=<ContextVar name='w'
RuntimeError <Token used var=<ContextVar name='w'
ValueError <Token var=<ContextVar name='v' default=1
TypeError expected an instance of Token, got 1
Context True False 5 d True True 5
11 5 11
RuntimeError cannot enter context: <_contextvars.Context object
ValueError <Token var=<ContextVar name='v' default=1
TypeError a ContextVar key was expected, got 1
KeyError KeyError(<ContextVar name='w'
0 [] None False
1 none
TypeError Context() does not accept any arguments
TypeError context variable name must be a str
TypeError type '_contextvars.ContextVar' is not an acceptable base type
RuntimeError Tokens can only be created by ContextVars
AttributeError
[(1, 'unset')]
[(1, 'unset'), 99]
True False 99
False _contextvars.ContextVar[int]
True
"#
    );
}

#[test]
fn decimal_context_is_per_thread() {
    // The current decimal context is a context variable: a thread's
    // precision is its own, and localcontext restores the previous one.
    let source = r#"import threading, time
from decimal import Decimal, getcontext, localcontext
getcontext().prec = 5
results = {}
def work(k):
    getcontext().prec = 3 + k
    time.sleep(0.01)
    results[k] = str(Decimal(1) / Decimal(7))
threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
for t in threads: t.start()
for t in threads: t.join()
print(sorted(results.items()), Decimal(1) / Decimal(7))
with localcontext() as c:
    c.prec = 2
    print(Decimal(1) / Decimal(3))
print(Decimal(1) / Decimal(3))
"#;
    assert_eq!(
        common::stdout_of(source),
        "[(0, '0.143'), (1, '0.1429'), (2, '0.14286'), (3, '0.142857')] 0.14286\n0.33\n0.33333\n"
    );
}
