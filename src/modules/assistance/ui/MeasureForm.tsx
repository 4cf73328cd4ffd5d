/**
 * The measure form (帮扶措施): type grouped by the four batches and the other programmes, the members
 * it is for (when the type names members), date, amount in yuan (two decimals), funding source,
 * description and the need it answers. Phone-first: one column, big controls. Records a new measure,
 * or corrects `measure` when given.
 */
import { useEffect, useMemo, useState } from 'react';
import { App as AntApp, AutoComplete, Button, Checkbox, Form, Input, InputNumber, Select, Skeleton, Space } from 'antd';
import { applyFieldErrors, errorText, get, post, put } from '../../../client/api-client.ts';
import { useI18n } from '../../../client/i18n.tsx';
import { DateInput } from '../../../client/components/DateInput.tsx';
import { MEASURE_TYPE } from '../codes.ts';
import type { HouseholdAssistanceDto, MeasureDto } from '../contract.ts';
import { FUNDING_SOURCES, measureTypeOptions, needCategoryLabel, RM, todayCstYmd } from './RecordsCommon.tsx';

export interface MeasureFormProps {
  householdId: string;
  /** Called after the measure is saved. */
  onSaved?: () => void;
  /** Members and needs of the household when the caller has them (else the form loads them). */
  context?: Pick<HouseholdAssistanceDto, 'members' | 'needs'>;
  /** A measure to correct instead of recording a new one. */
  measure?: MeasureDto;
  onCancel?: () => void;
}

interface Values {
  type?: string;
  memberIds: string[];
  onDate?: string;
  amount?: number | null;
  fundingSource?: string;
  description?: string;
  needId?: string | null;
  markNeedMet: boolean;
}

export function MeasureForm({ householdId, onSaved, context, measure, onCancel }: MeasureFormProps) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [loaded, setLoaded] = useState<Pick<HouseholdAssistanceDto, 'members' | 'needs'> | null>(context ?? null);
  const [saving, setSaving] = useState(false);
  const type = Form.useWatch('type', form);
  const needId = Form.useWatch('needId', form);
  const forMembers = MEASURE_TYPE.find((m) => m.value === type)?.forMembers ?? false;
  const today = todayCstYmd();

  useEffect(() => {
    if (context) {
      setLoaded(context);
      return;
    }
    let live = true;
    get<HouseholdAssistanceDto>(`/assistance/households/${householdId}`)
      .then((d) => live && setLoaded({ members: d.members, needs: d.needs }))
      .catch((e: unknown) => live && message.error(errorText(e, lang)));
    return () => {
      live = false;
    };
  }, [householdId, context, lang, message]);

  // Members a corrected measure names who have left the household stay choosable.
  const memberOptions = useMemo(() => {
    const current = (loaded?.members ?? []).map((m) => ({ value: m.id, label: m.name }));
    const gone = (measure?.members ?? []).filter((m) => !current.some((c) => c.value === m.memberId)).map((m) => ({ value: m.memberId, label: `${m.name}（${t(RM.leftHousehold)}）` }));
    return [...current, ...gone];
  }, [loaded, measure, t]);
  const needOptions = (loaded?.needs ?? []).filter((n) => n.status !== 'met' || n.id === measure?.needId).map((n) => ({ value: n.id, label: `${needCategoryLabel(n.category, lang)} · ${n.description}` }));

  const submit = async (v: Values) => {
    setSaving(true);
    const body = {
      type: v.type,
      memberIds: forMembers ? (v.memberIds ?? []) : [],
      onDate: v.onDate,
      amount: v.amount ?? null,
      fundingSource: v.fundingSource || null,
      description: v.description || null,
      needId: v.needId || null,
      markNeedMet: !!v.needId && v.markNeedMet,
    };
    try {
      if (measure) await put(`/assistance/measures/${measure.id}`, { ...body, version: measure.version });
      else await post('/assistance/measures', { householdId, ...body });
      message.success(t(RM.saved));
      if (!measure) form.resetFields();
      onSaved?.();
    } catch (e) {
      if (!applyFieldErrors(form, e, lang)) message.error(errorText(e, lang));
    } finally {
      setSaving(false);
    }
  };

  if (!loaded) return <Skeleton active paragraph={{ rows: 6 }} />;
  return (
    <Form<Values>
      form={form}
      layout="vertical"
      size="large"
      data-testid="measure-form"
      initialValues={
        measure
          ? { type: measure.type, memberIds: measure.members.map((m) => m.memberId), onDate: measure.onDate, amount: measure.amount, fundingSource: measure.fundingSource ?? '', description: measure.description ?? '', needId: measure.needId, markNeedMet: false }
          : { memberIds: [], onDate: today, markNeedMet: false }
      }
      onFinish={(v) => void submit(v)}
    >
      <Form.Item name="type" label={t(RM.type)} rules={[{ required: true, message: lang === 'zh' ? '请选择措施类型' : 'Choose the type' }]}>
        <Select options={measureTypeOptions(lang)} showSearch={{ optionFilterProp: 'label' }} placeholder={t(RM.type)} aria-label={t(RM.type)} />
      </Form.Item>
      {forMembers && (
        <Form.Item name="memberIds" label={t(RM.members)} rules={[{ required: true, type: 'array', min: 1, message: lang === 'zh' ? '请选择享受的成员' : 'Choose the members' }]}>
          <Checkbox.Group style={{ display: 'flex', flexDirection: 'column', gap: 8 }} options={memberOptions} />
        </Form.Item>
      )}
      <Form.Item name="onDate" label={t(RM.onDate)} rules={[{ required: true, message: lang === 'zh' ? '请选择日期' : 'Choose the date' }]}>
        <DateInput max={today} aria-label={t(RM.onDate)} />
      </Form.Item>
      <Form.Item name="amount" label={t(RM.amount)}>
        <InputNumber min={0} precision={2} step={100} style={{ width: '100%' }} inputMode="decimal" aria-label={t(RM.amount)} />
      </Form.Item>
      <Form.Item name="fundingSource" label={t(RM.fundingSource)}>
        <AutoComplete options={FUNDING_SOURCES.map((f) => ({ value: f }))} filterOption={(input, o) => String(o?.value ?? '').includes(input)} aria-label={t(RM.fundingSource)} />
      </Form.Item>
      <Form.Item name="description" label={t(RM.description)}>
        <Input.TextArea rows={2} maxLength={1000} />
      </Form.Item>
      {needOptions.length > 0 && (
        <Form.Item name="needId" label={t(RM.need)}>
          <Select allowClear options={needOptions} aria-label={t(RM.need)} />
        </Form.Item>
      )}
      {needId && (
        <Form.Item name="markNeedMet" valuePropName="checked">
          <Checkbox>{t(RM.markNeedMet)}</Checkbox>
        </Form.Item>
      )}
      <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
        {onCancel && <Button onClick={onCancel}>{t(RM.cancel)}</Button>}
        <Button type="primary" htmlType="submit" loading={saving} block={!onCancel}>
          {t(RM.save)}
        </Button>
      </Space>
    </Form>
  );
}
