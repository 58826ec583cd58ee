// The tabs of a service's page as links (each tab has its own address, so reload, back and "open in a new
// window" work) with tab semantics: one tab stop, arrows, Home and End move between tabs, Enter or Space opens
// one (opening a tab asks servers for data, so moving the focus alone does not).
//
// Names for end-to-end tests: tablist "<service name>" with tabs named by their labels
// (data-testid="service-tab-<tab>", aria-selected on the current one).
import { useRef } from 'react';
import type { KeyboardEvent } from 'react';
import { serviceHref } from '../../navigation/route';
import type { ServiceTab } from '../../navigation/route';
import type { ServiceTabEntry } from './serviceTabEntries';

export interface ServiceTabsProps {
  serviceId: string;
  label: string;
  entries: ServiceTabEntry[];
  current: ServiceTab;
  panelId: string;
}

export function serviceTabId(tab: ServiceTab): string {
  return `service-tab-${tab}`;
}

export function ServiceTabs({ serviceId, label, entries, current, panelId }: ServiceTabsProps) {
  const listRef = useRef<HTMLDivElement>(null);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const tabs = [...(listRef.current?.querySelectorAll<HTMLAnchorElement>('[role="tab"]') ?? [])];
    const at = tabs.indexOf(document.activeElement as HTMLAnchorElement);
    if (at < 0) return;
    const moveTo = (i: number) => tabs[(i + tabs.length) % tabs.length]?.focus();
    if (e.key === 'ArrowRight') moveTo(at + 1);
    else if (e.key === 'ArrowLeft') moveTo(at - 1);
    else if (e.key === 'Home') moveTo(0);
    else if (e.key === 'End') moveTo(tabs.length - 1);
    // Links open on Enter by themselves; a tab opens on Space too.
    else if (e.key === ' ') tabs[at]?.click();
    else return;
    e.preventDefault();
  };

  return (
    <div ref={listRef} role="tablist" aria-label={label} className="service-tabs" onKeyDown={onKeyDown}>
      {entries.map(({ tab, label: text }) => {
        const selected = tab === current;
        return (
          <a
            key={tab}
            id={serviceTabId(tab)}
            role="tab"
            href={serviceHref(serviceId, tab)}
            className="service-tabs__tab"
            aria-selected={selected}
            aria-controls={selected ? panelId : undefined}
            tabIndex={selected ? 0 : -1}
            data-testid={serviceTabId(tab)}
          >
            {text}
          </a>
        );
      })}
    </div>
  );
}
