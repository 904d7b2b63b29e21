-- The follow-up history of one signal, oldest first, with the partner (organisation) and role
-- that took each step. $1 signal id
SELECT f.id, f.casustafel_id, f.from_status, f.to_status, f.note, f.actor, f.changed_at,
       f.partner, p.label_nl, p.label_en, f.actor_role
FROM signal_followup f
LEFT JOIN source_partner p ON p.code = f.partner
WHERE f.signal_id = $1
ORDER BY f.id
