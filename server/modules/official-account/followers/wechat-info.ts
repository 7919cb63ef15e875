import type { z } from 'zod';
import type { wechatFollowerSchema } from '../../../wechat/official-account';
import type { FollowerInfo } from './followers.repository';

type WeChatFollower = z.infer<typeof wechatFollowerSchema>;

const optionalText = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/** user/info's answer in Qiao's words; place fields are read only if WeChat still sends them. */
export function infoFromWeChat(info: WeChatFollower): FollowerInfo {
  if (info.subscribe !== 1) return { openId: info.openid, subscribed: false };
  return {
    openId: info.openid,
    subscribed: true,
    subscribeTime: info.subscribe_time ? new Date(info.subscribe_time * 1000) : undefined,
    subscribeScene: optionalText(info.subscribe_scene),
    qrScene: info.qr_scene || undefined,
    qrSceneStr: optionalText(info.qr_scene_str),
    language: optionalText(info.language),
    remark: info.remark ?? '',
    tagIds: info.tagid_list ?? [],
    unionId: optionalText(info.unionid),
    groupId: info.groupid,
    country: optionalText(info.country),
    province: optionalText(info.province),
    city: optionalText(info.city),
  };
}
