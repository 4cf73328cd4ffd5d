/**
 * Data quality (/identification/data-quality, 数据质量): for an area (default the user's own), the
 * households failing each registry check, a bar chart of them, the child areas with their counts
 * (click a name to drill down: county → townships → villages), and the failing households of a
 * check (click a count) with what is wrong and a link to each household. The area and the check
 * are kept in the address (?areaCode=…&check=…), so a drill-down can be shared. The figures are
 * those of the last check of the area (a background job): the page says when it ran, and
 * 重新检查 queues a new one, follows its job (GET /api/jobs/{id}) with a progress bar, then reloads.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert, App as AntApp, Button, Card, Col, Progress, Row, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { QuestionCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { errorText, get, post } from '../../../client/api-client.ts';
import { formatDateTime } from '../../../client/format.ts';
import { useSession } from '../../../client/session.tsx';
import { defineMessages, useI18n } from '../../../client/i18n.tsx';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { PageHeader } from '../../../client/components/PageHeader.tsx';
import type { Page } from '../../../shared/paging.ts';
import type { JobDto } from '../../../shared/jobs.ts';
import { IDENTIFICATION } from '../permissions.ts';
import {
  isQualityCheckCode,
  QUALITY_CHECKS,
  qualityCheck,
  type QualityAreaCounts,
  type QualityCheckCode,
  type QualityHousehold,
  type QualityOverview,
  type QualityRun,
} from '../quality-rules.ts';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

const T = defineMessages({
  title: { zh: '数据质量', en: 'Data quality' },
  subtitle: {
    zh: '在册户的身份信息、重复记录、收入和致贫原因是否与成员信息相符。点击户数查看问题户，点击下级区划逐级查看。',
    en: 'Whether the registered households’ IDs, duplicates, incomes and poverty causes agree with their members. Click a count to see the households, a child area to drill down.',
  },
  country: { zh: '全国', en: 'Whole country' },
  households: { zh: '在册户数', en: 'Registered households' },
  withAnyProblem: { zh: '有问题的户', en: 'Households with a problem' },
  share: { zh: '问题户占比', en: 'Share with a problem' },
  check: { zh: '检查项', en: 'Check' },
  severity: { zh: '类别', en: 'Kind' },
  error: { zh: '错误', en: 'Error' },
  warning: { zh: '待核实', en: 'To check' },
  count: { zh: '问题户数', en: 'Households' },
  ofAll: { zh: '占比', en: 'Share' },
  chart: { zh: '各项检查的问题户数', en: 'Households failing each check' },
  children: { zh: '下级区划', en: 'Child areas' },
  area: { zh: '区划', en: 'Area' },
  any: { zh: '问题户', en: 'With a problem' },
  list: { zh: '问题户：{check}（{area}）', en: 'Households: {check} ({area})' },
  householdNo: { zh: '户编号', en: 'Household no.' },
  head: { zh: '户主', en: 'Head' },
  village: { zh: '所在村', en: 'Village' },
  findings: { zh: '问题', en: 'What is wrong' },
  close: { zh: '关闭', en: 'Close' },
  none: { zh: '没有问题户', en: 'No households fail this check' },
  checkedAt: { zh: '检查时间 {time}', en: 'Checked {time}' },
  notChecked: { zh: '尚未检查', en: 'Not checked yet' },
  notCheckedHelp: {
    zh: '该区划尚未检查，以下户数均为 0。点击“重新检查”开始检查。',
    en: 'This area has not been checked yet: the counts below are all 0. Click Re-check to run the checks.',
  },
  stale: { zh: '可能已过时', en: 'May be out of date' },
  staleHelp: {
    zh: '检查结果超过 24 小时，或本区划未被整体检查过；之后对登记信息的修改要重新检查后才会反映。',
    en: 'The results are over 24 hours old, or this area was never checked as a whole; changes to the registry show after a re-check.',
  },
  recheck: { zh: '重新检查', en: 'Re-check' },
  queued: { zh: '排队等待检查…', en: 'Waiting to be checked…' },
  running: { zh: '正在检查：{done} / {total} 户', en: 'Checking: {done} of {total} households' },
  failed: { zh: '检查失败：{error}', en: 'The check failed: {error}' },
});

const POLL_MS = 1000;

const LEVEL_NAMES: Record<string, { zh: string; en: string }> = {
  country: { zh: '全国', en: 'Country' },
  province: { zh: '省', en: 'Province' },
  city: { zh: '市', en: 'City' },
  county: { zh: '县', en: 'County' },
  township: { zh: '乡镇', en: 'Township' },
  village: { zh: '村', en: 'Village' },
};

const percent = (n: number, of: number) => (of > 0 ? `${((n / of) * 100).toFixed(1)}%` : '—');

/** A horizontal bar per check (ECharts); clicking a bar opens that check's households. */
function ChecksChart({ area, onPick }: { area: QualityAreaCounts; onPick: (c: QualityCheckCode) => void }) {
  const { t, lang } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  const pick = useRef(onPick);
  useEffect(() => {
    pick.current = onPick;
  }, [onPick]);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current);
    const checks = [...QUALITY_CHECKS].reverse();
    chart.setOption({
      grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: checks.map((c) => c.label[lang]) },
      series: [
        {
          type: 'bar',
          name: t(T.count),
          data: checks.map((c) => ({ value: area.counts[c.code], itemStyle: { color: c.severity === 'error' ? '#cf1322' : '#d48806' } })),
          label: { show: true, position: 'right' },
        },
      ],
    });
    chart.on('click', (p) => {
      const c = checks[p.dataIndex];
      if (c) pick.current(c.code);
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [area, lang, t]);
  return <div ref={ref} style={{ width: '100%', height: 280 }} role="img" aria-label={t(T.chart)} />;
}

function HouseholdList({ check, area, onClose }: { check: QualityCheckCode; area: { code: string | null; name: string }; onClose: () => void }) {
  const { t, lang } = useI18n();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<QualityHousehold> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const pageSize = 20;
  const load = useCallback(async () => {
    setError(null);
    setData(null);
    try {
      setData(await get<Page<QualityHousehold>>(`/identification/data-quality/${check}`, { areaCode: area.code, page, pageSize }));
    } catch (e) {
      setError(e);
    }
  }, [check, area.code, page]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => setPage(1), [check, area.code]);
  const c = qualityCheck(check);
  return (
    <Card
      title={t(T.list, { check: c.label[lang], area: area.name })}
      extra={<Button onClick={onClose}>{t(T.close)}</Button>}
      style={{ marginTop: 16 }}
    >
      <Typography.Paragraph type="secondary">{c.explanation[lang]}</Typography.Paragraph>
      {error ? (
        <LoadError error={error} onRetry={load} />
      ) : (
        <Table<QualityHousehold>
          rowKey="householdId"
          size="small"
          loading={data === null}
          dataSource={data?.items ?? []}
          locale={{ emptyText: t(T.none) }}
          pagination={{ current: page, pageSize, total: data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
          columns={[
            { title: t(T.householdNo), dataIndex: 'householdNo', width: 170, render: (no: string, r) => <Link to={`/households/${r.householdId}`}>{no}</Link> },
            { title: t(T.head), dataIndex: 'headName', width: 110 },
            { title: t(T.village), key: 'village', width: 180, render: (_, r) => `${r.townshipName} ${r.villageName}`.trim() },
            {
              title: t(T.findings),
              key: 'findings',
              render: (_, r) => (
                <Space direction="vertical" size={0}>
                  {r.findings.map((f, i) => (
                    <span key={i}>{f.text[lang]}</span>
                  ))}
                </Space>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}

/**
 * When the area was checked, and 重新检查: queues a run (or joins the one under way), follows its job
 * every POLL_MS with a progress bar and calls onDone when it ends.
 */
function CheckStatus({ overview, onDone }: { overview: QualityOverview; onDone: () => void }) {
  const { t, lang } = useI18n();
  const { can } = useSession();
  const { message } = AntApp.useApp();
  const [run, setRun] = useState<QualityRun | null>(overview.run);
  const [job, setJob] = useState<JobDto | null>(null);
  const [starting, setStarting] = useState(false);
  const done = useRef(onDone);
  useEffect(() => {
    done.current = onDone;
  }, [onDone]);
  useEffect(() => setRun(overview.run), [overview.run]);

  const jobId = run?.jobId ?? null;
  useEffect(() => {
    if (!jobId) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const j = await get<JobDto>(`/jobs/${encodeURIComponent(jobId)}`);
        if (!live) return;
        setJob(j);
        if (j.status === 'queued' || j.status === 'running') timer = setTimeout(() => void poll(), POLL_MS);
        else {
          if (j.status === 'failed') {
            const err = j.error as { message?: string; messageEn?: string } | null;
            message.error(t(T.failed, { error: (lang === 'en' ? err?.messageEn : err?.message) ?? '' }));
          }
          setRun(null);
          setJob(null);
          done.current();
        }
      } catch (e) {
        if (live) message.error(errorText(e, lang));
      }
    };
    void poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [jobId, lang, message, t]);

  const start = async () => {
    setStarting(true);
    try {
      setRun(await post<QualityRun>('/identification/data-quality/runs', overview.area.code === null ? {} : { areaCode: overview.area.code }));
    } catch (e) {
      message.error(errorText(e, lang));
    } finally {
      setStarting(false);
    }
  };

  const busy = run !== null;
  const percent = job?.total ? Math.floor((job.progress / job.total) * 100) : 0;
  return (
    <Space direction="vertical" style={{ width: '100%', marginBottom: 16 }}>
      <Space wrap>
        {overview.checkedAt ? (
          <Typography.Text>{t(T.checkedAt, { time: formatDateTime(overview.checkedAt) })}</Typography.Text>
        ) : (
          <Tag>{t(T.notChecked)}</Tag>
        )}
        {overview.checkedAt && overview.stale && (
          <Tooltip title={t(T.staleHelp)}>
            <Tag color="gold">{t(T.stale)}</Tag>
          </Tooltip>
        )}
        {can(IDENTIFICATION['identification.quality']) && (
          <Button icon={<ReloadOutlined />} loading={starting} disabled={busy} onClick={() => void start()}>
            {t(T.recheck)}
          </Button>
        )}
      </Space>
      {busy && (
        <div>
          <Typography.Text type="secondary">
            {job?.status === 'running' && job.total !== null ? t(T.running, { done: job.progress, total: job.total }) : t(T.queued)}
          </Typography.Text>
          <Progress percent={percent} status="active" />
        </div>
      )}
      {!overview.checkedAt && !busy && <Alert type="info" showIcon message={t(T.notCheckedHelp)} />}
    </Space>
  );
}

export function DataQualityPage() {
  const { t, lang } = useI18n();
  const [params, setParams] = useSearchParams();
  const areaCode = params.get('areaCode') ?? undefined;
  const checkParam = params.get('check');
  const check = isQualityCheckCode(checkParam) ? checkParam : null;
  const [data, setData] = useState<QualityOverview | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    setError(null);
    setData(null);
    try {
      setData(await get<QualityOverview>('/identification/data-quality', { areaCode }));
    } catch (e) {
      setError(e);
    }
  }, [areaCode]);
  useEffect(() => {
    void load();
  }, [load]);

  const go = useCallback(
    (next: { areaCode?: string | null; check?: QualityCheckCode | null }) => {
      const p = new URLSearchParams();
      const a = next.areaCode === undefined ? areaCode : next.areaCode;
      const c = next.check === undefined ? check : next.check;
      if (a) p.set('areaCode', a);
      if (c) p.set('check', c);
      setParams(p);
    },
    [areaCode, check, setParams],
  );

  const areaName = (a: { name: string; code: string | null }) => (a.code === null ? t(T.country) : a.name);
  const breadcrumb = useMemo(() => {
    if (!data) return [];
    return [
      ...data.breadcrumb.map((b) => ({
        key: b.code ?? 'country',
        title: (
          <a href="#" onClick={(e) => (e.preventDefault(), go({ areaCode: b.code, check: null }))}>
            {areaName(b)}
          </a>
        ),
      })),
      { key: data.area.code ?? 'country', title: <span>{areaName(data.area)}</span> },
    ];
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data, go, lang]);

  const countCell = (n: number, onClick: () => void) =>
    n > 0 ? (
      <Button type="link" size="small" style={{ padding: 0 }} onClick={onClick}>
        {n}
      </Button>
    ) : (
      <Typography.Text type="secondary">0</Typography.Text>
    );

  return (
    <>
      <PageHeader title={t(T.title)} subtitle={t(T.subtitle)} breadcrumb={breadcrumb} />
      {error ? (
        <Card>
          <LoadError error={error} onRetry={load} />
        </Card>
      ) : (
        <>
          {data && <CheckStatus overview={data} onDone={() => void load()} />}
          <Row gutter={16}>
            <Col xs={24} lg={12}>
              <Card loading={data === null} title={data ? `${areaName(data.area)}（${LEVEL_NAMES[data.area.level]?.[lang] ?? data.area.level}）` : ' '}>
                {data && (
                  <>
                    <Row gutter={16} style={{ marginBottom: 16 }}>
                      <Col span={8}>
                        <Statistic title={t(T.households)} value={data.area.households} />
                      </Col>
                      <Col span={8}>
                        <Statistic title={t(T.withAnyProblem)} value={data.area.withAnyProblem} />
                      </Col>
                      <Col span={8}>
                        <Statistic title={t(T.share)} value={percent(data.area.withAnyProblem, data.area.households)} />
                      </Col>
                    </Row>
                    <Table
                      rowKey="code"
                      size="small"
                      pagination={false}
                      dataSource={[...QUALITY_CHECKS]}
                      columns={[
                        {
                          title: t(T.check),
                          key: 'label',
                          render: (_, c) => (
                            <Space size={4}>
                              {c.label[lang]}
                              <Tooltip title={c.explanation[lang]}>
                                <QuestionCircleOutlined style={{ color: '#8c8c8c' }} />
                              </Tooltip>
                            </Space>
                          ),
                        },
                        { title: t(T.severity), key: 'severity', width: 90, render: (_, c) => <Tag color={c.severity === 'error' ? 'red' : 'gold'}>{t(c.severity === 'error' ? T.error : T.warning)}</Tag> },
                        { title: t(T.count), key: 'count', width: 100, align: 'right', render: (_, c) => countCell(data.area.counts[c.code], () => go({ check: c.code })) },
                        { title: t(T.ofAll), key: 'share', width: 80, align: 'right', render: (_, c) => percent(data.area.counts[c.code], data.area.households) },
                      ]}
                    />
                  </>
                )}
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card loading={data === null} title={t(T.chart)}>
                {data && <ChecksChart area={data.area} onPick={(c) => go({ check: c })} />}
              </Card>
            </Col>
          </Row>

          {data && check && <HouseholdList check={check} area={data.area} onClose={() => go({ check: null })} />}

          {data && data.children.length > 0 && (
            <Card title={t(T.children)} style={{ marginTop: 16 }}>
              <Table<QualityAreaCounts>
                rowKey={(r) => r.code ?? ''}
                size="small"
                // Fits 1366 px: the checks' headers wrap in columns of a set width; narrower screens scroll with the name fixed.
                scroll={{ x: 100 + 100 + 90 + QUALITY_CHECKS.length * 100 }}
                pagination={data.children.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
                dataSource={data.children}
                columns={[
                  {
                    title: t(T.area),
                    key: 'name',
                    fixed: 'left',
                    width: 100,
                    render: (_, r) =>
                      r.households > 0 ? (
                        <Button type="link" size="small" style={{ padding: 0 }} onClick={() => go({ areaCode: r.code, check: null })}>
                          {r.name}
                        </Button>
                      ) : (
                        r.name
                      ),
                  },
                  { title: t(T.households), dataIndex: 'households', align: 'right', width: 100 },
                  { title: t(T.any), dataIndex: 'withAnyProblem', align: 'right', width: 90 },
                  ...QUALITY_CHECKS.map((c) => ({
                    title: c.label[lang],
                    key: c.code,
                    width: 100,
                    align: 'right' as const,
                    render: (_: unknown, r: QualityAreaCounts) => countCell(r.counts[c.code], () => go({ areaCode: r.code, check: c.code })),
                  })),
                ]}
              />
            </Card>
          )}
        </>
      )}
    </>
  );
}
