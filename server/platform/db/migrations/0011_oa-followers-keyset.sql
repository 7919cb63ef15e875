DROP INDEX "oa_followers_subscribe_time_idx";--> statement-breakpoint
DROP INDEX "oa_followers_scene_idx";--> statement-breakpoint
DROP INDEX "oa_followers_language_idx";--> statement-breakpoint
CREATE INDEX "oa_followers_subscribe_time_idx" ON "oa_followers" USING btree ("account_id","subscribe_time" DESC NULLS LAST,"open_id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "oa_followers_scene_idx" ON "oa_followers" USING btree ("account_id","subscribe_scene","subscribe_time" DESC NULLS LAST,"open_id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "oa_followers_language_idx" ON "oa_followers" USING btree ("account_id","language","subscribe_time" DESC NULLS LAST,"open_id" DESC NULLS LAST);