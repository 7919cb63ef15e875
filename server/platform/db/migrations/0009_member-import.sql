CREATE TABLE "wecom_member_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"job_id" uuid,
	"filename" text NOT NULL,
	"content" "bytea" NOT NULL,
	"row_problems" jsonb,
	"checked_at" timestamp with time zone,
	"created_by" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "wecom_member_imports" ADD CONSTRAINT "wecom_member_imports_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "wecom_member_imports_job_idx" ON "wecom_member_imports" USING btree ("job_id");--> statement-breakpoint
CREATE INDEX "wecom_member_imports_created_idx" ON "wecom_member_imports" USING btree ("created_at");