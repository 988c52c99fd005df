# Classes: inheritance, super(), properties, dunder methods and a dataclass.
from dataclasses import dataclass


class Shape:
    def __init__(self, name):
        self.name = name

    def area(self):
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}({self.name!r}, area={self.area():.2f})"


class Rectangle(Shape):
    def __init__(self, width, height):
        super().__init__("rectangle")
        self.width, self.height = width, height

    def area(self):
        return self.width * self.height


class Circle(Shape):
    def __init__(self, radius):
        super().__init__("circle")
        self.radius = radius

    @property
    def diameter(self):
        return 2 * self.radius

    def area(self):
        return 3.141592653589793 * self.radius ** 2


@dataclass
class Point:
    x: int
    y: int

    def __add__(self, other):
        return Point(self.x + other.x, self.y + other.y)


shapes = [Rectangle(3, 4), Circle(1.5)]
for shape in sorted(shapes, key=lambda s: s.area()):
    print(shape)
print("circle diameter:", shapes[1].diameter)
print("total area:", round(sum(s.area() for s in shapes), 2))
print(Point(1, 2) + Point(10, 20))
