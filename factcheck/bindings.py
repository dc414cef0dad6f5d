"""The small language that ties a claim's formula to the figures it uses.

A claim's ``bindings`` column names each symbol of its ``formula``::

    rd=claim:2022-rd-spend; gdp=gdp@江海区@2022|2021

A reference is one of:

* ``claim:<claim_id>``: a figure printed in an article (another row of ``claims.csv``);
* ``<indicator>@<geography>@<periods>``: a row of the inputs table. ``<periods>`` lists the readings,
  the first being the period the claim refers to; ``2022|2021`` means "2022, or if read as 2021 …".
  A period written ``~2020`` is a proxy: a nearby period standing in when the period itself is not
  published (checked with :data:`PROXY_TOLERANCE`, and never better than ``consistent``);
* ``items:<text>``: the number of items in an enumeration printed in the article, separated by 、;
* a plain number, a constant that the claim's note explains (e.g. the year an article calls 今年).

A reference ending in ``?`` is optional: when it is not published it is left out (for ``Min``/``Max``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PROXY_TOLERANCE = 0.05
"""How far a proxy period's figure may stand from the real one: populations move a few percent a year."""

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PERIOD = re.compile(r"^~?\d{4}$")


@dataclass(frozen=True)
class Period:
    year: int
    proxy: bool = False

    def __str__(self) -> str:
        return f"~{self.year}" if self.proxy else str(self.year)


@dataclass(frozen=True)
class Reference:
    """One binding: ``name = reference``."""

    name: str
    kind: str  # "claim", "input", "items", "constant"
    target: str = ""  # claim id, indicator, or the enumerated text
    geography: str = ""
    periods: tuple[Period, ...] = field(default_factory=tuple)
    constant: float | None = None
    optional: bool = False

    @property
    def text(self) -> str:
        mark = "?" if self.optional else ""
        if self.kind == "claim":
            return f"claim:{self.target}{mark}"
        if self.kind == "items":
            return f"items:{self.target}"
        if self.kind == "constant":
            return f"{self.constant:g}"
        return f"{self.target}@{self.geography}@{'|'.join(map(str, self.periods))}{mark}"

    def items(self) -> list[str]:
        return [part.strip() for part in re.split("[、,，]", self.target) if part.strip()]


def parse_bindings(text: str) -> list[Reference]:
    """Parse a ``bindings`` cell; raises ``ValueError`` with the offending part."""
    refs: list[Reference] = []
    seen: set[str] = set()
    for part in (p.strip() for p in (text or "").split(";")):
        if not part:
            continue
        if "=" not in part:
            raise ValueError(f"binding '{part}' has no '=' (write name=reference)")
        name, ref = (s.strip() for s in part.split("=", 1))
        if not _NAME.match(name):
            raise ValueError(f"binding name '{name}' is not a valid symbol")
        if name in seen:
            raise ValueError(f"binding name '{name}' appears twice")
        seen.add(name)
        refs.append(_parse_reference(name, ref))
    return refs


def _parse_reference(name: str, ref: str) -> Reference:
    if ref.startswith("items:"):
        body = ref[len("items:"):].strip()
        if not body:
            raise ValueError(f"binding '{name}': items: needs the enumerated text")
        return Reference(name, "items", target=body)
    optional = ref.endswith("?")
    if optional:
        ref = ref[:-1].strip()
    if ref.startswith("claim:"):
        return Reference(name, "claim", target=ref[len("claim:"):].strip(), optional=optional)
    if "@" in ref:
        pieces = ref.split("@")
        if len(pieces) != 3 or not all(pieces):
            raise ValueError(f"binding '{name}': '{ref}' is not indicator@geography@period")
        indicator, geography, periods = pieces
        texts = periods.split("|")
        bad = [t for t in texts if not _PERIOD.match(t)]
        if bad:
            raise ValueError(f"binding '{name}': period '{bad[0]}' is not a four-digit year (or ~year)")
        parsed = tuple(Period(int(t.lstrip("~")), t.startswith("~")) for t in texts)
        return Reference(name, "input", target=indicator, geography=geography, periods=parsed, optional=optional)
    try:
        return Reference(name, "constant", constant=float(ref))
    except ValueError:
        raise ValueError(
            f"binding '{name}': '{ref}' is neither claim:ID, indicator@geography@period, items:… nor a number"
        ) from None
