// Imported first by main.tsx: without this, zod probes for eval() (new Function), which the Content
// Security Policy forbids and reports as a violation. Schemas work the same without it.
import { z } from 'zod';

z.config({ jitless: true });
