/**
 * Verification sampling (/identification/samples, 抽样复核 / 回头看): draw a reproducible sample of a
 * township or a county (seed, rates), the samples drawn, and a sample's households with a finding form
 * per row; 错评率 and 漏评率 are shown as percentages with two decimals and their 95 % interval.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Col, Descriptions, Form, Input, InputNumber, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { levelOfCode } from '../../../shared/area-code.ts';
import type { Page } from '../../../shared/paging.ts';
import { findCodeItem } from '../../households/codes.ts';
import { IDENTIFICATION } from '../permissions.ts';
import {
  DEFAULT_NON_POOR_RATE,
  formatPercent,
  MIN_POOR_RATE,
  type Finding,
  type RateDto,
  type SampleDetailDto,
  type SampleDto,
  type SampleHouseholdDto,
} from '../sampling-rules.ts';
import { ApiError, applyFieldErrors, errorText, get, post, put } from '../../../client/api-client.ts';
import { defineMessages, useI18n, type Lang } from '../../../client/i18n.tsx';
import { formatDateTime } from '../../../client/format.ts';
import { AreaTreeSelect } from '../../../client/components/AreaTreeSelect.tsx';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { PageHeader } from '../../../client/components/PageHeader.tsx';
import { useServerPaging } from '../../../client/components/paging.ts';
import { useSession, useSignedIn } from '../../../client/session.tsx';
import { DateInput } from '../../../client/components/DateInput.tsx';
import { todayYmd } from './procedure-common.tsx';

const T = defineMessages({
  title: { zh: '抽样复核', en: 'Verification sampling' },
  subtitle: {
    zh: '按随机种子抽取乡镇或县的样本户（乡镇抽查贫困户不少于 20%，县不少于 10%），登记入户核查结论，计算错评率、漏评率及其 95% 置信区间。',
    en: 'Draw a reproducible sample of a township or county (at least 20 % of the poor households for a township, 10 % for a county), record each visit and get the wrong-inclusion and wrong-exclusion rates with 95 % intervals.',
  },
  draw: { zh: '抽取样本', en: 'Draw a sample' },
  area: { zh: '乡镇或县', en: 'Township or county' },
  year: { zh: '年度', en: 'Year' },
  seed: { zh: '随机种子', en: 'Seed' },
  seedHint: { zh: '留空则随机选取并保存；同一种子、同一批农户，抽出的样本相同', en: 'Left empty, one is chosen and stored; the same seed over the same households draws the same sample' },
  poorRate: { zh: '贫困户抽样比例（%）', en: 'Poor stratum rate (%)' },
  nonPoorRate: { zh: '非贫困户抽样比例（%）', en: 'Non-poor stratum rate (%)' },
  minRate: { zh: '乡镇不少于 20%，县不少于 10%', en: 'Township at least 20 %, county at least 10 %' },
  note: { zh: '备注', en: 'Note' },
  drawn: { zh: '已抽取样本，种子 {seed}', en: 'Sample drawn with seed {seed}' },
  samples: { zh: '样本列表', en: 'Samples' },
  drawnAt: { zh: '抽取时间', en: 'Drawn' },
  population: { zh: '总体（贫困 / 非贫困户）', en: 'Population (poor / non-poor)' },
  inclusion: { zh: '错评率', en: 'Wrong inclusion' },
  exclusion: { zh: '漏评率', en: 'Wrong exclusion' },
  visitedOf: { zh: '已核 {v} / {d} 户', en: '{v} of {d} visited' },
  interval: { zh: '95% 置信区间 {lo} – {hi}', en: '95 % interval {lo} – {hi}' },
  open: { zh: '查看', en: 'Open' },
  none: { zh: '尚未抽取样本', en: 'No sample drawn yet' },
  households: { zh: '样本户', en: 'Sampled households' },
  stratum: { zh: '层', en: 'Stratum' },
  poor: { zh: '贫困户', en: 'Poor' },
  nonPoor: { zh: '非贫困户', en: 'Non-poor' },
  head: { zh: '户主', en: 'Head' },
  village: { zh: '村', en: 'Village' },
  type: { zh: '户类型', en: 'Type' },
  phone: { zh: '电话', en: 'Phone' },
  finding: { zh: '核查结论', en: 'Finding' },
  visitedOn: { zh: '核查日期', en: 'Visited on' },
  visitor: { zh: '核查人', en: 'Visitor' },
  findingPick: { zh: '请选择', en: 'Choose' },
  findingRequired: { zh: '请选择核查结论', en: 'Choose the finding' },
  visitedOnRequired: { zh: '请输入核查日期', en: 'Enter the date of the visit' },
  visitorRequired: { zh: '请输入核查人', en: 'Enter the visitor' },
  actions: { zh: '操作', en: 'Action' },
  save: { zh: '保存', en: 'Save' },
  saved: { zh: '已保存核查结论', en: 'Finding saved' },
  correct: { zh: '识别准确', en: 'Correct' },
  shouldExclude: { zh: '应予清退（错评）', en: 'Should be excluded' },
  missing: { zh: '漏评户', en: 'Missed poor household' },
  notVisited: { zh: '未核查', en: 'Not visited' },
  all: { zh: '全部', en: 'All' },
  rateHelp: {
    zh: '错评率 = 核查为“应予清退”的户 ÷ 已核查的贫困户；漏评率 = 核查为“漏评”的户 ÷ 已核查的非贫困户。区间为 Wilson 95% 置信区间。',
    en: 'Wrong inclusion = households found “should be excluded” ÷ poor households visited; wrong exclusion = missed poor households ÷ non-poor households visited. Intervals are Wilson 95 % intervals.',
  },
  total: { zh: '共 {n} 户', en: '{n} households' },
  totalSamples: { zh: '共 {n} 个样本', en: '{n} samples' },
});

const FINDING_LABEL: Record<Finding, keyof typeof T> = { correct: 'correct', shouldExclude: 'shouldExclude', missing: 'missing' };

function RateText({ r }: { r: RateDto }) {
  const { t } = useI18n();
  return (
    <div>
      <Typography.Text strong>{formatPercent(r.rate)}</Typography.Text>{' '}
      <Typography.Text type="secondary">
        {r.found}/{r.visited}
      </Typography.Text>
      {r.lower !== null && (
        <div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(T.interval, { lo: formatPercent(r.lower), hi: formatPercent(r.upper) })}
          </Typography.Text>
        </div>
      )}
    </div>
  );
}

function typeLabel(value: string, lang: Lang): string {
  return findCodeItem('householdType', value)?.label[lang] ?? value;
}

type FindingField = 'finding' | 'visitedOn' | 'visitor' | 'note';
const FINDING_FIELDS: readonly FindingField[] = ['finding', 'visitedOn', 'visitor', 'note'];

/**
 * The finding of each sampled household is edited in the table's own columns (核查结论, 核查日期, 核查人,
 * 备注, each with its header) through one form over the table; a row's fields are named
 * [householdId, field], and 保存 checks and saves that row only.
 */
function useFindingForm(sampleId: string, onSaved: () => void) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm();
  const [saving, setSaving] = useState<string | null>(null);
  const save = async (h: SampleHouseholdDto) => {
    let v: { finding: Finding; visitedOn: string; visitor: string; note?: string };
    try {
      const all = (await form.validateFields(FINDING_FIELDS.map((f) => [h.householdId, f]))) as Record<string, typeof v>;
      v = all[h.householdId]!;
    } catch {
      return;
    }
    setSaving(h.householdId);
    try {
      await put(`/identification/samples/${sampleId}/households/${h.householdId}`, { ...v, visitor: v.visitor.trim(), note: v.note?.trim() || null });
      message.success(t(T.saved));
      onSaved();
    } catch (e) {
      const issues = e instanceof ApiError ? (e.details.issues ?? []).filter((i) => FINDING_FIELDS.includes(String(i.path[0]) as FindingField)) : [];
      if (issues.length) form.setFields(issues.map((i) => ({ name: [h.householdId, String(i.path[0])], errors: [lang === 'en' ? i.messageEn : i.message] })));
      else message.error(errorText(e, lang));
    } finally {
      setSaving(null);
    }
  };
  return { form, saving, save };
}

/** One cell of a row's finding. */
function FindingCell({ h, field }: { h: SampleHouseholdDto; field: FindingField }) {
  const { t } = useI18n();
  const item = { name: [h.householdId, field], style: { marginBottom: 0 } };
  switch (field) {
    case 'finding': {
      const options = (h.stratum === 'poor' ? (['correct', 'shouldExclude'] as const) : (['correct', 'missing'] as const)).map((f) => ({ value: f, label: t(T[FINDING_LABEL[f]]) }));
      return (
        <Form.Item {...item} initialValue={h.finding ?? undefined} rules={[{ required: true, message: t(T.findingRequired) }]}>
          <Select style={{ width: 150 }} placeholder={t(T.findingPick)} options={options} aria-label={t(T.finding)} />
        </Form.Item>
      );
    }
    case 'visitedOn':
      return (
        <Form.Item {...item} initialValue={h.visitedOn ?? todayYmd()} rules={[{ required: true, message: t(T.visitedOnRequired) }]}>
          <DateInput style={{ width: 140 }} max={todayYmd()} aria-label={t(T.visitedOn)} />
        </Form.Item>
      );
    case 'visitor':
      return (
        <Form.Item {...item} initialValue={h.visitor ?? ''} rules={[{ required: true, whitespace: true, message: t(T.visitorRequired) }, { max: 50 }]}>
          <Input style={{ width: 110 }} aria-label={t(T.visitor)} />
        </Form.Item>
      );
    default:
      return (
        <Form.Item {...item} initialValue={h.note ?? ''} rules={[{ max: 500 }]}>
          <Input style={{ width: 160 }} aria-label={t(T.note)} />
        </Form.Item>
      );
  }
}

function DrawForm({ onDrawn }: { onDrawn: (s: SampleDto) => void }) {
  const { t, lang } = useI18n();
  const { scope } = useSession();
  const { user } = useSignedIn();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const areaCode = Form.useWatch('areaCode', form) as string | null | undefined;
  const level = areaCode ? levelOfCode(areaCode) : null;
  const min = level === 'county' ? MIN_POOR_RATE.county : MIN_POOR_RATE.township;
  useEffect(() => {
    if (level === 'county' || level === 'township') form.setFieldValue('poorRate', MIN_POOR_RATE[level] * 100);
  }, [level, form]);
  const submit = async (v: { areaCode: string; year: number; seed?: number | null; poorRate: number; nonPoorRate: number; note?: string }) => {
    setBusy(true);
    try {
      const s = await post<SampleDto>('/identification/samples', {
        areaCode: v.areaCode,
        year: v.year,
        ...(v.seed === null || v.seed === undefined ? {} : { seed: v.seed }),
        poorRate: Math.round(v.poorRate * 100) / 10_000,
        nonPoorRate: Math.round(v.nonPoorRate * 100) / 10_000,
        ...(v.note ? { note: v.note } : {}),
      });
      message.success(t(T.drawn, { seed: s.seed }));
      onDrawn(s);
    } catch (e) {
      if (!applyFieldErrors(form, e, lang)) message.error(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={t(T.draw)} style={{ marginBottom: 16 }}>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ year: new Date().getFullYear(), poorRate: 20, nonPoorRate: DEFAULT_NON_POOR_RATE * 100 }}>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="areaCode" label={t(T.area)} rules={[{ required: true, message: t(T.area) }]}>
              <AreaTreeSelect rootCode={scope?.code ?? user.areaCode ?? null} levels={['county', 'township']} />
            </Form.Item>
          </Col>
          <Col xs={12} md={3}>
            <Form.Item name="year" label={t(T.year)} rules={[{ required: true }]}>
              <InputNumber min={2013} max={2100} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={4}>
            <Form.Item name="seed" label={t(T.seed)} tooltip={t(T.seedHint)}>
              <InputNumber min={0} max={2147483647} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={4}>
            <Form.Item name="poorRate" label={t(T.poorRate)} tooltip={t(T.minRate)} rules={[{ required: true }, { type: 'number', min: min * 100, message: t(T.minRate) }]}>
              <InputNumber min={0} max={100} step={5} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={5}>
            <Form.Item name="nonPoorRate" label={t(T.nonPoorRate)} rules={[{ required: true }]}>
              <InputNumber min={0} max={100} step={1} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16} align="bottom">
          <Col xs={24} md={16}>
            <Form.Item name="note" label={t(T.note)}>
              <Input maxLength={500} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item>
              <Button type="primary" htmlType="submit" loading={busy}>
                {t(T.draw)}
              </Button>
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Card>
  );
}

function SampleDetail({ id, canRecord, onChanged }: { id: string; canRecord: boolean; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const [stratum, setStratum] = useState<'poor' | 'nonPoor' | undefined>(undefined);
  const { page, pageSize, resetPage, pagination } = useServerPaging((n) => t(T.total, { n }));
  const [data, setData] = useState<SampleDetailDto | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    setError(null);
    try {
      setData(await get<SampleDetailDto>(`/identification/samples/${id}`, { page, pageSize, stratum }));
    } catch (e) {
      setError(e);
    }
  }, [id, page, pageSize, stratum]);
  useEffect(() => {
    void load();
  }, [load]);
  const { form: findingForm, saving, save } = useFindingForm(id, () => {
    void load();
    onChanged();
  });
  if (error) return <LoadError error={error} onRetry={load} />;
  const s = data?.sample;
  return (
    <Card title={s ? `${t(T.households)} · ${s.areaName} ${s.year}` : t(T.households)} loading={!data}>
      {s && (
        <>
          <Row gutter={16} style={{ marginBottom: 12 }}>
            {(['wrongInclusion', 'wrongExclusion'] as const).map((k) => {
              const r = s[k];
              return (
                <Col xs={24} md={8} key={k}>
                  <Statistic title={t(k === 'wrongInclusion' ? T.inclusion : T.exclusion)} value={formatPercent(r.rate)} />
                  <Typography.Text type="secondary">
                    {t(T.visitedOf, { v: r.visited, d: r.drawn })}
                    {r.lower !== null ? ` · ${t(T.interval, { lo: formatPercent(r.lower), hi: formatPercent(r.upper) })}` : ''}
                  </Typography.Text>
                </Col>
              );
            })}
            <Col xs={24} md={8}>
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={t(T.seed)}>{s.seed}</Descriptions.Item>
                <Descriptions.Item label={t(T.population)}>
                  {s.poorPopulation} / {s.nonPoorPopulation} · {formatPercent(s.poorRate)} / {formatPercent(s.nonPoorRate)}
                </Descriptions.Item>
              </Descriptions>
            </Col>
          </Row>
          <Alert type="info" showIcon title={t(T.rateHelp)} style={{ marginBottom: 12 }} />
          <Space style={{ marginBottom: 12 }}>
            <Select
              style={{ width: 140 }}
              value={stratum ?? 'all'}
              onChange={(v) => {
                setStratum(v === 'all' ? undefined : (v as 'poor' | 'nonPoor'));
                resetPage();
              }}
              options={[
                { value: 'all', label: t(T.all) },
                { value: 'poor', label: t(T.poor) },
                { value: 'nonPoor', label: t(T.nonPoor) },
              ]}
              aria-label={t(T.stratum)}
            />
          </Space>
        </>
      )}
      <Form form={findingForm} component={false}>
        <Table<SampleHouseholdDto>
          rowKey="householdId"
          size="small"
          dataSource={data?.households.items ?? []}
          pagination={pagination(data?.households.total ?? 0)}
          scroll={{ x: canRecord ? 1500 : 'max-content' }}
          columns={[
            { title: '#', dataIndex: 'position', key: 'position', width: 50, fixed: 'left' },
            {
              title: t(T.head),
              key: 'head',
              width: 170,
              fixed: 'left',
              render: (_, h) => (
                <div>
                  <Typography.Text strong>{h.headName}</Typography.Text>
                  <div>
                    <Typography.Text type="secondary">{h.householdNo}</Typography.Text>
                  </div>
                </div>
              ),
            },
            { title: t(T.stratum), key: 'stratum', render: (_, h) => <Tag color={h.stratum === 'poor' ? 'red' : 'blue'}>{t(h.stratum === 'poor' ? T.poor : T.nonPoor)}</Tag> },
            { title: t(T.village), key: 'village', render: (_, h) => `${h.villageName}${h.groupName ? ` ${h.groupName}` : ''}` },
            { title: t(T.type), key: 'type', render: (_, h) => typeLabel(h.householdType, lang) },
            { title: t(T.phone), dataIndex: 'phone', key: 'phone', render: (v: string | null) => v ?? '—' },
            ...(canRecord
              ? FINDING_FIELDS.map((f) => ({
                  title: t({ finding: T.finding, visitedOn: T.visitedOn, visitor: T.visitor, note: T.note }[f]),
                  key: f,
                  width: { finding: 170, visitedOn: 160, visitor: 130, note: 180 }[f],
                  render: (_: unknown, h: SampleHouseholdDto) => <FindingCell h={h} field={f} />,
                }))
              : [
                  {
                    title: t(T.finding),
                    key: 'finding',
                    render: (_: unknown, h: SampleHouseholdDto) =>
                      h.finding ? <Tag color={h.finding === 'correct' ? 'green' : 'orange'}>{t(T[FINDING_LABEL[h.finding]])}</Tag> : <Typography.Text type="secondary">{t(T.notVisited)}</Typography.Text>,
                  },
                  { title: t(T.visitedOn), dataIndex: 'visitedOn', key: 'visitedOn', render: (v: string | null) => v ?? '—' },
                  { title: t(T.visitor), dataIndex: 'visitor', key: 'visitor', render: (v: string | null) => v ?? '—' },
                  { title: t(T.note), dataIndex: 'note', key: 'note', render: (v: string | null) => v ?? '—' },
                ]),
            ...(canRecord
              ? [
                  {
                    title: t(T.actions),
                    key: 'save',
                    width: 80,
                    fixed: 'right' as const,
                    render: (_: unknown, h: SampleHouseholdDto) => (
                      <Button type="primary" size="small" loading={saving === h.householdId} onClick={() => void save(h)}>
                        {t(T.save)}
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Form>
    </Card>
  );
}

export function SamplingPage() {
  const { t } = useI18n();
  const { can, scope } = useSession();
  const scopeCode = scope?.code;
  const { page, pageSize, pagination } = useServerPaging((n) => t(T.totalSamples, { n }), 10);
  const [data, setData] = useState<Page<SampleDto> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const load = useCallback(async () => {
    setError(null);
    try {
      const p = await get<Page<SampleDto>>('/identification/samples', { page, pageSize, areaCode: scopeCode });
      setData(p);
      setSelected((cur) => cur ?? p.items[0]?.id ?? null);
    } catch (e) {
      setError(e);
    }
  }, [page, pageSize, scopeCode]);
  useEffect(() => {
    void load();
  }, [load]);
  const canSample = can(IDENTIFICATION['identification.sample']);
  return (
    <>
      <PageHeader title={t(T.title)} subtitle={t(T.subtitle)} />
      {canSample && (
        <DrawForm
          onDrawn={(s) => {
            setSelected(s.id);
            void load();
          }}
        />
      )}
      <Card title={t(T.samples)} style={{ marginBottom: 16 }}>
        {error ? (
          <LoadError error={error} onRetry={load} />
        ) : (
          <Table<SampleDto>
            rowKey="id"
            size="small"
            loading={data === null}
            dataSource={data?.items ?? []}
            locale={{ emptyText: t(T.none) }}
            pagination={pagination(data?.total ?? 0)}
            rowClassName={(s) => (s.id === selected ? 'ant-table-row-selected' : '')}
            onRow={(s) => ({ onClick: () => setSelected(s.id), style: { cursor: 'pointer' } })}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: t(T.area), dataIndex: 'areaName', fixed: 'left' },
              { title: t(T.year), dataIndex: 'year', width: 70 },
              { title: t(T.seed), dataIndex: 'seed' },
              { title: t(T.drawnAt), dataIndex: 'drawnAt', render: (v: string) => formatDateTime(v) },
              { title: t(T.population), key: 'pop', render: (_, s) => `${s.poorPopulation} / ${s.nonPoorPopulation}` },
              { title: t(T.inclusion), key: 'wi', render: (_, s) => <RateText r={s.wrongInclusion} /> },
              { title: t(T.exclusion), key: 'we', render: (_, s) => <RateText r={s.wrongExclusion} /> },
              { title: t(T.actions), key: 'open', fixed: 'right', render: (_, s) => <Button size="small" type="link" onClick={() => setSelected(s.id)}>{t(T.open)}</Button> },
            ]}
          />
        )}
      </Card>
      {selected && <SampleDetail key={selected} id={selected} canRecord={canSample} onChanged={() => void load()} />}
    </>
  );
}
