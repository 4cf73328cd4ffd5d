import { HomeOutlined } from '@ant-design/icons';
import type { MenuEntry } from '../../../client/menu.ts';
import { HOUSEHOLDS } from '../permissions.ts';

/** The registry's menu entry: 农户档案 (the household list of the current scope). */
export const householdsMenu: MenuEntry[] = [{ key: 'households', path: '/households', label: { zh: '农户档案', en: 'Households' }, icon: <HomeOutlined />, action: HOUSEHOLDS['households.read'], order: 15 }];
