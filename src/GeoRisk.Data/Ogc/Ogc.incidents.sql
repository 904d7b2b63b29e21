-- Source of the OGC API collection 'incidents': features of the overlay datasets whose layer is
-- 'incidents' (port incidents and the like) with dataset, programme, kind and time. The
-- uploaded properties are not copied: an upload may carry fields nobody vetted. A caller bound
-- to casustafels sees only those programmes' incidents (as the incidents tiles).
-- $1 caller scope (programmes), $2 and $3 unused.
SELECT f.id, f.geom,
       d.code AS dataset, d.programme, f.kind, f.observed_at
FROM overlay_feature f
JOIN overlay_dataset d ON d.id = f.dataset_id AND d.layer = 'incidents'
WHERE $1::text[] IS NULL OR d.programme = ANY ($1::text[])
