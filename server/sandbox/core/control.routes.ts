import { z } from 'zod';
import { text } from '../../../common/text';
import type { App } from '../../platform/http/create-server';
import { createCoreRepository } from './core.repository';
import type { SandboxContext } from './context';

const product = z.enum(['official-account', 'wecom']);

export const faultSchema = z.strictObject({
  product,
  path: text(200, 1),
  errcode: z.number().int().optional(),
  delayMs: z.number().int().min(0).max(60_000).optional(),
  delivery: z.enum(['timeout', 'duplicate']).optional(),
  count: z.number().int().min(1).max(10_000),
});

const deliverySchema = z.object({
  id: z.number(),
  product: z.string(),
  ownerKey: z.string(),
  target: z.string(),
  event: z.string(),
  url: z.string(),
  attempts: z.number(),
  status: z.string(),
  latencyMs: z.number(),
  httpStatus: z.number().nullable(),
  error: z.string().nullable(),
  message: z.string(),
  answer: z.string().nullable(),
  createdAt: z.string(),
});

const quotaSchema = z.strictObject({
  product,
  ownerKey: text(200, 1),
  path: text(200, 1),
  dailyLimit: z.number().int().min(0).nullable(),
});

const tags = ['sandbox'];
const access = { access: 'sandbox.control' as const };

/** Control routes every product shares: faults, daily quota limits and the live delivery feed. */
export async function coreControlRoutes(app: App, ctx: SandboxContext): Promise<void> {
  const repository = createCoreRepository(ctx.db);

  app.post('/sandbox/control/faults', {
    config: access,
    schema: {
      tags,
      summary: 'Arm a fault: the next calls of a path fail with an errcode or lag; path `callback` makes deliveries time out or arrive twice',
      body: faultSchema,
      response: { 201: z.object({ faults: z.array(faultSchema) }) },
    },
    handler: async (request, reply) => {
      const body = request.body;
      ctx.faults.arm({
        product: body.product,
        path: body.path,
        count: body.count,
        ...(body.errcode === undefined ? {} : { errcode: body.errcode }),
        ...(body.delayMs === undefined ? {} : { delayMs: body.delayMs }),
        ...(body.delivery === undefined ? {} : { delivery: body.delivery }),
      });
      return reply.status(201).send({ faults: ctx.faults.list() });
    },
  });

  app.get('/sandbox/control/faults', {
    config: access,
    schema: { tags, summary: 'List armed faults', response: { 200: z.object({ faults: z.array(faultSchema) }) } },
    handler: async () => ({ faults: ctx.faults.list() }),
  });

  app.delete('/sandbox/control/faults', {
    config: access,
    schema: { tags, summary: 'Disarm every fault', response: { 204: z.null() } },
    handler: async (_request, reply) => {
      ctx.faults.clear();
      return reply.status(204).send(null);
    },
  });

  app.put('/sandbox/control/quotas', {
    config: access,
    schema: {
      tags,
      summary: "Set one owner's daily quota for an API path (null restores WeChat's default)",
      body: quotaSchema,
      response: { 200: quotaSchema },
    },
    handler: async (request) => {
      const { dailyLimit, ...key } = request.body;
      await ctx.quotas.setLimit(key, dailyLimit);
      return request.body;
    },
  });

  app.get('/sandbox/control/deliveries', {
    config: access,
    schema: {
      tags,
      summary: 'The live feed of callback deliveries, newest first',
      querystring: z.strictObject({
        product: product.optional(),
        ownerKey: text(200).optional(),
        cursor: z.coerce.number().int().positive().optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
      response: { 200: z.object({ items: z.array(deliverySchema), nextCursor: z.string().nullable() }) },
    },
    handler: async (request) => {
      const { product: p, ownerKey, cursor, limit } = request.query;
      const rows = await repository.listDeliveries({
        limit: limit + 1,
        ...(p ? { product: p } : {}),
        ...(ownerKey ? { ownerKey } : {}),
        ...(cursor ? { beforeId: cursor } : {}),
      });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() })),
        nextCursor: rows.length > limit && last ? String(last.id) : null,
      };
    },
  });
}
