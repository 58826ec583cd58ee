// Where a repository lives, from what a DBA types: "/mnt/backups/lifeboat" (a folder or mounted share),
// "s3://bucket/prefix" (AWS, MinIO, Ceph, R2: endpoint, region and path style as query parameters) or
// "azure://account/container/prefix". Credentials never belong in a location, which is kept in the fleet
// file and printed in runbooks: one that carries a secret is refused, saying where secrets go instead.
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LifeboatError } from '../../lifeboatError';
import { assertStorePrefix } from './storeKey';

export interface PosixLocation {
  kind: 'posix';
  /** Absolute path of the repository's folder. */
  path: string;
}

export interface S3Location {
  kind: 's3';
  bucket: string;
  /** "" or a folder ending with "/". */
  prefix: string;
  /** An S3-compatible server (MinIO, Ceph radosgw, R2); AWS when absent. */
  endpoint?: string;
  /** The SDK's own default (AWS_REGION, ~/.aws/config) when absent; "auto" for R2. */
  region?: string;
  /** Path-style addressing (https://host/bucket/key): what MinIO and Ceph usually need. */
  forcePathStyle: boolean;
}

export interface AzureBlobLocation {
  kind: 'azure';
  account: string;
  container: string;
  /** "" or a folder ending with "/". */
  prefix: string;
  /** The blob service's address: https://<account>.blob.core.windows.net unless given (Azurite, sovereign clouds). */
  endpoint: string;
}

export type RepositoryLocation = PosixLocation | S3Location | AzureBlobLocation;

const S3_EXAMPLE = 's3://my-backups/lifeboat?endpoint=https://minio.internal:9000&region=us-east-1&path-style=true';
const AZURE_EXAMPLE = 'azure://mystorageaccount/backups/lifeboat';
const SECRETS_GO = 'Credentials come from the keychain or from environment variables the fleet file names, never from the location.';

function invalid(text: string, why: string, hint: string): LifeboatError {
  return new LifeboatError('INVALID_INPUT', `${text} is not a repository location: ${why}.`, hint);
}

// AWS's rules for new buckets (MinIO, Ceph and R2 follow them).
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
// Azure's rules: accounts 3-24 lower-case letters and digits; containers 3-63, letters, digits, single hyphens.
const ACCOUNT = /^[a-z0-9]{3,24}$/;
const CONTAINER = /^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$/;

/** Secrets spotted in a query string: SAS tokens (sig, sv + se), S3 presigned URLs, keys by name. */
const SECRET_PARAMETER = /^(sig|se|sv|sp|skoid|x-amz-.*|accesskey.*|access_key.*|secret.*|key|accountkey|token|sessiontoken|password)$/i;

export function parseRepositoryLocation(text: string, cwd: string = process.cwd()): RepositoryLocation {
  const trimmed = text.trim();
  if (!trimmed) throw invalid('""', 'it is empty', 'Give a folder (/mnt/backups/lifeboat), s3://bucket/prefix or azure://account/container/prefix.');
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'posix', path: isAbsolute(trimmed) ? resolve(trimmed) : resolve(cwd, trimmed) };
  if (scheme === 'file') return { kind: 'posix', path: resolve(fileURLToPath(trimmed)) };
  if (scheme !== 's3' && scheme !== 'azure')
    throw invalid(trimmed, `Lifeboat does not store backups on ${scheme}://`, 'Use a folder (or a mounted share), s3://bucket/prefix or azure://account/container/prefix.');
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw invalid(trimmed, 'it is not a well-formed URL', `For example ${scheme === 's3' ? S3_EXAMPLE : AZURE_EXAMPLE}.`);
  }
  // Until its parameters are known to hold no secret, a location is shown without userinfo and query.
  const bare = `${scheme}://${url.host}${url.pathname}`;
  if (url.username || url.password) throw invalid(bare, 'it carries a user name or secret', SECRETS_GO);
  if (url.hash) throw invalid(bare, 'it has a "#" part', 'Remove it.');
  // The URL parser quietly resolves "." and ".." segments: a location means what it says, or nothing.
  if (/\/\.{1,2}(\/|\?|$)/.test(trimmed.slice(scheme.length + 3).split('?')[0]!))
    throw invalid(bare, 'its path has a "." or ".." segment', `Write the prefix plainly, e.g. ${scheme === 's3' ? S3_EXAMPLE : AZURE_EXAMPLE}.`);
  const parameters = new Map<string, string>();
  for (const [name, value] of url.searchParams) {
    if (SECRET_PARAMETER.test(name)) throw invalid(bare, `its "${name}" parameter looks like a credential`, SECRETS_GO);
    parameters.set(name.toLowerCase(), value);
  }
  const shown = trimmed;
  return scheme === 's3' ? s3Location(shown, url, parameters) : azureLocation(shown, url, parameters);
}

function s3Location(text: string, url: URL, parameters: Map<string, string>): S3Location {
  const bucket = url.host;
  if (!BUCKET.test(bucket)) throw invalid(text, `"${bucket}" is not a bucket name (3-63 lower-case letters, digits, "." and "-")`, `For example ${S3_EXAMPLE}.`);
  unknownParameters(text, parameters, ['endpoint', 'region', 'path-style']);
  const endpoint = parameters.has('endpoint') ? endpointOf(text, parameters.get('endpoint')!) : undefined;
  const region = parameters.get('region') || undefined;
  if (region !== undefined && !/^[a-z0-9-]{1,64}$/.test(region)) throw invalid(text, `"${region}" is not a region name`, 'For example region=eu-west-1 (AWS) or region=auto (R2).');
  const pathStyle = parameters.get('path-style');
  if (pathStyle !== undefined && !['', 'true', 'false'].includes(pathStyle)) throw invalid(text, 'path-style is true or false', 'For example path-style=true for MinIO and Ceph.');
  return {
    kind: 's3',
    bucket,
    prefix: prefixOf(text, url.pathname),
    endpoint,
    region,
    // A server of one's own (MinIO, Ceph) rarely has the wildcard DNS that virtual-hosted buckets need.
    forcePathStyle: pathStyle === undefined ? endpoint !== undefined : pathStyle !== 'false',
  };
}

function azureLocation(text: string, url: URL, parameters: Map<string, string>): AzureBlobLocation {
  const account = url.host;
  if (!ACCOUNT.test(account)) throw invalid(text, `"${account}" is not a storage account name (3-24 lower-case letters and digits)`, `For example ${AZURE_EXAMPLE}.`);
  const [, container = '', ...rest] = url.pathname.split('/');
  if (!CONTAINER.test(container)) throw invalid(text, container ? `"${container}" is not a container name (3-63 lower-case letters, digits and single hyphens)` : 'it names no container', `For example ${AZURE_EXAMPLE}.`);
  unknownParameters(text, parameters, ['endpoint']);
  const endpoint = parameters.has('endpoint') ? endpointOf(text, parameters.get('endpoint')!) : `https://${account}.blob.core.windows.net`;
  return { kind: 'azure', account, container, prefix: prefixOf(text, `/${rest.join('/')}`), endpoint };
}

function unknownParameters(text: string, parameters: Map<string, string>, known: string[]): void {
  const unknown = [...parameters.keys()].filter((k) => !known.includes(k));
  if (unknown.length) throw invalid(text, `it has unknown parameters (${unknown.join(', ')})`, `Known parameters: ${known.join(', ')}.`);
}

function endpointOf(text: string, value: string): string {
  let endpoint: URL;
  try {
    endpoint = new URL(value);
  } catch {
    throw invalid(text, `its endpoint "${value}" is not a URL`, 'For example endpoint=https://minio.internal:9000.');
  }
  if (endpoint.protocol !== 'https:' && endpoint.protocol !== 'http:') throw invalid(text, 'its endpoint is not http(s)', 'For example endpoint=https://minio.internal:9000.');
  if (endpoint.username || endpoint.password || endpoint.search) throw invalid(text, 'its endpoint carries a user name, secret or query', SECRETS_GO);
  return endpoint.href.replace(/\/$/, '');
}

/** "/a/b" or "/a/b/" → "a/b/"; "/" or "" → "". */
function prefixOf(text: string, pathname: string): string {
  let prefix: string;
  try {
    prefix = decodeURIComponent(pathname).replace(/^\/+/, '');
  } catch {
    throw invalid(text, 'its path is not valid percent-encoding', 'Write the prefix plainly: s3://bucket/lifeboat/prod.');
  }
  if (prefix === '') return '';
  if (!prefix.endsWith('/')) prefix += '/';
  try {
    assertStorePrefix(prefix, text);
  } catch (err) {
    throw invalid(text, `its prefix "${prefix}" is not a folder name`, (err as LifeboatError).message);
  }
  return prefix;
}

/** The location as a DBA types it; parseRepositoryLocation(formatRepositoryLocation(l)) equals l. */
export function formatRepositoryLocation(location: RepositoryLocation): string {
  switch (location.kind) {
    case 'posix':
      return location.path;
    case 's3': {
      const query = new URLSearchParams();
      if (location.endpoint) query.set('endpoint', location.endpoint);
      if (location.region) query.set('region', location.region);
      if (location.forcePathStyle !== (location.endpoint !== undefined)) query.set('path-style', String(location.forcePathStyle));
      const q = readableQuery(query);
      return `s3://${location.bucket}/${location.prefix}${q ? `?${q}` : ''}`.replace(/\/\?/, '?').replace(/\/$/, '');
    }
    case 'azure': {
      const standard = location.endpoint === `https://${location.account}.blob.core.windows.net`;
      const path = `azure://${location.account}/${location.container}/${location.prefix}`.replace(/\/$/, '');
      return standard ? path : `${path}?${readableQuery(new URLSearchParams({ endpoint: location.endpoint }))}`;
    }
  }
}

/**
 * A query as a DBA typed it: an endpoint's ":" and "/" are left as they are (they need no escaping in a
 * query), so the fleet file and runbooks show endpoint=https://minio.internal:9000, not %3A%2F%2F.
 */
function readableQuery(query: URLSearchParams): string {
  return query.toString().replace(/%3A/gi, ':').replace(/%2F/gi, '/');
}
