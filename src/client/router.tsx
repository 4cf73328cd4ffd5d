/** The client's routes: /login outside the shell; every other page inside it. */
import { useEffect, useState } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { Button, Result, Spin } from 'antd';
import type { AreaChildDto } from '../modules/areas/contract.ts';
import { LoginPage } from '../modules/accounts/ui/LoginPage.tsx';
import { UsersPage } from '../modules/accounts/ui/UsersPage.tsx';
import { ProfilePage } from '../modules/accounts/ui/ProfilePage.tsx';
import { AreaPage } from '../modules/areas/ui/AreaPage.tsx';
import { AuditPage } from '../modules/audit/ui/AuditPage.tsx';
import { HouseholdListPage } from '../modules/households/ui/HouseholdListPage.tsx';
import { HouseholdNewPage } from '../modules/households/ui/HouseholdNewPage.tsx';
import { HouseholdDetailPage } from '../modules/households/ui/HouseholdDetailPage.tsx';
import { HouseholdEditPage } from '../modules/households/ui/HouseholdEditPage.tsx';
import { HouseholdCardPage } from '../modules/households/ui/HouseholdCardPage.tsx';
import { VillageRegisterPage } from '../modules/households/ui/VillageRegisterPage.tsx';
import { TownshipArchivePage } from '../modules/households/ui/TownshipArchivePage.tsx';
import { DuplicatesPage } from '../modules/households/ui/DuplicatesPage.tsx';
import { ImportPage } from '../modules/exchange/ui/ImportPage.tsx';
import { identificationPageRoutes } from '../modules/identification/ui/routes.tsx';
import { assistancePageRoutes } from '../modules/assistance/ui/routes.tsx';
import { AssistanceCardSection } from '../modules/assistance/ui/AssistanceCardSection.tsx';
import { HouseholdAssistanceTab } from '../modules/assistance/ui/HouseholdAssistanceTab.tsx';
import type { HouseholdTab } from '../modules/households/ui/HouseholdDetailPage.tsx';
import { get } from './api-client.ts';
import { RequireSession } from './AppLayout.tsx';
import { useI18n } from './i18n.tsx';
import { M } from './messages.ts';
import { useSession } from './session.tsx';
import { LoadError } from './components/LoadError.tsx';

/**
 * Where a signed-in user lands: the current scope area, else the user's own area; a user without an
 * area (the administrator) lands on the top of the tree, followed down while an area has a single
 * child, as far as a county.
 */
function HomeRedirect() {
  const { scope, session } = useSession();
  const start = scope?.code ?? session?.user.areaCode ?? null;
  // A helper lands on their households; a work-team member on the village's work team.
  const roleHome = session?.user.role === 'helper' ? '/assistance/my' : session?.user.role === 'work_team_member' ? '/assistance/work-teams' : null;
  const [target, setTarget] = useState<string | null>(start);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (start) return;
    let live = true;
    (async () => {
      let items = (await get<{ items: AreaChildDto[] }>('/areas')).items;
      let code: string | null = null;
      while (items.length === 1 && items[0]!.level !== 'county' && items[0]!.hasChildren) {
        code = items[0]!.code;
        items = (await get<{ items: AreaChildDto[] }>(`/areas/${code}/children`)).items;
      }
      if (items.length === 1) code = items[0]!.code;
      return code;
    })()
      .then((c) => live && setTarget(c ?? ''))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [start]);
  if (roleHome) return <Navigate to={roleHome} replace />;
  if (error) return <LoadError error={error} />;
  if (target === null) return <Spin style={{ display: 'block', margin: 48 }} />;
  if (target === '') return <Navigate to="/profile" replace />;
  return <Navigate to={`/areas/${target}`} replace />;
}

/** Tabs other capabilities add to the household page. */
const HOUSEHOLD_TABS: HouseholdTab[] = [{ key: 'assistance', label: { zh: '帮扶', en: 'Assistance' }, render: (id) => <HouseholdAssistanceTab householdId={id} /> }];

function NotFoundPage() {
  const { t } = useI18n();
  return <Result status="404" title={t(M.notFoundTitle)} extra={<Button href="/">{t(M.backHome)}</Button>} />;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route element={<RequireSession />}>
        <Route index element={<HomeRedirect />} />
        <Route path="/areas" element={<HomeRedirect />} />
        <Route path="/areas/:code" element={<AreaPage />} />
        <Route path="/households" element={<HouseholdListPage />} />
        <Route path="/households/new" element={<HouseholdNewPage />} />
        <Route path="/households/duplicates" element={<DuplicatesPage />} />
        <Route path="/households/:id" element={<HouseholdDetailPage extraTabs={HOUSEHOLD_TABS} />} />
        <Route path="/households/:id/edit" element={<HouseholdEditPage />} />
        <Route path="/households/:id/card" element={<HouseholdCardPage helpSection={AssistanceCardSection} />} />
        <Route path="/villages/:code/register" element={<VillageRegisterPage />} />
        <Route path="/townships/:code/archive" element={<TownshipArchivePage />} />
        <Route path="/imports" element={<ImportPage />} />
        {identificationPageRoutes}
        {assistancePageRoutes}
        <Route path="/users" element={<UsersPage />} />
        <Route path="/audit" element={<AuditPage />} />
        <Route path="/profile" element={<ProfilePage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
