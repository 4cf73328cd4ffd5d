import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageOf } from '../../shared/paging.ts';
import type { AppContext } from '../../platform/http.ts';
import {
  addMemberBody,
  archiveSchema,
  duplicateCandidateSchema,
  historyItemSchema,
  householdListItem,
  householdListQuery,
  householdSchema,
  moveMemberBody,
  registerHouseholdBody,
  removeHouseholdBody,
  removeMemberBody,
  setIncomeBody,
  updateHouseholdBody,
  updateMemberBody,
} from './contract.ts';
import { CODE_LISTS } from './codes.ts';
import { HOUSEHOLDS } from './permissions.ts';
import * as s from './service.ts';

const idParams = z.object({ id: z.uuid('农户 ID 格式不正确 · malformed household id') });
const memberParams = idParams.extend({ memberId: z.uuid('成员 ID 格式不正确 · malformed member id') });
const readQuery = z.object({
  full: z.stringbool().default(false),
  asOfYear: z.coerce.number().int().min(2000).max(2100).optional(),
});

/** Routes under /api/households, /api/townships/:code/archive and /api/code-lists. */
export function householdRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['households'];
  const read = { action: HOUSEHOLDS['households.read'] };
  const update = { action: HOUSEHOLDS['households.update'] };

  r.get('/code-lists', { schema: { tags, summary: '代码表 · Code lists (labels zh/en, national codes, aliases)' } }, async () => CODE_LISTS);

  r.get(
    '/households',
    { config: read, schema: { tags, summary: '农户列表（村有册）· Households (the village register)', querystring: householdListQuery, response: { 200: pageOf(householdListItem) } } },
    async (req) => s.findHouseholds(ctx.db, req.actor!, req.query),
  );

  r.post(
    '/households',
    { config: { action: HOUSEHOLDS['households.create'] }, schema: { tags, summary: '建档立卡：登记农户 · Register a household', body: registerHouseholdBody, response: { 201: householdSchema } } },
    async (req, reply) => reply.status(201).send(await s.registerHousehold(ctx.db, req.actor!, req.body)),
  );

  r.get(
    '/households/duplicates',
    {
      config: { action: HOUSEHOLDS['households.duplicates'] },
      schema: { tags, summary: '疑似重复人员 · Likely duplicate people', querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }), response: { 200: z.object({ items: z.array(duplicateCandidateSchema) }) } },
    },
    async (req) => ({ items: await s.findDuplicateCandidates(ctx.db, req.actor!, req.query.limit) }),
  );

  r.get(
    '/households/:id',
    {
      config: read,
      schema: { tags, summary: '农户详情（户有卡）· A household (its card); full=true shows ID numbers in full and is audited', params: idParams, querystring: readQuery, response: { 200: householdSchema } },
    },
    async (req) => s.getHousehold(ctx.db, req.actor!, req.params.id, { full: req.query.full, asOfYear: req.query.asOfYear }),
  );

  r.get(
    '/households/:id/history',
    { config: read, schema: { tags, summary: '变更记录 · Change list', params: idParams, response: { 200: z.object({ items: z.array(historyItemSchema) }) } } },
    async (req) => ({ items: await s.findHouseholdHistory(ctx.db, req.actor!, req.params.id) }),
  );

  r.patch(
    '/households/:id',
    { config: update, schema: { tags, summary: '修改农户信息 · Edit a household', params: idParams, body: updateHouseholdBody, response: { 200: householdSchema } } },
    async (req) => s.updateHousehold(ctx.db, req.actor!, req.params.id, req.body),
  );

  r.post(
    '/households/:id/members',
    { config: update, schema: { tags, summary: '新增家庭成员 · Add a member', params: idParams, body: addMemberBody, response: { 200: householdSchema } } },
    async (req) => s.addMember(ctx.db, req.actor!, req.params.id, req.body),
  );

  r.put(
    '/households/:id/members/:memberId',
    { config: update, schema: { tags, summary: '修改家庭成员 · Correct a member', params: memberParams, body: updateMemberBody, response: { 200: householdSchema } } },
    async (req) => s.updateMember(ctx.db, req.actor!, req.params.id, req.params.memberId, req.body),
  );

  r.post(
    '/households/:id/members/:memberId/remove',
    { config: update, schema: { tags, summary: '减少家庭成员 · Remove a member (with the reason)', params: memberParams, body: removeMemberBody, response: { 200: householdSchema } } },
    async (req) => s.removeMember(ctx.db, req.actor!, req.params.id, req.params.memberId, req.body),
  );

  r.post(
    '/households/:id/members/:memberId/move',
    { config: update, schema: { tags, summary: '成员迁入另一户 · Move a member to another household', params: memberParams, body: moveMemberBody, response: { 200: householdSchema } } },
    async (req) => s.moveMember(ctx.db, req.actor!, req.params.id, req.params.memberId, req.body),
  );

  r.put(
    '/households/:id/income',
    { config: update, schema: { tags, summary: '年度收入 · Income of a year', params: idParams, body: setIncomeBody, response: { 200: householdSchema } } },
    async (req) => s.setIncome(ctx.db, req.actor!, req.params.id, req.body),
  );

  r.post(
    '/households/:id/remove',
    { config: { action: HOUSEHOLDS['households.remove'] }, schema: { tags, summary: '注销农户 · Remove a household from the registry', params: idParams, body: removeHouseholdBody, response: { 200: householdSchema } } },
    async (req) => s.removeHousehold(ctx.db, req.actor!, req.params.id, req.body),
  );

  r.get(
    '/townships/:code/archive',
    { config: read, schema: { tags, summary: '乡有档 · Township archive', params: z.object({ code: z.string().regex(/^\d{12}$/) }), response: { 200: archiveSchema } } },
    async (req) => s.getTownshipArchive(ctx.db, req.actor!, req.params.code),
  );
}
