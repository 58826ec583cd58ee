// A drill's measured RTO against the service's policy ("1h"): within it with room to spare, close to it
// (more than 80 % used), or over it. Shown as a badge with words, so it reads without colour.
import type { StatusTone } from '../../components/StatusBadge';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** A policy duration as written in the fleet file (30s, 15m, 4h, 7d, 2w), in ms. */
export function parsePolicyDuration(text: string | undefined): number | undefined {
  const m = text ? /^(\d+)(s|m|h|d|w)$/.exec(text.trim()) : null;
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : undefined;
}

/** Above this share of the policy's RTO a drill is a warning: the next, busier restore may not make it. */
export const CLOSE_TO_RTO = 0.8;

export interface RtoVerdict {
  tone: StatusTone;
  /** "Within 1h", "Close to 1h", "Over 1h", "No RTO in the policy", "Not measured". */
  text: string;
  /** The measured RTO as a share of the policy's, when both are known. */
  share?: number;
}

export function compareRto(rtoMs: number | undefined, policyRto: string | undefined): RtoVerdict {
  if (rtoMs === undefined || !Number.isFinite(rtoMs)) return { tone: 'untested', text: 'Not measured' };
  const limit = parsePolicyDuration(policyRto);
  if (limit === undefined || limit <= 0) return { tone: 'untested', text: 'No RTO in the policy' };
  const share = rtoMs / limit;
  if (share > 1) return { tone: 'error', text: `Over ${policyRto}`, share };
  if (share > CLOSE_TO_RTO) return { tone: 'warn', text: `Close to ${policyRto}`, share };
  return { tone: 'ok', text: `Within ${policyRto}`, share };
}

/** "42.3 s": drills are compared in seconds. */
export function formatRtoSeconds(rtoMs: number): string {
  const s = rtoMs / 1000;
  return `${s < 100 ? s.toFixed(1) : Math.round(s)} s`;
}
