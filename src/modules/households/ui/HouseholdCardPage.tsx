/**
 * The household card (/households/:id/card; 户有卡, after the 扶贫手册): the household, its members,
 * causes and income, with the helper and measures as placeholders until those exist. A4 portrait print.
 */
import { useCallback, useEffect, useState, type ComponentType } from 'react';
import { Link, useParams } from 'react-router';
import { Button, Card, Skeleton } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import type { HouseholdDto } from '../contract.ts';
import { HOUSEHOLDS } from '../permissions.ts';
import { defineMessages, joinList, useI18n } from '../../../client/i18n.tsx';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { useSession } from '../../../client/session.tsx';
import { employmentText, gradeText, HF, IF, label, loadHousehold, MF, R, showValue, yuan } from './common.tsx';
import { PrintBar, today } from './PrintBar.tsx';

const T = defineMessages({
  title: { zh: '扶贫手册 · 户有卡', en: 'Poverty alleviation handbook · household card' },
  basic: { zh: '一、家庭基本情况', en: '1. Household' },
  members: { zh: '二、家庭成员', en: '2. Members' },
  causes: { zh: '三、致贫原因', en: '3. Causes of poverty' },
  income: { zh: '四、家庭收入', en: '4. Income' },
  help: { zh: '五、帮扶情况', en: '5. Assistance' },
  helper: { zh: '帮扶责任人', en: 'Helper' },
  measures: { zh: '帮扶措施', en: 'Measures' },
  no: { zh: '序号', en: 'No.' },
  relation: { zh: '与户主关系', en: 'Relation' },
  ethnicity: { zh: '民族', en: 'Ethnic group' },
  schooling: { zh: '在校生状况', en: 'School' },
  labour: { zh: '劳动技能', en: 'Labour' },
  employment: { zh: '务工状况', en: 'Work' },
  insurance: { zh: '参保', en: 'Insured' },
  welfare: { zh: '低保/特困', en: 'Welfare' },
  medical: { zh: '医保', en: 'Medical' },
  serious: { zh: '大病', en: 'Critical' },
  pension: { zh: '养老', en: 'Pension' },
  minimum: { zh: '低保', en: 'Min. living' },
  hardship: { zh: '特困', en: 'Hardship' },
  latestYear: { zh: '{year} 年', en: '{year}' },
  noIncome: { zh: '尚未登记收入', en: 'No income recorded yet' },
  signHousehold: { zh: '户主签字：', en: 'Head\'s signature:' },
  signClerk: { zh: '填表人：', en: 'Filled in by:' },
  backToHousehold: { zh: '返回农户详情', en: 'Back to the household' },
  housing: { zh: '住房', en: 'Housing' },
  land: { zh: '耕地 / 林地（亩）', en: 'Land / forest (mu)' },
  bank: { zh: '开户银行 / 账号', en: 'Bank / account' },
});

/**
 * The household card (户卡). `helpSection` renders the 帮扶 part (helper, measures, visits) when the
 * assistance capability is composed in (client/router.tsx); without it the card says "none".
 */
export function HouseholdCardPage({ helpSection: HelpSection }: { helpSection?: ComponentType<{ householdId: string }> } = {}) {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const { can } = useSession();
  const full = can(HOUSEHOLDS['households.read-full']);
  const [h, setH] = useState<HouseholdDto | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      setH(await loadHousehold(id, full));
    } catch (e) {
      setError(e);
    }
  }, [id, full]);
  useEffect(() => {
    void load();
  }, [load]);

  if (error) return <LoadError error={error} onRetry={load} />;
  if (!h) return <Card><Skeleton active paragraph={{ rows: 12 }} /></Card>;
  const members = h.members.filter((m) => m.status === 'active');
  const latest = [...h.incomes].sort((a, b) => b.year - a.year)[0];

  return (
    <>
      <PrintBar
        left={
          <Link to={`/households/${h.id}`}>
            <Button icon={<ArrowLeftOutlined />}>{t(T.backToHousehold)}</Button>
          </Link>
        }
        note={h.full ? t(R.fullRecorded) : t(R.masked)}
      />
      <div className="fupin-sheet a4" data-testid="household-card" lang={lang === 'zh' ? 'zh-CN' : 'en'}>
        <h1>{t(T.title)}</h1>
        <div className="sub">
          {h.areaFullName}
          {h.groupName ? ` ${h.groupName}` : ''} · {t(R.householdNo)} {h.householdNo}
        </div>
        <h2>{t(T.basic)}</h2>
        <table>
          <tbody>
            <tr>
              <th>{t(R.head)}</th>
              <td className="name">{h.headName}</td>
              <th>{t(R.members)}</th>
              <td>{h.memberCount}</td>
              <th>{t(HF.phone)}</th>
              <td>{h.phone ?? '—'}</td>
            </tr>
            <tr>
              <th>{t(HF.householdType)}</th>
              <td>{label('householdType', h.householdType, lang)}</td>
              <th>{t(HF.povertyAttribute)}</th>
              <td>{label('povertyAttribute', h.povertyAttribute, lang)}</td>
              <th>{t(HF.status)}</th>
              <td>{label('householdStatus', h.status, lang)}</td>
            </tr>
            <tr>
              <th>{t(HF.identificationStandard)}</th>
              <td>{label('identificationStandard', h.identificationStandard, lang)}</td>
              <th>{t(HF.identificationYear)}</th>
              <td>{h.identificationYear ?? '—'}</td>
              <th>{t(HF.address)}</th>
              <td>{h.address ?? '—'}</td>
            </tr>
            <tr>
              <th>{t(T.housing)}</th>
              <td>
                {h.housingArea ?? '—'} m² {h.housingStructure ? label('housingStructure', h.housingStructure, lang) : ''}
                {h.housingDangerGrade ? ` ${gradeText(h.housingDangerGrade, lang)}` : ''}
              </td>
              <th>{t(T.land)}</th>
              <td>
                {h.cultivatedLand ?? '—'} / {h.forestLand ?? '—'}
              </td>
              <th>{t(T.bank)}</th>
              <td>
                {h.bankName ?? '—'} {h.bankAccount ?? ''}
              </td>
            </tr>
          </tbody>
        </table>
        <h2>{t(T.members)}</h2>
        <table className="compact">
          <thead>
            <tr>
              <th>{t(T.no)}</th>
              <th>
                {t(MF.name)}
                <br />
                {t(MF.idNumber)}
              </th>
              <th>{t(MF.sex)}</th>
              <th>{t(T.relation)}</th>
              <th>{t(T.ethnicity)}</th>
              <th>{t(MF.education)}</th>
              <th>{t(T.schooling)}</th>
              <th>{t(MF.health)}</th>
              <th>{t(T.labour)}</th>
              <th>{t(T.employment)}</th>
              <th>{t(T.insurance)}</th>
              <th>{t(T.welfare)}</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m, i) => (
              <tr key={m.id}>
                <td className="num">{i + 1}</td>
                <td>
                  <div className="name">{m.name}</div>
                  <div className="mono">{m.idNumber}</div>
                </td>
                <td>{label('sex', m.sex, lang)}</td>
                <td>{label('relationToHead', m.relationToHead, lang)}</td>
                <td>{label('ethnicity', m.ethnicity, lang)}</td>
                <td>{label('education', m.education, lang)}</td>
                <td>{label('schooling', m.schooling, lang)}</td>
                <td>{label('health', m.health, lang)}</td>
                <td>{label('labourAbility', m.labourAbility, lang)}</td>
                <td>{employmentText(m, lang)}</td>
                <td>{joinList([m.medicalInsurance ? t(T.medical) : '', m.seriousIllnessInsurance ? t(T.serious) : '', m.pensionInsurance ? t(T.pension) : ''].filter(Boolean), lang)}</td>
                <td>{joinList([m.minimumLiving ? t(T.minimum) : '', m.extremeHardship ? t(T.hardship) : ''].filter(Boolean), lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>{t(T.causes)}</h2>
        <table>
          <tbody>
            <tr>
              <th style={{ width: 120 }}>{t(HF.mainPovertyCause)}</th>
              <td>{label('povertyCause', h.mainPovertyCause, lang)}</td>
              <th style={{ width: 120 }}>{t(HF.otherPovertyCauses)}</th>
              <td>{showValue('otherPovertyCauses', h.otherPovertyCauses, lang)}</td>
            </tr>
          </tbody>
        </table>
        <h2>{t(T.income)}</h2>
        {latest ? (
          <table className="compact">
            <thead>
              <tr>
                <th>{t(IF.year)}</th>
                <th>{t(IF.wageIncome)}</th>
                <th>{t(IF.productionIncome)}</th>
                <th>{t(IF.propertyIncome)}</th>
                <th>{t(IF.transferIncome)}</th>
                <th>{t(IF.productionCosts)}</th>
                <th>{t(IF.netIncome)}</th>
                <th>{t(IF.perCapitaNetIncome)}</th>
              </tr>
            </thead>
            <tbody>
              {[...h.incomes]
                .sort((a, b) => b.year - a.year)
                .slice(0, 3)
                .map((i) => (
                  <tr key={i.year}>
                    <td>{i.year}</td>
                    <td className="num">{yuan(i.wageIncome)}</td>
                    <td className="num">{yuan(i.productionIncome)}</td>
                    <td className="num">{yuan(i.propertyIncome)}</td>
                    <td className="num">{yuan(i.transferIncome)}</td>
                    <td className="num">{yuan(i.productionCosts)}</td>
                    <td className="num">{yuan(i.netIncome)}</td>
                    <td className="num">
                      <strong>{yuan(i.perCapitaNetIncome)}</strong>
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        ) : (
          <p>{t(T.noIncome)}</p>
        )}
        <h2>{t(T.help)}</h2>
        {HelpSection ? <HelpSection householdId={h.id} /> : <table>
          <tbody>
            <tr>
              <th style={{ width: 120 }}>{t(T.helper)}</th>
              <td>{t(R.none)}</td>
            </tr>
            <tr>
              <th>{t(T.measures)}</th>
              <td>{t(R.none)}</td>
            </tr>
          </tbody>
        </table>}
        <div className="meta">
          <span>{t(T.signHousehold)}________________</span>
          <span>{t(T.signClerk)}________________</span>
          <span>{t(R.printedOn, { date: today() })}</span>
        </div>
      </div>
    </>
  );
}
