import { useI18n } from '../i18n/i18n';

/**
 * How far a plugin is trusted, coloured by `data-trust` in styles.css: green (official, verified),
 * orange (community) or red (unsigned, and "dev / unsigned" when strict mode lets it load unsigned).
 */
export function TrustBadge({ trust, dev = false }: { readonly trust: string; readonly dev?: boolean }) {
  const { t } = useI18n();
  const known = trust === 'official' || trust === 'verified' || trust === 'community' || trust === 'unsigned';
  return (
    <span className="badge trust" data-trust={trust} data-dev={dev ? 'true' : undefined}>
      {dev ? t('trust.devUnsigned') : known ? t(`trust.${trust}`) : trust}
    </span>
  );
}
