#!/usr/bin/env node
// Writes examples/tickets/{train,test}.csv and sample.txt: synthetic English support tickets in four classes
// (bug, billing, feature_request, account). Every line is a template with random slots, and the slots shared
// between classes (products, greetings, sign-offs, times) are noise, so a classifier has to learn the words
// that carry the class rather than memorise lines. Seeded: running it again gives the same files byte for byte.
//
//   node examples/generate-tickets.mjs [--seed N] [--train N] [--test N]
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatorArgs, rng, uniqueRows, writeExample } from './generator.mjs';

const values = generatorArgs({ seed: 20240611, train: 1200, test: 300 });
const OUT = join(dirname(fileURLToPath(import.meta.url)), 'tickets');
const random = rng(values.seed);
/** Picks one entry; an entry may be a function, called for a fresh value (numbers, ids). */
const pick = (xs) => {
  const x = xs[Math.floor(random() * xs.length)];
  return typeof x === 'function' ? x() : x;
};
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));

// Shared noise: appears in every class.
const shared = {
  product: [
    'the mobile app',
    'the web dashboard',
    'the desktop client',
    'the API',
    'the iOS app',
    'the Android app',
    'the admin console',
    'the browser extension',
    'Textcat Cloud',
    'the reporting page',
  ],
  hello: ['Hi team,', 'Hello,', 'Hey there,', 'Good morning,', 'Hi support,', 'Dear support team,', '', '', '', ''],
  bye: ['Thanks!', 'Thanks in advance.', 'Cheers.', 'Regards, Sam', 'Please advise.', 'Any help appreciated.', '', '', '', ''],
  when: ['today', 'since yesterday', 'this morning', 'since the last update', 'for a week now', 'after lunch', 'on Monday', 'again'],
  who: ['I', 'we', 'my colleague', 'our team', 'my manager', 'a customer of ours'],
};

const slots = {
  bug: {
    error: [
      'NullPointerException',
      'TypeError: undefined is not a function',
      'HTTP 500',
      () => `error code E${int(1000, 1999)}`,
      'a blank white screen',
      'segmentation fault',
      'timeout after 30s',
      'stack overflow',
      '"Something went wrong"',
      '"Unexpected token <"',
    ],
    action: [
      'save a draft',
      'upload a file',
      'export to PDF',
      'open the settings',
      'scroll the list',
      'sync contacts',
      'load the dashboard',
      'sort the table',
      'search for a ticket',
      'print a report',
      'log in',
      'open an invoice',
      'change my password',
    ],
    broke: [
      'crashes',
      'freezes',
      'hangs',
      'throws an exception',
      'shows a broken layout',
      'keeps spinning',
      'closes unexpectedly',
      'returns garbage',
    ],
    fix: [
      'is there a workaround',
      'is this a known bug',
      'please fix asap',
      'steps to reproduce below',
      'logs attached',
      'repro is 100%',
      'this is a regression',
      'version 4.2.1 is affected',
    ],
  },
  billing: {
    charge: [
      'charged twice',
      'overcharged',
      'billed for the wrong plan',
      'charged after cancelling',
      () => `charged $${int(20, 99)}.99 instead of $${int(5, 19)}.99`,
      'billed in the wrong currency',
      'hit with a late fee',
    ],
    doc: ['invoice', 'receipt', 'VAT invoice', 'credit note', 'billing statement', 'payment confirmation'],
    money: ['refund', 'partial refund', 'prorated credit', 'chargeback', 'discount', 'coupon'],
    pay: ['credit card', 'PayPal account', 'bank transfer', 'Visa card', 'direct debit', 'company card', 'account', 'workspace account'],
    period: [
      'for March',
      'for last month',
      'for the annual plan',
      'for Q2',
      () => `for invoice #${int(1000, 9999)}`,
      'for the monthly subscription',
    ],
  },
  feature_request: {
    wantIf: ['It would be great if', 'Would love it if', 'It would help a lot if', 'We would be happy if', 'Could you make it so'],
    want: ['Feature request:', 'Suggestion:', 'Idea:', 'Wishlist:', 'Enhancement:', 'Request:'],
    feature: [
      'dark mode',
      'keyboard shortcuts',
      'bulk editing',
      'a CSV export',
      'custom fields',
      'Slack integration',
      'two columns layout',
      'drag and drop',
      'offline mode',
      'saved filters',
      'a calendar view',
      'webhooks',
      'invoice templates',
      'passwordless login',
      'an export for crash logs',
    ],
    benefit: [
      'would save us hours',
      'would make onboarding easier',
      'would help power users',
      'is something many teams want',
      'would be a nice improvement',
      'is on our wishlist',
      'would really help our workflow',
    ],
    verb: ['support', 'add', 'offer', 'introduce', 'provide', 'allow'],
  },
  account: {
    thing: ['password', 'login', 'two-factor authentication', '2FA code', 'email address', 'username', 'SSO login', 'account'],
    problem: [
      'locked out of',
      'unable to reset',
      'not receiving the verification email for',
      'need to change',
      'cannot verify',
      'want to delete',
      'need to merge',
      'lost access to',
    ],
    access: ['sign in', 'log in', 'access my profile', 'reset my password', 'transfer ownership', 'invite a teammate', 'deactivate a user'],
    role: ['workspace admin', 'account owner', 'team lead', 'only admin', 'IT contact', 'billing contact'],
    setting: ['account owner', 'user permissions', 'team seat', 'security settings', 'login email', 'recovery phone number'],
  },
};

const templates = {
  bug: [
    (s) => `${s.product} ${pick(slots.bug.broke)} when ${pick(['I', 'we', 'users', 'our testers'])} try to ${pick(slots.bug.action)}`,
    (s) => `Getting ${pick(slots.bug.error)} in ${s.product} ${pick(shared.when)}, ${pick(slots.bug.fix)}`,
    () => `Bug: ${pick(slots.bug.action)} ${pick(slots.bug.broke)} with ${pick(slots.bug.error)}`,
    (s) => `${s.product} ${pick(slots.bug.broke)} ${pick(shared.when)}; ${pick(slots.bug.fix)}`,
    (s) => `When I ${pick(slots.bug.action)} ${s.product} shows ${pick(slots.bug.error)}. ${pick(slots.bug.fix)}`,
    () => `Crash report: ${pick(slots.bug.error)} after trying to ${pick(slots.bug.action)}`,
  ],
  billing: [
    () =>
      `${cap(pick(shared.who))} got ${pick(slots.billing.charge)} ${pick(slots.billing.period)}, please issue a ${pick(slots.billing.money)}`,
    () => `Where can I download the ${pick(slots.billing.doc)} ${pick(slots.billing.period)}?`,
    (s) => `My ${pick(slots.billing.pay)} was ${pick(slots.billing.charge)} for ${s.product}, requesting a ${pick(slots.billing.money)}`,
    () => `Billing question: the ${pick(slots.billing.doc)} shows the wrong amount, can you send a ${pick(slots.billing.money)}`,
    () => `Payment failed on my ${pick(slots.billing.pay)} ${pick(shared.when)}, how do I update the payment method`,
    () => `Need a ${pick(slots.billing.doc)} with our company VAT number, and a ${pick(slots.billing.money)} ${pick(slots.billing.period)}`,
  ],
  feature_request: [
    (s) => `${pick(slots.feature_request.wantIf)} ${s.product} had ${pick(slots.feature_request.feature)}`,
    () => `${pick(slots.feature_request.want)} ${pick(slots.feature_request.feature)}, it ${pick(slots.feature_request.benefit)}`,
    (s) =>
      `Please ${pick(slots.feature_request.verb)} ${pick(slots.feature_request.feature)} in ${s.product}; it ${pick(slots.feature_request.benefit)}`,
    () =>
      `Any plans to ${pick(slots.feature_request.verb)} ${pick(slots.feature_request.feature)}? ${cap(pick(shared.who))} would use it daily`,
    () =>
      `${cap(pick(shared.who))} would vote for ${pick(slots.feature_request.feature)} and ${pick(slots.feature_request.feature)} on the roadmap`,
  ],
  account: [
    () =>
      `${pick(['I am', 'We are', 'My colleague is', 'Our admin is'])} ${pick(slots.account.problem)} the ${pick(slots.account.thing)} ${pick(shared.when)}`,
    (s) => `Can't ${pick(slots.account.access)} to ${s.product}, my ${pick(slots.account.thing)} is not accepted`,
    () => `How do I ${pick(slots.account.access)}? I am the ${pick(slots.account.role)} of our workspace`,
    () => `Account issue: ${pick(slots.account.problem)} the ${pick(slots.account.thing)}, please help me ${pick(slots.account.access)}`,
    () => `Please change the ${pick(slots.account.setting)} on our account, I need to ${pick(slots.account.access)}`,
    () => `The "${pick(slots.account.thing)}" field says invalid when I ${pick(slots.account.access)} ${pick(shared.when)}`,
  ],
};

function cap(s) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function ticket(label) {
  const s = { product: pick(shared.product) };
  const list = templates[label];
  const body = cap(list[Math.floor(random() * list.length)](s).replace(/\s+/g, ' ').trim());
  return [pick(shared.hello), body, pick(shared.bye)].filter(Boolean).join(' ');
}

const labels = Object.keys(templates);
const rows = (n, seen) => uniqueRows(n, seen, labels, ticket, random);
const seen = new Set();
const train = rows(values.train, seen);
const test = rows(values.test, seen);
const sample = rows(32, seen).map((r) => r.text);
writeExample(OUT, { train, test, sample });
