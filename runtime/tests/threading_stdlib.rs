//! The threading, queue and concurrent.futures modules (Python code in
//! runtime/src/stdlib/) running on the `_thread` scheduler: each program
//! is deterministic (results sorted or joined before printing) and its
//! expected output was produced by CPython 3.11.

mod common;

/// Thread start/join/naming/repr/daemon inheritance and the errors of misuse.
#[test]
fn thread_lifecycle() {
    let source = r#"import threading
def f(): pass
t = threading.Thread(target=f)
print(t.name.split(' ')[1], repr(t).endswith(' (f), initial)>'), t.ident, t.is_alive(), t.daemon)
t.start(); t.join()
print(repr(t).replace(str(t.ident), 'ID').split(', ')[1], t.is_alive(), isinstance(t.native_id, int))
try:
    t.start()
except RuntimeError as e:
    print('RuntimeError:', e)
for bad in (threading.Thread().join, threading.current_thread().join):
    try:
        bad()
    except RuntimeError as e:
        print('RuntimeError:', e)
try:
    t.daemon = True
except RuntimeError as e:
    print('RuntimeError:', e)
main = threading.main_thread()
print(main.name, main is threading.current_thread(), main.ident == threading.get_ident())
print(repr(main).replace(str(main.ident), 'ID'))
seen = []
def child(a, b, c=0):
    me = threading.current_thread()
    seen.append((me.name, me.daemon, a + b + c, me in threading.enumerate(),
                 me.ident == threading.get_ident(),
                 threading.Thread(target=f).daemon))
d = threading.Thread(target=child, name='kid', args=(1, 2), kwargs={'c': 3}, daemon=True)
d.start(); d.join()
print(seen, d in threading.enumerate(), threading.active_count())
class Worker(threading.Thread):
    def __init__(self, n):
        super().__init__(name=f'w{n}')
        self.n = n
    def run(self):
        self.result = self.n * 2
ws = [Worker(n) for n in range(3)]
for w in ws: w.start()
for w in ws: w.join()
print([(w.name, w.result) for w in ws])
class NoInit(threading.Thread):
    def __init__(self): pass
try:
    NoInit().start()
except RuntimeError as e:
    print('RuntimeError:', e)
gate = threading.Event()
slow = threading.Thread(target=gate.wait)
slow.start()
slow.join(0.01)
print('alive after timed join:', slow.is_alive(), threading.active_count())
gate.set(); slow.join()
print('alive after set:', slow.is_alive(), threading.active_count())
"#;
    let expected = r#"(f) True None False False
stopped ID)> False True
RuntimeError: threads can only be started once
RuntimeError: cannot join thread before it is started
RuntimeError: cannot join current thread
RuntimeError: cannot set daemon status of active thread
MainThread True True
<_MainThread(MainThread, started ID)>
[('kid', True, 6, True, True, True)] False 1
[('w0', 0), ('w1', 2), ('w2', 4)]
RuntimeError: thread.__init__() not called
alive after timed join: True 2
alive after set: False 1
"#;
    assert_eq!(common::stdout_of(source), expected);
}

/// Uncaught exceptions in threads: the default hook text, a custom hook, a failing hook.
#[test]
fn thread_exceptions_reach_excepthook() {
    let source = r#"import threading, sys
class Capture:
    def __init__(self): self.parts = []
    def write(self, text): self.parts.append(text)
    def flush(self): pass
def inner(): raise ValueError('boom')
def bad(): inner()
capture, real = Capture(), sys.stderr
sys.stderr = capture
t = threading.Thread(target=bad, name='failing'); t.start(); t.join()
t = threading.Thread(target=sys.exit); t.start(); t.join()
sys.stderr = real
lines = ''.join(capture.parts).splitlines()
print(lines[0], '|', lines[1], '|', lines[-1], '|', sum(l.startswith('Exception in thread') for l in lines))
got = []
def hook(args):
    got.append((args.exc_type.__name__, str(args.exc_value), args.exc_traceback is not None, args.thread.name))
threading.excepthook = hook
for target in (bad, sys.exit):
    t = threading.Thread(target=target, name=target.__name__); t.start(); t.join()
print(got)
args = threading.ExceptHookArgs([KeyError, KeyError('k'), None, None])
print(type(args).__name__, args.exc_type.__name__, args.exc_value, args.thread, len(args))
def broken_hook(args): raise TypeError('hook broke')
threading.excepthook = broken_hook
capture = Capture(); sys.stderr = capture
t = threading.Thread(target=bad); t.start(); t.join()
sys.stderr = real
lines = ''.join(capture.parts).splitlines()
print(lines[0], '|', lines[-1])
threading.excepthook = threading.__excepthook__
"#;
    let expected = r#"Exception in thread failing: | Traceback (most recent call last): | ValueError: boom | 1
[('ValueError', 'boom', True, 'bad'), ('SystemExit', '', True, 'exit')]
_ExceptHookArgs KeyError 'k' None 4
Exception in threading.excepthook: | TypeError: hook broke
"#;
    assert_eq!(common::stdout_of(source), expected);
}

/// RLock ownership, Condition wait/wait_for timeouts, notify(n), waiting with a recursively held RLock.
#[test]
fn rlock_and_condition() {
    let source = r#"import threading
rl = threading.RLock()
print(rl.acquire(), rl.acquire(), rl.acquire(blocking=False))
rl.release(); rl.release(); rl.release()
try:
    rl.release()
except RuntimeError as e:
    print('RuntimeError:', e)
rl.acquire()
other = []
def not_owner():
    try:
        rl.release()
    except RuntimeError as e:
        other.append(str(e))
    other.append(rl.acquire(blocking=False))
    other.append(rl.acquire(timeout=0.01))
t = threading.Thread(target=not_owner); t.start(); t.join()
rl.release()
print(other)
for lock in (threading.Lock(), threading.RLock()):
    c = threading.Condition(lock)
    for call in (lambda: c.wait(0), c.notify):
        try:
            call()
        except RuntimeError as e:
            print('RuntimeError:', e)
    with c:
        print(c.wait(0.01), c.wait(0), c.wait_for(lambda: 7), c.wait_for(lambda: 0, timeout=0.01))
c = threading.Condition()
ready, woke = [0], []
def waiter(i):
    with c:
        ready[0] += 1
        c.wait()
        woke.append(i)
ws = [threading.Thread(target=waiter, args=(i,)) for i in range(5)]
for w in ws: w.start()
with c:
    c.wait_for(lambda: ready[0] == 5, timeout=5)
    c.notify(2)
with c:
    c.wait_for(lambda: len(woke) == 2, timeout=5)
    print('after notify(2):', len(woke), len(c._waiters))
    c.notify_all()
for w in ws: w.join()
print(sorted(woke))
state = []
nested = threading.Condition(threading.RLock())
def deep_waiter():
    with nested:
        with nested:
            nested.wait_for(lambda: state)
            state.append('woke')
w = threading.Thread(target=deep_waiter); w.start()
with nested:
    state.append('go'); nested.notify()
w.join()
print(state)
lock = threading.Lock(); lock.acquire()
tries = []
def contend():
    tries.append(lock.acquire(timeout=0.01)); tries.append(lock.acquire(False))
t = threading.Thread(target=contend); t.start(); t.join()
print(tries)
"#;
    let expected = r#"True True True
RuntimeError: cannot release un-acquired lock
['cannot release un-acquired lock', False, False]
RuntimeError: cannot wait on un-acquired lock
RuntimeError: cannot notify on un-acquired lock
False False 7 0
RuntimeError: cannot wait on un-acquired lock
RuntimeError: cannot notify on un-acquired lock
False False 7 0
after notify(2): 2 3
[0, 1, 2, 3, 4]
['go', 'woke']
[False, False]
"#;
    assert_eq!(common::stdout_of(source), expected);
}

/// Semaphore/BoundedSemaphore counting and errors, Event waits, Timer firing and cancel.
#[test]
fn semaphores_events_timers() {
    let source = r#"import threading
s = threading.Semaphore(2)
print(s.acquire(), s.acquire(), s.acquire(False), s.acquire(timeout=0.01))
s.release(2)
print(s.acquire(False), s.acquire(False), s.acquire(False))
for bad in (lambda: threading.Semaphore(-1), lambda: s.acquire(False, 1), lambda: s.release(0)):
    try:
        bad()
    except ValueError as e:
        print('ValueError:', e)
bs = threading.BoundedSemaphore(2)
bs.acquire()
for n in (2, 1, 1):
    try:
        bs.release(n)
        print('released', n)
    except ValueError as e:
        print('ValueError:', e)
sem = threading.Semaphore(0)
got = []
def take(i):
    if sem.acquire(timeout=5):
        got.append(i)
ts = [threading.Thread(target=take, args=(i,)) for i in range(3)]
for t in ts: t.start()
sem.release(3)
for t in ts: t.join()
print(sorted(got))
e = threading.Event()
print(e.is_set(), e.wait(0), e.wait(0.01))
e.set()
print(e.is_set(), e.wait(), e.wait(0))
e.clear()
print(e.is_set())
flags = []
def waits(): flags.append(e.wait(5))
ts = [threading.Thread(target=waits) for _ in range(3)]
for t in ts: t.start()
e.set()
for t in ts: t.join()
print(flags)
fired = []
timer = threading.Timer(0.01, lambda *a, **k: fired.append((a, k)), args=(1, 2), kwargs={'x': 3})
print(timer.interval, timer.name.startswith('Thread-'), type(timer).__name__)
timer.start(); timer.join()
cancelled = threading.Timer(5, fired.append, args=['never'])
cancelled.start(); cancelled.cancel(); cancelled.join()
print(fired, cancelled.finished.is_set())
"#;
    let expected = r#"True True False False
True True False
ValueError: semaphore initial value must be >= 0
ValueError: can't specify timeout for non-blocking acquire
ValueError: n must be one or more
ValueError: Semaphore released too many times
released 1
ValueError: Semaphore released too many times
[0, 1, 2]
False False False
True True True
False
[True, True, True]
0.01 True Timer
[((1, 2), {'x': 3})] True
"#;
    assert_eq!(common::stdout_of(source), expected);
}

/// Barrier indexes over several rounds, action, timeout, abort, reset and a failing action.
#[test]
fn barrier_rounds_and_breaking() {
    let source = r#"import threading
b = threading.Barrier(3)
print(b.parties, b.n_waiting, b.broken)
indexes = []
for _ in range(3):
    ts = [threading.Thread(target=lambda: indexes.append(b.wait())) for _ in range(3)]
    for t in ts: t.start()
    for t in ts: t.join()
print(sorted(indexes), b.n_waiting, b.broken)
acted = []
b2 = threading.Barrier(2, action=lambda: acted.append('action'))
ts = [threading.Thread(target=b2.wait) for _ in range(2)]
for t in ts: t.start()
for t in ts: t.join()
print(acted)
b3 = threading.Barrier(2, timeout=0.01)
try:
    b3.wait()
except threading.BrokenBarrierError:
    print('broken by timeout:', b3.broken)
try:
    b3.wait()
except threading.BrokenBarrierError:
    print('still broken')
b3.reset()
print('after reset:', b3.broken)
def guarded(barrier, out):
    try:
        barrier.wait()
        out.append('passed')
    except threading.BrokenBarrierError:
        out.append('broken')
    except ValueError:
        out.append('ValueError')
def wait_until(predicate):
    cond = threading.Condition()
    with cond:
        cond.wait_for(predicate, timeout=5)
b4, out4 = threading.Barrier(3), []
ts = [threading.Thread(target=guarded, args=(b4, out4)) for _ in range(2)]
for t in ts: t.start()
wait_until(lambda: b4.n_waiting == 2)
print('waiting:', b4.n_waiting)
b4.abort()
for t in ts: t.join()
print(out4, b4.broken, b4.n_waiting)
b5, out5 = threading.Barrier(2), []
t = threading.Thread(target=guarded, args=(b5, out5)); t.start()
wait_until(lambda: b5.n_waiting == 1)
b5.reset(); t.join()
t = threading.Thread(target=guarded, args=(b5, out5)); t.start(); b5.wait(); t.join()
print(out5, b5.broken)
def fail(): raise ValueError('action failed')
b6, out6 = threading.Barrier(2, action=fail), []
ts = [threading.Thread(target=guarded, args=(b6, out6)) for _ in range(2)]
for t in ts: t.start()
for t in ts: t.join()
print(sorted(out6), b6.broken, issubclass(threading.BrokenBarrierError, RuntimeError))
"#;
    let expected = r#"3 0 False
[0, 0, 0, 1, 1, 1, 2, 2, 2] 0 False
['action']
broken by timeout: True
still broken
after reset: False
waiting: 2
['broken', 'broken'] True 0
['broken', 'passed'] False
['ValueError', 'broken'] True True
"#;
    assert_eq!(common::stdout_of(source), expected);
}

/// threading.local: per-thread attributes, a subclass __init__ replayed in each thread, descriptors.
#[test]
fn thread_local_attributes() {
    let source = r#"import threading
class Settings(threading.local):
    initial = 'class-attr'
    def __init__(self, color, size=1):
        self.color = color
        self.size = size
    def describe(self):
        return f'{self.color}/{self.size}/{self.initial}'
    @property
    def double(self):
        return self.size * 2
loc = Settings('red', size=4)
loc.size = 10
seen = []
def use():
    seen.append((loc.color, loc.size, loc.describe(), loc.double, hasattr(loc, 'extra')))
    loc.extra = 1
    loc.size = 99
ts = [threading.Thread(target=use) for _ in range(2)]
for t in ts: t.start()
for t in ts: t.join()
print(seen)
print(loc.size, hasattr(loc, 'extra'), loc.double, loc.describe(), sorted(loc.__dict__.items()))
del loc.size
print(hasattr(loc, 'size'))
try:
    del loc.missing
except AttributeError as e:
    print('AttributeError:', e)
try:
    threading.local(1)
except TypeError as e:
    print('TypeError:', e)
plain = threading.local()
plain.x = 'main'
values = []
def fresh(i):
    values.append(getattr(plain, 'x', None))
    plain.x = i
for i in range(5):
    t = threading.Thread(target=fresh, args=(i,)); t.start(); t.join()
print(values, plain.x)
"#;
    let expected = r#"[('red', 4, 'red/4/class-attr', 8, False), ('red', 4, 'red/4/class-attr', 8, False)]
10 False 20 red/10/class-attr [('color', 'red'), ('size', 10)]
False
AttributeError: 'Settings' object has no attribute 'missing'
TypeError: Initialization arguments are not supported
[None, None, None, None, None] main
"#;
    assert_eq!(common::stdout_of(source), expected);
}

/// Queue/LifoQueue/PriorityQueue/SimpleQueue: blocking, timeouts, Full/Empty, task_done/join.
#[test]
fn queue_kinds_and_task_tracking() {
    let source = r#"import queue, threading
q = queue.Queue(2)
print(q.maxsize, q.qsize(), q.empty(), q.full())
q.put(1); q.put(2)
print(q.qsize(), q.empty(), q.full())
for call in (lambda: q.put(3, timeout=0.01), lambda: q.put_nowait(3)):
    try:
        call()
    except queue.Full:
        print('Full')
try:
    q.put(3, timeout=-1)
except ValueError as e:
    print('ValueError:', e)
print(q.get(), q.get_nowait())
for call in (lambda: q.get(timeout=0.01), q.get_nowait):
    try:
        call()
    except queue.Empty:
        print('Empty')
q.task_done(); q.task_done()
try:
    q.task_done()
except ValueError as e:
    print('ValueError:', e)
q.join()
bounded = queue.Queue(1)
bounded.put('a')
log = []
def putter():
    bounded.put('b')
    log.append('put done')
t = threading.Thread(target=putter); t.start()
log.append(bounded.get()); t.join(); log.append(bounded.get())
print(log)
jobs, processed = queue.Queue(), []
def worker():
    while True:
        item = jobs.get()
        if item is None:
            jobs.task_done()
            return
        processed.append(item * item)
        jobs.task_done()
ws = [threading.Thread(target=worker) for _ in range(3)]
for w in ws: w.start()
for i in range(20): jobs.put(i)
jobs.join()
print(len(processed), sum(processed), jobs.unfinished_tasks)
for w in ws: jobs.put(None)
for w in ws: w.join()
lifo, prio = queue.LifoQueue(), queue.PriorityQueue()
for x in [5, 1, 4, 2]:
    lifo.put(x); prio.put((x, str(x)))
print([lifo.get() for _ in range(4)], [prio.get() for _ in range(4)])
sq = queue.SimpleQueue()
sq.put(1); sq.put_nowait(2)
print(sq.qsize(), sq.get(), sq.get_nowait(), sq.empty())
for call in (lambda: sq.get(timeout=0.01), sq.get_nowait):
    try:
        call()
    except queue.Empty:
        print('SimpleQueue Empty')
late = []
t = threading.Thread(target=lambda: late.append(sq.get(timeout=5))); t.start()
sq.put('late'); t.join()
print(late, queue.Queue[int])
"#;
    let expected = r#"2 0 True False
2 False True
Full
Full
ValueError: 'timeout' must be a non-negative number
1 2
Empty
Empty
ValueError: task_done() called too many times
['a', 'put done', 'b']
20 2470 0
[2, 4, 1, 5] [(1, '1'), (2, '2'), (4, '4'), (5, '5')]
2 1 2 True
SimpleQueue Empty
SimpleQueue Empty
['late'] queue.Queue[int]
"#;
    assert_eq!(common::stdout_of(source), expected);
}

/// Future state machine, reprs, InvalidStateError, cancellation, timeouts and callbacks.
#[test]
fn future_states() {
    let source = r#"import concurrent.futures as cf
def masked(text):
    start = text.index(' at 0x') + 4
    end = text.index(' ', start)
    return text[:start] + '0x?' + text[end:]
f = cf.Future()
print(masked(repr(f)), f.done(), f.running(), f.cancelled())
print(f.set_running_or_notify_cancel(), masked(repr(f)), f.cancel())
f.set_result([1])
print(masked(repr(f)), f.done(), f.result(), f.exception())
try:
    f.set_result(2)
except cf.InvalidStateError as e:
    print('InvalidStateError:', masked(str(e)))
f = cf.Future(); f.set_exception(KeyError('k'))
print(masked(repr(f)), repr(f.exception()))
try:
    f.result()
except KeyError as e:
    print('KeyError', e)
f = cf.Future()
print(f.cancel(), f.cancelled(), f.done(), masked(repr(f)))
for call in (f.result, f.exception):
    try:
        call()
    except cf.CancelledError as e:
        print('CancelledError', repr(e))
f = cf.Future()
try:
    f.result(timeout=0.01)
except cf.TimeoutError as e:
    print('TimeoutError', type(e) is TimeoutError)
calls = []
f.add_done_callback(lambda fut: calls.append(('first', fut.result())))
f.set_result(5)
f.add_done_callback(lambda fut: calls.append(('late', fut.result())))
print(calls)
print(issubclass(cf.CancelledError, Exception), issubclass(cf.BrokenExecutor, RuntimeError),
      issubclass(cf.InvalidStateError, Exception), cf.FIRST_COMPLETED, cf.FIRST_EXCEPTION, cf.ALL_COMPLETED)
"#;
    let expected = r#"<Future at 0x? state=pending> False False False
True <Future at 0x? state=running> False
<Future at 0x? state=finished returned list> True [1] None
InvalidStateError: FINISHED: <Future at 0x? state=finished returned list>
<Future at 0x? state=finished raised KeyError> KeyError('k')
KeyError 'k'
True True True <Future at 0x? state=cancelled>
CancelledError CancelledError()
CancelledError CancelledError()
TimeoutError True
[('first', 5), ('late', 5)]
True True True FIRST_COMPLETED FIRST_EXCEPTION ALL_COMPLETED
"#;
    assert_eq!(common::stdout_of(source), expected);
}

/// ThreadPoolExecutor map/submit, as_completed, wait modes, shutdown(cancel_futures), initializers.
#[test]
fn thread_pool_executor() {
    let source = r#"from concurrent.futures import ThreadPoolExecutor, as_completed, wait, FIRST_COMPLETED, FIRST_EXCEPTION, BrokenExecutor, TimeoutError
import threading, time
names = []
def job(x):
    names.append(threading.current_thread().name)
    if x == 3:
        raise ValueError(f'bad {x}')
    return x * 2
with ThreadPoolExecutor(max_workers=2) as ex:
    got = []
    try:
        for value in ex.map(job, range(6)):
            got.append(value)
    except ValueError as e:
        got.append(str(e))
    print(got)
print(set(n.rsplit('_', 1)[1] for n in names) <= {'0', '1'}, all(n.startswith('ThreadPoolExecutor-') for n in names))
names.clear()
with ThreadPoolExecutor(3, thread_name_prefix='pool') as ex:
    print(list(ex.map(job, [1, 2], timeout=5)), list(ex.map(lambda a, b: a + b, 'abc', 'xyz')))
print(sorted(set(names))[0])
with ThreadPoolExecutor(4) as ex:
    fs = [ex.submit(time.sleep, d) for d in (0.06, 0.001, 0.03)]
    print([fs.index(f) for f in as_completed(fs)])
    slow = [ex.submit(time.sleep, 0.2), ex.submit(time.sleep, 0.3)]
    try:
        for f in as_completed(slow, timeout=0.01):
            print('unexpected')
    except TimeoutError as e:
        print('TimeoutError:', e)
    r = wait(slow, timeout=0.01)
    print(type(r).__name__, len(r.done), len(r.not_done))
    r = wait(slow, return_when=FIRST_COMPLETED)
    print(len(r.done), len(r.not_done), r.done == {slow[0]})
    def fail():
        time.sleep(0.01)
        raise KeyError('x')
    mixed = [ex.submit(fail), ex.submit(time.sleep, 0.3)]
    r = wait(mixed, return_when=FIRST_EXCEPTION)
    print(len(r.done), len(r.not_done), r.done == {mixed[0]})
    print(len(wait(mixed).done))
ex = ThreadPoolExecutor(1)
gate = threading.Event()
first = ex.submit(gate.wait)
rest = [ex.submit(time.sleep, 0) for _ in range(3)]
ex.shutdown(wait=False, cancel_futures=True)
print([f.cancelled() for f in rest])
gate.set(); ex.shutdown()
print(first.result())
try:
    ex.submit(print)
except RuntimeError as e:
    print('RuntimeError:', e)
ex = ThreadPoolExecutor(1)
slow_map = ex.map(time.sleep, [0.1], timeout=0.01)
try:
    list(slow_map)
except TimeoutError:
    print('map timed out')
ex.shutdown()
for bad in (lambda: ThreadPoolExecutor(0), lambda: ThreadPoolExecutor(1, initializer=5)):
    try:
        bad()
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
inits = []
with ThreadPoolExecutor(2, initializer=inits.append, initargs=('I',)) as ex:
    print(ex.submit(pow, 2, 10).result(), inits)
import sys
class Capture:
    def write(self, text): pass
    def flush(self): pass
real, sys.stderr = sys.stderr, Capture()
def bad_init(): raise ValueError('init failed')
ex = ThreadPoolExecutor(1, initializer=bad_init)
f = ex.submit(pow, 2, 3)
try:
    f.result(timeout=5)
except BrokenExecutor as e:
    print(type(e).__name__, e)
ex.shutdown()
sys.stderr = real
ex = ThreadPoolExecutor(1)
gate = threading.Event()
a, b = ex.submit(gate.wait), ex.submit(pow, 3, 3)
print(b.cancel(), a.cancel())
gate.set(); ex.shutdown()
print(a.result(), b.cancelled())
"#;
    let expected = r#"[0, 2, 4, 'bad 3']
True True
[2, 4] ['ax', 'by', 'cz']
pool_0
[1, 2, 0]
TimeoutError: 2 (of 2) futures unfinished
DoneAndNotDoneFutures 0 2
1 1 True
1 1 True
2
[True, True, True]
True
RuntimeError: cannot schedule new futures after shutdown
map timed out
ValueError max_workers must be greater than 0
TypeError initializer must be a callable
1024 ['I']
BrokenThreadPool A thread initializer failed, the thread pool is not usable anymore
True False
True True
"#;
    assert_eq!(common::stdout_of(source), expected);
}

/// At exit the runtime joins non-daemon threads and stops pool workers; daemon threads are abandoned.
#[test]
fn exit_waits_for_non_daemon_threads() {
    let source = r#"import threading, time
from concurrent.futures import ThreadPoolExecutor
def late():
    time.sleep(0.02)
    print('non-daemon thread finished')
threading.Thread(target=late).start()
def forever():
    time.sleep(100)
    print('daemon thread finished')
threading.Thread(target=forever, daemon=True).start()
ex = ThreadPoolExecutor(2)
ex.submit(time.sleep, 0.01).add_done_callback(lambda f: print('pool job finished'))
print('main module done')
"#;
    let expected = r#"main module done
pool job finished
non-daemon thread finished
"#;
    assert_eq!(common::stdout_of(source), expected);
}

/// `threading.RLock()` is the native `_thread.RLock`: reentrancy, its
/// repr, misuse errors, `_release_save`/`_acquire_restore` (what a
/// Condition's wait uses, depth included), a timed-out acquire by another
/// thread, a release handing the lock to a waiting thread (which owns it
/// when it runs), and eight threads counting under nested acquires.
#[test]
fn native_rlock() {
    let source = r#"import threading, _thread, time
r = threading.RLock()
print(type(r).__module__, type(r).__name__, type(r) is _thread.RLock)
def show(lock):
    return repr(lock).split(' at ')[0].replace('owner=' + str(threading.get_ident()), 'owner=ME')
print(show(r), r._is_owned())
print(r.acquire(), r.acquire(blocking=False), r.acquire(timeout=1), show(r), r._is_owned())
r.release(); r.release(); print(show(r)); r.release(); print(show(r))
for bad in (r.release, r._release_save):
    try: bad()
    except RuntimeError as e: print('RuntimeError', e)
try: r.acquire(False, 1)
except ValueError as e: print('ValueError', e)
try: r.acquire(timeout=-2)
except ValueError as e: print('ValueError', e)
with r:
    with r:
        print(show(r))
        count, owner = r._release_save()
        print(count, owner == threading.get_ident(), show(r))
        r._acquire_restore((count, owner))
        print(show(r))
print(show(r))
r.acquire()
out = []
def other():
    out.append(r.acquire(False))
    out.append(r.acquire(timeout=0.05))
    out.append(r._is_owned())
    try: r.release()
    except RuntimeError as e: out.append(str(e))
t = threading.Thread(target=other); t.start(); t.join()
print(out)
def later():
    got = r.acquire(timeout=5)
    out.append(('later', got, r._is_owned(), show(r).startswith('<locked')))
    r.acquire(); out.append(show(r).split(' owner')[0]); r.release(); r.release()
t = threading.Thread(target=later); t.start()
time.sleep(0.05); r.release(); t.join()
print(out[-2:], show(r))
c = threading.Condition()
items = []
def consumer():
    with c:
        with c:
            c.wait_for(lambda: items)
            out.append(('consumer', items[0], c._is_owned()))
t = threading.Thread(target=consumer); t.start()
time.sleep(0.02)
with c:
    items.append(1); c.notify()
t.join()
print(out[-1], c._is_owned())
print(repr(c).split(' at ')[0])
total = [0]
lock = threading.RLock()
def work():
    for _ in range(2000):
        with lock:
            with lock:
                total[0] += 1
ts = [threading.Thread(target=work) for _ in range(8)]
for t in ts: t.start()
for t in ts: t.join()
print(total[0], show(lock))
"#;
    let expected = r#"_thread RLock True
<unlocked _thread.RLock object owner=0 count=0 False
True True True <locked _thread.RLock object owner=ME count=3 True
<locked _thread.RLock object owner=ME count=1
<unlocked _thread.RLock object owner=0 count=0
RuntimeError cannot release un-acquired lock
RuntimeError cannot release un-acquired lock
ValueError can't specify a timeout for a non-blocking call
ValueError timeout value must be positive
<locked _thread.RLock object owner=ME count=2
2 True <unlocked _thread.RLock object owner=0 count=0
<locked _thread.RLock object owner=ME count=2
<unlocked _thread.RLock object owner=0 count=0
[False, False, False, 'cannot release un-acquired lock']
[('later', True, True, True), '<locked _thread.RLock object'] <unlocked _thread.RLock object owner=0 count=0
('consumer', 1, True) False
<Condition(<unlocked _thread.RLock object owner=0 count=0
16000 <unlocked _thread.RLock object owner=0 count=0
"#;
    assert_eq!(common::stdout_of(source), expected);
}

/// `_thread._Semaphore`, the counter under `queue.SimpleQueue`: units
/// taken and added, its errors, and a release of two units handing them
/// to the two longest of three parked waiters (the third waits on).
#[test]
fn native_counting_semaphore() {
    let source = r#"import _thread, threading, time
S = _thread._Semaphore
s = S(); print(s.value(), s.acquire(False), s.acquire(timeout=0.01))
s.release(); s.release(3); print(s.value(), s.acquire(), s.acquire(blocking=False), s.value())
for bad in (lambda: s.release(0), lambda: S(-1), lambda: s.acquire(False, 1), lambda: s.acquire(timeout=-2)):
    try: bad()
    except ValueError as e: print('ValueError', e)
print(type(s).__module__, type(s).__name__)
s = S(0)
order = []
def waiter(k):
    order.append((k, s.acquire(timeout=5)))
ts = [threading.Thread(target=waiter, args=(k,)) for k in range(3)]
for t in ts: t.start()
time.sleep(0.05)
s.release(2); time.sleep(0.05); print(sorted(order), s.value())
s.release(); [t.join() for t in ts]; print(sorted(order), s.value())
"#;
    let expected = r#"0 False False
4 True True 2
ValueError n must be one or more
ValueError semaphore initial value must be >= 0
ValueError can't specify a timeout for a non-blocking call
ValueError timeout value must be positive
_thread _Semaphore
[(0, True), (1, True)] 0
[(0, True), (1, True), (2, True)] 0
"#;
    assert_eq!(common::stdout_of(source), expected);
}

/// A Condition keeps its waiters in a native ring: notify_all wakes the
/// three still waiting, and the three whose wait timed out took their
/// parking locks out of it (its repr counts the waiters).
#[test]
fn condition_waiters_that_time_out_leave_the_queue() {
    let source = r#"import threading, time
c = threading.Condition()
res = []
def w(k):
    with c:
        res.append((k, c.wait(0.05 if k % 2 else 5)))
ts = [threading.Thread(target=w, args=(k,)) for k in range(6)]
for t in ts: t.start()
time.sleep(0.2)
with c:
    print(repr(c).split(' object')[0].split('(')[1], repr(c)[-3:])
    c.notify_all()
for t in ts: t.join()
print(sorted(res), repr(c)[-3:])
"#;
    let expected = r#"<locked _thread.RLock 3)>
[(0, True), (1, False), (2, True), (3, False), (4, True), (5, False)] 0)>
"#;
    assert_eq!(common::stdout_of(source), expected);
}

/// A `threading.excepthook` that raises shows only its own error (the
/// thread's exception was printed too, as its context); `stack_size`
/// keeps the size it is given and checks it as CPython does (it ignored
/// everything and always said 0).
#[test]
fn excepthook_errors_and_stack_size() {
    let source = r#"import io, sys, threading
def hook(a): raise RuntimeError("hook failed")
threading.excepthook = hook
saved, sys.stderr = sys.stderr, io.StringIO()
t = threading.Thread(target=lambda: 1/0); t.start(); t.join()
text, sys.stderr = sys.stderr.getvalue(), saved
print(text.splitlines()[0], 'ZeroDivisionError' in text, text.strip().splitlines()[-1])
print(threading.stack_size(1 << 20), threading.stack_size(), threading.stack_size(0))
for bad in (1000, -1, 'x'):
    try: threading.stack_size(bad)
    except (ValueError, TypeError) as e: print(type(e).__name__, e)
"#;
    let expected = "Exception in threading.excepthook: False RuntimeError: hook failed
0 1048576 0
ValueError size not valid: 1000 bytes
ValueError size must be 0 or a positive value
TypeError 'str' object cannot be interpreted as an integer
";
    assert_eq!(common::stdout_of(source), expected);
}
