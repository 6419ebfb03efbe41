-- The webhook outbox: every audit row of a project queues one delivery per active webhook of that
-- project whose events match its action (exact, `family.*` or `*`), in the change's own transaction,
-- so a committed change is never lost to a crash and a rolled-back one is never sent. Dispatchers on
-- every replica are woken on `taskflow_webhooks` (delivered on commit) and also poll.
CREATE OR REPLACE FUNCTION taskflow_enqueue_webhooks() RETURNS trigger AS $$
DECLARE
  queued integer;
BEGIN
  IF NEW.project_id IS NULL THEN
    RETURN NULL;
  END IF;
  INSERT INTO webhook_deliveries (webhook_id, audit_id, action)
  SELECT w.id, NEW.id, NEW.action
  FROM webhooks w
  WHERE w.project_id = NEW.project_id
    AND w.tenant_id = NEW.tenant_id
    AND w.active
    AND (
      '*' = ANY (w.events)
      OR NEW.action = ANY (w.events)
      OR split_part(NEW.action, '.', 1) || '.*' = ANY (w.events)
    );
  GET DIAGNOSTICS queued = ROW_COUNT;
  IF queued > 0 THEN
    PERFORM pg_notify('taskflow_webhooks', '');
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_log_webhooks AFTER INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION taskflow_enqueue_webhooks();
