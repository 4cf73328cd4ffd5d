import { Card } from 'antd';

/** 结对帮扶: placeholder until its work lands. */
export function PairingPage() {
  return <Card title="结对帮扶" />;
}
