import { createRoot } from 'react-dom/client';
import { ThoughtPrompt } from '@/components/ThoughtPrompt';
import { thoughtKindSchema } from '@/utils/schema';
import '@/components/styles.css';
import { applyTheme } from '@/utils/theme';

const params = new URLSearchParams(location.search);
const messageId = Number(params.get('messageId'));
const kind = thoughtKindSchema.safeParse(params.get('kind'));
applyTheme(document, params.get('theme'));

if (Number.isInteger(messageId) && messageId > 0 && kind.success) {
  createRoot(document.getElementById('root')!).render(<ThoughtPrompt messageId={messageId} kind={kind.data} />);
}
