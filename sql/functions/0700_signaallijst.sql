-- Signal list (signaallijst) and follow-up along the RIEC werkwijze.

-- A signal's location as a caller may see it: never finer than the precision the partner
-- delivered. object: to the metre; pc6: centre of its 100 m cell; street: centre of its 250 m
-- cell; area: no point at all (only the area is shown). Cells are aligned to RD New's origin.
CREATE OR REPLACE FUNCTION location_at_precision(g geometry, delivered text)
RETURNS geometry
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT CASE delivered
        WHEN 'object' THEN ST_SnapToGrid(g, 1)
        WHEN 'pc6'    THEN ST_Translate(ST_SnapToGrid(ST_Translate(g, -50, -50), 100), 50, 50)
        WHEN 'street' THEN ST_Translate(ST_SnapToGrid(ST_Translate(g, -125, -125), 250), 125, 125)
        ELSE NULL
    END
$$;

-- signal_followup is the history of follow-up steps and is append-only.
CREATE OR REPLACE FUNCTION signal_followup_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'signal_followup is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE OR REPLACE TRIGGER signal_followup_append_only BEFORE UPDATE OR DELETE ON signal_followup
    FOR EACH ROW EXECUTE FUNCTION signal_followup_append_only();
