import {
  oaCurrentSelfMenu,
  oaMenuAddConditional,
  oaMenuCreate,
  oaMenuDelConditional,
  oaMenuDelete,
  oaMenuGet,
  oaMenuTryMatch,
} from '../../wechat/official-account';
import type { App } from '../../platform/http/create-server';
import { wechatError, wechatOk, type SandboxContext, type TokenOwner } from '../core';
import { checkMatchRule, checkMenu, linkDomains, MENU_LIMITS } from './menu-rules';
import type { MenuRow, OaRepository } from './oa.repository';
import type { OaWorld } from './world';

/**
 * How many conditional menus an account may hold. WeChat publishes no figure
 * (only errcode 65305); this is deliberately generous so the sandbox never
 * refuses what WeChat might accept.
 */
export const CONDITIONAL_MENU_LIMIT = 1000;

type Button = Record<string, unknown>;

/** get_current_selfmenu_info's shape: sub-buttons under `list`, material as `value`. */
function selfMenuButton(button: Button): Button {
  const subs = Array.isArray(button.sub_button) ? (button.sub_button as Button[]) : [];
  if (subs.length > 0) return { name: button.name, sub_button: { list: subs.map(selfMenuButton) } };
  const { media_id: mediaId, article_id: articleId, sub_button: _subs, ...rest } = button;
  const value = mediaId ?? articleId;
  return { ...rest, ...(value === undefined ? {} : { value }) };
}

const menuBody = (menu: MenuRow) => ({ button: menu.button, menuid: menu.menuId });

export function serveMenuApi(app: App, ctx: SandboxContext, repository: OaRepository, world: OaWorld): void {
  const appIdOf = (owner: TokenOwner | null) => (owner as TokenOwner).ownerKey;

  ctx.serveEndpoint(
    app,
    oaMenuCreate,
    async ({ body, owner, now }) => {
      await repository.replaceDefaultMenu(appIdOf(owner), body.button, now);
      return { ...wechatOk };
    },
    { check: ({ body }) => checkMenu(body) },
  );

  ctx.serveEndpoint(app, oaMenuGet, async ({ owner }) => {
    const menus = await repository.listMenus(appIdOf(owner));
    const main = menus.find((m) => !m.conditional);
    if (!main) throw wechatError(46003);
    const conditional = menus.filter((m) => m.conditional).map((m) => ({ ...menuBody(m), matchrule: m.matchRule }));
    return { menu: menuBody(main), ...(conditional.length > 0 ? { conditionalmenu: conditional } : {}) };
  });

  ctx.serveEndpoint(app, oaMenuDelete, async ({ owner }) => {
    await repository.deleteAllMenus(appIdOf(owner));
    return { ...wechatOk };
  });

  ctx.serveEndpoint(app, oaCurrentSelfMenu, async ({ owner }) => {
    const main = (await repository.listMenus(appIdOf(owner))).find((m) => !m.conditional);
    if (!main) return { is_menu_open: 0 };
    return { is_menu_open: 1, selfmenu_info: { button: (main.button as Button[]).map(selfMenuButton) } };
  });

  ctx.serveEndpoint(
    app,
    oaMenuAddConditional,
    async ({ body, owner, now }) => {
      const appId = appIdOf(owner);
      const menus = await repository.listMenus(appId);
      if (!menus.some((m) => !m.conditional)) throw wechatError(65303);
      const conditional = menus.filter((m) => m.conditional);
      if (conditional.length >= CONDITIONAL_MENU_LIMIT) throw wechatError(65305);
      const rule = checkMatchRule(body.matchrule);
      if (rule.tagId !== null && !(await repository.listTags(appId)).some((t) => t.id === rule.tagId)) throw wechatError(45159, 'matchrule.tag_id');
      const domains = new Set([...conditional.flatMap((m) => [...linkDomains(m.button)]), ...linkDomains(body.button)]);
      if (domains.size > MENU_LIMITS.linkDomains) throw wechatError(65316);
      const matchRule = Object.fromEntries(Object.entries(body.matchrule).filter(([, v]) => v !== undefined && v !== ''));
      const menu = await repository.addConditionalMenu(appId, body.button, matchRule, now);
      return { menuid: String(menu.menuId) };
    },
    {
      check: ({ body }) => {
        checkMenu(body);
        if (!(body as { matchrule?: unknown }).matchrule) throw wechatError(65304);
      },
    },
  );

  ctx.serveEndpoint(app, oaMenuDelConditional, async ({ body, owner }) => {
    const menuId = Number(body.menuid);
    if (!Number.isInteger(menuId) || !(await repository.deleteMenu(appIdOf(owner), menuId))) throw wechatError(65301);
    return { ...wechatOk };
  });

  ctx.serveEndpoint(app, oaMenuTryMatch, async ({ body, owner }) => {
    const appId = appIdOf(owner);
    const follower = await repository.findFollower(appId, body.user_id);
    if (!follower) throw wechatError(65302);
    const menu = world.matchMenu(await repository.listMenus(appId), follower);
    if (!menu) throw wechatError(46003);
    return menu.conditional ? { button: menu.button, menuid: String(menu.menuId) } : { button: menu.button };
  });
}
