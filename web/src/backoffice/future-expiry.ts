// A future expiry (the blacklist's, an API token's): one date-time picker's rule and props, so
// both dialogs refuse the same things the same way.
import type { DatePickerProps } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useRef } from 'react';
import { useTimeZone } from '../lib/brands';
import { pastInZone } from '../lib/time';

export function useFutureExpiry(notFuture: string) {
  const zone = useTimeZone();
  const past = useMemo(() => pastInZone(zone), [zone]);
  // The text last typed into the field, until the picker takes a value (see the rule).
  const untaken = useRef('');
  const noteTyped = (e: { target: EventTarget }) => {
    const text = (e.target as HTMLInputElement).value?.trim() ?? '';
    if (text) untaken.current = text;
  };
  return {
    /** Forget what was typed (a dialog opened afresh). */
    reset: () => {
      untaken.current = '';
    },
    // A time typed that the picker does not take (past, or not a date) is wiped from the
    // field, leaving it empty: refused once, so that it is not saved as no expiry unnoticed
    // (saved again empty, it is). A time picked must still be future when saved (the dialog
    // may have stayed open past it).
    rule: {
      validator: (_: unknown, v?: Dayjs | null) => {
        const typed = !v && untaken.current !== '';
        untaken.current = '';
        return (v && past.isPast(v)) || typed ? Promise.reject(new Error(notFuture)) : Promise.resolve();
      },
    },
    // Past days and times greyed out, today and now being the centre's (its zone); no "now"
    // button: it would give the browser's now, read in the centre's zone.
    picker: {
      showTime: true,
      showNow: false,
      disabledDate: past.disabledDate,
      disabledTime: past.disabledTime,
      onChange: () => {
        untaken.current = '';
      },
      onKeyDown: (e) => {
        if (e.key === 'Enter') noteTyped(e);
      },
      onBlur: noteTyped,
    } satisfies DatePickerProps,
  };
}
