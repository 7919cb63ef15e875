CREATE TABLE "oa_followers" (
	"account_id" uuid NOT NULL,
	"open_id" text NOT NULL,
	"subscribed" boolean NOT NULL,
	"subscribe_time" timestamp with time zone NOT NULL,
	"unsubscribe_time" timestamp with time zone,
	"subscribe_scene" text,
	"qr_scene" bigint,
	"qr_scene_str" text,
	"language" text,
	"remark" text DEFAULT '' NOT NULL,
	"tag_ids" integer[] DEFAULT '{}'::integer[] NOT NULL,
	"union_id" text,
	"group_id" integer,
	"country" text,
	"province" text,
	"city" text,
	"last_interaction_at" timestamp with time zone,
	"seen_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "oa_followers_account_id_open_id_pk" PRIMARY KEY("account_id","open_id")
);
--> statement-breakpoint
CREATE TABLE "oa_conditional_menus" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"name" text NOT NULL,
	"menu_id" text,
	"state" text NOT NULL,
	"button" jsonb NOT NULL,
	"match_rule" jsonb NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oa_menu_drafts" (
	"account_id" uuid PRIMARY KEY NOT NULL,
	"button" jsonb NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oa_menu_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"button" jsonb NOT NULL,
	"state" text NOT NULL,
	"source" text NOT NULL,
	"rolled_back_from" integer,
	"created_by" text,
	"created_at" timestamp with time zone NOT NULL,
	"applied_at" timestamp with time zone,
	"errcode" integer,
	"errmsg" text,
	CONSTRAINT "oa_menu_versions_account_version_key" UNIQUE("account_id","version")
);
--> statement-breakpoint
CREATE TABLE "oa_tag_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"tag_id" integer NOT NULL,
	"trigger" text NOT NULL,
	"match" text NOT NULL,
	"value" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oa_tags" (
	"account_id" uuid NOT NULL,
	"tag_id" integer NOT NULL,
	"name" text NOT NULL,
	"wechat_count" integer,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "oa_tags_account_id_tag_id_pk" PRIMARY KEY("account_id","tag_id")
);
--> statement-breakpoint
ALTER TABLE "oa_followers" ADD CONSTRAINT "oa_followers_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oa_conditional_menus" ADD CONSTRAINT "oa_conditional_menus_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oa_menu_drafts" ADD CONSTRAINT "oa_menu_drafts_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oa_menu_versions" ADD CONSTRAINT "oa_menu_versions_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oa_tag_rules" ADD CONSTRAINT "oa_tag_rules_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oa_tags" ADD CONSTRAINT "oa_tags_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "oa_followers_subscribe_time_idx" ON "oa_followers" USING btree ("account_id","subscribe_time" DESC NULLS LAST,"open_id");--> statement-breakpoint
CREATE INDEX "oa_followers_tag_ids_idx" ON "oa_followers" USING gin ("tag_ids");--> statement-breakpoint
CREATE INDEX "oa_followers_scene_idx" ON "oa_followers" USING btree ("account_id","subscribe_scene","subscribe_time" DESC NULLS LAST,"open_id");--> statement-breakpoint
CREATE INDEX "oa_followers_language_idx" ON "oa_followers" USING btree ("account_id","language","subscribe_time" DESC NULLS LAST,"open_id");--> statement-breakpoint
CREATE INDEX "oa_followers_remark_idx" ON "oa_followers" USING btree ("account_id","remark") WHERE "oa_followers"."remark" <> '';--> statement-breakpoint
CREATE INDEX "oa_conditional_menus_account_idx" ON "oa_conditional_menus" USING btree ("account_id","created_at");--> statement-breakpoint
CREATE INDEX "oa_menu_versions_state_idx" ON "oa_menu_versions" USING btree ("account_id","state");--> statement-breakpoint
CREATE INDEX "oa_tag_rules_account_idx" ON "oa_tag_rules" USING btree ("account_id","trigger");