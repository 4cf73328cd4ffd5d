/**
 * The printable 公示 / 公告 list of a batch (/identification/batches/:id/notices/:kind): title, the
 * village, township and county, the dates, where it is posted and how to object, and the households
 * (序号, 户主姓名, 身份证号 masked as the server gives it, 组, 人口数, 属性, 主要致贫原因). A4 portrait;
 * in print only the sheet shows (the app chrome and the bar above it are hidden by client/app.css).
 */
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Button, Card, Skeleton, Space, Typography } from 'antd';
import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import type { NoticeKind, NoticeListDto } from '../contract.ts';
import { get } from '../../../client/api-client.ts';
import { defineMessages, useI18n } from '../../../client/i18n.tsx';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { todayYmd, useCodeLabels } from './procedure-common.tsx';

const T = defineMessages({
  back: { zh: '返回批次', en: 'Back to the batch' },
  print: { zh: '打印', en: 'Print' },
  masked: { zh: '身份证号已按规定脱敏。', en: 'ID numbers are masked.' },
  intro: {
    zh: '经农户申请、村民代表大会民主评议{more}，现将{village}{year}年拟认定对象名单{what}如下。',
    en: 'After the households’ applications and the village representatives’ appraisal{more}, the {year} list of {village} is {what} as follows.',
  },
  moreFirst: { zh: '', en: '' },
  moreSecond: { zh: '、乡镇审核', en: ' and the township review' },
  moreAnnouncement: { zh: '、乡镇审核、县审定', en: ', the township review and the county approval' },
  whatNotice: { zh: '予以公示', en: 'publicly noticed' },
  whatAnnouncement: { zh: '予以公告', en: 'announced' },
  period: { zh: '公示期：{start} 至 {end}', en: 'Notice period: {start} to {end}' },
  periodAnnouncement: { zh: '公告期：{start} 至 {end}', en: 'Announcement period: {start} to {end}' },
  postedAt: { zh: '张贴地点：{place}', en: 'Posted at: {place}' },
  object: { zh: '如有异议，请在期内向{contact}反映（可署名或匿名）。', en: 'Objections during this period go to {contact} (signed or anonymous).' },
  no: { zh: '序号', en: 'No.' },
  head: { zh: '户主姓名', en: 'Head' },
  id: { zh: '身份证号', en: 'ID number' },
  group: { zh: '组', en: 'Group' },
  members: { zh: '人口数', en: 'Persons' },
  attribute: { zh: '属性', en: 'Attribute' },
  cause: { zh: '主要致贫原因', en: 'Main cause' },
  total: { zh: '共 {n} 户 {p} 人', en: '{n} households, {p} persons' },
  issuer: { zh: '{org}（盖章）', en: '{org} (seal)' },
  printed: { zh: '打印日期：{date}', en: 'Printed on {date}' },
  none: { zh: '名单为空', en: 'The list is empty' },
});

const SHEET_CSS = `
.fupin-notice { background:#fff; color:#000; padding:24px 28px; margin:0 auto; max-width:794px; box-shadow:0 1px 6px rgba(0,0,0,.12); font-size:14px; line-height:1.6; }
.fupin-notice h1 { text-align:center; font-size:22px; margin:0 0 12px; color:#000; }
.fupin-notice:lang(zh-CN) h1 { letter-spacing:2px; }
.fupin-notice p { margin:0 0 6px; }
.fupin-notice .info { margin:8px 0 12px; }
.fupin-notice .wrap { overflow-x:auto; }
.fupin-notice table { width:100%; border-collapse:collapse; }
.fupin-notice th, .fupin-notice td { border:1px solid #000; padding:3px 6px; color:#000; }
.fupin-notice th { background:#f3f4f6; white-space:nowrap; font-weight:600; }
.fupin-notice td.num { text-align:right; white-space:nowrap; }
.fupin-notice td.mono { font-family:Consolas,'Courier New',monospace; white-space:nowrap; }
.fupin-notice td.name { white-space:nowrap; }
.fupin-notice .sign { margin-top:24px; text-align:right; }
.fupin-notice-bar { display:flex; justify-content:space-between; align-items:center; gap:8px; flex-wrap:wrap; background:#fff; padding:10px 16px; border-radius:8px; margin-bottom:12px; }
@media (max-width:600px) { .fupin-notice { padding:14px 10px; font-size:13px; } }
@media print {
  @page { size: A4; margin: 12mm; }
  .fupin-notice { box-shadow:none; padding:0; max-width:none; font-size:11pt; }
  .fupin-notice th { background:#fff !important; }
  .fupin-notice thead { display:table-header-group; }
  .fupin-notice tr { break-inside:avoid; }
}
`;

export function NoticePrintPage() {
  const { id = '', kind = 'firstNotice' } = useParams();
  const { t, lang } = useI18n();
  const codeLabel = useCodeLabels();
  const [list, setList] = useState<NoticeListDto | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      setList(await get<NoticeListDto>(`/identification/batches/${id}/notices/${kind}`));
    } catch (e) {
      setError(e);
    }
  }, [id, kind]);
  useEffect(() => {
    void load();
  }, [load]);

  if (error) return <LoadError error={error} onRetry={load} />;
  if (!list) return <Card><Skeleton active paragraph={{ rows: 10 }} /></Card>;

  const announcement = (list.kind as NoticeKind) === 'announcement';
  const more = list.kind === 'firstNotice' ? T.moreFirst : list.kind === 'secondNotice' ? T.moreSecond : T.moreAnnouncement;
  const persons = list.rows.reduce((s, r) => s + r.memberCount, 0);
  // Who posts it: the village committee (first notice), the township (second), the county (announcement).
  const org = list.kind === 'firstNotice' ? `${list.village}村民委员会` : list.kind === 'secondNotice' ? `${list.township}人民政府` : `${list.county}人民政府`;

  return (
    <>
      <style>{SHEET_CSS}</style>
      <div className="fupin-notice-bar no-print">
        <Link to={`/identification/batches/${id}`}>
          <Button icon={<ArrowLeftOutlined />}>{t(T.back)}</Button>
        </Link>
        <Space wrap>
          <Typography.Text type="secondary">{t(T.masked)}</Typography.Text>
          <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>
            {t(T.print)}
          </Button>
        </Space>
      </div>
      <div className="fupin-notice" data-testid="notice-sheet" lang={lang === 'zh' ? 'zh-CN' : 'en'}>
        <h1>{list.title}</h1>
        <p>
          {t(T.intro, { more: t(more), village: `${list.county}${list.township}${list.village}`, year: list.year, what: t(announcement ? T.whatAnnouncement : T.whatNotice) })}
        </p>
        <div className="info">
          <p data-testid="notice-period">{t(announcement ? T.periodAnnouncement : T.period, { start: list.startDate, end: list.endDate })}</p>
          <p data-testid="notice-posted">{t(T.postedAt, { place: list.postedAt })}</p>
          <p data-testid="notice-object">{t(T.object, { contact: list.objectionContact })}</p>
        </div>
        <div className="wrap">
          <table>
            <thead>
              <tr>
                <th>{t(T.no)}</th>
                <th>{t(T.head)}</th>
                <th>{t(T.id)}</th>
                <th>{t(T.group)}</th>
                <th>{t(T.members)}</th>
                <th>{t(T.attribute)}</th>
                <th>{t(T.cause)}</th>
              </tr>
            </thead>
            <tbody>
              {list.rows.length === 0 ? (
                <tr>
                  <td colSpan={7} style={{ textAlign: 'center' }}>
                    {t(T.none)}
                  </td>
                </tr>
              ) : (
                list.rows.map((r) => (
                  <tr key={r.no}>
                    <td className="num">{r.no}</td>
                    <td className="name">{r.headName}</td>
                    <td className="mono">{r.idNumberMasked}</td>
                    <td className="name">{r.groupName ?? ''}</td>
                    <td className="num">{r.memberCount}</td>
                    <td>{r.povertyAttribute ? codeLabel('povertyAttribute', r.povertyAttribute) : ''}</td>
                    <td>{r.mainPovertyCause ? codeLabel('povertyCause', r.mainPovertyCause) : ''}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
        <p style={{ marginTop: 6 }}>{t(T.total, { n: list.rows.length, p: persons })}</p>
        <div className="sign">
          <p>{lang === 'zh' ? t(T.issuer, { org }) : t(T.issuer, { org: list.kind === 'firstNotice' ? list.village : list.kind === 'secondNotice' ? list.township : list.county })}</p>
          <p>{t(T.printed, { date: todayYmd() })}</p>
        </div>
      </div>
    </>
  );
}
