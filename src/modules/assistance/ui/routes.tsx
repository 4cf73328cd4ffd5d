/**
 * Assistance's pages, mounted inside the app shell by client/router.tsx. Each entry is a
 * <Route key=… path=… element=… />.
 */
import type { ReactElement } from 'react';
import { Route } from 'react-router';
import { HelperWorkspacePage } from './HelperWorkspacePage.tsx';
import { HouseholdAssistancePage } from './HouseholdAssistancePage.tsx';
import { PairingPage } from './PairingPage.tsx';
import { UnitsPage } from './UnitsPage.tsx';
import { WorkTeamsPage } from './WorkTeamsPage.tsx';
import { ContactPointsPage } from './ContactPointsPage.tsx';
import { VisitsDuePage } from './VisitsDuePage.tsx';
import { CoveragePage } from './CoveragePage.tsx';
import { MeasuresPage } from './MeasuresPage.tsx';

export const assistancePageRoutes: ReactElement[] = [
  <Route key="assistance-my" path="/assistance/my" element={<HelperWorkspacePage />} />,
  <Route key="assistance-household" path="/assistance/households/:id" element={<HouseholdAssistancePage />} />,
  <Route key="assistance-pairing" path="/assistance/pairing" element={<PairingPage />} />,
  <Route key="assistance-units" path="/assistance/units" element={<UnitsPage />} />,
  <Route key="assistance-work-teams" path="/assistance/work-teams" element={<WorkTeamsPage />} />,
  <Route key="assistance-contact-points" path="/assistance/contact-points" element={<ContactPointsPage />} />,
  <Route key="assistance-visits" path="/assistance/visits" element={<VisitsDuePage />} />,
  <Route key="assistance-measures" path="/assistance/measures" element={<MeasuresPage />} />,
  <Route key="assistance-coverage" path="/assistance/coverage" element={<CoveragePage />} />,
];
