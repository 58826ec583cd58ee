// The window's frame: header with the app name, the left navigation, the current page and the jobs panel.
import type { ReactNode } from 'react';
import { DisconnectedBanner } from '../components/DisconnectedBanner';
import { PAGES, navPageOf, pageHref } from '../navigation/route';
import type { Route } from '../navigation/route';
import { JobsPanel } from './JobsPanel';
import { LifebuoyMark } from './LifebuoyMark';
import './AppFrame.css';

export function AppFrame({ route, children }: { route: Route; children: ReactNode }) {
  const page = navPageOf(route);
  // Below a page (a service's backups under Fleet) the entry is the current location, not the current page.
  const current = route.page === page ? 'page' : 'location';
  return (
    <div className="app-frame">
      {/* A button, not href="#main": the hash holds the current page. */}
      <button type="button" className="skip-link" onClick={() => document.getElementById('main')?.focus()}>
        Skip to content
      </button>
      <header className="app-header">
        <LifebuoyMark />
        <span className="app-header__name">Lifeboat</span>
        <span className="app-header__tagline muted">Backups and recovery for your fleet's databases</span>
      </header>
      <DisconnectedBanner />
      <div className="app-frame__body">
        <nav className="app-nav" aria-label="Main">
          <ul className="plain-list">
            {PAGES.map((p) => (
              <li key={p.id}>
                <a className="app-nav__link" href={pageHref(p.id)} aria-current={p.id === page ? current : undefined}>
                  {p.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="app-frame__content">
          <main id="main" className="app-main" tabIndex={-1}>
            {children}
          </main>
          {/* The Jobs page lists every job already; the panel would only repeat it. */}
          {page !== 'jobs' && <JobsPanel />}
        </div>
      </div>
    </div>
  );
}
