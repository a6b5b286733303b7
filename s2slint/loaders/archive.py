"""Read `Export-CsConfiguration` ZIP archives in memory, member by member.

The member names of these archives are not documented publicly, so none is
hard-coded: every member is sniffed like a file of the bundle. Nothing is ever
written to disk. Members with `..`, absolute paths or links are refused, and so are
archives beyond the limits below (a ZIP bomb would otherwise exhaust memory): each
such refusal is INP004 and the rest of the archive is still read.
"""

from __future__ import annotations

import io
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from s2slint.loaders.base import InputProblem, LoadContext, Loader, LoadResult, Source
from s2slint.loaders.dispatch import load_file
from s2slint.loaders.exportsniff import ZIP_MAGIC
from s2slint.loaders.exportsniff import sniff_archive as sniff_archive  # its loader's sniff

if TYPE_CHECKING:
    import zipfile


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    """How much an archive may hold before it is refused for safety."""

    max_members: int = 10_000
    max_member_bytes: int = 64 * 1024 * 1024
    max_total_bytes: int = 256 * 1024 * 1024
    max_ratio: int = 200
    max_depth: int = 2


LIMITS = ArchiveLimits()


def unsafe_member_name(name: str) -> str | None:
    """Return why a member name is unsafe (traversal, absolute path), or None."""
    normalized = name.replace("\\", "/")
    if normalized.startswith("/") or (len(normalized) > 1 and normalized[1] == ":"):
        return "an absolute path"
    if ".." in PurePosixPath(normalized).parts:
        return 'a ".." path component'
    return None


def _is_link(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def load_archive(source: Source, ctx: LoadContext) -> LoadResult:
    """Read every member of a ZIP archive with the run's loaders."""
    return _load(source, ctx, depth=1)


def _member_loaders(ctx: LoadContext, depth: int) -> Sequence[Loader]:
    """Return the loaders for members: the run's, else the built-in ones.

    Archives are among them only while the nesting depth allows another level.
    """
    if ctx.loaders:
        loaders = list(ctx.loaders)
    else:
        from s2slint.loaders import builtin_loaders

        loaders = sorted(builtin_loaders(), key=lambda loader: (loader.priority, loader.kind))
    return [loader for loader in loaders if loader.kind != "zip" or depth < LIMITS.max_depth]


def _load(source: Source, ctx: LoadContext, depth: int) -> LoadResult:
    import zipfile  # only an archive needs it; sniffing one does not

    def refuse(message: str, member: str | None = None) -> InputProblem:
        pointer = f"!/{member}" if member else None
        return InputProblem("INP004", message, source.location(pointer=pointer))

    try:
        archive = zipfile.ZipFile(io.BytesIO(source.data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
        return LoadResult(
            "zip",
            problems=(
                InputProblem("INP001", f"malformed ZIP archive: {error}", source.location()),
            ),
        )
    problems: list[InputProblem] = []
    records: list[object] = []
    if len(infos) > LIMITS.max_members:
        return LoadResult(
            "zip",
            problems=(
                refuse(
                    f"ZIP archive has {len(infos)} members, more than the {LIMITS.max_members} s2slint reads"
                ),
            ),
        )
    declared = sum(info.file_size for info in infos)
    if declared > LIMITS.max_total_bytes:
        return LoadResult(
            "zip",
            problems=(
                refuse(
                    f"ZIP archive would expand to {declared} bytes, more than the "
                    f"{LIMITS.max_total_bytes} s2slint reads"
                ),
            ),
        )
    unknown: list[str] = []
    loaders = _member_loaders(ctx, depth)
    for info in sorted(infos, key=lambda i: i.filename):
        name = info.filename
        if info.is_dir():
            continue
        reason = unsafe_member_name(name)
        if reason is not None:
            problems.append(refuse(f'ZIP member "{name}" refused: {reason}', name))
            continue
        if _is_link(info):
            problems.append(refuse(f'ZIP member "{name}" refused: a symbolic link', name))
            continue
        if info.file_size > LIMITS.max_member_bytes:
            problems.append(
                refuse(
                    f'ZIP member "{name}" refused: {info.file_size} bytes is over the limit', name
                )
            )
            continue
        if info.compress_size and info.file_size / info.compress_size > LIMITS.max_ratio:
            problems.append(
                refuse(
                    f'ZIP member "{name}" refused: compression ratio over {LIMITS.max_ratio} (a ZIP bomb?)',
                    name,
                )
            )
            continue
        try:
            with archive.open(info) as handle:
                data = handle.read(LIMITS.max_member_bytes + 1)
        except (zipfile.BadZipFile, RuntimeError, ValueError, EOFError, OSError) as error:
            problems.append(
                InputProblem(
                    "INP001",
                    f'ZIP member "{name}" cannot be read: {error}',
                    source.location(pointer=f"!/{name}"),
                )
            )
            continue
        if len(data) > LIMITS.max_member_bytes:
            problems.append(
                refuse(f'ZIP member "{name}" refused: it expands beyond its declared size', name)
            )
            continue
        member = Source(
            path=source.path,
            display=f"{source.display}!/{name}",
            data=data,
            folders=source.folders + tuple(PurePosixPath(name).parts[:-1]),
        )
        if member.data.startswith(ZIP_MAGIC) and depth < LIMITS.max_depth:
            result = _load(member, ctx, depth + 1)
        else:
            result = load_file(member, loaders, ctx)
        if not result.kind and all(p.code == "INP002" for p in result.problems):
            unknown.append(name)
            continue
        records.extend(result.records)
        problems.extend(result.problems)
    if unknown:
        shown = ", ".join(f'"{n}"' for n in unknown[:5]) + (" ..." if len(unknown) > 5 else "")
        problems.append(
            InputProblem(
                "INP002",
                f"{len(unknown)} member(s) of the archive are of no kind s2slint reads: {shown}",
                source.location(),
            )
        )
    return LoadResult("zip", tuple(records), tuple(problems))
