import { Card } from 'antd';

/** 我的帮扶户: placeholder until its work lands. */
export function HelperWorkspacePage() {
  return <Card title="我的帮扶户" />;
}
