"""Context variables: values that depend on the running thread and on the
context a callable runs in (Context.run). See _contextvars."""

from _contextvars import *

__all__ = ('Context', 'ContextVar', 'Token', 'copy_context')
