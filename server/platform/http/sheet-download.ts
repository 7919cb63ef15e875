import { PassThrough, type Writable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** An .xlsx answer written as it is read: `write` fills the stream and finishes what goes with it (row counts, the audit record). */
export interface SheetDownload {
  filename: string;
  write(output: Writable): Promise<void>;
}

export const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** RFC 6266: an ASCII fallback and the UTF-8 name, for names such as 「客户-2026-11-26.xlsx」. */
export function attachment(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/**
 * Streams the sheet, and ends the answer only once `write` is done, not when the workbook closes its
 * stream: an audited export is recorded before its download completes, and a failure after the last
 * row (the audit record could not be written) breaks the download instead of passing unnoticed.
 */
export function sendSheet(request: FastifyRequest, reply: FastifyReply, download: SheetDownload): FastifyReply {
  const body = new PassThrough();
  const workbook = new PassThrough();
  workbook.pipe(body, { end: false });
  const drained = new Promise<void>((resolve, reject) => {
    workbook.once('end', resolve);
    workbook.once('error', reject);
  });
  Promise.all([download.write(workbook), drained])
    .then(() => body.end())
    .catch((error: unknown) => {
      request.log.error({ err: error }, 'writing the xlsx answer failed');
      body.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  return reply.header('content-type', xlsxType).header('content-disposition', attachment(download.filename)).send(body);
}
