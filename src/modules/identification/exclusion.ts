/**
 * Exclusion rules (红线 / 四不列) and cross-checks (比对): the per-area rule settings, the import of
 * cross-check lists from other departments (vehicles, property, payroll, businesses, village cadres,
 * keyed by ID number), the evaluation of households into red-line hits (红线命中), the written
 * justification that lets a hit through, and the lists and counts of hits per village and county.
 *
 * Which households are evaluated: those given to `refreshRedLineHits` (the procedure passes a batch's
 * households when it is submitted); after a list import, a settings change or a re-run for an area,
 * the households of the area that are in the identification procedure (a live application) or have
 * an open hit — or, when asked (`all`, 回头看), every active household of the area.
 *
 * Use cases: authorize → load → rules (exclusion-rules.ts) → write → audit, in one transaction.
 */
import { and, asc, count, desc, eq, inArray, like, ne, or, sql, type SQL } from 'drizzle-orm';
import { AppError, notFound, type FieldIssue } from '../../shared/errors.ts';
import { ancestorCodesOf, LEVEL_DIGITS, AREA_LEVELS, levelOfCode, scopePrefix } from '../../shared/area-code.ts';
import { maskIdNumber } from '../../shared/mask.ts';
import { checkCharacter } from '../../shared/id-number.ts';
import type { Page } from '../../shared/paging.ts';
import { authorize, inScope, scopePattern, SYSTEM_ACTOR, type Actor } from '../../platform/auth.ts';
import { rowsOf, type Db, type DbOrTx } from '../../platform/db.ts';
import { loadArea, loadAreaNames } from '../areas/index.ts';
import { recordAudit } from '../audit/index.ts';
import { todayCst } from '../households/index.ts';
import { households, members } from '../households/schema.ts';
import { users } from '../accounts/schema.ts';
import { cellText, FileRefusal, isBlankRow, readIdNumber, readSpreadsheet, readText, type CellValue } from '../exchange/index.ts';
import { crossCheckEntries, crossCheckLists, exclusionRuleSettings, identificationApplications, redLineHits } from './schema.ts';
import { IDENTIFICATION } from './permissions.ts';
import {
  CROSS_CHECK_KIND_LABELS,
  EXCLUSION_RULE_CODES,
  EXCLUSION_RULES,
  MIN_JUSTIFICATION_LENGTH,
  evaluateHousehold,
  exclusionRuleParams,
  findCrossCheckColumns,
  findingKey,
  resolveSettings,
  type CrossCheckKind,
  type ExclusionRuleCode,
  type ExclusionSettingRow,
  type Finding,
  type ListMatch,
} from './exclusion-rules.ts';
import type {
  CrossCheckImportResult,
  CrossCheckListItem,
  ExclusionSettingsDto,
  RedLineHitItem,
  RedLineHitQuery,
  RedLineSummary,
  RefreshHitsResult,
  SaveExclusionSettingsBody,
} from './exclusion-contract.ts';

const HIT = { zh: '红线命中', en: 'Red-line hit' };
const AREA = { zh: '区划', en: 'Area' };
/** Procedure states after which an application is no longer live. */
const ENDED_STATES = ['registered', 'rejected', 'withdrawn'];
/** Largest cross-check file accepted (bytes). */
export const CROSS_CHECK_MAX_BYTES = 20 * 1024 * 1024;
const CHUNK = 500;

function chunks<T>(xs: readonly T[], n = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

function validation(message: string, messageEn: string, issues: FieldIssue[], details: Record<string, unknown> = {}): AppError {
  return new AppError('VALIDATION_FAILED', message, messageEn, { issues, ...details });
}

/** A county or a wider area (lists and settings are set there, not in a township or village). */
function checkCountyOrWider(areaCode: string, path: string[]): void {
  const level = levelOfCode(areaCode);
  if (level === 'township' || level === 'village') {
    throw validation('比对名单和红线规则按县（或更大范围）设置', 'Cross-check lists and exclusion rules are set for a county or a wider area', [
      { path, message: '应为县级或以上区划', messageEn: 'must be a county or a wider area' },
    ]);
  }
}

async function checkAreaExists(db: DbOrTx, areaCode: string, path: string[]): Promise<void> {
  if (!(await loadArea(db, areaCode))) throw validation(`区划 ${areaCode} 不存在`, `Area ${areaCode} does not exist`, [{ path, message: '区划不存在', messageEn: 'no such area' }]);
}

// ---------------------------------------------------------------------------------------------
// Settings

async function loadSettingRows(db: DbOrTx): Promise<ExclusionSettingRow[]> {
  return db.select({ areaCode: exclusionRuleSettings.areaCode, rule: exclusionRuleSettings.rule, enabled: exclusionRuleSettings.enabled, params: exclusionRuleSettings.params }).from(exclusionRuleSettings);
}

async function settingsDto(db: DbOrTx, rows: readonly ExclusionSettingRow[], areaCode: string | null): Promise<ExclusionSettingsDto> {
  // The national view: only the national row ('') and the defaults apply.
  const eff = resolveSettings(areaCode === null ? rows.filter((r) => r.areaCode === '') : rows, areaCode ?? '000000000000');
  const areaName = areaCode === null ? null : ((await loadAreaNames(db, [areaCode])).get(areaCode)?.full ?? null);
  return {
    areaCode,
    areaName,
    rules: EXCLUSION_RULE_CODES.map((code) => {
      const def = EXCLUSION_RULES[code];
      const s = eff[code];
      return {
        code,
        label: def.label,
        description: def.description,
        source: def.source,
        listKind: def.listKind,
        registryData: def.registryData,
        defaultEnabled: def.defaultEnabled,
        defaultParams: def.defaultParams as Record<string, number>,
        enabled: s.enabled,
        params: s.params as Record<string, number>,
        from: s.from,
      };
    }),
  };
}

/**
 * The exclusion rules as they apply in an area: each rule's catalogue entry (label, source, the list
 * kind or registry data it reads, defaults) and the setting of the most specific area containing it.
 * @param areaCode default the actor's own area (the national settings for a country-wide actor)
 * @throws AppError NOT_FOUND when the area is outside the actor's scope
 */
export async function getExclusionSettings(db: DbOrTx, actor: Actor, areaCode?: string): Promise<ExclusionSettingsDto> {
  const code = areaCode ?? actor.areaCode;
  authorize(actor, IDENTIFICATION['identification.read'], { areaCode: code, label: AREA });
  return settingsDto(db, await loadSettingRows(db), code);
}

/**
 * Sets the exclusion rules of an area (a county or wider; null = the national row, for a
 * country-wide administrator): enabled and params per rule given (params laid over the rule's
 * defaults: `incomeAboveLine.line` yuan per person per year, `longAbsent.minMonths` 1–12). Rules not
 * given keep their rows. Then re-evaluates the area's households in the procedure and with open hits.
 * Audited with the rows before and after.
 * @throws AppError FORBIDDEN (role), NOT_FOUND (area outside scope), VALIDATION_FAILED (a township or
 *   village, unknown area, bad params: path ['rules', i, 'params', name])
 */
export async function saveExclusionSettings(db: Db, actor: Actor, body: SaveExclusionSettingsBody): Promise<ExclusionSettingsDto & { refreshed: RefreshHitsResult }> {
  authorize(actor, IDENTIFICATION['identification.cross-check'], { areaCode: body.areaCode, label: AREA });
  const rowArea = body.areaCode ?? '';
  if (body.areaCode !== null) {
    checkCountyOrWider(body.areaCode, ['areaCode']);
    await checkAreaExists(db, body.areaCode, ['areaCode']);
  }
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  const values = body.rules.map((r, i) => {
    if (seen.has(r.rule)) issues.push({ path: ['rules', i, 'rule'], message: '规则重复', messageEn: 'the rule is given twice' });
    seen.add(r.rule);
    const parsed = exclusionRuleParams[r.rule].safeParse({ ...EXCLUSION_RULES[r.rule].defaultParams, ...r.params });
    if (!parsed.success) {
      for (const iss of parsed.error.issues) {
        const [zh, en] = iss.message.includes(' · ') ? iss.message.split(' · ') : [iss.code === 'unrecognized_keys' ? '此规则没有这个参数' : '参数无效', iss.code === 'unrecognized_keys' ? 'this rule has no such parameter' : 'invalid parameter'];
        const key = iss.code === 'unrecognized_keys' ? (iss.keys[0] ?? '') : String(iss.path[0] ?? '');
        issues.push({ path: ['rules', i, 'params', key], message: zh!, messageEn: en! });
      }
    }
    return { areaCode: rowArea, rule: r.rule, enabled: r.enabled, params: parsed.success ? parsed.data : {}, updatedBy: actor.id, updatedAt: new Date() };
  });
  if (issues.length) throw validation(`红线规则设置有误：${issues.map((i) => `${i.path.join('.')} ${i.message}`).join('；')}`, `Invalid exclusion-rule settings: ${issues.map((i) => `${i.path.join('.')} ${i.messageEn}`).join('; ')}`, issues);
  return db.transaction(async (tx) => {
    const before = await tx.select().from(exclusionRuleSettings).where(eq(exclusionRuleSettings.areaCode, rowArea));
    for (const v of values) {
      await tx
        .insert(exclusionRuleSettings)
        .values(v)
        .onConflictDoUpdate({ target: [exclusionRuleSettings.areaCode, exclusionRuleSettings.rule], set: { enabled: v.enabled, params: v.params, updatedBy: v.updatedBy, updatedAt: v.updatedAt } });
    }
    const refreshed = await refreshArea(tx, body.areaCode, false);
    await recordAudit(tx, actor, {
      action: IDENTIFICATION['identification.cross-check'],
      targetType: 'exclusionRuleSettings',
      targetId: rowArea || null,
      areaCode: body.areaCode,
      before: before.map((b) => ({ rule: b.rule, enabled: b.enabled, params: b.params })),
      after: { rules: values.map((v) => ({ rule: v.rule, enabled: v.enabled, params: v.params })), refreshed },
    });
    return { ...(await settingsDto(tx, await loadSettingRows(tx), body.areaCode)), refreshed };
  });
}

// ---------------------------------------------------------------------------------------------
// Evaluation

interface ActiveList {
  id: string;
  kind: CrossCheckKind;
  areaCode: string;
  name: string;
}

/**
 * Evaluates the exclusion rules on these households and brings their hits up to date: a finding not
 * yet present (same household, rule, member and kind of source: the registry or a list) is inserted as
 * an 'open' hit; an 'open' hit no longer found is marked 'cleared' (its detail, list and area are kept
 * current while found); 'justified' hits are never touched. A removed household's open hits are
 * cleared. Findings come from the households' registry data and the ACTIVE cross-check lists of the
 * areas containing each household, under the settings of its area.
 *
 * Internal (no authorization): the procedure calls it inside its own transaction when a batch is
 * submitted; the use cases here call it after an import, a settings change or a re-run.
 * @param householdIds any number (evaluated 500 at a time); unknown ids are ignored
 * @returns hits opened and cleared
 */
export async function refreshRedLineHits(tx: DbOrTx, householdIds: string[]): Promise<{ opened: number; cleared: number }> {
  const ids = [...new Set(householdIds)];
  if (ids.length === 0) return { opened: 0, cleared: 0 };
  const settingRows = await loadSettingRows(tx);
  const lists: ActiveList[] = (await tx.select({ id: crossCheckLists.id, kind: crossCheckLists.kind, areaCode: crossCheckLists.areaCode, name: crossCheckLists.name }).from(crossCheckLists).where(eq(crossCheckLists.active, true))) as ActiveList[];
  const listById = new Map(lists.map((l) => [l.id, l]));
  const today = todayCst();
  const settingsByArea = new Map<string, ReturnType<typeof resolveSettings>>();
  let opened = 0;
  let cleared = 0;
  for (const part of chunks(ids)) {
    const hs = await tx
      .select({ id: households.id, areaCode: households.areaCode, active: households.active, latestIncomeYear: households.latestIncomeYear, latestPerCapitaNetIncome: households.latestPerCapitaNetIncome })
      .from(households)
      .where(inArray(households.id, part));
    const ms = await tx
      .select({ householdId: members.householdId, id: members.id, name: members.name, idNumber: members.idNumber, birthDate: members.birthDate, employment: members.employment, monthsWorked: members.monthsWorked, status: members.status, alive: members.alive })
      .from(members)
      .where(inArray(members.householdId, part));
    const entries =
      lists.length === 0
        ? []
        : await tx
            .select({ listId: crossCheckEntries.listId, idNumber: crossCheckEntries.idNumber, detail: crossCheckEntries.detail, householdId: members.householdId, memberId: members.id })
            .from(crossCheckEntries)
            .innerJoin(members, eq(members.idNumber, crossCheckEntries.idNumber))
            .where(and(inArray(members.householdId, part), eq(members.status, 'active'), inArray(crossCheckEntries.listId, lists.map((l) => l.id))))
            .orderBy(asc(crossCheckEntries.listId), asc(crossCheckEntries.row));
    const existing = await tx
      .select()
      .from(redLineHits)
      .where(and(inArray(redLineHits.householdId, part), inArray(redLineHits.status, ['open', 'justified'])));

    const membersOf = groupBy(ms, (m) => m.householdId);
    const entriesOf = groupBy(entries, (e) => e.householdId);
    const hitsOf = groupBy(existing, (h) => h.householdId);
    const inserts: (typeof redLineHits.$inferInsert)[] = [];
    const toClear: string[] = [];
    for (const h of hs) {
      const hits = hitsOf.get(h.id) ?? [];
      let findings: Finding[] = [];
      if (h.active) {
        let settings = settingsByArea.get(h.areaCode);
        if (!settings) settingsByArea.set(h.areaCode, (settings = resolveSettings(settingRows, h.areaCode)));
        const matches: ListMatch[] = [];
        for (const e of entriesOf.get(h.id) ?? []) {
          const l = listById.get(e.listId)!;
          if (!h.areaCode.startsWith(scopePrefix(l.areaCode))) continue;
          matches.push({ listId: l.id, listName: l.name, kind: l.kind, memberId: e.memberId, detail: e.detail });
        }
        findings = evaluateHousehold({ household: h, members: membersOf.get(h.id) ?? [], matches, settings, today });
      }
      const present = new Map(hits.map((x) => [findingKey(x), x]));
      const found = new Set<string>();
      for (const f of findings) {
        const key = findingKey(f);
        found.add(key);
        const had = present.get(key);
        if (!had) {
          inserts.push({ householdId: h.id, areaCode: h.areaCode, rule: f.rule, memberId: f.memberId, source: f.source, listId: f.listId, detail: f.detail, status: 'open' });
        } else if (had.status === 'open' && (had.detail !== f.detail || had.source !== f.source || had.areaCode !== h.areaCode)) {
          await tx.update(redLineHits).set({ detail: f.detail, source: f.source, listId: f.listId, areaCode: h.areaCode }).where(eq(redLineHits.id, had.id));
        }
      }
      for (const x of hits) if (x.status === 'open' && !found.has(findingKey(x))) toClear.push(x.id);
    }
    for (const part2 of chunks(inserts, 1000)) await tx.insert(redLineHits).values(part2);
    if (toClear.length) await tx.update(redLineHits).set({ status: 'cleared' }).where(and(inArray(redLineHits.id, toClear), eq(redLineHits.status, 'open')));
    opened += inserts.length;
    cleared += toClear.length;
  }
  return { opened, cleared };
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = m.get(k);
    if (list) list.push(x);
    else m.set(k, [x]);
  }
  return m;
}

/**
 * The households of an area to evaluate: with a live application or an open hit; with `all`, also
 * every active household. @param areaCode null = the whole country
 */
async function householdsToEvaluate(tx: DbOrTx, areaCode: string | null, all: boolean): Promise<string[]> {
  const pattern = areaCode === null ? '%' : `${scopePrefix(areaCode)}%`;
  const rows = rowsOf<{ id: string }>(
    await tx.execute(sql`
      SELECT id FROM ${households} h WHERE h.area_code LIKE ${pattern} AND (
        ${all ? sql`h.active OR` : sql``}
        EXISTS (SELECT 1 FROM ${identificationApplications} a WHERE a.household_id = h.id AND a.state <> ALL(${`{${ENDED_STATES.join(',')}}`}::text[]))
        OR EXISTS (SELECT 1 FROM ${redLineHits} r WHERE r.household_id = h.id AND r.status = 'open'))`),
  );
  return rows.map((r) => r.id);
}

async function refreshArea(tx: DbOrTx, areaCode: string | null, all: boolean): Promise<RefreshHitsResult> {
  const ids = await householdsToEvaluate(tx, areaCode, all);
  return { evaluated: ids.length, ...(await refreshRedLineHits(tx, ids)) };
}

/**
 * Re-runs the exclusion rules over an area (county officer): the households in the procedure and those
 * with open hits, or with `all` every active household (回头看). Audited.
 * @throws AppError FORBIDDEN, NOT_FOUND (area outside scope)
 */
export async function refreshRedLineHitsInArea(db: Db, actor: Actor, input: { areaCode: string; all: boolean }): Promise<RefreshHitsResult> {
  authorize(actor, IDENTIFICATION['identification.cross-check'], { areaCode: input.areaCode, label: AREA });
  return db.transaction(async (tx) => {
    const r = await refreshArea(tx, input.areaCode, input.all);
    await recordAudit(tx, actor, { action: IDENTIFICATION['identification.cross-check'], targetType: 'redLineHits', areaCode: input.areaCode, after: { refresh: true, all: input.all, ...r } });
    return r;
  });
}

/**
 * Open (unjustified) hits per household, for the procedure's checks (township review, county approval).
 * @returns household id → number of open hits (households without any are absent)
 */
export async function countOpenRedLineHits(tx: DbOrTx, householdIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const part of chunks([...new Set(householdIds)])) {
    const rows = await tx
      .select({ householdId: redLineHits.householdId, n: count() })
      .from(redLineHits)
      .where(and(inArray(redLineHits.householdId, part), eq(redLineHits.status, 'open')))
      .groupBy(redLineHits.householdId);
    for (const r of rows) out.set(r.householdId, Number(r.n));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Justification (override)

/**
 * A reviewer's written justification of an open hit (书面说明): the hit becomes 'justified' with who and
 * when, and no longer blocks the procedure. Audited.
 * @param justification at least 10 characters (MIN_JUSTIFICATION_LENGTH)
 * @throws AppError FORBIDDEN (role), NOT_FOUND (absent or outside scope), VALIDATION_FAILED (too short,
 *   path ['justification']), CONFLICT (the hit is not open: already justified, or cleared)
 */
export async function justifyRedLineHit(db: Db, actor: Actor, id: string, justification: string): Promise<RedLineHitItem> {
  authorize(actor, IDENTIFICATION['identification.override']);
  const text = justification.trim();
  return db.transaction(async (tx) => {
    const [hit] = await tx.select().from(redLineHits).where(eq(redLineHits.id, id)).for('update');
    if (!hit) throw notFound(HIT.zh, HIT.en);
    authorize(actor, IDENTIFICATION['identification.override'], { areaCode: hit.areaCode, label: HIT });
    if ([...text].length < MIN_JUSTIFICATION_LENGTH) {
      throw validation(`书面说明至少 ${MIN_JUSTIFICATION_LENGTH} 个字`, `The justification needs at least ${MIN_JUSTIFICATION_LENGTH} characters`, [
        { path: ['justification'], message: `至少 ${MIN_JUSTIFICATION_LENGTH} 个字`, messageEn: `at least ${MIN_JUSTIFICATION_LENGTH} characters` },
      ]);
    }
    if (hit.status !== 'open') {
      throw new AppError(
        'CONFLICT',
        hit.status === 'justified' ? '该红线命中已有书面说明' : '该红线命中已消除（数据已变化），无需说明',
        hit.status === 'justified' ? 'This hit is already justified' : 'This hit was cleared (the data changed); nothing to justify',
        { status: hit.status },
      );
    }
    const at = new Date();
    await tx.update(redLineHits).set({ status: 'justified', justification: text, justifiedBy: actor.id, justifiedByName: actor.displayName || actor.username, justifiedAt: at }).where(eq(redLineHits.id, id));
    await recordAudit(tx, actor, {
      action: IDENTIFICATION['identification.override'],
      targetType: 'redLineHit',
      targetId: id,
      areaCode: hit.areaCode,
      before: { status: hit.status },
      after: { status: 'justified', householdId: hit.householdId, rule: hit.rule, justification: text },
    });
    const [item] = await selectHitItems(tx, [eq(redLineHits.id, id)], { limit: 1, offset: 0 });
    return item!;
  });
}

// ---------------------------------------------------------------------------------------------
// Lists of hits

async function selectHitItems(db: DbOrTx, where: SQL[], page: { limit: number; offset: number }): Promise<RedLineHitItem[]> {
  const rows = await db
    .select({
      hit: redLineHits,
      householdNo: households.householdNo,
      headName: households.headName,
      memberName: members.name,
      memberIdNumber: members.idNumber,
      listName: crossCheckLists.name,
    })
    .from(redLineHits)
    .innerJoin(households, eq(households.id, redLineHits.householdId))
    .leftJoin(members, and(eq(members.householdId, redLineHits.householdId), eq(members.id, redLineHits.memberId)))
    .leftJoin(crossCheckLists, eq(crossCheckLists.id, redLineHits.listId))
    .where(and(...where))
    .orderBy(sql`${redLineHits.status} = 'open' DESC`, desc(redLineHits.foundAt), asc(households.householdNo), asc(redLineHits.rule), asc(redLineHits.id))
    .limit(page.limit)
    .offset(page.offset);
  const names = await loadAreaNames(db, [...new Set(rows.map((r) => r.hit.areaCode))]);
  return rows.map(({ hit, ...r }) => {
    const a = names.get(hit.areaCode);
    return {
      id: hit.id,
      householdId: hit.householdId,
      householdNo: r.householdNo,
      headName: r.headName,
      areaCode: hit.areaCode,
      villageName: a?.name ?? '',
      townshipName: a?.township ?? '',
      rule: hit.rule as ExclusionRuleCode,
      memberId: hit.memberId,
      memberName: r.memberName,
      memberIdNumber: maskIdNumber(r.memberIdNumber),
      source: hit.source,
      listId: hit.listId,
      listName: r.listName,
      detail: hit.detail,
      status: hit.status as RedLineHitItem['status'],
      justification: hit.justification,
      justifiedByName: hit.justifiedByName,
      justifiedAt: hit.justifiedAt?.toISOString() ?? null,
      foundAt: hit.foundAt.toISOString(),
    };
  });
}

/**
 * Red-line hits in the actor's scope (per village, township or county), open ones first, newest
 * first; members' ID numbers masked.
 * @param query areaCode (within scope), status, rule, householdId; page, pageSize
 * @throws AppError NOT_FOUND when areaCode is outside the actor's scope
 */
export async function findRedLineHits(db: DbOrTx, actor: Actor, query: RedLineHitQuery): Promise<Page<RedLineHitItem>> {
  authorize(actor, IDENTIFICATION['identification.read']);
  if (query.areaCode && !inScope(actor, query.areaCode)) throw notFound(AREA.zh, AREA.en);
  const where: SQL[] = [like(redLineHits.areaCode, scopePattern(actor))];
  if (query.areaCode) where.push(like(redLineHits.areaCode, `${scopePrefix(query.areaCode)}%`));
  if (query.status) where.push(eq(redLineHits.status, query.status));
  if (query.rule) where.push(eq(redLineHits.rule, query.rule));
  if (query.householdId) where.push(eq(redLineHits.householdId, query.householdId));
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(redLineHits).where(and(...where));
  const items = await selectHitItems(db, where, { limit: query.pageSize, offset: (query.page - 1) * query.pageSize });
  return { items, total: Number(n), page: query.page, pageSize: query.pageSize };
}

/**
 * Counts of open and justified hits in an area, by rule and by child area (the townships of a county,
 * the villages of a township …), for the page's summary.
 * @param areaCode default the top of the actor's scope
 * @throws AppError NOT_FOUND when areaCode is outside the actor's scope
 */
export async function summarizeRedLineHits(db: DbOrTx, actor: Actor, areaCode?: string): Promise<RedLineSummary> {
  authorize(actor, IDENTIFICATION['identification.read']);
  const code = areaCode ?? actor.areaCode;
  if (code !== null && !inScope(actor, code)) throw notFound(AREA.zh, AREA.en);
  const pattern = code === null ? scopePattern(actor) : `${scopePrefix(code)}%`;
  const level = code === null ? null : levelOfCode(code);
  const childLevel = level === null ? 'province' : AREA_LEVELS[Math.min(AREA_LEVELS.indexOf(level) + 1, AREA_LEVELS.length - 1)]!;
  const digits = LEVEL_DIGITS[childLevel];
  const open = sql<number>`count(*) FILTER (WHERE ${redLineHits.status} = 'open')`.mapWith(Number);
  const justified = sql<number>`count(*) FILTER (WHERE ${redLineHits.status} = 'justified')`.mapWith(Number);
  const live = and(like(redLineHits.areaCode, pattern), like(redLineHits.areaCode, scopePattern(actor)), ne(redLineHits.status, 'cleared'));
  const byRuleRows = await db.select({ rule: redLineHits.rule, open, justified }).from(redLineHits).where(live).groupBy(redLineHits.rule);
  const child = sql<string>`left(${redLineHits.areaCode}, ${sql.raw(String(digits))})`;
  const byAreaRows = await db.select({ prefix: child, open, justified }).from(redLineHits).where(live).groupBy(child).orderBy(child);
  const codes = byAreaRows.map((r) => r.prefix.padEnd(12, '0'));
  const names = await loadAreaNames(db, code === null ? codes : [...codes, code]);
  const byRule = EXCLUSION_RULE_CODES.map((rule) => {
    const r = byRuleRows.find((x) => x.rule === rule);
    return { rule, open: r?.open ?? 0, justified: r?.justified ?? 0 };
  });
  return {
    areaCode: code,
    areaName: code === null ? null : (names.get(code)?.full ?? null),
    byRule,
    byArea: byAreaRows.map((r, i) => ({ areaCode: codes[i]!, name: names.get(codes[i]!)?.name ?? codes[i]!, open: r.open, justified: r.justified })),
    open: byRule.reduce((s, r) => s + r.open, 0),
    justified: byRule.reduce((s, r) => s + r.justified, 0),
  };
}

// ---------------------------------------------------------------------------------------------
// Cross-check lists

export interface CrossCheckEntryInput {
  /** Sheet row as the spreadsheet program shows it. */
  row: number;
  idNumber: string;
  name: string | null;
  detail: string | null;
}

const MAX_LISTED_ISSUES = 100;

/**
 * Reads a cross-check list (.xlsx or .csv, through exchange's readers): the first sheet with an
 * ID-number column (身份证号 / 公民身份号码 / 证件号码 …, found among its first 20 rows), its name
 * column and detail columns (车牌号, 房屋地址, 工作单位, 企业名称, 职务 …). Blank rows are skipped.
 * @throws AppError VALIDATION_FAILED when the file cannot be read (path ['file']), has no ID-number
 *   column or no data row, or any row has a missing or invalid ID number (GB 11643-1999): every such row
 *   is named with its column and reason (path ['file', row, column header]), and nothing is imported;
 *   PAYLOAD_TOO_LARGE above 20 MB
 */
export async function readCrossCheckFile(file: { fileName: string; content: Buffer }): Promise<CrossCheckEntryInput[]> {
  const entries: CrossCheckEntryInput[] = [];
  const issues: FieldIssue[] = [];
  let bad = 0;
  let found = false;
  try {
    for await (const sheet of readSpreadsheet({ buffer: file.content, fileName: file.fileName }, { maxBytes: CROSS_CHECK_MAX_BYTES, maxRows: 1_000_000, maxUncompressedBytes: 400 * 1024 * 1024 })) {
      const head: { sheetRow: number; cells: CellValue[] }[] = [];
      let columns: ReturnType<typeof findCrossCheckColumns> = null;
      const take = (r: { sheetRow: number; cells: CellValue[] }) => {
        if (isBlankRow(r.cells) || !columns) return;
        const idCell = r.cells[columns.idNumber.index];
        const id = readIdNumber(idCell);
        if (!id.ok || id.value === null) {
          bad++;
          if (issues.length < MAX_LISTED_ISSUES) {
            const h = columns.idNumber.header;
            const [zh, en] = id.ok ? ['证件号码为空', 'the ID number is empty'] : [id.message, id.messageEn];
            issues.push({ path: ['file', r.sheetRow, h], message: `第 ${r.sheetRow} 行“${h}”列：${zh}`, messageEn: `Row ${r.sheetRow}, column “${h}”: ${en}` });
          }
          return;
        }
        const name = columns.name ? readText(r.cells[columns.name.index], 50) : null;
        const details = columns.details
          .map((d) => ({ header: d.header, text: cellText(r.cells[d.index]) }))
          .filter((d) => d.text !== '')
          .map((d) => `${d.header}：${d.text}`)
          .join('；');
        entries.push({ row: r.sheetRow, idNumber: id.value, name: name && name.ok ? name.value : null, detail: details === '' ? null : details.slice(0, 500) });
      };
      for await (const r of sheet.rows) {
        if (found && !columns) continue; // a later sheet, once the list was found: read through, ignored
        if (!columns && head.length < 20) {
          head.push(r);
          const c = findCrossCheckColumns(head.map((x) => x.cells.map(cellText)));
          if (c) {
            columns = c;
            found = true;
            for (const x of head.slice(c.headerRowIndex + 1)) take(x);
          }
          continue;
        }
        take(r);
      }
    }
  } catch (e) {
    if (e instanceof FileRefusal) {
      if (e.code === 'TOO_LARGE') throw new AppError('PAYLOAD_TOO_LARGE', e.message, e.messageEn, { issues: [{ path: ['file'], message: e.message, messageEn: e.messageEn }] });
      throw validation(e.message, e.messageEn, [{ path: ['file'], message: e.message, messageEn: e.messageEn }], { refusal: e.code });
    }
    throw e;
  }
  if (!found) {
    throw validation('名单中找不到身份证号列（应有“身份证号”或“公民身份号码”列）', 'No ID-number column in the list (a column “身份证号” or “公民身份号码” is required)', [
      { path: ['file'], message: '找不到身份证号列', messageEn: 'no ID-number column' },
    ]);
  }
  if (bad > 0) {
    const first = issues.slice(0, 3);
    throw validation(
      `名单有 ${bad} 行身份证号有误，整个文件未导入：${first.map((i) => i.message).join('；')}${bad > first.length ? ' …' : ''}`,
      `${bad} row(s) of the list have a bad ID number; nothing was imported: ${first.map((i) => i.messageEn).join('; ')}${bad > first.length ? ' …' : ''}`,
      issues,
      { badRows: bad },
    );
  }
  if (entries.length === 0) throw validation('名单没有数据行', 'The list has no data rows', [{ path: ['file'], message: '没有数据行', messageEn: 'no data rows' }]);
  return entries;
}

/**
 * Imports a cross-check list from another department (比对名单导入): the file is read and checked whole
 * first (a bad row refuses it all, nothing written); then in one transaction the list and its entries
 * are written, the previous active list of the same kind and area is made inactive (kept for
 * history), and the area's households in the procedure or with open hits are re-evaluated. Audited.
 * @param fields kind; name; source (the department); areaCode (a county or wider; default the actor's area)
 * @throws AppError FORBIDDEN, NOT_FOUND (area outside scope), VALIDATION_FAILED (see readCrossCheckFile;
 *   an area that is a township or village, or unknown: path ['areaCode']), PAYLOAD_TOO_LARGE
 */
export async function importCrossCheckList(
  db: Db,
  actor: Actor,
  fields: { kind: CrossCheckKind; name: string; source?: string | undefined; areaCode?: string | undefined },
  file: { fileName: string; content: Buffer },
): Promise<CrossCheckImportResult> {
  authorize(actor, IDENTIFICATION['identification.cross-check']);
  const areaCode = fields.areaCode ?? actor.areaCode;
  if (!areaCode) throw validation('请选择名单覆盖的区划', 'Choose the area the list covers', [{ path: ['areaCode'], message: '请选择区划', messageEn: 'choose an area' }]);
  authorize(actor, IDENTIFICATION['identification.cross-check'], { areaCode, label: AREA });
  checkCountyOrWider(areaCode, ['areaCode']);
  await checkAreaExists(db, areaCode, ['areaCode']);
  const entries = await readCrossCheckFile(file);
  return db.transaction(async (tx) => {
    const [list] = await tx
      .insert(crossCheckLists)
      .values({ kind: fields.kind, areaCode, name: fields.name, source: fields.source || null, fileName: file.fileName.slice(0, 200), rowCount: entries.length, importedBy: actor.id })
      .returning();
    for (const part of chunks(entries, 2000)) await tx.insert(crossCheckEntries).values(part.map((e) => ({ listId: list!.id, ...e })));
    const replaced = await tx
      .update(crossCheckLists)
      .set({ active: false })
      .where(and(eq(crossCheckLists.kind, fields.kind), eq(crossCheckLists.areaCode, areaCode), eq(crossCheckLists.active, true), ne(crossCheckLists.id, list!.id)))
      .returning({ id: crossCheckLists.id });
    const r = await refreshArea(tx, areaCode, false);
    await recordAudit(tx, actor, {
      action: IDENTIFICATION['identification.cross-check'],
      targetType: 'crossCheckList',
      targetId: list!.id,
      areaCode,
      after: { kind: fields.kind, name: fields.name, source: fields.source ?? null, fileName: file.fileName, rows: entries.length, replaced: replaced.map((x) => x.id), ...r },
    });
    const [item] = await selectLists(tx, [eq(crossCheckLists.id, list!.id)]);
    return { list: item!, replaced: replaced.length, ...r };
  });
}

async function selectLists(db: DbOrTx, where: (SQL | undefined)[]): Promise<CrossCheckListItem[]> {
  const hits = db
    .select({ listId: redLineHits.listId, n: count().as('n') })
    .from(redLineHits)
    .where(inArray(redLineHits.status, ['open', 'justified']))
    .groupBy(redLineHits.listId)
    .as('hits');
  const rows = await db
    .select({ l: crossCheckLists, importedByName: users.displayName, hits: hits.n })
    .from(crossCheckLists)
    .leftJoin(users, eq(users.id, crossCheckLists.importedBy))
    .leftJoin(hits, eq(hits.listId, crossCheckLists.id))
    .where(and(...where))
    .orderBy(desc(crossCheckLists.active), desc(crossCheckLists.importedAt), asc(crossCheckLists.id))
    .limit(500);
  const names = await loadAreaNames(db, [...new Set(rows.map((r) => r.l.areaCode))]);
  return rows.map(({ l, importedByName, hits: n }) => ({
    id: l.id,
    kind: l.kind as CrossCheckKind,
    areaCode: l.areaCode,
    areaName: names.get(l.areaCode)?.name ?? l.areaCode,
    name: l.name,
    source: l.source,
    fileName: l.fileName,
    rowCount: l.rowCount,
    importedByName: importedByName ?? (l.importedBy === null ? SYSTEM_ACTOR.displayName : null),
    importedAt: l.importedAt.toISOString(),
    active: l.active,
    hits: Number(n ?? 0),
  }));
}

/**
 * The cross-check lists that concern an area (default the actor's): lists of the area and below it,
 * and lists of the areas containing it (a county's list concerns its townships). Newest active first,
 * at most 500.
 * @throws AppError NOT_FOUND when areaCode is outside the actor's scope
 */
export async function findCrossCheckLists(db: DbOrTx, actor: Actor, query: { areaCode?: string | undefined; kind?: CrossCheckKind | undefined; active?: boolean | undefined }): Promise<CrossCheckListItem[]> {
  authorize(actor, IDENTIFICATION['identification.read']);
  if (query.areaCode && !inScope(actor, query.areaCode)) throw notFound(AREA.zh, AREA.en);
  const code = query.areaCode ?? actor.areaCode;
  const where: (SQL | undefined)[] = [];
  if (code !== null) where.push(or(like(crossCheckLists.areaCode, `${scopePrefix(code)}%`), inArray(crossCheckLists.areaCode, ancestorCodesOf(code))));
  if (query.kind) where.push(eq(crossCheckLists.kind, query.kind));
  if (query.active !== undefined) where.push(eq(crossCheckLists.active, query.active));
  return selectLists(db, where);
}

// ---------------------------------------------------------------------------------------------
// Demo

/** A synthetic ID number of 浏阳市 (or `region`) that the registry does not hold. */
function syntheticIdNumbers(n: number, taken: ReadonlySet<string>, region: string): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < n && i < 10_000; i++) {
    const birth = `19${String(60 + (i % 35)).padStart(2, '0')}${String((i % 12) + 1).padStart(2, '0')}${String((i % 27) + 1).padStart(2, '0')}`;
    const first17 = `${region}${birth}${String(900 + (i % 99)).padStart(3, '0')}`;
    const id = first17 + checkCharacter(first17);
    if (!taken.has(id) && !out.includes(id)) out.push(id);
  }
  return out;
}

function csv(rows: string[][]): Buffer {
  return Buffer.from(`\ufeff${rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n')}\r\n`);
}

/**
 * Demo data: a vehicle list (公安交管), a public-payroll list (财政) and a business-registration list
 * (市场监管) for the county of the first household, each naming members of a few of the given
 * households (a working-age member where there is one) and some synthetic people not in the registry;
 * imported through importCrossCheckList as the system, then the given households are evaluated, so the
 * demo shows red-line hits.
 * @param householdIds the demo's candidate households (at least one); the 1st and 4th get a car, the
 *   2nd a payroll entry, the 3rd a company
 * @returns lists imported, and open hits of the given households afterwards
 */
export async function seedCrossCheckDemo(db: Db, householdIds: string[]): Promise<{ lists: number; hits: number }> {
  if (householdIds.length === 0) return { lists: 0, hits: 0 };
  const ms = await db
    .select({ householdId: members.householdId, name: members.name, idNumber: members.idNumber, birthDate: members.birthDate, relationToHead: members.relationToHead, areaCode: households.areaCode })
    .from(members)
    .innerJoin(households, eq(households.id, members.householdId))
    .where(and(inArray(members.householdId, householdIds), eq(members.status, 'active'), eq(members.alive, true), eq(households.active, true)))
    .orderBy(asc(members.birthDate));
  const byHousehold = groupBy(ms, (m) => m.householdId);
  const ordered = householdIds.filter((id) => byHousehold.has(id));
  if (ordered.length === 0) return { lists: 0, hits: 0 };
  const county = `${byHousehold.get(ordered[0]!)![0]!.areaCode.slice(0, 6)}000000`;
  const today = todayCst();
  /** A member of the i-th household: the oldest one of working age (18–60), else the head. */
  const pick = (i: number) => {
    const list = byHousehold.get(ordered[i % ordered.length]!)!;
    const age = (b: string) => Number(today.slice(0, 4)) - Number(b.slice(0, 4));
    return list.find((m) => age(m.birthDate) >= 18 && age(m.birthDate) <= 60) ?? list.find((m) => m.relationToHead === 'head') ?? list[0]!;
  };
  const taken = new Set(rowsOf<{ id_number: string }>(await db.execute(sql`SELECT id_number FROM ${members} WHERE left(id_number, 6) = ${county.slice(0, 6)}`)).map((r) => r.id_number));
  const strangers = syntheticIdNumbers(9, taken, county.slice(0, 6));
  const plates = ['湘A·7K2M9', '湘A·D3186', '湘A·5Q8B1', '湘A·2H6T4'];
  const lists: { kind: CrossCheckKind; name: string; source: string; rows: string[][] }[] = [
    {
      kind: 'vehicle',
      name: '机动车登记信息（演示）',
      source: '县公安局交警大队',
      rows: [
        ['序号', '车主姓名', '身份证号', '号牌号码', '车辆类型'],
        ...[pick(0), pick(3)].map((m, i) => [String(i + 1), m.name, m.idNumber, plates[i]!, '小型普通客车']),
        ...strangers.slice(0, 3).map((id, i) => [String(i + 3), `车主${i + 1}`, id, plates[(i + 2) % plates.length]!, '小型轿车']),
      ],
    },
    {
      kind: 'payroll',
      name: '财政供养人员工资名单（演示）',
      source: '县财政局',
      rows: [
        ['姓名', '公民身份号码', '工作单位', '编制类型'],
        [pick(1).name, pick(1).idNumber, '县农业农村局', '事业编制'],
        ...strangers.slice(3, 6).map((id, i) => [`职工${i + 1}`, id, '县教育局', '事业编制']),
      ],
    },
    {
      kind: 'business',
      name: '市场主体登记信息（演示）',
      source: '县市场监督管理局',
      rows: [
        ['企业名称', '法定代表人', '法定代表人身份证号', '统一社会信用代码'],
        ['浏阳市演示农资经营部', pick(2).name, pick(2).idNumber, '92430181MA4DEMO01X'],
        ...strangers.slice(6, 9).map((id, i) => [`浏阳市演示商贸有限公司${i + 1}`, `经营者${i + 1}`, id, `91430181MA4DEMO1${i}X`]),
      ],
    },
  ];
  for (const l of lists) {
    await importCrossCheckList(db, SYSTEM_ACTOR, { kind: l.kind, name: l.name, source: l.source, areaCode: county }, { fileName: `${CROSS_CHECK_KIND_LABELS[l.kind].zh}.csv`, content: csv(l.rows) });
  }
  await db.transaction(async (tx) => {
    const r = await refreshRedLineHits(tx, ordered);
    await recordAudit(tx, SYSTEM_ACTOR, { action: IDENTIFICATION['identification.cross-check'], targetType: 'redLineHits', areaCode: county, after: { demo: true, households: ordered.length, ...r } });
  });
  const open = await countOpenRedLineHits(db, ordered);
  return { lists: lists.length, hits: [...open.values()].reduce((s, n) => s + n, 0) };
}

