// The answer limit (接听时限): how long a ring may go unanswered. One definition for QA's
// answer-speed rule and the dashboards' short abandons, so the two never disagree.

/**
 * ms: the brand's rings to answer × the ring period, the scorecard in force's period when it
 * sets one (a hotline's switch rings at its own pace), else the brand's playbook's.
 */
export function answerLimitMs(
  settings: { ringsToAnswer: number; ringPeriodSeconds: number },
  scorecard: { ringPeriodSeconds?: number | undefined },
): number {
  return settings.ringsToAnswer * (scorecard.ringPeriodSeconds ?? settings.ringPeriodSeconds) * 1000;
}
