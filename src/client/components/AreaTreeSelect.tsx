/**
 * An area picker for forms: a lazily loaded tree starting at `rootCode` (or the top of the user's
 * scope), where only areas of the `levels` given can be chosen (e.g. villages for a village clerk).
 */
import { useCallback, useEffect, useState } from 'react';
import { TreeSelect, Typography } from 'antd';
import type { AreaChildDto, AreaDetailDto } from '../../modules/areas/contract.ts';
import { LEVEL_LABELS, type AreaLevel } from '../../shared/area-code.ts';
import { get } from '../api-client.ts';
import { useI18n } from '../i18n.tsx';

interface Node {
  id: string;
  pId: string | null;
  value: string;
  title: React.ReactNode;
  isLeaf: boolean;
  selectable: boolean;
  level: AreaLevel;
  name: string;
}

export interface AreaTreeSelectProps {
  value?: string | null;
  onChange?: (code: string | null) => void;
  /** The area the tree starts at; the top of the user's scope when null. */
  rootCode: string | null;
  /** Levels that may be chosen. */
  levels: readonly AreaLevel[];
  /** Shown for a value outside the loaded tree (e.g. the user's current area when editing). */
  valueLabel?: string | null;
  placeholder?: string;
  disabled?: boolean;
  id?: string;
}

export function AreaTreeSelect({ value, onChange, rootCode, levels, valueLabel, placeholder, disabled, id }: AreaTreeSelectProps) {
  const { lang } = useI18n();
  const [nodes, setNodes] = useState<Node[]>([]);
  const [loading, setLoading] = useState(true);

  const toNode = useCallback(
    (a: { code: string; name: string; level: AreaLevel; hasChildren?: boolean }, pId: string | null): Node => ({
      id: a.code,
      pId,
      value: a.code,
      title: (
        <span>
          {a.name} <Typography.Text type="secondary">· {LEVEL_LABELS[a.level][lang]}</Typography.Text>
        </span>
      ),
      isLeaf: a.level === 'village' || a.hasChildren === false,
      selectable: levels.includes(a.level),
      level: a.level,
      name: a.name,
    }),
    [levels, lang],
  );

  useEffect(() => {
    let live = true;
    setLoading(true);
    (async () => {
      if (rootCode) {
        const d = await get<AreaDetailDto>(`/areas/${rootCode}`);
        return [toNode({ ...d, hasChildren: d.children.length > 0 }, null), ...d.children.map((c) => toNode(c, d.code))];
      }
      const r = await get<{ items: AreaChildDto[] }>('/areas');
      return r.items.map((a) => toNode(a, null));
    })()
      .then((ns) => live && setNodes(ns))
      .catch(() => live && setNodes([]))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [rootCode, toNode]);

  const loadData = useCallback(
    async (node: { value?: string | number | null }) => {
      const code = String(node.value);
      if (nodes.some((n) => n.pId === code)) return;
      const r = await get<{ items: AreaChildDto[] }>(`/areas/${code}/children`);
      setNodes((prev) => [...prev, ...r.items.filter((c) => !prev.some((p) => p.id === c.code)).map((c) => toNode(c, code))]);
    },
    [nodes, toNode],
  );

  const data = value && valueLabel && !nodes.some((n) => n.value === value) ? [...nodes, { id: value, pId: null, value, title: valueLabel, isLeaf: true, selectable: true, level: 'village' as AreaLevel, name: valueLabel }] : nodes;

  return (
    <TreeSelect
      id={id}
      treeDataSimpleMode
      treeData={data}
      loadData={loadData}
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v ?? null)}
      treeDefaultExpandedKeys={rootCode ? [rootCode] : []}
      placeholder={placeholder}
      disabled={disabled}
      loading={loading}
      allowClear
      showSearch
      treeNodeFilterProp="name"
      style={{ width: '100%' }}
      listHeight={320}
    />
  );
}
