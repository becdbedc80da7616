-- Secret ballots (issue 13, S6, S7): ciphertexts with proofs under the
-- election key, the member's bargaining unit and the tracker. No member,
-- credential, time, address or user agent: nothing links a ballot to who
-- cast it. `body` is the ballot's line in the record's ballots.jsonl
-- (docs/audit-format.md); `ballot.cast` logs its SHA-256.
-- SQLite: WITHOUT ROWID, so the table is a B-tree in tracker order: no
-- rowid records the order ballots arrived in (S7).
CREATE TABLE ballots (
    election_id BIGINT NOT NULL REFERENCES elections (id),
    tracker TEXT NOT NULL,
    unit TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (election_id, tracker)
) WITHOUT ROWID;
