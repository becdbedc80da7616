-- Foundation schema. Times are milliseconds since the Unix epoch, UTC, so
-- both backends compare them the same way.

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'committee', 'trustee', 'auditor')),
    password_hash TEXT NOT NULL,
    totp_secret TEXT,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until BIGINT,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);

CREATE TABLE elections (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    -- The validated spec as JSON; frozen once the key is published.
    spec TEXT NOT NULL,
    state TEXT NOT NULL,
    opens_at BIGINT NOT NULL,
    closes_at BIGINT NOT NULL,
    time_zone TEXT NOT NULL,
    public_key TEXT,
    created_at BIGINT NOT NULL
);

-- The roll: who may vote and whether they have (never when, never how: S7).
CREATE TABLE members (
    id INTEGER PRIMARY KEY,
    election_id BIGINT NOT NULL REFERENCES elections (id),
    member_number TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    unit TEXT NOT NULL,
    language TEXT NOT NULL,
    eligible BOOLEAN NOT NULL DEFAULT TRUE,
    has_voted BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (election_id, member_number),
    UNIQUE (election_id, email)
);

-- One row per audit log; appends lock this row to serialize (S13).
CREATE TABLE audit_logs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    size BIGINT NOT NULL DEFAULT 0,
    -- The newest entry's time (ms), so the next entry can be chained to it.
    head_time BIGINT NOT NULL DEFAULT 0,
    head_hash BLOB
);

CREATE TABLE audit_entries (
    log_id BIGINT NOT NULL REFERENCES audit_logs (id),
    idx BIGINT NOT NULL,
    leaf_hash BLOB NOT NULL,
    -- The entry's canonical JSON bytes, exactly as hashed.
    body TEXT NOT NULL,
    PRIMARY KEY (log_id, idx)
);

-- Hashes of complete Merkle subtrees, so proofs need O(log n) reads.
CREATE TABLE audit_nodes (
    log_id BIGINT NOT NULL REFERENCES audit_logs (id),
    level INTEGER NOT NULL,
    idx BIGINT NOT NULL,
    hash BLOB NOT NULL,
    PRIMARY KEY (log_id, level, idx)
);

CREATE TABLE audit_checkpoints (
    log_id BIGINT NOT NULL REFERENCES audit_logs (id),
    size BIGINT NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (log_id, size)
);
