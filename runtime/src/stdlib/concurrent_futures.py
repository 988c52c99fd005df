"""Asynchronous execution of callables (concurrent.futures module).

Owns Future (the eventual outcome of a call: state machine
pending -> running -> finished, or cancelled; result()/exception() with
timeouts; done-callbacks), the Executor interface with its ordered map(),
ThreadPoolExecutor (worker threads fed from a SimpleQueue, spawned on
demand up to max_workers and stopped by shutdown() or at interpreter
exit), and the wait()/as_completed() helpers, which install a watcher on
every future they observe.
"""

import sys
import threading
import itertools
import queue
import time
from collections import namedtuple

__all__ = ('FIRST_COMPLETED', 'FIRST_EXCEPTION', 'ALL_COMPLETED',
           'CancelledError', 'TimeoutError', 'BrokenExecutor', 'Future',
           'Executor', 'wait', 'as_completed', 'ThreadPoolExecutor',
           'ProcessPoolExecutor')

FIRST_COMPLETED = 'FIRST_COMPLETED'
FIRST_EXCEPTION = 'FIRST_EXCEPTION'
ALL_COMPLETED = 'ALL_COMPLETED'
_AS_COMPLETED = '_AS_COMPLETED'

# Future states.
PENDING = 'PENDING'
RUNNING = 'RUNNING'
CANCELLED = 'CANCELLED'
# Cancelled, and the executor has seen it (so watchers were told).
CANCELLED_AND_NOTIFIED = 'CANCELLED_AND_NOTIFIED'
FINISHED = 'FINISHED'

_STATE_NAMES = {
    PENDING: 'pending',
    RUNNING: 'running',
    CANCELLED: 'cancelled',
    CANCELLED_AND_NOTIFIED: 'cancelled',
    FINISHED: 'finished',
}

_CANCELLED_STATES = (CANCELLED, CANCELLED_AND_NOTIFIED)
_SETTLED_STATES = (CANCELLED_AND_NOTIFIED, FINISHED)


class Error(Exception):
    """Base class for the errors of this module."""


class CancelledError(Error):
    """The Future was cancelled."""


TimeoutError = TimeoutError


class InvalidStateError(Error):
    """The Future is in a state that does not allow the operation."""


class BrokenExecutor(RuntimeError):
    """The executor can no longer run work (for example a worker
    initializer failed)."""


class BrokenThreadPool(BrokenExecutor):
    """A ThreadPoolExecutor whose worker initializer failed."""


def _report(message, exc):
    # Stands in for logging (not available): message and traceback go
    # to stderr.
    stream = sys.stderr
    if stream is not None:
        stream.write(message + '\n' + threading._traceback_text(exc))


# ---------------------------------------------------------------- watchers

class _Watcher:
    """Installed on futures by wait()/as_completed(); told about every
    future that completes and sets `event` when the caller should look.

    mode is _AS_COMPLETED (every completion), FIRST_COMPLETED,
    FIRST_EXCEPTION or ALL_COMPLETED; `pending` counts the observed
    futures not yet complete."""

    def __init__(self, mode, pending):
        self.mode = mode
        self.pending = pending
        self.event = threading.Event()
        self.lock = threading.Lock()
        self.finished_futures = []

    def completed(self, future, failed):
        with self.lock:
            self.finished_futures.append(future)
            self.pending -= 1
            if (self.mode in (_AS_COMPLETED, FIRST_COMPLETED)
                    or self.pending <= 0
                    or (failed and self.mode == FIRST_EXCEPTION)):
                self.event.set()


class _AllConditions:
    """Context manager holding the conditions of several futures (taken
    in a fixed order so that two callers cannot deadlock)."""

    def __init__(self, futures):
        self.futures = sorted(futures, key=id)

    def __enter__(self):
        for future in self.futures:
            future._condition.acquire()

    def __exit__(self, *exc_info):
        for future in self.futures:
            future._condition.release()


def _install_watcher(futures, mode):
    if mode not in (_AS_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION,
                    ALL_COMPLETED):
        raise ValueError(f'Invalid return condition: {mode!r}')
    pending = sum(1 for future in futures
                  if future._state not in _SETTLED_STATES)
    watcher = _Watcher(mode, pending)
    for future in futures:
        future._waiters.append(watcher)
    return watcher


def _remove_watcher(futures, watcher):
    for future in futures:
        with future._condition:
            future._waiters.remove(watcher)


# ---------------------------------------------------------------- Future

class Future:
    """The eventual outcome of an asynchronous call."""

    def __init__(self):
        self._condition = threading.Condition()
        self._state = PENDING
        self._result = None
        self._exception = None
        self._waiters = []
        self._done_callbacks = []

    def _invoke_callbacks(self):
        for callback in self._done_callbacks:
            try:
                callback(self)
            except Exception as exc:
                _report(f'exception calling callback for {self!r}', exc)

    def __repr__(self):
        with self._condition:
            where = f'<{type(self).__name__} at {hex(id(self))} ' \
                    f'state={_STATE_NAMES[self._state]}'
            if self._state == FINISHED:
                if self._exception:
                    return (f'{where} raised '
                            f'{type(self._exception).__name__}>')
                return f'{where} returned {type(self._result).__name__}>'
            return where + '>'

    def cancel(self):
        """Cancel the call unless it is running or finished; return True
        if the future is (now) cancelled."""
        with self._condition:
            if self._state in (RUNNING, FINISHED):
                return False
            if self._state in _CANCELLED_STATES:
                return True
            self._state = CANCELLED
            self._condition.notify_all()
        self._invoke_callbacks()
        return True

    def cancelled(self):
        """Return True if the future was cancelled."""
        return self._state in _CANCELLED_STATES

    def running(self):
        """Return True if the call is executing now."""
        return self._state == RUNNING

    def done(self):
        """Return True if the future was cancelled or has finished."""
        return self._state in (CANCELLED, CANCELLED_AND_NOTIFIED, FINISHED)

    def _outcome(self):
        if self._exception:
            try:
                raise self._exception
            finally:
                # Break the cycle frame -> traceback -> frame.
                self = None
        return self._result

    def add_done_callback(self, fn):
        """Call fn(future) when the future completes (at once if it
        already has)."""
        with self._condition:
            if self._state not in (CANCELLED, CANCELLED_AND_NOTIFIED,
                                   FINISHED):
                self._done_callbacks.append(fn)
                return
        try:
            fn(self)
        except Exception as exc:
            _report(f'exception calling callback for {self!r}', exc)

    def _settle(self, timeout):
        # Wait (up to timeout) for completion; called with the condition
        # held. Raises CancelledError/TimeoutError.
        if self._state in _CANCELLED_STATES:
            raise CancelledError()
        if self._state == FINISHED:
            return
        self._condition.wait(timeout)
        if self._state in _CANCELLED_STATES:
            raise CancelledError()
        if self._state != FINISHED:
            raise TimeoutError()

    def result(self, timeout=None):
        """Return the call's value, waiting up to timeout seconds; raises
        the call's exception, CancelledError or TimeoutError."""
        try:
            with self._condition:
                self._settle(timeout)
                return self._outcome()
        finally:
            self = None

    def exception(self, timeout=None):
        """Return the exception the call raised (None if it returned),
        waiting up to timeout seconds; raises CancelledError or
        TimeoutError."""
        with self._condition:
            self._settle(timeout)
            return self._exception

    def set_running_or_notify_cancel(self):
        """For executors: mark the future running (return True), or, if
        it was cancelled, tell its watchers and return False."""
        with self._condition:
            if self._state == CANCELLED:
                self._state = CANCELLED_AND_NOTIFIED
                for watcher in self._waiters:
                    watcher.completed(self, False)
                return False
            if self._state == PENDING:
                self._state = RUNNING
                return True
            raise RuntimeError('Future in unexpected state')

    def _finish(self, result, exception):
        with self._condition:
            if self._state in (CANCELLED, CANCELLED_AND_NOTIFIED, FINISHED):
                raise InvalidStateError(f'{self._state}: {self!r}')
            self._result = result
            self._exception = exception
            self._state = FINISHED
            for watcher in self._waiters:
                watcher.completed(self, exception is not None)
            self._condition.notify_all()
        self._invoke_callbacks()

    def set_result(self, result):
        """For executors: record the call's return value."""
        self._finish(result, None)

    def set_exception(self, exception):
        """For executors: record the exception the call raised."""
        self._finish(None, exception)

    def __class_getitem__(cls, item):
        import types
        return types.GenericAlias(cls, item)

    __class_getitem__ = classmethod(__class_getitem__)


# ---------------------------------------------------------------- helpers

DoneAndNotDoneFutures = namedtuple('DoneAndNotDoneFutures', 'done not_done')


def wait(fs, timeout=None, return_when=ALL_COMPLETED):
    """Wait for the futures in fs; return DoneAndNotDoneFutures(done,
    not_done) (two sets) once return_when is satisfied (FIRST_COMPLETED,
    FIRST_EXCEPTION or ALL_COMPLETED) or timeout seconds passed."""
    fs = set(fs)
    with _AllConditions(fs):
        done = {future for future in fs if future._state in _SETTLED_STATES}
        not_done = fs - done
        if return_when == FIRST_COMPLETED and done:
            return DoneAndNotDoneFutures(done, not_done)
        if return_when == FIRST_EXCEPTION and done:
            if any(not future.cancelled() and future._exception is not None
                   for future in done):
                return DoneAndNotDoneFutures(done, not_done)
        if len(done) == len(fs):
            return DoneAndNotDoneFutures(done, not_done)
        watcher = _install_watcher(fs, return_when)
    watcher.event.wait(timeout)
    _remove_watcher(fs, watcher)
    with watcher.lock:
        done.update(watcher.finished_futures)
    return DoneAndNotDoneFutures(done, fs - done)


def as_completed(fs, timeout=None):
    """Yield the futures of fs as they complete (finished or
    cancelled); raise TimeoutError if some are still pending after
    timeout seconds."""
    if timeout is not None:
        deadline = time.monotonic() + timeout
    fs = set(fs)
    total = len(fs)
    with _AllConditions(fs):
        already = [future for future in fs
                   if future._state in _SETTLED_STATES]
        pending = fs - set(already)
        watcher = _install_watcher(fs, _AS_COMPLETED)
    try:
        for future in already:
            yield future
        while pending:
            if timeout is None:
                remaining = None
            else:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(
                        f'{len(pending)} (of {total}) futures unfinished')
            watcher.event.wait(remaining)
            with watcher.lock:
                batch = watcher.finished_futures
                watcher.finished_futures = []
                watcher.event.clear()
            for future in batch:
                if future in pending:
                    pending.remove(future)
                    yield future
    finally:
        _remove_watcher(fs, watcher)


# ---------------------------------------------------------------- Executor

def _result_or_cancel(future, timeout=None):
    try:
        return future.result(timeout)
    finally:
        future.cancel()


class Executor:
    """Interface of objects that run calls asynchronously."""

    def submit(self, fn, /, *args, **kwargs):
        """Schedule fn(*args, **kwargs); return its Future."""
        raise NotImplementedError()

    def map(self, fn, *iterables, timeout=None, chunksize=1):
        """Like map(fn, *iterables) with the calls made concurrently;
        results come back in input order, and a call's exception is
        raised when its result is reached. All calls are submitted at
        once; TimeoutError if a result is not ready timeout seconds
        after map() was called."""
        if timeout is not None:
            deadline = time.monotonic() + timeout
        futures = [self.submit(fn, *call_args)
                   for call_args in zip(*iterables)]

        def results():
            try:
                futures.reverse()
                while futures:
                    if timeout is None:
                        yield _result_or_cancel(futures.pop())
                    else:
                        yield _result_or_cancel(futures.pop(),
                                                deadline - time.monotonic())
            finally:
                for future in futures:
                    future.cancel()
        return results()

    def shutdown(self, wait=True, *, cancel_futures=False):
        """Release the executor's resources; with wait=True, return only
        once all submitted calls have run."""
        pass

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.shutdown(wait=True)
        return False


# ---------------------------------------------------------------- threads

# Worker thread -> its executor's work queue, for the exit hook.
_threads_queues = {}
_interpreter_exiting = False
_global_shutdown_lock = threading.Lock()


def _stop_all_workers():
    # Runs at interpreter exit, before non-daemon threads are joined.
    global _interpreter_exiting
    with _global_shutdown_lock:
        _interpreter_exiting = True
    workers = list(_threads_queues.items())
    for _, work_queue in workers:
        work_queue.put(None)
    for thread, _ in workers:
        thread.join()


threading._register_atexit(_stop_all_workers)


class _WorkItem:
    """One submitted call and the Future that receives its outcome."""

    def __init__(self, future, fn, args, kwargs):
        self.future = future
        self.fn = fn
        self.args = args
        self.kwargs = kwargs

    def run(self):
        if not self.future.set_running_or_notify_cancel():
            return
        try:
            result = self.fn(*self.args, **self.kwargs)
        except BaseException as exc:
            self.future.set_exception(exc)
            self = None
        else:
            self.future.set_result(result)

    def __class_getitem__(cls, item):
        import types
        return types.GenericAlias(cls, item)

    __class_getitem__ = classmethod(__class_getitem__)


def _worker(executor, work_queue, initializer, initargs):
    try:
        if initializer is not None:
            try:
                initializer(*initargs)
            except BaseException as exc:
                _report('Exception in initializer:', exc)
                executor._initializer_failed()
                return
        while True:
            item = work_queue.get(block=True)
            if item is not None:
                item.run()
                item = None
                executor._idle_semaphore.release()
                continue
            if _interpreter_exiting or executor._shutdown:
                executor._shutdown = True
                # Pass the stop signal on to the next worker.
                work_queue.put(None)
                return
    except BaseException as exc:
        _report('Exception in worker', exc)
    finally:
        _threads_queues.pop(threading.current_thread(), None)


def _default_worker_count():
    try:
        import os
        cpus = os.cpu_count()
    except (ImportError, AttributeError):
        cpus = None
    return min(32, (cpus or 1) + 4)


class ThreadPoolExecutor(Executor):
    """Runs submitted calls on a pool of at most max_workers threads
    (default min(32, cpu count + 4)), started as work arrives."""

    # Numbers the default thread name prefixes.
    _counter = itertools.count().__next__

    def __init__(self, max_workers=None, thread_name_prefix='',
                 initializer=None, initargs=()):
        if max_workers is None:
            max_workers = _default_worker_count()
        if max_workers <= 0:
            raise ValueError('max_workers must be greater than 0')
        if initializer is not None and not callable(initializer):
            raise TypeError('initializer must be a callable')
        self._max_workers = max_workers
        self._work_queue = queue.SimpleQueue()
        self._idle_semaphore = threading.Semaphore(0)
        self._threads = set()
        self._broken = False
        self._shutdown = False
        self._shutdown_lock = threading.Lock()
        self._thread_name_prefix = (thread_name_prefix
                                    or f'ThreadPoolExecutor-{self._counter()}')
        self._initializer = initializer
        self._initargs = initargs

    def submit(self, fn, /, *args, **kwargs):
        """Schedule fn(*args, **kwargs) on a worker; return its Future."""
        with self._shutdown_lock, _global_shutdown_lock:
            if self._broken:
                raise BrokenThreadPool(self._broken)
            if self._shutdown:
                raise RuntimeError('cannot schedule new futures after '
                                   'shutdown')
            if _interpreter_exiting:
                raise RuntimeError('cannot schedule new futures after '
                                   'interpreter shutdown')
            future = Future()
            self._work_queue.put(_WorkItem(future, fn, args, kwargs))
            self._adjust_thread_count()
            return future

    def _adjust_thread_count(self):
        # An idle worker will pick the item up; otherwise add a worker
        # while below the limit.
        if self._idle_semaphore.acquire(timeout=0):
            return
        count = len(self._threads)
        if count < self._max_workers:
            name = f'{self._thread_name_prefix or self}_{count}'
            worker = threading.Thread(
                name=name, target=_worker,
                args=(self, self._work_queue, self._initializer,
                      self._initargs))
            self._threads.add(worker)
            _threads_queues[worker] = self._work_queue
            worker.start()

    def _initializer_failed(self):
        with self._shutdown_lock:
            self._broken = ('A thread initializer failed, the thread pool '
                            'is not usable anymore')
            while True:
                try:
                    item = self._work_queue.get_nowait()
                except queue.Empty:
                    break
                if item is not None:
                    item.future.set_exception(BrokenThreadPool(self._broken))

    def shutdown(self, wait=True, *, cancel_futures=False):
        """Stop accepting work; workers exit once the queue is drained.
        cancel_futures=True cancels the calls not started yet. With
        wait=True, return once every worker has exited."""
        with self._shutdown_lock:
            self._shutdown = True
            if cancel_futures:
                while True:
                    try:
                        item = self._work_queue.get_nowait()
                    except queue.Empty:
                        break
                    if item is not None and item.future.cancel():
                        # Tell wait()/as_completed() watchers as well.
                        item.future.set_running_or_notify_cancel()
            self._work_queue.put(None)
        if wait:
            for worker in list(self._threads):
                worker.join()


class BrokenProcessPool(BrokenExecutor):
    """Raised when a ProcessPoolExecutor cannot run its work."""


class ProcessPoolExecutor(ThreadPoolExecutor):
    """protoPython has no worker processes: this executor runs its calls
    on a pool of Python threads. Calls share memory with the caller
    (CPython's workers get pickled copies), which only shows when a call
    mutates its arguments or globals."""

    def __init__(self, max_workers=None, mp_context=None, initializer=None,
                 initargs=(), *, max_tasks_per_child=None):
        if max_workers is not None and max_workers <= 0:
            raise ValueError('max_workers must be greater than 0')
        if max_tasks_per_child is not None:
            if not isinstance(max_tasks_per_child, int):
                raise TypeError('max_tasks_per_child must be an integer')
            if max_tasks_per_child <= 0:
                raise ValueError('max_tasks_per_child must be >= 1')
        super().__init__(max_workers, 'ProcessPoolExecutor', initializer,
                         initargs)

    def map(self, fn, *iterables, timeout=None, chunksize=1):
        if chunksize < 1:
            raise ValueError('chunksize must be >= 1.')
        return super().map(fn, *iterables, timeout=timeout)
