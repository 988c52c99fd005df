"""Thread objects and synchronisation primitives (threading module).

Owns the high-level thread API built on the native `_thread` module:
Thread (start/join/naming/daemon flag and the bootstrap that runs a
thread's body, reports its uncaught exception through `excepthook` and
signals join()), the registry of live threads (current_thread,
enumerate, active_count, main_thread), the primitives Lock, RLock,
Condition, Semaphore, BoundedSemaphore, Event, Barrier, Timer and
thread-local storage (`local`), plus `_shutdown()`, which the runtime
calls at interpreter exit to wait for every non-daemon thread.

Every blocking primitive ends up blocking on a `_thread` lock; a
Condition parks each waiter on a lock of its own that notify() releases.
"""

import sys as _sys
import _thread
from time import monotonic as _clock
from _deque import ring as _ring
from itertools import count as _count_from

__all__ = ['get_ident', 'active_count', 'Condition', 'current_thread',
           'enumerate', 'main_thread', 'TIMEOUT_MAX', 'Event', 'Lock',
           'RLock', 'Semaphore', 'BoundedSemaphore', 'Thread', 'Barrier',
           'BrokenBarrierError', 'Timer', 'ThreadError', 'setprofile',
           'settrace', 'local', 'stack_size', 'excepthook',
           'ExceptHookArgs', 'gettrace', 'getprofile', 'get_native_id']

_start_new_thread = _thread.start_new_thread
_allocate_lock = _thread.allocate_lock
_PlainLock = _thread.LockType
get_ident = _thread.get_ident
get_native_id = getattr(_thread, 'get_native_id', _thread.get_ident)
ThreadError = _thread.error
TIMEOUT_MAX = _thread.TIMEOUT_MAX
stack_size = _thread.stack_size
Lock = _allocate_lock

_format_exception_text = getattr(_thread, '_format_exception', None)


def _warn_deprecated(message):
    import warnings
    warnings.warn(message, DeprecationWarning, stacklevel=3)


# ---------------------------------------------------------------- tracing

_trace_function = None
_profile_function = None


def settrace(func):
    """Record a trace function for threads started from now on.

    protoPython has no tracing machinery, so the function is only kept
    for gettrace().
    """
    global _trace_function
    _trace_function = func


def gettrace():
    """Return the function recorded by settrace()."""
    return _trace_function


def setprofile(func):
    """Record a profile function (kept only for getprofile())."""
    global _profile_function
    _profile_function = func


def getprofile():
    """Return the function recorded by setprofile()."""
    return _profile_function


# ---------------------------------------------------------------- RLock

def RLock(*args, **kwargs):
    """Return a new reentrant lock.

    The thread that acquired it may acquire it again; it is unlocked
    once that thread has released it as many times as it acquired it.
    """
    return _CRLock(*args, **kwargs)


# The native RLock (as CPython's C one); _RLock below is the same lock
# written in Python (CPython's _PyRLock).
_CRLock = _thread.RLock


class _RLock:
    """Reentrant lock: an owner thread ident and a depth over a plain lock."""

    def __init__(self):
        self._inner = _allocate_lock()
        self._owner = None
        self._depth = 0

    def __repr__(self):
        owner = self._owner
        state = 'locked' if self._inner.locked() else 'unlocked'
        return (f'<{state} {type(self).__module__}.{type(self).__qualname__} '
                f'object owner={owner!r} count={self._depth} at {hex(id(self))}>')

    def acquire(self, blocking=True, timeout=-1):
        """Acquire the lock, blocking (up to timeout seconds) if another
        thread holds it. Returns True on success."""
        me = get_ident()
        if self._owner == me:
            self._depth += 1
            return True
        acquired = self._inner.acquire(blocking, timeout)
        if acquired:
            self._owner = me
            self._depth = 1
        return acquired

    __enter__ = acquire

    def release(self):
        """Undo one acquire(); only the owning thread may call it."""
        if self._owner != get_ident():
            raise RuntimeError('cannot release un-acquired lock')
        self._depth -= 1
        if self._depth == 0:
            self._owner = None
            self._inner.release()

    def __exit__(self, exc_type, exc_value, traceback):
        self.release()

    def _is_owned(self):
        return self._owner == get_ident()

    def _release_save(self):
        # Fully release (whatever the depth) for Condition.wait().
        if self._depth == 0:
            raise RuntimeError('cannot release un-acquired lock')
        saved = (self._depth, self._owner)
        self._depth = 0
        self._owner = None
        self._inner.release()
        return saved

    def _acquire_restore(self, saved):
        self._inner.acquire()
        self._depth, self._owner = saved

    def _at_fork_reinit(self):
        self._inner = _allocate_lock()
        self._owner = None
        self._depth = 0


_PyRLock = _RLock


# ---------------------------------------------------------------- Condition

class Condition:
    """A condition variable bound to a lock (an RLock unless one is given).

    wait() releases the lock, parks the caller until notify() and takes
    the lock back; each waiter parks on a lock allocated for it.
    """

    def __init__(self, lock=None):
        if lock is None:
            lock = _CRLock()
        self._lock = lock
        self.acquire = lock.acquire
        self.release = lock.release
        # Locks that know their owner (RLock) save/restore their depth
        # across a wait; a plain lock is simply released and re-taken.
        # (The two lock types every Condition of this module gets are
        # told apart directly: looking a missing hook up raises inside.)
        kind = type(lock)
        if kind is _CRLock:
            self._release_save = lock._release_save
            self._acquire_restore = lock._acquire_restore
            self._is_owned = lock._is_owned
        elif kind is not _PlainLock:
            for hook in ('_release_save', '_acquire_restore', '_is_owned'):
                method = getattr(lock, hook, None)
                if method is not None:
                    setattr(self, hook, method)
        # The waiters' parking locks, oldest first, in a native ring
        # (changed only by whoever holds the lock).
        self._waiters = _ring()

    def _at_fork_reinit(self):
        self._lock._at_fork_reinit()
        self._waiters.clear()

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, *exc_info):
        return self._lock.__exit__(*exc_info)

    def __repr__(self):
        return f'<Condition({self._lock!r}, {self._waiters.size()})>'

    def _release_save(self):
        self._lock.release()

    def _acquire_restore(self, saved):
        self._lock.acquire()

    def _is_owned(self):
        # A plain lock has no owner: if it can be taken now, nobody
        # (in particular not the caller) holds it.
        if self._lock.acquire(False):
            self._lock.release()
            return False
        return True

    def wait(self, timeout=None):
        """Release the lock and block until notified or until timeout
        seconds pass; re-acquire the lock before returning. Returns False
        if the timeout expired, True otherwise."""
        if not self._is_owned():
            raise RuntimeError('cannot wait on un-acquired lock')
        parking_lock = _allocate_lock()
        parking_lock.acquire()
        self._waiters.push(parking_lock, None)
        saved = self._release_save()
        woken = False
        try:
            if timeout is None:
                woken = parking_lock.acquire()
            elif timeout > 0:
                woken = parking_lock.acquire(True, timeout)
            else:
                woken = parking_lock.acquire(False)
        finally:
            self._acquire_restore(saved)
            if not woken:
                waiters = self._waiters
                # (This module's enumerate() lists threads.)
                index = 0
                for waiter in waiters.items():
                    if waiter is parking_lock:
                        waiters.delete(index)
                        break
                    index += 1
                else:
                    # notify() picked this waiter just after its timeout
                    # expired: the wake-up was delivered here.
                    woken = True
        return woken

    def wait_for(self, predicate, timeout=None):
        """Wait until predicate() is true (or timeout expires); return
        the last value of predicate()."""
        deadline = None
        remaining = timeout
        outcome = predicate()
        while not outcome:
            if remaining is not None:
                if deadline is None:
                    deadline = _clock() + remaining
                else:
                    remaining = deadline - _clock()
                    if remaining <= 0:
                        break
            self.wait(remaining)
            outcome = predicate()
        return outcome

    def notify(self, n=1):
        """Wake up to n threads waiting on this condition."""
        if not self._is_owned():
            raise RuntimeError('cannot notify on un-acquired lock')
        waiters = self._waiters
        while n > 0 and waiters.size():
            waiters.popleft().release()
            n -= 1

    def notify_all(self):
        """Wake up every waiting thread."""
        self.notify(self._waiters.size())

    def notifyAll(self):
        """Deprecated alias of notify_all()."""
        _warn_deprecated('notifyAll() is deprecated, use notify_all() instead')
        self.notify_all()


# ---------------------------------------------------------------- Semaphore

class Semaphore:
    """A counter that acquire() decrements (blocking at zero) and
    release() increments."""

    def __init__(self, value=1):
        if value < 0:
            raise ValueError('semaphore initial value must be >= 0')
        self._cond = Condition(Lock())
        self._value = value

    def __repr__(self):
        return (f'<{type(self).__module__}.{type(self).__qualname__} '
                f'at {hex(id(self))}: value={self._value}>')

    def acquire(self, blocking=True, timeout=None):
        """Decrement the counter, waiting (up to timeout seconds) while it
        is zero. Returns True on success, False if it gave up."""
        if not blocking and timeout is not None:
            raise ValueError("can't specify timeout for non-blocking acquire")
        deadline = None if timeout is None else _clock() + timeout
        with self._cond:
            while self._value == 0:
                if not blocking:
                    return False
                if deadline is None:
                    self._cond.wait()
                else:
                    remaining = deadline - _clock()
                    if remaining <= 0:
                        return False
                    self._cond.wait(remaining)
            self._value -= 1
            return True

    __enter__ = acquire

    def release(self, n=1):
        """Increment the counter by n, waking up to n waiters."""
        if n < 1:
            raise ValueError('n must be one or more')
        with self._cond:
            self._value += n
            self._cond.notify(n)

    def __exit__(self, exc_type, exc_value, traceback):
        self.release()


class BoundedSemaphore(Semaphore):
    """A Semaphore whose counter may never exceed its initial value."""

    def __init__(self, value=1):
        Semaphore.__init__(self, value)
        self._initial_value = value

    def __repr__(self):
        return (f'<{type(self).__module__}.{type(self).__qualname__} '
                f'at {hex(id(self))}: value={self._value}/'
                f'{self._initial_value}>')

    def release(self, n=1):
        """Increment the counter by n; ValueError if that would exceed the
        initial value."""
        if n < 1:
            raise ValueError('n must be one or more')
        with self._cond:
            if self._value + n > self._initial_value:
                raise ValueError('Semaphore released too many times')
            self._value += n
            self._cond.notify(n)


# ---------------------------------------------------------------- Event

class Event:
    """A flag that threads can wait on until another thread sets it."""

    def __init__(self):
        self._cond = Condition(Lock())
        self._flag = False

    def __repr__(self):
        state = 'set' if self._flag else 'unset'
        return (f'<{type(self).__module__}.{type(self).__qualname__} '
                f'at {hex(id(self))}: {state}>')

    def _at_fork_reinit(self):
        self._cond._at_fork_reinit()

    def is_set(self):
        """Return True if the flag is set."""
        return self._flag

    def isSet(self):
        """Deprecated alias of is_set()."""
        _warn_deprecated('isSet() is deprecated, use is_set() instead')
        return self.is_set()

    def set(self):
        """Set the flag and wake every waiting thread."""
        with self._cond:
            self._flag = True
            self._cond.notify_all()

    def clear(self):
        """Reset the flag."""
        with self._cond:
            self._flag = False

    def wait(self, timeout=None):
        """Block until the flag is set or timeout seconds pass; return the
        flag."""
        with self._cond:
            flag = self._flag
            if not flag:
                flag = self._cond.wait(timeout)
            return flag


# ---------------------------------------------------------------- Barrier

class BrokenBarrierError(RuntimeError):
    """Raised by Barrier.wait() when the barrier is broken or reset."""


# Barrier phases: threads arrive while FILLING; once the last party has
# arrived the barrier is DRAINING until every party has left; reset()
# puts a barrier with waiters in RESETTING (they leave with
# BrokenBarrierError, then it fills again); abort() or a timeout makes it
# BROKEN until reset().
_FILLING = 'filling'
_DRAINING = 'draining'
_RESETTING = 'resetting'
_BROKEN = 'broken'


class Barrier:
    """Blocks `parties` threads in wait() until all of them have arrived,
    then releases them together; reusable for successive rounds."""

    def __init__(self, parties, action=None, timeout=None):
        self._cond = Condition(Lock())
        self._parties = parties
        self._action = action
        self._timeout = timeout
        self._phase = _FILLING
        self._inside = 0

    def __repr__(self):
        where = f'{type(self).__module__}.{type(self).__qualname__}'
        if self._phase == _BROKEN:
            return f'<{where} at {hex(id(self))}: broken>'
        return (f'<{where} at {hex(id(self))}: '
                f'waiters={self.n_waiting}/{self._parties}>')

    def wait(self, timeout=None):
        """Wait for the other parties; return this thread's arrival index
        (0 .. parties-1). Raises BrokenBarrierError if the barrier breaks
        (abort, reset, timeout or a failing action)."""
        if timeout is None:
            timeout = self._timeout
        with self._cond:
            # A previous round may still be leaving (or resetting).
            while self._phase in (_DRAINING, _RESETTING):
                self._cond.wait()
            if self._phase == _BROKEN:
                raise BrokenBarrierError
            index = self._inside
            self._inside += 1
            try:
                if index + 1 == self._parties:
                    self._trip()
                else:
                    self._await_trip(timeout)
                return index
            finally:
                self._inside -= 1
                if self._inside == 0 and self._phase in (_DRAINING,
                                                         _RESETTING):
                    self._phase = _FILLING
                    self._cond.notify_all()

    def _trip(self):
        # The last party arrived: run the action, then let everyone go.
        try:
            if self._action:
                self._action()
        except BaseException:
            self._break()
            raise
        self._phase = _DRAINING
        self._cond.notify_all()

    def _await_trip(self, timeout):
        released = self._cond.wait_for(lambda: self._phase != _FILLING,
                                       timeout)
        if not released:
            self._break()
            raise BrokenBarrierError
        if self._phase in (_BROKEN, _RESETTING):
            raise BrokenBarrierError

    def _break(self):
        self._phase = _BROKEN
        self._cond.notify_all()

    def reset(self):
        """Return the barrier to its initial state; threads waiting in it
        get BrokenBarrierError."""
        with self._cond:
            if self._inside > 0:
                if self._phase in (_FILLING, _BROKEN):
                    self._phase = _RESETTING
            else:
                self._phase = _FILLING
            self._cond.notify_all()

    def abort(self):
        """Break the barrier: current and future wait() calls raise
        BrokenBarrierError until reset()."""
        with self._cond:
            self._break()

    @property
    def parties(self):
        """The number of threads required to trip the barrier."""
        return self._parties

    @property
    def n_waiting(self):
        """The number of threads currently waiting in the barrier."""
        if self._phase == _FILLING:
            return self._inside
        return 0

    @property
    def broken(self):
        """True if the barrier is broken."""
        return self._phase == _BROKEN


# ---------------------------------------------------------------- registry

_next_serial = _count_from(1).__next__


def _newname(template='Thread-%d'):
    return template % _next_serial()


# Guards _active and _limbo. _limbo holds threads between start() and
# their bootstrap registering them; _active maps ident -> Thread.
_active_lock = _allocate_lock()
_active = {}
_limbo = {}

# Callbacks run by _shutdown() before joining the remaining threads.
_at_shutdown_callbacks = []
_shutting_down = False


def _register_atexit(func, *args, **kwargs):
    """Run func(*args, **kwargs) when the interpreter shuts down, before
    the non-daemon threads are joined (latest registered runs first)."""
    if _shutting_down:
        raise RuntimeError("can't register atexit after shutdown")
    _at_shutdown_callbacks.append((func, args, kwargs))


# ---------------------------------------------------------------- Thread

class Thread:
    """A thread of control: pass `target` (with args/kwargs) or override
    run() in a subclass, then call start()."""

    _initialized = False

    def __init__(self, group=None, target=None, name=None, args=(),
                 kwargs=None, *, daemon=None):
        assert group is None, 'group argument must be None for now'
        if kwargs is None:
            kwargs = {}
        if name:
            name = str(name)
        else:
            name = _newname('Thread-%d')
            if target is not None:
                try:
                    name += f' ({target.__name__})'
                except AttributeError:
                    pass
        self._target = target
        self._name = name
        self._args = args
        self._kwargs = kwargs
        if daemon is not None:
            self._daemonic = bool(daemon)
        else:
            self._daemonic = current_thread().daemon
        self._ident = None
        self._native_id = None
        self._started = Event()
        self._is_stopped = False
        # Held from start() until the thread's body has finished.
        self._finished_lock = None
        self._local_impls = []
        self._stderr = _sys.stderr
        self._initialized = True

    def _check_initialized(self, message='thread.__init__() not called'):
        if not self._initialized:
            raise RuntimeError(message)

    def __repr__(self):
        assert self._initialized, 'Thread.__init__() was not called'
        status = 'initial'
        if self._started.is_set():
            status = 'started'
        self.is_alive()
        if self._is_stopped:
            status = 'stopped'
        if self._daemonic:
            status += ' daemon'
        if self._ident is not None:
            status += f' {self._ident}'
        return f'<{type(self).__name__}({self._name}, {status})>'

    def start(self):
        """Start the thread's activity (at most once per Thread)."""
        self._check_initialized()
        if self._started.is_set() or self._finished_lock is not None:
            raise RuntimeError('threads can only be started once')
        finished = _allocate_lock()
        finished.acquire()
        self._finished_lock = finished
        with _active_lock:
            _limbo[self] = self
        try:
            _start_new_thread(self._bootstrap, ())
        except BaseException:
            with _active_lock:
                _limbo.pop(self, None)
            self._finished_lock = None
            raise
        self._started.wait()

    def run(self):
        """The thread's body: calls the target. Override in subclasses."""
        try:
            if self._target is not None:
                self._target(*self._args, **self._kwargs)
        finally:
            # Drop the references so the thread does not keep them alive.
            del self._target, self._args, self._kwargs

    def _bootstrap(self):
        try:
            self._ident = get_ident()
            self._native_id = get_native_id()
            with _active_lock:
                _active[self._ident] = self
                _limbo.pop(self, None)
            self._started.set()
            try:
                self.run()
            except BaseException as exc:
                _report_thread_exception(self, exc)
        finally:
            self._finish()

    def _finish(self):
        ident = self._ident
        for impl in self._local_impls:
            impl.forget_thread(ident)
        self._local_impls = []
        with _active_lock:
            if _active.get(ident) is self:
                del _active[ident]
            _limbo.pop(self, None)
            self._is_stopped = True
        if not self._started.is_set():
            self._started.set()
        self._finished_lock.release()

    def join(self, timeout=None):
        """Wait until the thread finishes, or until timeout seconds pass
        (check is_alive() afterwards to tell which)."""
        self._check_initialized('Thread.__init__() not called')
        if not self._started.is_set():
            raise RuntimeError('cannot join thread before it is started')
        if self is current_thread():
            raise RuntimeError('cannot join current thread')
        if self._is_stopped:
            return
        finished = self._finished_lock
        if timeout is None:
            acquired = finished.acquire()
        else:
            acquired = finished.acquire(True, max(timeout, 0))
        if acquired:
            finished.release()

    @property
    def name(self):
        """The thread's name (only used for identification)."""
        assert self._initialized, 'Thread.__init__() not called'
        return self._name

    @name.setter
    def name(self, name):
        assert self._initialized, 'Thread.__init__() not called'
        self._name = str(name)

    @property
    def ident(self):
        """The thread's identifier (get_ident() inside it), or None
        before it started."""
        assert self._initialized, 'Thread.__init__() not called'
        return self._ident

    @property
    def native_id(self):
        """The thread's native id, or None before it started."""
        assert self._initialized, 'Thread.__init__() not called'
        return self._native_id

    def is_alive(self):
        """True from just before run() starts until just after it ends."""
        assert self._initialized, 'Thread.__init__() not called'
        if self._is_stopped or not self._started.is_set():
            return False
        return True

    @property
    def daemon(self):
        """Whether this is a daemon thread (interpreter exit does not
        wait for daemon threads)."""
        assert self._initialized, 'Thread.__init__() not called'
        return self._daemonic

    @daemon.setter
    def daemon(self, daemonic):
        if not self._initialized:
            raise RuntimeError('Thread.__init__() not called')
        if self._started.is_set():
            raise RuntimeError('cannot set daemon status of active thread')
        self._daemonic = daemonic

    def isDaemon(self):
        """Deprecated getter of daemon."""
        _warn_deprecated('isDaemon() is deprecated, get the daemon '
                         'attribute instead')
        return self.daemon

    def setDaemon(self, daemonic):
        """Deprecated setter of daemon."""
        _warn_deprecated('setDaemon() is deprecated, set the daemon '
                         'attribute instead')
        self.daemon = daemonic

    def getName(self):
        """Deprecated getter of name."""
        _warn_deprecated('getName() is deprecated, get the name attribute '
                         'instead')
        return self.name

    def setName(self, name):
        """Deprecated setter of name."""
        _warn_deprecated('setName() is deprecated, set the name attribute '
                         'instead')
        self.name = name


class _MainThread(Thread):
    """The thread the interpreter started in."""

    def __init__(self):
        Thread.__init__(self, name='MainThread', daemon=False)
        self._ident = get_ident()
        self._native_id = get_native_id()
        finished = _allocate_lock()
        finished.acquire()
        self._finished_lock = finished
        self._started.set()
        with _active_lock:
            _active[self._ident] = self


class _DummyThread(Thread):
    """Stands for a thread not started by this module (for example one
    started with _thread.start_new_thread) once it calls
    current_thread(). It is always alive and daemonic and cannot be
    joined."""

    def __init__(self):
        Thread.__init__(self, name=_newname('Dummy-%d'), daemon=True)
        self._ident = get_ident()
        self._native_id = get_native_id()
        self._started.set()
        with _active_lock:
            _active[self._ident] = self

    def is_alive(self):
        return True

    def join(self, timeout=None):
        raise RuntimeError('cannot join a dummy thread')


def current_thread():
    """Return the Thread object of the calling thread."""
    try:
        return _active[get_ident()]
    except KeyError:
        return _DummyThread()


def currentThread():
    """Deprecated alias of current_thread()."""
    _warn_deprecated('currentThread() is deprecated, use current_thread() '
                     'instead')
    return current_thread()


def main_thread():
    """Return the main Thread object."""
    return _main_thread


def active_count():
    """Return the number of Thread objects currently alive."""
    with _active_lock:
        return len(_active) + len(_limbo)


def activeCount():
    """Deprecated alias of active_count()."""
    _warn_deprecated('activeCount() is deprecated, use active_count() '
                     'instead')
    return active_count()


def enumerate():
    """Return a list of all Thread objects currently alive."""
    with _active_lock:
        return list(_active.values()) + list(_limbo.values())


# ---------------------------------------------------------------- Timer

class Timer(Thread):
    """A thread that calls function(*args, **kwargs) after `interval`
    seconds unless cancel() is called first."""

    def __init__(self, interval, function, args=None, kwargs=None):
        Thread.__init__(self)
        self.interval = interval
        self.function = function
        self.args = args if args is not None else []
        self.kwargs = kwargs if kwargs is not None else {}
        self.finished = Event()

    def cancel(self):
        """Stop the timer if it has not fired yet."""
        self.finished.set()

    def run(self):
        cancelled = self.finished.wait(self.interval)
        if not cancelled:
            self.function(*self.args, **self.kwargs)
        self.finished.set()


# ---------------------------------------------------------------- excepthook

class _ExceptHookArgs(tuple):
    """The argument of threading.excepthook: (exc_type, exc_value,
    exc_traceback, thread)."""

    __module__ = '_thread'

    _fields = ('exc_type', 'exc_value', 'exc_traceback', 'thread')

    def __new__(cls, sequence):
        values = tuple(sequence)
        if len(values) != 4:
            raise TypeError('_thread._ExceptHookArgs() takes a 4-sequence '
                            f'({len(values)}-sequence given)')
        return tuple.__new__(cls, values)

    @property
    def exc_type(self):
        return self[0]

    @property
    def exc_value(self):
        return self[1]

    @property
    def exc_traceback(self):
        return self[2]

    @property
    def thread(self):
        return self[3]

    def __repr__(self):
        fields = ', '.join(f'{field}={value!r}'
                           for field, value in zip(self._fields, self))
        return f'_thread._ExceptHookArgs({fields})'


ExceptHookArgs = _ExceptHookArgs


def _traceback_text(exc):
    if _format_exception_text is not None:
        return _format_exception_text(exc)
    # Only reached on hosts whose _thread has no formatter.
    return f'{type(exc).__name__}: {exc}\n'


def _default_excepthook(args):
    """Print the traceback of an exception raised in a thread to
    sys.stderr (a SystemExit is ignored)."""
    if args.exc_type is SystemExit:
        return
    stream = _sys.stderr
    if stream is None and args.thread is not None:
        stream = args.thread._stderr
    if stream is None:
        return
    if args.thread is not None:
        name = args.thread.name
    else:
        name = get_ident()
    text = f'Exception in thread {name}:\n'
    if args.exc_value is not None:
        text += _traceback_text(args.exc_value)
    else:
        text += f'{args.exc_type.__name__}\n'
    stream.write(text)
    flush = getattr(stream, 'flush', None)
    if flush is not None:
        flush()


excepthook = _default_excepthook
__excepthook__ = _default_excepthook


def _report_thread_exception(thread, exc):
    # Looked up at call time so a replaced threading.excepthook is used.
    hook = excepthook
    if hook is None:
        hook = __excepthook__
    args = ExceptHookArgs((type(exc), exc,
                           getattr(exc, '__traceback__', None), thread))
    try:
        hook(args)
    except BaseException as hook_error:
        # Only the hook's own error is shown, as CPython does.
        hook_error.__suppress_context__ = True
        stream = _sys.stderr
        if stream is None:
            stream = thread._stderr
        if stream is not None:
            stream.write('Exception in threading.excepthook:\n'
                         + _traceback_text(hook_error))
    finally:
        args = None


# ---------------------------------------------------------------- local

class _LocalImpl:
    """The per-thread attribute dicts of one `local` object, keyed by
    thread ident, and the constructor arguments to replay in each new
    thread."""

    def __init__(self, args, kwargs):
        self.dicts = {}
        self.init_args = args
        self.init_kwargs = kwargs

    def forget_thread(self, ident):
        self.dicts.pop(ident, None)


def _local_impl(instance):
    return object.__getattribute__(instance, '_local__impl')


def _local_dict(instance):
    # The calling thread's attribute dict; a thread touching the object
    # for the first time gets a fresh dict and a replayed __init__.
    impl = _local_impl(instance)
    ident = get_ident()
    try:
        return impl.dicts[ident]
    except KeyError:
        pass
    namespace = {}
    impl.dicts[ident] = namespace
    owner = _active.get(ident)
    if owner is not None and not isinstance(owner, (_MainThread,
                                                    _DummyThread)):
        owner._local_impls.append(impl)
    cls = type(instance)
    if cls.__init__ is not object.__init__:
        cls.__init__(instance, *impl.init_args, **impl.init_kwargs)
    return namespace


_MISSING = object()


def _class_attribute(cls, name):
    for klass in cls.__mro__:
        namespace = klass.__dict__
        if name in namespace:
            return namespace[name]
    return _MISSING


def _is_data_descriptor(attribute):
    kind = type(attribute)
    return hasattr(kind, '__get__') and (hasattr(kind, '__set__')
                                         or hasattr(kind, '__delete__'))


class local:
    """Thread-local data: attributes set on an instance are seen only by
    the thread that set them. Subclasses may define __init__, which runs
    again (with the original arguments) in every thread that uses the
    instance."""

    def __new__(cls, *args, **kwargs):
        if (args or kwargs) and cls.__init__ is object.__init__:
            raise TypeError('Initialization arguments are not supported')
        instance = object.__new__(cls)
        impl = _LocalImpl(args, kwargs)
        object.__setattr__(instance, '_local__impl', impl)
        # The creating thread's dict; type() then runs __init__ on it.
        impl.dicts[get_ident()] = {}
        owner = _active.get(get_ident())
        if owner is not None and not isinstance(owner, (_MainThread,
                                                        _DummyThread)):
            owner._local_impls.append(impl)
        return instance

    def __getattribute__(self, name):
        if name == '__dict__':
            return _local_dict(self)
        if name == '_local__impl':
            return _local_impl(self)
        namespace = _local_dict(self)
        cls = type(self)
        attribute = _class_attribute(cls, name)
        if attribute is not _MISSING and _is_data_descriptor(attribute):
            return type(attribute).__get__(attribute, self, cls)
        if name in namespace:
            return namespace[name]
        if attribute is not _MISSING:
            getter = getattr(type(attribute), '__get__', None)
            if getter is not None:
                return getter(attribute, self, cls)
            return attribute
        getattr_hook = _class_attribute(cls, '__getattr__')
        if getattr_hook is not _MISSING:
            return getattr_hook(self, name)
        raise AttributeError(
            f"'{cls.__name__}' object has no attribute '{name}'")

    def __setattr__(self, name, value):
        if name == '__dict__':
            raise AttributeError(
                f"'{type(self).__name__}' object attribute '__dict__' "
                'is read-only')
        namespace = _local_dict(self)
        attribute = _class_attribute(type(self), name)
        if attribute is not _MISSING and hasattr(type(attribute), '__set__'):
            type(attribute).__set__(attribute, self, value)
            return
        namespace[name] = value

    def __delattr__(self, name):
        if name == '__dict__':
            raise AttributeError(
                f"'{type(self).__name__}' object attribute '__dict__' "
                'is read-only')
        namespace = _local_dict(self)
        attribute = _class_attribute(type(self), name)
        if attribute is not _MISSING and hasattr(type(attribute),
                                                 '__delete__'):
            type(attribute).__delete__(attribute, self)
            return
        try:
            del namespace[name]
        except KeyError:
            raise AttributeError(
                f"'{type(self).__name__}' object has no attribute "
                f"'{name}'") from None


# ---------------------------------------------------------------- shutdown

_main_thread = _MainThread()


def _shutdown():
    """Called by the runtime once the main module has finished: run the
    _register_atexit callbacks, then wait for every non-daemon thread."""
    global _shutting_down
    if _main_thread._is_stopped:
        return
    _shutting_down = True
    for func, args, kwargs in reversed(_at_shutdown_callbacks):
        func(*args, **kwargs)
    # The main thread counts as finished from here on, so a thread that
    # joins it is released.
    if _main_thread._ident == get_ident():
        with _active_lock:
            _main_thread._is_stopped = True
        _main_thread._finished_lock.release()
    me = current_thread()
    while True:
        with _active_lock:
            remaining = [thread for thread in
                         list(_active.values()) + list(_limbo.values())
                         if not thread._daemonic and thread is not me
                         and thread._finished_lock is not None
                         and not thread._is_stopped]
        if not remaining:
            break
        for thread in remaining:
            thread.join()
