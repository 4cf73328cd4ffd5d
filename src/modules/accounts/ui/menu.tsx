import { TeamOutlined, UserOutlined } from '@ant-design/icons';
import type { MenuEntry } from '../../../client/menu.ts';
import { ACCOUNTS } from '../permissions.ts';

/** The accounts capability's menu entries: user management (by permission) and everyone's profile. */
export const accountsMenu: MenuEntry[] = [
  { key: 'users', path: '/users', label: { zh: '用户管理', en: 'Users' }, icon: <TeamOutlined />, action: ACCOUNTS['accounts.read'], order: 80 },
  { key: 'profile', path: '/profile', label: { zh: '个人中心', en: 'Profile' }, icon: <UserOutlined />, order: 90 },
];
