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
DROP INDEX "wecom_customers_name_idx";--> statement-breakpoint
DROP INDEX "wecom_customer_follows_remark_idx";--> statement-breakpoint
ALTER TABLE "wecom_customer_follows" ADD COLUMN "remark_grams" text[] GENERATED ALWAYS AS (qiao_search_grams(remark)) STORED;--> statement-breakpoint
ALTER TABLE "wecom_customers" ADD COLUMN "search_grams" text[] GENERATED ALWAYS AS (qiao_search_grams(name)) STORED;--> statement-breakpoint
CREATE INDEX "wecom_customers_search_idx" ON "wecom_customers" USING gin ("search_grams");--> statement-breakpoint
CREATE INDEX "wecom_customer_follows_remark_idx" ON "wecom_customer_follows" USING gin ("remark_grams") WHERE "wecom_customer_follows"."remark" <> '';