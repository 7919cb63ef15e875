import { AppError } from '../../../common/errors';
import type { Clock } from '../../platform/clock';
import { generateEncodingAesKey, stringField, type WeChatRecord } from '../../wechat/core';
import { newId } from './ids';
import type { Pushes, PushTarget } from './pushes';
import { deliverySummary } from './pushes';
import { MAX_DEPARTMENT_DEPTH, ROOT_DEPARTMENT_ID, useridKey } from './rules';
import { receiverKind } from './scope';
import type { CustomerRow, DepartmentRow, FollowRow, InboxRow, MemberDepartmentRow, MemberRow, ReceiverRow, WeComRepository } from './wecom.repository';

/** The app every new sandbox corp gets, as WeCom numbers self-built apps. */
export const DEFAULT_AGENT_ID = '1000002';

export interface CorpSpec {
  name?: string | undefined;
  /** Self-built apps by AgentId; one (1000002) when omitted. */
  agentIds?: string[] | undefined;
  departments?: number | undefined;
  members?: number | undefined;
  customers?: number | undefined;
}

export interface ReceiverView {
  receiver: string;
  kind: 'app' | 'contacts' | 'customer-contact';
  name: string;
  secret: string;
  token: string;
  encodingAesKey: string;
  callbackUrl: string | null;
}

export interface CorpView {
  corpId: string;
  name: string;
  creatorUserid: string | null;
  receivers: ReceiverView[];
}

const surnames = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const givenNames = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '华', '慧', '建国', '晓东'];
const teamNames = ['销售', '市场', '研发', '产品', '客服', '运营', '财务', '人事', '法务', '采购'];

function personName(i: number): string {
  return `${surnames[i % surnames.length]}${givenNames[Math.floor(i / surnames.length) % givenNames.length]}${i >= surnames.length * givenNames.length ? Math.floor(i / 400) : ''}`;
}

function receiverView(row: ReceiverRow): ReceiverView {
  return {
    receiver: row.receiver,
    kind: receiverKind(row.receiver),
    name: row.name,
    secret: row.secret,
    token: row.token,
    encodingAesKey: row.encodingAesKey,
    callbackUrl: row.callbackUrl,
  };
}

export function pushTarget(row: ReceiverRow): PushTarget {
  return { corpId: row.corpId, receiver: row.receiver, token: row.token, encodingAesKey: row.encodingAesKey, callbackUrl: row.callbackUrl };
}

/** The simulated corps: receivers, a generated directory and customers, and what members and customers do. */
export function createWorld(deps: { repository: WeComRepository; clock: Clock; pushes: Pushes }) {
  const { repository } = deps;

  async function requireCorp(corpId: string) {
    const corp = await repository.findCorp(corpId);
    if (!corp) throw new AppError('SANDBOX_WECOM_CORP_NOT_FOUND', { corpId });
    return corp;
  }

  async function requireReceiver(corpId: string, receiver: string): Promise<ReceiverRow> {
    const row = await repository.findReceiver(corpId, receiver);
    if (!row) throw new AppError('SANDBOX_WECOM_RECEIVER_NOT_FOUND', { corpId, receiver });
    return row;
  }

  async function requireMember(corpId: string, userid: string): Promise<MemberRow> {
    const member = await repository.findMember(corpId, useridKey(userid));
    if (!member) throw new AppError('SANDBOX_WECOM_MEMBER_NOT_FOUND', { corpId, userid });
    return member;
  }

  async function view(corpIds: string[]): Promise<CorpView[]> {
    const receivers = await repository.listReceivers(corpIds);
    const corps = await Promise.all(corpIds.map((id) => repository.findCorp(id)));
    return corps.flatMap((corp) =>
      corp ? [{ corpId: corp.corpId, name: corp.name, creatorUserid: corp.creatorUserid, receivers: receivers.filter((r) => r.corpId === corp.corpId).map(receiverView) }] : [],
    );
  }

  /** A breadth-first tree under the root, five children per department, never deeper than WeCom allows. */
  function departmentTree(corpId: string, count: number): DepartmentRow[] {
    const rows: DepartmentRow[] = [];
    const levels = new Map<number, number>([[ROOT_DEPARTMENT_ID, 1]]);
    const parents = [ROOT_DEPARTMENT_ID];
    for (let i = 0; i < count; i++) {
      const id = ROOT_DEPARTMENT_ID + 1 + i;
      let parentId = parents[Math.floor(i / 5)] ?? ROOT_DEPARTMENT_ID;
      if ((levels.get(parentId) ?? 1) >= MAX_DEPARTMENT_DEPTH) parentId = ROOT_DEPARTMENT_ID;
      const level = (levels.get(parentId) ?? 1) + 1;
      levels.set(id, level);
      parents.push(id);
      rows.push({ corpId, id, name: `${teamNames[i % teamNames.length]}${Math.floor(i / teamNames.length) + 1}部`, nameEn: null, parentId, order: count - i, leaders: [] });
    }
    return rows;
  }

  async function generateMembers(corpId: string, count: number, departmentIds: number[], startAt: number): Promise<MemberRow[]> {
    const now = deps.clock.now();
    const members: MemberRow[] = [];
    const placements: MemberDepartmentRow[] = [];
    for (let n = 0; n < count; n++) {
      const i = startAt + n;
      const userid = `user${String(i + 1).padStart(5, '0')}`;
      const departmentId = departmentIds[i % departmentIds.length] ?? ROOT_DEPARTMENT_ID;
      members.push({
        corpId,
        useridKey: userid,
        userid,
        name: personName(i),
        mobile: `139${String(10_000_000 + i).slice(-8)}`,
        email: `${userid}@example.com`,
        mainDepartment: departmentId,
        status: 1,
        profile: { position: i % 10 === 0 ? '经理' : '专员', gender: String(1 + (i % 2)) },
        createdAt: now,
      });
      placements.push({ corpId, useridKey: userid, departmentId, position: 0, order: 0, isLeader: i % 10 === 0 });
    }
    await repository.insertMembers(members, placements);
    return members;
  }

  async function generateCustomers(corpId: string, count: number, followers: string[]): Promise<CustomerRow[]> {
    const now = deps.clock.now();
    const nowS = Math.floor(now.getTime() / 1000);
    const customers: CustomerRow[] = [];
    const follows: FollowRow[] = [];
    for (let i = 0; i < count; i++) {
      const externalUserid = newId.externalUserid();
      customers.push({ corpId, externalUserid, name: `客户${personName(i + 7)}`, type: 1, gender: 1 + (i % 2), unionid: null, corpName: null, position: null, createdAt: now });
      const follower = followers.length ? followers[i % followers.length] : undefined;
      if (follower) follows.push({ corpId, externalUserid, useridKey: useridKey(follower), remark: '', description: '', createdAtS: nowS, addWay: 1, state: null, tagIds: [], remarkMobiles: [] });
    }
    await repository.insertCustomers(customers);
    await repository.insertFollows(follows);
    return customers;
  }

  async function createCorp(spec: CorpSpec): Promise<CorpView> {
    const corpId = newId.corp();
    const name = spec.name ?? '桥沙箱科技有限公司';
    const now = deps.clock.now();
    const agentIds = spec.agentIds?.length ? spec.agentIds : [DEFAULT_AGENT_ID];
    const receiver = (id: string, receiverName: string): ReceiverRow => ({
      corpId,
      receiver: id,
      name: receiverName,
      secret: newId.secret(),
      token: newId.callbackToken(),
      encodingAesKey: generateEncodingAesKey(),
      callbackUrl: null,
      createdAt: now,
    });
    await repository.insertCorp({ corpId, name, creatorUserid: null, createdAt: now });
    await repository.insertReceivers([
      ...agentIds.map((id, i) => receiver(id, i === 0 ? '桥助手' : `应用${id}`)),
      receiver('contacts', '通讯录同步'),
      receiver('customer-contact', '客户联系'),
    ]);
    const departments = departmentTree(corpId, spec.departments ?? 0);
    await repository.insertDepartments([{ corpId, id: ROOT_DEPARTMENT_ID, name, nameEn: null, parentId: 0, order: 100_000_000, leaders: [] }, ...departments]);
    const memberCount = spec.members ?? 0;
    if (memberCount > 0) {
      const members = await generateMembers(corpId, memberCount, departments.length ? departments.map((d) => d.id) : [ROOT_DEPARTMENT_ID], 0);
      await repository.transaction(async (tx) => {
        const creator = members[0];
        if (creator) await tx.updateCorp(corpId, { creatorUserid: creator.userid });
      });
      await generateCustomers(corpId, spec.customers ?? 0, members.map((m) => m.userid));
    } else if (spec.customers) {
      await generateCustomers(corpId, spec.customers, []);
    }
    const [created] = await view([corpId]);
    return created as CorpView;
  }

  return {
    createCorp,
    requireCorp,

    async listCorps(): Promise<CorpView[]> {
      return view((await repository.listCorps()).map((c) => c.corpId));
    },

    async getCorp(corpId: string): Promise<CorpView> {
      await requireCorp(corpId);
      return (await view([corpId]))[0] as CorpView;
    },

    async updateReceiver(corpId: string, receiver: string, changes: { callbackUrl?: string | null | undefined; token?: string | undefined; encodingAesKey?: string | undefined }) {
      await requireReceiver(corpId, receiver);
      await repository.updateReceiver(corpId, receiver, {
        ...(changes.callbackUrl !== undefined ? { callbackUrl: changes.callbackUrl } : {}),
        ...(changes.token !== undefined ? { token: changes.token } : {}),
        ...(changes.encodingAesKey !== undefined ? { encodingAesKey: changes.encodingAesKey } : {}),
      });
      return receiverView(await requireReceiver(corpId, receiver));
    },

    /** More members and customers for an existing corp (benchmarks). */
    async populate(corpId: string, spec: { members?: number | undefined; customers?: number | undefined }) {
      await requireCorp(corpId);
      const departments = (await repository.listDepartments(corpId)).map((d) => d.id);
      const existing = await repository.memberKeys(corpId);
      const members = spec.members ? await generateMembers(corpId, spec.members, departments, existing.length) : [];
      const followers = members.length ? members.map((m) => m.userid) : existing;
      const customers = spec.customers ? await generateCustomers(corpId, spec.customers, followers) : [];
      return { members: members.length, customers: customers.map((c) => ({ externalUserId: c.externalUserid, name: c.name })) };
    },

    /** New customers, each followed by `userid` when given (no events: they were there before). */
    async createCustomers(corpId: string, input: { count: number; userid?: string | undefined }) {
      await requireCorp(corpId);
      const follower = input.userid ? (await requireMember(corpId, input.userid)).userid : undefined;
      const customers = await generateCustomers(corpId, input.count, follower ? [follower] : []);
      return { customers: customers.map((c) => ({ externalUserId: c.externalUserid, name: c.name })) };
    },

    /**
     * The customer adds a member (scans a 「联系我」 code): the follow is recorded and
     * the customer-contact receiver gets `add_external_contact` with a WelcomeCode.
     */
    async addMember(corpId: string, externalUserid: string, input: { userid: string; state?: string | undefined }) {
      await requireCorp(corpId);
      const customer = await repository.findCustomer(corpId, externalUserid);
      if (!customer) throw new AppError('SANDBOX_WECOM_CUSTOMER_NOT_FOUND', { corpId, externalUserId: externalUserid });
      const member = await requireMember(corpId, input.userid);
      if (await repository.findFollow(corpId, externalUserid, member.useridKey)) {
        throw new AppError('SANDBOX_WECOM_ALREADY_FOLLOWING', { externalUserId: externalUserid, userid: member.userid });
      }
      const now = deps.clock.now();
      const welcomeCode = newId.welcomeCode();
      await repository.transaction(async (tx) => {
        await tx.insertFollows([
          {
            corpId,
            externalUserid,
            useridKey: member.useridKey,
            remark: '',
            description: '',
            createdAtS: Math.floor(now.getTime() / 1000),
            addWay: 1,
            state: input.state ?? null,
            tagIds: [],
          },
        ]);
        await tx.insertWelcomeCode({ code: welcomeCode, corpId, externalUserid, userid: member.userid, issuedAt: now, usedAt: null });
      });
      const target = await requireReceiver(corpId, 'customer-contact');
      const delivery = await deps.pushes.push(pushTarget(target), {
        actor: externalUserid,
        label: 'event:change_external_contact.add_external_contact',
        fields: {
          FromUserName: 'sys',
          MsgType: 'event',
          Event: 'change_external_contact',
          ChangeType: 'add_external_contact',
          UserID: member.userid,
          ExternalUserID: externalUserid,
          ...(input.state ? { State: input.state } : {}),
          WelcomeCode: welcomeCode,
        },
      });
      return { delivery: deliverySummary(delivery), received: delivery.received, welcomeCode };
    },

    /** A member writes to an app: the app's receiver gets a `text` message; a passive reply lands in the member's inbox. */
    async memberSendsText(corpId: string, userid: string, input: { content: string; agentId?: string | undefined }) {
      await requireCorp(corpId);
      const member = await requireMember(corpId, userid);
      const receivers = await repository.listReceivers([corpId]);
      const app = input.agentId ? receivers.find((r) => r.receiver === input.agentId) : receivers.find((r) => receiverKind(r.receiver) === 'app');
      if (!app || receiverKind(app.receiver) !== 'app') throw new AppError('SANDBOX_WECOM_RECEIVER_NOT_FOUND', { corpId, receiver: input.agentId ?? 'app' });
      const msgId = newId.msgId();
      const delivery = await deps.pushes.push(pushTarget(app), {
        actor: member.userid,
        label: 'text',
        agentId: app.receiver,
        fields: { FromUserName: member.userid, MsgType: 'text', Content: input.content, MsgId: msgId, AgentID: app.receiver },
        async onReply(reply: WeChatRecord) {
          const msgtype = stringField(reply, 'MsgType') ?? 'text';
          const payload = { ...reply } as Record<string, unknown>;
          const row = { corpId, ownerKind: 'member' as const, ownerId: member.useridKey, source: 'passive_reply', sender: app.receiver, msgtype, payload, createdAt: deps.clock.now() };
          await repository.deliverToInbox([row]);
          return [{ source: row.source, sender: row.sender, msgtype, payload }];
        },
      });
      return { delivery: deliverySummary(delivery), received: delivery.received, msgId };
    },

    async inbox(corpId: string, kind: InboxRow['ownerKind'], id: string) {
      await requireCorp(corpId);
      let ownerId = id;
      if (kind === 'member') ownerId = (await requireMember(corpId, id)).useridKey;
      else if (!(await repository.findCustomer(corpId, id))) throw new AppError('SANDBOX_WECOM_CUSTOMER_NOT_FOUND', { corpId, externalUserId: id });
      const rows = await repository.inbox(corpId, kind, ownerId, 1000);
      return {
        items: rows.map((r) => ({ id: r.id, source: r.source, sender: r.sender, msgtype: r.msgtype, payload: r.payload, receivedAt: r.createdAt.toISOString() })),
      };
    },
  };
}

export type World = ReturnType<typeof createWorld>;
