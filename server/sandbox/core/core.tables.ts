import { bigserial, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Access tokens the sandbox issued, for any product. `ownerKey` is whatever
 * the product keys credentials by (an AppID; a CorpID plus secret identity).
 * `validUntil` is earlier than `expiresAt` once a newer token superseded it.
 */
export const sandboxAccessTokens = pgTable(
  'sandbox_access_tokens',
  {
    token: text('token').primaryKey(),
    product: text('product').notNull(),
    ownerKey: text('owner_key').notNull(),
    kind: text('kind').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    validUntil: timestamp('valid_until', { withTimezone: true }).notNull(),
  },
  (t) => [index('sandbox_access_tokens_owner_idx').on(t.product, t.ownerKey, t.kind)],
);

/** Calls counted per owner, API path and UTC day, for WeChat's daily quotas (45009). */
export const sandboxQuotaUsage = pgTable(
  'sandbox_quota_usage',
  {
    product: text('product').notNull(),
    ownerKey: text('owner_key').notNull(),
    path: text('path').notNull(),
    day: text('day').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.product, t.ownerKey, t.path, t.day] })],
);

/** Daily quotas set through the control API, replacing WeChat's defaults for one owner and path. */
export const sandboxQuotaLimits = pgTable(
  'sandbox_quota_limits',
  {
    product: text('product').notNull(),
    ownerKey: text('owner_key').notNull(),
    path: text('path').notNull(),
    dailyLimit: integer('daily_limit').notNull(),
  },
  (t) => [primaryKey({ columns: [t.product, t.ownerKey, t.path] })],
);

/** The live feed: every callback the sandbox pushed, how it went and what came back. */
export const sandboxDeliveries = pgTable(
  'sandbox_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    product: text('product').notNull(),
    ownerKey: text('owner_key').notNull(),
    target: text('target').notNull(),
    event: text('event').notNull(),
    url: text('url').notNull(),
    attempts: integer('attempts').notNull(),
    status: text('status').notNull(),
    latencyMs: integer('latency_ms').notNull(),
    httpStatus: integer('http_status'),
    error: text('error'),
    message: text('message').notNull(),
    answer: text('answer'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sandbox_deliveries_owner_idx').on(t.product, t.ownerKey, t.id)],
);
