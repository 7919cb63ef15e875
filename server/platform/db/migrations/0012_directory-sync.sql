CREATE TABLE "wecom_sync_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"phase" integer NOT NULL,
	"seq" integer NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"label" text NOT NULL,
	"action" text NOT NULL,
	"fields" jsonb NOT NULL,
	"unavailable_fields" jsonb NOT NULL,
	"local" jsonb,
	"remote" jsonb,
	"base" jsonb,
	"department_ids" jsonb NOT NULL,
	"selected" boolean DEFAULT false NOT NULL,
	"resolution" text,
	"state" text DEFAULT 'pending' NOT NULL,
	"errcode" integer,
	"error" text,
	"applied_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "wecom_sync_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"trigger" text NOT NULL,
	"state" text NOT NULL,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"hidden_fields" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"scope_roots" jsonb,
	"compare_job_id" text,
	"apply_job_id" text,
	"created_by" text,
	"created_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "wecom_sync_items" ADD CONSTRAINT "wecom_sync_items_run_id_wecom_sync_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."wecom_sync_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_sync_runs" ADD CONSTRAINT "wecom_sync_runs_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "wecom_sync_items_order_idx" ON "wecom_sync_items" USING btree ("run_id","phase","seq");--> statement-breakpoint
CREATE INDEX "wecom_sync_items_filter_idx" ON "wecom_sync_items" USING btree ("run_id","kind","action");--> statement-breakpoint
CREATE INDEX "wecom_sync_runs_account_idx" ON "wecom_sync_runs" USING btree ("account_id","created_at","id");