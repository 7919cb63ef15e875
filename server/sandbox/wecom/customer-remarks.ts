import { customerRemarkLimits } from '../../wechat/wecom/customer-remarks';
import type { CustomerRemarksRepository } from './customer-remarks.repository';
import { useridKey } from './rules';
import type { WeComCaller } from './scope';
import type { WeComRepository } from './wecom.repository';
import { INVALID_PARAMETER, weComError } from './wecom-errors';

export interface CustomerRemarkInput {
  userid: string;
  external_userid: string;
  remark?: string | undefined;
  description?: string | undefined;
  remark_company?: string | undefined;
  remark_mobiles?: string[] | undefined;
  remark_pic_mediaid?: string | undefined;
}

const chars = (value: string) => [...value].length;
const MOBILE = /^[0-9+-]{1,32}$/;

/**
 * externalcontact/remark as WeCom answers it: the member and the customer
 * must exist and be connected, at least one field must be given, and each
 * keeps to its length. Remark and description are stored and come back in
 * externalcontact/get, as do the phone numbers (`[""]` clears them); the
 * company and picture are checked only.
 */
export function createCustomerRemarks(deps: { repository: WeComRepository; remarks: CustomerRemarksRepository }) {
  return {
    async setRemark(caller: WeComCaller, input: CustomerRemarkInput) {
      const given = [input.remark, input.description, input.remark_company, input.remark_pic_mediaid].some((v) => v !== undefined && v !== '') || input.remark_mobiles !== undefined;
      if (!given) throw weComError(INVALID_PARAMETER, 'remark, description, remark_company, remark_mobiles and remark_pic_mediaid are all empty');
      if (input.remark !== undefined && chars(input.remark) > customerRemarkLimits.remarkChars) throw weComError(INVALID_PARAMETER, 'remark');
      if (input.description !== undefined && chars(input.description) > customerRemarkLimits.descriptionChars) throw weComError(INVALID_PARAMETER, 'description');
      if (input.remark_company !== undefined && chars(input.remark_company) > customerRemarkLimits.remarkCompanyChars) throw weComError(INVALID_PARAMETER, 'remark_company');
      const mobiles = input.remark_mobiles ?? [];
      // [""] is WeCom's way of clearing the numbers.
      if (!(mobiles.length === 1 && mobiles[0] === '') && mobiles.some((m) => !MOBILE.test(m))) throw weComError(INVALID_PARAMETER, 'remark_mobiles');
      const [member] = await deps.repository.findMembers(caller.corpId, [useridKey(input.userid)]);
      if (!member) throw weComError(60111, input.userid);
      if (!(await deps.repository.findCustomer(caller.corpId, input.external_userid))) throw weComError(40096, 'external_userid');
      if (!(await deps.repository.findFollow(caller.corpId, input.external_userid, member.useridKey))) throw weComError(84061, input.external_userid);
      await deps.remarks.setRemark(caller.corpId, input.external_userid, member.useridKey, {
        ...(input.remark !== undefined ? { remark: input.remark } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.remark_mobiles !== undefined ? { remarkMobiles: mobiles.filter((m) => m !== '') } : {}),
      });
      return { errcode: 0, errmsg: 'ok' };
    },
  };
}
