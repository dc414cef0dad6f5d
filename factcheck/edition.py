"""One edition of the book: the claims of one year, judged, with what each chapter shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .data import Dataset, load
from .engine import VERDICT_ZH, VERDICTS, Judge, Judgement, verdict_table
from .precision import format_number

CHAPTERS = {
    "ranking": "排名、历程与规划",
    "enterprises": "创新主体",
    "rd": "研发投入",
    "ip": "知识产权",
    "platforms": "平台与孵化",
    "talent": "人才与创新创业",
    "industry": "产业、投资与政策",
}
NOT_PUBLISHED = "未公布"


@dataclass
class Edition:
    """Everything the notebooks of one year need, computed once."""

    ds: Dataset
    year: int
    judgements: list[Judgement] = field(default_factory=list)

    @classmethod
    def open(cls, data_dir: str | Path, year: int, *, validate: bool = False) -> Edition:
        """The edition of ``year``, as a notebook opens it.

        The runner validates the whole data package once per build before it executes any notebook, so
        by default an edition only reads the tables and traces its own quotes: it reads the article texts
        of its own sources and no other (see :mod:`factcheck.data`). ``validate=True`` checks everything.
        """
        from .params import check_params

        year, data_dir = check_params(year=year, data_dir=data_dir)
        ds = load(data_dir, validate=validate)
        ds.require_year(year)
        ds.trace_quotes(year)
        return cls(ds, year, Judge(ds).judge_year(year))

    # ---- tables ----------------------------------------------------------------------------------
    def verdicts(self) -> pd.DataFrame:
        """All claims of the year with their verdicts, in the published CSV's columns plus context."""
        table = verdict_table(self.judgements)
        claims = self.ds.claims.set_index("claim_id")
        table.insert(1, "chapter", [CHAPTERS[claims.loc[c, "chapter"]] for c in table["claim_id"]])
        table["verdict_zh"] = table["verdict"].map(VERDICT_ZH)
        table["source"] = [self.ds.sources.loc[claims.loc[c, "source_id"], "publisher"] for c in table["claim_id"]]
        return table

    def counts(self, chapter: str | None = None) -> dict[str, int]:
        js = [j for j in self.judgements if chapter is None or j.chapter == chapter]
        out = {v: 0 for v in VERDICTS}
        for j in js:
            out[j.verdict] += 1
        out["total"] = len(js)
        return out

    def in_chapter(self, chapter: str) -> list[Judgement]:
        return [j for j in self.judgements if j.chapter == chapter]

    def headline(self, chapter: str) -> pd.DataFrame:
        """The chapter's headline indicators for this year: value, or 未公布, and where it comes from."""
        inds = self.ds.indicators
        wanted = inds[(inds["chapter"] == chapter) & (inds["headline"].astype(str).str.lower() == "true")]
        figures = self.ds.all_inputs()
        rows = []
        for ind, meta in wanted.iterrows():
            hits = figures[(figures["indicator"] == ind) & (figures["period"] == self.year)]
            if hits.empty:
                rows.append({"指标": meta["name_zh"], "地域": "江门高新区", "数值": NOT_PUBLISHED, "单位": meta["unit"],
                             "来源": "", "indicator": ind, "value": float("nan")})
                continue
            for _, h in hits.drop_duplicates(["geography"]).iterrows():
                q = "" if h["qualifier"] == "=" else h["qualifier"]
                rows.append({
                    "指标": meta["name_zh"], "地域": h["geography"],
                    "数值": f"{q}{format_number(float(h['value']), int(h['decimals']))}",
                    "单位": meta["unit"], "来源": self.ds.sources.loc[h["source_id"], "publisher"],
                    "indicator": ind, "value": float(h["value"]),
                })
        return pd.DataFrame(rows, columns=["指标", "地域", "数值", "单位", "来源", "indicator", "value"])

    def figure(self, indicator: str, geography: str, year: int | None = None) -> str:
        """A figure as prose shows it (``660家``), or 未公布."""
        f = self.ds.all_inputs()
        hits = f[(f["indicator"] == indicator) & (f["geography"] == geography) & (f["period"] == (year or self.year))]
        if hits.empty:
            return NOT_PUBLISHED
        h = hits.iloc[0]
        q = {"=": "", ">": "超过", "≥": "不少于", "≈": "约", "<": "不到", "≤": "不超过"}[h["qualifier"]]
        return f"{q}{format_number(float(h['value']), int(h['decimals']))}{h['unit']}"

    @property
    def articles(self) -> pd.DataFrame:
        ids = self.ds.claims_for(self.year)["source_id"].unique()
        return self.ds.sources.loc[list(ids)]
