CREATE TABLE "sandbox_wecom_approval_templates" (
	"corp_id" text NOT NULL,
	"template_id" text NOT NULL,
	"name" text NOT NULL,
	"controls" jsonb NOT NULL,
	"approvers" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sandbox_wecom_approval_templates_corp_id_template_id_pk" PRIMARY KEY("corp_id","template_id")
);
--> statement-breakpoint
CREATE TABLE "sandbox_wecom_approvals" (
	"corp_id" text NOT NULL,
	"sp_no" text NOT NULL,
	"template_id" text NOT NULL,
	"sp_name" text NOT NULL,
	"applicant" text NOT NULL,
	"applicant_party" text NOT NULL,
	"apply_time_s" bigint NOT NULL,
	"sp_status" smallint NOT NULL,
	"sp_record" jsonb NOT NULL,
	"notifyer" jsonb NOT NULL,
	"apply_data" jsonb NOT NULL,
	"comments" jsonb NOT NULL,
	"receiver" text NOT NULL,
	CONSTRAINT "sandbox_wecom_approvals_corp_id_sp_no_pk" PRIMARY KEY("corp_id","sp_no")
);
--> statement-breakpoint
ALTER TABLE "sandbox_wecom_approval_templates" ADD CONSTRAINT "sandbox_wecom_approval_templates_corp_id_sandbox_wecom_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."sandbox_wecom_corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_wecom_approvals" ADD CONSTRAINT "sandbox_wecom_approvals_corp_id_sandbox_wecom_corps_corp_id_fk" FOREIGN KEY ("corp_id") REFERENCES "public"."sandbox_wecom_corps"("corp_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sandbox_wecom_approvals_time_idx" ON "sandbox_wecom_approvals" USING btree ("corp_id","apply_time_s","sp_no");