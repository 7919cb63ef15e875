CREATE TABLE "wecom_departments" (
	"account_id" uuid NOT NULL,
	"id" integer NOT NULL,
	"parent_id" integer NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"order" bigint DEFAULT 0 NOT NULL,
	"leader_userids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"synced_snapshot" jsonb,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "wecom_departments_account_id_id_pk" PRIMARY KEY("account_id","id")
);
--> statement-breakpoint
CREATE TABLE "wecom_directory_settings" (
	"account_id" uuid PRIMARY KEY NOT NULL,
	"member_visibility" text DEFAULT 'all' NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "wecom_member_departments" (
	"account_id" uuid NOT NULL,
	"userid" text NOT NULL,
	"department_id" integer NOT NULL,
	"order" bigint DEFAULT 0 NOT NULL,
	"is_leader" boolean DEFAULT false NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "wecom_member_departments_account_id_userid_department_id_pk" PRIMARY KEY("account_id","userid","department_id")
);
--> statement-breakpoint
CREATE TABLE "wecom_members" (
	"account_id" uuid NOT NULL,
	"userid" text NOT NULL,
	"name" text NOT NULL,
	"alias" text,
	"mobile" text,
	"email" text,
	"position" text,
	"gender" text DEFAULT 'unknown' NOT NULL,
	"telephone" text,
	"status" text NOT NULL,
	"main_department_id" integer NOT NULL,
	"synced_snapshot" jsonb,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "wecom_members_account_id_userid_pk" PRIMARY KEY("account_id","userid")
);
--> statement-breakpoint
ALTER TABLE "wecom_departments" ADD CONSTRAINT "wecom_departments_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_directory_settings" ADD CONSTRAINT "wecom_directory_settings_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wecom_member_departments" ADD CONSTRAINT "wecom_member_departments_account_id_userid_wecom_members_account_id_userid_fk" FOREIGN KEY ("account_id","userid") REFERENCES "public"."wecom_members"("account_id","userid") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "wecom_members" ADD CONSTRAINT "wecom_members_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "wecom_departments_parent_idx" ON "wecom_departments" USING btree ("account_id","parent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "wecom_departments_sibling_name_key" ON "wecom_departments" USING btree ("account_id","parent_id","name") WHERE "wecom_departments"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "wecom_member_departments_dept_idx" ON "wecom_member_departments" USING btree ("account_id","department_id","userid");--> statement-breakpoint
CREATE UNIQUE INDEX "wecom_members_userid_lower_key" ON "wecom_members" USING btree ("account_id",lower("userid"));--> statement-breakpoint
CREATE INDEX "wecom_members_mobile_idx" ON "wecom_members" USING btree ("account_id","mobile");--> statement-breakpoint
CREATE INDEX "wecom_members_email_idx" ON "wecom_members" USING btree ("account_id",lower("email"));