-- Users of the review page and their server-side sessions, and an index for the review queue.
-- A session is kept under the SHA-256 of the token its cookie holds: a copy of the table opens no session.
-- A password is kept as its Argon2id hash (argon2-cffi's encoded form, which names its parameters).
-- Failed logins in a row are counted per user: enough of them lock the user's logins for a while.

CREATE TABLE users (
    id {id},
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    disabled_at TEXT,
    last_login_at TEXT,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT
);

CREATE TABLE sessions (
    token_sha256 TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX sessions_by_user ON sessions (user_id, expires_at);

CREATE INDEX cases_by_assignee ON cases (assignee, status, id)
