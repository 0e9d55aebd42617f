import { startBackground } from '@/utils/background/router';

// The only writer of the database: routes every request (utils/background/router.ts).
export default defineBackground(() => startBackground());
