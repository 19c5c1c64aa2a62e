"""A screening client written as the OpenSanctions API documentation shows one, run against clearance unchanged.

Its requests and the way it reads the answers follow the API's quickstart
(https://www.opensanctions.org/docs/api/quickstart/: a `requests` session with an `ApiKey`
Authorization header, one query posted to `/match/default`) and its matching guide
(https://www.opensanctions.org/docs/api/matching/: the Rotenberg example, a person by name parts,
birth date and nationality). As in those examples, where to connect and the key come from the
environment: `YENTE_URL` (the documentation's base URL by default) and `OPENSANCTIONS_API_KEY`.
"""

import os

import requests

BASE_URL = os.environ.get("YENTE_URL", "https://api.opensanctions.org")
API_ENDPOINT = "match"
DATASET = "default"
API_KEY = os.environ.get("OPENSANCTIONS_API_KEY")

session = requests.Session()
session.headers["Authorization"] = f"ApiKey {API_KEY}"

# The quickstart's first request: one person, by name parts and year of birth.
query = {
    "schema": "Person",
    "properties": {
        "firstName": ["Aleksandr"],
        "lastName": ["Zacharov"],
        "birthDate": ["1965"],
    },
}
response = session.post(f"{BASE_URL}/{API_ENDPOINT}/{DATASET}", json={"queries": {"q": query}})
response.raise_for_status()
results = response.json()["responses"]["q"]["results"]
print(f"q: {len(results)} results")
for r in results:
    print(f"\n{r['caption']}, ID: {r['id']}, Match score: {r['score']}")

# The matching guide's example: a batch keyed by the caller, each answer read by its key.
queries = {
    "rotenberg": {
        "schema": "Person",
        "properties": {
            "firstName": ["Arkadii"],
            "fatherName": ["Romanovich"],
            "lastName": ["Rotenberg", "Ротенберг"],
            "birthDate": ["1951"],
            "nationality": ["Russia"],
        },
    },
    "sberbank": {
        "schema": "Company",
        "properties": {"name": ["Sberbank"], "jurisdiction": ["ru"]},
    },
}
response = session.post(f"{BASE_URL}/{API_ENDPOINT}/{DATASET}", json={"queries": queries})
response.raise_for_status()
for key, answer in response.json()["responses"].items():
    print(f"{key}: {len(answer['results'])} results")
    for r in answer["results"]:
        print(f"\n{r['caption']}, ID: {r['id']}, Match score: {r['score']}, match: {r['match']}")
        print("Available information:\n ", ", ".join(list(r.keys())))
        if "properties" in r.keys():
            print("Available properties:\n ", ", ".join(list(r["properties"].keys())))
            if "topics" in r["properties"]:
                print("Risk topics:\n ", ", ".join(list(r["properties"]["topics"])))
        for feature, score in r["features"].items():
            print(f"  feature {feature}: {score}")
