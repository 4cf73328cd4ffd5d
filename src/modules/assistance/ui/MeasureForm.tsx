/** The measure form (帮扶措施: type, members, date, amount, funding source). Placeholder until the records work lands. */
export interface MeasureFormProps {
  householdId: string;
  /** Called after the measure is saved. */
  onSaved?: () => void;
}

export function MeasureForm(_props: MeasureFormProps) {
  return null;
}
