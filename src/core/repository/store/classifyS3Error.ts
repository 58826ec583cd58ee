// An S3 server's answer (AWS, MinIO, Ceph radosgw, R2) or the network's, said as a LifeboatError naming the
// repository: the error codes are S3's own (the SDK's exception name), the hints name the setting or the
// command that checks it. Messages carry codes and names only, never the server's text (a
// SignatureDoesNotMatch answer echoes the request it signed).
import { LifeboatError } from '../../lifeboatError';
import type { S3Location } from './parseRepositoryLocation';
import { cancelledError, isAbortError } from './storeCancellation';

export interface S3ErrorContext {
  storeName: string;
  location: S3Location;
  /** Where the credentials came from, for AUTH_FAILED's hint. */
  credentialsFrom: string;
  key?: string;
  signal?: AbortSignal;
}

const AUTH_CODES = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken', 'TokenRefreshRequired', 'InvalidClientTokenId', 'CredentialsProviderError', 'UnrecognizedClientException']);
const PERMISSION_CODES = new Set(['AccessDenied', 'AllAccessDisabled', 'AccountProblem', 'InvalidObjectState']);
/** What S3-compatible servers say when they are full or over quota (Ceph: QuotaExceeded; MinIO: XMinioStorageFull). */
const SPACE_CODES = new Set(['QuotaExceeded', 'XMinioStorageFull', 'InsufficientStorage', 'XMinioAdminBucketQuotaExceeded', 'StorageFull']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE']);
const TLS_CODE = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_TLS_|ERR_SSL_)/;

function errorCode(err: unknown): string {
  const e = err as { name?: string; Code?: string; code?: string };
  return e?.Code ?? (e?.name && e.name !== 'Error' ? e.name : undefined) ?? e?.code ?? '';
}

function httpStatus(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

/** The network's own error code, wherever the SDK put it (the error itself or its cause). */
function networkCode(err: unknown): string | undefined {
  for (let e = err as { code?: string; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || TLS_CODE.test(e.code))) return e.code;
  }
  const name = (err as Error)?.name;
  if (name === 'TimeoutError' || name === 'RequestTimeout') return name;
  return undefined;
}

export function classifyS3Error(err: unknown, c: S3ErrorContext): unknown {
  if (err instanceof LifeboatError) return err;
  if (c.signal?.aborted || isAbortError(err)) return cancelledError(c.signal, c.storeName);
  const code = errorCode(err);
  const status = httpStatus(err);
  const { bucket, endpoint } = c.location;
  const server = endpoint ?? 'AWS S3';
  const cli = `aws s3 ls s3://${bucket}/${c.location.prefix}${endpoint ? ` --endpoint-url ${endpoint}` : ''}`;
  const what = c.key === undefined ? c.storeName : `${c.key} in ${c.storeName}`;
  const fail = (kind: ConstructorParameters<typeof LifeboatError>[0], message: string, hint: string, keepCause = true) => new LifeboatError(kind, message, hint, keepCause ? { cause: err } : undefined);

  const net = networkCode(err);
  if (net && TLS_CODE.test(net))
    return fail('TLS', `The TLS certificate of ${server} was not accepted (${net}) for ${c.storeName}.`, 'Give Node the CA that signed it (NODE_EXTRA_CA_CERTS=/path/ca.pem), or check the endpoint in the repository location.');
  if (net)
    return fail('UNREACHABLE', `${server} did not answer for ${c.storeName} (${net}).`, `Check the endpoint and the network from this machine (${endpoint ? `curl -sI ${endpoint}` : cli}).`);
  if (code === 'NoSuchBucket')
    return fail('NOT_FOUND', `The bucket ${bucket} does not exist on ${server} (${c.storeName}).`, `Check the bucket name and endpoint in the repository location, or create it (aws s3 mb s3://${bucket}${endpoint ? ` --endpoint-url ${endpoint}` : ''}).`);
  if (code === 'NoSuchKey' || code === 'NotFound' || code === 'NoSuchUpload' || status === 404)
    return fail('NOT_FOUND', `There is no ${what}.`, `List what the repository holds: ${cli}.`);
  if (AUTH_CODES.has(code) || (code === 'Unknown' && status === 401))
    return fail('AUTH_FAILED', `${server} refused the credentials of ${c.storeName} (${code || status}).`, `Check the access key from ${c.credentialsFrom}; test it with ${cli}.`, false);
  if (code === 'AuthorizationHeaderMalformed' || code === 'PermanentRedirect' || code === 'IllegalLocationConstraintException')
    return fail('CONFIG_INVALID', `The bucket ${bucket} is in another region than the one ${c.storeName} names (${code}).`, `Add the bucket's region to the location: s3://${bucket}/${c.location.prefix}?region=<region> (aws s3api get-bucket-location --bucket ${bucket}).`);
  if (SPACE_CODES.has(code) || status === 507)
    return fail('NO_SPACE', `${server} has no room for ${what} (${code || status}).`, 'Raise the bucket quota or free space (lifeboat retention <service> --apply); nothing half-written was kept.');
  if (PERMISSION_CODES.has(code) || status === 403)
    return fail('PERMISSION_DENIED', `${server} accepted the credentials of ${c.storeName} but refused this access to ${what} (${code || status}).`, `Grant s3:ListBucket, s3:GetObject, s3:PutObject, s3:DeleteObject, s3:ListBucketMultipartUploads and s3:AbortMultipartUpload on arn:aws:s3:::${bucket}/${c.location.prefix}* to the key from ${c.credentialsFrom}.`, false);
  if (code === 'PreconditionFailed' || code === 'ConditionalRequestConflict' || status === 409 || status === 412)
    return fail('CONFLICT', `Another writer changed ${what} at the same moment (${code || status}).`, 'Run the command again; if it keeps happening, check that only one Lifeboat writes this service.');
  if (code === 'InvalidRange' || status === 416)
    return fail('INVALID_INPUT', `A byte range past the end of ${what} was asked for.`, 'This is a bug in the caller: a range starts within the object.');
  if (code === 'SlowDown' || code === 'ServiceUnavailable' || code === 'InternalError' || (status !== undefined && status >= 500))
    return fail('UNREACHABLE', `${server} is not serving ${c.storeName} right now (${code || status}).`, 'Retry later; if it lasts, check the service status of the provider or the S3 server.');
  if (code === 'Region is missing' || /region is missing/i.test((err as Error)?.message ?? ''))
    return fail('CONFIG_INVALID', `${c.storeName} names no region and none is configured.`, `Add it to the location (s3://${bucket}/${c.location.prefix}?region=eu-west-1) or set AWS_REGION.`);
  return err;
}
