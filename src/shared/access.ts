/**
 * Roles and the permission registry. Pure and isomorphic: the server's `authorize` and the web
 * client's menu both read it.
 *
 * Each account holds one role and one area (USERS.md). A role's actions are declared by the modules
 * that define the actions, in their permissions.ts, through `definePermissions`.
 */
import type { AreaLevel } from './area-code.ts';

export const ROLES = [
  'admin',
  'city_officer',
  'county_officer',
  'township_officer',
  'village_clerk',
  'helper',
  'work_team_member',
  'inspector',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  admin: { zh: '系统管理员', en: 'System administrator' },
  city_officer: { zh: '市级扶贫干部', en: 'City officer' },
  county_officer: { zh: '县级扶贫干部', en: 'County officer' },
  township_officer: { zh: '乡镇扶贫专干', en: 'Township officer' },
  village_clerk: { zh: '村级信息员', en: 'Village clerk' },
  helper: { zh: '帮扶责任人', en: 'Helper' },
  work_team_member: { zh: '驻村工作队员', en: 'Work-team member' },
  inspector: { zh: '督查（只读）', en: 'Inspector (read only)' },
};

/**
 * The area levels an account of each role may be given. An officer's area is of the officer's own
 * level; a village clerk's and work-team member's is a village; a helper works in a township or a
 * village; an inspector may be scoped to any level. The administrator's area may be empty (the
 * whole country) or any area.
 */
export const ROLE_AREA_LEVELS: Record<Role, readonly AreaLevel[]> = {
  admin: ['province', 'city', 'county', 'township', 'village'],
  city_officer: ['city'],
  county_officer: ['county'],
  township_officer: ['township'],
  village_clerk: ['village'],
  helper: ['township', 'village'],
  work_team_member: ['village'],
  inspector: ['province', 'city', 'county', 'township', 'village'],
};

/** Roles that manage accounts (for areas inside their own). */
export const OFFICER_ROLES: readonly Role[] = ['city_officer', 'county_officer', 'township_officer'];

export const ALL_ROLES: readonly Role[] = ROLES;

/** The roles that may read everything in their scope (every role reads its own scope). */
const registry = new Map<string, ReadonlySet<Role>>();

/**
 * Declares actions and the roles that hold them. Called once per module from its permissions.ts.
 * @throws Error when an action is declared twice (a programming error, caught by the unit tests)
 */
export function definePermissions<const T extends Record<string, readonly Role[]>>(table: T): { [K in keyof T]: K } {
  const names = {} as { [K in keyof T]: K };
  for (const [action, roles] of Object.entries(table)) {
    if (registry.has(action) && [...registry.get(action)!].join() !== [...roles].join()) {
      throw new Error(`permission ${action} declared twice`);
    }
    registry.set(action, new Set(roles));
    (names as Record<string, string>)[action] = action;
  }
  return names;
}

/** Whether the role holds the action (scope is checked separately). Unknown actions are denied. */
export function roleCan(role: Role, action: string): boolean {
  return registry.get(action)?.has(role) ?? false;
}

/** All declared actions a role holds (for the client's menu and the profile page). */
export function actionsOf(role: Role): string[] {
  return [...registry.entries()].filter(([, roles]) => roles.has(role)).map(([a]) => a).sort();
}
