"""Coverage-guided fuzzing of every loader with atheris (run by hand, not by pytest).

    pip install atheris
    python tests/fuzz/fuzz_loaders.py -atheris_runs=200000 -timeout=20

With no corpus folder on the command line a seed corpus is made in a temporary folder
from `fixtures/healthy` and `fixtures/pfx-protected` (every export kind s2slint reads)
plus a few hostile shapes; pass a folder of your own to keep what the fuzzer learns
between runs. Each input is given to the loader registry as the engine does (the first
loader that claims it) and to every loader directly, claim or not. Anything but a
finding is a crash: an exception, a warning (turned into one, as under pytest), or an
INP005 (the engine's record of a loader that raised). libFuzzer writes the input as
`crash-<sha1>`; replaying it (`python tests/fuzz/fuzz_loaders.py crash-<sha1>`) exits
77 while the bug is there. Turn each into a regression test in `tests/hardening/`.

s2slint's own modules are instrumented (`atheris.instrument_imports`), so the fuzzer
steers by coverage of the code that decides what an input is; lxml, cryptography and
dnspython parse in C, Rust or uninstrumented Python.
"""

from __future__ import annotations

import importlib
import pkgutil
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["s2slint"]):
    import s2slint.loaders
    from s2slint.loaders.base import LoadContext, Loader, Secret, Source
    from s2slint.loaders.dispatch import load_file
    from s2slint.plugins import load_registry

    # Loaders import their modules on first use; import every one here, so that all
    # of them are instrumented (whatever modules are added later).
    for module in pkgutil.iter_modules(s2slint.loaders.__path__):
        importlib.import_module(f"s2slint.loaders.{module.name}")
    REGISTRY = load_registry(entry_points=False)

ROOT = Path(__file__).resolve().parents[2]
SEED_BUNDLES = (ROOT / "fixtures" / "healthy", ROOT / "fixtures" / "pfx-protected")
CONTEXTS = (LoadContext(), LoadContext(Secret("Litware-Pfx-2026!"), "fuzz"))
# Each loader on its own, claiming every input: a loader must cope with what its
# sniffer would have refused, since plugins and archives may hand it anything.
FORCED = tuple(
    Loader(loader.kind, lambda source: True, loader.load, loader.priority)
    for loader in REGISTRY.loaders
)
HOSTILE_SEEDS = (
    b'<!DOCTYPE Objs [<!ENTITY a "aa">]><Objs xmlns="http://schemas.microsoft.com/powershell/2004/04">&a;</Objs>',
    b'<Objs xmlns="http://schemas.microsoft.com/powershell/2004/04"><Obj RefId="0"><TNRef RefId="1"/>'
    b'<Props><Ref N="x" RefId="0"/><LST><S>_xD83D__xDE00_</S></LST></Props></Obj></Objs>',
    b"$ORIGIN litwareinc.com.\n@ IN SOA ns1 h 1 2 3 4 5\n$INCLUDE /etc/passwd\n$GENERATE 1-9 h$ A 10.0.0.1\n",
    b"-----BEGIN CERTIFICATE-----\nMAMCAQA=\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nAA==\n",
)


class LoaderCrash(Exception):
    """A loader answered with something other than findings."""


def check(result_problems: tuple[object, ...], what: str) -> None:
    """Raise if a contained exception (INP005) or an unknown code came back."""
    for problem in result_problems:
        code = getattr(problem, "code", None)
        if code not in ("INP001", "INP002", "INP003", "INP004"):
            message = getattr(problem, "message", problem)
            raise LoaderCrash(f"{what}: {code}: {message}")


def TestOneInput(data: bytes) -> None:
    """Give one input to the registry and to every loader; only findings may come back."""
    source = Source(path=Path("fuzz/input"), display="fuzz/input", data=data, folders=("fuzz",))
    # With and without a PFX password, chosen by the input so that replays agree.
    context = CONTEXTS[len(data) % len(CONTEXTS)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check(load_file(source, REGISTRY.loaders, context).problems, "registry")
        for loader in FORCED:
            # A fresh Source: text cached by another loader must not hide a decoding path.
            fresh = Source(source.path, source.display, source.data, source.folders)
            check(load_file(fresh, (loader,), context).problems, loader.kind)


def _seed_corpus() -> str:
    """Write the seed corpus to a temporary folder and return its path."""
    folder = Path(tempfile.mkdtemp(prefix="s2slint-fuzz-"))
    count = 0
    for bundle in SEED_BUNDLES:
        for path in sorted(bundle.rglob("*")):
            if path.is_file():
                shutil.copyfile(path, folder / f"seed-{count:03d}{path.suffix}")
                count += 1
    for index, data in enumerate(HOSTILE_SEEDS):
        (folder / f"hostile-{index}").write_bytes(data)
    print(f"seed corpus: {folder} ({count + len(HOSTILE_SEEDS)} files)", file=sys.stderr)
    return str(folder)


def main() -> None:
    """Run the fuzzer; without a corpus or input argument, seed one from the fixtures."""
    argv = list(sys.argv)
    if not any(not arg.startswith("-") for arg in argv[1:]):
        argv.append(_seed_corpus())
    atheris.Setup(argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
