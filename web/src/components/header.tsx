import { LANGUAGES, type Language, useI18n } from '../i18n/i18n';
import { Link, routeOf, usePathname } from '../routing';
import { useTheme } from '../theme';
import { DegradedBanner } from './degraded-banner';

export function Header() {
  const { t, language, setLanguage } = useI18n();
  const [theme, toggleTheme] = useTheme();
  const page = routeOf(usePathname()).page;
  return (
    <>
      <header className="app-header">
        <Link to="/" className="brand">
          <img src="/favicon.svg" alt="" width="22" height="22" />
          {t('app.title')}
        </Link>
        <nav>
          <Link to="/dashboard" current={page === 'dashboard'}>
            {t('nav.dashboard')}
          </Link>
          <Link to="/" current={page === 'plugins' || page === 'plugin'}>
            {t('nav.plugins')}
          </Link>
          <Link to="/jobs" current={page === 'jobs'}>
            {t('nav.jobs')}
          </Link>
          <Link to="/console" current={page === 'console'}>
            {t('nav.console')}
          </Link>
        </nav>
        <div className="header-tools">
          <label>
            <span className="visually-hidden">{t('language.label')}</span>
            <select value={language} onChange={(event) => setLanguage(event.target.value as Language)}>
              {Object.entries(LANGUAGES).map(([code, name]) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="quiet" onClick={toggleTheme} title={t('theme.toggle')}>
            {t(theme === 'dark' ? 'theme.light' : 'theme.dark')}
          </button>
        </div>
      </header>
      <DegradedBanner />
    </>
  );
}
