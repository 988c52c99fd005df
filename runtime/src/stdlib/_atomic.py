"""One step at a time on shared objects, for the embedded modules whose
CPython counterparts are C code (heapq, bisect, io's in-memory streams).

Under CPython's lock each call of those C functions is atomic: two threads
pushing onto one heap, or writing to one StringIO, never see each other's
half-done step. Here threads run in parallel, so such a step on an object
another thread may reach (`_thread._is_shared`) runs inside a section: one
of a fixed set of reentrant locks, picked by the object's identity, which
parks a thread that must wait (no OS thread blocks). A local object, which
no other thread can see, needs none. Two objects may share a section; a
thread may enter one it holds again.
"""

from _thread import RLock, _is_shared as is_shared

_SECTIONS = tuple(RLock() for _ in range(64))


def section(obj):
    """The lock that a step on `obj` holds while other threads may reach it."""
    return _SECTIONS[(id(obj) >> 4) % 64]


def one_step_at_a_time(method):
    """Wraps `method` so that its calls on a shared object hold the object's
    section."""
    def step(self, *args, **kwargs):
        if is_shared(self):
            with section(self):
                return method(self, *args, **kwargs)
        return method(self, *args, **kwargs)
    step.__name__ = method.__name__
    step.__qualname__ = method.__qualname__
    step.__doc__ = method.__doc__
    return step
