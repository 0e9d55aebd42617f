import { createRoot } from 'react-dom/client';
import { Welcome } from '@/components/welcome/Welcome';
import '@/components/styles.css';
import { applyTheme } from '@/utils/theme';

applyTheme(document);

createRoot(document.getElementById('root')!).render(<Welcome />);
