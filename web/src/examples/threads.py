# CPU-bound threads: N threads count the primes below LIMIT, each in its own share of the chunks.
# The page sets N_THREADS from its "threads" control before each run.
import threading
import time

try:
    N_THREADS
except NameError:
    N_THREADS = 2
LIMIT = 200_000
CHUNKS = 40


def is_prime(n):
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    d = 3
    while d * d <= n:
        if n % d == 0:
            return False
        d += 2
    return True


def count_primes(chunks, counts, slot):
    counts[slot] = sum(1 for lo, hi in chunks for n in range(lo, hi) if is_prime(n))


def timed_run(n_threads):
    # Bigger numbers take longer to test: deal the chunks out in turn so
    # that every thread gets a fair share of the work.
    size = LIMIT // CHUNKS
    chunks = [(lo, min(LIMIT, lo + size)) for lo in range(0, LIMIT, size)]
    counts = [0] * n_threads
    threads = [
        threading.Thread(target=count_primes, args=(chunks[i::n_threads], counts, i))
        for i in range(n_threads)
    ]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    for i, c in enumerate(counts):
        print(f"  thread {i}: {c} primes in {len(chunks[i::n_threads])} chunks")
    print(f"  total {sum(counts)} primes below {LIMIT}")
    return elapsed


print("1 thread:")
t1 = timed_run(1)
print(f"time with 1 thread: {t1:.3f} s")
print(f"{N_THREADS} threads:")
tn = timed_run(N_THREADS)
print(f"time with {N_THREADS} threads: {tn:.3f} s")
print(f"speedup: {t1 / tn:.2f}x")
