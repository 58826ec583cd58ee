// Settings: the backup repository, the theme, and what this Lifeboat is (version, config file, data folder,
// where secrets live).
//
// Names for end-to-end tests: heading "Settings"; region "Backup repository" (see RepositorySection.tsx);
// radio group "Theme" with "System", "Light", "Dark"; the app info list is data-testid="app-info".
import { useEffect } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ChoiceGroup } from '../../components/Field';
import { useAppInfoStore } from '../../stores/appInfoStore';
import { useThemeStore } from '../../stores/themeStore';
import { RepositorySection } from './RepositorySection';
import type { Theme } from '../../stores/themeStore';
import '../../styles/page.css';
import './SettingsPage.css';

const THEME_OPTIONS = [
  { value: 'system', label: 'System', description: 'Follow the operating system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
] as const;

export function SettingsPage() {
  const theme = useThemeStore((s) => s.theme);
  const setTheme = useThemeStore((s) => s.setTheme);
  const info = useAppInfoStore((s) => s.info);
  const error = useAppInfoStore((s) => s.error);
  const load = useAppInfoStore((s) => s.load);

  useEffect(() => {
    if (!info) void load();
  }, [info, load]);

  return (
    <div className="page">
      <div className="page__head">
        <h1>Settings</h1>
      </div>

      <RepositorySection />

      <section className="panel" aria-labelledby="settings-appearance">
        <h2 id="settings-appearance">Appearance</h2>
        <ChoiceGroup<Theme> legend="Theme" name="theme" value={theme} options={THEME_OPTIONS} onChange={setTheme} />
      </section>

      <section className="panel" aria-labelledby="settings-about">
        <h2 id="settings-about">About this Lifeboat</h2>
        {error && <ErrorNotice error={error} />}
        {!info && !error && <p className="muted">Loading…</p>}
        {info && (
          <dl className="settings__info" data-testid="app-info">
            <dt>Version</dt>
            <dd>{info.version}</dd>
            <dt>Configuration file</dt>
            <dd className="mono">{info.configPath}</dd>
            <dt>Data folder</dt>
            <dd className="mono">{info.dataDir}</dd>
            <dt>Secret store</dt>
            <dd>{info.secretBackend}</dd>
            <dt>Platform</dt>
            <dd>{info.platform}</dd>
          </dl>
        )}
      </section>

      <section className="panel" aria-labelledby="settings-secrets">
        <h2 id="settings-secrets">Passwords</h2>
        <p>
          Database passwords live only in the operating system's keychain. Lifeboat's configuration file names where a
          password comes from — the keychain, an environment variable or a passfile — but never holds one, and this
          window can set a password but never read it back.
        </p>
      </section>
    </div>
  );
}
