import { wecomBatchGetResult, wecomBatchReplaceParty, wecomBatchReplaceUser, wecomBatchSyncUser, wecomMediaUpload } from './batch-jobs';
import {
  wecomContactWayAdd,
  wecomContactWayDelete,
  wecomContactWayGet,
  wecomContactWayUpdate,
  wecomCorpTagAdd,
  wecomCorpTagDelete,
  wecomCorpTagEdit,
  wecomCustomerBatchGetByUser,
  wecomCustomerGet,
  wecomCustomerMarkTag,
  wecomFollowUserList,
  wecomWelcomeSend,
} from './customer-contact';
import { wecomCorpTagList, wecomCustomerList } from './customers';
import { wecomDepartmentCreate, wecomDepartmentDelete, wecomDepartmentGet, wecomDepartmentSimpleList, wecomDepartmentUpdate } from './departments';
import { wecomDepartmentList, wecomMemberGet, wecomMemberIdList } from './directory';
import {
  wecomMemberBatchDelete,
  wecomMemberCreate,
  wecomMemberDelete,
  wecomMemberList,
  wecomMemberSimpleList,
  wecomMemberUpdate,
} from './members';
import { wecomMessageSend } from './messages';
import { wecomToken } from './token';

export * from './batch-jobs';
export * from './customer-contact';
export * from './customers';
export * from './departments';
export * from './directory';
export * from './limits';
export * from './members';
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
  wecomDepartmentCreate,
  wecomDepartmentUpdate,
  wecomDepartmentDelete,
  wecomDepartmentSimpleList,
  wecomDepartmentGet,
  wecomMemberCreate,
  wecomMemberUpdate,
  wecomMemberDelete,
  wecomMemberBatchDelete,
  wecomMemberSimpleList,
  wecomMemberList,
  wecomMediaUpload,
  wecomBatchSyncUser,
  wecomBatchReplaceUser,
  wecomBatchReplaceParty,
  wecomBatchGetResult,
  wecomFollowUserList,
  wecomCustomerGet,
  wecomCustomerBatchGetByUser,
  wecomContactWayAdd,
  wecomContactWayGet,
  wecomContactWayUpdate,
  wecomContactWayDelete,
  wecomWelcomeSend,
  wecomCorpTagAdd,
  wecomCorpTagEdit,
  wecomCorpTagDelete,
  wecomCustomerMarkTag,
] as const;
