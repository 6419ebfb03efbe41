-- Announce every committed audit row of a project on the `taskflow_events` channel, so live
-- event streams on every replica learn of it (NOTIFY is delivered only when the transaction commits).
CREATE OR REPLACE FUNCTION taskflow_notify_audit() RETURNS trigger AS $$
BEGIN
  IF NEW.project_id IS NOT NULL THEN
    PERFORM pg_notify('taskflow_events', NEW.project_id::text || ':' || NEW.id::text);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_log_notify AFTER INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION taskflow_notify_audit();
