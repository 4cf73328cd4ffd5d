/**
 * A small horizontal bar chart of red-line hits by rule (open and justified), drawn with ECharts
 * (only the bar chart, grid, tooltip and legend are bundled).
 */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface RedLineChartBar {
  label: string;
  open: number;
  justified: number;
}

export function RedLineChart({ bars, openLabel, justifiedLabel }: { bars: RedLineChartBar[]; openLabel: string; justifiedLabel: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!ref.current) return;
    const c = echarts.init(ref.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(ref.current);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const rows = [...bars].reverse();
    chart.current?.setOption(
      {
        animation: false,
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { top: 0, data: [openLabel, justifiedLabel] },
        grid: { left: 8, right: 24, top: 28, bottom: 8, containLabel: true },
        xAxis: { type: 'value', minInterval: 1 },
        // Long (English) rule names break onto a second line within the label's room instead of being cut.
        yAxis: { type: 'category', data: rows.map((b) => b.label), axisLabel: { width: 170, overflow: 'break', lineHeight: 14 } },
        series: [
          { name: openLabel, type: 'bar', stack: 'hits', data: rows.map((b) => b.open), itemStyle: { color: '#cf1322' } },
          { name: justifiedLabel, type: 'bar', stack: 'hits', data: rows.map((b) => b.justified), itemStyle: { color: '#faad14' } },
        ],
      },
      true,
    );
  }, [bars, openLabel, justifiedLabel]);

  return <div ref={ref} data-testid="red-line-chart" style={{ width: '100%', height: Math.max(180, bars.length * 36 + 50) }} />;
}
