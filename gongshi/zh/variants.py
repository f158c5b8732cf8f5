"""Names that differ only in traditional and simplified form (陸璐 / 陆璐, 張三 / 张三).

Such names are the same name typed in two ways (a list from Hong Kong or Taiwan, a
traditional-character input method, a pasted document), so an exact comparison misses the
duplicate. Each name is reduced to a key with OpenCC's traditional-to-simplified table
(t2s, which also folds variant characters such as 餘/余); two different names with the same
key are possibly one person or body. The converter is built once per process, and each
distinct name is converted once, in one call.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def simplified_forms(names: Iterable[str]) -> dict[str, str]:
    """{name: its traditional-to-simplified form} for every distinct name."""
    distinct = list(dict.fromkeys(names))
    if not distinct:
        return {}
    converter = _converter()
    # Names hold no line breaks (they are normalised), and the conversion never adds or
    # removes one: all names convert in one call, far faster than one call each.
    converted = converter.convert("\n".join(distinct)).split("\n")
    if len(converted) != len(distinct):  # a name with a line break after all
        converted = [converter.convert(name) for name in distinct]
    return dict(zip(distinct, converted))


def variant_pairs(names: Sequence[str], forms: dict[str, str]) -> list[tuple[int, int]]:
    """(i, j) with i < j: names[j] differs from names[i] only in traditional/simplified form.

    i is the first name of the group; one pair for the first occurrence of each other
    spelling (exact repeats are the exact-duplicate check's business).
    """
    distinct = set(names)
    if len(set(map(forms.__getitem__, distinct))) == len(distinct):
        return []  # the common case: no two spellings share a key
    first_of_key: dict[str, int] = {}
    seen_spellings: set[str] = set()
    pairs = []
    for index, name in enumerate(names):
        key = forms[name]
        first = first_of_key.setdefault(key, index)
        if name in seen_spellings:
            continue
        seen_spellings.add(name)
        if first != index and names[first] != name:
            pairs.append((first, index))
    return pairs
