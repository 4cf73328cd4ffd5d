/**
 * Identification's pages, mounted inside the app shell by client/router.tsx. Each entry is a
 * <Route key=… path=… element=… />.
 */
import type { ReactElement } from 'react';

export const identificationPageRoutes: ReactElement[] = [];
