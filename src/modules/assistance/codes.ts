/**
 * Code lists of assistance (isomorphic: the server checks values against them, the pages show their
 * labels). Values are camelCase identifiers stored in the database; labels are Chinese first.
 * Sources: REFERENCE §5 (measure catalogues: 六个一批 option list, 扶贫手册 categories, the 明白卡
 * list), GLOSSARY (四个一批), the programme list.
 */

export interface AssistanceCode<V extends string = string> {
  value: V;
  label: { zh: string; en: string };
}

const list = <const T extends readonly AssistanceCode[]>(items: T) => items;

/** 帮扶单位类型. */
export const UNIT_KIND = list([
  { value: 'organ', label: { zh: '党政机关', en: 'Government organ' } },
  { value: 'institution', label: { zh: '事业单位', en: 'Public institution' } },
  { value: 'enterprise', label: { zh: '企业', en: 'Enterprise' } },
  { value: 'other', label: { zh: '其他', en: 'Other' } },
]);
export type UnitKind = (typeof UNIT_KIND)[number]['value'];

/** 帮扶单位层级 (省直 / 市直 / 县直 / 乡镇 / 村级). */
export const UNIT_LEVEL = list([
  { value: 'province', label: { zh: '省直', en: 'Provincial' } },
  { value: 'city', label: { zh: '市直', en: 'City' } },
  { value: 'county', label: { zh: '县直', en: 'County' } },
  { value: 'township', label: { zh: '乡镇', en: 'Township' } },
  { value: 'village', label: { zh: '村级', en: 'Village' } },
]);
export type UnitLevel = (typeof UNIT_LEVEL)[number]['value'];

/** 脱贫需求类别 (the nine categories). */
export const NEED_CATEGORY = list([
  { value: 'industry', label: { zh: '产业发展', en: 'Industry' } },
  { value: 'employment', label: { zh: '就业', en: 'Employment' } },
  { value: 'training', label: { zh: '技能培训', en: 'Training' } },
  { value: 'housing', label: { zh: '住房安全', en: 'Housing' } },
  { value: 'education', label: { zh: '教育', en: 'Education' } },
  { value: 'medical', label: { zh: '医疗', en: 'Medical' } },
  { value: 'credit', label: { zh: '金融信贷', en: 'Credit' } },
  { value: 'infrastructure', label: { zh: '基础设施', en: 'Infrastructure' } },
  { value: 'other', label: { zh: '其他', en: 'Other' } },
]);
export type NeedCategory = (typeof NEED_CATEGORY)[number]['value'];

/** 需求状态. */
export const NEED_STATUS = list([
  { value: 'open', label: { zh: '待落实', en: 'Open' } },
  { value: 'inProgress', label: { zh: '落实中', en: 'In progress' } },
  { value: 'met', label: { zh: '已满足', en: 'Met' } },
]);
export type NeedStatus = (typeof NEED_STATUS)[number]['value'];

/**
 * The groups of the measure catalogue: the "四个一批" (发展生产和就业 / 易地搬迁 / 低保政策兜底 /
 * 医疗救助扶持, GLOSSARY fourBatches) and the programmes beside them (教育, 住房, 金融, 生态, 其他).
 */
export const MEASURE_GROUP = list([
  { value: 'productionEmployment', label: { zh: '发展生产和就业脱贫一批', en: 'Production and employment' } },
  { value: 'relocation', label: { zh: '易地搬迁脱贫一批', en: 'Relocation' } },
  { value: 'socialSecurity', label: { zh: '低保政策兜底一批', en: 'Minimum-living backstop' } },
  { value: 'medical', label: { zh: '医疗救助扶持一批', en: 'Medical aid' } },
  { value: 'education', label: { zh: '教育扶贫', en: 'Education' } },
  { value: 'housing', label: { zh: '住房保障', en: 'Housing safety' } },
  { value: 'finance', label: { zh: '金融扶贫', en: 'Finance' } },
  { value: 'ecology', label: { zh: '生态扶贫', en: 'Ecology' } },
  { value: 'other', label: { zh: '其他', en: 'Other' } },
]);
export type MeasureGroup = (typeof MEASURE_GROUP)[number]['value'];

export interface MeasureTypeCode extends AssistanceCode {
  group: MeasureGroup;
  /** Whether the measure names the members it is for (education, training, posts, insurance). */
  forMembers: boolean;
}

/** 帮扶措施类型, grouped (the seed's programmes, REFERENCE §5 明白卡 list). */
export const MEASURE_TYPE = [
  { value: 'industrySupport', group: 'productionEmployment', forMembers: false, label: { zh: '产业扶持', en: 'Industry support' } },
  { value: 'employment', group: 'productionEmployment', forMembers: true, label: { zh: '转移就业', en: 'Job placement' } },
  { value: 'publicWelfarePost', group: 'productionEmployment', forMembers: true, label: { zh: '公益岗位', en: 'Public-welfare post' } },
  { value: 'yuluTraining', group: 'productionEmployment', forMembers: true, label: { zh: '雨露计划培训', en: 'Yulu Plan training' } },
  { value: 'skillsTraining', group: 'productionEmployment', forMembers: true, label: { zh: '技能培训', en: 'Skills training' } },
  { value: 'entrepreneurship', group: 'productionEmployment', forMembers: true, label: { zh: '创业扶持', en: 'Entrepreneurship support' } },
  { value: 'relocation', group: 'relocation', forMembers: false, label: { zh: '易地扶贫搬迁', en: 'Relocation' } },
  { value: 'minimumLiving', group: 'socialSecurity', forMembers: true, label: { zh: '低保', en: 'Minimum-living allowance' } },
  { value: 'extremeHardship', group: 'socialSecurity', forMembers: true, label: { zh: '特困供养', en: 'Extreme-hardship support' } },
  { value: 'pensionSubsidy', group: 'socialSecurity', forMembers: true, label: { zh: '养老保险代缴', en: 'Pension premium paid' } },
  { value: 'medicalPremium', group: 'medical', forMembers: true, label: { zh: '医保参保资助', en: 'Medical-insurance premium paid' } },
  { value: 'medicalAid', group: 'medical', forMembers: true, label: { zh: '医疗救助', en: 'Medical aid' } },
  { value: 'familyDoctor', group: 'medical', forMembers: true, label: { zh: '家庭医生签约服务', en: 'Family-doctor contract' } },
  { value: 'educationPreschool', group: 'education', forMembers: true, label: { zh: '学前教育资助', en: 'Pre-school subsidy' } },
  { value: 'educationCompulsory', group: 'education', forMembers: true, label: { zh: '义务教育资助（两免一补）', en: 'Compulsory-education subsidy' } },
  { value: 'educationSenior', group: 'education', forMembers: true, label: { zh: '高中阶段资助', en: 'Senior-secondary subsidy' } },
  { value: 'educationHigher', group: 'education', forMembers: true, label: { zh: '高等教育资助', en: 'Higher-education subsidy' } },
  { value: 'housingRenovation', group: 'housing', forMembers: false, label: { zh: '危房改造', en: 'Dangerous-housing renovation' } },
  { value: 'microcredit', group: 'finance', forMembers: true, label: { zh: '扶贫小额信贷', en: 'Microcredit' } },
  { value: 'interestSubsidy', group: 'finance', forMembers: false, label: { zh: '贷款贴息', en: 'Interest subsidy' } },
  { value: 'ecologicalCompensation', group: 'ecology', forMembers: false, label: { zh: '生态补偿', en: 'Ecological compensation' } },
  { value: 'ecologicalPost', group: 'ecology', forMembers: true, label: { zh: '生态护林员', en: 'Forest-ranger post' } },
  { value: 'biogas', group: 'other', forMembers: false, label: { zh: '沼气池建设', en: 'Biogas digester' } },
  { value: 'other', group: 'other', forMembers: false, label: { zh: '其他', en: 'Other' } },
] as const satisfies readonly MeasureTypeCode[];
export type MeasureType = (typeof MEASURE_TYPE)[number]['value'];

/** The education-subsidy measure types (coverage: 教育资助 for each student). */
export const EDUCATION_SUBSIDY_TYPES: readonly MeasureType[] = ['educationPreschool', 'educationCompulsory', 'educationSenior', 'educationHigher'];

/** Values of a list, for zod enums. */
export const valuesOf = <T extends readonly AssistanceCode[]>(items: T) => items.map((i) => i.value) as unknown as [T[number]['value'], ...T[number]['value'][]];

/** The label of a value in a list ('' when unknown). */
export function labelOf(items: readonly AssistanceCode[], value: string | null | undefined, lang: 'zh' | 'en' = 'zh'): string {
  return items.find((i) => i.value === value)?.label[lang] ?? '';
}
