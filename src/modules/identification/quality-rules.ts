/**
 * Data-quality checks of the registry (数据质量): the catalogue of checks, the exact conditions
 * they apply, and the wording of what a failing household shows. Pure and isomorphic: the server's
 * queries (quality.ts) apply the same conditions in SQL, the page (ui/DataQualityPage.tsx) reads the
 * labels and explanations from here.
 *
 * Sources: the Guangdong platform's 建档立卡 record anomalies (REFERENCE.md §2.2: holder_id_miss
 * 户主身份信息错漏, member_id_miss 成员身份信息错漏, disabled_info_miss 残疾信息错漏, id_repeat 重复身份信息记录)
 * and issue 5 item 5 (income inconsistent with the declared sources, cause inconsistent with the
 * member data). Only active households and their active members are checked.
 */
import { z } from 'zod';
import { checkCharacter } from '../../shared/id-number.ts';

export type Lang = 'zh' | 'en';
export interface Text {
  zh: string;
  en: string;
}

/** error: the record is wrong and must be corrected; warning: implausible, to be checked. */
export type Severity = 'error' | 'warning';

export const QUALITY_CHECK_CODES = [
  'headIdMissing',
  'memberIdMissing',
  'duplicateIdNumber',
  'possibleDuplicatePerson',
  'disabilityInfoMissing',
  'incomeInconsistent',
  'causeInconsistent',
] as const;
export type QualityCheckCode = (typeof QUALITY_CHECK_CODES)[number];

export interface QualityCheck {
  code: QualityCheckCode;
  label: Text;
  /** The exact condition, as a user reads it. */
  explanation: Text;
  severity: Severity;
  /** Where the check comes from. */
  source: string;
}

/** Working age (劳动年龄) in whole years, both ends included: 16 to 59 (the statistical 16–59 convention). */
export const WORKING_AGE = { min: 16, max: 59 } as const;

/** Labour-ability values that count as able to work (普通劳动力, 技能劳动力). */
export const ABLE_LABOUR = ['ordinaryLabour', 'skilledLabour'] as const;
/** Health values that support 因病: 长期慢性病, 患有大病. */
export const ILL_HEALTH = ['chronicIllness', 'seriousIllness'] as const;
/** ID types whose number is a resident ID number (居民身份证) or embeds one (残疾人证: 18 + category + grade). */
export const ID_TYPES_WITH_CHECK_DIGIT = ['residentId', 'disabilityCertificate'] as const;

const ID_RULE_ZH =
  '号码为空；占位号码（全为同一字符、不含数字或含“*”）；证件类型为居民身份证而不是 18 位（17 位数字加数字或 X），或为残疾人证而不是 20 位；' +
  '第 18 位校验码不符（GB 11643-1999）；号码中的出生日期与登记的出生日期不一致。其他证件类型只查空号和占位号码。';
const ID_RULE_EN =
  'the number is empty; a placeholder (one character repeated, no digit, or containing "*"); for a resident identity card not 18 characters ' +
  '(17 digits and a digit or X), for a disability certificate not 20; a wrong check character (GB 11643-1999); the birth date in the number ' +
  'differs from the recorded birth date. Other ID types are checked for empty and placeholder numbers only.';

export const QUALITY_CHECKS: readonly QualityCheck[] = [
  {
    code: 'headIdMissing',
    label: { zh: '户主身份信息错漏', en: 'Head’s ID missing or wrong' },
    explanation: {
      zh: `户内没有在册户主，或户主证件号码不可用：${ID_RULE_ZH}`,
      en: `The household has no active head, or the head’s ID number is unusable: ${ID_RULE_EN}`,
    },
    severity: 'error',
    source: 'REFERENCE.md §2.2, Guangdong platform holder_id_miss 户主身份信息错漏',
  },
  {
    code: 'memberIdMissing',
    label: { zh: '成员身份信息错漏', en: 'Member’s ID missing or wrong' },
    explanation: {
      zh: `户主以外的在册成员证件号码不可用：${ID_RULE_ZH}`,
      en: `An active member other than the head has an unusable ID number: ${ID_RULE_EN}`,
    },
    severity: 'error',
    source: 'REFERENCE.md §2.2, Guangdong platform member_id_miss 成员身份信息错漏',
  },
  {
    code: 'duplicateIdNumber',
    label: { zh: '重复身份信息记录', en: 'Duplicate ID number' },
    explanation: {
      zh: '同一证件号码登记在另一名在册成员上（本户或全库任何在册户），空号和占位号码除外。新登记由人员身份表拒绝重复，此项查出历史数据和直接写入的数据。',
      en: 'The same ID number is recorded on another active member (of this or any active household in the registry), empty and placeholder numbers aside. New registrations are refused by the person-identity table; this finds older or directly written data.',
    },
    severity: 'error',
    source: 'REFERENCE.md §2.2, Guangdong platform id_repeat 重复身份信息记录',
  },
  {
    code: 'possibleDuplicatePerson',
    label: { zh: '疑似重复人员', en: 'Possible duplicate person' },
    explanation: {
      zh: '另一在册户中有姓名和出生日期都相同、证件号码不同的在册成员：可能是同一人被登记两次（也可能只是同名同生日）。',
      en: 'Another active household has an active member with the same name and birth date but a different ID number: possibly one person registered twice (or two people who share both).',
    },
    severity: 'warning',
    source: 'REFERENCE.md §2.2 id_repeat (same person, different number); issue 5 item 5',
  },
  {
    code: 'disabilityInfoMissing',
    label: { zh: '残疾信息错漏', en: 'Disability details missing' },
    explanation: {
      zh: '健康状况登记为“残疾”的在册成员缺少残疾类别或残疾等级。',
      en: 'An active member recorded as disabled lacks the disability category or grade.',
    },
    severity: 'warning',
    source: 'REFERENCE.md §2.2, Guangdong platform disabled_info_miss 残疾信息错漏',
  },
  {
    code: 'incomeInconsistent',
    label: { zh: '收入与来源不符', en: 'Income inconsistent with its sources' },
    explanation: {
      zh:
        '按最近一年的收入记录：工资性收入大于 0 而没有成员登记务工状况或务工月数；有成员享受低保或特困供养（或贫困户属性为低保、特困供养）而转移性收入为 0；' +
        '建档立卡贫困户仍为未脱贫，人均纯收入却高于当年识别标准（国家扶贫标准：2014 年 2736 元、2015 年 2800 元、2016 年 2855 元、2017 年 3026 元，2020 年约 4000 元，其间插值，之后每年增 5%）。',
      en:
        'On the latest year’s income record: wage income above 0 while no member has an employment status or months worked; a member receives the ' +
        'minimum living allowance or extreme-hardship support (or the household’s attribute says so) while transfer income is 0; a registered poor ' +
        'household not yet out of poverty whose per-capita net income is above that year’s identification line (the national line: 2736 yuan in 2014, ' +
        '2800 in 2015, 2855 in 2016, 3026 in 2017, about 4000 in 2020, interpolated between, then +5 % a year).',
    },
    severity: 'warning',
    source: 'Issue 5 item 5; lines REFERENCE.md §2.1 and §3.1 (households demoPovertyLine)',
  },
  {
    code: 'causeInconsistent',
    label: { zh: '致贫原因与成员信息不符', en: 'Cause inconsistent with the members' },
    explanation: {
      zh:
        '主要致贫原因为因病，但没有成员患长期慢性病或大病；因残，但没有成员登记为残疾（健康状况、残疾类别或残疾人证）；因学，但没有在校生；' +
        `缺劳动力，但 ${WORKING_AGE.min}–${WORKING_AGE.max} 岁的普通或技能劳动力占在册成员一半以上（含一半）。`,
      en:
        'The main cause is illness but no member has a chronic or serious illness; disability but no member is recorded as disabled (health, ' +
        'disability category or certificate); schooling but no member is in school; lack of labour but ordinary or skilled labourers aged ' +
        `${WORKING_AGE.min}–${WORKING_AGE.max} make up at least half of the active members.`,
    },
    severity: 'warning',
    source: 'Issue 5 item 5 (因病 with every member healthy); code lists of src/modules/households/codes.ts',
  },
];

export function isQualityCheckCode(x: unknown): x is QualityCheckCode {
  return typeof x === 'string' && (QUALITY_CHECK_CODES as readonly string[]).includes(x);
}

export function qualityCheck(code: QualityCheckCode): QualityCheck {
  return QUALITY_CHECKS.find((c) => c.code === code)!;
}

// ---------------------------------------------------------------------------------------------
// ID numbers: the same rule the SQL of quality.ts applies

export const ID_PROBLEMS = ['empty', 'placeholder', 'format', 'checkDigit', 'birthDateMismatch'] as const;
export type IdProblem = (typeof ID_PROBLEMS)[number];

export const ID_PROBLEM_LABELS: Record<IdProblem | 'noHead', Text> = {
  noHead: { zh: '没有在册户主', en: 'no active head' },
  empty: { zh: '证件号码为空', en: 'the ID number is empty' },
  placeholder: { zh: '证件号码为占位号码', en: 'the ID number is a placeholder' },
  format: { zh: '证件号码位数或字符不对', en: 'the ID number has the wrong length or characters' },
  checkDigit: { zh: '证件号码校验码不符', en: 'the ID number’s check character is wrong' },
  birthDateMismatch: { zh: '证件号码中的出生日期与登记的不一致', en: 'the birth date in the ID number differs from the recorded one' },
};

/**
 * Why a stored ID number cannot be used, or null when it can. Mirrors quality.ts `idProblemSql`
 * (the db tests check both agree). Numbers are stored normalised (18 characters, capital X), so a
 * lowercase x or a 15-digit number is a format problem here.
 * @param birthDate YYYY-MM-DD as stored
 */
export function idNumberProblem(idType: string, idNumber: string, birthDate: string): IdProblem | null {
  if (!/\S/.test(idNumber)) return 'empty';
  if (idNumber.includes('*') || !/[0-9]/.test(idNumber) || /^(.)\1*$/su.test(idNumber)) return 'placeholder';
  if (idType === 'residentId' && !/^[0-9]{17}[0-9X]$/.test(idNumber)) return 'format';
  if (idType === 'disabilityCertificate' && !/^[0-9]{17}[0-9X][1-7][1-4]$/.test(idNumber)) return 'format';
  if (!(ID_TYPES_WITH_CHECK_DIGIT as readonly string[]).includes(idType)) return null;
  if (checkCharacter(idNumber.slice(0, 17)) !== idNumber[17]) return 'checkDigit';
  if (idNumber.slice(6, 14) !== birthDate.replace(/-/g, '')) return 'birthDateMismatch';
  return null;
}

// ---------------------------------------------------------------------------------------------
// What a failing household shows

/** Reasons a household fails a check, one per finding. */
export const FINDING_REASONS = [
  'noHead',
  ...ID_PROBLEMS,
  'sameIdNumber',
  'sameNameAndBirthDate',
  'disabilityCategoryOrGradeMissing',
  'wageWithoutWork',
  'noTransferWithAllowance',
  'aboveLine',
  'illnessWithoutIllMember',
  'disabilityWithoutDisabledMember',
  'schoolingWithoutPupil',
  'lackOfLabourWithLabour',
] as const;
export type FindingReason = (typeof FINDING_REASONS)[number];

/** One finding: which member (if any), which field, why, with a short text in both languages. */
export interface Finding {
  reason: FindingReason;
  memberName: string | null;
  field: string;
  text: Text;
}

/** A member row of the details query (quality.ts), for the households of one page. */
export interface MemberFacts {
  householdId: string;
  name: string;
  isHead: boolean;
  idProblem: IdProblem | null;
  /** Masked ID number (never the full one). */
  maskedIdNumber: string;
  birthDate: string;
  /** Another active member with the same number: its household's 户编号 when in the actor's scope, '' outside it; null: none. */
  sameIdOther: string | null;
  /** Another active household's member with the same name and birth date: as sameIdOther. */
  sameNameOther: string | null;
  disabilityInfoMissing: boolean;
}

/** The household-level facts of the flags query (quality.ts). Money in yuan; the line in yuan per person per year. */
export interface HouseholdFacts {
  hasHead: boolean;
  mainPovertyCause: string | null;
  incomeYear: number | null;
  wageIncome: number | null;
  transferIncome: number | null;
  perCapitaNetIncome: number | null;
  line: number | null;
  wageWithoutWork: boolean;
  noTransferWithAllowance: boolean;
  aboveLine: boolean;
  /** Able labourers of working age / active members (for 缺劳动力). */
  ableWorkingAge: number;
  memberCount: number;
}

const yuan = (n: number | null) => (n === null ? '—' : n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
const other = (no: string, lang: Lang) => (no === '' ? (lang === 'zh' ? '辖区外另一户' : 'a household outside your area') : no);

/**
 * The findings of one household for one check, from the facts the details query returns.
 * @returns at least one finding for a household that fails the check; [] for one that passes
 */
export function findingsOf(check: QualityCheckCode, h: HouseholdFacts, ms: readonly MemberFacts[]): Finding[] {
  const out: Finding[] = [];
  const idFinding = (m: MemberFacts, problem: IdProblem): Finding => ({
    reason: problem,
    memberName: m.name,
    field: problem === 'birthDateMismatch' ? 'birthDate' : 'idNumber',
    text: {
      zh: `${m.isHead ? '户主' : '成员'} ${m.name}（${m.maskedIdNumber || '无号码'}）：${ID_PROBLEM_LABELS[problem].zh}`,
      en: `${m.isHead ? 'Head' : 'Member'} ${m.name} (${m.maskedIdNumber || 'no number'}): ${ID_PROBLEM_LABELS[problem].en}`,
    },
  });
  switch (check) {
    case 'headIdMissing': {
      if (!h.hasHead) out.push({ reason: 'noHead', memberName: null, field: 'relationToHead', text: { zh: '没有在册户主', en: 'No active head' } });
      for (const m of ms) if (m.isHead && m.idProblem) out.push(idFinding(m, m.idProblem));
      break;
    }
    case 'memberIdMissing':
      for (const m of ms) if (!m.isHead && m.idProblem) out.push(idFinding(m, m.idProblem));
      break;
    case 'duplicateIdNumber':
      for (const m of ms) {
        if (m.sameIdOther === null) continue;
        out.push({
          reason: 'sameIdNumber',
          memberName: m.name,
          field: 'idNumber',
          text: {
            zh: `${m.name}（${m.maskedIdNumber}）的证件号码也登记在 ${other(m.sameIdOther, 'zh')}`,
            en: `${m.name}’s ID number (${m.maskedIdNumber}) is also recorded in ${other(m.sameIdOther, 'en')}`,
          },
        });
      }
      break;
    case 'possibleDuplicatePerson':
      for (const m of ms) {
        if (m.sameNameOther === null) continue;
        out.push({
          reason: 'sameNameAndBirthDate',
          memberName: m.name,
          field: 'name',
          text: {
            zh: `${m.name}（${m.birthDate}）与 ${other(m.sameNameOther, 'zh')} 的成员姓名、出生日期相同`,
            en: `${m.name} (${m.birthDate}) has the name and birth date of a member of ${other(m.sameNameOther, 'en')}`,
          },
        });
      }
      break;
    case 'disabilityInfoMissing':
      for (const m of ms) {
        if (!m.disabilityInfoMissing) continue;
        out.push({
          reason: 'disabilityCategoryOrGradeMissing',
          memberName: m.name,
          field: 'disabilityCategory',
          text: { zh: `${m.name} 登记为残疾，缺残疾类别或等级`, en: `${m.name} is recorded as disabled without category or grade` },
        });
      }
      break;
    case 'incomeInconsistent': {
      const y = h.incomeYear ?? '';
      if (h.wageWithoutWork) {
        out.push({
          reason: 'wageWithoutWork',
          memberName: null,
          field: 'income.wageIncome',
          text: { zh: `${y} 年工资性收入 ${yuan(h.wageIncome)} 元，但没有成员登记务工`, en: `${y} wage income ${yuan(h.wageIncome)} yuan, but no member is recorded as working` },
        });
      }
      if (h.noTransferWithAllowance) {
        out.push({
          reason: 'noTransferWithAllowance',
          memberName: null,
          field: 'income.transferIncome',
          text: { zh: `享受低保或特困供养，但 ${y} 年转移性收入为 0`, en: `Receives the minimum living allowance or extreme-hardship support, but ${y} transfer income is 0` },
        });
      }
      if (h.aboveLine) {
        out.push({
          reason: 'aboveLine',
          memberName: null,
          field: 'income.perCapitaNetIncome',
          text: {
            zh: `未脱贫，但 ${y} 年人均纯收入 ${yuan(h.perCapitaNetIncome)} 元高于识别标准 ${yuan(h.line)} 元`,
            en: `Not out of poverty, but ${y} per-capita net income ${yuan(h.perCapitaNetIncome)} yuan is above the line of ${yuan(h.line)} yuan`,
          },
        });
      }
      break;
    }
    case 'causeInconsistent': {
      const cause = h.mainPovertyCause;
      const f = (reason: FindingReason, zh: string, en: string): Finding => ({ reason, memberName: null, field: 'mainPovertyCause', text: { zh, en } });
      if (cause === 'illness') out.push(f('illnessWithoutIllMember', '主要致贫原因为因病，但没有成员患长期慢性病或大病', 'Main cause illness, but no member has a chronic or serious illness'));
      else if (cause === 'disability') out.push(f('disabilityWithoutDisabledMember', '主要致贫原因为因残，但没有成员登记为残疾', 'Main cause disability, but no member is recorded as disabled'));
      else if (cause === 'schooling') out.push(f('schoolingWithoutPupil', '主要致贫原因为因学，但没有在校生', 'Main cause schooling, but no member is in school'));
      else if (cause === 'lackOfLabour') {
        out.push(
          f(
            'lackOfLabourWithLabour',
            `主要致贫原因为缺劳动力，但 ${h.memberCount} 名成员中有 ${h.ableWorkingAge} 名 ${WORKING_AGE.min}–${WORKING_AGE.max} 岁的劳动力`,
            `Main cause lack of labour, but ${h.ableWorkingAge} of ${h.memberCount} members are labourers aged ${WORKING_AGE.min}–${WORKING_AGE.max}`,
          ),
        );
      }
      break;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The API's shapes (shared with the page)

const checkCounts = z.object(Object.fromEntries(QUALITY_CHECK_CODES.map((c) => [c, z.number().int()])) as Record<QualityCheckCode, z.ZodNumber>);
export type CheckCounts = Record<QualityCheckCode, number>;

const areaRef = z.object({ code: z.string().nullable(), name: z.string(), level: z.string() });

/** Counts of one area: active households, households failing each check, and failing any. */
export const qualityAreaCounts = areaRef.extend({
  households: z.number().int(),
  withAnyProblem: z.number().int(),
  counts: checkCounts,
});

/** A data-quality run (a job checking one area), as GET/POST /api/identification/data-quality/runs return it. */
export const qualityRunSchema = z.object({
  id: z.string(),
  /** The area checked; null: the whole country. */
  areaCode: z.string().nullable(),
  /** The platform job running it (GET /api/jobs/{jobId} gives its progress). */
  jobId: z.string().nullable(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  /** Active households checked (when done). */
  households: z.number().int().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type QualityRun = z.infer<typeof qualityRunSchema>;

/** After this many hours the stored findings of an area count as stale (the page suggests a re-check). */
export const QUALITY_STALE_AFTER_HOURS = 24;

/** GET /api/identification/data-quality. `area.code` null: the whole country (an administrator without an area). */
export const qualityOverviewSchema = z.object({
  area: qualityAreaCounts,
  /** From the top of the actor's scope down to the area's parent, for the breadcrumb. */
  breadcrumb: z.array(areaRef),
  /** The child areas (townships of a county, villages of a township); [] for a village. */
  children: z.array(qualityAreaCounts),
  /**
   * When the counts were computed (ISO time): the oldest stored finding of the area, else the end of
   * the latest finished run covering it; null: the area was never checked (the counts are all 0).
   */
  checkedAt: z.string().nullable(),
  /** No finished run covers the area, or it is older than QUALITY_STALE_AFTER_HOURS. */
  stale: z.boolean(),
  /** A queued or running check covering the area, if any (the page follows its job). */
  run: qualityRunSchema.nullable(),
});
export type QualityOverview = z.infer<typeof qualityOverviewSchema>;
export type QualityAreaCounts = z.infer<typeof qualityAreaCounts>;

export const findingSchema = z.object({
  reason: z.enum(FINDING_REASONS),
  memberName: z.string().nullable(),
  field: z.string(),
  text: z.object({ zh: z.string(), en: z.string() }),
});

/** One failing household of GET /api/identification/data-quality/{check}; ID numbers masked. */
export const qualityHouseholdSchema = z.object({
  householdId: z.string(),
  householdNo: z.string(),
  headName: z.string(),
  areaCode: z.string(),
  villageName: z.string(),
  townshipName: z.string(),
  findings: z.array(findingSchema),
  /** When this household was checked (ISO time). */
  checkedAt: z.string(),
});
export type QualityHousehold = z.infer<typeof qualityHouseholdSchema>;
