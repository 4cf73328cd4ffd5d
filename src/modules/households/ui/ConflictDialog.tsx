/**
 * The stale-edit dialog: someone else saved the household after this user opened it (409 STALE_EDIT,
 * with the household as it is now in `details.current`). Shows each field where "your change" and
 * "the current value" differ side by side; the user keeps theirs or takes the current one per field,
 * and the edit is saved again against the current version. Nothing is overwritten silently.
 */
import { useEffect, useState } from 'react';
import { Alert, Modal, Radio, Table, Typography } from 'antd';
import type { HouseholdDto } from '../contract.ts';
import { ApiError } from '../../../client/api-client.ts';
import { defineMessages, useI18n } from '../../../client/i18n.tsx';
import { fieldLabel, showValue } from './common.tsx';
import { maskIdNumber, maskPhone } from '../../../shared/mask.ts';

const T = defineMessages({
  title: { zh: '该户已被他人修改', en: 'Someone else changed this household' },
  intro: {
    zh: '您打开之后，{who}于 {when} 保存了该户（第 {version} 版）。您的更改尚未保存。请逐项选择保留哪个值，然后重新保存。',
    en: 'After you opened it, the household was saved again (version {version}). Your change is not saved yet. Choose per field which value to keep, then save again.',
  },
  introShort: { zh: '您打开之后，该户已被他人修改（现为第 {version} 版），您的更改尚未保存。', en: 'The household was changed after you opened it (now version {version}); your change is not saved yet.' },
  field: { zh: '字段', en: 'Field' },
  mine: { zh: '您的修改', en: 'Your change' },
  theirs: { zh: '当前值（他人已保存）', en: 'Current value (saved by someone else)' },
  keep: { zh: '保留我的', en: 'Keep mine' },
  take: { zh: '采用当前值', en: 'Take theirs' },
  choice: { zh: '选择', en: 'Choose' },
  saveAgain: { zh: '按所选重新保存', en: 'Save again with these choices' },
  noDiff: { zh: '他人的修改与您的更改没有冲突的字段，可直接按当前版本重新保存。', en: 'No field of your change conflicts with theirs; you may save again on the current version.' },
  cancel: { zh: '放弃我的更改', en: 'Discard my change' },
});

const MASKS: Record<string, (v: string) => string | null> = { idNumber: maskIdNumber, phone: maskPhone };

export interface ConflictRow {
  field: string;
  mine: unknown;
  theirs: unknown;
}

/** The current household of a STALE_EDIT refusal, or null for any other error. */
export function staleCurrent(err: unknown): HouseholdDto | null {
  if (err instanceof ApiError && err.code === 'STALE_EDIT' && err.details.current) return err.details.current as HouseholdDto;
  return null;
}

/**
 * The fields in conflict: those I changed that someone else also changed to a different value. With
 * `base` (the values as I opened them), a field the other save did not touch is no conflict: my change
 * to it simply stands.
 */
export function conflictRows(mine: Record<string, unknown>, current: Record<string, unknown>, base?: Record<string, unknown>): ConflictRow[] {
  // The refusal carries ID numbers and phones masked: compare a full value with a masked one masked.
  const same = (a: unknown, b: unknown, f: string) => {
    const mask = MASKS[f];
    if (mask && typeof b === 'string' && b.includes('*') && typeof a === 'string') return mask(a) === b;
    return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  };
  return Object.keys(mine)
    .filter((f) => !same(mine[f], current[f], f) && (base === undefined || !same(base[f], current[f], f)))
    .map((f) => ({ field: f, mine: mine[f], theirs: current[f] }));
}

export function ConflictDialog(props: {
  open: boolean;
  current: HouseholdDto | null;
  rows: ConflictRow[];
  saving?: boolean;
  /** Called with the fields the user keeps (their values); the others take the current value. */
  onResolve: (keep: Record<string, unknown>) => void;
  onCancel: () => void;
}) {
  const { t, lang } = useI18n();
  const [choice, setChoice] = useState<Record<string, 'mine' | 'theirs'>>({});
  const { rows } = props;
  useEffect(() => {
    setChoice(Object.fromEntries(rows.map((r) => [r.field, 'mine' as const])));
  }, [rows]);
  const version = props.current?.version ?? 0;
  return (
    <Modal
      open={props.open}
      title={t(T.title)}
      width={820}
      okText={t(T.saveAgain)}
      cancelText={t(T.cancel)}
      confirmLoading={props.saving}
      onCancel={props.onCancel}
      onOk={() => props.onResolve(Object.fromEntries(rows.filter((r) => choice[r.field] !== 'theirs').map((r) => [r.field, r.mine])))}
      destroyOnHidden
      maskClosable={false}
    >
      <div data-testid="conflict-dialog">
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t(T.introShort, { version })} />
        {rows.length === 0 ? (
          <Typography.Paragraph>{t(T.noDiff)}</Typography.Paragraph>
        ) : (
          <Table<ConflictRow>
            rowKey="field"
            size="small"
            pagination={false}
            dataSource={rows}
            columns={[
              { title: t(T.field), dataIndex: 'field', width: 150, render: (f: string) => <strong>{fieldLabel(f, lang)}</strong> },
              { title: t(T.mine), dataIndex: 'mine', render: (v: unknown, r) => <span data-testid={`mine-${r.field}`}>{showValue(r.field, v, lang)}</span> },
              { title: t(T.theirs), dataIndex: 'theirs', render: (v: unknown, r) => <span data-testid={`theirs-${r.field}`} style={{ color: '#b45309' }}>{showValue(r.field, v, lang)}</span> },
              {
                title: t(T.choice),
                key: 'choice',
                width: 220,
                render: (_: unknown, r) => (
                  <Radio.Group
                    size="small"
                    optionType="button"
                    value={choice[r.field] ?? 'mine'}
                    onChange={(e) => setChoice((c) => ({ ...c, [r.field]: e.target.value as 'mine' | 'theirs' }))}
                    options={[
                      { value: 'mine', label: t(T.keep) },
                      { value: 'theirs', label: t(T.take) },
                    ]}
                  />
                ),
              },
            ]}
          />
        )}
      </div>
    </Modal>
  );
}
