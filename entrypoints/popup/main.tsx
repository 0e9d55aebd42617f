import { createRoot } from 'react-dom/client';
import { Popup } from '@/components/popup/Popup';
import '@/components/styles.css';
import { applyTheme } from '@/utils/theme';

applyTheme(document);

createRoot(document.getElementById('root')!).render(<Popup />);
