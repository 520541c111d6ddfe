// antd's theme for the whole UI: its defaults with darker text and links, so that every text
// meets WCAG AA contrast (4.5:1) on white, on the light grey page and on the selected menu
// item's light blue; `test/web/a11y.test.ts` runs axe-core on the console and ticket screens.
import type { ThemeConfig } from 'antd';

export const THEME: ThemeConfig = {
  token: {
    // blue-7 instead of blue-6: 5.9:1 on white (the default #1677ff has 4.1), 5.2:1 on the
    // selected menu item's #e6f4ff.
    colorPrimary: '#0958d9',
    colorLink: '#0958d9',
    // Secondary and tertiary text, placeholders: #595959 / #666 / #707070 on white instead of
    // the defaults' #8c8c8c, #bfbfbf.
    colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
    colorTextDescription: 'rgba(0, 0, 0, 0.6)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.56)',
    // Green, orange and red text (Text type="success"/"warning"/"danger"): darker shades
    // (5.6:1, 5:1, 5.6:1). The tags' colours are in index.css.
    colorSuccessText: '#237804',
    colorWarningText: '#ad4e00',
    colorErrorText: '#cf1322',
    // A danger button's red (hang up, harassment): red-7 (5.6:1); its light backgrounds kept.
    colorError: '#cf1322',
    colorErrorBg: '#fff2f0',
    colorErrorBgHover: '#fff1f0',
    colorErrorBorder: '#ffccc7',
    colorErrorBorderHover: '#ffa39e',
  },
};
