// The brands (GET /api/playbooks) and each one's time zone, for showing dates.
import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, ok } from '../api/client';
import { useMe } from '../auth';
import { useI18n } from '../i18n/i18n';
import { DEFAULT_TIME_ZONE, formatDateTime } from './time';

export function useBrands() {
  return useQuery({
    queryKey: ['brands'],
    queryFn: async () => (await ok(api.GET('/api/playbooks'))).items,
    staleTime: 5 * 60_000,
  });
}

/** The zone of a brand; of the user's brand when none is given; else China Standard Time. */
export function useTimeZone(brand?: string | null): string {
  const brands = useBrands().data;
  const me = useMe().data;
  const id = brand ?? me?.brand;
  return brands?.find((b) => b.brand === id)?.timeZone ?? DEFAULT_TIME_ZONE;
}

/** A formatter of ISO instants in a brand's zone (the user's brand by default). */
export function useFormatTime(): (iso: string | null | undefined, brand?: string | null) => string {
  const brands = useBrands().data;
  const me = useMe().data;
  const { lang } = useI18n();
  return useCallback(
    (iso, brand) => {
      const id = brand ?? me?.brand;
      const zone = brands?.find((b) => b.brand === id)?.timeZone ?? DEFAULT_TIME_ZONE;
      return formatDateTime(iso, zone, lang);
    },
    [brands, me?.brand, lang],
  );
}
