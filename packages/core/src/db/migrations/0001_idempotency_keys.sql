CREATE TABLE "idempotency_keys" (
	"tenant_id" text NOT NULL,
	"worker_id" uuid NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status" integer,
	"response_body" jsonb,
	"response_headers" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_tenant_id_worker_id_key_pk" PRIMARY KEY("tenant_id","worker_id","key")
);
