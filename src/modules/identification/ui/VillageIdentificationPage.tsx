/**
 * Poor-village identification (/identification/villages, 贫困村识别): the villages' indicators of a year
 * (entered by the village clerk, corrected by the township or county; the poor population can be
 * prefilled from the registry) and the identifications with their state, the 一高一低 advice against
 * the county's villages, every step, and the buttons of the steps the user may take now.
 */
import { useCallback, useEffect, useState } from 'react';
import { Button, Card, Checkbox, Col, Form, Input, InputNumber, Row, Select, Space, Table, Tag, Tooltip, Typography, message } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { errorText, get, post, put } from '../../../client/api-client.ts';
import { defineMessages, useI18n } from '../../../client/i18n.tsx';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { PageHeader } from '../../../client/components/PageHeader.tsx';
import { AreaTreeSelect } from '../../../client/components/AreaTreeSelect.tsx';
import { useSession, useSignedIn } from '../../../client/session.tsx';
import { formatYuan } from '../../../client/format.ts';
import { DateInput } from '../../../client/components/DateInput.tsx';
import type { VillageAdvice } from '../village-rules.ts';
import { VILLAGE_ACTION_LABELS, VILLAGE_STATE_LABELS, type VillageAction, type VillageState } from '../village-rules.ts';
import type { VillageIdentificationDto, VillageIndicatorsDto, VillageIndicatorsReadDto } from '../adjustment-contract.ts';
import { IDENTIFICATION } from '../permissions.ts';
import { ActionModal } from './ActionModal.tsx';
import { notFuture, P, todayYmd } from './procedure-common.tsx';

const T = defineMessages({
  title: { zh: '贫困村识别', en: 'Poor-village identification' },
  subtitle: {
    zh: '村申请 → 乡镇初审 → 县审核认定。“一高一低”（贫困发生率约为全县两倍、人均纯收入低于全县平均 60%）与相对贫困村标准（人均收入低于 8000 元且相对贫困人口 ≥ 5%）只作参考。',
    en: 'Village applies → township review → county designation. "One high, one low" (incidence about twice the county’s, income below 60 % of its average) and the relative-poverty village test (income below 8000 yuan, ≥ 5 % relatively poor) are advice only.',
  },
  year: { zh: '年度', en: 'Year' },
  indicators: { zh: '村级指标', en: 'Village indicators' },
  editIndicators: { zh: '填报指标', en: 'Record indicators' },
  village: { zh: '村', en: 'Village' },
  township: { zh: '乡镇', en: 'Township' },
  income: { zh: '人均纯收入（元）', en: 'Income per person (yuan)' },
  incomeCol: { zh: '人均纯收入', en: 'Income per person' },
  registered: { zh: '户籍人口', en: 'Registered population' },
  poor: { zh: '贫困人口', en: 'Poor population' },
  incidence: { zh: '贫困发生率', en: 'Incidence' },
  road: { zh: '通硬化路', en: 'Hardened road' },
  water: { zh: '安全饮水', en: 'Safe water' },
  power: { zh: '通电', en: 'Power' },
  broadband: { zh: '通宽带', en: 'Broadband' },
  clinic: { zh: '卫生室', en: 'Clinic' },
  collective: { zh: '村集体收入（元/年）', en: 'Collective income (yuan/year)' },
  collectiveCol: { zh: '村集体收入（每年）', en: 'Collective income (a year)' },
  prefill: { zh: '从户籍数据预填人口', en: 'Prefill the population from the registry' },
  prefilled: { zh: '已预填：在册 {persons} 人，其中未脱贫贫困人口 {poor} 人', en: 'Prefilled: {persons} persons registered, {poor} poor not yet out of poverty' },
  saved: { zh: '已保存', en: 'Saved' },
  identifications: { zh: '贫困村识别', en: 'Identifications' },
  apply: { zh: '村申请', en: 'Apply' },
  relative: { zh: '相对贫困村', en: 'Relatively poor village' },
  relativeApply: { zh: '申请认定为相对贫困村（而非贫困村）', en: 'Apply as a relatively poor village (not a poor village)' },
  designatedRelative: { zh: '已认定为相对贫困村', en: 'Designated relatively poor' },
  doneApply: { zh: '已提交申请：{village}', en: 'Application submitted: {village}' },
  doneReview: { zh: '已完成乡镇初审：{village}', en: 'Township review done: {village}' },
  doneDesignate: { zh: '{village}{what}', en: '{village}: {what}' },
  doneReject: { zh: '已不予认定：{village}', en: 'Rejected: {village}' },
  state: { zh: '状态', en: 'State' },
  advice: { zh: '参考（一高一低）', en: 'Advice' },
  high: { zh: '一高', en: 'High incidence' },
  low: { zh: '一低', en: 'Low income' },
  relTest: { zh: '相对贫困村标准', en: 'Relative-poverty test' },
  unknown: { zh: '指标不全', en: 'Figures missing' },
  adviceTip: {
    zh: '本村发生率 {inc}，全县 {ref}；本村人均纯收入 {income}，全县平均 {avg}（{n} 个村）',
    en: 'Incidence {inc} (county {ref}); income {income} (county average {avg}, {n} villages)',
  },
  steps: { zh: '办理记录', en: 'Steps' },
  actions: { zh: '操作', en: 'Actions' },
  kind: { zh: '认定级别', en: 'Designated by' },
  reason: { zh: '不予认定理由', en: 'Reason' },
  endReason: { zh: '理由', en: 'Reason' },
  none: { zh: '本年度还没有贫困村识别', en: 'No identification this year' },
  noIndicators: { zh: '本年度还没有填报村级指标', en: 'No indicators recorded this year' },
});

const STATE_COLOR: Record<VillageState, string> = { applied: 'blue', townshipReviewed: 'gold', designated: 'green', rejected: 'default' };
const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(2)}%`);
/** The state's label; a relative-poverty village's designation reads 「已认定为相对贫困村」. */
function stateLabel(i: Pick<VillageIdentificationDto, 'state' | 'relative'>, lang: 'zh' | 'en'): string {
  if (i.state === 'designated' && i.relative) return T.designatedRelative[lang];
  return VILLAGE_STATE_LABELS[i.state][lang];
}
const yesNo = (b: boolean | null, lang: 'zh' | 'en') => (b === null ? '—' : b ? (lang === 'en' ? 'yes' : '是') : lang === 'en' ? 'no' : '否');

type IndicatorForm = Omit<VillageIndicatorsDto, 'villageName' | 'townshipName' | 'year' | 'incidence' | 'updatedAt'>;
interface StepForm {
  onDate?: string;
  responsiblePerson: string;
  note?: string;
  reason?: string;
  kind?: 'provincial' | 'city' | 'county';
  relative?: boolean;
}

function AdviceTags({ advice, income }: { advice: VillageAdvice; income: number | null | undefined }) {
  const { t, lang } = useI18n();
  // Each test reads the same way: 「一高：是」「一低：否」「相对贫困村标准：是」 (red when met).
  const tag = (v: boolean | null, msg: { zh: string; en: string }) => (v === null ? null : <Tag color={v ? 'red' : 'default'}>{`${msg[lang]}${lang === 'en' ? ': ' : '：'}${yesNo(v, lang)}`}</Tag>);
  const r = advice.reference;
  return (
    <Tooltip title={t(T.adviceTip, { inc: pct(advice.incidence), ref: pct(r.incidence), income: formatYuan(income, lang), avg: formatYuan(r.averageIncome, lang), n: r.villages })}>
      <Space size={2} wrap>
        {tag(advice.highIncidence, T.high)}
        {tag(advice.lowIncome, T.low)}
        {tag(advice.relativePoorVillage, T.relTest)}
        {advice.highIncidence === null && advice.lowIncome === null && <Tag>{t(T.unknown)}</Tag>}
      </Space>
    </Tooltip>
  );
}

export function VillageIdentificationPage() {
  const { t, lang } = useI18n();
  const { can, scope } = useSession();
  const { user } = useSignedIn();
  // 责任人 is prefilled with the user's name, as in the procedure's dialogs.
  const who = user.displayName || user.username;
  const [year, setYear] = useState(new Date().getFullYear());
  const [indicators, setIndicators] = useState<VillageIndicatorsDto[] | null>(null);
  const [items, setItems] = useState<VillageIdentificationDto[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<{ areaCode: string | null; values: Partial<IndicatorForm> } | null>(null);
  const [applying, setApplying] = useState<string | null>(null);
  const [acting, setActing] = useState<{ item: VillageIdentificationDto; action: VillageAction } | null>(null);
  const areaCode = scope?.code;

  const load = useCallback(async () => {
    setError(null);
    try {
      const [ind, ids] = await Promise.all([
        get<{ items: VillageIndicatorsDto[] }>('/identification/village-indicators', { year, areaCode }),
        get<{ items: VillageIdentificationDto[] }>('/identification/village-identifications', { year, areaCode }),
      ]);
      setIndicators(ind.items);
      setItems(ids.items);
    } catch (e) {
      setError(e);
    }
  }, [year, areaCode]);
  useEffect(() => {
    void load();
  }, [load]);

  const identified = new Set((items ?? []).map((i) => i.areaCode));
  const canApply = can(IDENTIFICATION['identification.village-apply']);

  const openEditor = async (code: string | null) => {
    if (!code) return setEditing({ areaCode: null, values: {} });
    try {
      const r = await get<VillageIndicatorsReadDto>(`/identification/village-indicators/${code}/${year}`);
      setEditing({ areaCode: code, values: r.indicators ?? {} });
    } catch (e) {
      void message.error(errorText(e, lang));
    }
  };

  const sendStep = async (item: VillageIdentificationDto, action: VillageAction, v: StepForm) => {
    const base = { version: item.version, onDate: v.onDate || undefined, responsiblePerson: v.responsiblePerson.trim(), note: v.note?.trim() || undefined };
    const path = action === 'reviewTownship' ? 'township-review' : action === 'designate' ? 'designation' : 'rejection';
    const body = action === 'designate' ? { ...base, kind: v.kind } : action === 'reject' ? { ...base, reason: v.reason } : base;
    await post(`/identification/village-identifications/${item.id}/${path}`, body);
    const village = item.villageName;
    const done =
      action === 'reviewTownship'
        ? t(T.doneReview, { village })
        : action === 'designate'
          ? t(T.doneDesignate, { village, what: item.relative ? t(T.designatedRelative) : VILLAGE_STATE_LABELS.designated[lang] })
          : t(T.doneReject, { village });
    void message.success(done);
    setActing(null);
    await load();
  };

  const signedFields = (
    <>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="onDate" label={t(P.onDate)} rules={[notFuture(lang)]}>
            <DateInput max={todayYmd()} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="responsiblePerson" label={t(P.responsiblePerson)} rules={[{ required: true, whitespace: true, max: 50 }]}>
            <Input />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="note" label={t(P.note)}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
    </>
  );

  return (
    <>
      <PageHeader
        title={t(T.title)}
        subtitle={t(T.subtitle)}
        extra={
          <Space>
            <Typography.Text>{t(T.year)}</Typography.Text>
            <InputNumber min={2013} max={2100} value={year} onChange={(v) => v && setYear(v)} />
            {canApply && (
              <Button icon={<EditOutlined />} onClick={() => void openEditor(null)}>
                {t(T.editIndicators)}
              </Button>
            )}
          </Space>
        }
      />
      {error ? <LoadError error={error} onRetry={load} /> : null}
      <Card title={t(T.identifications)} style={{ marginBottom: 16 }}>
        <Table<VillageIdentificationDto>
          rowKey="id"
          size="small"
          loading={items === null && !error}
          dataSource={items ?? []}
          locale={{ emptyText: t(T.none) }}
          scroll={{ x: 1400 }}
          pagination={{ pageSize: 20, showSizeChanger: false }}
          expandable={{
            expandedRowRender: (i) => (
              <Table
                rowKey={(s) => `${s.action}:${s.at}`}
                size="small"
                pagination={false}
                dataSource={i.steps}
                columns={[
                  { title: t(P.onDate), dataIndex: 'onDate', key: 'd' },
                  { title: t(T.actions), key: 'a', render: (_, s) => VILLAGE_ACTION_LABELS[s.action as VillageAction | 'apply']?.[lang] ?? s.action },
                  { title: t(P.responsiblePerson), dataIndex: 'responsiblePerson', key: 'p' },
                  { title: t(P.note), dataIndex: 'note', key: 'n' },
                  { title: lang === 'en' ? 'Entered by' : '录入人', dataIndex: 'actorName', key: 'by' },
                ]}
              />
            ),
          }}
          columns={[
            {
              title: t(T.village),
              key: 'v',
              fixed: 'left',
              width: 150,
              render: (_, i) => (
                <Space size={4} wrap>
                  {i.villageName}
                  {i.relative && <Tag color="purple">{t(T.relative)}</Tag>}
                </Space>
              ),
            },
            { title: t(T.township), dataIndex: 'townshipName', key: 't' },
            { title: t(T.state), key: 's', render: (_, i) => <Tag color={STATE_COLOR[i.state]}>{stateLabel(i, lang)}</Tag> },
            { title: t(T.incomeCol), key: 'inc', align: 'right', render: (_, i) => formatYuan(i.indicators?.perCapitaNetIncome, lang) },
            { title: t(T.incidence), key: 'pct', align: 'right', render: (_, i) => pct(i.indicators?.incidence) },
            { title: t(T.advice), key: 'adv', width: 300, render: (_, i) => <AdviceTags advice={i.advice} income={i.indicators?.perCapitaNetIncome} /> },
            { title: t(T.endReason), dataIndex: 'endReason', key: 'r', width: 220 },
            {
              title: t(T.actions),
              key: 'act',
              fixed: 'right',
              width: 190,
              render: (_, i) => (
                <Space wrap>
                  {i.nextActions.map((a) => (
                    <Button key={a} size="small" danger={a === 'reject'} type={a === 'reject' ? 'default' : 'primary'} onClick={() => setActing({ item: i, action: a })}>
                      {VILLAGE_ACTION_LABELS[a][lang]}
                    </Button>
                  ))}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Card title={t(T.indicators)}>
        <Table<VillageIndicatorsDto>
          rowKey="areaCode"
          size="small"
          loading={indicators === null && !error}
          dataSource={indicators ?? []}
          locale={{ emptyText: t(T.noIndicators) }}
          scroll={{ x: 1300 }}
          pagination={{ pageSize: 20, showSizeChanger: false }}
          columns={[
            { title: t(T.village), dataIndex: 'villageName', key: 'v', fixed: 'left', width: 130 },
            { title: t(T.township), dataIndex: 'townshipName', key: 't' },
            { title: t(T.incomeCol), key: 'i', align: 'right', render: (_, r) => formatYuan(r.perCapitaNetIncome, lang) },
            { title: t(T.registered), dataIndex: 'registeredPopulation', key: 'reg', align: 'right' },
            { title: t(T.poor), dataIndex: 'poorPopulation', key: 'poor', align: 'right' },
            { title: t(T.incidence), key: 'pct', align: 'right', render: (_, r) => pct(r.incidence) },
            { title: t(T.road), key: 'road', render: (_, r) => yesNo(r.hardenedRoad, lang) },
            { title: t(T.water), key: 'water', render: (_, r) => yesNo(r.safeWater, lang) },
            { title: t(T.power), key: 'power', render: (_, r) => yesNo(r.power, lang) },
            { title: t(T.broadband), key: 'bb', render: (_, r) => yesNo(r.broadband, lang) },
            { title: t(T.clinic), key: 'clinic', render: (_, r) => yesNo(r.clinic, lang) },
            { title: t(T.collectiveCol), key: 'col', align: 'right', render: (_, r) => formatYuan(r.collectiveIncome, lang) },
            {
              title: t(T.actions),
              key: 'act',
              fixed: 'right',
              width: 190,
              render: (_, r) =>
                canApply && (
                  <Space>
                    <Button size="small" onClick={() => void openEditor(r.areaCode)}>
                      {t(T.editIndicators)}
                    </Button>
                    {!identified.has(r.areaCode) && (
                      <Button size="small" type="primary" onClick={() => setApplying(r.areaCode)}>
                        {t(T.apply)}
                      </Button>
                    )}
                  </Space>
                ),
            },
          ]}
        />
      </Card>

      <ActionModal<IndicatorForm & { village?: string | null }>
        open={!!editing}
        title={`${t(T.editIndicators)} · ${year}`}
        name="village-indicators"
        width={640}
        initialValues={{ ...(editing?.values ?? {}), village: editing?.areaCode ?? null }}
        onCancel={() => setEditing(null)}
        onSubmit={async (v) => {
          const code = editing?.areaCode ?? v.village;
          const { village: _v, areaCode: _a, ...values } = v as IndicatorForm & { village?: string | null };
          await put(`/identification/village-indicators/${code}/${year}`, Object.fromEntries(Object.entries(values).map(([k, x]) => [k, x ?? null])));
          void message.success(t(T.saved));
          setEditing(null);
          await load();
        }}
      >
        {(form) => (
          <>
            {!editing?.areaCode && (
              <Form.Item name="village" label={t(T.village)} rules={[{ required: true }]}>
                <AreaTreeSelect rootCode={null} levels={['village']} />
              </Form.Item>
            )}
            <Button
              style={{ marginBottom: 12 }}
              onClick={async () => {
                const code = editing?.areaCode ?? (form.getFieldValue('village') as string | null);
                if (!code) return;
                try {
                  const r = await get<VillageIndicatorsReadDto>(`/identification/village-indicators/${code}/${year}`);
                  form.setFieldsValue({ ...(r.indicators ?? {}), registeredPopulation: r.registry.persons, poorPopulation: r.registry.poorPersons });
                  void message.info(t(T.prefilled, { persons: r.registry.persons, poor: r.registry.poorPersons }));
                } catch (e) {
                  void message.error(errorText(e, lang));
                }
              }}
            >
              {t(T.prefill)}
            </Button>
            <Row gutter={12}>
              <Col span={8}>
                <Form.Item name="perCapitaNetIncome" label={t(T.income)}>
                  <InputNumber min={0} precision={2} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="registeredPopulation" label={t(T.registered)}>
                  <InputNumber min={0} precision={0} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col span={8}>
                <Form.Item name="poorPopulation" label={t(T.poor)}>
                  <InputNumber min={0} precision={0} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="collectiveIncome" label={t(T.collective)}>
              <InputNumber min={0} precision={2} style={{ width: '100%' }} />
            </Form.Item>
            <Space wrap size={16}>
              {(['hardenedRoad', 'safeWater', 'power', 'broadband', 'clinic'] as const).map((k) => (
                <Form.Item key={k} name={k} valuePropName="checked" style={{ marginBottom: 0 }}>
                  <Checkbox>{t({ hardenedRoad: T.road, safeWater: T.water, power: T.power, broadband: T.broadband, clinic: T.clinic }[k])}</Checkbox>
                </Form.Item>
              ))}
            </Space>
          </>
        )}
      </ActionModal>

      <ActionModal<StepForm>
        open={!!applying}
        title={`${t(T.apply)} · ${indicators?.find((i) => i.areaCode === applying)?.villageName ?? ''} · ${year}`}
        name="village-apply"
        initialValues={{ onDate: todayYmd(), relative: false, responsiblePerson: who }}
        onCancel={() => setApplying(null)}
        onSubmit={async (v) => {
          await post('/identification/village-identifications', { areaCode: applying, year, relative: !!v.relative, onDate: v.onDate || undefined, responsiblePerson: v.responsiblePerson.trim(), note: v.note?.trim() || undefined });
          void message.success(t(T.doneApply, { village: indicators?.find((i) => i.areaCode === applying)?.villageName ?? '' }));
          setApplying(null);
          await load();
        }}
      >
        {() => (
          <>
            <Form.Item name="relative" valuePropName="checked">
              <Checkbox>{t(T.relativeApply)}</Checkbox>
            </Form.Item>
            {signedFields}
          </>
        )}
      </ActionModal>

      <ActionModal<StepForm>
        open={!!acting}
        title={acting ? `${VILLAGE_ACTION_LABELS[acting.action][lang]} · ${acting.item.villageName}${acting.item.relative ? (lang === 'en' ? ` (${t(T.relative)})` : `（${t(T.relative)}）`) : ''}` : ''}
        name="village-step"
        initialValues={{ onDate: todayYmd(), kind: 'provincial', responsiblePerson: who }}
        onCancel={() => setActing(null)}
        onSubmit={(v) => sendStep(acting!.item, acting!.action, v)}
      >
        {() => (
          <>
            {acting?.action === 'designate' && (
              <Form.Item name="kind" label={t(T.kind)} rules={[{ required: true }]}>
                <Select
                  options={[
                    { value: 'provincial', label: lang === 'en' ? 'Province (省定)' : '省定' },
                    { value: 'city', label: lang === 'en' ? 'City (市定)' : '市定' },
                    { value: 'county', label: lang === 'en' ? 'County (县定)' : '县定' },
                  ]}
                />
              </Form.Item>
            )}
            {acting?.action === 'reject' && (
              <Form.Item name="reason" label={t(T.reason)} rules={[{ required: true, whitespace: true, max: 500 }]}>
                <Input.TextArea rows={2} maxLength={500} />
              </Form.Item>
            )}
            {acting && <AdviceTags advice={acting.item.advice} income={acting.item.indicators?.perCapitaNetIncome} />}
            {signedFields}
          </>
        )}
      </ActionModal>
    </>
  );
}
