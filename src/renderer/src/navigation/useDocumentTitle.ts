// Names the page in the window title too (the task switcher, screen readers' "where am I"), and puts the
// previous title back when the page goes.
import { useEffect } from 'react';

export function useDocumentTitle(title: string): void {
  useEffect(() => {
    const before = document.title;
    document.title = `${title} — Lifeboat`;
    return () => {
      document.title = before;
    };
  }, [title]);
}
