"""Run every benchmark side by side and print the ratios the speed targets are set in.

`python bench/run.py` (about two minutes). Measures, on these machines, in one run:
- overhead: s2slint (cold, no cache) / the parse-only floor on the 2,000-Front-End estate;
- scaling: s2slint on the 2,000 estate / on the 200 estate;
- warm: a repeated run with the cache / the cold run;
- startup: `s2slint check` on the example bundle next to `python -c pass` and yamllint
  on a one-line file (when yamllint is installed), cold and with a warm cache;
- peak memory of s2slint on the 2,000 estate, next to the estate's size.
Each figure is the median of several runs, with min and max. Nothing here is asserted.
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
    """Compile s2slint's modules to bytecode, as `pip install` does.

    An installed package carries its `.pyc` files, and so does yamllint here. A source
    checkout run with PYTHONDONTWRITEBYTECODE=1 (as on these machines) would compile
    every module on every run instead, which is not what users see: about 30 ms more
    on every startup.
    """
    import importlib.util

    specs = [importlib.util.find_spec(name) for name in ("s2slint", "s2slint.rules")]
    folders = {str(Path(spec.origin).parent) for spec in specs if spec and spec.origin}
    subprocess.run(
        [PYTHON, "-m", "compileall", "-q", *sorted(folders)], check=True, capture_output=True
    )


def main() -> None:
    compile_bytecode()
    work = Path(tempfile.mkdtemp(prefix="s2slint-bench-"))
    try:
        small, large, cache = work / "estate200", work / "estate2000", work / "cache"
        generate(200, small)
        generate(2000, large)
        size = sum(p.stat().st_size for p in large.rglob("*") if p.is_file())
        files = sum(1 for p in large.rglob("*") if p.is_file())
        print(f"estate 2000: {files} files, {size / 1e6:.1f} MB")

        print("throughput (cold: --no-cache)")
        floor = show(
            "floor (parse only) on 2000",
            timed([PYTHON, str(ROOT / "bench" / "floor.py"), str(large)], 3),
        )
        cold_large = show("s2slint on 2000", timed(s2slint(str(large), "--no-cache"), 3))
        cold_small = show("s2slint on 200", timed(s2slint(str(small), "--no-cache"), 3))
        jobs = show(
            "s2slint on 2000 --jobs 2", timed(s2slint(str(large), "--no-cache", "--jobs", "2"), 3)
        )
        clear = [PYTHON, "-c", f"import shutil; shutil.rmtree({str(cache)!r}, ignore_errors=True)"]
        cached_cold = show(
            "s2slint on 2000, cache filled from empty",
            timed(s2slint(str(large), "--cache-dir", str(cache)), 3, before=clear),
        )
        subprocess.run(
            s2slint(str(large), "--cache-dir", str(cache)), check=False, capture_output=True
        )
        warm = show(
            "s2slint on 2000, warm cache", timed(s2slint(str(large), "--cache-dir", str(cache)), 5)
        )

        print("startup (example bundle)")
        example = str(ROOT / "fixtures" / "example")
        python = show("python -c pass", timed([PYTHON, "-c", "pass"], 15))
        tiny = work / "tiny.yaml"
        tiny.write_text("key: value\n")
        yamllint = shutil.which("yamllint")
        yaml_time = (
            show("yamllint one-line file", timed([yamllint, str(tiny)], 15)) if yamllint else None
        )
        startup_cold = show(
            "s2slint check example --no-cache", timed(s2slint(example, "--no-cache"), 15)
        )
        subprocess.run(
            s2slint(example, "--cache-dir", str(cache)), check=False, capture_output=True
        )
        startup_warm = show(
            "s2slint check example, warm cache",
            timed(s2slint(example, "--cache-dir", str(cache)), 15),
        )

        peak = peak_memory_kib(s2slint(str(large), "--no-cache"))
        print("ratios")
        print(
            f"  overhead  s2slint / floor (2000)             {cold_large / floor:5.2f} x   (target <= 1.5)"
        )
        print(
            f"  scaling   2000 / 200                         {cold_large / cold_small:5.2f} x   (target <= 11)"
        )
        print(f"  --jobs 2 / serial (2000)                     {jobs / cold_large:5.2f} x")
        print(
            f"  warm cache / cold cache-filling run          {warm / cached_cold:5.2f} x   (target <= 0.3)"
        )
        print(
            f"  startup / python -c pass                     {startup_cold / python:5.2f} x (warm {startup_warm / python:.2f} x)"
        )
        if yaml_time:
            print(
                f"  startup / yamllint                           {startup_cold / yaml_time:5.2f} x "
                f"(warm {startup_warm / yaml_time:.2f} x)   (target <= 1.5)"
            )
        print(
            f"  peak memory on 2000                          {peak / 1024:7.1f} MiB = {peak * 1024 / size:.1f} x the input (target < 10)"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    os.environ.pop("S2SLINT_CACHE_DIR", None)
    main()
