// A status shown by icon, text and colour together, so it reads without colour vision.
import type { ReactNode } from 'react';
import './StatusBadge.css';

export type StatusTone = 'ok' | 'warn' | 'error' | 'untested' | 'info';

const ICON: Record<StatusTone, string> = { ok: '✓', warn: '!', error: '✕', untested: '–', info: 'i' };

export interface StatusBadgeProps {
  tone: StatusTone;
  children: ReactNode;
  /** Extra words for the tooltip, e.g. the error message behind an error code. */
  title?: string;
  testId?: string;
  /** Replaces the tone's icon when the state has a more telling one (e.g. ▶ for running). */
  icon?: string;
}

export function StatusBadge({ tone, children, title, testId, icon }: StatusBadgeProps) {
  return (
    <span className={`status-badge status-badge--${tone}`} title={title} data-testid={testId} data-tone={tone}>
      {/* The icon is drawn by CSS from data-icon, so the badge's text is its words alone ("Verified …", "OK"). */}
      <span className="status-badge__icon" aria-hidden="true" data-icon={icon ?? ICON[tone]} />
      <span className="status-badge__label">{children}</span>
    </span>
  );
}
