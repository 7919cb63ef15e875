import { randomBytes } from 'node:crypto';
import { AppError } from '../../../common/errors';
import { generateEncodingAesKey, type XmlInputRecord } from '../../wechat/core';
import type { DeliveryResult, SandboxContext } from '../core';
import { findButton } from './menu-rules';
import type { AccountRow, FollowerRow, InboxRow, MenuRow, OaRepository } from './oa.repository';
import { newMsgId, type OaPusher } from './push';

export type EncryptMode = 'plain' | 'compatible' | 'safe';

export interface AccountInput {
  appId?: string;
  appSecret?: string;
  name?: string;
  accountType?: 'service' | 'subscription';
  token?: string;
  encodingAesKey?: string;
  encryptMode?: EncryptMode;
  callbackUrl?: string | null;
}

/** What a follower's action produced: the delivery (null when WeChat pushes nothing) and what landed in the inbox. */
export interface ActionOutcome {
  delivery: Pick<DeliveryResult, 'attempts' | 'status' | 'latencyMs'> | null;
  received: InboxItem[];
}

export interface InboxItem {
  id: string;
  source: string;
  msgType: string;
  content: unknown;
  createdAt: string;
}

export type FollowerMessage = { type: 'text' | 'image' | 'voice' | 'video' | 'shortvideo' | 'location' | 'link'; content: string };

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const alnum = (length: number) => randomBytes(length * 2).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, length);

/** The system tag every account has (ids 0–2 are reserved; 2 is 星标组). */
export const STAR_TAG = { id: 2, name: '星标组' };

function platformAutoReply(now: Date) {
  return {
    is_add_friend_reply_open: 1,
    is_autoreply_open: 1,
    add_friend_autoreply_info: { type: 'text', content: '感谢关注！回复「营业时间」查看门店营业时间。' },
    message_default_autoreply_info: { type: 'text', content: '你好，消息已收到，我们会尽快回复。' },
    keyword_autoreply_info: {
      list: [
        {
          rule_name: '营业时间',
          create_time: Math.floor(now.getTime() / 1000) - 86_400 * 30,
          reply_mode: 'reply_all',
          keyword_list_info: [{ type: 'text', match_mode: 'contain', content: '营业时间' }],
          reply_list_info: [{ type: 'text', content: '周一至周日 10:00-22:00' }],
        },
      ],
    },
  };
}

export function toInboxItem(row: InboxRow): InboxItem {
  return { id: String(row.id), source: row.source, msgType: row.msgType, content: row.content, createdAt: row.createdAt.toISOString() };
}

function outcome(result: DeliveryResult): ActionOutcome {
  return {
    delivery: { attempts: result.attempts, status: result.status, latencyMs: result.latencyMs },
    received: (result.received as InboxRow[]).map(toInboxItem),
  };
}

function messageFields(message: FollowerMessage): XmlInputRecord {
  const mediaId = alnum(64);
  switch (message.type) {
    case 'text':
      return { MsgType: 'text', Content: message.content };
    case 'image':
      return { MsgType: 'image', PicUrl: message.content || 'https://mmbiz.qpic.cn/sandbox/0', MediaId: mediaId };
    case 'voice':
      return { MsgType: 'voice', MediaId: mediaId, Format: 'amr' };
    case 'video':
    case 'shortvideo':
      return { MsgType: message.type, MediaId: mediaId, ThumbMediaId: alnum(64) };
    case 'location': {
      const [x = '23.134521', y = '113.358803', ...label] = message.content.split(',');
      return { MsgType: 'location', Location_X: x.trim(), Location_Y: y.trim(), Scale: 15, Label: label.join(',').trim() || '位置' };
    }
    case 'link':
      return { MsgType: 'link', Title: message.content, Description: message.content, Url: message.content };
  }
}

/** Event pushed for a pressed menu button, or null for buttons WeChat handles itself (material, articles). */
function menuEvent(button: Record<string, unknown>, menu: MenuRow): { fields: XmlInputRecord; opensWindow: boolean } | null {
  const type = String(button.type);
  const key = String(button.key ?? '');
  const menuId = menu.conditional ? { MenuId: String(menu.menuId) } : {};
  switch (type) {
    case 'click':
      return { fields: { Event: 'CLICK', EventKey: key }, opensWindow: true };
    case 'view':
      return { fields: { Event: 'VIEW', EventKey: String(button.url), ...menuId }, opensWindow: false };
    case 'miniprogram':
      return { fields: { Event: 'view_miniprogram', EventKey: String(button.pagepath), MenuId: String(menu.menuId) }, opensWindow: false };
    case 'scancode_push':
    case 'scancode_waitmsg':
      return { fields: { Event: type, EventKey: key, ScanCodeInfo: { ScanType: 'qrcode', ScanResult: 'https://weixin.qq.com/sandbox' } }, opensWindow: true };
    case 'pic_sysphoto':
    case 'pic_photo_or_album':
    case 'pic_weixin':
      return { fields: { Event: type, EventKey: key, SendPicsInfo: { Count: 1, PicList: { item: [{ PicMd5Sum: hex(16) }] } } }, opensWindow: false };
    case 'location_select':
      return {
        fields: { Event: type, EventKey: key, SendLocationInfo: { Location_X: '23.137466', Location_Y: '113.352425', Scale: 15, Label: '广州市天河区', Poiname: '天河城' } },
        opensWindow: false,
      };
    default:
      return null;
  }
}

/**
 * The simulated Official Account world: accounts, followers and what they do.
 * Each follower action pushes the event WeChat would push and answers how the
 * delivery went and what the follower received.
 */
export function createOaWorld(ctx: SandboxContext, repository: OaRepository, pusher: OaPusher) {
  const background = new Set<Promise<unknown>>();

  async function getAccount(appId: string): Promise<AccountRow> {
    const account = await repository.findAccount(appId);
    if (!account) throw new AppError('SANDBOX_ACCOUNT_NOT_FOUND', { appId });
    return account;
  }

  async function getFollower(appId: string, openId: string): Promise<FollowerRow> {
    const follower = await repository.findFollower(appId, openId);
    if (!follower) throw new AppError('SANDBOX_FOLLOWER_NOT_FOUND', { appId, openId });
    return follower;
  }

  async function subscribe(account: AccountRow, openId: string, scene: { subscribeScene: string; qrScene: number; qrSceneStr: string }): Promise<void> {
    const now = ctx.clock.now();
    const existing = await repository.findFollower(account.appId, openId);
    if (existing?.subscribed) throw new AppError('SANDBOX_FOLLOWER_ALREADY_FOLLOWING', { openId });
    if (existing) await repository.setSubscribed(account.appId, openId, true, now, scene);
    else {
      await repository.insertFollower({
        appId: account.appId,
        openId,
        subscribed: true,
        subscribeTime: now,
        ...scene,
        language: 'zh_CN',
        gender: 0,
        country: '中国',
        province: '',
        city: '',
      });
    }
    await repository.openWindow(account.appId, openId, 'event', now);
  }

  /** Menus newest conditional first, then the default: the first whose rule fits the follower. */
  function matchMenu(menus: MenuRow[], follower: FollowerRow | null): MenuRow | null {
    const lastTag = follower?.tagIds[follower.tagIds.length - 1];
    const conditional = menus.filter((m) => m.conditional).sort((a, b) => b.menuId - a.menuId);
    for (const menu of conditional) {
      const rule = (menu.matchRule ?? {}) as Record<string, unknown>;
      const tag = rule.tag_id === undefined || rule.tag_id === '' ? null : Number(rule.tag_id);
      if (tag !== null && tag !== lastTag) continue;
      if (tag === null && (rule.client_platform_type === undefined || rule.client_platform_type === '')) continue;
      return menu;
    }
    return menus.find((m) => !m.conditional) ?? null;
  }

  return {
    getAccount,
    getFollower,
    matchMenu,

    async createAccount(input: AccountInput = {}): Promise<AccountRow> {
      const now = ctx.clock.now();
      const appId = input.appId ?? `wx${hex(8)}`;
      try {
        const account = await repository.createAccount({
          appId,
          appSecret: input.appSecret ?? hex(16),
          originalId: `gh_${hex(6)}`,
          name: input.name ?? '沙箱公众号',
          accountType: input.accountType ?? 'service',
          token: input.token ?? alnum(32),
          encodingAesKey: input.encodingAesKey ?? generateEncodingAesKey(),
          encryptMode: input.encryptMode ?? 'safe',
          callbackUrl: input.callbackUrl ?? null,
          autoReply: platformAutoReply(now),
          createdAt: now,
        });
        await repository.createTag(appId, STAR_TAG.name, STAR_TAG.id);
        return account;
      } catch (error) {
        if ((error as Error).message === 'duplicate') throw new AppError('SANDBOX_ACCOUNT_EXISTS', { appId });
        throw error;
      }
    },

    listAccounts: () => repository.listAccounts(),

    async updateAccount(appId: string, patch: Pick<AccountInput, 'callbackUrl' | 'encryptMode' | 'token' | 'encodingAesKey' | 'name'>): Promise<AccountRow> {
      await getAccount(appId);
      const row = await repository.updateAccount(appId, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
      if (!row) throw new AppError('SANDBOX_ACCOUNT_NOT_FOUND', { appId });
      return row;
    },

    /** Adds `count` existing followers without pushing anything (they followed before Qiao was connected). */
    async generateFollowers(appId: string, count: number): Promise<{ added: number; total: number }> {
      await getAccount(appId);
      const added = await repository.generateFollowers(appId, count, ctx.clock.now());
      const account = await getAccount(appId);
      return { added, total: account.followersTotal };
    },

    async follow(appId: string, openId: string): Promise<ActionOutcome> {
      const account = await getAccount(appId);
      await subscribe(account, openId, { subscribeScene: 'ADD_SCENE_SEARCH', qrScene: 0, qrSceneStr: '' });
      return outcome(await pusher.push({ account, openId, fields: { MsgType: 'event', Event: 'subscribe' }, event: 'event:subscribe', trigger: 'subscribe' }));
    },

    async unfollow(appId: string, openId: string): Promise<ActionOutcome> {
      const account = await getAccount(appId);
      const follower = await getFollower(appId, openId);
      if (!follower.subscribed) throw new AppError('SANDBOX_FOLLOWER_NOT_FOLLOWING', { openId });
      await repository.setSubscribed(appId, openId, false, ctx.clock.now());
      return outcome(await pusher.push({ account, openId, fields: { MsgType: 'event', Event: 'unsubscribe' }, event: 'event:unsubscribe', trigger: 'unsubscribe' }));
    },

    async sendMessage(appId: string, openId: string, message: FollowerMessage): Promise<ActionOutcome> {
      const account = await getAccount(appId);
      const follower = await getFollower(appId, openId);
      if (!follower.subscribed) throw new AppError('SANDBOX_FOLLOWER_NOT_FOLLOWING', { openId });
      await repository.openWindow(appId, openId, 'message', ctx.clock.now());
      const fields = { ...messageFields(message), MsgId: newMsgId() };
      return outcome(await pusher.push({ account, openId, fields, event: message.type, trigger: message.type }));
    },

    async clickMenu(appId: string, openId: string, pressed: { key?: string; url?: string }): Promise<ActionOutcome> {
      const account = await getAccount(appId);
      const follower = await getFollower(appId, openId);
      if (!follower.subscribed) throw new AppError('SANDBOX_FOLLOWER_NOT_FOLLOWING', { openId });
      const menu = matchMenu(await repository.listMenus(appId), follower);
      const button = menu ? findButton(menu.button, pressed) : null;
      if (!menu || !button) throw new AppError('SANDBOX_MENU_BUTTON_NOT_FOUND', { button: pressed.key ?? pressed.url ?? '' });
      const event = menuEvent(button, menu);
      if (!event) return { delivery: null, received: [] };
      if (event.opensWindow) await repository.openWindow(appId, openId, 'event', ctx.clock.now());
      const name = String(event.fields.Event);
      return outcome(await pusher.push({ account, openId, fields: { MsgType: 'event', ...event.fields }, event: `event:${name}`, trigger: name }));
    },

    /** A scan of a parametric QR code: `SCAN` for a follower, `subscribe` with `qrscene_` for anyone else. */
    async scan(appId: string, openId: string, scene: string): Promise<ActionOutcome> {
      const account = await getAccount(appId);
      const now = ctx.clock.now();
      let code = await repository.findQrCodeByScene(appId, scene);
      if (code?.expiresAt && code.expiresAt <= now) throw new AppError('SANDBOX_QR_CODE_EXPIRED', { scene });
      code ??= await repository.insertQrCode({
        ticket: `gQ${alnum(54)}`,
        appId,
        actionName: /^\d{1,10}$/.test(scene) ? 'QR_LIMIT_SCENE' : 'QR_LIMIT_STR_SCENE',
        sceneId: /^\d{1,10}$/.test(scene) ? Number(scene) : null,
        sceneStr: /^\d{1,10}$/.test(scene) ? null : scene,
        expiresAt: null,
        createdAt: now,
      });
      const follower = await repository.findFollower(appId, openId);
      if (follower?.subscribed) {
        await repository.openWindow(appId, openId, 'event', now);
        return outcome(
          await pusher.push({ account, openId, fields: { MsgType: 'event', Event: 'SCAN', EventKey: scene, Ticket: code.ticket }, event: 'event:SCAN', trigger: 'SCAN' }),
        );
      }
      await subscribe(account, openId, { subscribeScene: 'ADD_SCENE_QR_CODE', qrScene: code.sceneId ?? 0, qrSceneStr: code.sceneStr ?? '' });
      return outcome(
        await pusher.push({
          account,
          openId,
          fields: { MsgType: 'event', Event: 'subscribe', EventKey: `qrscene_${scene}`, Ticket: code.ticket },
          event: 'event:subscribe',
          trigger: 'subscribe',
        }),
      );
    },

    async inbox(appId: string, openId: string, afterId: number, limit: number): Promise<InboxItem[]> {
      await getFollower(appId, openId);
      return (await repository.listInbox(appId, openId, afterId, limit)).map(toInboxItem);
    },

    /** Runs work WeChat does after answering (mass sends); failures are logged, never thrown at the caller. */
    inBackground(work: () => Promise<unknown>): void {
      const running = work()
        .catch((error: unknown) => ctx.logger.error({ err: error }, 'sandbox background work failed'))
        .finally(() => background.delete(running));
      background.add(running);
    },

    /** Resolves once every background task has finished (tests, shutdown). */
    async idle(): Promise<void> {
      while (background.size > 0) await Promise.all(background);
    },
  };
}

export type OaWorld = ReturnType<typeof createOaWorld>;
