// The fleet inventory on disk: one YAML file a team can keep in git. Edits go through the parsed document so
// comments and ordering survive; every write is atomic; a malformed file is reported by line and field.
import { readFile } from 'node:fs/promises';
import { Document, isMap, isSeq, LineCounter, parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { z } from 'zod';
import { serviceSchema, type Service } from '../../shared/domain';
import { fleetViewsSettingsSchema, notificationSettingsSchema, schedulingSettingsSchema, type FleetViewsSettings, type NotificationSettings, type SchedulingSettings } from '../../shared/monitoring';
import { repositoryCredentialsSchema, type RepositoryCredentialSources } from '../../shared/repositoryCredentials';
import { LifeboatError } from '../lifeboatError';
import { FLEET_FORMAT_VERSION } from './fleetFormat';
import { writeFileAtomic } from '../storage/atomicWrite';


const fleetSchema = z
  .object({
    version: z.literal(FLEET_FORMAT_VERSION),
    /** The default backup repository; a service's policy.repository overrides it. */
    repository: z.string().min(1).optional(),
    /**
     * Repositories created for copies (`repo init --not-default`, Settings' "Add a repository for copies"):
     * kept so they are listed before a service's policy.repositories names them.
     */
    copyRepositories: z.array(z.string().min(1)).optional(),
    /** Where object-store repositories' credentials come from (environment variable names, never values). */
    repositoryCredentials: repositoryCredentialsSchema.optional(),
    services: z.array(serviceSchema).default([]),
    /** Desktop notifications and webhooks (secrets in the keychain only). */
    notifications: notificationSettingsSchema.optional(),
    scheduling: schedulingSettingsSchema.optional(),
    fleetViews: fleetViewsSettingsSchema.optional(),
  })
  .strict();

const HEADER = [
  ' Lifeboat fleet inventory: the databases of our services and how each is protected.',
  ' Passwords are never stored here: they live in the OS keychain, or the file names an environment',
  ' variable or a PostgreSQL passfile. Safe to keep in git.',
].join('\n');

export class FleetFile {
  /** The text last read or written: an edit made outside Lifeboat is a file whose text differs from it. */
  private text = '';
  private savesInFlight = 0;

  private constructor(
    readonly path: string,
    private doc: Document,
    private services: Service[],
    private defaultRepository: string | undefined,
    private notificationSettings: NotificationSettings = {},
    private schedulingSettings: SchedulingSettings = {},
    private fleetViewsSettings: FleetViewsSettings = {},
    private credentialSources: RepositoryCredentialSources = {},
    private copyLocations: string[] = [],
  ) {}

  /** Reads the file, or starts an empty fleet when it does not exist yet. */
  static async load(path: string): Promise<FleetFile> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return FleetFile.empty(path);
      throw new LifeboatError('CONFIG_INVALID', `Cannot read the fleet file ${path}: ${(err as Error).message}`, 'Check that the file exists and is readable, or pass another one with --config.');
    }
    return FleetFile.parse(path, text);
  }

  static parse(path: string, text: string): FleetFile {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, prettyErrors: false });
    const yamlError = doc.errors[0];
    if (yamlError) {
      const line = lineCounter.linePos(yamlError.pos[0]).line;
      throw new LifeboatError('CONFIG_INVALID', `${path}, line ${line}: ${yamlError.message.split('\n')[0]}`, 'Fix the YAML syntax at that line (indentation, quotes, a missing colon).');
    }
    if (doc.contents === null) return FleetFile.empty(path);
    const result = fleetSchema.safeParse(doc.toJS());
    if (!result.success) {
      const issue = result.error.issues[0]!;
      const field = describePath(doc, issue.path);
      const node = nodeAt(doc, issue.path);
      const line = node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
      const where = line !== undefined ? `line ${line}, ` : '';
      throw new LifeboatError('CONFIG_INVALID', `${path}, ${where}${field}: ${issue.message}`, 'Correct that field in the fleet file; the rest of the file was not changed.');
    }
    const ids = new Set<string>();
    for (const s of result.data.services) {
      if (ids.has(s.id)) throw new LifeboatError('CONFIG_INVALID', `${path}: service id "${s.id}" appears twice.`, 'Each service needs its own id.');
      ids.add(s.id);
    }
    const fleet = new FleetFile(path, doc, result.data.services.map(frozenCopy), result.data.repository, result.data.notifications, result.data.scheduling, result.data.fleetViews, result.data.repositoryCredentials, result.data.copyRepositories);
    fleet.text = text;
    return fleet;
  }

  /** The text this fleet was read from or last saved as. */
  get sourceText(): string {
    return this.text;
  }

  /**
   * Takes over another reading of the same file (an edit made outside Lifeboat, already parsed and
   * validated), in place, so every part of the core holding this object sees it. Returns the ids of the
   * services added, removed or changed.
   */
  adopt(edited: FleetFile): string[] {
    const before = new Map(this.services.map((s) => [s.id, JSON.stringify(s)]));
    const after = new Map(edited.services.map((s) => [s.id, JSON.stringify(s)]));
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter((id) => before.get(id) !== after.get(id));
    this.doc = edited.doc;
    this.services = edited.services.map(frozenCopy);
    this.defaultRepository = edited.defaultRepository;
    this.notificationSettings = structuredClone(edited.notificationSettings);
    this.schedulingSettings = structuredClone(edited.schedulingSettings);
    this.fleetViewsSettings = structuredClone(edited.fleetViewsSettings);
    this.credentialSources = structuredClone(edited.credentialSources);
    this.copyLocations = [...edited.copyLocations];
    this.text = edited.text;
    return changed;
  }

  private static empty(path: string): FleetFile {
    const doc = new Document({ version: FLEET_FORMAT_VERSION, services: [] });
    doc.commentBefore = HEADER;
    return new FleetFile(path, doc, [], undefined);
  }

  /** The repository a service's backups go to: its own policy's, else the fleet's default. */
  repositoryFor(service: Service): string | undefined {
    return service.policy.repositories?.[0] ?? service.policy.repository ?? this.defaultRepository;
  }

  /** Every repository that keeps a copy of the service's backups and WAL, the one backups go to first. */
  repositoriesFor(service: Service): string[] {
    const first = this.repositoryFor(service);
    return service.policy.repositories ?? (first ? [first] : []);
  }

  /** Where the credentials of the object store at location come from; undefined means the keychain. */
  repositoryCredentials(location: string): RepositoryCredentialSources[string] | undefined {
    return Object.hasOwn(this.credentialSources, location) ? this.credentialSources[location] : undefined;
  }

  /** Records where the object store at location takes its credentials from (a source, never a secret). */
  setRepositoryCredentials(location: string, source: RepositoryCredentialSources[string] | undefined): void {
    const { [location]: _replaced, ...others } = this.credentialSources;
    this.credentialSources = source ? { ...others, [location]: source } : others;
    if (Object.keys(this.credentialSources).length) this.doc.set('repositoryCredentials', this.doc.createNode(this.credentialSources));
    else this.doc.delete('repositoryCredentials');
  }

  get repository(): string | undefined {
    return this.defaultRepository;
  }

  /** Repositories created for copies, in the order they were created. */
  get copyRepositories(): string[] {
    return [...this.copyLocations];
  }

  /** Records a repository created for copies (once). */
  addCopyRepository(location: string): void {
    if (this.copyLocations.includes(location)) return;
    this.copyLocations = [...this.copyLocations, location];
    this.doc.set('copyRepositories', this.doc.createNode(this.copyLocations));
  }

  setRepository(path: string): void {
    this.doc.set('repository', path);
    this.defaultRepository = path;
  }

  get notifications(): NotificationSettings {
    return structuredClone(this.notificationSettings);
  }

  setNotifications(settings: NotificationSettings): void {
    this.doc.set('notifications', this.doc.createNode(settings));
    this.notificationSettings = structuredClone(settings);
  }

  get scheduling(): SchedulingSettings {
    return structuredClone(this.schedulingSettings);
  }

  get fleetViews(): FleetViewsSettings {
    return { ...this.fleetViewsSettings };
  }

  /** The services, frozen: a fleet-wide view calls this for every service it reads (a copy each time made
   * 200 services' views quadratic), and a caller that changes one must go through update(). */
  list(): Service[] {
    return [...this.services];
  }

  get(id: string): Service | undefined {
    return this.services.find((s) => s.id === id);
  }

  add(service: Service): void {
    if (this.services.some((s) => s.id === service.id))
      throw new LifeboatError('CONFLICT', `A service with id "${service.id}" already exists.`, 'Choose another id, or edit the existing service.');
    this.servicesNode().add(this.doc.createNode(toYamlShape(service)));
    this.services.push(frozenCopy(service));
  }

  update(service: Service): void {
    const index = this.indexOf(service.id);
    this.servicesNode().set(index, this.doc.createNode(toYamlShape(service)));
    this.services[index] = frozenCopy(service);
  }

  remove(id: string): void {
    const index = this.indexOf(id);
    this.servicesNode().delete(index);
    this.services.splice(index, 1);
  }

  async save(): Promise<void> {
    // Known before the rename lands, so a watcher that reads the new file sees Lifeboat's own write.
    this.text = this.doc.toString({ lineWidth: 0 });
    this.savesInFlight++;
    try {
      await writeFileAtomic(this.path, this.text, 0o644);
    } finally {
      this.savesInFlight--;
    }
  }

  /** Lifeboat is writing the file: a reader may still see the version before this write. */
  get saving(): boolean {
    return this.savesInFlight > 0;
  }

  private indexOf(id: string): number {
    const index = this.services.findIndex((s) => s.id === id);
    if (index < 0) throw new LifeboatError('NOT_FOUND', `No service with id "${id}".`, 'List the fleet to see the ids (lifeboat services list).');
    return index;
  }

  private servicesNode(): YAMLSeq {
    let node = this.doc.get('services', true);
    if (!isSeq(node)) {
      node = new YAMLSeq();
      this.doc.set('services', node);
    }
    return node as YAMLSeq;
  }
}

/** A deep copy no one can change by accident: writes to it throw (modules are strict). */
function frozenCopy<T>(value: T): T {
  const copy = structuredClone(value);
  const freeze = (v: unknown): void => {
    if (v && typeof v === 'object' && !Object.isFrozen(v)) {
      Object.freeze(v);
      for (const child of Object.values(v)) freeze(child);
    }
  };
  freeze(copy);
  return copy;
}

/** Fixed key order and no empty blocks, so diffs stay small and files read the same everywhere. */
function toYamlShape(s: Service): Record<string, unknown> {
  const { password, ...connection } = s.connection;
  const shape: Record<string, unknown> = { id: s.id, name: s.name };
  if (s.owner) shape.owner = s.owner;
  if (s.team) shape.team = s.team;
  if (s.contacts?.length) shape.contacts = s.contacts;
  shape.engine = s.engine;
  shape.connection = { ...connection, password };
  if (s.tags.length) shape.tags = s.tags;
  if (Object.keys(s.policy).length) shape.policy = s.policy;
  return shape;
}

function nodeAt(doc: Document, path: PropertyKey[]): YamlNode | undefined {
  // The deepest node that exists on the path: a missing field is reported at its parent.
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as (string | number)[], true) as YamlNode | undefined;
    if (node && (node as { range?: unknown }).range) return node;
  }
  return undefined;
}

/** "services[1] (id orders).connection.port" reads better than a bare path. */
function describePath(doc: Document, path: PropertyKey[]): string {
  if (path.length === 0) return 'the file';
  let out = '';
  path.forEach((part, i) => {
    if (typeof part === 'number') {
      out += `[${part}]`;
      if (i === 1 && path[0] === 'services') {
        const item = doc.getIn(['services', part], true);
        const id = isMap(item) ? (item as YAMLMap).get('id') : undefined;
        if (typeof id === 'string') out += ` (id ${id})`;
      }
    } else out += (out ? '.' : '') + String(part);
  });
  return out;
}
