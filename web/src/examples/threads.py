# CPU-bound threads: N threads count the primes below LIMIT, taking chunks from a shared list.
# The page sets N_THREADS from its "threads" control before each run.
import threading
import time

try:
    N_THREADS
except NameError:
    N_THREADS = 2
LIMIT = 200_000
CHUNKS = 100


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


def count_primes(todo, counts, done, slot):
    # Each thread takes the next chunk from the shared list until none is
    # left, so a thread that got quicker chunks simply takes more of them.
    while True:
        try:
            lo, hi = todo.pop()
        except IndexError:
            return
        counts[slot] += sum(1 for n in range(lo, hi) if is_prime(n))
        done[slot] += 1


def timed_run(n_threads):
    size = LIMIT // CHUNKS
    todo = [(lo, min(LIMIT, lo + size)) for lo in range(0, LIMIT, size)]
    counts = [0] * n_threads
    done = [0] * n_threads
    threads = [
        threading.Thread(target=count_primes, args=(todo, counts, done, i))
        for i in range(n_threads)
    ]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    for i, c in enumerate(counts):
        print(f"  thread {i}: {c} primes in {done[i]} chunks")
    print(f"  total {sum(counts)} primes below {LIMIT}")
    return elapsed


print("1 thread:")
t1 = timed_run(1)
print(f"time with 1 thread: {t1:.3f} s")
print(f"{N_THREADS} threads:")
tn = timed_run(N_THREADS)
print(f"time with {N_THREADS} threads: {tn:.3f} s")
print(f"speedup: {t1 / tn:.2f}x")
