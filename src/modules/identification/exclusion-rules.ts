/**
 * Exclusion rules (红线 / 四不列) and cross-checks (比对), pure: the rule catalogue, the per-area
 * settings (which rules apply and with what parameters), the evaluation of one household, and the
 * recognition of a cross-check list's columns. No I/O; the service (exclusion.ts) loads and writes.
 *
 * Sources (REFERENCE.md §2.2, §2.1):
 * - Shaanxi "九条红线": a commercial flat in town (1), a private car (2), a member on the village
 *   committees (3), a member paid by public finance (4), a member running a company (5), the household
 *   long absent or 人户分离 (6);
 * - Hainan-style "四不列": a non-productive vehicle or commercial housing, a member paid by public
 *   finance, a member who is a village cadre, a shop or transport business;
 * - Hunan 比对: 消费型车辆, 商品房, 财政供养人员 checked against other departments' data; the Guangdong
 *   platform's cross-check anomalies house / car / i_n_c_info (工商注册) / finance (财政供养).
 * - The identification income line: 2300 yuan at 2010 prices, adjusted each year (2736 in 2014 … about
 *   4000 in 2020: REFERENCE §2.1 and §3.1 "2020 household line roughly 4000 元").
 */
import { z } from 'zod';
import { ageOn } from '../../shared/calendar-date.ts';

/** The kinds of cross-check list (比对名单) another department delivers, keyed by ID number. */
export const CROSS_CHECK_KINDS = ['vehicle', 'property', 'payroll', 'business', 'cadre'] as const;
export type CrossCheckKind = (typeof CROSS_CHECK_KINDS)[number];

export const CROSS_CHECK_KIND_LABELS: Record<CrossCheckKind, { zh: string; en: string; department: string }> = {
  vehicle: { zh: '车辆登记名单', en: 'Vehicle registrations', department: '公安交管' },
  property: { zh: '房产登记名单', en: 'Property registrations', department: '住建 / 不动产登记' },
  payroll: { zh: '财政供养人员名单', en: 'Public payroll', department: '财政 / 人社' },
  business: { zh: '工商注册名单', en: 'Business registrations', department: '市场监管' },
  cadre: { zh: '村干部名单', en: 'Village cadres', department: '组织部 / 乡镇' },
};

export const EXCLUSION_RULE_CODES = ['vehicle', 'commercialHousing', 'publicPayroll', 'villageCadre', 'company', 'longAbsent', 'incomeAboveLine'] as const;
export type ExclusionRuleCode = (typeof EXCLUSION_RULE_CODES)[number];

/** Where a finding comes from: the household's own registry data, or a cross-check list (its id). */
export const REGISTRY_SOURCE = 'registry';

/** The parameters of each rule (what an area may set). Money in yuan per person per year; months 1–12. */
export const exclusionRuleParams = {
  vehicle: z.object({}).strict(),
  commercialHousing: z.object({}).strict(),
  publicPayroll: z.object({}).strict(),
  villageCadre: z.object({}).strict(),
  company: z.object({}).strict(),
  longAbsent: z
    .object({
      /** Months a year each adult member works outside the county, at least (1–12). */
      minMonths: z.number().int('须为整数 · must be a whole number').min(1, '至少 1 个月 · at least 1 month').max(12, '至多 12 个月 · at most 12 months'),
    })
    .strict(),
  incomeAboveLine: z
    .object({
      /** The identification line, yuan per person per year: a latest per-capita net income above it is a hit. */
      line: z.number().positive('须大于 0 · must be above 0').max(1_000_000, '不超过 1,000,000 元 · at most 1,000,000 yuan'),
    })
    .strict(),
} as const satisfies Record<ExclusionRuleCode, z.ZodType>;

export type ExclusionRuleParams = { [K in ExclusionRuleCode]: z.infer<(typeof exclusionRuleParams)[K]> };

export interface ExclusionRuleDef<K extends ExclusionRuleCode = ExclusionRuleCode> {
  code: K;
  label: { zh: string; en: string };
  /** What the rule checks, for the settings page. */
  description: { zh: string; en: string };
  /** The policy it comes from (REFERENCE.md section). */
  source: string;
  /** The cross-check list kind that feeds it, if any. */
  listKind: CrossCheckKind | null;
  /** The registry data it reads, if any (households / members columns). */
  registryData: string | null;
  defaultEnabled: boolean;
  defaultParams: ExclusionRuleParams[K];
}

/**
 * The rule catalogue. Cross-check rules are fed by one list kind each; two rules read the registry:
 * - `longAbsent` reads members' 务工状况 (`employment`: 县外省内务工 `inProvince` / 省外务工
 *   `outOfProvince` count as outside the county) and 务工时间 (`monthsWorked`): a hit when every active
 *   member aged 16 or more works outside the county at least `minMonths` months a year (nobody of
 *   working age or older stays at home; children under 16 are not counted). Default 6 months: the
 *   census counts a person away from the registered place for half a year or more as not resident
 *   there (常住人口, NBS; not in REFERENCE.md).
 * - `incomeAboveLine` reads the household's latest per-capita net income (`latestPerCapitaNetIncome`,
 *   yuan per person per year, of `latestIncomeYear`): a hit when above `line`. Default 4000: the 2020
 *   national line (REFERENCE §3.1; §2.1 lists the yearly lines 2736–3026 of 2014–2017); a county sets
 *   its own year's line in the settings.
 */
export const EXCLUSION_RULES: { [K in ExclusionRuleCode]: ExclusionRuleDef<K> } = {
  vehicle: {
    code: 'vehicle',
    label: { zh: '拥有非生产经营性车辆', en: 'Owns a non-productive vehicle' },
    description: { zh: '家庭成员名下登记有小汽车等非生产经营性车辆（公安交管车辆登记比对）', en: 'A member owns a car or other non-productive vehicle (police vehicle registrations)' },
    source: 'REFERENCE §2.2: 陕西九条红线 2；海南四不列 1；湖南比对 消费型车辆',
    listKind: 'vehicle',
    registryData: null,
    defaultEnabled: true,
    defaultParams: {},
  },
  commercialHousing: {
    code: 'commercialHousing',
    label: { zh: '在城镇购买商品房', en: 'Owns commercial housing in town' },
    description: { zh: '家庭成员在城镇拥有商品房（住建、不动产登记比对）', en: 'A member owns commercial housing in a town (property registrations)' },
    source: 'REFERENCE §2.2: 陕西九条红线 1；海南四不列 1；湖南比对 商品房',
    listKind: 'property',
    registryData: null,
    defaultEnabled: true,
    defaultParams: {},
  },
  publicPayroll: {
    code: 'publicPayroll',
    label: { zh: '有财政供养人员', en: 'Member paid by public finance' },
    description: { zh: '家庭成员为财政供养人员（财政、人社工资名单比对）', en: 'A member is paid by public finance (public payroll)' },
    source: 'REFERENCE §2.2: 陕西九条红线 4；海南四不列 2；湖南比对 财政供养人员',
    listKind: 'payroll',
    registryData: null,
    defaultEnabled: true,
    defaultParams: {},
  },
  villageCadre: {
    code: 'villageCadre',
    label: { zh: '有村干部', en: 'Member is a village cadre' },
    description: { zh: '家庭成员为村“三委”干部（村干部名单比对）', en: 'A member sits on the village committees (village cadre list)' },
    source: 'REFERENCE §2.2: 陕西九条红线 3；海南四不列 3',
    listKind: 'cadre',
    registryData: null,
    defaultEnabled: true,
    defaultParams: {},
  },
  company: {
    code: 'company',
    label: { zh: '开办或经营企业', en: 'Member runs a registered business' },
    description: { zh: '家庭成员为工商注册企业、个体工商户的法定代表人或经营者（市场监管比对）', en: 'A member runs a registered company or business (business registrations)' },
    source: 'REFERENCE §2.2: 陕西九条红线 5；海南四不列 4；广东 i_n_c_info',
    listKind: 'business',
    registryData: null,
    defaultEnabled: true,
    defaultParams: {},
  },
  longAbsent: {
    code: 'longAbsent',
    label: { zh: '长期外出 / 人户分离', en: 'Household long absent' },
    description: {
      zh: '16 岁及以上的家庭成员全部在县外务工且每年不少于设定月数（农户档案：务工状况、务工时间）',
      en: 'Every member aged 16 or more works outside the county at least the set months a year (registry: employment, months worked)',
    },
    source: 'REFERENCE §2.2: 陕西九条红线 6',
    listKind: null,
    registryData: 'members.employment, members.monthsWorked, members.birthDate',
    defaultEnabled: true,
    defaultParams: { minMonths: 6 },
  },
  incomeAboveLine: {
    code: 'incomeAboveLine',
    label: { zh: '人均纯收入高于识别标准', en: 'Income above the identification line' },
    description: {
      zh: '最近一年家庭人均纯收入高于识别标准（元/人·年；农户档案：收入）',
      en: 'The latest per-capita net income is above the identification line (yuan per person per year; registry: incomes)',
    },
    source: 'REFERENCE §2.1（识别标准逐年调整），§3.1（2020 年约 4000 元）',
    listKind: null,
    registryData: 'households.latestPerCapitaNetIncome, households.latestIncomeYear',
    defaultEnabled: true,
    defaultParams: { line: 4000 },
  },
};

/** The rule a list kind feeds. */
export function ruleOfListKind(kind: CrossCheckKind): ExclusionRuleCode {
  return EXCLUSION_RULE_CODES.find((c) => EXCLUSION_RULES[c].listKind === kind)!;
}

// ---------------------------------------------------------------------------------------------
// Settings

/** A stored settings row: '' for the national row, otherwise a province, city or county code (12 digits). */
export interface ExclusionSettingRow {
  areaCode: string;
  rule: string;
  enabled: boolean;
  params: unknown;
}

export interface EffectiveRuleSetting<K extends ExclusionRuleCode = ExclusionRuleCode> {
  enabled: boolean;
  params: ExclusionRuleParams[K];
  /** The area whose row applies ('' = the national row), or null for the built-in default. */
  from: string | null;
}
export type EffectiveSettings = { [K in ExclusionRuleCode]: EffectiveRuleSetting<K> };

/** The significant prefix of a 12-digit code ('' stays ''): what every code inside the area starts with. */
function prefixOf(code: string): string {
  if (code === '') return '';
  if (code.slice(9) !== '000') return code;
  if (code.slice(6, 9) !== '000') return code.slice(0, 9);
  if (code.slice(4, 6) !== '00') return code.slice(0, 6);
  if (code.slice(2, 4) !== '00') return code.slice(0, 4);
  return code.slice(0, 2);
}

/**
 * The settings that apply in an area: for each rule, the row of the most specific area containing
 * `areaCode` (longest code prefix; the national row '' last), else the built-in default. A row's
 * params are laid over the rule's default params; params that no longer validate fall back to them.
 * @param areaCode the household's village (or any 12-digit code)
 */
export function resolveSettings(rows: readonly ExclusionSettingRow[], areaCode: string): EffectiveSettings {
  const out = {} as Record<ExclusionRuleCode, EffectiveRuleSetting>;
  for (const code of EXCLUSION_RULE_CODES) {
    const def = EXCLUSION_RULES[code];
    let best: ExclusionSettingRow | undefined;
    for (const r of rows) {
      if (r.rule !== code || !areaCode.startsWith(prefixOf(r.areaCode))) continue;
      if (!best || prefixOf(r.areaCode).length > prefixOf(best.areaCode).length) best = r;
    }
    if (!best) {
      out[code] = { enabled: def.defaultEnabled, params: def.defaultParams, from: null };
      continue;
    }
    const merged = exclusionRuleParams[code].safeParse({ ...def.defaultParams, ...(isObject(best.params) ? best.params : {}) });
    out[code] = { enabled: best.enabled, params: merged.success ? merged.data : def.defaultParams, from: best.areaCode };
  }
  return out as EffectiveSettings;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** What the evaluation needs of a household (registry columns). */
export interface HouseholdFacts {
  /** Yuan per person per year; null when no income is recorded. */
  latestPerCapitaNetIncome: number | null;
  latestIncomeYear: number | null;
}

/** What the evaluation needs of a member. */
export interface MemberFacts {
  id: string;
  name: string;
  /** YYYY-MM-DD. */
  birthDate: string;
  employment: string | null;
  /** Months worked in the year (0–12), null when not recorded. */
  monthsWorked: number | null;
  /** 'active' or 'removed'; removed members are not checked. */
  status: string;
  alive: boolean;
}

/** One cross-check entry that names a member of the household (matched by ID number). */
export interface ListMatch {
  listId: string;
  listName: string;
  kind: CrossCheckKind;
  memberId: string;
  /** What the list says (plate number, address, employer, company, office). */
  detail: string | null;
}

export interface Finding {
  rule: ExclusionRuleCode;
  /** The member concerned; null for a rule about the household. */
  memberId: string | null;
  /** 'registry' or the list's id. */
  source: string;
  listId: string | null;
  detail: string;
}

/** Employment outside the county (县外省内务工, 省外务工). */
const OUTSIDE_COUNTY = new Set(['inProvince', 'outOfProvince']);

export { ageOn };

const yuan = (v: number) => v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * The findings of the enabled rules on one household: one per member named on a list that feeds an
 * enabled rule (the first list when several name the same member for the same rule), plus the
 * registry rules. Removed or deceased members are not checked.
 * @param today YYYY-MM-DD (China Standard Time), for members' ages
 * @returns the findings, in catalogue order
 */
export function evaluateHousehold(input: { household: HouseholdFacts; members: readonly MemberFacts[]; matches: readonly ListMatch[]; settings: EffectiveSettings; today: string }): Finding[] {
  const { household, settings, today } = input;
  const current = input.members.filter((m) => m.status === 'active' && m.alive);
  const currentIds = new Set(current.map((m) => m.id));
  const out: Finding[] = [];
  for (const code of EXCLUSION_RULE_CODES) {
    const s = settings[code];
    if (!s.enabled) continue;
    const def = EXCLUSION_RULES[code];
    if (def.listKind) {
      const seen = new Set<string>();
      for (const m of input.matches) {
        if (m.kind !== def.listKind || !currentIds.has(m.memberId) || seen.has(m.memberId)) continue;
        seen.add(m.memberId);
        out.push({ rule: code, memberId: m.memberId, source: m.listId, listId: m.listId, detail: m.detail ? `${m.listName}：${m.detail}` : m.listName });
      }
    } else if (code === 'longAbsent') {
      const { minMonths } = (s as EffectiveRuleSetting<'longAbsent'>).params;
      const adults = current.filter((m) => ageOn(m.birthDate, today) >= 16);
      if (adults.length > 0 && adults.every((m) => m.employment !== null && OUTSIDE_COUNTY.has(m.employment) && (m.monthsWorked ?? 0) >= minMonths)) {
        out.push({
          rule: code,
          memberId: null,
          source: REGISTRY_SOURCE,
          listId: null,
          detail: `16 岁及以上成员 ${adults.length} 人均在县外务工 ${minMonths} 个月以上 · all ${adults.length} members aged 16+ work outside the county ${minMonths}+ months`,
        });
      }
    } else if (code === 'incomeAboveLine') {
      const { line } = (s as EffectiveRuleSetting<'incomeAboveLine'>).params;
      const income = household.latestPerCapitaNetIncome;
      if (income !== null && income > line) {
        out.push({
          rule: code,
          memberId: null,
          source: REGISTRY_SOURCE,
          listId: null,
          detail: `${household.latestIncomeYear ?? ''} 年人均纯收入 ${yuan(income)} 元，高于识别标准 ${yuan(line)} 元 · ${household.latestIncomeYear ?? ''} per-capita net income ${yuan(income)} yuan, above the identification line of ${yuan(line)} yuan`,
        });
      }
    }
  }
  return out;
}

/**
 * The key that makes two findings the same: household, rule, member and the kind of source (the
 * registry, or any list — each rule is fed by one list kind, so a newer list naming the same person
 * is the same finding, and a justification given on the older list's hit still holds).
 */
export function findingKey(f: { rule: string; memberId: string | null; source: string }): string {
  return `${f.rule}|${f.memberId ?? ''}|${f.source === REGISTRY_SOURCE ? REGISTRY_SOURCE : 'list'}`;
}

/** Minimum length of a written justification (characters). */
export const MIN_JUSTIFICATION_LENGTH = 10;

// ---------------------------------------------------------------------------------------------
// Cross-check list columns

/** What a column of a cross-check list holds. */
export type CrossCheckColumnRole = 'idNumber' | 'name' | 'detail';

/** Header spellings per role (compared after normalizeCrossCheckHeader). */
const ID_HEADERS = ['身份证号', '身份证号码', '公民身份号码', '公民身份证号码', '身份证件号码', '证件号码', '证件号', '身份证', '居民身份证号码'];
const NAME_HEADERS = ['姓名', '人员姓名', '成员姓名', '车主', '车主姓名', '机动车所有人', '所有人', '所有权人', '权利人', '产权人', '业主', '法定代表人', '法人', '法人代表', '负责人', '经营者', '投资人', '干部姓名', '职工姓名'];
/** Detail columns by list kind: the first found of each list goes into an entry's detail. */
const DETAIL_HEADERS: readonly string[] = [
  // vehicle
  '车牌号', '车牌号码', '号牌号码', '号牌', '车辆号牌', '车辆类型', '车辆品牌', '品牌型号', '车辆型号', '使用性质',
  // property
  '房屋地址', '房屋坐落', '坐落', '不动产坐落', '房产地址', '房产坐落', '地址', '建筑面积', '房屋用途', '规划用途',
  // payroll
  '工作单位', '单位名称', '供职单位', '所在单位', '单位', '编制类型', '人员类别',
  // business
  '企业名称', '市场主体名称', '主体名称', '个体户名称', '字号名称', '名称', '统一社会信用代码', '注册号', '企业类型', '经营范围',
  // cadre
  '职务', '任职', '职位', '担任职务', '现任职务', '所在村',
];

/** Header text in the form compared: NFKC, spaces and zero-width characters removed, brackets and required marks dropped. */
export function normalizeCrossCheckHeader(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\s\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/[*※]/g, '')
    .replace(/\(.*?\)|（.*?）/g, '')
    .toLowerCase();
}

const ID_SET = new Set(ID_HEADERS.map(normalizeCrossCheckHeader));
const NAME_SET = new Set(NAME_HEADERS.map(normalizeCrossCheckHeader));
const DETAIL_SET = new Set(DETAIL_HEADERS.map(normalizeCrossCheckHeader));

/** The role of one header cell: exact spellings first, then tolerant ones (…身份证号…, …姓名). */
export function crossCheckColumnRole(header: string): CrossCheckColumnRole | null {
  const h = normalizeCrossCheckHeader(header);
  if (h === '') return null;
  if (ID_SET.has(h)) return 'idNumber';
  if (NAME_SET.has(h)) return 'name';
  if (DETAIL_SET.has(h)) return 'detail';
  if (/身份证|身份号码|证件号/.test(h)) return 'idNumber';
  if (/姓名$/.test(h)) return 'name';
  if (/车牌|号牌|坐落|地址|单位|企业|名称|职务/.test(h)) return 'detail';
  return null;
}

export interface CrossCheckColumns {
  /** 0-based index of the header row among the rows scanned. */
  headerRowIndex: number;
  idNumber: { index: number; header: string };
  name: { index: number; header: string } | null;
  details: { index: number; header: string }[];
}

/**
 * Finds a cross-check list's header among the first rows: the first row with an ID-number column
 * (身份证号 / 公民身份号码 / 证件号码 …). The first name column is the name; every recognised detail
 * column (车牌号, 房屋地址, 工作单位, 企业名称, 职务 …) goes into the entry's detail.
 * @param rows the first rows of the sheet, as header texts
 * @returns the columns, or null when no row has an ID-number column
 */
export function findCrossCheckColumns(rows: readonly (readonly string[])[]): CrossCheckColumns | null {
  for (let i = 0; i < rows.length; i++) {
    const cells = rows[i] ?? [];
    let id: CrossCheckColumns['idNumber'] | null = null;
    let name: CrossCheckColumns['name'] = null;
    const details: CrossCheckColumns['details'] = [];
    cells.forEach((text, index) => {
      const role = crossCheckColumnRole(text);
      const header = text.trim();
      if (role === 'idNumber' && !id) id = { index, header };
      else if (role === 'name' && !name) name = { index, header };
      else if (role === 'detail') details.push({ index, header });
    });
    if (id) return { headerRowIndex: i, idNumber: id, name, details };
  }
  return null;
}
