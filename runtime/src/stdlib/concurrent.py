"""The `concurrent` package: a namespace for `concurrent.futures`, which
is a separate embedded module (concurrent_futures.py)."""

__path__ = []
