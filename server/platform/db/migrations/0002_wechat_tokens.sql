CREATE TABLE "wechat_access_tokens" (
	"account_key" text PRIMARY KEY NOT NULL,
	"token_sealed" text NOT NULL,
	"fetched_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wechat_api_calls" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"product" text NOT NULL,
	"account_key" text NOT NULL,
	"account_id" text,
	"path" text NOT NULL,
	"title" text NOT NULL,
	"outcome" text NOT NULL,
	"errcode" integer,
	"duration_ms" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "wechat_api_calls_at_idx" ON "wechat_api_calls" USING btree ("at");--> statement-breakpoint
CREATE INDEX "wechat_api_calls_account_idx" ON "wechat_api_calls" USING btree ("account_id","at");