ALTER TABLE accounts DROP COLUMN totp_last_step;
DROP TABLE sign_in_failures;
DROP TABLE sessions;
