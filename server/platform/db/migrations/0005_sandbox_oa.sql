CREATE TABLE "sandbox_access_tokens" (
	"token" text PRIMARY KEY NOT NULL,
	"product" text NOT NULL,
	"owner_key" text NOT NULL,
	"kind" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"valid_until" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"product" text NOT NULL,
	"owner_key" text NOT NULL,
	"target" text NOT NULL,
	"event" text NOT NULL,
	"url" text NOT NULL,
	"attempts" integer NOT NULL,
	"status" text NOT NULL,
	"latency_ms" integer NOT NULL,
	"http_status" integer,
	"error" text,
	"message" text NOT NULL,
	"answer" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_quota_limits" (
	"product" text NOT NULL,
	"owner_key" text NOT NULL,
	"path" text NOT NULL,
	"daily_limit" integer NOT NULL,
	CONSTRAINT "sandbox_quota_limits_product_owner_key_path_pk" PRIMARY KEY("product","owner_key","path")
);
--> statement-breakpoint
CREATE TABLE "sandbox_quota_usage" (
	"product" text NOT NULL,
	"owner_key" text NOT NULL,
	"path" text NOT NULL,
	"day" text NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "sandbox_quota_usage_product_owner_key_path_day_pk" PRIMARY KEY("product","owner_key","path","day")
);
--> statement-breakpoint
CREATE TABLE "sandbox_oa_accounts" (
	"app_id" text PRIMARY KEY NOT NULL,
	"app_secret" text NOT NULL,
	"original_id" text NOT NULL,
	"name" text NOT NULL,
	"account_type" text NOT NULL,
	"token" text NOT NULL,
	"encoding_aes_key" text NOT NULL,
	"encrypt_mode" text NOT NULL,
	"callback_url" text,
	"auto_reply" jsonb NOT NULL,
	"followers_total" integer DEFAULT 0 NOT NULL,
	"follower_seq" bigint DEFAULT 0 NOT NULL,
	"next_tag_id" integer DEFAULT 100 NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_oa_followers" (
	"app_id" text NOT NULL,
	"open_id" text NOT NULL,
	"subscribed" boolean NOT NULL,
	"subscribe_time" timestamp with time zone NOT NULL,
	"unsubscribe_time" timestamp with time zone,
	"subscribe_scene" text NOT NULL,
	"qr_scene" bigint DEFAULT 0 NOT NULL,
	"qr_scene_str" text DEFAULT '' NOT NULL,
	"language" text NOT NULL,
	"remark" text DEFAULT '' NOT NULL,
	"union_id" text,
	"tag_ids" integer[] DEFAULT '{}'::integer[] NOT NULL,
	"gender" smallint NOT NULL,
	"country" text NOT NULL,
	"province" text NOT NULL,
	"city" text NOT NULL,
	"message_window_at" timestamp with time zone,
	"message_window_used" integer DEFAULT 0 NOT NULL,
	"event_window_at" timestamp with time zone,
	"event_window_used" integer DEFAULT 0 NOT NULL,
	"mass_month" text,
	"mass_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "sandbox_oa_followers_app_id_open_id_pk" PRIMARY KEY("app_id","open_id")
);
--> statement-breakpoint
CREATE TABLE "sandbox_oa_inbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"app_id" text NOT NULL,
	"open_id" text NOT NULL,
	"source" text NOT NULL,
	"msg_type" text NOT NULL,
	"content" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_oa_mass_jobs" (
	"msg_id" bigserial PRIMARY KEY NOT NULL,
	"app_id" text NOT NULL,
	"client_msg_id" text,
	"msg_type" text NOT NULL,
	"target" jsonb NOT NULL,
	"status" text NOT NULL,
	"total_count" integer NOT NULL,
	"filter_count" integer NOT NULL,
	"sent_count" integer NOT NULL,
	"error_count" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_oa_media" (
	"media_id" text PRIMARY KEY NOT NULL,
	"app_id" text NOT NULL,
	"type" text NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"data" "bytea" NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_oa_menus" (
	"menu_id" bigserial PRIMARY KEY NOT NULL,
	"app_id" text NOT NULL,
	"conditional" boolean NOT NULL,
	"button" jsonb NOT NULL,
	"match_rule" jsonb,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_oa_qr_codes" (
	"ticket" text PRIMARY KEY NOT NULL,
	"app_id" text NOT NULL,
	"action_name" text NOT NULL,
	"scene_id" bigint,
	"scene_str" text,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_oa_tags" (
	"app_id" text NOT NULL,
	"id" integer NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "sandbox_oa_tags_app_id_id_pk" PRIMARY KEY("app_id","id")
);
--> statement-breakpoint
CREATE INDEX "sandbox_access_tokens_owner_idx" ON "sandbox_access_tokens" USING btree ("product","owner_key","kind");--> statement-breakpoint
CREATE INDEX "sandbox_deliveries_owner_idx" ON "sandbox_deliveries" USING btree ("product","owner_key","id");--> statement-breakpoint
CREATE INDEX "sandbox_oa_followers_tags_idx" ON "sandbox_oa_followers" USING gin ("tag_ids");--> statement-breakpoint
CREATE INDEX "sandbox_oa_inbox_follower_idx" ON "sandbox_oa_inbox" USING btree ("app_id","open_id","id");--> statement-breakpoint
CREATE INDEX "sandbox_oa_mass_jobs_client_idx" ON "sandbox_oa_mass_jobs" USING btree ("app_id","client_msg_id");--> statement-breakpoint
CREATE INDEX "sandbox_oa_menus_app_idx" ON "sandbox_oa_menus" USING btree ("app_id","menu_id");--> statement-breakpoint
CREATE INDEX "sandbox_oa_qr_codes_app_idx" ON "sandbox_oa_qr_codes" USING btree ("app_id","action_name");