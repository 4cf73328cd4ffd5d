/** The household card's 帮扶 part (helper, measures, visits). Placeholder until the records work lands. */
export function AssistanceCardSection(_props: { householdId: string }) {
  return null;
}
