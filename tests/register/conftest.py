"""A home holding the real lists with the older UN list active, and register files of real and made-up names."""

from __future__ import annotations

from pathlib import Path

import pytest

from clearance.app import Clearance
from tests.conftest import copy_home

HEADER = "id,name,type,dob,country\n"
BEFORE = (
    "c01,Vladimir Putin,person,1952-10-07,RU\n"
    "c02,Mahan Air,organization,,IR\n"
    "c03,ABDULLAHI OSMAN MOHAMED CADDOW,person,,\n"
    "c04,MUNIR AL QUBAYSI,person,,\n"
    "c05,Greta Lindqvist,person,,SE\n"
    "c06,Ingrid Solberg,person,1980-02-11,NO\n"
    "c07,GEDO HAMDAN AHMED,person,,\n"
    "c08,Ahmed Hamdan,person,,\n"
    "c09,Jürgen Müller,person,,DE\n"
    "c10,Hamdan Dagalo,person,,SD\n"
    "c11,Lena Bergström,person,,SE\n"
)
"""Real listed names: in both UN versions (Caddow, changed only in its remarks), in the older only (Munir al
Qubaysi, removed), in the newer only (Gedo Hamdan Ahmed, added); other lists' (Putin, Mahan Air); names near
the added ones; and names no list holds."""
AFTER = (
    "c01,Vladimir Putin,person,1952-10-07,Russia\n"  # the same country, spelled otherwise: unchanged
    "c02,Mahan Air,organization,,IR\n"
    "c03,ABDULLAHI OSMAN MOHAMED CADDOW,person,,\n"
    "c04,MUNIR AL QUBAYSI,person,,\n"
    "c05,ABU LULU,person,,\n"  # changed: now an alias of an entity the newer UN list adds
    "c06,Ingrid Solberg,person,1980-02-11,NO\n"
    "c07,GEDO HAMDAN AHMED,person,,\n"
    "c08,Ahmed Hamdan,person,,\n"
    "c10,Hamdan Dagalo,person,,SD\n"
    "c11,Lena Bergström,organization,,SE\n"  # changed: its type
    "c12,TIJANI IBRAHIM MOUSSA MOHAMED,person,,\n"  # new, and added to the UN list
    "c13,Sven Åkesson,person,,SE\n"  # new
)  # c09 removed


@pytest.fixture
def before_file(tmp_path: Path) -> Path:
    path = tmp_path / "customers-1.csv"
    path.write_text(HEADER + BEFORE, encoding="utf-8")
    return path


@pytest.fixture
def after_file(tmp_path: Path) -> Path:
    path = tmp_path / "customers-2.csv"
    path.write_text(HEADER + AFTER, encoding="utf-8")
    return path


def un_snapshots(home: Path) -> tuple[int, int]:
    """The older and the newer UN snapshot of a home."""
    with Clearance.open(home) as clearance:
        ids = sorted(snapshot.id for snapshot in clearance.snapshots("un"))
    return ids[0], ids[-1]


@pytest.fixture
def old_home(tmp_path: Path, listed_home: Path) -> Path:
    """A copy of the run's home with the older UN list active (its index is kept, so no rebuild)."""
    home = copy_home(listed_home, tmp_path / "home")
    old, _ = un_snapshots(home)
    with Clearance.open(home) as clearance:
        clearance.activate(old)
    return home
