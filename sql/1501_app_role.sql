-- The service runs as a role that owns nothing (docs/access.md, "Database roles"): migrations run
-- as the owner of the schema; the API logs in as a member of georisk_app, which may read and
-- write the data but cannot change the schema, disable triggers, set session_replication_role
-- (superuser only) or change the audit log: on audit_log it has INSERT and SELECT only, and
-- the append-only trigger of 0600 stays in force because the role cannot drop or disable it.
-- Roles are cluster-wide; creating one that another database already made is not an error.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'georisk_app') THEN
        CREATE ROLE georisk_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL; -- created concurrently by a migration of another database on the same cluster
END
$$;

GRANT USAGE ON SCHEMA public TO georisk_app;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO georisk_app;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO georisk_app;
REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_log FROM georisk_app;
GRANT SELECT, INSERT ON audit_log TO georisk_app;
-- Tables and sequences that later migrations create (as the same owner) are granted alike.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO georisk_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO georisk_app;
-- The migration level is the owner's business: the service only reads it (GET /health).
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migration FROM georisk_app;
