// Azure Blob Storage's answer (its x-ms-error-code) or the network's, said as a LifeboatError naming the
// repository, with a hint that names the setting or the az command that checks it. Messages carry codes
// and names only: Azure's own text can echo the string it signed.
import { LifeboatError } from '../../lifeboatError';
import type { AzureBlobLocation } from './parseRepositoryLocation';
import { cancelledError, isAbortError } from './storeCancellation';

export interface AzureErrorContext {
  storeName: string;
  location: AzureBlobLocation;
  credentialsFrom: string;
  key?: string;
  signal?: AbortSignal;
}

const AUTH_CODES = new Set(['AuthenticationFailed', 'InvalidAuthenticationInfo', 'NoAuthenticationInformation', 'CredentialUnavailableError', 'AuthenticationRequiredError', 'AuthenticationError']);
const PERMISSION_CODES = new Set(['AuthorizationPermissionMismatch', 'AuthorizationResourceTypeMismatch', 'AuthorizationServiceMismatch', 'AuthorizationSourceIPMismatch', 'AuthorizationProtocolMismatch', 'InsufficientAccountPermissions', 'AccountIsDisabled', 'KeyBasedAuthenticationNotPermitted', 'PublicAccessNotPermitted']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', 'REQUEST_SEND_ERROR', 'ERR_STREAM_PREMATURE_CLOSE']);
const TLS_CODE = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_TLS_|ERR_SSL_)/;

interface AzureLikeError {
  name?: string;
  code?: string;
  statusCode?: number;
  message?: string;
  cause?: unknown;
  details?: { errorCode?: string };
}

/** The service's error code (x-ms-error-code), which a HEAD's answer carries only in its headers. */
function serviceCode(err: AzureLikeError): string {
  return err.details?.errorCode ?? err.code ?? (err.name && err.name !== 'Error' && err.name !== 'RestError' ? err.name : '');
}

/** The socket's error code, wherever the pipeline put it; REQUEST_SEND_ERROR wraps the real one. */
function networkCode(err: AzureLikeError): string | undefined {
  for (let e: AzureLikeError | undefined = err, depth = 0; e && depth < 4; e = e.cause as AzureLikeError | undefined, depth++) {
    if (e.code && e.code !== 'REQUEST_SEND_ERROR' && (NETWORK_CODES.has(e.code) || TLS_CODE.test(e.code))) return e.code;
  }
  if (err.code === 'REQUEST_SEND_ERROR') return /\b(E[A-Z_]+)\b/.exec(err.message ?? '')?.[1] ?? 'REQUEST_SEND_ERROR';
  return undefined;
}

export function classifyAzureError(err: unknown, c: AzureErrorContext): unknown {
  if (err instanceof LifeboatError) return err;
  if (c.signal?.aborted || isAbortError(err)) return cancelledError(c.signal, c.storeName);
  const e = (err ?? {}) as AzureLikeError;
  const code = serviceCode(e);
  const status = e.statusCode;
  const { account, container, endpoint } = c.location;
  const az = `az storage blob list --account-name ${account} --container-name ${container}${c.location.prefix ? ` --prefix ${c.location.prefix}` : ''} --num-results 1`;
  const what = c.key === undefined ? c.storeName : `${c.key} in ${c.storeName}`;
  const fail = (kind: ConstructorParameters<typeof LifeboatError>[0], message: string, hint: string, keepCause = true) => new LifeboatError(kind, message, hint, keepCause ? { cause: err } : undefined);

  const net = networkCode(e);
  if (net && TLS_CODE.test(net))
    return fail('TLS', `The TLS certificate of ${endpoint} was not accepted (${net}) for ${c.storeName}.`, 'Give Node the CA that signed it (NODE_EXTRA_CA_CERTS=/path/ca.pem), or check the endpoint in the repository location.');
  if (net) return fail('UNREACHABLE', `${endpoint} did not answer for ${c.storeName} (${net}).`, `Check the endpoint and the network from this machine (curl -sI ${endpoint}).`);
  if (code === 'ContainerNotFound')
    return fail('NOT_FOUND', `The container ${container} does not exist in the storage account ${account} (${c.storeName}).`, `Check the container name in the repository location, or create it (az storage container create --account-name ${account} --name ${container}).`);
  if (code === 'ResourceNotFound' && c.key === undefined)
    return fail('NOT_FOUND', `The storage account ${account} or its container ${container} was not found (${c.storeName}).`, `Check the names in the repository location (az storage account show --name ${account}).`);
  if (code === 'BlobNotFound' || code === 'ResourceNotFound' || status === 404) return fail('NOT_FOUND', `There is no ${what}.`, `List what the repository holds: ${az}.`);
  if (AUTH_CODES.has(code) || AUTH_CODES.has(e.name ?? '') || status === 401)
    return fail('AUTH_FAILED', `The storage account ${account} refused the credentials of ${c.storeName} (${code || status}).`, `Check the account key or SAS token from ${c.credentialsFrom} (a SAS token also expires); test it with ${az}.`, false);
  // Azure says AuthorizationFailure when its firewall turns this machine away, and Azurite for any wrong key or
  // SAS signature: either way the repository cannot be reached with what this machine holds.
  if (code === 'AuthorizationFailure')
    return fail('AUTH_FAILED', `The storage account ${account} refused the request of ${c.storeName} (${code}): a wrong account key or SAS signature, or a firewall that does not admit this machine.`, `Check the account key or SAS token from ${c.credentialsFrom}, and the account's networking rules (az storage account show --name ${account} --query networkRuleSet); test with ${az}.`, false);
  if (PERMISSION_CODES.has(code) || status === 403)
    return fail('PERMISSION_DENIED', `The storage account ${account} accepted the credentials of ${c.storeName} but refused this access to ${what} (${code || status}).`, `Give the credential from ${c.credentialsFrom} read, write, list and delete on the container ${container} (SAS permissions rwdl, or the role Storage Blob Data Contributor).`, false);
  if (code === 'BlobAlreadyExists' || code === 'ConditionNotMet' || code === 'LeaseIdMissing' || status === 409 || status === 412)
    return fail('CONFLICT', `Another writer changed ${what} at the same moment (${code || status}).`, 'Run the command again; if it keeps happening, check that only one Lifeboat writes this service.');
  if (code === 'InvalidRange' || status === 416)
    return fail('INVALID_INPUT', `A byte range past the end of ${what} was asked for.`, 'This is a bug in the caller: a range starts within the object.');
  if (code === 'AccountLimitExceeded' || code === 'ContainerQuotaExceeded' || code === 'InsufficientStorage' || status === 507)
    return fail('NO_SPACE', `The storage account ${account} has no room for ${what} (${code || status}).`, 'Raise the account or container limit, or free space (lifeboat retention <service> --apply); nothing half-written was kept.');
  if (code === 'ServerBusy' || code === 'InternalError' || code === 'OperationTimedOut' || (status !== undefined && status >= 500))
    return fail('UNREACHABLE', `${endpoint} is not serving ${c.storeName} right now (${code || status}).`, 'Retry later; if it lasts, check the storage account in the Azure portal (Service Health).');
  return err;
}
