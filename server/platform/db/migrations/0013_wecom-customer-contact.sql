CREATE TABLE "wecom_assignment_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"name" text NOT NULL,
	"priority" integer NOT NULL,
	"spec" jsonb NOT NULL,
	"config_id" text,
	"applied_userids" jsonb,
	"applied_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wecom_assignment_seen_adds" (
	"account_id" uuid NOT NULL,
	"userid" text NOT NULL,
	"external_userid" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "wecom_assignment_seen_adds_account_id_userid_external_userid_pk" PRIMARY KEY("account_id","userid","external_userid")
);
--> statement-breakpoint
CREATE TABLE "wecom_contact_way_adds" (
	"account_id" uuid NOT NULL,
	"config_id" text NOT NULL,
	"external_userid" text NOT NULL,
	"userid" text NOT NULL,
	"added_at_s" integer NOT NULL,
	"day" text NOT NULL,
	"tag_result" text,
	CONSTRAINT "wecom_contact_way_adds_account_id_config_id_external_userid_userid_added_at_s_pk" PRIMARY KEY("account_id","config_id","external_userid","userid","added_at_s")
);
--> statement-breakpoint
CREATE TABLE "wecom_contact_ways" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"config_id" text,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"scene" text NOT NULL,
	"style" integer,
	"userids" jsonb NOT NULL,
	"state" text NOT NULL,
	"skip_verify" boolean NOT NULL,
	"tag_ids" jsonb NOT NULL,
	"welcome_message" jsonb,
	"is_temp" boolean NOT NULL,
	"expires_in_s" integer,
	"chat_expires_in_s" integer,
	"expires_at" timestamp with time zone,
	"qr_code_url" text,
	"sync_state" text NOT NULL,
	"pending" jsonb,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wecom_welcome_media" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"content_base64" text NOT NULL,
	"bytes" integer NOT NULL,
	"media_id" text,
	"media_expires_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wecom_welcome_sends" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"welcome_code" text,
	"external_userid" text NOT NULL,
	"userid" text NOT NULL,
	"config_id" text,
	"state" text,
	"status" text NOT NULL,
	"reason" text NOT NULL,
	"errcode" integer,
	"errmsg" text,
	"latency_ms" integer,
	"event_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wecom_welcome_settings" (
	"account_id" uuid PRIMARY KEY NOT NULL,
	"message" jsonb,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wecom_customer_tag_rule_runs" (
	"account_id" uuid NOT NULL,
	"rule_id" uuid NOT NULL,
	"userid" text NOT NULL,
	"external_user_id" text NOT NULL,
	"status" text NOT NULL,
	"errcode" integer,
	"tag_ids" jsonb NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "wecom_customer_tag_rule_runs_account_id_rule_id_userid_external_user_id_pk" PRIMARY KEY("account_id","rule_id","userid","external_user_id")
);
--> statement-breakpoint
CREATE TABLE "wecom_customer_tag_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"name" text NOT NULL,
	"trigger" text NOT NULL,
	"match" text NOT NULL,
	"value" text NOT NULL,
	"tag_ids" jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wecom_customer_tag_syncs" (
	"account_id" uuid PRIMARY KEY NOT NULL,
	"last_pulled_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wecom_customer_tags" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"group_id" uuid,
	"wecom_id" text,
	"name" text NOT NULL,
	"order" bigint DEFAULT 0 NOT NULL,
	"base" jsonb,
	"pending" text,
	"conflict" boolean DEFAULT false NOT NULL,
	"remote" jsonb,
	"remote_deleted" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wecom_customer_transfer_items" (
	"transfer_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"handover_userid" text NOT NULL,
	"takeover_userid" text NOT NULL,
	"external_userid" text NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"errcode" integer,
	"started_at" timestamp with time zone,
	"takeover_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "wecom_customer_transfer_items_transfer_id_external_userid_pk" PRIMARY KEY("transfer_id","external_userid")
);
--> statement-breakpoint
CREATE TABLE "wecom_customer_transfers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"handover_userid" text NOT NULL,
	"takeover_userid" text NOT NULL,
	"message" text,
	"job_id" text,
	"created_by" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wecom_customer_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"external_userid" text NOT NULL,
	"userid" text,
	"kind" text NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"dedupe_key" text,
	"actor_user_id" uuid,
	"occurred_at" timestamp with time zone NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "wecom_customer_events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1)
);
--> statement-breakpoint
CREATE TABLE "wecom_customer_exports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"rows" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wecom_customer_follows" (
	"account_id" uuid NOT NULL,
	"external_userid" text NOT NULL,
	"userid" text NOT NULL,
	"remark" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"remark_corp_name" text DEFAULT '' NOT NULL,
	"remark_mobiles" text[] DEFAULT '{}'::text[] NOT NULL,
	"tag_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"add_way" integer DEFAULT 0 NOT NULL,
	"state" text,
	"oper_userid" text,
	"added_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"ended_at" timestamp with time zone,
	"seen_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "wecom_customer_follows_account_id_external_userid_userid_pk" PRIMARY KEY("account_id","external_userid","userid")
);
--> statement-breakpoint
CREATE TABLE "wecom_customers" (
	"account_id" uuid NOT NULL,
	"external_userid" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"type" integer DEFAULT 1 NOT NULL,
	"avatar" text,
	"gender" integer DEFAULT 0 NOT NULL,
	"corp_name" text,
	"corp_full_name" text,
	"position" text,
	"unionid" text,
	"first_added_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"lost_at" timestamp with time zone,
	"userid_keys" text[] DEFAULT '{}'::text[] NOT NULL,
	"tag_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"states" text[] DEFAULT '{}'::text[] NOT NULL,
	"consent" jsonb,
	"synced_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "wecom_customers_account_id_external_userid_pk" PRIMARY KEY("account_id","external_userid")
);
--> statement-breakpoint
CREATE TABLE "wecom_follow_up_attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"follow_up_id" uuid NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"content" "bytea" NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wecom_follow_up_revisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"follow_up_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"note" text NOT NULL,
	"stage" text NOT NULL,
	"next_contact_at" timestamp with time zone,
	"written_by" uuid,
	"written_by_name" text,
	"written_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wecom_follow_ups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"external_user_id" text NOT NULL,
	"userid" text NOT NULL,
	"customer_name" text NOT NULL,
	"note" text NOT NULL,
	"stage" text NOT NULL,
	"next_contact_at" timestamp with time zone,
	"reminder_state" text DEFAULT 'none' NOT NULL,
	"reminder_sent_at" timestamp with time zone,
	"reminder_error" text,
	"created_by" uuid,
	"created_by_name" text,
	"updated_by" uuid,
	"updated_by_name" text,
	"revision" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wecom_group_chat_joins" (
	"account_id" uuid NOT NULL,
	"chat_id" text NOT NULL,
	"userid" text NOT NULL,
	"type" integer NOT NULL,
	"joined_at" timestamp with time zone NOT NULL,
	"join_scene" integer NOT NULL,
	"state" text,
	CONSTRAINT "wecom_group_chat_joins_account_id_chat_id_userid_joined_at_pk" PRIMARY KEY("account_id","chat_id","userid","joined_at")
);
--> statement-breakpoint
CREATE TABLE "wecom_group_chat_members" (
	"account_id" uuid NOT NULL,
	"chat_id" text NOT NULL,
	"userid" text NOT NULL,
	"type" integer NOT NULL,
	"name" text,
	"joined_at" timestamp with time zone NOT NULL,
	"join_scene" integer NOT NULL,
	"invitor" text,
	"state" text,
	CONSTRAINT "wecom_group_chat_members_account_id_chat_id_userid_pk" PRIMARY KEY("account_id","chat_id","userid")
);
--> statement-breakpoint
CREATE TABLE "wecom_group_chats" (
	"account_id" uuid NOT NULL,
	"chat_id" text NOT NULL,
	"name" text NOT NULL,
	"owner" text NOT NULL,
	"notice" text DEFAULT '' NOT NULL,
	"status" integer DEFAULT 0 NOT NULL,
	"member_count" integer DEFAULT 0 NOT NULL,
	"customer_count" integer DEFAULT 0 NOT NULL,
	"admins" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"member_version" text,
	"created_at" timestamp with time zone NOT NULL,
	"dismissed_at" timestamp with time zone,
	"synced_at" timestamp with time zone NOT NULL,
	CONSTRAINT "wecom_group_chats_account_id_chat_id_pk" PRIMARY KEY("account_id","chat_id")
);
--> statement-breakpoint
CREATE TABLE "wecom_group_join_ways" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"config_id" text NOT NULL,
	"remark" text NOT NULL,
	"scene" integer NOT NULL,
	"chat_ids" jsonb NOT NULL,
	"auto_create_room" boolean NOT NULL,
	"room_base_name" text DEFAULT '' NOT NULL,
	"room_base_id" integer DEFAULT 0 NOT NULL,
	"state" text DEFAULT '' NOT NULL,
	"qr_code" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wecom_quick_replies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"title" text NOT NULL,
	"type" text NOT NULL,
	"body" jsonb NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wecom_quick_reply_groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"name" text NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"department_id" integer,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_wecom_group_chat_members" (
	"corp_id" text NOT NULL,
	"chat_id" text NOT NULL,
	"userid" text NOT NULL,
	"type" integer NOT NULL,
	"name" text NOT NULL,
	"join_time_s" bigint NOT NULL,
	"join_scene" integer NOT NULL,
	"invitor" text,
	"state" text,
	CONSTRAINT "sandbox_wecom_group_chat_members_corp_id_chat_id_userid_pk" PRIMARY KEY("corp_id","chat_id","userid")
);
--> statement-breakpoint
CREATE TABLE "sandbox_wecom_group_chats" (
	"corp_id" text NOT NULL,
	"chat_id" text NOT NULL,
	"name" text NOT NULL,
	"owner" text NOT NULL,
	"notice" text DEFAULT '' NOT NULL,
	"status" integer DEFAULT 0 NOT NULL,
	"admins" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"member_version" integer DEFAULT 1 NOT NULL,
	"create_time_s" bigint NOT NULL,
	CONSTRAINT "sandbox_wecom_group_chats_corp_id_chat_id_pk" PRIMARY KEY("corp_id","chat_id")
);
--> statement-breakpoint
CREATE TABLE "sandbox_wecom_join_ways" (
	"corp_id" text NOT NULL,
	"config_id" text NOT NULL,
	"scene" integer NOT NULL,
	"remark" text DEFAULT '' NOT NULL,
	"auto_create_room" integer DEFAULT 1 NOT NULL,
	"room_base_name" text DEFAULT '' NOT NULL,
	"room_base_id" integer DEFAULT 0 NOT NULL,
	"chat_ids" jsonb NOT NULL,
	"state" text DEFAULT '' NOT NULL,
	"qr_code" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sandbox_wecom_join_ways_corp_id_config_id_pk" PRIMARY KEY("corp_id","config_id")
);
--> statement-breakpoint
CREATE TABLE "sandbox_wecom_transfers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"corp_id" text NOT NULL,
	"kind" text NOT NULL,
	"handover_key" text NOT NULL,
	"handover_userid" text NOT NULL,
	"takeover_key" text NOT NULL,
	"takeover_userid" text NOT NULL,
	"external_userid" text NOT NULL,
	"status" integer NOT NULL,
	"message" text,
	"started_at" timestamp with time zone NOT NULL,
	"takeover_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sandbox_wecom_unassigned" (
	"corp_id" text NOT NULL,
	"handover_key" text NOT NULL,
	"handover_userid" text NOT NULL,
	"external_userid" text NOT NULL,
	"dimission_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sandbox_wecom_unassigned_corp_id_handover_key_external_userid_pk" PRIMARY KEY("corp_id","handover_key","external_userid")
);
--> statement-breakpoint
ALTER TABLE "sandbox_wecom_follows" ADD COLUMN "remark_mobiles" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "wecom_assignment_rules" ADD CONSTRAINT "wecom_assignment_rules_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_assignment_seen_adds" ADD CONSTRAINT "wecom_assignment_seen_adds_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_contact_way_adds" ADD CONSTRAINT "wecom_contact_way_adds_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_contact_ways" ADD CONSTRAINT "wecom_contact_ways_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_welcome_media" ADD CONSTRAINT "wecom_welcome_media_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_welcome_sends" ADD CONSTRAINT "wecom_welcome_sends_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_welcome_settings" ADD CONSTRAINT "wecom_welcome_settings_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_customer_tag_rule_runs" ADD CONSTRAINT "wecom_customer_tag_rule_runs_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_customer_tag_rules" ADD CONSTRAINT "wecom_customer_tag_rules_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_customer_tag_syncs" ADD CONSTRAINT "wecom_customer_tag_syncs_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_customer_tags" ADD CONSTRAINT "wecom_customer_tags_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_customer_transfer_items" ADD CONSTRAINT "wecom_customer_transfer_items_transfer_id_wecom_customer_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "public"."wecom_customer_transfers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_customer_transfers" ADD CONSTRAINT "wecom_customer_transfers_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_customer_events" ADD CONSTRAINT "wecom_customer_events_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_customer_exports" ADD CONSTRAINT "wecom_customer_exports_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_customers" ADD CONSTRAINT "wecom_customers_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_follow_up_attachments" ADD CONSTRAINT "wecom_follow_up_attachments_follow_up_id_wecom_follow_ups_id_fk" FOREIGN KEY ("follow_up_id") REFERENCES "public"."wecom_follow_ups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_follow_up_revisions" ADD CONSTRAINT "wecom_follow_up_revisions_follow_up_id_wecom_follow_ups_id_fk" FOREIGN KEY ("follow_up_id") REFERENCES "public"."wecom_follow_ups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_follow_ups" ADD CONSTRAINT "wecom_follow_ups_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_group_chat_joins" ADD CONSTRAINT "wecom_group_chat_joins_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_group_chat_members" ADD CONSTRAINT "wecom_group_chat_members_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_group_chats" ADD CONSTRAINT "wecom_group_chats_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_group_join_ways" ADD CONSTRAINT "wecom_group_join_ways_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_quick_replies" ADD CONSTRAINT "wecom_quick_replies_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_quick_replies" ADD CONSTRAINT "wecom_quick_replies_group_id_wecom_quick_reply_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."wecom_quick_reply_groups"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_quick_reply_groups" ADD CONSTRAINT "wecom_quick_reply_groups_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_wecom_group_chats" ADD CONSTRAINT "sandbox_wecom_group_chats_corp_id_sandbox_wecom_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."sandbox_wecom_corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_wecom_join_ways" ADD CONSTRAINT "sandbox_wecom_join_ways_corp_id_sandbox_wecom_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."sandbox_wecom_corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_wecom_transfers" ADD CONSTRAINT "sandbox_wecom_transfers_corp_id_sandbox_wecom_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."sandbox_wecom_corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_wecom_unassigned" ADD CONSTRAINT "sandbox_wecom_unassigned_corp_id_sandbox_wecom_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."sandbox_wecom_corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "wecom_assignment_rules_account_idx" ON "wecom_assignment_rules" USING btree ("account_id","priority");--> statement-breakpoint
CREATE INDEX "wecom_assignment_seen_adds_day_idx" ON "wecom_assignment_seen_adds" USING btree ("account_id","at");--> statement-breakpoint
CREATE INDEX "wecom_contact_way_adds_day_idx" ON "wecom_contact_way_adds" USING btree ("account_id","config_id","day");--> statement-breakpoint
CREATE UNIQUE INDEX "wecom_contact_ways_config_key" ON "wecom_contact_ways" USING btree ("account_id","config_id");--> statement-breakpoint
CREATE UNIQUE INDEX "wecom_contact_ways_state_key" ON "wecom_contact_ways" USING btree ("account_id","state");--> statement-breakpoint
CREATE INDEX "wecom_contact_ways_created_idx" ON "wecom_contact_ways" USING btree ("account_id","created_at");--> statement-breakpoint
CREATE INDEX "wecom_welcome_media_expiry_idx" ON "wecom_welcome_media" USING btree ("media_expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "wecom_welcome_sends_code_key" ON "wecom_welcome_sends" USING btree ("account_id","welcome_code") WHERE "wecom_welcome_sends"."welcome_code" is not null;--> statement-breakpoint
CREATE INDEX "wecom_welcome_sends_customer_idx" ON "wecom_welcome_sends" USING btree ("account_id","external_userid","created_at");--> statement-breakpoint
CREATE INDEX "wecom_welcome_sends_created_idx" ON "wecom_welcome_sends" USING btree ("account_id","created_at");--> statement-breakpoint
CREATE INDEX "wecom_customer_tag_rules_account_idx" ON "wecom_customer_tag_rules" USING btree ("account_id","trigger");--> statement-breakpoint
CREATE UNIQUE INDEX "wecom_customer_tags_wecom_id_key" ON "wecom_customer_tags" USING btree ("account_id","wecom_id");--> statement-breakpoint
CREATE INDEX "wecom_customer_tags_group_idx" ON "wecom_customer_tags" USING btree ("account_id","group_id");--> statement-breakpoint
CREATE INDEX "wecom_customer_transfer_items_customer_idx" ON "wecom_customer_transfer_items" USING btree ("account_id","external_userid");--> statement-breakpoint
CREATE INDEX "wecom_customer_transfer_items_pending_idx" ON "wecom_customer_transfer_items" USING btree ("account_id","status","kind","handover_userid","takeover_userid");--> statement-breakpoint
CREATE INDEX "wecom_customer_transfers_account_idx" ON "wecom_customer_transfers" USING btree ("account_id","created_at");--> statement-breakpoint
CREATE INDEX "wecom_customer_events_customer_idx" ON "wecom_customer_events" USING btree ("account_id","external_userid","occurred_at","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "wecom_customer_events_dedupe_key" ON "wecom_customer_events" USING btree ("account_id","external_userid","dedupe_key") WHERE "wecom_customer_events"."dedupe_key" is not null;--> statement-breakpoint
CREATE INDEX "wecom_customer_exports_user_idx" ON "wecom_customer_exports" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "wecom_customer_follows_member_idx" ON "wecom_customer_follows" USING btree ("account_id",lower("userid"),"added_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "wecom_customer_follows_remark_idx" ON "wecom_customer_follows" USING btree ("account_id",lower("remark") text_pattern_ops) WHERE "wecom_customer_follows"."remark" <> '';--> statement-breakpoint
CREATE INDEX "wecom_customer_follows_ended_idx" ON "wecom_customer_follows" USING btree ("ended_at") WHERE "wecom_customer_follows"."status" <> 'active';--> statement-breakpoint
CREATE INDEX "wecom_customers_added_idx" ON "wecom_customers" USING btree ("account_id","status","first_added_at" DESC NULLS LAST,"external_userid" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "wecom_customers_userids_idx" ON "wecom_customers" USING gin ("userid_keys");--> statement-breakpoint
CREATE INDEX "wecom_customers_tags_idx" ON "wecom_customers" USING gin ("tag_ids");--> statement-breakpoint
CREATE INDEX "wecom_customers_states_idx" ON "wecom_customers" USING gin ("states");--> statement-breakpoint
CREATE INDEX "wecom_customers_name_idx" ON "wecom_customers" USING btree ("account_id",lower("name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "wecom_customers_lost_idx" ON "wecom_customers" USING btree ("lost_at") WHERE "wecom_customers"."status" = 'lost';--> statement-breakpoint
CREATE INDEX "wecom_follow_up_attachments_record_idx" ON "wecom_follow_up_attachments" USING btree ("follow_up_id");--> statement-breakpoint
CREATE INDEX "wecom_follow_up_revisions_record_idx" ON "wecom_follow_up_revisions" USING btree ("follow_up_id","revision");--> statement-breakpoint
CREATE INDEX "wecom_follow_ups_customer_idx" ON "wecom_follow_ups" USING btree ("account_id","external_user_id","created_at");--> statement-breakpoint
CREATE INDEX "wecom_follow_ups_member_idx" ON "wecom_follow_ups" USING btree ("account_id","userid","created_at");--> statement-breakpoint
CREATE INDEX "wecom_follow_ups_created_idx" ON "wecom_follow_ups" USING btree ("account_id","created_at","id");--> statement-breakpoint
CREATE INDEX "wecom_follow_ups_due_idx" ON "wecom_follow_ups" USING btree ("next_contact_at") WHERE "wecom_follow_ups"."reminder_state" = 'pending';--> statement-breakpoint
CREATE INDEX "wecom_group_chat_joins_day_idx" ON "wecom_group_chat_joins" USING btree ("account_id","joined_at");--> statement-breakpoint
CREATE INDEX "wecom_group_chats_owner_idx" ON "wecom_group_chats" USING btree ("account_id","owner");--> statement-breakpoint
CREATE UNIQUE INDEX "wecom_group_join_ways_config_key" ON "wecom_group_join_ways" USING btree ("account_id","config_id");--> statement-breakpoint
CREATE INDEX "wecom_quick_replies_group_idx" ON "wecom_quick_replies" USING btree ("account_id","group_id","sort_order");--> statement-breakpoint
CREATE UNIQUE INDEX "wecom_quick_reply_groups_name_key" ON "wecom_quick_reply_groups" USING btree ("account_id","name");--> statement-breakpoint
CREATE INDEX "sandbox_wecom_group_chats_owner_idx" ON "sandbox_wecom_group_chats" USING btree ("corp_id","owner");--> statement-breakpoint
CREATE INDEX "sandbox_wecom_transfers_customer_idx" ON "sandbox_wecom_transfers" USING btree ("corp_id","external_userid");--> statement-breakpoint
CREATE INDEX "sandbox_wecom_transfers_pair_idx" ON "sandbox_wecom_transfers" USING btree ("corp_id","kind","handover_key","takeover_key","id");--> statement-breakpoint
CREATE INDEX "sandbox_wecom_transfers_due_idx" ON "sandbox_wecom_transfers" USING btree ("corp_id","status","takeover_at");