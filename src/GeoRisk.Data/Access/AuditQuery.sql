-- Newest first, keyset-paged on id (@before). Every filter is optional (NULL = any).
SELECT id, at, key_id, role, casustafels, endpoint, area, layer, z, x, y, rows_returned
FROM audit_log
WHERE (@keyId::text IS NULL OR key_id = @keyId)
  AND (@role::text IS NULL OR role = @role)
  AND (@endpoint::text IS NULL OR endpoint = @endpoint)
  AND (@area::text IS NULL OR area = @area)
  AND (@layer::text IS NULL OR layer = @layer)
  AND (@casustafel::text IS NULL OR @casustafel = ANY (casustafels))
  AND (@from::timestamptz IS NULL OR at >= @from)
  AND (@to::timestamptz IS NULL OR at < @to)
  AND (@before::bigint IS NULL OR id < @before)
ORDER BY id DESC
LIMIT @limit
