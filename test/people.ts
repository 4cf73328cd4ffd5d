/**
 * Synthetic people for tests: valid ID numbers (GB 11643-1999) built from a region code, a birth
 * date and a sequence number, never real ones.
 */
import { checkCharacter } from '../src/shared/id-number.ts';

let seq = 100;

/**
 * A valid 18-character ID number.
 * @param birth YYYYMMDD
 * @param sex 'male' (odd 17th digit) or 'female'
 */
export function makeIdNumber(birth: string, sex: 'male' | 'female', region = '430181'): string {
  seq = (seq + 1) % 500;
  const order = String(seq * 2 + (sex === 'male' ? 1 : 0)).padStart(3, '0').slice(-3);
  const first17 = `${region}${birth}${order}`;
  return first17 + checkCharacter(first17);
}

/** A member body for the registry API. */
export function member(name: string, relationToHead: string, birth: string, sex: 'male' | 'female', extra: Record<string, unknown> = {}) {
  return { name, sex, idType: 'residentId', idNumber: makeIdNumber(birth, sex), relationToHead, ...extra };
}

/** A four-person household body in 大围山镇 中岳村 (430181125201). */
export function householdBody(extra: Record<string, unknown> = {}) {
  return {
    areaCode: '430181125201',
    groupName: '三组',
    householdType: 'registeredPoor',
    povertyAttribute: 'general',
    mainPovertyCause: 'illness',
    otherPovertyCauses: ['lackOfSkills'],
    status: 'notExited',
    identificationYear: 2016,
    phone: '13800001234',
    members: [
      member('测试户主', 'head', '19700312', 'male', { health: 'chronicIllness' }),
      member('测试配偶', 'spouse', '19720518', 'female'),
      member('测试之子', 'son', '19980101', 'male', { monthsWorked: 10 }),
      member('测试之女', 'daughter', '20120909', 'female', { schooling: 'primary' }),
    ],
    income: { year: 2025, wageIncome: 18000, productionIncome: 3500.5, propertyIncome: 0, transferIncome: 2400, productionCosts: 1200 },
    ...extra,
  };
}
