CREATE TABLE "agent_dispatches" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"agent_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"last_status_code" integer,
	"last_error" text,
	"last_duration_ms" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "agent_endpoints" (
	"agent_id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"url" text NOT NULL,
	"secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agent_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text NOT NULL,
	"project_id" uuid NOT NULL,
	"task_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"state" text NOT NULL,
	"origin" text NOT NULL,
	"opened_by_id" uuid,
	"last_seq" integer DEFAULT 0 NOT NULL,
	"agent_read_seq" integer DEFAULT 0 NOT NULL,
	"last_activity_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "run_activities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" text NOT NULL,
	"run_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"type" text NOT NULL,
	"author_id" uuid,
	"body" text DEFAULT '' NOT NULL,
	"ephemeral" boolean DEFAULT false NOT NULL,
	"signal" text,
	"tool" text,
	"parameters" jsonb,
	"result" text,
	"choices" jsonb,
	"multiple" boolean,
	"asked_of_id" uuid,
	"answers_id" uuid,
	"selected" text[],
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agent_dispatches" ADD CONSTRAINT "agent_dispatches_agent_id_workers_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."workers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_dispatches" ADD CONSTRAINT "agent_dispatches_run_id_agent_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."agent_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_endpoints" ADD CONSTRAINT "agent_endpoints_agent_id_workers_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."workers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_runs" ADD CONSTRAINT "agent_runs_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_runs" ADD CONSTRAINT "agent_runs_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_runs" ADD CONSTRAINT "agent_runs_agent_id_workers_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."workers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_runs" ADD CONSTRAINT "agent_runs_opened_by_id_workers_id_fk" FOREIGN KEY ("opened_by_id") REFERENCES "public"."workers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_activities" ADD CONSTRAINT "run_activities_run_id_agent_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."agent_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_activities" ADD CONSTRAINT "run_activities_author_id_workers_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."workers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_activities" ADD CONSTRAINT "run_activities_asked_of_id_workers_id_fk" FOREIGN KEY ("asked_of_id") REFERENCES "public"."workers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agent_dispatches_agent_idx" ON "agent_dispatches" USING btree ("agent_id","id");--> statement-breakpoint
CREATE INDEX "agent_dispatches_due_idx" ON "agent_dispatches" USING btree ("next_attempt_at") WHERE "agent_dispatches"."status" in ('pending', 'retrying');--> statement-breakpoint
CREATE INDEX "agent_runs_task_idx" ON "agent_runs" USING btree ("task_id","created_at");--> statement-breakpoint
CREATE INDEX "agent_runs_agent_idx" ON "agent_runs" USING btree ("agent_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "agent_runs_open_uq" ON "agent_runs" USING btree ("task_id","agent_id") WHERE "agent_runs"."state" not in ('completed', 'stopped');--> statement-breakpoint
CREATE INDEX "agent_runs_stale_idx" ON "agent_runs" USING btree ("last_activity_at") WHERE "agent_runs"."state" in ('pending', 'active');--> statement-breakpoint
CREATE UNIQUE INDEX "run_activities_run_seq_uq" ON "run_activities" USING btree ("run_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "run_activities_answer_uq" ON "run_activities" USING btree ("answers_id") WHERE "run_activities"."answers_id" is not null;--> statement-breakpoint
-- Activities are append-only: no statement may change one (they go only with their run, by cascade).
CREATE OR REPLACE FUNCTION taskflow_refuse_activity_update() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'run activities are append-only' USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER run_activities_append_only BEFORE UPDATE ON run_activities
  FOR EACH ROW EXECUTE FUNCTION taskflow_refuse_activity_update();
