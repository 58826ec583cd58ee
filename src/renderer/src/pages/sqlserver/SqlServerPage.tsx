// A SQL Server service: its backup history on the recovery timeline, backups, restore plans and scripts.
export function SqlServerPage({ serviceId }: { serviceId: string }) {
  return (
    <section className="page" aria-labelledby="sqlserver-title">
      <h1 id="sqlserver-title">SQL Server: {serviceId}</h1>
    </section>
  );
}
