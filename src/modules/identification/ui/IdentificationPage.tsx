/**
 * 精准识别 (/identification): "待办" — what waits for the signed-in role (steps, objections, red-line
 * hits), each a link to its batch with the count and whether it can be done today — and the batches in
 * scope, filtered by year and state, with 新建识别批次 for those who may apply.
 */
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button, Card, Empty, Flex, List, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { BatchSummaryDto, WorklistItemDto } from '../contract.ts';
import { IDENTIFICATION } from '../permissions.ts';
import { IDENTIFICATION_STATES, type IdentificationAction, type IdentificationState } from '../rules.ts';
import type { Page } from '../../../shared/paging.ts';
import { get } from '../../../client/api-client.ts';
import { defineMessages, useI18n } from '../../../client/i18n.tsx';
import { PageHeader } from '../../../client/components/PageHeader.tsx';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { useServerPaging } from '../../../client/components/paging.ts';
import { useSession } from '../../../client/session.tsx';
import { formatDate } from '../../../client/format.ts';
import { ACTION_MSG, P, STATE_MSG, StateTag } from './procedure-common.tsx';

const T = defineMessages({
  subtitle: { zh: '两公示一公告：农户申请、民主评议、公示、审核、审定、公告、登记', en: 'Two notices and one announcement: apply, appraise, notice, review, approve, announce, register' },
  worklist: { zh: '待办', en: 'Waiting for me' },
  nothing: { zh: '暂无待办事项', en: 'Nothing waits for you' },
  batches: { zh: '识别批次', en: 'Batches' },
  newBatch: { zh: '新建识别批次', en: 'New batch' },
  ready: { zh: '可办理', en: 'Ready' },
  readyOn: { zh: '可于 {date} 后办理', en: 'Possible after {date}' },
  notYet: { zh: '公示期未满', en: 'Notice not ended' },
  households: { zh: '{n} 户', en: '{n} households' },
  objection: { zh: '异议待处理', en: 'Objections to decide' },
  redLine: { zh: '红线待说明', en: 'Red-line hits to justify' },
  batchTitle: { zh: '批次', en: 'Batch' },
  submitted: { zh: '提交日期', en: 'Submitted' },
  states: { zh: '各环节户数', en: 'Households per state' },
  total: { zh: '户数', en: 'Households' },
  flags: { zh: '异议 / 红线', en: 'Objections / red lines' },
  allYears: { zh: '全部年度', en: 'All years' },
  allStates: { zh: '全部环节', en: 'All states' },
  empty: { zh: '还没有识别批次', en: 'No batch yet' },
  count: { zh: '共 {n} 批', en: '{n} batches' },
  objections: { zh: '异议', en: 'Objections' },
  redLines: { zh: '红线', en: 'Red lines' },
});

/** The day before a YYYY-MM-DD date (the worklist gives the first day a step is possible; users read "after the notice's last day"). */
function dayBefore(ymd: string): string {
  const d = new Date(`${ymd}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

export function IdentificationPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const navigate = useNavigate();
  const [work, setWork] = useState<WorklistItemDto[] | null>(null);
  const [workError, setWorkError] = useState<unknown>(null);
  const [year, setYear] = useState<number | undefined>(undefined);
  const [state, setState] = useState<IdentificationState | undefined>(undefined);
  const { page, pageSize, resetPage, pagination } = useServerPaging((n) => t(T.count, { n }));
  const [data, setData] = useState<Page<BatchSummaryDto> | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);

  const loadWork = useCallback(async () => {
    setWorkError(null);
    try {
      setWork((await get<{ items: WorklistItemDto[] }>('/identification/worklist')).items);
    } catch (e) {
      setWorkError(e);
    }
  }, []);
  const loadBatches = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setData(await get<Page<BatchSummaryDto>>('/identification/batches', { year, state, page, pageSize }));
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [year, state, page, pageSize]);
  useEffect(() => {
    void loadWork();
  }, [loadWork]);
  useEffect(() => {
    void loadBatches();
  }, [loadBatches]);

  const thisYear = new Date().getFullYear();
  const years = Array.from({ length: 8 }, (_, i) => thisYear + 1 - i);

  const workLabel = (w: WorklistItemDto) => (w.kind === 'objection' ? t(T.objection) : w.kind === 'redLine' ? t(T.redLine) : w.action ? t(ACTION_MSG[w.action as IdentificationAction] ?? { zh: w.action, en: w.action }) : '');

  const columns: TableColumnsType<BatchSummaryDto> = [
    { key: 'title', title: t(T.batchTitle), render: (_, b) => <Link to={`/identification/batches/${b.id}`}>{b.title}</Link> },
    { key: 'village', title: t(P.village), width: 150, render: (_, b) => `${b.townshipName} ${b.villageName}`, responsive: ['md'] },
    { key: 'year', title: t(P.year), dataIndex: 'year', width: 70, responsive: ['md'] },
    { key: 'total', title: t(T.total), dataIndex: 'total', width: 70, align: 'right' },
    {
      key: 'states',
      title: t(T.states),
      render: (_, b) => (
        <Space size={[0, 4]} wrap>
          {IDENTIFICATION_STATES.filter((s) => b.states[s]).map((s) => (
            <StateTag key={s} state={s} count={b.states[s]} />
          ))}
        </Space>
      ),
    },
    {
      key: 'flags',
      title: t(T.flags),
      width: 130,
      responsive: ['lg'],
      render: (_, b) => (
        <Space size={0}>
          {b.openObjections > 0 && <Tag color="orange">{`${t(T.objections)} ${b.openObjections}`}</Tag>}
          {b.openRedLineHits > 0 && <Tag color="red">{`${t(T.redLines)} ${b.openRedLineHits}`}</Tag>}
          {b.openObjections === 0 && b.openRedLineHits === 0 && '—'}
        </Space>
      ),
    },
    { key: 'submitted', title: t(T.submitted), width: 110, responsive: ['lg'], render: (_, b) => formatDate(b.submittedAt) },
  ];

  return (
    <>
      <PageHeader
        title={t(P.title)}
        subtitle={t(T.subtitle)}
        extra={
          can(IDENTIFICATION['identification.apply']) && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/identification/batches/new')}>
              {t(T.newBatch)}
            </Button>
          )
        }
      />
      <Card size="small" title={t(T.worklist)} style={{ marginBottom: 12 }} data-testid="worklist">
        {workError ? (
          <LoadError error={workError} onRetry={loadWork} />
        ) : (
          <List
            loading={work === null}
            dataSource={work ?? []}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(T.nothing)} /> }}
            renderItem={(w) => (
              <List.Item key={`${w.kind}-${w.action ?? ''}-${w.batchId}`}>
                <Flex justify="space-between" align="center" gap={8} wrap style={{ width: '100%' }}>
                  <Link to={`/identification/batches/${w.batchId}`}>
                    <Typography.Text strong>{workLabel(w)}</Typography.Text>
                    {' · '}
                    {w.villageName && `${w.villageName} · `}
                    {w.batchTitle}
                  </Link>
                  <Space size={4} wrap>
                    <Typography.Text type="secondary">{t(T.households, { n: w.count })}</Typography.Text>
                    {w.ready ? <Tag color="green">{t(T.ready)}</Tag> : <Tag color="gold">{w.readyOn ? t(T.readyOn, { date: dayBefore(w.readyOn) }) : t(T.notYet)}</Tag>}
                  </Space>
                </Flex>
              </List.Item>
            )}
          />
        )}
      </Card>
      <Card
        size="small"
        title={t(T.batches)}
        extra={
          <Space wrap>
            <Select
              allowClear
              aria-label={t(P.year)}
              placeholder={t(T.allYears)}
              style={{ width: 110 }}
              value={year}
              options={years.map((y) => ({ value: y, label: String(y) }))}
              onChange={(v) => {
                resetPage();
                setYear(v ?? undefined);
              }}
            />
            <Select
              allowClear
              aria-label={t(P.state)}
              placeholder={t(T.allStates)}
              style={{ width: 140 }}
              value={state}
              options={IDENTIFICATION_STATES.map((s) => ({ value: s, label: t(STATE_MSG[s]) }))}
              onChange={(v) => {
                resetPage();
                setState(v ?? undefined);
              }}
            />
          </Space>
        }
        styles={{ body: { padding: 0 } }}
      >
        {error ? (
          <LoadError error={error} onRetry={loadBatches} />
        ) : (
          <Table<BatchSummaryDto>
            rowKey="id"
            size="small"
            loading={loading}
            columns={columns}
            dataSource={data?.items ?? []}
            pagination={pagination(data?.total ?? 0)}
            locale={{ emptyText: <Typography.Text type="secondary">{t(T.empty)}</Typography.Text> }}
          />
        )}
      </Card>
    </>
  );
}
