import { describe, expect, it } from 'vitest';
import { actionsOf, definePermissions, ROLE_AREA_LEVELS, ROLES, roleCan } from './access.ts';

describe('definePermissions', () => {
  it('returns the action names as a table of constants', () => {
    const p = definePermissions({ 'unittest.alpha': ['admin'], 'unittest.beta': ['admin', 'inspector'] });
    expect(p).toEqual({ 'unittest.alpha': 'unittest.alpha', 'unittest.beta': 'unittest.beta' });
  });

  it('throws when an action is declared again with other roles', () => {
    definePermissions({ 'unittest.gamma': ['admin', 'city_officer'] });
    expect(() => definePermissions({ 'unittest.gamma': ['admin'] })).toThrow(/unittest\.gamma.*declared twice/);
    expect(() => definePermissions({ 'unittest.gamma': ['admin', 'city_officer', 'inspector'] })).toThrow(/declared twice/);
    // The first declaration stands.
    expect(roleCan('city_officer', 'unittest.gamma')).toBe(true);
    expect(roleCan('inspector', 'unittest.gamma')).toBe(false);
  });
});

describe('roleCan', () => {
  it('grants only the roles listed for an action', () => {
    definePermissions({ 'unittest.delta': ['township_officer', 'village_clerk'] });
    expect(roleCan('township_officer', 'unittest.delta')).toBe(true);
    expect(roleCan('village_clerk', 'unittest.delta')).toBe(true);
    expect(roleCan('admin', 'unittest.delta')).toBe(false);
    expect(roleCan('inspector', 'unittest.delta')).toBe(false);
  });

  it('denies an action nobody declared, even to the administrator', () => {
    expect(roleCan('admin', 'unittest.never-declared')).toBe(false);
  });
});

describe('actionsOf', () => {
  it('lists every declared action a role holds, sorted', () => {
    definePermissions({ 'unittest.z-last': ['helper'], 'unittest.a-first': ['helper'], 'unittest.other': ['admin'] });
    const mine = actionsOf('helper').filter((a) => a.startsWith('unittest.'));
    expect(mine).toEqual(['unittest.a-first', 'unittest.z-last']);
    expect(actionsOf('helper')).toEqual([...actionsOf('helper')].sort());
    expect(actionsOf('helper')).not.toContain('unittest.other');
  });
});

describe('ROLE_AREA_LEVELS', () => {
  it('gives every role at least one area level, and officers exactly their own', () => {
    for (const role of ROLES) expect(ROLE_AREA_LEVELS[role].length, role).toBeGreaterThan(0);
    expect(ROLE_AREA_LEVELS.city_officer).toEqual(['city']);
    expect(ROLE_AREA_LEVELS.county_officer).toEqual(['county']);
    expect(ROLE_AREA_LEVELS.township_officer).toEqual(['township']);
    expect(ROLE_AREA_LEVELS.village_clerk).toEqual(['village']);
  });
});
