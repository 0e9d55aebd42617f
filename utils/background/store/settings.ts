import type { SettingsView } from '../../protocol/messages';
import { storeHelpers, type Parsed, type StoreContext } from './context';

// The participant's standing choices (recording, pausing, asking less) and the optional profile.

export function settingsOperations(ctx: StoreContext) {
  const { db, now } = ctx;
  const { getProfile, getSettings, writeSettings } = storeHelpers(ctx);

  /**
   * After an update from a version that recorded from install: a participant who had settings
   * then keeps recording on every site, as before. A new install starts with recording off.
   */
  async function keepRecordingAfterUpdate(): Promise<void> {
    await db.transaction('rw', db.settings, async () => {
      const row = await db.settings.get('settings');
      if (!row || (row.value as { recording?: unknown }).recording !== undefined) return;
      await db.settings.put({ key: 'settings', value: { ...(row.value as object), recording: { chatgpt: true, claude: true, gemini: true } } });
    });
  }

  return {
    keepRecordingAfterUpdate,
    async setPaused(input: Parsed<'setPaused'>): Promise<void> {
      await writeSettings((settings) => ({ ...settings, paused: input.paused }));
    },
    async startRecording(input: Parsed<'startRecording'>): Promise<void> {
      await writeSettings((settings) => ({
        ...settings,
        recording: { ...settings.recording, ...Object.fromEntries(input.sites.map((site) => [site, true])) },
        recordOpened: input.recordOpened,
      }));
    },
    async updateSettings(input: Parsed<'updateSettings'>): Promise<void> {
      await writeSettings((settings) => ({ ...settings, ...input }));
    },
    async snooze(input: Parsed<'snooze'>): Promise<void> {
      const until = input.minutes ? new Date(now().getTime() + input.minutes * 60_000).toISOString() : null;
      await writeSettings((settings) => ({ ...settings, snoozedUntil: until }));
    },
    async saveProfile(input: Parsed<'saveProfile'>): Promise<void> {
      if (input.profile) await db.settings.put({ key: 'profile', value: input.profile });
      else await db.settings.delete('profile');
    },
    async getSettings(): Promise<SettingsView> {
      return { settings: await getSettings(), profile: await getProfile() };
    },
  };
}
