import { useI18n } from '../i18n/i18n';

/** Shown when the API answers 401: the browser has no valid login cookie yet. */
export function LoginRequired() {
  const { t } = useI18n();
  return (
    <section className="login-required" aria-labelledby="login-title">
      <h1 id="login-title">{t('login.title')}</h1>
      <p>{t('login.body')}</p>
      <p>{t('login.example')}</p>
      <pre className="login-url">{`${location.origin}/login?token=…`}</pre>
      <p className="hint">{t('login.where')}</p>
      <button type="button" className="primary" onClick={() => location.reload()}>
        {t('login.retry')}
      </button>
    </section>
  );
}
