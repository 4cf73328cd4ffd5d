import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/http.ts';
import { assistanceSettingsBody, assistanceSettingsSchema } from './settings-contract.ts';
import { ASSISTANCE } from './permissions.ts';
import { getAssistanceSettings, saveAssistanceSettings } from './settings.ts';

/** Routes of the assistance settings (visit period, helper load maximum). */
export function settingsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['assistance'];
  r.get(
    '/assistance/settings',
    {
      config: { action: ASSISTANCE['assistance.read'] },
      schema: { tags, summary: '帮扶设置（走访周期、帮扶户数上限）· Visit period and helper load maximum in force', querystring: z.object({ areaCode: z.string().regex(/^\d{12}$/).optional() }), response: { 200: assistanceSettingsSchema } },
    },
    async (req) => getAssistanceSettings(ctx.db, req.actor!, req.query.areaCode),
  );
  r.put(
    '/assistance/settings',
    { config: { action: ASSISTANCE['assistance.settings'] }, schema: { tags, summary: '保存帮扶设置 · Save an area’s assistance settings', body: assistanceSettingsBody, response: { 200: assistanceSettingsSchema } } },
    async (req) => saveAssistanceSettings(ctx.db, req.actor!, req.body),
  );
}
