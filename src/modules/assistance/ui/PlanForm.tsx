/**
 * A household's yearly plan (脱贫计划): goal, planned exit year and planned measures (type, what,
 * amount in yuan). Saves at the plan's version (a plan changed by someone else meanwhile is refused).
 */
import { useState } from 'react';
import { App as AntApp, Button, Card, Flex, Form, Input, InputNumber, Select, Space } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { ApiError, applyFieldErrors, errorText, put } from '../../../client/api-client.ts';
import { useI18n } from '../../../client/i18n.tsx';
import type { PlanDto } from '../contract.ts';
import { measureTypeOptions, RM } from './RecordsCommon.tsx';

interface Values {
  goal?: string;
  plannedExitYear?: number | null;
  plannedMeasures: { type?: string; description?: string; amount?: number | null }[];
}

export function PlanForm({ householdId, year, plan, onSaved, onCancel }: { householdId: string; year: number; plan: PlanDto | null; onSaved?: () => void; onCancel?: () => void }) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  return (
    <Form<Values>
      form={form}
      layout="vertical"
      size="large"
      data-testid="plan-form"
      initialValues={plan ? { goal: plan.goal ?? '', plannedExitYear: plan.plannedExitYear, plannedMeasures: plan.plannedMeasures } : { plannedExitYear: year, plannedMeasures: [] }}
      onFinish={async (v) => {
        setSaving(true);
        try {
          await put('/assistance/plans', {
            householdId,
            year,
            version: plan?.version ?? 0,
            goal: v.goal || null,
            plannedExitYear: v.plannedExitYear ?? null,
            plannedMeasures: (v.plannedMeasures ?? []).map((m) => ({ type: m.type, description: m.description ?? '', amount: m.amount ?? null })),
          });
          message.success(t(RM.saved));
          onSaved?.();
        } catch (e) {
          if (e instanceof ApiError && e.code === 'STALE_EDIT') message.error(errorText(e, lang));
          else if (!applyFieldErrors(form, e, lang)) message.error(errorText(e, lang));
        } finally {
          setSaving(false);
        }
      }}
    >
      <Form.Item name="goal" label={t(RM.goal)}>
        <Input.TextArea rows={2} maxLength={1000} />
      </Form.Item>
      <Form.Item name="plannedExitYear" label={t(RM.plannedExitYear)}>
        <InputNumber min={year} max={2100} style={{ width: '100%' }} />
      </Form.Item>
      <Form.List name="plannedMeasures">
        {(fields, { add, remove }) => (
          <Flex vertical gap={8}>
            {fields.map((f) => (
              <Card key={f.key} size="small" extra={<Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t(RM.delete)} />}>
                <Form.Item name={[f.name, 'type']} label={t(RM.type)} rules={[{ required: true }]}>
                  <Select options={measureTypeOptions(lang)} />
                </Form.Item>
                <Form.Item name={[f.name, 'description']} label={t(RM.description)}>
                  <Input maxLength={200} />
                </Form.Item>
                <Form.Item name={[f.name, 'amount']} label={t(RM.amount)} style={{ marginBottom: 0 }}>
                  <InputNumber min={0} precision={2} style={{ width: '100%' }} inputMode="decimal" />
                </Form.Item>
              </Card>
            ))}
            <Button icon={<PlusOutlined />} onClick={() => add({ description: '', amount: null })} block>
              {t(RM.addPlanned)}
            </Button>
          </Flex>
        )}
      </Form.List>
      <Space style={{ width: '100%', justifyContent: 'flex-end', marginTop: 16 }}>
        {onCancel && <Button onClick={onCancel}>{t(RM.cancel)}</Button>}
        <Button type="primary" htmlType="submit" loading={saving}>
          {t(RM.save)}
        </Button>
      </Space>
    </Form>
  );
}
