import { SITES } from '../../../utils/data/records';
import { createStore } from '../../../utils/background/store';

/**
 * A store whose participant already turned recording on for every site on the welcome page (a
 * new install records nothing until then).
 */
export async function recordingStore(...args: Parameters<typeof createStore>) {
  const store = createStore(...args);
  await store.handle('startRecording', { sites: [...SITES], recordOpened: true });
  return store;
}
