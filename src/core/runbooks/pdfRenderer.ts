// Turning a self-contained HTML document into PDF is a door's job: the desktop app prints with Electron's
// webContents.printToPDF, the CLI and browser mode with Chromium through playwright-core. The core only
// knows this interface. Implementations must not load anything from the network: the documents are
// self-contained, and a renderer that fetched would leak which documents were printed.
export interface PdfRenderer {
  /** A short name for the sources line, e.g. "Chromium (playwright-core)". */
  readonly name: string;
  /** A cancel (signal) must close whatever prints, at once. onPhase names each step ("printing"). */
  render(html: string, options: { title: string; signal?: AbortSignal; onPhase?(phase: string): void }): Promise<Uint8Array>;
}
