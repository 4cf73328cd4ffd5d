/**
 * Identification's pages, mounted inside the app shell by client/router.tsx. Each entry is a
 * <Route key=… path=… element=… />.
 */
import type { ReactElement } from 'react';
import { Route } from 'react-router';
import { DataQualityPage } from './DataQualityPage.tsx';
import { SamplingPage } from './SamplingPage.tsx';
import { RelativePovertyPage } from './RelativePovertyPage.tsx';

export const identificationPageRoutes: ReactElement[] = [
  <Route key="identification-data-quality" path="/identification/data-quality" element={<DataQualityPage />} />,
  <Route key="identification-samples" path="/identification/samples" element={<SamplingPage />} />,
  <Route key="identification-relative-poverty" path="/identification/relative-poverty" element={<RelativePovertyPage />} />,
];
