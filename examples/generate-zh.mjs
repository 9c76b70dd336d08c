#!/usr/bin/env node
// Writes examples/zh-sentiment/{train,test}.csv and sample.txt: synthetic Chinese sentences labelled
// positive or negative, assembled from hand-written parts (subjects, adverbs, adjectives, verbs, objects).
// Subjects, objects and adverbs are shared by both classes; the sentiment sits in the adjective, the verb
// and a few negations (不推荐, 不满意), so the model has to learn those words. Seeded and deterministic.
//
//   node examples/generate-zh.mjs [--seed N] [--train N] [--test N]
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatorArgs, rng, uniqueRows, writeExample } from './generator.mjs';

const values = generatorArgs({ seed: 7, train: 400, test: 100 });
const OUT = join(dirname(fileURLToPath(import.meta.url)), 'zh-sentiment');
const random = rng(values.seed);
const pick = (xs) => xs[Math.floor(random() * xs.length)];

// Shared by both classes.
const things = [
  '这个产品',
  '这家餐厅',
  '这部电影',
  '这本书',
  '今天的天气',
  '这里的服务',
  '这款手机',
  '这家酒店',
  '他们的客服',
  '这次旅行',
  '这首歌',
  '这个软件',
  '新买的电脑',
  '学校的食堂',
  '这家咖啡店',
];
const people = ['我', '我们', '我妈妈', '我的朋友', '大家', '他', '她', '同事们'];
const objects = [
  '吃饭',
  '看电影',
  '这家店',
  '这个城市',
  '这里的菜',
  '这个老师',
  '这份工作',
  '这个地方',
  '去公园散步',
  '这样的天气',
  '喝这里的茶',
  '用这个软件',
];
const adverbs = ['很', '非常', '特别', '真', '太', '十分', '相当', '挺'];
const when = ['今天', '昨天', '这次', '最近', '周末', '', '', ''];
const end = ['。', '。', '！', '。', '！！', '～'];

const parts = {
  positive: {
    adjective: ['好', '好吃', '好看', '舒服', '漂亮', '方便', '满意', '干净', '便宜', '实用', '精彩', '热情', '好用', '快', '棒'],
    verb: ['喜欢', '爱', '推荐', '欣赏', '享受', '期待'],
    feeling: ['很开心', '非常满意', '心情很好', '觉得值了', '很感动', '特别高兴'],
    comment: ['下次还会再来', '强烈推荐', '物超所值', '五星好评', '体验很好', '值得一试'],
  },
  negative: {
    adjective: ['差', '难吃', '难看', '贵', '脏', '慢', '吵', '糟糕', '无聊', '失望', '麻烦', '冷淡', '难用', '烂'],
    verb: ['讨厌', '反感', '受不了', '后悔买了', '不推荐', '不想再去'],
    feeling: ['很生气', '非常失望', '心情很差', '觉得被骗了', '很难过', '特别郁闷'],
    comment: ['再也不来了', '千万别买', '浪费钱', '一星差评', '体验很差', '不值这个价'],
  },
};

const templates = [
  (p) => `${pick(when)}${pick(things)}${pick(adverbs)}${pick(p.adjective)}${pick(end)}`,
  (p) => `${pick(people)}${pick(p.verb)}${pick(objects)}${pick(end)}`,
  (p) => `${pick(things)}${pick(adverbs)}${pick(p.adjective)}，${pick(p.comment)}${pick(end)}`,
  (p) => `${pick(when)}${pick(people)}${pick(p.feeling)}，因为${pick(things)}${pick(adverbs)}${pick(p.adjective)}${pick(end)}`,
  (p) => `${pick(things)}${pick(adverbs)}${pick(p.adjective)}了${pick(end)}`,
  (p) => `${pick(p.comment)}，${pick(things)}${pick(adverbs)}${pick(p.adjective)}${pick(end)}`,
  (p) => `${pick(people)}觉得${pick(things)}${pick(adverbs)}${pick(p.adjective)}${pick(end)}`,
];

const labels = Object.keys(parts);
const rows = (n, seen) => uniqueRows(n, seen, labels, (label) => pick(templates)(parts[label]), random);
// A few hand-written lines for the sample, kept out of train and test.
const handWritten = ['我喜欢吃饭。', '今天天气很好。', '这个产品太差了！'];
const seen = new Set(handWritten);
const train = rows(values.train, seen);
const test = rows(values.test, seen);
const sample = [...handWritten, ...rows(9, seen).map((r) => r.text)];
writeExample(OUT, { train, test, sample });
