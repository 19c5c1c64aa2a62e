"""The README's quickstart runs as written, so it cannot drift from the code."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def quickstart_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quickstart", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


def test_quickstart_is_demo_then_test() -> None:
    assert quickstart_commands() == ["make demo", "make test"]


def test_quickstart_demo_runs(tmp_path: Path) -> None:
    env = {**os.environ, "CLEARANCE_HOME": str(tmp_path / "home")}
    for command in quickstart_commands():
        if command == "make test":
            continue  # this test runs inside it
        result = subprocess.run(command, shell=True, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr
        assert "LUKASHENKA, Alyaksandr Hryhoryavich" in result.stdout
        assert "4 added, 1 removed, 2 changed" in result.stdout
        assert "ofac-sdn:9760" in result.stdout and "us-csl:36407" in result.stdout
        assert "No hits for 'Vladimir Pugin'" in result.stdout
        assert "Dmitry Medvedev" in result.stdout and "surname" in result.stdout
        assert "Decision: PROHIBITED" in result.stdout
        for source in ("ofac-sdn", "ofac-cons", "eu", "uk", "un", "us-csl", "eu-annex-iv"):
            assert re.search(rf"{source}\s.*\d", result.stdout)
