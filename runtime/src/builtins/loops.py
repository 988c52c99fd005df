"""The loops of built-in functions whose iteration runs Python code.

`list(generator)`, `sum(x for x in ...)`, `sorted(items, key=f)` and their
kin hand their loop to a function here when called straight from Python
code (see loops.rs): run as frames of the calling thread, a blocking call
inside the generator or key function parks the thread like any other call,
where the built-in's own loop would have to wait in place. Each function
does what the built-in does, in the same order; its frames stay out of
tracebacks.
"""

_tuple = tuple
_frozenset = frozenset
_dict = dict
_str_join = str.join
_list_extend = list.extend
_list_sort = list.sort
_list_copy = list.copy


def list_of(iterable):
    return [item for item in iterable]


def tuple_of(iterable):
    return _tuple([item for item in iterable])


def set_of(iterable):
    return {item for item in iterable}


def frozenset_of(iterable):
    return _frozenset([item for item in iterable])


def dict_of(iterable):
    return _dict([item for item in iterable])


def join_of(separator, iterable):
    return _str_join(separator, [item for item in iterable])


def extend_with(target, iterable):
    _list_extend(target, [item for item in iterable])


def sum_of(iterable, total):
    for item in iterable:
        total = total + item
    return total


def any_of(iterable):
    for item in iterable:
        if item:
            return True
    return False


def all_of(iterable):
    for item in iterable:
        if not item:
            return False
    return True


def max_of(iterable, key, has_default, default):
    found = False
    best = best_score = None
    for item in iterable:
        score = item if key is None else key(item)
        if not found or score > best_score:
            found = True
            best = item
            best_score = score
    if found:
        return best
    if has_default:
        return default
    raise ValueError("max() arg is an empty sequence")


def min_of(iterable, key, has_default, default):
    found = False
    best = best_score = None
    for item in iterable:
        score = item if key is None else key(item)
        if not found or score < best_score:
            found = True
            best = item
            best_score = score
    if found:
        return best
    if has_default:
        return default
    raise ValueError("min() arg is an empty sequence")


def sorted_of(iterable, key, reverse):
    items = [item for item in iterable]
    if key is None:
        _list_sort(items, reverse=reverse)
    else:
        sort_by_keys(items, [key(item) for item in items], reverse)
    return items


# The steps of a `for` loop over an `enumerate`, `zip`, `map` or `filter`
# whose draws run Python code: the iterator hands them to one of these
# generators (its state becomes `Delegated`), whose own loops draw as
# frames. `for item in iterator: ... break` draws one item that way.

def enumerate_over(iterator, count):
    for item in iterator:
        yield count, item
        count += 1


def zip_over(iterators):
    if not iterators:
        return
    while True:
        items = []
        for iterator in iterators:
            for item in iterator:
                items.append(item)
                break
            else:
                return
        yield _tuple(items)


def map_over(function, iterator):
    for item in iterator:
        try:
            result = function(item)
        except StopIteration:
            # Ends a map, as it ends the map's own step.
            return
        yield result


def map_many_over(function, iterators):
    for items in zip_over(iterators):
        try:
            result = function(*items)
        except StopIteration:
            return
        yield result


def filter_over(function, iterator):
    for item in iterator:
        if function is None:
            keep = item
        else:
            try:
                keep = function(item)
            except StopIteration:
                return
        if keep:
            yield item


def sort_in_place(items, key, reverse, attempts):
    # Keys for a copy of the items, then the sort, unless the list changed
    # meanwhile: another thread's write (a shared list starts again, a few
    # times) or the key function's own.
    while attempts:
        seen = _list_copy(items)
        if sort_by_keys(items, [key(item) for item in seen], reverse, seen):
            return
        attempts -= 1
    raise ValueError("list modified during sort")
