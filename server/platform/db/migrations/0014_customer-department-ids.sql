ALTER TABLE "wecom_customers" ADD COLUMN "department_ids" integer[] DEFAULT '{}'::integer[] NOT NULL;--> statement-breakpoint
-- Customers stored before this column: their followers' departments, as refreshCustomer writes them.
UPDATE "wecom_customers" c SET "department_ids" = d.ids
FROM (
  SELECT f."account_id", f."external_userid", array_agg(DISTINCT md."department_id" ORDER BY md."department_id") AS ids
  FROM "wecom_customer_follows" f
  JOIN "wecom_members" m ON m."account_id" = f."account_id" AND lower(m."userid") = lower(f."userid")
  JOIN "wecom_member_departments" md ON md."account_id" = m."account_id" AND md."userid" = m."userid"
  GROUP BY f."account_id", f."external_userid"
) d
WHERE c."account_id" = d."account_id" AND c."external_userid" = d."external_userid";--> statement-breakpoint
CREATE INDEX "wecom_customers_departments_idx" ON "wecom_customers" USING gin ("department_ids");
