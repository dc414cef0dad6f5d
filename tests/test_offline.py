"""No network: after installation the whole build succeeds inside a network namespace with no route out.

The build runs as ``unshare -n python -c <bring lo up> python -m factcheck build --year 2022`` in a
fresh copy of the repository (see ``buildcopies.offline_prefix``). The loopback interface is brought
up because Jupyter kernels talk to papermill over 127.0.0.1; a probe first checks that nothing
outside is reachable from inside the namespace. The same build serves ``test_determinism.py`` as the
second of two builds from the same inputs.
"""

from __future__ import annotations

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
    pages = sorted(p.name for p in (html / "book" / "editions" / YEAR).glob("*.html"))
    assert len(pages) == len(list((root / "notebooks").glob("[0-9][0-9]_*.ipynb")))
    assert (root / "book" / "editions" / YEAR / "verdicts.csv").is_file()
