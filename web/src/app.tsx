import { useEffect, useState } from 'react';
import { onUnauthorized } from './api/client';
import { Header } from './components/header';
import { ToastList } from './components/toast-list';
import { ConsolePage } from './console/console-page';
import { DashboardPage } from './dashboard/dashboard-page';
import { I18nProvider } from './i18n/i18n';
import { PluginMessagesLoader } from './i18n/plugin-messages-loader';
import { JobsPage } from './jobs/jobs-page';
import { LoginRequired } from './pages/login-required';
import { NotFound } from './pages/not-found';
import { PluginPage } from './pages/plugin-page';
import { PluginsPage } from './pages/plugins-page';
import { routeOf, usePathname } from './routing';
import { ReloadToasts } from './toasts/reload-toasts';

/**
 * The WebUI: a header, then the page the address names, or the login screen once the API says 401;
 * the toasts plugins send and those saying how hot reloads went, over any page.
 */
export function App() {
  const [loginNeeded, setLoginNeeded] = useState(false);
  useEffect(() => onUnauthorized(() => setLoginNeeded(true)), []);
  const route = routeOf(usePathname());
  return (
    <I18nProvider>
      <PluginMessagesLoader />
      <Header />
      <main>
        {loginNeeded ? (
          <LoginRequired />
        ) : route.page === 'plugins' ? (
          <PluginsPage />
        ) : route.page === 'dashboard' ? (
          <DashboardPage />
        ) : route.page === 'console' ? (
          <ConsolePage />
        ) : route.page === 'jobs' ? (
          <JobsPage />
        ) : route.page === 'plugin' ? (
          <PluginPage key={route.id} id={route.id} />
        ) : (
          <NotFound />
        )}
      </main>
      <ToastList />
      <ReloadToasts />
    </I18nProvider>
  );
}
