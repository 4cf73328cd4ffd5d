import { describe, expect, it } from 'vitest';
import { checkPasswordStrength } from '../../platform/auth.ts';
import { ROLES } from '../../shared/access.ts';
import { generatePassword, newSessionToken, roleAreaIssue, sessionIdOf } from './rules.ts';

const PROVINCE = '430000000000';
const CITY = '430100000000';
const COUNTY = '430181000000';
const TOWNSHIP = '430181125000';
const VILLAGE = '430181125201';

describe('roleAreaIssue', () => {
  const allowed: Record<string, string[]> = {
    admin: [PROVINCE, CITY, COUNTY, TOWNSHIP, VILLAGE],
    city_officer: [CITY],
    county_officer: [COUNTY],
    township_officer: [TOWNSHIP],
    village_clerk: [VILLAGE],
    helper: [TOWNSHIP, VILLAGE],
    work_team_member: [VILLAGE],
    inspector: [PROVINCE, CITY, COUNTY, TOWNSHIP, VILLAGE],
  };
  const cases = ROLES.flatMap((role) => [PROVINCE, CITY, COUNTY, TOWNSHIP, VILLAGE].map((code) => [role, code, allowed[role]!.includes(code)] as const));

  it.each(cases)('%s with area %s is allowed: %s', (role, code, ok) => {
    const issue = roleAreaIssue(role, code);
    if (ok) expect(issue).toBeNull();
    else {
      expect(issue).not.toBeNull();
      expect(issue!.path).toEqual(['areaCode']);
      expect(issue!.message).toMatch(/[\u4e00-\u9fff]/);
      expect(issue!.messageEn.length).toBeGreaterThan(0);
    }
  });

  it('names the expected and the given level', () => {
    const issue = roleAreaIssue('village_clerk', TOWNSHIP)!;
    expect(issue.message).toContain('村');
    expect(issue.message).toContain('乡镇');
    expect(issue.messageEn).toMatch(/village/);
    expect(issue.messageEn).toMatch(/township/);
  });

  it('only the administrator may have no area (the whole country)', () => {
    expect(roleAreaIssue('admin', null)).toBeNull();
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      expect(roleAreaIssue(role, null)?.path, role).toEqual(['areaCode']);
    }
  });
});

describe('generatePassword', () => {
  it('makes 14 characters with a letter and a digit that pass the password rules', () => {
    for (let i = 0; i < 200; i++) {
      const pw = generatePassword();
      expect(pw).toHaveLength(14);
      expect(pw).toMatch(/[A-Za-z]/);
      expect(pw).toMatch(/\d/);
      expect(() => checkPasswordStrength(pw)).not.toThrow();
    }
  });

  it('avoids look-alike characters (0 O 1 l I)', () => {
    const all = Array.from({ length: 200 }, () => generatePassword()).join('');
    expect(all).not.toMatch(/[0O1lIi]/);
  });

  it('honours a requested length and does not repeat itself', () => {
    expect(generatePassword(16)).toHaveLength(16);
    const seen = new Set(Array.from({ length: 100 }, () => generatePassword()));
    expect(seen.size).toBe(100);
  });
});

describe('checkPasswordStrength', () => {
  it.each(['short1a', 'allletters', '1234567890', 'x1'.repeat(65)])('refuses %s with a field issue on password', (pw) => {
    expect(() => checkPasswordStrength(pw)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', details: { issues: [expect.objectContaining({ path: ['password'] })] } }));
  });
});

describe('session tokens', () => {
  it('stores only a hash of the random cookie token', () => {
    const token = newSessionToken();
    expect(token.length).toBeGreaterThanOrEqual(43);
    expect(sessionIdOf(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(sessionIdOf(token)).not.toContain(token);
    expect(sessionIdOf(token)).toBe(sessionIdOf(token));
    expect(newSessionToken()).not.toBe(token);
  });
});
