import { boolean, index, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

/** A connected Official Account or WeCom corp; its secrets live in `account_receivers`. */
export const accounts = pgTable(
  'accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    type: text('type', { enum: ['official_account', 'wecom'] }).notNull(),
    name: text('name').notNull(),
    /** AppID or CorpID. */
    wechatId: text('wechat_id').notNull(),
    apiBaseUrl: text('api_base_url').notNull(),
    encryptMode: text('encrypt_mode', { enum: ['plain', 'compatible', 'safe'] }).notNull(),
    sandbox: boolean('sandbox').notNull().default(false),
    lastCallbackAt: timestamp('last_callback_at', { withTimezone: true }),
    lastApiErrorAt: timestamp('last_api_error_at', { withTimezone: true }),
    lastApiError: jsonb('last_api_error').$type<{ errcode: number; errmsg: string; endpoint: string } | null>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [unique('accounts_type_wechat_id_key').on(t.type, t.wechatId), index('accounts_created_idx').on(t.createdAt, t.id)],
);

/**
 * Who receives callbacks and holds a secret: `official-account` for an
 * Official Account; an AgentId, `contacts` or `customer-contact` for WeCom.
 * Every value is sealed with the secrets key. The previous EncodingAESKey is
 * kept after a change so messages WeChat encrypted with it still open.
 */
export const accountReceivers = pgTable(
  'account_receivers',
  {
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    receiver: text('receiver').notNull(),
    secretSealed: text('secret_sealed').notNull(),
    tokenSealed: text('token_sealed').notNull(),
    aesKeySealed: text('aes_key_sealed').notNull(),
    previousAesKeySealed: text('previous_aes_key_sealed'),
    aesKeyChangedAt: timestamp('aes_key_changed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.receiver] })],
);
