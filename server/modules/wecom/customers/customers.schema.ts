import { z } from 'zod';
import { pageOf, pageQuerySchema } from '../../../../common/paging';
import { text } from '../../../../common/text';

export const accountParamsSchema = z.strictObject({ accountId: z.uuid() });
export const customerParamsSchema = z.strictObject({ accountId: z.uuid(), externalUserId: text(64, 1) });

const dateTime = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

/** The list's filters; the export takes the same ones. */
export const customerFilterSchema = z.strictObject({
  /** Customers a member follows (userid, matched ignoring case). */
  userid: text(64, 1).optional(),
  /** Customers followed by a member of this department or any department below it. */
  departmentId: z.coerce.number().int().min(1).optional(),
  /** Corp tag id on a current follow. */
  tagId: text(64, 1).optional(),
  /** The contact-me code's `state` the customer came through. */
  source: text(64, 1).optional(),
  /** First added on or after (a date means from its start, China time). */
  addedFrom: dateTime.optional(),
  /** First added on or before (a date means to its end, China time). */
  addedTo: dateTime.optional(),
  /** Text anywhere in the customer's name or in a member's remark (case ignored), or an exact external userid. */
  q: text(64, 1).optional(),
  /** Customers some member still follows (default), those no member follows any more, or both. */
  status: z.enum(['active', 'lost', 'all']).default('active'),
});
export type CustomerFilterQuery = z.infer<typeof customerFilterSchema>;

export const listCustomersQuerySchema = z.strictObject({
  ...pageQuerySchema.shape,
  ...customerFilterSchema.shape,
  /**
   * Counting costs time at a million customers: the total comes only when
   * asked, and is counted up to 10,000 (`totalCapped` says there are more).
   */
  withTotal: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export type ListCustomersQuery = z.infer<typeof listCustomersQuerySchema>;

export const consentSchema = z.object({
  givenAt: z.string(),
  source: z.string(),
  note: z.string(),
});

export const followerSchema = z.object({
  userid: z.string(),
  /** The member's name from the directory, when Qiao knows the member. */
  memberName: z.string().nullable(),
  remark: z.string(),
  description: z.string(),
  remarkCorpName: z.string(),
  /** Masked (138****1234) unless the caller holds wecom.customers.phones. */
  remarkMobiles: z.array(z.string()),
  tagIds: z.array(z.string()),
  addWay: z.number().int(),
  /** The contact-me code's `state`: the channel of this follow. */
  state: z.string().nullable(),
  operUserid: z.string().nullable(),
  addedAt: z.string(),
  status: z.enum(['active', 'deleted_by_member', 'deleted_by_customer', 'ended']),
  endedAt: z.string().nullable(),
});
export type Follower = z.infer<typeof followerSchema>;

export const customerSchema = z.object({
  externalUserId: z.string(),
  name: z.string(),
  type: z.enum(['wechat', 'wecom']),
  avatar: z.string().nullable(),
  gender: z.enum(['unknown', 'male', 'female']),
  corpName: z.string().nullable(),
  corpFullName: z.string().nullable(),
  position: z.string().nullable(),
  unionid: z.string().nullable(),
  status: z.enum(['active', 'lost']),
  firstAddedAt: z.string(),
  lostAt: z.string().nullable(),
  /** Corp tag ids on current follows. */
  tagIds: z.array(z.string()),
  /** How the customer first came: the first follow's code state, add_way and member. */
  source: z.object({ state: z.string().nullable(), addWay: z.number().int(), userid: z.string() }).nullable(),
  /** The first current follower's remark. */
  remark: z.string(),
  followers: z.array(followerSchema),
  consent: consentSchema.nullable(),
  /** When the retention purge removes this lost customer. */
  purgeAfter: z.string().nullable(),
  syncedAt: z.string().nullable(),
  updatedAt: z.string(),
});
export type Customer = z.infer<typeof customerSchema>;
export const customerPageSchema = pageOf(customerSchema).extend({
  /** With `withTotal=true`: true when more than 10,000 customers match; `total` is then 10,000 ("10,000+"). */
  totalCapped: z.boolean().optional(),
});

export const timelineEntrySchema = z.object({
  id: z.string(),
  kind: z.string(),
  userid: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  occurredAt: z.string(),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

export const customerDetailSchema = customerSchema.extend({
  /** Newest first, the latest 200. */
  timeline: z.array(timelineEntrySchema),
});
export type CustomerDetail = z.infer<typeof customerDetailSchema>;

export const updateCustomerBodySchema = z
  .strictObject({
    /** Whose remark to change; needed when several members the caller reaches follow the customer. */
    userid: text(64, 1).optional(),
    remark: text(200).optional(),
    description: text(1000).optional(),
    /** Replaces the member's remark phone numbers; [] clears them. */
    remarkMobiles: z.array(text(64)).max(50).optional(),
    /** Where and when the customer agreed to be contacted and kept on file; null clears it. */
    consent: z
      .strictObject({
        givenAt: z.union([z.iso.datetime({ offset: true }), z.iso.date()]),
        source: text(100, 1),
        note: text(500).default(''),
      })
      .nullable()
      .optional(),
  })
  .refine((b) => b.remark !== undefined || b.description !== undefined || b.remarkMobiles !== undefined || b.consent !== undefined, {
    message: 'give remark, description, remarkMobiles or consent',
  });
export type UpdateCustomerBody = z.infer<typeof updateCustomerBodySchema>;

export const startedJobSchema = z.object({ id: z.string(), kind: z.string(), state: z.string() });
export type StartedJob = z.infer<typeof startedJobSchema>;

const overviewDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');

/** The overview's window: whole days in China time, both ends included; default the last 30 days. */
export const customersOverviewQuerySchema = z.strictObject({
  from: overviewDay.optional(),
  to: overviewDay.optional(),
  /** Only members placed in this department or any department below it. */
  departmentId: z.coerce.number().int().min(1).optional(),
});
export type CustomersOverviewQuery = z.infer<typeof customersOverviewQuerySchema>;

/** Counts of follows (a customer two members added counts for each member). */
const overviewCounts = {
  /** Follows that began in the window. */
  added: z.number().int(),
  /** Follows that ended in the window, however they ended. */
  lost: z.number().int(),
  /** …of which the member deleted the customer (del_external_contact). */
  lostByMember: z.number().int(),
  /** …of which the customer deleted the member (del_follow_user). */
  lostByCustomer: z.number().int(),
};

export const memberCustomersOverviewSchema = z.object({
  userid: z.string(),
  /** From the directory; null when Qiao does not know the member. */
  name: z.string().nullable(),
  departments: z.array(z.object({ id: z.number().int(), name: z.string().nullable() })),
  ...overviewCounts,
  /** Customers the member follows now, whenever added. */
  active: z.number().int(),
});
export const customersOverviewSchema = z.object({
  from: z.string(),
  to: z.string(),
  members: z.array(memberCustomersOverviewSchema),
  /** Every day of the window, China time, oldest first. */
  days: z.array(z.object({ day: z.string(), added: z.number().int(), lost: z.number().int() })),
  totals: z.object({ ...overviewCounts, net: z.number().int(), active: z.number().int() }),
});
export type CustomersOverview = z.infer<typeof customersOverviewSchema>;
export type MemberCustomersOverview = z.infer<typeof memberCustomersOverviewSchema>;
