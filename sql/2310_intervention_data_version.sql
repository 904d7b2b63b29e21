-- A data_version row for the interventions register, bumped by the triggers of
-- sql/functions/0500_tile_change.sql on intervention and intervention_kind. The factsheet's
-- intervention section is cached per API process under the versions of everything it reads
-- (signal, area, intervention, casustafel); the row exists from the start so that its first
-- bump is a change of a number every node has already read, not a row appearing.
INSERT INTO data_version (name) VALUES ('intervention') ON CONFLICT (name) DO NOTHING;
