// Imported first by main.tsx, before any module builds a schema: zod 4 decides at schema construction
// whether to compile validators with `new Function`, and its probe is refused by the strict CSP (no
// 'unsafe-eval'), which reports a violation. Interpreted validation is plenty for forms.
import { config } from 'zod';

config({ jitless: true });
