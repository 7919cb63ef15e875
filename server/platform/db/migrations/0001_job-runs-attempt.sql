ALTER TABLE "job_runs" ADD COLUMN "attempt" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "job_runs_created_by_idx" ON "job_runs" USING btree ("created_by","created_at");