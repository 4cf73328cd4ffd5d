/** Reads and writes of areas. Every read that lists areas is restricted to the actor's scope. */
import { and, asc, count, eq, ilike, inArray, isNull, like, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db.ts';
import { LEVEL_DIGITS, type AreaLevel } from '../../shared/area-code.ts';
import { areas, poorVillageDesignations } from './schema.ts';

export type AreaRow = typeof areas.$inferSelect;

export async function selectArea(db: DbOrTx, code: string): Promise<AreaRow | undefined> {
  const [row] = await db.select().from(areas).where(eq(areas.code, code));
  return row;
}

export async function selectAreas(db: DbOrTx, codes: string[]): Promise<AreaRow[]> {
  if (codes.length === 0) return [];
  return db.select().from(areas).where(inArray(areas.code, codes));
}

export async function selectChildren(db: DbOrTx, parentCode: string | null, includeRetired: boolean): Promise<AreaRow[]> {
  const conds: SQL[] = [parentCode === null ? isNull(areas.parentCode) : eq(areas.parentCode, parentCode)];
  if (!includeRetired) conds.push(isNull(areas.validTo));
  return db.select().from(areas).where(and(...conds)).orderBy(asc(areas.code));
}

/** Years each of the given villages is designated poor. */
export async function selectPoorYears(db: DbOrTx, codes: string[]): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  if (codes.length === 0) return out;
  const rows = await db
    .select({ code: poorVillageDesignations.areaCode, year: poorVillageDesignations.year })
    .from(poorVillageDesignations)
    .where(inArray(poorVillageDesignations.areaCode, codes))
    .orderBy(asc(poorVillageDesignations.year));
  for (const r of rows) out.set(r.code, [...(out.get(r.code) ?? []), r.year]);
  return out;
}

/**
 * Counts current townships, villages and poor villages (designated in `year`) below each child of
 * an area, grouped by the child's code prefix (children are of level `childLevel`).
 */
export async function countBelow(db: DbOrTx, prefix: string, childLevel: AreaLevel, year: number): Promise<Map<string, { townships: number; villages: number; poor: number }>> {
  const digits = LEVEL_DIGITS[childLevel];
  const rows = await db
    .select({
      p: sql<string>`substring(${areas.code} from 1 for ${digits})`,
      townships: sql<number>`count(*) filter (where ${areas.level} = 'township')`,
      villages: sql<number>`count(*) filter (where ${areas.level} = 'village')`,
      poor: sql<number>`count(${poorVillageDesignations.areaCode})`,
    })
    .from(areas)
    .leftJoin(poorVillageDesignations, and(eq(poorVillageDesignations.areaCode, areas.code), eq(poorVillageDesignations.year, year)))
    .where(and(like(areas.code, `${prefix}%`), isNull(areas.validTo)))
    .groupBy(sql`1`);
  return new Map(rows.map((r) => [r.p, { townships: Number(r.townships), villages: Number(r.villages), poor: Number(r.poor) }]));
}

/** Searches by name (contains) or code (prefix) within a scope pattern. */
export async function searchAreas(db: DbOrTx, scope: string, q: string, level: AreaLevel | undefined, includeRetired: boolean, limit: number, offset: number) {
  const conds: SQL[] = [like(areas.code, scope)];
  conds.push(/^\d+$/.test(q) ? like(areas.code, `${q}%`) : or(ilike(areas.name, `%${q.replace(/[%_\\]/g, '\\$&')}%`))!);
  if (level) conds.push(eq(areas.level, level));
  if (!includeRetired) conds.push(isNull(areas.validTo));
  const where = and(...conds);
  const [items, totalRows] = await Promise.all([
    db.select().from(areas).where(where).orderBy(asc(areas.code)).limit(limit).offset(offset),
    db.select({ total: count() }).from(areas).where(where),
  ]);
  return { items, total: Number(totalRows[0]?.total ?? 0) };
}

export type AreaInsert = typeof areas.$inferInsert;

/** Inserts or refreshes areas (a current code that reappears is valid again). */
export async function upsertAreas(db: DbOrTx, rows: AreaInsert[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insert(areas)
    .values(rows)
    .onConflictDoUpdate({
      target: areas.code,
      set: {
        name: sql`excluded.name`,
        level: sql`excluded.level`,
        parentCode: sql`excluded.parent_code`,
        validTo: sql`null`,
        source: sql`excluded.source`,
        updatedAt: sql`now()`,
      },
    });
}

/**
 * Marks as retired (valid_to = lastYear) the current areas under `prefix` that the latest import did
 * not touch (their updated_at is older than the import transaction's start).
 * @returns the number of retired areas
 */
export async function retireUntouched(db: DbOrTx, prefix: string, lastYear: number): Promise<number> {
  const res = await db
    .update(areas)
    .set({ validTo: lastYear })
    .where(and(like(areas.code, `${prefix}%`), isNull(areas.validTo), sql`${areas.updatedAt} < now()`))
    .returning({ code: areas.code });
  return res.length;
}

export async function upsertDesignation(db: DbOrTx, row: typeof poorVillageDesignations.$inferInsert) {
  const [r] = await db
    .insert(poorVillageDesignations)
    .values(row)
    .onConflictDoUpdate({
      target: [poorVillageDesignations.areaCode, poorVillageDesignations.year],
      set: { kind: row.kind, relative: row.relative, note: row.note ?? null },
    })
    .returning();
  return r!;
}

export async function deleteDesignation(db: DbOrTx, code: string, year: number) {
  return db
    .delete(poorVillageDesignations)
    .where(and(eq(poorVillageDesignations.areaCode, code), eq(poorVillageDesignations.year, year)))
    .returning();
}
