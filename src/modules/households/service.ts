/**
 * The registry (建档立卡): registering households and members, editing them safely under concurrency,
 * history by registry year, masked lists, audited full reads, village registers and township archives.
 *
 * Every use case is one transaction: authorize → load → rules → write → history → audit.
 */
import { AppError, notFound, type FieldIssue } from '../../shared/errors.ts';
import { levelOfCode, scopePrefix } from '../../shared/area-code.ts';
import { maskIdNumber, maskPhone } from '../../shared/mask.ts';
import { normalizeIdNumber, validateIdNumber, type Sex } from '../../shared/id-number.ts';
import type { Page } from '../../shared/paging.ts';
import { authorize, inScope, roleHolds, scopePattern, type Actor } from '../../platform/auth.ts';
import { pgErrorCode, rowsOf, type Db, type DbOrTx } from '../../platform/db.ts';
import { findChildAreas, loadArea, loadAreaNames } from '../areas/index.ts';
import { recordAudit } from '../audit/index.ts';
import { findCodeItem, MEMBER_CHANGE_DIRECTION, type MemberChangeReason } from './codes.ts';
import type {
  ArchiveDto,
  HouseholdDto,
  HouseholdFieldValues,
  HouseholdListItem,
  HouseholdListQuery,
  IncomeDto,
  IncomeValues,
  MemberDto,
  MemberValues,
} from './contract.ts';
import { HOUSEHOLDS } from './permissions.ts';
import * as q from './queries.ts';
import { householdVersions } from './schema.ts';
import { and, eq, isNull } from 'drizzle-orm';
import { ageOn, changedFields, deriveIncome, differByOneCharacter, endOfRegistryYear, formatHouseholdNo, memberWarnings, todayCst, type Warning } from './rules.ts';

const LABEL = { zh: '农户', en: 'Household' };
const HEAD = q.HEAD_RELATION;

// ---------------------------------------------------------------------------------------------
// Validation of members

/** A member ready to write: normalised ID number and derived birth date. */
export interface CheckedMember extends MemberValues {
  idNumber: string;
  birthDate: string;
}

function sexOf(value: string): Sex | null {
  const code = findCodeItem('sex', value)?.code;
  return code === '1' ? 'male' : code === '2' ? 'female' : null;
}

function isDisabilityCert(idType: string): boolean {
  return findCodeItem('idType', idType)?.code === '09';
}

function validationError(issues: FieldIssue[]): AppError {
  return new AppError(
    'VALIDATION_FAILED',
    `输入有误：${issues.map((i) => `${i.path.join('.')} ${i.message}`).join('；')}`,
    `Invalid input: ${issues.map((i) => `${i.path.join('.')} ${i.messageEn}`).join('; ')}`,
    { issues },
  );
}

/**
 * Checks each member's ID number (GB 11643-1999 via src/shared/id-number.ts) against the entered sex
 * and birth date, and that the list has no number twice.
 * @param pathOf the field path prefix of member i (e.g. ['members', i])
 * @throws AppError VALIDATION_FAILED naming each member's field and reason
 */
export function checkMembers(input: MemberValues[], pathOf: (i: number) => (string | number)[], today: string): CheckedMember[] {
  const issues: FieldIssue[] = [];
  const seen = new Map<string, number>();
  const out = input.map((m, i) => {
    const r = validateIdNumber(m.idNumber, { birthDate: m.birthDate ?? null, sex: sexOf(m.sex), allowDisabilityCert: isDisabilityCert(m.idType), today });
    if (!r.ok) {
      issues.push({ path: [...pathOf(i), 'idNumber'], message: `${m.name}：${r.message}`, messageEn: `${m.name}: ${r.messageEn}` });
      return { ...m, idNumber: normalizeIdNumber(m.idNumber), birthDate: m.birthDate ?? '' };
    }
    const prev = seen.get(r.idNumber);
    if (prev !== undefined) {
      issues.push({ path: [...pathOf(i), 'idNumber'], message: `与第 ${prev + 1} 名成员的证件号码相同`, messageEn: `same ID number as member ${prev + 1}` });
    }
    seen.set(r.idNumber, i);
    if (m.deceasedDate && m.alive) {
      issues.push({ path: [...pathOf(i), 'alive'], message: '填写了死亡日期却登记为健在', messageEn: 'a date of death is given but the person is marked alive' });
    }
    // A disability certificate number carries the category and grade (its 19th and 20th characters).
    const cert = r.disabilityCert;
    const extra = cert
      ? {
          disabilityCategory: m.disabilityCategory ?? (findCodeItem('disabilityCategory', String(cert.category))?.value as MemberValues['disabilityCategory']),
          disabilityGrade: m.disabilityGrade ?? (findCodeItem('disabilityGrade', String(cert.grade))?.value as MemberValues['disabilityGrade']),
        }
      : {};
    return { ...m, ...extra, idNumber: r.idNumber, birthDate: r.birthDate };
  });
  if (issues.length) throw validationError(issues);
  return out;
}

/**
 * A member change reason must fit the change: birth, marriage in, moving in … add a member; death,
 * marriage out, moving out, household split … remove one (codes.ts MEMBER_CHANGE_DIRECTION).
 * @throws AppError VALIDATION_FAILED on ['reason']
 */
function checkReasonDirection(reason: string, expected: 'added' | 'removed'): void {
  if (MEMBER_CHANGE_DIRECTION[reason as MemberChangeReason] === expected) return;
  throw validationError([
    expected === 'added'
      ? { path: ['reason'], message: '新增成员的原因应为出生、婚入、迁入或其他新增', messageEn: 'adding a member needs an addition reason (birth, married in, moved in, other addition)' }
      : { path: ['reason'], message: '减少成员的原因应为死亡、婚出、迁出、分户或其他减少', messageEn: 'removing a member needs a removal reason (death, married out, moved out, household split, other removal)' },
  ]);
}

/** Exactly one active head among the members. @throws AppError VALIDATION_FAILED */
export function checkOneHead(list: { relationToHead: string }[], path: (string | number)[]): void {
  const heads = list.filter((m) => m.relationToHead === HEAD).length;
  if (heads !== 1) {
    const msg = heads === 0 ? '必须有一名户主（与户主关系为“本人或户主”）' : `只能有一名户主，现有 ${heads} 名`;
    const msgEn = heads === 0 ? 'exactly one member must be the head (relation 01)' : `only one head allowed, found ${heads}`;
    throw validationError([{ path, message: msg, messageEn: msgEn }]);
  }
}

// ---------------------------------------------------------------------------------------------
// Views

function memberDto(m: q.MemberRow, full: boolean, today: string): MemberDto {
  return {
    id: m.id,
    name: m.name,
    sex: m.sex,
    idType: m.idType,
    idNumber: full ? m.idNumber : (maskIdNumber(m.idNumber) ?? ''),
    birthDate: m.birthDate,
    age: ageOn(m.birthDate, m.deceasedDate ?? today),
    relationToHead: m.relationToHead,
    ethnicity: m.ethnicity,
    politicalStatus: m.politicalStatus,
    education: m.education,
    schooling: m.schooling,
    health: m.health,
    diseaseName: m.diseaseName,
    disabilityCategory: m.disabilityCategory,
    disabilityGrade: m.disabilityGrade,
    labourAbility: m.labourAbility,
    employment: m.employment,
    monthsWorked: m.monthsWorked,
    medicalInsurance: m.medicalInsurance,
    seriousIllnessInsurance: m.seriousIllnessInsurance,
    pensionInsurance: m.pensionInsurance,
    minimumLiving: m.minimumLiving,
    extremeHardship: m.extremeHardship,
    activeMilitary: m.activeMilitary,
    phone: full ? m.phone : maskPhone(m.phone),
    alive: m.alive,
    deceasedDate: m.deceasedDate,
    status: m.status as 'active' | 'removed',
    changeReason: m.changeReason,
    changeNote: m.changeNote,
  };
}

function incomeDto(r: q.IncomeRow): IncomeDto {
  return {
    year: r.year,
    wageIncome: r.wageIncome,
    productionIncome: r.productionIncome,
    propertyIncome: r.propertyIncome,
    transferIncome: r.transferIncome,
    productionCosts: r.productionCosts,
    netIncome: r.netIncome,
    memberCount: r.memberCount,
    perCapitaNetIncome: r.perCapitaNetIncome,
  };
}

/** Names of the village, its township and the full path, for display. */
async function areaNames(db: DbOrTx, code: string): Promise<{ full: string; village: string; township: string }> {
  const n = (await loadAreaNames(db, [code])).get(code)!;
  return { full: n.full, village: n.name, township: n.township };
}

/** The snapshot kept in the history: the whole household as stored. */
interface Snapshot {
  household: q.HouseholdRow;
  members: q.MemberRow[];
  incomes: q.IncomeRow[];
}

async function loadSnapshot(db: DbOrTx, h: q.HouseholdRow): Promise<Snapshot> {
  const [ms, incomes] = await Promise.all([q.selectMembers(db, h.id), q.selectIncomes(db, h.id)]);
  return { household: h, members: ms, incomes };
}

function revive(s: Snapshot): Snapshot {
  // JSON turned dates into strings; the views only need them as dates again.
  const h = s.household as unknown as Record<string, unknown>;
  for (const k of ['createdAt', 'updatedAt']) h[k] = new Date(h[k] as string);
  return s;
}

async function toDto(db: DbOrTx, s: Snapshot, full: boolean, asOfYear: number | null): Promise<HouseholdDto> {
  const h = s.household;
  const today = todayCst();
  const names = await areaNames(db, h.areaCode);
  const active = s.members.filter((m) => m.status === 'active');
  const warnings: Warning[] = active.flatMap((m) => memberWarnings(m, today, s.members.indexOf(m)));
  return {
    id: h.id,
    householdNo: h.householdNo,
    areaCode: h.areaCode,
    areaFullName: names.full,
    villageName: names.village,
    townshipName: names.township,
    groupName: h.groupName,
    address: h.address,
    householdType: h.householdType,
    identificationStandard: h.identificationStandard,
    povertyAttribute: h.povertyAttribute,
    mainPovertyCause: h.mainPovertyCause,
    otherPovertyCauses: h.otherPovertyCauses,
    status: h.status,
    identificationYear: h.identificationYear,
    headName: h.headName,
    memberCount: h.memberCount,
    latestIncomeYear: h.latestIncomeYear,
    latestPerCapitaNetIncome: h.latestPerCapitaNetIncome,
    phone: full ? h.phone : maskPhone(h.phone),
    bankName: h.bankName,
    bankAccount: full ? h.bankAccount : h.bankAccount ? `****${h.bankAccount.slice(-4)}` : null,
    housingArea: h.housingArea,
    housingStructure: h.housingStructure,
    housingDangerGrade: h.housingDangerGrade,
    housingRenovated: h.housingRenovated,
    safeDrinkingWater: h.safeDrinkingWater,
    drinkingWaterDifficulty: h.drinkingWaterDifficulty,
    cultivatedLand: h.cultivatedLand,
    forestLand: h.forestLand,
    relocated: h.relocated,
    relocationType: h.relocationType,
    reservoirMigrant: h.reservoirMigrant,
    militaryFamily: h.militaryFamily,
    active: h.active,
    removedReason: h.removedReason,
    version: h.version,
    createdAt: new Date(h.createdAt).toISOString(),
    updatedAt: new Date(h.updatedAt).toISOString(),
    members: s.members.map((m) => memberDto(m, full, today)),
    incomes: s.incomes.map(incomeDto),
    full,
    warnings,
    asOfYear,
  };
}

// ---------------------------------------------------------------------------------------------
// Writes

function householdValues(f: Partial<HouseholdFieldValues>): Partial<q.HouseholdInsert> {
  const out: Partial<q.HouseholdInsert> = {};
  for (const [k, v] of Object.entries(f)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

export function checkCauses(f: Partial<HouseholdFieldValues>, current?: q.HouseholdRow): void {
  const main = f.mainPovertyCause === undefined ? current?.mainPovertyCause : f.mainPovertyCause;
  const others = f.otherPovertyCauses ?? current?.otherPovertyCauses ?? [];
  const type = f.householdType ?? current?.householdType;
  const issues: FieldIssue[] = [];
  if (type === 'registeredPoor' && !main) {
    issues.push({ path: ['mainPovertyCause'], message: '建档立卡贫困户必须填写主要致贫原因（一项）', messageEn: 'a registered poor household needs exactly one main cause' });
  }
  if (main && others.includes(main)) {
    issues.push({ path: ['otherPovertyCauses'], message: '其他致贫原因不能与主要致贫原因相同', messageEn: 'other causes must differ from the main cause' });
  }
  if (new Set(others).size !== others.length) issues.push({ path: ['otherPovertyCauses'], message: '其他致贫原因重复', messageEn: 'other causes repeat' });
  if (issues.length) throw validationError(issues);
}

/** Turns a person_identities conflict into a refusal naming the member and the other household. */
async function identityConflict(db: Db, ids: { idNumber: string; path: (string | number)[]; name: string }[], ownHouseholdId?: string): Promise<AppError | null> {
  const owners = await q.selectIdentityOwners(db, ids.map((i) => i.idNumber));
  const clash = owners.filter((o) => o.householdId !== ownHouseholdId);
  if (clash.length === 0) return null;
  const issues = await Promise.all(
    clash.map(async (o) => {
      const m = ids.find((i) => i.idNumber === o.idNumber)!;
      const place = (await areaNames(db, o.areaCode)).village;
      const masked = maskIdNumber(o.idNumber);
      return {
        path: m.path,
        message: `${m.name}：证件号码 ${masked} 已登记为${place}户主${o.headName}家（户编号 ${o.householdNo}）的成员${o.memberName}，一人只能属于一户`,
        messageEn: `${m.name}: ID number ${masked} is already registered to ${o.memberName}, a member of ${o.headName}'s household in ${place} (No. ${o.householdNo}); a person belongs to one household only`,
      };
    }),
  );
  return new AppError('CONFLICT', issues.map((i) => i.message).join('；'), issues.map((i) => i.messageEn).join('; '), { issues });
}

export function memberRow(householdId: string, m: CheckedMember, reason?: string | null, note?: string | null): q.MemberInsert {
  return {
    householdId,
    name: m.name,
    sex: m.sex,
    idType: m.idType,
    idNumber: m.idNumber,
    birthDate: m.birthDate,
    relationToHead: m.relationToHead,
    ethnicity: m.ethnicity ?? null,
    politicalStatus: m.politicalStatus ?? null,
    education: m.education ?? null,
    schooling: m.schooling ?? null,
    health: m.health ?? null,
    diseaseName: m.diseaseName ?? null,
    disabilityCategory: m.disabilityCategory ?? null,
    disabilityGrade: m.disabilityGrade ?? null,
    labourAbility: m.labourAbility ?? null,
    employment: m.employment ?? null,
    monthsWorked: m.monthsWorked ?? null,
    medicalInsurance: m.medicalInsurance,
    seriousIllnessInsurance: m.seriousIllnessInsurance,
    pensionInsurance: m.pensionInsurance,
    minimumLiving: m.minimumLiving,
    extremeHardship: m.extremeHardship,
    activeMilitary: m.activeMilitary,
    phone: m.phone ?? null,
    alive: m.alive,
    deceasedDate: m.deceasedDate ?? null,
    status: 'active',
    changeReason: reason ?? null,
    changeNote: note ?? null,
  };
}

/** Recomputes the list columns from the active members and stores a history version. */
async function finishChange(tx: DbOrTx, actor: Actor, h: q.HouseholdRow, change: string, fields: string[], reason: string | null | undefined): Promise<Snapshot> {
  const ms = await q.selectMembers(tx, h.id);
  const active = ms.filter((m) => m.status === 'active');
  checkOneHead(active, ['members']);
  const head = active.find((m) => m.relationToHead === HEAD)!;
  let current = h;
  if (head.name !== h.headName || active.length !== h.memberCount) {
    const [r] = await tx
      .update(q.households)
      .set({ headName: head.name, memberCount: active.length })
      .where(q.eqId(h.id))
      .returning();
    current = r!;
  }
  const snap: Snapshot = { household: current, members: ms, incomes: await q.selectIncomes(tx, h.id) };
  await q.insertVersion(tx, {
    householdId: h.id,
    version: current.version,
    snapshot: snap as never,
    change,
    changedFields: fields,
    reason: reason ?? null,
    changedBy: actor.id,
    changedByName: actor.displayName || actor.username,
  });
  return snap;
}

function staleError(currentDto: HouseholdDto): AppError {
  return new AppError('STALE_EDIT', '该户信息已被他人修改，未保存您的更改。请查看最新内容后重新修改', 'Someone else changed this household since you opened it; nothing of yours was saved. Review the current data and edit again', {
    currentVersion: currentDto.version,
    current: currentDto,
  });
}

/** Loads a household for a write: in scope, active, at the expected version (row-locked). */
async function loadForWrite(tx: DbOrTx, actor: Actor, id: string, action: string, version: number): Promise<q.HouseholdRow> {
  const h = await q.selectHousehold(tx, id, true);
  if (!h) throw notFound(LABEL.zh, LABEL.en);
  authorize(actor, action, { areaCode: h.areaCode, label: LABEL });
  // The refusal carries the current data masked: a full view is only given (and audited) by a read.
  if (h.version !== version) throw staleError(await toDto(tx, await loadSnapshot(tx, h), false, null));
  if (!h.active) throw new AppError('CONFLICT', '该户已注销，不能修改', 'This household is removed from the registry and cannot be changed');
  if (h.version === 1) await materializeVersion(tx, h.id);
  return h;
}

/**
 * Writes out the snapshot of version 1 of a household registered by an import (left NULL by the
 * import's merge, bulk.ts) from the registry rows, which are that version as long as nothing changed.
 * Called before the first change of a household (row-locked by the caller); a no-op otherwise.
 */
export async function materializeVersion(tx: DbOrTx, householdId: string): Promise<void> {
  const [v] = await tx
    .select({ version: householdVersions.version })
    .from(householdVersions)
    .where(and(eq(householdVersions.householdId, householdId), isNull(householdVersions.snapshot)));
  if (!v) return;
  const h = await q.selectHousehold(tx, householdId);
  const snap = await loadSnapshot(tx, h!);
  await tx
    .update(householdVersions)
    .set({ snapshot: snap as never })
    .where(and(eq(householdVersions.householdId, householdId), eq(householdVersions.version, v.version)));
}

/** Whether a failed write broke the one-active-head index (members_one_head_idx). */
function isSecondHead(e: unknown): boolean {
  const err = e as { constraint?: unknown; cause?: { constraint?: unknown } };
  return pgErrorCode(e) === '23505' && (err?.cause?.constraint ?? err?.constraint) === 'members_one_head_idx';
}

function secondHeadError(path: (string | number)[]): AppError {
  return validationError([{ path, message: '只能有一名户主：该户已有户主，请先将原户主改为其他关系', messageEn: 'only one head allowed: this household has a head; change the current head first' }]);
}

async function mapUniqueViolation<T>(db: Db, run: () => Promise<T>, ids: () => { idNumber: string; path: (string | number)[]; name: string }[], own?: string): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (isSecondHead(e)) throw secondHeadError([...(ids()[0]?.path.slice(0, -1) ?? []), 'relationToHead']);
    if (pgErrorCode(e) === '23505') {
      const c = await identityConflict(db, ids(), own);
      if (c) throw c;
      throw new AppError('CONFLICT', '数据已被同时修改，请重试', 'The data was changed at the same time; please try again');
    }
    throw e;
  }
}

/**
 * Registers a household (建档立卡) with its members and, optionally, an income record, in one
 * transaction. The 户编号 is assigned from the village's sequence.
 * @returns the household as the actor may see it
 * @throws AppError FORBIDDEN, NOT_FOUND (village outside scope), VALIDATION_FAILED (area not a current
 *   village, ID numbers, heads, causes), CONFLICT (a member is active in another household; the
 *   issues name the member and the other household)
 */
export async function registerHousehold(
  db: Db,
  actor: Actor,
  input: HouseholdFieldValues & { members: MemberValues[]; income?: IncomeValues | undefined },
): Promise<HouseholdDto> {
  authorize(actor, HOUSEHOLDS['households.create'], { areaCode: input.areaCode, label: { zh: '村', en: 'Village' } });
  const today = todayCst();
  const checked = checkMembers(input.members, (i) => ['members', i], today);
  checkOneHead(checked, ['members']);
  checkCauses(input);
  const area = await loadArea(db, input.areaCode);
  if (!area || area.validTo !== null || levelOfCode(input.areaCode) !== 'village') {
    throw validationError([{ path: ['areaCode'], message: '应选择一个现行的村（社区）', messageEn: 'choose a current village' }]);
  }
  const head = checked.find((m) => m.relationToHead === HEAD)!;
  const { members: _m, income, ...fields } = input;
  const snap = await mapUniqueViolation(
    db,
    () =>
      db.transaction(async (tx) => {
        const seq = await q.nextHouseholdSeq(tx, input.areaCode);
        const h = await q.insertHousehold(tx, {
          ...(householdValues(fields) as q.HouseholdInsert),
          householdNo: formatHouseholdNo(input.areaCode, seq),
          headName: head.name,
          memberCount: checked.length,
          createdBy: actor.id,
          updatedBy: actor.id,
        });
        const rows = await q.insertMembers(tx, checked.map((m) => memberRow(h.id, m, 'registration')));
        await q.insertIdentities(tx, rows.map((r) => ({ idNumber: r.idNumber, householdId: h.id, memberId: r.id })));
        let current = h;
        if (income) current = await writeIncome(tx, h, income, checked.length);
        const s = await finishChange(tx, actor, current, 'household.register', [], null);
        await recordAudit(tx, actor, { action: HOUSEHOLDS['households.create'], targetType: 'household', targetId: h.id, areaCode: h.areaCode, after: auditView(s) });
        return s;
      }),
    () => checked.map((m, i) => ({ idNumber: m.idNumber, path: ['members', i, 'idNumber'], name: m.name })),
  );
  return toDto(db, snap, roleHolds(actor, HOUSEHOLDS['households.read-full']), null);
}

/** The named fields of a row (the changed ones, for the audit log's before and after). */
function pick(row: object, fields: string[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((k) => [k, (row as Record<string, unknown>)[k]]));
}

/** What the audit log keeps of a household change (ID numbers kept; masked for non-admin readers). */
function auditView(s: Snapshot) {
  const { household: h } = s;
  return {
    householdNo: h.householdNo,
    areaCode: h.areaCode,
    householdType: h.householdType,
    status: h.status,
    headName: h.headName,
    memberCount: h.memberCount,
    members: s.members.filter((m) => m.status === 'active').map((m) => ({ name: m.name, idNumber: m.idNumber, relationToHead: m.relationToHead })),
  };
}

async function writeIncome(tx: DbOrTx, h: q.HouseholdRow, income: IncomeValues, memberCount: number): Promise<q.HouseholdRow> {
  const f = deriveIncome(income, memberCount);
  await q.upsertIncome(tx, { householdId: h.id, ...income, ...f });
  if (h.latestIncomeYear === null || income.year >= h.latestIncomeYear) {
    const [r] = await tx.update(q.households).set({ latestIncomeYear: income.year, latestPerCapitaNetIncome: f.perCapitaNetIncome }).where(q.eqId(h.id)).returning();
    return r!;
  }
  return h;
}

/**
 * Edits a household's own fields. Refused with STALE_EDIT (HTTP 409, with the current data in
 * `details.current`) when the household changed since `version`; nothing is overwritten.
 */
export async function updateHousehold(db: Db, actor: Actor, id: string, input: Partial<HouseholdFieldValues> & { version: number; reason?: string | undefined }): Promise<HouseholdDto> {
  const { version, reason, ...fields } = input;
  const snap = await db.transaction(async (tx) => {
    const before = await loadForWrite(tx, actor, id, HOUSEHOLDS['households.update'], version);
    if (fields.areaCode !== undefined && fields.areaCode !== before.areaCode) {
      if (!inScope(actor, fields.areaCode)) throw validationError([{ path: ['areaCode'], message: '该村不在您的管辖范围内', messageEn: 'that village is outside your scope' }]);
      const area = await loadArea(tx, fields.areaCode);
      if (!area || area.validTo !== null || area.level !== 'village') throw validationError([{ path: ['areaCode'], message: '应选择一个现行的村（社区）', messageEn: 'choose a current village' }]);
    }
    checkCauses(fields, before);
    const after = await q.updateHouseholdIfVersion(tx, id, version, { ...householdValues(fields), updatedBy: actor.id });
    if (!after) throw staleError(await toDto(tx, await loadSnapshot(tx, before), false, null));
    const fieldsChanged = changedFields(before, after).filter((k) => !['version', 'updatedAt', 'updatedBy'].includes(k));
    const s = await finishChange(tx, actor, after, 'household.update', fieldsChanged, reason);
    await recordAudit(tx, actor, {
      action: HOUSEHOLDS['households.update'],
      targetType: 'household',
      targetId: id,
      areaCode: after.areaCode,
      before: pick(before, fieldsChanged),
      after: pick(after, fieldsChanged),
    });
    return s;
  });
  return toDto(db, snap, roleHolds(actor, HOUSEHOLDS['households.read-full']), null);
}

/** Adds a member (birth, marriage in, moving in …) with the reason. @throws as registerHousehold, plus STALE_EDIT */
export async function addMember(db: Db, actor: Actor, id: string, input: { member: MemberValues; version: number; reason: string; note?: string | null | undefined }): Promise<HouseholdDto> {
  checkReasonDirection(input.reason, 'added');
  const [m] = checkMembers([input.member], () => ['member'], todayCst());
  const snap = await mapUniqueViolation(
    db,
    () =>
      db.transaction(async (tx) => {
        const h = await loadForWrite(tx, actor, id, HOUSEHOLDS['households.update'], input.version);
        const after = (await q.updateHouseholdIfVersion(tx, id, input.version, { updatedBy: actor.id }))!;
        const [row] = await q.insertMembers(tx, [memberRow(id, m!, input.reason, input.note)]);
        await q.insertIdentities(tx, [{ idNumber: row!.idNumber, householdId: id, memberId: row!.id }]);
        const s = await finishChange(tx, actor, after, 'members.add', [row!.name], `${input.reason}${input.note ? `：${input.note}` : ''}`);
        await recordAudit(tx, actor, { action: 'households.add-member', targetType: 'household', targetId: id, areaCode: h.areaCode, after: { name: row!.name, idNumber: row!.idNumber, relationToHead: row!.relationToHead, reason: input.reason } });
        return s;
      }),
    () => [{ idNumber: m!.idNumber, path: ['member', 'idNumber'], name: m!.name }],
    id,
  );
  return toDto(db, snap, roleHolds(actor, HOUSEHOLDS['households.read-full']), null);
}

/** Corrects a member's data. A changed ID number moves the identity claim in the same transaction. */
export async function updateMember(db: Db, actor: Actor, id: string, memberId: string, input: { member: MemberValues; version: number; reason?: string | undefined }): Promise<HouseholdDto> {
  // A role that sees ID numbers masked sends the masked number back unchanged: keep the stored one.
  let member = input.member;
  if (member.idNumber.includes('*')) {
    const stored = (await q.selectMembers(db, id)).find((x) => x.id === memberId);
    if (stored && maskIdNumber(stored.idNumber) === member.idNumber.trim()) member = { ...member, idNumber: stored.idNumber };
  }
  const [m] = checkMembers([member], () => ['member'], todayCst());
  const snap = await mapUniqueViolation(
    db,
    () =>
      db.transaction(async (tx) => {
        const h = await loadForWrite(tx, actor, id, HOUSEHOLDS['households.update'], input.version);
        const before = (await q.selectMembers(tx, id)).find((x) => x.id === memberId && x.status === 'active');
        if (!before) throw notFound('家庭成员', 'Member');
        const after = (await q.updateHouseholdIfVersion(tx, id, input.version, { updatedBy: actor.id }))!;
        const row = memberRow(id, m!, before.changeReason, before.changeNote);
        const updated = (await q.updateMember(tx, id, memberId, { ...row, householdId: undefined, status: 'active' } as Partial<q.MemberInsert>))!;
        if (before.idNumber !== updated.idNumber) {
          await q.deleteIdentity(tx, before.idNumber, id);
          await q.insertIdentities(tx, [{ idNumber: updated.idNumber, householdId: id, memberId }]);
        }
        const fields = changedFields(before, updated).filter((k) => k !== 'updatedAt');
        const s = await finishChange(tx, actor, after, 'members.update', fields.map((f) => `${updated.name}.${f}`), input.reason);
        await recordAudit(tx, actor, {
          action: 'households.update-member',
          targetType: 'household',
          targetId: id,
          areaCode: h.areaCode,
          before: pick(before, fields),
          after: pick(updated, fields),
        });
        return s;
      }),
    () => [{ idNumber: m!.idNumber, path: ['member', 'idNumber'], name: m!.name }],
    id,
  );
  return toDto(db, snap, roleHolds(actor, HOUSEHOLDS['households.read-full']), null);
}

/**
 * Removes a member (death, marriage out, moving out …) with the reason; the row stays as history and
 * the person's identity is released. The head cannot be removed until another member is made head.
 */
export async function removeMember(db: Db, actor: Actor, id: string, memberId: string, input: { version: number; reason: string; note?: string | null | undefined; deceasedDate?: string | null | undefined }): Promise<HouseholdDto> {
  checkReasonDirection(input.reason, 'removed');
  const snap = await db.transaction(async (tx) => {
    const h = await loadForWrite(tx, actor, id, HOUSEHOLDS['households.update'], input.version);
    const before = (await q.selectMembers(tx, id)).find((x) => x.id === memberId && x.status === 'active');
    if (!before) throw notFound('家庭成员', 'Member');
    if (before.relationToHead === HEAD) {
      throw new AppError('CONFLICT', '不能移除户主：请先将另一名成员设为户主', 'The head cannot be removed: make another member the head first');
    }
    const after = (await q.updateHouseholdIfVersion(tx, id, input.version, { updatedBy: actor.id }))!;
    const dead = findCodeItem('memberChangeReason', input.reason)?.value === 'death' || !!input.deceasedDate;
    await q.updateMember(tx, id, memberId, {
      status: 'removed',
      changeReason: input.reason,
      changeNote: input.note ?? null,
      ...(dead ? { alive: false, deceasedDate: input.deceasedDate ?? before.deceasedDate } : {}),
    });
    await q.deleteIdentity(tx, before.idNumber, id);
    const s = await finishChange(tx, actor, after, 'members.remove', [before.name], `${input.reason}${input.note ? `：${input.note}` : ''}`);
    await recordAudit(tx, actor, { action: 'households.remove-member', targetType: 'household', targetId: id, areaCode: h.areaCode, before: { name: before.name, idNumber: before.idNumber }, after: { reason: input.reason, note: input.note ?? null } });
    return s;
  });
  return toDto(db, snap, roleHolds(actor, HOUSEHOLDS['households.read-full']), null);
}

/**
 * Moves a member to another household (e.g. a son setting up his own household), both households
 * checked at their versions, in one transaction.
 */
export async function moveMember(
  db: Db,
  actor: Actor,
  id: string,
  memberId: string,
  input: { version: number; toHouseholdId: string; toVersion: number; relationToHead: string; reason: string; note?: string | null | undefined },
): Promise<HouseholdDto> {
  if (input.toHouseholdId === id) throw validationError([{ path: ['toHouseholdId'], message: '目标户与原户相同', messageEn: 'the target is the same household' }]);
  // A move's reason is recorded in both households (婚出 from one is 婚入 to the other), so either direction fits.
  const snap = await db.transaction(async (tx) => {
    // Lock both households in a fixed order, so two opposite moves cannot deadlock.
    const [first, second] = [id, input.toHouseholdId].sort();
    await q.selectHousehold(tx, first!, true);
    await q.selectHousehold(tx, second!, true);
    const from = await loadForWrite(tx, actor, id, HOUSEHOLDS['households.update'], input.version);
    const to = await loadForWrite(tx, actor, input.toHouseholdId, HOUSEHOLDS['households.update'], input.toVersion);
    const before = (await q.selectMembers(tx, id)).find((x) => x.id === memberId && x.status === 'active');
    if (!before) throw notFound('家庭成员', 'Member');
    if (before.relationToHead === HEAD) throw new AppError('CONFLICT', '不能迁出户主：请先将另一名成员设为户主', 'The head cannot be moved: make another member the head first');
    const fromAfter = (await q.updateHouseholdIfVersion(tx, id, input.version, { updatedBy: actor.id }))!;
    const toAfter = (await q.updateHouseholdIfVersion(tx, to.id, input.toVersion, { updatedBy: actor.id }))!;
    await q.updateMember(tx, id, memberId, { status: 'removed', changeReason: input.reason, changeNote: `迁入户 ${to.householdNo}${input.note ? `；${input.note}` : ''}` });
    await q.deleteIdentity(tx, before.idNumber, id);
    const { id: _oldId, createdAt: _c, updatedAt: _u, ...rest } = before;
    const [row] = await q.insertMembers(tx, [{ ...rest, householdId: to.id, relationToHead: input.relationToHead, status: 'active', changeReason: input.reason, changeNote: `由户 ${from.householdNo} 迁入` }]);
    await q.insertIdentities(tx, [{ idNumber: row!.idNumber, householdId: to.id, memberId: row!.id }]);
    await finishChange(tx, actor, toAfter, 'members.move-in', [row!.name], `${input.reason}：由户 ${from.householdNo} 迁入`);
    const s = await finishChange(tx, actor, fromAfter, 'members.move-out', [before.name], `${input.reason}：迁入户 ${to.householdNo}`);
    await recordAudit(tx, actor, { action: 'households.move-member', targetType: 'household', targetId: id, areaCode: from.areaCode, before: { household: from.householdNo, name: before.name }, after: { household: to.householdNo, relationToHead: input.relationToHead, reason: input.reason } });
    return s;
  }).catch((e: unknown) => {
    throw isSecondHead(e) ? secondHeadError(['relationToHead']) : e;
  });
  return toDto(db, snap, roleHolds(actor, HOUSEHOLDS['households.read-full']), null);
}

/** Records (or corrects) the income of a year; net and per-capita figures are derived and checked by the database. */
export async function setIncome(db: Db, actor: Actor, id: string, input: IncomeValues & { version: number }): Promise<HouseholdDto> {
  const { version, ...income } = input;
  const snap = await db.transaction(async (tx) => {
    const h = await loadForWrite(tx, actor, id, HOUSEHOLDS['households.update'], version);
    const after = (await q.updateHouseholdIfVersion(tx, id, version, { updatedBy: actor.id }))!;
    const withIncome = await writeIncome(tx, after, income, h.memberCount);
    const s = await finishChange(tx, actor, withIncome, 'income.set', [`income.${income.year}`], null);
    await recordAudit(tx, actor, { action: 'households.set-income', targetType: 'household', targetId: id, areaCode: h.areaCode, after: { ...income, ...deriveIncome(income, h.memberCount) } });
    return s;
  });
  return toDto(db, snap, roleHolds(actor, HOUSEHOLDS['households.read-full']), null);
}

/** Removes a household from the registry (注销) with a reason; members' identities are released; the rows stay. */
export async function removeHousehold(db: Db, actor: Actor, id: string, input: { version: number; reason: string }): Promise<HouseholdDto> {
  const snap = await db.transaction(async (tx) => {
    const h = await loadForWrite(tx, actor, id, HOUSEHOLDS['households.remove'], input.version);
    const after = (await q.updateHouseholdIfVersion(tx, id, input.version, { active: false, removedReason: input.reason, updatedBy: actor.id }))!;
    await q.deleteIdentitiesOfHousehold(tx, id);
    const s: Snapshot = { household: after, members: await q.selectMembers(tx, id), incomes: await q.selectIncomes(tx, id) };
    await q.insertVersion(tx, { householdId: id, version: after.version, snapshot: s as never, change: 'household.remove', changedFields: ['active'], reason: input.reason, changedBy: actor.id, changedByName: actor.displayName || actor.username });
    await recordAudit(tx, actor, { action: HOUSEHOLDS['households.remove'], targetType: 'household', targetId: id, areaCode: h.areaCode, after: { reason: input.reason } });
    return s;
  });
  return toDto(db, snap, roleHolds(actor, HOUSEHOLDS['households.read-full']), null);
}

/**
 * Splits a household (分户): the chosen active members leave it and form a new household in the same
 * village, with the next 户编号 of the village, one of them as its head. The new household copies the
 * source's household fields (type, status, causes, address …; `groupName` may be given). Both households
 * get a history version; one transaction. Source: REFERENCE §2.3 (自然增减: family split; 拆户).
 * @param input.members the members who leave, each with their relation to the new head (exactly one 'head');
 *   the source's own head stays and at least that one member remains
 * @returns the source household and the new one, as the actor may see them
 * @throws AppError NOT_FOUND (household or a member absent or outside scope), STALE_EDIT, CONFLICT (removed
 *   household; the source's head chosen), VALIDATION_FAILED (no member, not exactly one new head)
 */
export async function splitHousehold(
  db: Db,
  actor: Actor,
  id: string,
  input: { version: number; members: { memberId: string; relationToHead: string }[]; groupName?: string | null | undefined; reason?: string | null | undefined },
): Promise<{ from: HouseholdDto; created: HouseholdDto }> {
  if (input.members.length === 0) throw validationError([{ path: ['members'], message: '请选择分出的成员', messageEn: 'choose the members who leave' }]);
  checkOneHead(input.members, ['members']);
  if (new Set(input.members.map((m) => m.memberId)).size !== input.members.length) {
    throw validationError([{ path: ['members'], message: '成员重复', messageEn: 'a member is listed twice' }]);
  }
  const { from, created } = await db
    .transaction(async (tx) => {
      const h = await loadForWrite(tx, actor, id, HOUSEHOLDS['households.update'], input.version);
      authorize(actor, HOUSEHOLDS['households.create'], { areaCode: h.areaCode, label: LABEL });
      const active = (await q.selectMembers(tx, id)).filter((m) => m.status === 'active');
      const leaving = input.members.map((c, i) => {
        const m = active.find((x) => x.id === c.memberId);
        if (!m) throw notFound('家庭成员', 'Member', { path: ['members', i, 'memberId'] });
        if (m.relationToHead === HEAD) throw new AppError('CONFLICT', '户主不能分出：请先将另一名成员设为户主', 'The head cannot leave in a split: make another member the head first');
        return { row: m, relationToHead: c.relationToHead };
      });
      const reason = input.reason?.trim() || null;
      const seq = await q.nextHouseholdSeq(tx, h.areaCode);
      const head = leaving.find((l) => l.relationToHead === HEAD)!;
      const { id: _hid, householdNo: _no, createdAt: _c, updatedAt: _u, version: _v, ...fields } = h;
      const nh = await q.insertHousehold(tx, {
        ...fields,
        householdNo: formatHouseholdNo(h.areaCode, seq),
        groupName: input.groupName === undefined ? h.groupName : input.groupName,
        headName: head.row.name,
        memberCount: leaving.length,
        latestIncomeYear: null,
        latestPerCapitaNetIncome: null,
        createdBy: actor.id,
        updatedBy: actor.id,
      });
      const fromAfter = (await q.updateHouseholdIfVersion(tx, id, input.version, { updatedBy: actor.id }))!;
      for (const l of leaving) {
        await q.updateMember(tx, id, l.row.id, { status: 'removed', changeReason: 'householdSplit', changeNote: `分户至户 ${nh.householdNo}${reason ? `；${reason}` : ''}` });
        await q.deleteIdentity(tx, l.row.idNumber, id);
      }
      const rows = await q.insertMembers(
        tx,
        leaving.map(({ row, relationToHead }) => {
          const { id: _mid, createdAt: _mc, updatedAt: _mu, ...rest } = row;
          return { ...rest, householdId: nh.id, relationToHead, status: 'active', changeReason: 'householdSplit', changeNote: `由户 ${h.householdNo} 分户` };
        }),
      );
      await q.insertIdentities(tx, rows.map((r) => ({ idNumber: r.idNumber, householdId: nh.id, memberId: r.id })));
      const names = leaving.map((l) => l.row.name);
      const created = await finishChange(tx, actor, nh, 'household.split-from', names, `分户：由户 ${h.householdNo} 分出${reason ? `；${reason}` : ''}`);
      const from = await finishChange(tx, actor, fromAfter, 'household.split', names, `分户：分出户 ${nh.householdNo}${reason ? `；${reason}` : ''}`);
      await recordAudit(tx, actor, {
        action: 'households.split',
        targetType: 'household',
        targetId: id,
        areaCode: h.areaCode,
        before: { householdNo: h.householdNo, memberCount: h.memberCount },
        after: { householdNo: h.householdNo, newHouseholdId: nh.id, newHouseholdNo: nh.householdNo, members: names, reason },
      });
      return { from, created };
    })
    .catch((e: unknown) => {
      throw isSecondHead(e) ? secondHeadError(['members']) : e;
    });
  const full = roleHolds(actor, HOUSEHOLDS['households.read-full']);
  return { from: await toDto(db, from, full, null), created: await toDto(db, created, full, null) };
}

/**
 * Merges a household into another (并户): every active member of `id` moves into `intoId` (with the
 * relation to its head given per member, default 'other'), and the emptied household is removed from
 * the registry (注销) with the reason; its rows stay. Both households get a history version; one
 * transaction. Source: REFERENCE §2.3 (并户 poor_merge in the Guangdong platform).
 * @returns the household merged into, as the actor may see it
 * @throws AppError NOT_FOUND, STALE_EDIT (either household), CONFLICT (removed household), VALIDATION_FAILED
 *   (same household, no reason, a relation naming a second head)
 */
export async function mergeHouseholds(
  db: Db,
  actor: Actor,
  id: string,
  input: { version: number; intoHouseholdId: string; intoVersion: number; relations?: { memberId: string; relationToHead: string }[] | undefined; reason: string },
): Promise<HouseholdDto> {
  if (input.intoHouseholdId === id) throw validationError([{ path: ['intoHouseholdId'], message: '并入户与原户相同', messageEn: 'the household cannot merge into itself' }]);
  const reason = input.reason.trim();
  if (!reason) throw validationError([{ path: ['reason'], message: '请填写并户原因', messageEn: 'give the reason of the merge' }]);
  const snap = await db
    .transaction(async (tx) => {
      const [first, second] = [id, input.intoHouseholdId].sort();
      await q.selectHousehold(tx, first!, true);
      await q.selectHousehold(tx, second!, true);
      const from = await loadForWrite(tx, actor, id, HOUSEHOLDS['households.update'], input.version);
      const into = await loadForWrite(tx, actor, input.intoHouseholdId, HOUSEHOLDS['households.update'], input.intoVersion);
      const moving = (await q.selectMembers(tx, id)).filter((m) => m.status === 'active');
      const relationOf = new Map((input.relations ?? []).map((r) => [r.memberId, r.relationToHead]));
      const intoAfter = (await q.updateHouseholdIfVersion(tx, into.id, input.intoVersion, { updatedBy: actor.id }))!;
      for (const m of moving) {
        await q.updateMember(tx, id, m.id, { status: 'removed', changeReason: 'moveOut', changeNote: `并入户 ${into.householdNo}` });
        await q.deleteIdentity(tx, m.idNumber, id);
      }
      const rows = await q.insertMembers(
        tx,
        moving.map((m) => {
          const { id: _mid, createdAt: _mc, updatedAt: _mu, ...rest } = m;
          return { ...rest, householdId: into.id, relationToHead: relationOf.get(m.id) ?? 'other', status: 'active', changeReason: 'moveIn', changeNote: `由户 ${from.householdNo} 并入` };
        }),
      );
      await q.insertIdentities(tx, rows.map((r) => ({ idNumber: r.idNumber, householdId: into.id, memberId: r.id })));
      const names = moving.map((m) => m.name);
      const s = await finishChange(tx, actor, intoAfter, 'household.merge-in', names, `并户：户 ${from.householdNo} 并入；${reason}`);
      const fromAfter = (await q.updateHouseholdIfVersion(tx, id, input.version, { active: false, removedReason: `并入户 ${into.householdNo}：${reason}`, updatedBy: actor.id }))!;
      const fromSnap: Snapshot = { household: fromAfter, members: await q.selectMembers(tx, id), incomes: await q.selectIncomes(tx, id) };
      await q.insertVersion(tx, { householdId: id, version: fromAfter.version, snapshot: fromSnap as never, change: 'household.merge', changedFields: ['active', ...names], reason: `并入户 ${into.householdNo}：${reason}`, changedBy: actor.id, changedByName: actor.displayName || actor.username });
      await recordAudit(tx, actor, {
        action: 'households.merge',
        targetType: 'household',
        targetId: id,
        areaCode: from.areaCode,
        before: { householdNo: from.householdNo, members: names },
        after: { intoHouseholdId: into.id, intoHouseholdNo: into.householdNo, reason },
      });
      return s;
    })
    .catch((e: unknown) => {
      throw isSecondHead(e) ? secondHeadError(['relations']) : e;
    });
  return toDto(db, snap, roleHolds(actor, HOUSEHOLDS['households.read-full']), null);
}

// ---------------------------------------------------------------------------------------------
// Reads

/**
 * Reads one household. With `full`, ID numbers, phones and the bank account are shown in full — only
 * for roles holding `households.read-full` — and the view is recorded in the audit log.
 * With `asOfYear`, the household is shown as it stood at the end of that registry year (归属年度).
 * @throws AppError NOT_FOUND (absent, or outside scope, or not yet registered at the end of asOfYear), FORBIDDEN
 */
export async function getHousehold(db: Db, actor: Actor, id: string, opts: { full?: boolean; asOfYear?: number | undefined } = {}): Promise<HouseholdDto> {
  const h = await q.selectHousehold(db, id);
  if (!h) throw notFound(LABEL.zh, LABEL.en);
  authorize(actor, HOUSEHOLDS['households.read'], { areaCode: h.areaCode, label: LABEL });
  if (opts.full) authorize(actor, HOUSEHOLDS['households.read-full']);
  let snap: Snapshot;
  if (opts.asOfYear !== undefined) {
    const v = await q.selectVersionAsOf(db, id, endOfRegistryYear(opts.asOfYear));
    if (!v) throw notFound(`${opts.asOfYear} 年底的该户记录`, `This household at the end of ${opts.asOfYear}`);
    // No snapshot: version 1 of an imported household, unchanged since — the current rows.
    snap = v.snapshot === null ? await loadSnapshot(db, h) : revive(v.snapshot as Snapshot);
  } else {
    snap = await loadSnapshot(db, h);
  }
  if (opts.full) {
    await db.transaction((tx) =>
      recordAudit(tx, actor, { action: HOUSEHOLDS['households.read-full'], targetType: 'household', targetId: id, areaCode: h.areaCode, after: opts.asOfYear ? { asOfYear: opts.asOfYear } : undefined }),
    );
  }
  return toDto(db, snap, !!opts.full, opts.asOfYear ?? null);
}

/** The change list of a household, newest first: who changed what, when and why. */
export async function findHouseholdHistory(db: DbOrTx, actor: Actor, id: string) {
  const h = await q.selectHousehold(db, id);
  if (!h) throw notFound(LABEL.zh, LABEL.en);
  authorize(actor, HOUSEHOLDS['households.read'], { areaCode: h.areaCode, label: LABEL });
  const versions = await q.selectVersions(db, id);
  return versions.map((v) => ({
    version: v.version,
    change: v.change,
    changedFields: v.changedFields,
    reason: v.reason,
    changedAt: v.changedAt.toISOString(),
    changedByName: v.changedByName,
    year: Number(todayCst(v.changedAt).slice(0, 4)),
  }));
}

/**
 * The filtered, sorted, paged household list of the actor's scope. ID numbers and phones are masked
 * for every role.
 */
export async function findHouseholds(db: DbOrTx, actor: Actor, query: HouseholdListQuery): Promise<Page<HouseholdListItem>> {
  authorize(actor, HOUSEHOLDS['households.read']);
  if (query.areaCode && !inScope(actor, query.areaCode)) throw notFound('区划', 'Area');
  let idSearch: string | null = null;
  if (query.q) {
    const r = validateIdNumber(query.q);
    if (r.ok) idSearch = r.idNumber;
  }
  const { rows, total } = await q.selectHouseholdPage(db, scopePattern(actor), query, idSearch);
  const names = await loadAreaNames(db, [...new Set(rows.map((r) => r.h.areaCode))]);
  const items: HouseholdListItem[] = [];
  for (const { h, headIdNumber } of rows) {
    const a = names.get(h.areaCode)!;
    const n = { full: a.full, village: a.name, township: a.township };
    items.push({
      id: h.id,
      householdNo: h.householdNo,
      areaCode: h.areaCode,
      areaFullName: n.full,
      villageName: n.village,
      townshipName: n.township,
      groupName: h.groupName,
      householdType: h.householdType,
      povertyAttribute: h.povertyAttribute,
      mainPovertyCause: h.mainPovertyCause,
      otherPovertyCauses: h.otherPovertyCauses,
      status: h.status,
      identificationYear: h.identificationYear,
      headName: h.headName,
      headIdNumber: maskIdNumber(headIdNumber),
      memberCount: h.memberCount,
      latestIncomeYear: h.latestIncomeYear,
      latestPerCapitaNetIncome: h.latestPerCapitaNetIncome,
      phone: maskPhone(h.phone),
      active: h.active,
      version: h.version,
      updatedAt: h.updatedAt.toISOString(),
    });
  }
  return { items, total, page: query.page, pageSize: query.pageSize };
}

/** A township archive (乡有档): each village of the township with its register's counts. */
export async function getTownshipArchive(db: DbOrTx, actor: Actor, townshipCode: string): Promise<ArchiveDto> {
  authorize(actor, HOUSEHOLDS['households.read'], { areaCode: townshipCode, label: { zh: '乡镇', en: 'Township' } });
  const t = await loadArea(db, townshipCode);
  if (!t || t.level !== 'township') throw notFound('乡镇', 'Township');
  const villages = await findChildAreas(db, actor, townshipCode);
  const counts = new Map((await q.selectVillageCounts(db, scopePrefix(townshipCode))).map((c) => [c.areaCode, c]));
  const rows = villages.map((v) => {
    const c = counts.get(v.code);
    return {
      code: v.code,
      name: v.name,
      households: Number(c?.households ?? 0),
      persons: Number(c?.persons ?? 0),
      registeredPoorHouseholds: Number(c?.registeredPoor ?? 0),
      notExitedHouseholds: Number(c?.notExited ?? 0),
      poorVillageYears: v.poorVillageYears,
    };
  });
  const sum = (k: 'households' | 'persons' | 'registeredPoorHouseholds' | 'notExitedHouseholds') => rows.reduce((s, r) => s + r[k], 0);
  return {
    township: { code: t.code, name: t.name, fullName: (await areaNames(db, t.code)).full },
    villages: rows,
    totals: { households: sum('households'), persons: sum('persons'), registeredPoorHouseholds: sum('registeredPoorHouseholds'), notExitedHouseholds: sum('notExitedHouseholds') },
  };
}

/**
 * People who may be registered twice: active members in different households with the same name and
 * birth date, or with ID numbers one digit apart (the check character aside). ID numbers are masked.
 */
export async function findDuplicateCandidates(db: DbOrTx, actor: Actor, limit = 200) {
  authorize(actor, HOUSEHOLDS['households.duplicates']);
  const { sameName, nearId } = await q.selectDuplicateCandidates(db, scopePattern(actor), limit);
  type Pair = { a: q.DuplicatePerson; b: q.DuplicatePerson };
  const mask = (p: q.DuplicatePerson) => ({ ...p, idNumber: maskIdNumber(p.idNumber) ?? '' });
  const out = [
    ...rowsOf<Pair>(sameName).map((p) => ({ kind: 'sameNameAndBirthDate' as const, a: mask(p.a), b: mask(p.b) })),
    ...rowsOf<Pair>(nearId)
      // Compared without the check character, which differs whenever one digit does.
      .filter((p) => p.a.householdId !== p.b.householdId && differByOneCharacter(p.a.idNumber.slice(0, 17), p.b.idNumber.slice(0, 17)))
      .map((p) => ({ kind: 'idNumberOneCharacterApart' as const, a: mask(p.a), b: mask(p.b) })),
  ];
  return out.slice(0, limit);
}
