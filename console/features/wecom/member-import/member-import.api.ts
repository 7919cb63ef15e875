import type { MemberImportResult } from '../../../../server/modules/wecom/member-import/member-import.schema';
import type { JobRunView } from '../../../../server/modules/system/jobs/jobs.schema';
import { ApiError, withQuery, type QueryValue } from '../../../app/api-client';
import { currentLanguage } from '../../../app/i18n';

export type { MemberImportResult };

export interface ImportOptions {
  dryRun: boolean;
  onError: 'abort' | 'skip';
  createMissingDepartments: boolean;
}

const base = (accountId: string) => `/api/v1/wecom/${encodeURIComponent(accountId)}/members`;

async function failure(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as { code?: string; message?: string } | null;
  if (body && typeof body.code === 'string' && typeof body.message === 'string') return new ApiError(response.status, body as { code: string; message: string });
  return new ApiError(response.status, { code: `HTTP_${response.status}`, message: response.statusText || `HTTP ${response.status}` });
}

/** The name the server offers in Content-Disposition (its UTF-8 form first). */
function offeredName(response: Response, fallback: string): string {
  const header = response.headers.get('content-disposition') ?? '';
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (utf8?.[1]) return decodeURIComponent(utf8[1]);
  const plain = /filename="([^"]+)"/i.exec(header);
  return plain?.[1] ?? fallback;
}

/** Fetches a file with the console's language (instructions and error texts follow it) and hands it to the browser. */
async function download(path: string, fallback: string, query?: Record<string, QueryValue>): Promise<void> {
  const response = await fetch(withQuery(path, query), { headers: { 'accept-language': currentLanguage() }, credentials: 'same-origin' });
  if (!response.ok) throw await failure(response);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = offeredName(response, fallback);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const memberImportApi = {
  downloadTemplate: (accountId: string) => download(`${base(accountId)}/import-template.xlsx`, 'member-import-template.xlsx'),
  downloadAnnotated: (accountId: string, jobId: string) => download(`${base(accountId)}/import/${encodeURIComponent(jobId)}/annotated.xlsx`, 'members-errors.xlsx'),
  exportMembers: (accountId: string, filters: Record<string, QueryValue> = {}) => download(`${base(accountId)}/export.xlsx`, 'members.xlsx', filters),

  /** Uploads the sheet; the answer is the job (202), or a 4xx for a file that is not a usable xlsx. */
  async start(accountId: string, file: File, options: ImportOptions, csrfToken: string | undefined): Promise<JobRunView> {
    const form = new FormData();
    form.append('file', file, file.name);
    const headers: Record<string, string> = { accept: 'application/json', 'accept-language': currentLanguage() };
    if (csrfToken) headers['x-csrf-token'] = csrfToken;
    const response = await fetch(withQuery(`${base(accountId)}/import`, { ...options }), { method: 'POST', body: form, headers, credentials: 'same-origin' });
    if (!response.ok) throw await failure(response);
    return (await response.json()) as JobRunView;
  },
};

export function importResultOf(job: JobRunView | undefined): MemberImportResult | null {
  const result = job?.result;
  if (!result || typeof result.rows !== 'number') return null;
  return result as unknown as MemberImportResult;
}
