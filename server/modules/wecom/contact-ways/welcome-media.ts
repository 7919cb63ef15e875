import { AppError } from '../../../../common/errors';
import type { Clock } from '../../../platform/clock';
import type { Logger } from '../../../platform/logger';
import type { WeChatClient } from '../../../wechat/client';
import { WELCOME_LIMITS, type WelcomeMessage } from './contact-ways.schema';
import type { ContactWaysRepository, WelcomeMediaRow } from './contact-ways.repository';
import { customerContactAccount, uploadImage, wechatRefusal, type AccountsAccess } from './customer-contact-calls';

/** Media is uploaded again once its WeCom copy has less than this left, well before any send could need it. */
export const MEDIA_REFRESH_AHEAD_MS = 24 * 3_600_000;

export interface WelcomeMediaDeps {
  repository: ContactWaysRepository;
  wechat: WeChatClient;
  accounts: AccountsAccess;
  clock: Clock;
  logger: Logger;
}

/** The attachment shapes of send_welcome_msg. */
export type WeComAttachment =
  | { msgtype: 'image'; image: { media_id: string } }
  | { msgtype: 'link'; link: { title: string; url: string; desc?: string; picurl?: string } }
  | { msgtype: 'miniprogram'; miniprogram: { title: string; pic_media_id: string; appid: string; page: string } };

function imageType(content: Buffer): string | null {
  if (content.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (content[0] === 0xff && content[1] === 0xd8 && content[2] === 0xff) return 'image/jpeg';
  return null;
}

export function mediaIdsOf(message: WelcomeMessage | null | undefined): string[] {
  return (message?.attachments ?? []).flatMap((a) => (a.type === 'image' || a.type === 'miniprogram' ? [a.mediaFileId] : []));
}

/**
 * Welcome images live in Qiao and are uploaded to WeCom when saved, then again
 * before WeCom's three-day copy expires, so a welcome never waits for an upload.
 */
export function createWelcomeMedia(deps: WelcomeMediaDeps) {
  const { repository } = deps;

  async function upload(row: WelcomeMediaRow): Promise<void> {
    const account = await customerContactAccount(deps.accounts, row.accountId);
    const uploaded = await uploadImage(deps.wechat, account, { filename: row.filename, contentType: row.contentType, content: Buffer.from(row.contentBase64, 'base64') });
    await repository.setMediaId(row.id, uploaded.mediaId, new Date(uploaded.createdAtS * 1000 + WELCOME_LIMITS.mediaTtlMs));
  }

  return {
    /** Keeps an image and uploads it to WeCom at once; nothing is kept when WeCom refuses it. */
    async save(accountId: string, file: { filename: string; content: Buffer }): Promise<WelcomeMediaRow> {
      const contentType = imageType(file.content);
      if (!contentType || file.content.length > WELCOME_LIMITS.imageBytes) throw new AppError('WELCOME_MEDIA_INVALID', { maxBytes: WELCOME_LIMITS.imageBytes });
      const row = await repository.insertMedia({
        accountId,
        filename: file.filename.slice(0, 200) || 'image',
        contentType,
        contentBase64: file.content.toString('base64'),
        bytes: file.content.length,
        createdAt: deps.clock.now(),
      });
      try {
        await upload(row);
      } catch (error) {
        await repository.deleteMedia(row.id);
        throw wechatRefusal(error, 'cgi-bin/media/upload');
      }
      const [fresh] = await repository.findMedia(accountId, [row.id]);
      return fresh as WelcomeMediaRow;
    },

    /** Every image a message uses exists; those close to expiry are uploaded again now, while saving. */
    async prepare(accountId: string, message: WelcomeMessage | null | undefined): Promise<void> {
      const ids = [...new Set(mediaIdsOf(message))];
      if (ids.length === 0) return;
      const rows = new Map((await repository.findMedia(accountId, ids)).map((r) => [r.id, r]));
      const missing = ids.find((id) => !rows.has(id));
      if (missing) throw new AppError('WELCOME_MEDIA_NOT_FOUND', { mediaFileId: missing });
      const soon = deps.clock.now().getTime() + MEDIA_REFRESH_AHEAD_MS;
      for (const row of rows.values()) {
        if (!row.mediaExpiresAt || row.mediaExpiresAt.getTime() < soon) {
          try {
            await upload(row);
          } catch (error) {
            throw wechatRefusal(error, 'cgi-bin/media/upload');
          }
        }
      }
    },

    /** Uploads again what expires within a day; failures are logged and retried on the next round. */
    async refreshAhead(): Promise<number> {
      const due = await repository.mediaExpiringBefore(new Date(deps.clock.now().getTime() + MEDIA_REFRESH_AHEAD_MS), 200);
      let refreshed = 0;
      for (const row of due) {
        try {
          await upload(row);
          refreshed++;
        } catch (error) {
          deps.logger.warn({ err: error, mediaFileId: row.id, accountId: row.accountId }, 'could not renew a welcome image on WeCom');
        }
      }
      return refreshed;
    },

    /** The message in WeCom's shape, with the media ids on hand; images whose copy expired are left out and named. */
    async attachments(accountId: string, message: WelcomeMessage): Promise<{ attachments: WeComAttachment[]; expired: string[] }> {
      const rows = new Map((await repository.mediaIdsFor(accountId, mediaIdsOf(message))).map((r) => [r.id, r]));
      const now = deps.clock.now().getTime();
      const mediaId = (id: string) => {
        const row = rows.get(id);
        return row?.mediaId && row.mediaExpiresAt && row.mediaExpiresAt.getTime() > now ? row.mediaId : null;
      };
      const expired: string[] = [];
      const attachments: WeComAttachment[] = [];
      for (const a of message.attachments) {
        if (a.type === 'link') {
          attachments.push({ msgtype: 'link', link: { title: a.title, url: a.url, ...(a.desc ? { desc: a.desc } : {}), ...(a.picUrl ? { picurl: a.picUrl } : {}) } });
          continue;
        }
        const id = mediaId(a.mediaFileId);
        if (!id) {
          expired.push(a.mediaFileId);
          continue;
        }
        attachments.push(
          a.type === 'image'
            ? { msgtype: 'image', image: { media_id: id } }
            : { msgtype: 'miniprogram', miniprogram: { title: a.title, pic_media_id: id, appid: a.appid, page: a.page } },
        );
      }
      return { attachments, expired };
    },
  };
}

export type WelcomeMedia = ReturnType<typeof createWelcomeMedia>;
