// Turns "bytes so far" into job progress with a smoothed rate, so the UI can show rate and ETA.
import type { JobProgress } from '../../shared/jobs';

export class ProgressMeter {
  private samples: Array<{ t: number; bytes: number }> = [];
  total: number | undefined;

  constructor(
    private phase: string,
    private readonly report: (p: JobProgress) => void,
  ) {}

  setPhase(phase: string): void {
    this.phase = phase;
    this.emit(this.samples.at(-1)?.bytes ?? 0);
  }

  update(bytes: number): void {
    const t = Date.now();
    this.samples.push({ t, bytes });
    // A 5-second window: steady enough to read, quick enough to follow a change.
    while (this.samples.length > 2 && t - this.samples[0]!.t > 5000) this.samples.shift();
    this.emit(bytes);
  }

  private emit(bytes: number): void {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    const seconds = first && last ? (last.t - first.t) / 1000 : 0;
    const rate = seconds > 0.2 ? (last!.bytes - first!.bytes) / seconds : undefined;
    // An estimate can be exceeded (pg_dump output vs. database size); never show more than 100 %.
    const total = this.total !== undefined ? Math.max(this.total, bytes) : undefined;
    this.report({ phase: this.phase, done: bytes, total, unit: 'bytes', rate });
  }
}
