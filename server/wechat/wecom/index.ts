import { wecomCorpTagList, wecomCustomerList } from './customers';
import { wecomDepartmentList, wecomMemberGet, wecomMemberIdList } from './directory';
import { wecomMessageSend } from './messages';
import { wecomToken } from './token';

export * from './customers';
export * from './directory';
export * from './limits';
export * from './messages';
export * from './token';

/** Every WeCom endpoint Qiao declares (the sandbox serves these). */
export const wecomEndpoints = [
  wecomToken,
  wecomDepartmentList,
  wecomMemberGet,
  wecomMemberIdList,
  wecomMessageSend,
  wecomCustomerList,
  wecomCorpTagList,
] as const;
