/** The shape of the menu entries each capability contributes (src/modules/<module>/ui/menu.tsx). */
import type { ReactNode } from 'react';
import type { Msg } from './i18n.tsx';

export interface MenuEntry {
  key: string;
  /** Where the entry leads; also the prefix of the paths that highlight it. */
  path: string;
  label: Msg;
  icon: ReactNode;
  /** The action the role must hold to see the entry; none for everyone. */
  action?: string;
  /** Position in the menu (lower first). */
  order: number;
}
