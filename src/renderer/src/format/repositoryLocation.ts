// A repository location as the Settings form edits it: a folder, or the fields of an s3:// or azure://
// location, turned into the text the core parses (and back, when a DBA pastes one). The core stays the judge
// of what is valid; this only builds and splits the text the way `lifeboat repo init` reads it.
import type { RepositoryView } from '../../../shared/backups';

export type StorageKind = RepositoryView['storage'];

export const STORAGE_LABEL: Record<StorageKind, string> = { folder: 'Folder', s3: 'S3', azure: 'Azure Blob' };

export interface S3Fields {
  bucket: string;
  prefix: string;
  endpoint: string;
  region: string;
  /** Path-style addressing; undefined is the core's default (on when an endpoint is given). */
  pathStyle?: boolean;
}

export interface AzureFields {
  account: string;
  container: string;
  prefix: string;
  endpoint: string;
}

export const EMPTY_S3: S3Fields = { bucket: '', prefix: '', endpoint: '', region: '' };
export const EMPTY_AZURE: AzureFields = { account: '', container: '', prefix: '', endpoint: '' };

/** Whether an S3 location addresses buckets by path: as given, else on for a server of one's own. */
export function effectivePathStyle(fields: S3Fields): boolean {
  return fields.pathStyle ?? fields.endpoint.trim() !== '';
}

/** "/a/b/" → "a/b": the prefix as it sits in a location. */
function cleanPrefix(prefix: string): string {
  return prefix.trim().replace(/^\/+|\/+$/g, '');
}

/** A query as a DBA types it: an endpoint's ":" and "/" need no escaping there (the core writes it the same). */
function readableQuery(query: URLSearchParams): string {
  return query.toString().replace(/%3A/gi, ':').replace(/%2F/gi, '/');
}

export function s3Location(fields: S3Fields): string {
  const query = new URLSearchParams();
  const endpoint = fields.endpoint.trim();
  const region = fields.region.trim();
  if (endpoint) query.set('endpoint', endpoint);
  if (region) query.set('region', region);
  if (fields.pathStyle !== undefined && fields.pathStyle !== (endpoint !== '')) query.set('path-style', String(fields.pathStyle));
  const prefix = cleanPrefix(fields.prefix);
  const q = readableQuery(query);
  return `s3://${fields.bucket.trim()}${prefix ? `/${prefix}` : ''}${q ? `?${q}` : ''}`;
}

export function azureLocation(fields: AzureFields): string {
  const endpoint = fields.endpoint.trim();
  const prefix = cleanPrefix(fields.prefix);
  const q = endpoint ? readableQuery(new URLSearchParams({ endpoint })) : '';
  return `azure://${fields.account.trim()}/${fields.container.trim()}${prefix ? `/${prefix}` : ''}${q ? `?${q}` : ''}`;
}

export type ReadLocation = { kind: 'folder'; path: string } | { kind: 's3'; fields: S3Fields } | { kind: 'azure'; fields: AzureFields };

// Split by hand rather than with URL: how browsers parse the host of a non-special scheme has changed over time.
const OBJECT_STORE = /^(s3|azure):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?$/i;

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The fields of a typed location, or undefined when it is an s3:// or azure:// text the fields cannot hold. */
export function readLocation(text: string): ReadLocation | undefined {
  const trimmed = text.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) return { kind: 'folder', path: trimmed };
  const match = OBJECT_STORE.exec(trimmed);
  if (!match) return undefined;
  const [, scheme, host = '', path = '', rawQuery = ''] = match;
  const query = new URLSearchParams(rawQuery);
  const segments = decoded(path).split('/').filter(Boolean);
  if (scheme!.toLowerCase() === 's3') {
    const pathStyle = query.get('path-style');
    return {
      kind: 's3',
      fields: {
        bucket: host,
        prefix: segments.join('/'),
        endpoint: query.get('endpoint') ?? '',
        region: query.get('region') ?? '',
        pathStyle: pathStyle === null ? undefined : pathStyle !== 'false',
      },
    };
  }
  const [container = '', ...prefix] = segments;
  return { kind: 'azure', fields: { account: host, container, prefix: prefix.join('/'), endpoint: query.get('endpoint') ?? '' } };
}
