"""The yente-compatible API on the real lists: matching, datasets, search, entities, catalogue, algorithms.

Compatibility is checked with yente's own models (`yente_models.py`, in `.venv-yente`, which `make test`
creates) and with a client written as the OpenSanctions documentation shows one (`yente_client.py`)
against a real `clearance serve`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.types import ASGIApp, Receive, Scope, Send

from clearance.lists.registry import SOURCES
from clearance.matching import ALGORITHM, DEFAULT_THRESHOLD
from clearance.matching.algorithm import config_digest
from clearance.service import create_app
from clearance.service.datasets import dataset_name
from clearance.service.settings import ServiceSettings
from clearance.service.yente import FEATURES, YENTE_ALGORITHMS
from clearance.settings import Settings
from tests.conftest import copy_home
from tests.service.conftest import running_service

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
YENTE_PYTHON = ROOT / ".venv-yente" / "bin" / "python"
PROBLEM = "application/problem+json"
US = {"ofac-sdn", "ofac-cons", "us-csl"}

PUTIN = {"schema": "Person", "properties": {"name": ["Vladimir Putin"], "birthDate": ["1952-10-07"]}}
SBERBANK = {"schema": "Company", "properties": {"name": "Sberbank", "jurisdiction": "ru"}}
UNLISTED = {
    "schema": "Person",
    "properties": {"name": ["Johanna Quirrelbach"], "birthDate": ["1987-03-02"], "nationality": ["de"]},
}
KOMID = {"schema": "Organization", "properties": {"name": ["Korea Mining Development Trading Corporation"]}}
ROSOBORONEXPORT = {"schema": "Organization", "properties": {"name": ["Rosoboronexport"]}}
"""Listed by the UN (KPe.001) and, before it in id order, by OFAC and the CSL."""
VESSEL_BY_IMO = {"schema": "Vessel", "properties": {"imoNumber": ["9187629"]}}
"""A vessel OFAC lists (ARTAVIL), asked for by its IMO number alone."""


def match(client: TestClient, queries: dict[str, Any], dataset: str = "default", **params: Any) -> dict[str, Any]:
    response = client.post(f"/match/{dataset}", params=params, json={"queries": queries})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    found: dict[str, Any] = response.json()
    return found


def results(client: TestClient, query: dict[str, Any], dataset: str = "default", **params: Any) -> list[Any]:
    found: list[Any] = match(client, {"q": query}, dataset, **params)["responses"]["q"]["results"]
    return found


def assert_problem(response: Any, status: int, *words: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    detail = response.json()["detail"]
    assert all(word in detail for word in words), detail


# -- matching -----------------------------------------------------------------------------


def test_a_listed_person_matches_with_explanations_and_the_audit_fields(open_client: TestClient) -> None:
    response = open_client.post("/match/default", json={"queries": {"putin": PUTIN}})
    assert response.headers["x-batch-size"] == "1"
    body = response.json()
    answer = body["responses"]["putin"]
    assert answer["status"] == 200
    top = answer["results"][0]
    assert top["match"] is True and top["score"] >= DEFAULT_THRESHOLD
    assert "PUTIN" in top["caption"].upper() and top["schema"] == "Person"
    assert "1952-10-07" in top["properties"]["birthDate"]
    assert top["datasets"] and top["target"] is True and top["referents"]
    assert top["explanations"]["name_match"]["score"] > 0.9
    assert top["explanations"]["dob_day_match"]["score"] == 1.0
    assert top["features"] == {name: feature["score"] for name, feature in top["explanations"].items()}
    assert top["explanation"]["matched_name"] and top["explanation"]["evidence"]
    assert answer["total"] == {"value": sum(r["match"] for r in answer["results"]), "relation": "eq"}
    assert answer["query"] == {"id": None, **PUTIN}
    assert body["limit"] == 5 and body["threshold"] == DEFAULT_THRESHOLD and body["cutoff"] == DEFAULT_THRESHOLD
    assert body["algorithm"] == ALGORITHM and body["config"] == config_digest()
    assert body["list_version"]["digest"] == open_client.get("/readyz").json()["list_version"]
    assert body["screened_at"] and isinstance(body["warnings"], list)


def test_a_listed_company_matches(open_client: TestClient) -> None:
    found = results(open_client, SBERBANK)
    assert found and found[0]["match"] is True
    assert all("SBERBANK" in r["caption"].upper() for r in found if r["match"])
    assert found[0]["schema"] == "Organization"


def test_a_match_result_is_one_designation_with_every_list_carrying_it(open_client: TestClient) -> None:
    found = results(open_client, SBERBANK, limit=20)
    ids = [r["id"] for r in found]
    assert "ofac-cons:17018" in ids and not {"us-csl:17018", "us-csl:17018:SSI"} & set(ids)
    bank = found[ids.index("ofac-cons:17018")]
    assert bank["datasets"] == ["ofac_cons", "us_csl"] and len(bank["referents"]) == 4
    numbers = [r["id"].split(":")[1] for r in found if r["id"].startswith(("ofac-", "us-csl:"))]
    assert len(numbers) == len(set(numbers))


def test_a_person_on_no_list_gets_no_match(open_client: TestClient) -> None:
    assert results(open_client, UNLISTED) == []
    assert not any(r["match"] for r in results(open_client, UNLISTED, cutoff=0.3, limit=50))


def test_a_lower_cutoff_shows_near_misses_below_the_threshold(open_client: TestClient) -> None:
    found = results(open_client, PUTIN, cutoff=0.4, limit=50)
    scores = [r["score"] for r in found]
    assert scores == sorted(scores, reverse=True) and min(scores) >= 0.4
    assert all(r["match"] is (r["score"] >= DEFAULT_THRESHOLD) for r in found)
    assert results(open_client, PUTIN, cutoff=0.99, threshold=0.9) == results(open_client, PUTIN, threshold=0.9)


def test_every_name_is_screened_and_an_entity_comes_back_once_at_its_best(open_client: TestClient) -> None:
    query = {"schema": "Person", "properties": {"name": ["Johanna Quirrelbach"], "alias": ["Vladimir Putin"]}}
    found = results(open_client, query, limit=50)
    ids = [r["id"] for r in found]
    assert found[0]["match"] and len(ids) == len(set(ids))
    from_parts = {"schema": "Person", "properties": {"firstName": ["Vladimir"], "lastName": ["Putin"]}}
    assert results(open_client, from_parts)[0]["id"] == found[0]["id"]


def test_a_large_batch_is_screened_as_its_queries_are_alone(open_client: TestClient) -> None:
    queries = {f"q{n}": (PUTIN, SBERBANK, UNLISTED)[n % 3] for n in range(12)}  # past what screens inline
    answers = match(open_client, queries)["responses"]
    assert list(answers) == list(queries)
    alone = {id(query): results(open_client, query) for query in (PUTIN, SBERBANK, UNLISTED)}
    assert all(answers[key]["results"] == alone[id(query)] for key, query in queries.items())


def test_a_query_by_identifier_alone_is_screened(open_client: TestClient) -> None:
    found = results(open_client, VESSEL_BY_IMO)
    assert found and found[0]["match"] and found[0]["schema"] == "Vessel"
    assert "9187629" in found[0]["properties"]["imoNumber"]
    assert "identifier_match" in found[0]["explanations"]


def test_a_query_that_cannot_be_screened_fails_alone(open_client: TestClient) -> None:
    queries = {
        "good": PUTIN,
        "nameless": {"schema": "Person", "properties": {"nationality": ["ru"], "birthDate": ["1952"]}},
        "address": {"schema": "Address", "properties": {"full": ["Moscow"]}},
        "not-a-date": {"schema": "Person", "properties": {"name": ["Vladimir Putin"], "birthDate": ["soon"]}},
    }
    body = match(open_client, queries)
    answers = body["responses"]
    assert answers["good"]["status"] == 200 and answers["good"]["results"][0]["match"]
    for key, word in (("nameless", "no name"), ("address", "schema")):
        assert answers[key]["status"] == 422 and answers[key]["results"] == []
        assert answers[key]["total"]["value"] == 0 and word in answers[key]["detail"]
        assert answers[key]["query"]["schema"] == queries[key]["schema"]
    assert answers["not-a-date"]["status"] == 200 and answers["not-a-date"]["results"][0]["match"]
    assert any(w.startswith("not-a-date: birthDate 'soon'") for w in body["warnings"])


def test_a_request_that_cannot_be_screened_is_a_problem(open_client: TestClient) -> None:
    assert_problem(open_client.post("/match/default", json={"queries": {}}), 422, "queries")
    assert_problem(open_client.post("/match/default", json={"query": {"q": PUTIN}}), 422, "queries")
    too_many = {f"q{n}": PUTIN for n in range(101)}
    assert_problem(open_client.post("/match/default", json={"queries": too_many}), 422, "101")
    for params, word in (({"limit": 0}, "limit"), ({"threshold": 1.5}, "threshold"), ({"changed_since": "x"}, "")):
        assert_problem(open_client.post("/match/default", params=params, json={"queries": {"q": PUTIN}}), 422, word)


def test_yente_algorithm_names_run_clearances_and_an_unknown_one_is_refused(open_client: TestClient) -> None:
    ours = results(open_client, PUTIN)
    for name in (*YENTE_ALGORITHMS, "Logic-V2", ALGORITHM):
        body = match(open_client, {"q": PUTIN}, algorithm=name)
        assert body["algorithm"] == ALGORITHM and body["responses"]["q"]["results"] == ours
    assert_problem(
        open_client.post("/match/default", params={"algorithm": "logic-v9"}, json={"queries": {"q": PUTIN}}),
        422,
        "logic-v9",
    )


def test_weights_and_config_are_taken_and_said_to_be_ignored(open_client: TestClient) -> None:
    response = open_client.post(
        "/match/default", json={"queries": {"q": PUTIN}, "weights": {"name_literal": 0.8}, "config": {"x": 1}}
    )
    assert response.status_code == 200
    assert any("ignored" in warning for warning in response.json()["warnings"])


# -- datasets -----------------------------------------------------------------------------


def test_a_list_returns_only_its_own_entries(open_client: TestClient) -> None:
    everywhere = results(open_client, KOMID, limit=1)
    assert not everywhere[0]["id"].startswith("un:")  # another list's entry comes first ...
    only_un = results(open_client, KOMID, "un", limit=1)
    assert [r["id"] for r in only_un] == ["un:KPe.001"]  # ... yet the limit loses no UN entry to it
    assert only_un[0]["datasets"] == ["un"]
    for name in ("ofac-sdn", "ofac_sdn"):
        found = results(open_client, KOMID, name, limit=20)
        assert found and all(r["id"].startswith("ofac-sdn:") and r["datasets"] == ["ofac_sdn"] for r in found)


def test_the_us_group_returns_only_us_lists(open_client: TestClient) -> None:
    for query in (KOMID, SBERBANK, PUTIN):
        found = results(open_client, query, "us", limit=50)
        assert found and {r["id"].split(":")[0] for r in found} <= US


def test_dataset_parameters_narrow_the_scope(open_client: TestClient) -> None:
    def sources(**params: Any) -> set[str]:
        """The lists of every entry the results carry: each result's own and its designation's other entries."""
        slugs = {dataset_name(source): source for source in SOURCES}
        found = results(open_client, KOMID, limit=50, **params)
        return {slugs[dataset] for r in found for dataset in r["datasets"] if dataset in slugs}

    assert sources() >= {"un", "ofac-sdn", "us-csl"}
    assert sources(include_dataset=["un", "us_csl"]) == {"un", "us-csl"}
    assert sources(exclude_dataset=["un", "no-such-list"]) == sources() - {"un"}
    assert sources(exclude_schema=["Organization"]) <= {"us-csl"}  # the CSL leaves some kinds untold
    assert sources(topics=["role.pep"]) == set() and sources(topics=["sanction"]) == sources()
    assert sources(changed_since="2999-01-01") == set() and sources(changed_since="2000-01-01") == sources()
    # KOMID is one designation on all its lists: Rosoboronexport is several (OFAC's, the EU's, the State's).
    top = results(open_client, ROSOBORONEXPORT, limit=50)
    left_out = [top[0]["id"], top[1]["referents"][0]]  # an id, and an FtM export id
    kept = {r["id"] for r in results(open_client, ROSOBORONEXPORT, limit=50, exclude_entity_ids=left_out)}
    assert top[0]["id"] not in kept and top[1]["id"] not in kept and {r["id"] for r in top[2:]} <= kept


def test_an_unknown_dataset_is_not_found(open_client: TestClient) -> None:
    for dataset in ("us_ofac_sdn", "custom:nobody"):
        assert_problem(open_client.post(f"/match/{dataset}", json={"queries": {"q": PUTIN}}), 404, dataset)
    response = open_client.post("/match/default", params={"include_dataset": "eu_fsf"}, json={"queries": {"q": PUTIN}})
    assert_problem(response, 404, "eu_fsf")
    assert_problem(open_client.get("/search/nowhere", params={"q": "rosneft"}), 404, "nowhere")


# -- search, entities, catalogue, algorithms ----------------------------------------------


def test_search_finds_listed_entities_by_name(open_client: TestClient) -> None:
    response = open_client.get("/search/default", params={"q": "rosneft"})
    assert response.status_code == 200
    body = response.json()
    assert body["limit"] == 10 and body["offset"] == 0 and body["facets"] == {}
    assert body["results"] and all("ROSNEFT" in r["caption"].upper() for r in body["results"][:3])
    assert body["total"]["value"] >= len(body["results"])
    page = open_client.get("/search/default", params={"q": "rosneft", "limit": 2, "offset": 2}).json()
    assert [r["id"] for r in page["results"]] == [r["id"] for r in body["results"][2:4]]
    for narrower in ({"schema": "Person"}, {"topics": "role.pep"}, {"changed_since": "2999-01-01"}):
        assert open_client.get("/search/default", params={"q": "rosneft", **narrower}).json()["results"] == []
    un_only = open_client.get("/search/un", params={"q": "Korea Mining Development"}).json()["results"]
    assert un_only and all(r["datasets"] == ["un"] for r in un_only)
    assert_problem(open_client.get("/search/default", params={"q": " "}), 422, "q")
    assert_problem(open_client.get("/search/default", params={"q": "x", "schema": "Address"}), 422, "schema")


def test_an_entity_is_served_in_full_with_its_sanction(open_client: TestClient) -> None:
    found = results(open_client, PUTIN)[0]
    response = open_client.get(f"/entities/{found['id']}")
    assert response.status_code == 200
    entity = response.json()
    assert {k: entity[k] for k in ("id", "caption", "schema", "datasets")} == {
        k: found[k] for k in ("id", "caption", "schema", "datasets")
    }
    sanctions = entity["properties"]["sanctions"]
    assert sanctions[0]["schema"] == "Sanction" and sanctions[0]["properties"]["entity"] == found["referents"]
    assert entity["first_seen"] <= entity["last_change"] <= entity["last_seen"]


def test_an_entity_listed_in_two_versions_was_first_seen_in_the_older(open_client: TestClient) -> None:
    entity = open_client.get("/entities/un:KPi.033").json()
    assert entity["caption"] and entity["first_seen"] < entity["last_seen"]
    assert entity["first_seen"].startswith("2025-11-20")  # the older UN file the run's home holds


def test_an_unknown_entity_is_not_found(open_client: TestClient) -> None:
    assert_problem(open_client.get("/entities/un:KPi.999999"), 404, "un:KPi.999999")
    assert_problem(open_client.get("/entities/Q7747"), 404, "Q7747")


def test_the_catalogue_names_every_list_and_group(open_client: TestClient) -> None:
    response = open_client.get("/catalog")
    assert response.status_code == 200
    catalog = response.json()
    datasets = {d["name"]: d for d in catalog["datasets"]}
    lists = [d for d in datasets.values() if d["load"]]
    assert {d["source"] for d in lists} >= {"ofac-sdn", "ofac-cons", "eu", "uk", "un", "us-csl", "eu-annex-iv"}
    loaded = [d for d in lists if d["freshness"] != "not loaded"]
    assert all(d["index_current"] and d["version"] == d["index_version"] and d["entity_count"] for d in loaded)
    assert sorted(catalog["current"] + catalog["outdated"]) == sorted(d["name"] for d in lists)
    assert all(datasets[name]["freshness"] == "current" for name in catalog["current"])
    assert all(datasets[name]["warning"] for name in catalog["outdated"])
    assert catalog["index_stale"] is bool(catalog["outdated"])
    assert set(datasets["default"]["children"]) == set(datasets["all"]["children"]) == {d["name"] for d in lists}
    assert set(datasets["us"]["children"]) == {"ofac_sdn", "ofac_cons", "us_csl"}
    assert datasets["un"]["title"] and datasets["un"]["url"].startswith("https://")


def test_the_algorithms_are_clearances_under_every_name(open_client: TestClient) -> None:
    response = open_client.get("/algorithms")
    assert response.status_code == 200
    body = response.json()
    assert body["default"] == body["best"] == ALGORITHM
    (algorithm,) = body["algorithms"]
    assert algorithm["name"] == ALGORITHM and set(algorithm["aliases"]) == set(YENTE_ALGORITHMS)
    assert set(algorithm["features"]) == set(algorithm["docs"]["features"]) == set(FEATURES)
    assert all(doc["description"] for doc in algorithm["features"].values())


# -- what the request log reads -----------------------------------------------------------


class Seen:
    """Keeps the request state each request leaves, as the request log reads it."""

    def __init__(self, app: ASGIApp, states: list[dict[str, Any]]) -> None:
        self.app = app
        self.states = states

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)
        if scope["type"] == "http":
            self.states.append(dict(scope.get("state", {})))


def test_the_route_tells_the_request_log_its_names_and_hits(listed_home: Path) -> None:
    states: list[dict[str, Any]] = []
    app = create_app(Settings(home=listed_home), ServiceSettings(auth=False))
    app.add_middleware(Seen, states=states)
    with TestClient(app) as client:
        body = match(client, {"putin": PUTIN, "nobody": UNLISTED, "alias": {"schema": "Thing", "properties": {}}})
    state = states[-1]
    assert state["names"] == ("Vladimir Putin", "Johanna Quirrelbach")
    assert state["hits"] == sum(r["match"] for answer in body["responses"].values() for r in answer["results"]) > 0


# -- yente's own models, and a client written for yente -----------------------------------


def yente_python() -> Path:
    if not YENTE_PYTHON.exists():
        pytest.fail(
            f"{YENTE_PYTHON} is missing: `make test` creates it (python3 -m venv .venv-yente && "
            ".venv-yente/bin/pip install yente==5.5.0 requests); yente's own models check the API with it"
        )
    return YENTE_PYTHON


def yente_check(documents: list[dict[str, Any]]) -> subprocess.CompletedProcess[str]:
    lines = "".join(json.dumps(document) + "\n" for document in documents)
    return subprocess.run(
        [str(yente_python()), str(HERE / "yente_models.py")],
        input=lines,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def exchanges(client: TestClient) -> Iterator[dict[str, Any]]:
    """Real requests this API takes and its answers, each as the yente model it must satisfy."""
    batch = {"putin": PUTIN, "sberbank": SBERBANK, "nobody": UNLISTED, "imo": VESSEL_BY_IMO}
    batch |= {"nameless": {"schema": "Person", "properties": {"nationality": "ru"}}}
    for dataset, params, queries in (
        ("default", {}, batch),
        ("default", {"cutoff": 0.4, "limit": 20, "algorithm": "best"}, {"putin": PUTIN}),
        ("un", {}, {"komid": KOMID}),
        ("us", {"exclude_schema": "Person"}, {"sberbank": SBERBANK}),
    ):
        body = {"queries": queries}
        yield {"model": "EntityMatchQuery", "label": f"/match/{dataset} body", "data": body}
        response = client.post(f"/match/{dataset}", params=params, json=body)
        yield {"model": "EntityMatchResponse", "label": f"/match/{dataset}", "data": response.json()}
    for params in ({"q": "rosneft"}, {"q": "rosneft", "offset": 3, "limit": 3}, {"q": "nobody quirrelbach"}):
        yield {
            "model": "SearchResponse",
            "label": str(params),
            "data": client.get("/search/default", params=params).json(),
        }
    ids = [results(client, query)[0]["id"] for query in (PUTIN, SBERBANK, VESSEL_BY_IMO)] + ["un:KPi.033"]
    for entity_id in ids:
        yield {"model": "EntityResponse", "label": entity_id, "data": client.get(f"/entities/{entity_id}").json()}
    yield {"model": "DataCatalogModel", "label": "/catalog", "data": client.get("/catalog").json()}
    yield {"model": "AlgorithmResponse", "label": "/algorithms", "data": client.get("/algorithms").json()}


def test_requests_and_answers_satisfy_yentes_own_models(open_client: TestClient) -> None:
    documents = list(exchanges(open_client))
    assert {d["model"] for d in documents} == {
        "EntityMatchQuery",
        "EntityMatchResponse",
        "SearchResponse",
        "EntityResponse",
        "DataCatalogModel",
        "AlgorithmResponse",
    }
    done = yente_check(documents)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(documents)} documents pass" in done.stdout


def test_yentes_models_are_checked_strictly(open_client: TestClient) -> None:
    answer = open_client.post("/match/default", json={"queries": {"q": PUTIN}}).json()

    def broken(change: str) -> dict[str, Any]:
        data = json.loads(json.dumps(answer))
        result = data["responses"]["q"]["results"][0]
        if change == "no datasets":
            del result["datasets"]
        elif change == "score as text":
            result["score"] = str(result["score"])
        elif change == "one name as text":
            result["properties"]["name"] = result["properties"]["name"][0]
        elif change == "no caption":
            del result["caption"]
        return {"model": "EntityMatchResponse", "label": change, "data": data}

    changes = ("no datasets", "score as text", "one name as text", "no caption")
    done = yente_check([broken(change) for change in changes])
    assert done.returncode == 1
    assert all(change in done.stdout for change in changes), done.stdout


def test_a_client_written_for_yente_runs_unchanged(listed_home: Path, tmp_path: Path) -> None:
    python = yente_python()
    home = copy_home(listed_home, tmp_path / "home")
    created = subprocess.run(
        [sys.executable, "-m", "clearance", "keys", "create", "--role", "screen", "--label", "yente client"],
        env={**os.environ, "CLEARANCE_HOME": str(home)},
        capture_output=True,
        text=True,
        check=True,
    )
    key = created.stdout.strip()
    with running_service(home, workers=1) as url:
        done = subprocess.run(
            [str(python), str(HERE / "yente_client.py")],
            env={**os.environ, "YENTE_URL": url, "OPENSANCTIONS_API_KEY": key},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "ROTENBERG, Arkady" in out and "match: True" in out
    assert "sberbank:" in out and "SBERBANK" in out.upper()
    assert "Risk topics:\n  sanction" in out and "feature name_match" in out
