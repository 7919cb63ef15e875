/** What a received message shows: its text, its articles' titles, or just its kind (media). */
export type InboxView =
  | { kind: 'text'; text: string; attachments?: number }
  | { kind: 'articles'; titles: string[] }
  | { kind: 'media'; msgType: string };

type Dict = Record<string, unknown>;

const isDict = (value: unknown): value is Dict => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function listOf(value: unknown): Dict[] {
  if (Array.isArray(value)) return value.filter(isDict);
  return isDict(value) ? [value] : [];
}

/**
 * Reads one inbox entry whatever its origin: a passive reply in XML field names
 * (`Content`, `Articles.item[].Title`), or an API message in JSON ones
 * (`text.content`, `news.articles[].title`) as customer-service, mass and WeCom
 * messages carry them.
 */
export function viewInbox(msgType: string, content: unknown): InboxView {
  const record = isDict(content) ? content : {};
  const type = str(record.msgtype) ?? str(record.MsgType) ?? msgType;
  const direct = str(record.Content) ?? str(record.content);
  if (direct) return { kind: 'text', text: direct };
  // A WeCom welcome message: optional text plus attachments (images, links, mini programs).
  if (Array.isArray(record.attachments)) {
    const text = isDict(record.text) ? str(record.text.content) : null;
    return { kind: 'text', text: text ?? '', attachments: record.attachments.length };
  }
  const inner = record[type];
  if (isDict(inner)) {
    const text = str(inner.content);
    if (text) return { kind: 'text', text };
    const articles = listOf(inner.articles).map((a) => str(a.title)).filter((t): t is string => t !== null);
    if (articles.length > 0) return { kind: 'articles', titles: articles };
    const title = str(inner.title);
    if (title) return { kind: 'articles', titles: [title] };
  }
  if (isDict(record.Articles)) {
    const titles = listOf(record.Articles.item).map((a) => str(a.Title)).filter((t): t is string => t !== null);
    if (titles.length > 0) return { kind: 'articles', titles };
  }
  return { kind: 'media', msgType: type };
}

/** One element a line, so a pushed XML message or an XML answer reads at a glance; other text is left alone. */
export function lineUpXml(value: string): string {
  return value.trim().startsWith('<') ? value.replace(/>\s*<(?![/!])/g, '>\n<') : value;
}
