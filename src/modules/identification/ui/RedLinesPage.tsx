/**
 * 红线比对 (/identification/red-lines): the red-line hits of an area — counts by rule (chart) and by
 * child area, the hits with filters (area, status, rule), the written justification (书面说明) that lets
 * a hit through; the cross-check lists (比对名单) with their upload; the rule settings of the county.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { App as AntApp, Alert, Button, Card, Col, Descriptions, Flex, Form, Input, Modal, Row, Select, Space, Statistic, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { FileSearchOutlined, ReloadOutlined } from '@ant-design/icons';
import type { RedLineHitItem, RedLineHitStatus, RedLineSummary, RefreshHitsResult } from '../exclusion-contract.ts';
import { EXCLUSION_RULES, EXCLUSION_RULE_CODES, MIN_JUSTIFICATION_LENGTH, type ExclusionRuleCode } from '../exclusion-rules.ts';
import { IDENTIFICATION } from '../permissions.ts';
import type { Page } from '../../../shared/paging.ts';
import { applyFieldErrors, errorText, get, post } from '../../../client/api-client.ts';
import { defineMessages, useI18n } from '../../../client/i18n.tsx';
import { formatDateTime } from '../../../client/format.ts';
import { PageHeader } from '../../../client/components/PageHeader.tsx';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { AreaTreeSelect } from '../../../client/components/AreaTreeSelect.tsx';
import { useServerPaging } from '../../../client/components/paging.ts';
import { useSession, useSignedIn } from '../../../client/session.tsx';
import { RedLineChart } from './RedLineChart.tsx';
import { CrossCheckListsPanel } from './CrossCheckListsPanel.tsx';
import { RedLineSettingsPanel } from './RedLineSettingsPanel.tsx';

export const RL = defineMessages({
  title: { zh: '红线比对', en: 'Red lines and cross-checks' },
  subtitle: { zh: '{area}：按“九条红线”“四不列”和部门比对名单查出的命中；命中须书面说明后才能通过审核', en: '{area}: hits of the exclusion rules and the departments’ cross-check lists; a hit blocks approval until justified in writing' },
  tabHits: { zh: '命中清单', en: 'Hits' },
  tabLists: { zh: '比对名单', en: 'Cross-check lists' },
  tabSettings: { zh: '规则设置', en: 'Rule settings' },
  refresh: { zh: '重新比对', en: 'Re-run' },
  refreshAll: { zh: '全部在册农户重新比对（回头看）', en: 'Re-run over every registered household' },
  refreshed: { zh: '已比对 {evaluated} 户：新增命中 {opened} 条，消除 {cleared} 条', en: 'Evaluated {evaluated} households: {opened} new hits, {cleared} cleared' },
  open: { zh: '待说明', en: 'Open' },
  justified: { zh: '已说明', en: 'Justified' },
  cleared: { zh: '已消除', en: 'Cleared' },
  openTotal: { zh: '待说明命中', en: 'Open hits' },
  justifiedTotal: { zh: '已书面说明', en: 'Justified' },
  byRule: { zh: '按规则', en: 'By rule' },
  byArea: { zh: '按下级区划', en: 'By area below' },
  area: { zh: '区划', en: 'Area' },
  rule: { zh: '规则', en: 'Rule' },
  status: { zh: '状态', en: 'Status' },
  allStatuses: { zh: '全部状态', en: 'All statuses' },
  allRules: { zh: '全部规则', en: 'All rules' },
  household: { zh: '户编号', en: 'Household no.' },
  head: { zh: '户主', en: 'Head' },
  village: { zh: '村', en: 'Village' },
  member: { zh: '涉及成员', en: 'Member' },
  source: { zh: '来源', en: 'Source' },
  registry: { zh: '农户档案', en: 'Registry' },
  detail: { zh: '情况', en: 'Detail' },
  foundAt: { zh: '发现时间', en: 'Found' },
  actions: { zh: '操作', en: 'Actions' },
  justify: { zh: '书面说明', en: 'Justify' },
  justifyTitle: { zh: '书面说明：{rule}', en: 'Justify: {rule}' },
  justifyHint: { zh: '说明核实经过和放行理由（至少 {n} 个字）。说明人、时间记入审计日志。', en: 'Explain what was verified and why the household may pass (at least {n} characters). Who and when are recorded in the audit log.' },
  justification: { zh: '书面说明', en: 'Justification' },
  justifiedBy: { zh: '{name} 于 {at} 说明', en: 'By {name}, {at}' },
  tooShort: { zh: '至少 {n} 个字', en: 'At least {n} characters' },
  saved: { zh: '已记录书面说明', en: 'Justification recorded' },
  empty: { zh: '没有红线命中', en: 'No red-line hits' },
  total: { zh: '共 {n} 条', en: '{n} in all' },
  hits: { zh: '命中', en: 'Hits' },
});

const STATUS_COLOR: Record<RedLineHitStatus, string> = { open: 'red', justified: 'gold', cleared: 'default' };

/** The rule's label in the current language. */
export function ruleLabel(rule: ExclusionRuleCode, lang: 'zh' | 'en'): string {
  return EXCLUSION_RULES[rule].label[lang];
}

/**
 * A hit's detail in the current language: details are stored as "中文 · English" (e.g. 「2025 年人均纯收入
 * 19,500.00 元，高于识别标准 5,105.00 元 · per-capita net income 19,500.00 yuan above the line 5,105.00」);
 * with exactly two parts the one of the language is shown, otherwise the text as it is.
 */
export function hitDetailText(detail: string | null | undefined, lang: 'zh' | 'en'): string {
  if (!detail) return '—';
  const parts = detail.split(' · ');
  return parts.length === 2 ? (lang === 'en' ? parts[1]! : parts[0]!) : detail;
}

export function RedLinesPage() {
  const { t, lang } = useI18n();
  const { scope, can } = useSession();
  const { user } = useSignedIn();
  const { message } = AntApp.useApp();
  const [areaCode, setAreaCode] = useState<string | null>(scope?.code ?? user.areaCode ?? null);
  const [status, setStatus] = useState<RedLineHitStatus | undefined>('open');
  const [rule, setRule] = useState<ExclusionRuleCode | undefined>(undefined);
  const { page, pageSize, resetPage, pagination } = useServerPaging((n) => t(RL.total, { n }));
  const [data, setData] = useState<Page<RedLineHitItem> | null>(null);
  const [summary, setSummary] = useState<RedLineSummary | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [justifying, setJustifying] = useState<RedLineHitItem | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const [tab, setTab] = useState('hits');
  const canCrossCheck = can(IDENTIFICATION['identification.cross-check']);
  const canOverride = can(IDENTIFICATION['identification.override']);

  useEffect(() => {
    if (scope?.code) setAreaCode(scope.code);
  }, [scope?.code]);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      const area = areaCode ?? undefined;
      const [p, s] = await Promise.all([
        get<Page<RedLineHitItem>>('/identification/red-line-hits', { areaCode: area, status, rule, page, pageSize }),
        get<RedLineSummary>('/identification/red-line-hits/summary', { areaCode: area }),
      ]);
      setData(p);
      setSummary(s);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [areaCode, status, rule, page, pageSize]);

  useEffect(() => {
    void load();
  }, [load]);

  const refresh = async (all: boolean) => {
    const target = areaCode ?? user.areaCode;
    if (!target) return;
    setRefreshing(true);
    try {
      const r = await post<RefreshHitsResult>('/identification/red-line-hits/refresh', { areaCode: target, all });
      void message.success(t(RL.refreshed, { evaluated: r.evaluated, opened: r.opened, cleared: r.cleared }));
      await load();
    } catch (e) {
      void message.error(errorText(e, lang));
    } finally {
      setRefreshing(false);
    }
  };

  const bars = useMemo(() => (summary?.byRule ?? []).map((r) => ({ label: ruleLabel(r.rule, lang), open: r.open, justified: r.justified })), [summary, lang]);

  const columns: TableColumnsType<RedLineHitItem> = [
    {
      key: 'household',
      title: t(RL.household),
      width: 150,
      render: (_, h) => (
        <Link to={`/households/${h.householdId}`} className="fupin-mono">
          {h.householdNo}
        </Link>
      ),
    },
    { key: 'head', title: t(RL.head), dataIndex: 'headName', width: 90 },
    { key: 'village', title: t(RL.village), width: 140, responsive: ['md'], render: (_, h) => `${h.townshipName} ${h.villageName}` },
    {
      key: 'rule',
      title: t(RL.rule),
      width: lang === 'en' ? 200 : 160,
      // Long English rule names wrap inside the tag instead of running into the next column.
      render: (_, h) => (
        <Tag color="volcano" style={{ whiteSpace: 'normal', maxWidth: '100%', marginInlineEnd: 0 }}>
          {ruleLabel(h.rule, lang)}
        </Tag>
      ),
    },
    {
      key: 'status',
      title: t(RL.status),
      width: 90,
      render: (_, h) =>
        h.status === 'justified' ? (
          <Tooltip title={<>{h.justification}<br />{t(RL.justifiedBy, { name: h.justifiedByName ?? '', at: formatDateTime(h.justifiedAt) })}</>}>
            <Tag color={STATUS_COLOR[h.status]}>{t(RL[h.status])}</Tag>
          </Tooltip>
        ) : (
          <Tag color={STATUS_COLOR[h.status]}>{t(RL[h.status])}</Tag>
        ),
    },
    {
      key: 'member',
      title: t(RL.member),
      width: 160,
      render: (_, h) =>
        h.memberName ? (
          <span>
            {h.memberName} <Typography.Text type="secondary" className="fupin-mono">{h.memberIdNumber}</Typography.Text>
          </span>
        ) : (
          '—'
        ),
    },
    { key: 'source', title: t(RL.source), width: 160, responsive: ['lg'], render: (_, h) => (h.listId ? (h.listName ?? '—') : t(RL.registry)) },
    {
      key: 'detail',
      title: t(RL.detail),
      width: 260,
      ellipsis: { showTitle: false },
      render: (_, h) => {
        const text = hitDetailText(h.detail, lang);
        return (
          <Tooltip placement="topLeft" title={text}>
            {text}
          </Tooltip>
        );
      },
    },
    { key: 'foundAt', title: t(RL.foundAt), width: 140, responsive: ['xl'], render: (_, h) => formatDateTime(h.foundAt) },
    {
      key: 'actions',
      title: t(RL.actions),
      width: 100,
      fixed: 'right',
      render: (_, h) =>
        h.status === 'open' && canOverride ? (
          <Button size="small" data-testid={`justify-${h.id}`} onClick={() => setJustifying(h)}>
            {t(RL.justify)}
          </Button>
        ) : null,
    },
  ];

  const hitsTab = (
    <>
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        <Col xs={24} lg={14}>
          <Card size="small" title={t(RL.byRule)} data-testid="red-line-summary">
            <Flex gap={32} style={{ marginBottom: 8 }}>
              <Statistic title={t(RL.openTotal)} value={summary?.open ?? 0} styles={{ content: { color: summary?.open ? '#cf1322' : undefined } }} />
              <Statistic title={t(RL.justifiedTotal)} value={summary?.justified ?? 0} />
            </Flex>
            <RedLineChart bars={bars} openLabel={t(RL.open)} justifiedLabel={t(RL.justified)} />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title={t(RL.byArea)}>
            <Table
              size="small"
              rowKey="areaCode"
              dataSource={summary?.byArea ?? []}
              pagination={{ defaultPageSize: 10, hideOnSinglePage: true }}
              locale={{ emptyText: t(RL.empty) }}
              columns={[
                {
                  key: 'name',
                  title: t(RL.area),
                  render: (_, a) =>
                    a.areaCode === areaCode ? (
                      a.name
                    ) : (
                      <Typography.Link
                        onClick={() => {
                          setAreaCode(a.areaCode);
                          resetPage();
                        }}
                      >
                        {a.name}
                      </Typography.Link>
                    ),
                },
                { key: 'open', title: t(RL.open), dataIndex: 'open', width: 90, align: 'right' },
                { key: 'justified', title: t(RL.justified), dataIndex: 'justified', width: 90, align: 'right' },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Card size="small">
        <Flex gap={8} wrap style={{ marginBottom: 12 }}>
          <div style={{ width: 260 }}>
            <AreaTreeSelect
              value={areaCode}
              rootCode={user.areaCode}
              levels={['province', 'city', 'county', 'township', 'village']}
              onChange={(c) => {
                setAreaCode(c);
                resetPage();
              }}
              placeholder={t(RL.area)}
            />
          </div>
          <Select
            style={{ width: 140 }}
            allowClear
            placeholder={t(RL.allStatuses)}
            value={status}
            onChange={(v: RedLineHitStatus | undefined) => {
              setStatus(v);
              resetPage();
            }}
            options={(['open', 'justified', 'cleared'] as const).map((s) => ({ value: s, label: t(RL[s]) }))}
            data-testid="filter-status"
          />
          <Select
            style={{ width: 220 }}
            allowClear
            placeholder={t(RL.allRules)}
            value={rule}
            onChange={(v: ExclusionRuleCode | undefined) => {
              setRule(v);
              resetPage();
            }}
            options={EXCLUSION_RULE_CODES.map((r) => ({ value: r, label: ruleLabel(r, lang) }))}
            data-testid="filter-rule"
          />
        </Flex>
        <Table
          size="small"
          rowKey="id"
          data-testid="red-line-hits"
          loading={loading}
          columns={columns}
          dataSource={data?.items ?? []}
          pagination={pagination(data?.total ?? 0)}
          scroll={{ x: 1500 }}
          locale={{ emptyText: t(RL.empty) }}
        />
      </Card>
    </>
  );

  const areaName = summary?.areaName ?? (lang === 'en' ? 'All areas' : '全国');

  return (
    <>
      <PageHeader
        title={t(RL.title)}
        subtitle={t(RL.subtitle, { area: areaName })}
        extra={
          canCrossCheck && (
            <Space wrap>
              <Button icon={<ReloadOutlined />} loading={refreshing} onClick={() => void refresh(false)} data-testid="red-line-refresh">
                {t(RL.refresh)}
              </Button>
              <Button icon={<FileSearchOutlined />} loading={refreshing} onClick={() => void refresh(true)}>
                {t(RL.refreshAll)}
              </Button>
            </Space>
          )
        }
      />
      {error ? (
        <LoadError error={error} onRetry={() => void load()} />
      ) : (
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            { key: 'hits', label: t(RL.tabHits), children: hitsTab },
            { key: 'lists', label: t(RL.tabLists), children: <CrossCheckListsPanel areaCode={areaCode} onImported={() => void load()} /> },
            { key: 'settings', label: t(RL.tabSettings), children: <RedLineSettingsPanel areaCode={areaCode} onSaved={() => void load()} /> },
          ]}
        />
      )}
      <JustifyDialog
        hit={justifying}
        onClose={() => setJustifying(null)}
        onDone={() => {
          setJustifying(null);
          void message.success(t(RL.saved));
          void load();
        }}
      />
    </>
  );
}

function JustifyDialog({ hit, onClose, onDone }: { hit: RedLineHitItem | null; onClose: () => void; onDone: () => void }) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<{ justification: string }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (v: { justification: string }) => {
    if (!hit) return;
    setSaving(true);
    setError(null);
    try {
      await post(`/identification/red-line-hits/${hit.id}/justify`, { justification: v.justification });
      onDone();
    } catch (e) {
      if (!applyFieldErrors(form, e, lang)) setError(errorText(e, lang));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={hit !== null}
      title={hit ? t(RL.justifyTitle, { rule: ruleLabel(hit.rule, lang) }) : ''}
      okText={t(RL.justify)}
      onOk={() => form.submit()}
      confirmLoading={saving}
      onCancel={onClose}
      maskClosable={false}
      destroyOnHidden
      data-testid="justify-dialog"
    >
      {hit && (
        <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
          <Descriptions.Item label={t(RL.household)}>{`${hit.householdNo} · ${hit.headName}`}</Descriptions.Item>
          {hit.memberName && <Descriptions.Item label={t(RL.member)}>{`${hit.memberName} ${hit.memberIdNumber ?? ''}`}</Descriptions.Item>}
          <Descriptions.Item label={t(RL.detail)}>{hitDetailText(hit.detail, lang)}</Descriptions.Item>
        </Descriptions>
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} preserve={false}>
        <Form.Item
          name="justification"
          label={t(RL.justification)}
          extra={t(RL.justifyHint, { n: MIN_JUSTIFICATION_LENGTH })}
          rules={[{ required: true, whitespace: true, min: MIN_JUSTIFICATION_LENGTH, message: t(RL.tooShort, { n: MIN_JUSTIFICATION_LENGTH }) }]}
        >
          <Input.TextArea rows={4} maxLength={2000} showCount data-testid="justification" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
