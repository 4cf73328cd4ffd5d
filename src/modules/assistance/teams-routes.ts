import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/http.ts';
import { ASSISTANCE } from './permissions.ts';
import {
  addTeamMemberBody,
  contactPointListQuery,
  contactPointPageSchema,
  contactPointSchema,
  createContactPointBody,
  createWorkTeamBody,
  endContactPointBody,
  endTeamMemberBody,
  endWorkTeamBody,
  replaceWorkTeamBody,
  teamChoicesQuery,
  teamChoicesSchema,
  updateContactPointBody,
  updateTeamMemberBody,
  updateWorkTeamBody,
  villagesWithoutTeamQuery,
  villagesWithoutTeamSchema,
  workTeamListQuery,
  workTeamPageSchema,
  workTeamSchema,
} from './teams-contract.ts';
import {
  addWorkTeamMember,
  createContactPoint,
  createWorkTeam,
  endContactPoint,
  endWorkTeam,
  endWorkTeamMember,
  findContactPoints,
  findVillagesWithoutTeam,
  findWorkTeams,
  getTeamChoices,
  getWorkTeam,
  replaceWorkTeam,
  updateContactPoint,
  updateWorkTeam,
  updateWorkTeamMember,
} from './teams.ts';

const teamParams = z.object({ id: z.uuid('工作队 ID 格式不正确 · malformed work-team id') });
const memberParams = teamParams.extend({ memberId: z.uuid('队员 ID 格式不正确 · malformed member id') });
const pointParams = z.object({ id: z.uuid('联系点 ID 格式不正确 · malformed contact-point id') });

/**
 * Routes of work teams (驻村工作队), poor villages without a team and leader contact points
 * (市领导联系点), under /api/assistance/work-teams, /api/assistance/villages-without-team and
 * /api/assistance/contact-points.
 */
export function teamsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['assistance'];
  const read = { action: ASSISTANCE['assistance.read'] };
  const teams = { action: ASSISTANCE['assistance.teams'] };
  const points = { action: ASSISTANCE['assistance.contact-points'] };
  const T = '/assistance/work-teams';
  const P = '/assistance/contact-points';

  r.get(
    T,
    { config: read, schema: { tags, summary: '驻村工作队列表（村、派出单位、队长、第一书记、队员数）· Work teams in the scope', querystring: workTeamListQuery, response: { 200: workTeamPageSchema } } },
    async (req) => findWorkTeams(ctx.db, req.actor!, req.query),
  );
  r.post(
    T,
    { config: teams, schema: { tags, summary: '派驻工作队 · Create a village’s work team with its members', body: createWorkTeamBody, response: { 201: workTeamSchema } } },
    async (req, reply) => reply.status(201).send(await createWorkTeam(ctx.db, req.actor!, req.body)),
  );
  r.get(
    `${T}/choices`,
    { config: read, schema: { tags, summary: '工作队与联系点表单的可选项（帮扶单位、队员账号、本年贫困村）· Choices for the forms', querystring: teamChoicesQuery, response: { 200: teamChoicesSchema } } },
    async (req) => getTeamChoices(ctx.db, req.actor!, req.query.areaCode),
  );
  r.get(
    `${T}/:id`,
    { config: read, schema: { tags, summary: '工作队详情（队员与历任工作队）· A work team, its members and the village’s past teams', params: teamParams, response: { 200: workTeamSchema } } },
    async (req) => getWorkTeam(ctx.db, req.actor!, req.params.id),
  );
  r.patch(
    `${T}/:id`,
    { config: teams, schema: { tags, summary: '修改工作队（派出单位、进驻日期、备注）· Edit a work team', params: teamParams, body: updateWorkTeamBody, response: { 200: workTeamSchema } } },
    async (req) => updateWorkTeam(ctx.db, req.actor!, req.params.id, req.body),
  );
  r.post(
    `${T}/:id/end`,
    { config: teams, schema: { tags, summary: '工作队撤离（队员同日离队）· End a work team and its members', params: teamParams, body: endWorkTeamBody, response: { 200: workTeamSchema } } },
    async (req) => endWorkTeam(ctx.db, req.actor!, req.params.id, req.body),
  );
  r.post(
    `${T}/:id/replace`,
    {
      config: teams,
      schema: { tags, summary: '工作队轮换（结束原工作队并派驻新工作队）· Replace a work team, keeping the old one as history', params: teamParams, body: replaceWorkTeamBody, response: { 201: workTeamSchema } },
    },
    async (req, reply) => reply.status(201).send(await replaceWorkTeam(ctx.db, req.actor!, req.params.id, req.body)),
  );
  r.post(
    `${T}/:id/members`,
    { config: teams, schema: { tags, summary: '增加队员 · Add a member to a work team', params: teamParams, body: addTeamMemberBody, response: { 201: workTeamSchema } } },
    async (req, reply) => reply.status(201).send(await addWorkTeamMember(ctx.db, req.actor!, req.params.id, req.body)),
  );
  r.patch(
    `${T}/:id/members/:memberId`,
    { config: teams, schema: { tags, summary: '修改队员（含队长、第一书记、专职标记）· Edit a member', params: memberParams, body: updateTeamMemberBody, response: { 200: workTeamSchema } } },
    async (req) => updateWorkTeamMember(ctx.db, req.actor!, req.params.id, req.params.memberId, req.body),
  );
  r.post(
    `${T}/:id/members/:memberId/end`,
    { config: teams, schema: { tags, summary: '队员离队 · A member leaves the team', params: memberParams, body: endTeamMemberBody, response: { 200: workTeamSchema } } },
    async (req) => endWorkTeamMember(ctx.db, req.actor!, req.params.id, req.params.memberId, req.body),
  );

  r.get(
    '/assistance/villages-without-team',
    {
      config: read,
      schema: { tags, summary: '无驻村工作队的贫困村（按乡镇计数）· Poor villages of a year without a current work team, with counts per township', querystring: villagesWithoutTeamQuery, response: { 200: villagesWithoutTeamSchema } },
    },
    async (req) => findVillagesWithoutTeam(ctx.db, req.actor!, req.query),
  );

  r.get(
    P,
    { config: read, schema: { tags, summary: '市领导联系点列表 · Leader contact points in the scope', querystring: contactPointListQuery, response: { 200: contactPointPageSchema } } },
    async (req) => findContactPoints(ctx.db, req.actor!, req.query),
  );
  r.post(
    P,
    { config: points, schema: { tags, summary: '设立市领导联系点（一个乡镇、一个贫困村）· Create a leader contact point', body: createContactPointBody, response: { 201: contactPointSchema } } },
    async (req, reply) => reply.status(201).send(await createContactPoint(ctx.db, req.actor!, req.body)),
  );
  r.patch(
    `${P}/:id`,
    { config: points, schema: { tags, summary: '修改联系点 · Edit a contact point', params: pointParams, body: updateContactPointBody, response: { 200: contactPointSchema } } },
    async (req) => updateContactPoint(ctx.db, req.actor!, req.params.id, req.body),
  );
  r.post(
    `${P}/:id/end`,
    { config: points, schema: { tags, summary: '结束联系点 · End a contact point', params: pointParams, body: endContactPointBody, response: { 200: contactPointSchema } } },
    async (req) => endContactPoint(ctx.db, req.actor!, req.params.id, req.body),
  );
}
