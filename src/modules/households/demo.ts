/**
 * Deterministic demo data for the registry: synthetic households that pass every rule of the registry
 * (valid ID numbers, one head, derived income figures, the database's CHECK constraints), with shares
 * taken from the official statistics where REFERENCE §4 gives them. Synthetic people only: names are
 * random combinations of common surnames and given-name characters, ID numbers are made up (their
 * check character is correct, they belong to nobody known).
 *
 * `generateHouseholds` is pure (a seeded PRNG, no Math.random): the same seed, count, villages and
 * year give the same data. `seedHouseholds` writes them fast (one multi-row INSERT per table per batch
 * of households, inside a transaction per batch), with 户编号 counters, identities, the list columns,
 * history version 1 and one audit event for the whole seeding.
 */
import { getTableColumns, sql, type Table } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR, type Actor } from '../../platform/auth.ts';
import type { Db, DbOrTx } from '../../platform/db.ts';
import { pgTextArray, rowsOf } from '../../platform/db.ts';
import { checkCharacter } from '../../shared/id-number.ts';
import { mulberry32 } from '../../shared/random.ts';
import { recordAudit } from '../audit/index.ts';
import { POVERTY_CAUSE_SHARES, type PovertyCause } from './codes.ts';
import type { HouseholdRow, IncomeRow, MemberRow } from './queries.ts';
import { deriveIncome, formatHouseholdNo } from './rules.ts';
import { householdIncomes, householdNoCounters, households, householdVersions, members, personIdentities } from './schema.ts';

// ---------------------------------------------------------------------------------------------
// Randomness

/** Re-exported for the tests and callers that knew it here. */
export { mulberry32 };

/** A 32-bit hash of two integers (for the ID numbers' sequence part, from the seed and the running index). */
function hash2(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  /** One of the keys, with probability proportional to its weight. */
  weighted<T>(table: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of table) total += w;
    let r = this.next() * total;
    for (const [v, w] of table) {
      r -= w;
      if (r < 0) return v;
    }
    return table[table.length - 1]![0];
  }
  /** A version-4 UUID from the PRNG (deterministic). */
  uuid(): string {
    const hex: string[] = [];
    for (let i = 0; i < 4; i++) hex.push(Math.floor(this.next() * 2 ** 32).toString(16).padStart(8, '0'));
    const s = hex.join('');
    const variant = ((parseInt(s[16]!, 16) & 0x3) | 0x8).toString(16);
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-${variant}${s.slice(17, 20)}-${s.slice(20, 32)}`;
  }
}

/** A cumulative-weight sampler for a fixed table (fast for big tables drawn from often). */
function sampler<T>(table: readonly (readonly [T, number])[]): (rng: Rng) => T {
  const values = table.map(([v]) => v);
  const cum: number[] = [];
  let total = 0;
  for (const [, w] of table) cum.push((total += w));
  return (rng) => {
    const r = rng.next() * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return values[lo]!;
  };
}

// ---------------------------------------------------------------------------------------------
// Names (synthetic: random combinations; the surname weights follow the national ranking, roughly in %)

const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 7.1], ['李', 7.0], ['张', 6.7], ['刘', 5.4], ['陈', 4.5], ['杨', 3.1], ['黄', 2.2], ['赵', 2.1], ['吴', 2.1], ['周', 1.9],
  ['徐', 1.5], ['孙', 1.5], ['马', 1.4], ['朱', 1.4], ['胡', 1.3], ['郭', 1.2], ['何', 1.2], ['高', 1.1], ['林', 1.0], ['罗', 1.0],
  ['郑', 0.95], ['梁', 0.9], ['谢', 0.85], ['宋', 0.8], ['唐', 0.8], ['许', 0.75], ['韩', 0.73], ['冯', 0.7], ['邓', 0.68], ['曹', 0.65],
  ['彭', 0.64], ['曾', 0.63], ['肖', 0.6], ['田', 0.58], ['董', 0.55], ['袁', 0.54], ['潘', 0.52], ['于', 0.51], ['蒋', 0.5], ['蔡', 0.49],
  ['余', 0.48], ['杜', 0.47], ['叶', 0.46], ['程', 0.45], ['苏', 0.44], ['魏', 0.43], ['吕', 0.42], ['丁', 0.41], ['任', 0.4], ['沈', 0.39],
  ['姚', 0.38], ['卢', 0.37], ['姜', 0.36], ['崔', 0.35], ['钟', 0.34], ['谭', 0.33], ['陆', 0.32], ['汪', 0.31], ['范', 0.3], ['金', 0.29],
  ['石', 0.28], ['廖', 0.27], ['贾', 0.26], ['夏', 0.25], ['韦', 0.24], ['付', 0.24], ['方', 0.23], ['白', 0.22], ['邹', 0.22], ['孟', 0.21],
  ['熊', 0.21], ['秦', 0.2], ['邱', 0.2], ['江', 0.19], ['尹', 0.19], ['薛', 0.18], ['段', 0.17], ['雷', 0.17], ['侯', 0.16], ['龙', 0.16],
  ['史', 0.15], ['陶', 0.15], ['黎', 0.14], ['贺', 0.14], ['顾', 0.13], ['毛', 0.13], ['郝', 0.12], ['龚', 0.12], ['邵', 0.11], ['万', 0.11],
  ['钱', 0.1], ['严', 0.1], ['武', 0.09], ['戴', 0.09], ['莫', 0.08], ['孔', 0.08], ['向', 0.08], ['汤', 0.08], ['欧阳', 0.05], ['易', 0.07],
];
const drawSurname = sampler(SURNAMES);

/** Given-name characters by sex and by the era of birth (naming fashions change). */
const GIVEN: Record<'male' | 'female', Record<'old' | 'middle' | 'young' | 'child', string>> = {
  male: {
    old: '德福贵生发荣金山国建春明正志华庆保全桂树满堂长林根水炳昌友忠',
    middle: '伟强军勇杰涛平辉刚林斌波红建国明华志军峰东海亮新春成兵云龙文',
    young: '鹏飞宇浩俊磊超亮帅凯鑫阳杰龙涛斌瑞晨旭坤伟博强峰',
    child: '子梓宇浩轩睿博泽铭宸一航逸辰嘉皓俊晨昊然豪奕',
  },
  female: {
    old: '秀英兰桂珍凤莲娥玉翠梅菊芝花香金春娟淑素冬荷',
    middle: '芳娟敏静丽艳霞玲梅燕琴萍红华英慧平丽霞娟春',
    young: '婷雪琳倩颖佳丹蕾洁晶欢敏丽燕娜莉媛璐瑶',
    child: '梓涵欣怡诗雨萱晨一思佳可馨语若彤妍悦琪瑶',
  },
};

function eraOf(birthYear: number): 'old' | 'middle' | 'young' | 'child' {
  return birthYear < 1960 ? 'old' : birthYear < 1985 ? 'middle' : birthYear < 2003 ? 'young' : 'child';
}

function givenName(rng: Rng, sex: 'male' | 'female', birthYear: number): string {
  const chars = GIVEN[sex][eraOf(birthYear)];
  const one = rng.chance(birthYear < 1960 ? 0.2 : birthYear < 2003 ? 0.3 : 0.15);
  const a = chars[rng.int(0, chars.length - 1)]!;
  if (one) return a;
  let b = chars[rng.int(0, chars.length - 1)]!;
  if (b === a && rng.chance(0.7)) b = chars[rng.int(0, chars.length - 1)]!;
  return a + b;
}

// ---------------------------------------------------------------------------------------------
// Shares (REFERENCE §4.2 where given; otherwise plausible and said so)

/** Household sizes 1–7, mean about 3.35 persons. */
const HOUSEHOLD_SIZE: readonly (readonly [number, number])[] = [[1, 13], [2, 21], [3, 21], [4, 21], [5, 14], [6, 7], [7, 3]];

/** Main cause: POVERTY_CAUSE_SHARES (Guangdong, about 2016); 未填 (unspecified) becomes null where allowed. */
const MAIN_CAUSE: readonly (readonly [PovertyCause | null, number])[] = [
  ...Object.entries(POVERTY_CAUSE_SHARES.shares).filter(([, s]) => (s ?? 0) > 0).map(([c, s]) => [c as PovertyCause, s!] as const),
  [null, POVERTY_CAUSE_SHARES.unspecified ?? 0],
];
const drawMainCause = sampler(MAIN_CAUSE);
const OTHER_CAUSES: readonly (readonly [PovertyCause, number])[] = [
  ['lackOfSkills', 30], ['lackOfFunds', 25], ['illness', 15], ['lackOfLabour', 12], ['schooling', 10], ['disability', 8],
  ['poorTransport', 6], ['lackOfMotivation', 5], ['disaster', 2], ['lackOfLand', 2],
];

/** Household type → status mix: mostly registered poor (most of them out of poverty by now). */
const TYPE_STATUS: readonly (readonly [readonly [string, string], number])[] = [
  [['registeredPoor', 'notExited'], 22],
  [['registeredPoor', 'preExit'], 4],
  [['registeredPoor', 'exited'], 34],
  [['registeredPoor', 'returned'], 3],
  [['exited', 'exited'], 15],
  [['monitored', 'monitored'], 9],
  [['monitored', 'eliminated'], 4],
  [['marginal', 'monitored'], 6],
  [['marginal', 'eliminated'], 3],
];

/** 危房等级 of assessed houses: the Guangdong sample (C 8,864; D 2,788; B 1,742; A 1,055; REFERENCE §4.2). */
const DANGER_GRADE: readonly (readonly [string, number])[] = [['C', 8864], ['D', 2788], ['B', 1742], ['A', 1055]];
const STRUCTURE: readonly (readonly [string, number])[] = [['brickConcrete', 55], ['brickWood', 20], ['reinforcedConcrete', 15], ['earthWood', 8], ['other', 2]];
const GROUPS = ['一组', '二组', '三组', '四组', '五组', '六组', '七组', '八组', '九组', '十组'];
const BANKS = ['浏阳农村商业银行', '中国农业银行', '中国邮政储蓄银行', '中国建设银行'];
const CHRONIC = ['高血压', '糖尿病', '慢性支气管炎', '类风湿性关节炎', '冠心病', '慢性阻塞性肺疾病', '慢性胃炎', '腰椎间盘突出症'];
const SERIOUS = ['恶性肿瘤', '尿毒症', '白血病', '重性精神病', '脑卒中后遗症', '先天性心脏病', '耐多药肺结核'];
const DISABILITY: readonly (readonly [string, number])[] = [['physical', 45], ['visual', 12], ['hearing', 10], ['intellectual', 12], ['mental', 10], ['speech', 3], ['multiple', 8]];
const ETHNICITY: readonly (readonly [string, number])[] = [['han', 975], ['tujia', 8], ['miao', 7], ['yao', 5], ['dong', 3], ['hui', 2]];

/**
 * Health by age, tuned so that the whole population comes close to the Guangdong shares (REFERENCE
 * §4.2: 健康 59.7 %, 长期慢性病 22.9 %, 残疾 12.6 %, 患有大病 3.9 %) once the cause of each household
 * has put at least one ill or disabled member where the cause asks for one.
 */
function healthTable(age: number): readonly (readonly [string, number])[] {
  if (age < 18) return [['healthy', 93], ['chronicIllness', 2], ['disabled', 4], ['seriousIllness', 1]];
  if (age < 60) return [['healthy', 68], ['chronicIllness', 16], ['disabled', 10], ['seriousIllness', 3]];
  return [['healthy', 38], ['chronicIllness', 43], ['disabled', 12], ['seriousIllness', 4]];
}

/**
 * The poverty line used for incomes (yuan per person per year, current prices): the 2010 national line
 * as applied 2014–2017 (2736, 2800, 2855, 3026: REFERENCE §2.1), about 4000 by 2020 (§3.1),
 * interpolated between; after 2020 it grows 5 % a year (the monitoring line is 1.5× it, 6000 in 2021, §3.2).
 */
export function demoPovertyLine(year: number): number {
  const known: Record<number, number> = { 2014: 2736, 2015: 2800, 2016: 2855, 2017: 3026, 2018: 3350, 2019: 3680, 2020: 4000 };
  if (year <= 2014) return 2736;
  if (year <= 2020) return known[year]!;
  return Math.round(4000 * 1.05 ** (year - 2020));
}

/** Per-capita net income as a multiple of the year's line, by status. */
const INCOME_BAND: Record<string, readonly [number, number]> = {
  notExited: [0.7, 1.15],
  returned: [0.8, 1.2],
  preExit: [1.05, 1.5],
  monitored: [1.1, 1.6],
  eliminated: [1.6, 2.4],
  exited: [1.8, 3.6],
};

// ---------------------------------------------------------------------------------------------
// The generator

export interface DemoVillage {
  /** 12-digit village code. */
  code: string;
  name: string;
  /** Relative share of the households (default 1; e.g. 4 for a poor village). */
  weight?: number;
}

export interface GenerateOptions {
  seed: number;
  count: number;
  villages: readonly DemoVillage[];
  /** The registry year: ages are counted at 1 January of it; incomes are those of the two or three years before. */
  year: number;
  /** Next 户编号 sequence per village (default 1): seedHouseholds passes the database's counters. */
  nextSeq?: ReadonlyMap<string, number>;
  /** ID numbers not to give out (already in the registry). */
  takenIdNumbers?: ReadonlySet<string>;
  /** Row ids (default: deterministic from the seed; seedHouseholds uses random UUIDs so reruns never clash). */
  newId?: () => string;
}

/** A household row without the timestamps the database (or seedHouseholds) sets. */
export type DemoHouseholdRow = Omit<HouseholdRow, 'createdAt' | 'updatedAt'>;
export type DemoMemberRow = Omit<MemberRow, 'createdAt' | 'updatedAt'>;
export type DemoIncomeRow = Omit<IncomeRow, 'updatedAt'>;

export interface DemoHousehold {
  household: DemoHouseholdRow;
  /** Head first. */
  members: DemoMemberRow[];
  /** Newest year first. */
  incomes: DemoIncomeRow[];
}

type SexValue = 'male' | 'female';

interface Person {
  relation: string;
  sex: SexValue;
  age: number;
  surname: string;
}

function iso(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** A real calendar date `age` full years before 1 January of `year` (so never after it). */
function birthDateFor(rng: Rng, year: number, age: number): { y: number; m: number; d: number } {
  // Born between 1 Jan (year - age - 1) + 1 day and 1 Jan (year - age): full `age` years on 1 Jan `year`.
  const y = year - age - 1;
  const start = Date.UTC(y, 0, 1);
  const days = Math.round((Date.UTC(y + 1, 0, 1) - start) / 86_400_000);
  const t = new Date(start + rng.int(0, days - 1) * 86_400_000);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

/** The people of a household: relations, sexes, ages (on 1 January of the registry year), surnames. */
function composeHousehold(rng: Rng, size: number): Person[] {
  const headSex: SexValue = rng.chance(size === 1 ? 0.62 : 0.85) ? 'male' : 'female';
  const headAge = size === 1 ? rng.int(45, 80) : rng.int(30, 80);
  const headSurname = drawSurname(rng);
  const people: Person[] = [{ relation: 'head', sex: headSex, age: headAge, surname: headSurname }];
  const other = (s: SexValue) => (s === 'male' ? 'female' : 'male');
  let rem = size - 1;
  let spouse: Person | undefined;
  if (rem > 0 && (size >= 3 ? rng.chance(0.9) : rng.chance(0.7))) {
    spouse = { relation: 'spouse', sex: other(headSex), age: Math.max(22, headAge + rng.int(-6, 4)), surname: drawSurname(rng) };
    people.push(spouse);
    rem--;
  }
  const familySurname = headSex === 'male' ? headSurname : (spouse?.surname ?? drawSurname(rng));
  // Parents of a younger head.
  if (rem > 0 && headAge <= 52 && rng.chance(size >= 4 ? 0.3 : 0.45)) {
    const mother = rng.chance(0.65);
    const parentAge = Math.min(95, headAge + rng.int(21, 32));
    people.push({ relation: mother ? 'mother' : 'father', sex: mother ? 'female' : 'male', age: parentAge, surname: mother ? drawSurname(rng) : headSurname });
    rem--;
    if (rem > 1 && rng.chance(0.35)) {
      people.push({ relation: mother ? 'father' : 'mother', sex: mother ? 'male' : 'female', age: Math.min(95, parentAge + rng.int(-3, 5)), surname: mother ? headSurname : drawSurname(rng) });
      rem--;
    }
  }
  if (rem === 0) return people;
  // Children, eldest first; an older head may live with a married son and his children.
  const parentAge = Math.min(headAge, spouse?.age ?? headAge);
  let childAge = Math.max(0, parentAge - rng.int(22, 32));
  const marriedSon = headAge >= 50 && childAge >= 22 && rem >= 3 && rng.chance(0.65);
  if (marriedSon) {
    const sonAge = childAge;
    people.push({ relation: 'son', sex: 'male', age: sonAge, surname: familySurname });
    people.push({ relation: 'daughterInLaw', sex: 'female', age: Math.max(20, sonAge + rng.int(-5, 2)), surname: drawSurname(rng) });
    rem -= 2;
    let gAge = Math.max(0, sonAge - rng.int(22, 30));
    while (rem > 0) {
      const sex: SexValue = rng.chance(0.52) ? 'male' : 'female';
      people.push({ relation: sex === 'male' ? 'grandson' : 'granddaughter', sex, age: gAge, surname: familySurname });
      rem--;
      gAge = Math.max(0, gAge - rng.int(1, 4));
    }
    return people;
  }
  while (rem > 0) {
    const sex: SexValue = rng.chance(0.52) ? 'male' : 'female';
    people.push({ relation: sex === 'male' ? 'son' : 'daughter', sex, age: childAge, surname: familySurname });
    rem--;
    childAge = Math.max(0, childAge - rng.int(1, 4));
  }
  return people;
}

function schoolingFor(rng: Rng, age: number): string {
  if (age < 3) return 'notInSchool';
  if (age < 6) return rng.chance(0.8) ? 'preschool' : 'notInSchool';
  if (age < 12) return 'primary';
  if (age < 15) return (['grade7', 'grade8', 'grade9'] as const)[age - 12]!;
  if (age < 18) {
    const k = age - 15;
    const r = rng.next();
    if (r < 0.55) return (['senior1', 'senior2', 'senior3'] as const)[k]!;
    if (r < 0.9) return (['secondaryVocational1', 'secondaryVocational2', 'secondaryVocational3'] as const)[k]!;
    return 'notInSchool';
  }
  if (age < 21 && rng.chance(0.35)) return rng.chance(0.5) ? (['higherVocational1', 'higherVocational2', 'higherVocational3'] as const)[age - 18]! : 'college';
  return 'notInSchool';
}

function educationFor(rng: Rng, age: number, schooling: string, birthYear: number): string {
  if (schooling === 'preschool' || age < 6) return 'preschoolChild';
  if (schooling === 'primary') return 'primary';
  if (schooling.startsWith('grade') || schooling.startsWith('senior') || schooling.startsWith('secondaryVocational')) return 'juniorSecondary';
  if (schooling.startsWith('higherVocational') || schooling === 'college') return 'seniorSecondary';
  if (age < 18) return 'juniorSecondary';
  const table: readonly (readonly [string, number])[] =
    birthYear < 1955
      ? [['illiterate', 35], ['primary', 45], ['juniorSecondary', 17], ['seniorSecondary', 3]]
      : birthYear < 1975
        ? [['illiterate', 7], ['primary', 38], ['juniorSecondary', 45], ['seniorSecondary', 9], ['college', 1]]
        : [['illiterate', 1], ['primary', 12], ['juniorSecondary', 55], ['seniorSecondary', 24], ['college', 8]];
  return rng.weighted(table);
}

function labourFor(rng: Rng, age: number, health: string, grade: string | null, inSchool: boolean): string {
  if (age < 16 || inSchool) return 'noLabour';
  if (health === 'seriousIllness') return rng.chance(0.7) ? 'lostLabour' : 'weakLabour';
  if (health === 'disabled') return grade === 'grade1' || grade === 'grade2' ? 'lostLabour' : 'weakLabour';
  if (age >= 70) return rng.weighted([['weakLabour', 45], ['lostLabour', 20], ['noLabour', 35]]);
  if (age >= 60) return rng.weighted([['ordinaryLabour', 35], ['weakLabour', 55], ['lostLabour', 10]]);
  if (health === 'chronicIllness') return rng.chance(0.6) ? 'weakLabour' : 'ordinaryLabour';
  return rng.weighted([['ordinaryLabour', 75], ['skilledLabour', 15], ['weakLabour', 10]]);
}

function phoneNumber(rng: Rng): string {
  return `1${rng.pick(['3', '5', '7', '8', '9'])}${String(rng.int(0, 999_999_999)).padStart(9, '0')}`;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const roundYuan = (x: number) => Math.round(x);

/**
 * Generates `count` households over the villages (drawn by weight), lazily, one at a time.
 * Deterministic: the same options give the same rows (ids included unless `newId` is given).
 */
export function* generateHouseholds(opts: GenerateOptions): Generator<DemoHousehold> {
  if (opts.villages.length === 0) throw new RangeError('generateHouseholds needs at least one village');
  const rng = new Rng(opts.seed);
  const idRng = new Rng(hash2(opts.seed, 0x1d));
  const newId = opts.newId ?? (() => idRng.uuid());
  const drawVillage = sampler(opts.villages.map((v) => [v, v.weight ?? 1] as const));
  const seqs = new Map<string, number>();
  const used = new Set<string>();
  const year = opts.year;
  let personIndex = 0;

  const idNumberFor = (region: string, birth: { y: number; m: number; d: number }, sex: SexValue): string => {
    const date = `${birth.y}${String(birth.m).padStart(2, '0')}${String(birth.d).padStart(2, '0')}`;
    const start = hash2(opts.seed, personIndex++) % 500;
    for (let k = 0; k < 500; k++) {
      const order = ((start + k) % 500) * 2 + (sex === 'male' ? 1 : 0);
      const first17 = `${region}${date}${String(order).padStart(3, '0')}`;
      const id = first17 + checkCharacter(first17);
      if (!used.has(id) && !opts.takenIdNumbers?.has(id)) {
        used.add(id);
        return id;
      }
    }
    throw new Error(`no free ID number left for ${region} ${date}`);
  };

  for (let i = 0; i < opts.count; i++) {
    const village = drawVillage(rng);
    const seq = seqs.get(village.code) ?? opts.nextSeq?.get(village.code) ?? 1;
    if (seq > 9999) throw new RangeError(`village ${village.code} has no 户编号 left (9999 households)`);
    seqs.set(village.code, seq + 1);
    const region = village.code.slice(0, 6);
    const householdId = newId();

    const size = rng.weighted(HOUSEHOLD_SIZE);
    const [householdType, status] = rng.weighted(TYPE_STATUS);
    let mainCause = drawMainCause(rng);
    if (mainCause === null && householdType === 'registeredPoor') mainCause = 'illness';
    const people = composeHousehold(rng, size);

    // The cause shapes the members: illness and disability need an ill or disabled member, lack of
    // labour a household of old or weak members, schooling a pupil or student.
    const head = people[0]!;
    const attribute =
      householdType === 'marginal'
        ? null
        : rng.weighted(
            size === 1 && head.age >= 60
              ? [['extremeHardship', 75], ['minimumLiving', 20], ['general', 5]]
              : size <= 2
                ? [['extremeHardship', 30], ['minimumLiving', 48], ['general', 22]]
                : [['extremeHardship', 4], ['minimumLiving', 52], ['general', 44]],
          );

    const rows: DemoMemberRow[] = [];
    for (const p of people) {
      const birth = birthDateFor(rng, year, p.age);
      const birthDate = iso(birth.y, birth.m, birth.d);
      const health = rng.weighted(healthTable(p.age));
      let schooling = schoolingFor(rng, p.age);
      if (mainCause === 'schooling' && p.age >= 6 && p.age <= 20 && schooling === 'notInSchool' && p.relation !== 'head') {
        schooling = p.age < 18 ? 'senior1' : 'higherVocational1';
      }
      const inSchool = schooling !== 'notInSchool';
      let diseaseName: string | null = null;
      let disabilityCategory: string | null = null;
      let disabilityGrade: string | null = null;
      if (health === 'chronicIllness') diseaseName = rng.pick(CHRONIC);
      else if (health === 'seriousIllness') diseaseName = rng.pick(SERIOUS);
      else if (health === 'disabled') {
        disabilityCategory = rng.weighted(DISABILITY);
        disabilityGrade = rng.weighted([['grade1', 12], ['grade2', 25], ['grade3', 30], ['grade4', 33]]);
      }
      const labourAbility = labourFor(rng, p.age, health, disabilityGrade, inSchool);
      const working = p.age >= 16 && p.age < 65 && !inSchool && (labourAbility === 'ordinaryLabour' || labourAbility === 'skilledLabour' || labourAbility === 'weakLabour');
      const employed = working && rng.chance(labourAbility === 'weakLabour' ? 0.3 : 0.72);
      const employment = employed ? rng.weighted([['inTownship', 20], ['inCounty', 25], ['inProvince', 27], ['outOfProvince', 28]]) : null;
      const monthsWorked = employed ? rng.int(labourAbility === 'weakLabour' ? 2 : 4, 12) : working ? 0 : null;
      const name = p.surname + givenName(rng, p.sex, birth.y);
      rows.push({
        householdId,
        id: newId(),
        name,
        sex: p.sex,
        idType: 'residentId',
        idNumber: idNumberFor(region, birth, p.sex),
        birthDate,
        relationToHead: p.relation,
        ethnicity: rng.weighted(ETHNICITY),
        politicalStatus:
          p.age >= 25 && rng.chance(p.relation === 'head' ? 0.05 : 0.025) ? 'cpcMember' : p.age >= 14 && p.age <= 28 && rng.chance(0.35) ? 'communistYouthLeagueMember' : 'masses',
        education: educationFor(rng, p.age, schooling, birth.y),
        schooling,
        health,
        diseaseName,
        disabilityCategory,
        disabilityGrade,
        labourAbility,
        employment,
        monthsWorked,
        medicalInsurance: rng.chance(0.995),
        seriousIllnessInsurance: rng.chance(0.97),
        pensionInsurance: p.age >= 16 && !inSchool && rng.chance(0.88),
        minimumLiving: attribute === 'minimumLiving',
        extremeHardship: attribute === 'extremeHardship',
        activeMilitary: false,
        phone: p.age >= 18 && (p.relation === 'head' || rng.chance(0.4)) ? phoneNumber(rng) : null,
        alive: true,
        deceasedDate: null,
        status: 'active',
        changeReason: 'registration',
        changeNote: null,
      });
    }
    // Make the members fit the cause.
    const adults = rows.filter((m) => m.birthDate <= iso(year - 18, 1, 1));
    const target = adults.length ? adults[rng.int(0, adults.length - 1)]! : rows[0]!;
    const setHealth = (m: DemoMemberRow, health: string) => {
      m.health = health;
      m.diseaseName = health === 'chronicIllness' ? rng.pick(CHRONIC) : health === 'seriousIllness' ? rng.pick(SERIOUS) : null;
      if (health === 'disabled') {
        m.disabilityCategory = rng.weighted(DISABILITY);
        m.disabilityGrade = rng.weighted([['grade1', 12], ['grade2', 25], ['grade3', 30], ['grade4', 33]]);
        m.labourAbility = m.disabilityGrade === 'grade1' || m.disabilityGrade === 'grade2' ? 'lostLabour' : 'weakLabour';
      } else {
        m.disabilityCategory = null;
        m.disabilityGrade = null;
        if (health === 'seriousIllness') m.labourAbility = 'lostLabour';
        else if (health === 'chronicIllness' && m.labourAbility !== 'noLabour') m.labourAbility = 'weakLabour';
      }
      if (m.labourAbility === 'lostLabour' || m.labourAbility === 'noLabour') {
        m.employment = null;
        m.monthsWorked = m.monthsWorked === null ? null : 0;
      }
    };
    if (mainCause === 'illness' && !rows.some((m) => m.health === 'chronicIllness' || m.health === 'seriousIllness')) {
      setHealth(target, rng.chance(0.7) ? 'chronicIllness' : 'seriousIllness');
    } else if (mainCause === 'disability' && !rows.some((m) => m.health === 'disabled')) {
      setHealth(target, 'disabled');
    } else if (mainCause === 'lackOfLabour') {
      for (const m of rows) {
        if (m.labourAbility === 'ordinaryLabour' || m.labourAbility === 'skilledLabour') {
          if (rng.chance(0.6)) {
            m.labourAbility = 'weakLabour';
            if (m.monthsWorked) m.monthsWorked = Math.min(m.monthsWorked, rng.int(0, 6));
            if (m.monthsWorked === 0) m.employment = null;
          }
        }
      }
    }

    const headRow = rows[0]!;
    const otherCount = rng.weighted([[0, 40], [1, 35], [2, 25]]);
    const others: PovertyCause[] = [];
    while (others.length < otherCount) {
      const c = rng.weighted(OTHER_CAUSES);
      if (c !== mainCause && !others.includes(c)) others.push(c);
    }
    const identificationYear =
      householdType === 'monitored' || householdType === 'marginal'
        ? rng.int(Math.min(2021, year), year)
        : rng.weighted([[2014, 60], [2015, 14], [2016, 12], [2017, 7], [2018, 4], [2019, 2], [2020, 1]].filter(([y]) => y! <= year) as [number, number][]);
    const graded = rng.chance(0.2);
    const dangerGrade = graded ? rng.weighted(DANGER_GRADE) : null;
    const relocated = rng.chance(0.03);
    const safeWater = rng.chance(0.97);
    const group = rng.pick(GROUPS);

    // Incomes: the two or three years before the registry year.
    const years = rng.chance(0.4) ? [year - 1, year - 2, year - 3] : [year - 1, year - 2];
    const band = INCOME_BAND[status] ?? [1.5, 3];
    const level = rng.between(band[0], band[1]);
    const incomes: DemoIncomeRow[] = [];
    for (const y of years) {
      const count = rows.filter((m) => Number(m.birthDate.slice(0, 4)) <= y).length || 1;
      const targetNet = demoPovertyLine(y) * level * rng.between(0.95, 1.05) * count;
      const old = rows.filter((m) => Number(m.birthDate.slice(0, 4)) <= y - 60).length;
      let transfer = old * rng.between(1300, 1700) + rng.between(100, 900);
      if (attribute === 'minimumLiving') transfer += count * rng.between(2400, 3600);
      if (attribute === 'extremeHardship') transfer += count * rng.between(5000, 7000);
      const property = rng.chance(0.35) ? rng.between(100, 900) : 0;
      const workers = rows.filter((m) => (m.monthsWorked ?? 0) > 0 && Number(m.birthDate.slice(0, 4)) <= y - 16);
      let rest = Math.max(0, targetNet - transfer - property);
      const wageShare = workers.length ? rng.between(0.55, 0.9) : 0;
      const wage = rest * wageShare;
      rest -= wage;
      const production = rest / rng.between(0.55, 0.75);
      const costs = production - rest;
      const input = {
        wageIncome: roundYuan(wage),
        productionIncome: roundYuan(production),
        propertyIncome: roundYuan(property),
        transferIncome: roundYuan(transfer),
        productionCosts: roundYuan(costs),
      };
      const d = deriveIncome(input, count);
      incomes.push({ householdId, year: y, ...input, netIncome: d.netIncome, memberCount: d.memberCount, perCapitaNetIncome: d.perCapitaNetIncome });
    }
    const latest = incomes[0]!;

    const household: DemoHouseholdRow = {
      id: householdId,
      householdNo: formatHouseholdNo(village.code, seq),
      areaCode: village.code,
      groupName: group,
      address: `${village.name}${group}`,
      householdType,
      identificationStandard: rng.chance(0.95) ? 'national' : 'provincial',
      povertyAttribute: attribute,
      mainPovertyCause: mainCause,
      otherPovertyCauses: others,
      status,
      identificationYear,
      phone: headRow.phone,
      bankName: rng.pick(BANKS),
      bankAccount: `62${String(rng.int(0, 99_999_999)).padStart(8, '0')}${String(rng.int(0, 999_999_999)).padStart(9, '0')}`,
      housingArea: round2(rng.between(40, 60) + size * rng.between(10, 25)),
      housingStructure: dangerGrade === 'D' || dangerGrade === 'C' ? rng.weighted([['earthWood', 50], ['brickWood', 40], ['other', 10]]) : rng.weighted(STRUCTURE),
      housingDangerGrade: dangerGrade,
      housingRenovated: (dangerGrade === 'C' || dangerGrade === 'D') && rng.chance(0.8),
      safeDrinkingWater: safeWater,
      drinkingWaterDifficulty: !safeWater,
      cultivatedLand: round2(rng.between(0, 1.2) * size),
      forestLand: rng.chance(0.6) ? round2(rng.between(0, 12)) : 0,
      relocated,
      relocationType: relocated ? (rng.chance(0.7) ? 'centralised' : 'dispersed') : null,
      reservoirMigrant: rng.chance(0.02),
      militaryFamily: rng.chance(0.01),
      headName: headRow.name,
      memberCount: rows.length,
      latestIncomeYear: latest.year,
      latestPerCapitaNetIncome: latest.perCapitaNetIncome,
      active: true,
      removedReason: null,
      version: 1,
      createdBy: null,
      updatedBy: null,
    };
    yield { household, members: rows, incomes };
  }
}

// ---------------------------------------------------------------------------------------------
// Writing

export interface SeedOptions extends Omit<GenerateOptions, 'nextSeq' | 'takenIdNumbers' | 'newId'> {
  /** Households per INSERT statement (per table) and per transaction; default 500. */
  batchSize?: number;
  /** Households written so far (after each batch). */
  onProgress?: (done: number) => void;
  /** Who is recorded in the audit event and as the history's changer (default: the system). */
  actor?: Actor;
}

export interface SeedResult {
  households: number;
  members: number;
  incomes: number;
  ms: number;
}

const CHANGED_BY_NAME = '演示数据生成';

/** Turns rows keyed by drizzle's property names into rows keyed by column names (for jsonb_populate_recordset). */
function columnMap(table: Table): [string, string][] {
  return Object.entries(getTableColumns(table)).map(([key, col]) => [key, col.name]);
}

/**
 * One INSERT of many rows with a single parameter: `INSERT INTO t (cols) SELECT cols FROM
 * jsonb_populate_recordset(NULL::t, $1)`. Much faster than a VALUES list with tens of thousands of
 * parameters, on PGlite and PostgreSQL alike, and free of the 65,535-parameter limit.
 */
async function insertMany(tx: DbOrTx, table: Table, map: [string, string][], rows: readonly Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const first = rows[0]!;
  const cols = map.filter(([key]) => first[key] !== undefined);
  const json = JSON.stringify(rows.map((r) => Object.fromEntries(cols.map(([key, name]) => [name, r[key] ?? null]))));
  const list = sql.raw(cols.map(([, name]) => `"${name}"`).join(', '));
  await tx.execute(sql`INSERT INTO ${table} (${list}) SELECT ${list} FROM jsonb_populate_recordset(NULL::${table}, ${json}::jsonb)`);
}

const SYSTEM = SYSTEM_ACTOR;

/**
 * Writes `count` generated households into the registry, `batchSize` per transaction: households,
 * members, identities, incomes, history version 1 ('household.register', by 演示数据生成) and the
 * villages' 户编号 counters; one audit event ('households.demo-seed') for the whole seeding.
 * Runs after other registrations or seedings without clashing: numbers continue from the counters,
 * ID numbers already in the registry are skipped, row ids are random.
 */
export async function seedHouseholds(db: Db, opts: SeedOptions): Promise<SeedResult> {
  const t0 = performance.now();
  const actor = opts.actor ?? SYSTEM;
  const batchSize = opts.batchSize ?? 500;
  const codes = opts.villages.map((v) => v.code);
  const counters = rowsOf<{ area_code: string; next: number }>(
    await db.execute(sql`SELECT area_code, next FROM ${householdNoCounters} WHERE area_code = ANY(${pgTextArray(codes)}::text[])`),
  );
  const nextSeq = new Map(counters.map((c) => [c.area_code, Number(c.next)]));
  // ID numbers of the counties concerned that the registry already holds (usually none).
  const regions = [...new Set(codes.map((c) => c.slice(0, 6)))];
  const taken = new Set(
    rowsOf<{ id_number: string }>(
      await db.execute(sql`SELECT id_number FROM ${personIdentities} WHERE left(id_number, 6) = ANY(${pgTextArray(regions)}::text[])`),
    ).map((r) => r.id_number),
  );
  const gen = generateHouseholds({ ...opts, nextSeq, takenIdNumbers: taken, newId: randomUUID });
  const maps = {
    households: columnMap(households),
    members: columnMap(members),
    incomes: columnMap(householdIncomes),
    identities: columnMap(personIdentities),
    versions: columnMap(householdVersions),
  };
  const result: SeedResult = { households: 0, members: 0, incomes: 0, ms: 0 };
  const lastSeq = new Map<string, number>();
  let done = false;
  while (!done) {
    const batch: DemoHousehold[] = [];
    while (batch.length < batchSize) {
      const n = gen.next();
      if (n.done) {
        done = true;
        break;
      }
      batch.push(n.value);
    }
    if (batch.length === 0) break;
    const now = new Date();
    const hRows = batch.map((b) => ({ ...b.household, createdAt: now, updatedAt: now }));
    const mRows = batch.flatMap((b) => b.members.map((m) => ({ ...m, createdAt: now, updatedAt: now })));
    const iRows = batch.flatMap((b) => b.incomes.map((r) => ({ ...r, updatedAt: now })));
    const idRows = mRows.map((m) => ({ idNumber: m.idNumber, householdId: m.householdId, memberId: m.id, since: now }));
    const vRows = batch.map((b, k) => ({
      householdId: b.household.id,
      version: 1,
      snapshot: { household: hRows[k]!, members: b.members.map((m) => ({ ...m, createdAt: now, updatedAt: now })), incomes: b.incomes.map((r) => ({ ...r, updatedAt: now })) },
      change: 'household.register',
      changedFields: [],
      reason: null,
      changedAt: now,
      changedBy: actor.id,
      changedByName: CHANGED_BY_NAME,
    }));
    for (const b of batch) lastSeq.set(b.household.areaCode, Number(b.household.householdNo.slice(12)));
    const last = done;
    await db.transaction(async (tx) => {
      await insertMany(tx, households, maps.households, hRows);
      await insertMany(tx, members, maps.members, mRows);
      await insertMany(tx, personIdentities, maps.identities, idRows);
      await insertMany(tx, householdIncomes, maps.incomes, iRows);
      await insertMany(tx, householdVersions, maps.versions, vRows);
      const counterRows = [...lastSeq].map(([areaCode, seq]) => ({ areaCode, next: seq + 1 }));
      await tx.execute(sql`
        INSERT INTO ${householdNoCounters} (area_code, next)
        SELECT area_code, next FROM jsonb_populate_recordset(NULL::${householdNoCounters}, ${JSON.stringify(counterRows.map((c) => ({ area_code: c.areaCode, next: c.next })))}::jsonb)
        ON CONFLICT (area_code) DO UPDATE SET next = GREATEST(${householdNoCounters}.next, excluded.next)`);
      result.households += hRows.length;
      result.members += mRows.length;
      result.incomes += iRows.length;
      if (last) {
        await recordAudit(tx, actor, {
          action: 'households.demo-seed',
          targetType: 'household',
          areaCode: regions.length === 1 ? `${regions[0]}000000` : null,
          after: { seed: opts.seed, households: result.households, members: result.members, villages: codes.length, year: opts.year },
        });
      }
    });
    lastSeq.clear();
    opts.onProgress?.(result.households);
  }
  if (result.households === 0) {
    await db.transaction((tx) => recordAudit(tx, actor, { action: 'households.demo-seed', targetType: 'household', after: { seed: opts.seed, households: 0 } }));
  }
  result.ms = performance.now() - t0;
  return result;
}

