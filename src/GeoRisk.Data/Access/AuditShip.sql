-- Rows of a node's audit journal, shipped in one statement; a row already shipped (same
-- request id) is skipped, so shipping a journal file again never doubles it.
INSERT INTO audit_log (request_id, at, key_id, role, casustafels, endpoint, area, layer, z, x, y, rows_returned)
SELECT r.id, r.at, r.key_id, r.role,
       CASE WHEN r.c IS NULL THEN NULL ELSE ARRAY(SELECT jsonb_array_elements_text(r.c)) END,
       r.endpoint, r.area, r.layer, r.z, r.x, r.y, r.n
FROM unnest(@ids::uuid[], @ats::timestamptz[], @keys::text[], @roles::text[], @casustafels::jsonb[],
            @endpoints::text[], @areas::text[], @layers::text[], @zs::int[], @xs::int[], @ys::int[], @ns::bigint[])
     AS r(id, at, key_id, role, c, endpoint, area, layer, z, x, y, n)
ON CONFLICT (request_id) WHERE request_id IS NOT NULL DO NOTHING
