import { createRoot } from 'react-dom/client';
import { Privacy } from '@/components/privacy/Privacy';
import '@/components/styles.css';
import { applyTheme } from '@/utils/theme';

applyTheme(document);

createRoot(document.getElementById('root')!).render(<Privacy />);
