/**
 * The import through the database: new households registered (COPY → staging → one merge), re-import
 * changing nothing, update and skip of existing households, the three modes, areas by name through the
 * parent chain (same-named villages kept apart) or by code, ambiguous matches rejected, scope, the
 * audit event, and the round trip full export → import without loss.
 */
import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetDatabase, testTarget } from '../../../test/db.ts';
import { makeIdNumber } from '../../../test/people.ts';
import { rowsOf, sql, type Database } from '../../platform/db.ts';
import type { Actor } from '../../platform/auth.ts';
import type { Role } from '../../shared/access.ts';
import { exportHouseholds } from './export.ts';
import { getHousehold, updateHousehold } from '../households/index.ts';
import { runImport, type RunImportOptions } from './import.ts';
import { purgeOldImportFiles } from './import-job.ts';
import { FileRefusal } from './readers.ts';

let database: Database;
const actor = (role: Role, areaCode: string | null): Actor => ({ id: null, username: `test-${role}`, displayName: `测试${role}`, role, areaCode });
const county = actor('county_officer', '430181000000');
const admin = actor('admin', null);

const HEADER = ['县(市、区、旗)', '乡(镇)', '行政村', '户编号', '姓名', '证件号码', '与户主关系', '户类型', '脱贫属性', '贫困户属性', '主要致贫原因', '户联系电话'];

interface Person {
  county?: string;
  township?: string;
  village?: string;
  no?: string;
  name: string;
  id: string;
  relation: string;
  type?: string;
  status?: string;
  attribute?: string;
  cause?: string;
  phone?: string;
}

function csv(header: readonly string[], rows: readonly (readonly string[])[]): Buffer {
  const q = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return Buffer.from(`\ufeff${[header, ...rows].map((r) => r.map(q).join(',')).join('\r\n')}\r\n`, 'utf8');
}

function personRows(people: readonly Person[]): string[][] {
  return people.map((p) => [
    p.county ?? '浏阳市',
    p.township ?? '大围山镇',
    p.village ?? '中岳村',
    p.no ?? '',
    p.name,
    p.id,
    p.relation,
    p.type ?? '建档立卡贫困户',
    p.status ?? '未脱贫',
    p.attribute ?? '一般贫困户',
    p.cause ?? '因病',
    p.phone ?? '',
  ]);
}

/** A household of a head and a spouse (new ID numbers each call). */
function family(name: string, extra: Partial<Person> = {}): Person[] {
  return [
    { name: `${name}`, id: makeIdNumber('19700312', 'male'), relation: '户主', phone: '13800001234', ...extra },
    { name: `${name}妻`, id: makeIdNumber('19720518', 'female'), relation: '配偶', ...extra },
  ];
}

const importCsv = (a: Actor, people: readonly Person[], o: RunImportOptions = {}) => runImport(database.db, a, { buffer: csv(HEADER, personRows(people)), fileName: '人员名单.csv' }, o);

async function count(table: string): Promise<number> {
  return Number(rowsOf<{ n: string }>(await database.db.execute(sql.raw(`SELECT count(*) AS n FROM ${table}`)))[0]!.n);
}

beforeEach(async () => {
  database = await resetDatabase();
});

describe('new households', () => {
  it('registers every household of the file with its members, identities, 户编号 and history, audited once', async () => {
    const people = [...family('张一'), ...family('李二'), ...family('王三', { township: '淮川街道', village: '城西社区' })];
    const s = await importCsv(county, people);
    expect(s).toMatchObject({ households: 3, created: 3, rejected: 0, rows: 6, membersCreated: 6, committed: true, errors: 0 });
    expect(await count('households')).toBe(3);
    expect(await count('members')).toBe(6);
    expect(await count('person_identities')).toBe(6);
    expect(await count('household_versions')).toBe(3);
    expect(await count('import_stage_households')).toBe(0);
    const hs = rowsOf<{ household_no: string; area_code: string; head_name: string; member_count: number; phone: string; main_poverty_cause: string }>(
      await database.db.execute(sql`SELECT household_no, area_code, head_name, member_count, phone, main_poverty_cause FROM households ORDER BY household_no`),
    );
    expect(hs.map((h) => [h.household_no, h.head_name, Number(h.member_count)])).toEqual([
      ['4301810010010001', '王三', 2],
      ['4301811252010001', '张一', 2],
      ['4301811252010002', '李二', 2],
    ]);
    expect(hs[1]).toMatchObject({ phone: '13800001234', main_poverty_cause: 'illness' });
    // The village's counter moved on: a registration after the import gets the next number.
    const next = rowsOf<{ next: number }>(await database.db.execute(sql`SELECT next FROM household_no_counters WHERE area_code = '430181125201'`));
    expect(Number(next[0]!.next)).toBe(3);
    const audit = rowsOf<{ action: string; after: { fileName: string; created: number; committed: boolean } }>(await database.db.execute(sql`SELECT action, after FROM audit_events WHERE action = 'exchange.import'`));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toMatchObject({ fileName: '人员名单.csv', created: 3, committed: true });
  });

  it('importing the same file again changes nothing', async () => {
    const people = [...family('张一'), ...family('李二')];
    await importCsv(county, people);
    const versions = await count('household_versions');
    const s = await importCsv(county, people);
    expect(s).toMatchObject({ households: 2, created: 0, updated: 0, unchanged: 2, rejected: 0, committed: false });
    expect(await count('households')).toBe(2);
    expect(await count('members')).toBe(4);
    expect(await count('household_versions')).toBe(versions);
  });

  it('keeps the file’s 户编号 and matches it on re-import', async () => {
    const people = family('赵四', { no: '4301811252019001' });
    await importCsv(county, people);
    const s = await importCsv(county, people);
    expect(s).toMatchObject({ created: 0, unchanged: 1 });
    const no = rowsOf<{ household_no: string }>(await database.db.execute(sql`SELECT household_no FROM households`));
    expect(no.map((r) => r.household_no)).toEqual(['4301811252019001']);
  });
});

describe('housekeeping', () => {
  it('deletes uploads and reports older than 30 days, keeps newer ones', async () => {
    await database.db.execute(sql`INSERT INTO import_files (job_id, kind, file_name, content, created_at) VALUES
      ('00000000-0000-4000-8000-000000000001', 'upload', 'old.csv', '\\x41'::bytea, now() - interval '31 days'),
      ('00000000-0000-4000-8000-000000000002', 'upload', 'new.csv', '\\x41'::bytea, now() - interval '29 days')`);
    expect(await purgeOldImportFiles(database.db)).toBe(1);
    const left = rowsOf<{ file_name: string }>(await database.db.execute(sql`SELECT file_name FROM import_files`));
    expect(left.map((r) => r.file_name)).toEqual(['new.csv']);
  });
});

describe('large files', () => {
  it('writes households batch by batch as they are read, and reads the file again when a household’s rows are apart', async () => {
    // 2,600 one-person households with 户编号 (more than one batch), and household 甲 whose second row
    // comes last: its 户编号 returns after the household was already formed.
    const people: Person[] = [];
    for (let i = 0; i < 2600; i++) {
      const birth = `19${String(40 + (i % 50)).padStart(2, '0')}${String(1 + (Math.floor(i / 50) % 12)).padStart(2, '0')}${String(1 + (Math.floor(i / 600) % 28)).padStart(2, '0')}`;
      people.push({ name: `批量${i}`, id: makeIdNumber(birth, i % 2 ? 'male' : 'female'), relation: '户主', no: `430181125201${String(1000 + i)}` });
    }
    const head = { name: '甲户主', id: makeIdNumber('19550505', 'male'), relation: '户主', no: '4301811252019999' };
    const wife = { name: '甲户妻', id: makeIdNumber('19560606', 'female'), relation: '配偶', no: '4301811252019999' };
    const together = await importCsv(county, [head, wife, ...people], { mode: 'dry-run' });
    expect(together).toMatchObject({ households: 2601, created: 2601, rejected: 0, rows: 2602 });
    const s = await importCsv(county, [head, ...people, wife]);
    expect(s).toMatchObject({ households: 2601, created: 2601, rejected: 0, rows: 2602, committed: true });
    const h = rowsOf<{ member_count: number }>(await database.db.execute(sql`SELECT member_count FROM households WHERE household_no = '4301811252019999'`))[0]!;
    expect(Number(h.member_count)).toBe(2);
    expect(await count('households')).toBe(2601);
  });
});

describe('failure and rerun', () => {
  it('a failure before the merge leaves the registry as it was, and a rerun clears a dead run’s staging rows', async () => {
    const stageId = '00000000-0000-4000-8000-00000000abcd';
    const people = [...family('卫一'), ...family('卫二')];
    const boom = new Error('the process died');
    await expect(
      importCsv(county, people, {
        stageId,
        onProgress: (p) => {
          if (p.phase === 'writing' && p.percent >= 95) throw boom;
        },
      }),
    ).rejects.toBe(boom);
    expect(await count('households')).toBe(0);
    expect(await count('members')).toBe(0);
    expect(await count('import_stage_households')).toBe(0);
    // A process that died after staging leaves rows behind: here a copy of a registered household.
    await importCsv(county, family('卫三'));
    await database.db.execute(sql.raw(`INSERT INTO import_stage_households SELECT '${stageId}'::uuid, h.* FROM households h`));
    await database.db.execute(sql.raw(`INSERT INTO import_stage_members SELECT '${stageId}'::uuid, m.* FROM members m`));
    const s = await importCsv(county, people, { stageId });
    expect(s).toMatchObject({ created: 2, committed: true });
    expect(await count('households')).toBe(3);
    expect(await count('members')).toBe(6);
    // PGlite stages and clears the stage first; PostgreSQL loads inside one transaction and never
    // reads the staging tables (a dead run's transaction was rolled back by the server).
    if (testTarget() === 'pglite') expect(await count('import_stage_households')).toBe(0);
  });
});

describe('history of imported households', () => {
  it('version 1 is the household as imported, before and after its first change', async () => {
    await importCsv(county, family('郑九'));
    const [{ id }] = rowsOf<{ id: string }>(await database.db.execute(sql`SELECT id FROM households`)) as [{ id: string }];
    const year = new Date().getUTCFullYear();
    // Before any change the history's version 1 is the registry rows themselves.
    const asOf = await getHousehold(database.db, county, id, { asOfYear: year });
    expect(asOf).toMatchObject({ headName: '郑九', memberCount: 2, version: 1 });
    await updateHousehold(database.db, county, id, { version: 1, phone: '13700007777', reason: '电话变更' });
    const v1 = rowsOf<{ snapshot: { household: { phone: string; householdNo: string }; members: unknown[] } }>(await database.db.execute(sql`SELECT snapshot FROM household_versions WHERE version = 1`))[0]!;
    expect(v1.snapshot.household.phone).toBe('13800001234');
    expect(v1.snapshot.members).toHaveLength(2);
    const v2 = rowsOf<{ snapshot: { household: { phone: string } } }>(await database.db.execute(sql`SELECT snapshot FROM household_versions WHERE version = 2`))[0]!;
    expect(v2.snapshot.household.phone).toBe('13700007777');
  });
});

describe('modes', () => {
  const bad = () => [
    ...family('好户'),
    { name: '坏户主', id: '430181197003120000', relation: '户主' },
    { name: '坏户妻', id: makeIdNumber('19720518', 'female'), relation: '配偶' },
  ];

  it('commit-valid writes the valid households and rejects a household with any bad row whole', async () => {
    const s = await importCsv(county, bad());
    expect(s).toMatchObject({ households: 2, created: 1, rejected: 1, rejectedRows: 2, committed: true });
    expect(await count('households')).toBe(1);
    const p = s.problems.find((x) => x.severity === 'error')!;
    expect(p).toMatchObject({ sheetRow: 4, column: '证件号码', value: '430181197003120000' });
    expect(p.message).toMatch(/校验码/);
    expect(p.messageEn).toMatch(/check/i);
    expect([...s.rejectedRowsBySheet.get('人员名单')!]).toEqual([4, 5]);
  });

  it('all-or-nothing writes nothing when a household is rejected, and everything when none is', async () => {
    const s = await importCsv(county, bad(), { mode: 'all-or-nothing' });
    expect(s).toMatchObject({ created: 1, rejected: 1, committed: false });
    expect(await count('households')).toBe(0);
    const ok = await importCsv(county, family('全好'), { mode: 'all-or-nothing' });
    expect(ok).toMatchObject({ created: 1, committed: true });
    expect(await count('households')).toBe(1);
  });

  it('a dry run checks everything and writes nothing but its audit event', async () => {
    const s = await importCsv(county, bad(), { mode: 'dry-run' });
    expect(s).toMatchObject({ created: 1, rejected: 1, committed: false });
    expect(await count('households')).toBe(0);
    expect(await count('members')).toBe(0);
    expect(await count('audit_events WHERE action = \'exchange.import\'')).toBe(1);
  });

  it('a household type or status missing from the file is named', async () => {
    const s = await runImport(database.db, county, { buffer: csv(['行政村', '乡(镇)', '姓名', '证件号码', '与户主关系'], [['中岳村', '大围山镇', '孤户', makeIdNumber('19700101', 'male'), '户主']]), fileName: 'x.csv' });
    expect(s.rejected).toBe(1);
    expect(s.problems.map((p) => p.message).join('；')).toMatch(/户类型/);
  });
});

describe('poverty causes given as numbers', () => {
  it('are refused without a numbering (never guessed) and read through the numbering the user names', async () => {
    const people = family('冯十', { cause: '3' });
    const refused = await importCsv(county, people, { mode: 'dry-run' });
    expect(refused.rejected).toBe(1);
    expect(refused.problems[0]).toMatchObject({ reason: 'causeNumberWithoutNumbering', column: '主要致贫原因', value: '3', sheetRow: 2 });
    expect(refused.problems[0]!.message).toMatch(/编号方式/);
    // 3 is 因学 in the 2014 form's order and in the common app numbering; 因灾 would be 4.
    const s = await importCsv(county, people, { causeNumbering: 'form2014' });
    expect(s).toMatchObject({ created: 1, rejected: 0 });
    const h = rowsOf<{ main_poverty_cause: string }>(await database.db.execute(sql`SELECT main_poverty_cause FROM households`))[0]!;
    expect(h.main_poverty_cause).toBe('schooling');
  });
});

describe('areas', () => {
  it('resolves same-named villages through their township, and asks for the township when it is missing', async () => {
    // 合盛村 is a village of 集里街道 (430181002215) and of 社港镇 (430181102246).
    const a = family('集里户', { township: '集里街道', village: '合盛村' });
    const b = family('社港户', { township: '社港镇', village: '合盛村' });
    const c = family('无乡户', { township: '', village: '合盛村' });
    const s = await importCsv(county, [...a, ...b, ...c]);
    expect(s).toMatchObject({ created: 2, rejected: 1 });
    const areas = rowsOf<{ head_name: string; area_code: string }>(await database.db.execute(sql`SELECT head_name, area_code FROM households ORDER BY head_name`));
    expect(Object.fromEntries(areas.map((r) => [r.head_name, r.area_code]))).toEqual({ 社港户: '430181102246', 集里户: '430181002215' });
    const p = s.problems.find((x) => x.reason === 'areaAmbiguous')!;
    expect(p.message).toMatch(/2 个同名村/);
    expect(p.sheetRow).toBe(6);
  });

  it('refuses a village outside the importer’s scope and an unknown village', async () => {
    const clerk = actor('village_clerk', '430181125201');
    const s = await importCsv(clerk, [...family('本村户'), ...family('外村户', { township: '淮川街道', village: '城西社区' }), ...family('无此村', { village: '不存在村' })]);
    expect(s).toMatchObject({ created: 1, rejected: 2 });
    expect(s.problems.map((p) => p.reason).sort()).toEqual(['areaNotFound', 'areaOutOfScope']);
  });

  it('takes the area code where the file has one', async () => {
    const s = await runImport(database.db, county, {
      buffer: csv(['区划代码', '姓名', '证件号码', '与户主关系', '户类型', '脱贫属性', '主要致贫原因'], [['430181125206', '同幸户', makeIdNumber('19800101', 'male'), '户主', '建档立卡贫困户', '未脱贫', '因学']]),
      fileName: 'codes.csv',
    });
    expect(s.created).toBe(1);
    const r = rowsOf<{ area_code: string }>(await database.db.execute(sql`SELECT area_code FROM households`));
    expect(r[0]!.area_code).toBe('430181125206');
  });
});

describe('existing households', () => {
  it('updates only what differs (update) or leaves them alone (skip), with a history version', async () => {
    const people = family('钱五');
    await importCsv(county, people);
    const changed = people.map((p, i) => (i === 0 ? { ...p, phone: '13900009999', cause: '因学' } : p));
    const skipped = await importCsv(county, changed, { onExisting: 'skip' });
    expect(skipped).toMatchObject({ skipped: 1, updated: 0, committed: false });
    const s = await importCsv(county, changed);
    expect(s).toMatchObject({ updated: 1, created: 0, unchanged: 0, committed: true });
    const h = rowsOf<{ phone: string; main_poverty_cause: string; version: number }>(await database.db.execute(sql`SELECT phone, main_poverty_cause, version FROM households`))[0]!;
    expect(h).toMatchObject({ phone: '13900009999', main_poverty_cause: 'schooling', version: 2 });
    const v = rowsOf<{ change: string; changed_fields: string[] }>(await database.db.execute(sql`SELECT change, changed_fields FROM household_versions WHERE version = 2`))[0]!;
    expect(v.change).toBe('household.import');
    expect(v.changed_fields).toEqual(['mainPovertyCause', 'phone']);
  });

  it('adds a new member found under an existing household', async () => {
    const people = family('孙六');
    await importCsv(county, people);
    const child = { name: '孙小六', id: makeIdNumber('20100101', 'male'), relation: '之子' };
    const s = await importCsv(county, [...people, child]);
    expect(s).toMatchObject({ updated: 1, membersCreated: 1 });
    const h = rowsOf<{ member_count: number }>(await database.db.execute(sql`SELECT member_count FROM households`))[0]!;
    expect(Number(h.member_count)).toBe(3);
  });

  it('reports a household whose members are registered in two households, and never guesses', async () => {
    const a = family('甲户');
    const b = family('乙户');
    await importCsv(county, [...a, ...b]);
    const mixed = [a[0]!, { ...b[1]!, relation: '配偶' }];
    const s = await importCsv(county, mixed);
    expect(s).toMatchObject({ rejected: 1, updated: 0, created: 0 });
    expect(s.problems[0]).toMatchObject({ reason: 'ambiguousMatch', sheetRow: 3, column: '证件号码' });
    expect(s.problems[0]!.message).toMatch(/2 户/);
  });

  it('refuses a role that may not register households', async () => {
    await expect(importCsv(actor('inspector', null), family('督查'))).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('files', () => {
  it('refuses a file that is not a spreadsheet before writing anything', async () => {
    await expect(runImport(database.db, county, { buffer: Buffer.from('PK\u0003\u0004 not really a zip'), fileName: 'x.xlsx' })).rejects.toBeInstanceOf(FileRefusal);
    expect(await count('households')).toBe(0);
  });

  it('refuses a file whose only sheet lacks required columns, naming them, before reading rows', async () => {
    const refused = runImport(database.db, county, { buffer: csv(['姓名', '行政村'], [['某人', '中岳村']]), fileName: 'x.csv' });
    await expect(refused).rejects.toBeInstanceOf(FileRefusal);
    await expect(refused).rejects.toMatchObject({ code: 'NO_HEADER', message: expect.stringMatching(/证件号码/) });
    expect(await count('households')).toBe(0);
  });

  it('skips the template’s example row and its code-list and instruction sheets', async () => {
    const { writeImportTemplate } = await import('./template.ts');
    const s = await runImport(database.db, county, { buffer: await writeImportTemplate(), fileName: '人员名单导入模板.xlsx' });
    expect(s).toMatchObject({ households: 0, created: 0, errors: 0 });
    expect(s.problems.map((p) => p.reason)).toEqual(['templateExample']);
  });

  it('names a masked ID number (a masked export imported by mistake)', async () => {
    const s = await importCsv(county, family('蒋一', { id: '430181********0011' }).slice(0, 1), { mode: 'dry-run' });
    expect(s.problems[0]).toMatchObject({ reason: 'maskedIdNumber', column: '证件号码' });
    expect(s.problems[0]!.message).toMatch(/完整导出/);
  });
});

describe('round trip', () => {
  it('a full member export re-imports into an empty registry without loss', async () => {
    const people = [...family('周七'), ...family('吴八', { township: '淮川街道', village: '城西社区', cause: '缺技术' })];
    await importCsv(county, people);
    const first = await exportHouseholds(database.db, admin, { kind: 'members', format: 'xlsx', full: true, filters: {} });
    database = await resetDatabase();
    const s = await runImport(database.db, county, { buffer: first.body as Buffer, fileName: first.fileName });
    expect(s).toMatchObject({ created: 2, rejected: 0, errors: 0 });
    const second = await exportHouseholds(database.db, admin, { kind: 'members', format: 'xlsx', full: true, filters: {} });
    const values = async (b: Buffer) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(b as unknown as ArrayBuffer);
      const out: unknown[] = [];
      wb.worksheets[0]!.eachRow((r) => out.push(JSON.stringify(r.values)));
      return out;
    };
    expect(await values(second.body as Buffer)).toEqual(await values(first.body as Buffer));
    // And once more into the same registry: nothing changes.
    const again = await runImport(database.db, county, { buffer: second.body as Buffer, fileName: second.fileName });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
  });
});
