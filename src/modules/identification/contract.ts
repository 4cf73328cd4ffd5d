/**
 * Shapes of the identification procedure's API (batches, applications, steps, notices, objections,
 * the worklist), shared by routes, pages and tests.
 */
import { z } from 'zod';
import { IDENTIFICATION_ACTIONS, IDENTIFICATION_STATES } from './rules.ts';

const ymd = z.iso.date({ error: '日期格式应为 YYYY-MM-DD · a date as YYYY-MM-DD' });
const text = (max: number) => z.string().trim().max(max);
const required = (max: number, zh: string, en: string) => z.string({ error: `${zh}不能为空 · ${en} is required` }).trim().min(1, `${zh}不能为空 · ${en} is required`).max(max);
const villageCode = z.string().regex(/^\d{12}$/, '应为 12 位区划代码 · a 12-digit area code');

export const batchKind = z.enum(['poverty', 'relativePoverty']);
export type BatchKind = z.infer<typeof batchKind>;
export const identificationState = z.enum(IDENTIFICATION_STATES);
export const identificationAction = z.enum(IDENTIFICATION_ACTIONS);
export const noticeKind = z.enum(['firstNotice', 'secondNotice', 'announcement']);
export type NoticeKind = z.infer<typeof noticeKind>;

/** Who signs a step and when (every step has a responsible person and a date). */
const signed = {
  /** The date of the step; defaults to today (China Standard Time); never in the future. */
  onDate: ymd.optional(),
  /** 责任人: the person responsible for the step, as signed. */
  responsiblePerson: required(50, '责任人', 'The responsible person'),
  note: text(500).optional(),
};

/** POST /api/identification/batches: a village submits its candidates. */
export const createBatchBody = z.object({
  areaCode: villageCode,
  year: z.number().int().min(2013).max(2100),
  kind: batchKind.default('poverty'),
  title: text(100).optional(),
  applications: z
    .array(z.object({ householdId: z.uuid(), appliedOn: ymd, statement: text(500).nullish() }))
    .min(1, '至少一户 · at least one household')
    .max(500, '一批至多 500 户 · at most 500 households in a batch'),
});
export type CreateBatchInput = z.input<typeof createBatchBody>;

/** Which applications of the batch a step concerns (all that are at the step's state when absent). */
const subset = {
  applicationIds: z.array(z.uuid()).min(1).max(500).optional(),
  /** With several applications: move those that pass and leave the refused ones where they are (listed in the answer). Without: all or none. */
  skipBlocked: z.boolean().default(false),
};

/** POST …/appraisal: the 民主评议 meeting and each household's votes. */
export const appraisalBody = z.object({
  ...signed,
  meetingDate: ymd,
  representatives: z.number().int().min(1).max(1000),
  attended: z.number().int().min(0).max(1000),
  chairedBy: required(50, '主持人', 'The chair'),
  minutes: text(5000).optional(),
  votes: z.array(z.object({ applicationId: z.uuid(), votesFor: z.number().int().min(0), votesAgainst: z.number().int().min(0) })).default([]),
  ...subset,
});
export type AppraisalInput = z.input<typeof appraisalBody>;

/** POST …/notices: opens the first or second notice (公示) or the announcement (公告) for the batch. */
export const openNoticeBody = z.object({
  ...signed,
  kind: noticeKind,
  startDate: ymd,
  endDate: ymd,
  postedAt: required(200, '张贴地点', 'Where it is posted'),
  objectionContact: required(200, '异议受理方式', 'Where objections go'),
  ...subset,
});
export type OpenNoticeInput = z.input<typeof openNoticeBody>;

/** POST …/cross-check, …/township-review, …/county-approval, …/registration. */
export const stepBody = z.object({ ...signed, ...subset });
export type StepInput = z.input<typeof stepBody>;

/** POST /api/identification/applications/{id}/rejection | /withdrawal. */
export const endBody = z.object({ ...signed, reason: required(500, '理由', 'The reason'), version: z.number().int().min(1) });
export type EndInput = z.input<typeof endBody>;

/** POST /api/identification/applications/{id}/objections. */
export const objectionBody = z.object({
  raisedOn: ymd,
  /** Empty or absent: anonymous (匿名). */
  raisedBy: text(50).nullish(),
  contact: text(100).nullish(),
  grounds: required(2000, '异议理由', 'The grounds'),
});
export type ObjectionInput = z.input<typeof objectionBody>;

/** POST /api/identification/objections/{id}/decision. */
export const objectionDecisionBody = z.object({
  decision: z.enum(['upheld', 'dismissed']),
  decidedOn: ymd.optional(),
  investigation: required(2000, '调查情况', 'The investigation'),
  reason: required(1000, '处理理由', 'The reason of the decision'),
  responsiblePerson: required(50, '责任人', 'The responsible person'),
});
export type ObjectionDecisionInput = z.input<typeof objectionDecisionBody>;

export const batchListQuery = z.object({
  areaCode: z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/).optional(),
  year: z.coerce.number().int().min(2013).max(2100).optional(),
  state: identificationState.optional(),
  kind: batchKind.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type BatchListQuery = z.infer<typeof batchListQuery>;

export const noticeSchema = z.object({
  id: z.uuid(),
  kind: noticeKind,
  startDate: z.string(),
  endDate: z.string(),
  postedAt: z.string(),
  objectionContact: z.string(),
  openedByName: z.string(),
  /** Whether its last day has passed (the next step may be taken). */
  ended: z.boolean(),
  applicationCount: z.number().int(),
});
export type NoticeDto = z.infer<typeof noticeSchema>;

export const applicationSchema = z.object({
  id: z.uuid(),
  batchId: z.uuid(),
  householdId: z.uuid(),
  householdNo: z.string(),
  headName: z.string(),
  groupName: z.string().nullable(),
  memberCount: z.number().int(),
  povertyAttribute: z.string().nullable(),
  mainPovertyCause: z.string().nullable(),
  state: identificationState,
  appliedOn: z.string(),
  statement: z.string().nullable(),
  votesFor: z.number().int().nullable(),
  votesAgainst: z.number().int().nullable(),
  endReason: z.string().nullable(),
  openObjections: z.number().int(),
  openRedLineHits: z.number().int(),
  /** Red-line hits passed on a reviewer's written justification (shown to the levels above). */
  justifiedRedLineHits: z.number().int(),
  /** The steps the actor may take now on this application. */
  nextActions: z.array(identificationAction),
  version: z.number().int(),
});
export type ApplicationDto = z.infer<typeof applicationSchema>;

export const batchSummarySchema = z.object({
  id: z.uuid(),
  areaCode: z.string(),
  villageName: z.string(),
  townshipName: z.string(),
  year: z.number().int(),
  kind: batchKind,
  title: z.string(),
  submittedAt: z.string(),
  /** Applications per state. */
  states: z.record(z.string(), z.number().int()),
  total: z.number().int(),
  openObjections: z.number().int(),
  openRedLineHits: z.number().int(),
});
export type BatchSummaryDto = z.infer<typeof batchSummarySchema>;

export const appraisalSchema = z.object({
  meetingDate: z.string(),
  representatives: z.number().int(),
  attended: z.number().int(),
  chairedBy: z.string(),
  minutes: z.string().nullable(),
  /** The signed minutes' scan, if attached (GET …/appraisal/minutes). */
  minutesFileName: z.string().nullable(),
});

export const batchSchema = batchSummarySchema.extend({
  crossCheckStep: z.boolean(),
  /** Share of the village representatives who must attend the appraisal (the province's quorum; 0 = not checked). */
  appraisalQuorum: z.number(),
  noticeDays: z.number().int(),
  announcementDays: z.number().int(),
  appraisal: appraisalSchema.nullable(),
  notices: z.array(noticeSchema),
  applications: z.array(applicationSchema),
});
export type BatchDto = z.infer<typeof batchSchema>;

/** The answer of a batch step: the batch after it, and the applications left where they were. */
export const stepResultSchema = z.object({
  batch: batchSchema,
  moved: z.number().int(),
  blocked: z.array(z.object({ applicationId: z.uuid(), headName: z.string(), code: z.string(), message: z.string(), messageEn: z.string() })),
});
export type StepResultDto = z.infer<typeof stepResultSchema>;

export const stepSchema = z.object({
  action: z.string(),
  fromState: z.string().nullable(),
  toState: z.string(),
  onDate: z.string(),
  responsiblePerson: z.string(),
  note: z.string().nullable(),
  actorName: z.string(),
  at: z.string(),
});

export const objectionSchema = z.object({
  id: z.uuid(),
  applicationId: z.uuid(),
  batchId: z.uuid(),
  headName: z.string(),
  householdNo: z.string(),
  raisedOn: z.string(),
  /** Null: anonymous (匿名). */
  raisedBy: z.string().nullable(),
  grounds: z.string(),
  status: z.enum(['open', 'upheld', 'dismissed']),
  investigation: z.string().nullable(),
  decidedOn: z.string().nullable(),
  decisionReason: z.string().nullable(),
  decidedByName: z.string().nullable(),
});
export type ObjectionDto = z.infer<typeof objectionSchema>;

export const timelineSchema = z.object({
  application: applicationSchema,
  batchTitle: z.string(),
  steps: z.array(stepSchema),
  objections: z.array(objectionSchema),
  /** The household's red-line hits (open and justified; cleared ones are left out). */
  redLineHits: z.array(
    z.object({
      rule: z.string(),
      detail: z.string(),
      status: z.enum(['open', 'justified']),
      justification: z.string().nullable(),
      justifiedByName: z.string().nullable(),
      justifiedAt: z.string().nullable(),
    }),
  ),
});
export type TimelineDto = z.infer<typeof timelineSchema>;

/** The printable 公示 / 公告 list of a batch: names, group, size, attribute, main cause; ID numbers masked. */
export const noticeListSchema = z.object({
  kind: noticeKind,
  title: z.string(),
  village: z.string(),
  township: z.string(),
  county: z.string(),
  year: z.number().int(),
  startDate: z.string(),
  endDate: z.string(),
  postedAt: z.string(),
  objectionContact: z.string(),
  rows: z.array(
    z.object({
      no: z.number().int(),
      headName: z.string(),
      idNumberMasked: z.string(),
      groupName: z.string().nullable(),
      memberCount: z.number().int(),
      povertyAttribute: z.string().nullable(),
      mainPovertyCause: z.string().nullable(),
    }),
  ),
});
export type NoticeListDto = z.infer<typeof noticeListSchema>;

/** One line of "what waits for me". */
export const worklistItemSchema = z.object({
  /** 'step' (applications waiting for a step), 'objection' (undecided), 'redLine' (a hit to justify). */
  kind: z.enum(['step', 'objection', 'redLine']),
  action: z.string().nullable(),
  batchId: z.uuid(),
  batchTitle: z.string(),
  villageName: z.string(),
  count: z.number().int(),
  /** Whether it can be done today (a notice must have ended first). */
  ready: z.boolean(),
  /** The first day it can be done, when not yet. */
  readyOn: z.string().nullable(),
});
export type WorklistItemDto = z.infer<typeof worklistItemSchema>;
