import { useI18n } from '../i18n/i18n';

/** How far a plugin is trusted, coloured by `data-trust` in styles.css: green, orange or red. */
export function TrustBadge({ trust }: { readonly trust: string }) {
  const { t } = useI18n();
  const known = trust === 'official' || trust === 'verified' || trust === 'community' || trust === 'unsigned';
  return (
    <span className="badge trust" data-trust={trust}>
      {known ? t(`trust.${trust}`) : trust}
    </span>
  );
}
