import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../../../common/errors';
import { attachment, sendSheet, xlsxType } from '../../../platform/http/sheet-download';
import { localeFromAcceptLanguage } from '../../../platform/i18n/locale';
import { contextOf } from '../../system';
import { jobRunSchema } from '../../system/jobs/jobs.schema';
import { accountParamsSchema, exportQuerySchema, importJobParamsSchema, importQuerySchema } from './member-import.schema';
import type { MemberImportService } from './member-import.service';

const tags = ['wecom-members'];

async function uploadedFile(request: FastifyRequest, limitBytes: number): Promise<{ filename: string; content: Buffer }> {
  if (!request.isMultipart()) throw new AppError('MEMBER_IMPORT_FILE_MISSING');
  let part;
  try {
    part = await request.file({ limits: { fileSize: limitBytes, files: 1 } });
  } catch {
    throw new AppError('MEMBER_IMPORT_FILE_MISSING');
  }
  if (!part || part.fieldname !== 'file') throw new AppError('MEMBER_IMPORT_FILE_MISSING');
  try {
    const content = await part.toBuffer();
    return { filename: part.filename || 'members.xlsx', content };
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('MEMBER_IMPORT_FILE_TOO_LARGE', { limitBytes });
    throw error;
  }
}

/** `/api/v1/wecom/{accountId}/members/...`: the Excel template, imports (jobs) and exports. */
export function memberImportRoutes(service: MemberImportService, options: { uploadLimitBytes: number }): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(multipart, { limits: { fileSize: options.uploadLimitBytes, files: 1, fields: 10 } });

    app.get(
      '/api/v1/wecom/:accountId/members/import-template.xlsx',
      {
        config: { access: 'wecom.directory.read' },
        schema: {
          tags,
          summary: 'Download the member import template (.xlsx)',
          description:
            'First sheet: the header row (姓名, 账号, 手机, 邮箱, 部门, 职务, …). An instructions sheet explains every column with examples ' +
            '(never imported); the 部门 columns offer the departments the caller manages as a drop-down.',
          params: accountParamsSchema,
        },
      },
      async (request, reply) => {
        const locale = localeFromAcceptLanguage(request.headers['accept-language']);
        const file = await service.template(contextOf(request), request.params.accountId, locale);
        const name = locale === 'en-US' ? 'member-import-template.xlsx' : '成员导入模板.xlsx';
        return reply.header('content-type', xlsxType).header('content-disposition', attachment(name)).send(file);
      },
    );

    app.post(
      '/api/v1/wecom/:accountId/members/import',
      {
        config: { access: 'wecom.directory.write' },
        schema: {
          tags,
          summary: 'Import members from an .xlsx file (multipart field `file`) as a job',
          description:
            'A file that is not an xlsx, is empty, has wrong headers or more than 100,000 rows is refused at once. Otherwise the ' +
            'answer is 202 with the job; its `errors` list `{row, column, code, message}` for every bad row. `dryRun=true` writes ' +
            'nothing; with bad rows `onError=abort` (default) writes nothing and `onError=skip` writes the good rows. Importing the ' +
            'same file again changes nothing.',
          params: accountParamsSchema,
          querystring: importQuerySchema,
          response: { 202: jobRunSchema },
        },
      },
      async (request, reply) => {
        const locale = localeFromAcceptLanguage(request.headers['accept-language']);
        const file = await uploadedFile(request, options.uploadLimitBytes);
        const job = await service.startImport(contextOf(request), request.params.accountId, file, request.query, locale);
        return reply.status(202).send(job);
      },
    );

    app.get(
      '/api/v1/wecom/:accountId/members/import/:jobId/annotated.xlsx',
      {
        config: { access: 'wecom.directory.write' },
        schema: {
          tags,
          summary: 'Download the uploaded file annotated with its row errors',
          description: 'The same rows at the same row numbers, with an 错误/Errors column and the bad cells filled red; fix it and upload it again.',
          params: importJobParamsSchema,
        },
      },
      async (request, reply) => {
        const locale = localeFromAcceptLanguage(request.headers['accept-language']);
        return sendSheet(request, reply, await service.annotated(contextOf(request), request.params.accountId, request.params.jobId, locale));
      },
    );

    app.get(
      '/api/v1/wecom/:accountId/members/export.xlsx',
      {
        config: { access: 'wecom.directory.export' },
        schema: {
          tags,
          summary: 'Export the filtered member list (.xlsx, the template\'s columns)',
          description: 'Takes the member list\'s filters; a dept_admin gets the members of its departments only. Audited with the filters and row count.',
          params: accountParamsSchema,
          querystring: exportQuerySchema,
        },
      },
      async (request, reply) => {
        const locale = localeFromAcceptLanguage(request.headers['accept-language']);
        return sendSheet(request, reply, await service.exportMembers(contextOf(request), request.params.accountId, request.query, locale));
      },
    );
  };
}
