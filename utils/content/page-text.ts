import { browser } from 'wxt/browser';
import type { StaticMessageKey } from '../i18n';

/**
 * Catalogue text for code injected into chat pages. It asks the browser's i18n API only, so the
 * catalogue itself (utils/locales) is not bundled into every chat page; extension pages use `t`.
 */
export function pageText(key: StaticMessageKey): string {
  return (browser.i18n.getMessage as (messageName: string) => string)(key);
}
