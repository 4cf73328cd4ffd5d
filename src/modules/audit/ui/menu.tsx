import { AuditOutlined } from '@ant-design/icons';
import type { MenuEntry } from '../../../client/menu.ts';
import { AUDIT } from '../permissions.ts';

/** The audit capability's menu entry. */
export const auditMenu: MenuEntry[] = [{ key: 'audit', path: '/audit', label: { zh: '审计日志', en: 'Audit log' }, icon: <AuditOutlined />, action: AUDIT['audit.read'], order: 85 }];
