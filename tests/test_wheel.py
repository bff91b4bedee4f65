"""The built wheel works outside the checkout: `cxtext analyze` finds the shipped sentiment model,
`cxtext demo` finds the demo corpora and codebooks, and `cxtext eval` says it needs a checkout.

The wheel is built from the checkout and installed, without its dependencies, into
a fresh virtualenv in a temporary folder. The dependencies come from this test
run's environment through a folder of links that leaves out cxtext's own (editable)
install, so nothing can reach the checkout: the analysis must use the adapter that
the wheel carries as package data.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow
# Left out of the copy the wheel is built from: environments, VCS data and build outputs.
NOT_SOURCE = (".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis",
              "*.db", "*.db-wal", "*.db-shm")


def _dependencies_without_cxtext(target: Path) -> Path:
    """Links to every installed distribution except cxtext's editable install (finder, .pth, dist-info)."""
    site = Path(sysconfig.get_paths()["purelib"])
    target.mkdir()
    for entry in site.iterdir():
        name = entry.name.lower()
        if name.startswith(("cxtext", "__editable__", "_cxtext")) or name.endswith(".pth"):
            continue
        (target / entry.name).symlink_to(entry)
    return target


def _clean_source(target: Path) -> Path:
    """A copy of the checkout without build outputs: a stale build/lib would hide missing package data."""
    shutil.copytree(ROOT, target, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    return target


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = _clean_source(work / "source")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(work / "dist"), str(source)], check=True, cwd=work)
    wheel = next((work / "dist").glob("cxtext-*.whl"))
    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "dependencies.pth").write_text(str(_dependencies_without_cxtext(work / "deps")) + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q",
                    str(wheel)], check=True, cwd=work)
    return env_dir


def run(env_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    environment = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": ""}
    return subprocess.run([str(env_dir / "bin" / "cxtext"), *args], cwd=cwd, capture_output=True, text=True,
                          env=environment, timeout=600)


def test_wheel_carries_the_model_and_analyze_uses_it(installed, tmp_path):
    python = installed / "bin" / "python"
    where = subprocess.run([str(python), "-c", "import cxtext, cxtext_models, cxtext_sentiment.model as m; "
                            "print(cxtext.__file__); print(m.DEFAULT_MODEL_DIR)"],
                           cwd=tmp_path, capture_output=True, text=True, check=True).stdout.split()
    assert all(str(ROOT) not in path for path in where), where
    assert (Path(where[1]) / "head.safetensors").is_file()

    survey = tmp_path / "answers.csv"
    survey.write_text("id,comment,NPS\n1,The engineer was brilliant and fixed it first time.,10\n"
                      "2,Still waiting for my refund after six weeks.,1\n")
    db = tmp_path / "cx.db"
    result = run(installed, "ingest", str(survey), "--db", str(db), "--source", "survey", "--text", "comment",
                 "--id", "id", "--score", "nps=NPS", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    result = run(installed, "analyze", "--db", str(db), "--analyzer", "sentiment", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as connection:
        rows = connection.execute("select s.label, s.model, s.model_version, s.data from signals s "
                                  "join records r on r.id = s.record_id where s.kind = 'sentiment' "
                                  "and s.sentence_id is null order by r.source_row").fetchall()
    assert [row[0] for row in rows] == ["positive", "negative"]
    assert {row[1] for row in rows} == {"minilm-lora"}
    assert all("minilm-lora-" in row[2] for row in rows)
    assert all(json.loads(row[3])["precision"] in ("bf16", "fp32") for row in rows)


def test_wheel_runs_the_demo_from_its_package_data(installed, tmp_path):
    python = installed / "bin" / "python"
    where = subprocess.run([str(python), "-c", "from cxtext.project import DEMO_PROJECT; print(DEMO_PROJECT)"],
                           cwd=tmp_path, capture_output=True, text=True, check=True).stdout.strip()
    assert str(ROOT) not in where and Path(where).is_file(), where

    result = run(installed, "demo", "--out", "demo-out", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    out = tmp_path / "demo-out"
    assert (out / "report.html").stat().st_size > 10_000
    with sqlite3.connect(out / "cxtext-demo.db") as connection:
        counts = dict(connection.execute("select dataset, count(*) from records group by dataset").fetchall())
        kinds = {row[0] for row in connection.execute("select distinct kind from signals")}
    # Every demo input was read from the wheel: survey, reviews, posts and the three interviews.
    assert counts == {"survey": 306, "reviews": 80, "social": 60, "interviews": 80}
    assert {"sentiment", "theme", "effort"} <= kinds, kinds


def test_installed_eval_says_it_needs_a_checkout(installed, tmp_path):
    result = run(installed, "eval", "--shared", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    message = " ".join(result.stderr.split())
    assert "evaluation scripts (benchmarks/eval_*.py) were not found" in message
    assert "run cxtext eval from the root of a checkout" in message
