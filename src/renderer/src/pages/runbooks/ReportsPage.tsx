// The fleet report and every service's runbook: preview and export.
export function ReportsPage() {
  return (
    <section className="page" aria-labelledby="reports-title">
      <h1 id="reports-title">Reports</h1>
    </section>
  );
}
