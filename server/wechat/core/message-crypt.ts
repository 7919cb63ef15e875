import { isUtf8 } from 'node:buffer';
import { createCipheriv, createDecipheriv, randomBytes, type Cipher, type Decipher } from 'node:crypto';
import { WeChatCryptoError } from './errors';

/** Which configured EncodingAESKey a message was (or should be) encrypted with. */
export type KeySlot = 'current' | 'previous';

/** The result of opening a ciphertext: the message, the receiver id inside it and the key that worked. */
export interface DecryptedMessage {
  message: string;
  receiverId: string;
  keySlot: KeySlot;
}

/** What a MessageCrypt needs: the key(s) of one callback receiver and the id it expects inside messages. */
export interface MessageCryptOptions {
  /** The EncodingAESKey in use (43 letters/digits). */
  currentKey: string;
  /** The EncodingAESKey before the last rotation; tried when the current one fails. */
  previousKey?: string | null;
  /**
   * The id WeChat writes after the message: the AppID for an Official Account,
   * the CorpID for WeCom. `null` skips the check (scenes where WeChat writes another id).
   */
  receiverId: string | null;
  /** Source of the 16 random prefix bytes; injectable so tests reproduce WeChat's vectors. */
  random?: (size: number) => Buffer;
}

const BLOCK = 32;
const AES_BLOCK = 16;
const PREFIX = 16;
const HEADER = PREFIX + 4;
const ENCODING_AES_KEY = /^[A-Za-z0-9]{43}$/;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** True when the value has the shape of an EncodingAESKey (43 letters or digits). */
export function isEncodingAesKey(value: string): boolean {
  return ENCODING_AES_KEY.test(value);
}

/** The 32-byte AES key behind an EncodingAESKey; throws `bad_key` for anything else. */
export function aesKeyFromEncodingAesKey(encodingAesKey: string): Buffer {
  if (typeof encodingAesKey !== 'string' || !ENCODING_AES_KEY.test(encodingAesKey)) {
    throw new WeChatCryptoError('bad_key');
  }
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) throw new WeChatCryptoError('bad_key');
  return key;
}

/** Generates a fresh EncodingAESKey (43 letters/digits), e.g. for a newly connected account. */
export function generateEncodingAesKey(): string {
  return randomAlphanumeric(43).toString('latin1');
}

// Random prefixes come from a pooled buffer: one randomBytes call per 256 messages.
let pool = Buffer.alloc(0);
let poolOffset = 0;

function randomAlphanumeric(size: number): Buffer {
  if (size > 256) return mapAlphanumeric(randomBytes(size));
  if (poolOffset + size > pool.length) {
    pool = randomBytes(4096);
    poolOffset = 0;
  }
  const bytes = Buffer.from(pool.subarray(poolOffset, poolOffset + size));
  poolOffset += size;
  return mapAlphanumeric(bytes);
}

function mapAlphanumeric(bytes: Buffer): Buffer {
  const size = bytes.length;
  for (let i = 0; i < size; i++) bytes[i] = ALPHANUMERIC.charCodeAt(bytes[i]! % ALPHANUMERIC.length);
  return bytes;
}

/** Decodes strict standard Base64 (whitespace tolerated, as MIME Base64 may wrap lines). */
function decodeBase64(value: string): Buffer {
  // Node decodes leniently; re-encoding must give back the input exactly, so any
  // stray character, URL-safe alphabet, missing padding or non-zero tail bits is refused.
  // A re-encoding never contains whitespace, so wrapped input always takes the second path;
  // unwrapped input skips the whitespace scan, which costs more than the re-encoding.
  const decoded = Buffer.from(value, 'base64');
  if (value.length !== 0 && decoded.toString('base64') === value) return decoded;
  if (!/\s/.test(value)) throw new WeChatCryptoError('bad_base64');
  const compact = value.replace(/\s+/g, '');
  const unwrapped = Buffer.from(compact, 'base64');
  if (compact.length === 0 || unwrapped.toString('base64') !== compact) throw new WeChatCryptoError('bad_base64');
  return unwrapped;
}

function unpad(padded: Buffer): Buffer {
  const amount = padded[padded.length - 1]!;
  // WeChat pads 1..32 bytes; encoders padding to 16 also land in that range.
  if (amount < 1 || amount > BLOCK || amount > padded.length) throw new WeChatCryptoError('bad_padding');
  for (let i = padded.length - amount; i < padded.length; i++) {
    if (padded[i] !== amount) throw new WeChatCryptoError('bad_padding');
  }
  return padded.subarray(0, padded.length - amount);
}

// Flips block 0 of `data` by iv ⊕ chain: turns a block meant to follow the IV into one
// that follows `chain` and back (XOR is its own inverse).
function rebaseFirstBlock(data: Buffer, iv: Buffer, chain: Buffer): void {
  for (let i = 0; i < AES_BLOCK; i++) data[i]! ^= iv[i]! ^ chain[i]!;
}

// prefix ‖ length ‖ message ‖ receiver ‖ padding, written in place in one pass (no separate byte
// count): into a buffer reused from message to message (the cipher copies out of it at once), or a
// fresh one for a message longer than it. Sized for the worst case of 3 UTF-8 bytes per UTF-16 unit.
const SCRATCH_BYTES = 64 * 1024;
let scratch: Buffer | null = null;

function assemble(prefix: Buffer, message: string, receiver: string): Buffer {
  const worst = HEADER + 3 * (message.length + receiver.length) + BLOCK;
  const buffer = worst <= SCRATCH_BYTES ? (scratch ??= Buffer.allocUnsafeSlow(SCRATCH_BYTES)) : Buffer.allocUnsafe(worst);
  const bodyLength = buffer.write(message, HEADER, 'utf8');
  const contentLength = HEADER + bodyLength + buffer.write(receiver, HEADER + bodyLength, 'utf8');
  const amount = BLOCK - (contentLength % BLOCK);
  prefix.copy(buffer, 0);
  buffer.writeUInt32BE(bodyLength, PREFIX);
  buffer.fill(amount, contentLength, contentLength + amount);
  return buffer.subarray(0, contentLength + amount);
}

/**
 * One key with a long-lived AES-256-CBC cipher and decipher: creating them is
 * most of the cost of a message. Fed whole blocks without padding, they stay in
 * CBC mode across messages, so each message starts from the last ciphertext
 * block seen (`chain`) instead of the IV. Only block 0 depends on that, and
 * XOR with iv ⊕ chain makes it what a fresh cipher would give: in the
 * plaintext before encrypting, in the plaintext after decrypting. Anything
 * unexpected drops the long-lived object and redoes the message with a fresh
 * one, exactly as before, so a fault can neither desynchronise nor surface.
 */
class KeyMaterial {
  readonly key: Buffer;
  readonly iv: Buffer;
  private cipher: Cipher | null = null;
  private readonly cipherChain = Buffer.alloc(AES_BLOCK);
  private decipher: Decipher | null = null;
  private readonly decipherChain = Buffer.alloc(AES_BLOCK);

  constructor(encodingAesKey: string) {
    this.key = aesKeyFromEncodingAesKey(encodingAesKey);
    this.iv = this.key.subarray(0, AES_BLOCK);
  }

  /** Encrypts whole blocks as a fresh IV-initialised cipher would; `plain` is scratch and may be changed. */
  encrypt(plain: Buffer): Buffer {
    let cipher = this.cipher;
    if (cipher === null) {
      try {
        cipher = createCipheriv('aes-256-cbc', this.key, this.iv).setAutoPadding(false);
      } catch {
        return this.freshEncrypt(plain);
      }
      this.cipher = cipher;
      this.iv.copy(this.cipherChain);
    }
    rebaseFirstBlock(plain, this.iv, this.cipherChain);
    let out: Buffer | null = null;
    try {
      out = cipher.update(plain);
    } catch {
      out = null;
    }
    if (out === null || out.length !== plain.length) {
      this.cipher = null;
      rebaseFirstBlock(plain, this.iv, this.cipherChain);
      return this.freshEncrypt(plain);
    }
    out.copy(this.cipherChain, 0, out.length - AES_BLOCK);
    return out;
  }

  /** Decrypts whole blocks (at least one) as a fresh IV-initialised decipher would. */
  decrypt(data: Buffer): Buffer {
    let decipher = this.decipher;
    if (decipher === null) {
      try {
        decipher = createDecipheriv('aes-256-cbc', this.key, this.iv).setAutoPadding(false);
      } catch {
        return this.freshDecrypt(data);
      }
      this.decipher = decipher;
      this.iv.copy(this.decipherChain);
    }
    let plain: Buffer | null = null;
    try {
      plain = decipher.update(data);
    } catch {
      plain = null;
    }
    if (plain === null || plain.length !== data.length) {
      this.decipher = null;
      return this.freshDecrypt(data);
    }
    rebaseFirstBlock(plain, this.iv, this.decipherChain);
    data.copy(this.decipherChain, 0, data.length - AES_BLOCK);
    return plain;
  }

  private freshEncrypt(plain: Buffer): Buffer {
    const cipher = createCipheriv('aes-256-cbc', this.key, this.iv);
    cipher.setAutoPadding(false);
    return Buffer.concat([cipher.update(plain), cipher.final()]);
  }

  private freshDecrypt(data: Buffer): Buffer {
    const decipher = createDecipheriv('aes-256-cbc', this.key, this.iv);
    decipher.setAutoPadding(false);
    // Without auto-padding and with whole blocks in, update() returns everything.
    const plain = decipher.update(data);
    decipher.final();
    return plain;
  }
}

/**
 * WXBizMsgCrypt-compatible AES-256-CBC for one receiver (an Official Account or
 * a WeCom app/secret), holding the current and optionally the previous
 * EncodingAESKey. Every failure is a WeChatCryptoError, whatever the input.
 */
export class MessageCrypt {
  readonly receiverId: string | null;
  private readonly current: KeyMaterial;
  private readonly previous: KeyMaterial | null;
  private readonly random: (size: number) => Buffer;

  constructor(options: MessageCryptOptions) {
    this.current = new KeyMaterial(options.currentKey);
    this.previous = options.previousKey ? new KeyMaterial(options.previousKey) : null;
    this.receiverId = options.receiverId;
    this.random = options.random ?? randomAlphanumeric;
  }

  /** True when a previous key is configured. */
  get hasPreviousKey(): boolean {
    return this.previous !== null;
  }

  /**
   * Encrypts `message` as WeChat does and returns the Base64 ciphertext.
   * `keySlot` picks the key (answer with the key the request used); `receiverId`
   * overrides the configured one (the sandbox writes other ids on purpose).
   */
  encrypt(message: string, options: { keySlot?: KeySlot; receiverId?: string; random?: Buffer } = {}): string {
    const material = options.keySlot === 'previous' ? this.previous : this.current;
    if (!material) throw new WeChatCryptoError('bad_key', { keySlot: 'previous' });
    const prefix = options.random ?? this.random(PREFIX);
    if (prefix.length !== PREFIX) throw new WeChatCryptoError('encrypt_failed');
    const receiver = options.receiverId ?? this.receiverId ?? '';
    const plain = assemble(prefix, message, receiver);
    try {
      return material.encrypt(plain).toString('base64');
    } catch {
      throw new WeChatCryptoError('encrypt_failed');
    }
  }

  /**
   * Decrypts a Base64 ciphertext with the current key, then the previous one,
   * checks the receiver id and reports which key worked. A receiver mismatch
   * under a key that decrypted cleanly wins over another key's garbage.
   */
  decrypt(encrypted: string): DecryptedMessage {
    if (typeof encrypted !== 'string') throw new WeChatCryptoError('bad_base64');
    const data = decodeBase64(encrypted);
    if (data.length < BLOCK || data.length % 16 !== 0) throw new WeChatCryptoError('bad_length', { bytes: data.length });
    try {
      return this.openWith(data, this.current, 'current');
    } catch (error) {
      if (!this.previous) throw error;
      try {
        return this.openWith(data, this.previous, 'previous');
      } catch (fallbackError) {
        const mismatch = [error, fallbackError].find(
          (candidate) => candidate instanceof WeChatCryptoError && candidate.reason === 'receiver_mismatch',
        );
        throw mismatch ?? error;
      }
    }
  }

  private openWith(data: Buffer, material: KeyMaterial, keySlot: KeySlot): DecryptedMessage {
    let plain: Buffer;
    try {
      plain = material.decrypt(data);
    } catch {
      throw new WeChatCryptoError('bad_padding');
    }
    const content = unpad(plain);
    if (content.length < HEADER) throw new WeChatCryptoError('bad_length');
    const length = content.readUInt32BE(PREFIX);
    if (length > content.length - HEADER) throw new WeChatCryptoError('bad_length');
    const body = content.subarray(HEADER, HEADER + length);
    const receiver = content.subarray(HEADER + length);
    if (!isUtf8(body) || !isUtf8(receiver)) throw new WeChatCryptoError('bad_plaintext');
    const receiverId = receiver.toString('utf8');
    if (this.receiverId !== null && receiverId !== this.receiverId) {
      throw new WeChatCryptoError('receiver_mismatch', { keySlot });
    }
    return { message: body.toString('utf8'), receiverId, keySlot };
  }
}
