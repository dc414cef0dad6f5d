"""The GitHub workflows: no checkout keeps the job's token, every action is pinned to a commit, only main
publishes and only after the tests, and a pull request gets the verdict diff in its summary.

actionlint (in ``make lint``) checks that the files are valid workflows; these are the project's rules.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

WORKFLOWS = sorted((Path(__file__).resolve().parent.parent / ".github" / "workflows").glob("*.y*ml"))
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def load(path: Path) -> dict:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(doc, dict) and isinstance(doc.get("jobs"), dict), f"{path.name} is not a workflow"
    return doc


def steps(doc: dict) -> list[tuple[str, dict]]:
    return [(name, step) for name, job in doc["jobs"].items() for step in job.get("steps", [])]


def test_there_are_workflows():
    assert WORKFLOWS, "no workflow in .github/workflows"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_checkout_leaves_no_credentials(path):
    checkouts = [(job, s) for job, s in steps(load(path)) if str(s.get("uses", "")).startswith("actions/checkout@")]
    keeping = [job for job, s in checkouts if (s.get("with") or {}).get("persist-credentials") is not False]
    assert not keeping, f"{path.name}: checkouts in {keeping} keep the token in .git/config (persist-credentials: false)"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit(path):
    loose = [s["uses"] for _, s in steps(load(path)) if "uses" in s and not s["uses"].startswith(("./", "docker://"))
             and not PINNED.match(s["uses"])]
    assert not loose, f"{path.name}: actions not pinned to a full commit id: {loose}"


def _needs(job: dict) -> list[str]:
    needs = job.get("needs", [])
    return [needs] if isinstance(needs, str) else list(needs)


def _upstream(jobs: dict, name: str) -> set[str]:
    seen: set[str] = set()
    todo = _needs(jobs[name])
    while todo:
        n = todo.pop()
        if n not in seen:
            seen.add(n)
            todo += _needs(jobs[n])
    return seen


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_only_main_publishes_and_only_after_the_tests(path):
    jobs = load(path)["jobs"]
    for name, job in jobs.items():
        if not any(str(s.get("uses", "")).startswith("actions/deploy-pages@") for s in job.get("steps", [])):
            continue
        chain = [name, *_upstream(jobs, name)]
        assert any("make test" in str(s.get("run", "")) for n in chain for s in jobs[n].get("steps", [])), (
            f"{path.name}: job {name} publishes without needing a job that runs make test")
        assert "refs/heads/main" in str(job.get("if", "")), f"{path.name}: job {name} may publish from another branch"


def test_pull_requests_get_the_verdict_diff_in_their_summary():
    runs = {path.name: [s.get("run", "") for _, s in steps(load(path))] for path in WORKFLOWS}
    diffs = [(name, r) for name, rs in runs.items() for r in rs if "make" in r and " diff " in r]
    assert diffs, "no workflow runs make diff"
    assert all("FORMAT=markdown" in r and "GITHUB_STEP_SUMMARY" in r for _, r in diffs), diffs


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_nothing_is_published_before_the_verdict_diff_passed(path):
    """A verdict changed or gone without a correction is not published, however it reached main."""
    workflow = load(path)
    jobs = workflow["jobs"]
    for name, job in jobs.items():
        if not any(str(s.get("uses", "")).startswith("actions/deploy-pages@") for s in job.get("steps", [])):
            continue
        chain = [name, *_upstream(jobs, name)]
        diffing = [n for n in chain if any(" diff " in str(s.get("run", "")) for s in jobs[n].get("steps", []))]
        assert diffing, f"{path.name}: job {name} publishes without needing the verdict diff"
        for n in diffing:
            assert "if" not in jobs[n] or "push" in str(jobs[n]["if"]), f"{path.name}: the diff of {n} skips pushes"
            run = next(str(s["run"]) for s in jobs[n]["steps"] if " diff " in str(s.get("run", "")))
            assert "${{" not in run, f"{path.name}: an expression in the diff's script (use env)"
