CREATE TABLE "sandbox_oa_drafts" (
	"media_id" text PRIMARY KEY NOT NULL,
	"app_id" text NOT NULL,
	"articles" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_oa_publications" (
	"publish_id" bigserial PRIMARY KEY NOT NULL,
	"app_id" text NOT NULL,
	"draft_media_id" text NOT NULL,
	"article_id" text,
	"articles" jsonb NOT NULL,
	"status" smallint NOT NULL,
	"fail_idx" integer[] DEFAULT '{}'::integer[] NOT NULL,
	"deleted_idx" integer[] DEFAULT '{}'::integer[] NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_oa_review_verdicts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"app_id" text NOT NULL,
	"status" smallint NOT NULL,
	"fail_idx" integer[] DEFAULT '{}'::integer[] NOT NULL
);
--> statement-breakpoint
CREATE INDEX "sandbox_oa_drafts_app_idx" ON "sandbox_oa_drafts" USING btree ("app_id","updated_at");--> statement-breakpoint
CREATE INDEX "sandbox_oa_publications_app_idx" ON "sandbox_oa_publications" USING btree ("app_id","publish_id");--> statement-breakpoint
CREATE INDEX "sandbox_oa_publications_article_idx" ON "sandbox_oa_publications" USING btree ("article_id");--> statement-breakpoint
CREATE INDEX "sandbox_oa_review_verdicts_app_idx" ON "sandbox_oa_review_verdicts" USING btree ("app_id","id");