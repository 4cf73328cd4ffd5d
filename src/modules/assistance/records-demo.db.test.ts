/**
 * The demo's needs, plans and measures: written for the assisted households of the township only,
 * fitting each household (students, uninsured members, C/D houses, households without labour), with
 * realistic amounts, no date in the future, and coverage gaps left on purpose.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase } from '../../../test/db.ts';
import { CHENGXI, DAWEISHAN, TONGXING, ZHONGYUE } from '../../../test/households.ts';
import { rowsOf, sql, type Database } from '../../platform/db.ts';
import { seedHouseholds, todayCst } from '../households/index.ts';
import { seedRecordsDemo } from './records-demo.ts';

let database: Database;
let result: Record<string, number>;
const year = Number(todayCst().slice(0, 4));

beforeAll(async () => {
  database = await resetDatabase();
  await seedHouseholds(database.db, {
    seed: 7,
    count: 400,
    year,
    villages: [
      { code: ZHONGYUE, name: '中岳村', weight: 2 },
      { code: TONGXING, name: '同幸村' },
      { code: CHENGXI, name: '城西社区' },
    ],
  });
  result = await seedRecordsDemo(database.db, { countyCode: '430181000000', townshipCode: DAWEISHAN, helperUserId: null, teamUserId: null, year, seed: 2026 });
});

const rows = async <T>(q: ReturnType<typeof sql>) => rowsOf<T>(await database.db.execute(q));

describe('the demo’s records', () => {
  it('writes needs, plans and measures for the township’s assisted households only', async () => {
    expect(result.needs).toBeGreaterThan(50);
    expect(result.plans).toBeGreaterThan(20);
    expect(result.measures).toBeGreaterThan(50);
    const outside = await rows<{ n: string }>(sql`SELECT count(*) AS n FROM assistance_measures m JOIN households h ON h.id = m.household_id WHERE h.area_code NOT LIKE '430181125%' OR h.household_type NOT IN ('registeredPoor','monitored','relativePoor')`);
    expect(Number(outside[0]!.n)).toBe(0);
    const plans = await rows<{ n: string; assisted: string }>(sql`SELECT count(*) AS n, (SELECT count(*) FROM households WHERE area_code LIKE '430181125%' AND household_type IN ('registeredPoor','monitored','relativePoor') AND active) AS assisted FROM assistance_plans WHERE year = ${year}`);
    // "Most" households have this year's plan, not all.
    expect(Number(plans[0]!.n)).toBeGreaterThan(Number(plans[0]!.assisted) * 0.7);
    expect(Number(plans[0]!.n)).toBeLessThan(Number(plans[0]!.assisted));
  });

  it('mixes open, in-progress and met needs, each met one saying what met it', async () => {
    const s = await rows<{ status: string; n: string; unexplained: string }>(
      sql`SELECT status, count(*) AS n, count(*) FILTER (WHERE status = 'met' AND met_note IS NULL AND met_by_measure_id IS NULL) AS unexplained FROM household_needs GROUP BY status ORDER BY status`,
    );
    expect(s.map((x) => x.status)).toEqual(['inProgress', 'met', 'open']);
    expect(s.every((x) => Number(x.unexplained) === 0)).toBe(true);
  });

  it('gives realistic amounts and no date in the future', async () => {
    const r = await rows<{ type: string; lo: string; hi: string; future: string }>(
      sql`SELECT type, min(amount) AS lo, max(amount) AS hi, count(*) FILTER (WHERE on_date > ${todayCst()}) AS future FROM assistance_measures GROUP BY type`,
    );
    const by = Object.fromEntries(r.map((x) => [x.type, x]));
    expect(Number(by.educationCompulsory!.lo)).toBeGreaterThanOrEqual(1000);
    expect(Number(by.educationCompulsory!.hi)).toBeLessThanOrEqual(3000);
    expect(Number(by.industrySupport!.lo)).toBeGreaterThanOrEqual(2000);
    expect(Number(by.industrySupport!.hi)).toBeLessThanOrEqual(5000);
    if (by.housingRenovation) expect(Number(by.housingRenovation.lo)).toBeGreaterThanOrEqual(15000);
    expect(r.every((x) => Number(x.future) === 0)).toBe(true);
  });

  it('subsidises most students but not all (coverage gaps on purpose)', async () => {
    const s = await rows<{ students: string; subsidised: string }>(sql`
      SELECT count(*) AS students,
             count(*) FILTER (WHERE EXISTS (SELECT 1 FROM assistance_measures am WHERE am.household_id = m.household_id AND m.id = ANY(am.member_ids) AND am.type LIKE 'education%')) AS subsidised
      FROM members m JOIN households h ON h.id = m.household_id
      WHERE h.area_code LIKE '430181125%' AND h.household_type IN ('registeredPoor','monitored','relativePoor') AND h.active AND m.status = 'active' AND m.alive
        AND m.schooling IS NOT NULL AND m.schooling <> 'notInSchool'`);
    const { students, subsidised } = { students: Number(s[0]!.students), subsidised: Number(s[0]!.subsidised) };
    expect(students).toBeGreaterThan(5);
    expect(subsidised).toBeGreaterThan(students / 2);
    expect(subsidised).toBeLessThan(students);
    // Measures name members by id and by the name recorded.
    const refs = await rows<{ bad: string }>(sql`SELECT count(*) AS bad FROM assistance_measures am, jsonb_array_elements(am.member_refs) r WHERE NOT EXISTS (SELECT 1 FROM members m WHERE m.id = (r->>'memberId')::uuid AND m.name = r->>'name')`);
    expect(Number(refs[0]!.bad)).toBe(0);
  });
});
