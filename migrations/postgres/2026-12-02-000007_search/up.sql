-- Issue 11: member search without case or accents ("lopez" finds "López").
-- The folded text of a member's number, name and email (Unicode NFKD,
-- combining marks dropped, lower case), written at import by
-- crate::roll::fold_for_search; members imported before this column are
-- still found by the case-insensitive match on the columns themselves.
ALTER TABLE members ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
