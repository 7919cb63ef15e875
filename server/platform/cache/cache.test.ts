import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { describeCacheContract } from './cache-contract';
import { createCache } from './index';
import { createMemoryCache, MemoryCacheState } from './memory-cache';

const memoryState = new MemoryCacheState();
describeCacheContract('in-process', async () => createMemoryCache(memoryState));

const redisUrl = process.env.REDIS_URL;
if (redisUrl) {
  // Each run gets its own namespace, so parallel workers never see each other's keys.
  const keyPrefix = `qiao:test:${randomUUID()}:`;
  describeCacheContract(
    'Redis',
    () => createCache({ redisUrl, keyPrefix }),
    async () => {
      const admin = new Redis(redisUrl);
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, found] = await admin.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 500);
        cursor = next;
        keys.push(...found);
      } while (cursor !== '0');
      if (keys.length > 0) await admin.del(...keys);
      await admin.quit();
    },
  );
}
