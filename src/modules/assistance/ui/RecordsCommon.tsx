/**
 * What the records pages share: loading a household's assistance record, code labels (measure types,
 * need categories and states, coverage indicators) and the common words.
 */
import { useCallback, useEffect, useState } from 'react';
import { get } from '../../../client/api-client.ts';
import { defineMessages, type Lang } from '../../../client/i18n.tsx';
import { COVERAGE_INDICATORS } from '../rules.ts';
import { labelOf, MEASURE_GROUP, MEASURE_TYPE, NEED_CATEGORY, NEED_STATUS } from '../codes.ts';
import type { HouseholdAssistanceDto } from '../contract.ts';
import { todayCst } from '../../../shared/calendar-date.ts';

export const RM = defineMessages({
  needs: { zh: '脱贫需求', en: 'Needs' },
  plan: { zh: '年度脱贫计划', en: 'Yearly plan' },
  measures: { zh: '帮扶措施', en: 'Measures' },
  visits: { zh: '走访记录', en: 'Visits' },
  helper: { zh: '帮扶责任人', en: 'Helper' },
  helperHistory: { zh: '帮扶责任人变更记录', en: 'Helper history' },
  noHelper: { zh: '尚未落实帮扶责任人', en: 'No helper assigned' },
  coverage: { zh: '应享尽享', en: 'Policy coverage' },
  recordMeasure: { zh: '记录措施', en: 'Record a measure' },
  recordVisit: { zh: '记录走访', en: 'Record a visit' },
  addNeed: { zh: '添加需求', en: 'Add a need' },
  editPlan: { zh: '编辑计划', en: 'Edit the plan' },
  newPlan: { zh: '制定计划', en: 'Make the plan' },
  none: { zh: '暂无', en: 'None' },
  saved: { zh: '已保存', en: 'Saved' },
  deleted: { zh: '已删除', en: 'Deleted' },
  save: { zh: '保存', en: 'Save' },
  cancel: { zh: '取消', en: 'Cancel' },
  delete: { zh: '删除', en: 'Delete' },
  confirmDelete: { zh: '确定删除？', en: 'Delete it?' },
  type: { zh: '措施类型', en: 'Type' },
  members: { zh: '享受成员', en: 'Members' },
  onDate: { zh: '落实日期', en: 'Date' },
  amount: { zh: '金额（元）', en: 'Amount (yuan)' },
  fundingSource: { zh: '资金来源', en: 'Funding source' },
  description: { zh: '说明', en: 'Description' },
  need: { zh: '对应需求', en: 'Need answered' },
  markNeedMet: { zh: '同时标记该需求已满足', en: 'Mark that need met' },
  recordedBy: { zh: '记录人', en: 'Recorded by' },
  leftHousehold: { zh: '已不在本户', en: 'left the household' },
  total: { zh: '合计', en: 'Total' },
  category: { zh: '需求类别', en: 'Category' },
  raisedOn: { zh: '提出日期', en: 'Raised on' },
  metOn: { zh: '满足日期', en: 'Met on' },
  metNote: { zh: '满足情况说明', en: 'How it was met' },
  metBy: { zh: '由哪项措施满足', en: 'Met by measure' },
  start: { zh: '开始落实', en: 'Start' },
  markMet: { zh: '标记已满足', en: 'Mark met' },
  goal: { zh: '帮扶目标', en: 'Goal' },
  plannedExitYear: { zh: '计划脱贫年度', en: 'Planned exit year' },
  plannedMeasures: { zh: '计划措施', en: 'Planned measures' },
  addPlanned: { zh: '添加计划措施', en: 'Add a planned measure' },
  noPlan: { zh: '本年度尚未制定计划', en: 'No plan for this year yet' },
  visitor: { zh: '走访人', en: 'Visitor' },
  problems: { zh: '发现问题', en: 'Problems found' },
  photos: { zh: '{n} 张照片', en: '{n} photos' },
  since: { zh: '{date} 起', en: 'since {date}' },
  period: { zh: '{from} 至 {to}', en: '{from} – {to}' },
  open: { zh: '查看帮扶档案', en: 'Open the assistance record' },
  allVisits: { zh: '共 {n} 次走访', en: '{n} visits in all' },
  year: { zh: '{year} 年', en: '{year}' },
});

export const measureTypeLabel = (v: string, lang: Lang) => labelOf(MEASURE_TYPE, v, lang) || v;
export const measureGroupLabel = (v: string, lang: Lang) => labelOf(MEASURE_GROUP, v, lang) || v;
export const needCategoryLabel = (v: string, lang: Lang) => labelOf(NEED_CATEGORY, v, lang) || v;
export const needStatusLabel = (v: string, lang: Lang) => labelOf(NEED_STATUS, v, lang) || v;
export const needStatusColor = (v: string) => (v === 'met' ? 'green' : v === 'inProgress' ? 'blue' : 'orange');
export const indicatorLabel = (id: string, lang: Lang) => COVERAGE_INDICATORS.find((c) => c.id === id)?.label[lang] ?? id;

/** The measure types grouped for a Select (MEASURE_GROUP order). */
export function measureTypeOptions(lang: Lang) {
  return MEASURE_GROUP.map((g) => ({
    label: g.label[lang],
    title: g.label[lang],
    options: MEASURE_TYPE.filter((t) => t.group === g.value).map((t) => ({ value: t.value as string, label: t.label[lang] })),
  }));
}

/** Common funding sources offered in the measure form (free text). */
export const FUNDING_SOURCES = ['中央财政专项扶贫资金', '省级财政专项扶贫资金', '县级财政扶贫资金', '教育部门学生资助资金', '医疗救助资金', '农村危房改造补助资金', '民政低保资金', '帮扶单位自筹资金', '社会捐赠'];

/** Loads GET /api/assistance/households/:id (each load is audited by the server). */
export function useHouseholdAssistance(householdId: string) {
  const [data, setData] = useState<HouseholdAssistanceDto | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    setError(null);
    try {
      setData(await get<HouseholdAssistanceDto>(`/assistance/households/${householdId}`));
    } catch (e) {
      setError(e);
    }
  }, [householdId]);
  useEffect(() => {
    void load();
  }, [load]);
  return { data, error, reload: load };
}

/** Today in China Standard Time (YYYY-MM-DD), as the server counts dates. */
export const todayCstYmd = (): string => todayCst();
