// One service's runbook: preview and export.
import { useDocumentTitle } from '../../navigation/useDocumentTitle';
import { pageHref } from '../../navigation/route';
import { DocumentPreview } from './DocumentPreview';

export function RunbookPage({ serviceId }: { serviceId: string }) {
  useDocumentTitle(`Runbook of ${serviceId}`);
  return (
    <section className="page" aria-labelledby="runbook-title">
      <h1 id="runbook-title">Runbook: {serviceId}</h1>
      <p className="muted">
        Who to call, the policy, the current state and the exact commands to restore this service, written from the live fleet.{' '}
        <a href={pageHref('reports')}>All reports</a>
      </p>
      <DocumentPreview document={{ kind: 'runbook', serviceId }} label={`the runbook of ${serviceId}`} />
    </section>
  );
}
