/**
 * 帮扶设置: the visit period (days a household may go without a visit) and the most households one
 * helper should carry, in force in an area — where they come from (this area, an area above, or the
 * defaults) — and, for roles holding assistance.settings (county officers, administrators), a form
 * to set them for the area.
 */
import { useCallback, useEffect, useState } from 'react';
import { App as AntApp, Button, Card, Descriptions, Form, InputNumber, Space, Typography } from 'antd';
import type { AssistanceSettingsDto } from '../contract.ts';
import { ASSISTANCE } from '../permissions.ts';
import { DEFAULT_ASSISTANCE_SETTINGS } from '../rules.ts';
import { applyFieldErrors, errorText, get, put } from '../../../client/api-client.ts';
import { defineMessages, useI18n } from '../../../client/i18n.tsx';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { useSession } from '../../../client/session.tsx';

const T = defineMessages({
  title: { zh: '帮扶设置', en: 'Assistance settings' },
  visitPeriod: { zh: '走访周期', en: 'Visit period' },
  maxHouseholds: { zh: '每名帮扶责任人最多帮扶户数', en: 'Households per helper at most' },
  days: { zh: '{n} 天', en: '{n} days' },
  households: { zh: '{n} 户', en: '{n} households' },
  source: { zh: '来源', en: 'Set by' },
  own: { zh: '本区域设置', en: 'This area' },
  inherited: { zh: '沿用{area}的设置', en: 'Taken from {area}' },
  defaults: { zh: '系统默认（{days} 天，{max} 户）', en: 'Defaults ({days} days, {max} households)' },
  visitHelp: { zh: '超过该天数未走访的帮扶户列入“未走访”名单（1–366 天）', en: 'Households not visited for longer are listed as not visited (1–366 days)' },
  maxHelp: { zh: '超过时提醒，不阻止结对（1–200 户）', en: 'More is warned, not refused (1–200)' },
  save: { zh: '保存设置', en: 'Save settings' },
  saved: { zh: '已保存帮扶设置', en: 'Settings saved' },
  required: { zh: '请输入', en: 'Required' },
});

export interface SettingsCardProps {
  /** The area (12-digit code) whose settings are shown and edited. */
  areaCode: string;
  /** Names of the areas above, to say where inherited settings come from. */
  areaNames?: Record<string, string>;
}

export function SettingsCard({ areaCode, areaNames = {} }: SettingsCardProps) {
  const { t, lang } = useI18n();
  const { can } = useSession();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ visitPeriodDays: number; maxHouseholdsPerHelper: number }>();
  const [data, setData] = useState<AssistanceSettingsDto | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const editable = can(ASSISTANCE['assistance.settings']);

  const load = useCallback(async () => {
    setError(null);
    try {
      setData(await get<AssistanceSettingsDto>('/assistance/settings', { areaCode }));
    } catch (e) {
      setError(e);
    }
  }, [areaCode]);
  useEffect(() => {
    void load();
  }, [load]);

  const save = async (v: { visitPeriodDays: number; maxHouseholdsPerHelper: number }) => {
    setSaving(true);
    try {
      const s = await put<AssistanceSettingsDto>('/assistance/settings', { areaCode, ...v });
      setData(s);
      message.success(t(T.saved));
    } catch (e) {
      if (!applyFieldErrors(form, e, lang)) message.error(errorText(e, lang));
    } finally {
      setSaving(false);
    }
  };

  const source = !data
    ? ''
    : data.definedAt === null
      ? t(T.defaults, { days: DEFAULT_ASSISTANCE_SETTINGS.visitPeriodDays, max: DEFAULT_ASSISTANCE_SETTINGS.maxHouseholdsPerHelper })
      : data.definedAt === areaCode
        ? t(T.own)
        : t(T.inherited, { area: areaNames[data.definedAt] ?? data.definedAt });

  return (
    <Card size="small" title={t(T.title)} loading={!data && !error} data-testid="assistance-settings">
      {error ? (
        <LoadError error={error} onRetry={load} />
      ) : data ? (
        <>
          <Descriptions size="small" column={{ xs: 1, sm: 3 }}>
            <Descriptions.Item label={t(T.visitPeriod)}>{t(T.days, { n: data.visitPeriodDays })}</Descriptions.Item>
            <Descriptions.Item label={t(T.maxHouseholds)}>{t(T.households, { n: data.maxHouseholdsPerHelper })}</Descriptions.Item>
            <Descriptions.Item label={t(T.source)}>
              <Typography.Text type="secondary">{source}</Typography.Text>
            </Descriptions.Item>
          </Descriptions>
          {editable && (
            <Form
              form={form}
              key={`${areaCode}-${data.definedAt ?? ''}`}
              layout="inline"
              initialValues={{ visitPeriodDays: data.visitPeriodDays, maxHouseholdsPerHelper: data.maxHouseholdsPerHelper }}
              onFinish={save}
              style={{ marginTop: 12, rowGap: 8 }}
            >
              <Form.Item name="visitPeriodDays" label={t(T.visitPeriod)} tooltip={t(T.visitHelp)} rules={[{ required: true, message: t(T.required) }]}>
                <InputNumber min={1} max={366} precision={0} suffix={lang === 'zh' ? '天' : 'd'} style={{ width: 120 }} />
              </Form.Item>
              <Form.Item name="maxHouseholdsPerHelper" label={t(T.maxHouseholds)} tooltip={t(T.maxHelp)} rules={[{ required: true, message: t(T.required) }]}>
                <InputNumber min={1} max={200} precision={0} suffix={lang === 'zh' ? '户' : ''} style={{ width: 110 }} />
              </Form.Item>
              <Form.Item>
                <Space>
                  <Button type="primary" htmlType="submit" loading={saving}>
                    {t(T.save)}
                  </Button>
                </Space>
              </Form.Item>
            </Form>
          )}
        </>
      ) : null}
    </Card>
  );
}
