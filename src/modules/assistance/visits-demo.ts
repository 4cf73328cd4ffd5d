/**
 * The demo's visits (走访记录): for most assisted households of the demo township that have a helper,
 * visits dated over the last months by their helper, with a few generated photos — and gaps on
 * purpose: some households never visited, some overdue (last visit long ago), the demo helper's
 * households partly overdue, so that 走访监测 and 我的帮扶户 show something. Synthetic throughout:
 * texts are stock phrases, photos are drawn in code (no real place or person).
 */
import { deflateSync } from 'node:zlib';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { mulberry32 } from '../../shared/random.ts';
import { scopePrefix } from '../../shared/area-code.ts';
import { todayCst } from '../households/index.ts';
import { households } from '../households/schema.ts';
import type { AssistanceDemoContext } from './demo.ts';
import { addDays, ASSISTED_HOUSEHOLD_TYPES } from './rules.ts';
import { helperAssignments, helpers, visitPhotos, visits } from './schema.ts';
import { registeredOn } from './visits.ts';

/** What a helper does on a visit (stock phrases; the demo's text is synthetic). */
const CONTENTS = [
  '了解家庭收入和务工情况，核对家庭成员信息',
  '宣讲教育资助政策，了解孩子上学情况',
  '宣讲健康扶贫和医保参保政策，了解家人身体状况',
  '查看住房安全情况，了解危房改造进度',
  '了解产业发展情况，商量养殖和种植计划',
  '宣讲小额信贷和贴息政策',
  '帮助联系就近务工岗位，了解外出务工人员情况',
  '了解低保金、养老金发放情况',
  '走访慰问，了解生产生活困难',
  '宣讲雨露计划职业培训政策',
  '核对帮扶措施落实情况，填写扶贫手册',
  '了解饮水安全和用电情况',
];
/** Problems found (most visits find none). */
const PROBLEMS = ['屋顶有漏雨，需要修缮', '老人慢性病用药负担较重', '孩子上学路途远，交通不便', '缺少养殖技术，希望参加培训', '家中劳动力不足，农忙时缺人手', '饮水管道老化，偶有停水', '希望联系就近务工岗位'];

// ---------------------------------------------------------------------------------------------
// A tiny PNG encoder, for synthetic demo photos (no image library, no files)

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/**
 * A valid RGB PNG of `width`×`height` pixels whose colour at (x, y) is `pixel(x, y)` ([r, g, b], 0–255).
 * @returns the file's bytes
 */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      raw[row + 1 + x * 3] = r;
      raw[row + 2 + x * 3] = g;
      raw[row + 3 + x * 3] = b;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** A synthetic "visit photo": sky, hills and a house drawn in flat colours (160×120), varied by `seed`. */
export function demoPhoto(seed: number): Buffer {
  const rnd = mulberry32(seed);
  const hill = 70 + Math.floor(rnd() * 20);
  const houseX = 30 + Math.floor(rnd() * 80);
  const wall: [number, number, number] = rnd() < 0.5 ? [222, 214, 196] : [200, 170, 140];
  return encodePng(160, 120, (x, y) => {
    const roofTop = 62;
    if (x >= houseX && x < houseX + 44 && y >= 78 && y < 108) return x >= houseX + 18 && x < houseX + 28 && y >= 90 ? [90, 60, 40] : wall;
    if (y >= roofTop && y < 78 && Math.abs(x - (houseX + 22)) <= (y - roofTop) * 1.6) return [110, 110, 118];
    if (y > hill + Math.round(8 * Math.sin(x / 17))) return [70 + (y % 7), 130 + Math.round(rnd() * 10), 60];
    return [135 + Math.round(y / 2), 190 + Math.round(y / 4), 235];
  });
}

/**
 * Seeds the demo's visits over the assisted households of `ctx.townshipCode` that have a current
 * helper (helper_assignments): about one household in ten never visited, one in five overdue (last
 * visit 40–150 days ago), the others visited within the last 4 weeks, each with 1–6 earlier visits
 * roughly monthly; the demo helper's households: one never visited, a third overdue. Every tenth
 * household's latest visit (and the demo helper's recent ones) carries a generated photo. One
 * transaction; reproducible from `ctx.seed` and today's date.
 * @returns { visits, visitPhotos, householdsNotVisited } — the last: assisted households of the township with no visit at all (with or without a helper)
 */
export async function seedVisitsDemo(db: Db, ctx: AssistanceDemoContext): Promise<Record<string, number>> {
  const rnd = mulberry32(ctx.seed + 6007);
  const today = todayCst();
  const pattern = `${scopePrefix(ctx.townshipCode)}%`;
  const assisted = and(sql`${households.areaCode} LIKE ${pattern}`, eq(households.active, true), inArray(households.householdType, [...ASSISTED_HOUSEHOLD_TYPES]));
  const rows = await db
    .select({
      householdId: households.id,
      identificationYear: households.identificationYear,
      createdAt: households.createdAt,
      helperId: helpers.id,
      helperName: helpers.name,
      userId: helpers.userId,
    })
    .from(helperAssignments)
    .innerJoin(households, eq(households.id, helperAssignments.householdId))
    .innerJoin(helpers, eq(helpers.id, helperAssignments.helperId))
    .where(and(isNull(helperAssignments.endDate), assisted))
    .orderBy(households.householdNo);

  type VisitRow = typeof visits.$inferInsert & { id: string };
  const visitRows: VisitRow[] = [];
  const photoRows: (typeof visitPhotos.$inferInsert)[] = [];
  let demoHelperSeen = 0;
  for (const [i, r] of rows.entries()) {
    const own = ctx.helperUserId !== null && r.userId === ctx.helperUserId;
    let kind: 'never' | 'overdue' | 'recent';
    if (own) {
      // The demo helper: the first household never visited, then every third one overdue.
      kind = demoHelperSeen === 0 ? 'never' : demoHelperSeen % 3 === 1 ? 'overdue' : 'recent';
      demoHelperSeen++;
    } else {
      const x = rnd();
      kind = x < 0.1 ? 'never' : x < 0.3 ? 'overdue' : 'recent';
    }
    if (kind === 'never') continue;
    const earliest = registeredOn(r.identificationYear, r.createdAt);
    let date = addDays(today, -(kind === 'overdue' ? 40 + Math.floor(rnd() * 110) : 1 + Math.floor(rnd() * 27)));
    const earlier = 1 + Math.floor(rnd() * 6);
    const dates: string[] = [];
    // Not before the household's registration (a household registered today gets no back-dated visit).
    for (let k = 0; k <= earlier && date >= earliest; k++) {
      dates.push(date);
      date = addDays(date, -(22 + Math.floor(rnd() * 25)));
    }
    for (const [k, d] of dates.entries()) {
      const id = crypto.randomUUID();
      const problems = rnd() < 0.3 ? PROBLEMS[Math.floor(rnd() * PROBLEMS.length)]! : null;
      visitRows.push({
        id,
        householdId: r.householdId,
        helperId: r.helperId,
        visitorName: r.helperName,
        visitDate: d,
        content: CONTENTS[Math.floor(rnd() * CONTENTS.length)]!,
        problems,
        recordedBy: r.userId,
        recordedByName: r.helperName,
      });
      if (k === 0 && (i % 10 === 0 || (own && kind === 'recent'))) {
        const data = demoPhoto(ctx.seed + i);
        photoRows.push({ visitId: id, householdId: r.householdId, mimeType: 'image/png', sizeBytes: data.length, data });
      }
    }
  }

  await db.transaction(async (tx) => {
    for (let k = 0; k < visitRows.length; k += 500) await tx.insert(visits).values(visitRows.slice(k, k + 500));
    for (let k = 0; k < photoRows.length; k += 50) await tx.insert(visitPhotos).values(photoRows.slice(k, k + 50));
  });
  const [never] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(households)
    .where(and(assisted, sql`NOT EXISTS (SELECT 1 FROM ${visits} v WHERE v.household_id = ${households.id})`));
  return { visits: visitRows.length, visitPhotos: photoRows.length, householdsNotVisited: Number(never?.n ?? 0) };
}
