import { wecomApprovalApply, wecomApprovalDetail, wecomApprovalInfo } from './approvals';
import { wecomBatchGetResult, wecomBatchReplaceParty, wecomBatchReplaceUser, wecomBatchSyncUser, wecomMediaUpload } from './batch-jobs';
import {
  wecomContactWayAdd,
  wecomContactWayDelete,
  wecomContactWayGet,
  wecomContactWayList,
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
import { wecomCustomerRemark } from './customer-remarks';
import { wecomDepartmentCreate, wecomDepartmentDelete, wecomDepartmentGet, wecomDepartmentSimpleList, wecomDepartmentUpdate } from './departments';
import { wecomDepartmentList, wecomMemberGet, wecomMemberIdList } from './directory';
import { wecomGroupChatGet, wecomGroupChatList, wecomGroupJoinWayAdd, wecomGroupJoinWayDelete, wecomGroupJoinWayGet, wecomGroupJoinWayUpdate } from './group-chats';
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
import { wecomResignedTransferCustomer, wecomResignedTransferResult, wecomTransferCustomer, wecomTransferResult, wecomUnassignedList } from './transfers';

export * from './approvals';
export * from './batch-jobs';
export * from './customer-contact';
export * from './customers';
export * from './customer-remarks';
export * from './departments';
export * from './directory';
export * from './group-chats';
export * from './limits';
export * from './members';
export * from './messages';
export * from './token';
export * from './transfers';

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
  wecomContactWayList,
  wecomContactWayUpdate,
  wecomContactWayDelete,
  wecomWelcomeSend,
  wecomCorpTagAdd,
  wecomCorpTagEdit,
  wecomCorpTagDelete,
  wecomCustomerMarkTag,
  wecomGroupChatList,
  wecomGroupChatGet,
  wecomGroupJoinWayAdd,
  wecomGroupJoinWayGet,
  wecomGroupJoinWayUpdate,
  wecomGroupJoinWayDelete,
  wecomTransferCustomer,
  wecomTransferResult,
  wecomResignedTransferCustomer,
  wecomResignedTransferResult,
  wecomUnassignedList,
  wecomCustomerRemark,
  wecomApprovalApply,
  wecomApprovalInfo,
  wecomApprovalDetail,
] as const;
