// node.test.mjs: the packed `protopython` npm package in Node 20 (in-process engine):
// output streaming, values both ways, globals, PythonError, state between runs,
// runAsync (sleep, interrupt, one run at a time), cross-thread interrupt of a
// synchronous run, Python threads. Run with PROTOPY_NPM_TARBALL=<.tgz> node --test.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';

import { installPackedPackage } from './support/install.mjs';

let installed;
let protopython;
let py;
const stdoutWrites = [];
const stderrWrites = [];

before(async () => {
  installed = await installPackedPackage();
  protopython = installed.module;
  py = await protopython.loadProtoPython({
    stdout: (text) => stdoutWrites.push(text),
    stderr: (text) => stderrWrites.push(text),
    argv: ['main.py', '--flag'],
  });
});

after(() => {
  py?.destroy();
  installed?.cleanup();
});

function takeStdout() {
  return stdoutWrites.splice(0).join('');
}

/** The PythonError `action` throws (or its promise rejects with). */
async function pythonErrorOf(action) {
  try {
    await action();
  } catch (error) {
    assert.ok(error instanceof protopython.PythonError, `expected a PythonError, got ${error}`);
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'PythonError');
    return error;
  }
  assert.fail('expected a PythonError');
}

describe('loading', () => {
  test('exports and engine info', () => {
    for (const name of ['loadProtoPython', 'loadProtoPythonWorker', 'ProtoPython', 'ProtoPythonWorker',
      'PythonError', 'PyObjectRef']) {
      assert.equal(typeof protopython[name], 'function', name);
    }
    assert.ok(py instanceof protopython.ProtoPython);
    assert.equal(py.threaded, false, 'Node uses the single-threaded build');
    assert.equal(py.parallelThreads, false, 'Python threads interleave in this build');
    assert.match(py.version, /^\d+\.\d+\.\d+/);
  });

  test('threads requested in Node still loads the single-threaded build', async () => {
    const other = await protopython.loadProtoPython({ threads: true });
    try {
      assert.equal(other.threaded, false);
      assert.equal(other.run('6 * 7'), 42);
      assert.equal(other.globals.has('flag_only_in_first'), false);
    } finally {
      other.destroy();
    }
  });

  test('loadProtoPythonWorker explains that Node has no Web Worker', async () => {
    await assert.rejects(protopython.loadProtoPythonWorker(), /Web Workers/);
  });

  test('the constructors are not for direct use', () => {
    assert.throws(() => new protopython.ProtoPython(), TypeError);
  });
});

describe('run', () => {
  test('print output streams through the stdout callback, one call or more per print', () => {
    takeStdout();
    const before = stdoutWrites.length;
    assert.equal(py.run('for i in range(5):\n    print("line", i)'), null);
    assert.ok(stdoutWrites.length - before >= 5, `expected at least 5 writes, got ${stdoutWrites.length - before}`);
    assert.equal(takeStdout(), 'line 0\nline 1\nline 2\nline 3\nline 4\n');
  });

  test('stderr goes to the stderr callback', () => {
    stderrWrites.splice(0);
    py.run('import sys\nsys.stderr.write("warning: é\\n")');
    assert.equal(stderrWrites.join(''), 'warning: é\n');
  });

  test('the value of the last expression, null after a statement', () => {
    assert.equal(py.run('x = 20\nx * 2 + 2'), 42);
    assert.equal(py.run('y = 1'), null);
    assert.equal(py.run('None'), null);
  });

  test('sys.argv comes from the argv option', () => {
    assert.deepEqual(py.run('import sys\nsys.argv'), ['main.py', '--flag']);
  });

  test('state persists between runs', () => {
    py.run('counter = 1\ndef bump(n):\n    global counter\n    counter += n\n    return counter');
    py.run('bump(2)');
    assert.equal(py.run('bump(3)'), 6);
    assert.equal(py.globals.get('counter'), 6);
  });

  test('beforeWait is called before the engine blocks, once output was written', async () => {
    const events = [];
    const other = await protopython.loadProtoPython({
      stdout: (text) => events.push(`out:${text}`),
      beforeWait: () => events.push('wait'),
    });
    try {
      // run() sleeps on the engine's own thread (Atomics.wait in Node): output first, then wait.
      other.run('import time\ntime.sleep(0.01)\nprint("a")\ntime.sleep(0.02)\ntime.sleep(0.01)\nprint("b")');
      const firstWait = events.indexOf('wait');
      assert.ok(firstWait > events.indexOf('out:a'), `events: ${events}`);
      assert.equal(events.filter((event) => event === 'wait').length, 1, `one call per output written: ${events}`);
      const printed = events.filter((event) => event.startsWith('out:')).map((event) => event.slice(4));
      assert.equal(printed.join(''), 'a\nb\n');
    } finally {
      other.destroy();
    }
  });
});

describe('Python to JS values', () => {
  test('numbers: small ints as numbers, big ints as BigInt, floats', () => {
    assert.equal(py.run('2**53 - 1'), 2 ** 53 - 1);
    assert.equal(py.run('-(2**53 - 1)'), -(2 ** 53 - 1));
    assert.equal(py.run('2**53'), 2n ** 53n);
    assert.equal(py.run('2**100'), 2n ** 100n);
    assert.equal(py.run('-(3**50)'), -(3n ** 50n));
    assert.equal(py.run('1.5'), 1.5);
    assert.equal(py.run('float("inf")'), Infinity);
    assert.ok(Number.isNaN(py.run('float("nan")')));
    assert.equal(py.run('7 // 2'), 3);
  });

  test('strings including non-ASCII, bools, None', () => {
    assert.equal(py.run('"héllo, wörld ✓ 🐍 日本"'), 'héllo, wörld ✓ 🐍 日本');
    assert.equal(py.run('"🐍" * 3'), '🐍🐍🐍');
    assert.equal(py.run('len("🐍")'), 1);
    assert.equal(py.run('True'), true);
    assert.equal(py.run('1 > 2'), false);
    assert.equal(py.run('None'), null);
  });

  test('lists and tuples become arrays, nested dicts plain objects', () => {
    assert.deepEqual(py.run('[1, "two", 3.5, None, [True]]'), [1, 'two', 3.5, null, [true]]);
    assert.deepEqual(py.run('(1, (2, 3), ())'), [1, [2, 3], []]);
    assert.deepEqual(py.run('{"a": {"b": [1, {"c": None}]}, "d": (1,)}'), { a: { b: [1, { c: null }] }, d: [1] });
  });

  test('dicts with non-str keys become Maps, sets Sets', () => {
    const map = py.run('{1: "one", 2: [2], 2**60: "big"}');
    assert.ok(map instanceof Map);
    assert.deepEqual([...map], [[1, 'one'], [2, [2]], [2n ** 60n, 'big']]);
    const set = py.run('{3, 1, 2}');
    assert.ok(set instanceof Set);
    assert.deepEqual([...set].sort(), [1, 2, 3]);
    assert.ok(py.run('frozenset(["a"])') instanceof Set);
  });

  test('bytes and bytearray become Uint8Array', () => {
    const bytes = py.run('b"\\x00\\x01\\xff" + "é".encode()');
    assert.ok(bytes instanceof Uint8Array);
    assert.deepEqual([...bytes], [0, 1, 255, 0xc3, 0xa9]);
    assert.deepEqual([...py.run('bytearray(range(4))')], [0, 1, 2, 3]);
  });

  test('objects with no JS form become PyObjectRef', () => {
    const point = py.run(
      'class Point:\n'
      + '    def __init__(self, x, y):\n        self.x, self.y = x, y\n'
      + '    def __repr__(self):\n        return f"Point({self.x}, {self.y})"\n'
      + 'Point(1, 2)');
    assert.ok(point instanceof protopython.PyObjectRef);
    assert.equal(point.type, 'Point');
    assert.equal(point.repr, 'Point(1, 2)');
    assert.equal(String(point), 'Point(1, 2)');
    const nested = py.run('[Point(3, 4), {"p": Point(5, 6)}]');
    assert.equal(nested[0].repr, 'Point(3, 4)');
    assert.ok(nested[1].p instanceof protopython.PyObjectRef);
  });
});

describe('globals and JS to Python values', () => {
  test('set then read from Python', () => {
    py.globals.set('from_js', 41);
    assert.equal(py.run('from_js + 1'), 42);
    assert.equal(py.run('type(from_js).__name__'), 'int');
  });

  test('numbers: integers become int, fractions float, BigInt int', () => {
    py.globals.set('half', 0.5);
    assert.deepEqual(py.run('[type(half).__name__, half * 4]'), ['float', 2]);
    py.globals.set('huge', 2n ** 70n);
    assert.equal(py.run('huge == 2**70'), true);
    assert.equal(py.run('huge + 1'), 2n ** 70n + 1n);
    py.globals.set('small_big', 5n);
    assert.equal(py.run('small_big * 2'), 10);
  });

  test('strings, bools, null and undefined', () => {
    py.globals.set('text', 'naïve ☃ 🐍');
    assert.deepEqual(py.run('[len(text), text.upper()]'), [9, 'NAÏVE ☃ 🐍']);
    py.globals.set('yes', true);
    py.globals.set('nothing', null);
    py.globals.set('missing', undefined);
    assert.deepEqual(py.run('[yes is True, nothing is None, missing is None]'), [true, true, true]);
  });

  test('arrays, Maps with int keys, Sets, Uint8Array, nested objects', () => {
    py.globals.set('items', [1, 'a', [2.5, null]]);
    assert.deepEqual(py.run('[type(items).__name__, items[2][0] * 2, items[2][1] is None]'), ['list', 5, true]);
    py.globals.set('table', new Map([[1, 'one'], [2, 'two']]));
    assert.deepEqual(py.run('[type(table).__name__, table[2], sorted(table)]'), ['dict', 'two', [1, 2]]);
    py.globals.set('unique', new Set([3, 1, 2]));
    assert.deepEqual(py.run('[type(unique).__name__, sorted(unique)]'), ['set', [1, 2, 3]]);
    py.globals.set('raw', new Uint8Array([104, 105, 0, 255]));
    assert.deepEqual(py.run('[type(raw).__name__, raw[:2].decode(), raw[3]]'), ['bytes', 'hi', 255]);
    py.globals.set('config', { name: 'demo', nested: { depth: 2, tags: ['x', 'y'] } });
    assert.deepEqual(py.run('[type(config).__name__, config["nested"]["tags"][1], config["nested"]["depth"]]'),
      ['dict', 'y', 2]);
  });

  test('a round trip keeps the value', () => {
    const value = { list: [1, 2.5, 'three', null, true], big: 2n ** 64n, inner: { ok: false } };
    py.globals.set('round_trip', value);
    assert.deepEqual(py.globals.get('round_trip'), value);
  });

  test('get, has, keys and delete', () => {
    py.globals.set('temporary', 'here');
    assert.equal(py.globals.get('temporary'), 'here');
    assert.equal(py.globals.has('temporary'), true);
    assert.ok(py.globals.keys().includes('temporary'));
    assert.equal(py.globals.delete('temporary'), true);
    assert.equal(py.globals.delete('temporary'), false);
    assert.equal(py.globals.get('temporary'), undefined);
    assert.equal(py.globals.has('temporary'), false);
    assert.throws(() => py.run('temporary'), (error) => error.type === 'NameError');
  });

  test('values that do not convert raise TypeError', async () => {
    const error = await pythonErrorOf(() => py.globals.set('callback', () => 1));
    assert.equal(error.type, 'TypeError');
    assert.equal(py.globals.has('callback'), false);
  });
});

describe('PythonError', () => {
  test('ZeroDivisionError with a traceback', async () => {
    const error = await pythonErrorOf(() => py.run('def divide(a, b):\n    return a / b\n\ndivide(1, 0)'));
    assert.equal(error.type, 'ZeroDivisionError');
    assert.equal(error.message, error.traceback);
    assert.match(error.traceback, /^Traceback \(most recent call last\):\n/);
    assert.match(error.traceback, /line 4, in <module>/);
    assert.match(error.traceback, /line 2, in divide/);
    assert.match(error.traceback, /ZeroDivisionError: division by zero\n?$/);
  });

  test('SyntaxError', async () => {
    const error = await pythonErrorOf(() => py.run('x = (1,\n'));
    assert.equal(error.type, 'SyntaxError');
    assert.match(error.traceback, /SyntaxError: /);
  });

  test('NameError', async () => {
    const error = await pythonErrorOf(() => py.run('print(undefined_name)'));
    assert.equal(error.type, 'NameError');
    assert.match(error.traceback, /NameError: name 'undefined_name' is not defined/);
  });

  test('hostile programs get Python exceptions, not a broken engine (32-bit sizes: as CPython on a 32-bit host)', async () => {
    for (const [code, type] of [
      ["s = 'a' * (2**40)", 'MemoryError'],
      ["b = b'a' * (2**40)", 'MemoryError'],
      ['l = [0] * (2**40)', 'MemoryError'],
      ["s = 'ab' * (2**62)", 'OverflowError'],
      ["s = '%*d' % (2**40, 1)", 'MemoryError'],
      ['n = len(range(2**40))', 'OverflowError'],
      ['def f(): return f()\nf()', 'RecursionError'],
      ['open("/etc/hostname").read()', 'FileNotFoundError'],
      // Native recursion would exhaust the JavaScript engine's ~1 MB stack
      // (and leave the module unusable) long before the recursion limit.
      ['l = []\nfor i in range(100000): l = [l]\nr = repr(l)', 'RecursionError'],
      ['a = []\nfor i in range(100000): a = [a]\nr = a == [a]', 'RecursionError'],
      ['class A:\n    def __repr__(self): return repr(A())\nrepr(A())', 'RecursionError'],
      ['import sys\nsys.setrecursionlimit(100000)\ndef k(x): return sorted([1], key=k)\nk(1)', 'RecursionError'],
    ]) {
      const error = await pythonErrorOf(() => py.run(code));
      assert.equal(error.type, type, code);
    }
    assert.equal(py.run('len("a" * 1000)'), 1000);
  });

  test('the engine stays usable after an error', () => {
    assert.throws(() => py.run('raise ValueError("bad")'), (error) => error.type === 'ValueError');
    assert.equal(py.run('"still alive"'), 'still alive');
  });
});

describe('runAsync', () => {
  test('returns the value of the last expression', async () => {
    assert.equal(await py.runAsync('total = sum(range(100_000))\ntotal'), 4_999_950_000);
    assert.equal(py.globals.get('total'), 4_999_950_000);
    assert.equal(await py.runAsync('z = 1'), null);
  });

  test('streams output and rejects with PythonError', async () => {
    takeStdout();
    await py.runAsync('for i in range(3):\n    print(i)');
    assert.equal(takeStdout(), '0\n1\n2\n');
    const error = await pythonErrorOf(() => py.runAsync('[][1]'));
    assert.equal(error.type, 'IndexError');
  });

  test('time.sleep waits without blocking the event loop', async () => {
    let ticks = 0;
    const ticker = setInterval(() => { ticks += 1; }, 20);
    const started = performance.now();
    try {
      assert.equal(await py.runAsync('import time\ntime.sleep(0.4)\n"awake"'), 'awake');
    } finally {
      clearInterval(ticker);
    }
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 380, `slept only ${elapsed} ms`);
    assert.ok(ticks >= 5, `the interval ticked only ${ticks} times during a 400 ms sleep`);
  });

  test('a long computation yields to the event loop between slices', async () => {
    let ticks = 0;
    const ticker = setInterval(() => { ticks += 1; }, 5);
    const started = performance.now();
    let result;
    try {
      result = await py.runAsync('n = 0\nwhile n < 3_000_000:\n    n += 1\nn');
    } finally {
      clearInterval(ticker);
    }
    const elapsed = performance.now() - started;
    assert.equal(result, 3_000_000);
    if (elapsed > 100) assert.ok(ticks >= 3, `only ${ticks} ticks during ${elapsed} ms of runAsync`);
  });

  test('interrupt() stops an endless loop with KeyboardInterrupt; the engine stays usable', async () => {
    const running = py.runAsync('spins = 0\nwhile True:\n    spins += 1');
    setTimeout(() => py.interrupt(), 200);
    const error = await pythonErrorOf(() => running);
    assert.equal(error.type, 'KeyboardInterrupt');
    assert.match(error.traceback, /KeyboardInterrupt/);
    assert.ok(py.globals.get('spins') > 0);
    assert.equal(py.run('1 + 1'), 2);
    assert.equal(await py.runAsync('"again"'), 'again');
  });

  test('interrupt() cuts a long time.sleep short', async () => {
    const started = performance.now();
    const running = py.runAsync('import time\ntime.sleep(3)');
    setTimeout(() => py.interrupt(), 100);
    const error = await pythonErrorOf(() => running);
    assert.equal(error.type, 'KeyboardInterrupt');
    assert.ok(performance.now() - started < 2000, 'the sleep was not cut short');
  });

  test('KeyboardInterrupt can be caught by the program', async () => {
    const running = py.runAsync(
      'try:\n    n = 0\n    while True:\n        n += 1\nexcept KeyboardInterrupt:\n    caught = "yes"\ncaught');
    setTimeout(() => py.interrupt(), 100);
    assert.equal(await running, 'yes');
  });

  test('KeyboardInterrupt in a `while True: pass` loop can be caught too', async () => {
    const running = py.runAsync(
      'try:\n    while True:\n        pass\nexcept KeyboardInterrupt:\n    caught = "in pass loop"\ncaught');
    setTimeout(() => py.interrupt(), 100);
    assert.equal(await running, 'in pass loop');
  });

  test('only one run at a time', async () => {
    const running = py.runAsync('while True:\n    pass');
    await assert.rejects(py.runAsync('1'), (error) => !(error instanceof protopython.PythonError)
      && /in progress/.test(error.message));
    assert.throws(() => py.run('1'), /in progress/);
    py.interrupt();
    const error = await pythonErrorOf(() => running);
    assert.equal(error.type, 'KeyboardInterrupt');
    assert.equal(await py.runAsync('"free again"'), 'free again');
  });

  test('interrupt() with nothing running does not affect the next run', async () => {
    py.interrupt();
    assert.equal(py.run('sum(range(10_000))'), 49_995_000);
    assert.equal(await py.runAsync('sum(range(10_000))'), 49_995_000);
  });
});

describe('interrupt buffer', () => {
  test('another thread interrupts a synchronous run()', async () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    py.setInterruptBuffer(flag);
    // worker_threads runs on its own thread, so it can act while run() blocks this one.
    const interrupter = new Worker(
      `const { workerData, parentPort } = require('node:worker_threads');
       parentPort.postMessage('ready');
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
       Atomics.store(workerData, 0, 2);`,
      { eval: true, workerData: flag });
    try {
      await new Promise((resolve, reject) => {
        interrupter.once('message', resolve);
        interrupter.once('error', reject);
      });
      const started = performance.now();
      const error = await pythonErrorOf(() => py.run('while True:\n    pass'));
      assert.equal(error.type, 'KeyboardInterrupt');
      assert.ok(performance.now() - started >= 100, 'interrupted before the other thread asked');
      assert.equal(Atomics.load(flag, 0), 0, 'the engine clears the flag it acted on');
    } finally {
      await interrupter.terminate();
    }
    assert.equal(py.run('"usable"'), 'usable');
  });

  test('a flag set before the run interrupts it at once', async () => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    py.setInterruptBuffer(flag);
    Atomics.store(flag, 0, 2);
    const error = await pythonErrorOf(() => py.run('while True:\n    pass'));
    assert.equal(error.type, 'KeyboardInterrupt');
    assert.equal(py.run('3'), 3);
  });

  test('setInterruptBuffer wants an Int32Array', () => {
    assert.throws(() => py.setInterruptBuffer(new Uint8Array(4)), TypeError);
  });
});

describe('Python threads', () => {
  test('threading.Thread runs inside run()', () => {
    const result = py.run(
      'import threading\n'
      + 'results = []\n'
      + 'lock = threading.Lock()\n'
      + 'def work(k):\n'
      + '    s = sum(range(k * 1000))\n'
      + '    with lock:\n'
      + '        results.append((k, s))\n'
      + 'threads = [threading.Thread(target=work, args=(k,)) for k in range(1, 5)]\n'
      + 'for t in threads:\n    t.start()\n'
      + 'for t in threads:\n    t.join()\n'
      + 'sorted(results)');
    assert.deepEqual(result, [1, 2, 3, 4].map((k) => [k, (k * 1000 * (k * 1000 - 1)) / 2]));
  });

  test('threads that sleep interleave under runAsync', async () => {
    takeStdout();
    const result = await py.runAsync(
      'import threading, time\n'
      + 'order = []\n'
      + 'def worker(name, delay):\n'
      + '    time.sleep(delay)\n'
      + '    order.append(name)\n'
      + 'ts = [threading.Thread(target=worker, args=(n, d)) for n, d in (("slow", 0.2), ("fast", 0.05))]\n'
      + 'for t in ts:\n    t.start()\n'
      + 'for t in ts:\n    t.join()\n'
      + 'order');
    assert.deepEqual(result, ['fast', 'slow']);
  });
});

describe('destroy', () => {
  test('a destroyed engine refuses calls', async () => {
    const other = await protopython.loadProtoPython();
    assert.equal(other.run('1'), 1);
    other.destroy();
    assert.throws(() => other.run('1'), /destroyed/);
    assert.throws(() => other.globals.get('x'), /destroyed/);
  });
});
