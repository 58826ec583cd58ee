// The chosen theme (light, dark or follow the system), remembered in localStorage and applied to <html>.
import { create } from 'zustand';

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

const STORAGE_KEY = 'lifeboat.theme';

function readTheme(): Theme {
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    return (THEMES as readonly string[]).includes(saved ?? '') ? (saved as Theme) : 'system';
  } catch {
    return 'system'; // storage can be disabled; the system theme is a fine fallback
  }
}

/** tokens.css reads data-theme; without it, prefers-color-scheme decides. */
function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
}

interface ThemeState {
  theme: Theme;
  setTheme(theme: Theme): void;
}

export const useThemeStore = create<ThemeState>((set) => {
  const initial = readTheme();
  applyTheme(initial);
  return {
    theme: initial,
    setTheme(theme) {
      applyTheme(theme);
      try {
        window.localStorage.setItem(STORAGE_KEY, theme);
      } catch {
        // not persisted; the choice still holds for this window
      }
      set({ theme });
    },
  };
});
