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
    git("add", "-A", cwd=root, env=env)
    return subprocess.run(
        ["git", "commit", "-m", f"exports: {fixture}"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


def test_hook_definition_lints_the_whole_bundle() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    for line in (
        "- id: s2slint",
        "entry: s2slint check",
        "language: python",
        "pass_filenames: false",
        "always_run: true",
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
