// Ambient types for what Vite bundles besides TypeScript: side-effect CSS imports.
declare module '*.css';
