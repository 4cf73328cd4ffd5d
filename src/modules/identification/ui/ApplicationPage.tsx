/**
 * One household's identification (/identification/applications/:id): every step as a timeline — the
 * date of the step, its responsible person (责任人), who entered it and when, the note — and the
 * objections raised against the household with their decisions.
 */
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Card, Col, Descriptions, Empty, List, Row, Skeleton, Tag, Timeline, Typography } from 'antd';
import type { TimelineDto } from '../contract.ts';
import type { IdentificationAction, IdentificationState } from '../rules.ts';
import { get } from '../../../client/api-client.ts';
import { defineMessages, useI18n } from '../../../client/i18n.tsx';
import { PageHeader } from '../../../client/components/PageHeader.tsx';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { formatDateTime } from '../../../client/format.ts';
import { ACTION_MSG, P, STATE_MSG, StateTag, useCodeLabels } from './procedure-common.tsx';
import { EXCLUSION_RULES, type ExclusionRuleCode } from '../exclusion-rules.ts';

const T = defineMessages({
  title: { zh: '{head}户的识别经过', en: 'Identification of {head}' },
  steps: { zh: '办理经过', en: 'Steps' },
  objections: { zh: '异议', en: 'Objections' },
  noObjection: { zh: '没有异议', en: 'No objection' },
  enteredBy: { zh: '录入：{name} {at}', en: 'Entered by {name} at {at}' },
  moved: { zh: '{from} → {to}', en: '{from} → {to}' },
  anonymous: { zh: '匿名', en: 'Anonymous' },
  applied: { zh: '申请日期', en: 'Applied on' },
  statement: { zh: '申请理由', en: 'Statement' },
  votes: { zh: '评议票数', en: 'Votes' },
  endReason: { zh: '结束理由', en: 'Reason it ended' },
  household: { zh: '农户档案', en: 'Household record' },
  investigation: { zh: '调查核实', en: 'Investigation' },
  decision: { zh: '处理理由', en: 'Reason' },
  decidedBy: { zh: '{name} 于 {date} 处理', en: 'Decided by {name} on {date}' },
  open: { zh: '待处理', en: 'Open' },
  upheld: { zh: '成立', en: 'Upheld' },
  dismissed: { zh: '不成立', en: 'Dismissed' },
  redLines: { zh: '红线（排除规则）', en: 'Red lines (exclusion rules)' },
  noRedLine: { zh: '未触及红线', en: 'No red-line hit' },
  hitOpen: { zh: '待说明', en: 'Open' },
  hitJustified: { zh: '已书面说明', en: 'Justified in writing' },
  justification: { zh: '书面说明', en: 'Justification' },
  justifiedBy: { zh: '{name} 于 {at} 说明', en: 'Justified by {name} at {at}' },
});

export function ApplicationPage() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const codeLabel = useCodeLabels();
  const [data, setData] = useState<TimelineDto | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      setData(await get<TimelineDto>(`/identification/applications/${id}`));
    } catch (e) {
      setError(e);
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);

  if (error) return <LoadError error={error} onRetry={load} />;
  if (!data) return <Card><Skeleton active paragraph={{ rows: 8 }} /></Card>;
  const a = data.application;
  const sep = lang === 'zh' ? '：' : ': ';
  const stateText = (s: string | null) => (s && s in STATE_MSG ? t(STATE_MSG[s as IdentificationState]) : (s ?? ''));

  return (
    <>
      <PageHeader
        breadcrumb={[
          { key: 'i', title: <Link to="/identification">{t(P.title)}</Link> },
          { key: 'b', title: <Link to={`/identification/batches/${a.batchId}`}>{data.batchTitle}</Link> },
          { key: 'a', title: a.headName },
        ]}
        title={t(T.title, { head: a.headName })}
        subtitle={
          <>
            <span className="fupin-mono">{a.householdNo}</span> · <Link to={`/households/${a.householdId}`}>{t(T.household)}</Link>
          </>
        }
        extra={<StateTag state={a.state} />}
      />
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
          <Descriptions.Item label={t(P.members)}>{a.memberCount}</Descriptions.Item>
          <Descriptions.Item label={t(P.attribute)}>{codeLabel('povertyAttribute', a.povertyAttribute)}</Descriptions.Item>
          <Descriptions.Item label={t(P.cause)}>{codeLabel('povertyCause', a.mainPovertyCause)}</Descriptions.Item>
          <Descriptions.Item label={t(T.applied)}>{a.appliedOn}</Descriptions.Item>
          {a.votesFor !== null && <Descriptions.Item label={t(T.votes)}>{`${a.votesFor} / ${a.votesAgainst ?? 0}`}</Descriptions.Item>}
          {a.statement && <Descriptions.Item label={t(T.statement)}>{a.statement}</Descriptions.Item>}
          {a.endReason && <Descriptions.Item label={t(T.endReason)}>{a.endReason}</Descriptions.Item>}
        </Descriptions>
      </Card>
      <Row gutter={12}>
        <Col xs={24} lg={14}>
          <Card size="small" title={t(T.steps)} style={{ marginBottom: 12 }}>
            <Timeline
              data-testid="timeline"
              items={data.steps.map((s, i) => ({
                key: i,
                color: s.toState === 'rejected' || s.toState === 'withdrawn' ? 'red' : s.toState === 'registered' ? 'green' : 'blue',
                content: (
                  <div data-testid={`step-${s.action}`}>
                    <Typography.Text strong>
                      {s.onDate} {s.action in ACTION_MSG ? t(ACTION_MSG[s.action as IdentificationAction]) : s.action}
                    </Typography.Text>
                    <div>
                      {t(P.responsiblePerson)}
                      {sep}
                      {s.responsiblePerson}
                    </div>
                    <Typography.Text type="secondary" style={{ display: 'block' }}>
                      {s.fromState ? t(T.moved, { from: stateText(s.fromState), to: stateText(s.toState) }) : stateText(s.toState)}
                      {' · '}
                      {t(T.enteredBy, { name: s.actorName, at: formatDateTime(s.at) })}
                    </Typography.Text>
                    {s.note && <div>{s.note}</div>}
                  </div>
                ),
              }))}
            />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title={t(T.objections)} style={{ marginBottom: 12 }}>
            {data.objections.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(T.noObjection)} />
            ) : (
              <List
                dataSource={data.objections}
                renderItem={(o) => (
                  <List.Item key={o.id}>
                    <List.Item.Meta
                      title={
                        <>
                          {o.raisedOn} · {o.raisedBy ?? t(T.anonymous)}{' '}
                          <Tag color={o.status === 'open' ? 'orange' : o.status === 'upheld' ? 'red' : 'default'}>{t(T[o.status])}</Tag>
                        </>
                      }
                      description={
                        <>
                          <div>{o.grounds}</div>
                          {o.investigation && (
                            <div>
                              {t(T.investigation)}
                              {sep}
                              {o.investigation}
                            </div>
                          )}
                          {o.decisionReason && (
                            <div>
                              {t(T.decision)}
                              {sep}
                              {o.decisionReason}
                            </div>
                          )}
                          {o.decidedOn && <Typography.Text type="secondary">{t(T.decidedBy, { name: o.decidedByName ?? '', date: o.decidedOn })}</Typography.Text>}
                        </>
                      }
                    />
                  </List.Item>
                )}
              />
            )}
          </Card>
          <Card size="small" title={t(T.redLines)} style={{ marginBottom: 12 }} data-testid="red-lines">
            {data.redLineHits.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(T.noRedLine)} />
            ) : (
              <List
                dataSource={data.redLineHits}
                renderItem={(h, i) => (
                  <List.Item key={i}>
                    <List.Item.Meta
                      title={
                        <>
                          {h.rule in EXCLUSION_RULES ? EXCLUSION_RULES[h.rule as ExclusionRuleCode].label[lang] : h.rule}{' '}
                          <Tag color={h.status === 'open' ? 'red' : 'gold'}>{t(h.status === 'open' ? T.hitOpen : T.hitJustified)}</Tag>
                        </>
                      }
                      description={
                        <>
                          <div>{detailText(h.detail, lang)}</div>
                          {h.justification && (
                            <div>
                              {t(T.justification)}
                              {sep}
                              {h.justification}
                            </div>
                          )}
                          {h.justifiedAt && <Typography.Text type="secondary">{t(T.justifiedBy, { name: h.justifiedByName ?? '', at: formatDateTime(h.justifiedAt) })}</Typography.Text>}
                        </>
                      }
                    />
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Col>
      </Row>
    </>
  );
}

/** A red-line detail is stored as "中文 · English": the part of the page's language. */
function detailText(detail: string, lang: string): string {
  const parts = detail.split(' · ');
  return parts.length === 2 ? (lang === 'en' ? parts[1]! : parts[0]!) : detail;
}
