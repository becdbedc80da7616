-- PostgreSQL's migration of this name sets how ballots are stored there
-- (no compression of ballot rows); SQLite never compresses rows, so there
-- is nothing to change. Kept so both backends list the same migrations.
SELECT 1;
