"""`clearance keys`: a key is shown once, stored only hashed, listed without it, revoked by id."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner, Result

from clearance.cli import app
from clearance.service.keys import KEY_FILE

KEY = re.compile(r"clr_([0-9a-f]{12})_[A-Za-z0-9_-]{43}")


def keys(home: Path, *args: str) -> Result:
    return CliRunner().invoke(app, ["keys", *args], env={"CLEARANCE_HOME": str(home)})


def stored_bytes(home: Path) -> bytes:
    """The key store as it is on disk, its write-ahead log included."""
    return b"".join(path.read_bytes() for path in sorted(home.glob(f"{KEY_FILE}*")))


def test_create_prints_the_key_once_on_stdout_and_its_id_on_stderr(tmp_path: Path) -> None:
    result = keys(tmp_path, "create", "--role", "screen", "--label", "payments team")
    assert result.exit_code == 0, result.output
    key = result.stdout.strip()
    found = KEY.fullmatch(key)
    assert found, key
    assert found.group(1) in result.stderr and "once" in result.stderr
    assert key not in result.stderr


def test_create_as_json(tmp_path: Path) -> None:
    result = keys(tmp_path, "create", "--role", "ADMIN", "--json")
    assert result.exit_code == 0, result.output
    created = json.loads(result.stdout)
    found = KEY.fullmatch(created["key"])
    assert found and created["id"] == found.group(1)
    assert (created["role"], created["label"], created["revoked_at"]) == ("admin", "", None)


def test_the_store_holds_a_digest_of_the_key_never_the_secret(tmp_path: Path) -> None:
    key = json.loads(keys(tmp_path, "create", "--role", "screen", "--json").stdout)["key"]
    key_id, secret = key[4:16], key[17:]
    stored = stored_bytes(tmp_path)
    assert key_id.encode() in stored
    assert secret.encode() not in stored and secret[:16].encode() not in stored
    assert hashlib.sha256(key.encode()).digest() in stored


def test_list_shows_every_key_and_no_secret(tmp_path: Path) -> None:
    made = [json.loads(keys(tmp_path, "create", "--role", role, "--json").stdout) for role in ("screen", "admin")]
    assert keys(tmp_path, "revoke", made[0]["id"]).exit_code == 0
    listed = json.loads(keys(tmp_path, "list", "--json").stdout)
    assert [row["id"] for row in listed] == [m["id"] for m in made]
    assert all("key" not in row for row in listed)
    assert listed[0]["revoked_at"] is not None and listed[1]["revoked_at"] is None
    table = keys(tmp_path, "list").stdout
    assert all(m["id"] in table and m["key"] not in table and m["key"][17:] not in table for m in made)


def test_revoke_by_id_or_by_the_key_itself_and_keep_the_first_time(tmp_path: Path) -> None:
    made = json.loads(keys(tmp_path, "create", "--role", "screen", "--label", "leaked", "--json").stdout)
    first = keys(tmp_path, "revoke", made["key"])
    assert first.exit_code == 0 and made["id"] in first.stdout and "leaked" in first.stdout
    again = keys(tmp_path, "revoke", made["id"])
    assert again.exit_code == 0 and again.stdout == first.stdout


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "clearance", "keys", *args],
        env={**os.environ, "CLEARANCE_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_mistakes_are_one_line_and_exit_1(tmp_path: Path) -> None:
    unknown = run(tmp_path, "revoke", "0123456789ab")
    assert unknown.returncode == 1
    assert unknown.stderr.strip().splitlines() == ["error: no API key '0123456789ab': `clearance keys list` shows them"]
    label = run(tmp_path, "create", "--role", "screen", "--label", "two\nlines")
    assert label.returncode == 1 and label.stderr.startswith("error: ") and len(label.stderr.splitlines()) == 1
    assert label.stdout == ""
    assert keys(tmp_path, "create").exit_code == 2  # the role is required: no default to admin
    assert keys(tmp_path, "create", "--role", "root").exit_code == 2
