import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { text } from '../../../common/text';
import { AppError } from '../../../common/errors';
import type { Clock } from '../../platform/clock';
import type { App } from '../../platform/http/create-server';
import { approvalChanges, approvalStatuses, wecomApprovalApply, wecomApprovalDetail, wecomApprovalInfo } from '../../wechat/wecom';
import type { SandboxContext } from '../core/context';
import { quotaDay } from '../core/quotas';
import type { ApprovalComment, ApprovalControl, ApprovalNode, ApprovalRecordNode } from './approvals.tables';
import type { ApprovalFilter, ApprovalRow, ApprovalsRepository } from './approvals.repository';
import { deliverySummary, type Pushes } from './pushes';
import { useridKey } from './rules';
import { callerOf, requireAccess, type WeComCaller } from './scope';
import type { WeComRepository } from './wecom.repository';
import { weComError } from './wecom-errors';
import { pushTarget } from './world';

/** WeCom's approval limits (facts §5.7). */
export const APPROVAL_LIMITS = { maxRangeS: 31 * 86_400, maxPage: 100 } as const;
/** WeCom's code for bad approval parameters (facts §5.7). */
export const APPROVAL_BAD_PARAMS = 301025;

/** Node-level statuses: 1 waiting, 2 agreed, 3 rejected (facts §5.7). */
const NODE = { waiting: 1, agreed: 2, rejected: 3 } as const;

const filterKeys = ['template_id', 'creator', 'department', 'sp_status'] as const;

function encodeCursor(value: { t: number; sp: string }): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeCursor(cursor: string | undefined): { t: number; sp: string } | null {
  if (!cursor) return null;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { t?: unknown; sp?: unknown };
    if (typeof value.t === 'number' && typeof value.sp === 'string') return { t: value.t, sp: value.sp };
  } catch {
    // answered below
  }
  throw weComError(APPROVAL_BAD_PARAMS, 'new_cursor');
}

const seconds = (at: Date) => Math.floor(at.getTime() / 1000);

/**
 * Approvals (审批) as WeCom runs them: an app submits an application against a
 * template; approvers act node by node from their WeCom client (the control
 * API plays them); each change is pushed to the submitting app as
 * `sys_approval_change` with the application's SpStatus and what changed.
 */
export function createApprovals(deps: { repository: WeComRepository; approvals: ApprovalsRepository; clock: Clock; pushes: Pushes }) {
  const { repository, approvals } = deps;

  async function requireMember(corpId: string, userid: string, field: string) {
    const member = await repository.findMember(corpId, useridKey(userid));
    if (!member) throw weComError(40003, field);
    return member;
  }

  function detailOf(row: ApprovalRow) {
    return {
      sp_no: row.spNo,
      sp_name: row.spName,
      sp_status: row.spStatus,
      template_id: row.templateId,
      apply_time: row.applyTimeS,
      applyer: { userid: row.applicant, partyid: row.applicantParty },
      sp_record: row.spRecord,
      notifyer: row.notifyer.map((userid) => ({ userid })),
      apply_data: row.applyData as { contents: { control: string; id: string }[] },
      comments: row.comments,
    };
  }

  /** Pushes the change to the app that submitted the application. */
  async function push(row: ApprovalRow, change: number) {
    const receiver = await repository.findReceiver(row.corpId, row.receiver);
    if (!receiver) return null;
    const result = await deps.pushes.push(pushTarget(receiver), {
      actor: 'sys',
      label: 'event:sys_approval_change',
      agentId: row.receiver,
      fields: {
        FromUserName: 'sys',
        MsgType: 'event',
        Event: 'sys_approval_change',
        AgentID: Number(row.receiver),
        ApprovalInfo: {
          SpNo: row.spNo,
          SpName: row.spName,
          SpStatus: row.spStatus,
          TemplateId: row.templateId,
          ApplyTime: row.applyTimeS,
          Applyer: { UserId: row.applicant, Party: row.applicantParty },
          SpRecord: row.spRecord.map((node) => ({
            SpStatus: node.sp_status,
            ApproverAttr: node.approverattr,
            Details: node.details.map((d) => ({ Approver: { UserId: d.approver.userid }, Speech: d.speech, SpStatus: d.sp_status, SpTime: d.sptime })),
          })),
          Notifyer: row.notifyer.map((userid) => ({ UserId: userid })),
          StatuChangeEvent: change,
        },
      },
    });
    return deliverySummary(result);
  }

  return {
    async createTemplate(corpId: string, input: { name: string; controls: ApprovalControl[]; approvers: ApprovalNode[] }) {
      for (const node of input.approvers) {
        for (const userid of node.userid) {
          if (!(await repository.findMember(corpId, useridKey(userid)))) throw new AppError('SANDBOX_WECOM_MEMBER_NOT_FOUND', { corpId, userid });
        }
      }
      const templateId = randomBytes(30).toString('base64url').replace(/[-_]/g, 'A').slice(0, 40);
      await approvals.insertTemplate({ corpId, templateId, name: input.name, controls: input.controls, approvers: input.approvers, createdAt: deps.clock.now() });
      return { templateId };
    },

    /** First boot: the two templates every WeCom corp starts with in its approval app, approved by the corp's creator. */
    async seedTemplates(corpId: string) {
      const corp = await repository.findCorp(corpId);
      if (!corp?.creatorUserid) return;
      const approvers: ApprovalNode[] = [{ attr: 1, userid: [corp.creatorUserid] }];
      const rows: { name: string; controls: ApprovalControl[] }[] = [
        {
          name: '请假',
          controls: [
            { id: 'vacation-type', control: 'Selector', title: '请假类型', required: true },
            { id: 'vacation-start', control: 'Date', title: '开始时间', required: true },
            { id: 'vacation-end', control: 'Date', title: '结束时间', required: true },
            { id: 'vacation-reason', control: 'Textarea', title: '请假事由', required: false },
          ],
        },
        {
          name: '报销',
          controls: [
            { id: 'expense-amount', control: 'Money', title: '报销金额', required: true },
            { id: 'expense-reason', control: 'Textarea', title: '报销事由', required: true },
            { id: 'expense-receipts', control: 'File', title: '票据', required: false },
          ],
        },
      ];
      for (const row of rows) await approvals.insertTemplate({ corpId, templateId: randomBytes(30).toString('base64url').replace(/[-_]/g, 'A').slice(0, 40), ...row, approvers, createdAt: deps.clock.now() });
    },

    async listTemplates(corpId: string) {
      return (await approvals.listTemplates(corpId)).map((t) => ({ templateId: t.templateId, name: t.name, controls: t.controls, approvers: t.approvers }));
    },

    async apply(caller: WeComCaller, body: z.output<typeof wecomApprovalApply.request>) {
      const template = await approvals.findTemplate(caller.corpId, body.template_id);
      if (!template) throw weComError(APPROVAL_BAD_PARAMS, 'template_id');
      const creator = await requireMember(caller.corpId, body.creator_userid, 'creator_userid');
      if (body.use_template_approver !== 0 && body.use_template_approver !== 1) throw weComError(APPROVAL_BAD_PARAMS, 'use_template_approver');
      const nodes = body.use_template_approver === 1 ? template.approvers : (body.approver ?? []).map((n) => ({ attr: n.attr, userid: n.userid }) as ApprovalNode);
      if (nodes.length === 0) throw weComError(APPROVAL_BAD_PARAMS, 'approver');
      for (const node of nodes) {
        if ((node.attr !== 1 && node.attr !== 2) || node.userid.length === 0) throw weComError(APPROVAL_BAD_PARAMS, 'approver');
        for (const userid of node.userid) await requireMember(caller.corpId, userid, 'approver.userid');
      }
      for (const userid of body.notifyer ?? []) await requireMember(caller.corpId, userid, 'notifyer');
      const given = new Map(body.apply_data.contents.map((c) => [c.id, c]));
      for (const content of body.apply_data.contents) {
        const control = template.controls.find((c) => c.id === content.id);
        if (!control || control.control !== content.control) throw weComError(APPROVAL_BAD_PARAMS, `apply_data.contents ${content.id}`);
      }
      for (const control of template.controls) {
        const value = given.get(control.id)?.value;
        if (control.required && (!value || Object.keys(value).length === 0)) throw weComError(APPROVAL_BAD_PARAMS, `apply_data.contents ${control.id} required`);
      }
      const now = deps.clock.now();
      const day = quotaDay(now).replaceAll('-', '');
      const spNo = `${day}${String((await approvals.countNumbered(caller.corpId, day)) + 1).padStart(4, '0')}`;
      const department = body.choose_department !== undefined ? String(body.choose_department) : String(creator.mainDepartment);
      const row: ApprovalRow = {
        corpId: caller.corpId,
        spNo,
        templateId: template.templateId,
        spName: template.name,
        applicant: creator.userid,
        applicantParty: department,
        applyTimeS: seconds(now),
        spStatus: approvalStatuses.inProgress,
        spRecord: nodes.map((node) => ({
          sp_status: NODE.waiting,
          approverattr: node.attr,
          details: node.userid.map((userid) => ({ approver: { userid }, speech: '', sp_status: NODE.waiting, sptime: 0, media_id: [] })),
        })),
        notifyer: body.notifyer ?? [],
        applyData: body.apply_data,
        comments: [],
        receiver: caller.receiver,
      };
      await approvals.insertApproval(row);
      await push(row, approvalChanges.submitted);
      return { errcode: 0, errmsg: 'ok', sp_no: spNo };
    },

    async numbers(caller: WeComCaller, body: z.output<typeof wecomApprovalInfo.request>) {
      const from = Number(body.starttime);
      const to = Number(body.endtime);
      if (!Number.isInteger(from) || !Number.isInteger(to) || to <= from || to - from > APPROVAL_LIMITS.maxRangeS) throw weComError(APPROVAL_BAD_PARAMS, 'starttime/endtime');
      const size = body.size ?? APPROVAL_LIMITS.maxPage;
      if (size < 1 || size > APPROVAL_LIMITS.maxPage) throw weComError(APPROVAL_BAD_PARAMS, 'size');
      const filter: ApprovalFilter = { templateIds: [], creators: [], departments: [], statuses: [] };
      const seen = new Set<string>();
      for (const { key, value } of body.filters ?? []) {
        if (!(filterKeys as readonly string[]).includes(key)) throw weComError(APPROVAL_BAD_PARAMS, `filters ${key}`);
        // Only department filters may repeat (facts §5.7).
        if (seen.has(key) && key !== 'department') throw weComError(APPROVAL_BAD_PARAMS, `filters ${key} repeated`);
        seen.add(key);
        if (key === 'template_id') filter.templateIds.push(value);
        else if (key === 'creator') filter.creators.push(value);
        else if (key === 'department') filter.departments.push(value);
        else {
          const status = Number(value);
          if (!Object.values(approvalStatuses).includes(status as never)) throw weComError(APPROVAL_BAD_PARAMS, 'filters sp_status');
          filter.statuses.push(status);
        }
      }
      const rows = await approvals.pageNumbers(caller.corpId, { from, to }, filter, decodeCursor(body.new_cursor), size + 1);
      const page = rows.slice(0, size);
      const last = page.at(-1);
      return { errcode: 0, errmsg: 'ok', sp_no_list: page.map((r) => r.spNo), new_next_cursor: rows.length > size && last ? encodeCursor({ t: last.applyTimeS, sp: last.spNo }) : '' };
    },

    async detail(caller: WeComCaller, spNo: string) {
      const row = await approvals.findApproval(caller.corpId, spNo);
      if (!row) throw weComError(APPROVAL_BAD_PARAMS, 'sp_no');
      return { errcode: 0, errmsg: 'ok', info: detailOf(row) };
    },

    /** An approver agrees or rejects from their WeCom client. */
    async decide(corpId: string, spNo: string, input: { userid: string; decision: 'approve' | 'reject'; speech?: string | undefined }) {
      const row = await requireApproval(corpId, spNo);
      if (row.spStatus !== approvalStatuses.inProgress) throw new AppError('SANDBOX_APPROVAL_CLOSED', { spNo, status: String(row.spStatus) });
      const record = structuredClone(row.spRecord) as ApprovalRecordNode[];
      const node = record.find((n) => n.sp_status === NODE.waiting);
      const detail = node?.details.find((d) => useridKey(d.approver.userid) === useridKey(input.userid) && d.sp_status === NODE.waiting);
      if (!node || !detail) throw new AppError('SANDBOX_APPROVAL_NOT_APPROVER', { spNo, userid: input.userid });
      const now = seconds(deps.clock.now());
      Object.assign(detail, { sp_status: input.decision === 'approve' ? NODE.agreed : NODE.rejected, speech: input.speech ?? '', sptime: now });
      let spStatus: number = row.spStatus;
      if (input.decision === 'reject') {
        node.sp_status = NODE.rejected;
        spStatus = approvalStatuses.rejected;
      } else if (node.approverattr === 1 || node.details.every((d) => d.sp_status === NODE.agreed)) {
        node.sp_status = NODE.agreed;
        if (record.every((n) => n.sp_status === NODE.agreed)) spStatus = approvalStatuses.approved;
      }
      const updated = { ...row, spRecord: record, spStatus };
      await approvals.updateApproval(corpId, spNo, { spRecord: record, spStatus });
      const delivery = await push(updated, input.decision === 'approve' ? approvalChanges.approved : approvalChanges.rejected);
      return { spNo, spStatus, delivery };
    },

    /** The applicant withdraws: 4 while in progress, 6 after approval. */
    async withdraw(corpId: string, spNo: string) {
      const row = await requireApproval(corpId, spNo);
      const next =
        row.spStatus === approvalStatuses.inProgress ? approvalStatuses.withdrawn : row.spStatus === approvalStatuses.approved ? approvalStatuses.withdrawnAfterApproval : null;
      if (next === null) throw new AppError('SANDBOX_APPROVAL_CLOSED', { spNo, status: String(row.spStatus) });
      await approvals.updateApproval(corpId, spNo, { spStatus: next });
      const delivery = await push({ ...row, spStatus: next }, next === approvalStatuses.withdrawn ? approvalChanges.withdrawn : approvalChanges.withdrawnAfterApproval);
      return { spNo, spStatus: next, delivery };
    },

    async comment(corpId: string, spNo: string, input: { userid: string; content: string }) {
      const row = await requireApproval(corpId, spNo);
      const member = await repository.findMember(corpId, useridKey(input.userid));
      if (!member) throw new AppError('SANDBOX_WECOM_MEMBER_NOT_FOUND', { corpId, userid: input.userid });
      const comment: ApprovalComment = {
        commentUserInfo: { userid: member.userid },
        commenttime: seconds(deps.clock.now()),
        commentcontent: input.content,
        commentid: randomBytes(8).readBigUInt64BE().toString().slice(0, 19),
        media_id: [],
      };
      const comments = [...row.comments, comment];
      await approvals.updateApproval(corpId, spNo, { comments });
      const delivery = await push({ ...row, comments }, approvalChanges.commented);
      return { spNo, spStatus: row.spStatus, delivery };
    },
  };

  async function requireApproval(corpId: string, spNo: string) {
    const row = await approvals.findApproval(corpId, spNo);
    if (!row) throw new AppError('SANDBOX_APPROVAL_NOT_FOUND', { spNo });
    return row;
  }
}

export type Approvals = ReturnType<typeof createApprovals>;

/** The approval APIs; they take an app's secret (the approval app or a self-built one allowed to call them). */
export function weComApprovalApiRoutes(ctx: SandboxContext, service: Approvals) {
  const as = (owner: Parameters<typeof callerOf>[0]): WeComCaller => {
    const caller = callerOf(owner);
    requireAccess(caller, ['app']);
    return caller;
  };
  return async (app: App): Promise<void> => {
    ctx.serveEndpoint(app, wecomApprovalApply, async ({ owner, body }) => service.apply(as(owner), body));
    ctx.serveEndpoint(app, wecomApprovalInfo, async ({ owner, body }) => service.numbers(as(owner), body));
    ctx.serveEndpoint(app, wecomApprovalDetail, async ({ owner, body }) => service.detail(as(owner), String(body.sp_no)));
  };
}

const tags = ['sandbox'];
const control = { access: 'sandbox.control' as const };
const corpParams = z.strictObject({ corpId: text(64, 1) });
const approvalParams = z.strictObject({ corpId: text(64, 1), spNo: text(32, 1) });
const deliverySchema = z.object({ attempts: z.number(), status: z.string(), latencyMs: z.number() }).nullable();
const outcomeSchema = z.object({ spNo: z.string(), spStatus: z.number(), delivery: deliverySchema });

/** `/sandbox/control/wecom-corps/{corpId}/...` for approvals: the admin sets up templates, approvers act from their phones. */
export async function weComApprovalControlRoutes(app: App, service: Approvals): Promise<void> {
  const base = '/sandbox/control/wecom-corps/:corpId';

  app.post(`${base}/approval-templates`, {
    config: control,
    schema: {
      tags,
      summary: 'Create an approval template as in the WeCom admin console: its controls and default approvers',
      params: corpParams,
      body: z.strictObject({
        name: text(32, 1),
        controls: z
          .array(z.strictObject({ id: text(64, 1), control: z.enum(['Text', 'Textarea', 'Number', 'Money', 'Date', 'Selector', 'Contact', 'File', 'Table']), title: text(32, 1), required: z.boolean() }))
          .min(1)
          .max(50),
        approvers: z
          .array(z.strictObject({ attr: z.union([z.literal(1), z.literal(2)]), userid: z.array(text(64, 1)).min(1).max(50) }))
          .max(20),
      }),
      response: { 201: z.object({ templateId: z.string() }) },
    },
    handler: async (request, reply) => reply.status(201).send(await service.createTemplate(request.params.corpId, request.body)),
  });

  app.get(`${base}/approval-templates`, {
    config: control,
    schema: {
      tags,
      summary: 'The corp’s approval templates',
      params: corpParams,
      response: { 200: z.object({ items: z.array(z.object({ templateId: z.string(), name: z.string(), controls: z.array(z.unknown()), approvers: z.array(z.unknown()) })) }) },
    },
    handler: async (request) => ({ items: await service.listTemplates(request.params.corpId) }),
  });

  app.post(`${base}/approvals/:spNo/decisions`, {
    config: control,
    schema: {
      tags,
      summary: 'An approver of the current node agrees or rejects; pushes sys_approval_change',
      params: approvalParams,
      body: z.strictObject({ userid: text(64, 1), decision: z.enum(['approve', 'reject']), speech: text(500).optional() }),
      response: { 200: outcomeSchema },
    },
    handler: async (request) => service.decide(request.params.corpId, request.params.spNo, request.body),
  });

  app.post(`${base}/approvals/:spNo/withdraw`, {
    config: control,
    schema: { tags, summary: 'The applicant withdraws the application (4, or 6 after approval); pushes sys_approval_change', params: approvalParams, response: { 200: outcomeSchema } },
    handler: async (request) => service.withdraw(request.params.corpId, request.params.spNo),
  });

  app.post(`${base}/approvals/:spNo/comments`, {
    config: control,
    schema: {
      tags,
      summary: 'A member comments on the application; pushes sys_approval_change',
      params: approvalParams,
      body: z.strictObject({ userid: text(64, 1), content: text(1000, 1) }),
      response: { 200: outcomeSchema },
    },
    handler: async (request) => service.comment(request.params.corpId, request.params.spNo, request.body),
  });
}
