/**
 * The household page's 帮扶 tab: the helper, coverage gaps, open needs, the latest measures and the
 * last visit at a glance, with a link to the household's assistance record (/assistance/households/:id).
 */
import { Link } from 'react-router';
import { Button, Descriptions, Flex, Skeleton, Tag, Typography } from 'antd';
import { joinList, useI18n } from '../../../client/i18n.tsx';
import { formatYuan } from '../../../client/format.ts';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { indicatorLabel, measureTypeLabel, needCategoryLabel, RM, useHouseholdAssistance } from './RecordsCommon.tsx';

export function HouseholdAssistanceTab({ householdId }: { householdId: string }) {
  const { t, lang } = useI18n();
  const { data, error, reload } = useHouseholdAssistance(householdId);
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (!data) return <Skeleton active paragraph={{ rows: 4 }} />;
  const gaps = data.coverage.filter((c) => c.receives < c.should);
  const openNeeds = data.needs.filter((n) => n.status !== 'met');
  const last = data.visits[0];
  return (
    <Flex vertical gap={12} data-testid="household-assistance-tab">
      <Descriptions column={{ xs: 1, sm: 2 }} size="small" bordered styles={{ label: { whiteSpace: 'nowrap' } }}>
        <Descriptions.Item label={t(RM.helper)}>
          {data.helper ? `${data.helper.name} · ${data.helper.unitName}${data.helper.phone ? ` · ${data.helper.phone}` : ''}` : <Typography.Text type="danger">{t(RM.noHelper)}</Typography.Text>}
        </Descriptions.Item>
        <Descriptions.Item label={t(RM.coverage)}>
          {gaps.length === 0 ? (
            <Tag color="green">{lang === 'zh' ? '无缺口' : 'No gap'}</Tag>
          ) : (
            gaps.map((g) => (
              <Tag key={g.indicator} color="red">
                {indicatorLabel(g.indicator, lang)} {g.receives}/{g.should}
              </Tag>
            ))
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t(RM.needs)}>
          {openNeeds.length === 0 ? t(RM.none) : joinList(openNeeds.map((n) => needCategoryLabel(n.category, lang)), lang)}
        </Descriptions.Item>
        <Descriptions.Item label={t(RM.visits)}>{last ? `${last.visitDate} ${last.visitorName}` : <Typography.Text type="danger">{t(RM.none)}</Typography.Text>}</Descriptions.Item>
        <Descriptions.Item label={`${t(RM.measures)}（${data.measures.length}）`} span={{ xs: 1, sm: 2 }}>
          {data.measures.length === 0
            ? t(RM.none)
            : data.measures.slice(0, 5).map((m) => (
                <div key={m.id}>
                  {m.onDate} {measureTypeLabel(m.type, lang)} {m.members.length ? `（${joinList(m.members.map((x) => x.name), lang)}）` : ''} {m.amount !== null ? formatYuan(m.amount, lang) : ''}
                </div>
              ))}
          {data.measures.length > 0 && (
            <Typography.Text type="secondary">
              {t(RM.total)} {formatYuan(data.measuresAmount, lang)}
            </Typography.Text>
          )}
        </Descriptions.Item>
      </Descriptions>
      <div>
        <Link to={`/assistance/households/${householdId}`}>
          <Button type="primary">{t(RM.open)}</Button>
        </Link>
      </div>
    </Flex>
  );
}
