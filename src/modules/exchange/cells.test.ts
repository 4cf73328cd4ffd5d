import { describe, expect, it } from 'vitest';
import { checkCharacter } from '../../shared/id-number.ts';
import {
  cellText,
  countUsedRows,
  dateFromExcelSerial,
  isBlankRow,
  readBoolean,
  readCode,
  readCodes,
  readDate,
  readIdNumber,
  readIdentifier,
  readInteger,
  readNumber,
  readText,
} from './cells.ts';

const id = (first17: string) => first17 + checkCharacter(first17);
const ID = id('43018119700312203'); // a valid 18-character number

describe('cellText and readText', () => {
  it('trims, folds NBSP, full-width and zero-width spaces, and makes full-width digits ASCII', () => {
    expect(cellText('\u3000张\u00A0三\u200B ')).toBe('张 三');
    expect(cellText('１２３')).toBe('123');
    expect(cellText('第一行\n第二行')).toBe('第一行 第二行');
    expect(cellText(12)).toBe('12');
    expect(cellText(null)).toBe('');
  });
  it('gives null for an empty cell and refuses text over the limit', () => {
    expect(readText('  ')).toEqual({ ok: true, value: null });
    expect(readText('abc', 2)).toMatchObject({ ok: false, reason: 'notText' });
  });
});

describe('readIdNumber', () => {
  it('accepts text, normalising spaces, full-width digits and a lowercase x', () => {
    const withX = id('11010519491231002');
    expect(withX.endsWith('X')).toBe(true);
    expect(readIdNumber(withX.toLowerCase())).toEqual({ ok: true, value: withX });
    const fullWidth = ID.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    expect(readIdNumber(`\u3000${fullWidth.slice(0, 6)} ${fullWidth.slice(6)}\u00A0`)).toEqual({ ok: true, value: ID });
  });
  it('drops the leading apostrophe Excel uses for text', () => {
    expect(readIdNumber(`'${ID}`)).toEqual({ ok: true, value: ID });
  });
  it('refuses an 18-digit number stored as a number: its last digits are lost', () => {
    // 430181197003122034 as a JS number is 430181197003122050: never store that.
    const asNumber = Number('430181197003122034'); // what Excel hands over for the 18-digit ID
    expect(String(asNumber)).not.toBe('430181197003122034');
    const r = readIdNumber(asNumber);
    expect(r).toMatchObject({ ok: false, reason: 'idNumberPrecisionLost' });
    expect(r.ok ? '' : r.message).toContain('15');
    expect(readIdNumber(1234567890123456)).toMatchObject({ ok: false, reason: 'idNumberPrecisionLost' });
  });
  it('refuses scientific notation (what such a number shows once turned into text)', () => {
    expect(readIdNumber('4.30181E+17')).toMatchObject({ ok: false, reason: 'idNumberPrecisionLost' });
    expect(readIdNumber('4.30181197003122e17')).toMatchObject({ ok: false, reason: 'idNumberPrecisionLost' });
  });
  it('accepts a 15-digit legacy number held as a number (exact) and converts it', () => {
    const r = readIdNumber(430181700312203);
    expect(r.ok && r.value?.length).toBe(18);
  });
  it('passes on validateIdNumber’s reason', () => {
    const bad = ID.slice(0, 17) + (ID.endsWith('0') ? '1' : '0');
    expect(readIdNumber(bad)).toMatchObject({ ok: false, reason: 'idNumber:checkDigit' });
    expect(readIdNumber('12345')).toMatchObject({ ok: false, reason: 'idNumber:length' });
    expect(readIdNumber(true)).toMatchObject({ ok: false });
  });
  it('gives null for an empty cell', () => {
    expect(readIdNumber(undefined)).toEqual({ ok: true, value: null });
    expect(readIdNumber(' \u3000')).toEqual({ ok: true, value: null });
  });
});

describe('readIdentifier', () => {
  it('refuses a 16-digit 户编号 held as a number, and scientific notation', () => {
    expect(readIdentifier(4301811252010007)).toMatchObject({ ok: false, reason: 'precisionLost' });
    expect(readIdentifier('4.30181E+15')).toMatchObject({ ok: false, reason: 'precisionLost' });
    expect(readIdentifier(430181125201)).toEqual({ ok: true, value: '430181125201' });
    expect(readIdentifier("'4301811252010007")).toEqual({ ok: true, value: '4301811252010007' });
    expect(readIdentifier('４３０１８１')).toEqual({ ok: true, value: '430181' });
    expect(readIdentifier(12.5)).toMatchObject({ ok: false, reason: 'notText' });
    expect(readIdentifier(null)).toEqual({ ok: true, value: null });
  });
});

describe('dates', () => {
  it('reads Excel serials with the 1900 leap-year bug (serial 60, the fictitious 1900-02-29, is refused)', () => {
    expect(dateFromExcelSerial(1)).toEqual({ ok: true, value: '1900-01-01' });
    expect(dateFromExcelSerial(59)).toEqual({ ok: true, value: '1900-02-28' });
    expect(dateFromExcelSerial(60)).toMatchObject({ ok: false, reason: 'fictitiousDate' });
    expect(dateFromExcelSerial(61)).toEqual({ ok: true, value: '1900-03-01' });
    expect(dateFromExcelSerial(45000)).toEqual({ ok: true, value: '2023-03-15' });
    expect(dateFromExcelSerial(45000.75)).toEqual({ ok: true, value: '2023-03-15' });
    expect(dateFromExcelSerial(0)).toMatchObject({ ok: false, reason: 'notADate' });
    expect(readDate(45000)).toEqual({ ok: true, value: '2023-03-15' });
  });
  it('reads a JS Date as a calendar date with no time-zone shift', () => {
    expect(readDate(new Date(Date.UTC(2023, 0, 5)))).toEqual({ ok: true, value: '2023-01-05' });
    // Local midnight in UTC+8 is 16:00 UTC the day before.
    expect(readDate(new Date('2023-01-05T00:00:00+08:00'))).toEqual({ ok: true, value: '2023-01-05' });
    expect(readDate(new Date('2023-01-05T00:00:00-05:00'))).toEqual({ ok: true, value: '2023-01-05' });
    // SheetJS-style local dates carry historical offsets such as +08:05:43 (local mean time).
    expect(readDate(new Date('1900-03-01T00:00:00+08:05'))).toEqual({ ok: true, value: '1900-03-01' });
    expect(readDate(new Date('x'))).toMatchObject({ ok: false, reason: 'notADate' });
  });
  it('reads text dates of every common form', () => {
    for (const s of ['2023-01-05', '2023/1/5', '2023.01.05', '2023年1月5日', '2023年01月05日', '20230105', '２０２３－０１－０５', '2023-01-05 00:00:00', ' 2023 年 1 月 5 日 ']) {
      expect(readDate(s), s).toEqual({ ok: true, value: '2023-01-05' });
    }
    expect(readDate(20230105)).toEqual({ ok: true, value: '2023-01-05' });
  });
  it('refuses dates that do not exist or cannot be read', () => {
    expect(readDate('2023-02-29')).toMatchObject({ ok: false, reason: 'notADate' });
    expect(readDate('2024-02-29')).toEqual({ ok: true, value: '2024-02-29' });
    expect(readDate('5/1/2023')).toMatchObject({ ok: false, reason: 'notADate' });
    expect(readDate('明年')).toMatchObject({ ok: false, reason: 'notADate' });
    expect(readDate(true)).toMatchObject({ ok: false, reason: 'notADate' });
    expect(readDate('')).toEqual({ ok: true, value: null });
  });
});

describe('numbers and booleans', () => {
  it('reads money with ¥, commas and 元', () => {
    expect(readNumber('¥1,234.50元')).toEqual({ ok: true, value: 1234.5 });
    expect(readNumber('￥３，２００')).toEqual({ ok: true, value: 3200 });
    expect(readNumber(4200.5)).toEqual({ ok: true, value: 4200.5 });
    expect(readNumber('约3000')).toMatchObject({ ok: false, reason: 'notANumber' });
    expect(readInteger('4')).toEqual({ ok: true, value: 4 });
    expect(readInteger(2.5)).toMatchObject({ ok: false, reason: 'notAnInteger' });
  });
  it('reads yes/no in every spelling', () => {
    for (const t of ['是', '有', 'Y', 'y', 'yes', 1, '1', '√', true]) expect(readBoolean(t), String(t)).toEqual({ ok: true, value: true });
    for (const f of ['否', '无', 'N', 'no', 0, '0', '×', false]) expect(readBoolean(f), String(f)).toEqual({ ok: true, value: false });
    expect(readBoolean('也许')).toMatchObject({ ok: false, reason: 'notABoolean' });
    expect(readBoolean(null)).toEqual({ ok: true, value: null });
  });
});

describe('readCode', () => {
  it('resolves a label, a code with or without its leading zero, an alias and the value', () => {
    expect(readCode('relationToHead', '户主')).toEqual({ ok: true, value: 'head' });
    expect(readCode('relationToHead', '01')).toEqual({ ok: true, value: 'head' });
    expect(readCode('relationToHead', 1)).toEqual({ ok: true, value: 'head' });
    expect(readCode('povertyCause', '缺劳力')).toEqual({ ok: true, value: 'lackOfLabour' });
    expect(readCode('povertyCause', '缺劳动力')).toEqual({ ok: true, value: 'lackOfLabour' });
    expect(readCode('sex', '女')).toEqual({ ok: true, value: 'female' });
    expect(readCode('labourAbility', 'ordinaryLabour')).toEqual({ ok: true, value: 'ordinaryLabour' });
  });
  it('reads several values in one cell', () => {
    expect(readCodes('povertyCause', '因病、缺技术，因病')).toEqual({ ok: true, value: ['illness', 'lackOfSkills'] });
    expect(readCodes('povertyCause', null)).toEqual({ ok: true, value: [] });
    expect(readCodes('povertyCause', '因病;因懒')).toMatchObject({ ok: false, reason: 'unknownCode' });
  });
  it('refuses an unknown value, naming the list', () => {
    const r = readCode('povertyCause', '因懒');
    expect(r).toMatchObject({ ok: false, reason: 'unknownCode' });
    expect(r.ok ? '' : r.message).toContain('致贫原因');
  });
});

describe('blank rows', () => {
  it('sees rows of empty and space-only cells as blank and counts the used rows', () => {
    expect(isBlankRow([null, undefined, '', ' \u3000', '\u200B'])).toBe(true);
    expect(isBlankRow([])).toBe(true);
    expect(isBlankRow([null, 0])).toBe(false);
    expect(countUsedRows([['a'], [], ['b'], [null, ''], [' ']])).toBe(3);
  });
});
