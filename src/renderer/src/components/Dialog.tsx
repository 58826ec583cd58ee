// A modal dialog on the native <dialog>: focus moves in and is trapped, Escape closes, focus returns to the opener.
import { useEffect, useId, useRef } from 'react';
import type { KeyboardEvent, ReactNode, RefObject } from 'react';
import { createPortal } from 'react-dom';
import './Dialog.css';

export interface DialogProps {
  title: ReactNode;
  /** Called on Escape, on the close button and when the browser closes the dialog itself. */
  onClose(): void;
  children: ReactNode;
  /** Buttons at the bottom, primary last. */
  footer?: ReactNode;
  size?: 'sm' | 'lg';
  /** Names the dialog for tests when its title is not unique enough. */
  testId?: string;
  /** The element to focus first; otherwise the first field or button inside the body. */
  initialFocusRef?: RefObject<HTMLElement | null>;
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

// While any dialog is open the page behind it is hidden from assistive technology (and from role queries).
let openDialogs = 0;
function hidePageBehind(hidden: boolean) {
  const root = document.getElementById('root');
  if (!root) return;
  if (hidden) root.setAttribute('aria-hidden', 'true');
  else root.removeAttribute('aria-hidden');
}

export function Dialog({ title, onClose, children, footer, size = 'sm', testId, initialFocusRef }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    openDialogs += 1;
    hidePageBehind(true);
    if (!dialog.open) dialog.showModal();
    const first = initialFocusRef?.current ?? dialog.querySelector('.dialog__body')?.querySelector<HTMLElement>(FOCUSABLE);
    (first ?? dialog).focus();
    // The browser may close a modal itself (a second Escape without user activation): follow it.
    const onNativeClose = () => onCloseRef.current();
    dialog.addEventListener('close', onNativeClose);
    return () => {
      dialog.removeEventListener('close', onNativeClose);
      if (dialog.open) dialog.close();
      openDialogs -= 1;
      if (openDialogs === 0) hidePageBehind(false);
      if (opener?.isConnected) opener.focus();
    };
    // Runs once per opening; initialFocusRef is read at that moment only.
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onCloseRef.current();
      return;
    }
    if (event.key !== 'Tab' || !ref.current) return;
    const focusable = Array.from(ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => el.offsetParent !== null);
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    const active = document.activeElement;
    if (event.shiftKey && (active === first || active === ref.current)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return createPortal(
    <dialog
      ref={ref}
      className={`dialog dialog--${size}`}
      aria-labelledby={titleId}
      aria-modal="true"
      data-testid={testId}
      onKeyDown={onKeyDown}
      tabIndex={-1}
    >
      <div className="dialog__header">
        <h2 id={titleId} className="dialog__title">
          {title}
        </h2>
        <button type="button" className="dialog__close" aria-label="Close" onClick={() => onCloseRef.current()}>
          <span aria-hidden="true">✕</span>
        </button>
      </div>
      <div className="dialog__body">{children}</div>
      {footer && <div className="dialog__footer">{footer}</div>}
    </dialog>,
    document.body,
  );
}
