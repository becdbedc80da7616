DROP TABLE certificates;
DROP TABLE certifications;
DROP TABLE results;
ALTER TABLE tallies DROP COLUMN groups;
DROP TABLE election_closes;
