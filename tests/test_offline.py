"""No network: after installation the whole build succeeds inside a network namespace with no route out.

The build runs as ``unshare -n python -c <bring lo up> python -m factcheck build --year 2022`` in a
fresh copy of the repository (see ``buildcopies.offline_prefix``). The loopback interface is brought
up because the PDF is printed by Chromium from a server on 127.0.0.1 (the print refuses, and the build
fails on, any request off 127.0.0.1) and ipykernel binds a pipe of its own there (the kernels talk to
papermill over Unix sockets, see ``factcheck.publish.kernels``); a probe
first checks that nothing outside is reachable from inside the namespace. The same build serves
``test_determinism.py`` as the second of two builds from the same inputs.
"""

from __future__ import annotations

import json

import pytest
from buildcopies import YEAR, offline_prefix, rebuilt

pytestmark = pytest.mark.slow


def test_build_succeeds_without_network(tmp_path_factory):
    prefix, why_not = offline_prefix()
    if not prefix:
        pytest.skip(f"cannot take the network away here: {why_not}")
    root = rebuilt(tmp_path_factory)
    assert (root / ".offline").read_text(encoding="utf-8") == "yes"
    html = root / "_build" / "html"
    assert (html / "index.html").is_file()
    # every page of the edition: the overview, one per chapter with something to check, the fact-check page
    judged = json.loads((root / "_build" / "judged" / f"{YEAR}.json").read_text(encoding="utf-8"))
    published = [c for c, counts in judged["chapters"].items() if counts["total"]]
    executed = sorted(p.stem for p in (root / "book" / "editions" / YEAR).glob("*.ipynb"))
    assert len(executed) == len(published) + 2
    assert sorted(p.stem for p in (html / "book" / "editions" / YEAR).glob("*.html")) == executed
    # and what the export step adds, the editions' PDFs (printed by Chromium offline) included
    downloads = html / "_downloads"
    for name in (f"verdicts-{YEAR}.csv", "jiangmen-factcheck-data.zip", f"jiangmen-factcheck-{YEAR}.pdf"):
        assert (downloads / name).is_file() and (downloads / name).stat().st_size > 1000, name
    assert list((html / "_static" / "charts").glob("*.svg")), "no chart was drawn"
    assert not (root / "book" / "editions" / YEAR / "verdicts.csv").exists()  # the pages write nothing beside them
