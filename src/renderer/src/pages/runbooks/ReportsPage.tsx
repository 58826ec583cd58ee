// The fleet report and every service's runbook: preview and export.
//
// Names for end-to-end tests: heading "Reports"; period select "Period" (data-testid="report-days"); the
// report's DocumentPreview (see there); links "Runbook of <name>" (data-testid="runbook-link-<id>").
import { useEffect, useState } from 'react';
import { useDocumentTitle } from '../../navigation/useDocumentTitle';
import { serviceHref } from '../../navigation/route';
import { useServicesStore } from '../../stores/servicesStore';
import { DocumentPreview } from './DocumentPreview';

export function ReportsPage() {
  useDocumentTitle('Reports');
  const [days, setDays] = useState(30);
  const services = useServicesStore((s) => s.services);
  const refresh = useServicesStore((s) => s.refresh);
  const [allOpen, setAllOpen] = useState(false);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  return (
    <section className="page" aria-labelledby="reports-title">
      <h1 id="reports-title">Reports</h1>
      <p className="muted">
        The backup and recovery strategy of the fleet, written from what is true now: compliance with each service's RPO and RTO,
        failures, storage, drills, gaps and open risks. Templates live in resources/templates (see docs/runbooks.md).
      </p>
      <label className="field-inline">
        Period{' '}
        <select value={days} onChange={(e) => setDays(Number(e.target.value))} data-testid="report-days">
          {[7, 30, 90].map((d) => (
            <option key={d} value={d}>
              last {d} days
            </option>
          ))}
        </select>
      </label>
      <DocumentPreview document={{ kind: 'report', days }} label="the fleet report" />
      <h2>Runbooks</h2>
      <ul className="plain-list">
        {services.map((v) => (
          <li key={v.service.id}>
            <a href={serviceHref(v.service.id, 'runbook')} data-testid={`runbook-link-${v.service.id}`}>
              Runbook of {v.service.name}
            </a>
          </li>
        ))}
      </ul>
      <details onToggle={(e) => setAllOpen((e.target as HTMLDetailsElement).open)}>
        <summary>Every runbook in one document</summary>
        {allOpen && <DocumentPreview document={{ kind: 'runbooks' }} label="every runbook" />}
      </details>
    </section>
  );
}
