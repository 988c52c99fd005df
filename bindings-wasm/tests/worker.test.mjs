// worker.test.mjs: loadProtoPythonWorker / ProtoPythonWorker and the package's worker.js,
// in Node through a Web Worker shim over worker_threads (support/web-worker-shim.mjs):
// the request protocol, streamed and coalesced output, values and errors rebuilt on the
// page side, interrupts through the shared flag and through messages, one run at a time,
// terminate. Run with PROTOPY_NPM_TARBALL=<.tgz> node --test.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { installPackedPackage } from './support/install.mjs';
import { ShimWorker } from './support/web-worker-shim.mjs';

let installed;
let protopython;
let py;
const writes = []; // [stream, text]

before(async () => {
  globalThis.Worker = ShimWorker;
  installed = await installPackedPackage();
  protopython = installed.module;
  py = await protopython.loadProtoPythonWorker({
    stdout: (text) => writes.push(['stdout', text]),
    stderr: (text) => writes.push(['stderr', text]),
    argv: ['worker.py'],
  });
});

after(() => {
  py?.terminate();
  installed?.cleanup();
  delete globalThis.Worker;
});

function takeOutput(stream) {
  const taken = writes.splice(0);
  return taken.filter(([kind]) => stream === undefined || kind === stream).map(([, text]) => text).join('');
}

async function pythonErrorOf(promise) {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof protopython.PythonError, `expected a PythonError, got ${error}`);
    return error;
  }
  assert.fail('expected a PythonError');
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ProtoPythonWorker', () => {
  test('loads the single-threaded build and reports its version', () => {
    assert.ok(py instanceof protopython.ProtoPythonWorker);
    assert.equal(py.threaded, false);
    assert.match(py.version, /^\d+\.\d+\.\d+/);
  });

  test('run returns the last value; output reaches the page before the result', async () => {
    takeOutput();
    assert.deepEqual(await py.run('import sys\nprint("hello from the worker")\nsys.argv'), ['worker.py'],
      'sys.argv from the argv option');
    assert.equal(takeOutput('stdout'), 'hello from the worker\n');
  });

  test('many small writes are coalesced into few messages, in order', async () => {
    takeOutput();
    await py.run('for i in range(2000):\n    print(i)');
    const stdoutCalls = writes.filter(([stream]) => stream === 'stdout').length;
    const expected = Array.from({ length: 2000 }, (_, i) => `${i}\n`).join('');
    assert.ok(stdoutCalls < 200, `${stdoutCalls} stdout calls for 2000 prints`);
    assert.equal(takeOutput('stdout'), expected);
  });

  test('stdout and stderr keep their relative order', async () => {
    takeOutput();
    await py.run('import sys\nprint("a")\nsys.stderr.write("b\\n")\nprint("c")');
    assert.deepEqual(writes.splice(0).map(([stream, text]) => [stream, text.trim()]).filter(([, text]) => text),
      [['stdout', 'a'], ['stderr', 'b'], ['stdout', 'c']]);
  });

  test('runAsync output streams while the code runs', async () => {
    takeOutput();
    let finished = false;
    const running = py.runAsync('import time\nprint("before")\ntime.sleep(0.5)\nprint("after")\n"done"');
    running.finally(() => { finished = true; }).catch(() => {});
    while (!writes.some(([, text]) => text.includes('before'))) {
      assert.equal(finished, false, 'the first print did not arrive before the run ended');
      await delay(10);
    }
    assert.equal(finished, false);
    assert.equal(takeOutput('stdout'), 'before\n');
    assert.equal(await running, 'done');
    assert.equal(takeOutput('stdout'), 'after\n');
  });

  test('values cross back as JS values, PyObjectRef rebuilt', async () => {
    const value = await py.run(
      'class Box:\n    def __repr__(self):\n        return "Box()"\n'
      + '[2**64, 1.25, "日本 🐍", None, (1, 2), {"k": {1: Box()}}, {5}, b"\\x01\\xfe", Box()]');
    assert.equal(value[0], 2n ** 64n);
    assert.deepEqual(value.slice(1, 5), [1.25, '日本 🐍', null, [1, 2]]);
    const inner = value[5].k;
    assert.ok(inner instanceof Map);
    assert.ok(inner.get(1) instanceof protopython.PyObjectRef);
    assert.equal(inner.get(1).repr, 'Box()');
    assert.deepEqual([...value[6]], [5]);
    assert.ok(value[7] instanceof Uint8Array);
    assert.deepEqual([...value[7]], [1, 254]);
    assert.ok(value[8] instanceof protopython.PyObjectRef);
    assert.equal(value[8].type, 'Box');
    assert.equal(String(value[8]), 'Box()');
  });

  test('errors are rebuilt as PythonError', async () => {
    const error = await pythonErrorOf(py.run('1 / 0'));
    assert.equal(error.type, 'ZeroDivisionError');
    assert.match(error.traceback, /ZeroDivisionError: division by zero/);
    assert.equal(error.message, error.traceback);
    const syntax = await pythonErrorOf(py.runAsync('def ('));
    assert.equal(syntax.type, 'SyntaxError');
  });

  test('globals: set, get, has, keys, delete', async () => {
    await py.globals.set('table', new Map([[1, 'one']]));
    await py.globals.set('big', 2n ** 80n);
    assert.deepEqual(await py.run('[table[1], big == 2**80]'), ['one', true]);
    assert.equal(await py.globals.get('big'), 2n ** 80n);
    assert.equal(await py.globals.has('table'), true);
    assert.ok((await py.globals.keys()).includes('table'));
    assert.equal(await py.globals.delete('table'), true);
    assert.equal(await py.globals.get('table'), undefined);
    // A Date survives postMessage but has no Python form; a function cannot even be posted.
    assert.equal((await pythonErrorOf(py.globals.set('when', new Date()))).type, 'TypeError');
    await assert.rejects(py.globals.set('callback', () => 1), (error) => error.name === 'DataCloneError');
    assert.equal(await py.globals.has('callback'), false);
  });

  test('interrupt() stops a synchronous run in the worker (shared flag)', async () => {
    const running = py.run('n = 0\nwhile True:\n    n += 1');
    await delay(200);
    py.interrupt();
    const error = await pythonErrorOf(running);
    assert.equal(error.type, 'KeyboardInterrupt');
    assert.ok(await py.globals.get('n') > 0);
    assert.equal(await py.run('"usable"'), 'usable');
  });

  test('interrupt() stops runAsync', async () => {
    const spinning = py.runAsync('while True:\n    pass');
    await delay(150);
    py.interrupt();
    assert.equal((await pythonErrorOf(spinning)).type, 'KeyboardInterrupt');
    assert.equal(await py.runAsync('"usable"'), 'usable');
  });

  test('interrupt() cuts a time.sleep in runAsync short', async () => {
    const started = performance.now();
    const sleeping = py.runAsync('import time\ntime.sleep(3)');
    await delay(100);
    py.interrupt();
    assert.equal((await pythonErrorOf(sleeping)).type, 'KeyboardInterrupt');
    assert.ok(performance.now() - started < 2000, 'the sleep was not cut short');
  });

  test('an interrupt with nothing running, or after the run ended, does not reach the next run', async () => {
    py.interrupt();
    assert.equal(await py.run('sum(range(100_000))'), 4_999_950_000);
    const quick = py.run('1');
    py.interrupt(); // lands while (or just after) the run finishes
    await quick.catch(() => {});
    assert.equal(await py.run('x = 0\nfor i in range(200_000):\n    x += 1\nx'), 200_000);
  });

  test('only one run at a time', async () => {
    const running = py.runAsync('while True:\n    pass');
    await assert.rejects(py.run('1'), /in progress/);
    py.interrupt();
    assert.equal((await pythonErrorOf(running)).type, 'KeyboardInterrupt');
  });
});

describe('ProtoPythonWorker without SharedArrayBuffer', () => {
  test('interrupt() reaches runAsync through a message', async () => {
    const saved = globalThis.SharedArrayBuffer;
    let plain;
    try {
      delete globalThis.SharedArrayBuffer;
      plain = await protopython.loadProtoPythonWorker();
    } finally {
      globalThis.SharedArrayBuffer = saved;
    }
    try {
      const running = plain.runAsync('n = 0\nwhile True:\n    n += 1');
      await delay(150);
      plain.interrupt();
      assert.equal((await pythonErrorOf(running)).type, 'KeyboardInterrupt');
      assert.equal(await plain.runAsync('"still here"'), 'still here');
    } finally {
      plain?.terminate();
    }
  });
});

describe('terminate', () => {
  test('rejects calls in flight and later calls', async () => {
    const other = await protopython.loadProtoPythonWorker();
    const running = other.run('while True:\n    pass');
    other.terminate();
    await assert.rejects(running, /terminated/);
    await assert.rejects(other.run('1'), /terminated/);
  });

  test('a missing worker script rejects the load', async () => {
    await assert.rejects(
      protopython.loadProtoPythonWorker({ workerURL: new URL('./no-such-worker.js', import.meta.url) }),
      /worker/i);
  });
});
