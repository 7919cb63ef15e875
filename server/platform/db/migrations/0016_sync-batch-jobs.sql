CREATE TABLE "wecom_sync_batch_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"job_id" text NOT NULL,
	"item_ids" jsonb NOT NULL,
	"context" jsonb,
	"state" text NOT NULL,
	"completed_via" text,
	"claimed_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "wecom_sync_batch_jobs" ADD CONSTRAINT "wecom_sync_batch_jobs_run_id_wecom_sync_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."wecom_sync_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_sync_batch_jobs" ADD CONSTRAINT "wecom_sync_batch_jobs_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "wecom_sync_batch_jobs_job_key" ON "wecom_sync_batch_jobs" USING btree ("account_id","job_id");--> statement-breakpoint
CREATE INDEX "wecom_sync_batch_jobs_run_idx" ON "wecom_sync_batch_jobs" USING btree ("run_id","state");