// Where an object-store repository's credentials come from, as the fleet file keeps it (never a secret):
//   repositoryCredentials:
//     "s3://backups/lifeboat?endpoint=https://minio.internal:9000&path-style=true":
//       { kind: env, accessKeyIdVariable: LB_S3_KEY_ID, secretAccessKeyVariable: LB_S3_SECRET }
// A location the map does not name uses the keychain entry repository-credentials/<location>.
import { z } from 'zod';

const variable = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name such as LIFEBOAT_S3_SECRET');

export const storeCredentialSourceSchema = z.union([
  z.object({ kind: z.literal('keychain') }).strict(),
  z.object({ kind: z.literal('env'), accessKeyIdVariable: variable, secretAccessKeyVariable: variable, sessionTokenVariable: variable.optional() }).strict(),
  z.object({ kind: z.literal('env'), accountKeyVariable: variable }).strict(),
  z.object({ kind: z.literal('env'), sasTokenVariable: variable }).strict(),
  z.object({ kind: z.literal('default') }).strict(),
]);

/** Per repository location (as `lifeboat repo init` printed it): where its credentials come from. */
export const repositoryCredentialsSchema = z.record(z.string(), storeCredentialSourceSchema);
export type RepositoryCredentialSources = z.infer<typeof repositoryCredentialsSchema>;

/** A secret handed over once, for the keychain entry of an object-store repository (never shown again). */
export const storeSecretSchema = z.union([
  z.object({ accessKeyId: z.string().min(1).max(256), secretAccessKey: z.string().min(1).max(1024), sessionToken: z.string().min(1).max(4096).optional() }).strict(),
  z.object({ accountKey: z.string().min(1).max(1024) }).strict(),
  z.object({ sasToken: z.string().min(1).max(4096) }).strict(),
]);
export type StoreSecret = z.infer<typeof storeSecretSchema>;

/**
 * How repo.init and repo.use learn an object store's credentials: a secret for the keychain, or a source the
 * fleet file keeps (environment variable names, the SDK's default chain).
 */
export const repositoryCredentialsInputSchema = z.union([z.object({ keychain: storeSecretSchema }).strict(), z.object({ source: storeCredentialSourceSchema }).strict()]);
export type RepositoryCredentialsInput = z.infer<typeof repositoryCredentialsInputSchema>;
