/**
 * The alternative hypothesis of a test: `'greater'` means the first quantity (the treatment arm,
 * the observed count) is larger than the null says, `'less'` smaller, `'two-sided'` either.
 */
export type Alternative = 'two-sided' | 'less' | 'greater';
