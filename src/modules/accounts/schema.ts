/** Tables of the accounts capability. */
import { boolean, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { areas } from '../areas/schema.ts';

/** User accounts: one role and one area each (the administrator's area may be null: the whole country). */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    username: text('username').notNull().unique(),
    displayName: text('display_name').notNull(),
    role: text('role', {
      enum: ['admin', 'city_officer', 'county_officer', 'township_officer', 'village_clerk', 'helper', 'work_team_member', 'inspector'],
    }).notNull(),
    areaCode: text('area_code').references(() => areas.code),
    phone: text('phone'),
    passwordHash: text('password_hash').notNull(),
    active: boolean('active').notNull().default(true),
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }),
    /** Incremented on every change; an edit carrying an older version is refused as stale. */
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('users_area_idx').using('btree', t.areaCode.op('text_pattern_ops'))],
);
