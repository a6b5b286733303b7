"""Run every benchmark side by side and print the ratios the speed targets are set in.

`python bench/run.py` (several minutes; `S2SLINT_BENCH_LARGE=8000` for a smaller large
estate). Measures, on these machines, in one run (the targets of issue 18):
- overhead: s2slint (cold, no cache) / the tight floor (`tight_floor.py`: bytes, lxml,
  cryptography, plain zone lines) on the 2,000-Front-End estate;
- scaling: s2slint on the 20,000 estate / on the 2,000 estate (the large estate's zone
  limit raised through a `[limits]` table);
- cache: nothing changed, and one Front End's export edited, each / the cold run;
- startup: `s2slint check` on the example bundle with `S2SLINT_PFX_PASSWORD` set and an
  `s2slint.toml` present, next to yamllint on a one-line file, cold and warm;
- peak memory of s2slint on the large estate, next to its size.
Each figure is the median of several runs, with min and max; the commands a ratio
compares (the floor and s2slint, a cached and an uncached run, yamllint and s2slint) run
in turn, a round at a time.
Nothing here is asserted.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from estate import generate  # noqa: E402

PYTHON = sys.executable


def timed(command: list[str], runs: int, before: list[str] | None = None) -> list[float]:
    """Return wall times of `command` (each run after `before`, if given)."""
    import time

    times = []
    for _ in range(runs):
        if before:
            subprocess.run(before, check=False, capture_output=True)
        started = time.perf_counter()
        subprocess.run(command, check=False, capture_output=True)
        times.append(time.perf_counter() - started)
    return times


def timed_in_turn(commands: dict[str, list[str]], runs: int) -> dict[str, list[float]]:
    """Return wall times of each command, run in turn (one of each per round).

    The machines are shared: a neighbour's load comes and goes over a minute. Timing
    the commands of one ratio in alternation exposes both sides to the same load, where
    five runs of one and then five of the other could each meet a different one.
    """
    times: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(runs):
        for label, command in commands.items():
            times[label].extend(timed(command, 1))
    return times


def show(label: str, times: list[float]) -> float:
    median = statistics.median(times)
    print(f"  {label:44s} median {median:7.3f} s   min {min(times):7.3f}   max {max(times):7.3f}")
    return median


def s2slint(*args: str) -> list[str]:
    return [PYTHON, "-m", "s2slint", "check", *args, "--as-of", "2026-11-21", "--exit-zero"]


def peak_memory_kib(command: list[str]) -> int:
    """Return the peak resident memory of a child process, in KiB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(command, check=False, capture_output=True)
    return max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def compile_bytecode() -> None:
    """Compile s2slint's modules to bytecode, as `pip install` does, and say which.

    An installed package carries its `.pyc` files, and so does yamllint here. A source
    checkout run with PYTHONDONTWRITEBYTECODE=1 (as on these machines) would compile
    every module on every run instead, which is not what users see: about 30 ms more
    on every startup (90 ms when the package's folder holds no `.pyc` at all). The
    packages are looked up by a child in this working directory, as the timed
    `python -m s2slint` finds them (the working directory first, then the install).
    """
    found = subprocess.run(
        [PYTHON, "-c", FIND_PACKAGES], check=True, capture_output=True, text=True
    ).stdout.split()
    print(f"timing s2slint from {', '.join(found)}")
    subprocess.run([PYTHON, "-m", "compileall", "-q", *found], check=True, capture_output=True)


# Print the folders `s2slint` and its built-in rules are imported from.
FIND_PACKAGES = """import importlib.util, os
for name in ("s2slint", "s2slint.rules"):
    spec = importlib.util.find_spec(name)
    if spec is not None and spec.origin:
        print(os.path.dirname(spec.origin))
"""


def startup_inputs(work: Path) -> tuple[Path, Path]:
    """Return the startup comparison's inputs, made in `work`: a bundle and a YAML file.

    The bundle is the example with an `s2slint.toml` beside it (a run then reads and
    validates a configuration); yamllint gets a one-line file. The run also needs
    `S2SLINT_PFX_PASSWORD` set, which the caller does around its timings.
    """
    example = work / "example"
    shutil.copytree(ROOT / "fixtures" / "example", example)
    (example / "s2slint.toml").write_text('output-format = "full"\n')
    tiny = work / "tiny.yaml"
    tiny.write_text("key: value\n")
    return example, tiny


def yamllint_command() -> list[str] | None:
    """Return how to run yamllint from this interpreter's environment, or None.

    Its console script beside the interpreter, as pip installs it: a `yamllint` found
    first on PATH may be a version manager's shim (pyenv's is a shell script that
    costs more than yamllint itself), which would flatter every startup ratio.
    """
    import importlib.util

    script = Path(sys.executable).parent / "yamllint"
    if script.is_file():
        return [str(script)]
    if importlib.util.find_spec("yamllint") is not None:
        return [PYTHON, "-m", "yamllint"]
    return None


def ratio(label: str, value: float, target: str) -> None:
    """Print one ratio next to its target, to three places (0.1549 is no 0.15)."""
    print(f"  {label:52s} {value:7.3f} x   (target {target})")


EDIT = """import sys
from pathlib import Path
path = Path(sys.argv[1])
text = path.read_bytes().decode("utf-16")
marker = '<S N="Issuer">'
head, _, tail = text.partition(marker)
name, _, rest = tail.partition("</S>")
count = int(name.rsplit(" ", 1)[1]) + 1 if name.rsplit(" ", 1)[1].isdigit() else 1
name = name.rsplit(" ", 1)[0] if name.rsplit(" ", 1)[1].isdigit() else name
path.write_bytes((head + marker + f"{name} {count}</S>" + rest).encode("utf-16"))
"""


def edit_one_export(estate: Path) -> list[str]:
    """Return a command that edits one Front End's export (a new value on every call)."""
    target = sorted((estate / "servers").iterdir())[0] / "certificates.xml"
    return [PYTHON, "-c", EDIT, str(target)]


def estate_size(root: Path) -> tuple[int, int]:
    """Return (files, bytes) of an estate."""
    paths = [p for p in root.rglob("*") if p.is_file()]
    return len(paths), sum(p.stat().st_size for p in paths)


LIMITS = "[limits]\nmax-zone-records = 1000000\n"


def main() -> None:
    large_count = int(os.environ.get("S2SLINT_BENCH_LARGE", "20000"))
    compile_bytecode()
    work = Path(tempfile.mkdtemp(prefix="s2slint-bench-"))
    try:
        base, large, cache = work / "estate2000", work / f"estate{large_count}", work / "cache"
        generate(2000, base)
        generate(large_count, large)
        # The large estate's zone (21 x N records) is beyond the default zone limit:
        # the bench raises it in the configuration, as a user with such a zone would.
        large_config = work / "large.toml"
        large_config.write_text(LIMITS)
        files, size = estate_size(base)
        large_files, large_size = estate_size(large)
        print(f"estate 2000: {files} files, {size / 1e6:.1f} MB")
        print(f"estate {large_count}: {large_files} files, {large_size / 1e6:.1f} MB")

        print("throughput (cold: --no-cache; the floor and s2slint in turn)")
        throughput = timed_in_turn(
            {
                "tight": [PYTHON, str(ROOT / "bench" / "tight_floor.py"), str(base)],
                "cold": s2slint(str(base), "--no-cache"),
                "jobs": s2slint(str(base), "--no-cache", "--jobs", "2"),
            },
            5,
        )
        tight = show("tight floor (bytes, lxml, cryptography, lines) on 2000", throughput["tight"])
        floor = show(
            "floor with dnspython on 2000",
            timed([PYTHON, str(ROOT / "bench" / "floor.py"), str(base)], 3),
        )
        cold = show("s2slint on 2000", throughput["cold"])
        jobs = show("s2slint on 2000 --jobs 2", throughput["jobs"])
        cold_large = show(
            f"s2slint on {large_count}",
            timed(s2slint(str(large), "--no-cache", "--config", str(large_config)), 3),
        )

        print("cache (2000)")
        clear = [PYTHON, "-c", f"import shutil; shutil.rmtree({str(cache)!r}, ignore_errors=True)"]
        filling = show(
            "cache filled from empty",
            timed(s2slint(str(base), "--cache-dir", str(cache)), 3, before=clear),
        )
        subprocess.run(
            s2slint(str(base), "--cache-dir", str(cache)), check=False, capture_output=True
        )
        cached = s2slint(str(base), "--cache-dir", str(cache))
        uncached = s2slint(str(base), "--no-cache")
        beside: list[float] = []  # cold runs in turn with the cached ones, for their ratios
        warm_times: list[float] = []
        edited_times: list[float] = []
        for _ in range(5):
            warm_times += timed(cached, 1)
            beside += timed(uncached, 1)
        for _ in range(5):
            edited_times += timed(cached, 1, before=edit_one_export(base))
            beside += timed(uncached, 1)
        warm = show("warm cache, nothing changed", warm_times)
        edited = show("warm cache, one Front End's export edited", edited_times)
        cold_beside = show("s2slint on 2000 --no-cache, in turn with these", beside)

        print("startup (example bundle, S2SLINT_PFX_PASSWORD set, s2slint.toml present)")
        example, tiny = startup_inputs(work)
        os.environ["S2SLINT_PFX_PASSWORD"] = "not-used"
        yamllint = yamllint_command()
        if yamllint is None:
            print('  yamllint is not installed: pip install -e ".[bench]" for the startup ratios')
        subprocess.run(
            s2slint(str(example), "--cache-dir", str(cache)), check=False, capture_output=True
        )
        starts = timed_in_turn(
            {
                "python": [PYTHON, "-c", "pass"],
                **({"yamllint": [*yamllint, str(tiny)]} if yamllint else {}),
                "cold": s2slint(str(example), "--no-cache"),
                "warm": s2slint(str(example), "--cache-dir", str(cache)),
            },
            15,
        )
        python = show("python -c pass", starts["python"])
        yaml_time = show("yamllint one-line file", starts["yamllint"]) if yamllint else None
        startup_cold = show("s2slint check example --no-cache", starts["cold"])
        startup_warm = show("s2slint check example, warm cache", starts["warm"])
        del os.environ["S2SLINT_PFX_PASSWORD"]

        peak = peak_memory_kib(s2slint(str(large), "--no-cache", "--config", str(large_config)))
        print("ratios (medians)")
        ratio("overhead: s2slint / tight floor (2000, --no-cache)", cold / tight, "<= 3.0")
        ratio("          s2slint / dnspython floor (2000)", cold / floor, "none: the old floor")
        ratio(
            f"scaling: {large_count} / 2000 (--no-cache)",
            cold_large / cold,
            f"<= {large_count / 2000 * 1.1:.0f}",
        )
        ratio("--jobs 2 / serial (2000)", jobs / cold, "none")
        ratio("warm cache, nothing changed / cold run", warm / cold_beside, "<= 0.15")
        ratio("warm cache, one export edited / cold run", edited / cold_beside, "<= 0.35")
        ratio("cache-filling run / cold run", filling / cold, "none")
        ratio("startup --no-cache / python -c pass", startup_cold / python, "none")
        if yaml_time:
            ratio("startup warm cache / yamllint", startup_warm / yaml_time, "<= 1.0")
            ratio("startup --no-cache / yamllint", startup_cold / yaml_time, "<= 1.5")
        ratio(
            f"peak memory on {large_count} / input ({peak / 1024:.0f} MiB)",
            peak * 1024 / large_size,
            "<= 6",
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    os.environ.pop("S2SLINT_CACHE_DIR", None)
    main()
