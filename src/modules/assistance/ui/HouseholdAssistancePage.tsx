/**
 * 农户帮扶档案 (/assistance/households/:id): one household's assistance on one page, phone-first
 * (360 px): a header card (head, 户编号, village, helper), policy-coverage chips (gaps in red), and
 * cards for needs (add, move forward, mark met), this year's plan, measures (list, 记录措施 in a
 * drawer) and visits (latest, 记录走访), with the helper history at the end.
 */
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { App as AntApp, Button, Card, Descriptions, Drawer, Empty, Flex, Popconfirm, Skeleton, Tag, Timeline, Tooltip, Typography } from 'antd';
import { ArrowLeftOutlined, CameraOutlined, EditOutlined, PhoneOutlined, PlusOutlined } from '@ant-design/icons';
import { errorText, del, patch } from '../../../client/api-client.ts';
import { joinList, useI18n, type Msg } from '../../../client/i18n.tsx';
import { formatYuan } from '../../../client/format.ts';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { useSession } from '../../../client/session.tsx';
import { codeLabel } from '../../households/codes.ts';
import { ASSISTANCE } from '../permissions.ts';
import type { MeasureDto, NeedDto } from '../contract.ts';
import { MeasureForm } from './MeasureForm.tsx';
import { NeedForm, NeedMetForm } from './NeedForm.tsx';
import { PlanForm } from './PlanForm.tsx';
import { VisitForm } from './VisitForm.tsx';
import { indicatorLabel, measureTypeLabel, needCategoryLabel, needStatusColor, needStatusLabel, RM, todayCstYmd, useHouseholdAssistance } from './RecordsCommon.tsx';

type Sheet = { kind: 'measure'; measure?: MeasureDto } | { kind: 'visit' } | { kind: 'need' } | { kind: 'met'; need: NeedDto } | { kind: 'plan' } | null;

export function HouseholdAssistancePage() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const { can } = useSession();
  const { message } = AntApp.useApp();
  const { data, error, reload } = useHouseholdAssistance(id);
  const [sheet, setSheet] = useState<Sheet>(null);
  const mayRecord = can(ASSISTANCE['assistance.record']) && (data?.household.active ?? false);

  if (error) return <LoadError error={error} onRetry={reload} />;
  if (!data) return <Card><Skeleton active paragraph={{ rows: 10 }} /></Card>;
  const h = data.household;
  const year = Number(todayCstYmd().slice(0, 4));
  const plan = data.plans.find((p) => p.year === year) ?? null;
  const saved = () => {
    setSheet(null);
    void reload();
  };
  const act = async (run: () => Promise<unknown>, done: Msg = RM.saved) => {
    try {
      await run();
      message.success(t(done));
      void reload();
    } catch (e) {
      message.error(errorText(e, lang));
    }
  };
  const sheetTitle = sheet?.kind === 'measure' ? t(RM.recordMeasure) : sheet?.kind === 'visit' ? t(RM.recordVisit) : sheet?.kind === 'need' ? t(RM.addNeed) : sheet?.kind === 'met' ? t(RM.markMet) : sheet?.kind === 'plan' ? `${t(RM.plan)} · ${t(RM.year, { year })}` : '';

  return (
    <Flex vertical gap={12} className="fupin-assistance-household" style={{ maxWidth: 760, margin: '0 auto' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Link to={`/households/${h.id}`}>
          <Button icon={<ArrowLeftOutlined />}>{lang === 'zh' ? '农户详情' : 'Household'}</Button>
        </Link>
        <Link to={`/households/${h.id}/card`}>
          <Button>{lang === 'zh' ? '户卡' : 'Card'}</Button>
        </Link>
      </Flex>

      <Card data-testid="assistance-header">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {h.headName}
          <Typography.Text type="secondary" style={{ fontSize: 14, marginLeft: 8 }}>
            {h.householdNo}
          </Typography.Text>
        </Typography.Title>
        <Typography.Text type="secondary">{h.areaFullName}</Typography.Text>
        <Flex gap={4} wrap style={{ marginTop: 8 }}>
          <Tag>{codeLabel('householdType', h.householdType, lang)}</Tag>
          <Tag>{codeLabel('householdStatus', h.status, lang)}</Tag>
          {!h.active && <Tag color="red">{lang === 'zh' ? '已注销' : 'Removed'}</Tag>}
        </Flex>
        <div style={{ marginTop: 12 }}>
          <Typography.Text strong>{t(RM.helper)}：</Typography.Text>
          {data.helper ? (
            <span data-testid="current-helper">
              {data.helper.name} · {data.helper.unitName}
              {data.helper.post ? ` · ${data.helper.post}` : ''}
              {data.helper.phone && (
                <>
                  {' '}
                  {data.full ? (
                    <a href={`tel:${data.helper.phone}`}>
                      <PhoneOutlined /> {data.helper.phone}
                    </a>
                  ) : (
                    <span>
                      <PhoneOutlined /> {data.helper.phone}
                    </span>
                  )}
                </>
              )}
            </span>
          ) : (
            <Typography.Text type="danger">{t(RM.noHelper)}</Typography.Text>
          )}
        </div>
      </Card>

      <Card size="small" title={t(RM.coverage)} data-testid="coverage-chips">
        <Flex gap={6} wrap>
          {data.coverage
            .filter((c) => c.should > 0)
            .map((c) => {
              const gap = c.receives < c.should;
              return (
                <Tooltip key={c.indicator} title={gap && c.gaps.length ? joinList(c.gaps.map((g) => g.name), lang) : undefined}>
                  <Tag color={gap ? 'red' : 'green'} style={{ fontSize: 13, padding: '2px 8px', whiteSpace: 'normal' }}>
                    {indicatorLabel(c.indicator, lang)} {c.receives}/{c.should}
                    {gap && c.gaps.length > 0 ? `（${joinList(c.gaps.map((g) => g.name), lang)}）` : ''}
                  </Tag>
                </Tooltip>
              );
            })}
          {data.coverage.every((c) => c.should === 0) && <Typography.Text type="secondary">{t(RM.none)}</Typography.Text>}
        </Flex>
      </Card>

      <Section title={t(RM.needs)} action={mayRecord && <Button icon={<PlusOutlined />} onClick={() => setSheet({ kind: 'need' })}>{t(RM.addNeed)}</Button>} testId="needs">
        {data.needs.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(RM.none)} />
        ) : (
          data.needs.map((n) => (
            <Card key={n.id} size="small" style={{ marginBottom: 8 }}>
              <Flex justify="space-between" gap={8} wrap>
                <div style={{ minWidth: 0 }}>
                  <Tag color={needStatusColor(n.status)}>{needStatusLabel(n.status, lang)}</Tag>
                  <Typography.Text strong>{needCategoryLabel(n.category, lang)}</Typography.Text>
                  <div>{n.description}</div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t(RM.raisedOn)} {n.raisedOn}
                    {n.metOn ? ` · ${t(RM.metOn)} ${n.metOn}` : ''}
                    {n.metNote ? ` · ${n.metNote}` : ''}
                    {n.metByMeasureId ? ` · ${measureTypeLabel(data.measures.find((m) => m.id === n.metByMeasureId)?.type ?? '', lang)}` : ''}
                  </Typography.Text>
                </div>
                {mayRecord && n.status !== 'met' && (
                  <Flex gap={4} wrap>
                    {n.status === 'open' && <Button size="small" onClick={() => void act(() => patch(`/assistance/needs/${n.id}`, { version: n.version, status: 'inProgress' }))}>{t(RM.start)}</Button>}
                    <Button size="small" type="primary" ghost onClick={() => setSheet({ kind: 'met', need: n })}>
                      {t(RM.markMet)}
                    </Button>
                    {n.status === 'open' && (
                      <Popconfirm title={t(RM.confirmDelete)} onConfirm={() => act(() => del(`/assistance/needs/${n.id}`), RM.deleted)}>
                        <Button size="small" danger>
                          {t(RM.delete)}
                        </Button>
                      </Popconfirm>
                    )}
                  </Flex>
                )}
              </Flex>
            </Card>
          ))
        )}
      </Section>

      <Section title={`${t(RM.plan)} · ${t(RM.year, { year })}`} action={mayRecord && <Button icon={<EditOutlined />} onClick={() => setSheet({ kind: 'plan' })}>{plan ? t(RM.editPlan) : t(RM.newPlan)}</Button>} testId="plan">
        {plan ? (
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t(RM.goal)}>{plan.goal ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t(RM.plannedExitYear)}>{plan.plannedExitYear ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t(RM.plannedMeasures)}>
              <Flex vertical>
                {plan.plannedMeasures.map((m, i) => (
                  <span key={i}>
                    {measureTypeLabel(m.type, lang)}
                    {m.description ? ` · ${m.description}` : ''}
                    {m.amount !== null ? ` · ${formatYuan(m.amount, lang)}` : ''}
                  </span>
                ))}
                {plan.plannedMeasures.length === 0 && '—'}
              </Flex>
            </Descriptions.Item>
          </Descriptions>
        ) : (
          <Typography.Text type="secondary">{t(RM.noPlan)}</Typography.Text>
        )}
      </Section>

      <Section
        title={`${t(RM.measures)} · ${t(RM.total)} ${formatYuan(data.measuresAmount, lang)}`}
        action={
          mayRecord && (
            <Button type="primary" size="large" icon={<PlusOutlined />} onClick={() => setSheet({ kind: 'measure' })} data-testid="record-measure">
              {t(RM.recordMeasure)}
            </Button>
          )
        }
        testId="measures"
      >
        {data.measures.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(RM.none)} />
        ) : (
          data.measures.map((m) => (
            <Card key={m.id} size="small" style={{ marginBottom: 8 }} data-testid="measure-item">
              <Flex justify="space-between" gap={8}>
                <Typography.Text strong>{measureTypeLabel(m.type, lang)}</Typography.Text>
                <Typography.Text strong>{formatYuan(m.amount, lang)}</Typography.Text>
              </Flex>
              <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
                {m.onDate}
                {m.fundingSource ? ` · ${m.fundingSource}` : ''} · {t(RM.recordedBy)} {m.recordedByName}
              </Typography.Text>
              {m.members.length > 0 && (
                <div>
                  {m.members.map((x) => (
                    <Tag key={x.memberId} color={x.current ? undefined : 'default'} style={{ marginTop: 4 }}>
                      {x.name}
                      {x.current ? '' : `（${t(RM.leftHousehold)}）`}
                    </Tag>
                  ))}
                </div>
              )}
              {m.description && <div style={{ marginTop: 4 }}>{m.description}</div>}
              {m.canEdit && mayRecord && (
                <Flex gap={8} justify="flex-end" style={{ marginTop: 4 }}>
                  <Button size="small" icon={<EditOutlined />} onClick={() => setSheet({ kind: 'measure', measure: m })}>
                    {lang === 'zh' ? '更正' : 'Correct'}
                  </Button>
                  <Popconfirm title={t(RM.confirmDelete)} onConfirm={() => act(() => del(`/assistance/measures/${m.id}`), RM.deleted)}>
                    <Button size="small" danger>
                      {t(RM.delete)}
                    </Button>
                  </Popconfirm>
                </Flex>
              )}
            </Card>
          ))
        )}
      </Section>

      <Section
        title={`${t(RM.visits)} · ${t(RM.allVisits, { n: data.visitCount })}`}
        action={
          mayRecord && (
            <Button size="large" icon={<CameraOutlined />} onClick={() => setSheet({ kind: 'visit' })} data-testid="record-visit">
              {t(RM.recordVisit)}
            </Button>
          )
        }
        testId="visits"
      >
        {data.visits.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(RM.none)} />
        ) : (
          data.visits.map((v) => (
            <Card key={v.id} size="small" style={{ marginBottom: 8 }}>
              <Typography.Text strong>{v.visitDate}</Typography.Text> <Typography.Text type="secondary">{v.visitorName}</Typography.Text>
              <div>{v.content}</div>
              {v.problems && (
                <div>
                  <Typography.Text type="warning">{t(RM.problems)}：</Typography.Text>
                  {v.problems}
                </div>
              )}
              {v.photoIds.length > 0 && (
                <Flex gap={4} wrap style={{ marginTop: 4 }}>
                  {v.photoIds.map((p) => (
                    <a key={p} href={`/api/assistance/visits/${v.id}/photos/${p}`} target="_blank" rel="noreferrer">
                      <img src={`/api/assistance/visits/${v.id}/photos/${p}`} alt="" style={{ width: 72, height: 72, objectFit: 'cover', borderRadius: 4 }} />
                    </a>
                  ))}
                </Flex>
              )}
            </Card>
          ))
        )}
      </Section>

      <Section title={t(RM.helperHistory)} testId="helper-history">
        {data.helperHistory.length === 0 ? (
          <Typography.Text type="danger">{t(RM.noHelper)}</Typography.Text>
        ) : (
          <Timeline
            items={data.helperHistory.map((a) => ({
              key: a.assignmentId,
              color: a.endDate ? 'gray' : 'green',
              content: (
                <>
                  <Typography.Text strong>{a.name}</Typography.Text> · {a.unitName}
                  <div style={{ fontSize: 12 }}>
                    {a.endDate ? t(RM.period, { from: a.startDate, to: a.endDate }) : t(RM.since, { date: a.startDate })}
                    {a.endReason ? ` · ${a.endReason}` : ''}
                  </div>
                </>
              ),
            }))}
          />
        )}
      </Section>

      <Drawer open={sheet !== null} onClose={() => setSheet(null)} title={sheetTitle} placement="bottom" size="90%" destroyOnHidden>
        {sheet?.kind === 'measure' && <MeasureForm householdId={h.id} context={{ members: data.members, needs: data.needs }} measure={sheet.measure} onSaved={saved} onCancel={() => setSheet(null)} />}
        {sheet?.kind === 'visit' && <VisitForm householdId={h.id} onSaved={saved} />}
        {sheet?.kind === 'need' && <NeedForm householdId={h.id} onSaved={saved} onCancel={() => setSheet(null)} />}
        {sheet?.kind === 'met' && <NeedMetForm need={sheet.need} measures={data.measures} onSaved={saved} onCancel={() => setSheet(null)} />}
        {sheet?.kind === 'plan' && <PlanForm householdId={h.id} year={year} plan={plan} onSaved={saved} onCancel={() => setSheet(null)} />}
      </Drawer>
    </Flex>
  );
}

function Section({ title, action, children, testId }: { title: ReactNode; action?: ReactNode; children: ReactNode; testId: string }) {
  return (
    <Card title={<span style={{ whiteSpace: 'normal' }}>{title}</span>} extra={action || undefined} data-testid={`section-${testId}`} styles={{ header: { flexWrap: 'wrap', gap: 8, paddingBlock: 8 } }}>
      {children}
    </Card>
  );
}

