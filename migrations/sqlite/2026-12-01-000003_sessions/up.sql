-- Sign-in holes of issue 9. Times are milliseconds since the Unix epoch, UTC.

-- Server-side sessions (S11: sign-out, disable and password change end them
-- at once). Only a SHA-256 hash of the session id is stored, so a copy of
-- this table cannot be replayed as cookies.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);

-- Wrong passwords per (email as typed, client address): the lockout a
-- stranger triggers locks only the stranger's own client out (S11).
CREATE TABLE sign_in_failures (
    email TEXT NOT NULL,
    client TEXT NOT NULL,
    failed INTEGER NOT NULL DEFAULT 0,
    first_failed_at BIGINT NOT NULL,
    locked_until BIGINT,
    PRIMARY KEY (email, client)
);

-- The last TOTP time step accepted, so a code cannot be used twice (RFC 6238 §5.2).
ALTER TABLE accounts ADD COLUMN totp_last_step BIGINT;
