/**
 * Visits (走访记录): a helper's (or another visitor's) visit to a household with what was done,
 * problems found and up to five photos; visit monitoring (走访监测): assisted households not visited
 * within the visit period of their area, listed and counted per township, village and helper; the
 * helper's workspace (我的帮扶户). Dates are calendar dates in China Standard Time (YYYY-MM-DD).
 */
import { and, count, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../platform/db.ts';
import { rowsOf } from '../../platform/db.ts';
import { authorize, type Actor } from '../../platform/auth.ts';
import { levelOfCode, scopePrefix } from '../../shared/area-code.ts';
import { AppError, invalidField, notFound, type FieldIssue } from '../../shared/errors.ts';
import type { Page } from '../../shared/paging.ts';
import { offsetOf } from '../../shared/paging.ts';
import { recordAudit } from '../audit/index.ts';
import { loadAreaNames } from '../areas/index.ts';
import { todayCst } from '../households/index.ts';
import { households } from '../households/schema.ts';
import { helperOfActor, householdScope, loadHouseholdFor } from './access.ts';
import { ASSISTANCE } from './permissions.ts';
import { ASSISTED_HOUSEHOLD_TYPES, DEFAULT_ASSISTANCE_SETTINGS, visitStatus } from './rules.ts';
import { assistanceSettings, assistingUnits, helperAssignments, helpers, householdNeeds, visitPhotos, visits } from './schema.ts';
import { settingsFor } from './settings.ts';
import {
  recordVisitFields,
  visitListQuery,
  visitsDueSummaryQuery,
  VISIT_MAX_PHOTOS,
  VISIT_PHOTO_MAX_BYTES,
  type MyHouseholdDto,
  type MyWorkspaceDto,
  type RecordVisitInput,
  type VisitDto,
  type VisitDueItem,
  type VisitListQuery,
  type VisitPhotoType,
  type VisitsDueQuery,
  type VisitsDueSummaryDto,
} from './visits-contract.ts';

const PHOTO_LABEL = { zh: '走访照片', en: 'Visit photo' } as const;

/** An uploaded photo as the route read it. */
export interface UploadedPhoto {
  fileName: string;
  content: Buffer;
}

/**
 * What a photo's first bytes say it is — JPEG (FF D8 FF), PNG (the 8-byte signature) or WebP
 * ("RIFF" … "WEBP") — or null. The file name and the browser's declared type are not trusted.
 */
export function photoType(content: Buffer): VisitPhotoType | null {
  if (content.length >= 3 && content[0] === 0xff && content[1] === 0xd8 && content[2] === 0xff) return 'image/jpeg';
  if (content.length >= 8 && content.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (content.length >= 12 && content.subarray(0, 4).toString('latin1') === 'RIFF' && content.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return null;
}

/** The issues of a zod parse of form fields, with the contract's "中文 · English" messages split. */
function fieldIssues(error: { issues: { path: PropertyKey[]; message: string }[] }, fields: Record<string, unknown>): FieldIssue[] {
  return error.issues.map((i) => {
    const custom = i.message.split(' · ');
    const key = String(i.path[0] ?? '');
    const missing = fields[key] === undefined || fields[key] === '';
    return {
      path: i.path.map((p) => (typeof p === 'number' ? p : String(p))),
      message: custom.length === 2 ? custom[0]! : missing ? '必填' : '取值无效',
      messageEn: custom.length === 2 ? custom[1]! : missing ? 'required' : 'invalid value',
    };
  });
}

function failed(issues: FieldIssue[]): AppError {
  return new AppError('VALIDATION_FAILED', `输入有误：${issues.map((i) => i.message).join('；')}`, `Invalid input: ${issues.map((i) => i.messageEn).join('; ')}`, { issues });
}

/**
 * The day a household was registered, for "a visit cannot be earlier": 1 January of its
 * identification year (建档立卡 年度) when the registry has one, else the day its record was created
 * in fupin (China Standard Time), whichever is earlier.
 */
export function registeredOn(identificationYear: number | null, createdAt: Date): string {
  const created = todayCst(createdAt);
  if (identificationYear === null) return created;
  const start = `${identificationYear}-01-01`;
  return start < created ? start : created;
}

/**
 * Records a visit (走访记录) with 0–5 photos, in one transaction with the audit event. The visitor is
 * the actor's helper record when the actor is a helper (a helper records only on the households
 * currently assigned to them), otherwise nobody's helper record, named by the actor's display name.
 * @param input text fields: householdId, visitDate (YYYY-MM-DD, not in the future, not before the household's registration), content (required), problems (optional)
 * @param photos JPEG / PNG / WebP, each ≤ 5 MB, at most 5 (type read from the bytes)
 * @param now the moment "today" is computed from (China Standard Time)
 * @returns the visit with its photos' URLs
 * @throws AppError VALIDATION_FAILED (paths householdId, visitDate, content, problems, photos, [photos, i]), PAYLOAD_TOO_LARGE (a photo over 5 MB, named), NOT_FOUND (household outside scope or not the helper's), FORBIDDEN (role lacks assistance.record)
 */
export async function recordVisit(db: Db, actor: Actor, input: RecordVisitInput, photos: UploadedPhoto[] = [], now = new Date()): Promise<VisitDto> {
  authorize(actor, ASSISTANCE['assistance.record']);
  const parsed = recordVisitFields.safeParse(input);
  const issues: FieldIssue[] = parsed.success ? [] : fieldIssues(parsed.error, input as Record<string, unknown>);
  const today = todayCst(now);
  if (parsed.success && parsed.data.visitDate > today) issues.push({ path: ['visitDate'], message: `走访日期不能晚于今天（${today}）`, messageEn: `The visit date cannot be later than today (${today})` });
  if (photos.length > VISIT_MAX_PHOTOS) issues.push({ path: ['photos'], message: `每次走访最多 ${VISIT_MAX_PHOTOS} 张照片（选了 ${photos.length} 张）`, messageEn: `At most ${VISIT_MAX_PHOTOS} photos per visit (${photos.length} chosen)` });
  const types: VisitPhotoType[] = [];
  photos.forEach((p, i) => {
    const name = `第 ${i + 1} 张照片“${p.fileName}”`;
    const nameEn = `photo ${i + 1} “${p.fileName}”`;
    if (p.content.length > VISIT_PHOTO_MAX_BYTES) {
      throw new AppError('PAYLOAD_TOO_LARGE', `${name}超过 5 MB，请压缩后再传`, `${nameEn} is over 5 MB; make it smaller and send it again`, {
        issues: [{ path: ['photos', i], message: `${name}超过 5 MB`, messageEn: `${nameEn} is over 5 MB` }],
      });
    }
    const type = p.content.length === 0 ? null : photoType(p.content);
    if (p.content.length === 0) issues.push({ path: ['photos', i], message: `${name}是空文件`, messageEn: `${nameEn} is empty` });
    else if (!type) issues.push({ path: ['photos', i], message: `${name}不是 JPEG、PNG 或 WebP 图片`, messageEn: `${nameEn} is not a JPEG, PNG or WebP image` });
    else types.push(type);
  });
  if (issues.length > 0 || !parsed.success) throw failed(issues);
  const body = parsed.data;

  return db.transaction(async (tx) => {
    const h = await loadHouseholdFor(tx, actor, body.householdId, ASSISTANCE['assistance.record']);
    if (!h.active) throw invalidField(['householdId'], `${h.headName}户已注销，不能再记录走访`, `The household of ${h.headName} has been removed; no more visits can be recorded`);
    const [reg] = await tx.select({ identificationYear: households.identificationYear, createdAt: households.createdAt }).from(households).where(eq(households.id, h.id));
    const since = registeredOn(reg!.identificationYear, reg!.createdAt);
    if (body.visitDate < since) throw invalidField(['visitDate'], `走访日期不能早于该户建档日期（${since}）`, `The visit date cannot be earlier than the household's registration (${since})`);
    const helper = actor.role === 'helper' ? await helperOfActor(tx, actor) : null;
    const visitorName = helper?.name ?? (actor.displayName || actor.username);
    const [v] = await tx
      .insert(visits)
      .values({
        householdId: h.id,
        helperId: helper?.id ?? null,
        visitorName,
        visitDate: body.visitDate,
        content: body.content,
        problems: body.problems,
        recordedBy: actor.id,
        recordedByName: actor.displayName || actor.username,
      })
      .returning();
    const stored = photos.length
      ? await tx
          .insert(visitPhotos)
          .values(photos.map((p, i) => ({ visitId: v!.id, householdId: h.id, mimeType: types[i]!, sizeBytes: p.content.length, data: p.content })))
          .returning({ id: visitPhotos.id, mimeType: visitPhotos.mimeType, sizeBytes: visitPhotos.sizeBytes })
      : [];
    await recordAudit(tx, actor, {
      action: ASSISTANCE['assistance.record'],
      targetType: 'visit',
      targetId: v!.id,
      areaCode: h.areaCode,
      after: { householdId: h.id, visitDate: body.visitDate, visitorName, helperId: helper?.id ?? null, content: body.content, problems: body.problems, photos: stored.map((p) => ({ type: p.mimeType, bytes: p.sizeBytes })) },
    });
    const names = await loadAreaNames(tx, [h.areaCode]);
    return {
      id: v!.id,
      householdId: h.id,
      householdNo: h.householdNo,
      headName: h.headName,
      areaCode: h.areaCode,
      villageName: names.get(h.areaCode)?.name ?? '',
      helperId: v!.helperId,
      visitorName: v!.visitorName,
      visitDate: v!.visitDate,
      content: v!.content,
      problems: v!.problems,
      recordedByName: v!.recordedByName,
      createdAt: v!.createdAt.toISOString(),
      photos: stored.map((p) => ({ ...p, url: photoUrl(v!.id, p.id) })),
    };
  });
}

function photoUrl(visitId: string, photoId: string): string {
  return `/api/assistance/visits/${visitId}/photos/${photoId}`;
}

/**
 * Visits in the actor's scope (a helper: on their current households), newest first, filtered by
 * household, helper (visits that helper made) or area.
 * @throws AppError NOT_FOUND (the household or area given is outside the scope)
 */
export async function findVisits(db: DbOrTx, actor: Actor, query: VisitListQuery): Promise<Page<VisitDto>> {
  const q = visitListQuery.parse(query);
  authorize(actor, ASSISTANCE['assistance.read']);
  if (q.householdId) await loadHouseholdFor(db, actor, q.householdId, ASSISTANCE['assistance.read']);
  if (q.areaCode) authorize(actor, ASSISTANCE['assistance.read'], { areaCode: q.areaCode, label: { zh: '区域', en: 'Area' } });
  const where = and(
    householdScope(actor),
    q.householdId ? eq(visits.householdId, q.householdId) : undefined,
    q.helperId ? eq(visits.helperId, q.helperId) : undefined,
    q.areaCode ? sql`${households.areaCode} LIKE ${`${scopePrefix(q.areaCode)}%`}` : undefined,
  );
  const [{ total } = { total: 0 }] = await db.select({ total: count() }).from(visits).innerJoin(households, eq(households.id, visits.householdId)).where(where);
  const rows = await db
    .select({
      v: visits,
      householdNo: households.householdNo,
      headName: households.headName,
      areaCode: households.areaCode,
    })
    .from(visits)
    .innerJoin(households, eq(households.id, visits.householdId))
    .where(where)
    .orderBy(desc(visits.visitDate), desc(visits.createdAt))
    .limit(q.pageSize)
    .offset(offsetOf(q));
  return { items: await visitDtos(db, rows), total, page: q.page, pageSize: q.pageSize };
}

async function visitDtos(db: DbOrTx, rows: { v: typeof visits.$inferSelect; householdNo: string; headName: string; areaCode: string }[]): Promise<VisitDto[]> {
  const ids = rows.map((r) => r.v.id);
  const photos = ids.length
    ? await db
        .select({ id: visitPhotos.id, visitId: visitPhotos.visitId, mimeType: visitPhotos.mimeType, sizeBytes: visitPhotos.sizeBytes })
        .from(visitPhotos)
        .where(inArray(visitPhotos.visitId, ids))
        .orderBy(visitPhotos.createdAt, visitPhotos.id)
    : [];
  const names = await loadAreaNames(db, [...new Set(rows.map((r) => r.areaCode))]);
  return rows.map(({ v, householdNo, headName, areaCode }) => ({
    id: v.id,
    householdId: v.householdId,
    householdNo,
    headName,
    areaCode,
    villageName: names.get(areaCode)?.name ?? '',
    helperId: v.helperId,
    visitorName: v.visitorName,
    visitDate: v.visitDate,
    content: v.content,
    problems: v.problems,
    recordedByName: v.recordedByName,
    createdAt: v.createdAt.toISOString(),
    photos: photos.filter((p) => p.visitId === v.id).map((p) => ({ id: p.id, mimeType: p.mimeType, sizeBytes: p.sizeBytes, url: photoUrl(v.id, p.id) })),
  }));
}

/**
 * One photo of a visit, for a reader of the household (scoped like the household).
 * @returns the bytes and their type (image/jpeg, image/png or image/webp)
 * @throws AppError NOT_FOUND (no such photo of this visit, or the household is outside the scope)
 */
export async function getVisitPhoto(db: DbOrTx, actor: Actor, visitId: string, photoId: string): Promise<{ mimeType: string; data: Buffer }> {
  authorize(actor, ASSISTANCE['assistance.read']);
  const [p] = await db
    .select({ householdId: visitPhotos.householdId, mimeType: visitPhotos.mimeType, data: visitPhotos.data })
    .from(visitPhotos)
    .where(and(eq(visitPhotos.id, photoId), eq(visitPhotos.visitId, visitId)));
  if (!p) throw notFound(PHOTO_LABEL.zh, PHOTO_LABEL.en);
  await loadHouseholdFor(db, actor, p.householdId, ASSISTANCE['assistance.read']);
  return { mimeType: p.mimeType, data: p.data };
}

// ---------------------------------------------------------------------------------------------
// Monitoring (走访监测)

/**
 * The visit period of each household's area as one SQL expression over `households.area_code`, the
 * same answer as settingsFor (the nearest row among the area and its ancestors, else the '' row, else
 * DEFAULT_ASSISTANCE_SETTINGS): a CASE over the settings rows that can apply inside `areaCode`
 * (its ancestors and the areas below it), most specific first. Settings rows are few (one per county
 * that set its own), so the CASE stays short.
 */
async function periodExpression(db: DbOrTx, areaCode: string | null): Promise<SQL> {
  const rows = await db.select({ areaCode: assistanceSettings.areaCode, days: assistanceSettings.visitPeriodDays }).from(assistanceSettings);
  const fallback = rows.find((r) => r.areaCode === '')?.days ?? DEFAULT_ASSISTANCE_SETTINGS.visitPeriodDays;
  const inside = areaCode ? scopePrefix(areaCode) : '';
  const relevant = rows
    .filter((r) => r.areaCode !== '')
    .map((r) => ({ prefix: scopePrefix(r.areaCode), days: r.days }))
    .filter((r) => r.prefix.startsWith(inside) || inside.startsWith(r.prefix))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  if (relevant.length === 0) return sql`${fallback}::int`;
  return sql`(CASE ${sql.join(
    relevant.map((r) => sql`WHEN ${households.areaCode} LIKE ${`${r.prefix}%`} THEN ${r.days}::int`),
    sql` `,
  )} ELSE ${fallback}::int END)`;
}

interface AssistedRow {
  id: string;
  household_no: string;
  head_name: string;
  household_type: string;
  area_code: string;
  last_visit: string | null;
  paired_on: string | null;
  helper_id: string | null;
  helper_name: string | null;
  unit_name: string | null;
  period: number;
  overdue: boolean;
}

/**
 * The assisted households (ASSISTED_HOUSEHOLD_TYPES, active) inside `areaCode` and the actor's scope,
 * each with its last visit (max visit_date), current helper and the day it was paired with them
 * (start_date of the assignment without end_date), the period of its area and whether it is overdue on
 * `asOf` — the same rule as rules.ts visitStatus: the reference date is the last visit, else the
 * pairing, else none (overdue); overdue when the reference date is more than the period before `asOf`.
 */
function assistedHouseholdsCte(actor: Actor, areaCode: string | null, period: SQL, asOf: string): SQL {
  const types = sql.join(
    ASSISTED_HOUSEHOLD_TYPES.map((t) => sql`${t}`),
    sql`, `,
  );
  const inArea = areaCode ? sql`AND ${households.areaCode} LIKE ${`${scopePrefix(areaCode)}%`}` : sql``;
  return sql`WITH assisted AS (
    SELECT ${households.id} AS id, ${households.householdNo} AS household_no, ${households.headName} AS head_name,
      ${households.householdType} AS household_type, ${households.areaCode} AS area_code,
      lv.last_visit::text AS last_visit, ha.start_date::text AS paired_on, ha.helper_id, hp.name AS helper_name, un.name AS unit_name, ${period} AS period,
      (COALESCE(lv.last_visit, ha.start_date) IS NULL OR COALESCE(lv.last_visit, ha.start_date) < ${asOf}::date - ${period}) AS overdue
    FROM ${households}
    LEFT JOIN ${helperAssignments} ha ON ha.household_id = ${households.id} AND ha.end_date IS NULL
    LEFT JOIN ${helpers} hp ON hp.id = ha.helper_id
    LEFT JOIN ${assistingUnits} un ON un.id = hp.unit_id
    LEFT JOIN LATERAL (SELECT max(v.visit_date) AS last_visit FROM ${visits} v WHERE v.household_id = ${households.id}) lv ON true
    WHERE ${households.active} AND ${households.householdType} IN (${types}) ${inArea} AND ${householdScope(actor)}
  )`;
}

/** The area a monitoring query looks at: the one asked for (inside the scope) or the actor's. */
function monitoringArea(actor: Actor, areaCode: string | undefined): string | null {
  if (areaCode) {
    authorize(actor, ASSISTANCE['assistance.read'], { areaCode, label: { zh: '区域', en: 'Area' } });
    return areaCode;
  }
  authorize(actor, ASSISTANCE['assistance.read']);
  return actor.areaCode;
}

/**
 * 走访监测: the assisted households of an area not visited within the visit period of their area
 * (settingsFor → visitPeriodDays; rules.ts visitStatus: a household never visited counts from the
 * pairing with its current helper, and without a helper it is due now), never-visited first, then the longest
 * without a visit. Scoped by area for every role; a helper sees only their current households.
 * @param asOf the day the status is computed for (default today, China Standard Time)
 * @throws AppError NOT_FOUND (area outside the scope)
 */
export async function findVisitsDue(db: DbOrTx, actor: Actor, query: VisitsDueQuery, asOf = todayCst()): Promise<Page<VisitDueItem>> {
  const q = { ...query, page: query.page ?? 1, pageSize: Math.min(query.pageSize ?? 20, 200), neverVisited: query.neverVisited ?? false };
  const area = monitoringArea(actor, q.areaCode);
  const period = await periodExpression(db, area);
  const filters: SQL[] = [sql`overdue`];
  if (q.neverVisited) filters.push(sql`last_visit IS NULL`);
  if (q.helperId === 'none') filters.push(sql`helper_id IS NULL`);
  else if (q.helperId) filters.push(sql`helper_id = ${q.helperId}`);
  const where = sql.join(filters, sql` AND `);
  const cte = assistedHouseholdsCte(actor, area, period, asOf);
  const [totalRow] = rowsOf<{ n: number }>(await db.execute(sql`${cte} SELECT count(*)::int AS n FROM assisted WHERE ${where}`));
  const rows = rowsOf<AssistedRow>(
    await db.execute(
      sql`${cte} SELECT * FROM assisted WHERE ${where} ORDER BY last_visit ASC NULLS FIRST, area_code, household_no LIMIT ${q.pageSize} OFFSET ${offsetOf(q)}`,
    ),
  );
  const names = await loadAreaNames(db, [...new Set(rows.map((r) => r.area_code))]);
  return {
    items: rows.map((r) => {
      const s = visitStatus(r.last_visit, asOf, Number(r.period), r.paired_on);
      return {
        householdId: r.id,
        householdNo: r.household_no,
        headName: r.head_name,
        householdType: r.household_type,
        areaCode: r.area_code,
        villageName: names.get(r.area_code)?.name ?? '',
        townshipName: names.get(r.area_code)?.township ?? '',
        lastVisitDate: r.last_visit,
        daysSince: s.daysSince,
        dueOn: s.dueOn,
        visitPeriodDays: Number(r.period),
        helperId: r.helper_id,
        helperName: r.helper_name,
      };
    }),
    total: Number(totalRow?.n ?? 0),
    page: q.page,
    pageSize: q.pageSize,
  };
}

const LEVEL_RANK = { province: 0, city: 1, county: 2, township: 3, village: 4 } as const;

/**
 * 走访监测 counts of an area: assisted households, overdue (rules.ts visitStatus: never visited
 * counts from the pairing; never visited without a helper is overdue) and never visited — in all, per township, per village (county level and below) and per current helper (null:
 * without a helper; the 200 most overdue). Scoped like findVisitsDue.
 * @param asOf the day the status is computed for (default today, China Standard Time)
 * @throws AppError NOT_FOUND (area outside the scope)
 */
export async function visitsDueSummary(db: DbOrTx, actor: Actor, query: { areaCode?: string }, asOf = todayCst()): Promise<VisitsDueSummaryDto> {
  const q = visitsDueSummaryQuery.parse(query);
  const area = monitoringArea(actor, q.areaCode);
  const period = await periodExpression(db, area);
  const cte = assistedHouseholdsCte(actor, area, period, asOf);
  const counts = sql`count(*)::int AS households, (count(*) FILTER (WHERE overdue))::int AS overdue, (count(*) FILTER (WHERE last_visit IS NULL))::int AS never_visited`;
  type Counts = { households: number; overdue: number; never_visited: number };
  const level = area ? levelOfCode(area) : 'province';
  // One pass over the households: the total, per township, per village and per helper as grouping sets.
  const grouped = rowsOf<Counts & { township: string | null; village: string | null; helper_id: string | null; helper_name: string | null; unit_name: string | null; g_t: number; g_v: number; g_h: number }>(
    await db.execute(sql`${cte}
      SELECT township, area_code AS village, helper_id, helper_name, unit_name, ${counts},
        GROUPING(township)::int AS g_t, GROUPING(area_code)::int AS g_v, GROUPING(helper_id, helper_name, unit_name)::int AS g_h
      FROM (SELECT *, substr(area_code, 1, 9) || '000' AS township FROM assisted) a
      GROUP BY GROUPING SETS ((), (township), (area_code), (helper_id, helper_name, unit_name))`),
  );
  const total = grouped.find((r) => r.g_t === 1 && r.g_v === 1 && r.g_h !== 0);
  const byTownship = level === 'village' ? [] : grouped.filter((r) => r.g_t === 0).map((r) => ({ ...r, code: r.township! })).sort((a, b) => a.code.localeCompare(b.code));
  const byVillage = LEVEL_RANK[level] >= LEVEL_RANK.county ? grouped.filter((r) => r.g_v === 0).map((r) => ({ ...r, code: r.village! })).sort((a, b) => a.code.localeCompare(b.code)) : [];
  const byHelper = grouped
    .filter((r) => r.g_h === 0)
    .sort((a, b) => Number(b.overdue) - Number(a.overdue) || Number(a.helper_name !== null) - Number(b.helper_name !== null) || (a.helper_name ?? '').localeCompare(b.helper_name ?? '', 'zh'))
    .slice(0, 200);
  const names = await loadAreaNames(db, [...byTownship.map((r) => r.code), ...byVillage.map((r) => r.code), ...(area ? [area] : [])]);
  const c = (r: Counts | undefined) => ({ households: Number(r?.households ?? 0), overdue: Number(r?.overdue ?? 0), neverVisited: Number(r?.never_visited ?? 0) });
  return {
    areaCode: area,
    areaName: area ? (names.get(area)?.name ?? '') : '全国',
    asOf,
    visitPeriodDays: (await settingsFor(db, area)).visitPeriodDays,
    total: c(total),
    byTownship: byTownship.map((r) => ({ areaCode: r.code, name: names.get(r.code)?.name ?? r.code, ...c(r) })),
    byVillage: byVillage.map((r) => ({ areaCode: r.code, name: names.get(r.code)?.name ?? r.code, townshipName: names.get(r.code)?.township ?? '', ...c(r) })),
    byHelper: byHelper.map((r) => ({ helperId: r.helper_id, name: r.helper_name, unitName: r.unit_name, ...c(r) })),
  };
}

// ---------------------------------------------------------------------------------------------
// The helper's workspace (我的帮扶户)

/**
 * 我的帮扶户: the households currently assigned to the helper record linked to the actor's account
 * (any role may have one: a township officer who is also a helper sees theirs), each with its last
 * visit, due date and overdue flag (visitStatus with the period of its area, settingsFor, and the
 * assignment's start date: a household not yet visited is due a period after pairing) and its
 * needs not yet met; overdue first (never visited first), then by due date. An account without a
 * helper record gets `helper: null` and no households (not an error: the page says so).
 * @param asOf the day the status is computed for (default today, China Standard Time)
 */
export async function myWorkspace(db: DbOrTx, actor: Actor, asOf = todayCst()): Promise<MyWorkspaceDto> {
  authorize(actor, ASSISTANCE['assistance.read']);
  const helper = await helperOfActor(db, actor);
  if (!helper) return { helper: null, asOf, summary: { households: 0, visitsDue: 0, needsOpen: 0 }, items: [] };
  const [unit] = await db.select({ name: assistingUnits.name }).from(helpers).innerJoin(assistingUnits, eq(assistingUnits.id, helpers.unitId)).where(eq(helpers.id, helper.id));
  const lastVisit = sql<string | null>`(SELECT max(v.visit_date)::text FROM ${visits} v WHERE v.household_id = ${households.id})`;
  const openNeeds = sql<number>`(SELECT count(*)::int FROM ${householdNeeds} n WHERE n.household_id = ${households.id} AND n.status <> 'met')`;
  const rows = await db
    .select({
      householdId: households.id,
      householdNo: households.householdNo,
      headName: households.headName,
      householdType: households.householdType,
      status: households.status,
      memberCount: households.memberCount,
      areaCode: households.areaCode,
      assignedOn: helperAssignments.startDate,
      lastVisitDate: lastVisit,
      openNeeds,
    })
    .from(helperAssignments)
    .innerJoin(households, eq(households.id, helperAssignments.householdId))
    .where(and(eq(helperAssignments.helperId, helper.id), isNull(helperAssignments.endDate), eq(households.active, true)));
  const codes = [...new Set(rows.map((r) => r.areaCode))];
  const names = await loadAreaNames(db, codes);
  const periods = new Map<string, number>();
  for (const code of codes) periods.set(code, (await settingsFor(db, code)).visitPeriodDays);
  const items: MyHouseholdDto[] = rows.map((r) => {
    const period = periods.get(r.areaCode)!;
    const s = visitStatus(r.lastVisitDate, asOf, period, r.assignedOn);
    return {
      ...r,
      openNeeds: Number(r.openNeeds),
      villageName: names.get(r.areaCode)?.name ?? '',
      townshipName: names.get(r.areaCode)?.township ?? '',
      daysSince: s.daysSince,
      dueOn: s.dueOn,
      overdue: s.overdue,
      visitPeriodDays: period,
    };
  });
  items.sort(
    (a, b) =>
      Number(b.overdue) - Number(a.overdue) ||
      Number(a.lastVisitDate !== null) - Number(b.lastVisitDate !== null) ||
      (a.dueOn ?? '').localeCompare(b.dueOn ?? '') ||
      a.householdNo.localeCompare(b.householdNo),
  );
  return {
    helper: { id: helper.id, name: helper.name, unitName: unit?.name ?? null },
    asOf,
    summary: { households: items.length, visitsDue: items.filter((i) => i.overdue).length, needsOpen: items.reduce((n, i) => n + i.openNeeds, 0) },
    items,
  };
}

