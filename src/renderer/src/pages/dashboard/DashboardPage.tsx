// Fleet compliance at a glance: backups against RPO, windows, drills against RTO, replication, schedules.
export function DashboardPage() {
  return (
    <section className="page" aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">Dashboard</h1>
    </section>
  );
}
