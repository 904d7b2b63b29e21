-- The organisation behind an API key (a partner of the casustafel, e.g. gemeente or politie),
-- so the follow-up history says which partner took a step instead of naming a key id. Optional:
-- keys created before this migration, and admin or analyst keys, may have none.
ALTER TABLE api_key ADD COLUMN partner text REFERENCES source_partner (code);

-- The partner and role at the time of each step: a key's partner can change later, the
-- history keeps what was true then. Older steps have neither (their actor names the key).
ALTER TABLE signal_followup
    ADD COLUMN partner    text REFERENCES source_partner (code),
    ADD COLUMN actor_role text CHECK (actor_role IN ('admin', 'analyst', 'member', 'viewer'));
