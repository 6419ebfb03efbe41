CREATE TABLE "subject_revocation" (
	"subject_id" text PRIMARY KEY NOT NULL,
	"revoked_before" timestamp with time zone NOT NULL,
	"reason" text NOT NULL
);
