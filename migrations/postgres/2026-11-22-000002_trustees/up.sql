-- Files the trustees hand the server during the key ceremony and after the
-- tally: their public keys, deals, confirmations, complaints and decryption
-- shares, exactly as submitted (JSON). The server never holds a secret share.
CREATE TABLE trustee_files (
    election_id BIGINT NOT NULL REFERENCES elections (id),
    kind TEXT NOT NULL CHECK (kind IN ('public', 'deal', 'confirmation', 'complaint', 'share')),
    trustee_index INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (election_id, kind, trustee_index)
);

-- The combined election key and each trustee's verification key (JSON).
CREATE TABLE election_keys (
    election_id BIGINT NOT NULL PRIMARY KEY REFERENCES elections (id),
    body TEXT NOT NULL
);

-- The encrypted totals per reported group that trustees decrypt (JSON).
CREATE TABLE tallies (
    election_id BIGINT NOT NULL PRIMARY KEY REFERENCES elections (id),
    request TEXT NOT NULL
);
