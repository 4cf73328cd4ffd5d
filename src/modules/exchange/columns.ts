/**
 * The column dictionary of the national person list (全国扶贫开发信息系统 人员名单: one row per member,
 * the household's columns repeated on every row) and its variants: the 2016–2019 export, the 2022
 * 已脱贫人口名单 / 边缘易致贫人口名单 export, and village templates. Each known column names its target
 * (an area level, a household field, a member field, or a recognised column kept aside), how its cells
 * are read, whether it is required, and the spellings seen in files.
 * Sources: /work/shared/data/household-form-columns.md §A, §B, §D; /work/shared/domain/REFERENCE.md §1.8.
 */
import type { CodeListId, Label } from '../households/index.ts';
import type { HouseholdFieldValues, MemberValues } from '../households/index.ts';

/** The levels a file names areas by: 县, 乡(镇), 行政村, 自然村 (村民小组). */
export type AreaColumnLevel = 'county' | 'township' | 'village' | 'group';

/** How a column's cells are read (see cells.ts). */
export type CellKind =
  | { kind: 'text'; maxLength?: number }
  /** Digits meant as text (户编号, codes, accounts, phones): a truncated number is refused. */
  | { kind: 'identifier'; maxLength?: number }
  | { kind: 'idNumber' }
  | { kind: 'date' }
  | { kind: 'number' }
  | { kind: 'integer' }
  | { kind: 'boolean' }
  | { kind: 'code'; list: CodeListId }
  /** Several coded values in one cell, or one per column, gathered into one list field. */
  | { kind: 'codes'; list: CodeListId };

export type ColumnTarget =
  | { kind: 'area'; level: AreaColumnLevel }
  /** The 12-digit area code, an alternative to names. */
  | { kind: 'areaCode' }
  | { kind: 'household'; field: keyof HouseholdFieldValues | 'householdNo' }
  | { kind: 'member'; field: keyof MemberValues | 'memberNo' }
  /** Recognised, read and kept with the household (`extras`), not (yet) a registry field. */
  | { kind: 'extra' }
  /** Recognised and skipped (row numbers, the export's data date). */
  | { kind: 'ignored' };

export interface ColumnDef {
  /** Stable key of the column, English camelCase. */
  readonly key: string;
  readonly label: Label;
  readonly target: ColumnTarget;
  readonly cell: CellKind;
  /** Other spellings seen in files (the label's Chinese text is matched too). */
  readonly aliases: readonly string[];
}

const text = (maxLength = 200): CellKind => ({ kind: 'text', maxLength });
const ident = (maxLength = 40): CellKind => ({ kind: 'identifier', maxLength });
const code = (list: CodeListId): CellKind => ({ kind: 'code', list });
const bool: CellKind = { kind: 'boolean' };
const date: CellKind = { kind: 'date' };

function col(key: string, zh: string, en: string, target: ColumnTarget, cell: CellKind, aliases: readonly string[] = []): ColumnDef {
  return { key, label: { zh, en }, target, cell, aliases };
}

/** Every known column, in the order of the national person list (§A) then the 2022 export (§B) and others. */
export const PERSON_LIST_COLUMNS: readonly ColumnDef[] = [
  col('county', '县(市、区、旗)', 'County', { kind: 'area', level: 'county' }, text(50), ['县', '县(市、区)', '县(区)', '县(市)', '县市区', '县区', '区县']),
  col('township', '乡(镇)', 'Township', { kind: 'area', level: 'township' }, text(50), ['乡镇', '乡', '镇', '乡(镇、街道)', '乡镇(街道)', '乡镇街道']),
  col('village', '行政村', 'Village', { kind: 'area', level: 'village' }, text(50), ['村', '村(社区)', '行政村(社区)', '村委会', '所在村']),
  col('group', '自然村', 'Natural village / group', { kind: 'area', level: 'group' }, text(50), ['组', '村民小组', '自然村(组)', '组别']),
  col('areaCode', '区划代码', 'Area code', { kind: 'areaCode' }, ident(20), ['行政区划代码', '村代码', '村级区划代码', '统计用区划代码']),
  col('householdNo', '户编号', 'Household number', { kind: 'household', field: 'householdNo' }, ident(40), ['户编码', '户号']),
  col('memberNo', '人编号', 'Member number', { kind: 'member', field: 'memberNo' }, ident(40), ['人编码', '成员编号']),
  col('name', '姓名', 'Name', { kind: 'member', field: 'name' }, text(50), ['成员姓名', '人员姓名']),
  col('idNumber', '证件号码', 'ID number', { kind: 'member', field: 'idNumber' }, { kind: 'idNumber' }, [
    '身份证号', '身份证号码', '公民身份号码', '证件号码(身份证号)', '身份证', '身份证件号码', '公民身份证号码', '公民身份号码或残疾证号',
  ]),
  col('idType', '证件类型', 'ID document type', { kind: 'member', field: 'idType' }, code('idType')),
  col('memberCount', '人数', 'Household size', { kind: 'extra' }, { kind: 'integer' }, ['家庭人口数', '家庭人数', '户人数', '人口数']),
  col('relationToHead', '与户主关系', 'Relation to head', { kind: 'member', field: 'relationToHead' }, code('relationToHead'), ['与户主的关系', '家庭关系']),
  col('sex', '性别', 'Sex', { kind: 'member', field: 'sex' }, code('sex')),
  col('birthDate', '出生日期', 'Birth date', { kind: 'member', field: 'birthDate' }, date, ['出生年月', '出生年月日']),
  col('ethnicity', '民族', 'Ethnicity', { kind: 'member', field: 'ethnicity' }, code('ethnicity')),
  col('politicalStatus', '政治面貌', 'Political status', { kind: 'member', field: 'politicalStatus' }, code('politicalStatus')),
  col('education', '文化程度', 'Education', { kind: 'member', field: 'education' }, code('education')),
  col('schooling', '在校生状况', 'Schooling', { kind: 'member', field: 'schooling' }, code('schooling'), ['在校生情况']),
  col('health', '健康状况', 'Health', { kind: 'member', field: 'health' }, code('health')),
  col('labourAbility', '劳动技能', 'Labour ability', { kind: 'member', field: 'labourAbility' }, code('labourAbility'), ['劳动能力']),
  col('employment', '务工状况', 'Employment', { kind: 'member', field: 'employment' }, code('employment'), ['务工情况']),
  col('monthsWorked', '务工时间(月)', 'Months worked', { kind: 'member', field: 'monthsWorked' }, { kind: 'integer' }, ['务工时间', '务工月数']),
  col('seriousIllnessInsurance', '参加大病医疗', 'Serious-illness insurance', { kind: 'member', field: 'seriousIllnessInsurance' }, bool, [
    '是否参加大病保险', '参加大病保险', '大病医疗', '大病保险',
  ]),
  col('medicalInsurance', '参加城乡居民基本医疗保险', 'Basic medical insurance', { kind: 'member', field: 'medicalInsurance' }, bool, ['居民医保', '是否参加基本医疗保险', '基本医疗保险']),
  col('pensionInsurance', '参加城乡居民基本养老保险', 'Basic pension insurance', { kind: 'member', field: 'pensionInsurance' }, bool, ['居民养老', '是否参加基本养老保险', '基本养老保险']),
  col('activeMilitary', '是否现役军人', 'Active military', { kind: 'member', field: 'activeMilitary' }, bool, ['服兵役', '现役军人']),
  col('memberPhone', '人联系电话', 'Member phone', { kind: 'member', field: 'phone' }, ident(30), ['联系电话', '手机号码', '手机号', '电话']),
  col('householdPhone', '户联系电话', 'Household phone', { kind: 'household', field: 'phone' }, ident(30), ['户主联系电话', '户主电话']),
  col('householdStatus', '脱贫属性', 'Poverty status', { kind: 'household', field: 'status' }, code('householdStatus'), ['脱贫状态', '贫困户状态']),
  col('povertyAttribute', '贫困户属性', 'Poor-household attribute', { kind: 'household', field: 'povertyAttribute' }, code('povertyAttribute')),
  col('householdType', '户类型', 'Household type', { kind: 'household', field: 'householdType' }, code('householdType')),
  col('identificationStandard', '识别标准', 'Identification standard', { kind: 'household', field: 'identificationStandard' }, code('identificationStandard')),
  col('mainPovertyCause', '主要致贫原因', 'Main poverty cause', { kind: 'household', field: 'mainPovertyCause' }, code('povertyCause'), ['致贫原因1', '致贫原因']),
  col('otherPovertyCauses', '其他致贫原因', 'Other poverty causes', { kind: 'household', field: 'otherPovertyCauses' }, { kind: 'codes', list: 'povertyCause' }, ['次要致贫原因']),
  col('otherPovertyCauses2', '致贫原因2', 'Other poverty cause (2)', { kind: 'household', field: 'otherPovertyCauses' }, { kind: 'codes', list: 'povertyCause' }),
  col('otherPovertyCauses3', '致贫原因3', 'Other poverty cause (3)', { kind: 'household', field: 'otherPovertyCauses' }, { kind: 'codes', list: 'povertyCause' }),
  col('dangerousHousing', '危房户', 'Dangerous housing', { kind: 'extra' }, bool, ['是否危房户', '是否危房']),
  col('safeDrinkingWater', '饮水安全', 'Safe drinking water', { kind: 'household', field: 'safeDrinkingWater' }, bool, ['是否解决安全饮用水', '安全饮水']),
  col('drinkingWaterDifficulty', '饮水困难', 'Drinking-water difficulty', { kind: 'household', field: 'drinkingWaterDifficulty' }, bool, ['是否饮水困难']),
  col('perCapitaNetIncome', '人均纯收入', 'Per-capita net income (as reported)', { kind: 'extra' }, { kind: 'number' }, ['家庭年人均纯收入', '人均纯收入(元)', '年人均纯收入']),
  col('bankName', '开户银行名称', 'Bank', { kind: 'household', field: 'bankName' }, text(100), ['开户银行', '开户行']),
  col('bankAccount', '银行卡号', 'Bank account', { kind: 'household', field: 'bankAccount' }, ident(30), ['银行账号', '开户账号']),
  col('militaryFamily', '是否军烈属', 'Military family', { kind: 'household', field: 'militaryFamily' }, bool, ['军烈属']),
  col('firstIdentifiedDate', '首次识别时间', 'First identified', { kind: 'extra' }, date, ['识别时间']),
  col('memberIdentifiedDate', '人员识别时间', 'Member identified', { kind: 'extra' }, date),
  col('monitoringType', '易返贫致贫户(监测对象)类型', 'Monitoring type', { kind: 'extra' }, text(50), ['监测对象类型']),
  col('riskEliminated', '风险是否消除', 'Risk eliminated', { kind: 'extra' }, bool),
  col('riskIdentifiedDate', '风险识别时间', 'Risk identified', { kind: 'extra' }, date),
  col('riskEliminatedDate', '风险消除时间', 'Risk eliminated on', { kind: 'extra' }, date),
  col('rowNumber', '序号', 'Row number', { kind: 'ignored' }, text(20), ['编号', 'no', 'no.']),
  col('dataDate', '数据日期', 'Data date', { kind: 'ignored' }, date),
  // The problem column fupin's own validation report and rejected-rows file add (report.ts).
  col('importProblems', '导入问题', 'Import problems', { kind: 'ignored' }, text(4000), ['导入问题 / Problems', 'Problems']),
];

/**
 * The required columns: each group is satisfied by any one of its keys (a village by name or by
 * area code). Reported by the first key's label when missing.
 */
export const REQUIRED_COLUMN_GROUPS: readonly (readonly string[])[] = [['name'], ['idNumber'], ['relationToHead'], ['village', 'areaCode']];

/**
 * The form in which header cells are compared: NFKC (full-width brackets, letters and digits → ASCII),
 * every space, line break and zero-width character removed, Chinese brackets 【】〔〕 → (), the
 * required-column marks * and ※ dropped, Latin letters lower-cased.
 */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFKC')
    .replace(/[\s\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/[【〔[]/g, '(')
    .replace(/[】〕\]]/g, ')')
    .replace(/[*※]/g, '')
    .toLowerCase();
}

const byHeader = new Map<string, ColumnDef>();
for (const def of PERSON_LIST_COLUMNS) {
  for (const name of [def.label.zh, ...def.aliases]) {
    const k = normalizeHeader(name);
    if (!byHeader.has(k)) byHeader.set(k, def);
  }
}

/** The known column a header cell names (label or alias, after normalizeHeader); undefined if none. */
export function findColumn(header: string): ColumnDef | undefined {
  const k = normalizeHeader(header);
  return k === '' ? undefined : byHeader.get(k);
}

/** The known column by its key. */
export function columnByKey(key: string): ColumnDef | undefined {
  return PERSON_LIST_COLUMNS.find((c) => c.key === key);
}
