/**
 * The village register (/villages/:code/register; 村有册): every household of the village with its key
 * columns, filterable, printed on A4 landscape.
 */
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Button, Card, Input, Select, Skeleton } from 'antd';
import { ArrowLeftOutlined, PlusOutlined } from '@ant-design/icons';
import type { AreaDetailDto } from '../../areas/contract.ts';
import type { HouseholdListItem } from '../contract.ts';
import { HOUSEHOLDS } from '../permissions.ts';
import type { Page } from '../../../shared/paging.ts';
import { get } from '../../../client/api-client.ts';
import { defineMessages, useI18n } from '../../../client/i18n.tsx';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { useSession } from '../../../client/session.tsx';
import { codeOptions, HF, label, paren, R, showValue, yuan } from './common.tsx';
import { PrintBar, today } from './PrintBar.tsx';

const T = defineMessages({
  title: { zh: '{village} 建档立卡农户花名册（村有册）', en: '{village}: register of households' },
  summary: { zh: '共 {h} 户 {p} 人', en: '{h} households, {p} persons' },
  no: { zh: '序号', en: 'No.' },
  group: { zh: '组', en: 'Group' },
  otherCauses: { zh: '其他致贫原因', en: 'Other causes' },
  type: { zh: '户类型', en: 'Type' },
  attribute: { zh: '贫困户属性', en: 'Attribute' },
  mainCause: { zh: '主要致贫原因', en: 'Main cause' },
  income: { zh: '人均纯收入（年）', en: 'Income per person' },
  status: { zh: '脱贫状态', en: 'Status' },
  year: { zh: '识别年度', en: 'Identified' },
  search: { zh: '户主姓名 / 身份证号 / 户编号', en: 'Head, ID or household no.' },
  fType: { zh: '户类型', en: 'Type' },
  fStatus: { zh: '脱贫状态', en: 'Status' },
  back: { zh: '返回农户列表', en: 'Back to the list' },
  village: { zh: '村', en: 'Village' },
  maker: { zh: '制表人：', en: 'Prepared by:' },
  checker: { zh: '审核人：', en: 'Checked by:' },
  truncated: { zh: '仅显示前 {n} 户', en: 'Only the first {n} households are shown' },
});

const MAX = 5000;

export function VillageRegisterPage() {
  const { code = '' } = useParams();
  const { t, lang } = useI18n();
  const { can, setScope } = useSession();
  const navigate = useNavigate();
  const [area, setArea] = useState<AreaDetailDto | null>(null);
  const [rows, setRows] = useState<HouseholdListItem[] | null>(null);
  const [total, setTotal] = useState(0);
  const [filters, setFilters] = useState<{ householdType?: string; status?: string; q?: string }>({});
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    setError(null);
    setRows(null);
    try {
      const a = await get<AreaDetailDto>(`/areas/${code}`);
      setArea(a);
      setScope({ code: a.code, name: a.name, level: a.level });
      const all: HouseholdListItem[] = [];
      let n = 0;
      for (let page = 1; ; page++) {
        const p = await get<Page<HouseholdListItem>>('/households', { areaCode: code, ...filters, sort: 'householdNo', order: 'asc', page, pageSize: 200 });
        all.push(...p.items);
        n = p.total;
        if (all.length >= p.total || p.items.length === 0 || all.length >= MAX) break;
      }
      setRows(all);
      setTotal(n);
    } catch (e) {
      setError(e);
    }
  }, [code, filters, setScope]);

  useEffect(() => {
    void load();
  }, [load]);

  if (error) return <LoadError error={error} onRetry={load} />;
  const persons = rows?.reduce((s, r) => s + r.memberCount, 0) ?? 0;

  return (
    <>
      <PrintBar
        landscape
        left={
          <>
            <Link to="/households">
              <Button icon={<ArrowLeftOutlined />}>{t(T.back)}</Button>
            </Link>
            <Input.Search allowClear placeholder={t(T.search)} aria-label={t(T.search)} style={{ width: 240 }} onSearch={(v) => setFilters((f) => ({ ...f, q: v.trim() || undefined }))} />
            <Select allowClear placeholder={t(T.fType)} aria-label={t(HF.householdType)} style={{ width: 140 }} options={codeOptions('householdType', lang)} value={filters.householdType} onChange={(v?: string) => setFilters((f) => ({ ...f, householdType: v }))} />
            <Select allowClear placeholder={t(T.fStatus)} aria-label={t(HF.status)} style={{ width: 130 }} options={codeOptions('householdStatus', lang)} value={filters.status} onChange={(v?: string) => setFilters((f) => ({ ...f, status: v }))} />
            {can(HOUSEHOLDS['households.create']) && (
              <Button icon={<PlusOutlined />} onClick={() => navigate(`/households/new?village=${code}`)}>
                {t(R.register)}
              </Button>
            )}
          </>
        }
        note={t(R.masked)}
      />
      {!rows || !area ? (
        <Card>
          <Skeleton active paragraph={{ rows: 12 }} />
        </Card>
      ) : (
        <div className="fupin-sheet a4-landscape" data-testid="village-register" lang={lang === 'zh' ? 'zh-CN' : 'en'}>
          <h1>{t(T.title, { village: area.name })}</h1>
          <div className="sub">
            {area.fullName} · {area.code} · {t(T.summary, { h: total, p: persons })}
            {rows.length < total ? ` · ${t(T.truncated, { n: rows.length })}` : ''}
          </div>
          <table className="compact">
            <thead>
              <tr>
                <th>{t(T.no)}</th>
                <th>{t(R.householdNo)}</th>
                <th>{t(R.head)}</th>
                <th>{t(R.headId)}</th>
                <th>{t(R.members)}</th>
                <th>{t(T.group)}</th>
                <th>{t(T.type)}</th>
                <th>{t(T.attribute)}</th>
                <th>{t(T.mainCause)}</th>
                <th>{t(T.otherCauses)}</th>
                <th>{t(T.year)}</th>
                <th>{t(T.income)}</th>
                <th>{t(T.status)}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={r.id}>
                  <td className="num">{i + 1}</td>
                  <td className="mono">
                    <Link to={`/households/${r.id}`}>{r.householdNo}</Link>
                  </td>
                  <td className="name">{r.headName}</td>
                  <td className="mono">{r.headIdNumber ?? '—'}</td>
                  <td className="num">{r.memberCount}</td>
                  <td className="name">{r.groupName ?? ''}</td>
                  <td>{label('householdType', r.householdType, lang)}</td>
                  <td>{label('povertyAttribute', r.povertyAttribute, lang)}</td>
                  <td>{label('povertyCause', r.mainPovertyCause, lang)}</td>
                  <td>{showValue('otherPovertyCauses', r.otherPovertyCauses, lang)}</td>
                  <td>{r.identificationYear ?? ''}</td>
                  <td className="num">{r.latestPerCapitaNetIncome === null ? '—' : yuan(r.latestPerCapitaNetIncome)}</td>
                  <td>
                    {label('householdStatus', r.status, lang)}
                    {!r.active ? paren(t(R.removedTag), lang) : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="meta">
            <span>{t(T.maker)}________________</span>
            <span>{t(T.checker)}________________</span>
            <span>{t(R.printedOn, { date: today() })}</span>
          </div>
        </div>
      )}
    </>
  );
}
