/**
 * Who may see and act on which household's assistance. Every role works in its area scope; a
 * helper (role `helper`) besides only on the households currently assigned to the helper record
 * linked to the account (`helpers.user_id`). Used by every assistance service; not exported from
 * index.ts.
 */
import { and, eq, isNull, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { ancestorCodesOf } from '../../shared/area-code.ts';
import type { DbOrTx } from '../../platform/db.ts';
import { authorize, scopePattern, type Actor } from '../../platform/auth.ts';
import { notFound } from '../../shared/errors.ts';
import { households } from '../households/schema.ts';
import { helperAssignments, helpers } from './schema.ts';

export const HOUSEHOLD_LABEL = { zh: '农户', en: 'Household' } as const;

/** The household row an assistance use case needs. */
export interface AssistedHousehold {
  id: string;
  areaCode: string;
  householdNo: string;
  headName: string;
  householdType: string;
  status: string;
  active: boolean;
}

/** The helper record linked to the actor's account, or null (not a helper, or not linked yet). */
export async function helperOfActor(db: DbOrTx, actor: Actor): Promise<{ id: string; name: string; areaCode: string } | null> {
  if (!actor.id) return null;
  const [row] = await db.select({ id: helpers.id, name: helpers.name, areaCode: helpers.areaCode }).from(helpers).where(and(eq(helpers.userId, actor.id), eq(helpers.active, true)));
  return row ?? null;
}

/**
 * Loads a household for an assistance use case and checks the actor: the role holds `action`, the
 * household is in the actor's scope, and a helper is its current helper.
 * @returns the household
 * @throws AppError FORBIDDEN (role lacks the action), NOT_FOUND (no such household, outside the scope, or a helper's household assigned to someone else)
 */
export async function loadHouseholdFor(db: DbOrTx, actor: Actor, householdId: string, action: string): Promise<AssistedHousehold> {
  authorize(actor, action);
  const [h] = await db
    .select({
      id: households.id,
      areaCode: households.areaCode,
      householdNo: households.householdNo,
      headName: households.headName,
      householdType: households.householdType,
      status: households.status,
      active: households.active,
    })
    .from(households)
    .where(eq(households.id, householdId));
  if (!h) throw notFound(HOUSEHOLD_LABEL.zh, HOUSEHOLD_LABEL.en);
  authorize(actor, action, { areaCode: h.areaCode, label: HOUSEHOLD_LABEL });
  if (actor.role === 'helper' && !(await isCurrentHelper(db, actor, h.id))) throw notFound(HOUSEHOLD_LABEL.zh, HOUSEHOLD_LABEL.en);
  return h;
}

/** Whether the actor (role helper) is the household's current helper. */
export async function isCurrentHelper(db: DbOrTx, actor: Actor, householdId: string): Promise<boolean> {
  if (!actor.id) return false;
  const [row] = await db
    .select({ id: helperAssignments.id })
    .from(helperAssignments)
    .innerJoin(helpers, eq(helpers.id, helperAssignments.helperId))
    .where(and(eq(helperAssignments.householdId, householdId), isNull(helperAssignments.endDate), eq(helpers.userId, actor.id)));
  return !!row;
}

/**
 * The WHERE condition that limits rows joined to `households` to what the actor may see: the area
 * scope, and for a helper the households currently assigned to them.
 */
export function householdScope(actor: Actor): SQL {
  const area = sql`${households.areaCode} LIKE ${scopePattern(actor)}`;
  if (actor.role !== 'helper') return area;
  return sql`${area} AND EXISTS (SELECT 1 FROM ${helperAssignments} ha JOIN ${helpers} hp ON hp.id = ha.helper_id
    WHERE ha.household_id = ${households.id} AND ha.end_date IS NULL AND hp.user_id = ${actor.id ?? '00000000-0000-0000-0000-000000000000'})`;
}

/**
 * The condition "area lies on the actor's line": inside the actor's scope, or one of its ancestors
 * (a township officer sees the county's and city's units and helpers, to pair them).
 */
export function onActorLine(actor: Actor, column: SQL | AnyColumn): SQL {
  if (actor.areaCode === null) return sql`true`;
  const ancestors = ancestorCodesOf(actor.areaCode);
  if (ancestors.length === 0) return sql`${column} LIKE ${scopePattern(actor)}`;
  return sql`(${column} LIKE ${scopePattern(actor)} OR ${column} IN (${sql.join(
    ancestors.map((c) => sql`${c}`),
    sql`, `,
  )}))`;
}
