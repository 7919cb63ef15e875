CREATE TABLE "account_receivers" (
	"account_id" uuid NOT NULL,
	"receiver" text NOT NULL,
	"secret_sealed" text NOT NULL,
	"token_sealed" text NOT NULL,
	"aes_key_sealed" text NOT NULL,
	"previous_aes_key_sealed" text,
	"aes_key_changed_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "account_receivers_account_id_receiver_pk" PRIMARY KEY("account_id","receiver")
);
--> statement-breakpoint
CREATE TABLE "accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"type" text NOT NULL,
	"name" text NOT NULL,
	"wechat_id" text NOT NULL,
	"api_base_url" text NOT NULL,
	"encrypt_mode" text NOT NULL,
	"sandbox" boolean DEFAULT false NOT NULL,
	"last_callback_at" timestamp with time zone,
	"last_api_error_at" timestamp with time zone,
	"last_api_error" jsonb,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "accounts_type_wechat_id_key" UNIQUE("type","wechat_id")
);
--> statement-breakpoint
ALTER TABLE "account_receivers" ADD CONSTRAINT "account_receivers_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "accounts_created_idx" ON "accounts" USING btree ("created_at","id");