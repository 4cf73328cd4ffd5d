/**
 * The household card's 帮扶 part (五、帮扶情况), printed with the card: the current helper (name, unit,
 * phone masked: the card is printed and handed out), this year's plan, the measures (date, type,
 * members, amount in yuan) and the latest visits (date, visitor, content). Plain tables like the rest
 * of the card (households/ui/print.css).
 */
import { joinList, useI18n } from '../../../client/i18n.tsx';
import { maskPhone } from '../../../shared/mask.ts';
import { measureTypeLabel, RM, todayCstYmd, useHouseholdAssistance } from './RecordsCommon.tsx';

/** Yuan with two decimals and thousands separators, the unit in the column's header; '—' for none. */
const money = (v: number | null) => (v === null ? '—' : v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));

export function AssistanceCardSection({ householdId }: { householdId: string }) {
  const { t, lang } = useI18n();
  const { data, error } = useHouseholdAssistance(householdId);
  if (error) return <p>{lang === 'zh' ? '帮扶情况加载失败' : 'The assistance could not be loaded'}</p>;
  if (!data) return <p>…</p>;
  const year = Number(todayCstYmd().slice(0, 4));
  const plan = data.plans.find((p) => p.year === year);
  const h = data.helper;
  return (
    <div data-testid="card-assistance">
      <table>
        <tbody>
          <tr>
            <th style={{ width: 120 }}>{t(RM.helper)}</th>
            <td className="name">{h ? h.name : t(RM.noHelper)}</td>
            <th style={{ width: 60 }}>{lang === 'zh' ? '电话' : 'Phone'}</th>
            <td className="mono">{maskPhone(h?.phone) ?? '—'}</td>
          </tr>
          <tr>
            <th>{lang === 'zh' ? '单位 / 职务' : 'Unit / post'}</th>
            <td colSpan={3}>{h ? `${h.unitName}${h.post ? ` ${h.post}` : ''}` : '—'}</td>
          </tr>
          <tr>
            <th>{t(RM.plan)}</th>
            <td colSpan={3}>
              {plan
                ? `${plan.goal ?? ''}${plan.plannedExitYear ? `（${t(RM.plannedExitYear)} ${plan.plannedExitYear}）` : ''}`
                : t(RM.noPlan)}
            </td>
          </tr>
        </tbody>
      </table>
      <table className="compact" style={{ marginTop: 6 }}>
        <thead>
          <tr>
            <th>{t(RM.onDate)}</th>
            <th>{t(RM.type)}</th>
            <th>{t(RM.members)}</th>
            <th>{t(RM.amount)}</th>
            <th>{t(RM.fundingSource)}</th>
          </tr>
        </thead>
        <tbody>
          {data.measures.length === 0 ? (
            <tr>
              <td colSpan={5}>{t(RM.none)}</td>
            </tr>
          ) : (
            data.measures.map((m) => (
              <tr key={m.id} data-testid="card-measure">
                <td className="mono">{m.onDate}</td>
                <td>{measureTypeLabel(m.type, lang)}</td>
                <td>{joinList(m.members.map((x) => x.name), lang) || '—'}</td>
                <td className="num">{money(m.amount)}</td>
                <td>{m.fundingSource ?? '—'}</td>
              </tr>
            ))
          )}
          {data.measures.length > 0 && (
            <tr>
              <th colSpan={3}>{t(RM.total)}</th>
              <td className="num">
                <strong>{money(data.measuresAmount)}</strong>
              </td>
              <td />
            </tr>
          )}
        </tbody>
      </table>
      <table className="compact" style={{ marginTop: 6 }}>
        <thead>
          <tr>
            <th style={{ width: 90 }}>{lang === 'zh' ? '走访日期' : 'Visited'}</th>
            <th style={{ width: 80 }}>{t(RM.visitor)}</th>
            <th>{lang === 'zh' ? '走访内容' : 'Content'}</th>
          </tr>
        </thead>
        <tbody>
          {data.visits.length === 0 ? (
            <tr>
              <td colSpan={3}>{t(RM.none)}</td>
            </tr>
          ) : (
            data.visits.slice(0, 5).map((v) => (
              <tr key={v.id} data-testid="card-visit">
                <td className="mono">{v.visitDate}</td>
                <td className="name">{v.visitorName}</td>
                <td>
                  {v.content}
                  {v.problems ? `（${t(RM.problems)}：${v.problems}）` : ''}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
