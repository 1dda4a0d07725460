-- Why a door answered as it did (`outside_hours`, `unknown_credential`...), as the access decision or the controller
-- reported it. Decisions of the platform's own access engine used to carry it inside `method` as `decide:<reason>`.
ALTER TABLE door_events ADD COLUMN IF NOT EXISTS reason text;
UPDATE door_events SET reason = substr(method, length('decide:') + 1), method = 'decide'
WHERE method LIKE 'decide:%' AND reason IS NULL;
