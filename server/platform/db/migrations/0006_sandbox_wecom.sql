CREATE TABLE "sandbox_wecom_contact_ways" (
	"corp_id" text NOT NULL,
	"config_id" text NOT NULL,
	"settings" jsonb NOT NULL,
	"qr_code" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sandbox_wecom_contact_ways_corp_id_config_id_pk" PRIMARY KEY("corp_id","config_id")
);
--> statement-breakpoint
CREATE TABLE "sandbox_wecom_corp_tags" (
	"corp_id" text NOT NULL,
	"id" text NOT NULL,
	"group_id" text,
	"name" text NOT NULL,
	"order" bigint NOT NULL,
	"created_at_s" bigint NOT NULL,
	CONSTRAINT "sandbox_wecom_corp_tags_corp_id_id_pk" PRIMARY KEY("corp_id","id")
);
--> statement-breakpoint
CREATE TABLE "sandbox_wecom_corps" (
	"corp_id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"creator_userid" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_wecom_customers" (
	"corp_id" text NOT NULL,
	"external_userid" text NOT NULL,
	"name" text NOT NULL,
	"type" integer NOT NULL,
	"gender" integer NOT NULL,
	"unionid" text,
	"corp_name" text,
	"position" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sandbox_wecom_customers_corp_id_external_userid_pk" PRIMARY KEY("corp_id","external_userid")
);
--> statement-breakpoint
CREATE TABLE "sandbox_wecom_departments" (
	"corp_id" text NOT NULL,
	"id" integer NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"parent_id" integer NOT NULL,
	"order" bigint NOT NULL,
	"leaders" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "sandbox_wecom_departments_corp_id_id_pk" PRIMARY KEY("corp_id","id")
);
--> statement-breakpoint
CREATE TABLE "sandbox_wecom_follows" (
	"corp_id" text NOT NULL,
	"external_userid" text NOT NULL,
	"userid_key" text NOT NULL,
	"remark" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_at_s" bigint NOT NULL,
	"add_way" integer NOT NULL,
	"state" text,
	"tag_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "sandbox_wecom_follows_corp_id_external_userid_userid_key_pk" PRIMARY KEY("corp_id","external_userid","userid_key")
);
--> statement-breakpoint
CREATE TABLE "sandbox_wecom_inbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"corp_id" text NOT NULL,
	"owner_kind" text NOT NULL,
	"owner_id" text NOT NULL,
	"source" text NOT NULL,
	"sender" text NOT NULL,
	"msgtype" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_wecom_jobs" (
	"job_id" text PRIMARY KEY NOT NULL,
	"corp_id" text NOT NULL,
	"type" text NOT NULL,
	"status" integer NOT NULL,
	"media_id" text NOT NULL,
	"receiver" text NOT NULL,
	"callback" jsonb,
	"total" integer DEFAULT 0 NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"result" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"errcode" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sandbox_wecom_media" (
	"media_id" text PRIMARY KEY NOT NULL,
	"corp_id" text NOT NULL,
	"type" text NOT NULL,
	"filename" text NOT NULL,
	"content_base64" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_wecom_member_departments" (
	"corp_id" text NOT NULL,
	"userid_key" text NOT NULL,
	"department_id" integer NOT NULL,
	"position" integer NOT NULL,
	"order" bigint NOT NULL,
	"is_leader" boolean NOT NULL,
	CONSTRAINT "sandbox_wecom_member_departments_corp_id_userid_key_department_id_pk" PRIMARY KEY("corp_id","userid_key","department_id")
);
--> statement-breakpoint
CREATE TABLE "sandbox_wecom_members" (
	"corp_id" text NOT NULL,
	"userid_key" text NOT NULL,
	"userid" text NOT NULL,
	"name" text NOT NULL,
	"mobile" text,
	"email" text,
	"main_department" integer NOT NULL,
	"status" integer NOT NULL,
	"profile" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sandbox_wecom_members_corp_id_userid_key_pk" PRIMARY KEY("corp_id","userid_key")
);
--> statement-breakpoint
CREATE TABLE "sandbox_wecom_receivers" (
	"corp_id" text NOT NULL,
	"receiver" text NOT NULL,
	"name" text NOT NULL,
	"secret" text NOT NULL,
	"token" text NOT NULL,
	"encoding_aes_key" text NOT NULL,
	"callback_url" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sandbox_wecom_receivers_corp_id_receiver_pk" PRIMARY KEY("corp_id","receiver")
);
--> statement-breakpoint
CREATE TABLE "sandbox_wecom_welcome_codes" (
	"code" text PRIMARY KEY NOT NULL,
	"corp_id" text NOT NULL,
	"external_userid" text NOT NULL,
	"userid" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "sandbox_wecom_contact_ways" ADD CONSTRAINT "sandbox_wecom_contact_ways_corp_id_sandbox_wecom_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."sandbox_wecom_corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_wecom_corp_tags" ADD CONSTRAINT "sandbox_wecom_corp_tags_corp_id_sandbox_wecom_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."sandbox_wecom_corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_wecom_customers" ADD CONSTRAINT "sandbox_wecom_customers_corp_id_sandbox_wecom_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."sandbox_wecom_corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_wecom_departments" ADD CONSTRAINT "sandbox_wecom_departments_corp_id_sandbox_wecom_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."sandbox_wecom_corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_wecom_inbox" ADD CONSTRAINT "sandbox_wecom_inbox_corp_id_sandbox_wecom_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."sandbox_wecom_corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_wecom_jobs" ADD CONSTRAINT "sandbox_wecom_jobs_corp_id_sandbox_wecom_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."sandbox_wecom_corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_wecom_media" ADD CONSTRAINT "sandbox_wecom_media_corp_id_sandbox_wecom_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."sandbox_wecom_corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_wecom_members" ADD CONSTRAINT "sandbox_wecom_members_corp_id_sandbox_wecom_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."sandbox_wecom_corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_wecom_receivers" ADD CONSTRAINT "sandbox_wecom_receivers_corp_id_sandbox_wecom_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."sandbox_wecom_corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_wecom_welcome_codes" ADD CONSTRAINT "sandbox_wecom_welcome_codes_corp_id_sandbox_wecom_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."sandbox_wecom_corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sandbox_wecom_corp_tags_group_idx" ON "sandbox_wecom_corp_tags" USING btree ("corp_id","group_id");--> statement-breakpoint
CREATE INDEX "sandbox_wecom_departments_parent_idx" ON "sandbox_wecom_departments" USING btree ("corp_id","parent_id");--> statement-breakpoint
CREATE INDEX "sandbox_wecom_follows_member_idx" ON "sandbox_wecom_follows" USING btree ("corp_id","userid_key","external_userid");--> statement-breakpoint
CREATE INDEX "sandbox_wecom_inbox_owner_idx" ON "sandbox_wecom_inbox" USING btree ("corp_id","owner_kind","owner_id","id");--> statement-breakpoint
CREATE INDEX "sandbox_wecom_member_departments_dept_idx" ON "sandbox_wecom_member_departments" USING btree ("corp_id","department_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sandbox_wecom_members_mobile_key" ON "sandbox_wecom_members" USING btree ("corp_id","mobile") WHERE "sandbox_wecom_members"."mobile" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "sandbox_wecom_members_email_key" ON "sandbox_wecom_members" USING btree ("corp_id","email") WHERE "sandbox_wecom_members"."email" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "sandbox_wecom_receivers_secret_key" ON "sandbox_wecom_receivers" USING btree ("secret");