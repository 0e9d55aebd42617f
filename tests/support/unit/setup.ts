import nodeConsole from 'node:console';
import { beforeEach, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { fromCatalogue } from '../../../utils/i18n';

// WXT's fake browser has no i18n: answer from the same catalogue the build turns into _locales.
beforeEach(() => {
  vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation(((key: string, substitutions?: string | string[]) =>
    fromCatalogue(key, typeof substitutions === 'string' ? [substitutions] : (substitutions ?? []))) as never);
});

// happy-dom does not load iframe pages, and says so for every card a test opens, on the console
// it was given when the environment was set up: Node's own. The tests check the frames
// themselves; every other console error still shows.
const consoleError = nodeConsole.error.bind(nodeConsole);
nodeConsole.error = (...args: unknown[]) => {
  if (args[0] instanceof Error && args[0].message.includes('Iframe page loading is disabled')) return;
  consoleError(...args);
};
