// A compact menu of actions behind one button (a table row's actions): a WAI-ARIA menu button, its menu
// drawn over the page (so a table's frame never clips it nor grows for it), arrows and Home/End to move,
// Enter to choose, Escape or Tab to close with the focus back on the button.
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import './ActionsMenu.css';

export type ActionsMenuItem =
  | { kind: 'action'; label: string; onSelect(): void; testId?: string; danger?: boolean; disabled?: boolean }
  | { kind: 'link'; label: string; href: string; testId?: string }
  | { kind: 'separator'; key: string };

export interface ActionsMenuProps {
  /** The button's accessible name, e.g. "Actions for Orders (orders)". */
  label: string;
  items: ActionsMenuItem[];
  testId?: string;
}

interface Position {
  top: number;
  right: number;
}

export function ActionsMenu({ label, items, testId }: ActionsMenuProps) {
  const [open, setOpen] = useState(false);
  const [position, setPosition] = useState<Position>();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const menuId = useId();

  const close = (refocus: boolean) => {
    setOpen(false);
    setPosition(undefined);
    if (refocus) buttonRef.current?.focus();
  };

  // Placed under the button, right edges aligned; above it when there is no room below.
  useLayoutEffect(() => {
    if (!open || !buttonRef.current) return;
    const box = buttonRef.current.getBoundingClientRect();
    const height = menuRef.current?.offsetHeight ?? 0;
    const below = box.bottom + 4;
    const top = below + height > window.innerHeight && box.top - height - 4 > 0 ? box.top - height - 4 : below;
    setPosition({ top, right: Math.max(4, window.innerWidth - box.right) });
  }, [open]);

  // The first item takes the focus once the menu is placed (a hidden element cannot be focused).
  useEffect(() => {
    if (open && position) menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])')?.focus();
  }, [open, position]);

  // A click elsewhere, a scroll or a resize closes the menu: it would otherwise float away from its row.
  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      const target = e.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) close(false);
    };
    const onMove = (e: Event) => {
      if (!menuRef.current?.contains(e.target as Node)) close(false);
    };
    document.addEventListener('pointerdown', onPointer);
    window.addEventListener('scroll', onMove, true);
    window.addEventListener('resize', onMove);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      window.removeEventListener('scroll', onMove, true);
      window.removeEventListener('resize', onMove);
    };
  }, [open]);

  const onMenuKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const entries = [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])') ?? [])];
    const at = entries.indexOf(document.activeElement as HTMLElement);
    const moveTo = (i: number) => entries[(i + entries.length) % entries.length]?.focus();
    if (e.key === 'ArrowDown') moveTo(at + 1);
    else if (e.key === 'ArrowUp') moveTo(at - 1);
    else if (e.key === 'Home') moveTo(0);
    else if (e.key === 'End') moveTo(entries.length - 1);
    else if (e.key === 'Escape') close(true);
    else if (e.key === 'Tab') close(false);
    else return;
    if (e.key !== 'Tab') e.preventDefault();
  };

  const onButtonKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setOpen(true);
    }
  };

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        className="btn btn--ghost btn--sm actions-menu__button"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={(e) => {
          // A row may open its page on click: the menu button is not the row.
          e.stopPropagation();
          if (open) close(false);
          else setOpen(true);
        }}
        onKeyDown={onButtonKey}
        data-testid={testId}
      >
        <span aria-hidden="true">⋯</span>
      </button>
      {open &&
        createPortal(
          <div
            ref={menuRef}
            id={menuId}
            role="menu"
            aria-label={label}
            className="actions-menu"
            style={position ? { top: position.top, right: position.right } : { visibility: 'hidden' }}
            onKeyDown={onMenuKey}
          >
            {items.map((item) => {
              if (item.kind === 'separator') return <div key={item.key} role="separator" className="actions-menu__separator" />;
              if (item.kind === 'link')
                return (
                  <a key={item.label} role="menuitem" tabIndex={-1} className="actions-menu__item" href={item.href} onClick={() => close(false)} data-testid={item.testId}>
                    {item.label}
                  </a>
                );
              return (
                <button
                  key={item.label}
                  type="button"
                  role="menuitem"
                  tabIndex={-1}
                  className={`actions-menu__item${item.danger ? ' actions-menu__item--danger' : ''}`}
                  aria-disabled={item.disabled || undefined}
                  onClick={() => {
                    if (item.disabled) return;
                    close(true);
                    item.onSelect();
                  }}
                  data-testid={item.testId}
                >
                  {item.label}
                </button>
              );
            })}
          </div>,
          document.body,
        )}
    </>
  );
}
