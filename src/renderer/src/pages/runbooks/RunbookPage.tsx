// One service's runbook: preview and export.
export function RunbookPage({ serviceId }: { serviceId: string }) {
  return (
    <section className="page" aria-labelledby="runbook-title">
      <h1 id="runbook-title">Runbook: {serviceId}</h1>
    </section>
  );
}
