/**
 * Relative poverty (/identification/relative-poverty, 相对贫困): the standard of an area and year (an
 * absolute line, or a share of the local median per-capita net income), the households below the line
 * that are not yet poor, and "提交识别批次": a village's selected candidates enter the identification
 * procedure as one batch.
 */
import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, App as AntApp, Button, Card, Descriptions, Form, Input, InputNumber, Radio, Space, Table, Tooltip, Typography } from 'antd';
import { findCodeItem } from '../../households/codes.ts';
import { IDENTIFICATION } from '../permissions.ts';
import { formatPercent, type CandidateDto, type CandidatePageDto, type RelativeMethod, type StandardDto, type StandardViewDto } from '../sampling-rules.ts';
import { applyFieldErrors, errorText, get, post, put } from '../../../client/api-client.ts';
import { defineMessages, useI18n, type Lang } from '../../../client/i18n.tsx';
import { AreaTreeSelect } from '../../../client/components/AreaTreeSelect.tsx';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { PageHeader } from '../../../client/components/PageHeader.tsx';
import { useServerPaging } from '../../../client/components/paging.ts';
import { useSession, useSignedIn } from '../../../client/session.tsx';
import { DateInput } from '../../../client/components/DateInput.tsx';
import { formatYuan } from '../../../client/format.ts';
import { todayYmd } from './procedure-common.tsx';

const T = defineMessages({
  title: { zh: '相对贫困', en: 'Relative poverty' },
  subtitle: {
    zh: '设定区域年度相对贫困标准（绝对标准线，或当地农户人均纯收入中位数的一定比例），列出低于标准且尚未识别的农户，按村提交识别批次。',
    en: 'Set the relative-poverty standard of an area and year (an absolute line, or a share of the local median per-capita net income), list the households below it that are not yet identified, and submit a village’s candidates as a batch.',
  },
  area: { zh: '区域', en: 'Area' },
  year: { zh: '收入年度', en: 'Income year' },
  yearHint: { zh: '标准与农户人均纯收入所属的年度（通常为上一年）', en: 'The year of the standard and of the households’ incomes (usually last year)' },
  idYear: { zh: '识别年度', en: 'Identification year' },
  idYearHint: { zh: '提交的识别批次属于识别年度（今年），按 {income} 年收入识别', en: 'The batch belongs to the identification year (this year), judged on the incomes of {income}' },
  standard: { zh: '相对贫困标准', en: 'Relative-poverty standard' },
  method: { zh: '方法', en: 'Method' },
  absolute: { zh: '绝对标准线', en: 'Absolute line' },
  medianShare: { zh: '中位数比例', en: 'Share of the median' },
  line: { zh: '标准线（元/人·年）', en: 'Line (yuan per person per year)' },
  share: { zh: '占中位数比例（%）', en: 'Share of the median (%)' },
  shareHint: { zh: '常见做法为中位数的 40%，以当地政策为准', en: '40 % of the median is a common convention; follow local policy' },
  note: { zh: '说明', en: 'Note' },
  save: { zh: '保存标准', en: 'Save the standard' },
  saved: { zh: '已保存相对贫困标准', en: 'Standard saved' },
  effective: { zh: '适用标准', en: 'Standard that applies' },
  ownNone: { zh: '本区域未设定标准，适用上级标准', en: 'No standard of its own: the enclosing area’s applies' },
  noneAtAll: { zh: '该年度没有适用的相对贫困标准', en: 'No relative-poverty standard applies for the year' },
  from: { zh: '设定区域', en: 'Set for' },
  median: { zh: '人均纯收入中位数', en: 'Median income per person' },
  withIncome: { zh: '有收入记录的户数', en: 'Households with an income record' },
  effectiveLine: { zh: '适用标准线', en: 'Line that applies' },
  candidates: { zh: '相对贫困候选户', en: 'Candidates' },
  head: { zh: '户主', en: 'Head' },
  village: { zh: '村', en: 'Village' },
  type: { zh: '户类型', en: 'Type' },
  size: { zh: '人数', en: 'Persons' },
  income: { zh: '人均纯收入', en: 'Income / person' },
  lineCol: { zh: '标准线', en: 'Line' },
  phone: { zh: '电话', en: 'Phone' },
  empty: { zh: '没有低于标准的候选户', en: 'No household below the line' },
  appliedOn: { zh: '申请日期', en: 'Applied on' },
  batchTitle: { zh: '批次名称（可选）', en: 'Batch title (optional)' },
  submit: { zh: '提交识别批次', en: 'Submit a batch' },
  selected: { zh: '已选 {n} 户', en: '{n} selected' },
  oneVillage: { zh: '识别批次按村提交：请只选择同一个村的农户', en: 'A batch is one village’s: select households of one village only' },
  submitted: { zh: '已提交识别批次', en: 'Batch submitted' },
  total: { zh: '共 {n} 户', en: '{n} households' },
});

/** The identification year: this year in China time (the server gives a relative-poverty batch this year). */
function identificationYear(): number {
  return new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
}

function typeLabel(value: string, lang: Lang): string {
  return findCodeItem('householdType', value)?.label[lang] ?? value;
}

function StandardView({ s }: { s: StandardDto }) {
  const { t, lang } = useI18n();
  return (
    <Descriptions size="small" column={{ xs: 1, md: 3 }} bordered>
      <Descriptions.Item label={t(T.from)}>{s.areaName}</Descriptions.Item>
      <Descriptions.Item label={t(T.method)}>{s.method === 'absolute' ? t(T.absolute) : `${t(T.medianShare)} ${formatPercent(s.share)}`}</Descriptions.Item>
      <Descriptions.Item label={t(T.effectiveLine)}>
        <Typography.Text strong>{formatYuan(s.effectiveLine, lang)}</Typography.Text>
      </Descriptions.Item>
      {s.method === 'medianShare' && (
        <>
          <Descriptions.Item label={t(T.median)}>{formatYuan(s.median, lang)}</Descriptions.Item>
          <Descriptions.Item label={t(T.withIncome)}>{s.householdsWithIncome}</Descriptions.Item>
        </>
      )}
      {s.note && <Descriptions.Item label={t(T.note)}>{s.note}</Descriptions.Item>}
    </Descriptions>
  );
}

function StandardCard({ areaCode, year, onSaved }: { areaCode: string; year: number; onSaved: () => void }) {
  const { t, lang } = useI18n();
  const { can } = useSession();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm();
  const [view, setView] = useState<StandardViewDto | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const method = (Form.useWatch('method', form) as RelativeMethod | undefined) ?? 'absolute';
  const load = useCallback(async () => {
    setError(null);
    try {
      const v = await get<StandardViewDto>('/identification/relative-poverty/standards', { areaCode, year });
      setView(v);
      form.setFieldsValue(v.own ? { method: v.own.method, line: v.own.line, share: v.own.share === null ? null : v.own.share * 100, note: v.own.note } : { method: 'absolute', line: null, share: 40, note: '' });
    } catch (e) {
      setError(e);
    }
  }, [areaCode, year, form]);
  useEffect(() => {
    void load();
  }, [load]);
  const save = async (v: { method: RelativeMethod; line?: number | null; share?: number | null; note?: string }) => {
    setSaving(true);
    try {
      await put('/identification/relative-poverty/standards', {
        areaCode,
        year,
        method: v.method,
        ...(v.method === 'absolute' ? { line: v.line ?? null } : { share: v.share === null || v.share === undefined ? null : Math.round(v.share * 100) / 10_000 }),
        note: v.note || null,
      });
      message.success(t(T.saved));
      await load();
      onSaved();
    } catch (e) {
      if (!applyFieldErrors(form, e, lang)) message.error(errorText(e, lang));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Card title={`${t(T.standard)} · ${t(T.year)} ${year}`} style={{ marginBottom: 16 }} loading={!view && !error}>
      {error ? (
        <LoadError error={error} onRetry={load} />
      ) : (
        <>
          {view?.effective ? <StandardView s={view.effective} /> : <Alert type="warning" showIcon title={t(T.noneAtAll)} />}
          {view?.effective && !view.own && <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>{t(T.ownNone)}</Typography.Paragraph>}
          {can(IDENTIFICATION['identification.standards']) && (
            <Form form={form} layout="inline" onFinish={save} style={{ marginTop: 16, rowGap: 8 }}>
              <Form.Item name="method" label={t(T.method)}>
                <Radio.Group
                  options={[
                    { value: 'absolute', label: t(T.absolute) },
                    { value: 'medianShare', label: t(T.medianShare) },
                  ]}
                />
              </Form.Item>
              {method === 'absolute' ? (
                <Form.Item name="line" label={t(T.line)} rules={[{ required: true, message: t(T.line) }]}>
                  <InputNumber min={0.01} max={1_000_000} precision={2} style={{ width: 140 }} />
                </Form.Item>
              ) : (
                <Form.Item name="share" label={t(T.share)} tooltip={t(T.shareHint)} rules={[{ required: true, message: t(T.share) }]}>
                  <InputNumber min={0.01} max={100} precision={2} style={{ width: 120 }} />
                </Form.Item>
              )}
              <Form.Item name="note" label={t(T.note)}>
                <Input style={{ width: 240 }} maxLength={500} />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={saving}>
                {t(T.save)}
              </Button>
            </Form>
          )}
        </>
      )}
    </Card>
  );
}

export function RelativePovertyPage() {
  const { t, lang } = useI18n();
  const { scope, can } = useSession();
  const { user } = useSignedIn();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const [areaCode, setAreaCode] = useState<string | null>(scope?.code ?? user.areaCode ?? null);
  // The income year (收入年度) of the standard and the incomes: last year by default; the batch is of the identification year.
  const idYear = identificationYear();
  const [year, setYear] = useState<number>(idYear - 1);
  const { page, pageSize, resetPage, pagination } = useServerPaging((n) => t(T.total, { n }));
  const [data, setData] = useState<CandidatePageDto | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [selected, setSelected] = useState<CandidateDto[]>([]);
  const [appliedOn, setAppliedOn] = useState(todayYmd());
  const [batchTitle, setBatchTitle] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [version, setVersion] = useState(0);

  const load = useCallback(async () => {
    if (!areaCode) return;
    setError(null);
    try {
      setData(await get<CandidatePageDto>('/identification/relative-poverty/candidates', { areaCode, year, page, pageSize }));
    } catch (e) {
      setError(e);
    }
  }, [areaCode, year, page, pageSize]);
  useEffect(() => {
    void load();
  }, [load, version]);

  const villages = new Set(selected.map((c) => c.areaCode));
  const submit = async () => {
    const village = selected[0]?.areaCode;
    if (!village || villages.size !== 1) return;
    setSubmitting(true);
    try {
      const b = await post<{ id: string }>('/identification/relative-poverty/batches', {
        areaCode: village,
        year,
        appliedOn,
        householdIds: selected.map((c) => c.householdId),
        ...(batchTitle.trim() ? { title: batchTitle.trim() } : {}),
      });
      message.success(t(T.submitted));
      setSelected([]);
      setVersion((v) => v + 1);
      void navigate(`/identification/batches/${b.id}`);
    } catch (e) {
      message.error(errorText(e, lang));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <>
      <PageHeader title={t(T.title)} subtitle={t(T.subtitle)} />
      <Card style={{ marginBottom: 16 }}>
        <Space wrap>
          <span>{t(T.area)}</span>
          <div style={{ width: 320 }}>
            <AreaTreeSelect
              value={areaCode}
              onChange={(c) => {
                setAreaCode(c);
                setSelected([]);
                resetPage();
              }}
              rootCode={scope?.code ?? user.areaCode ?? null}
              levels={['province', 'city', 'county', 'township', 'village']}
            />
          </div>
          <Tooltip title={t(T.yearHint)}>
            <span>{t(T.year)}</span>
          </Tooltip>
          <InputNumber
            aria-label={t(T.year)}
            min={2013}
            max={2100}
            value={year}
            onChange={(v) => {
              if (v) {
                setYear(v);
                setSelected([]);
                resetPage();
              }
            }}
          />
        </Space>
      </Card>
      {areaCode && <StandardCard key={`${areaCode}:${year}`} areaCode={areaCode} year={year} onSaved={() => setVersion((v) => v + 1)} />}
      <Card title={t(T.candidates)}>
        {error ? (
          <LoadError error={error} onRetry={load} />
        ) : (
          <>
            {can(IDENTIFICATION['identification.apply']) && (
              <Space wrap style={{ marginBottom: 12 }}>
                <Tooltip title={t(T.idYearHint, { income: year })}>
                  <Typography.Text>
                    {t(T.idYear)}
                    {lang === 'en' ? ': ' : '：'}
                    {idYear}
                  </Typography.Text>
                </Tooltip>
                <Typography.Text>{t(T.selected, { n: selected.length })}</Typography.Text>
                <span>{t(T.appliedOn)}</span>
                <DateInput value={appliedOn} onChange={(v) => setAppliedOn(v ?? '')} style={{ width: 150 }} aria-label={t(T.appliedOn)} />
                <Input value={batchTitle} onChange={(e) => setBatchTitle(e.target.value)} placeholder={t(T.batchTitle)} style={{ width: 220 }} maxLength={100} />
                <Button type="primary" disabled={selected.length === 0 || villages.size !== 1 || !appliedOn} loading={submitting} onClick={() => void submit()}>
                  {t(T.submit)}
                </Button>
                {villages.size > 1 && <Typography.Text type="danger">{t(T.oneVillage)}</Typography.Text>}
              </Space>
            )}
            <Table<CandidateDto>
              rowKey="householdId"
              size="small"
              loading={data === null && !!areaCode}
              dataSource={data?.items ?? []}
              locale={{ emptyText: data && data.standards.length === 0 ? t(T.noneAtAll) : t(T.empty) }}
              pagination={pagination(data?.total ?? 0)}
              scroll={{ x: 'max-content' }}
              rowSelection={
                can(IDENTIFICATION['identification.apply'])
                  ? {
                      selectedRowKeys: selected.map((c) => c.householdId),
                      preserveSelectedRowKeys: true,
                      onChange: (_keys, rows) => setSelected(rows.filter(Boolean)),
                    }
                  : undefined
              }
              columns={[
                {
                  title: t(T.head),
                  key: 'head',
                  render: (_, c) => (
                    <div>
                      <Typography.Text strong>{c.headName}</Typography.Text>
                      <div>
                        <Typography.Text type="secondary">{c.householdNo}</Typography.Text>
                      </div>
                    </div>
                  ),
                },
                { title: t(T.village), key: 'village', render: (_, c) => `${c.villageName}${c.groupName ? ` ${c.groupName}` : ''}` },
                { title: t(T.type), key: 'type', render: (_, c) => typeLabel(c.householdType, lang) },
                { title: t(T.size), dataIndex: 'memberCount', align: 'right' },
                { title: t(T.income), dataIndex: 'perCapitaNetIncome', align: 'right', render: (v: number) => formatYuan(v, lang) },
                { title: t(T.lineCol), dataIndex: 'line', align: 'right', render: (v: number) => formatYuan(v, lang) },
                { title: t(T.phone), dataIndex: 'phone', render: (v: string | null) => v ?? '—' },
              ]}
            />
          </>
        )}
      </Card>
    </>
  );
}
