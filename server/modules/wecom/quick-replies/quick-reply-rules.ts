/**
 * Variables a quick reply may hold, written `{客户昵称}`. They are filled when a
 * client asks for the reply rendered for a customer and member.
 */
export const quickReplyVariables = {
  客户昵称: { source: 'customer', en: 'Customer’s WeChat name' },
  客户备注: { source: 'customer', en: 'The member’s remark for the customer (the WeChat name when none)' },
  成员姓名: { source: 'member', en: 'The member’s name' },
  企业名称: { source: 'corp', en: 'The corp’s name in Qiao' },
} as const;
export type QuickReplyVariable = keyof typeof quickReplyVariables;

/**
 * What WeCom accepts in one message (sendChatMessage, welcome messages):
 * text 4000 bytes; link title 128, description 512, URL 2048; mini-program title 64.
 */
export const quickReplyLimits = {
  textBytes: 4000,
  linkTitleBytes: 128,
  linkDescBytes: 512,
  urlBytes: 2048,
  miniprogramTitleBytes: 64,
  miniprogramPageBytes: 1024,
  titleChars: 100,
} as const;

export type QuickReplyType = 'text' | 'image' | 'link' | 'miniprogram';

export interface QuickReplyBody {
  text?: string;
  title?: string;
  description?: string;
  url?: string;
  picUrl?: string;
  appid?: string;
  page?: string;
}

export interface Problem {
  code: 'QUICK_REPLY_UNKNOWN_VARIABLE' | 'QUICK_REPLY_TOO_LONG' | 'QUICK_REPLY_URL_INVALID' | 'QUICK_REPLY_FIELD_REQUIRED';
  details: Record<string, unknown>;
}

const variablePattern = /\{([^{}\s]{1,20})\}/g;

/** The `{…}` names a template uses, in order of appearance, each once. */
export function variablesIn(template: string): string[] {
  return [...new Set([...template.matchAll(variablePattern)].map((m) => m[1]!))];
}

const known = Object.keys(quickReplyVariables) as QuickReplyVariable[];
const isKnown = (name: string): name is QuickReplyVariable => (known as string[]).includes(name);

/** Replaces known variables; anything else in braces stays as written. */
export function fill(template: string, values: Partial<Record<QuickReplyVariable, string>>): string {
  return template.replace(variablePattern, (whole, name: string) => (isKnown(name) && values[name] !== undefined ? values[name]! : whole));
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const isHttpUrl = (s: string) => /^https?:\/\/[^\s/?#]+[^\s]*$/i.test(s);

/** The fields that may hold variables, per type. */
export function templatedFields(type: QuickReplyType): (keyof QuickReplyBody)[] {
  if (type === 'text') return ['text'];
  if (type === 'link') return ['title', 'description'];
  if (type === 'miniprogram') return ['title'];
  return [];
}

/**
 * WeCom's limits on a reply (a template, or one already rendered): required
 * fields, byte lengths, URLs, and that every `{…}` is a known variable.
 */
export function checkQuickReply(type: QuickReplyType, body: QuickReplyBody, options: { rendered?: boolean } = {}): Problem[] {
  const problems: Problem[] = [];
  const need = (field: keyof QuickReplyBody) => {
    if (!body[field]?.trim()) problems.push({ code: 'QUICK_REPLY_FIELD_REQUIRED', details: { type, field } });
  };
  const max = (field: keyof QuickReplyBody, limit: number) => {
    const value = body[field];
    if (value !== undefined && bytes(value) > limit) problems.push({ code: 'QUICK_REPLY_TOO_LONG', details: { field, bytes: bytes(value), max: limit } });
  };
  const url = (field: keyof QuickReplyBody) => {
    const value = body[field];
    if (value === undefined || value === '') return;
    if (!isHttpUrl(value)) problems.push({ code: 'QUICK_REPLY_URL_INVALID', details: { field } });
    else max(field, quickReplyLimits.urlBytes);
  };
  if (type === 'text') {
    need('text');
    max('text', quickReplyLimits.textBytes);
  } else if (type === 'image') {
    need('picUrl');
    url('picUrl');
  } else if (type === 'link') {
    need('title');
    need('url');
    max('title', quickReplyLimits.linkTitleBytes);
    max('description', quickReplyLimits.linkDescBytes);
    url('url');
    url('picUrl');
  } else {
    need('title');
    need('appid');
    need('page');
    need('picUrl');
    max('title', quickReplyLimits.miniprogramTitleBytes);
    max('page', quickReplyLimits.miniprogramPageBytes);
    url('picUrl');
  }
  if (!options.rendered) {
    for (const field of templatedFields(type)) {
      for (const name of variablesIn(body[field] ?? '')) {
        if (!isKnown(name)) problems.push({ code: 'QUICK_REPLY_UNKNOWN_VARIABLE', details: { name, field, known: known.map((k) => `{${k}}`).join(' ') } });
      }
    }
  }
  return problems;
}

/** The variables a reply needs filled, by where their values come from. */
export function variablesNeeded(type: QuickReplyType, body: QuickReplyBody): QuickReplyVariable[] {
  return [...new Set(templatedFields(type).flatMap((f) => variablesIn(body[f] ?? '')).filter(isKnown))];
}

/** Fills every templated field of a reply. */
export function renderBody(type: QuickReplyType, body: QuickReplyBody, values: Partial<Record<QuickReplyVariable, string>>): QuickReplyBody {
  const out: QuickReplyBody = { ...body };
  for (const field of templatedFields(type)) if (out[field] !== undefined) out[field] = fill(out[field]!, values);
  return out;
}
