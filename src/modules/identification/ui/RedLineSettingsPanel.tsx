/**
 * The exclusion rules as they apply in an area: each rule, its source, what it reads, whether it is on
 * and its parameters (the income line in yuan per person per year, the months away). Holders of
 * identification.cross-check set them for their county (or wider); others read them.
 */
import { useCallback, useEffect, useState } from 'react';
import { App as AntApp, Alert, Button, Card, Flex, InputNumber, Switch, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { SaveOutlined } from '@ant-design/icons';
import type { ExclusionRuleSettingDto, ExclusionSettingsDto } from '../exclusion-contract.ts';
import { CROSS_CHECK_KIND_LABELS, type ExclusionRuleCode } from '../exclusion-rules.ts';
import { IDENTIFICATION } from '../permissions.ts';
import { levelOfCode } from '../../../shared/area-code.ts';
import { ApiError, errorText, get, put } from '../../../client/api-client.ts';
import { defineMessages, useI18n } from '../../../client/i18n.tsx';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { useSession, useSignedIn } from '../../../client/session.tsx';

const T = defineMessages({
  title: { zh: '{area}的红线规则', en: 'Exclusion rules of {area}' },
  national: { zh: '全国默认', en: 'the national default' },
  rule: { zh: '规则', en: 'Rule' },
  reads: { zh: '依据', en: 'Checked against' },
  list: { zh: '比对名单：{kind}', en: 'List: {kind}' },
  registry: { zh: '农户档案', en: 'Registry' },
  source: { zh: '政策来源', en: 'Source' },
  enabled: { zh: '启用', en: 'On' },
  params: { zh: '参数', en: 'Parameters' },
  from: { zh: '设置来自', en: 'Set by' },
  builtIn: { zh: '系统默认', en: 'Built-in default' },
  nationalRow: { zh: '全国设置', en: 'National setting' },
  line: { zh: '识别标准（元/人·年）', en: 'Line (yuan per person per year)' },
  minMonths: { zh: '县外务工不少于（月/年）', en: 'Away at least (months a year)' },
  noParams: { zh: '—', en: '—' },
  save: { zh: '保存并重新比对', en: 'Save and re-run' },
  saved: { zh: '已保存；比对 {evaluated} 户，新增命中 {opened} 条，消除 {cleared} 条', en: 'Saved; {evaluated} households checked, {opened} new hits, {cleared} cleared' },
  countyOnly: { zh: '红线规则按县（或更大范围）设置；请在上方选择县级区划，或查看下列适用于本区划的设置。', en: 'Rules are set for a county or a wider area; choose a county above, or read the settings that apply here.' },
});

const PARAM_LABELS: Record<string, keyof typeof T> = { line: 'line', minMonths: 'minMonths' };

export function RedLineSettingsPanel({ areaCode, onSaved }: { areaCode: string | null; onSaved: () => void }) {
  const { t, lang } = useI18n();
  const { can } = useSession();
  const { user } = useSignedIn();
  const { message } = AntApp.useApp();
  const [data, setData] = useState<ExclusionSettingsDto | null>(null);
  const [draft, setDraft] = useState<Record<string, { enabled: boolean; params: Record<string, number> }>>({});
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const area = areaCode ?? user.areaCode;
  const editable = can(IDENTIFICATION['identification.cross-check']) && (area === null ? user.areaCode === null : !['township', 'village'].includes(levelOfCode(area)));

  const load = useCallback(async () => {
    setError(null);
    try {
      const s = await get<ExclusionSettingsDto>('/identification/exclusion-rules', { areaCode: area ?? undefined });
      setData(s);
      setDraft(Object.fromEntries(s.rules.map((r) => [r.code, { enabled: r.enabled, params: { ...r.params } }])));
    } catch (e) {
      setError(e);
    }
  }, [area]);

  useEffect(() => {
    void load();
  }, [load]);

  const save = async () => {
    if (!data) return;
    setSaving(true);
    setSaveError(null);
    try {
      const r = await put<ExclusionSettingsDto & { refreshed: { evaluated: number; opened: number; cleared: number } }>('/identification/exclusion-rules', {
        areaCode: area,
        rules: data.rules.map((x) => ({ rule: x.code, enabled: draft[x.code]!.enabled, params: draft[x.code]!.params })),
      });
      void message.success(t(T.saved, r.refreshed));
      await load();
      onSaved();
    } catch (e) {
      setSaveError(e instanceof ApiError && e.details.issues?.length ? e.details.issues.map((i) => (lang === 'en' ? `${i.path.join('.')}: ${i.messageEn}` : `${i.path.join('.')}：${i.message}`)).join('；') : errorText(e, lang));
    } finally {
      setSaving(false);
    }
  };

  const set = (code: ExclusionRuleCode, patch: Partial<{ enabled: boolean; params: Record<string, number> }>) => setDraft((d) => ({ ...d, [code]: { ...d[code]!, ...patch } }));

  const columns: TableColumnsType<ExclusionRuleSettingDto> = [
    {
      key: 'rule',
      title: t(T.rule),
      width: 260,
      render: (_, r) => (
        <>
          <Typography.Text strong>{r.label[lang]}</Typography.Text>
          <br />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.description[lang]}
          </Typography.Text>
        </>
      ),
    },
    { key: 'reads', title: t(T.reads), width: 160, render: (_, r) => (r.listKind ? <Tag color="blue">{t(T.list, { kind: CROSS_CHECK_KIND_LABELS[r.listKind][lang] })}</Tag> : <Tag>{t(T.registry)}</Tag>) },
    { key: 'source', title: t(T.source), dataIndex: 'source', responsive: ['lg'], render: (v: string) => <Typography.Text type="secondary" style={{ fontSize: 12 }}>{v}</Typography.Text> },
    {
      key: 'enabled',
      title: t(T.enabled),
      width: 70,
      render: (_, r) => <Switch size="small" checked={draft[r.code]?.enabled ?? r.enabled} disabled={!editable} onChange={(v) => set(r.code, { enabled: v })} data-testid={`rule-${r.code}`} />,
    },
    {
      key: 'params',
      title: t(T.params),
      width: 250,
      render: (_, r) => {
        const keys = Object.keys(r.defaultParams);
        if (keys.length === 0) return t(T.noParams);
        return (
          <Flex vertical gap={4}>
            {keys.map((k) => (
              <Flex key={k} gap={6} align="center">
                <Typography.Text style={{ fontSize: 12 }}>{PARAM_LABELS[k] ? t(T[PARAM_LABELS[k]]) : k}</Typography.Text>
                <InputNumber
                  size="small"
                  style={{ width: 110 }}
                  min={k === 'minMonths' ? 1 : 0}
                  max={k === 'minMonths' ? 12 : 1_000_000}
                  precision={k === 'minMonths' ? 0 : 2}
                  disabled={!editable}
                  value={draft[r.code]?.params[k] ?? r.params[k]}
                  onChange={(v) => set(r.code, { params: { ...(draft[r.code]?.params ?? {}), [k]: typeof v === 'number' ? v : (r.defaultParams[k] ?? 0) } })}
                  data-testid={`param-${r.code}-${k}`}
                />
              </Flex>
            ))}
          </Flex>
        );
      },
    },
    { key: 'from', title: t(T.from), width: 120, responsive: ['md'], render: (_, r) => (r.from === null ? t(T.builtIn) : r.from === '' ? t(T.nationalRow) : r.from) },
  ];

  if (error) return <LoadError error={error} onRetry={() => void load()} />;
  return (
    <Card
      size="small"
      title={data ? t(T.title, { area: data.areaName ?? t(T.national) }) : ''}
      extra={
        editable && (
          <Button type="primary" size="small" icon={<SaveOutlined />} loading={saving} onClick={() => void save()} data-testid="rule-settings-save">
            {t(T.save)}
          </Button>
        )
      }
    >
      {can(IDENTIFICATION['identification.cross-check']) && !editable && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t(T.countyOnly)} />}
      {saveError && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={saveError} />}
      <Table size="small" rowKey="code" loading={data === null} columns={columns} dataSource={data?.rules ?? []} pagination={false} scroll={{ x: 900 }} />
    </Card>
  );
}
