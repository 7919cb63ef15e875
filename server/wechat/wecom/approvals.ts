import { z } from 'zod';
import { defineEndpoint } from '../client/endpoint';
import { wecomApiLimits } from './limits';

/**
 * Application status (`sp_status`, facts §5.7): 1 in progress, 2 approved,
 * 3 rejected, 4 withdrawn, 6 withdrawn after approval, 7 deleted, 10 paid.
 */
export const approvalStatuses = { inProgress: 1, approved: 2, rejected: 3, withdrawn: 4, withdrawnAfterApproval: 6, deleted: 7, paid: 10 } as const;

/** What changed, in `sys_approval_change`'s `StatuChangeEvent` (facts §5.7). */
export const approvalChanges = { submitted: 1, approved: 2, rejected: 3, forwarded: 4, reminded: 5, withdrawn: 6, withdrawnAfterApproval: 8, commented: 10 } as const;

/** One node's approvers: `attr` 1 any one of them (或签), 2 all of them (会签). */
const approverNode = z.looseObject({ attr: z.number().int(), userid: z.array(z.string()) });

/** A control's value: `text`, `new_number`, `new_money`, `date`, `selector`, `members`, … as the template's control type asks. */
const controlValue = z.looseObject({ control: z.string(), id: z.string(), value: z.record(z.string(), z.unknown()) });

export const wecomApprovalApply = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/oa/applyevent',
  auth: 'access_token',
  request: z.looseObject({
    creator_userid: z.string(),
    template_id: z.string(),
    use_template_approver: z.number().int(),
    choose_department: z.number().int().optional(),
    approver: z.array(approverNode).optional(),
    notifyer: z.array(z.string()).optional(),
    notify_type: z.number().int().optional(),
    apply_data: z.looseObject({ contents: z.array(controlValue) }),
    summary_list: z.array(z.looseObject({ summary_info: z.array(z.looseObject({ text: z.string(), lang: z.string() })) })).optional(),
  }),
  response: z.looseObject({ sp_no: z.string() }),
  titleZh: '提交审批申请',
  titleEn: 'Submit an approval application',
  docPath: '/document/path/91853',
  rateLimits: wecomApiLimits,
});

/** Application numbers in a time range (unix seconds, at most 31 days), 100 a page; filters on template_id, creator, department, sp_status. */
export const wecomApprovalInfo = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/oa/getapprovalinfo',
  auth: 'access_token',
  request: z.looseObject({
    starttime: z.union([z.string(), z.number()]),
    endtime: z.union([z.string(), z.number()]),
    new_cursor: z.string().optional(),
    size: z.number().int().optional(),
    filters: z.array(z.looseObject({ key: z.string(), value: z.string() })).optional(),
  }),
  response: z.looseObject({ sp_no_list: z.array(z.string()), new_next_cursor: z.string().optional() }),
  titleZh: '批量获取审批单号',
  titleEn: 'List approval numbers',
  docPath: '/document/path/91816',
  rateLimits: [...wecomApiLimits, { limit: 600, windowMs: 60_000 }],
});

const approvalDetail = z.looseObject({
  sp_no: z.string(),
  sp_name: z.string(),
  sp_status: z.number(),
  template_id: z.string(),
  apply_time: z.number(),
  applyer: z.looseObject({ userid: z.string(), partyid: z.string() }),
  sp_record: z.array(
    z.looseObject({
      sp_status: z.number(),
      approverattr: z.number(),
      details: z.array(z.looseObject({ approver: z.looseObject({ userid: z.string() }), speech: z.string(), sp_status: z.number(), sptime: z.number(), media_id: z.array(z.string()) })),
    }),
  ),
  notifyer: z.array(z.looseObject({ userid: z.string() })),
  apply_data: z.looseObject({ contents: z.array(z.looseObject({ control: z.string(), id: z.string() })) }),
  comments: z.array(z.looseObject({ commentUserInfo: z.looseObject({ userid: z.string() }), commenttime: z.number(), commentcontent: z.string(), commentid: z.string() })),
});

export type ApprovalDetail = z.output<typeof approvalDetail>;

export const wecomApprovalDetail = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/oa/getapprovaldetail',
  auth: 'access_token',
  request: z.looseObject({ sp_no: z.union([z.string(), z.number()]) }),
  response: z.looseObject({ info: approvalDetail }),
  titleZh: '获取审批申请详情',
  titleEn: 'Get an approval application',
  docPath: '/document/path/91983',
  rateLimits: wecomApiLimits,
});
