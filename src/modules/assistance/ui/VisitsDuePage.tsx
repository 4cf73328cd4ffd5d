/**
 * 走访监测 (/assistance/visits): the assisted households of an area not visited within the visit
 * period (设置的走访周期; never visited included) — counts for the area, a bar chart of overdue
 * households per township (county and above) or per village, tables per township, village and helper
 * (click → drill down: township → villages → households, or one helper's households), and the
 * households themselves with links to the household and its assistance record. The area, helper and
 * "never visited" filter are in the address (?areaCode=&helperId=&never=1), so "back" goes up again.
 * Scoped like the API: a helper sees only their own households. Roles holding assistance.settings
 * open the area's 帮扶设置 (visit period) from the 走访周期 figure; the figures reload when it closes.
 * On a phone (below 576 px) the filters take the full width, the count tables keep four narrow
 * columns and the households are a list of cards.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button, Card, Col, Empty, Flex, Grid, Modal, Pagination, Row, Select, Spin, Statistic, Switch, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ArrowUpOutlined, RightOutlined, SettingOutlined } from '@ant-design/icons';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { isWithinScope, levelOfCode, parentCodeOf } from '../../../shared/area-code.ts';
import type { Page } from '../../../shared/paging.ts';
import type { VisitDueItem, VisitsDueSummaryDto } from '../contract.ts';
import type { AreaDetailDto } from '../../areas/contract.ts';
import { ASSISTANCE } from '../permissions.ts';
import { SettingsCard } from './SettingsCard.tsx';
import { get } from '../../../client/api-client.ts';
import { defineMessages, useI18n } from '../../../client/i18n.tsx';
import { AreaTreeSelect } from '../../../client/components/AreaTreeSelect.tsx';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { PageHeader } from '../../../client/components/PageHeader.tsx';
import { useServerPaging } from '../../../client/components/paging.ts';
import { useSession, useSignedIn } from '../../../client/session.tsx';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const T = defineMessages({
  title: { zh: '走访监测', en: 'Visit monitoring' },
  subtitle: {
    zh: '帮扶对象（建档立卡贫困户、监测户、相对贫困户）超过走访周期未走访的（从未走访的从与帮扶责任人结对之日起算，无帮扶责任人的即列入），按乡镇、村、帮扶责任人统计；点击逐级查看到户。',
    en: 'Assisted households (registered poor, monitored, relatively poor) not visited within the visit period (one never visited counts from its pairing with its helper; one without a helper is listed at once), counted per township, village and helper; click to drill down to the households.',
  },
  area: { zh: '区域', en: 'Area' },
  up: { zh: '上一级', en: 'Up' },
  households: { zh: '帮扶对象', en: 'Assisted households' },
  overdue: { zh: '未按期走访', en: 'Not visited in time' },
  never: { zh: '从未走访', en: 'Never visited' },
  period: { zh: '走访周期', en: 'Visit period' },
  settings: { zh: '设置', en: 'Settings' },
  settingsTitle: { zh: '{area}的走访周期', en: 'Visit period of {area}' },
  settingsHint: {
    zh: '超过走访周期未走访的帮扶对象列入下方名单；从未走访的，从与现帮扶责任人结对之日起算。关闭后本页数字随之更新。',
    en: 'Households not visited within the period are listed below; one never visited counts from its pairing with its current helper. The figures on this page update when this closes.',
  },
  householdsShort: { zh: '户数', en: 'Households' },
  overdueShort: { zh: '未按期', en: 'Overdue' },
  days: { zh: '天', en: 'days' },
  unitHouseholds: { zh: '户', en: '' },
  onTime: { zh: '按期走访', en: 'Visited in time' },
  chartByTownship: { zh: '各乡镇未按期走访户数', en: 'Households not visited in time, per township' },
  chartByVillage: { zh: '各村未按期走访户数', en: 'Households not visited in time, per village' },
  byTownship: { zh: '按乡镇', en: 'By township' },
  byVillage: { zh: '按村', en: 'By village' },
  byHelper: { zh: '按帮扶责任人', en: 'By helper' },
  name: { zh: '名称', en: 'Name' },
  township: { zh: '乡镇', en: 'Township' },
  helper: { zh: '帮扶责任人', en: 'Helper' },
  unit: { zh: '帮扶单位', en: 'Unit' },
  noHelper: { zh: '（无帮扶责任人）', en: '(no helper)' },
  share: { zh: '未按期占比', en: 'Share not in time' },
  list: { zh: '未按期走访的农户', en: 'Households not visited in time' },
  allHelpers: { zh: '全部帮扶责任人', en: 'All helpers' },
  onlyNever: { zh: '只看从未走访', en: 'Never visited only' },
  head: { zh: '户主', en: 'Head' },
  householdNo: { zh: '户编号', en: 'Household no.' },
  village: { zh: '所在村', en: 'Village' },
  lastVisit: { zh: '最近走访', en: 'Last visit' },
  daysSince: { zh: '距今', en: 'Days since' },
  daysN: { zh: '{n} 天', en: '{n} days' },
  dueOn: { zh: '应走访日期', en: 'Due' },
  dueNow: { zh: '立即', en: 'now' },
  record: { zh: '帮扶档案', en: 'Assistance record' },
  total: { zh: '共 {n} 户', en: '{n} households' },
  noneOverdue: { zh: '所有帮扶对象都已按期走访', en: 'Every assisted household was visited in time' },
});

interface ChartBar {
  code: string;
  label: string;
  overdue: number;
  onTime: number;
}

function OverdueChart({ bars, overdueLabel, onTimeLabel, onPick }: { bars: ChartBar[]; overdueLabel: string; onTimeLabel: string; onPick: (code: string) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const latest = useRef({ bars, onPick });
  useEffect(() => {
    latest.current = { bars, onPick };
  }, [bars, onPick]);

  useEffect(() => {
    if (!ref.current) return;
    const c = echarts.init(ref.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    c.on('click', (p) => {
      const bar = [...latest.current.bars].reverse()[p.dataIndex];
      if (bar) latest.current.onPick(bar.code);
    });
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(ref.current);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const rows = [...bars].reverse();
    chart.current?.setOption(
      {
        animation: false,
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { top: 0, data: [overdueLabel, onTimeLabel] },
        grid: { left: 8, right: 24, top: 28, bottom: 8, containLabel: true },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: { type: 'category', data: rows.map((b) => b.label), axisLabel: { width: 110, overflow: 'truncate' } },
        series: [
          { name: overdueLabel, type: 'bar', stack: 'h', data: rows.map((b) => b.overdue), itemStyle: { color: '#cf1322' }, cursor: 'pointer' },
          { name: onTimeLabel, type: 'bar', stack: 'h', data: rows.map((b) => b.onTime), itemStyle: { color: '#95de64' }, cursor: 'pointer' },
        ],
      },
      true,
    );
  }, [bars, overdueLabel, onTimeLabel]);

  return <div ref={ref} data-testid="visits-due-chart" style={{ width: '100%', height: Math.max(180, bars.length * 26 + 50) }} />;
}

/** One household not visited in time, as a card (phones). */
function DueCard({ r }: { r: VisitDueItem }) {
  const { t } = useI18n();
  return (
    <Card size="small" data-testid="visits-due-item" styles={{ body: { padding: 12 } }}>
      <Flex justify="space-between" align="start" gap={8}>
        <div style={{ minWidth: 0 }}>
          <Link to={`/households/${r.householdId}`}>
            <Typography.Text strong style={{ fontSize: 16, color: 'inherit' }}>
              {r.headName}
            </Typography.Text>
          </Link>
          <div>
            <Typography.Text type="secondary">
              {r.townshipName} {r.villageName}
            </Typography.Text>
          </div>
        </div>
        <Tag color="red" style={{ marginInlineEnd: 0 }}>
          {r.lastVisitDate === null ? t(T.never) : t(T.daysN, { n: r.daysSince ?? 0 })}
        </Tag>
      </Flex>
      <Flex wrap gap="2px 16px" style={{ marginTop: 6 }}>
        <Typography.Text>
          {t(T.lastVisit)}：{r.lastVisitDate ?? '—'}
        </Typography.Text>
        <Typography.Text>
          {t(T.dueOn)}：{r.dueOn ?? t(T.dueNow)}
        </Typography.Text>
        <Typography.Text>
          {t(T.helper)}：{r.helperName ?? <Typography.Text type="warning">{t(T.noHelper)}</Typography.Text>}
        </Typography.Text>
      </Flex>
      <Flex justify="space-between" align="center" gap={8} style={{ marginTop: 6 }}>
        <Typography.Text type="secondary" className="fupin-mono" style={{ fontSize: 12 }}>
          {r.householdNo}
        </Typography.Text>
        <Link to={`/assistance/households/${r.householdId}`}>
          {t(T.record)} <RightOutlined />
        </Link>
      </Flex>
    </Card>
  );
}

interface GroupRow {
  key: string;
  name: string;
  sub?: string | null;
  households: number;
  overdue: number;
  neverVisited: number;
}

export function VisitsDuePage() {
  const { t } = useI18n();
  const { scope, can } = useSession();
  const { user } = useSignedIn();
  const screens = Grid.useBreakpoint();
  /** Below 576 px (a phone): filters full width, narrow count tables, households as cards. */
  const narrow = screens.sm === false;
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [ancestorNames, setAncestorNames] = useState<Record<string, string>>({});
  const [params, setParams] = useSearchParams();
  const home = scope?.code ?? user.areaCode ?? null;
  const areaCode = params.get('areaCode') ?? home;
  const helperId = params.get('helperId') ?? undefined;
  const never = params.get('never') === '1';
  const { page, pageSize, resetPage, pagination } = useServerPaging((n) => t(T.total, { n }));
  const [summary, setSummary] = useState<VisitsDueSummaryDto | null>(null);
  const [list, setList] = useState<Page<VisitDueItem> | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);

  const setQuery = useCallback(
    (next: { areaCode?: string | null; helperId?: string | null; never?: boolean }) => {
      const p = new URLSearchParams(params);
      for (const [k, v] of Object.entries(next)) {
        const value = k === 'never' ? (v ? '1' : null) : (v as string | null | undefined);
        if (value) p.set(k, value);
        else p.delete(k);
      }
      if ('areaCode' in next) p.delete('helperId');
      resetPage();
      setParams(p);
    },
    [params, setParams, resetPage],
  );

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      const area = areaCode ?? undefined;
      const [s, l] = await Promise.all([
        get<VisitsDueSummaryDto>('/assistance/visits/due/summary', { areaCode: area }),
        get<Page<VisitDueItem>>('/assistance/visits/due', { areaCode: area, helperId, neverVisited: never || undefined, page, pageSize }),
      ]);
      setSummary(s);
      setList(l);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [areaCode, helperId, never, page, pageSize]);
  useEffect(() => {
    void load();
  }, [load]);

  const openSettings = useCallback(async () => {
    setSettingsOpen(true);
    if (!areaCode) return;
    try {
      const a = await get<AreaDetailDto>(`/areas/${areaCode}`);
      setAncestorNames(Object.fromEntries(a.ancestors.map((x) => [x.code, x.name])));
    } catch {
      // Names only say where an inherited setting comes from; the codes do without them.
    }
  }, [areaCode]);
  const canSet = can(ASSISTANCE['assistance.settings']) && areaCode !== null;

  const level = areaCode ? levelOfCode(areaCode) : 'province';
  const parent = areaCode ? parentCodeOf(areaCode) : null;
  const canGoUp = areaCode !== home && parent !== null && isWithinScope(user.areaCode, parent);
  const perTownship = level !== 'township' && level !== 'village';

  const bars: ChartBar[] = useMemo(() => {
    if (!summary) return [];
    const rows = perTownship ? summary.byTownship.map((r) => ({ ...r, label: r.name })) : summary.byVillage.map((r) => ({ ...r, label: r.name }));
    return rows.filter((r) => r.households > 0).map((r) => ({ code: r.areaCode, label: r.label, overdue: r.overdue, onTime: r.households - r.overdue }));
  }, [summary, perTownship]);

  const pct = (a: number, b: number) => (b === 0 ? '—' : `${((a / b) * 100).toFixed(1)}%`);
  const overdueCell = (n: number) => (n > 0 ? <Typography.Text type="danger">{n}</Typography.Text> : 0);
  const countColumns: TableColumnsType<GroupRow> = narrow
    ? [
        { title: t(T.householdsShort), dataIndex: 'households', align: 'right', width: 56 },
        {
          title: t(T.overdueShort),
          dataIndex: 'overdue',
          align: 'right',
          width: 76,
          render: (n: number, r) => (
            <>
              {overdueCell(n)}
              <div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {pct(r.overdue, r.households)}
                </Typography.Text>
              </div>
            </>
          ),
        },
        { title: t(T.never), dataIndex: 'neverVisited', align: 'right', width: 72 },
      ]
    : [
        { title: t(T.households), dataIndex: 'households', align: 'right', width: 110 },
        { title: t(T.overdue), dataIndex: 'overdue', align: 'right', width: 120, render: overdueCell },
        { title: t(T.never), dataIndex: 'neverVisited', align: 'right', width: 110 },
        { title: t(T.share), key: 'share', align: 'right', width: 110, render: (_, r) => pct(r.overdue, r.households) },
      ];
  /** The first column: the name as a drill-down link; on a phone the second column (township, unit) goes under it. */
  const nameColumn = (title: string, onPick: (r: GroupRow) => void, subTitle?: string): TableColumnsType<GroupRow> => [
    {
      title,
      dataIndex: 'name',
      fixed: narrow ? undefined : 'left',
      render: (name: string, r) => (
        <>
          <Button type="link" style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'left' }} onClick={() => onPick(r)}>
            {name}
          </Button>
          {narrow && r.sub && (
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {r.sub}
              </Typography.Text>
            </div>
          )}
        </>
      ),
    },
    ...(subTitle && !narrow ? [{ title: subTitle, dataIndex: 'sub' }] : []),
  ];
  const areaTable = (rows: GroupRow[], subTitle?: string) => (
    <Table<GroupRow>
      size="small"
      rowKey="key"
      pagination={false}
      scroll={narrow ? undefined : { x: 'max-content' }}
      dataSource={rows}
      columns={[...nameColumn(t(T.name), (r) => setQuery({ areaCode: r.key }), subTitle), ...countColumns]}
    />
  );

  const helperOptions = [
    { value: '', label: t(T.allHelpers) },
    ...(summary?.byHelper ?? []).map((h) => ({ value: h.helperId ?? 'none', label: `${h.name ?? t(T.noHelper)}（${h.overdue}/${h.households}）` })),
  ];

  const columns: TableColumnsType<VisitDueItem> = [
    { title: t(T.head), dataIndex: 'headName', fixed: 'left', width: 110, render: (name: string, r) => <Link to={`/households/${r.householdId}`}>{name}</Link> },
    { title: t(T.householdNo), dataIndex: 'householdNo', width: 170, className: 'fupin-mono' },
    { title: t(T.village), key: 'village', width: 170, render: (_, r) => `${r.townshipName} ${r.villageName}` },
    { title: t(T.lastVisit), dataIndex: 'lastVisitDate', width: 120, render: (d: string | null) => d ?? <Tag color="red">{t(T.never)}</Tag> },
    { title: t(T.daysSince), dataIndex: 'daysSince', width: 90, align: 'right', render: (n: number | null) => (n === null ? '—' : t(T.daysN, { n })) },
    { title: t(T.dueOn), dataIndex: 'dueOn', width: 120, render: (d: string | null) => d ?? t(T.dueNow) },
    { title: t(T.helper), dataIndex: 'helperName', width: 150, className: 'fupin-nowrap', render: (n: string | null) => n ?? <Typography.Text type="warning">{t(T.noHelper)}</Typography.Text> },
    { title: '', key: 'actions', width: 100, render: (_, r) => <Link to={`/assistance/households/${r.householdId}`}>{t(T.record)}</Link> },
  ];

  if (error && !summary) return <LoadError error={error} onRetry={load} />;

  const tabs = [
    ...(summary && summary.byTownship.length > 1
      ? [{ key: 'township', label: t(T.byTownship), children: areaTable(summary.byTownship.map((r) => ({ key: r.areaCode, name: r.name, households: r.households, overdue: r.overdue, neverVisited: r.neverVisited }))) }]
      : []),
    ...(summary && summary.byVillage.length > 0
      ? [{ key: 'village', label: t(T.byVillage), children: areaTable(summary.byVillage.map((r) => ({ key: r.areaCode, name: r.name, sub: r.townshipName, households: r.households, overdue: r.overdue, neverVisited: r.neverVisited })), t(T.township)) }]
      : []),
    {
      key: 'helper',
      label: t(T.byHelper),
      children: (
        <Table<GroupRow>
          size="small"
          rowKey="key"
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={narrow ? undefined : { x: 'max-content' }}
          dataSource={(summary?.byHelper ?? []).map((h) => ({ key: h.helperId ?? 'none', name: h.name ?? t(T.noHelper), sub: h.unitName, households: h.households, overdue: h.overdue, neverVisited: h.neverVisited }))}
          columns={[...nameColumn(t(T.helper), (r) => setQuery({ helperId: r.key }), t(T.unit)), ...countColumns]}
        />
      ),
    },
  ];

  return (
    <div>
      <PageHeader title={t(T.title)} subtitle={t(T.subtitle)} />
      <Flex gap={8} wrap align="center" style={{ marginBottom: 16 }}>
        <Typography.Text>{t(T.area)}</Typography.Text>
        <div style={narrow ? { flex: '1 1 200px', minWidth: 0 } : { width: 260, maxWidth: '100%' }}>
          <AreaTreeSelect rootCode={home} levels={['city', 'county', 'township', 'village']} value={areaCode} valueLabel={summary?.areaName} onChange={(c) => setQuery({ areaCode: c })} />
        </div>
        {canGoUp && (
          <Button icon={<ArrowUpOutlined />} onClick={() => setQuery({ areaCode: parent })}>
            {t(T.up)}
          </Button>
        )}
      </Flex>
      <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
        {[
          { key: 'households', title: t(T.households), value: summary?.total.households ?? 0, suffix: t(T.unitHouseholds) },
          { key: 'overdue', title: t(T.overdue), value: summary?.total.overdue ?? 0, suffix: t(T.unitHouseholds), color: summary?.total.overdue ? '#cf1322' : undefined },
          { key: 'never', title: t(T.never), value: summary?.total.neverVisited ?? 0, suffix: t(T.unitHouseholds), color: summary?.total.neverVisited ? '#d46b08' : undefined },
          { key: 'period', title: t(T.period), value: summary?.visitPeriodDays ?? 0, suffix: t(T.days) },
        ].map((s) => (
          <Col xs={12} md={6} key={s.key}>
            <Card size="small" loading={loading && !summary} data-testid={`visits-due-${s.key}`}>
              <Statistic
                title={
                  s.key === 'period' && canSet ? (
                    <Flex justify="space-between" align="center" gap={4}>
                      <span>{s.title}</span>
                      <Button type="link" size="small" icon={<SettingOutlined />} style={{ padding: 0, height: 'auto' }} onClick={() => void openSettings()} data-testid="visits-due-settings">
                        {t(T.settings)}
                      </Button>
                    </Flex>
                  ) : (
                    s.title
                  )
                }
                value={s.value}
                suffix={s.suffix}
                styles={{ content: { color: s.color } }}
              />
            </Card>
          </Col>
        ))}
      </Row>
      {bars.length > 1 && (
        <Card size="small" title={perTownship ? t(T.chartByTownship) : t(T.chartByVillage)} style={{ marginBottom: 16 }}>
          <OverdueChart bars={bars} overdueLabel={t(T.overdue)} onTimeLabel={t(T.onTime)} onPick={(code) => setQuery({ areaCode: code })} />
        </Card>
      )}
      <Card size="small" style={{ marginBottom: 16 }}>
        {/* Remounted when the first tab changes (the area tabs appear once the figures are loaded), so the area tab opens first. */}
        <Tabs key={tabs[0]?.key} items={tabs} />
      </Card>
      <Card size="small" title={t(T.list)} data-testid="visits-due-list-card">
        <Flex gap={12} wrap align="center" style={{ marginBottom: 12 }}>
          <Select
            style={narrow ? { width: '100%' } : { minWidth: 240 }}
            popupMatchSelectWidth={narrow}
            value={helperId ?? ''}
            options={helperOptions}
            onChange={(v: string) => setQuery({ helperId: v || null })}
            aria-label={t(T.helper)}
          />
          <Flex gap={6} align="center">
            <Switch size={narrow ? 'default' : 'small'} checked={never} onChange={(v) => setQuery({ never: v })} aria-label={t(T.onlyNever)} />
            <Typography.Text>{t(T.onlyNever)}</Typography.Text>
          </Flex>
        </Flex>
        {narrow ? (
          <Spin spinning={loading}>
            <Flex vertical gap={8} data-testid="visits-due-cards">
              {(list?.items ?? []).map((r) => (
                <DueCard key={r.householdId} r={r} />
              ))}
              {list && list.items.length === 0 && <Empty description={t(T.noneOverdue)} />}
            </Flex>
            {list && list.total > 0 && (
              <Flex justify="center" style={{ marginTop: 12 }}>
                <Pagination size="small" {...pagination(list.total)} showSizeChanger={false} />
              </Flex>
            )}
          </Spin>
        ) : (
          <Table<VisitDueItem>
            size="small"
            rowKey="householdId"
            loading={loading}
            dataSource={list?.items ?? []}
            columns={columns}
            scroll={{ x: 'max-content' }}
            pagination={pagination(list?.total ?? 0)}
            locale={{ emptyText: t(T.noneOverdue) }}
            data-testid="visits-due-list"
          />
        )}
      </Card>
      <Modal
        open={settingsOpen}
        title={t(T.settingsTitle, { area: summary?.areaName ?? '' })}
        footer={null}
        width={narrow ? '100vw' : 720}
        // On a phone the settings' form needs the whole width: no margin, a thin padding.
        style={narrow ? { maxWidth: '100vw', margin: 0, top: 0, paddingBottom: 0 } : undefined}
        styles={narrow ? { container: { padding: '16px 8px' } } : undefined}
        onCancel={() => setSettingsOpen(false)}
        afterClose={() => void load()}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t(T.settingsHint)}</Typography.Paragraph>
        {areaCode && <SettingsCard areaCode={areaCode} areaNames={ancestorNames} />}
      </Modal>
    </div>
  );
}
