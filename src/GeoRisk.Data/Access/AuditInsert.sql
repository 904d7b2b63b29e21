INSERT INTO audit_log (key_id, role, casustafels, endpoint, area, layer, z, x, y, rows_returned)
VALUES (@keyId, @role, @casustafels, @endpoint, @area, @layer, @z, @x, @y, @rows)
RETURNING id
