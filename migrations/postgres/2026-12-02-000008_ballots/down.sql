DROP TABLE ballots;
