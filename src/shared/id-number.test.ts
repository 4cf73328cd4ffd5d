import { describe, expect, it } from 'vitest';
import {
  checkCharacter,
  convert15To18,
  disabilityLabel,
  isKnownIdRegion,
  isListedIdRegion,
  normalizeIdNumber,
  validateDisabilityCertNo,
  validateIdNumber,
  type IdNumberResult,
  type IdRejection,
} from './id-number.ts';
import { ID_REGION_CITIES } from './id-regions.ts';

// Every number below is synthetic (built with checkCharacter), apart from the two worked examples
// published in GB 11643-1999 itself.
const TODAY = '2025-06-15';
/** A full 18-character number from 17 digits. */
const id = (first17: string): string => first17 + checkCharacter(first17);
/** The same number with a wrong check character. */
const wrongCheck = (first17: string): string => first17 + (checkCharacter(first17) === '0' ? '1' : '0');

const LIUYANG = '430181'; // 湖南省 长沙市 浏阳市 (NBS 2023)
const MALE = id(`${LIUYANG}19850312123`); // sequence 123: odd → male; check character 5
const FEMALE = id(`${LIUYANG}19850312124`); // sequence 124: even → female

function reasonOf(r: IdNumberResult): IdRejection | 'ok' {
  return r.ok ? 'ok' : r.reason;
}

describe('checkCharacter: the standard’s worked examples (GB 11643-1999)', () => {
  it('11010519491231002X has check character X', () => {
    expect(checkCharacter('11010519491231002')).toBe('X');
    const r = validateIdNumber('11010519491231002X', { today: TODAY });
    expect(r).toEqual({ ok: true, idNumber: '11010519491231002X', birthDate: '1949-12-31', sex: 'female', regionCode: '110105', regionListed: true });
  });

  it('440524188001010014 has check character 4 (its 1880 birth date is refused by the 1900 floor)', () => {
    expect(checkCharacter('44052418800101001')).toBe('4');
    const r = validateIdNumber('440524188001010014', { today: TODAY });
    expect(reasonOf(r)).toBe('birthDate');
  });

  it('computes every check character of the MOD 11-2 table', () => {
    // Digits 16 and 17 (weights 4 and 2) reach every remainder of the weighted sum mod 11; the check
    // character for remainders 0..10 must read "10X98765432" (GB 11643-1999 §8.2).
    const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const byRemainder = new Map<number, string>();
    for (let n = 0; n < 100; n++) {
      const first17 = `${LIUYANG}198503121${String(n).padStart(2, '0')}`;
      const sum = [...first17].reduce((acc, c, i) => acc + Number(c) * weights[i]!, 0);
      byRemainder.set(sum % 11, checkCharacter(first17));
    }
    expect([...Array(11).keys()].map((k) => byRemainder.get(k)).join('')).toBe('10X98765432');
  });

  it('refuses anything but 17 digits', () => {
    expect(() => checkCharacter('1101051949123100')).toThrow(RangeError);
    expect(() => checkCharacter('1101051949123100X')).toThrow(RangeError);
  });
});

describe('normalizeIdNumber', () => {
  it('removes spaces of every kind anywhere', () => {
    const spaced = ` ${MALE.slice(0, 6)}\u3000${MALE.slice(6, 10)}\u00A0${MALE.slice(10, 14)}\t${MALE.slice(14, 16)}\u2009${MALE.slice(16, 17)}\u200B${MALE.slice(17)}\n`;
    expect(normalizeIdNumber(spaced)).toBe(MALE);
    expect(normalizeIdNumber(`\uFEFF${MALE}\u202F`)).toBe(MALE);
  });

  it('turns full-width digits and Ｘ/ｘ and lowercase x into ASCII', () => {
    const fullWidth = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    expect(normalizeIdNumber(fullWidth('11010519491231002') + 'Ｘ')).toBe('11010519491231002X');
    expect(normalizeIdNumber(fullWidth('11010519491231002') + 'ｘ')).toBe('11010519491231002X');
    expect(normalizeIdNumber('11010519491231002x')).toBe('11010519491231002X');
  });
});

describe('validateIdNumber', () => {
  it('reads birth date, sex and region from a valid number', () => {
    expect(validateIdNumber(MALE, { today: TODAY })).toEqual({
      ok: true,
      idNumber: MALE,
      birthDate: '1985-03-12',
      sex: 'male',
      regionCode: LIUYANG,
      regionListed: true,
    });
    const f = validateIdNumber(FEMALE, { today: TODAY });
    expect(f.ok && f.sex).toBe('female');
  });

  it('accepts lowercase x, spaces and full-width digits', () => {
    const xNumber = `${LIUYANG}19900101002X`; // synthetic; its check character is X
    expect(checkCharacter(xNumber.slice(0, 17))).toBe('X');
    const r = validateIdNumber(xNumber.toLowerCase(), { today: TODAY });
    expect(r.ok && r.idNumber).toBe(xNumber);
    expect(reasonOf(validateIdNumber(`${xNumber.slice(0, 17)}ｘ`, { today: TODAY }))).toBe('ok');
    expect(reasonOf(validateIdNumber(`\u3000${MALE.slice(0, 9)} ${MALE.slice(9)}\u00A0`, { today: TODAY }))).toBe('ok');
    const fw = MALE.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    const r2 = validateIdNumber(fw, { today: TODAY });
    expect(r2.ok && r2.idNumber).toBe(MALE);
  });

  // One or more rows for every rejection reason.
  const cases: [string, string, IdRejection | 'ok'][] = [
    ['valid male', MALE, 'ok'],
    ['valid female', FEMALE, 'ok'],
    ['valid, city without counties (东莞 441900)', id('44190019850312123'), 'ok'],
    ['valid, retired county under a known city (fallback)', id('43018919850312123'), 'ok'],
    ['empty', '', 'empty'],
    ['only spaces', ' \u3000\t', 'empty'],
    ['17 characters', MALE.slice(0, 17), 'length'],
    ['19 characters', `${MALE}1`, 'length'],
    ['16 characters', MALE.slice(0, 16), 'length'],
    ['20-character certificate without allowDisabilityCert', `${MALE}41`, 'length'],
    ['a letter', `${MALE.slice(0, 5)}A${MALE.slice(6)}`, 'characters'],
    ['X not last', `${MALE.slice(0, 16)}X${MALE.slice(17)}`, 'characters'],
    ['a hyphen', `${MALE.slice(0, 6)}-${MALE.slice(7)}`, 'characters'],
    ['X in a 15-digit number', '43018185031212X', 'characters'],
    ['unknown province 99', id('99010119850312123'), 'region'],
    ['unknown province 00', id('00010119850312123'), 'region'],
    ['Hong Kong 810000 (居住证)', id('81000019850312123'), 'region'],
    ['unknown province 99', id('99010119850312123'), 'region'],
    ['a province code', id('43000019850312123'), 'region'],
    ['a city code', id('43010019850312123'), 'region'],
    ['30 February', id(`${LIUYANG}19990230123`), 'birthDate'],
    ['month 13', id(`${LIUYANG}19991301123`), 'birthDate'],
    ['day 00', id(`${LIUYANG}19990100123`), 'birthDate'],
    ['31 April', id(`${LIUYANG}19990431123`), 'birthDate'],
    ['before 1900', id(`${LIUYANG}18991231123`), 'birthDate'],
    ['1900-02-29 (1900 is no leap year)', id(`${LIUYANG}19000229123`), 'birthDate'],
    ['2000-02-29 (leap)', id(`${LIUYANG}20000229123`), 'ok'],
    ['2024-02-29 (leap)', id(`${LIUYANG}20240229123`), 'ok'],
    ['2023-02-29', id(`${LIUYANG}20230229123`), 'birthDate'],
    ['1900-01-01', id(`${LIUYANG}19000101123`), 'ok'],
    ['born today', id(`${LIUYANG}20250615123`), 'ok'],
    ['born tomorrow', id(`${LIUYANG}20250616123`), 'future'],
    ['born in 2031', id(`${LIUYANG}20310101123`), 'future'],
    ['wrong check character', wrongCheck(`${LIUYANG}19850312123`), 'checkDigit'],
    ['check character X where 5 is due', `${MALE.slice(0, 17)}X`, 'checkDigit'],
    ['digits 15 and 16 swapped (…123 → …213)', `${MALE.slice(0, 14)}21${MALE.slice(16)}`, 'checkDigit'],
  ];
  it.each(cases)('%s → %s', (_label, number, expected) => {
    expect(reasonOf(validateIdNumber(number, { today: TODAY }))).toBe(expected);
  });

  it('says which check character was expected', () => {
    const first17 = `${LIUYANG}19850312123`;
    const expected = checkCharacter(first17);
    const actual = expected === '5' ? '6' : '5';
    const r = validateIdNumber(first17 + actual, { today: TODAY });
    expect(r).toMatchObject({ ok: false, reason: 'checkDigit', message: `第 18 位校验码应为 ${expected}，实际为 ${actual}` });
    expect(!r.ok && r.messageEn).toContain(`should be ${expected}`);
  });

  it('names the position of a bad character', () => {
    const r = validateIdNumber(`${MALE.slice(0, 5)}A${MALE.slice(6)}`, { today: TODAY });
    expect(!r.ok && r.message).toBe('第 6 位“A”不是数字');
  });

  it('names the refused region code and the bad date', () => {
    expect(validateIdNumber(id('99010119850312123'), { today: TODAY })).toMatchObject({ message: expect.stringContaining('990101') });
    expect(validateIdNumber(id(`${LIUYANG}19990230123`), { today: TODAY })).toMatchObject({ message: expect.stringContaining('1999-02-30') });
  });

  it('defaults today to the date in China Standard Time', () => {
    // 2025-06-15T17:00Z is 2025-06-16 01:00 in Beijing: a person born on 2025-06-16 is already born.
    const born = id(`${LIUYANG}20250616123`);
    expect(reasonOf(validateIdNumber(born, { today: new Date('2025-06-15T17:00:00Z') }))).toBe('ok');
    expect(reasonOf(validateIdNumber(born, { today: new Date('2025-06-15T15:00:00Z') }))).toBe('future');
    const farFuture = id(`${LIUYANG}29991231123`);
    expect(reasonOf(validateIdNumber(farFuture))).toBe('future');
  });

  it('refuses an entered birth date or sex that disagrees with the number', () => {
    expect(reasonOf(validateIdNumber(MALE, { today: TODAY, birthDate: '1985-03-12', sex: 'male' }))).toBe('ok');
    const d = validateIdNumber(MALE, { today: TODAY, birthDate: '1985-03-21' });
    expect(d).toMatchObject({ ok: false, reason: 'mismatchBirthDate' });
    expect(!d.ok && d.message).toContain('1985-03-12');
    const s = validateIdNumber(MALE, { today: TODAY, sex: 'female' });
    expect(s).toMatchObject({ ok: false, reason: 'mismatchSex' });
    expect(!s.ok && s.message).toContain('应为男');
    expect(reasonOf(validateIdNumber(FEMALE, { today: TODAY, sex: 'male' }))).toBe('mismatchSex');
    // Not entered: nothing to compare.
    expect(reasonOf(validateIdNumber(MALE, { today: TODAY, birthDate: null, sex: null }))).toBe('ok');
  });

  it('accepts codes of retired prefectures (5224 毕节地区 was renumbered 5205 in 2011): people keep their numbers', () => {
    const bijieOld = id('52240119850312123');
    const r = validateIdNumber(bijieOld, { today: TODAY });
    expect(reasonOf(r)).toBe('ok');
    expect(r.ok && r.regionListed).toBe(false);
  });

  it('lets the caller replace the region check', () => {
    const bijieOld = id('52240119850312123');
    expect(reasonOf(validateIdNumber(bijieOld, { today: TODAY, isKnownRegion: (c) => c === '430181' }))).toBe('region');
    expect(reasonOf(validateIdNumber(bijieOld, { today: TODAY, isKnownRegion: (c) => c === '522401' }))).toBe('ok');
  });
});

describe('15-digit legacy numbers', () => {
  const old15 = `${LIUYANG}850312123`;

  it('convert15To18 inserts the century and appends the check character', () => {
    expect(convert15To18(old15)).toBe(MALE);
    expect(convert15To18(` ${old15.slice(0, 6)} ${old15.slice(6)}`)).toBe(MALE);
    expect(() => convert15To18('12345')).toThrow(RangeError);
    expect(() => convert15To18(MALE)).toThrow(RangeError);
  });

  it('validateIdNumber accepts them and reports the conversion', () => {
    expect(validateIdNumber(old15, { today: TODAY })).toEqual({
      ok: true,
      idNumber: MALE,
      birthDate: '1985-03-12',
      sex: 'male',
      regionCode: LIUYANG,
      regionListed: true,
      convertedFrom15: old15,
    });
  });

  it('checks their region and date too', () => {
    expect(reasonOf(validateIdNumber('990101850312123', { today: TODAY }))).toBe('region');
    expect(reasonOf(validateIdNumber(`${LIUYANG}990230123`, { today: TODAY }))).toBe('birthDate');
    expect(reasonOf(validateIdNumber(`${LIUYANG}000229123`, { today: TODAY }))).toBe('birthDate'); // 1900-02-29
    expect(reasonOf(validateIdNumber(`${LIUYANG}960229124`, { today: TODAY }))).toBe('ok');
  });
});

describe('isKnownIdRegion', () => {
  it('accepts current county codes and refuses provinces, cities and unknown codes', () => {
    expect(isKnownIdRegion('430181')).toBe(true);
    expect(isListedIdRegion('430181')).toBe(true);
    expect(isKnownIdRegion('441900')).toBe(true); // 东莞, no counties
    expect(isKnownIdRegion('430000')).toBe(false);
    expect(isKnownIdRegion('430100')).toBe(false);
    expect(isKnownIdRegion('990101')).toBe(false);
    expect(isKnownIdRegion('000000')).toBe(false);
    expect(isKnownIdRegion('4301')).toBe(false);
  });

  it('falls back to the city prefix for retired county codes', () => {
    expect(isKnownIdRegion('440524')).toBe(true); // 潮阳县 of the standard's example, now part of 汕头
    expect(isListedIdRegion('440524')).toBe(false);
    const r = validateIdNumber(id('44052419850312123'), { today: TODAY });
    expect(r.ok && r.regionListed).toBe(false);
  });

  it('the generated data holds the whole NBS 2023 list', () => {
    expect(ID_REGION_CITIES).toHaveLength(342);
    const counties = ID_REGION_CITIES.reduce((n, e) => n + (e.length - 4) / 2, 0);
    expect(counties).toBe(2978);
  });
});

describe('disability certificate numbers (第二代残疾人证号)', () => {
  const cert = `${MALE}41`; // 肢体残疾一级

  it('validateDisabilityCertNo returns the ID number, category and grade', () => {
    expect(validateDisabilityCertNo(cert, { today: TODAY })).toEqual({
      ok: true,
      idNumber: MALE,
      birthDate: '1985-03-12',
      sex: 'male',
      regionCode: LIUYANG,
      regionListed: true,
      certNo: cert,
      category: 4,
      grade: 1,
    });
    expect(reasonOf(validateDisabilityCertNo(`${FEMALE}74`, { today: TODAY }))).toBe('ok');
    expect(disabilityLabel(4, 1)).toBe('肢体残疾一级');
    expect(disabilityLabel(8, 1)).toBe('');
  });

  const bad: [string, string, IdRejection][] = [
    ['empty', ' ', 'empty'],
    ['an 18-character ID number', MALE, 'length'],
    ['21 characters', `${cert}1`, 'length'],
    ['category 0', `${MALE}01`, 'disabilityCategory'],
    ['category 8', `${MALE}81`, 'disabilityCategory'],
    ['grade 0', `${MALE}40`, 'disabilityGrade'],
    ['grade 5', `${MALE}45`, 'disabilityGrade'],
    ['a letter as grade', `${MALE}4A`, 'characters'],
    ['a wrong check character in the ID part', `${wrongCheck(`${LIUYANG}19850312123`)}41`, 'checkDigit'],
    ['an unknown region in the ID part', `${id('99010119850312123')}41`, 'region'],
    ['a future birth date in the ID part', `${id(`${LIUYANG}20300101123`)}41`, 'future'],
  ];
  it.each(bad)('%s → %s', (_label, number, expected) => {
    expect(reasonOf(validateDisabilityCertNo(number, { today: TODAY }))).toBe(expected);
  });

  it('validateIdNumber accepts one only with allowDisabilityCert, returning the embedded ID number', () => {
    expect(reasonOf(validateIdNumber(cert, { today: TODAY }))).toBe('length');
    const r = validateIdNumber(` ${cert.toLowerCase()} `, { today: TODAY, allowDisabilityCert: true });
    expect(r).toMatchObject({ ok: true, idNumber: MALE, sex: 'male', disabilityCert: { certNo: cert, category: 4, grade: 1 } });
    expect(reasonOf(validateIdNumber(`${MALE}48`, { today: TODAY, allowDisabilityCert: true }))).toBe('disabilityGrade');
    expect(reasonOf(validateIdNumber(cert, { today: TODAY, allowDisabilityCert: true, sex: 'female' }))).toBe('mismatchSex');
    // An ordinary ID number still passes with the option on.
    expect(reasonOf(validateIdNumber(MALE, { today: TODAY, allowDisabilityCert: true }))).toBe('ok');
  });
});
