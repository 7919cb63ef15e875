import { oaCurrentAutoReply, oaCustomerServiceSend, oaMassGet, oaMassPreview, oaMassSend, oaMassSendAll } from '../../wechat/official-account';
import type { App } from '../../platform/http/create-server';
import { quotaDay, wechatError, wechatOk, type SandboxContext, type TokenOwner } from '../core';
import type { AccountRow, MassJobRow, OaRepository } from './oa.repository';
import { openIdPrefix } from './oa.repository';
import type { OaPusher } from './push';
import type { OaWorld } from './world';

/** Customer-service windows and mass-send limits (facts §4.5, §4.6). */
export const MESSAGE_LIMITS = {
  messageWindowMs: 48 * 3_600_000,
  messageWindowSends: 5,
  eventWindowMs: 60_000,
  eventWindowSends: 3,
  customNewsArticles: 1,
  massPerFollowerPerMonth: 4,
  massOpenIds: 10_000,
  clientMsgIdBytes: 64,
  clientMsgIdRetryMs: 60_000,
} as const;

const massStatus: Record<string, string> = { sending: 'SENDING', success: 'SEND_SUCCESS', fail: 'SEND_FAIL' };

type MassBody = Record<string, unknown> & { msgtype: string; clientmsgid?: string | undefined };

/** The message a follower sees, in the API's own shape (`text: {content}` and the like). */
function contentOf(body: MassBody): unknown {
  return { msgtype: body.msgtype, [body.msgtype]: body[body.msgtype] };
}

function checkContent(body: MassBody): void {
  const payload = body[body.msgtype] as Record<string, unknown> | undefined;
  if (!payload || typeof payload !== 'object') throw wechatError(44004, body.msgtype);
  if (body.msgtype === 'text' && (typeof payload.content !== 'string' || payload.content === '')) throw wechatError(44004);
  if (['image', 'voice', 'mpnews', 'mpvideo', 'video', 'music'].includes(body.msgtype)) {
    const mediaId = payload.media_id ?? payload.thumb_media_id;
    if (typeof mediaId !== 'string' || mediaId === '') throw wechatError(41006);
  }
}

export function serveMessageApi(app: App, ctx: SandboxContext, repository: OaRepository, pusher: OaPusher, world: OaWorld): void {
  const appIdOf = (owner: TokenOwner | null) => (owner as TokenOwner).ownerKey;

  ctx.serveEndpoint(app, oaCustomerServiceSend, async ({ body, owner, now }) => {
    const appId = appIdOf(owner);
    const follower = await repository.findFollower(appId, body.touser);
    if (!follower) throw wechatError(40003);
    checkContent(body as MassBody);
    if (body.msgtype === 'news') {
      const articles = (body as { news?: { articles?: unknown[] } }).news?.articles ?? [];
      if (articles.length === 0) throw wechatError(44003);
      if (articles.length > MESSAGE_LIMITS.customNewsArticles) throw wechatError(45008);
    }
    const spent = await repository.spendWindow(appId, body.touser, now, {
      messageMs: MESSAGE_LIMITS.messageWindowMs,
      messageMax: MESSAGE_LIMITS.messageWindowSends,
      eventMs: MESSAGE_LIMITS.eventWindowMs,
      eventMax: MESSAGE_LIMITS.eventWindowSends,
    });
    if (spent === 'closed') throw wechatError(45015);
    if (spent === 'used_up') throw wechatError(45047);
    const { touser: _to, msgtype, ...rest } = body;
    await repository.addInbox([{ appId, openId: body.touser, source: 'customer_service', msgType: msgtype, content: { msgtype, ...rest }, createdAt: now }]);
    return { ...wechatOk };
  });

  async function startMass(account: AccountRow, body: MassBody, target: { all: true } | { tagId: number } | { openIds: string[] }, now: Date) {
    const clientMsgId = body.clientmsgid;
    if (clientMsgId !== undefined) {
      if (Buffer.byteLength(clientMsgId, 'utf8') > MESSAGE_LIMITS.clientMsgIdBytes) throw wechatError(45067);
      const earlier = await repository.findMassJobByClientMsgId(account.appId, clientMsgId);
      if (earlier) {
        if (now.getTime() - earlier.createdAt.getTime() < MESSAGE_LIMITS.clientMsgIdRetryMs) throw wechatError(45066);
        throw wechatError(45065, undefined, { msg_id: earlier.msgId });
      }
    }
    checkContent(body);
    // Subscription accounts may mass-send once a day (facts §4.5); WeChat's errcode for it is not published, 45009 is the quota code.
    if (account.accountType === 'subscription' && (await repository.countMassJobsSince(account.appId, new Date(now.getTime() - 86_400_000))) > 0) {
      throw wechatError(45009, 'subscription accounts mass-send once a day');
    }
    const job = await repository.createMassJob({
      appId: account.appId,
      clientMsgId: clientMsgId ?? null,
      msgType: body.msgtype,
      target,
      status: 'sending',
      totalCount: 0,
      filterCount: 0,
      sentCount: 0,
      errorCount: 0,
      createdAt: now,
    });
    world.inBackground(() => finishMass(account, job, body, target));
    return {
      errcode: 0,
      errmsg: 'send job submission success',
      msg_id: job.msgId,
      ...(body.msgtype === 'mpnews' ? { msg_data_id: job.msgId } : {}),
    };
  }

  /** Delivers to every allowed follower, then pushes MASSSENDJOBFINISH as WeChat does when the job is done. */
  async function finishMass(account: AccountRow, job: MassJobRow, body: MassBody, target: { all: true } | { tagId: number } | { openIds: string[] }) {
    const now = ctx.clock.now();
    const { total, sent } = await repository.deliverMass({
      appId: account.appId,
      msgId: job.msgId,
      target,
      month: quotaDay(now).slice(0, 7),
      perMonth: MESSAGE_LIMITS.massPerFollowerPerMonth,
      msgType: body.msgtype,
      content: contentOf(body),
      now,
    });
    const counts = { totalCount: total, filterCount: sent, sentCount: sent, errorCount: 0 };
    await repository.finishMassJob(account.appId, job.msgId, { status: 'success', ...counts });
    await pusher.push({
      account,
      openId: `${openIdPrefix(account.appId)}MassJobNotice`,
      fields: {
        MsgType: 'event',
        Event: 'MASSSENDJOBFINISH',
        MsgID: job.msgId,
        Status: 'send success',
        TotalCount: counts.totalCount,
        FilterCount: counts.filterCount,
        SentCount: counts.sentCount,
        ErrorCount: counts.errorCount,
      },
      event: 'event:MASSSENDJOBFINISH',
      trigger: 'MASSSENDJOBFINISH',
      notifyFollower: false,
    });
  }

  ctx.serveEndpoint(app, oaMassSendAll, async ({ body, owner, now }) => {
    const appId = appIdOf(owner);
    const account = (await repository.findAccount(appId)) as AccountRow;
    if (body.filter.is_to_all) return startMass(account, body, { all: true }, now);
    const tagId = body.filter.tag_id;
    if (tagId === undefined || !(await repository.listTags(appId)).some((t) => t.id === tagId)) throw wechatError(45159);
    return startMass(account, body, { tagId }, now);
  });

  ctx.serveEndpoint(
    app,
    oaMassSend,
    async ({ body, owner, now }) => {
      const account = (await repository.findAccount(appIdOf(owner))) as AccountRow;
      if (account.accountType !== 'service') throw wechatError(48001);
      return startMass(account, body, { openIds: [...new Set(body.touser)] }, now);
    },
    {
      check: ({ body }) => {
        const list = (body as { touser?: unknown } | null)?.touser;
        if (!Array.isArray(list) || list.length < 1 || list.length > MESSAGE_LIMITS.massOpenIds) throw wechatError(40032);
      },
    },
  );

  ctx.serveEndpoint(app, oaMassGet, async ({ body, owner }) => {
    const msgId = Number(body.msg_id);
    const job = Number.isSafeInteger(msgId) ? await repository.findMassJob(appIdOf(owner), msgId) : null;
    if (!job) throw wechatError(40097, 'invalid msg_id');
    return { msg_id: job.msgId, msg_status: massStatus[job.status] ?? 'SEND_FAIL' };
  });

  // A preview goes to one follower at once and counts against no monthly quota; a WeChat id (towxname) stands for no follower here.
  ctx.serveEndpoint(app, oaMassPreview, async ({ body, owner, now }) => {
    const appId = appIdOf(owner);
    if (body.towxname !== undefined) throw wechatError(40003, 'the sandbox has no WeChat ids; preview to a follower openid');
    const follower = body.touser ? await repository.findFollower(appId, body.touser) : null;
    if (!follower || !follower.subscribed) throw wechatError(43004);
    checkContent(body as MassBody);
    await repository.addInbox([{ appId, openId: follower.openId, source: 'mass_preview', msgType: body.msgtype, content: contentOf(body as MassBody), createdAt: now }]);
    return { errcode: 0, errmsg: 'preview success' };
  });

  ctx.serveEndpoint(app, oaCurrentAutoReply, async ({ owner }) => {
    const account = await repository.findAccount(appIdOf(owner));
    return (account?.autoReply ?? {}) as Record<string, unknown>;
  });
}
