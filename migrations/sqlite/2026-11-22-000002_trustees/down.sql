DROP TABLE tallies;
DROP TABLE election_keys;
DROP TABLE trustee_files;
