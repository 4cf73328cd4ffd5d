/**
 * Identification's pages, mounted inside the app shell by client/router.tsx. Each entry is a
 * <Route key=… path=… element=… />.
 */
import type { ReactElement } from 'react';
import { Route } from 'react-router';
import { IdentificationPage } from './IdentificationPage.tsx';
import { NewBatchPage } from './NewBatchPage.tsx';
import { BatchPage } from './BatchPage.tsx';
import { ApplicationPage } from './ApplicationPage.tsx';
import { NoticePrintPage } from './NoticePrintPage.tsx';
import { DataQualityPage } from './DataQualityPage.tsx';
import { RedLinesPage } from './RedLinesPage.tsx';
import { SamplingPage } from './SamplingPage.tsx';
import { RelativePovertyPage } from './RelativePovertyPage.tsx';
import { AdjustmentPage } from './AdjustmentPage.tsx';
import { VillageIdentificationPage } from './VillageIdentificationPage.tsx';

export const identificationPageRoutes: ReactElement[] = [
  <Route key="identification" path="/identification" element={<IdentificationPage />} />,
  // /batches/new before /batches/:id.
  <Route key="identification-batch-new" path="/identification/batches/new" element={<NewBatchPage />} />,
  <Route key="identification-batch" path="/identification/batches/:id" element={<BatchPage />} />,
  <Route key="identification-notice" path="/identification/batches/:id/notices/:kind" element={<NoticePrintPage />} />,
  <Route key="identification-application" path="/identification/applications/:id" element={<ApplicationPage />} />,
  <Route key="identification-data-quality" path="/identification/data-quality" element={<DataQualityPage />} />,
  <Route key="identification-red-lines" path="/identification/red-lines" element={<RedLinesPage />} />,
  <Route key="identification-samples" path="/identification/samples" element={<SamplingPage />} />,
  <Route key="identification-relative-poverty" path="/identification/relative-poverty" element={<RelativePovertyPage />} />,
  <Route key="identification-adjustment" path="/identification/adjustment" element={<AdjustmentPage />} />,
  <Route key="identification-villages" path="/identification/villages" element={<VillageIdentificationPage />} />,
];
