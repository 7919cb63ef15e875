import type { ModuleDeps } from '../../../platform/module-deps';
import type { WeChatClient } from '../../../wechat/client';
import type { AccountsService } from '../../system/accounts';
import type { ProfileService } from '../profile';
import { createMenusRepository } from './menus.repository';
import { createMenusRoutes } from './menus.routes';
import { createMenusService } from './menus.service';

export type { MenuState, MenuVersion, ConditionalMenu } from './menus.schema';
export type { MenusService } from './menus.service';
export { checkMenu, MENU_LIMITS, utf8Bytes, type WeChatMenu, type WeChatMenuButton } from './menu-rules.schema';

/** Custom menus of an Official Account: draft, publish with crash-safe intent rows, pull, history, conditional menus. */
export function createMenusModule(deps: ModuleDeps & { accounts: AccountsService; wechat: WeChatClient; profile: ProfileService }) {
  const service = createMenusService({
    repository: createMenusRepository(deps.db),
    accounts: deps.accounts,
    wechat: deps.wechat,
    profile: deps.profile,
    audit: deps.audit,
    clock: deps.clock,
  });
  return { routes: createMenusRoutes(service), service };
}
