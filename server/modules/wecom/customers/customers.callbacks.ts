import type { Logger } from 'pino';
import type { Clock } from '../../../platform/clock';
import type { CallbackSubscriptions } from '../../system/callbacks';
import type { CustomersRepository } from './customers.repository';
import type { CustomersService } from './customers.service';

export interface CustomerCallbackDeps {
  repository: CustomersRepository;
  service: Pick<CustomersService, 'refreshFromWeCom'>;
  subscribe: CallbackSubscriptions['subscribe'];
  clock: Clock;
  logger: Logger;
}

const eventTime = (seconds: number) => new Date(seconds * 1000);

/**
 * Keeps customers current from WeCom's change_external_contact events. An add
 * or edit reads the customer once with externalcontact/get (one call; the
 * welcome message is another module's subscriber to the same event and does
 * not wait on this one). Deletions end the follow. Every handler is
 * idempotent: a follow already in the state the event describes changes
 * nothing, and timeline entries are keyed by member and event time.
 * transfer_fail is the customer-transfers module's: it knows which transfer
 * failed, from and to whom, and writes the timeline entry.
 */
export function subscribeCustomerCallbacks(deps: CustomerCallbackDeps): () => void {
  const { repository, logger } = deps;

  async function onAdded(accountId: string, event: { userId: string; externalUserId: string; state?: string | undefined; createTimeS: number }): Promise<void> {
    try {
      await deps.service.refreshFromWeCom(accountId, event.externalUserId, event.state ? { userid: event.userId, state: event.state } : undefined);
    } catch (error) {
      // WeCom could not describe the customer now: keep what the event says; the next edit event or sync fills the rest.
      logger.warn({ err: error, accountId, externalUserId: event.externalUserId }, 'could not read a new customer from externalcontact/get; recorded from the event');
      const at = eventTime(event.createTimeS);
      await repository.transaction(async (repo) => {
        const now = deps.clock.now();
        const known = await repo.findFollow(accountId, event.externalUserId, event.userId);
        if (known?.status === 'active') return;
        await repo.ensureCustomer(accountId, event.externalUserId, at, now);
        await repo.upsertFollow(
          accountId,
          event.externalUserId,
          { userid: event.userId, remark: '', description: '', remarkCorpName: '', remarkMobiles: [], tagIds: [], addWay: 0, state: event.state || null, operUserid: null, addedAt: at },
          now,
        );
        await repo.insertEvent({
          accountId,
          externalUserid: event.externalUserId,
          userid: event.userId,
          kind: 'added',
          detail: { state: event.state ?? null },
          dedupeKey: `added:${event.userId.toLowerCase()}:${event.createTimeS}`,
          actorUserId: null,
          occurredAt: at,
        });
        await repo.refreshCustomer(accountId, event.externalUserId, now);
      });
    }
  }

  async function onEnded(accountId: string, event: { userId: string; externalUserId: string; createTimeS: number }, status: 'deleted_by_member' | 'deleted_by_customer', detail: Record<string, unknown>): Promise<void> {
    await repository.transaction(async (repo) => {
      const now = deps.clock.now();
      const at = eventTime(event.createTimeS);
      const ended = await repo.endFollow(accountId, event.externalUserId, event.userId, status, at, now);
      if (!ended) return;
      await repo.insertEvent({
        accountId,
        externalUserid: event.externalUserId,
        userid: event.userId,
        kind: status,
        detail,
        dedupeKey: `${status}:${event.userId.toLowerCase()}:${event.createTimeS}`,
        actorUserId: null,
        occurredAt: at,
      });
      await repo.refreshCustomer(accountId, event.externalUserId, now);
    });
  }

  async function note(accountId: string, event: { userId: string; externalUserId: string; createTimeS: number }, kind: string, detail: Record<string, unknown>): Promise<void> {
    await repository.insertEvent({
      accountId,
      externalUserid: event.externalUserId,
      userid: event.userId,
      kind,
      detail,
      dedupeKey: `${kind}:${event.userId.toLowerCase()}:${event.createTimeS}`,
      actorUserId: null,
      occurredAt: eventTime(event.createTimeS),
    });
  }

  const guarded =
    <E>(what: string, work: (accountId: string, event: E) => Promise<void>) =>
    async ({ event, account }: { event: E; account: { id: string } }) => {
      try {
        await work(account.id, event);
      } catch (error) {
        logger.error({ err: error, accountId: account.id }, `could not apply ${what}`);
      }
    };

  const offs = [
    deps.subscribe('wecom.change_external_contact.add_external_contact', guarded('add_external_contact', onAdded)),
    deps.subscribe(
      'wecom.change_external_contact.edit_external_contact',
      guarded('edit_external_contact', (accountId, event: { externalUserId: string }) => deps.service.refreshFromWeCom(accountId, event.externalUserId)),
    ),
    deps.subscribe(
      'wecom.change_external_contact.add_half_external_contact',
      guarded('add_half_external_contact', (accountId, event: { userId: string; externalUserId: string; state?: string | undefined; createTimeS: number }) =>
        note(accountId, event, 'half_added', { state: event.state ?? null }),
      ),
    ),
    deps.subscribe(
      'wecom.change_external_contact.del_external_contact',
      guarded('del_external_contact', (accountId, event: { userId: string; externalUserId: string; source?: string | undefined; createTimeS: number }) =>
        onEnded(accountId, event, 'deleted_by_member', event.source ? { source: event.source } : {}),
      ),
    ),
    deps.subscribe(
      'wecom.change_external_contact.del_follow_user',
      guarded('del_follow_user', (accountId, event: { userId: string; externalUserId: string; createTimeS: number }) => onEnded(accountId, event, 'deleted_by_customer', {})),
    ),
  ];
  return () => {
    for (const off of offs) off();
  };
}
