// A service id suggested from a database name: "Orders_DB" -> "orders_db", "billing service" -> "billing-service".

export function suggestServiceId(database: string): string {
  return database
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 63)
    .replace(/-+$/, '');
}
