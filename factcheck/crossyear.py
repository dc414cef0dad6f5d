"""Tables that compare editions."""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML

from .data import Dataset
from .engine import VERDICT_ZH, VERDICTS, Judge


def edition_counts(ds: Dataset) -> pd.DataFrame:
    judge = Judge(ds)
    rows = []
    for year in ds.years:
        js = judge.judge_year(year)
        row = {"版本": f"{year}年", "数字": len(js)}
        for v in VERDICTS:
            row[VERDICT_ZH[v]] = sum(j.verdict == v for j in js)
        sources = ds.claims_for(year)["source_id"].unique()
        row["核查的文章"] = "、".join(f"{ds.sources.loc[s, 'publisher']}《{ds.sources.loc[s, 'title']}》" for s in sources)
        rows.append(row)
    return pd.DataFrame(rows)


def editions_table(ds: Dataset) -> HTML:
    return HTML(edition_counts(ds).to_html(index=False, classes="headline", border=0))
