/**
 * Keyword matching that costs O(message length) whatever the number of rules:
 * an Aho–Corasick automaton over every "contains" keyword and a hash map of
 * every "exact" keyword, built once per rule change.
 *
 * Normalization (the same for keywords and messages, so 「ＶＩＰ」 finds 「vip」):
 * - full-width ASCII (U+FF01–U+FF5E) becomes half-width, the ideographic space
 *   U+3000 a plain space — Chinese input methods type both forms;
 * - ASCII letters are lower-cased (Chinese has no case);
 * - exact keywords compare after trimming surrounding whitespace, since a
 *   follower's stray space should not break 「全匹配」.
 * Nothing else changes (no NFKC): every other code unit maps to itself, so the
 * automaton walks UTF-16 code units directly without allocating.
 */

/** Maps one UTF-16 code unit to its normalized form. */
export function foldCodeUnit(code: number): number {
  if (code >= 0xff01 && code <= 0xff5e) code -= 0xfee0;
  else if (code === 0x3000) return 0x20;
  return code >= 0x41 && code <= 0x5a ? code + 0x20 : code;
}

/** A keyword or a message in the normalized form matching uses. */
export function normalizeKeywordText(value: string): string {
  let i = 0;
  while (i < value.length && foldCodeUnit(value.charCodeAt(i)) === value.charCodeAt(i)) i++;
  if (i === value.length) return value;
  let out = value.slice(0, i);
  for (let j = i; j < value.length; j++) out += String.fromCharCode(foldCodeUnit(value.charCodeAt(j)));
  return out;
}

/** The characters String.prototype.trim removes, so message and keyword trimming agree. */
const isSpace = (code: number) =>
  code === 0x20 ||
  (code >= 0x09 && code <= 0x0d) ||
  (code >= 0x2000 && code <= 0x200a) ||
  code === 0xa0 ||
  code === 0x1680 ||
  code === 0x2028 ||
  code === 0x2029 ||
  code === 0x202f ||
  code === 0x205f ||
  code === 0x3000 ||
  code === 0xfeff;

/** A 32-bit hash of the folded code units of value[start, end). */
function foldedHash(value: string, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ foldCodeUnit(value.charCodeAt(i)), 0x01000193);
  return hash;
}

/**
 * Exact keywords in one open-addressing table of [hash, entry + 1] pairs, their folded texts side by
 * side in one array: a lookup reads the slot and the text, where a Map of buckets of objects read five
 * scattered places (about a quarter of the 100,000-rule matching time went there).
 */
class ExactTable {
  private readonly mask: number;
  private readonly slots: Int32Array;
  private readonly codes: Int32Array;
  private readonly starts: Int32Array;
  private readonly chars: Uint16Array;

  constructor(keys: readonly { key: string; code: number; hash: number }[]) {
    let size = 16;
    while (size < keys.length * 2) size *= 2;
    this.mask = size - 1;
    this.slots = new Int32Array(size * 2);
    this.codes = new Int32Array(keys.length);
    this.starts = new Int32Array(keys.length + 1);
    let total = 0;
    for (const { key } of keys) total += key.length;
    this.chars = new Uint16Array(total);
    let at = 0;
    keys.forEach(({ key, code, hash }, entry) => {
      this.codes[entry] = code;
      this.starts[entry] = at;
      for (let i = 0; i < key.length; i++) this.chars[at++] = key.charCodeAt(i);
      for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
        if (this.slots[slot * 2 + 1] === 0) {
          this.slots[slot * 2] = hash;
          this.slots[slot * 2 + 1] = entry + 1;
          break;
        }
      }
    });
    this.starts[keys.length] = at;
  }

  /** The code of the exact keyword that value[start, end) folds to, or NONE; `hash` is foldedHash of that range. */
  find(value: string, start: number, end: number, hash: number): number {
    const { slots, mask, starts, chars } = this;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[slot * 2 + 1]! - 1;
      if (entry < 0) return NONE;
      if (slots[slot * 2] !== hash) continue;
      const from = starts[entry]!;
      if (starts[entry + 1]! - from !== end - start) continue;
      let i = start;
      while (i < end && foldCodeUnit(value.charCodeAt(i)) === chars[from + i - start]) i++;
      if (i === end) return this.codes[entry]!;
    }
  }

  get bytes(): number {
    return this.slots.byteLength + this.codes.byteLength + this.starts.byteLength + this.chars.byteLength;
  }
}

export type KeywordMatchMode = 'exact' | 'contains';

export interface AutomatonKeyword {
  text: string;
  match: KeywordMatchMode;
}

/** Rules in priority order: index 0 wins over every later one. */
export interface AutomatonRule {
  keywords: readonly AutomatonKeyword[];
}

export interface KeywordMatch {
  /** Index of the winning rule in the list the automaton was built from. */
  ruleIndex: number;
  /** Index of the keyword (within that rule) that matched. */
  keywordIndex: number;
}

export interface KeywordAutomaton {
  /** The highest-priority rule matching `message`, or null. */
  match(message: string): KeywordMatch | null;
  readonly stats: { rules: number; containsKeywords: number; exactKeywords: number; states: number; bytes: number };
}

const NONE = 0x7fffffff;

/**
 * Transitions (state, code unit) → state for states other than the root, in
 * one open-addressing table of [state, code, next] triples (one cache line per
 * probe): Chinese keywords make the alphabet too large for per-state arrays,
 * and a Map per state would cost far more memory.
 */
class TransitionTable {
  private mask = 1023;
  private slots = new Int32Array(1024 * 3).fill(-1);
  size = 0;

  private slot(state: number, code: number): number {
    return (Math.imul(state, 0x9e3779b1) ^ Math.imul(code, 0x85ebca6b)) & this.mask;
  }

  get(state: number, code: number): number {
    const { slots, mask } = this;
    for (let i = this.slot(state, code); ; i = (i + 1) & mask) {
      const at = i * 3;
      const from = slots[at]!;
      if (from === -1) return -1;
      if (from === state && slots[at + 1] === code) return slots[at + 2]!;
    }
  }

  set(state: number, code: number, next: number): void {
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    const { slots, mask } = this;
    for (let i = this.slot(state, code); ; i = (i + 1) & mask) {
      const at = i * 3;
      if (slots[at] === -1) {
        slots[at] = state;
        slots[at + 1] = code;
        slots[at + 2] = next;
        this.size++;
        return;
      }
    }
  }

  private grow(): void {
    const old = this.slots;
    this.mask = this.mask * 2 + 1;
    this.slots = new Int32Array((this.mask + 1) * 3).fill(-1);
    this.size = 0;
    for (let at = 0; at < old.length; at += 3) if (old[at] !== -1) this.set(old[at]!, old[at + 1]!, old[at + 2]!);
  }

  get bytes(): number {
    return this.slots.byteLength;
  }
}

/** Grows an Int32Array-backed list without boxing numbers. */
class IntList {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }
  push(value: number): number {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length] = value;
    return this.length++;
  }
}

/**
 * Every state's children side by side, sorted by code unit (compressed sparse
 * rows): a lookup reads one or two neighbouring slots instead of hashing.
 */
function compactChildren(parent: IntList, viaCode: IntList) {
  const states = parent.length;
  const start = new Int32Array(states + 1);
  for (let s = 1; s < states; s++) start[parent.data[s]! + 1]!++;
  for (let s = 0; s < states; s++) start[s + 1]! += start[s]!;
  const fill = start.slice(0, states);
  const code = new Uint16Array(Math.max(states - 1, 0));
  const state = new Int32Array(Math.max(states - 1, 0));
  for (let s = 1; s < states; s++) {
    const at = fill[parent.data[s]!]!++;
    code[at] = viaCode.data[s]!;
    state[at] = s;
  }
  // Sort each state's children by code unit (packed as code * 2^32 + state), for binary search.
  for (let s = 0; s < states; s++) {
    const from = start[s]!;
    const to = start[s + 1]!;
    if (to - from < 2) continue;
    const packed = new Float64Array(to - from);
    for (let i = from; i < to; i++) packed[i - from] = code[i]! * 4294967296 + state[i]!;
    packed.sort();
    for (let i = from; i < to; i++) {
      const value = packed[i - from]!;
      code[i] = Math.floor(value / 4294967296);
      state[i] = value % 4294967296;
    }
  }
  return {
    start,
    code,
    state,
    /** The child of `s` by code unit `c`, or -1. */
    next(s: number, c: number): number {
      let lo = start[s]!;
      let hi = start[s + 1]! - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const at = code[mid]!;
        if (at === c) return state[mid]!;
        if (at < c) lo = mid + 1;
        else hi = mid - 1;
      }
      return -1;
    },
  };
}

/** Builds the automaton for `rules` (priority order). */
export function buildKeywordAutomaton(rules: readonly AutomatonRule[]): KeywordAutomaton {
  // State 0 is the root; its transitions live in a direct 64 Ki table because
  // most characters of a message restart there.
  const rootNext = new Int32Array(0x10000);
  // Code units that occur in no keyword send any state straight back to the root, with no lookup.
  const inAlphabet = new Uint8Array(0x10000);
  let longestExact = 0;
  const exactLengths = new Set<number>();
  const parent = new IntList();
  const viaCode = new IntList();
  const depth = new IntList();
  const ownBest = new IntList();
  parent.push(-1);
  viaCode.push(0);
  depth.push(0);
  ownBest.push(NONE);
  const edges = new TransitionTable();
  // Exact keywords by their folded text; the first (highest-priority) rule of a text keeps it.
  const exactKeys = new Map<string, number>();
  // A match is encoded as rule * 256 + keyword, so the smallest code is the winner.
  const encode = (ruleIndex: number, keywordIndex: number) => ruleIndex * 256 + Math.min(keywordIndex, 255);
  let containsKeywords = 0;
  let exactKeywords = 0;
  let maxDepth = 0;

  rules.forEach((rule, ruleIndex) => {
    rule.keywords.forEach((keyword, keywordIndex) => {
      const code = encode(ruleIndex, keywordIndex);
      if (keyword.match === 'exact') {
        const key = normalizeKeywordText(keyword.text).trim();
        if (key === '') return;
        exactKeywords++;
        if (key.length > longestExact) longestExact = key.length;
        exactLengths.add(key.length);
        if (!exactKeys.has(key)) exactKeys.set(key, code);
        return;
      }
      const text = keyword.text;
      if (text.length === 0) return;
      containsKeywords++;
      let state = 0;
      for (let i = 0; i < text.length; i++) {
        const c = foldCodeUnit(text.charCodeAt(i));
        inAlphabet[c] = 1;
        let next = state === 0 ? rootNext[c]! - 1 : edges.get(state, c);
        if (next < 0) {
          next = parent.push(state);
          viaCode.push(c);
          depth.push(depth.data[state]! + 1);
          ownBest.push(NONE);
          if (state === 0) rootNext[c] = next + 1;
          else edges.set(state, c, next);
        }
        state = next;
      }
      if (code < ownBest.data[state]!) ownBest.data[state] = code;
      if (depth.data[state]! > maxDepth) maxDepth = depth.data[state]!;
    });
  });

  const states = parent.length;
  const children = compactChildren(parent, viaCode);
  const fail = new Int32Array(states);
  const best = new Int32Array(states);
  best[0] = NONE;
  // Breadth-first order by counting sort on depth: a state's failure target is shallower.
  const byDepth = new Int32Array(maxDepth + 2);
  for (let s = 1; s < states; s++) byDepth[depth.data[s]! + 1]!++;
  for (let d = 1; d < byDepth.length; d++) byDepth[d]! += byDepth[d - 1]!;
  const order = new Int32Array(states - 1);
  for (let s = 1; s < states; s++) order[byDepth[depth.data[s]!]!++] = s;
  const step = (state: number, c: number): number => {
    for (;;) {
      if (state === 0) return rootNext[c]! - 1 < 0 ? 0 : rootNext[c]! - 1;
      const next = children.next(state, c);
      if (next >= 0) return next;
      state = fail[state]!;
    }
  };
  for (const s of order) {
    const p = parent.data[s]!;
    fail[s] = p === 0 ? 0 : step(fail[p]!, viaCode.data[s]!);
    const inherited = best[fail[s]!]!;
    const own = ownBest.data[s]!;
    best[s] = own < inherited ? own : inherited;
  }
  // The matching loop's data, laid out so that one step touches as few cache lines as possible:
  // - `root[c]`: -1 when c occurs in no keyword (every state falls back to the root, which stays put),
  //   else the root's child by c, or 0 — one read decides the common cases;
  // - `node`: per state [first edge, end edge, failure state, best match], one 16-byte record;
  // - `edgeList`: per edge [code unit, target state] side by side, sorted by code unit within a state.
  const root = new Int32Array(0x10000).fill(-1);
  for (let c = 0; c < 0x10000; c++) if (inAlphabet[c] === 1) root[c] = rootNext[c]! > 0 ? rootNext[c]! - 1 : 0;
  const node = new Int32Array(states * 4);
  const edgeList = new Int32Array(Math.max(states - 1, 0) * 2);
  for (let s = 0; s < states; s++) {
    node[s * 4] = children.start[s]!;
    node[s * 4 + 1] = children.start[s + 1]!;
    node[s * 4 + 2] = fail[s]!;
    node[s * 4 + 3] = best[s]!;
  }
  for (let e = 0; e < states - 1; e++) {
    edgeList[e * 2] = children.code[e]!;
    edgeList[e * 2 + 1] = children.state[e]!;
  }
  // Exact keywords are looked up only for a message whose trimmed length some exact keyword has.
  const exactLength = new Uint8Array(longestExact + 1);
  for (const length of exactLengths) exactLength[length] = 1;
  const exact = new ExactTable([...exactKeys].map(([key, code]) => ({ key, code, hash: foldedHash(key, 0, key.length) })));

  const decode = (code: number): KeywordMatch => ({ ruleIndex: Math.floor(code / 256), keywordIndex: code % 256 });
  return {
    match(message) {
      let winner = NONE;
      // The trimmed message is looked up among the exact keywords when some has its length; its hash
      // is taken in the automaton's walk below, which folds each character anyway.
      let start = 0;
      let end = 0;
      if (longestExact > 0) {
        end = message.length;
        while (start < end && isSpace(message.charCodeAt(start))) start++;
        while (end > start && isSpace(message.charCodeAt(end - 1))) end--;
        if (end - start > longestExact || exactLength[end - start] !== 1) end = start;
      }
      let hash = 0x811c9dc5;
      let state = 0;
      for (let i = 0; i < message.length; i++) {
        let c = message.charCodeAt(i);
        if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
        else if (c === 0x3000) c = 0x20;
        if (c >= 0x41 && c <= 0x5a) c += 0x20;
        if (i >= start && i < end) hash = Math.imul(hash ^ c, 0x01000193);
        const fromRoot = root[c]!;
        if (fromRoot < 0) {
          state = 0;
          continue;
        }
        if (state === 0) {
          state = fromRoot;
        } else {
          for (;;) {
            const at = state << 2;
            let lo = node[at]!;
            let hi = node[at + 1]!;
            let next = -1;
            if (hi - lo <= 8) {
              // Most states have one or two children.
              for (; lo < hi; lo++) {
                if (edgeList[lo << 1] === c) {
                  next = edgeList[(lo << 1) + 1]!;
                  break;
                }
              }
            } else {
              hi--;
              while (lo <= hi) {
                const mid = (lo + hi) >> 1;
                const code = edgeList[mid << 1]!;
                if (code === c) {
                  next = edgeList[(mid << 1) + 1]!;
                  break;
                }
                if (code < c) lo = mid + 1;
                else hi = mid - 1;
              }
            }
            if (next >= 0) {
              state = next;
              break;
            }
            state = node[at + 2]!;
            if (state === 0) {
              state = fromRoot;
              break;
            }
          }
        }
        const b = node[(state << 2) + 3]!;
        if (b < winner) winner = b;
      }
      if (end > start) {
        const code = exact.find(message, start, end, hash);
        if (code < winner) winner = code;
      }
      return winner === NONE ? null : decode(winner);
    },
    stats: {
      rules: rules.length,
      containsKeywords,
      exactKeywords,
      states,
      bytes: root.byteLength + node.byteLength + edgeList.byteLength + exactLength.byteLength + exact.bytes,
    },
  };
}

/** The reference the automaton must agree with: every rule, every keyword, in priority order. */
export function naiveKeywordMatch(rules: readonly AutomatonRule[], message: string): KeywordMatch | null {
  const normalized = normalizeKeywordText(message);
  const trimmed = normalized.trim();
  for (let ruleIndex = 0; ruleIndex < rules.length; ruleIndex++) {
    const keywords = rules[ruleIndex]!.keywords;
    let found = -1;
    for (let k = 0; k < keywords.length && found < 0; k++) {
      const keyword = keywords[k]!;
      if (keyword.match === 'exact') {
        const key = normalizeKeywordText(keyword.text).trim();
        if (key !== '' && key === trimmed) found = k;
      } else if (keyword.text.length > 0 && normalized.includes(normalizeKeywordText(keyword.text))) {
        found = k;
      }
    }
    if (found >= 0) return { ruleIndex, keywordIndex: Math.min(found, 255) };
  }
  return null;
}
