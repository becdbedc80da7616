DROP TABLE audit_checkpoints;
DROP TABLE audit_nodes;
DROP TABLE audit_entries;
DROP TABLE audit_logs;
DROP TABLE members;
DROP TABLE elections;
DROP TABLE accounts;
