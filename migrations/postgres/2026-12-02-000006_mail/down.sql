DROP TABLE outbox;
DROP TABLE credentials;
