import type { CreateAccountBody, EncryptMode } from '../../../../server/modules/system/accounts/accounts.schema';
import type { FieldError } from '../../../app/api-client';

/** The wizard's fields: WeCom secrets are entered per kind, the API wants one list of receivers. */
export interface ConnectForm {
  name: string;
  appId?: string;
  appSecret?: string;
  encryptMode?: EncryptMode;
  corpId?: string;
  apps?: { agentId?: string; secret?: string }[];
  contactsSecret?: string;
  customerContactSecret?: string;
  token?: string;
  encodingAesKey?: string;
  apiBaseUrl?: string;
}

export type FormPath = (string | number)[];

const blank = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

/**
 * The request body for the chosen type, and for each receiver the form path
 * its fields came from, so a server error on `receivers.2.secret` lands on
 * the field the user typed it in.
 */
export function toCreateBody(type: CreateAccountBody['type'], form: ConnectForm): { body: CreateAccountBody; receiverPaths: FormPath[] } {
  if (type === 'official_account') {
    return {
      body: {
        type,
        name: form.name,
        appId: form.appId?.trim() ?? '',
        appSecret: form.appSecret ?? '',
        encryptMode: form.encryptMode ?? 'safe',
        token: blank(form.token),
        encodingAesKey: blank(form.encodingAesKey),
        apiBaseUrl: blank(form.apiBaseUrl),
      },
      receiverPaths: [],
    };
  }
  const receivers: { receiver: string; secret: string }[] = [];
  const receiverPaths: FormPath[] = [];
  (form.apps ?? []).forEach((app, index) => {
    if (!blank(app.agentId) && !blank(app.secret)) return;
    receivers.push({ receiver: app.agentId?.trim() ?? '', secret: app.secret ?? '' });
    receiverPaths.push(['apps', index]);
  });
  if (blank(form.contactsSecret)) {
    receivers.push({ receiver: 'contacts', secret: form.contactsSecret ?? '' });
    receiverPaths.push(['contactsSecret']);
  }
  if (blank(form.customerContactSecret)) {
    receivers.push({ receiver: 'customer-contact', secret: form.customerContactSecret ?? '' });
    receiverPaths.push(['customerContactSecret']);
  }
  return { body: { type, name: form.name, corpId: form.corpId?.trim() ?? '', apiBaseUrl: blank(form.apiBaseUrl), receivers }, receiverPaths };
}

/** Where a server field error (`body.receivers.1.secret`) belongs in the wizard's form; null when nowhere. */
export function formPathOf(field: string, receiverPaths: FormPath[]): FormPath | null {
  const parts = field.split('.');
  if (parts[0] === 'body') parts.shift();
  if (parts[0] !== 'receivers') return parts.length > 0 && parts[0] ? [parts[0]] : null;
  const target = receiverPaths[Number(parts[1])];
  if (!target) return null;
  if (target[0] === 'apps') return [...target, parts[2] === 'receiver' ? 'agentId' : 'secret'];
  return target;
}

/** The server's field errors as antd `setFields` entries; the rest are returned for a general alert. */
export function fieldErrorsFor(errors: FieldError[], receiverPaths: FormPath[], known: ReadonlySet<string>) {
  const placed: { name: FormPath; errors: string[] }[] = [];
  const rest: FieldError[] = [];
  for (const error of errors) {
    const name = formPathOf(error.field, receiverPaths);
    if (name && known.has(String(name[0]))) placed.push({ name, errors: [error.message] });
    else rest.push(error);
  }
  return { placed, rest };
}
