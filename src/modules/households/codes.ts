/**
 * The registry's code lists (代码表): the coded value lists of the 建档立卡 household and member forms.
 * Pure and isomorphic: the server's validation and imports and the web client's selects read them.
 *
 * A record stores an item's `value` (our stable English identifier, by meaning); `code` is the
 * national numeric code where the national system (全国扶贫开发信息系统) or a national standard gives one.
 * Imports resolve whatever a file holds (value, code, Chinese label or a known variant spelling) with
 * `findCodeItem`. Facts and sources: /work/shared/domain/REFERENCE.md §1 and §4.2 (cited below as
 * "REFERENCE §…"); names: docs/GLOSSARY.md.
 */
import { z } from 'zod';

export type Lang = 'zh' | 'en';
export interface Label {
  readonly zh: string;
  readonly en: string;
}

export interface CodeItem<V extends string = string> {
  /** Our stable identifier, English camelCase by meaning; this is what records store. */
  readonly value: V;
  /** The national numeric (or letter) code, where one exists. */
  readonly code?: string;
  readonly label: Label;
  /** Other spellings seen in files and forms (older names, short forms). */
  readonly aliases?: readonly string[];
  /** No longer offered for new records; still resolved and still valid in stored ones. */
  readonly retired?: boolean;
}

export interface CodeList<V extends string = string, Id extends string = string> {
  readonly id: Id;
  readonly label: Label;
  /** The standard or document the values (and codes) come from; says so when no code is national. */
  readonly source: string;
  readonly items: readonly CodeItem<V>[];
}

function defineCodeList<const Id extends string, const V extends string>(list: CodeList<V, Id>): CodeList<V, Id> {
  return list;
}

/** Builds items coded '01', '02', … in order (the national system's two-digit member codes). */
function numbered<const V extends string>(
  items: readonly (Omit<CodeItem<V>, 'code'> & { code?: string })[],
): CodeItem<V>[] {
  return items.map((item, i) => ({ code: String(i + 1).padStart(2, '0'), ...item }));
}

// ---------------------------------------------------------------------------------------------
// Household-level lists
// ---------------------------------------------------------------------------------------------

export const HOUSEHOLD_TYPE = defineCodeList({
  id: 'householdType',
  label: { zh: '户类型', en: 'Household type' },
  source:
    'docs/GLOSSARY.md 户类型; 防返贫监测系统 export column 户类型 (REFERENCE §1.8) and post-2020 survey tools (REFERENCE §3.2). No national numeric codes found.',
  items: [
    { value: 'registeredPoor', label: { zh: '建档立卡贫困户', en: 'Registered poor household' }, aliases: ['贫困户', '建档立卡户'] },
    { value: 'exited', label: { zh: '脱贫户', en: 'Household out of poverty' }, aliases: ['已脱贫户', '建档立卡脱贫户'] },
    { value: 'monitored', label: { zh: '监测户', en: 'Monitored household' }, aliases: ['建档立卡监测户'] },
    { value: 'marginal', label: { zh: '边缘户', en: 'Marginal household' }, aliases: ['非建档立卡边缘户'] },
    { value: 'relativePoor', label: { zh: '相对贫困户', en: 'Relatively poor household' }, aliases: ['相对贫困'] },
    { value: 'ordinary', label: { zh: '一般农户', en: 'Ordinary rural household' }, aliases: ['非建档立卡户', '一般户'] },
  ],
});

export const IDENTIFICATION_STANDARD = defineCodeList({
  id: 'identificationStandard',
  label: { zh: '识别标准', en: 'Identification standard' },
  source: '《贫困户登记表》指标说明 2014, A1 识别标准 (REFERENCE §1.2). The form gives no numeric codes.',
  items: [
    { value: 'national', label: { zh: '国家标准', en: 'National standard' } },
    { value: 'provincial', label: { zh: '省定标准', en: 'Provincial standard' } },
    { value: 'city', label: { zh: '市定标准', en: 'City standard' } },
  ],
});

export const POVERTY_ATTRIBUTE = defineCodeList({
  id: 'povertyAttribute',
  label: { zh: '贫困户属性', en: 'Poor-household attribute' },
  source:
    '扶贫手册 filling guide, post-2016 (REFERENCE §1.3); 2014 form A2 (一般贫困户 / 低保户 / 五保户 / 低保贫困户, REFERENCE §1.2) ' +
    'resolved as aliases: 五保 was renamed 特困供养 (2016), and the 2014 split of 低保户 (no labour ability) from ' +
    '低保贫困户 (labour ability) is not kept after 2016. No national numeric codes found.',
  items: [
    { value: 'general', label: { zh: '一般贫困户', en: 'General poor household' }, aliases: ['扶贫户'] },
    {
      value: 'minimumLiving',
      label: { zh: '低保贫困户', en: 'Minimum-living-allowance poor household' },
      aliases: ['低保户', '扶贫低保户'],
    },
    {
      value: 'extremeHardship',
      label: { zh: '特困供养贫困户', en: 'Extreme-hardship-support poor household' },
      aliases: ['五保贫困户', '五保户', '特困供养户'],
    },
  ],
});

export const HOUSEHOLD_STATUS = defineCodeList({
  id: 'householdStatus',
  label: { zh: '脱贫状态', en: 'Poverty status' },
  source:
    '脱贫状态 used in the national system\'s clients: 未脱贫 / 已脱贫 / 预脱贫 / 返贫 (REFERENCE §1.4); monitoring and 风险消除 ' +
    'after 2020 (REFERENCE §1.8, §3.2). No national numeric codes found (Guangdong\'s 0/1/10/11/12 are provincial).',
  items: [
    { value: 'notExited', label: { zh: '未脱贫', en: 'Not yet out of poverty' } },
    { value: 'preExit', label: { zh: '预脱贫', en: 'Pre-exit' }, aliases: ['预退出'] },
    { value: 'exited', label: { zh: '已脱贫', en: 'Out of poverty' }, aliases: ['脱贫'] },
    { value: 'returned', label: { zh: '返贫', en: 'Returned to poverty' } },
    { value: 'monitored', label: { zh: '监测对象', en: 'Under monitoring' }, aliases: ['监测', '监测中', '纳入监测'] },
    { value: 'eliminated', label: { zh: '风险已消除', en: 'Risk eliminated' }, aliases: ['风险消除', '已消除风险'] },
  ],
});

export const POVERTY_CAUSE = defineCodeList({
  id: 'povertyCause',
  label: { zh: '致贫原因', en: 'Poverty cause' },
  source:
    '《贫困户登记表》指标说明 2014, A3a/A3b (12 options, REFERENCE §1.2); 因婚 from the later national list (13 options, Anhui ' +
    'paper 2018, REFERENCE §1.4); 因丧 from a 2014–2018 dashboard (REFERENCE §1.4). No single national numbering exists: ' +
    'stored by meaning, numbers through POVERTY_CAUSE_NUMBERINGS.',
  items: [
    { value: 'illness', label: { zh: '因病', en: 'Illness' } },
    { value: 'disability', label: { zh: '因残', en: 'Disability' } },
    { value: 'schooling', label: { zh: '因学', en: 'Schooling costs' } },
    { value: 'disaster', label: { zh: '因灾', en: 'Disaster' } },
    { value: 'marriage', label: { zh: '因婚', en: 'Marriage costs' } },
    { value: 'funeral', label: { zh: '因丧', en: 'Funeral costs' } },
    { value: 'lackOfLand', label: { zh: '缺土地', en: 'Lack of land' } },
    { value: 'lackOfWater', label: { zh: '缺水', en: 'Lack of water' } },
    { value: 'lackOfSkills', label: { zh: '缺技术', en: 'Lack of skills' } },
    { value: 'lackOfLabour', label: { zh: '缺劳动力', en: 'Lack of labour' }, aliases: ['缺劳力'] },
    { value: 'lackOfFunds', label: { zh: '缺资金', en: 'Lack of funds' } },
    { value: 'poorTransport', label: { zh: '交通条件落后', en: 'Poor transport' }, aliases: ['交通'] },
    { value: 'lackOfMotivation', label: { zh: '自身发展动力不足', en: 'Lack of motivation to develop' } },
    { value: 'other', label: { zh: '其他', en: 'Other' }, aliases: ['其它'] },
  ],
});

/** 安置方式 of 易地扶贫搬迁 (the 是否易地搬迁户 / 是否库区移民户 flags themselves are yes/no). */
export const RELOCATION_SETTLEMENT = defineCodeList({
  id: 'relocationSettlement',
  label: { zh: '安置方式', en: 'Resettlement type' },
  source: 'Guangxi registry card, 安置类型 (集中 / 分散) (REFERENCE §1.6). No national numeric codes found.',
  items: [
    { value: 'centralised', label: { zh: '集中安置', en: 'Centralised resettlement' }, aliases: ['集中'] },
    { value: 'dispersed', label: { zh: '分散安置', en: 'Dispersed resettlement' }, aliases: ['分散'] },
  ],
});

export const HOUSING_STRUCTURE = defineCodeList({
  id: 'housingStructure',
  label: { zh: '住房结构', en: 'Housing structure' },
  source:
    'Field only in REFERENCE.md (Guizhou 2013 form A21–A24, §1.2; field app PoorMessage 住房结构, household-form-columns.md C); ' +
    'the reference gives no value list. Values are the common ones, unverified; no codes.',
  items: [
    { value: 'reinforcedConcrete', label: { zh: '钢混', en: 'Reinforced concrete' }, aliases: ['钢筋混凝土'] },
    { value: 'brickConcrete', label: { zh: '砖混', en: 'Brick and concrete' } },
    { value: 'brickWood', label: { zh: '砖木', en: 'Brick and timber' } },
    { value: 'earthWood', label: { zh: '土木', en: 'Earth and timber' } },
    { value: 'other', label: { zh: '其他', en: 'Other' }, aliases: ['其它'] },
  ],
});

export const HOUSING_DANGER_GRADE = defineCodeList({
  id: 'housingDangerGrade',
  label: { zh: '危房等级', en: 'Dangerous-housing grade' },
  source:
    'Grades A–D as recorded on the 扶贫手册 and the Guangdong platform (住房级别 A–D, REFERENCE §1.3, §1.5); their meanings ' +
    'are those of JGJ 125 《危险房屋鉴定标准》 (not in REFERENCE.md).',
  items: [
    { value: 'gradeA', code: 'A', label: { zh: 'A级', en: 'Grade A (safe)' } },
    { value: 'gradeB', code: 'B', label: { zh: 'B级', en: 'Grade B (basically safe)' } },
    { value: 'gradeC', code: 'C', label: { zh: 'C级', en: 'Grade C (partly dangerous)' }, aliases: ['局部危房'] },
    { value: 'gradeD', code: 'D', label: { zh: 'D级', en: 'Grade D (entirely dangerous)' }, aliases: ['整幢危房'] },
  ],
});

// ---------------------------------------------------------------------------------------------
// Member-level lists
// ---------------------------------------------------------------------------------------------

export const RELATION_TO_HEAD = defineCodeList({
  id: 'relationToHead',
  label: { zh: '与户主关系', en: 'Relation to head' },
  source:
    'National system field AB01_AAB006, codes 01–20 and 99 (REFERENCE §1.4, consistent with Guangxi\'s form). These are the ' +
    'national system\'s own codes, not those of GB/T 4761.',
  items: [
    ...numbered([
      { value: 'head', label: { zh: '本人或户主', en: 'Head of household' }, aliases: ['户主', '本人'] },
      { value: 'spouse', label: { zh: '配偶', en: 'Spouse' } },
      { value: 'son', label: { zh: '之子', en: 'Son' }, aliases: ['子', '儿子'] },
      { value: 'daughter', label: { zh: '之女', en: 'Daughter' }, aliases: ['女', '女儿'] },
      { value: 'daughterInLaw', label: { zh: '之儿媳', en: 'Daughter-in-law' }, aliases: ['儿媳'] },
      { value: 'sonInLaw', label: { zh: '之女婿', en: 'Son-in-law' }, aliases: ['女婿'] },
      { value: 'grandson', label: { zh: '之孙子', en: "Grandson (son's son)" }, aliases: ['孙子'] },
      { value: 'granddaughter', label: { zh: '之孙女', en: "Granddaughter (son's daughter)" }, aliases: ['孙女'] },
      { value: 'daughtersSon', label: { zh: '之外孙子', en: "Grandson (daughter's son)" }, aliases: ['外孙子', '外孙'] },
      { value: 'daughtersDaughter', label: { zh: '之外孙女', en: "Granddaughter (daughter's daughter)" }, aliases: ['外孙女'] },
      { value: 'father', label: { zh: '之父', en: 'Father' }, aliases: ['父亲'] },
      { value: 'mother', label: { zh: '之母', en: 'Mother' }, aliases: ['母亲'] },
      { value: 'wifesFather', label: { zh: '之岳父', en: "Father-in-law (wife's father)" }, aliases: ['岳父'] },
      { value: 'wifesMother', label: { zh: '之岳母', en: "Mother-in-law (wife's mother)" }, aliases: ['岳母'] },
      { value: 'husbandsFather', label: { zh: '之公公', en: "Father-in-law (husband's father)" }, aliases: ['公公'] },
      { value: 'husbandsMother', label: { zh: '之婆婆', en: "Mother-in-law (husband's mother)" }, aliases: ['婆婆'] },
      { value: 'paternalGrandfather', label: { zh: '之祖父', en: 'Grandfather (paternal)' }, aliases: ['祖父'] },
      { value: 'paternalGrandmother', label: { zh: '之祖母', en: 'Grandmother (paternal)' }, aliases: ['祖母'] },
      { value: 'maternalGrandfather', label: { zh: '之外祖父', en: 'Grandfather (maternal)' }, aliases: ['外祖父'] },
      { value: 'maternalGrandmother', label: { zh: '之外祖母', en: 'Grandmother (maternal)' }, aliases: ['外祖母'] },
    ]),
    { value: 'other', code: '99', label: { zh: '其他', en: 'Other' }, aliases: ['其它'] },
  ],
});

export const SEX = defineCodeList({
  id: 'sex',
  label: { zh: '性别', en: 'Sex' },
  source:
    'GB/T 2261.1-2003 (1 男, 2 女, 9 未说明的性别). One replica of the national model codes 1 女 / 2 男 (REFERENCE §1.4): ' +
    'check a file\'s coding before importing by number.',
  items: [
    { value: 'male', code: '1', label: { zh: '男', en: 'Male' }, aliases: ['男性'] },
    { value: 'female', code: '2', label: { zh: '女', en: 'Female' }, aliases: ['女性'] },
    { value: 'unspecified', code: '9', label: { zh: '未说明的性别', en: 'Not specified' }, aliases: ['未说明'] },
  ],
});

export const ID_TYPE = defineCodeList({
  id: 'idType',
  label: { zh: '证件类型', en: 'ID document type' },
  source: 'National system field AB10_AAB018 (REFERENCE §1.4); 2014 form A6 公民身份号码或残疾证号 (REFERENCE §1.2).',
  items: [
    { value: 'residentId', code: '01', label: { zh: '居民身份证', en: 'Resident identity card' }, aliases: ['身份证', '二代身份证'] },
    { value: 'officerId', code: '02', label: { zh: '军官证', en: "Military officer's card" } },
    { value: 'disabilityCertificate', code: '09', label: { zh: '残疾人证', en: 'Disability certificate' }, aliases: ['残疾证'] },
  ],
});

/** [code, name, value, English name: GB/T 3304-1991 romanisation, with the common English name where it differs]. */
const ETHNIC_GROUPS = [
  ['01', '汉族', 'han', 'Han'],
  ['02', '蒙古族', 'mongol', 'Mongol'],
  ['03', '回族', 'hui', 'Hui'],
  ['04', '藏族', 'zang', 'Zang (Tibetan)'],
  ['05', '维吾尔族', 'uygur', 'Uygur'],
  ['06', '苗族', 'miao', 'Miao'],
  ['07', '彝族', 'yi', 'Yi'],
  ['08', '壮族', 'zhuang', 'Zhuang'],
  ['09', '布依族', 'buyei', 'Buyei'],
  ['10', '朝鲜族', 'chosen', 'Chosen (Korean)'],
  ['11', '满族', 'man', 'Man (Manchu)'],
  ['12', '侗族', 'dong', 'Dong'],
  ['13', '瑶族', 'yao', 'Yao'],
  ['14', '白族', 'bai', 'Bai'],
  ['15', '土家族', 'tujia', 'Tujia'],
  ['16', '哈尼族', 'hani', 'Hani'],
  ['17', '哈萨克族', 'kazak', 'Kazak'],
  ['18', '傣族', 'dai', 'Dai'],
  ['19', '黎族', 'li', 'Li'],
  ['20', '傈僳族', 'lisu', 'Lisu'],
  ['21', '佤族', 'va', 'Va (Wa)'],
  ['22', '畲族', 'she', 'She'],
  ['23', '高山族', 'gaoshan', 'Gaoshan'],
  ['24', '拉祜族', 'lahu', 'Lahu'],
  ['25', '水族', 'sui', 'Sui (Shui)'],
  ['26', '东乡族', 'dongxiang', 'Dongxiang'],
  ['27', '纳西族', 'naxi', 'Naxi'],
  ['28', '景颇族', 'jingpo', 'Jingpo'],
  ['29', '柯尔克孜族', 'kirgiz', 'Kirgiz'],
  ['30', '土族', 'tu', 'Tu'],
  ['31', '达斡尔族', 'daur', 'Daur'],
  ['32', '仫佬族', 'mulao', 'Mulao'],
  ['33', '羌族', 'qiang', 'Qiang'],
  ['34', '布朗族', 'blang', 'Blang'],
  ['35', '撒拉族', 'salar', 'Salar'],
  ['36', '毛南族', 'maonan', 'Maonan'],
  ['37', '仡佬族', 'gelao', 'Gelao'],
  ['38', '锡伯族', 'xibe', 'Xibe'],
  ['39', '阿昌族', 'achang', 'Achang'],
  ['40', '普米族', 'pumi', 'Pumi'],
  ['41', '塔吉克族', 'tajik', 'Tajik'],
  ['42', '怒族', 'nu', 'Nu'],
  ['43', '乌孜别克族', 'uzbek', 'Uzbek'],
  ['44', '俄罗斯族', 'russ', 'Russ (Russian)'],
  ['45', '鄂温克族', 'ewenki', 'Ewenki'],
  ['46', '德昂族', 'deang', 'Deang'],
  ['47', '保安族', 'bonan', 'Bonan'],
  ['48', '裕固族', 'yugur', 'Yugur'],
  ['49', '京族', 'gin', 'Gin (Jing)'],
  ['50', '塔塔尔族', 'tatar', 'Tatar'],
  ['51', '独龙族', 'derung', 'Derung'],
  ['52', '鄂伦春族', 'oroqen', 'Oroqen'],
  ['53', '赫哲族', 'hezhen', 'Hezhen'],
  ['54', '门巴族', 'monba', 'Monba'],
  ['55', '珞巴族', 'lhoba', 'Lhoba'],
  ['56', '基诺族', 'jino', 'Jino'],
] as const;

/** Former names still found in files: 崩龙族 (renamed 德昂族 in 1985), 毛难族 (renamed 毛南族 in 1986). */
const ETHNIC_FORMER_NAMES: Readonly<Record<string, readonly string[]>> = { '46': ['崩龙族'], '36': ['毛难族'] };

export const ETHNICITY = defineCodeList({
  id: 'ethnicity',
  label: { zh: '民族', en: 'Ethnicity' },
  source:
    'GB/T 3304-1991 《中国各民族名称的罗马字母拼写法和代码》: 01–56, with 97 其他 and 98 外国血统中国籍人士 as used with ' +
    'the standard; English names in its romanisation. The national system uses the same order (AB10_AAB007, REFERENCE §1.4) ' +
    'but one replica codes 其他 as 99.',
  items: [
    ...ETHNIC_GROUPS.map(([code, zh, value, en]) => ({
      value,
      code,
      label: { zh, en },
      aliases: [zh.slice(0, -1), ...(ETHNIC_FORMER_NAMES[code] ?? [])],
    })),
    { value: 'other', code: '97', label: { zh: '其他', en: 'Other (unidentified)' }, aliases: ['其它', '其他未识别民族'] },
    { value: 'foreignOrigin', code: '98', label: { zh: '外国血统中国籍人士', en: 'Chinese citizen of foreign origin' }, aliases: ['外国血统'] },
  ],
});

export const POLITICAL_STATUS = defineCodeList({
  id: 'politicalStatus',
  label: { zh: '政治面貌', en: 'Political status' },
  source: 'GB/T 4762-1984 《政治面貌代码》, 01–13; the national system field AAK033 uses this order (REFERENCE §1.4).',
  items: numbered([
    { value: 'cpcMember', label: { zh: '中共党员', en: 'CPC member' }, aliases: ['中国共产党党员', '党员'] },
    { value: 'cpcProbationaryMember', label: { zh: '中共预备党员', en: 'CPC probationary member' }, aliases: ['中国共产党预备党员', '预备党员'] },
    { value: 'communistYouthLeagueMember', label: { zh: '共青团员', en: 'Communist Youth League member' }, aliases: ['中国共产主义青年团团员', '团员'] },
    { value: 'rckmtMember', label: { zh: '民革党员', en: 'Revolutionary Committee of the Chinese Kuomintang member' }, aliases: ['中国国民党革命委员会会员', '民革会员'] },
    { value: 'cdlMember', label: { zh: '民盟盟员', en: 'China Democratic League member' }, aliases: ['中国民主同盟盟员'] },
    { value: 'cndcaMember', label: { zh: '民建会员', en: 'China National Democratic Construction Association member' }, aliases: ['中国民主建国会会员'] },
    { value: 'capdMember', label: { zh: '民进会员', en: 'China Association for Promoting Democracy member' }, aliases: ['中国民主促进会会员'] },
    { value: 'cpwdpMember', label: { zh: '农工党党员', en: "Chinese Peasants' and Workers' Democratic Party member" }, aliases: ['中国农工民主党党员'] },
    { value: 'zhiGongPartyMember', label: { zh: '致公党党员', en: 'China Zhi Gong Party member' }, aliases: ['中国致公党党员'] },
    { value: 'jiusanSocietyMember', label: { zh: '九三学社社员', en: 'Jiusan Society member' } },
    { value: 'tdslMember', label: { zh: '台盟盟员', en: 'Taiwan Democratic Self-Government League member' }, aliases: ['台湾民主自治同盟盟员'] },
    { value: 'nonPartisan', label: { zh: '无党派民主人士', en: 'Non-party personage' }, aliases: ['无党派人士'] },
    { value: 'masses', label: { zh: '群众', en: 'Ordinary citizen' } },
  ]),
});

export const EDUCATION = defineCodeList({
  id: 'education',
  label: { zh: '文化程度', en: 'Education' },
  source: 'National system field AAB008 (REFERENCE §1.4).',
  items: numbered([
    { value: 'illiterate', label: { zh: '文盲或半文盲', en: 'Illiterate or semi-literate' }, aliases: ['文盲', '半文盲'] },
    { value: 'primary', label: { zh: '小学', en: 'Primary school' } },
    { value: 'juniorSecondary', label: { zh: '初中', en: 'Junior secondary' } },
    { value: 'seniorSecondary', label: { zh: '高中', en: 'Senior secondary' } },
    { value: 'college', label: { zh: '大专及以上', en: 'College or above' } },
    { value: 'preschoolChild', label: { zh: '学龄前儿童', en: 'Pre-school-age child' } },
  ]),
});

export const SCHOOLING = defineCodeList({
  id: 'schooling',
  label: { zh: '在校生状况', en: 'Schooling' },
  source: 'National system field AAB009 (REFERENCE §1.4); the older 扶贫手册 list (所在年级 / 学前教育 / 非在校生, §1.3) maps onto it.',
  items: numbered([
    { value: 'notInSchool', label: { zh: '非在校生', en: 'Not in school' } },
    { value: 'preschool', label: { zh: '学前教育', en: 'Pre-school education' } },
    { value: 'primary', label: { zh: '小学', en: 'Primary school' } },
    { value: 'grade7', label: { zh: '七年级', en: 'Grade 7' }, aliases: ['初一', '初中一年级'] },
    { value: 'grade8', label: { zh: '八年级', en: 'Grade 8' }, aliases: ['初二', '初中二年级'] },
    { value: 'grade9', label: { zh: '九年级', en: 'Grade 9' }, aliases: ['初三', '初中三年级'] },
    { value: 'senior1', label: { zh: '高中一年级', en: 'Senior secondary, year 1' }, aliases: ['高一'] },
    { value: 'senior2', label: { zh: '高中二年级', en: 'Senior secondary, year 2' }, aliases: ['高二'] },
    { value: 'senior3', label: { zh: '高中三年级', en: 'Senior secondary, year 3' }, aliases: ['高三'] },
    { value: 'secondaryVocational1', label: { zh: '中职一年级', en: 'Secondary vocational, year 1' } },
    { value: 'secondaryVocational2', label: { zh: '中职二年级', en: 'Secondary vocational, year 2' } },
    { value: 'secondaryVocational3', label: { zh: '中职三年级', en: 'Secondary vocational, year 3' } },
    { value: 'higherVocational1', label: { zh: '高职一年级', en: 'Higher vocational, year 1' } },
    { value: 'higherVocational2', label: { zh: '高职二年级', en: 'Higher vocational, year 2' } },
    { value: 'higherVocational3', label: { zh: '高职三年级', en: 'Higher vocational, year 3' } },
    { value: 'college', label: { zh: '大专及以上', en: 'College or above' } },
  ]),
});

export const HEALTH = defineCodeList({
  id: 'health',
  label: { zh: '健康状况', en: 'Health' },
  source:
    'National system field AAB017 (REFERENCE §1.4; same four in the older 扶贫手册, §1.3). Guangdong\'s extra 体弱多病 ' +
    '(REFERENCE §4.2) is not national and not included.',
  items: numbered([
    { value: 'healthy', label: { zh: '健康', en: 'Healthy' } },
    { value: 'chronicIllness', label: { zh: '长期慢性病', en: 'Long-term chronic illness' }, aliases: ['慢性病'] },
    { value: 'seriousIllness', label: { zh: '患有大病', en: 'Serious illness' }, aliases: ['患大病', '大病'] },
    { value: 'disabled', label: { zh: '残疾', en: 'Disabled' } },
  ]),
});

export const DISABILITY_CATEGORY = defineCodeList({
  id: 'disabilityCategory',
  label: { zh: '残疾类别', en: 'Disability category' },
  source:
    'GB/T 26341-2010 《残疾人残疾分类和分级》, 1–7 (the category digit of a 20-digit 残疾人证 number); not in REFERENCE.md ' +
    '(which has only the field 残疾属性, §1.8).',
  items: [
    { value: 'visual', code: '1', label: { zh: '视力残疾', en: 'Visual' }, aliases: ['视力'] },
    { value: 'hearing', code: '2', label: { zh: '听力残疾', en: 'Hearing' }, aliases: ['听力'] },
    { value: 'speech', code: '3', label: { zh: '言语残疾', en: 'Speech' }, aliases: ['言语'] },
    { value: 'physical', code: '4', label: { zh: '肢体残疾', en: 'Physical' }, aliases: ['肢体'] },
    { value: 'intellectual', code: '5', label: { zh: '智力残疾', en: 'Intellectual' }, aliases: ['智力'] },
    { value: 'mental', code: '6', label: { zh: '精神残疾', en: 'Mental' }, aliases: ['精神'] },
    { value: 'multiple', code: '7', label: { zh: '多重残疾', en: 'Multiple' }, aliases: ['多重'] },
  ],
});

export const DISABILITY_GRADE = defineCodeList({
  id: 'disabilityGrade',
  label: { zh: '残疾等级', en: 'Disability grade' },
  source:
    'GB/T 26341-2010, grades 一级 (most severe) to 四级, coded 1–4 (the grade digit of a 20-digit 残疾人证 number); not in REFERENCE.md.',
  items: [
    { value: 'grade1', code: '1', label: { zh: '一级', en: 'Grade 1' }, aliases: ['一级残疾', '1级'] },
    { value: 'grade2', code: '2', label: { zh: '二级', en: 'Grade 2' }, aliases: ['二级残疾', '2级'] },
    { value: 'grade3', code: '3', label: { zh: '三级', en: 'Grade 3' }, aliases: ['三级残疾', '3级'] },
    { value: 'grade4', code: '4', label: { zh: '四级', en: 'Grade 4' }, aliases: ['四级残疾', '4级'] },
  ],
});

export const LABOUR_ABILITY = defineCodeList({
  id: 'labourAbility',
  label: { zh: '劳动技能', en: 'Labour ability' },
  source:
    'National system field AAB010, 01–04 (REFERENCE §1.4); 弱劳动力或半劳动力 added from 2017 by the 扶贫手册 filling ' +
    'guide (REFERENCE §1.3), which gives it no numeric code.',
  items: [
    { value: 'ordinaryLabour', code: '01', label: { zh: '普通劳动力', en: 'Ordinary labour' } },
    { value: 'skilledLabour', code: '02', label: { zh: '技能劳动力', en: 'Skilled labour' } },
    { value: 'weakLabour', label: { zh: '弱劳动力或半劳动力', en: 'Weak or partial labour' }, aliases: ['弱劳动力', '半劳动力'] },
    { value: 'lostLabour', code: '03', label: { zh: '丧失劳动力', en: 'Lost labour ability' } },
    { value: 'noLabour', code: '04', label: { zh: '无劳动力', en: 'No labour ability' } },
  ],
});

export const EMPLOYMENT = defineCodeList({
  id: 'employment',
  label: { zh: '务工状况', en: 'Employment' },
  source:
    'Field of the national member list (household-form-columns.md A, col. 16); REFERENCE.md gives only Guangxi\'s provincial ' +
    'codes (01 县内, 02 省内县外, 03 省外务工, 04 区内务工, §1.6), a different split. Values by place of work, no national codes.',
  items: [
    { value: 'inTownship', label: { zh: '乡镇内务工', en: 'Working within the township' }, aliases: ['乡(镇)内务工'] },
    { value: 'inCounty', label: { zh: '乡镇外县内务工', en: 'Working outside the township, within the county' }, aliases: ['乡(镇)外县内务工'] },
    { value: 'inProvince', label: { zh: '县外省内务工', en: 'Working outside the county, within the province' }, aliases: ['省内县外', '省内县外务工'] },
    { value: 'outOfProvince', label: { zh: '省外务工', en: 'Working outside the province' }, aliases: ['省外'] },
    { value: 'other', label: { zh: '其他', en: 'Other' }, aliases: ['其它'] },
  ],
});

export const INSURANCE = defineCodeList({
  id: 'insurance',
  label: { zh: '参保险种', en: 'Insurance scheme' },
  source:
    'Member fields of the national and provincial forms (新农合, 城乡居民养老保险, 大病保险: REFERENCE §1.2, §1.4–1.6, §1.8) and ' +
    'the 明白卡 health items (商业补充, §5). The forms record each as a yes/no flag; no codes.',
  items: [
    {
      value: 'residentMedical',
      label: { zh: '城乡居民基本医疗保险', en: 'Basic medical insurance for urban and rural residents' },
      aliases: ['居民医保', '新农合', '新型农村合作医疗'],
    },
    {
      value: 'criticalIllness',
      label: { zh: '大病保险', en: 'Critical illness insurance' },
      aliases: ['城乡居民大病保险', '大病医疗保险', '大病医疗'],
    },
    {
      value: 'residentPension',
      label: { zh: '城乡居民基本养老保险', en: 'Basic pension insurance for urban and rural residents' },
      aliases: ['城乡居民养老保险', '居民养老'],
    },
    {
      value: 'employeeMedical',
      label: { zh: '城镇职工基本医疗保险', en: 'Basic medical insurance for employees' },
      aliases: ['职工医保'],
    },
    {
      value: 'employeePension',
      label: { zh: '城镇职工基本养老保险', en: 'Basic pension insurance for employees' },
      aliases: ['职工养老'],
    },
    { value: 'supplementaryCommercial', label: { zh: '商业补充保险', en: 'Supplementary commercial insurance' }, aliases: ['商业补充'] },
  ],
});

export const MEMBER_CHANGE_REASON = defineCodeList({
  id: 'memberChangeReason',
  label: { zh: '成员变动原因', en: 'Member change reason' },
  source:
    'Natural additions and removals in dynamic management (birth, death, marriage in or out, family split; Guangdong, ' +
    'REFERENCE §2.3) and 户口迁出 / 上户口 (REFERENCE §1.8). The national form keeps the reason as free text; no codes.',
  items: [
    { value: 'registration', label: { zh: '建档登记', en: 'Registered with the household' }, aliases: ['建档', '初始登记'] },
    { value: 'birth', label: { zh: '出生', en: 'Birth' } },
    { value: 'marriageIn', label: { zh: '婚入', en: 'Married in' } },
    { value: 'moveIn', label: { zh: '迁入', en: 'Moved in' }, aliases: ['户口迁入', '上户口'] },
    { value: 'otherAddition', label: { zh: '其他（新增）', en: 'Other (addition)' }, aliases: ['其他新增'] },
    { value: 'death', label: { zh: '死亡', en: 'Death' } },
    { value: 'marriageOut', label: { zh: '婚出', en: 'Married out' } },
    { value: 'moveOut', label: { zh: '迁出', en: 'Moved out' }, aliases: ['户口迁出'] },
    { value: 'householdSplit', label: { zh: '分户', en: 'Household split' }, aliases: ['拆户'] },
    { value: 'otherRemoval', label: { zh: '其他（减少）', en: 'Other (removal)' }, aliases: ['其他减少'] },
  ],
});

/** Whether a member change reason adds a member to the household or removes one. */
export const MEMBER_CHANGE_DIRECTION: Readonly<Record<MemberChangeReason, 'added' | 'removed'>> = {
  registration: 'added',
  birth: 'added',
  marriageIn: 'added',
  moveIn: 'added',
  otherAddition: 'added',
  death: 'removed',
  marriageOut: 'removed',
  moveOut: 'removed',
  householdSplit: 'removed',
  otherRemoval: 'removed',
};

export const YES_NO = defineCodeList({
  id: 'yesNo',
  label: { zh: '是否', en: 'Yes / no' },
  source: 'National system yes/no flags, 1 是 / 0 否 (AAB019, AAB030, AAB003, AAB022; REFERENCE §1.4).',
  items: [
    { value: 'yes', code: '1', label: { zh: '是', en: 'Yes' } },
    { value: 'no', code: '0', label: { zh: '否', en: 'No' } },
  ],
});

// ---------------------------------------------------------------------------------------------
// The registry of lists and helpers
// ---------------------------------------------------------------------------------------------

export const CODE_LISTS = {
  householdType: HOUSEHOLD_TYPE,
  identificationStandard: IDENTIFICATION_STANDARD,
  povertyAttribute: POVERTY_ATTRIBUTE,
  householdStatus: HOUSEHOLD_STATUS,
  povertyCause: POVERTY_CAUSE,
  relocationSettlement: RELOCATION_SETTLEMENT,
  housingStructure: HOUSING_STRUCTURE,
  housingDangerGrade: HOUSING_DANGER_GRADE,
  relationToHead: RELATION_TO_HEAD,
  sex: SEX,
  idType: ID_TYPE,
  ethnicity: ETHNICITY,
  politicalStatus: POLITICAL_STATUS,
  education: EDUCATION,
  schooling: SCHOOLING,
  health: HEALTH,
  disabilityCategory: DISABILITY_CATEGORY,
  disabilityGrade: DISABILITY_GRADE,
  labourAbility: LABOUR_ABILITY,
  employment: EMPLOYMENT,
  insurance: INSURANCE,
  memberChangeReason: MEMBER_CHANGE_REASON,
  yesNo: YES_NO,
} as const;

export type CodeListId = keyof typeof CODE_LISTS;
export const CODE_LIST_IDS = Object.keys(CODE_LISTS) as CodeListId[];
/** The stored values of one list, e.g. `CodeValue<'povertyCause'>` = 'illness' | 'disability' | …. */
export type CodeValue<K extends CodeListId> = (typeof CODE_LISTS)[K]['items'][number]['value'];

export type HouseholdType = CodeValue<'householdType'>;
export type IdentificationStandard = CodeValue<'identificationStandard'>;
export type PovertyAttribute = CodeValue<'povertyAttribute'>;
export type HouseholdStatus = CodeValue<'householdStatus'>;
export type PovertyCause = CodeValue<'povertyCause'>;
export type RelationToHead = CodeValue<'relationToHead'>;
export type Sex = CodeValue<'sex'>;
export type Ethnicity = CodeValue<'ethnicity'>;
export type MemberChangeReason = CodeValue<'memberChangeReason'>;

/**
 * The form in which inputs are compared: NFKC (full-width digits, letters, brackets and the
 * ideographic space become ASCII), every space removed, Latin letters lower-cased.
 */
export function normalizeCodeInput(input: string): string {
  return input.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

const indexes = new Map<string, Map<string, CodeItem>>();

function indexOf(listId: CodeListId): Map<string, CodeItem> {
  let index = indexes.get(listId);
  if (!index) {
    index = new Map();
    const list: CodeList = CODE_LISTS[listId];
    for (const item of list.items) {
      const keys = [item.value, item.label.zh, ...(item.aliases ?? [])];
      if (item.code !== undefined) {
        keys.push(item.code);
        // '1' for '01': spreadsheets drop the leading zeros of numeric codes.
        if (/^\d+$/.test(item.code)) keys.push(`#${Number(item.code)}`);
      }
      for (const key of keys) {
        const k = key.startsWith('#') ? key : normalizeCodeInput(key);
        if (!index.has(k)) index.set(k, item);
      }
    }
    indexes.set(listId, index);
  }
  return index;
}

/**
 * The item an input names: its value, national code (leading zeros optional), Chinese label or a
 * known alias, after `normalizeCodeInput`. Undefined when nothing matches (or the input is empty).
 */
export function findCodeItem<K extends CodeListId>(
  listId: K,
  input: string | number | null | undefined,
): CodeItem<CodeValue<K>> | undefined {
  if (input === null || input === undefined) return undefined;
  const raw = String(input);
  let memo = lookups.get(listId);
  if (!memo) lookups.set(listId, (memo = new Map()));
  if (memo.has(raw)) return memo.get(raw) as CodeItem<CodeValue<K>> | undefined;
  const key = normalizeCodeInput(raw);
  const index = indexOf(listId);
  const hit = key === '' ? undefined : (index.get(key) ?? (/^\d+$/.test(key) ? index.get(`#${Number(key)}`) : undefined));
  // Imports look up the same few spellings a million times; free text is bounded by the cap.
  if (memo.size < 10_000) memo.set(raw, hit);
  return hit as CodeItem<CodeValue<K>> | undefined;
}

/** Raw input → item, per list (findCodeItem's memo). */
const lookups = new Map<string, Map<string, CodeItem | undefined>>();

/** Whether `value` is a stored value of the list (exactly; codes, labels and aliases are not). */
export function isCodeValue<K extends CodeListId>(listId: K, value: unknown): value is CodeValue<K> {
  return typeof value === 'string' && (CODE_LISTS[listId] as CodeList).items.some((item) => item.value === value);
}

/** The label of a stored value in the language; an unknown value is shown as it is. */
export function codeLabel(listId: CodeListId, value: string, lang: Lang = 'zh'): string {
  const item = (CODE_LISTS[listId] as CodeList).items.find((i) => i.value === value);
  return item ? item.label[lang] : value;
}

/** A zod enum of a list's values (retired ones included: stored records keep them). */
export function codeValue<K extends CodeListId>(listId: K) {
  const list = CODE_LISTS[listId] as CodeList<CodeValue<K>>;
  const values = list.items.map((item) => item.value) as [CodeValue<K>, ...CodeValue<K>[]];
  return z.enum(values, {
    error: `请从“${list.label.zh}”代码表中选择 · choose a value from the ${list.label.en.toLowerCase()} list`,
  });
}

// ---------------------------------------------------------------------------------------------
// Poverty causes: numberings found in the wild, and published shares
// ---------------------------------------------------------------------------------------------

export interface PovertyCauseNumbering {
  readonly label: Label;
  readonly source: string;
  /** Number → cause. */
  readonly numbers: Readonly<Record<number, PovertyCause>>;
}

function byPosition(causes: readonly PovertyCause[]): Record<number, PovertyCause> {
  return Object.fromEntries(causes.map((cause, i) => [i + 1, cause]));
}

/**
 * Numeric codings of 致贫原因 seen in files. No single national numbering exists (REFERENCE §1.4,
 * §7.1): import by label where a file has labels, and by a named numbering only where the file's
 * source is known. Numbers are 1-based.
 */
export const POVERTY_CAUSE_NUMBERINGS = {
  /** The 2014 form's own order (A3a/A3b), 12 options with 其它 last. */
  form2014: {
    label: { zh: '2014年《贫困户登记表》顺序', en: '2014 household form order' },
    source:
      '《贫困户登记表》指标说明 2014, A3a/A3b option list (REFERENCE §1.2, a re-post). The re-post lists the options in ' +
      'this order without numbers: the numbers are their positions.',
    numbers: byPosition([
      'illness', 'disability', 'schooling', 'disaster', 'lackOfLand', 'lackOfWater', 'lackOfSkills', 'lackOfLabour',
      'lackOfFunds', 'poorTransport', 'lackOfMotivation', 'other',
    ]),
  },
  /** The order most apps number 1–11 (因病 = 1), with no 其他. */
  commonApp: {
    label: { zh: '常见应用编号（因病 = 1）', en: 'Common app numbering (illness = 1)' },
    source:
      'Most common order in several client apps, 1 因病 … 11 自身发展动力不足 (public Android code; REFERENCE §1.4, ' +
      'household-form-columns.md E).',
    numbers: byPosition([
      'illness', 'disability', 'schooling', 'disaster', 'lackOfLand', 'lackOfWater', 'lackOfSkills', 'lackOfLabour',
      'lackOfFunds', 'poorTransport', 'lackOfMotivation',
    ]),
  },
  /** The later national list: 因婚 after 因灾, 缺资金 before 缺劳力, 13 options with 其他 last. */
  national2017: {
    label: { zh: '后期全国致贫原因列表（含因婚）', en: 'Later national list (with marriage)' },
    source:
      'The later national list of 12 options plus 其他 (Anhui analysis paper, fx361 2018-01-12; REFERENCE §1.4). The paper ' +
      'lists them in this order without numbers: the numbers are their positions.',
    numbers: byPosition([
      'illness', 'disability', 'schooling', 'disaster', 'marriage', 'lackOfLand', 'lackOfWater', 'lackOfSkills',
      'lackOfFunds', 'lackOfLabour', 'poorTransport', 'lackOfMotivation', 'other',
    ]),
  },
} as const satisfies Record<string, PovertyCauseNumbering>;

export type PovertyCauseNumberingId = keyof typeof POVERTY_CAUSE_NUMBERINGS;

/** The cause a number stands for in a numbering ('01', '１' and 1 alike); undefined when out of range. */
export function causeFromNumber(numbering: PovertyCauseNumberingId, n: number | string): PovertyCause | undefined {
  const key = typeof n === 'number' ? n : normalizeCodeInput(n);
  const num = typeof key === 'number' ? key : /^\d+$/.test(key) ? Number(key) : NaN;
  if (!Number.isInteger(num)) return undefined;
  return (POVERTY_CAUSE_NUMBERINGS[numbering].numbers as Readonly<Record<number, PovertyCause>>)[num];
}

/** The number of a cause in a numbering; undefined when the numbering has no such cause. */
export function causeToNumber(numbering: PovertyCauseNumberingId, cause: PovertyCause): number | undefined {
  const entry = Object.entries(POVERTY_CAUSE_NUMBERINGS[numbering].numbers).find(([, c]) => c === cause);
  return entry ? Number(entry[0]) : undefined;
}

export interface PovertyCauseShares {
  readonly label: Label;
  readonly source: string;
  /** The data year (approximate where the source is). */
  readonly year: number;
  readonly area: string;
  /** 'mainCause': each household counted once (shares sum to about 1); 'anyCause': multiple causes (sum > 1). */
  readonly basis: 'mainCause' | 'anyCause';
  readonly households?: number;
  /** Fraction of households per cause. */
  readonly shares: Readonly<Partial<Record<PovertyCause, number>>>;
  /** Households with no cause filled in (未填). */
  readonly unspecified?: number;
  /** Shares the source gives only for several causes together. */
  readonly combined?: readonly { readonly causes: readonly PovertyCause[]; readonly share: number }[];
  readonly note?: string;
}

/**
 * The main-cause distribution for synthetic data: Guangdong platform data, 656,804 households, about
 * 2016 (REFERENCE §4.2). The only full published distribution found; national figures exist for 因病 only.
 */
export const POVERTY_CAUSE_SHARES: PovertyCauseShares = {
  label: { zh: '广东省主要致贫原因构成（约2016年）', en: 'Main poverty cause, Guangdong (about 2016)' },
  source:
    'GitFront/my-fupin:h5/v2.2/data/province/guangdong/zhipinyuanyin.json (广东扶贫云 front-end data; REFERENCE §4.2). ' +
    'Demo data, internally consistent with the province\'s scale: indicative only.',
  year: 2016,
  area: '广东省 Guangdong',
  basis: 'mainCause',
  households: 656_804,
  shares: {
    illness: 0.344,
    lackOfLabour: 0.251,
    disability: 0.198,
    lackOfFunds: 0.058,
    schooling: 0.054,
    lackOfMotivation: 0.039,
    lackOfSkills: 0.023,
    other: 0.021,
    disaster: 0.004,
    lackOfLand: 0.003,
    poorTransport: 0.001,
    lackOfWater: 0,
  },
  unspecified: 0.005,
  note: 'Rounded to 0.1 %: with 未填 the shares sum to 1.001. Guangdong used the 2014 list: no 因婚 or 因丧.',
};

/** Other published cause figures (REFERENCE §4.2), for checks and for context; not distributions to draw from. */
export const POVERTY_CAUSE_SHARE_FIGURES: readonly PovertyCauseShares[] = [
  {
    label: { zh: '全国因病致贫比例（2013年基线）', en: 'Illness as cause, national (2013 baseline)' },
    source: 'http://jiaxigo.com/c/2017-08-27/1750239.shtml (REFERENCE §4.2): 42.4 %, 12.56 million households.',
    year: 2013,
    area: '全国 National',
    basis: 'mainCause',
    households: 29_600_000,
    shares: { illness: 0.424 },
    note: 'Only 因病 is published; the household total (about 29.6 million) is derived from 12.56 million ÷ 42.4 %.',
  },
  {
    label: { zh: '全国因病致贫比例（2015年底，回头看后）', en: 'Illness as cause, national (end of 2015)' },
    source:
      'http://big5.chinataiwan.cn/gate/big5/www.taiwan.cn//xwzx/PoliticsNews/201606/t20160622_11488441.htm (REFERENCE §4.2).',
    year: 2015,
    area: '全国 National',
    basis: 'mainCause',
    shares: { illness: 0.441 },
  },
  {
    label: { zh: '云南7个深度贫困县未脱贫户致贫原因（2018年，多选）', en: 'Causes in 7 Yunnan deep-poverty counties (2018, multiple)' },
    source: 'https://mtoou.info/tubiao/1758408.html (REFERENCE §4.2).',
    year: 2018,
    area: '云南省 Yunnan (7 deep-poverty counties)',
    basis: 'anyCause',
    shares: {
      lackOfSkills: 0.6075,
      poorTransport: 0.3319,
      lackOfFunds: 0.2555,
      lackOfMotivation: 0.2353,
      schooling: 0.1846,
      lackOfLabour: 0.138,
    },
    combined: [{ causes: ['illness', 'disability'], share: 0.3849 }],
    note: 'Households not yet out of poverty, several causes each: the shares sum to more than 1.',
  },
];
