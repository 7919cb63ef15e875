// `npm run bench keyword-matching`: auto-reply keyword matching at 10, 1,000 and 100,000 rules.
// Rules and messages are generated from a business vocabulary (a seeded generator, so runs compare);
// reports messages/s on one core, automaton build time and memory, and checks every sampled match
// against a naive scan. Sizes: BENCH_RULES=10,1000,100000. Each size runs in its own process (its own
// seed, its own JIT state: in one process the code optimized for one size served the next, and the same
// size measured anywhere from 1.6 to 3.0 M/s from run to run), and reports the median of 7 rounds.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { cpus } from 'node:os';
import {
  buildKeywordAutomaton,
  naiveKeywordMatch,
  type AutomatonRule,
} from '../server/modules/official-account/auto-replies/keyword-automaton';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

// What a company's followers ask about: products, their attributes, places, seasons, model numbers.
const products = [
  '空调', '冰箱', '洗衣机', '热水器', '净水器', '扫地机', '电饭煲', '微波炉', '油烟机', '燃气灶',
  '手机', '平板', '笔记本', '耳机', '手表', '音箱', '路由器', '打印机', '显示器', '键盘',
  '会员卡', '储值卡', '礼品卡', '优惠券', '积分', '年卡', '月卡', '体验课', '私教课', '团课',
  '标准版', '专业版', '企业版', '旗舰版', '基础套餐', '高级套餐', '定制服务', '上门安装', '延保服务', '以旧换新',
  '门票', '酒店', '套房', '早餐', '接送机', '停车', '宽带', '流量包', '话费', '发票',
  '奶粉', '纸尿裤', '面膜', '精华液', '口红', '咖啡豆', '茶叶', '月饼', '粽子', '年货礼盒',
];
const attributes = [
  '价格', '多少钱', '优惠', '折扣', '促销', '活动', '库存', '发货', '物流', '快递',
  '退货', '换货', '退款', '售后', '保修', '维修', '安装', '说明书', '型号', '尺寸',
  '颜色', '功率', '能耗', '质量', '评价', '怎么用', '怎么买', '哪里买', '预约', '取消',
  '开票', '报销', '营业时间', '地址', '电话', '客服', '加盟', '代理', '批发', '团购',
];
const cities = [
  '北京', '上海', '广州', '深圳', '杭州', '成都', '重庆', '武汉', '西安', '南京',
  '天津', '苏州', '长沙', '郑州', '青岛', '沈阳', '宁波', '东莞', '无锡', '厦门',
  '福州', '济南', '合肥', '昆明', '大连', '哈尔滨', '石家庄', '南宁', '贵阳', '南昌',
];
const seasons = ['春节', '元宵', '五一', '端午', '暑期', '七夕', '中秋', '国庆', '双十一', '双十二', '年中', '周年庆'];
const series = ['A', 'B', 'C', 'K', 'S', 'X', 'Pro', 'Max', 'Mini', 'Plus'];
const greetings = ['你好', '您好', '在吗', '请问', '麻烦问一下', '客服在吗', '打扰一下', 'hi', 'Hello', '早上好'];
const endings = ['', '？', '?', '。', '，谢谢', '呢', '啊', '吗', '！', '，急'];

/** Mulberry32: a small seeded generator, so every run sees the same rules and messages. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const oneSize = process.env.BENCH_ONE_SIZE ? Number(process.env.BENCH_ONE_SIZE) : null;
const random = seeded(20261126 + (oneSize ?? 0));
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

function keywordText(): string {
  switch (Math.floor(random() * 5)) {
    case 0:
      return pick(products) + pick(attributes);
    case 1:
      return pick(cities) + pick(products) + pick(attributes);
    case 2:
      return pick(seasons) + pick(products) + pick(attributes);
    case 3:
      return pick(products) + pick(series) + (100 + Math.floor(random() * 900));
    default:
      return pick(cities) + pick(products);
  }
}

function makeRules(count: number): AutomatonRule[] {
  const rules: AutomatonRule[] = [];
  for (let i = 0; i < count; i++) {
    const keywords = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
      text: keywordText(),
      match: random() < 0.7 ? ('contains' as const) : ('exact' as const),
    }));
    rules.push({ keywords });
  }
  return rules;
}

function makeMessage(rules: readonly AutomatonRule[]): string {
  const roll = random();
  // A third of messages carry a keyword of some rule, the rest are what followers type anyway.
  if (roll < 0.15) {
    const keyword = pick(pick(rules).keywords);
    return keyword.text;
  }
  if (roll < 0.33) return `${pick(greetings)}，${pick(pick(rules).keywords).text}${pick(endings)}`;
  if (roll < 0.66) return `${pick(greetings)}，${pick(cities)}的${pick(products)}${pick(attributes)}${pick(endings)}`;
  if (roll < 0.85) return `${pick(products)}${pick(series)}${100 + Math.floor(random() * 900)}的${pick(attributes)}是怎样的${pick(endings)}`;
  return `${pick(greetings)}${pick(endings)}`;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

function memoryMiB(): number {
  gc();
  const usage = process.memoryUsage();
  return (usage.heapUsed + usage.arrayBuffers) / 1024 / 1024;
}

const messageCount = 100_000;
const rounds = 7;

/** One size, in this process: its table row, and its throughput on the last line. */
function measureOneSize(size: number): void {
  const rules = makeRules(size);
  const messages = Array.from({ length: messageCount }, () => makeMessage(rules));
  const before = memoryMiB();
  const startedAt = performance.now();
  const buildCpu = process.cpuUsage();
  const automaton = buildKeywordAutomaton(rules);
  const buildCpuMs = cpuMs(buildCpu);
  const buildMs = performance.now() - startedAt;
  const memory = memoryMiB() - before;

  // Warm up, then rounds of at least half a second each; the median round is the figure.
  let matched = 0;
  for (const message of messages) if (automaton.match(message)) matched++;
  const perCpuSecond: number[] = [];
  const perWallSecond: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let done = 0;
    const runStart = performance.now();
    const runCpu = process.cpuUsage();
    while (performance.now() - runStart < 500) {
      for (const message of messages) automaton.match(message);
      done += messages.length;
    }
    // Per CPU-second of this thread: the machine is shared, so wall time would measure the neighbours.
    perCpuSecond.push(done / (cpuMs(runCpu) / 1000));
    perWallSecond.push(done / ((performance.now() - runStart) / 1000));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

  // The naive scan costs O(rules) per message: check a sample at 100,000 rules, all messages below.
  const sample = size >= 100_000 ? 300 : size >= 1000 ? 5000 : messages.length;
  let mismatches = 0;
  for (let i = 0; i < sample; i++) {
    const fast = automaton.match(messages[i]!);
    const slow = naiveKeywordMatch(rules, messages[i]!);
    if (fast?.ruleIndex !== slow?.ruleIndex || fast?.keywordIndex !== slow?.keywordIndex) mismatches++;
  }
  const { containsKeywords, exactKeywords, states, bytes } = automaton.stats;
  const low = Math.min(...perCpuSecond);
  const high = Math.max(...perCpuSecond);
  console.log(
    `| ${size.toLocaleString('en-US')} | ${containsKeywords.toLocaleString('en-US')} / ${exactKeywords.toLocaleString('en-US')} | ${states.toLocaleString('en-US')} | ${buildCpuMs.toFixed(0)} (${buildMs.toFixed(0)}) | ${(bytes / 1024 / 1024).toFixed(1)} | ${memory.toFixed(1)} | ${Math.round(median(perCpuSecond)).toLocaleString('en-US')} (${Math.round(median(perWallSecond)).toLocaleString('en-US')}); rounds ${(low / 1e6).toFixed(2)}–${(high / 1e6).toFixed(2)} M | ${((matched / messages.length) * 100).toFixed(0)} % | ${sample.toLocaleString('en-US')}, ${mismatches} differ |`,
  );
  console.log(JSON.stringify({ throughput: median(perCpuSecond), mismatches }));
}

if (oneSize !== null) {
  measureOneSize(oneSize);
} else {
  const sizes = (process.env.BENCH_RULES ?? '10,1000,100000').split(',').map(Number);
  console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, one core (single thread), each size in its own process, median of ${rounds} rounds\n`);
  console.log('| rules | keywords (contains / exact) | states | build ms CPU (wall) | automaton MiB | heap+buffers MiB | messages/s per CPU-second (wall) | matched | checked vs naive |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  const throughputs: number[] = [];
  let failed = false;
  for (const size of sizes) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
      env: { ...process.env, BENCH_ONE_SIZE: String(size) },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = child.stdout.trim().split('\n');
    const result = JSON.parse(lines.at(-1) ?? '{}') as { throughput?: number; mismatches?: number };
    if (child.status !== 0 || result.throughput === undefined) {
      console.error(`size ${size} failed (exit ${String(child.status)})`);
      process.exit(1);
    }
    console.log(lines.slice(0, -1).join('\n'));
    throughputs.push(result.throughput);
    if ((result.mismatches ?? 0) > 0) failed = true;
  }
  if (throughputs.length > 1) {
    const ratio = throughputs[0]! / throughputs.at(-1)!;
    console.log(`\nthroughput ratio smallest/largest rule set: ${ratio.toFixed(2)}×`);
  }
  const sampleMessages = Array.from({ length: 5 }, () => makeMessage(makeRules(10)));
  console.log(`example messages: ${sampleMessages.join(' | ')}`);
  if (failed) {
    console.error('the automaton disagreed with the naive scan');
    process.exit(1);
  }
}
