import { AuditOutlined, FallOutlined, FlagOutlined, SafetyCertificateOutlined, StopOutlined, SwapOutlined, UsergroupAddOutlined } from '@ant-design/icons';
import type { MenuEntry } from '../../../client/menu.ts';
import { IDENTIFICATION } from '../permissions.ts';

/** Identification's menu entries (精准识别), after 数据导入. */
export const identificationMenu: MenuEntry[] = [
  { key: 'identification', path: '/identification', label: { zh: '精准识别', en: 'Identification' }, icon: <AuditOutlined />, action: IDENTIFICATION['identification.read'], order: 20 },
  { key: 'identification-red-lines', path: '/identification/red-lines', label: { zh: '红线比对', en: 'Red lines' }, icon: <StopOutlined />, action: IDENTIFICATION['identification.read'], order: 22 },
  { key: 'identification-data-quality', path: '/identification/data-quality', label: { zh: '数据质量', en: 'Data quality' }, icon: <SafetyCertificateOutlined />, action: IDENTIFICATION['identification.quality'], order: 24 },
  { key: 'identification-samples', path: '/identification/samples', label: { zh: '抽样复核', en: 'Verification sampling' }, icon: <UsergroupAddOutlined />, action: IDENTIFICATION['identification.read'], order: 26 },
  { key: 'identification-relative-poverty', path: '/identification/relative-poverty', label: { zh: '相对贫困', en: 'Relative poverty' }, icon: <FallOutlined />, action: IDENTIFICATION['identification.read'], order: 27 },
  { key: 'identification-adjustment', path: '/identification/adjustment', label: { zh: '动态调整', en: 'Dynamic adjustment' }, icon: <SwapOutlined />, action: IDENTIFICATION['identification.read'], order: 25 },
  { key: 'identification-villages', path: '/identification/villages', label: { zh: '贫困村识别', en: 'Poor villages' }, icon: <FlagOutlined />, action: IDENTIFICATION['identification.read'], order: 28 },
];
