/** Reads and writes of the registry. Lists are restricted to the actor's scope in SQL (area-code prefix). */
import { and, asc, count, desc, eq, gte, ilike, inArray, like, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db.ts';
import { householdIncomes, householdNoCounters, households, householdVersions, members, personIdentities } from './schema.ts';
import type { HouseholdListQuery } from './contract.ts';

export type HouseholdRow = typeof households.$inferSelect;
export type HouseholdInsert = typeof households.$inferInsert;
export type MemberRow = typeof members.$inferSelect;
export type MemberInsert = typeof members.$inferInsert;
export type IncomeRow = typeof householdIncomes.$inferSelect;
export type VersionRow = typeof householdVersions.$inferSelect;

export async function selectHousehold(db: DbOrTx, id: string, forUpdate = false): Promise<HouseholdRow | undefined> {
  const q = db.select().from(households).where(eq(households.id, id));
  const [r] = forUpdate ? await q.for('update') : await q;
  return r;
}

export async function selectMembers(db: DbOrTx, householdId: string): Promise<MemberRow[]> {
  return db.select().from(members).where(eq(members.householdId, householdId)).orderBy(sql`${members.relationToHead} = 'head' DESC`, asc(members.birthDate), asc(members.createdAt));
}

export async function selectIncomes(db: DbOrTx, householdId: string): Promise<IncomeRow[]> {
  return db.select().from(householdIncomes).where(eq(householdIncomes.householdId, householdId)).orderBy(desc(householdIncomes.year));
}

/** Takes the next 户编号 sequence number of a village (row-locked, so concurrent registrations differ). */
export async function nextHouseholdSeq(db: DbOrTx, areaCode: string): Promise<number> {
  const [r] = await db
    .insert(householdNoCounters)
    .values({ areaCode, next: 2 })
    .onConflictDoUpdate({ target: householdNoCounters.areaCode, set: { next: sql`${householdNoCounters.next} + 1` } })
    .returning({ next: householdNoCounters.next });
  return r!.next - 1;
}

export async function insertHousehold(db: DbOrTx, values: HouseholdInsert): Promise<HouseholdRow> {
  const [r] = await db.insert(households).values(values).returning();
  return r!;
}

/** Updates a household only if its version is still `version`, bumping it. @returns undefined when stale */
export async function updateHouseholdIfVersion(db: DbOrTx, id: string, version: number, set: Partial<HouseholdInsert>): Promise<HouseholdRow | undefined> {
  const [r] = await db
    .update(households)
    .set({ ...set, version: sql`${households.version} + 1`, updatedAt: new Date() })
    .where(and(eq(households.id, id), eq(households.version, version)))
    .returning();
  return r;
}

export async function insertMembers(db: DbOrTx, rows: MemberInsert[]): Promise<MemberRow[]> {
  if (rows.length === 0) return [];
  return db.insert(members).values(rows).returning();
}

export async function updateMember(db: DbOrTx, householdId: string, memberId: string, set: Partial<MemberInsert>): Promise<MemberRow | undefined> {
  const [r] = await db
    .update(members)
    .set({ ...set, updatedAt: new Date() })
    .where(and(eq(members.householdId, householdId), eq(members.id, memberId)))
    .returning();
  return r;
}

/**
 * Claims ID numbers for a household's members. The primary key of person_identities refuses a number
 * already active elsewhere (Postgres 23505), concurrent claims included.
 */
export async function insertIdentities(db: DbOrTx, rows: { idNumber: string; householdId: string; memberId: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insert(personIdentities).values(rows);
}

export async function deleteIdentity(db: DbOrTx, idNumber: string, householdId: string): Promise<void> {
  await db.delete(personIdentities).where(and(eq(personIdentities.idNumber, idNumber), eq(personIdentities.householdId, householdId)));
}

export async function deleteIdentitiesOfHousehold(db: DbOrTx, householdId: string): Promise<void> {
  await db.delete(personIdentities).where(eq(personIdentities.householdId, householdId));
}

/** Where each of these ID numbers is active now (to name the other household in a refusal). */
export async function selectIdentityOwners(db: DbOrTx, idNumbers: string[]) {
  if (idNumbers.length === 0) return [];
  return db
    .select({
      idNumber: personIdentities.idNumber,
      householdId: personIdentities.householdId,
      householdNo: households.householdNo,
      areaCode: households.areaCode,
      headName: households.headName,
      memberName: members.name,
    })
    .from(personIdentities)
    .innerJoin(households, eq(households.id, personIdentities.householdId))
    .innerJoin(members, and(eq(members.householdId, personIdentities.householdId), eq(members.id, personIdentities.memberId)))
    .where(inArray(personIdentities.idNumber, idNumbers));
}

export async function upsertIncome(db: DbOrTx, row: typeof householdIncomes.$inferInsert): Promise<void> {
  await db
    .insert(householdIncomes)
    .values(row)
    .onConflictDoUpdate({
      target: [householdIncomes.householdId, householdIncomes.year],
      set: {
        wageIncome: row.wageIncome,
        productionIncome: row.productionIncome,
        propertyIncome: row.propertyIncome,
        transferIncome: row.transferIncome,
        productionCosts: row.productionCosts,
        netIncome: row.netIncome,
        memberCount: row.memberCount,
        perCapitaNetIncome: row.perCapitaNetIncome,
        updatedAt: new Date(),
      },
    });
}

export async function insertVersion(db: DbOrTx, row: typeof householdVersions.$inferInsert): Promise<void> {
  await db.insert(householdVersions).values(row);
}

export async function selectVersions(db: DbOrTx, householdId: string): Promise<VersionRow[]> {
  return db.select().from(householdVersions).where(eq(householdVersions.householdId, householdId)).orderBy(desc(householdVersions.version));
}

/** The last version saved before `before` (the household as it stood then). */
export async function selectVersionAsOf(db: DbOrTx, householdId: string, before: Date): Promise<VersionRow | undefined> {
  const [r] = await db
    .select()
    .from(householdVersions)
    .where(and(eq(householdVersions.householdId, householdId), lt(householdVersions.changedAt, before)))
    .orderBy(desc(householdVersions.version))
    .limit(1);
  return r;
}

const SORTS = {
  householdNo: households.householdNo,
  headName: households.headName,
  memberCount: households.memberCount,
  income: households.latestPerCapitaNetIncome,
  updatedAt: households.updatedAt,
} as const;

/**
 * The filtered, sorted, paged household list within a scope pattern (LIKE on the area code).
 * @param idNumberSearch a normalised full ID number, or null
 */
export async function selectHouseholdPage(db: DbOrTx, scope: string, f: HouseholdListQuery, idNumberSearch: string | null) {
  const conds: SQL[] = [like(households.areaCode, scope)];
  if (f.areaCode) conds.push(like(households.areaCode, `${f.areaCode.replace(/0+$/, '')}%`));
  if (!f.includeRemoved) conds.push(eq(households.active, true));
  if (f.householdType) conds.push(eq(households.householdType, f.householdType));
  if (f.status) conds.push(eq(households.status, f.status));
  if (f.povertyAttribute) conds.push(eq(households.povertyAttribute, f.povertyAttribute));
  if (f.mainPovertyCause) conds.push(eq(households.mainPovertyCause, f.mainPovertyCause));
  if (f.incomeMin !== undefined) conds.push(gte(households.latestPerCapitaNetIncome, f.incomeMin));
  if (f.incomeMax !== undefined) conds.push(lte(households.latestPerCapitaNetIncome, f.incomeMax));
  if (f.q) {
    const q = f.q;
    const esc = q.replace(/[%_\\]/g, '\\$&');
    const alts: SQL[] = [ilike(households.headName, `%${esc}%`)];
    if (/^\d{12,16}$/.test(q)) alts.push(like(households.householdNo, `${q}%`));
    if (idNumberSearch) {
      alts.push(sql`EXISTS (SELECT 1 FROM ${members} m WHERE m.household_id = ${households.id} AND m.id_number = ${idNumberSearch} AND m.status = 'active')`);
    } else if (/^[0-9Xx]{4,6}$/.test(q)) {
      alts.push(sql`EXISTS (SELECT 1 FROM ${members} m WHERE m.household_id = ${households.id} AND m.id_number LIKE ${'%' + q.toUpperCase()} AND m.status = 'active')`);
    } else {
      alts.push(sql`EXISTS (SELECT 1 FROM ${members} m WHERE m.household_id = ${households.id} AND m.name ILIKE ${'%' + esc + '%'} AND m.status = 'active')`);
    }
    conds.push(or(...alts)!);
  }
  const where = and(...conds);
  const sortCol = SORTS[f.sort];
  const order = f.order === 'desc' ? [desc(sortCol), desc(households.householdNo)] : [asc(sortCol), asc(households.householdNo)];
  const [page, totalRows] = await Promise.all([
    db.select().from(households).where(where).orderBy(...order).limit(f.pageSize).offset((f.page - 1) * f.pageSize),
    db.select({ total: count() }).from(households).where(where),
  ]);
  // The heads' ID numbers of this page only (not of every row the offset skips).
  const heads = page.length
    ? await db
        .select({ householdId: members.householdId, idNumber: members.idNumber })
        .from(members)
        .where(and(inArray(members.householdId, page.map((h) => h.id)), eq(members.relationToHead, HEAD_RELATION), eq(members.status, 'active')))
    : [];
  const headOf = new Map(heads.map((m) => [m.householdId, m.idNumber]));
  const rows = page.map((h) => ({ h, headIdNumber: headOf.get(h.id) ?? null }));
  return { rows, total: Number(totalRows[0]?.total ?? 0) };
}

/** The relation-to-head value of the head (户主, national code 01). */
export const HEAD_RELATION = 'head';

/** Per-village counts of a township's register (households, persons, registered poor, not exited). */
export async function selectVillageCounts(db: DbOrTx, townshipPrefix: string) {
  return db
    .select({
      areaCode: households.areaCode,
      households: count(),
      persons: sql<number>`coalesce(sum(${households.memberCount}), 0)`,
      registeredPoor: sql<number>`count(*) filter (where ${households.householdType} = 'registeredPoor')`,
      notExited: sql<number>`count(*) filter (where ${households.status} = 'notExited')`,
    })
    .from(households)
    .where(and(like(households.areaCode, `${townshipPrefix}%`), eq(households.active, true)))
    .groupBy(households.areaCode);
}

export interface DuplicatePerson {
  householdId: string;
  householdNo: string;
  memberId: string;
  name: string;
  idNumber: string;
  birthDate: string;
  areaCode: string;
}

/**
 * Pairs of active members in different households that may be one person: the same name and birth
 * date, or ID numbers one digit apart in their first 17 characters (a typing slip whose check
 * character was then recomputed: two valid numbers never differ in exactly one character). Two such
 * numbers share their first nine characters or their characters 10–17, which keeps the join narrow.
 */
export async function selectDuplicateCandidates(db: DbOrTx, scope: string, limit: number) {
  const cols = sql`h.id AS "householdId", h.household_no AS "householdNo", m.id AS "memberId", m.name, m.id_number AS "idNumber", m.birth_date::text AS "birthDate", h.area_code AS "areaCode"`;
  const base = sql`SELECT ${cols}, left(m.id_number, 9) AS l9, substr(m.id_number, 10, 8) AS r9 FROM members m JOIN households h ON h.id = m.household_id
                   WHERE m.status = 'active' AND h.active AND h.area_code LIKE ${scope}`;
  const sameName = await db.execute(sql`
    WITH p AS (${base})
    SELECT row_to_json(a) AS a, row_to_json(b) AS b FROM p a JOIN p b
      ON a.name = b.name AND a."birthDate" = b."birthDate" AND a."householdId" < b."householdId"
    LIMIT ${limit}`);
  const nearId = await db.execute(sql`
    WITH p AS (${base})
    SELECT row_to_json(a) AS a, row_to_json(b) AS b FROM p a JOIN p b
      ON (a.l9 = b.l9 OR a.r9 = b.r9) AND a."idNumber" < b."idNumber" AND length(a."idNumber") = length(b."idNumber")
    LIMIT ${limit * 4}`);
  return { sameName, nearId };
}

export { households, members };

/** WHERE households.id = id */
export const eqId = (id: string) => eq(households.id, id);
