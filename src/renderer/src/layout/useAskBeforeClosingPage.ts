// Browser mode: while jobs whose cancel would lose work are running, closing or reloading the page asks
// first (the browser's own question: browsers show no custom text). The jobs keep running in the host either
// way. The desktop app asks natively in its main process instead, where a beforeunload answer would cancel
// the window's close silently.
import { useEffect } from 'react';
import { quitWarning } from '../../../shared/quitWarning';
import { useJobsStore } from '../stores/jobsStore';

export function useAskBeforeClosingPage(): void {
  const ask = useJobsStore((s) => quitWarning(Object.values(s.byId), 'close-page') !== undefined);
  useEffect(() => {
    if (!ask || (window as Window & { lifeboat?: unknown }).lifeboat) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers ask only when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [ask]);
}
