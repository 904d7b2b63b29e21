-- Signal list (signaallijst) and follow-up along the RIEC werkwijze (issue 7).

-- A signal's location as a caller may see it: never finer than the precision the partner
-- delivered. object: to the metre; pc6: centre of its 100 m cell; street: centre of its 250 m
-- cell; area: no point at all (only the area is shown). Cells are aligned to RD New's origin.
CREATE FUNCTION location_at_precision(g geometry, delivered text)
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

-- Every follow-up step a casustafel takes on a signal, with a short non-personal note (the
-- privacy gate checks it before it gets here). signal.followup_status holds the current step;
-- this table is its history and is append-only: a trigger refuses UPDATE and DELETE.
CREATE TABLE signal_followup (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    signal_id     bigint NOT NULL REFERENCES signal (id),
    casustafel_id text NOT NULL REFERENCES casustafel (id),
    from_status   text NOT NULL REFERENCES followup_status (code),
    to_status     text NOT NULL REFERENCES followup_status (code),
    note          text NOT NULL CHECK (char_length(note) BETWEEN 1 AND 280),
    -- Who: the API key's id and role (issue 6), never a person's name.
    actor         text NOT NULL CHECK (char_length(actor) BETWEEN 1 AND 100),
    changed_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    CHECK (from_status <> to_status)
);
CREATE INDEX signal_followup_signal_idx ON signal_followup (signal_id, id);

CREATE FUNCTION signal_followup_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'signal_followup is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER signal_followup_append_only BEFORE UPDATE OR DELETE ON signal_followup
    FOR EACH ROW EXECUTE FUNCTION signal_followup_append_only();
