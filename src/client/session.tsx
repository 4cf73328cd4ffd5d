/**
 * The signed-in session (GET /api/auth/session: user, CSRF token, actions, area full name) and the
 * current scope area the pages show (set by the scope switcher and by visiting an area page).
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { SessionDto } from '../modules/accounts/contract.ts';
import { isWithinScope, levelOfCode, type AreaLevel } from '../shared/area-code.ts';
import { ApiError, get, post, setCsrfToken, setUnauthenticatedHandler } from './api-client.ts';

export interface ScopeArea {
  code: string;
  name: string;
  level: AreaLevel;
}

type State = { status: 'loading' } | { status: 'anonymous'; expired?: boolean } | { status: 'signed-in'; session: SessionDto };

interface SessionContextValue {
  state: State;
  session: SessionDto | null;
  /** Reloads the session (after a password change, for instance). */
  refresh: () => Promise<void>;
  signIn: (username: string, password: string) => Promise<SessionDto>;
  signOut: () => Promise<void>;
  /** Whether the user's role holds the action. */
  can: (action: string) => boolean;
  scope: ScopeArea | null;
  setScope: (area: ScopeArea | null) => void;
}

const SCOPE_KEY = 'fupin.scope';

/** The scope kept in this tab, if it lies within the user's area. */
function storedScope(userArea: string | null): ScopeArea | null {
  try {
    const raw = sessionStorage.getItem(SCOPE_KEY);
    const area = raw ? (JSON.parse(raw) as ScopeArea) : null;
    return area && isWithinScope(userArea, area.code) ? area : null;
  } catch {
    return null;
  }
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ status: 'loading' });
  const [scope, setScopeState] = useState<ScopeArea | null>(null);
  // The scope survives a reload of the page (per browser tab), not a sign-out.
  const setScope = useCallback((area: ScopeArea | null) => {
    setScopeState(area);
    try {
      if (area) sessionStorage.setItem(SCOPE_KEY, JSON.stringify(area));
      else sessionStorage.removeItem(SCOPE_KEY);
    } catch {}
  }, []);

  const accept = useCallback((s: SessionDto) => {
    setCsrfToken(s.csrfToken);
    setState({ status: 'signed-in', session: s });
    setScopeState((prev) => prev ?? storedScope(s.user.areaCode) ?? (s.user.areaCode && s.user.areaName ? { code: s.user.areaCode, name: s.user.areaName, level: levelOfCode(s.user.areaCode) } : null));
  }, []);

  const refresh = useCallback(async () => {
    try {
      accept(await get<SessionDto>('/auth/session'));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        setCsrfToken(null);
        setState({ status: 'anonymous' });
      } else throw e;
    }
  }, [accept]);

  useEffect(() => {
    refresh().catch(() => setState({ status: 'anonymous' }));
    setUnauthenticatedHandler(() => {
      setCsrfToken(null);
      setScopeState(null);
      setState({ status: 'anonymous', expired: true });
    });
    return () => setUnauthenticatedHandler(null);
  }, [refresh]);

  const signIn = useCallback(
    async (username: string, password: string) => {
      const s = await post<SessionDto>('/auth/login', { username, password });
      setScope(null);
      accept(s);
      return s;
    },
    [accept, setScope],
  );

  const signOut = useCallback(async () => {
    try {
      await post('/auth/logout');
    } catch {}
    setCsrfToken(null);
    setScope(null);
    setState({ status: 'anonymous' });
  }, [setScope]);

  const session = state.status === 'signed-in' ? state.session : null;
  const can = useCallback((action: string) => session?.actions.includes(action) ?? false, [session]);

  const value = useMemo(() => ({ state, session, refresh, signIn, signOut, can, scope, setScope }), [state, session, refresh, signIn, signOut, can, scope, setScope]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}

/** The signed-in session; only for pages inside the authenticated layout. */
export function useSignedIn(): SessionDto {
  const { session } = useSession();
  if (!session) throw new Error('useSignedIn without a session');
  return session;
}
