import { beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase } from '../../../test/db.ts';
import { rowsOf, sql, type Database } from '../../platform/db.ts';
import type { Actor } from '../../platform/auth.ts';
import { householdListQuery } from './contract.ts';
import { seedHouseholds } from './demo.ts';
import { findHouseholdHistory, findHouseholds, getHousehold } from './service.ts';

let database: Database;
const county: Actor = { id: null, username: 'demo-county', displayName: '县', role: 'county_officer', areaCode: '430181000000' };

async function one<T>(q: ReturnType<typeof sql>): Promise<T> {
  return rowsOf<T>(await database.db.execute(q))[0]!;
}

beforeAll(async () => {
  database = await resetDatabase();
});

describe('seedHouseholds', () => {
  it('writes 200 households that the registry reads back, with counters, identities, history and one audit event', async () => {
    const villages = rowsOf<{ code: string; name: string }>(
      await database.db.execute(sql`SELECT code, name FROM areas WHERE level = 'village' AND code LIKE '430181125%' ORDER BY code`),
    );
    const progress: number[] = [];
    const r = await seedHouseholds(database.db, { seed: 11, count: 200, villages, year: 2026, batchSize: 64, onProgress: (n) => progress.push(n) });
    expect(r.households).toBe(200);
    expect(progress).toEqual([64, 128, 192, 200]);

    const counts = await one<{ h: number; m: number; ids: number; v: number; heads: number; bad: number }>(sql`SELECT
      (SELECT count(*)::int FROM households) AS h,
      (SELECT count(*)::int FROM members) AS m,
      (SELECT count(*)::int FROM person_identities) AS ids,
      (SELECT count(*)::int FROM household_versions WHERE version = 1 AND change = 'household.register' AND changed_by_name = '演示数据生成') AS v,
      (SELECT count(*)::int FROM members WHERE relation_to_head = 'head') AS heads,
      (SELECT count(*)::int FROM households h WHERE member_count <> (SELECT count(*) FROM members m WHERE m.household_id = h.id)
         OR head_name <> (SELECT name FROM members m WHERE m.household_id = h.id AND relation_to_head = 'head')
         OR latest_per_capita_net_income <> (SELECT per_capita_net_income FROM household_incomes i WHERE i.household_id = h.id AND i.year = h.latest_income_year)) AS bad`);
    expect(counts).toEqual({ h: 200, m: r.members, ids: r.members, v: 200, heads: 200, bad: 0 });
    // The 户编号 counters continue after the last number of each village.
    const counters = await one<{ bad: number }>(sql`SELECT count(*)::int AS bad FROM household_no_counters c
      WHERE c.next <> (SELECT max(right(household_no, 4)::int) + 1 FROM households h WHERE h.area_code = c.area_code)`);
    expect(counters.bad).toBe(0);
    const audit = await one<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_events WHERE action = 'households.demo-seed'`);
    expect(audit.n).toBe(1);

    const page = await findHouseholds(database.db, county, householdListQuery.parse({ pageSize: 50 }));
    expect(page.total).toBe(200);
    expect(page.items).toHaveLength(50);
    expect(page.items[0]!.headIdNumber).toMatch(/^430181\*+\w{4}$/);
    const ill = await findHouseholds(database.db, county, householdListQuery.parse({ mainPovertyCause: 'illness', pageSize: 200 }));
    expect(ill.items.every((h) => h.mainPovertyCause === 'illness')).toBe(true);

    const h = await getHousehold(database.db, county, page.items[0]!.id);
    expect(h.members.length).toBe(h.memberCount);
    expect(h.members[0]!.relationToHead).toBe('head');
    expect(h.incomes[0]!.year).toBe(h.latestIncomeYear);
    expect(h.villageName).not.toBe('');
    const history = await findHouseholdHistory(database.db, county, h.id);
    expect(history).toMatchObject([{ version: 1, change: 'household.register', changedByName: '演示数据生成' }]);
    // The history snapshot reads back as the household at the end of this year.
    const asOf = await getHousehold(database.db, county, h.id, { asOfYear: new Date().getFullYear() });
    expect(asOf.members.map((m) => m.id)).toEqual(h.members.map((m) => m.id));
  });

  it('a second seeding with another seed adds households without clashing; the database constraints refuse broken rows', async () => {
    const villages = rowsOf<{ code: string; name: string }>(
      await database.db.execute(sql`SELECT code, name FROM areas WHERE level = 'village' AND code LIKE '430181125%' ORDER BY code`),
    );
    const r = await seedHouseholds(database.db, { seed: 12, count: 100, villages, year: 2026 });
    expect(r.households).toBe(100);
    const n = await one<{ h: number; nos: number }>(sql`SELECT count(*)::int AS h, count(DISTINCT household_no)::int AS nos FROM households`);
    expect(n).toEqual({ h: 300, nos: 300 });
    // The CHECK constraints are in force on the seeded data: a wrong net income is refused.
    await expect(database.db.execute(sql`UPDATE household_incomes SET net_income = net_income + 1 WHERE household_id = (SELECT id FROM households LIMIT 1)`)).rejects.toThrow();
    await expect(database.db.execute(sql`UPDATE members SET relation_to_head = 'head' WHERE relation_to_head = 'spouse'`)).rejects.toThrow();
  });
});
