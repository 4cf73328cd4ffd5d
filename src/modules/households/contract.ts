/**
 * The registry's contracts: one set of zod schemas for the API, the web forms and (later) imports.
 * Money is in yuan with at most two decimals; areas of land and housing in mu (亩) and m².
 */
import { z } from 'zod';
import { codeValue } from './codes.ts';

const dateOnly = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD · dates are YYYY-MM-DD');
const yuan = z
  .number({ error: '应为金额（元）· expected an amount in yuan' })
  .min(0, '金额不能为负 · must not be negative')
  .max(100_000_000, '金额过大 · amount too large')
  .refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, '金额最多两位小数 · at most two decimals (fen)');
const optText = (max: number) => z.string().trim().max(max).nullish();
const phone = z
  .string()
  .trim()
  .regex(/^(1\d{10}|0\d{2,3}-?\d{7,8})$/, '应为 11 位手机号或带区号的固定电话 · an 11-digit mobile or a landline with area code')
  .nullish();
const year = z.number().int().min(2000, '年份不早于 2000 · year from 2000').max(2100);
const opt = <T extends z.ZodType>(s: T) => s.nullish();

/** A member as entered (家庭成员). Birth date and sex are checked against the ID number. */
export const memberInput = z.object({
  name: z.string().trim().min(1, '请填写姓名 · enter the name').max(50),
  sex: codeValue('sex'),
  idType: codeValue('idType'),
  idNumber: z.string().min(1, '请填写证件号码 · enter the ID number').max(40),
  /** Derived from the ID number when omitted. */
  birthDate: dateOnly.optional(),
  relationToHead: codeValue('relationToHead'),
  ethnicity: opt(codeValue('ethnicity')),
  politicalStatus: opt(codeValue('politicalStatus')),
  education: opt(codeValue('education')),
  schooling: opt(codeValue('schooling')),
  health: opt(codeValue('health')),
  diseaseName: optText(100),
  disabilityCategory: opt(codeValue('disabilityCategory')),
  disabilityGrade: opt(codeValue('disabilityGrade')),
  labourAbility: opt(codeValue('labourAbility')),
  employment: opt(codeValue('employment')),
  monthsWorked: z.number().int().min(0, '0–12 个月 · 0–12 months').max(12, '0–12 个月 · 0–12 months').nullish(),
  medicalInsurance: z.boolean().default(false),
  seriousIllnessInsurance: z.boolean().default(false),
  pensionInsurance: z.boolean().default(false),
  minimumLiving: z.boolean().default(false),
  extremeHardship: z.boolean().default(false),
  activeMilitary: z.boolean().default(false),
  phone,
  alive: z.boolean().default(true),
  deceasedDate: dateOnly.nullish(),
});
export type MemberInput = z.input<typeof memberInput>;
export type MemberValues = z.output<typeof memberInput>;

/** The yearly income record (yuan per year); net and per-capita figures are derived. */
export const incomeInput = z.object({
  year,
  wageIncome: yuan.default(0),
  productionIncome: yuan.default(0),
  propertyIncome: yuan.default(0),
  transferIncome: yuan.default(0),
  productionCosts: yuan.default(0),
});
export type IncomeValues = z.output<typeof incomeInput>;

/** The household's own fields (without members and incomes). */
export const householdFields = z.object({
  areaCode: z.string().regex(/^\d{12}$/, '应为 12 位村级区划代码 · a 12-digit village code'),
  groupName: optText(50),
  address: optText(200),
  householdType: codeValue('householdType'),
  identificationStandard: opt(codeValue('identificationStandard')),
  povertyAttribute: opt(codeValue('povertyAttribute')),
  mainPovertyCause: opt(codeValue('povertyCause')),
  otherPovertyCauses: z.array(codeValue('povertyCause')).max(2, '其他致贫原因最多两项 · at most two other causes').default([]),
  status: codeValue('householdStatus'),
  identificationYear: year.nullish(),
  phone,
  bankName: optText(100),
  bankAccount: z
    .string()
    .trim()
    .regex(/^\d{8,30}$/, '银行账号应为 8–30 位数字 · 8–30 digits')
    .nullish(),
  housingArea: z.number().min(0).max(10_000).nullish(),
  housingStructure: opt(codeValue('housingStructure')),
  housingDangerGrade: z.enum(['A', 'B', 'C', 'D'], { error: '危房等级应为 A–D · grade A–D' }).nullish(),
  housingRenovated: z.boolean().default(false),
  safeDrinkingWater: z.boolean().nullish(),
  drinkingWaterDifficulty: z.boolean().nullish(),
  cultivatedLand: z.number().min(0).max(100_000).nullish(),
  forestLand: z.number().min(0).max(1_000_000).nullish(),
  relocated: z.boolean().default(false),
  relocationType: opt(codeValue('relocationSettlement')),
  reservoirMigrant: z.boolean().default(false),
  militaryFamily: z.boolean().default(false),
});
export type HouseholdFieldValues = z.output<typeof householdFields>;

/** Registers a household: its fields, its members (exactly one head), optionally this year's income. */
export const registerHouseholdBody = householdFields.extend({
  members: z.array(memberInput).min(1, '至少登记一名家庭成员 · at least one member').max(30),
  income: incomeInput.optional(),
});
export type RegisterHouseholdInput = z.input<typeof registerHouseholdBody>;

/**
 * Edits the household's fields. `version` is the one the edit was based on; `reason` goes in the history.
 * Fields left out stay as stored: the defaults of registration do not apply (zod 4 applies a default
 * inside `.partial()`, which would reset them).
 */
export const updateHouseholdBody = householdFields.partial().extend({
  otherPovertyCauses: z.array(codeValue('povertyCause')).max(2, '其他致贫原因最多两项 · at most two other causes').optional(),
  housingRenovated: z.boolean().optional(),
  relocated: z.boolean().optional(),
  reservoirMigrant: z.boolean().optional(),
  militaryFamily: z.boolean().optional(),
  version: z.number().int().min(1),
  reason: z.string().trim().max(200).optional(),
});

export const addMemberBody = z.object({ member: memberInput, version: z.number().int().min(1), reason: codeValue('memberChangeReason'), note: optText(200) });
export const updateMemberBody = z.object({ member: memberInput, version: z.number().int().min(1), reason: z.string().trim().max(200).optional() });
export const removeMemberBody = z.object({ version: z.number().int().min(1), reason: codeValue('memberChangeReason'), note: optText(200), deceasedDate: dateOnly.nullish() });
export const moveMemberBody = z.object({
  version: z.number().int().min(1),
  toHouseholdId: z.uuid(),
  toVersion: z.number().int().min(1),
  relationToHead: codeValue('relationToHead'),
  reason: codeValue('memberChangeReason'),
  note: optText(200),
});
export const setIncomeBody = incomeInput.extend({ version: z.number().int().min(1) });
export const removeHouseholdBody = z.object({ version: z.number().int().min(1), reason: z.string().trim().min(2, '请填写注销原因 · give the reason').max(200) });

export const memberSchema = z.object({
  id: z.string(),
  name: z.string(),
  sex: z.string(),
  idType: z.string(),
  /** Masked (430181********0017) unless the caller's role reads identities in full. */
  idNumber: z.string(),
  birthDate: z.string(),
  age: z.number().int(),
  relationToHead: z.string(),
  ethnicity: z.string().nullable(),
  politicalStatus: z.string().nullable(),
  education: z.string().nullable(),
  schooling: z.string().nullable(),
  health: z.string().nullable(),
  diseaseName: z.string().nullable(),
  disabilityCategory: z.string().nullable(),
  disabilityGrade: z.string().nullable(),
  labourAbility: z.string().nullable(),
  employment: z.string().nullable(),
  monthsWorked: z.number().int().nullable(),
  medicalInsurance: z.boolean(),
  seriousIllnessInsurance: z.boolean(),
  pensionInsurance: z.boolean(),
  minimumLiving: z.boolean(),
  extremeHardship: z.boolean(),
  activeMilitary: z.boolean(),
  phone: z.string().nullable(),
  alive: z.boolean(),
  deceasedDate: z.string().nullable(),
  status: z.enum(['active', 'removed']),
  changeReason: z.string().nullable(),
  changeNote: z.string().nullable(),
});
export type MemberDto = z.infer<typeof memberSchema>;

export const incomeSchema = z.object({
  year: z.number().int(),
  wageIncome: z.number(),
  productionIncome: z.number(),
  propertyIncome: z.number(),
  transferIncome: z.number(),
  productionCosts: z.number(),
  netIncome: z.number(),
  memberCount: z.number().int(),
  perCapitaNetIncome: z.number(),
});
export type IncomeDto = z.infer<typeof incomeSchema>;

const householdCore = {
  id: z.string(),
  householdNo: z.string(),
  areaCode: z.string(),
  /** 村 and its ancestors' names, "湖南省 长沙市 浏阳市 大围山镇 中岳村". */
  areaFullName: z.string(),
  villageName: z.string(),
  townshipName: z.string(),
  groupName: z.string().nullable(),
  householdType: z.string(),
  povertyAttribute: z.string().nullable(),
  mainPovertyCause: z.string().nullable(),
  status: z.string(),
  headName: z.string(),
  memberCount: z.number().int(),
  latestIncomeYear: z.number().int().nullable(),
  latestPerCapitaNetIncome: z.number().nullable(),
  phone: z.string().nullable(),
  active: z.boolean(),
  version: z.number().int(),
  updatedAt: z.string(),
};

/** A row of the household list and the village register. */
export const householdListItem = z.object({
  ...householdCore,
  /** Head's ID number, always masked in lists. */
  headIdNumber: z.string().nullable(),
  identificationYear: z.number().int().nullable(),
  otherPovertyCauses: z.array(z.string()),
});
export type HouseholdListItem = z.infer<typeof householdListItem>;

export const householdSchema = z.object({
  ...householdCore,
  address: z.string().nullable(),
  identificationStandard: z.string().nullable(),
  otherPovertyCauses: z.array(z.string()),
  identificationYear: z.number().int().nullable(),
  bankName: z.string().nullable(),
  bankAccount: z.string().nullable(),
  housingArea: z.number().nullable(),
  housingStructure: z.string().nullable(),
  housingDangerGrade: z.string().nullable(),
  housingRenovated: z.boolean(),
  safeDrinkingWater: z.boolean().nullable(),
  drinkingWaterDifficulty: z.boolean().nullable(),
  cultivatedLand: z.number().nullable(),
  forestLand: z.number().nullable(),
  relocated: z.boolean(),
  relocationType: z.string().nullable(),
  reservoirMigrant: z.boolean(),
  militaryFamily: z.boolean(),
  removedReason: z.string().nullable(),
  createdAt: z.string(),
  members: z.array(memberSchema),
  incomes: z.array(incomeSchema),
  /** Whether ID numbers, phones and the bank account are shown in full (and the view was audited). */
  full: z.boolean(),
  /** Plausibility warnings to check (not errors). */
  warnings: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string(), messageEn: z.string() })),
  /** Set when reading the household as it stood at the end of a registry year. */
  asOfYear: z.number().int().nullable(),
});
export type HouseholdDto = z.infer<typeof householdSchema>;

export const householdListQuery = z.object({
  /** Any area in scope; the list covers its whole subtree. */
  areaCode: z.string().regex(/^\d{12}$/).optional(),
  householdType: z.string().max(40).optional(),
  status: z.string().max(40).optional(),
  povertyAttribute: z.string().max(40).optional(),
  mainPovertyCause: z.string().max(40).optional(),
  /** Per-capita net income range of the latest income year, yuan per person per year. */
  incomeMin: z.coerce.number().min(0).optional(),
  incomeMax: z.coerce.number().min(0).optional(),
  /** Head's or any member's name (contains), or an ID number (full, or its last 4–6 characters), or the 户编号. */
  q: z.string().trim().max(40).optional(),
  includeRemoved: z.stringbool().default(false),
  sort: z.enum(['householdNo', 'headName', 'memberCount', 'income', 'updatedAt']).default('householdNo'),
  order: z.enum(['asc', 'desc']).default('asc'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type HouseholdListQuery = z.infer<typeof householdListQuery>;

export const historyItemSchema = z.object({
  version: z.number().int(),
  change: z.string(),
  changedFields: z.array(z.string()),
  reason: z.string().nullable(),
  changedAt: z.string(),
  changedByName: z.string(),
  /** 归属年度 of the change (China Standard Time). */
  year: z.number().int(),
});

export const duplicateCandidateSchema = z.object({
  kind: z.enum(['sameNameAndBirthDate', 'idNumberOneCharacterApart']),
  a: z.object({ householdId: z.string(), householdNo: z.string(), memberId: z.string(), name: z.string(), idNumber: z.string(), birthDate: z.string(), areaCode: z.string() }),
  b: z.object({ householdId: z.string(), householdNo: z.string(), memberId: z.string(), name: z.string(), idNumber: z.string(), birthDate: z.string(), areaCode: z.string() }),
});

/** A township archive (乡有档): each village with its register's counts. */
export const archiveSchema = z.object({
  township: z.object({ code: z.string(), name: z.string(), fullName: z.string() }),
  villages: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      households: z.number().int(),
      persons: z.number().int(),
      registeredPoorHouseholds: z.number().int(),
      notExitedHouseholds: z.number().int(),
      poorVillageYears: z.array(z.number().int()),
    }),
  ),
  totals: z.object({ households: z.number().int(), persons: z.number().int(), registeredPoorHouseholds: z.number().int(), notExitedHouseholds: z.number().int() }),
});
export type ArchiveDto = z.infer<typeof archiveSchema>;
