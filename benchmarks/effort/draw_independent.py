"""Draw the independent effort benchmark sample (ids and offsets only, never text).

    python benchmarks/effort/draw_independent.py --shared ../shared/corpora > /tmp/sample.csv

Three kinds of text unlike the NPS verbatims the patterns were written on:

- ``twcs``: customer (inbound) tweets of the customer-support-on-Twitter sample; id = tweet_id;
- ``complaints``: the ACL 2019 complaint tweets; id = tweet_id;
- ``interviews``: interviewee turns of the ML-practitioner interview transcripts; id =
  ``<file>:<start>:<end>`` character offsets of the turn in the file as read by
  :func:`read_interview_turns`.

Per source, half the records are a keyword-free random draw and half a random draw among
records that match ``PREFILTER``, a cheap regex of effort-ish words written for this
sample (not the analyzer's patterns), so that drivers are not too rare. Seeded (``SEED``).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

import pandas as pd

SEED = 8
PER_SOURCE = {"twcs": 150, "complaints": 150, "interviews": 30}
TWCS = "customer_support_on_twitter_sample/twcs_head_sample.csv"
COMPLAINTS = "complaints_social_media_acl2019/complaints-data.csv"
INTERVIEWS = "interview_transcripts_mlsss/transcripts"
PREFILTER = re.compile(
    r"\b(?:again|still|hours?|days?|weeks?|months?|hold|wait\w*|times|transferr?\w*|"
    r"dm|email\w*|phon\w*|call\w*|app|website|online|form|store|told|nobody|no one|"
    r"easy|quick\w*|finally|chas\w*|repeat\w*|explain\w*)\b", re.I)
MIN_TURN_CHARS = 200  # an interview turn shorter than this says too little to label


def read_twcs(shared: Path) -> pd.DataFrame:
    frame = pd.read_csv(shared / TWCS, lineterminator="\n", dtype={"tweet_id": str})
    frame = frame[frame["inbound"].astype(str) == "True"]
    return pd.DataFrame({"id": frame["tweet_id"].astype(str), "text": frame["text"].fillna("").astype(str)})


def read_complaints(shared: Path) -> pd.DataFrame:
    frame = pd.read_csv(shared / COMPLAINTS, header=None, names=["tweet_id", "text", "complaint", "domain"],
                        dtype={"tweet_id": str})
    frame = frame.drop_duplicates("tweet_id")
    return pd.DataFrame({"id": frame["tweet_id"].astype(str), "text": frame["text"].fillna("").astype(str)})


def read_interview_turns(shared: Path) -> pd.DataFrame:
    """Interviewee turns: one per line that starts with ``interviewee`` (case-insensitive)."""
    rows = []
    for path in sorted((shared / INTERVIEWS).glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in re.finditer(r"(?im)^interviewee\s*\d*\s*:[^\n]*", text):
            if match.end() - match.start() >= MIN_TURN_CHARS:
                rows.append({"id": f"{path.name}:{match.start()}:{match.end()}", "text": match.group(0)})
    return pd.DataFrame(rows)


READERS = {"twcs": read_twcs, "complaints": read_complaints, "interviews": read_interview_turns}


def read_source(shared: Path, source: str) -> pd.DataFrame:
    return READERS[source](shared)


def draw(frame: pd.DataFrame, n: int, seed: int = SEED) -> pd.DataFrame:
    """Half keyword-free random, half random among PREFILTER matches (no record twice)."""
    random_part = frame.sample(n=n // 2, random_state=seed).assign(stratum="random")
    rest = frame.drop(random_part.index)
    candidates = rest[rest["text"].str.contains(PREFILTER)]
    enriched = candidates.sample(n=n - n // 2, random_state=seed).assign(stratum="prefilter")
    return pd.concat([random_part, enriched])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[3] / "shared" / "corpora")
    parser.add_argument("--text", action="store_true", help="also print the text (for labelling; never commit it)")
    args = parser.parse_args()
    writer = csv.writer(sys.stdout)
    writer.writerow(["source", "id", "stratum"] + (["text"] if args.text else []))
    for source, n in PER_SOURCE.items():
        for row in draw(read_source(args.shared, source), n).itertuples():
            writer.writerow([source, row.id, row.stratum] + ([row.text] if args.text else []))


if __name__ == "__main__":
    main()
