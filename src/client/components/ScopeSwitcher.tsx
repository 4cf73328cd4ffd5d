/**
 * The scope switcher: a search box (GET /api/areas/search) above a lazily loaded tree of the areas in
 * the user's scope (GET /api/areas, then GET /api/areas/:code/children). Choosing an area calls
 * `onSelect`, and the tree follows the current area by opening its ancestors.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { AutoComplete, Empty, Input, Spin, Tree, Typography } from 'antd';
import type { GetRef, TreeDataNode } from 'antd';
import type { AreaChildDto } from '../../modules/areas/contract.ts';
import { ancestorCodesOf, LEVEL_LABELS, type AreaLevel } from '../../shared/area-code.ts';
import { get } from '../api-client.ts';
import { useI18n } from '../i18n.tsx';
import { M } from '../messages.ts';
import type { ScopeArea } from '../session.tsx';

interface AreaNode extends TreeDataNode {
  key: string;
  area: ScopeArea;
  children?: AreaNode[];
}

interface SearchItem {
  code: string;
  name: string;
  level: AreaLevel;
  fullName: string;
}

function toNode(a: AreaChildDto): AreaNode {
  return { key: a.code, title: a.name, isLeaf: !a.hasChildren, area: { code: a.code, name: a.name, level: a.level } };
}

function withChildren(nodes: AreaNode[], key: string, children: AreaNode[]): AreaNode[] {
  return nodes.map((n) => (n.key === key ? { ...n, children } : n.children ? { ...n, children: withChildren(n.children, key, children) } : n));
}

function findNode(nodes: AreaNode[], key: string): AreaNode | undefined {
  for (const n of nodes) {
    if (n.key === key) return n;
    const f = n.children && findNode(n.children, key);
    if (f) return f;
  }
  return undefined;
}

export function ScopeSwitcher({ current, onSelect, height }: { current: string | null; onSelect: (area: ScopeArea) => void; height?: number }) {
  const { t, lang } = useI18n();
  const [nodes, setNodes] = useState<AreaNode[] | null>(null);
  const [expanded, setExpanded] = useState<string[]>([]);
  const [options, setOptions] = useState<SearchItem[]>([]);
  const [query, setQuery] = useState('');
  const [searching, setSearching] = useState(false);
  const nodesRef = useRef<AreaNode[]>([]);
  const treeRef = useRef<GetRef<typeof Tree>>(null);

  useEffect(() => {
    let live = true;
    get<{ items: AreaChildDto[] }>('/areas')
      .then((r) => {
        if (!live) return;
        nodesRef.current = r.items.map(toNode);
        setNodes(nodesRef.current);
      })
      .catch(() => live && setNodes([]));
    return () => {
      live = false;
    };
  }, []);

  const loadChildren = useCallback(async (code: string) => {
    const existing = findNode(nodesRef.current, code);
    if (existing?.children) return;
    const r = await get<{ items: AreaChildDto[] }>(`/areas/${code}/children`);
    setNodes((prev) => (prev ? withChildren(prev, code, r.items.map(toNode)) : prev));
    nodesRef.current = withChildren(nodesRef.current, code, r.items.map(toNode));
  }, []);

  // Follow the current area: load and open each ancestor that lies in the tree.
  const topKeys = (nodes ?? []).map((n) => n.key).join();
  useEffect(() => {
    if (!current || !topKeys) return;
    let live = true;
    (async () => {
      const chain = ancestorCodesOf(current);
      const opened: string[] = [];
      for (const code of chain) {
        if (!findNode(nodesRef.current, code)) continue;
        await loadChildren(code);
        opened.push(code);
      }
      if (live && opened.length) setExpanded((prev) => [...new Set([...prev, ...opened])]);
      // Bring the current area into view once its ancestors are open.
      if (live) setTimeout(() => treeRef.current?.scrollTo({ key: current, align: 'auto' }), 50);
    })().catch(() => {});
    return () => {
      live = false;
    };
  }, [current, topKeys, loadChildren]);

  // Search as the user types (debounced).
  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setOptions([]);
      return;
    }
    setSearching(true);
    const timer = setTimeout(() => {
      get<{ items: SearchItem[] }>('/areas/search', { q, pageSize: 20 })
        .then((r) => setOptions(r.items))
        .catch(() => setOptions([]))
        .finally(() => setSearching(false));
    }, 250);
    return () => clearTimeout(timer);
  }, [query]);

  return (
    <div className="fupin-scope">
      <AutoComplete
        style={{ width: '100%' }}
        value={query}
        onChange={(v: string) => setQuery(v)}
        onSelect={(code: string) => {
          const item = options.find((o) => o.code === code);
          setQuery('');
          if (item) onSelect({ code: item.code, name: item.name, level: item.level });
        }}
        options={options.map((o) => ({
          value: o.code,
          label: (
            <div title={o.fullName}>
              <div>
                {o.name} <Typography.Text type="secondary">· {LEVEL_LABELS[o.level][lang]}</Typography.Text>
              </div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {o.fullName}
              </Typography.Text>
            </div>
          ),
        }))}
        notFoundContent={query.trim() && !searching ? t(M.noResults) : searching ? <Spin size="small" /> : null}
      >
        <Input.Search placeholder={t(M.scopeSearch)} allowClear aria-label={t(M.scopeSearch)} loading={searching} />
      </AutoComplete>
      <div style={{ marginTop: 8 }}>
        {nodes === null ? (
          <Spin size="small" style={{ display: 'block', margin: 16 }} />
        ) : nodes.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(M.noData)} />
        ) : (
          <Tree<AreaNode>
            ref={treeRef}
            blockNode
            height={height}
            treeData={nodes}
            selectedKeys={current ? [current] : []}
            expandedKeys={expanded}
            onExpand={(keys) => setExpanded(keys as string[])}
            loadData={(node) => loadChildren(node.key)}
            onSelect={(_keys, info) => onSelect(info.node.area)}
          />
        )}
      </div>
    </div>
  );
}
