import { describe, expect, it } from 'vitest';
import type { Customer } from '../server/modules/wecom/customers/customers.schema';
import { customerRows } from './commands/wecom-customers';

const follower = (userid: string, status: Customer['followers'][number]['status'], mobiles: string[] = []) => ({
  userid,
  memberName: null,
  remark: '',
  description: '',
  remarkCorpName: '',
  remarkMobiles: mobiles,
  tagIds: [],
  addWay: 1,
  state: null,
  operUserid: null,
  addedAt: '2026-11-01T02:00:00.000Z',
  status,
  endedAt: null,
});

const customer: Customer = {
  externalUserId: 'wmAbc123',
  name: '王先生',
  type: 'wechat',
  avatar: null,
  gender: 'male',
  corpName: null,
  corpFullName: null,
  position: null,
  unionid: null,
  status: 'active',
  firstAddedAt: '2026-11-01T02:00:00.000Z',
  lostAt: null,
  tagIds: ['et1'],
  source: { state: 'spring_fair', addWay: 1, userid: 'zhangsan' },
  remark: '王总',
  followers: [follower('zhangsan', 'active', ['138****1234']), follower('lisi', 'deleted_by_customer', ['138****1234'])],
  consent: null,
  purgeAfter: null,
  syncedAt: null,
  updatedAt: '2026-11-01T02:00:00.000Z',
};

describe('qiao customers list', () => {
  it('prints current members only, each phone once as the server masked it, and the channel', () => {
    const lines = customerRows([customer]).split('\n');
    expect(lines[0]).toMatch(/^EXTERNAL USERID\s+NAME\s+MEMBERS\s+REMARK\s+PHONES\s+TAGS\s+SOURCE\s+ADDED\s+STATUS/);
    expect(lines[1]).toContain('wmAbc123');
    expect(lines[1]).toContain('zhangsan');
    expect(lines[1]).not.toContain('lisi');
    expect(lines[1]?.match(/138\*\*\*\*1234/g)).toHaveLength(1);
    expect(lines[1]).toContain('spring_fair');
    expect(lines[1]).toContain('2026-11-01 02:00:00');
  });
});
