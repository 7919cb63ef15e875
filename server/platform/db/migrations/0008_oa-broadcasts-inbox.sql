CREATE TABLE "oa_auto_reply_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"position" integer NOT NULL,
	"enabled" boolean NOT NULL,
	"keywords" jsonb NOT NULL,
	"click_keys" jsonb NOT NULL,
	"replies" jsonb NOT NULL,
	"reply_mode" text NOT NULL,
	"source" text NOT NULL,
	"platform_key" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oa_auto_reply_settings" (
	"account_id" uuid PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"imported_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "oa_broadcast_recipients" (
	"broadcast_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"open_id" text NOT NULL,
	"status" text NOT NULL,
	"month" text NOT NULL,
	CONSTRAINT "oa_broadcast_recipients_broadcast_id_open_id_pk" PRIMARY KEY("broadcast_id","open_id")
);
--> statement-breakpoint
CREATE TABLE "oa_broadcasts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"state" text NOT NULL,
	"content" jsonb NOT NULL,
	"audience" jsonb NOT NULL,
	"recipient_count" integer DEFAULT 0 NOT NULL,
	"over_quota_count" integer DEFAULT 0 NOT NULL,
	"scheduled_at" timestamp with time zone,
	"job_id" uuid,
	"client_msg_id" text NOT NULL,
	"msg_id" text,
	"msg_data_id" text,
	"wechat_status" text,
	"total_count" integer,
	"filter_count" integer,
	"sent_count" integer,
	"error_count" integer,
	"failure" jsonb,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "oa_broadcasts_account_msg_id" UNIQUE("account_id","msg_id")
);
--> statement-breakpoint
CREATE TABLE "oa_conversation_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"msg_type" text NOT NULL,
	"text" text,
	"payload" jsonb NOT NULL,
	"wechat_msg_id" text,
	"operator_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "oa_conversation_messages_msg_id" UNIQUE("account_id","wechat_msg_id")
);
--> statement-breakpoint
CREATE TABLE "oa_conversation_responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"operator_id" uuid,
	"waiting_since" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone NOT NULL,
	"response_ms" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oa_conversations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"open_id" text NOT NULL,
	"state" text NOT NULL,
	"assignee_id" uuid,
	"unread_count" integer DEFAULT 0 NOT NULL,
	"waiting_since" timestamp with time zone,
	"last_incoming_at" timestamp with time zone,
	"last_message_at" timestamp with time zone NOT NULL,
	"last_message_preview" text NOT NULL,
	"last_direction" text NOT NULL,
	"first_response_ms" integer,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "oa_conversations_account_open_id" UNIQUE("account_id","open_id")
);
--> statement-breakpoint
CREATE TABLE "oa_quick_replies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"group_name" text NOT NULL,
	"title" text NOT NULL,
	"content" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oa_profiles" (
	"account_id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"introduction" text DEFAULT '' NOT NULL,
	"account_type" text NOT NULL,
	"avatar_data" text,
	"avatar_content_type" text,
	"avatar_bytes" integer,
	"avatar_updated_at" timestamp with time zone,
	"cert_status" text DEFAULT 'none' NOT NULL,
	"cert_submitted_at" timestamp with time zone,
	"cert_approved_at" timestamp with time zone,
	"cert_expires_at" timestamp with time zone,
	"cert_fee_yuan" integer DEFAULT 300 NOT NULL,
	"cert_note" text DEFAULT '' NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "oa_auto_reply_rules" ADD CONSTRAINT "oa_auto_reply_rules_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oa_auto_reply_settings" ADD CONSTRAINT "oa_auto_reply_settings_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oa_broadcast_recipients" ADD CONSTRAINT "oa_broadcast_recipients_broadcast_id_oa_broadcasts_id_fk" FOREIGN KEY ("broadcast_id") REFERENCES "public"."oa_broadcasts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oa_broadcasts" ADD CONSTRAINT "oa_broadcasts_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oa_conversation_messages" ADD CONSTRAINT "oa_conversation_messages_conversation_id_oa_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."oa_conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oa_conversation_responses" ADD CONSTRAINT "oa_conversation_responses_conversation_id_oa_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."oa_conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oa_conversations" ADD CONSTRAINT "oa_conversations_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oa_quick_replies" ADD CONSTRAINT "oa_quick_replies_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oa_profiles" ADD CONSTRAINT "oa_profiles_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "oa_auto_reply_rules_order_idx" ON "oa_auto_reply_rules" USING btree ("account_id","kind","position");--> statement-breakpoint
CREATE INDEX "oa_broadcast_recipients_quota_idx" ON "oa_broadcast_recipients" USING btree ("account_id","month","open_id");--> statement-breakpoint
CREATE INDEX "oa_broadcasts_account_created_idx" ON "oa_broadcasts" USING btree ("account_id","created_at","id");--> statement-breakpoint
CREATE INDEX "oa_broadcasts_due_idx" ON "oa_broadcasts" USING btree ("state","scheduled_at");--> statement-breakpoint
CREATE INDEX "oa_conversation_messages_conv_idx" ON "oa_conversation_messages" USING btree ("conversation_id","created_at","id");--> statement-breakpoint
CREATE INDEX "oa_conversation_responses_account_idx" ON "oa_conversation_responses" USING btree ("account_id","answered_at");--> statement-breakpoint
CREATE INDEX "oa_conversations_account_last_idx" ON "oa_conversations" USING btree ("account_id","last_message_at","id");--> statement-breakpoint
CREATE INDEX "oa_quick_replies_account_idx" ON "oa_quick_replies" USING btree ("account_id","group_name","title");