/**
 * The app shell for signed-in users: a header (title, user, role, area, language, sign-out), a left
 * sider with the menu the role may see and the scope switcher, and the page in the content area.
 */
import { useEffect, useState } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { App as AntApp, Button, Divider, Flex, Layout, Menu, Spin, Tag, Tooltip, Typography } from 'antd';
import { GlobalOutlined, LogoutOutlined, EnvironmentOutlined, MenuOutlined } from '@ant-design/icons';
import { ROLE_LABELS } from '../shared/access.ts';
import { areasMenu } from '../modules/areas/ui/menu.tsx';
import { accountsMenu } from '../modules/accounts/ui/menu.tsx';
import { auditMenu } from '../modules/audit/ui/menu.tsx';
import { householdsMenu } from '../modules/households/ui/menu.tsx';
import { exchangeMenu } from '../modules/exchange/ui/menu.tsx';
import { identificationMenu } from '../modules/identification/ui/menu.tsx';
import { assistanceMenu } from '../modules/assistance/ui/menu.tsx';
import { ScopeSwitcher } from './components/ScopeSwitcher.tsx';
import { useI18n } from './i18n.tsx';
import { M } from './messages.ts';
import { useSession } from './session.tsx';
import type { MenuEntry } from './menu.ts';

const MENU: MenuEntry[] = [...areasMenu, ...householdsMenu, ...exchangeMenu, ...identificationMenu, ...assistanceMenu, ...accountsMenu, ...auditMenu].sort((a, b) => a.order - b.order);

const HEADER_HEIGHT = 56;

/** Waits for the session; sends anonymous visitors to the sign-in page. */
export function RequireSession() {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'loading') return <Spin size="large" fullscreen />;
  if (state.status === 'anonymous') {
    const next = location.pathname + location.search;
    return <Navigate to={`/login${next && next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`} replace state={{ expired: state.expired }} />;
  }
  return <AppLayout />;
}

function useWindowHeight(): number {
  const [h, setH] = useState(() => window.innerHeight);
  useEffect(() => {
    const on = () => setH(window.innerHeight);
    window.addEventListener('resize', on);
    return () => window.removeEventListener('resize', on);
  }, []);
  return h;
}

function AppLayout() {
  const { session, signOut, can, scope, setScope } = useSession();
  const { t, lang, setLang } = useI18n();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const height = useWindowHeight();
  const [siderCollapsed, setSiderCollapsed] = useState(() => window.innerWidth < 992);
  if (!session) return null;
  const { user } = session;

  if (user.mustChangePassword && location.pathname !== '/profile') return <Navigate to="/profile" replace />;

  const narrow = window.innerWidth < 992;
  const entries = MENU.filter((e) => !e.action || can(e.action));
  const selected = entries.find((e) => location.pathname === e.path || location.pathname.startsWith(`${e.path}/`))?.key;
  const menuHeight = entries.length * 44 + 16;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header className="fupin-header" style={{ height: HEADER_HEIGHT, lineHeight: `${HEADER_HEIGHT}px` }}>
        <Flex align="center" gap={12} style={{ minWidth: 0 }}>
          <Button
            type="text"
            className="fupin-header-btn fupin-menu-toggle"
            aria-label={t(M.menu)}
            icon={<MenuOutlined />}
            onClick={() => setSiderCollapsed((c) => !c)}
          />
          <div className="fupin-logo" aria-hidden>
            扶
          </div>
          <Typography.Title level={5} style={{ color: '#fff', margin: 0, whiteSpace: 'nowrap' }}>
            {t(M.appTitle)}
          </Typography.Title>
          <span className="fupin-brand">fupin</span>
        </Flex>
        <Flex align="center" gap={12} style={{ minWidth: 0 }}>
          <Flex vertical className="fupin-user" style={{ minWidth: 0 }}>
            <span>
              <strong data-testid="current-user">{user.displayName}</strong>
              <Tag color="gold" style={{ marginLeft: 8, marginRight: 0 }}>
                {ROLE_LABELS[user.role][lang]}
              </Tag>
            </span>
            <Tooltip title={session.areaFullName ?? t(M.wholeCountry)}>
              <span className="fupin-user-area">
                <EnvironmentOutlined /> {session.areaFullName ?? t(M.wholeCountry)}
              </span>
            </Tooltip>
          </Flex>
          <Button type="text" className="fupin-header-btn" icon={<GlobalOutlined />} onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
            {t(M.language)}
          </Button>
          <Button
            type="text"
            className="fupin-header-btn"
            icon={<LogoutOutlined />}
            onClick={async () => {
              await signOut();
              message.success(t(M.signedOut));
              navigate('/login', { replace: true });
            }}
          >
            {t(M.signOut)}
          </Button>
        </Flex>
      </Layout.Header>
      <Layout>
        {/* On a phone or a narrow window the sider folds away behind a tab (antd's zero-width trigger). */}
        <Layout.Sider
          width={248}
          theme="light"
          className="fupin-sider"
          breakpoint="lg"
          collapsedWidth={0}
          collapsible
          trigger={null}
          collapsed={siderCollapsed}
          onCollapse={setSiderCollapsed}
          style={{ height: `calc(100vh - ${HEADER_HEIGHT}px)`, position: 'sticky', top: HEADER_HEIGHT, zIndex: 20 }}
        >
          <Menu
            mode="inline"
            selectedKeys={selected ? [selected] : []}
            items={entries.map((e) => ({
              key: e.key,
              icon: e.icon,
              label: t(e.label),
              onClick: () => {
                navigate(e.path);
                if (narrow) setSiderCollapsed(true);
              },
            }))}
            style={{ borderInlineEnd: 0 }}
          />
          <Divider style={{ margin: '4px 0 8px' }} />
          <div style={{ padding: '0 12px' }}>
            <Typography.Text type="secondary" strong style={{ display: 'block', marginBottom: 6 }}>
              {t(M.scope)}
            </Typography.Text>
            <ScopeSwitcher
              current={scope?.code ?? null}
              height={Math.max(160, height - HEADER_HEIGHT - menuHeight - 120)}
              onSelect={(a) => {
                setScope(a);
                navigate(`/areas/${a.code}`);
                if (narrow) setSiderCollapsed(true);
              }}
            />
          </div>
        </Layout.Sider>
        <Layout.Content className="fupin-content">
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
