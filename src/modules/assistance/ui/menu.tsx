import { ApartmentOutlined, ProfileOutlined, BankOutlined, CalendarOutlined, FundOutlined, HeartOutlined, TeamOutlined, UserSwitchOutlined } from '@ant-design/icons';
import type { MenuEntry } from '../../../client/menu.ts';
import { ASSISTANCE } from '../permissions.ts';

/** Assistance's menu entries (精准扶持), after identification's. */
export const assistanceMenu: MenuEntry[] = [
  { key: 'assistance-my', path: '/assistance/my', label: { zh: '我的帮扶户', en: 'My households' }, icon: <HeartOutlined />, action: ASSISTANCE['assistance.workspace'], order: 30 },
  { key: 'assistance-pairing', path: '/assistance/pairing', label: { zh: '结对帮扶', en: 'Helper pairing' }, icon: <UserSwitchOutlined />, action: ASSISTANCE['assistance.read'], order: 31 },
  { key: 'assistance-units', path: '/assistance/units', label: { zh: '帮扶单位与责任人', en: 'Units and helpers' }, icon: <BankOutlined />, action: ASSISTANCE['assistance.read'], order: 32 },
  { key: 'assistance-work-teams', path: '/assistance/work-teams', label: { zh: '驻村工作队', en: 'Work teams' }, icon: <TeamOutlined />, action: ASSISTANCE['assistance.read'], order: 33 },
  { key: 'assistance-contact-points', path: '/assistance/contact-points', label: { zh: '领导联系点', en: 'Leader contact points' }, icon: <ApartmentOutlined />, action: ASSISTANCE['assistance.read'], order: 34 },
  { key: 'assistance-measures', path: '/assistance/measures', label: { zh: '措施台账', en: 'Measures' }, icon: <ProfileOutlined />, action: ASSISTANCE['assistance.read'], order: 35 },
  { key: 'assistance-visits', path: '/assistance/visits', label: { zh: '走访监测', en: 'Visit monitoring' }, icon: <CalendarOutlined />, action: ASSISTANCE['assistance.read'], order: 36 },
  { key: 'assistance-coverage', path: '/assistance/coverage', label: { zh: '应享尽享', en: 'Policy coverage' }, icon: <FundOutlined />, action: ASSISTANCE['assistance.read'], order: 37 },
];
