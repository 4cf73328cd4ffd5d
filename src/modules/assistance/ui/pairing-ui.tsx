/**
 * Pieces shared by the pairing pages (/assistance/units, /assistance/pairing): a searchable helper
 * picker showing each helper's load, the load tag, and the list of load warnings after a save.
 */
import { useEffect, useState } from 'react';
import { Alert, Select, Tag } from 'antd';
import type { Page } from '../../../shared/paging.ts';
import type { HelperDto, PairingWarning } from '../pairing-contract.ts';
import { get } from '../../../client/api-client.ts';
import { defineMessages, useI18n } from '../../../client/i18n.tsx';

export const PT = defineMessages({
  load: { zh: '{n} / {max} 户', en: '{n} / {max} households' },
  over: { zh: '超出上限', en: 'Above maximum' },
  warnings: { zh: '以下帮扶责任人超出帮扶户数上限（已保存）', en: 'These helpers are above their maximum load (saved anyway)' },
  pickHelper: { zh: '输入姓名或电话搜索帮扶责任人', en: 'Search helpers by name or phone' },
});

/** "3 / 10 户" with a red 超出上限 tag above the maximum. */
export function LoadTag({ helper }: { helper: Pick<HelperDto, 'load' | 'effectiveMax' | 'overloaded'> }) {
  const { t } = useI18n();
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      {t(PT.load, { n: helper.load, max: helper.effectiveMax })}
      {helper.overloaded && (
        <Tag color="red" style={{ marginInlineStart: 6 }}>
          {t(PT.over)}
        </Tag>
      )}
    </span>
  );
}

/** The warnings a save returned (none: nothing shown). */
export function LoadWarnings({ warnings, onClose }: { warnings: PairingWarning[]; onClose?: () => void }) {
  const { t, lang } = useI18n();
  if (warnings.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      closable={!!onClose}
      onClose={onClose}
      style={{ marginBottom: 12 }}
      message={t(PT.warnings)}
      description={
        <ul style={{ margin: 0, paddingInlineStart: 18 }}>
          {warnings.map((w) => (
            <li key={w.helperId}>{lang === 'en' ? w.messageEn : w.message}</li>
          ))}
        </ul>
      }
    />
  );
}

/**
 * A searchable picker of active helpers on the line of `areaCode`, each shown with unit and load.
 * `mode="multiple"` picks several.
 */
export function HelperSelect(props: {
  areaCode: string | null;
  value?: string | string[];
  onChange?: (v: string | string[]) => void;
  mode?: 'multiple';
  exclude?: string;
  id?: string;
}) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [items, setItems] = useState<HelperDto[]>([]);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    let live = true;
    setLoading(true);
    const timer = setTimeout(() => {
      get<Page<HelperDto>>('/assistance/helpers', { areaCode: props.areaCode, q, pageSize: 50 })
        .then((p) => live && setItems(p.items))
        .catch(() => live && setItems([]))
        .finally(() => live && setLoading(false));
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [props.areaCode, q]);
  return (
    <Select
      id={props.id}
      showSearch
      mode={props.mode}
      value={props.value}
      onChange={props.onChange}
      filterOption={false}
      onSearch={setQ}
      loading={loading}
      placeholder={t(PT.pickHelper)}
      style={{ width: '100%' }}
      options={items
        .filter((h) => h.id !== props.exclude)
        .map((h) => ({
          value: h.id,
          label: (
            <span>
              {h.name}（{h.areaName}
              {h.post ? ` · ${h.post}` : ''}）· {h.unitName} · <LoadTag helper={h} />
            </span>
          ),
        }))}
    />
  );
}
