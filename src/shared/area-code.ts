/**
 * Area codes (区划代码): the National Bureau of Statistics' 12-digit statistical division code
 * (统计用区划代码, NBS 2023). The code is hierarchical: 2 significant digits for a province, 4 for a
 * city, 6 for a county, 9 for a township and 12 for a village. fupin stores the 12-digit form and
 * uses the significant prefix as a user's area scope.
 */

export const AREA_LEVELS = ['province', 'city', 'county', 'township', 'village'] as const;
export type AreaLevel = (typeof AREA_LEVELS)[number];

/** Significant digits of each level's code. */
export const LEVEL_DIGITS: Record<AreaLevel, number> = { province: 2, city: 4, county: 6, township: 9, village: 12 };

export const LEVEL_LABELS: Record<AreaLevel, { zh: string; en: string }> = {
  province: { zh: '省', en: 'Province' },
  city: { zh: '市', en: 'City' },
  county: { zh: '县', en: 'County' },
  township: { zh: '乡镇', en: 'Township' },
  village: { zh: '村', en: 'Village' },
};

/** True for a string of exactly 12 ASCII digits. */
export function isAreaCode12(code: string): boolean {
  return /^\d{12}$/.test(code);
}

/**
 * Pads a natural-length code (2/4/6/9/12 digits) to the 12-digit NBS form.
 * @returns the 12-digit code, or null when the input is not 2, 4, 6, 9 or 12 digits
 */
export function toAreaCode12(code: string): string | null {
  const c = code.trim();
  if (!/^\d+$/.test(c) || ![2, 4, 6, 9, 12].includes(c.length)) return null;
  return c.padEnd(12, '0');
}

/**
 * The level of a 12-digit code, read from where its trailing zeros start.
 * A village code may itself end in zeros only in the last three digits' sense (001–999), so the
 * rule is: digits 10–12 non-zero → village; 7–9 → township; 5–6 → county; 3–4 → city; else province.
 */
export function levelOfCode(code12: string): AreaLevel {
  if (code12.slice(9) !== '000') return 'village';
  if (code12.slice(6, 9) !== '000') return 'township';
  if (code12.slice(4, 6) !== '00') return 'county';
  if (code12.slice(2, 4) !== '00') return 'city';
  return 'province';
}

/** The significant prefix of a 12-digit code: what every code inside the area starts with. */
export function scopePrefix(code12: string): string {
  return code12.slice(0, LEVEL_DIGITS[levelOfCode(code12)]);
}

/** The 12-digit code of the parent area, or null for a province. */
export function parentCodeOf(code12: string): string | null {
  const level = levelOfCode(code12);
  const i = AREA_LEVELS.indexOf(level);
  if (i === 0) return null;
  const parentLevel = AREA_LEVELS[i - 1]!;
  return code12.slice(0, LEVEL_DIGITS[parentLevel]).padEnd(12, '0');
}

/** The 12-digit codes of all ancestors, province first (not including the code itself). */
export function ancestorCodesOf(code12: string): string[] {
  const out: string[] = [];
  let p = parentCodeOf(code12);
  while (p) {
    out.unshift(p);
    p = parentCodeOf(p);
  }
  return out;
}

/**
 * Whether `target` lies inside the scope of `scope` (the same area or below it).
 * A null scope is the whole country (the system administrator's).
 */
export function isWithinScope(scope: string | null, target: string): boolean {
  if (scope === null) return true;
  return target.startsWith(scopePrefix(scope));
}
