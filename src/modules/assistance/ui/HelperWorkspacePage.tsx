/**
 * 我的帮扶户 (/assistance/my): a helper's workspace on a phone — how many households, visits due and
 * needs not yet met; one card per household (head, village, last visit "x 天前", 逾期, open needs) with
 * a big "记录走访" button that opens the visit form from the bottom of the screen, and a link to the
 * household's assistance record. Overdue households come first. Where the account has no helper
 * record, the page says so (officers find monitoring under 走访监测).
 */
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { Button, Card, Col, Drawer, Empty, Flex, Grid, Row, Skeleton, Space, Statistic, Tag, Typography } from 'antd';
import { EditOutlined, RightOutlined } from '@ant-design/icons';
import { get } from '../../../client/api-client.ts';
import { defineMessages, useI18n } from '../../../client/i18n.tsx';
import { PageHeader } from '../../../client/components/PageHeader.tsx';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { useSession } from '../../../client/session.tsx';
import { findCodeItem } from '../../households/codes.ts';
import type { MyHouseholdDto, MyWorkspaceDto } from '../contract.ts';
import { VisitForm } from './VisitForm.tsx';

export const MY = defineMessages({
  title: { zh: '我的帮扶户', en: 'My households' },
  subtitle: { zh: '{name}{unit}：每 {days} 天至少走访一次', en: '{name}{unit}: visit each household at least every {days} days' },
  households: { zh: '帮扶户', en: 'Households' },
  due: { zh: '待走访', en: 'Visits due' },
  needs: { zh: '待落实需求', en: 'Open needs' },
  noHelper: { zh: '您的账号还没有关联帮扶责任人', en: 'Your account is not linked to a helper record' },
  noHelperHint: { zh: '请联系乡镇扶贫专干在“帮扶单位与责任人”中关联您的账号。', en: 'Ask the township officer to link your account under “Units and helpers”.' },
  notHelperHint: { zh: '“我的帮扶户”是帮扶责任人的工作台；各户帮扶情况请在“结对帮扶”“走访监测”中查看。', en: '“My households” is the helpers’ workspace; see “Helper pairing” and “Visit monitoring” for households’ assistance.' },
  monitoring: { zh: '查看走访监测', en: 'Open visit monitoring' },
  none: { zh: '目前没有分配给您的帮扶户', en: 'No households are assigned to you yet' },
  lastVisit: { zh: '最近走访', en: 'Last visit' },
  never: { zh: '从未走访', en: 'Never visited' },
  todayVisit: { zh: '今天', en: 'today' },
  daysAgo: { zh: '{n} 天前', en: '{n} days ago' },
  overdue: { zh: '逾期', en: 'Overdue' },
  dueOn: { zh: '{date} 前走访', en: 'Visit by {date}' },
  openNeeds: { zh: '{n} 项需求待落实', en: '{n} open needs' },
  members: { zh: '{n} 人', en: '{n} persons' },
  record: { zh: '记录走访', en: 'Record a visit' },
  detail: { zh: '帮扶档案', en: 'Assistance record' },
  formTitle: { zh: '记录走访 · {name}', en: 'Record a visit · {name}' },
});

function HouseholdCard({ h, onRecord }: { h: MyHouseholdDto; onRecord: (h: MyHouseholdDto) => void }) {
  const { t, lang } = useI18n();
  const last = h.lastVisitDate === null ? t(MY.never) : h.daysSince === 0 ? t(MY.todayVisit) : t(MY.daysAgo, { n: h.daysSince ?? 0 });
  return (
    <Card size="small" data-testid="my-household" styles={{ body: { padding: 14 } }} style={h.overdue ? { borderLeft: '4px solid #cf1322' } : undefined}>
      <Flex justify="space-between" align="start" gap={8}>
        <div style={{ minWidth: 0 }}>
          <Typography.Text strong style={{ fontSize: 17 }}>
            {h.headName}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
            {t(MY.members, { n: h.memberCount })}
          </Typography.Text>
          <div>
            <Typography.Text type="secondary">
              {h.townshipName} {h.villageName} · {findCodeItem('householdType', h.householdType)?.label[lang] ?? h.householdType}
            </Typography.Text>
          </div>
        </div>
        {h.overdue && (
          <Tag color="red" style={{ marginInlineEnd: 0, fontSize: 14, padding: '2px 8px' }}>
            {t(MY.overdue)}
          </Tag>
        )}
      </Flex>
      <Flex gap={8} wrap style={{ margin: '10px 0' }}>
        <Typography.Text>
          {t(MY.lastVisit)}：<Typography.Text strong type={h.overdue ? 'danger' : undefined}>{last}</Typography.Text>
        </Typography.Text>
        {!h.overdue && h.dueOn && <Typography.Text type="secondary">{t(MY.dueOn, { date: h.dueOn })}</Typography.Text>}
        {h.openNeeds > 0 && <Tag color="orange">{t(MY.openNeeds, { n: h.openNeeds })}</Tag>}
      </Flex>
      <Flex gap={8}>
        <Button type="primary" size="large" icon={<EditOutlined />} style={{ flex: 1 }} onClick={() => onRecord(h)}>
          {t(MY.record)}
        </Button>
        <Link to={`/assistance/households/${h.householdId}`} style={{ flex: '0 0 auto' }}>
          <Button size="large">
            {t(MY.detail)} <RightOutlined />
          </Button>
        </Link>
      </Flex>
    </Card>
  );
}

export function HelperWorkspacePage() {
  const { t } = useI18n();
  const { session } = useSession();
  const screens = Grid.useBreakpoint();
  const [data, setData] = useState<MyWorkspaceDto | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [recording, setRecording] = useState<MyHouseholdDto | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      setData(await get<MyWorkspaceDto>('/assistance/my'));
    } catch (e) {
      setError(e);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  if (error) return <LoadError error={error} onRetry={load} />;
  if (!data) return <Card><Skeleton active paragraph={{ rows: 6 }} /></Card>;

  const period = data.items[0]?.visitPeriodDays;
  return (
    <div style={{ maxWidth: 760 }}>
      <PageHeader
        title={t(MY.title)}
        subtitle={data.helper && period ? t(MY.subtitle, { name: data.helper.name, unit: data.helper.unitName ? `（${data.helper.unitName}）` : '', days: period }) : data.helper?.name}
      />
      {!data.helper ? (
        <Card>
          <Empty description={<Space orientation="vertical"><Typography.Text strong>{t(MY.noHelper)}</Typography.Text><Typography.Text type="secondary">{t(session?.user.role === 'helper' ? MY.noHelperHint : MY.notHelperHint)}</Typography.Text></Space>}>
            <Link to="/assistance/visits">
              <Button>{t(MY.monitoring)}</Button>
            </Link>
          </Empty>
        </Card>
      ) : (
        <>
          <Row gutter={8} style={{ marginBottom: 12 }}>
            {[
              { key: 'households', label: t(MY.households), value: data.summary.households, color: undefined },
              { key: 'due', label: t(MY.due), value: data.summary.visitsDue, color: data.summary.visitsDue > 0 ? '#cf1322' : undefined },
              { key: 'needs', label: t(MY.needs), value: data.summary.needsOpen, color: data.summary.needsOpen > 0 ? '#d46b08' : undefined },
            ].map((s) => (
              <Col span={8} key={s.key}>
                <Card size="small" styles={{ body: { padding: '10px 12px' } }} data-testid={`my-summary-${s.key}`}>
                  <Statistic title={s.label} value={s.value} styles={{ content: { color: s.color, fontSize: 22 } }} />
                </Card>
              </Col>
            ))}
          </Row>
          {data.items.length === 0 ? (
            <Card>
              <Empty description={t(MY.none)} />
            </Card>
          ) : (
            <Flex vertical gap={10}>
              {data.items.map((h) => (
                <HouseholdCard key={h.householdId} h={h} onRecord={setRecording} />
              ))}
            </Flex>
          )}
        </>
      )}
      <Drawer
        open={recording !== null}
        onClose={() => setRecording(null)}
        title={recording ? t(MY.formTitle, { name: recording.headName }) : ''}
        placement={screens.md ? 'right' : 'bottom'}
        size={screens.md ? 480 : '92%'}
        destroyOnHidden
      >
        {recording && (
          <VisitForm
            householdId={recording.householdId}
            onSaved={() => {
              setRecording(null);
              void load();
            }}
          />
        )}
      </Drawer>
    </div>
  );
}
