/**
 * Edits a household's own fields (/households/:id/edit). Only the fields the user changed are sent,
 * with the version the form was loaded at; when someone else saved in between (409 STALE_EDIT) the
 * conflict dialog shows "your change" against "the current value" per field and saves again against
 * the current version with the user's choices.
 */
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { App as AntApp, Alert, Button, Card, Flex, Form, Input, Skeleton } from 'antd';
import { SaveOutlined } from '@ant-design/icons';
import type { HouseholdDto } from '../contract.ts';
import { HOUSEHOLDS } from '../permissions.ts';
import { applyFieldErrors, errorText, patch } from '../../../client/api-client.ts';
import { defineMessages, useI18n } from '../../../client/i18n.tsx';
import { PageHeader } from '../../../client/components/PageHeader.tsx';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { useSession } from '../../../client/session.tsx';
import { HF, loadHousehold, R } from './common.tsx';
import { ConflictDialog, conflictRows, staleCurrent, type ConflictRow } from './ConflictDialog.tsx';
import { householdBody, HouseholdFields } from './fields.tsx';

const T = defineMessages({
  title: { zh: '修改农户信息：{head}户', en: 'Edit household: {head}' },
  reason: { zh: '修改原因（记入变更记录）', en: 'Reason (kept in the history)' },
  save: { zh: '保存修改', en: 'Save' },
  saved: { zh: '已保存（第 {v} 版）', en: 'Saved (version {v})' },
  nothing: { zh: '没有修改任何内容', en: 'Nothing was changed' },
  keptTheirs: { zh: '已采用他人保存的当前值，您的修改未保存', en: 'The current values were taken; your change was not saved' },
  basedOn: { zh: '基于第 {v} 版修改', en: 'Editing version {v}' },
  fixMarked: { zh: '请先修改标红的内容', en: 'Correct the fields marked in red first' },
});

const FIELDS = [
  'groupName', 'address', 'householdType', 'identificationStandard', 'povertyAttribute', 'mainPovertyCause', 'otherPovertyCauses', 'status', 'identificationYear', 'phone',
  'bankName', 'bankAccount', 'housingArea', 'housingStructure', 'housingDangerGrade', 'housingRenovated', 'safeDrinkingWater', 'drinkingWaterDifficulty', 'cultivatedLand',
  'forestLand', 'relocated', 'relocationType', 'reservoirMigrant', 'militaryFamily',
] as const satisfies readonly (keyof typeof HF)[];

function valuesOf(h: HouseholdDto): Record<string, unknown> {
  return Object.fromEntries(FIELDS.map((f) => [f, h[f]]));
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export function HouseholdEditPage() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const { can } = useSession();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm();
  const [base, setBase] = useState<HouseholdDto | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<{ current: HouseholdDto; rows: ConflictRow[]; reason?: string } | null>(null);
  const full = can(HOUSEHOLDS['households.read-full']);

  const load = useCallback(async () => {
    setError(null);
    try {
      const h = await loadHousehold(id, full);
      setBase(h);
      form.setFieldsValue({ ...valuesOf(h), reason: '' });
    } catch (e) {
      setError(e);
    }
  }, [id, full, form]);

  useEffect(() => {
    void load();
  }, [load]);

  /** The fields whose form value differs from the household the form was based on. */
  const changes = (h: HouseholdDto): Record<string, unknown> => {
    const now = householdBody(form.getFieldsValue(FIELDS as unknown as string[]) as Record<string, unknown>);
    const was = valuesOf(h);
    return Object.fromEntries(FIELDS.filter((f) => !same(now[f], was[f])).map((f) => [f, now[f]]));
  };

  const send = async (body: Record<string, unknown>, version: number, reason: string | undefined) => {
    const h = await patch<HouseholdDto>(`/households/${id}`, { ...body, version, reason: reason || undefined });
    message.success(t(T.saved, { v: h.version }));
    navigate(`/households/${id}`);
  };

  const save = async () => {
    if (!base) return;
    const changed = changes(base);
    const reason = (form.getFieldValue('reason') as string | undefined)?.trim();
    if (Object.keys(changed).length === 0) {
      message.info(t(T.nothing));
      return;
    }
    setSaving(true);
    try {
      await send(changed, base.version, reason);
    } catch (e) {
      const current = staleCurrent(e);
      if (current) setConflict({ current, rows: conflictRows(changed, valuesOf(current), valuesOf(base)), reason });
      else {
        applyFieldErrors(form, e, lang);
        message.error(errorText(e, lang));
      }
    } finally {
      setSaving(false);
    }
  };

  const resolve = async (keep: Record<string, unknown>) => {
    if (!conflict) return;
    const { current, reason } = conflict;
    // Fields changed here that the other save did not touch still count as the user's change.
    const rest = Object.fromEntries(Object.entries(changes(base!)).filter(([f]) => !conflict.rows.some((r) => r.field === f)));
    const body = { ...rest, ...keep };
    setSaving(true);
    try {
      if (Object.keys(body).length === 0) {
        setBase(current);
        form.setFieldsValue(valuesOf(current));
        setConflict(null);
        message.info(t(T.keptTheirs));
        return;
      }
      await send(body, current.version, reason);
      setConflict(null);
    } catch (e) {
      const again = staleCurrent(e);
      if (again) setConflict({ current: again, rows: conflictRows(body, valuesOf(again), valuesOf(current)), reason });
      else {
        setConflict(null);
        applyFieldErrors(form, e, lang);
        message.error(errorText(e, lang));
      }
    } finally {
      setSaving(false);
    }
  };

  if (error) return <LoadError error={error} onRetry={load} />;
  if (!base) return <Card><Skeleton active paragraph={{ rows: 10 }} /></Card>;

  return (
    <>
      <PageHeader
        breadcrumb={[
          { key: 'list', title: <Link to="/households">{t(R.listTitle)}</Link> },
          { key: 'h', title: <Link to={`/households/${id}`}>{base.householdNo}</Link> },
          { key: 'e', title: t(T.title, { head: base.headName }) },
        ]}
        title={t(T.title, { head: base.headName })}
        subtitle={`${base.areaFullName} · ${t(T.basedOn, { v: base.version })}`}
      />
      {base.full && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t(R.fullRecorded)} />}
      <Form form={form} name="edit" layout="vertical" onFinish={save} onFinishFailed={() => message.warning(t(T.fixMarked))} scrollToFirstError>
        <Card size="small" style={{ marginBottom: 12 }}>
          <HouseholdFields form={form} />
          <Form.Item name="reason" label={t(T.reason)} rules={[{ max: 200 }]}>
            <Input maxLength={200} />
          </Form.Item>
        </Card>
        <Flex justify="end" gap={8}>
          <Button onClick={() => navigate(`/households/${id}`)}>{t(R.back)}</Button>
          <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={saving}>
            {t(T.save)}
          </Button>
        </Flex>
      </Form>
      <ConflictDialog open={conflict !== null} current={conflict?.current ?? null} rows={conflict?.rows ?? []} saving={saving} onResolve={resolve}
        onCancel={() => {
          if (conflict) {
            setBase(conflict.current);
            form.setFieldsValue(valuesOf(conflict.current));
          }
          setConflict(null);
        }}
      />
    </>
  );
}
