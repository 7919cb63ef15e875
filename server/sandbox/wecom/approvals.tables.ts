import { bigint, index, jsonb, pgTable, primaryKey, smallint, text, timestamp } from 'drizzle-orm/pg-core';
import { sandboxWecomCorps } from './wecom.tables';

/** An approval template (审批模板) as set up in the WeCom admin console: its controls and default approvers. */
export const sandboxWecomApprovalTemplates = pgTable(
  'sandbox_wecom_approval_templates',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => sandboxWecomCorps.corpId, { onDelete: 'cascade' }),
    templateId: text('template_id').notNull(),
    name: text('name').notNull(),
    /** `[{id, control, title, required}]` */
    controls: jsonb('controls').$type<ApprovalControl[]>().notNull(),
    /** `[{attr, userid[]}]`, used when an application asks for the template's approvers. */
    approvers: jsonb('approvers').$type<ApprovalNode[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.templateId] })],
);

/** An application (审批申请) and its progress; `spRecord` keeps WeCom's `sp_record` shape. */
export const sandboxWecomApprovals = pgTable(
  'sandbox_wecom_approvals',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => sandboxWecomCorps.corpId, { onDelete: 'cascade' }),
    spNo: text('sp_no').notNull(),
    templateId: text('template_id').notNull(),
    spName: text('sp_name').notNull(),
    applicant: text('applicant').notNull(),
    applicantParty: text('applicant_party').notNull(),
    applyTimeS: bigint('apply_time_s', { mode: 'number' }).notNull(),
    spStatus: smallint('sp_status').notNull(),
    spRecord: jsonb('sp_record').$type<ApprovalRecordNode[]>().notNull(),
    notifyer: jsonb('notifyer').$type<string[]>().notNull(),
    applyData: jsonb('apply_data').notNull(),
    comments: jsonb('comments').$type<ApprovalComment[]>().notNull(),
    /** The app whose secret submitted it: where its changes are pushed. */
    receiver: text('receiver').notNull(),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.spNo] }), index('sandbox_wecom_approvals_time_idx').on(t.corpId, t.applyTimeS, t.spNo)],
);

export interface ApprovalControl {
  id: string;
  control: string;
  title: string;
  required: boolean;
}

export interface ApprovalNode {
  attr: 1 | 2;
  userid: string[];
}

export interface ApprovalRecordNode {
  sp_status: number;
  approverattr: number;
  details: { approver: { userid: string }; speech: string; sp_status: number; sptime: number; media_id: string[] }[];
}

export interface ApprovalComment {
  commentUserInfo: { userid: string };
  commenttime: number;
  commentcontent: string;
  commentid: string;
  media_id: string[];
}
