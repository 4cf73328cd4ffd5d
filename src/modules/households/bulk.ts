/**
 * Bulk registration and update for imports (exchange): the registry's own rules applied to many
 * households at once, and the registry's tables written fast.
 *
 * The import (src/modules/exchange/import.ts) reads and groups a file, then calls, in order:
 * `checkImportedHousehold` (each new household: the registration rules of service.ts),
 * `findImportMatches` + `loadHouseholdsForImport` + `diffImportedHousehold` (households already in the
 * registry), `HouseholdNumbering` (户编号 for new ones), and an `ImportWriter` (openImportWriter): batches
 * loaded as households are checked, then ONE transaction with `applyImportedChanges` and the audit.
 * A crash before the commit leaves the registry as it was (PostgreSQL rolls the open transaction
 * back; on PGlite the staging rows of that stage id are dropped when the import runs again).
 */
import { randomUUID } from 'node:crypto';
import { getTableColumns, inArray, sql, type Table } from 'drizzle-orm';
import { AppError, type FieldIssue } from '../../shared/errors.ts';
import { type Actor } from '../../platform/auth.ts';
import { pgTextArray, rowsOf, type Db, type DbOrTx } from '../../platform/db.ts';
import { copyInto, copyLine, openTransaction, type CopyValue } from '../../platform/copy.ts';
import { householdFields, memberInput, type HouseholdFieldValues, type MemberInput, type MemberValues } from './contract.ts';
import * as q from './queries.ts';
import { formatHouseholdNo } from './rules.ts';
import { householdNoCounters, households, householdVersions, members, personIdentities } from './schema.ts';
import { checkCauses, checkMembers, materializeVersion, memberRow, type CheckedMember } from './service.ts';

const HEAD = q.HEAD_RELATION;

/** A household as an import read it: only the fields the file gives (blank cells left out). */
export interface ImportedHousehold {
  /** 户编号 as the file gives it, or null. */
  householdNo: string | null;
  /** The village, resolved from the file's names or code (12 digits). */
  areaCode: string;
  /** Household fields (householdFields keys except areaCode) present in the file. */
  fields: Record<string, unknown>;
  /** Members in file order, with the values present in the file (sex, idType, birthDate derived from the ID number). */
  members: Partial<MemberInput>[];
}

/** A refusal of an imported household: `member` is the index in `members` (null: the household's own field). */
export interface ImportIssue {
  member: number | null;
  field: string;
  message: string;
  messageEn: string;
}

function issuesOf(e: unknown): FieldIssue[] {
  if (e instanceof AppError && Array.isArray(e.details?.issues)) return e.details.issues;
  throw e;
}

function toImportIssue(i: FieldIssue): ImportIssue {
  const [a, b, c] = i.path;
  if (a === 'members' && typeof b === 'number') return { member: b, field: String(c ?? ''), message: i.message, messageEn: i.messageEn };
  return { member: null, field: String(a ?? ''), message: i.message, messageEn: i.messageEn };
}

function zodIssues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }, prefix: (string | number)[]): FieldIssue[] {
  return error.issues.map((i) => {
    const [zh, en] = i.message.split(' · ');
    return { path: [...prefix, ...i.path.map((p) => (typeof p === 'number' ? p : String(p)))], message: zh ?? i.message, messageEn: en ?? zh ?? i.message };
  });
}

/** A new household that passed the registration rules. */
export interface CheckedHousehold {
  fields: HouseholdFieldValues;
  members: CheckedMember[];
}

/**
 * Applies the registration rules of `registerHousehold` to an imported household: the household's
 * fields (householdFields), each member (memberInput; GB 11643-1999 ID number against sex and birth
 * date; no number twice), exactly one head, the poverty causes.
 * @param today YYYY-MM-DD (China Standard Time)
 * @returns the household ready to stage, or the issues (never throws for bad data)
 */
export function checkImportedHousehold(h: ImportedHousehold, today: string): { ok: true; value: CheckedHousehold } | { ok: false; issues: ImportIssue[] } {
  const issues: FieldIssue[] = [];
  const f = householdFields.safeParse({ ...h.fields, areaCode: h.areaCode });
  if (!f.success) issues.push(...zodIssues(f.error, []));
  const parsed: MemberValues[] = [];
  h.members.forEach((m, i) => {
    const r = memberInput.safeParse(m);
    if (r.success) parsed.push(r.data);
    else issues.push(...zodIssues(r.error, ['members', i]));
  });
  if (issues.length > 0 || !f.success) return { ok: false, issues: issues.map(toImportIssue) };
  let checked: CheckedMember[];
  try {
    checked = checkMembers(parsed, (i) => ['members', i], today);
    checkCauses(f.data);
  } catch (e) {
    return { ok: false, issues: issuesOf(e).map(toImportIssue) };
  }
  const heads = checked.filter((m) => m.relationToHead === HEAD).length;
  if (heads !== 1) return { ok: false, issues: [{ member: null, field: 'relationToHead', message: '必须有且只有一名户主', messageEn: 'exactly one member must be the head' }] };
  return { ok: true, value: { fields: f.data, members: checked } };
}

// ---------------------------------------------------------------------------------------------
// Matching

export interface IdentityMatch {
  idNumber: string;
  householdId: string;
  householdNo: string;
  areaCode: string;
}
export interface HouseholdNoMatch {
  id: string;
  householdNo: string;
  areaCode: string;
  active: boolean;
}

/**
 * Finds the registry's current holders of these ID numbers (person_identities: active memberships)
 * and the households with these 户编号 (removed ones included), 5,000 per query.
 */
export async function findImportMatches(db: DbOrTx, idNumbers: readonly string[], householdNos: readonly string[]): Promise<{ byId: Map<string, IdentityMatch>; byNo: Map<string, HouseholdNoMatch> }> {
  const byId = new Map<string, IdentityMatch>();
  const byNo = new Map<string, HouseholdNoMatch>();
  for (let i = 0; i < idNumbers.length; i += 5000) {
    const part = pgTextArray(idNumbers.slice(i, i + 5000));
    const rows = rowsOf<IdentityMatch>(
      await db.execute(sql`
        SELECT p.id_number AS "idNumber", p.household_id AS "householdId", h.household_no AS "householdNo", h.area_code AS "areaCode"
          FROM ${personIdentities} p JOIN ${households} h ON h.id = p.household_id
         WHERE p.id_number = ANY(${part}::text[])`),
    );
    for (const r of rows) byId.set(r.idNumber, r);
  }
  for (let i = 0; i < householdNos.length; i += 5000) {
    const part = pgTextArray(householdNos.slice(i, i + 5000));
    const rows = rowsOf<HouseholdNoMatch>(
      await db.execute(sql`SELECT id, household_no AS "householdNo", area_code AS "areaCode", active FROM ${households} WHERE household_no = ANY(${part}::text[])`),
    );
    for (const r of rows) byNo.set(r.householdNo, r);
  }
  return { byId, byNo };
}

export interface StoredHousehold {
  household: q.HouseholdRow;
  /** All members, removed ones included. */
  members: q.MemberRow[];
}

/** Loads households (with all their members) by id, 1,000 per query. */
export async function loadHouseholdsForImport(db: DbOrTx, ids: readonly string[]): Promise<Map<string, StoredHousehold>> {
  const out = new Map<string, StoredHousehold>();
  for (let i = 0; i < ids.length; i += 1000) {
    const part = ids.slice(i, i + 1000) as string[];
    const hs = await db.select().from(households).where(inArray(households.id, part));
    for (const h of hs) out.set(h.id, { household: h, members: [] });
    const ms = await db.select().from(members).where(inArray(members.householdId, part));
    for (const m of ms) out.get(m.householdId)?.members.push(m);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Changes to existing households

/** What an import changes in one existing household (empty lists and no fields: unchanged). */
export interface HouseholdChange {
  householdId: string;
  /** The version the change was planned on; the merge refuses when the household changed since. */
  version: number;
  householdNo: string;
  areaCode: string;
  /** Household columns to set (drizzle keys) and their names. */
  set: Partial<q.HouseholdInsert>;
  changedFields: string[];
  memberUpdates: { memberId: string; set: Partial<q.MemberInsert>; fields: string[] }[];
  newMembers: CheckedMember[];
}

function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
  if (typeof a === 'number' || typeof b === 'number') return a !== null && b !== null && a !== undefined && b !== undefined && Number(a) === Number(b);
  return (a ?? null) === (b ?? null);
}

/**
 * Compares an imported household with the stored one. Only what the file gives is compared: a blank
 * cell or a missing column leaves the stored value; members are matched by ID number; stored members
 * absent from the file stay as they are. The result must still satisfy the registration rules (one
 * head, causes, ID numbers): otherwise the issues are returned.
 * @returns the change (unchanged when `changedFields`, `memberUpdates` and `newMembers` are empty), or issues
 */
export function diffImportedHousehold(stored: StoredHousehold, h: ImportedHousehold, today: string): { ok: true; change: HouseholdChange } | { ok: false; issues: ImportIssue[] } {
  const cur = stored.household;
  const set: Record<string, unknown> = {};
  const fieldValues: Record<string, unknown> = { ...h.fields };
  if (h.areaCode !== cur.areaCode) fieldValues.areaCode = h.areaCode;
  for (const [k, v] of Object.entries(fieldValues)) {
    if (v === undefined || v === null) continue;
    if (!same((cur as Record<string, unknown>)[k], v)) set[k] = v;
  }
  // The household's fields after the change must be valid as a whole.
  const merged = householdFields.safeParse({ ...pickFields(cur), ...set });
  const issues: FieldIssue[] = merged.success ? [] : zodIssues(merged.error, []);
  if (merged.success) {
    try {
      checkCauses(merged.data);
    } catch (e) {
      issues.push(...issuesOf(e));
    }
  }
  const active = stored.members.filter((m) => m.status === 'active');
  const byId = new Map(active.map((m) => [m.idNumber, m]));
  const memberUpdates: HouseholdChange['memberUpdates'] = [];
  const newInputs: { index: number; values: MemberValues }[] = [];
  const after = new Map(active.map((m) => [m.id, m.relationToHead]));
  const toCheck: MemberValues[] = [];
  const pathIndex: number[] = [];
  h.members.forEach((m, i) => {
    const existing = typeof m.idNumber === 'string' ? byId.get(m.idNumber) : undefined;
    if (existing) {
      const mset: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(m)) {
        if (v === undefined || v === null || k === 'idNumber') continue;
        if (!same((existing as Record<string, unknown>)[k], v)) mset[k] = v;
      }
      const values = { ...memberValuesOf(existing), ...mset };
      const r = memberInput.safeParse(values);
      if (!r.success) issues.push(...zodIssues(r.error, ['members', i]));
      else {
        toCheck.push(r.data);
        pathIndex.push(i);
      }
      if (Object.keys(mset).length > 0) {
        memberUpdates.push({ memberId: existing.id, set: mset as Partial<q.MemberInsert>, fields: Object.keys(mset).sort() });
        if (typeof mset.relationToHead === 'string') after.set(existing.id, mset.relationToHead);
      }
    } else {
      const r = memberInput.safeParse(m);
      if (!r.success) issues.push(...zodIssues(r.error, ['members', i]));
      else {
        newInputs.push({ index: i, values: r.data });
        toCheck.push(r.data);
        pathIndex.push(i);
      }
    }
  });
  let checked: CheckedMember[] = [];
  if (issues.length === 0) {
    try {
      checked = checkMembers(toCheck, (k) => ['members', pathIndex[k]!], today);
    } catch (e) {
      issues.push(...issuesOf(e));
    }
  }
  const heads = [...after.values()].filter((r) => r === HEAD).length + newInputs.filter((n) => n.values.relationToHead === HEAD).length;
  if (issues.length === 0 && heads !== 1) {
    issues.push({
      path: ['members', 0, 'relationToHead'],
      message: heads === 0 ? '导入后该户没有户主' : `导入后该户有 ${heads} 名户主（含库中未出现在文件里的成员）`,
      messageEn: heads === 0 ? 'after the import the household would have no head' : `after the import the household would have ${heads} heads (members not in the file included)`,
    });
  }
  if (issues.length > 0) return { ok: false, issues: issues.map(toImportIssue) };
  const newIdx = new Set(newInputs.map((n) => n.index));
  const newMembers = checked.filter((_, k) => newIdx.has(pathIndex[k]!));
  return {
    ok: true,
    change: {
      householdId: cur.id,
      version: cur.version,
      householdNo: cur.householdNo,
      areaCode: cur.areaCode,
      set: set as Partial<q.HouseholdInsert>,
      changedFields: Object.keys(set).sort(),
      memberUpdates,
      newMembers,
    },
  };
}

/** Whether an import's change changes anything. */
export function isUnchanged(c: HouseholdChange): boolean {
  return c.changedFields.length === 0 && c.memberUpdates.length === 0 && c.newMembers.length === 0;
}

const FIELD_KEYS = Object.keys(householdFields.shape) as (keyof HouseholdFieldValues)[];
function pickFields(h: q.HouseholdRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of FIELD_KEYS) {
    const v = (h as Record<string, unknown>)[k];
    if (v !== null && v !== undefined) out[k] = v;
  }
  return out;
}
const MEMBER_KEYS = Object.keys(memberInput.shape) as (keyof MemberValues)[];
function memberValuesOf(m: q.MemberRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of MEMBER_KEYS) {
    const v = (m as Record<string, unknown>)[k];
    if (v !== null && v !== undefined) out[k] = v;
  }
  return out;
}

/**
 * Writes the changes of existing households, inside the import's transaction: fields, changed
 * members, new members (with their identities; reason 'registration'), the list columns, one history
 * version each ('household.import') by the actor.
 * @throws AppError STALE_EDIT when a household changed after the import was planned (the whole
 *   import rolls back; running it again plans afresh); the database's unique-key error when a new
 *   member's ID number became active elsewhere meanwhile
 */
export async function applyImportedChanges(tx: DbOrTx, actor: Actor, changes: readonly HouseholdChange[], reason: string): Promise<number> {
  let n = 0;
  for (const c of changes) {
    if (isUnchanged(c)) continue;
    if (c.version === 1) await materializeVersion(tx, c.householdId);
    const after = await q.updateHouseholdIfVersion(tx, c.householdId, c.version, { ...c.set, updatedBy: actor.id });
    if (!after) {
      throw new AppError('STALE_EDIT', `户编号 ${c.householdNo} 在导入期间被他人修改，导入未写入任何数据，请重新导入`, `Household ${c.householdNo} was changed by someone else during the import; nothing was written. Run the import again`);
    }
    // A member giving up the head's place is written before the one taking it (one active head at any time).
    const order = [...c.memberUpdates].sort((a, b) => (a.set.relationToHead === HEAD ? 1 : 0) - (b.set.relationToHead === HEAD ? 1 : 0));
    for (const u of order) await q.updateMember(tx, c.householdId, u.memberId, u.set);
    if (c.newMembers.length > 0) {
      const rows = await q.insertMembers(tx, c.newMembers.map((m) => memberRow(c.householdId, m, 'registration')));
      await q.insertIdentities(tx, rows.map((r) => ({ idNumber: r.idNumber, householdId: c.householdId, memberId: r.id })));
    }
    const ms = await q.selectMembers(tx, c.householdId);
    const active = ms.filter((m) => m.status === 'active');
    const head = active.find((m) => m.relationToHead === HEAD)!;
    const [cur] = await tx.update(households).set({ headName: head.name, memberCount: active.length }).where(q.eqId(c.householdId)).returning();
    const fields = [...c.changedFields, ...(c.memberUpdates.length > 0 ? ['members'] : []), ...(c.newMembers.length > 0 ? ['members.add'] : [])];
    await q.insertVersion(tx, {
      householdId: c.householdId,
      version: cur!.version,
      snapshot: { household: cur!, members: ms, incomes: await q.selectIncomes(tx, c.householdId) } as never,
      change: 'household.import',
      changedFields: [...new Set(fields)],
      reason,
      changedBy: actor.id,
      changedByName: actor.displayName || actor.username,
    });
    n++;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// New households: numbers, staging, merge

/**
 * 户编号 for new households: the file's number where it gives one, else the village's next free
 * sequence (village code + 4 digits, rules.ts formatHouseholdNo), skipping every number the file
 * uses. The villages' counters are read once each. An import tells it the numbers of each batch of
 * households before asking for new ones; a number the file gives after it was handed out to another
 * household makes `addGiven` answer false (the import then starts over knowing every number).
 */
export class HouseholdNumbering {
  private readonly next = new Map<string, number>();
  private readonly given = new Set<string>();
  private readonly assigned = new Set<string>();
  constructor(private readonly db: DbOrTx) {}

  /** Records the numbers the file gives. @returns false when one was already handed out */
  addGiven(numbers: Iterable<string | null>): boolean {
    for (const n of numbers) {
      if (n === null) continue;
      if (this.assigned.has(n)) return false;
      this.given.add(n);
    }
    return true;
  }

  /** The numbers of new households, in order (the file's own, or the village's next free one). */
  async assign(items: readonly { areaCode: string; householdNo: string | null }[]): Promise<string[]> {
    const missing = [...new Set(items.filter((i) => i.householdNo === null && !this.next.has(i.areaCode)).map((i) => i.areaCode))];
    if (missing.length > 0) {
      const rows = rowsOf<{ area_code: string; next: number }>(
        await this.db.execute(sql`SELECT area_code, next FROM ${householdNoCounters} WHERE area_code = ANY(${pgTextArray(missing)}::text[])`),
      );
      for (const v of missing) this.next.set(v, 1);
      for (const r of rows) this.next.set(r.area_code, Number(r.next));
    }
    return items.map((i) => {
      if (i.householdNo !== null) return i.householdNo;
      let seq = this.next.get(i.areaCode)!;
      while (this.given.has(formatHouseholdNo(i.areaCode, seq)) || this.assigned.has(formatHouseholdNo(i.areaCode, seq))) seq++;
      this.next.set(i.areaCode, seq + 1);
      const n = formatHouseholdNo(i.areaCode, seq);
      this.assigned.add(n);
      return n;
    });
  }
}

function columnsOf(table: Table): [string, string][] {
  return Object.entries(getTableColumns(table)).map(([key, col]) => [key, col.name]);
}
const H_COLS = columnsOf(households);
const M_COLS = columnsOf(members);
const H_NAMES = ['stage_id', ...H_COLS.map(([, name]) => name)];
const M_NAMES = ['stage_id', ...M_COLS.map(([, name]) => name)];

/** The rows of one new household, ready for staging. */
export interface NewHouseholdRows {
  household: q.HouseholdRow;
  members: q.MemberRow[];
}

/**
 * Builds the rows of a new household (ids, list columns, reason 'registration' on each member).
 * @param now the registration time of the whole import
 */
export function newHouseholdRows(actor: Actor, h: CheckedHousehold, householdNo: string, now: Date): NewHouseholdRows {
  const id = randomUUID();
  const head = h.members.find((m) => m.relationToHead === HEAD)!;
  const household = {
    id,
    householdNo,
    groupName: null,
    address: null,
    identificationStandard: null,
    povertyAttribute: null,
    mainPovertyCause: null,
    identificationYear: null,
    phone: null,
    bankName: null,
    bankAccount: null,
    housingArea: null,
    housingStructure: null,
    housingDangerGrade: null,
    safeDrinkingWater: null,
    drinkingWaterDifficulty: null,
    cultivatedLand: null,
    forestLand: null,
    relocationType: null,
    ...h.fields,
    headName: head.name,
    memberCount: h.members.length,
    latestIncomeYear: null,
    latestPerCapitaNetIncome: null,
    active: true,
    removedReason: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
    createdBy: actor.id,
    updatedBy: actor.id,
  } as q.HouseholdRow;
  const ms = h.members.map((m) => ({ ...memberRow(id, m, 'registration'), id: randomUUID(), createdAt: now, updatedAt: now }) as q.MemberRow);
  return { household, members: ms };
}

function lineOf(cols: [string, string][], stageId: string, row: Record<string, unknown>): string {
  const values: CopyValue[] = [stageId];
  for (const [key] of cols) values.push(row[key] as CopyValue);
  return copyLine(values);
}

/**
 * Loads new households into the staging tables with COPY (outside any transaction): households and
 * members, 5,000 households at a time or so.
 */
export async function stageNewHouseholds(db: Db, stageId: string, list: readonly NewHouseholdRows[]): Promise<void> {
  const hLines: string[] = [];
  const mLines: string[] = [];
  for (const n of list) {
    hLines.push(lineOf(H_COLS, stageId, n.household as unknown as Record<string, unknown>));
    for (const m of n.members) mLines.push(lineOf(M_COLS, stageId, m as unknown as Record<string, unknown>));
  }
  await copyInto(db, 'import_stage_households', H_NAMES, hLines);
  await copyInto(db, 'import_stage_members', M_NAMES, mLines);
}

/**
 * Moves a stage's households into the registry (inside the import's transaction): households,
 * members, identities, history version 1 ('household.import' by the actor, with `reason`), and the
 * villages' 户编号 counters past every number in our format.
 * @returns households and members written
 * @throws the database's unique-key error when an ID number or 户编号 was registered meanwhile
 */
export async function mergeStagedHouseholds(tx: DbOrTx, stageId: string, actor: Actor, reason: string): Promise<{ households: number; members: number }> {
  const list = (cols: [string, string][]) => sql.raw(cols.map(([, n]) => `"${n}"`).join(', '));
  const h = await tx.execute(sql`INSERT INTO ${households} (${list(H_COLS)}) SELECT ${list(H_COLS)} FROM import_stage_households WHERE stage_id = ${stageId}`);
  const m = await tx.execute(sql`INSERT INTO ${members} (${list(M_COLS)}) SELECT ${list(M_COLS)} FROM import_stage_members WHERE stage_id = ${stageId}`);
  await tx.execute(sql`INSERT INTO ${personIdentities} (id_number, household_id, member_id, since) SELECT id_number, household_id, id, created_at FROM import_stage_members WHERE stage_id = ${stageId}`);
  // History version 1 of each, its snapshot left to be written before the first change: until then
  // the registry rows are that version (service.ts materializeVersion). Writing 20,000 snapshots here
  // took longer than the rest of the merge.
  await tx.execute(sql`
    INSERT INTO ${householdVersions} (household_id, version, snapshot, change, changed_fields, reason, changed_at, changed_by, changed_by_name)
    SELECT id, 1, NULL, 'household.import', '{}', ${reason}, created_at, ${actor.id}, ${actor.displayName || actor.username}
      FROM import_stage_households WHERE stage_id = ${stageId}`);
  await tx.execute(sql`
    INSERT INTO ${householdNoCounters} (area_code, next)
    SELECT area_code, max(right(household_no, 4)::int) + 1 FROM import_stage_households
     WHERE stage_id = ${stageId} AND household_no ~ ('^' || area_code || '[0-9]{4}$')
     GROUP BY area_code
    ON CONFLICT (area_code) DO UPDATE SET next = GREATEST(${householdNoCounters}.next, excluded.next)`);
  return { households: affected(h), members: affected(m) };
}

function affected(res: unknown): number {
  const r = res as { rowCount?: number | null; affectedRows?: number };
  return Number(r.rowCount ?? r.affectedRows ?? 0);
}

/** Drops a stage's rows (after the merge, or before running an import again). */
export async function clearStage(db: DbOrTx, stageId: string): Promise<void> {
  await db.execute(sql`DELETE FROM import_stage_members WHERE stage_id = ${stageId}`);
  await db.execute(sql`DELETE FROM import_stage_households WHERE stage_id = ${stageId}`);
}

// ---------------------------------------------------------------------------------------------
// The import's writer: staging on PGlite, COPY inside one open transaction on PostgreSQL

/**
 * Where an import puts its new households, and how it makes them part of the registry at once.
 * - PostgreSQL: a connection of its own holds ONE transaction from the first batch on; each batch is
 *   COPYed straight into households, members, person_identities and household_versions while the
 *   import reads on (the server parses and indexes on its own core); `commit` adds the updates and the
 *   audit and commits. Nothing is visible before; a crash rolls it all back.
 * - PGlite (one connection: an open transaction would hold up every request): batches are COPYed into
 *   the staging tables, and `commit` merges them in one transaction (mergeStagedHouseholds).
 */
export interface ImportWriter {
  /** Loads a batch of new households (not yet part of the registry). */
  load(batch: readonly NewHouseholdRows[]): Promise<void>;
  /** Makes every loaded household part of the registry, with `then` (updates, audit) in the same transaction. */
  commit(then: (tx: DbOrTx) => Promise<void>): Promise<void>;
  /** Drops everything loaded (safe to call twice, and after commit). */
  abandon(): Promise<void>;
}

/**
 * Opens the import's writer (see ImportWriter). On PGlite the stage id's leftover rows (a run that
 * died) are cleared first.
 * @param reason the history's reason for version 1 of each new household (e.g. "导入 人员名单.xlsx")
 */
export async function openImportWriter(db: Db, stageId: string, actor: Actor, reason: string): Promise<ImportWriter> {
  const open = await openTransaction(db);
  if (!open) {
    await clearStage(db, stageId);
    let finished = false;
    return {
      load: (batch) => stageNewHouseholds(db, stageId, batch),
      async commit(then) {
        await db.transaction(async (tx) => {
          await mergeStagedHouseholds(tx, stageId, actor, reason);
          await then(tx);
        });
      },
      async abandon() {
        if (finished) return;
        finished = true;
        await clearStage(db, stageId);
      },
    };
  }
  const counters = new Map<string, number>();
  const changedBy = actor.displayName || actor.username;
  return {
    async load(batch) {
      const hLines: string[] = [];
      const mLines: string[] = [];
      const iLines: string[] = [];
      const vLines: string[] = [];
      for (const n of batch) {
        const h = n.household;
        hLines.push(copyLine(H_COLS.map(([key]) => (h as unknown as Record<string, unknown>)[key] as CopyValue)));
        for (const m of n.members) {
          mLines.push(copyLine(M_COLS.map(([key]) => (m as unknown as Record<string, unknown>)[key] as CopyValue)));
          iLines.push(copyLine([m.idNumber, h.id, m.id, h.createdAt]));
        }
        vLines.push(copyLine([h.id, 1, null, 'household.import', [], reason, h.createdAt, actor.id, changedBy]));
        const seq = h.householdNo.startsWith(h.areaCode) && /^\d{4}$/.test(h.householdNo.slice(h.areaCode.length)) ? Number(h.householdNo.slice(h.areaCode.length)) : null;
        if (seq !== null && seq + 1 > (counters.get(h.areaCode) ?? 0)) counters.set(h.areaCode, seq + 1);
      }
      await open.copy('households', H_COLS.map(([, name]) => name), hLines);
      await open.copy('members', M_COLS.map(([, name]) => name), mLines);
      await open.copy('person_identities', ['id_number', 'household_id', 'member_id', 'since'], iLines);
      await open.copy('household_versions', ['household_id', 'version', 'snapshot', 'change', 'changed_fields', 'reason', 'changed_at', 'changed_by', 'changed_by_name'], vLines);
    },
    async commit(then) {
      try {
        if (counters.size > 0) {
          const rows = [...counters].map(([area_code, next]) => ({ area_code, next }));
          await open.db.execute(sql`
            INSERT INTO ${householdNoCounters} (area_code, next)
            SELECT area_code, next FROM jsonb_populate_recordset(NULL::${householdNoCounters}, ${JSON.stringify(rows)}::jsonb)
            ON CONFLICT (area_code) DO UPDATE SET next = GREATEST(${householdNoCounters}.next, excluded.next)`);
        }
        await then(open.db);
        await open.commit();
      } catch (e) {
        await open.rollback().catch(() => {});
        throw e;
      }
    },
    abandon: () => open.rollback(),
  };
}
