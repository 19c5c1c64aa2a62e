-- The case store: recorded screenings, cases and their alerts, decisions, remembered false
-- positives, comments, and the hash-chained audit trail. `{id}` is the dialect's identity column.
-- Times are UTC ISO 8601 text, the same on every database.

CREATE TABLE screenings (
    id {id},
    kind TEXT NOT NULL,
    batch TEXT,
    subject TEXT NOT NULL,
    label TEXT NOT NULL,
    input TEXT,
    input_sha256 TEXT NOT NULL,
    result TEXT NOT NULL,
    result_sha256 TEXT NOT NULL,
    list_version TEXT,
    snapshots TEXT NOT NULL,
    algorithm TEXT NOT NULL,
    config_digest TEXT NOT NULL,
    threshold DOUBLE PRECISION NOT NULL,
    requested_by TEXT NOT NULL,
    screened_at TEXT NOT NULL
);
CREATE INDEX screenings_by_subject ON screenings (subject, id);

CREATE TABLE cases (
    id {id},
    subject TEXT NOT NULL,
    label TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    decision TEXT,
    assignee TEXT,
    opened_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    decided_at TEXT
);
CREATE INDEX cases_by_subject ON cases (subject, status);
CREATE INDEX cases_by_status ON cases (status, id);

CREATE TABLE decisions (
    id {id},
    case_id BIGINT NOT NULL REFERENCES cases (id),
    decision TEXT NOT NULL,
    reason TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    state TEXT NOT NULL,
    approved_by TEXT,
    approved_at TEXT,
    rejected_by TEXT,
    rejected_at TEXT,
    rejection TEXT
);
CREATE INDEX decisions_by_case ON decisions (case_id, id);

CREATE TABLE alerts (
    id {id},
    case_id BIGINT REFERENCES cases (id),
    screening_id BIGINT NOT NULL REFERENCES screenings (id),
    subject TEXT NOT NULL,
    subject_sha256 TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    entity_sha256 TEXT NOT NULL,
    snapshot_id BIGINT,
    source TEXT NOT NULL,
    name TEXT NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    programmes TEXT NOT NULL,
    matched TEXT NOT NULL,
    status TEXT NOT NULL,
    decision_id BIGINT REFERENCES decisions (id),
    reopens BIGINT REFERENCES decisions (id),
    created_at TEXT NOT NULL
);
CREATE INDEX alerts_by_case ON alerts (case_id, id);
CREATE INDEX alerts_by_screening ON alerts (screening_id);

CREATE TABLE remembered (
    subject_sha256 TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    entity_sha256 TEXT NOT NULL,
    subject TEXT NOT NULL,
    decision_id BIGINT NOT NULL REFERENCES decisions (id),
    remembered_at TEXT NOT NULL,
    PRIMARY KEY (subject_sha256, entity_id, entity_sha256)
);
CREATE INDEX remembered_by_subject ON remembered (subject, entity_id);

CREATE TABLE comments (
    id {id},
    case_id BIGINT NOT NULL REFERENCES cases (id),
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX comments_by_case ON comments (case_id, id);

CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    event TEXT NOT NULL,
    case_id BIGINT,
    screening_id BIGINT,
    body TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_by_time ON audit_log (at, seq);
CREATE INDEX audit_by_case ON audit_log (case_id, seq);

CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000')
