"""Split a short run's time into what s2slint controls and what it does not.

Two of issue 18's targets compare s2slint with something whose cost s2slint does
not set: a startup with `yamllint`, and a warm run with the cold run, which the
overhead target ties to the tight floor. Part of every s2slint run is fixed as well:
starting the interpreter and importing the modules it needs from outside s2slint
(lxml for every XML export, cryptography for every certificate, pluggy, tomllib,
dataclasses). This script measures those fixed parts next to s2slint's own and
prints what each target leaves for s2slint:

- startup: `s2slint check` on the example bundle with `--no-cache` (set up as
  `run.py` sets it up), against 1.5x yamllint on a one-line file. The fixed part is
  `python -c pass` plus importing, in a fresh interpreter, every module outside
  s2slint that such a run imports. The time spent making s2slint's dataclasses (each
  compiles its methods when its module is imported) is shown apart.
- cache coupling: at the overhead target (3.0x the tight floor), a warm run with
  nothing changed may take 0.15 x 3.0 = 0.45x the tight floor. What such a run cannot
  avoid is starting Python, importing what it needs from outside s2slint, and looking
  at every file of the estate (a warm run must, to know that nothing changed): the
  lean walk here lists each folder with `os.scandir` and takes each file's `lstat`.
  The rest of that allowance is s2slint's.

Medians of several runs, the commands of one comparison in turn. Nothing here is
asserted. Usage: `python bench/budget.py` (about 20 seconds).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from estate import generate
from run import (
    PYTHON,
    ROOT,
    compile_bytecode,
    s2slint,
    show,
    startup_inputs,
    timed_in_turn,
    yamllint_command,
)

# Run in a child as `python -m s2slint` runs (the cycle collector off before any
# import): `check` in-process, then print the modules it imported beyond those the
# interpreter had at start, as JSON on the last line.
LIST_IMPORTS = """import gc, sys
gc.disable()
before = set(sys.modules)
from s2slint.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
imported = sorted(set(sys.modules) - before)
import json
print()
print(json.dumps(imported))
"""

# Print, as JSON, which of the names in argv[1] import by name in a fresh interpreter
# (a member of an extension module, such as `_openssl.lib`, does not: its extension
# brings it in).
IMPORTABLE = """import importlib, json, sys
names = []
for name in json.loads(sys.argv[1]):
    try:
        importlib.import_module(name)
    except ImportError:
        continue
    names.append(name)
print(json.dumps(names))
"""

# Import the modules named in argv[1] (JSON), the collector off as in a run.
IMPORT_ALL = """import gc
gc.disable()
import importlib, json, sys
for name in json.loads(sys.argv[1]):
    importlib.import_module(name)
"""

# Time each dataclass that a run makes while its modules are imported: the decorator
# is wrapped before s2slint is imported, so every `@dataclass(...)` goes through it.
TIME_DATACLASSES = """import gc
gc.disable()
import dataclasses, json, sys, time
made = []
plain = dataclasses.dataclass
def timed(cls=None, /, **options):
    def wrap(cls):
        started = time.perf_counter()
        result = plain(**options)(cls)
        if cls.__module__.startswith("s2slint"):
            made.append(time.perf_counter() - started)
        return result
    return wrap if cls is None else wrap(cls)
dataclasses.dataclass = timed
from s2slint.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print()
print(json.dumps([len(made), sum(made)]))
"""


def last_json(command: list[str]) -> Any:
    """Run `command` and return the JSON on the last line of its output."""
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def imported_by(arguments: list[str]) -> list[str]:
    """Return the modules a `check` with `arguments` imports that import by name."""
    names = last_json([PYTHON, "-c", LIST_IMPORTS, *arguments])
    importable: list[str] = last_json([PYTHON, "-c", IMPORTABLE, json.dumps(names)])
    return importable


def importing(names: list[str]) -> list[str]:
    """Return a command that imports `names` in a fresh interpreter (checked once)."""
    command = [PYTHON, "-c", IMPORT_ALL, json.dumps(names)]
    subprocess.run(command, check=True, capture_output=True)
    return command


def walk_floor(root: Path, runs: int = 5) -> float:
    """Return the least time a lean walk of `root` takes: `os.scandir`, an `lstat` per file."""
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        folders = [os.fspath(root)]
        while folders:
            with os.scandir(folders.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(entry.path)
                    else:
                        entry.stat(follow_symlinks=False)
        best = min(best, time.perf_counter() - started)
    return best


def line(label: str, seconds: float, note: str = "") -> None:
    """Print a figure worked out from the medians, aligned with `show`'s."""
    print(f"  {label:44s}        {seconds:7.3f} s   {note}".rstrip())


def startup(work: Path) -> None:
    """Print the startup target's budget: the example bundle, --no-cache, vs yamllint."""
    example, tiny = startup_inputs(work)
    os.environ["S2SLINT_PFX_PASSWORD"] = "not-used"
    command = s2slint(str(example), "--no-cache")
    check = command[3:]  # the arguments after `python -m s2slint`
    outside = [name for name in imported_by(check) if not name.startswith("s2slint")]
    made, making = last_json([PYTHON, "-c", TIME_DATACLASSES, *check])
    yamllint = yamllint_command()
    times = timed_in_turn(
        {
            "python": [PYTHON, "-c", "pass"],
            "outside": importing(outside),
            "s2slint": command,
            **({"yamllint": [*yamllint, str(tiny)]} if yamllint else {}),
        },
        15,
    )
    del os.environ["S2SLINT_PFX_PASSWORD"]
    print("startup (example bundle, --no-cache, S2SLINT_PFX_PASSWORD set, s2slint.toml present)")
    python = show("python -c pass", times["python"])
    fixed = show(f"python + {len(outside)} modules from outside s2slint", times["outside"])
    total = show("s2slint check example --no-cache", times["s2slint"])
    line("the modules from outside s2slint alone", fixed - python)
    line("s2slint's own share (the difference)", total - fixed)
    line(f"  of which making its {made} dataclasses", making, "(one run)")
    if yamllint:
        yaml = show("yamllint one-line file", times["yamllint"])
        line("s2slint's own share allowed at 1.5x", 1.5 * yaml - fixed)
        print(f"  {'ratio now':44s}        {total / yaml:7.3f} x yamllint (target <= 1.5)")


def coupling(work: Path) -> None:
    """Print what the overhead target leaves a warm run of the 2000 estate."""
    estate = work / "estate2000"
    cache = work / "cache"
    generate(2000, estate)
    # A file changed less than 3 s before a run read it is read again by the next run
    # (`engine.learned`): the cache is filled once the files are older than that.
    time.sleep(3.5)
    warm = s2slint(str(estate), "--cache-dir", str(cache))
    subprocess.run(warm, check=False, capture_output=True)  # fills the cache
    modules = imported_by(warm[3:])
    outside = [name for name in modules if not name.startswith("s2slint")]
    made, making = last_json([PYTHON, "-c", TIME_DATACLASSES, *warm[3:]])
    times = timed_in_turn(
        {
            "tight": [PYTHON, str(ROOT / "bench" / "tight_floor.py"), str(estate)],
            "outside": importing(outside),
            "imports": importing(modules),
            "warm": warm,
            "cold": s2slint(str(estate), "--no-cache"),
        },
        5,
    )
    print("cache coupling (2000 estate; the overhead target is 3.0x the tight floor)")
    tight = show("tight floor", times["tight"])
    cold = show("s2slint --no-cache", times["cold"])
    line("cold run allowed at 3.0x", 3.0 * tight, f"(now {cold / tight:.2f}x)")
    line("warm run allowed then (0.15 x 3.0 x floor)", 0.45 * tight)
    fixed = show(f"python + {len(outside)} modules from outside s2slint", times["outside"])
    imports = show(f"python + all {len(modules)} modules a warm run imports", times["imports"])
    line(f"  of which making s2slint's {made} dataclasses", making, "(one run)")
    walked = walk_floor(estate)
    line("scandir and lstat of every file (least of 5)", walked)
    line("python, outside modules and that walk", fixed + walked)
    line("the same with today's s2slint modules", imports + walked)
    show("s2slint warm, nothing changed", times["warm"])


def main() -> None:
    compile_bytecode()
    work = Path(tempfile.mkdtemp(prefix="s2slint-budget-"))
    try:
        startup(work)
        coupling(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    os.environ.pop("S2SLINT_CACHE_DIR", None)
    main()
