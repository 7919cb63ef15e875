import type { ErrorSpec } from './spec';

/** Errors of the sandbox control API (the simulated WeChat world); WeChat-side answers use errcodes instead. */
export const sandboxErrors = {
  SANDBOX_ACCOUNT_NOT_FOUND: { status: 404, zh: '沙箱中没有公众号 {appId}', en: 'The sandbox has no Official Account {appId}' },
  SANDBOX_ACCOUNT_EXISTS: { status: 409, zh: '沙箱中已有公众号 {appId}', en: 'The sandbox already has Official Account {appId}' },
  SANDBOX_FOLLOWER_NOT_FOUND: {
    status: 404,
    zh: '沙箱公众号 {appId} 没有粉丝 {openId}',
    en: 'Sandbox Official Account {appId} has no follower {openId}',
  },
  SANDBOX_FOLLOWER_NOT_FOLLOWING: {
    status: 409,
    zh: '粉丝 {openId} 已取消关注，先让其重新关注',
    en: 'Follower {openId} has unfollowed; follow again first',
  },
  SANDBOX_FOLLOWER_ALREADY_FOLLOWING: {
    status: 409,
    zh: '粉丝 {openId} 已在关注中',
    en: 'Follower {openId} already follows the account',
  },
  SANDBOX_MENU_BUTTON_NOT_FOUND: {
    status: 404,
    zh: '该粉丝看到的菜单里没有按钮 {button}',
    en: 'The menu this follower sees has no button {button}',
  },
  SANDBOX_PUBLICATION_NOT_FOUND: { status: 404, zh: '沙箱公众号没有发布记录 {publishId}', en: 'The sandbox Official Account has no publication {publishId}' },
  SANDBOX_PUBLICATION_NOT_PUBLISHED: {
    status: 409,
    zh: '发布记录 {publishId} 当前状态为 {status}，只有发布成功的文章可以被封禁',
    en: 'Publication {publishId} has status {status}; only a successful publication can be banned',
  },
  SANDBOX_QR_CODE_EXPIRED: { status: 409, zh: '场景值为 {scene} 的临时二维码已过期', en: 'The temporary QR code with scene {scene} has expired' },
  SANDBOX_WECOM_CORP_NOT_FOUND: { status: 404, zh: '沙箱中没有企业 {corpId}', en: 'The sandbox has no WeCom corp {corpId}' },
  SANDBOX_WECOM_RECEIVER_NOT_FOUND: {
    status: 404,
    zh: '沙箱企业 {corpId} 没有回调接收方 {receiver}',
    en: 'Sandbox corp {corpId} has no receiver {receiver}',
  },
  SANDBOX_WECOM_MEMBER_NOT_FOUND: { status: 404, zh: '沙箱企业 {corpId} 没有成员 {userid}', en: 'Sandbox corp {corpId} has no member {userid}' },
  SANDBOX_APPROVAL_NOT_FOUND: { status: 404, zh: '沙箱企业没有审批单 {spNo}', en: 'The sandbox corp has no approval application {spNo}' },
  SANDBOX_APPROVAL_CLOSED: {
    status: 409,
    zh: '审批单 {spNo} 的状态为 {status}，不能再执行此操作',
    en: 'Approval application {spNo} has status {status}; this action no longer applies',
  },
  SANDBOX_APPROVAL_NOT_APPROVER: {
    status: 409,
    zh: '{userid} 不是审批单 {spNo} 当前节点待审批的人',
    en: '{userid} is not a waiting approver of the current step of application {spNo}',
  },
  SANDBOX_WECOM_CUSTOMER_NOT_FOUND: {
    status: 404,
    zh: '沙箱企业 {corpId} 没有客户 {externalUserId}',
    en: 'Sandbox corp {corpId} has no customer {externalUserId}',
  },
  SANDBOX_WECOM_ALREADY_FOLLOWING: {
    status: 409,
    zh: '客户 {externalUserId} 已添加成员 {userid}',
    en: 'Customer {externalUserId} has already added member {userid}',
  },
} as const satisfies Record<string, ErrorSpec>;
