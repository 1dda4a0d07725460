-- Keys are looked up by the hash of the presented token, so the hash must be unique and indexed.
CREATE UNIQUE INDEX IF NOT EXISTS api_keys_secret_hash ON api_keys (secret_hash);
