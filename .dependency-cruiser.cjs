// What may import what (docs: ../shared/ARCHITECTURE.md). Run by `npm test` through `npm run lint:layers`;
// any violation fails the test command.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'shared-is-pure',
      comment: 'src/shared runs everywhere: no Node built-ins, no Electron, no other layer. zod is allowed.',
      severity: 'error',
      from: { path: '^src/shared' },
      to: {
        pathNot: ['^src/shared', 'node_modules/zod'],
      },
    },
    {
      name: 'core-runs-in-plain-node',
      comment: 'The core never imports electron, react or the DOM, nor the doors or the renderer.',
      severity: 'error',
      from: { path: '^src/core' },
      to: { path: ['node_modules/(electron|react|react-dom|zustand)/', '^src/(main|preload|renderer|host)/'] },
    },
    {
      name: 'core-no-electron-builtin',
      severity: 'error',
      from: { path: '^src/core' },
      to: { dependencyTypes: ['core'], path: '^electron$' },
    },
    {
      name: 'renderer-only-shared',
      comment: 'The renderer knows only the contract: no Node built-ins, no core, main, preload or host.',
      severity: 'error',
      from: { path: '^src/renderer' },
      to: {
        pathNot: ['^src/renderer', '^src/shared', 'node_modules/(react|react-dom|zustand|scheduler|zod|recharts)/', 'node_modules/@tanstack/(react-table|table-core|react-store|store|react-virtual|virtual-core)/'],
      },
    },
    {
      name: 'preload-only-shared',
      comment: 'The preload exposes the bridge: it may import electron and src/shared, nothing else.',
      severity: 'error',
      from: { path: '^src/preload' },
      to: { pathNot: ['^src/preload', '^src/shared', '^electron$', 'node_modules/electron/'] },
    },
    {
      name: 'main-is-a-door',
      severity: 'error',
      from: { path: '^src/main' },
      to: { path: ['^src/(renderer|host|preload)/'] },
    },
    {
      name: 'host-is-a-door',
      severity: 'error',
      from: { path: '^src/host' },
      to: { path: ['^src/(renderer|main|preload)/', 'node_modules/electron/', '^electron$'] },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '\\.d\\.ts$' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
  },
};
