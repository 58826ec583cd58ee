// Finds the password in a pasted URI or connection string, locally: services.parseConnection splits it off and
// never sends it back (secrets do not travel toward the renderer), yet the wizard should put it in the password box.

/** postgresql://user:secret@host/db, mssql://…, or ?password=… in the query string. */
function fromUri(text: string): string | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)@/i.exec(text);
  const userInfo = match?.[1];
  if (userInfo !== undefined) {
    const colon = userInfo.indexOf(':');
    if (colon >= 0) return safeDecode(userInfo.slice(colon + 1));
  }
  const query = /[?&]password=([^&#]*)/i.exec(text);
  return query?.[1] !== undefined ? safeDecode(query[1]) : undefined;
}

/** Server=…;User Id=…;Password=…; (also PWD=, {braced} and "quoted" values, and jdbc:sqlserver://…;password=…). */
function fromSemicolonPairs(text: string): string | undefined {
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    if (eq < 0) return undefined;
    const key = text.slice(i, eq).trim().toLowerCase();
    let j = eq + 1;
    while (text[j] === ' ') j++;
    let value = '';
    const open = text[j];
    if (open === '{' || open === '"' || open === "'") {
      const close = open === '{' ? '}' : open;
      j++;
      while (j < text.length) {
        if (text[j] === close && text[j + 1] === close) {
          value += close;
          j += 2;
        } else if (text[j] === close) {
          j++;
          break;
        } else value += text[j++];
      }
      const semi = text.indexOf(';', j);
      i = semi < 0 ? text.length : semi + 1;
    } else {
      const semi = text.indexOf(';', j);
      value = text.slice(j, semi < 0 ? text.length : semi).trim();
      i = semi < 0 ? text.length : semi + 1;
    }
    if (key === 'password' || key === 'pwd') return value;
  }
  return undefined;
}

/** libpq keyword/value form: host=db1 user=app password='s3cr et'. */
function fromLibpqPairs(text: string): string | undefined {
  const match = /(?:^|\s)password\s*=\s*('((?:[^'\\]|\\.)*)'|(\S+))/i.exec(text);
  if (!match) return undefined;
  return match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3];
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function passwordFromConnectionText(text: string): string | undefined {
  const trimmed = text.trim();
  if (/^jdbc:/i.test(trimmed)) return fromSemicolonPairs(trimmed.slice(trimmed.indexOf(';') + 1));
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) return fromUri(trimmed);
  if (trimmed.includes(';')) return fromSemicolonPairs(trimmed);
  return fromLibpqPairs(trimmed);
}
