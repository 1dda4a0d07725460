-- Lookups of the membership lib: what a contract or member holds (offboarding releases it, GDPR exports it), a
-- member's credentials, door events by credential (export and erasure find a member's events by the credentials they
-- held) and audit rows by subject.
CREATE INDEX IF NOT EXISTS resource_assignments_contract ON resource_assignments (site_id, contract_id);
CREATE INDEX IF NOT EXISTS resource_assignments_member ON resource_assignments (site_id, member_id);
CREATE INDEX IF NOT EXISTS credentials_member ON credentials (site_id, member_id);
CREATE INDEX IF NOT EXISTS door_events_site_credential_ts ON door_events (site_id, credential, ts DESC);
CREATE INDEX IF NOT EXISTS audit_log_site_subject ON audit_log (site_id, subject, id);
-- The daily sweep looks for contracts whose end has come and that are still marked active.
CREATE INDEX IF NOT EXISTS contracts_due_to_end ON contracts (site_id, end_date) WHERE status = 'active';
