/**
 * The household list (/households; 村有册 for a village scope): server-side paging and sorting, filters
 * by area subtree (the scope area by default), type, status, attribute, main cause, per-capita income
 * range, and a search box for name, ID number or 户编号.
 */
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button, Card, Dropdown, Flex, Input, InputNumber, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType, TableProps } from 'antd';
import { BookOutlined, DownloadOutlined, FolderOpenOutlined, IdcardOutlined, PlusOutlined, UploadOutlined, UsergroupDeleteOutlined } from '@ant-design/icons';
import type { HouseholdListItem } from '../contract.ts';
import { HOUSEHOLDS } from '../permissions.ts';
import { EXCHANGE } from '../../exchange/permissions.ts';
import type { Page } from '../../../shared/paging.ts';
import { levelOfCode } from '../../../shared/area-code.ts';
import { get } from '../../../client/api-client.ts';
import { defineMessages, useI18n } from '../../../client/i18n.tsx';
import { PageHeader } from '../../../client/components/PageHeader.tsx';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { AreaTreeSelect } from '../../../client/components/AreaTreeSelect.tsx';
import { useServerPaging } from '../../../client/components/paging.ts';
import { useSession, useSignedIn } from '../../../client/session.tsx';
import { Clip, codeOptions, label, R, yuan } from './common.tsx';

const T = defineMessages({
  export: { zh: '导出', en: 'Export' },
  exportHouseholds: { zh: '农户名单（Excel）', en: 'Households (Excel)' },
  exportMembers: { zh: '人员名单（Excel，国家系统格式）', en: 'People (Excel, national list format)' },
  exportMembersCsv: { zh: '人员名单（CSV）', en: 'People (CSV)' },
  importFile: { zh: '导入人员名单…', en: 'Import a person list…' },
  exportFull: { zh: '完整导出（含完整证件号码，记入审计日志）', en: 'Full export (full ID numbers; recorded in the audit log)' },
  duplicates: { zh: '疑似重复人员', en: 'Likely duplicates' },
  subtitle: { zh: '{area}及下级区划的建档立卡农户', en: 'Registered households in {area} and below' },
  search: { zh: '姓名 / 身份证号 / 户编号', en: 'Name, ID or household no.' },
  searchHint: { zh: '按姓名、身份证号（全号或后 4–6 位）或户编号查找', en: 'Search by name, ID number (in full or its last 4–6 digits) or household no.' },
  type: { zh: '户类型', en: 'Type' },
  group: { zh: '组', en: 'Group' },
  income: { zh: '人均纯收入', en: 'Income / person' },
  incomeOf: { zh: '{year} 年人均纯收入', en: 'Net income per person in {year}' },
  fType: { zh: '户类型', en: 'Type' },
  fStatus: { zh: '脱贫状态', en: 'Status' },
  fAttribute: { zh: '贫困户属性', en: 'Attribute' },
  fCause: { zh: '主要致贫原因', en: 'Main cause' },
  area: { zh: '区划范围', en: 'Area' },
  incomeFrom: { zh: '人均收入 ≥', en: 'Income ≥' },
  incomeTo: { zh: '≤', en: '≤' },
  reset: { zh: '重置', en: 'Reset' },
  status: { zh: '状态', en: 'Status' },
  causes: { zh: '主要致贫原因', en: 'Main cause' },
  attribute: { zh: '属性', en: 'Attribute' },
  actions: { zh: '操作', en: 'Actions' },
  detail: { zh: '详情', en: 'Open' },
  empty: { zh: '没有符合条件的农户', en: 'No household matches' },
  pickVillageFirst: { zh: '登记农户（先选村）', en: 'Register (choose a village)' },
});

type Sort = 'householdNo' | 'headName' | 'memberCount' | 'income' | 'updatedAt';

export function HouseholdListPage() {
  const { t, lang } = useI18n();
  const { scope, can } = useSession();
  const { user } = useSignedIn();
  const navigate = useNavigate();
  const [areaCode, setAreaCode] = useState<string | null>(scope?.code ?? user.areaCode ?? null);
  const [filters, setFilters] = useState<{ householdType?: string; status?: string; povertyAttribute?: string; mainPovertyCause?: string; incomeMin?: number | null; incomeMax?: number | null }>({});
  const [q, setQ] = useState('');
  const [sort, setSort] = useState<{ sort: Sort; order: 'asc' | 'desc' }>({ sort: 'householdNo', order: 'asc' });
  const { page, pageSize, resetPage, pagination } = useServerPaging((n) => t(R.total, { n }));
  const [data, setData] = useState<Page<HouseholdListItem> | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (scope?.code) setAreaCode(scope.code);
  }, [scope?.code]);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setData(await get<Page<HouseholdListItem>>('/households', { areaCode: areaCode ?? undefined, q: q || undefined, ...filters, ...sort, page, pageSize }));
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [areaCode, q, filters, sort, page, pageSize]);

  useEffect(() => {
    void load();
  }, [load]);

  const setFilter = (k: keyof typeof filters, v: unknown) => {
    resetPage();
    setFilters((f) => ({ ...f, [k]: v ?? undefined }));
  };

  const sorter = (key: Sort) => ({ sorter: true, sortOrder: sort.sort === key ? (sort.order === 'asc' ? ('ascend' as const) : ('descend' as const)) : null });
  const onChange: TableProps<HouseholdListItem>['onChange'] = (_p, _f, s) => {
    const one = Array.isArray(s) ? s[0] : s;
    if (!one?.order || !one.columnKey) setSort({ sort: 'householdNo', order: 'asc' });
    else setSort({ sort: one.columnKey as Sort, order: one.order === 'ascend' ? 'asc' : 'desc' });
  };

  const level = areaCode ? levelOfCode(areaCode) : null;
  const en = lang === 'en';
  // Widths fit 1366 px without scrolling sideways (the sider and page padding leave ~1,070 px); long
  // labels are cut with an ellipsis and shown whole in a tooltip; 属性 only on wide screens.
  const clip = { ellipsis: { showTitle: false } };
  const columns: TableColumnsType<HouseholdListItem> = [
    { key: 'householdNo', title: t(R.householdNo), dataIndex: 'householdNo', width: 146, ...sorter('householdNo'), render: (v: string, r) => <Link className="fupin-mono" to={`/households/${r.id}`}>{v}</Link> },
    { key: 'headName', title: t(R.head), dataIndex: 'headName', width: 76, ...clip, ...sorter('headName'), render: (v: string) => <Clip text={v} /> },
    { key: 'headIdNumber', title: t(R.headId), dataIndex: 'headIdNumber', width: 150, render: (v: string | null) => <span className="fupin-mono">{v ?? '—'}</span> },
    { key: 'memberCount', title: t(R.members), dataIndex: 'memberCount', width: en ? 92 : 72, align: 'right', ...sorter('memberCount') },
    {
      key: 'village',
      // Within one village only the group differs.
      title: level === 'village' ? t(T.group) : t(R.village),
      width: level === 'village' ? 64 : 110,
      ...clip,
      render: (_, r) => <Clip text={level === 'village' ? (r.groupName ?? '—') : `${r.villageName}${r.groupName ? ` ${r.groupName}` : ''}`} />,
    },
    { key: 'householdType', title: t(T.type), dataIndex: 'householdType', width: en ? 100 : 96, ...clip, render: (v: string) => <Clip text={label('householdType', v, lang)} /> },
    { key: 'povertyAttribute', title: t(T.attribute), dataIndex: 'povertyAttribute', width: 120, responsive: ['xxl'], ...clip, render: (v: string | null) => <Clip text={label('povertyAttribute', v, lang)} /> },
    { key: 'mainPovertyCause', title: t(T.causes), dataIndex: 'mainPovertyCause', width: en ? 106 : 110, ...clip, render: (v: string | null) => <Clip text={label('povertyCause', v, lang)} /> },
    {
      key: 'income',
      title: t(T.income),
      dataIndex: 'latestPerCapitaNetIncome',
      width: en ? 112 : 116,
      align: 'right',
      ...sorter('income'),
      render: (v: number | null, r) => (v === null ? '—' : <Tooltip title={t(T.incomeOf, { year: r.latestIncomeYear ?? '' })}><span className="fupin-nowrap">{yuan(v)}</span></Tooltip>),
    },
    {
      key: 'status',
      title: t(T.status),
      dataIndex: 'status',
      width: en ? 104 : 96,
      render: (v: string, r) => {
        const text = label('householdStatus', v, lang);
        return (
          <Tooltip title={r.active ? text : `${text} · ${t(R.removedTag)}`}>
            <Tag className="fupin-tag-clip" color={v === 'notExited' || v === 'returned' ? 'red' : v === 'exited' || v === 'eliminated' ? 'green' : 'gold'}>
              {r.active ? text : t(R.removedTag)}
            </Tag>
          </Tooltip>
        );
      },
    },
    {
      key: 'actions',
      title: t(T.actions),
      width: en ? 84 : 76,
      fixed: 'right',
      render: (_, r) => (
        <Space size={0} className="fupin-nowrap">
          <Button size="small" type="link" style={{ paddingInline: 4 }} onClick={() => navigate(`/households/${r.id}`)}>
            {t(T.detail)}
          </Button>
          <Tooltip title={t(R.card)}>
            <Button size="small" type="link" style={{ paddingInline: 4 }} icon={<IdcardOutlined />} onClick={() => navigate(`/households/${r.id}/card`)} aria-label={t(R.card)} />
          </Tooltip>
        </Space>
      ),
    },
  ];
  const tableWidth = columns.reduce((s, c) => s + (c.responsive ? 0 : Number(c.width ?? 0)), 0);

  const canCreate = can(HOUSEHOLDS['households.create']);
  const canReviewDuplicates = can(HOUSEHOLDS['households.duplicates']);
  const canReadFull = can(HOUSEHOLDS['households.read-full']);
  const canImport = can(EXCHANGE['exchange.import']);
  /** Downloads the filtered list (the same scope and filters as the table) as a file. */
  const download = (kind: 'households' | 'members', format: 'xlsx' | 'csv', full = false) => {
    const params = new URLSearchParams({ kind, format, full: String(full) });
    const f: Record<string, unknown> = { areaCode: areaCode ?? undefined, q: q || undefined, ...filters };
    for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
    window.location.assign(`/api/exports/households?${params.toString()}`);
  };
  const areaName = scope && scope.code === areaCode ? scope.name : (areaCode ?? '');

  return (
    <>
      <PageHeader
        title={t(R.listTitle)}
        subtitle={t(T.subtitle, { area: areaName })}
        extra={
          <>
            {level === 'village' && areaCode && (
              <Button icon={<BookOutlined />} onClick={() => navigate(`/villages/${areaCode}/register`)}>
                {t(R.villageBook)}
              </Button>
            )}
            {level === 'township' && areaCode && (
              <Button icon={<FolderOpenOutlined />} onClick={() => navigate(`/townships/${areaCode}/archive`)}>
                {t(R.townshipArchive)}
              </Button>
            )}
            <Dropdown
              menu={{
                items: [
                  { key: 'hx', label: t(T.exportHouseholds), onClick: () => download('households', 'xlsx') },
                  { key: 'mx', label: t(T.exportMembers), onClick: () => download('members', 'xlsx') },
                  { key: 'mc', label: t(T.exportMembersCsv), onClick: () => download('members', 'csv') },
                  ...(canReadFull ? [{ type: 'divider' as const }, { key: 'full', label: t(T.exportFull), onClick: () => download('members', 'xlsx', true) }] : []),
                  ...(canImport ? [{ type: 'divider' as const }, { key: 'import', icon: <UploadOutlined />, label: t(T.importFile), onClick: () => navigate('/imports') }] : []),
                ],
              }}
            >
              <Button icon={<DownloadOutlined />}>{t(T.export)}</Button>
            </Dropdown>
            {canReviewDuplicates && (
              <Button icon={<UsergroupDeleteOutlined />} onClick={() => navigate('/households/duplicates')}>
                {t(T.duplicates)}
              </Button>
            )}
            {canCreate && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate(level === 'village' ? `/households/new?village=${areaCode}` : '/households/new')}>
                {level === 'village' ? t(R.register) : t(T.pickVillageFirst)}
              </Button>
            )}
          </>
        }
      />
      <Card size="small" style={{ marginBottom: 12 }}>
        <Flex gap={8} wrap>
          <div style={{ width: 220 }}>
            <AreaTreeSelect
              rootCode={user.areaCode}
              levels={['province', 'city', 'county', 'township', 'village']}
              value={areaCode}
              valueLabel={areaName}
              onChange={(c) => {
                resetPage();
                setAreaCode(c);
              }}
              placeholder={t(T.area)}
            />
          </div>
          <Input.Search
            allowClear
            placeholder={t(T.search)}
            title={t(T.searchHint)}
            style={{ width: 260 }}
            onSearch={(v) => {
              resetPage();
              setQ(v.trim());
            }}
            aria-label={t(T.searchHint)}
          />
          <Select allowClear placeholder={t(T.fType)} aria-label={t(T.type)} style={{ width: 130 }} options={codeOptions('householdType', lang)} value={filters.householdType} onChange={(v) => setFilter('householdType', v)} />
          <Select allowClear placeholder={t(T.fStatus)} aria-label={t(T.fStatus)} style={{ width: 130 }} options={codeOptions('householdStatus', lang)} value={filters.status} onChange={(v) => setFilter('status', v)} />
          <Select allowClear placeholder={t(T.fAttribute)} aria-label={t(T.fAttribute)} style={{ width: 150 }} options={codeOptions('povertyAttribute', lang)} value={filters.povertyAttribute} onChange={(v) => setFilter('povertyAttribute', v)} />
          <Select allowClear placeholder={t(T.fCause)} aria-label={t(T.fCause)} style={{ width: 140 }} options={codeOptions('povertyCause', lang)} value={filters.mainPovertyCause} onChange={(v) => setFilter('mainPovertyCause', v)} />
          <Space.Compact>
            <InputNumber min={0} placeholder={t(T.incomeFrom)} style={{ width: 110 }} value={filters.incomeMin} onChange={(v) => setFilter('incomeMin', v)} aria-label={t(T.incomeFrom)} />
            <InputNumber min={0} placeholder={t(T.incomeTo)} style={{ width: 90 }} value={filters.incomeMax} onChange={(v) => setFilter('incomeMax', v)} aria-label={t(T.incomeTo)} />
          </Space.Compact>
          <Button
            onClick={() => {
              resetPage();
              setFilters({});
              setAreaCode(scope?.code ?? user.areaCode ?? null);
            }}
          >
            {t(T.reset)}
          </Button>
        </Flex>
      </Card>
      {error ? (
        <LoadError error={error} onRetry={load} />
      ) : (
        <Card styles={{ body: { padding: 0 } }}>
          <Table<HouseholdListItem>
            rowKey="id"
            size="small"
            loading={loading}
            columns={columns}
            dataSource={data?.items ?? []}
            pagination={pagination(data?.total ?? 0)}
            onChange={onChange}
            scroll={{ x: tableWidth }}
            locale={{ emptyText: <Typography.Text type="secondary">{t(T.empty)}</Typography.Text> }}
            onRow={(r) => ({ onDoubleClick: () => navigate(`/households/${r.id}`) })}
          />
        </Card>
      )}
    </>
  );
}
