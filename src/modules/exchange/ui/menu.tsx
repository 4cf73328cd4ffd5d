import { UploadOutlined } from '@ant-design/icons';
import type { MenuEntry } from '../../../client/menu.ts';
import { EXCHANGE } from '../permissions.ts';

/** The exchange's menu entry: 数据导入 (upload a person list, follow it, read its outcome), after 农户档案. */
export const exchangeMenu: MenuEntry[] = [{ key: 'imports', path: '/imports', label: { zh: '数据导入', en: 'Import' }, icon: <UploadOutlined />, action: EXCHANGE['exchange.import'], order: 16 }];
