import { AppError, renderErrorMessage, type ErrorCode, type Locale } from '../../../../common/errors';
import type { Page } from '../../../../common/paging';
import type { AuditRecorder } from '../../../platform/audit';
import type { Clock } from '../../../platform/clock';
import { collectGarbage } from '../../../platform/memory-tuning';
import type { SheetDownload } from '../../../platform/http/sheet-download';
import type { RequestContext } from '../../../platform/http/principal';
import type { JobContext, JobQueue, JobRowError, JobRun } from '../../../platform/queue/job-queue';
import type { DepartmentNode, DirectoryReach } from '../departments';
import { columnLabel, type MemberColumnKey } from './member-columns';
import {
  checkImportRows,
  departmentPathIndex,
  type DirectoryMemberInput,
  type ExistingMember,
  type ImportCheckInputs,
} from './member-import-check';
import type { MemberImportRepository } from './member-import.repository';
import { memberImportKind, type ExportQuery, type ImportQuery, type MemberImportResult } from './member-import.schema';
import type { StoredRowProblem } from './member-import.tables';
import { parseMemberRow, type RowProblem } from './member-rows';
import { readMemberSheet } from './member-sheet-reader';
import { writeAnnotatedCopy, writeMemberRows, type MemberSheetValues } from './member-sheet-writer';
import { writeMemberTemplate } from './member-template';

type UpsertOutcome = { created: number; updated: number; unchanged: number; departmentsCreated: number };

/** What the import needs of the WeCom directory (the departments and members modules). */
export interface MemberImportDirectory {
  requireCorp(accountId: string): Promise<{ id: string; name: string }>;
  /** Live departments, the root included. */
  departments(accountId: string): Promise<DepartmentNode[]>;
  reach(actor: RequestContext | null, accountId: string): Promise<DirectoryReach>;
  /** The live members with these userids (ignoring case), with their departments, and the live holders of these mobiles and emails. */
  membersTouchedBy(
    accountId: string,
    keys: { userids: readonly string[]; mobiles: readonly string[]; emails: readonly string[] },
  ): Promise<{ members: ExistingMember[]; contactOwners: ImportCheckInputs['contactOwners'] }>;
  checkMember: ImportCheckInputs['checkMember'];
  /** Idempotent by userid (ignoring case); one transaction per call. */
  upsertMembers(
    actor: RequestContext,
    accountId: string,
    inputs: DirectoryMemberInput[],
    options: {
      createMissingDepartments: boolean;
      /** Runs in the batch's transaction: the checkpoint commits with the members it counts. */
      alongside?: (tx: unknown, outcome: UpsertOutcome) => Promise<void>;
    },
  ): Promise<UpsertOutcome>;
  /** The member list with its filters and the caller's reach applied. */
  listMembers(actor: RequestContext, accountId: string, query: ExportQuery & { cursor?: string; limit: number }): Promise<Page<ExistingMember>>;
}

export interface MemberImportServiceDeps {
  repository: MemberImportRepository;
  directory: MemberImportDirectory;
  queue: JobQueue;
  audit: AuditRecorder;
  clock: Clock;
}

/** What the job needs to run without the request: the file is in the database, the rest is here. */
interface ImportJobInput extends Record<string, unknown> {
  importId: string;
  accountId: string;
  dryRun: boolean;
  onError: 'abort' | 'skip';
  createMissingDepartments: boolean;
  locale: Locale;
  context: RequestContext;
}

interface ImportCheckpoint {
  /** Good rows already handed to the directory. */
  written: number;
  created: number;
  updated: number;
  unchanged: number;
  departmentsCreated: number;
}


const batchSize = 1000;
/** A full collection every this many batches (and once after the check) bounds a large import's memory; see collectGarbage. */
const batchesPerCollection = 5;
const exportPageSize = 500;
const uploadsKeptDays = 7;

export function renderRowProblem(problem: Pick<StoredRowProblem, 'code' | 'column' | 'details'>, locale: Locale): string {
  const column = columnLabel(problem.column as MemberColumnKey, locale);
  return renderErrorMessage(problem.code as ErrorCode, locale, { field: column, ...problem.details, column });
}

function toJobError(problem: RowProblem, locale: Locale): JobRowError {
  return { row: problem.row, column: columnLabel(problem.column, locale), code: problem.code, message: renderRowProblem(problem, locale) };
}

function reaches(reach: DirectoryReach): (departmentId: number) => boolean {
  return reach.kind === 'all' ? () => true : (id) => reach.departmentIds.has(id);
}

/** A member as a sheet row: the template's columns, departments as paths, leader flags per department. */
export function memberToSheetValues(member: ExistingMember, paths: ReadonlyMap<number, string>): MemberSheetValues {
  const pathOf = (id: number) => paths.get(id) ?? String(id);
  const leaders = member.departments.map((d) => (d.isLeader ? '是' : '否'));
  const values: MemberSheetValues = {
    name: member.name,
    userid: member.userid,
    departments: member.departments.map((d) => pathOf(d.departmentId)).join(';'),
    mainDepartment: pathOf(member.mainDepartmentId),
    isLeader: leaders.every((l) => l === leaders[0]) ? leaders[0] : leaders.join(';'),
  };
  if (member.mobile) values.mobile = member.mobile;
  if (member.email) values.email = member.email;
  if (member.position) values.position = member.position;
  if (member.gender !== 'unknown') values.gender = member.gender === 'male' ? '男' : '女';
  if (member.telephone) values.telephone = member.telephone;
  if (member.alias) values.alias = member.alias;
  return values;
}

export function createMemberImportService(deps: MemberImportServiceDeps) {
  const { repository, directory } = deps;

  async function visiblePaths(context: RequestContext, accountId: string): Promise<string[]> {
    const departments = await directory.departments(accountId);
    const reach = reaches(await directory.reach(context, accountId));
    const { paths } = departmentPathIndex(departments);
    return departments
      .filter((d) => d.parentId !== 0 && reach(d.id))
      .map((d) => paths.get(d.id)!)
      .sort((a, b) => a.localeCompare(b, 'zh-CN'));
  }

  /**
   * Reads the stored upload and checks every row. Only the outcome leaves this function: the file, its
   * rows and the corp's current members are garbage by the time the writing starts, so a 50,000-row
   * import does not carry them through every batch.
   */
  async function checkUpload(input: ImportJobInput): Promise<{ upload: { id: string; filename: string }; total: number; check: ReturnType<typeof checkImportRows> }> {
    const upload = await repository.find(input.importId);
    if (!upload) throw new AppError('MEMBER_IMPORT_UPLOAD_GONE', { jobId: input.importId, days: uploadsKeptDays });
    const sheet = await readMemberSheet(upload.content, upload.filename);
    const sheetProblems: RowProblem[] = [];
    const rows = sheet.rows.map((sheetRow) => {
      const { parsed, problems } = parseMemberRow(sheetRow);
      sheetProblems.push(...problems);
      return parsed;
    });
    const keys = { userids: [] as string[], mobiles: [] as string[], emails: [] as string[] };
    for (const { input } of rows) {
      if (input.userid) keys.userids.push(input.userid);
      if (input.mobile) keys.mobiles.push(input.mobile);
      if (input.email) keys.emails.push(input.email);
    }
    const [departments, touched, reach] = await Promise.all([
      directory.departments(input.accountId),
      directory.membersTouchedBy(input.accountId, keys),
      directory.reach(input.context, input.accountId),
    ]);
    const existing = new Map(touched.members.map((m) => [m.userid.toLowerCase(), m]));
    const check = checkImportRows({
      rows,
      sheetProblems,
      departments,
      existing,
      contactOwners: touched.contactOwners,
      createMissingDepartments: input.createMissingDepartments,
      reaches: reaches(reach),
      checkMember: directory.checkMember,
    });
    return { upload: { id: upload.id, filename: upload.filename }, total: rows.length, check };
  }

  /** The job: check every row, then (unless a dry run or refused) write the good ones in batches from the checkpoint. */
  async function runImport(job: JobContext<ImportJobInput, ImportCheckpoint>): Promise<MemberImportResult> {
    const input = job.input;
    const { upload, total, check } = await checkUpload(input);
    const large = total >= batchSize * batchesPerCollection;
    if (large) collectGarbage();
    await job.setTotal(total);
    const count = (effect: 'create' | 'update' | 'unchanged') => check.good.filter((r) => r.effect === effect).length;
    const base = { dryRun: input.dryRun, rows: total, validRows: check.good.length, invalidRows: check.invalidRows };

    let checkpoint = job.checkpoint;
    if (!checkpoint) {
      await repository.saveProblems(upload.id, check.problems, deps.clock.now());
      checkpoint = { written: 0, created: 0, updated: 0, unchanged: 0, departmentsCreated: 0 };
      const errors = check.problems.map((p) => toJobError(p, input.locale));
      await job.progress({ done: input.dryRun ? total : 0, errors, checkpoint });
    }
    if (input.dryRun) {
      return { ...base, created: count('create'), updated: count('update'), unchanged: count('unchanged'), skipped: 0, departmentsCreated: 0 };
    }
    if (check.invalidRows > 0 && input.onError === 'abort') {
      throw new AppError('MEMBER_IMPORT_ROWS_INVALID', { count: check.invalidRows });
    }

    for (let start = checkpoint.written; start < check.good.length; start += batchSize) {
      job.signal.throwIfAborted();
      const batch = check.good.slice(start, start + batchSize);
      const before: ImportCheckpoint = checkpoint;
      let after: ImportCheckpoint = before;
      // The checkpoint commits in the batch's own transaction: a process killed at any point
      // leaves both or neither, so the resumed run neither repeats nor miscounts a batch.
      await directory.upsertMembers(
        input.context,
        input.accountId,
        batch.map((r) => r.input),
        {
          createMissingDepartments: input.createMissingDepartments,
          alongside: async (tx, outcome) => {
            after = {
              written: start + batch.length,
              created: before.created + outcome.created,
              updated: before.updated + outcome.updated,
              unchanged: before.unchanged + outcome.unchanged,
              departmentsCreated: before.departmentsCreated + outcome.departmentsCreated,
            };
            // Bad rows count as done too: the bar reaches the end when every row was handled.
            await job.progress({ done: Math.min(total, after.written + check.invalidRows), checkpoint: after }, tx);
          },
        },
      );
      checkpoint = after;
      if (large && (start / batchSize) % batchesPerCollection === batchesPerCollection - 1) collectGarbage();
    }
    const result: MemberImportResult = {
      ...base,
      created: checkpoint.created,
      updated: checkpoint.updated,
      unchanged: checkpoint.unchanged,
      skipped: check.invalidRows,
      departmentsCreated: checkpoint.departmentsCreated,
    };
    await job.progress({ done: total, checkpoint });
    await deps.audit.record(input.context, {
      action: 'wecom.members.import',
      targetType: 'wecom_account',
      targetId: input.accountId,
      summary: { jobId: job.jobId, filename: upload.filename, onError: input.onError, createMissingDepartments: input.createMissingDepartments, ...result },
    });
    return result;
  }

  deps.queue.register<ImportJobInput, ImportCheckpoint>(memberImportKind, async (job) => ({ ...(await runImport(job)) }), {
    retryLimit: 3,
    retryDelaySeconds: 2,
  });

  return {
    async template(context: RequestContext, accountId: string, locale: Locale): Promise<Buffer> {
      await directory.requireCorp(accountId);
      return writeMemberTemplate(await visiblePaths(context, accountId), locale);
    },

    /** Refuses a bad file at once (4xx); otherwise stores it and starts the job. */
    async startImport(context: RequestContext, accountId: string, file: { filename: string; content: Buffer }, query: ImportQuery, locale: Locale): Promise<JobRun> {
      await directory.requireCorp(accountId);
      // The whole file is checked here so a bad one is refused at once; its rows are the job's to keep.
      const sheet = await readMemberSheet(file.content, file.filename, { countOnly: true });
      const now = deps.clock.now();
      await repository.deleteCreatedBefore(new Date(now.getTime() - uploadsKeptDays * 24 * 3600 * 1000));
      const importId = await repository.insert({ accountId, filename: file.filename, content: file.content, createdBy: context.principal?.userId ?? null, createdAt: now });
      // The job acts as the uploader; session secrets stay out of the stored job input.
      const principal = context.principal ? { ...context.principal, csrfToken: undefined, sessionId: undefined } : null;
      const input: ImportJobInput = { importId, accountId, ...query, locale, context: { ...context, principal } };
      const job = await deps.queue.enqueue(memberImportKind, input, { createdBy: context.principal?.userId, accountId, total: sheet.rowCount });
      await repository.setJob(importId, job.id);
      return job;
    },

    /** The uploaded sheet with an Errors column and the bad cells filled, in the reader's language. */
    async annotated(context: RequestContext, accountId: string, jobId: string, locale: Locale): Promise<SheetDownload> {
      const job = await deps.queue.get(jobId).catch(() => null);
      const principal = context.principal;
      const maySee = job && job.kind === memberImportKind && (principal?.role === 'super_admin' || job.createdBy === principal?.userId);
      if (!maySee) throw new AppError('MEMBER_IMPORT_NOT_FOUND', { jobId });
      const upload = await repository.findByJob(accountId, jobId);
      if (!upload) throw new AppError('MEMBER_IMPORT_UPLOAD_GONE', { jobId, days: uploadsKeptDays });
      if (!upload.checkedAt || !upload.rowProblems) throw new AppError('MEMBER_IMPORT_NOT_CHECKED_YET', { jobId });
      const problems = upload.rowProblems;
      const filename = upload.filename.replace(/\.xlsx$/i, '') + (locale === 'en-US' ? '-errors.xlsx' : '-错误标注.xlsx');
      return {
        filename,
        write: async (output) => {
          const sheet = await readMemberSheet(upload.content, upload.filename);
          const byRow = new Map<number, StoredRowProblem[]>();
          for (const p of problems) byRow.set(p.row, [...(byRow.get(p.row) ?? []), p]);
          const rows = sheet.rows.map((r) => ({
            row: r.row,
            values: r.values,
            errors: (byRow.get(r.row) ?? []).map((p) => ({ column: p.column as MemberColumnKey, message: renderRowProblem(p, locale) })),
          }));
          await writeAnnotatedCopy(output, sheet.header, rows, locale);
        },
      };
    },

    /**
     * The filtered list in the template's columns, streamed page by page. The
     * first page is read before anything is sent, so a refused filter still
     * answers with an error; the audit entry records filters and row count.
     */
    async exportMembers(context: RequestContext, accountId: string, query: ExportQuery, locale: Locale): Promise<SheetDownload> {
      await directory.requireCorp(accountId);
      const { paths } = departmentPathIndex(await directory.departments(accountId));
      const first = await directory.listMembers(context, accountId, { ...query, limit: exportPageSize });
      async function* pages(): AsyncIterable<MemberSheetValues[]> {
        let page = first;
        for (;;) {
          yield page.items.map((m) => memberToSheetValues(m, paths));
          if (!page.nextCursor) return;
          page = await directory.listMembers(context, accountId, { ...query, cursor: page.nextCursor, limit: exportPageSize });
        }
      }
      const day = deps.clock.now().toISOString().slice(0, 10);
      return {
        filename: `${locale === 'en-US' ? 'members' : '成员'}-${day}.xlsx`,
        write: async (output) => {
          const rows = await writeMemberRows(output, pages());
          await deps.audit.record(context, {
            action: 'wecom.members.export',
            targetType: 'wecom_account',
            targetId: accountId,
            summary: { filters: query, rows },
          });
        },
      };
    },
  };
}

export type MemberImportService = ReturnType<typeof createMemberImportService>;
