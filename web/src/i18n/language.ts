/** The UI's languages: Chinese (the default) and English. */
export type Language = 'zh' | 'en';
