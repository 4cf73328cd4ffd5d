import { ApartmentOutlined } from '@ant-design/icons';
import type { MenuEntry } from '../../../client/menu.ts';
import { AREAS } from '../permissions.ts';

/** The areas capability's menu entry: the current scope area's page. */
export const areasMenu: MenuEntry[] = [{ key: 'areas', path: '/areas', label: { zh: '区划', en: 'Areas' }, icon: <ApartmentOutlined />, action: AREAS['areas.read'], order: 10 }];
