/**
 * Export of the registry: .xlsx read back with exceljs (ID numbers as text with all digits, dates as
 * dates, a frozen bold header), CSV with BOM or in GBK, formula injection neutralised, scope, masking
 * and the audit of every export, and the member list's headers recognised by the importer.
 */
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase } from '../../../test/db.ts';
import { signInAdmin, testApp } from '../../../test/http.ts';
import { householdBody, member } from '../../../test/people.ts';
import { CHENGXI, DAWEISHAN, register, TONGXING, ZHONGYUE } from '../../../test/households.ts';
import type { HouseholdDto } from '../households/contract.ts';
import { rowsOf, sql, type Database } from '../../platform/db.ts';
import type { Actor } from '../../platform/auth.ts';
import type { App } from '../../platform/http.ts';
import type { Role } from '../../shared/access.ts';
import { detectHeader } from './headers.ts';
import { groupPersonRows } from './person-list.ts';
import { csvField, EXPORT_HEADERS, exportHouseholds, neutralizeFormula, type ExportOptions } from './export.ts';

let app: App;
let database: Database;
const hh = {} as Record<'z1' | 'z2' | 't1' | 'c1', HouseholdDto>;

const actor = (role: Role, areaCode: string | null): Actor => ({ id: null, username: `test-${role}`, displayName: `测试${role}`, role, areaCode });
const clerk = actor('village_clerk', ZHONGYUE);
const township = actor('township_officer', DAWEISHAN);
const admin = actor('admin', null);

const run = (a: Actor, o: Partial<ExportOptions>) => exportHouseholds(database.db, a, { kind: 'members', format: 'xlsx', filters: {}, ...o });

async function sheetOf(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb.worksheets[0]!;
}

/** The sheet as rows of values (row 1 first). */
function valuesOf(ws: ExcelJS.Worksheet): unknown[][] {
  const out: unknown[][] = [];
  ws.eachRow({ includeEmpty: true }, (row) => {
    out.push((row.values as unknown[]).slice(1));
  });
  return out;
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let f = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (q) {
      if (c === '"' && text[i + 1] === '"') {
        f += '"';
        i++;
      } else if (c === '"') q = false;
      else f += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      row.push(f);
      f = '';
    } else if (c === '\n') {
      row.push(f);
      rows.push(row);
      row = [];
      f = '';
    } else if (c !== '\r') f += c;
  }
  return rows;
}

const auditsOf = async () =>
  rowsOf<{ after: Record<string, unknown>; actor_role: string }>(await database.db.execute(sql`SELECT after, actor_role FROM audit_events WHERE action = 'exchange.export' ORDER BY id`));

beforeAll(async () => {
  database = await resetDatabase();
  app = await testApp(database);
  const a = await signInAdmin(app);
  hh.z1 = await register(a, householdBody({ bankAccount: '6230901234567890', bankName: '浏阳农商银行' }));
  hh.z2 = await register(a, householdBody({ members: [member('=HYPERLINK("http://x","点我")', 'head', '19600101', 'male'), member('测试, "引号"', 'spouse', '19620202', 'female')], phone: null }));
  hh.t1 = await register(a, householdBody({ areaCode: TONGXING, members: [member('测试同幸', 'head', '19650505', 'male')] }));
  hh.c1 = await register(a, householdBody({ areaCode: CHENGXI, members: [member('测试城西', 'head', '19770707', 'male')] }));
});
afterAll(() => app?.close());

describe('cells', () => {
  it('neutralises = + - @ tab and CR at the start; quotes CSV fields per RFC 4180', () => {
    for (const s of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(neutralizeFormula(s)).toBe(`'${s}`);
    expect(neutralizeFormula('张三')).toBe('张三');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=1,2')).toBe(`"'=1,2"`);
    expect(csvField(null)).toBe('');
  });
});

describe('xlsx', () => {
  it('the member list: ID numbers and 户编号 as text with every digit, dates as dates, a bold frozen header with autofilter', async () => {
    const f = await run(admin, { full: true, filters: { areaCode: ZHONGYUE } });
    expect(f.contentType).toMatch(/spreadsheetml/);
    expect(f.fileName).toMatch(/^人员名单-中岳村-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const ws = await sheetOf(f.body);
    const rows = valuesOf(ws);
    expect(rows[0]).toEqual(EXPORT_HEADERS.members);
    expect(f.rows).toBe(6);
    expect(rows.length).toBe(7);
    const h = EXPORT_HEADERS.members;
    const col = (name: string) => h.indexOf(name);
    const head = hh.z1.members.find((m) => m.relationToHead === 'head')!;
    const r = rows.find((x) => x[col('姓名')] === head.name)!;
    const idCell = ws.getRow(rows.indexOf(r) + 1).getCell(col('证件号码') + 1);
    expect(idCell.value).toBe(head.idNumber);
    expect(typeof idCell.value).toBe('string');
    expect(idCell.numFmt).toBe('@');
    expect(String(idCell.value)).toHaveLength(18);
    expect(r[col('户编号')]).toBe(hh.z1.householdNo);
    expect(r[col('区划代码')]).toBe(ZHONGYUE);
    const birth = r[col('出生日期')];
    expect(birth).toBeInstanceOf(Date);
    expect((birth as Date).toISOString().slice(0, 10)).toBe('1970-03-12');
    expect(ws.getRow(rows.indexOf(r) + 1).getCell(col('出生日期') + 1).numFmt).toBe('yyyy-mm-dd');
    expect(r[col('与户主关系')]).toBe('本人或户主');
    expect(r[col('县(市、区、旗)')]).toBe('浏阳市');
    expect(r[col('乡(镇)')]).toBe('大围山镇');
    expect(r[col('行政村')]).toBe('中岳村');
    expect(r[col('人数')]).toBe(4);
    const income = ws.getRow(rows.indexOf(r) + 1).getCell(col('人均纯收入') + 1);
    expect(typeof income.value).toBe('number');
    expect(income.numFmt).toBe('0.00');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(ws.autoFilter).toBeTruthy();
    expect(ws.getColumn(col('证件号码') + 1).width).toBeGreaterThanOrEqual(20);
  });

  it('the household list has the village register’s columns, one row per household', async () => {
    const f = await run(township, { kind: 'households' });
    expect(f.fileName).toMatch(/^农户名单-大围山镇-/);
    const rows = valuesOf(await sheetOf(f.body));
    expect(rows[0]).toEqual(EXPORT_HEADERS.households);
    expect(rows.slice(1).map((r) => r[0]).sort()).toEqual([hh.z1.householdNo, hh.z2.householdNo, hh.t1.householdNo].sort());
    const z1 = rows.find((r) => r[0] === hh.z1.householdNo)!;
    expect(z1[EXPORT_HEADERS.households.indexOf('户主证件号码')]).toMatch(/^430181\*{8}\d{3}[\dX]$/);
    expect(z1[EXPORT_HEADERS.households.indexOf('户联系电话')]).toBe('138****1234');
    expect(z1[EXPORT_HEADERS.households.indexOf('更新日期')]).toBeInstanceOf(Date);
  });

  it('a member named =HYPERLINK(…) is a plain string with an apostrophe, never a formula', async () => {
    const f = await run(clerk, {});
    const ws = await sheetOf(f.body);
    let found = false;
    ws.eachRow((row) => {
      row.eachCell((cell) => {
        expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
        if (typeof cell.value === 'string' && cell.value.includes('HYPERLINK')) {
          expect(cell.value).toBe(`'=HYPERLINK("http://x","点我")`);
          found = true;
        }
      });
    });
    expect(found).toBe(true);
  });

  it('the member list’s headers are recognised by detectHeader with every required column', async () => {
    const f = await run(clerk, {});
    const rows = valuesOf(await sheetOf(f.body)) as (string | number | Date | null)[][];
    const d = detectHeader(rows);
    expect(d.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(d.missingRequired).toEqual([]);
    expect(d.unknown).toEqual([]);
    expect(d.headerRowIndex).toBe(0);
    expect(d.columns.map((c) => c.field.key)).toEqual(expect.arrayContaining(['county', 'township', 'village', 'group', 'householdNo', 'name', 'idNumber', 'relationToHead', 'birthDate']));
  });
  it('a full member export parses back with the importer’s grouping: same households, members and ID numbers (round-trip groundwork)', async () => {
    const f = await run(clerk, { full: true });
    const rows = valuesOf(await sheetOf(f.body)) as (string | number | Date | null)[][];
    const clean = rows.map((r) => r.map((c) => (typeof c === 'string' && c.startsWith("'=") ? c.slice(1) : c)));
    const parsed = groupPersonRows(clean, detectHeader(clean));
    const byNo = new Map(parsed.households.map((h) => [h.householdNo, h]));
    for (const h of [hh.z1, hh.z2]) {
      const p = byNo.get(h.householdNo)!;
      expect(p.problems.filter((x) => x.severity === 'error')).toEqual([]);
      expect(p.area).toMatchObject({ county: '浏阳市', township: '大围山镇', village: '中岳村', code: ZHONGYUE });
      expect(p.members.map((m) => [m.values.name, m.values.idNumber, m.values.relationToHead]).sort()).toEqual(h.members.map((m) => [m.name, m.idNumber, m.relationToHead]).sort());
    }
  });
});

describe('csv', () => {
  it('UTF-8 starts with the BOM; GBK decodes to the same text; fields quoted and neutralised', async () => {
    const utf8 = await run(clerk, { format: 'csv' });
    expect(utf8.contentType).toBe('text/csv; charset=utf-8');
    expect([...utf8.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = utf8.body.subarray(3).toString('utf8');
    const gbk = await run(clerk, { format: 'csv', encoding: 'gbk' });
    expect(gbk.body[0]).not.toBe(0xef);
    expect(iconv.decode(gbk.body, 'gbk')).toBe(text);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(EXPORT_HEADERS.members);
    const names = rows.slice(1).map((r) => r[EXPORT_HEADERS.members.indexOf('姓名')]);
    expect(names).toContain(`'=HYPERLINK("http://x","点我")`);
    expect(names).toContain('测试, "引号"');
    expect(text).toContain(`"'=HYPERLINK(""http://x"",""点我"")"`);
    const r = rows.find((x) => x[EXPORT_HEADERS.members.indexOf('户编号')] === hh.z1.householdNo)!;
    expect(r[EXPORT_HEADERS.members.indexOf('出生日期')]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(r[EXPORT_HEADERS.members.indexOf('人均纯收入')]).toMatch(/^\d+\.\d{2}$/);
  });
});

describe('scope', () => {
  it('a township officer exports their township only; a clerk their village only; an area outside is 404', async () => {
    const hhNos = async (a: Actor) => {
      const f = await run(a, { kind: 'households', format: 'csv' });
      return parseCsv(f.body.subarray(3).toString('utf8')).slice(1).map((r) => r[0]).sort();
    };
    expect(await hhNos(township)).toEqual([hh.z1.householdNo, hh.z2.householdNo, hh.t1.householdNo].sort());
    expect(await hhNos(clerk)).toEqual([hh.z1.householdNo, hh.z2.householdNo].sort());
    expect(await hhNos(admin)).toHaveLength(4);
    await expect(run(clerk, { filters: { areaCode: TONGXING } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(run(township, { filters: { areaCode: CHENGXI } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('applies the list’s filters and reads in batches', async () => {
    const f = await run(admin, { kind: 'households', format: 'csv', filters: { areaCode: DAWEISHAN }, batchSize: 1 });
    expect(f.rows).toBe(3);
    const g = await run(admin, { kind: 'members', format: 'csv', batchSize: 2 });
    expect(g.rows).toBe(4 + 2 + 1 + 1);
    const q = await run(admin, { kind: 'households', format: 'csv', filters: { q: '测试同幸' } });
    expect(q.rows).toBe(1);
  });
});

describe('masking and audit', () => {
  it('masks ID numbers and phones by default for every role', async () => {
    for (const a of [admin, township, clerk]) {
      const f = await run(a, { format: 'csv' });
      const rows = parseCsv(f.body.subarray(3).toString('utf8')).slice(1);
      for (const r of rows) {
        expect(r[EXPORT_HEADERS.members.indexOf('证件号码')]).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
        const p = r[EXPORT_HEADERS.members.indexOf('户联系电话')];
        if (p) expect(p).toBe('138****1234');
        const bank = r[EXPORT_HEADERS.members.indexOf('银行卡号')];
        if (bank) expect(bank).not.toContain('1234567');
      }
    }
  });

  it('full=true for a clerk gives full numbers and is audited as full; full=true for a city officer is 403', async () => {
    const before = (await auditsOf()).length;
    const f = await run(clerk, { format: 'csv', full: true, filters: { status: 'notExited' } });
    const rows = parseCsv(f.body.subarray(3).toString('utf8')).slice(1);
    const ids = rows.map((r) => r[EXPORT_HEADERS.members.indexOf('证件号码')]);
    expect(ids).toContain(hh.z1.members[0]!.idNumber);
    for (const id of ids) expect(id).toMatch(/^\d{17}[\dX]$/);
    const audits = await auditsOf();
    expect(audits.length).toBe(before + 1);
    expect(audits.at(-1)!.after).toMatchObject({ kind: 'members', format: 'csv', encoding: 'utf-8', full: true, rows: f.rows, filters: { status: 'notExited' } });

    await expect(run(actor('city_officer', '430100000000'), { full: true })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await auditsOf()).length).toBe(before + 1);
    const city = await run(actor('city_officer', '430100000000'), { kind: 'households', format: 'xlsx' });
    expect(city.rows).toBe(4);
    expect((await auditsOf()).at(-1)!.after).toMatchObject({ kind: 'households', format: 'xlsx', full: false, rows: 4 });
  });
});
