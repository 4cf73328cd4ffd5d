/**
 * The township archive (/townships/:code/archive; 乡有档): each village with its register's counts,
 * linking to the village register; printable on A4.
 */
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Button, Card, Skeleton } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import type { ArchiveDto } from '../contract.ts';
import { get } from '../../../client/api-client.ts';
import { defineMessages, useI18n } from '../../../client/i18n.tsx';
import { formatYears } from '../../../client/format.ts';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { useSession } from '../../../client/session.tsx';
import { PrintBar, today } from './PrintBar.tsx';

const T = defineMessages({
  title: { zh: '{township} 建档立卡档案（乡有档）', en: '{township}: registry archive' },
  no: { zh: '序号', en: 'No.' },
  village: { zh: '村（社区）', en: 'Village' },
  households: { zh: '在册户数', en: 'Households' },
  persons: { zh: '在册人数', en: 'Persons' },
  poor: { zh: '建档立卡贫困户', en: 'Registered poor' },
  notExited: { zh: '未脱贫户', en: 'Not yet out of poverty' },
  poorYears: { zh: '贫困村年度', en: 'Poor village in' },
  total: { zh: '合计', en: 'Total' },
  back: { zh: '返回区划', en: 'Back to the area' },
  register: { zh: '村有册', en: 'Register' },
});

export function TownshipArchivePage() {
  const { code = '' } = useParams();
  const { t, lang } = useI18n();
  const { setScope } = useSession();
  const [a, setA] = useState<ArchiveDto | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      const x = await get<ArchiveDto>(`/townships/${code}/archive`);
      setA(x);
      setScope({ code: x.township.code, name: x.township.name, level: 'township' });
    } catch (e) {
      setError(e);
    }
  }, [code, setScope]);
  useEffect(() => {
    void load();
  }, [load]);

  if (error) return <LoadError error={error} onRetry={load} />;
  if (!a) return <Card><Skeleton active paragraph={{ rows: 10 }} /></Card>;
  return (
    <>
      <PrintBar
        left={
          <Link to={`/areas/${code}`}>
            <Button icon={<ArrowLeftOutlined />}>{t(T.back)}</Button>
          </Link>
        }
      />
      <div className="fupin-sheet a4" data-testid="township-archive" lang={lang === 'zh' ? 'zh-CN' : 'en'}>
        <h1>{t(T.title, { township: a.township.name })}</h1>
        <div className="sub">
          {a.township.fullName} · {a.township.code}
        </div>
        <table>
          <thead>
            <tr>
              <th>{t(T.no)}</th>
              <th>{t(T.village)}</th>
              <th>{t(T.households)}</th>
              <th>{t(T.persons)}</th>
              <th>{t(T.poor)}</th>
              <th>{t(T.notExited)}</th>
              <th>{t(T.poorYears)}</th>
            </tr>
          </thead>
          <tbody>
            {a.villages.map((v, i) => (
              <tr key={v.code}>
                <td className="num">{i + 1}</td>
                <td>
                  <Link to={`/villages/${v.code}/register`}>{v.name}</Link>
                </td>
                <td className="num">{v.households}</td>
                <td className="num">{v.persons}</td>
                <td className="num">{v.registeredPoorHouseholds}</td>
                <td className="num">{v.notExitedHouseholds}</td>
                <td>{formatYears(v.poorVillageYears)}</td>
              </tr>
            ))}
            <tr>
              <th colSpan={2}>{t(T.total)}</th>
              <td className="num">{a.totals.households}</td>
              <td className="num">{a.totals.persons}</td>
              <td className="num">{a.totals.registeredPoorHouseholds}</td>
              <td className="num">{a.totals.notExitedHouseholds}</td>
              <td />
            </tr>
          </tbody>
        </table>
        <div className="meta">
          <span />
          <span>{t({ zh: '打印日期：{date}', en: 'Printed on {date}' }, { date: today() })}</span>
        </div>
      </div>
    </>
  );
}
