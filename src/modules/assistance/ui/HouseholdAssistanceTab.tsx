/** The household page's 帮扶 tab. Placeholder until the records work lands. */
export function HouseholdAssistanceTab(_props: { householdId: string }) {
  return null;
}
