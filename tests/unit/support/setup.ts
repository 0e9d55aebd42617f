import { beforeEach, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { fromCatalogue } from '../../../utils/i18n';

// WXT's fake browser has no i18n: answer from the same catalogue the build turns into _locales.
beforeEach(() => {
  vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation(((key: string, substitutions?: string | string[]) =>
    fromCatalogue(key, typeof substitutions === 'string' ? [substitutions] : (substitutions ?? []))) as never);
});
