// The page shown, kept in location.hash (#/fleet) so reload, back/forward and Electron's file:// all work.
import { useSyncExternalStore } from 'react';

export const PAGES = [
  { id: 'fleet', label: 'Fleet' },
  { id: 'jobs', label: 'Jobs' },
  { id: 'settings', label: 'Settings' },
] as const;
export type PageId = (typeof PAGES)[number]['id'];

function currentPage(): PageId {
  const id = window.location.hash.replace(/^#\/?/, '');
  return PAGES.some((p) => p.id === id) ? (id as PageId) : 'fleet';
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useCurrentPage(): PageId {
  return useSyncExternalStore(subscribe, currentPage);
}

export function pageHref(id: PageId): string {
  return `#/${id}`;
}
