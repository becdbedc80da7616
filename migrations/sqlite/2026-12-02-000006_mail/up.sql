-- Ballot credentials and the mail outbox (issue 12). Times are milliseconds
-- since the Unix epoch, UTC.

-- One working credential per eligible member (S1, S2). Only
-- HMAC-SHA256(server key, token) is kept (S3); no time is kept, so a used
-- credential says nothing about when its member voted (S7).
CREATE TABLE credentials (
    id INTEGER PRIMARY KEY,
    election_id BIGINT NOT NULL REFERENCES elections (id),
    member_id BIGINT NOT NULL REFERENCES members (id),
    token_hash BLOB NOT NULL UNIQUE,
    state TEXT NOT NULL CHECK (state IN ('active', 'revoked', 'used'))
);
CREATE UNIQUE INDEX credentials_one_active ON credentials (member_id) WHERE state = 'active';
CREATE INDEX credentials_by_election ON credentials (election_id, state);

-- The durable outbox (S19): one row per message. `token` is the only
-- token-bearing column; it is set to NULL as soon as the relay accepts the
-- message, or when the credential it carries is revoked (S3).
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    election_id BIGINT NOT NULL REFERENCES elections (id),
    member_id BIGINT NOT NULL REFERENCES members (id),
    kind TEXT NOT NULL CHECK (kind IN ('ballot', 'reminder', 'reissue', 'printed')),
    message_id TEXT NOT NULL UNIQUE,
    token TEXT,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'deferred', 'sent', 'undeliverable', 'cancelled', 'printed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_until BIGINT,
    reply TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_by_member ON outbox (member_id);
CREATE INDEX outbox_by_election ON outbox (election_id, status);
