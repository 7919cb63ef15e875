import { z } from 'zod';
import { AppError } from '../../../common/errors';
import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/client';
import type { App } from '../../platform/http/create-server';
import {
  wecomResignedTransferCustomer,
  wecomResignedTransferResult,
  wecomTransferCustomer,
  wecomTransferResult,
  wecomUnassignedList,
} from '../../wechat/wecom';
import type { SandboxContext } from '../core/context';
import type { Pushes } from './pushes';
import { useridKey } from './rules';
import { access, callerOf, requireAccess, type WeComCaller } from './scope';
import { createTransfersRepository, type TransferRow, type TransfersRepository } from './transfers.repository';
import { createWeComRepository, type MemberRow, type WeComRepository } from './wecom.repository';
import { INVALID_PARAMETER, weComError } from './wecom-errors';
import { pushTarget } from './world';

/** Customers per transfer call. */
export const MAX_TRANSFER_CUSTOMERS = 100;
/** Characters of `transfer_success_msg`. */
export const MAX_TRANSFER_MESSAGE = 200;
/** A customer refuses within this long; otherwise the takeover happens. */
export const TAKEOVER_DELAY_MS = 24 * 3_600_000;
/** An on-duty member's customer is transferred at most twice in this window (40128). */
export const TRANSFER_WINDOW_MS = 90 * 86_400_000;
export const MAX_TRANSFERS_IN_WINDOW = 2;
/** Customers one member may have; a takeover beyond it fails (status 4, `customer_limit_exceed`). */
export const MAX_CUSTOMERS_PER_MEMBER = 50_000;
const MAX_UNASSIGNED_PAGE = 1000;
const RESULT_PAGE = 1000;
const ACTIVE = 1;

type Kind = TransferRow['kind'];

interface TransferInput {
  handover_userid: string;
  takeover_userid: string;
  external_userid: string[];
  transfer_success_msg?: string | undefined;
}

function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeCursor<T>(cursor: string | undefined, check: (value: unknown) => value is T): T | null {
  if (!cursor) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (check(value)) return value;
  } catch {
    // answered below
  }
  throw weComError(INVALID_PARAMETER, 'cursor');
}

const seconds = (at: Date) => Math.floor(at.getTime() / 1000);

/**
 * 在职继承 and 离职继承 as WeCom runs them: a transfer waits 24 hours (the
 * customer may refuse an on-duty one), then the takeover member follows the
 * customer in place of the handover member. Waiting transfers are settled
 * whenever the corp's transfers are touched, against the sandbox clock.
 */
export function createTransfers(deps: { db: Db; clock: Clock; pushes: Pushes }) {
  const repository = createWeComRepository(deps.db);
  const transfers = createTransfersRepository(deps.db);

  function inTransaction<T>(work: (r: { world: WeComRepository; transfers: TransfersRepository }) => Promise<T>): Promise<T> {
    return deps.db.transaction((tx) => work({ world: createWeComRepository(tx as unknown as Db), transfers: createTransfersRepository(tx as unknown as Db) }));
  }

  async function transferFailed(row: TransferRow, reason: 'customer_refused' | 'customer_limit_exceed'): Promise<void> {
    const target = await repository.findReceiver(row.corpId, 'customer-contact');
    if (!target) return;
    await deps.pushes.push(pushTarget(target), {
      actor: row.externalUserid,
      label: 'event:change_external_contact.transfer_fail',
      fields: {
        FromUserName: 'sys',
        MsgType: 'event',
        Event: 'change_external_contact',
        ChangeType: 'transfer_fail',
        FailReason: reason,
        UserID: row.takeoverUserid,
        ExternalUserID: row.externalUserid,
      },
    });
  }

  /** Completes every waiting transfer of the corp whose 24 hours are over. */
  async function settle(corpId: string): Promise<void> {
    const now = deps.clock.now();
    for (const row of await transfers.dueTransfers(corpId, now)) {
      const full = (await transfers.countFollows(corpId, row.takeoverKey)) >= MAX_CUSTOMERS_PER_MEMBER;
      const takeover = await repository.findMember(corpId, row.takeoverKey);
      if (full || !takeover) {
        if (await transfers.finish(row.id, 4, row.takeoverAt)) await transferFailed(row, 'customer_limit_exceed');
        continue;
      }
      await inTransaction(async (r) => {
        if (!(await r.transfers.finish(row.id, 1, row.takeoverAt))) return;
        const before = await r.world.findFollow(corpId, row.externalUserid, row.handoverKey);
        await r.world.insertFollows([
          {
            corpId,
            externalUserid: row.externalUserid,
            useridKey: row.takeoverKey,
            remark: before?.remark ?? '',
            description: before?.description ?? '',
            createdAtS: seconds(row.takeoverAt),
            addWay: before?.addWay ?? 0,
            state: before?.state ?? null,
            tagIds: before?.tagIds ?? [],
          },
        ]);
        if (row.kind === 'on_duty') await r.transfers.deleteFollow(corpId, row.externalUserid, row.handoverKey);
        else await r.transfers.deleteUnassigned(corpId, row.handoverKey, row.externalUserid);
      });
    }
  }

  async function requireMember(corpId: string, userid: string, field: string): Promise<MemberRow> {
    const member = await repository.findMember(corpId, useridKey(userid));
    if (!member) throw weComError(60111, field);
    return member;
  }

  function checkCall(input: TransferInput): void {
    if (input.external_userid.length === 0) throw weComError(INVALID_PARAMETER, 'external_userid');
    if (input.external_userid.length > MAX_TRANSFER_CUSTOMERS) throw weComError(INVALID_PARAMETER, `external_userid: at most ${MAX_TRANSFER_CUSTOMERS}`);
    if (input.transfer_success_msg !== undefined && [...input.transfer_success_msg].length > MAX_TRANSFER_MESSAGE) {
      throw weComError(INVALID_PARAMETER, `transfer_success_msg: at most ${MAX_TRANSFER_MESSAGE} characters`);
    }
    if (useridKey(input.handover_userid) === useridKey(input.takeover_userid)) throw weComError(40130, 'takeover_userid');
  }

  async function takeoverMember(corpId: string, userid: string): Promise<MemberRow> {
    const takeover = await requireMember(corpId, userid, 'takeover_userid');
    // Not in the facts: WeCom names real-name verification (40098); a member who has not joined or is disabled cannot take over either.
    if (takeover.status !== ACTIVE) throw weComError(40098, 'takeover_userid');
    return takeover;
  }

  async function start(caller: WeComCaller, kind: Kind, input: TransferInput) {
    checkCall(input);
    await settle(caller.corpId);
    const now = deps.clock.now();
    const takeover = await takeoverMember(caller.corpId, input.takeover_userid);
    let handoverKey = useridKey(input.handover_userid);
    let handoverUserid = input.handover_userid;
    const ids = input.external_userid;
    const unassigned = new Set<string>();
    if (kind === 'on_duty') {
      const handover = await requireMember(caller.corpId, input.handover_userid, 'handover_userid');
      handoverKey = handover.useridKey;
      handoverUserid = handover.userid;
    } else {
      // A member still in the directory has not left: each customer answers 40097.
      if (await repository.findMember(caller.corpId, handoverKey)) return { errcode: 0, errmsg: 'ok', customer: ids.map((id) => ({ external_userid: id, errcode: 40097 })) };
      if (!(await transfers.hasResigned(caller.corpId, handoverKey))) throw weComError(60111, 'handover_userid');
      for (const row of await transfers.unassignedOf(caller.corpId, handoverKey, ids)) {
        unassigned.add(row.externalUserid);
        handoverUserid = row.handoverUserid;
      }
    }
    const customers = new Set((await repository.findCustomers(caller.corpId, ids)).map((c) => c.externalUserid));
    const history = await transfers.transfersOfCustomers(caller.corpId, ids, new Date(now.getTime() - TRANSFER_WINDOW_MS));
    const rows: Omit<TransferRow, 'id'>[] = [];
    const answers: { external_userid: string; errcode: number }[] = [];
    for (const externalUserid of ids) {
      const mine = history.filter((h) => h.externalUserid === externalUserid);
      let errcode = 0;
      if (!customers.has(externalUserid)) errcode = 40096;
      else if (mine.some((h) => h.status === 2) || rows.some((r) => r.externalUserid === externalUserid)) errcode = 40129;
      else if (kind === 'on_duty' && !(await repository.findFollow(caller.corpId, externalUserid, handoverKey))) errcode = 40131;
      else if (kind === 'resigned' && !unassigned.has(externalUserid)) errcode = 40131;
      // Not in the facts: the customer already follows the takeover member; the generic parameter error stands in.
      else if (await repository.findFollow(caller.corpId, externalUserid, takeover.useridKey)) errcode = INVALID_PARAMETER;
      else if (kind === 'on_duty' && mine.filter((h) => h.kind === 'on_duty' && h.status === 1).length >= MAX_TRANSFERS_IN_WINDOW) errcode = 40128;
      answers.push({ external_userid: externalUserid, errcode });
      if (errcode !== 0) continue;
      rows.push({
        corpId: caller.corpId,
        kind,
        handoverKey,
        handoverUserid,
        takeoverKey: takeover.useridKey,
        takeoverUserid: takeover.userid,
        externalUserid,
        status: 2,
        message: input.transfer_success_msg ?? null,
        startedAt: now,
        takeoverAt: new Date(now.getTime() + TAKEOVER_DELAY_MS),
        finishedAt: null,
      });
    }
    await transfers.insertTransfers(rows);
    return { errcode: 0, errmsg: 'ok', customer: answers };
  }

  async function result(caller: WeComCaller, kind: Kind, input: { handover_userid: string; takeover_userid: string; cursor?: string | undefined }) {
    await settle(caller.corpId);
    const afterId = decodeCursor(input.cursor, (v): v is number => typeof v === 'number') ?? 0;
    const rows = await transfers.pairPage(caller.corpId, kind, useridKey(input.handover_userid), useridKey(input.takeover_userid), afterId, RESULT_PAGE + 1);
    const page = rows.slice(0, RESULT_PAGE);
    const last = page[page.length - 1];
    return {
      errcode: 0,
      errmsg: 'ok',
      customer: page.map((r) => ({ external_userid: r.externalUserid, status: r.status, takeover_time: seconds(r.takeoverAt) })),
      next_cursor: rows.length > RESULT_PAGE && last ? encodeCursor(last.id) : '',
    };
  }

  return {
    settle,
    transferCustomers: (caller: WeComCaller, input: TransferInput) => start(caller, 'on_duty', input),
    transferResult: (caller: WeComCaller, input: Parameters<typeof result>[2]) => result(caller, 'on_duty', input),
    transferResignedCustomers: (caller: WeComCaller, input: TransferInput) => start(caller, 'resigned', input),
    resignedTransferResult: (caller: WeComCaller, input: Parameters<typeof result>[2]) => result(caller, 'resigned', input),

    async unassignedList(caller: WeComCaller, input: { page_size?: number | undefined; cursor?: string | undefined }) {
      const size = input.page_size ?? MAX_UNASSIGNED_PAGE;
      if (size < 1 || size > MAX_UNASSIGNED_PAGE) throw weComError(INVALID_PARAMETER, 'page_size');
      await settle(caller.corpId);
      const after = decodeCursor(input.cursor, (v): v is [string, string] => Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string'));
      const rows = await transfers.unassignedPage(caller.corpId, after ? { handoverKey: after[0], externalUserid: after[1] } : null, size + 1);
      const page = rows.slice(0, size);
      const last = page[page.length - 1];
      const more = rows.length > size && last !== undefined;
      return {
        errcode: 0,
        errmsg: 'ok',
        info: page.map((r) => ({ handover_userid: r.handoverUserid, external_userid: r.externalUserid, dimission_time: seconds(r.dimissionAt) })),
        is_last: !more,
        next_cursor: more ? encodeCursor([last.handoverKey, last.externalUserid]) : '',
      };
    },

    /** The customer refuses the waiting on-duty transfer (in WeChat): it fails and `transfer_fail` is pushed. */
    async refuse(corpId: string, externalUserid: string) {
      if (!(await repository.findCorp(corpId))) throw new AppError('SANDBOX_WECOM_CORP_NOT_FOUND', { corpId });
      if (!(await repository.findCustomer(corpId, externalUserid))) throw new AppError('SANDBOX_WECOM_CUSTOMER_NOT_FOUND', { corpId, externalUserId: externalUserid });
      await settle(corpId);
      const [pending] = await transfers.pendingOfCustomer(corpId, externalUserid, 'on_duty');
      if (!pending || !(await transfers.finish(pending.id, 3, deps.clock.now()))) {
        throw new AppError('SANDBOX_WECOM_TRANSFER_NOT_PENDING', { externalUserId: externalUserid });
      }
      await transferFailed(pending, 'customer_refused');
      return { externalUserId: externalUserid, handoverUserid: pending.handoverUserid, takeoverUserid: pending.takeoverUserid, status: 3 };
    },

    /** The member leaves the corp: their customers wait for 离职继承 and the member is gone from the directory. */
    async resign(corpId: string, userid: string) {
      if (!(await repository.findCorp(corpId))) throw new AppError('SANDBOX_WECOM_CORP_NOT_FOUND', { corpId });
      const member = await repository.findMember(corpId, useridKey(userid));
      if (!member) throw new AppError('SANDBOX_WECOM_MEMBER_NOT_FOUND', { corpId, userid });
      const now = deps.clock.now();
      return inTransaction(async (r) => {
        const ids: string[] = [];
        let after: { key: string; externalUserid: string } | null = null;
        for (;;) {
          const page = await r.world.followsOfMembers(corpId, [member.useridKey], after, 1000);
          ids.push(...page.map((f) => f.externalUserid));
          const last = page[page.length - 1];
          if (!last || page.length < 1000) break;
          after = { key: last.useridKey, externalUserid: last.externalUserid };
        }
        await r.transfers.insertUnassigned(ids.map((externalUserid) => ({ corpId, handoverKey: member.useridKey, handoverUserid: member.userid, externalUserid, dimissionAt: now })));
        await r.world.deleteMembers(corpId, [member.useridKey]);
        return { userid: member.userid, unassignedCustomers: ids.length };
      });
    },
  };
}

export type Transfers = ReturnType<typeof createTransfers>;

/** Serves the transfer declarations at `/sandbox/wecom/cgi-bin/externalcontact/...`. */
export function weComTransferApiRoutes(ctx: SandboxContext, service: Transfers) {
  const as = (owner: Parameters<typeof callerOf>[0]): WeComCaller => {
    const caller = callerOf(owner);
    requireAccess(caller, access.customerContact);
    return caller;
  };
  return async (app: App): Promise<void> => {
    ctx.serveEndpoint(app, wecomTransferCustomer, async ({ owner, body }) => service.transferCustomers(as(owner), body));
    ctx.serveEndpoint(app, wecomTransferResult, async ({ owner, body }) => service.transferResult(as(owner), body));
    ctx.serveEndpoint(app, wecomResignedTransferCustomer, async ({ owner, body }) => service.transferResignedCustomers(as(owner), body));
    ctx.serveEndpoint(app, wecomResignedTransferResult, async ({ owner, body }) => service.resignedTransferResult(as(owner), body));
    ctx.serveEndpoint(app, wecomUnassignedList, async ({ owner, body }) => service.unassignedList(as(owner), body));
  };
}

const tags = ['sandbox'];
const control = { access: 'sandbox.control' as const };

/** `/sandbox/control/...` for transfers: a customer refuses, a member leaves. */
export async function weComTransferControlRoutes(app: App, service: Transfers): Promise<void> {
  app.post('/sandbox/control/wecom-corps/:corpId/customers/:externalUserId/refuse-transfer', {
    config: control,
    schema: {
      tags,
      summary: 'The customer refuses the waiting on-duty transfer (在职继承): it fails with status 3 and transfer_fail (customer_refused) is pushed',
      params: z.object({ corpId: z.string(), externalUserId: z.string() }),
      response: { 200: z.object({ externalUserId: z.string(), handoverUserid: z.string(), takeoverUserid: z.string(), status: z.number() }) },
    },
    handler: async (request) => {
      const params = request.params as { corpId: string; externalUserId: string };
      return service.refuse(params.corpId, params.externalUserId);
    },
  });

  app.post('/sandbox/control/wecom-corps/:corpId/members/:userid/resign', {
    config: control,
    schema: {
      tags,
      summary: 'The member leaves (离职): their customers become unassigned (get_unassigned_list) and the member leaves the directory',
      params: z.object({ corpId: z.string(), userid: z.string() }),
      response: { 200: z.object({ userid: z.string(), unassignedCustomers: z.number() }) },
    },
    handler: async (request) => {
      const params = request.params as { corpId: string; userid: string };
      return service.resign(params.corpId, params.userid);
    },
  });
}
