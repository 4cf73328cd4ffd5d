/**
 * Test fixtures of the records tests: an assisting unit, helpers and helper assignments written
 * directly (the pairing use cases are another topic's), and a visit with a photo. Synthetic only.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db.ts';
import { assistingUnits, helperAssignments, helpers, visitPhotos, visits } from './schema.ts';

/** A unit of 浏阳市 (or `areaCode`), returning its id. */
export async function fixtureUnit(db: DbOrTx, name: string, areaCode = '430181000000'): Promise<string> {
  const [u] = await db.insert(assistingUnits).values({ name, kind: 'organ', level: 'county', areaCode }).returning({ id: assistingUnits.id });
  return u!.id;
}

/** A helper of `unitId`, optionally linked to a user account. */
export async function fixtureHelper(db: DbOrTx, unitId: string, name: string, opts: { userId?: string | null; phone?: string; post?: string; areaCode?: string } = {}): Promise<string> {
  const [h] = await db
    .insert(helpers)
    .values({ name, unitId, userId: opts.userId ?? null, phone: opts.phone ?? '13912345678', post: opts.post ?? '干部', areaCode: opts.areaCode ?? '430181125000' })
    .returning({ id: helpers.id });
  return h!.id;
}

/** Makes `helperId` the household's current helper from `startDate`, ending the current assignment the day before. */
export async function fixtureAssign(db: DbOrTx, householdId: string, helperId: string, startDate: string, endReason = '工作调整'): Promise<void> {
  const [cur] = await db
    .select()
    .from(helperAssignments)
    .where(and(eq(helperAssignments.householdId, householdId), isNull(helperAssignments.endDate)));
  if (cur) await db.update(helperAssignments).set({ endDate: startDate, endReason }).where(eq(helperAssignments.id, cur.id));
  await db.insert(helperAssignments).values({ householdId, helperId, startDate });
}

/** A visit (and `photos` tiny PNG photos) of a household. @returns the visit's id and its photos' ids */
export async function fixtureVisit(db: DbOrTx, householdId: string, visitDate: string, content: string, photos = 0): Promise<{ id: string; photoIds: string[] }> {
  const [v] = await db.insert(visits).values({ householdId, visitorName: '测试帮扶人', visitDate, content, problems: null, recordedByName: '测试帮扶人' }).returning({ id: visits.id });
  const photoIds: string[] = [];
  for (let i = 0; i < photos; i++) {
    const [p] = await db
      .insert(visitPhotos)
      .values({ visitId: v!.id, householdId, mimeType: 'image/png', sizeBytes: 8, data: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) })
      .returning({ id: visitPhotos.id });
    photoIds.push(p!.id);
  }
  return { id: v!.id, photoIds };
}
