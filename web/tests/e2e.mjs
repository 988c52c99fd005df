// protoPython playground (web/): browser end-to-end test. Serves web/dist with web/serve.py (port 0),
// drives Debian's Chromium (/usr/bin/chromium) through playwright-core, and checks the page twice:
// cross-origin isolated (examples, errors, Stop, share links, the threaded example, a screenshot)
// and with --no-isolation (single-threaded fallback; hello and Stop). Exits 1 when a check fails.
//
// usage: node tests/e2e.mjs [--artifacts DIR] [--dist DIR] [--chromium PATH]
// Build first: node build.mjs --package ../target/npm/protopython
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    artifacts: { type: 'string', default: path.join(webDir, 'test-artifacts') },
    dist: { type: 'string', default: path.join(webDir, 'dist') },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});
const artifactsDir = path.resolve(args.artifacts);
const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const WHOLE_TEST_LIMIT_MS = 170_000;
const ENGINE_LOAD_MS = 45_000;
const RUN_MS = 30_000;
const THREADED_RUN_MS = 60_000;
const PRIMES_BELOW_LIMIT = 17984; // primes below 200_000, the threaded example's LIMIT

// ---- bookkeeping -----------------------------------------------------------------------------

const results = [];
const notes = [];
const cleanups = [];

async function check(name, body) {
  const started = Date.now();
  try {
    await body();
    results.push({ name, ok: true });
    console.log(`PASS ${name} (${Date.now() - started} ms)`);
  } catch (err) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name} (${Date.now() - started} ms): ${err?.stack ?? err}`);
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

function note(text) {
  notes.push(text);
  console.log(`NOTE ${text}`);
}

// Closes what was opened, newest first, once (the time limit and the normal end may both ask).
let cleaning = null;
function cleanUp() {
  cleaning ??= runCleanups();
  return cleaning;
}

async function runCleanups() {
  while (cleanups.length) {
    const step = cleanups.pop();
    try {
      let timer;
      const tooLong = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('a cleanup step took over 10 s; going on')), 10_000);
      });
      await Promise.race([step(), tooLong]).finally(() => clearTimeout(timer));
    } catch (err) {
      console.log(`cleanup: ${err?.message ?? err}`);
    }
  }
}

function finish(exitCode) {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log('\n==== playground e2e summary ====');
  for (const r of results) console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name}`);
  for (const n of notes) console.log(`note: ${n}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed || exitCode ? 1 : 0);
}

// ---- server and browser ----------------------------------------------------------------------

async function startServer({ isolation }) {
  assert(cleaning === null, 'the test is closing');
  const serveArgs = [path.join(webDir, 'serve.py'), '--port', '0', '--dir', args.dist, '--quiet'];
  if (!isolation) serveArgs.push('--no-isolation');
  const server = spawn('python3', serveArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  server.stderr.on('data', (chunk) => (stderr += chunk));
  cleanups.push(async () => {
    if (server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
    }
  });
  const url = await new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`serve.py printed no URL in 10 s; stderr: ${stderr}`)), 10_000);
    server.stdout.on('data', (chunk) => {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(stdout.slice(0, newline).trim());
      }
    });
    server.once('exit', (code) => reject(new Error(`serve.py exited (${code}): ${stderr}`)));
  });
  assert(/^http:\/\/127\.0\.0\.1:\d+\/$/.test(url), `serve.py's first line is not a URL: ${url}`);
  return url;
}

async function launchBrowser() {
  assert(cleaning === null, 'the test is closing');
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'protopy-e2e-chromium-'));
  cleanups.push(() => rm(userDataDir, { recursive: true, force: true }));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: args.chromium,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 800 },
  });
  cleanups.push(() => context.close());
  return context;
}

// ---- page helpers ----------------------------------------------------------------------------

const byTestId = (id) => `[data-testid="${id}"]`;

async function openPlayground(context, url) {
  const page = await context.newPage();
  page.pageErrors = [];
  page.on('pageerror', (err) => page.pageErrors.push(String(err)));
  page.on('console', (msg) => {
    if (msg.type() === 'error') console.log(`  [page console.error] ${msg.text()}`);
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(
    () => ['ready', 'error'].includes(document.querySelector('[data-testid="status"]').dataset.state),
    null,
    { timeout: ENGINE_LOAD_MS },
  );
  const status = await statusText(page);
  assert((await statusState(page)) === 'ready', `engine did not load: ${status}`);
  return page;
}

const statusText = (page) => page.textContent(byTestId('status'));
const statusState = (page) => page.getAttribute(byTestId('status'), 'data-state');
const outputText = (page) => page.textContent(byTestId('output'));
const outputOfKind = (page, kind) =>
  page.$$eval(`${byTestId('output')} span.${kind}`, (spans) => spans.map((s) => s.textContent).join(''));
const setCode = (page, code) => page.evaluate((c) => window.__protopyEditor.setCode(c), code);
const getCode = (page) => page.evaluate(() => window.__protopyEditor.getCode());

// Waits until the page has finished more than `before` runs (whatever their outcome).
function runEnded(page, before, timeout) {
  return page.waitForFunction(
    (n) => Number(document.querySelector('[data-testid="status"]').dataset.runs ?? 0) > n,
    before,
    { timeout },
  );
}

async function runsFinished(page) {
  return Number((await page.getAttribute(byTestId('status'), 'data-runs')) ?? 0);
}

// Starts a run with `start` (a click by default) and waits until it has ended.
async function runToEnd(page, { timeout = RUN_MS, start } = {}) {
  const state = await statusState(page);
  assert(state === 'ready', `cannot run: the page is ${state} (${await statusText(page)})`);
  const before = await runsFinished(page);
  await (start ? start() : page.click(byTestId('run')));
  const ended = (n) => {
    const status = document.querySelector('[data-testid="status"]');
    return Number(status.dataset.runs ?? 0) > n && status.dataset.state === 'ready';
  };
  try {
    await page.waitForFunction(ended, before, { timeout });
  } catch (err) {
    // Leave the page usable for the next checks: stop the run (the page replaces a stuck worker).
    await page.click(byTestId('stop'), { timeout: 1_000 }).catch(() => {});
    await page.waitForFunction(ended, before, { timeout: 10_000 }).catch(() => {});
    throw new Error(`the run did not end within ${timeout / 1000} s; output:\n${await outputText(page)}`);
  }
  return outputText(page);
}

async function runExample(page, name, expected) {
  await page.selectOption(byTestId('examples'), name);
  const output = await runToEnd(page);
  for (const text of expected) assert(output.includes(text), `example ${name}: output lacks ${JSON.stringify(text)}:\n${output}`);
  const errors = await outputOfKind(page, 'error');
  assert(errors === '', `example ${name} raised:\n${errors}`);
  return output;
}

async function stopInfiniteLoop(page) {
  await setCode(page, 'n = 0\nwhile True:\n    n += 1\n');
  assert((await statusState(page)) === 'ready', `cannot run: ${await statusText(page)}`);
  const before = await runsFinished(page);
  await page.click(byTestId('run'));
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]').dataset.state === 'running');
  await page.waitForTimeout(500);
  assert((await runsFinished(page)) === before, 'the infinite loop ended by itself');
  const clickedAt = Date.now();
  await page.click(byTestId('stop'));
  await runEnded(page, before, 10_000);
  const output = await outputText(page);
  assert(output.includes('KeyboardInterrupt'), `Stop did not raise KeyboardInterrupt; output:\n${output}`);
  assert(!output.includes('worker was terminated'), 'Stop had to terminate the worker');
  console.log(`  Stop ended the loop in ${Date.now() - clickedAt} ms`);
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]').dataset.state === 'ready', null, {
    timeout: ENGINE_LOAD_MS,
  });
  await setCode(page, 'print("after stop", n > 0)\n');
  const after = await runToEnd(page);
  assert(after.includes('after stop True'), `a run after Stop failed; output:\n${after}`);
}

// ---- the isolated page -----------------------------------------------------------------------

async function isolatedChecks(context, url) {
  let page;
  await check('isolated: page loads, is crossOriginIsolated, engine ready', async () => {
    page = await openPlayground(context, url);
    assert((await page.evaluate(() => window.crossOriginIsolated)) === true, 'page is not crossOriginIsolated');
    const status = await statusText(page);
    assert(status.includes('crossOriginIsolated: yes'), `status line: ${status}`);
    console.log(`  status: ${status}`);
  });
  if (!page) return;
  const engineInfo = await page.evaluate(() => window.__protopyEngine);

  await check('isolated: hello example (stdout and stderr streams)', async () => {
    await runExample(page, 'hello', ['Hello, world!', 'print to stdout']);
    const stderr = await outputOfKind(page, 'stderr');
    assert(stderr.includes('and to stderr'), `stderr span lacks the stderr line: ${JSON.stringify(stderr)}`);
    const colours = await page.evaluate(() => {
      const colour = (sel) => getComputedStyle(document.querySelector(`[data-testid="output"] span.${sel}`)).color;
      return [colour('stdout'), colour('stderr')];
    });
    assert(colours[0] !== colours[1], `stdout and stderr have the same colour ${colours[0]}`);
    const timings = await page.evaluate(() => window.__protopyTimings);
    assert(timings.loadToReady > 0 && timings.firstOutput >= timings.loadToReady, `timings: ${JSON.stringify(timings)}`);
    note(`load to engine ready: ${Math.round(timings.loadToReady)} ms; load to first output of the first run: ${Math.round(timings.firstOutput)} ms (isolated page)`);
  });
  await check('isolated: classes example', () =>
    runExample(page, 'classes', ["Circle('circle', area=7.07)", "Rectangle('rectangle', area=12.00)", 'Point(x=11, y=22)']));
  await check('isolated: generators example', () =>
    runExample(page, 'generators', ['fibonacci: [0, 1, 1, 2, 3, 5, 8, 13, 21, 34]', 'running average: 30.0', 'sum of squares: 285']));

  await check('isolated: threaded example with 1 and 2 threads', async () => {
    await page.fill(byTestId('threads'), '2');
    await page.selectOption(byTestId('examples'), 'threads');
    const output = await runToEnd(page, { timeout: THREADED_RUN_MS });
    const errors = await outputOfKind(page, 'error');
    assert(errors === '', `the threaded example raised:\n${errors}`);
    const totals = [...output.matchAll(/total (\d+) primes below/g)].map((m) => Number(m[1]));
    assert(totals.length === 2 && totals.every((t) => t === PRIMES_BELOW_LIMIT), `prime totals ${totals}:\n${output}`);
    const perThread = [...output.matchAll(/thread (\d+): \d+ primes/g)].map((m) => Number(m[1]));
    assert(JSON.stringify(perThread) === '[0,0,1]', `per-thread lines for threads ${perThread}`);
    const oneThread = Number(output.match(/time with 1 thread: ([\d.]+) s/)?.[1]);
    const twoThreads = Number(output.match(/time with 2 threads: ([\d.]+) s/)?.[1]);
    assert(oneThread > 0 && twoThreads > 0, `times not found:\n${output}`);
    const speedup = oneThread / twoThreads;
    note(`threaded example: 1 thread ${oneThread.toFixed(3)} s, 2 threads ${twoThreads.toFixed(3)} s, speedup ${speedup.toFixed(2)}x (threaded build: ${engineInfo.threaded}, Python threads parallel: ${engineInfo.parallelThreads})`);
    assert(engineInfo.threaded && engineInfo.parallelThreads, 'the isolated page runs Python threads on one worker');
    assert(twoThreads < oneThread, `2 threads (${twoThreads} s) not faster than 1 (${oneThread} s)`);
    await mkdir(artifactsDir, { recursive: true });
    const shot = path.join(artifactsDir, 'playground-isolated.png');
    await page.screenshot({ path: shot });
    await stat(shot);
    note(`screenshot: ${shot}`);
  });

  await check('isolated: threads on several workers share a list, collect garbage, print; Stop ends a join', async () => {
    assert(engineInfo.threaded && engineInfo.parallelThreads, 'the isolated page runs the threaded build without parallel Python threads');
    await setCode(page, WORKERS_PROGRAM);
    const before = await runsFinished(page);
    await page.click(byTestId('run'));
    await page.waitForFunction(() => document.querySelector('[data-testid="output"]').textContent.includes('spinning'), null, {
      timeout: THREADED_RUN_MS,
    }).catch(async () => {
      // Say how far the program got, and leave the page usable for the next checks.
      const [status, output] = [await statusText(page), await outputText(page)];
      await page.click(byTestId('stop'), { timeout: 1_000 }).catch(() => {});
      await runEnded(page, before, 10_000).catch(() => {});
      await page.waitForFunction(() => document.querySelector('[data-testid="status"]').dataset.state === 'ready', null, {
        timeout: ENGINE_LOAD_MS,
      }).catch(() => {});
      throw new Error(`no "spinning" within ${THREADED_RUN_MS / 1000} s (status: ${status}); output:\n${output}`);
    });
    await page.click(byTestId('stop'));
    await runEnded(page, before, 8_000);
    const output = await outputText(page);
    for (let i = 0; i < 4; i++) assert(output.includes(`thread ${i} done`), `no line from thread ${i}:\n${output}`);
    assert(output.includes('appends 80000 True'), `lost or miscounted appends:\n${output}`);
    assert(output.includes('KeyboardInterrupt') && !output.includes('worker was terminated'), `Stop did not interrupt the join:\n${output}`);
    await page.waitForFunction(() => document.querySelector('[data-testid="status"]').dataset.state === 'ready');
    await setCode(page, 'import threading\nprint("threads left", threading.active_count())\n');
    const after = await runToEnd(page);
    assert(after.includes('threads left 1'), `the spinning thread did not end:\n${after}`);
  });

  await check('isolated: typing in the editor and Ctrl+Enter runs it', async () => {
    await page.click(`${byTestId('editor')} .cm-content`);
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type('print("typed", 6 * 7)');
    const code = await getCode(page);
    assert(code === 'print("typed", 6 * 7)', `editor holds ${JSON.stringify(code)}`);
    const output = await runToEnd(page, { start: () => page.keyboard.press('Control+Enter') });
    assert(output.includes('typed 42'), `output: ${output}`);
  });

  await check('isolated: an exception shows its traceback', async () => {
    await setCode(page, 'def divide(a, b):\n    return a / b\n\ndivide(1, 0)\n');
    await runToEnd(page);
    const error = await outputOfKind(page, 'error');
    assert(error.includes('Traceback (most recent call last)'), `no traceback: ${error}`);
    assert(error.includes('ZeroDivisionError'), `no ZeroDivisionError: ${error}`);
    assert(error.includes('divide'), `traceback lacks the function name: ${error}`);
  });

  await check('isolated: the value of a last expression is shown', async () => {
    await setCode(page, 'x = [1, 2, 3]\nsum(x) * 7\n');
    const output = await runToEnd(page);
    assert(output.includes('42'), `output: ${output}`);
  });

  await check('isolated: runaway native recursion is a RecursionError; the engine stays usable', async () => {
    // Each level nests a native call into Python: without the engine's cap the
    // browser's ~1 MB JavaScript stack would run out first and break the module.
    await setCode(page, 'class A:\n    def __repr__(self):\n        return repr(A())\n\nrepr(A())\n');
    await runToEnd(page);
    const error = await outputOfKind(page, 'error');
    assert(error.includes('RecursionError: maximum recursion depth exceeded'), `no RecursionError: ${error}`);
    await setCode(page, 'print("still", "alive")\n');
    const output = await runToEnd(page);
    assert(output.includes('still alive'), `output after the RecursionError: ${output}`);
  });

  await check('isolated: Stop interrupts `while True` (KeyboardInterrupt), a later Run works', () => stopInfiniteLoop(page));

  await check('isolated: Stop during a long builtin call ends the run (worker replaced if needed)', async () => {
    // One huge power is one builtin call (seconds of work) with no safepoint inside it: when the
    // interrupt cannot land within the page's grace period, the page must replace the worker.
    await setCode(page, 'x = 3 ** 50_000_000\nprint("finished")\n');
    const before = await runsFinished(page);
    await page.click(byTestId('run'));
    await page.waitForTimeout(300);
    assert((await runsFinished(page)) === before, 'the long call ended before Stop was clicked');
    const clickedAt = Date.now();
    await page.click(byTestId('stop'));
    await runEnded(page, before, 8_000);
    const stoppedAfter = Date.now() - clickedAt;
    const output = await outputText(page);
    const replaced = output.includes('worker was terminated');
    assert(replaced || output.includes('KeyboardInterrupt'), `the run ended without KeyboardInterrupt or termination:\n${output}`);
    assert(!output.includes('finished'), 'the program ran on after Stop');
    console.log(`  the run ended ${stoppedAfter} ms after Stop (${replaced ? 'worker terminated, fresh engine' : 'KeyboardInterrupt'})`);
    await page.waitForFunction(() => document.querySelector('[data-testid="status"]').dataset.state === 'ready', null, {
      timeout: ENGINE_LOAD_MS,
    });
    await setCode(page, 'print("engine works", 6 * 7)\n');
    const after = await runToEnd(page);
    assert(after.includes('engine works 42'), `a run after the stopped long call failed:\n${after}`);
  });

  await check('isolated: share link round-trips the code', async () => {
    const code = '# share test ✓ — ünïcode\nfor i in range(3):\n    print("shared", i, "é" * i)\n';
    await setCode(page, code);
    await page.click(byTestId('share'));
    await page.waitForFunction(() => location.hash.length > 1, null, { timeout: 5_000 });
    const sharedURL = page.url();
    assert(/#(code|src)=[A-Za-z0-9_-]+$/.test(sharedURL), `share URL: ${sharedURL}`);
    const fresh = await openPlayground(context, sharedURL);
    try {
      assert((await getCode(fresh)) === code, `restored code differs: ${JSON.stringify(await getCode(fresh))}`);
      assert((await fresh.inputValue(byTestId('examples'))) === 'custom', 'examples picker does not say custom code');
      const output = await runToEnd(fresh);
      assert(output.includes('shared 2 éé'), `shared code output: ${output}`);
    } finally {
      await fresh.close();
    }
  });

  await check('isolated: no uncaught page errors', async () => {
    assert(page.pageErrors.length === 0, `page errors: ${page.pageErrors.join('\n')}`);
  });
  await page.close();
}

// Four threads append to one list and make garbage (collections stop every worker) and print from
// their workers; then the main thread waits in a join that only Stop (KeyboardInterrupt) ends.
const WORKERS_PROGRAM = `import threading
shared = []
own = {}
stop = False
def work(i):
    junk = []
    for k in range(20000):
        junk.append([k, str(k), {"k": k}])
        if len(junk) > 100:
            junk.clear()
        shared.append(i)
    own[i] = sum(1 for x in shared if x == i)
    print(f"thread {i} done")
threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("appends", len(shared), sorted(own.values()) == [20000] * 4)
def spin():
    while not stop:
        pass
spinner = threading.Thread(target=spin)
spinner.start()
print("spinning")
try:
    spinner.join()
finally:
    stop = True
`;

// ---- the page without isolation headers --------------------------------------------------------

async function fallbackChecks(context, url) {
  let page;
  await check('no isolation: page loads, not crossOriginIsolated, fallback build', async () => {
    page = await openPlayground(context, url);
    assert((await page.evaluate(() => window.crossOriginIsolated)) === false, 'page is crossOriginIsolated');
    const status = await statusText(page);
    console.log(`  status: ${status}`);
    assert(status.includes('fallback'), `status does not say fallback: ${status}`);
    assert(status.includes('crossOriginIsolated: no'), `status line: ${status}`);
    assert((await page.evaluate(() => window.__protopyEngine.threaded)) === false, 'threaded build loaded without isolation');
  });
  if (!page) return;
  await check('no isolation: hello example', async () => {
    await runExample(page, 'hello', ['Hello, world!']);
    const timings = await page.evaluate(() => window.__protopyTimings);
    note(`load to first output of the first run: ${Math.round(timings.firstOutput)} ms (page without isolation)`);
  });
  await check('no isolation: Stop interrupts `while True`, a later Run works', () => stopInfiniteLoop(page));
  await check('no isolation: screenshot', async () => {
    await mkdir(artifactsDir, { recursive: true });
    await page.screenshot({ path: path.join(artifactsDir, 'playground-no-isolation.png') });
  });
  await check('no isolation: no uncaught page errors', async () => {
    assert(page.pageErrors.length === 0, `page errors: ${page.pageErrors.join('\n')}`);
  });
  await page.close();
}

// ---- main ------------------------------------------------------------------------------------

const overall = setTimeout(async () => {
  console.log(`FAIL the whole test ran past ${WHOLE_TEST_LIMIT_MS / 1000} s`);
  results.push({ name: 'whole test within its time limit', ok: false });
  await cleanUp();
  finish(1);
}, WHOLE_TEST_LIMIT_MS);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await cleanUp();
    process.exit(130);
  });
}

let crashed = false;
try {
  await stat(path.join(args.dist, 'index.html')).catch(() => {
    throw new Error(`${args.dist} has no index.html: run node build.mjs --package DIR first`);
  });
  await stat(args.chromium).catch(() => {
    throw new Error(`no Chromium at ${args.chromium} (apt-get install chromium)`);
  });
  const context = await launchBrowser();
  await isolatedChecks(context, await startServer({ isolation: true }));
  await fallbackChecks(context, await startServer({ isolation: false }));
} catch (err) {
  crashed = true;
  console.log(`FAIL setup: ${err?.stack ?? err}`);
  results.push({ name: 'setup (server, browser)', ok: false });
} finally {
  clearTimeout(overall);
  await cleanUp();
}
finish(crashed ? 1 : 0);
