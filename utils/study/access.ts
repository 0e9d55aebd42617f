import { browser, type Browser } from 'wxt/browser';
import { FIREFOX_DATA_COLLECTION } from './permissions';

// The browser's permissions a study needs, asked for when the participant acts and given back
// when they are no longer needed. Nothing here is granted at install (wxt.config.ts declares them
// optional).

type Permissions = Browser.permissions.Permissions & { data_collection?: string[] };

/** Reaching the study's address: asked for when the participant looks a study up. */
export const hostAccess = (permission: string): Permissions => ({ origins: [permission] });

/**
 * Sending what the study collects: in Firefox, its data collection consent, asked for when the
 * participant agrees to the study's consent. Chrome has no such permission (and refuses the key).
 */
export const dataAccess = (): Permissions | null => (import.meta.env.FIREFOX ? { data_collection: [...FIREFOX_DATA_COLLECTION] } : null);

/**
 * Asks the browser, which may show its own prompt. Call it straight from the participant's click,
 * before any await: browsers grant these only in answer to a user action.
 */
export function requestAccess(permissions: Permissions): Promise<boolean> {
  return browser.permissions.request(permissions as Browser.permissions.Permissions);
}

/** Whether the study's address may be reached (looking it up, deleting what was sent). */
export const hasHostAccess = (permission: string): Promise<boolean> =>
  browser.permissions.contains(hostAccess(permission) as Browser.permissions.Permissions);

/** Whether everything an upload to `permission` needs is still granted (the participant can revoke it in the browser's settings). */
export async function hasUploadAccess(permission: string): Promise<boolean> {
  const data = dataAccess();
  const checks = [hostAccess(permission), ...(data ? [data] : [])];
  const granted = await Promise.all(checks.map((p) => browser.permissions.contains(p as Browser.permissions.Permissions)));
  return granted.every(Boolean);
}

/** Gives the study's permissions back once nothing more will be sent there. */
export async function releaseAccess(permission: string): Promise<void> {
  const data = dataAccess();
  for (const permissions of [hostAccess(permission), ...(data ? [data] : [])]) {
    await browser.permissions.remove(permissions as Browser.permissions.Permissions).catch(() => false);
  }
}
