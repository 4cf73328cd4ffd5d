/**
 * The demo's pairing (synthetic, names marked 演示): four assisting units (市直, 县直, 乡镇, an
 * enterprise), about one helper per five assisted households of the demo township (every helper
 * working in that township, whatever the level of their unit), the demo account
 * `helper` linked to a helper with six households of the township's first village, assignments for
 * most assisted households — with gaps on purpose (every household of the township's last village
 * and about one in fifteen elsewhere have no helper), one helper above the maximum and a few changes
 * of helper, so that the history shows.
 */
import { and, asc, count, eq, like } from 'drizzle-orm';
import { mulberry32 } from '../../shared/random.ts';
import { parentCodeOf, scopePrefix } from '../../shared/area-code.ts';
import { SYSTEM_ACTOR } from '../../platform/auth.ts';
import type { Db } from '../../platform/db.ts';
import { areaExists, loadAreaNames } from '../areas/index.ts';
import { recordAudit } from '../audit/index.ts';
import { households } from '../households/schema.ts';
import type { AssistanceDemoContext } from './demo.ts';
import { mustHaveHelper, withoutCurrentHelper } from './pairing.ts';
import { ASSISTANCE } from './permissions.ts';
import { assistingUnits, helperAssignments, helpers } from './schema.ts';
import { settingsFor } from './settings.ts';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙', '罗', '谭', '邓', '彭', '曾', '肖', '唐', '蒋'];
const GIVEN = ['建国', '海燕', '志强', '丽华', '文军', '秀英', '国平', '小红', '卫东', '春梅', '永刚', '晓静', '德明', '桂兰', '新民', '红霞', '利军', '美玲', '树林', '亚平'];
const POSTS = ['科员', '副科长', '干部', '职员', '主任科员', '技术员'];

/**
 * Seeds units, helpers and assignments for the demo township (ctx.townshipCode), in one transaction.
 * @returns { units, helpers, assignments (current), householdsWithoutHelper (assisted households of the township without one) }
 */
export async function seedPairingDemo(db: Db, ctx: AssistanceDemoContext): Promise<Record<string, number>> {
  const rand = mulberry32(ctx.seed + 61);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const hh = await db
    .select({ id: households.id, areaCode: households.areaCode })
    .from(households)
    .where(and(like(households.areaCode, `${scopePrefix(ctx.townshipCode)}%`), mustHaveHelper()))
    .orderBy(asc(households.areaCode), asc(households.householdNo));
  if (hh.length === 0) return { units: 0, helpers: 0, assignments: 0, householdsWithoutHelper: 0 };
  const villages = [...new Set(hh.map((h) => h.areaCode))];
  const first = villages[0]!;
  const last = villages.length > 1 ? villages[villages.length - 1]! : null;
  const city = parentCodeOf(ctx.countyCode);
  const cityCode = city && (await areaExists(db, city)) ? city : ctx.countyCode;
  const names = await loadAreaNames(db, [ctx.countyCode, ctx.townshipCode, cityCode]);
  const countyName = names.get(ctx.countyCode)?.name ?? '';
  const townshipName = names.get(ctx.townshipCode)?.name ?? '';
  const max = (await settingsFor(db, ctx.townshipCode)).maxHouseholdsPerHelper;
  // A second run (`fupin demo` adds households) pairs nothing more: the new households show as gaps.
  const townshipUnit = `演示·${townshipName}人民政府`;
  const [done] = await db
    .select({ id: assistingUnits.id })
    .from(assistingUnits)
    .where(and(eq(assistingUnits.areaCode, ctx.townshipCode), eq(assistingUnits.name, townshipUnit)));
  if (done) return { units: 0, helpers: 0, assignments: 0, householdsWithoutHelper: await countWithoutHelper(db, ctx.townshipCode) };

  // Who gets a helper: not the last village, and not one household in fifteen elsewhere (the
  // first village's first six households excepted: they are the demo helper's).
  const firstSix = hh.filter((h) => h.areaCode === first).slice(0, 6);
  const reserved = new Set(firstSix.map((h) => h.id));
  const rest = hh.filter((h) => !reserved.has(h.id) && h.areaCode !== last);
  const leftOut = new Set(rest.filter((_, i) => i % 15 === 7).map((h) => h.id));
  const toPair = rest.filter((h) => !leftOut.has(h.id));
  const helperCount = Math.max(3, Math.ceil(hh.length / 5));

  return db.transaction(async (tx) => {
    // The city's and county's units are shared by every township the demo pairs (created once).
    const unitValues = [
      { name: `演示·${names.get(cityCode)?.name ?? ''}农业农村局`, kind: 'organ', level: cityCode === ctx.countyCode ? 'county' : 'city', areaCode: cityCode, contactPerson: '演示联系人', phone: '0731-00000001' },
      { name: `演示·${countyName}发展和改革局`, kind: 'organ', level: 'county', areaCode: ctx.countyCode, contactPerson: '演示联系人', phone: '0731-00000002' },
      { name: townshipUnit, kind: 'organ', level: 'township', areaCode: ctx.townshipCode, contactPerson: '演示联系人', phone: '0731-00000003' },
      { name: `演示·${countyName}花炮实业有限公司`, kind: 'enterprise', level: 'county', areaCode: ctx.countyCode, contactPerson: '演示联系人', phone: '0731-00000004' },
    ];
    const created = await tx.insert(assistingUnits).values(unitValues).onConflictDoNothing().returning({ id: assistingUnits.id });
    const unitRows: { id: string; areaCode: string; level: string }[] = [];
    for (const u of unitValues) {
      const [row] = await tx
        .select({ id: assistingUnits.id, areaCode: assistingUnits.areaCode, level: assistingUnits.level })
        .from(assistingUnits)
        .where(and(eq(assistingUnits.areaCode, u.areaCode), eq(assistingUnits.name, u.name)));
      unitRows.push(row!);
    }
    const helperValues = Array.from({ length: helperCount }, (_, i) => {
      const unit = i === 0 ? unitRows[2]! : unitRows[i % unitRows.length]!;
      return {
        name: `${pick(SURNAMES)}${pick(GIVEN)}`,
        unitId: unit.id,
        post: pick(POSTS),
        phone: `139${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`,
        // Every helper works in the township whose households they carry, whatever their unit's
        // level: an officer of another township does not see them among their own.
        areaCode: ctx.townshipCode,
        userId: i === 0 ? ctx.helperUserId : null,
      };
    });
    const hs = await tx.insert(helpers).values(helperValues).returning({ id: helpers.id });
    const start = `${ctx.year - 1}-03-01`;
    const rows: (typeof helperAssignments.$inferInsert)[] = firstSix.map((h) => ({ householdId: h.id, helperId: hs[0]!.id, startDate: start }));
    // Helper 1 carries two above the maximum; the others share the rest, about five each.
    const others = hs.slice(2);
    toPair.forEach((h, i) => {
      const helperId = i < max + 2 || others.length === 0 ? hs[1]!.id : others[(i - max - 2) % others.length]!.id;
      rows.push({ householdId: h.id, helperId, startDate: start });
    });
    // Changes of helper: the first three of helper 2's households had helper 3 before.
    const changed = rows.filter((r) => r.helperId === others[0]?.id).slice(0, 3);
    const past = changed.map((r) => ({ householdId: r.householdId, helperId: (others[1] ?? hs[1]!).id, startDate: `${ctx.year - 2}-03-01`, endDate: start, endReason: '原帮扶责任人工作调动（演示）' }));
    for (let i = 0; i < rows.length; i += 1000) await tx.insert(helperAssignments).values(rows.slice(i, i + 1000));
    if (past.length) await tx.insert(helperAssignments).values(past);
    const without = hh.length - rows.length;
    const result = { units: created.length, helpers: hs.length, assignments: rows.length, householdsWithoutHelper: without };
    await recordAudit(tx, SYSTEM_ACTOR, { action: ASSISTANCE['assistance.pair'], targetType: 'demo', areaCode: ctx.townshipCode, after: { demo: 'pairing', ...result, changesOfHelper: past.length } });
    return result;
  });
}

/** Assisted households of the area without a current helper. */
async function countWithoutHelper(db: Db, areaCode: string): Promise<number> {
  const [r] = await db
    .select({ n: count() })
    .from(households)
    .where(and(like(households.areaCode, `${scopePrefix(areaCode)}%`), mustHaveHelper(), withoutCurrentHelper()));
  return Number(r?.n ?? 0);
}
