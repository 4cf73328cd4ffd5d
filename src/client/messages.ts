/** Strings of the app shell and the generic components (pages keep theirs beside them). */
import { defineMessages } from './i18n.tsx';

export const M = defineMessages({
  appTitle: { zh: '精准扶贫信息平台', en: 'Targeted Poverty Alleviation Platform' },
  signOut: { zh: '退出登录', en: 'Sign out' },
  menu: { zh: '菜单', en: 'Menu' },
  signedOut: { zh: '已退出登录', en: 'Signed out' },
  language: { zh: 'English', en: '中文' },
  scope: { zh: '管辖范围', en: 'Scope' },
  scopeSearch: { zh: '搜索区划名称或代码', en: 'Search an area by name or code' },
  scopeSwitch: { zh: '切换区划', en: 'Switch area' },
  wholeCountry: { zh: '全国', en: 'Whole country' },
  loading: { zh: '正在加载…', en: 'Loading…' },
  noData: { zh: '暂无数据', en: 'No data' },
  notFoundTitle: { zh: '页面不存在', en: 'Page not found' },
  backHome: { zh: '返回首页', en: 'Back to the home page' },
  retry: { zh: '重试', en: 'Retry' },
  loadFailed: { zh: '加载失败', en: 'Could not load' },
  sessionExpired: { zh: '登录已过期，请重新登录', en: 'Your session ended; please sign in again' },
  menuAreas: { zh: '区划', en: 'Areas' },
  menuUsers: { zh: '用户管理', en: 'Users' },
  menuAudit: { zh: '审计日志', en: 'Audit log' },
  menuProfile: { zh: '个人中心', en: 'Profile' },
  noResults: { zh: '没有找到匹配的区划', en: 'No matching area' },
  collapse: { zh: '收起', en: 'Collapse' },
});
