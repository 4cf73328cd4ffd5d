import { Card } from 'antd';

/** 市领导联系点: placeholder until its work lands. */
export function ContactPointsPage() {
  return <Card title="市领导联系点" />;
}
