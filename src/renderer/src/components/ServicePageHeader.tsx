// The top of every page of one service: the way back to the fleet and to the service's other pages, the
// title with a lead line of facts, the page's actions, a live region for announcements, and the loading and
// "no such service" states every such page needs.
import type { ReactNode } from 'react';
import { pageHref } from '../navigation/route';
import { EmptyState } from './EmptyState';
import './ServicePageHeader.css';

export interface ServicePageLink {
  href: string;
  label: string;
  testId?: string;
}

export interface ServicePageHeaderProps {
  serviceId: string;
  title: string;
  /** Facts after the service id, e.g. " · PostgreSQL · RPO 15m". */
  lead?: ReactNode;
  /** The service's other pages, shown after "Back to the fleet". */
  links?: ServicePageLink[];
  actions?: ReactNode;
  announcement: string;
  servicesLoaded: boolean;
  /** False when the fleet has no such service: the page shows why and nothing else. */
  known: boolean;
  /** data-testid of the unknown-service notice, e.g. "recovery-unknown-service". */
  unknownTestId: string;
}

export function ServicePageHeader({ serviceId, title, lead, links = [], actions, announcement, servicesLoaded, known, unknownTestId }: ServicePageHeaderProps) {
  return (
    <>
      <p className="service-page__links">
        <a href={pageHref('fleet')}>
          <span aria-hidden="true">← </span>Back to the fleet
        </a>
        {links.map((link) => (
          <span key={link.href}>
            <span className="muted" aria-hidden="true">
              {' · '}
            </span>
            <a href={link.href} data-testid={link.testId}>
              {link.label}
            </a>
          </span>
        ))}
      </p>
      <div className="page__head">
        <div>
          <h1>{title}</h1>
          <p className="page__lead">
            <span className="mono">{serviceId}</span>
            {lead}
          </p>
        </div>
        {actions}
      </div>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {!servicesLoaded && <p className="muted">Loading…</p>}
      {servicesLoaded && !known && (
        <EmptyState title={`No service "${serviceId}"`} testId={unknownTestId}>
          It is not in the fleet (any more), or the address is mistyped.
        </EmptyState>
      )}
    </>
  );
}
