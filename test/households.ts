/**
 * Helpers for the registry's db-tier tests: registering through the API, reading back, and
 * synthetic ID numbers of particular shapes (check character X, 15-digit legacy form).
 */
import { expect } from 'vitest';
import { checkCharacter } from '../src/shared/id-number.ts';
import type { HouseholdDto, HouseholdListItem } from '../src/modules/households/contract.ts';
import type { Client } from './http.ts';

export const ZHONGYUE = '430181125201'; // 大围山镇 中岳村
export const TONGXING = '430181125206'; // 大围山镇 同幸村
export const DAWEISHAN = '430181125000'; // 大围山镇
export const CHENGXI = '430181001001'; // 淮川街道 城西社区
export const HUAICHUAN = '430181001000'; // 淮川街道
export const LIUYANG = '430181000000';
export const CHANGSHA = '430100000000';

/** Registers through POST /api/households. @throws Error unless 201 */
export async function register(c: Client, body: unknown): Promise<HouseholdDto> {
  const res = await c.request('POST', '/api/households', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as HouseholdDto;
}

/** GET /api/households/:id (200 expected). */
export async function read(c: Client, id: string, query = ''): Promise<HouseholdDto> {
  const res = await c.request('GET', `/api/households/${id}${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as HouseholdDto;
}

export interface ListPage {
  items: HouseholdListItem[];
  total: number;
  page: number;
  pageSize: number;
}

/** GET /api/households with a query string (200 expected). */
export async function list(c: Client, query = ''): Promise<ListPage> {
  const res = await c.request('GET', `/api/households${query ? `?${query}` : ''}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as ListPage;
}

let xSeq = 500;
/** A valid 18-character ID number whose check character is X. */
export function idNumberWithX(birth: string, sex: 'male' | 'female', region = '430181'): string {
  for (;;) {
    xSeq = xSeq >= 998 ? 500 : xSeq + 2;
    const order = String(xSeq + (sex === 'male' ? 1 : 0)).padStart(3, '0');
    const first17 = `${region}${birth}${order}`;
    if (checkCharacter(first17) === 'X') return `${first17}X`;
  }
}

/**
 * A valid number with a chosen three-digit order code (odd: male), for tests that need numbers a
 * known distance apart (makeIdNumber's sequence depends on what ran before in the worker).
 */
export function idNumberOf(birth: string, order: string, region = '430181'): string {
  const first17 = `${region}${birth}${order}`;
  return first17 + checkCharacter(first17);
}

/** The 18-character number a 15-digit legacy number converts to. */
export function from15(id15: string): string {
  const first17 = `${id15.slice(0, 6)}19${id15.slice(6)}`;
  return first17 + checkCharacter(first17);
}

/** Full-width digits (０–９) for the ASCII ones. */
export function fullWidth(s: string): string {
  return s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
}

/** The same number with a wrong check character. */
export function wrongCheck(id: string): string {
  return id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
}

/** Another valid number differing from `id` in exactly one of the first 17 digits (position `pos`, 0-based). */
export function oneDigitApart(id: string, pos = 15): string {
  const d = (Number(id[pos]) + 1) % 10;
  const first17 = id.slice(0, pos) + String(d) + id.slice(pos + 1, 17);
  return first17 + checkCharacter(first17);
}
