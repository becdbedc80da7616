-- Each fact stored once (issue 9). The window (opening, closing, time
-- zone) lives in the spec, which extensions rewrite; the election key lives
-- in election_keys with the trustees' verification keys. The copies here
-- were never read back and could disagree.
ALTER TABLE elections DROP COLUMN opens_at;
ALTER TABLE elections DROP COLUMN closes_at;
ALTER TABLE elections DROP COLUMN time_zone;
ALTER TABLE elections DROP COLUMN public_key;
