-- After the window (issue 14).
-- The close (S7): the salt that opens election.closed's voted_commitment
-- (only the committee's private export shows it) and the ballots per unit
-- counted at the close (JSON object, unit code -> count).
CREATE TABLE election_closes (
    election_id BIGINT NOT NULL PRIMARY KEY REFERENCES elections (id),
    salt TEXT NOT NULL,
    per_unit TEXT NOT NULL
);

-- The reported groups of the tally (S8; JSON list of {name, units, ballots}).
ALTER TABLE tallies ADD COLUMN groups TEXT NOT NULL DEFAULT '[]';

-- The decrypted results (results.json, canonical JSON) and which trustees'
-- shares were combined (JSON list).
CREATE TABLE results (
    election_id BIGINT NOT NULL PRIMARY KEY REFERENCES elections (id),
    body TEXT NOT NULL,
    decrypted_by TEXT NOT NULL
);

-- Who certified (S11, S12), in order.
CREATE TABLE certifications (
    election_id BIGINT NOT NULL REFERENCES elections (id),
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (election_id, account_id)
);

-- The signed certificate (certificate.json), once the quorum certified.
CREATE TABLE certificates (
    election_id BIGINT NOT NULL PRIMARY KEY REFERENCES elections (id),
    body TEXT NOT NULL
);
