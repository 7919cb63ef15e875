import { execFileSync } from 'node:child_process';
import { setTimeout as tick } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collectGarbage } from './memory-tuning';

describe('tuneMemory', () => {
  it('has V8 compile WebAssembly by the optimizing compiler alone from then on', () => {
    // V8's flags are process-wide, so this runs in a process of its own. A function returning `value`,
    // as the smallest module: the two compiled modules differ, so the second is not taken from a cache.
    const script = `
      import { setFlagsFromString } from 'node:v8';
      import { tuneMemory } from ${JSON.stringify(fileURLToPath(new URL('./memory-tuning.ts', import.meta.url)))};
      setFlagsFromString('--allow-natives-syntax');
      const isBaseline = new Function('f', 'return %IsLiftoffFunction(f)');
      const compiled = async (value) => {
        const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 127, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, 6, 1, 4, 0, 65, value, 11]);
        const f = (await WebAssembly.instantiate(bytes)).instance.exports.f;
        if (f() !== value) throw new Error('wrong module');
        return f;
      };
      const before = isBaseline(await compiled(1));
      tuneMemory();
      const after = isBaseline(await compiled(2));
      console.log(JSON.stringify({ before, after }));
    `;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out.trim())).toEqual({ before: true, after: false });
  });
});

describe('collectGarbage', () => {
  it('frees an object nothing refers to any more, every time it is called', async () => {
    for (let round = 0; round < 2; round++) {
      const ref = ((): WeakRef<object> => new WeakRef({ rows: Array.from({ length: 10_000 }, (_, i) => ({ i })) }))();
      // A WeakRef's target stays alive until the task that made (or last read) it ends.
      await tick(0);
      collectGarbage();
      expect(ref.deref()).toBeUndefined();
    }
  });
});
