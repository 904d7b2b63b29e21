-- The follow-up history of one signal, oldest first. $1 signal id
SELECT f.id, f.casustafel_id, f.from_status, f.to_status, f.note, f.actor, f.changed_at
FROM signal_followup f
WHERE f.signal_id = $1
ORDER BY f.id
