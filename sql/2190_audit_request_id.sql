-- Audit rows written through a node's local journal (docs/access.md, "Audit journal") carry the
-- id the node gave the request, so a journal shipped twice (a crash between the INSERT and
-- deleting the shipped file, or a replay at start-up) never doubles a row. NULL for rows written
-- straight to the table, which the partial index leaves out, so the
-- direct path pays no index upkeep for it.
ALTER TABLE audit_log ADD COLUMN request_id uuid;
CREATE UNIQUE INDEX audit_log_request_id_key ON audit_log (request_id) WHERE request_id IS NOT NULL;
