CREATE TABLE "wecom_customer_keys" (
	"account_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"first_added_at" timestamp with time zone NOT NULL,
	"external_userid" text NOT NULL,
	CONSTRAINT "wecom_customer_keys_account_id_kind_key_first_added_at_external_userid_pk" PRIMARY KEY("account_id","kind","key","first_added_at","external_userid")
);
--> statement-breakpoint
-- wecom_customer_keys repeats wecom_customers.states and .tag_ids, one row per value, in the list's order.
-- Statement-level triggers with transition tables keep it in step: a bulk write of 50,000 customers
-- writes their keys in one statement, and an update that changes none of the three columns (a
-- member's departments, a profile) costs one join of the transition tables.
CREATE FUNCTION wecom_customer_keys_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO wecom_customer_keys (account_id, kind, key, first_added_at, external_userid)
  SELECT n.account_id, 'source', s.v, n.first_added_at, n.external_userid FROM new_rows n CROSS JOIN LATERAL unnest(n.states) AS s(v)
  UNION ALL
  SELECT n.account_id, 'tag', t.v, n.first_added_at, n.external_userid FROM new_rows n CROSS JOIN LATERAL unnest(n.tag_ids) AS t(v)
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION wecom_customer_keys_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM wecom_customer_keys k
  USING (
    SELECT o.account_id, 'source' AS kind, s.v AS key, o.first_added_at, o.external_userid
    FROM old_rows o JOIN new_rows n ON n.account_id = o.account_id AND n.external_userid = o.external_userid
      CROSS JOIN LATERAL unnest(o.states) AS s(v)
    WHERE (o.states, o.first_added_at) IS DISTINCT FROM (n.states, n.first_added_at)
    UNION ALL
    SELECT o.account_id, 'tag', t.v, o.first_added_at, o.external_userid
    FROM old_rows o JOIN new_rows n ON n.account_id = o.account_id AND n.external_userid = o.external_userid
      CROSS JOIN LATERAL unnest(o.tag_ids) AS t(v)
    WHERE (o.tag_ids, o.first_added_at) IS DISTINCT FROM (n.tag_ids, n.first_added_at)
  ) AS d
  WHERE k.account_id = d.account_id AND k.kind = d.kind AND k.key = d.key AND k.first_added_at = d.first_added_at AND k.external_userid = d.external_userid;
  INSERT INTO wecom_customer_keys (account_id, kind, key, first_added_at, external_userid)
  SELECT n.account_id, 'source', s.v, n.first_added_at, n.external_userid
  FROM new_rows n JOIN old_rows o ON o.account_id = n.account_id AND o.external_userid = n.external_userid
    CROSS JOIN LATERAL unnest(n.states) AS s(v)
  WHERE (o.states, o.first_added_at) IS DISTINCT FROM (n.states, n.first_added_at)
  UNION ALL
  SELECT n.account_id, 'tag', t.v, n.first_added_at, n.external_userid
  FROM new_rows n JOIN old_rows o ON o.account_id = n.account_id AND o.external_userid = n.external_userid
    CROSS JOIN LATERAL unnest(n.tag_ids) AS t(v)
  WHERE (o.tag_ids, o.first_added_at) IS DISTINCT FROM (n.tag_ids, n.first_added_at)
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION wecom_customer_keys_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM wecom_customer_keys k
  USING (
    SELECT o.account_id, 'source' AS kind, s.v AS key, o.first_added_at, o.external_userid FROM old_rows o CROSS JOIN LATERAL unnest(o.states) AS s(v)
    UNION ALL
    SELECT o.account_id, 'tag', t.v, o.first_added_at, o.external_userid FROM old_rows o CROSS JOIN LATERAL unnest(o.tag_ids) AS t(v)
  ) AS d
  WHERE k.account_id = d.account_id AND k.kind = d.kind AND k.key = d.key AND k.first_added_at = d.first_added_at AND k.external_userid = d.external_userid;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER wecom_customer_keys_insert AFTER INSERT ON wecom_customers REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION wecom_customer_keys_insert();
--> statement-breakpoint
CREATE TRIGGER wecom_customer_keys_update AFTER UPDATE ON wecom_customers REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION wecom_customer_keys_update();
--> statement-breakpoint
CREATE TRIGGER wecom_customer_keys_delete AFTER DELETE ON wecom_customers REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION wecom_customer_keys_delete();
--> statement-breakpoint
INSERT INTO wecom_customer_keys (account_id, kind, key, first_added_at, external_userid)
SELECT c.account_id, 'source', s.v, c.first_added_at, c.external_userid FROM wecom_customers c CROSS JOIN LATERAL unnest(c.states) AS s(v)
UNION ALL
SELECT c.account_id, 'tag', t.v, c.first_added_at, c.external_userid FROM wecom_customers c CROSS JOIN LATERAL unnest(c.tag_ids) AS t(v)
ON CONFLICT DO NOTHING;
