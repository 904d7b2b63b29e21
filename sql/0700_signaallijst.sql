-- Signal list (signaallijst) and follow-up along the RIEC werkwijze. The functions and the
-- trigger are defined in sql/functions/0700_signaallijst.sql.

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
    -- Who: the API key's id and role, never a person's name.
    actor         text NOT NULL CHECK (char_length(actor) BETWEEN 1 AND 100),
    changed_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    CHECK (from_status <> to_status)
);
CREATE INDEX signal_followup_signal_idx ON signal_followup (signal_id, id);
