/**
 * 应享尽享 (/assistance/coverage): policy coverage of an area — one card per indicator with
 * "应享 N / 已享 M（xx.x%）" and the households with gaps in red, a bar chart of the chosen
 * indicator's rate per child area, a table of the child areas (click → that area), and the households
 * with a gap in the chosen indicator with links to their assistance record. The area and the
 * indicator are in the address (?areaCode=&indicator=&asOf=), so a drill-down can be shared and
 * "back" goes up again. Made for officers at a desk and the city leader on a tablet (1024 px).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert, Button, Card, Col, Flex, Row, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { QuestionCircleOutlined } from '@ant-design/icons';
import { isWithinScope, LEVEL_LABELS, type AreaLevel } from '../../../shared/area-code.ts';
import type { Page } from '../../../shared/paging.ts';
import type { CoverageAreaDto, CoverageFigureDto, CoverageGapDto, CoverageSummaryDto } from '../contract.ts';
import { ASSISTANCE } from '../permissions.ts';
import { COVERAGE_INDICATORS, type CoverageIndicator } from '../rules.ts';
import { get } from '../../../client/api-client.ts';
import { defineMessages, joinList, useI18n } from '../../../client/i18n.tsx';
import { AreaTreeSelect } from '../../../client/components/AreaTreeSelect.tsx';
import { DateInput } from '../../../client/components/DateInput.tsx';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { PageHeader } from '../../../client/components/PageHeader.tsx';
import { useServerPaging } from '../../../client/components/paging.ts';
import { useSession, useSignedIn } from '../../../client/session.tsx';
import { CoverageChart } from './CoverageChart.tsx';
import { SettingsCard } from './SettingsCard.tsx';

const T = defineMessages({
  title: { zh: '应享尽享', en: 'Policy coverage' },
  subtitle: {
    zh: '帮扶对象（建档立卡贫困户、监测户、相对贫困户）应享受的政策是否已享受：义务教育、医疗保险、低保兜底、危房改造、教育资助。点击下级区域逐级查看，点击缺口查看农户。',
    en: 'Whether assisted households (registered poor, monitored, relatively poor) receive what they should: schooling, medical insurance, the minimum-living backstop, safe housing, education subsidies. Click a child area to drill down, a gap to see the households.',
  },
  area: { zh: '区域', en: 'Area' },
  asOf: { zh: '统计日期', en: 'As of' },
  today: { zh: '今天', en: 'Today' },
  country: { zh: '全国', en: 'Country' },
  households: { zh: '帮扶对象 {n} 户', en: '{n} assisted households' },
  ownOnly: { zh: '仅统计您负责的帮扶户', en: 'Only the households you are responsible for are counted' },
  should: { zh: '应享 {n}', en: 'Should {n}' },
  receives: { zh: '已享 {n}', en: 'receive {n}' },
  persons: { zh: '人', en: 'persons' },
  householdsUnit: { zh: '户', en: 'households' },
  gapHouseholds: { zh: '缺口 {n} 户', en: 'Gaps in {n} households' },
  noGap: { zh: '无缺口', en: 'No gap' },
  noneShould: { zh: '无应享对象', en: 'Nobody to cover' },
  chart: { zh: '{indicator}：下级区域覆盖率', en: '{indicator}: rate per child area' },
  chartTip: { zh: '{area}<br/>应享 {should}，已享 {receives}', en: '{area}<br/>should {should}, receive {receives}' },
  noChart: { zh: '无', en: 'none' },
  children: { zh: '下级区域', en: 'Child areas' },
  childArea: { zh: '区域', en: 'Area' },
  childHouseholds: { zh: '帮扶对象户数', en: 'Assisted households' },
  gapsTitle: { zh: '{indicator}：应享未享农户', en: '{indicator}: households with gaps' },
  householdNo: { zh: '户编号', en: 'Household no.' },
  head: { zh: '户主', en: 'Head' },
  village: { zh: '所在村', en: 'Village' },
  counts: { zh: '已享/应享', en: 'Receive/should' },
  missing: { zh: '未享成员', en: 'Members missing it' },
  wholeHousehold: { zh: '全户', en: 'The household' },
  actions: { zh: '查看', en: 'Open' },
  record: { zh: '帮扶档案', en: 'Assistance' },
  card: { zh: '农户档案', en: 'Household' },
  total: { zh: '共 {n} 户', en: '{n} households' },
  noGaps: { zh: '该指标没有缺口', en: 'No household has a gap in this indicator' },
  up: { zh: '返回上级', en: 'Up' },
});

const LEVELS: readonly AreaLevel[] = ['province', 'city', 'county', 'township', 'village'];
const INDICATOR_IDS = COVERAGE_INDICATORS.map((i) => i.id) as readonly string[];
const isIndicator = (v: string | null): v is CoverageIndicator => v !== null && INDICATOR_IDS.includes(v);

function percent(f: { should: number; receives: number }): string {
  return f.should === 0 ? '—' : `${((f.receives / f.should) * 100).toFixed(1)}%`;
}

function indicatorOf(id: CoverageIndicator) {
  return COVERAGE_INDICATORS.find((i) => i.id === id)!;
}

/** One indicator: "应享 N / 已享 M（xx.x%）", the households with gaps in red; clicking chooses it. */
function IndicatorCard({ f, selected, onPick }: { f: CoverageFigureDto; selected: boolean; onPick: () => void }) {
  const { t, lang } = useI18n();
  const def = indicatorOf(f.indicator);
  const unit = def.unit === 'person' ? t(T.persons) : t(T.householdsUnit);
  const gap = f.should - f.receives;
  return (
    <Card
      size="small"
      hoverable
      onClick={onPick}
      data-testid={`coverage-card-${f.indicator}`}
      style={{ flex: '1 1 128px', minWidth: 128, borderColor: selected ? '#b91c1c' : undefined, boxShadow: selected ? '0 0 0 1px #b91c1c' : undefined }}
      styles={{ body: { padding: 12 } }}
    >
      <Flex vertical gap={4}>
        <Typography.Text strong style={{ lineHeight: 1.3, hyphens: 'auto', overflowWrap: 'break-word' }}>
          {def.label[lang]}{' '}
          <Tooltip title={def.source}>
            <QuestionCircleOutlined style={{ color: '#8c8c8c', fontSize: 12 }} />
          </Tooltip>
        </Typography.Text>
        <Typography.Text style={{ fontSize: 22, fontWeight: 600, color: f.should === 0 ? '#8c8c8c' : gap > 0 ? '#cf1322' : '#389e0d' }}>{percent(f)}</Typography.Text>
        <Typography.Text>
          <span style={{ whiteSpace: 'nowrap' }}>{t(T.should, { n: f.should })}</span> / <span style={{ whiteSpace: 'nowrap' }}>{t(T.receives, { n: f.receives })}</span>{' '}
          <Typography.Text type="secondary">{unit}</Typography.Text>
        </Typography.Text>
        {f.should === 0 ? (
          <Typography.Text type="secondary">{t(T.noneShould)}</Typography.Text>
        ) : gap > 0 ? (
          <Typography.Text type="danger" strong>
            {t(T.gapHouseholds, { n: f.gapHouseholds })}
          </Typography.Text>
        ) : (
          <Typography.Text type="success">{t(T.noGap)}</Typography.Text>
        )}
      </Flex>
    </Card>
  );
}

/** A child area's cell for one indicator: "已享/应享" and the rate, red when there is a gap. */
function FigureCell({ f }: { f: CoverageFigureDto | undefined }) {
  if (!f || f.should === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  const gap = f.receives < f.should;
  return (
    <div style={{ lineHeight: 1.3 }}>
      <Typography.Text type={gap ? 'danger' : undefined} strong={gap}>
        {f.receives}/{f.should}
      </Typography.Text>
      <div>
        <Typography.Text type={gap ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
          {percent(f)}
        </Typography.Text>
      </div>
    </div>
  );
}

function GapList({ areaCode, indicator, asOf }: { areaCode: string | undefined; indicator: CoverageIndicator; asOf: string | undefined }) {
  const { t, lang } = useI18n();
  const { page, pageSize, resetPage, pagination } = useServerPaging((n) => t(T.total, { n }));
  const [data, setData] = useState<Page<CoverageGapDto> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const def = indicatorOf(indicator);

  useEffect(() => {
    resetPage();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [areaCode, indicator, asOf]);

  const load = useCallback(async () => {
    setError(null);
    setLoading(true);
    try {
      setData(await get<Page<CoverageGapDto>>('/assistance/coverage/gaps', { areaCode, indicator, asOf, page, pageSize }));
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [areaCode, indicator, asOf, page, pageSize]);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <Card size="small" title={t(T.gapsTitle, { indicator: def.label[lang] })} style={{ marginTop: 16 }} data-testid="coverage-gaps">
      {error ? (
        <LoadError error={error} onRetry={load} />
      ) : (
        <Table<CoverageGapDto>
          rowKey="householdId"
          size="small"
          loading={loading}
          dataSource={data?.items ?? []}
          pagination={pagination(data?.total ?? 0)}
          locale={{ emptyText: t(T.noGaps) }}
          scroll={{ x: 710 }}
          columns={[
            { title: t(T.householdNo), dataIndex: 'householdNo', width: 140 },
            {
              title: t(T.head),
              dataIndex: 'headName',
              width: 80,
              render: (v: string, r) => <Link to={`/assistance/households/${r.householdId}`}>{v}</Link>,
            },
            { title: t(T.village), key: 'village', width: 140, render: (_, r) => `${r.townshipName} ${r.villageName}` },
            {
              title: t(T.counts),
              key: 'counts',
              width: 86,
              align: 'right',
              render: (_, r) => (
                <Typography.Text type="danger">
                  {r.receives}/{r.should}
                </Typography.Text>
              ),
            },
            {
              title: t(T.missing),
              key: 'missing',
              render: (_, r) => (r.missing.length === 0 ? <Tag color="red">{t(T.wholeHousehold)}</Tag> : joinList(r.missing.map((m) => m.name), lang)),
            },
            {
              title: t(T.actions),
              key: 'actions',
              width: 96,
              render: (_, r) => (
                <Space size={0} orientation="vertical">
                  <Link to={`/assistance/households/${r.householdId}`}>{t(T.record)}</Link>
                  <Link to={`/households/${r.householdId}`}>{t(T.card)}</Link>
                </Space>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}

export function CoveragePage() {
  const { t, lang } = useI18n();
  const { scope, can } = useSession();
  const { user } = useSignedIn();
  const [params, setParams] = useSearchParams();
  const areaCode = params.get('areaCode') ?? scope?.code ?? undefined;
  const asOf = params.get('asOf') ?? undefined;
  const indicatorParam = params.get('indicator');
  const [data, setData] = useState<CoverageSummaryDto | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    setError(null);
    setData(null);
    try {
      setData(await get<CoverageSummaryDto>('/assistance/coverage', { areaCode, asOf }));
    } catch (e) {
      setError(e);
    }
  }, [areaCode, asOf]);
  useEffect(() => {
    void load();
  }, [load]);

  /** The indicator shown in the chart and the gap list: the chosen one, else the one with most gap households. */
  const indicator: CoverageIndicator = useMemo(() => {
    if (isIndicator(indicatorParam)) return indicatorParam;
    const worst = data ? [...data.indicators].sort((a, b) => b.gapHouseholds - a.gapHouseholds)[0] : undefined;
    return worst?.indicator ?? COVERAGE_INDICATORS[0].id;
  }, [indicatorParam, data]);

  const go = useCallback(
    (next: { areaCode?: string | null; indicator?: CoverageIndicator; asOf?: string | null }) => {
      const p = new URLSearchParams(params);
      for (const [k, v] of Object.entries(next)) {
        if (v) p.set(k, v);
        else p.delete(k);
      }
      setParams(p);
    },
    [params, setParams],
  );

  const ancestorNames = useMemo(() => Object.fromEntries((data?.ancestors ?? []).map((a) => [a.code, a.name])), [data]);
  const breadcrumb = useMemo(() => {
    if (!data) return [];
    const above = data.ancestors.filter((a) => isWithinScope(user.areaCode, a.code));
    return [
      ...above.map((a) => ({
        key: a.code,
        title: (
          <a href="#" onClick={(e) => (e.preventDefault(), go({ areaCode: a.code }))}>
            {a.name}
          </a>
        ),
      })),
      { key: data.areaCode ?? 'country', title: <span>{data.areaCode === null ? t(T.country) : data.name}</span> },
    ];
  }, [data, user.areaCode, go, t]);

  const levelLabel = (level: string) => (level in LEVEL_LABELS ? LEVEL_LABELS[level as AreaLevel][lang] : t(T.country));
  const def = indicatorOf(indicator);
  const figureOf = (a: CoverageAreaDto, id: CoverageIndicator) => a.indicators.find((i) => i.indicator === id);
  const parent = data?.ancestors.at(-1);

  return (
    <>
      <PageHeader
        title={t(T.title)}
        subtitle={t(T.subtitle)}
        breadcrumb={breadcrumb}
        extra={
          <>
            <div style={{ minWidth: 220, maxWidth: 320 }}>
              <AreaTreeSelect value={data?.areaCode ?? areaCode ?? null} valueLabel={data?.name ?? null} rootCode={null} levels={LEVELS} placeholder={t(T.area)} onChange={(code) => go({ areaCode: code })} />
            </div>
            <Space size={4}>
              <Typography.Text type="secondary">{t(T.asOf)}</Typography.Text>
              <DateInput value={asOf ?? data?.asOf ?? ''} onChange={(v) => go({ asOf: v ?? null })} style={{ width: 140 }} aria-label={t(T.asOf)} />
              {asOf && <Button onClick={() => go({ asOf: null })}>{t(T.today)}</Button>}
            </Space>
          </>
        }
      />
      {error ? (
        <Card>
          <LoadError error={error} onRetry={load} />
        </Card>
      ) : (
        <>
          <Card
            size="small"
            loading={data === null}
            title={data ? `${data.areaCode === null ? t(T.country) : data.name}（${levelLabel(data.level)}）· ${t(T.households, { n: data.households })}` : ' '}
            extra={parent && isWithinScope(user.areaCode, parent.code) ? <Button size="small" onClick={() => go({ areaCode: parent.code })}>{t(T.up)}</Button> : undefined}
          >
            {data && (
              <>
                {data.ownHouseholdsOnly && <Alert type="info" showIcon title={t(T.ownOnly)} style={{ marginBottom: 12 }} />}
                <Flex wrap gap={12}>
                  {data.indicators.map((f) => (
                    <IndicatorCard key={f.indicator} f={f} selected={f.indicator === indicator} onPick={() => go({ indicator: f.indicator })} />
                  ))}
                </Flex>
              </>
            )}
          </Card>

          {data && data.children.length > 0 && (
            <Row gutter={16} style={{ marginTop: 16 }}>
              <Col xs={24}>
                <Card size="small" title={t(T.chart, { indicator: def.label[lang] })}>
                  <CoverageChart
                    bars={data.children.map((c) => {
                      const f = figureOf(c, indicator);
                      return { code: c.areaCode ?? '', label: c.name, should: f?.should ?? 0, receives: f?.receives ?? 0 };
                    })}
                    noneLabel={t(T.noChart)}
                    tooltip={(b) => t(T.chartTip, { area: b.label, should: b.should, receives: b.receives })}
                    onPick={(code) => go({ areaCode: code })}
                  />
                </Card>
              </Col>
              <Col xs={24}>
                <Card size="small" title={t(T.children)} style={{ marginTop: 16 }} className="coverage-children">
                  <Table<CoverageAreaDto>
                    rowKey={(r) => r.areaCode ?? ''}
                    size="small"
                    dataSource={data.children}
                    pagination={data.children.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
                    scroll={{ x: 110 + 80 + COVERAGE_INDICATORS.length * 96 }}
                    columns={[
                      {
                        title: t(T.childArea),
                        key: 'name',
                        fixed: 'left',
                        width: 110,
                        render: (_, r) => (
                          <Button type="link" size="small" style={{ padding: 0, whiteSpace: 'normal', textAlign: 'left', height: 'auto' }} onClick={() => go({ areaCode: r.areaCode })}>
                            {r.name}
                          </Button>
                        ),
                      },
                      { title: t(T.childHouseholds), dataIndex: 'households', width: 80, align: 'right' },
                      ...COVERAGE_INDICATORS.map((ind) => ({
                        title: (
                          <a href="#" onClick={(e: React.MouseEvent) => (e.preventDefault(), go({ indicator: ind.id }))} style={{ color: ind.id === indicator ? '#b91c1c' : undefined }}>
                            {ind.label[lang]}
                          </a>
                        ),
                        key: ind.id,
                        width: 96,
                        align: 'right' as const,
                        render: (_: unknown, r: CoverageAreaDto) => <FigureCell f={figureOf(r, ind.id)} />,
                      })),
                    ]}
                  />
                </Card>
              </Col>
            </Row>
          )}

          {data && <GapList areaCode={data.areaCode ?? undefined} indicator={indicator} asOf={asOf} />}

          {data && data.areaCode !== null && can(ASSISTANCE['assistance.settings']) && (
            <div style={{ marginTop: 16 }}>
              <SettingsCard areaCode={data.areaCode} areaNames={ancestorNames} />
            </div>
          )}
        </>
      )}
    </>
  );
}
