import { useEffect, useState } from 'react';
import { onUnauthorized } from './api/client';
import { Header } from './components/header';
import { I18nProvider } from './i18n/i18n';
import { LoginRequired } from './pages/login-required';
import { NotFound } from './pages/not-found';
import { PluginPage } from './pages/plugin-page';
import { PluginsPage } from './pages/plugins-page';
import { routeOf, usePathname } from './routing';

/** The WebUI: a header, then the page the address names, or the login screen once the API says 401. */
export function App() {
  const [loginNeeded, setLoginNeeded] = useState(false);
  useEffect(() => onUnauthorized(() => setLoginNeeded(true)), []);
  const route = routeOf(usePathname());
  return (
    <I18nProvider>
      <Header />
      <main>
        {loginNeeded ? (
          <LoginRequired />
        ) : route.page === 'plugins' ? (
          <PluginsPage />
        ) : route.page === 'plugin' ? (
          <PluginPage key={route.id} id={route.id} />
        ) : (
          <NotFound />
        )}
      </main>
    </I18nProvider>
  );
}
