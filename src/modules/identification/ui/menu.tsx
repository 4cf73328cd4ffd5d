import { AuditOutlined } from '@ant-design/icons';
import type { MenuEntry } from '../../../client/menu.ts';
import { IDENTIFICATION } from '../permissions.ts';

/** Identification's menu entries (精准识别), after 数据导入. */
export const identificationMenu: MenuEntry[] = [
  { key: 'identification', path: '/identification', label: { zh: '精准识别', en: 'Identification' }, icon: <AuditOutlined />, action: IDENTIFICATION['identification.read'], order: 20 },
];
