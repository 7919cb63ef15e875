import { randomBytes } from 'node:crypto';
import { WeChatCryptoError } from './errors';
import type { KeySlot, MessageCrypt } from './message-crypt';
import { messageSignature, plainSignature, signaturesMatch } from './signature';
import { buildWeChatXml, cdata, parseWeChatJson, parseWeChatXml, stringField, type ReadLimits, type WeChatRecord } from './xml';

/** A callback's query string as Fastify hands it over (repeated keys arrive as arrays and are ignored). */
export type CallbackQuery = Record<string, string | string[] | undefined>;
/** Official Account message encryption: 明文 plain, 兼容 compatible, 安全 safe. */
export type OfficialAccountMode = 'plain' | 'compatible' | 'safe';
/** WeChat pushes XML by default; some scenes are configured for JSON. */
export type BodyFormat = 'xml' | 'json';

/** Checks applied to a POST's timestamp; omitted `maxAgeS` means no age check. */
export interface FreshnessOptions {
  /** Refuse pushes whose timestamp is further than this from `nowS`. */
  maxAgeS?: number;
  /** The current Unix time in seconds (inject a clock). */
  nowS?: number;
}

/** A push whose signature (and, if encrypted, ciphertext and receiver) checked out. */
export interface OpenedPush {
  /** The message itself: XML, or JSON for JSON-configured scenes. */
  plaintext: string;
  format: BodyFormat;
  /** True when the push was encrypted: the reply must then be sealed with `sealReply`. */
  encrypted: boolean;
  /** The key that decrypted the push (seal the reply with the same one); null when plain. */
  keySlot: KeySlot | null;
  timestamp: string;
  nonce: string;
}

/** What the envelope around a WeCom push said besides the ciphertext. */
export interface OpenedWeComPush extends OpenedPush {
  toUserName?: string;
  agentId?: string;
}

function queryValue(query: CallbackQuery, name: string): string | undefined {
  const value = query[name];
  return typeof value === 'string' ? value : undefined;
}

function requireQuery(query: CallbackQuery, ...names: string[]): string[] {
  return names.map((name) => {
    const value = queryValue(query, name);
    if (value === undefined || value === '') throw new WeChatCryptoError('signature_missing', { parameter: name });
    return value;
  });
}

function checkFreshness(timestamp: string, options: FreshnessOptions): void {
  if (options.maxAgeS === undefined) return;
  const nowS = options.nowS ?? Math.floor(Date.now() / 1000);
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowS - Number(timestamp)) > options.maxAgeS) {
    throw new WeChatCryptoError('stale_timestamp', { maxAgeS: options.maxAgeS });
  }
}

function detectFormat(body: string): BodyFormat {
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '{') return 'json';
    if (c === '<') return 'xml';
    if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t' && c !== '\uFEFF') break;
  }
  throw new WeChatCryptoError('bad_xml', { detail: 'neither XML nor JSON' });
}

function bodyString(body: string | Buffer): string {
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  throw new WeChatCryptoError('bad_xml', { detail: 'no body' });
}

/** Reads any WeChat body (XML or JSON, detected or given) into a record. */
export function readWeChatBody(body: string | Buffer, format?: BodyFormat, limits?: ReadLimits): { record: WeChatRecord; format: BodyFormat } {
  const text = bodyString(body);
  const actual = format ?? detectFormat(text);
  return { record: actual === 'json' ? parseWeChatJson(text, limits) : parseWeChatXml(text, limits), format: actual };
}

function pick(record: WeChatRecord, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = stringField(record, name);
    if (value !== undefined) return value;
  }
  return undefined;
}

function openCiphertext(
  encrypted: string,
  query: CallbackQuery,
  token: string,
  timestamp: string,
  nonce: string,
  crypt: MessageCrypt,
): { message: string; keySlot: KeySlot } {
  const [signature] = requireQuery(query, 'msg_signature');
  if (!signaturesMatch(signature, messageSignature(token, timestamp, nonce, encrypted))) {
    throw new WeChatCryptoError('signature_mismatch', { parameter: 'msg_signature' });
  }
  const { message, keySlot } = crypt.decrypt(encrypted);
  return { message, keySlot };
}

/**
 * Opens an Official Account POST push. The plain `signature` is always checked;
 * with `encrypt_type=aes` the `msg_signature` over `Encrypt` too, then the
 * ciphertext is decrypted and its AppID checked. Safe mode refuses unencrypted
 * pushes; plain and compatible mode accept either (WeChat may switch first).
 */
export function openOfficialAccountPush(input: {
  query: CallbackQuery;
  body: string | Buffer;
  token: string;
  mode: OfficialAccountMode;
  crypt?: MessageCrypt | null;
  format?: BodyFormat;
  limits?: ReadLimits;
} & FreshnessOptions): OpenedPush {
  const [signature, timestamp, nonce] = requireQuery(input.query, 'signature', 'timestamp', 'nonce') as [string, string, string];
  if (!signaturesMatch(signature, plainSignature(input.token, timestamp, nonce))) {
    throw new WeChatCryptoError('signature_mismatch', { parameter: 'signature' });
  }
  checkFreshness(timestamp, input);
  const isEncrypted = queryValue(input.query, 'encrypt_type')?.toLowerCase() === 'aes';
  const { record, format } = readWeChatBody(input.body, input.format, input.limits);
  if (!isEncrypted) {
    if (input.mode === 'safe') throw new WeChatCryptoError('signature_missing', { parameter: 'msg_signature' });
    return { plaintext: bodyString(input.body), format, encrypted: false, keySlot: null, timestamp, nonce };
  }
  if (!input.crypt) throw new WeChatCryptoError('bad_key', { detail: 'no EncodingAESKey configured' });
  const encrypted = pick(record, 'Encrypt', 'encrypt');
  if (!encrypted) throw new WeChatCryptoError('bad_message', { detail: 'no Encrypt field' });
  const { message, keySlot } = openCiphertext(encrypted, input.query, input.token, timestamp, nonce, input.crypt);
  return { plaintext: message, format, encrypted: true, keySlot, timestamp, nonce };
}

/**
 * Opens a WeCom POST push: checks `msg_signature` over `Encrypt`, decrypts and
 * checks the CorpID (or whatever receiver id the crypt expects).
 */
export function openWeComPush(input: {
  query: CallbackQuery;
  body: string | Buffer;
  token: string;
  crypt: MessageCrypt;
  format?: BodyFormat;
  limits?: ReadLimits;
} & FreshnessOptions): OpenedWeComPush {
  const [timestamp, nonce] = requireQuery(input.query, 'timestamp', 'nonce') as [string, string];
  requireQuery(input.query, 'msg_signature');
  const { record, format } = readWeChatBody(input.body, input.format, input.limits);
  const encrypted = pick(record, 'Encrypt', 'encrypt');
  if (!encrypted) throw new WeChatCryptoError('bad_message', { detail: 'no Encrypt field' });
  const { message, keySlot } = openCiphertext(encrypted, input.query, input.token, timestamp, nonce, input.crypt);
  checkFreshness(timestamp, input);
  const opened: OpenedWeComPush = { plaintext: message, format, encrypted: true, keySlot, timestamp, nonce };
  const toUserName = pick(record, 'ToUserName', 'tousername');
  const agentId = pick(record, 'AgentID', 'agentid', 'AgentId');
  if (toUserName !== undefined) opened.toUserName = toUserName;
  if (agentId !== undefined && agentId !== '') opened.agentId = agentId;
  return opened;
}

/**
 * Official Account URL verification (GET): checks the plain signature and
 * returns `echostr` unchanged, to be sent back as the plain-text body. The
 * timestamp's age is not checked (WeChat's own examples carry old ones).
 */
export function verifyOfficialAccountUrl(input: { query: CallbackQuery; token: string }): string {
  const [signature, timestamp, nonce, echostr] = requireQuery(input.query, 'signature', 'timestamp', 'nonce', 'echostr') as [
    string, string, string, string,
  ];
  if (!signaturesMatch(signature, plainSignature(input.token, timestamp, nonce))) {
    throw new WeChatCryptoError('signature_mismatch', { parameter: 'signature' });
  }
  return echostr;
}

// A parsed query has already URL-decoded echostr, but a raw "+" turns into a
// space on the way and a doubly encoded value still carries "%": Base64 has neither.
function normaliseEchostr(echostr: string): string {
  let value = echostr;
  if (value.includes('%')) {
    try {
      value = decodeURIComponent(value);
    } catch {
      throw new WeChatCryptoError('bad_base64');
    }
  }
  return value.replaceAll(' ', '+');
}

/**
 * WeCom URL verification (GET): checks `msg_signature` over the (URL-decoded)
 * echostr, decrypts it, checks the CorpID and returns the plaintext to send
 * back as the body (no quotes, no newline).
 */
export function verifyWeComUrl(input: { query: CallbackQuery; token: string; crypt: MessageCrypt }): string {
  const [signature, timestamp, nonce, rawEchostr] = requireQuery(input.query, 'msg_signature', 'timestamp', 'nonce', 'echostr') as [
    string, string, string, string,
  ];
  const echostr = normaliseEchostr(rawEchostr);
  const matches = (value: string) => signaturesMatch(signature, messageSignature(input.token, timestamp, nonce, value));
  if (!matches(echostr) && !matches(rawEchostr)) throw new WeChatCryptoError('signature_mismatch', { parameter: 'msg_signature' });
  return input.crypt.decrypt(echostr).message;
}

/** A fresh nonce like WeChat's: decimal digits. */
export function generateNonce(): string {
  return String(randomBytes(4).readUInt32BE(0) + 1);
}

interface SealOptions {
  token: string;
  crypt: MessageCrypt;
  /** Which key to encrypt with: the `keySlot` the request was opened with. */
  keySlot?: KeySlot | null;
  timestamp?: string;
  nonce?: string;
  format?: BodyFormat;
  /** Overrides the crypt's receiver id written into the ciphertext. */
  receiverId?: string;
}

function sealParts(message: string, options: SealOptions) {
  const timestamp = options.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = options.nonce ?? generateNonce();
  const encrypt = options.crypt.encrypt(message, {
    keySlot: options.keySlot ?? 'current',
    ...(options.receiverId === undefined ? {} : { receiverId: options.receiverId }),
  });
  return { encrypt, timestamp, nonce, signature: messageSignature(options.token, timestamp, nonce, encrypt) };
}

/**
 * Seals a passive reply into WeChat's 4-field encrypted envelope
 * (`Encrypt`, `MsgSignature`, `TimeStamp`, `Nonce`; JSON: `encrypt`,
 * `msgsignature`, `timestamp`, `nonce`). Same for Official Account and WeCom.
 */
export function sealReply(message: string, options: SealOptions): string {
  const { encrypt, timestamp, nonce, signature } = sealParts(message, options);
  if (options.format === 'json') {
    return JSON.stringify({ encrypt, msgsignature: signature, timestamp: /^\d{1,15}$/.test(timestamp) ? Number(timestamp) : timestamp, nonce });
  }
  const timeStamp = /^\d{1,15}$/.test(timestamp) ? Number(timestamp) : timestamp;
  if (typeof encrypt !== 'string' || typeof signature !== 'string' || typeof timestamp !== 'string' || typeof nonce !== 'string') {
    return buildWeChatXml({ Encrypt: encrypt, MsgSignature: signature, TimeStamp: timeStamp, Nonce: nonce });
  }
  // What buildWeChatXml writes for these four fields, in the same order (so the
  // same first error), without its generic name checks and array building.
  return `<xml><Encrypt>${cdata(encrypt)}</Encrypt><MsgSignature>${cdata(signature)}</MsgSignature><TimeStamp>${
    typeof timeStamp === 'number' ? String(timeStamp) : cdata(timeStamp)
  }</TimeStamp><Nonce>${cdata(nonce)}</Nonce></xml>`;
}

/** A push as WeChat would send it: the query parameters and the body. */
export interface SealedPush {
  query: Record<string, string>;
  body: string;
}

function insertEncryptField(message: string, format: BodyFormat, encrypt: string): string {
  if (format === 'json') {
    const end = message.lastIndexOf('}');
    if (end < 0) throw new WeChatCryptoError('xml_build', { detail: 'message is not a JSON object' });
    const head = message.slice(0, end).trimEnd();
    const separator = head.endsWith('{') ? '' : ',';
    return `${head}${separator}"Encrypt":${JSON.stringify(encrypt)}}`;
  }
  const end = message.lastIndexOf('</xml>');
  if (end < 0) throw new WeChatCryptoError('xml_build', { detail: 'message has no </xml>' });
  return `${message.slice(0, end)}<Encrypt><![CDATA[${encrypt}]]></Encrypt>${message.slice(end)}`;
}

/**
 * Builds an Official Account push the way WeChat sends it (the sandbox's side):
 * plain signature and `openid` always; in compatible/safe mode also
 * `encrypt_type=aes` and `msg_signature`, with the body carrying `Encrypt`
 * (safe: only `ToUserName` and `Encrypt`; compatible: the plaintext fields too).
 */
export function sealOfficialAccountPush(input: {
  message: string;
  mode: OfficialAccountMode;
  token: string;
  crypt?: MessageCrypt | null;
  openId: string;
  toUserName: string;
  timestamp?: string;
  nonce?: string;
  format?: BodyFormat;
  keySlot?: KeySlot;
}): SealedPush {
  const timestamp = input.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = input.nonce ?? generateNonce();
  const format = input.format ?? 'xml';
  const query: Record<string, string> = {
    signature: plainSignature(input.token, timestamp, nonce),
    timestamp,
    nonce,
    openid: input.openId,
  };
  if (input.mode === 'plain') return { query, body: input.message };
  if (!input.crypt) throw new WeChatCryptoError('bad_key', { detail: 'no EncodingAESKey configured' });
  const { encrypt, signature } = sealParts(input.message, { token: input.token, crypt: input.crypt, timestamp, nonce, keySlot: input.keySlot ?? 'current' });
  query.encrypt_type = 'aes';
  query.msg_signature = signature;
  if (input.mode === 'compatible') return { query, body: insertEncryptField(input.message, format, encrypt) };
  const body =
    format === 'json'
      ? JSON.stringify({ ToUserName: input.toUserName, Encrypt: encrypt })
      : buildWeChatXml({ ToUserName: input.toUserName, Encrypt: encrypt });
  return { query, body };
}

/** Builds a WeCom push the way WeChat sends it: `msg_signature`, timestamp, nonce and the encrypted envelope. */
export function sealWeComPush(input: {
  message: string;
  token: string;
  crypt: MessageCrypt;
  toUserName: string;
  agentId?: string;
  timestamp?: string;
  nonce?: string;
  format?: BodyFormat;
  keySlot?: KeySlot;
}): SealedPush {
  const { encrypt, timestamp, nonce, signature } = sealParts(input.message, {
    token: input.token,
    crypt: input.crypt,
    keySlot: input.keySlot ?? 'current',
    ...(input.timestamp === undefined ? {} : { timestamp: input.timestamp }),
    ...(input.nonce === undefined ? {} : { nonce: input.nonce }),
  });
  const query = { msg_signature: signature, timestamp, nonce };
  const agentId = input.agentId === undefined || input.agentId === '' ? undefined : input.agentId;
  const body =
    input.format === 'json'
      ? JSON.stringify({ tousername: input.toUserName, encrypt, ...(agentId === undefined ? {} : { agentid: agentId }) })
      : buildWeChatXml({ ToUserName: input.toUserName, Encrypt: encrypt, AgentID: agentId });
  return { query, body };
}

/** The query of an Official Account URL-verification GET, as WeChat builds it. */
export function officialAccountVerifyQuery(input: { token: string; echostr: string; timestamp?: string; nonce?: string }): Record<string, string> {
  const timestamp = input.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = input.nonce ?? generateNonce();
  return { signature: plainSignature(input.token, timestamp, nonce), echostr: input.echostr, timestamp, nonce };
}

/** The query of a WeCom URL-verification GET: `echostr` is the encrypted plaintext (URL-encode when building the URL). */
export function weComVerifyQuery(input: {
  token: string;
  crypt: MessageCrypt;
  echostr: string;
  timestamp?: string;
  nonce?: string;
}): Record<string, string> {
  const timestamp = input.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = input.nonce ?? generateNonce();
  const { encrypt, signature } = sealParts(input.echostr, { token: input.token, crypt: input.crypt, timestamp, nonce });
  return { msg_signature: signature, timestamp, nonce, echostr: encrypt };
}

/** A callback answer as WeChat reads it. */
export type OpenedReply =
  | { kind: 'none'; body: '' | 'success' }
  | { kind: 'message'; plaintext: string; format: BodyFormat; encrypted: boolean; keySlot: KeySlot | null };

/**
 * Reads a callback answer the way WeChat does (the sandbox's side): an empty
 * body or `success` means "no reply"; an encrypted envelope is checked
 * (`MsgSignature`) and decrypted; a plain message is returned as is unless
 * `requireEncrypted` (safe mode, WeCom).
 */
export function openReply(input: {
  body: string | Buffer;
  token: string;
  crypt?: MessageCrypt | null;
  requireEncrypted?: boolean;
  limits?: ReadLimits;
}): OpenedReply {
  const text = bodyString(input.body);
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'none', body: '' };
  if (trimmed.toLowerCase() === 'success') return { kind: 'none', body: 'success' };
  const { record, format } = readWeChatBody(text, undefined, input.limits);
  const encrypt = pick(record, 'Encrypt', 'encrypt');
  if (encrypt === undefined) {
    if (input.requireEncrypted) throw new WeChatCryptoError('bad_message', { detail: 'reply is not encrypted' });
    return { kind: 'message', plaintext: text, format, encrypted: false, keySlot: null };
  }
  const signature = pick(record, 'MsgSignature', 'msgsignature');
  const timestamp = pick(record, 'TimeStamp', 'timestamp');
  const nonce = pick(record, 'Nonce', 'nonce');
  if (!signature || !timestamp || !nonce) throw new WeChatCryptoError('signature_missing', { parameter: 'MsgSignature' });
  if (!signaturesMatch(signature, messageSignature(input.token, timestamp, nonce, encrypt))) {
    throw new WeChatCryptoError('signature_mismatch', { parameter: 'MsgSignature' });
  }
  if (!input.crypt) throw new WeChatCryptoError('bad_key', { detail: 'no EncodingAESKey configured' });
  const { message, keySlot } = input.crypt.decrypt(encrypt);
  return { kind: 'message', plaintext: message, format, encrypted: true, keySlot };
}
