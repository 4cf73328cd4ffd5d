import { Card } from 'antd';

/** 农户帮扶: placeholder until its work lands. */
export function HouseholdAssistancePage() {
  return <Card title="农户帮扶" />;
}
