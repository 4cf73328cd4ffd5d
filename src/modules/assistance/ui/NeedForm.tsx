/**
 * Needs (脱贫需求): the form that adds one (category, description, date raised) and the form that marks
 * one met (date, note, the measure that met it). Phone-first.
 */
import { useState } from 'react';
import { App as AntApp, Button, Form, Input, Select, Space } from 'antd';
import { applyFieldErrors, errorText, patch, post } from '../../../client/api-client.ts';
import { useI18n } from '../../../client/i18n.tsx';
import { DateInput } from '../../../client/components/DateInput.tsx';
import { NEED_CATEGORY } from '../codes.ts';
import type { MeasureDto, NeedDto } from '../contract.ts';
import { measureTypeLabel, RM, todayCstYmd } from './RecordsCommon.tsx';

/** Adds a need to the household. */
export function NeedForm({ householdId, onSaved, onCancel }: { householdId: string; onSaved?: () => void; onCancel?: () => void }) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ category?: string; description?: string; raisedOn?: string }>();
  const [saving, setSaving] = useState(false);
  const today = todayCstYmd();
  return (
    <Form
      form={form}
      layout="vertical"
      size="large"
      data-testid="need-form"
      initialValues={{ raisedOn: today }}
      onFinish={async (v) => {
        setSaving(true);
        try {
          await post('/assistance/needs', { householdId, ...v });
          message.success(t(RM.saved));
          form.resetFields();
          onSaved?.();
        } catch (e) {
          if (!applyFieldErrors(form, e, lang)) message.error(errorText(e, lang));
        } finally {
          setSaving(false);
        }
      }}
    >
      <Form.Item name="category" label={t(RM.category)} rules={[{ required: true, message: lang === 'zh' ? '请选择类别' : 'Choose the category' }]}>
        <Select options={NEED_CATEGORY.map((c) => ({ value: c.value, label: c.label[lang] }))} aria-label={t(RM.category)} />
      </Form.Item>
      <Form.Item name="description" label={t(RM.description)} rules={[{ required: true, whitespace: true, message: lang === 'zh' ? '请填写需求内容' : 'Describe the need' }]}>
        <Input.TextArea rows={3} maxLength={500} />
      </Form.Item>
      <Form.Item name="raisedOn" label={t(RM.raisedOn)} rules={[{ required: true }]}>
        <DateInput max={today} aria-label={t(RM.raisedOn)} />
      </Form.Item>
      <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
        {onCancel && <Button onClick={onCancel}>{t(RM.cancel)}</Button>}
        <Button type="primary" htmlType="submit" loading={saving}>
          {t(RM.save)}
        </Button>
      </Space>
    </Form>
  );
}

/** Marks a need met: the date, and a note and/or one of the household's measures. */
export function NeedMetForm({ need, measures, onSaved, onCancel }: { need: NeedDto; measures: MeasureDto[]; onSaved?: () => void; onCancel?: () => void }) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ metOn?: string; metNote?: string; metByMeasureId?: string | null }>();
  const [saving, setSaving] = useState(false);
  const today = todayCstYmd();
  return (
    <Form
      form={form}
      layout="vertical"
      size="large"
      data-testid="need-met-form"
      initialValues={{ metOn: today }}
      onFinish={async (v) => {
        setSaving(true);
        try {
          await patch(`/assistance/needs/${need.id}`, { version: need.version, status: 'met', metOn: v.metOn, metNote: v.metNote || null, metByMeasureId: v.metByMeasureId || null });
          message.success(t(RM.saved));
          onSaved?.();
        } catch (e) {
          if (!applyFieldErrors(form, e, lang)) message.error(errorText(e, lang));
        } finally {
          setSaving(false);
        }
      }}
    >
      <Form.Item name="metOn" label={t(RM.metOn)} rules={[{ required: true }]}>
        <DateInput min={need.raisedOn} max={today} aria-label={t(RM.metOn)} />
      </Form.Item>
      <Form.Item name="metByMeasureId" label={t(RM.metBy)}>
        <Select allowClear options={measures.map((m) => ({ value: m.id, label: `${m.onDate} ${measureTypeLabel(m.type, lang)}` }))} aria-label={t(RM.metBy)} />
      </Form.Item>
      <Form.Item name="metNote" label={t(RM.metNote)}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
      <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
        {onCancel && <Button onClick={onCancel}>{t(RM.cancel)}</Button>}
        <Button type="primary" htmlType="submit" loading={saving}>
          {t(RM.save)}
        </Button>
      </Space>
    </Form>
  );
}
