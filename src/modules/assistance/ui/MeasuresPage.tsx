/**
 * 帮扶措施台账: the measures delivered in an area, filtered by group, type and year, with the number of
 * measures, the households reached and the total in yuan — what a township or county office reports
 * upward. Each row leads to the household's assistance page.
 */
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Card, Col, Row, Select, Space, Statistic, Table, Tag } from 'antd';
import type { AreaLevel } from '../../../shared/area-code.ts';
import { get } from '../../../client/api-client.ts';
import { AreaTreeSelect } from '../../../client/components/AreaTreeSelect.tsx';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { PageHeader } from '../../../client/components/PageHeader.tsx';
import { formatYuan } from '../../../client/format.ts';
import { defineMessages, joinList, useI18n } from '../../../client/i18n.tsx';
import { useSession } from '../../../client/session.tsx';
import { labelOf, MEASURE_GROUP, MEASURE_TYPE } from '../codes.ts';
import type { MeasureListItemDto, MeasurePageDto } from '../contract.ts';

const T = defineMessages({
  title: { zh: '帮扶措施台账', en: 'Measures delivered' },
  subtitle: { zh: '按区域、类别和年度查看已落实的帮扶措施及金额', en: 'Measures delivered in an area, by group, type and year, with the amounts' },
  area: { zh: '区域', en: 'Area' },
  group: { zh: '措施类别', en: 'Group' },
  type: { zh: '措施类型', en: 'Type' },
  year: { zh: '年度', en: 'Year' },
  all: { zh: '全部', en: 'All' },
  count: { zh: '措施（项）', en: 'Measures' },
  households: { zh: '惠及农户（户）', en: 'Households reached' },
  amount: { zh: '金额合计', en: 'Total amount' },
  onDate: { zh: '落实日期', en: 'Date' },
  household: { zh: '农户', en: 'Household' },
  village: { zh: '村', en: 'Village' },
  members: { zh: '享受成员', en: 'Members' },
  money: { zh: '金额', en: 'Amount' },
  fundingSource: { zh: '资金来源', en: 'Funding source' },
  recordedBy: { zh: '记录人', en: 'Recorded by' },
});

const LEVELS: readonly AreaLevel[] = ['province', 'city', 'county', 'township', 'village'];

export function MeasuresPage() {
  const { t, lang } = useI18n();
  const { scope } = useSession();
  const thisYear = new Date().getFullYear();
  const [areaCode, setAreaCode] = useState<string | null>(scope?.code ?? null);
  const [group, setGroup] = useState<string | undefined>();
  const [type, setType] = useState<string | undefined>();
  const [year, setYear] = useState<number | undefined>(thisYear);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [data, setData] = useState<MeasurePageDto | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setData(await get<MeasurePageDto>('/assistance/measures', { areaCode: areaCode ?? undefined, group, type, year, page, pageSize }));
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [areaCode, group, type, year, page, pageSize]);
  useEffect(() => {
    void load();
  }, [load]);

  const types = MEASURE_TYPE.filter((m) => !group || m.group === group);
  return (
    <>
      <PageHeader title={t(T.title)} subtitle={t(T.subtitle)} />
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <span style={{ minWidth: 240, display: 'inline-block' }}>
            <AreaTreeSelect value={areaCode} rootCode={null} levels={LEVELS} placeholder={t(T.area)} onChange={(c) => (setAreaCode(c), setPage(1))} />
          </span>
          <Select
            aria-label={t(T.group)}
            style={{ width: 220 }}
            allowClear
            placeholder={t(T.group)}
            value={group}
            onChange={(g: string | undefined) => (setGroup(g), setType(undefined), setPage(1))}
            options={MEASURE_GROUP.map((g) => ({ value: g.value, label: g.label[lang] }))}
          />
          <Select
            aria-label={t(T.type)}
            style={{ width: 220 }}
            allowClear
            placeholder={t(T.type)}
            value={type}
            onChange={(v: string | undefined) => (setType(v), setPage(1))}
            options={types.map((m) => ({ value: m.value, label: m.label[lang] }))}
          />
          <Select
            aria-label={t(T.year)}
            style={{ width: 120 }}
            value={year ?? 0}
            onChange={(y: number) => (setYear(y === 0 ? undefined : y), setPage(1))}
            options={[{ value: 0, label: t(T.all) }, ...Array.from({ length: 6 }, (_, i) => ({ value: thisYear - i, label: String(thisYear - i) }))]}
          />
        </Space>
        {error ? (
          <LoadError error={error} onRetry={load} />
        ) : (
          <>
            <Row gutter={16} style={{ marginBottom: 16 }}>
              <Col xs={24} sm={8}>
                <Statistic title={t(T.count)} value={data?.total ?? 0} loading={!data} />
              </Col>
              <Col xs={24} sm={8}>
                <Statistic title={t(T.households)} value={data?.households ?? 0} loading={!data} />
              </Col>
              <Col xs={24} sm={8}>
                <Statistic title={t(T.amount)} value={formatYuan(data?.totalAmount ?? 0, lang)} loading={!data} />
              </Col>
            </Row>
            <Table<MeasureListItemDto>
              rowKey="id"
              size="small"
              loading={loading}
              dataSource={data?.items ?? []}
              scroll={{ x: 1180 }}
              pagination={{ current: page, pageSize, total: data?.total ?? 0, showSizeChanger: true, onChange: (p, s) => (setPage(p), setPageSize(s)) }}
              columns={[
                { title: t(T.onDate), dataIndex: 'onDate', width: 110 },
                {
                  title: t(T.household),
                  key: 'h',
                  width: 200,
                  render: (_, m) => (
                    <Link to={`/assistance/households/${m.householdId}`}>
                      {m.headName} <span style={{ color: '#888' }}>{m.householdNo}</span>
                    </Link>
                  ),
                },
                { title: t(T.village), dataIndex: 'villageName', width: 120 },
                {
                  title: t(T.type),
                  key: 'type',
                  width: 200,
                  render: (_, m) => (
                    <Space size={4} wrap>
                      <Tag>{labelOf(MEASURE_GROUP, m.group, lang)}</Tag>
                      {labelOf(MEASURE_TYPE, m.type, lang)}
                    </Space>
                  ),
                },
                { title: t(T.members), key: 'members', width: 160, render: (_, m) => joinList(m.members.map((x) => x.name), lang) || '—' },
                { title: t(T.money), key: 'amount', align: 'right', width: 130, render: (_, m) => formatYuan(m.amount, lang) },
                { title: t(T.fundingSource), dataIndex: 'fundingSource', width: 160, render: (v: string | null) => v ?? '—' },
                { title: t(T.recordedBy), dataIndex: 'recordedByName', width: 120 },
              ]}
            />
          </>
        )}
      </Card>
    </>
  );
}
