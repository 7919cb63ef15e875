import type { ErrorSpec } from './spec';

/** Errors of Directory sync between Qiao and WeCom. */
export const wecomSyncErrors = {
  WECOM_SYNC_RUN_NOT_FOUND: { status: 404, zh: '找不到同步记录 {runId}', en: 'Sync run {runId} not found' },
  WECOM_SYNC_RUN_BUSY: {
    status: 409,
    zh: '同步记录正在{state}，请等它完成后再操作',
    en: 'The sync run is {state}; wait until it has finished',
  },
  WECOM_SYNC_NOTHING_SELECTED: {
    status: 400,
    zh: '没有选择可应用的条目（冲突需要选择“保留 Qiao”或“采用企业微信”）',
    en: 'Nothing to apply was selected (a conflict needs "keep Qiao" or "take WeCom")',
  },
  WECOM_SYNC_NO_SCOPE: {
    status: 403,
    zh: '你在该企业没有可管理的部门，无法同步通讯录',
    en: 'You manage no department of this corp, so you cannot sync its directory',
  },
  WECOM_SYNC_NO_RECEIVER: {
    status: 400,
    zh: '账号「{name}」没有配置通讯录同步 Secret（接收方 contacts），无法读写企业微信通讯录',
    en: 'The account "{name}" has no contacts-sync secret (receiver "contacts"); the WeCom directory cannot be read or written',
  },
  WECOM_SYNC_ITEM_STALE: {
    status: 409,
    zh: '对比之后该条目在 Qiao 中又被修改，请重新对比',
    en: 'This entry changed in Qiao after the comparison; compare again',
  },
} as const satisfies Record<string, ErrorSpec>;
