// Copies a text (a command, a connection URI) to the clipboard and says so beside the button, in words.
import { useEffect, useRef, useState } from 'react';
import { Button } from './Button';
import './CopyButton.css';

export interface CopyButtonProps {
  text: string;
  /** The id of what is copied, so "Copy" is announced with it ("Copy, psql command"). */
  describedBy?: string;
  /** Replaces "Copy" as the visible label. */
  label?: string;
  testId?: string;
}

/** The clipboard API where the window may use it; otherwise the old selection trick. */
async function writeClipboard(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // denied (no user activation, no permission): fall back below
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'copy-button__scratch';
  document.body.appendChild(area);
  area.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    area.remove();
  }
}

export function CopyButton({ text, describedBy, label = 'Copy', testId }: CopyButtonProps) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const copy = async () => {
    const ok = await writeClipboard(text);
    setState(ok ? 'copied' : 'failed');
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setState('idle'), 2500);
  };

  return (
    <span className="copy-button">
      <Button size="sm" onClick={() => void copy()} aria-describedby={describedBy} data-testid={testId}>
        {label}
      </Button>
      <span className={`copy-button__status copy-button__status--${state}`} role="status">
        {state === 'copied' ? '✓ Copied' : state === 'failed' ? 'Select the text and copy it by hand' : ''}
      </span>
    </span>
  );
}
