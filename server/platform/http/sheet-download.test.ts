import Fastify from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { attachment, sendSheet } from './sheet-download';

function appAnswering(write: (output: NodeJS.WritableStream) => Promise<void>) {
  const app = Fastify({ logger: false });
  app.get('/sheet', async (request, reply) => sendSheet(request, reply, { filename: '客户-2026-11-27.xlsx', write }));
  return app;
}

describe('sendSheet', () => {
  it('ends the answer only after write is done, not when the workbook closes its stream', async () => {
    const steps: string[] = [];
    const app = appAnswering(async (output) => {
      output.end('sheet bytes');
      await sleep(50);
      steps.push('audited');
    });
    const response = await app.inject({ method: 'GET', url: '/sheet' });
    steps.push('answered');
    expect(steps).toEqual(['audited', 'answered']);
    expect(response.body).toBe('sheet bytes');
    expect(response.headers['content-disposition']).toBe(attachment('客户-2026-11-27.xlsx'));
    await app.close();
  });

  it('breaks the download when write fails after the last byte', async () => {
    const app = appAnswering(async (output) => {
      output.end('sheet bytes');
      await sleep(10);
      throw new Error('the audit record could not be written');
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    const outcome = await fetch(`http://127.0.0.1:${port}/sheet`).then(
      (response) => response.text().then(() => 'complete'),
      () => 'broken',
    ).catch(() => 'broken');
    expect(outcome).toBe('broken');
    await app.close();
  });
});
