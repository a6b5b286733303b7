"""One request's per-file results in one cache entry, written as columns.

A run after an edit (a pre-commit hook after `git add` of one export) finds every other
file in the per-file cache. Reading them back one entry at a time cost a file open, an
HMAC and a JSON document per file, and the records came back row by row: on a
2,000-server estate that was half of such a run. The pack holds the results of all the
files a request's last full run loaded, as one authenticated entry: the records of each
type are written together, column by column (`Codec.encode_as`), and a file's records
are put back in their order when the pack is read.

The pack only serves what the per-file cache would: each file is found by its per-file
cache key (its content, path, folders, the loaders and the salt), so a changed file is
simply not in it. It is not rewritten on every run: while it still serves seven files in
eight of the run (and holds little else), the files it misses are served by their own
entries; otherwise it is written anew (`worth_rewriting`). A damaged, planted or foreign
pack, or one of another format, serves nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from s2slint.codec import Codec, Unsupported
from s2slint.loaders.base import InputProblem, LoadResult

FORMAT = 1


def encode_pack(codec: Codec, keys: Sequence[str], results: Sequence[LoadResult]) -> dict[str, Any]:
    """Return the JSON-ready form of the results of files with the given cache keys.

    Raises:
        Unsupported: a record of a type the codec does not hold (a plugin's own).
    """
    types: dict[type, int] = {}
    groups: list[list[object]] = []
    files: list[list[Any]] = []
    for key, result in zip(keys, results, strict=True):
        order = []
        for record in result.records:
            number = types.get(type(record))
            if number is None:
                if not codec.holds(type(record)):
                    raise Unsupported(type(record).__name__)
                number = types[type(record)] = len(groups)
                groups.append([])
            groups[number].append(record)
            order.append(number)
        files.append([key, result.kind, order])
    problems = [problem for result in results for problem in result.problems]
    return {
        "format": FORMAT,
        "files": files,
        "types": [cls.__name__ for cls in types],
        "tables": [
            codec.encode_as(tuple[cls, ...], tuple(group))  # type: ignore[valid-type]
            for cls, group in zip(types, groups, strict=True)
        ],
        "problem_counts": [len(result.problems) for result in results],
        "problems": codec.encode_as(tuple[InputProblem, ...], tuple(problems)),
    }


def decode_pack(codec: Codec, document: Any) -> dict[str, LoadResult]:
    """Return the results a pack holds, by cache key; raise on anything malformed.

    Every count is checked against what the columns hold, so a pack whose parts do not
    fit together raises rather than give a file another file's records.
    """
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError("not a pack of this format")
    names, tables = document["types"], document["tables"]
    if type(names) is not list or type(tables) is not list or len(names) != len(tables):
        raise TypeError("types and tables do not fit")
    columns: list[Iterator[object]] = []
    for name, table in zip(names, tables, strict=True):
        cls = codec.class_named(name)
        if cls is None:
            raise TypeError(f"{name} is not a record type")
        records = codec.decode_as(tuple[cls, ...], table)  # type: ignore[valid-type]
        columns.append(iter(records))
    files, counts = document["files"], document["problem_counts"]
    problems = iter(codec.decode_as(tuple[InputProblem, ...], document["problems"]))
    if type(files) is not list or type(counts) is not list or len(files) != len(counts):
        raise TypeError("files and problem counts do not fit")
    tables_of = range(len(columns))
    found: dict[str, LoadResult] = {}
    try:
        for row, count in zip(files, counts, strict=True):
            key, kind, order = row
            if not (type(key) is str and type(kind) is str and type(order) is list):
                raise TypeError("a file of the pack")
            if type(count) is not int or count < 0:
                raise TypeError("a problem count")
            if not _INTEGER.issuperset(map(type, order)) or not all(
                map(tables_of.__contains__, order)
            ):
                raise TypeError("a record of no table")
            records = tuple([next(columns[number]) for number in order])
            taken = tuple([next(problems) for _ in range(count)])
            found[key] = LoadResult(kind, records, taken)
    except StopIteration:
        raise TypeError("more records or problems than the pack holds") from None
    if any(next(column, None) is not None for column in columns) or next(problems, None):
        raise TypeError("records or problems no file of the pack has")
    return found


_INTEGER = frozenset({int})


def worth_rewriting(served: int, loaded: int, held: int) -> bool:
    """Tell whether to write the pack anew after a run that loaded `loaded` cacheable files.

    `served` of them came from the pack, which held `held` files. Rewriting costs about
    what reading costs, so a pack that still serves seven files in eight, and holds few
    files no longer loaded, is kept as it is.
    """
    return served * 8 < loaded * 7 or (held - served) * 8 > loaded
