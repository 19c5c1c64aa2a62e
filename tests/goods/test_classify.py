"""Goods classification on the real HS nomenclature and the labelled invoice descriptions."""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import clearance
from clearance.errors import ClearanceError
from clearance.goods.classify import Classifier, classify, default_classifier, find_goods, load_lexicon
from clearance.goods.results import Classification

LABELLED = Path(__file__).parent / "data" / "labelled_descriptions.csv"
ARTICLE = Path(__file__).resolve().parents[3] / "shared" / "data" / "text" / "news-russia-weapons-sanctions-2023-02.txt"

# Measured with bench/classify.py (clearance-goods-v1): top-3 HS-6 92.0% on all 451 rows; on the 164 holdout
# rows, which no tuning has looked at, top-1 HS-6 70.7% and top-3 78.0%. Floors sit a few points below.
TOP3_FLOOR = 0.90
HOLDOUT_TOP3_FLOOR = 0.75
HOLDOUT_TOP1_FLOOR = 0.67


@pytest.fixture(scope="module")
def hs_file(goods_dir: Path) -> Path:
    """The nomenclature's copy in the shared data, to show a file named by the caller is read."""
    return goods_dir / "harmonized-system.csv"


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return default_classifier()


@pytest.fixture(scope="module")
def labelled() -> list[dict[str, str]]:
    with LABELLED.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def top(classifier: Classifier, description: str, k: int) -> list[str]:
    return [c.code for c in classifier.classify(description, limit=k)]


def test_labelled_set_is_real_hs6(classifier: Classifier, labelled: list[dict[str, str]]) -> None:
    assert len(labelled) >= 200
    assert {row["split"] for row in labelled} == {"dev", "holdout"}
    assert len({row["description"] for row in labelled}) == len(labelled)
    for row in labelled:
        assert row["hs6"] in classifier.codes, row
    chapters = {row["hs6"][:2] for row in labelled}
    assert {"28", "81", "84", "85", "88", "90", "93"} <= chapters
    assert len(chapters) >= 40


def test_top3_subheading_accuracy(classifier: Classifier, labelled: list[dict[str, str]]) -> None:
    hits = [row["hs6"] in top(classifier, row["description"], 3) for row in labelled]
    assert sum(hits) / len(hits) >= TOP3_FLOOR


def test_holdout_accuracy(classifier: Classifier, labelled: list[dict[str, str]]) -> None:
    rows = [row for row in labelled if row["split"] == "holdout"]
    ranked = [top(classifier, row["description"], 3) for row in rows]
    top1 = sum(r[:1] == [row["hs6"]] for row, r in zip(rows, ranked, strict=True)) / len(rows)
    top3 = sum(row["hs6"] in r for row, r in zip(rows, ranked, strict=True)) / len(rows)
    assert top1 >= HOLDOUT_TOP1_FLOOR
    assert top3 >= HOLDOUT_TOP3_FLOOR


@pytest.mark.parametrize(
    ("description", "expected", "within"),
    [
        ("STM32F407 microcontroller", {"854231"}, 1),
        # HS 2022: thermal cameras are not night-vision goods of 8525.83 (photocathode); 8525.89.
        ("uncooled thermal imaging camera 640x512", {"852589"}, 1),
        # Unmanned aircraft for remote-controlled flight; no weight given, so either light class.
        ("quadcopter drone with camera", {"880622", "880621"}, 3),
        ("neodymium metal", {"280530"}, 1),
        ("6205 deep groove ball bearing", {"848210"}, 1),
    ],
)
def test_brief_examples(classifier: Classifier, description: str, expected: set[str], within: int) -> None:
    codes = top(classifier, description, within)
    assert expected & set(codes), codes


def test_drone_class_follows_stated_weight(classifier: Classifier) -> None:
    assert top(classifier, "quadcopter drone with camera", 1) == ["880622"]
    assert top(classifier, "mini drone 249 g", 1) == ["880621"]
    assert top(classifier, "drone take-off weight 895g", 1) == ["880622"]
    assert top(classifier, "drone MTOW 24 kg", 1) == ["880623"]
    best = classifier.classify("drone MTOW 24 kg", limit=1)[0]
    assert any("24 kg fits" in line for line in best.evidence)


def test_candidates_are_explained_and_ranked(classifier: Classifier) -> None:
    candidates = classifier.classify("IRF540N N-channel power MOSFET TO-220", limit=5)
    assert candidates[0].code == "854129"
    assert candidates[0].description == classifier.description("854129")
    assert any("MOSFET" in line for line in candidates[0].evidence)
    confidences = [c.confidence for c in candidates]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0.0 <= c <= 1.0 for c in confidences)
    assert sum(confidences) <= 1.0 + 1e-9


def test_lexicon_maps_to_real_codes(classifier: Classifier) -> None:
    entries = load_lexicon()
    assert len(entries) >= 300
    assert len({e.term.lower() for e in entries}) == len(entries)
    for entry in entries:
        assert entry.note.strip(), entry.term
        for code in entry.codes:
            assert code in classifier.nomenclature, (entry.term, code)


def test_find_goods_in_the_article(classifier: Classifier) -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    mentions = classifier.find_goods(text)
    for m in mentions:
        assert text[m.start : m.end] == m.text
    found = {(m.text.lower(), m.codes[0][:4]) for m in mentions}
    for expected in [
        ("microchips", "8542"),
        ("integrated circuits", "8542"),
        ("thermal cameras", "8525"),
        ("drones", "8806"),
        ("drone", "8806"),
        ("helicopters", "8802"),
        ("missiles", "9306"),
        ("rare earth", "2805"),
        ("ammunition", "9306"),
    ]:
        assert expected in found, expected
    # "microchipsthe": a word glued by scraping is still found, and the offsets stop at the goods.
    glued = text.index("microchipsthe")
    assert any(m.start == glued and m.end == glued + len("microchips") for m in mentions)
    # People and places are not goods.
    assert not any(m.text.lower() in {"putin", "kazan", "belarus", "weapons"} for m in mentions)


def test_find_goods_tries_only_words_that_begin_a_term_and_finds_what_a_full_scan_finds(
    classifier: Classifier,
) -> None:
    """The search runs each pattern only at words beginning as a term does: the same goods as scanning
    every character, on the real article and on every text term written in a sentence (plurals, other case)."""
    article = ARTICLE.read_text(encoding="utf-8")
    terms = [e.term for e in classifier.lexicon if e.in_text and not e.term.startswith("re:")]
    made = " ".join(f"They sold {t}s, and {t.upper()} again ({t.title()})." for t in terms)
    made += " Neodymium oxide, cerium metal and samarium magnets; FPGA and UAV parts."
    assert all(starts is not None for starts in classifier._text_starts.values())
    for text in (article, made):
        scanned = sorted(
            (
                (m.start(), m.end())
                for pattern in classifier._text_re.values()
                if pattern
                for m in pattern.finditer(text)
            ),
            key=lambda span: (span[0], -span[1]),
        )
        expected: list[tuple[int, int]] = []
        for start, end in scanned:  # the longest at each place, none overlapping: as find_goods keeps them
            if not expected or start >= expected[-1][1]:
                expected.append((start, end))
        found = [(m.start, m.end) for m in classifier.find_goods(text)]
        assert len(found) > 10
        assert found == expected


def test_find_goods_acronyms_in_capitals_only(classifier: Classifier) -> None:
    found = classifier.find_goods("Shipment of 40 UAVs, an FPGA board and IGBT modules.")
    assert [m.text for m in found] == ["UAVs", "FPGA", "IGBT"]
    assert classifier.find_goods("a guava tray, uav-shaped") == []


def test_bad_input_is_a_clear_error_or_nothing(classifier: Classifier) -> None:
    for bad in ("", "   \n\t"):
        with pytest.raises(ClearanceError, match="empty"):
            classifier.classify(bad)
    with pytest.raises(ClearanceError, match="characters"):
        classifier.classify("ball bearing " * 8_000)
    with pytest.raises(ClearanceError, match="limit"):
        classifier.classify("ball bearing", limit=0)
    with pytest.raises(ClearanceError, match="text"):
        classifier.classify(b"ball bearing")  # type: ignore[arg-type]
    rng = random.Random(7)
    for _ in range(20):
        junk = bytes(rng.randrange(256) for _ in range(300)).decode("latin-1")
        assert isinstance(classifier.classify(junk), list)
        assert isinstance(classifier.find_goods(junk * 300), list)
    assert classifier.find_goods("") == []
    assert classifier.classify("\x00\x01\x02 zzzq") == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=200))
def test_any_text_gives_ranked_confidences(classifier: Classifier, text: str) -> None:
    try:
        candidates = classifier.classify(text, limit=4)
    except ClearanceError as exc:
        assert "empty" in str(exc)
        return
    assert len(candidates) <= 4
    assert all(0.0 <= c.confidence <= 1.0 and len(c.code) == 6 for c in candidates)
    assert [c.confidence for c in candidates] == sorted((c.confidence for c in candidates), reverse=True)
    for m in classifier.find_goods(text):
        assert text[m.start : m.end] == m.text


def test_the_packaged_nomenclature_classifies_with_no_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, goods_dir: Path
) -> None:
    monkeypatch.setenv("CLEARANCE_HS_FILE", str(tmp_path / "nowhere.csv"))  # the library reads no environment
    monkeypatch.chdir(tmp_path)
    packaged = default_classifier()
    assert packaged.hs_file.is_relative_to(Path(clearance.__file__).resolve().parent)
    assert goods_dir.resolve() not in packaged.hs_file.parents
    assert classify("uncooled thermal imaging camera 640x512", limit=1)[0].code.startswith("8525")
    assert [m.text for m in find_goods("40 UAVs and thermal cameras")] == ["UAVs", "thermal cameras"]


def test_a_nomenclature_named_by_the_caller_is_used(hs_file: Path) -> None:
    own = default_classifier(hs_file)
    assert own.hs_file == hs_file.resolve() and own is default_classifier(hs_file)
    assert classify("6205 deep groove ball bearing", limit=1, hs_file=hs_file)[0].code == "848210"


def test_an_explicit_bad_hs_file_is_one_line_naming_it(tmp_path: Path) -> None:
    nowhere = tmp_path / "nowhere.csv"
    broken = tmp_path / "broken.csv"
    broken.write_text("a,b\n1,2\n", encoding="utf-8")
    for path, phrase in ((nowhere, "No such file"), (broken, "expected columns")):
        for build in (Classifier, default_classifier, lambda p: find_goods("drones", hs_file=p)):
            with pytest.raises(ClearanceError) as caught:
                build(path)
            message = str(caught.value)
            assert str(path) in message and phrase in message and "\n" not in message, message


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "clearance", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli(hs_file: Path) -> None:
    env = {"CLEARANCE_HS_FILE": str(hs_file)}
    result = run("classify", "6205 deep groove ball bearing", "--json", "--limit", "3", env=env)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["candidates"][0]["code"] == "848210"
    assert set(payload["candidates"][0]) >= {"code", "description", "confidence"}
    assert len(payload["candidates"]) <= 3
    assert Classification.model_validate_json(result.stdout).model_dump(mode="json") == payload
    table = run("classify", "uncooled thermal imaging camera 640x512", env=env)
    assert table.returncode == 0 and "8525.89" in table.stdout
    empty = run("classify", " ", env=env)
    assert empty.returncode == 1
    assert empty.stderr.strip() == "error: the goods description is empty"
    missing = run("classify", "ball bearing", env={"CLEARANCE_HS_FILE": "/nonexistent/hs.csv"})
    assert missing.returncode == 1
    assert missing.stderr == "error: environment variable CLEARANCE_HS_FILE: no such file: /nonexistent/hs.csv\n"


def test_cli_reads_the_packaged_nomenclature(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "CLEARANCE_HS_FILE"}
    result = subprocess.run(
        [sys.executable, "-m", "clearance", "classify", "uncooled thermal imaging camera 640x512", "--json"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["candidates"][0]["code"].startswith("8525")
