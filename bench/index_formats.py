"""Ways to keep the name index between processes, measured on every list in ../shared.

The index is built once from the entities of the newest real file of each source,
then kept four ways, and each is opened in a fresh process after its imports: the
time to open it, then the time of a first query's key lookups (a whole query for
the arrays), and the process's RSS then:

- pickle: the built index's Python objects, pickled whole;
- marshal: only its key tables (dictionaries of strings), the fastest loader of
  plain Python data; names and entities would still have to come from elsewhere;
- SQLite: the key tables as rows of a (table, key) -> value table, one indexed
  lookup per key a query makes;
- arrays (what clearance uses): flat numpy arrays in one file, mapped with mmap.

    .venv/bin/python bench/index_formats.py
"""

from __future__ import annotations

import json
import marshal
import os
import pickle
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

TABLES = ("tokens_of", "_written_of", "_by_consonants", "_spellings", "names_of", "_weights", "_joined_weight")
QUERY = "Aleksandr Grigoryevich Lukashenko"

CHILD = """
import json, sys, time
from pathlib import Path
from clearance.matching import Party, Screener
from clearance.matching.index import NameIndex, query_token_keys
from clearance.matching.tables import TableFile
kind, path = sys.argv[1], sys.argv[2]
started = time.perf_counter()
if kind == "pickle":
    import pickle
    with open(path, "rb") as f:
        built = pickle.load(f)
    loaded = time.perf_counter()
    found = [t for token in ("aleksandr", "grigorevich", "lukashenko")
             for key in query_token_keys(token) for t in built.tokens_of.get(key, ())]
elif kind == "marshal":
    import marshal
    with open(path, "rb") as f:
        tables = marshal.loads(f.read())
    loaded = time.perf_counter()
    found = [t for token in ("aleksandr", "grigorevich", "lukashenko")
             for key in query_token_keys(token) for t in tables["tokens_of"].get(key, ())]
elif kind == "sqlite":
    import sqlite3
    db = sqlite3.connect(path)
    loaded = time.perf_counter()
    found = []
    for token in ("aleksandr", "grigorevich", "lukashenko"):
        for key in query_token_keys(token):
            row = db.execute("SELECT value FROM keys WHERE tbl = 'tokens_of' AND key = ?", (key,)).fetchone()
            found += json.loads(row[0]) if row else []
else:
    index = NameIndex(TableFile.open(Path(path)))
    loaded = time.perf_counter()
    found = Screener(index).screen(Party(sys.argv[3]))
queried = time.perf_counter()
rss = int(open("/proc/self/statm").read().split()[1]) * 4096 / 2**20
print(json.dumps({"load_s": loaded - started, "query_s": queried - loaded, "rss_mb": rss, "found": len(found)}))
"""


def main() -> None:
    import party_devset
    from clearance.matching.index import NameIndex, _Build
    from clearance.matching.persisted import index_meta

    entities = party_devset.load_entities(party_devset.LISTS)
    started = time.perf_counter()
    built = _Build(entities)
    print(
        f"{len(entities):,} entities, {len(built.names):,} names; tables built in {time.perf_counter() - started:.1f} s"
    )
    with tempfile.TemporaryDirectory() as tmp:
        files = {kind: Path(tmp, kind) for kind in ("pickle", "marshal", "sqlite", "arrays")}
        started = time.perf_counter()
        files["arrays"].write_bytes(NameIndex.build(entities, index_meta(None)))
        print(f"arrays: index file built and written in {time.perf_counter() - started:.1f} s")
        built.__dict__.pop("_interned", None)
        with files["pickle"].open("wb") as f:
            pickle.dump(built, f, protocol=pickle.HIGHEST_PROTOCOL)
        files["marshal"].write_bytes(marshal.dumps({name: getattr(built, name) for name in TABLES}))
        db = sqlite3.connect(files["sqlite"])
        db.execute("CREATE TABLE keys (tbl TEXT, key TEXT, value TEXT, PRIMARY KEY (tbl, key)) WITHOUT ROWID")
        for name in TABLES:
            table = getattr(built, name)
            db.executemany(
                "INSERT INTO keys VALUES (?, ?, ?)", ((name, key, json.dumps(value)) for key, value in table.items())
            )
        db.commit()
        db.close()
        print("\n| format | file MB | load s | first lookups or query s | RSS after MB | holds |")
        print("| --- | --- | --- | --- | --- | --- |")
        holds = {
            "pickle": "everything",
            "marshal": "key tables only",
            "sqlite": "key tables only",
            "arrays": "everything",
        }
        for kind, path in files.items():
            runs = []
            for _ in range(3):
                out = subprocess.run(
                    [sys.executable, "-c", CHILD, kind, str(path), QUERY], capture_output=True, text=True, check=True
                )
                runs.append(json.loads(out.stdout))
            best = min(runs, key=lambda r: r["load_s"] + r["query_s"])
            size = os.path.getsize(path) / 2**20
            print(
                f"| {kind} | {size:.0f} | {best['load_s']:.3f} | {best['query_s']:.3f} | {best['rss_mb']:.0f} "
                f"| {holds[kind]} |"
            )


if __name__ == "__main__":
    main()
