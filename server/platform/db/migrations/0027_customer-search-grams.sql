-- The search grams of a text: each character and each pair of adjacent characters, lower-cased, once each.
-- A GIN index over them finds the rows that contain a searched text anywhere (one character: its own gram;
-- longer: all its pairs), the caller then checks the whole text with LIKE. Chinese names are two to four
-- characters and are searched by given name as often as by surname, which a prefix index cannot answer.
CREATE FUNCTION qiao_search_grams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT g), '{}') FROM (
    SELECT substr(l, i, 1) AS g FROM (SELECT lower(t) AS l) AS s, generate_series(1, length(l)) AS i
    UNION ALL
    SELECT substr(l, i, 2) FROM (SELECT lower(t) AS l) AS s, generate_series(1, length(l) - 1) AS i
  ) AS grams
$$;
--> statement-breakpoint
-- The grams a search needs all of: its pairs of characters, or itself when it is one character.
CREATE FUNCTION qiao_query_grams(q text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT substr(l, i, 2)), '{}') FROM (SELECT lower(q) AS l) AS s, generate_series(1, greatest(length(l) - 1, 1)) AS i
  WHERE l <> ''
$$;
--> statement-breakpoint
DROP INDEX "wecom_customer_follows_remark_idx";--> statement-breakpoint
DROP INDEX "wecom_customers_name_idx";--> statement-breakpoint
ALTER TABLE "wecom_customers" ADD COLUMN "remarks" text DEFAULT '' NOT NULL;--> statement-breakpoint
-- The remarks as refreshCustomer writes them from now on.
UPDATE "wecom_customers" c SET "remarks" = r.remarks
FROM (
  SELECT account_id, external_userid, string_agg(remark, chr(10) ORDER BY added_at, userid) AS remarks
  FROM "wecom_customer_follows" WHERE remark <> '' GROUP BY account_id, external_userid
) AS r
WHERE c.account_id = r.account_id AND c.external_userid = r.external_userid;--> statement-breakpoint
ALTER TABLE "wecom_customers" ADD COLUMN "search_grams" text[] GENERATED ALWAYS AS (qiao_search_grams(name || chr(10) || remarks)) STORED;--> statement-breakpoint
CREATE INDEX "wecom_customers_search_idx" ON "wecom_customers" USING gin ("search_grams");
