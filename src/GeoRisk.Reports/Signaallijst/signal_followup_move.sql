-- Moves a signal one follow-up step and records it, only if it is still in the status the
-- caller saw (optimistic: a concurrent move makes this return no row → 409).
-- $1 signal id, $2 from status, $3 to status, $4 note, $5 casustafel id, $6 actor, $7 key id
-- (its partner is recorded: the organisation that took the step), $8 role, $7 key id
-- (its partner is recorded: the organisation that took the step), $8 role
WITH moved AS (
    UPDATE signal SET followup_status = $3, updated_at = now()
    WHERE id = $1 AND followup_status = $2
    RETURNING id
)
INSERT INTO signal_followup (signal_id, casustafel_id, from_status, to_status, note, actor, partner, actor_role)
SELECT id, $5, $2, $3, $4, $6, (SELECT k.partner FROM api_key k WHERE k.id = $7), $8 FROM moved
RETURNING id
