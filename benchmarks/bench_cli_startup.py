"""How long `cxtext --help` and `cxtext --version` take (whole processes, median of 7).

    python benchmarks/bench_cli_startup.py

Target (issue 11): both under 0.5 s. Imports stay lazy: plugins register their commands
and hooks without importing pandas, torch or their models. Writes
benchmarks/results/cli_startup.md.
"""

from __future__ import annotations

import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "cli_startup.md"
CXTEXT = Path(sys.executable).with_name("cxtext")  # the console script users run
COMMANDS = [["--help"], ["--version"], ["plugins", "--help"]]


def seconds(args: list[str], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([str(CXTEXT), *args], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    rows = [(" ".join(["cxtext", *args]), seconds(args)) for args in COMMANDS]
    lines = ["# CLI start-up time", "", f"`python benchmarks/bench_cli_startup.py` on {platform.machine()}, "
             f"Python {platform.python_version()}; median of 7 whole processes. Target: under 0.5 s.", "",
             "| command | seconds |", "|---|---:|"]
    lines += [f"| `{command}` | {value:.2f} |" for command, value in rows]
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
