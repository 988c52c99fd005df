# Generators: lazy sequences, send(), yield from and generator expressions.
def fibonacci():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b


def take(n, iterable):
    for i, item in enumerate(iterable):
        if i == n:
            return
        yield item


def running_average():
    total = count = 0
    average = None
    while True:
        value = yield average
        total += value
        count += 1
        average = total / count


def flatten(nested):
    for item in nested:
        if isinstance(item, list):
            yield from flatten(item)
        else:
            yield item


print("fibonacci:", list(take(10, fibonacci())))
averager = running_average()
next(averager)
for value in [10, 20, 60]:
    print("running average:", averager.send(value))
print("flatten:", list(flatten([1, [2, [3, 4]], 5])))
print("sum of squares:", sum(x * x for x in range(10)))
