"""The pre-commit hook, through the real pre-commit client and a real `git commit`.

A throwaway consumer repository names this checkout in its `.pre-commit-config.yaml`
by local path, as a configuration repository would name s2slint on GitHub. pre-commit
clones the hook repository at `rev`, so it only ever sees committed code: in CI
(`.ci/run` in a clean clone) the checkout itself and its HEAD are used; in a working
tree with uncommitted changes, a snapshot of the tree (tracked and untracked files
git does not ignore) is committed into a temporary repository first, so the test
always exercises the code under test. The first run builds the hook's virtualenv
from PyPI (10-20 s); if the registry cannot be reached the test is skipped, saying so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT
from exports import run_module

pytest.importorskip("pre_commit", reason="pre-commit is not installed (pip install -e '.[test]')")

NETWORK_TROUBLE = (
    "Could not find a version",
    "No matching distribution",
    "NewConnectionError",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "Connection refused",
    "ConnectTimeout",
    "ReadTimeout",
    "Max retries exceeded",
    "ProxyError",
    "SSLError",
)
"""Signs that PyPI was out of reach (not that the hook is broken)."""


def environment(home: Path) -> dict[str, str]:
    """Return an environment isolated from the user's git and pre-commit settings."""
    gitconfig = home / "gitconfig"
    gitconfig.write_text(
        "[user]\n\tname = s2slint tests\n\temail = tests@example.invalid\n"
        "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n",
        encoding="utf-8",
    )
    dropped = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "S2SLINT_DEBUG", "NO_COLOR")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        {
            "GIT_CONFIG_GLOBAL": str(gitconfig),
            "GIT_CONFIG_NOSYSTEM": "1",
            "PRE_COMMIT_HOME": str(home / "pre-commit"),
            "PRE_COMMIT_COLOR": "never",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        }
    )
    return env


def git(*args: str, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout


def snapshot(env: dict[str, str], target: Path) -> tuple[Path, str]:
    """Commit the working tree (what git would add) into `target`; return it and the commit."""
    listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT, env=env)
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():  # deleted-but-tracked files are simply left out
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    git("init", "-q", cwd=target, env=env)
    git("add", "-A", cwd=target, env=env)
    git("commit", "-q", "-m", "snapshot of the s2slint working tree", cwd=target, env=env)
    return target, git("rev-parse", "HEAD", cwd=target, env=env).strip()


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, dict[str, str]]:
    """Return the hook repository to name, its commit, and the environment to run in."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    home = tmp_path_factory.mktemp("precommit-home")
    env = environment(home)
    try:
        status = git("status", "--porcelain", "--untracked-files=normal", cwd=ROOT, env=env)
    except subprocess.CalledProcessError:
        pytest.skip(f"{ROOT} is not a git checkout: pre-commit needs a repository to clone")
    if not status.strip():
        return ROOT, git("rev-parse", "HEAD", cwd=ROOT, env=env).strip(), env
    repo, rev = snapshot(env, tmp_path_factory.mktemp("hook-repo"))
    return repo, rev, env


def pre_commit(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


@pytest.fixture(scope="module")
def consumer(
    hook_repo: tuple[Path, str, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, str]]:
    """A configuration repository whose pre-commit hook is s2slint, installed and built."""
    repo, rev, env = hook_repo
    root = tmp_path_factory.mktemp("consumer")
    git("init", "-q", cwd=root, env=env)
    (root / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {repo}\n"
        f"    rev: {rev}\n"
        "    hooks:\n"
        "      - id: s2slint\n"
        '        args: [exports, --as-of, "2026-11-21"]\n',
        encoding="utf-8",
    )
    installed = pre_commit("install", cwd=root, env=env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    built = pre_commit("install-hooks", cwd=root, env=env)
    if built.returncode != 0:
        log = Path(env["PRE_COMMIT_HOME"]) / "pre-commit.log"
        details = built.stdout + built.stderr + (log.read_text("utf-8") if log.is_file() else "")
        trouble = next((sign for sign in NETWORK_TROUBLE if sign in details), None)
        if trouble is not None:
            pytest.skip(f"pre-commit could not build the hook environment from PyPI ({trouble})")
        pytest.fail(f"pre-commit could not install the s2slint hook:\n{details[-4000:]}")
    return root, env


def commit(root: Path, env: dict[str, str], fixture: str) -> subprocess.CompletedProcess[str]:
    """Replace the repository's bundle with a fixture's and `git commit` (hooks run)."""
    shutil.rmtree(root / "exports", ignore_errors=True)
    shutil.copytree(FIXTURES / fixture, root / "exports")
    return commit_all(root, env, f"exports: {fixture}")


def commit_all(root: Path, env: dict[str, str], message: str) -> subprocess.CompletedProcess[str]:
    """Stage every change and `git commit` (hooks run)."""
    git("add", "-A", cwd=root, env=env)
    return subprocess.run(
        ["git", "commit", "-m", message],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


def test_hook_definition_lints_the_whole_bundle_when_a_commit_touches_it() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    for line in (
        "- id: s2slint",
        "entry: s2slint check",
        "language: python",
        "pass_filenames: false",
        "always_run: false",
        "exclude_types: [markdown, rst, asciidoc]",
        "require_serial: true",
    ):
        assert line in text, line


def test_a_broken_bundle_fails_the_commit_showing_the_finding(
    consumer: tuple[Path, dict[str, str]],
) -> None:
    root, env = consumer
    done = commit(root, env, "autodiscover-xml-not-svc")
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "s2slint" in output and "Failed" in output
    assert "exports/lync/oauth-configuration.xml:" in output
    assert "OAU001 [error] ExchangeAutodiscoverUrl points to autodiscover.xml" in output
    assert "exports: autodiscover-xml-not-svc" not in git(
        "log", "--all", "--oneline", cwd=root, env=env
    )


def test_a_healthy_bundle_passes(consumer: tuple[Path, dict[str, str]]) -> None:
    root, env = consumer
    # The healthy bundle with every export (INP006 would name any that is missing).
    done = commit(root, env, "sharepoint-healthy")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "s2slint" in output and "Passed" in output
    assert "exports: sharepoint-healthy" in git("log", "--oneline", "-1", cwd=root, env=env)


HOOK_LINE = "s2slint"


def settle(root: Path, env: dict[str, str], fixture: str) -> None:
    """Commit a fixture's bundle as the starting state, without running the hooks."""
    shutil.rmtree(root / "exports", ignore_errors=True)
    shutil.copytree(FIXTURES / fixture, root / "exports")
    git("add", "-A", cwd=root, env=env)
    if git("status", "--porcelain", cwd=root, env=env).strip():
        git("commit", "-q", "--no-verify", "-m", f"start: {fixture}", cwd=root, env=env)


def hook_status(output: str) -> str:
    """Return what pre-commit said of the s2slint hook: Passed, Failed or Skipped."""
    line = next(line for line in output.splitlines() if line.startswith(HOOK_LINE))
    return line.rsplit(")", 1)[-1].rsplit(".", 1)[-1].strip()


def use_config(root: Path, env: dict[str, str], extra: str = "") -> None:
    """Rewrite .pre-commit-config.yaml (keeping the hook repository), `extra` under the hook."""
    config = root / ".pre-commit-config.yaml"
    lines = config.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith("        files:")]
    config.write_text("\n".join(kept) + "\n" + extra, encoding="utf-8")
    git("add", ".pre-commit-config.yaml", cwd=root, env=env)


def test_a_baseline_commit_passes(consumer: tuple[Path, dict[str, str]]) -> None:
    """Issue 17: committing the baseline the configuration names failed the hook (INP002)."""
    root, env = consumer
    use_config(root, env)
    settle(root, env, "sharepoint-healthy")
    shutil.rmtree(root / "exports")
    shutil.copytree(FIXTURES / "autodiscover-xml-not-svc", root / "exports")
    made = run_module(
        "check",
        "exports",
        "--as-of",
        "2026-11-21",
        "--generate-baseline",
        "exports/s2slint-baseline.json",
        cwd=root,
    )
    assert made.returncode == 0, made.stderr
    (root / "s2slint.toml").write_text(
        'baseline = "exports/s2slint-baseline.json"\n', encoding="utf-8"
    )
    try:
        done = commit_all(root, env, "accept today's findings")
        output = done.stdout + done.stderr
        assert done.returncode == 0, output
        assert hook_status(output) == "Passed", output
        assert "INP002" not in output
    finally:
        (root / "s2slint.toml").unlink()
        settle(root, env, "sharepoint-healthy")


def test_a_notes_file_in_the_bundle_passes(consumer: tuple[Path, dict[str, str]]) -> None:
    root, env = consumer
    use_config(root, env)
    settle(root, env, "sharepoint-healthy")
    (root / "exports" / "NOTES.txt").write_text(
        "Exported on 2026-11-21 by Bob; the Front End atl-fe-03 was down.\n", encoding="utf-8"
    )
    done = commit_all(root, env, "notes")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert hook_status(output) == "Passed", output  # the hook ran, and skipped the notes


def test_a_docs_only_commit_does_not_run_the_hook(consumer: tuple[Path, dict[str, str]]) -> None:
    root, env = consumer
    use_config(root, env)
    settle(root, env, "autodiscover-xml-not-svc")  # a broken bundle, committed regardless
    (root / "README.md").write_text("# Lync exports\n\nHow we export.\n", encoding="utf-8")
    done = commit_all(root, env, "docs")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert hook_status(output) == "Skipped", output


def test_a_subfolder_layout_runs_only_for_the_exports_folder(
    consumer: tuple[Path, dict[str, str]],
) -> None:
    """README: `files: ^exports/` when the exports sit in a subfolder of the repository."""
    root, env = consumer
    use_config(root, env, "        files: ^exports/\n")
    settle(root, env, "autodiscover-xml-not-svc")
    (root / "scripts").mkdir(exist_ok=True)
    (root / "scripts" / "export.ps1").write_text("Get-CsOAuthConfiguration\n", encoding="utf-8")
    done = commit_all(root, env, "a script outside the exports")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert hook_status(output) == "Skipped", output
    (root / "exports" / "lync" / "NOTES.txt").write_text("broken on purpose\n", encoding="utf-8")
    done = commit_all(root, env, "a change inside the exports")
    output = done.stdout + done.stderr
    assert done.returncode != 0 and hook_status(output) == "Failed", output
    assert "OAU001" in output
    use_config(root, env)
    settle(root, env, "sharepoint-healthy")
