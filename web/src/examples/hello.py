# Hello from protoPython, running in your browser (WebAssembly, in a Web Worker).
import sys

print("Hello, world!")
print("Python", sys.version.split()[0], "on", sys.platform)
for word in ["print", "to", "stdout"]:
    print(word, end=" ")
print()
print("and to stderr", file=sys.stderr)
