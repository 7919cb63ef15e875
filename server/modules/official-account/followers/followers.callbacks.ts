import type { Logger } from 'pino';
import type { CallbackSubscriptions } from '../../system/callbacks';
import type { FollowersRepository } from './followers.repository';

export interface FollowerCallbackDeps {
  repository: FollowersRepository;
  subscribe: CallbackSubscriptions['subscribe'];
  /** user/info for one follower; runs after the passive answer, never before it. */
  refreshFromWeChat(accountId: string, openId: string): Promise<void>;
  logger: Logger;
}

const eventTime = (seconds: number) => new Date(seconds * 1000);

/** `qrscene_123` carries a scene_id, anything else a scene_str; user/info later tells exactly. */
function sceneOf(value: string | undefined): { qrScene?: number; qrSceneStr?: string } | null {
  if (value === undefined || value === '') return null;
  return /^\d{1,10}$/.test(value) ? { qrScene: Number(value) } : { qrSceneStr: value };
}

/**
 * Keeps the follower table current from callbacks. Each handler does one
 * indexed write and returns without a reply, so the passive answer never
 * waits on WeChat; the user/info refresh after a follow runs detached.
 */
export function subscribeFollowerCallbacks(deps: FollowerCallbackDeps): () => void {
  const { repository, logger } = deps;
  const refreshLater = (accountId: string, openId: string) => {
    void deps.refreshFromWeChat(accountId, openId).catch((error: unknown) => {
      logger.warn({ err: error, accountId }, 'could not refresh a follower from user/info');
    });
  };
  const offs = [
    deps.subscribe('official-account.subscribe', async ({ event, account }) => {
      await repository.markSubscribed(account.id, event.fromUserName, eventTime(event.createTimeS), sceneOf(event.qrScene));
      refreshLater(account.id, event.fromUserName);
    }),
    deps.subscribe('official-account.unsubscribe', async ({ event, account }) => {
      await repository.markUnsubscribed(account.id, event.fromUserName, eventTime(event.createTimeS));
    }),
    deps.subscribe('official-account.SCAN', async ({ event, account }) => {
      const known = await repository.find(account.id, event.fromUserName);
      if (known?.subscribed) {
        await repository.touchInteraction(account.id, event.fromUserName, eventTime(event.createTimeS));
        return;
      }
      // A scan comes only from a follower: one we missed is followed now and described by user/info.
      await repository.markSubscribed(account.id, event.fromUserName, eventTime(event.createTimeS), null);
      refreshLater(account.id, event.fromUserName);
    }),
    deps.subscribe('official-account.*', async ({ event, account }) => {
      if (event.type === 'official-account.subscribe' || event.type === 'official-account.unsubscribe' || event.type === 'official-account.SCAN') return;
      await repository.touchInteraction(account.id, event.fromUserName, eventTime(event.createTimeS));
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
}
