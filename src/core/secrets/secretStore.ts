// Where passwords and keys live. The only implementation that holds values is the OS keychain; nothing
// else in Lifeboat ever writes a secret to disk.

export interface SecretStore {
  /** Human name of the backend, e.g. "OS keychain (Secret Service)". */
  readonly backend: string;
  get(account: string): Promise<string | undefined>;
  set(account: string, secret: string): Promise<void>;
  /** True when something was deleted. */
  delete(account: string): Promise<boolean>;
}

/** The keychain account for a service's database password. */
export function passwordAccount(serviceId: string): string {
  return `service/${serviceId}/password`;
}
