// Saves an exported document through the browser's download (browser mode and the desktop app alike): the
// renderer never writes files itself.
import type { ExportedDocument } from '../../../../shared/runbookContract';

export function downloadDocument(doc: ExportedDocument): void {
  const bytes = Uint8Array.from(atob(doc.base64 ?? ''), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: doc.mediaType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = doc.fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
