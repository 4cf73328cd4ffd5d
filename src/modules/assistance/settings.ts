/**
 * Assistance settings per area: the visit period (days a household may go without a visit) and the
 * most households one helper should carry. The nearest ancestor's row applies; without one, the
 * defaults (DEFAULT_ASSISTANCE_SETTINGS in rules.ts).
 */
import { eq, inArray } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../platform/db.ts';
import { authorize, type Actor } from '../../platform/auth.ts';
import { ancestorCodesOf } from '../../shared/area-code.ts';
import { recordAudit } from '../audit/index.ts';
import { ASSISTANCE } from './permissions.ts';
import { DEFAULT_ASSISTANCE_SETTINGS, type AssistanceSettingsValues } from './rules.ts';
import { assistanceSettings } from './schema.ts';
import type { AssistanceSettingsDto, AssistanceSettingsInput } from './settings-contract.ts';
import { assistanceSettingsBody } from './settings-contract.ts';

/**
 * The settings that apply in an area (12-digit code; null = the country): the area's own row, else
 * its nearest ancestor's, else the defaults.
 * @returns { visitPeriodDays (days), maxHouseholdsPerHelper (households), areaCode: the row's area or null for the defaults }
 */
export async function settingsFor(db: DbOrTx, areaCode: string | null): Promise<AssistanceSettingsValues & { areaCode: string | null }> {
  const chain = areaCode ? [...ancestorCodesOf(areaCode), areaCode] : [];
  const rows = await db.select().from(assistanceSettings).where(inArray(assistanceSettings.areaCode, [...chain, '']));
  for (const code of [...chain].reverse()) {
    const r = rows.find((x) => x.areaCode === code);
    if (r) return { visitPeriodDays: r.visitPeriodDays, maxHouseholdsPerHelper: r.maxHouseholdsPerHelper, areaCode: code };
  }
  const d = rows.find((x) => x.areaCode === '');
  return d ? { visitPeriodDays: d.visitPeriodDays, maxHouseholdsPerHelper: d.maxHouseholdsPerHelper, areaCode: null } : { ...DEFAULT_ASSISTANCE_SETTINGS, areaCode: null };
}

/** The settings in force for the actor's area (and what the actor may change). */
export async function getAssistanceSettings(db: DbOrTx, actor: Actor, areaCode?: string): Promise<AssistanceSettingsDto> {
  const code = areaCode ?? actor.areaCode;
  authorize(actor, ASSISTANCE['assistance.read'], code ? { areaCode: code, label: { zh: '区域', en: 'Area' } } : undefined);
  const s = await settingsFor(db, code);
  return { areaCode: code, visitPeriodDays: s.visitPeriodDays, maxHouseholdsPerHelper: s.maxHouseholdsPerHelper, definedAt: s.areaCode };
}

/**
 * Saves the settings of an area (audited).
 * @throws AppError FORBIDDEN (not assistance.settings), NOT_FOUND (area outside scope), VALIDATION_FAILED
 */
export async function saveAssistanceSettings(db: Db, actor: Actor, input: AssistanceSettingsInput): Promise<AssistanceSettingsDto> {
  const body = assistanceSettingsBody.parse(input);
  authorize(actor, ASSISTANCE['assistance.settings'], { areaCode: body.areaCode, label: { zh: '区域', en: 'Area' } });
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(assistanceSettings).where(eq(assistanceSettings.areaCode, body.areaCode));
    const values = { visitPeriodDays: body.visitPeriodDays, maxHouseholdsPerHelper: body.maxHouseholdsPerHelper, updatedAt: new Date(), updatedBy: actor.id };
    await tx
      .insert(assistanceSettings)
      .values({ areaCode: body.areaCode, ...values })
      .onConflictDoUpdate({ target: assistanceSettings.areaCode, set: values });
    await recordAudit(tx, actor, {
      action: ASSISTANCE['assistance.settings'],
      targetType: 'assistanceSettings',
      targetId: body.areaCode,
      areaCode: body.areaCode,
      before: before ? { visitPeriodDays: before.visitPeriodDays, maxHouseholdsPerHelper: before.maxHouseholdsPerHelper } : null,
      after: { visitPeriodDays: body.visitPeriodDays, maxHouseholdsPerHelper: body.maxHouseholdsPerHelper },
    });
    return { areaCode: body.areaCode, visitPeriodDays: body.visitPeriodDays, maxHouseholdsPerHelper: body.maxHouseholdsPerHelper, definedAt: body.areaCode };
  });
}
