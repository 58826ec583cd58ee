// One service's replication and HA status: standbys, slots, archiver, lag chart, promotion.
export function ReplicationPage({ serviceId }: { serviceId: string }) {
  return (
    <section className="page" aria-labelledby="replication-title">
      <h1 id="replication-title">Replication: {serviceId}</h1>
    </section>
  );
}
