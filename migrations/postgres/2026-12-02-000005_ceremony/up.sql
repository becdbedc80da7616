-- Who holds each trustee slot (issue 10): the account that registered the
-- slot's public key through the web or the API, or NULL when it was
-- registered with the command line on the server. Only that account (or
-- the command line) may register the slot's later files, and publish-key
-- refuses when one account holds more slots than election.max_trustee_slots_per_account.
CREATE TABLE trustee_slots (
    election_id BIGINT NOT NULL REFERENCES elections (id),
    trustee_index INTEGER NOT NULL,
    account_id BIGINT REFERENCES accounts (id),
    PRIMARY KEY (election_id, trustee_index)
);
