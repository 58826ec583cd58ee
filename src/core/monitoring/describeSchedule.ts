// A cron expression in words, for the common shapes a DBA writes ("every day at 02:00 (Europe/Berlin)");
// anything else is shown as the expression itself, never guessed.

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const num = (s: string) => /^\d+$/.test(s);
const two = (n: string | number) => String(n).padStart(2, '0');
const step = (s: string) => /^\*\/(\d+)$/.exec(s)?.[1];

function dayName(s: string): string | undefined {
  if (!num(s)) return undefined;
  return DAYS[Number(s) % 7];
}

/** "Monday", "Monday to Friday", "Monday, Wednesday and Friday". */
function weekdays(field: string): string | undefined {
  const range = /^(\d)-(\d)$/.exec(field);
  if (range) {
    const [from, to] = [dayName(range[1]!), dayName(range[2]!)];
    return from && to ? `${from} to ${to}` : undefined;
  }
  const names = field.split(',').map(dayName);
  if (names.some((n) => !n)) return undefined;
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function times(hours: string, minute: string, second?: string): string | undefined {
  if (!num(minute) || (second !== undefined && !num(second))) return undefined;
  const hs = hours.split(',');
  if (hs.some((h) => !num(h))) return undefined;
  const suffix = second !== undefined && second !== '0' ? `:${two(second)}` : '';
  const list = hs.map((h) => `${two(h)}:${two(minute)}${suffix}`);
  return list.length === 1 ? list[0] : `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`;
}

function describeFields(f: string[]): string | undefined {
  let second: string | undefined;
  if (f.length === 6) {
    second = f.shift()!;
    const s = step(second);
    if (f.every((x) => x === '*')) return second === '*' ? 'every second' : s ? `every ${s} seconds` : undefined;
  }
  const [minute, hour, dom, month, dow] = f as [string, string, string, string, string];
  if (second !== undefined && !num(second)) return undefined;
  if (hour === '*' && dom === '*' && month === '*' && dow === '*') {
    if (minute === '*' && (second === undefined || second === '0')) return 'every minute';
    const s = step(minute);
    if (s && (second === undefined || second === '0')) return `every ${s} minutes`;
    if (num(minute)) return `every hour at :${two(minute)}${second && second !== '0' ? `:${two(second)}` : ''}`;
    return undefined;
  }
  const hourStep = step(hour);
  if (hourStep && num(minute) && dom === '*' && month === '*' && dow === '*') return `every ${hourStep} hours at :${two(minute)}`;
  const at = times(hour, minute, second);
  if (!at) return undefined;
  if (dom === '*' && month === '*' && dow === '*') return `every day at ${at}`;
  if (dom === '*' && month === '*') {
    const days = weekdays(dow);
    if (!days) return undefined;
    return dow.includes('-') || dow.includes(',') ? `${days} at ${at}` : `every ${days} at ${at}`;
  }
  if (num(dom) && dow === '*') {
    if (month === '*') return `on day ${dom} of every month at ${at}`;
    if (num(month)) return `on ${Number(dom)} ${MONTHS[Number(month) - 1] ?? month} at ${at}`;
  }
  return undefined;
}

export function describeSchedule(cron: string, timeZone: string): string {
  const fields = cron.trim().split(/\s+/);
  const words = fields.length === 5 || fields.length === 6 ? describeFields([...fields]) : undefined;
  return `${words ?? `cron "${cron.trim()}"`} (${timeZone})`;
}
