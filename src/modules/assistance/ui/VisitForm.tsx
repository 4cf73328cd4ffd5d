/** The visit form (走访记录: date, content, problems, photos). Placeholder until the visits work lands. */
export interface VisitFormProps {
  householdId: string;
  /** Called after the visit is saved. */
  onSaved?: () => void;
}

export function VisitForm(_props: VisitFormProps) {
  return null;
}
