import { renderErrorMessage } from '../../common/errors';
import { auditPageSchema, auditVerifyResultSchema, listAuditQuerySchema, type AuditEntry } from '../../server/modules/system/audit/audit.schema';
import { intOption, noteNextPage, pagingOptions, print, printJson, stringOption, validated, type CommandGroup } from '../command';
import { CliError } from '../errors';
import { renderTable } from '../table';

export const auditGroup: CommandGroup = {
  name: 'audit',
  summary: 'Who did what, when and from where',
  commands: [
    {
      name: 'list',
      summary: 'List audit entries, newest first',
      options: {
        action: { type: 'string', value: '<action>', description: 'Only this action, e.g. users.create' },
        actor: { type: 'string', value: '<user>', description: 'Only this user (id or username)' },
        outcome: { type: 'string', value: '<outcome>', description: 'ok or refused' },
        'target-type': { type: 'string', value: '<type>', description: 'Only entries about this kind of object' },
        from: { type: 'string', value: '<iso-time>', description: 'From this time on, ISO 8601 with offset' },
        to: { type: 'string', value: '<iso-time>', description: 'Up to this time, ISO 8601 with offset' },
        ...pagingOptions,
      },
      async run(context) {
        const query = validated(context, listAuditQuerySchema, {
          action: stringOption(context, 'action'),
          actor: stringOption(context, 'actor'),
          outcome: stringOption(context, 'outcome'),
          targetType: stringOption(context, 'target-type'),
          from: stringOption(context, 'from'),
          to: stringOption(context, 'to'),
          limit: intOption(context, 'limit'),
          cursor: stringOption(context, 'cursor'),
        });
        const { data } = await context.api().call('GET', '/api/v1/audit-log', auditPageSchema, { query });
        if (context.json) return printJson(context, data);
        print(
          context,
          renderTable(
            [
              { header: 'SEQ', value: (e: AuditEntry) => e.seq },
              { header: 'AT', value: (e) => e.at },
              { header: 'ACTOR', value: (e) => e.actorName ?? e.actorType },
              { header: 'ACTION', value: (e) => e.action },
              { header: 'OUTCOME', value: (e) => e.outcome },
              { header: 'TARGET', value: (e) => [e.targetType, e.targetId].filter(Boolean).join(':') },
              { header: 'IP', value: (e) => e.ip },
            ],
            data.items,
          ),
        );
        noteNextPage(context, data.nextCursor);
      },
    },
    {
      name: 'verify',
      summary: 'Check the hash chain of the audit log; exits 1 when an entry was changed or removed',
      async run(context) {
        const { data } = await context.api().call('POST', '/api/v1/audit-log/verify', auditVerifyResultSchema);
        if (context.json) printJson(context, data);
        if (!data.ok) {
          const seq = data.brokenAt ?? '?';
          throw new CliError('AUDIT_CHAIN_BROKEN', renderErrorMessage('AUDIT_CHAIN_BROKEN', context.locale, { seq }), { details: { seq } });
        }
        if (!context.json) print(context, `Audit log intact: ${data.checked} entries checked.`);
      },
    },
  ],
};
