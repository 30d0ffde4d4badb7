"""Plain SQLite (Python's sqlite3) against SQLCipher 4 (sqlcipher3-wheels) on a
KetQual-shaped workload: the project schema made by KetQual's own migrations, 1,000
documents of 10,000 characters with their units, 50,000 codings; then single-action
commits (synchronous=FULL, WAL) as the coding screen makes them, reads, and opening.

KetQual does not depend on SQLCipher (see docs/privacy.md for why). To run this, install
the binding somewhere apart and point at it:

    .venv/bin/pip install --target /tmp/sqlcpkgs sqlcipher3-wheels==0.5.7
    SQLCIPHER_PATH=/tmp/sqlcpkgs .venv/bin/python bench/sqlcipher_bench.py
"""

import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, os.environ.get("SQLCIPHER_PATH", "/tmp/sqlcpkgs"))
try:
    import sqlcipher3.dbapi2 as sqlcipher
except ImportError:
    sys.exit("sqlcipher3 is not installed: see this script's docstring")
from sqlalchemy import create_engine, text  # noqa: E402

from ketqual.store import schema  # noqa: E402

print("sqlite", sqlite3.sqlite_version, "| sqlcipher", sqlcipher.sqlite_version)
PASS = "correct horse battery staple"


def engine_for(path, cipher):
    module = sqlcipher if cipher else sqlite3

    def connect():
        conn = module.connect(str(path), check_same_thread=False)
        if cipher:
            conn.execute(f"PRAGMA key = '{PASS}'")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=FULL")
        return conn

    return create_engine("sqlite://", creator=connect)


rng = random.Random(1)
words = [
    "ketamine",
    "clinic",
    "dose",
    "carer",
    "bladder",
    "mood",
    "sleep",
    "travel",
    "cost",
    "therapy",
    "support",
    "side",
    "effect",
]


def doc_text():
    return " ".join(rng.choice(words) for _ in range(1500))[:10000]


def run(cipher):
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, "p.ketqual")
    eng = engine_for(path, cipher)
    with eng.begin() as c:
        schema.upgrade(c)
        c.execute(
            text(
                "insert into project (application, uid, name, created_at, settings) values ('ketqual','u','p','now','{}')"
            )
        )
        c.execute(
            text(
                "insert into coder (uid,name,role,colour,created_at) values ('c','A','coder','#000','now')"
            )
        )
        c.execute(
            text(
                "insert into code (uid,name,colour,definition,include_notes,exclude_notes,example,sort_order,active,created_at) values ('k','T','#000','','','','',0,1,'now')"
            )
        )
    t = time.perf_counter()
    with eng.begin() as c:
        c.execute(
            text(
                "insert into document (uid,title,kind,source_name,source_format,source_sha256,imported_at,text,text_sha256,char_count,sort_order) values (:u,'t','other','s','txt','x','now',:t,'y',10000,:i)"
            ),
            [{"u": f"d{i}", "t": doc_text(), "i": i} for i in range(1000)],
        )
        c.execute(
            text(
                "insert into segment (document_id,kind,start,\"end\") values (:d,'sentence',:s,:e)"
            ),
            [{"d": d, "s": s * 100, "e": s * 100 + 90} for d in range(1, 1001) for s in range(100)],
        )
        c.execute(
            text(
                "insert into coding (uid,document_id,code_id,coder_id,start,\"end\",memo,created_at,updated_at) values (:u,:d,1,1,:s,:e,'','now','now')"
            ),
            [
                {"u": f"c{i}", "d": i % 1000 + 1, "s": i % 9000, "e": i % 9000 + 50}
                for i in range(50000)
            ],
        )
    bulk = time.perf_counter() - t
    singles = []
    for i in range(200):
        t = time.perf_counter()
        with eng.begin() as c:
            c.execute(
                text(
                    "insert into coding (uid,document_id,code_id,coder_id,start,\"end\",memo,created_at,updated_at) values (:u,5,1,1,10,20,'','now','now')"
                ),
                {"u": f"s{i}"},
            )
        singles.append(time.perf_counter() - t)
    t = time.perf_counter()
    with eng.connect() as c:
        chars = sum(len(r[0]) for r in c.execute(text("select text from document")))
        rows = len(c.execute(text("select * from coding")).fetchall())
    read = time.perf_counter() - t
    assert chars > 9_000_000 and rows == 50_200, (chars, rows)
    eng.dispose()
    opens = []
    for _ in range(5):
        t = time.perf_counter()
        e2 = engine_for(path, cipher)
        with e2.connect() as c:
            c.execute(text("select count(*) from document")).scalar()
        opens.append(time.perf_counter() - t)
        e2.dispose()
    size = os.path.getsize(path) + (
        os.path.getsize(path + "-wal") if os.path.exists(path + "-wal") else 0
    )
    return (
        bulk,
        statistics.median(singles) * 1000,
        sorted(singles)[189] * 1000,
        read,
        statistics.median(opens) * 1000,
        size,
    )


for cipher in (False, True):
    bulk, med, p95, read, open_ms, size = run(cipher)
    print(
        f"{'SQLCipher 4' if cipher else 'plain SQLite':<12} bulk write {bulk:5.2f} s | one action: median {med:5.1f} ms, p95 {p95:5.1f} ms | read all {read:5.2f} s | open {open_ms:6.1f} ms | file {size / 1e6:.1f} MB"
    )
