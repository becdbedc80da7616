ALTER TABLE members DROP COLUMN search_key;
