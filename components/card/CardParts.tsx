import { t } from '@/utils/i18n';

const isMac = /Mac|iPhone|iPad/.test(navigator.platform);

/** A card's error line, read out when it appears. */
export function CardAlert({ message }: { message: string }) {
  if (!message) return null;
  return (
    <p role="alert" className="m-0 text-xs text-red-600 dark:text-red-400">
      {message}
    </p>
  );
}

/** The keys that save and skip, beside a card's buttons. */
export function ShortcutHint() {
  return (
    <span className="min-w-0 flex-1 text-[11px] text-zinc-500 dark:text-zinc-400">
      {t(isMac ? 'cardShortcutsMac' : 'cardShortcuts')}
    </span>
  );
}
