/**
 * The role × action table every module declares (permissions.ts), checked pair by pair against the
 * roles described in USERS.md / src/shared/access.ts. Lives in test/ because src/shared may not import
 * modules, and the table spans all of them.
 */
import { describe, expect, it } from 'vitest';
import { actionsOf, ROLES, roleCan, type Role } from '../src/shared/access.ts';
import { ACCOUNTS } from '../src/modules/accounts/permissions.ts';
import { AREAS } from '../src/modules/areas/permissions.ts';
import { AUDIT } from '../src/modules/audit/permissions.ts';

const OFFICERS: Role[] = ['city_officer', 'county_officer', 'township_officer'];

/** Who holds each action (everyone else must not). */
const EXPECTED: Record<string, Role[]> = {
  'areas.read': [...ROLES],
  'areas.import': ['admin'],
  'areas.designate': ['admin', 'city_officer', 'county_officer'],
  'accounts.read': ['admin', ...OFFICERS, 'inspector'],
  'accounts.create': ['admin', ...OFFICERS],
  'accounts.update': ['admin', ...OFFICERS],
  'accounts.reset-password': ['admin', ...OFFICERS],
  'audit.read': ['admin', ...OFFICERS, 'inspector'],
};

describe('the declared permissions', () => {
  it('declare exactly the expected actions', () => {
    const declared = [...Object.values(ACCOUNTS), ...Object.values(AREAS), ...Object.values(AUDIT)].sort();
    expect(declared).toEqual(Object.keys(EXPECTED).sort());
  });

  const pairs = Object.entries(EXPECTED).flatMap(([action, holders]) => ROLES.map((role) => [role, action, holders.includes(role)] as const));
  it.each(pairs)('%s holds %s: %s', (role, action, holds) => {
    expect(roleCan(role, action)).toBe(holds);
  });

  it('an inspector holds only read actions', () => {
    expect(actionsOf('inspector').length).toBeGreaterThan(0);
    for (const a of actionsOf('inspector')) expect(a).toMatch(/\.read$/);
  });

  it('village clerks, helpers and work-team members neither manage accounts nor read the audit log', () => {
    for (const role of ['village_clerk', 'helper', 'work_team_member'] as const) {
      expect(actionsOf(role)).toEqual(['areas.read']);
    }
  });

  it('the administrator holds every declared action', () => {
    expect(actionsOf('admin')).toEqual(Object.keys(EXPECTED).sort());
  });
});
