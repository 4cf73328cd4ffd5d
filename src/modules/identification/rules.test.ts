/**
 * The identification procedure's transition table: the whole path, and each forbidden transition with
 * its own refusal code (skipping, closing a notice early, approving with an open objection, approving a
 * red-line hit without justification, a short notice, a missing quorum or reason).
 */
import { describe, expect, it } from 'vitest';
import { actionsFrom, checkTransition, DEFAULT_PROCEDURE, procedureFor, type IdentificationAction, type IdentificationState, type TransitionContext } from './rules.ts';

const quorum = { attended: 20, representatives: 30 };
const first = { start: '2026-03-01', end: '2026-03-07' };
const second = { start: '2026-03-20', end: '2026-03-26' };
const announcement = { start: '2026-04-10', end: '2026-04-16' };

function walk(steps: [IdentificationAction, TransitionContext][], config = DEFAULT_PROCEDURE): IdentificationState {
  let state: IdentificationState = 'applied';
  for (const [action, ctx] of steps) {
    const r = checkTransition(state, action, ctx, config);
    if (!r.ok) throw new Error(`${action} from ${state}: ${r.code} ${r.message}`);
    state = r.to;
  }
  return state;
}

const path: [IdentificationAction, TransitionContext][] = [
  ['appraise', { today: '2026-02-20', appraisal: quorum }],
  ['openFirstNotice', { today: '2026-03-01', opening: first }],
  ['reviewTownship', { today: '2026-03-08', closing: first, openObjections: 0 }],
  ['openSecondNotice', { today: '2026-03-20', opening: second }],
  ['approveCounty', { today: '2026-03-27', closing: second }],
  ['announce', { today: '2026-04-10', opening: announcement }],
  ['register', { today: '2026-04-17', closing: announcement }],
];

describe('the identification procedure (两公示一公告)', () => {
  it('walks applied → appraised → first notice → township review → second notice → county approval → announcement → registered', () => {
    expect(walk(path)).toBe('registered');
  });

  it('with the 比对 step configured, the first notice comes only after the cross-check', () => {
    const config = { ...DEFAULT_PROCEDURE, crossCheckStep: true };
    expect(actionsFrom('appraised', config)).toEqual(['crossCheck', 'reject', 'withdraw']);
    expect(checkTransition('appraised', 'openFirstNotice', { today: '2026-03-01', opening: first }, config)).toMatchObject({ ok: false, code: 'STEP_NOT_ALLOWED' });
    expect(walk([path[0]!, ['crossCheck', { today: '2026-02-25' }], ...path.slice(1)], config)).toBe('registered');
  });

  it('refuses a skipped step, and any step once the procedure has ended', () => {
    expect(checkTransition('appraised', 'reviewTownship', { today: '2026-03-08', closing: first })).toMatchObject({ ok: false, code: 'STEP_NOT_ALLOWED' });
    expect(checkTransition('applied', 'approveCounty', { today: '2026-03-27', closing: second })).toMatchObject({ ok: false, code: 'STEP_NOT_ALLOWED' });
    expect(checkTransition('firstNotice', 'openFirstNotice', { today: '2026-03-02', opening: first })).toMatchObject({ ok: false, code: 'STEP_NOT_ALLOWED' });
    expect(checkTransition('registered', 'withdraw', { today: '2026-05-01', reason: '本人申请' })).toMatchObject({ ok: false, code: 'PROCEDURE_ENDED' });
    expect(checkTransition('rejected', 'appraise', { today: '2026-05-01', appraisal: quorum })).toMatchObject({ ok: false, code: 'PROCEDURE_ENDED' });
  });

  it('refuses a notice shorter than the configured days (7 by default, both days counted; 5 where configured)', () => {
    const six = { start: '2026-03-01', end: '2026-03-06' };
    const r = checkTransition('appraised', 'openFirstNotice', { today: '2026-03-01', opening: six });
    expect(r).toMatchObject({ ok: false, code: 'NOTICE_TOO_SHORT' });
    expect(!r.ok && r.message).toBe('公示期不少于 7 天（含首尾），现为 6 天');
    expect(checkTransition('appraised', 'openFirstNotice', { today: '2026-03-01', opening: six }, { ...DEFAULT_PROCEDURE, noticeDays: 5 })).toMatchObject({ ok: true, to: 'firstNotice' });
    expect(checkTransition('countyApproved', 'announce', { today: '2026-04-10', opening: { start: '2026-04-10', end: '2026-04-12' } })).toMatchObject({ ok: false, code: 'NOTICE_TOO_SHORT' });
  });

  it('refuses to close a notice before its last day has passed', () => {
    expect(checkTransition('firstNotice', 'reviewTownship', { today: '2026-03-07', closing: first })).toMatchObject({ ok: false, code: 'NOTICE_NOT_ENDED' });
    expect(checkTransition('firstNotice', 'reviewTownship', { today: '2026-03-08', closing: first })).toMatchObject({ ok: true, to: 'townshipReviewed' });
    expect(checkTransition('announced', 'register', { today: '2026-04-16', closing: announcement })).toMatchObject({ ok: false, code: 'NOTICE_NOT_ENDED' });
  });

  it('refuses approval with an undecided objection, and a red-line hit without justification', () => {
    const r = checkTransition('secondNotice', 'approveCounty', { today: '2026-03-27', closing: second, openObjections: 1 });
    expect(r).toMatchObject({ ok: false, code: 'OPEN_OBJECTION' });
    expect(!r.ok && r.messageEn).toMatch(/objection/);
    expect(checkTransition('secondNotice', 'approveCounty', { today: '2026-03-27', closing: second, unjustifiedRedLineHits: 2 })).toMatchObject({ ok: false, code: 'RED_LINE_HIT' });
    expect(checkTransition('firstNotice', 'reviewTownship', { today: '2026-03-08', closing: first, unjustifiedRedLineHits: 1 })).toMatchObject({ ok: false, code: 'RED_LINE_HIT' });
  });

  it('refuses an appraisal without the quorum of representatives (2/3 by default)', () => {
    expect(checkTransition('applied', 'appraise', { today: '2026-02-20', appraisal: { attended: 19, representatives: 30 } })).toMatchObject({ ok: false, code: 'QUORUM_NOT_MET' });
    expect(checkTransition('applied', 'appraise', { today: '2026-02-20', appraisal: { attended: 20, representatives: 30 } })).toMatchObject({ ok: true, to: 'appraised' });
    expect(checkTransition('applied', 'appraise', { today: '2026-02-20' })).toMatchObject({ ok: false, code: 'QUORUM_NOT_MET' });
  });

  it('rejects and withdraws only with a reason, and only before the end', () => {
    expect(checkTransition('firstNotice', 'reject', { today: '2026-03-03', reason: ' ' })).toMatchObject({ ok: false, code: 'REASON_REQUIRED' });
    expect(checkTransition('firstNotice', 'reject', { today: '2026-03-03', reason: '异议成立：家有小汽车' })).toMatchObject({ ok: true, to: 'rejected' });
    expect(checkTransition('countyApproved', 'withdraw', { today: '2026-04-01', reason: '本人申请' })).toMatchObject({ ok: false, code: 'STEP_NOT_ALLOWED' });
    expect(actionsFrom('applied')).toEqual(['appraise', 'withdraw']);
    expect(actionsFrom('registered')).toEqual([]);
  });
});

describe('the procedure per province', () => {
  it('Hunan and Xinjiang add the 比对 step; other provinces follow the national procedure', () => {
    expect(procedureFor('430181125201').crossCheckStep).toBe(true);
    expect(procedureFor('650102000000').crossCheckStep).toBe(true);
    expect(procedureFor('110101000000')).toEqual(DEFAULT_PROCEDURE);
    expect(actionsFrom('appraised', procedureFor('430181000000'))).toEqual(['crossCheck', 'reject', 'withdraw']);
    expect(actionsFrom('appraised', procedureFor('110101000000'))).toEqual(['openFirstNotice', 'reject', 'withdraw']);
  });
});
