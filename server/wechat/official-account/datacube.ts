import { z } from 'zod';
import { defineEndpoint } from '../client/endpoint';

/** `yyyy-MM-dd`; WeChat keeps analytics from 2014-12-01 and serves a day after 08:00 the next day (facts §4.11). */
const dateRange = z.looseObject({ begin_date: z.string(), end_date: z.string() });

/** The widest range one call may ask for, in days counting both ends, by endpoint path. */
export const datacubeSpanDays: Record<string, number> = {};

function datacube<Row extends z.ZodType>(name: string, spanDays: number, row: Row, titleZh: string, titleEn: string, docPath: string) {
  const path = `datacube/${name}`;
  datacubeSpanDays[path] = spanDays;
  return defineEndpoint({
    product: 'official-account',
    method: 'POST',
    path,
    auth: 'access_token',
    request: dateRange,
    response: z.looseObject({ list: z.array(row) }),
    titleZh,
    titleEn,
    docPath,
  });
}

/** `user_source`: 0 other, 1 search, 17 card share, 30 QR code, 57 in-article name, 100 ads, 161 reposts, … */
export const oaUserSummary = datacube(
  'getusersummary',
  7,
  z.looseObject({ ref_date: z.string(), user_source: z.number(), new_user: z.number(), cancel_user: z.number() }),
  '获取用户增减数据',
  'Followers gained and lost per day',
  '/doc/offiaccount/Analytics/User_Analysis_Data_Interface.html',
);

export const oaUserCumulate = datacube(
  'getusercumulate',
  7,
  z.looseObject({ ref_date: z.string(), cumulate_user: z.number() }),
  '获取累计用户数据',
  'Followers in total per day',
  '/doc/offiaccount/Analytics/User_Analysis_Data_Interface.html',
);

/** `msg_type`: 1 text, 2 image, 3 voice, 4 video, 6 third-party app message (link). */
export const oaUpstreamMsg = datacube(
  'getupstreammsg',
  7,
  z.looseObject({ ref_date: z.string(), msg_type: z.number(), msg_user: z.number(), msg_count: z.number() }),
  '获取消息发送概况数据',
  'Messages followers sent per day',
  '/doc/offiaccount/Analytics/Message_analysis_data_interface.html',
);

export const oaInterfaceSummary = datacube(
  'getinterfacesummary',
  30,
  z.looseObject({ ref_date: z.string(), callback_count: z.number(), fail_count: z.number(), total_time_cost: z.number(), max_time_cost: z.number() }),
  '获取接口分析数据',
  'Callback deliveries per day',
  '/doc/offiaccount/Analytics/Analytics_API.html',
);

export const datacubeEndpoints = [oaUserSummary, oaUserCumulate, oaUpstreamMsg, oaInterfaceSummary] as const;
