/**
 * What the registry pages share: code-list options and labels, money in yuan, the field labels of a
 * household and a member, and loading a household (in full for the roles that may, which is audited).
 */
import { Tooltip } from 'antd';
import { CODE_LISTS, codeLabel, type CodeListId } from '../codes.ts';
import type { HouseholdDto } from '../contract.ts';
import { get } from '../../../client/api-client.ts';
import { defineMessages, joinList, type Lang, type Msg } from '../../../client/i18n.tsx';

/** The options of a code list for a Select (retired values only when `keep` holds them). */
export function codeOptions(listId: CodeListId, lang: Lang, keep?: string | null) {
  return CODE_LISTS[listId].items
    .filter((i) => !('retired' in i && i.retired) || i.value === keep)
    .map((i) => ({ value: i.value as string, label: i.label[lang] }));
}

/** A stored value's label, '—' for none. */
export function label(listId: CodeListId, value: string | null | undefined, lang: Lang): string {
  return value ? codeLabel(listId, value, lang) : '—';
}

/** ¥5,675.13 (yuan, two decimals); '—' for none. */
export function yuan(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  const sign = v < 0 ? '-' : '';
  return `${sign}¥${Math.abs(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** A parenthetical after some text: 「（2024）」 in Chinese, " (2024)" in English. */
export function paren(text: string | number, lang: Lang): string {
  return lang === 'zh' ? `（${text}）` : ` (${text})`;
}

/** 「：」 in Chinese, ": " in English. */
export function colon(lang: Lang): string {
  return lang === 'zh' ? '：' : ': ';
}

/** Months worked: 「7个月」, "7 months". */
export function months(n: number, lang: Lang): string {
  return lang === 'zh' ? `${n}个月` : `${n} month${n === 1 ? '' : 's'}`;
}

/** A member's employment with the months worked: 「县外务工 7个月」, "Working outside the county, 7 months". */
export function employmentText(m: { employment: string | null; monthsWorked: number | null }, lang: Lang): string {
  if (!m.employment) return '—';
  const e = label('employment', m.employment, lang);
  return m.monthsWorked ? `${e}${lang === 'zh' ? ' ' : ', '}${months(m.monthsWorked, lang)}` : e;
}

/** A dilapidation grade: 「C级」, "Grade C". */
export function gradeText(grade: string, lang: Lang): string {
  return lang === 'zh' ? `${grade}级` : `Grade ${grade}`;
}

/** A table cell's text on one line, cut with an ellipsis and shown whole in a tooltip (columns with `ellipsis: { showTitle: false }`). */
export function Clip({ text, className }: { text: string; className?: string }) {
  return (
    <Tooltip placement="topLeft" title={text === '—' ? undefined : text}>
      <span className={className}>{text}</span>
    </Tooltip>
  );
}

/** Loads a household; `full` for roles holding households.read-full (the server audits the view). */
export function loadHousehold(id: string, full: boolean, asOfYear?: number | null): Promise<HouseholdDto> {
  return get<HouseholdDto>(`/households/${id}`, { full: full || undefined, asOfYear: asOfYear ?? undefined });
}

/** Labels of the household's fields (the form, the detail page and the conflict dialog). */
export const HF = defineMessages({
  areaCode: { zh: '所在村', en: 'Village' },
  groupName: { zh: '村民小组', en: 'Village group' },
  address: { zh: '住址', en: 'Address' },
  householdType: { zh: '户类型', en: 'Household type' },
  identificationStandard: { zh: '识别标准', en: 'Identification standard' },
  povertyAttribute: { zh: '贫困户属性', en: 'Poor-household attribute' },
  mainPovertyCause: { zh: '主要致贫原因', en: 'Main poverty cause' },
  otherPovertyCauses: { zh: '其他致贫原因', en: 'Other poverty causes' },
  status: { zh: '脱贫状态', en: 'Poverty status' },
  identificationYear: { zh: '识别年度', en: 'Year identified' },
  phone: { zh: '联系电话', en: 'Phone' },
  bankName: { zh: '开户银行', en: 'Bank' },
  bankAccount: { zh: '银行账号', en: 'Bank account' },
  housingArea: { zh: '住房面积（m²）', en: 'Housing area (m²)' },
  housingStructure: { zh: '住房结构', en: 'Housing structure' },
  housingDangerGrade: { zh: '危房等级', en: 'Dilapidation grade' },
  housingRenovated: { zh: '已危房改造', en: 'Dilapidated house renovated' },
  safeDrinkingWater: { zh: '饮水安全', en: 'Safe drinking water' },
  drinkingWaterDifficulty: { zh: '饮水困难', en: 'Difficulty getting water' },
  cultivatedLand: { zh: '耕地面积（亩）', en: 'Cultivated land (mu)' },
  forestLand: { zh: '林地面积（亩）', en: 'Forest land (mu)' },
  relocated: { zh: '易地扶贫搬迁', en: 'Relocated' },
  relocationType: { zh: '搬迁安置方式', en: 'Relocation settlement' },
  reservoirMigrant: { zh: '水库移民', en: 'Reservoir migrant' },
  militaryFamily: { zh: '军烈属', en: 'Military family' },
});

/** Labels of a member's fields. */
export const MF = defineMessages({
  name: { zh: '姓名', en: 'Name' },
  sex: { zh: '性别', en: 'Sex' },
  idType: { zh: '证件类型', en: 'ID type' },
  idNumber: { zh: '证件号码', en: 'ID number' },
  birthDate: { zh: '出生日期', en: 'Birth date' },
  age: { zh: '年龄', en: 'Age' },
  relationToHead: { zh: '与户主关系', en: 'Relation to head' },
  ethnicity: { zh: '民族', en: 'Ethnicity' },
  politicalStatus: { zh: '政治面貌', en: 'Political status' },
  education: { zh: '文化程度', en: 'Education' },
  schooling: { zh: '在校生状况', en: 'Schooling' },
  health: { zh: '健康状况', en: 'Health' },
  diseaseName: { zh: '疾病名称', en: 'Disease' },
  disabilityCategory: { zh: '残疾类别', en: 'Disability category' },
  disabilityGrade: { zh: '残疾等级', en: 'Disability grade' },
  labourAbility: { zh: '劳动技能', en: 'Labour ability' },
  employment: { zh: '务工状况', en: 'Employment' },
  monthsWorked: { zh: '务工月数', en: 'Months worked' },
  medicalInsurance: { zh: '城乡居民基本医疗保险', en: 'Basic medical insurance' },
  seriousIllnessInsurance: { zh: '大病保险', en: 'Critical illness insurance' },
  pensionInsurance: { zh: '城乡居民基本养老保险', en: 'Basic pension insurance' },
  minimumLiving: { zh: '享受低保', en: 'Minimum living allowance' },
  extremeHardship: { zh: '特困供养', en: 'Extreme-hardship support' },
  activeMilitary: { zh: '现役军人', en: 'In active military service' },
  phone: { zh: '联系电话', en: 'Phone' },
  alive: { zh: '健在', en: 'Alive' },
  deceasedDate: { zh: '死亡日期', en: 'Date of death' },
});

/** Labels of the income fields. */
export const IF = defineMessages({
  year: { zh: '年度', en: 'Year' },
  wageIncome: { zh: '工资性收入', en: 'Wage income' },
  productionIncome: { zh: '生产经营性收入', en: 'Production income' },
  propertyIncome: { zh: '财产性收入', en: 'Property income' },
  transferIncome: { zh: '转移性收入', en: 'Transfer income' },
  productionCosts: { zh: '生产经营费用支出', en: 'Production costs' },
  netIncome: { zh: '家庭年纯收入', en: 'Net income' },
  perCapitaNetIncome: { zh: '人均纯收入（年）', en: 'Net income per person (year)' },
  memberCount: { zh: '计算人数', en: 'Persons' },
});

/** Which code list a household or member field takes its values from. */
export const FIELD_LIST: Record<string, CodeListId> = {
  householdType: 'householdType',
  identificationStandard: 'identificationStandard',
  povertyAttribute: 'povertyAttribute',
  mainPovertyCause: 'povertyCause',
  otherPovertyCauses: 'povertyCause',
  status: 'householdStatus',
  housingStructure: 'housingStructure',
  relocationType: 'relocationSettlement',
  sex: 'sex',
  idType: 'idType',
  relationToHead: 'relationToHead',
  ethnicity: 'ethnicity',
  politicalStatus: 'politicalStatus',
  education: 'education',
  schooling: 'schooling',
  health: 'health',
  disabilityCategory: 'disabilityCategory',
  disabilityGrade: 'disabilityGrade',
  labourAbility: 'labourAbility',
  employment: 'employment',
};

const YES: Msg = { zh: '是', en: 'Yes' };
const NO: Msg = { zh: '否', en: 'No' };

/** Any field's value as text: code labels, yes/no, money-free numbers, lists joined; '—' for none. */
export function showValue(field: string, value: unknown, lang: Lang): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.length ? joinList(value.map((v) => showValue(field, v, lang)), lang) : '—';
  if (typeof value === 'boolean') return (value ? YES : NO)[lang];
  const list = FIELD_LIST[field];
  if (list && typeof value === 'string') return codeLabel(list, value, lang);
  return String(value);
}

/** Field label by name (household, member or income). */
export function fieldLabel(field: string, lang: Lang): string {
  const m = (HF as Record<string, Msg>)[field] ?? (MF as Record<string, Msg>)[field] ?? (IF as Record<string, Msg>)[field];
  return m ? m[lang] : field;
}

/** Registry strings used on several pages. */
export const R = defineMessages({
  menu: { zh: '农户档案', en: 'Households' },
  listTitle: { zh: '农户档案', en: 'Households' },
  villageBook: { zh: '村有册', en: 'Village register' },
  townshipArchive: { zh: '乡有档', en: 'Township archive' },
  card: { zh: '户有卡', en: 'Household card' },
  print: { zh: '打印', en: 'Print' },
  back: { zh: '返回', en: 'Back' },
  householdNo: { zh: '户编号', en: 'Household no.' },
  head: { zh: '户主', en: 'Head' },
  headId: { zh: '身份证号', en: 'ID number' },
  members: { zh: '人口', en: 'Persons' },
  village: { zh: '村/组', en: 'Village / group' },
  income: { zh: '人均纯收入（年）', en: 'Net income per person (year)' },
  updatedAt: { zh: '更新时间', en: 'Updated' },
  register: { zh: '登记农户', en: 'Register a household' },
  fullRecorded: { zh: '您正在查看完整的身份证号、电话和银行账号，本次查看已记入审计日志。', en: 'You are viewing full ID numbers, phones and bank accounts; this view is recorded in the audit log.' },
  masked: { zh: '证件号码、电话已按规定脱敏显示。', en: 'ID numbers and phones are masked.' },
  printedOn: { zh: '打印日期：{date}', en: 'Printed on {date}' },
  none: { zh: '暂无', en: 'None yet' },
  yuanUnit: { zh: '元', en: 'yuan' },
  total: { zh: '共 {n} 户', en: '{n} households' },
  removedTag: { zh: '已注销', en: 'Removed' },
});
