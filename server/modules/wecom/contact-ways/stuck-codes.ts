import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { z } from 'zod';
import { AppError, isAppError, type Locale } from '../../../../common/errors';
import type { AuditRecorder } from '../../../platform/audit';
import type { Clock } from '../../../platform/clock';
import type { RequestContext } from '../../../platform/http/principal';
import { localeFromAcceptLanguage } from '../../../platform/i18n/locale';
import { isWeChatApiError, type WeChatAccount, type WeChatClient } from '../../../wechat/client';
import { wecomContactWayGet, wecomContactWayList } from '../../../wechat/wecom';
import { contextOf } from '../../system';
import { reachesMember, type DepartmentsService } from '../departments';
import type { MembersService } from '../members';
import type { ContactWayRow } from './contact-ways.tables';
import { failedCodeSchema, type FailedCode } from './contact-ways.schema';
export type { FailedCode } from './contact-ways.schema';
import type { StuckCodesRepository } from './stuck-codes.repository';
import { customerContactAccount, errcodeInWords, type AccountsAccess } from './customer-contact-calls';

/**
 * A code is written as intent (`creating`) before add_contact_way is called
 * and marked `applied` with WeCom's config_id once it answered. A crash (or a
 * lost answer) in between leaves the row `creating` with no config_id: it
 * holds its state, is not listed, and may or may not exist in WeCom. The
 * sweep resolves such rows once they are older than any call could take:
 * it looks the code up in WeCom by the row's state among the codes created
 * around the row's time, applies it when found, and otherwise marks the row
 * `failed` with a reason the console shows; the user then dismisses it,
 * which frees the state for a new code.
 */

/** Far longer than an add_contact_way call with its retries can take. */
export const STUCK_AFTER_MS = 5 * 60_000;
/** How often the sweep runs after the one at boot. */
export const SWEEP_INTERVAL_MS = 5 * 60_000;
/** The boot sweep waits a little, off the start-up path. */
const FIRST_SWEEP_DELAY_MS = 10_000;
/** list_contact_way lists at most 1000 per page. */
const LIST_PAGE = 1000;

/** Why a creation failed: a reason code kept on the row, explained in both console languages. */
export const stuckReasons = {
  not_in_wecom: {
    zh: '创建时服务中断，企业微信中也没有这个「联系我」，请重新创建',
    en: 'Creation was cut off and WeCom does not have this code; create it again',
  },
  temp_unverifiable: {
    zh: '创建时服务中断；企业微信不提供临时会话「联系我」的列表，无法确认是否已创建，请重新创建',
    en: 'Creation was cut off; WeCom does not list temporary-session codes, so whether it was made cannot be checked; create it again',
  },
  no_receiver: {
    zh: '创建时服务中断，且该企业已没有可调用客户联系接口的密钥，无法向企业微信核对',
    en: 'Creation was cut off and the corp no longer has a secret that may call customer contact, so WeCom cannot be asked',
  },
} as const;
export type StuckReason = keyof typeof stuckReasons;

/** `wechat_error:<errcode>` when WeCom refused the lookup itself. */
export function reasonInWords(reason: string, locale: Locale): string {
  const known = stuckReasons[reason as StuckReason];
  if (known) return locale === 'en-US' ? known.en : known.zh;
  const errcode = /^wechat_error:(-?\d+)$/.exec(reason)?.[1];
  if (errcode !== undefined) {
    const words = errcodeInWords(Number(errcode), '');
    return locale === 'en-US' ? `Creation was cut off and WeCom refused the lookup (errcode ${errcode}: ${words.en})` : `创建时服务中断，向企业微信核对时被拒绝（错误码 ${errcode}：${words.zh}）`;
  }
  return reason;
}

export interface StuckCodesDeps {
  repository: StuckCodesRepository;
  wechat: WeChatClient;
  accounts: AccountsAccess;
  members: Pick<MembersService, 'departmentsOf'>;
  departments: Pick<DepartmentsService, 'reach'>;
  audit: AuditRecorder;
  clock: Clock;
  logger: Logger;
}

export interface SweepOutcome {
  applied: number;
  failed: number;
  /** Left `creating` for the next sweep: WeCom busy, rate-limited or unreachable. */
  left: number;
}

/** Busy, quota, Qiao's limiter or an unreachable WeCom: asking again later may answer. */
function transient(error: unknown): boolean {
  if (isWeChatApiError(error)) return error.errcode === -1 || error.kind === 'quota';
  return isAppError(error) && (error.code === 'WECHAT_API_RATE_LIMITED' || error.code === 'WECHAT_API_UNREACHABLE');
}

export function createStuckCodes(deps: StuckCodesDeps) {
  const { repository } = deps;
  const logger = deps.logger.child({ module: 'contact-ways-stuck-codes' });

  /** The config_id WeCom holds for this row's state among the codes created around the row's time, or null. */
  async function findInWeCom(account: WeChatAccount, row: ContactWayRow): Promise<{ configId: string; qrCode: string | null } | null> {
    const createdS = Math.floor(row.createdAt.getTime() / 1000);
    const nowS = Math.floor(deps.clock.now().getTime() / 1000);
    // The call follows the intent row within the call's own time; a minute before covers clocks apart.
    const window = { start_time: createdS - 60, end_time: Math.min(nowS, createdS + STUCK_AFTER_MS / 1000) };
    let cursor: string | undefined;
    do {
      const page = await deps.wechat.call(account, wecomContactWayList, { ...window, limit: LIST_PAGE, ...(cursor ? { cursor } : {}) });
      const ids = page.contact_way.map((c) => c.config_id);
      const known = await repository.knownConfigIds(row.accountId, ids);
      for (const configId of ids) {
        if (known.has(configId)) continue;
        const way = (await deps.wechat.call(account, wecomContactWayGet, { config_id: configId })).contact_way;
        if (way.state === row.state) return { configId, qrCode: way.qr_code ?? null };
      }
      cursor = page.next_cursor || undefined;
    } while (cursor);
    return null;
  }

  /** Resolves one row; only a row still `creating` is changed, so sweeps on several instances agree. */
  async function resolve(row: ContactWayRow): Promise<'applied' | 'failed' | 'left'> {
    const fail = async (reason: string) => {
      const changed = await repository.markFailed(row.id, reason, deps.clock.now());
      if (changed) logger.warn({ accountId: row.accountId, id: row.id, state: row.state, reason }, 'contact-me code left creating by a cut-off creation marked failed');
      return 'failed' as const;
    };
    if (row.isTemp) return fail('temp_unverifiable');
    let found: Awaited<ReturnType<typeof findInWeCom>>;
    try {
      found = await findInWeCom(await customerContactAccount(deps.accounts, row.accountId), row);
    } catch (error) {
      if (transient(error)) return 'left';
      if (isAppError(error) && error.code === 'CONTACT_WAY_NO_RECEIVER') return fail('no_receiver');
      if (isWeChatApiError(error)) return fail(`wechat_error:${error.errcode}`);
      throw error;
    }
    if (!found) return fail('not_in_wecom');
    const changed = await repository.markApplied(row.id, found.configId, found.qrCode);
    if (changed) {
      await deps.audit.record(null, {
        action: 'wecom.contact_way.create',
        targetType: 'wecom_contact_way',
        targetId: `${row.accountId}:${found.configId}`,
        summary: { name: row.name, state: row.state, recoveredBy: 'stuck-code sweep' },
      });
    }
    return 'applied';
  }

  async function sweep(): Promise<SweepOutcome> {
    const before = new Date(deps.clock.now().getTime() - STUCK_AFTER_MS);
    const rows = await repository.creatingBefore(before);
    const outcome: SweepOutcome = { applied: 0, failed: 0, left: 0 };
    for (const row of rows) {
      try {
        outcome[await resolve(row)] += 1;
      } catch (error) {
        outcome.left += 1;
        logger.warn({ err: error, accountId: row.accountId, id: row.id }, 'could not resolve a contact-me code left creating');
      }
    }
    return outcome;
  }

  /** Whether the caller sees this code: as the code list decides (own codes for a member, reach for a department admin). */
  async function visible(context: RequestContext, row: ContactWayRow): Promise<boolean> {
    const principal = context.principal;
    if (!principal) return false;
    if (principal.role === 'member') {
      const own = principal.wecomMembers.filter((m) => m.accountId === row.accountId).map((m) => m.userid.toLowerCase());
      return row.userids.some((u) => own.includes(u.toLowerCase()));
    }
    if (principal.role !== 'dept_admin') return true;
    const reach = await deps.departments.reach(context, row.accountId);
    if (reach.kind === 'all') return true;
    for (const userid of row.userids) {
      const departmentIds = await deps.members.departmentsOf(row.accountId, userid);
      if (departmentIds && reachesMember(reach, { userid, departmentIds })) return true;
    }
    return false;
  }

  async function failedRows(context: RequestContext, accountId: string): Promise<ContactWayRow[]> {
    await deps.accounts.getAccount(accountId);
    const rows = await repository.failedOf(accountId);
    const out: ContactWayRow[] = [];
    for (const row of rows) if (await visible(context, row)) out.push(row);
    return out;
  }

  return {
    sweep,

    /** Failed creations the caller may see, with the reason in the caller's language. */
    async listFailed(context: RequestContext, accountId: string, locale: Locale): Promise<FailedCode[]> {
      return (await failedRows(context, accountId)).map((row) => ({
        id: row.id,
        name: row.name,
        type: row.type,
        scene: row.scene,
        userids: row.userids,
        state: row.state,
        isTemp: row.isTemp,
        reason: row.syncError as string,
        message: reasonInWords(row.syncError as string, locale),
        createdAt: row.createdAt.toISOString(),
      }));
    },

    /** Removes a failed creation, which frees its state for a new code. */
    async dismiss(context: RequestContext, accountId: string, id: string): Promise<void> {
      const row = (await failedRows(context, accountId)).find((r) => r.id === id);
      if (!row) throw new AppError('CONTACT_WAY_FAILED_NOT_FOUND', { id });
      await repository.deleteFailed(id);
      await deps.audit.record(context, { action: 'wecom.contact_way.dismiss_failed', targetType: 'wecom_contact_way', targetId: `${accountId}:${id}`, summary: { name: row.name, state: row.state, reason: row.syncError } });
    },

    /** Sweeps shortly after boot, then every `intervalMs`; returns the stop function. */
    start(intervalMs = SWEEP_INTERVAL_MS): () => void {
      const run = () => void sweep().catch((error: unknown) => logger.error({ err: error }, 'stuck contact-me code sweep failed'));
      const first = setTimeout(run, Math.min(FIRST_SWEEP_DELAY_MS, intervalMs));
      const timer = setInterval(run, intervalMs);
      first.unref();
      timer.unref();
      return () => {
        clearTimeout(first);
        clearInterval(timer);
      };
    },
  };
}

export type StuckCodes = ReturnType<typeof createStuckCodes>;


const accountParams = z.strictObject({ accountId: z.uuid() });

/** `/api/v1/wecom/{accountId}/contact-ways/failed`: creations the sweep could not complete, to read and dismiss. */
export function stuckCodesRoutes(stuck: StuckCodes): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['wecom-contact-ways'];
    app.get(
      '/api/v1/wecom/:accountId/contact-ways/failed',
      {
        config: { access: 'wecom.customers.read' },
        schema: {
          tags,
          summary: 'Contact-me codes whose creation was cut off and that WeCom turned out not to have, with the reason',
          description: `A code left \`creating\` for ${STUCK_AFTER_MS / 60_000} minutes is looked up in WeCom (list_contact_way, get_contact_way by state): applied when found, listed here otherwise. Sweeps run at boot and every ${SWEEP_INTERVAL_MS / 60_000} minutes.`,
          params: accountParams,
          response: { 200: z.object({ items: z.array(failedCodeSchema) }) },
        },
      },
      async (request) => ({ items: await stuck.listFailed(contextOf(request), request.params.accountId, localeFromAcceptLanguage(request.headers['accept-language'])) }),
    );
    app.delete(
      '/api/v1/wecom/:accountId/contact-ways/failed/:id',
      {
        config: { access: 'wecom.customers.write' },
        schema: { tags, summary: 'Dismiss a failed creation, freeing its state for a new code', params: accountParams.extend({ id: z.uuid() }), response: { 204: z.null() } },
      },
      async (request, reply) => {
        await stuck.dismiss(contextOf(request), request.params.accountId, request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
