import { AppError } from '../../../../common/errors';
import { decodeCursor, encodeCursor, type Page } from '../../../../common/paging';
import type { MessageRow, MessagesRepository, NewMessageRow } from './messages.repository';
import type { ListMessagesQuery, Message } from './messages.schema';
import type { LateDelivery } from './messages.tables';

export interface MessagesServiceDeps {
  repository: MessagesRepository & { drain?(): Promise<void> };
  /** Throws ACCOUNT_NOT_FOUND for an unknown account. */
  getAccount(id: string): Promise<unknown>;
}

export type MessagesService = ReturnType<typeof createMessagesService>;

function toMessage(row: MessageRow): Message {
  const late = row.lateDelivery;
  return {
    id: row.id,
    accountId: row.accountId,
    receiver: row.receiver,
    type: row.type,
    msgType: row.msgType,
    event: row.event,
    from: row.fromUser,
    content: row.content,
    fields: row.fields,
    state: row.state,
    reply: row.replySummary ?? null,
    handledLate: row.handledLate,
    lateDelivery: late ? { ...late } : null,
    failure: row.failure,
    processingMs: row.processingMs,
    createTime: row.createTime.toISOString(),
    receivedAt: row.receivedAt.toISOString(),
  };
}

/** Reading the message log (REST) and writing it (the callback pipeline, through `log`). */
export function createMessagesService(deps: MessagesServiceDeps) {
  const { repository } = deps;
  return {
    async list(accountId: string, query: ListMessagesQuery): Promise<Page<Message>> {
      await deps.getAccount(accountId);
      const cursor = query.cursor ? decodeCursor(query.cursor) : null;
      if (query.cursor && (!cursor || typeof cursor[0] !== 'string' || typeof cursor[1] !== 'string')) {
        throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'querystring.cursor', message: 'invalid cursor' }] });
      }
      const filter = {
        accountId,
        type: query.type,
        fromUser: query.from,
        since: query.since ? new Date(query.since) : undefined,
        until: query.until ? new Date(query.until) : undefined,
        q: query.q,
      };
      const before = cursor ? { receivedAt: new Date(cursor[0] as string), id: cursor[1] as string } : undefined;
      const rows = await repository.list({ ...filter, before, limit: query.limit + 1 });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map(toMessage),
        nextCursor: rows.length > query.limit && last ? encodeCursor([last.receivedAt.toISOString(), last.id]) : null,
        total: await repository.count({ ...filter, limit: 0 }),
      };
    },

    /** Throws MESSAGE_NOT_FOUND. */
    async get(accountId: string, id: string): Promise<Message> {
      const row = await repository.findById(accountId, id);
      if (!row) throw new AppError('MESSAGE_NOT_FOUND', { id });
      return toMessage(row);
    },

    /** What the callback pipeline writes: one row per deduplication key (insert-if-absent), updated only for late handlers. */
    log: {
      claim: (row: NewMessageRow) => repository.claim(row),
      findByKey: (accountId: string, dedupeKey: string) => repository.findByKey(accountId, dedupeKey),
      recentKeys: (accountId: string, since: Date) => repository.recentKeys(accountId, since),
      findById: (accountId: string, id: string) => repository.findById(accountId, id),
      finish: repository.finish.bind(repository),
      renewLeases: (ids: string[]) => repository.renewLeases(ids),
      takeOver: (id: string) => repository.takeOver(id),
      recordLateDelivery: (id: string, delivery: LateDelivery) => repository.recordLateDelivery(id, delivery),
      /** Resolves once every write queued so far has reached the database. */
      drain: () => repository.drain?.() ?? Promise.resolve(),
    },
  };
}

export type MessageLog = MessagesService['log'];
