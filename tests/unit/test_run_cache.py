"""The run cache reuses a whole run's outcome only when nothing that decides it changed.

Each test compares a cached run with an uncached one: whatever the cache holds, the
output must be what a fresh run prints.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import fixturegen
import pytest
from bundle_lint import XML_AUTODISCOVER, write_spec
from exports import run_module

from s2slint.findings import Location, Severity
from s2slint.model import InputFile
from s2slint.rule import NotEvaluated
from s2slint.runcache import CachedRun, RunCache

AS_OF = ("--as-of", "2026-11-21")


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    return write_spec(tmp_path / "bundle", exchange_autodiscover_url=XML_AUTODISCOVER)


def check(bundle: Path, cache: Path | None, *args: str, env: dict[str, str] | None = None) -> str:
    """Lint `bundle` (JSON unless `args` say otherwise) with or without a cache."""
    where = ("--cache-dir", str(cache)) if cache else ("--no-cache",)
    argv = ("check", str(bundle), *AS_OF, "--isolated", "--exit-zero", *where)
    if "--output-format" not in args:
        argv += ("--output-format", "json")
    return run_module(*argv, *args, cwd=bundle.parent, env=env).stdout


def run_entries(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("runs/*") if p.is_file())


def file_entries(cache: Path) -> list[Path]:
    return [
        p
        for p in cache.rglob("*")
        if p.is_file()
        and p.name not in (".gitignore", "cache.key")
        and "runs" not in p.parts
        and "replays" not in p.parts
        and "unchanged" not in p.parts
        and "packs" not in p.parts
    ]


def test_a_repeated_run_is_served_whole_from_the_run_cache(bundle: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = check(bundle, cache)
    assert len(run_entries(cache)) == 1
    # With the pack and every per-file entry damaged, only the run entry can give the
    # same report (a run that wrote the pack gave its files no entries of their own).
    parsed = [*file_entries(cache), *cache.rglob("packs/*")]
    assert parsed
    for entry in parsed:
        entry.write_text("damaged")
    assert check(bundle, cache) == first
    assert {e.read_text() for e in parsed} == {"damaged"}


def test_the_html_report_from_a_cached_run_rebuilds_the_model(bundle: Path, tmp_path: Path) -> None:
    """The deployment tables need the model: built on demand, the same as a fresh run."""
    cache = tmp_path / "cache"
    check(bundle, cache)
    html = check(bundle, cache, "--output-format", "html")
    assert html == check(bundle, None, "--output-format", "html")
    assert "atl-fe-01.litwareinc.com" in html


@pytest.mark.parametrize(
    "change",
    [
        "as-of",
        "select",
        "ignore",
        "config",
        "file content",
        "file added",
        "file removed",
        "file renamed",
    ],
)
def test_a_run_whose_inputs_changed_is_not_served_from_the_cache(
    bundle: Path, tmp_path: Path, change: str
) -> None:
    cache = tmp_path / "cache"
    first = check(bundle, cache)
    args: list[str] = []
    topology = bundle / "lync" / "topology.xml"
    oauth = bundle / "lync" / "oauth-configuration.xml"
    if change == "as-of":
        args = ["--as-of", "2031-01-01"]  # the certificates have expired by then
    elif change == "select":
        args = ["--select", "OAU"]
    elif change == "ignore":
        args = ["--ignore", "OAU001"]
    elif change == "config":
        config = bundle.parent / "s2slint.toml"
        config.write_text('[rules.OAU001]\nseverity = "info"\n')
        args = ["--config", str(config)]
    elif change == "file content":
        text = oauth.read_text(encoding="utf-16")  # Export-Clixml writes UTF-16
        assert "autodiscover.xml" in text
        oauth.write_text(text.replace("autodiscover.xml", "autodiscover.svc"), encoding="utf-16")
    elif change == "file added":
        (bundle / "lync" / "extra.cer").write_bytes(b"not a certificate")
    elif change == "file removed":
        topology.unlink()
    else:
        topology.rename(bundle / "topology.xml")
    cached = check(bundle, cache, *args)
    assert cached == check(bundle, None, *args)
    if change != "file renamed":  # no finding names the topology's path
        assert cached != first
    assert len(run_entries(cache)) == 2  # a new key: the renamed run was not served either


def test_runs_that_depend_on_a_secret_or_live_dns_are_never_stored(tmp_path: Path) -> None:
    root = tmp_path / "b"
    fixturegen.write_bundle(replace(fixturegen.BundleSpec(), include_oauth_pfx=True), root)
    cache = tmp_path / "cache"
    env = {"S2SLINT_PFX_PASSWORD": fixturegen.PFX_PASSWORD}
    report = check(root, cache, env=env)
    assert json.loads(report)["findings"] is not None
    assert run_entries(cache) == []
    assert fixturegen.PFX_PASSWORD not in "".join(p.read_text() for p in file_entries(cache))
    check(root, cache, "--dns", "live", "--nameserver", "127.0.0.1", "--dns-port", "9")
    assert run_entries(cache) == []


def test_a_password_merely_set_for_a_bundle_without_pfx_keeps_the_run_cache(
    bundle: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    env = {"S2SLINT_PFX_PASSWORD": "set-in-the-shell"}
    first = check(bundle, cache, env=env)
    assert len(run_entries(cache)) == 1
    assert "set-in-the-shell" not in "".join(p.read_text() for p in run_entries(cache))
    for entry in file_entries(cache):
        entry.write_text("damaged")
    assert check(bundle, cache, env=env) == first == check(bundle, None, env=env)
    # Not served to a run without the password: whether one is supplied is in the key.
    assert check(bundle, cache) == check(bundle, None)
    assert len(run_entries(cache)) == 2


def test_damaged_or_foreign_run_entries_are_misses(bundle: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    expected = check(bundle, cache)
    (entry,) = run_entries(cache)
    for text in ("not json", '{"format": 1, "run": {"system": ["true"]}}', '{"format": 99}'):
        entry.write_text(text)
        assert check(bundle, cache) == expected


def test_a_run_entry_round_trips(tmp_path: Path) -> None:
    from s2slint.findings import Finding

    where = Location("exchange/auth-config.xml", 3, 5, "obj[0].ExchangeAutodiscoverUrl")
    finding = Finding("OAU001", "autodiscover-xml-not-svc", Severity.ERROR, "m", where, (where,))
    run = CachedRun(
        findings=(finding,),
        coverage=(("DNS004", NotEvaluated("live DNS lookups (--dns live)")),),
        files=(InputFile("exchange/auth-config.xml", "clixml"),),
        enabled=("DNS004", "OAU001"),
        suppressed=(),
    )
    cache = RunCache(tmp_path / "v", tmp_path)
    cache.put("k", run)
    assert cache.get("k") == run
    assert cache.get("missing") is None
    assert (tmp_path / ".gitignore").read_text() == "*\n"


def test_a_named_path_that_was_a_folder_keys_apart_from_the_file_it_became(
    tmp_path: Path,
) -> None:
    from datetime import UTC, datetime

    from s2slint.config import Config
    from s2slint.engine.request import RunRequest

    named = tmp_path / "named"
    named.mkdir()
    request = RunRequest(paths=(named,), config=Config(), now=datetime(2026, 11, 21, tzinfo=UTC))
    as_folder = request.fingerprint()
    named.rmdir()
    named.write_text("now a file\n")
    assert request.fingerprint() != as_folder  # folders bring the bundle findings (INP006)


def test_a_link_pointed_elsewhere_is_matched_by_the_path_globs_of_its_new_place(
    tmp_path: Path,
) -> None:
    """Per-path ignores match a file where it really is: a re-pointed link changes that."""
    first = write_spec(tmp_path / "t1", exchange_autodiscover_url=XML_AUTODISCOVER)
    write_spec(tmp_path / "t2", exchange_autodiscover_url=XML_AUTODISCOVER)
    config = tmp_path / "s2slint.toml"
    config.write_text('[per-path-ignores]\n"t1/**" = ["OAU"]\n', encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    link = work / "bundle"
    cache = tmp_path / "cache"

    def both() -> tuple[str, str]:
        argv = ("check", "bundle", *AS_OF, "--config", str(config), "--exit-zero")
        argv += ("--output-format", "json")
        cached = run_module(*argv, "--cache-dir", str(cache), cwd=work).stdout
        return cached, run_module(*argv, "--no-cache", cwd=work).stdout

    link.symlink_to(first)
    cached, fresh = both()
    assert cached == fresh and "OAU" not in json.dumps(json.loads(fresh)["findings"])
    link.unlink()
    link.symlink_to(tmp_path / "t2")
    cached, fresh = both()
    assert cached == fresh and "OAU" in json.dumps(json.loads(fresh)["findings"])


def test_a_roll_date_worked_out_on_the_hour_is_not_served_to_a_later_hour(
    tmp_path: Path,
) -> None:
    """The example's fix rolls two days ahead on the hour: 01:30 and 05:30 differ."""
    bundle = tmp_path / "example"
    shutil.copytree(Path(__file__).parents[2] / "fixtures" / "example", bundle)
    cache = tmp_path / "cache"
    outputs = []
    for instant in ("2026-11-21T01:30:00Z", "2026-11-21T05:30:00Z"):
        argv = ("check", str(bundle), "--as-of", instant, "--isolated", "--exit-zero")
        cached = run_module(*argv, "--cache-dir", str(cache), cwd=tmp_path).stdout
        assert cached == run_module(*argv, "--no-cache", cwd=tmp_path).stdout
        outputs.append(cached)
    assert outputs[0] != outputs[1] and "-EffectiveDate '2026-11-23T06:00:00Z'" in outputs[1]


def test_a_roll_date_turns_on_the_whole_utc_hour_whatever_the_offset_asked() -> None:
    from datetime import UTC, datetime, timedelta, timezone

    from rules.certificates._fixes import roll_date

    india = timezone(timedelta(hours=5, minutes=30))
    at_quarter_to = roll_date(datetime(2026, 6, 1, 10, 45, tzinfo=india), None)  # 05:15Z
    assert at_quarter_to == datetime(2026, 6, 3, 6, 0, tzinfo=UTC)
    assert roll_date(datetime(2026, 6, 1, 5, 15, tzinfo=UTC), None) == at_quarter_to


def test_where_files_are_placed_is_what_config_relative_says_file_by_file(
    tmp_path: Path,
) -> None:
    """Sources are placed where the walk resolved them; every entry lands where resolving it would."""
    from datetime import UTC, datetime

    from s2slint.config import Config
    from s2slint.engine import RunRequest, quiet
    from s2slint.engine.inputs import gather
    from s2slint.engine.plan import config_relative
    from s2slint.plugins import load_registry

    root = tmp_path / "repo"
    write_spec(root / "real", exchange_autodiscover_url=XML_AUTODISCOVER)
    (root / "bundle").symlink_to(root / "real")  # a linked folder
    oauth = root / "real" / "lync" / "oauth-configuration.xml"
    (root / "real" / "linked.xml").symlink_to(oauth)  # a linked file
    (root / "real" / "loop1").symlink_to("loop2")
    (root / "real" / "loop2").symlink_to("loop1")
    (root / "real" / "notes.txt").write_text("not an export\n")
    config = Config(root=root.resolve(), per_path_ignores=(("nowhere/*", ("OAU",)),))
    work = tmp_path / "work"  # outside the repository: files are shown as walked
    work.mkdir()
    now = datetime(2026, 11, 21, tzinfo=UTC)
    request = RunRequest(paths=(root / "bundle",), config=config, now=now, cwd=work)
    bundle = gather(request, load_registry(entry_points=False).loaders, quiet)
    shown = [source.display for source in bundle.sources] + [i.path for i in bundle.inputs]
    assert bundle.placed == tuple(config_relative(display, config, work) for display in shown)
    placed = dict(zip(shown, bundle.placed, strict=True))
    walked = f"{root}/bundle/lync/topology.xml"
    assert placed[walked] == "real/lync/topology.xml"  # through the linked folder
    assert all(at.startswith("real/") for at in bundle.placed[: len(bundle.sources)])
    assert {f"{root}/bundle/{name}" for name in ("loop1", "loop2", "notes.txt")} <= set(placed)
