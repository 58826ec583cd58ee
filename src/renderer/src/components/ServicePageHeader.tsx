// The top of a tab of a service's page: the title with a lead line of facts, the tab's actions and a live
// region for its announcements. The way back to the fleet, the tabs and the "no such service" state are the
// service page's (pages/service/ServicePage.tsx).
import type { ReactNode } from 'react';

export interface ServicePageHeaderProps {
  serviceId: string;
  title: string;
  /** Facts after the service id, e.g. " · PostgreSQL · RPO 15m". */
  lead?: ReactNode;
  actions?: ReactNode;
  announcement: string;
}

export function ServicePageHeader({ serviceId, title, lead, actions, announcement }: ServicePageHeaderProps) {
  return (
    <>
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
    </>
  );
}
