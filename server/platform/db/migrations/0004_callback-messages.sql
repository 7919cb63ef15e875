CREATE TABLE "callback_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"receiver" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"type" text NOT NULL,
	"msg_type" text NOT NULL,
	"event" text,
	"from_user" text NOT NULL,
	"content" text,
	"fields" jsonb NOT NULL,
	"state" text NOT NULL,
	"reply_xml" text,
	"reply_summary" jsonb,
	"handled_late" boolean DEFAULT false NOT NULL,
	"late_delivery" jsonb,
	"failure" text,
	"processing_ms" integer,
	"create_time" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "callback_messages_dedupe_key" UNIQUE("account_id","dedupe_key")
);
--> statement-breakpoint
ALTER TABLE "callback_messages" ADD CONSTRAINT "callback_messages_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "callback_messages_account_received_idx" ON "callback_messages" USING btree ("account_id","received_at","id");