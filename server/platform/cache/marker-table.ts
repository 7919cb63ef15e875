import { hash } from 'node:crypto';

const minCapacity = 1024;
// Slots in use (live or expired) stay under 70 % of the table, so a probe ends within a few slots;
// a rebuild leaves the live keys at most 35 %, room for as many again before the next.
const maxLoad = 0.7;
const rebuiltLoad = 0.35;

/**
 * Keys that are only present or absent until they expire, kept in process without an object, a string
 * or a Map entry per key: a 128-bit fingerprint and an expiry per slot, in typed arrays the garbage
 * collector does not walk. Callback markers are the case: thousands a second, each kept for 30 s, had
 * been ~160 bytes of heap apiece (docs/benchmarks.md, callbacks, run 9).
 *
 * Two keys are taken for one when their MD5s share all 128 bits: with n keys present a new key has a
 * chance of about n / 2^128 to be, never in practice (and the keys are not chosen by an adversary).
 */
export class MarkerTable {
  private capacity = minCapacity;
  // Four 32-bit words of fingerprint per slot.
  private prints = new Int32Array(minCapacity * 4);
  // Epoch milliseconds the slot's key expires at; 0 for a slot never used. Expired slots keep their
  // place in a probe sequence until the table is rebuilt, and are reused by the next insert that passes.
  private expiries = new Float64Array(minCapacity);
  private used = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Marks `key` until `ttlMs` from now, only when it is not marked; true when this call marked it. */
  markIfAbsent(key: string, ttlMs: number): boolean {
    return this.put(key, ttlMs, true);
  }

  /** Marks `key` until `ttlMs` from now, whether it was marked or not. */
  mark(key: string, ttlMs: number): void {
    this.put(key, ttlMs, false);
  }

  isMarked(key: string): boolean {
    const at = this.now();
    const slot = this.find(fingerprint(key), at);
    return slot >= 0 && this.expiries[slot]! > at;
  }

  unmark(key: string): void {
    const slot = this.find(fingerprint(key), this.now());
    // 1 ms after the epoch: expired, yet not an empty slot, so the probe sequences through it stay whole.
    if (slot >= 0) this.expiries[slot] = 1;
  }

  /** Keys marked now. */
  get size(): number {
    const at = this.now();
    let live = 0;
    for (let slot = 0; slot < this.capacity; slot++) if (this.expiries[slot]! > at) live++;
    return live;
  }

  /** Drops expired keys, and gives memory back when far fewer keys are marked than the table holds. */
  sweep(): void {
    const live = this.size;
    if (this.used - live > this.capacity / 8 || (this.capacity > minCapacity && live < this.capacity / 16)) this.rebuild(live);
  }

  private put(key: string, ttlMs: number, onlyIfAbsent: boolean): boolean {
    const print = fingerprint(key);
    const at = this.now();
    const found = this.find(print, at);
    if (found >= 0) {
      if (onlyIfAbsent && this.expiries[found]! > at) return false;
      this.expiries[found] = at + ttlMs;
      return true;
    }
    // Not in the table: the first expired slot of its probe sequence, or the empty slot that ended it.
    const slot = -found - 1;
    if (this.expiries[slot] === 0) this.used++;
    this.store(slot, print, at + ttlMs);
    if (this.used > this.capacity * maxLoad) this.rebuild(this.size);
    return true;
  }

  /** The key's slot, or -(slot to insert it at) - 1 when it is not in the table; slots expired by `at` may be reused. */
  private find(print: Int32Array, at: number): number {
    const mask = this.capacity - 1;
    let reusable = -1;
    for (let slot = print[0]! & mask; ; slot = (slot + 1) & mask) {
      const expiry = this.expiries[slot]!;
      if (expiry === 0) return -(reusable >= 0 ? reusable : slot) - 1;
      const base = slot * 4;
      const prints = this.prints;
      if (prints[base] === print[0] && prints[base + 1] === print[1] && prints[base + 2] === print[2] && prints[base + 3] === print[3]) return slot;
      if (reusable < 0 && expiry <= at) reusable = slot;
    }
  }

  private store(slot: number, print: Int32Array, expiresAt: number): void {
    this.prints.set(print, slot * 4);
    this.expiries[slot] = expiresAt;
  }

  private rebuild(live: number): void {
    const at = this.now();
    const { prints, expiries, capacity } = this;
    let size = minCapacity;
    while (size * rebuiltLoad < live) size *= 2;
    this.capacity = size;
    this.prints = new Int32Array(size * 4);
    this.expiries = new Float64Array(size);
    this.used = 0;
    for (let slot = 0; slot < capacity; slot++) {
      if (expiries[slot]! <= at) continue;
      const print = prints.subarray(slot * 4, slot * 4 + 4);
      this.store(-this.find(print, at) - 1, print, expiries[slot]!);
      this.used++;
    }
  }
}

// One array for every fingerprint: each is used up before the next is taken (nothing here awaits).
const scratch = new Int32Array(4);

function fingerprint(key: string): Int32Array {
  const digest = hash('md5', key, 'buffer');
  for (let word = 0; word < 4; word++) scratch[word] = digest.readInt32LE(word * 4);
  return scratch;
}
