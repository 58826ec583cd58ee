// SQL Server's clock: msdb and backup headers hold the server's local time without a zone; STOPAT takes it
// the same way. These convert between that and UTC with an offset in minutes (east of UTC positive).

/** '2026-11-25T10:00:00.000' (server local) with offset +60 -> '2026-11-25T09:00:00.000Z'. */
export function serverLocalToUtc(local: string, utcOffsetMinutes: number): string {
  const text = local.trim().replace(' ', 'T');
  const asUtc = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
  if (Number.isNaN(asUtc)) return local;
  return new Date(asUtc - utcOffsetMinutes * 60_000).toISOString();
}
