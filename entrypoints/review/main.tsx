import { createRoot } from 'react-dom/client';
import { Review } from '@/components/review/Review';
import '@/components/styles.css';
import { applyTheme } from '@/utils/theme';

applyTheme(document);

createRoot(document.getElementById('root')!).render(<Review />);
