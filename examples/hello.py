# A first program for protopy: ./x run examples/hello.py


def greet(name, times=1):
    """Return a friendly greeting, repeated `times` times."""
    return " ".join([f"Hello, {name}!"] * times)


print(greet("protoPython"))

squares = []
for n in range(1, 6):
    squares.append(n * n)
print("squares:", squares)

total = sum(squares)
print(f"the first {len(squares)} squares add up to {total}, average {total / len(squares):.1f}")
print(greet("world", times=2))
