/**
 * 新建识别批次 (/identification/batches/new): a village's candidates (农户申请). The clerk picks
 * households of the village — ordinary and marginal households are the usual candidates — each with
 * its application date and statement, and submits the batch.
 */
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { App as AntApp, Button, Card, Col, Empty, Flex, Form, Input, InputNumber, Row, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DeleteOutlined, SendOutlined } from '@ant-design/icons';
import type { BatchDto, BatchSummaryDto, CreateBatchInput } from '../contract.ts';
import type { HouseholdListItem } from '../../households/contract.ts';
import type { Page } from '../../../shared/paging.ts';
import { levelOfCode } from '../../../shared/area-code.ts';
import { get, post } from '../../../client/api-client.ts';
import { defineMessages, useI18n } from '../../../client/i18n.tsx';
import { PageHeader } from '../../../client/components/PageHeader.tsx';
import { AreaTreeSelect } from '../../../client/components/AreaTreeSelect.tsx';
import { useSession, useSignedIn } from '../../../client/session.tsx';
import { DateInput } from '../../../client/components/DateInput.tsx';
import { P, RefusalAlert, todayYmd, useCodeLabels } from './procedure-common.tsx';

/** States where an application has ended (the household may apply again). */
const ENDED: readonly string[] = ['registered', 'rejected', 'withdrawn'];

const T = defineMessages({
  title: { zh: '新建识别批次', en: 'New identification batch' },
  inBatch: { zh: '已在批次中', en: 'In a batch' },
  subtitle: { zh: '村提交本村的申请农户，作为一个批次进入民主评议', en: 'The village submits its applicants as one batch for the democratic appraisal' },
  village: { zh: '所在村', en: 'Village' },
  pickVillage: { zh: '选择村', en: 'Choose a village' },
  year: { zh: '年度', en: 'Year' },
  kind: { zh: '识别类别', en: 'Kind' },
  poverty: { zh: '贫困户识别', en: 'Poverty' },
  relativePoverty: { zh: '相对贫困户识别', en: 'Relative poverty' },
  batchTitle: { zh: '批次名称（可不填）', en: 'Title (optional)' },
  candidates: { zh: '选择申请农户', en: 'Choose the applying households' },
  search: { zh: '姓名 / 身份证号 / 户编号', en: 'Name, ID or household no.' },
  type: { zh: '户类型', en: 'Type' },
  candidateTypes: { zh: '一般农户和边缘户', en: 'Ordinary and marginal' },
  allTypes: { zh: '全部户类型', en: 'All types' },
  chosen: { zh: '已选 {n} 户', en: '{n} chosen' },
  noneChosen: { zh: '请在上面勾选申请农户', en: 'Tick the applying households above' },
  appliedOn: { zh: '申请日期', en: 'Applied on' },
  statement: { zh: '申请理由（户主陈述）', en: 'Statement' },
  remove: { zh: '移除', en: 'Remove' },
  submit: { zh: '提交批次', en: 'Submit the batch' },
  submitted: { zh: '已提交：{title}', en: 'Submitted: {title}' },
  cancel: { zh: '返回', en: 'Back' },
  needVillage: { zh: '请先选择村', en: 'Choose a village first' },
  total: { zh: '共 {n} 户', en: '{n} households' },
});

interface Chosen {
  household: HouseholdListItem;
  appliedOn: string;
  statement: string;
}

const CANDIDATE_TYPES = ['ordinary', 'marginal'];

export function NewBatchPage() {
  const { t, lang } = useI18n();
  const { scope } = useSession();
  const { user } = useSignedIn();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const codeLabel = useCodeLabels();
  const own = [user.areaCode, scope?.code].find((c) => c && levelOfCode(c) === 'village') ?? null;
  const [village, setVillage] = useState<string | null>(own);
  const [year, setYear] = useState<number>(new Date().getFullYear());
  const [kind, setKind] = useState<'poverty' | 'relativePoverty'>('poverty');
  const [title, setTitle] = useState('');
  const [q, setQ] = useState('');
  const [type, setType] = useState<string>('candidates');
  const [list, setList] = useState<Page<HouseholdListItem> | null>(null);
  const [page, setPage] = useState(1);
  const [loading, setLoading] = useState(false);
  const [chosen, setChosen] = useState<Chosen[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  /** Households of the village with an application in progress (they cannot apply again). */
  const [busy, setBusy] = useState<Set<string>>(new Set());

  useEffect(() => {
    if (!village) return;
    let live = true;
    (async () => {
      const batches = await get<Page<BatchSummaryDto>>('/identification/batches', { areaCode: village, pageSize: 200 });
      const open = batches.items.filter((b) => Object.keys(b.states).some((st) => !ENDED.includes(st)));
      const full = await Promise.all(open.map((b) => get<BatchDto>(`/identification/batches/${b.id}`)));
      return new Set(full.flatMap((b) => b.applications.filter((a) => !ENDED.includes(a.state)).map((a) => a.householdId)));
    })()
      .then((ids) => live && setBusy(ids))
      .catch(() => live && setBusy(new Set()));
    return () => {
      live = false;
    };
  }, [village]);

  const load = useCallback(async () => {
    if (!village) return;
    setLoading(true);
    try {
      // The API filters one type at a time: the usual candidates are fetched as two lists, merged.
      if (type === 'candidates') {
        const parts = await Promise.all(CANDIDATE_TYPES.map((ht) => get<Page<HouseholdListItem>>('/households', { areaCode: village, q: q || undefined, householdType: ht, page, pageSize: 20 })));
        const items = parts.flatMap((p) => p.items).sort((a, b) => a.householdNo.localeCompare(b.householdNo));
        setList({ items, total: parts.reduce((s, p) => s + p.total, 0), page, pageSize: 40 } as Page<HouseholdListItem>);
      } else {
        setList(await get<Page<HouseholdListItem>>('/households', { areaCode: village, q: q || undefined, householdType: type === 'all' ? undefined : type, page, pageSize: 20 }));
      }
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [village, q, type, page]);
  useEffect(() => {
    void load();
  }, [load]);

  const isChosen = (id: string) => chosen.some((c) => c.household.id === id);
  const toggle = (h: HouseholdListItem, on: boolean) =>
    setChosen((cs) => (on ? (cs.some((c) => c.household.id === h.id) ? cs : [...cs, { household: h, appliedOn: todayYmd(), statement: '' }]) : cs.filter((c) => c.household.id !== h.id)));
  const update = (id: string, patch: Partial<Chosen>) => setChosen((cs) => cs.map((c) => (c.household.id === id ? { ...c, ...patch } : c)));

  const submit = async () => {
    if (!village) {
      message.warning(t(T.needVillage));
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const body: CreateBatchInput = {
        areaCode: village,
        year,
        kind,
        title: title.trim() || undefined,
        applications: chosen.map((c) => ({ householdId: c.household.id, appliedOn: c.appliedOn, statement: c.statement.trim() || null })),
      };
      const b = await post<BatchDto>('/identification/batches', body);
      message.success(t(T.submitted, { title: b.title }));
      navigate(`/identification/batches/${b.id}`);
    } catch (e) {
      setError(e);
    } finally {
      setSaving(false);
    }
  };

  const columns: TableColumnsType<HouseholdListItem> = [
    { key: 'no', title: t(P.householdNo), dataIndex: 'householdNo', width: 150, responsive: ['sm'], render: (v: string) => <span className="fupin-mono">{v}</span> },
    {
      key: 'head',
      title: t(P.head),
      dataIndex: 'headName',
      render: (v: string, h) => (
        <Space size={4} wrap>
          {v}
          {busy.has(h.id) && <Tag color="blue">{t(T.inBatch)}</Tag>}
        </Space>
      ),
    },
    { key: 'members', title: t(P.members), dataIndex: 'memberCount', width: 64, align: 'right' },
    { key: 'group', title: lang === 'zh' ? '组' : 'Group', dataIndex: 'groupName', width: 70, responsive: ['md'], render: (v: string | null) => v ?? '—' },
    { key: 'type', title: t(T.type), dataIndex: 'householdType', width: 130, render: (v: string) => <Tag>{codeLabel('householdType', v)}</Tag> },
  ];

  return (
    <>
      <PageHeader
        breadcrumb={[{ key: 'i', title: <Link to="/identification">{t(P.title)}</Link> }, { key: 'n', title: t(T.title) }]}
        title={t(T.title)}
        subtitle={t(T.subtitle)}
      />
      <Card size="small" style={{ marginBottom: 12 }}>
        <Form layout="vertical" name="batch">
          <Row gutter={12}>
            <Col xs={24} md={8}>
              <Form.Item label={t(T.village)} required>
                {own ? (
                  <Typography.Text strong data-testid="batch-village">
                    {user.areaCode === own ? user.areaName : scope?.name}
                  </Typography.Text>
                ) : (
                  <AreaTreeSelect id="batch_village" rootCode={user.areaCode} levels={['village']} value={village} onChange={(c) => { setVillage(c); setPage(1); }} placeholder={t(T.pickVillage)} />
                )}
              </Form.Item>
            </Col>
            <Col xs={12} md={4}>
              <Form.Item label={t(T.year)} required>
                <InputNumber id="batch_year" min={2013} max={2100} value={year} onChange={(v) => v && setYear(v)} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} md={5}>
              <Form.Item label={t(T.kind)}>
                <Select id="batch_kind" value={kind} onChange={setKind} options={[{ value: 'poverty', label: t(T.poverty) }, { value: 'relativePoverty', label: t(T.relativePoverty) }]} />
              </Form.Item>
            </Col>
            <Col xs={24} md={7}>
              <Form.Item label={t(T.batchTitle)}>
                <Input id="batch_title" maxLength={100} value={title} onChange={(e) => setTitle(e.target.value)} />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Card>
      <Card
        size="small"
        title={t(T.candidates)}
        style={{ marginBottom: 12 }}
        extra={
          <Space wrap>
            <Select
              aria-label={t(T.type)}
              style={{ width: 160 }}
              value={type}
              onChange={(v) => {
                setPage(1);
                setType(v);
              }}
              options={[
                { value: 'candidates', label: t(T.candidateTypes) },
                { value: 'ordinary', label: codeLabel('householdType', 'ordinary') },
                { value: 'marginal', label: codeLabel('householdType', 'marginal') },
                { value: 'all', label: t(T.allTypes) },
              ]}
            />
            <Input.Search
              allowClear
              aria-label={t(T.search)}
              placeholder={t(T.search)}
              style={{ width: 220 }}
              onSearch={(v) => {
                setPage(1);
                setQ(v.trim());
              }}
            />
          </Space>
        }
        styles={{ body: { padding: 0 } }}
      >
        <Table<HouseholdListItem>
          rowKey="id"
          size="small"
          loading={loading}
          columns={columns}
          dataSource={village ? (list?.items ?? []) : []}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={village ? undefined : t(T.needVillage)} /> }}
          rowSelection={{
            selectedRowKeys: chosen.map((c) => c.household.id),
            preserveSelectedRowKeys: true,
            getCheckboxProps: (h) => ({ disabled: busy.has(h.id) }),
            onSelect: (h, on) => toggle(h, on),
            onSelectAll: (on, _rows, changed) => changed.forEach((h) => toggle(h, on)),
          }}
          onRow={(h) => ({ onClick: (e) => !busy.has(h.id) && (e.target as HTMLElement).closest('.ant-table-selection-column') === null && toggle(h, !isChosen(h.id)) })}
          pagination={{ current: page, pageSize: list?.pageSize ?? 20, total: list?.total ?? 0, onChange: setPage, showTotal: (n) => t(T.total, { n }), size: 'small' }}
        />
      </Card>
      <Card size="small" title={t(T.chosen, { n: chosen.length })} style={{ marginBottom: 12 }}>
        {chosen.length === 0 ? (
          <Typography.Text type="secondary">{t(T.noneChosen)}</Typography.Text>
        ) : (
          <Flex vertical gap={8}>
            {chosen.map((c) => (
              <Card key={c.household.id} size="small" type="inner" data-testid={`chosen-${c.household.headName}`}>
                <Row gutter={[8, 8]} align="middle">
                  <Col xs={24} md={6}>
                    <Typography.Text strong>{c.household.headName}</Typography.Text>{' '}
                    <Typography.Text type="secondary" className="fupin-mono">
                      {c.household.householdNo}
                    </Typography.Text>
                  </Col>
                  <Col xs={10} md={5}>
                    <DateInput aria-label={t(T.appliedOn)} title={t(T.appliedOn)} max={todayYmd()} value={c.appliedOn} onChange={(v) => update(c.household.id, { appliedOn: v ?? '' })} />
                  </Col>
                  <Col xs={14} md={11}>
                    <Input aria-label={t(T.statement)} placeholder={t(T.statement)} maxLength={500} value={c.statement} onChange={(e) => update(c.household.id, { statement: e.target.value })} />
                  </Col>
                  <Col xs={24} md={2} style={{ textAlign: 'right' }}>
                    <Button size="small" danger type="text" icon={<DeleteOutlined />} onClick={() => toggle(c.household, false)} aria-label={t(T.remove)}>
                      {t(T.remove)}
                    </Button>
                  </Col>
                </Row>
              </Card>
            ))}
          </Flex>
        )}
      </Card>
      <RefusalAlert error={error} />
      <Flex justify="end" gap={8}>
        <Button onClick={() => navigate('/identification')}>{t(T.cancel)}</Button>
        <Button type="primary" icon={<SendOutlined />} loading={saving} disabled={chosen.length === 0 || !village} onClick={submit}>
          {t(T.submit)}
        </Button>
      </Flex>
    </>
  );
}
