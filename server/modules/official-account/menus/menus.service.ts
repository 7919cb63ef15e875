import { AppError, type Locale } from '../../../../common/errors';
import type { AuditRecorder } from '../../../platform/audit';
import type { Clock } from '../../../platform/clock';
import type { RequestContext } from '../../../platform/http/principal';
import { isWeChatApiError, type WeChatClient } from '../../../wechat/client';
import { oaMenuAddConditional, oaMenuCreate, oaMenuDelConditional, oaMenuGet, oaMenuTryMatch } from '../../../wechat/official-account';
import type { AccountsService } from '../../system/accounts';
import type { ProfileService } from '../profile';
import { explainFailure, meaningOf } from './menu-errcodes';
import { checkMenu, diffMenus, miniProgramButtons, normalizeMenu, sameMenu, type WeChatMenu, type WeChatMenuButton } from './menu-rules.schema';
import type { ConditionalRow, MenusRepository, VersionRow } from './menus.repository';
import type { ConditionalMenu, CreateConditionalMenuBody, MenuState, MenuVersion } from './menus.schema';

export interface MenusServiceDeps {
  repository: MenusRepository;
  accounts: Pick<AccountsService, 'getAccount' | 'wechatAccountFor'>;
  wechat: WeChatClient;
  profile: Pick<ProfileService, 'requireCapability'>;
  audit: AuditRecorder;
  clock: Clock;
}

export type MenusService = ReturnType<typeof createMenusService>;

type LiveButton = { name: string; sub_button?: LiveButton[] | unknown } & Record<string, unknown>;

const buttonStrings = ['type', 'key', 'url', 'appid', 'pagepath', 'media_id', 'article_id'] as const;

/** WeChat's answer back into Qiao's button type (only the fields a menu uses). */
function fromWeChat(buttons: readonly LiveButton[]): WeChatMenuButton[] {
  return buttons.map((raw) => {
    const button: WeChatMenuButton = { name: raw.name };
    for (const field of buttonStrings) if (typeof raw[field] === 'string') button[field] = raw[field] as string;
    if (Array.isArray(raw.sub_button) && raw.sub_button.length > 0) button.sub_button = fromWeChat(raw.sub_button as LiveButton[]);
    return button;
  });
}

function whoOf(context: RequestContext | null): string | null {
  return context?.principal ? context.principal.displayName || context.principal.username : null;
}

function toVersion(row: VersionRow): MenuVersion {
  return {
    version: row.version,
    state: row.state,
    source: row.source,
    rolledBackFrom: row.rolledBackFrom,
    menu: { button: row.button },
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    appliedAt: row.appliedAt?.toISOString() ?? null,
    errcode: row.errcode,
    errmsg: row.errmsg,
  };
}

function toConditional(row: ConditionalRow): ConditionalMenu {
  return {
    id: row.id,
    name: row.name,
    menuId: row.menuId,
    state: row.state,
    button: row.button,
    matchRule: row.matchRule,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}

function wechatMatchRule(rule: ConditionalRow['matchRule']): { tag_id?: string; client_platform_type?: string } {
  return {
    ...(rule.tagId === undefined ? {} : { tag_id: String(rule.tagId) }),
    ...(rule.clientPlatformType === undefined ? {} : { client_platform_type: rule.clientPlatformType }),
  };
}

export function createMenusService(deps: MenusServiceDeps) {
  const { repository } = deps;
  /**
   * Accounts whose publish runs in this process right now. Qiao is one process
   * per data dir, so a `publishing` row of an account not in this set belongs
   * to a publish that died (crash, lost connection) and must be settled.
   */
  const inFlight = new Set<string>();

  async function officialAccount(accountId: string): Promise<void> {
    const account = await deps.accounts.getAccount(accountId);
    if (account.type !== 'official_account') throw new AppError('OA_PROFILE_NOT_OFFICIAL_ACCOUNT', { name: account.name });
  }

  /** Refuses what WeChat would refuse, naming the first broken rule; every issue is in `details.issues`. */
  async function validate(accountId: string, menu: WeChatMenu, prefix = ''): Promise<WeChatMenu> {
    const issues = checkMenu(menu).map((issue) => ({ ...issue, field: `${prefix}${issue.field}` }));
    const first = issues[0];
    if (first) throw new AppError(first.code, { field: first.field, ...first.params, issues });
    const miniPrograms = miniProgramButtons(menu);
    if (miniPrograms[0]) await deps.profile.requireCapability(accountId, 'menu.miniprogram', `${prefix}${miniPrograms[0]}`);
    return normalizeMenu(menu);
  }

  async function wechatAccount(accountId: string) {
    return deps.accounts.wechatAccountFor(accountId);
  }

  /** WeChat's live default menu; `{button: []}` when the account has none (46003). */
  async function fetchLive(accountId: string) {
    try {
      const answer = await deps.wechat.call(await wechatAccount(accountId), oaMenuGet);
      return {
        menu: { button: fromWeChat((answer.menu?.button ?? []) as LiveButton[]) },
        conditional: (answer.conditionalmenu ?? []).map((m) => ({ button: fromWeChat(m.button as LiveButton[]), menuId: m.menuid === undefined ? null : String(m.menuid), matchRule: m.matchrule ?? {} })),
      };
    } catch (error) {
      if (isWeChatApiError(error) && error.errcode === 46003) return { menu: { button: [] }, conditional: [] };
      throw error;
    }
  }

  async function livePublished(accountId: string): Promise<VersionRow | null> {
    return (await repository.versionsInState(accountId, ['applied', 'pulled']))[0] ?? null;
  }

  /**
   * Settles publishes that died between intent and answer: the newest becomes
   * `applied` if WeChat shows exactly its menu, else `failed`; and if the live
   * menu then differs from what Qiao calls published, it is recorded as a
   * `reconcile` version so the two never disagree unnoticed.
   */
  async function reconcile(accountId: string): Promise<MenuState['reconciled']> {
    const stuck = await repository.versionsInState(accountId, ['publishing']);
    if (stuck.length === 0) return null;
    let live: WeChatMenu;
    try {
      live = (await fetchLive(accountId)).menu;
    } catch {
      // WeChat unreachable: the rows stay `publishing` and the next read tries again.
      return null;
    }
    const now = deps.clock.now();
    const [newest] = stuck;
    let outcome: 'applied' | 'failed' = 'failed';
    for (const row of stuck) {
      if (row === newest && sameMenu(live, { button: row.button })) {
        outcome = 'applied';
        await repository.updateVersion(row.id, { state: 'applied', appliedAt: now });
      } else {
        await repository.updateVersion(row.id, { state: 'failed', errcode: null, errmsg: 'interrupted' });
      }
    }
    const published = await livePublished(accountId);
    let pulledVersion: number | null = null;
    if (published ? !sameMenu(live, { button: published.button }) : live.button.length > 0) {
      const pulled = await repository.insertVersion({ accountId, button: live.button, state: 'pulled', source: 'reconcile', createdBy: null, createdAt: now, appliedAt: now });
      pulledVersion = pulled.version;
    }
    await deps.audit.record(null, {
      action: 'official_account.menu.reconcile',
      targetType: 'account',
      targetId: accountId,
      summary: { version: newest?.version, outcome, pulledVersion },
    });
    return { version: newest?.version ?? 0, outcome, pulledVersion };
  }

  async function state(accountId: string, reconciled: MenuState['reconciled']): Promise<MenuState> {
    const draft = await repository.findDraft(accountId);
    const versions = await repository.listVersions(accountId);
    const published = versions.find((v) => v.state === 'applied' || v.state === 'pulled') ?? null;
    const failure = versions.find((v) => v.state === 'failed' && (!published || v.version > published.version)) ?? null;
    return {
      draft: draft ? { button: draft.button } : null,
      draftUpdatedAt: draft?.updatedAt.toISOString() ?? null,
      published: published ? { button: published.button } : null,
      publishedAt: published ? (published.appliedAt ?? published.createdAt).toISOString() : null,
      publishedVersion: published?.version ?? null,
      lastFailure: failure
        ? { version: failure.version, errcode: failure.errcode, errmsg: failure.errmsg, meaning: meaningOf(failure.errcode, failure.errmsg), at: failure.createdAt.toISOString() }
        : null,
      reconciled,
    };
  }

  async function settle(accountId: string): Promise<MenuState['reconciled']> {
    return inFlight.has(accountId) ? null : reconcile(accountId);
  }

  async function publishMenu(
    context: RequestContext | null,
    accountId: string,
    input: WeChatMenu,
    locale: Locale,
    origin: { source: 'publish' | 'rollback'; rolledBackFrom: number | null },
  ): Promise<MenuState> {
    await officialAccount(accountId);
    const menu = await validate(accountId, input);
    if (inFlight.has(accountId)) throw new AppError('OA_MENU_PUBLISH_IN_PROGRESS');
    inFlight.add(accountId);
    try {
      const reconciled = await reconcile(accountId);
      // The intent is committed before WeChat hears of it.
      const row = await repository.insertVersion({
        accountId,
        button: menu.button,
        state: 'publishing',
        source: origin.source,
        rolledBackFrom: origin.rolledBackFrom,
        createdBy: whoOf(context),
        createdAt: deps.clock.now(),
      });
      try {
        await deps.wechat.call(await wechatAccount(accountId), oaMenuCreate, { button: menu.button });
      } catch (error) {
        // Without an errcode the outcome is unknown: the row stays `publishing` and the next read settles it.
        if (!isWeChatApiError(error)) throw error;
        const failure = explainFailure(error);
        await repository.updateVersion(row.id, { state: 'failed', errcode: failure.errcode, errmsg: failure.errmsg });
        await deps.audit.record(context, {
          action: `official_account.menu.${origin.source}`,
          outcome: 'refused',
          targetType: 'account',
          targetId: accountId,
          summary: { version: row.version, errcode: failure.errcode, errmsg: failure.errmsg },
        });
        throw new AppError('OA_MENU_PUBLISH_REFUSED', {
          version: row.version,
          errcode: failure.errcode,
          errmsg: failure.errmsg,
          meaning: failure.meaning[locale],
          explanation: failure.meaning,
        });
      }
      await repository.transaction(async (repo, tx) => {
        await repo.updateVersion(row.id, { state: 'applied', appliedAt: deps.clock.now() });
        await deps.audit.record(
          context,
          {
            action: `official_account.menu.${origin.source}`,
            targetType: 'account',
            targetId: accountId,
            summary: { version: row.version, rolledBackFrom: origin.rolledBackFrom, buttons: menu.button.map((b) => b.name) },
          },
          tx,
        );
      });
      return state(accountId, reconciled);
    } finally {
      inFlight.delete(accountId);
    }
  }

  const service = {
    async getState(accountId: string): Promise<MenuState> {
      await officialAccount(accountId);
      return state(accountId, await settle(accountId));
    },

    async saveDraft(context: RequestContext | null, accountId: string, input: WeChatMenu): Promise<MenuState> {
      await officialAccount(accountId);
      const menu = await validate(accountId, input);
      await repository.transaction(async (repo, tx) => {
        await repo.saveDraft({ accountId, button: menu.button, updatedBy: whoOf(context), updatedAt: deps.clock.now() });
        await deps.audit.record(
          context,
          { action: 'official_account.menu.draft', targetType: 'account', targetId: accountId, summary: { buttons: menu.button.map((b) => b.name) } },
          tx,
        );
      });
      return state(accountId, null);
    },

    /** Publishes the saved draft. */
    async publish(context: RequestContext | null, accountId: string, locale: Locale): Promise<MenuState> {
      await officialAccount(accountId);
      const draft = await repository.findDraft(accountId);
      return publishMenu(context, accountId, { button: draft?.button ?? [] }, locale, { source: 'publish', rolledBackFrom: null });
    },

    /** One-click rollback: publishes an earlier version as a new one. */
    async rollback(context: RequestContext | null, accountId: string, version: number, locale: Locale): Promise<MenuState> {
      await officialAccount(accountId);
      const row = await repository.findVersion(accountId, version);
      if (!row) throw new AppError('OA_MENU_VERSION_NOT_FOUND', { version });
      return publishMenu(context, accountId, { button: row.button }, locale, { source: 'rollback', rolledBackFrom: version });
    },

    /** Copies WeChat's live menu into the draft, and records it as published when it differs. */
    async pull(context: RequestContext | null, accountId: string): Promise<MenuState> {
      await officialAccount(accountId);
      const reconciled = await settle(accountId);
      const live = (await fetchLive(accountId)).menu;
      const published = await livePublished(accountId);
      const now = deps.clock.now();
      await repository.transaction(async (repo, tx) => {
        await repo.saveDraft({ accountId, button: live.button, updatedBy: whoOf(context), updatedAt: now });
        let pulledVersion: number | null = null;
        if (published ? !sameMenu(live, { button: published.button }) : live.button.length > 0) {
          pulledVersion = (await repo.insertVersion({ accountId, button: live.button, state: 'pulled', source: 'pull', createdBy: whoOf(context), createdAt: now, appliedAt: now })).version;
        }
        await deps.audit.record(
          context,
          { action: 'official_account.menu.pull', targetType: 'account', targetId: accountId, summary: { buttons: live.button.map((b) => b.name), pulledVersion } },
          tx,
        );
      });
      return state(accountId, reconciled);
    },

    async history(accountId: string): Promise<MenuVersion[]> {
      await officialAccount(accountId);
      await settle(accountId);
      return (await repository.listVersions(accountId)).map(toVersion);
    },

    async diff(accountId: string, from: number, to: number) {
      await officialAccount(accountId);
      const [a, b] = await Promise.all([repository.findVersion(accountId, from), repository.findVersion(accountId, to)]);
      if (!a) throw new AppError('OA_MENU_VERSION_NOT_FOUND', { version: from });
      if (!b) throw new AppError('OA_MENU_VERSION_NOT_FOUND', { version: to });
      return { from, to, changes: diffMenus({ button: a.button }, { button: b.button }) };
    },

    async listConditional(accountId: string): Promise<ConditionalMenu[]> {
      await officialAccount(accountId);
      await settleConditional(accountId);
      return (await repository.listConditional(accountId)).map(toConditional);
    },

    async createConditional(context: RequestContext | null, accountId: string, input: CreateConditionalMenuBody, locale: Locale): Promise<ConditionalMenu> {
      await officialAccount(accountId);
      const menu = await validate(accountId, { button: input.button }, '');
      if (input.matchRule.tagId === undefined && input.matchRule.clientPlatformType === undefined) {
        throw new AppError('OA_MENU_MATCHRULE_EMPTY', { field: 'matchRule' });
      }
      // WeChat needs a default menu first (65303); said before calling.
      if (!(await livePublished(accountId))) throw new AppError('OA_MENU_NOTHING_PUBLISHED');
      const row = await repository.insertConditional({
        accountId,
        name: input.name,
        menuId: null,
        state: 'publishing',
        button: menu.button,
        matchRule: input.matchRule,
        createdBy: whoOf(context),
        createdAt: deps.clock.now(),
      });
      let menuId: string;
      try {
        const answer = await deps.wechat.call(await wechatAccount(accountId), oaMenuAddConditional, { button: menu.button, matchrule: wechatMatchRule(input.matchRule) });
        menuId = String(answer.menuid);
      } catch (error) {
        if (!isWeChatApiError(error)) throw error;
        await repository.deleteConditional(row.id);
        const failure = explainFailure(error);
        throw new AppError('OA_MENU_PUBLISH_REFUSED', { errcode: failure.errcode, errmsg: failure.errmsg, meaning: failure.meaning[locale], explanation: failure.meaning });
      }
      await repository.transaction(async (repo, tx) => {
        await repo.updateConditional(row.id, { menuId, state: 'applied' });
        await deps.audit.record(
          context,
          { action: 'official_account.menu.conditional.create', targetType: 'account', targetId: accountId, summary: { id: row.id, name: input.name, menuId, matchRule: input.matchRule } },
          tx,
        );
      });
      return toConditional({ ...row, menuId, state: 'applied' });
    },

    async deleteConditional(context: RequestContext | null, accountId: string, id: string, locale: Locale): Promise<void> {
      await officialAccount(accountId);
      const row = await repository.findConditional(accountId, id);
      if (!row) throw new AppError('OA_MENU_CONDITIONAL_NOT_FOUND', { id });
      if (row.menuId) {
        try {
          await deps.wechat.call(await wechatAccount(accountId), oaMenuDelConditional, { menuid: row.menuId });
        } catch (error) {
          // 65301: WeChat no longer has it (deleted elsewhere, or with the default menu) — the goal is reached.
          if (!isWeChatApiError(error) || error.errcode !== 65301) {
            if (!isWeChatApiError(error)) throw error;
            const failure = explainFailure(error);
            throw new AppError('OA_MENU_PUBLISH_REFUSED', { errcode: failure.errcode, errmsg: failure.errmsg, meaning: failure.meaning[locale], explanation: failure.meaning });
          }
        }
      }
      await repository.transaction(async (repo, tx) => {
        await repo.deleteConditional(row.id);
        await deps.audit.record(
          context,
          { action: 'official_account.menu.conditional.delete', targetType: 'account', targetId: accountId, summary: { id, name: row.name, menuId: row.menuId } },
          tx,
        );
      });
    },

    /** The menu a follower would see (WeChat's trymatch), with Qiao's id of the conditional menu that matched. */
    async tryMatch(accountId: string, userId: string) {
      await officialAccount(accountId);
      const answer = await deps.wechat.call(await wechatAccount(accountId), oaMenuTryMatch, { user_id: userId });
      const menuId = answer.menuid === undefined ? null : String(answer.menuid);
      const rows = menuId ? await repository.listConditional(accountId) : [];
      return { button: fromWeChat(answer.button as LiveButton[]), menuId, conditionalMenuId: rows.find((r) => r.menuId === menuId)?.id ?? null };
    },
  };

  /** A conditional menu whose add died mid-call: adopt WeChat's menuid if it has exactly that menu, else drop the row. */
  async function settleConditional(accountId: string): Promise<void> {
    const rows = await repository.listConditional(accountId);
    const stuck = rows.filter((r) => r.state === 'publishing');
    if (stuck.length === 0) return;
    let live: Awaited<ReturnType<typeof fetchLive>>['conditional'];
    try {
      live = (await fetchLive(accountId)).conditional;
    } catch {
      return;
    }
    const claimed = new Set(rows.map((r) => r.menuId).filter((id): id is string => id !== null));
    for (const row of stuck) {
      const rule = JSON.stringify(wechatMatchRule(row.matchRule));
      const match = live.find(
        (m) => m.menuId !== null && !claimed.has(m.menuId) && sameMenu({ button: m.button }, { button: row.button }) && JSON.stringify(wechatMatchRule(ruleOf(m.matchRule))) === rule,
      );
      if (match?.menuId) {
        claimed.add(match.menuId);
        await repository.updateConditional(row.id, { menuId: match.menuId, state: 'applied' });
      } else {
        await repository.deleteConditional(row.id);
      }
    }
  }

  return service;
}

function ruleOf(raw: Record<string, unknown>): ConditionalRow['matchRule'] {
  const platform = raw.client_platform_type;
  return {
    ...(raw.tag_id === undefined || raw.tag_id === '' ? {} : { tagId: Number(raw.tag_id) }),
    ...(platform === '1' || platform === '2' || platform === '3' ? { clientPlatformType: platform } : {}),
  };
}
