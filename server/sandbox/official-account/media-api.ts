import { randomBytes } from 'node:crypto';
import type { MultipartFile } from '@fastify/multipart';
import { oaMediaGet, oaMediaUpload, oaQrCodeCreate, temporaryMediaTypes } from '../../wechat/official-account';
import type { App } from '../../platform/http/create-server';
import { RawAnswer, wechatError, type SandboxContext, type TokenOwner } from '../core';
import type { OaRepository } from './oa.repository';

/** Temporary media: kept 3 days; sizes and formats per type (facts §4.9). */
export const MEDIA_LIMITS = {
  lifetimeMs: 3 * 86_400_000,
  types: {
    image: { maxBytes: 2 * 1024 * 1024, extensions: ['png', 'jpeg', 'jpg', 'gif'] },
    voice: { maxBytes: 2 * 1024 * 1024, extensions: ['amr', 'mp3'] },
    video: { maxBytes: 10 * 1024 * 1024, extensions: ['mp4'] },
    thumb: { maxBytes: 64 * 1024, extensions: ['jpg', 'jpeg'] },
  },
} as const;

/** Parametric QR codes (facts §4.8). */
export const QR_LIMITS = {
  defaultExpireSeconds: 60,
  maxExpireSeconds: 2_592_000,
  maxTemporarySceneId: 4_294_967_295,
  maxPermanentSceneId: 100_000,
  sceneStrChars: 64,
} as const;

export function serveMediaApi(app: App, ctx: SandboxContext, repository: OaRepository): void {
  const appIdOf = (owner: TokenOwner | null) => (owner as TokenOwner).ownerKey;
  const base = `${ctx.config.publicBaseUrl}/sandbox/official-account`;

  ctx.serveEndpoint(
    app,
    oaMediaUpload,
    async ({ query, owner, now, request }) => {
      let file: MultipartFile | undefined;
      try {
        file = request.isMultipart() ? await request.file() : undefined;
      } catch {
        throw wechatError(41005);
      }
      if (!file) throw wechatError(41005);
      const data = await file.toBuffer();
      const rule = MEDIA_LIMITS.types[query.type];
      const extension = (file.filename.split('.').pop() ?? '').toLowerCase();
      if (!(rule.extensions as readonly string[]).includes(extension)) throw wechatError(40005);
      if (data.length === 0) throw wechatError(41005);
      if (data.length > rule.maxBytes) throw wechatError(40006);
      const mediaId = randomBytes(48).toString('base64url');
      await repository.insertMedia({
        mediaId,
        appId: appIdOf(owner),
        type: query.type,
        filename: file.filename,
        contentType: file.mimetype || 'application/octet-stream',
        data,
        createdAt: now,
        expiresAt: new Date(now.getTime() + MEDIA_LIMITS.lifetimeMs),
      });
      return { type: query.type, media_id: mediaId, created_at: Math.floor(now.getTime() / 1000) };
    },
    {
      multipart: true,
      check: ({ query }) => {
        if (!(temporaryMediaTypes as readonly string[]).includes(query.type ?? '')) throw wechatError(40004);
      },
    },
  );

  ctx.serveEndpoint(app, oaMediaGet, async ({ query, owner, now }) => {
    const media = await repository.findMedia(appIdOf(owner), query.media_id);
    if (!media || media.expiresAt <= now) throw wechatError(40007);
    if (media.type === 'video') return { video_url: `${base}/media-files/${encodeURIComponent(media.mediaId)}` };
    return new RawAnswer(media.data, media.contentType, { 'content-disposition': `attachment; filename="${media.filename.replace(/["\r\n]/g, '')}"` });
  });

  // Where a video's `video_url` points: WeChat serves it from a CDN without a token, so this route takes none.
  app.get('/sandbox/official-account/media-files/:mediaId', { schema: { hide: true } }, async (request, reply) => {
    const { mediaId } = request.params as { mediaId: string };
    const media = await repository.findMediaById(mediaId);
    if (!media || media.expiresAt <= ctx.clock.now()) return reply.status(404).send('');
    return reply.type(media.contentType).send(media.data);
  });

  ctx.serveEndpoint(
    app,
    oaQrCodeCreate,
    async ({ body, owner, now }) => {
      const permanent = body.action_name.startsWith('QR_LIMIT');
      const byString = body.action_name.endsWith('STR_SCENE');
      const { scene_id: sceneId, scene_str: sceneStr } = body.action_info.scene;
      if (byString) {
        if (typeof sceneStr !== 'string' || [...sceneStr].length < 1 || [...sceneStr].length > QR_LIMITS.sceneStrChars) throw wechatError(40053, 'scene_str');
      } else {
        const max = permanent ? QR_LIMITS.maxPermanentSceneId : QR_LIMITS.maxTemporarySceneId;
        if (sceneId === undefined || sceneId < 1 || sceneId > max) throw wechatError(40053, 'scene_id');
      }
      const expireSeconds = permanent ? null : Math.min(body.expire_seconds ?? QR_LIMITS.defaultExpireSeconds, QR_LIMITS.maxExpireSeconds);
      if (expireSeconds !== null && expireSeconds < 1) throw wechatError(40097, 'expire_seconds');
      const ticket = `gQ${randomBytes(40).toString('base64url')}`;
      await repository.insertQrCode({
        ticket,
        appId: appIdOf(owner),
        actionName: body.action_name,
        sceneId: byString ? null : (sceneId ?? null),
        sceneStr: byString ? (sceneStr ?? null) : null,
        expiresAt: expireSeconds === null ? null : new Date(now.getTime() + expireSeconds * 1000),
        createdAt: now,
      });
      const url = `http://weixin.qq.com/q/${ticket.slice(2, 26)}`;
      return expireSeconds === null ? { ticket, url } : { ticket, expire_seconds: expireSeconds, url };
    },
  );

  // mp.weixin.qq.com/cgi-bin/showqrcode: an image standing for the code (the sandbox's scans are driven by the control API, not cameras).
  app.get('/sandbox/official-account/cgi-bin/showqrcode', { schema: { hide: true } }, async (request, reply) => {
    const ticket = String((request.query as { ticket?: unknown }).ticket ?? '');
    const code = ticket ? await repository.findQrCode(ticket) : null;
    if (!code || (code.expiresAt && code.expiresAt <= ctx.clock.now())) return reply.status(404).send('');
    return reply.type('image/svg+xml').send(qrPlaceholderSvg(code.sceneStr ?? String(code.sceneId), ticket));
  });
}

/** A deterministic 21×21 pattern from the ticket with QR-style finder squares and the scene printed below. */
function qrPlaceholderSvg(scene: string, ticket: string): string {
  const bits = Buffer.from(ticket);
  const cells: string[] = [];
  const finder = (x: number, y: number) => x < 7 && y < 7;
  for (let y = 0; y < 21; y++) {
    for (let x = 0; x < 21; x++) {
      const inFinder = finder(x, y) || finder(20 - x, y) || finder(x, 20 - y);
      const on = inFinder
        ? (() => {
            const fx = x < 7 ? x : 20 - x;
            const fy = y < 7 ? y : 20 - y;
            return fx === 0 || fy === 0 || fx === 6 || fy === 6 || (fx >= 2 && fx <= 4 && fy >= 2 && fy <= 4);
          })()
        : ((bits[(x * 21 + y) % bits.length] ?? 0) >> ((x + y) % 7)) & 1;
      if (on) cells.push(`<rect x="${x * 10 + 20}" y="${y * 10 + 20}" width="10" height="10"/>`);
    }
  }
  const label = scene.replace(/[<>&"]/g, '');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="250" height="280" viewBox="0 0 250 280"><rect width="250" height="280" fill="#fff"/><g fill="#000">${cells.join('')}</g><text x="125" y="268" font-size="12" text-anchor="middle">sandbox scene ${label}</text></svg>`;
}
