// Preloaded into tools that phone home (electronegativity fetches translations and Electron's release list
// on every run): any HTTP(S) request to a host that is not loopback fails at once, so tests make no
// traffic beyond this machine.
const http = require('node:http');
const https = require('node:https');

function guard(original) {
  return function request(...args) {
    const first = args[0];
    const host = typeof first === 'string' || first instanceof URL ? new URL(first).hostname : first && (first.hostname || first.host);
    if (host && !/^(127\.|localhost$|\[::1\]$|::1$)/.test(String(host))) throw new Error(`offline: request to ${host} blocked in tests`);
    return original.apply(this, args);
  };
}
for (const mod of [http, https]) {
  mod.request = guard(mod.request);
  mod.get = guard(mod.get);
}
