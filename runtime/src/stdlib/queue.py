"""Synchronised queues for passing data between threads (queue module).

Owns Queue (FIFO, optionally bounded, with task_done()/join() tracking),
its LifoQueue and PriorityQueue (heapq-ordered) variants, the unbounded
SimpleQueue, and the Empty/Full exceptions. A Queue guards its storage
with one mutex shared by three conditions: not_empty (getters wait on
it), not_full (putters wait on it) and all_tasks_done (join() waits on
it).
"""

import threading
from _deque import ring as _ring
from _thread import _Semaphore
from collections import deque
from heapq import heappush, heappop
from time import monotonic as _clock

__all__ = ['Empty', 'Full', 'Queue', 'PriorityQueue', 'LifoQueue',
           'SimpleQueue']


class Empty(Exception):
    """Raised by a non-blocking get() (or one that timed out) on an empty
    queue."""


class Full(Exception):
    """Raised by a non-blocking put() (or one that timed out) on a full
    queue."""


def _generic_alias(cls, item):
    import types
    return types.GenericAlias(cls, item)


def _check_timeout(timeout):
    if timeout < 0:
        raise ValueError("'timeout' must be a non-negative number")


class Queue:
    """A FIFO queue; maxsize <= 0 means unbounded."""

    def __init__(self, maxsize=0):
        self.maxsize = maxsize
        self._init(maxsize)
        self.mutex = threading.Lock()
        self.not_empty = threading.Condition(self.mutex)
        self.not_full = threading.Condition(self.mutex)
        self.all_tasks_done = threading.Condition(self.mutex)
        self.unfinished_tasks = 0

    def task_done(self):
        """Mark one previously fetched item as processed; join() returns
        once every item put has been marked."""
        with self.all_tasks_done:
            left = self.unfinished_tasks - 1
            if left < 0:
                raise ValueError('task_done() called too many times')
            self.unfinished_tasks = left
            if left == 0:
                self.all_tasks_done.notify_all()

    def join(self):
        """Block until every item put has been fetched and marked with
        task_done()."""
        with self.all_tasks_done:
            while self.unfinished_tasks:
                self.all_tasks_done.wait()

    def qsize(self):
        """Return the approximate number of items in the queue."""
        with self.mutex:
            return self._qsize()

    def empty(self):
        """Return True if the queue is (momentarily) empty."""
        with self.mutex:
            return not self._qsize()

    def full(self):
        """Return True if the queue is (momentarily) full."""
        with self.mutex:
            return 0 < self.maxsize <= self._qsize()

    def put(self, item, block=True, timeout=None):
        """Add item; if the queue is full, wait (forever, or up to
        timeout seconds) for a free slot, or raise Full when not
        blocking or on timeout."""
        with self.not_full:
            if self.maxsize > 0:
                if not block:
                    if self._qsize() >= self.maxsize:
                        raise Full
                elif timeout is None:
                    while self._qsize() >= self.maxsize:
                        self.not_full.wait()
                else:
                    _check_timeout(timeout)
                    deadline = _clock() + timeout
                    while self._qsize() >= self.maxsize:
                        remaining = deadline - _clock()
                        if remaining <= 0.0:
                            raise Full
                        self.not_full.wait(remaining)
            self._put(item)
            self.unfinished_tasks += 1
            self.not_empty.notify()

    def get(self, block=True, timeout=None):
        """Remove and return an item; if the queue is empty, wait
        (forever, or up to timeout seconds), or raise Empty when not
        blocking or on timeout."""
        with self.not_empty:
            if not block:
                if not self._qsize():
                    raise Empty
            elif timeout is None:
                while not self._qsize():
                    self.not_empty.wait()
            else:
                _check_timeout(timeout)
                deadline = _clock() + timeout
                while not self._qsize():
                    remaining = deadline - _clock()
                    if remaining <= 0.0:
                        raise Empty
                    self.not_empty.wait(remaining)
            item = self._get()
            self.not_full.notify()
            return item

    def put_nowait(self, item):
        """put(item, block=False)."""
        return self.put(item, block=False)

    def get_nowait(self):
        """get(block=False)."""
        return self.get(block=False)

    # Storage hooks, overridden by the other queue kinds; called with
    # the mutex held.
    def _init(self, maxsize):
        self.queue = deque()

    def _qsize(self):
        return len(self.queue)

    def _put(self, item):
        self.queue.append(item)

    def _get(self):
        return self.queue.popleft()

    __class_getitem__ = classmethod(_generic_alias)


class PriorityQueue(Queue):
    """A queue that returns the smallest item first (entries are
    typically (priority, data) tuples)."""

    def _init(self, maxsize):
        self.queue = []

    def _qsize(self):
        return len(self.queue)

    def _put(self, item):
        heappush(self.queue, item)

    def _get(self):
        return heappop(self.queue)


class LifoQueue(Queue):
    """A queue that returns the most recently added item first."""

    def _init(self, maxsize):
        self.queue = []

    def _qsize(self):
        return len(self.queue)

    def _put(self, item):
        self.queue.append(item)

    def _get(self):
        return self.queue.pop()


class SimpleQueue:
    """An unbounded FIFO queue without task tracking: put() never
    blocks."""

    # The items live in a native ring (each push and pop atomic, as in
    # collections.deque) and a native counter holds one unit per item:
    # put() pushes, then adds a unit (handing it to a parked getter if
    # there is one); get() takes a unit, parking while there is none,
    # then pops, so a getter never finds the ring empty.

    def __init__(self):
        self._items = _ring()
        self._available = _Semaphore(0)

    def put(self, item, block=True, timeout=None):
        """Add item (block and timeout exist for compatibility with
        Queue.put and are ignored)."""
        self._items.push(item, None)
        self._available.release()

    def put_nowait(self, item):
        """put(item, block=False)."""
        return self.put(item, block=False)

    def get(self, block=True, timeout=None):
        """Remove and return an item, waiting (forever, or up to timeout
        seconds) if the queue is empty; raise Empty when not blocking or
        on timeout."""
        if not block or timeout is None:
            timeout = -1
        else:
            _check_timeout(timeout)
        if not self._available.acquire(block, timeout):
            raise Empty
        return self._items.popleft()

    def get_nowait(self):
        """get(block=False)."""
        return self.get(block=False)

    def empty(self):
        """Return True if the queue is (momentarily) empty."""
        return self._items.size() == 0

    def qsize(self):
        """Return the approximate number of items in the queue."""
        return self._items.size()

    __class_getitem__ = classmethod(_generic_alias)
