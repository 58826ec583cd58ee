// The typed model behind runbooks and the fleet report: every fact a template may show, already gathered and
// formatted, so templates only arrange text. A fact that could not be read is a value, never a failure.
import type { Contact } from '../../shared/domain';

/** A fact that may be unknown (server down, no repository...): templates print "unknown: <reason>" and the
 * last value learned when there is one. */
export type { Fact } from '../fleet/fact';
import type { Fact } from '../fleet/fact';

/** Where a document's facts came from, and when: printed on every document. */
export interface Provenance {
  generatedAt: string;
  generator: string;
  sources: string[];
}

export interface ProcedureStep {
  title: string;
  why?: string;
  /** sh, sql or text: the code block's language. */
  language?: 'sh' | 'sql' | 'text';
  /** Complete and copyable; placeholders only for what cannot be known (<TARGET TIME ...>). */
  code?: string;
}

export interface Procedure {
  id: string;
  title: string;
  summary: string;
  /** What must be true before step 1 (run elsewhere, or once). */
  before: ProcedureStep[];
  steps: ProcedureStep[];
  notes: string[];
}

export interface WindowFact {
  /** Earliest and latest recoverable points over all intervals. */
  from: string;
  to: string;
  intervals: Array<{ label: string; from: string; to: string }>;
  gaps: string[];
  /** Inline SVG drawn in code (no external resources). */
  svg: string;
}

export interface BackupFact {
  id: string;
  kind: string;
  finishedAt: string;
  age: string;
  size: string;
}

export interface DrillFact {
  at: string;
  ok: boolean;
  rto: string;
  rtoMs?: number;
  target: string;
  pointReached?: string;
  detail: string;
}

export interface ServiceIdentity {
  id: string;
  name: string;
  engine: 'postgres' | 'sqlserver';
  engineLabel: string;
  owner?: string;
  team?: string;
  contacts: Contact[];
  tags: string[];
  host: string;
  port: number;
  database: string;
  user: string;
  tls: string;
  instance?: string;
  passwordSource: string;
}

export interface RunbookModel extends Provenance {
  title: string;
  service: ServiceIdentity;
  version: Fact<{ serverVersion: string; testedAt: string }>;
  topology: Fact<{ role: string; health: string; nodes: Array<{ label: string; role: string; state: string; health: string }>; issues: string[] }>;
  policy: {
    rpo: string;
    rto: string;
    retention: string;
    schedules: string[];
    backupLocation: string;
    walLocation: string;
    encryption: Fact<{ encrypted: boolean; description: string; keyHeldIn: string }>;
  };
  state: {
    lastGoodBackup: Fact<BackupFact | null>;
    lastVerified: Fact<{ id: string; at: string; detail: string } | null>;
    window: Fact<WindowFact>;
    walStreaming: Fact<string>;
    lastDrill: Fact<DrillFact | null>;
    replication: Fact<string>;
  };
  procedures: Procedure[];
}

export type Verdict = 'met' | 'missed' | 'unknown' | 'no target';

export interface ComplianceRow {
  serviceId: string;
  name: string;
  engine: string;
  rpoTarget: string;
  lastGoodBackupAge: string;
  recoverableUpTo: string;
  rpoVerdict: Verdict;
  rtoTarget: string;
  lastDrillRto: string;
  rtoVerdict: Verdict;
}

export interface Risk {
  severity: 'high' | 'medium' | 'low';
  serviceId: string;
  text: string;
}

export interface FleetReportModel extends Provenance {
  title: string;
  period: { days: number; from: string; to: string };
  services: Array<{ id: string; name: string; engine: string; owner?: string; team?: string; address: string }>;
  compliance: ComplianceRow[];
  failures: Fact<Array<{ at: string; serviceId: string; kind: string; title: string; error: string }>>;
  storage: Array<{ serviceId: string; /** Lifeboat's repository, the engine's stanza or server, or msdb. */ keptBy: string; backups: string; backupBytes: string; walBytes: string; total: string; addedInPeriod: string; perDay: string; note?: string }>;
  storageTotal: string;
  /** 3-2-1 per service kept by Lifeboat: the verdict, and each repository with its copy and storage. */
  copies: Array<{ serviceId: string; verdict: string; text: string; repositories: Array<{ location: string; storage: string; offsite: string; holdsNewest: string; stored: string; growth7d: string }> }>;
  drills: Array<{ serviceId: string; at: string; ok: boolean; rto: string; target: string; detail: string }>;
  windows: Array<{ serviceId: string; window: Fact<WindowFact> }>;
  gaps: Array<{ serviceId: string; gap: string }>;
  risks: Risk[];
}
