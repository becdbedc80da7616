-- A ballot's line (about 3 kB of hex points and scalars) is over the
-- 2 kB at which PostgreSQL compresses a row with pglz by default: every
-- cast paid a compression that `perf` showed as the database's largest
-- single cost in the cast benchmark (issue 13), to save a third of the
-- space of rows that are written once and read once at the tally. Rows up
-- to 8160 bytes now stay in the table as they are.
ALTER TABLE ballots SET (toast_tuple_target = 8160);
