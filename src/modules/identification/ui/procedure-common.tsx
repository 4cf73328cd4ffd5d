/**
 * What the pages of the identification procedure share: labels of the states and steps (zh/en), the
 * colour of a state's tag, code-list labels from GET /api/code-lists, today's date, and the alert that
 * shows a refused step with the refused households (details.blocked).
 */
import { useEffect, useState } from 'react';
import { Alert, Tag } from 'antd';
import type { IdentificationAction, IdentificationState } from '../rules.ts';
import { ApiError, errorText, get } from '../../../client/api-client.ts';
import { defineMessages, useI18n, type Lang, type Msg } from '../../../client/i18n.tsx';

export const STATE_MSG: Record<IdentificationState, Msg> = {
  applied: { zh: '已申请', en: 'Applied' },
  appraised: { zh: '已民主评议', en: 'Appraised' },
  crossChecked: { zh: '已比对', en: 'Cross-checked' },
  firstNotice: { zh: '第一次公示中', en: 'First notice' },
  townshipReviewed: { zh: '乡镇已审核', en: 'Township reviewed' },
  secondNotice: { zh: '第二次公示中', en: 'Second notice' },
  countyApproved: { zh: '县已审定', en: 'County approved' },
  announced: { zh: '公告中', en: 'Announced' },
  registered: { zh: '已登记', en: 'Registered' },
  rejected: { zh: '不予认定', en: 'Rejected' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
};

/** Steps, including the household's application ('apply') as it appears on a timeline. */
export const ACTION_MSG: Record<IdentificationAction | 'apply', Msg> = {
  apply: { zh: '农户申请', en: 'Application' },
  appraise: { zh: '民主评议', en: 'Democratic appraisal' },
  crossCheck: { zh: '比对', en: 'Cross-check' },
  openFirstNotice: { zh: '第一次公示', en: 'First notice' },
  reviewTownship: { zh: '乡镇审核', en: 'Township review' },
  openSecondNotice: { zh: '第二次公示', en: 'Second notice' },
  approveCounty: { zh: '县审定', en: 'County approval' },
  announce: { zh: '公告', en: 'Announcement' },
  register: { zh: '登记（建档立卡）', en: 'Registration' },
  reject: { zh: '不予认定', en: 'Reject' },
  withdraw: { zh: '撤回', en: 'Withdraw' },
};

export const NOTICE_MSG: Record<'firstNotice' | 'secondNotice' | 'announcement', Msg> = {
  firstNotice: { zh: '第一次公示', en: 'First notice' },
  secondNotice: { zh: '第二次公示', en: 'Second notice' },
  announcement: { zh: '公告', en: 'Announcement' },
};

export const P = defineMessages({
  title: { zh: '精准识别', en: 'Identification' },
  householdNo: { zh: '户编号', en: 'Household no.' },
  head: { zh: '户主', en: 'Head' },
  members: { zh: '人数', en: 'Persons' },
  attribute: { zh: '属性', en: 'Attribute' },
  cause: { zh: '主要致贫原因', en: 'Main cause' },
  state: { zh: '状态', en: 'State' },
  responsiblePerson: { zh: '责任人', en: 'Responsible person' },
  onDate: { zh: '办理日期', en: 'Date of the step' },
  note: { zh: '备注', en: 'Note' },
  reason: { zh: '理由', en: 'Reason' },
  cancel: { zh: '取消', en: 'Cancel' },
  submit: { zh: '提交', en: 'Submit' },
  refusedList: { zh: '未通过的农户：', en: 'Households refused:' },
  blockedAfter: { zh: '已办理 {n} 户；以下农户未通过，留在原环节：', en: '{n} moved; these households were refused and stay where they were:' },
  noFuture: { zh: '日期不能晚于今天', en: 'The date cannot be later than today' },
  year: { zh: '年度', en: 'Year' },
  village: { zh: '村', en: 'Village' },
});

/** The colour of a state's tag: ended ones grey/green/red, notices gold, the rest blue. */
export function stateColor(s: IdentificationState): string {
  if (s === 'registered') return 'green';
  if (s === 'rejected') return 'red';
  if (s === 'withdrawn') return 'default';
  if (s === 'firstNotice' || s === 'secondNotice' || s === 'announced') return 'gold';
  return 'blue';
}

export function StateTag({ state, count }: { state: IdentificationState; count?: number }) {
  const { t } = useI18n();
  return (
    <Tag color={stateColor(state)} data-testid={`state-${state}`}>
      {t(STATE_MSG[state])}
      {count !== undefined ? ` ${count}` : ''}
    </Tag>
  );
}

/** Today as YYYY-MM-DD (the browser's date; users are in China). */
export function todayYmd(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export { addDays } from '../../../shared/calendar-date.ts';

type CodeLists = Record<string, { items: { value: string; label: { zh: string; en: string } }[] }>;
let codeListsPromise: Promise<CodeLists> | null = null;

/**
 * Labels of stored code values (户属性, 致贫原因 …) from GET /api/code-lists, loaded once per page load.
 * @returns label(listId, value) — the value itself until the lists have arrived or when unknown; '—' for none
 */
export function useCodeLabels(): (listId: string, value: string | null | undefined) => string {
  const { lang } = useI18n();
  const [lists, setLists] = useState<CodeLists | null>(null);
  useEffect(() => {
    let live = true;
    codeListsPromise ??= get<CodeLists>('/code-lists').catch((e: unknown) => {
      codeListsPromise = null;
      throw e;
    });
    codeListsPromise.then((l) => live && setLists(l)).catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return (listId, value) => {
    if (!value) return '—';
    const item = lists?.[listId]?.items.find((i) => i.value === value);
    return item ? item.label[lang] : value;
  };
}

interface BlockedItem {
  applicationId?: string;
  headName: string;
  message: string;
  messageEn: string;
}

function blockedOf(err: unknown): BlockedItem[] {
  if (!(err instanceof ApiError)) return [];
  const b = err.details.blocked;
  return Array.isArray(b) ? (b as BlockedItem[]) : [];
}

/**
 * A refused step as the user sees it: the server's message (in the user's language) and, when several
 * households were concerned, each refused household with its own reason.
 */
export function RefusalAlert({ error }: { error: unknown }) {
  const { t, lang } = useI18n();
  if (!error) return null;
  const blocked = blockedOf(error);
  const main = errorText(error, lang);
  const issues = error instanceof ApiError ? (error.details.issues ?? []) : [];
  const own: BlockedItem[] = [
    ...blocked.filter((b) => (lang === 'en' ? b.messageEn : b.message) !== main),
    ...issues.filter((i) => !main.includes(lang === 'en' ? i.messageEn : i.message)).map((i) => ({ headName: '', message: i.message, messageEn: i.messageEn })),
  ];
  return (
    <Alert
      type="error"
      showIcon
      data-testid="refusal"
      style={{ marginBottom: 12 }}
      title={main}
      description={
        own.length > 0 ? (
          <>
            {t(P.refusedList)}
            <ul style={{ margin: '4px 0 0', paddingInlineStart: 18 }}>
              {own.map((b, i) => (
                <li key={b.applicationId ?? i}>
                  {b.headName && `${b.headName}${lang === 'zh' ? '：' : ': '}`}
                  {lang === 'en' ? b.messageEn : b.message}
                </li>
              ))}
            </ul>
          </>
        ) : undefined
      }
    />
  );
}

/** The households a step left where they were (skipBlocked), shown after the step. */
export function BlockedAlert({ moved, blocked }: { moved: number; blocked: BlockedItem[] }) {
  const { t, lang } = useI18n();
  if (blocked.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      closable
      data-testid="blocked"
      style={{ marginBottom: 12 }}
      title={t(P.blockedAfter, { n: moved })}
      description={
        <ul style={{ margin: 0, paddingInlineStart: 18 }}>
          {blocked.map((b, i) => (
            <li key={b.applicationId ?? i}>
              {b.headName}
              {lang === 'zh' ? '：' : ': '}
              {lang === 'en' ? b.messageEn : b.message}
            </li>
          ))}
        </ul>
      }
    />
  );
}

/** A date input rule: not later than today. */
export function notFuture(lang: Lang) {
  return {
    validator: (_: unknown, v: string | undefined) => (v && v > todayYmd() ? Promise.reject(new Error(lang === 'en' ? P.noFuture.en : P.noFuture.zh)) : Promise.resolve()),
  };
}
