import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Locale } from '../../../../common/errors';
import { addWayLabel } from './customer-rules';
import type { Customer, Follower } from './customers.schema';

interface Column {
  zh: string;
  en: string;
  width: number;
  value(customer: Customer, follower: Follower | null, locale: Locale): string;
}

const followStatus: Record<Follower['status'], { zh: string; en: string }> = {
  active: { zh: '跟进中', en: 'Following' },
  deleted_by_member: { zh: '成员已删除客户', en: 'Member deleted the customer' },
  deleted_by_customer: { zh: '客户已删除成员', en: 'Customer deleted the member' },
  ended: { zh: '已结束', en: 'Ended' },
};

const pick = (label: { zh: string; en: string }, locale: Locale) => (locale === 'en-US' ? label.en : label.zh);

/** The columns of the export, one row per customer and member (a customer without followers gets one row). */
const columns: Column[] = [
  { zh: '客户名称', en: 'Customer', width: 20, value: (c) => c.name },
  { zh: '外部联系人 ID', en: 'External userid', width: 34, value: (c) => c.externalUserId },
  { zh: '类型', en: 'Type', width: 10, value: (c, _f, l) => pick(c.type === 'wecom' ? { zh: '企业微信', en: 'WeCom' } : { zh: '微信', en: 'WeChat' }, l) },
  { zh: '企业', en: 'Company', width: 20, value: (c) => c.corpFullName ?? c.corpName ?? '' },
  { zh: '添加成员', en: 'Member', width: 16, value: (_c, f) => (f ? (f.memberName ? `${f.memberName} (${f.userid})` : f.userid) : '') },
  { zh: '备注', en: 'Remark', width: 16, value: (_c, f) => f?.remark ?? '' },
  { zh: '描述', en: 'Description', width: 30, value: (_c, f) => f?.description ?? '' },
  { zh: '备注手机号', en: 'Remark phones', width: 20, value: (_c, f) => f?.remarkMobiles.join('; ') ?? '' },
  { zh: '标签 ID', en: 'Tag ids', width: 24, value: (_c, f) => f?.tagIds.join('; ') ?? '' },
  { zh: '来源渠道', en: 'Channel (state)', width: 16, value: (_c, f) => f?.state ?? '' },
  { zh: '添加方式', en: 'Added by', width: 16, value: (_c, f, l) => (f ? addWayLabel(f.addWay, l) : '') },
  { zh: '添加时间', en: 'Added at', width: 22, value: (_c, f) => f?.addedAt ?? '' },
  { zh: '状态', en: 'Status', width: 18, value: (_c, f, l) => (f ? pick(followStatus[f.status], l) : '') },
  { zh: '结束时间', en: 'Ended at', width: 22, value: (_c, f) => f?.endedAt ?? '' },
  {
    zh: '授权记录',
    en: 'Consent',
    width: 30,
    value: (c) => (c.consent ? `${c.consent.givenAt} ${c.consent.source}${c.consent.note ? ` — ${c.consent.note}` : ''}` : ''),
  },
];

/** Streams the sheet row by row, so memory stays flat however many customers there are. Answers the row count. */
export async function writeCustomerRows(output: Writable, pages: AsyncIterable<Customer[]>, locale: Locale): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(locale === 'en-US' ? 'Customers' : '客户', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ width: c.width }));
  const header = sheet.addRow(columns.map((c) => (locale === 'en-US' ? c.en : c.zh)));
  header.font = { bold: true };
  header.commit();
  let count = 0;
  for await (const customers of pages) {
    for (const customer of customers) {
      const followers: (Follower | null)[] = customer.followers.length ? customer.followers : [null];
      for (const follower of followers) {
        sheet.addRow(columns.map((c) => c.value(customer, follower, locale))).commit();
        count += 1;
      }
    }
  }
  sheet.commit();
  await workbook.commit();
  return count;
}
