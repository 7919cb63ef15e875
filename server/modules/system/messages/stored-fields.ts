/**
 * A logged push's fields are stored without what the row's own columns already hold: the product
 * (the type's prefix), the type, the sender, the creation time, and the text content (the search
 * column holds it in full up to its 4,000 characters). A text message's content was otherwise written
 * twice, and the bytes of each row are most of what a busy callback server sends its database.
 * Reading puts them back, so every reader sees the fields as parsed; rows stored whole before stay as
 * they are.
 */

/** The columns a logged push's fields are completed from. */
export interface FieldColumns {
  type: string;
  fromUser: string;
  createTime: Date;
  content: string | null;
}

/** What the log's search column holds for a push: a text message's content, or a click's key (first 4,000 characters). */
export function searchableContent(fields: Record<string, unknown>): string | null {
  const value = fields.content ?? fields.eventKey ?? null;
  return typeof value === 'string' ? value.slice(0, 4000) : null;
}

function productOf(type: string): string {
  return type.slice(0, type.indexOf('.'));
}

/** The fields to store: `fields` without the values its columns repeat exactly. */
export function compactFields(fields: Record<string, unknown>, columns: FieldColumns): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in fields) {
    const value = fields[key];
    if (key === 'product' && value === productOf(columns.type)) continue;
    if (key === 'type' && value === columns.type) continue;
    if (key === 'fromUserName' && value === columns.fromUser) continue;
    if (key === 'createTimeS' && typeof value === 'number' && value * 1000 === columns.createTime.getTime()) continue;
    // The search column holds a click's key when there is no content: a content equal to the key stays, so reading can tell them apart.
    if (key === 'content' && value === columns.content && fields.eventKey !== value) continue;
    out[key] = value;
  }
  return out;
}

/** The fields as parsed, from what `compactFields` stored (or from a row stored whole), in the order a push reads. */
export function fullFields(stored: Record<string, unknown>, columns: FieldColumns): Record<string, unknown> {
  const out: Record<string, unknown> = { product: productOf(columns.type), type: columns.type };
  if ('toUserName' in stored) out.toUserName = stored.toUserName;
  out.fromUserName = columns.fromUser;
  out.createTimeS = Math.floor(columns.createTime.getTime() / 1000);
  if (!('content' in stored) && columns.content !== null && stored.eventKey !== columns.content && !('raw' in stored)) {
    out.content = columns.content;
  }
  return Object.assign(out, stored);
}
