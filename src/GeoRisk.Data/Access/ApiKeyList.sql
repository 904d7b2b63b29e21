SELECT k.id,
       k.role,
       k.label,
       coalesce(array_agg(c.casustafel_id ORDER BY c.casustafel_id)
                FILTER (WHERE c.casustafel_id IS NOT NULL), '{}') AS casustafels,
       k.created_at,
       k.revoked_at,
       k.partner
FROM api_key k
LEFT JOIN api_key_casustafel c ON c.key_id = k.id
WHERE (@includeRevoked OR k.revoked_at IS NULL)
GROUP BY k.id
ORDER BY k.created_at, k.id
